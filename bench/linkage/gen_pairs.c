/*
 * gen_pairs.c – synthetic register pairs with truth files: the accuracy
 * benchmark of `fallnetz reconcile` (issue 3).
 *
 *   fallnetz-gen-pairs [--mix NAME] [--p-discrepant PERMILLE] [--changes MIN-MAX]
 *                      [--p-noazr PERMILLE] [--p-relatives PERMILLE] [--p-only PERMILLE]
 *                      [--p-native PERMILLE]
 *                      N SEED [MIX] OUTDIR
 *
 * A local register (Ausländerdatei, local.csv) and an AZR export (azr.csv)
 * describe the same N synthetic people (about 4 % of them in only one of the
 * two each) with the discrepancies of domain.md § 1.3 and the register spec
 * in a chosen mix (easy, hard, translit, dates, relatives, noazr, mixed; see
 * --help). The truth:
 *   truth_matches.csv  local_id, azr_id          which records belong together
 *   truth_diffs.csv    local_id, azr_id, field   every substantive difference
 *   generator.txt      the parameters used and what came out (counts per field)
 *
 * The truth diffs are computed from the values written, by the spec's
 * definition – every column except record_id and updated_at whose values
 * differ after trimming surrounding blanks and ignoring case – not from the
 * list of changes made, so a change that happens to restore a value is no
 * difference. Cosmetic noise (case, surrounding blanks) is only ever applied
 * in forms whose Unicode case fold equals the original (ASCII, Latin-1,
 * Latin Extended-A, Cyrillic pairs; never ß, ı, İ), so the simple fold here
 * agrees with NFKC + case folding (bench/linkage/check_truth.py checks that
 * independently). Things the spec leaves open are never written: repeated
 * inner blanks, reordered aliases, blanks around the alias '|'.
 *
 * The AZR export is in random order with random-looking record ids
 * ("AZR-" + 16 hex digits) and 12-digit AZR numbers that do not follow the
 * person order; the local register is roughly in person order with one
 * record in ten moved. Same arguments, same files. A bench tool: it keeps
 * both registers in memory (about 400 bytes per person; 1,000,000 people in
 * 16 s and 390 MB).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/file.h"
#include "core/pdate.h"
#include "core/utf8.h"
#include "demo/demo.h"
#include "names/names.h"

#define NCOL      19
#define VLEN      200
#define MAX_N     10000000L
#define ARENA_MAX ((size_t)16 << 30)
#define RING      32

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

/* Kinds of discrepancy. The first ten are the original easy/hard set. */
enum kind {
    K_FAM_SPELLING,     /* other transliteration of the family name */
    K_GIV_SPELLING,     /* other spelling of one given name */
    K_NAME_TYPO,        /* transposition, substitution or deletion in a name */
    K_NAME_SWAP,        /* family and given names swapped */
    K_MIDDLE_MISSING,   /* a given name after the first missing */
    K_DATE_PLACEHOLDER, /* YYYY-01-01 on one side */
    K_DATE_MONTH,       /* YYYY-MM-00 on one side */
    K_RSTATUS,          /* residence status changed, recorded later on that side */
    K_PLACE,            /* birth place spelled otherwise or empty */
    K_DATE_DAY,         /* day off by one */
    K_DATE_YEAR_ONLY,   /* YYYY-00-00 on one side */
    K_DATE_SWAP,        /* day and month swapped */
    K_DATE_YEAR,        /* year off by one */
    K_DATE_DIGIT,       /* one digit mistyped (still a valid date) */
    K_NATIVE,           /* a name field in the original script (AZR side) */
    K_HYPHEN,           /* Al-Hassan / Al Hassan, Mohammed Ali / Mohammed-Ali */
    K_SECOND_FAMILY,    /* a second family name added */
    K_GIV_MISSING,      /* given names empty on one side */
    K_BIRTH_NAME,       /* birth name filled on one side only */
    K_ALIASES,          /* an alias more or less on one side */
    K_SEX_U,            /* sex u on one side */
    K_NAT_XXX,          /* nationality XXX on one side */
    K_NAT_OTHER,        /* another nationality (or stateless XXA) */
    K_BCOUNTRY,         /* birth country differs (other, XXX or empty) */
    K_IDSTATUS,         /* identity status changed, recorded later on that side */
    K_RSINCE,           /* residence_since changed, recorded later on that side */
    K_COUNT
};
static const char *const kind_name[K_COUNT] = {
    "fam_spelling", "giv_spelling", "name_typo", "name_swap", "middle_missing", "date_placeholder",
    "date_month",   "rstatus",      "place",     "date_day",  "date_year_only", "date_swap",
    "date_year",    "date_digit",   "native",    "hyphen",    "second_family",  "giv_missing",
    "birth_name",   "aliases",      "sex_u",     "nat_xxx",   "nat_other",      "bcountry",
    "idstatus",     "rsince"};

/* One error mix. Shares are per mille. */
struct mix {
    const char *name;
    const char *about;        /* German, for --help */
    uint32_t p_only;          /* people in only one register, per side */
    uint32_t p_noazr;         /* local record without AZR number */
    uint32_t p_azr_typo;      /* local AZR number with a wrong digit */
    uint32_t p_azr_other;     /* local AZR number of another person in the AZR export */
    uint32_t p_moved;         /* moved; the side that knows has the later update */
    uint32_t p_disc;          /* pairs with discrepancies */
    int ch_min, ch_max;       /* changes per discrepant pair */
    uint32_t p_relative;      /* relative of a recent person: same family name and place */
    uint32_t p_twin;          /* of relatives: twin (same birth date, other given names) */
    uint32_t p_same_year;     /* of the other relatives: same birth year */
    uint32_t p_household;     /* of relatives: same address and residence_since (a household) */
    uint32_t p_variant;       /* a name written in a non-standard spelling */
    uint32_t p_indep;         /* the two registers chose their spellings independently */
    uint32_t p_native;        /* AZR record of the person in the original script */
    uint32_t p_noise;         /* case or surrounding blanks per text field and side */
    uint32_t p_aliases;       /* the person has aliases (both registers) */
    uint32_t p_birth_name;    /* the person (a woman) has a birth name (both registers) */
    uint32_t p_placeholder;   /* birth date known by year only, stored as 01-01 */
    uint32_t p_month_only;    /* birth date known to the month */
    uint32_t p_year_only_add; /* added to the population's year-only share */
    uint16_t w[K_COUNT];      /* relative weights of the kinds */
};

#define W_CLASSIC                                                                                  \
    [K_FAM_SPELLING] = 10, [K_GIV_SPELLING] = 10, [K_NAME_TYPO] = 10, [K_NAME_SWAP] = 10,          \
    [K_MIDDLE_MISSING] = 10, [K_DATE_PLACEHOLDER] = 5, [K_DATE_MONTH] = 5, [K_RSTATUS] = 10,       \
    [K_PLACE] = 10, [K_DATE_DAY] = 10
#define W_GENERAL                                                                                  \
    [K_FAM_SPELLING] = 8, [K_GIV_SPELLING] = 8, [K_NAME_TYPO] = 8, [K_NAME_SWAP] = 4,              \
    [K_MIDDLE_MISSING] = 6, [K_DATE_PLACEHOLDER] = 6, [K_DATE_MONTH] = 4, [K_RSTATUS] = 6,         \
    [K_PLACE] = 6, [K_DATE_DAY] = 4, [K_DATE_YEAR_ONLY] = 4, [K_DATE_SWAP] = 4, [K_DATE_YEAR] = 4, \
    [K_DATE_DIGIT] = 4, [K_NATIVE] = 3, [K_HYPHEN] = 5, [K_SECOND_FAMILY] = 3,                     \
    [K_GIV_MISSING] = 3, [K_BIRTH_NAME] = 4, [K_ALIASES] = 4, [K_SEX_U] = 4, [K_NAT_XXX] = 4,      \
    [K_NAT_OTHER] = 3, [K_BCOUNTRY] = 4, [K_IDSTATUS] = 5, [K_RSINCE] = 5

