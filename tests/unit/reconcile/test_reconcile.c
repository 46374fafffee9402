/*
 * Unit tests for src/reconcile through rec_run(): the output folder and its
 * headers, rejected rows with file, line and reason, a missing required
 * column, empty and header-only files, CRLF, BOM and quoted newlines, free
 * column order, what counts as a difference, the likely_correct rules R1–R7,
 * swapped and cross-script names, conflicts, --explain, identical output for
 * 1, 2 and 4 threads and the accounting of every input row in summary.json.
 * Each test writes its registers into a fresh temporary folder.
 */
#include "rec_fixture.h"

static const char *const out_files[] = {"matches.csv",       "diffs.csv",     "unmatched_local.csv",
                                        "unmatched_azr.csv", "conflicts.csv", "rejected.csv",
                                        "summary.json",      "report.html"};
#define NOUT (sizeof out_files / sizeof out_files[0])

/* Number of directory entries in dir other than . and ..; names go to
 * stderr when they are not one of the output files. */
static size_t dir_entries(const char *dir, size_t *unexpected)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    *unexpected = 0;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n++;
        int known = 0;
        for (size_t k = 0; k < NOUT; k++)
            known |= !strcmp(e->d_name, out_files[k]);
        if (!known) {
            fprintf(stderr, "unexpected file in the output folder: %s\n", e->d_name);
            (*unexpected)++;
        }
    }
    closedir(d);
    return n;
}

/* Storage for the strings of a base person. */
struct ident {
    char id[16], azr[16], date[12];
};

static const char *const rule_family[] = {"Haddad",  "Nowak",     "Yilmaz",  "Petrov",  "Okafor",
                                          "Berisha", "Kowalski",  "Rahimi",  "Mensah",  "Hoxha",
                                          "Diallo",  "Karimi",    "Celik",   "Popescu", "Ivanova",
                                          "Gashi",   "Tkachenko", "Warsame", "Nguyen",  "Mendes"};
static const char *const rule_given[] = {
    "Omar",    "Piotr", "Mehmet", "Dmytro", "Emeka", "Arben",  "Marek",  "Farhad", "Kwame", "Valon",
    "Mamadou", "Reza",  "Ayse",   "Mihai",  "Olena", "Driton", "Andrii", "Abdi",   "Linh",  "Joao"};

/* A complete person on side 'L' (local) or 'A' (AZR) with record_id L<k> or
 * A<k>; k < 20 picks a distinct identity (name, birth date, AZR number). The
 * AZR side is updated later than the local side. Borrows id for the strings. */
static struct person base_person(int k, char side, struct ident *id)
{
    assert_true(k >= 0 && k < 20);
    /* the same k, with its range visible to the compiler (assert_true is not
     * noreturn), so -O3 can prove the strings below fit their buffers */
    const unsigned n = (unsigned)k % 20u;
    snprintf(id->id, sizeof id->id, "%c%u", side, n);
    snprintf(id->azr, sizeof id->azr, "1000000000%02u", n);
    snprintf(id->date, sizeof id->date, "%04u-%02u-%02u", 1960 + 2 * n, 1 + n % 12, 10 + n % 15);
    return (struct person){.record_id = id->id,
                           .azr_nr = id->azr,
                           .family_name = rule_family[n],
                           .given_names = rule_given[n],
                           .sex = n % 2 ? "f" : "m",
                           .birth_date = id->date,
                           .birth_place = "Aleppo",
                           .birth_country = "SYR",
                           .nationality = "SYR",
                           .residence_status = "duldung",
                           .residence_since = "2019-03-01",
                           .identity_status = "geklaert",
                           .address_street = "Ring 1",
                           .address_postcode = "48143",
                           .address_municipality = "Münster",
                           .authority = "ABH-1",
                           .updated_at =
                               side == 'L' ? "2025-01-01T08:00:00Z" : "2025-06-01T08:00:00Z"};
}

/* Persons 0..n-1 on both sides: l[k] and a[k] are the same person. */
static void base_pairs(struct person *l, struct ident *il, struct person *a, struct ident *ia,
                       int n)
{
    for (int k = 0; k < n; k++) {
        l[k] = base_person(k, 'L', &il[k]);
        a[k] = base_person(k, 'A', &ia[k]);
    }
}

/* Prints a file to stderr (context for a failing assertion). */
static void dump(const struct rec_fx *fx, const char *name)
{
    char path[256];
    fx_path(fx, name, path, sizeof path);
    char *s = slurp(path, NULL);
    fprintf(stderr, "---- %s ----\n%s----\n", name, s ? s : "(missing)\n");
    free(s);
}

/* ---- the output folder ---- */

static void test_output_folder(void **state)
{
    struct rec_fx *fx = *state;
    struct ident il[3], ia[3];
    struct person l[3], a[3];
    base_pairs(l, il, a, ia, 3);
    a[1].birth_place = "Damaskus"; /* one difference */
    a[2].family_name = "Schmidt";  /* a different person: unmatched on both sides */
    a[2].given_names = "Erika";
    a[2].birth_date = "1930-12-24";
    a[2].azr_nr = "999999999999";
    write_register(fx->local, l, 3, 0);
    write_register(fx->azr, a, 3, 0);
    fx_run_ok(fx, 1);

    size_t unexpected = 0;
    assert_int_equal(dir_entries(fx->out, &unexpected), NOUT);
    assert_int_equal(unexpected, 0);

    static const struct {
        const char *file, *header;
        size_t rows;
    } want[] = {
        {"matches.csv", "local_id,azr_id,weight,probability,differences,round", 2},
        {"diffs.csv", "local_id,azr_id,field,local_value,azr_value,likely_correct,reason", 1},
        {"unmatched_local.csv", "record_id,azr_nr,family_name,given_names,birth_date,nationality",
         1},
        {"unmatched_azr.csv", "record_id,azr_nr,family_name,given_names,birth_date,nationality", 1},
        {"conflicts.csv", "kind,local_id,azr_id,weight,detail", 0},
        {"rejected.csv", "file,line,reason", 0},
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        struct table t;
        char head[512];
        table_load(fx, want[k].file, &t);
        table_header(&t, head, sizeof head);
        assert_string_equal(head, want[k].header);
        if (t.nrows != want[k].rows) {
            dump(fx, want[k].file);
            fail_msg("%s: %zu rows, want %zu", want[k].file, t.nrows, want[k].rows);
        }
        table_free(&t);
    }
    struct table t;
    table_load(fx, "matches.csv", &t);
    long r = table_find(&t, "local_id", "L0", "azr_id", "A0");
    assert_true(r >= 0);
    assert_string_equal(cell(&t, r, "differences"), "0");
    assert_true(strtod(cell(&t, r, "weight"), NULL) > 0.0);
    double prob = strtod(cell(&t, r, "probability"), NULL);
    assert_true(prob > 0.5 && prob <= 1.0);
    r = table_find(&t, "local_id", "L1", "azr_id", "A1");
    assert_true(r >= 0);
    assert_string_equal(cell(&t, r, "differences"), "1");
    table_free(&t);
    table_load(fx, "unmatched_local.csv", &t);
    assert_true(table_find(&t, "record_id", "L2", "azr_nr", "100000000002", "family_name", "Yilmaz",
                           "given_names", "Mehmet", "birth_date", "1964-03-12", "nationality",
                           "SYR") >= 0);
    table_free(&t);
    table_load(fx, "unmatched_azr.csv", &t);
    assert_true(table_find(&t, "record_id", "A2", "family_name", "Schmidt") >= 0);
    table_free(&t);

    /* summary.json: the documented sections */
    json_t *j = summary_load(fx);
    static const char *const sections[] = {
        "input", "result", "differences_by_field", "likely_correct", "rules", "model", "timings"};
    for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++)
        if (!json_is_object(json_object_get(j, sections[k])))
            fail_msg("summary.json: no object %s", sections[k]);
    assert_int_equal(sj_int(j, "result", "matches"), 2);
    assert_int_equal(sj_int(j, "result", "unmatched_local"), 1);
    assert_int_equal(sj_int(j, "result", "unmatched_azr"), 1);
    assert_int_equal(sj_int(j, "result", "differences"), 1);
    assert_int_equal(sj_int(j, "differences_by_field", "birth_place"), 1);
    assert_float_equal(sj_real(j, "result", "match_rate_local"), 2.0 / 3.0, 1e-9);
    assert_float_equal(sj_real(j, "result", "discrepant_pair_rate"), 0.5, 1e-9);
    assert_int_equal(sj_int(j, "likely_correct", "unknown"), 1);
    assert_int_equal(sj_int(j, "rules", "unknown"), 1);
    assert_int_equal(sj_int(j, "input", "local_rows"), 3);
    assert_int_equal(sj_int(j, "input", "local_records"), 3);
    assert_int_equal(sj_int(j, "input", "local_rejected"), 0);
    assert_int_equal(sj_int(j, "model", "oversized_blocks_skipped"), 0);
    /* under 20,000 possible pairs: the fixed default model, no EM */
    assert_int_equal(sj_int(j, "model", "em_iterations"), 0);
    assert_float_equal(sj_real(j, "model", "match_share"), 0.5, 1e-9);
    assert_float_equal(sj_real(j, "model", "threshold_weight"), 0.0, 1e-9);
    assert_true(sj_int(j, "model", "candidate_pairs") >= 2);
    json_decref(j);

    /* report.html: a German HTML page with the overview */
    char path[256];
    fx_path(fx, "report.html", path, sizeof path);
    char *html = slurp(path, NULL);
    assert_non_null(html);
    assert_non_null(strstr(html, "<html lang=\"de\""));
    assert_non_null(strstr(html, "Übersicht"));
    /* two bar charts: differences per field, which side is likely right */
    const char *svg = strstr(html, "<svg");
    assert_non_null(svg);
    assert_non_null(strstr(svg + 4, "<svg"));
    assert_non_null(strstr(html, "Geburtsort")); /* the field that differs */
    assert_non_null(strstr(html, "</html>"));
    free(html);

    /* A second run into the same folder replaces the files and leaves no
     * temporary files behind. */
    fx_path(fx, "matches.csv", path, sizeof path);
    char *before = slurp(path, NULL);
    fx_run_ok(fx, 2);
    assert_int_equal(dir_entries(fx->out, &unexpected), NOUT);
    assert_int_equal(unexpected, 0);
    char *after = slurp(path, NULL);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

