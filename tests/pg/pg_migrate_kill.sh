#!/bin/sh
# `fallnetz init` on an empty PostgreSQL database killed with SIGKILL at
# several moments (right after the start, while it waits for the migration
# lock, while it holds the lock and runs the DDL): afterwards the database
# is either untouched (no table at all) or complete, never in between, and
# a second `init` completes it. Two `init`s at once both succeed, one after
# the other under the advisory lock.
. "$(dirname "$0")/pglib.sh"

# the migration lock's key (src/store/pg.c MIGRATE_LOCK) as pg_locks shows
# a bigint key: classid = high 32 bits, objid = low 32 bits
LOCK_HI=$((7365470112 >> 32))
LOCK_LO=$((7365470112 & 4294967295))
tables() { q "$1" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"; }
version() { # a statement naming a missing table fails: looked up first
    if [ "$(q "$1" "SELECT to_regclass('schema_version') IS NULL")" = t ]; then
        echo 0
    else
        q "$1" "SELECT coalesce(max(version), 0) FROM schema_version"
    fi
}
"$BIN" init --db "$(new_db)" > "$T/init.out" 2>&1
FULL=$(sed -n 's/.*Schemaversion \([0-9]*\).*/\1/p' "$T/init.out")
[ -n "$FULL" ] && ok || bad "init names the schema version: $(cat "$T/init.out")"

# whole_or_nothing NAME URL: the state a killed init left
whole_or_nothing() {
    _v=$(version "$2")
    _t=$(tables "$2")
    if [ "$_v" = 0 ] && [ "$_t" = 0 ]; then
        echo "$1: untouched"
        ok
    elif [ "$_v" = "$FULL" ]; then
        echo "$1: complete"
        ok
    else
        bad "$1: half migrated: version $_v, $_t tables"
    fi
    "$BIN" init --db "$2" > "$T/again.out" 2>&1
    expect_eq "$1: second init" 0 $?
    expect_eq "$1: then complete" "$FULL" "$(version "$2")"
    "$BIN" audit verify --db "$2" > /dev/null 2>&1
    expect_eq "$1: audit verify" 0 $?
}

# killed after a fixed delay
for d in 0.02 0.1 0.3; do
    DB=$(new_db)
    "$BIN" init --db "$DB" > /dev/null 2>&1 &
    p=$!
    sleep $d
    kill -9 $p 2> /dev/null
    wait $p 2> /dev/null
    whole_or_nothing "after ${d}s" "$DB"
done

# killed while it holds the migration lock (mid-DDL): seen in pg_locks
DB=$(new_db)
"$BIN" init --db "$DB" > /dev/null 2>&1 &
p=$!
i=0
while [ $i -lt 400 ] && [ "$(q "$DB" "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
        AND classid = $LOCK_HI AND objid = $LOCK_LO AND granted")" = 0 ] && kill -0 $p 2> /dev/null; do
    i=$((i + 1))
done
kill -9 $p 2> /dev/null
wait $p 2> /dev/null
[ $i -lt 400 ] && ok || bad "never saw init holding the migration lock"
whole_or_nothing "holding the lock" "$DB"

# killed while it waits for the lock another session holds
DB=$(new_db)
psql "$DB" -qc "SELECT pg_advisory_lock(7365470112); SELECT pg_sleep(3)" > /dev/null 2>&1 &
holder=$!
background $holder
sleep 0.5
"$BIN" init --db "$DB" > /dev/null 2>&1 &
p=$!
sleep 1
kill -0 $p 2> /dev/null && ok || bad "init did not wait for the migration lock"
kill -9 $p 2> /dev/null
wait $p 2> /dev/null
wait $holder
expect_eq "waiting: untouched" "0 0" "$(version "$DB") $(tables "$DB")"
whole_or_nothing "waiting for the lock" "$DB"

# two inits at once: both succeed, the second finds nothing to do
DB=$(new_db)
"$BIN" init --db "$DB" > "$T/a.out" 2>&1 &
a=$!
"$BIN" init --db "$DB" > "$T/b.out" 2>&1 &
b=$!
wait $a
expect_eq "first of two inits" 0 $?
wait $b
expect_eq "second of two inits" 0 $?
expect_eq "two inits: complete" "$FULL" "$(version "$DB")"
expect_eq "two inits: each version once" "$FULL" "$(q "$DB" 'SELECT count(*) FROM schema_version')"
"$BIN" audit verify --db "$DB" > /dev/null 2>&1
expect_eq "two inits: audit verify" 0 $?
finish
