/*
 * pg.c – the PostgreSQL backend (libpq): connecting, errors, statements,
 * transactions and the migration; the vtable. Rows: pg_account.c,
 * pg_rows.c, pg_audit.c.
 *
 * Transactions are READ COMMITTED; the audit chain stays one chain across
 * processes because every append locks the audit head row first
 * (pg_audit.c). Read snapshots are REPEATABLE READ, READ ONLY.
 */
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "store/pg_int.h"
#include "store/schema.h"

/* The reason the last pg_open on this thread failed (store_open_error). */
static _Thread_local char open_error[1024];

const char *store_open_error(void)
{
    return open_error;
}

/* Replaces every occurrence of secret in buf (cap bytes) by "***". */
static void redact(char *buf, size_t cap, const char *secret)
{
    size_t n = strlen(secret);
    if (!n)
        return;
    char *hit;
    while ((hit = strstr(buf, secret)) != NULL) {
        char rest[512];
        snprintf(rest, sizeof rest, "%s", hit + n);
        snprintf(hit, cap - (size_t)(hit - buf), "***%s", rest);
    }
}

/* Copies the first line of msg into out, without the password. */
static void set_message(char *out, size_t cap, const char *msg, const char *password)
{
    fn_utf8_copy(out, cap, msg ? msg : "");
    char *nl = strchr(out, '\n');
    if (nl)
        *nl = '\0';
    redact(out, cap, password);
}

fn_status pg_fail(struct pg_store *ps, const char *msg)
{
    set_message(ps->head.errmsg, sizeof ps->head.errmsg, msg, ps->password);
    return FN_DB;
}

/* Records "connection to the server lost" with libpq's reason (msg) and
 * returns FN_UNAVAILABLE. */
static fn_status connection_lost(struct pg_store *ps, const char *msg)
{
    char why[200];
    set_message(why, sizeof why, msg, ps->password);
    /* libpq's "connection to server on socket \"…\" failed: REASON" names
     * the server a second time: the reason is enough */
    const char *reason = strstr(why, " failed: ");
    reason = reason ? reason + 9 : why;
    /* both cut so that the sentence fits STORE_ERRMSG_MAX */
    snprintf(ps->head.errmsg, sizeof ps->head.errmsg,
             "Verbindung zum PostgreSQL-Server %.120s unterbrochen: %.80s", ps->shown, reason);
    return FN_UNAVAILABLE;
}

/* Maps a failed result onto a status and records its message: integrity
 * violations (class 23) are FN_CONFLICT, lock and serialisation failures
 * FN_BUSY, a lost connection (or a server shutting down, class 57P)
 * FN_UNAVAILABLE. */
fn_status pg_result_error(struct pg_store *ps, const PGresult *res)
{
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(ps->conn);
    if (!msg || !msg[0])
        msg = PQerrorMessage(ps->conn);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (PQstatus(ps->conn) != CONNECTION_OK || (state && strncmp(state, "57P", 3) == 0))
        return connection_lost(ps, msg);
    set_message(ps->head.errmsg, sizeof ps->head.errmsg, msg, ps->password);
    if (!state)
        return FN_DB;
    if (strncmp(state, "23", 2) == 0)
        return FN_CONFLICT;
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
        return FN_BUSY;
    if (strcmp(state, "53200") == 0)
        return FN_NOMEM;
    return FN_DB;
}

void pg_param_text(struct pg_params *p, const char *v)
{
    p->v[p->n++] = v && v[0] ? v : NULL;
}

void pg_param_always(struct pg_params *p, const char *v)
{
    p->v[p->n++] = v;
}

void pg_param_int(struct pg_params *p, int64_t v)
{
    snprintf(p->num[p->n], sizeof p->num[0], "%" PRId64, v);
    p->v[p->n] = p->num[p->n];
    p->n++;
}

void pg_param_id(struct pg_params *p, int64_t id)
{
    if (id)
        pg_param_int(p, id);
    else
        p->v[p->n++] = NULL;
}

void pg_param_date(struct pg_params *p, const struct fn_pdate *d)
{
    if (!d->year) {
        p->v[p->n++] = NULL;
        return;
    }
    fn_pdate_format(d, p->num[p->n]);
    p->v[p->n] = p->num[p->n];
    p->n++;
}

