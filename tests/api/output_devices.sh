#!/bin/sh
# Output paths that are not regular files (issue 10, item 3): a character
# device or a FIFO given to --out, --csv or --rejected is written through and
# stays what it was; a folder or a device given where a folder of outputs is
# expected is refused with a clear message. The device node is made in the
# test's own folder (mknod DIR/null c 1 3), never the system's /dev/null.
. "$(dirname "$0")/lib.sh"
CAT="$FALLNETZ_SOURCE_ROOT/catalog/initialbewertung.cat"
GEN="$(dirname "$BIN")/bench/linkage/fallnetz-gen-pairs"
DB=$(new_db d)

"$BIN" demo --db "$DB" --persons 60 --seed 3 > /dev/null 2>&1
"$BIN" export persons --user j.hoffmann --db "$DB" --out "$T/persons.csv" 2> /dev/null
printf 'record_id,family_name\nR1,Alpha\nR2,\n' > "$T/small.csv"
printf 'record_id,family_name\nR1,Alpha\n' > "$T/bad.csv"
printf 'R1,Beta,zu,viele\n' >> "$T/bad.csv"
if [ -x "$GEN" ]; then
    mkdir -p "$T/g"
    "$GEN" 200 5 easy "$T/g"
fi

have_dev=0
if mknod "$T/null" c 1 3 2> /dev/null; then have_dev=1; fi
[ "$have_dev" = 1 ] || echo "note: mknod not permitted (not root); FIFO cases only"

is_char() { [ -c "$1" ]; }

# check_target NAME KIND(char|fifo) PATH CMD...: run CMD with PATH as output;
# the command must succeed and PATH must still be of its kind.
check_target() {
    name=$1 kind=$2 path=$3
    shift 3
    reader=
    if [ "$kind" = fifo ]; then
        cat "$path" > "$T/fifo-read.txt" &
        reader=$!
    fi
    "$@" > "$T/out.txt" 2> "$T/err.txt"
    rc=$?
    [ -n "$reader" ] && wait "$reader"
    if [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; then ok; else
        bad "$name: exit $rc"
        sed 's/^/    /' "$T/err.txt"
    fi
    if [ "$kind" = char ]; then
        if is_char "$path"; then ok; else bad "$name: $path is no longer a device"; fi
    else
        if [ -p "$path" ]; then ok; else bad "$name: $path is no longer a FIFO"; fi
        if [ -s "$T/fifo-read.txt" ]; then ok; else bad "$name: nothing arrived through the FIFO"; fi
    fi
}

for kind in char fifo; do
    if [ "$kind" = char ]; then
        [ "$have_dev" = 1 ] || continue
        P="$T/null"
    else
        P="$T/pipe"
        rm -f "$P"
        mkfifo "$P"
    fi
    check_target "export --out ($kind)" $kind "$P" "$BIN" export persons --user j.hoffmann --db "$DB" --out "$P"
    check_target "export --excel --out ($kind)" $kind "$P" \
        "$BIN" export persons --user j.hoffmann --db "$DB" --excel --out "$P"
    check_target "audit show --out ($kind)" $kind "$P" "$BIN" audit show --user dsb --db "$DB" --out "$P"
    check_target "worklist --csv ($kind)" $kind "$P" \
        "$BIN" worklist --user j.hoffmann --db "$DB" --catalog "$CAT" --csv "$P"
    IDB=$(new_db "i_$kind")
    "$BIN" init --db "$IDB" > /dev/null
    check_target "import --rejected ($kind)" $kind "$P" \
        "$BIN" import persons "$T/bad.csv" --db "$IDB" --rejected "$P"
done

# A folder of outputs whose files are devices: each is written through.
if [ "$have_dev" = 1 ] && [ -x "$GEN" ]; then
    mkdir -p "$T/rdev"
    for f in matches.csv diffs.csv report.html; do mknod "$T/rdev/$f" c 1 3; done
    "$BIN" reconcile "$T/g/local.csv" "$T/g/azr.csv" --out "$T/rdev" > /dev/null 2>&1
    expect_eq "reconcile into a folder of devices" 0 $?
    for f in matches.csv diffs.csv report.html; do
        if is_char "$T/rdev/$f"; then ok; else bad "reconcile replaced the device $f"; fi
    done
    expect_eq "other outputs written" 1 "$([ -s "$T/rdev/summary.json" ] && echo 1)"
fi

# Where a folder is expected, a device is refused, and nothing is replaced.
if [ "$have_dev" = 1 ]; then
    "$BIN" evaluate --out "$T/null" --user j.hoffmann --db "$DB" > /dev/null 2> "$T/err.txt"
    expect_eq "evaluate into a device refused" 1 $?
    if is_char "$T/null"; then ok; else bad "evaluate replaced the device"; fi
    if [ -x "$GEN" ]; then
        "$BIN" reconcile "$T/g/local.csv" "$T/g/azr.csv" --out "$T/null" > /dev/null 2> "$T/err.txt"
        rc=$?
        if [ "$rc" -ne 0 ]; then ok; else bad "reconcile into a device: exit 0"; fi
        if is_char "$T/null"; then ok; else bad "reconcile replaced the device"; fi
    fi
fi

# A folder given as an output file is refused with the reason.
mkdir -p "$T/adir"
"$BIN" export persons --user j.hoffmann --db "$DB" --out "$T/adir" 2> "$T/err.txt"
expect_eq "export into a folder refused" 1 $?
expect_grep "reason named" 'ist ein Ordner' "$T/err.txt"
if [ -d "$T/adir" ]; then ok; else bad "the folder was replaced"; fi

# A regular output is created private (personal data) and durable.
"$BIN" export persons --user j.hoffmann --db "$DB" --out "$T/new.csv" 2> /dev/null
expect_eq "new output mode" 600 "$(stat -c %a "$T/new.csv")"
expect_eq "no temporary left" "" "$(ls "$T" | grep '\.tmp-' || true)"

finish
