/*
 * Unit tests for src/link/namedict.c: interning (the same bytes give the same
 * id, ids dense in first-seen order, growth to 50,000 values), builds on 1, 2,
 * 3 and 4 threads giving identical keys, signatures and frequencies, term
 * frequencies grouped by the romanised key across scripts and case, and the
 * signature pre-check (link_name_sig_phonetic) agreeing with
 * link_compare_names on ~2 million pairs of names made from the src/names
 * tables (every spelling, typos, upper case, multi-token names).
 *
 * Two bugs of src/link found here (long names) have their own regression
 * tests: test_long_names and test_long_valid_utf8.
 */
#include "../test_util.h"

#include <math.h>

#include "core/alloc.h"
#include "link/compare.h"
#include "link/namedict.h"
#include "link/normalize.h"
#include "names/names.h"

#define SLOT_FAMILY   0
#define SLOT_GIVEN    1
#define SLOT_COMPOUND 2
#define SLOT_EDGE     3

#define GROWTH_VALUES     50000
#define PAIR_WINDOW       24      /* each corpus name against its next neighbours */
#define PAIRS_SAMPLED     1500000 /* plus random pairs of the whole corpus */
#define COMPOUNDS_PER_POP 80

static struct link_translit *tr;

/* Deterministic pseudo-random numbers (splitmix64). */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t rng_below(size_t n)
{
    return (size_t)(rng_next() % n);
}

static uint32_t add(struct link_name_dict *d, const char *s, int slot)
{
    uint32_t id = UINT32_MAX;
    assert_int_equal(link_name_dict_add(d, s, strlen(s), slot, &id), FN_OK);
    return id;
}

static struct link_name_keys keys_of(const char *s)
{
    struct link_name_keys k;
    assert_int_equal(link_name_keys_make(tr, s, strlen(s), &k), FN_OK);
    return k;
}

/* Writes every key of k to buf, for failure messages. */
static void describe_keys(char *buf, size_t cap, const struct link_name_keys *k)
{
    snprintf(buf, cap,
             "empty=%d folded=\"%s\" ascii=\"%s\" sorted=\"%s\" skeleton=\"%s\" "
             "skel_first=\"%s\" koeln=\"%s\" dm=\"%s\"/\"%s\" ntokens=%d",
             k->empty, k->folded, k->ascii, k->sorted, k->skeleton, k->skel_first, k->koeln,
             k->dm_pri, k->dm_alt, k->ntokens);
}

/* ---- the name corpus ------------------------------------------------------------------------ */

/* Every add in order (value id and slot), so other dictionaries can replay
 * it; keys made directly with link_name_keys_make. Built on first use. */
struct corpus_add {
    uint32_t id;
    int slot;
};

static struct {
    struct link_name_dict *dict; /* interns (dedupes) the names; never built */
    struct corpus_add *adds;
    size_t nadds, cap;
    size_t n;                    /* distinct names = ids 0..n-1 */
    struct link_name_keys *keys; /* per id */
    struct link_name_sig *sig;   /* per id */
    struct link_token_sig *tok;  /* token signatures of names of 2+ tokens */
} corpus;

static void corpus_add(const char *s, int slot)
{
    if (corpus.nadds == corpus.cap) {
        size_t cap = corpus.cap ? corpus.cap * 2 : 4096;
        struct corpus_add *a = fn_reallocarray(corpus.adds, cap, sizeof *a);
        assert_non_null(a);
        corpus.adds = a;
        corpus.cap = cap;
    }
    uint32_t id = add(corpus.dict, s, slot);
    corpus.adds[corpus.nadds++] = (struct corpus_add){id, slot};
}

static int is_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A deterministic typo of s touching ASCII letters only: a letter dropped,
 * two swapped, one doubled, a vowel changed or an h inserted. */
static void make_typo(const char *s, char *out, size_t cap)
{
    size_t len = strlen(s);
    size_t pos[256], np = 0;
    snprintf(out, cap, "%s", s);
    if (len + 2 > cap)
        return;
    for (size_t i = 0; i < len && np < sizeof pos / sizeof pos[0]; i++)
        if (is_ascii_letter(s[i]))
            pos[np++] = i;
    if (np < 2)
        return;
    size_t p = pos[rng_below(np)];
    int op = (int)rng_below(5);
    if (op == 1 && !(p + 1 < len && is_ascii_letter(out[p + 1])))
        op = 0;
    if (op == 3) {
        const char *v = strchr("aeiouAEIOU", out[p]);
        if (v && *v)
            out[p] = "eieuoEIEUO"[v - "aeiouAEIOU"];
        else
            op = 0;
    }
    if (op == 0) { /* drop */
        memmove(out + p, out + p + 1, len - p);
    } else if (op == 1) { /* swap */
        char c = out[p];
        out[p] = out[p + 1];
        out[p + 1] = c;
    } else if (op == 2) { /* double */
        memmove(out + p + 1, out + p, len - p + 1);
    } else if (op == 4) { /* insert h */
        memmove(out + p + 2, out + p + 1, len - p);
        out[p + 1] = 'h';
    }
}

static void make_upper(const char *s, char *out, size_t cap)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        out[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
    out[i] = '\0';
}

static const char *spelling(const struct names_entry *e)
{
    size_t n = 0;
    while (e->latin[n])
        n++;
    return e->latin[rng_below(n)];
}

/* Every native and Latin spelling, a typo of each Latin one and the main
 * spelling in upper case, kept next to each other. */
static void corpus_add_entries(const struct names_entry *e, size_t n, int slot)
{
    char buf[256];
    for (size_t i = 0; i < n; i++) {
        if (e[i].native)
            corpus_add(e[i].native, slot);
        for (size_t j = 0; e[i].latin[j]; j++) {
            corpus_add(e[i].latin[j], slot);
            make_typo(e[i].latin[j], buf, sizeof buf);
            corpus_add(buf, slot);
        }
        make_upper(e[i].latin[0], buf, sizeof buf);
        corpus_add(buf, slot);
    }
}

