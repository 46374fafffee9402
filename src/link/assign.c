/* assign.c – one-to-one assignment by mutual best (see assign.h). */
#include "link/assign.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"

#define NONE UINT32_MAX

struct assign_state {
    size_t na, nb;
    uint32_t *best_b; /* per a: its best b */
    uint32_t *best_a; /* per b: its best a */
    double *wb, *wa;  /* the best weights */
    unsigned char *tied;
};

void assign_state_free(struct assign_state *st)
{
    if (!st)
        return;
    fn_free(st->best_b);
    fn_free(st->best_a);
    fn_free(st->wb);
    fn_free(st->wa);
    fn_free(st->tied);
    fn_free(st);
}

fn_status assign_state_new(size_t na, size_t nb, struct assign_state **out)
{
    *out = NULL;
    struct assign_state *st = fn_calloc(1, sizeof *st);
    if (!st)
        return FN_NOMEM;
    st->na = na;
    st->nb = nb;
    st->best_b = fn_malloc((na ? na : 1) * sizeof *st->best_b);
    st->best_a = fn_malloc((nb ? nb : 1) * sizeof *st->best_a);
    st->wb = fn_malloc((na ? na : 1) * sizeof *st->wb);
    st->wa = fn_malloc((nb ? nb : 1) * sizeof *st->wa);
    st->tied = fn_calloc(na ? na : 1, 1);
    if (!st->best_b || !st->best_a || !st->wb || !st->wa || !st->tied) {
        assign_state_free(st);
        return FN_NOMEM;
    }
    for (size_t i = 0; i < na; i++) {
        st->best_b[i] = NONE;
        st->wb[i] = -INFINITY;
    }
    for (size_t i = 0; i < nb; i++) {
        st->best_a[i] = NONE;
        st->wa[i] = -INFINITY;
    }
    *out = st;
    return FN_OK;
}

fn_status assign_state_add(struct assign_state *st, uint32_t a, uint32_t b, double w)
{
    if (a >= st->na || b >= st->nb || isnan(w))
        return FN_INVALID;
    /* the lower index wins a tie, whatever the order of the calls */
    if (w > st->wb[a] || (w == st->wb[a] && b < st->best_b[a])) {
        st->tied[a] = w == st->wb[a];
        st->wb[a] = w;
        st->best_b[a] = b;
    } else if (w == st->wb[a]) {
        st->tied[a] = 1;
    }
    if (w > st->wa[b] || (w == st->wa[b] && a < st->best_a[b])) {
        st->wa[b] = w;
        st->best_a[b] = a;
    }
    return FN_OK;
}

fn_status assign_state_finish(struct assign_state *st, double threshold,
                              struct assign_pair **matches, size_t *nmatches,
                              struct assign_conflict **conflicts, size_t *nconflicts)
{
    *matches = NULL;
    *conflicts = NULL;
    *nmatches = *nconflicts = 0;
    /* at most one match or conflict per record of a */
    struct assign_pair *m = fn_malloc((st->na ? st->na : 1) * sizeof *m);
    struct assign_conflict *c = fn_malloc((st->na ? st->na : 1) * sizeof *c);
    if (!m || !c) {
        fn_free(m);
        fn_free(c);
        return FN_NOMEM;
    }
    size_t nm = 0, nc = 0;
    for (size_t a = 0; a < st->na; a++) {
        uint32_t b = st->best_b[a];
        double w = st->wb[a];
        if (b == NONE || w < threshold)
            continue;
        if (st->tied[a])
            c[nc++] = (struct assign_conflict){(uint32_t)a, b, w, ASSIGN_TIED};
        else if (st->best_a[b] == a)
            m[nm++] = (struct assign_pair){(uint32_t)a, b, w};
        else
            c[nc++] = (struct assign_conflict){(uint32_t)a, b, w, ASSIGN_CONTESTED};
    }
    *matches = m;
    *conflicts = c;
    *nmatches = nm;
    *nconflicts = nc;
    return FN_OK;
}

fn_status assign_mutual_best(const struct assign_pair *pairs, size_t n, size_t na, size_t nb,
                             double threshold, struct assign_pair **matches, size_t *nmatches,
                             struct assign_conflict **conflicts, size_t *nconflicts)
{
    *matches = NULL;
    *conflicts = NULL;
    *nmatches = *nconflicts = 0;
    struct assign_state *st = NULL;
    fn_status rc = assign_state_new(na, nb, &st);
    for (size_t i = 0; !rc && i < n; i++)
        rc = assign_state_add(st, pairs[i].a, pairs[i].b, pairs[i].w);
    if (!rc)
        rc = assign_state_finish(st, threshold, matches, nmatches, conflicts, nconflicts);
    assign_state_free(st);
    return rc;
}