/* ---- rows that cannot be read ---- */

static void test_rejected_rows(void **state)
{
    struct rec_fx *fx = *state;
    struct ident il[4], ia[4];
    struct person l[4], a[4];
    base_pairs(l, il, a, ia, 4);
    FILE *fp = register_open(fx->local, 0);
    register_put(fp, &l[0], 0);  /* line 2: L0 */
    fputs("L9,,Kaya,Ali\n", fp); /* line 3: too few columns */
    fputs("L8,,Kaya,A\xff"       /* line 4: bad UTF-8 in given_names */
          "li,,m,1990-05-04,,TUR,TUR,,,,,,,,,\n",
          fp);
    fputs(",,Kaya,Ali,,m,1990-05-04,,TUR,TUR,,,,,,,,,\n", fp);         /* line 5: empty id */
    fputs("L0,,Other,Person,,m,1991-05-04,,TUR,TUR,,,,,,,,,\n", fp);   /* line 6: duplicate */
    fputs("L7,,\"Kaya\"x,Ali,,m,1990-05-04,,TUR,TUR,,,,,,,,,\n", fp);  /* line 7: bad quote */
    register_put(fp, &l[1], 0);                                        /* line 8: L1 */
    fputs("  ,,Kaya,Ali,,m,1990-05-04,,TUR,TUR,,,,,,,,,\n", fp);       /* line 9: blank id */
    fputs("L6,,Kaya,Ali,,m,1990-05-04,,TUR,TUR,,,,,,,,,,extra\n", fp); /* line 10: 20 columns */
    register_put(fp, &l[2], 0);                                        /* line 11: L2 */
    fputs("L5,,\"Kaya,Ali,,m,1990-05-04,,TUR,TUR,,,,,,,,,\n", fp);     /* line 12: unclosed */
    register_put(fp, &l[3], 0);                                        /* line 13: L3 */
    register_close(fp);
    fp = register_open(fx->azr, 0);
    for (int k = 0; k < 4; k++)
        register_put(fp, &a[k], 0);                                       /* lines 2–5 */
    fputs("A0,,Dup,Dup,,m,1990-05-04,,TUR,TUR,,,,,,,,,\n", fp);           /* line 6: duplicate */
    fputs("A9,,N\xc3\xbc\xc3,Ali,,m,1990-05-04,,TUR,TUR,,,,,,,,,\n", fp); /* line 7: bad UTF-8 */
    register_close(fp);

    fx_run_ok(fx, 1);
    struct table t;
    table_load(fx, "rejected.csv", &t);
    static const struct {
        int local;
        const char *line, *reason; /* reason: a substring */
    } want[] = {
        {1, "3", "falsche Spaltenzahl"},
        {1, "4", "Feld given_names: ungültiges UTF-8"},
        {1, "5", "record_id"},
        {1, "6", "record_id doppelt: L0"},
        {1, "7", ""},
        {1, "9", "record_id"},
        {1, "10", "falsche Spaltenzahl"},
        {1, "12", ""},
        {0, "6", "record_id doppelt: A0"},
        {0, "7", "Feld family_name: ungültiges UTF-8"},
    };
    size_t nwant = sizeof want / sizeof want[0];
    if (t.nrows != nwant) {
        dump(fx, "rejected.csv");
        fail_msg("rejected.csv: %zu rows, want %zu", t.nrows, nwant);
    }
    for (size_t k = 0; k < nwant; k++) {
        long r = table_find(&t, "file", want[k].local ? fx->local : fx->azr, "line", want[k].line);
        if (r < 0) {
            dump(fx, "rejected.csv");
            fail_msg("no rejected row for %s line %s", want[k].local ? "local" : "azr",
                     want[k].line);
        }
        const char *reason = cell(&t, r, "reason");
        assert_true(strlen(reason) > 3);
        if (!strstr(reason, want[k].reason))
            fail_msg("line %s: reason \"%s\" does not contain \"%s\"", want[k].line, reason,
                     want[k].reason);
    }
    /* the empty record_id is named as the field */
    assert_non_null(strstr(cell(&t, table_find(&t, "line", "5"), "reason"), "leer"));
    table_free(&t);

    /* the run continued: the good rows around the bad ones are linked, and
     * the first L0 stays (the duplicate's "Other" is nowhere) */
    table_load(fx, "matches.csv", &t);
    assert_int_equal(t.nrows, 4);
    for (int k = 0; k < 4; k++)
        assert_true(table_find(&t, "local_id", il[k].id, "azr_id", ia[k].id) >= 0);
    assert_string_equal(cell(&t, table_find(&t, "local_id", "L0"), "differences"), "0");
    table_free(&t);
    table_load(fx, "diffs.csv", &t);
    assert_int_equal(t.nrows, 0);
    table_free(&t);

    json_t *j = summary_load(fx);
    assert_int_equal(sj_int(j, "input", "local_rows"), 12);
    assert_int_equal(sj_int(j, "input", "local_records"), 4);
    assert_int_equal(sj_int(j, "input", "local_rejected"), 8);
    assert_int_equal(sj_int(j, "input", "azr_rows"), 6);
    assert_int_equal(sj_int(j, "input", "azr_records"), 4);
    assert_int_equal(sj_int(j, "input", "azr_rejected"), 2);
    assert_int_equal(sj_int(j, "input", "rejected_not_listed"), 0);
    assert_int_equal(sj_int(j, "input", "local_rows"),
                     sj_int(j, "input", "local_records") + sj_int(j, "input", "local_rejected"));
    assert_int_equal(sj_int(j, "input", "azr_rows"),
                     sj_int(j, "input", "azr_records") + sj_int(j, "input", "azr_rejected"));
    json_decref(j);
}

/* ---- a missing required column ---- */

