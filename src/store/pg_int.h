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
    PG_STMT_FACT
};

enum pg_fact_op {
    PG_FACT_INSERT,
    PG_FACT_UPDATE,
    PG_FACT_DELETE,
    PG_FACT_PERSON_OF_ROW,
    PG_FACT_PERSON_OF_OWNER,
    PG_FACT_OPS
};
#define PG_STMT_COUNT (PG_STMT_FACT + STORE_FACT_COUNT * PG_FACT_OPS)

/* At most this many parameters per statement. */
#define PG_MAX_PARAMS 24

struct pg_store {
    const struct store_backend *ops; /* first: every backend's handle starts so */
    PGconn *conn;
    char errmsg[256];
    char password[128]; /* from the URL: cut out of every message */
    int in_tx;          /* begin .. commit/rollback open */
    int in_read;        /* read_begin .. read_end open */
    unsigned char prepared[PG_STMT_COUNT];
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
/* Runs SQL without parameters (transaction control, migration texts). */
FN_MUST_CHECK fn_status pg_exec(struct pg_store *ps, const char *sql);

/* Cell helpers: the integer in a cell (NULL = 0); a fresh copy of a text
 * cell (NULL -> NULL, caller frees). */
int64_t pg_int(const PGresult *r, int row, int col);
FN_MUST_CHECK fn_status pg_text(const PGresult *r, int row, int col, char **out);

/* Prepares statement id on this connection unless it is (named "s<id>"). */
FN_MUST_CHECK fn_status pg_prepare(struct pg_store *ps, int id, const char *sql, int nparams);
/* Records the message of a failed result (res may be NULL) and maps its
 * SQLSTATE onto a status. */
fn_status pg_result_error(struct pg_store *ps, const PGresult *res);
/* Records msg (redacted) on ps and returns FN_DB. */
fn_status pg_fail(struct pg_store *ps, const char *msg);

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
fn_status pg_assessment_row_insert(struct store *st, struct store_assessment *as);
fn_status pg_assessment_person(struct store *st, int64_t assessment_id, int64_t *person_id);
fn_status pg_decision_row_insert(struct store *st, const char *login, struct store_decision *d);
fn_status pg_assessment_latest_digest(struct store *st, int64_t person_id, char out[65]);
fn_status pg_assessment_due_take(struct store *st, int64_t *ids, size_t max, size_t *n);

fn_status pg_audit_head(struct store *st, int64_t *seq, char hash[65]);
fn_status pg_audit_checkpoint(struct store *st, int64_t *seq, char hash[65]);
fn_status pg_audit_row_insert(struct store *st, const struct audit_new_row *r);
fn_status pg_audit_rows_each(struct store *st, audit_rows_fn fn, void *ctx);
fn_status pg_audit_rows_since(struct store *st, const char *since, audit_rows_fn fn, void *ctx);
fn_status pg_audit_spool_id_known(struct store *st, const char *spool_id, int *known);
fn_status pg_audit_flush(struct store *st);

#endif
