/* Unit tests for src/model/register: header layout, row validation with
 * field-naming messages, and write/read round trip. */
#include "../test_util.h"

#include "core/alloc.h"
#include "model/register.h"

/* Parses text (header + rows) and returns the reader positioned after the
 * header, with the layout filled. */
static struct fn_csv_reader *open_text(const char *text, FILE **fp, struct register_layout *l)
{
    *fp = fmemopen((void *)text, strlen(text), "rb");
    struct fn_csv_reader *r = NULL;
    assert_int_equal(fn_csv_open_stream(*fp, "t.csv", &r), FN_OK);
    struct fn_csv_row row;
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    char msg[128];
    assert_int_equal(register_layout_from_header(&row, l, msg, sizeof msg), FN_OK);
    return r;
}

static fn_status row_result(struct fn_csv_reader *r, const struct register_layout *l,
                            struct model_person **p, char *msg)
{
    struct fn_csv_row row;
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    return register_row_to_person(l, &row, p, msg, 256);
}

static void test_header(void **state)
{
    (void)state;
    const char *text = "family_name, record_id ,foo,aliases\n";
    FILE *fp = fmemopen((void *)text, strlen(text), "rb");
    struct fn_csv_reader *r = NULL;
    assert_int_equal(fn_csv_open_stream(fp, "t.csv", &r), FN_OK);
    struct fn_csv_row row;
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    struct register_layout l;
    char msg[128];
    assert_int_equal(register_layout_from_header(&row, &l, msg, sizeof msg), FN_OK);
    assert_int_equal(l.index[REG_RECORD_ID], 1);
    assert_int_equal(l.index[REG_SEX], -1);
    assert_int_equal(l.unknown, 1);
    assert_string_equal(l.first_unknown, "foo");
    fn_csv_close(r);
    fclose(fp);

    const char *bad = "family_name,azr_nr\n";
    fp = fmemopen((void *)bad, strlen(bad), "rb");
    assert_int_equal(fn_csv_open_stream(fp, "t.csv", &r), FN_OK);
    assert_int_equal(fn_csv_next(r, &row), FN_OK);
    assert_int_equal(register_layout_from_header(&row, &l, msg, sizeof msg), FN_INVALID);
    assert_non_null(strstr(msg, "record_id"));
    fn_csv_close(r);
    fclose(fp);
}

static void test_rows(void **state)
{
    (void)state;
    const char *text = "record_id,azr_nr,family_name,given_names,sex,birth_date,nationality,"
                       "residence_status,identity_status,aliases,birth_country\n"
                       " P1 ,123456789012, Müller ,Hans,M,1990-07-00,deu; tur,Duldung,geklaert,"
                       "Mueller|Hans ; Miller|H,DEU\n"
                       "P2,12345,A,B,m,,,,,,\n"
                       "P3,,A,B,q,,,,,,\n"
                       "P4,,A,B,m,1990-02-30,,,,,\n"
                       "P5,,A\xc3,B,m,,,,,,\n"
                       "P6,,A,B\n"
                       ",,A,B,m,,,,,,\n"
                       "P8,,A,B,m,,,,,alias-without-bar,\n"
                       "P9,,A,B,m,,DEUTSCH,,,,\n"
                       "P10,,A,B,m,,,verschwunden,,,\n";
    FILE *fp;
    struct register_layout l;
    struct fn_csv_reader *r = open_text(text, &fp, &l);
    struct model_person *p = NULL;
    char msg[256];
    assert_int_equal(row_result(r, &l, &p, msg), FN_OK);
    assert_string_equal(p->record_id, "P1");
    assert_string_equal(p->family_name, "Müller");
    assert_int_equal(p->sex, SEX_MALE);
    assert_int_equal(p->birth_date.month, 7);
    assert_int_equal(p->n_nationalities, 2);
    assert_string_equal(p->nationalities[1], "TUR");
    assert_int_equal(p->residence, RES_TOLERATED);
    assert_int_equal(p->identity, IDENTITY_CLARIFIED);
    assert_int_equal(p->n_aliases, 2);
    assert_string_equal(p->aliases[1].family_name, "Miller");
    model_person_free(p);

    const char *expect[] = {"Feld azr_nr",          "Feld sex",
                            "Feld birth_date",      "Feld family_name: ungültiges UTF-8",
                            "Felder statt",         "Feld record_id: leer",
                            "Feld aliases",         "Feld nationality",
                            "Feld residence_status"};
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        p = NULL;
        assert_int_equal(row_result(r, &l, &p, msg), FN_INVALID);
        assert_null(p);
        if (!strstr(msg, expect[i]))
            fail_msg("row %zu: expected '%s' in '%s'", i + 2, expect[i], msg);
    }
    fn_csv_close(r);
    fclose(fp);
}