static void test_missing_required_column(void **state)
{
    struct rec_fx *fx = *state;
    static const char *const required[] = {"record_id", "family_name", "given_names", "birth_date"};
    for (int side = 0; side < 2; side++) {
        for (size_t k = 0; k < 4; k++) {
            fx_reset(fx);
            struct ident il, ia;
            struct person l = base_person(0, 'L', &il), a = base_person(0, 'A', &ia);
            write_register(fx->local, &l, 1, 0);
            write_register(fx->azr, &a, 1, 0);
            /* rewrite one file without the column */
            const char *path = side ? fx->azr : fx->local;
            const char *f[SPEC_COLUMNS], *h[SPEC_COLUMNS], *v[SPEC_COLUMNS];
            person_fields(side ? &a : &l, f);
            size_t n = 0;
            for (int c = 0; c < SPEC_COLUMNS; c++) {
                if (!strcmp(spec_header[c], required[k]))
                    continue;
                h[n] = spec_header[c];
                v[n++] = f[c];
            }
            FILE *fp = fopen(path, "wb");
            assert_non_null(fp);
            put_row(fp, h, n, 0);
            put_row(fp, v, n, 0);
            register_close(fp);

            fn_status rc = fx_run_to(fx, fx->out, 2);
            if (rc != FN_INVALID)
                fail_msg("without %s in %s: %s, want FN_INVALID", required[k], path,
                         fn_status_str(rc));
            if (!strstr(fx->msg, required[k]) || !strstr(fx->msg, path))
                fail_msg("message \"%s\" does not name %s and %s", fx->msg, required[k], path);
            /* one message, one line */
            assert_null(strchr(fx->msg, '\n'));
            /* nothing written */
            for (size_t q = 0; q < NOUT; q++) {
                char p[256];
                fx_path(fx, out_files[q], p, sizeof p);
                if (file_exists(p))
                    fail_msg("%s written although the run failed", out_files[q]);
            }
        }
    }
    /* an output folder that cannot be created is an error naming it */
    {
        fx_reset(fx);
        struct ident il, ia;
        struct person l = base_person(0, 'L', &il), a = base_person(0, 'A', &ia);
        write_register(fx->local, &l, 1, 0);
        write_register(fx->azr, &a, 1, 0);
        char *before = slurp(fx->local, NULL);
        char out[256];
        snprintf(out, sizeof out, "%s/sub", fx->local); /* below a regular file */
        assert_int_not_equal(fx_run_to(fx, out, 1), FN_OK);
        assert_non_null(strstr(fx->msg, out));
        char *after = slurp(fx->local, NULL);
        assert_string_equal(before, after);
        free(before);
        free(after);
    }
    /* a missing file is an error too, and writes nothing */
    fx_reset(fx);
    struct ident ia;
    struct person a = base_person(0, 'A', &ia);
    write_register(fx->azr, &a, 1, 0);
    assert_int_not_equal(fx_run_to(fx, fx->out, 1), FN_OK);
    assert_false(file_exists(fx->out));
}

/* ---- empty files, header only, CRLF, BOM, quoted newlines ---- */

static void check_empty_run(struct rec_fx *fx, long long local_records, long long azr_records)
{
    fx_run_ok(fx, 2);
    json_t *j = summary_load(fx);
    assert_int_equal(sj_int(j, "input", "local_rows"), local_records);
    assert_int_equal(sj_int(j, "input", "local_records"), local_records);
    assert_int_equal(sj_int(j, "input", "azr_records"), azr_records);
    assert_int_equal(sj_int(j, "input", "local_rejected"), 0);
    assert_int_equal(sj_int(j, "input", "azr_rejected"), 0);
    assert_int_equal(sj_int(j, "result", "matches"), 0);
    assert_int_equal(sj_int(j, "result", "unmatched_local"), local_records);
    assert_int_equal(sj_int(j, "result", "unmatched_azr"), azr_records);
    assert_int_equal(sj_int(j, "result", "differences"), 0);
    json_decref(j);
    size_t unexpected = 0;
    assert_int_equal(dir_entries(fx->out, &unexpected), NOUT);
    struct table t;
    table_load(fx, "matches.csv", &t);
    assert_int_equal(t.nrows, 0);
    assert_int_equal(t.ncols, 6);
    table_free(&t);
    table_load(fx, "unmatched_local.csv", &t);
    assert_int_equal(t.nrows, (size_t)local_records);
    table_free(&t);
    table_load(fx, "unmatched_azr.csv", &t);
    assert_int_equal(t.nrows, (size_t)azr_records);
    table_free(&t);
}

static void test_empty_and_header_only(void **state)
{
    struct rec_fx *fx = *state;
    struct ident ia;
    struct person a = base_person(0, 'A', &ia);
    /* empty local file, header-only AZR file */
    fx_reset(fx);
    test_write_file(fx->local, "");
    write_register(fx->azr, NULL, 0, 0);
    check_empty_run(fx, 0, 0);
    /* header only (BOM, CRLF) against an empty file */
    fx_reset(fx);
    write_register(fx->local, NULL, 0, REG_BOM | REG_CRLF);
    test_write_file(fx->azr, "");
    check_empty_run(fx, 0, 0);
    /* both empty; a BOM alone is an empty file */
    fx_reset(fx);
    test_write_file(fx->local, "\xEF\xBB\xBF");
    test_write_file(fx->azr, "");
    check_empty_run(fx, 0, 0);
    /* an empty local register against a filled AZR: all unmatched */
    fx_reset(fx);
    test_write_file(fx->local, "");
    write_register(fx->azr, &a, 1, 0);
    check_empty_run(fx, 0, 1);
    /* header with trailing blank lines only */
    fx_reset(fx);
    write_register(fx->local, NULL, 0, 0);
    FILE *fp = fopen(fx->local, "ab");
    assert_non_null(fp);
    fputs("\n\n", fp);
    register_close(fp);
    write_register(fx->azr, &a, 1, REG_CRLF);
    check_empty_run(fx, 0, 1);
}

static void test_crlf_bom_quoted_newlines(void **state)
{
    struct rec_fx *fx = *state;
    struct ident il[3], ia[3];
    struct person l[3], a[3];
    base_pairs(l, il, a, ia, 3);
    /* a quoted field with a CRLF inside, one with a comma and a quote */
    l[0].address_street = "Ring 1\r\nHinterhaus";
    l[1].aliases = "Nowak|Piotr;\"Nowack\"|Piotr";
    a[1].aliases = "nowak|piotr; \"NOWACK\" | Piotr";
    l[2].address_street = "Hof 3, Seitenflügel";
    a[2].address_street = "Hof 3, Seitenflügel";
    FILE *fp = register_open(fx->local, REG_BOM | REG_CRLF);
    register_put(fp, &l[0], REG_CRLF); /* lines 2–3 */
    fputs("L9,,Kaya,Ali\r\n", fp);     /* line 4: short row after the multi-line row */
    register_put(fp, &l[1], REG_CRLF); /* line 5 */
    register_put(fp, &l[2], REG_CRLF); /* line 6 */
    register_close(fp);
    write_register(fx->azr, a, 3, 0);

    fx_run_ok(fx, 1);
    struct table t;
    table_load(fx, "matches.csv", &t);
    assert_int_equal(t.nrows, 3);
    for (int k = 0; k < 3; k++)
        assert_true(table_find(&t, "local_id", il[k].id, "azr_id", ia[k].id) >= 0);
    /* the BOM is not part of the first column's name, CRLF not part of the last */
    assert_string_equal(cell(&t, table_find(&t, "local_id", "L1"), "differences"), "0");
    assert_string_equal(cell(&t, table_find(&t, "local_id", "L2"), "differences"), "0");
    table_free(&t);
    table_load(fx, "diffs.csv", &t);
    assert_int_equal(t.nrows, 1);
    assert_string_equal(cell(&t, 0, "field"), "address_street");
    assert_string_equal(cell(&t, 0, "local_value"), "Ring 1\r\nHinterhaus");
    assert_string_equal(cell(&t, 0, "azr_value"), "Ring 1");
    assert_string_equal(cell(&t, 0, "likely_correct"), "azr");
    assert_string_equal(cell(&t, 0, "reason"), "R1-later-update");
    table_free(&t);
    table_load(fx, "rejected.csv", &t);
    assert_int_equal(t.nrows, 1);
    assert_string_equal(cell(&t, 0, "line"), "4");
    table_free(&t);
    json_t *j = summary_load(fx);
    assert_int_equal(sj_int(j, "input", "local_rows"), 4);
    assert_int_equal(sj_int(j, "input", "local_records"), 3);
    json_decref(j);

    /* the last row without a line break */
    fp = fopen(fx->azr, "wb");
    assert_non_null(fp);
    put_row(fp, spec_header, SPEC_COLUMNS, REG_CRLF);
    register_put(fp, &a[0], REG_CRLF);
    const char *f[SPEC_COLUMNS];
    person_fields(&a[1], f);
    for (int c = 0; c < SPEC_COLUMNS; c++) {
        if (c)
            fputc(',', fp);
        put_field(fp, f[c]);
    }
    register_close(fp);
    fx_run_ok(fx, 2);
    j = summary_load(fx);
    assert_int_equal(sj_int(j, "input", "azr_records"), 2);
    assert_int_equal(sj_int(j, "input", "azr_rejected"), 0);
    assert_int_equal(sj_int(j, "result", "matches"), 2);
    json_decref(j);
}

