/*
 * assign.h – one-to-one assignment between two registers: a pair is linked
 * when each side is the other's best candidate (mutual best) with a weight at
 * or above the threshold. Conflicts are reported, not hidden: a record whose
 * best partner prefers someone else, or whose best weight is tied between two
 * partners. Deterministic (ties broken by index, and reported).
 */
#ifndef FN_LINK_ASSIGN_H
#define FN_LINK_ASSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct assign_pair {
    uint32_t a; /* index on side A (local register) */
    uint32_t b; /* index on side B (central register) */
    double w;   /* match weight */
};

enum assign_conflict_kind {
    ASSIGN_CONTESTED, /* a's best partner b is the mutual best of another record */
    ASSIGN_TIED       /* a's best weight is shared by two partners */
};

struct assign_conflict {
    uint32_t a, b;
    double w;
    enum assign_conflict_kind kind;
};

/* pairs: scored candidates (any order, each (a, b) once). *matches and
 * *conflicts are arrays the caller frees with fn_free. */
FN_MUST_CHECK fn_status assign_mutual_best(const struct assign_pair *pairs, size_t n, size_t na,
                                           size_t nb, double threshold,
                                           struct assign_pair **matches, size_t *nmatches,
                                           struct assign_conflict **conflicts, size_t *nconflicts);

/* The same, fed pair by pair, so that the caller need not hold all scored
 * pairs in one array (tens of millions at register scale). new: *out is
 * freed with assign_state_free (accepts NULL). add: a < na, b < nb, w not
 * NaN (FN_INVALID otherwise); any order, each (a, b) once. finish: as
 * assign_mutual_best. */
struct assign_state;
FN_MUST_CHECK fn_status assign_state_new(size_t na, size_t nb, struct assign_state **out);
FN_MUST_CHECK fn_status assign_state_add(struct assign_state *st, uint32_t a, uint32_t b, double w);
FN_MUST_CHECK fn_status assign_state_finish(struct assign_state *st, double threshold,
                                            struct assign_pair **matches, size_t *nmatches,
                                            struct assign_conflict **conflicts, size_t *nconflicts);
void assign_state_free(struct assign_state *st);

#endif
