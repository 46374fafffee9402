/*
 * backend.h – the storage backend vtable behind store.h.
 *
 * Every public store function that takes a handle dispatches through
 * st->ops (store_api.c), so a second backend (PostgreSQL, libpq) plugs in by
 * providing its own struct store_backend and an open function that store_open
 * selects by path. The SQLite backend's functions are sqlite_<name> (the
 * public name without "store_"), declared below; they call each other
 * directly. Every backend's handle starts with struct store_head, so the
 * policy layer, the read spool and the read audit reach any backend.
 */
#ifndef FN_STORE_BACKEND_H
#define FN_STORE_BACKEND_H

#include "store/chain.h"
#include "store/scope.h"
#include "store/store.h"

struct audit_queue;

#define STORE_ERRMSG_MAX 256

/* How long a statement waits for another connection's lock before it
 * fails with FN_BUSY (the server answers 503 with Retry-After then), on
 * every backend: SQLite's busy timeout, PostgreSQL's lock_timeout. */
#define STORE_BUSY_TIMEOUT_MS 10000
#define STORE_STR2(x)         #x
#define STORE_STR(x)          STORE_STR2(x)

/* The start of every backend's handle (a backend's own struct begins with
 * these fields, in this order). The backend keeps in_tx and in_read true
 * while a transaction or a read snapshot is open on the handle; errmsg
 * holds the message of the last failure, which the policy layer and the
 * spool may write too. */
struct store_head {
    const struct store_backend *ops;
    struct scope_cache *scope_cache; /* organisation -> region (scope.c); NULL on open, the
                                      * backend's close frees it (store_scope_cache_free) */
    struct audit_queue *queue;       /* the process's read spool of this database (spool.c) */
    int in_tx;                       /* begin .. commit/rollback is open */
    int in_read;                     /* read_begin .. read_end is open */
    char errmsg[STORE_ERRMSG_MAX];   /* "" when none */
};

/* The head of any backend's handle. */
static inline struct store_head *store_head_of(struct store *st)
{
    return (struct store_head *)(void *)st;
}

/* A backend's staging of one bulk import (import_stage_* entries). */
struct store_import_stage;

/* One organisation for the scope cache (scope.c): kind is the stored code. */
typedef fn_status (*store_org_region_fn)(void *ctx, int64_t id, int64_t region_id,
                                         const char *kind);

/* One stored audit row, COL_ALL columns (chain.h). */
typedef fn_status (*audit_rows_fn)(void *ctx, const struct audit_value *v);

/* A session row with its account as it is now (session_find). */
struct store_session_row {
    struct store_session s; /* s.login is the account's */
    int user_active;
    unsigned user_roles;
    int64_t user_org_id;
};

/* One row of a whole table as text (table_each): n columns named names[i],
 * values[i] the stored value as text (integers in decimal) or NULL. */
#define STORE_TABLE_MAX_COLUMNS 64
struct store_table_row {
    size_t n;
    const char *const *names;
    const char *const *values;
};
typedef fn_status (*store_table_row_fn)(void *ctx, const struct store_table_row *row);

/* What fact_stamp and fact_retire write (strings borrowed; NULL or ""
 * writes NULL): the source of a recorded fact, who acted and when (UTC,
 * ISO 8601), and the reason of a correction or withdrawal. */
struct store_fact_stamp {
    const char *source_kind;
    const char *source_ref;
    const char *login;
    const char *at;
    const char *reason;
};
/* Their SQL for table %s, the parameter markers given per dialect. */
#define STORE_FACT_STAMP_SQL(p1, p2, p3, p4, p5)                                                   \
    "UPDATE %s SET source_kind = " p1 ", source_ref = " p2 ", recorded_by = " p3                   \
    ", recorded_at = " p4 " WHERE id = " p5
#define STORE_FACT_RETIRE_SQL(p1, p2, p3, p4, p5)                                                  \
    "UPDATE %s SET superseded_by = " p1 ", retired_by = " p2 ", retired_at = " p3                  \
    ", retire_reason = " p4 " WHERE id = " p5 " AND retired_at IS NULL"

