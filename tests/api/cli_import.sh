#!/bin/sh
# Import of a register CSV with broken rows: what is kept, what is reported,
# exit codes, export round trip, Excel export, empty and header-only files.
. "$(dirname "$0")/lib.sh"
T_DB=$(new_db t)
T2_DB=$(new_db t2)
A_DB=$(new_db a)
N_DB=$(new_db n)
DEMO_DB=$(new_db demo)
X1_DB=$(new_db x1)
RJ_DB=$(new_db rj)

printf '\357\273\277record_id,azr_nr,family_name,given_names,sex,birth_date,nationality,aliases\r\n' > "$T/p.csv"
printf 'A1,123456789012,Müller,Hans Peter,m,1990-00-00,DEU,Mueller|Hans\r\n' >> "$T/p.csv"
printf 'A2,,"Al-Hassan, Jr","Mohammed\nAli",m,1985-01-01,SYR;TUR,\r\n' >> "$T/p.csv"
printf 'A3,12,Bad,Azr,m,,,\r\n' >> "$T/p.csv"
printf 'A1,,Dup,X,f,,,\r\n' >> "$T/p.csv"
printf 'A4,,Bad\377,X,f,,,\r\n' >> "$T/p.csv"
printf 'A5,,Date,X,f,1990-02-30,,\r\n' >> "$T/p.csv"
printf 'A6,,Short\r\n' >> "$T/p.csv"
printf 'A7,,"=cmd()",Y,x,1999-07-00,XKX,\r\n' >> "$T/p.csv"

# a register with the demo's authorities and accounts but no persons: the
# rows go to abh.sb's authority, and export acts as abh.sb (docs/access.md)
"$BIN" demo --persons 0 --db "$T_DB" > /dev/null 2>&1
"$BIN" import persons "$T/p.csv" --db "$T_DB" --authority ABH-48143 --rejected "$T/rej.csv" 2> "$T/err.txt"
expect_eq "exit code with rejected rows" 3 $?
expect_grep "bad azr" 'p.csv:5: Feld azr_nr' "$T/err.txt"
expect_grep "duplicate in file" "p.csv:6: Feld record_id: 'A1' kommt in der Datei mehrfach vor" "$T/err.txt"
expect_grep "bad utf8" 'p.csv:7: Feld family_name: ungültiges UTF-8' "$T/err.txt"
expect_grep "bad date" 'p.csv:8: Feld birth_date' "$T/err.txt"
expect_grep "short row" 'p.csv:9: 3 Felder statt 8' "$T/err.txt"
# line numbers are physical lines: the quoted line break in A2 shifts them
expect_grep "summary" '8 Zeilen gelesen, 3 übernommen, 5 abgewiesen' "$T/err.txt"
expect_eq "rejected.csv rows" 6 "$(wc -l < "$T/rej.csv")"

"$BIN" export persons --user abh.sb --db "$T_DB" --out "$T/out.csv" 2> /dev/null
expect_eq "export exit" 0 $?
expect_eq "exported rows" 5 "$(wc -l < "$T/out.csv")" # header + 3 rows, one with a newline
# another authority's official sees none of them; an export without an
# account is refused
"$BIN" export persons --user abh.sb2 --db "$T_DB" --out "$T/other.csv" 2> /dev/null
expect_eq "other authority: header only" 1 "$(wc -l < "$T/other.csv")"
"$BIN" export persons --db "$T_DB" --out "$T/none.csv" 2> "$T/err-u.txt"
expect_eq "export without --user refused" 1 $?
expect_grep "export without --user: German message" 'user KENNUNG fehlt' "$T/err-u.txt"
if [ -e "$T/none.csv" ]; then bad "export without --user wrote a file"; else ok; fi
"$BIN" demo --persons 0 --db "$T2_DB" > /dev/null 2>&1
"$BIN" import persons "$T/out.csv" --db "$T2_DB" 2> /dev/null
expect_eq "re-import exit" 0 $?
"$BIN" export persons --user abh.sb --db "$T2_DB" --out "$T/out2.csv" 2> /dev/null
if cmp -s "$T/out.csv" "$T/out2.csv"; then ok; else bad "round trip differs"; fi

