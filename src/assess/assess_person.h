/*
 * assess_person.h – the use case "assess a person": read the person's file
 * through the store, derive the allowed facts (facts.h) and evaluate the
 * catalogue (catalog.h). This is the one place where facts are read and
 * evaluated; `assess`, `worklist`, `decide` and `evaluate --compare` on the
 * command line, the API's assessment, worklist and decision routes and the
 * background re-assessment (reassess.h) are callers that word the outcome.
 *
 * Reads and audit: assess_person reads with store_person_get, so the read is
 * scoped by the actor's need-to-know and audited as "query" under the actor
 * before any fact is derived; assess_persons_range walks
 * store_person_files_range (the bulk path, audited in chunks of 10,000 ids).
 * Nothing here writes, except assess_person_keep, which stores an assessment
 * (audited as "combine") when it differs from the person's latest one.
 *
 * Statuses (passed on from the store): FN_NOTFOUND for an unknown person or
 * one outside the actor's scope (existence is not revealed); FN_DENIED for an
 * actor whose roles do not grant assessments (store_may_assess: zab, polizei,
 * statistik, datenschutz, admin), or without a purpose; FN_NOMEM,
 * FN_DB, FN_BUSY as the store reports them. On any failure the result holds
 * nothing to free.
 *
 * The assessment decides nothing and changes no case: it orders work.
 */
#ifndef FN_ASSESS_ASSESS_PERSON_H
#define FN_ASSESS_ASSESS_PERSON_H

#include <stdint.h>

#include "assess/catalog.h"
#include "core/buf.h"
#include "store/store.h"

/* One person's assessment with what it was computed from. The names are
 * there for the caller to say whom it concerns; no other personal data
 * leaves the use case. */
struct assess_person {
    int64_t person_id;
    char *family_name; /* NULL when the register has none */
    char *given_names; /* NULL when the register has none */
    struct assess_facts facts;
    struct assess_result result;
};

/* Assesses person_id as of today (days since 1970) with catalogue c. *out is
 * zeroed first; on FN_OK it owns copies of the names (assess_person_clear
 * frees them), on failure it holds nothing. Borrows st, a and c. */
FN_MUST_CHECK fn_status assess_person(struct store *st, const struct store_actor *a,
                                      const struct assess_catalog *c, int64_t person_id,
                                      int32_t today, struct assess_person *out);

/* Frees the names and zeroes *p; accepts NULL and a zeroed struct. */
void assess_person_clear(struct assess_person *p);

/* Called once per person by assess_persons_range. p and its names are
 * borrowed from the walk and valid during the call only. A non-OK return
 * stops the walk and is passed on. */
typedef fn_status (*assess_person_fn)(void *ctx, const struct assess_person *p);

/* The bulk form for assessing everyone: every person in the actor's scope
 * with lo_id <= id <= hi_id, in id order, each table read once
 * (store_person_files_range). One walk per store handle; threads split the
 * id range and use a handle each. Same statuses as assess_person, except
 * that out-of-scope persons are simply not visited. */
FN_MUST_CHECK fn_status assess_persons_range(struct store *st, const struct store_actor *a,
                                             const struct assess_catalog *c, int32_t today,
                                             int64_t lo_id, int64_t hi_id, assess_person_fn fn,
                                             void *ctx);

/* The row to store for p: its trace as JSON in trace (emptied first; the
 * caller inits and frees it) and the digest over catalogue, result and
 * trace in digest. *row borrows c, trace and digest and has id 0. FN_TOO_LARGE
 * or FN_NOMEM when the trace does not fit. */
FN_MUST_CHECK fn_status assess_person_row(const struct assess_catalog *c,
                                          const struct assess_person *p, struct fn_buf *trace,
                                          char digest[65], struct store_assessment *row);

/* *changed = 1 when row's digest differs from the person's latest stored
 * assessment or none is stored; 0 when that one still holds. */
FN_MUST_CHECK fn_status assess_person_changed(struct store *st, const struct store_assessment *row,
                                              int *changed);

/* Stores p's assessment with its trace (audited "combine" under a) unless
 * the latest stored one has the same digest; *stored is incremented when
 * it was stored. trace is scratch space as for assess_person_row. */
FN_MUST_CHECK fn_status assess_person_keep(struct store *st, const struct store_actor *a,
                                           const struct assess_catalog *c,
                                           const struct assess_person *p, struct fn_buf *trace,
                                           size_t *stored);

#endif
