/* arabic.c – Arabic-script names romanised for matching (see arabic.h). */
#include "link/arabic.h"

#include <stdint.h>
#include <string.h>

#include "core/utf8.h"

#define MAX_CPS 512 /* code points of a name that are romanised */

/* Code points with a role in the context rules. */
enum {
    HAMZA = 0x0621,
    ALEF_MADDA = 0x0622,
    ALEF_HAMZA = 0x0623,
    WAW_HAMZA = 0x0624,
    ALEF_HAMZA_BELOW = 0x0625,
    YA_HAMZA = 0x0626,
    ALEF = 0x0627,
    TA_MARBUTA = 0x0629,
    AYN = 0x0639,
    TATWEEL = 0x0640,
    LAM = 0x0644,
    HA = 0x0647,
    WAW = 0x0648,
    ALEF_MAQSURA = 0x0649,
    YA = 0x064A,
    FARSI_YA = 0x06CC,
};

int link_arabic_script(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0xD8 && c <= 0xDB) /* lead bytes of U+0600..U+06FF */
            return 1;
    }
    return 0;
}

static int in_block(uint32_t cp)
{
    return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F);
}

/* Vowel marks, Quranic marks and joiners: no letter of their own. */
static int is_mark(uint32_t cp)
{
    return (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || (cp >= 0x06D6 && cp <= 0x06ED) ||
           cp == TATWEEL || cp == 0x200C || cp == 0x200D;
}

static int is_alef(uint32_t cp)
{
    return cp == ALEF || cp == ALEF_MADDA || cp == ALEF_HAMZA;
}

static int is_ya(uint32_t cp)
{
    return cp == YA || cp == FARSI_YA || cp == 0x06CD || cp == 0x06D0;
}

/* A letter that writes a long vowel after a consonant. */
static int is_long_vowel(uint32_t cp)
{
    return is_alef(cp) || cp == WAW || is_ya(cp) || cp == ALEF_MAQSURA;
}

/* The romanisation of a consonant (or a letter without context rules);
 * NULL when cp is not a letter this table knows. persian: ض as z. */
static const char *consonant(uint32_t cp, int persian)
{
    switch (cp) {
    case 0x0628:
        return "b";
    case 0x062A:
        return "t";
    case 0x062B:
        return "s"; /* ث: Osman, Usman */
    case 0x062C:
        return "j";
    case 0x062D:
        return "h";
    case 0x062E:
        return "kh";
    case 0x062F:
        return "d";
    case 0x0630:
        return "z"; /* ذ: Muaz, Zakaria */
    case 0x0631:
        return "r";
    case 0x0632:
        return "z";
    case 0x0633:
        return "s";
    case 0x0634:
        return "sh";
    case 0x0635:
        return "s";
    case 0x0636:
        return persian ? "z" : "d";
    case 0x0637:
        return "t";
    case 0x0638:
        return "z"; /* ظ: Kazim, Nazim */
    case 0x063A:
        return "gh";
    case 0x0641:
        return "f";
    case 0x0642:
        return "q";
    case 0x0643:
        return "k";
    case 0x0644:
        return "l";
    case 0x0645:
        return "m";
    case 0x0646:
        return "n";
    case 0x0647:
        return "h";
    /* Persian, Pashto, Kurdish, Urdu, Maghrebi */
    case 0x067E:
        return "p";
    case 0x0686:
        return "ch";
    case 0x0698:
        return "zh";
    case 0x06AF:
        return "g";
    case 0x06A9:
        return "k";
    case 0x06AA:
        return "k";
    case 0x06AB:
        return "g";
    case 0x067C:
        return "t";
    case 0x0679:
        return "t";
    case 0x0689:
        return "d";
    case 0x0688:
        return "d";
    case 0x0693:
        return "r";
    case 0x0691:
        return "r";
    case 0x0695:
        return "r";
    case 0x0696:
        return "zh";
    case 0x069A:
        return "sh";
    case 0x06BC:
        return "n";
    case 0x06BA:
        return "n";
    case 0x0681:
        return "z";
    case 0x0685:
        return "s";
    case 0x06B5:
        return "l";
    case 0x06A4:
        return "v";
    case 0x06A8:
        return "g";
    case 0x06AD:
        return "ng";
    case 0x0763:
        return "g";
    case 0x06BE:
        return "h";
    case 0x06C1:
        return "h";
    case 0x06C0:
        return "e";
    case 0x06D5:
        return "e";
    case 0x06CE:
        return "e";
    case 0x06D2:
        return "e";
    case 0x06D3:
        return "e";
    case 0x06C6:
        return "o";
    case 0x06C7:
        return "u";
    case 0x06C8:
        return "u";
    case 0x06CB:
        return "v";
    default:
        return NULL;
    }
}

/* Whether a Persian-only letter (پ چ ژ گ ک ی) occurs. */
static int persian_letters(const uint32_t *cp, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cp[i] == 0x067E || cp[i] == 0x0686 || cp[i] == 0x0698 || cp[i] == 0x06AF ||
            cp[i] == 0x06A9 || cp[i] == FARSI_YA)
            return 1;
    return 0;
}

static int emitted_vowel(const struct fn_buf *out, size_t word_start)
{
    if (out->len <= word_start)
        return 0;
    return strchr("aeiou", out->data[out->len - 1]) != NULL;
}

static char last_emitted(const struct fn_buf *out, size_t word_start)
{
    return out->len > word_start ? out->data[out->len - 1] : '\0';
}

