/*
 * translit.c – names in any script to lower-case ASCII (see translit.h).
 *
 * Latin text (the large majority of register names) goes through a table;
 * only other scripts reach ICU, whose transliterator is opened once per
 * process and cloned per thread.
 */
#include "link/translit.h"

#include <pthread.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "core/alloc.h"
#include "core/utf8.h"

#define NAME_MAX_UNITS 512 /* UTF-16 units per name; longer names are cut */

struct link_translit {
    UTransliterator *icu; /* per-thread clone; NULL until a non-Latin name arrives */
};

static pthread_mutex_t template_mu = PTHREAD_MUTEX_INITIALIZER;
static UTransliterator *template_icu; /* opened once, only cloned afterwards */
static int template_failed;

/* The chain from stack.md § 1b: BGN for Russian and Arabic first (Щ→Shch),
 * then anything else, then ASCII, then drop what is left. */
static const char chain[] = "Russian-Latin/BGN; Arabic-Latin/BGN; Any-Latin; Latin-ASCII; "
                            "[^\\u0000-\\u007F] Remove";

fn_status link_translit_new(struct link_translit **out)
{
    *out = fn_calloc(1, sizeof **out);
    return *out ? FN_OK : FN_NOMEM;
}

void link_translit_free(struct link_translit *t)
{
    if (!t)
        return;
    if (t->icu)
        utrans_close(t->icu);
    fn_free(t);
}

/* Clones the process-wide transliterator for this handle. */
static fn_status icu_ready(struct link_translit *t)
{
    if (t->icu)
        return FN_OK;
    UErrorCode err = U_ZERO_ERROR;
    pthread_mutex_lock(&template_mu);
    if (!template_icu && !template_failed) {
        UChar id[256];
        u_uastrcpy(id, chain);
        template_icu = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
        if (U_FAILURE(err)) {
            template_icu = NULL;
            template_failed = 1;
        }
    }
    if (template_icu) {
        err = U_ZERO_ERROR;
        t->icu = utrans_clone(template_icu, &err);
        if (U_FAILURE(err))
            t->icu = NULL;
    }
    pthread_mutex_unlock(&template_mu);
    if (!t->icu)
        return template_failed ? FN_UNSUPPORTED : FN_NOMEM;
    return FN_OK;
}

/* Folds a Latin code point into out (lower-case ASCII, maybe ""); returns 0
 * when the code point is not Latin, so ICU must handle the name. Pure. */
static int latin_fold(uint32_t cp, char out[4])
{
    static const char *const latin1[64] = {/* U+00C0 */ "a",
                                           "a",
                                           "a",
                                           "a",
                                           "a",
                                           "a",
                                           "ae",
                                           "c",
                                           "e",
                                           "e",
                                           "e",
                                           "e",
                                           "i",
                                           "i",
                                           "i",
                                           "i",
                                           "d",
                                           "n",
                                           "o",
                                           "o",
                                           "o",
                                           "o",
                                           "o",
                                           "",
                                           "o",
                                           "u",
                                           "u",
                                           "u",
                                           "u",
                                           "y",
                                           "th",
                                           "ss",
                                           /* U+00E0 */ "a",
                                           "a",
                                           "a",
                                           "a",
                                           "a",
                                           "a",
                                           "ae",
                                           "c",
                                           "e",
                                           "e",
                                           "e",
                                           "e",
                                           "i",
                                           "i",
                                           "i",
                                           "i",
                                           "d",
                                           "n",
                                           "o",
                                           "o",
                                           "o",
                                           "o",
                                           "o",
                                           "",
                                           "o",
                                           "u",
                                           "u",
                                           "u",
                                           "u",
                                           "y",
                                           "th",
                                           "y"};
    /* U+0100..U+017F folded to one ASCII letter each (from the Unicode
     * decompositions; Đ Ħ ı Ł ŋ Ŧ ſ and friends by hand). */
    static const char ext_a[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllllll"
                                "lnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
    const char *f = NULL;
    out[0] = out[1] = '\0';
    if (cp < 0x80) {
        out[0] = (char)(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp);
        return 1;
    }
    if (cp >= 0xC0 && cp <= 0xFF) {
        f = latin1[cp - 0xC0];
    } else if (cp == 0x132 || cp == 0x133) {
        f = "ij";
    } else if (cp == 0x152 || cp == 0x153) {
        f = "oe";
    } else if (cp >= 0x100 && cp <= 0x17F) {
        out[0] = ext_a[cp - 0x100];
        return 1;
    } else {
        switch (cp) {
        case 0x0218:
        case 0x0219:
            f = "s";
            break; /* Ș ș */
        case 0x021A:
        case 0x021B:
            f = "t";
            break; /* Ț ț */
        case 0x01CD:
        case 0x01CE:
            f = "a";
            break;
        case 0x01E6:
        case 0x01E7:
            f = "g";
            break;
        case 0x02BF:
        case 0x02BE:
        case 0x02BC:
        case 0x2019:
        case 0x2018:
        case 0x00B4:
            f = "";
            break; /* ayn, hamza, apostrophes */
        case 0x00A0:
            f = " ";
            break;
        case 0x2010:
        case 0x2011:
        case 0x2012:
        case 0x2013:
        case 0x2014:
            f = "-";
            break;
        default:
            return 0;
        }
    }
    memcpy(out, f, strlen(f) + 1);
    return 1;
}

/* Appends the lower-cased ASCII of an ICU result (UTF-16). */
static fn_status append_ascii_units(const UChar *u, int32_t n, struct fn_buf *out)
{
    for (int32_t i = 0; i < n; i++) {
        UChar c = u[i];
        if (c >= 0x80)
            continue;
        char ch = (char)c;
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        fn_status rc = fn_buf_append_char(out, ch);
        if (rc)
            return rc;
    }
    return FN_OK;
}

fn_status link_translit_ascii(struct link_translit *t, const char *s, size_t len,
                              struct fn_buf *out)
{
    if (!fn_utf8_valid(s, len, NULL))
        return FN_INVALID;
    /* Fast path: every code point Latin or punctuation we know. */
    size_t start_len = out->len;
    int needs_icu = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t n = fn_utf8_decode(s + i, len - i, &cp);
        if (!n)
            return FN_INVALID;
        i += n;
        char folded[4];
        if (!latin_fold(cp, folded)) {
            needs_icu = 1;
            break;
        }
        fn_status rc = fn_buf_append_str(out, folded);
        if (rc)
            return rc;
    }
    if (!needs_icu)
        return FN_OK;
    /* Other scripts: ICU on the whole name (it needs context, e.g. Cyrillic). */
    out->len = start_len;
    if (out->data)
        out->data[start_len] = '\0';
    fn_status rc = icu_ready(t);
    if (rc)
        return rc;
    UChar buf[NAME_MAX_UNITS];
    int32_t ulen = 0;
    UErrorCode err = U_ZERO_ERROR;
    u_strFromUTF8(buf, NAME_MAX_UNITS / 2, &ulen, s, (int32_t)(len > 4096 ? 4096 : len), &err);
    if (err == U_BUFFER_OVERFLOW_ERROR || err == U_STRING_NOT_TERMINATED_WARNING) {
        err = U_ZERO_ERROR;
        ulen = NAME_MAX_UNITS / 2; /* cut very long names */
    } else if (U_FAILURE(err)) {
        return FN_INVALID;
    }
    int32_t limit = ulen;
    utrans_transUChars(t->icu, buf, &ulen, NAME_MAX_UNITS, 0, &limit, &err);
    if (U_FAILURE(err))
        return FN_INVALID;
    return append_ascii_units(buf, ulen, out);
}

