#!/bin/sh
# Catalogue approval (issue 13) through the CLI and the API, on a demo
# database left without an approval (demo --no-approval): without an
# approved catalogue decide refuses and names the command, assess runs only
# as a labelled simulation and stores nothing; propose needs an admin, the
# proposer cannot approve (four eyes), a non-admin cannot either; after the
# approval by a second admin decisions carry its hash; a --catalog file
# with another hash is a labelled simulation in the CLI and the API and is
# never stored; a restarted server keeps the approved catalogue and a
# second server on the database follows a new approval at once; every act
# is in the audit trail.
. "$(dirname "$0")/lib.sh"
ROOT=${FALLNETZ_SOURCE_ROOT:?FALLNETZ_SOURCE_ROOT not set}
CAT="$ROOT/catalog/initialbewertung.cat"
SHA=$(sha256sum "$CAT" | cut -d' ' -f1)
DB=$(new_db d)
PID_one= PID_two= PID_sim=
trap 'kill $PID_one $PID_two $PID_sim 2> /dev/null; cleanup' EXIT
REASON="Fallkonferenz hat keine Aufnahme empfohlen"

"$BIN" demo --db "$DB" --persons 40 --seed 3 --no-approval > /dev/null 2>&1
expect_eq "demo without approval" 0 $?
P=$(region_person "$DB" j.hoffmann)
"$BIN" catalog list --db "$DB" > "$T/list0.txt"
expect_grep "nothing stored yet" "Keine Kataloge gespeichert" "$T/list0.txt"

# --- without an approved catalogue ---------------------------------------
"$BIN" decide "$P" --decline --reason "$REASON" --user j.hoffmann --db "$DB" 2> "$T/d0.txt"
expect_eq "decide refused without approval" 1 $?
expect_grep "names the reason" "Kein freigegebener Bewertungskatalog" "$T/d0.txt"
expect_grep "names the command" "fallnetz catalog approve" "$T/d0.txt"
"$BIN" assess "$P" --user j.hoffmann --db "$DB" --today 2026-03-01 > "$T/a0.txt"
expect_eq "assess runs as simulation" 0 $?
head -1 "$T/a0.txt" > "$T/a0.head"
expect_grep "first line labels the simulation" "^Simulation – nicht freigegebener Katalog" "$T/a0.head"
expect_grep "says none is approved" "noch kein Katalog freigegeben" "$T/a0.txt"
"$BIN" assess --all --store --user j.hoffmann --db "$DB" --today 2026-03-01 > /dev/null 2> "$T/s0.txt"
expect_eq "assess --store refused" 1 $?
"$BIN" assess --due --db "$DB" > /dev/null 2>&1
expect_eq "assess --due refused" 1 $?
expect_eq "no assessment stored" 0 "$(db_query "$DB" "SELECT count(*) FROM assessment")"
expect_eq "no decision stored" 0 "$(db_query "$DB" "SELECT count(*) FROM decision")"

# --- propose and approve: four eyes ---------------------------------------
"$BIN" catalog propose "$CAT" --user j.hoffmann --db "$DB" 2> "$T/p0.txt"
expect_eq "non-admin may not propose" 1 $?
expect_grep "says admin" "Rolle admin" "$T/p0.txt"
"$BIN" catalog propose "$CAT" --db "$DB" > /dev/null 2>&1
expect_eq "propose needs --user" 2 $?
"$BIN" catalog propose "$CAT" --user admin --db "$DB" > "$T/p1.txt"
expect_eq "admin proposes" 0 $?
expect_grep "proposal names the hash" "SHA-256 $SHA" "$T/p1.txt"
"$BIN" catalog approve "$SHA" --user admin --db "$DB" 2> "$T/ap0.txt"
expect_eq "proposer may not approve" 1 $?
expect_grep "four eyes named" "Vier-Augen-Prinzip" "$T/ap0.txt"
"$BIN" catalog approve "$SHA" --user j.hoffmann --db "$DB" 2> /dev/null
expect_eq "non-admin may not approve" 1 $?
"$BIN" catalog approve "0000" --user admin2 --db "$DB" 2> /dev/null
expect_eq "malformed hash refused" 1 $?
expect_eq "nothing approved yet" 0 "$(db_query "$DB" "SELECT count(*) FROM catalogue_approval")"
"$BIN" catalog approve "$SHA" --user admin2 --db "$DB" > "$T/ap1.txt"
expect_eq "second admin approves" 0 $?
"$BIN" catalog list --db "$DB" > "$T/list1.txt"
expect_grep "in force" "freigegeben (gilt)  $SHA" "$T/list1.txt"
expect_grep "who approved" "freigegeben von admin2" "$T/list1.txt"
"$BIN" catalog show --approved --db "$DB" > "$T/show.txt"
expect_grep "show the approved rules" "Rechtsgrundlage" "$T/show.txt"

