#!/bin/sh
# fallnetz reconcile: the output folder, identical results with 1 and 2
# threads, match F1 on generated pairs with a fixed seed, --explain, and every
# bad-input case (missing column, empty file, header only, CRLF, BOM, quoted
# newlines, wrong column count, bad UTF-8, duplicate record_id).
. "$(dirname "$0")/lib.sh"
GEN="$(dirname "$BIN")/bench/linkage/fallnetz-gen-pairs"
EVAL="$FALLNETZ_SOURCE_ROOT/bench/linkage/evaluate.py"
H='record_id,azr_nr,family_name,given_names,birth_name,sex,birth_date,birth_place,birth_country,nationality,residence_status,residence_since,identity_status,address_street,address_postcode,address_municipality,authority,updated_at,aliases'

"$BIN" reconcile --help > "$T/help.txt"
expect_grep "German help" 'Gleicht die Ausländerdatei' "$T/help.txt"

# --- generated pairs: F1 and thread independence ---
if [ -x "$GEN" ]; then
    mkdir -p "$T/g"
    "$GEN" 1500 5 hard "$T/g"
    "$BIN" reconcile "$T/g/local.csv" "$T/g/azr.csv" --out "$T/o1" --threads 1 2> /dev/null
    expect_eq "run with 1 thread" 0 $?
    "$BIN" reconcile "$T/g/local.csv" "$T/g/azr.csv" --out "$T/o2" --threads 2 2> /dev/null
    expect_eq "run with 2 threads" 0 $?
    for f in matches.csv diffs.csv unmatched_local.csv unmatched_azr.csv conflicts.csv \
        rejected.csv; do
        if cmp -s "$T/o1/$f" "$T/o2/$f"; then ok; else bad "$f differs between 1 and 2 threads"; fi
    done
    grep -v '_s"\|"threads"\|per_second\|per_cpu_second' "$T/o1/summary.json" > "$T/s1"
    grep -v '_s"\|"threads"\|per_second\|per_cpu_second' "$T/o2/summary.json" > "$T/s2"
    if cmp -s "$T/s1" "$T/s2"; then ok; else bad "summary.json differs (timings aside)"; fi
    # a pair budget far below what the blocks allow: the block cap goes
    # down, the run still succeeds and accounts for every row
    FALLNETZ_PAIR_BUDGET=500 "$BIN" reconcile "$T/g/local.csv" "$T/g/azr.csv" --out "$T/ob2" \
        2> /dev/null
    expect_eq "run under a small pair budget" 0 $?
    cap=$(sed -n 's/.*"block_cap": \([0-9]*\).*/\1/p' "$T/ob2/summary.json")
    if [ -n "$cap" ] && [ "$cap" -lt 2000 ]; then ok; else bad "block cap not lowered: '$cap'"; fi
    expect_grep "every local row counted" '"local_rows": ' "$T/ob2/summary.json"
    expect_grep "model weights in summary" '"Anschrift": {' "$T/o1/summary.json"
    expect_grep "household competitors counted" '"household_competitors": [1-9]' "$T/o1/summary.json"
    expect_grep "report in German" 'Abweichungen nach Feld' "$T/o1/report.html"
    expect_grep "report has a chart" '<svg' "$T/o1/report.html"
    expect_grep "diffs header" '^local_id,azr_id,field,local_value,azr_value,likely_correct,reason' \
        "$T/o1/diffs.csv"
    expect_grep "rule named" 'R[0-9]-' "$T/o1/diffs.csv"
    if command -v python3 > /dev/null; then
        f1=$(python3 "$EVAL" "$T/g" "$T/o1" |
            python3 -c 'import json,sys; d=json.load(sys.stdin); print("ok" if d["match"]["f1"] >= 0.99 and d["difference"]["f1"] >= 0.97 else d)')
        expect_eq "F1 on hard generated pairs (seed 5)" ok "$f1"
        "$GEN" 1500 6 easy "$T/g"
        "$BIN" reconcile "$T/g/local.csv" "$T/g/azr.csv" --out "$T/o3" 2> /dev/null
        f1=$(python3 "$EVAL" "$T/g" "$T/o3" |
            python3 -c 'import json,sys; d=json.load(sys.stdin); print("ok" if d["match"]["f1"] >= 0.995 and d["difference"]["f1"] >= 0.98 else d)')
        expect_eq "F1 on easy generated pairs (seed 6)" ok "$f1"
    fi
    id=$(sed -n 2p "$T/g/local.csv" | cut -d, -f1)
    "$BIN" reconcile "$T/g/local.csv" "$T/g/azr.csv" --explain "$id" > "$T/ex.txt" 2> /dev/null
    expect_eq "explain exit" 0 $?
    expect_grep "explain field by field" 'Familienname' "$T/ex.txt"
    expect_grep "explain result" 'Ergebnis:' "$T/ex.txt"
else
    echo "SKIP: generated-pair checks ($GEN not built, -Dbench=false)"
fi

# --- bad input ---
printf '%s\n' "$H" > "$T/header.csv"
: > "$T/empty.csv"
"$BIN" reconcile "$T/empty.csv" "$T/header.csv" --out "$T/oe" 2> /dev/null
expect_eq "empty file and header only work" 0 $?
expect_grep "zero matches" '"matches": 0' "$T/oe/summary.json"

