/* block.c – blocking by a union of keys (see block.h). */
#include "link/block.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/hash.h"
#include "core/parallel.h"

struct entry {
    uint64_t hash;
    uint32_t idx;
};

/* One key kind: the record indices grouped by key (sorted by key, then
 * index) and an open-addressing table from key to its group, so a lookup
 * costs one or two cache misses instead of a binary search. */
struct group {
    uint64_t hash;       /* the key */
    uint32_t start, end; /* its records: idx[start, end) */
};

struct key_table {
    uint32_t *idx;     /* record indices, grouped */
    struct group *grp; /* per group: the key and its records, one load for both */
    uint32_t ngroups;
    uint32_t *slots; /* group + 1, 0 = free */
    size_t nslots;   /* power of two */
};

struct block_index {
    int nkeys;
    size_t max_block;
    struct key_table t[BLOCK_MAX_KEYS];
};

uint64_t block_hash(int kind, const char *s)
{
    if (!s || !*s)
        return 0;
    uint64_t h =
        fn_fnv1a(FN_FNV_OFFSET ^ (uint64_t)(kind + 1) * 0x9E3779B97F4A7C15ull, s, strlen(s));
    return h ? h : 1;
}

void block_index_free(struct block_index *ix)
{
    if (!ix)
        return;
    for (int k = 0; k < BLOCK_MAX_KEYS; k++) {
        fn_free(ix->t[k].idx);
        fn_free(ix->t[k].grp);
        fn_free(ix->t[k].slots);
    }
    fn_free(ix);
}

static size_t slot_of(uint64_t h, size_t nslots)
{
    return (size_t)((h * 0x9E3779B97F4A7C15ull) >> 17) & (nslots - 1);
}

/* Builds the table of key kind k from the sorted entries e[0..n). */
static fn_status table_build(struct key_table *t, const struct entry *e, size_t n)
{
    t->idx = fn_malloc((n ? n : 1) * sizeof *t->idx);
    t->grp = fn_malloc((n ? n : 1) * sizeof *t->grp);
    if (!t->idx || !t->grp)
        return FN_NOMEM;
    uint32_t g = 0;
    for (size_t i = 0; i < n; i++) {
        t->idx[i] = e[i].idx;
        if (i == 0 || e[i].hash != e[i - 1].hash) {
            if (g)
                t->grp[g - 1].end = (uint32_t)i;
            t->grp[g].hash = e[i].hash;
            t->grp[g++].start = (uint32_t)i;
        }
    }
    if (g)
        t->grp[g - 1].end = (uint32_t)n;
    t->ngroups = g;
    t->nslots = 16;
    while (t->nslots < (size_t)g * 2)
        t->nslots *= 2;
    t->slots = fn_calloc(t->nslots, sizeof *t->slots);
    if (!t->slots)
        return FN_NOMEM;
    for (uint32_t k = 0; k < g; k++) {
        size_t s = slot_of(t->grp[k].hash, t->nslots);
        while (t->slots[s])
            s = (s + 1) & (t->nslots - 1);
        t->slots[s] = k + 1;
    }
    return FN_OK;
}

/* Sorts e[0..n) by (hash, idx) given that it is in ascending idx order: a
 * stable LSD radix sort on the hash, four passes of 16 bits through tmp
 * (n entries), much faster than qsort with a comparator on millions of
 * entries. The result is in e. */
static void sort_entries(struct entry *e, struct entry *tmp, size_t n, uint32_t *count)
{
    struct entry *src = e, *dst = tmp;
    for (int pass = 0; pass < 4; pass++) {
        int shift = pass * 16;
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(src[i].hash >> shift) & 0xFFFF]++;
        if (count[(src[0].hash >> shift) & 0xFFFF] == n) /* one digit: nothing to move */
            continue;
        uint32_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            uint32_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i].hash >> shift) & 0xFFFF]++] = src[i];
        struct entry *t = src;
        src = dst;
        dst = t;
    }
    if (src != e)
        memcpy(e, src, n * sizeof *e);
}