static const struct mix mixes[] = {
    {.name = "easy",
     .about = "~10 % abweichende Paare (1–2 Änderungen), 10 % ohne AZR-Nummer",
     .p_only = 40,
     .p_noazr = 100,
     .p_azr_typo = 10,
     .p_moved = 40,
     .p_disc = 100,
     .ch_min = 1,
     .ch_max = 2,
     .p_relative = 50,
     .p_variant = 250,
     .p_noise = 30,
     .p_placeholder = 80,
     .w = {W_CLASSIC}},
    {.name = "hard",
     .about = "40 % ohne AZR-Nummer, 25 % umgezogen, ~35 % abweichend (2–4 Änderungen)",
     .p_only = 40,
     .p_noazr = 400,
     .p_azr_typo = 20,
     .p_moved = 250,
     .p_disc = 350,
     .ch_min = 2,
     .ch_max = 4,
     .p_relative = 150,
     .p_variant = 250,
     .p_noise = 30,
     .p_placeholder = 80,
     .w = {W_CLASSIC}},
    {.name = "translit",
     .about = "Umschrift: Schreibweisen je Register unabhängig, 20 % im AZR in "
              "Originalschrift, Bindestriche, Doppelnamen",
     .p_only = 40,
     .p_noazr = 300,
     .p_azr_typo = 10,
     .p_azr_other = 5,
     .p_moved = 100,
     .p_disc = 350,
     .ch_min = 1,
     .ch_max = 3,
     .p_relative = 100,
     .p_twin = 50,
     .p_same_year = 200,
     .p_variant = 400,
     .p_indep = 600,
     .p_native = 200,
     .p_noise = 60,
     .p_aliases = 80,
     .p_birth_name = 50,
     .p_placeholder = 80,
     .w = {[K_FAM_SPELLING] = 30,
           [K_GIV_SPELLING] = 30,
           [K_PLACE] = 20,
           [K_HYPHEN] = 20,
           [K_NATIVE] = 10,
           [K_NAME_TYPO] = 10,
           [K_SECOND_FAMILY] = 5,
           [K_MIDDLE_MISSING] = 5,
           [K_ALIASES] = 5,
           [K_BIRTH_NAME] = 5}},
    {.name = "dates",
     .about = "Geburtsdaten: 01-01-Platzhalter, nur Jahr, nur Monat, Tag/Monat vertauscht, "
              "Jahr ±1, Tippfehler",
     .p_only = 40,
     .p_noazr = 400,
     .p_azr_typo = 10,
     .p_azr_other = 5,
     .p_moved = 100,
     .p_disc = 500,
     .ch_min = 1,
     .ch_max = 2,
     .p_relative = 100,
     .p_twin = 50,
     .p_same_year = 200,
     .p_variant = 250,
     .p_indep = 100,
     .p_noise = 40,
     .p_aliases = 50,
     .p_birth_name = 50,
     .p_placeholder = 150,
     .p_month_only = 60,
     .p_year_only_add = 50,
     .w = {[K_DATE_PLACEHOLDER] = 20,
           [K_DATE_YEAR_ONLY] = 15,
           [K_DATE_MONTH] = 15,
           [K_DATE_SWAP] = 15,
           [K_DATE_YEAR] = 15,
           [K_DATE_DIGIT] = 15,
           [K_DATE_DAY] = 10,
           [K_FAM_SPELLING] = 5,
           [K_GIV_SPELLING] = 5,
           [K_NAME_TYPO] = 5}},
    {.name = "relatives",
     .about = "45 % Verwandte (gleicher Familienname und Geburtsort), davon 25 % Zwillinge, "
              "30 % Geschwister im selben Jahr",
     .p_only = 40,
     .p_noazr = 400,
     .p_azr_typo = 10,
     .p_azr_other = 10,
     .p_moved = 150,
     .p_disc = 250,
     .ch_min = 1,
     .ch_max = 3,
     .p_relative = 450,
     .p_twin = 250,
     .p_same_year = 300,
     .p_variant = 250,
     .p_indep = 100,
     .p_native = 30,
     .p_noise = 40,
     .p_aliases = 50,
     .p_birth_name = 80,
     .p_placeholder = 80,
     .w = {W_GENERAL}},
    {.name = "noazr",
     .about = "80 % ohne AZR-Nummer, 3 % mit der AZR-Nummer einer anderen Person",
     .p_only = 40,
     .p_noazr = 800,
     .p_azr_typo = 10,
     .p_azr_other = 30,
     .p_moved = 150,
     .p_disc = 250,
     .ch_min = 1,
     .ch_max = 3,
     .p_relative = 150,
     .p_twin = 80,
     .p_same_year = 200,
     .p_variant = 250,
     .p_indep = 100,
     .p_native = 30,
     .p_noise = 40,
     .p_aliases = 50,
     .p_birth_name = 50,
     .p_placeholder = 80,
     .w = {W_GENERAL}},
    {.name = "mixed",
     .about = "alle Abweichungsarten gemischt, 30 % abweichend (1–4 Änderungen)",
     .p_only = 40,
     .p_noazr = 400,
     .p_azr_typo = 10,
     .p_azr_other = 10,
     .p_moved = 150,
     .p_disc = 300,
     .ch_min = 1,
     .ch_max = 4,
     .p_relative = 200,
     .p_twin = 100,
     .p_same_year = 250,
     .p_variant = 300,
     .p_indep = 250,
     .p_native = 60,
     .p_noise = 50,
     .p_aliases = 60,
     .p_birth_name = 60,
     .p_placeholder = 100,
     .p_month_only = 30,
     .p_year_only_add = 20,
     .w = {W_GENERAL}},
};
#define NMIXES (sizeof mixes / sizeof mixes[0])

struct rec {
    char v[NCOL][VLEN];
};

/* The household columns of the recent persons (by ring slot, local and
 * AZR side), for relatives who live with them (--p-household). */
#define NHOUSE 5
static const int house_cols[NHOUSE] = {C_STREET, C_POSTCODE, C_MUNI, C_AUTH, C_RSINCE};
static char house[RING][2][NHOUSE][VLEN];

struct person {
    long idx;
    long head; /* index of the person this one is a relative of, or -1 */
    enum names_population pop;
    char sex; /* m, f, x */
    const struct names_entry *fam, *giv[3], *place, *birth_fam;
    const struct names_entry *alias_fam[2], *alias_giv[2];
    int ngiv, naliases;
    unsigned y, m, d;
    int date_kind; /* DK_* */
    const char *nat, *bcountry;
};
enum { DK_FULL, DK_YEAR, DK_PLACEHOLDER, DK_MONTH };

/* The generator's state: one random stream for the people, one for the file order. */
static struct demo_rng rng, order_rng;
static const struct mix *mx;
static const struct names_municipality *mun;
static size_t nmun;
static const char *const *streets;
static size_t nstreets;

static uint32_t below(uint32_t n)
{
    return n ? demo_rng_below(&rng, n) : 0;
}

static int chance(uint32_t permille)
{
    return demo_rng_chance(&rng, permille);
}

/* splitmix64's finaliser: a bijection on 64 bits, so distinct inputs give distinct ids. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* AZR number of person i: an affine permutation of [0, 9e11), so numbers are
 * unique, 12 digits and unrelated to the person order. 7,919,006,441 is
 * coprime to 9e11 (= 2^11 3^2 5^11). */
static unsigned long long azr_number(uint64_t seed, long i)
{
    const uint64_t m = 900000000000ull;
    uint64_t b = mix64(seed + 17) % m;
    uint64_t x = ((uint64_t)i % m * (7919006441ull % m)) % m; /* i < 1e7: no overflow */
    return 100000000000ull + (x + b) % m;
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
static const char *spelling(const struct names_entry *e, uint32_t p_variant)
{
    size_t n = nvariants(e);
    return n > 1 && chance(p_variant) ? e->latin[1 + below((uint32_t)n - 1)] : e->latin[0];
}

static void set(struct rec *r, int c, const char *s)
{
    snprintf(r->v[c], VLEN, "%s", s);
}

/* ---- case folding for the truth and fold-preserving case noise ---- */

/* Lower case of the letters the noise may upper-case: ASCII, Latin-1,
 * Latin Extended-A (without İ ı ĸ ŉ ſ) and basic Cyrillic. For these the
 * result equals the Unicode case fold. */
static uint32_t simple_lower(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 0x20;
    if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
        return c % 2 ? c : c + 1;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return c % 2 ? c + 1 : c;
    if (c == 0x178)
        return 0xFF;
    if (c >= 0x410 && c <= 0x42F)
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40F)
        return c + 0x50;
    return c;
}

/* Upper case for the same pairs (the inverse of simple_lower); every other
 * character stays, so the fold of the result is the fold of the input. */
static uint32_t simple_upper(uint32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
        return c - 0x20;
    if (c == 0xFF)
        return 0x178;
    if ((c >= 0x101 && c <= 0x12F) || (c >= 0x133 && c <= 0x137) || (c >= 0x14B && c <= 0x177))
        return c % 2 ? c - 1 : c;
    if ((c >= 0x13A && c <= 0x148) || (c >= 0x17A && c <= 0x17E))
        return c % 2 ? c : c - 1;
    if (c >= 0x430 && c <= 0x44F)
        return c - 0x20;
    if (c >= 0x450 && c <= 0x45F)
        return c - 0x50;
    return c;
}