fn_status link_translit_fold(struct link_translit *t, const char *s, size_t len, struct fn_buf *out)
{
    (void)t;
    if (!fn_utf8_valid(s, len, NULL))
        return FN_INVALID;
    const char *p = s;
    size_t n = len;
    fn_utf8_trim(&p, &n);
    /* ASCII fast path: NFKC leaves ASCII unchanged and its case fold is
     * plain lower-casing, so most names need no ICU call at all. */
    size_t k = 0;
    while (k < n && !((unsigned char)p[k] & 0x80))
        k++;
    if (k == n) {
        int blank = 0;
        for (size_t i = 0; i < n && i < 1024; i++) {
            char c = p[i];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                blank = 1;
                continue;
            }
            fn_status rc = FN_OK;
            if (blank && out->len)
                rc = fn_buf_append_char(out, ' ');
            blank = 0;
            if (!rc)
                rc = fn_buf_append_char(out, (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c);
            if (rc)
                return rc;
        }
        return FN_OK;
    }
    UChar src[NAME_MAX_UNITS], folded[NAME_MAX_UNITS];
    int32_t ulen = 0;
    UErrorCode err = U_ZERO_ERROR;
    u_strFromUTF8(src, NAME_MAX_UNITS, &ulen, p, (int32_t)(n > 1024 ? 1024 : n), &err);
    if (U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING)
        return FN_TOO_LARGE;
    err = U_ZERO_ERROR;
    /* NFKC_Casefold does NFKC and full case folding in one pass, so
     * compatibility forms (fullwidth letters, ligatures, Arabic
     * presentation forms) meet their plain letters. */
    const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&err);
    if (U_FAILURE(err))
        return FN_INVALID;
    int32_t flen = unorm2_normalize(nfkc_cf, src, ulen, folded, NAME_MAX_UNITS, &err);
    if (U_FAILURE(err))
        return FN_TOO_LARGE;
    char utf8[NAME_MAX_UNITS * 3];
    int32_t blen = 0;
    err = U_ZERO_ERROR;
    u_strToUTF8(utf8, (int32_t)sizeof utf8, &blen, folded, flen, &err);
    if (U_FAILURE(err))
        return FN_TOO_LARGE;
    /* collapse inner white space */
    int space = 0;
    for (int32_t i = 0; i < blen; i++) {
        char c = utf8[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = 1;
            continue;
        }
        fn_status rc = FN_OK;
        if (space && out->len)
            rc = fn_buf_append_char(out, ' ');
        space = 0;
        if (!rc)
            rc = fn_buf_append_char(out, c);
        if (rc)
            return rc;
    }
    return FN_OK;
}
