/*
 * normalize.c – the comparison keys of one name field (see normalize.h).
 */
#include "link/normalize.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "link/arabic.h"
#include "link/phonetic.h"

#define RAW_MAX        1024
#define NAME_INPUT_MAX 256 /* bytes of a name that are compared */

/* Particles that carry no identity: Arabic articles in their assimilated
 * romanisations, patronymic links, Dutch/German/Romance prepositions. */
static const char *const particles[] = {"al", "el",  "ul",  "ad",  "ar", "as",   "ash", "at",  "az",
                                        "an", "bin", "ben", "ibn", "bn", "bint", "van", "von", "de",
                                        "da", "der", "den", "du",  "di", "la",   "le",  "del"};

static int is_particle(const char *tok, size_t len)
{
    for (size_t i = 0; i < sizeof particles / sizeof particles[0]; i++)
        if (strlen(particles[i]) == len && memcmp(particles[i], tok, len) == 0)
            return 1;
    return 0;
}

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Copies at most cap-1 bytes of s, cut at a UTF-8 boundary. */
static void copy_utf8_cut(char *dst, size_t cap, const char *s, size_t len)
{
    if (len >= cap) {
        len = cap - 1;
        while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(dst, s, len);
    dst[len] = '\0';
}

struct token {
    char text[LINK_KEY_MAX];
    size_t len;
};

static int token_cmp(const void *a, const void *b)
{
    return strcmp(((const struct token *)a)->text, ((const struct token *)b)->text);
}

/* Splits ASCII into tokens, drops particles (unless keep_particles: a name
 * of particles only, such as "Le" or "An", keeps them), unifies and joins
 * the "abd" prefix ("Abd al-Aziz", "Abdulaziz", "Abdel Aziz" -> "abdaziz"). */
static size_t tokenize(const char *ascii, struct token *toks, size_t max, int keep_particles)
{
    size_t n = 0;
    const char *p = ascii;
    int join_next = 0;
    while (*p) {
        while (*p && !is_alnum(*p))
            p++;
        const char *start = p;
        while (*p && is_alnum(*p))
            p++;
        size_t len = (size_t)(p - start);
        if (!len)
            break;
        if (!keep_particles && is_particle(start, len))
            continue;
        char word[LINK_KEY_MAX];
        copy_utf8_cut(word, sizeof word, start, len);
        static const char *const abd[] = {"abdoul", "abdul", "abdel", "abdal",
                                          "abdol",  "abdur", "abder", "abd"};
        for (size_t k = 0; k < sizeof abd / sizeof abd[0]; k++) {
            size_t al = strlen(abd[k]);
            if (strncmp(word, abd[k], al) == 0) {
                memmove(word + 3, word + al, strlen(word + al) + 1);
                break;
            }
        }
        if (join_next && n > 0) {
            struct token *t = &toks[n - 1];
            size_t wl = strlen(word);
            if (t->len + wl < sizeof t->text) {
                memcpy(t->text + t->len, word, wl + 1);
                t->len += wl;
            }
            join_next = 0;
            continue;
        }
        if (n == max)
            break;
        copy_utf8_cut(toks[n].text, sizeof toks[n].text, word, strlen(word));
        toks[n].len = strlen(toks[n].text);
        /* "bd" is عبد romanised without its ain */
        join_next = strcmp(toks[n].text, "abd") == 0 || strcmp(toks[n].text, "abu") == 0 ||
                    strcmp(toks[n].text, "bd") == 0;
        n++;
    }
    return n;
}

/* Consonant skeleton: spelling-variant folds first (dsch/dzh/dj/j->y as the
 * German, English and French renderings of the same sounds meet there;
 * kh/ch->h, sch/sh/zh->s, ph->f, th/dh->s, q/ck/c->k, w->v, z->s,
 * x->ks), then a leading Arabic article glued to the name is dropped, then
 * vowels and y after the first letter go and doubled letters collapse. h is
 * kept: in romanised Arabic it is a consonant (Mohammed "mhmd" is not
 * Mahmoud ... which still meets it, as the Arabic script would not tell them
 * apart without the long vowel either). */
static void skeleton(const char *joined, char *out, size_t cap)
{
    char tmp[LINK_KEY_MAX * 2];
    size_t w = 0, n = strlen(joined);
    for (size_t i = 0; i < n && w + 3 < sizeof tmp; i++) {
        const char *s = joined + i;
        if (strncmp(s, "shch", 4) == 0) { /* Щ (BGN) = German sch */
            tmp[w++] = 's';
            i += 3;
        } else if (strncmp(s, "tsch", 4) == 0) { /* Ч: German tsch = English ch */
            tmp[w++] = 'h';
            i += 3;
        } else if (strncmp(s, "dsch", 4) == 0) {
            tmp[w++] = 'y';
            i += 3;
        } else if (strncmp(s, "dzh", 3) == 0) {
            tmp[w++] = 'y';
            i += 2;
        } else if (strncmp(s, "sch", 3) == 0) {
            tmp[w++] = 's';
            i += 2;
        } else if (strncmp(s, "kh", 2) == 0 || strncmp(s, "ch", 2) == 0) {
            tmp[w++] = 'h';
            i += 1;
        } else if (strncmp(s, "sh", 2) == 0 || strncmp(s, "zh", 2) == 0) {
            tmp[w++] = 's';
            i += 1;
        } else if (strncmp(s, "dj", 2) == 0) {
            tmp[w++] = 'y';
            i += 1;
        } else if (strncmp(s, "ph", 2) == 0) {
            tmp[w++] = 'f';
            i += 1;
        } else if (strncmp(s, "th", 2) == 0 || strncmp(s, "dh", 2) == 0) {
            tmp[w++] = 's'; /* ث ذ ظ: Othman/Osman, Kadhim/Kazim, Muadh/Muaz */
            i += 1;
        } else if (strncmp(s, "ck", 2) == 0) {
            tmp[w++] = 'k';
            i += 1;
        } else if (s[0] == 'q' || s[0] == 'c') {
            tmp[w++] = 'k';
        } else if (s[0] == 'j') {
            tmp[w++] = 'y';
        } else if (s[0] == 'w') {
            tmp[w++] = 'v';
        } else if (s[0] == 'z') {
            tmp[w++] = 's';
        } else if (s[0] == 'x') {
            tmp[w++] = 'k';
            tmp[w++] = 's';
        } else {
            tmp[w++] = s[0];
        }
    }
    tmp[w] = '\0';
    const char *t = tmp;
    if ((strncmp(t, "al", 2) == 0 || strncmp(t, "el", 2) == 0) && strlen(t) >= 6)
        t += 2; /* "alhassan" -> "hassan" */
    size_t o = 0;
    char last = '\0';
    for (size_t i = 0; t[i] && o + 1 < cap; i++) {
        char c = t[i];
        if (c >= '0' && c <= '9')
            continue;
        /* vowels go everywhere (Arabic script writes no short vowels and
         * often no initial one: Ahmad/احمد "hmd"), and so does y, which
         * romanisations write or leave out at will (Iyad/إياد "yad") */
        if (strchr("aeiouy", c))
            continue;
        if (c == last)
            continue;
        out[o++] = c;
        last = c;
    }
    out[o] = '\0';
}

/* Ayn and hamza romanise as apostrophes (سعيد "s'yd") when a name mixes the
 * Arabic script with another (the general transliterator's path); Latin
 * spellings write nothing there, so they go rather than split the word. */
static void arabic_drop_marks(struct fn_buf *b)
{
    size_t w = 0;
    for (size_t i = 0; i < b->len; i++)
        if (b->data[i] != '\'' && b->data[i] != '`')
            b->data[w++] = b->data[i];
    b->len = w;
    b->data[w] = '\0';
}

static fn_status keys_make(struct link_translit *t, const char *s, size_t len,
                           struct link_name_keys *out, int is_place)
{
    memset(out, 0, sizeof *out);
    const char *p = s;
    size_t n = len;
    fn_utf8_trim(&p, &n);
    if (!n) {
        out->empty = 1;
        return FN_OK;
    }
    if (!fn_utf8_valid(p, n, NULL))
        return FN_INVALID;
    /* Only the first NAME_INPUT_MAX bytes are compared (the keys keep less),
     * cut at a character boundary so the cut stays valid UTF-8. */
    if (n > NAME_INPUT_MAX) {
        n = NAME_INPUT_MAX;
        while (n && ((unsigned char)p[n] & 0xC0) == 0x80)
            n--;
    }
    struct fn_buf b;
    fn_buf_init(&b, RAW_MAX * 4);
    fn_status rc = link_translit_fold(t, p, n, &b);
    if (!rc)
        copy_utf8_cut(out->folded, sizeof out->folded, fn_buf_str(&b), b.len);
    /* Arabic-script names: romanised the way Latin spellings write them
     * (arabic.h), from the folded form; mixed with another script, by the
     * general transliterator */
    struct fn_buf r;
    fn_buf_init(&r, RAW_MAX * 4);
    fn_status ar = FN_UNSUPPORTED;
    if (!rc && link_arabic_script(b.data, b.len)) {
        ar = link_arabic_romanize(b.data, b.len, &r);
        if (ar == FN_NOMEM)
            rc = FN_NOMEM;
    }
    fn_buf_reset(&b);
    if (!rc && ar == FN_OK) {
        rc = fn_buf_append(&b, r.data, r.len);
    } else if (!rc) {
        rc = link_translit_ascii(t, p, n, &b);
        if (!rc && link_arabic_script(p, n))
            arabic_drop_marks(&b);
    }
    fn_buf_free(&r);
    if (rc) {
        fn_buf_free(&b);
        if (rc != FN_TOO_LARGE)
            return rc;
        /* a name the transliterator cannot take: no keys, so it agrees
         * with nothing (never "exact" by empty keys) */
        memset(out, 0, sizeof *out);
        out->empty = 1;
        return FN_OK;
    }
    struct token toks[LINK_NAME_MAX_TOKENS];
    size_t nt = tokenize(fn_buf_str(&b), toks, LINK_NAME_MAX_TOKENS, 0);
    if (!nt)
        nt = tokenize(fn_buf_str(&b), toks, LINK_NAME_MAX_TOKENS, 1);
    fn_buf_free(&b);
    if (is_place && nt) {
        /* German exonyms and common romanisations of the populations' cities */
        static const char *const exonyms[][2] = {
            {"damaskus", "damascus"},
            {"dimashq", "damascus"},
            {"halab", "aleppo"},
            {"bagdad", "baghdad"},
            {"mossul", "mosul"},
            {"teheran", "tehran"},
            {"algier", "algiers"},
            {"alger", "algiers"},
            {"tiflis", "tbilisi"},
            {"grosny", "grozny"},
            {"moskau", "moscow"},
            {"moskva", "moscow"},
            {"belgrad", "belgrade"},
            {"beograd", "belgrade"},
            {"tripolis", "tripoli"},
            {"kaboul", "kabul"},
            {"maschhad", "mashhad"},
            {"kairo", "cairo"},
            /* Arabic-script names as romanised here (arabic.c: no short vowels) of
             * cities whose Latin name is an exonym */
            {"hlb", "aleppo"},
            {"dmshq", "damascus"},
            {"tnja", "tangier"},
            {"tanger", "tangier"},
            {"tanja", "tangier"},
            {"qahra", "cairo"},
            {"jzair", "algiers"},
            {"trabls", "tripoli"},
            {"tarabulus", "tripoli"},
            {"iskndria", "alexandria"},
            {"alexandrien", "alexandria"},
            {"whran", "oran"},
            {"wahran", "oran"}};
        for (size_t i = 0; i < nt; i++)
            for (size_t k = 0; k < sizeof exonyms / sizeof exonyms[0]; k++)
                if (strcmp(toks[i].text, exonyms[k][0]) == 0) {
                    copy_utf8_cut(toks[i].text, sizeof toks[i].text, exonyms[k][1],
                                  strlen(exonyms[k][1]));
                    toks[i].len = strlen(toks[i].text);
                }
    }
    out->ntokens = (uint8_t)nt;
    char joined[LINK_KEY_MAX];
    size_t w = 0, jw = 0;
    for (size_t i = 0; i < nt; i++) {
        if (w + toks[i].len + 2 > sizeof out->ascii) {
            out->ntokens = (uint8_t)i; /* cut at a token boundary */
            break;
        }
        if (i)
            out->ascii[w++] = ' ';
        out->tok_off[i] = (uint8_t)w;
        out->tok_len[i] = (uint8_t)toks[i].len;
        memcpy(out->ascii + w, toks[i].text, toks[i].len);
        w += toks[i].len;
        if (jw + toks[i].len + 1 < sizeof joined) {
            memcpy(joined + jw, toks[i].text, toks[i].len);
            jw += toks[i].len;
        }
    }
    out->ascii[w] = '\0';
    joined[jw] = '\0';
    nt = out->ntokens;
    /* the skeleton's source: the tokens without a word-final h that is not
     * part of sh/ch/kh/th/dh/gh/ph/zh (ة and ه: Samira/سميرة "smirh",
     * Fatima/Fatimah) */
    char skel_src[LINK_KEY_MAX], first_src[LINK_KEY_MAX] = "";
    size_t sw = 0;
    for (size_t i = 0; i < nt; i++) {
        size_t tl = toks[i].len;
        const char *tx = toks[i].text;
        if (tl > 2 && tx[tl - 1] == 'h' && !strchr("csktdgpz", tx[tl - 2]))
            tl--;
        if (sw + tl + 1 < sizeof skel_src) {
            memcpy(skel_src + sw, tx, tl);
            sw += tl;
        }
        if (i == 0) {
            memcpy(first_src, tx, tl);
            first_src[tl] = '\0';
        }
    }
    skel_src[sw] = '\0';
    if (nt)
        skeleton(first_src, out->skel_first, sizeof out->skel_first);
    qsort(toks, nt, sizeof toks[0], token_cmp);
    w = 0;
    for (size_t i = 0; i < nt; i++) {
        if (i)
            out->sorted[w++] = ' ';
        memcpy(out->sorted + w, toks[i].text, toks[i].len);
        w += toks[i].len;
    }
    out->sorted[w] = '\0';
    skeleton(skel_src, out->skeleton, sizeof out->skeleton);
    link_koelner_phonetik(out->ascii, out->koeln, sizeof out->koeln);
    link_double_metaphone(joined, out->dm_pri, out->dm_alt);
    if (!nt && !out->folded[0])
        out->empty = 1;
    return FN_OK;
}

fn_status link_name_keys_make(struct link_translit *t, const char *s, size_t len,
                              struct link_name_keys *out)
{
    return keys_make(t, s, len, out, 0);
}

fn_status link_place_keys_make(struct link_translit *t, const char *s, size_t len,
                               struct link_name_keys *out)
{
    return keys_make(t, s, len, out, 1);
}
