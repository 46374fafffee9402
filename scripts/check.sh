#!/bin/sh
# make check: installs what is missing, builds with ASan+UBSan, runs the lint
# and every test suite, and ends with the plain line "N passed, N failed".
set -eu
cd "$(dirname "$0")/.."

./scripts/install-deps.sh check

if [ ! -f build-check/build.ninja ]; then
    meson setup build-check --buildtype=debug -Db_sanitize=address,undefined \
        -Db_lundef=false -Dtests=true -Dbench=false >/dev/null
fi
# The API tests run a second time on PostgreSQL (suite pg, NAME-pg) where
# this tree has the throwaway cluster (scripts/pg-tmp.sh, started below).
pg_tests=false
[ -x scripts/pg-tmp.sh ] && pg_tests=true
meson configure build-check -Dpg_tests=$pg_tests
ninja -C build-check

# The release build (-O3) with tests and benchmarks, compiled only: gcc warns
# at -O3 about what the -O0 sanitizer build never sees (format truncation,
# dangling pointers), and -Werror turns that into a broken
# `meson setup build --buildtype=release`. About 35 s cold, ~0 s warm.
if [ ! -f build-release-check/build.ninja ]; then
    meson setup build-release-check --buildtype=release -Dtests=true -Dbench=true >/dev/null
fi
release_failed=0
ninja -C build-release-check >build-release-check/ninja.log 2>&1 || {
    release_failed=1
    cat build-release-check/ninja.log >&2
}

# Browser test dependencies (playwright-core, axe-core; the browser is Debian's
# chromium, never a downloaded one).
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

lint_failed=0
./scripts/lint.sh || lint_failed=1

# A throwaway PostgreSQL for the backend tests (tests/unit/store/test_pg.c),
# removed again however the run ends.
pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/fallnetz-pg.XXXXXX")
trap './scripts/pg-tmp.sh stop "$pg_dir"' EXIT INT TERM
FALLNETZ_TEST_PG_URL=$(./scripts/pg-tmp.sh start "$pg_dir")
export FALLNETZ_TEST_PG_URL

status=0
meson test -C build-check --print-errorlogs --num-processes 2 || status=$?

python3 - "$lint_failed" "$release_failed" <<'PY'
import json, sys
passed = failed = 0
with open("build-check/meson-logs/testlog.json") as f:
    for line in f:
        r = json.loads(line)
        if r.get("result") in ("OK", "EXPECTEDFAIL", "SKIP"):
            passed += 1
        else:
            failed += 1
            print("FAILED:", r.get("name"), r.get("result"))
if sys.argv[1] == "1":
    failed += 1
    print("FAILED: lint")
else:
    passed += 1
if sys.argv[2] == "1":
    failed += 1
    print("FAILED: release build (-O3 -Werror)")
else:
    passed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
