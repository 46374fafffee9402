#!/bin/sh
# `fallnetz fact` (issue 13): record, correct, withdraw and history from the
# command line as a named account, with the same checks and scope as the
# API: a bad field is a usage error naming the field, koordination and
# another authority are refused, a correction keeps the old row, a
# withdrawal keeps the row, and the audit trail names each step.
. "$(dirname "$0")/lib.sh"
DB=$(new_db factscli)
"$BIN" demo --db "$DB" --persons 30 --seed 5 > /dev/null 2>&1
expect_eq "demo exit" 0 $?
P=$(own_person "$DB" abh.sb)
fact() { "$BIN" fact "$@" --db "$DB" > "$T/out.txt" 2> "$T/err.txt"; }
CONV='court=Amtsgericht-Münster file_number=12-Ls-34/25 sentence=freiheitsstrafe sentence_months=24 intentional=ja final_date=2025-03-01 source_kind=dokument'

expect_eq "help" 0 "$("$BIN" fact --help > "$T/help.txt"; echo $?)"
expect_grep "help in German" "Erfasst Tatsachen" "$T/help.txt"
fact fields verurteilung
expect_grep "fields of a conviction" "court file_number offences" "$T/out.txt"
# shellcheck disable=SC2086 # CONV is split into NAME=WERT arguments on purpose
fact record "$P" verurteilung $CONV "offences=§ 224 StGB" source_ref=Urteil --user abh.sb
expect_eq "record" 0 $?
expect_grep "record names the fact" "Erfasst: strafverfahren-" "$T/out.txt"
ID=$(sed -n 's/^Erfasst: \(strafverfahren-[0-9]*\).*/\1/p' "$T/out.txt")
# shellcheck disable=SC2086
fact record "$P" verurteilung $CONV "offences=Körperverletzung" source_ref=Urteil --user abh.sb
expect_eq "bad norm: usage error" 2 $?
expect_grep "bad norm: the field named" "Feld „offences“" "$T/err.txt"
fact record "$P" haft custody=strafhaft start=2025-01-01 --user abh.sb
expect_eq "no source: usage error" 2 $?
expect_grep "no source: the field named" "Feld „source_kind“" "$T/err.txt"
fact record "$P" haft custody=strafhaft start=2025-01-01 source_kind=mitteilung source_ref=JVA --user j.hoffmann
expect_eq "koordination refused" 1 $?
expect_grep "koordination: German refusal" "keine Berechtigung" "$T/err.txt"
fact record "$P" haft custody=strafhaft start=2025-01-01 source_kind=mitteilung source_ref=JVA --user abh.sb2
expect_eq "another authority: not found" 1 $?
expect_eq "refusals wrote nothing" 0 "$(db_query "$DB" "SELECT count(*) FROM custody WHERE person_id = $P AND recorded_by IS NOT NULL")"

# shellcheck disable=SC2086
fact correct "$P" "$ID" verurteilung $CONV "offences=§ 223 StGB" source_ref=Urteil --user abh.sb
expect_eq "correct without reason" 2 $?
# shellcheck disable=SC2086
fact correct "$P" "$ID" verurteilung $CONV "offences=§ 223 StGB" source_ref=Urteil --reason "Norm verwechselt" --user abh.sb
expect_eq "correct" 0 $?
NEW=$(sed -n 's/.*ersetzt durch \(strafverfahren-[0-9]*\).*/\1/p' "$T/out.txt")
# shellcheck disable=SC2086
fact correct "$P" "$ID" verurteilung $CONV "offences=§ 223 StGB" source_ref=Urteil --reason "nochmal" --user abh.sb
expect_eq "correct the superseded one" 1 $?
expect_grep "says it is corrected already" "bereits berichtigt" "$T/err.txt"
fact withdraw "$P" "$NEW" --reason "Person verwechselt" --user abh.sb
expect_eq "withdraw" 0 $?
fact history "$P" --user abh.sb
expect_eq "history" 0 $?
expect_grep "history: corrected row" "$ID  Verurteilung  berichtigt" "$T/out.txt"
expect_grep "history: withdrawn row" "$NEW  Verurteilung  zurueckgezogen" "$T/out.txt"
expect_grep "history: reason" "Person verwechselt" "$T/out.txt"
expect_grep "history: recorder" "erfasst von abh.sb" "$T/out.txt"
expect_eq "both rows kept" 2 "$(db_query "$DB" "SELECT count(*) FROM proceeding WHERE person_id = $P AND recorded_by = 'abh.sb'")"
expect_eq "audit: record, correction, withdrawal" 3 "$(db_query "$DB" "SELECT count(*) FROM audit_log WHERE record_ids = '$P' AND login = 'abh.sb' AND details LIKE '%\"fakt\":\"strafverfahren\"%'")"

