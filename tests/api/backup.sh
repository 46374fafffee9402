#!/bin/sh
# fallnetz backup: online copies while a server and a writer keep working,
# each copy one moment (accounts == their audit rows) with an intact chain;
# restore a copy and serve it; kill -9 mid-backup never damages the target;
# devices, FIFOs and folders as targets. On PostgreSQL `fallnetz backup`
# refuses and names pg_dump; the same online copies are made with pg_dump
# and restored with pg_restore into a new database (docs/operations.md).
. "$(dirname "$0")/lib.sh"
DB=$(new_db d)

"$BIN" demo --db "$DB" --persons 300 --seed 5 > /dev/null 2>&1
expect_eq "demo exit" 0 $?
"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/port" > "$T/serve.log" 2>&1 &
SERVER_PID=$!
wait_port "$T/port"
U="http://127.0.0.1:$(cat "$T/port")"
CSRF=$(login "$U" abh.sb "$(demo_password "$DB" abh.sb)" "$T/jar")
[ -n "$CSRF" ] && ok || bad "login abh.sb failed: $(cat "$T/login.out")"
Z='X-Fallnetz-Zweck: Aktenbearbeitung'
ID=$(own_person "$DB" abh.sb)

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
    org=$(db_query "$DB" "SELECT o.code FROM organisation o JOIN app_user u ON u.org_id = o.id WHERE u.login = 'abh.sb'")
    while [ ! -f "$T/stop" ]; do
        i=$((i + 1))
        "$BIN" user add "w$i" --db "$DB" --org "$org" --name "Schreiber $i" \
            --role sachbearbeitung > /dev/null 2>&1
    done
) &
WRITER=$!
sleep 1
PW_SB=$(demo_password "$DB" abh.sb)
# users_and_rows DB: the accounts and their audit rows (equal in one moment)
users_and_rows() {
    db_query "$1" "SELECT (SELECT count(*) FROM app_user) || ' ' || (SELECT count(*) FROM audit_log WHERE entity = 'benutzer' AND kind = 'collect')"
}
if on_pg; then
    "$BIN" backup --db "$DB" --out "$T/b.db" > "$T/b.out" 2>&1
    expect_eq "backup of a PostgreSQL database refused" 1 $?
    expect_grep "refusal names pg_dump" "pg_dump" "$T/b.out"
    [ ! -e "$T/b.db" ] && ok || bad "a refused backup left a file"
    for n in 1 2 3; do
        pg_dump -Fc --no-owner "$DB" -f "$T/b$n.dump" 2> "$T/b$n.out"
        expect_eq "pg_dump $n exit" 0 $?
        R=$(new_db "r$n")
        eval "R$n=\$R"
        pg_restore --no-owner --single-transaction -d "$R" "$T/b$n.dump" 2>> "$T/b$n.out"
        expect_eq "pg_restore $n exit" 0 $?
        ur=$(users_and_rows "$R")
        if [ -n "$ur" ] && [ "${ur% *}" = "${ur#* }" ]; then ok; else
            bad "backup $n not one moment (accounts, their audit rows): '$ur'"
        fi
        "$BIN" audit verify --db "$R" > "$T/v$n.out" 2>&1
        expect_eq "backup $n chain" 0 $?
        sleep 0.5
    done
else
    for n in 1 2 3; do
        "$BIN" backup --db "$DB" --out "$T/b$n.db" > "$T/b$n.out" 2>&1
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
fi
touch "$T/stop"
wait "$READER" "$WRITER"
if on_pg; then B3=$R3; else B3="$T/b3.db"; fi
b3users=$(db_query "$B3" "SELECT count(*) FROM app_user")
[ "$b3users" -gt 16 ] && ok || bad "writer added no accounts before backup 3 ($b3users)"

# restore: stop, put the copy in place, serve it again
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
if on_pg; then
    DB=$R3 # a restored database is a new one; the server is given its URL
else
    rm -f "$DB-wal" "$DB-shm"
    cp "$T/b3.db" "$DB"
fi
"$BIN" audit verify --db "$DB" > "$T/v.out" 2>&1
expect_eq "restored chain" 0 $?
rm -f "$T/port"
"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/port" > "$T/serve2.log" 2>&1 &
SERVER_PID=$!
wait_port "$T/port"
U="http://127.0.0.1:$(cat "$T/port")"
CSRF=$(login "$U" abh.sb "$PW_SB" "$T/jar2")
[ -n "$CSRF" ] && ok || bad "login on the restored database failed"
expect_eq "read on restored" 200 "$(curl -s -o "$T/p.json" -w '%{http_code}' -b "$T/jar2" -H "$Z" "$U/api/v1/persons/$ID")"
expect_grep "restored person" "\"id\":$ID" "$T/p.json"
expect_eq "restored accounts" "$b3users" "$(db_query "$DB" 'SELECT count(*) FROM app_user')"
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
if skip_on_pg "kill -9 mid-backup, device, FIFO and folder targets are fallnetz backup's (SQLite); pg_dump writes PostgreSQL's copies"; then
    "$BIN" backup --help > "$T/help.out" 2>&1
    expect_grep "help" "Wiederherstellen" "$T/help.out"
    expect_grep "help names pg_dump" "pg_dump" "$T/help.out"
    finish
    exit
fi

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
