/*
 * decide.h – recording a named person's decision on intake into case
 * management, against the assessment it was made on (shared by the CLI and
 * the API). Departures from the assessment are normal and recorded as such;
 * accepting despite a gate needs a second person when the catalogue says so.
 * No case status is changed.
 */
#ifndef FN_ASSESS_DECIDE_H
#define FN_ASSESS_DECIDE_H

#include <stdint.h>

#include "assess/catalog.h"
#include "store/store.h"

/* A reason is at most this many bytes of UTF-8 (about two typed pages). */
#define ASSESS_REASON_MAX_BYTES 4000
/* ... and has at least this many characters that are not white space, of
 * which at least ASSESS_REASON_MIN_LETTERS are letters (any script). */
#define ASSESS_REASON_MIN_CHARS   10
#define ASSESS_REASON_MIN_LETTERS 5

/* The one check of a free-text reason for a decision, used by decide_record,
 * the CLI and the API. Characters are Unicode code points; white space
 * (ASCII blanks, tabs and line breaks, NBSP, U+2000-U+200A, U+3000 and the
 * other Unicode spaces) and invisible format characters (U+200B, U+200D,
 * U+FEFF, ...) do not count. Refused: NULL, invalid UTF-8, control characters
 * other than tab and line breaks (LF, CRLF), more than ASSESS_REASON_MAX_BYTES
 * bytes, fewer than ASSESS_REASON_MIN_CHARS counted characters or fewer than
 * ASSESS_REASON_MIN_LETTERS letters. FN_INVALID with *why set to a German
 * sentence (static storage), else FN_OK. Borrows reason. */
FN_MUST_CHECK fn_status assess_reason_check(const char *reason, const char **why);

struct decide_request {
    int64_t person_id;
    int accept;               /* 1 aufnehmen, 0 ablehnen */
    const char *reason;       /* must pass assess_reason_check */
    const char *second_login; /* or NULL */
    int32_t today;            /* days since 1970 */
};

struct decide_outcome {
    int64_t decision_id;
    int64_t assessment_id;
    char band;
    int points;
    int blocked;
    char override[256]; /* "" when the decision follows the assessment */
    char message[256];  /* German, for refusals */
};

/* Reads the person (audited with actor), assesses, and stores assessment and
 * decision in one transaction. FN_INVALID with message for a reason that
 * fails assess_reason_check, a missing second person, or a second person
 * that is not another active account with a deciding role (AUTH_ROLES_DECIDE)
 * (nothing stored); FN_NOTFOUND for an unknown person or one outside the
 * actor's scope; FN_DENIED when the actor's roles may not decide;
 * FN_CONFLICT with message when cat is not the approved catalogue in force
 * or none is approved (approval.h): a simulation is never stored. The
 * decision carries cat's hash. */
FN_MUST_CHECK fn_status decide_record(struct store *st, const struct store_actor *actor,
                                      const struct assess_catalog *cat,
                                      const struct decide_request *req, struct decide_outcome *out);

#endif
