/* fsmodel.c – Fellegi–Sunter with EM over distinct patterns (fsmodel.h). */
#include "link/fsmodel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/hash.h"

static uint64_t pattern_hash(const uint8_t *l, int n)
{
    return fn_fnv1a(FN_FNV_OFFSET, l, (size_t)n);
}

fn_status fs_patterns_init(struct fs_patterns *ps, int nfields)
{
    memset(ps, 0, sizeof *ps);
    if (nfields < 1 || nfields > FS_MAX_FIELDS)
        return FN_INVALID;
    ps->nfields = nfields;
    ps->nslots = 1024;
    ps->slots = fn_calloc(ps->nslots, sizeof *ps->slots);
    return ps->slots ? FN_OK : FN_NOMEM;
}

void fs_patterns_free(struct fs_patterns *ps)
{
    if (!ps)
        return;
    fn_free(ps->levels);
    fn_free(ps->counts);
    fn_free(ps->slots);
    memset(ps, 0, sizeof *ps);
}

static fn_status rehash(struct fs_patterns *ps)
{
    size_t nslots = ps->nslots * 2;
    size_t *slots = fn_calloc(nslots, sizeof *slots);
    if (!slots)
        return FN_NOMEM;
    for (size_t i = 0; i < ps->n; i++) {
        size_t s = pattern_hash(ps->levels + i * (size_t)ps->nfields, ps->nfields) & (nslots - 1);
        while (slots[s])
            s = (s + 1) & (nslots - 1);
        slots[s] = i + 1;
    }
    fn_free(ps->slots);
    ps->slots = slots;
    ps->nslots = nslots;
    return FN_OK;
}

struct pattern_entry {
    uint8_t levels[FS_MAX_FIELDS]; /* zero beyond nfields */
    uint64_t count;
};

static int pattern_entry_cmp(const void *a, const void *b)
{
    return memcmp(((const struct pattern_entry *)a)->levels,
                  ((const struct pattern_entry *)b)->levels, FS_MAX_FIELDS);
}

fn_status fs_patterns_sort(struct fs_patterns *ps)
{
    size_t nf = (size_t)ps->nfields;
    if (ps->n < 2)
        return FN_OK;
    struct pattern_entry *e = fn_calloc(ps->n, sizeof *e);
    if (!e)
        return FN_NOMEM;
    for (size_t i = 0; i < ps->n; i++) {
        memcpy(e[i].levels, ps->levels + i * nf, nf);
        e[i].count = ps->counts[i];
    }
    qsort(e, ps->n, sizeof *e, pattern_entry_cmp);
    for (size_t i = 0; i < ps->n; i++) {
        memcpy(ps->levels + i * nf, e[i].levels, nf);
        ps->counts[i] = e[i].count;
    }
    fn_free(e);
    /* the slots point at the old positions */
    memset(ps->slots, 0, ps->nslots * sizeof *ps->slots);
    for (size_t i = 0; i < ps->n; i++) {
        size_t s = pattern_hash(ps->levels + i * nf, ps->nfields) & (ps->nslots - 1);
        while (ps->slots[s])
            s = (s + 1) & (ps->nslots - 1);
        ps->slots[s] = i + 1;
    }
    return FN_OK;
}

fn_status fs_patterns_add(struct fs_patterns *ps, const uint8_t *levels, uint64_t count)
{
    size_t nf = (size_t)ps->nfields;
    size_t s = pattern_hash(levels, ps->nfields) & (ps->nslots - 1);
    while (ps->slots[s]) {
        size_t i = ps->slots[s] - 1;
        if (memcmp(ps->levels + i * nf, levels, nf) == 0) {
            ps->counts[i] += count;
            return FN_OK;
        }
        s = (s + 1) & (ps->nslots - 1);
    }
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 64;
        uint8_t *lv = fn_reallocarray(ps->levels, cap, nf);
        if (!lv)
            return FN_NOMEM;
        ps->levels = lv;
        uint64_t *ct = fn_reallocarray(ps->counts, cap, sizeof *ct);
        if (!ct)
            return FN_NOMEM;
        ps->counts = ct;
        ps->cap = cap;
    }
    memcpy(ps->levels + ps->n * nf, levels, nf);
    ps->counts[ps->n] = count;
    ps->slots[s] = ++ps->n;
    if (ps->n * 2 > ps->nslots)
        return rehash(ps);
    return FN_OK;
}