/* A table being filled with verbatim rows (table_write_*). */
struct store_table_writer;

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
     * with aliases and documents, setting p->id and p->version (1); delete with every row
     * that hangs on it, FN_NOTFOUND when there is none. */
    fn_status (*person_row_insert)(struct store *st, struct model_person *p);
    fn_status (*person_row_delete)(struct store *st, int64_t id);
    /* Person reads within a scope: the policy layer (policy_read.c) checks
     * the actor, resolves sc and writes the audit rows; the backend returns
     * only rows sc reaches (STORE_SCOPE_SQL's meaning: all, or authority
     * org_id, or any authority of region_id). A single row may be checked
     * with store_scope_covers (cached, no query); a list filters in its one
     * query. Out of scope is FN_NOTFOUND for one row, absent from lists.
     * person_get fills the person's version (schema 11). */
    fn_status (*person_get)(struct store *st, const struct store_scope *sc, int64_t id,
                            struct model_person_file **out);
    fn_status (*person_find)(struct store *st, const struct store_scope *sc, const char *record_id,
                             int64_t *id);
    fn_status (*person_count)(struct store *st, int64_t *n);
    /* Up to limit summaries with id > after_id, in id order, of persons both
     * sc and of reach, into the caller's out[limit]; *n = how many. */
    fn_status (*person_list)(struct store *st, const struct store_scope *sc,
                             const struct store_scope *of, int64_t after_id, size_t limit,
                             struct store_person_summary *out, size_t *n);
    /* Every person in scope in id order with aliases and documents; a
     * nonzero return of fn stops the walk and is returned. */
    fn_status (*person_each)(struct store *st, const struct store_scope *sc, store_person_fn fn,
                             void *ctx);
    /* Whole person files in id order, lo_id..hi_id, in one read snapshot. */
    fn_status (*person_files_range)(struct store *st, const struct store_scope *sc, int64_t lo_id,
                                    int64_t hi_id, store_person_file_fn fn, void *ctx);
    /* The stored person with aliases and documents and its version (for
     * the change list of an update), FN_NOTFOUND when there is none; caller
     * frees *out. */
    fn_status (*person_row_get)(struct store *st, int64_t id, struct model_person **out);
    /* Replaces row p->id with aliases and documents only while its version
     * is still p->version, incrementing the version in the same statement
     * (UPDATE ... SET version = version + 1 WHERE id = ? AND version = ?),
     * and sets p->version to the new one. No rows changed: FN_STALE when
     * the row exists (another writer changed it first), FN_NOTFOUND when
     * not. FN_CONFLICT for a record_id in use. */
    fn_status (*person_row_update)(struct store *st, struct model_person *p);
    /* A person's responsible authority (0: none); FN_NOTFOUND for no person. */
    fn_status (*person_authority)(struct store *st, int64_t person_id, int64_t *authority_id);
    /* Every organisation in id order: id, region (0: none), kind code. */
    fn_status (*org_region_each)(struct store *st, store_org_region_fn fn, void *ctx);
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
    /* The history of recorded facts (schema 12; person fact kinds only).
     * fact_stamp: sets row id's source and recorder (FN_NOTFOUND when no
     * row). fact_retire: marks the current row id superseded by
     * superseded_by (0: withdrawn) with m's login, time and reason, in one
     * UPDATE ... WHERE retired_at IS NULL; FN_STALE when it is retired
     * already (another writer came first). fact_history: every row of kind
     * about person_id, current and retired, in id order, all columns as
     * text. */
    fn_status (*fact_stamp)(struct store *st, enum store_fact_kind kind, int64_t id,
                            const struct store_fact_stamp *m);
    fn_status (*fact_retire)(struct store *st, enum store_fact_kind kind, int64_t id,
                             int64_t superseded_by, const struct store_fact_stamp *m);
    fn_status (*fact_history)(struct store *st, enum store_fact_kind kind, int64_t person_id,
                              store_table_row_fn fn, void *ctx);
    /* A case with its conferences, tasks and documents; FN_NOTFOUND when
     * there is none or its person is out of sc. */
    fn_status (*case_get)(struct store *st, const struct store_scope *sc, int64_t case_id,
                          struct model_case_file **out);
    /* assessments and decisions: rows only (policy_decisions.c audits).
     * The inserts set ->id and stamp the time; assessment_person:
     * FN_NOTFOUND for an unknown assessment. */
    fn_status (*assessment_row_insert)(struct store *st, struct store_assessment *as);
    fn_status (*assessment_person)(struct store *st, int64_t assessment_id, int64_t *person_id);
    fn_status (*decision_row_insert)(struct store *st, const char *login, struct store_decision *d);
    fn_status (*assessment_latest_digest)(struct store *st, int64_t person_id, char out[65]);
    fn_status (*assessment_due_take)(struct store *st, int64_t *ids, size_t max, size_t *n);
    /* The evaluation's two streams (store_eval_each; eval_sql.h): decisions
     * with at in from_at..to_at, persons with the latest assessment at or
     * before to_at; region_id 0: every region. */
    fn_status (*eval_each)(struct store *st, const struct store_scope *sc, const char *from_at,
                           const char *to_at, int64_t region_id, store_eval_decision_fn dfn,
                           store_eval_person_fn pfn, void *ctx);
    /* The catalogue hash of an assessment (out: 65 bytes), FN_NOTFOUND for
     * an unknown one. */
    fn_status (*assessment_hash)(struct store *st, int64_t assessment_id, char out[65]);
    /* catalogues and their approvals (policy_catalogue.c checks and
     * audits): catalogue_row_insert stores c (text included), sets c->id;
     * catalogue_approval_insert adds an approval of catalogue_id at at;
     * catalogue_row_get reads catalogue sha256 (NULL: the one with the
     * newest approval) with its latest approval and, with_text, its text;
     * catalogue_active_hash the hash in force; catalogue_rows_each every
     * catalogue without text, newest first. FN_NOTFOUND when none. */
    fn_status (*catalogue_row_insert)(struct store *st, struct store_catalogue *c);
    fn_status (*catalogue_approval_insert)(struct store *st, int64_t catalogue_id,
                                           const char *login, int64_t user_id, const char *at);
    fn_status (*catalogue_row_get)(struct store *st, const char *sha256, int with_text,
                                   struct store_catalogue *out);
    fn_status (*catalogue_active_hash)(struct store *st, char out[65]);
    fn_status (*catalogue_rows_each)(struct store *st, store_catalogue_fn fn, void *ctx);
    /* Every decision on a person in sc, in id order; a nonzero return of
     * fn stops the walk and is returned. */
    fn_status (*decisions_each)(struct store *st, const struct store_scope *sc,
                                store_decision_fn fn, void *ctx);
    /* bulk import rows (policy_import.c checks, counts batches and audits):
     * import_stage_open: a stage for one import on st, invisible to
     * everyone; FN_BUSY (errmsg set) while another import of the database
     * holds one. import_stage_person: stages p with its aliases and
     * documents; FN_CONFLICT, nothing of p staged, when its record_id is
     * stored (p->id = the stored person); the policy refuses one staged
     * already.
     * import_stage_prefetch (NULL: none): the record_ids the next
     * import_stage_person calls bring, to look them up at once.
     * import_stage_batch: a batch of the policy's size is staged: release
     * what staging holds on the database (may do nothing).
     * import_stage_publish: inside the transaction open on st, moves every
     * staged person into the database with consecutive ids from *first_id
     * in staging order; FN_CONFLICT (errmsg names it) for a record_id
     * stored meanwhile. import_stage_close: removes the stage and its
     * data; published: the publish committed. NULL is fine. */
    fn_status (*import_stage_open)(struct store *st, struct store_import_stage **out);
    fn_status (*import_stage_person)(struct store_import_stage *sg, struct model_person *p);
    fn_status (*import_stage_prefetch)(struct store_import_stage *sg, const char *const *record_ids,
                                       size_t n);
    fn_status (*import_stage_batch)(struct store_import_stage *sg);
    fn_status (*import_stage_publish)(struct store_import_stage *sg, int64_t *first_id);
    void (*import_stage_close)(struct store_import_stage *sg, int published);
    /* The retention prune's rows (policy_audit.c; chain.c picks the
     * checkpoint): inside the open transaction, sets audit_checkpoint to
     * (seq, hash, pruned_at) and deletes every audit_log row up to seq;
     * *removed = the rows deleted. */
    fn_status (*audit_rows_prune)(struct store *st, int64_t seq, const char *hash,
                                  const char *pruned_at, int64_t *removed);
    /* The rows of the audit trail; the chain over them is chain.c's.
     * audit_head / audit_checkpoint: the single (seq, hash) row of each,
     * FN_NOTFOUND when it is missing. audit_row_insert: stores a sealed row
     * and moves the head to it, inside the open transaction.
     * audit_rows_each: every row in seq order, each column as its text (or
     * NULL), in enum audit_column order; a nonzero return of fn stops (the
     * prune reads only the rows it removes) and is returned. */
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
    /* A consistent copy of the whole database into the new file dest_path
     * while others keep writing (*bytes = its size); NULL when the engine
     * has its own tools (PostgreSQL: pg_dump, base backups). */
    fn_status (*backup_to)(struct store *st, const char *dest_path, int64_t *bytes);
    /* Whole tables as rows, for `store copy` (policy_copy.c; the table list
     * is schema.h's store_schema_tables, names checked by store_sql_name_ok).
     * table_each: the rows of table ordered by its first column (every
     * table's key), all (limit 0) or the first limit, streamed (not held in
     * memory); a nonzero return of fn stops and is returned.
     * table_write_begin: inside the open transaction, deletes the rows of
     * table and makes it take rows verbatim, columns names[0..n-1]: no
     * trigger fires on it (fact_mask, re-assessment queue, the audit
     * tables' refusals; SQLite: triggers off on this connection,
     * PostgreSQL: DISABLE TRIGGER USER, undone before commit either way)
     * and foreign keys hold at the end (SQLite: deferred to commit;
     * PostgreSQL: checked at the end of the one COPY). table_write_row: one
     * row, values as table_each gives them. table_write_end: finishes (ok:
     * triggers back on; PostgreSQL restarts the table's identity after its
     * largest id, inside the transaction) or abandons the table (ok 0: the
     * caller rolls back, which undoes the rest); frees w. */
    fn_status (*table_each)(struct store *st, const char *table, int64_t limit,
                            store_table_row_fn fn, void *ctx);
    fn_status (*table_write_begin)(struct store *st, const char *table, size_t n,
                                   const char *const *names, struct store_table_writer **out);
    fn_status (*table_write_row)(struct store_table_writer *w, const char *const *values);
    fn_status (*table_write_end)(struct store_table_writer *w, int ok);
    /* 1 when st's connection to its database server is lost (the next call
     * outside a transaction reconnects); NULL for a file database. */
    int (*unavailable)(const struct store *st);
};

