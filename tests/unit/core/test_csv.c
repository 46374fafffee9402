/* Unit tests for core/csv: RFC 4180 corner cases, recovery from bad rows,
 * row caps, writer quoting and round trip. */
#include "../test_util.h"

#include "core/alloc.h"
#include "core/csv.h"

struct parsed {
    int rows, bad, too_large;
    char first[8][64];
    long lines[16];
    size_t nfields[16];
};

static void parse_text(const char *text, size_t max_row, struct parsed *p)
{
    memset(p, 0, sizeof *p);
    FILE *fp = fmemopen((void *)text, strlen(text), "rb");
    assert_non_null(fp);
    struct fn_csv_reader *r = NULL;
    assert_int_equal(fn_csv_open_stream(fp, "mem.csv", &r), FN_OK);
    if (max_row)
        fn_csv_set_max_row(r, max_row);
    for (;;) {
        struct fn_csv_row row;
        fn_status rc = fn_csv_next(r, &row);
        if (rc == FN_NOTFOUND)
            break;
        if (rc == FN_INVALID) {
            p->bad++;
            continue;
        }
        if (rc == FN_TOO_LARGE) {
            p->too_large++;
            continue;
        }
        assert_int_equal(rc, FN_OK);
        if (p->rows < 8)
            snprintf(p->first[p->rows], 64, "%s", row.fields[0]);
        if (p->rows < 16) {
            p->lines[p->rows] = row.line;
            p->nfields[p->rows] = row.nfields;
        }
        p->rows++;
    }
    fn_csv_close(r);
    fclose(fp);
}

static void test_basic_crlf_bom(void **state)
{
    (void)state;
    struct parsed p;
    parse_text("\xEF\xBB\xBFid,name\r\n1,Ali\r\n2,\"Öztürk, Ayşe\"\r\n", 0, &p);
    assert_int_equal(p.rows, 3);
    assert_string_equal(p.first[0], "id");
    assert_string_equal(p.first[1], "1");
    assert_int_equal(p.nfields[2], 2);
    assert_int_equal(p.lines[2], 3);
}

static void test_quoted_newline_and_quotes(void **state)
{
    (void)state;
    const char *text = "a,b\n\"x\ny\",\"he said \"\"hi\"\"\"\n3,4";
    FILE *fp = fmemopen((void *)text, strlen(text), "rb");
    struct fn_csv_reader *r = NULL;
    assert_int_equal(fn_csv_open_stream(fp, "mem", &r), FN_OK);
    struct fn_csv_row row;
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_string_equal(row.fields[0], "x\ny");
    assert_string_equal(row.fields[1], "he said \"hi\"");
    assert_int_equal(row.line, 2);
    assert_int_equal(row.line_last, 3);
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_string_equal(row.fields[1], "4");
    assert_int_equal(row.line, 4);
    assert_int_equal(fn_csv_next(r, &row), FN_NOTFOUND);
    fn_csv_close(r);
    fclose(fp);
}

static void test_empty_fields_and_blank_lines(void **state)
{
    (void)state;
    struct parsed p;
    parse_text("a,b,c\n\n,,\n\"\",x,\n", 0, &p);
    assert_int_equal(p.rows, 3);
    assert_int_equal(p.nfields[1], 3);
    assert_int_equal(p.lines[1], 3);
    assert_int_equal(p.nfields[2], 3);
    parse_text("", 0, &p);
    assert_int_equal(p.rows, 0);
    parse_text("\xEF\xBB\xBF", 0, &p);
    assert_int_equal(p.rows, 0);
}

static void test_bad_rows_recover(void **state)
{
    (void)state;
    struct parsed p;
    /* line 2: text after closing quote; line 4: unterminated quote at EOF */
    parse_text("h1,h2\n\"a\"b,c\nok,1\n\"never closed,2\n", 0, &p);
    assert_int_equal(p.bad, 2);
    assert_int_equal(p.rows, 2);
    assert_string_equal(p.first[1], "ok");
    assert_int_equal(p.lines[1], 3);
}