/* Names that probe the corners of the keys: particles only, no romanisation,
 * one or two letters, digits, abd/abu joins, compatibility forms, token and
 * byte cuts, other scripts. */
static const char *const edge_names[] = {
    "Al",
    "El",
    "al-",
    "Bin",
    "Ibn",
    "bint",
    "Abu",
    "😀",
    "—",
    "-",
    "'",
    "a",
    "A",
    "Li",
    "LI",
    "Lee",
    "Le",
    "123",
    "Hassan2",
    "Hassan 2",
    "Abd al-Aziz",
    "Abdulaziz",
    "Abdel Aziz",
    "ABD AL-AZIZ",
    "Abd",
    "Abu Bakr",
    "Abubakr",
    "Ｍｏｈａｍｍｅｄ",
    "Mohammed",
    "ﬁruz",
    "Firuz",
    "Hüseyin",
    "Hueseyin",
    "Huseyin",
    "HÜSEYİN",
    "Hasan Hüseyin",
    "Ibn Rashid",
    "Rashid",
    "O'Brien",
    "OBrien",
    "D'Souza",
    "Mc Donald",
    "McDonald",
    "Müller-Lüdenscheidt",
    "Mueller Luedenscheidt",
    "Garcia Lopez",
    "Lopez Garcia",
    "Ελένη",
    "Eleni",
    "王伟",
    "Wang Wei",
    "გიორგი",
    "Giorgi",
    "Mohammed محمد",
    "محمد Mohammed",
    "Hassan\tAli",
    "Hassan   Ali",
    "Ali Hassan",
    "Ali, Hassan",
    "Hassan, Ali",
    "van der Berg",
    "Berg",
    "de la Cruz",
    "Cruz",
    "Mohammed Ali Hassan Hussein Ahmad Omar Khalid Yusuf Ibrahim Suleiman",
    "Mohammed Ali Hassan Hussein Ahmad Omar Khalid Yusuf",
    "Abdulrahmanabdulrahman Abdulrahmanabdulrahman Abdulrahmanabdulrahman "
    "Abdulrahmanabdulrahman Abdulrahmanabdulrahman",
    "Abdulrahmanabdulrahman Abdulrahmanabdulrahman Abdulrahmanabdulrahman "
    "Abdulrahmanabdulrahman Abdulrahmanabdulrahmax",
    "Aaaa",
    "Eeee",
    "Ahmed",
    "Emad",
    "Omid",
    "Umut",
    "Yusuf",
    "Jusuf",
    "Juozas",
    "Xavier",
    "Schmidt",
    "Schmitt",
    "Smith",
    "Tschechow",
    "Chekhov",
    "Чехов",
    "Djokovic",
    "Đoković",
    "Dschingis",
    "Jingis",
    "Щ",
    "Ж",
    "Ъ",
    "ь"};

static void corpus_ensure(void)
{
    if (corpus.dict)
        return;
    assert_int_equal(link_name_dict_new(LINK_NAME_PERSON, &corpus.dict), FN_OK);
    rng_state = 0x5eed0001;
    char buf[512], typo[512];
    for (int p = 0; p < NAMES_POPULATION_COUNT; p++) {
        const struct names_entry *fam, *gm, *gf;
        size_t nfam = names_family((enum names_population)p, &fam);
        size_t ngm = names_given((enum names_population)p, 'm', &gm);
        size_t ngf = names_given((enum names_population)p, 'f', &gf);
        const struct names_population_info *info = names_population((enum names_population)p);
        assert_non_null(info);
        assert_true(nfam > 0 && ngm > 0 && ngf > 0);
        corpus_add_entries(fam, nfam, SLOT_FAMILY);
        corpus_add_entries(gm, ngm, SLOT_GIVEN);
        corpus_add_entries(gf, ngf, SLOT_GIVEN);
        for (int k = 0; k < COMPOUNDS_PER_POP; k++) {
            const struct names_entry *g = rng_below(2) ? &gm[rng_below(ngm)] : &gf[rng_below(ngf)];
            const struct names_entry *g2 = &gm[rng_below(ngm)], *f = &fam[rng_below(nfam)];
            const char *gs = spelling(g), *fs = spelling(f);
            snprintf(buf, sizeof buf, "%s %s", gs, fs);
            corpus_add(buf, SLOT_COMPOUND);
            make_typo(buf, typo, sizeof typo);
            corpus_add(typo, SLOT_COMPOUND);
            snprintf(buf, sizeof buf, "%s %s", spelling(g), spelling(f)); /* other spellings */
            corpus_add(buf, SLOT_COMPOUND);
            snprintf(buf, sizeof buf, "%s %s", fs, gs);
            corpus_add(buf, SLOT_COMPOUND);
            snprintf(buf, sizeof buf, "%s, %s", fs, gs);
            corpus_add(buf, SLOT_COMPOUND);
            if (info->given_names_max > 1) {
                snprintf(buf, sizeof buf, "%s %s %s", gs, spelling(g2), fs);
                corpus_add(buf, SLOT_COMPOUND);
            }
            if (g->native && f->native) {
                snprintf(buf, sizeof buf, "%s %s", g->native, f->native);
                corpus_add(buf, SLOT_COMPOUND);
                snprintf(buf, sizeof buf, "%s %s", f->native, g->native);
                corpus_add(buf, SLOT_COMPOUND);
            }
        }
    }
    for (size_t i = 0; i < sizeof edge_names / sizeof edge_names[0]; i++)
        corpus_add(edge_names[i], SLOT_EDGE);
    corpus.n = link_name_dict_size(corpus.dict);
    corpus.keys = fn_calloc(corpus.n, sizeof *corpus.keys);
    corpus.sig = fn_calloc(corpus.n, sizeof *corpus.sig);
    assert_non_null(corpus.keys);
    assert_non_null(corpus.sig);
    for (uint32_t i = 0; i < corpus.n; i++) {
        const char *v = link_name_dict_value(corpus.dict, i);
        if (link_name_keys_make(tr, v, strlen(v), &corpus.keys[i]) != FN_OK)
            fail_msg("link_name_keys_make failed on corpus name \"%s\"", v);
        link_name_sig_make(&corpus.keys[i], &corpus.sig[i]);
    }
    /* the token signatures as link_name_dict builds them */
    corpus.tok = fn_calloc(corpus.n * LINK_NAME_MAX_TOKENS, sizeof *corpus.tok);
    assert_non_null(corpus.tok);
    uint32_t next = 0;
    for (uint32_t i = 0; i < corpus.n; i++)
        if (corpus.keys[i].ntokens > 1) {
            link_name_sig_tokens(&corpus.keys[i], &corpus.sig[i], corpus.tok, next);
            next += corpus.keys[i].ntokens;
        }
}

