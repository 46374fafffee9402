#!/bin/sh
# The OpenAPI document against a running server: /api/v1/openapi.json is the
# repository's docs/openapi.json, and what the server really answers (health,
# persons, a person, catalogue, assessment, worklist, a decision, errors)
# fits the schema the document names for that route and status: required
# keys present, no undocumented keys, JSON types as declared. A 405 carries
# Allow. (The route table itself is compared in tests/unit/http/test_openapi.c.)
. "$(dirname "$0")/lib.sh"
ROOT=${FALLNETZ_SOURCE_ROOT:?FALLNETZ_SOURCE_ROOT not set}
DB=$(new_db d)

"$BIN" demo --db "$DB" --persons 40 --seed 3 2> /dev/null
expect_eq "demo exit" 0 $?
"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --port-file "$T/port" > "$T/serve.log" 2>&1 &
SERVER_PID=$!
wait_port "$T/port"
U="http://127.0.0.1:$(cat "$T/port")"
CSRF=$(login "$U" k.wagner "$(demo_password "$DB" k.wagner)" "$T/jar")
cp "$T/login.out" "$T/login.json"

# fetch NAME METHOD TEMPLATE URL [BODY]: keeps status, headers and body for the check
n=0
fetch() {
    n=$((n + 1))
    if [ -n "${5:-}" ]; then
        s=$(curl -s -D "$T/$n.h" -o "$T/$n.json" -w '%{http_code}' -X "$2" -b "$T/jar" \
            -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' --data "$5" "$U$4")
    else
        s=$(curl -s -D "$T/$n.h" -o "$T/$n.json" -w '%{http_code}' -X "$2" -b "$T/jar" \
            -H 'X-Fallnetz-Zweck: Aktenbearbeitung' "$U$4")
    fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$s" "$n" >> "$T/answers.tsv"
}
: > "$T/answers.tsv"
printf 'login\tPOST\t/api/v1/session\t201\tlogin\n' >> "$T/answers.tsv"
fetch session GET /api/v1/session /api/v1/session
fetch health GET /api/v1/health /api/v1/health
fetch openapi GET /api/v1/openapi.json /api/v1/openapi.json
cp "$T/$n.json" "$T/served.json"
fetch list GET /api/v1/persons '/api/v1/persons?limit=40'
AUTH=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["persons"][0]["authority_id"])' "$T/$n.json")
fetch person GET '/api/v1/persons/{id}' /api/v1/persons/5
fetch catalog GET /api/v1/catalog /api/v1/catalog
fetch assessment GET '/api/v1/assessments/{id}' /api/v1/assessments/5
fetch worklist GET /api/v1/worklist "/api/v1/worklist?authority=$AUTH"
fetch decision POST /api/v1/decisions /api/v1/decisions \
    '{"person_id":21,"entscheidung":"ablehnen","begruendung":"Fallkonferenz: keine Aufnahme","kennung":"k.wagner"}'
