/*
 * assess_all.h – the use case "assess everyone in the actor's scope", for
 * `assess --all`: counts per band and gates, and with a writer keeps every
 * assessment that changed since the person's latest stored one.
 *
 * Built on assess_persons_range (assess_person.h): the file of each person is
 * read once in id order (audited as "query", one row per 10,000 persons).
 * Counting alone runs in two threads over two halves of the id range, each
 * with its own store handle opened on db_path; the counts are sums, so the
 * result does not depend on the split. Keeping is sequential (one writer,
 * digests in person order) and commits every 2,000 stored assessments
 * (audited as "combine").
 *
 * Statuses: FN_DENIED for an actor who may not read persons (or store
 * assessments, when keeping); FN_INTERNAL when a thread could not start;
 * store failures as the store reports them (store_errmsg of the handle that
 * failed: the writer when keeping, else st). Persons outside the actor's
 * scope are not counted.
 */
#ifndef FN_ASSESS_ASSESS_ALL_H
#define FN_ASSESS_ASSESS_ALL_H

#include "assess/catalog.h"
#include "core/progress.h"
#include "store/store.h"

struct assess_tally {
    long total;
    long band[3]; /* A, B, C */
    long blocked;
    long unresolved; /* of the blocked: with a gate ungeklärt (a needed fact not recorded) */
    long stored;     /* assessments kept (only with a writer) */
};

struct assess_all_options {
    const char *db_path;          /* for the counting threads' own handles */
    int threads;                  /* 1 or 2; counting only (keeping is sequential) */
    struct store *writer;         /* NULL: count only; else keep changed assessments here */
    struct fn_progress *progress; /* may be NULL; started by the caller */
};

/* Assesses everyone the actor may read as of today (days since 1970) and
 * fills *out. Borrows st, a, c and the options' handles. */
FN_MUST_CHECK fn_status assess_all(struct store *st, const struct store_actor *a,
                                   const struct assess_catalog *c, int32_t today,
                                   const struct assess_all_options *opt, struct assess_tally *out);

#endif