/* Maps every character of s through f; s keeps its byte length (the pairs
 * above encode in the same number of bytes). */
static void map_case(char *s, uint32_t (*f)(uint32_t))
{
    size_t len = strlen(s), k = 0;
    while (k < len) {
        uint32_t cp;
        size_t n = fn_utf8_decode(s + k, len - k, &cp);
        if (!n)
            return;
        char enc[4];
        size_t m = fn_utf8_encode(f(cp), enc);
        if (m == n)
            memcpy(s + k, enc, n);
        k += n;
    }
}

static void trim_view(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* 1 when a and b are equal after trimming surrounding blanks and folding case. */
static int fold_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    trim_view(&a, &la);
    trim_view(&b, &lb);
    size_t i = 0, j = 0;
    while (i < la && j < lb) {
        uint32_t x, y;
        size_t n = fn_utf8_decode(a + i, la - i, &x);
        size_t m = fn_utf8_decode(b + j, lb - j, &y);
        if (!n || !m)
            return la - i == lb - j && !memcmp(a + i, b + j, la - i);
        if (simple_lower(x) != simple_lower(y))
            return 0;
        i += n;
        j += m;
    }
    return i == la && j == lb;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The aliases as a sorted set of folded entries, joined by ';'. */
static void alias_set(const char *aliases, char out[VLEN])
{
    char copy[VLEN], *items[16], *save = NULL;
    int n = 0;
    snprintf(copy, VLEN, "%s", aliases);
    map_case(copy, simple_lower);
    for (char *t = strtok_r(copy, ";", &save); t && n < 16; t = strtok_r(NULL, ";", &save))
        items[n++] = t;
    qsort(items, (size_t)n, sizeof *items, cmp_str);
    size_t len = 0;
    out[0] = 0;
    for (int k = 0; k < n && len < VLEN; k++) {
        if (k && !strcmp(items[k], items[k - 1]))
            continue;
        len += (size_t)snprintf(out + len, VLEN - len, "%s%s", len ? ";" : "", items[k]);
    }
}

/* Whether two alias lists that differ only in order or repetition are a
 * difference is open in the spec (the string differs, the set does not):
 * such pairs are never written. */
static void settle_aliases(struct rec *l, const struct rec *c)
{
    char a[VLEN], b[VLEN];
    if (fold_equal(l->v[C_ALIASES], c->v[C_ALIASES]))
        return;
    alias_set(l->v[C_ALIASES], a);
    alias_set(c->v[C_ALIASES], b);
    if (!strcmp(a, b))
        memcpy(l->v[C_ALIASES], c->v[C_ALIASES], VLEN);
}

/* ---- name edits ---- */

static int is_letter_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A typo inside a word: never at the first letter, never next to a blank,
 * hyphen or non-ASCII character, so the token structure stays. Returns 1
 * when the value changed. */
static int typo(char *s)
{
    size_t n = strlen(s);
    if (n < 4)
        return 0;
    for (int tries = 0; tries < 8; tries++) {
        size_t k = 1 + below((uint32_t)n - 2);
        if (!is_letter_byte(s[k - 1]) || !is_letter_byte(s[k]) || !is_letter_byte(s[k + 1]))
            continue;
        switch (below(3)) {
        case 0: { /* transposition */
            if ((s[k] | 32) == (s[k + 1] | 32))
                continue;
            char t = s[k];
            s[k] = s[k + 1];
            s[k + 1] = t;
            return 1;
        }
        case 1: { /* substitution */
            char c = (char)('a' + below(26));
            if (c == (s[k] | 32))
                continue;
            s[k] = c;
            return 1;
        }
        default: /* deletion */
            memmove(s + k, s + k + 1, n - k);
            return 1;
        }
    }
    return 0;
}

static int boundary(char c)
{
    return c == 0 || c == ' ' || c == '-';
}

/* Replaces a spelling of e found in field (at token boundaries, any case)
 * by another spelling of e. Returns 1 when replaced. */
static int replace_variant(char *field, const struct names_entry *e)
{
    size_t nv = nvariants(e);
    if (nv < 2)
        return 0;
    for (size_t v = 0; v < nv; v++) {
        const char *cur = e->latin[v];
        size_t lc = strlen(cur);
        for (char *p = field; *p; p++) {
            if (p != field && !boundary(p[-1]))
                continue;
            if (strncasecmp(p, cur, lc) || !boundary(p[lc]))
                continue;
            const char *o = e->latin[(v + 1 + below((uint32_t)nv - 1)) % nv];
            char out[VLEN];
            snprintf(out, VLEN, "%.*s%s%s", (int)(p - field), field, o, p + lc);
            snprintf(field, VLEN, "%s", out);
            return 1;
        }
    }
    return 0;
}

/* Splits s at single blanks into at most 16 tokens (pointers into s, which is modified). */
static int split_tokens(char *s, char *tok[16])
{
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(s, " ", &save); t && n < 16; t = strtok_r(NULL, " ", &save))
        tok[n++] = t;
    return n;
}

static int drop_middle(char *s)
{
    char copy[VLEN], *tok[16];
    snprintf(copy, VLEN, "%s", s);
    int n = split_tokens(copy, tok);
    if (n < 2)
        return 0;
    int drop = 1 + (int)below((uint32_t)n - 1);
    char out[VLEN] = "";
    size_t len = 0;
    for (int k = 0; k < n; k++) {
        if (k == drop)
            continue;
        len += (size_t)snprintf(out + len, VLEN - len, "%s%s", len ? " " : "", tok[k]);
        if (len >= VLEN)
            return 0;
    }
    snprintf(s, VLEN, "%s", out);
    return 1;
}

/* Al-Hassan <-> Al Hassan (or Alhassan); else the first two given names
 * joined by a hyphen. */
static int hyphen_variant(struct rec *s)
{
    char *f = s->v[C_FAM];
    char *h = strchr(f, '-');
    if (h && h != f && h[1]) {
        if (chance(700)) {
            *h = ' ';
        } else {
            memmove(h, h + 1, strlen(h)); /* Al-Hassan -> Alhassan */
            if (*h >= 'A' && *h <= 'Z')
                *h = (char)(*h - 'A' + 'a');
        }
        return 1;
    }
    char *sp = strchr(f, ' ');
    if (sp && sp != f && sp[1]) {
        *sp = '-';
        return 1;
    }
    char *g = s->v[C_GIV];
    h = strchr(g, '-');
    if (h && h != g && h[1]) {
        *h = ' ';
        return 1;
    }
    sp = strchr(g, ' ');
    if (sp && sp != g && sp[1]) {
        *sp = '-';
        return 1;
    }
    return 0;
}

/* ---- dates ---- */

static void set_date(struct rec *s, int c, unsigned y, unsigned m, unsigned d)
{
    snprintf(s->v[c], VLEN, "%04u-%02u-%02u", y, m, d);
}

/* Parses a register date written by this generator (YYYY-MM-DD). */
static int get_date(const struct rec *s, int c, unsigned *y, unsigned *m, unsigned *d)
{
    struct fn_pdate pd;
    if (fn_pdate_parse(s->v[c], strlen(s->v[c]), &pd) || !pd.year)
        return 0;
    *y = pd.year;
    *m = pd.month;
    *d = pd.day;
    return 1;
}

static int valid_date(unsigned y, unsigned m, unsigned d)
{
    if (y < 1900 || y > 2025 || m > 12 || (!m && d))
        return 0;
    return !d || (int)d <= fn_pdate_days_in_month((int)y, (int)m);
}

