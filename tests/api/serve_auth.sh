#!/bin/sh
# Access control against a running server (issue 11): logins (one answer for
# a wrong password, an unknown login, a disabled account), the session
# cookie, GET/DELETE session, idle expiry, CSRF, 415, back-off per login and
# per address, API token scope, roles, the trusted proxy's header from
# another address, 401 on every route without a session, the audit rows, no
# secret in the audit trail or on stderr, and TLS with HSTS and Secure.
. "$(dirname "$0")/lib.sh"
ROOT=${FALLNETZ_SOURCE_ROOT:?FALLNETZ_SOURCE_ROOT not set}
DB=$(new_db d)

"$BIN" demo --db "$DB" --persons 30 --seed 5 > /dev/null 2>&1
expect_eq "demo exit" 0 $?
"$BIN" user disable zab.sb --db "$DB" > /dev/null
"$BIN" token add --org STA-1 --scope intake --label "Test" --db "$DB" > "$T/tok.txt"
TOKEN=$(sed -n 2p "$T/tok.txt")
"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/port" --no-catalog \
    --session-idle 2 --trusted-proxy 127.0.0.2 --trusted-user-header X-Remote-User \
    > "$T/serve.out" 2> "$T/serve.err" &
SERVER_PID=$!
wait_port "$T/port"
P=$(cat "$T/port")
U="http://127.0.0.1:$P"
J='Content-Type: application/json'
Z='X-Fallnetz-Zweck: Aktenbearbeitung'
PW_SB=$(demo_password "$DB" abh.sb)
ID=$(own_person "$DB" abh.sb)
code() { curl -s -o "$T/out.json" -w '%{http_code}' "$@"; }

# every route of the API description but the public ones: 401 without a session
python3 - "$ROOT/docs/openapi.json" > "$T/routes.txt" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
for path, item in doc["paths"].items():
    for method, op in item.items():
        if not op.get("x-fallnetz-public"):
            print(method.upper(), path.replace("{id}", "5"))
PY
routes=0
while read -r m path; do
    routes=$((routes + 1))
    got=$(code -X "$m" -H "$J" -H "$Z" --data '{}' "$U$path")
    [ "$m" = GET ] && got=$(code -H "$Z" "$U$path")
    expect_eq "$m $path without session" 401 "$got"
    expect_grep "$m $path code" '"unauthenticated"' "$T/out.json"
done < "$T/routes.txt"
[ "$routes" -ge 8 ] && ok || bad "only $routes routes read from docs/openapi.json"
expect_eq "health needs no session" 200 "$(code "$U/api/v1/health")"

