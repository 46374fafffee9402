/*
 * phonetic.c – Kölner Phonetik (Postel 1969) and Double Metaphone
 * (Philips 2000), both written from the published
 * rule table: letters map to digits by their neighbours, repeated digits
 * collapse, zeros after the first position are dropped.
 */
#include "link/phonetic.h"

#include <string.h>

static int is_letter(char c)
{
    return c >= 'a' && c <= 'z';
}

/* Digit(s) for s[i] given its neighbours; "" for h (and non-letters). */
static const char *koeln_code(const char *s, size_t i, size_t n)
{
    char c = s[i];
    char prev = i > 0 ? s[i - 1] : '\0';
    char next = i + 1 < n ? s[i + 1] : '\0';
    int first = i == 0 || !is_letter(prev);
    switch (c) {
    case 'a':
    case 'e':
    case 'i':
    case 'j':
    case 'o':
    case 'u':
    case 'y':
        return "0";
    case 'h':
        return "";
    case 'b':
        return "1";
    case 'p':
        return next == 'h' ? "3" : "1";
    case 'd':
    case 't':
        return (next == 'c' || next == 's' || next == 'z') ? "8" : "2";
    case 'f':
    case 'v':
    case 'w':
        return "3";
    case 'g':
    case 'k':
    case 'q':
        return "4";
    case 'c':
        if (first)
            return strchr("ahkloqrux", next) && next ? "4" : "8";
        if (prev == 's' || prev == 'z')
            return "8";
        return strchr("ahkoqux", next) && next ? "4" : "8";
    case 'x':
        return (prev == 'c' || prev == 'k' || prev == 'q') ? "8" : "48";
    case 'l':
        return "5";
    case 'm':
    case 'n':
        return "6";
    case 'r':
        return "7";
    case 's':
    case 'z':
        return "8";
    default:
        return "";
    }
}

void link_koelner_phonetik(const char *s, char *out, size_t size)
{
    if (!size)
        return;
    size_t n = strlen(s), w = 0;
    char last = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!is_letter(s[i])) {
            last = '\0'; /* words are coded on their own */
            continue;
        }
        for (const char *d = koeln_code(s, i, n); *d; d++) {
            if (*d == last)
                continue;
            last = *d;
            /* '0' only at the start of the code */
            if (*d == '0' && w > 0)
                continue;
            if (w + 1 < size)
                out[w++] = *d;
        }
    }
    out[w] = '\0';
}

/* ---- Double Metaphone (Philips 2000), written from the published rules ----
 * The word is upper-cased into a padded buffer; at() returns '\0' outside
 * it, so every look-ahead and look-behind is bounds-safe. Codes stop at
 * LINK_DM_CODE_LEN characters each. */

#define DM_WORD_MAX 64

struct dm {
    char w[DM_WORD_MAX + 8]; /* the word, then blanks: look-ahead sees a word end */
    int n, padded;
    char pri[LINK_DM_CODE_LEN + 1], alt[LINK_DM_CODE_LEN + 1];
    int np, na;
};

static char at(const struct dm *d, int i)
{
    return i >= 0 && i < d->padded ? d->w[i] : '\0';
}

/* 1 when one of the NULL-terminated options occurs at pos. */
static int str_at_list(const struct dm *d, int pos, const char *const *opts)
{
    if (pos < 0)
        return 0;
    for (; *opts; opts++) {
        int len = (int)strlen(*opts);
        if (pos + len <= d->padded && memcmp(d->w + pos, *opts, (size_t)len) == 0)
            return 1;
    }
    return 0;
}
#define AT(d, pos, ...) str_at_list((d), (pos), (const char *const[]){__VA_ARGS__, NULL})

static int is_vowel_at(const struct dm *d, int i)
{
    char c = at(d, i);
    return c && strchr("AEIOUY", c) != NULL;
}

static void add2(struct dm *d, const char *p, const char *a)
{
    for (; *p && d->np < LINK_DM_CODE_LEN; p++)
        d->pri[d->np++] = *p;
    for (; *a && d->na < LINK_DM_CODE_LEN; a++)
        d->alt[d->na++] = *a;
}

