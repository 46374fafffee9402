/*
 * assets.h – the web UI's static files (HTML, CSS, JavaScript), embedded in
 * the binary at build time from src/http/web by embed_assets.py, so fallnetz
 * serves its own UI with no external resources and no files to deploy.
 *
 * Contract: the table is constant and lives for the whole program; a found
 * asset's bytes are borrowed, never freed. Assets carry no personal data, so
 * they may be cached with revalidation (ETag); every other answer is no-store.
 */
#ifndef FN_HTTP_ASSETS_H
#define FN_HTTP_ASSETS_H

#include <stddef.h>

#include "core/status.h"

struct http_asset {
    const char *path;         /* request path, e.g. "/assets/app.js" */
    const char *content_type; /* with charset for text */
    const char *data;         /* len bytes (NUL-terminated, not counted) */
    size_t len;
    const char *etag; /* quoted strong validator: a hash of the content */
};

/* The generated table (http_assets_data.c). */
extern const struct http_asset http_assets[];
extern const size_t http_assets_count;

/* Finds the asset served at path ("/" is the page itself). FN_NOTFOUND when
 * path is no asset. *out borrows from the static table. */
FN_MUST_CHECK fn_status http_asset_find(const char *path, const struct http_asset **out);

/* Whether an If-None-Match header value (may be NULL) names the asset's
 * current ETag, so the answer can be 304 without a body. */
int http_asset_not_modified(const struct http_asset *asset, const char *if_none_match);

#endif
