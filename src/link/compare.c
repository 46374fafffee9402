/* compare.c – field comparators with graded agreement levels (compare.h). */
#include "link/compare.h"

#include "core/hash.h"

#include <string.h>
#include <strings.h>

#define CMP_MAX 255 /* bytes compared per string; longer strings are cut */

_Static_assert(sizeof(struct link_name_sig) == 64, "a name signature is one cache line");

static double jaro_winkler_finish(const char *a, size_t alen, const char *b, size_t blen, size_t m,
                                  size_t t)
{
    double md = (double)m;
    double jaro = (md / (double)alen + md / (double)blen + (md - (double)t / 2.0) / md) / 3.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < alen && prefix < blen && a[prefix] == b[prefix])
        prefix++;
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

/* Positions of each byte value in the current b, one table per thread; all
 * zero between calls (set from b, used, cleared from b again). */
static _Thread_local uint64_t jw_positions[256];

/* link_jaro_winkler for strings of at most 64 bytes, bit-parallel: the
 * matches of a[i] are the bits of b's positions of that byte inside the
 * window, and the lowest unmatched one is taken, the same choice as the
 * loop below, so the result is the same to the last bit. */
static double jaro_winkler_short(const char *a, size_t alen, const char *b, size_t blen,
                                 size_t range)
{
    for (size_t j = 0; j < blen; j++)
        jw_positions[(unsigned char)b[j]] |= (uint64_t)1 << j;
    uint64_t bmatch = 0, amatch = 0;
    size_t m = 0;
    for (size_t i = 0; i < alen; i++) {
        size_t lo = i > range ? i - range : 0;
        size_t hi = i + range + 1 < blen ? i + range + 1 : blen;
        if (lo >= hi)
            continue;
        uint64_t window =
            (hi == 64 ? ~(uint64_t)0 : ((uint64_t)1 << hi) - 1) & ~(((uint64_t)1 << lo) - 1);
        uint64_t cand = jw_positions[(unsigned char)a[i]] & window & ~bmatch;
        if (cand) {
            bmatch |= cand & (~cand + 1); /* the lowest */
            amatch |= (uint64_t)1 << i;
            m++;
        }
    }
    for (size_t j = 0; j < blen; j++)
        jw_positions[(unsigned char)b[j]] = 0;
    if (!m)
        return 0.0;
    size_t t = 0;
    while (amatch) { /* matched characters of a and of b, in order */
        int i = __builtin_ctzll(amatch), j = __builtin_ctzll(bmatch);
        t += a[i] != b[j];
        amatch &= amatch - 1;
        bmatch &= bmatch - 1;
    }
    return jaro_winkler_finish(a, alen, b, blen, m, t);
}

double link_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen > CMP_MAX)
        alen = CMP_MAX;
    if (blen > CMP_MAX)
        blen = CMP_MAX;
    if (!alen && !blen)
        return 1.0;
    if (!alen || !blen)
        return 0.0;
    size_t range = (alen > blen ? alen : blen) / 2;
    range = range ? range - 1 : 0;
    if (alen <= 64 && blen <= 64)
        return jaro_winkler_short(a, alen, b, blen, range);
    /* only the used part is cleared: names are short, CMP_MAX is not */
    unsigned char amatch[CMP_MAX], bmatch[CMP_MAX];
    memset(amatch, 0, alen);
    memset(bmatch, 0, blen);
    size_t m = 0;
    for (size_t i = 0; i < alen; i++) {
        size_t lo = i > range ? i - range : 0;
        size_t hi = i + range + 1 < blen ? i + range + 1 : blen;
        for (size_t j = lo; j < hi; j++) {
            if (!bmatch[j] && a[i] == b[j]) {
                amatch[i] = bmatch[j] = 1;
                m++;
                break;
            }
        }
    }
    if (!m)
        return 0.0;
    size_t t = 0, k = 0;
    for (size_t i = 0; i < alen; i++) {
        if (!amatch[i])
            continue;
        while (!bmatch[k])
            k++;
        if (a[i] != b[k])
            t++;
        k++;
    }
    return jaro_winkler_finish(a, alen, b, blen, m, t);
}