# --- decisions with the approved catalogue carry its hash -----------------
"$BIN" decide "$P" --decline --reason "$REASON" --user j.hoffmann --db "$DB" --today 2026-03-01 > "$T/d1.txt"
expect_eq "decide with the approved catalogue" 0 $?
expect_grep "decide names the catalogue" "$SHA (freigegeben)" "$T/d1.txt"
expect_eq "decision carries the hash" 1 \
    "$(db_query "$DB" "SELECT count(*) FROM decision d JOIN assessment a ON a.id = d.assessment_id WHERE d.catalog_hash = '$SHA' AND a.catalog_hash = '$SHA'")"
# the same file named with --catalog is the approved one: fine
"$BIN" decide "$P" --decline --reason "$REASON" --user j.hoffmann --db "$DB" --catalog "$CAT" > /dev/null
expect_eq "--catalog of the approved file" 0 $?

# --- another catalogue is a simulation, never stored ----------------------
{
    cat "$CAT"
    echo "# Entwurf einer Änderung"
} > "$T/neu.cat"
NEW=$(sha256sum "$T/neu.cat" | cut -d' ' -f1)
"$BIN" decide "$P" --decline --reason "$REASON" --user j.hoffmann --db "$DB" --catalog "$T/neu.cat" 2> "$T/d2.txt"
expect_eq "decide with another catalogue refused" 1 $?
expect_grep "simulation named" "Simulation – nicht freigegebener Katalog" "$T/d2.txt"
"$BIN" assess "$P" --user j.hoffmann --db "$DB" --catalog "$T/neu.cat" > "$T/a2.txt"
expect_eq "assess with another catalogue" 0 $?
expect_grep "assess labels it" "Simulation – nicht freigegebener Katalog.*nicht speicherbar" "$T/a2.txt"
"$BIN" assess --all --store --user j.hoffmann --db "$DB" --catalog "$T/neu.cat" > /dev/null 2>&1
expect_eq "assess --store of a simulation refused" 1 $?
expect_eq "only the approved catalogue's rows" 0 \
    "$(db_query "$DB" "SELECT count(*) FROM assessment WHERE catalog_hash <> '$SHA'")"
expect_eq "two decisions in all" 2 "$(db_query "$DB" "SELECT count(*) FROM decision")"

# --- the API -------------------------------------------------------------
start() { # NAME [serve args]: a server on DB, its URL in $U
    _n=$1
    shift
    rm -f "$T/$_n.port"
    "$BIN" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/$_n.port" "$@" \
        > "$T/$_n.log" 2>&1 &
    eval "PID_$_n=\$!"
    wait_port "$T/$_n.port"
    U="http://127.0.0.1:$(cat "$T/$_n.port")"
}
get() { # URL JAR PATH -> body in $T/out.json, status printed
    curl -s -o "$T/out.json" -w '%{http_code}' -b "$2" \
        -H 'X-Fallnetz-Zweck: Aktenbearbeitung' "$1$3"
}
post() { # URL JAR CSRF PATH BODY
    curl -s -o "$T/out.json" -w '%{http_code}' -b "$2" -H "X-CSRF-Token: $3" \
        -H 'Content-Type: application/json' --data "$5" "$1$4"
}
field() { # KEY: a top-level value of out.json
    python3 -c "import json,sys; v=json.load(open('$T/out.json')).get('$1'); print(str(v).lower() if isinstance(v,bool) else v)"
}
start one
U1=$U
CS=$(login "$U1" j.hoffmann "$(demo_password "$DB" j.hoffmann)" "$T/jar.sb")
expect_eq "assessment 200" 200 "$(get "$U1" "$T/jar.sb" "/api/v1/assessments/$P")"
expect_eq "API: approved catalogue" "$SHA" "$(field catalog_sha256)"
expect_eq "API: no simulation" false "$(field simulation)"
expect_eq "API: status" freigegeben "$(field catalog_status)"
expect_eq "non-admin may not list" 403 "$(get "$U1" "$T/jar.sb" /api/v1/catalogues)"
CA=$(login "$U1" admin "$(demo_password "$DB" admin)" "$T/jar.a1")
expect_eq "admin lists" 200 "$(get "$U1" "$T/jar.a1" /api/v1/catalogues)"
expect_eq "list names the one in force" "$SHA" "$(field in_force)"
BODY=$(python3 -c "import json; print(json.dumps({'text': open('$T/neu.cat', encoding='utf-8').read()}))")
expect_eq "admin proposes over the API" 201 "$(post "$U1" "$T/jar.a1" "$CA" /api/v1/catalogues "$BODY")"
expect_eq "API proposal hash" "$NEW" "$(field sha256)"
ID=$(field id)
expect_eq "same text again: 409" 409 "$(post "$U1" "$T/jar.a1" "$CA" /api/v1/catalogues "$BODY")"
expect_eq "refused catalogue: 422" 422 "$(post "$U1" "$T/jar.a1" "$CA" /api/v1/catalogues '{"text":"katalog: kaputt\n"}')"
expect_eq "proposer approves: 403" 403 \
    "$(post "$U1" "$T/jar.a1" "$CA" "/api/v1/catalogues/$ID/approval" "{\"sha256\":\"$NEW\"}")"
