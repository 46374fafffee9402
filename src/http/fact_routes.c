/* fact_routes.c – the JSON API of recorded facts (see fact_routes.h). */
#include "http/fact_routes.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/routes.h"
#include "ingest/fact_input.h"
#include "store/backend.h"

#define FACT_BODY_MAX 65536u
#define NOT_FOUND_FACT                                                                             \
    "Keine Person mit dieser Nummer oder kein solcher Fakt bei ihr (oder außerhalb Ihrer "        \
    "Zuständigkeit)."

int http_fact_parse(const char *s, size_t len, enum store_fact_kind *kind, int64_t *id)
{
    for (int k = STORE_FACT_RESIDENCE; k <= STORE_FACT_TRAVEL_DOC; k++) {
        const char *name = store_fact_name((enum store_fact_kind)k);
        size_t n = strlen(name);
        if (len <= n + 1 || len - n - 1 > 18 || memcmp(s, name, n) != 0 || s[n] != '-')
            continue;
        char digits[20];
        memcpy(digits, s + n + 1, len - n - 1);
        digits[len - n - 1] = '\0';
        int64_t v = http_parse_id(digits);
        if (!v)
            return 0;
        *kind = (enum store_fact_kind)k;
        *id = v;
        return 1;
    }
    return 0;
}

/* "<table>-<id>" of a row id of kind into out. */
static void fact_ref(enum store_fact_kind kind, const char *id, char *out, size_t cap)
{
    snprintf(out, cap, "%s-%s", store_fact_name(kind), id ? id : "0");
}

/* Sets key to the string v (nothing for NULL); 1 on failure. */
static int set_text(json_t *o, const char *key, const char *v)
{
    return v ? json_object_set_new(o, key, json_string(v)) != 0 : 0;
}

/* One stored row as the API shows it (fact_view_of): {fact, kind, label,
 * status, fields {input field: value}, source_kind, source_ref,
 * recorded_by, recorded_at, superseded_by, retired_by, retired_at,
 * reason}. NULL without memory. */
