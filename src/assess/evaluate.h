/*
 * evaluate.h – statistics for the pilot report: agreement between the
 * assessment and case workers' decisions (Cohen's kappa with a 95 %
 * confidence interval), override rates, and a subgroup audit (selection and
 * override rates by group, four-fifths ratio flagged). Pure functions over
 * decision records; the CLI collects the records (src/cli/cli_evaluate.c).
 */
#ifndef FN_ASSESS_EVALUATE_H
#define FN_ASSESS_EVALUATE_H

#include <stddef.h>

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

#endif
