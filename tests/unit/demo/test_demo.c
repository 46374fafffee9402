/* Unit tests for src/demo and src/names: determinism per seed, plausibility
 * of the generated data, and sanity of the name tables. */
#include "../test_util.h"

#include <sqlite3.h>

#include "core/utf8.h"
#include "demo/demo.h"
#include "names/names.h"

/* Generates n persons with seed into a fresh database and returns a digest
 * of the person, proceeding and custody tables (FNV-1a over a dump). */
static uint64_t generate_digest(const char *dir, const char *name, uint64_t seed, long n)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct store *st = NULL;
    assert_int_equal(store_open(path, STORE_OPEN_CREATE, &st), FN_OK);
    assert_int_equal(store_migrate(st), FN_OK);
    struct demo_options opt = {.persons = n, .seed = seed, .today_days = 20513};
    assert_int_equal(demo_generate(st, &opt), FN_OK);
    assert_int_equal(demo_generate(st, &opt), FN_CONFLICT);
    store_close(st);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    const char *queries[] = {
        "SELECT * FROM person ORDER BY id",         "SELECT * FROM person_alias ORDER BY id",
        "SELECT * FROM proceeding ORDER BY id",     "SELECT * FROM custody ORDER BY id",
        "SELECT * FROM legal_obstacle ORDER BY id", "SELECT * FROM case_file ORDER BY id"};
    uint64_t h = 1469598103934665603ull;
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        sqlite3_stmt *s = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, queries[q], -1, &s, NULL), SQLITE_OK);
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(s); c++) {
                const unsigned char *t = sqlite3_column_text(s, c);
                for (const unsigned char *p = t ? t : (const unsigned char *)"\x01"; *p; p++)
                    h = (h ^ *p) * 1099511628211ull;
                h = (h ^ 0x1f) * 1099511628211ull;
            }
        }
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return h;
}

static void test_deterministic(void **state)
{
    (void)state;
    char dir[64];
    test_tmpdir(dir, sizeof dir);
    uint64_t a = generate_digest(dir, "a.db", 42, 150);
    uint64_t b = generate_digest(dir, "b.db", 42, 150);
    uint64_t c = generate_digest(dir, "c.db", 43, 150);
    assert_true(a == b);
    assert_true(a != c);
    test_rmtree(dir);
}

static void test_plausible(void **state)
{
    (void)state;
    char dir[64], path[160];
    test_tmpdir(dir, sizeof dir);
    generate_digest(dir, "p.db", 1, 1000);
    snprintf(path, sizeof path, "%s/p.db", dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    const struct {
        const char *sql;
        long lo, hi;
    } checks[] = {
        {"SELECT count(*) FROM person", 1000, 1000},
        {"SELECT count(*) FROM person WHERE birth_date LIKE '%-00-00'", 20, 300},
        {"SELECT count(*) FROM person WHERE birth_date LIKE '%-01-01'", 20, 300},
        {"SELECT count(*) FROM person_alias", 100, 600},
        {"SELECT count(*) FROM proceeding WHERE kind = 'verurteilung'", 800, 2400},
        {"SELECT count(*) FROM legal_obstacle", 150, 450},
        {"SELECT count(*) FROM case_file WHERE tags = 'aMIT'", 50, 600},
        {"SELECT count(*) FROM person WHERE azr_nr IS NULL", 30, 200},
        {"SELECT count(DISTINCT birth_country) FROM person", 10, 40},
        {"SELECT count(*) FROM organisation WHERE kind = 'rrk'", 5, 5},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        sqlite3_stmt *s = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, checks[i].sql, -1, &s, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        long v = (long)sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        if (v < checks[i].lo || v > checks[i].hi)
            fail_msg("%s = %ld, expected %ld..%ld", checks[i].sql, v, checks[i].lo, checks[i].hi);
    }
    sqlite3_close(db);
    test_rmtree(dir);
}

static void check_entries(const struct names_entry *e, size_t n)
{
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        assert_true(e[i].weight >= 1);
        assert_non_null(e[i].latin[0]);
        for (size_t k = 0; e[i].latin[k]; k++)
            assert_true(fn_utf8_valid(e[i].latin[k], strlen(e[i].latin[k]), NULL));
        if (e[i].native)
            assert_true(fn_utf8_valid(e[i].native, strlen(e[i].native), NULL));
    }
}

static void test_name_tables(void **state)
{
    (void)state;
    for (int p = 0; p < NAMES_POPULATION_COUNT; p++) {
        const struct names_population_info *info = names_population((enum names_population)p);
        assert_non_null(info);
        assert_non_null(info->iso3[0]);
        for (size_t k = 0; info->iso3[k]; k++)
            assert_int_equal(strlen(info->iso3[k]), 3);
        const struct names_entry *e = NULL;
        size_t n = names_family((enum names_population)p, &e);
        check_entries(e, n);
        n = names_given((enum names_population)p, 'm', &e);
        check_entries(e, n);
        n = names_given((enum names_population)p, 'f', &e);
        check_entries(e, n);
        n = names_places((enum names_population)p, &e);
        check_entries(e, n);
    }
    assert_null(names_population(NAMES_POPULATION_COUNT));
    const struct names_municipality *m = NULL;
    size_t nm = names_municipalities(&m);
    assert_true(nm >= 40);
    const char *regions[] = {"Arnsberg", "Detmold", "Düsseldorf", "Köln", "Münster"};
    for (size_t i = 0; i < nm; i++) {
        int ok = 0;
        for (int r = 0; r < 5; r++)
            ok |= strcmp(m[i].region, regions[r]) == 0;
        assert_true(ok);
        assert_int_equal(strlen(m[i].postcode), 5);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_plausible),
        cmocka_unit_test(test_name_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
