/* scope.c – need-to-know scoping of every person read and write (see
 * scope.h and docs/access.md). Backend-neutral: rows come through st->ops,
 * the cache hangs off the common handle head (struct store_head). */
#include "store/scope.h"

#include <string.h>

#include "auth/role.h"
#include "core/alloc.h"
#include "store/backend.h"

enum reach { REACH_NONE, REACH_ORG, REACH_REGION, REACH_ALL };

/* The rule, once: what each role reaches per access. A user holding
 * several roles reaches the union. Polizei (reduced view of notified
 * persons) and the disclosure report of
 * datenschutz come with later issues and reach no person here. */
static const unsigned char grants[AUTH_ROLE_COUNT][STORE_ACCESS_COUNT] = {
    /* sachbearbeitung: persons and cases of its own authority */
    [0] = {[STORE_ACCESS_READ] = REACH_ORG,
           [STORE_ACCESS_IDENTITY] = REACH_ORG,
           [STORE_ACCESS_FACTS] = REACH_ORG,
           [STORE_ACCESS_CASEWORK] = REACH_ORG,
           [STORE_ACCESS_ASSESS] = REACH_ORG,
           [STORE_ACCESS_DECIDE] = REACH_ORG,
           [STORE_ACCESS_STATS] = REACH_ORG},
    /* koordination (RRK): the persons of every authority of its region */
    [1] = {[STORE_ACCESS_READ] = REACH_REGION,
           [STORE_ACCESS_CASEWORK] = REACH_REGION,
           [STORE_ACCESS_ASSESS] = REACH_REGION,
           [STORE_ACCESS_DECIDE] = REACH_REGION,
           [STORE_ACCESS_STATS] = REACH_REGION},
    /* zab: the persons of its region; identity clarification, documents */
    [2] = {[STORE_ACCESS_READ] = REACH_REGION, [STORE_ACCESS_IDENTITY] = REACH_REGION},
    /* polizei: nothing yet */
    [3] = {0},
    /* statistik: aggregates of the whole state, never one person (small
     * cells suppressed by the report, src/assess/evaluate.c) */
    [4] = {[STORE_ACCESS_STATS] = REACH_ALL},
    /* datenschutz: the whole audit trail; no case work */
    [5] = {[STORE_ACCESS_AUDIT] = REACH_ALL},
    /* admin: no person data */
    [6] = {0},
};

struct scope_org {
    int64_t id;
    int64_t region_id;
    int kind;
};

struct scope_cache {
    struct scope_org *orgs; /* by id (org_region_each's order) */
    size_t n, cap;
    int loaded;
};

void store_scope_cache_free(struct scope_cache *c)
{
    if (!c)
        return;
    fn_free(c->orgs);
    fn_free(c);
}

/* The cache slot of any backend's handle. */
static struct scope_cache **cache_slot(struct store *st)
{
    return &store_head_of(st)->scope_cache;
}

void store_scope_cache_invalidate(struct store *st)
{
    struct scope_cache *c = *cache_slot(st);
    if (c)
        c->loaded = 0;
}

/* org_region_each's callback: appends one organisation to the cache. */
static fn_status cache_add(void *ctx, int64_t id, int64_t region_id, const char *kind_code)
{
    struct scope_cache *c = ctx;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 128;
        struct scope_org *no = fn_reallocarray(c->orgs, ncap, sizeof *no);
        if (!no)
            return FN_NOMEM;
        c->orgs = no;
        c->cap = ncap;
    }
    enum model_org_kind kind = ORG_ABH;
    if (model_org_kind_parse(kind_code ? kind_code : "", &kind) != FN_OK)
        kind = ORG_KIND_COUNT; /* unknown kind: never an RRK or ZAB */
    c->orgs[c->n++] = (struct scope_org){.id = id, .region_id = region_id, .kind = (int)kind};
    return FN_OK;
}

