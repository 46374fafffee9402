/* rec_compare.c – the comparison vector of a candidate pair (rec_internal.h,
 * docs/reconcile.md step 4). */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "link/compare.h"
#include "reconcile/rec_internal.h"

/* ---- comparison ---- */

static uint8_t name_level(enum link_name_level l)
{
    switch (l) {
    case LINK_NAME_EXACT:
        return 0;
    case LINK_NAME_TRANSLIT:
        return 1;
    case LINK_NAME_PHONETIC:
        return 2;
    case LINK_NAME_SIMILAR:
        return 3;
    case LINK_NAME_WEAK:
        return 4;
    case LINK_NAME_DIFFERENT:
        return 5;
    default:
        return 6;
    }
}

/* Date levels of the model. An exact agreement of a partial date (year
 * only, year and month, or 01-01 that is often a placeholder) says much less
 * than one of a full date, so it is a level of its own. */
static uint8_t date_level(enum link_date_level l, const struct fn_pdate *d)
{
    switch (l) {
    case LINK_DATE_EXACT:
        return d->day && !(d->flags & FN_PDATE_PLACEHOLDER) ? 0 : 1;
    case LINK_DATE_PARTIAL:
        return 2;
    case LINK_DATE_PLACEHOLDER:
        return 3;
    case LINK_DATE_SWAPPED:
        return 4;
    case LINK_DATE_TYPO:
        return 5;
    case LINK_DATE_DIFFERENT:
        return 6;
    default:
        return 7;
    }
}

static uint8_t code_level(const char *a, const char *b, const char *unknown)
{
    if (!*a || !*b || (unknown && (!strcmp(a, unknown) || !strcmp(b, unknown))))
        return 3;
    switch (link_compare_codes(a, strlen(a), b, strlen(b))) {
    case LINK_EXACT_EQUAL:
        return 0;
    case LINK_EXACT_CLOSE:
        return 1;
    case LINK_EXACT_DIFFERENT:
        return 2;
    default:
        return 3;
    }
}

static const char *const name_labels[7] = {"exakt",   "Transliteration", "phonetisch", "ähnlich",
                                           "schwach", "verschieden",     "fehlt"};
static const char *const date_labels[8] = {"exakt",
                                           "exakt, nur Jahr/Monat oder 01-01",
                                           "Teildatum passt",
                                           "Platzhalter 01-01",
                                           "Tag/Monat vertauscht",
                                           "Tippfehler",
                                           "verschieden",
                                           "fehlt"};
static const char *const code_labels[4] = {"gleich", "ein Zeichen anders", "verschieden", "fehlt"};

const char *rec_level_label(int f, int l)
{
    if (f == F_FAMILY || f == F_GIVEN || f == F_PLACE)
        return name_labels[l];
    if (f == F_BDATE)
        return date_labels[l];
    return code_labels[l];
}

/* A direct-mapped memo of name comparisons by value ids: candidate pairs
 * repeat the same name pairs again and again. Per thread; pure, so results
 * do not depend on what is cached. */
#define CACHE_BITS_NAMES_MAX 20 /* 8 MiB per thread: a larger memo measured no faster */
#define CACHE_BITS_PLACES    20 /* every pair of a thousand places */
struct level_cache {
    int bits;
    uint64_t *entry; /* x << 33 | y << 3 | level (ids < 2^30); 0 = free: x == y is
                      * never stored */
};

/* ex, ey: the values have no keys (empty). The keys themselves are only
 * touched when the memo does not know the pair. */
static enum link_name_level name_cmp(const struct link_name_dict *d, struct level_cache *c,
                                     uint32_t x, uint32_t y, int ex, int ey)
{
    if (ex || ey)
        return LINK_NAME_MISSING;
    if (x == y)
        return LINK_NAME_EXACT;
    const struct link_name_keys *kx = link_name_dict_keys(d, x);
    const struct link_name_keys *ky = link_name_dict_keys(d, y);
    if (!c)
        return link_compare_names(kx, ky, NULL);
    /* one 8-byte entry per pair: a hit costs one memory access */
    uint64_t tag = (uint64_t)x << 33 | (uint64_t)y << 3;
    size_t slot = (size_t)((tag * 0x9E3779B97F4A7C15ull) >> (64 - c->bits));
    uint64_t e = c->entry[slot];
    if ((e & ~(uint64_t)7) == tag)
        return (enum link_name_level)(e & 7);
    enum link_name_level l =
        link_compare_names_sig(kx, ky, link_name_dict_sig(d, x), link_name_dict_sig(d, y));
    c->entry[slot] = tag | (uint64_t)l;
    return l;
}

/* Level of a code field from the packed values, or from the record's
 * strings when one did not fit. */
static uint8_t packed_code_level(const struct side *a, size_t i, const struct side *b, size_t j,
                                 enum register_column col, uint8_t bit, const char *pa,
                                 const char *pb, const char *unknown)
{
    if ((a->rec[i].long_codes | b->rec[j].long_codes) & bit)
        return code_level(V(a, i, col), V(b, j, col), unknown);
    if (*pa && *pb && !strcmp(pa, pb) && (!unknown || strcmp(pa, unknown)))
        return 0;
    return code_level(pa, pb, unknown);
}

