#!/bin/sh
# The request guard and the answers around it, against a running server:
# content type (415), foreign Origin and Sec-Fetch-Site (403), foreign Host
# (DNS rebinding, 403), decoded control characters in the URL (400), the
# security headers on every kind of answer, a busy store (503 with
# Retry-After, never 500), and the catalogue in force when serve is started
# from another folder or as a copied binary without catalogue files.
. "$(dirname "$0")/lib.sh"
DB=$(new_db d)

"$BIN" demo --db "$DB" --persons 30 --seed 3 2> /dev/null
expect_eq "demo exit" 0 $?
# started from an unrelated folder, without --catalog
mkdir "$T/elsewhere"
(cd "$T/elsewhere" && exec "$BIN" serve --db "$DB" --listen 127.0.0.1:0 \
    --port-file "$T/port") > "$T/serve.log" 2>&1 &
SERVER_PID=$!
wait_port "$T/port"
P=$(cat "$T/port")
U="http://127.0.0.1:$P"
# logged in as k.wagner (koordination); every request carries the session,
# its CSRF token and a purpose, so the guard's refusals are what is tested
CSRF=$(login "$U" k.wagner "$(demo_password "$DB" k.wagner)" "$T/jar")
[ -n "$CSRF" ] && ok || bad "demo login k.wagner failed: $(cat "$T/login.out")"
code() { curl -s -o "$T/out.json" -w '%{http_code}' -b "$T/jar" -H "X-CSRF-Token: $CSRF" \
    -H 'X-Fallnetz-Zweck: Aktenbearbeitung' "$@"; }
ID=$(region_person "$DB" k.wagner)
[ -n "$ID" ] && ok || bad "no person in k.wagner's region in the demo"
DECISION="{\"person_id\":$ID,\"entscheidung\":\"ablehnen\",\"begruendung\":\"Fallkonferenz: keine Aufnahme\",\"kennung\":\"k.wagner\"}"
decisions() { db_query "$DB" 'SELECT count(*) FROM decision'; }

expect_eq "catalogue found from another folder" 200 "$(code "$U/api/v1/catalog")"

# CSRF: a text/plain POST (no preflight in a browser) is refused
expect_eq "text/plain POST" 415 "$(code -X POST -H 'Content-Type: text/plain' --data "$DECISION" "$U/api/v1/decisions")"
expect_grep "415 in German" 'application/json gesendet' "$T/out.json"
expect_eq "form POST" 415 "$(code -X POST --data "$DECISION" "$U/api/v1/decisions")"
expect_eq "foreign Origin" 403 "$(code -X POST -H 'Content-Type: application/json' -H 'Origin: http://evil.example' --data "$DECISION" "$U/api/v1/decisions")"
expect_grep "403 origin code" '"foreign_origin"' "$T/out.json"
expect_eq "other loopback port as Origin" 403 "$(code -X POST -H 'Content-Type: application/json' -H "Origin: http://127.0.0.1:1$P" --data "$DECISION" "$U/api/v1/decisions")"
expect_eq "Origin null" 403 "$(code -X POST -H 'Content-Type: application/json' -H 'Origin: null' --data "$DECISION" "$U/api/v1/decisions")"
expect_eq "Sec-Fetch-Site same-site POST" 403 "$(code -X POST -H 'Content-Type: application/json' -H 'Sec-Fetch-Site: same-site' --data "$DECISION" "$U/api/v1/decisions")"
expect_eq "Sec-Fetch-Site cross-site API GET" 403 "$(code -H 'Sec-Fetch-Site: cross-site' "$U/api/v1/persons/5")"
expect_eq "cross-site link to the page is fine" 200 "$(code -H 'Sec-Fetch-Site: cross-site' "$U/")"
expect_eq "nothing recorded by refused requests" 0 "$(decisions)"
# DNS rebinding: every request, GET too, needs a Host the server answers to
expect_eq "Host evil.example" 403 "$(code -H 'Host: evil.example' "$U/api/v1/health")"
expect_grep "403 host code" '"bad_host"' "$T/out.json"
expect_eq "Host evil.example page" 403 "$(code -H 'Host: evil.example' "$U/")"
expect_eq "Host localhost" 200 "$(code -H "Host: localhost:$P" "$U/api/v1/health")"
expect_eq "Host [::1]" 200 "$(code -H "Host: [::1]:$P" "$U/api/v1/health")"
expect_eq "Host wrong port" 403 "$(code -H "Host: 127.0.0.1:1" "$U/api/v1/health")"
# the same-origin UI request still works
expect_eq "same-origin JSON POST" 201 "$(code -X POST -H 'Content-Type: application/json; charset=utf-8' -H "Origin: http://127.0.0.1:$P" -H 'Sec-Fetch-Site: same-origin' --data "$DECISION" "$U/api/v1/decisions")"
expect_eq "one decision recorded" 1 "$(decisions)"
# a decoded NUL or control character in the path is not person 5
expect_eq "NUL in path" 400 "$(code "$U/api/v1/persons/5%00")"
expect_grep "400 code" '"bad_url"' "$T/out.json"
expect_eq "newline in path" 400 "$(code "$U/api/v1/persons/5%0a")"
expect_eq "NUL in query" 400 "$(code "$U/api/v1/persons?limit=5%00")"
expect_eq "escaped percent is no NUL" 400 "$(code "$U/api/v1/persons/5%2500")"
expect_grep "escaped percent is a bad id" '"bad_id"' "$T/out.json"