static void test_unterminated_keeps_following_lines(void **state)
{
    (void)state;
    struct parsed p;
    parse_text("h\n\"open\nnext1\nnext2\n", 0, &p);
    assert_int_equal(p.bad, 1);
    assert_int_equal(p.rows, 3); /* h, next1, next2 */
    assert_string_equal(p.first[1], "next1");
}

static void test_row_cap(void **state)
{
    (void)state;
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char text[6000];
    snprintf(text, sizeof text, "h\n%s\nafter\n", big);
    struct parsed p;
    parse_text(text, 1000, &p);
    assert_int_equal(p.too_large, 1);
    assert_int_equal(p.rows, 2);
    assert_string_equal(p.first[1], "after");
    assert_int_equal(p.lines[1], 3);
}

static void test_large_file_across_chunks(void **state)
{
    (void)state;
    char dir[64], path[128];
    test_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/big.csv", dir);
    FILE *fp = fopen(path, "wb");
    fprintf(fp, "id,name\n");
    for (int i = 0; i < 50000; i++)
        fprintf(fp, "%d,\"Name %d\nline two, \"\"quoted\"\"\"\n", i, i);
    fclose(fp);
    struct fn_csv_reader *r = NULL;
    assert_int_equal(fn_csv_open(path, &r), FN_OK);
    assert_true(fn_csv_size(r) > 0);
    struct fn_csv_row row;
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    for (int i = 0; i < 50000; i++) {
        assert_int_equal(fn_csv_next(r, &row), FN_OK);
        char want[64];
        snprintf(want, sizeof want, "Name %d\nline two, \"quoted\"", i);
        assert_string_equal(row.fields[1], want);
        assert_int_equal(row.line, 2 + 2 * i);
    }
    assert_int_equal(fn_csv_next(r, &row), FN_NOTFOUND);
    assert_int_equal(fn_csv_offset(r), fn_csv_size(r));
    fn_csv_close(r);
    struct fn_csv_reader *missing = NULL;
    assert_int_equal(fn_csv_open("/nonexistent/x.csv", &missing), FN_NOTFOUND);
    test_rmtree(dir);
}

/* Issue 10 item 5: "R2," at the end of input without a line break is a
 * row with an empty last field, not lost. */
static void test_last_row_empty_last_field_without_newline(void **state)
{
    (void)state;
    const char *text = "record_id,family_name\nR1,Alpha\nR2,";
    FILE *fp = fmemopen((void *)text, strlen(text), "rb");
    struct fn_csv_reader *r = NULL;
    assert_int_equal(fn_csv_open_stream(fp, "mem", &r), FN_OK);
    struct fn_csv_row row;
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_int_equal(row.nfields, 2);
    assert_string_equal(row.fields[0], "R2");
    assert_int_equal(row.lens[0], 2);
    assert_string_equal(row.fields[1], "");
    assert_int_equal(row.lens[1], 0);
    assert_int_equal(row.line, 3);
    assert_int_equal(fn_csv_next(r, &row), FN_NOTFOUND);
    fn_csv_close(r);
    fclose(fp);
    struct parsed p;
    parse_text("a,b,c\n1,,", 0, &p);
    assert_int_equal(p.rows, 2);
    assert_int_equal(p.nfields[1], 3);
    parse_text("a,b\n\"x\",", 0, &p);
    assert_int_equal(p.rows, 2);
    assert_int_equal(p.nfields[1], 2);
}

/* Issue 10 item 11: lone CRs (old Mac exports) end lines, also across read
 * chunks and inside quoted fields; line numbers count them. */