static json_t *fact_json(enum store_fact_kind kind, const struct store_table_row *row)
{
    struct fact_view v;
    fact_view_of(kind, row, &v);
    json_t *o = json_object(), *fields = json_object();
    int bad = !o || !fields;
    for (size_t i = 0; !bad && i < v.n; i++)
        bad = set_text(fields, v.names[i], v.values[i]);
    bad = bad || set_text(o, "fact", v.ref) || set_text(o, "kind", fact_input_kind_code(v.kind)) ||
          set_text(o, "label", fact_input_kind_label(v.kind)) || set_text(o, "status", v.status) ||
          json_object_set(o, "fields", fields) || set_text(o, "source_kind", v.source_kind) ||
          set_text(o, "source_ref", v.source_ref) || set_text(o, "recorded_by", v.recorded_by) ||
          set_text(o, "recorded_at", v.recorded_at) ||
          set_text(o, "superseded_by", v.successor[0] ? v.successor : NULL) ||
          set_text(o, "retired_by", v.retired_by) || set_text(o, "retired_at", v.retired_at) ||
          set_text(o, "reason", v.reason);
    json_decref(fields);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static fn_status collect_fact(void *ctx, enum store_fact_kind kind,
                              const struct store_table_row *row)
{
    json_t *j = fact_json(kind, row);
    return j && json_array_append_new(ctx, j) == 0 ? FN_OK : FN_NOMEM;
}

/* Every fact of the call's person into *out (a new array). */
static fn_status load_history(const struct http_call *call, json_t **out)
{
    *out = json_array();
    if (!*out)
        return FN_NOMEM;
    fn_status rc = store_fact_history(call->st, call->actor, call->id, collect_fact, *out);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* The entry "fact" == ref in facts (borrowed), NULL when none. */
static json_t *find_fact(json_t *facts, const char *ref)
{
    size_t i;
    json_t *f;
    json_array_foreach(facts, i, f)
    {
        const char *r = json_string_value(json_object_get(f, "fact"));
        if (r && strcmp(r, ref) == 0)
            return f;
    }
    return NULL;
}

/* The current row that ref leads to through its corrections (borrowed),
 * NULL when the chain ends in a withdrawal. */
static json_t *current_of(json_t *facts, const char *ref)
{
    json_t *f = find_fact(facts, ref);
    for (size_t hops = 0; f && hops < json_array_size(facts); hops++) {
        const char *next = json_string_value(json_object_get(f, "superseded_by"));
        if (!next)
            break;
        f = find_fact(facts, next);
    }
    return f && strcmp(json_string_value(json_object_get(f, "status")), "aktuell") == 0 ? f : NULL;
}

static fn_status answer_404(struct http_answer *out)
{
    return http_answer_error(out, 404, "not_found", NOT_FOUND_FACT);
}

static fn_status answer_field(struct http_answer *out, const struct fact_input_error *err)
{
    return http_answer_json(out, 400,
                            json_pack("{s:s, s:s, s:s}", "code", "bad_field", "field", err->field,
                                      "message", err->message));
}

static fn_status answer_body(struct http_answer *out, const char *message)
{
    return http_answer_error(out, 400, "bad_body", message);
}

/* After a write: the person's fact ref as status with ETag, read back. */
static fn_status answer_written(const struct http_call *call, struct http_answer *out, int status,
                                enum store_fact_kind kind, int64_t id)
{
    json_t *facts = NULL;
    fn_status rc = load_history(call, &facts);
    if (rc)
        return rc == FN_NOMEM ? rc : http_answer_store_failure(call, out, rc);
    char ref[40], digits[24]; /* "aufenthaltsstatus-" and 18 digits at most */
    snprintf(digits, sizeof digits, "%lld", (long long)id);
    fact_ref(kind, digits, ref, sizeof ref);
    json_t *f = find_fact(facts, ref);
    rc = http_answer_json(out, status, json_pack("{s:O?}", "fact", f));
    if (!rc && f && id)
        snprintf(out->etag, sizeof out->etag, "\"%s\"", ref);
    json_decref(facts);
    return rc;
}

/* The request body as a JSON object (*out, new reference) or a 400. */
static fn_status body_object(const struct http_call *call, struct http_answer *out, json_t **obj)
{
    *obj = NULL;
    const struct http_request *req = call->req;
    if (req->body_len > FACT_BODY_MAX)
        return http_answer_error(out, 413, "too_large", "Die Anfrage ist größer als 64 KiB.");
    json_error_t jerr;
    json_t *j =
        req->body ? json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!json_is_object(j)) {
        json_decref(j);
        return answer_body(out, "Der Inhalt muss ein JSON-Objekt sein.");
    }
    *obj = j;
    return FN_OK;
}

/* The start of POST and PUT: an empty *in and the body as *obj (NULL with
 * out holding the 400 or 413). */
static fn_status fact_request(const struct http_call *call, struct http_answer *out, json_t **obj,
                              struct fact_input *in)
{
    memset(in, 0, sizeof *in);
    return body_object(call, out, obj);
}

/* Fills in from the object's fields (all but kind and reason); *answered
 * when out holds a 400. */
static fn_status body_fact(const struct http_call *call, json_t *obj, struct fact_input *in,
                           struct http_answer *out)
{
    struct fact_input_error err;
    const char *kind = json_string_value(json_object_get(obj, "kind"));
    enum fact_input_kind k;
    if (!kind || fact_input_kind_parse(kind, &k) != FN_OK) {
        snprintf(err.field, sizeof err.field, "kind");
        snprintf(err.message, sizeof err.message,
                 "Feld „kind“ (Art des Fakts): erlaubt sind aufenthaltsstatus, verurteilung, "
                 "strafverfahren, haft, hindernis, feststellung und ausweisdokument.");
        return answer_field(out, &err);
    }
    fact_input_init(in, k, call->id);
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        if (strcmp(key, "kind") == 0 || strcmp(key, "reason") == 0 || json_is_null(v))
            continue;
        char num[32];
        const char *text = json_string_value(v);
        if (json_is_integer(v)) {
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
            text = num;
        } else if (json_is_boolean(v)) {
            text = json_is_true(v) ? "ja" : "nein";
        } else if (!text || strlen(text) != json_string_length(v)) {
            snprintf(err.field, sizeof err.field, "%.60s", key);
            snprintf(err.message, sizeof err.message,
                     "Feld „%.60s“: erwartet Text, eine ganze Zahl oder true/false.", key);
            return answer_field(out, &err);
        }
        fn_status rc = fact_input_set(in, key, text, call->today, &err);
        if (rc == FN_INVALID)
            return answer_field(out, &err);
        if (rc)
            return rc;
    }
    fn_status rc = fact_input_finish(in, &err);
    return rc == FN_INVALID ? answer_field(out, &err) : rc;
}

