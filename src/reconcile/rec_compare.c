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

/* Level of two codes from the records' strings (a code too long to pack):
 * blanks and case do not count, and an empty or "unknown" value (NULL:
 * none) is missing. */
static uint8_t code_level(const char *a, const char *b, const char *unknown)
{
    size_t la = strlen(a), lb = strlen(b);
    if (unknown && (link_compare_codes(a, la, unknown, strlen(unknown)) == LINK_EXACT_EQUAL ||
                    link_compare_codes(b, lb, unknown, strlen(unknown)) == LINK_EXACT_EQUAL))
        return 3;
    switch (link_compare_codes(a, la, b, lb)) {
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
static const char *const address_labels[4] = {"gleich", "gleiche Postleitzahl", "verschieden",
                                              "fehlt"};
static const char *const rsince_labels[3] = {"gleich", "verschieden", "fehlt"};

const char *rec_level_label(int f, int l)
{
    if (f == F_FAMILY || f == F_GIVEN || f == F_PLACE)
        return name_labels[l];
    if (f == F_BDATE)
        return date_labels[l];
    if (f == F_ADDRESS)
        return address_labels[l];
    if (f == F_RSINCE)
        return rsince_labels[l];
    return code_labels[l];
}

/* Name comparison, in order of cost: the same value; the signatures (one
 * cache line per value) prove "different" for most pairs of candidates;
 * only the rest touch the keys, through a small direct-mapped memo by value
 * ids, because those pairs (spelling variants of one name) repeat. Per
 * thread; pure, so results do not depend on what is cached. */
#define CACHE_BITS_NAMES  15 /* 256 KiB: stays in the core's L2 */
#define CACHE_BITS_PLACES 12
struct level_cache {
    int bits;
    uint64_t *entry; /* x << 33 | y << 3 | level (ids < 2^30); 0 = free: x == y is
                      * never stored */
};

/* The memo slot of the value pair (x, y). */
static inline size_t memo_slot(const struct level_cache *c, uint64_t tag)
{
    return (size_t)((tag * 0x9E3779B97F4A7C15ull) >> (64 - c->bits));
}

/* ex, ey: the values have no keys (empty). sx, sy: their signatures when
 * the caller has them at hand, else NULL. */
static enum link_name_level name_cmp(const struct link_name_dict *d, struct level_cache *c,
                                     uint32_t x, uint32_t y, int ex, int ey,
                                     const struct link_name_sig *sx, const struct link_name_sig *sy)
{
    if (ex || ey)
        return LINK_NAME_MISSING;
    if (x == y)
        return LINK_NAME_EXACT;
    if (!sx)
        sx = link_name_dict_sig(d, x);
    if (!sy)
        sy = link_name_dict_sig(d, y);
    const struct link_token_sig *tok = link_name_dict_token_sigs(d);
    if (!link_name_sig_phonetic(sx, sy) && link_name_sig_different(sx, sy, tok))
        return LINK_NAME_DIFFERENT;
    const struct link_name_keys *kx = link_name_dict_keys(d, x);
    const struct link_name_keys *ky = link_name_dict_keys(d, y);
    if (!c)
        return link_compare_names_sig(kx, ky, sx, sy, tok);
    uint64_t tag = (uint64_t)x << 33 | (uint64_t)y << 3;
    size_t slot = memo_slot(c, tag);
    uint64_t e = c->entry[slot];
    if ((e & ~(uint64_t)7) == tag)
        return (enum link_name_level)(e & 7);
    enum link_name_level l = link_compare_names_sig(kx, ky, sx, sy, tok);
    c->entry[slot] = tag | (uint64_t)l;
    return l;
}

/* Equal packed codes of cap bytes (4, 8 or 16: whole words, no call). */
static inline int packed_equal(const char *a, const char *b, size_t cap)
{
    uint64_t x[2] = {0, 0}, y[2] = {0, 0};
    memcpy(x, a, cap);
    memcpy(y, b, cap);
    return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}

/* Level of a code field from the packed values (equal codes are equal
 * bytes there), or from the records' strings when one did not fit. Inlined
 * so that cap is a constant. */
static inline __attribute__((always_inline)) uint8_t
packed_code_level(const struct rec *ra, const struct rec *rb, const struct side *a, size_t i,
                  const struct side *b, size_t j, enum register_column col, uint8_t bit,
                  const char *pa, const char *pb, size_t cap, const char *unknown)
{
    if ((ra->long_codes | rb->long_codes) & bit)
        return code_level(V(a, i, col), V(b, j, col), unknown);
    if ((ra->missing_codes | rb->missing_codes) & bit)
        return 3;
    if (packed_equal(pa, pb, cap))
        return 0;
    /* known and not equal: only "one character off" is left to find, as
     * link_compare_codes finds it (packed codes are already trimmed and in
     * lower case): one edit, in a code of three characters or more */
    size_t la = strnlen(pa, cap), lb = strnlen(pb, cap);
    if (la + 1 < lb || lb + 1 < la || (la < 3 && lb < 3))
        return 2;
    if (la == lb) {
        int differ = 0;
        for (size_t k = 0; k < la; k++)
            differ += pa[k] != pb[k];
        if (differ > 2)
            return 2;
    }
    return link_damerau_levenshtein(pa, la, pb, lb, 1) <= 1 ? 1 : 2;
}

struct caches {
    struct level_cache names, places;
};

void rec_compare_prefetch_tokens(const struct dicts *dc, const struct rec *ra,
                                 const struct rec_phys *pb)
{
    const struct link_token_sig *tok = link_name_dict_token_sigs(dc->names);
    if (pb->r.fam != ra->fam && pb->fam.ntokens > 1)
        __builtin_prefetch(&tok[pb->fam.tokens]);
    if (pb->r.giv != ra->giv && pb->giv.ntokens > 1)
        __builtin_prefetch(&tok[pb->giv.tokens]);
}

void rec_caches_free(struct caches *cc)
{
    if (!cc)
        return;
    fn_free(cc->names.entry);
    fn_free(cc->places.entry);
    fn_free(cc);
}

/* A thread's memo; NULL when out of memory. Free with rec_caches_free. */
struct caches *rec_caches_new(void)
{
    struct caches *cc = fn_calloc(1, sizeof *cc);
    if (!cc)
        return NULL;
    cc->names.bits = CACHE_BITS_NAMES;
    cc->places.bits = CACHE_BITS_PLACES;
    cc->names.entry = fn_calloc((size_t)1 << CACHE_BITS_NAMES, sizeof *cc->names.entry);
    cc->places.entry = fn_calloc((size_t)1 << CACHE_BITS_PLACES, sizeof *cc->places.entry);
    if (!cc->names.entry || !cc->places.entry) {
        rec_caches_free(cc);
        return NULL;
    }
    return cc;
}

/* Comparison vector of local record i against central record j; cc may be
 * NULL (no memo). */
static void compare_recs(const struct dicts *dc, struct caches *cc, const struct side *a,
                         const struct rec *ra, const struct side *b, const struct rec *rb,
                         const struct link_name_sig *sb_fam, const struct link_name_sig *sb_giv,
                         uint8_t lv[NF], int *swapped);

void rec_compare_pair(const struct dicts *dc, struct caches *cc, const struct side *a, size_t i,
                      const struct side *b, size_t j, uint8_t lv[NF], int *swapped)
{
    compare_recs(dc, cc, a, &a->rec[i], b, &b->rec[j], NULL, NULL, lv, swapped);
}

/* sb_fam, sb_giv: copies of rb's name signatures, or NULL. */
static void compare_recs(const struct dicts *dc, struct caches *cc, const struct side *a,
                         const struct rec *ra, const struct side *b, const struct rec *rb,
                         const struct link_name_sig *sb_fam, const struct link_name_sig *sb_giv,
                         uint8_t lv[NF], int *swapped)
{
    size_t i = ra->orig, j = rb->orig; /* for codes compared from the strings */
    struct level_cache *cn = cc ? &cc->names : NULL;
    lv[F_AZR] = packed_code_level(ra, rb, a, i, b, j, REG_AZR_NR, LONG_AZR, ra->azr, rb->azr,
                                  sizeof ra->azr, NULL);
    int fa = ra->empty & EMPTY_FAM, fb = rb->empty & EMPTY_FAM;
    int ga = ra->empty & EMPTY_GIV, gb = rb->empty & EMPTY_GIV;
    if (!sb_fam)
        sb_fam = link_name_dict_sig(dc->names, rb->fam);
    if (!sb_giv)
        sb_giv = link_name_dict_sig(dc->names, rb->giv);
    const struct link_name_sig *sa_fam = link_name_dict_sig(dc->names, ra->fam);
    const struct link_name_sig *sa_giv = link_name_dict_sig(dc->names, ra->giv);
    enum link_name_level fl = name_cmp(dc->names, cn, ra->fam, rb->fam, fa, fb, sa_fam, sb_fam);
    enum link_name_level gl = name_cmp(dc->names, cn, ra->giv, rb->giv, ga, gb, sa_giv, sb_giv);
    int sw = 0;
    if ((fl >= LINK_NAME_SIMILAR || gl >= LINK_NAME_SIMILAR) && !fa && !fb && !ga && !gb &&
        (link_name_sig_phonetic(sa_fam, sb_giv) || link_name_sig_phonetic(sa_giv, sb_fam))) {
        /* family and given names swapped on one side (the signatures said
         * a cross comparison can agree; link_names_swapped_levels decides) */
        enum link_name_level c1 = name_cmp(dc->names, cn, ra->fam, rb->giv, fa, gb, sa_fam, sb_giv);
        enum link_name_level c2 = name_cmp(dc->names, cn, ra->giv, rb->fam, ga, fb, sa_giv, sb_fam);
        if (link_names_swapped_levels(fl, gl, c1, c2)) {
            fl = c1;
            gl = c2;
            sw = 1;
        }
    } else if (fl >= LINK_NAME_SIMILAR && !fa && !fb && (ga != gb)) {
        /* swapped, and the given names missing on one side ("Dehghan, –"
         * against "Hamidreza, Dehghan"): the one family name agrees with
         * the other side's given name at least phonetically */
        enum link_name_level c =
            gb ? (link_name_sig_phonetic(sa_giv, sb_fam)
                      ? name_cmp(dc->names, cn, ra->giv, rb->fam, ga, fb, sa_giv, sb_fam)
                      : LINK_NAME_DIFFERENT)
               : (link_name_sig_phonetic(sa_fam, sb_giv)
                      ? name_cmp(dc->names, cn, ra->fam, rb->giv, fa, gb, sa_fam, sb_giv)
                      : LINK_NAME_DIFFERENT);
        if (c <= LINK_NAME_PHONETIC && c != LINK_NAME_MISSING) {
            fl = c;
            gl = LINK_NAME_MISSING;
            sw = 1;
        }
    }
    if (swapped)
        *swapped = sw;
    lv[F_FAMILY] = name_level(fl);
    lv[F_GIVEN] = name_level(gl);
    lv[F_BDATE] = date_level(link_compare_dates(&ra->bdate, &rb->bdate), &ra->bdate);
    lv[F_SEX] = packed_code_level(ra, rb, a, i, b, j, REG_SEX, LONG_SEX, ra->sex, rb->sex,
                                  sizeof ra->sex, CODE_UNKNOWN_SEX);
    lv[F_PLACE] =
        name_level(name_cmp(dc->places, cc ? &cc->places : NULL, ra->place, rb->place,
                            ra->empty & EMPTY_PLACE, rb->empty & EMPTY_PLACE, NULL, NULL));
    lv[F_NAT] = packed_code_level(ra, rb, a, i, b, j, REG_NATIONALITY, LONG_NAT, ra->nat, rb->nat,
                                  sizeof ra->nat, CODE_UNKNOWN_COUNTRY);
    lv[F_BCOUNTRY] =
        packed_code_level(ra, rb, a, i, b, j, REG_BIRTH_COUNTRY, LONG_BCOUNTRY, ra->bcountry,
                          rb->bcountry, sizeof ra->bcountry, CODE_UNKNOWN_COUNTRY);
    if (!(ra->street | ra->area) || !(rb->street | rb->area))
        lv[F_ADDRESS] = 3;
    else if (ra->street && ra->street == rb->street)
        lv[F_ADDRESS] = 0;
    else
        lv[F_ADDRESS] = ra->area && ra->area == rb->area ? 1 : 2;
    lv[F_RSINCE] = !ra->rsince || !rb->rsince ? 2 : ra->rsince == rb->rsince ? 0 : 1;
}

void rec_compare_phys(const struct dicts *dc, struct caches *cc, const struct side *a,
                      const struct rec *ra, const struct side *b, const struct rec_phys *pb,
                      uint8_t lv[NF])
{
    compare_recs(dc, cc, a, ra, b, &pb->r, &pb->fam, &pb->giv, lv, NULL);
}
