#!/bin/sh
# HTTP benchmark: authenticated GET /api/v1/persons/{id} with random ids,
# keep-alive, each read audited. Logs in once (POST /api/v1/session with a
# demo account from <db>-zugaenge.txt) and sends the session cookie and a
# configured purpose with every request (wrk -H), so the session lookup is
# part of every measured request. Target (issue 11): >= 20,000 authenticated
# requests/s on 2 cores (wrk shares them). Needs bench/out/demo.db
# (bench/demo/run.sh) or DB=path; BUILD=build-rel for another build folder;
# LOGIN=name for another demo account (default j.hoffmann, koordination).
# Usage: bench/http/run.sh [SECONDS] [CONNECTIONS]
set -eu
cd "$(dirname "$0")/../.."
DB=${DB:-bench/out/demo.db}
BUILD=${BUILD:-build}
LOGIN=${LOGIN:-j.hoffmann}
SECS=${1:-15}
CONNS=${2:-64}
SERVERS=${SERVERS:-1}
case "$DB" in
postgresql://* | postgres://*)
    q() { psql "$DB" -X -q -At -c "$1"; }
    ACCOUNTS=${ACCOUNTS:?ACCOUNTS=<demo file>-zugaenge.txt needed for a PostgreSQL database}
    ;;
*)
    q() { sqlite3 "$DB" "$1"; }
    [ -f "$DB" ] || { echo "run bench/demo/run.sh first (or set DB)"; exit 1; }
    ACCOUNTS=${ACCOUNTS:-$DB-zugaenge.txt}
    ;;
esac
[ -f "$ACCOUNTS" ] || { echo "$ACCOUNTS missing (made by fallnetz demo)"; exit 1; }
PASSWORD=$(awk -v l="$LOGIN" '$1 == l {print $2}' "$ACCOUNTS")
MAX_ID=$(q "SELECT max(id) FROM person")
mkdir -p bench/out
# the persons this account may read (need-to-know: its authority, or its
# region for koordination/zab), so that every request is a real read
q "SELECT p.id FROM person p JOIN organisation a ON a.id = p.authority_id
  JOIN app_user u ON u.login = '$LOGIN' JOIN organisation o ON o.id = u.org_id
  WHERE a.id = o.id OR (o.kind IN ('rrk', 'zab') AND a.region_id = o.region_id)" > bench/out/ids.txt
echo "$(wc -l < bench/out/ids.txt) persons in the scope of $LOGIN"
PIDS=""
trap 'kill $PIDS 2>/dev/null' EXIT
n=1
while [ $n -le "$SERVERS" ]; do
    rm -f "bench/out/port$n"
    "./$BUILD/fallnetz" serve --db "$DB" --listen 127.0.0.1:0 --threads "${THREADS:-4}" \
        --per-ip-limit "$((CONNS + 16))" --no-catalog --port-file "bench/out/port$n" \
        > "bench/out/serve$n.log" 2>&1 &
    PIDS="$PIDS $!"
    i=0
    while [ ! -s "bench/out/port$n" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    n=$((n + 1))
done
PORT=$(cat bench/out/port1)
COOKIE=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    --data "{\"kennung\":\"$LOGIN\",\"passwort\":\"$PASSWORD\"}" \
    "http://127.0.0.1:$PORT/api/v1/session" | sed -n 's/^Set-Cookie: \([^;]*\);.*/\1/p')
[ -n "$COOKIE" ] || { echo "login as $LOGIN failed"; exit 1; }
# sessions are in the database: the cookie of server 1 is valid on all
n=1
WRKS=""
while [ $n -le "$SERVERS" ]; do
    IDS=bench/out/ids.txt MAX_ID=$MAX_ID wrk -t1 -c"$CONNS" -d"${SECS}s" --latency \
        -s bench/http/persons.lua -H "Cookie: $COOKIE" -H "X-Fallnetz-Zweck: Aktenbearbeitung" \
        "http://127.0.0.1:$(cat "bench/out/port$n")/" > "bench/out/wrk$n.txt" 2>&1 &
    WRKS="$WRKS $!"
    n=$((n + 1))
done
wait $WRKS
n=1
while [ $n -le "$SERVERS" ]; do
    echo "== server $n"
    cat "bench/out/wrk$n.txt"
    n=$((n + 1))
done
kill -TERM $PIDS
wait $PIDS || true
rm -f bench/out/port[0-9]*
"./$BUILD/fallnetz" audit verify --db "$DB" | head -1