/* ---- columns ---- */

static void test_column_order_and_unknown_columns(void **state)
{
    struct rec_fx *fx = *state;
    struct ident il[3], ia[3];
    struct person l[3], a[3];
    base_pairs(l, il, a, ia, 3);
    a[2].birth_place = "Homs";
    write_register(fx->azr, a, 3, 0);
    /* local: reversed column order with two unknown columns in between */
    FILE *fp = fopen(fx->local, "wb");
    assert_non_null(fp);
    const char *h[SPEC_COLUMNS + 2];
    size_t n = 0;
    for (int c = SPEC_COLUMNS - 1; c >= 0; c--) {
        h[n++] = spec_header[c];
        if (c == 10)
            h[n++] = "bemerkung";
        if (c == 3)
            h[n++] = " interne_nr ";
    }
    put_row(fp, h, n, 0);
    for (int k = 0; k < 3; k++) {
        const char *f[SPEC_COLUMNS], *v[SPEC_COLUMNS + 2];
        person_fields(&l[k], f);
        size_t m = 0;
        for (int c = SPEC_COLUMNS - 1; c >= 0; c--) {
            v[m++] = f[c];
            if (c == 10)
                v[m++] = "Akte in Papierform, Ordner 3";
            if (c == 3)
                v[m++] = "4711";
        }
        put_row(fp, v, m, 0);
    }
    register_close(fp);
    fx_run_ok(fx, 1);
    struct table t;
    table_load(fx, "matches.csv", &t);
    assert_int_equal(t.nrows, 3);
    for (int k = 0; k < 3; k++)
        assert_true(table_find(&t, "local_id", il[k].id, "azr_id", ia[k].id) >= 0);
    table_free(&t);
    table_load(fx, "diffs.csv", &t);
    if (t.nrows != 1) {
        dump(fx, "diffs.csv");
        fail_msg("diffs.csv: %zu rows, want 1 (unknown columns must not count)", t.nrows);
    }
    assert_true(table_find(&t, "local_id", "L2", "field", "birth_place", "local_value", "Aleppo",
                           "azr_value", "Homs") >= 0);
    table_free(&t);
    table_load(fx, "rejected.csv", &t);
    assert_int_equal(t.nrows, 0);
    table_free(&t);

    /* a column named twice is an error naming it */
    fp = fopen(fx->local, "wb");
    assert_non_null(fp);
    fputs("record_id,family_name,given_names,birth_date,family_name\n", fp);
    fputs("L0,Haddad,Omar,1960-01-10,Haddad\n", fp);
    register_close(fp);
    test_rmtree(fx->out);
    assert_int_equal(fx_run_to(fx, fx->out, 1), FN_INVALID);
    assert_non_null(strstr(fx->msg, "family_name"));
    assert_non_null(strstr(fx->msg, fx->local));
    assert_false(file_exists(fx->out));

    /* only the required columns: a valid register */
    fp = fopen(fx->local, "wb");
    assert_non_null(fp);
    fputs("birth_date,given_names,family_name,record_id\n", fp);
    fputs("1960-01-10,Omar,Haddad,L0\n", fp);
    register_close(fp);
    fx_run_ok(fx, 1);
    table_load(fx, "matches.csv", &t);
    assert_int_equal(t.nrows, 1);
    assert_true(table_find(&t, "local_id", "L0", "azr_id", "A0") >= 0);
    table_free(&t);
}

/* ---- what counts as a difference, and which side is likely right ---- */

struct want_diff {
    const char *local_id, *field, *local_value, *azr_value, *side, *rule;
};

