/* assess_person.c – read a person's facts and evaluate the catalogue, once,
 * for every caller (see assess_person.h). */
#include "assess/assess_person.h"

#include <assert.h>
#include <string.h>

#include "core/alloc.h"

/* A copy of s, or NULL for NULL; *failed is set when the copy failed. */
static char *copy_or_null(const char *s, int *failed)
{
    if (!s)
        return NULL;
    char *copy = fn_strdup(s);
    if (!copy)
        *failed = 1;
    return copy;
}

fn_status assess_person(struct store *st, const struct store_actor *a,
                        const struct assess_catalog *c, int64_t person_id, int32_t today,
                        struct assess_person *out)
{
    assert(c && out);
    memset(out, 0, sizeof *out);
    struct model_person_file *f = NULL;
    /* reading a person is not enough: the role must grant assessments */
    fn_status rc = store_may_assess(st, a);
    if (!rc)
        rc = store_person_get(st, a, person_id, &f);
    if (rc)
        goto out;
    int failed = 0;
    out->person_id = person_id;
    out->family_name = copy_or_null(f->person->family_name, &failed);
    out->given_names = copy_or_null(f->person->given_names, &failed);
    if (failed) {
        rc = FN_NOMEM;
        goto out;
    }
    assess_facts_from_file(f, today, &out->facts);
    assess_evaluate(c, &out->facts, &out->result);
out:
    model_person_file_free(f);
    if (rc)
        assess_person_clear(out);
    return rc;
}

void assess_person_clear(struct assess_person *p)
{
    if (!p)
        return;
    fn_free(p->family_name);
    fn_free(p->given_names);
    memset(p, 0, sizeof *p);
}

struct range_walk {
    const struct assess_catalog *c;
    int32_t today;
    assess_person_fn fn;
    void *ctx;
};

/* One person of the bulk walk: the same derivation as assess_person, with
 * the names borrowed from the file the store holds during the call. */
static fn_status assess_file(void *vwalk, const struct model_person_file *f)
{
    const struct range_walk *walk = vwalk;
    struct assess_person p = {.person_id = f->person->id,
                              .family_name = f->person->family_name,
                              .given_names = f->person->given_names};
    assess_facts_from_file(f, walk->today, &p.facts);
    assess_evaluate(walk->c, &p.facts, &p.result);
    return walk->fn(walk->ctx, &p);
}

fn_status assess_persons_range(struct store *st, const struct store_actor *a,
                               const struct assess_catalog *c, int32_t today, int64_t lo_id,
                               int64_t hi_id, assess_person_fn fn, void *ctx)
{
    assert(c && fn);
    struct range_walk walk = {.c = c, .today = today, .fn = fn, .ctx = ctx};
    fn_status rc = store_may_assess(st, a);
    return rc ? rc : store_person_files_range(st, a, lo_id, hi_id, assess_file, &walk);
}

fn_status assess_person_row(const struct assess_catalog *c, const struct assess_person *p,
                            struct fn_buf *trace, char digest[65], struct store_assessment *row)
{
    fn_buf_reset(trace);
    fn_status rc = assess_trace_json(c, &p->facts, &p->result, trace);
    assess_digest(c, &p->result, fn_buf_str(trace), digest);
    *row = (struct store_assessment){.person_id = p->person_id,
                                     .catalog_version = c->version,
                                     .catalog_hash = c->hash,
                                     .blocked = p->result.blocked,
                                     .band = p->result.band,
                                     .points = p->result.points,
                                     .feasibility = p->result.feasibility_band,
                                     .trace_json = fn_buf_str(trace),
                                     .digest = digest};
    return rc;
}

fn_status assess_person_changed(struct store *st, const struct store_assessment *row, int *changed)
{
    char last[65];
    *changed = 1;
    fn_status rc = store_assessment_latest_digest(st, row->person_id, last);
    if (rc == FN_NOTFOUND)
        return FN_OK;
    if (rc)
        return rc;
    *changed = strcmp(last, row->digest) != 0;
    return FN_OK;
}

fn_status assess_person_keep(struct store *st, const struct store_actor *a,
                             const struct assess_catalog *c, const struct assess_person *p,
                             struct fn_buf *trace, size_t *stored)
{
    char digest[65];
    struct store_assessment row;
    int changed = 0;
    fn_status rc = assess_person_row(c, p, trace, digest, &row);
    if (!rc)
        rc = assess_person_changed(st, &row, &changed);
    if (rc || !changed)
        return rc;
    rc = store_assessment_insert(st, a, &row);
    if (!rc)
        (*stored)++;
    return rc;
}