/* Policy-layer transactions over any backend: store_tx_open begins unless
 * the caller holds a transaction (*own says whether it began one);
 * store_tx_close commits what it began when rc is FN_OK, else rolls back,
 * and returns the result. */
FN_MUST_CHECK fn_status store_tx_open(struct store *st, int *own);
FN_MUST_CHECK fn_status store_tx_close(struct store *st, int own, fn_status rc);

/* Checks that the actor may act on personal data (login and purpose set). */
FN_MUST_CHECK fn_status store_check_actor(const struct store_actor *a);

/* ---- the PostgreSQL backend (pg*.c): store_open hands it postgresql://
 * and postgres:// URLs ---- */
extern const struct store_backend store_pg_backend;
FN_MUST_CHECK fn_status pg_open(const char *url, unsigned flags, struct store **out);

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
FN_MUST_CHECK fn_status sqlite_person_get(struct store *st, const struct store_scope *sc,
                                          int64_t id, struct model_person_file **out);
FN_MUST_CHECK fn_status sqlite_person_find(struct store *st, const struct store_scope *sc,
                                           const char *record_id, int64_t *id);
FN_MUST_CHECK fn_status sqlite_person_count(struct store *st, int64_t *n);
FN_MUST_CHECK fn_status sqlite_person_list(struct store *st, const struct store_scope *sc,
                                           const struct store_scope *of, int64_t after_id,
                                           size_t limit, struct store_person_summary *out,
                                           size_t *n);