static void corpus_free(void)
{
    link_name_dict_free(corpus.dict);
    fn_free(corpus.tok);
    fn_free(corpus.adds);
    fn_free(corpus.keys);
    fn_free(corpus.sig);
    memset(&corpus, 0, sizeof corpus);
}

/* ---- frequencies ---------------------------------------------------------------------------- */

static const struct link_name_dict *sort_dict;

static int by_ascii(const void *a, const void *b)
{
    const struct link_name_keys *ka = link_name_dict_keys(sort_dict, *(const uint32_t *)a);
    const struct link_name_keys *kb = link_name_dict_keys(sort_dict, *(const uint32_t *)b);
    return strcmp(ka->ascii, kb->ascii);
}

static int has_group(const struct link_name_keys *k)
{
    return !k->empty && k->ascii[0];
}

/* Checks every frequency of the built d against counts (per id and slot,
 * as the test added them): the share of the slot's occurrences of values
 * with a romanised key whose key equals the value's; 0 for values without
 * a key and for slots with no such occurrence; the groups of a used slot
 * sum to 1. */
static void check_frequencies(const struct link_name_dict *d, const uint32_t *counts)
{
    size_t n = link_name_dict_size(d);
    uint32_t *order = fn_calloc(n ? n : 1, sizeof *order);
    assert_non_null(order);
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    sort_dict = d;
    qsort(order, n, sizeof *order, by_ascii);
    uint64_t total[LINK_NAME_DICT_SLOTS] = {0};
    for (uint32_t i = 0; i < n; i++)
        if (has_group(link_name_dict_keys(d, i)))
            for (int s = 0; s < LINK_NAME_DICT_SLOTS; s++)
                total[s] += counts[(size_t)i * LINK_NAME_DICT_SLOTS + (size_t)s];
    double sum[LINK_NAME_DICT_SLOTS] = {0};
    for (size_t r = 0; r < n;) {
        const struct link_name_keys *k = link_name_dict_keys(d, order[r]);
        size_t end = r + 1;
        while (end < n && !strcmp(link_name_dict_keys(d, order[end])->ascii, k->ascii))
            end++;
        uint64_t group[LINK_NAME_DICT_SLOTS] = {0};
        for (size_t m = r; m < end; m++)
            for (int s = 0; s < LINK_NAME_DICT_SLOTS; s++)
                group[s] += counts[(size_t)order[m] * LINK_NAME_DICT_SLOTS + (size_t)s];
        for (size_t m = r; m < end; m++) {
            const struct link_name_keys *km = link_name_dict_keys(d, order[m]);
            for (int s = 0; s < LINK_NAME_DICT_SLOTS; s++) {
                double want = has_group(km) && total[s] ? (double)group[s] / (double)total[s] : 0.0;
                double got = link_name_dict_frequency(d, order[m], s);
                if (fabs(got - want) > 1e-12)
                    fail_msg("frequency of \"%s\" (ascii \"%s\") in slot %d: %.15g, want %.15g",
                             link_name_dict_value(d, order[m]), km->ascii, s, got, want);
            }
        }
        for (int s = 0; s < LINK_NAME_DICT_SLOTS; s++)
            sum[s] += link_name_dict_frequency(d, order[r], s);
        r = end;
    }
    for (int s = 0; s < LINK_NAME_DICT_SLOTS; s++)
        if (total[s] && fabs(sum[s] - 1.0) > 1e-9)
            fail_msg("slot %d: the groups' frequencies sum to %.15g", s, sum[s]);
        else if (!total[s] && sum[s] != 0.0)
            fail_msg("unused slot %d: the groups' frequencies sum to %.15g", s, sum[s]);
    fn_free(order);
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void test_intern_ids(void **state)
{
    (void)state;
    struct link_name_dict *d = NULL;
    assert_int_equal(link_name_dict_new(LINK_NAME_PERSON, &d), FN_OK);
    assert_int_equal(link_name_dict_size(d), 0);
    assert_int_equal(add(d, "Hassan", 0), 0);
    assert_int_equal(add(d, "Ali", 1), 1);
    assert_int_equal(add(d, "Hassan", 1), 0);
    assert_int_equal(add(d, "hassan", 0), 2); /* other bytes, same keys: still its own value */
    assert_int_equal(add(d, "Hassan ", 0), 3);
    assert_int_equal(add(d, "Hasan", 0), 4); /* a prefix of a value */
    assert_int_equal(add(d, "Hassanein", 0), 5);
    assert_int_equal(add(d, "", 0), 6);
    assert_int_equal(add(d, "حسن", 0), 7);
    uint32_t id = UINT32_MAX;
    assert_int_equal(link_name_dict_add(d, "Hassanein", 6, 2, &id), FN_OK); /* len, not strlen */
    assert_int_equal(id, 0);
    assert_int_equal(link_name_dict_add(d, "Hasan al-Ali", 5, 2, &id), FN_OK);
    assert_int_equal(id, 4);
    assert_int_equal(link_name_dict_add(d, "", 0, 3, &id), FN_OK);
    assert_int_equal(id, 6);
    assert_int_equal(add(d, "حسن", 3), 7);
    assert_int_equal(link_name_dict_size(d), 8);

    assert_int_equal(link_name_dict_add(d, "Omar", 4, -1, &id), FN_INVALID);
    assert_int_equal(link_name_dict_add(d, "Omar", 4, LINK_NAME_DICT_SLOTS, &id), FN_INVALID);
    assert_int_equal(link_name_dict_add(d, "Hassan", 6, LINK_NAME_DICT_SLOTS, &id), FN_INVALID);
    assert_int_equal(link_name_dict_size(d), 8);

    static const char *const want[] = {"Hassan", "Ali",       "hassan", "Hassan ",
                                       "Hasan",  "Hassanein", "",       "حسن"};
    for (uint32_t i = 0; i < 8; i++)
        assert_string_equal(link_name_dict_value(d, i), want[i]);

    assert_int_equal(link_name_dict_build(d, 2), FN_OK);
    assert_int_equal(link_name_dict_add(d, "Omar", 4, 0, &id), FN_INVALID);
    assert_int_equal(link_name_dict_add(d, "Hassan", 6, 0, &id), FN_INVALID);
    assert_int_equal(link_name_dict_build(d, 1), FN_INVALID);
    assert_int_equal(link_name_dict_size(d), 8);
    for (uint32_t i = 0; i < 8; i++)
        assert_string_equal(link_name_dict_value(d, i), want[i]);

    /* counts per slot, seen through the frequencies: slot 0 holds Hassan,
     * hassan, "Hassan " (ascii "hassan", 3), Hasan, Hassanein, حسن and the
     * empty value (no key); slot 1 Hassan and Ali; slot 2 Hassan (via len 6)
     * and Hasan (via len 5); slot 3 the empty value and حسن */
    assert_float_equal(link_name_dict_frequency(d, 0, 0), 3.0 / 6.0, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, 2, 0), 3.0 / 6.0, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, 4, 0), 1.0 / 6.0, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, 6, 0), 0.0, 0.0);
    assert_float_equal(link_name_dict_frequency(d, 0, 1), 0.5, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, 1, 1), 0.5, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, 0, 2), 0.5, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, 4, 2), 0.5, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, 7, 3), 1.0, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, 0, -1), 0.0, 0.0);
    assert_float_equal(link_name_dict_frequency(d, 0, LINK_NAME_DICT_SLOTS), 0.0, 0.0);
    link_name_dict_free(d);

    /* an empty dictionary builds */
    assert_int_equal(link_name_dict_new(LINK_NAME_PLACE, &d), FN_OK);
    assert_int_equal(link_name_dict_build(d, 4), FN_OK);
    assert_int_equal(link_name_dict_size(d), 0);
    assert_int_equal(link_name_dict_add(d, "Aleppo", 6, 0, &id), FN_INVALID);
    link_name_dict_free(d);
    link_name_dict_free(NULL);
}