static void test_differences_and_rules(void **state)
{
    struct rec_fx *fx = *state;
    enum { N = 18 };
    struct ident il[N], ia[N];
    struct person l[N], a[N];
    base_pairs(l, il, a, ia, N);
    /* 0: case and surrounding/repeated blanks only, ASCII and not; the same
     * aliases in another order and spelling of blanks; the same partial date */
    l[0].given_names = "Omar Ali";
    a[0].given_names = "  OMAR   ali ";
    a[0].family_name = " HADDAD";
    l[0].address_municipality = "Münster";
    a[0].address_municipality = "MÜNSTER ";
    l[0].aliases = "Haddad|Omar;Hadad|Omar";
    a[0].aliases = "hadad | omar;HADDAD|OMAR";
    l[0].residence_since = "2019-03-00";
    a[0].residence_since = "2019-03-00";
    l[0].authority = "abh-1";
    /* 1: different spellings, no rule applies (both geklaert) */
    a[1].family_name = "Novak";
    a[1].birth_place = "Aleppo-Stadt";
    /* 2, 3: azr_nr empty on one side; 4: both filled and different */
    l[2].azr_nr = "";
    a[3].azr_nr = "";
    a[4].azr_nr = "100000000099";
    /* 5: R1, the AZR updated later; 6: the local register updated later */
    a[5].residence_status = "aufenthaltserlaubnis";
    a[5].address_street = "Ring 2";
    l[6].updated_at = "2025-09-01T08:00:00Z";
    l[6].authority = "ABH-2";
    l[6].residence_since = "2024-11-15";
    /* 7: R2 for the local side (geklaert) on a name spelling; the identity
     * status itself is decided by R1 */
    a[7].family_name = "Rahimy";
    a[7].identity_status = "ungeklaert";
    /* 8: R2 for the AZR side on the birth place */
    l[8].identity_status = "in_klaerung";
    l[8].birth_place = "Alepo";
    l[8].updated_at = "2025-08-01T08:00:00Z";
    /* 9, 10, 11: R3 full date over placeholder, year-only, year-month */
    a[9].birth_date = "1978-01-01";
    l[10].birth_date = "1980-00-00";
    l[11].birth_date = "1982-12-00";
    /* 12: R4 missing middle name; 13: R4 before R2 */
    l[12].given_names = "Ayse Nur";
    l[13].given_names = "Mihai";
    a[13].given_names = "Mihai Ion";
    a[13].identity_status = "ungeklaert";
    /* 14: R7 known over unknown (before R1: the local side is newer) */
    l[14].nationality = "XXX";
    a[14].sex = "u";
    l[14].residence_status = "unbekannt";
    l[14].updated_at = "2025-12-01T08:00:00Z";
    /* 15: R5 for other fields */
    l[15].birth_place = "";
    a[15].birth_name = "Gashi-Krasniqi";
    /* 16: no rule: same identity status, a different country; equal updated_at */
    l[16].identity_status = "ungeklaert";
    a[16].identity_status = "ungeklaert";
    a[16].birth_country = "XKX";
    a[16].updated_at = l[16].updated_at;
    a[16].residence_status = "gestattung";
    /* 17: a different year is not R3; no updated_at on one side */
    a[17].birth_date = "1995-06-12";
    l[17].updated_at = "";
    l[17].address_postcode = "48149";
    write_register(fx->local, l, N, 0);
    write_register(fx->azr, a, N, 0);
    fx_run_ok(fx, 2);

    static const struct want_diff want[] = {
        {"L1", "family_name", "Nowak", "Novak", "unknown", "unknown"},
        {"L1", "birth_place", "Aleppo", "Aleppo-Stadt", "unknown", "unknown"},
        {"L2", "azr_nr", "", "100000000002", "azr", "R5-filled-over-empty"},
        {"L3", "azr_nr", "100000000003", "", "local", "R5-filled-over-empty"},
        {"L4", "azr_nr", "100000000004", "100000000099", "azr", "R6-azr-issues-azr-nr"},
        {"L5", "residence_status", "duldung", "aufenthaltserlaubnis", "azr", "R1-later-update"},
        {"L5", "address_street", "Ring 1", "Ring 2", "azr", "R1-later-update"},
        {"L6", "residence_since", "2024-11-15", "2019-03-01", "local", "R1-later-update"},
        {"L6", "authority", "ABH-2", "ABH-1", "local", "R1-later-update"},
        {"L7", "family_name", "Rahimi", "Rahimy", "local", "R2-document-backed-identity"},
        {"L7", "identity_status", "geklaert", "ungeklaert", "azr", "R1-later-update"},
        {"L8", "birth_place", "Alepo", "Aleppo", "azr", "R2-document-backed-identity"},
        {"L8", "identity_status", "in_klaerung", "geklaert", "local", "R1-later-update"},
        {"L9", "birth_date", "1978-10-19", "1978-01-01", "local", "R3-full-date-over-placeholder"},
        {"L10", "birth_date", "1980-00-00", "1980-11-20", "azr", "R3-full-date-over-placeholder"},
        {"L11", "birth_date", "1982-12-00", "1982-12-21", "azr", "R3-full-date-over-placeholder"},
        {"L12", "given_names", "Ayse Nur", "Ayse", "local", "R4-fuller-name"},
        {"L13", "given_names", "Mihai", "Mihai Ion", "azr", "R4-fuller-name"},
        {"L13", "identity_status", "geklaert", "ungeklaert", "azr", "R1-later-update"},
        {"L14", "nationality", "XXX", "SYR", "azr", "R7-known-over-unknown"},
        {"L14", "sex", "m", "u", "local", "R7-known-over-unknown"},
        {"L14", "residence_status", "unbekannt", "duldung", "azr", "R7-known-over-unknown"},
        {"L15", "birth_place", "", "Aleppo", "azr", "R5-filled-over-empty"},
        {"L15", "birth_name", "", "Gashi-Krasniqi", "azr", "R5-filled-over-empty"},
        {"L16", "birth_country", "SYR", "XKX", "unknown", "unknown"},
        {"L16", "residence_status", "duldung", "gestattung", "unknown", "unknown"},
        {"L17", "birth_date", "1994-06-12", "1995-06-12", "unknown", "unknown"},
        {"L17", "address_postcode", "48149", "48143", "unknown", "unknown"},
    };
    struct table t;
    table_load(fx, "matches.csv", &t);
    if (t.nrows != N)
        dump(fx, "matches.csv");
    assert_int_equal(t.nrows, N);
    for (int k = 0; k < N; k++)
        if (table_find(&t, "local_id", il[k].id, "azr_id", ia[k].id) < 0) {
            dump(fx, "matches.csv");
            fail_msg("%s not linked to %s", il[k].id, ia[k].id);
        }
    table_free(&t);

    table_load(fx, "diffs.csv", &t);
    const size_t nwant = sizeof want / sizeof want[0];
    for (size_t k = 0; k < nwant; k++) {
        long r = table_find(&t, "local_id", want[k].local_id, "field", want[k].field);
        if (r < 0) {
            dump(fx, "diffs.csv");
            fail_msg("no difference %s %s", want[k].local_id, want[k].field);
        }
        const char *lid = want[k].local_id;
        char aid[8];
        snprintf(aid, sizeof aid, "A%s", lid + 1);
        assert_string_equal(cell(&t, r, "azr_id"), aid);
        if (strcmp(cell(&t, r, "local_value"), want[k].local_value) ||
            strcmp(cell(&t, r, "azr_value"), want[k].azr_value) ||
            strcmp(cell(&t, r, "likely_correct"), want[k].side) ||
            strcmp(cell(&t, r, "reason"), want[k].rule))
            fail_msg("%s %s: got %s | %s | %s | %s, want %s | %s | %s | %s", lid, want[k].field,
                     cell(&t, r, "local_value"), cell(&t, r, "azr_value"),
                     cell(&t, r, "likely_correct"), cell(&t, r, "reason"), want[k].local_value,
                     want[k].azr_value, want[k].side, want[k].rule);
    }
    if (t.nrows != nwant) {
        dump(fx, "diffs.csv");
        fail_msg("diffs.csv: %zu rows, want %zu", t.nrows, nwant);
    }
    /* record_id and updated_at are never a difference; L0 differs only in
     * case and blanks */
    assert_int_equal(table_count(&t, "field", "record_id"), 0);
    assert_int_equal(table_count(&t, "field", "updated_at"), 0);
    assert_int_equal(table_count(&t, "local_id", "L0"), 0);
    table_free(&t);

    /* the counts in summary.json agree with diffs.csv */
    json_t *j = summary_load(fx);
    assert_int_equal(sj_int(j, "result", "differences"), (long long)nwant);
    assert_int_equal(sj_int(j, "rules", "R1-later-update"), 7);
    assert_int_equal(sj_int(j, "rules", "R2-document-backed-identity"), 2);
    assert_int_equal(sj_int(j, "rules", "R3-full-date-over-placeholder"), 3);
    assert_int_equal(sj_int(j, "rules", "R4-fuller-name"), 2);
    assert_int_equal(sj_int(j, "rules", "R5-filled-over-empty"), 4);
    assert_int_equal(sj_int(j, "rules", "R6-azr-issues-azr-nr"), 1);
    assert_int_equal(sj_int(j, "rules", "R7-known-over-unknown"), 3);
    assert_int_equal(sj_int(j, "rules", "unknown"), 6);
    assert_int_equal(sj_int(j, "likely_correct", "unknown"), 6);
    assert_int_equal(sj_int(j, "likely_correct", "local") + sj_int(j, "likely_correct", "azr") +
                         sj_int(j, "likely_correct", "unknown"),
                     (long long)nwant);
    assert_int_equal(sj_int(j, "differences_by_field", "azr_nr"), 3);
    assert_int_equal(sj_int(j, "result", "matches_with_differences"), N - 1);
    json_decref(j);
}

/* ---- names across scripts and orders ---- */

static void test_swapped_and_cross_script_names(void **state)
{
    struct rec_fx *fx = *state;
    enum { N = 7 };
    struct ident il[N], ia[N];
    struct person l[N], a[N];
    for (int k = 0; k < N; k++) {
        l[k] = base_person(k, 'L', &il[k]);
        a[k] = base_person(k, 'A', &ia[k]);
        l[k].azr_nr = ""; /* no help from the AZR number */
    }
    /* 0: family and given names swapped */
    l[0].family_name = "Hassan";
    l[0].given_names = "Karim";
    a[0].family_name = "Karim";
    a[0].given_names = "Hassan";
    /* 1: Cyrillic on the local side */
    l[1].family_name = "Щербаков";
    l[1].given_names = "Иван";
    a[1].family_name = "Shcherbakov";
    a[1].given_names = "Ivan";
    /* 2: Arabic given name */
    l[2].family_name = "Haddad";
    l[2].given_names = "محمد";
    a[2].family_name = "Haddad";
    a[2].given_names = "Mohammed";
    /* 3: Cyrillic family name with a German transcription on the AZR side */
    l[3].family_name = "Джабраилов";
    l[3].given_names = "Руслан";
    a[3].family_name = "Dschabrailow";
    a[3].given_names = "Ruslan";
    /* 4–6: distractors with similar names but other dates and places stay
     * apart from 0–3 (each links only to its own partner) */
    l[4].family_name = a[4].family_name = "Shcherbakova";
    l[4].given_names = a[4].given_names = "Irina";
    l[5].family_name = a[5].family_name = "Hassan";
    l[5].given_names = a[5].given_names = "Karima";
    l[6].family_name = a[6].family_name = "Haddad";
    l[6].given_names = a[6].given_names = "Ahmed";
    write_register(fx->local, l, N, 0);
    write_register(fx->azr, a, N, 0);
    fx_run_ok(fx, 1);
    struct table t;
    table_load(fx, "matches.csv", &t);
    for (int k = 0; k < N; k++)
        if (table_find(&t, "local_id", il[k].id, "azr_id", ia[k].id) < 0) {
            dump(fx, "matches.csv");
            dump(fx, "conflicts.csv");
            fail_msg("%s (%s %s) not linked to %s (%s %s)", il[k].id, l[k].family_name,
                     l[k].given_names, ia[k].id, a[k].family_name, a[k].given_names);
        }
    assert_int_equal(t.nrows, N);
    table_free(&t);
    /* the script difference is reported as what it is: a different spelling */
    table_load(fx, "diffs.csv", &t);
    assert_true(table_find(&t, "local_id", "L1", "field", "family_name", "local_value", "Щербаков",
                           "azr_value", "Shcherbakov") >= 0);
    assert_true(table_find(&t, "local_id", "L2", "field", "given_names", "local_value", "محمد",
                           "azr_value", "Mohammed") >= 0);
    table_free(&t);
}