static int date_change(struct rec *s, enum kind k)
{
    unsigned y, m, d;
    if (!get_date(s, C_BDATE, &y, &m, &d))
        return 0;
    char before[VLEN];
    snprintf(before, VLEN, "%s", s->v[C_BDATE]);
    switch (k) {
    case K_DATE_PLACEHOLDER:
        set_date(s, C_BDATE, y, 1, 1);
        break;
    case K_DATE_YEAR_ONLY:
        set_date(s, C_BDATE, y, 0, 0);
        break;
    case K_DATE_MONTH:
        if (!m)
            return 0;
        set_date(s, C_BDATE, y, m, 0);
        break;
    case K_DATE_DAY:
        if (!d || (m == 1 && d == 1))
            return 0;
        set_date(s, C_BDATE, y, m, d < 28 ? d + 1 : d - 1);
        break;
    case K_DATE_SWAP:
        if (!d || d > 12 || d == m)
            return 0;
        set_date(s, C_BDATE, y, d, m);
        break;
    case K_DATE_YEAR:
        set_date(s, C_BDATE, chance(500) ? y + 1 : y - 1, m, d);
        break;
    default: { /* one digit of the decade, year, month or day mistyped */
        for (int tries = 0; tries < 12; tries++) {
            unsigned ny = y, nm = m, nd = d, r = (unsigned)below(10);
            switch (below(d ? 6 : m ? 4 : 2)) {
            case 0:
                ny = y - y % 100 + r * 10 + y % 10;
                break;
            case 1:
                ny = y - y % 10 + r;
                break;
            case 2:
                nm = r * 10 + m % 10;
                break;
            case 3:
                nm = m - m % 10 + r;
                break;
            case 4:
                nd = r * 10 + d % 10;
                break;
            default:
                nd = d - d % 10 + r;
            }
            if ((ny != y || nm != m || nd != d) && valid_date(ny, nm, nd) && (!m || nm) &&
                (!d || nd)) {
                set_date(s, C_BDATE, ny, nm, nd);
                break;
            }
        }
    }
    }
    if (!get_date(s, C_BDATE, &y, &m, &d) || !valid_date(y, m, d)) {
        snprintf(s->v[C_BDATE], VLEN, "%s", before);
        return 0;
    }
    return strcmp(before, s->v[C_BDATE]) != 0;
}

/* A later update on that side (updated_at is bookkeeping, never a difference). */
static void touch(struct rec *s)
{
    snprintf(s->v[C_UPDATED], VLEN, "2026-%02u-%02uT%02u:%02u:00Z", 1 + below(10), 1 + below(28),
             below(24), below(60));
}

/* ---- people and records ---- */

static const char *const statuses[] = {"ausreisepflichtig",
                                       "duldung",
                                       "gestattung",
                                       "aufenthaltserlaubnis",
                                       "niederlassungserlaubnis",
                                       "daueraufenthalt_eu",
                                       "unbekannt"};
static const char *const ident[] = {"geklaert", "ungeklaert", "in_klaerung"};

static const char *pick_code(const struct names_population_info *info)
{
    size_t n = 0;
    while (info->iso3[n])
        n++;
    return n > 1 && chance(400) ? info->iso3[1 + below((uint32_t)n - 1)] : info->iso3[0];
}

/* 1 when a recent person of family fam already carries first given name g. */
static int name_taken(const struct names_entry *fam, const struct names_entry *g,
                      const struct person *ring, long nring)
{
    for (long k = 0; k < nring && k < RING; k++)
        if (ring[k].fam == fam &&
            (ring[k].giv[0] == g || !strcmp(ring[k].giv[0]->latin[0], g->latin[0])))
            return 1;
    return 0;
}

/* Draws the given names. For a relative (ring given) the first one differs
 * from that of every recent person of the same family, so siblings and twins
 * are always told apart by name; returns 0 when no such name was found. */
static int draw_given(struct person *p, const struct person *ring, long nring)
{
    const struct names_entry *t = NULL;
    size_t nt = names_given(p->pop, p->sex == 'f' ? 'f' : 'm', &t);
    for (int g = 0; g < p->ngiv; g++) {
        p->giv[g] = pick(t, nt);
        for (int tries = 0; !g && ring && name_taken(p->fam, p->giv[0], ring, nring); tries++) {
            if (tries == 32)
                return 0;
            p->giv[0] = pick(t, nt);
        }
    }
    return 1;
}

static void draw_extras(struct person *p)
{
    const struct names_entry *t = NULL;
    size_t nt = names_family(p->pop, &t);
    p->birth_fam = p->sex == 'f' && chance(mx->p_birth_name) ? pick(t, nt) : NULL;
    p->naliases = chance(mx->p_aliases) ? 1 + (int)below(2) : 0;
    for (int k = 0; k < p->naliases; k++) {
        p->alias_fam[k] = chance(500) ? p->fam : pick(t, nt);
        p->alias_giv[k] = p->giv[0];
        if (chance(500)) {
            const struct names_entry *g = NULL;
            size_t ng = names_given(p->pop, p->sex == 'f' ? 'f' : 'm', &g);
            p->alias_giv[k] = pick(g, ng);
        }
    }
}

static void new_person(struct person *p, long idx, const uint32_t *pop_share, uint32_t share_total)
{
    memset(p, 0, sizeof *p);
    p->idx = idx;
    p->head = -1;
    uint32_t x = below(share_total), k = 0;
    while (x >= pop_share[k]) {
        x -= pop_share[k];
        k++;
    }
    p->pop = (enum names_population)k;
    const struct names_population_info *info = names_population(p->pop);
    p->sex = chance(800) ? 'm' : chance(990) ? 'f' : 'x';
    const struct names_entry *t = NULL;
    size_t nt = names_family(p->pop, &t);
    p->fam = pick(t, nt);
    p->ngiv = 1 + (int)below((uint32_t)(info->given_names_max > 0 ? info->given_names_max : 1));
    (void)draw_given(p, NULL, 0);
    nt = names_places(p->pop, &t);
    p->place = pick(t, nt);
    p->y = 1960 + below(46);
    p->m = 1 + below(12);
    p->d = 1 + below(28);
    uint32_t u = below(1000), yo = (uint32_t)info->year_only_permille + mx->p_year_only_add;
    p->date_kind = u < yo                      ? DK_YEAR
                   : u < yo + mx->p_month_only ? DK_MONTH
                   : chance(mx->p_placeholder) ? DK_PLACEHOLDER
                                               : DK_FULL;
    p->nat = chance(15) ? "XXA" : pick_code(info);
    p->bcountry = chance(900) ? (!strcmp(p->nat, "XXA") ? info->iso3[0] : p->nat) : pick_code(info);
    draw_extras(p);
}

/* A sibling or twin of h: same family name, place and nationality. Returns 0
 * when no distinct first given name was found (then p is not a relative). */
static int relative_of(struct person *p, const struct person *h, long idx,
                       const struct person *ring, long nring)
{
    *p = *h;
    p->idx = idx;
    p->head = h->idx;
    p->sex = chance(500) ? 'm' : 'f';
    if (!draw_given(p, ring, nring))
        return 0;
    if (chance(mx->p_twin)) {
        /* twins: same date and precision, other given names */
    } else {
        p->m = 1 + below(12);
        p->d = 1 + below(28);
        if (!chance(mx->p_same_year))
            p->y = h->y + (chance(500) ? 1 + below(6) : -(1 + below(6)));
        if (p->y > 2024)
            p->y = 2024 - below(3);
    }
    draw_extras(p);
    return 1;
}

static void append_alias(char *aliases, const char *fam, const char *giv)
{
    size_t l = strlen(aliases);
    snprintf(aliases + l, VLEN - l, "%s%s|%s", l ? ";" : "", fam, giv);
}

/* The person as written in one register; spellings drawn with p_variant. */
static void base_record(const struct person *p, struct rec *r, unsigned long long azr,
                        uint32_t p_variant)
{
    memset(r, 0, sizeof *r);
    snprintf(r->v[C_AZR], VLEN, "%012llu", azr);
    set(r, C_FAM, spelling(p->fam, p_variant));
    size_t l = 0;
    for (int k = 0; k < p->ngiv; k++)
        l += (size_t)snprintf(r->v[C_GIV] + l, VLEN - l, "%s%s", k ? " " : "",
                              spelling(p->giv[k], p_variant));
    if (p->birth_fam)
        set(r, C_BNAME, spelling(p->birth_fam, p_variant));
    set(r, C_SEX, p->sex == 'm' ? "m" : p->sex == 'f' ? "f" : "x");
    if (p->date_kind == DK_YEAR)
        set_date(r, C_BDATE, p->y, 0, 0);
    else if (p->date_kind == DK_MONTH)
        set_date(r, C_BDATE, p->y, p->m, 0);
    else if (p->date_kind == DK_PLACEHOLDER)
        set_date(r, C_BDATE, p->y, 1, 1);
    else
        set_date(r, C_BDATE, p->y, p->m, p->d);
    set(r, C_PLACE, spelling(p->place, p_variant));
    set(r, C_BCOUNTRY, p->bcountry);
    set(r, C_NAT, p->nat);
    set(r, C_RSTATUS, statuses[below(6)]);
    set_date(r, C_RSINCE, 2014 + below(11), 1 + below(12), 1 + below(28));
    set(r, C_IDSTATUS, ident[below(3)]);
    size_t mi = below((uint32_t)nmun);
    snprintf(r->v[C_STREET], VLEN, "%s %u", streets[below((uint32_t)nstreets)], 1 + below(120));
    set(r, C_POSTCODE, mun[mi].postcode);
    set(r, C_MUNI, mun[mi].name);
    snprintf(r->v[C_AUTH], VLEN, "ABH-%s", mun[mi].postcode);
    snprintf(r->v[C_UPDATED], VLEN, "2025-%02u-%02uT%02u:%02u:00Z", 1 + below(12), 1 + below(28),
             below(24), below(60));
    for (int k = 0; k < p->naliases; k++)
        append_alias(r->v[C_ALIASES], spelling(p->alias_fam[k], p_variant),
                     spelling(p->alias_giv[k], p_variant));
}

