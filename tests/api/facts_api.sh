#!/bin/sh
# Facts that officials record (issue 13), end to end through the API: a new
# person (imported, band C, blocked by G1) gets an enforceable obligation to
# leave and a final conviction of three years recorded through
# POST /api/v1/persons/{id}/facts; G1 disappears, the band moves to A and the
# person moves up the worklist; withdrawing the residence status brings G1
# back. Corrections supersede (the old row stays), two corrections of one
# fact at the same instant: one 200, one 409 stale. Every field is checked
# (400 naming it), If-Match is required (428), roles and need-to-know as in
# docs/access.md (koordination reads, only sachbearbeitung of the authority
# writes, another authority gets 404), CSRF. The audit trail names each step,
# and the server's background job stores a new assessment after each change.
# Identity documents (ausweisdokument) are recorded facts too, also by zab
# for the persons of its region; PUT of the master data leaves them alone.
. "$(dirname "$0")/lib.sh"
DB=$(new_db facts)
"$BIN" demo --db "$DB" --persons 30 --seed 5 > /dev/null 2>&1
expect_eq "demo exit" 0 $?
J='Content-Type: application/json'
Z='X-Fallnetz-Zweck: Aktenbearbeitung'
ORG=$(db_query "$DB" "SELECT o.code FROM organisation o JOIN app_user u ON u.org_id = o.id WHERE u.login = 'abh.sb'")
ORG_ID=$(db_query "$DB" "SELECT org_id FROM app_user WHERE login = 'abh.sb'")
printf 'record_id,family_name,given_names,sex,birth_date,nationality,residence_status,authority\nNEU-1,Neumann,Karim,m,1990-05-01,SYR,,%s\n' "$ORG" > "$T/neu.csv"
"$BIN" import persons "$T/neu.csv" --db "$DB" > "$T/import.out" 2>&1
expect_eq "import of the new person" 0 $?
PID=$(db_query "$DB" "SELECT id FROM person WHERE record_id = 'NEU-1'")

code() { curl -s -o "${OUT:-$T/out.json}" -D "${OUT:-$T/out.json}.head" -w '%{http_code}' "$@"; }
field() {
    python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v=v[int(k)] if isinstance(v,list) else v[k]
print(v)' "$1" "$2"
}
etag() { sed -n 's/^[Ee][Tt][Aa][Gg]: *\([^[:space:]]*\).*/\1/p' "${OUT:-$T/out.json}.head"; }
rm -f "$T/port"
"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/port" --reassess-interval 1 \
    > "$T/serve.out" 2> "$T/serve.err" &
