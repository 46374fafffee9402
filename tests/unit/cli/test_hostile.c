/*
 * Hostile-input tests: deterministic random bytes (and mutations of valid
 * input) into every parser that reads outside data – the CSV reader, the
 * register row parser, the catalogue parser, the partial-date parser, the
 * name keys and a whole reconciliation run on mutated register files. Under ASan/UBSan a crash,
 * leak or undefined behaviour fails the test; otherwise each parser must answer with a status,
 * never hang.
 */
#include "../test_util.h"

#include "assess/catalog.h"
#include "core/csv.h"
#include "core/pdate.h"
#include "link/normalize.h"
#include "model/register.h"
#include "reconcile/reconcile.h"

#include <jansson.h>

static uint64_t rng = 0x5eed;

static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* Random bytes biased towards the characters parsers care about. */
static size_t random_text(char *buf, size_t max)
{
    static const char special[] = "\",\n\r;:|-0123456789 \xc3\xa4\xff\x80=#";
    size_t n = next() % max;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = next() % 4;
        buf[i] = r == 0 ? (char)(next() & 0xff) : special[next() % (sizeof special - 1)];
    }
    return n;
}

static void test_csv_and_register(void **state)
{
    (void)state;
    char buf[4096];
    for (int iter = 0; iter < 6000; iter++) {
        size_t n = random_text(buf, sizeof buf);
        /* sometimes a valid header first, so rows reach the register parser */
        char text[5000];
        int len =
            snprintf(text, sizeof text, "%s%.*s",
                     iter % 2 ? "record_id,family_name,birth_date,sex,aliases\n" : "", (int)n, buf);
        FILE *fp = fmemopen(text, (size_t)len, "rb");
        if (!fp)
            continue;
        struct fn_csv_reader *r = NULL;
        assert_int_equal(fn_csv_open_stream(fp, "fuzz.csv", &r), FN_OK);
        fn_csv_set_max_row(r, 512);
        struct register_layout layout;
        int have_layout = 0;
        for (int rows = 0; rows < 200; rows++) {
            struct fn_csv_row row;
            fn_status rc = fn_csv_next(r, &row);
            if (rc == FN_NOTFOUND)
                break;
            assert_true(rc == FN_OK || rc == FN_INVALID || rc == FN_TOO_LARGE);
            if (rc)
                continue;
            char msg[256];
            if (!have_layout) {
                have_layout = register_layout_from_header(&row, &layout, msg, sizeof msg) == FN_OK;
                continue;
            }
            struct model_person *p = NULL;
            fn_status prc = register_row_to_person(&layout, &row, &p, msg, sizeof msg);
            assert_true(prc == FN_OK || prc == FN_INVALID);
            if (prc == FN_INVALID)
                assert_true(msg[0] != '\0'); /* every rejection says why */
            model_person_free(p);
        }
        fn_csv_close(r);
        fclose(fp);
    }
}

static void test_catalogue_parser(void **state)
{
    (void)state;
    char path[512];
    const char *root = getenv("FALLNETZ_SOURCE_ROOT");
    snprintf(path, sizeof path, "%s/catalog/initialbewertung.cat", root ? root : ".");
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char base[65536];
    size_t blen = fread(base, 1, sizeof base - 1, fp);
    fclose(fp);
    static char mutated[65536];
    for (int iter = 0; iter < 3000; iter++) {
        memcpy(mutated, base, blen);
        int edits = 1 + (int)(next() % 8);
        for (int e = 0; e < edits; e++) {
            size_t at = next() % blen;
            char junk[64];
            size_t jn = random_text(junk, sizeof junk);
            size_t take = jn < blen - at ? jn : blen - at;
            memcpy(mutated + at, junk, take);
        }
        struct fn_buf errors;
        fn_buf_init(&errors, 65536);
        struct assess_catalog *c = NULL;
        fn_status rc = assess_catalog_parse(mutated, blen, "fuzz.cat", &c, &errors);
        assert_true(rc == FN_OK || rc == FN_INVALID);
        if (rc == FN_INVALID)
            assert_non_null(strstr(fn_buf_str(&errors), "fuzz.cat:"));
        assess_catalog_free(c);
        fn_buf_free(&errors);
    }
}