"$BIN" export persons --user abh.sb --db "$T_DB" --excel --out "$T/x.csv" 2> /dev/null
expect_eq "excel bom" "efbbbf" "$(head -c 3 "$T/x.csv" | od -An -tx1 | tr -d ' \n')"
expect_grep "excel delimiter" 'record_id;azr_nr' "$T/x.csv"
expect_grep "formula guard" "\"'=cmd()\"" "$T/x.csv"

: > "$T/empty.csv"
"$BIN" import persons "$T/empty.csv" --db "$T_DB" 2> "$T/err2.txt"
expect_eq "empty file exit" 1 $?
expect_grep "empty message" 'leer' "$T/err2.txt"
printf 'record_id,family_name\n' > "$T/header.csv"
"$BIN" import persons "$T/header.csv" --db "$T_DB" 2> "$T/err-h.txt"
expect_eq "header-only exit" 1 $?
expect_grep "header-only message" 'header.csv: keine Datensätze' "$T/err-h.txt"
printf 'family_name\nX\n' > "$T/nokey.csv"
"$BIN" import persons "$T/nokey.csv" --db "$T_DB" 2> "$T/err3.txt"
expect_eq "missing record_id exit" 1 $?
expect_grep "missing column named" 'record_id fehlt' "$T/err3.txt"
"$BIN" import persons "$T/missing.csv" --db "$T_DB" 2> /dev/null
expect_eq "missing file exit" 1 $?
NODB=$(missing_db nodb)
"$BIN" import persons "$T/p.csv" --db "$NODB" 2> "$T/err4.txt"
expect_eq "missing db exit" 1 $?
if on_pg; then
    # the administrator creates a PostgreSQL database; the error names it
    expect_grep "missing database named" "$(pg_db_name "$NODB")" "$T/err4.txt"
else
    expect_grep "init hint" 'fallnetz init' "$T/err4.txt"
fi
"$BIN" import --bogus 2> /dev/null
expect_eq "usage exit" 2 $?

# a record_id already in the database is named as such
printf 'record_id,family_name\nA1,Wieder\nA9,Neu\n' > "$T/again.csv"
"$BIN" import persons "$T/again.csv" --db "$T_DB" 2> "$T/err7.txt"
expect_eq "re-import exit" 3 $?
expect_grep "duplicate in db" "again.csv:2: Feld record_id: 'A1' ist schon in der Datenbank" "$T/err7.txt"

# --authority fills rows without an authority of their own
printf 'record_id,family_name,authority\nB1,Ohne,\nB2,Mit,ABH-K\n' > "$T/auth.csv"
"$BIN" demo --persons 0 --db "$A_DB" > /dev/null 2>&1
"$BIN" import persons "$T/auth.csv" --db "$A_DB" --authority ABH-BN 2> "$T/err5.txt"
expect_eq "authority import exit" 0 $?
expect_grep "unknown authority warned" "ABH-BN" "$T/err5.txt"
# persons of no known authority: no official's scope reaches them
expect_eq "default authority applied" "ABH-BN" "$(db_query "$A_DB" "SELECT authority_code FROM person WHERE record_id = 'B1'")"
expect_eq "own authority kept" "ABH-K" "$(db_query "$A_DB" "SELECT authority_code FROM person WHERE record_id = 'B2'")"
"$BIN" export persons --user j.hoffmann --db "$A_DB" --out "$T/auth-out.csv" 2> /dev/null
expect_eq "unassigned persons in no region's export" 1 "$(wc -l < "$T/auth-out.csv")"
"$BIN" import persons "$T/auth.csv" --db "$A_DB" --authority "" 2> /dev/null
expect_eq "empty authority is a usage error" 2 $?

