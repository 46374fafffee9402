/* assess_all.c – assess everyone in scope, counting and optionally keeping
 * changed assessments (see assess_all.h). */
#include "assess/assess_all.h"

#include <pthread.h>
#include <string.h>

#include "assess/assess_person.h"
#include "core/buf.h"

#define KEEP_COMMIT_EVERY 2000

/* One walk's state; a thread has its own. */
struct walk {
    const struct assess_catalog *c;
    const struct store_actor *a;
    struct store *writer;         /* NULL: count only */
    struct fn_progress *progress; /* NULL: silent */
    struct fn_buf *trace;         /* scratch for keeping */
    long in_tx;                   /* rows stored in the open transaction */
    struct assess_tally tally;
};

/* Stores p's assessment on the writer when it changed, in transactions of
 * KEEP_COMMIT_EVERY rows; borrows w and p. */
static fn_status keep_changed(struct walk *w, const struct assess_person *p)
{
    char digest[65];
    struct store_assessment as;
    int changed = 0;
    fn_status rc = assess_person_row(w->c, p, w->trace, digest, &as);
    if (!rc)
        rc = assess_person_changed(w->writer, &as, &changed);
    if (rc || !changed)
        return rc; /* unchanged: the stored assessment still holds */
    if (!w->in_tx) {
        rc = store_begin(w->writer);
        if (rc)
            return rc;
    }
    rc = store_assessment_insert(w->writer, w->a, &as);
    if (rc)
        return rc;
    w->tally.stored++;
    if (++w->in_tx == KEEP_COMMIT_EVERY) {
        w->in_tx = 0;
        return store_commit(w->writer);
    }
    return FN_OK;
}

static fn_status count_one(void *vw, const struct assess_person *p)
{
    struct walk *w = vw;
    w->tally.total++;
    w->tally.blocked += p->result.blocked;
    w->tally.unresolved += p->result.nunresolved > 0;
    w->tally.band[p->result.band - 'A']++;
    if (w->progress && (w->tally.total & 4095) == 0)
        fn_progress_update(w->progress, (unsigned long long)w->tally.total);
    return w->writer ? keep_changed(w, p) : FN_OK;
}

struct range_job {
    const char *db_path;
    struct walk w;
    int32_t today;
    int64_t lo, hi;
    fn_status rc;
};

static void *range_main(void *arg)
{
    struct range_job *j = arg;
    struct store *st = NULL;
    j->rc = store_open(j->db_path, 0, &st);
    if (!j->rc)
        j->rc = assess_persons_range(st, j->w.a, j->w.c, j->today, j->lo, j->hi, count_one, &j->w);
    store_close(st);
    return NULL;
}

/* Two threads, each with its own handle, over two halves of the id range. */
static fn_status count_parallel(struct store *st, const struct walk *proto, int32_t today,
                                const char *db_path, struct assess_tally *out)
{
    int64_t max_id = 0;
    fn_status rc = store_max_person_id(st, &max_id);
    if (rc)
        return rc;
    struct range_job jobs[2];
    pthread_t tid[2];
    for (int i = 0; i < 2; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].db_path = db_path;
        jobs[i].w = *proto;
        jobs[i].w.progress = i == 0 ? proto->progress : NULL;
        jobs[i].today = today;
        jobs[i].lo = i == 0 ? 1 : max_id / 2 + 1;
        jobs[i].hi = i == 0 ? max_id / 2 : INT64_MAX;
    }
    int started = 0;
    for (int i = 0; i < 2; i++)
        if (pthread_create(&tid[i], NULL, range_main, &jobs[i]) == 0)
            started |= 1 << i;
        else
            jobs[i].rc = FN_INTERNAL;
    for (int i = 0; i < 2; i++)
        if (started & (1 << i))
            pthread_join(tid[i], NULL);
    for (int i = 0; i < 2; i++) {
        if (jobs[i].rc)
            return jobs[i].rc;
        for (int b = 0; b < 3; b++)
            out->band[b] += jobs[i].w.tally.band[b];
        out->blocked += jobs[i].w.tally.blocked;
        out->unresolved += jobs[i].w.tally.unresolved;
        out->total += jobs[i].w.tally.total;
    }
    return FN_OK;
}

fn_status assess_all(struct store *st, const struct store_actor *a, const struct assess_catalog *c,
                     int32_t today, const struct assess_all_options *opt, struct assess_tally *out)
{
    memset(out, 0, sizeof *out);
    struct fn_buf trace;
    fn_buf_init(&trace, 64 * 1024);
    struct walk w = {
        .c = c, .a = a, .writer = opt->writer, .progress = opt->progress, .trace = &trace};
    fn_status rc;
    if (!opt->writer && opt->threads == 2) {
        rc = count_parallel(st, &w, today, opt->db_path, out);
    } else {
        rc = assess_persons_range(st, a, c, today, 1, INT64_MAX, count_one, &w);
        *out = w.tally;
    }
    if (opt->writer && w.in_tx) {
        if (rc)
            store_rollback(opt->writer);
        else
            rc = store_commit(opt->writer);
    }
    fn_buf_free(&trace);
    return rc;
}
