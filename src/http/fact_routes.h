/*
 * fact_routes.h – the JSON API of facts that officials record (issue 13):
 *   GET    /api/v1/persons/{id}/facts          every recorded fact with its
 *                                              history (current, corrected,
 *                                              withdrawn), source and recorder
 *   POST   /api/v1/persons/{id}/facts          records one fact (201)
 *   PUT    /api/v1/persons/{id}/facts/{fact}   corrects a current fact: a new
 *                                              row supersedes it (200)
 *   DELETE /api/v1/persons/{id}/facts/{fact}   withdraws it, with a reason (200)
 * {fact} is "<table>-<row id>" ("strafverfahren-12"), also the fact's ETag;
 * PUT and DELETE name it in If-Match (428 without, 400 for another) and get
 * 409 stale with the current successor in "current" (null when withdrawn)
 * when another user corrected or withdrew it first. Bodies: {"kind": code,
 * field: value, …, "reason"} with the fields of ingest/fact_input.h;
 * a refused value is 400 bad_field naming the field. Scope and roles are
 * the store's (404 out of scope, 403 without the facts access).
 */
#ifndef FN_HTTP_FACT_ROUTES_H
#define FN_HTTP_FACT_ROUTES_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "store/store.h"

struct http_call;
struct http_answer;

/* Parses "<table>-<id>" (len bytes) into *kind and *id; 0 when malformed. */
int http_fact_parse(const char *s, size_t len, enum store_fact_kind *kind, int64_t *id);

FN_MUST_CHECK fn_status http_facts_list(const struct http_call *call, struct http_answer *out);
FN_MUST_CHECK fn_status http_fact_record(const struct http_call *call, struct http_answer *out);
FN_MUST_CHECK fn_status http_fact_correct(const struct http_call *call, struct http_answer *out);
FN_MUST_CHECK fn_status http_fact_withdraw(const struct http_call *call, struct http_answer *out);

#endif
