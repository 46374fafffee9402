#!/bin/sh
# Instructions per authenticated GET /api/v1/persons/{id}, counted by
# callgrind: repeatable while other work runs on the machine (wall-clock
# figures are not). Uses a release build (BUILD, default build-rel; made if
# missing), a demo database of PERSONS persons (made once as
# bench/out/callgrind-base.db, copied fresh for every run so the audit log
# does not grow between runs), logs in as LOGIN, then starts
# `fallnetz serve` under callgrind with instrumentation off, sends WARM
# requests, switches instrumentation on (callgrind_control -i on, -z),
# sends N requests for persons in the account's scope on one keep-alive
# connection (curl), dumps, and prints Ir per request for the whole process
# and the top functions (inclusive and exclusive). Responses are kept in
# bench/out/callgrind/responses.txt (one body a line) to compare JSON bytes
# before and after a change; the id list is fixed (every k-th person in
# scope), so two runs ask for the same persons in the same order.
# Usage: bench/http/callgrind.sh [N]     (default 300)
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build-rel}
PERSONS=${PERSONS:-100000}
LOGIN=${LOGIN:-j.hoffmann}
THREADS=${THREADS:-2}
WARM=${WARM:-20}
TOP=${TOP:-30}
N=${1:-300}
OUT=bench/out/callgrind
BASE=bench/out/callgrind-base.db
DB=$OUT/run.db
mkdir -p "$OUT"
[ -f "$BUILD/build.ninja" ] ||
    meson setup "$BUILD" --buildtype=release -Dtests=false -Dbench=true > /dev/null
ninja -C "$BUILD" fallnetz > /dev/null
if [ ! -f "$BASE" ]; then
    FALLNETZ_PROGRESS=0 "$BUILD/fallnetz" demo --db "$BASE" --persons "$PERSONS" --seed 1 \
        > /dev/null
fi
rm -f "$DB" "$DB-wal" "$DB-shm" "$OUT"/callgrind.out.* "$OUT/port"
cp "$BASE" "$DB"
PASSWORD=$(awk -v l="$LOGIN" '$1 == l {print $2}' "$BASE-zugaenge.txt")
# the persons this account may read (bench/http/run.sh), every k-th of them
sqlite3 "$DB" "SELECT p.id FROM person p JOIN organisation a ON a.id = p.authority_id
  JOIN app_user u ON u.login = '$LOGIN' JOIN organisation o ON o.id = u.org_id
  WHERE a.id = o.id OR (o.kind IN ('rrk', 'zab') AND a.region_id = o.region_id)
  ORDER BY p.id" > "$OUT/scope.txt"
TOTAL=$(wc -l < "$OUT/scope.txt")
STEP=$((TOTAL / (N + WARM)))
[ "$STEP" -ge 1 ] || STEP=1
awk -v s="$STEP" 'NR % s == 0' "$OUT/scope.txt" | head -n "$((N + WARM))" > "$OUT/ids.txt"
[ "$(wc -l < "$OUT/ids.txt")" -eq "$((N + WARM))" ] || { echo "too few persons in scope"; exit 1; }

valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT/callgrind.out.%p" \
    "$BUILD/fallnetz" serve --db "$DB" --listen 127.0.0.1:0 --threads "$THREADS" \
    --no-catalog --port-file "$OUT/port" > "$OUT/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
i=0
while [ ! -s "$OUT/port" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$OUT/port")
URL="http://127.0.0.1:$PORT"
COOKIE=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    --data "{\"kennung\":\"$LOGIN\",\"passwort\":\"$PASSWORD\"}" \
    "$URL/api/v1/session" | sed -n 's/^Set-Cookie: \([^;]*\);.*/\1/p')
[ -n "$COOKIE" ] || { echo "login as $LOGIN failed"; exit 1; }

# one curl, one keep-alive connection; -w ends each body with a newline
fetch() { # fetch FIRST COUNT OUTFILE
    tail -n "+$1" "$OUT/ids.txt" | head -n "$2" | sed "s|.*|url = \"$URL/api/v1/persons/&\"|" \
        > "$OUT/curl.cfg"
    curl -s -K "$OUT/curl.cfg" -H "Cookie: $COOKIE" -H "X-Fallnetz-Zweck: Aktenbearbeitung" \
        -w '\n' > "$3"
}
fetch 1 "$WARM" /dev/null
# the spool drainer chains the warm-up rows (and opens its connection)
# before counting starts, and the measured rows before the dump: every
# measured request's audit row is chained inside the window
sleep 2
callgrind_control -i on "$PID" > /dev/null 2>&1
callgrind_control -z "$PID" > /dev/null 2>&1
fetch "$((WARM + 1))" "$N" "$OUT/responses.txt"
sleep 2
callgrind_control -d "$PID" > /dev/null 2>&1
callgrind_control -i off "$PID" > /dev/null 2>&1
kill -TERM $PID
wait $PID || true
trap - EXIT

OK=$(grep -c '^{"id":' "$OUT/responses.txt" || true)
[ "$OK" -eq "$N" ] || { echo "only $OK of $N answers are person files"; exit 1; }
DUMP=$(ls "$OUT"/callgrind.out.*.1 | head -1)
IR=$(sed -n 's/^summary: \([0-9]*\).*/\1/p; s/^totals: \([0-9]*\).*/\1/p' "$DUMP" | head -1)
# the spool drainer's share: it chains the rows in batches whose number
# depends on timing (each commit costs ~50k Ir), so it is shown apart too
DRAIN=$(callgrind_annotate --inclusive=yes "$DUMP" 2> /dev/null |
    awk '/:drainer_main / {gsub(",", "", $1); print $1; exit}')
DRAIN=${DRAIN:-0}
echo "$N requests, $IR Ir in serve: $((IR / N)) Ir per request"
echo "of which request path $(((IR - DRAIN) / N)), spool drainer (chaining the row) $((DRAIN / N))"
echo "response bodies: $OUT/responses.txt ($(md5sum < "$OUT/responses.txt" | cut -c1-12))"
echo "--- inclusive"
callgrind_annotate --inclusive=yes "$DUMP" 2> /dev/null | grep -E '^ *[0-9,]+ ' | head -n "$TOP"
echo "--- exclusive"
callgrind_annotate "$DUMP" 2> /dev/null | grep -E '^ *[0-9,]+ ' | head -n "$TOP"
