#!/bin/sh
# Import benchmark: 1,000,000-row register CSV into a fresh database.
# Target (issues 2 and 12): >= 200,000 rows/s on SQLite and on PostgreSQL.
# Usage: bench/import/run.sh [ROWS]
# BUILD=<dir> selects the (release) build directory, default build.
# DB=postgresql://… imports into a fresh database fallnetz_import_bench on
# that server (dropped and made anew each run; DB itself is not touched);
# without DB a fresh SQLite file bench/out/import.db.
# Wall clock: run it on an otherwise idle machine (bench/import/callgrind.sh
# counts instructions instead, which other work does not disturb).
set -eu
cd "$(dirname "$0")/../.."
ROWS=${1:-1000000}
B=${BUILD:-build}
OUT=bench/out
mkdir -p "$OUT"
[ -f "$OUT/register-$ROWS.csv" ] || "./$B/bench/fallnetz-gen-register" "$ROWS" 1 > "$OUT/register-$ROWS.csv"
case "${DB:-}" in
postgresql://* | postgres://*)
    TARGET=$(python3 - "$DB" << 'PY'
import sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
print(urllib.parse.urlunsplit(u._replace(path="/fallnetz_import_bench")))
PY
)
    psql "$DB" -XAtq -c "DROP DATABASE IF EXISTS fallnetz_import_bench" \
        -c "CREATE DATABASE fallnetz_import_bench"
    size() { psql "$TARGET" -XAtqc "SELECT pg_database_size(current_database())"; }
    ;;
*)
    TARGET=$OUT/import.db
    rm -f "$TARGET" "$TARGET-wal" "$TARGET-shm"
    size() { python3 -c 'import os, sys; print(sum(os.path.getsize(p) for p in sys.argv[1:] if os.path.exists(p)))' "$TARGET" "$TARGET-wal"; }
    ;;
esac
"./$B/fallnetz" init --db "$TARGET" > /dev/null
start=$(date +%s.%N)
FALLNETZ_PROGRESS=0 "./$B/fallnetz" import persons "$OUT/register-$ROWS.csv" --db "$TARGET"
end=$(date +%s.%N)
python3 - "$start" "$end" "$ROWS" "$(size)" << 'PY'
import sys
s, e, n, size = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"import: {n} rows in {e - s:.2f} s = {n / (e - s):,.0f} rows/s; database {size / 1e6:.0f} MB")
PY
