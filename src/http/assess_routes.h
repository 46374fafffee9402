/*
 * assess_routes.h – JSON API of the Initialbewertung:
 *   GET /api/v1/catalog                 the loaded catalogue with every rule
 *   GET /api/v1/assessments/{person}    a person's assessment with the full trace
 *   GET /api/v1/worklist?authority=ID   the ordered queue with reasons
 * The assessment orders work; the API records no decisions (decisions need an
 * authenticated named person: `fallnetz decide` until access control lands).
 */
#ifndef FN_HTTP_ASSESS_ROUTES_H
#define FN_HTTP_ASSESS_ROUTES_H

#include <stddef.h>

#include "assess/catalog.h"
#include "core/buf.h"
#include "store/store.h"

/* Writes the catalogue as JSON into out. */
FN_MUST_CHECK fn_status assess_routes_catalog(const struct assess_catalog *c, struct fn_buf *out);

/* Reads person_id (audited with actor), assesses it as of today (days since
 * 1970) and writes the result as JSON. FN_NOTFOUND for an unknown person. */
FN_MUST_CHECK fn_status assess_routes_person(struct store *st, const struct store_actor *actor,
                                             const struct assess_catalog *c, int64_t person_id,
                                             int32_t today, struct fn_buf *out);

/* Builds the worklist of authority_id (each person read audited) and writes
 * it as JSON. */
FN_MUST_CHECK fn_status assess_routes_worklist(struct store *st, const struct store_actor *actor,
                                               const struct assess_catalog *c, int64_t authority_id,
                                               int32_t today, struct fn_buf *out);

/* POST /api/v1/decisions: body {"person_id", "entscheidung": "aufnehmen" |
 * "ablehnen", "begruendung", "kennung", "zweite_kennung"?}. The logins must
 * exist as users (interim, until authentication: the same trust as the CLI's
 * --user on this loopback-only server). Sets *status (201, 400, 403, 404,
 * 422) and writes the JSON answer. */
FN_MUST_CHECK fn_status assess_routes_decide(struct store *st, const struct assess_catalog *c,
                                             const char *body, size_t len, int32_t today,
                                             int *status, struct fn_buf *out);

#endif
