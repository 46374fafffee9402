# lib.sh – helpers for the black-box tests (sourced). Each test creates its
# own temporary folder and removes it on exit.
set -u
BIN=${FALLNETZ_BIN:?FALLNETZ_BIN not set}
T=$(mktemp -d /tmp/fallnetz-api-XXXXXX)
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
fails=0
checks=0
ok() { checks=$((checks + 1)); }
bad() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }
expect_eq() { # name want got
    if [ "$2" = "$3" ]; then ok; else bad "$1: want '$2', got '$3'"; fi
}
expect_grep() { # name pattern file
    if grep -q -- "$2" "$3"; then ok; else bad "$1: '$2' not in $3:"; sed 's/^/    /' "$3"; fi
}
finish() {
    echo "$((checks - fails)) passed, $fails failed"
    [ "$fails" -eq 0 ]
}
# wait_port FILE: waits until serve has written its port (at most 10 s).
wait_port() {
    i=0
    while [ ! -s "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}
# demo_password DB LOGIN: the demo account's password from DB-zugaenge.txt.
demo_password() {
    awk -v l="$2" '$1 == l {print $2}' "$1-zugaenge.txt"
}
# login URL LOGIN PASSWORD JAR [curl-args...]: POST /api/v1/session, keeps
# the cookie in JAR and prints the CSRF token (empty when refused).
login() {
    _u=$1 _l=$2 _p=$3 _j=$4
    shift 4
    curl -s -c "$_j" -o "$T/login.out" "$@" -H 'Content-Type: application/json' \
        --data "{\"kennung\":\"$_l\",\"passwort\":\"$_p\"}" "$_u/api/v1/session" > /dev/null
    sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p' "$T/login.out"
}
# own_person DB LOGIN: the lowest person id of the account's own authority
# (need-to-know: a sachbearbeitung account sees only these).
own_person() {
    sqlite3 "$1" "SELECT min(p.id) FROM person p JOIN app_user u ON p.authority_id = u.org_id WHERE u.login = '$2'"
}
# region_person DB LOGIN: the lowest person id in the region of the
# account's organisation (koordination, zab).
region_person() {
    sqlite3 "$1" "SELECT min(p.id) FROM person p JOIN organisation a ON a.id = p.authority_id JOIN organisation o ON o.region_id = a.region_id JOIN app_user u ON u.org_id = o.id WHERE u.login = '$2'"
}
