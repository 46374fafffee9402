/* reassess.c – re-assessment of queued persons (see reassess.h). */
#include "assess/reassess.h"

#include "assess/assess_person.h"
#include "core/buf.h"

#define TAKE 256

/* Assesses one person and stores the assessment if it changed. */
static fn_status reassess_one(struct store *st, const struct store_actor *actor,
                              const struct assess_catalog *cat, int32_t today, int64_t id,
                              struct fn_buf *trace, size_t *stored)
{
    struct assess_person p;
    fn_status rc = assess_person(st, actor, cat, id, today, &p);
    if (rc == FN_NOTFOUND)
        return FN_OK; /* deleted since it was queued */
    if (!rc)
        rc = assess_person_keep(st, actor, cat, &p, trace, stored);
    assess_person_clear(&p);
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
