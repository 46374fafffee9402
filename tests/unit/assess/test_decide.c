/*
 * Unit tests for src/assess/decide: the one reason check shared by the CLI
 * and the API counts visible characters (code points, not bytes), ignores
 * every kind of white space and invisible format character, refuses control
 * characters, invalid UTF-8 and overlong text, and decide_record refuses such
 * a reason before it touches the store.
 */
#include "../test_util.h"

#include "assess/decide.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blank_reasons_refused),
        cmocka_unit_test(test_short_reasons_refused),
        cmocka_unit_test(test_real_reasons_accepted),
        cmocka_unit_test(test_malformed_reasons_refused),
        cmocka_unit_test(test_length_capped),
        cmocka_unit_test(test_decide_record_refuses_blank_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