# security headers on every kind of answer
LONG=$(head -c 9000 /dev/zero | tr '\0' 'a')
head -c 1100000 /dev/zero | tr '\0' 'a' > "$T/big"
headers_ok() { # name want-status curl-args...
    name=$1 want=$2
    shift 2
    got=$(curl -s -D "$T/h.txt" -o /dev/null -w '%{http_code}' -b "$T/jar" \
        -H 'X-Fallnetz-Zweck: Aktenbearbeitung' "$@")
    expect_eq "$name status" "$want" "$got"
    expect_grep "$name frame-ancestors" "frame-ancestors 'none'" "$T/h.txt"
    expect_grep "$name Referrer-Policy" 'Referrer-Policy: no-referrer' "$T/h.txt"
    expect_grep "$name nosniff" 'X-Content-Type-Options: nosniff' "$T/h.txt"
    expect_grep "$name no-store" 'Cache-Control: no-store' "$T/h.txt"
}
headers_ok "200" 200 "$U/api/v1/health" # the UI files are no-cache + ETag (serve_e2e)
headers_ok "404" 404 "$U/api/v1/persons/100000"
headers_ok "405" 405 -X DELETE "$U/api/v1/persons/1"
headers_ok "413" 413 -X POST -H 'Content-Type: application/json' --data-binary @"$T/big" "$U/api/v1/decisions"
headers_ok "414" 414 "$U/api/v1/persons/$LONG"
headers_ok "431" 431 -H "X-Long: $LONG$LONG" "$U/api/v1/health"
headers_ok "415" 415 -X POST -H 'Content-Type: text/plain' --data x "$U/api/v1/decisions"
headers_ok "403" 403 -H 'Host: evil.example' "$U/api/v1/health"

# a busy store (another process holds the write lock) is 503 with
# Retry-After, never 500; the store waits its busy timeout (10 s) first.
# PostgreSQL: another session holds the tables a decision writes.
if on_pg; then
    (echo 'BEGIN; LOCK TABLE decision, audit_log IN ACCESS EXCLUSIVE MODE;'; sleep 13; echo 'COMMIT;') |
        psql "$DB" -X -q -v ON_ERROR_STOP=1 > /dev/null &
else
    (echo 'BEGIN EXCLUSIVE;'; sleep 13; echo 'COMMIT;') | sqlite3 "$DB" &
fi
LOCK_PID=$!
sleep 0.5
got=$(curl -s -D "$T/h.txt" -o "$T/out.json" -w '%{http_code}' --max-time 14 -X POST \
    -b "$T/jar" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
    --data "$DECISION" "$U/api/v1/decisions")
expect_eq "busy store" 503 "$got"
expect_grep "busy Retry-After" 'Retry-After: 2' "$T/h.txt"
expect_grep "busy German message" '"busy"' "$T/out.json"
wait "$LOCK_PID"
expect_eq "decision stored after the lock" 201 "$(code -X POST -H 'Content-Type: application/json' --data "$DECISION" "$U/api/v1/decisions")"

kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
expect_eq "clean exit on SIGTERM" 0 $?
SERVER_PID=

# without any catalogue file nearby (a copied binary) serve needs none: it
# assesses with the catalogue approved in the database (issue 13)
mkdir "$T/bin"
cp "$BIN" "$T/bin/fallnetz"
(cd "$T/elsewhere" && exec "$T/bin/fallnetz" serve --db "$DB" --listen 127.0.0.1:0 \
    --port-file "$T/port2") > "$T/nocat.log" 2>&1 &
SERVER_PID=$!
wait_port "$T/port2"
U2="http://127.0.0.1:$(cat "$T/port2")"
CSRF=$(login "$U2" k.wagner "$(demo_password "$DB" k.wagner)" "$T/jar")
expect_eq "no file: the approved catalogue" 200 "$(code "$U2/api/v1/catalog")"
expect_grep "no file: its hash" "\"sha256\":\"$(db_query "$DB" "SELECT sha256 FROM catalogue")\"" "$T/out.json"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
SERVER_PID=
# a database without an approval: serve starts, says how to approve, and the
# assessment routes answer 503 until then
DB2=$(new_db e)
"$BIN" demo --db "$DB2" --persons 5 --seed 3 --no-approval > /dev/null 2>&1
(cd "$T/elsewhere" && exec "$T/bin/fallnetz" serve --db "$DB2" --listen 127.0.0.1:0 \
    --port-file "$T/port3") > "$T/noapp.log" 2>&1 &
SERVER_PID=$!
wait_port "$T/port3"
U3="http://127.0.0.1:$(cat "$T/port3")"
expect_grep "no approval: the command named" 'fallnetz catalog approve' "$T/noapp.log"
CSRF=$(login "$U3" k.wagner "$(demo_password "$DB2" k.wagner)" "$T/jar")
expect_eq "no approval: 503" 503 "$(code "$U3/api/v1/catalog")"
expect_grep "no approval: code" '"no_catalog"' "$T/out.json"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
SERVER_PID=
finish
