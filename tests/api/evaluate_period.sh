#!/bin/sh
# evaluate (issue 13): one decision per person and period (the latest, the
# earlier ones as history), grouped by catalogue hash; --from --to --region
# with German errors; small cells suppressed; band against case outcome
# with and without outcome data; statistik may run it, zab may not; the
# same report through GET /api/v1/evaluation (JSON and CSV).
. "$(dirname "$0")/lib.sh"
CAT="$FALLNETZ_SOURCE_ROOT/catalog/initialbewertung.cat"
DB=$(new_db d)
"$BIN" demo --db "$DB" --persons 80 --seed 9 > /dev/null 2>&1
"$BIN" assess --all --store --user j.hoffmann --db "$DB" --catalog "$CAT" --today 2026-03-01 > /dev/null
IN_MS="authority_id IN (SELECT id FROM organisation WHERE region_id = (SELECT id FROM region WHERE code = 'MS'))"
IDS=$(db_query "$DB" "SELECT id FROM person WHERE $IN_MS ORDER BY id LIMIT 5")
expect_eq "five persons in MS" 5 "$(echo $IDS | wc -w)"
OTHER=$(db_query "$DB" "SELECT min(id) FROM person WHERE NOT ($IN_MS)")
# Every decision gets its own date (direct rows: the write path stamps now).
# The five MS persons: declined in January on catalogue "alt", accepted in
# February on catalogue "neu"; one person of another region in February.
assessment() { # PERSON AT HASH VERSION: a stored assessment, prints its id
    db_query "$DB" "INSERT INTO assessment (person_id, at, catalog_version, catalog_hash, blocked, band, points, feasibility, trace, digest) VALUES ($1, '$2', '$4', '$3', 0, 'A', 50, 'hoch', '{}', 'x')" > /dev/null
    db_query "$DB" "SELECT max(id) FROM assessment WHERE person_id = $1"
}
decision() { # PERSON ASSESSMENT AT OUTCOME
    db_query "$DB" "INSERT INTO decision (person_id, assessment_id, at, login, outcome, reason) VALUES ($1, $2, '$3', 'j.hoffmann', '$4', 'Fallkonferenz hat beraten')"
}
OLD=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
NEW=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
for id in $IDS; do
    decision "$id" "$(assessment "$id" 2026-01-05T09:00:00Z $OLD alt)" 2026-01-10T10:00:00Z ablehnen
    decision "$id" "$(assessment "$id" 2026-02-05T09:00:00Z $NEW neu)" 2026-02-10T10:00:00Z aufnehmen
done
decision "$OTHER" "$(assessment "$OTHER" 2026-02-05T09:00:00Z $NEW neu)" 2026-02-15T10:00:00Z aufnehmen

# json FILE EXPR: prints the Python expression over the report r
json() { python3 -c "import json,sys; r=json.load(open('$1')); print($2)"; }

# 1. the whole time, koordination MS: each person once, the earlier as history
"$BIN" evaluate --out "$T/all" --user j.hoffmann --db "$DB" > "$T/all.txt"
expect_eq "evaluate exit" 0 $?
R="$T/all/report.json"
expect_eq "each person counted once" 5 "$(json "$R" "r['entscheidungen']['personen']")"
expect_eq "latest decision counts" 5 "$(json "$R" "r['entscheidungen']['aufgenommen']")"
expect_eq "earlier decisions as history" 5 "$(json "$R" "r['entscheidungen']['fruehere_entscheidungen']")"
expect_eq "persons with history" 5 "$(json "$R" "r['entscheidungen']['personen_mit_frueheren']")"
expect_eq "grouped by the latest decision's catalogue hash" "neu $NEW 5" \
    "$(json "$R" "' '.join('%s %s %s' % (g['gruppe'], g['katalog_hash'], g['entscheidungen']['personen']) for g in r['nach_katalog'] if g['entscheidungen']['personen'])")"
expect_eq "population: every person of the region" \
    "$(db_query "$DB" "SELECT count(*) FROM person WHERE $IN_MS")" "$(json "$R" "r['bestand']['personen']")"
expect_eq "only region MS in scope" "MS" "$(json "$R" "','.join(g['gruppe'] for g in r['untergruppen']['region'])")"
expect_grep "html: history named" 'frühere Entscheidungen' "$T/all/report.html"
expect_grep "html: AI Act section" 'Art. 14' "$T/all/report.html"
expect_grep "csv header" 'bereich;gruppe;kennzahl;wert' "$T/all/report.csv"
expect_grep "csv: persons decided" '^entscheidungen;gesamt;personen;5' "$T/all/report.csv"

# 2. periods
"$BIN" evaluate --out "$T/feb" --user j.hoffmann --db "$DB" --from 2026-02-01 --to 2026-02-28 > /dev/null
expect_eq "February: 5 persons" 5 "$(json "$T/feb/report.json" "r['entscheidungen']['personen']")"
expect_eq "February: no earlier decision" 0 "$(json "$T/feb/report.json" "r['entscheidungen']['fruehere_entscheidungen']")"
"$BIN" evaluate --out "$T/jan" --user j.hoffmann --db "$DB" --to 2026-01-31 > /dev/null
expect_eq "January: the declines" "5 0" "$(json "$T/jan/report.json" "'%s %s' % (r['entscheidungen']['personen'], r['entscheidungen']['aufgenommen'])")"
expect_eq "January: catalogue alt" "alt" "$(json "$T/jan/report.json" "','.join(g['gruppe'] for g in r['nach_katalog'])")"
"$BIN" evaluate --out "$T/mar" --user j.hoffmann --db "$DB" --from 2026-03-01 --to 2026-03-31 > /dev/null
expect_eq "March: nobody decided" 0 "$(json "$T/mar/report.json" "r['entscheidungen']['personen']")"

