# lib.sh – helpers for the black-box tests (sourced). Each test creates its
# own temporary folder, works in it and removes it on exit.
#
# Backends: FALLNETZ_TEST_BACKEND=sqlite (default) or postgresql. A test asks
# new_db for each database it needs and reaches it only through the db_*
# helpers below, so that one script runs on either backend. Under postgresql
# every new_db is a new, randomly named database on the cluster at
# FALLNETZ_TEST_PG_URL (scripts/check.sh starts a throwaway one with
# scripts/pg-tmp.sh), dropped again on exit.
set -u
BIN=${FALLNETZ_BIN:?FALLNETZ_BIN not set}
BACKEND=${FALLNETZ_TEST_BACKEND:-sqlite}
case "$BACKEND" in
sqlite) ;;
postgresql)
    if [ -z "${FALLNETZ_TEST_PG_URL:-}" ]; then
        echo "FAIL: FALLNETZ_TEST_BACKEND=postgresql needs FALLNETZ_TEST_PG_URL, the URL of a" \
            "PostgreSQL cluster whose user may create databases (make check starts one with" \
            "scripts/pg-tmp.sh; or configure with -Dpg_tests=false)"
        exit 1
    fi
    command -v psql > /dev/null || {
        echo "FAIL: psql not found (postgresql-client; scripts/install-deps.sh check)"
        exit 1
    }
    # psql speaks UTF-8 whatever the test's locale is, and asks no questions
    export PGCLIENTENCODING=UTF8 PGCONNECT_TIMEOUT=10
    ;;
*)
    echo "FAIL: FALLNETZ_TEST_BACKEND is '$BACKEND', not sqlite or postgresql"
    exit 1
    ;;
