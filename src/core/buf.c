/* buf.c – bounded growable byte buffer. */
#include "core/buf.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"

void fn_buf_init(struct fn_buf *b, size_t max)
{
    assert(b);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void fn_buf_free(struct fn_buf *b)
{
    if (!b)
        return;
    fn_free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void fn_buf_reset(struct fn_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

fn_status fn_buf_reserve(struct fn_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return FN_TOO_LARGE;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return FN_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
    if (cap > b->max + 1)
        cap = b->max + 1;
    char *data = fn_realloc(b->data, cap);
    if (!data)
        return FN_NOMEM;
    b->data = data;
    b->cap = cap;
    return FN_OK;
}

fn_status fn_buf_append(struct fn_buf *b, const void *data, size_t len)
{
    fn_status rc = fn_buf_reserve(b, len);
    if (rc)
        return rc;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return FN_OK;
}

fn_status fn_buf_append_str(struct fn_buf *b, const char *s)
{
    return fn_buf_append(b, s, strlen(s));
}

fn_status fn_buf_append_char(struct fn_buf *b, char c)
{
    return fn_buf_append(b, &c, 1);
}

fn_status fn_buf_vappendf(struct fn_buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return FN_INVALID;
    fn_status rc = fn_buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return FN_OK;
}

fn_status fn_buf_appendf(struct fn_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fn_status rc = fn_buf_vappendf(b, fmt, ap);
    va_end(ap);
    return rc;
}

size_t fn_format_i64(int64_t v, char out[FN_I64_CHARS])
{
    char rev[FN_I64_CHARS];
    size_t n = 0;
    uint64_t u = v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
    do {
        rev[n++] = (char)('0' + u % 10u);
        u /= 10u;
    } while (u);
    size_t len = 0;
    if (v < 0)
        out[len++] = '-';
    while (n)
        out[len++] = rev[--n];
    out[len] = '\0';
    return len;
}

char *fn_format_digits(char *out, unsigned v, unsigned width)
{
    for (unsigned i = width; i > 0; i--) {
        out[i - 1] = (char)('0' + v % 10u);
        v /= 10u;
    }
    return out + width;
}

const char *fn_buf_str(const struct fn_buf *b)
{
    return b->data ? b->data : "";
}

fn_status fn_buf_take(struct fn_buf *b, char **out)
{
    if (!b->data) {
        fn_status rc = fn_buf_reserve(b, 0);
        if (rc)
            return rc;
        b->data[0] = '\0';
    }
    *out = b->data;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return FN_OK;
}
