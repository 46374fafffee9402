/* Unit tests for src/http/person_edit.c: the body of PUT
 * /api/v1/persons/{id}. A full body parses into the model; every field
 * refuses a bad value with its JSON path and a German message that names
 * it; keys that are not master data are refused; If-Match takes exactly
 * the ETag form. */
#include "../test_util.h"

#include "core/pdate.h"
#include "http/person_edit.h"

#define TODAY 20454 /* 2026-01-01 */

static const char full[] =
    "{\"family_name\":\" Al-Hassan \",\"given_names\":\"Mohammed Ali\",\"birth_name\":null,"
    "\"sex\":\"m\",\"birth_date\":\"1990-07\",\"birth_place\":\"Aleppo\",\"birth_country\":\"SYR\","
    "\"nationalities\":[\"SYR\",\"TUR\"],\"identity_status\":\"in_klaerung\","
    "\"identity_basis\":\"Geburtsurkunde\",\"residence_status\":\"duldung\","
    "\"residence_since\":\"2024-03-01\",\"address\":{\"street\":\"Hauptstraße 1\","
    "\"postcode\":\"50667\",\"municipality\":\"Köln\"},"
    "\"aliases\":[{\"family_name\":\"Alhasan\",\"given_names\":null,\"birth_date\":\"1990\"}],"
    "\"documents\":[{\"kind\":\"reisepass\",\"number\":\"N0123456\",\"issuing_state\":\"SYR\","
    "\"valid_until\":\"2030-12-31\",\"verified\":true}]}";

static void test_full_body(void **state)
{
    (void)state;
    struct model_person *p = model_person_new();
    struct http_edit_error err;
    assert_int_equal(http_person_edit_parse(full, strlen(full), TODAY, p, &err), FN_OK);
    assert_string_equal(p->family_name, "Al-Hassan"); /* trimmed */
    assert_string_equal(p->given_names, "Mohammed Ali");
    assert_null(p->birth_name);
    assert_int_equal(p->sex, SEX_MALE);
    assert_int_equal(p->birth_date.year, 1990);
    assert_int_equal(p->birth_date.month, 7);
    assert_int_equal(p->n_nationalities, 2);
    assert_string_equal(p->nationalities[1], "TUR");
    assert_int_equal(p->identity, IDENTITY_IN_PROGRESS);
    assert_int_equal(p->residence, RES_TOLERATED);
    assert_string_equal(p->address_municipality, "Köln");
    assert_int_equal(p->n_aliases, 1);
    assert_null(p->aliases[0].given_names);
    assert_int_equal(p->n_documents, 1);
    assert_true(p->documents[0].verified);
    assert_int_equal(p->documents[0].valid_until.day, 31);
    /* what the edit does not carry stays empty: the route takes it from
     * the stored person */
    assert_null(p->record_id);
    assert_int_equal(p->authority_id, 0);
    model_person_free(p);
}

