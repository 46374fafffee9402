/*
 * test_util.h – shared includes and helpers for the cmocka unit tests.
 */
#ifndef FN_TEST_UTIL_H
#define FN_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* Creates a fresh temporary directory for a test and returns its path in
 * buf (size >= 64). */
static inline void test_tmpdir(char *buf, size_t size)
{
    snprintf(buf, size, "/tmp/fallnetz-test-XXXXXX");
    if (!mkdtemp(buf))
        fail_msg("mkdtemp failed");
}

/* Writes text to path; fails the test on error. */
static inline void test_write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
    assert_int_equal(fclose(fp), 0);
}

/* Removes a directory tree (test cleanup). */
static inline void test_rmtree(const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup of %s failed\n", path);
}

#endif