esac
T=$(mktemp -d /tmp/fallnetz-api-XXXXXX)
# demo writes the accounts of a postgresql:// database into the current
# folder (docs/man/fallnetz.1): the test's own, never the build folder
cd "$T" || exit 1
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2> /dev/null
    db_drop_all
    rm -rf "$T"
}
trap cleanup EXIT
. "$(dirname "$0")/../checks.sh" # every test lives one folder below tests/
# skip_on_pg WHY: prints that a SQLite-only part is skipped and returns 0
# under postgresql (use: `if skip_on_pg "why"; then :; else ...; fi`).
on_pg() { [ "$BACKEND" = postgresql ]; }
skip_on_pg() {
    if on_pg; then
        echo "skip on postgresql: $1"
        return 0
    fi
    return 1
}
# wait_port FILE: waits until serve has written its port (at most 10 s).
wait_port() {
    i=0
    while [ ! -s "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}

# --- databases --------------------------------------------------------------

# pg_url_with_db URL NAME: URL with its database replaced by NAME.
pg_url_with_db() {
    case "$1" in
    *://*/*) printf '%s\n' "$1" | sed "s|^\([a-z]*://[^/?]*\)/[^?]*|\1/$2|" ;;
    *\?*) printf '%s\n' "$1" | sed "s|?|/$2?|" ;;
    *) printf '%s/%s\n' "$1" "$2" ;;
    esac
}
# pg_db_name URL: the database named in URL.
pg_db_name() {
    printf '%s\n' "$1" | sed -n 's|^[a-z]*://[^/?]*/\([^?]*\).*|\1|p'
}
# pg_admin SQL: runs SQL on the cluster's maintenance database.
pg_admin() {
    psql "$FALLNETZ_TEST_PG_URL" -X -q -At -v ON_ERROR_STOP=1 -c "$1"
}
# new_db NAME: prints where a new, empty database of the current backend is:
# $T/NAME.db (not yet created) for sqlite; for postgresql the URL of a new
# database fn_NAME_<random> (created, empty, dropped on exit). NAME: letters,
# digits and _.
new_db() {
    if ! on_pg; then
        printf '%s/%s.db\n' "$T" "$1"
        return 0
    fi
    _n="fn_$1_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
    # recorded first: a half-created database is dropped too
    printf '%s\n' "$_n" >> "$T/.pg-databases"
    pg_admin "CREATE DATABASE $_n" || {
        echo "FAIL: CREATE DATABASE $_n on the test cluster failed" >&2
        return 1
    }
    pg_url_with_db "$FALLNETZ_TEST_PG_URL" "$_n"
}
# missing_db NAME: a database that does not exist (a file never created, a
# database never created on the cluster).
missing_db() {
    if on_pg; then
        pg_url_with_db "$FALLNETZ_TEST_PG_URL" "fn_$1_fehlt"
    else
        printf '%s/%s.db\n' "$T" "$1"
    fi
}
db_drop_all() {
    [ -f "$T/.pg-databases" ] || return 0
    while read -r _n; do
        # FORCE: a killed server's connections must not keep it alive
        pg_admin "DROP DATABASE IF EXISTS $_n WITH (FORCE)" > /dev/null 2>&1 ||
            echo "note: could not drop test database $_n"
    done < "$T/.pg-databases"
    rm -f "$T/.pg-databases"
}
# db_query DB SQL: runs SQL (portable between SQLite and PostgreSQL) and
# prints the rows, columns separated by '|', NULL as empty; exit status
# non-zero on an SQL error (a refused UPDATE, say).
db_query() {
    if on_pg; then
        psql "$1" -X -q -At -v ON_ERROR_STOP=1 -c "$2"
    else
        sqlite3 -bail "$1" "$2"
    fi
}
# db_dump DB: every table's content as text (to look for secrets in it).
db_dump() {
    if on_pg; then
        pg_dump --no-owner "$1"
    else
        sqlite3 "$1" .dump
    fi
}
# db_force DB TABLE SQL: runs SQL with TABLE's append-only triggers out of the
# way, as someone with direct access to the database could (tampering, or
# text that reached a row from outside every write path).
db_force() {
    if on_pg; then
        db_query "$1" "ALTER TABLE $2 DISABLE TRIGGER USER; $3; ALTER TABLE $2 ENABLE TRIGGER USER"
    else
        db_query "$1" "DROP TRIGGER ${2}_no_update; $3"
    fi
}
# db_triggers DB NAME...: how many of the named triggers exist and are enabled.
db_triggers() {
    _db=$1
    shift
    _list=$(printf "'%s'," "$@")
    _list=${_list%,}
    if on_pg; then
        db_query "$_db" "SELECT count(*) FROM pg_trigger WHERE tgname IN ($_list) AND tgenabled <> 'D'"
    else
        db_query "$_db" "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ($_list)"
    fi
}

# --- demo accounts and sessions ---------------------------------------------

# accounts_file DB: where `fallnetz demo --db DB` keeps the demo accounts
# (docs/man/fallnetz.1): DB-zugaenge.txt beside a file; for a URL
# NAME-zugaenge.txt in the current folder ($T), NAME the URL's database.
accounts_file() {
    case "$1" in
    postgresql://* | postgres://*) printf '%s/%s-zugaenge.txt\n' "$T" "$(pg_db_name "$1")" ;;
    *) printf '%s-zugaenge.txt\n' "$1" ;;
    esac
}
# demo_password DB LOGIN: the demo account's password from its accounts file.
demo_password() {
    awk -v l="$2" '$1 == l {print $2}' "$(accounts_file "$1")"
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
    db_query "$1" "SELECT min(p.id) FROM person p JOIN app_user u ON p.authority_id = u.org_id WHERE u.login = '$2'"
}
# region_person DB LOGIN: the lowest person id in the region of the
# account's organisation (koordination, zab).
region_person() {
    db_query "$1" "SELECT min(p.id) FROM person p JOIN organisation a ON a.id = p.authority_id JOIN organisation o ON o.region_id = a.region_id JOIN app_user u ON u.org_id = o.id WHERE u.login = '$2'"
}