/* Value i of the growth test: base-20 syllables; every 13th very long
 * (grows the text store in big steps), every 97th in Cyrillic. */
static void growth_value(uint32_t i, char *buf, size_t cap)
{
    static const char *const lat[20] = {"ba", "ka", "do", "fa", "ge", "ha", "ji", "lu", "ma", "ne",
                                        "ro", "sa", "ti", "wa", "zu", "bo", "ko", "mi", "nu", "se"};
    static const char *const cyr[20] = {"ба", "ка", "до", "фа", "ге", "ха", "жи", "лу", "ма", "не",
                                        "ро", "са", "ти", "ва", "зу", "бо", "ко", "ми", "ну", "се"};
    const char *const *syl = i % 97 == 5 ? cyr : lat;
    size_t w = (size_t)snprintf(buf, cap, "%s", i % 13 == 7 ? "Abdulrahmanabdulrahman-" : "");
    if (i % 13 == 7)
        for (int k = 0; k < 8; k++)
            w += (size_t)snprintf(buf + w, cap - w, "%s", "Xyxyxyxyxyxyxyxyxyxyxyxyxyxyxy");
    uint32_t v = i;
    for (int k = 0; k < 4; k++) {
        w += (size_t)snprintf(buf + w, cap - w, "%s", syl[v % 20]);
        v /= 20;
    }
}

