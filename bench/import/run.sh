#!/bin/sh
# Import benchmark: 1,000,000-row register CSV into a fresh SQLite database.
# Target (issue 2): >= 200,000 rows/s. Usage: bench/import/run.sh [ROWS]
# BUILD=<dir> selects the (release) build directory, default build.
set -eu
cd "$(dirname "$0")/../.."
ROWS=${1:-1000000}
B=${BUILD:-build}
OUT=bench/out
mkdir -p "$OUT"
[ -f "$OUT/register-$ROWS.csv" ] || "./$B/bench/fallnetz-gen-register" "$ROWS" 1 > "$OUT/register-$ROWS.csv"
rm -f "$OUT/import.db" "$OUT/import.db-wal" "$OUT/import.db-shm"
"./$B/fallnetz" init --db "$OUT/import.db" > /dev/null
start=$(date +%s.%N)
FALLNETZ_PROGRESS=0 "./$B/fallnetz" import persons "$OUT/register-$ROWS.csv" --db "$OUT/import.db"
end=$(date +%s.%N)
python3 - "$start" "$end" "$ROWS" "$OUT/import.db" <<'PY'
import os, sys
s, e, n, db = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
size = sum(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p))
print(f"import: {n} rows in {e - s:.2f} s = {n / (e - s):,.0f} rows/s; database {size / 1e6:.0f} MB")
PY