# 3. filters refused in German, nothing written
"$BIN" evaluate --out "$T/x" --user j.hoffmann --db "$DB" --from 2026-02-30 2> "$T/err.txt"
expect_eq "bad date: usage exit" 2 $?
expect_grep "bad date: German" 'kein gültiges Datum' "$T/err.txt"
"$BIN" evaluate --out "$T/x" --user j.hoffmann --db "$DB" --from 2026-03-01 --to 2026-02-01 2> "$T/err.txt"
expect_eq "reversed period: usage exit" 2 $?
expect_grep "reversed period: German" 'liegt nach' "$T/err.txt"
"$BIN" evaluate --out "$T/x" --user statistik --db "$DB" --region XY 2> "$T/err.txt"
expect_eq "unknown region: usage exit" 2 $?
expect_grep "unknown region: German" 'Region XY ist unbekannt' "$T/err.txt"
if [ -e "$T/x" ]; then bad "a refused filter wrote a report"; else ok; fi

# 4. statistik: the whole state, region filter, small cells, no person named
"$BIN" evaluate --out "$T/st" --user statistik --db "$DB" > /dev/null
expect_eq "statistik: exit" 0 $?
expect_eq "statistik: all persons" "$(db_query "$DB" "SELECT count(*) FROM person")" \
    "$(json "$T/st/report.json" "r['bestand']['personen']")"
expect_eq "statistik: six persons decided" 6 "$(json "$T/st/report.json" "r['entscheidungen']['personen']")"
expect_eq "statistik: the other region's one person suppressed" "<5" \
    "$(json "$T/st/report.json" "[g for g in r['untergruppen']['region'] if g['entscheidungen']['personen'] != 0 and g['gruppe'] != 'MS'][0]['entscheidungen']['personen']")"
expect_eq "statistik: no list of persons" "False" "$(json "$T/st/report.json" "'abweichungen_liste' in r['entscheidungen']")"
"$BIN" evaluate --out "$T/ms" --user statistik --db "$DB" --region MS > /dev/null
expect_eq "region MS: five decided" 5 "$(json "$T/ms/report.json" "r['entscheidungen']['personen']")"
expect_eq "region MS: the MS population" "$(db_query "$DB" "SELECT count(*) FROM person WHERE $IN_MS")" \
    "$(json "$T/ms/report.json" "r['bestand']['personen']")"
"$BIN" evaluate --out "$T/z" --user zab.sb --db "$DB" > /dev/null 2> "$T/err.txt"
expect_eq "zab refused" 1 $?

# 5. outcome validation: none recorded, then recorded
db_query "$DB" "UPDATE case_file SET status = 'neu'"
db_query "$DB" "DELETE FROM custody WHERE kind = 'abschiebungshaft'"
"$BIN" evaluate --out "$T/o1" --user statistik --db "$DB" > /dev/null
expect_eq "no outcome data" "keine Ergebnisdaten" "$(json "$T/o1/report.json" "r['ergebnisvalidierung'].get('hinweis')")"
expect_grep "html says so" 'keine Ergebnisdaten' "$T/o1/report.html"
db_query "$DB" "INSERT INTO case_file (person_id, authority_id, status) SELECT id, authority_id, 'massnahme' FROM person WHERE id IN (SELECT id FROM person ORDER BY id LIMIT 6)"
db_query "$DB" "INSERT INTO case_file (person_id, authority_id, status) SELECT id, authority_id, 'abgeschlossen' FROM person WHERE id IN (SELECT id FROM person ORDER BY id DESC LIMIT 7)"
"$BIN" evaluate --out "$T/o2" --user statistik --db "$DB" > /dev/null
expect_eq "outcomes counted" "13 None" "$(json "$T/o2/report.json" "'%s %s' % (r['ergebnisvalidierung']['personen_mit_ergebnis'], r['ergebnisvalidierung'].get('hinweis'))")"
expect_grep "html: outcome table" 'Maßnahmequote' "$T/o2/report.html"
# 6. the API: the same report for statistik, filters checked, zab refused
"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/port" --no-catalog > /dev/null 2>&1 &
SERVER_PID=$!
wait_port "$T/port"
U="http://127.0.0.1:$(cat "$T/port")"
Z='X-Fallnetz-Zweck: Statistik'
CSRF=$(login "$U" statistik "$(demo_password "$DB" statistik)" "$T/jar")
[ -n "$CSRF" ] && ok || bad "statistik login failed: $(cat "$T/login.out")"
get() { curl -s -o "$T/a.out" -w '%{http_code}' -b "$T/jar" -H "$Z" "$U/api/v1/evaluation$1"; }
expect_eq "API: 200" 200 "$(get '?region=MS&from=2026-01-01&to=2026-02-28')"
expect_eq "API: each person once" "5 5" "$(json "$T/a.out" "'%s %s' % (r['entscheidungen']['personen'], r['entscheidungen']['fruehere_entscheidungen'])")"
expect_eq "API: CSV" 200 "$(get '?format=csv')"
expect_grep "API: CSV rows" '^bestand;gesamt;personen;' "$T/a.out"
expect_eq "API: bad date 400" 400 "$(get '?from=2026-02-30')"
expect_grep "API: German message" 'kein g.u00[fF][cC]ltiges Datum' "$T/a.out"
expect_eq "API: unknown region 400" 400 "$(get '?region=XY')"
expect_eq "API: bad format 400" 400 "$(get '?format=pdf')"
CSRF=$(login "$U" zab.sb "$(demo_password "$DB" zab.sb)" "$T/jar")
expect_eq "API: zab refused" 403 "$(get '')"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=
finish