struct build_ctx {
    const uint64_t *keys;
    size_t nrec;
    int nkeys;
    struct block_index *ix;
};

/* The tables of the key kinds in [from, to), with this range's buffers. */
static fn_status build_range(void *ctx, int range, size_t from, size_t to)
{
    (void)range;
    const struct build_ctx *x = ctx;
    size_t nrec = x->nrec;
    if (from >= to) /* more threads than key kinds: no buffers for nothing */
        return FN_OK;
    struct entry *e = fn_malloc((nrec ? nrec : 1) * sizeof *e);
    struct entry *tmp = fn_malloc((nrec ? nrec : 1) * sizeof *tmp);
    uint32_t *count = fn_malloc(65536 * sizeof *count);
    fn_status rc = FN_NOMEM;
    if (!e || !tmp || !count)
        goto out;
    rc = FN_OK;
    for (size_t k = from; k < to && !rc; k++) {
        size_t n = 0;
        for (size_t r = 0; r < nrec; r++) {
            uint64_t h = x->keys[r * (size_t)x->nkeys + k];
            if (h)
                e[n++] = (struct entry){h, (uint32_t)r};
        }
        if (n > 1)
            sort_entries(e, tmp, n, count);
        rc = table_build(&x->ix->t[k], e, n);
    }
out:
    fn_free(e);
    fn_free(tmp);
    fn_free(count);
    return rc;
}

fn_status block_index_build(const uint64_t *keys, size_t nrec, int nkeys, size_t max_block,
                            struct block_index **out)
{
    return block_index_build_threads(keys, nrec, nkeys, max_block, 1, out);
}

fn_status block_index_build_threads(const uint64_t *keys, size_t nrec, int nkeys, size_t max_block,
                                    int threads, struct block_index **out)
{
    *out = NULL;
    if (nkeys < 1 || nkeys > BLOCK_MAX_KEYS || nrec >= UINT32_MAX || !max_block)
        return FN_INVALID;
    struct block_index *ix = fn_calloc(1, sizeof *ix);
    if (!ix)
        return FN_NOMEM;
    ix->nkeys = nkeys;
    ix->max_block = max_block;
    struct build_ctx x = {keys, nrec, nkeys, ix};
    fn_status rc = fn_parallel_ranges(threads, (size_t)nkeys, build_range, &x);
    if (rc) {
        block_index_free(ix);
        return rc;
    }
    *out = ix;
    return FN_OK;
}

/* Sorts candidate indices in place: insertion sort for short runs,
 * quicksort (median of three, smaller side by recursion) above; no
 * allocation, unlike qsort, and the candidate loop sorts for every record. */
