/* jsonw.c – streaming JSON writer (see jsonw.h). */
#include "http/jsonw.h"

#include "core/escape.h"

#include <string.h>

void jsonw_init(struct jsonw *w, struct fn_buf *out)
{
    w->out = out;
    w->need_comma = 0;
    w->rc = FN_OK;
}

/* Appends n bytes. When they fit the room already allocated they are
 * copied in place (fn_buf keeps cap <= max + 1, so that room is within the
 * cap); otherwise fn_buf_append grows the buffer or fails. */
static void put(struct jsonw *w, const char *s, size_t n)
{
    struct fn_buf *b = w->out;
    if (w->rc)
        return;
    if (b->data && n < b->cap - b->len) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
        return;
    }
    w->rc = fn_buf_append(b, s, n);
}

/* A quoted JSON string through the core escaper (malformed UTF-8 becomes
 * U+FFFD, so one bad value cannot break the document); a string that needs
 * no escaping (most keys and values) is copied in one piece. */
static void put_escaped(struct jsonw *w, const char *s)
{
    size_t plain = fn_json_plain_prefix(s);
    put(w, "\"", 1);
    if (!s[plain])
        put(w, s, plain);
    else if (!w->rc)
        w->rc = fn_json_escape(w->out, s, plain + strlen(s + plain));
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
    char num[FN_I64_CHARS];
    size_t n = fn_format_i64(v, num);
    prefix(w, key);
    put(w, num, n);
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
    /* key + "_label", cut to 63 bytes as snprintf into 64 bytes would */
    static const char suffix[] = "_label";
    char lkey[64];
    size_t n = strlen(key);
    if (n > sizeof lkey - 1)
        n = sizeof lkey - 1;
    size_t m = sizeof lkey - 1 - n < sizeof suffix - 1 ? sizeof lkey - 1 - n : sizeof suffix - 1;
    memcpy(lkey, key, n);
    memcpy(lkey + n, suffix, m);
    lkey[n + m] = '\0';
    jsonw_str(w, key, code);
    jsonw_str(w, lkey, label);
}
