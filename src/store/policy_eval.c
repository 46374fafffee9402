/*
 * policy_eval.c – the evaluation's read above the backends (store.h,
 * store_eval_each): the actor's scope for aggregates, the filter checked and
 * turned into bounds, both streams in one read snapshot, and one audit row
 * naming the filter and how many persons and decisions were counted.
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/escape.h"
#include "core/pdate.h"
#include "store/backend.h"
#include "store/chain.h"
#include "store/scope.h"
#include "store/eval_sql.h"
#include "store/spool.h"
#include "store/store_int.h"

/* 1 when s is a full date "YYYY-MM-DD". */
static int full_date(const char *s)
{
    struct fn_pdate d;
    return strlen(s) == 10 && fn_pdate_parse(s, 10, &d) == FN_OK &&
           fn_pdate_precision(&d) == FN_PDATE_DAY;
}

/* Finds the region of code through the organisations (reference data). */
struct region_lookup {
    const char *code;
    int64_t id;
};

static fn_status region_seen(void *ctx, const struct model_org *o, const char *region_code)
{
    struct region_lookup *l = ctx;
    if (!l->id && o->region_id && strcmp(region_code, l->code) == 0)
        l->id = o->region_id;
    return FN_OK;
}

/* Counts what passes to the caller, for the audit row. */
struct eval_count {
    const struct eval_sink *sink;
    int64_t decisions, persons;
};

static fn_status count_decision(void *ctx, const struct store_eval_decision *d)
{
    struct eval_count *c = ctx;
    c->decisions += 1 + d->earlier;
    return c->sink->dfn(c->sink->ctx, d);
}

static fn_status count_person(void *ctx, const struct store_eval_person *p)
{
    struct eval_count *c = ctx;
    c->persons++;
    return c->sink->pfn(c->sink->ctx, p);
}

/* The audit details: {"auswertung":"evaluation","von":…,"bis":…,
 * "region":…,"personen":N,"entscheidungen":M}. */
static fn_status eval_details(struct fn_buf *b, const struct store_eval_filter *f,
                              const struct eval_count *c)
{
    const char *keys[] = {"von", "bis", "region"};
    const char *vals[] = {f->from, f->to, f->region};
    fn_status rc = fn_buf_append_str(b, "{\"auswertung\":\"evaluation\"");
    for (size_t i = 0; i < 3 && !rc; i++) {
        rc = fn_buf_appendf(b, ",\"%s\":", keys[i]);
        if (!rc)
            rc = vals[i] ? fn_json_string(b, vals[i]) : fn_buf_append_str(b, "null");
    }
    if (!rc)
        rc = fn_buf_appendf(b, ",\"personen\":%lld,\"entscheidungen\":%lld}", (long long)c->persons,
                            (long long)c->decisions);
    return rc;
}

fn_status store_eval_each(struct store *st, const struct store_actor *a,
                          const struct store_eval_filter *f, store_eval_decision_fn dfn,
                          store_eval_person_fn pfn, void *ctx)
{
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_STATS, &scope);
    if (rc)
        return rc;
    if ((f->from && !full_date(f->from)) || (f->to && !full_date(f->to)) ||
        (f->from && f->to && strcmp(f->from, f->to) > 0))
        return FN_INVALID;
    struct region_lookup region = {.code = f->region};
    if (f->region) {
        rc = st->ops->org_each(st, region_seen, &region);
        if (rc)
            return rc;
        if (!region.id)
            return FN_NOTFOUND;
    }
    /* decision.at and assessment.at are "YYYY-MM-DDTHH:MM:SSZ": the day
     * alone sorts before every time of that day, "T99" after */
    char from_at[16], to_at[16];
    snprintf(from_at, sizeof from_at, "%s", f->from ? f->from : "");
    snprintf(to_at, sizeof to_at, "%sT99", f->to ? f->to : "9999-12-31");
    const struct eval_sink sink = {.dfn = dfn, .pfn = pfn, .ctx = ctx};
    struct eval_count count = {.sink = &sink};
    rc = st->ops->read_begin(st);
    if (rc)
        return rc;
    rc = st->ops->eval_each(st, &scope, from_at, to_at, region.id, count_decision, count_person,
                            &count);
    st->ops->read_end(st);
    if (rc)
        return rc;
    struct fn_buf details;
    fn_buf_init(&details, 1024);
    rc = eval_details(&details, f, &count);
    if (!rc) {
        struct audit_entry e = {.actor = a,
                                .kind = AUDIT_QUERY,
                                .entity = "person",
                                .record_ids = NULL,
                                .details = fn_buf_str(&details)};
        rc = audit_append_read(st, &e);
    }
    fn_buf_free(&details);
    return rc;
}