# import facts: good rows recorded together, bad rows reported with line and
# field, counted, written to --rejected (re-importable), nothing guessed
KEY=$(db_query "$DB" "SELECT record_id FROM person WHERE id = $P")
cat > "$T/facts.csv" << EOF
record_id,kind,status,enforceable_since,custody,start,planned_release,court,file_number,offences,sentence,sentence_months,intentional,final_date,source_kind,source_ref
$KEY,aufenthaltsstatus,ausreisepflichtig,2025-12-01,,,,,,,,,,,register,AZR-Auszug
$KEY,haft,,,strafhaft,2025-01-10,2027-01-10,,,,,,,,mitteilung,JVA Münster
$KEY,haft,,,strafhaft,2025-01-10,2024-01-10,,,,,,,,mitteilung,JVA Münster
UNBEKANNT-1,haft,,,strafhaft,2025-01-10,,,,,,,,,mitteilung,JVA
$KEY,verurteilung,,,,,,AG Köln,3 Ls 1/24,§ 242 StGB,geldstrafe,,ja,2024-05-01,register,BZR
$KEY,verurteilung,,,,,,AG Köln,3 Ls 2/24,Diebstahl,geldstrafe,,ja,2024-05-01,register,BZR
$KEY,strafe,,,,,,,,,,,,,register,BZR
$KEY,haft,,,strafhaft
EOF
"$BIN" import facts "$T/facts.csv" --db "$DB" --rejected "$T/rej.csv" > "$T/out.txt" 2> "$T/err.txt"
expect_eq "import facts: partial (exit 3)" 3 $?
expect_grep "counted" "8 Zeilen gelesen, 3 gespeichert, 5 abgewiesen" "$T/err.txt"
expect_grep "period: line and field" "facts.csv:4: Feld „planned_release“" "$T/err.txt"
expect_grep "unknown person: line and field" "facts.csv:5: Feld record_id" "$T/err.txt"
expect_grep "bad norm: line and field" "facts.csv:7: Feld „offences“" "$T/err.txt"
expect_grep "bad kind: line and field" "facts.csv:8: Feld kind" "$T/err.txt"
expect_grep "short row" "facts.csv:9: 5 Felder statt 16" "$T/err.txt"
expect_eq "rejected file: header and five rows" 6 "$(wc -l < "$T/rej.csv")"
expect_grep "rejected file: reason column" "fehler" "$T/rej.csv"
expect_eq "recorded with source" 1 "$(db_query "$DB" "SELECT count(*) FROM custody WHERE person_id = $P AND source_ref = 'JVA Münster' AND recorded_by LIKE 'system:import%'")"
expect_eq "audited as collect" 3 "$(db_query "$DB" "SELECT count(*) FROM audit_log WHERE record_ids = '$P' AND kind = 'collect' AND login LIKE 'system:import%'")"
printf 'record_id,kind,wohnort\n%s,haft,x\n' "$KEY" > "$T/bad.csv"
"$BIN" import facts "$T/bad.csv" --db "$DB" > "$T/out.txt" 2> "$T/err.txt"
expect_eq "unknown column: nothing imported" 1 $?
expect_grep "unknown column named" "wohnort" "$T/err.txt"
printf 'record_id,kind,custody,start,source_kind,source_ref\n%s,haft,strafhaft,2099-01-01,register,x\n' "$KEY" > "$T/none.csv"
"$BIN" import facts "$T/none.csv" --db "$DB" > "$T/out.txt" 2> "$T/err.txt"
expect_eq "every row rejected: exit 1" 1 $?
finish
