#!/bin/sh
# Issue 10 item 4: a large import does not lock other writers out, and it is
# all or nothing even when killed: staged rows are invisible until the one
# publish step, a kill -9 leaves none of them, and a rerun works.
. "$(dirname "$0")/lib.sh"
ROWS=100000
DB=$(new_db d)

"$BIN" demo --db "$DB" --persons 150 --seed 9 > /dev/null 2>&1
IN_MS="authority_id IN (SELECT id FROM organisation WHERE region_id = (SELECT region_id FROM organisation WHERE code = 'RRK-MS'))"
ID=$(db_query "$DB" "SELECT id FROM person WHERE $IN_MS AND id NOT IN (SELECT person_id FROM residence_status WHERE enforceable_since IS NOT NULL) LIMIT 1")
awk -v n="$ROWS" 'BEGIN { print "record_id,family_name,given_names,birth_date,aliases";
    for (i = 1; i <= n; i++) printf "K%07d,Name%d,Vor,1990-01-01,Alias%d|X\n", i, i, i }' > "$T/rows.csv"
decide() { # a write on another connection; must not wait for the import
    timeout 8 "$BIN" decide "$ID" --decline --reason "Fallkonferenz: derzeit keine Aufnahme" \
        --user j.hoffmann --db "$DB" > /dev/null 2> "$T/decide.txt"
}
imported() { db_query "$DB" "SELECT count(*) FROM person WHERE record_id LIKE 'K%'"; }
# stage_bytes: how much the import has staged so far. SQLite stages into the
# file "<db>-import" (docs/store.md); PostgreSQL into TEMP tables fn_stage_*
# of the import's connection (only their size is visible from another).
stage_bytes() {
    if on_pg; then
        db_query "$DB" "SELECT coalesce(sum(pg_relation_size(c.oid)), 0) FROM pg_class c WHERE c.relkind = 'r' AND c.relname LIKE 'fn\\_stage\\_%'"
    else
        stat -c %s "$DB-import" 2> /dev/null || echo 0
    fi
}
# import_started: an import holds the database's import lock (SQLite: the
# flock'ed stage file exists; PostgreSQL: an advisory lock in this database).
import_started() {
    if on_pg; then
        [ "$(db_query "$DB" "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" -gt 0 ]
    else
        [ -e "$DB-import" ]
    fi
}

# 1. An import held mid-way (its input is a FIFO that stops after 20,000
#    rows, more than one read chunk): other writers and readers go on, the
#    staged rows are invisible.
mkfifo "$T/fifo"
FALLNETZ_IMPORT_BATCH_ROWS=500 FALLNETZ_PROGRESS=0 "$BIN" import persons "$T/fifo" --db "$DB" 2> "$T/imp1.txt" &
IMP=$!
exec 3> "$T/fifo"
head -n 20001 "$T/rows.csv" >&3
i=0
while [ "$(stage_bytes)" -lt 100000 ] && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
expect_eq "import is staging" 0 "$(kill -0 $IMP 2> /dev/null; echo $?)"
decide
expect_eq "decide during the import" 0 $?
decide
expect_eq "second decide during the import" 0 $?
expect_eq "staged rows invisible" 0 "$(imported)"
"$BIN" audit verify --db "$DB" > /dev/null
expect_eq "audit verify during the import" 0 $?

# 2. kill -9 mid-import: none of its rows, the chain intact, a rerun works.
kill -9 $IMP
wait $IMP 2> /dev/null
exec 3>&-
expect_eq "killed import left no rows" 0 "$(imported)"
"$BIN" audit verify --db "$DB" > "$T/v1.txt"
expect_eq "audit verify after kill" 0 $?
DECISIONS=$(db_query "$DB" "SELECT count(*) FROM decision")
expect_eq "decisions stored" 2 "$DECISIONS"

# 3. The full import while another connection keeps writing.
FALLNETZ_IMPORT_BATCH_ROWS=20000 FALLNETZ_PROGRESS=0 "$BIN" import persons "$T/rows.csv" --db "$DB" 2> "$T/imp2.txt" &
IMP=$!
writes=0
failed=0
while kill -0 $IMP 2> /dev/null; do
    if decide; then writes=$((writes + 1)); else failed=$((failed + 1)); cat "$T/decide.txt"; fi
done
wait $IMP
expect_eq "import exit" 0 $?
expect_grep "import summary" "$ROWS Zeilen gelesen, $ROWS übernommen, 0 abgewiesen" "$T/imp2.txt"
expect_eq "no write failed during the import" 0 "$failed"
if [ "$writes" -ge 1 ]; then ok; else bad "no write ran during the import"; fi
expect_eq "all rows imported" "$ROWS" "$(imported)"
expect_eq "aliases imported" "$ROWS" "$(db_query "$DB" "SELECT count(*) FROM person_alias a JOIN person p ON p.id = a.person_id WHERE p.record_id LIKE 'K%'")"
expect_eq "alias bit of fact_mask set" "$ROWS" "$(db_query "$DB" "SELECT count(*) FROM person WHERE record_id LIKE 'K%' AND fact_mask = 1")"
expect_eq "mask triggers restored" 2 "$(db_triggers "$DB" person_alias_mask_insert travel_document_mask_insert)"
expect_eq "decisions during the import stored" $((DECISIONS + writes)) "$(db_query "$DB" "SELECT count(*) FROM decision")"
expect_eq "ids consecutive" "$ROWS" "$(db_query "$DB" "SELECT max(id) - min(id) + 1 FROM person WHERE record_id LIKE 'K%'")"
expect_eq "one audit row per 1,000 persons" $((ROWS / 1000)) "$(db_query "$DB" "SELECT count(*) FROM audit_log WHERE kind = 'collect' AND details LIKE '%rows.csv%'")"
"$BIN" audit verify --db "$DB" > /dev/null
expect_eq "audit verify after the import" 0 $?
if on_pg; then
    expect_eq "stage emptied" 0 "$(stage_bytes)"
else
    if [ -e "$DB-import" ]; then bad "staging file left behind"; else ok; fi
fi
if skip_on_pg "the WAL bound is SQLite's -wal file"; then :; else
    WAL=$(stat -c %s "$DB-wal" 2> /dev/null || echo 0)
    if [ "$WAL" -le 67108864 ]; then ok; else bad "WAL not bounded: $WAL bytes"; fi
fi

# 4. A second import while one runs is refused with a clear message.
mkfifo "$T/fifo2"
FALLNETZ_PROGRESS=0 "$BIN" import persons "$T/fifo2" --db "$DB" 2> /dev/null &
IMP=$!
exec 4> "$T/fifo2"
printf 'record_id,family_name\nZ1,Eins\n' >&4
i=0
while ! import_started && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
printf 'record_id,family_name\nZ2,Zwei\n' > "$T/z2.csv"
"$BIN" import persons "$T/z2.csv" --db "$DB" 2> "$T/imp3.txt"
expect_eq "parallel import refused" 1 $?
expect_grep "parallel import named" 'anderer Import' "$T/imp3.txt"
exec 4>&-
wait $IMP
expect_eq "first import finished" 0 $?
finish
