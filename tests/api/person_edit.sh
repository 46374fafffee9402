#!/bin/sh
# Changing a person's master data (issue 12): PUT /api/v1/persons/{id} with
# If-Match. Two servers on two ports on one database: both read the same
# version, both write; one gets 200, the other 409 stale with the winner's
# values, nothing is lost, and the audit trail has a change row for each
# win only. Also at the same instant, several rounds. Missing If-Match 428,
# bad fields 400 naming the field, out of scope 404, roles without identity
# rights 403, cross-site and CSRF-less writes refused, nothing changed by any
# refusal.
. "$(dirname "$0")/lib.sh"
DB=$(new_db d)

"$BIN" demo --db "$DB" --persons 30 --seed 5 > /dev/null 2>&1
expect_eq "demo exit" 0 $?
J='Content-Type: application/json'
Z='X-Fallnetz-Zweck: Aktenbearbeitung'
ID=$(own_person "$DB" abh.sb)
OTHER=$(db_query "$DB" "SELECT min(p.id) FROM person p, app_user u WHERE u.login = 'abh.sb' AND coalesce(p.authority_id, 0) <> coalesce(u.org_id, 0)")
ZID=$(region_person "$DB" zab.sb)
# code [curl-args...]: the status; the answer in $OUT (default $T/out.json),
# its header in the same name with .head
code() { curl -s -o "${OUT:-$T/out.json}" -D "${OUT:-$T/out.json}.head" -w '%{http_code}' "$@"; }
# field FILE PATH: a value of the JSON answer ("current.family_name")
field() {
    python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v=v[k]
print(v)' "$1" "$2"
}
etag() { sed -n 's/^[Ee][Tt][Aa][Gg]: *\([^[:space:]]*\).*/\1/p' "$T/out.json.head"; }
version() { db_query "$DB" "SELECT version FROM person WHERE id = $1"; }
changes() {
    db_query "$DB" "SELECT count(*) FROM audit_log WHERE kind = 'change' AND entity = 'person' AND record_ids = '$1'"
}
# body NAME FAMILY_NAME: a full master-data body in $T/NAME.json
body() {
    cat > "$T/$1.json" << EOF
{"family_name":"$2","given_names":"Amir","birth_name":null,"sex":"m","birth_date":"1991-04",
 "birth_place":"Kabul","birth_country":"AFG","nationalities":["AFG"],
 "identity_status":"in_klaerung","identity_basis":"Tazkira","residence_status":"duldung",
 "residence_since":"2023-05-02","address":{"street":"Domplatz 1","postcode":"48143",
 "municipality":"Münster"},"aliases":[{"family_name":"$2-Alias","given_names":null,
 "birth_date":"1991"}],"documents":[{"kind":"passersatz","number":"P-77","issuing_state":"AFG",
 "valid_until":"2027-01-31","verified":false}]}
EOF
}
PIDS=
serve() {
    _n=$1
    rm -f "$T/$_n.port"
    "$BIN" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/$_n.port" --no-catalog \
        > "$T/$_n.out" 2> "$T/$_n.err" &
    PIDS="$PIDS $!"
    wait_port "$T/$_n.port"
    eval "${_n}_URL=http://127.0.0.1:$(cat "$T/$_n.port")"
}
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
serve A
serve B

PW=$(demo_password "$DB" abh.sb)
CA=$(login "$A_URL" abh.sb "$PW" "$T/jarA")
CB=$(login "$B_URL" abh.sb "$PW" "$T/jarB")
# put SERVER JAR CSRF IF_MATCH BODY [curl-args...]
put() {
    _url=$1 _jar=$2 _csrf=$3 _im=$4 _body=$5
    shift 5
    code -X PUT -b "$_jar" -H "$J" -H "$Z" -H "X-CSRF-Token: $_csrf" -H "If-Match: $_im" \
        --data-binary "@$T/$_body.json" "$@" "$_url/api/v1/persons/$ID"
}

# (1) both read version 1 on their server, A writes first, B gets 409 with A's values
expect_eq "A: GET" 200 "$(code -b "$T/jarA" -H "$Z" "$A_URL/api/v1/persons/$ID")"
expect_eq "A: ETag" '"v1"' "$(etag)"
expect_eq "A: version in JSON" 1 "$(field "$T/out.json" version)"
expect_eq "B: GET" 200 "$(code -b "$T/jarB" -H "$Z" "$B_URL/api/v1/persons/$ID")"
expect_eq "B: ETag" '"v1"' "$(etag)"
body a Erster
body b Zweiter
expect_eq "A: PUT on v1" 200 "$(put "$A_URL" "$T/jarA" "$CA" '"v1"' a)"
expect_eq "A: new ETag" '"v2"' "$(etag)"
expect_eq "A: answer is the new state" Erster "$(field "$T/out.json" family_name)"
expect_eq "A: answer has the new alias" Erster-Alias "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["aliases"][0]["family_name"])' "$T/out.json")"
expect_eq "A: record_id kept" "$(db_query "$DB" "SELECT record_id FROM person WHERE id = $ID")" \
    "$(field "$T/out.json" record_id)"
