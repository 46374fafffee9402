/*
 * store.h – the one storage interface of fallnetz.
 *
 * Backends: SQLite (embedded default) and PostgreSQL (libpq, for several
 * servers on one database; postgresql:// URLs, docs/store.md); all SQL
 * lives in src/store/.
 *
 * Thread model: a struct store is one SQLite connection (WAL,
 * synchronous=NORMAL, busy timeout 10 s, statements cached per handle) and is
 * used by one thread at a time. A server opens one per worker thread on the
 * same database file; handles of one process share one audit spool per file.
 *
 * Audit (§ 76 BDSG): every function that reads or writes personal data takes
 * a struct store_actor (who, which organisation, why, for whom) and appends a
 * row to the hash-chained audit log. Writes: in the same transaction as the
 * change. Reads: the row is appended to this process's spool file with one
 * write(2) before the call returns the data (a failed write fails the read);
 * a background thread chains spooled rows into the log every 200 ms, the last
 * handle's store_close chains the rest, and the next process to open the
 * database chains spools left by a crashed one (src/store/spool.c). This
 * keeps readers off the write lock: measured 22k/33k/38k audited
 * store_person_get/s with 1/2/4 threads (docs/benchmarks.md). A call without
 * a purpose is refused (FN_DENIED).
 *
 * Return values: FN_OK, FN_NOTFOUND (no such record), FN_CONFLICT (duplicate
 * key), FN_INVALID (bad argument), FN_DENIED (no purpose), FN_NOMEM, FN_DB
 * (engine error; store_errmsg says which), FN_CORRUPT, FN_UNSUPPORTED.
 */
#ifndef FN_STORE_STORE_H
#define FN_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "model/model.h"

struct store;

/* Who acts, and why. All strings are borrowed for the duration of a call. */
struct store_actor {
    int64_t user_id;       /* the acting account; 0 for system actors */
    const char *login;     /* required */
    int64_t org_id;        /* the acting account's organisation; 0 = none */
    unsigned roles;        /* the account's roles (auth/role.h bits) */
    int system;            /* 1: a job of the system itself (import, demo, re-assessment):
                            * not scoped by need-to-know; never set from a request */
    const char *purpose;   /* required for personal data: the stated reason */
    const char *recipient; /* for disclosures: who receives the data; may be NULL */
};

#define STORE_SCHEMA_VERSION 13

#define STORE_OPEN_CREATE   0x1u /* create the file if missing */
#define STORE_OPEN_READONLY 0x2u

/* Opens the database at path: a SQLite file, or a PostgreSQL server for a
 * "postgresql://" or "postgres://" URL (libpq's URL forms; the database
 * must exist, STORE_OPEN_CREATE does not create it). Does not migrate: call
 * store_migrate. The caller closes with store_close. */
FN_MUST_CHECK fn_status store_open(const char *path, unsigned flags, struct store **out);
/* 1 when path names a PostgreSQL server rather than a file. */
int store_is_server_url(const char *path);
/* Why the last store_open of a server URL on this thread failed, in German,
 * naming what failed (URL, server, login); never the password. "" when
 * the last open succeeded or was of a file. */
const char *store_open_error(void);
/* path as it may be shown or logged: a URL's password replaced by "***". */
void store_location_shown(const char *path, char *out, size_t cap);
/* Accepts NULL. Flushes pending audit rows of this process first. */
void store_close(struct store *st);
/* Message of the last engine error on this handle ("" if none). */
const char *store_errmsg(const struct store *st);
/* 1 when st's database server cannot be reached right now: a call failed
 * with FN_UNAVAILABLE and the connection is still down (the next call
 * outside a transaction tries to reconnect). Always 0 for a file. Accepts
 * NULL (0). */
int store_unavailable(const struct store *st);

/* Creates the schema or upgrades it to STORE_SCHEMA_VERSION in one
 * transaction. FN_UNSUPPORTED when the database is newer than this build. */
FN_MUST_CHECK fn_status store_migrate(struct store *st);
FN_MUST_CHECK fn_status store_schema_version(struct store *st, int *version);

/* Transactions for multi-row changes (nesting is not supported). */
FN_MUST_CHECK fn_status store_begin(struct store *st);
FN_MUST_CHECK fn_status store_commit(struct store *st);
void store_rollback(struct store *st);

/* ---- reference data (no personal data, not audited) ---- */
/* Insert functions set ->id. */
FN_MUST_CHECK fn_status store_region_insert(struct store *st, struct model_region *r);
FN_MUST_CHECK fn_status store_org_insert(struct store *st, struct model_org *o);
FN_MUST_CHECK fn_status store_org_find(struct store *st, const char *code, int64_t *id);
/* Fills *out (caller clears with model_org_clear). */
FN_MUST_CHECK fn_status store_org_get(struct store *st, int64_t id, struct model_org *out);
/* Calls fn for every organisation in id order with its region's code (""
 * when it has none); stops at the first non-OK return. */
typedef fn_status (*store_org_fn)(void *ctx, const struct model_org *o, const char *region_code);
FN_MUST_CHECK fn_status store_org_each(struct store *st, store_org_fn fn, void *ctx);