int link_damerau_levenshtein(const char *a, size_t alen, const char *b, size_t blen, int max)
{
    if (alen > CMP_MAX)
        alen = CMP_MAX;
    if (blen > CMP_MAX)
        blen = CMP_MAX;
    size_t diff = alen > blen ? alen - blen : blen - alen;
    if (max >= 0 && diff > (size_t)max)
        return max + 1;
    /* three rolling rows of the optimal-string-alignment matrix */
    int rows[3][CMP_MAX + 1];
    int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= blen; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= alen; i++) {
        cur[0] = (int)i;
        int row_min = cur[0];
        for (size_t j = 1; j <= blen; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (prev[j - 1] + cost < v)
                v = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (max >= 0 && row_min > max)
            return max + 1;
        int *tmp = prev2;
        prev2 = prev;
        prev = cur;
        cur = tmp;
    }
    int d = prev[blen];
    return (max >= 0 && d > max) ? max + 1 : d;
}

double link_token_set_similarity(const struct link_name_keys *a, const struct link_name_keys *b)
{
    const struct link_name_keys *s = a->ntokens <= b->ntokens ? a : b;
    const struct link_name_keys *l = s == a ? b : a;
    if (!s->ntokens)
        return l->ntokens ? 0.0 : 1.0;
    double sum = 0.0;
    for (size_t i = 0; i < s->ntokens; i++) {
        double best = 0.0;
        for (size_t j = 0; j < l->ntokens; j++) {
            double v = link_jaro_winkler(s->ascii + s->tok_off[i], s->tok_len[i],
                                         l->ascii + l->tok_off[j], l->tok_len[j]);
            if (v > best)
                best = v;
        }
        sum += best;
    }
    return sum / (double)s->ntokens;
}

/* 1 when every token of the shorter name occurs in the longer one (a
 * missing middle name). */
int link_tokens_subset(const struct link_name_keys *small, const struct link_name_keys *big)
{
    if (!small->ntokens || small->ntokens >= big->ntokens)
        return 0;
    for (size_t i = 0; i < small->ntokens; i++) {
        int found = 0;
        for (size_t j = 0; j < big->ntokens && !found; j++)
            found = small->tok_len[i] == big->tok_len[j] &&
                    memcmp(small->ascii + small->tok_off[i], big->ascii + big->tok_off[j],
                           small->tok_len[i]) == 0;
        if (!found)
            return 0;
    }
    return 1;
}

static int token_subset(const struct link_name_keys *a, const struct link_name_keys *b)
{
    return link_tokens_subset(a, b) || link_tokens_subset(b, a);
}

/* Double Metaphone agreement for one-token names: any of the two codes of a
 * equals any of b, codes of at least three characters, same first letter.
 * The first-letter guard keeps vowel-initial names apart ("Ahmed" AMT vs
 * "Emad" AMT); longer names are left to the other keys because the codes
 * stop at four characters ("Mohammed Ali" vs "Mohammed"). */
static int double_metaphone_match(const struct link_name_keys *a, const struct link_name_keys *b)
{
    if (a->ntokens != 1 || b->ntokens != 1 || a->ascii[0] != b->ascii[0])
        return 0;
    const char *ca[2] = {a->dm_pri, a->dm_alt}, *cb[2] = {b->dm_pri, b->dm_alt};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            if (strlen(ca[i]) >= 3 && strcmp(ca[i], cb[j]) == 0)
                return 1;
    return 0;
}

/* The levels below phonetic, for names whose keys do not agree. sim: the
 * token-set similarity when already computed, or NULL. */
/* Thresholds of similar_level, shared with the bound in
 * link_name_sig_different. */
#define SKELETON_SIMILAR 0.90 /* Jaro-Winkler of skeletons of >= 4 consonants */
#define TOKENS_SIMILAR   0.92 /* token-set similarity */
#define TOKENS_WEAK      0.80

static enum link_name_level similar_level(const struct link_name_keys *a,
                                          const struct link_name_keys *b, const double *sim)
{
    /* skeletons one consonant apart: a romanisation that renders one
     * letter differently (ظ as z or dh: Muntadhar/منتظر); cheap, so first */
    size_t sa = strlen(a->skeleton), sb = strlen(b->skeleton);
    if (sa >= 4 && sb >= 4 &&
        link_jaro_winkler(a->skeleton, sa, b->skeleton, sb) >= SKELETON_SIMILAR)
        return LINK_NAME_SIMILAR;
    double v = sim ? *sim : link_token_set_similarity(a, b);
    if (v >= TOKENS_SIMILAR || token_subset(a, b))
        return LINK_NAME_SIMILAR;
    if (v >= TOKENS_WEAK)
        return LINK_NAME_WEAK;
    return LINK_NAME_DIFFERENT;
}

