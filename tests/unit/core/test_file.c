/* Unit tests for core/file: atomic writes keep the old file on abort,
 * mkdir -p, bounded reads; devices and FIFOs are written through, never
 * replaced; directories are refused; links keep pointing at their file. */
#include "../test_util.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

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
    char dir[64], path[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/x", dir);
    fn_alloc_fail_after(0, 0);
    assert_int_equal(fn_atomic_open(&f, path), FN_NOMEM);
    fn_alloc_fail_reset();
    test_rmtree(dir);
}

/* A device node made in a temporary folder (never the system's /dev/null:
 * a regression would destroy it). Needs root; without it the FIFO test
 * below covers write-through. */
static void test_device_is_written_through(void **state)
{
    (void)state;
    char dir[64], path[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/null", dir);
    if (mknod(path, S_IFCHR | 0666, makedev(1, 3)) != 0) {
        test_rmtree(dir);
        skip();
    }
    assert_int_equal(fn_write_file_atomic(path, "data", 4), FN_OK);
    struct fn_atomic_file f;
    assert_int_equal(fn_atomic_open(&f, path), FN_OK);
    fputs("more", f.fp);
    assert_int_equal(fn_atomic_commit(&f), FN_OK);
    assert_int_equal(fn_atomic_open(&f, path), FN_OK);
    fn_atomic_abort(&f); /* an abort must not unlink the device either */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(major(st.st_rdev), 1);
    assert_int_equal(minor(st.st_rdev), 3);
    test_rmtree(dir);
}

/* The read end is opened first (non-blocking), so the writer's open does not
 * wait and a regression (rename over the FIFO) shows as nothing read rather
 * than a hang. */
static void test_fifo_is_written_through(void **state)
{
    (void)state;
    char dir[64], path[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/pipe", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    int rfd = open(path, O_RDONLY | O_NONBLOCK);
    assert_true(rfd >= 0);
    assert_int_equal(fn_write_file_atomic(path, "through the pipe", 16), FN_OK);
    char got[64];
    ssize_t n = read(rfd, got, sizeof got);
    close(rfd);
    assert_int_equal(n, 16);
    assert_memory_equal(got, "through the pipe", 16);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    test_rmtree(dir);
}

static void test_directory_is_refused(void **state)
{
    (void)state;
    char dir[64];
    test_tmpdir(dir, sizeof dir);
    struct fn_atomic_file f;
    errno = 0;
    assert_int_equal(fn_atomic_open(&f, dir), FN_INVALID);
    assert_int_equal(errno, EISDIR);
    assert_null(f.fp);
    fn_atomic_abort(&f);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    test_rmtree(dir);
}

/* A link to a file: the file gets the new content and the link stays a link. */
static void test_symlink_target_is_replaced(void **state)
{
    (void)state;
    char dir[64], target[128], link[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(target, sizeof target, "%s/real.csv", dir);
    snprintf(link, sizeof link, "%s/link.csv", dir);
    assert_int_equal(fn_write_file_atomic(target, "old", 3), FN_OK);
    assert_int_equal(chmod(target, 0640), 0);
    assert_int_equal(symlink("real.csv", link), 0);
    assert_int_equal(fn_write_file_atomic(link, "new", 3), FN_OK);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640); /* the file keeps its mode */
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(fn_read_file(target, 100, &text, &len), FN_OK);
    assert_string_equal(text, "new");
    fn_free(text);
    test_rmtree(dir);
}

/* A new output holds personal data: only its owner may read it. */
static void test_new_file_is_private(void **state)
{
    (void)state;
    char dir[64], path[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/new.csv", dir);
    assert_int_equal(fn_write_file_atomic(path, "x", 1), FN_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 077, 0);
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atomic_write_and_abort),
        cmocka_unit_test(test_mkdir_p),
        cmocka_unit_test(test_open_fails_cleanly),
        cmocka_unit_test(test_device_is_written_through),
        cmocka_unit_test(test_fifo_is_written_through),
        cmocka_unit_test(test_directory_is_refused),
        cmocka_unit_test(test_symlink_target_is_replaced),
        cmocka_unit_test(test_new_file_is_private),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