printf 'record_id,given_names,birth_date\nL1,Ali,1990-01-01\n' > "$T/nocol.csv"
"$BIN" reconcile "$T/nocol.csv" "$T/header.csv" --out "$T/on" 2> "$T/nocol.txt"
expect_eq "missing column fails" 1 $?
expect_grep "names column and file" 'nocol.csv: Pflichtspalte "family_name" fehlt' "$T/nocol.txt"
if [ -e "$T/on/matches.csv" ]; then bad "no partial output on error"; else ok; fi

# CRLF, BOM, a quoted field with a newline, a short row, bad UTF-8, a duplicate id
{
    printf '\357\273\277%s\r\n' "$H"
    printf 'L1,123456789012,Haddad,Omar,,m,1990-05-04,Damaskus,SYR,SYR,duldung,2019-01-01,geklaert,"Ring 1\r\nHinterhaus",48143,Münster,ABH-1,2025-01-01T00:00:00Z,\r\n'
    printf 'L2,,Kaya,Ali\r\n'
    printf 'L3,,K\377ya,Ali,,m,1990-05-04,,TUR,TUR,,,,,,,,,\r\n'
    printf 'L1,,Other,Person,,m,1991-05-04,,TUR,TUR,,,,,,,,,\r\n'
    printf 'L4,,Demir,Mehmet,,m,1985-00-00,Ankara,TUR,TUR,duldung,,ungeklaert,,,,,2025-01-01T00:00:00Z,\r\n'
} > "$T/local.csv"
{
    printf '%s\n' "$H"
    printf 'A1,123456789012,HADDAD ,Omar,,m,1990-05-04,Damascus,SYR,SYR,aufenthaltserlaubnis,2019-01-01,geklaert,Ring 1,48143,Münster,ABH-1,2025-06-01T00:00:00Z,\n'
    printf 'A4,,Demir,Mehmet,,m,1985-03-12,Ankara,TUR,TUR,duldung,,geklaert,,,,,2025-01-01T00:00:00Z,\n'
} > "$T/azr.csv"
"$BIN" reconcile "$T/local.csv" "$T/azr.csv" --out "$T/ob" --threads 2 2> /dev/null
expect_eq "bad rows do not stop the run" 0 $?
expect_grep "short row rejected with line" 'local.csv,4,falsche Spaltenzahl' "$T/ob/rejected.csv"
expect_grep "bad UTF-8 rejected" 'local.csv,5,Feld family_name: ungültiges UTF-8' "$T/ob/rejected.csv"
expect_grep "duplicate rejected" 'local.csv,6,record_id doppelt: L1' "$T/ob/rejected.csv"
expect_grep "counted in summary" '"local_rejected": 3' "$T/ob/summary.json"
expect_grep "BOM and CRLF: L1 linked" '^L1,A1,' "$T/ob/matches.csv"
expect_grep "partial date linked" '^L4,A4,' "$T/ob/matches.csv"
expect_grep "spelling is a difference" 'L1,A1,birth_place,Damaskus,Damascus' "$T/ob/diffs.csv"
expect_grep "later update decides status" 'L1,A1,residence_status,duldung,aufenthaltserlaubnis,azr,R1-later-update' "$T/ob/diffs.csv"
expect_grep "full date over partial" 'L4,A4,birth_date,1985-00-00,1985-03-12,azr,R3-full-date-over-placeholder' "$T/ob/diffs.csv"
if grep -q 'family_name' "$T/ob/diffs.csv"; then bad "case/blank difference reported"; else ok; fi
expect_grep "quoted newline kept" 'Hinterhaus' "$T/ob/diffs.csv"

# Values that a spreadsheet would run as formulas are written as text in every
# CSV of the folder (issue 10, item 6): a difference and an unmatched record.
{
    printf '%s\n' "$H"
    printf 'L1,123456789012,Haddad,Omar,,m,1990-05-04,"=cmd|'"'"' /C calc'"'"'!A1",SYR,SYR,duldung,2019-01-01,geklaert,Ring 1,48143,Münster,ABH-1,2025-01-01T00:00:00Z,\n'
    printf 'L9,,"=HYPERLINK(""http://x.example"")",@Ali,,m,1970-01-01,+49,TUR,TUR,,,,,,,,,\n'
} > "$T/flocal.csv"
{
    printf '%s\n' "$H"
    printf 'A1,123456789012,Haddad,Omar,,m,1990-05-04,-2+3,SYR,SYR,duldung,2019-01-01,geklaert,Ring 1,48143,Münster,ABH-1,2025-06-01T00:00:00Z,\n'
} > "$T/fazr.csv"
"$BIN" reconcile "$T/flocal.csv" "$T/fazr.csv" --out "$T/of" 2> /dev/null
expect_eq "formula run" 0 $?
expect_grep "local formula neutralised in diffs" "\"'=cmd|' /C calc'!A1\"" "$T/of/diffs.csv"
expect_grep "azr formula neutralised in diffs" "\"'-2+3\"" "$T/of/diffs.csv"
expect_grep "hyperlink neutralised in unmatched" "\"'=HYPERLINK" "$T/of/unmatched_local.csv"
for f in "$T"/of/*.csv; do
    if grep -q '^=\|,=\|,@\|,+\|,-[0-9]' "$f"; then bad "raw formula left in $(basename "$f")"; else ok; fi
done

"$BIN" reconcile "$T/local.csv" "$T/azr.csv" --explain NOPE > /dev/null 2> "$T/nope.txt"
expect_eq "unknown explain id" 1 $?
expect_grep "unknown id named" 'NOPE' "$T/nope.txt"
finish
