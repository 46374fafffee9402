/*
 * Unit tests for src/assess/decide: the one reason check shared by the CLI
 * and the API counts visible characters (code points, not bytes), ignores
 * every kind of white space and invisible format character, refuses control
 * characters, invalid UTF-8 and overlong text, and decide_record refuses such
 * a reason before it touches the store.
 */
#include "../test_catalogue.h"
#include "../test_util.h"

#include "mandatory_gates.h"
#include <sqlite3.h>

#include "assess/catalog.h"
#include "assess/decide.h"
#include "core/buf.h"
#include "auth/role.h"
#include "store/store.h"

static void assert_refused(const char *reason, const char *label)
{
    const char *why = NULL;
    if (assess_reason_check(reason, &why) != FN_INVALID)
        fail_msg("reason accepted: %s", label);
    assert_non_null(why);
    assert_non_null(strstr(why, "Begründung"));
}

static void assert_accepted(const char *reason, const char *label)
{
    const char *why = NULL;
    if (assess_reason_check(reason, &why) != FN_OK)
        fail_msg("reason refused: %s (%s)", label, why ? why : "?");
}

static void test_blank_reasons_refused(void **state)
{
    (void)state;
    assert_refused(NULL, "NULL");
    assert_refused("", "empty");
    assert_refused("          ", "ten blanks");
    assert_refused("\t\t\t\t\t\n\n\n\n\n\r\n", "tabs and newlines");
    char nbsp[21] = "";
    for (int i = 0; i < 10; i++)
        memcpy(nbsp + 2 * i, "\xc2\xa0", 3); /* U+00A0 */
    assert_refused(nbsp, "ten NBSP");
    assert_refused("\xe2\x80\x80\xe2\x80\x81\xe2\x80\x82\xe2\x80\x83\xe2\x80\x84\xe2\x80\x85"
                   "\xe2\x80\x86\xe2\x80\x87\xe2\x80\x88\xe2\x80\x89\xe2\x80\x8a",
                   "U+2000..U+200A");
    assert_refused("\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b"
                   "\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b",
                   "ten zero-width spaces");
    assert_refused("\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80"
                   "\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80",
                   "ten ideographic spaces");
    assert_refused("\xef\xbb\xbf\xef\xbb\xbf\xef\xbb\xbf\xef\xbb\xbf\xef\xbb\xbf"
                   "\xef\xbb\xbf\xef\xbb\xbf\xef\xbb\xbf\xef\xbb\xbf\xef\xbb\xbf",
                   "ten BOMs");
}

static void test_short_reasons_refused(void **state)
{
    (void)state;
    assert_refused("abcdefghi", "nine letters");
    assert_refused("  abc def ghi    \n", "nine letters with blanks");
    assert_refused("a b c d e f g h i          ", "nine letters spread out");
    assert_refused("----------", "ten dashes, no letters");
    assert_refused("1234567890", "ten digits, no letters");
    assert_refused("abcd 123456", "four letters");
    /* nine letters padded with NBSP and zero-width spaces to 10+ code points */
    assert_refused("abcdefghi\xc2\xa0\xe2\x80\x8b", "nine letters + invisible");
}

static void test_real_reasons_accepted(void **state)
{
    (void)state;
    assert_accepted("abcdefghij", "ten letters");
    assert_accepted("\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
                    "\xc3\xa4",
                    "ten umlauts (20 bytes)");
    assert_accepted("Fallkonferenz hat Aufnahme empfohlen", "sentence");
    assert_accepted("Akte 2024/113 S. 4", "five letters + digits");
    assert_accepted("Zeile eins\r\nZeile zwei\n\tEingerückt", "CRLF, LF, tab");
    assert_accepted("\xd9\x82\xd8\xb1\xd8\xa7\xd8\xb1 \xd8\xa7\xd9\x84\xd9\x85\xd8\xad\xd9\x83"
                    "\xd9\x85\xd8\xa9",
                    "Arabic letters");
    assert_accepted("  Fallkonferenz  ", "leading and trailing blanks");
}

static void test_malformed_reasons_refused(void **state)
{
    (void)state;
    assert_refused("Fallkonferenz \xc3", "truncated UTF-8");
    assert_refused("Fallkonferenz \xc0\xaf", "overlong UTF-8");
    assert_refused("Fallkonferenz \xed\xa0\x80", "surrogate");
    assert_refused("Fallkonferenz \xff", "0xff");
    assert_refused("Fallkonferenz\x1b[2J empfohlen", "escape");
    assert_refused("Fallkonferenz\rempfohlen", "lone CR");
    assert_refused("Fallkonferenz\x7f empfohlen", "DEL");
    assert_refused("Fallkonferenz \xc2\x85 empfohlen", "C1 NEL");
}

