/*
 * The change list of a person update, computed in C (store/person_diff.c):
 * which fields differ in their stored form, named and ordered as the audit
 * row {"felder":[...]} lists them.
 */
#include "../test_util.h"

#include "core/alloc.h"
#include "store/person_diff.h"

/* A person with every field set, one alias, one document and two
 * nationalities. */
static struct model_person *full_person(void)
{
    struct model_person *p = model_person_new();
    assert_non_null(p);
    p->id = 7;
    p->record_id = fn_strdup("R-1");
    p->azr_nr = fn_strdup("123456789012");
    p->family_name = fn_strdup("Al-Hassan");
    p->given_names = fn_strdup("Mohammed");
    p->birth_name = fn_strdup("Hassan");
    p->sex = SEX_MALE;
    p->birth_date = (struct fn_pdate){.year = 1990, .month = 5};
    p->birth_place = fn_strdup("Aleppo");
    p->birth_country = fn_strdup("SYR");
    p->nationalities = fn_calloc(2, sizeof *p->nationalities);
    p->nationalities[0] = fn_strdup("SYR");
    p->nationalities[1] = fn_strdup("IRQ");
    p->n_nationalities = 2;
    p->identity = IDENTITY_CLARIFIED;
    p->identity_basis = fn_strdup("Reisepass");
    p->residence = RES_TOLERATED;
    p->residence_since = (struct fn_pdate){.year = 2020, .month = 1, .day = 2};
    p->address_street = fn_strdup("Hauptstr. 1");
    p->address_postcode = fn_strdup("50667");
    p->address_municipality = fn_strdup("Köln");
    p->authority_id = 3;
    p->authority_code = fn_strdup("05315000");
    p->updated_at = fn_strdup("2026-01-01T00:00:00Z");
    p->aliases = fn_calloc(1, sizeof *p->aliases);
    p->aliases[0] = (struct model_alias){.family_name = fn_strdup("Hasan"),
                                         .given_names = fn_strdup("Muhammad"),
                                         .birth_date = {.year = 1990}};
    p->n_aliases = 1;
    p->documents = fn_calloc(1, sizeof *p->documents);
    p->documents[0] = (struct model_document){.kind = fn_strdup("reisepass"),
                                              .number = fn_strdup("N123"),
                                              .issuing_state = fn_strdup("SYR"),
                                              .valid_until = {.year = 2030, .month = 12, .day = 31},
                                              .verified = 1};
    p->n_documents = 1;
    return p;
}

/* The change list of old -> next as a string (static buffer). */
static const char *diff(const struct model_person *old, const struct model_person *next)
{
    static char out[1024];
    struct fn_buf b;
    fn_buf_init(&b, 1024);
    assert_int_equal(store_person_diff(old, next, &b), FN_OK);
    snprintf(out, sizeof out, "%s", fn_buf_str(&b));
    fn_buf_free(&b);
    return out;
}

static void replace(char **field, const char *value)
{
    fn_free(*field);
    *field = value ? fn_strdup(value) : NULL;
}

static void test_same_person_no_change(void **state)
{
    (void)state;
    struct model_person *a = full_person(), *b = full_person();
    assert_string_equal(diff(a, b), "");
    struct model_person *e1 = model_person_new(), *e2 = model_person_new();
    assert_string_equal(diff(e1, e2), "");
    model_person_free(a);
    model_person_free(b);
    model_person_free(e1);
    model_person_free(e2);
}

/* The fields the store test changes, in the order the audit row names them. */
static void test_named_in_storage_order(void **state)
{
    (void)state;
    struct model_person *a = full_person(), *b = full_person();
    replace(&b->aliases[0].given_names, "Mohamed");
    b->residence = RES_OBLIGED_TO_LEAVE;
    replace(&b->family_name, "Al-Hasan");
    assert_string_equal(diff(a, b), "\"family_name\",\"residence\",\"aliases\"");
    model_person_free(a);
    model_person_free(b);
}