expect_eq "four eyes code" same_person "$(field code)"

# a second server on the database; the approval on it counts on the first at once
start two
U2=$U
C2=$(login "$U2" admin2 "$(demo_password "$DB" admin2)" "$T/jar.a2")
expect_eq "wrong hash for the id: 404" 404 \
    "$(post "$U2" "$T/jar.a2" "$C2" "/api/v1/catalogues/$ID/approval" "{\"sha256\":\"$SHA\"}")"
expect_eq "second admin approves on server two" 200 \
    "$(post "$U2" "$T/jar.a2" "$C2" "/api/v1/catalogues/$ID/approval" "{\"sha256\":\"$NEW\"}")"
expect_eq "approved entry in force" true "$(field in_force)"
expect_eq "server one follows" 200 "$(get "$U1" "$T/jar.sb" "/api/v1/assessments/$P")"
expect_eq "server one uses the new catalogue" "$NEW" "$(field catalog_sha256)"
expect_eq "decision on server one" 201 "$(post "$U1" "$T/jar.sb" "$CS" /api/v1/decisions \
    "{\"person_id\":$P,\"entscheidung\":\"ablehnen\",\"begruendung\":\"$REASON\"}")"
expect_eq "decision answer names the hash" "$NEW" "$(field catalog_sha256)"
expect_eq "stored with the new hash" 1 "$(db_query "$DB" "SELECT count(*) FROM decision WHERE catalog_hash = '$NEW'")"
"$BIN" catalog list --db "$DB" > "$T/list2.txt"
expect_grep "old one superseded" "abgelöst.*$SHA" "$T/list2.txt"

# a restart keeps the approved catalogue
kill "$PID_one"
wait "$PID_one" 2> /dev/null
PID_one=
start one
U1=$U
CS=$(login "$U1" j.hoffmann "$(demo_password "$DB" j.hoffmann)" "$T/jar.sb")
expect_eq "after restart" 200 "$(get "$U1" "$T/jar.sb" "/api/v1/assessments/$P")"
expect_eq "restart keeps the approval" "$NEW" "$(field catalog_sha256)"
kill "$PID_one"
wait "$PID_one" 2> /dev/null
PID_one=

# a server started with the old file: a labelled simulation, decisions 409
start sim --catalog "$CAT"
expect_grep "serve warns" "Simulation – nicht freigegebener Katalog" "$T/sim.log"
CS=$(login "$U" j.hoffmann "$(demo_password "$DB" j.hoffmann)" "$T/jar.sim")
expect_eq "simulated assessment 200" 200 "$(get "$U" "$T/jar.sim" "/api/v1/assessments/$P")"
expect_eq "API: simulation" true "$(field simulation)"
expect_grep "API: label" "Simulation – nicht freigegebener Katalog" "$T/out.json"
BEFORE=$(db_query "$DB" "SELECT count(*) FROM decision")
expect_eq "simulation decision refused" 409 "$(post "$U" "$T/jar.sim" "$CS" /api/v1/decisions \
    "{\"person_id\":$P,\"entscheidung\":\"ablehnen\",\"begruendung\":\"$REASON\"}")"
expect_eq "code not_approved" not_approved "$(field code)"
expect_eq "nothing stored" "$BEFORE" "$(db_query "$DB" "SELECT count(*) FROM decision")"
kill "$PID_sim" "$PID_two"
wait 2> /dev/null
PID_one= PID_two= PID_sim=

# --- the audit trail names every act -------------------------------------
expect_eq "four audit rows (two proposals, two approvals)" 4 \
    "$(db_query "$DB" "SELECT count(*) FROM audit_log WHERE entity = 'katalog'")"
expect_eq "approval by admin2 audited" 2 \
    "$(db_query "$DB" "SELECT count(*) FROM audit_log WHERE entity = 'katalog' AND login = 'admin2' AND details LIKE '%freigabe%'")"
"$BIN" audit verify --db "$DB" > /dev/null 2>&1
expect_eq "chain intact" 0 $?
finish