SERVER_PID=$!
wait_port "$T/port"
U="http://127.0.0.1:$(cat "$T/port")"
C=$(login "$U" abh.sb "$(demo_password "$DB" abh.sb)" "$T/jar")
expect_eq "login" 1 "$([ -n "$C" ] && echo 1)"
W="-b $T/jar -H X-CSRF-Token:$C"
# post BODY: records a fact of the new person
post() { code -X POST $W -H "$J" -H "$Z" --data-binary "$1" "$U/api/v1/persons/$PID/facts"; }
# assessment: band and gates of the new person into $T/as.json
assessment() { OUT="$T/as.json" code -b "$T/jar" -H "$Z" "$U/api/v1/assessments/$PID" > /dev/null; }
gates() { python3 -c 'import json,sys; print(",".join(json.load(open(sys.argv[1]))["gates"]))' "$T/as.json"; }
# position: the person's place in the authority's worklist (0: absent)
position() {
    OUT="$T/wl.json" code -b "$T/jar" -H "$Z" "$U/api/v1/worklist?authority=$ORG_ID" > /dev/null
    python3 -c 'import json,sys
e=[x["position"] for x in json.load(open(sys.argv[1]))["entries"] if x["person_id"]==int(sys.argv[2])]
print(e[0] if e else 0)' "$T/wl.json" "$PID"
}
audit_count() { db_query "$DB" "SELECT count(*) FROM audit_log WHERE entity = 'person' AND record_ids = '$PID' AND $1"; }
assessments() { db_query "$DB" "SELECT count(*) FROM assessment WHERE person_id = $PID"; }
# wait_assessments N: the background job stored at least N (at most 10 s)
wait_assessments() {
    i=0
    while [ "$(assessments)" -lt "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    [ "$(assessments)" -ge "$1" ]
}

# (1) the new person: band C, blocked by G1, no facts
assessment
expect_eq "new person: band C" C "$(field "$T/as.json" priority_band)"
expect_grep "new person: G1" '"G1"' "$T/as.json"
POS0=$(position)
expect_eq "history empty" 200 "$(code -b "$T/jar" -H "$Z" "$U/api/v1/persons/$PID/facts")"
expect_eq "no facts yet" '[]' "$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["facts"]))' "$T/out.json")"
wait_assessments 1
expect_eq "background job assessed the new person" 0 $?
N0=$(assessments)

# (2) every field checked, the field named, nothing written
bad_field() { # NAME BODY FIELD
    expect_eq "$1: 400" 400 "$(post "$2")"
    expect_eq "$1: names the field" "$3" "$(field "$T/out.json" field)"
    expect_eq "$1: German message naming it" 1 "$(field "$T/out.json" message | grep -c "^Feld „$3“")"
}
CONV='"kind":"verurteilung","court":"AG Münster","file_number":"12 Ls 34/25","offences":"§ 224 Abs. 1 Nr. 2 StGB","sentence":"freiheitsstrafe","intentional":true,"source_kind":"dokument","source_ref":"Urteil vom 2025-02-01"'
bad_field "bad date" "{$CONV,\"sentence_months\":36,\"final_date\":\"2025-02-30\"}" final_date
bad_field "future date" "{$CONV,\"sentence_months\":36,\"final_date\":\"2099-01-01\"}" final_date
bad_field "no norm" "{\"kind\":\"verurteilung\",\"court\":\"AG\",\"file_number\":\"1\",\"offences\":\"Diebstahl\",\"sentence\":\"geldstrafe\",\"intentional\":true,\"source_kind\":\"register\",\"source_ref\":\"BZR\"}" offences
bad_field "months missing" "{$CONV}" sentence_months
bad_field "months on a fine" "{\"kind\":\"verurteilung\",\"court\":\"AG\",\"file_number\":\"1\",\"offences\":\"§ 242 StGB\",\"sentence\":\"geldstrafe\",\"sentence_months\":3,\"intentional\":true,\"source_kind\":\"register\",\"source_ref\":\"BZR\"}" sentence_months
bad_field "suspension over two years" "{$CONV,\"sentence_months\":36,\"suspended\":true}" suspended
bad_field "unknown field" "{$CONV,\"sentence_months\":36,\"strafe\":1}" strafe
bad_field "unknown enum" "{\"kind\":\"haft\",\"custody\":\"hausarrest\",\"start\":\"2025-01-01\",\"source_kind\":\"mitteilung\",\"source_ref\":\"JVA\"}" custody
bad_field "no source" "{\"kind\":\"haft\",\"custody\":\"strafhaft\",\"start\":\"2025-01-01\"}" source_kind
bad_field "bad source kind" "{\"kind\":\"haft\",\"custody\":\"strafhaft\",\"start\":\"2025-01-01\",\"source_kind\":\"hoerensagen\",\"source_ref\":\"x\"}" source_kind
bad_field "unknown kind" '{"kind":"strafe"}' kind
bad_field "consent without date" '{"kind":"strafverfahren","proceeding":"ermittlung","prosecutor":"StA Münster","file_number":"40 Js 1/26","consent":"erteilt","consent_requested":"2026-01-05","source_kind":"mitteilung","source_ref":"MiStra"}' consent_decided
bad_field "control character" "{\"kind\":\"hindernis\",\"obstacle\":\"verbot_60_5\",\"since\":\"2025-01-01\",\"note\":\"a\\u0001b\",\"source_kind\":\"dokument\",\"source_ref\":\"BAMF\"}" note
LONG=$(python3 -c 'print("x"*201)')
bad_field "too long" "{\"kind\":\"haft\",\"custody\":\"strafhaft\",\"start\":\"2025-01-01\",\"source_kind\":\"dokument\",\"source_ref\":\"$LONG\"}" source_ref
expect_eq "nothing written by refusals" 0 "$(db_query "$DB" "SELECT count(*) FROM proceeding WHERE person_id = $PID")"

# (3) access: koordination reads but may not record, zab neither, another
# authority's sachbearbeitung does not find the person; no CSRF token: 403
CK=$(login "$U" j.hoffmann "$(demo_password "$DB" j.hoffmann)" "$T/jark")
CZ=$(login "$U" zab.sb "$(demo_password "$DB" zab.sb)" "$T/jarz")
C2=$(login "$U" abh.sb2 "$(demo_password "$DB" abh.sb2)" "$T/jar2")
RES='{"kind":"aufenthaltsstatus","status":"ausreisepflichtig","since":"2025-11-01","enforceable_since":"2025-12-01","departure_deadline":"2026-01-15","legal_basis":"§ 50 Abs. 1 AufenthG","source_kind":"register","source_ref":"AZR-Auszug 2025-12-02"}'
expect_eq "koordination reads" 200 "$(code -b "$T/jark" -H "$Z" "$U/api/v1/persons/$PID/facts")"
expect_eq "koordination may not record" 403 "$(code -X POST -b "$T/jark" -H "X-CSRF-Token: $CK" -H "$J" -H "$Z" --data-binary "$RES" "$U/api/v1/persons/$PID/facts")"
expect_eq "zab may not record a residence status" 403 "$(code -X POST -b "$T/jarz" -H "X-CSRF-Token: $CZ" -H "$J" -H "$Z" --data-binary "$RES" "$U/api/v1/persons/$PID/facts")"
expect_eq "other authority: 404" 404 "$(code -X POST -b "$T/jar2" -H "X-CSRF-Token: $C2" -H "$J" -H "$Z" --data-binary "$RES" "$U/api/v1/persons/$PID/facts")"
expect_eq "other authority reads nothing" 404 "$(code -b "$T/jar2" -H "$Z" "$U/api/v1/persons/$PID/facts")"
expect_eq "no CSRF token: 403" 403 "$(code -X POST -b "$T/jar" -H "$J" -H "$Z" --data-binary "$RES" "$U/api/v1/persons/$PID/facts")"
expect_eq "no purpose: 400" 400 "$(code -X POST $W -H "$J" --data-binary "$RES" "$U/api/v1/persons/$PID/facts")"
expect_eq "nothing written by refused callers" 0 "$(db_query "$DB" "SELECT count(*) FROM residence_status WHERE person_id = $PID")"

# (4) the residence status: enforceable -> G1 disappears
expect_eq "record residence" 201 "$(post "$RES")"
RES_ID=$(field "$T/out.json" fact.fact)
expect_eq "ETag names the fact" "\"$RES_ID\"" "$(etag)"
expect_eq "recorded by the caller" abh.sb "$(field "$T/out.json" fact.recorded_by)"
expect_eq "source kept" register "$(field "$T/out.json" fact.source_kind)"
expect_eq "legal basis as norm" "AufenthG § 50 Abs. 1" "$(field "$T/out.json" fact.fields.legal_basis)"
assessment
case ",$(gates)," in *,G1,*) bad "G1 still there after the enforceable obligation: $(gates)" ;; *) ok ;; esac
wait_assessments $((N0 + 1))
expect_eq "background job re-assessed after the residence status" 0 $?

