/*
 * scope.h – need-to-know: which persons an actor may read or change (issue
 * 11, docs/access.md). Written once, here; every store function that reads
 * or writes personal data resolves its actor through store_scope_resolve
 * (the policy layer) and applies the result: single records with
 * store_scope_covers, lists in the backend's one query (SQLite:
 * STORE_SCOPE_SQL, store_int.h), so a page stays one indexed query. No SQL
 * here: the organisations come from the backend's org_region_each, a
 * person's authority from person_authority.
 *
 * Fail closed: an actor with no role that grants the access is FN_DENIED;
 * a person outside the scope is FN_NOTFOUND for get/find/update/delete
 * (existence is not revealed) and absent from lists. System actors (import,
 * demo, background re-assessment) see everything.
 *
 * The organisation → region map is cached per handle (reference data, a
 * few hundred rows) and reloaded once on a miss, so a scoped
 * store_person_get costs no extra query.
 */
#ifndef FN_STORE_SCOPE_H
#define FN_STORE_SCOPE_H

#include <stdint.h>

#include "core/status.h"
#include "store/store.h"

/* What the actor wants to do with personal data. */
enum store_access {
    STORE_ACCESS_READ,     /* read persons, their facts and case work */
    STORE_ACCESS_IDENTITY, /* add or change a person, identity documents */
    STORE_ACCESS_FACTS,    /* record facts; delete a person */
    STORE_ACCESS_CASEWORK, /* cases, conferences, tasks, case documents */
    STORE_ACCESS_ASSESS,   /* store an assessment */
    STORE_ACCESS_DECIDE,   /* decide intake; read decisions (evaluation) */
    STORE_ACCESS_AUDIT,    /* read the audit trail */
    STORE_ACCESS_STATS,    /* aggregates only (evaluation), never one person */
    STORE_ACCESS_COUNT
};

/* The persons an actor may reach: every one (all), those whose responsible
 * authority is org_id, or those of any authority of region_id. */
struct store_scope {
    int all;
    int64_t org_id;    /* 0 = none */
    int64_t region_id; /* 0 = none */
};

/* Checks login and purpose (store_check_actor) and resolves the actor's
 * scope for access into *out. FN_DENIED when no role of the actor grants
 * the access (also: no roles at all, or no organisation for a scoped
 * role). */
FN_MUST_CHECK fn_status store_scope_resolve(struct store *st, const struct store_actor *a,
                                            enum store_access access, struct store_scope *out);

/* *covered = 1 when the scope reaches a person whose responsible authority
 * is authority_id (0: a person without one, reached only by "all"). */
FN_MUST_CHECK fn_status store_scope_covers(struct store *st, const struct store_scope *sc,
                                           int64_t authority_id, int *covered);

/* Looks up the responsible authority of person_id and checks it:
 * FN_NOTFOUND when there is no such person or it is out of scope. */
FN_MUST_CHECK fn_status store_scope_check_person(struct store *st, const struct store_scope *sc,
                                                 int64_t person_id);

/* The region an organisation belongs to (0 when none) and its kind;
 * FN_NOTFOUND for an unknown id. */
FN_MUST_CHECK fn_status store_scope_org(struct store *st, int64_t org_id, int64_t *region_id,
                                        int *kind);

/* Frees the per-handle organisation cache (store_close); accepts NULL. */
struct scope_cache;
void store_scope_cache_free(struct scope_cache *c);
/* Drops the cache after an organisation was added on this handle. */
void store_scope_cache_invalidate(struct store *st);

#endif
