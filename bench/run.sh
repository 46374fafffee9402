#!/bin/sh
# Runs every benchmark (release build in build/). Each bench/<name>/run.sh
# prints its figures; see docs/benchmarks.md for the recorded results.
set -eu
cd "$(dirname "$0")/.."
for script in bench/*/run.sh; do
    [ -x "$script" ] || continue
    echo "== $script"
    "$script"
done
