#!/bin/sh
# fallnetz store copy: a demo database into PostgreSQL and back. The audit
# chain verifies on every copy with the same head as its source, the export
# is identical on all three, the tables are identical after the round trip;
# a kill -9 mid-copy leaves the target (PostgreSQL or SQLite) as it was; a
# non-empty target is refused; a wrong password is one clear error that
# does not repeat it. Needs the throwaway server of scripts/check.sh
# ($FALLNETZ_TEST_PG_URL); skipped without it.
PG=${FALLNETZ_TEST_PG_URL:-}
if [ -z "$PG" ]; then
    echo "skipped: no PostgreSQL (FALLNETZ_TEST_PG_URL unset)"
    exit 77
fi
# BIN, T, ok/bad/expect_eq/expect_grep/finish (read only: another suite's helpers)
. "$(dirname "$0")/../api/lib.sh"
DBS=
COPY_PID=
copy_cleanup() {
    [ -n "$COPY_PID" ] && kill -9 "$COPY_PID" 2>/dev/null
    for d in $DBS; do psql -q "$PG" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1; done
    rm -rf "$T"
}
trap copy_cleanup EXIT
export FALLNETZ_SPOOL_DIR="$T/spool"
mkdir -p "$FALLNETZ_SPOOL_DIR"
# new_pg NAME: a new, empty PostgreSQL database; prints its URL.
new_pg() {
    name="fn_copy_$$_$1"
    psql -q "$PG" -c "CREATE DATABASE $name" >/dev/null || echo "cannot create $name" >&2
    DBS="$DBS $name"
    case "$PG" in
    *\?*) printf '%s&dbname=%s\n' "$PG" "$name" ;;
    *) printf '%s?dbname=%s\n' "$PG" "$name" ;;
    esac
}
# head_of DB: the chain's end that `audit verify` prints.
head_of() {
    "$BIN" audit verify --db "$1" | sed -n 's/.*Kettenende \([0-9a-f]*\).*/\1/p'
}
# tables DB: every copied table of a SQLite file, row by row (without the
# trail, which gains a row per copy).
tables() {
    for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_version', 'audit_log', 'audit_head') ORDER BY name"); do
        echo "# $t"
        sqlite3 "$1" "SELECT * FROM $t ORDER BY 1"
    done
}

"$BIN" demo --db "$T/d.db" --persons 400 --seed 5 >/dev/null 2>&1
expect_eq "demo exit" 0 $?
USER_LOGIN=$(sqlite3 "$T/d.db" "SELECT login FROM app_user ORDER BY id LIMIT 1")

"$BIN" store --help >"$T/help.out" 2>&1
expect_eq "help exit" 0 $?
expect_grep "help" "Aufruf: fallnetz store copy --from QUELLE --to ZIEL" "$T/help.out"

# SQLite -> PostgreSQL
P1=$(new_pg a)
"$BIN" store copy --from "$T/d.db" --to "$P1" >"$T/c1.out" 2>"$T/c1.err"
expect_eq "copy to PostgreSQL exit" 0 $?
expect_grep "progress per table" "  person: 400 Zeilen" "$T/c1.err"
expect_grep "copy verified" "Protokoll des Ziels unversehrt" "$T/c1.out"
PW=$(printf '%s' "$PG" | sed -n 's|^postgres[a-z]*://[^:]*:\([^@]*\)@.*|\1|p')
[ -n "$PW" ] || bad "no password in the test server's URL"
if grep -q -- "$PW" "$T/c1.out" "$T/c1.err"; then bad "the password is printed"; else ok; fi
H0=$(head_of "$T/d.db")
H1=$(head_of "$P1")
[ -n "$H0" ] && ok || bad "no head for d.db"
expect_eq "same head on PostgreSQL" "$H0" "$H1"
expect_eq "the copy is the last row" "{\"kopie\":\"$(printf '%s' "$P1" | sed "s|$PW|***|")\"}" \
    "$(psql -At "$P1" -c "SELECT details FROM audit_log ORDER BY seq DESC LIMIT 1")"

# PostgreSQL -> SQLite
"$BIN" store copy --from "$P1" --to "$T/back.db" >"$T/c2.out" 2>"$T/c2.err"
expect_eq "copy back exit" 0 $?
expect_eq "same head back in SQLite" "$(head_of "$P1")" "$(head_of "$T/back.db")"
tables "$T/d.db" >"$T/d.tables"
tables "$T/back.db" >"$T/back.tables"
[ "$(wc -l <"$T/d.tables")" -gt 2000 ] && ok || bad "too few rows dumped"
if cmp -s "$T/d.tables" "$T/back.tables"; then ok; else bad "tables differ after the round trip"; fi
expect_eq "audit rows: two copies more" "$(($(sqlite3 "$T/d.db" 'SELECT max(seq) FROM audit_log') + 1))" \
    "$(sqlite3 "$T/back.db" 'SELECT max(seq) FROM audit_log')"