/* The local register's own spellings of the names (independent draw). */
static void respell(const struct person *p, struct rec *r, uint32_t p_variant)
{
    struct rec tmp;
    base_record(p, &tmp, 0, p_variant);
    memcpy(r->v[C_FAM], tmp.v[C_FAM], VLEN);
    memcpy(r->v[C_GIV], tmp.v[C_GIV], VLEN);
    memcpy(r->v[C_BNAME], tmp.v[C_BNAME], VLEN);
    memcpy(r->v[C_PLACE], tmp.v[C_PLACE], VLEN);
    memcpy(r->v[C_ALIASES], tmp.v[C_ALIASES], VLEN);
}

/* Writes the names in the original script where every part has one. */
static int to_native(const struct person *p, struct rec *c, int field)
{
    if (field == C_FAM && p->fam->native) {
        set(c, C_FAM, p->fam->native);
        return 1;
    }
    if (field == C_PLACE && p->place->native) {
        set(c, C_PLACE, p->place->native);
        return 1;
    }
    if (field == C_GIV) {
        for (int k = 0; k < p->ngiv; k++)
            if (!p->giv[k]->native)
                return 0;
        size_t l = 0;
        for (int k = 0; k < p->ngiv; k++)
            l += (size_t)snprintf(c->v[C_GIV] + l, VLEN - l, "%s%s", k ? " " : "",
                                  p->giv[k]->native);
        return 1;
    }
    return 0;
}

static const char *other_code(const struct person *p, const char *cur)
{
    static const char *const neighbours[] = {"SYR", "IRQ", "TUR", "IRN", "AFG", "PAK",
                                             "LBN", "JOR", "EGY", "RUS", "UKR", "ERI"};
    const struct names_population_info *info = names_population(p->pop);
    for (int tries = 0; tries < 8; tries++) {
        const char *c = chance(300) ? "XXA" : chance(500) ? pick_code(info) : neighbours[below(12)];
        if (strcmp(c, cur))
            return c;
    }
    return NULL;
}

/* Applies one change of kind k to side s (c is the AZR record). Returns 1
 * when something was changed. */
static int apply_change(const struct person *p, enum kind k, struct rec *s, struct rec *c)
{
    switch (k) {
    case K_FAM_SPELLING:
        return replace_variant(s->v[C_FAM], p->fam);
    case K_GIV_SPELLING:
        return replace_variant(s->v[C_GIV], p->giv[below((uint32_t)p->ngiv)]);
    case K_NAME_TYPO:
        return typo(chance(500) ? s->v[C_FAM] : s->v[C_GIV]);
    case K_NAME_SWAP: {
        if (!s->v[C_GIV][0] || fold_equal(s->v[C_GIV], s->v[C_FAM]))
            return 0;
        char t[VLEN];
        memcpy(t, s->v[C_FAM], VLEN);
        memcpy(s->v[C_FAM], s->v[C_GIV], VLEN);
        memcpy(s->v[C_GIV], t, VLEN);
        return 1;
    }
    case K_MIDDLE_MISSING:
        return drop_middle(s->v[C_GIV]);
    case K_RSTATUS: {
        const char *st = statuses[below(7)];
        if (fold_equal(st, s->v[C_RSTATUS]))
            return 0;
        set(s, C_RSTATUS, st);
        touch(s);
        return 1;
    }
    case K_PLACE:
        if (chance(150) && s->v[C_PLACE][0]) {
            s->v[C_PLACE][0] = 0;
            return 1;
        }
        return replace_variant(s->v[C_PLACE], p->place);
    case K_DATE_PLACEHOLDER:
    case K_DATE_MONTH:
    case K_DATE_DAY:
    case K_DATE_YEAR_ONLY:
    case K_DATE_SWAP:
    case K_DATE_YEAR:
    case K_DATE_DIGIT:
        return date_change(s, k);
    case K_NATIVE: {
        static const int fields[3] = {C_FAM, C_GIV, C_PLACE};
        int f = (int)below(3);
        for (int t = 0; t < 3; t++)
            if (to_native(p, c, fields[(f + t) % 3]))
                return 1;
        return 0;
    }
    case K_HYPHEN:
        return hyphen_variant(s);
    case K_SECOND_FAMILY: {
        const struct names_entry *t = NULL;
        size_t nt = names_family(p->pop, &t);
        const struct names_entry *o = pick(t, nt);
        if (o == p->fam || strlen(s->v[C_FAM]) + strlen(o->latin[0]) + 2 > VLEN)
            return 0;
        char out[VLEN];
        int len = snprintf(out, VLEN, "%s%s%s", s->v[C_FAM], chance(600) ? " " : "-", o->latin[0]);
        if (len < 0 || len >= VLEN)
            return 0;
        set(s, C_FAM, out);
        return 1;
    }
    case K_GIV_MISSING:
        if (!s->v[C_GIV][0])
            return 0;
        s->v[C_GIV][0] = 0;
        return 1;
    case K_BIRTH_NAME:
        if (s->v[C_BNAME][0]) {
            s->v[C_BNAME][0] = 0;
        } else if (chance(500)) {
            memcpy(s->v[C_BNAME], s->v[C_FAM], VLEN); /* Geburtsname = Familienname */
        } else {
            const struct names_entry *t = NULL;
            size_t nt = names_family(p->pop, &t);
            set(s, C_BNAME, pick(t, nt)->latin[0]);
        }
        return 1;
    case K_ALIASES: {
        char *a = s->v[C_ALIASES];
        if (a[0] && chance(500)) {
            char *semi = strrchr(a, ';');
            if (semi)
                *semi = 0;
            else
                a[0] = 0;
            return 1;
        }
        const struct names_entry *t = NULL;
        size_t nt = names_family(p->pop, &t);
        const struct names_entry *f = chance(500) ? p->fam : pick(t, nt);
        if (strlen(a) + 64 > VLEN)
            return 0;
        append_alias(a, f->latin[nvariants(f) - 1], p->giv[0]->latin[0]);
        return 1;
    }
    case K_SEX_U:
        if (!strcmp(s->v[C_SEX], "u"))
            return 0;
        set(s, C_SEX, "u");
        return 1;
    case K_NAT_XXX:
        if (!strcmp(s->v[C_NAT], "XXX"))
            return 0;
        set(s, C_NAT, "XXX");
        return 1;
    case K_NAT_OTHER: {
        const char *o = other_code(p, s->v[C_NAT]);
        if (!o)
            return 0;
        set(s, C_NAT, o);
        return 1;
    }
    case K_BCOUNTRY: {
        uint32_t u = below(10);
        const char *o = u < 2 ? "" : u < 5 ? "XXX" : other_code(p, s->v[C_BCOUNTRY]);
        if (!o || fold_equal(o, s->v[C_BCOUNTRY]))
            return 0;
        set(s, C_BCOUNTRY, o);
        return 1;
    }
    case K_IDSTATUS: {
        const char *st = ident[below(3)];
        if (!strcmp(st, s->v[C_IDSTATUS]))
            return 0;
        set(s, C_IDSTATUS, st);
        touch(s);
        return 1;
    }
    case K_RSINCE:
        set_date(s, C_RSINCE, 2015 + below(11), 1 + below(12), 1 + below(28));
        touch(s);
        return 1;
    default:
        return 0;
    }
}

static enum kind draw_kind(uint32_t wtotal)
{
    uint32_t x = below(wtotal);
    for (int k = 0; k < K_COUNT; k++) {
        if (x < mx->w[k])
            return (enum kind)k;
        x -= mx->w[k];
    }
    return K_FAM_SPELLING;
}

enum noise_mode { NOISE_TEXT, NOISE_CASE, NOISE_BLANKS };