static void add(struct dm *d, const char *both)
{
    add2(d, both, both);
}

static int slavo_germanic(const struct dm *d)
{
    return strchr(d->w, 'W') || strchr(d->w, 'K') || strstr(d->w, "CZ") || strstr(d->w, "WITZ");
}

/* Germanic look of the whole word: "VAN ", "VON " or "SCH" at the start. */
static int germanic_start(const struct dm *d)
{
    return AT(d, 0, "VAN ", "VON ", "SCH");
}

/* C: the letter with the most contexts. Returns the step. */
static int dm_c(struct dm *d, int i)
{
    /* Germanic "-ACH-" as in "Bacher", "Macher" */
    if (i > 1 && !is_vowel_at(d, i - 2) && AT(d, i - 1, "ACH") && at(d, i + 2) != 'I' &&
        (at(d, i + 2) != 'E' || AT(d, i - 2, "BACHER", "MACHER"))) {
        add(d, "K");
        return 2;
    }
    if (i == 0 && AT(d, i, "CAESAR")) {
        add(d, "S");
        return 2;
    }
    if (AT(d, i, "CHIA")) { /* Italian "Chianti" */
        add(d, "K");
        return 2;
    }
    if (AT(d, i, "CH")) {
        if (i > 0 && AT(d, i, "CHAE")) { /* "Michael" */
            add2(d, "K", "X");
            return 2;
        }
        /* Greek roots at the start: "Charisma", "Chorus", "Chemie" */
        if (i == 0 &&
            (AT(d, i + 1, "HARAC", "HARIS") || AT(d, i + 1, "HOR", "HYM", "HIA", "HEM")) &&
            !AT(d, 0, "CHORE")) {
            add(d, "K");
            return 2;
        }
        /* Germanic, "Orchestra", "Architect", "Orchid", before t/s or a consonant */
        if (germanic_start(d) || AT(d, i - 2, "ORCHES", "ARCHIT", "ORCHID") ||
            AT(d, i + 2, "T", "S") ||
            ((AT(d, i - 1, "A", "O", "U", "E") || i == 0) &&
             AT(d, i + 2, "L", "R", "N", "M", "B", "H", "F", "V", "W", " "))) {
            add(d, "K");
        } else if (i > 0) {
            if (AT(d, 0, "MC")) /* "McHugh" */
                add(d, "K");
            else
                add2(d, "X", "K");
        } else {
            add(d, "X");
        }
        return 2;
    }
    if (AT(d, i, "CZ") && !AT(d, i - 2, "WICZ")) { /* "Czerny" */
        add2(d, "S", "X");
        return 2;
    }
    if (AT(d, i + 1, "CIA")) { /* "Focaccia" */
        add(d, "X");
        return 3;
    }
    if (AT(d, i, "CC") && !(i == 1 && at(d, 0) == 'M')) { /* not "McClellan" */
        if (AT(d, i + 2, "I", "E", "H") && !AT(d, i + 2, "HU")) {
            if ((i == 1 && at(d, i - 1) == 'A') || AT(d, i - 1, "UCCEE", "UCCES"))
                add(d, "KS"); /* "Accident", "Success" */
            else
                add(d, "X"); /* "Bacci", "Bertucci" */
            return 3;
        }
        add(d, "K"); /* Pierce's rule */
        return 2;
    }
    if (AT(d, i, "CK", "CG", "CQ")) {
        add(d, "K");
        return 2;
    }
    if (AT(d, i, "CI", "CE", "CY")) {
        if (AT(d, i, "CIO", "CIE", "CIA")) /* Italian */
            add2(d, "S", "X");
        else
            add(d, "S");
        return 2;
    }
    add(d, "K");
    if (AT(d, i + 1, " C", " Q", " G")) /* "Mac Caffrey" */
        return 3;
    if (AT(d, i + 1, "C", "K", "Q") && !AT(d, i + 1, "CE", "CI"))
        return 2;
    return 1;
}

