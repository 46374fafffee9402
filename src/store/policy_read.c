/*
 * policy_read.c – reading persons, cases and decisions above the backends:
 * the actor check, need-to-know scope (resolved here, handed to the backend
 * as a struct store_scope it turns into its query) and the audit row of
 * every read ("query" or "disclose" naming the persons), written to the
 * read spool (audit_append_read) as before the split. The backend returns
 * only rows in scope; a page or list stays one indexed query.
 */
#include <stdio.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "store/backend.h"
#include "store/chain.h"
#include "store/scope.h"
#include "store/store_int.h"

/* Persons per audit row of a walk over many persons. */
#define WALK_CHUNK 10000

/* Appends id to a list of ids and ranges ("1-5,9"), merging consecutive ids;
 * flush writes out the open run. */
static fn_status ids_add(struct fn_buf *b, int64_t *run_lo, int64_t *run_hi, int64_t id, int flush)
{
    fn_status rc = FN_OK;
    if (!flush && *run_hi && id == *run_hi + 1) {
        *run_hi = id;
        return FN_OK;
    }
    if (*run_hi) {
        if (b->len)
            rc = fn_buf_append_char(b, ',');
        if (!rc && *run_lo == *run_hi)
            rc = fn_buf_appendf(b, "%lld", (long long)*run_lo);
        else if (!rc)
            rc = fn_buf_appendf(b, "%lld-%lld", (long long)*run_lo, (long long)*run_hi);
    }
    *run_lo = *run_hi = flush ? 0 : id;
    return rc;
}

/* Audits the read of one person (entity "person", kind "query"). */
static fn_status audit_one(struct store *st, const struct store_actor *a, int64_t person_id,
                           const char *details)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)person_id);
    struct audit_entry e = {
        .actor = a, .kind = AUDIT_QUERY, .entity = "person", .record_ids = ids, .details = details};
    return audit_append_read(st, &e);
}

fn_status store_person_get(struct store *st, const struct store_actor *a, int64_t id,
                           struct model_person_file **out)
{
    *out = NULL;
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_READ, &scope);
    if (rc)
        return rc;
    struct model_person_file *f = NULL;
    rc = st->ops->person_get(st, &scope, id, &f);
    if (!rc)
        rc = audit_one(st, a, id, NULL);
    if (rc)
        model_person_file_free(f);
    else
        *out = f;
    return rc;
}

fn_status store_person_find(struct store *st, const struct store_actor *a, const char *record_id,
                            int64_t *id)
{
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_READ, &scope);
    if (rc)
        return rc;
    rc = st->ops->person_find(st, &scope, record_id, id);
    if (rc)
        return rc;
    return audit_one(st, a, *id, NULL);
}

fn_status store_person_list(struct store *st, const struct store_actor *a, int64_t authority_id,
                            int64_t after_id, size_t limit, struct store_person_summary **out,
                            size_t *n)
{
    *out = NULL;
    *n = 0;
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_READ, &scope);
    if (rc)
        return rc;
    if (limit == 0 || limit > 10000)
        return FN_INVALID;
    /* The persons "of" an RRK or ZAB are those of every authority of its
     * region (the regional worklist); of any other organisation, its own;
     * with no organisation given, every person in scope. */
    struct store_scope of = {.all = authority_id == 0, .org_id = authority_id};
    if (authority_id > 0) {
        int kind = 0;
        rc = store_scope_org(st, authority_id, &of.region_id, &kind);
        if (rc == FN_NOTFOUND)
            rc = FN_OK;
        if (rc)
            return rc;
        if (kind != ORG_RRK && kind != ORG_ZAB)
            of.region_id = 0;
    }
    struct store_person_summary *arr = fn_calloc(limit, sizeof *arr);
    struct fn_buf ids;
    fn_buf_init(&ids, 1024 * 1024);
    int64_t lo = 0, hi = 0;
    size_t count = 0;
    if (!arr)
        return FN_NOMEM;
    rc = st->ops->person_list(st, &scope, &of, after_id, limit, arr, &count);
    for (size_t i = 0; !rc && i < count; i++)
        rc = ids_add(&ids, &lo, &hi, arr[i].id, 0);
    if (!rc)
        rc = ids_add(&ids, &lo, &hi, 0, 1);
    if (!rc && count) {
        struct audit_entry e = {.actor = a,
                                .kind = AUDIT_DISCLOSE,
                                .entity = "person",
                                .record_ids = fn_buf_str(&ids),
                                .details = "{\"ansicht\":\"liste\"}"};
        rc = audit_append_read(st, &e);
    }
    if (!rc) {
        *out = arr;
        *n = count;
        arr = NULL;
    }
    fn_buf_free(&ids);
    fn_free(arr);
    return rc;
}

/* A walk over many persons: notes each id before the caller's callback
 * sees the person (a callback that fails has still received it, and that
 * is a disclosure) and writes one audit row per WALK_CHUNK persons. */
struct read_walk {
    struct store *st;
    const struct store_actor *a;
    enum store_audit_kind kind;
    struct fn_buf ids;
    int64_t lo, hi, in_chunk;
    store_person_fn person_fn;
    store_person_file_fn file_fn;
    void *ctx;
};

