#!/bin/sh
# Linkage accuracy and speed: generates a register pair with truth files,
# runs `fallnetz reconcile` on it under /usr/bin/time -v and prints one line:
# wall time, user CPU, peak RSS, candidate pairs (summary.json) and both F1s.
#
#   bench/linkage/run.sh SIZE [MIX] [SEED]     one run (MIX default mixed, SEED 1)
#   bench/linkage/run.sh                       every mix at 20,000 people, seed 1
#
# Builds nothing: uses the release build in build/ (or BUILD=<dir>):
#   meson setup build --buildtype=release && ninja -C build
# Data and output go to bench/out/linkage-MIX-SIZE-SEED/ (kept for a look:
# `build/bench/linkage/fallnetz-eval-pairs DIR DIR/o -v` lists what was missed).
# THREADS=<n> sets reconcile --threads (default 2). REUSE=1 keeps an already
# generated pair (1,000,000 people take about 15 s to generate).
# GEN_OPTS="..." passes options to the generator, e.g. the issue's scenario
# (every kind of discrepancy, about 10 % of pairs):
#   GEN_OPTS="--p-discrepant 100" bench/linkage/run.sh 20000 mixed 1
set -eu
cd "$(dirname "$0")/../.."
B=${BUILD:-build}
THREADS=${THREADS:-2}
GEN="./$B/bench/linkage/fallnetz-gen-pairs"
EVAL="./$B/bench/linkage/fallnetz-eval-pairs"
for tool in "./$B/fallnetz" "$GEN" "$EVAL"; do
    if [ ! -x "$tool" ]; then
        echo "$tool fehlt: meson setup $B --buildtype=release && ninja -C $B" >&2
        exit 2
    fi
done
[ -x /usr/bin/time ] || { echo "/usr/bin/time fehlt (apt-get install time)" >&2; exit 2; }

run_one() { # SIZE MIX SEED
    tag=$(printf '%s' "${GEN_OPTS:-}" | tr -c 'A-Za-z0-9' '_')
    d="bench/out/linkage-$2-$1-$3${tag:+-$tag}"
    if [ "${REUSE:-0}" = 1 ] && [ -s "$d/local.csv" ] && [ -s "$d/truth_matches.csv" ]; then
        rm -rf "$d/o" # the same generated pair again (the generator is deterministic)
    else
        rm -rf "$d"
        # shellcheck disable=SC2086 # options are words
        "$GEN" --mix "$2" ${GEN_OPTS:-} "$1" "$3" "$d"
    fi
    if ! FALLNETZ_PROGRESS=0 /usr/bin/time -v -o "$d/time.txt" "./$B/fallnetz" reconcile \
        "$d/local.csv" "$d/azr.csv" --out "$d/o" --threads "$THREADS" > /dev/null 2> "$d/err.txt"; then
        echo "linkage $2 n=$1 seed=$3: reconcile failed:" >&2
        tail -n 20 "$d/err.txt" "$d/time.txt" >&2
        return 1
    fi
    "$EVAL" "$d" "$d/o" > "$d/f1.json"
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$d/time.txt")
    user=$(sed -n 's/.*User time (seconds): //p' "$d/time.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$d/time.txt")
    cand=$(sed -n 's/.*"candidate_pairs": \([0-9]*\).*/\1/p' "$d/o/summary.json")
    # f1.json: match {precision, recall, f1, ...}, difference {...}
    f1=$(awk -F': ' '/"(precision|recall|f1)"/ { gsub(",", "", $2); v[n++] = $2 }
        END { printf "match F1 %s (P %s R %s), difference F1 %s (P %s R %s)",
              v[2], v[0], v[1], v[5], v[3], v[4] }' "$d/f1.json")
    echo "linkage $2${GEN_OPTS:+ ($GEN_OPTS)} n=$1 seed=$3: wall $wall, user $user s, peak RSS $((rss / 1024)) MiB," \
        "candidate pairs $cand, $f1"
}

if [ $# -ge 1 ]; then
    run_one "$1" "${2:-mixed}" "${3:-1}"
else
    for mix in easy hard translit dates relatives noazr mixed; do
        run_one 20000 "$mix" 1
    done
fi