/* Every field refuses a bad value, naming it. */
static void test_bad_fields(void **state)
{
    (void)state;
    const struct {
        const char *body;
        const char *field;
        const char *says; /* part of the message */
    } cases[] = {
        {"{}", "family_name", "Familienname (family_name) fehlt"},
        {"{\"family_name\":\"  \"}", "family_name", "fehlt"},
        {"{\"family_name\":7}", "family_name", "muss ein Text sein"},
        {"{\"family_name\":\"A\\u0007B\"}", "family_name", "Steuerzeichen"},
        {"{\"family_name\":\"A\\u0085B\"}", "family_name", "Steuerzeichen"},
        {"{\"family_name\":\"A\",\"given_names\":[]}", "given_names", "Vornamen"},
        {"{\"family_name\":\"A\",\"sex\":\"q\"}", "sex", "Geschlecht (sex) hat einen unbekannten"},
        {"{\"family_name\":\"A\",\"birth_date\":\"1990-02-30\"}", "birth_date",
         "kein gültiges Datum"},
        {"{\"family_name\":\"A\",\"birth_date\":\"2990\"}", "birth_date", "in der Zukunft"},
        {"{\"family_name\":\"A\",\"birth_place\":{}}", "birth_place", "Geburtsort"},
        {"{\"family_name\":\"A\",\"birth_country\":\"syr\"}", "birth_country", "Staatencode"},
        {"{\"family_name\":\"A\",\"nationalities\":\"SYR\"}", "nationalities", "Liste"},
        {"{\"family_name\":\"A\",\"nationalities\":[\"SYR\",\"SYRIA\"]}", "nationalities[1]",
         "Staatsangehörigkeit 2"},
        {"{\"family_name\":\"A\",\"nationalities\":[\"SYR\",\"SYR\"]}", "nationalities[1]",
         "doppelt"},
        {"{\"family_name\":\"A\",\"nationalities\":[\"A\",\"B\",\"C\",\"D\",\"E\",\"F\",\"G\","
         "\"H\",\"I\",\"J\",\"K\"]}",
         "nationalities", "zu viele"},
        {"{\"family_name\":\"A\",\"identity_status\":\"klar\"}", "identity_status",
         "Identitätsstatus"},
        {"{\"family_name\":\"A\",\"identity_basis\":false}", "identity_basis", "Grundlage"},
        {"{\"family_name\":\"A\",\"residence_status\":\"visum\"}", "residence_status",
         "Aufenthaltsstatus"},
        {"{\"family_name\":\"A\",\"residence_since\":\"gestern\"}", "residence_since", "Datum"},
        {"{\"family_name\":\"A\",\"address\":[]}", "address", "Objekt"},
        {"{\"family_name\":\"A\",\"address\":{\"postcode\":\"5066\"}}", "address.postcode",
         "Anschrift: Postleitzahl (address.postcode) muss aus fünf Ziffern"},
        {"{\"family_name\":\"A\",\"address\":{\"street\":1}}", "address.street", "Straße"},
        {"{\"family_name\":\"A\",\"address\":{\"municipality\":1}}", "address.municipality", "Ort"},
        {"{\"family_name\":\"A\",\"address\":{\"country\":\"DE\"}}", "address.country",
         "nicht geändert werden"},
        {"{\"family_name\":\"A\",\"aliases\":[7]}", "aliases[0]", "Alias 1 (aliases[0]) muss ein"},
        {"{\"family_name\":\"A\",\"aliases\":[{}]}", "aliases[0].family_name",
         "Alias 1: Familienname"},
        {"{\"family_name\":\"A\",\"aliases\":[{\"family_name\":\"B\",\"given_names\":2}]}",
         "aliases[0].given_names", "Vornamen"},
        {"{\"family_name\":\"A\",\"aliases\":[{\"family_name\":\"B\"},{\"family_name\":\"C\","
         "\"birth_date\":\"x\"}]}",
         "aliases[1].birth_date", "Alias 2: Geburtsdatum"},
        {"{\"family_name\":\"A\",\"documents\":[{\"number\":\"1\"}]}", "documents[0].kind",
         "Dokument 1: Art (documents[0].kind) fehlt"},
        {"{\"family_name\":\"A\",\"documents\":[{\"kind\":\"Reisepass\"}]}", "documents[0].kind",
         "Kürzel"},
        {"{\"family_name\":\"A\",\"documents\":[{\"kind\":\"reisepass\",\"number\":"
         "\"12345678901234567890123456789012345678901\"}]}",
         "documents[0].number", "höchstens 40 Byte"},
        {"{\"family_name\":\"A\",\"documents\":[{\"kind\":\"reisepass\",\"issuing_state\":\"X\"}]}",
         "documents[0].issuing_state", "Ausstellerstaat"},
        {"{\"family_name\":\"A\",\"documents\":[{\"kind\":\"reisepass\",\"valid_until\":\"1\"}]}",
         "documents[0].valid_until", "gültig bis"},
        {"{\"family_name\":\"A\",\"documents\":[{\"kind\":\"reisepass\",\"verified\":\"ja\"}]}",
         "documents[0].verified", "geprüft"},
        {"{\"family_name\":\"A\",\"record_id\":\"X\"}", "record_id", "nicht geändert werden"},
        {"{\"family_name\":\"A\",\"authority_id\":3}", "authority_id", "nicht geändert werden"},
        {"{\"family_name\":\"A\",\"version\":3}", "version", "nicht geändert werden"},
        {"[1]", "", "JSON-Objekt"},
        {"{\"family_name\":\"A\",\"family_name\":\"B\"}", "", "doppelten"},
        {"{\"family_name\":\"\xc3\x28\"}", "", "UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct model_person *p = model_person_new();
        struct http_edit_error err;
        fn_status rc = http_person_edit_parse(cases[i].body, strlen(cases[i].body), TODAY, p, &err);
        model_person_free(p);
        if (rc != FN_INVALID || strcmp(err.field, cases[i].field) != 0 ||
            !strstr(err.message, cases[i].says))
            fail_msg("case %zu %s: %s, field '%s', message '%s'", i, cases[i].body,
                     fn_status_str(rc), err.field, err.message);
    }
}

static void test_long_text_and_body(void **state)
{
    (void)state;
    char body[600];
    char name[202];
    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    snprintf(body, sizeof body, "{\"family_name\":\"%s\"}", name);
    struct model_person *p = model_person_new();
    struct http_edit_error err;
    assert_int_equal(http_person_edit_parse(body, strlen(body), TODAY, p, &err), FN_INVALID);
    assert_string_equal(err.field, "family_name");
    assert_non_null(strstr(err.message, "höchstens 200 Byte"));
    model_person_free(p);
    /* 200 bytes of two-byte letters are fine */
    snprintf(body, sizeof body, "{\"family_name\":\"%s\"}",
             "ääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääääää"
             "ääääääääääääääää");
    p = model_person_new();
    assert_int_equal(http_person_edit_parse(body, strlen(body), TODAY, p, &err), FN_OK);
    model_person_free(p);
    size_t big = HTTP_EDIT_BODY_MAX + 1;
    char *huge = calloc(1, big + 1);
    memset(huge, ' ', big);
    p = model_person_new();
    assert_int_equal(http_person_edit_parse(huge, big, TODAY, p, &err), FN_TOO_LARGE);
    assert_non_null(strstr(err.message, "zu groß"));
    model_person_free(p);
    free(huge);
}

static void test_if_match(void **state)
{
    (void)state;
    assert_int_equal(http_person_edit_if_match("\"v1\""), 1);
    assert_int_equal(http_person_edit_if_match("\"v123456789012345678\""), 123456789012345678);
    const char *bad[] = {NULL,
                         "",
                         "*",
                         "v1",
                         "\"v\"",
                         "W/\"v1\"",
                         "\"v1\", \"v2\"",
                         "\"1\"",
                         "\"v-1\"",
                         "\"v1x\"",
                         "\"v1234567890123456789\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (http_person_edit_if_match(bad[i]) != 0)
            fail_msg("If-Match %s was taken", bad[i] ? bad[i] : "(null)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_body),
        cmocka_unit_test(test_bad_fields),
        cmocka_unit_test(test_long_text_and_body),
        cmocka_unit_test(test_if_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