static void walk_init(struct read_walk *w, struct store *st, const struct store_actor *a,
                      enum store_audit_kind kind, void *ctx)
{
    *w = (struct read_walk){.st = st, .a = a, .kind = kind, .ctx = ctx};
    fn_buf_init(&w->ids, 4 * 1024 * 1024);
}

/* Writes the audit row for the ids noted so far (none: no row). The ids
 * are kept when the row could not be written, for the final attempt. */
static fn_status walk_audit(struct read_walk *w)
{
    fn_status rc = ids_add(&w->ids, &w->lo, &w->hi, 0, 1);
    if (!rc && w->ids.len) {
        struct audit_entry e = {
            .actor = w->a, .kind = w->kind, .entity = "person", .record_ids = fn_buf_str(&w->ids)};
        rc = audit_append_read(w->st, &e);
    }
    if (!rc)
        fn_buf_reset(&w->ids);
    return rc;
}

/* After the callback for one person returned rc. */
static fn_status walk_after(struct read_walk *w, fn_status rc)
{
    if (rc || ++w->in_chunk < WALK_CHUNK)
        return rc;
    w->in_chunk = 0;
    return walk_audit(w);
}

static fn_status walk_person(void *ctx, const struct model_person *p)
{
    struct read_walk *w = ctx;
    fn_status rc = ids_add(&w->ids, &w->lo, &w->hi, p->id, 0);
    if (!rc)
        rc = w->person_fn(w->ctx, p);
    return walk_after(w, rc);
}

static fn_status walk_file(void *ctx, const struct model_person_file *f)
{
    struct read_walk *w = ctx;
    fn_status rc = ids_add(&w->ids, &w->lo, &w->hi, f->person->id, 0);
    if (!rc)
        rc = w->file_fn(w->ctx, f);
    return walk_after(w, rc);
}

/* Ends a walk that returned rc: everything handed out is audited, also
 * when the walk stopped early. Returns rc, else the audit's result. */
static fn_status walk_finish(struct read_walk *w, fn_status rc)
{
    fn_status arc = walk_audit(w);
    if (rc && arc)
        fprintf(stderr, "fallnetz: Protokollzeile fehlgeschlagen\n");
    fn_buf_free(&w->ids);
    return rc ? rc : arc;
}

fn_status store_person_each(struct store *st, const struct store_actor *a, store_person_fn fn,
                            void *ctx)
{
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_READ, &scope);
    if (rc)
        return rc;
    struct read_walk w;
    walk_init(&w, st, a, AUDIT_DISCLOSE, ctx);
    w.person_fn = fn;
    rc = st->ops->person_each(st, &scope, walk_person, &w);
    return walk_finish(&w, rc);
}

fn_status store_person_files_range(struct store *st, const struct store_actor *a, int64_t lo_id,
                                   int64_t hi_id, store_person_file_fn fn, void *ctx)
{
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_READ, &scope);
    if (rc)
        return rc;
    struct read_walk w;
    walk_init(&w, st, a, AUDIT_QUERY, ctx);
    w.file_fn = fn;
    rc = st->ops->person_files_range(st, &scope, lo_id, hi_id, walk_file, &w);
    return walk_finish(&w, rc);
}

fn_status store_person_files_each(struct store *st, const struct store_actor *a,
                                  store_person_file_fn fn, void *ctx)
{
    return store_person_files_range(st, a, 1, INT64_MAX, fn, ctx);
}

fn_status store_case_get(struct store *st, const struct store_actor *a, int64_t case_id,
                         struct model_case_file **out)
{
    *out = NULL;
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_READ, &scope);
    if (rc)
        return rc;
    struct model_case_file *f = NULL;
    rc = st->ops->case_get(st, &scope, case_id, &f);
    if (!rc) {
        char details[64];
        snprintf(details, sizeof details, "{\"fall\":%lld}", (long long)case_id);
        rc = audit_one(st, a, f->kase.person_id, details);
    }
    if (rc)
        model_case_file_free(f);
    else
        *out = f;
    return rc;
}

/* store_decisions_each's walk: the persons named, in order, for its one
 * audit row. */
struct decision_walk {
    struct fn_buf ids;
    store_decision_fn fn;
    void *ctx;
};

static fn_status decision_seen(void *ctx, const struct store_decision_row *row)
{
    struct decision_walk *w = ctx;
    fn_status rc =
        fn_buf_appendf(&w->ids, "%s%lld", w->ids.len ? "," : "", (long long)row->person_id);
    if (!rc)
        rc = w->fn(w->ctx, row);
    return rc;
}

fn_status store_decisions_each(struct store *st, const struct store_actor *a, store_decision_fn fn,
                               void *ctx)
{
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_DECIDE, &scope);
    if (rc)
        return rc;
    struct decision_walk w = {.fn = fn, .ctx = ctx};
    fn_buf_init(&w.ids, 4 * 1024 * 1024);
    rc = st->ops->decisions_each(st, &scope, decision_seen, &w);
    if (!rc && w.ids.len) {
        struct audit_entry e = {.actor = a,
                                .kind = AUDIT_DISCLOSE,
                                .entity = "person",
                                .record_ids = fn_buf_str(&w.ids),
                                .details = "{\"auswertung\":\"entscheidungen\"}"};
        rc = audit_append_read(st, &e);
    }
    fn_buf_free(&w.ids);
    return rc;
}