static void test_length_capped(void **state)
{
    (void)state;
    static char text[ASSESS_REASON_MAX_BYTES + 2];
    memset(text, 'a', ASSESS_REASON_MAX_BYTES);
    text[ASSESS_REASON_MAX_BYTES] = '\0';
    assert_accepted(text, "exactly the cap");
    text[ASSESS_REASON_MAX_BYTES] = 'a';
    text[ASSESS_REASON_MAX_BYTES + 1] = '\0';
    assert_refused(text, "one byte over the cap");
}

/* decide_record checks before it reads anything: a NULL store and catalogue
 * are never touched for a blank reason. */
static void test_decide_record_refuses_blank_reason(void **state)
{
    (void)state;
    struct store_actor actor = {.login = "a.becker", .purpose = "Test"};
    struct decide_request req = {.person_id = 1, .accept = 0, .reason = "          "};
    struct decide_outcome out;
    assert_int_equal(decide_record(NULL, &actor, NULL, &req, &out), FN_INVALID);
    assert_non_null(strstr(out.message, "Begründung"));
    assert_int_equal(out.decision_id, 0);
}

/* A new database in a new folder dir (64 bytes; the file's path into
 * path, 128 bytes) with one region and the organisation *org in it. */
static struct store *fresh_store(char *dir, char *path, struct model_org *org)
{
    test_tmpdir(dir, 64);
    snprintf(path, 128, "%s/d.db", dir);
    struct store *st = NULL;
    assert_int_equal(store_open(path, STORE_OPEN_CREATE, &st), FN_OK);
    assert_int_equal(store_migrate(st), FN_OK);
    struct model_region region = {.code = "R", .name = "Region"};
    assert_int_equal(store_region_insert(st, &region), FN_OK);
    org->region_id = region.id;
    assert_int_equal(store_org_insert(st, org), FN_OK);
    return st;
}

/* The second person of a four-eyes decision may not be the data protection
 * officer, even one who also holds a deciding role (docs/access.md, and the
 * same rule as the API's http_access_second_person); a colleague with a
 * deciding role alone passes the check (the decision then stops at the
 * unknown person). */
static void test_second_person_not_datenschutz(void **state)
{
    (void)state;
    char dir[64], path[128];
    struct model_org rrk = {.kind = ORG_RRK, .code = "RRK", .name = "RRK"};
    struct store *st = fresh_store(dir, path, &rrk);
    const struct store_actor admin = {.login = "admin", .purpose = "Test"};
    const struct {
        const char *login;
        unsigned roles;
    } accounts[] = {{"k.first", AUTH_ROLE_KOORDINATION},
                    {"k.second", AUTH_ROLE_KOORDINATION},
                    {"dsb.ko", AUTH_ROLE_DATENSCHUTZ | AUTH_ROLE_KOORDINATION}};
    int64_t first_id = 0;
    for (size_t i = 0; i < sizeof accounts / sizeof accounts[0]; i++) {
        struct model_user u = {.login = (char *)accounts[i].login,
                               .display_name = (char *)accounts[i].login,
                               .roles = accounts[i].roles,
                               .org_id = rrk.id,
                               .active = 1};
        assert_int_equal(store_user_add(st, &admin, &u, NULL), FN_OK);
        if (i == 0)
            first_id = u.id;
    }
    struct store_actor actor = {.user_id = first_id,
                                .login = "k.first",
                                .org_id = rrk.id,
                                .roles = AUTH_ROLE_KOORDINATION,
                                .purpose = "Test"};
    struct decide_request req = {.person_id = 999,
                                 .accept = 1,
                                 .reason = "Fallkonferenz: Aufnahme",
                                 .second_login = "dsb.ko"};
    /* the second person is checked before anything is read; after it the
     * use case needs a catalogue (assess_person), here a one-rule one */
    static const char one_rule[] = "katalog: Test\nversion: 1\ngilt_ab: 2026-03-01\n"
                                   "band_a_ab: 40\nband_b_ab: 15\n\n"
                                   "regel: P1\ntitel: Strafe\nnorm: § 54 AufenthG\n"
                                   "fassung: 2024\nwenn: hoechste_strafe_monate >= 24\n"
                                   "wirkung: punkte 30\nerklaerung: Punkte.\n" TEST_MANDATORY_GATES;
    struct assess_catalog *cat = NULL;
    struct fn_buf errors;
    fn_buf_init(&errors, 4096);
    assert_int_equal(assess_catalog_parse(one_rule, strlen(one_rule), "t.cat", &cat, &errors),
                     FN_OK);
    fn_buf_free(&errors);
    char sha[65];
    test_catalogue_approve(st, one_rule, sha);
    struct decide_outcome out;
    assert_int_equal(decide_record(st, &actor, cat, &req, &out), FN_INVALID);
    assert_non_null(strstr(out.message, "Zweite Person"));
    req.second_login = "k.second";
    assert_int_equal(decide_record(st, &actor, cat, &req, &out), FN_NOTFOUND);
    assess_catalog_free(cat);
    store_close(st);
    test_rmtree(dir);
}

