/* reassess.c – re-assessment of queued persons (see reassess.h). */
#include "assess/reassess.h"

#include <string.h>

#include "core/buf.h"

#define TAKE 256

/* Assesses one person and stores the assessment if it changed. */
static fn_status reassess_one(struct store *st, const struct store_actor *actor,
                              const struct assess_catalog *cat, int32_t today, int64_t id,
                              struct fn_buf *trace, size_t *stored)
{
    struct model_person_file *f = NULL;
    fn_status rc = store_person_get(st, actor, id, &f);
    if (rc == FN_NOTFOUND)
        return FN_OK; /* deleted since it was queued */
    if (rc)
        return rc;
    struct assess_facts facts;
    assess_facts_from_file(f, today, &facts);
    model_person_file_free(f);
    struct assess_result r;
    assess_evaluate(cat, &facts, &r);
    fn_buf_reset(trace);
    rc = assess_trace_json(cat, &facts, &r, trace);
    if (rc)
        return rc;
    char digest[65], last[65];
    assess_digest(cat, &r, fn_buf_str(trace), digest);
    rc = store_assessment_latest_digest(st, id, last);
    if (rc == FN_OK && strcmp(last, digest) == 0)
        return FN_OK;
    if (rc != FN_OK && rc != FN_NOTFOUND)
        return rc;
    struct store_assessment as = {.person_id = id,
                                  .catalog_version = cat->version,
                                  .catalog_hash = cat->hash,
                                  .blocked = r.blocked,
                                  .band = r.band,
                                  .points = r.points,
                                  .feasibility = r.feasibility_band,
                                  .trace_json = fn_buf_str(trace),
                                  .digest = digest};
    rc = store_assessment_insert(st, actor, &as);
    if (!rc)
        (*stored)++;
    return rc;
}

fn_status assess_reassess_due(struct store *st, const struct store_actor *actor,
                              const struct assess_catalog *cat, int32_t today, size_t max,
                              size_t *assessed, size_t *stored)
{
    *assessed = 0;
    *stored = 0;
    struct fn_buf trace;
    fn_buf_init(&trace, 64 * 1024);
    int64_t ids[TAKE];
    fn_status rc = FN_OK;
    while (!rc && *assessed < max) {
        size_t n = 0;
        rc = store_assessment_due_take(st, ids, TAKE, &n);
        if (rc || !n)
            break;
        for (size_t i = 0; i < n && !rc; i++) {
            rc = reassess_one(st, actor, cat, today, ids[i], &trace, stored);
            (*assessed)++;
        }
    }
    fn_buf_free(&trace);
    return rc;
}
