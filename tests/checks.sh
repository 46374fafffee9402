# checks.sh – the counting assertions of the shell tests (sourced by
# tests/api/lib.sh and tests/pg/pglib.sh): each check counts, a failure
# prints one line, finish prints "N passed, N failed" and fails the test.
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
expect_no_grep() { # name fixed-string file
    if grep -qF -- "$2" "$3"; then bad "$1: '$2' in $3"; else ok; fi
}
finish() {
    echo "$((checks - fails)) passed, $fails failed"
    [ "$fails" -eq 0 ]
}