/* Case or surrounding blanks, never anything substantive. */
static void noise(char *v, enum noise_mode mode)
{
    if (!v[0])
        return;
    char tmp[VLEN];
    switch (mode == NOISE_TEXT ? below(5) : mode == NOISE_CASE ? below(2) : 2 + below(3)) {
    case 0:
        map_case(v, simple_upper);
        break;
    case 1:
        map_case(v, simple_lower);
        break;
    case 2:
        snprintf(tmp, VLEN, " %s", v);
        snprintf(v, VLEN, "%s", tmp);
        break;
    case 3:
        snprintf(tmp, VLEN, "%s ", v);
        snprintf(v, VLEN, "%s", tmp);
        break;
    default:
        snprintf(tmp, VLEN, " %s ", v);
        snprintf(v, VLEN, "%s", tmp);
    }
}

static void add_noise(struct rec *r)
{
    static const int text[] = {C_FAM, C_GIV, C_BNAME, C_PLACE, C_STREET, C_MUNI};
    static const int codes[] = {C_SEX, C_NAT, C_BCOUNTRY, C_RSTATUS, C_IDSTATUS};
    for (size_t k = 0; k < sizeof text / sizeof text[0]; k++)
        if (chance(mx->p_noise))
            noise(r->v[text[k]], NOISE_TEXT);
    for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
        if (chance(mx->p_noise / 4))
            noise(r->v[codes[k]], NOISE_CASE);
    if (chance(mx->p_noise / 8))
        noise(r->v[C_AZR], NOISE_BLANKS);
}

/* ---- storage and output ---- */

#define ABSENT SIZE_MAX

struct store {
    struct fn_buf arena;   /* records as NCOL NUL-terminated fields */
    size_t *off_l, *off_a; /* per person, ABSENT when not in that register */
    uint32_t *mask;        /* per person: fields that differ (bit per column) */
    unsigned long long *azr;
    long n;
};

static fn_status store_rec(struct store *st, const struct rec *r, size_t *off)
{
    *off = st->arena.len;
    for (int c = 0; c < NCOL; c++) {
        fn_status rc = fn_buf_append(&st->arena, r->v[c], strlen(r->v[c]) + 1);
        if (rc)
            return rc;
    }
    return FN_OK;
}

static void fields_at(const struct store *st, size_t off, const char *f[NCOL])
{
    const char *p = st->arena.data + off;
    for (int c = 0; c < NCOL; c++) {
        f[c] = p;
        p += strlen(p) + 1;
    }
}

static void azr_id(uint64_t seed, long i, char out[32])
{
    snprintf(out, 32, "AZR-%016llX", (unsigned long long)mix64((uint64_t)i + mix64(seed + 99)));
}

static fn_status put_record(struct fn_csv_writer *w, const struct store *st, size_t off,
                            const char *id)
{
    const char *f[NCOL];
    fields_at(st, off, f);
    f[C_ID] = id;
    return fn_csv_put_row(w, f, NCOL);
}

struct counts {
    long local, azr, pairs, discrepant, diffs, by_field[NCOL], kinds[K_COUNT];
    long noazr, azr_typo, azr_other, relatives, twins, households;
};

static fn_status write_outputs(const char *dir, uint64_t seed, const struct store *st,
                               const long *lorder, long nl, const long *aorder, long na)
{
    struct fn_atomic_file fl = {0}, fa = {0}, ftm = {0}, ftd = {0};
    struct fn_csv_writer wl, wa, wm, wd;
    char path[4096], id[32], aid[32];
    fn_status rc = FN_OK;
    char **lid = NULL;
    static const char *const hm[] = {"local_id", "azr_id"};
    static const char *const hd[] = {"local_id", "azr_id", "field"};

    lid = fn_calloc((size_t)st->n, sizeof *lid);
    if (!lid) {
        rc = FN_NOMEM;
        goto out;
    }
    const char *names[4] = {"local.csv", "azr.csv", "truth_matches.csv", "truth_diffs.csv"};
    struct fn_atomic_file *files[4] = {&fl, &fa, &ftm, &ftd};
    struct fn_csv_writer *ws[4] = {&wl, &wa, &wm, &wd};
    for (int k = 0; k < 4; k++) {
        int len = snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        if (len < 0 || (size_t)len >= sizeof path) {
            rc = FN_TOO_LARGE;
            goto out;
        }
        rc = fn_atomic_open(files[k], path);
        if (rc)
            goto out;
        rc = fn_csv_writer_init(ws[k], files[k]->fp, 0);
        if (rc)
            goto out;
        rc = k < 2 ? fn_csv_put_row(ws[k], head, NCOL)
                   : fn_csv_put_row(ws[k], k == 2 ? hm : hd, k == 2 ? 2 : 3);
        if (rc)
            goto out;
    }
    for (long k = 0; k < nl; k++) {
        long i = lorder[k];
        snprintf(id, sizeof id, "L%08ld", k + 1);
        lid[i] = fn_strdup(id);
        if (!lid[i]) {
            rc = FN_NOMEM;
            goto out;
        }
        rc = put_record(&wl, st, st->off_l[i], id);
        if (rc)
            goto out;
    }
    for (long k = 0; k < na; k++) {
        azr_id(seed, aorder[k], aid);
        rc = put_record(&wa, st, st->off_a[aorder[k]], aid);
        if (rc)
            goto out;
    }
    for (long k = 0; k < nl; k++) {
        long i = lorder[k];
        if (st->off_a[i] == ABSENT)
            continue;
        azr_id(seed, i, aid);
        const char *row[3] = {lid[i], aid, NULL};
        rc = fn_csv_put_row(&wm, row, 2);
        if (rc)
            goto out;
        for (int c = 0; c < NCOL; c++) {
            if (!(st->mask[i] & (1u << c)))
                continue;
            row[2] = head[c];
            rc = fn_csv_put_row(&wd, row, 3);
            if (rc)
                goto out;
        }
    }
    for (int k = 0; k < 4; k++) {
        rc = fn_atomic_commit(files[k]);
        if (rc)
            goto out;
    }
out:
    fn_atomic_abort(&fl);
    fn_atomic_abort(&fa);
    fn_atomic_abort(&ftm);
    fn_atomic_abort(&ftd);
    if (lid)
        for (long i = 0; i < st->n; i++)
            fn_free(lid[i]);
    fn_free(lid);
    return rc;
}

static fn_status write_report(const char *dir, const char *mixname, long n, uint64_t seed,
                              const struct counts *ct)
{
    struct fn_buf b;
    char path[4096];
    fn_status rc;
    fn_buf_init(&b, FN_BUF_SMALL);
    rc = fn_buf_appendf(&b,
                        "# fallnetz-gen-pairs: parameters and counts\n"
                        "mix=%s\npersons=%ld\nseed=%llu\np_only=%u\np_noazr=%u\np_azr_typo=%u\n"
                        "p_azr_other=%u\np_moved=%u\np_discrepant=%u\nchanges=%d-%d\n"
                        "p_relatives=%u\np_twin=%u\np_same_year=%u\np_variant=%u\n"
                        "p_independent_spelling=%u\np_native=%u\np_noise=%u\n"
                        "local_records=%ld\nazr_records=%ld\npairs=%ld\n"
                        "pairs_with_differences=%ld\ndifferences=%ld\nlocal_without_azr_nr=%ld\n"
                        "local_azr_nr_typo=%ld\nlocal_azr_nr_of_other_person=%ld\n"
                        "relatives=%ld\ntwins=%ld\np_household=%u\nhouseholds=%ld\n",
                        mixname, n, (unsigned long long)seed, mx->p_only, mx->p_noazr,
                        mx->p_azr_typo, mx->p_azr_other, mx->p_moved, mx->p_disc, mx->ch_min,
                        mx->ch_max, mx->p_relative, mx->p_twin, mx->p_same_year, mx->p_variant,
                        mx->p_indep, mx->p_native, mx->p_noise, ct->local, ct->azr, ct->pairs,
                        ct->discrepant, ct->diffs, ct->noazr, ct->azr_typo, ct->azr_other,
                        ct->relatives, ct->twins, mx->p_household, ct->households);
    for (int c = 0; !rc && c < NCOL; c++)
        if (c != C_ID && c != C_UPDATED)
            rc = fn_buf_appendf(&b, "diff.%s=%ld\n", head[c], ct->by_field[c]);
    for (int k = 0; !rc && k < K_COUNT; k++)
        rc = fn_buf_appendf(&b, "change.%s=%ld\n", kind_name[k], ct->kinds[k]);
    if (rc)
        goto out;
    int len = snprintf(path, sizeof path, "%s/generator.txt", dir);
    if (len < 0 || (size_t)len >= sizeof path) {
        rc = FN_TOO_LARGE;
        goto out;
    }
    rc = fn_write_file_atomic(path, b.data, b.len);
out:
    fn_buf_free(&b);
    return rc;
}

