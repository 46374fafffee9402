#!/bin/sh
# Demo data benchmark: `fallnetz demo --persons N` time and database size.
# Usage: bench/demo/run.sh [PERSONS]   (default 1000000)
set -eu
cd "$(dirname "$0")/../.."
N=${1:-1000000}
OUT=bench/out
mkdir -p "$OUT"
rm -f "$OUT/demo.db" "$OUT/demo.db-wal" "$OUT/demo.db-shm"
start=$(date +%s.%N)
FALLNETZ_PROGRESS=0 ./build/fallnetz demo --db "$OUT/demo.db" --persons "$N" --seed 1
end=$(date +%s.%N)
python3 - "$start" "$end" "$N" "$OUT/demo.db" <<'PY'
import os, sys
s, e, n, db = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
size = sum(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p))
print(f"demo: {n} persons in {e - s:.1f} s = {n / (e - s):,.0f} persons/s; database {size / 1e6:.0f} MB")
PY
