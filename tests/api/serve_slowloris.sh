#!/bin/sh
# Slowloris: a few hundred connections from 127.0.0.2 and 127.0.0.3 trickle
# one header byte at a time. The per-address limit caps what they hold, a
# normal client on 127.0.0.1 is still served promptly, and a connection
# whose header is not complete within --header-timeout is closed. Loopback
# only, bounded (about 10 s).
. "$(dirname "$0")/lib.sh"
DB=$(new_db d)

"$BIN" demo --db "$DB" --persons 20 --seed 3 2> /dev/null
"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/port" --header-timeout 2 \
    --no-catalog > "$T/serve.log" 2>&1 &
SERVER_PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
P=$(cat "$T/port")

python3 - "$P" > "$T/result.txt" 2>&1 <<'PY'
import errno, http.client, socket, sys, time
port = int(sys.argv[1])
SLOW_PER_ADDRESS = 150  # more than the per-address limit of 64

def normal_request():
    started = time.monotonic()
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=3,
                                       source_address=("127.0.0.1", 0))
        c.request("GET", "/api/v1/health")
        status = c.getresponse().status
        c.close()
    except OSError as e:
        status = "error %s" % e
    return status, time.monotonic() - started

def is_open(s):
    try:
        return s.recv(1, socket.MSG_DONTWAIT) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False

slow = []
for addr in ("127.0.0.2", "127.0.0.3"):
    for _ in range(SLOW_PER_ADDRESS):
        s = socket.socket()
        s.bind((addr, 0))
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-Slow: " % port)
        slow.append(s)
start = time.monotonic()

def trickle():
    for s in slow:
        try:
            s.send(b"a")
        except OSError:
            pass

time.sleep(1.0)
trickle()
held = sum(is_open(s) for s in slow)
print("held after 1 s:", held)
status, took = normal_request()
print("normal request during the attack:", status, "in %.2f s" % took)
while time.monotonic() - start < 5.5:
    time.sleep(0.5)
    trickle()
left = sum(is_open(s) for s in slow)
print("open after 5.5 s:", left)
status2, took2 = normal_request()
print("normal request afterwards:", status2, "in %.2f s" % took2)
ok = (0 < held <= 2 * 64 and status == 200 and took < 2.0 and left == 0 and status2 == 200)
print("RESULT", "ok" if ok else "bad")
for s in slow:
    s.close()
PY
cat "$T/result.txt"
expect_grep "slow header connections capped per address and closed; normal client served" \
    'RESULT ok' "$T/result.txt"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
expect_eq "clean exit on SIGTERM" 0 $?
SERVER_PID=
finish
