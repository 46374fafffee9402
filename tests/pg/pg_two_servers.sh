#!/bin/sh
# Two `fallnetz serve` processes on two ports write to one PostgreSQL
# database at once (logins, audited person reads, decisions), while a CLI
# writes decisions too. Afterwards the audit trail is one chain (`audit
# verify`), its seq has no gap, and every request a client saw succeed left
# exactly its audit row: per account, logins, reads and decisions are
# counted on the client and in audit_log and must agree.
. "$(dirname "$0")/pglib.sh"

DB=$(new_db) || { bad "no database"; finish; exit 1; }
"$BIN" init --db "$DB" > /dev/null 2>&1
expect_eq "init" 0 $?
"$BIN" demo --db "$DB" --persons 30 --seed 7 > /dev/null 2> "$T/demo.err"
expect_eq "demo persons" 30 "$(q "$DB" 'SELECT count(*) FROM person')"
PW=Lasttest-Passwort-42
# two accounts per server, one for the CLI; all koordination
for l in a.becker m.schulz s.yilmaz k.wagner j.hoffmann; do set_password "$DB" $l $PW; done

H1=$(serve "$DB" s1)
H2=$(serve "$DB" s2)
[ "$H1" != "$H2" ] && ok || bad "two ports"
expect_eq "server 1 up" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$H1/api/v1/health")"
expect_eq "server 2 up" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$H2/api/v1/health")"

ROUNDS=${FALLNETZ_PG_LOAD_ROUNDS:-12}
# client HTTP LOGIN: ROUNDS rounds of (a new login every third round) a
# person read and a decision; one line "<what> <status>" per request.
client() {
    _h=$1 _l=$2 _out=$T/$2.counts _jar=$T/$2.jar
    _id=$(region_person "$DB" "$_l")
    _csrf=
    _r=0
    while [ $_r -lt "$ROUNDS" ]; do
        if [ $((_r % 3)) -eq 0 ]; then
            _code=$(curl -s -o "$T/$_l.login" -w '%{http_code}' -c "$_jar" \
                -H 'Content-Type: application/json' \
                --data "{\"kennung\":\"$_l\",\"passwort\":\"$PW\"}" "$_h/api/v1/session")
            echo "login $_code" >> "$_out"
            _csrf=$(sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p' "$T/$_l.login")
        fi
        _code=$(curl -s -o /dev/null -w '%{http_code}' -b "$_jar" \
            -H 'X-Fallnetz-Zweck: Aktenbearbeitung' "$_h/api/v1/persons/$_id")
        echo "read $_code" >> "$_out"
        _code=$(curl -s -o /dev/null -w '%{http_code}' -b "$_jar" -H "X-CSRF-Token: $_csrf" \
            -H 'Content-Type: application/json' \
            --data "{\"person_id\":$_id,\"entscheidung\":\"ablehnen\",\"begruendung\":\"Lasttest ohne Aufnahme\",\"kennung\":\"$_l\"}" \
            "$_h/api/v1/decisions")
        echo "decide $_code" >> "$_out"
        _r=$((_r + 1))
    done
}
cli_writer() {
    _id=$(region_person "$DB" j.hoffmann)
    _r=0
    while [ $_r -lt "$ROUNDS" ]; do
        if "$BIN" decide "$_id" --decline --reason "Lasttest ohne Aufnahme" --user j.hoffmann \
            --db "$DB" > /dev/null 2>> "$T/cli.err"; then
            echo "decide 201" >> "$T/j.hoffmann.counts"
        else
            echo "decide failed" >> "$T/j.hoffmann.counts"
        fi
        _r=$((_r + 1))
    done
}
client "$H1" a.becker &
p1=$!
client "$H1" m.schulz &
p2=$!
client "$H2" s.yilmaz &
p3=$!
client "$H2" k.wagner &
p4=$!
cli_writer &
p5=$!
wait $p1 $p2 $p3 $p4 $p5

# the servers chain their spooled reads when they stop
stop_serve s1
stop_serve s2
for l in a.becker m.schulz s.yilmaz k.wagner; do
    expect_eq "$l: every login succeeded" $((ROUNDS / 3 + (ROUNDS % 3 > 0))) \
        "$(grep -c '^login 20[01]$' "$T/$l.counts")"
    expect_eq "$l: every read succeeded" "$ROUNDS" "$(grep -c '^read 200$' "$T/$l.counts")"
    expect_eq "$l: every decision succeeded" "$ROUNDS" "$(grep -c '^decide 201$' "$T/$l.counts")"
    expect_eq "$l: one access row per login" "$(grep -c '^login 20[01]$' "$T/$l.counts")" \
        "$(q "$DB" "SELECT count(*) FROM audit_log WHERE login = '$l' AND kind = 'zugang'
                    AND details LIKE '%\"ereignis\":\"anmeldung\"%'")"
    expect_eq "$l: one decision row per 201" "$(grep -c '^decide 201$' "$T/$l.counts")" \
        "$(q "$DB" "SELECT count(*) FROM audit_log WHERE login = '$l' AND kind = 'change'
                    AND details LIKE '%\"entscheidung\":%'")"
    expect_eq "$l: decisions stored" "$(grep -c '^decide 201$' "$T/$l.counts")" \
        "$(q "$DB" "SELECT count(*) FROM decision WHERE login = '$l'")"
    # a read is one query row; a decision reads the person's file once too
    expect_eq "$l: one query row per read and per decision" \
        $(($(grep -c '^read 200$' "$T/$l.counts") + $(grep -c '^decide 201$' "$T/$l.counts"))) \
        "$(q "$DB" "SELECT count(*) FROM audit_log WHERE login = '$l' AND kind = 'query'")"
done
expect_eq "CLI: every decision succeeded" "$ROUNDS" "$(grep -c '^decide 201$' "$T/j.hoffmann.counts")"
expect_eq "CLI: one decision row per success" "$(grep -c '^decide 201$' "$T/j.hoffmann.counts")" \
    "$(q "$DB" "SELECT count(*) FROM audit_log WHERE login = 'j.hoffmann' AND kind = 'change'
                AND details LIKE '%\"entscheidung\":%'")"
# one chain: no gap in seq, no two rows on the same predecessor, and the
# chain verifies from the first row to the head
expect_eq "seq without gap" "1" \
    "$(q "$DB" 'SELECT (max(seq) - min(seq) + 1 = count(*) AND min(seq) = 1)::int FROM audit_log')"
expect_eq "no fork" "0" "$(q "$DB" 'SELECT count(*) - count(DISTINCT prev_hash) FROM audit_log')"
expect_eq "head is the last row" "1" \
    "$(q "$DB" 'SELECT (h.seq = (SELECT max(seq) FROM audit_log))::int FROM audit_head h')"
"$BIN" audit verify --db "$DB" > "$T/verify.out" 2>&1
expect_eq "audit verify" 0 $?
expect_grep "chain intact" "Protokoll unversehrt" "$T/verify.out"
for s in s1 s2; do
    expect_no_grep "$s: no internal error" '"internal"' "$T/$s.log"
    expect_no_grep "$s log: no password" "$PW" "$T/$s.log"
done
finish