enum link_name_level link_compare_names(const struct link_name_keys *a,
                                        const struct link_name_keys *b, double *similarity)
{
    if (similarity)
        *similarity = 0.0;
    if (a->empty || b->empty)
        return LINK_NAME_MISSING;
    /* The similarity is the expensive part: computed first only when the
     * caller wants it, otherwise only when the key checks did not decide. */
    double sim = 0.0;
    if (similarity) {
        sim = link_token_set_similarity(a, b);
        *similarity = sim;
    }
    if (strcmp(a->folded, b->folded) == 0)
        return LINK_NAME_EXACT;
    if ((a->ascii[0] && strcmp(a->ascii, b->ascii) == 0) ||
        (a->sorted[0] && strcmp(a->sorted, b->sorted) == 0))
        return LINK_NAME_TRANSLIT;
    if ((a->skeleton[0] && strcmp(a->skeleton, b->skeleton) == 0 && strlen(a->skeleton) >= 2) ||
        (a->koeln[0] && strcmp(a->koeln, b->koeln) == 0 && strlen(a->koeln) >= 3) ||
        double_metaphone_match(a, b))
        return LINK_NAME_PHONETIC;
    return similar_level(a, b, similarity ? &sim : NULL);
}

enum link_name_level link_compare_names_sig(const struct link_name_keys *a,
                                            const struct link_name_keys *b,
                                            const struct link_name_sig *sa,
                                            const struct link_name_sig *sb,
                                            const struct link_token_sig *tokens)
{
    if (a->empty || b->empty)
        return LINK_NAME_MISSING;
    if (!link_name_sig_phonetic(sa, sb))
        return link_name_sig_different(sa, sb, tokens) ? LINK_NAME_DIFFERENT
                                                       : similar_level(a, b, NULL);
    /* link_compare_names, but a key's strings are only compared where the
     * hashes agree: differing hashes mean differing keys, and agreeing ones
     * are confirmed (a collision falls through to the next check) */
    if (sa->folded == sb->folded && strcmp(a->folded, b->folded) == 0)
        return LINK_NAME_EXACT;
    if ((sa->ascii && sa->ascii == sb->ascii && strcmp(a->ascii, b->ascii) == 0) ||
        (sa->sorted && sa->sorted == sb->sorted && strcmp(a->sorted, b->sorted) == 0))
        return LINK_NAME_TRANSLIT;
    if ((sa->skel && sa->skel == sb->skel && strcmp(a->skeleton, b->skeleton) == 0) ||
        (sa->koeln && sa->koeln == sb->koeln && strcmp(a->koeln, b->koeln) == 0) ||
        ((sa->dm[0] | sa->dm[1]) && double_metaphone_match(a, b)))
        return LINK_NAME_PHONETIC;
    return similar_level(a, b, NULL);
}

int link_names_swapped_levels(enum link_name_level straight_f, enum link_name_level straight_g,
                              enum link_name_level cross_1, enum link_name_level cross_2)
{
    enum link_name_level lo = cross_1 < cross_2 ? cross_1 : cross_2;
    enum link_name_level hi = cross_1 < cross_2 ? cross_2 : cross_1;
    return lo != LINK_NAME_MISSING && lo <= LINK_NAME_PHONETIC && hi <= LINK_NAME_WEAK &&
           (int)cross_1 + (int)cross_2 < (int)straight_f + (int)straight_g;
}

int link_names_swapped(const struct link_name_keys *fam_a, const struct link_name_keys *giv_a,
                       const struct link_name_keys *fam_b, const struct link_name_keys *giv_b)
{
    return link_names_swapped_levels(
        link_compare_names(fam_a, fam_b, NULL), link_compare_names(giv_a, giv_b, NULL),
        link_compare_names(fam_a, giv_b, NULL), link_compare_names(giv_a, fam_b, NULL));
}