static int dm_g(struct dm *d, int i, int slavo)
{
    char next = at(d, i + 1);
    if (next == 'H') {
        if (i > 0 && !is_vowel_at(d, i - 1)) {
            add(d, "K");
            return 2;
        }
        if (i == 0) { /* "Ghislane", "Ghiradelli" */
            add(d, at(d, i + 2) == 'I' ? "J" : "K");
            return 2;
        }
        /* Parker's rule: silent in "Hugh", "bough", "broughton" */
        if ((i > 1 && AT(d, i - 2, "B", "H", "D")) || (i > 2 && AT(d, i - 3, "B", "H", "D")) ||
            (i > 3 && AT(d, i - 4, "B", "H")))
            return 2;
        /* "laugh", "McLaughlin", "cough", "rough" */
        if (i > 2 && at(d, i - 1) == 'U' && AT(d, i - 3, "C", "G", "L", "R", "T"))
            add(d, "F");
        else if (i > 0 && at(d, i - 1) != 'I')
            add(d, "K");
        return 2;
    }
    if (next == 'N') {
        if (i == 1 && is_vowel_at(d, 0) && !slavo)
            add2(d, "KN", "N");
        else if (!AT(d, i + 2, "EY") && at(d, i + 1) != 'Y' && !slavo)
            add2(d, "N", "KN");
        else
            add(d, "KN");
        return 2;
    }
    if (AT(d, i + 1, "LI") && !slavo) { /* "Tagliaro" */
        add2(d, "KL", "L");
        return 2;
    }
    if (i == 0 && (next == 'Y' || AT(d, i + 1, "ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE",
                                     "EI", "ER"))) {
        add2(d, "K", "J");
        return 2;
    }
    /* "-ger-", "-gy-" */
    if ((AT(d, i + 1, "ER") || next == 'Y') && !AT(d, 0, "DANGER", "RANGER", "MANGER") &&
        !AT(d, i - 1, "E", "I") && !AT(d, i - 1, "RGY", "OGY")) {
        add2(d, "K", "J");
        return 2;
    }
    /* Italian "Biaggi" */
    if (AT(d, i + 1, "E", "I", "Y") || AT(d, i - 1, "AGGI", "OGGI")) {
        if (germanic_start(d) || AT(d, i + 1, "ET"))
            add(d, "K");
        else if (AT(d, i + 1, "IER "))
            add(d, "J");
        else
            add2(d, "J", "K");
        return 2;
    }
    add(d, "K");
    return next == 'G' ? 2 : 1;
}

static int dm_j(struct dm *d, int i, int slavo)
{
    if (AT(d, i, "JOSE") || AT(d, 0, "SAN ")) { /* Spanish "Jose", "San Jacinto" */
        if ((i == 0 && at(d, i + 4) == ' ') || AT(d, 0, "SAN "))
            add(d, "H");
        else
            add2(d, "J", "H");
        return 1;
    }
    if (i == 0 && !AT(d, i, "JOSE"))
        add2(d, "J", "A"); /* "Yankelovich" / "Jankelowicz" */
    else if (is_vowel_at(d, i - 1) && !slavo && (at(d, i + 1) == 'A' || at(d, i + 1) == 'O'))
        add2(d, "J", "H"); /* Spanish pronunciation of "bajador" */
    else if (i == d->n - 1)
        add2(d, "J", "");
    else if (!AT(d, i + 1, "L", "T", "K", "S", "N", "M", "B", "Z") && !AT(d, i - 1, "S", "K", "L"))
        add(d, "J");
    return at(d, i + 1) == 'J' ? 2 : 1;
}

