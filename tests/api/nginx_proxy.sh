#!/bin/sh
# The nginx examples of docs/operations.md, run for real: docs/nginx/
# fallnetz.conf (password login) and docs/nginx/fallnetz-sso.conf (single
# sign-on) in front of one fallnetz, with only their names, paths and ports
# replaced. Through nginx over HTTPS: health, HSTS, HTTP/2, a login with a
# Secure cookie, a person read; a client's own X-Remote-User is never
# honoured; the IdP's login is; Host and Origin are still checked by
# fallnetz. Skipped (exit 77) where nginx or openssl is missing.
. "$(dirname "$0")/lib.sh"
ROOT=${FALLNETZ_SOURCE_ROOT:?FALLNETZ_SOURCE_ROOT not set}
NGINX=$(command -v nginx || ls /usr/sbin/nginx 2> /dev/null)
DB=$(new_db d)
if [ -z "$NGINX" ] || ! command -v openssl > /dev/null; then
    echo "SKIP: nginx or openssl missing (scripts/install-deps.sh check installs them)"
    exit 77
fi
NGINX_PID=
stop_all() {
    # TERM to the master: it stops its workers; then at most 5 s
    if [ -n "$NGINX_PID" ]; then
        kill "$NGINX_PID" 2> /dev/null
        i=0
        while kill -0 "$NGINX_PID" 2> /dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        kill -9 "$NGINX_PID" 2> /dev/null
    fi
    cleanup
}
trap stop_all EXIT
NAME=fallnetz.behoerde.example

# docs/operations.md quotes fallnetz-sso.conf: the quote must be the file
awk '/^```nginx$/ {on = 1; next} on && /^```$/ {exit} on' "$ROOT/docs/operations.md" > "$T/quoted.conf"
if cmp -s "$T/quoted.conf" "$ROOT/docs/nginx/fallnetz-sso.conf"; then ok; else
    bad "the nginx block in docs/operations.md differs from docs/nginx/fallnetz-sso.conf:"
    diff "$T/quoted.conf" "$ROOT/docs/nginx/fallnetz-sso.conf" | sed 's/^/    /'
fi

# three free loopback ports for nginx (password, SSO, the stand-in IdP)
python3 -c '
import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))' > "$T/ports"
read -r PW_PORT SSO_PORT IDP_PORT < "$T/ports"

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 1 \
    -subj "/CN=$NAME" -addext "subjectAltName=DNS:$NAME" > /dev/null 2>&1
expect_eq "test certificate" 0 $?

"$BIN" demo --db "$DB" --persons 20 --seed 7 > /dev/null 2>&1
expect_eq "demo exit" 0 $?
"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/port" --no-catalog \
    --allowed-host "$NAME" --trusted-proxy 127.0.0.2 --trusted-user-header X-Remote-User \
    > "$T/serve.out" 2> "$T/serve.err" &
SERVER_PID=$!
wait_port "$T/port"
FPORT=$(cat "$T/port")

# render: each literal must be there (a changed example must change the test)
N="$T/nginx"
mkdir -p "$N/logs" "$N/tmp"
render() { # SOURCE TARGET LISTEN-PORT [extra sed expressions]
    _src=$1 _dst=$2 _port=$3
    shift 3
    for lit in 'listen 443 ssl http2;' '/etc/ssl/fallnetz/fullchain.pem' \
        '/etc/ssl/fallnetz/privkey.pem' 'proxy_pass http://127.0.0.1:8080;' "server_name $NAME;"; do
        grep -qF "$lit" "$_src" && ok || bad "$(basename "$_src") lacks '$lit'"
    done
    sed -e "s|listen 443 ssl http2;|listen 127.0.0.1:$_port ssl http2;|" \
        -e "s|/etc/ssl/fallnetz/fullchain.pem|$T/cert.pem|" \
        -e "s|/etc/ssl/fallnetz/privkey.pem|$T/key.pem|" \
        -e "s|proxy_pass http://127.0.0.1:8080;|proxy_pass http://127.0.0.1:$FPORT;|" \
        "$@" "$_src" > "$_dst"
}
# The password server runs with proxy_bind 127.0.0.2 too: the worst case,
# its connections come from the trusted address, so only its clearing of
# X-Remote-User keeps a client's header from fallnetz.
render "$ROOT/docs/nginx/fallnetz.conf" "$N/pw.conf" "$PW_PORT" \
    -e "s|^\( *\)proxy_pass http://127.0.0.1:$FPORT;|&\n\1proxy_bind 127.0.0.2;|"
