/* jsonw.c – streaming JSON writer (see jsonw.h). */
#include "http/jsonw.h"

#include "core/escape.h"

#include <stdio.h>
#include <string.h>

void jsonw_init(struct jsonw *w, struct fn_buf *out)
{
    w->out = out;
    w->need_comma = 0;
    w->rc = FN_OK;
}

static void put(struct jsonw *w, const char *s, size_t n)
{
    if (!w->rc)
        w->rc = fn_buf_append(w->out, s, n);
}

/* A quoted JSON string through the core escaper (malformed UTF-8 becomes
 * U+FFFD, so one bad value cannot break the document). */
static void put_escaped(struct jsonw *w, const char *s)
{
    put(w, "\"", 1);
    if (!w->rc)
        w->rc = fn_json_escape(w->out, s, strlen(s));
    put(w, "\"", 1);
}

/* Comma and key before a value. */
static void prefix(struct jsonw *w, const char *key)
{
    if (w->need_comma)
        put(w, ",", 1);
    w->need_comma = 1;
    if (key) {
        put_escaped(w, key);
        put(w, ":", 1);
    }
}

void jsonw_object_begin(struct jsonw *w, const char *key)
{
    prefix(w, key);
    put(w, "{", 1);
    w->need_comma = 0;
}

void jsonw_object_end(struct jsonw *w)
{
    put(w, "}", 1);
    w->need_comma = 1;
}

void jsonw_array_begin(struct jsonw *w, const char *key)
{
    prefix(w, key);
    put(w, "[", 1);
    w->need_comma = 0;
}

void jsonw_array_end(struct jsonw *w)
{
    put(w, "]", 1);
    w->need_comma = 1;
}

void jsonw_str(struct jsonw *w, const char *key, const char *v)
{
    prefix(w, key);
    if (v && v[0])
        put_escaped(w, v);
    else
        put(w, "null", 4);
}

void jsonw_int(struct jsonw *w, const char *key, int64_t v)
{
    char num[24];
    int n = snprintf(num, sizeof num, "%lld", (long long)v);
    prefix(w, key);
    put(w, num, (size_t)n);
}

void jsonw_id(struct jsonw *w, const char *key, int64_t v)
{
    if (v) {
        jsonw_int(w, key, v);
        return;
    }
    prefix(w, key);
    put(w, "null", 4);
}

void jsonw_bool(struct jsonw *w, const char *key, int v)
{
    prefix(w, key);
    if (v)
        put(w, "true", 4);
    else
        put(w, "false", 5);
}

void jsonw_date(struct jsonw *w, const char *key, const struct fn_pdate *d)
{
    char buf[11];
    fn_pdate_format_xjustiz(d, buf);
    jsonw_str(w, key, buf);
}

void jsonw_enum(struct jsonw *w, const char *key, const char *code, const char *label)
{
    char lkey[64];
    snprintf(lkey, sizeof lkey, "%s_label", key);
    jsonw_str(w, key, code);
    jsonw_str(w, lkey, label);
}