/* ---- accounts and API tokens (issue 11) ----
 * Officials' accounts are personal data too: adding, changing and disabling
 * one is audited (entity "benutzer", "api_token") in the same transaction,
 * by this layer, above the backend's rows. Password hashes and token
 * digests come from src/auth; the store never sees a password or a token. */

/* Adds an account (u->id is set) with an argon2id hash (may be NULL: no
 * local password, e.g. single sign-on only). FN_CONFLICT for a login in
 * use, FN_NOTFOUND for an unknown organisation, FN_INVALID for an empty
 * login or name or no role. Audited as "collect". */
FN_MUST_CHECK fn_status store_user_add(struct store *st, const struct store_actor *a,
                                       struct model_user *u, const char *password_hash);
/* Fills *out (caller clears with model_user_clear). FN_NOTFOUND when none. */
FN_MUST_CHECK fn_status store_user_find(struct store *st, const char *login,
                                        struct model_user *out);
FN_MUST_CHECK fn_status store_user_get(struct store *st, int64_t id, struct model_user *out);
/* The account's password hash into *hash (caller frees with fn_free), for a
 * login alone. FN_NOTFOUND when the account has none. Not audited: the
 * caller audits the login attempt. */
FN_MUST_CHECK fn_status store_user_password_hash(struct store *st, int64_t user_id, char **hash);
/* Replaces the password hash and ends the account's sessions. Audited as
 * "change". */
FN_MUST_CHECK fn_status store_user_set_password(struct store *st, const struct store_actor *a,
                                                int64_t user_id, const char *password_hash);
/* Enables (1) or disables (0) an account; disabling ends its sessions.
 * Audited as "change". */
FN_MUST_CHECK fn_status store_user_set_active(struct store *st, const struct store_actor *a,
                                              int64_t user_id, int active);
/* Calls fn for every account in login order. u is valid during the call. */
typedef fn_status (*store_user_fn)(void *ctx, const struct model_user *u);
FN_MUST_CHECK fn_status store_user_each(struct store *st, store_user_fn fn, void *ctx);

/* An API token of a machine client (a prosecutor's, police or prison
 * system): bound to one organisation and one scope, stored as the digest of
 * the token, expiring, revocable. Times are UTC, ISO 8601 ("" = none). */
#define STORE_TOKEN_SCOPE_INTAKE "intake"
struct store_api_token {
    int64_t id;
    int64_t org_id;
    char scope[16];
    char digest[65]; /* hex BLAKE2b-256 of the token (auth/token.h) */
    char label[128];
    char created_by[64];
    char created_at[32];
    char expires_at[32];
    char revoked_at[32];
};
/* Stores t (t->id is set; created_at is set now). FN_INVALID for an
 * unknown scope, a malformed digest or no expiry; FN_NOTFOUND for an
 * unknown organisation. Audited as "collect". */
FN_MUST_CHECK fn_status store_token_add(struct store *st, const struct store_actor *a,
                                        struct store_api_token *t);
/* The token with this digest (revoked and expired ones too: see
 * store_token_usable). FN_NOTFOUND when none. */
FN_MUST_CHECK fn_status store_token_find(struct store *st, const char *digest,
                                         struct store_api_token *out);
/* 1 when t is neither revoked nor expired at now (ISO 8601 UTC). */
int store_token_usable(const struct store_api_token *t, const char *now);
/* Revokes token id (FN_NOTFOUND when none; revoking twice is FN_OK and
 * keeps the first time). Audited as "change". */
FN_MUST_CHECK fn_status store_token_revoke(struct store *st, const struct store_actor *a,
                                           int64_t id);
typedef fn_status (*store_token_fn)(void *ctx, const struct store_api_token *t);
FN_MUST_CHECK fn_status store_token_each(struct store *st, store_token_fn fn, void *ctx);

/* ---- web sessions (issue 12) ----
 * The session of a logged-in official, kept in the store so that a restart
 * keeps it and every server on the database accepts it. Only the digest
 * of the cookie's token is stored (hex BLAKE2b-256, auth/token.h). Times
 * are seconds since the epoch, passed in. Opening and ending a session
 * are audited (AUDIT_ACCESS, entity "zugang") in the transaction of the
 * row change; using one is not. */

/* last_seen is written at most once per this many seconds (and at least
 * twice per idle period), so a busy user costs one write a minute, not one
 * per request; the idle timeout counts from the last written use. */
#define STORE_SESSION_TOUCH_S 60

struct store_session {
    int64_t id;
    char digest[65]; /* hex BLAKE2b-256 of the cookie's token */
    int64_t user_id;
    int64_t org_id;  /* the account's organisation and roles at login */
    unsigned roles;  /* auth/role.h bits */
    unsigned idle_s; /* ends this long after its last recorded use */
    int64_t created_at;
    int64_t last_seen;
    int64_t expires_at; /* absolute end */
    int64_t ended_at;   /* 0 while open */
    char login[64];     /* the account's login (store_session_use) */
};
/* Opens s (s->id is set) and appends the audit row of actor with details
 * (JSON) in one transaction. FN_INVALID for a malformed digest, no user,
 * no roles, no idle period or an expiry not after created_at. */
FN_MUST_CHECK fn_status store_session_open(struct store *st, const struct store_actor *a,
                                           struct store_session *s, const char *details);
