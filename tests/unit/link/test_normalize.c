/*
 * Unit tests for src/link/normalize.c: empty, blank and very long names,
 * and identical keys from four threads.
 */
#include "../test_util.h"

#include <pthread.h>

#include "core/alloc.h"
#include "link/compare.h"
#include "link/normalize.h"
#include "link/phonetic.h"

#include "translit_fixture.h"

static struct link_name_keys keys(const char *s)
{
    struct link_name_keys k;
    assert_int_equal(link_name_keys_make(tr, s, strlen(s), &k), FN_OK);
    return k;
}

static void test_long_and_empty(void **state)
{
    (void)state;
    char longname[2000];
    for (size_t i = 0; i < sizeof longname - 1; i++)
        longname[i] = (i % 7 == 6) ? ' ' : 'a' + (char)(i % 26);
    longname[sizeof longname - 1] = '\0';
    struct link_name_keys k = keys(longname);
    assert_true(strlen(k.ascii) < LINK_KEY_MAX);
    assert_true(k.ntokens <= LINK_NAME_MAX_TOKENS);
    struct link_name_keys e = keys("   ");
    assert_true(e.empty);
    struct link_name_keys bad;
    assert_int_equal(link_name_keys_make(tr, "x\xc3", 2, &bad), FN_INVALID);
}

static const char *const thread_names[] = {"Щербаков", "محمد عبد الله", "Hüseyin Öztürk",
                                           "ბერიძე",   "Abd al-Aziz",   "Müller"};

struct thread_result {
    char ascii[6][LINK_KEY_MAX];
    char skel[6][LINK_CODE_MAX];
    int ok;
};

static void *thread_main(void *arg)
{
    struct thread_result *r = arg;
    struct link_translit *t = NULL;
    if (link_translit_new(&t) != FN_OK)
        return NULL;
    r->ok = 1;
    for (int rep = 0; rep < 50; rep++)
        for (int i = 0; i < 6; i++) {
            struct link_name_keys k;
            if (link_name_keys_make(t, thread_names[i], strlen(thread_names[i]), &k) != FN_OK)
                r->ok = 0;
            memcpy(r->ascii[i], k.ascii, sizeof k.ascii);
            memcpy(r->skel[i], k.skeleton, sizeof k.skeleton);
        }
    link_translit_free(t);
    return NULL;
}

static void test_threads_identical(void **state)
{
    (void)state;
    pthread_t th[4];
    struct thread_result res[4];
    memset(res, 0, sizeof res);
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, thread_main, &res[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++) {
        assert_true(res[i].ok);
        assert_memory_equal(res[i].ascii, res[0].ascii, sizeof res[0].ascii);
        assert_memory_equal(res[i].skel, res[0].skel, sizeof res[0].skel);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_and_empty),
        cmocka_unit_test(test_threads_identical),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
