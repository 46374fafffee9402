/*
 * evaluate.h – statistics for the pilot report (issue 13).
 *
 * Pure part: agreement between the assessment and case workers' decisions
 * (Cohen's kappa with a 95 % confidence interval) and subgroup rates
 * (selection and override rates, four-fifths ratio flagged).
 *
 * Report part: an accumulator fed one person at a time by store_eval_each
 * (eval_collect), so that a million persons cost memory per group, not per
 * person. It counts each person's latest decision in the period once (the
 * earlier ones as history), groups by catalogue hash and version, and counts
 * bands and gates over the whole assessed population (latest assessment per
 * person as of the period's end) per subgroup (region, authority, sex, age
 * group, nationality), and band against case outcome. eval_report_json
 * renders it with small cells (1..EVAL_SMALL_CELL-1) suppressed, as the
 * statistik role requires (docs/access.md); nothing unsuppressed leaves it.
 */
#ifndef FN_ASSESS_EVALUATE_H
#define FN_ASSESS_EVALUATE_H

#include <jansson.h>
#include <stddef.h>

#include "store/store.h"

struct eval_record {
    int recommended; /* the assessment suggested intake: no gate and band A or B */
    int accepted;    /* the named person decided intake */
    int override;    /* the decision was recorded as a departure */
    int group;       /* subgroup index for the audit (0..ngroups-1), -1 unknown */
};

struct eval_kappa {
    size_t n;
    double observed; /* observed agreement */
    double expected; /* agreement expected by chance */
    double kappa;
    double se; /* standard error (Cohen 1960, large-sample) */
    double ci_low, ci_high;
    size_t table[2][2]; /* [recommended][accepted] */
};

/* Cohen's kappa of recommended vs accepted. With n = 0 every figure is 0. */
void eval_kappa(const struct eval_record *r, size_t n, struct eval_kappa *out);
/* The same from a filled table [recommended][accepted]. */
void eval_kappa_table(const size_t table[2][2], struct eval_kappa *out);

struct eval_group {
    size_t n;
    size_t accepted;
    size_t overrides;
    double selection_rate; /* accepted / n */
    double override_rate;  /* overrides / n */
    double ratio_to_max;   /* selection_rate / highest selection rate of any group */
    int flagged;           /* ratio_to_max < 0.8 (four-fifths rule) with n >= 5 */
};

/* Per-group rates for groups 0..ngroups-1 (records with group < 0 are left
 * out). out has ngroups entries. */
void eval_groups(const struct eval_record *r, size_t n, size_t ngroups, struct eval_group *out);
/* The rates and flags of groups whose n, accepted and overrides are filled. */
void eval_group_rates(struct eval_group *g, size_t ngroups);

/* ---- the report ---- */

#define EVAL_SMALL_CELL 5   /* counts 1..4 are suppressed */
#define EVAL_MAX_GROUPS 256 /* groups per subgroup kind; more count as "andere" */
#define EVAL_MAX_GATES  16  /* distinct gate ids; more count as "andere" */

struct eval_report;

/* A new, empty report; ages are counted as of ref_year. Caller frees with
 * eval_report_free. FN_NOMEM. */
FN_MUST_CHECK fn_status eval_report_new(int ref_year, struct eval_report **out);
void eval_report_free(struct eval_report *r);

/* Counts one person's latest decision, or one person of the population. */
FN_MUST_CHECK fn_status eval_add_decision(struct eval_report *r,
                                          const struct store_eval_decision *d);
FN_MUST_CHECK fn_status eval_add_person(struct eval_report *r, const struct store_eval_person *p);

/* NULL when f's values are well-formed, else the German message: a date
 * that is not a real day as JJJJ-MM-TT, --from after --to, a region code
 * that is not 1..32 letters, digits, '-' or '_'. Whether the region exists
 * the store says (FN_NOTFOUND). */
const char *eval_filter_check(const struct store_eval_filter *f);

/* Fills r from the store (store_eval_each; its errors: FN_DENIED,
 * FN_INVALID for a bad date, FN_NOTFOUND for an unknown region). */
FN_MUST_CHECK fn_status eval_collect(struct store *st, const struct store_actor *a,
                                     const struct store_eval_filter *f, struct eval_report *r);

/* The report as JSON with small cells suppressed ("<5"); NULL on FN_NOMEM.
 * Caller json_decref-s. */
json_t *eval_report_json(const struct eval_report *r, const struct store_eval_filter *f);

#endif