static void test_growth(void **state)
{
    (void)state;
    struct link_name_dict *d = NULL;
    assert_int_equal(link_name_dict_new(LINK_NAME_PERSON, &d), FN_OK);
    uint32_t *counts = fn_calloc((size_t)GROWTH_VALUES * LINK_NAME_DICT_SLOTS, sizeof *counts);
    uint32_t *perm = fn_calloc(GROWTH_VALUES, sizeof *perm);
    assert_non_null(counts);
    assert_non_null(perm);
    char buf[512];
    for (uint32_t i = 0; i < GROWTH_VALUES; i++) {
        growth_value(i, buf, sizeof buf);
        if (add(d, buf, 0) != i)
            fail_msg("value %u \"%s\" did not get id %u", i, buf, i);
        counts[(size_t)i * LINK_NAME_DICT_SLOTS]++;
        /* every earlier id still answers after the table grew */
        if ((i & (i + 1)) == 0 || i % 4099 == 0)
            for (uint32_t j = 0; j <= i; j += 1 + j / 64) {
                growth_value(j, buf, sizeof buf);
                assert_int_equal(add(d, buf, 3), j);
                counts[(size_t)j * LINK_NAME_DICT_SLOTS + 3]++;
            }
    }
    assert_int_equal(link_name_dict_size(d), GROWTH_VALUES);
    /* again in a shuffled order, into slots 1 and 2 */
    for (uint32_t i = 0; i < GROWTH_VALUES; i++)
        perm[i] = i;
    rng_state = 0x5eed0003;
    for (uint32_t i = GROWTH_VALUES - 1; i > 0; i--) {
        uint32_t j = (uint32_t)rng_below((size_t)i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (uint32_t k = 0; k < GROWTH_VALUES; k++) {
        uint32_t i = perm[k];
        int slot = 1 + (int)(i % 2);
        growth_value(i, buf, sizeof buf);
        if (add(d, buf, slot) != i)
            fail_msg("re-adding \"%s\" gave another id than %u", buf, i);
        counts[(size_t)i * LINK_NAME_DICT_SLOTS + (size_t)slot]++;
    }
    assert_int_equal(link_name_dict_size(d), GROWTH_VALUES);
    assert_int_equal(link_name_dict_build(d, 4), FN_OK);
    for (uint32_t i = 0; i < GROWTH_VALUES; i++) {
        growth_value(i, buf, sizeof buf);
        assert_string_equal(link_name_dict_value(d, i), buf);
    }
    for (uint32_t i = 0; i < GROWTH_VALUES; i += 61) { /* keys as link_name_keys_make makes them */
        struct link_name_keys k = keys_of(link_name_dict_value(d, i));
        assert_memory_equal(&k, link_name_dict_keys(d, i), sizeof k);
    }
    check_frequencies(d, counts);
    fn_free(counts);
    fn_free(perm);
    link_name_dict_free(d);
}

/* Values that are not UTF-8: they get empty keys and never agree. */
static const char *const invalid_utf8[] = {"\xff",         "Hass\xc3", "\xc3\x28",
                                           "\xed\xa0\x80", "\xc0\xaf", "Ali \xf4\x90\x80\x80"};

static void test_build_threads(void **state)
{
    (void)state;
    corpus_ensure();
    static const int threads[] = {1, 2, 3, 4};
    enum { NT = sizeof threads / sizeof threads[0] };
    const size_t ninvalid = sizeof invalid_utf8 / sizeof invalid_utf8[0];
    struct link_name_dict *d[NT] = {NULL};
    uint32_t *counts = fn_calloc((corpus.n + ninvalid) * LINK_NAME_DICT_SLOTS, sizeof *counts);
    assert_non_null(counts);
    for (size_t a = 0; a < corpus.nadds; a++)
        counts[(size_t)corpus.adds[a].id * LINK_NAME_DICT_SLOTS + (size_t)corpus.adds[a].slot]++;
    for (size_t i = 0; i < ninvalid; i++)
        counts[(corpus.n + i) * LINK_NAME_DICT_SLOTS + (size_t)(i % LINK_NAME_DICT_SLOTS)]++;
    for (int t = 0; t < NT; t++) {
        assert_int_equal(link_name_dict_new(LINK_NAME_PERSON, &d[t]), FN_OK);
        for (size_t a = 0; a < corpus.nadds; a++) {
            const char *v = link_name_dict_value(corpus.dict, corpus.adds[a].id);
            assert_int_equal(add(d[t], v, corpus.adds[a].slot), corpus.adds[a].id);
        }
        for (size_t i = 0; i < ninvalid; i++)
            assert_int_equal(add(d[t], invalid_utf8[i], (int)(i % LINK_NAME_DICT_SLOTS)),
                             corpus.n + i);
        assert_int_equal(link_name_dict_build(d[t], threads[t]), FN_OK);
    }
    struct link_name_keys none;
    struct link_name_sig none_sig;
    memset(&none, 0, sizeof none);
    none.empty = 1;
    memset(&none_sig, 0, sizeof none_sig);
    for (uint32_t i = 0; i < corpus.n + ninvalid; i++) {
        const struct link_name_keys *k1 = link_name_dict_keys(d[0], i);
        const struct link_name_sig *s1 = link_name_dict_sig(d[0], i);
        const struct link_name_keys *want = i < corpus.n ? &corpus.keys[i] : &none;
        if (memcmp(k1, want, sizeof *k1)) {
            char got[1024], exp[1024];
            describe_keys(got, sizeof got, k1);
            describe_keys(exp, sizeof exp, want);
            fail_msg("keys of \"%s\": %s, want %s", link_name_dict_value(d[0], i), got, exp);
        }
        struct link_name_sig ws;
        link_name_sig_make(k1, &ws);
        if (k1->ntokens > 1) { /* and the token signatures, wherever they are */
            struct link_token_sig wt[LINK_NAME_MAX_TOKENS];
            link_name_sig_tokens(k1, &ws, wt, 0);
            ws.tokens = s1->tokens;
            assert_memory_equal(&link_name_dict_token_sigs(d[0])[s1->tokens], wt,
                                k1->ntokens * sizeof wt[0]);
        }
        assert_memory_equal(s1, &ws, sizeof ws);
        if (i >= corpus.n)
            assert_memory_equal(s1, &none_sig, sizeof none_sig);
        for (int t = 1; t < NT; t++) {
            if (memcmp(link_name_dict_keys(d[t], i), k1, sizeof *k1))
                fail_msg("keys of \"%s\" differ between 1 and %d threads",
                         link_name_dict_value(d[0], i), threads[t]);
            if (memcmp(link_name_dict_sig(d[t], i), s1, sizeof *s1))
                fail_msg("signature of \"%s\" differs between 1 and %d threads",
                         link_name_dict_value(d[0], i), threads[t]);
            for (int s = 0; s < LINK_NAME_DICT_SLOTS; s++)
                assert_true(link_name_dict_frequency(d[t], i, s) ==
                            link_name_dict_frequency(d[0], i, s));
        }
    }
    check_frequencies(d[0], counts);
    /* a place dictionary uses the place keys */
    struct link_name_dict *pd = NULL;
    assert_int_equal(link_name_dict_new(LINK_NAME_PLACE, &pd), FN_OK);
    assert_int_equal(add(pd, "Damaskus", 0), 0);
    assert_int_equal(add(pd, "Damascus", 1), 1);
    assert_int_equal(add(pd, "دمشق", 1), 2);
    assert_int_equal(link_name_dict_build(pd, 3), FN_OK);
    for (uint32_t i = 0; i < 3; i++) {
        struct link_name_keys k;
        const char *v = link_name_dict_value(pd, i);
        assert_int_equal(link_place_keys_make(tr, v, strlen(v), &k), FN_OK);
        assert_memory_equal(&k, link_name_dict_keys(pd, i), sizeof k);
    }
    assert_string_equal(link_name_dict_keys(pd, 0)->ascii, "damascus");
    assert_float_equal(link_name_dict_frequency(pd, 0, 1), link_name_dict_frequency(pd, 1, 1), 0.0);
    link_name_dict_free(pd);
    for (int t = 0; t < NT; t++)
        link_name_dict_free(d[t]);
    fn_free(counts);
}

static void test_frequencies(void **state)
{
    (void)state;
    /* What the keys are, so the grouping below is by the ascii key: case
     * folds away, Cyrillic romanises to the Latin spelling, the Arabic
     * script has no vowels to romanise. */
    assert_string_equal(keys_of("Mohammad").ascii, "mohammad");
    assert_string_equal(keys_of("MOHAMMAD").ascii, "mohammad");
    assert_string_equal(keys_of("محمد").ascii, "mhmd");
    assert_string_equal(keys_of("علي").ascii, "ali"); /* the initial ayn as a vowel */
    assert_string_equal(keys_of("Muhammad").ascii, "muhammad");
    assert_string_equal(keys_of("Щербаков").ascii, "shcherbakov");
    assert_string_equal(keys_of("SHCHERBAKOV").ascii, "shcherbakov");
    assert_string_equal(keys_of("Al").ascii, "al"); /* a particle alone is the name */
    assert_string_equal(keys_of("--").ascii, "");   /* punctuation: no romanised key */
    assert_false(keys_of("--").empty);

    static const struct {
        const char *v;
        int slot, times;
    } adds[] = {
        {"Mohammad", 0, 3}, {"MOHAMMAD", 0, 1},    {"محمد", 0, 2},        {"Muhammad", 0, 1},
        {"Щербаков", 0, 1}, {"Shcherbakov", 0, 2}, {"SHCHERBAKOV", 0, 1}, {"--", 0, 1},
        {"", 0, 1},         {"\xff", 0, 1},        {"MOHAMMAD", 1, 1},    {"Hassan", 1, 3},
        {"", 2, 2},         {"   ", 2, 1},
    };
    struct link_name_dict *d = NULL;
    assert_int_equal(link_name_dict_new(LINK_NAME_PERSON, &d), FN_OK);
    uint32_t counts[16 * LINK_NAME_DICT_SLOTS] = {0};
    for (size_t i = 0; i < sizeof adds / sizeof adds[0]; i++)
        for (int t = 0; t < adds[i].times; t++) {
            uint32_t id = add(d, adds[i].v, adds[i].slot);
            assert_true(id < 16);
            counts[id * LINK_NAME_DICT_SLOTS + (uint32_t)adds[i].slot]++;
        }
    assert_int_equal(link_name_dict_size(d), 12);
    assert_int_equal(link_name_dict_build(d, 2), FN_OK);
    enum {
        MOHAMMAD = 0,
        UPPER = 1,
        ARABIC = 2,
        MUHAMMAD = 3,
        CYRILLIC = 4,
        SHCH = 5,
        SHCH_UP = 6,
        AL = 7,
        EMPTY = 8,
        INVALID = 9,
        HASSAN = 10,
        BLANK = 11
    };
    assert_string_equal(link_name_dict_value(d, HASSAN), "Hassan");
    assert_string_equal(link_name_dict_value(d, BLANK), "   ");
    /* slot 0: 11 occurrences of values with a romanised key */
    assert_float_equal(link_name_dict_frequency(d, MOHAMMAD, 0), 4.0 / 11.0, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, UPPER, 0), 4.0 / 11.0, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, ARABIC, 0), 2.0 / 11.0, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, MUHAMMAD, 0), 1.0 / 11.0, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, CYRILLIC, 0), 4.0 / 11.0, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, SHCH, 0), 4.0 / 11.0, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, SHCH_UP, 0), 4.0 / 11.0, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, HASSAN, 0), 0.0, 0.0);
    for (int s = 0; s < LINK_NAME_DICT_SLOTS; s++) {
        assert_float_equal(link_name_dict_frequency(d, AL, s), 0.0, 0.0);
        assert_float_equal(link_name_dict_frequency(d, EMPTY, s), 0.0, 0.0);
        assert_float_equal(link_name_dict_frequency(d, INVALID, s), 0.0, 0.0);
        assert_float_equal(link_name_dict_frequency(d, BLANK, s), 0.0, 0.0);
    }
    /* slot 1: the group counts, not the value: Mohammad was never a slot-1 value */
    assert_float_equal(link_name_dict_frequency(d, MOHAMMAD, 1), 1.0 / 4.0, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, UPPER, 1), 1.0 / 4.0, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, HASSAN, 1), 3.0 / 4.0, 1e-12);
    assert_float_equal(link_name_dict_frequency(d, ARABIC, 1), 0.0, 0.0);
    assert_float_equal(link_name_dict_frequency(d, SHCH, 1), 0.0, 0.0);
    /* slot 2 holds only empty values, slot 3 nothing */
    for (uint32_t i = 0; i < 12; i++) {
        assert_float_equal(link_name_dict_frequency(d, i, 2), 0.0, 0.0);
        assert_float_equal(link_name_dict_frequency(d, i, 3), 0.0, 0.0);
    }
    /* the distinct groups of slot 0 and 1 sum to 1 */
    double sum0 = link_name_dict_frequency(d, MOHAMMAD, 0) +
                  link_name_dict_frequency(d, ARABIC, 0) +
                  link_name_dict_frequency(d, MUHAMMAD, 0) + link_name_dict_frequency(d, SHCH, 0);
    double sum1 = link_name_dict_frequency(d, MOHAMMAD, 1) + link_name_dict_frequency(d, HASSAN, 1);
    assert_float_equal(sum0, 1.0, 1e-9);
    assert_float_equal(sum1, 1.0, 1e-9);
    check_frequencies(d, counts);
    link_name_dict_free(d);
}