expect_eq "B: PUT on v1 is stale" 409 "$(put "$B_URL" "$T/jarB" "$CB" '"v1"' b)"
expect_eq "B: code" stale "$(field "$T/out.json" code)"
expect_grep "B: German message" "inzwischen ge" "$T/out.json"
expect_eq "B: current is A's" Erster "$(field "$T/out.json" current.family_name)"
expect_eq "B: current version" 2 "$(field "$T/out.json" current.version)"
expect_eq "B: ETag of the current" '"v2"' "$(etag)"
expect_eq "stored: A's" Erster "$(db_query "$DB" "SELECT family_name FROM person WHERE id = $ID")"
expect_eq "stored version" 2 "$(version "$ID")"
expect_eq "one change row" 1 "$(changes "$ID")"
# B re-applies on the version it was shown
expect_eq "B: re-applied on v2" 200 "$(put "$B_URL" "$T/jarB" "$CB" '"v2"' b)"
expect_eq "B: ETag v3" '"v3"' "$(etag)"
expect_eq "change rows" 2 "$(changes "$ID")"
db_query "$DB" "SELECT details FROM audit_log WHERE kind = 'change' AND record_ids = '$ID' ORDER BY seq DESC LIMIT 1" > "$T/det.txt"
expect_grep "the change row names the changed fields" '"felder":\[.*"family_name"' "$T/det.txt"

# (2) the same instant on both servers, several rounds: exactly one wins each
wins=0
round=0
while [ $round -lt 6 ]; do
    v=$(version "$ID")
    body a "RundeA$round"
    body b "RundeB$round"
    (OUT="$T/ra.json" put "$A_URL" "$T/jarA" "$CA" "\"v$v\"" a > "$T/ra.code") &
    pa=$!
    (OUT="$T/rb.json" put "$B_URL" "$T/jarB" "$CB" "\"v$v\"" b > "$T/rb.code") &
    pb=$!
    wait $pa $pb
    pair="$(cat "$T/ra.code") $(cat "$T/rb.code")"
    winner= loser=
    case "$pair" in
    "200 409") winner=RundeA$round loser="$T/rb.json" wins=$((wins + 1)) ;;
    "409 200") winner=RundeB$round loser="$T/ra.json" wins=$((wins + 1)) ;;
    esac
    if [ -n "$winner" ]; then ok; else bad "round $round: want one 200 and one 409, got $pair"; fi
    if [ -n "$winner" ]; then
        expect_eq "round $round: stored is the winner's" "$winner" \
            "$(db_query "$DB" "SELECT family_name FROM person WHERE id = $ID")"
        expect_eq "round $round: the loser sees the winner's" "$winner" \
            "$(field "$loser" current.family_name)"
    fi
    expect_eq "round $round: one version more" $((v + 1)) "$(version "$ID")"
    round=$((round + 1))
done
expect_eq "a change row per win, none for the refused" $((2 + wins)) "$(changes "$ID")"

# (3) refusals change nothing
V=$(version "$ID")
body c Niemand
expect_eq "no If-Match" 428 "$(code -X PUT -b "$T/jarA" -H "$J" -H "$Z" -H "X-CSRF-Token: $CA" \
    --data-binary "@$T/c.json" "$A_URL/api/v1/persons/$ID")"
expect_eq "no If-Match: code" precondition_required "$(field "$T/out.json" code)"
expect_eq "If-Match *" 400 "$(put "$A_URL" "$T/jarA" "$CA" '*' c)"
expect_eq "If-Match *: code" bad_if_match "$(field "$T/out.json" code)"
printf '{"family_name":"X","birth_date":"1990-13-01"}' > "$T/bad.json"
expect_eq "bad birth date" 400 "$(put "$A_URL" "$T/jarA" "$CA" "\"v$V\"" bad)"
expect_eq "bad field: code" bad_field "$(field "$T/out.json" code)"
expect_eq "bad field: named" birth_date "$(field "$T/out.json" field)"
expect_grep "bad field: German" "Geburtsdatum (birth_date)" "$T/out.json"
printf '{"family_name":"X","authority_id":1}' > "$T/bad.json"
expect_eq "authority not editable" 400 "$(put "$A_URL" "$T/jarA" "$CA" "\"v$V\"" bad)"
expect_eq "authority: named" authority_id "$(field "$T/out.json" field)"
printf '{"family_name":"X","documents":[{"kind":"reisepass","issuing_state":"de"}]}' > "$T/bad.json"
expect_eq "bad document" 400 "$(put "$A_URL" "$T/jarA" "$CA" "\"v$V\"" bad)"
expect_eq "bad document: named" "documents[0].issuing_state" "$(field "$T/out.json" field)"
printf '{"family_name":"\300\257"}' > "$T/bad.json"
expect_eq "malformed UTF-8" 400 "$(put "$A_URL" "$T/jarA" "$CA" "\"v$V\"" bad)"
python3 -c 'import sys; open(sys.argv[1], "w").write("{\"family_name\":\"" + "x" * 70000 + "\"}")' "$T/big.json"
expect_eq "body over 64 KiB" 413 "$(put "$A_URL" "$T/jarA" "$CA" "\"v$V\"" big)"
expect_eq "no purpose" 400 "$(code -X PUT -b "$T/jarA" -H "$J" -H "X-CSRF-Token: $CA" \
    -H "If-Match: \"v$V\"" --data-binary "@$T/c.json" "$A_URL/api/v1/persons/$ID")"
