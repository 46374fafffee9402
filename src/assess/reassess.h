/*
 * reassess.h – re-assessment of persons whose facts changed. Store triggers
 * queue every person whose record or facts changed; this takes them from the
 * queue, assesses them (each read audited) and keeps a new assessment with
 * its trace whenever the result or its trace differs from the last one.
 */
#ifndef FN_ASSESS_REASSESS_H
#define FN_ASSESS_REASSESS_H

#include <stddef.h>
#include <stdint.h>

#include "assess/catalog.h"
#include "store/store.h"

/* Works through the queue until it is empty or max persons were assessed.
 * *assessed and *stored count what was done. */
FN_MUST_CHECK fn_status assess_reassess_due(struct store *st, const struct store_actor *actor,
                                            const struct assess_catalog *cat, int32_t today,
                                            size_t max, size_t *assessed, size_t *stored);

#endif