static int digits_differ_by_one(int x, int y, int width)
{
    int diffs = 0;
    for (int i = 0; i < width; i++) {
        if (x % 10 != y % 10)
            diffs++;
        x /= 10;
        y /= 10;
    }
    return diffs == 1;
}

enum link_date_level link_compare_dates(const struct fn_pdate *a, const struct fn_pdate *b)
{
    if (!a->year || !b->year)
        return LINK_DATE_MISSING;
    if (fn_pdate_equal(a, b))
        return LINK_DATE_EXACT;
    if (fn_pdate_compatible(a, b))
        return LINK_DATE_PARTIAL;
    int full = a->month && a->day && b->month && b->day;
    if (a->year == b->year &&
        ((a->flags & FN_PDATE_PLACEHOLDER) || (b->flags & FN_PDATE_PLACEHOLDER)))
        return LINK_DATE_PLACEHOLDER;
    if (full && a->year == b->year && a->month == b->day && a->day == b->month)
        return LINK_DATE_SWAPPED;
    if (full) {
        int same_md = a->month == b->month && a->day == b->day;
        int dy = a->year > b->year ? a->year - b->year : b->year - a->year;
        if (same_md && (dy == 1 || digits_differ_by_one(a->year, b->year, 4)))
            return LINK_DATE_TYPO;
        /* one digit of the day, or a neighbouring day (09/10 differ in two
         * digits but are one slip apart) */
        if (a->year == b->year && a->month == b->month &&
            (digits_differ_by_one(a->day, b->day, 2) || a->day == b->day + 1 ||
             b->day == a->day + 1))
            return LINK_DATE_TYPO;
        if (a->year == b->year && a->day == b->day && digits_differ_by_one(a->month, b->month, 2))
            return LINK_DATE_TYPO;
    }
    return LINK_DATE_DIFFERENT;
}

enum link_exact_level link_compare_codes(const char *a, size_t alen, const char *b, size_t blen)
{
    while (alen && (*a == ' ' || *a == '\t')) {
        a++;
        alen--;
    }
    while (alen && (a[alen - 1] == ' ' || a[alen - 1] == '\t'))
        alen--;
    while (blen && (*b == ' ' || *b == '\t')) {
        b++;
        blen--;
    }
    while (blen && (b[blen - 1] == ' ' || b[blen - 1] == '\t'))
        blen--;
    if (!alen || !blen)
        return LINK_EXACT_MISSING;
    if (alen == blen && strncasecmp(a, b, alen) == 0)
        return LINK_EXACT_EQUAL;
    /* Fast exits: one edit changes the length by at most one, and on equal
     * lengths touches at most two positions (a transposition). */
    if (alen > blen + 1 || blen > alen + 1)
        return LINK_EXACT_DIFFERENT;
    if (alen == blen) {
        int differ = 0;
        for (size_t i = 0; i < alen && differ <= 2; i++) {
            char x = a[i], y = b[i];
            x = (char)((x >= 'A' && x <= 'Z') ? x - 'A' + 'a' : x);
            y = (char)((y >= 'A' && y <= 'Z') ? y - 'A' + 'a' : y);
            differ += x != y;
        }
        if (differ > 2)
            return LINK_EXACT_DIFFERENT;
    }
    char la[CMP_MAX], lb[CMP_MAX];
    size_t na = alen > CMP_MAX ? CMP_MAX : alen, nb = blen > CMP_MAX ? CMP_MAX : blen;
    for (size_t i = 0; i < na; i++)
        la[i] = (char)((a[i] >= 'A' && a[i] <= 'Z') ? a[i] - 'A' + 'a' : a[i]);
    for (size_t i = 0; i < nb; i++)
        lb[i] = (char)((b[i] >= 'A' && b[i] <= 'Z') ? b[i] - 'A' + 'a' : b[i]);
    /* one edit in a one- or two-character code (sex m/f) is a different
     * value, not a slip */
    if ((na >= 3 || nb >= 3) && link_damerau_levenshtein(la, na, lb, nb, 1) <= 1)
        return LINK_EXACT_CLOSE;
    return LINK_EXACT_DIFFERENT;
}

