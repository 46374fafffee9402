/* assess_routes.c – JSON API of the Initialbewertung (see assess_routes.h). */
#include "http/assess_routes.h"

#include <stdio.h>

#include <jansson.h>
#include <string.h>

#include <sodium.h>

#include "assess/approval.h"
#include "assess/assess_person.h"
#include "assess/decide.h"
#include "assess/worklist.h"
#include "http/access.h"
#include "http/jsonw.h"
#include "http/routes.h"

static const char *effect_code(enum assess_effect e)
{
    static const char *const codes[] = {"sperre", "punkte", "gegengewicht", "machbarkeit", "frist"};
    return codes[e];
}

static void rule_w(struct jsonw *w, const struct assess_rule *r)
{
    jsonw_str(w, "id", r->id);
    jsonw_str(w, "title", r->title);
    jsonw_str(w, "legal_basis", r->norm);
    jsonw_str(w, "legal_version", r->version);
    jsonw_bool(w, "threshold_unverified", r->unverified);
    jsonw_str(w, "effect", effect_code(r->effect));
    jsonw_int(w, "amount", r->amount);
    jsonw_str(w, "explanation", r->explanation);
}

/* "simulation" and "catalog_status" of every answer about c. */
static void status_w(struct jsonw *w, const struct assess_catalog *c, int simulation)
{
    char label[256];
    assess_simulation_label(c, 1, label, sizeof label);
    jsonw_bool(w, "simulation", simulation);
    jsonw_str(w, "catalog_status", simulation ? label : "freigegeben");
}