/* Romanises one word: the letters w[0..m) (marks removed, in order) with
 * mark[k] the vowel a mark after letter k adds ('\0' for none). */
static fn_status romanize_word(const uint32_t *w, const char *mark, size_t m, int persian,
                               struct fn_buf *out)
{
    size_t start = out->len, k = 0;
    fn_status rc = FN_OK;
    /* the article: ال before at least two more letters (not الله) */
    if (m >= 4 && w[0] == ALEF && w[1] == LAM) {
        if (m == 4 && w[2] == LAM && w[3] == HA)
            return fn_buf_append(out, "allah", 5);
        k = 2;
    }
    for (; k < m && !rc; k++) {
        uint32_t c = w[k], next = k + 1 < m ? w[k + 1] : 0, prev = k ? w[k - 1] : 0;
        int first = out->len == start;
        const char *s = NULL;
        char one[2] = {0, 0};
        if (first && (c == ALEF || c == ALEF_HAMZA || c == ALEF_MADDA || c == AYN)) {
            /* a word-initial alef or ayn is the vowel the Latin spellings
             * write: before ya an i (عيسى Isa), before waw a u (أوس Aus),
             * else an a (علي Ali, عادل Adil) */
            if (is_ya(next) && c != ALEF_HAMZA && c != ALEF_MADDA) {
                s = "i";
                k++;
            } else if (next == WAW && m > 2) {
                s = "u";
                k++;
            } else {
                s = "a";
                if (is_alef(next))
                    k++;
            }
        } else if (c == ALEF_HAMZA_BELOW) {
            s = "i";
        } else if (is_alef(c)) {
            s = last_emitted(out, start) == 'a' ? "" : "a";
        } else if (c == AYN) {
            /* inside a word: a vowel, unless a long vowel letter stands
             * next to it (معاذ Muaz, سعيد Said) or one was just written */
            s = is_long_vowel(next) || emitted_vowel(out, start) ? "" : "a";
        } else if (c == HAMZA) {
            s = "";
        } else if (c == YA_HAMZA) {
            s = last_emitted(out, start) == 'i' ? "" : "i";
        } else if (c == WAW_HAMZA) {
            s = "u";
        } else if (c == WAW) {
            s = first || is_alef(prev) || is_ya(next) || is_alef(next) || next == ALEF_MAQSURA
                    ? "w"
                    : "u";
        } else if (is_ya(c)) {
            if (first || is_alef(next) || next == WAW || next == ALEF_MAQSURA || is_alef(prev))
                s = "y";
            else
                s = last_emitted(out, start) == 'i' ? "" : "i";
        } else if (c == ALEF_MAQSURA || c == TA_MARBUTA) {
            s = "a"; /* عيسى Isa, ليلى Layla; ة: Fatima, Hasaka */
        } else if (c == HA && persian && k + 1 == m && k > 1 && !is_alef(prev)) {
            s = "a"; /* a silent final he: کاوه Kawa, علیزاده Alizada */
        } else if (c >= 0x0660 && c <= 0x0669) {
            one[0] = (char)('0' + (c - 0x0660));
            s = one;
        } else if (c >= 0x06F0 && c <= 0x06F9) {
            one[0] = (char)('0' + (c - 0x06F0));
            s = one;
        } else if (c < 0x80) {
            one[0] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            s = one;
        } else {
            s = consonant(c, persian);
            if (!s)
                s = ""; /* an unknown letter of the block: nothing */
        }
        rc = fn_buf_append(out, s, strlen(s));
        if (!rc && mark[k])
            rc = fn_buf_append(out, &mark[k], 1);
    }
    return rc;
}

fn_status link_arabic_romanize(const char *s, size_t n, struct fn_buf *out)
{
    uint32_t cps[MAX_CPS];
    size_t ncp = 0;
    for (size_t i = 0; i < n && ncp < MAX_CPS;) {
        uint32_t cp;
        size_t l = fn_utf8_decode(s + i, n - i, &cp);
        if (!l)
            return FN_INVALID;
        if (cp >= 0x80 && !in_block(cp) && cp != 0x200C && cp != 0x200D)
            return FN_UNSUPPORTED;
        cps[ncp++] = cp;
        i += l;
    }
    int persian = persian_letters(cps, ncp);
    uint32_t word[MAX_CPS];
    char mark[MAX_CPS];
    size_t m = 0;
    fn_status rc = FN_OK;
    for (size_t i = 0; i <= ncp && !rc; i++) {
        uint32_t c = i < ncp ? cps[i] : ' ';
        int letter = (c >= 0x80 && !(c >= 0x060C && c <= 0x061F) && !(c >= 0x066A && c <= 0x066D) &&
                      c != 0x06D4) ||
                     (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (letter && is_mark(c)) {
            /* a vowel mark gives its vowel after the letter it sits on */
            if (m && (c == 0x064E || c == 0x0670))
                mark[m - 1] = 'a';
            else if (m && c == 0x0650)
                mark[m - 1] = 'i';
            else if (m && c == 0x064F)
                mark[m - 1] = 'u';
            continue;
        }
        if (letter) {
            word[m] = c;
            mark[m++] = '\0';
            continue;
        }
        if (m)
            rc = romanize_word(word, mark, m, persian, out);
        m = 0;
        if (!rc && i < ncp)
            rc = fn_buf_append(out, c == '-' ? "-" : " ", 1);
    }
    return rc;
}
