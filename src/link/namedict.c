/* namedict.c – distinct name values with keys and frequencies (namedict.h). */
#include "link/namedict.h"

#include <string.h>

#include "core/alloc.h"
#include "core/hash.h"
#include "core/parallel.h"

struct link_name_dict {
    enum link_name_kind kind;
    int built;
    char *text; /* all values, NUL-terminated, back to back */
    size_t text_len, text_cap;
    size_t *off;                 /* per id: offset in text */
    uint64_t *hash;              /* per id */
    uint32_t *count;             /* per id and slot: occurrences */
    uint32_t n, cap;             /* ids */
    uint32_t *slots;             /* open addressing: id + 1, 0 = free */
    size_t nslots;               /* power of two */
    struct link_name_keys *keys; /* per id, after build */
    struct link_name_sig *sig;   /* per id, after build; one cache line each */
    void *sig_mem;               /* the allocation sig lies in */
    struct link_token_sig *tok;  /* token signatures of names of 2+ tokens */
    double *freq;                /* per id and slot, after build */
};

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = fn_fnv1a(FN_FNV_OFFSET, s, len);
    return h ^ (h >> 29);
}

fn_status link_name_dict_new(enum link_name_kind kind, struct link_name_dict **out)
{
    *out = NULL;
    struct link_name_dict *d = fn_calloc(1, sizeof *d);
    if (!d)
        return FN_NOMEM;
    d->kind = kind;
    d->nslots = 1024;
    d->slots = fn_calloc(d->nslots, sizeof *d->slots);
    if (!d->slots) {
        fn_free(d);
        return FN_NOMEM;
    }
    *out = d;
    return FN_OK;
}

void link_name_dict_free(struct link_name_dict *d)
{
    if (!d)
        return;
    fn_free(d->text);
    fn_free(d->off);
    fn_free(d->hash);
    fn_free(d->count);
    fn_free(d->slots);
    fn_free(d->keys);
    fn_free(d->sig_mem);
    fn_free(d->tok);
    fn_free(d->freq);
    fn_free(d);
}

static fn_status grow_slots(struct link_name_dict *d)
{
    size_t nslots = d->nslots * 2;
    uint32_t *slots = fn_calloc(nslots, sizeof *slots);
    if (!slots)
        return FN_NOMEM;
    for (uint32_t i = 0; i < d->n; i++) {
        size_t s = d->hash[i] & (nslots - 1);
        while (slots[s])
            s = (s + 1) & (nslots - 1);
        slots[s] = i + 1;
    }
    fn_free(d->slots);
    d->slots = slots;
    d->nslots = nslots;
    return FN_OK;
}

static fn_status grow_ids(struct link_name_dict *d)
{
    uint32_t cap = d->cap ? d->cap * 2 : 256;
    if (cap > LINK_NAME_DICT_MAX)
        cap = LINK_NAME_DICT_MAX;
    size_t *off = fn_reallocarray(d->off, cap, sizeof *off);
    if (!off)
        return FN_NOMEM;
    d->off = off;
    uint64_t *hash = fn_reallocarray(d->hash, cap, sizeof *hash);
    if (!hash)
        return FN_NOMEM;
    d->hash = hash;
    uint32_t *count = fn_reallocarray(d->count, (size_t)cap * LINK_NAME_DICT_SLOTS, sizeof *count);
    if (!count)
        return FN_NOMEM;
    d->count = count;
    d->cap = cap;
    return FN_OK;
}