/* A write's store status as the answer (FN_OK: read back with status). */
static fn_status answer_store(const struct http_call *call, struct http_answer *out, fn_status rc,
                              int status, enum store_fact_kind kind, int64_t id)
{
    if (!rc)
        return answer_written(call, out, status, kind, id);
    if (rc == FN_NOTFOUND || rc == FN_INVALID) /* the fact is another person's */
        return answer_404(out);
    return rc == FN_NOMEM ? rc : http_answer_store_failure(call, out, rc);
}

fn_status http_facts_list(const struct http_call *call, struct http_answer *out)
{
    json_t *facts = NULL;
    fn_status rc = load_history(call, &facts);
    if (rc == FN_NOTFOUND)
        return http_answer_error(out, 404, "not_found", "Keine Person mit dieser Nummer.");
    if (rc)
        return rc == FN_NOMEM ? rc : http_answer_store_failure(call, out, rc);
    return http_answer_json(
        out, 200, json_pack("{s:I, s:o}", "person_id", (json_int_t)call->id, "facts", facts));
}

fn_status http_fact_record(const struct http_call *call, struct http_answer *out)
{
    json_t *obj = NULL;
    struct fact_input in;
    fn_status rc = fact_request(call, out, &obj, &in);
    if (rc || !obj)
        return rc;
    rc = body_fact(call, obj, &in, out);
    int64_t id = 0;
    if (!rc && !out->status) {
        struct store_fact_source src = fact_input_source(&in);
        enum store_fact_kind kind = fact_input_store_kind(&in);
        rc = store_fact_record(call->st, call->actor, kind, fact_input_fact(&in), &src, &id);
        rc = answer_store(call, out, rc, 201, kind, id);
    }
    fact_input_clear(&in);
    json_decref(obj);
    return rc;
}

/* The checks of PUT and DELETE before anything is written: If-Match names
 * the path's fact, the fact is the person's (404) and current (409 with
 * its current successor). out->status is set when the request ends here. */