/* The open session of digest at now into *out. FN_NOTFOUND when there is
 * none, when it ended, is idle for idle_s or past expires_at, or when its
 * account is disabled, gone or has other roles or another organisation
 * than at login (such a session is ended). Records the use at most once
 * per min(STORE_SESSION_TOUCH_S, idle_s / 2) s; a failure to record it
 * (busy database) is ignored, the next request tries again. */
FN_MUST_CHECK fn_status store_session_use(struct store *st, const char *digest, int64_t now,
                                          struct store_session *out);
/* Ends the open session of digest at now (logout) with the audit row of
 * actor and details, in one transaction. FN_NOTFOUND when it is not open. */
FN_MUST_CHECK fn_status store_session_end(struct store *st, const struct store_actor *a,
                                          const char *digest, int64_t now, const char *details);
/* Deletes the sessions that ended or expired by now; *removed may be NULL. */
FN_MUST_CHECK fn_status store_session_prune(struct store *st, int64_t now, int64_t *removed);

/* ---- persons ---- */
/* Inserts p with aliases and documents; sets p->id. FN_CONFLICT when the
 * record_id exists. Audited as "collect". */
FN_MUST_CHECK fn_status store_person_insert(struct store *st, const struct store_actor *a,
                                            struct model_person *p);
/* Reads a person's whole file, the person with its version
 * (store_person_update). *out is owned by the caller
 * (model_person_file_free). Audited as "query". */
FN_MUST_CHECK fn_status store_person_get(struct store *st, const struct store_actor *a, int64_t id,
                                         struct model_person_file **out);
/* Finds a person's id by register key. Audited as "query". */
FN_MUST_CHECK fn_status store_person_find(struct store *st, const struct store_actor *a,
                                          const char *record_id, int64_t *id);
/* Deletes a person and every fact about them. Audited as "delete". */
FN_MUST_CHECK fn_status store_person_delete(struct store *st, const struct store_actor *a,
                                            int64_t id, const char *reason);
/* Number of persons (no personal data). */
FN_MUST_CHECK fn_status store_person_count(struct store *st, int64_t *n);

struct store_person_summary {
    int64_t id;
    char record_id[64];
    char family_name[96];
    char given_names[96];
    char birth_date[11];
    char residence[32];
    char identity[16];
    int64_t authority_id;
};
/* One page of persons of an authority (0 = all), ordered by id, starting
 * after after_id. *out is an array the caller frees with fn_free. Audited as
 * "disclose" with the ids that were returned. */
FN_MUST_CHECK fn_status store_person_list(struct store *st, const struct store_actor *a,
                                          int64_t authority_id, int64_t after_id, size_t limit,
                                          struct store_person_summary **out, size_t *n);

/* Calls fn for every person (with aliases) in id order; stops at the first
 * non-OK return and passes it on. Audited as one "disclose" row per 10,000
 * persons with their ids. p is valid only during the call. */
typedef fn_status (*store_person_fn)(void *ctx, const struct model_person *p);
FN_MUST_CHECK fn_status store_person_each(struct store *st, const struct store_actor *a,
                                          store_person_fn fn, void *ctx);

/* Replaces the person's fields and aliases (row p->id; the record_id may
 * change). Identity documents stay as stored (they change only as recorded
 * facts with history, store_fact_record; p->documents is ignored and comes
 * back as stored) when p->version is still the stored version (the
 * one store_person_get returned: optimistic concurrency, no lost update).
 * The check and the increment are one statement of the row update, so of
 * two writers on any number of servers that read the same version exactly
 * one wins. On success p->version is the new version. FN_STALE (nothing
 * written, no audit row) when the person changed since, FN_INVALID for a
 * version below 1, FN_NOTFOUND for an unknown id or one out of scope,
 * FN_CONFLICT when the new record_id belongs to another person. Audited as
 * "change" with the names of the changed fields in the details. */
FN_MUST_CHECK fn_status store_person_update(struct store *st, const struct store_actor *a,
                                            struct model_person *p);

/* Calls fn with every person's file (person, documents, residence history,
 * proceedings, custody, obstacles, findings, cases; not aliases) in id order,
 * reading each table once in person order: the bulk path for assessing
 * everyone. f is valid during the call only. Audited as "query" with the ids,
 * one row per 10,000 persons. */
typedef fn_status (*store_person_file_fn)(void *ctx, const struct model_person_file *f);
FN_MUST_CHECK fn_status store_person_files_each(struct store *st, const struct store_actor *a,
                                                store_person_file_fn fn, void *ctx);
/* Highest person id (0 when empty); no personal data. */
FN_MUST_CHECK fn_status store_max_person_id(struct store *st, int64_t *id);
/* The same for persons with lo_id <= id <= hi_id (one range per thread, each
 * thread with its own handle). */
FN_MUST_CHECK fn_status store_person_files_range(struct store *st, const struct store_actor *a,
                                                 int64_t lo_id, int64_t hi_id,
                                                 store_person_file_fn fn, void *ctx);

