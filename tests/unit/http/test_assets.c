/* Unit tests for src/http/assets: the embedded web UI files, their lookup,
 * content types, ETags and revalidation, and that the page itself needs no
 * inline script or style (the server's CSP forbids 'unsafe-inline'). */
#include "../test_util.h"

#include <string.h>

#include "http/assets.h"

static const struct http_asset *must_find(const char *path)
{
    const struct http_asset *a = NULL;
    assert_int_equal(http_asset_find(path, &a), FN_OK);
    assert_non_null(a);
    return a;
}

static void test_find(void **state)
{
    (void)state;
    const struct http_asset *page = must_find("/");
    assert_ptr_equal(must_find("/index.html"), page);
    assert_string_equal(page->content_type, "text/html; charset=utf-8");
    assert_non_null(strstr(page->data, "Rückkehrkoordination"));
    assert_int_equal(strlen(page->data), page->len);
    assert_string_equal(must_find("/assets/app.js")->content_type,
                        "text/javascript; charset=utf-8");
    assert_string_equal(must_find("/assets/app.css")->content_type, "text/css; charset=utf-8");
    assert_true(must_find("/assets/kern-ux-native-2.7.2.min.css")->len > 100000);

    const struct http_asset *a = (const struct http_asset *)1;
    assert_int_equal(http_asset_find("/assets/", &a), FN_NOTFOUND);
    assert_null(a);
    assert_int_equal(http_asset_find("/assets/app.js/", &a), FN_NOTFOUND);
    assert_int_equal(http_asset_find("/assets/../index.html", &a), FN_NOTFOUND);
    assert_int_equal(http_asset_find("/api/v1/health", &a), FN_NOTFOUND);
    assert_int_equal(http_asset_find(NULL, &a), FN_NOTFOUND);
}

/* Every ETag is a quoted content hash, distinct per file. */
static void test_etags(void **state)
{
    (void)state;
    for (size_t i = 0; i < http_assets_count; i++) {
        const char *e = http_assets[i].etag;
        assert_int_equal(strlen(e), 34);
        assert_int_equal(e[0], '"');
        assert_int_equal(e[33], '"');
        for (size_t k = i + 1; k < http_assets_count; k++)
            assert_string_not_equal(e, http_assets[k].etag);
    }
}

static void test_not_modified(void **state)
{
    (void)state;
    const struct http_asset *js = must_find("/assets/app.js");
    char list[128];
    assert_false(http_asset_not_modified(js, NULL));
    assert_false(http_asset_not_modified(js, ""));
    assert_false(http_asset_not_modified(js, "\"0000\""));
    assert_true(http_asset_not_modified(js, js->etag));
    assert_true(http_asset_not_modified(js, "*"));
    snprintf(list, sizeof list, "\"abc\", W/%s", js->etag);
    assert_true(http_asset_not_modified(js, list));
    /* a tag that only starts with the current one is another tag */
    snprintf(list, sizeof list, "%.33sx\"", js->etag);
    assert_false(http_asset_not_modified(js, list));
}

/* The CSP has no 'unsafe-inline': the page must load everything from files. */
static void test_page_has_nothing_inline(void **state)
{
    (void)state;
    const char *html = must_find("/")->data;
    assert_null(strstr(html, "<style"));
    assert_null(strstr(html, " style="));
    assert_null(strstr(html, " onclick="));
    assert_null(strstr(html, "javascript:"));
    const char *script = strstr(html, "<script");
    assert_non_null(script);
    assert_non_null(strstr(script, "<script src=\"/assets/app.js\""));
    assert_null(strstr(script + 1, "<script"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_etags),
        cmocka_unit_test(test_not_modified),
        cmocka_unit_test(test_page_has_nothing_inline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
