/*
 * jsonw.h – a small streaming JSON writer into a bounded buffer.
 *
 * For the hot response (a person's file) building a jansson object tree
 * cost an allocation per field and a quarter of the server's CPU; this
 * writes the same document straight into one fn_buf. UTF-8 passes through;
 * quotes, backslashes and control characters are escaped.
 */
#ifndef FN_HTTP_JSONW_H
#define FN_HTTP_JSONW_H

#include <stdint.h>

#include "core/buf.h"
#include "core/pdate.h"

struct jsonw {
    struct fn_buf *out;
    int need_comma; /* a value was written at the current nesting level */
    fn_status rc;   /* first error; later calls do nothing */
};

void jsonw_init(struct jsonw *w, struct fn_buf *out);
void jsonw_object_begin(struct jsonw *w, const char *key); /* key NULL inside arrays/top */
void jsonw_object_end(struct jsonw *w);
void jsonw_array_begin(struct jsonw *w, const char *key);
void jsonw_array_end(struct jsonw *w);
/* String or null when v is NULL or empty. */
void jsonw_str(struct jsonw *w, const char *key, const char *v);
void jsonw_int(struct jsonw *w, const char *key, int64_t v);
/* Integer, or null for 0 (unset foreign keys). */
void jsonw_id(struct jsonw *w, const char *key, int64_t v);
void jsonw_bool(struct jsonw *w, const char *key, int v);
/* Partial date in XJustiz form, or null when unknown. */
void jsonw_date(struct jsonw *w, const char *key, const struct fn_pdate *d);
/* "key": code and "key_label": label. */
void jsonw_enum(struct jsonw *w, const char *key, const char *code, const char *label);

#endif
