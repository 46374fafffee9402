#!/bin/sh
# HTTP benchmark: GET /api/v1/persons/{id} with random ids, keep-alive, each
# read audited. Target (issue 2): >= 20,000 requests/s on 2 cores (wrk shares
# them). Needs bench/out/demo.db (bench/demo/run.sh) or DB=path.
# Usage: bench/http/run.sh [SECONDS] [CONNECTIONS]
set -eu
cd "$(dirname "$0")/../.."
DB=${DB:-bench/out/demo.db}
SECS=${1:-15}
CONNS=${2:-64}
[ -f "$DB" ] || { echo "run bench/demo/run.sh first (or set DB)"; exit 1; }
MAX_ID=$(sqlite3 "$DB" "SELECT max(id) FROM person")
./build/fallnetz serve --db "$DB" --listen 127.0.0.1:0 --threads ${THREADS:-4} --port-file bench/out/port \
    > bench/out/serve.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
i=0
while [ ! -s bench/out/port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat bench/out/port)
MAX_ID=$MAX_ID wrk -t1 -c"$CONNS" -d"${SECS}s" --latency -s bench/http/persons.lua \
    "http://127.0.0.1:$PORT/"
kill -TERM $PID
wait $PID || true
rm -f bench/out/port
./build/fallnetz audit verify --db "$DB" | head -1