/* ---- facts and case work ----
 * Insert sets ->id and is audited as "collect" under the person (for case
 * work: the person of the case); update replaces every field of row ->id
 * except its owner (person_id / case_id) and is audited as "change";
 * FN_NOTFOUND when the owner or row does not exist, FN_INVALID for an
 * out-of-range enum or a missing required title. Reads: store_person_get
 * (facts about a person) and store_case_get (case work). */
FN_MUST_CHECK fn_status store_residence_insert(struct store *st, const struct store_actor *a,
                                               struct model_residence_entry *r);
FN_MUST_CHECK fn_status store_proceeding_insert(struct store *st, const struct store_actor *a,
                                                struct model_proceeding *p);
FN_MUST_CHECK fn_status store_custody_insert(struct store *st, const struct store_actor *a,
                                             struct model_custody *c);
FN_MUST_CHECK fn_status store_obstacle_insert(struct store *st, const struct store_actor *a,
                                              struct model_obstacle_entry *o);
FN_MUST_CHECK fn_status store_finding_insert(struct store *st, const struct store_actor *a,
                                             struct model_finding_entry *f);
FN_MUST_CHECK fn_status store_case_insert(struct store *st, const struct store_actor *a,
                                          struct model_case *c);
FN_MUST_CHECK fn_status store_conference_insert(struct store *st, const struct store_actor *a,
                                                struct model_conference *c);
FN_MUST_CHECK fn_status store_task_insert(struct store *st, const struct store_actor *a,
                                          struct model_task *t);
FN_MUST_CHECK fn_status store_doc_meta_insert(struct store *st, const struct store_actor *a,
                                              struct model_doc_meta *d);
FN_MUST_CHECK fn_status store_residence_update(struct store *st, const struct store_actor *a,
                                               const struct model_residence_entry *r);
FN_MUST_CHECK fn_status store_proceeding_update(struct store *st, const struct store_actor *a,
                                                const struct model_proceeding *p);
FN_MUST_CHECK fn_status store_custody_update(struct store *st, const struct store_actor *a,
                                             const struct model_custody *c);
FN_MUST_CHECK fn_status store_obstacle_update(struct store *st, const struct store_actor *a,
                                              const struct model_obstacle_entry *o);
FN_MUST_CHECK fn_status store_finding_update(struct store *st, const struct store_actor *a,
                                             const struct model_finding_entry *f);
FN_MUST_CHECK fn_status store_case_update(struct store *st, const struct store_actor *a,
                                          const struct model_case *c);
FN_MUST_CHECK fn_status store_conference_update(struct store *st, const struct store_actor *a,
                                                const struct model_conference *c);
FN_MUST_CHECK fn_status store_task_update(struct store *st, const struct store_actor *a,
                                          const struct model_task *t);
FN_MUST_CHECK fn_status store_doc_meta_update(struct store *st, const struct store_actor *a,
                                              const struct model_doc_meta *d);

enum store_fact_kind {
    STORE_FACT_RESIDENCE,
    STORE_FACT_PROCEEDING,
    STORE_FACT_CUSTODY,
    STORE_FACT_OBSTACLE,
    STORE_FACT_FINDING,
    STORE_FACT_TRAVEL_DOC, /* identity documents (travel_document), issue 13 */
    STORE_FACT_CASE,       /* deleting a case deletes its conferences, tasks, documents */
    STORE_FACT_CONFERENCE,
    STORE_FACT_TASK,
    STORE_FACT_DOCUMENT,
    STORE_FACT_COUNT
};
/* German name used in audit details ("strafverfahren", ...). */
const char *store_fact_name(enum store_fact_kind k);
/* Deletes one row (id) of the given kind. Audited as "delete" under the
 * person with the reason. FN_NOTFOUND for an unknown id. */
FN_MUST_CHECK fn_status store_fact_delete(struct store *st, const struct store_actor *a,
                                          enum store_fact_kind kind, int64_t id,
                                          const char *reason);

/* ---- facts that officials record: source and history (issue 13) ----
 * For the facts about a person (STORE_FACT_RESIDENCE .. STORE_FACT_TRAVEL_DOC;
 * FN_INVALID for any other kind). Every recorded row carries its source
 * and who recorded it when. Nothing is overwritten: a correction adds the
 * new row and marks the old one superseded by it, a withdrawal marks the
 * row withdrawn, both with who, when and the reason; store_person_get and
 * the assessment read only the current rows, store_fact_history all.
 * Writes need the facts access (sachbearbeitung of the responsible
 * authority, system jobs: docs/access.md), identity documents the identity
 * access (also zab for the persons of its region); a person out of scope is
 * FN_NOTFOUND. Every change queues the person for re-assessment
 * (assessment_due triggers) and is audited under the person in the same
 * transaction: "collect" for a record, "change" for a correction
 * ("ersetzt": old id) and a withdrawal ("aktion": "zurueckgezogen"), with
 * source and reason in the details. */
#define STORE_SOURCE_DOCUMENT     "dokument"   /* a document on file (judgment, notice) */
#define STORE_SOURCE_NOTIFICATION "mitteilung" /* a notification (MiStra, § 87 AufenthG) */
#define STORE_SOURCE_REGISTER     "register"   /* a register (BZR, AZR) */
struct store_fact_source {
    const char *kind;      /* one of STORE_SOURCE_*; borrowed */
    const char *reference; /* required: file number, date, sender; borrowed */
};
/* 1 when kind is one of STORE_SOURCE_*. */
int store_fact_source_kind_ok(const char *kind);
/* Records fact (the model struct of kind, its person_id set; fields as
 * validated by the caller, model/fact_input.h) from src; *id = the row. */
