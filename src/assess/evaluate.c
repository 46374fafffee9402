/* evaluate.c – kappa and subgroup rates for the pilot report (evaluate.h). */
#include "assess/evaluate.h"

#include <math.h>
#include <string.h>

void eval_kappa(const struct eval_record *r, size_t n, struct eval_kappa *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    if (!n)
        return;
    for (size_t i = 0; i < n; i++)
        out->table[r[i].recommended ? 1 : 0][r[i].accepted ? 1 : 0]++;
    double N = (double)n;
    double po = ((double)out->table[0][0] + (double)out->table[1][1]) / N;
    double row1 = ((double)out->table[1][0] + (double)out->table[1][1]) / N;
    double col1 = ((double)out->table[0][1] + (double)out->table[1][1]) / N;
    double pe = row1 * col1 + (1.0 - row1) * (1.0 - col1);
    out->observed = po;
    out->expected = pe;
    if (pe >= 1.0) {
        /* everyone in one cell: agreement is perfect but kappa is undefined */
        out->kappa = po >= 1.0 ? 1.0 : 0.0;
        out->ci_low = out->ci_high = out->kappa;
        return;
    }
    out->kappa = (po - pe) / (1.0 - pe);
    out->se = sqrt(po * (1.0 - po) / (N * (1.0 - pe) * (1.0 - pe)));
    out->ci_low = out->kappa - 1.96 * out->se;
    out->ci_high = out->kappa + 1.96 * out->se;
    if (out->ci_low < -1.0)
        out->ci_low = -1.0;
    if (out->ci_high > 1.0)
        out->ci_high = 1.0;
}

void eval_groups(const struct eval_record *r, size_t n, size_t ngroups, struct eval_group *out)
{
    memset(out, 0, ngroups * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        if (r[i].group < 0 || (size_t)r[i].group >= ngroups)
            continue;
        struct eval_group *g = &out[r[i].group];
        g->n++;
        g->accepted += r[i].accepted != 0;
        g->overrides += r[i].override != 0;
    }
    double max = 0.0;
    for (size_t k = 0; k < ngroups; k++) {
        struct eval_group *g = &out[k];
        if (!g->n)
            continue;
        g->selection_rate = (double)g->accepted / (double)g->n;
        g->override_rate = (double)g->overrides / (double)g->n;
        if (g->n >= 5 && g->selection_rate > max)
            max = g->selection_rate;
    }
    for (size_t k = 0; k < ngroups; k++) {
        struct eval_group *g = &out[k];
        g->ratio_to_max = max > 0.0 ? g->selection_rate / max : 0.0;
        g->flagged = g->n >= 5 && max > 0.0 && g->ratio_to_max < 0.8;
    }
}
