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
finish