/* ---- conflicts ---- */

static void test_conflicts(void **state)
{
    struct rec_fx *fx = *state;
    enum { NL = 5, NA = 6 };
    struct ident il[NL], ia[NA];
    struct person l[NL], a[NA];
    for (int k = 0; k < NA; k++) {
        if (k < NL)
            l[k] = base_person(k, 'L', &il[k]);
        a[k] = base_person(k, 'A', &ia[k]);
    }
    /* L1 claims A0 as well (same person, a second given name, the same AZR
     * number); A1 is someone else entirely */
    l[1] = base_person(0, 'L', &il[1]);
    snprintf(il[1].id, sizeof il[1].id, "L1");
    l[1].given_names = "Omar Ali";
    a[1].family_name = "Schmidt";
    a[1].given_names = "Erika";
    a[1].birth_date = "1931-07-02";
    a[1].azr_nr = "999999999991";
    /* L2 and L3 are the same record under two ids, both claiming A2 */
    l[3] = base_person(2, 'L', &il[3]);
    snprintf(il[3].id, sizeof il[3].id, "L3");
    a[3].family_name = "Meyer";
    a[3].given_names = "Hans";
    a[3].birth_date = "1933-03-03";
    a[3].azr_nr = "999999999993";
    /* A4 and A5 are the same record under two ids: L4's best weight is tied */
    a[5] = base_person(4, 'A', &ia[5]);
    snprintf(ia[5].id, sizeof ia[5].id, "A5");
    write_register(fx->local, l, NL, 0);
    write_register(fx->azr, a, NA, 0);
    fx_run_ok(fx, 2);

    struct table m, c;
    table_load(fx, "matches.csv", &m);
    table_load(fx, "conflicts.csv", &c);
    /* L0 wins A0; L1 is reported, not linked */
    assert_true(table_find(&m, "local_id", "L0", "azr_id", "A0") >= 0);
    assert_int_equal(table_count(&m, "azr_id", "A0"), 1);
    assert_int_equal(table_count(&m, "local_id", "L1"), 0);
    long r = table_find(&c, "kind", "contested", "local_id", "L1", "azr_id", "A0");
    if (r < 0) {
        dump(fx, "conflicts.csv");
        fail_msg("no contested row for L1 / A0");
    }
    assert_true(strtod(cell(&c, r, "weight"), NULL) > 0.0);
    assert_true(strlen(cell(&c, r, "detail")) > 10);
    /* L1 carries A0's AZR number but is not its partner */
    assert_true(table_find(&c, "kind", "azr_nr_other_person", "local_id", "L1", "azr_id", "A0") >=
                0);
    /* A2 is linked at most once; the other claimant is in conflicts.csv */
    size_t a2 = table_count(&m, "azr_id", "A2");
    assert_true(a2 <= 1);
    size_t claims = 0;
    for (size_t q = 0; q < c.nrows; q++)
        claims += !strcmp(cell(&c, (long)q, "azr_id"), "A2") &&
                  strcmp(cell(&c, (long)q, "kind"), "azr_nr_other_person") != 0;
    if (claims + a2 != 2) {
        dump(fx, "matches.csv");
        dump(fx, "conflicts.csv");
        fail_msg("L2 and L3 claim A2: %zu links and %zu conflict rows", a2, claims);
    }
    /* L4 between two equal AZR records: tied, reported, neither linked */
    r = table_find(&c, "kind", "tied", "local_id", "L4");
    if (r < 0) {
        dump(fx, "conflicts.csv");
        fail_msg("no tied row for L4");
    }
    assert_true(!strcmp(cell(&c, r, "azr_id"), "A4") || !strcmp(cell(&c, r, "azr_id"), "A5"));
    assert_int_equal(table_count(&m, "local_id", "L4"), 0);
    assert_int_equal(table_count(&m, "azr_id", "A4"), 0);
    assert_int_equal(table_count(&m, "azr_id", "A5"), 0);
    /* no local record is linked twice, no AZR record is linked twice */
    for (size_t q = 0; q < m.nrows; q++) {
        assert_int_equal(table_count(&m, "local_id", cell(&m, (long)q, "local_id")), 1);
        assert_int_equal(table_count(&m, "azr_id", cell(&m, (long)q, "azr_id")), 1);
    }
    /* every kind is one of the documented ones */
    for (size_t q = 0; q < c.nrows; q++) {
        const char *k = cell(&c, (long)q, "kind");
        assert_true(!strcmp(k, "contested") || !strcmp(k, "tied") ||
                    !strcmp(k, "azr_nr_other_person"));
    }
    json_t *j = summary_load(fx);
    assert_int_equal(sj_int(j, "result", "conflicts"), (long long)c.nrows);
    assert_int_equal(sj_int(j, "result", "matches"), (long long)m.nrows);
    size_t nmatches = m.nrows;
    json_decref(j);
    table_free(&m);
    table_free(&c);
    /* the unlinked claimants are in the unmatched lists */
    table_load(fx, "unmatched_local.csv", &m);
    assert_true(table_find(&m, "record_id", "L1") >= 0);
    assert_true(table_find(&m, "record_id", "L4") >= 0);
    assert_int_equal(m.nrows, NL - nmatches);
    table_free(&m);
    table_load(fx, "unmatched_azr.csv", &m);
    assert_true(table_find(&m, "record_id", "A4") >= 0);
    assert_true(table_find(&m, "record_id", "A5") >= 0);
    assert_int_equal(m.nrows, NA - nmatches);
    table_free(&m);
}

/* ---- blocking limits, many threads on small inputs, a million bad rows ---- */

static void test_oversized_blocks_counted(void **state)
{
    struct rec_fx *fx = *state;
    /* 2,100 AZR records share names, birth place and birth year (over the
     * block limit for every name key); only the AZR number tells them
     * apart */
    enum { NA = 2100, PARTNER = 777 };
    char ids[16], given[64], azr[16];
    FILE *fp = register_open(fx->azr, 0);
    struct person p;
    struct ident id;
    for (int i = 0; i < NA; i++) {
        p = base_person(0, 'A', &id);
        snprintf(ids, sizeof ids, "A%04d", i);
        snprintf(given, sizeof given, "%s", gen_given[0]);
        snprintf(azr, sizeof azr, "10000000%04d", i);
        p.record_id = ids;
        p.azr_nr = azr;
        p.family_name = "Mohammad";
        p.given_names = given;
        p.birth_date = "1990-00-00";
        p.birth_place = "Aleppo";
        register_put(fp, &p, 0);
        if (i == PARTNER) {
            /* the local twin of this record */
            struct person l = p;
            l.record_id = "L0";
            l.updated_at = "2025-01-01T08:00:00Z";
            write_register(fx->local, &l, 1, 0);
        }
    }
    register_close(fp);
    fx_run_ok(fx, 2);
    json_t *j = summary_load(fx);
    long long skipped = sj_int(j, "model", "oversized_blocks_skipped");
    if (skipped < 1)
        fail_msg("oversized_blocks_skipped = %lld, want >= 1", skipped);
    assert_int_equal(sj_int(j, "input", "azr_records"), NA);
    json_decref(j);
    /* the other keys still find the partner */
    struct table t;
    table_load(fx, "matches.csv", &t);
    char want[16];
    snprintf(want, sizeof want, "A%04d", PARTNER);
    if (table_find(&t, "local_id", "L0", "azr_id", want) < 0) {
        dump(fx, "matches.csv");
        fail_msg("L0 not linked to %s", want);
    }
    assert_int_equal(t.nrows, 1);
    table_free(&t);
}