# (5) a final conviction of three years -> band A, up the worklist
expect_eq "record conviction" 201 "$(post "{$CONV,\"sentence_months\":36,\"final_date\":\"2025-03-01\",\"decision_date\":\"2025-02-01\"}")"
CONV_ID=$(field "$T/out.json" fact.fact)
CONV_TAG=$(etag)
expect_eq "offences stored as the assessment reads them" "StGB § 224 Abs. 1 Nr. 2" "$(field "$T/out.json" fact.fields.offences)"
assessment
expect_eq "band A after the conviction" A "$(field "$T/as.json" priority_band)"
POS1=$(position)
if [ "$POS1" -gt 0 ] && { [ "$POS0" -eq 0 ] || [ "$POS1" -lt "$POS0" ]; }; then ok; else bad "worklist position $POS0 -> $POS1, want higher up"; fi

# (6) correction: If-Match required; a new row supersedes, the old stays
FIX="{$CONV,\"sentence_months\":30,\"final_date\":\"2025-03-01\",\"reason\":\"Strafmaß falsch übertragen\"}"
expect_eq "PUT without If-Match: 428" 428 "$(code -X PUT $W -H "$J" -H "$Z" --data-binary "$FIX" "$U/api/v1/persons/$PID/facts/$CONV_ID")"
expect_eq "PUT with another fact's tag: 400" 400 "$(code -X PUT $W -H "$J" -H "$Z" -H "If-Match: \"$RES_ID\"" --data-binary "$FIX" "$U/api/v1/persons/$PID/facts/$CONV_ID")"
expect_eq "PUT without reason: 400" 400 "$(code -X PUT $W -H "$J" -H "$Z" -H "If-Match: $CONV_TAG" --data-binary "{$CONV,\"sentence_months\":30}" "$U/api/v1/persons/$PID/facts/$CONV_ID")"
expect_eq "reason named" reason "$(field "$T/out.json" field)"
expect_eq "PUT on another kind's fact: 400" 400 "$(code -X PUT $W -H "$J" -H "$Z" -H "If-Match: \"$RES_ID\"" --data-binary "$FIX" "$U/api/v1/persons/$PID/facts/$RES_ID")"
expect_eq "correct the conviction" 200 "$(code -X PUT $W -H "$J" -H "$Z" -H "If-Match: $CONV_TAG" --data-binary "$FIX" "$U/api/v1/persons/$PID/facts/$CONV_ID")"
NEW_ID=$(field "$T/out.json" fact.fact)
expect_eq "new months" 30 "$(field "$T/out.json" fact.fields.sentence_months)"
expect_eq "the old row stays, superseded" "1" "$(db_query "$DB" "SELECT count(*) FROM proceeding WHERE id = ${CONV_ID#strafverfahren-} AND superseded_by = ${NEW_ID#strafverfahren-} AND retire_reason = 'Strafmaß falsch übertragen' AND retired_by = 'abh.sb'")"
expect_eq "the old one again: 409" 409 "$(code -X PUT $W -H "$J" -H "$Z" -H "If-Match: $CONV_TAG" --data-binary "$FIX" "$U/api/v1/persons/$PID/facts/$CONV_ID")"
expect_eq "409 names what holds now" "$NEW_ID" "$(field "$T/out.json" current.fact)"
expect_eq "a fact of another person: 404" 404 "$(code -X PUT $W -H "$J" -H "$Z" -H "If-Match: \"strafverfahren-1\"" --data-binary "$FIX" "$U/api/v1/persons/$PID/facts/strafverfahren-1")"
expect_eq "malformed fact: 400" 400 "$(code -X PUT $W -H "$J" -H "$Z" -H "If-Match: \"x\"" --data-binary "$FIX" "$U/api/v1/persons/$PID/facts/strafe-1")"

