/*
 * gen_pairs.c – synthetic register pairs with truth files for the linkage
 * benchmarks: a local register and an AZR export describing the same
 * synthetic people, with discrepancies of the kinds domain.md § 1.3 and the
 * register spec describe, plus the truth (which records belong together and
 * which fields differ).
 *
 *   fallnetz-gen-pairs N SEED easy|hard OUTDIR
 *
 * writes OUTDIR/local.csv, OUTDIR/azr.csv, OUTDIR/truth_matches.csv
 * (local_id, azr_id) and OUTDIR/truth_diffs.csv (local_id, azr_id, field).
 * easy: ~10 % of pairs discrepant (one or two changes), 10 % without AZR
 * number locally. hard: 40 % of pairs without AZR number, 25 % moved, ~35 %
 * discrepant with two to four changes, more relatives with shared names.
 * The truth diffs are computed from the final values (case and surrounding
 * blanks ignored), so they are exactly the substantive differences.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "demo/demo.h"
#include "names/names.h"

#define NCOL 19
#define VLEN 160
enum {
    C_ID,
    C_AZR,
    C_FAM,
    C_GIV,
    C_BNAME,
    C_SEX,
    C_BDATE,
    C_PLACE,
    C_BCOUNTRY,
    C_NAT,
    C_RSTATUS,
    C_RSINCE,
    C_IDSTATUS,
    C_STREET,
    C_POSTCODE,
    C_MUNI,
    C_AUTH,
    C_UPDATED,
    C_ALIASES
};
static const char *const head[NCOL] = {"record_id",        "azr_nr",
                                       "family_name",      "given_names",
                                       "birth_name",       "sex",
                                       "birth_date",       "birth_place",
                                       "birth_country",    "nationality",
                                       "residence_status", "residence_since",
                                       "identity_status",  "address_street",
                                       "address_postcode", "address_municipality",
                                       "authority",        "updated_at",
                                       "aliases"};

struct rec {
    char v[NCOL][VLEN];
};

static struct demo_rng rng;

static uint32_t below(uint32_t n)
{
    return n ? demo_rng_below(&rng, n) : 0;
}
static int chance(uint32_t permille)
{
    return demo_rng_chance(&rng, permille);
}

static const struct names_entry *pick(const struct names_entry *t, size_t n)
{
    uint64_t total = 0;
    for (size_t k = 0; k < n; k++)
        total += t[k].weight;
    uint64_t x = demo_rng_next(&rng) % (total ? total : 1);
    for (size_t k = 0; k < n; k++) {
        if (x < t[k].weight)
            return &t[k];
        x -= t[k].weight;
    }
    return &t[0];
}

static size_t nvariants(const struct names_entry *e)
{
    size_t n = 0;
    while (e->latin[n])
        n++;
    return n;
}

/* Spelling as written in one register: mostly the common one. */
static const char *spelling(const struct names_entry *e)
{
    size_t n = nvariants(e);
    return n > 1 && chance(250) ? e->latin[1 + below((uint32_t)n - 1)] : e->latin[0];
}

/* A different spelling of the same name, or NULL when there is none. */
static const char *other_spelling(const struct names_entry *e, const char *cur)
{
    size_t n = nvariants(e);
    for (int tries = 0; tries < 8; tries++) {
        const char *s = e->latin[below((uint32_t)n)];
        if (strcmp(s, cur))
            return s;
    }
    return NULL;
}

static void set(struct rec *r, int c, const char *s)
{
    snprintf(r->v[c], VLEN, "%s", s);
}

static void typo(char *s)
{
    size_t n = strlen(s);
    if (n < 4)
        return;
    size_t k = 1 + below((uint32_t)n - 2);
    if ((unsigned char)s[k] >= 0x80 || (unsigned char)s[k + 1] >= 0x80 ||
        (unsigned char)s[k - 1] >= 0x80)
        return;
    switch (below(3)) {
    case 0: { /* transposition */
        char t = s[k];
        s[k] = s[k + 1];
        s[k + 1] = t;
        break;
    }
    case 1: /* substitution */
        s[k] = (char)('a' + below(26));
        break;
    default: /* deletion */
        memmove(s + k, s + k + 1, n - k);
    }
}