grep -q 'proxy_bind 127.0.0.2;' "$N/pw.conf" && ok || bad "proxy_bind not added"
grep -qF 'proxy_pass https://idp.land.example/verify;' "$ROOT/docs/nginx/fallnetz-sso.conf" &&
    ok || bad "fallnetz-sso.conf lacks the IdP's verify URL"
render "$ROOT/docs/nginx/fallnetz-sso.conf" "$N/sso.conf" "$SSO_PORT" \
    -e "s|proxy_pass https://idp.land.example/verify;|proxy_pass http://127.0.0.1:$IDP_PORT/verify;|"
# As root the workers would drop to nobody, who cannot enter $T (0700).
USER_LINE=
[ "$(id -u)" -eq 0 ] && USER_LINE='user root;'
cat > "$N/nginx.conf" <<CONF
$USER_LINE
worker_processes 1;
pid $N/nginx.pid;
error_log $N/logs/error.log warn;
events { worker_connections 64; }
http {
    access_log $N/logs/access.log;
    client_body_temp_path $N/tmp/body;
    proxy_temp_path $N/tmp/proxy;
    fastcgi_temp_path $N/tmp/fastcgi;
    uwsgi_temp_path $N/tmp/uwsgi;
    scgi_temp_path $N/tmp/scgi;
    include $N/pw.conf;
    include $N/sso.conf;
    # stand-in for the identity provider's verifier: a valid IdP session
    # cookie names the user, anything else is 401
    server {
        listen 127.0.0.1:$IDP_PORT;
        location = /verify {
            if (\$cookie_idp_sitzung = "gueltig") {
                add_header X-SSO-User abh.sb;
                return 204;
            }
            return 401;
        }
    }
}
CONF
if ! "$NGINX" -t -q -p "$N/" -c "$N/nginx.conf" -e "$N/logs/error.log" 2> "$T/nginx-t.err"; then
    bad "nginx -t refuses the rendered configuration:"
    sed 's/^/    /' "$T/nginx-t.err"
    finish
    exit
fi
"$NGINX" -p "$N/" -c "$N/nginx.conf" -e "$N/logs/error.log" -g 'daemon off;' 2> "$T/nginx.err" &
NGINX_PID=$!

PW="https://$NAME:$PW_PORT"
SSO="https://$NAME:$SSO_PORT"
J='Content-Type: application/json'
Z='X-Fallnetz-Zweck: Aktenbearbeitung'
# curl through nginx: the example's name resolved to loopback, our CA only
c() { curl -s --max-time 5 --cacert "$T/cert.pem" --resolve "$NAME:$PW_PORT:127.0.0.1" \
    --resolve "$NAME:$SSO_PORT:127.0.0.1" --http2 "$@"; }
