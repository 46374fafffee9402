#!/bin/sh
# The need-to-know matrix on the command line (issue 11, docs/access.md):
# every demo account exports, assesses, lists and decides; each sees exactly
# the persons of its scope (zero leaks), roles without person data are
# refused with a German message, and --user / --second-user must name
# real, active and (for the second person) different deciding accounts.
. "$(dirname "$0")/lib.sh"
CAT="$FALLNETZ_SOURCE_ROOT/catalog/initialbewertung.cat"
DB=$(new_db d)
"$BIN" demo --db "$DB" --persons 200 --seed 5 > /dev/null 2>&1

q() { db_query "$DB" "$1"; }
org() { q "SELECT id FROM organisation WHERE code = '$1'"; }
# the ids a login may see, one per line, sorted: own authority for
# sachbearbeitung, the region for koordination and zab
scope_ids() {
    case "$2" in
    own) q "SELECT record_id FROM person WHERE authority_id = $(org "$1") ORDER BY record_id" ;;
    region) q "SELECT record_id FROM person WHERE authority_id IN (SELECT id FROM organisation
              WHERE region_id = (SELECT region_id FROM organisation WHERE code = '$1'))
              ORDER BY record_id" ;;
    esac
}
exported_ids() { tail -n +2 "$1" | cut -d, -f1 | sort; }

