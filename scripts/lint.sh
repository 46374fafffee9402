#!/bin/sh
# The style checker (curl's checksrc idea): clang-format conformance and a
# short list of banned constructs. `scripts/lint.sh --fix` reformats.
set -u
cd "$(dirname "$0")/.."

files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c' 2>/dev/null)
[ -n "$files" ] || files=$(find src tests bench -name '*.[ch]' 2>/dev/null)

if [ "${1:-}" = "--fix" ]; then
    # shellcheck disable=SC2086
    clang-format -i $files
    exit 0
fi

fail=0
# shellcheck disable=SC2086
if ! clang-format --dry-run --Werror $files 2>/tmp/fallnetz-lint.$$; then
    echo "lint: clang-format differences (run 'make fmt'):"
    grep -E '^[^ ].*: (error|warning)' /tmp/fallnetz-lint.$$ | cut -d: -f1 | sort -u | sed 's/^/  /'
    fail=1
fi
rm -f /tmp/fallnetz-lint.$$

# Banned: unbounded string functions and ato* (no error reporting).
# shellcheck disable=SC2086
banned=$(grep -nE '\b(sprintf|vsprintf|strcpy|strcat|atoi|atol|atof|gets|strtok)\(' $files |
    grep -v 'lint: allow' || true)
if [ -n "$banned" ]; then
    echo "lint: banned functions (use snprintf, fn_buf, strtol with checks, strtok_r):"
    echo "$banned" | sed 's/^/  /'
    fail=1
fi

# Every source file starts with a comment saying what it is.
for f in $files; do
    head -c 2 "$f" | grep -q '/\*' || { echo "lint: $f does not start with a header comment"; fail=1; }
done

[ $fail -eq 0 ] && echo "lint: ok"
exit $fail
