/*
 * pg_int.h – internals shared by the PostgreSQL backend's source files
 * (pg.c: connection, errors, transactions, migration; pg_account.c:
 * reference data, accounts, tokens; pg_rows.c: persons, facts,
 * assessments; pg_audit.c: the audit rows). Not part of the store's
 * contract (store.h, backend.h).
 *
 * One handle is one libpq connection used by one thread at a time.
 * Statements are prepared once per connection (PQprepare, named by their
 * id) and run with parameters passed apart from the SQL text, each as text
 * with its length; every result status is checked.
 */
#ifndef FN_STORE_PG_INT_H
#define FN_STORE_PG_INT_H

#include <libpq-fe.h>

#include "core/pdate.h"

#include "store/backend.h"

/* The prepared statements of a connection. The fact statements follow
 * PG_STMT_FACT: PG_FACT_OPS per fact kind (enum pg_fact_op). */
enum pg_stmt_id {
    PG_STMT_SCHEMA_TABLE,
    PG_STMT_SCHEMA_VERSION,
    PG_STMT_REGION_INSERT,
    PG_STMT_ORG_INSERT,
    PG_STMT_ORG_FIND,
    PG_STMT_ORG_GET,
    PG_STMT_ORG_EACH,
    PG_STMT_USER_INSERT,
    PG_STMT_USER_FIND,
    PG_STMT_USER_GET,
    PG_STMT_USER_HASH,
    PG_STMT_USER_SET_PASSWORD,
    PG_STMT_USER_SET_ACTIVE,
    PG_STMT_USER_EACH,
    PG_STMT_TOKEN_INSERT,
    PG_STMT_TOKEN_FIND,
    PG_STMT_TOKEN_REVOKE,
    PG_STMT_TOKEN_EACH,
    PG_STMT_PERSON_INSERT,
    PG_STMT_ALIAS_INSERT,
    PG_STMT_DOCUMENT_INSERT,
    PG_STMT_PERSON_DELETE,
    PG_STMT_PERSON_COUNT,
    PG_STMT_MAX_PERSON_ID,
    PG_STMT_ASSESSMENT_INSERT,
    PG_STMT_ASSESSMENT_PERSON,
    PG_STMT_DECISION_INSERT,
    PG_STMT_LATEST_DIGEST,
    PG_STMT_DUE_TAKE,
    PG_STMT_AUDIT_HEAD,
    PG_STMT_AUDIT_HEAD_LOCK,
    PG_STMT_AUDIT_CHECKPOINT,
    PG_STMT_AUDIT_INSERT,
    PG_STMT_AUDIT_HEAD_UPDATE,
    PG_STMT_AUDIT_ROWS,
    PG_STMT_AUDIT_ROWS_SINCE,
    PG_STMT_AUDIT_SPOOL_KNOWN,
    /* pg_read.c */
    PG_STMT_PERSON_GET,
    PG_STMT_ALIAS_GET,
    PG_STMT_DOCUMENT_GET,
    PG_STMT_RESIDENCE_GET,
    PG_STMT_PROCEEDING_GET,
    PG_STMT_CUSTODY_GET,
    PG_STMT_OBSTACLE_GET,
    PG_STMT_FINDING_GET,
    PG_STMT_CASE_GET,
    PG_STMT_RANGE_PERSONS,
    PG_STMT_RANGE_DOCUMENT,
    PG_STMT_RANGE_RESIDENCE,
    PG_STMT_RANGE_PROCEEDING,
    PG_STMT_RANGE_CUSTODY,
    PG_STMT_RANGE_OBSTACLE,
    PG_STMT_RANGE_FINDING,
    PG_STMT_RANGE_CASE,
    PG_STMT_PERSON_FIND,
    PG_STMT_PERSON_AUTHORITY,
    PG_STMT_ORG_REGION_EACH,
    PG_STMT_PERSON_LIST,
    PG_STMT_PERSON_EACH,
    PG_STMT_PERSON_UPDATE,
    PG_STMT_PERSON_VERSION,
    PG_STMT_ALIAS_DELETE,
    PG_STMT_CASE_ROW,
    PG_STMT_CASE_CONFERENCES,
    PG_STMT_CASE_TASKS,
    PG_STMT_CASE_DOCUMENTS,
    PG_STMT_DECISIONS_EACH,
    PG_STMT_EVAL_DECISIONS,
    PG_STMT_EVAL_POPULATION,
    /* pg_session.c */
    PG_STMT_SESSION_INSERT,
    PG_STMT_SESSION_FIND,
    PG_STMT_SESSION_TOUCH,
    PG_STMT_SESSION_END,
    PG_STMT_SESSION_END_USER,
    PG_STMT_SESSION_PRUNE,
    /* pg_audit.c: the prune */
    PG_STMT_CHECKPOINT_SET,
    PG_STMT_AUDIT_PRUNE,
    /* pg_import.c */
    PG_STMT_IMPORT_FIND,
    /* pg_catalogue.c */
    PG_STMT_CATALOGUE_INSERT,
    PG_STMT_CATALOGUE_APPROVE,
    PG_STMT_CATALOGUE_BY_HASH,
    PG_STMT_CATALOGUE_IN_FORCE,
    PG_STMT_CATALOGUE_ALL,
    PG_STMT_CATALOGUE_HASH,
    PG_STMT_ASSESSMENT_HASH,
    PG_STMT_FACT
};

