#!/bin/sh
# The database goes away under a running server (pg_ctl stop -m fast, then
# -m immediate) while clients read and write: every answer is 200/201 or
# 503 with Retry-After and the German db_unavailable message, never a 500;
# the server stays up and answers again without a restart once the
# database is back (it reconnects and prepares its statements anew). Nothing
# is half written: every stored decision has its audit row, every 201 its
# decision, and the chain verifies. A CLI command meanwhile fails with one
# German line naming the server (never the password) and exit 1.
. "$(dirname "$0")/pglib.sh"

ADMIN=$(own_cluster) || { bad "no cluster of our own"; finish; exit 1; }
SECRET=$(cat "$(cat "$T/cluster")/password")
DB=$(new_db "$ADMIN")
# pg-tmp.sh runs with synchronous_commit off: an immediate stop (a crash)
# would lose commits it has already acknowledged. On, as in production
# (fsync may stay off: the processes die, the kernel keeps the WAL).
q "$DB" "ALTER DATABASE $(printf '%s\n' "$DB" | sed 's|^[a-z]*://[^/]*/\([^?]*\).*|\1|') SET synchronous_commit = on"
"$BIN" init --db "$DB" > /dev/null 2>&1
"$BIN" demo --db "$DB" --persons 20 --seed 3 > /dev/null 2>&1
PW=Ausfall-Passwort-42
set_password "$DB" k.wagner $PW
ID=$(region_person "$DB" k.wagner)
H=$(serve "$DB" s)
CSRF=$(login "$H" k.wagner $PW "$T/jar")
[ -n "$CSRF" ] && ok || bad "login"
get() { curl -s -D "$T/h.txt" -o "$T/b.json" -w '%{http_code}' -b "$T/jar" \
    -H 'X-Fallnetz-Zweck: Aktenbearbeitung' "$H/api/v1/persons/$ID"; }
decide() { curl -s -o "$T/d.json" -w '%{http_code}' -b "$T/jar" -H "X-CSRF-Token: $CSRF" \
    -H 'Content-Type: application/json' \
    --data "{\"person_id\":$ID,\"entscheidung\":\"ablehnen\",\"begruendung\":\"Ausfalltest ohne Aufnahme\",\"kennung\":\"k.wagner\"}" \
    "$H/api/v1/decisions"; }
expect_eq "read before" 200 "$(get)"

# load: reads and decisions until told to stop; "<what> <status> <code>"
load() {
    while [ ! -f "$T/stop" ]; do
        _c=$(curl -s -o "$T/l1.json" -w '%{http_code}' -b "$T/jar" \
            -H 'X-Fallnetz-Zweck: Aktenbearbeitung' "$H/api/v1/persons/$ID")
        echo "read $_c $(sed -n 's/.*"code":"\([^"]*\)".*/\1/p' "$T/l1.json")" >> "$T/load"
        _c=$(curl -s -o "$T/l2.json" -w '%{http_code}' -b "$T/jar" -H "X-CSRF-Token: $CSRF" \
            -H 'Content-Type: application/json' \
            --data "{\"person_id\":$ID,\"entscheidung\":\"ablehnen\",\"begruendung\":\"Ausfalltest ohne Aufnahme\",\"kennung\":\"k.wagner\"}" \
            "$H/api/v1/decisions")
        echo "decide $_c $(sed -n 's/.*"code":"\([^"]*\)".*/\1/p' "$T/l2.json")" >> "$T/load"
    done
}
load &
LOAD=$!
background $LOAD

# until_200 WHAT: retries the read for up to 5 s; prints the last status
until_200() {
    _i=0
    _c=$(get)
    while [ "$_c" != 200 ] && [ $_i -lt 50 ]; do sleep 0.1; _c=$(get); _i=$((_i + 1)); done
    echo "$_c"
}
# Each server worker has its own connection; one that has not noticed the
# outage yet answers its first request with 503 and reconnects (known: no
# transparent retry yet, issue 12 note). A decision is therefore retried on
# 503 only, a few times, like the read above.
decide_after() {
    _i=0
    _c=$(decide)
    while [ "$_c" = 503 ] && [ $_i -lt 8 ]; do sleep 0.1; _c=$(decide); _i=$((_i + 1)); done
    echo "$_c"
}

for mode in fast immediate; do
    sleep 1
    pg_down $mode
    expect_eq "$mode: read while down" 503 "$(get)"
    expect_grep "$mode: Retry-After" '^Retry-After: [0-9]' "$T/h.txt"
    expect_grep "$mode: code" '"code":"db_unavailable"' "$T/b.json"
    expect_grep "$mode: German message" 'Datenbank ist gerade nicht erreichbar' "$T/b.json"
    expect_eq "$mode: decision while down" 503 "$(decide)"
    expect_eq "$mode: login while down" 503 \
        "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
            --data "{\"kennung\":\"k.wagner\",\"passwort\":\"$PW\"}" "$H/api/v1/session")"
    expect_eq "$mode: health while down" 503 \
        "$(curl -s -o /dev/null -w '%{http_code}' "$H/api/v1/health")"
    "$BIN" decide "$ID" --decline --reason "Ausfalltest ohne Aufnahme" --user k.wagner \
        --db "$DB" > "$T/cli.out" 2> "$T/cli.err"
    expect_eq "$mode: CLI exit" 1 $?
    expect_eq "$mode: CLI one line" 1 "$(wc -l < "$T/cli.err")"
    expect_grep "$mode: CLI names the server" 'PostgreSQL-Server nicht erreichbar: postgresql://fallnetz:\*\*\*@' "$T/cli.err"
    expect_no_grep "$mode: CLI hides the password" "$SECRET" "$T/cli.err"
    kill -0 "$(cat "$T/s.pid")" 2> /dev/null && ok || bad "$mode: server died"
    sleep 1
    pg_up
    expect_eq "$mode: read after the database is back" 200 "$(until_200)"
    expect_eq "$mode: decision after" 201 "$(decide_after)"
done
touch "$T/stop"
wait $LOAD
stop_serve s

# every answer under load was a success or the 503; no 500, no other code
expect_eq "load answers" "" "$(grep -v -E '^(read 200|decide 201|(read|decide) 503 db_unavailable)' "$T/load")"
grep -q ' 503 ' "$T/load" && ok || bad "the load saw no outage"
ok201=$(($(grep -c '^decide 201' "$T/load") + 2))
stored=$(q "$DB" "SELECT count(*) FROM decision")
[ "$stored" -ge "$ok201" ] && ok || bad "every 201 stored: $stored < $ok201"
# a 503 whose COMMIT reached the server may have stored its decision too
# (the answer was lost with the connection), but never half of it
expect_eq "every stored decision has its audit row" "$stored" \
    "$(q "$DB" "SELECT count(*) FROM audit_log WHERE kind = 'change' AND details LIKE '%\"entscheidung\":%'")"
expect_eq "every decision has its assessment" "$stored" \
    "$(q "$DB" "SELECT count(*) FROM decision d JOIN assessment a ON a.id = d.assessment_id")"
"$BIN" audit verify --db "$DB" > "$T/verify.out" 2>&1
expect_eq "audit verify" 0 $?
expect_grep "log: outage" 'Datenbank nicht erreichbar: Verbindung zum PostgreSQL-Server' "$T/s.log"
expect_grep "log: recovery" 'Datenbank wieder erreichbar' "$T/s.log"
expect_no_grep "log: no password" "$SECRET" "$T/s.log"
expect_no_grep "no 500" '"internal"' "$T/load"
finish
