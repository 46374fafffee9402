/* escape.c – JSON and HTML escaping over UTF-8 (see escape.h). */
#include "core/escape.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

fn_status fn_utf8_sanitize(struct fn_buf *b, const char *s, size_t len, size_t *replaced)
{
    size_t bad = 0, run = 0, i = 0;
    fn_status rc = FN_OK;
    while (!rc && i < len) {
        size_t n = fn_utf8_next(s + i, len - i);
        if (n) {
            i += n;
            continue;
        }
        rc = fn_buf_append(b, s + run, i - run);
        if (!rc)
            rc = fn_buf_append(b, replacement, 3);
        bad++;
        run = ++i;
    }
    if (!rc)
        rc = fn_buf_append(b, s + run, len - run);
    if (replaced)
        *replaced = bad;
    return rc;
}

/* 1 for printable ASCII but the quote and the backslash: most bytes of a
 * record, copied without the UTF-8 decoder. A table: one load and test per
 * byte where the range checks took ten instructions. */
static const unsigned char json_plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

size_t fn_json_plain_prefix(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    while (json_plain[u[n]])
        n++;
    return n;
}

fn_status fn_json_escape(struct fn_buf *b, const char *s, size_t len)
{
    fn_status rc = FN_OK;
    size_t run = 0, i = 0;
    while (!rc && i < len) {
        unsigned char c = (unsigned char)s[i];
        if (json_plain[c]) {
            i++;
            continue;
        }
        size_t n = fn_utf8_next(s + i, len - i);
        uint32_t cp = 0;
        if (n > 1)
            fn_utf8_decode(s + i, len - i, &cp);
        int plain = n > 0 && c >= 0x20 && c != '"' && c != '\\' && c != 0x7F && cp != 0x2028 &&
                    cp != 0x2029;
        if (plain) {
            i += n;
            continue;
        }
        rc = fn_buf_append(b, s + run, i - run);
        if (rc)
            break;
        char esc[8];
        if (n == 0) {
            rc = fn_buf_append(b, replacement, 3);
            n = 1;
        } else if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            rc = fn_buf_append(b, esc, 2);
        } else if (c == '\n' || c == '\t' || c == '\r' || c == '\b' || c == '\f') {
            esc[0] = '\\';
            esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : c == '\r' ? 'r' : c == '\b' ? 'b' : 'f';
            rc = fn_buf_append(b, esc, 2);
        } else {
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)(n > 1 ? cp : c));
            rc = fn_buf_append(b, esc, 6);
        }
        i += n;
        run = i;
    }
    if (!rc)
        rc = fn_buf_append(b, s + run, len - run);
    return rc;
}

fn_status fn_json_string(struct fn_buf *b, const char *s)
{
    const char *t = s ? s : "";
    fn_status rc = fn_buf_append_char(b, '"');
    if (!rc)
        rc = fn_json_escape(b, t, strlen(t));
    if (!rc)
        rc = fn_buf_append_char(b, '"');
    return rc;
}

fn_status fn_html_escape(struct fn_buf *b, const char *s, size_t len)
{
    fn_status rc = FN_OK;
    size_t run = 0, i = 0;
    while (!rc && i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t n = fn_utf8_next(s + i, len - i);
        const char *entity = c == '&'    ? "&amp;"
                             : c == '<'  ? "&lt;"
                             : c == '>'  ? "&gt;"
                             : c == '"'  ? "&quot;"
                             : c == '\'' ? "&#39;"
                                         : NULL;
        int control = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
        if (n > 0 && !entity && !control) {
            i += n;
            continue;
        }
        rc = fn_buf_append(b, s + run, i - run);
        if (!rc)
            rc = entity ? fn_buf_append_str(b, entity) : fn_buf_append(b, replacement, 3);
        i += n ? n : 1;
        run = i;
    }
    if (!rc)
        rc = fn_buf_append(b, s + run, len - run);
    return rc;
}
