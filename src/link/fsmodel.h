/*
 * fsmodel.h – the Fellegi–Sunter model of the linkage engine.
 *
 * A candidate pair is a comparison vector: one agreement level per field
 * (levels from compare.h). Under conditional independence a pair's match
 * weight is the sum over fields of log2(m/u) for its level, where m is the
 * level's probability among true matches and u among non-matches.
 *
 * u comes from random pairs (almost all non-matches); m and the match share p
 * are estimated without labels by EM over the *distinct* agreement patterns
 * with their counts, so EM costs O(patterns × fields) per iteration however
 * many pairs there are. Deterministic: fixed start values, fixed order.
 */
#ifndef FN_LINK_FSMODEL_H
#define FN_LINK_FSMODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

#define FS_MAX_FIELDS 12
#define FS_MAX_LEVELS 8

struct fs_model {
    int nfields;
    int nlevels[FS_MAX_FIELDS]; /* levels per field (<= FS_MAX_LEVELS) */
    double m[FS_MAX_FIELDS][FS_MAX_LEVELS];
    double u[FS_MAX_FIELDS][FS_MAX_LEVELS];
    double p;                                    /* estimated share of matches among candidates */
    int iterations;                              /* EM iterations run */
    double weight[FS_MAX_FIELDS][FS_MAX_LEVELS]; /* log2(m/u), filled by fs_finish */
};

/* A set of distinct patterns with counts (grown by fs_patterns_add). */
struct fs_patterns {
    int nfields;
    uint8_t *levels;  /* n x nfields */
    uint64_t *counts; /* n */
    size_t n, cap;
    size_t *slots; /* open-addressing table of indices + 1 */
    size_t nslots;
};

/* Starts an empty pattern set for nfields fields. Free with fs_patterns_free. */
FN_MUST_CHECK fn_status fs_patterns_init(struct fs_patterns *ps, int nfields);
void fs_patterns_free(struct fs_patterns *ps);
/* Counts one comparison vector (levels[nfields]). */
FN_MUST_CHECK fn_status fs_patterns_add(struct fs_patterns *ps, const uint8_t *levels,
                                        uint64_t count);

/* Puts the patterns in ascending order of their levels, so that what is
 * computed over them (EM sums) does not depend on the order they were
 * added in. */
FN_MUST_CHECK fn_status fs_patterns_sort(struct fs_patterns *ps);

/* Sets up a model: u from the level counts of random pairs (Laplace-smoothed
 * so no level has u = 0), m initialised to favour the best levels, p = 0.1. */
FN_MUST_CHECK fn_status fs_model_init(struct fs_model *fm, int nfields, const int *nlevels,
                                      const struct fs_patterns *random_pairs);

/* Runs EM on the candidate patterns until the largest change of any m or p
 * is below tol or max_iter is reached. u stays as estimated from random
 * pairs. The patterns should be pairs that are mostly matches or random
 * non-matches: blocked non-matches (relatives, namesakes) agree more than
 * random pairs, and EM would explain them as matches (docs/reconcile.md runs
 * it on each record's best candidate). Fills fm->weight. */
FN_MUST_CHECK fn_status fs_model_em(struct fs_model *fm, const struct fs_patterns *candidates,
                                    int max_iter, double tol);

/* Match weight of a comparison vector; with contrib (nfields entries) the
 * per-field contributions, which sum to the result. */
double fs_model_weight(const struct fs_model *fm, const uint8_t *levels, double *contrib);

/* Posterior probability of a match for a weight w under the model's p. */
double fs_model_posterior(const struct fs_model *fm, double w);

#endif