static void test_dates_and_names(void **state)
{
    (void)state;
    struct link_translit *t = NULL;
    assert_int_equal(link_translit_new(&t), FN_OK);
    char buf[256];
    for (int iter = 0; iter < 30000; iter++) {
        size_t n = random_text(buf, 16);
        struct fn_pdate d;
        fn_status rc = fn_pdate_parse(buf, n, &d);
        assert_true(rc == FN_OK || rc == FN_INVALID);
        if (rc == FN_OK && d.year) {
            char out[11];
            fn_pdate_format(&d, out);
            struct fn_pdate back;
            assert_int_equal(fn_pdate_parse(out, strlen(out), &back), FN_OK);
            assert_true(fn_pdate_equal(&d, &back));
        }
        n = random_text(buf, sizeof buf);
        struct link_name_keys k;
        rc = link_name_keys_make(t, buf, n, &k);
        assert_true(rc == FN_OK || rc == FN_INVALID);
    }
    link_translit_free(t);
}

/* A small valid register pair, mutated: the run must succeed (or refuse a
 * broken header with FN_INVALID and a message), never crash, and account
 * for every row in summary.json. */
static void write_bytes(const char *path, const char *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

static size_t register_text(char *out, size_t cap, int azr_side)
{
    static const char *const fam[] = {"Al-Hassan", "Ахмедов", "محمد", "Yılmaz",
                                      "Nguyen",    "Müller",  "Kaya", "Diallo"};
    static const char *const giv[] = {"Omar", "Fatima Zahra", "Ali", "Мария", "", "Jean-Luc"};
    size_t n = (size_t)snprintf(out, cap,
                                "record_id,azr_nr,family_name,given_names,sex,birth_date,"
                                "birth_place,nationality,updated_at,aliases\r\n");
    for (int i = 0; i < 30 && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n,
                              "%c%d,%s,%s,\"%s\",%c,19%02d-%02d-%02d,Damaskus,SYR,"
                              "2025-01-0%dT00:00:00Z,\"%s|x;y|z\"\r\n",
                              azr_side ? 'A' : 'L', i, i % 3 ? "100000000001" : "",
                              fam[(i + azr_side) % 8], giv[i % 6], i % 2 ? 'm' : 'f', 50 + i,
                              i % 13, i % 29, 1 + i % 9, fam[i % 8]);
    return n < cap ? n : cap - 1;
}

static void test_reconcile_run(void **state)
{
    (void)state;
    char dir[64], loc[128], azr[128], out[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(loc, sizeof loc, "%s/l.csv", dir);
    snprintf(azr, sizeof azr, "%s/a.csv", dir);
    snprintf(out, sizeof out, "%s/o", dir);
    static char base[2][8192], mutated[8192 + 512];
    size_t blen[2] = {register_text(base[0], sizeof base[0], 0),
                      register_text(base[1], sizeof base[1], 1)};
    for (int iter = 0; iter < 60; iter++) {
        for (int side = 0; side < 2; side++) {
            size_t n = blen[side];
            memcpy(mutated, base[side], n);
            int edits = (int)(next() % 12);
            for (int e = 0; e < edits; e++) {
                size_t at = next() % n;
                char junk[64];
                size_t jn = random_text(junk, sizeof junk);
                if (next() % 2 && n + jn < sizeof mutated) { /* insert */
                    memmove(mutated + at + jn, mutated + at, n - at);
                    memcpy(mutated + at, junk, jn);
                    n += jn;
                } else { /* overwrite */
                    size_t take = jn < n - at ? jn : n - at;
                    memcpy(mutated + at, junk, take);
                }
            }
            if (next() % 8 == 0)
                n = next() % (n + 1); /* cut anywhere */
            write_bytes(side ? azr : loc, mutated, n);
        }
        char msg[512] = "";
        struct rec_options o = {loc, azr, out, NULL, NULL, 1 + (int)(next() % 2), 0};
        fn_status rc = rec_run(&o, msg, sizeof msg);
        assert_true(rc == FN_OK || rc == FN_INVALID);
        if (rc == FN_INVALID) {
            assert_true(msg[0] != '\0');
            continue;
        }
        char path[160];
        snprintf(path, sizeof path, "%s/summary.json", out);
        json_error_t err;
        json_t *j = json_load_file(path, 0, &err);
        assert_non_null(j);
        json_t *in = json_object_get(j, "input");
        for (int side = 0; side < 2; side++) {
            const char *p = side ? "azr" : "local";
            char k1[32], k2[32], k3[32];
            snprintf(k1, sizeof k1, "%s_rows", p);
            snprintf(k2, sizeof k2, "%s_records", p);
            snprintf(k3, sizeof k3, "%s_rejected", p);
            assert_int_equal(json_integer_value(json_object_get(in, k1)),
                             json_integer_value(json_object_get(in, k2)) +
                                 json_integer_value(json_object_get(in, k3)));
        }
        json_decref(j);
    }
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_and_register),
        cmocka_unit_test(test_catalogue_parser),
        cmocka_unit_test(test_dates_and_names),
        cmocka_unit_test(test_reconcile_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