FN_MUST_CHECK fn_status store_fact_record(struct store *st, const struct store_actor *a,
                                          enum store_fact_kind kind, const void *fact,
                                          const struct store_fact_source *src, int64_t *id);
/* Corrects the current row old_id with fact (same person) for reason:
 * *new_id = the new row. FN_STALE (nothing written) when old_id was
 * corrected or withdrawn meanwhile; FN_INVALID without a reason or for
 * another person. */
FN_MUST_CHECK fn_status store_fact_correct(struct store *st, const struct store_actor *a,
                                           enum store_fact_kind kind, int64_t old_id,
                                           const void *fact, const struct store_fact_source *src,
                                           const char *reason, int64_t *new_id);
/* Withdraws the current row id for reason (the row stays, retired).
 * FN_STALE when it is retired already. */
FN_MUST_CHECK fn_status store_fact_withdraw(struct store *st, const struct store_actor *a,
                                            enum store_fact_kind kind, int64_t id,
                                            const char *reason);
/* Calls fn with every row, current and retired, of every recorded kind
 * about person_id, kind by kind in id order, all in one read snapshot;
 * each row as its columns' names and text values (NULL for none; the
 * history columns source_kind, source_ref, recorded_by, recorded_at,
 * superseded_by, retired_by, retired_at, retire_reason among them). Valid
 * during the call. Audited as "query". */
struct store_table_row;
typedef fn_status (*store_fact_row_fn)(void *ctx, enum store_fact_kind kind,
                                       const struct store_table_row *row);
FN_MUST_CHECK fn_status store_fact_history(struct store *st, const struct store_actor *a,
                                           int64_t person_id, store_fact_row_fn fn, void *ctx);

/* Reads a case with its conferences, tasks and document metadata. *out is
 * owned by the caller (model_case_file_free). Audited as "query" under the
 * person of the case. */
FN_MUST_CHECK fn_status store_case_get(struct store *st, const struct store_actor *a,
                                       int64_t case_id, struct model_case_file **out);

/* ---- catalogue approval (issue 13) ----
 * A catalogue is used for assessments and decisions that are stored only
 * once approved as a four-eyes act: one account with the admin role
 * proposes it (its text, kept with its SHA-256), another approves it. The
 * newest approval names the catalogue in force; approving another one
 * supersedes it, and the history stays (both tables are append-only).
 * Proposal and approval are audited (entity "katalog") in the transaction
 * of their row. Reading catalogues is not audited: they hold no personal
 * data beyond the logins of the admins, as the account list does. */

#define STORE_CATALOGUE_MAX_BYTES (1024 * 1024)

struct store_catalogue {
    int64_t id;
    char sha256[65]; /* SHA-256 of text, hex */
    char name[128];
    char version[64];
    char *text; /* the whole catalogue (owned: store_catalogue_clear); NULL in lists */
    char proposed_by[64];
    int64_t proposed_by_id;
    char proposed_at[32]; /* UTC, ISO 8601 */
    char approved_by[64]; /* the latest approval of this catalogue; "" when never */
    int64_t approved_by_id;
    char approved_at[32];
    int active; /* 1: the catalogue in force (it has the newest approval) */
};
/* Frees c->text; accepts NULL. */
void store_catalogue_clear(struct store_catalogue *c);

/* Stores c->text (1..STORE_CATALOGUE_MAX_BYTES of UTF-8) with c->name and
 * c->version (the caller has parsed the text: src/assess/approval.h) as a
 * proposal of the actor; sets id, sha256, proposed_by(_id) and
 * proposed_at. The actor must be an active account (user_id > 0, not a
 * system job) holding the admin role, as stored now: FN_DENIED otherwise
 * (store_errmsg says why, in German). FN_CONFLICT when a catalogue with
 * this hash is stored already (c->sha256 and c->id name it), FN_INVALID
 * for an empty, too large or malformed text, name or version. Audited as
 * "collect". */
FN_MUST_CHECK fn_status store_catalogue_propose(struct store *st, const struct store_actor *a,
                                                struct store_catalogue *c);
/* Approves the stored catalogue sha256 (64 lower-case hex digits), which
 * makes it the catalogue in force. The actor must be an active admin
 * account other than the one that proposed it (FN_DENIED, store_errmsg
 * says why). FN_NOTFOUND for an unknown hash, FN_CONFLICT when it is in
 * force already. *out (may be NULL) receives the catalogue without text.
 * Audited as "change". */
FN_MUST_CHECK fn_status store_catalogue_approve(struct store *st, const struct store_actor *a,
                                                const char *sha256, struct store_catalogue *out);
/* The catalogue sha256 with its text, or the one in force for NULL, into
 * *out (caller clears with store_catalogue_clear). FN_NOTFOUND when none. */
FN_MUST_CHECK fn_status store_catalogue_get(struct store *st, const char *sha256,
                                            struct store_catalogue *out);
