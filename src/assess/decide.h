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

struct decide_request {
    int64_t person_id;
    int accept;               /* 1 aufnehmen, 0 ablehnen */
    const char *reason;       /* at least 10 characters */
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
 * decision in one transaction. FN_INVALID with message for a short reason or
 * a missing second person (nothing stored), FN_NOTFOUND for an unknown
 * person. */
FN_MUST_CHECK fn_status decide_record(struct store *st, const struct store_actor *actor,
                                      const struct assess_catalog *cat,
                                      const struct decide_request *req, struct decide_outcome *out);

#endif