struct pair_stats {
    uint64_t pairs, agree, level[LINK_NAME_LEVELS];
    uint64_t proven_different; /* link_name_sig_different said 1 */
};

/* Fails with both names, all their keys and what each function said. */
static void report_pair(const char *what, uint32_t i, uint32_t j)
{
    const struct link_name_keys *ka = &corpus.keys[i], *kb = &corpus.keys[j];
    enum link_name_level lv = link_compare_names(ka, kb, NULL);
    enum link_name_level lv_sig =
        link_compare_names_sig(ka, kb, &corpus.sig[i], &corpus.sig[j], corpus.tok);
    char a[1024], b[1024];
    describe_keys(a, sizeof a, ka);
    describe_keys(b, sizeof b, kb);
    fail_msg("%s\n  a = \"%s\": %s\n  b = \"%s\": %s\n  link_compare_names = %s (%d), "
             "link_name_sig_phonetic = %d, link_compare_names_sig = %s (%d)",
             what, link_name_dict_value(corpus.dict, i), a, link_name_dict_value(corpus.dict, j), b,
             link_name_level_label(lv), (int)lv,
             link_name_sig_phonetic(&corpus.sig[i], &corpus.sig[j]), link_name_level_label(lv_sig),
             (int)lv_sig);
}

/* Checks the signature of the pair against link_compare_names and, when
 * with_level, link_compare_names_sig too (it costs as much again). */