fn_status pg_prepare(struct pg_store *ps, int id, const char *sql, int nparams)
{
    if (ps->prepared[id])
        return FN_OK;
    char name[16];
    snprintf(name, sizeof name, "s%d", id);
    /* Parameter types are left to the server: it infers them from the
     * statement, as SQLite's affinity does. */
    PGresult *r = PQprepare(ps->conn, name, sql, nparams, NULL);
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
        fn_status rc = pg_result_error(ps, r);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    ps->prepared[id] = 1;
    return FN_OK;
}

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What every session of the backend starts with: quiet notices (CREATE
 * TABLE IF NOT EXISTS ... skipping) and UTC. */
static fn_status pg_session_setup(struct pg_store *ps)
{
    /* Quiet notices (CREATE TABLE IF NOT EXISTS ... skipping), UTC, and a
     * lock wait bounded like SQLite's busy timeout: a lock held longer is
     * SQLSTATE 55P03, FN_BUSY, 503 with Retry-After, never an endless wait. */
    return pg_exec(ps, "SET client_min_messages = warning; SET TIME ZONE 'UTC';"
                       " SET lock_timeout = " STORE_STR(STORE_BUSY_TIMEOUT_MS));
}

/* 1 when the server has closed the idle connection: its socket is readable
 * while no query is outstanding (a shutdown's FATAL message, then EOF),
 * and reading it leaves the connection bad. Sends nothing. */
static int idle_connection_closed(struct pg_store *ps)
{
    for (int i = 0; i < 3 && PQstatus(ps->conn) == CONNECTION_OK; i++) {
        struct pollfd pfd = {.fd = PQsocket(ps->conn), .events = POLLIN};
        if (pfd.fd < 0 || poll(&pfd, 1, 0) <= 0)
            return 0;
        if (!PQconsumeInput(ps->conn))
            break;
    }
    return PQstatus(ps->conn) != CONNECTION_OK;
}

/* Makes the connection usable before a statement outside a transaction.
 * A connection the server has closed meanwhile (restart, shutdown) is
 * reset: the same URL, a new session, so the prepared statements and the
 * session settings are made again. While the server stays unreachable a
 * reset is tried at most once a second. FN_UNAVAILABLE (errmsg names the
 * server) when it cannot be reached. Never inside a transaction: what ran
 * there is gone with the old session. */
static fn_status pg_ready(struct pg_store *ps)
{
    if (PQstatus(ps->conn) == CONNECTION_OK && !idle_connection_closed(ps))
        return FN_OK;
    int64_t now = monotonic_ms();
    if (now < ps->retry_at)
        return connection_lost(ps, PQerrorMessage(ps->conn));
    PQreset(ps->conn);
    if (PQstatus(ps->conn) != CONNECTION_OK) {
        ps->retry_at = now + 1000;
        return connection_lost(ps, PQerrorMessage(ps->conn));
    }
    ps->retry_at = 0;
    memset(ps->prepared, 0, sizeof ps->prepared);
    return pg_session_setup(ps);
}

fn_status pg_run(struct pg_store *ps, int id, const char *sql, const struct pg_params *p,
                 PGresult **res)
{
    static const struct pg_params none = {0};
    if (!p)
        p = &none;
    *res = NULL;
    fn_status rc = ps->head.in_tx || ps->head.in_read ? FN_OK : pg_ready(ps);
    if (!rc)
        rc = pg_prepare(ps, id, sql, p->n);
    if (rc)
        return rc;
    char name[16];
    snprintf(name, sizeof name, "s%d", id);
    int lengths[PG_MAX_PARAMS];
    for (int i = 0; i < p->n; i++)
        lengths[i] = p->v[i] ? (int)strlen(p->v[i]) : 0;
    PGresult *r = PQexecPrepared(ps->conn, name, p->n, p->v, lengths, NULL, 0);
    ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
        rc = pg_result_error(ps, r);
        PQclear(r);
        return rc;
    }
    *res = r;
    return FN_OK;
}

fn_status pg_command(struct pg_store *ps, int id, const char *sql, const struct pg_params *p,
                     int64_t *changed)
{
    PGresult *r = NULL;
    fn_status rc = pg_run(ps, id, sql, p, &r);
    if (!rc && changed)
        *changed = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return rc;
}