static void test_cr_only_line_ends(void **state)
{
    (void)state;
    struct parsed p;
    parse_text("id,name\r1,Ali\r\r2,\"x\ry\"\r3,z", 0, &p);
    assert_int_equal(p.rows, 4);
    assert_string_equal(p.first[1], "1");
    assert_string_equal(p.first[2], "2");
    assert_int_equal(p.lines[2], 4);
    assert_int_equal(p.lines[3], 6);
    assert_int_equal(p.nfields[3], 2);
    /* a bad row resynchronises at the next CR */
    parse_text("h1,h2\r\"a\"b,c\rok,1\r", 0, &p);
    assert_int_equal(p.bad, 1);
    assert_int_equal(p.rows, 2);
    assert_string_equal(p.first[1], "ok");
    assert_int_equal(p.lines[1], 3);

    size_t rows = 120000, cap = rows * 16 + 16, len = 0;
    char *big = test_malloc(cap);
    len += (size_t)snprintf(big + len, cap - len, "id,name\r");
    for (size_t i = 0; i < rows; i++)
        len += (size_t)snprintf(big + len, cap - len, "%zu,n%zu\r", i, i % 10);
    FILE *fp = fmemopen(big, len, "rb");
    struct fn_csv_reader *r = NULL;
    assert_int_equal(fn_csv_open_stream(fp, "mem", &r), FN_OK);
    struct fn_csv_row row;
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    for (size_t i = 0; i < rows; i++) {
        assert_int_equal(fn_csv_next(r, &row), FN_OK);
        assert_int_equal(row.nfields, 2);
        assert_int_equal(strtoul(row.fields[0], NULL, 10), i);
        assert_int_equal(row.line, (long)i + 2);
    }
    assert_int_equal(fn_csv_next(r, &row), FN_NOTFOUND);
    fn_csv_close(r);
    fclose(fp);
    test_free(big);
}

/* Issue 10 item 12: the output of `export --excel` reads back: ';' found
 * from the header, the formula guard undone, a plain "'x" kept. */
static void test_detect_semicolon_and_unguard(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBFrecord_id;\"a,b\"\r\nR1;\"'=cmd()\"\r\nR2;'=x\r\n"
                       "R3;\"'-3\";\"'x\"\r\n";
    FILE *fp = fmemopen((void *)text, strlen(text), "rb");
    struct fn_csv_reader *r = NULL;
    assert_int_equal(fn_csv_open_stream(fp, "mem", &r), FN_OK);
    assert_int_equal(fn_csv_detect_delimiter(r), ';');
    struct fn_csv_row row;
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_int_equal(row.nfields, 2);
    assert_string_equal(row.fields[0], "record_id");
    assert_string_equal(row.fields[1], "a,b");
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_string_equal(row.fields[1], "=cmd()");
    assert_int_equal(row.lens[1], 6);
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_string_equal(row.fields[1], "'=x"); /* unquoted: not the writer's guard */
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_string_equal(row.fields[1], "-3");
    assert_string_equal(row.fields[2], "'x");
    fn_csv_close(r);
    fclose(fp);

    text = "a,b;c\n1,\"'=x\"\n";
    fp = fmemopen((void *)text, strlen(text), "rb");
    assert_int_equal(fn_csv_open_stream(fp, "mem", &r), FN_OK);
    assert_int_equal(fn_csv_detect_delimiter(r), ',');
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_string_equal(row.fields[1], "b;c");
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_string_equal(row.fields[1], "'=x"); /* comma files are taken as they are */
    fn_csv_close(r);
    fclose(fp);
}

/* The formula guard covers tab and carriage return too (OWASP), and the
 * reader undoes exactly what the writer added. */
static void test_guard_tab_and_cr_round_trip(void **state)
{
    (void)state;
    char buf[256];
    FILE *fp = fmemopen(buf, sizeof buf, "wb");
    struct fn_csv_writer w;
    assert_int_equal(fn_csv_writer_init(&w, fp, FN_CSV_SEMICOLON | FN_CSV_EXCEL_SAFE), FN_OK);
    const char *cells[] = {"\t=1+1", "\rcalc", "@SUM(1)", "plain"};
    assert_int_equal(fn_csv_put_row(&w, cells, 4), FN_OK);
    long n = ftell(fp);
    fclose(fp);
    buf[n] = '\0';
    assert_string_equal(buf, "\"'\t=1+1\";\"'\rcalc\";\"'@SUM(1)\";plain\n");
    fp = fmemopen(buf, (size_t)n, "rb");
    struct fn_csv_reader *r = NULL;
    assert_int_equal(fn_csv_open_stream(fp, "mem", &r), FN_OK);
    assert_int_equal(fn_csv_detect_delimiter(r), ';');
    struct fn_csv_row row;
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_int_equal(row.nfields, 4);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(row.fields[i], cells[i]);
    fn_csv_close(r);
    fclose(fp);
}

