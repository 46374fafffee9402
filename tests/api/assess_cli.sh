#!/bin/sh
# catalog check/show, assess --explain and worklist against demo data; a
# catalogue with a protected characteristic is refused with file and line.
. "$(dirname "$0")/lib.sh"
CAT="$FALLNETZ_SOURCE_ROOT/catalog/initialbewertung.cat"

"$BIN" catalog check "$CAT" > "$T/check.txt"
expect_eq "shipped catalogue passes" 0 $?
expect_grep "hash shown" 'SHA-256' "$T/check.txt"
"$BIN" catalog show "$CAT" > "$T/show.txt"
expect_grep "unverified marked" 'NICHT gegen den geltenden Text' "$T/show.txt"

sed 's/^wenn: hoechste_strafe_monate >= 24 oder sicherungsverwahrung = ja$/wenn: staatsangehoerigkeit = ja/' "$CAT" > "$T/bad.cat"
"$BIN" catalog check "$T/bad.cat" 2> "$T/bad.txt"
expect_eq "protected characteristic refused" 1 $?
expect_grep "file, line and reason" 'bad.cat:[0-9]*: Tatsache .staatsangehoerigkeit. abgelehnt' "$T/bad.txt"

"$BIN" demo --db "$T/d.db" --persons 150 --seed 9 2> /dev/null
"$BIN" assess 3 --db "$T/d.db" --catalog "$CAT" --today 2026-03-01 --explain > "$T/a.txt"
expect_eq "assess exit" 0 $?
expect_grep "bands shown" 'Prioritätsband' "$T/a.txt"
expect_grep "no decision" 'Entscheidungen trifft eine' "$T/a.txt"
expect_grep "explanation has legal basis" 'AufenthG' "$T/a.txt"
"$BIN" assess 99999 --db "$T/d.db" --catalog "$CAT" 2> /dev/null
expect_eq "unknown person" 1 $?
"$BIN" worklist --authority 17 --db "$T/d.db" --catalog "$CAT" --today 2026-03-01 > "$T/w.txt"
expect_eq "worklist exit" 0 $?
expect_grep "worklist header" 'Arbeitsliste Behörde 17' "$T/w.txt"
"$BIN" worklist --authority 17 --db "$T/d.db" --catalog "$CAT" --csv "$T/w.csv" --excel
expect_eq "excel bom" "efbbbf" "$(head -c 3 "$T/w.csv" | od -An -tx1 | tr -d ' \n')"
"$BIN" audit show --db "$T/d.db" > "$T/audit.csv"
expect_grep "assessment reads audited" 'Initialbewertung' "$T/audit.csv"
expect_grep "worklist reads audited" 'Arbeitsliste Initialbewertung' "$T/audit.csv"
finish