fn_status pg_one_int(struct pg_store *ps, int id, const char *sql, const struct pg_params *p,
                     int64_t *out)
{
    PGresult *r = NULL;
    fn_status rc = pg_run(ps, id, sql, p, &r);
    if (!rc) {
        if (PQntuples(r) > 0)
            *out = pg_int(r, 0, 0);
        else
            rc = FN_NOTFOUND;
    }
    PQclear(r);
    return rc;
}

fn_status pg_exec(struct pg_store *ps, const char *sql)
{
    PGresult *r = PQexec(ps->conn, sql);
    ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    fn_status rc = FN_OK;
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK)
        rc = pg_result_error(ps, r);
    PQclear(r);
    return rc;
}

fn_status pg_copy_field(struct fn_buf *b, int first, const char *v)
{
    fn_status rc = first ? FN_OK : fn_buf_append_char(b, '\t');
    if (rc || !v)
        return rc ? rc : fn_buf_append(b, "\\N", 2);
    /* Plain runs are copied in one piece (byte by byte cost the import's
     * staging ~17,000 instructions per row). */
    while (!rc && *v) {
        size_t run = strcspn(v, "\\\t\n\r");
        if (run)
            rc = fn_buf_append(b, v, run);
        v += run;
        if (!rc && *v) {
            char esc[2] = {'\\', *v == '\t' ? 't' : *v == '\n' ? 'n' : *v == '\r' ? 'r' : '\\'};
            rc = fn_buf_append(b, esc, 2);
            v++;
        }
    }
    return rc;
}