enum pg_fact_op {
    PG_FACT_INSERT,
    PG_FACT_UPDATE,
    PG_FACT_DELETE,
    PG_FACT_PERSON_OF_ROW,
    PG_FACT_PERSON_OF_OWNER,
    PG_FACT_STAMP,
    PG_FACT_RETIRE,
    PG_FACT_HISTORY,
    PG_FACT_OPS
};
#define PG_STMT_COUNT (PG_STMT_FACT + STORE_FACT_COUNT * PG_FACT_OPS)

/* At most this many parameters per statement. */
#define PG_MAX_PARAMS 24

struct pg_store {
    struct store_head head; /* first: ops, scope cache, spool, in_tx, in_read, errmsg */
    PGconn *conn;
    char password[128];                    /* from the URL: cut out of every message */
    char shown[256];                       /* the URL without its password, for messages */
    int64_t retry_at;                      /* monotonic ms before which no reconnect is tried */
    unsigned char prepared[PG_STMT_COUNT]; /* per session: cleared by a reconnect */
};

static inline struct pg_store *pg_of(struct store *st)
{
    return (struct pg_store *)(void *)st;
}

/* Parameters of one statement as text (NULL = SQL NULL). */
struct pg_params {
    int n;
    const char *v[PG_MAX_PARAMS];
    char num[PG_MAX_PARAMS][24]; /* storage for numbers and dates */
};
void pg_param_text(struct pg_params *p, const char *v);   /* NULL or "" -> NULL */
void pg_param_always(struct pg_params *p, const char *v); /* "" stays "" */
void pg_param_int(struct pg_params *p, int64_t v);
void pg_param_id(struct pg_params *p, int64_t id); /* 0 -> NULL */
void pg_param_date(struct pg_params *p, const struct fn_pdate *d);

/* Runs statement id (prepared from sql on first use on this connection)
 * with p. *res (caller PQclear-s) holds the result when FN_OK; on failure
 * the message is recorded and *res is NULL. */
FN_MUST_CHECK fn_status pg_run(struct pg_store *ps, int id, const char *sql,
                               const struct pg_params *p, PGresult **res);
/* The same for a statement that returns no rows we need; *changed = rows
 * affected (may be NULL). */
FN_MUST_CHECK fn_status pg_command(struct pg_store *ps, int id, const char *sql,
                                   const struct pg_params *p, int64_t *changed);
/* The one int64 of a one-row, one-column result of statement id;
 * FN_NOTFOUND when no row. */
FN_MUST_CHECK fn_status pg_one_int(struct pg_store *ps, int id, const char *sql,
                                   const struct pg_params *p, int64_t *out);
/* The one text cell (a hex hash or digest, at most 64 characters) of
 * statement id into out; FN_NOTFOUND when no row (pg_catalogue.c). */
FN_MUST_CHECK fn_status pg_one_hash(struct pg_store *ps, int id, const char *sql,
                                    const struct pg_params *p, char out[65]);
/* Runs SQL without parameters (transaction control, migration texts). */
FN_MUST_CHECK fn_status pg_exec(struct pg_store *ps, const char *sql);

/* COPY text format: appends one field (NULL: \N, tab-separated after the
 * first) to b. pg_copy_end ends a COPY FROM STDIN on ps (ok 0: abandons
 * it) and reads its results. */
struct fn_buf;
FN_MUST_CHECK fn_status pg_copy_field(struct fn_buf *b, int first, const char *v);
FN_MUST_CHECK fn_status pg_copy_end(struct pg_store *ps, int ok);

/* Reads the results of the query just sent on ps row by row (single-row
 * mode: nothing held in memory), calling fn with each one-row result. A
 * nonzero return of fn stops the calls (the rest is read and dropped) and
 * is returned. */
typedef fn_status (*pg_row_fn)(void *ctx, const PGresult *r);
FN_MUST_CHECK fn_status pg_stream_results(struct pg_store *ps, pg_row_fn fn, void *ctx);
/* Sends statement id (prepared from sql on first use) with p and streams
 * its rows to fn as pg_stream_results does. */