static void test_threads_small_inputs(void **state)
{
    struct rec_fx *fx = *state;
    struct ident il[3], ia[3];
    struct person l[3], a[3];
    base_pairs(l, il, a, ia, 3);
    a[1].birth_place = "Damaskus";
    write_register(fx->local, l, 3, 0);
    write_register(fx->azr, a, 3, 0);
    /* more threads than records, and more than any sane machine has */
    static const int threads[] = {1, 0, 3, 7, 64, 200};
    char *first[2] = {NULL, NULL};
    static const char *const files[2] = {"matches.csv", "diffs.csv"};
    for (size_t k = 0; k < sizeof threads / sizeof threads[0]; k++) {
        fn_status rc = fx_run_to(fx, fx->out, threads[k]);
        if (rc != FN_OK)
            fail_msg("threads %d: %s (%s)", threads[k], fn_status_str(rc), fx->msg);
        for (int f = 0; f < 2; f++) {
            char path[256];
            fx_path(fx, files[f], path, sizeof path);
            char *s = slurp(path, NULL);
            assert_non_null(s);
            if (!first[f]) {
                first[f] = s;
                continue;
            }
            if (strcmp(first[f], s) != 0)
                fail_msg("%s with %d threads differs from 1 thread", files[f], threads[k]);
            free(s);
        }
    }
    assert_non_null(strstr(first[1], "L1,A1,birth_place,Aleppo,Damaskus,unknown,unknown"));
    free(first[0]);
    free(first[1]);
}

static void test_million_rejected_rows_counted(void **state)
{
    struct rec_fx *fx = *state;
    struct ident il, ia;
    struct person l = base_person(0, 'L', &il), a = base_person(0, 'A', &ia);
    /* one good record, then 1,000,005 rows of one field each */
    enum { BAD = 1000005 };
    FILE *fp = register_open(fx->local, 0);
    register_put(fp, &l, 0);
    for (int i = 0; i < BAD; i++)
        fputs("x\n", fp);
    register_close(fp);
    write_register(fx->azr, &a, 1, 0);
    fx_run_ok(fx, 2);
    json_t *j = summary_load(fx);
    assert_int_equal(sj_int(j, "input", "local_rows"), BAD + 1);
    assert_int_equal(sj_int(j, "input", "local_records"), 1);
    assert_int_equal(sj_int(j, "input", "local_rejected"), BAD);
    assert_int_equal(sj_int(j, "input", "rejected_not_listed"), BAD - 1000000);
    assert_int_equal(sj_int(j, "result", "matches"), 1);
    json_decref(j);
    /* the first million are listed, with their lines */
    char path[256];
    fx_path(fx, "rejected.csv", path, sizeof path);
    size_t len = 0;
    char *s = slurp(path, &len);
    assert_non_null(s);
    size_t lines = 0;
    for (size_t k = 0; k < len; k++)
        lines += s[k] == '\n';
    assert_int_equal(lines, 1 + 1000000);
    char first[256];
    snprintf(first, sizeof first, "file,line,reason\n%s,3,", fx->local);
    assert_memory_equal(s, first, strlen(first));
    free(s);
}

/* ---- --explain ---- */

/* The text an explanation wrote; the caller owns it and frees text. It lives
 * in the caller, not in explain(): open_memstream keeps the addresses of text
 * and len, and gcc -O3 would otherwise see the caller's pointers into the text
 * as pointers into explain()'s dead locals (-Wdangling-pointer). */
struct explained {
    char *text;
    size_t len;
};

static void explain(struct rec_fx *fx, const char *id, const char *out, fn_status *rc,
                    struct explained *e)
{
    e->text = NULL;
    e->len = 0;
    FILE *mem = open_memstream(&e->text, &e->len);
    assert_non_null(mem);
    struct rec_options o = {.local_path = fx->local,
                            .central_path = fx->azr,
                            .out_dir = out,
                            .explain_id = id,
                            .explain_out = mem,
                            .threads = 2};
    *rc = rec_run(&o, fx->msg, sizeof fx->msg);
    assert_int_equal(fclose(mem), 0);
}

static void test_explain(void **state)
{
    struct rec_fx *fx = *state;
    struct ident il[3], ia[3];
    struct person l[3], a[3];
    base_pairs(l, il, a, ia, 3);
    a[0].birth_place = "Damaskus";
    /* L2 shares no blocking key with any AZR record */
    l[2].family_name = "Zzyzx";
    l[2].given_names = "Quorra";
    l[2].birth_date = "1901-00-00";
    l[2].birth_place = "";
    l[2].azr_nr = "";
    write_register(fx->local, l, 3, 0);
    write_register(fx->azr, a, 3, 0);

    fn_status rc;
    struct explained e;
    explain(fx, "L0", NULL, &rc, &e);
    char *text = e.text;
    assert_int_equal(rc, FN_OK);
    /* no output folder without out_dir */
    assert_false(file_exists(fx->out));
    if (!strstr(text, "L0") || !strstr(text, "Haddad") ||
        !strstr(text, "zugeordnet zu AZR-Datensatz A0") || !strstr(text, "Schwelle"))
        fail_msg("explanation lacks the record or the link:\n%s", text);
    /* the candidate A0 with its weight and ten per-field lines whose
     * contributions add up to the weight */
    const char *p = strstr(text, "AZR A0:");
    if (!p)
        fail_msg("no candidate A0:\n%s", text);
    const char *g = strstr(p, "Gewicht ");
    assert_non_null(g);
    double weight = strtod(g + strlen("Gewicht "), NULL);
    static const char *const labels[] = {
        "AZR-Nummer", "Familienname",        "Vornamen",     "Geburtsdatum", "Geschlecht",
        "Geburtsort", "Staatsangehörigkeit", "Geburtsstaat", "Anschrift",    "Aufenthalt seit"};
    double sum = 0;
    const char *line = strchr(g, '\n');
    for (size_t f = 0; f < sizeof labels / sizeof labels[0]; f++) {
        assert_non_null(line);
        line++;
        const char *eol = strchr(line, '\n');
        assert_non_null(eol);
        char buf[160];
        snprintf(buf, sizeof buf, "%.*s", (int)(eol - line), line);
        if (!strstr(buf, labels[f]))
            fail_msg("line \"%s\": want field %s", buf, labels[f]);
        if (f == 1 && !strstr(buf, "exakt"))
            fail_msg("family name level: \"%s\", want exakt", buf);
        const char *num = strrchr(buf, ' ');
        assert_non_null(num);
        sum += strtod(num + 1, NULL);
        line = eol;
    }
    assert_true(weight > 0.0);
    assert_float_equal(sum, weight, 0.05);
    free(text);

    /* a record with no candidates says so */
    explain(fx, "L2", NULL, &rc, &e);
    text = e.text;
    assert_int_equal(rc, FN_OK);
    if (!strstr(text, "L2") || !strstr(text, "nicht zugeordnet") ||
        !strstr(text, "Keine Kandidaten"))
        fail_msg("explanation of L2:\n%s", text);
    free(text);

    /* with an output folder, explanation and output both */
    explain(fx, "L1", fx->out, &rc, &e);
    text = e.text;
    assert_int_equal(rc, FN_OK);
    assert_non_null(strstr(text, "zugeordnet zu AZR-Datensatz A1"));
    free(text);
    size_t unexpected = 0;
    assert_int_equal(dir_entries(fx->out, &unexpected), NOUT);
    test_rmtree(fx->out);

    /* an unknown id: FN_NOTFOUND with a message naming it, nothing written */
    explain(fx, "NOPE", fx->out, &rc, &e);
    text = e.text;
    assert_int_equal(rc, FN_NOTFOUND);
    if (!strstr(fx->msg, "NOPE"))
        fail_msg("message \"%s\" does not name the id", fx->msg);
    assert_false(file_exists(fx->out));
    free(text);
}

