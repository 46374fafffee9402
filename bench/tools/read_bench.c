/*
 * read_bench.c – audited reads through the store, without HTTP:
 * fallnetz-read-bench DB THREADS SECONDS
 * Each thread opens its own handle and reads random persons' whole files;
 * every read writes its audit row (group commit).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/progress.h"
#include "demo/demo.h"
#include "store/store.h"

struct worker {
    const char *db;
    double seconds;
    int64_t max_id;
    long reads;
    unsigned seed;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    struct store *st = NULL;
    if (store_open(w->db, 0, &st) != FN_OK)
        return NULL;
    struct store_actor a = {.login = "bench", .purpose = "Lasttest"};
    struct demo_rng r;
    demo_rng_seed(&r, w->seed);
    double end = fn_now() + w->seconds;
    while (fn_now() < end) {
        for (int i = 0; i < 100; i++) {
            struct model_person_file *f = NULL;
            int64_t id = 1 + (int64_t)demo_rng_below(&r, (uint32_t)w->max_id);
            if (store_person_get(st, &a, id, &f) == FN_OK)
                w->reads++;
            model_person_file_free(f);
        }
    }
    store_close(st);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "Aufruf: fallnetz-read-bench DB THREADS SECONDS\n");
        return 2;
    }
    int threads = atoi(argv[2]); /* lint: allow (benchmark argument) */
    double secs = strtod(argv[3], NULL);
    struct store *st = NULL;
    int64_t n = 0;
    if (store_open(argv[1], 0, &st) != FN_OK || store_person_count(st, &n) != FN_OK || n < 1) {
        fprintf(stderr, "Datenbank %s nicht lesbar oder leer\n", argv[1]);
        return 1;
    }
    store_close(st);
    pthread_t tid[64];
    struct worker w[64];
    if (threads < 1 || threads > 64)
        return 2;
    for (int i = 0; i < threads; i++) {
        w[i] =
            (struct worker){.db = argv[1], .seconds = secs, .max_id = n, .seed = 7u + (unsigned)i};
        pthread_create(&tid[i], NULL, work, &w[i]);
    }
    long total = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(tid[i], NULL);
        total += w[i].reads;
    }
    printf("audited reads: %ld in %.1f s with %d threads = %.0f reads/s\n", total, secs, threads,
           (double)total / secs);
    return 0;
}