/* The hash of the catalogue in force (out: 65 bytes); FN_NOTFOUND when no
 * catalogue is approved. One indexed read. */
FN_MUST_CHECK fn_status store_catalogue_active_hash(struct store *st, char out[65]);
/* Calls fn for every stored catalogue, newest proposal first, without
 * text; c is valid during the call. */
typedef fn_status (*store_catalogue_fn)(void *ctx, const struct store_catalogue *c);
FN_MUST_CHECK fn_status store_catalogue_each(struct store *st, store_catalogue_fn fn, void *ctx);

/* ---- assessments and decisions (Initialbewertung) ---- */

/* FN_OK when the actor's roles grant computing assessments (sachbearbeitung,
 * koordination, system jobs; docs/access.md), else FN_DENIED. The persons
 * such an actor reaches are still those of its scope. */
FN_MUST_CHECK fn_status store_may_assess(struct store *st, const struct store_actor *a);

/* One assessment as computed by src/assess, kept with its trace so that every
 * decision can be traced to what the case worker saw. */
struct store_assessment {
    int64_t id;
    int64_t person_id;
    const char *catalog_version; /* borrowed */
    const char *catalog_hash;    /* borrowed, hex */
    int blocked;
    char band; /* 'A', 'B', 'C' */
    int points;
    const char *feasibility; /* borrowed: "hoch", "mittel", "niedrig" */
    const char *trace_json;  /* borrowed: rules fired, facts read */
    const char *digest;      /* borrowed: SHA-256 hex of catalogue hash, result and trace */
};

/* Stores an assessment (sets a->id). Audited as "combine" (facts are
 * combined into an assessment) under the person. FN_CONFLICT (nothing
 * stored, store_errmsg says why) unless catalog_hash is the hash of the
 * catalogue in force: a simulation with another catalogue is never
 * stored. */
FN_MUST_CHECK fn_status store_assessment_insert(struct store *st, const struct store_actor *a,
                                                struct store_assessment *as);

/* Digest of the person's latest stored assessment (out: 65 bytes hex).
 * FN_NOTFOUND when none. Read as part of an audited assessment run (the
 * caller has read the person's file through store_person_get). */
FN_MUST_CHECK fn_status store_assessment_latest_digest(struct store *st, int64_t person_id,
                                                       char out[65]);

/* Takes up to max persons that are due for re-assessment (a fact changed
 * since they were last assessed) out of the queue: their ids go to ids, the
 * count to *n. No personal data is read here. */
FN_MUST_CHECK fn_status store_assessment_due_take(struct store *st, int64_t *ids, size_t max,
                                                  size_t *n);

/* A named person's decision on intake into case management. It records; it
 * changes no case status (fallnetz never does that by itself). */
struct store_decision {
    int64_t id;
    int64_t person_id;
    int64_t assessment_id;     /* the assessment the decision was made against */
    int accept;                /* 1 aufnehmen, 0 ablehnen */
    const char *reason;        /* mandatory, borrowed */
    const char *second_login;  /* the second person for a gate override, or NULL */
    const char *override_kind; /* NULL, or why this departs from the assessment */
    const char *catalog_hash;  /* the catalogue of the assessment, hex; required */
};

/* Stores a decision (sets d->id); the deciding login is the actor's. FN_INVALID
 * without a reason or catalogue hash, or when the assessment belongs to
 * another person or was made with another catalogue than catalog_hash.
 * FN_CONFLICT (store_errmsg says why) unless catalog_hash is the catalogue
 * in force. Audited as "change" under the person, with the override and
 * the catalogue named in the details. */
FN_MUST_CHECK fn_status store_decision_insert(struct store *st, const struct store_actor *a,
                                              struct store_decision *d);

/* One decision with what the evaluation needs. sex, birth_year and
 * nationality are read for the subgroup audit alone (Art. 10 Abs. 5 KI-VO
 * analogue): they never reach the assessment. */
struct store_decision_row {
    int64_t decision_id;
    int64_t person_id;
    int accepted;
    const char *override_kind; /* NULL when none */
    const char *reason;
    int blocked; /* of the assessment decided on */
    char band;
    int points;
    const char *catalog_version;
    const char *sex;         /* code, audit only */
    int birth_year;          /* 0 unknown, audit only */
    const char *nationality; /* first ISO code or NULL, audit only */
};
typedef fn_status (*store_decision_fn)(void *ctx, const struct store_decision_row *row);
/* Calls fn for every decision in id order (strings valid during the call).
 * Audited as one "disclose" row naming the persons, with the purpose. */
FN_MUST_CHECK fn_status store_decisions_each(struct store *st, const struct store_actor *a,
                                             store_decision_fn fn, void *ctx);

/* ---- evaluation: aggregates for the pilot report (issue 13) ----
 * store_eval_each streams what the evaluation counts, one row per person,
 * so that nothing is held per person (src/assess/evaluate.c aggregates).
 * Roles: STORE_ACCESS_STATS (statistik: all; koordination: region;
 * sachbearbeitung: own authority; docs/access.md). One audit row per run
 * ("query", entity "person", no person named: the rows only feed counts)
 * with the filter and the number of persons in the details. */