# export: each scoped account gets exactly its persons
for cell in abh.sb:ABH-48143:own abh.sb2:ABH-50667:own j.hoffmann:RRK-MS:region \
    k.wagner:RRK-K:region zab.sb:ZAB-5:region; do
    login=${cell%%:*}; rest=${cell#*:}; code=${rest%%:*}; kind=${rest#*:}
    "$BIN" export persons --user "$login" --db "$DB" --out "$T/e-$login.csv" 2> /dev/null
    expect_eq "export $login exit" 0 $?
    scope_ids "$code" "$kind" | sort > "$T/want-$login.txt"
    exported_ids "$T/e-$login.csv" > "$T/got-$login.txt"
    if [ -s "$T/want-$login.txt" ] && cmp -s "$T/want-$login.txt" "$T/got-$login.txt"; then ok
    else bad "export $login: not exactly its scope ($(wc -l < "$T/got-$login.txt") rows)"; fi
done
# roles without person data: refused, no file
for login in polizei statistik dsb admin; do
    "$BIN" export persons --user "$login" --db "$DB" --out "$T/e-$login.csv" 2> "$T/err-$login.txt"
    expect_eq "export $login refused" 1 $?
    expect_grep "export $login: German refusal" 'keine Berechtigung' "$T/err-$login.txt"
    if [ -e "$T/e-$login.csv" ]; then bad "export $login wrote a file"; else ok; fi
done

# assess one person: in scope shown, out of scope "not found" (existence not revealed)
MS_P=$(scope_ids ABH-48143 own | head -1)
MS_ID=$(q "SELECT id FROM person WHERE record_id = '$MS_P'")
K_ID=$(q "SELECT min(id) FROM person WHERE authority_id = $(org ABH-50667)")
"$BIN" assess "$MS_ID" --user abh.sb --db "$DB" --catalog "$CAT" --today 2026-03-01 > /dev/null
expect_eq "assess own person" 0 $?
"$BIN" assess "$K_ID" --user abh.sb --db "$DB" --catalog "$CAT" 2> "$T/err.txt"
expect_eq "assess other region's person" 1 $?
expect_grep "out of scope reads as unknown" 'keine Person mit der Nummer' "$T/err.txt"
"$BIN" assess "$MS_ID" --user zab.sb --db "$DB" --catalog "$CAT" --today 2026-03-01 2> "$T/err.txt"
expect_eq "zab clarifies identity but assesses nobody" 1 $?
expect_grep "zab refusal" 'keine Berechtigung' "$T/err.txt"
"$BIN" assess "$MS_ID" --user statistik --db "$DB" --catalog "$CAT" 2> "$T/err.txt"
expect_eq "statistik never reads one person" 1 $?
expect_grep "statistik refusal" 'keine Berechtigung' "$T/err.txt"

# worklist: the RRK's regional view, a coordinator's default, no leaks
RRK_MS=$(org RRK-MS)
N_MS=$(scope_ids RRK-MS region | wc -l)
"$BIN" worklist --authority "$RRK_MS" --user j.hoffmann --db "$DB" --catalog "$CAT" --today 2026-03-01 > "$T/w1.txt"
expect_grep "RRK worklist: the whole region" "($N_MS Personen)" "$T/w1.txt"
"$BIN" worklist --user j.hoffmann --db "$DB" --catalog "$CAT" --today 2026-03-01 > "$T/w2.txt"
expect_grep "coordinator's worklist without --authority" "($N_MS Personen)" "$T/w2.txt"
"$BIN" worklist --authority "$RRK_MS" --user k.wagner --db "$DB" --catalog "$CAT" --today 2026-03-01 > "$T/w3.txt"
expect_grep "another region's RRK: nobody" "(0 Personen)" "$T/w3.txt"
"$BIN" worklist --user abh.sb --db "$DB" --catalog "$CAT" --today 2026-03-01 --csv "$T/w4.csv"
tail -n +2 "$T/w4.csv" | cut -d, -f2 | sort -n > "$T/w4-ids.txt"
q "SELECT id FROM person WHERE authority_id = $(org ABH-48143) ORDER BY id" > "$T/w4-want.txt"
if cmp -s "$T/w4-ids.txt" "$T/w4-want.txt"; then ok; else bad "case worker's worklist is not exactly its authority"; fi
"$BIN" worklist --user polizei --db "$DB" --catalog "$CAT" 2> "$T/err.txt"
expect_eq "polizei has no worklist" 1 $?

# decide: who, and the second person
REASON="Fallkonferenz hat die Aufnahme empfohlen"
D0=$(q "SELECT count(*) FROM decision")
"$BIN" decide "$MS_ID" --decline --reason "$REASON" --db "$DB" 2> "$T/err.txt"
expect_eq "decide without --user" 1 $?
expect_grep "decide without --user: German" 'user KENNUNG fehlt' "$T/err.txt"
"$BIN" decide "$MS_ID" --decline --reason "$REASON" --user niemand --db "$DB" 2> "$T/err.txt"
expect_eq "decide as an unknown account" 1 $?
expect_grep "unknown account named" "Benutzerkonto 'niemand' gibt es nicht" "$T/err.txt"
"$BIN" decide "$MS_ID" --decline --reason "$REASON" --user dsb --db "$DB" 2> "$T/err.txt"
expect_eq "data protection officer may not decide" 1 $?
expect_grep "dsb refusal" 'Keine Berechtigung' "$T/err.txt"
"$BIN" decide "$K_ID" --decline --reason "$REASON" --user abh.sb --db "$DB" 2> /dev/null
expect_eq "decide on another authority's person" 1 $?
"$BIN" decide "$MS_ID" --decline --reason "$REASON" --user abh.sb --second-user abh.sb --db "$DB" 2> "$T/err.txt"
expect_eq "same account twice refused" 1 $?
expect_grep "same account: German" 'anderes Benutzerkonto' "$T/err.txt"
"$BIN" decide "$MS_ID" --decline --reason "$REASON" --user abh.sb --second-user dsb --db "$DB" 2> "$T/err.txt"
expect_eq "dsb as second person refused" 1 $?
expect_grep "dsb second: German" 'keine Rolle, die über die Aufnahme entscheiden darf' "$T/err.txt"
"$BIN" decide "$MS_ID" --decline --reason "$REASON" --user abh.sb --second-user erfunden --db "$DB" 2> "$T/err.txt"
expect_eq "fictitious second person refused" 1 $?
"$BIN" user disable l.koch --db "$DB" > /dev/null 2>&1
"$BIN" decide "$MS_ID" --decline --reason "$REASON" --user abh.sb --second-user l.koch --db "$DB" 2> "$T/err.txt"
expect_eq "disabled second person refused" 1 $?
expect_grep "disabled second: German" 'deaktiviert' "$T/err.txt"
"$BIN" decide "$MS_ID" --decline --reason "$REASON" --user l.koch --db "$DB" 2> "$T/err.txt"
expect_eq "disabled account may not act" 1 $?
expect_eq "nothing stored by refusals" "$D0" "$(q "SELECT count(*) FROM decision")"
"$BIN" decide "$MS_ID" --decline --reason "$REASON" --user abh.sb --second-user j.hoffmann --db "$DB" > /dev/null
expect_eq "case worker decides with a coordinator" 0 $?
expect_eq "decision names both accounts" "abh.sb|j.hoffmann" "$(q "SELECT login || '|' || second_login FROM decision ORDER BY id DESC LIMIT 1")"
"$BIN" decide "$MS_ID" --decline --reason "$REASON" --user j.hoffmann --db "$DB" > /dev/null
expect_eq "coordinator of the region decides" 0 $?
"$BIN" decide "$MS_ID" --decline --reason "$REASON" --user zab.sb --db "$DB" 2> /dev/null
expect_eq "zab does not decide intake" 1 $?
# the audit trail names the account and its organisation
expect_eq "audit row carries the account" "$(org ABH-48143)" \
    "$(q "SELECT org_id FROM audit_log WHERE login = 'abh.sb' ORDER BY seq DESC LIMIT 1")"
finish
