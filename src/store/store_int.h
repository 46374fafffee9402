/*
 * store_int.h – internals shared by the SQLite store's source files.
 * Not part of the store's contract (see store.h).
 */
#ifndef FN_STORE_STORE_INT_H
#define FN_STORE_STORE_INT_H

#include <sqlite3.h>

#include "core/pdate.h"
#include "store/backend.h"
#include "store/chain.h"
#include "store/scope.h"
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

struct audit_queue;
struct scope_cache;

struct store {
    const struct store_backend *ops; /* first: every backend's handle starts so */
    sqlite3 *db;
    char *path;
    char errmsg[256];
    int in_tx;                       /* a transaction is open on this handle */
    int in_read;                     /* a read snapshot is open (read_begin) */
    sqlite3_stmt *stmts[STMT_COUNT]; /* prepared lazily, reset before use */
    struct audit_queue *queue;       /* process-wide audit spool for this file */
    struct scope_cache *scope_cache; /* organisation -> region (scope.c) */
};

/* Records the engine's message for st and returns FN_DB (or FN_CONFLICT for
 * a constraint violation, FN_BUSY for a lock). */
fn_status store_db_error(struct store *st, int sqlite_rc);
/* Runs SQL without results. */
FN_MUST_CHECK fn_status store_exec(struct store *st, const char *sql);
/* Returns the cached, reset statement id. */
FN_MUST_CHECK fn_status store_stmt(struct store *st, enum store_stmt_id id, sqlite3_stmt **out);
/* Prepares an uncached statement (caller finalizes). */
FN_MUST_CHECK fn_status store_prepare(struct store *st, const char *sql, sqlite3_stmt **out);

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
/* Column helpers: copy into fresh strings (NULL column -> NULL). */
FN_MUST_CHECK fn_status store_col_text(sqlite3_stmt *s, int col, char **out);
void store_col_date(sqlite3_stmt *s, int col, struct fn_pdate *out);

/* Appends s to b as the inside of a JSON string. */
struct fn_buf;
FN_MUST_CHECK fn_status store_json_escape(struct fn_buf *b, const char *s);

/* 1 when d is a token digest as stored: 64 lower-case hex digits. */
int store_digest_ok(const char *d);

/* Checks that the actor may act on personal data (login and purpose set). */
FN_MUST_CHECK fn_status store_check_actor(const struct store_actor *a);

/* How long a statement waits for another connection's lock before it
 * fails with FN_BUSY (the server answers 503 with Retry-After then). */
#define STORE_BUSY_TIMEOUT_MS 10000

/* Removes the staging file "<db>-import" that a killed import left behind,
 * unless an import holds it (import.c). */
void store_import_stage_cleanup(const char *db_path);

/* store_open flag for the spool's own connection: no spool attached. */
#define STORE_OPEN_NO_SPOOL 0x100u

/* audit_insert_row, audit_append_in_tx, audit_now: chain.h */
/* Appends an audit row for a read: written to this process's spool file
 * before returning (spool.c), chained by the drainer. */
FN_MUST_CHECK fn_status audit_append_read(struct store *st, const struct audit_entry *e);
/* Attaches st to the process-wide queue of its file; detaches on close. */
FN_MUST_CHECK fn_status audit_queue_attach(struct store *st);
void audit_queue_detach(struct store *st);

/* Tests only: makes the audit trail stamp rows with iso instead of the
 * clock (NULL or "" restores the clock). Not thread-safe. */
void audit_test_clock(const char *iso);

/* Tests only: stops (1) or resumes (0) the background chaining of spools. */
void audit_test_pause_drainer(int paused);

/* Migration SQL for version v (1-based); NULL past the last. */
const char *store_schema_sql(int version);

#endif
