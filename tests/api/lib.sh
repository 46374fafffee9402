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
