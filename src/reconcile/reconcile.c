/* reconcile.c – the reconciliation pipeline: candidate scoring, the model,
 * assignment, explanation and the run (see reconcile.h, rec_internal.h,
 * docs/reconcile.md). */
#include "reconcile/reconcile.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/file.h"
#include "core/parallel.h"
#include "core/progress.h"
#include "link/block.h"
#include "link/compare.h"
#include "reconcile/rec_internal.h"

/* ---- candidate scoring (parallel over fixed chunks, joined in order) ---- */

/* The block cap for this run: MAX_BLOCK, halved while the candidate pairs it
 * allows (an upper bound: block sizes summed per local record, before
 * duplicates across keys are removed) exceed PAIR_BUDGET. Skewed data (one
 * name for a third of a register) would otherwise make the run quadratic in
 * time and memory; what is skipped is counted in summary.json. */
struct budget_ctx {
    const struct block_index *ix;
    const struct side *loc;
    size_t cap;
    double total[FN_PARALLEL_MAX]; /* per range */
};

static fn_status budget_range(void *ctx, int range, size_t from, size_t to)
{
    struct budget_ctx *x = ctx;
    double total = 0.0;
    for (size_t i = from; i < to; i++)
        for (int k = 0; k < NKEYS; k++) {
            size_t b = block_size_of(x->ix, k, x->loc->keys[i * NKEYS + (size_t)k]);
            if (b <= x->cap)
                total += (double)b;
        }
    x->total[range] = total;
    return FN_OK;
}

static size_t block_cap_for_budget(const struct block_index *ix, const struct side *loc,
                                   int threads)
{
    struct budget_ctx x = {ix, loc, MAX_BLOCK, {0}};
    double budget = PAIR_BUDGET;
    const char *env = getenv("FALLNETZ_PAIR_BUDGET"); /* operators and tests */
    if (env && *env) {
        char *end;
        double v = strtod(env, &end);
        if (*end == '\0' && v >= 1.0)
            budget = v;
    }
    for (;;) {
        memset(x.total, 0, sizeof x.total);
        if (fn_parallel_ranges(threads, loc->n, budget_range, &x))
            return x.cap; /* cannot fail: the ranges only read */
        double total = 0.0;
        for (int t = 0; t < FN_PARALLEL_MAX; t++)
            total += x.total[t];
        if (total <= budget || x.cap <= 50)
            return x.cap;
        x.cap /= 2;
    }
}

/* The scored pairs of a chunk of local records: per pair the central
 * record, the comparison vector and the TF part; the local record is not
 * stored per pair but per run of pairs (rec_id[r] owns the pairs
 * [r ? rec_end[r - 1] : 0, rec_end[r])), which saves a fifth of the memory. */
struct chunk_out {
    uint32_t *b;
    uint8_t *lv; /* n * NF */
    float *tf;   /* n: term-frequency adjustment of the pair */
    size_t n, cap;
    uint32_t *rec_id;  /* nrec local records with pairs, in scoring order */
    uint32_t *rec_end; /* nrec: end of each one's pairs */
    size_t nrec;
    size_t skipped;
    fn_status rc;
};

/* Calls for every pair (a, q) of chunk c: a local record, q the pair's
 * index in c. A macro so that the loops stay plain loops. */
