#!/bin/sh
# Sessions in the store (issue 12): a restart keeps them; two servers on one
# database accept each other's sessions and CSRF tokens, and a logout on one
# counts on the other at the next request; disabling an account or setting
# its password from the command line ends its sessions at the next request
# (no recheck interval: every request reads the session with its account);
# a busy user writes last_seen once a minute, not per request; ended and
# expired sessions are pruned at the next login; only digests are stored.
. "$(dirname "$0")/lib.sh"
DB=$(new_db d)

"$BIN" demo --db "$DB" --persons 30 --seed 5 > /dev/null 2>&1
expect_eq "demo exit" 0 $?
J='Content-Type: application/json'
Z='X-Fallnetz-Zweck: Aktenbearbeitung'
PW=$(demo_password "$DB" abh.sb)
ID=$(own_person "$DB" abh.sb)
code() { curl -s -o "$T/out.json" -w '%{http_code}' "$@"; }
PIDS=
# serve NAME [options]: starts a server on its own port; its URL in $NAME_URL
serve() {
    _n=$1
    shift
    rm -f "$T/$_n.port"
    "$BIN" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/$_n.port" --no-catalog "$@" \
        > "$T/$_n.out" 2> "$T/$_n.err" &
    eval "${_n}_PID=$!"
    PIDS="$PIDS $!"
    wait_port "$T/$_n.port"
    eval "${_n}_URL=http://127.0.0.1:$(cat "$T/$_n.port")"
}
stop() {
    eval "_p=\$${1}_PID"
    kill -TERM "$_p"
    wait "$_p"
}
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; cleanup' EXIT

# (1) a restart keeps the session and its CSRF token
serve A
CSRF=$(login "$A_URL" abh.sb "$PW" "$T/jar")
expect_eq "csrf on login" 43 "${#CSRF}"
expect_eq "A: person" 200 "$(code -b "$T/jar" -H "$Z" "$A_URL/api/v1/persons/$ID")"
stop A
serve A
expect_eq "after restart: session" 200 "$(code -b "$T/jar" "$A_URL/api/v1/session")"
expect_grep "after restart: same CSRF token" "\"csrf\":\"$CSRF\"" "$T/out.json"
expect_eq "after restart: person" 200 "$(code -b "$T/jar" -H "$Z" "$A_URL/api/v1/persons/$ID")"
expect_eq "after restart: CSRF still refused when wrong" 403 \
    "$(code -b "$T/jar" -X DELETE -H 'X-CSRF-Token: falsch' "$A_URL/api/v1/session")"

# (2) two servers on one database (both on 127.0.0.1: the same Host rules)
serve B
expect_eq "B: A's session" 200 "$(code -b "$T/jar" "$B_URL/api/v1/session")"
expect_grep "B: A's CSRF token" "\"csrf\":\"$CSRF\"" "$T/out.json"
expect_eq "B: person with A's session" 200 "$(code -b "$T/jar" -H "$Z" "$B_URL/api/v1/persons/$ID")"
# a busy user: many requests, still the last_seen of the login (written at
# most once a minute)
i=0
while [ $i -lt 20 ]; do
    curl -s -o /dev/null -b "$T/jar" -H "$Z" "$A_URL/api/v1/persons/$ID"
    curl -s -o /dev/null -b "$T/jar" -H "$Z" "$B_URL/api/v1/persons/$ID"
    i=$((i + 1))
done
expect_eq "no write per request" 1 "$(db_query "$DB" "SELECT count(*) FROM web_session WHERE ended_at IS NULL AND last_seen - created_at < 60")"
expect_eq "logout on B" 204 "$(code -b "$T/jar" -X DELETE -H "X-CSRF-Token: $CSRF" "$B_URL/api/v1/session")"
expect_eq "A: next request after B's logout" 401 "$(code -b "$T/jar" -H "$Z" "$A_URL/api/v1/persons/$ID")"
expect_eq "B: after its logout" 401 "$(code -b "$T/jar" "$B_URL/api/v1/session")"

# (3) disabled or new password on the command line: 401 at the next request
# on either server, without waiting
CSRF=$(login "$A_URL" abh.sb "$PW" "$T/jar")
expect_eq "logged in again" 200 "$(code -b "$T/jar" -H "$Z" "$B_URL/api/v1/persons/$ID")"
"$BIN" user disable abh.sb --db "$DB" > /dev/null
expect_eq "disabled: A refuses at once" 401 "$(code -b "$T/jar" -H "$Z" "$A_URL/api/v1/persons/$ID")"
expect_eq "disabled: B refuses at once" 401 "$(code -b "$T/jar" -H "$Z" "$B_URL/api/v1/persons/$ID")"
"$BIN" user enable abh.sb --db "$DB" > /dev/null
expect_eq "enabled again: the old session stays ended" 401 "$(code -b "$T/jar" "$A_URL/api/v1/session")"
CSRF=$(login "$B_URL" abh.sb "$PW" "$T/jar")
expect_eq "logged in on B" 200 "$(code -b "$T/jar" "$A_URL/api/v1/session")"
printf 'ein anderes langes Passwort\n' | "$BIN" user passwd abh.sb --password-stdin --db "$DB" > /dev/null
expect_eq "new password: session ended" 401 "$(code -b "$T/jar" "$A_URL/api/v1/session")"
PW='ein anderes langes Passwort'
stop A
stop B

# (4) ended and expired sessions are pruned at the next login
serve C --session-idle 2
login "$C_URL" abh.sb "$PW" "$T/jar_old" > /dev/null
expect_eq "short session" 200 "$(code -b "$T/jar_old" "$C_URL/api/v1/session")"
sleep 3
expect_eq "idle session refused" 401 "$(code -b "$T/jar_old" "$C_URL/api/v1/session")"
login "$C_URL" abh.sb "$PW" "$T/jar_new" > /dev/null
expect_eq "after the login only its session is left" 1 "$(db_query "$DB" "SELECT count(*) FROM web_session")"
expect_eq "the new session works" 200 "$(code -b "$T/jar_new" "$C_URL/api/v1/session")"
stop C

# the audit trail: a login on A, its logout on B, no row per request; no
# cookie or CSRF token in the database
"$BIN" audit show --user dsb --db "$DB" > "$T/audit.csv"
expect_eq "logins audited" 5 "$(grep -c 'zugang,zugang,.*anmeldung' "$T/audit.csv")"
expect_eq "logouts audited" 1 "$(grep -c 'zugang,zugang,.*abmeldung' "$T/audit.csv")"
db_dump "$DB" > "$T/dump.sql"
for jar in "$T/jar" "$T/jar_old" "$T/jar_new"; do
    cookie=$(awk '$6 == "fallnetz_sitzung" {print $7}' "$jar")
    expect_eq "cookie read from the jar" 43 "${#cookie}"
    if grep -qF -- "$cookie" "$T/dump.sql"; then bad "a cookie is in the database"; else ok; fi
done
if grep -qF -- "$CSRF" "$T/dump.sql"; then bad "a CSRF token is in the database"; else ok; fi
"$BIN" audit verify --db "$DB" > /dev/null
expect_eq "audit chain intact" 0 $?

finish