# audit trail for the data protection officer: German headers, Excel CSV
"$BIN" audit show --user dsb --db "$A_DB" --excel --out "$T/audit.csv"
expect_eq "audit show exit" 0 $?
expect_eq "audit show bom" "efbbbf" "$(head -c 3 "$T/audit.csv" | od -An -tx1 | tr -d ' \n')"
expect_grep "audit show german header" 'Nr;Zeitpunkt (UTC);Kennung' "$T/audit.csv"
expect_grep "audit show import row" 'collect;person;1-2' "$T/audit.csv"
expect_grep "import recorded as a system job" ';system:import (' "$T/audit.csv"
"$BIN" audit show --user dsb --db "$A_DB" --person 1 > "$T/audit1.csv"
expect_grep "audit show: import of person 1" 'collect,person,1-2' "$T/audit1.csv"
"$BIN" audit show --user abh.sb --db "$A_DB" > /dev/null 2> "$T/err-a.txt"
expect_eq "audit show by a case worker refused" 1 $?
expect_grep "refusal names the roles" 'keine Berechtigung.*sachbearbeitung' "$T/err-a.txt"
"$BIN" audit show --user dsb --db "$A_DB" --since 2026-13-01 2> /dev/null
expect_eq "bad since date" 2 $?
"$BIN" audit prune --user dsb --db "$A_DB" --before "$(date -u +%Y)" 2> "$T/err6.txt"
expect_eq "prune of a year not yet due refused" 1 $?
expect_grep "prune refusal explained" '76 Abs. 4' "$T/err6.txt"
"$BIN" audit prune --user dsb --db "$A_DB" --before 2000 > "$T/prune.txt"
expect_eq "prune exit" 0 $?
expect_grep "prune count" '^0 Protokollzeilen' "$T/prune.txt"
"$BIN" audit verify --db "$A_DB" > /dev/null
expect_eq "verify after prune" 0 $?

"$BIN" audit verify --db "$T_DB" > "$T/verify.txt"
expect_eq "audit verify exit" 0 $?
if db_query "$T_DB" "UPDATE audit_log SET login='x' WHERE seq=1" > /dev/null 2>&1; then
    bad "audit trail append-only: update was accepted"
else ok; fi
db_force "$T_DB" audit_log "UPDATE audit_log SET login='x' WHERE seq=1"
"$BIN" audit verify --db "$T_DB" > "$T/verify2.txt"
expect_eq "tampered verify exit" 1 $?
expect_grep "tampered row named" 'Zeile 1 verändert' "$T/verify2.txt"
# issue 10 item 5: no final newline and an empty last field keeps the last record
printf 'record_id,family_name,aliases\nR1,Alpha,\nR2,Beta,' > "$T/nonl.csv"
"$BIN" init --db "$N_DB" > /dev/null
"$BIN" import persons "$T/nonl.csv" --db "$N_DB" 2> "$T/err-n.txt"
expect_eq "no final newline exit" 0 $?
expect_grep "no final newline: both rows" '2 Zeilen gelesen, 2 übernommen, 0 abgewiesen' "$T/err-n.txt"
expect_eq "no final newline: R2 stored" "Beta" "$(db_query "$N_DB" "SELECT family_name FROM person WHERE record_id = 'R2'")"
printf 'record_id,family_name\nR3,Gamma\nR4,' > "$T/nonl2.csv"
"$BIN" import persons "$T/nonl2.csv" --db "$N_DB" 2> "$T/err-n2.txt"
expect_eq "empty last field at EOF exit" 0 $?
expect_grep "empty last field at EOF: both rows" '2 Zeilen gelesen, 2 übernommen, 0 abgewiesen' "$T/err-n2.txt"

# issue 10 item 11: CR-only line ends (old Mac exports) are line ends
printf 'record_id,family_name\rM1,Mac\rM2,Classic\r' > "$T/cr.csv"
"$BIN" import persons "$T/cr.csv" --db "$N_DB" 2> "$T/err-cr.txt"
expect_eq "CR-only exit" 0 $?
expect_grep "CR-only rows" '2 Zeilen gelesen, 2 übernommen, 0 abgewiesen' "$T/err-cr.txt"
# every record rejected: nothing imported is an error, never exit 0
printf 'record_id,family_name\nM1,Again\n' > "$T/allbad.csv"
"$BIN" import persons "$T/allbad.csv" --db "$N_DB" 2> "$T/err-ab.txt"
expect_eq "all rejected exit" 1 $?
expect_grep "all rejected message" 'keine Datensätze übernommen' "$T/err-ab.txt"