/* Issue 10 item 13: the raw text of a malformed row is kept for the
 * rejected-rows file. */
static void test_raw_text_of_bad_row(void **state)
{
    (void)state;
    const char *text = "h1,h2\n\"a\"b,c\nok,1\n";
    FILE *fp = fmemopen((void *)text, strlen(text), "rb");
    struct fn_csv_reader *r = NULL;
    assert_int_equal(fn_csv_open_stream(fp, "mem", &r), FN_OK);
    struct fn_csv_row row;
    size_t len = 99;
    assert_string_equal(fn_csv_raw(r, &len), "");
    assert_int_equal(len, 0);
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_int_equal(fn_csv_next(r, &row), FN_INVALID);
    assert_string_equal(fn_csv_raw(r, &len), "\"a\"b,c");
    assert_int_equal(len, 6);
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    fn_csv_close(r);
    fclose(fp);
}

static void test_writer(void **state)
{
    (void)state;
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    struct fn_csv_writer w;
    assert_int_equal(fn_csv_writer_init(&w, fp, 0), FN_OK);
    const char *row[] = {"plain", "a,b", "say \"x\"", "two\nlines", " pad", ""};
    assert_int_equal(fn_csv_put_row(&w, row, 6), FN_OK);
    fclose(fp);
    assert_string_equal(out, "plain,\"a,b\",\"say \"\"x\"\"\",\"two\nlines\",\" pad\",\n");
    free(out);

    fp = open_memstream(&out, &len);
    assert_int_equal(
        fn_csv_writer_init(&w, fp, FN_CSV_BOM | FN_CSV_SEMICOLON | FN_CSV_CRLF | FN_CSV_EXCEL_SAFE),
        FN_OK);
    assert_int_equal(fn_csv_put_str(&w, "=cmd()"), FN_OK);
    assert_int_equal(fn_csv_put_double(&w, 0.5, 2), FN_OK);
    assert_int_equal(fn_csv_put_long(&w, -3), FN_OK);
    assert_int_equal(fn_csv_end_row(&w), FN_OK);
    fclose(fp);
    assert_string_equal(out, "\xEF\xBB\xBF\"'=cmd()\";0,50;\"'-3\"\r\n");
    free(out);
}

static void test_find_column(void **state)
{
    (void)state;
    const char *text = "record_id, family_name ,azr_nr\n";
    FILE *fp = fmemopen((void *)text, strlen(text), "rb");
    struct fn_csv_reader *r = NULL;
    assert_int_equal(fn_csv_open_stream(fp, "mem", &r), FN_OK);
    struct fn_csv_row row;
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_int_equal(fn_csv_find_column(&row, "family_name"), 1);
    assert_int_equal(fn_csv_find_column(&row, "azr_nr"), 2);
    assert_int_equal(fn_csv_find_column(&row, "sex"), -1);
    fn_csv_close(r);
    fclose(fp);
}

static void test_open_nomem(void **state)
{
    (void)state;
    for (long n = 0; n < 8; n++) {
        struct fn_csv_reader *r = NULL;
        fn_alloc_fail_after(n, 0);
        fn_status rc = fn_csv_open_stream(stdin, "x", &r);
        fn_alloc_fail_reset();
        if (rc == FN_OK) {
            fn_csv_close(r);
            break;
        }
        assert_int_equal(rc, FN_NOMEM);
        assert_null(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_crlf_bom),
        cmocka_unit_test(test_quoted_newline_and_quotes),
        cmocka_unit_test(test_empty_fields_and_blank_lines),
        cmocka_unit_test(test_bad_rows_recover),
        cmocka_unit_test(test_unterminated_keeps_following_lines),
        cmocka_unit_test(test_row_cap),
        cmocka_unit_test(test_large_file_across_chunks),
        cmocka_unit_test(test_last_row_empty_last_field_without_newline),
        cmocka_unit_test(test_cr_only_line_ends),
        cmocka_unit_test(test_detect_semicolon_and_unguard),
        cmocka_unit_test(test_guard_tab_and_cr_round_trip),
        cmocka_unit_test(test_raw_text_of_bad_row),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_find_column),
        cmocka_unit_test(test_open_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