/* ---- main ---- */

static void usage(FILE *fp)
{
    fprintf(fp, "Aufruf: fallnetz-gen-pairs [OPTIONEN] ANZAHL STARTWERT [MISCHUNG] ORDNER\n"
                "\n"
                "Erzeugt ein synthetisches Registerpaar für die Messung von „fallnetz reconcile“:\n"
                "eine Ausländerdatei und einen AZR-Auszug derselben ANZAHL erfundener Personen\n"
                "(je etwa 4 %% nur in einem der beiden Register) mit Abweichungen nach MISCHUNG,\n"
                "dazu die Wahrheit. Derselbe STARTWERT ergibt dieselben Dateien.\n"
                "\n"
                "  ORDNER/local.csv, ORDNER/azr.csv   die beiden Register (Austauschformat)\n"
                "  ORDNER/truth_matches.csv           local_id,azr_id – wer zusammengehört\n"
                "  ORDNER/truth_diffs.csv             local_id,azr_id,field – jede inhaltliche\n"
                "                                     Abweichung (alle Spalten außer record_id\n"
                "                                     und updated_at; Groß-/Kleinschreibung und\n"
                "                                     Leerzeichen am Rand zählen nicht)\n"
                "  ORDNER/generator.txt               Parameter und Zählungen\n"
                "\n"
                "Mischungen (drittes Argument oder --mix):\n");
    for (size_t k = 0; k < NMIXES; k++)
        fprintf(fp, "  %-10s %s\n", mixes[k].name, mixes[k].about);
    fprintf(fp,
            "\n"
            "Optionen (überschreiben die Werte der Mischung; PROMILLE 0–1000):\n"
            "  --mix NAME              Mischung (Standard: easy)\n"
            "  --p-discrepant PROMILLE Anteil der Paare mit Abweichungen\n"
            "  --changes MIN-MAX       Änderungen je abweichendem Paar (1–12)\n"
            "  --p-noazr PROMILLE      Anteil lokaler Datensätze ohne AZR-Nummer\n"
            "  --p-relatives PROMILLE  Anteil Verwandter (gleicher Familienname, Geburtsort)\n"
            "  --p-only PROMILLE       Anteil nur in einem Register (je Register)\n"
            "  --p-native PROMILLE     Anteil Personen, die das AZR in Originalschrift führt\n"
            "  --p-household PROMILLE  Anteil Verwandter, die mit ihrem Verwandten wohnen\n"
            "                          (gleiche Anschrift, gleiches Aufenthalt-seit; Standard 0)\n"
            "  -h, --help              diese Hilfe\n"
            "\n"
            "Beispiel: fallnetz-gen-pairs --mix translit --changes 2-3 3000 7 out/t7\n");
}

static int parse_permille(const char *s, uint32_t *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > 1000)
        return 0;
    *out = (uint32_t)v;
    return 1;
}

static int parse_changes(const char *s, int *lo, int *hi)
{
    char *end = NULL;
    errno = 0;
    long a = strtol(s, &end, 10);
    if (errno || end == s)
        return 0;
    long b = a;
    if (*end == '-') {
        const char *t = end + 1;
        b = strtol(t, &end, 10);
        if (errno || end == t)
            return 0;
    }
    if (*end || a < 1 || b < a || b > 12)
        return 0;
    *lo = (int)a;
    *hi = (int)b;
    return 1;
}

/* The command line: mix, overrides, N, SEED, OUTDIR. */
struct args {
    struct mix mix; /* the chosen mix with the overrides applied */
    const char *mixname, *outdir;
    long n;
    uint64_t seed;
};

/* Returns 0 to go on, 1 after --help, 2 on a bad command line (message printed). */
static int parse_args(int argc, char **argv, struct args *a)
{
    const char *pos[4], *mixname = NULL;
    const char *o_disc = NULL, *o_changes = NULL, *o_noazr = NULL, *o_rel = NULL, *o_only = NULL,
               *o_native = NULL, *o_house = NULL;
    int npos = 0;
    const struct mix *m = NULL;
    char *end = NULL;

    for (int k = 1; k < argc; k++) {
        const char *s = argv[k];
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            usage(stdout);
            return 1;
        }
        const char **slot = !strcmp(s, "--mix")            ? &mixname
                            : !strcmp(s, "--p-discrepant") ? &o_disc
                            : !strcmp(s, "--changes")      ? &o_changes
                            : !strcmp(s, "--p-noazr")      ? &o_noazr
                            : !strcmp(s, "--p-relatives")  ? &o_rel
                            : !strcmp(s, "--p-only")       ? &o_only
                            : !strcmp(s, "--p-native")     ? &o_native
                            : !strcmp(s, "--p-household")  ? &o_house
                                                           : NULL;
        if (slot) {
            if (k + 1 >= argc) {
                fprintf(stderr, "fallnetz-gen-pairs: %s braucht einen Wert\n", s);
                return 2;
            }
            *slot = argv[++k];
            continue;
        }
        if (s[0] == '-' && s[1]) {
            fprintf(stderr, "fallnetz-gen-pairs: unbekannte Option %s (--help)\n", s);
            return 2;
        }
        if (npos == 4) {
            fprintf(stderr, "fallnetz-gen-pairs: zu viele Argumente (--help)\n");
            return 2;
        }
        pos[npos++] = s;
    }
    if (npos < 3) {
        usage(stderr);
        return 2;
    }
    if (npos == 4) {
        if (mixname && strcmp(mixname, pos[2])) {
            fprintf(stderr, "fallnetz-gen-pairs: Mischung doppelt angegeben: %s und %s\n", mixname,
                    pos[2]);
            return 2;
        }
        mixname = pos[2];
    }
    a->mixname = mixname ? mixname : "easy";
    a->outdir = pos[npos - 1];
    errno = 0;
    a->n = strtol(pos[0], &end, 10);
    if (errno || end == pos[0] || *end || a->n <= 0 || a->n > MAX_N) {
        fprintf(stderr, "fallnetz-gen-pairs: ANZAHL muss zwischen 1 und %ld liegen: %s\n", MAX_N,
                pos[0]);
        return 2;
    }
    errno = 0;
    a->seed = strtoull(pos[1], &end, 10);
    if (errno || end == pos[1] || *end || pos[1][0] == '-') {
        fprintf(stderr, "fallnetz-gen-pairs: ungültiger STARTWERT: %s\n", pos[1]);
        return 2;
    }
    for (size_t k = 0; k < NMIXES; k++)
        if (!strcmp(mixes[k].name, a->mixname))
            m = &mixes[k];
    if (!m) {
        fprintf(stderr, "fallnetz-gen-pairs: unbekannte Mischung %s (--help)\n", a->mixname);
        return 2;
    }
    a->mix = *m;
    struct {
        const char *opt, *name;
        uint32_t *dst, max;
    } permille[] = {{o_disc, "--p-discrepant", &a->mix.p_disc, 1000},
                    {o_noazr, "--p-noazr", &a->mix.p_noazr, 1000},
                    {o_rel, "--p-relatives", &a->mix.p_relative, 1000},
                    {o_native, "--p-native", &a->mix.p_native, 1000},
                    {o_house, "--p-household", &a->mix.p_household, 1000},
                    {o_only, "--p-only", &a->mix.p_only, 450}};
    for (size_t k = 0; k < sizeof permille / sizeof permille[0]; k++) {
        uint32_t v;
        if (!permille[k].opt)
            continue;
        if (!parse_permille(permille[k].opt, &v) || v > permille[k].max) {
            fprintf(stderr, "fallnetz-gen-pairs: %s: 0–%u erwartet: %s\n", permille[k].name,
                    permille[k].max, permille[k].opt);
            return 2;
        }
        *permille[k].dst = v;
    }
    if (o_changes && !parse_changes(o_changes, &a->mix.ch_min, &a->mix.ch_max)) {
        fprintf(stderr, "fallnetz-gen-pairs: --changes: MIN-MAX mit 1 <= MIN <= MAX <= 12: %s\n",
                o_changes);
        return 2;
    }
    return 0;
}

/* The two records of person p (index i): AZR-number problems, a move, the
 * discrepancies of the mix, noise. st->azr and st->off_a of earlier people
 * are read (a wrong AZR number points at an earlier person in the export). */
