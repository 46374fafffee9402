/*
 * backend.h – the storage backend vtable behind store.h.
 *
 * Every public store function that takes a handle dispatches through
 * st->ops (store_api.c), so a second backend (PostgreSQL, libpq) plugs in by
 * providing its own struct store_backend and an open function that store_open
 * selects by path. The SQLite backend's functions are sqlite_<name> (the
 * public name without "store_"), declared below; they call each other
 * directly. A backend's import object must start with struct
 * store_import_head so that the import functions find their backend.
 */
#ifndef FN_STORE_BACKEND_H
#define FN_STORE_BACKEND_H

#include "store/chain.h"
#include "store/store.h"

/* One stored audit row, COL_ALL columns (chain.h). */
typedef fn_status (*audit_rows_fn)(void *ctx, const struct audit_value *v);

/* A session row with its account as it is now (session_find). */
struct store_session_row {
    struct store_session s; /* s.login is the account's */
    int user_active;
    unsigned user_roles;
    int64_t user_org_id;
};

struct store_backend {
    const char *name;
    void (*close)(struct store *st);
    /* The engine's message for the last failure on st ("" when none). */
    const char *(*errmsg)(const struct store *st);
    fn_status (*migrate)(struct store *st);
    fn_status (*schema_version)(struct store *st, int *version);
    fn_status (*begin)(struct store *st);
    fn_status (*commit)(struct store *st);
    void (*rollback)(struct store *st);
    /* A read snapshot: every read between read_begin and read_end sees the
     * database as of one moment, whatever commits meanwhile (SQLite: a
     * deferred read transaction under WAL; PostgreSQL: REPEATABLE READ). No
     * writes inside; not inside begin/commit. */
    fn_status (*read_begin)(struct store *st);
    void (*read_end)(struct store *st);
    fn_status (*region_insert)(struct store *st, struct model_region *r);
    fn_status (*org_insert)(struct store *st, struct model_org *o);
    fn_status (*org_find)(struct store *st, const char *code, int64_t *id);
    fn_status (*org_get)(struct store *st, int64_t id, struct model_org *out);
    fn_status (*org_each)(struct store *st, store_org_fn fn, void *ctx);
    /* accounts and tokens: rows only; store_api.c audits around them */
    fn_status (*user_insert)(struct store *st, struct model_user *u, const char *password_hash);
    fn_status (*user_find)(struct store *st, const char *login, struct model_user *out);
    fn_status (*user_get)(struct store *st, int64_t id, struct model_user *out);
    fn_status (*user_password_hash)(struct store *st, int64_t user_id, char **hash);
    fn_status (*user_set_password)(struct store *st, int64_t user_id, const char *password_hash);
    fn_status (*user_set_active)(struct store *st, int64_t user_id, int active);
    fn_status (*user_each)(struct store *st, store_user_fn fn, void *ctx);
    fn_status (*token_insert)(struct store *st, struct store_api_token *t);
    fn_status (*token_find)(struct store *st, const char *digest, struct store_api_token *out);
    fn_status (*token_revoke)(struct store *st, int64_t id, const char *at);
    fn_status (*token_each)(struct store *st, store_token_fn fn, void *ctx);
    /* web sessions: rows only; policy_session.c checks, audits and decides
     * what is expired. session_find: the row of digest with its account as
     * it is now, in one indexed read, FN_NOTFOUND when none. session_touch:
     * sets last_seen when it is older, without waiting for another
     * writer's lock (FN_BUSY then). session_end: sets ended_at on an open
     * row, FN_NOTFOUND when none. */
    fn_status (*session_insert)(struct store *st, struct store_session *s);
    fn_status (*session_find)(struct store *st, const char *digest, struct store_session_row *out);
    fn_status (*session_touch)(struct store *st, int64_t id, int64_t now);
    fn_status (*session_end)(struct store *st, const char *digest, int64_t now);
    fn_status (*session_end_user)(struct store *st, int64_t user_id, int64_t now, int64_t *ended);
    fn_status (*session_prune)(struct store *st, int64_t now, int64_t *removed);
    /* person rows (policy_person.c checks and audits): insert the person
     * with aliases and documents, setting p->id; delete with every row
     * that hangs on it, FN_NOTFOUND when there is none. */
    fn_status (*person_row_insert)(struct store *st, struct model_person *p);
    fn_status (*person_row_delete)(struct store *st, int64_t id);
    fn_status (*person_get)(struct store *st, const struct store_actor *a, int64_t id,
                            struct model_person_file **out);
    fn_status (*person_find)(struct store *st, const struct store_actor *a, const char *record_id,
                             int64_t *id);
    fn_status (*person_count)(struct store *st, int64_t *n);
    fn_status (*person_list)(struct store *st, const struct store_actor *a, int64_t authority_id,
                             int64_t after_id, size_t limit, struct store_person_summary **out,
                             size_t *n);
    fn_status (*person_each)(struct store *st, const struct store_actor *a, store_person_fn fn,
                             void *ctx);
    fn_status (*person_update)(struct store *st, const struct store_actor *a,
                               const struct model_person *p);
    /* Whole person files in id order, lo_id..hi_id, in one read snapshot. */
    fn_status (*person_files_range)(struct store *st, const struct store_actor *a, int64_t lo_id,
                                    int64_t hi_id, store_person_file_fn fn, void *ctx);
    fn_status (*max_person_id)(struct store *st, int64_t *id);
    /* facts and case work: rows only, policy_facts.c checks and audits.
     * fact_person: the person a row (of_row) or an owner (person or case
     * id) belongs to, FN_NOTFOUND when none. fact_write: inserts fact
     * (the model struct of kind) under owner_id (update_id 0) or replaces
     * row update_id; *row_id = the row. */
    fn_status (*fact_person)(struct store *st, enum store_fact_kind kind, int64_t id, int of_row,
                             int64_t *person_id);
    fn_status (*fact_write)(struct store *st, enum store_fact_kind kind, const void *fact,
                            int64_t owner_id, int64_t update_id, int64_t *row_id);
    fn_status (*fact_delete_row)(struct store *st, enum store_fact_kind kind, int64_t id);
    fn_status (*case_get)(struct store *st, const struct store_actor *a, int64_t case_id,
                          struct model_case_file **out);
    /* assessments and decisions: rows only (policy_decisions.c audits).
     * The inserts set ->id and stamp the time; assessment_person:
     * FN_NOTFOUND for an unknown assessment. */
    fn_status (*assessment_row_insert)(struct store *st, struct store_assessment *as);
    fn_status (*assessment_person)(struct store *st, int64_t assessment_id, int64_t *person_id);
    fn_status (*decision_row_insert)(struct store *st, const char *login, struct store_decision *d);
    fn_status (*assessment_latest_digest)(struct store *st, int64_t person_id, char out[65]);
    fn_status (*assessment_due_take)(struct store *st, int64_t *ids, size_t max, size_t *n);
    fn_status (*decisions_each)(struct store *st, const struct store_actor *a, store_decision_fn fn,
                                void *ctx);
    fn_status (*import_begin)(struct store *st, const struct store_actor *a, const char *source,
                              struct store_import **out);
    fn_status (*import_expect)(struct store_import *imp, int64_t rows);
    fn_status (*import_person)(struct store_import *imp, struct model_person *p);
    fn_status (*import_commit)(struct store_import *imp);
    void (*import_abort)(struct store_import *imp);
    fn_status (*audit_prune)(struct store *st, const struct store_actor *a, int before_year,
                             int64_t *removed);
    fn_status (*audit_flush)(struct store *st);
    /* The rows of the audit trail; the chain over them is chain.c's.
     * audit_head / audit_checkpoint: the single (seq, hash) row of each,
     * FN_NOTFOUND when it is missing. audit_row_insert: stores a sealed row
     * and moves the head to it, inside the open transaction.
     * audit_rows_each: every row in seq order, each column as its text (or
     * NULL), in enum audit_column order; a nonzero return of fn stops and
     * is returned. */
    fn_status (*audit_head)(struct store *st, int64_t *seq, char hash[65]);
    fn_status (*audit_checkpoint)(struct store *st, int64_t *seq, char hash[65]);
    fn_status (*audit_row_insert)(struct store *st, const struct audit_new_row *r);
    fn_status (*audit_rows_each)(struct store *st, audit_rows_fn fn, void *ctx);
    /* The same for rows with at >= since (text order), for reading the trail. */
    fn_status (*audit_rows_since)(struct store *st, const char *since, audit_rows_fn fn, void *ctx);
    /* *known = 1 when a row with this spool_id is stored (spool recovery). */
    fn_status (*audit_spool_id_known)(struct store *st, const char *spool_id, int *known);
    /* 1 while begin .. commit/rollback is open on st. */
    int (*in_transaction)(const struct store *st);
};

