/* routes.c – the route table of the JSON API and its dispatcher (see routes.h). */
#include "http/routes.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assess/eval_render.h"
#include "assess/evaluate.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/utf8.h"
#include "http/access.h"
#include "http/assess_routes.h"
#include "http/catalogue_routes.h"
#include "http/fact_routes.h"
#include "http/json.h"
#include "http/person_edit.h"

#define JSON_TYPE      "application/json; charset=utf-8"
#define MAX_PURPOSE    200
#define MAX_ID_DIGITS  18
#define BAD_ID_MESSAGE "Die Personennummer muss eine positive ganze Zahl sein."

static const char *const method_names[HTTP_METHOD_COUNT] = {"GET", "POST", "PUT", "PATCH",
                                                            "DELETE"};

unsigned http_method_bit(const char *method)
{
    if (strcmp(method, "HEAD") == 0)
        return HTTP_METHOD_GET;
    for (unsigned i = 0; i < HTTP_METHOD_COUNT; i++)
        if (strcmp(method, method_names[i]) == 0)
            return 1u << i;
    return 0;
}

const char *http_method_name(unsigned index)
{
    return index < HTTP_METHOD_COUNT ? method_names[index] : NULL;
}

/* Appends the names of methods to buf ("GET, POST"), HEAD after GET when
 * with_head; snprintf keeps it bounded and terminated. */
static void methods_format(unsigned methods, int with_head, char *buf, size_t cap)
{
    size_t used = 0;
    if (cap == 0)
        return;
    buf[0] = '\0';
    for (unsigned i = 0; i < HTTP_METHOD_COUNT; i++) {
        if (!(methods & (1u << i)))
            continue;
        int head = with_head && (1u << i) == HTTP_METHOD_GET;
        int n = snprintf(buf + used, cap - used, "%s%s%s", used ? ", " : "", method_names[i],
                         head ? ", HEAD" : "");
        if (n < 0 || (size_t)n >= cap - used)
            return;
        used += (size_t)n;
    }
}

void http_allow_format(unsigned methods, char *buf, size_t cap)
{
    methods_format(methods, 1, buf, cap);
}

int http_route_allows(const struct http_route *r, unsigned user_roles)
{
    if (r->flags & HTTP_ROUTE_PUBLIC)
        return 1;
    return (r->roles & user_roles) != 0;
}

static int changes_state(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
           strcmp(method, "OPTIONS") != 0;
}

int http_request_needs_csrf(const char *method, const char *url)
{
    return changes_state(method) || strcmp(url, "/api/v1/session") == 0;
}

int64_t http_parse_id(const char *s)
{
    if (!s || !*s || strlen(s) > MAX_ID_DIGITS)
        return 0;
    for (const char *c = s; *c; c++)
        if (*c < '0' || *c > '9')
            return 0;
    return strtoll(s, NULL, 10);
}

/* ---- answers ---- */

/* Serialises j (reference taken) into out->body (fn_malloc; caller frees). */
fn_status http_answer_json(struct http_answer *out, int status, json_t *j)
{
    if (!j)
        return FN_NOMEM;
    char *text = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(j);
    if (!text)
        return FN_NOMEM;
    size_t len = strlen(text);
    char *body = fn_malloc(len + 1);
    if (!body) {
        free(text);
        return FN_NOMEM;
    }
    memcpy(body, text, len + 1);
    free(text);
    fn_free(out->body);
    out->status = status;
    out->content_type = JSON_TYPE;
    out->body = body;
    out->body_len = len;
    return FN_OK;
}

fn_status http_answer_error(struct http_answer *out, int status, const char *machine,
                            const char *message)
{
    out->status = status;
    return http_answer_json(out, status,
                            json_pack("{s:s, s:s}", "code", machine, "message", message));
}

/* Moves the text of buf (emptied) into out->body as a JSON answer with status. */
static fn_status answer_take(struct http_answer *out, int status, struct fn_buf *buf)
{
    size_t len = buf->len;
    fn_status rc = fn_buf_take(buf, &out->body);
    if (rc)
        return rc;
    out->status = status;
    out->content_type = JSON_TYPE;
    out->body_len = len;
    return FN_OK;
}