# (7) two corrections of one fact at the same instant: one wins
FIX2="{$CONV,\"sentence_months\":31,\"final_date\":\"2025-03-01\",\"reason\":\"zweite Berichtigung\"}"
(OUT="$T/r1.json" code -X PUT $W -H "$J" -H "$Z" -H "If-Match: \"$NEW_ID\"" --data-binary "$FIX2" "$U/api/v1/persons/$PID/facts/$NEW_ID" > "$T/r1.code") &
p1=$!
(OUT="$T/r2.json" code -X PUT $W -H "$J" -H "$Z" -H "If-Match: \"$NEW_ID\"" --data-binary "$FIX2" "$U/api/v1/persons/$PID/facts/$NEW_ID" > "$T/r2.code") &
p2=$!
wait $p1 $p2
case "$(cat "$T/r1.code") $(cat "$T/r2.code")" in
"200 409" | "409 200") ok ;;
*) bad "concurrent corrections: $(cat "$T/r1.code") $(cat "$T/r2.code"), want one 200 and one 409" ;;
esac
expect_eq "one current conviction" 1 "$(db_query "$DB" "SELECT count(*) FROM proceeding WHERE person_id = $PID AND retired_at IS NULL")"
expect_eq "three rows kept" 3 "$(db_query "$DB" "SELECT count(*) FROM proceeding WHERE person_id = $PID")"

