# pglib.sh – helpers for the PostgreSQL fault tests (sourced). A test gets
# databases of its own on the cluster at FALLNETZ_TEST_PG_URL (new_db), or a
# whole cluster of its own (own_cluster) when it stops and starts the
# server, so that the other tests on the shared cluster never notice.
# Without FALLNETZ_TEST_PG_URL (scripts/check.sh sets it) the test skips.
set -u
if [ -z "${FALLNETZ_TEST_PG_URL:-}" ]; then
    echo "skip: FALLNETZ_TEST_PG_URL not set (make check starts a cluster with scripts/pg-tmp.sh)"
    exit 77
fi
BIN=${FALLNETZ_BIN:?FALLNETZ_BIN not set}
PGTMP=${FALLNETZ_SOURCE_ROOT:?FALLNETZ_SOURCE_ROOT not set}/scripts/pg-tmp.sh
export PGCLIENTENCODING=UTF8 PGCONNECT_TIMEOUT=10
T=$(mktemp -d /tmp/fallnetz-pgt-XXXXXX)
cd "$T" || exit 1
: > "$T/pids"
cleanup() {
    while read -r p; do kill "$p" 2> /dev/null; done < "$T/pids"
    if [ -f "$T/dbs" ]; then
        while read -r d; do
            psql "$FALLNETZ_TEST_PG_URL" -qc "DROP DATABASE IF EXISTS $d WITH (FORCE)" > /dev/null 2>&1
        done < "$T/dbs"
    fi
    [ -f "$T/cluster" ] && (cd / && "$PGTMP" stop "$(cat "$T/cluster")")
    rm -rf "$T"
}
trap cleanup EXIT
. "$(dirname "$0")/../checks.sh" # every test lives one folder below tests/
# url_with_db URL NAME: URL with its database replaced by NAME.
url_with_db() {
    printf '%s\n' "$1" | sed "s|^\([a-z]*://[^/?]*\)/[^?]*|\1/$2|"
}
# new_db [ADMIN_URL]: creates an empty database on the cluster (default: the
# shared one), dropped on exit, and prints its URL.
new_db() {
    _admin=${1:-$FALLNETZ_TEST_PG_URL}
    _name=fnpg_$$_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
    psql "$_admin" -qc "CREATE DATABASE $_name" > /dev/null || return 1
    [ "$_admin" = "$FALLNETZ_TEST_PG_URL" ] && echo "$_name" >> "$T/dbs"
    url_with_db "$_admin" "$_name"
}
# own_cluster: starts a cluster for this test alone (removed on exit) and
# prints its URL; pg_down [fast|immediate] and pg_up stop and start it.
own_cluster() {
    _dir=$(mktemp -d /tmp/fn-pgc.XXXXXX)
    echo "$_dir" > "$T/cluster"
    (cd / && "$PGTMP" start "$_dir")
}
pg_down() { (cd / && "$PGTMP" down "$(cat "$T/cluster")" "${1:-fast}"); }
pg_up() { (cd / && "$PGTMP" up "$(cat "$T/cluster")"); }
# q URL SQL: one value (or rows, '|'-separated) from the database.
q() { psql "$1" -Atqc "$2"; }
# background PID: killed on exit.
background() { echo "$1" >> "$T/pids"; }
# serve URL NAME: starts `fallnetz serve` on a free port (log NAME.log),
# prints its http://127.0.0.1:PORT; NAME.pid holds the process id.
serve() {
    "$BIN" serve --db "$1" --listen 127.0.0.1:0 --port-file "$T/$2.port" > "$T/$2.log" 2>&1 &
    echo $! > "$T/$2.pid"
    background $!
    _i=0
    while [ ! -s "$T/$2.port" ] && [ $_i -lt 300 ]; do sleep 0.1; _i=$((_i + 1)); done
    echo "http://127.0.0.1:$(cat "$T/$2.port")"
}
# stop_serve NAME: SIGTERM and wait until it has ended (spool chained).
stop_serve() {
    _p=$(cat "$T/$1.pid")
    kill "$_p" 2> /dev/null
    _i=0
    while kill -0 "$_p" 2> /dev/null && [ $_i -lt 300 ]; do sleep 0.1; _i=$((_i + 1)); done
}
# set_password URL LOGIN PASSWORD
set_password() {
    printf '%s\n' "$3" | "$BIN" user passwd "$2" --password-stdin --db "$1" > /dev/null
}
# login HTTP LOGIN PASSWORD JAR: a session in JAR; prints the CSRF token.
login() {
    curl -s -c "$4" -H 'Content-Type: application/json' \
        --data "{\"kennung\":\"$2\",\"passwort\":\"$3\"}" "$1/api/v1/session" |
        sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p'
}
# region_person URL LOGIN: the lowest person id in the region of the
# account's organisation (koordination sees these).
region_person() {
    q "$1" "SELECT min(p.id) FROM person p JOIN organisation a ON a.id = p.authority_id
        JOIN organisation o ON o.region_id = a.region_id JOIN app_user u ON u.org_id = o.id
        WHERE u.login = '$2'"
}