struct caches {
    struct level_cache names, places;
};

static void memo_prefetch(const struct level_cache *c, uint32_t x, uint32_t y)
{
    uint64_t tag = (uint64_t)x << 33 | (uint64_t)y << 3;
    __builtin_prefetch(&c->entry[(size_t)((tag * 0x9E3779B97F4A7C15ull) >> (64 - c->bits))]);
}

void rec_compare_prefetch(struct caches *cc, const struct side *a, size_t i, const struct side *b,
                          size_t j)
{
    const struct rec *ra = &a->rec[i], *rb = &b->rec[j];
    if (ra->fam != rb->fam)
        memo_prefetch(&cc->names, ra->fam, rb->fam);
    if (ra->giv != rb->giv)
        memo_prefetch(&cc->names, ra->giv, rb->giv);
}

void rec_caches_free(struct caches *cc)
{
    if (!cc)
        return;
    fn_free(cc->names.entry);
    fn_free(cc->places.entry);
    fn_free(cc);
}

/* A thread's memo sized for nrec records in both registers; NULL when out
 * of memory. Free with caches_free. */
struct caches *rec_caches_new(size_t nrec)
{
    int name_bits = 16;
    while (name_bits < CACHE_BITS_NAMES_MAX && ((size_t)10000 << (name_bits - 16)) < nrec)
        name_bits++;
    struct caches *cc = fn_calloc(1, sizeof *cc);
    if (!cc)
        return NULL;
    cc->names.bits = name_bits;
    cc->places.bits = CACHE_BITS_PLACES;
    cc->names.entry = fn_calloc((size_t)1 << name_bits, sizeof *cc->names.entry);
    cc->places.entry = fn_calloc((size_t)1 << CACHE_BITS_PLACES, sizeof *cc->places.entry);
    if (!cc->names.entry || !cc->places.entry) {
        rec_caches_free(cc);
        return NULL;
    }
    return cc;
}

/* Comparison vector of local record i against central record j; cc may be
 * NULL (no memo). */
void rec_compare_pair(const struct dicts *dc, struct caches *cc, const struct side *a, size_t i,
                      const struct side *b, size_t j, uint8_t lv[NF], int *swapped)
{
    const struct rec *ra = &a->rec[i], *rb = &b->rec[j];
    struct level_cache *cn = cc ? &cc->names : NULL;
    lv[F_AZR] = packed_code_level(a, i, b, j, REG_AZR_NR, LONG_AZR, ra->azr, rb->azr, NULL);
    int fa = ra->empty & EMPTY_FAM, fb = rb->empty & EMPTY_FAM;
    int ga = ra->empty & EMPTY_GIV, gb = rb->empty & EMPTY_GIV;
    enum link_name_level fl = name_cmp(dc->names, cn, ra->fam, rb->fam, fa, fb);
    enum link_name_level gl = name_cmp(dc->names, cn, ra->giv, rb->giv, ga, gb);
    int sw = 0;
    if ((fl >= LINK_NAME_SIMILAR || gl >= LINK_NAME_SIMILAR) && !fa && !fb && !ga && !gb &&
        (link_name_sig_phonetic(link_name_dict_sig(dc->names, ra->fam),
                                link_name_dict_sig(dc->names, rb->giv)) ||
         link_name_sig_phonetic(link_name_dict_sig(dc->names, ra->giv),
                                link_name_dict_sig(dc->names, rb->fam)))) {
        /* family and given names swapped on one side (the signatures said
         * a cross comparison can agree; link_names_swapped_levels decides) */
        enum link_name_level c1 = name_cmp(dc->names, cn, ra->fam, rb->giv, fa, gb);
        enum link_name_level c2 = name_cmp(dc->names, cn, ra->giv, rb->fam, ga, fb);
        if (link_names_swapped_levels(fl, gl, c1, c2)) {
            fl = c1;
            gl = c2;
            sw = 1;
        }
    }
    if (swapped)
        *swapped = sw;
    lv[F_FAMILY] = name_level(fl);
    lv[F_GIVEN] = name_level(gl);
    lv[F_BDATE] = date_level(link_compare_dates(&ra->bdate, &rb->bdate), &ra->bdate);
    lv[F_SEX] = packed_code_level(a, i, b, j, REG_SEX, LONG_SEX, ra->sex, rb->sex, "u");
    lv[F_PLACE] = name_level(name_cmp(dc->places, cc ? &cc->places : NULL, ra->place, rb->place,
                                      ra->empty & EMPTY_PLACE, rb->empty & EMPTY_PLACE));
    lv[F_NAT] = packed_code_level(a, i, b, j, REG_NATIONALITY, LONG_NAT, ra->nat, rb->nat, "XXX");
    lv[F_BCOUNTRY] = packed_code_level(a, i, b, j, REG_BIRTH_COUNTRY, LONG_BCOUNTRY, ra->bcountry,
                                       rb->bcountry, "XXX");
}
