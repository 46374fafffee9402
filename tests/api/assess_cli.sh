#!/bin/sh
# catalog check/show, assess --explain and worklist against demo data; a
# catalogue with a protected characteristic is refused with file and line.
. "$(dirname "$0")/lib.sh"
CAT="$FALLNETZ_SOURCE_ROOT/catalog/initialbewertung.cat"
DB=$(new_db d)

"$BIN" catalog check "$CAT" > "$T/check.txt"
expect_eq "shipped catalogue passes" 0 $?
expect_grep "hash shown" 'SHA-256' "$T/check.txt"
"$BIN" catalog show "$CAT" > "$T/show.txt"
expect_grep "unverified marked" 'NICHT gegen den geltenden Text' "$T/show.txt"

sed 's/^wenn: hoechste_strafe_monate >= 24 oder sicherungsverwahrung = ja$/wenn: staatsangehoerigkeit = ja/' "$CAT" > "$T/bad.cat"
"$BIN" catalog check "$T/bad.cat" 2> "$T/bad.txt"
expect_eq "protected characteristic refused" 1 $?
expect_grep "file, line and reason" 'bad.cat:[0-9]*: Tatsache .staatsangehoerigkeit. abgelehnt' "$T/bad.txt"
# a second wenn: in one rule was merged into the first; text after a NUL was
# ignored: both are refused with file and line
LN=$(grep -n '^wenn: hoechste_strafe_monate >= 24 oder sicherungsverwahrung = ja$' "$CAT" | cut -d: -f1)
sed "${LN}a wenn: sicherungsverwahrung = ja" "$CAT" > "$T/twice.cat"
"$BIN" catalog check "$T/twice.cat" 2> "$T/twice.txt"
expect_eq "second wenn refused" 1 $?
expect_grep "second wenn: file and line" "twice.cat:$((LN + 1)): 'wenn' doppelt in Regel .* (zuerst Zeile $LN)" "$T/twice.txt"
{ printf '# Kommentar\000 versteckt\n'; cat "$CAT"; } > "$T/nul.cat"
"$BIN" catalog check "$T/nul.cat" 2> "$T/nul.txt"
expect_eq "NUL byte refused" 1 $?
expect_grep "NUL byte: file and line" 'nul.cat:1: NUL-Byte' "$T/nul.txt"

"$BIN" demo --db "$DB" --persons 150 --seed 9 > /dev/null 2>&1
# the CLI acts as a demo account: j.hoffmann coordinates at RRK-MS and sees
# the persons of every authority of the Münster region (docs/access.md)
RRK=$(db_query "$DB" "SELECT id FROM organisation WHERE code = 'RRK-MS'")
IN_MS="authority_id IN (SELECT id FROM organisation WHERE region_id = (SELECT region_id FROM organisation WHERE id = $RRK))"
N_MS=$(db_query "$DB" "SELECT count(*) FROM person WHERE $IN_MS")
P3=$(db_query "$DB" "SELECT min(id) FROM person WHERE $IN_MS")
"$BIN" assess "$P3" --user j.hoffmann --db "$DB" --catalog "$CAT" --today 2026-03-01 --explain > "$T/a.txt"
expect_eq "assess exit" 0 $?
expect_grep "bands shown" 'Prioritätsband' "$T/a.txt"
expect_grep "no decision" 'Entscheidungen trifft eine' "$T/a.txt"
expect_grep "explanation has legal basis" 'AufenthG' "$T/a.txt"
"$BIN" assess 99999 --user j.hoffmann --db "$DB" --catalog "$CAT" 2> /dev/null
expect_eq "unknown person" 1 $?
# the RRK's worklist holds every person of its region (was: 0 persons)
"$BIN" worklist --authority "$RRK" --user j.hoffmann --db "$DB" --catalog "$CAT" --today 2026-03-01 > "$T/w.txt"
expect_eq "worklist exit" 0 $?
expect_grep "worklist header: the RRK's region" "Arbeitsliste Behörde $RRK .*($N_MS Personen)" "$T/w.txt"
if [ "$N_MS" -gt 0 ]; then ok; else bad "no person in the Münster region"; fi
"$BIN" worklist --authority "$RRK" --user j.hoffmann --db "$DB" --catalog "$CAT" --csv "$T/w.csv" --excel
expect_eq "excel bom" "efbbbf" "$(head -c 3 "$T/w.csv" | od -An -tx1 | tr -d ' \n')"
"$BIN" audit show --user dsb --db "$DB" > "$T/audit.csv"
expect_grep "assessment reads audited" 'Initialbewertung' "$T/audit.csv"
expect_grep "worklist reads audited" 'Arbeitsliste Initialbewertung' "$T/audit.csv"