# the export is the same from all three
for db in "$T/d.db" "$P1" "$T/back.db"; do
    "$BIN" export persons --db "$db" --user "$USER_LOGIN" >>"$T/exports" 2>&1
    expect_eq "export exit" 0 $?
    echo "----" >>"$T/exports"
done
n=$(awk '/^----$/{k++} END{print k}' "$T/exports")
expect_eq "three exports" 3 "$n"
awk -v dir="$T" 'BEGIN{k=0} /^----$/{k++; next} {print > (dir "/export." k)}' "$T/exports"
[ "$(wc -l <"$T/export.0")" -gt 10 ] && ok || bad "export too short"
if cmp -s "$T/export.0" "$T/export.1" && cmp -s "$T/export.0" "$T/export.2"; then ok; else bad "exports differ"; fi

# a non-empty target is refused, naming the table
"$BIN" store copy --from "$T/d.db" --to "$P1" >"$T/c3.out" 2>"$T/c3.err"
expect_eq "non-empty target exit" 1 $?
expect_grep "non-empty named" "nicht leer: Tabelle region" "$T/c3.err"

# kill -9 mid-copy: progress on every row into a FIFO nobody reads past
# the first line, so the copy blocks inside its transaction; then kill it.
# kill_mid TARGET: leaves the target as it was.
kill_mid() {
    rm -f "$T/fifo"
    mkfifo "$T/fifo"
    FALLNETZ_COPY_PROGRESS_ROWS=1 "$BIN" store copy --from "$T/d.db" --to "$1" \
        >/dev/null 2>"$T/fifo" &
    COPY_PID=$!
    exec 3<"$T/fifo"
    read -r first <&3
    sleep 2
    if kill -0 "$COPY_PID" 2>/dev/null; then ok; else bad "the copy ended before the kill"; fi
    kill -9 "$COPY_PID"
    wait "$COPY_PID" 2>/dev/null
    COPY_PID=
    exec 3<&-
    : "$first"
}
P2=$(new_pg b)
"$BIN" init --db "$P2" >/dev/null 2>&1
kill_mid "$P2"
expect_eq "PostgreSQL after kill: no persons" 0 "$(psql -At "$P2" -c 'SELECT count(*) FROM person')"
expect_eq "PostgreSQL after kill: no regions" 0 "$(psql -At "$P2" -c 'SELECT count(*) FROM region')"
expect_eq "PostgreSQL after kill: empty trail" "0|0" "$(psql -At "$P2" -c 'SELECT (SELECT count(*) FROM audit_log), seq FROM audit_head')"
"$BIN" store copy --from "$T/d.db" --to "$P2" >/dev/null 2>&1
expect_eq "copy after the kill" 0 $?
expect_eq "same head after the kill" "$(head_of "$T/d.db")" "$(head_of "$P2")"
"$BIN" init --db "$T/k.db" >/dev/null 2>&1
kill_mid "$T/k.db"
expect_eq "SQLite after kill: no persons" 0 "$(sqlite3 "$T/k.db" 'SELECT count(*) FROM person')"
expect_eq "SQLite after kill: empty trail" "0|0" "$(sqlite3 "$T/k.db" 'SELECT (SELECT count(*) FROM audit_log), seq FROM audit_head')"

# a wrong password: one line naming what failed, never the password
BADURL=$(printf '%s' "$P1" | sed "s|$PW|falschesPasswort42|")
"$BIN" store copy --from "$BADURL" --to "$T/x.db" >"$T/c4.out" 2>"$T/c4.err"
expect_eq "wrong password exit" 1 $?
expect_eq "one line" 1 "$(wc -l <"$T/c4.err")"
expect_grep "says what failed" "Anmeldung bei PostgreSQL abgelehnt" "$T/c4.err"
if grep -q falschesPasswort42 "$T/c4.err" "$T/c4.out"; then bad "the wrong password is printed"; else ok; fi
"$BIN" store copy --from "$T/d.db" --to "$BADURL" >"$T/c5.out" 2>"$T/c5.err"
expect_eq "wrong password as target exit" 1 $?
if grep -q falschesPasswort42 "$T/c5.err" "$T/c5.out"; then bad "the wrong password is printed (target)"; else ok; fi

finish
