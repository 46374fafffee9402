/*
 * assess_routes.h – JSON API of the Initialbewertung:
 *   GET /api/v1/catalog                 the loaded catalogue with every rule
 *   GET /api/v1/assessments/{person}    a person's assessment with the full trace
 *   GET /api/v1/worklist?authority=ID   the ordered queue with reasons
 *   POST /api/v1/decisions             a decision of the logged-in person
 * The assessment orders work; decisions are made by an authenticated person.
 */
#ifndef FN_HTTP_ASSESS_ROUTES_H
#define FN_HTTP_ASSESS_ROUTES_H

#include <stddef.h>

#include "assess/catalog.h"
#include "core/buf.h"
#include "store/store.h"

/* Every answer below carries "simulation" (true: c is not the approved
 * catalogue in force; nothing of it is stored) and "catalog_status" (German:
 * "freigegeben", or the simulation label of approval.h). */

/* Writes the catalogue as JSON into out. */
FN_MUST_CHECK fn_status assess_routes_catalog(const struct assess_catalog *c, int simulation,
                                              struct fn_buf *out);

/* Assesses person_id as of today (days since 1970) through assess_person
 * (src/assess/assess_person.h: scoped, audited with actor) and writes the
 * result as JSON. FN_NOTFOUND for an unknown or out-of-scope person,
 * FN_DENIED for an actor who may not read persons. */
FN_MUST_CHECK fn_status assess_routes_person(struct store *st, const struct store_actor *actor,
                                             const struct assess_catalog *c, int simulation,
                                             int64_t person_id, int32_t today, struct fn_buf *out);

/* Builds the worklist of authority_id (each person read audited) and writes
 * it as JSON. */
FN_MUST_CHECK fn_status assess_routes_worklist(struct store *st, const struct store_actor *actor,
                                               const struct assess_catalog *c, int simulation,
                                               int64_t authority_id, int32_t today,
                                               struct fn_buf *out);

/* POST /api/v1/decisions: body {"person_id", "entscheidung": "aufnehmen" |
 * "ablehnen", "begruendung", "kennung"?, "zweite_kennung"?,
 * "zweites_passwort"?}. The deciding person is the caller (call->actor); a
 * kennung that differs is a 400. A second person is a different active
 * account whose role may decide, confirmed with its password (throttled like
 * a login: *retry_after_s is set then). Sets *status (201, 400, 404, 422,
 * 409 not_approved for a simulation or without an approved catalogue:
 * nothing stored) and writes the JSON answer. */
struct http_call;
FN_MUST_CHECK fn_status assess_routes_decide(const struct http_call *call, int *status,
                                             unsigned *retry_after_s, struct fn_buf *out);

#endif