static fn_status precondition(const struct http_call *call, struct http_answer *out)
{
    char ref[64], digits[24], quoted[72];
    snprintf(digits, sizeof digits, "%lld", (long long)call->fact_id);
    fact_ref(call->fact_kind, digits, ref, sizeof ref);
    snprintf(quoted, sizeof quoted, "\"%s\"", ref);
    const char *im = call->req->if_match;
    if (!im || !im[0])
        return http_answer_error(out, 428, "precondition_required",
                                 "Bitte mit If-Match den Fakt angeben, auf dem die Änderung "
                                 "beruht (sein ETag, etwa \"strafverfahren-12\").");
    if (strcmp(im, quoted) != 0)
        return http_answer_error(out, 400, "bad_if_match",
                                 "If-Match muss genau das ETag des Fakts der Adresse sein.");
    json_t *facts = NULL;
    fn_status rc = load_history(call, &facts);
    if (rc == FN_NOTFOUND)
        return answer_404(out);
    if (rc)
        return rc == FN_NOMEM ? rc : http_answer_store_failure(call, out, rc);
    json_t *f = find_fact(facts, ref);
    if (!f)
        rc = answer_404(out);
    else if (strcmp(json_string_value(json_object_get(f, "status")), "aktuell") != 0)
        rc = http_answer_json(
            out, 409,
            json_pack("{s:s, s:s, s:O?}", "code", "stale", "message",
                      "Der Fakt wurde inzwischen berichtigt oder zurückgezogen. Unter current "
                      "steht, was jetzt gilt (null: nichts mehr).",
                      "current", current_of(facts, ref)));
    json_decref(facts);
    return rc;
}

/* The reason of the body, checked; NULL with out holding a 400. */
static const char *body_reason(json_t *obj, struct http_answer *out, fn_status *rc)
{
    struct fact_input_error err;
    const char *reason = json_string_value(json_object_get(obj, "reason"));
    *rc = fact_input_reason_check(reason, &err);
    if (*rc == FN_INVALID) {
        *rc = answer_field(out, &err);
        return NULL;
    }
    return reason;
}

/* 409 for a write the store refused as stale (another writer came between
 * the check and the write): read again. */
static fn_status answer_stale(const struct http_call *call, struct http_answer *out)
{
    memset(out, 0, sizeof *out);
    struct http_request req = *call->req;
    char quoted[72];
    snprintf(quoted, sizeof quoted, "\"%s-%lld\"", store_fact_name(call->fact_kind),
             (long long)call->fact_id);
    req.if_match = quoted;
    struct http_call again = *call;
    again.req = &req;
    return precondition(&again, out);
}

fn_status http_fact_correct(const struct http_call *call, struct http_answer *out)
{
    json_t *obj = NULL;
    struct fact_input in;
    fn_status rc = fact_request(call, out, &obj, &in);
    if (rc || !obj)
        return rc;
    const char *reason = body_reason(obj, out, &rc);
    if (!rc && reason)
        rc = body_fact(call, obj, &in, out);
    if (!rc && !out->status && fact_input_store_kind(&in) != call->fact_kind) {
        struct fact_input_error err = {.field = "kind"};
        snprintf(err.message, sizeof err.message,
                 "Feld „kind“ (Art des Fakts): ein Fakt der Art %s lässt sich nur durch einen "
                 "der gleichen Art berichtigen.",
                 store_fact_name(call->fact_kind));
        rc = answer_field(out, &err);
    }
    if (!rc && !out->status)
        rc = precondition(call, out);
    if (!rc && !out->status) {
        struct store_fact_source src = fact_input_source(&in);
        int64_t id = 0;
        rc = store_fact_correct(call->st, call->actor, call->fact_kind, call->fact_id,
                                fact_input_fact(&in), &src, reason, &id);
        rc = rc == FN_STALE ? answer_stale(call, out)
                            : answer_store(call, out, rc, 200, call->fact_kind, id);
    }
    fact_input_clear(&in);
    json_decref(obj);
    return rc;
}

fn_status http_fact_withdraw(const struct http_call *call, struct http_answer *out)
{
    json_t *obj = NULL;
    fn_status rc = body_object(call, out, &obj);
    if (rc || !obj)
        return rc;
    const char *reason = body_reason(obj, out, &rc);
    if (!rc && reason)
        rc = precondition(call, out);
    if (!rc && reason && !out->status) {
        rc = store_fact_withdraw(call->st, call->actor, call->fact_kind, call->fact_id, reason);
        rc = rc == FN_STALE ? answer_stale(call, out)
                            : answer_store(call, out, rc, 200, call->fact_kind, call->fact_id);
    }
    json_decref(obj);
    return rc;
}