# people decide: a gate override needs a second person; overrides are recorded;
# no case status changes
ID=$(db_query "$DB" "SELECT id FROM person WHERE $IN_MS AND id NOT IN (SELECT person_id FROM residence_status WHERE enforceable_since IS NOT NULL) LIMIT 1")
CASES_BEFORE=$(db_query "$DB" "SELECT id || status FROM case_file ORDER BY id")
"$BIN" decide "$ID" --accept --reason "Fallkonferenz hat Aufnahme empfohlen" --user j.hoffmann --db "$DB" 2> "$T/d1.txt"
expect_eq "gate override without second person refused" 1 $?
expect_grep "second person named" 'zweite Person' "$T/d1.txt"
expect_eq "nothing stored" 0 "$(db_query "$DB" "SELECT count(*) FROM decision")"
"$BIN" decide "$ID" --accept --reason "Fallkonferenz hat Aufnahme empfohlen" --user j.hoffmann --second-user abh.sb --db "$DB" > "$T/d2.txt"
expect_eq "override with second person" 0 $?
expect_grep "override recorded" 'Aufnahme trotz Sperre' "$T/d2.txt"
expect_eq "override stored" "j.hoffmann|abh.sb|aufnehmen" "$(db_query "$DB" "SELECT login, second_login, outcome FROM decision WHERE override_kind LIKE 'Aufnahme trotz Sperre%'")"
expect_eq "assessment kept with trace" 1 "$(db_query "$DB" "SELECT count(*) FROM assessment WHERE trace LIKE '%tatsachen%'")"
"$BIN" decide "$ID" --decline --reason "kurz" --db "$DB" 2> /dev/null
expect_eq "short reason refused" 2 $?
# blanks, NBSPs and line breaks are no reason (one check for CLI and API)
"$BIN" decide "$ID" --decline --reason "          " --db "$DB" 2> "$T/blank.txt"
expect_eq "ten blanks refused" 2 $?
expect_grep "ten blanks: German message" 'Begründung (mindestens 10 Zeichen ohne Leerzeichen' "$T/blank.txt"
"$BIN" decide "$ID" --decline --reason "$(printf '\302\240%.0s' 1 2 3 4 5 6 7 8 9 10 11 12)" --db "$DB" 2> "$T/nbsp.txt"
expect_eq "twelve NBSPs refused" 2 $?
"$BIN" decide "$ID" --decline --reason "abc def ghi         " --db "$DB" 2> "$T/nine.txt"
expect_eq "nine letters and blanks refused" 2 $?
expect_grep "nine letters: German message" 'zu kurz' "$T/nine.txt"
expect_eq "nothing stored for blank reasons" 1 "$(db_query "$DB" "SELECT count(*) FROM decision")"
expect_eq "case status untouched" "$CASES_BEFORE" "$(db_query "$DB" "SELECT id || status FROM case_file ORDER BY id")"
if db_query "$DB" "UPDATE decision SET reason = 'x'" 2> /dev/null; then
    bad "decisions append-only: update was accepted"
else
    ok
fi
"$BIN" assess --all --threads 1 --user j.hoffmann --db "$DB" --catalog "$CAT" --today 2026-03-01 > "$T/t1.txt"
"$BIN" assess --all --threads 2 --user j.hoffmann --db "$DB" --catalog "$CAT" --today 2026-03-01 > "$T/t2.txt"
if cmp -s "$T/t1.txt" "$T/t2.txt" && [ -s "$T/t1.txt" ]; then ok; else bad "1 and 2 threads differ"; fi
"$BIN" assess --all --store --user j.hoffmann --db "$DB" --catalog "$CAT" --today 2026-03-01 > "$T/all1.txt"
expect_eq "assess --all exit" 0 $?
expect_grep "all persons of the region assessed" "^$N_MS Personen bewertet" "$T/all1.txt"
"$BIN" assess --all --store --user j.hoffmann --db "$DB" --catalog "$CAT" --today 2026-03-01 > "$T/all2.txt"
expect_grep "unchanged assessments not stored twice" '0 geänderte Bewertungen gespeichert' "$T/all2.txt"
# a changed fact is re-assessed: by assess --due and by the server in the background
BEFORE=$(db_query "$DB" "SELECT count(*) FROM assessment WHERE person_id = 9")
db_query "$DB" "INSERT INTO finding (person_id, kind) VALUES (9, 'sicherheitsgrund')"
"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --reassess-interval 1 \
    --port-file "$T/rport" > /dev/null 2>&1 &
