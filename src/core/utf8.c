/* utf8.c – UTF-8 validation, decoding, trimming and cutting. */
#include "core/utf8.h"

#include <string.h>

size_t fn_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t need;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return need;
}

int fn_utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = fn_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            if (bad_offset)
                *bad_offset = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

size_t fn_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp <= 0x10FFFF) {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

size_t fn_utf8_length(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static int is_space_ascii(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

void fn_utf8_trim(const char **start, size_t *len)
{
    const char *s = *start;
    size_t n = *len;
    for (;;) {
        if (n && is_space_ascii((unsigned char)s[0])) {
            s++;
            n--;
        } else if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) {
            s += 2;
            n -= 2;
        } else {
            break;
        }
    }
    for (;;) {
        if (n && is_space_ascii((unsigned char)s[n - 1])) {
            n--;
        } else if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0) {
            n -= 2;
        } else {
            break;
        }
    }
    *start = s;
    *len = n;
}

int fn_utf8_is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

/* Code points that attach to the character before them: cutting before one
 * would change how the kept text reads (a base letter losing its accent,
 * an emoji losing its modifier). The common blocks; not all of Unicode's
 * Grapheme_Extend. */
static int attaches_to_previous(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) ||   /* combining diacritical marks */
           (cp >= 0x0483 && cp <= 0x0489) ||   /* Cyrillic combining marks */
           (cp >= 0x0591 && cp <= 0x05BD) ||   /* Hebrew points */
           (cp >= 0x0610 && cp <= 0x061A) ||   /* Arabic marks */
           (cp >= 0x064B && cp <= 0x065F) ||   /* Arabic harakat */
           cp == 0x0670 ||                     /* Arabic superscript alef */
           (cp >= 0x06D6 && cp <= 0x06ED) ||   /* Arabic Quranic marks */
           (cp >= 0x1AB0 && cp <= 0x1AFF) ||   /* combining marks extended */
           (cp >= 0x1DC0 && cp <= 0x1DFF) ||   /* combining marks supplement */
           cp == 0x200C || cp == 0x200D ||     /* zero-width (non-)joiner */
           (cp >= 0x20D0 && cp <= 0x20FF) ||   /* combining marks for symbols */
           (cp >= 0xFE00 && cp <= 0xFE0F) ||   /* variation selectors */
           (cp >= 0xFE20 && cp <= 0xFE2F) ||   /* combining half marks */
           (cp >= 0x1F3FB && cp <= 0x1F3FF) || /* emoji skin tone modifiers */
           (cp >= 0xE0100 && cp <= 0xE01EF);   /* variation selectors supplement */
}

static int is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* The start of the code point that ends just before s[at] (at > 0), or at -
 * 1 when the bytes before are not a well-formed sequence. */
static size_t previous_start(const char *s, size_t at)
{
    size_t j = at - 1;
    for (int k = 0; k < 3 && j > 0 && is_continuation((unsigned char)s[j]); k++)
        j--;
    uint32_t cp;
    return fn_utf8_decode(s + j, at - j, &cp) == at - j ? j : at - 1;
}

size_t fn_utf8_truncate(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    /* s[max] exists: back up to the start of the code point it belongs to
     * (at most 3 continuation bytes; more means invalid input). */
    size_t cut = max;
    for (int k = 0; k < 3 && cut > 0 && is_continuation((unsigned char)s[cut]); k++)
        cut--;
    if (is_continuation((unsigned char)s[cut]))
        cut = max; /* no lead byte in reach: not UTF-8, cut between bytes */
    /* Keep a base character together with the marks that follow it. */
    size_t cluster = cut;
    for (int k = 0; k < 32 && cluster > 0; k++) {
        uint32_t cp;
        if (fn_utf8_decode(s + cluster, len - cluster, &cp) == 0 || !attaches_to_previous(cp))
            return cluster;
        cluster = previous_start(s, cluster);
    }
    return cut; /* a run of marks with no base in reach: cut between code points */
}

int fn_utf8_copy(char *dst, size_t size, const char *src)
{
    const char *s = src ? src : "";
    size_t len = strlen(s);
    size_t n = fn_utf8_truncate(s, len, size - 1);
    memcpy(dst, s, n);
    dst[n] = '\0';
    return n < len;
}

void fn_utf8_trim_partial(char *s)
{
    size_t len = strlen(s);
    if (len == 0)
        return;
    size_t start = len - 1;
    for (int k = 0; k < 3 && start > 0 && is_continuation((unsigned char)s[start]); k++)
        start--;
    unsigned char lead = (unsigned char)s[start];
    if (lead < 0x80)
        return;
    uint32_t cp;
    /* An incomplete (not malformed-in-the-middle) last sequence is dropped. */
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    if (need && len - start < need && fn_utf8_decode(s + start, len - start, &cp) == 0)
        s[start] = '\0';
}

size_t fn_utf8_next(const char *s, size_t len)
{
    if ((unsigned char)s[0] < 0x80)
        return 1;
    uint32_t cp;
    return fn_utf8_decode(s, len, &cp);
}
