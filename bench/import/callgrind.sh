#!/bin/sh
# Instructions per imported row, counted by callgrind: repeatable while other
# work runs on the machine (wall-clock figures are not). Imports ROWS rows of
# the generated register (bench/out/register-ROWS.csv) into a fresh database
# with a release build (BUILD, default build-rel; made if missing) and prints
# Ir per row for the whole client process and its parts (staging, publish,
# reader thread).
# BACKEND=postgresql: a throwaway cluster (scripts/pg-tmp.sh) whose server
# runs under callgrind too (every backend process writes its own count when
# its connection ends); the server's Ir per row is the sum over the
# backends of the import's connections. Needs root or the cluster owner.
# OUT=dir keeps runs apart (default bench/out/callgrind-import). AGAIN=1
# imports the file once before the measured run, which then finds every
# record stored already (the re-delivery of a register: lookups only).
# Usage: bench/import/callgrind.sh [ROWS]     (default 50000)
set -eu
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BUILD=${BUILD:-build-rel}
BACKEND=${BACKEND:-sqlite}
ROWS=${1:-50000}
OUT=${OUT:-$ROOT/bench/out/callgrind-import}
mkdir -p "$OUT" bench/out
if [ "${REBUILD:-1}" = 1 ]; then # REBUILD=0: measure the binaries as they are
    [ -f "$BUILD/build.ninja" ] ||
        meson setup "$BUILD" --buildtype=release -Dtests=false -Dbench=true > /dev/null
    ninja -C "$BUILD" fallnetz bench/fallnetz-gen-register > /dev/null
fi
CSV=bench/out/register-$ROWS.csv
[ -f "$CSV" ] || "$BUILD/bench/fallnetz-gen-register" "$ROWS" 1 > "$CSV"
rm -f "$OUT"/client.* "$OUT"/import.db*

# Ir of the functions named (inclusive), per row.
per_row() {
    callgrind_annotate --inclusive=yes --threshold=100 "$1" 2> /dev/null |
        awk -v n="$ROWS" -v f="$2" '$0 ~ "[?]:" f " " {gsub(",", "", $1); printf "%.0f", $1 / n; exit}'
}

case "$BACKEND" in
postgresql)
    PGDIR=$OUT/pg
    rm -rf "$PGDIR"
    scripts/pg-tmp.sh start "$PGDIR" > /dev/null
    scripts/pg-tmp.sh down "$PGDIR" > /dev/null
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
    chmod 777 "$PGDIR"
    run_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
    run_owner valgrind --tool=callgrind --trace-children=yes \
        --callgrind-out-file="$PGDIR/server.%p" "$PG_BIN/postgres" -D "$PGDIR/data" \
        -c listen_addresses='' -k "$PGDIR/sock" -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off -c autovacuum=off > "$PGDIR/valgrind.log" 2>&1 &
    trap 'run_owner "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m fast -s stop > /dev/null 2>&1 || true' EXIT
    URL=$(scripts/pg-tmp.sh url "$PGDIR")
    i=0
    until psql "$URL" -XAtqc "SELECT 1" > /dev/null 2>&1; do
        i=$((i + 1))
        [ $i -lt 300 ] || { echo "the server under callgrind did not start"; exit 1; }
        sleep 1
    done
    psql "$URL" -XAtqc "CREATE DATABASE import_bench"
    DB=$(echo "$URL" | sed 's#/postgres?#/import_bench?#')
    "$BUILD/fallnetz" init --db "$DB" > /dev/null
    sleep 2 # the backends of init have written their counts
    ls "$PGDIR"/server.* > "$OUT/before.txt"
    ;;
*)
    DB=$OUT/import.db
    "$BUILD/fallnetz" init --db "$DB" > /dev/null
    ;;
esac

if [ "${AGAIN:-0}" = 1 ]; then
    FALLNETZ_PROGRESS=0 "$BUILD/fallnetz" import persons "$CSV" --db "$DB" > /dev/null 2>&1
    [ "$BACKEND" != postgresql ] || { sleep 2; ls "$PGDIR"/server.* > "$OUT/before.txt"; }
fi
FALLNETZ_PROGRESS=0 valgrind --tool=callgrind --callgrind-out-file="$OUT/client.%p" \
    "$BUILD/fallnetz" import persons "$CSV" --db "$DB" > "$OUT/import.log" 2>&1 || true
grep "Zeilen gelesen" "$OUT/import.log" || { cat "$OUT/import.log"; exit 1; }
CLIENT=$(ls "$OUT"/client.*)
total=$(callgrind_annotate "$CLIENT" 2> /dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "client: $((total / ROWS)) Ir per row (whole process)"
echo "  staging (store_import_person): $(per_row "$CLIENT" store_import_person)"
echo "  publish (store_import_commit): $(per_row "$CLIENT" store_import_commit)"
echo "  reader thread (reader_main):   $(per_row "$CLIENT" reader_main)"
if [ "$BACKEND" = postgresql ]; then
    sleep 3 # the import's backends write their counts when the connections end
    server=0
    for f in "$PGDIR"/server.*; do
        grep -qx "$f" "$OUT/before.txt" && continue
        n=$(callgrind_annotate "$f" 2> /dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
        server=$((server + ${n:-0}))
    done
    echo "server: $((server / ROWS)) Ir per row (the import's backends)"
fi