static void check_pair(uint32_t i, uint32_t j, int with_level, struct pair_stats *st)
{
    const struct link_name_keys *a = &corpus.keys[i], *b = &corpus.keys[j];
    const struct link_name_sig *sa = &corpus.sig[i], *sb = &corpus.sig[j];
    enum link_name_level lv = link_compare_names(a, b, NULL);
    int want = lv == LINK_NAME_EXACT || lv == LINK_NAME_TRANSLIT || lv == LINK_NAME_PHONETIC;
    if (link_name_sig_phonetic(sa, sb) != want)
        report_pair("link_name_sig_phonetic disagrees with link_compare_names", i, j);
    if (with_level && link_compare_names_sig(a, b, sa, sb, corpus.tok) != lv)
        report_pair("link_compare_names_sig disagrees with link_compare_names", i, j);
    /* the letter-count bound (for names whose keys disagree) may only
     * ever prove what is true */
    if (!link_name_sig_phonetic(sa, sb) && link_name_sig_different(sa, sb, corpus.tok)) {
        if (lv != LINK_NAME_DIFFERENT)
            report_pair("link_name_sig_different said different, link_compare_names did not", i, j);
        st->proven_different++;
    }
    st->pairs++;
    st->agree += (uint64_t)want;
    st->level[lv]++;
}

static void test_sig_matches_compare(void **state)
{
    (void)state;
    corpus_ensure();
    struct pair_stats st = {0};
    uint32_t n = (uint32_t)corpus.n;
    assert_true(n > 5000);
    for (uint32_t i = 0; i < n; i++) /* neighbours: spelling variants, typos, compounds */
        for (uint32_t j = i + 1; j <= i + PAIR_WINDOW && j < n; j++)
            check_pair(i, j, 1, &st);
    rng_state = 0x5eed0002;
    for (uint32_t k = 0; k < PAIRS_SAMPLED; k++) {
        uint64_t r = rng_next();
        check_pair((uint32_t)((r & 0xffffffffu) % n), (uint32_t)((r >> 32) % n), k % 4 == 0, &st);
    }
    print_message("namedict: %u names, %llu pairs, %llu agree at least phonetically "
                  "(exact %llu, translit %llu, phonetic %llu, similar %llu, weak %llu), "
                  "%llu of %llu different ones proven by the letter counts\n",
                  n, (unsigned long long)st.pairs, (unsigned long long)st.agree,
                  (unsigned long long)st.level[LINK_NAME_EXACT],
                  (unsigned long long)st.level[LINK_NAME_TRANSLIT],
                  (unsigned long long)st.level[LINK_NAME_PHONETIC],
                  (unsigned long long)st.level[LINK_NAME_SIMILAR],
                  (unsigned long long)st.level[LINK_NAME_WEAK],
                  (unsigned long long)st.proven_different,
                  (unsigned long long)st.level[LINK_NAME_DIFFERENT]);
    /* the bound is not vacuous: it proves nearly all different pairs
     * (97 % of this corpus) */
    assert_true(st.proven_different * 10 > st.level[LINK_NAME_DIFFERENT] * 9);
    /* the corpus is not vacuous: every level above DIFFERENT occurs often */
    assert_true(st.level[LINK_NAME_EXACT] > 1000);
    assert_true(st.level[LINK_NAME_TRANSLIT] > 1000);
    assert_true(st.level[LINK_NAME_PHONETIC] > 1000);
    assert_true(st.level[LINK_NAME_SIMILAR] > 1000);
    assert_int_equal(st.level[LINK_NAME_MISSING], 0);
}