# issue 10 item 12: export --excel reads back (';', BOM, CRLF, formula guard)
"$BIN" demo --db "$DEMO_DB" --persons 60 --seed 3 > /dev/null 2>&1
"$BIN" export persons --user j.hoffmann --db "$DEMO_DB" --excel --out "$T/demo-x.csv" 2> /dev/null
N_EX=$(($(wc -l < "$T/demo-x.csv") - 1))
sed -i '2s/^\([^;]*\);\([^;]*\);[^;]*;/\1;\2;"'"'"'=HYPERLINK(1)";/' "$T/demo-x.csv"
"$BIN" demo --persons 0 --db "$X1_DB" > /dev/null 2>&1
"$BIN" import persons "$T/demo-x.csv" --db "$X1_DB" 2> "$T/err-x.txt"
expect_eq "excel re-import exit" 0 $?
expect_grep "excel re-import all rows" "$N_EX Zeilen gelesen, $N_EX übernommen, 0 abgewiesen" "$T/err-x.txt"
expect_eq "formula guard undone" "=HYPERLINK(1)" "$(db_query "$X1_DB" "SELECT family_name FROM person ORDER BY id LIMIT 1")"
"$BIN" export persons --user j.hoffmann --db "$X1_DB" --excel --out "$T/demo-x2.csv" 2> /dev/null
if cmp -s "$T/demo-x.csv" "$T/demo-x2.csv"; then ok; else bad "excel round trip differs"; diff "$T/demo-x.csv" "$T/demo-x2.csv" | head -5; fi

# issue 10 item 13: --rejected holds the rows with their reason and re-imports
printf 'record_id,azr_nr,family_name,birth_date\nG1,,Gut,1990-01-01\nB1,,Bad,1990-02-30\n"B2,,"x"y,1990-01-01\nB3,,Short\nG2,,"Komma, Name",\n' > "$T/rj.csv"
"$BIN" init --db "$RJ_DB" > /dev/null
"$BIN" import persons "$T/rj.csv" --db "$RJ_DB" --rejected "$T/rj-out.csv" 2> /dev/null
expect_eq "rejected import exit" 3 $?
expect_eq "rejected header" "record_id,azr_nr,family_name,birth_date,fehler" "$(head -1 "$T/rj-out.csv")"
expect_grep "rejected row with reason" '^B1,,Bad,1990-02-30,[^,]*/rj.csv:3: Feld birth_date' "$T/rj-out.csv"
expect_grep "unparsable row kept as text" '^"""B2,,""x""y,1990-01-01",,,,[^,]*/rj.csv:4: Text nach' "$T/rj-out.csv"
expect_grep "short row kept as text" '^"B3,,Short",,,,[^,]*/rj.csv:5: 3 Felder statt 4' "$T/rj-out.csv"
expect_eq "rejected rows" 4 "$(wc -l < "$T/rj-out.csv")"
# fix the rows in the rejected file and import it again: the fehler column is ignored
printf 'record_id,azr_nr,family_name,birth_date,fehler\nB1,,Bad,1990-02-28,x\nB2,,xy,1990-01-01,x\nB3,,Short,,x\n' > "$T/rj-fixed.csv"
"$BIN" import persons "$T/rj-fixed.csv" --db "$RJ_DB" 2> "$T/err-rjf.txt"
expect_eq "fixed rows import" 0 $?
if grep -q 'unbekannte Spalte' "$T/err-rjf.txt"; then bad "fehler column warned about"; else ok; fi
"$BIN" import persons "$T/rj-out.csv" --db "$RJ_DB" 2> "$T/err-rj2.txt"
expect_grep "unfixed rejected file re-reports" 'rj-out.csv:2: Feld birth_date' "$T/err-rj2.txt"
# reconcile reads register files with the same reader: the last record of a
# file without a final newline counts, and ';' files are read
printf 'record_id,family_name,given_names,birth_date,aliases\nR1,Alpha,A,1990-01-01,\nR2,Beta,B,1991-01-01,' > "$T/rl.csv"
printf 'record_id;family_name;given_names;birth_date;aliases\r\nZ1;Alpha;A;1990-01-01;\r\nZ2;Beta;B;1991-01-01;' > "$T/rz.csv"
"$BIN" reconcile "$T/rl.csv" "$T/rz.csv" --out "$T/rec" > /dev/null 2>&1
expect_eq "reconcile exit" 0 $?
expect_eq "reconcile: both records matched" 3 "$(wc -l < "$T/rec/matches.csv")"
expect_eq "reconcile: nothing rejected" 1 "$(wc -l < "$T/rec/rejected.csv")"
finish
