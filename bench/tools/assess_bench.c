/*
 * assess_bench.c – the assessment engine on 1,000,000 synthetic fact
 * vectors with the shipped catalogue: fallnetz-assess-bench CATALOG [N]
 * Measures the engine alone (facts already derived); see docs/benchmarks.md.
 */
#include <stdio.h>
#include <stdlib.h>

#include "assess/catalog.h"
#include "core/alloc.h"
#include "core/progress.h"
#include "demo/demo.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "Aufruf: fallnetz-assess-bench KATALOG [ANZAHL]\n");
        return 2;
    }
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 1000000;
    if (n <= 0)
        return 2;
    struct fn_buf errors;
    fn_buf_init(&errors, 65536);
    struct assess_catalog *c = NULL;
    if (assess_catalog_load(argv[1], &c, &errors) != FN_OK) {
        fputs(fn_buf_str(&errors), stderr);
        return 1;
    }
    fn_buf_free(&errors);
    struct assess_facts *facts = fn_calloc((size_t)n, sizeof *facts);
    if (!facts)
        return 1;
    struct demo_rng r;
    demo_rng_seed(&r, 1);
    for (long i = 0; i < n; i++) {
        facts[i].person_id = i + 1;
        for (int k = 0; k < F_COUNT; k++) {
            const struct assess_fact_def *d = assess_fact_def((enum assess_fact_id)k);
            facts[i].v[k] = d->type == FACT_BOOL ? (int32_t)demo_rng_chance(&r, 250)
                                                 : (int32_t)demo_rng_below(&r, 60) - 1;
        }
    }
    struct assess_result res;
    long blocked = 0, band_a = 0;
    double t0 = fn_now();
    for (long i = 0; i < n; i++) {
        assess_evaluate(c, &facts[i], &res);
        blocked += res.blocked;
        band_a += res.band == 'A';
    }
    double secs = fn_now() - t0;
    printf("assessed %ld persons with %zu rules in %.3f s = %.0f persons/s "
           "(blocked %ld, band A %ld)\n",
           n, c->nrules, secs, (double)n / secs, blocked, band_a);
    fn_free(facts);
    assess_catalog_free(c);
    return 0;
}