fn_status fs_model_init(struct fs_model *fm, int nfields, const int *nlevels,
                        const struct fs_patterns *random_pairs)
{
    memset(fm, 0, sizeof *fm);
    if (nfields < 1 || nfields > FS_MAX_FIELDS || random_pairs->nfields != nfields)
        return FN_INVALID;
    fm->nfields = nfields;
    for (int f = 0; f < nfields; f++) {
        if (nlevels[f] < 2 || nlevels[f] > FS_MAX_LEVELS)
            return FN_INVALID;
        fm->nlevels[f] = nlevels[f];
        double total = 0.0;
        double counts[FS_MAX_LEVELS] = {0};
        for (size_t i = 0; i < random_pairs->n; i++) {
            uint8_t l = random_pairs->levels[i * (size_t)nfields + (size_t)f];
            if (l >= nlevels[f])
                return FN_INVALID;
            counts[l] += (double)random_pairs->counts[i];
            total += (double)random_pairs->counts[i];
        }
        for (int l = 0; l < nlevels[f]; l++) {
            fm->u[f][l] = (counts[l] + 1.0) / (total + nlevels[f]); /* Laplace */
            /* m starts geometric: the best (lowest) levels most likely */
            fm->m[f][l] = pow(0.5, l + 1);
        }
        double msum = 0.0;
        for (int l = 0; l < nlevels[f]; l++)
            msum += fm->m[f][l];
        for (int l = 0; l < nlevels[f]; l++)
            fm->m[f][l] /= msum;
    }
    fm->p = 0.1;
    return FN_OK;
}

fn_status fs_model_em(struct fs_model *fm, const struct fs_patterns *candidates, int max_iter,
                      double tol)
{
    if (candidates->nfields != fm->nfields || !candidates->n)
        return FN_INVALID;
    int nf = fm->nfields;
    for (size_t i = 0; i < candidates->n; i++)
        for (int f = 0; f < nf; f++)
            if (candidates->levels[i * (size_t)nf + (size_t)f] >= fm->nlevels[f])
                return FN_INVALID;
    for (fm->iterations = 0; fm->iterations < max_iter; fm->iterations++) {
        double mnew[FS_MAX_FIELDS][FS_MAX_LEVELS] = {{0}};
        double gsum = 0.0, total = 0.0;
        /* E step: posterior of "match" per pattern; M step sums at once */
        for (size_t i = 0; i < candidates->n; i++) {
            const uint8_t *lv = candidates->levels + i * (size_t)nf;
            double lm = log(fm->p), lu = log(1.0 - fm->p);
            for (int f = 0; f < nf; f++) {
                lm += log(fm->m[f][lv[f]]);
                lu += log(fm->u[f][lv[f]]);
            }
            double g = 1.0 / (1.0 + exp(lu - lm));
            double cnt = (double)candidates->counts[i];
            gsum += g * cnt;
            total += cnt;
            for (int f = 0; f < nf; f++)
                mnew[f][lv[f]] += g * cnt;
        }
        double change = 0.0;
        double pnew = gsum / total;
        if (pnew < 1e-9)
            pnew = 1e-9;
        if (pnew > 1.0 - 1e-9)
            pnew = 1.0 - 1e-9;
        change = fabs(pnew - fm->p);
        fm->p = pnew;
        for (int f = 0; f < nf; f++) {
            for (int l = 0; l < fm->nlevels[f]; l++) {
                /* tiny floor keeps log() finite for levels no match shows */
                double v = (mnew[f][l] + 1e-6) / (gsum + 1e-6 * fm->nlevels[f]);
                if (fabs(v - fm->m[f][l]) > change)
                    change = fabs(v - fm->m[f][l]);
                fm->m[f][l] = v;
            }
        }
        if (change < tol) {
            fm->iterations++;
            break;
        }
    }
    for (int f = 0; f < nf; f++)
        for (int l = 0; l < fm->nlevels[f]; l++)
            fm->weight[f][l] = log2(fm->m[f][l] / fm->u[f][l]);
    return FN_OK;
}

double fs_model_weight(const struct fs_model *fm, const uint8_t *levels, double *contrib)
{
    double w = 0.0;
    for (int f = 0; f < fm->nfields; f++) {
        double c = fm->weight[f][levels[f]];
        if (contrib)
            contrib[f] = c;
        w += c;
    }
    return w;
}

double fs_model_posterior(const struct fs_model *fm, double w)
{
    double prior = log2(fm->p / (1.0 - fm->p));
    return 1.0 / (1.0 + exp2(-(w + prior)));
}
