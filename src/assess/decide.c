/* decide.c – a named person's decision with its assessment (decide.h). */
#include "assess/decide.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"

fn_status decide_record(struct store *st, const struct store_actor *actor,
                        const struct assess_catalog *cat, const struct decide_request *req,
                        struct decide_outcome *out)
{
    memset(out, 0, sizeof *out);
    if (!req->reason || strlen(req->reason) < 10) {
        snprintf(out->message, sizeof out->message,
                 "Eine Begründung (mindestens 10 Zeichen) ist Pflicht.");
        return FN_INVALID;
    }
    struct model_person_file *f = NULL;
    fn_status rc = store_person_get(st, actor, req->person_id, &f);
    if (rc) {
        snprintf(out->message, sizeof out->message,
                 rc == FN_NOTFOUND ? "Keine Person mit dieser Nummer." : "Person nicht lesbar.");
        return rc;
    }
    struct assess_facts facts;
    assess_facts_from_file(f, req->today, &facts);
    model_person_file_free(f);
    struct assess_result res;
    assess_evaluate(cat, &facts, &res);
    out->band = res.band;
    out->points = res.points;
    out->blocked = res.blocked;
    if (req->accept && res.blocked) {
        snprintf(out->override, sizeof out->override, "Aufnahme trotz Sperre %s",
                 cat->rules[res.gates[0]].id);
        if (cat->second_person &&
            (!req->second_login || strcmp(req->second_login, actor->login) == 0)) {
            snprintf(out->message, sizeof out->message,
                     "Aufnahme trotz Sperre %s: der Katalog verlangt eine zweite Person (nicht "
                     "dieselbe Kennung). Nichts gespeichert.",
                     cat->rules[res.gates[0]].id);
            return FN_INVALID;
        }
    } else if (!req->accept && !res.blocked && res.band == 'A') {
        snprintf(out->override, sizeof out->override, "Ablehnung trotz Band A (%d Punkte)",
                 res.points);
    }
    struct fn_buf trace;
    fn_buf_init(&trace, 64 * 1024);
    rc = assess_trace_json(cat, &facts, &res, &trace);
    char digest[65];
    assess_digest(cat, &res, fn_buf_str(&trace), digest);
    struct store_assessment as = {.person_id = req->person_id,
                                  .catalog_version = cat->version,
                                  .catalog_hash = cat->hash,
                                  .blocked = res.blocked,
                                  .band = res.band,
                                  .points = res.points,
                                  .feasibility = res.feasibility_band,
                                  .trace_json = fn_buf_str(&trace),
                                  .digest = digest};
    if (!rc)
        rc = store_begin(st);
    if (!rc) {
        rc = store_assessment_insert(st, actor, &as);
        struct store_decision dec = {.person_id = req->person_id,
                                     .assessment_id = as.id,
                                     .accept = req->accept,
                                     .reason = req->reason,
                                     .second_login = req->second_login,
                                     .override_kind = out->override[0] ? out->override : NULL};
        if (!rc)
            rc = store_decision_insert(st, actor, &dec);
        if (!rc)
            rc = store_commit(st);
        else
            store_rollback(st);
        out->decision_id = dec.id;
        out->assessment_id = as.id;
    }
    fn_buf_free(&trace);
    if (rc && !out->message[0])
        snprintf(out->message, sizeof out->message, "Speichern fehlgeschlagen.");
    return rc;
}