# (8) withdraw the residence status: G1 is back
expect_eq "withdraw without reason: 400" 400 "$(code -X DELETE $W -H "$J" -H "$Z" -H "If-Match: \"$RES_ID\"" --data-binary '{}' "$U/api/v1/persons/$PID/facts/$RES_ID")"
expect_eq "withdraw" 200 "$(code -X DELETE $W -H "$J" -H "$Z" -H "If-Match: \"$RES_ID\"" --data-binary '{"reason":"Bescheid aufgehoben"}' "$U/api/v1/persons/$PID/facts/$RES_ID")"
expect_eq "status withdrawn" zurueckgezogen "$(field "$T/out.json" fact.status)"
expect_eq "withdraw again: 409" 409 "$(code -X DELETE $W -H "$J" -H "$Z" -H "If-Match: \"$RES_ID\"" --data-binary '{"reason":"nochmal"}' "$U/api/v1/persons/$PID/facts/$RES_ID")"
expect_eq "nothing current then" None "$(field "$T/out.json" current)"
assessment
case ",$(gates)," in *,G1,*) ok ;; *) bad "G1 not back after the withdrawal: $(gates)" ;; esac
expect_eq "the row stays" 1 "$(db_query "$DB" "SELECT count(*) FROM residence_status WHERE person_id = $PID AND retire_reason = 'Bescheid aufgehoben'")"

# (9) the history shows everything; the file only what holds
expect_eq "history" 200 "$(code -b "$T/jar" -H "$Z" "$U/api/v1/persons/$PID/facts")"
python3 -c 'import json,sys
f=json.load(open(sys.argv[1]))["facts"]
print(" ".join(sorted(x["status"] for x in f)))' "$T/out.json" > "$T/st.txt"
expect_eq "history statuses" "aktuell berichtigt berichtigt zurueckgezogen" "$(cat "$T/st.txt")"
expect_eq "file" 200 "$(code -b "$T/jar" -H "$Z" "$U/api/v1/persons/$PID")"
expect_eq "file: one proceeding" 1 "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["proceedings"]))' "$T/out.json")"
expect_eq "file: no residence entry" 0 "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["residence_history"]))' "$T/out.json")"