static void make_pair(const struct person *p, long i, const struct store *st, uint32_t wtotal,
                      int in_local, struct rec *l, struct rec *c, struct counts *ct)
{
    base_record(p, c, st->azr[i], mx->p_variant);
    *l = *c;
    if (chance(mx->p_indep))
        respell(p, l, mx->p_variant > 500 ? mx->p_variant : 500);
    if (chance(mx->p_native)) {
        (void)to_native(p, c, C_FAM);
        (void)to_native(p, c, C_GIV);
        (void)to_native(p, c, C_PLACE);
    }
    if (chance(mx->p_noazr)) {
        l->v[C_AZR][0] = 0;
        ct->noazr += in_local;
    } else if (chance(mx->p_azr_typo)) {
        l->v[C_AZR][3 + below(8)] = (char)('0' + below(10));
        ct->azr_typo += in_local && strcmp(l->v[C_AZR], c->v[C_AZR]);
    } else if (i > 0 && chance(mx->p_azr_other)) {
        /* copied from a relative's file, or from anybody's in the export */
        long j = p->head >= 0 && chance(500) ? p->head : (long)below((uint32_t)i);
        for (int tries = 0; tries < 8 && st->off_a[j] == ABSENT; tries++)
            j = (long)below((uint32_t)i);
        snprintf(l->v[C_AZR], VLEN, "%012llu", st->azr[j]);
        ct->azr_other += in_local;
    }
    if (chance(mx->p_moved)) {
        struct rec *side = chance(500) ? l : c;
        size_t mi = below((uint32_t)nmun);
        snprintf(side->v[C_STREET], VLEN, "%s %u", streets[below((uint32_t)nstreets)],
                 1 + below(120));
        set(side, C_POSTCODE, mun[mi].postcode);
        set(side, C_MUNI, mun[mi].name);
        if (chance(500))
            snprintf(side->v[C_AUTH], VLEN, "ABH-%s", mun[mi].postcode);
        touch(side);
    }
    if (chance(mx->p_disc) && wtotal) {
        int changes = mx->ch_min + (int)below((uint32_t)(mx->ch_max - mx->ch_min + 1));
        for (int k = 0; k < changes; k++) {
            for (int tries = 0; tries < 6; tries++) {
                enum kind kd = draw_kind(wtotal);
                struct rec *s = kd == K_NATIVE ? c : chance(500) ? l : c;
                if (apply_change(p, kd, s, c)) {
                    ct->kinds[kd]++;
                    break;
                }
            }
        }
    }
    settle_aliases(l, c);
    add_noise(l);
    add_noise(c);
}

/* Stores the records of person i and its truth: the columns that differ. */
static fn_status keep_pair(struct store *st, long i, const struct rec *l, const struct rec *c,
                           int in_local, int in_azr, long *lorder, long *nl, long *aorder, long *na,
                           struct counts *ct)
{
    fn_status rc;
    st->off_l[i] = st->off_a[i] = ABSENT;
    if (in_local) {
        rc = store_rec(st, l, &st->off_l[i]);
        if (rc)
            return rc;
        lorder[(*nl)++] = i;
    }
    if (in_azr) {
        rc = store_rec(st, c, &st->off_a[i]);
        if (rc)
            return rc;
        aorder[(*na)++] = i;
    }
    if (!in_local || !in_azr)
        return FN_OK;
    ct->pairs++;
    for (int k = 0; k < NCOL; k++) {
        if (k == C_ID || k == C_UPDATED || fold_equal(l->v[k], c->v[k]))
            continue;
        st->mask[i] |= 1u << k;
        ct->by_field[k]++;
        ct->diffs++;
    }
    ct->discrepant += st->mask[i] != 0;
    return FN_OK;
}

/* AZR export in random order; local register with one record in ten moved. */
static void shuffle(long *lorder, long nl, long *aorder, long na)
{
    for (long k = na - 1; k > 0; k--) {
        long j = (long)demo_rng_below(&order_rng, (uint32_t)(k + 1));
        long t = aorder[k];
        aorder[k] = aorder[j];
        aorder[j] = t;
    }
    for (long k = 0; k < nl / 20; k++) {
        long a = (long)demo_rng_below(&order_rng, (uint32_t)nl);
        long b = (long)demo_rng_below(&order_rng, (uint32_t)nl);
        long t = lorder[a];
        lorder[a] = lorder[b];
        lorder[b] = t;
    }
}

int main(int argc, char **argv)
{
    struct args a;
    struct store st = {0};
    long *lorder = NULL, *aorder = NULL, nl = 0, na = 0, nring = 0;
    struct person *ring = NULL;
    struct counts ct = {0};
    fn_status rc = FN_OK;
    uint32_t pop_share[NAMES_POPULATION_COUNT], share_total = 0, wtotal = 0;
    int ret;

    fn_buf_init(&st.arena, ARENA_MAX);
    ret = parse_args(argc, argv, &a);
    if (ret)
        goto out;
    ret = 1;
    mx = &a.mix;
    demo_rng_seed(&rng, a.seed);
    demo_rng_seed(&order_rng, mix64(a.seed ^ 0x5DEECE66Dull));
    nmun = names_municipalities(&mun);
    nstreets = names_streets(&streets);
    for (int p = 0; p < NAMES_POPULATION_COUNT; p++) {
        pop_share[p] = names_population((enum names_population)p)->share;
        share_total += pop_share[p];
    }
    for (int k = 0; k < K_COUNT; k++)
        wtotal += mx->w[k];

    st.n = a.n;
    st.off_l = fn_calloc((size_t)a.n, sizeof *st.off_l);
    st.off_a = fn_calloc((size_t)a.n, sizeof *st.off_a);
    st.mask = fn_calloc((size_t)a.n, sizeof *st.mask);
    st.azr = fn_calloc((size_t)a.n, sizeof *st.azr);
    lorder = fn_calloc((size_t)a.n, sizeof *lorder);
    aorder = fn_calloc((size_t)a.n, sizeof *aorder);
    ring = fn_calloc(RING, sizeof *ring);
    if (!st.off_l || !st.off_a || !st.mask || !st.azr || !lorder || !aorder || !ring) {
        rc = FN_NOMEM;
        goto fail;
    }
    rc = fn_mkdir_p(a.outdir);
    if (rc)
        goto fail;

    for (long i = 0; i < a.n; i++) {
        struct person p;
        struct rec l, c;
        const struct person *h = NULL;
        if (nring && chance(mx->p_relative))
            h = &ring[below((uint32_t)(nring < RING ? nring : RING))];
        int related = h && relative_of(&p, h, i, ring, nring);
        if (related) {
            ct.relatives++;
            ct.twins += p.y == h->y && p.m == h->m && p.d == h->d;
        } else {
            new_person(&p, i, pop_share, share_total);
        }
        size_t slot = (size_t)(nring % RING);
        ring[nring++ % RING] = p;
        st.azr[i] = azr_number(a.seed, i);
        uint32_t u = below(1000);
        int in_azr = u >= mx->p_only, in_local = u < mx->p_only || u >= 2 * mx->p_only;
        make_pair(&p, i, &st, wtotal, in_local, &l, &c, &ct);
        /* a household: the relative lives with the person (as both
         * registers have them, a move included) and arrived the same day;
         * no draw at all when the option is off, so other outputs stay */
        if (related && mx->p_household && chance(mx->p_household)) {
            size_t hs = (size_t)(h - ring);
            for (int k = 0; k < NHOUSE; k++) {
                memcpy(l.v[house_cols[k]], house[hs][0][k], VLEN);
                memcpy(c.v[house_cols[k]], house[hs][1][k], VLEN);
            }
            ct.households++;
        }
        for (int k = 0; k < NHOUSE; k++) {
            memcpy(house[slot][0][k], l.v[house_cols[k]], VLEN);
            memcpy(house[slot][1][k], c.v[house_cols[k]], VLEN);
        }
        rc = keep_pair(&st, i, &l, &c, in_local, in_azr, lorder, &nl, aorder, &na, &ct);
        if (rc)
            goto fail;
    }
    ct.local = nl;
    ct.azr = na;
    shuffle(lorder, nl, aorder, na);
    rc = write_outputs(a.outdir, a.seed, &st, lorder, nl, aorder, na);
    if (rc)
        goto fail;
    rc = write_report(a.outdir, a.mixname, a.n, a.seed, &ct);
    if (rc)
        goto fail;
    ret = 0;
    goto out;
fail:
    fprintf(stderr, "fallnetz-gen-pairs: %s: %s\n", a.outdir, fn_status_str(rc));
out:
    fn_buf_free(&st.arena);
    fn_free(st.off_l);
    fn_free(st.off_a);
    fn_free(st.mask);
    fn_free(st.azr);
    fn_free(lorder);
    fn_free(aorder);
    fn_free(ring);
    return ret;
}