static void test_every_field(void **state)
{
    (void)state;
    struct model_person *a = full_person(), *b = model_person_new();
    b->id = a->id;
    assert_string_equal(
        diff(a, b), "\"record_id\",\"azr_nr\",\"family_name\",\"given_names\",\"birth_name\","
                    "\"sex\",\"birth_date\",\"birth_place\",\"birth_country\",\"nationalities\","
                    "\"identity\",\"identity_basis\",\"residence\",\"residence_since\","
                    "\"address_street\",\"address_postcode\",\"address_municipality\","
                    "\"authority_id\",\"authority_code\",\"updated_at\",\"aliases\",\"documents\"");
    model_person_free(a);
    model_person_free(b);
}

/* As stored: NULL and "" are the same (both stored as NULL), and a date
 * compares by its stored form. */
static void test_stored_form(void **state)
{
    (void)state;
    struct model_person *a = full_person(), *b = full_person();
    replace(&a->birth_name, NULL);
    replace(&b->birth_name, "");
    a->residence_since.flags = 1; /* the placeholder flag is not stored */
    assert_string_equal(diff(a, b), "");
    b->birth_date.day = 7;
    b->authority_id = 0;
    assert_string_equal(diff(a, b), "\"birth_date\",\"authority_id\"");
    model_person_free(a);
    model_person_free(b);
}

/* Nationalities: the order counts, empty entries do not (the stored list
 * is read back without them). */
static void test_nationalities(void **state)
{
    (void)state;
    struct model_person *a = full_person(), *b = full_person();
    replace(&b->nationalities[1], "");
    replace(&a->nationalities[1], NULL);
    assert_string_equal(diff(a, b), "");
    replace(&b->nationalities[0], "IRQ");
    replace(&b->nationalities[1], "SYR");
    replace(&a->nationalities[1], "IRQ");
    assert_string_equal(diff(a, b), "\"nationalities\"");
    model_person_free(a);
    model_person_free(b);
}

static void test_documents_and_aliases(void **state)
{
    (void)state;
    struct model_person *a = full_person(), *b = full_person();
    b->documents[0].verified = 0;
    assert_string_equal(diff(a, b), "\"documents\"");
    b->documents[0].verified = 1;
    b->aliases[0].birth_date.month = 3;
    assert_string_equal(diff(a, b), "\"aliases\"");
    model_alias_clear(&b->aliases[0]);
    b->n_aliases = 0;
    assert_string_equal(diff(a, b), "\"aliases\"");
    model_person_free(a);
    model_person_free(b);
}

/* Appends after what the buffer holds; a full buffer is FN_TOO_LARGE. */
static void test_append_and_cap(void **state)
{
    (void)state;
    struct model_person *a = full_person(), *b = full_person();
    replace(&b->azr_nr, NULL);
    replace(&b->updated_at, "2027-01-01T00:00:00Z");
    struct fn_buf out;
    fn_buf_init(&out, 64);
    assert_int_equal(fn_buf_append_str(&out, "["), FN_OK);
    assert_int_equal(store_person_diff(a, b, &out), FN_OK);
    assert_string_equal(fn_buf_str(&out), "[\"azr_nr\",\"updated_at\"");
    fn_buf_free(&out);
    fn_buf_init(&out, 10);
    assert_int_equal(store_person_diff(a, b, &out), FN_TOO_LARGE);
    fn_buf_free(&out);
    model_person_free(a);
    model_person_free(b);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    struct model_person *a = full_person(), *b = full_person();
    replace(&b->given_names, "Mahmoud");
    int ok = 0;
    for (long n = 0; n < 100 && !ok; n++) {
        struct fn_buf out;
        fn_buf_init(&out, 1024);
        fn_alloc_fail_after(n, 0);
        fn_status rc = store_person_diff(a, b, &out);
        fn_alloc_fail_reset();
        if (rc == FN_OK) {
            ok = 1;
            assert_string_equal(fn_buf_str(&out), "\"given_names\"");
        } else {
            assert_int_equal(rc, FN_NOMEM);
        }
        fn_buf_free(&out);
    }
    assert_true(ok);
    model_person_free(a);
    model_person_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_person_no_change), cmocka_unit_test(test_named_in_storage_order),
        cmocka_unit_test(test_every_field),           cmocka_unit_test(test_stored_form),
        cmocka_unit_test(test_nationalities),         cmocka_unit_test(test_documents_and_aliases),
        cmocka_unit_test(test_append_and_cap),        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
