/* assign.c – mutual-best one-to-one assignment (see assign.h). */
#include "link/assign.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"

#define NONE UINT32_MAX

fn_status assign_mutual_best(const struct assign_pair *pairs, size_t n, size_t na, size_t nb,
                             double threshold, struct assign_pair **matches, size_t *nmatches,
                             struct assign_conflict **conflicts, size_t *nconflicts)
{
    *matches = NULL;
    *conflicts = NULL;
    *nmatches = *nconflicts = 0;
    fn_status rc = FN_NOMEM;
    uint32_t *best_b = fn_malloc((na ? na : 1) * sizeof *best_b);
    uint32_t *best_a = fn_malloc((nb ? nb : 1) * sizeof *best_a);
    double *wb = fn_malloc((na ? na : 1) * sizeof *wb);
    double *wa = fn_malloc((nb ? nb : 1) * sizeof *wa);
    unsigned char *tied = fn_calloc(na ? na : 1, 1);
    /* at most one match or conflict per record of a */
    struct assign_pair *m = fn_malloc((na ? na : 1) * sizeof *m);
    struct assign_conflict *c = fn_malloc((na ? na : 1) * sizeof *c);
    if (!best_b || !best_a || !wb || !wa || !tied || !m || !c)
        goto out;
    for (size_t i = 0; i < na; i++) {
        best_b[i] = NONE;
        wb[i] = -INFINITY;
    }
    for (size_t i = 0; i < nb; i++) {
        best_a[i] = NONE;
        wa[i] = -INFINITY;
    }
    rc = FN_INVALID;
    for (size_t i = 0; i < n; i++) {
        const struct assign_pair *p = &pairs[i];
        if (p->a >= na || p->b >= nb || isnan(p->w))
            goto out;
        if (p->w > wb[p->a] || (p->w == wb[p->a] && p->b < best_b[p->a])) {
            tied[p->a] = p->w == wb[p->a];
            wb[p->a] = p->w;
            best_b[p->a] = p->b;
        } else if (p->w == wb[p->a]) {
            tied[p->a] = 1;
        }
        if (p->w > wa[p->b] || (p->w == wa[p->b] && p->a < best_a[p->b])) {
            wa[p->b] = p->w;
            best_a[p->b] = p->a;
        }
    }
    size_t nm = 0, nc = 0;
    for (size_t a = 0; a < na; a++) {
        uint32_t b = best_b[a];
        if (b == NONE || wb[a] < threshold)
            continue;
        if (tied[a]) {
            c[nc++] = (struct assign_conflict){(uint32_t)a, b, wb[a], ASSIGN_TIED};
            continue;
        }
        if (best_a[b] == a)
            m[nm++] = (struct assign_pair){(uint32_t)a, b, wb[a]};
        else
            c[nc++] = (struct assign_conflict){(uint32_t)a, b, wb[a], ASSIGN_CONTESTED};
    }
    *matches = m;
    *conflicts = c;
    *nmatches = nm;
    *nconflicts = nc;
    m = NULL;
    c = NULL;
    rc = FN_OK;
out:
    fn_free(best_b);
    fn_free(best_a);
    fn_free(wb);
    fn_free(wa);
    fn_free(tied);
    fn_free(m);
    fn_free(c);
    return rc;
}
