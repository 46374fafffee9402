#!/bin/sh
# Installs every Debian package fallnetz needs, and only those that are missing.
# Usage: scripts/install-deps.sh [run|check|bench]
#   run   – what building and serving needs
#   check – plus the test tools (default)
#   bench – plus the benchmark tools
# Runs apt-get only when something is missing; works as root without prompts,
# otherwise through sudo.
set -eu

profile=${1:-check}

build_pkgs="pkg-config meson ninja-build gcc libc6-dev python3 libmicrohttpd-dev libjansson-dev
 libsqlite3-dev libpq-dev libxml2-dev libxml2-utils libsodium-dev libicu-dev"
# nginx and openssl: tests/api/nginx_proxy.sh runs docs/nginx/*.conf over HTTPS
# (Debian starts the nginx service on port 80 where systemd runs; the test does
# not use it)
# postgresql-15: scripts/pg-tmp.sh runs a throwaway cluster for the tests (its binaries
# only; Debian's service and cluster are not used)
check_pkgs="libcmocka-dev libcurl4-openssl-dev curl clang-format sqlite3 chromium nginx openssl
 postgresql-15"
bench_pkgs="wrk hyperfine time"

case "$profile" in
run) want="$build_pkgs" ;;
check) want="$build_pkgs $check_pkgs" ;;
bench) want="$build_pkgs $check_pkgs $bench_pkgs" ;;
*) echo "install-deps.sh: unknown profile '$profile' (run, check, bench)" >&2; exit 2 ;;
esac

# Browser tests need Node.js and npm; take Debian's only when the machine
# has none (an existing installation, e.g. a newer one, is kept).
case "$profile" in
check | bench)
    command -v npm >/dev/null 2>&1 || want="$want nodejs npm"
    ;;
esac

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

[ -z "$missing" ] && exit 0

echo "fallnetz: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps.sh: not root and no sudo; install these packages:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