code() { c -o "$T/out.json" -w '%{http_code}' "$@"; }
i=0
while [ "$(code "$PW/api/v1/health")" != 200 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

PW_SB=$(demo_password "$DB" abh.sb)
ID=$(own_person "$DB" abh.sb)

# --- the password server
expect_eq "health through nginx" 200 "$(code -D "$T/h.h" "$PW/api/v1/health")"
expect_grep "HSTS" '^strict-transport-security: max-age=31536000' "$T/h.h"
expect_eq "HTTP/2" 2 "$(c -o /dev/null -w '%{http_version}' --http2 "$PW/api/v1/health")"
expect_eq "401 through nginx" 401 "$(code -D "$T/401.h" -H "$Z" "$PW/api/v1/persons/$ID")"
expect_grep "HSTS on an error too" '^strict-transport-security: max-age=31536000' "$T/401.h"
expect_grep "fallnetz's own headers pass" "^content-security-policy: " "$T/401.h"
expect_eq "login" 201 "$(code -D "$T/login.h" -c "$T/jar" -H "$J" \
    --data "{\"kennung\":\"abh.sb\",\"passwort\":\"$PW_SB\"}" "$PW/api/v1/session")"
expect_grep "Secure session cookie" '^set-cookie: fallnetz_sitzung=[A-Za-z0-9_-]\{43\}; HttpOnly; SameSite=Strict; Path=/; Secure' "$T/login.h"
expect_eq "person read with the session" 200 "$(code -b "$T/jar" -H "$Z" "$PW/api/v1/persons/$ID")"
expect_grep "the person" "\"id\":$ID" "$T/out.json"
# a client's own single sign-on header: no login, no session
expect_eq "client X-Remote-User: no login" 401 "$(code -H "$J" -H 'X-Remote-User: abh.sb' --data '{}' "$PW/api/v1/session")"
expect_eq "client X-Remote-User: no session" 401 "$(code -H 'X-Remote-User: abh.sb' -H "$Z" "$PW/api/v1/persons/$ID")"
# Host and Origin: still fallnetz's check (nginx passes \$host on)
expect_eq "foreign Host through nginx" 403 "$(code -H 'Host: evil.example' "$PW/api/v1/health")"
expect_grep "bad_host" '"bad_host"' "$T/out.json"
expect_eq "foreign Origin through nginx" 403 "$(code -H 'Origin: https://evil.example' -H "$J" \
    --data "{\"kennung\":\"abh.sb\",\"passwort\":\"$PW_SB\"}" "$PW/api/v1/session")"
expect_grep "foreign_origin" '"foreign_origin"' "$T/out.json"
expect_eq "the public origin" 201 "$(code -H "Origin: https://$NAME" -H "$J" \
    --data "{\"kennung\":\"abh.sb\",\"passwort\":\"$PW_SB\"}" "$PW/api/v1/session")"
head -c 1100000 /dev/zero | tr '\0' 'a' > "$T/big.json"
expect_eq "body over 1 MiB" 413 "$(code -H "$J" --data-binary @"$T/big.json" "$PW/api/v1/session")"

# --- the single sign-on server
expect_eq "SSO: no IdP session, no entry" 401 "$(code -D "$T/sso401.h" -H "$J" --data '{}' "$SSO/api/v1/session")"
if grep -q '"code"' "$T/out.json"; then bad "SSO: fallnetz answered without the IdP"; else ok; fi
expect_eq "SSO: no IdP session, client header" 401 "$(code -H "$J" -H 'X-Remote-User: abh.sb' --data '{}' "$SSO/api/v1/session")"
expect_eq "SSO: login without password" 201 "$(code -D "$T/sso.h" -c "$T/jar_sso" -b 'idp_sitzung=gueltig' \
    -H "$J" -H 'X-Remote-User: admin' --data '{}' "$SSO/api/v1/session")"
expect_grep "SSO: the IdP's user, not the client's" '"kennung":"abh.sb"' "$T/out.json"
expect_grep "SSO: Secure cookie" '^set-cookie: fallnetz_sitzung=[^;]*; HttpOnly; SameSite=Strict; Path=/; Secure' "$T/sso.h"
expect_grep "SSO: HSTS" '^strict-transport-security: max-age=31536000' "$T/sso.h"
SESSION=$(sed -n 's/^set-cookie: fallnetz_sitzung=\([^;]*\);.*/\1/p' "$T/sso.h" | tr -d '\r')
expect_eq "SSO: person read" 200 "$(code -b "idp_sitzung=gueltig; fallnetz_sitzung=$SESSION" -H "$Z" "$SSO/api/v1/persons/$ID")"
expect_eq "SSO: foreign Host" 403 "$(code -b 'idp_sitzung=gueltig' -H 'Host: evil.example' "$SSO/api/v1/health")"

# fallnetz itself, not via nginx: the header from 127.0.0.1 is nothing
expect_eq "direct, client header ignored" 401 "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    -H "Host: $NAME" -H "$J" -H 'X-Remote-User: abh.sb' --data '{}' "http://127.0.0.1:$FPORT/api/v1/session")"
if grep -qi 'emerg\|alert\|crit' "$N/logs/error.log" "$T/nginx.err"; then
    bad "nginx errors:"
    cat "$N/logs/error.log" "$T/nginx.err"
else ok; fi
finish