static int fold_equal(const char *a, const char *b)
{
    while (*a == ' ')
        a++;
    while (*b == ' ')
        b++;
    size_t la = strlen(a), lb = strlen(b);
    while (la && a[la - 1] == ' ')
        la--;
    while (lb && b[lb - 1] == ' ')
        lb--;
    if (la != lb)
        return 0;
    for (size_t k = 0; k < la; k++) {
        char x = a[k], y = b[k];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

struct person {
    enum names_population pop;
    char sex;
    const struct names_entry *fam, *giv[3], *place;
    int ngiv;
    unsigned y, m, d;
    int date_kind; /* 0 full, 1 year only (00), 2 placeholder 01-01 */
};

static void base_record(const struct person *p, struct rec *r, unsigned long long azr,
                        const struct names_municipality *mun, size_t nmun,
                        const char *const *streets, size_t nstreets)
{
    static const char *const statuses[] = {"ausreisepflichtig", "duldung", "gestattung",
                                           "aufenthaltserlaubnis", "niederlassungserlaubnis"};
    static const char *const ident[] = {"geklaert", "ungeklaert", "in_klaerung"};
    const struct names_population_info *info = names_population(p->pop);
    memset(r, 0, sizeof *r);
    snprintf(r->v[C_AZR], VLEN, "%012llu", azr);
    set(r, C_FAM, spelling(p->fam));
    char g[VLEN] = "";
    for (int k = 0; k < p->ngiv; k++) {
        size_t l = strlen(g);
        snprintf(g + l, VLEN - l, "%s%s", k ? " " : "", spelling(p->giv[k]));
    }
    set(r, C_GIV, g);
    set(r, C_SEX, p->sex == 'm' ? "m" : "f");
    if (p->date_kind == 1)
        snprintf(r->v[C_BDATE], VLEN, "%u-00-00", p->y);
    else if (p->date_kind == 2)
        snprintf(r->v[C_BDATE], VLEN, "%u-01-01", p->y);
    else
        snprintf(r->v[C_BDATE], VLEN, "%u-%02u-%02u", p->y, p->m, p->d);
    set(r, C_PLACE, spelling(p->place));
    set(r, C_BCOUNTRY, info->iso3[0]);
    set(r, C_NAT, info->iso3[0]);
    set(r, C_RSTATUS, statuses[below(5)]);
    snprintf(r->v[C_RSINCE], VLEN, "%u-%02u-%02u", 2014 + below(11), 1 + below(12), 1 + below(28));
    set(r, C_IDSTATUS, ident[below(3)]);
    size_t mi = below((uint32_t)nmun);
    snprintf(r->v[C_STREET], VLEN, "%s %u", streets[below((uint32_t)nstreets)], 1 + below(120));
    set(r, C_POSTCODE, mun[mi].postcode);
    set(r, C_MUNI, mun[mi].name);
    snprintf(r->v[C_AUTH], VLEN, "ABH-%s", mun[mi].postcode);
    snprintf(r->v[C_UPDATED], VLEN, "2025-%02u-%02uT%02u:%02u:00Z", 1 + below(12), 1 + below(28),
             below(24), below(60));
}

static void write_rec(struct fn_csv_writer *w, const struct rec *r, int noise)
{
    const char *f[NCOL];
    char tmp[NCOL][VLEN + 4];
    for (int c = 0; c < NCOL; c++) {
        f[c] = r->v[c];
        if (noise && (c == C_FAM || c == C_GIV) && chance(30)) {
            /* case or surrounding blanks: not a substantive difference */
            snprintf(tmp[c], sizeof tmp[c], " %s", r->v[c]);
            for (char *p = tmp[c]; *p; p++)
                if (*p >= 'a' && *p <= 'z')
                    *p = (char)(*p - 'a' + 'A');
            f[c] = tmp[c];
        }
    }
    if (fn_csv_put_row(w, f, NCOL))
        exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "Aufruf: fallnetz-gen-pairs ANZAHL STARTWERT easy|hard ORDNER\n");
        return 2;
    }
    long n = strtol(argv[1], NULL, 10);
    unsigned long long seed = strtoull(argv[2], NULL, 10);
    int hard = !strcmp(argv[3], "hard");
    if (n <= 0 || (!hard && strcmp(argv[3], "easy"))) {
        fprintf(stderr, "ungültige Argumente\n");
        return 2;
    }
    demo_rng_seed(&rng, seed);
    char path[4096];
    FILE *fl, *fa, *ftm, *ftd;
    snprintf(path, sizeof path, "%s/local.csv", argv[4]);
    fl = fopen(path, "w");
    snprintf(path, sizeof path, "%s/azr.csv", argv[4]);
    fa = fopen(path, "w");
    snprintf(path, sizeof path, "%s/truth_matches.csv", argv[4]);
    ftm = fopen(path, "w");
    snprintf(path, sizeof path, "%s/truth_diffs.csv", argv[4]);
    ftd = fopen(path, "w");
    if (!fl || !fa || !ftm || !ftd) {
        fprintf(stderr, "%s: Ausgabedateien können nicht angelegt werden\n", argv[4]);
        return 1;
    }
    struct fn_csv_writer wl, wa;
    if (fn_csv_writer_init(&wl, fl, 0) || fn_csv_writer_init(&wa, fa, 0))
        return 1;
    if (fn_csv_put_row(&wl, head, NCOL) || fn_csv_put_row(&wa, head, NCOL))
        return 1;
    fputs("local_id,azr_id\n", ftm);
    fputs("local_id,azr_id,field\n", ftd);
    const struct names_municipality *mun = NULL;
    size_t nmun = names_municipalities(&mun);
    const char *const *streets = NULL;
    size_t nstreets = names_streets(&streets);
    uint32_t pop_share[NAMES_POPULATION_COUNT], share_total = 0;
    for (int p = 0; p < NAMES_POPULATION_COUNT; p++) {
        pop_share[p] = names_population((enum names_population)p)->share;
        share_total += pop_share[p];
    }
    uint32_t p_noazr = hard ? 400 : 100, p_moved = hard ? 250 : 40, p_disc = hard ? 350 : 100;
    uint32_t p_relative = hard ? 150 : 50;
    struct person prev = {0};
    long lid = 0, aid = 0;
    for (long i = 0; i < n; i++) {
        struct person p;
        if (i && chance(p_relative)) { /* sibling/relative: same family and place */
            p = prev;
            p.sex = chance(500) ? 'm' : 'f';
            const struct names_entry *g = NULL;
            size_t ng = names_given(p.pop, p.sex, &g);
            for (int k = 0; k < p.ngiv; k++)
                p.giv[k] = pick(g, ng);
            p.y = prev.y + below(9) - 4;
            p.m = 1 + below(12);
            p.d = 1 + below(28);
        } else {
            uint32_t x = below(share_total), k = 0;
            while (x >= pop_share[k]) {
                x -= pop_share[k];
                k++;
            }
            p.pop = (enum names_population)k;
            const struct names_population_info *info = names_population(p.pop);
            p.sex = chance(800) ? 'm' : 'f';
            const struct names_entry *t = NULL;
            size_t nt = names_family(p.pop, &t);
            p.fam = pick(t, nt);
            nt = names_given(p.pop, p.sex, &t);
            p.ngiv =
                1 + (int)below((uint32_t)(info->given_names_max > 0 ? info->given_names_max : 1));
            for (int g = 0; g < p.ngiv; g++)
                p.giv[g] = pick(t, nt);
            nt = names_places(p.pop, &t);
            p.place = pick(t, nt);
            p.y = 1960 + below(46);
            p.m = 1 + below(12);
            p.d = 1 + below(28);
            p.date_kind = chance((uint32_t)info->year_only_permille) ? 1 : chance(80) ? 2 : 0;
        }
        prev = p;
        unsigned long long azr =
            100000000000ull + (unsigned long long)i * 7919ull % 899999999999ull;
        struct rec c, l;
        base_record(&p, &c, azr, mun, nmun, streets, nstreets);
        l = c;
        int in_local = 1, in_azr = 1;
        uint32_t u = below(1000);
        if (u < 40)
            in_azr = 0;
        else if (u < 80)
            in_local = 0;
        if (chance(p_noazr))
            l.v[C_AZR][0] = 0;
        else if (chance(hard ? 20 : 10))
            l.v[C_AZR][3 + below(8)] = (char)('0' + below(10)); /* wrong number */
        if (chance(p_moved)) { /* moved: the side that knows it has a later update */
            struct rec *side = chance(500) ? &l : &c;
            size_t mi = below((uint32_t)nmun);
            snprintf(side->v[C_STREET], VLEN, "%s %u", streets[below((uint32_t)nstreets)],
                     1 + below(120));
            set(side, C_POSTCODE, mun[mi].postcode);
            set(side, C_MUNI, mun[mi].name);
            if (chance(500))
                snprintf(side->v[C_AUTH], VLEN, "ABH-%s", mun[mi].postcode);
            snprintf(side->v[C_UPDATED], VLEN, "2026-%02u-%02uT09:00:00Z", 1 + below(10),
                     1 + below(28));
        }
        if (chance(p_disc)) {
            int changes = hard ? 2 + (int)below(3) : 1 + (int)below(2);
            for (int k = 0; k < changes; k++) {
                struct rec *s = chance(500) ? &l : &c;
                switch (below(9)) {
                case 0: { /* other transliteration of the family name */
                    const char *o = other_spelling(p.fam, s->v[C_FAM]);
                    if (o)
                        set(s, C_FAM, o);
                    break;
                }
                case 1: { /* other spelling of the first given name */
                    const char *o = other_spelling(p.giv[0], p.giv[0]->latin[0]);
                    if (o) {
                        char g[VLEN];
                        const char *rest = strchr(s->v[C_GIV], ' ');
                        snprintf(g, VLEN, "%s%s", o, rest ? rest : "");
                        set(s, C_GIV, g);
                    }
                    break;
                }
                case 2: /* typo */
                    typo(chance(500) ? s->v[C_FAM] : s->v[C_GIV]);
                    break;
                case 3: { /* family and given names swapped */
                    char t[VLEN];
                    memcpy(t, s->v[C_FAM], VLEN);
                    memcpy(s->v[C_FAM], s->v[C_GIV], VLEN);
                    memcpy(s->v[C_GIV], t, VLEN);
                    break;
                }
                case 4: { /* missing middle name */
                    char *sp = strrchr(s->v[C_GIV], ' ');
                    if (sp)
                        *sp = 0;
                    break;
                }
                case 5: /* placeholder or partial date on one side */
                    if (chance(500))
                        snprintf(s->v[C_BDATE], VLEN, "%u-01-01", p.y);
                    else
                        snprintf(s->v[C_BDATE], VLEN, "%u-%02u-00", p.y, p.m);
                    break;
                case 6: /* status change, recorded later on that side */
                    set(s, C_RSTATUS, chance(500) ? "duldung" : "aufenthaltserlaubnis");
                    snprintf(s->v[C_UPDATED], VLEN, "2026-%02u-%02uT11:00:00Z", 1 + below(10),
                             1 + below(28));
                    break;
                case 7: { /* place spelling */
                    const char *o = other_spelling(p.place, s->v[C_PLACE]);
                    if (o)
                        set(s, C_PLACE, o);
                    break;
                }
                default: /* day/month typo in the birth date */
                    if (p.date_kind == 0)
                        snprintf(s->v[C_BDATE], VLEN, "%u-%02u-%02u", p.y, p.m,
                                 p.d < 28 ? p.d + 1 : p.d - 1);
                    break;
                }
            }
        }
        char id_l[32], id_a[32];
        if (in_local) {
            snprintf(id_l, sizeof id_l, "L%08ld", ++lid);
            set(&l, C_ID, id_l);
        }
        if (in_azr) {
            snprintf(id_a, sizeof id_a, "A%08ld", ++aid);
            set(&c, C_ID, id_a);
        }
        if (in_local)
            write_rec(&wl, &l, 1);
        if (in_azr)
            write_rec(&wa, &c, 0);
        if (in_local && in_azr) {
            fprintf(ftm, "%s,%s\n", id_l, id_a);
            for (int k = 0; k < NCOL; k++)
                if (k != C_ID && k != C_UPDATED && !fold_equal(l.v[k], c.v[k]))
                    fprintf(ftd, "%s,%s,%s\n", id_l, id_a, head[k]);
        }
    }
    int bad = fclose(fl) | fclose(fa) | fclose(ftm) | fclose(ftd);
    return bad ? 1 : 0;
}
