/*
 * gen_register.c – writes a synthetic register CSV in the exchange format
 * (for benchmarks): fallnetz-gen-register N [SEED] > register.csv
 * Realistic field lengths and value mix from the demo name material.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/csv.h"
#include "demo/demo.h"
#include "names/names.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "Aufruf: fallnetz-gen-register ANZAHL [STARTWERT] > datei.csv\n");
        return 2;
    }
    char *end = NULL;
    long n = strtol(argv[1], &end, 10);
    if (*end || n < 0) {
        fprintf(stderr, "ANZAHL muss eine Zahl sein\n");
        return 2;
    }
    unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
    struct demo_rng r;
    demo_rng_seed(&r, seed);
    static char iobuf[1 << 20];
    setvbuf(stdout, iobuf, _IOFBF, sizeof iobuf);
    struct fn_csv_writer w;
    if (fn_csv_writer_init(&w, stdout, 0) != FN_OK)
        return 1;
    const char *head[] = {"record_id",        "azr_nr",
                          "family_name",      "given_names",
                          "birth_name",       "sex",
                          "birth_date",       "birth_place",
                          "birth_country",    "nationality",
                          "residence_status", "residence_since",
                          "identity_status",  "address_street",
                          "address_postcode", "address_municipality",
                          "authority",        "updated_at",
                          "aliases"};
    if (fn_csv_put_row(&w, head, 19) != FN_OK)
        return 1;
    static const char *const statuses[] = {"ausreisepflichtig", "duldung", "gestattung",
                                           "aufenthaltserlaubnis", "niederlassungserlaubnis"};
    static const char *const ident[] = {"geklaert", "ungeklaert", "in_klaerung"};
    const struct names_municipality *m = NULL;
    size_t nm = names_municipalities(&m);
    const char *const *streets = NULL;
    size_t ns = names_streets(&streets);
    for (long i = 1; i <= n; i++) {
        enum names_population pop =
            (enum names_population)demo_rng_below(&r, NAMES_POPULATION_COUNT);
        const struct names_population_info *info = names_population(pop);
        const struct names_entry *fam = NULL, *giv = NULL, *pl = NULL;
        size_t nf = names_family(pop, &fam);
        char sex = demo_rng_chance(&r, 850) ? 'm' : 'f';
        size_t ng = names_given(pop, sex, &giv);
        size_t np = names_places(pop, &pl);
        char rid[24], azr[16], bd[16], since[16], street[96], upd[32], auth[16], giv2[128];
        snprintf(rid, sizeof rid, "L%09ld", i);
        snprintf(azr, sizeof azr, "%012llu",
                 (unsigned long long)(100000000000ull + demo_rng_next(&r) % 899999999999ull));
        unsigned y = 1960 + demo_rng_below(&r, 46), mo = 1 + demo_rng_below(&r, 12),
                 d = 1 + demo_rng_below(&r, 28);
        if (demo_rng_chance(&r, 150))
            snprintf(bd, sizeof bd, "%u-01-01", y);
        else if (demo_rng_chance(&r, 80))
            snprintf(bd, sizeof bd, "%u-00-00", y);
        else
            snprintf(bd, sizeof bd, "%u-%02u-%02u", y, mo, d);
        snprintf(since, sizeof since, "%u-%02u-%02u", 2015 + demo_rng_below(&r, 11), mo, d);
        size_t mi = demo_rng_below(&r, (uint32_t)nm);
        snprintf(street, sizeof street, "%s %u", streets[demo_rng_below(&r, (uint32_t)ns)],
                 1 + demo_rng_below(&r, 150));
        snprintf(upd, sizeof upd, "2026-%02u-%02uT10:%02u:00Z", 1 + demo_rng_below(&r, 10), d,
                 demo_rng_below(&r, 60));
        snprintf(auth, sizeof auth, "ABH-%s", m[mi].postcode);
        const char *g1 = giv[demo_rng_below(&r, (uint32_t)ng)].latin[0];
        if (demo_rng_chance(&r, 400))
            snprintf(giv2, sizeof giv2, "%s %s", g1,
                     giv[demo_rng_below(&r, (uint32_t)ng)].latin[0]);
        else
            snprintf(giv2, sizeof giv2, "%s", g1);
        const char *sexs = sex == 'm' ? "m" : "f";
        const char *fields[19] = {rid,
                                  demo_rng_chance(&r, 900) ? azr : "",
                                  fam[demo_rng_below(&r, (uint32_t)nf)].latin[0],
                                  giv2,
                                  "",
                                  sexs,
                                  bd,
                                  pl[demo_rng_below(&r, (uint32_t)np)].latin[0],
                                  info->iso3[0],
                                  info->iso3[0],
                                  statuses[demo_rng_below(&r, 5)],
                                  since,
                                  ident[demo_rng_below(&r, 3)],
                                  street,
                                  m[mi].postcode,
                                  m[mi].name,
                                  auth,
                                  upd,
                                  ""};
        if (fn_csv_put_row(&w, fields, 19) != FN_OK)
            return 1;
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