static const char rule_a[] = "katalog: Test\nversion: 1\ngilt_ab: 2026-03-01\n"
                             "band_a_ab: 40\nband_b_ab: 15\n\n"
                             "regel: P1\ntitel: Strafe\nnorm: § 54 AufenthG\n"
                             "fassung: 2024\nwenn: hoechste_strafe_monate >= 24\n"
                             "wirkung: punkte 30\nerklaerung: Punkte.\n" TEST_MANDATORY_GATES;

static struct assess_catalog *parsed(const char *text)
{
    struct assess_catalog *cat = NULL;
    assert_int_equal(assess_catalog_parse(text, strlen(text), "t.cat", &cat, NULL), FN_OK);
    return cat;
}

static int64_t count_rows(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
}

/* Decisions only with the approved catalogue (issue 13): none approved,
 * or another catalogue (a simulation), is refused with the reason and
 * nothing is stored; a decision carries its catalogue's hash. */
static void test_decide_only_with_approved(void **state)
{
    (void)state;
    char dir[64], path[128];
    struct model_org abh = {.kind = ORG_ABH, .code = "ABH", .name = "ABH"};
    struct store *st = fresh_store(dir, path, &abh);
    const struct store_actor sys = {.login = "test", .system = 1, .purpose = "Test"};
    struct model_user u = {.login = "s.bearb",
                           .display_name = "S. Bearb",
                           .roles = AUTH_ROLE_SACHBEARBEITUNG,
                           .org_id = abh.id,
                           .active = 1};
    assert_int_equal(store_user_add(st, &sys, &u, NULL), FN_OK);
    struct model_person p = {.record_id = "R-1", .family_name = "Test", .authority_id = abh.id};
    assert_int_equal(store_person_insert(st, &sys, &p), FN_OK);
    struct store_actor actor = {.user_id = u.id,
                                .login = "s.bearb",
                                .org_id = abh.id,
                                .roles = AUTH_ROLE_SACHBEARBEITUNG,
                                .purpose = "Test"};
    struct decide_request req = {
        .person_id = p.id, .accept = 0, .reason = "Fallkonferenz: keine Aufnahme"};
    /* the same rules under another hash: a comment is enough */
    char rule_b[sizeof rule_a + 16];
    snprintf(rule_b, sizeof rule_b, "%s# anders\n", rule_a);
    struct assess_catalog *a = parsed(rule_a), *b = parsed(rule_b);
    struct decide_outcome out;
    assert_int_equal(decide_record(st, &actor, a, &req, &out), FN_CONFLICT);
    assert_non_null(strstr(out.message, "catalog approve"));
    char sha[65];
    test_catalogue_approve(st, rule_a, sha);
    assert_string_equal(sha, a->hash);
    assert_int_equal(decide_record(st, &actor, b, &req, &out), FN_CONFLICT);
    assert_non_null(strstr(out.message, "Simulation"));
    assert_int_equal(count_rows(path, "SELECT count(*) FROM decision"), 0);
    assert_int_equal(count_rows(path, "SELECT count(*) FROM assessment"), 0);
    assert_int_equal(decide_record(st, &actor, a, &req, &out), FN_OK);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM decision d JOIN assessment a ON a.id = d.assessment_id"
             " WHERE d.catalog_hash = '%s' AND a.catalog_hash = d.catalog_hash",
             a->hash);
    assert_int_equal(count_rows(path, sql), 1);
    assess_catalog_free(a);
    assess_catalog_free(b);
    store_close(st);
    test_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blank_reasons_refused),
        cmocka_unit_test(test_short_reasons_refused),
        cmocka_unit_test(test_real_reasons_accepted),
        cmocka_unit_test(test_malformed_reasons_refused),
        cmocka_unit_test(test_length_capped),
        cmocka_unit_test(test_decide_record_refuses_blank_reason),
        cmocka_unit_test(test_second_person_not_datenschutz),
        cmocka_unit_test(test_decide_only_with_approved),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