fn_status pg_copy_end(struct pg_store *ps, int ok)
{
    fn_status rc = FN_OK;
    ok = PQputCopyEnd(ps->conn, ok ? NULL : "abgebrochen") == 1 && ok;
    PGresult *r;
    while ((r = PQgetResult(ps->conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && !rc)
            rc = pg_result_error(ps, r);
        PQclear(r);
    }
    if (!rc && !ok)
        rc = pg_result_error(ps, NULL);
    return rc;
}

fn_status pg_stream_results(struct pg_store *ps, pg_row_fn fn, void *ctx)
{
    if (!PQsetSingleRowMode(ps->conn))
        return pg_result_error(ps, NULL);
    fn_status rc = FN_OK;
    PGresult *r;
    while ((r = PQgetResult(ps->conn)) != NULL) {
        ExecStatusType t = PQresultStatus(r);
        if (t == PGRES_SINGLE_TUPLE && !rc)
            rc = fn(ctx, r);
        else if (t != PGRES_SINGLE_TUPLE && t != PGRES_TUPLES_OK && !rc)
            rc = pg_result_error(ps, r);
        PQclear(r);
    }
    return rc;
}

fn_status pg_stream(struct pg_store *ps, int id, const char *sql, const struct pg_params *p,
                    pg_row_fn fn, void *ctx)
{
    fn_status rc = pg_prepare(ps, id, sql, p->n);
    if (rc)
        return rc;
    char name[16];
    snprintf(name, sizeof name, "s%d", id);
    if (!PQsendQueryPrepared(ps->conn, name, p->n, p->v, NULL, NULL, 0))
        return pg_result_error(ps, NULL);
    return pg_stream_results(ps, fn, ctx);
}

int64_t pg_int(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

fn_status pg_text(const PGresult *r, int row, int col, char **out)
{
    *out = NULL;
    if (PQgetisnull(r, row, col))
        return FN_OK;
    *out = fn_strdup(PQgetvalue(r, row, col));
    return *out ? FN_OK : FN_NOMEM;
}

/* The password inside a postgresql:// URL (between the user's ':' and
 * '@'), raw as written, into out; "" when there is none. */
static void url_password(const char *url, char *out, size_t cap)
{
    out[0] = '\0';
    const char *p = strstr(url, "://");
    if (!p)
        return;
    p += 3;
    size_t auth = strcspn(p, "/?#");
    const char *at = memchr(p, '@', auth);
    if (!at)
        return;
    const char *colon = memchr(p, ':', (size_t)(at - p));
    if (!colon)
        return;
    size_t n = (size_t)(at - colon - 1);
    if (n + 1 > cap)
        n = cap - 1;
    memcpy(out, colon + 1, n);
    out[n] = '\0';
}

void store_location_shown(const char *path, char *out, size_t cap)
{
    char raw_pw[128];
    fn_utf8_copy(out, cap, path ? path : "");
    if (!store_is_server_url(out))
        return;
    url_password(out, raw_pw, sizeof raw_pw);
    redact(out, cap, raw_pw);
}

/* Describes a failed connection in German, naming what failed. */
static fn_status connect_error(const char *url, PGconn *conn, const char *raw_pw,
                               const char *password)
{
    char shown[256], msg[256];
    fn_utf8_copy(shown, sizeof shown, url);
    redact(shown, sizeof shown, raw_pw);
    redact(shown, sizeof shown, password);
    set_message(msg, sizeof msg, conn ? PQerrorMessage(conn) : "kein Speicher", raw_pw);
    redact(msg, sizeof msg, password);
    fn_status rc = FN_UNAVAILABLE;
    const char *what = "PostgreSQL-Server nicht erreichbar";
    if (conn && (strstr(msg, "password") || strstr(msg, "authentication") ||
                 PQconnectionNeedsPassword(conn))) {
        what = "Anmeldung bei PostgreSQL abgelehnt (Benutzer oder Passwort falsch)";
        rc = FN_DENIED;
    } else if (conn && strstr(msg, "does not exist")) {
        what = "PostgreSQL-Datenbank oder -Benutzer gibt es nicht";
        rc = FN_NOTFOUND;
    }
    snprintf(open_error, sizeof open_error, "%s: %s (%s)", what, shown, msg);
    return rc;
}

fn_status pg_open(const char *url, unsigned flags, struct store **out)
{
    (void)flags; /* a server database is created by its administrator */
    *out = NULL;
    open_error[0] = '\0';
    char raw_pw[128], password[128] = "";
    url_password(url, raw_pw, sizeof raw_pw);
    char *perr = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &perr);
    if (!opts) {
        char shown[256], msg[256];
        fn_utf8_copy(shown, sizeof shown, url);
        redact(shown, sizeof shown, raw_pw);
        set_message(msg, sizeof msg, perr ? perr : "kein Speicher", raw_pw);
        snprintf(open_error, sizeof open_error, "ungültige PostgreSQL-URL %s: %s", shown, msg);
        PQfreemem(perr);
        return FN_INVALID;
    }
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val)
            fn_utf8_copy(password, sizeof password, o->val);
    PQconninfoFree(opts);

    struct pg_store *ps = fn_calloc(1, sizeof *ps);
    if (!ps)
        return FN_NOMEM;
    ps->head.ops = &store_pg_backend;
    snprintf(ps->password, sizeof ps->password, "%s", password);
    ps->conn = PQconnectdb(url);
    if (!ps->conn || PQstatus(ps->conn) != CONNECTION_OK) {
        fn_status rc = connect_error(url, ps->conn, raw_pw, password);
        PQfinish(ps->conn);
        fn_free(ps);
        return rc;
    }
    store_location_shown(url, ps->shown, sizeof ps->shown);
    redact(ps->shown, sizeof ps->shown, password);
    fn_status rc = pg_session_setup(ps);
    if (rc) {
        snprintf(open_error, sizeof open_error, "PostgreSQL: %s", ps->head.errmsg);
        PQfinish(ps->conn);
        fn_free(ps);
        return rc;
    }
    *out = (struct store *)(void *)ps;
    return FN_OK;
}

static void pg_rollback(struct store *st);
static void pg_read_end(struct store *st);

static void pg_close(struct store *st)
{
    struct pg_store *ps = pg_of(st);
    if (!ps)
        return;
    pg_rollback(st);
    pg_read_end(st);
    store_scope_cache_free(ps->head.scope_cache);
    PQfinish(ps->conn);
    fn_free(ps);
}

static const char *pg_errmsg(const struct store *st)
{
    return ((const struct pg_store *)(const void *)st)->head.errmsg;
}

/* Opens a transaction with sql (a BEGIN) on a ready connection. A BEGIN
 * that finds the connection lost has changed nothing, so it is tried once
 * more on a reset connection. */