const char *link_name_level_label(enum link_name_level l)
{
    static const char *const labels[LINK_NAME_LEVELS] = {
        "fehlt",           "gleich",     "Schreibvariante/Umschrift", "klanggleich", "ähnlich",
        "schwach ähnlich", "verschieden"};
    return (int)l >= 0 && l < LINK_NAME_LEVELS ? labels[l] : "?";
}

const char *link_date_level_label(enum link_date_level l)
{
    static const char *const labels[LINK_DATE_LEVELS] = {"fehlt",
                                                         "gleich",
                                                         "verträglich (Teildatum)",
                                                         "01.01.-Platzhalter",
                                                         "Tag/Monat vertauscht",
                                                         "Tippfehler",
                                                         "verschieden"};
    return (int)l >= 0 && l < LINK_DATE_LEVELS ? labels[l] : "?";
}

const char *link_exact_level_label(enum link_exact_level l)
{
    static const char *const labels[LINK_EXACT_LEVELS] = {"fehlt", "gleich", "fast gleich",
                                                          "verschieden"};
    return (int)l >= 0 && l < LINK_EXACT_LEVELS ? labels[l] : "?";
}

static uint32_t sig_hash(const char *s, size_t min_len)
{
    size_t n = strlen(s);
    if (n < min_len || !n)
        return 0;
    uint64_t h = fn_fnv1a(FN_FNV_OFFSET, s, n);
    uint32_t f = (uint32_t)(h ^ (h >> 32));
    return f ? f : 1;
}

static uint16_t sig_hash16(const char *s, size_t min_len)
{
    uint32_t h = sig_hash(s, min_len);
    if (!h)
        return 0;
    uint16_t f = (uint16_t)(h ^ (h >> 16));
    return f ? f : 1;
}

/* Counts of the bytes of s[0..len) in classes of 4 bits each: letters a-z
 * have a class of their own in the 32-class histogram, any other byte
 * shares one of six. Returns 0 when a count does not fit 4 bits. Merged
 * classes only make the bound weaker, never wrong. */
static int sig_hist32(const char *s, size_t len, uint64_t out[2])
{
    out[0] = out[1] = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned cls = c >= 'a' && c <= 'z' ? (unsigned)(c - 'a') : 26u + c % 6u;
        uint64_t *w = &out[cls / 16];
        unsigned shift = (cls % 16) * 4;
        if (((*w >> shift) & 0xF) == 0xF)
            return 0;
        *w += (uint64_t)1 << shift;
    }
    return 1;
}

/* The same for a skeleton in 16 classes (consonants; pairs of letters
 * share a class). */
static int sig_hist16(const char *s, size_t len, uint64_t *out)
{
    *out = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned shift = ((unsigned char)s[i] % 16u) * 4;
        if (((*out >> shift) & 0xF) == 0xF)
            return 0;
        *out += (uint64_t)1 << shift;
    }
    return 1;
}

/* Sum over the 16 nibbles of min(a, b): an upper bound of the characters
 * two strings can have in common. Branch-free: per byte lane,
 * (x | 0x80) - y keeps bit 7 exactly when x >= y. */
static unsigned nibble_min_sum(uint64_t a, uint64_t b)
{
    const uint64_t lo = 0x0F0F0F0F0F0F0F0Full, hi = 0x8080808080808080ull;
    const uint64_t ones = 0x0101010101010101ull;
    unsigned sum = 0;
    for (int half = 0; half < 2; half++) {
        uint64_t x = (a >> (4 * half)) & lo, y = (b >> (4 * half)) & lo;
        uint64_t ge = (((x | hi) - y) >> 7) & ones; /* 1 where x >= y */
        uint64_t mask = ge * 0xFF;
        uint64_t mn = (y & mask) | (x & ~mask);
        sum += (unsigned)((mn * ones) >> 56); /* 8 lanes of at most 15 */
    }
    return sum;
}

static unsigned common_prefix4(const char a[4], const char b[4], unsigned la, unsigned lb)
{
    unsigned n = 0;
    while (n < 4 && n < la && n < lb && a[n] == b[n])
        n++;
    return n;
}

/* Rounding margin: the bound must stay an upper bound in floating point. */
#define SIG_BOUND_EPS 1e-9

/* 1/n for n = 0..255 (0 for n = 0), so that the bounds below multiply
 * instead of divide. */
