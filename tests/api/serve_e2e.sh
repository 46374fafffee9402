#!/bin/sh
# demo -> serve -> HTTP requests end to end, keep-alive, limits, clean stop.
. "$(dirname "$0")/lib.sh"
DB=$(new_db d)

"$BIN" demo --db "$DB" --persons 200 --seed 3 > /dev/null 2>&1
expect_eq "demo exit" 0 $?
"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/port" > "$T/serve.log" 2>&1 &
SERVER_PID=$!
wait_port "$T/port"
P=$(cat "$T/port")
U="http://127.0.0.1:$P"
CSRF=$(login "$U" abh.sb "$(demo_password "$DB" abh.sb)" "$T/jar")
[ -n "$CSRF" ] && ok || bad "demo login abh.sb failed: $(cat "$T/login.out")"
Z='X-Fallnetz-Zweck: Aktenbearbeitung'
ID=$(own_person "$DB" abh.sb)
[ -n "$ID" ] && ok || bad "no person at abh.sb's authority in the demo"
expect_eq "health" 200 "$(curl -s -o "$T/h.json" -w '%{http_code}' "$U/api/v1/health")"
expect_grep "health persons" '"persons":200' "$T/h.json"
expect_eq "person without session" 401 "$(curl -s -o /dev/null -w '%{http_code}' -H "$Z" "$U/api/v1/persons/$ID")"
expect_eq "person" 200 "$(curl -s -o "$T/p.json" -w '%{http_code}' -b "$T/jar" -H "$Z" "$U/api/v1/persons/$ID")"
expect_grep "person id" "\"id\":$ID" "$T/p.json"
expect_grep "person record" "\"record_id\":\"DEMO-$(printf '%08d' "$ID")\"" "$T/p.json"
expect_eq "unknown person" 404 "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jar" -H "$Z" "$U/api/v1/persons/100000")"
expect_eq "bad id" 400 "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jar" -H "$Z" "$U/api/v1/persons/1x")"
expect_eq "post refused" 405 "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d 'x' "$U/api/v1/persons/1")"
expect_eq "form post refused" 415 "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d 'x' "$U/api/v1/persons/1")"
head -c 2000000 /dev/zero | tr '\0' 'a' > "$T/big"
expect_eq "oversized body" 413 "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary @"$T/big" "$U/api/v1/persons/1")"
expect_eq "web page" 200 "$(curl -s -o "$T/index.html" -w '%{http_code}' "$U/")"
expect_grep "german page" 'Rückkehrkoordination' "$T/index.html"
# UI files: CSP without 'unsafe-inline' on every answer, revalidation by ETag, API no-store
curl -s -D "$T/page.h" -o /dev/null "$U/"
expect_grep "page CSP" "^Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self';" "$T/page.h"
if grep -qi "unsafe-inline" "$T/page.h"; then bad "page CSP allows unsafe-inline"; else ok; fi
curl -s -D "$T/js.h" -o "$T/app.js" "$U/assets/app.js"
expect_grep "script type" '^Content-Type: text/javascript' "$T/js.h"
expect_grep "script revalidated" '^Cache-Control: no-cache' "$T/js.h"
ETAG=$(sed -n 's/^ETag: //p' "$T/js.h" | tr -d '\r')
expect_eq "script unchanged" 304 "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$U/assets/app.js")"
expect_eq "script post refused" 405 "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' "$U/assets/app.js")"
curl -s -D "$T/api.h" -o /dev/null -b "$T/jar" -H "$Z" "$U/api/v1/persons/$ID"
expect_grep "api no-store" '^Cache-Control: no-store' "$T/api.h"
expect_grep "api CSP" "^Content-Security-Policy: default-src 'none';" "$T/api.h"
curl -sv "$U/api/v1/health" "$U/api/v1/health" > /dev/null 2> "$T/ka.txt"
expect_grep "keep-alive reuse" 'Re-using existing connection' "$T/ka.txt"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
expect_eq "clean exit on SIGTERM" 0 $?
SERVER_PID=
"$BIN" audit verify --db "$DB" > "$T/v.txt"
expect_eq "audit intact after serving" 0 $?
"$BIN" audit show --user dsb --db "$DB" --person "$ID" > "$T/a.csv"
expect_grep "read of the person audited" "query,person,$ID,Aktenbearbeitung" "$T/a.csv"
expect_grep "read bound to the logged-in user" "abh.sb.*query,person,$ID,Aktenbearbeitung" "$T/a.csv"
finish
