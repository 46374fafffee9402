#!/bin/sh
# A throwaway PostgreSQL for tests: a fresh cluster in a temporary folder,
# reachable only through a Unix socket in that folder (no TCP), fsync off.
# Nothing is assumed installed or running: Debian's postgresql service and
# its clusters are not used, only the postgresql-15 binaries.
#
# Usage: scripts/pg-tmp.sh start|stop|url|down|up [DIR] [MODE]
#   start  creates DIR (default: a new mktemp folder), initdb, starts the
#          server and prints its postgresql:// URL (superuser "fallnetz"
#          with a random password, database "postgres")
#   url    prints the URL of the cluster in DIR
#   stop   stops the server and removes DIR entirely
#   down   stops the server of DIR (pg_ctl -m MODE: fast, the default, or
#          immediate) and keeps the cluster; fault tests use it
#   up     starts the server of DIR again (after down)
# DIR may also come from $FALLNETZ_PG_DIR. As root, the cluster runs as the
# unprivileged user nobody (postgres refuses to run as root).
set -eu

cmd=${1:-}
dir=${2:-${FALLNETZ_PG_DIR:-}}

pg_bin=${PG_BIN:-}
if [ -z "$pg_bin" ]; then
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && pg_bin=$d
    done
fi

die() {
    echo "pg-tmp.sh: $*" >&2
    exit 1
}

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u nobody -- "$@"
    else
        "$@"
    fi
}

# Starts the server of the cluster in $1 (Unix socket only, fsync off).
server_start() {
    as_owner "$pg_bin/pg_ctl" -D "$1/data" -l "$1/server.log" -w -s \
        -o "-c listen_addresses='' -k $1/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || {
        cat "$1/server.log" >&2
        die "the server did not start"
    }
}

url_of() {
    [ -f "$1/password" ] || die "$1 holds no cluster made by pg-tmp.sh"
    printf 'postgresql://fallnetz:%s@/postgres?host=%s/sock\n' "$(cat "$1/password")" "$1"
}

case "$cmd" in
start)
    [ -n "$pg_bin" ] || die "no PostgreSQL binaries (install postgresql-15: scripts/install-deps.sh check)"
    if [ -z "$dir" ]; then
        dir=$(mktemp -d "${TMPDIR:-/tmp}/fallnetz-pg.XXXXXX")
    else
        mkdir -p "$dir"
    fi
    # The socket path must stay below the 107 bytes of sun_path.
    [ ${#dir} -le 80 ] || die "folder path too long for a Unix socket: $dir"
    mkdir -p "$dir/sock"
    # A password of 32 hex digits: the URL carries it, and tests check that
    # no error message repeats it.
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$dir/password"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R nobody "$dir"
        chmod 0755 "$dir"
    fi
    as_owner "$pg_bin/initdb" -D "$dir/data" -U fallnetz --pwfile="$dir/password" \
        --auth-local=scram-sha-256 --auth-host=reject -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        die "initdb failed"
    }
    server_start "$dir"
    url_of "$dir"
    ;;
down)
    [ -n "$dir" ] && [ -f "$dir/password" ] || die "down needs the cluster's folder"
    as_owner "$pg_bin/pg_ctl" -D "$dir/data" -m "${3:-fast}" -w -s stop >/dev/null
    ;;
up)
    [ -n "$dir" ] && [ -f "$dir/password" ] || die "up needs the cluster's folder"
    server_start "$dir"
    ;;
url)
    [ -n "$dir" ] || die "url needs the cluster's folder"
    url_of "$dir"
    ;;
stop)
    [ -n "$dir" ] || die "stop needs the cluster's folder"
    [ -d "$dir" ] || exit 0
    if [ -f "$dir/data/postmaster.pid" ] && [ -n "$pg_bin" ]; then
        as_owner "$pg_bin/pg_ctl" -D "$dir/data" -m immediate -w -s stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: scripts/pg-tmp.sh start|stop|url|down|up [DIR] [MODE]" >&2
    exit 2
    ;;
esac