FN_MUST_CHECK fn_status sqlite_person_each(struct store *st, const struct store_scope *sc,
                                           store_person_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_person_files_range(struct store *st, const struct store_scope *sc,
                                                  int64_t lo_id, int64_t hi_id,
                                                  store_person_file_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_person_row_get(struct store *st, int64_t id,
                                              struct model_person **out);
FN_MUST_CHECK fn_status sqlite_person_row_update(struct store *st, struct model_person *p);
FN_MUST_CHECK fn_status sqlite_person_authority(struct store *st, int64_t person_id,
                                                int64_t *authority_id);
FN_MUST_CHECK fn_status sqlite_org_region_each(struct store *st, store_org_region_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_max_person_id(struct store *st, int64_t *id);
FN_MUST_CHECK fn_status sqlite_fact_person(struct store *st, enum store_fact_kind kind, int64_t id,
                                           int of_row, int64_t *person_id);
FN_MUST_CHECK fn_status sqlite_fact_write(struct store *st, enum store_fact_kind kind,
                                          const void *fact, int64_t owner_id, int64_t update_id,
                                          int64_t *row_id);
FN_MUST_CHECK fn_status sqlite_fact_delete_row(struct store *st, enum store_fact_kind kind,
                                               int64_t id);
FN_MUST_CHECK fn_status sqlite_fact_stamp(struct store *st, enum store_fact_kind kind, int64_t id,
                                          const struct store_fact_stamp *m);
FN_MUST_CHECK fn_status sqlite_fact_retire(struct store *st, enum store_fact_kind kind, int64_t id,
                                           int64_t superseded_by, const struct store_fact_stamp *m);
FN_MUST_CHECK fn_status sqlite_fact_history(struct store *st, enum store_fact_kind kind,
                                            int64_t person_id, store_table_row_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_case_get(struct store *st, const struct store_scope *sc,
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
FN_MUST_CHECK fn_status sqlite_eval_each(struct store *st, const struct store_scope *sc,
                                         const char *from_at, const char *to_at, int64_t region_id,
                                         store_eval_decision_fn dfn, store_eval_person_fn pfn,
                                         void *ctx);
FN_MUST_CHECK fn_status sqlite_decisions_each(struct store *st, const struct store_scope *sc,
                                              store_decision_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_assessment_hash(struct store *st, int64_t assessment_id,
                                               char out[65]);
FN_MUST_CHECK fn_status sqlite_catalogue_row_insert(struct store *st, struct store_catalogue *c);
FN_MUST_CHECK fn_status sqlite_catalogue_approval_insert(struct store *st, int64_t catalogue_id,
                                                         const char *login, int64_t user_id,
                                                         const char *at);
FN_MUST_CHECK fn_status sqlite_catalogue_row_get(struct store *st, const char *sha256,
                                                 int with_text, struct store_catalogue *out);
FN_MUST_CHECK fn_status sqlite_catalogue_active_hash(struct store *st, char out[65]);
FN_MUST_CHECK fn_status sqlite_catalogue_rows_each(struct store *st, store_catalogue_fn fn,
                                                   void *ctx);
FN_MUST_CHECK fn_status sqlite_import_stage_open(struct store *st, struct store_import_stage **out);
FN_MUST_CHECK fn_status sqlite_import_stage_person(struct store_import_stage *sg,
                                                   struct model_person *p);
FN_MUST_CHECK fn_status sqlite_import_stage_batch(struct store_import_stage *sg);
FN_MUST_CHECK fn_status sqlite_import_stage_publish(struct store_import_stage *sg,
                                                    int64_t *first_id);
void sqlite_import_stage_close(struct store_import_stage *sg, int published);
FN_MUST_CHECK fn_status sqlite_audit_rows_since(struct store *st, const char *since,
                                                audit_rows_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_audit_rows_prune(struct store *st, int64_t seq, const char *hash,
                                                const char *pruned_at, int64_t *removed);
FN_MUST_CHECK fn_status sqlite_audit_head(struct store *st, int64_t *seq, char hash[65]);
FN_MUST_CHECK fn_status sqlite_audit_checkpoint(struct store *st, int64_t *seq, char hash[65]);
FN_MUST_CHECK fn_status sqlite_audit_row_insert(struct store *st, const struct audit_new_row *r);
FN_MUST_CHECK fn_status sqlite_audit_rows_each(struct store *st, audit_rows_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_audit_spool_id_known(struct store *st, const char *spool_id,
                                                    int *known);
int sqlite_in_transaction(const struct store *st);
FN_MUST_CHECK fn_status sqlite_backup_to(struct store *st, const char *dest_path, int64_t *bytes);
FN_MUST_CHECK fn_status sqlite_table_each(struct store *st, const char *table, int64_t limit,
                                          store_table_row_fn fn, void *ctx);
FN_MUST_CHECK fn_status sqlite_table_write_begin(struct store *st, const char *table, size_t n,
                                                 const char *const *names,
                                                 struct store_table_writer **out);
FN_MUST_CHECK fn_status sqlite_table_write_row(struct store_table_writer *w,
                                               const char *const *values);
FN_MUST_CHECK fn_status sqlite_table_write_end(struct store_table_writer *w, int ok);

#endif
