#!/bin/sh
# A wrong PostgreSQL URL is one clear German error naming what failed, and
# never the password (neither the wrong one given nor the right one, raw or
# percent-decoded): a malformed URL, a socket folder without a server, a
# host:port nobody listens on, a host name that does not resolve, a wrong
# password, an unknown user, a database that does not exist. For init,
# audit verify, serve (stderr = its log) and FALLNETZ_DB; exit status 1.
. "$(dirname "$0")/pglib.sh"

RIGHT=$(printf '%s\n' "$FALLNETZ_TEST_PG_URL" | sed -n 's|^[a-z]*://[^:/@]*:\([^@]*\)@.*|\1|p')
WRONG='falsch%21Xq7'      # as written in the URL
WRONG_DECODED='falsch!Xq7' # as libpq sends it
with_password() { printf '%s\n' "$FALLNETZ_TEST_PG_URL" | sed "s|^\([a-z]*://[^:/@]*:\)[^@]*@|\1$1@|"; }
with_user() { printf '%s\n' "$FALLNETZ_TEST_PG_URL" | sed "s|^\([a-z]*://\)[^:/@]*:|\1$1:|"; }
DB=$(new_db)

# case NAME URL PATTERN: every command fails with one line matching PATTERN
case_() {
    _name=$1 _url=$2 _want=$3
    for cmd in "init" "audit verify" "serve"; do
        if [ "$cmd" = serve ]; then
            "$BIN" serve --db "$_url" --listen 127.0.0.1:0 > "$T/err" 2>&1 &
            _p=$!
            background $_p
            _i=0
            while kill -0 $_p 2> /dev/null && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
            wait $_p
            _rc=$?
            # the catalogue it loaded is information, not an error
            grep -v '^fallnetz serve: Bewertungskatalog ' "$T/err" > "$T/err1"
            mv "$T/err1" "$T/err"
        else
            # shellcheck disable=SC2086 # audit verify is two words
            "$BIN" $cmd --db "$_url" > "$T/out" 2> "$T/err"
            _rc=$?
        fi
        expect_eq "$_name, $cmd: exit" 1 $_rc
        expect_eq "$_name, $cmd: one line" 1 "$(grep -c . "$T/err")"
        expect_grep "$_name, $cmd: says what failed" "$_want" "$T/err"
        [ -n "$RIGHT" ] && expect_no_grep "$_name, $cmd: not the password" "$RIGHT" "$T/err"
        expect_no_grep "$_name, $cmd: not the wrong password" "$WRONG" "$T/err"
        expect_no_grep "$_name, $cmd: not the wrong password decoded" "$WRONG_DECODED" "$T/err"
    done
    # the same through FALLNETZ_DB
    FALLNETZ_DB=$_url "$BIN" audit verify > /dev/null 2> "$T/err"
    expect_eq "$_name, FALLNETZ_DB: exit" 1 $?
    expect_grep "$_name, FALLNETZ_DB: says what failed" "$_want" "$T/err"
    [ -n "$RIGHT" ] && expect_no_grep "$_name, FALLNETZ_DB: not the password" "$RIGHT" "$T/err"
}

case_ "malformed URL" "postgresql://fallnetz:$WRONG@[::1/x" 'ungültige PostgreSQL-URL'
case_ "no server at the socket" "postgresql://fallnetz:$WRONG@/fallnetz?host=/nonexistent-fn-sock" \
    'PostgreSQL-Server nicht erreichbar: postgresql://fallnetz:\*\*\*@/fallnetz?host=/nonexistent-fn-sock'
case_ "nobody listens on the port" "postgresql://fallnetz:$WRONG@127.0.0.1:1/fallnetz?connect_timeout=5" \
    'PostgreSQL-Server nicht erreichbar: postgresql://fallnetz:\*\*\*@127.0.0.1:1/'
case_ "unknown host" "postgresql://fallnetz:$WRONG@fallnetz-db.invalid/fallnetz?connect_timeout=5" \
    'PostgreSQL-Server nicht erreichbar: postgresql://fallnetz:\*\*\*@fallnetz-db.invalid/'
if [ -n "$RIGHT" ]; then
    case_ "wrong password" "$(with_password "$WRONG")" \
        'Anmeldung bei PostgreSQL abgelehnt (Benutzer oder Passwort falsch)'
    case_ "unknown user" "$(with_user niemand | sed "s|^\([a-z]*://[^:/@]*:\)[^@]*@|\1$WRONG@|")" \
        'Anmeldung bei PostgreSQL abgelehnt'
else
    echo "skip: the cluster's URL has no password"
fi
case_ "no such database" "$(url_with_db "$FALLNETZ_TEST_PG_URL" fn_gibt_es_nicht)" \
    'PostgreSQL-Datenbank oder -Benutzer gibt es nicht: .*fn_gibt_es_nicht'
# the right URL works (the cases above fail for their reason only)
"$BIN" init --db "$DB" > "$T/out" 2>&1
expect_eq "right URL" 0 $?
[ -n "$RIGHT" ] && expect_no_grep "init's message hides the password" "$RIGHT" "$T/out"
# demo's messages name the database without its password
"$BIN" demo --db "$DB" --persons 0 > "$T/out" 2>&1
grep -q 'Demopersonen in postgresql://fallnetz:\*\*\*@' "$T/out" && ok || bad "demo names the database: $(cat "$T/out")"
[ -n "$RIGHT" ] && expect_no_grep "demo's messages hide the password" "$RIGHT" "$T/out"
finish
