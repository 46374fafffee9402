#!/bin/sh
# fallnetz backup: online copies while a server and a writer keep working,
# each copy one moment (accounts == their audit rows) with an intact chain;
# restore a copy and serve it; kill -9 mid-backup never damages the target;
# devices, FIFOs and folders as targets.
. "$(dirname "$0")/lib.sh"

"$BIN" demo --db "$T/d.db" --persons 300 --seed 5 > /dev/null 2>&1
expect_eq "demo exit" 0 $?
"$BIN" serve --db "$T/d.db" --listen 127.0.0.1:0 --port-file "$T/port" > "$T/serve.log" 2>&1 &
SERVER_PID=$!
wait_port "$T/port"
U="http://127.0.0.1:$(cat "$T/port")"
CSRF=$(login "$U" abh.sb "$(demo_password "$T/d.db" abh.sb)" "$T/jar")
[ -n "$CSRF" ] && ok || bad "login abh.sb failed: $(cat "$T/login.out")"
Z='X-Fallnetz-Zweck: Aktenbearbeitung'
ID=$(own_person "$T/d.db" abh.sb)

# the live writers: audited reads through the server (spooled, chained every
# 200 ms) and new accounts through the CLI
(
    while [ ! -f "$T/stop" ]; do
        curl -s -o /dev/null -b "$T/jar" -H "$Z" "$U/api/v1/persons/$ID"
    done
) &
READER=$!
(
    i=0
    org=$(sqlite3 "$T/d.db" "SELECT o.code FROM organisation o JOIN app_user u ON u.org_id = o.id WHERE u.login = 'abh.sb'")
    while [ ! -f "$T/stop" ]; do
        i=$((i + 1))
        "$BIN" user add "w$i" --db "$T/d.db" --org "$org" --name "Schreiber $i" \
            --role sachbearbeitung > /dev/null 2>&1
    done
) &
WRITER=$!
sleep 1
for n in 1 2 3; do
    "$BIN" backup --db "$T/d.db" --out "$T/b$n.db" > "$T/b$n.out" 2>&1
    expect_eq "backup $n exit" 0 $?
    expect_grep "backup $n checked" "Protokollkette geprüft" "$T/b$n.out"
    users=$(sqlite3 "$T/b$n.db" "SELECT count(*) FROM app_user")
    rows=$(sqlite3 "$T/b$n.db" "SELECT count(*) FROM audit_log WHERE entity = 'benutzer' AND kind = 'collect'")
    expect_eq "backup $n one moment (accounts = their audit rows)" "$users" "$rows"
    expect_eq "backup $n is one file" "delete" "$(sqlite3 "$T/b$n.db" 'PRAGMA journal_mode')"
    expect_eq "backup $n records itself" 1 "$(sqlite3 "$T/b$n.db" "SELECT count(*) FROM audit_log WHERE entity = 'datenbank' AND details = '{\"sicherung\":\"$T/b$n.db\"}'")"
    expect_eq "backup $n mode" 600 "$(stat -c %a "$T/b$n.db")"
    sleep 0.5
done
touch "$T/stop"
wait "$READER" "$WRITER"
b3users=$(sqlite3 "$T/b3.db" "SELECT count(*) FROM app_user")
[ "$b3users" -gt 16 ] && ok || bad "writer added no accounts before backup 3 ($b3users)"

# restore: stop, put the copy in place, serve it again
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
rm -f "$T/d.db-wal" "$T/d.db-shm"
cp "$T/b3.db" "$T/d.db"
"$BIN" audit verify --db "$T/d.db" > "$T/v.out" 2>&1
expect_eq "restored chain" 0 $?
rm -f "$T/port"
"$BIN" serve --db "$T/d.db" --listen 127.0.0.1:0 --port-file "$T/port" > "$T/serve2.log" 2>&1 &
SERVER_PID=$!
wait_port "$T/port"
U="http://127.0.0.1:$(cat "$T/port")"
CSRF=$(login "$U" abh.sb "$(demo_password "$T/d.db" abh.sb)" "$T/jar2")
[ -n "$CSRF" ] && ok || bad "login on the restored database failed"
expect_eq "read on restored" 200 "$(curl -s -o "$T/p.json" -w '%{http_code}' -b "$T/jar2" -H "$Z" "$U/api/v1/persons/$ID")"
expect_grep "restored person" "\"id\":$ID" "$T/p.json"
expect_eq "restored accounts" "$b3users" "$(sqlite3 "$T/d.db" 'SELECT count(*) FROM app_user')"
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=

# kill -9 mid-backup: the target keeps the good older backup (or the new,
# complete one), never a partial file
"$BIN" demo --db "$T/k.db" --persons 1500 --seed 6 > /dev/null 2>&1
"$BIN" backup --db "$T/k.db" --out "$T/kb.db" > /dev/null 2>&1
expect_eq "first backup" 0 $?
for delay in 0.05 0.1 0.15 0.2 0.3; do
    "$BIN" backup --db "$T/k.db" --out "$T/kb.db" > /dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    "$BIN" audit verify --db "$T/kb.db" > "$T/kv.out" 2>&1
    expect_eq "target intact after kill -9 at $delay s" 0 $?
    expect_eq "target persons after kill -9 at $delay s" 1500 "$(sqlite3 "$T/kb.db" 'SELECT count(*) FROM person')"
    rm -f "$T/kb.db-wal" "$T/kb.db-shm"
done

# targets that are not regular files
"$BIN" backup --db "$T/k.db" --out /dev/null > "$T/null.out" 2>&1
expect_eq "device target" 0 $?
mkfifo "$T/fifo"
cat "$T/fifo" > "$T/via-fifo.db" &
CAT=$!
"$BIN" backup --db "$T/k.db" --out "$T/fifo" > /dev/null 2>&1
expect_eq "fifo target" 0 $?
wait "$CAT"
expect_eq "fifo copy persons" 1500 "$(sqlite3 "$T/via-fifo.db" 'SELECT count(*) FROM person')"
[ -p "$T/fifo" ] && ok || bad "the FIFO was replaced"
"$BIN" backup --db "$T/k.db" --out "$T" > "$T/dir.out" 2>&1
expect_eq "folder target refused" 1 $?
expect_grep "folder reason" "ist ein Ordner" "$T/dir.out"
"$BIN" backup --db "$T/missing.db" --out "$T/x.db" > "$T/miss.out" 2>&1
expect_eq "missing database" 1 $?
expect_grep "missing named" "missing.db" "$T/miss.out"
[ ! -e "$T/x.db" ] && ok || bad "a backup of a missing database left a file"
"$BIN" backup --db "$T/k.db" > "$T/noout.out" 2>&1
expect_eq "no --out" 2 $?
"$BIN" backup --help > "$T/help.out" 2>&1
expect_grep "help" "Wiederherstellen" "$T/help.out"
finish