static fn_status pg_begin_as(struct pg_store *ps, const char *sql)
{
    fn_status rc = pg_ready(ps);
    if (!rc)
        rc = pg_exec(ps, sql);
    if (rc == FN_UNAVAILABLE) {
        rc = pg_ready(ps);
        if (!rc)
            rc = pg_exec(ps, sql);
    }
    return rc;
}

static fn_status pg_begin(struct store *st)
{
    struct pg_store *ps = pg_of(st);
    if (ps->head.in_tx || ps->head.in_read)
        return FN_INVALID;
    fn_status rc = pg_begin_as(ps, "BEGIN");
    if (!rc)
        ps->head.in_tx = 1;
    return rc;
}

static fn_status pg_commit(struct store *st)
{
    struct pg_store *ps = pg_of(st);
    if (!ps->head.in_tx)
        return FN_INVALID;
    PGresult *r = PQexec(ps->conn, "COMMIT");
    fn_status rc = FN_OK;
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = pg_result_error(ps, r);
    else if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
        rc = pg_fail(ps, "transaction was rolled back"); /* COMMIT of a failed transaction */
    PQclear(r);
    ps->head.in_tx = 0;
    return rc;
}

static void pg_rollback(struct store *st)
{
    struct pg_store *ps = pg_of(st);
    if (!ps->head.in_tx)
        return;
    PQclear(PQexec(ps->conn, "ROLLBACK"));
    ps->head.in_tx = 0;
}

