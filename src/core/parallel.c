/* parallel.c – fixed ranges on several threads (parallel.h). */
#include "core/parallel.h"

#include <pthread.h>

struct range_job {
    fn_range_fn fn;
    void *ctx;
    int range;
    size_t from, to;
    fn_status rc;
};

static void *range_worker(void *arg)
{
    struct range_job *j = arg;
    j->rc = j->fn(j->ctx, j->range, j->from, j->to);
    return NULL;
}

fn_status fn_parallel_ranges(int threads, size_t n, fn_range_fn fn, void *ctx)
{
    if (threads < 1)
        threads = 1;
    if (threads > FN_PARALLEL_MAX)
        threads = FN_PARALLEL_MAX;
    struct range_job jobs[FN_PARALLEL_MAX];
    pthread_t tid[FN_PARALLEL_MAX];
    int started[FN_PARALLEL_MAX] = {0};
    size_t per = (n + (size_t)threads - 1) / (size_t)threads;
    for (int t = 0; t < threads; t++) {
        size_t from = (size_t)t * per, to = from + per;
        jobs[t] = (struct range_job){fn, ctx, t, from < n ? from : n, to < n ? to : n, FN_OK};
    }
    for (int t = 1; t < threads; t++)
        started[t] = !pthread_create(&tid[t], NULL, range_worker, &jobs[t]);
    range_worker(&jobs[0]);
    for (int t = 1; t < threads; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            range_worker(&jobs[t]); /* could not start: run here */
    }
    for (int t = 0; t < threads; t++)
        if (jobs[t].rc)
            return jobs[t].rc;
    return FN_OK;
}
