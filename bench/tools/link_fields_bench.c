/*
 * link_fields_bench.c – throughput of the linkage field level:
 * name keys for Latin and for other scripts, and name comparisons.
 * Usage: fallnetz-link-fields-bench
 */
#include <stdio.h>
#include <string.h>

#include "core/progress.h"
#include "link/compare.h"
#include "link/normalize.h"

int main(void)
{
    struct link_translit *t = NULL;
    if (link_translit_new(&t) != FN_OK)
        return 1;
    const char *latin[] = {"Mohammed Ali", "Hüseyin Öztürk", "Al-Hassan",
                           "Abdulaziz",    "Kovačević",      "Müller-Lüdenscheidt"};
    const char *other[] = {"Щербаков", "محمد عبد الله", "ბერიძე", "Джабраилов"};
    struct link_name_keys k, k2;
    long n = 0, bad = 0;
    double t0 = fn_now();
    for (int r = 0; r < 600000; r++, n++)
        bad += link_name_keys_make(t, latin[r % 6], strlen(latin[r % 6]), &k) != FN_OK;
    double t1 = fn_now();
    printf("name keys, Latin script: %.0f/s\n", (double)n / (t1 - t0));
    n = 0;
    t0 = fn_now();
    for (int r = 0; r < 60000; r++, n++)
        bad += link_name_keys_make(t, other[r % 4], strlen(other[r % 4]), &k) != FN_OK;
    t1 = fn_now();
    printf("name keys, other scripts (ICU): %.0f/s\n", (double)n / (t1 - t0));
    bad += link_name_keys_make(t, "Mohammed Ali", 12, &k) != FN_OK;
    bad += link_name_keys_make(t, "Muhammad Aly", 12, &k2) != FN_OK;
    volatile int sink = 0;
    n = 0;
    t0 = fn_now();
    for (int r = 0; r < 5000000; r++, n++)
        sink += (int)link_compare_names(&k, &k2, NULL);
    t1 = fn_now();
    printf("name comparisons (all keys + token-set Jaro-Winkler): %.0f/s, %.0f ns each\n",
           (double)n / (t1 - t0), 1e9 * (t1 - t0) / (double)n);
    link_translit_free(t);
    return bad ? 1 : 0;
}