fetch bad_id GET '/api/v1/persons/{id}' /api/v1/persons/abc
fetch unknown_person GET '/api/v1/persons/{id}' /api/v1/persons/999999
fetch bad_query GET /api/v1/worklist /api/v1/worklist
fetch wrong_method DELETE '/api/v1/persons/{id}' /api/v1/persons/5
expect_grep "405 Allow header" 'Allow: GET, HEAD' "$T/$n.h"
fetch wrong_method_post GET /api/v1/decisions /api/v1/decisions
expect_grep "405 Allow header POST" 'Allow: POST' "$T/$n.h"
fetch decision_refused POST /api/v1/decisions /api/v1/decisions '{"person_id":3}'
n=$((n + 1))
s=$(curl -s -o "$T/$n.json" -w '%{http_code}' -b "$T/jar" -H 'X-Fallnetz-Zweck: Neugier' "$U/api/v1/persons/5")
printf 'bad_purpose\tGET\t/api/v1/persons/{id}\t%s\t%s\n' "$s" "$n" >> "$T/answers.tsv"
n=$((n + 1))
s=$(curl -s -o "$T/$n.json" -w '%{http_code}' "$U/api/v1/persons/5")
printf 'unauthenticated\tGET\t/api/v1/persons/{id}\t%s\t%s\n' "$s" "$n" >> "$T/answers.tsv"
n=$((n + 1))
s=$(curl -s -o "$T/$n.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data '{"kennung":"k.wagner","passwort":"falsches Passwort"}' "$U/api/v1/session")
printf 'login_failed\tPOST\t/api/v1/session\t%s\t%s\n' "$s" "$n" >> "$T/answers.tsv"
n=$((n + 1))
s=$(curl -s -o "$T/$n.json" -w '%{http_code}' -b "$T/jar" -X POST -H 'Content-Type: application/json' \
    --data '{}' "$U/api/v1/decisions")
printf 'csrf\tPOST\t/api/v1/decisions\t%s\t%s\n' "$s" "$n" >> "$T/answers.tsv"
n=$((n + 1))
s=$(curl -s -o /dev/null -D "$T/$n.h" -w '%{http_code}' -b "$T/jar" -X DELETE \
    -H "X-CSRF-Token: $CSRF" "$U/api/v1/session")
expect_eq "logout" 204 "$s"
expect_grep "logout clears the cookie" 'Set-Cookie: fallnetz_sitzung=;.*Max-Age=0' "$T/$n.h"

python3 - "$ROOT/docs/openapi.json" "$T/served.json" "$T/answers.tsv" "$T" > "$T/check.txt" 2>&1 <<'PY'
import json, sys

spec_path, served_path, answers_path, folder = sys.argv[1:]
spec = json.load(open(spec_path, encoding="utf-8"))
problems = []
if json.load(open(served_path)) != spec:
    problems.append("/api/v1/openapi.json differs from docs/openapi.json")

def resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node

TYPES = {"string": str, "integer": int, "boolean": bool, "array": list, "object": dict,
         "null": type(None), "number": (int, float)}

def type_ok(value, name):
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, TYPES[name])

def check(value, schema, where):
    schema = resolve(schema)
    if "allOf" in schema:
        props = {}
        for part in schema["allOf"]:
            part = resolve(part)
            props.update(part.get("properties", {}))
            check_object(value, part, where, allowed=None)
        extra = set(value) - set(props)
        if extra:
            problems.append("%s: keys not in the schema: %s" % (where, sorted(extra)))
        for key, sub in props.items():
            if key in value:
                check(value[key], sub, where + "." + key)
        return
    if "oneOf" in schema:
        errors_before = len(problems)
        for option in schema["oneOf"]:
            del problems[errors_before:]
            check(value, option, where)
            if len(problems) == errors_before:
                return
        return
    types = schema.get("type")
    if types is not None:
        types = types if isinstance(types, list) else [types]
        if not any(type_ok(value, t) for t in types):
            problems.append("%s: %r is not %s" % (where, value, "/".join(types)))
            return
    if isinstance(value, dict):
        check_object(value, schema, where, allowed=schema.get("properties"))
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                check(value[key], sub, where + "." + key)
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            check(item, schema["items"], "%s[%d]" % (where, i))

def check_object(value, schema, where, allowed):
    missing = [k for k in schema.get("required", []) if k not in value]
    if missing:
        problems.append("%s: required keys missing: %s" % (where, missing))
    if allowed is not None:
        extra = set(value) - set(allowed)
        if extra:
            problems.append("%s: keys not in the schema: %s" % (where, sorted(extra)))

for line in open(answers_path):
    name, method, template, status, n = line.rstrip("\n").split("\t")
    op = spec["paths"].get(template, {}).get(method.lower())
    if op is None:
        # a method the path does not have: the 405 of any operation of the path
        ops = spec["paths"].get(template, {})
        op = next(iter(ops.values()), {})
    answer = op.get("responses", {}).get(status)
    if answer is None:
        problems.append("%s: %s %s answered %s, not documented" % (name, method, template, status))
        continue
    answer = resolve(answer)
    schema = answer["content"]["application/json"]["schema"]
    body = json.load(open("%s/%s.json" % (folder, n), encoding="utf-8"))
    check(body, schema, "%s (%s %s %s)" % (name, method, template, status))
    print("checked", name, status)

for p in problems:
    print("PROBLEM:", p)
sys.exit(1 if problems else 0)
PY
rc=$?
expect_eq "answers fit docs/openapi.json" 0 $rc
[ $rc -eq 0 ] || cat "$T/check.txt"
expect_grep "all answers checked" 'checked decision_refused 400' "$T/check.txt"
for want in 'login 201' 'session 200' 'bad_purpose 400' 'unauthenticated 401' 'login_failed 401' 'csrf 403'; do
    expect_grep "checked $want" "checked $want" "$T/check.txt"
done
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"
SERVER_PID=
finish