/* ---- a larger generated pair of registers: threads and accounting ---- */

static size_t csv_rows(const struct rec_fx *fx, const char *name)
{
    struct table t;
    table_load(fx, name, &t);
    size_t n = t.nrows;
    table_free(&t);
    return n;
}

static void test_generated_threads_and_accounting(void **state)
{
    struct rec_fx *fx = *state;
    struct gen_truth truth;
    const uint32_t n = 5000; /* more than two chunks of 2048 local records */
    gen_registers(fx, n, &truth);

    char out[3][192];
    const int threads[3] = {1, 2, 4};
    for (int k = 0; k < 3; k++) {
        snprintf(out[k], sizeof out[k], "%s/out%d", fx->dir, threads[k]);
        fn_status rc = fx_run_to(fx, out[k], threads[k]);
        if (rc != FN_OK)
            fail_msg("threads %d: %s (%s)", threads[k], fn_status_str(rc), fx->msg);
    }
    /* byte-identical output, summary.json but for the timings */
    for (size_t f = 0; f < NOUT; f++) {
        char p0[256], p1[256];
        snprintf(p0, sizeof p0, "%s/%s", out[0], out_files[f]);
        size_t l0 = 0;
        char *s0 = slurp(p0, &l0);
        assert_non_null(s0);
        for (int k = 1; k < 3; k++) {
            snprintf(p1, sizeof p1, "%s/%s", out[k], out_files[f]);
            size_t l1 = 0;
            char *s1 = slurp(p1, &l1);
            assert_non_null(s1);
            if (!strcmp(out_files[f], "summary.json")) {
                json_t *j0 = json_loads(s0, 0, NULL), *j1 = json_loads(s1, 0, NULL);
                assert_non_null(j0);
                assert_non_null(j1);
                assert_int_equal(json_object_del(j0, "timings"), 0);
                assert_int_equal(json_object_del(j1, "timings"), 0);
                if (!json_equal(j0, j1))
                    fail_msg("summary.json differs between 1 and %d threads", threads[k]);
                /* and the same text, not only the same values */
                char *t0 = json_dumps(j0, JSON_PRESERVE_ORDER | JSON_INDENT(2));
                char *t1 = json_dumps(j1, JSON_PRESERVE_ORDER | JSON_INDENT(2));
                assert_string_equal(t0, t1);
                free(t0);
                free(t1);
                json_decref(j0);
                json_decref(j1);
            } else if (l0 != l1 || memcmp(s0, s1, l0) != 0) {
                fail_msg("%s differs between 1 and %d threads", out_files[f], threads[k]);
            }
            free(s1);
        }
        free(s0);
    }

    /* every row accounted for */
    snprintf(fx->out, sizeof fx->out, "%s", out[1]);
    json_t *j = summary_load(fx);
    long long lrows = sj_int(j, "input", "local_rows"), lrec = sj_int(j, "input", "local_records");
    long long arows = sj_int(j, "input", "azr_rows"), arec = sj_int(j, "input", "azr_records");
    assert_int_equal(lrows, (long long)truth.local_rows);
    assert_int_equal(arows, (long long)truth.azr_rows);
    assert_int_equal(sj_int(j, "input", "local_rejected"), (long long)truth.local_bad);
    assert_int_equal(sj_int(j, "input", "azr_rejected"), (long long)truth.azr_bad);
    assert_int_equal(lrows, lrec + sj_int(j, "input", "local_rejected"));
    assert_int_equal(arows, arec + sj_int(j, "input", "azr_rejected"));
    assert_int_equal(csv_rows(fx, "rejected.csv"), truth.local_bad + truth.azr_bad);
    long long nm = sj_int(j, "result", "matches");
    assert_int_equal(csv_rows(fx, "matches.csv"), (size_t)nm);
    assert_int_equal(sj_int(j, "result", "unmatched_local"), lrec - nm);
    assert_int_equal(sj_int(j, "result", "unmatched_azr"), arec - nm);
    assert_int_equal(csv_rows(fx, "unmatched_local.csv"), (size_t)(lrec - nm));
    assert_int_equal(csv_rows(fx, "unmatched_azr.csv"), (size_t)(arec - nm));
    assert_int_equal(csv_rows(fx, "conflicts.csv"), (size_t)sj_int(j, "result", "conflicts"));
    long long nd = sj_int(j, "result", "differences");
    assert_int_equal(csv_rows(fx, "diffs.csv"), (size_t)nd);
    /* the breakdowns add up */
    long long by_field = 0, by_rule = 0;
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(j, "differences_by_field"), key, v)
    {
        by_field += json_integer_value(v);
    }
    json_object_foreach(json_object_get(j, "rules"), key, v)
    {
        by_rule += json_integer_value(v);
    }
    assert_int_equal(by_field, nd);
    assert_int_equal(by_rule, nd);
    assert_int_equal(sj_int(j, "likely_correct", "local") + sj_int(j, "likely_correct", "azr") +
                         sj_int(j, "likely_correct", "unknown"),
                     nd);
    /* this input is above the small-input limit: the model is estimated */
    assert_true(sj_int(j, "model", "em_iterations") > 0);

    /* the links are right: precision and recall against the generator */
    struct table m;
    table_load(fx, "matches.csv", &m);
    size_t correct = 0;
    long long diff_sum = 0;
    for (size_t q = 0; q < m.nrows; q++) {
        const char *lid = cell(&m, (long)q, "local_id"), *aid = cell(&m, (long)q, "azr_id");
        correct += !strcmp(lid + 1, aid + 1);
        diff_sum += strtoll(cell(&m, (long)q, "differences"), NULL, 10);
    }
    assert_int_equal(diff_sum, nd);
    size_t wrong = m.nrows - correct;
    fprintf(stderr, "generated: %zu shared, %zu linked (%zu wrong), %lld differences\n",
            truth.shared, m.nrows, wrong, nd);
    if (wrong * 200 > m.nrows)
        fail_msg("%zu of %zu links are wrong", wrong, m.nrows);
    if (correct * 100 < truth.shared * 97)
        fail_msg("only %zu of %zu shared persons linked", correct, truth.shared);
    table_free(&m);
    /* the case-only persons have no family_name difference; typos do */
    struct table d;
    table_load(fx, "diffs.csv", &d);
    size_t typo_diffs = 0;
    for (uint32_t k = 0; k < n; k++) {
        if (k % 11 == 7 || k % 13 == 5)
            continue;
        char lid[16], aid[16];
        snprintf(lid, sizeof lid, "L%05u", k);
        snprintf(aid, sizeof aid, "A%05u", k);
        long r = table_find(&d, "local_id", lid, "azr_id", aid, "field", "family_name");
        if (k % 9 == 2)
            typo_diffs += r >= 0;
        else if (k % 31 != 4 && k % 10 == 6 && r >= 0)
            fail_msg("%s: case-only family name reported as a difference", lid);
    }
    if (typo_diffs * 100 < truth.family_typos * 95)
        fail_msg("only %zu of %zu family-name typos reported", typo_diffs, truth.family_typos);
    table_free(&d);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        rec_test(test_output_folder),
        rec_test(test_rejected_rows),
        rec_test(test_missing_required_column),
        rec_test(test_empty_and_header_only),
        rec_test(test_crlf_bom_quoted_newlines),
        rec_test(test_column_order_and_unknown_columns),
        rec_test(test_differences_and_rules),
        rec_test(test_swapped_and_cross_script_names),
        rec_test(test_conflicts),
        rec_test(test_oversized_blocks_counted),
        rec_test(test_threads_small_inputs),
        rec_test(test_million_rejected_rows_counted),
        rec_test(test_explain),
        rec_test(test_generated_threads_and_accounting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
