#!/bin/sh
# fallnetz reconcile accuracy floor: generated register pairs (3,000 people,
# fixed seeds, three error mixes) must keep match F1 and difference F1 above
# a floor. A regression guard, not the issue-3 target (match F1 >= 0.995,
# difference F1 >= 0.98 on unseen data; see docs/benchmarks.md for the
# figures per mix). Also checks that the generator is deterministic, that its
# truth scores 1.0 against itself, and that the evaluator fails below a
# minimum. Uses build/bench/linkage/fallnetz-gen-pairs and fallnetz-eval-pairs
# (no Python).
. "$(dirname "$0")/lib.sh"
GEN="$(dirname "$BIN")/bench/linkage/fallnetz-gen-pairs"
EVAL="$(dirname "$BIN")/bench/linkage/fallnetz-eval-pairs"
if [ ! -x "$GEN" ] || [ ! -x "$EVAL" ]; then
    bad "$GEN or $EVAL not built"
    finish
    exit 1
fi

# --- generator and evaluator themselves ---
"$GEN" --mix mixed 400 7 "$T/d1" && "$GEN" 400 7 mixed "$T/d2"
expect_eq "generator runs" 0 $?
same=ok
for f in local.csv azr.csv truth_matches.csv truth_diffs.csv; do
    cmp -s "$T/d1/$f" "$T/d2/$f" || same="$f differs"
done
expect_eq "same seed, same files" ok "$same"
if [ "$(sed -n 2p "$T/d1/local.csv" | cut -d, -f1)" = \
    "$(sed -n 2p "$T/d1/truth_matches.csv" | cut -d, -f1)" ] &&
    [ "$(sed -n 2p "$T/d1/azr.csv" | cut -d, -f1)" = \
        "$(sed -n 2p "$T/d1/truth_matches.csv" | cut -d, -f2)" ]; then
    bad "AZR export in the same order as the local register"
else
    ok
fi
mkdir -p "$T/self"
cp "$T/d1/truth_matches.csv" "$T/self/matches.csv"
cp "$T/d1/truth_diffs.csv" "$T/self/diffs.csv"
"$EVAL" "$T/d1" "$T/self" --min-match 1 --min-diff 1 > "$T/self.json"
expect_eq "truth against itself" 0 $?
expect_grep "F1 1.0" '"f1": 1.0,' "$T/self.json"
head -n 40 "$T/d1/truth_matches.csv" > "$T/self/matches.csv"
"$EVAL" "$T/d1" "$T/self" --min-match 0.99 > /dev/null 2> "$T/below.txt"
expect_eq "evaluator exits 1 below the minimum" 1 $?
expect_grep "says which F1" 'Zuordnungs-F1' "$T/below.txt"

# --- the floor: MIX SEED MIN_MATCH MIN_DIFF ---
# A regression floor about 0.005 below what the engine reaches on these
# seeds at 3,000 persons (hard 0.997/0.994, dates 0.998/0.996, relatives
# 0.996/0.989, translit 0.999/0.998, mixed 0.992/0.981 when it was last
# raised); the issue's targets (0.995 / 0.98) are measured at 20,000 to
# 1,000,000 in bench/ (docs/benchmarks.md).
while read -r mix seed min_match min_diff; do
    d="$T/$mix"
    "$GEN" --mix "$mix" 3000 "$seed" "$d"
    "$BIN" reconcile "$d/local.csv" "$d/azr.csv" --out "$d/o" --threads 2 > /dev/null 2> "$d/err"
    rc=$?
    expect_eq "reconcile on $mix (seed $seed) exit" 0 $rc
    [ $rc -eq 0 ] || { sed 's/^/    /' "$d/err" | tail -20; continue; }
    "$EVAL" "$d" "$d/o" --min-match "$min_match" --min-diff "$min_diff" > "$d/f1.json" 2> "$d/f1.err"
    rc=$?
    f1=$(grep '"f1"' "$d/f1.json" | tr -d ' ,' | cut -d: -f2 | paste -sd/ -)
    echo "$mix seed $seed: match F1 / difference F1 = $f1 (floor $min_match / $min_diff)"
    if [ $rc -eq 0 ]; then ok; else bad "$mix seed $seed: $(cat "$d/f1.err")"; fi
done << 'EOF'
hard 30 0.992 0.989
dates 31 0.993 0.99
relatives 32 0.99 0.983
translit 34 0.994 0.992
mixed 33 0.987 0.975
EOF
finish