FN_MUST_CHECK fn_status pg_stream(struct pg_store *ps, int id, const char *sql,
                                  const struct pg_params *p, pg_row_fn fn, void *ctx);

/* Cell helpers: the integer in a cell (NULL = 0); a fresh copy of a text
 * cell (NULL -> NULL, caller frees). */
int64_t pg_int(const PGresult *r, int row, int col);
FN_MUST_CHECK fn_status pg_text(const PGresult *r, int row, int col, char **out);

/* Prepares statement id on this connection unless it is (named "s<id>"). */
FN_MUST_CHECK fn_status pg_prepare(struct pg_store *ps, int id, const char *sql, int nparams);
/* Records the message of a failed result (res may be NULL) and maps its
 * SQLSTATE onto a status; a lost connection is FN_UNAVAILABLE with a
 * German message naming the server. */
fn_status pg_result_error(struct pg_store *ps, const PGresult *res);
/* Records msg (redacted) on ps and returns FN_DB. */
fn_status pg_fail(struct pg_store *ps, const char *msg);

/* The SQL condition "the authority column col is in scope sc" over three
 * parameters $p1 (all), $p2 (org), $p3 (region), filled by
 * pg_param_scope: STORE_SCOPE_SQL's meaning (store_int.h). */
#define PG_SCOPE_SQL(col, p1, p2, p3)                                                              \
    "($" p1 " = 1 OR " col " = $" p2 " OR " col                                                    \
    " IN (SELECT id FROM organisation WHERE region_id = $" p3 "))"
void pg_param_scope(struct pg_params *p, const struct store_scope *sc);

/* A person's columns record_id … updated_at ($1..$20, the insert's order)
 * into v; nat receives the nationalities joined with ';' and must outlive
 * the statement. */
struct fn_buf;
FN_MUST_CHECK fn_status pg_person_params(struct pg_params *v, const struct model_person *p,
                                         struct fn_buf *nat);
/* Inserts p's aliases and documents under p->id. */
FN_MUST_CHECK fn_status pg_person_children_insert(struct pg_store *ps,
                                                  const struct model_person *p);

/* ---- entries (backend.h) ---- */
fn_status pg_region_insert(struct store *st, struct model_region *r);
fn_status pg_org_insert(struct store *st, struct model_org *o);
fn_status pg_org_find(struct store *st, const char *code, int64_t *id);
fn_status pg_org_get(struct store *st, int64_t id, struct model_org *out);
fn_status pg_org_each(struct store *st, store_org_fn fn, void *ctx);
fn_status pg_user_insert(struct store *st, struct model_user *u, const char *password_hash);
fn_status pg_user_find(struct store *st, const char *login, struct model_user *out);
fn_status pg_user_get(struct store *st, int64_t id, struct model_user *out);
fn_status pg_user_password_hash(struct store *st, int64_t user_id, char **hash);
fn_status pg_user_set_password(struct store *st, int64_t user_id, const char *password_hash);
fn_status pg_user_set_active(struct store *st, int64_t user_id, int active);
fn_status pg_user_each(struct store *st, store_user_fn fn, void *ctx);
fn_status pg_token_insert(struct store *st, struct store_api_token *t);
fn_status pg_token_find(struct store *st, const char *digest, struct store_api_token *out);
fn_status pg_token_revoke(struct store *st, int64_t id, const char *at);
fn_status pg_token_each(struct store *st, store_token_fn fn, void *ctx);

fn_status pg_person_row_insert(struct store *st, struct model_person *p);
fn_status pg_person_row_delete(struct store *st, int64_t id);
fn_status pg_person_count(struct store *st, int64_t *n);
fn_status pg_max_person_id(struct store *st, int64_t *id);
fn_status pg_fact_person(struct store *st, enum store_fact_kind kind, int64_t id, int of_row,
                         int64_t *person_id);
fn_status pg_fact_write(struct store *st, enum store_fact_kind kind, const void *fact,
                        int64_t owner_id, int64_t update_id, int64_t *row_id);
fn_status pg_fact_delete_row(struct store *st, enum store_fact_kind kind, int64_t id);
fn_status pg_fact_stamp(struct store *st, enum store_fact_kind kind, int64_t id,
                        const struct store_fact_stamp *m);
fn_status pg_fact_retire(struct store *st, enum store_fact_kind kind, int64_t id,
                         int64_t superseded_by, const struct store_fact_stamp *m);
fn_status pg_fact_history(struct store *st, enum store_fact_kind kind, int64_t person_id,
                          store_table_row_fn fn, void *ctx);
/* Streams the rows of the query just sent on ps to fn, every cell as text
 * (pg_table.c; single-row mode). */