#define CHUNK_FOR_EACH_PAIR(c, a, q)                                                               \
    for (size_t a##_r = 0, q = 0; a##_r < (c)->nrec; a##_r++)                                      \
        for (uint32_t a = (c)->rec_id[a##_r]; q < (c)->rec_end[a##_r]; q++)

struct result;
static double tf_recs(const struct result *r, const struct dicts *dc, const struct rec *ra,
                      const struct rec *rb, const uint8_t *lv);

struct score_ctx {
    const struct result *r;
    const struct dicts *dc;
    const struct side *loc, *cen;
    const struct block_index *ix;
    const uint32_t *perm;            /* local records in scoring order (locality_order) */
    const struct rec_phys *cen_phys; /* central records in block order (central_layout) */
    struct chunk_out *chunks;
    size_t nchunks;
    atomic_size_t next;
    atomic_size_t done;
    atomic_uint_least64_t cpu_ns; /* CPU time of the workers */
    struct fn_progress *pr;       /* updated by the main thread only */
    pthread_t main_thread;
};

static fn_status chunk_push(struct chunk_out *c, uint32_t b, const uint8_t *lv, float tf)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 4096;
        uint32_t *nb = fn_reallocarray(c->b, cap, sizeof *nb);
        if (!nb)
            return FN_NOMEM;
        c->b = nb;
        uint8_t *nl = fn_reallocarray(c->lv, cap, NF);
        if (!nl)
            return FN_NOMEM;
        c->lv = nl;
        float *nt = fn_reallocarray(c->tf, cap, sizeof *nt);
        if (!nt)
            return FN_NOMEM;
        c->tf = nt;
        c->cap = cap;
    }
    c->tf[c->n] = tf;
    c->b[c->n] = b;
    memcpy(&c->lv[c->n * NF], lv, NF);
    c->n++;
    return FN_OK;
}

struct order_entry {
    uint32_t place, year;
    uint64_t names;
    uint32_t idx;
};

static int order_entry_cmp(const void *pa, const void *pb)
{
    const struct order_entry *a = pa, *b = pb;
    if (a->place != b->place)
        return a->place < b->place ? -1 : 1;
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    if (a->names != b->names)
        return a->names < b->names ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* The central records, each with its two name signatures, copied in the
 * order of birth place and year, and the block index over that layout (its
 * lists hold positions in *phys, whose r.orig fields are the indices): the keys with place and year
 * (4, 5, 6, 10; more than half of all candidates) then find their candidates close together, and
 * local records scored in the same order (locality_order) find them still in cache. *mem is freed
 * with fn_free. */
static fn_status central_layout(const struct dicts *dc, const struct side *cen, int threads,
                                void **mem, struct rec_phys **phys, struct block_index **ix)
{
    size_t n = cen->n;
    struct order_entry *e = fn_malloc((n ? n : 1) * sizeof *e);
    uint64_t *keys = fn_malloc((n ? n : 1) * NKEYS * sizeof *keys);
    *mem = fn_calloc((n ? n : 1) + 1, sizeof(struct rec_phys));
    fn_status rc = FN_NOMEM;
    if (!e || !keys || !*mem)
        goto out;
    *phys = (struct rec_phys *)(((uintptr_t)*mem + 63) & ~(uintptr_t)63);
    for (size_t i = 0; i < n; i++)
        e[i] = (struct order_entry){cen->rec[i].place, cen->rec[i].bdate.year, cen->order[i],
                                    (uint32_t)i};
    qsort(e, n, sizeof *e, order_entry_cmp);
    for (size_t p = 0; p < n; p++) {
        struct rec_phys *ph = &(*phys)[p];
        ph->r = cen->rec[e[p].idx];
        ph->fam = *link_name_dict_sig(dc->names, ph->r.fam);
        ph->giv = *link_name_dict_sig(dc->names, ph->r.giv);
        memcpy(&keys[p * NKEYS], &cen->keys[(size_t)e[p].idx * NKEYS], NKEYS * sizeof *keys);
    }
    rc = block_index_build_threads(keys, n, NKEYS, MAX_BLOCK, threads, ix);
out:
    fn_free(e);
    fn_free(keys);
    return rc;
}

/* The local records in the order they are scored: by birth place, year of
 * birth, first names, then index, the order of the central layout
 * (central_layout): consecutive records find many of their candidates, and
 * their namesakes' signatures and memo entries, still in cache. Pure speed: every consumer of the
 * scored pairs is independent of their order (EM sorts its patterns, assignment takes any order,
 * outputs are sorted). NULL when out of memory; free with fn_free. */
static uint32_t *locality_order(const struct side *loc)
{
    size_t n = loc->n;
    struct order_entry *e = fn_malloc((n ? n : 1) * sizeof *e);
    uint32_t *perm = fn_malloc((n ? n : 1) * sizeof *perm);
    if (!e || !perm) {
        fn_free(e);
        fn_free(perm);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        e[i] = (struct order_entry){loc->rec[i].place, loc->rec[i].bdate.year, loc->order[i],
                                    (uint32_t)i};
    qsort(e, n, sizeof *e, order_entry_cmp);
    for (size_t i = 0; i < n; i++)
        perm[i] = e[i].idx;
    fn_free(e);
    return perm;
}

/* The candidates of local record i into cand[0..*n); counts skipped
 * oversized blocks. */
static fn_status score_candidates(const struct score_ctx *x, size_t i, uint32_t *cand, size_t *n,
                                  size_t *skipped, uint64_t *seen)
{
    size_t sk = 0;
    *n = 0;
    fn_status rc =
        block_candidates_unsorted(x->ix, &x->loc->keys[i * NKEYS], cand, MAX_CAND, n, &sk, seen);
    *skipped += sk;
    return rc == FN_TOO_LARGE ? FN_OK : rc; /* capped at MAX_CAND: the block cap's job */
}

/* Moves the scored pairs of a chunk from the thread's scratch buffer into
 * the chunk, allocated once at its size (no regrowth of many large arrays). */
static fn_status chunk_take(struct chunk_out *c, const struct chunk_out *scratch)
{
    size_t n = scratch->n ? scratch->n : 1, nr = scratch->nrec ? scratch->nrec : 1;
    c->b = fn_malloc(n * sizeof *c->b);
    c->lv = fn_malloc(n * NF);
    c->tf = fn_malloc(n * sizeof *c->tf);
    c->rec_id = fn_malloc(nr * sizeof *c->rec_id);
    c->rec_end = fn_malloc(nr * sizeof *c->rec_end);
    if (!c->b || !c->lv || !c->tf || !c->rec_id || !c->rec_end)
        return FN_NOMEM;
    if (scratch->nrec) {
        memcpy(c->rec_id, scratch->rec_id, scratch->nrec * sizeof *c->rec_id);
        memcpy(c->rec_end, scratch->rec_end, scratch->nrec * sizeof *c->rec_end);
    }
    c->nrec = scratch->nrec;
    if (scratch->n) { /* else the scratch arrays may not exist yet */
        memcpy(c->b, scratch->b, scratch->n * sizeof *c->b);
        memcpy(c->lv, scratch->lv, scratch->n * NF);
        memcpy(c->tf, scratch->tf, scratch->n * sizeof *c->tf);
    }
    c->n = c->cap = scratch->n;
    return FN_OK;
}

static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Scores the chunks it takes. Memory latency is the cost here, so loads run
 * ahead in a pipeline: block slots four records ahead, block groups three,
 * the start of the blocks' lists two, the next record's candidates before
 * this record's pairs, and within the pairs the central record with its
 * name signatures (three adjacent lines) eight ahead and the token
 * signatures of names of several tokens two ahead (reaching into the next
 * record's candidates). */
static void *score_worker(void *arg)
{
    struct score_ctx *x = arg;
    uint64_t cpu0 = thread_cpu_ns();
    uint32_t *cand[2] = {fn_malloc(MAX_CAND * sizeof(uint32_t)),
                         fn_malloc(MAX_CAND * sizeof(uint32_t))};
    struct caches *cc = rec_caches_new();
    /* one bit per central record: candidates found twice (keys overlap) */
    uint64_t *seen = fn_calloc(x->cen->n / 64 + 1, sizeof *seen);
    struct chunk_out scratch = {0};
    scratch.rec_id = fn_malloc(CHUNK * sizeof *scratch.rec_id);
    scratch.rec_end = fn_malloc(CHUNK * sizeof *scratch.rec_end);
    const uint64_t *keys = x->loc->keys;
    for (;;) {
        size_t k = atomic_fetch_add(&x->next, 1);
        if (k >= x->nchunks)
            break;
        struct chunk_out *c = &x->chunks[k];
        if (!cand[0] || !cand[1] || !cc || !seen || !scratch.rec_id || !scratch.rec_end) {
            c->rc = FN_NOMEM;
            continue;
        }
        size_t from = k * CHUNK, to = from + CHUNK;
        if (to > x->loc->n)
            to = x->loc->n;
        scratch.n = scratch.nrec = 0;
        scratch.rc = FN_OK;
        size_t n = 0, n_next = 0;
        int cur = 0;
        const uint32_t *perm = x->perm;
        for (size_t p = from; p < from + 3 && p < to; p++)
            block_prefetch_slots(x->ix, &keys[(size_t)perm[p] * NKEYS]);
        if (from < to)
            scratch.rc = score_candidates(x, perm[from], cand[cur], &n, &c->skipped, seen);
        for (size_t p = from; p < to && !scratch.rc; p++) {
            size_t i = perm[p];
            if (p + 4 < to)
                block_prefetch_slots(x->ix, &keys[(size_t)perm[p + 4] * NKEYS]);
            if (p + 3 < to)
                block_prefetch_groups(x->ix, &keys[(size_t)perm[p + 3] * NKEYS]);
            if (p + 2 < to)
                block_prefetch_lists(x->ix, &keys[(size_t)perm[p + 2] * NKEYS]);
            n_next = 0;
            if (p + 1 < to) {
                scratch.rc =
                    score_candidates(x, perm[p + 1], cand[!cur], &n_next, &c->skipped, seen);
                if (scratch.rc)
                    break;
            }
            const uint32_t *cq = cand[cur], *cn = cand[!cur];
            const struct rec *ra = &x->loc->rec[i];
            const struct rec *ra_next = p + 1 < to ? &x->loc->rec[perm[p + 1]] : ra;
            const struct rec_phys *phys = x->cen_phys; /* candidates are positions in it */
            for (size_t q = 0; q < n; q++) {
                uint8_t lv[NF];
                size_t q8 = q + 8, q2 = q + 2;
                const struct rec_phys *ahead = q8 < n            ? &phys[cq[q8]]
                                               : q8 - n < n_next ? &phys[cn[q8 - n]]
                                                                 : NULL;
                if (ahead) { /* the record and its two name signatures */
                    __builtin_prefetch(&ahead->r);
                    __builtin_prefetch(&ahead->fam);
                    __builtin_prefetch(&ahead->giv);
                }
                if (q2 < n)
                    rec_compare_prefetch_tokens(x->dc, ra, &phys[cq[q2]]);
                else if (q2 - n < n_next)
                    rec_compare_prefetch_tokens(x->dc, ra_next, &phys[cn[q2 - n]]);
                const struct rec *rb = &phys[cq[q]].r;
                rec_compare_phys(x->dc, cc, x->loc, ra, x->cen, &phys[cq[q]], lv);
                float tf = (float)tf_recs(x->r, x->dc, ra, rb, lv);
                scratch.rc = chunk_push(&scratch, rb->orig, lv, tf);
                if (scratch.rc)
                    break;
            }
            if (n) { /* the record's run of pairs */
                scratch.rec_id[scratch.nrec] = (uint32_t)i;
                scratch.rec_end[scratch.nrec++] = (uint32_t)scratch.n;
            }
            n = n_next;
            cur = !cur;
        }
        c->rc = scratch.rc ? scratch.rc : chunk_take(c, &scratch);
        size_t done = atomic_fetch_add(&x->done, to - from) + (to - from);
        if (x->pr && pthread_equal(pthread_self(), x->main_thread))
            fn_progress_update(x->pr, done);
    }
    fn_free(scratch.rec_id);
    fn_free(scratch.rec_end);
    fn_free(scratch.b);
    fn_free(scratch.lv);
    fn_free(scratch.tf);
    rec_caches_free(cc);
    fn_free(seen);
    fn_free(cand[0]);
    fn_free(cand[1]);
    atomic_fetch_add(&x->cpu_ns, thread_cpu_ns() - cpu0);
    return NULL;
}

/* ---- the model for small inputs ---- */

/* Below this many possible pairs, random pairs contain too many true matches
 * to estimate u and EM has too few pairs: documented default m and u
 * (docs/reconcile.md) are used instead, with p = 0.5. */
#define SMALL_INPUT_PAIRS 20000.0

static void default_model(struct fs_model *fm)
{
    static const double name_m[7] = {0.80, 0.07, 0.04, 0.04, 0.01, 0.02, 0.02};
    static const double name_u[7] = {0.002, 0.001, 0.003, 0.01, 0.05, 0.914, 0.02};
    static const double date_m[8] = {0.80, 0.06, 0.04, 0.03, 0.01, 0.02, 0.02, 0.02};
    static const double date_u[8] = {0.0005, 0.01, 0.002, 0.001, 0.0001, 0.002, 0.9644, 0.02};
    static const double code_m[4] = {0.93, 0.02, 0.02, 0.03};
    static const double code_u[4] = {0.2, 0.01, 0.77, 0.02};
    static const double azr_m[4] = {0.60, 0.01, 0.01, 0.38};
    static const double azr_u[4] = {0.000001, 0.00001, 0.599989, 0.4};
    static const double address_m[4] = {0.75, 0.08, 0.12, 0.05};
    static const double address_u[4] = {0.005, 0.05, 0.90, 0.045};
    static const double rsince_m[3] = {0.85, 0.10, 0.05};
    static const double rsince_u[3] = {0.005, 0.95, 0.045};
    for (int f = 0; f < NF; f++) {
        const double *m = code_m, *u = code_u;
        if (f == F_ADDRESS) {
            m = address_m;
            u = address_u;
        } else if (f == F_RSINCE) {
            m = rsince_m;
            u = rsince_u;
        } else if (f == F_FAMILY || f == F_GIVEN || f == F_PLACE) {
            m = name_m;
            u = name_u;
        } else if (f == F_BDATE) {
            m = date_m;
            u = date_u;
        } else if (f == F_AZR) {
            m = azr_m;
            u = azr_u;
        }
        for (int l = 0; l < rec_field_nlevels[f]; l++) {
            fm->m[f][l] = m[l];
            fm->u[f][l] = u[l];
            fm->weight[f][l] = log2(m[l] / u[l]);
        }
    }
    fm->p = 0.5;
    fm->iterations = 0;
}

/* ---- random pairs for u ---- */

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

struct random_ctx {
    const struct dicts *dc;
    const struct side *loc, *cen;
    const uint32_t *pi, *pj; /* the pairs */
    uint8_t *lv;             /* RANDOM_PAIRS * NF */
};

static fn_status random_range(void *ctx, int range, size_t from, size_t to)
{
    (void)range;
    struct random_ctx *x = ctx;
    for (size_t k = from; k < to; k++)
        rec_compare_pair(x->dc, NULL, x->loc, x->pi[k], x->cen, x->pj[k], &x->lv[k * NF], NULL);
    return FN_OK;
}

/* Comparison levels of RANDOM_PAIRS seeded random pairs, counted into ps
 * in the order of the seed sequence (the same for any thread count). */
static fn_status random_pair_levels(const struct dicts *dc, const struct side *loc,
                                    const struct side *cen, int threads, struct fs_patterns *ps)
{
    uint32_t *pi = fn_malloc(RANDOM_PAIRS * sizeof *pi);
    uint32_t *pj = fn_malloc(RANDOM_PAIRS * sizeof *pj);
    uint8_t *lv = fn_malloc(RANDOM_PAIRS * NF);
    fn_status rc = FN_NOMEM;
    if (!pi || !pj || !lv)
        goto out;
    uint64_t seed = 0x5eed2026u;
    for (size_t k = 0; k < RANDOM_PAIRS; k++) {
        pi[k] = (uint32_t)(splitmix(&seed) % loc->n);
        pj[k] = (uint32_t)(splitmix(&seed) % cen->n);
    }
    struct random_ctx x = {dc, loc, cen, pi, pj, lv};
    rc = fn_parallel_ranges(threads, RANDOM_PAIRS, random_range, &x);
    if (rc)
        goto out;
    for (size_t k = 0; k < RANDOM_PAIRS; k++) {
        rc = fs_patterns_add(ps, &lv[k * NF], 1);
        if (rc)
            goto out;
    }
    rc = FN_OK;
out:
    fn_free(pi);
    fn_free(pj);
    fn_free(lv);
    return rc;
}

/* Term-frequency adjustment: an exactly agreeing family or given name
 * weighs log2(m / f) instead of log2(m / u), where f is the share of
 * records whose name in that field romanises to the same key and u the
 * chance that two random records agree on the field. A rare name agreeing
 * says more than "Mohammad" agreeing. Bounded to +-TF_MAX_ADJ bits so one
 * field cannot outweigh the others. */
#define TF_MAX_ADJ 4.0
/* Weight the fields other than the AZR number must reach for an AZR-number
 * agreement to count (see azr_alone). */
#define AZR_ALONE_FLOOR 0.0
/* Rounds of mutual-best assignment (see rec_run). */
#define ASSIGN_ROUNDS      4
#define LATER_ROUND_MARGIN 5.0 /* bits above the threshold in rounds 2.. */

/* 1 when the pair is plausibly one person by its identity core: at least
 * two of family name, given names and birth date agree (names at least
 * weakly, i.e. a typo; the date at most with a typo). Evidence that does
 * not describe the person (an AZR number, a household) counts only then. */
static int identity_agrees(const uint8_t *lv)
{
    return (lv[F_FAMILY] <= 4) + (lv[F_GIVEN] <= 4) + (lv[F_BDATE] <= 5) >= 2;
}

/* 1 when a pair agrees on the AZR number but not on the person
 * (identity_agrees fails), or the other fields together weigh below
 * AZR_ALONE_FLOOR. Such a number is likely wrong on one side; the pair is
 * not linked and is reported as azr_nr_other_person. rest_weight is the
 * weight without the AZR contribution (pass 0 to test only the fields). */
static int azr_alone(const uint8_t *lv, double rest_weight)
{
    if (lv[F_AZR] != 0)
        return 0;
    return !identity_agrees(lv) || rest_weight < AZR_ALONE_FLOOR;
}
#define TF_MIN_FREQ 1e-7

/* The adjustment of a value, before the bounds: log2(u / f). */
static double tf_value(const struct result *r, const struct dicts *dc, int f, uint32_t x, int slot)
{
    double fr = link_name_dict_frequency(dc->names, x, slot);
    double u = r->u_random[f][0];
    if (fr <= 0.0 || u <= 0.0)
        return 0.0;
    if (fr < TF_MIN_FREQ)
        fr = TF_MIN_FREQ;
    double adj = log2(u / fr);
    return adj > TF_MAX_ADJ ? TF_MAX_ADJ : adj < -TF_MAX_ADJ ? -TF_MAX_ADJ : adj;
}

/* Fills r->tf_fam and r->tf_giv: the adjustment of every name value as a
 * family and as a given name (needs u_random). */
static fn_status tf_tables(struct result *r, const struct dicts *dc)
{
    size_t n = link_name_dict_size(dc->names);
    r->tf_fam = fn_malloc((n ? n : 1) * sizeof *r->tf_fam);
    r->tf_giv = fn_malloc((n ? n : 1) * sizeof *r->tf_giv);
    if (!r->tf_fam || !r->tf_giv)
        return FN_NOMEM;
    for (size_t x = 0; x < n; x++) {
        r->tf_fam[x] = (float)tf_value(r, dc, F_FAMILY, (uint32_t)x, 0);
        r->tf_giv[x] = (float)tf_value(r, dc, F_GIVEN, (uint32_t)x, 1);
    }
    return FN_OK;
}

static double tf_adjust(const struct result *r, const struct dicts *dc, int f, uint8_t level,
                        uint32_t xa, uint32_t xb, int slot)
{
    if (level != 0) /* exact agreement only */
        return 0.0;
    if (xa != xb) { /* equal after folding, or the agreement of swapped names */
        const struct link_name_keys *ka = link_name_dict_keys(dc->names, xa);
        const struct link_name_keys *kb = link_name_dict_keys(dc->names, xb);
        if (strcmp(ka->ascii, kb->ascii))
            return 0.0;
    }
    (void)f;
    return slot ? r->tf_giv[xb] : r->tf_fam[xb];
}

/* Match weight of the pair (i, j) with comparison vector lv, including the
 * term-frequency adjustment; contrib (NF entries or NULL) receives the
 * per-field contributions, which sum to the weight. */
/* The term-frequency adjustments of the pair (family and given names). */
static double tf_recs(const struct result *r, const struct dicts *dc, const struct rec *ra,
                      const struct rec *rb, const uint8_t *lv)
{
    return tf_adjust(r, dc, F_FAMILY, lv[F_FAMILY], ra->fam, rb->fam, 0) +
           tf_adjust(r, dc, F_GIVEN, lv[F_GIVEN], ra->giv, rb->giv, 1);
}

_Static_assert(F_ADDRESS == NF - 2 && F_RSINCE == NF - 1, "the household fields come last");

/* The household fields. Their u is not taken from random pairs but from
 * the competitors of the true partner (best_candidate_patterns): agreement
 * there says much less against a relative than against a random record. */
static int household_field(int f)
{
    return f >= F_ADDRESS;
}

/* 1 when the household fields (address, residence_since) count for the
 * pair: only where the identity core agrees (identity_agrees). Relatives
 * share an address and often the day they arrived; without this gate a
 * sibling of a person missing from the other register would be linked on
 * family name and household alone. */
static int household_counts(const uint8_t *lv)
{
    return identity_agrees(lv);
}

/* Weight from the model's table plus a precomputed TF adjustment. */
static double fast_weight(const struct fs_model *fm, const uint8_t *lv, double tf)
{
    double w = tf;
    for (int f = 0; !household_field(f); f++)
        w += fm->weight[f][lv[f]];
    if (household_counts(lv))
        w += fm->weight[F_ADDRESS][lv[F_ADDRESS]] + fm->weight[F_RSINCE][lv[F_RSINCE]];
    return w;
}

/* The pair's weight under the run's model with its term-frequency
 * adjustment (for --explain: fast_weight with tf_pair is the same number);
 * contrib (NF entries or NULL) receives the per-field contributions, which
 * sum to the weight. */
static double pair_weight(const struct result *r, const struct dicts *dc, const struct side *a,
                          size_t i, const struct side *b, size_t j, const uint8_t *lv,
                          double *contrib)
{
    double c[NF];
    double w = fs_model_weight(&r->fm, lv, c);
    if (!household_counts(lv)) {
        w -= c[F_ADDRESS] + c[F_RSINCE];
        c[F_ADDRESS] = c[F_RSINCE] = 0.0;
    }
    double t1 = tf_adjust(r, dc, F_FAMILY, lv[F_FAMILY], a->rec[i].fam, b->rec[j].fam, 0);
    double t2 = tf_adjust(r, dc, F_GIVEN, lv[F_GIVEN], a->rec[i].giv, b->rec[j].giv, 1);
    c[F_FAMILY] += t1;
    c[F_GIVEN] += t2;
    if (contrib)
        memcpy(contrib, c, sizeof c);
    return w + t1 + t2;
}

#define MIN_COMPETITORS 1000

/* The comparison patterns of each local record's best candidate under the
 * start model (documented m, random-pair u, TF adjustment; ties go to the
 * lower index): mostly true pairs, plus the best candidates of records
 * without a partner. One pass in record order. Fills r->start_m and
 * r->mb_pairs, and comp[f][l] with the levels of each record's second-best
 * candidate (a namesake or relative: the competitor a true partner must
 * beat) for the competitor fields, *ncomp with their number. */
static fn_status best_candidate_patterns(struct result *r, const struct chunk_out *chunks,
                                         size_t nchunks, struct fs_patterns *out,
                                         double comp[NF][8], double *ncomp)
{
    struct fs_model start = r->fm; /* nfields and nlevels */
    default_model(&start);
    for (int f = 0; f < NF; f++)
        for (int l = 0; l < rec_field_nlevels[f]; l++) {
            r->start_m[f][l] = start.m[f][l];
            if (!household_field(f)) /* these keep the documented u */
                start.u[f][l] = r->u_random[f][l];
            start.weight[f][l] = log2(start.m[f][l] / start.u[f][l]);
        }
    fn_status rc = fs_patterns_init(out, NF);
    if (rc)
        return rc;
    *ncomp = 0.0;
    for (size_t k = 0; k < nchunks; k++) {
        const struct chunk_out *c = &chunks[k];
        for (size_t rr = 0, q = 0; rr < c->nrec; rr++) {
            size_t e = q, best = q, second = SIZE_MAX;
            double w_best = -1e300, w_second = -1e300;
            for (; e < c->rec_end[rr]; e++) {
                double w = fast_weight(&start, &c->lv[e * NF], c->tf[e]);
                /* a tie goes to the lower index, whatever the order */
                if (w > w_best || (w == w_best && c->b[e] < c->b[best])) {
                    if (e != q) {
                        second = best;
                        w_second = w_best;
                    }
                    w_best = w;
                    best = e;
                } else if (second == SIZE_MAX || w > w_second ||
                           (w == w_second && c->b[e] < c->b[second])) {
                    second = e;
                    w_second = w;
                }
            }
            if (!azr_alone(&c->lv[best * NF], 0.0)) {
                /* EM sees the household fields only where they count
                 * (household_counts), else as missing: a relative's shared
                 * address must not teach EM that differing given names and
                 * dates are common among true pairs */
                uint8_t lv[NF];
                memcpy(lv, &c->lv[best * NF], NF);
                if (!household_counts(lv)) {
                    lv[F_ADDRESS] = (uint8_t)(rec_field_nlevels[F_ADDRESS] - 1);
                    lv[F_RSINCE] = (uint8_t)(rec_field_nlevels[F_RSINCE] - 1);
                }
                rc = fs_patterns_add(out, lv, 1);
                if (rc)
                    return rc;
                r->mb_pairs++;
            }
            if (second != SIZE_MAX) {
                for (int f = 0; f < NF; f++)
                    if (household_field(f))
                        comp[f][c->lv[second * NF + (size_t)f]] += 1.0;
                *ncomp += 1.0;
            }
            q = e;
        }
    }
    return FN_OK;
}

/* ---- explanation ---- */

/* Writes s and pads it with blanks to width characters (UTF-8 aware, so
 * that Staatsangehörigkeit lines up). */
static void put_padded(FILE *fp, const char *s, int width)
{
    int chars = 0;
    for (const char *p = s; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    fputs(s, fp);
    for (; chars < width; chars++)
        fputc(' ', fp);
}

static int cmp_u32(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return a < b ? -1 : a > b;
}

/* phys: the central records in the index's layout (central_layout). */
static void explain(FILE *fp, const struct dicts *dc, const struct side *a, const struct side *b,
                    size_t i, const struct block_index *ix, const struct rec_phys *phys,
                    const struct result *r)
{
    uint32_t cand[MAX_CAND];
    size_t n = 0, sk = 0;
    fprintf(fp, "Lokaler Datensatz %s: %s, %s, geboren %s\n", V(a, i, REG_RECORD_ID),
            V(a, i, REG_FAMILY_NAME), V(a, i, REG_GIVEN_NAMES), V(a, i, REG_BIRTH_DATE));
    if (block_candidates(ix, &a->keys[i * NKEYS], cand, MAX_CAND, &n, &sk) && n == 0) {
        fputs("Kandidaten konnten nicht bestimmt werden.\n", fp);
        return;
    }
    for (size_t q = 0; q < n; q++) /* positions in the block layout -> indices */
        cand[q] = phys[cand[q]].r.orig;
    qsort(cand, n, sizeof *cand, cmp_u32);
    const struct assign_pair *m = NULL;
    for (size_t k = 0; k < r->nmatches; k++)
        if (r->matches[k].a == i)
            m = &r->matches[k];
    if (m)
        fprintf(fp, "Ergebnis: zugeordnet zu AZR-Datensatz %s (Gewicht %.2f, Schwelle %.2f)\n",
                V(b, m->b, REG_RECORD_ID), m->w, r->threshold);
    else
        fprintf(fp, "Ergebnis: nicht zugeordnet (Schwelle %.2f)\n", r->threshold);
    for (size_t k = 0; k < r->nconflicts; k++)
        if (r->conflicts[k].a == i)
            fprintf(fp, "Konflikt: %s mit AZR-Datensatz %s\n",
                    r->conflicts[k].kind == ASSIGN_TIED ? "gleich gute Kandidaten"
                                                        : "Kandidat passt besser zu anderem",
                    V(b, r->conflicts[k].b, REG_RECORD_ID));
    for (size_t k = 0; k < r->nazr_conflicts; k++)
        if (r->azr_conflict_a[k] == i)
            fprintf(fp,
                    "Konflikt: die AZR-Nummer %s gehört im AZR zu Datensatz %s (%s, %s, "
                    "geboren %s), der nicht als dieselbe Person zugeordnet ist\n",
                    V(a, i, REG_AZR_NR), V(b, r->azr_conflict_b[k], REG_RECORD_ID),
                    V(b, r->azr_conflict_b[k], REG_FAMILY_NAME),
                    V(b, r->azr_conflict_b[k], REG_GIVEN_NAMES),
                    V(b, r->azr_conflict_b[k], REG_BIRTH_DATE));
    if (n == 0) {
        fputs("Keine Kandidaten: kein AZR-Datensatz teilt einen Blockschlüssel "
              "(AZR-Nummer, Namensskelett + Geburtsjahr, Vorname + Geburtsdatum, ...).\n",
              fp);
        return;
    }
    fprintf(fp, "%zu Kandidaten aus den Blöcken%s:\n", n,
            sk ? " (zu große Blöcke übersprungen)" : "");
    /* best five by weight */
    size_t shown[5];
    size_t ns = 0;
    double ws[5];
    for (size_t q = 0; q < n; q++) {
        uint8_t lv[NF];
        rec_compare_pair(dc, NULL, a, i, b, cand[q], lv, NULL);
        double w = pair_weight(r, dc, a, i, b, cand[q], lv, NULL);
        size_t pos = ns < 5 ? ns++ : 5;
        while (pos > 0 && ws[pos - 1] < w) {
            if (pos < 5) {
                shown[pos] = shown[pos - 1];
                ws[pos] = ws[pos - 1];
            }
            pos--;
        }
        if (pos < 5) {
            shown[pos] = cand[q];
            ws[pos] = w;
        }
    }
    for (size_t k = 0; k < ns; k++) {
        size_t j = shown[k];
        uint8_t lv[NF];
        double contrib[NF];
        int sw = 0;
        rec_compare_pair(dc, NULL, a, i, b, j, lv, &sw);
        double w = pair_weight(r, dc, a, i, b, j, lv, contrib);
        fprintf(fp, "\n  AZR %s: %s, %s, geboren %s – Gewicht %.2f%s%s\n", V(b, j, REG_RECORD_ID),
                V(b, j, REG_FAMILY_NAME), V(b, j, REG_GIVEN_NAMES), V(b, j, REG_BIRTH_DATE), w,
                sw ? " (Vor- und Familienname vertauscht)" : "",
                azr_alone(lv, w - contrib[F_AZR])
                    ? " (nur die AZR-Nummer stimmt überein: nicht zugeordnet)"
                    : "");
        double tf[NF] = {0};
        tf[F_FAMILY] = tf_adjust(r, dc, F_FAMILY, lv[F_FAMILY], a->rec[i].fam, b->rec[j].fam, 0);
        tf[F_GIVEN] = tf_adjust(r, dc, F_GIVEN, lv[F_GIVEN], a->rec[i].giv, b->rec[j].giv, 1);
        for (int f = 0; f < NF; f++) {
            /* the term-frequency part goes with the level, so that the
             * contribution stays the last number of the line */
            char level[96];
            if (tf[f] != 0.0)
                snprintf(level, sizeof level, "%s, Namenshäufigkeit %+.2f",
                         rec_level_label(f, lv[f]), tf[f]);
            else if (household_field(f) && !household_counts(lv))
                snprintf(level, sizeof level, "%s (zählt nicht: Person weicht ab)",
                         rec_level_label(f, lv[f]));
            else
                snprintf(level, sizeof level, "%s", rec_level_label(f, lv[f]));
            fputs("    ", fp);
            put_padded(fp, rec_field_labels[f], 21);
            put_padded(fp, level, 40);
            fprintf(fp, "%+7.2f\n", contrib[f]);
        }
    }
}

/* ---- the run ---- */

static int cmp_diff(const void *x, const void *y)
{
    const struct diff *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return (int)p->field - (int)q->field;
}

static int cmp_conflict(const void *x, const void *y)
{
    const struct assign_conflict *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

static int cmp_match(const void *x, const void *y)
{
    const struct assign_pair *p = x, *q = y;
    return p->a < q->a ? -1 : p->a > q->a;
}

static fn_status push_diff(struct result *r, struct diff d)
{
    if (r->ndiffs == r->dcap) {
        size_t cap = r->dcap ? r->dcap * 2 : 1024;
        struct diff *n = fn_reallocarray(r->diffs, cap, sizeof *n);
        if (!n)
            return FN_NOMEM;
        r->diffs = n;
        r->dcap = cap;
    }
    r->diffs[r->ndiffs++] = d;
    return FN_OK;
}

struct diff_ctx {
    const struct dicts *dc;
    const struct side *loc, *cen;
    const struct assign_pair *matches;
    struct result part[FN_PARALLEL_MAX]; /* per range: only diffs, ndiffs, dcap used */
};

static fn_status diff_range(void *ctx, int range, size_t from, size_t to)
{
    struct diff_ctx *x = ctx;
    struct result *part = &x->part[range];
    struct link_translit *tr = NULL;
    struct fn_buf fa, fb;
    fn_buf_init(&fa, FN_BUF_SMALL);
    fn_buf_init(&fb, FN_BUF_SMALL);
    fn_status rc = link_translit_new(&tr);
    for (size_t k = from; !rc && k < to; k++) {
        uint32_t i = x->matches[k].a, m = x->matches[k].b;
        for (int c = 0; c < REG_COLUMN_COUNT && !rc; c++) {
            if (c == REG_RECORD_ID || c == REG_UPDATED_AT)
                continue;
            if (!rec_values_differ(tr, x->loc, i, x->cen, m, c, &fa, &fb))
                continue;
            int side;
            enum rule rule = rec_decide(x->dc, x->loc, i, x->cen, m, c, &side);
            rc = push_diff(part, (struct diff){i, m, (uint8_t)c, (uint8_t)side, (uint8_t)rule});
        }
    }
    link_translit_free(tr);
    fn_buf_free(&fa);
    fn_buf_free(&fb);
    return rc;
}

/* The differences of every link into r->diffs (unsorted; the caller sorts). */
static fn_status diffs_parallel(const struct dicts *dc, const struct side *loc,
                                const struct side *cen, struct result *r, int threads)
{
    struct diff_ctx *x = fn_calloc(1, sizeof *x);
    if (!x)
        return FN_NOMEM;
    x->dc = dc;
    x->loc = loc;
    x->cen = cen;
    x->matches = r->matches;
    fn_status rc = fn_parallel_ranges(threads, r->nmatches, diff_range, x);
    for (int t = 0; t < FN_PARALLEL_MAX; t++) {
        for (size_t k = 0; !rc && k < x->part[t].ndiffs; k++)
            rc = push_diff(r, x->part[t].diffs[k]);
        fn_free(x->part[t].diffs);
    }
    fn_free(x);
    return rc;
}

/* Fills r->azr_conflict_a/b: local records whose azr_nr belongs, in the AZR
 * export, to a record that is not their linked partner. */
static fn_status azr_conflicts(const struct side *loc, const struct side *cen, struct result *r)
{
    size_t nslots = 16;
    while (nslots < cen->n * 2)
        nslots *= 2;
    uint32_t *slots = fn_calloc(nslots, sizeof *slots); /* central index + 1 */
    uint32_t *match_of = fn_malloc((loc->n ? loc->n : 1) * sizeof *match_of);
    r->azr_conflict_a = fn_malloc((loc->n ? loc->n : 1) * sizeof(uint32_t));
    r->azr_conflict_b = fn_malloc((loc->n ? loc->n : 1) * sizeof(uint32_t));
    fn_status rc = FN_NOMEM;
    if (!slots || !match_of || !r->azr_conflict_a || !r->azr_conflict_b)
        goto out;
    for (uint32_t j = 0; j < cen->n; j++) {
        const char *az = V(cen, j, REG_AZR_NR);
        if (!*az)
            continue;
        size_t s = (size_t)(block_hash(0, az) * 0x9E3779B97F4A7C15ull >> 20) & (nslots - 1);
        while (slots[s] && strcmp(V(cen, slots[s] - 1, REG_AZR_NR), az))
            s = (s + 1) & (nslots - 1);
        if (!slots[s])
            slots[s] = j + 1;
    }
    for (size_t i = 0; i < loc->n; i++)
        match_of[i] = UINT32_MAX;
    for (size_t k = 0; k < r->nmatches; k++)
        match_of[r->matches[k].a] = r->matches[k].b;
    for (uint32_t i = 0; i < loc->n; i++) {
        const char *az = V(loc, i, REG_AZR_NR);
        if (!*az)
            continue;
        size_t s = (size_t)(block_hash(0, az) * 0x9E3779B97F4A7C15ull >> 20) & (nslots - 1);
        while (slots[s] && strcmp(V(cen, slots[s] - 1, REG_AZR_NR), az))
            s = (s + 1) & (nslots - 1);
        if (slots[s] && slots[s] - 1 != match_of[i]) {
            r->azr_conflict_a[r->nazr_conflicts] = i;
            r->azr_conflict_b[r->nazr_conflicts++] = slots[s] - 1;
        }
    }
    rc = FN_OK;
out:
    fn_free(slots);
    fn_free(match_of);
    return rc;
}

fn_status rec_run(const struct rec_options *opt, char *msg, size_t msg_size)
{
    struct side loc = {0}, cen = {0};
    struct rejects rj = {0};
    struct result r = {0};
    struct block_index *ix = NULL;
    struct fs_patterns rnd_pat = {0}, mb_pat = {0};
    struct chunk_out *chunks = NULL;
    size_t nchunks = 0;
    uint32_t *perm = NULL;        /* scoring order */
    void *phys_mem = NULL;        /* the central records in block order */
    struct rec_phys *phys = NULL; /* (phys_mem, aligned) */
    struct assign_state *ast = NULL;
    struct assign_pair *rest = NULL; /* pairs for the later assignment rounds */
    size_t nrest = 0;
    struct assign_conflict *conf0 = NULL; /* the first round's conflicts */
    size_t nconf0 = 0;
    unsigned char *linked_a = NULL, *linked_b = NULL;
    struct link_translit *tr = NULL;
    struct dicts dc = {NULL, NULL};
    struct fn_buf fa, fb;
    fn_buf_init(&fa, FN_BUF_SMALL);
    fn_buf_init(&fb, FN_BUF_SMALL);
    int threads = opt->threads < 1 ? 1 : opt->threads;
    msg[0] = 0;
    double t0 = fn_now();

    /* Both files at once when there are two threads: reading is the
     * CSV parser's work, independent per file. */
    size_t rej_a = 0, rej_b = 0;
    fn_status rc = rec_load_both(opt, &loc, &cen, &rj, threads, msg, msg_size, &rej_a, &rej_b);
    if (rc)
        goto out;
    if (loc.n > UINT32_MAX / 2 || cen.n > UINT32_MAX / 2) {
        snprintf(msg, msg_size, "zu viele Datensätze");
        rc = FN_TOO_LARGE;
        goto out;
    }
    double t1 = fn_now();
    r.t_load = t1 - t0;
    /* Names once per distinct value, then the blocking keys. */
    rc = link_name_dict_new(LINK_NAME_PERSON, &dc.names);
    if (!rc)
        rc = link_name_dict_new(LINK_NAME_PLACE, &dc.places);
    if (!rc)
        rc = rec_side_intern(&loc, &dc);
    if (!rc)
        rc = rec_side_intern(&cen, &dc);
    if (!rc)
        rc = link_name_dict_build(dc.names, threads);
    if (!rc)
        rc = link_name_dict_build(dc.places, threads);
    if (!rc)
        rc = rec_side_keys(&dc, &loc, threads);
    if (!rc)
        rc = rec_side_keys(&dc, &cen, threads);
    if (rc)
        goto out;
    r.names_distinct = link_name_dict_size(dc.names);
    r.places_distinct = link_name_dict_size(dc.places);
    double t2 = fn_now();
    r.t_keys = t2 - t1;

    /* u from seeded random pairs (before scoring: the term-frequency
     * adjustment of each candidate pair needs it). */
    rc = fs_patterns_init(&rnd_pat, NF);
    if (rc)
        goto out;
    if (loc.n && cen.n) {
        rc = random_pair_levels(&dc, &loc, &cen, threads, &rnd_pat);
        if (rc)
            goto out;
    }
    rc = fs_model_init(&r.fm, NF, rec_field_nlevels, &rnd_pat);
    if (rc)
        goto out;
    for (int f = 0; f < NF; f++)
        for (int l = 0; l < rec_field_nlevels[f]; l++)
            r.u_random[f][l] = r.fm.u[f][l];
    if ((double)loc.n * (double)cen.n < SMALL_INPUT_PAIRS) {
        struct fs_model dm = r.fm;
        default_model(&dm);
        for (int f = 0; f < NF; f++)
            for (int l = 0; l < rec_field_nlevels[f]; l++)
                r.u_random[f][l] = dm.u[f][l];
    }

    rc = tf_tables(&r, &dc);
    if (rc)
        goto out;

    /* Blocking and comparison vectors. */
    rc = central_layout(&dc, &cen, threads, &phys_mem, &phys, &ix);
    if (rc)
        goto out;
    r.block_cap = block_cap_for_budget(ix, &loc, threads);
    block_index_set_max_block(ix, r.block_cap);
    if (getenv("FN_DEBUG_BLOCKS")) /* tuning aid: block sizes per key kind */
        for (int k = 0; k < NKEYS; k++) {
            struct block_stats st;
            block_index_stats(ix, k, &st);
            fprintf(stderr, "key %d: %zu keys, %zu records, largest %zu, mean met %.1f\n", k,
                    st.groups, st.records, st.largest, st.mean_met);
        }
    nchunks = (loc.n + CHUNK - 1) / CHUNK;
    chunks = fn_calloc(nchunks ? nchunks : 1, sizeof *chunks);
    if (!chunks) {
        rc = FN_NOMEM;
        goto out;
    }
    {
        struct fn_progress pr;
        fn_progress_start(&pr, "Vergleich", loc.n);
        if (!opt->progress)
            pr.enabled = 0;
        double tc = fn_now();
        perm = locality_order(&loc);
        if (!perm) {
            rc = FN_NOMEM;
            goto out;
        }
        struct score_ctx x = {&r,     &dc,     &loc, &cen, ix, perm, phys,
                              chunks, nchunks, 0,    0,    0,  &pr,  pthread_self()};
        pthread_t tid[64];
        int started = 0;
        for (int t = 1; t < threads && t < 64; t++) {
            if (pthread_create(&tid[t], NULL, score_worker, &x))
                break;
            started = t;
        }
        score_worker(&x);
        for (int t = 1; t <= started; t++)
            pthread_join(tid[t], NULL);
        r.t_compare = fn_now() - tc;
        r.t_compare_cpu = (double)atomic_load(&x.cpu_ns) / 1e9;
        r.threads = started + 1;
        fn_progress_finish(&pr, loc.n);
    }
    for (size_t k = 0; k < nchunks; k++) {
        if (chunks[k].rc) {
            rc = chunks[k].rc;
            goto out;
        }
        r.candidate_pairs += chunks[k].n;
        r.skipped_blocks += chunks[k].skipped;
    }
    double t3 = fn_now();
    r.t_score = t3 - t2;

    if ((double)loc.n * (double)cen.n < SMALL_INPUT_PAIRS) {
        default_model(&r.fm);
    } else if (r.candidate_pairs) {
        /* m and the match share by EM with u fixed at the random-pair
         * values. EM does not run on all candidate pairs: those share a
         * name, a date or a place by construction, and EM would explain
         * these blocked non-matches (relatives, namesakes) as matches. It
         * runs on each local record's best candidate under a start model
         * (documented m, random-pair u), which are mostly matches plus the
         * best candidates of records without a partner. */
        double comp[NF][8] = {{0}}, ncomp = 0.0;
        rc = best_candidate_patterns(&r, chunks, nchunks, &mb_pat, comp, &ncomp);
        r.competitors = (size_t)ncomp;
        if (!rc) /* EM's sums then do not depend on the order of scoring */
            rc = fs_patterns_sort(&mb_pat);
        if (rc)
            goto out;
        struct fs_model dm = r.fm;
        default_model(&dm);
        for (int f = 0; f < NF; f++)
            for (int l = 0; l < rec_field_nlevels[f]; l++) {
                r.fm.m[f][l] = r.start_m[f][l];
                /* u of the competitor fields: among the second-best
                 * candidates (Laplace-smoothed), or the documented value
                 * when there are too few of them */
                if (household_field(f))
                    r.fm.u[f][l] = ncomp >= MIN_COMPETITORS
                                       ? (comp[f][l] + 1.0) / (ncomp + rec_field_nlevels[f])
                                       : dm.u[f][l];
            }
        r.fm.p = 0.9;
        rc = mb_pat.n ? fs_model_em(&r.fm, &mb_pat, 300, 1e-7) : FN_OK;
        if (rc)
            goto out;
    }
    r.em_iterations = r.fm.iterations;
    /* A missing value is no evidence either way. */
    for (int f = 0; f < NF; f++)
        r.fm.weight[f][rec_field_nlevels[f] - 1] = 0.0;
    if ((double)loc.n * (double)cen.n < SMALL_INPUT_PAIRS || !r.mb_pairs) {
        r.threshold = 0.0; /* posterior 0.5 at p = 0.5 */
        r.prior = 0.5;
        r.est_matches = 0.0;
    } else {
        /* The link threshold is the weight at posterior 0.5 among all
         * pairs of the two registers: the weights compare with random
         * pairs, so the prior is the estimated number of true pairs over
         * the number of all pairs. */
        r.est_matches = r.fm.p * (double)r.mb_pairs;
        if (r.est_matches < 1.0)
            r.est_matches = 1.0;
        r.prior = r.est_matches / ((double)loc.n * (double)cen.n);
        if (r.prior > 0.5)
            r.prior = 0.5;
        r.threshold = log2((1.0 - r.prior) / r.prior);
    }
    /* Mutual best, in rounds: a record whose best partner went to someone
     * else (a namesake that fits even better) gets its next best among the
     * records still free in the next round. What is still contested or
     * tied after the last round is reported in conflicts.csv. */
    linked_a = fn_calloc(loc.n ? loc.n : 1, 1);
    linked_b = fn_calloc(cen.n ? cen.n : 1, 1);
    r.matches = fn_malloc((loc.n ? loc.n : 1) * sizeof *r.matches);
    r.match_round = fn_calloc(loc.n ? loc.n : 1, 1);
    if (!linked_a || !linked_b || !r.matches || !r.match_round) {
        rc = FN_NOMEM;
        goto out;
    }
    for (int round = 0; round < ASSIGN_ROUNDS; round++) {
        struct assign_pair *m = NULL;
        size_t nm = 0;
        rc = assign_state_new(loc.n, cen.n, &ast);
        if (rc)
            goto out;
        if (round == 0) {
            for (size_t k = 0; k < nchunks; k++) {
                const struct chunk_out *c = &chunks[k];
                CHUNK_FOR_EACH_PAIR(c, a, q)
                {
                    const uint8_t *lv = &c->lv[q * NF];
                    double w = fast_weight(&r.fm, lv, c->tf[q]);
                    /* An AZR number alone does not link: when the other
                     * fields together speak against the same person, the
                     * number is likely wrong on one side, and the pair is
                     * reported as a conflict (azr_nr_other_person) instead. */
                    if (azr_alone(lv, w - r.fm.weight[F_AZR][lv[F_AZR]]))
                        continue;
                    rc = assign_state_add(ast, a, c->b[q], w);
                    if (rc)
                        goto out;
                }
            }
        } else {
            for (size_t k = 0; k < nrest; k++)
                if (!linked_a[rest[k].a] && !linked_b[rest[k].b]) {
                    rc = assign_state_add(ast, rest[k].a, rest[k].b, rest[k].w);
                    if (rc)
                        goto out;
                }
        }
        if (round == 1) { /* keep the first round's conflicts (see below) */
            conf0 = r.conflicts;
            nconf0 = r.nconflicts;
        } else {
            fn_free(r.conflicts);
        }
        r.conflicts = NULL;
        /* a later round links only with a margin above the threshold: its
         * record's best candidate went to someone else, so the evidence
         * must be clearer (a namesake of an absent partner is the risk) */
        double thr = r.threshold + (round ? LATER_ROUND_MARGIN : 0.0);
        rc = assign_state_finish(ast, thr, &m, &nm, &r.conflicts, &r.nconflicts);
        assign_state_free(ast);
        ast = NULL;
        if (rc)
            goto out;
        for (size_t k = 0; k < nm; k++) {
            linked_a[m[k].a] = linked_b[m[k].b] = 1;
            r.match_round[m[k].a] = (uint8_t)(round + 1);
            r.matches[r.nmatches++] = m[k];
        }
        fn_free(m);
        r.assign_rounds = round + 1;
        if (!nm || !r.nconflicts)
            break;
        if (round == 0) {
            /* the later rounds see only the pairs of records still free */
            size_t cap = 0;
            for (size_t k = 0; k < nchunks; k++)
                CHUNK_FOR_EACH_PAIR(&chunks[k], a, q)
            cap += !linked_a[a] && !linked_b[chunks[k].b[q]];
            rest = fn_malloc((cap ? cap : 1) * sizeof *rest);
            if (!rest) {
                rc = FN_NOMEM;
                goto out;
            }
            for (size_t k = 0; k < nchunks; k++) {
                const struct chunk_out *c = &chunks[k];
                CHUNK_FOR_EACH_PAIR(c, a, q)
                {
                    if (linked_a[a] || linked_b[c->b[q]])
                        continue;
                    const uint8_t *lv = &c->lv[q * NF];
                    double w = fast_weight(&r.fm, lv, c->tf[q]);
                    if (!azr_alone(lv, w - r.fm.weight[F_AZR][lv[F_AZR]]))
                        rest[nrest++] = (struct assign_pair){a, c->b[q], w};
                }
            }
        }
    }
    /* A record that lost its best candidate in the first round and found
     * no partner later is reported with that first conflict, unless a
     * later round reported one. */
    if (conf0) {
        unsigned char *has = fn_calloc(loc.n ? loc.n : 1, 1);
        struct assign_conflict *all =
            fn_reallocarray(r.conflicts, r.nconflicts + nconf0 + 1, sizeof *all);
        if (!has || !all) {
            fn_free(has);
            rc = FN_NOMEM;
            goto out;
        }
        r.conflicts = all;
        for (size_t k = 0; k < r.nconflicts; k++)
            has[r.conflicts[k].a] = 1;
        for (size_t k = 0; k < nconf0; k++)
            if (!linked_a[conf0[k].a] && !has[conf0[k].a])
                r.conflicts[r.nconflicts++] = conf0[k];
        fn_free(has);
        qsort(r.conflicts, r.nconflicts, sizeof *r.conflicts, cmp_conflict);
    }
    fn_free(rest);
    rest = NULL;
    for (size_t k = 0; k < nchunks; k++) {
        fn_free(chunks[k].rec_id);
        fn_free(chunks[k].rec_end);
        fn_free(chunks[k].b);
        fn_free(chunks[k].lv);
        fn_free(chunks[k].tf);
        chunks[k].rec_id = chunks[k].rec_end = chunks[k].b = NULL;
        chunks[k].lv = NULL;
        chunks[k].tf = NULL;
    }
    qsort(r.matches, r.nmatches, sizeof *r.matches, cmp_match);
    double t4 = fn_now();
    r.t_model = t4 - t3;

    /* Differences of linked pairs, in parallel over fixed ranges of the
     * links; the list is sorted afterwards, so the order does not depend
     * on the threads. */
    rc = link_translit_new(&tr);
    if (rc)
        goto out;
    rc = diffs_parallel(&dc, &loc, &cen, &r, threads);
    if (rc)
        goto out;
    if (r.ndiffs)
        qsort(r.diffs, r.ndiffs, sizeof *r.diffs, cmp_diff);
    /* An azr_nr of a local record that belongs to a different central record:
     * an open-addressing table of the central numbers (the first record
     * with a number wins), looked up per local record. */
    rc = azr_conflicts(&loc, &cen, &r);
    if (rc)
        goto out;
    double t5 = fn_now();
    r.t_diffs = t5 - t4;

    if (opt->explain_id) {
        size_t found = SIZE_MAX;
        for (size_t i = 0; i < loc.n && found == SIZE_MAX; i++)
            if (!strcmp(V(&loc, i, REG_RECORD_ID), opt->explain_id))
                found = i;
        if (found == SIZE_MAX) {
            snprintf(msg, msg_size, "%s: Datensatz \"%s\" nicht gefunden", loc.path,
                     opt->explain_id);
            rc = FN_NOTFOUND;
            goto out;
        }
        explain(opt->explain_out ? opt->explain_out : stdout, &dc, &loc, &cen, found, ix, phys, &r);
    }
    if (opt->out_dir) {
        rc = fn_mkdir_p(opt->out_dir);
        if (rc) {
            snprintf(msg, msg_size, "%s: Ordner kann nicht angelegt werden", opt->out_dir);
            goto out;
        }
        rc = rec_write_outputs(opt->out_dir, &loc, &cen, &rj, &r, linked_a, linked_b, rej_a, rej_b);
        if (rc) {
            snprintf(msg, msg_size, "%s: Ausgabe kann nicht geschrieben werden", opt->out_dir);
            goto out;
        }
    }
out:
    if (chunks)
        for (size_t k = 0; k < nchunks; k++) {
            fn_free(chunks[k].rec_id);
            fn_free(chunks[k].rec_end);
            fn_free(chunks[k].b);
            fn_free(chunks[k].lv);
            fn_free(chunks[k].tf);
        }
    fn_free(chunks);
    fn_free(perm);
    fn_free(phys_mem);
    assign_state_free(ast);
    fn_free(rest);
    fn_free(conf0);
    fn_free(linked_a);
    fn_free(linked_b);
    fn_free(r.azr_conflict_a);
    fn_free(r.azr_conflict_b);
    fn_free(r.tf_fam);
    fn_free(r.tf_giv);
    fn_free(r.match_round);
    fn_free(r.matches);
    fn_free(r.conflicts);
    fn_free(r.diffs);
    fs_patterns_free(&rnd_pat);
    fs_patterns_free(&mb_pat);
    block_index_free(ix);
    link_translit_free(tr);
    link_name_dict_free(dc.names);
    link_name_dict_free(dc.places);
    fn_buf_free(&fa);
    fn_buf_free(&fb);
    fn_free(rj.r);
    rec_side_free(&loc);
    rec_side_free(&cen);
    return rc;
}
