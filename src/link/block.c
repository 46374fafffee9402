/* block.c – blocking by a union of keys (see block.h). */
#include "link/block.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

struct entry {
    uint64_t hash;
    uint32_t idx;
};

struct block_index {
    int nkeys;
    size_t max_block;
    struct entry *by_key[BLOCK_MAX_KEYS];
    size_t n[BLOCK_MAX_KEYS];
};

uint64_t block_hash(int kind, const char *s)
{
    if (!s || !*s)
        return 0;
    uint64_t h = 1469598103934665603ull ^ (uint64_t)(kind + 1) * 0x9E3779B97F4A7C15ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ? h : 1;
}

static int entry_cmp(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

void block_index_free(struct block_index *ix)
{
    if (!ix)
        return;
    for (int k = 0; k < BLOCK_MAX_KEYS; k++)
        fn_free(ix->by_key[k]);
    fn_free(ix);
}

fn_status block_index_build(const uint64_t *keys, size_t nrec, int nkeys, size_t max_block,
                            struct block_index **out)
{
    *out = NULL;
    if (nkeys < 1 || nkeys > BLOCK_MAX_KEYS || nrec > UINT32_MAX || !max_block)
        return FN_INVALID;
    struct block_index *ix = fn_calloc(1, sizeof *ix);
    if (!ix)
        return FN_NOMEM;
    ix->nkeys = nkeys;
    ix->max_block = max_block;
    for (int k = 0; k < nkeys; k++) {
        ix->by_key[k] = fn_calloc(nrec ? nrec : 1, sizeof(struct entry));
        if (!ix->by_key[k]) {
            block_index_free(ix);
            return FN_NOMEM;
        }
        size_t n = 0;
        for (size_t r = 0; r < nrec; r++) {
            uint64_t h = keys[r * (size_t)nkeys + (size_t)k];
            if (h)
                ix->by_key[k][n++] = (struct entry){h, (uint32_t)r};
        }
        qsort(ix->by_key[k], n, sizeof(struct entry), entry_cmp);
        ix->n[k] = n;
    }
    *out = ix;
    return FN_OK;
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* First entry with hash >= h. */
static size_t lower_bound(const struct entry *e, size_t n, uint64_t h)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

fn_status block_candidates(const struct block_index *ix, const uint64_t *keys, uint32_t *out,
                           size_t max_out, size_t *n, size_t *skipped)
{
    *n = 0;
    fn_status rc = FN_OK;
    for (int k = 0; k < ix->nkeys; k++) {
        uint64_t h = keys[k];
        if (!h)
            continue;
        const struct entry *e = ix->by_key[k];
        size_t lo = lower_bound(e, ix->n[k], h), hi = lo;
        while (hi < ix->n[k] && e[hi].hash == h)
            hi++;
        if (hi - lo > ix->max_block) {
            (*skipped)++;
            continue;
        }
        for (size_t i = lo; i < hi; i++) {
            if (*n == max_out) {
                rc = FN_TOO_LARGE;
                break;
            }
            out[(*n)++] = e[i].idx;
        }
    }
    if (*n > 1) {
        qsort(out, *n, sizeof *out, u32_cmp);
        size_t w = 1;
        for (size_t i = 1; i < *n; i++)
            if (out[i] != out[w - 1])
                out[w++] = out[i];
        *n = w;
    }
    return rc;
}
