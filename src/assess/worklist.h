/*
 * worklist.h – the ordered work queue of one authority, with the reason for
 * each position. Unblocked persons first by band, points and nearest
 * deadline; blocked persons last with the gate that decides the next step.
 * A proposal of order: it decides nothing.
 */
#ifndef FN_ASSESS_WORKLIST_H
#define FN_ASSESS_WORKLIST_H

#include <stddef.h>
#include <stdint.h>

#include "assess/catalog.h"
#include "store/store.h"

#define WORKLIST_MAX 200000

struct worklist_entry {
    int64_t id;
    char name[200];
    int blocked;
    char band;
    int points;
    int overdue;      /* the nearest deadline is past */
    int32_t deadline; /* nearest deadline in days (< 0: overdue), INT32_MAX when none */
    char reason[512]; /* German */
};

struct worklist {
    struct worklist_entry *entries; /* sorted */
    size_t n;
};

/* Builds the queue of authority_id from the persons' current files (each
 * read audited with actor). *out is freed with worklist_free. */
FN_MUST_CHECK fn_status worklist_build(struct store *st, const struct store_actor *actor,
                                       const struct assess_catalog *c, int64_t authority_id,
                                       int32_t today, struct worklist **out);
void worklist_free(struct worklist *w);

#endif