fn_status link_name_dict_add(struct link_name_dict *d, const char *s, size_t len, int slot,
                             uint32_t *id)
{
    if (d->built || slot < 0 || slot >= LINK_NAME_DICT_SLOTS)
        return FN_INVALID;
    uint64_t h = hash_bytes(s, len);
    size_t pos = h & (d->nslots - 1);
    while (d->slots[pos]) {
        uint32_t i = d->slots[pos] - 1;
        if (d->hash[i] == h && !strncmp(d->text + d->off[i], s, len) &&
            d->text[d->off[i] + len] == '\0') {
            uint32_t *c = &d->count[(size_t)i * LINK_NAME_DICT_SLOTS + (size_t)slot];
            if (*c < UINT32_MAX)
                (*c)++;
            *id = i;
            return FN_OK;
        }
        pos = (pos + 1) & (d->nslots - 1);
    }
    if (d->n >= LINK_NAME_DICT_MAX)
        return FN_TOO_LARGE;
    if (d->n == d->cap && grow_ids(d))
        return FN_NOMEM;
    if (d->text_len + len + 1 > d->text_cap) {
        size_t cap = d->text_cap ? d->text_cap : 4096;
        while (cap < d->text_len + len + 1)
            cap *= 2;
        char *t = fn_realloc(d->text, cap);
        if (!t)
            return FN_NOMEM;
        d->text = t;
        d->text_cap = cap;
    }
    memcpy(d->text + d->text_len, s, len);
    d->text[d->text_len + len] = '\0';
    uint32_t i = d->n++;
    d->off[i] = d->text_len;
    d->text_len += len + 1;
    d->hash[i] = h;
    memset(&d->count[(size_t)i * LINK_NAME_DICT_SLOTS], 0, LINK_NAME_DICT_SLOTS * sizeof *d->count);
    d->count[(size_t)i * LINK_NAME_DICT_SLOTS + (size_t)slot] = 1;
    d->slots[pos] = i + 1;
    *id = i;
    if ((size_t)d->n * 2 > d->nslots)
        return grow_slots(d);
    return FN_OK;
}

/* Keys of the values in [from, to), with this thread's transliterator. */
static fn_status build_range(void *ctx, int range, size_t from, size_t to)
{
    (void)range;
    struct link_name_dict *d = ctx;
    struct link_translit *t = NULL;
    fn_status rc = link_translit_new(&t);
    for (size_t i = from; !rc && i < to; i++) {
        const char *v = d->text + d->off[i];
        fn_status krc = d->kind == LINK_NAME_PLACE
                            ? link_place_keys_make(t, v, strlen(v), &d->keys[i])
                            : link_name_keys_make(t, v, strlen(v), &d->keys[i]);
        if (krc == FN_NOMEM) {
            rc = krc;
            break;
        }
        if (krc) { /* invalid UTF-8: a value that cannot agree with anything */
            memset(&d->keys[i], 0, sizeof d->keys[i]);
            d->keys[i].empty = 1;
        }
        link_name_sig_make(&d->keys[i], &d->sig[i]);
    }
    link_translit_free(t);
    return rc;
}

/* The token signatures of the names of two or more tokens, one table. */
static fn_status build_token_sigs(struct link_name_dict *d)
{
    size_t total = 0;
    for (uint32_t i = 0; i < d->n; i++)
        if (d->keys[i].ntokens > 1)
            total += d->keys[i].ntokens;
    d->tok = fn_calloc(total ? total : 1, sizeof *d->tok);
    if (!d->tok)
        return FN_NOMEM;
    uint32_t next = 0; /* total < n * LINK_NAME_MAX_TOKENS fits */
    for (uint32_t i = 0; i < d->n; i++)
        if (d->keys[i].ntokens > 1) {
            link_name_sig_tokens(&d->keys[i], &d->sig[i], d->tok, next);
            next += d->keys[i].ntokens;
        }
    return FN_OK;
}