static int dm_s(struct dm *d, int i, int slavo)
{
    if (AT(d, i - 1, "ISL", "YSL")) /* "Island", "Carlisle" */
        return 1;
    if (i == 0 && AT(d, i, "SUGAR")) {
        add2(d, "X", "S");
        return 1;
    }
    if (AT(d, i, "SH")) { /* Germanic "-sheim", "-sholm" */
        add(d, AT(d, i + 1, "HEIM", "HOEK", "HOLM", "HOLZ") ? "S" : "X");
        return 2;
    }
    if (AT(d, i, "SIO", "SIA")) { /* Italian and Armenian */
        if (!slavo)
            add2(d, "S", "X");
        else
            add(d, "S");
        return 3;
    }
    /* "Smith"/"Schmidt", "Snider"/"Schneider"; "-sz-" Polish */
    if ((i == 0 && AT(d, i + 1, "M", "N", "L", "W")) || AT(d, i + 1, "Z")) {
        add2(d, "S", "X");
        return AT(d, i + 1, "Z") ? 2 : 1;
    }
    if (AT(d, i, "SC")) {
        if (at(d, i + 2) == 'H') {
            if (AT(d, i + 3, "OO", "ER", "EN", "UY", "ED", "EM")) { /* Dutch "Schooner" */
                if (AT(d, i + 3, "ER", "EN"))
                    add2(d, "X", "SK"); /* "Schermerhorn", "Schenker" */
                else
                    add(d, "SK");
            } else if (i == 0 && !is_vowel_at(d, 3) && at(d, 3) != 'W') {
                add2(d, "X", "S"); /* "Schmidt" */
            } else {
                add(d, "X");
            }
            return 3;
        }
        if (AT(d, i + 2, "I", "E", "Y"))
            add(d, "S");
        else
            add(d, "SK");
        return 3;
    }
    if (i == d->n - 1 && AT(d, i - 2, "AI", "OI")) /* French "Resnais" */
        add2(d, "", "S");
    else
        add(d, "S");
    return AT(d, i + 1, "S", "Z") ? 2 : 1;
}