struct store_import_head {
    struct store *st; /* the handle the import runs on */
};

/* The handle an import runs on. */
struct store *store_import_owner(struct store_import *imp);

/* Policy-layer transactions over any backend: store_tx_open begins unless
 * the caller holds a transaction (*own says whether it began one);
 * store_tx_close commits what it began when rc is FN_OK, else rolls back,
 * and returns the result. */
FN_MUST_CHECK fn_status store_tx_open(struct store *st, int *own);
FN_MUST_CHECK fn_status store_tx_close(struct store *st, int own, fn_status rc);

/* ---- the SQLite backend ---- */
extern const struct store_backend store_sqlite_backend;
FN_MUST_CHECK fn_status sqlite_open(const char *path, unsigned flags, struct store **out);
void sqlite_close(struct store *st);
const char *sqlite_errmsg(const struct store *st);
FN_MUST_CHECK fn_status sqlite_migrate(struct store *st);
FN_MUST_CHECK fn_status sqlite_schema_version(struct store *st, int *version);
FN_MUST_CHECK fn_status sqlite_begin(struct store *st);
FN_MUST_CHECK fn_status sqlite_commit(struct store *st);
void sqlite_rollback(struct store *st);
FN_MUST_CHECK fn_status sqlite_read_begin(struct store *st);
void sqlite_read_end(struct store *st);
FN_MUST_CHECK fn_status sqlite_region_insert(struct store *st, struct model_region *r);
FN_MUST_CHECK fn_status sqlite_org_insert(struct store *st, struct model_org *o);
FN_MUST_CHECK fn_status sqlite_org_find(struct store *st, const char *code, int64_t *id);
FN_MUST_CHECK fn_status sqlite_org_get(struct store *st, int64_t id, struct model_org *out);
FN_MUST_CHECK fn_status sqlite_org_each(struct store *st, store_org_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_user_insert(struct store *st, struct model_user *u,
                                           const char *password_hash);
FN_MUST_CHECK fn_status sqlite_user_find(struct store *st, const char *login,
                                         struct model_user *out);
FN_MUST_CHECK fn_status sqlite_user_get(struct store *st, int64_t id, struct model_user *out);
FN_MUST_CHECK fn_status sqlite_user_password_hash(struct store *st, int64_t user_id, char **hash);
FN_MUST_CHECK fn_status sqlite_user_set_password(struct store *st, int64_t user_id,
                                                 const char *password_hash);
FN_MUST_CHECK fn_status sqlite_user_set_active(struct store *st, int64_t user_id, int active);
FN_MUST_CHECK fn_status sqlite_user_each(struct store *st, store_user_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_token_insert(struct store *st, struct store_api_token *t);
FN_MUST_CHECK fn_status sqlite_token_find(struct store *st, const char *digest,
                                          struct store_api_token *out);
FN_MUST_CHECK fn_status sqlite_token_revoke(struct store *st, int64_t id, const char *at);
FN_MUST_CHECK fn_status sqlite_token_each(struct store *st, store_token_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_session_insert(struct store *st, struct store_session *s);
FN_MUST_CHECK fn_status sqlite_session_find(struct store *st, const char *digest,
                                            struct store_session_row *out);
FN_MUST_CHECK fn_status sqlite_session_touch(struct store *st, int64_t id, int64_t now);
FN_MUST_CHECK fn_status sqlite_session_end(struct store *st, const char *digest, int64_t now);
FN_MUST_CHECK fn_status sqlite_session_end_user(struct store *st, int64_t user_id, int64_t now,
                                                int64_t *ended);
FN_MUST_CHECK fn_status sqlite_session_prune(struct store *st, int64_t now, int64_t *removed);
FN_MUST_CHECK fn_status sqlite_person_row_insert(struct store *st, struct model_person *p);
FN_MUST_CHECK fn_status sqlite_person_row_delete(struct store *st, int64_t id);
FN_MUST_CHECK fn_status sqlite_person_get(struct store *st, const struct store_actor *a, int64_t id,
                                          struct model_person_file **out);
FN_MUST_CHECK fn_status sqlite_person_find(struct store *st, const struct store_actor *a,
                                           const char *record_id, int64_t *id);
FN_MUST_CHECK fn_status sqlite_person_count(struct store *st, int64_t *n);
FN_MUST_CHECK fn_status sqlite_person_list(struct store *st, const struct store_actor *a,
                                           int64_t authority_id, int64_t after_id, size_t limit,
                                           struct store_person_summary **out, size_t *n);
FN_MUST_CHECK fn_status sqlite_person_each(struct store *st, const struct store_actor *a,
                                           store_person_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_person_update(struct store *st, const struct store_actor *a,
                                             const struct model_person *p);
FN_MUST_CHECK fn_status sqlite_person_files_range(struct store *st, const struct store_actor *a,
                                                  int64_t lo_id, int64_t hi_id,
                                                  store_person_file_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_max_person_id(struct store *st, int64_t *id);
FN_MUST_CHECK fn_status sqlite_fact_person(struct store *st, enum store_fact_kind kind, int64_t id,
                                           int of_row, int64_t *person_id);
FN_MUST_CHECK fn_status sqlite_fact_write(struct store *st, enum store_fact_kind kind,
                                          const void *fact, int64_t owner_id, int64_t update_id,
                                          int64_t *row_id);
FN_MUST_CHECK fn_status sqlite_fact_delete_row(struct store *st, enum store_fact_kind kind,
                                               int64_t id);
FN_MUST_CHECK fn_status sqlite_case_get(struct store *st, const struct store_actor *a,
                                        int64_t case_id, struct model_case_file **out);
FN_MUST_CHECK fn_status sqlite_assessment_row_insert(struct store *st, struct store_assessment *as);
FN_MUST_CHECK fn_status sqlite_assessment_person(struct store *st, int64_t assessment_id,
                                                 int64_t *person_id);
FN_MUST_CHECK fn_status sqlite_decision_row_insert(struct store *st, const char *login,
                                                   struct store_decision *d);
FN_MUST_CHECK fn_status sqlite_assessment_latest_digest(struct store *st, int64_t person_id,
                                                        char out[65]);
FN_MUST_CHECK fn_status sqlite_assessment_due_take(struct store *st, int64_t *ids, size_t max,
                                                   size_t *n);
FN_MUST_CHECK fn_status sqlite_decisions_each(struct store *st, const struct store_actor *a,
                                              store_decision_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_import_begin(struct store *st, const struct store_actor *a,
                                            const char *source, struct store_import **out);
FN_MUST_CHECK fn_status sqlite_import_expect(struct store_import *imp, int64_t rows);
FN_MUST_CHECK fn_status sqlite_import_person(struct store_import *imp, struct model_person *p);
FN_MUST_CHECK fn_status sqlite_import_commit(struct store_import *imp);
void sqlite_import_abort(struct store_import *imp);
FN_MUST_CHECK fn_status sqlite_audit_rows_since(struct store *st, const char *since,
                                                audit_rows_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_audit_prune(struct store *st, const struct store_actor *a,
                                           int before_year, int64_t *removed);
FN_MUST_CHECK fn_status sqlite_audit_flush(struct store *st);
FN_MUST_CHECK fn_status sqlite_audit_head(struct store *st, int64_t *seq, char hash[65]);
FN_MUST_CHECK fn_status sqlite_audit_checkpoint(struct store *st, int64_t *seq, char hash[65]);
FN_MUST_CHECK fn_status sqlite_audit_row_insert(struct store *st, const struct audit_new_row *r);
FN_MUST_CHECK fn_status sqlite_audit_rows_each(struct store *st, audit_rows_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_audit_spool_id_known(struct store *st, const char *spool_id,
                                                    int *known);
int sqlite_in_transaction(const struct store *st);

#endif
