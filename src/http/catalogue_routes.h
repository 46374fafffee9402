/*
 * catalogue_routes.h – catalogue approval over the API (issue 13), admin
 * only (route table):
 *   GET  /api/v1/catalogues                 every stored catalogue with status
 *   POST /api/v1/catalogues                 {"text"}: propose a catalogue
 *   POST /api/v1/catalogues/{id}/approval   {"sha256"}: approve it (another admin)
 * The four-eyes rule, the loader's check and the audit rows are the
 * store's and approval.h's; these handlers map their answers to HTTP.
 */
#ifndef FN_HTTP_CATALOGUE_ROUTES_H
#define FN_HTTP_CATALOGUE_ROUTES_H

#include "core/status.h"

struct http_call;
struct http_answer;

FN_MUST_CHECK fn_status http_catalogues_list(const struct http_call *call, struct http_answer *out);
/* 201 with the stored catalogue; 400 for a body that is not {"text": ...};
 * 422 refused (with "errors", the loader's lines) for a catalogue the
 * loader refuses; 409 conflict when the same text is stored already; 403
 * for an account that may not propose. */
FN_MUST_CHECK fn_status http_catalogues_propose(const struct http_call *call,
                                                struct http_answer *out);
/* 200 with the approved catalogue; 400 without {"sha256": ...}; 404 when
 * catalogue {id} does not have that hash; 403 same_person for the proposer
 * (four eyes) or an account that may not approve; 409 when it is in force
 * already; 422 when the loader no longer accepts its text. */
FN_MUST_CHECK fn_status http_catalogues_approve(const struct http_call *call,
                                                struct http_answer *out);

#endif
