/*
 * store_int.h – internals shared by the SQLite store's source files.
 * Not part of the store's contract (see store.h).
 */
#ifndef FN_STORE_STORE_INT_H
#define FN_STORE_STORE_INT_H

#include <sqlite3.h>
#include <stddef.h>

#include "core/pdate.h"
#include "store/backend.h"
#include "store/chain.h"
#include "store/scope.h"
#include "store/spool.h"
#include "store/store.h"

enum store_stmt_id {
    STMT_PERSON_INSERT,
    STMT_ALIAS_INSERT,
    STMT_DOCUMENT_INSERT,
    STMT_PERSON_GET,
    STMT_ALIAS_GET,
    STMT_DOCUMENT_GET,
    STMT_RESIDENCE_GET,
    STMT_PROCEEDING_GET,
    STMT_CUSTODY_GET,
    STMT_OBSTACLE_GET,
    STMT_FINDING_GET,
    STMT_CASE_GET,
    STMT_PERSON_FIND,
    STMT_AUDIT_HEAD,
    STMT_AUDIT_INSERT,
    STMT_AUDIT_HEAD_UPDATE,
    STMT_SESSION_FIND, /* session.c: every authenticated request */
    STMT_SESSION_TOUCH,
    STMT_COUNT
};

struct scope_cache;

struct store {
    /* first: struct store_head (backend.h), field for field, so that the
     * SQLite files keep writing st->ops, st->in_tx, st->errmsg */
    const struct store_backend *ops;
    struct scope_cache *scope_cache; /* organisation -> region (scope.c) */
    struct audit_queue *queue;
    int in_tx;
    int in_read;
    char errmsg[STORE_ERRMSG_MAX];
    sqlite3 *db;
    char *path;
    sqlite3_stmt *stmts[STMT_COUNT]; /* prepared lazily, reset before use */
};

#define STORE_HEAD_SAME(f) (offsetof(struct store, f) == offsetof(struct store_head, f))
_Static_assert(STORE_HEAD_SAME(ops) && STORE_HEAD_SAME(scope_cache) && STORE_HEAD_SAME(queue) &&
                   STORE_HEAD_SAME(in_tx) && STORE_HEAD_SAME(in_read) && STORE_HEAD_SAME(errmsg),
               "struct store must begin with struct store_head");

/* Records the engine's message for st and returns FN_DB (or FN_CONFLICT for
 * a constraint violation, FN_BUSY for a lock). */
fn_status store_db_error(struct store *st, int sqlite_rc);
/* Runs SQL without results. */
FN_MUST_CHECK fn_status store_exec(struct store *st, const char *sql);
/* Returns the cached, reset statement id. */
FN_MUST_CHECK fn_status store_stmt(struct store *st, enum store_stmt_id id, sqlite3_stmt **out);
/* Prepares an uncached statement (caller finalizes). */
FN_MUST_CHECK fn_status store_prepare(struct store *st, const char *sql, sqlite3_stmt **out);
/* Runs a one-column integer query with ?1 = key into *out; FN_NOTFOUND
 * when there is no row. */
FN_MUST_CHECK fn_status store_lookup_id(struct store *st, const char *sql, int64_t key,
                                        int64_t *out);

/* Runs a one-column text query (?1 = key unless key < 0) into out (a hex
 * hash or digest, at most 64 characters); FN_NOTFOUND when there is no
 * row (catalogue.c). */
FN_MUST_CHECK fn_status store_lookup_hash(struct store *st, const char *sql, int64_t key,
                                          char out[65]);

/* Binding helpers: empty or NULL strings and unknown dates bind as NULL. */
int store_bind_text(sqlite3_stmt *s, int idx, const char *v);
int store_bind_date(sqlite3_stmt *s, int idx, const struct fn_pdate *d);
int store_bind_id(sqlite3_stmt *s, int idx, int64_t id); /* 0 binds NULL */
struct fn_buf;
/* Binds a person's columns 1-20 (record_id … updated_at) in the order of
 * the person insert, for the insert and the import's staging alike; nat
 * receives the nationalities joined with ';' and must outlive the step. */
FN_MUST_CHECK fn_status store_bind_person(sqlite3_stmt *s, const struct model_person *p,
                                          struct fn_buf *nat);
/* Steps s to its end, calling fn with each row's columns as text (table.c);
 * a nonzero return of fn stops and is returned. The caller finalizes s. */
FN_MUST_CHECK fn_status sqlite_stmt_rows(struct store *st, sqlite3_stmt *s, store_table_row_fn fn,
                                         void *ctx);
/* Column helpers: copy into fresh strings (NULL column -> NULL). */
FN_MUST_CHECK fn_status store_col_text(sqlite3_stmt *s, int col, char **out);
void store_col_date(sqlite3_stmt *s, int col, struct fn_pdate *out);

/* Appends s to b as the inside of a JSON string. */
struct fn_buf;
FN_MUST_CHECK fn_status store_json_escape(struct fn_buf *b, const char *s);

/* The SQL condition "the person's authority column col is in scope", with
 * three parameters bound by store_scope_bind from index first:
 * ?first = all, ?first+1 = org, ?first+2 = region. */
#define STORE_SCOPE_SQL(col, p1, p2, p3)                                                           \
    "(?" p1 " = 1 OR " col " = ?" p2 " OR " col                                                    \
    " IN (SELECT id FROM organisation WHERE region_id = ?" p3 "))"
void store_scope_bind(sqlite3_stmt *s, int first, const struct store_scope *sc);
/* 1 when d is a token digest as stored: 64 lower-case hex digits. */
int store_digest_ok(const char *d);

/* Removes the staging file "<db>-import" that a killed import left behind,
 * unless an import holds it (import.c). */
void store_import_stage_cleanup(const char *db_path);

/* audit_insert_row, audit_append_in_tx, audit_now: chain.h; the read
 * spool (audit_append_read, STORE_OPEN_NO_SPOOL): spool.h */

/* Tests only: makes the audit trail stamp rows with iso instead of the
 * clock (NULL or "" restores the clock). Not thread-safe. */
void audit_test_clock(const char *iso);

/* SQLite's migration SQL for version v (1-based; schema.h); NULL past the
 * last or without memory. */
const char *store_schema_sql(int version);

#endif
