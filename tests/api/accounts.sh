#!/bin/sh
# Accounts, organisations and API tokens on the command line (issue 11):
# the password policy, hashes only, audit rows for every change, demo
# accounts with random passwords, tokens shown once and kept as digests.
. "$(dirname "$0")/lib.sh"
DB=$(new_db d)

"$BIN" demo --db "$DB" --persons 30 --seed 4 > "$T/demo.txt" 2> /dev/null
expect_eq "demo exit" 0 $?
expect_grep "demo shows accounts" '^  admin  ' "$T/demo.txt"
expect_eq "accounts file private" 600 "$(stat -c %a "$(accounts_file "$DB")")"
# (a URL's file is named relative to the current folder, where it is)
expect_grep "accounts file named" "(gespeichert in \(.*/\)\?$(basename "$(accounts_file "$DB")"))" "$T/demo.txt"
for role in sachbearbeitung koordination zab polizei statistik datenschutz admin; do
    expect_grep "demo account for $role" " $role\$" "$T/demo.txt"
done
pw1=$(awk '$1 == "abh.sb" {print $2}' "$T/demo.txt")
E=$(new_db e)
"$BIN" demo --db "$E" --zugaenge "$T/e-konten.txt" --persons 30 --seed 4 > "$T/demo2.txt" 2> /dev/null
pw2=$(awk '$1 == "abh.sb" {print $2}' "$T/demo2.txt")
if [ -n "$pw1" ] && [ "$pw1" != "$pw2" ]; then ok; else bad "demo passwords not random: '$pw1' '$pw2'"; fi
# --zugaenge: the accounts where asked, private, and nowhere else
expect_eq "--zugaenge file private" 600 "$(stat -c %a "$T/e-konten.txt" 2> /dev/null)"
expect_eq "--zugaenge file holds the accounts" "$pw2" "$(awk '$1 == "abh.sb" {print $2}' "$T/e-konten.txt" 2> /dev/null)"
if [ -e "$(accounts_file "$E")" ]; then bad "--zugaenge given, default file written too"; else ok; fi
# a URL that names no plain database: refused before anything is written
"$BIN" demo --db 'postgresql://fallnetz@/?host=/nirgends' --persons 0 > /dev/null 2> "$T/err-z.txt"
expect_eq "URL without a database name needs --zugaenge" 2 $?
expect_grep "--zugaenge named" 'zugaenge DATEI' "$T/err-z.txt"
"$BIN" demo --db "$E" --zugaenge "" --persons 0 > /dev/null 2>&1
expect_eq "empty --zugaenge" 2 $?
if db_query "$DB" "SELECT password_hash FROM app_user" | grep -qv '^\$argon2id\$'; then
    bad "a stored password is not an argon2id hash"
else ok; fi
if db_dump "$DB" | grep -qF "$pw1"; then bad "plain password in the database"; else ok; fi

"$BIN" org list --db "$DB" > "$T/orgs.csv"
expect_eq "org list exit" 0 $?
expect_grep "org list header" '^id,code,kind,name,region$' "$T/orgs.csv"
expect_grep "an RRK with its region" ',RRK-MS,rrk,.*,MS$' "$T/orgs.csv"

printf 'kurz\n' | "$BIN" user add x.y --org ABH-48143 --role sachbearbeitung --name "X Y" \
    --password-stdin --db "$DB" 2> "$T/err.txt"
expect_eq "short password refused" 1 $?
expect_grep "policy named" 'mindestens 12 Zeichen' "$T/err.txt"
printf 'aaaaaaaaaaaaaaaa\n' | "$BIN" user add x.y --org ABH-48143 --role zab --name "X Y" \
    --password-stdin --db "$DB" 2> /dev/null
expect_eq "one repeated character refused" 1 $?
"$BIN" user add x.y --org ABH-48143 --role root --name "X" --db "$DB" 2> "$T/err.txt"
expect_eq "unknown role" 2 $?
expect_grep "role named" "unbekannte Rolle 'root'" "$T/err.txt"
"$BIN" user add 'X Y' --org ABH-48143 --role zab --name "X" --db "$DB" 2> /dev/null
expect_eq "bad login refused" 1 $?
"$BIN" user add x.y --org NOPE --role zab --name "X" --db "$DB" 2> /dev/null
expect_eq "unknown organisation" 1 $?
printf 'ein langes Passwort 1\n' | "$BIN" user add x.y --org ABH-48143 \
    --role sachbearbeitung,zab --name "X Y" --password-stdin --db "$DB" > /dev/null
expect_eq "user add" 0 $?
"$BIN" user add x.y --org ABH-48143 --role zab --name "X" --db "$DB" 2> /dev/null
expect_eq "duplicate login" 1 $?
"$BIN" user list --db "$DB" > "$T/users.csv"
expect_grep "listed with roles" '^x.y,X Y,ABH-48143,"sachbearbeitung,zab",ja,' "$T/users.csv"
if grep -q 'argon2' "$T/users.csv"; then bad "hash in user list"; else ok; fi
"$BIN" user disable x.y --db "$DB" > /dev/null
expect_grep "disabled" '^x.y,.*,nein,' "$("$BIN" user list --db "$DB" > "$T/u2.csv"; echo "$T/u2.csv")"
"$BIN" user passwd x.y --db "$DB" < /dev/null 2> /dev/null
expect_eq "passwd needs stdin flag" 2 $?
printf 'noch ein langes Passwort\n' | "$BIN" user passwd x.y --password-stdin --db "$DB" > /dev/null
expect_eq "passwd" 0 $?
"$BIN" user disable nobody --db "$DB" 2> /dev/null
expect_eq "unknown account" 1 $?

"$BIN" token add --org STA-1 --scope intake --label "Fachverfahren StA" --db "$DB" > "$T/tok.txt"
expect_eq "token add" 0 $?
tok=$(sed -n 2p "$T/tok.txt")
expect_eq "token shown once, 43 characters" 43 "${#tok}"
if db_dump "$DB" | grep -qF "$tok"; then bad "plain token stored"; else ok; fi
"$BIN" token add --org STA-1 --scope lesen --db "$DB" 2> /dev/null
expect_eq "unknown scope" 2 $?
"$BIN" token list --db "$DB" > "$T/toks.csv"
expect_grep "token listed" '^1,[0-9]*,intake,Fachverfahren StA,' "$T/toks.csv"
if grep -qF "$tok" "$T/toks.csv"; then bad "token in list"; else ok; fi
"$BIN" token revoke 1 --db "$DB" > /dev/null
expect_eq "revoke" 0 $?
expect_grep "revoked time" '^1,.*,20[0-9-]*T[0-9:.]*Z$' "$(
    "$BIN" token list --db "$DB" > "$T/toks2.csv"
    echo "$T/toks2.csv"
)"
"$BIN" token revoke 99 --db "$DB" 2> /dev/null
expect_eq "revoke unknown" 1 $?

"$BIN" audit show --user dsb --db "$DB" > "$T/audit.csv"
expect_grep "user add audited" ',collect,benutzer,' "$T/audit.csv"
expect_grep "disable audited" 'deaktiviert' "$T/audit.csv"
expect_grep "password change audited" 'passwort' "$T/audit.csv"
expect_grep "token audited" ',collect,api_token,' "$T/audit.csv"
expect_grep "revoke audited" 'widerrufen' "$T/audit.csv"
if grep -qF "$tok" "$T/audit.csv" || grep -q 'langes Passwort' "$T/audit.csv"; then
    bad "secret in the audit trail"
else ok; fi
"$BIN" audit verify --db "$DB" > /dev/null
expect_eq "chain intact" 0 $?
finish