/* A refused request: audited as a denial (who, what, why), then 403. */
static fn_status deny(struct store *st, const struct http_request *req, const char *machine,
                      const char *message, struct http_answer *out)
{
    fn_status rc = http_access_audit(st, req->caller, "verweigert", req->client_address,
                                     req->method, req->url, machine);
    if (rc)
        return rc;
    return http_answer_error(out, 403, machine, message);
}

/* A store failure as an answer: FN_BUSY is passed up (no body) so that the
 * server makes it a 503 with Retry-After; the store's refusal (no role of
 * the caller grants the access) is a denial like the route's own, audited
 * and 403; anything else is 500. Borrows call. */
fn_status http_answer_store_failure(const struct http_call *call, struct http_answer *out,
                                    fn_status rc)
{
    if (rc == FN_BUSY)
        return FN_BUSY;
    if (rc == FN_DENIED)
        return deny(call->st, call->req, "forbidden",
                    "Diese Daten liegen außerhalb Ihrer Zuständigkeit.", out);
    return http_answer_error(out, 500, "store_error", "Die Datenbank meldet einen Fehler.");
}

/* ---- handlers ----
 * Each borrows call (everything in it already checked) and fills out; the
 * body is allocated with fn_malloc and freed by the caller. */

static fn_status handle_health(const struct http_call *call, struct http_answer *out)
{
    int version = 0;
    int64_t persons = 0;
    fn_status rc = store_schema_version(call->st, &version);
    if (!rc)
        rc = store_person_count(call->st, &persons);
    json_t *j = json_pack("{s:s, s:s, s:{s:s, s:i, s:I}}", "status", rc ? "degraded" : "ok",
                          "version", FN_VERSION, "store", "state", rc ? "fehler" : "bereit",
                          "schema_version", version, "persons", (json_int_t)persons);
    return http_answer_json(out, rc ? 503 : 200, j);
}

static fn_status handle_openapi(const struct http_call *call, struct http_answer *out)
{
    (void)call;
    char *body = fn_malloc(http_openapi_json_len + 1);
    if (!body)
        return FN_NOMEM;
    memcpy(body, http_openapi_json, http_openapi_json_len + 1);
    out->status = 200;
    out->content_type = JSON_TYPE;
    out->body = body;
    out->body_len = http_openapi_json_len;
    return FN_OK;
}