#define INV1(n)  ((n) ? 1.0 / (n) : 0.0)
#define INV4(n)  INV1(n), INV1((n) + 1), INV1((n) + 2), INV1((n) + 3)
#define INV16(n) INV4(n), INV4((n) + 4), INV4((n) + 8), INV4((n) + 12)
#define INV64(n) INV16(n), INV16((n) + 16), INV16((n) + 32), INV16((n) + 48)
static const double inverse_length[256] = {INV64(0), INV64(64), INV64(128), INV64(192)};

/* The most characters two strings of lengths la, lb with at most common
 * characters in common can match. */
static unsigned bound_matches(unsigned common, unsigned la, unsigned lb)
{
    unsigned m = common < la ? common : la;
    return m < lb ? m : lb;
}

/* Upper bound of link_jaro_winkler for strings of lengths la, lb (<= 255,
 * cut like link_jaro_winkler cuts them) with at most common characters in
 * common and a common prefix of prefix (<= 4) bytes: no transpositions and
 * every common character matched. */
static double jaro_winkler_bound(unsigned common, unsigned la, unsigned lb, unsigned prefix)
{
    unsigned m = bound_matches(common, la, lb);
    if (!m)
        return 0.0;
    double jaro = ((double)m * (inverse_length[la] + inverse_length[lb]) + 1.0) * (1.0 / 3.0);
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

/* Whether jaro_winkler_bound(common, la, lb, prefix) >= threshold, without a
 * division: with q = 0.1 * prefix, JW >= T exactly when Jaro >= (T - q) /
 * (1 - q) = jaro_min[prefix], and Jaro >= J exactly when m (la + lb) +
 * la lb >= 3 J la lb. The small relative margin keeps it on the safe side
 * of rounding ("reaches" when in doubt). */
static int jaro_winkler_bound_reaches(unsigned common, unsigned la, unsigned lb, unsigned prefix,
                                      const double jaro_min[5])
{
    unsigned m = bound_matches(common, la, lb);
    if (!m)
        return 0;
    double lhs = (double)m * (double)(la + lb) + (double)la * (double)lb;
    double rhs = 3.0 * jaro_min[prefix] * (double)la * (double)lb;
    return lhs >= rhs * (1.0 - SIG_BOUND_EPS);
}

#define JARO_MIN(t)                                                                                \
    {                                                                                              \
        (t), ((t)-0.1) / 0.9, ((t)-0.2) / 0.8, ((t)-0.3) / 0.7, ((t)-0.4) / 0.6                    \
    }
static const double jaro_min_weak[5] = JARO_MIN(TOKENS_WEAK);
static const double jaro_min_skeleton[5] = JARO_MIN(SKELETON_SIMILAR);

static double token_bound(const struct link_token_sig *a, const struct link_token_sig *b)
{
    unsigned common =
        nibble_min_sum(a->hist[0], b->hist[0]) + nibble_min_sum(a->hist[1], b->hist[1]);
    return jaro_winkler_bound(common, a->len, b->len,
                              common_prefix4(a->pre, b->pre, a->len, b->len));
}

/* Token t of the name of s: its own entry in the table, or for a name of
 * one token the name itself. */
static const struct link_token_sig *sig_token(const struct link_name_sig *s,
                                              const struct link_token_sig *table, unsigned t,
                                              struct link_token_sig *one)
{
    if (s->ntokens > 1)
        return &table[s->tokens + t];
    one->hist[0] = s->hist[0];
    one->hist[1] = s->hist[1];
    memcpy(one->pre, s->ascii_pre, 4);
    one->len = s->ascii_len;
    return one;
}

int link_name_sig_different(const struct link_name_sig *a, const struct link_name_sig *b,
                            const struct link_token_sig *tokens)
{
    if (!a->bounded || !b->bounded)
        return 0;
    int skeletons = a->skel_len >= 4 && b->skel_len >= 4;
    if (a->ntokens == 1 && b->ntokens == 1) /* the common case, without divisions */
        return !jaro_winkler_bound_reaches(
                   nibble_min_sum(a->hist[0], b->hist[0]) + nibble_min_sum(a->hist[1], b->hist[1]),
                   a->ascii_len, b->ascii_len,
                   common_prefix4(a->ascii_pre, b->ascii_pre, a->ascii_len, b->ascii_len),
                   jaro_min_weak) &&
               !(skeletons &&
                 jaro_winkler_bound_reaches(
                     nibble_min_sum(a->skel_hist, b->skel_hist), a->skel_len, b->skel_len,
                     common_prefix4(a->skel_pre, b->skel_pre, a->skel_len, b->skel_len),
                     jaro_min_skeleton));
    if (!tokens)
        return 0;
    /* the token-set similarity as link_token_set_similarity forms it: the
     * mean over the tokens of the name with fewer of each one's best
     * Jaro-Winkler; a token subset means a mean of 1 */
    const struct link_name_sig *s = a->ntokens <= b->ntokens ? a : b;
    const struct link_name_sig *l = s == a ? b : a;
    struct link_token_sig one_s, one_l;
    double sum = 0.0, need = (TOKENS_WEAK - SIG_BOUND_EPS) * (double)s->ntokens;
    for (unsigned i = 0; i < s->ntokens; i++) {
        const struct link_token_sig *ts = sig_token(s, tokens, i, &one_s);
        double best = 0.0;
        for (unsigned j = 0; j < l->ntokens && best < 1.0; j++) {
            double v = token_bound(ts, sig_token(l, tokens, j, &one_l));
            if (v > best)
                best = v;
        }
        sum += best;
        if (sum >= need) /* the mean can reach the threshold */
            return 0;
    }
    return !(skeletons && jaro_winkler_bound_reaches(
                              nibble_min_sum(a->skel_hist, b->skel_hist), a->skel_len, b->skel_len,
                              common_prefix4(a->skel_pre, b->skel_pre, a->skel_len, b->skel_len),
                              jaro_min_skeleton));
}

void link_name_sig_make(const struct link_name_keys *k, struct link_name_sig *out)
{
    memset(out, 0, sizeof *out);
    if (k->empty)
        return;
    /* the same conditions as link_compare_names and double_metaphone_match */
    out->folded = sig_hash(k->folded, 0);
    out->ascii = sig_hash(k->ascii, 1);
    out->sorted = sig_hash(k->sorted, 1);
    out->skel = sig_hash(k->skeleton, 2);
    out->koeln = sig_hash(k->koeln, 3);
    out->ntokens = k->ntokens;
    if (k->ntokens == 1) {
        out->dm[0] = sig_hash16(k->dm_pri, 3);
        out->dm[1] = sig_hash16(k->dm_alt, 3);
    }
    /* lengths cut like link_jaro_winkler cuts them */
    size_t la = strlen(k->ascii), ls = strlen(k->skeleton);
    out->ascii_len = (uint8_t)(la > CMP_MAX ? CMP_MAX : la);
    out->skel_len = (uint8_t)(ls > CMP_MAX ? CMP_MAX : ls);
    memcpy(out->ascii_pre, k->ascii, la < 4 ? la : 4);
    memcpy(out->skel_pre, k->skeleton, ls < 4 ? ls : 4);
    /* a single token is the whole ascii key: its token-set similarity is
     * the Jaro-Winkler of the keys; more tokens need link_name_sig_tokens */
    out->bounded = k->ntokens == 1 && out->ascii_len > 0 && k->tok_len[0] == out->ascii_len &&
                   sig_hist32(k->ascii, out->ascii_len, out->hist) &&
                   sig_hist16(k->skeleton, out->skel_len, &out->skel_hist);
}

void link_name_sig_tokens(const struct link_name_keys *k, struct link_name_sig *sig,
                          struct link_token_sig *table, uint32_t index)
{
    sig->tokens = index;
    int ok = k->ntokens > 1 && !k->empty && sig_hist16(k->skeleton, sig->skel_len, &sig->skel_hist);
    for (unsigned t = 0; t < k->ntokens; t++) {
        struct link_token_sig *ts = &table[index + t];
        memset(ts, 0, sizeof *ts);
        size_t off = k->tok_off[t], len = k->tok_len[t];
        ts->len = (uint8_t)len;
        memcpy(ts->pre, k->ascii + off, len < 4 ? len : 4);
        if (!len || !sig_hist32(k->ascii + off, len, ts->hist))
            ok = 0;
    }
    sig->bounded = (uint8_t)ok;
}