struct store_eval_filter {
    const char *from;   /* "YYYY-MM-DD", NULL: no lower bound */
    const char *to;     /* "YYYY-MM-DD" inclusive, NULL: no upper bound */
    const char *region; /* region code, NULL: every region in scope */
};

/* One person's latest decision in the period (strings valid during the call). */
struct store_eval_decision {
    const char *catalog_hash;    /* of the assessment decided on */
    const char *catalog_version; /* its version label */
    int blocked;                 /* of the assessment decided on */
    char band;
    int accepted;
    const char *override_kind; /* NULL when none */
    int64_t earlier;           /* decisions on the same person earlier in the period */
    const char *region;        /* code of the responsible authority's region, or NULL */
    const char *authority;     /* code of the responsible authority, or NULL */
    const char *sex;           /* audit only, as for store_decision_row */
    const char *birth_year;    /* "YYYY" or NULL */
    const char *nationality;   /* first ISO code or NULL */
};

/* One person in scope with the latest assessment as of the period's end
 * (catalog_hash NULL: not assessed by then) and the case outcome as
 * recorded now. */
struct store_eval_person {
    const char *catalog_hash, *catalog_version;
    int blocked;
    char band;
    const char *trace; /* the assessment's trace JSON, or NULL */
    const char *region, *authority, *sex, *birth_year, *nationality;
    int case_outcome;        /* 2 a case in "massnahme", 1 else a case "abgeschlossen", 0 */
    int deportation_custody; /* 1 when a custody of kind "abschiebungshaft" is recorded */
};
typedef fn_status (*store_eval_decision_fn)(void *ctx, const struct store_eval_decision *d);
typedef fn_status (*store_eval_person_fn)(void *ctx, const struct store_eval_person *p);

/* Calls dfn for the latest decision of every person in scope decided in
 * the period (decisions counted once per person), then pfn for every
 * person in scope, both in one read snapshot. FN_INVALID for a date that
 * is not a full YYYY-MM-DD or from after to; FN_NOTFOUND for a region code
 * no organisation belongs to; FN_DENIED without STORE_ACCESS_STATS. */
FN_MUST_CHECK fn_status store_eval_each(struct store *st, const struct store_actor *a,
                                        const struct store_eval_filter *f,
                                        store_eval_decision_fn dfn, store_eval_person_fn pfn,
                                        void *ctx);

/* ---- bulk import ---- */
/* Either every accepted person is stored or none, also after a kill: rows
 * are staged in bounded batches beside the database (invisible, no write
 * lock on it) and published in one transaction by store_import_commit, so
 * other writers only wait for that step (docs/store.md). One import per
 * database at a time (FN_BUSY otherwise). Audit: one "collect" row per chunk
 * of up to 1,000 persons listing their ids, so "who touched person X" stays
 * answerable. */
struct store_import;
/* source names the file (goes into the audit details). *out is freed by
 * store_import_commit or store_import_abort. */
FN_MUST_CHECK fn_status store_import_begin(struct store *st, const struct store_actor *a,
                                           const char *source, struct store_import **out);
/* Tells the import how many rows to expect; optional, and today only a hint
 * (the publish step decides from the rows actually staged whether to
 * rebuild secondary indexes once instead of row by row). */
FN_MUST_CHECK fn_status store_import_expect(struct store_import *imp, int64_t rows);
/* Announces the record_ids the next store_import_person calls stage (the
 * caller's batch), so a server backend looks up which are stored in one
 * round trip instead of one per person; optional. One stored after this
 * call fails the commit like one stored meanwhile. The strings are only
 * read during the call. */
FN_MUST_CHECK fn_status store_import_prefetch(struct store_import *imp,
                                              const char *const *record_ids, size_t n);
/* Stages p; ids are assigned at commit (p->id is 0 after FN_OK).
 * FN_CONFLICT when its record_id is already stored (p->id: the stored
 * person) or came earlier in this import (p->id 0); the import goes on. */
FN_MUST_CHECK fn_status store_import_person(struct store_import *imp, struct model_person *p);
/* Publishes in one transaction; frees imp whatever the result (on failure
 * nothing is visible). FN_CONFLICT when another writer stored one of the
 * record_ids meanwhile (store_errmsg names it); FN_BUSY after the busy
 * timeout. */
FN_MUST_CHECK fn_status store_import_commit(struct store_import *imp);
/* Rolls back and frees; accepts NULL. */
void store_import_abort(struct store_import *imp);

/* ---- audit trail ---- */
enum store_audit_kind {
    AUDIT_COLLECT,  /* Erhebung */
    AUDIT_CHANGE,   /* Veränderung */
    AUDIT_QUERY,    /* Abfrage */
    AUDIT_DISCLOSE, /* Offenlegung einschließlich Übermittlung */
    AUDIT_COMBINE,  /* Kombination */
    AUDIT_DELETE,   /* Löschung */
    AUDIT_ACCESS,   /* Zugang: login, failed login, logout, refused request */
    AUDIT_KIND_COUNT
};
const char *store_audit_kind_code(enum store_audit_kind k);
const char *store_audit_kind_label(enum store_audit_kind k);

/* Appends one audit row for an action not covered by the functions above
 * (e.g. an assessment that combines facts, an export file). record_ids is a
 * comma-separated list of ids or ranges "a-b"; details is JSON or NULL. */