# one answer for a wrong password, an unknown login and a disabled account
i=0
for creds in "abh.sb:ein falsches Passwort" "niemand.hier:ein falsches Passwort" \
    "zab.sb:$(demo_password "$DB" zab.sb)"; do
    i=$((i + 1))
    l=${creds%%:*} p=${creds#*:}
    expect_eq "login failure $i" 401 "$(code -D "$T/f$i.h" -H "$J" --data "{\"kennung\":\"$l\",\"passwort\":\"$p\"}" "$U/api/v1/session")"
    cp "$T/out.json" "$T/f$i.json"
    if grep -qi '^Set-Cookie' "$T/f$i.h"; then bad "cookie on failure $i"; else ok; fi
done
expect_grep "failure message" '{"code":"login_failed","message":"Kennung oder Passwort falsch."}' "$T/f1.json"
expect_eq "unknown login answers the same" "$(cat "$T/f1.json")" "$(cat "$T/f2.json")"
expect_eq "disabled account answers the same" "$(cat "$T/f1.json")" "$(cat "$T/f3.json")"
expect_eq "login as form" 415 "$(code --data "kennung=abh.sb&passwort=$PW_SB" "$U/api/v1/session")"

# a login: cookie attributes, the body, GET and DELETE
expect_eq "login" 201 "$(code -D "$T/login.h" -c "$T/jar" -H "$J" --data "{\"kennung\":\"abh.sb\",\"passwort\":\"$PW_SB\"}" "$U/api/v1/session")"
expect_grep "cookie attributes" '^Set-Cookie: fallnetz_sitzung=[A-Za-z0-9_-]\{43\}; HttpOnly; SameSite=Strict; Path=/' "$T/login.h"
if grep -q 'Secure' "$T/login.h"; then bad "Secure without TLS"; else ok; fi
if grep -qi 'Strict-Transport-Security' "$T/login.h"; then bad "HSTS without TLS"; else ok; fi
SESSION=$(sed -n 's/^Set-Cookie: fallnetz_sitzung=\([^;]*\);.*/\1/p' "$T/login.h" | tr -d '\r')
CSRF=$(sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p' "$T/out.json")
expect_eq "csrf token" 43 "${#CSRF}"
if grep -qF "$SESSION" "$T/out.json"; then bad "session token in the body"; else ok; fi
expect_grep "roles in the answer" '"rollen":\["sachbearbeitung"\]' "$T/out.json"
expect_grep "purposes in the answer" '"zwecke":\["Aktenbearbeitung"' "$T/out.json"
expect_eq "GET session" 200 "$(code -b "$T/jar" "$U/api/v1/session")"
expect_grep "GET session repeats csrf" "\"csrf\":\"$CSRF\"" "$T/out.json"
expect_eq "person with session" 200 "$(code -b "$T/jar" -H "$Z" "$U/api/v1/persons/$ID")"
expect_eq "without purpose" 400 "$(code -b "$T/jar" "$U/api/v1/persons/$ID")"
expect_eq "unlisted purpose" 400 "$(code -b "$T/jar" -H 'X-Fallnetz-Zweck: Neugier' "$U/api/v1/persons/$ID")"
expect_eq "forged cookie" 401 "$(code -b 'fallnetz_sitzung=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' -H "$Z" "$U/api/v1/persons/$ID")"
# CSRF: a state-changing request without or with a wrong token
expect_eq "logout without CSRF" 403 "$(code -b "$T/jar" -X DELETE "$U/api/v1/session")"
expect_grep "csrf code" '"csrf"' "$T/out.json"
expect_eq "logout with wrong CSRF" 403 "$(code -b "$T/jar" -X DELETE -H 'X-CSRF-Token: falsch' "$U/api/v1/session")"
expect_eq "decision without CSRF" 403 "$(code -b "$T/jar" -X POST -H "$J" --data '{}' "$U/api/v1/decisions")"
expect_eq "still logged in" 200 "$(code -b "$T/jar" "$U/api/v1/session")"
expect_eq "logout" 204 "$(code -D "$T/logout.h" -b "$T/jar" -X DELETE -H "X-CSRF-Token: $CSRF" "$U/api/v1/session")"
expect_grep "logout clears the cookie" '^Set-Cookie: fallnetz_sitzung=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0' "$T/logout.h"
expect_eq "session ended" 401 "$(code -b "fallnetz_sitzung=$SESSION" "$U/api/v1/session")"

# idle expiry (--session-idle 2)
CSRF=$(login "$U" abh.sb "$PW_SB" "$T/jar2")
expect_eq "fresh session" 200 "$(code -b "$T/jar2" "$U/api/v1/session")"
sleep 3.5
expect_eq "idle session expired" 401 "$(code -b "$T/jar2" "$U/api/v1/session")"

# roles: 403, audited as a denial
CSRF_ST=$(login "$U" statistik "$(demo_password "$DB" statistik)" "$T/jar_st")
expect_eq "statistik reads no person" 403 "$(code -b "$T/jar_st" -H "$Z" "$U/api/v1/persons/$ID")"
expect_grep "forbidden code" '"forbidden"' "$T/out.json"
login "$U" polizei "$(demo_password "$DB" polizei)" "$T/jar_po" > /dev/null
expect_eq "polizei: no person route until the reduced view" 403 "$(code -b "$T/jar_po" -H "$Z" "$U/api/v1/persons")"
login "$U" admin "$(demo_password "$DB" admin)" "$T/jar_ad" > /dev/null
expect_eq "admin: no person data" 403 "$(code -b "$T/jar_ad" -H "$Z" "$U/api/v1/persons/$ID")"

# API tokens: an intake token reads no person; a wrong token is nobody
expect_eq "intake token cannot read persons" 403 "$(code -H "Authorization: Bearer $TOKEN" -H "$Z" "$U/api/v1/persons/$ID")"
expect_eq "intake token cannot list persons" 403 "$(code -H "Authorization: Bearer $TOKEN" -H "$Z" "$U/api/v1/persons")"
expect_eq "unknown token" 401 "$(code -H 'Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' -H "$Z" "$U/api/v1/persons/$ID")"
"$BIN" token revoke 1 --db "$DB" > /dev/null
expect_eq "revoked token" 401 "$(code -H "Authorization: Bearer $TOKEN" -H "$Z" "$U/api/v1/persons/$ID")"

# single sign-on: the header counts only from the trusted proxy's address
expect_eq "proxy header from 127.0.0.1 ignored" 401 "$(code -H "$J" -H 'X-Remote-User: abh.sb' --data '{}' "$U/api/v1/session")"
expect_eq "proxy header with a login, wrong address" 401 "$(code -H "$J" -H 'X-Remote-User: abh.sb' --data '{"kennung":"abh.sb"}' "$U/api/v1/session")"
expect_eq "proxy header is no session" 401 "$(code -H 'X-Remote-User: abh.sb' -H "$Z" "$U/api/v1/persons/$ID")"
expect_eq "proxy header from 127.0.0.3 ignored" 401 "$(code --interface 127.0.0.3 -H "$J" -H 'X-Remote-User: abh.sb' --data '{}' "$U/api/v1/session")"
expect_eq "trusted proxy: session" 201 "$(code --interface 127.0.0.2 -c "$T/jar_sso" -H "$J" -H 'X-Remote-User: abh.sb' --data '{}' "$U/api/v1/session")"
expect_grep "trusted proxy: the user" '"kennung":"abh.sb"' "$T/out.json"
expect_eq "trusted proxy: session works" 200 "$(code -b "$T/jar_sso" -H "$Z" "$U/api/v1/persons/$ID")"
expect_eq "trusted proxy: unknown login" 401 "$(code --interface 127.0.0.2 -H "$J" -H 'X-Remote-User: niemand.hier' --data '{}' "$U/api/v1/session")"
expect_eq "trusted proxy: disabled account" 401 "$(code --interface 127.0.0.2 -H "$J" -H 'X-Remote-User: zab.sb' --data '{}' "$U/api/v1/session")"

# fail_times N LOGIN-PREFIX [curl-args...]: N failed logins (a 429 on the
# way is waited out: the throttle counts only attempts it lets through);
# LOGIN-PREFIX "abh.sb2" always uses that login, "probe" a new one each time
fail_times() {
    _want=$1 _prefix=$2 _done=0 _tries=0
    shift 2
    while [ $_done -lt "$_want" ] && [ $_tries -lt 40 ]; do
        _tries=$((_tries + 1))
        _l=$_prefix
        [ "$_prefix" = probe ] && _l="probe$_tries"
        _c=$(code -D "$T/ft.h" "$@" -H "$J" --data "{\"kennung\":\"$_l\",\"passwort\":\"falsch falsch falsch\"}" "$U/api/v1/session")
        if [ "$_c" = 401 ]; then
            _done=$((_done + 1))
        elif [ "$_c" = 429 ]; then
            sleep "$(sed -n 's/^Retry-After: \([0-9]*\).*/\1/p' "$T/ft.h" | tr -d '\r')"
        else
            bad "failed login answered $_c"
            return
        fi
    done
}
# back-off per login: after 6 failures the next attempt waits 4 s (429 +
# Retry-After), also with the right password; other logins are not locked
PW_SB2=$(demo_password "$DB" abh.sb2)
# (from addresses of their own, so that the address's back-off stays out of it)
fail_times 6 abh.sb2 --interface 127.0.0.5
expect_eq "login backed off" 429 "$(code -D "$T/429.h" --interface 127.0.0.6 -H "$J" --data "{\"kennung\":\"abh.sb2\",\"passwort\":\"$PW_SB2\"}" "$U/api/v1/session")"
expect_grep "429 code" '"login_throttled"' "$T/out.json"
expect_grep "Retry-After" '^Retry-After: [0-9]' "$T/429.h"
expect_eq "another login is not locked" 201 "$(code --interface 127.0.0.5 -H "$J" --data "{\"kennung\":\"abh.sb\",\"passwort\":\"$PW_SB\"}" "$U/api/v1/session")"
sleep "$(sed -n 's/^Retry-After: \([0-9]*\).*/\1/p' "$T/429.h" | tr -d '\r')"
expect_eq "after the wait" 201 "$(code --interface 127.0.0.6 -H "$J" --data "{\"kennung\":\"abh.sb2\",\"passwort\":\"$PW_SB2\"}" "$U/api/v1/session")"

# back-off per address: 13 failures from 127.0.0.4, each with another login
fail_times 13 probe --interface 127.0.0.4
expect_eq "address backed off" 429 "$(code --interface 127.0.0.4 -H "$J" --data "{\"kennung\":\"abh.sb\",\"passwort\":\"$PW_SB\"}" "$U/api/v1/session")"
expect_eq "other address not backed off" 201 "$(code -H "$J" --data "{\"kennung\":\"abh.sb\",\"passwort\":\"$PW_SB\"}" "$U/api/v1/session")"

kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
SERVER_PID=

# the audit trail: logins, failures, logouts, denials; no secret anywhere
"$BIN" audit show --user dsb --db "$DB" > "$T/audit.csv"
for event in anmeldung fehlversuch abmeldung verweigert; do
    expect_grep "audited: $event" "zugang,zugang,.*$event" "$T/audit.csv"
done
expect_grep "denial names the route" "statistik,.*zugang,zugang,.*verweigert.*/api/v1/persons/$ID" "$T/audit.csv"
expect_grep "token denial audited" 'api-token-1,.*verweigert' "$T/audit.csv"
db_dump "$DB" > "$T/dump.sql"
for secret in "$PW_SB" "$PW_SB2" "$SESSION" "$CSRF" "$TOKEN" "falsch falsch" "ein falsches"; do
    if grep -qF -- "$secret" "$T/audit.csv" "$T/dump.sql" "$T/serve.out" "$T/serve.err"; then
        bad "a secret ($(printf %s "$secret" | cut -c1-4)…) is in the audit trail, the database or the server's output"
    else ok; fi
done
"$BIN" audit verify --db "$DB" > /dev/null
expect_eq "audit chain intact" 0 $?

# TLS: HTTPS with HSTS on every answer and a Secure cookie
if command -v openssl > /dev/null; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 1 \
        -subj '/CN=127.0.0.1' > /dev/null 2>&1
    "$BIN" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/tport" --no-catalog \
        --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" > "$T/tls.out" 2> "$T/tls.err" &
    SERVER_PID=$!
    wait_port "$T/tport"
    TU="https://127.0.0.1:$(cat "$T/tport")"
    expect_eq "TLS health" 200 "$(code -D "$T/tls.h" --cacert "$T/cert.pem" "$TU/api/v1/health")"
    expect_grep "HSTS" '^Strict-Transport-Security: max-age=31536000' "$T/tls.h"
    expect_eq "TLS login" 201 "$(code -D "$T/tlslogin.h" --cacert "$T/cert.pem" -H "$J" --data "{\"kennung\":\"abh.sb\",\"passwort\":\"$PW_SB\"}" "$TU/api/v1/session")"
    expect_grep "Secure cookie" '^Set-Cookie: fallnetz_sitzung=.*; Secure' "$T/tlslogin.h"
    expect_grep "HSTS on the login" '^Strict-Transport-Security: max-age=31536000' "$T/tlslogin.h"
    expect_eq "TLS page" 200 "$(code -D "$T/tlspage.h" --cacert "$T/cert.pem" "$TU/")"
    expect_grep "HSTS on the page" '^Strict-Transport-Security: max-age=31536000' "$T/tlspage.h"
    expect_eq "plain HTTP to the TLS port fails" 000 "$(code --max-time 3 "http://127.0.0.1:$(cat "$T/tport")/api/v1/health")"
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID"
    SERVER_PID=
    if grep -q 'PRIVATE KEY' "$T/tls.out" "$T/tls.err"; then bad "key in the output"; else ok; fi
else
    echo "SKIP: TLS part (no openssl on this machine to make a test certificate)"
fi
# An account disabled by another process ends its sessions (in the store, at
# once: serve_sessions.sh), not only at the idle timeout; the same timing
# without disabling keeps the session.
# Its own server, so that the idle period leaves a wide margin.
ORG=$(db_query "$DB" "SELECT o.code FROM organisation o JOIN app_user u ON u.org_id = o.id WHERE u.login = 'abh.sb'")
for l in tmp.eins tmp.zwei; do
    printf 'ein langes Passwort 1\n' | "$BIN" user add $l --org "$ORG" --role sachbearbeitung \
        --name "Test $l" --password-stdin --db "$DB" > /dev/null
done
"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/rport" --no-catalog \
    --session-idle 8 > /dev/null 2>&1 &
SERVER_PID=$!
wait_port "$T/rport"
RU="http://127.0.0.1:$(cat "$T/rport")"
login "$RU" tmp.eins 'ein langes Passwort 1' "$T/jar_t1" > /dev/null
login "$RU" tmp.zwei 'ein langes Passwort 1' "$T/jar_t2" > /dev/null
expect_eq "before disabling" 200 "$(code -b "$T/jar_t1" "$RU/api/v1/session")"
expect_eq "control before" 200 "$(code -b "$T/jar_t2" "$RU/api/v1/session")"
"$BIN" user disable tmp.eins --db "$DB" > /dev/null
sleep 5
expect_eq "disabled account: session ended" 401 "$(code -b "$T/jar_t1" -H "$Z" "$RU/api/v1/persons/$ID")"
expect_eq "control: session kept" 200 "$(code -b "$T/jar_t2" -H "$Z" "$RU/api/v1/persons/$ID")"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
SERVER_PID=

finish
