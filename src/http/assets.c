/* assets.c – lookup of the embedded web UI files (see assets.h). */
#include "http/assets.h"

#include <string.h>

fn_status http_asset_find(const char *path, const struct http_asset **out)
{
    *out = NULL;
    if (!path)
        return FN_NOTFOUND;
    if (strcmp(path, "/index.html") == 0)
        path = "/";
    for (size_t i = 0; i < http_assets_count; i++) {
        if (strcmp(http_assets[i].path, path) == 0) {
            *out = &http_assets[i];
            return FN_OK;
        }
    }
    return FN_NOTFOUND;
}

/* If-None-Match is "*" or a comma-separated list of (possibly weak) tags. */
int http_asset_not_modified(const struct http_asset *asset, const char *if_none_match)
{
    if (!if_none_match)
        return 0;
    size_t tag_len = strlen(asset->etag);
    const char *p = if_none_match;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '*')
            return 1;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        if (strncmp(p, asset->etag, tag_len) == 0 &&
            (p[tag_len] == '\0' || p[tag_len] == ',' || p[tag_len] == ' ' || p[tag_len] == '\t'))
            return 1;
        while (*p && *p != ',')
            p++;
    }
    return 0;
}