# (10) the audit trail names each step; the background job re-assessed
expect_eq "audit: two records" 2 "$(audit_count "kind = 'collect' AND details LIKE '%\"fakt\":%'")"
expect_eq "audit: two corrections" 2 "$(audit_count "kind = 'change' AND details LIKE '%\"ersetzt\":%'")"
expect_eq "audit: one withdrawal" 1 "$(audit_count "kind = 'change' AND details LIKE '%zurueckgezogen%'")"
expect_eq "audit: source in the record row" 1 "$(audit_count "kind = 'collect' AND details LIKE '%\"beleg\":\"AZR-Auszug 2025-12-02\"%'")"
wait_assessments $((N0 + 3))
expect_eq "background job stored new assessments" 0 $?
expect_eq "assessments audited as combine" 1 "$([ "$(audit_count "kind = 'combine'")" -ge 3 ] && echo 1)"
# (11) identity documents: zab of the person's region records a passport,
# the authority's sachbearbeitung corrects it (history kept, stale: 409)
DOC='{"kind":"ausweisdokument","document":"reisepass","number":"N0998877","issuing_state":"SYR","valid_until":"2030-06-30","verified":true,"source_kind":"dokument","source_ref":"Vorlage im Original 2026-11-02"}'
# zpost BODY: records a fact of the new person as zab
zpost() { code -X POST -b "$T/jarz" -H "X-CSRF-Token: $CZ" -H "$J" -H "$Z" --data-binary "$1" "$U/api/v1/persons/$PID/facts"; }
expect_eq "zab: bad issuing state" 400 "$(zpost "$(echo "$DOC" | sed 's/"SYR"/"syr"/')")"
expect_eq "zab: bad issuing state named" issuing_state "$(field "$T/out.json" field)"
expect_eq "zab: number required" number "$( zpost "$(echo "$DOC" | sed 's/"number":"N0998877",//')" > /dev/null; field "$T/out.json" field)"
expect_eq "koordination may not record a document" 403 "$(code -X POST -b "$T/jark" -H "X-CSRF-Token: $CK" -H "$J" -H "$Z" --data-binary "$DOC" "$U/api/v1/persons/$PID/facts")"
expect_eq "other authority: document 404" 404 "$(code -X POST -b "$T/jar2" -H "X-CSRF-Token: $C2" -H "$J" -H "$Z" --data-binary "$DOC" "$U/api/v1/persons/$PID/facts")"
expect_eq "zab records the passport" 201 "$(zpost "$DOC")"
DOC_ID=$(field "$T/out.json" fact.fact)
DOC_TAG=$(etag)
expect_eq "document ref" ausweisdokument- "$(echo "$DOC_ID" | sed 's/[0-9]*$//')"
expect_eq "document recorded by zab" zab.sb "$(field "$T/out.json" fact.recorded_by)"
expect_eq "document kind as field" reisepass "$(field "$T/out.json" fact.fields.document)"
expect_eq "zab reads the file" 200 "$(code -b "$T/jarz" -H "$Z" "$U/api/v1/persons/$PID")"
expect_eq "file: the passport" N0998877 "$(python3 -c 'import json,sys; print(",".join(d["number"] for d in json.load(open(sys.argv[1]))["documents"]))' "$T/out.json")"
DFIX=$(echo "$DOC" | sed 's/"2030-06-30"/"2031-06-30"/; s/}$/,"reason":"Gültigkeit falsch abgelesen"}/')
expect_eq "correct the passport" 200 "$(code -X PUT $W -H "$J" -H "$Z" -H "If-Match: $DOC_TAG" --data-binary "$DFIX" "$U/api/v1/persons/$PID/facts/$DOC_ID")"
DOC_NEW=$(field "$T/out.json" fact.fact)
expect_eq "corrected validity" 2031-06-30 "$(field "$T/out.json" fact.fields.valid_until)"
expect_eq "the old document row stays, superseded" 1 "$(db_query "$DB" "SELECT count(*) FROM travel_document WHERE id = ${DOC_ID#ausweisdokument-} AND superseded_by = ${DOC_NEW#ausweisdokument-} AND retired_by = 'abh.sb' AND recorded_by = 'zab.sb'")"
expect_eq "zab corrects the old one: 409" 409 "$(code -X PUT -b "$T/jarz" -H "X-CSRF-Token: $CZ" -H "$J" -H "$Z" -H "If-Match: $DOC_TAG" --data-binary "$DFIX" "$U/api/v1/persons/$PID/facts/$DOC_ID")"
expect_eq "409 names the current document" "$DOC_NEW" "$(field "$T/out.json" current.fact)"
expect_eq "file: one current passport" "N0998877" "$(code -b "$T/jar" -H "$Z" "$U/api/v1/persons/$PID" > /dev/null; python3 -c 'import json,sys; print(",".join(d["number"] for d in json.load(open(sys.argv[1]))["documents"]))' "$T/out.json")"
# the master data without documents: the documents stay
PV=$(etag)
python3 -c 'import json,sys
p=json.load(open(sys.argv[1]))
print(json.dumps({"family_name":p["family_name"],"given_names":p.get("given_names"),"documents":[]}))' "$T/out.json" > "$T/md.json"
expect_eq "PUT master data without documents" 200 "$(code -X PUT $W -H "$J" -H "$Z" -H "If-Match: $PV" --data-binary "@$T/md.json" "$U/api/v1/persons/$PID")"
expect_eq "documents kept by the master-data PUT" N0998877 "$(python3 -c 'import json,sys; print(",".join(d["number"] for d in json.load(open(sys.argv[1]))["documents"]))' "$T/out.json")"
expect_eq "document rows kept" 2 "$(db_query "$DB" "SELECT count(*) FROM travel_document WHERE person_id = $PID")"
expect_eq "zab withdraws the passport" 200 "$(code -X DELETE -b "$T/jarz" -H "X-CSRF-Token: $CZ" -H "$J" -H "$Z" -H "If-Match: \"$DOC_NEW\"" --data-binary '{"reason":"Dokument eingezogen"}' "$U/api/v1/persons/$PID/facts/$DOC_NEW")"
expect_eq "audit: zab's record names the document" 1 "$(audit_count "kind = 'collect' AND login = 'zab.sb' AND details LIKE '%\"fakt\":\"ausweisdokument\"%'")"
"$BIN" audit verify --db "$DB" > "$T/verify.out" 2>&1
expect_eq "audit chain intact" 0 $?
finish