SERVER_PID=$!
i=0
while [ "$(db_query "$DB" "SELECT count(*) FROM assessment WHERE person_id = 9")" = "$BEFORE" ] && [ $i -lt 60 ]; do
    sleep 0.1; i=$((i + 1))
done
wait_port "$T/rport"
RP=$(cat "$T/rport")
CSRF=$(login "http://127.0.0.1:$RP" k.wagner "$(demo_password "$DB" k.wagner)" "$T/jar")
[ -n "$CSRF" ] && ok || bad "demo login k.wagner failed: $(cat "$T/login.out")"
post_decision() {
    curl -s -o "$T/r.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        -b "$T/jar" -H "X-CSRF-Token: $CSRF" --data "$1" "http://127.0.0.1:$RP/api/v1/decisions"
}
DECISIONS_BEFORE=$(db_query "$DB" "SELECT count(*) FROM decision")
expect_eq "API: blank reason is 400" 400 "$(post_decision '{"person_id":21,"entscheidung":"ablehnen","begruendung":"          ","kennung":"k.wagner"}')"
expect_grep "API: German message" 'Begründung (mindestens 10 Zeichen ohne Leerzeichen' "$T/r.json"
expect_eq "API: NBSP and newlines are 400" 400 "$(post_decision '{"person_id":21,"entscheidung":"ablehnen","begruendung":"\u00a0\u00a0\u3000\n\n\t\u2003\u200b\u00a0\u00a0\u00a0","kennung":"k.wagner"}')"
expect_eq "API: control character is 400" 400 "$(post_decision '{"person_id":21,"entscheidung":"ablehnen","begruendung":"Fallkonferenz \u001b[2J empfohlen","kennung":"k.wagner"}')"
expect_eq "API: nothing stored" "$DECISIONS_BEFORE" "$(db_query "$DB" "SELECT count(*) FROM decision")"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=
AFTER=$(db_query "$DB" "SELECT count(*) FROM assessment WHERE person_id = 9")
if [ "$AFTER" -gt "$BEFORE" ]; then ok; else bad "server did not re-assess the changed person ($BEFORE -> $AFTER)"; fi
db_query "$DB" "UPDATE residence_status SET legal_basis = 'geändert' WHERE person_id = 11"
"$BIN" assess --due --db "$DB" --catalog "$CAT" > "$T/due.txt"
expect_grep "assess --due takes the queue" 'neu bewertet' "$T/due.txt"
"$BIN" evaluate --out "$T/rep" --user j.hoffmann --db "$DB" > "$T/ev.txt"
expect_eq "evaluate exit" 0 $?
expect_grep "kappa reported" 'Kappa' "$T/ev.txt"
expect_grep "html report" 'Untergruppenprüfung' "$T/rep/report.html"
expect_grep "json report" '"kappa"' "$T/rep/report.json"
expect_grep "override reasons listed" 'Fallkonferenz hat Aufnahme empfohlen' "$T/rep/report.html"
sed 's/^band_a_ab: 40/band_a_ab: 500/; s/^version: .*/version: alt/' "$CAT" > "$T/old.cat"
"$BIN" evaluate --out "$T/rep2" --user j.hoffmann --db "$DB" --compare "$T/old.cat" --catalog "$CAT" > /dev/null
expect_eq "compare exit" 0 $?
expect_grep "comparison in html" 'Katalogvergleich' "$T/rep2/report.html"
if python3 -c "import json,sys; c=json.load(open('$T/rep2/report.json'))['katalogvergleich']; sys.exit(0 if c['personen'] == $N_MS and len(c['aenderungen']) > 0 else 1)"; then ok; else bad "comparison lists changed persons"; fi
"$BIN" audit show --user dsb --db "$DB" --person "$ID" > "$T/da.csv"
expect_grep "decision audited" 'Aufnahme trotz Sperre' "$T/da.csv"
finish
