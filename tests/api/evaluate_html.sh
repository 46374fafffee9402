#!/bin/sh
# evaluate writes recorded text into its HTML report: override kinds,
# nationality codes, band changes and the compared catalogue's name must be
# escaped (issue 10: three values went in raw).
. "$(dirname "$0")/lib.sh"
CAT="$FALLNETZ_SOURCE_ROOT/catalog/initialbewertung.cat"
DB=$(new_db d)

"$BIN" demo --db "$DB" --persons 60 --seed 9 > /dev/null 2>&1
# j.hoffmann (koordination, RRK-MS) decides on a person of the Münster region
IN_MS="authority_id IN (SELECT id FROM organisation WHERE region_id = (SELECT region_id FROM organisation WHERE code = 'RRK-MS'))"
"$BIN" assess --all --store --user j.hoffmann --db "$DB" --catalog "$CAT" --today 2026-03-01 > /dev/null
ID=$(db_query "$DB" "SELECT id FROM person WHERE $IN_MS AND id NOT IN (SELECT person_id FROM residence_status WHERE enforceable_since IS NOT NULL) LIMIT 1")
"$BIN" decide "$ID" --accept --reason "Fallkonferenz <b>empfiehlt</b> Aufnahme" --user j.hoffmann \
    --second-user abh.sb --db "$DB" > /dev/null
expect_eq "decision stored" 0 $?
# Text that reached the database from outside (no write path checks it).
db_force "$DB" decision "UPDATE decision SET override_kind = override_kind || ' <script>alert(1)</script>'"
db_query "$DB" "UPDATE person SET nationalities = '<i>' WHERE id = $ID"
sed 's/^band_a_ab: 40/band_a_ab: 500/; s/^version: .*/version: alt/' "$CAT" > "$T/<img src=x>.cat"
"$BIN" evaluate --out "$T/rep" --user j.hoffmann --db "$DB" --compare "$T/<img src=x>.cat" --catalog "$CAT" > /dev/null
expect_eq "evaluate exit" 0 $?
H="$T/rep/report.html"
if grep -q '<script>\|<img src=x>\|<i><\|>Fallkonferenz <b>' "$H"; then bad "raw markup in the report"; else ok; fi
expect_grep "override kind escaped" '&lt;script&gt;alert(1)&lt;/script&gt;' "$H"
expect_grep "reason escaped" 'Fallkonferenz &lt;b&gt;empfiehlt&lt;/b&gt; Aufnahme' "$H"
expect_grep "nationality escaped" '>&lt;i&gt;<' "$H"
expect_grep "catalogue name escaped" '&lt;img src=x&gt;.cat' "$H"
finish