/* (Re)reads every organisation's region and kind into the handle's cache. */
static fn_status cache_load(struct store *st)
{
    struct scope_cache **slot = cache_slot(st);
    if (!*slot) {
        *slot = fn_calloc(1, sizeof **slot);
        if (!*slot)
            return FN_NOMEM;
    }
    struct scope_cache *c = *slot;
    c->n = 0;
    c->loaded = 0;
    fn_status rc = store_head_of(st)->ops->org_region_each(st, cache_add, c);
    if (!rc)
        c->loaded = 1;
    return rc;
}

static const struct scope_org *cache_find(const struct scope_cache *c, int64_t id)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->orgs[mid].id == id)
            return &c->orgs[mid];
        if (c->orgs[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The cached organisation id; reloads once when it is missing (an
 * organisation added by another handle since). */
static fn_status org_lookup(struct store *st, int64_t id, const struct scope_org **out)
{
    *out = NULL;
    fn_status rc = FN_OK;
    struct scope_cache **slot = cache_slot(st);
    if (!*slot || !(*slot)->loaded)
        rc = cache_load(st);
    if (!rc)
        *out = cache_find(*slot, id);
    if (!rc && !*out) {
        rc = cache_load(st);
        if (!rc)
            *out = cache_find(*slot, id);
    }
    if (!rc && !*out)
        rc = FN_NOTFOUND;
    return rc;
}

fn_status store_scope_org(struct store *st, int64_t org_id, int64_t *region_id, int *kind)
{
    const struct scope_org *o = NULL;
    fn_status rc = org_lookup(st, org_id, &o);
    if (rc)
        return rc;
    *region_id = o->region_id;
    *kind = o->kind;
    return FN_OK;
}

fn_status store_scope_resolve(struct store *st, const struct store_actor *a,
                              enum store_access access, struct store_scope *out)
{
    memset(out, 0, sizeof *out);
    fn_status rc = store_check_actor(a);
    if (rc)
        return rc;
    if ((int)access < 0 || access >= STORE_ACCESS_COUNT)
        return FN_INVALID;
    if (a->system) {
        out->all = 1;
        return FN_OK;
    }
    enum reach reach = REACH_NONE;
    for (int r = 0; r < AUTH_ROLE_COUNT; r++)
        if ((a->roles & (1u << r)) && grants[r][access] > reach)
            reach = grants[r][access];
    if (reach == REACH_NONE)
        return FN_DENIED;
    if (reach == REACH_ALL) {
        out->all = 1;
        return FN_OK;
    }
    if (a->org_id <= 0)
        return FN_DENIED; /* a scoped role without an organisation reaches nobody */
    const struct scope_org *o = NULL;
    rc = org_lookup(st, a->org_id, &o);
    if (rc == FN_NOTFOUND)
        return FN_DENIED;
    if (rc)
        return rc;
    out->org_id = a->org_id;
    if (reach == REACH_REGION)
        out->region_id = o->region_id;
    return FN_OK;
}

fn_status store_scope_covers(struct store *st, const struct store_scope *sc, int64_t authority_id,
                             int *covered)
{
    *covered = 0;
    if (sc->all) {
        *covered = 1;
        return FN_OK;
    }
    if (authority_id <= 0)
        return FN_OK;
    if (sc->org_id && authority_id == sc->org_id) {
        *covered = 1;
        return FN_OK;
    }
    if (!sc->region_id)
        return FN_OK;
    const struct scope_org *o = NULL;
    fn_status rc = org_lookup(st, authority_id, &o);
    if (rc == FN_NOTFOUND)
        return FN_OK;
    if (rc)
        return rc;
    *covered = o->region_id == sc->region_id;
    return FN_OK;
}

fn_status store_scope_check_person(struct store *st, const struct store_scope *sc,
                                   int64_t person_id)
{
    int64_t authority = 0;
    fn_status rc = store_head_of(st)->ops->person_authority(st, person_id, &authority);
    int covered = 0;
    if (!rc)
        rc = store_scope_covers(st, sc, authority, &covered);
    if (!rc && !covered)
        rc = FN_NOTFOUND;
    return rc;
}

fn_status store_may_assess(struct store *st, const struct store_actor *a)
{
    struct store_scope sc;
    return store_scope_resolve(st, a, STORE_ACCESS_ASSESS, &sc);
}