static fn_status pg_read_begin(struct store *st)
{
    struct pg_store *ps = pg_of(st);
    if (ps->head.in_tx || ps->head.in_read)
        return FN_INVALID;
    fn_status rc = pg_begin_as(ps, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    if (!rc)
        ps->head.in_read = 1;
    return rc;
}

static void pg_read_end(struct store *st)
{
    struct pg_store *ps = pg_of(st);
    if (!ps->head.in_read)
        return;
    PQclear(PQexec(ps->conn, "ROLLBACK"));
    ps->head.in_read = 0;
}

static int pg_unavailable(const struct store *st)
{
    return PQstatus(((const struct pg_store *)(const void *)st)->conn) != CONNECTION_OK;
}

static int pg_in_transaction(const struct store *st)
{
    return ((const struct pg_store *)(const void *)st)->head.in_tx;
}

static fn_status pg_schema_version(struct store *st, int *version)
{
    struct pg_store *ps = pg_of(st);
    *version = 0;
    int64_t exists = 0, v = 0;
    /* The table is looked up first: a statement naming a missing table
     * cannot even be prepared. */
    fn_status rc =
        pg_one_int(ps, PG_STMT_SCHEMA_TABLE,
                   "SELECT (to_regclass('schema_version') IS NOT NULL)::int", NULL, &exists);
    if (!rc && exists)
        rc = pg_one_int(ps, PG_STMT_SCHEMA_VERSION,
                        "SELECT coalesce(max(version), 0) FROM schema_version", NULL, &v);
    if (!rc)
        *version = (int)v;
    return rc;
}

/* The advisory lock that serialises migrations of one database: two
 * servers starting at once migrate one after the other, and the second
 * finds nothing left to do. */
#define MIGRATE_LOCK "SELECT pg_advisory_xact_lock(7365470112)"

static fn_status pg_migrate(struct store *st)
{
    struct pg_store *ps = pg_of(st);
    fn_status rc = pg_begin(st);
    if (rc)
        return rc;
    /* The lock, the version check and every version's DDL in one
     * transaction: a server killed half-way leaves the old version. */
    rc = pg_exec(ps, MIGRATE_LOCK);
    if (!rc)
        rc = pg_exec(ps, "CREATE TABLE IF NOT EXISTS schema_version ("
                         " version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)");
    int version = 0;
    if (!rc)
        rc = pg_schema_version(st, &version);
    if (!rc && version > STORE_SCHEMA_VERSION) {
        snprintf(ps->head.errmsg, sizeof ps->head.errmsg,
                 "Datenbank hat Schemaversion %d, dieses Programm kennt nur bis %d", version,
                 STORE_SCHEMA_VERSION);
        rc = FN_UNSUPPORTED;
    }
    for (int v = version + 1; !rc && v <= STORE_SCHEMA_VERSION; v++) {
        const char *ddl = store_schema_sql_for(STORE_DIALECT_PG, v);
        rc = ddl ? pg_exec(ps, ddl) : FN_NOMEM;
        if (rc)
            break;
        char sql[200];
        snprintf(sql, sizeof sql,
                 "INSERT INTO schema_version VALUES (%d,"
                 " to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
                 v);
        rc = pg_exec(ps, sql);
    }
    if (rc) {
        pg_rollback(st);
        return rc;
    }
    return pg_commit(st);
}

const struct store_backend store_pg_backend = {
    .name = "postgresql",
    .close = pg_close,
    .errmsg = pg_errmsg,
    .migrate = pg_migrate,
    .schema_version = pg_schema_version,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .read_begin = pg_read_begin,
    .read_end = pg_read_end,
    .region_insert = pg_region_insert,
    .org_insert = pg_org_insert,
    .org_find = pg_org_find,
    .org_get = pg_org_get,
    .org_each = pg_org_each,
    .user_insert = pg_user_insert,
    .user_find = pg_user_find,
    .user_get = pg_user_get,
    .user_password_hash = pg_user_password_hash,
    .user_set_password = pg_user_set_password,
    .user_set_active = pg_user_set_active,
    .user_each = pg_user_each,
    .token_insert = pg_token_insert,
    .token_find = pg_token_find,
    .token_revoke = pg_token_revoke,
    .token_each = pg_token_each,
    .session_insert = pg_session_insert,
    .session_find = pg_session_find,
    .session_touch = pg_session_touch,
    .session_end = pg_session_end,
    .session_end_user = pg_session_end_user,
    .session_prune = pg_session_prune,
    .person_row_insert = pg_person_row_insert,
    .person_row_delete = pg_person_row_delete,
    .person_get = pg_person_get,
    .person_find = pg_person_find,
    .person_count = pg_person_count,
    .person_list = pg_person_list,
    .person_each = pg_person_each,
    .person_files_range = pg_person_files_range,
    .person_row_get = pg_person_row_get,
    .person_row_update = pg_person_row_update,
    .person_authority = pg_person_authority,
    .org_region_each = pg_org_region_each,
    .max_person_id = pg_max_person_id,
    .fact_person = pg_fact_person,
    .fact_write = pg_fact_write,
    .fact_delete_row = pg_fact_delete_row,
    .fact_stamp = pg_fact_stamp,
    .fact_retire = pg_fact_retire,
    .fact_history = pg_fact_history,
    .case_get = pg_case_get,
    .assessment_row_insert = pg_assessment_row_insert,
    .assessment_person = pg_assessment_person,
    .decision_row_insert = pg_decision_row_insert,
    .assessment_latest_digest = pg_assessment_latest_digest,
    .assessment_due_take = pg_assessment_due_take,
    .decisions_each = pg_decisions_each,
    .eval_each = pg_eval_each,
    .assessment_hash = pg_assessment_hash,
    .catalogue_row_insert = pg_catalogue_row_insert,
    .catalogue_approval_insert = pg_catalogue_approval_insert,
    .catalogue_row_get = pg_catalogue_row_get,
    .catalogue_active_hash = pg_catalogue_active_hash,
    .catalogue_rows_each = pg_catalogue_rows_each,
    .import_stage_open = pg_import_stage_open,
    .import_stage_person = pg_import_stage_person,
    .import_stage_prefetch = pg_import_stage_prefetch,
    .import_stage_batch = pg_import_stage_batch,
    .import_stage_publish = pg_import_stage_publish,
    .import_stage_close = pg_import_stage_close,
    .audit_rows_prune = pg_audit_rows_prune,
    .audit_head = pg_audit_head,
    .audit_checkpoint = pg_audit_checkpoint,
    .audit_row_insert = pg_audit_row_insert,
    .audit_rows_each = pg_audit_rows_each,
    .audit_rows_since = pg_audit_rows_since,
    .audit_spool_id_known = pg_audit_spool_id_known,
    .in_transaction = pg_in_transaction,
    .backup_to = NULL, /* pg_dump and base backups (docs/operations.md) */
    .table_each = pg_table_each,
    .table_write_begin = pg_table_write_begin,
    .table_write_row = pg_table_write_row,
    .table_write_end = pg_table_write_end,
    .unavailable = pg_unavailable,
};