expect_eq "not JSON" 415 "$(code -X PUT -b "$T/jarA" -H 'Content-Type: text/plain' -H "$Z" \
    -H "X-CSRF-Token: $CA" -H "If-Match: \"v$V\"" --data-binary "@$T/c.json" \
    "$A_URL/api/v1/persons/$ID")"
expect_eq "out of scope: 404 as for GET" 404 "$(code -X PUT -b "$T/jarA" -H "$J" -H "$Z" \
    -H "X-CSRF-Token: $CA" -H "If-Match: \"v1\"" --data-binary "@$T/c.json" \
    "$A_URL/api/v1/persons/$OTHER")"
expect_eq "out of scope GET is 404 too" 404 "$(code -b "$T/jarA" -H "$Z" "$A_URL/api/v1/persons/$OTHER")"
expect_eq "unknown person" 404 "$(code -X PUT -b "$T/jarA" -H "$J" -H "$Z" \
    -H "X-CSRF-Token: $CA" -H "If-Match: \"v1\"" --data-binary "@$T/c.json" \
    "$A_URL/api/v1/persons/999999")"
# cross-site and without the CSRF token
expect_eq "without CSRF token" 403 "$(code -X PUT -b "$T/jarA" -H "$J" -H "$Z" \
    -H "If-Match: \"v$V\"" --data-binary "@$T/c.json" "$A_URL/api/v1/persons/$ID")"
expect_eq "without CSRF token: code" csrf "$(field "$T/out.json" code)"
expect_eq "foreign Origin" 403 "$(put "$A_URL" "$T/jarA" "$CA" "\"v$V\"" c \
    -H 'Origin: http://angreifer.example')"
expect_eq "Sec-Fetch-Site cross-site" 403 "$(put "$A_URL" "$T/jarA" "$CA" "\"v$V\"" c \
    -H 'Sec-Fetch-Site: cross-site')"
for who in polizei statistik k.wagner dsb admin; do
    P=$(demo_password "$DB" "$who")
    C=$(login "$A_URL" "$who" "$P" "$T/jar-$who")
    expect_eq "$who: 403" 403 "$(code -X PUT -b "$T/jar-$who" -H "$J" -H "$Z" \
        -H "X-CSRF-Token: $C" -H "If-Match: \"v$V\"" --data-binary "@$T/c.json" \
        "$A_URL/api/v1/persons/$ID")"
    expect_eq "$who: code" forbidden "$(field "$T/out.json" code)"
done
expect_eq "refusals: version unchanged" "$V" "$(version "$ID")"
expect_eq "refusals: nothing written" 0 \
    "$(db_query "$DB" "SELECT count(*) FROM person WHERE family_name = 'Niemand'")"

# (4) zab: identity rights in its region
ZPW=$(demo_password "$DB" zab.sb)
CZ=$(login "$B_URL" zab.sb "$ZPW" "$T/jarZ")
expect_eq "zab: GET" 200 "$(code -b "$T/jarZ" -H "$Z" "$B_URL/api/v1/persons/$ZID")"
ZV=$(etag)
body z Geklaert
expect_eq "zab: PUT in its region" 200 "$(code -X PUT -b "$T/jarZ" -H "$J" -H "$Z" \
    -H "X-CSRF-Token: $CZ" -H "If-Match: $ZV" --data-binary "@$T/z.json" \
    "$B_URL/api/v1/persons/$ZID")"
expect_eq "zab: stored" Geklaert "$(db_query "$DB" "SELECT family_name FROM person WHERE id = $ZID")"

# the trail stays one chain with both servers writing
for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
PIDS=
"$BIN" audit verify --db "$DB" > "$T/verify.out" 2>&1
expect_eq "audit verify" 0 $?
finish