static void sort_u32(uint32_t *a, size_t n)
{
    while (n > 24) {
        uint32_t x = a[0], y = a[n / 2], z = a[n - 1];
        uint32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        size_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            uint32_t t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
            j--;
        }
        size_t left = j + 1; /* [0, left) <= pivot <= [left, n) */
        if (left < n - left) {
            sort_u32(a, left);
            a += left;
            n -= left;
        } else {
            sort_u32(a + left, n - left);
            n = left;
        }
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

void block_prefetch_slots(const struct block_index *ix, const uint64_t *keys)
{
    for (int k = 0; k < ix->nkeys; k++)
        if (keys[k] && ix->t[k].ngroups)
            __builtin_prefetch(&ix->t[k].slots[slot_of(keys[k], ix->t[k].nslots)]);
}

/* The group of key h in table t, or NULL: the one lookup every reader
 * shares. */
static const struct group *find_group(const struct key_table *t, uint64_t h)
{
    if (!h || !t->ngroups)
        return NULL;
    for (size_t s = slot_of(h, t->nslots); t->slots[s]; s = (s + 1) & (t->nslots - 1))
        if (t->grp[t->slots[s] - 1].hash == h)
            return &t->grp[t->slots[s] - 1];
    return NULL;
}

/* The group the first probe of key h finds (nearly always its group, if it
 * has one; a prefetch needs no more), or NULL. */
static const struct group *first_probe(const struct key_table *t, uint64_t h)
{
    if (!h || !t->ngroups)
        return NULL;
    uint32_t g = t->slots[slot_of(h, t->nslots)];
    return g ? &t->grp[g - 1] : NULL;
}

void block_prefetch_groups(const struct block_index *ix, const uint64_t *keys)
{
    for (int k = 0; k < ix->nkeys; k++) {
        const struct group *g = first_probe(&ix->t[k], keys[k]);
        if (g)
            __builtin_prefetch(g);
    }
}

void block_prefetch_lists(const struct block_index *ix, const uint64_t *keys)
{
    for (int k = 0; k < ix->nkeys; k++) {
        const struct group *g = first_probe(&ix->t[k], keys[k]);
        if (g && g->hash == keys[k])
            __builtin_prefetch(&ix->t[k].idx[g->start]);
    }
}

fn_status block_candidates(const struct block_index *ix, const uint64_t *keys, uint32_t *out,
                           size_t max_out, size_t *n, size_t *skipped)
{
    *n = 0;
    fn_status rc = FN_OK;
    for (int k = 0; k < ix->nkeys && !rc; k++) {
        const struct key_table *t = &ix->t[k];
        const struct group *g = find_group(t, keys[k]);
        if (!g)
            continue;
        uint32_t lo = g->start, hi = g->end;
        if (hi - lo > ix->max_block) {
            (*skipped)++;
            continue;
        }
        for (uint32_t i = lo; i < hi; i++) {
            if (*n == max_out) {
                rc = FN_TOO_LARGE;
                break;
            }
            out[(*n)++] = t->idx[i];
        }
    }
    if (*n > 1) {
        sort_u32(out, *n);
        size_t w = 1;
        for (size_t i = 1; i < *n; i++)
            if (out[i] != out[w - 1])
                out[w++] = out[i];
        *n = w;
    }
    return rc;
}

fn_status block_candidates_unsorted(const struct block_index *ix, const uint64_t *keys,
                                    uint32_t *out, size_t max_out, size_t *n, size_t *skipped,
                                    uint64_t *seen)
{
    *n = 0;
    fn_status rc = FN_OK;
    size_t raw = 0; /* counted like block_candidates counts, duplicates included */
    for (int k = 0; k < ix->nkeys && !rc; k++) {
        const struct key_table *t = &ix->t[k];
        const struct group *g = find_group(t, keys[k]);
        if (!g)
            continue;
        if (g->end - g->start > ix->max_block) {
            (*skipped)++;
            continue;
        }
        for (uint32_t i = g->start; i < g->end; i++, raw++) {
            if (raw == max_out) {
                rc = FN_TOO_LARGE;
                break;
            }
            uint32_t r = t->idx[i];
            uint64_t bit = (uint64_t)1 << (r & 63);
            if (!(seen[r >> 6] & bit)) {
                seen[r >> 6] |= bit;
                out[(*n)++] = r;
            }
        }
    }
    for (size_t i = 0; i < *n; i++) /* leave the bitmap as it was given */
        seen[out[i] >> 6] &= ~((uint64_t)1 << (out[i] & 63));
    return rc;
}

void block_index_stats(const struct block_index *ix, int k, struct block_stats *out)
{
    memset(out, 0, sizeof *out);
    if (k < 0 || k >= ix->nkeys)
        return;
    const struct key_table *t = &ix->t[k];
    double sq = 0.0;
    out->groups = t->ngroups;
    for (uint32_t g = 0; g < t->ngroups; g++) {
        size_t n = t->grp[g].end - t->grp[g].start;
        out->records += n;
        if (n > out->largest)
            out->largest = n;
        sq += (double)n * (double)n;
    }
    out->mean_met = out->records ? sq / (double)out->records : 0.0;
}

size_t block_size_of(const struct block_index *ix, int k, uint64_t h)
{
    if (k < 0 || k >= ix->nkeys)
        return 0;
    const struct group *g = find_group(&ix->t[k], h);
    return g ? g->end - g->start : 0;
}

void block_index_set_max_block(struct block_index *ix, size_t max_block)
{
    ix->max_block = max_block ? max_block : 1;
}