static void test_write_roundtrip(void **state)
{
    (void)state;
    const char *text = "record_id,family_name,given_names,sex,birth_date,nationality,aliases\n"
                       "X1,\"Öztürk, Ayşe\",Ayşe,f,1985-01-01,TUR;DEU,Ozturk|Ayse\n";
    FILE *fp;
    struct register_layout l;
    struct fn_csv_reader *r = open_text(text, &fp, &l);
    struct model_person *p = NULL;
    char msg[256];
    assert_int_equal(row_result(r, &l, &p, msg), FN_OK);
    fn_csv_close(r);
    fclose(fp);
    char *out = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&out, &len);
    struct fn_csv_writer w;
    assert_int_equal(fn_csv_writer_init(&w, mem, 0), FN_OK);
    assert_int_equal(register_write_header(&w), FN_OK);
    assert_int_equal(register_write_person(&w, p), FN_OK);
    fclose(mem);
    model_person_free(p);
    struct register_layout l2;
    r = open_text(out, &fp, &l2);
    assert_int_equal(row_result(r, &l2, &p, msg), FN_OK);
    assert_string_equal(p->family_name, "Öztürk, Ayşe");
    assert_true(p->birth_date.flags & FN_PDATE_PLACEHOLDER);
    assert_int_equal(p->n_nationalities, 2);
    assert_string_equal(p->aliases[0].given_names, "Ayse");
    model_person_free(p);
    fn_csv_close(r);
    fclose(fp);
    free(out);
}

/* Every enum value's code parses back to the value; unknown codes are
 * refused; labels exist; destructors accept NULL. */
static const char *org_code_i(int v)
{
    return model_org_kind_code((enum model_org_kind)v);
}
static const char *obstacle_code_i(int v)
{
    return model_obstacle_code((enum model_obstacle)v);
}
static const char *finding_code_i(int v)
{
    return model_finding_code((enum model_finding)v);
}

static void test_model_enums(void **state)
{
    (void)state;
    int v = -1;
    for (int i = 0; i < ORG_KIND_COUNT; i++) {
        assert_int_equal(model_enum_parse(org_code_i(i), org_code_i, ORG_KIND_COUNT, &v), FN_OK);
        assert_int_equal(v, i);
        assert_string_not_equal(model_org_kind_label((enum model_org_kind)i), "?");
    }
    for (int i = 0; i < OBST_COUNT; i++) {
        assert_int_equal(model_enum_parse(obstacle_code_i(i), obstacle_code_i, OBST_COUNT, &v),
                         FN_OK);
        assert_int_equal(v, i);
    }
    for (int i = 0; i < FIND_COUNT; i++) {
        assert_int_equal(model_enum_parse(finding_code_i(i), finding_code_i, FIND_COUNT, &v),
                         FN_OK);
        assert_int_equal(v, i);
    }
    for (int i = 0; i < CASE_STATUS_COUNT; i++) {
        enum model_case_status c;
        assert_int_equal(
            model_case_status_parse(model_case_status_code((enum model_case_status)i), &c), FN_OK);
        assert_int_equal((int)c, i);
    }
    for (int i = 0; i < TASK_STATUS_COUNT; i++) {
        enum model_task_status t;
        assert_int_equal(
            model_task_status_parse(model_task_status_code((enum model_task_status)i), &t), FN_OK);
        assert_int_equal((int)t, i);
    }
    for (int i = 0; i < RES_COUNT; i++) {
        enum model_residence r;
        assert_int_equal(model_residence_parse(model_residence_code((enum model_residence)i), &r),
                         FN_OK);
        assert_int_equal((int)r, i);
    }
    enum model_sex sx;
    assert_int_equal(model_sex_parse("", &sx), FN_OK);
    assert_int_equal(sx, SEX_UNKNOWN);
    assert_int_equal(model_sex_parse("w", &sx), FN_INVALID);
    enum model_case_status cs;
    assert_int_equal(model_case_status_parse("erledigt", &cs), FN_INVALID);
    assert_string_equal(model_residence_code((enum model_residence)99), "?");
    assert_true(model_azr_valid("123456789012"));
    assert_false(model_azr_valid("12345678901a"));
    assert_false(model_azr_valid("1234567890123"));
    model_person_free(NULL);
    model_person_file_free(NULL);
    model_case_file_free(NULL);
    model_case_clear(NULL);
    model_task_clear(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_write_roundtrip),
        cmocka_unit_test(test_model_enums),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
