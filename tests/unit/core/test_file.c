/* Unit tests for core/file: atomic writes keep the old file on abort,
 * mkdir -p, bounded reads. */
#include "../test_util.h"

#include "core/alloc.h"
#include "core/file.h"

static void test_atomic_write_and_abort(void **state)
{
    (void)state;
    char dir[64], path[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/out.txt", dir);
    assert_int_equal(fn_write_file_atomic(path, "first", 5), FN_OK);
    struct fn_atomic_file f;
    assert_int_equal(fn_atomic_open(&f, path), FN_OK);
    fputs("partial", f.fp);
    fn_atomic_abort(&f);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(fn_read_file(path, 100, &text, &len), FN_OK);
    assert_string_equal(text, "first");
    fn_free(text);
    assert_int_equal(fn_read_file(path, 3, &text, &len), FN_TOO_LARGE);
    assert_null(text);
    char missing[160];
    snprintf(missing, sizeof missing, "%s/none", dir);
    assert_int_equal(fn_read_file(missing, 100, &text, &len), FN_NOTFOUND);
    test_rmtree(dir);
}

static void test_mkdir_p(void **state)
{
    (void)state;
    char dir[64], path[160];
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/a/b/c", dir);
    assert_int_equal(fn_mkdir_p(path), FN_OK);
    assert_int_equal(fn_mkdir_p(path), FN_OK);
    snprintf(path, sizeof path, "%s/a/b/c/file", dir);
    assert_int_equal(fn_write_file_atomic(path, "x", 1), FN_OK);
    snprintf(path, sizeof path, "%s/a/b/c/file/sub", dir);
    assert_int_equal(fn_mkdir_p(path), FN_IO);
    test_rmtree(dir);
}

static void test_open_fails_cleanly(void **state)
{
    (void)state;
    struct fn_atomic_file f;
    assert_int_equal(fn_atomic_open(&f, "/nonexistent-dir/x"), FN_IO);
    assert_null(f.fp);
    fn_atomic_abort(&f);
    fn_alloc_fail_after(0, 0);
    assert_int_equal(fn_atomic_open(&f, "/tmp/x"), FN_NOMEM);
    fn_alloc_fail_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atomic_write_and_abort),
        cmocka_unit_test(test_mkdir_p),
        cmocka_unit_test(test_open_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