FN_MUST_CHECK fn_status pg_table_rows(struct pg_store *ps, store_table_row_fn fn, void *ctx);
fn_status pg_assessment_row_insert(struct store *st, struct store_assessment *as);
fn_status pg_assessment_person(struct store *st, int64_t assessment_id, int64_t *person_id);
fn_status pg_decision_row_insert(struct store *st, const char *login, struct store_decision *d);
fn_status pg_assessment_latest_digest(struct store *st, int64_t person_id, char out[65]);
fn_status pg_assessment_due_take(struct store *st, int64_t *ids, size_t max, size_t *n);

fn_status pg_person_get(struct store *st, const struct store_scope *sc, int64_t id,
                        struct model_person_file **out);
fn_status pg_person_find(struct store *st, const struct store_scope *sc, const char *record_id,
                         int64_t *id);
fn_status pg_person_list(struct store *st, const struct store_scope *sc,
                         const struct store_scope *of, int64_t after_id, size_t limit,
                         struct store_person_summary *out, size_t *n);
fn_status pg_person_each(struct store *st, const struct store_scope *sc, store_person_fn fn,
                         void *ctx);
fn_status pg_person_files_range(struct store *st, const struct store_scope *sc, int64_t lo_id,
                                int64_t hi_id, store_person_file_fn fn, void *ctx);
fn_status pg_person_row_get(struct store *st, int64_t id, struct model_person **out);
fn_status pg_person_row_update(struct store *st, struct model_person *p);
fn_status pg_person_authority(struct store *st, int64_t person_id, int64_t *authority_id);
fn_status pg_org_region_each(struct store *st, store_org_region_fn fn, void *ctx);
fn_status pg_case_get(struct store *st, const struct store_scope *sc, int64_t case_id,
                      struct model_case_file **out);
fn_status pg_eval_each(struct store *st, const struct store_scope *sc, const char *from_at,
                       const char *to_at, int64_t region_id, store_eval_decision_fn dfn,
                       store_eval_person_fn pfn, void *ctx);
fn_status pg_decisions_each(struct store *st, const struct store_scope *sc, store_decision_fn fn,
                            void *ctx);

fn_status pg_session_insert(struct store *st, struct store_session *s);
fn_status pg_session_find(struct store *st, const char *digest, struct store_session_row *out);
fn_status pg_session_touch(struct store *st, int64_t id, int64_t now);
fn_status pg_session_end(struct store *st, const char *digest, int64_t now);
fn_status pg_session_end_user(struct store *st, int64_t user_id, int64_t now, int64_t *ended);
fn_status pg_session_prune(struct store *st, int64_t now, int64_t *removed);

fn_status pg_import_stage_open(struct store *st, struct store_import_stage **out);
fn_status pg_import_stage_person(struct store_import_stage *sg, struct model_person *p);
fn_status pg_import_stage_prefetch(struct store_import_stage *sg, const char *const *record_ids,
                                   size_t n);
fn_status pg_import_stage_batch(struct store_import_stage *sg);
fn_status pg_import_stage_publish(struct store_import_stage *sg, int64_t *first_id);
void pg_import_stage_close(struct store_import_stage *sg, int published);

fn_status pg_audit_rows_prune(struct store *st, int64_t seq, const char *hash,
                              const char *pruned_at, int64_t *removed);
fn_status pg_audit_head(struct store *st, int64_t *seq, char hash[65]);
fn_status pg_audit_checkpoint(struct store *st, int64_t *seq, char hash[65]);
fn_status pg_audit_row_insert(struct store *st, const struct audit_new_row *r);
fn_status pg_audit_rows_each(struct store *st, audit_rows_fn fn, void *ctx);
fn_status pg_audit_rows_since(struct store *st, const char *since, audit_rows_fn fn, void *ctx);
fn_status pg_audit_spool_id_known(struct store *st, const char *spool_id, int *known);

fn_status pg_assessment_hash(struct store *st, int64_t assessment_id, char out[65]);
fn_status pg_catalogue_row_insert(struct store *st, struct store_catalogue *c);
fn_status pg_catalogue_approval_insert(struct store *st, int64_t catalogue_id, const char *login,
                                       int64_t user_id, const char *at);
fn_status pg_catalogue_row_get(struct store *st, const char *sha256, int with_text,
                               struct store_catalogue *out);
fn_status pg_catalogue_active_hash(struct store *st, char out[65]);
fn_status pg_catalogue_rows_each(struct store *st, store_catalogue_fn fn, void *ctx);

fn_status pg_table_each(struct store *st, const char *table, int64_t limit, store_table_row_fn fn,
                        void *ctx);
fn_status pg_table_write_begin(struct store *st, const char *table, size_t n,
                               const char *const *names, struct store_table_writer **out);
fn_status pg_table_write_row(struct store_table_writer *w, const char *const *values);
fn_status pg_table_write_end(struct store_table_writer *w, int ok);

#endif