static fn_status handle_person_list(const struct http_call *call, struct http_answer *out)
{
    const struct http_request *req = call->req;
    int64_t authority = req->query_authority ? http_parse_id(req->query_authority) : 0;
    int64_t after = req->query_after && req->query_after[0] ? http_parse_id(req->query_after) : 0;
    int64_t limit = req->query_limit ? http_parse_id(req->query_limit) : 50;
    if ((req->query_authority && !authority) ||
        (req->query_after && req->query_after[0] && strcmp(req->query_after, "0") != 0 && !after) ||
        limit <= 0 || limit > 1000)
        return http_answer_error(
            out, 400, "bad_query",
            "authority, after und limit (1–1000) müssen positive Zahlen sein.");
    struct store_person_summary *items = NULL;
    size_t n = 0;
    fn_status rc =
        store_person_list(call->st, call->actor, authority, after, (size_t)limit, &items, &n);
    if (rc)
        return http_answer_store_failure(call, out, rc);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *e = http_json_person_summary(&items[i]);
        if (!e || json_array_append_new(arr, e)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    fn_free(items);
    if (!arr)
        return FN_NOMEM;
    return http_answer_json(out, 200, json_pack("{s:o}", "persons", arr));
}

#define NOT_FOUND_PERSON "Keine Person mit dieser Nummer."

/* Answers status with the person file f (borrowed) and its version as ETag;
 * machine and message set: the JSON error {code, message, current: f}. */
static fn_status answer_person(struct http_answer *out, int status,
                               const struct model_person_file *f, const char *machine,
                               const char *message)
{
    struct fn_buf buf;
    fn_buf_init(&buf, FN_BUF_BODY);
    /* most files are 1-4 KiB: one allocation instead of doubling from 64 */
    fn_status rc = fn_buf_reserve(&buf, 4096);
    if (!rc && machine) {
        rc = fn_buf_append_str(&buf, "{\"code\":");
        if (!rc)
            rc = fn_json_string(&buf, machine);
        if (!rc)
            rc = fn_buf_append_str(&buf, ",\"message\":");
        if (!rc)
            rc = fn_json_string(&buf, message);
        if (!rc)
            rc = fn_buf_append_str(&buf, ",\"current\":");
    }
    if (!rc)
        rc = http_json_person_file_write(f, &buf);
    if (!rc && machine)
        rc = fn_buf_append_char(&buf, '}');
    if (!rc)
        rc = answer_take(out, status, &buf);
    if (!rc)
        snprintf(out->etag, sizeof out->etag, "\"v%lld\"", (long long)f->person->version);
    fn_buf_free(&buf);
    return rc;
}

static fn_status handle_person(const struct http_call *call, struct http_answer *out)
{
    struct model_person_file *f = NULL;
    fn_status rc = store_person_get(call->st, call->actor, call->id, &f);
    if (rc == FN_NOTFOUND)
        return http_answer_error(out, 404, "not_found", NOT_FOUND_PERSON);
    if (rc)
        return http_answer_store_failure(call, out, rc);
    rc = answer_person(out, 200, f, NULL, NULL);
    model_person_file_free(f);
    return rc;
}

#define STALE_MESSAGE                                                                              \
    "Der Datensatz wurde inzwischen geändert. Unter current steht, was jetzt gespeichert ist; "   \
    "bitte die eigenen Änderungen darauf erneut anwenden."

/* 409 stale with the person as stored now (read again: what the other
 * writer saved); 404 when it went meanwhile. */
static fn_status answer_stale(const struct http_call *call, struct http_answer *out)
{
    struct model_person_file *now = NULL;
    fn_status rc = store_person_get(call->st, call->actor, call->id, &now);
    if (rc == FN_NOTFOUND)
        return http_answer_error(out, 404, "not_found", NOT_FOUND_PERSON);
    if (rc)
        return http_answer_store_failure(call, out, rc);
    rc = answer_person(out, 409, now, "stale", STALE_MESSAGE);
    model_person_file_free(now);
    return rc;
}

/* Moves what the edit may not change from the stored person into p. */
static fn_status keep_fixed(const struct model_person *stored, struct model_person *p)
{
    p->id = stored->id;
    p->authority_id = stored->authority_id;
    const char *const from[] = {stored->record_id, stored->azr_nr, stored->authority_code};
    char **to[] = {&p->record_id, &p->azr_nr, &p->authority_code};
    for (size_t i = 0; i < sizeof to / sizeof to[0]; i++) {
        if (!from[i])
            continue;
        *to[i] = fn_strdup(from[i]);
        if (!*to[i])
            return FN_NOMEM;
    }
    return FN_OK;
}

/* PUT /api/v1/persons/{id}: the master data, made on the version If-Match
 * names. The body is checked before anything is read; the person is read
 * (scope: 404 outside, audited as a query) for what the edit does not
 * change; the store refuses a stale version in the row update itself. */
static fn_status handle_person_put(const struct http_call *call, struct http_answer *out)
{
    const struct http_request *req = call->req;
    if (!req->if_match || !req->if_match[0])
        return http_answer_error(out, 428, "precondition_required",
                                 "Bitte mit If-Match die Version angeben, auf der die Änderung "
                                 "beruht (das ETag des Abrufs der Person, etwa \"v3\").");
    int64_t version = http_person_edit_if_match(req->if_match);
    if (!version)
        return http_answer_error(out, 400, "bad_if_match",
                                 "If-Match muss genau ein ETag der Person sein, etwa \"v3\".");
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    struct model_person *p = model_person_new();
    struct model_person_file *f = NULL;
    struct http_edit_error err;
    if (!p)
        return FN_NOMEM;
    fn_status rc = http_person_edit_parse(req->body, req->body_len, call->today, p, &err);
    if (rc == FN_INVALID || rc == FN_TOO_LARGE) {
        rc = http_answer_json(out, rc == FN_INVALID ? 400 : 413,
                              json_pack("{s:s, s:s, s:s}", "code",
                                        rc == FN_INVALID ? "bad_field" : "too_large", "field",
                                        err.field, "message", err.message));
        goto out;
    }
    if (!rc)
        rc = store_person_get(call->st, call->actor, call->id, &f);
    if (rc == FN_NOTFOUND) {
        rc = http_answer_error(out, 404, "not_found", NOT_FOUND_PERSON);
        goto out;
    }
    if (!rc && f->person->version != version) {
        /* stale already: what was just read is what the other writer saved */
        rc = answer_person(out, 409, f, "stale", STALE_MESSAGE);
        goto out;
    }
    if (!rc)
        rc = keep_fixed(f->person, p);
    if (!rc) {
        p->updated_at = fn_strdup(now);
        rc = p->updated_at ? FN_OK : FN_NOMEM;
    }
    p->version = version;
    if (!rc)
        rc = store_person_update(call->st, call->actor, p);
    if (rc == FN_STALE) {
        rc = answer_stale(call, out);
    } else if (rc == FN_NOTFOUND) {
        rc = http_answer_error(out, 404, "not_found", NOT_FOUND_PERSON);
    } else if (!rc) {
        /* the answer is the file as stored now: the new person, its facts
         * as read in this request (the version covers only the person) */
        model_person_free(f->person);
        f->person = p;
        p = NULL;
        rc = answer_person(out, 200, f, NULL, NULL);
    } else if (rc != FN_NOMEM) {
        rc = http_answer_store_failure(call, out, rc);
    }
out:
    model_person_free(p);
    model_person_file_free(f);
    return rc;
}

/* The common end of the assessment handlers: the written JSON as 200, a busy
 * store passed up, any other failure a 500. */
static fn_status assess_finish(const struct http_call *call, struct http_answer *out, fn_status rc,
                               struct fn_buf *buf)
{
    if (!rc)
        rc = answer_take(out, 200, buf);
    fn_buf_free(buf);
    if (rc == FN_BUSY || rc == FN_DENIED)
        return http_answer_store_failure(call, out, rc);
    if (rc)
        return http_answer_error(out, 500, "internal", "Bewertung fehlgeschlagen.");
    return FN_OK;
}

static fn_status handle_catalog(const struct http_call *call, struct http_answer *out)
{
    struct fn_buf buf;
    fn_buf_init(&buf, FN_BUF_BODY);
    return assess_finish(call, out, assess_routes_catalog(call->catalog, call->simulation, &buf),
                         &buf);
}

static fn_status handle_assessment(const struct http_call *call, struct http_answer *out)
{
    struct fn_buf buf;
    fn_buf_init(&buf, FN_BUF_BODY);
    fn_status rc = assess_routes_person(call->st, call->actor, call->catalog, call->simulation,
                                        call->id, call->today, &buf);
    if (rc == FN_NOTFOUND) {
        fn_buf_free(&buf);
        return http_answer_error(out, 404, "not_found", NOT_FOUND_PERSON);
    }
    return assess_finish(call, out, rc, &buf);
}

static fn_status handle_worklist(const struct http_call *call, struct http_answer *out)
{
    const char *q = call->req->query_authority;
    int64_t authority = q ? http_parse_id(q) : 0;
    if (!authority)
        return http_answer_error(out, 400, "bad_query",
                                 "authority muss die Nummer einer Behörde sein.");
    struct fn_buf buf;
    fn_buf_init(&buf, FN_BUF_BODY);
    fn_status rc = assess_routes_worklist(call->st, call->actor, call->catalog, call->simulation,
                                          authority, call->today, &buf);
    return assess_finish(call, out, rc, &buf);
}

static fn_status handle_decision(const struct http_call *call, struct http_answer *out)
{
    struct fn_buf buf;
    fn_buf_init(&buf, FN_BUF_SMALL);
    int status = 0;
    fn_status rc = assess_routes_decide(call, &status, &out->retry_after_s, &buf);
    if (!rc)
        rc = answer_take(out, status, &buf);
    fn_buf_free(&buf);
    if (rc == FN_DENIED) /* the store's refusal: 403 like a read, not a 500 */
        return http_answer_store_failure(call, out, rc);
    return rc;
}

/* A query value, NULL when absent or empty (an empty form field). */
static const char *query_value(const char *v)
{
    return v && v[0] ? v : NULL;
}

/* GET /api/v1/evaluation: the pilot report's aggregates (evaluate.h), small
 * cells suppressed; ?format=csv for the CSV. Person-level parts (departures
 * with reasons, catalogue comparison) stay with the CLI. */
static fn_status handle_evaluation(const struct http_call *call, struct http_answer *out)
{
    const struct http_request *req = call->req;
    struct store_eval_filter f = {.from = query_value(req->query_from),
                                  .to = query_value(req->query_to),
                                  .region = query_value(req->query_region)};
    const char *format = query_value(req->query_format);
    const char *bad = eval_filter_check(&f);
    if (!bad && format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
        bad = "format muss json oder csv sein.";
    if (bad)
        return http_answer_error(out, 400, "bad_query", bad);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    struct eval_report *r = NULL;
    fn_status rc = eval_report_new(f.to ? (int)strtol(f.to, NULL, 10) : tm.tm_year + 1900, &r);
    if (!rc)
        rc = eval_collect(call->st, call->actor, &f, r);
    if (rc == FN_NOTFOUND) {
        eval_report_free(r);
        return http_answer_error(out, 400, "bad_query", "Diese Region ist unbekannt.");
    }
    if (rc) {
        eval_report_free(r);
        return rc == FN_NOMEM ? rc : http_answer_store_failure(call, out, rc);
    }
    json_t *report = eval_report_json(r, &f);
    eval_report_free(r);
    if (!format || strcmp(format, "csv") != 0)
        return http_answer_json(out, 200, report);
    struct fn_buf csv;
    fn_buf_init(&csv, FN_BUF_BODY);
    rc = report ? eval_render_csv(report, &csv) : FN_NOMEM;
    json_decref(report);
    if (!rc)
        rc = answer_take(out, 200, &csv);
    if (!rc)
        out->content_type = "text/csv; charset=utf-8";
    fn_buf_free(&csv);
    return rc;
}

/* ---- the table ---- */

#define SB   AUTH_ROLE_SACHBEARBEITUNG
#define KO   AUTH_ROLE_KOORDINATION
#define ZAB  AUTH_ROLE_ZAB
#define POL  AUTH_ROLE_POLIZEI
#define STAT AUTH_ROLE_STATISTIK
#define DS   AUTH_ROLE_DATENSCHUTZ
#define ADM  AUTH_ROLE_ADMIN
#define ALL  AUTH_ROLE_ALL

/* Keep docs/openapi.json in step: tests/unit/http/test_openapi.c compares
 * methods, paths, roles, flags and schema names in both directions. */
static const struct http_route route_table[] = {
    {HTTP_METHOD_GET, "/api/v1/health", handle_health, HTTP_ROUTE_PUBLIC, 0,
     "Liveness, version and store state", NULL, "Health"},
    {HTTP_METHOD_POST, "/api/v1/session", http_session_open, HTTP_ROUTE_PUBLIC, 0,
     "Logs in (password, or single sign-on through the trusted proxy)", "LoginRequest", "Session"},
    {HTTP_METHOD_GET, "/api/v1/session", http_session_show, 0, ALL,
     "The current session with its CSRF token", NULL, "Session"},
    {HTTP_METHOD_DELETE, "/api/v1/session", http_session_close, 0, ALL, "Logs out", NULL, NULL},
    {HTTP_METHOD_GET, "/api/v1/openapi.json", handle_openapi, 0, ALL,
     "This API description (OpenAPI 3.1)", NULL, "OpenApiDocument"},
    /* polizei gets the reduced view of notified persons later; until then no person route */
    {HTTP_METHOD_GET, "/api/v1/persons", handle_person_list, HTTP_ROUTE_PURPOSE, SB | KO | ZAB,
     "One page of person summaries, ordered by id", NULL, "PersonList"},
    /* datenschutz controls through the audit trail, not the files (docs/access.md) */
    {HTTP_METHOD_GET, "/api/v1/persons/{id}", handle_person, HTTP_ROUTE_PURPOSE, SB | KO | ZAB,
     "A person's file", NULL, "PersonFile"},
    /* identity rights (docs/access.md): sachbearbeitung and zab, not koordination */
    {HTTP_METHOD_PUT, "/api/v1/persons/{id}", handle_person_put, HTTP_ROUTE_PURPOSE, SB | ZAB,
     "Changes a person's master data on the version named by If-Match", "PersonEdit", "PersonFile"},
    /* facts that officials record (issue 13): read like the file, written by sachbearbeitung
     * of the responsible authority (the store's scope); zab records identity documents
     * (ausweisdokument) of its region and nothing else (the store refuses other kinds: 403) */
    {HTTP_METHOD_GET, "/api/v1/persons/{id}/facts", http_facts_list, HTTP_ROUTE_PURPOSE,
     SB | KO | ZAB, "Every recorded fact of a person with its history, source and recorder", NULL,
     "FactHistory"},
    {HTTP_METHOD_POST, "/api/v1/persons/{id}/facts", http_fact_record, HTTP_ROUTE_PURPOSE, SB | ZAB,
     "Records one fact about a person with its source", "FactInput", "FactAnswer"},
    {HTTP_METHOD_PUT, "/api/v1/persons/{id}/facts/{fact}", http_fact_correct, HTTP_ROUTE_PURPOSE,
     SB | ZAB, "Corrects a current fact: a new row supersedes it, the old one stays",
     "FactCorrection", "FactAnswer"},
    {HTTP_METHOD_DELETE, "/api/v1/persons/{id}/facts/{fact}", http_fact_withdraw,
     HTTP_ROUTE_PURPOSE, SB | ZAB, "Withdraws a current fact with a reason; the row stays",
     "FactWithdrawal", "FactAnswer"},
    {HTTP_METHOD_GET, "/api/v1/catalog", handle_catalog, HTTP_ROUTE_CATALOG, SB | KO | DS | ADM,
     "The loaded assessment catalogue with every rule", NULL, "Catalog"},
    {HTTP_METHOD_GET, "/api/v1/assessments/{id}", handle_assessment,
     HTTP_ROUTE_PURPOSE | HTTP_ROUTE_CATALOG, SB | KO,
     "A person's Initialbewertung as of today with the full trace", NULL, "Assessment"},
    {HTTP_METHOD_GET, "/api/v1/worklist", handle_worklist, HTTP_ROUTE_PURPOSE | HTTP_ROUTE_CATALOG,
     SB | KO, "The ordered work queue of an authority with a reason per position", NULL,
     "Worklist"},
    {HTTP_METHOD_POST, "/api/v1/decisions", handle_decision, HTTP_ROUTE_CATALOG, SB | KO,
     "Records a decision on intake into Fallmanagement", "DecisionRequest", "DecisionAnswer"},
    /* aggregates only, small cells suppressed: statistik too (docs/access.md) */
    {HTTP_METHOD_GET, "/api/v1/evaluation", handle_evaluation, HTTP_ROUTE_PURPOSE, SB | KO | STAT,
     "The evaluation for the pilot report (aggregates, small cells suppressed)", NULL,
     "Evaluation"},
    /* catalogue approval (issue 13): four eyes of two admin accounts */
    {HTTP_METHOD_GET, "/api/v1/catalogues", http_catalogues_list, 0, ADM,
     "Every stored assessment catalogue with its approval status", NULL, "CatalogueList"},
    {HTTP_METHOD_POST, "/api/v1/catalogues", http_catalogues_propose, 0, ADM,
     "Proposes an assessment catalogue for approval", "CatalogueProposal", "CatalogueEntry"},
    {HTTP_METHOD_POST, "/api/v1/catalogues/{id}/approval", http_catalogues_approve, 0, ADM,
     "Approves a proposed catalogue (an admin other than the proposer)", "CatalogueApproval",
     "CatalogueEntry"},
};

#undef SB
#undef KO
#undef ZAB
#undef POL
#undef STAT
#undef DS
#undef ADM
#undef ALL

const struct http_route *http_routes(size_t *n)
{
    *n = sizeof route_table / sizeof route_table[0];
    return route_table;
}

/* ---- matching ---- */

/* Matches path against pattern segment by segment. A "{id}" segment takes
 * any one segment, an empty one too (validated later, so "/persons/" is a bad
 * id and not an unknown path), into *param (pointing into path, param_len
 * bytes). Borrows both strings. 1 on a match. */
static int pattern_match(const char *pattern, const char *path, const char **param,
                         size_t *param_len, const char **fact, size_t *fact_len)
{
    const char *p = pattern, *u = path;
    *param = NULL;
    *param_len = 0;
    *fact = NULL;
    *fact_len = 0;
    while (*p && *u) {
        if (*p != '/' || *u != '/')
            return 0;
        p++;
        u++;
        size_t plen = strcspn(p, "/"), ulen = strcspn(u, "/");
        if (plen == 4 && memcmp(p, "{id}", 4) == 0) {
            *param = u;
            *param_len = ulen;
        } else if (plen == 6 && memcmp(p, "{fact}", 6) == 0) {
            *fact = u;
            *fact_len = ulen;
        } else if (plen != ulen || memcmp(p, u, plen) != 0) {
            return 0;
        }
        p += plen;
        u += ulen;
    }
    return !*p && !*u;
}

/* The purpose for the audit trail from X-Fallnetz-Zweck into *purpose
 * (pointing to the header or into buf, 2 * MAX_PURPOSE + 1 bytes). Browsers
 * send header values as ISO-8859-1 (fetch() turns "ä" into one byte 0xE4);
 * that is converted, as HTTP/1.1 header text allows. The purpose must be one
 * of the configured list (access.h). *purpose points into header or buf.
 * Returns the German refusal (static) or NULL when the purpose is fine. */
static const char *purpose_resolve(const struct http_access *access, const char *header, char *buf,
                                   const char **purpose)
{
    if (!header || !header[0])
        return "Bitte einen Zweck der Verarbeitung angeben (Kopfzeile X-Fallnetz-Zweck).";
    const char *p = header;
    size_t plen = strlen(p);
    if (plen > MAX_PURPOSE)
        return "Der Zweck (X-Fallnetz-Zweck) ist länger als 200 Byte.";
    if (!fn_utf8_valid(p, plen, NULL)) {
        size_t w = 0;
        for (size_t i = 0; i < plen; i++) {
            unsigned char c = (unsigned char)p[i];
            if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                w = 0;
                break;
            }
            w += fn_utf8_encode(c, buf + w);
        }
        buf[w] = '\0';
        if (w)
            p = buf;
    }
    if (strlen(p) > 2 * MAX_PURPOSE || !fn_utf8_valid(p, strlen(p), NULL))
        return "Der Zweck (X-Fallnetz-Zweck) ist zu lang oder kein gültiger Text.";
    if (!http_access_purpose_allowed(access, p))
        return "Dieser Zweck (X-Fallnetz-Zweck) ist nicht vorgesehen; erlaubt sind die Zwecke, "
               "die die Anmeldung nennt (zwecke).";
    *purpose = p;
    return NULL;
}

/* The catalogue of an HTTP_ROUTE_CATALOG request into call: the server's
 * (the one in force, read per request, so every server on the database
 * follows an approval at once) or the request's fixed one. FN_NOTFOUND
 * when there is none, FN_CORRUPT when the approved one no longer loads. */
static fn_status route_catalog(struct store *st, const struct http_request *req,
                               struct http_call *call)
{
    if (!req->catalogs) {
        call->catalog = req->catalog;
        call->simulation = req->catalog_simulation;
        return req->catalog ? FN_OK : FN_NOTFOUND;
    }
    return assess_catalog_cache_get(req->catalogs, st, &call->catalog, &call->simulation);
}

/* The access rules of a route that is not public: a caller (401), the
 * session's CSRF token on a state-changing request (403 csrf), a role the
 * route lists or, for an API token, an intake route (403 forbidden).
 * Leaves out->status 0 when the request may go on. */
static fn_status access_check(struct store *st, const struct http_request *req,
                              const struct http_route *route, struct http_answer *out)
{
    const struct http_caller *c = req->caller;
    if (!c || c->kind == HTTP_CALLER_NONE)
        return http_answer_error(out, 401, "unauthenticated",
                                 "Bitte anmelden (Sitzung oder API-Token fehlt oder ist "
                                 "abgelaufen).");
    if (c->kind == HTTP_CALLER_SESSION && changes_state(req->method) &&
        (!req->csrf_token || !c->csrf[0] || !auth_token_equal(req->csrf_token, c->csrf)))
        return deny(st, req, "csrf",
                    "Der Schutz gegen untergeschobene Anfragen fehlt oder stimmt nicht "
                    "(X-CSRF-Token).",
                    out);
    int allowed = c->kind == HTTP_CALLER_TOKEN ? (route->flags & HTTP_ROUTE_INTAKE) &&
                                                     strcmp(c->scope, STORE_TOKEN_SCOPE_INTAKE) == 0
                                               : http_route_allows(route, c->who.roles);
    if (!allowed)
        return deny(st, req, "forbidden", "Ihre Rolle erlaubt diese Anfrage nicht.", out);
    return FN_OK;
}

fn_status http_dispatch(struct store *st, const struct http_request *req, struct http_answer *out)
{
    unsigned want = http_method_bit(req->method);
    unsigned path_methods = 0;
    const struct http_route *route = NULL;
    const char *param = NULL, *fact = NULL;
    size_t param_len = 0, fact_len = 0;
    for (size_t i = 0; i < sizeof route_table / sizeof route_table[0]; i++) {
        const char *value = NULL, *fvalue = NULL;
        size_t len = 0, flen = 0;
        if (!pattern_match(route_table[i].pattern, req->url, &value, &len, &fvalue, &flen))
            continue;
        path_methods |= route_table[i].methods;
        if (!route && (route_table[i].methods & want)) {
            route = &route_table[i];
            param = value;
            param_len = len;
            fact = fvalue;
            fact_len = flen;
        }
    }
    if (!path_methods)
        return http_answer_error(out, 404, "not_found", "Diese Adresse gibt es nicht.");
    if (!route) {
        char names[HTTP_MAX_ALLOW], message[128];
        http_allow_format(path_methods, out->allow, sizeof out->allow);
        methods_format(path_methods, 0, names, sizeof names);
        snprintf(message, sizeof message, "Diese Schnittstelle erlaubt hier nur %s.", names);
        return http_answer_error(out, 405, "method_not_allowed", message);
    }

    struct http_call call = {.st = st, .req = req, .today = (int32_t)(time(NULL) / 86400)};
    char purpose_buf[2 * MAX_PURPOSE + 1];
    const struct http_caller *caller = req->caller;
    struct store_actor actor = {0};
    if (!(route->flags & HTTP_ROUTE_PUBLIC)) {
        fn_status rc = access_check(st, req, route, out);
        if (rc || out->status)
            return rc;
        actor.user_id = caller->who.user_id;
        actor.login = caller->who.login;
        actor.org_id = caller->who.org_id;
        actor.roles = caller->who.roles;
        call.actor = &actor;
    }
    if (route->flags & HTTP_ROUTE_PURPOSE) {
        const char *refusal =
            purpose_resolve(req->access, req->purpose, purpose_buf, &actor.purpose);
        if (refusal)
            return http_answer_error(out, 400, "bad_purpose", refusal);
    }
    if (route->flags & HTTP_ROUTE_CATALOG) {
        fn_status rc = route_catalog(st, req, &call);
        if (rc == FN_NOTFOUND || rc == FN_CORRUPT)
            return http_answer_error(out, 503, "no_catalog",
                                     rc == FN_CORRUPT ? "Der freigegebene Bewertungskatalog wird "
                                                        "vom Prüfer nicht mehr angenommen; einen "
                                                        "geprüften Katalog freigeben."
                                     : req->catalogs  ? ASSESS_NO_APPROVAL
                                                      : "Bewertung abgeschaltet (serve "
                                                        "--no-catalog).");
        if (rc)
            return rc;
    }
    if (param) {
        char digits[MAX_ID_DIGITS + 1];
        if (param_len < sizeof digits) {
            memcpy(digits, param, param_len);
            digits[param_len] = '\0';
            call.id = http_parse_id(digits);
        }
        if (!call.id)
            return http_answer_error(out, 400, "bad_id", BAD_ID_MESSAGE);
    }
    if (fact && !http_fact_parse(fact, fact_len, &call.fact_kind, &call.fact_id))
        return http_answer_error(out, 400, "bad_fact",
                                 "Der Fakt ist als Art und Nummer anzugeben, etwa "
                                 "strafverfahren-12.");
    return route->handler(&call, out);
}