FN_MUST_CHECK fn_status store_audit_append(struct store *st, const struct store_actor *a,
                                           enum store_audit_kind kind, const char *entity,
                                           const char *record_ids, const char *details);

struct store_audit_row {
    int64_t seq;
    const char *at; /* UTC, ISO 8601 with milliseconds */
    const char *login;
    int64_t user_id;
    int64_t org_id;
    const char *kind;
    const char *entity;
    const char *record_ids;
    const char *purpose;
    const char *recipient;
    const char *details;
    const char *hash; /* hex */
};
/* Calls fn for each audit row in seq order, optionally only rows that
 * concern person_id (> 0) and/or rows at or after since (ISO date, may be
 * NULL). Strings are valid during the call. This read is itself audited
 * (kind "query", entity "audit"). */
typedef fn_status (*store_audit_fn)(void *ctx, const struct store_audit_row *row);
FN_MUST_CHECK fn_status store_audit_each(struct store *st, const struct store_actor *a,
                                         int64_t person_id, const char *since, store_audit_fn fn,
                                         void *ctx);

struct store_audit_report {
    int64_t rows;       /* rows checked */
    int64_t bad_seq;    /* first row that fails, 0 if none */
    char reason[200];   /* German, e.g. "Zeile verändert (Prüfsumme stimmt nicht)" */
    char head_hash[65]; /* hash of the last row (hex), to note down externally */
};
/* Recomputes the chain. FN_OK when intact; FN_CORRUPT with report->bad_seq
 * and reason naming the first edited, deleted, inserted or reordered row. */
FN_MUST_CHECK fn_status store_audit_verify(struct store *st, struct store_audit_report *report);

/* Retention (§ 76 Abs. 4 BDSG: log data are deleted at the end of the year
 * after their creation). Deletes the rows written before 1 January of
 * before_year, which must lie at least one year back (in 2026: at most
 * 2025). The last deleted row's seq and hash become the checkpoint from which
 * store_audit_verify starts, and the prune itself is logged (kind "delete",
 * entity "audit", details with "bis_zeile"), so the remaining chain stays
 * verifiable and a checkpoint moved without such a row is reported.
 * *removed = rows deleted. FN_INVALID for a year that is not yet due. */
FN_MUST_CHECK fn_status store_audit_prune(struct store *st, const struct store_actor *a,
                                          int before_year, int64_t *removed);

/* Chains every audit row this process has spooled so far into the log. */
FN_MUST_CHECK fn_status store_audit_flush(struct store *st);

/* ---- backup (issue 12) ----
 * Copies the whole database, consistent as of one moment, into the new
 * file dest_path while other connections keep reading and writing (SQLite:
 * the online backup API; the copy is one file in rollback-journal mode and
 * passed PRAGMA quick_check). The caller makes dest_path durable and
 * publishes it (core/file.h). Only system jobs and accounts with the admin
 * role may: FN_DENIED otherwise. Audited first (kind "disclose", entity
 * "datenbank", details {"sicherung": label}), so the copy holds the row of
 * its own making. FN_UNSUPPORTED for a backend with its own backup tools
 * (PostgreSQL: docs/operations.md). *bytes = size of the copy. */
FN_MUST_CHECK fn_status store_backup(struct store *st, const struct store_actor *a,
                                     const char *dest_path, const char *label, int64_t *bytes);

/* ---- copy between databases (issue 12) ----
 * store_copy moves everything from src into the empty database dst, on
 * either backend (SQLite file <-> PostgreSQL, or the same on both sides):
 * every table of the schema in the order the schema creates them
 * (schema.h), rows verbatim with their ids, the audit trail included
 * (audit_log with seq, hashes, spool ids and chain format; audit_head;
 * audit_checkpoint), so dst's chain equals src's. src is read in one read
 * snapshot after its spool is flushed and one audit row (kind "disclose",
 * entity "datenbank", details {"kopie": target_shown}) is appended to it:
 * dst carries that row as its last. dst is written in one transaction:
 * all or nothing, and nothing is appended to dst's trail. dst must be
 * migrated to src's schema version and empty (FN_CONFLICT, store_errmsg
 * of dst names the first table with rows). Only system jobs and accounts
 * with the admin role may (FN_DENIED). On failure store_errmsg(dst) says
 * which side failed and why. */
typedef void (*store_copy_progress_fn)(void *ctx, const char *table, int64_t rows, int done);
struct store_copy_options {
    const char *target_shown;        /* dst as the audit row names it (no password) */
    int64_t progress_rows;           /* progress every this many rows of a table (0: 100,000) */
    store_copy_progress_fn progress; /* may be NULL; done = 1 once per table at its end */
    void *progress_ctx;
};
struct store_copy_report {
    int64_t tables; /* tables copied */
    int64_t rows;   /* rows copied */
};
FN_MUST_CHECK fn_status store_copy(struct store *src, struct store *dst,
                                   const struct store_actor *a,
                                   const struct store_copy_options *opt,
                                   struct store_copy_report *report);

/* Whether store_copy moves table: 1 copied, 0 left out on purpose (each
 * database keeps its own, e.g. schema_version), -1 unknown to it. */
int store_copy_table_role(const char *table);

#endif
