/*
 * translit_fixture.h – the per-test-file transliterator of the link unit
 * tests: one handle (tr) opened by the group setup, closed by teardown.
 * Include once per test file, after test_util.h.
 */
#ifndef FN_TESTS_LINK_TRANSLIT_FIXTURE_H
#define FN_TESTS_LINK_TRANSLIT_FIXTURE_H

#include "link/translit.h"

static struct link_translit *tr;

static int setup(void **state)
{
    (void)state;
    return link_translit_new(&tr) == FN_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    link_translit_free(tr);
    return 0;
}

#endif