static void test_empty_never_agrees(void **state)
{
    (void)state;
    corpus_ensure();
    static const char *const blank[] = {"", " ", "\t \n", "\xc2\xa0"};
    const size_t nblank = sizeof blank / sizeof blank[0];
    const size_t ninvalid = sizeof invalid_utf8 / sizeof invalid_utf8[0];
    struct link_name_dict *d = NULL;
    assert_int_equal(link_name_dict_new(LINK_NAME_PERSON, &d), FN_OK);
    for (size_t i = 0; i < nblank; i++)
        assert_int_equal(add(d, blank[i], 0), i);
    for (size_t i = 0; i < ninvalid; i++)
        assert_int_equal(add(d, invalid_utf8[i], 0), nblank + i);
    assert_int_equal(link_name_dict_build(d, 2), FN_OK);
    for (uint32_t e = 0; e < nblank + ninvalid; e++) {
        const struct link_name_keys *k = link_name_dict_keys(d, e);
        const struct link_name_sig *s = link_name_dict_sig(d, e);
        assert_true(k->empty);
        if (e < nblank) { /* link_name_keys_make gives the same */
            struct link_name_keys kd = keys_of(blank[e]);
            struct link_name_sig sd;
            assert_memory_equal(&kd, k, sizeof kd);
            link_name_sig_make(&kd, &sd);
            assert_memory_equal(&sd, s, sizeof sd);
        }
        for (uint32_t f = 0; f < nblank + ninvalid; f++)
            assert_false(link_name_sig_phonetic(s, link_name_dict_sig(d, f)));
        for (uint32_t i = 0; i < corpus.n; i++) {
            if (link_name_sig_phonetic(s, &corpus.sig[i]) ||
                link_name_sig_phonetic(&corpus.sig[i], s))
                fail_msg("empty value %u agrees with \"%s\"", e,
                         link_name_dict_value(corpus.dict, i));
            if (link_compare_names(k, &corpus.keys[i], NULL) != LINK_NAME_MISSING ||
                link_compare_names_sig(&corpus.keys[i], k, &corpus.sig[i], s, NULL) !=
                    LINK_NAME_MISSING)
                fail_msg("empty value %u is not MISSING against \"%s\"", e,
                         link_name_dict_value(corpus.dict, i));
        }
    }
    link_name_dict_free(d);
}

static char *repeat(const char *unit, int times, const char *tail)
{
    size_t ul = strlen(unit), tl = strlen(tail);
    char *s = fn_malloc(ul * (size_t)times + tl + 1);
    assert_non_null(s);
    for (int i = 0; i < times; i++)
        memcpy(s + ul * (size_t)i, unit, ul);
    memcpy(s + ul * (size_t)times, tail, tl + 1);
    return s;
}

/* Regression (src/link/normalize.c, keys_make, fixed): a name of 512 or more UTF-16
 * units with a non-ASCII character overflows link_translit_fold, which
 * returns FN_TOO_LARGE; keys_make swallows it and returns FN_OK with every
 * key empty but empty = 0. link_compare_names then calls any two such names
 * EXACT (strcmp of two empty folded keys), while the signature (folded hash
 * 0) says they do not agree and link_compare_names_sig goes on to
 * similar_level. */
static void test_long_names(void **state)
{
    (void)state;
    char *a = repeat("Hassan ", 80, "é"), *b = repeat("Mueller ", 80, "ü");
    struct link_name_keys ka = keys_of(a), kb = keys_of(b);
    struct link_name_sig sa, sb;
    link_name_sig_make(&ka, &sa);
    link_name_sig_make(&kb, &sb);
    enum link_name_level lv = link_compare_names(&ka, &kb, NULL);
    int phon = lv == LINK_NAME_EXACT || lv == LINK_NAME_TRANSLIT || lv == LINK_NAME_PHONETIC;
    int sig = link_name_sig_phonetic(&sa, &sb);
    enum link_name_level lv_sig = link_compare_names_sig(&ka, &kb, &sa, &sb, NULL);
    fn_free(a);
    fn_free(b);
    if ((!ka.empty && !ka.folded[0]) || sig != phon || lv_sig != lv || lv == LINK_NAME_EXACT)
        fail_msg("two different 562/642-byte names: empty=%d/%d folded=\"%s\"/\"%s\" "
                 "ascii=\"%s\"/\"%s\"; link_compare_names = %s, link_name_sig_phonetic = %d, "
                 "link_compare_names_sig = %s",
                 ka.empty, kb.empty, ka.folded, kb.folded, ka.ascii, kb.ascii,
                 link_name_level_label(lv), sig, link_name_level_label(lv_sig));
}

/* Regression (src/link/normalize.c, keys_make, fixed): the input is cut at RAW_MAX
 * (1024) bytes without regard to UTF-8 boundaries, so a valid name longer
 * than that whose byte 1024 falls inside a character is FN_INVALID, and the
 * dictionary gives it empty keys. */
static void test_long_valid_utf8(void **state)
{
    (void)state;
    char *s = repeat("Щ", 549, "");
    char *odd = repeat("a", 1, s); /* 1099 bytes, byte 1024 inside a Щ */
    struct link_name_keys k;
    fn_status rc = link_name_keys_make(tr, odd, strlen(odd), &k);
    fn_free(s);
    fn_free(odd);
    assert_int_equal(rc, FN_OK);
}

static int setup(void **state)
{
    (void)state;
    return link_translit_new(&tr) == FN_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    corpus_free();
    link_translit_free(tr);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intern_ids),          cmocka_unit_test(test_growth),
        cmocka_unit_test(test_build_threads),       cmocka_unit_test(test_frequencies),
        cmocka_unit_test(test_sig_matches_compare), cmocka_unit_test(test_empty_never_agrees),
        cmocka_unit_test(test_long_names),          cmocka_unit_test(test_long_valid_utf8),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