static void dm_encode(struct dm *d)
{
    int slavo = slavo_germanic(d);
    int i = 0;
    if (AT(d, 0, "GN", "KN", "PN", "WR", "PS")) /* silent first letter */
        i = 1;
    if (at(d, 0) == 'X') { /* "Xavier" */
        add(d, "S");
        i = 1;
    }
    while (i < d->n && (d->np < LINK_DM_CODE_LEN || d->na < LINK_DM_CODE_LEN)) {
        char c = d->w[i];
        int step = 1;
        switch (c) {
        case 'A':
        case 'E':
        case 'I':
        case 'O':
        case 'U':
        case 'Y':
            if (i == 0)
                add(d, "A"); /* vowels count only at the start */
            break;
        case 'B':
            add(d, "P");
            step = at(d, i + 1) == 'B' ? 2 : 1;
            break;
        case 'C':
            step = dm_c(d, i);
            break;
        case 'D':
            if (AT(d, i, "DG")) {
                if (AT(d, i + 2, "I", "E", "Y")) { /* "Edge" */
                    add(d, "J");
                    step = 3;
                } else { /* "Edgar" */
                    add(d, "TK");
                    step = 2;
                }
            } else {
                add(d, "T");
                step = AT(d, i, "DT", "DD") ? 2 : 1;
            }
            break;
        case 'F':
        case 'K':
        case 'N':
        case 'Q': {
            char code[2] = {c == 'Q' ? 'K' : c, '\0'};
            add(d, code);
            step = at(d, i + 1) == c ? 2 : 1;
            break;
        }
        case 'G':
            step = dm_g(d, i, slavo);
            break;
        case 'H': /* only between vowels or at the start before a vowel */
            if ((i == 0 || is_vowel_at(d, i - 1)) && is_vowel_at(d, i + 1)) {
                add(d, "H");
                step = 2;
            }
            break;
        case 'J':
            step = dm_j(d, i, slavo);
            break;
        case 'L':
            if (at(d, i + 1) == 'L') {
                /* Spanish "Cabrillo", "Gallegos" */
                if ((i == d->n - 3 && AT(d, i - 1, "ILLO", "ILLA", "ALLE")) ||
                    ((AT(d, d->n - 2, "AS", "OS") || AT(d, d->n - 1, "A", "O")) &&
                     AT(d, i - 1, "ALLE")))
                    add2(d, "L", "");
                else
                    add(d, "L");
                step = 2;
            } else {
                add(d, "L");
            }
            break;
        case 'M':
            add(d, "M");
            /* "Dumb", "Thumb", "Plumber" */
            if ((AT(d, i - 1, "UMB") && (i + 1 == d->n - 1 || AT(d, i + 2, "ER"))) ||
                at(d, i + 1) == 'M')
                step = 2;
            break;
        case 'P':
            if (at(d, i + 1) == 'H') {
                add(d, "F");
                step = 2;
            } else {
                add(d, "P"); /* "Campbell", "Raspberry" */
                step = AT(d, i + 1, "P", "B") ? 2 : 1;
            }
            break;
        case 'R':
            /* French "Rogier" */
            if (i == d->n - 1 && !slavo && AT(d, i - 2, "IE") && !AT(d, i - 4, "ME", "MA"))
                add2(d, "", "R");
            else
                add(d, "R");
            step = at(d, i + 1) == 'R' ? 2 : 1;
            break;
        case 'S':
            step = dm_s(d, i, slavo);
            break;
        case 'T':
            if (AT(d, i, "TION", "TIA", "TCH")) {
                add(d, "X");
                step = 3;
            } else if (AT(d, i, "TH", "TTH")) {
                /* "Thomas", "Thames", Germanic */
                if (AT(d, i + 2, "OM", "AM") || germanic_start(d))
                    add(d, "T");
                else
                    add2(d, "0", "T");
                step = 2;
            } else {
                add(d, "T");
                step = AT(d, i + 1, "T", "D") ? 2 : 1;
            }
            break;
        case 'V':
            add(d, "F");
            step = at(d, i + 1) == 'V' ? 2 : 1;
            break;
        case 'W':
            if (AT(d, i, "WR")) {
                add(d, "R");
                step = 2;
                break;
            }
            if (i == 0 && (is_vowel_at(d, i + 1) || AT(d, i, "WH"))) {
                if (is_vowel_at(d, i + 1))
                    add2(d, "A", "F"); /* "Wasserman" / "Vasserman" */
                else
                    add(d, "A");
            }
            /* Polish "Filipowicz", "Arnow" */
            if ((i == d->n - 1 && is_vowel_at(d, i - 1)) ||
                AT(d, i - 1, "EWSKI", "EWSKY", "OWSKI", "OWSKY") || AT(d, 0, "SCH")) {
                add2(d, "", "F");
            } else if (AT(d, i, "WICZ", "WITZ")) {
                add2(d, "TS", "FX");
                step = 4;
            }
            break;
        case 'X':
            /* French "Breaux" */
            if (!(i == d->n - 1 && (AT(d, i - 3, "IAU", "EAU") || AT(d, i - 2, "AU", "OU"))))
                add(d, "KS");
            step = AT(d, i + 1, "C", "X") ? 2 : 1;
            break;
        case 'Z':
            if (at(d, i + 1) == 'H') { /* Chinese "Zhao" */
                add(d, "J");
                step = 2;
            } else {
                if (AT(d, i + 1, "ZO", "ZI", "ZA") || (slavo && i > 0 && at(d, i - 1) != 'T'))
                    add2(d, "S", "TS");
                else
                    add(d, "S");
                step = at(d, i + 1) == 'Z' ? 2 : 1;
            }
            break;
        default: /* digits, blanks and anything else carry no sound */
            break;
        }
        i += step;
    }
    d->pri[d->np] = '\0';
    d->alt[d->na] = '\0';
}

void link_double_metaphone(const char *s, char primary[LINK_DM_CODE_LEN + 1],
                           char alternate[LINK_DM_CODE_LEN + 1])
{
    struct dm d;
    memset(&d, 0, sizeof d);
    for (size_t k = 0; s[k] && d.n < DM_WORD_MAX; k++) {
        char c = s[k];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        d.w[d.n++] = c;
    }
    d.padded = d.n + 5;
    memset(d.w + d.n, ' ', 5);
    d.w[d.padded] = '\0';
    dm_encode(&d);
    memcpy(primary, d.pri, (size_t)d.np + 1);
    memcpy(alternate, d.alt, (size_t)d.na + 1);
}