/* Groups ids by their ascii key and sets each id's frequency. */
static fn_status build_frequencies(struct link_name_dict *d)
{
    size_t nslots = 1024;
    while (nslots < (size_t)d->n * 2)
        nslots *= 2;
    uint32_t *slots = fn_calloc(nslots, sizeof *slots); /* group + 1 */
    uint32_t *group_of = fn_malloc(((size_t)d->n + 1) * sizeof *group_of);
    uint32_t *rep = fn_malloc(((size_t)d->n + 1) * sizeof *rep); /* a member id per group */
    uint64_t *gcount = fn_calloc(((size_t)d->n + 1) * LINK_NAME_DICT_SLOTS, sizeof *gcount);
    fn_status rc = FN_NOMEM;
    if (!slots || !group_of || !rep || !gcount)
        goto out;
    uint32_t ngroups = 0;
    uint64_t total[LINK_NAME_DICT_SLOTS] = {0};
    for (uint32_t i = 0; i < d->n; i++) {
        const struct link_name_keys *k = &d->keys[i];
        if (k->empty || !k->ascii[0]) {
            group_of[i] = UINT32_MAX;
            continue;
        }
        uint64_t h = hash_bytes(k->ascii, strlen(k->ascii));
        size_t s = h & (nslots - 1);
        for (;;) {
            if (!slots[s]) {
                slots[s] = ngroups + 1;
                rep[ngroups++] = i;
                break;
            }
            if (!strcmp(d->keys[rep[slots[s] - 1]].ascii, k->ascii))
                break;
            s = (s + 1) & (nslots - 1);
        }
        group_of[i] = slots[s] - 1;
        for (int sl = 0; sl < LINK_NAME_DICT_SLOTS; sl++) {
            uint32_t c = d->count[(size_t)i * LINK_NAME_DICT_SLOTS + (size_t)sl];
            gcount[(size_t)group_of[i] * LINK_NAME_DICT_SLOTS + (size_t)sl] += c;
            total[sl] += c;
        }
    }
    for (uint32_t i = 0; i < d->n; i++)
        for (int k = 0; k < LINK_NAME_DICT_SLOTS; k++)
            d->freq[(size_t)i * LINK_NAME_DICT_SLOTS + (size_t)k] =
                group_of[i] == UINT32_MAX || !total[k]
                    ? 0.0
                    : (double)gcount[(size_t)group_of[i] * LINK_NAME_DICT_SLOTS + (size_t)k] /
                          (double)total[k];
    rc = FN_OK;
out:
    fn_free(slots);
    fn_free(group_of);
    fn_free(rep);
    fn_free(gcount);
    return rc;
}

fn_status link_name_dict_build(struct link_name_dict *d, int threads)
{
    if (d->built)
        return FN_INVALID;
    size_t n = d->n ? d->n : 1;
    d->keys = fn_calloc(n, sizeof *d->keys);
    /* one spare entry so that sig can start on a cache line */
    d->sig_mem = fn_calloc(n + 1, sizeof *d->sig);
    d->sig =
        d->sig_mem ? (struct link_name_sig *)(((uintptr_t)d->sig_mem + 63) & ~(uintptr_t)63) : NULL;
    d->freq = fn_calloc(n * LINK_NAME_DICT_SLOTS, sizeof *d->freq);
    if (!d->keys || !d->sig || !d->freq)
        return FN_NOMEM;
    fn_status rc = fn_parallel_ranges(threads, d->n, build_range, d);
    if (rc)
        return rc;
    rc = build_token_sigs(d);
    if (rc)
        return rc;
    rc = build_frequencies(d);
    if (rc)
        return rc;
    d->built = 1;
    return FN_OK;
}

size_t link_name_dict_size(const struct link_name_dict *d)
{
    return d->n;
}

const char *link_name_dict_value(const struct link_name_dict *d, uint32_t id)
{
    return d->text + d->off[id];
}

const struct link_name_keys *link_name_dict_keys(const struct link_name_dict *d, uint32_t id)
{
    return &d->keys[id];
}

double link_name_dict_frequency(const struct link_name_dict *d, uint32_t id, int slot)
{
    if (slot < 0 || slot >= LINK_NAME_DICT_SLOTS)
        return 0.0;
    return d->freq[(size_t)id * LINK_NAME_DICT_SLOTS + (size_t)slot];
}

const struct link_token_sig *link_name_dict_token_sigs(const struct link_name_dict *d)
{
    return d->tok;
}

const struct link_name_sig *link_name_dict_sig(const struct link_name_dict *d, uint32_t id)
{
    return &d->sig[id];
}