fn_status assess_routes_catalog(const struct assess_catalog *c, int simulation, struct fn_buf *out)
{
    struct jsonw w;
    jsonw_init(&w, out);
    jsonw_object_begin(&w, NULL);
    status_w(&w, c, simulation);
    jsonw_str(&w, "name", c->name);
    jsonw_str(&w, "version", c->version);
    jsonw_str(&w, "valid_from", c->valid_from);
    jsonw_str(&w, "sha256", c->hash);
    jsonw_int(&w, "band_a_from", c->band_a);
    jsonw_int(&w, "band_b_from", c->band_b);
    jsonw_bool(&w, "gate_override_needs_second_person", c->second_person);
    jsonw_array_begin(&w, "rules");
    for (size_t i = 0; i < c->nrules; i++) {
        jsonw_object_begin(&w, NULL);
        rule_w(&w, &c->rules[i]);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_object_end(&w);
    return w.rc;
}

struct missing_w {
    struct jsonw *w;
};

static void missing_w_add(void *ctx, const struct assess_fact_def *def)
{
    struct missing_w *m = ctx;
    jsonw_object_begin(m->w, NULL);
    jsonw_str(m->w, "fact", def->name);
    jsonw_str(m->w, "label", assess_fact_missing_label(def));
    jsonw_object_end(m->w);
}

fn_status assess_routes_person(struct store *st, const struct store_actor *actor,
                               const struct assess_catalog *c, int simulation, int64_t person_id,
                               int32_t today, struct fn_buf *out)
{
    struct assess_person p;
    fn_status rc = assess_person(st, actor, c, person_id, today, &p);
    if (rc)
        return rc;
    const struct assess_result *r = &p.result;
    struct jsonw w;
    jsonw_init(&w, out);
    jsonw_object_begin(&w, NULL);
    jsonw_int(&w, "person_id", person_id);
    jsonw_str(&w, "catalog_version", c->version);
    jsonw_str(&w, "catalog_sha256", c->hash);
    status_w(&w, c, simulation);
    jsonw_bool(&w, "blocked", r->blocked);
    jsonw_array_begin(&w, "gates");
    for (int i = 0; i < r->ngates; i++)
        jsonw_str(&w, NULL, c->rules[r->gates[i]].id);
    jsonw_array_end(&w);
    /* gates that block because a fact they need is not recorded */
    jsonw_array_begin(&w, "unresolved_gates");
    for (int i = 0; i < r->ntrace; i++) {
        if (!r->trace[i].unresolved)
            continue;
        struct missing_w mw = {.w = &w};
        jsonw_object_begin(&w, NULL);
        jsonw_str(&w, "rule", c->rules[r->trace[i].rule].id);
        jsonw_str(&w, "title", c->rules[r->trace[i].rule].title);
        jsonw_str(&w, "status", "ungeklärt");
        jsonw_array_begin(&w, "missing_facts");
        assess_trace_missing(c, &r->trace[i], missing_w_add, &mw);
        jsonw_array_end(&w);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    char band[2] = {r->band, '\0'};
    jsonw_str(&w, "priority_band", band);
    jsonw_int(&w, "points", r->points);
    jsonw_array_begin(&w, "counter_weights");
    for (int i = 0; i < r->nweighing; i++)
        jsonw_str(&w, NULL, c->rules[r->weighing[i]].id);
    jsonw_array_end(&w);
    jsonw_object_begin(&w, "feasibility");
    jsonw_str(&w, "band", r->feasibility_band);
    jsonw_int(&w, "score", r->feasibility);
    jsonw_object_end(&w);
    jsonw_array_begin(&w, "deadlines");
    for (int i = 0; i < r->ndeadlines; i++) {
        jsonw_object_begin(&w, NULL);
        jsonw_str(&w, "rule", c->rules[r->deadlines[i].rule].id);
        jsonw_int(&w, "days", r->deadlines[i].days);
        jsonw_bool(&w, "overdue", r->deadlines[i].days < 0);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_array_begin(&w, "trace");
    for (int i = 0; i < r->ntrace; i++) {
        const struct assess_rule *rule = &c->rules[r->trace[i].rule];
        jsonw_object_begin(&w, NULL);
        rule_w(&w, rule);
        jsonw_bool(&w, "fired", r->trace[i].fired);
        jsonw_bool(&w, "unresolved", r->trace[i].unresolved);
        jsonw_bool(&w, "subsumed", r->trace[i].subsumed);
        jsonw_str(&w, "group", rule->group);
        jsonw_array_begin(&w, "facts_read");
        for (int k = 0; k < rule->nconds; k++) {
            const struct assess_fact_def *def =
                assess_fact_def((enum assess_fact_id)rule->conds[k].fact);
            jsonw_object_begin(&w, NULL);
            jsonw_str(&w, "fact", def->name);
            jsonw_str(&w, "label", def->label_de);
            jsonw_bool(&w, "known", r->trace[i].known[k]);
            if (r->trace[i].known[k])
                jsonw_int(&w, "value", r->trace[i].read[k]);
            else
                jsonw_str(&w, "value", "unbekannt");
            jsonw_str(&w, "op", rule->conds[k].op[0] == '?' ? "erfasst" : rule->conds[k].op);
            jsonw_int(&w, "threshold", rule->conds[k].value);
            jsonw_object_end(&w);
        }
        jsonw_array_end(&w);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_str(&w, "note",
              "Die Bewertung ordnet die Arbeitsliste. Entscheidungen trifft eine "
              "benannte Person mit Begründung; Abweichungen sind vorgesehen.");
    jsonw_object_end(&w);
    assess_person_clear(&p);
    return w.rc;
}

fn_status assess_routes_worklist(struct store *st, const struct store_actor *actor,
                                 const struct assess_catalog *c, int simulation,
                                 int64_t authority_id, int32_t today, struct fn_buf *out)
{
    struct worklist *wl = NULL;
    fn_status rc = worklist_build(st, actor, c, authority_id, today, &wl);
    if (rc)
        return rc;
    struct jsonw w;
    jsonw_init(&w, out);
    jsonw_object_begin(&w, NULL);
    jsonw_int(&w, "authority_id", authority_id);
    jsonw_str(&w, "catalog_version", c->version);
    status_w(&w, c, simulation);
    jsonw_array_begin(&w, "entries");
    for (size_t i = 0; i < wl->n; i++) {
        const struct worklist_entry *e = &wl->entries[i];
        char band[2] = {e->band, '\0'};
        jsonw_object_begin(&w, NULL);
        jsonw_int(&w, "position", (int64_t)i + 1);
        jsonw_int(&w, "person_id", e->id);
        jsonw_str(&w, "name", e->name);
        jsonw_bool(&w, "blocked", e->blocked);
        jsonw_bool(&w, "overdue", !e->blocked && e->overdue);
        jsonw_str(&w, "priority_band", band);
        jsonw_int(&w, "points", e->points);
        jsonw_str(&w, "reason", e->reason);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_str(&w, "note",
              "Vorschlag zur Reihenfolge; die Entscheidung trifft die Sachbearbeitung.");
    jsonw_object_end(&w);
    worklist_free(wl);
    return w.rc;
}

static fn_status decide_error(int *status, int code, const char *msg, struct fn_buf *out)
{
    struct jsonw w;
    *status = code;
    jsonw_init(&w, out);
    jsonw_object_begin(&w, NULL);
    jsonw_str(&w, "code",
              code == 404   ? "not_found"
              : code == 422 ? "refused"
              : code == 409 ? "not_approved"
                            : "bad_request");
    jsonw_str(&w, "message", msg);
    jsonw_object_end(&w);
    return w.rc;
}

/* Overwrites a password held by the parsed body before it is freed. */
static void wipe_string(const char *s)
{
    if (s)
        sodium_memzero((char *)s, strlen(s));
}

fn_status assess_routes_decide(const struct http_call *call, int *status, unsigned *retry_after_s,
                               struct fn_buf *out)
{
    const struct http_request *hreq = call->req;
    const struct store_actor *who = call->actor;
    json_error_t err;
    json_t *j =
        json_loadb(hreq->body ? hreq->body : "", hreq->body_len, JSON_REJECT_DUPLICATES, &err);
    json_int_t pid = 0;
    const char *outcome = NULL, *reason = NULL, *login = NULL, *second = NULL, *password = NULL;
    char second_login[AUTH_LOGIN_MAX] = "";
    fn_status rc = FN_OK;
    if (!j ||
        json_unpack(j, "{s:I, s:s, s:s, s?s, s?s, s?s}", "person_id", &pid, "entscheidung",
                    &outcome, "begruendung", &reason, "kennung", &login, "zweite_kennung", &second,
                    "zweites_passwort", &password) != 0 ||
        pid <= 0 || (strcmp(outcome, "aufnehmen") != 0 && strcmp(outcome, "ablehnen") != 0)) {
        rc = decide_error(status, 400,
                          "Erwartet JSON mit person_id, entscheidung (aufnehmen|ablehnen) und "
                          "begruendung; für eine zweite Person zweite_kennung und "
                          "zweites_passwort.",
                          out);
        goto out;
    }
    /* the deciding person is the one logged in; a kennung may only repeat it */
    if (login && strcmp(login, who->login) != 0) {
        rc = decide_error(status, 400,
                          "kennung weicht von der angemeldeten Person ab; entschieden wird "
                          "immer unter der eigenen Anmeldung.",
                          out);
        goto out;
    }
    /* a reason that is no reason is a malformed request (400), checked by
     * the same function as the CLI before anything is looked up */
    const char *why = NULL;
    if (assess_reason_check(reason, &why) != FN_OK) {
        rc = decide_error(status, 400, why, out);
        goto out;
    }
    if (second) {
        if (!password || !password[0]) {
            rc = decide_error(status, 422,
                              "Die zweite Person bestätigt mit ihrem Passwort (zweites_passwort).",
                              out);
            goto out;
        }
        rc = http_access_second_person(hreq->access, call->st, who->user_id, second, password,
                                       hreq->client_address, second_login, sizeof second_login,
                                       &why, retry_after_s);
        wipe_string(password);
        if (rc == FN_DENIED) {
            rc = decide_error(status, 422, why, out);
            goto out;
        }
        if (rc)
            goto out; /* a busy store becomes 503 in the server */
    }
    struct store_actor actor = *who;
    actor.purpose = "Entscheidung Aufnahme Fallmanagement";
    struct decide_request req = {.person_id = pid,
                                 .accept = strcmp(outcome, "aufnehmen") == 0,
                                 .reason = reason,
                                 .second_login = second ? second_login : NULL,
                                 .today = call->today};
    struct decide_outcome res;
    rc = decide_record(call->st, &actor, call->catalog, &req, &res);
    if (rc == FN_CONFLICT) {
        rc = decide_error(status, 409, res.message, out);
        goto out;
    }
    if (rc == FN_NOTFOUND) {
        rc = decide_error(status, 404, res.message, out);
        goto out;
    }
    if (rc == FN_INVALID) {
        rc = decide_error(status, 422, res.message, out);
        goto out;
    }
    if (rc)
        goto out;
    struct jsonw w;
    *status = 201;
    jsonw_init(&w, out);
    jsonw_object_begin(&w, NULL);
    jsonw_int(&w, "decision_id", res.decision_id);
    jsonw_str(&w, "catalog_sha256", call->catalog->hash);
    jsonw_int(&w, "assessment_id", res.assessment_id);
    char band[2] = {res.band, '\0'};
    jsonw_str(&w, "priority_band", band);
    jsonw_int(&w, "points", res.points);
    jsonw_bool(&w, "blocked", res.blocked);
    jsonw_str(&w, "override", res.override);
    jsonw_str(&w, "note", "Entscheidung erfasst. Der Fallstatus wurde nicht verändert.");
    jsonw_object_end(&w);
    rc = w.rc;
out:
    wipe_string(password);
    json_decref(j);
    return rc;
}
