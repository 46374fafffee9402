/* store.c – SQLite store: connection, migrations, transactions, helpers. */
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/utf8.h"
#include "store/store_int.h"

static const char *const stmt_sql[STMT_COUNT] = {
    [STMT_PERSON_INSERT] =
        "INSERT INTO person (record_id, azr_nr, family_name, given_names, birth_name, sex,"
        " birth_date, birth_place, birth_country, nationalities, identity, identity_basis,"
        " residence, residence_since, address_street, address_postcode, address_municipality,"
        " authority_id, authority_code, updated_at)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)",
    [STMT_ALIAS_INSERT] = "INSERT INTO person_alias (person_id, family_name, given_names,"
                          " birth_date) VALUES (?1,?2,?3,?4)",
    [STMT_DOCUMENT_INSERT] = "INSERT INTO travel_document (person_id, kind, number,"
                             " issuing_state, valid_until, verified) VALUES (?1,?2,?3,?4,?5,?6)",
    [STMT_PERSON_GET] =
        "SELECT id, record_id, azr_nr, family_name, given_names, birth_name, sex, birth_date,"
        " birth_place, birth_country, nationalities, identity, identity_basis, residence,"
        " residence_since, address_street, address_postcode, address_municipality,"
        " authority_id, authority_code, updated_at, fact_mask, version FROM person WHERE id = ?1",
    [STMT_ALIAS_GET] = "SELECT family_name, given_names, birth_date FROM person_alias"
                       " WHERE person_id = ?1 ORDER BY id",
    [STMT_DOCUMENT_GET] = "SELECT kind, number, issuing_state, valid_until, verified"
                          " FROM travel_document WHERE person_id = ?1 AND retired_at IS NULL"
                          " ORDER BY id",
    [STMT_RESIDENCE_GET] =
        "SELECT id, status, since, until, legal_basis, enforceable_since,"
        " departure_deadline FROM residence_status WHERE person_id = ?1 AND retired_at IS NULL"
        " ORDER BY since, id",
    [STMT_PROCEEDING_GET] =
        "SELECT id, kind, file_number, authority_id, offences, offence_date, decision_date,"
        " sentence, sentence_months, suspended, intentional, final_date, consent"
        " FROM proceeding WHERE person_id = ?1 AND retired_at IS NULL"
        " ORDER BY decision_date, id",
    [STMT_CUSTODY_GET] = "SELECT id, prison_id, kind, start, planned_release, released,"
                         " decision_456a, decision_456a_date, transferred_from FROM custody"
                         " WHERE person_id = ?1 AND retired_at IS NULL ORDER BY start, id",
    [STMT_OBSTACLE_GET] = "SELECT id, kind, since, until, note FROM legal_obstacle"
                          " WHERE person_id = ?1 AND retired_at IS NULL ORDER BY since, id",
    [STMT_FINDING_GET] = "SELECT id, kind, established_by, date, reference, note FROM finding"
                         " WHERE person_id = ?1 AND retired_at IS NULL ORDER BY date, id",
    [STMT_CASE_GET] = "SELECT id, authority_id, region_id, status, tags, opened, closed"
                      " FROM case_file WHERE person_id = ?1 ORDER BY id",
    [STMT_PERSON_FIND] = "SELECT id, coalesce(authority_id, 0) FROM person WHERE record_id = ?1",
    [STMT_AUDIT_HEAD] = "SELECT seq, hash FROM audit_head WHERE one = 1",
    [STMT_AUDIT_INSERT] =
        "INSERT INTO audit_log (seq, at, login, user_id, org_id, kind, entity, record_ids,"
        " purpose, recipient, details, prev_hash, hash, spool_id, hash_version)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)",
    [STMT_AUDIT_HEAD_UPDATE] = "UPDATE audit_head SET seq = ?1, hash = ?2 WHERE one = 1",
    [STMT_SESSION_FIND] =
        "SELECT s.id, s.user_id, s.roles, s.org_id, s.idle_s, s.created_at, s.last_seen,"
        " s.expires_at, coalesce(s.ended_at, 0), u.login, u.roles, u.org_id, u.active"
        " FROM web_session s JOIN app_user u ON u.id = s.user_id WHERE s.digest = ?1",
    [STMT_SESSION_TOUCH] = "UPDATE web_session SET last_seen = ?2 WHERE id = ?1 AND last_seen < ?2",
};

fn_status store_db_error(struct store *st, int sqlite_rc)
{
    fn_utf8_copy(st->errmsg, sizeof st->errmsg, st->db ? sqlite3_errmsg(st->db) : "no database");
    switch (sqlite_rc & 0xff) {
    case SQLITE_CONSTRAINT:
        return FN_CONFLICT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return FN_BUSY;
    case SQLITE_NOMEM:
        return FN_NOMEM;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return FN_CORRUPT;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
        return FN_IO;
    default:
        return FN_DB;
    }
}

const char *sqlite_errmsg(const struct store *st)
{
    return st->errmsg;
}

fn_status store_exec(struct store *st, const char *sql)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? FN_OK : store_db_error(st, rc);
}

fn_status store_prepare(struct store *st, const char *sql, sqlite3_stmt **out)
{
    int rc = sqlite3_prepare_v2(st->db, sql, -1, out, NULL);
    return rc == SQLITE_OK ? FN_OK : store_db_error(st, rc);
}

fn_status store_stmt(struct store *st, enum store_stmt_id id, sqlite3_stmt **out)
{
    if (!st->stmts[id]) {
        int rc = sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                    &st->stmts[id], NULL);
        if (rc != SQLITE_OK)
            return store_db_error(st, rc);
    }
    sqlite3_reset(st->stmts[id]);
    sqlite3_clear_bindings(st->stmts[id]);
    *out = st->stmts[id];
    return FN_OK;
}

int store_bind_text(sqlite3_stmt *s, int idx, const char *v)
{
    if (!v || !v[0])
        return sqlite3_bind_null(s, idx);
    return sqlite3_bind_text(s, idx, v, -1, SQLITE_STATIC);
}

int store_bind_date(sqlite3_stmt *s, int idx, const struct fn_pdate *d)
{
    if (!d->year)
        return sqlite3_bind_null(s, idx);
    char buf[11];
    fn_pdate_format(d, buf);
    return sqlite3_bind_text(s, idx, buf, -1, SQLITE_TRANSIENT);
}

int store_bind_id(sqlite3_stmt *s, int idx, int64_t id)
{
    return id ? sqlite3_bind_int64(s, idx, id) : sqlite3_bind_null(s, idx);
}

void store_scope_bind(sqlite3_stmt *s, int first, const struct store_scope *sc)
{
    sqlite3_bind_int(s, first, sc->all ? 1 : 0);
    sqlite3_bind_int64(s, first + 1, sc->org_id);
    sqlite3_bind_int64(s, first + 2, sc->region_id);
}

fn_status store_col_text(sqlite3_stmt *s, int col, char **out)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    *out = NULL;
    if (!t)
        return FN_OK;
    *out = fn_strdup((const char *)t);
    return *out ? FN_OK : FN_NOMEM;
}

void store_col_date(sqlite3_stmt *s, int col, struct fn_pdate *out)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    memset(out, 0, sizeof *out);
    if (t && fn_pdate_parse((const char *)t, strlen((const char *)t), out) != FN_OK)
        memset(out, 0, sizeof *out); /* stored dates are validated on the way in */
}

fn_status store_check_actor(const struct store_actor *a)
{
    if (!a || !a->login || !a->login[0] || !a->purpose || !a->purpose[0])
        return FN_DENIED;
    return FN_OK;
}

/* Process-wide SQLite settings, before the library initialises: no memory
 * statistics (they take a global mutex on every allocation). */
static void sqlite_global_init(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

fn_status sqlite_open(const char *path, unsigned flags, struct store **out)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_global_init);
    fn_status rc = FN_NOMEM;
    *out = NULL;
    struct store *st = fn_calloc(1, sizeof *st);
    if (!st)
        goto out;
    st->ops = &store_sqlite_backend;
    st->path = fn_strdup(path);
    if (!st->path)
        goto out;
    int oflags = (flags & STORE_OPEN_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (flags & STORE_OPEN_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    oflags |= SQLITE_OPEN_NOMUTEX; /* one thread per handle */
    int src = sqlite3_open_v2(path, &st->db, oflags, NULL);
    if (src != SQLITE_OK) {
        rc = src == SQLITE_CANTOPEN ? FN_NOTFOUND : store_db_error(st, src);
        goto out;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
    /* No mmap: with every audited read appending rows, mapped files are
     * re-mapped and page-faulted constantly (measured: half the throughput
     * with two threads). A 32 MiB page cache per connection instead. */
    rc = store_exec(st, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
                        " PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 0;"
                        " PRAGMA cache_size = -32768;");
    if (rc)
        goto out;
    if (!(flags & STORE_OPEN_READONLY)) {
        /* A WAL that a large transaction (an import's publish step) grew
         * is cut back to 64 MiB once it has been checkpointed. */
        rc = store_exec(st, "PRAGMA journal_mode = WAL; PRAGMA journal_size_limit = 67108864;");
        if (rc)
            goto out;
        if (!(flags & STORE_OPEN_NO_SPOOL))
            store_import_stage_cleanup(path);
        /* Grow the file in 64 MiB steps: every audited read appends rows, and
         * without chunks each checkpoint would change the file size and make
         * every connection re-map it. */
        int chunk = 64 * 1024 * 1024;
        sqlite3_file_control(st->db, "main", SQLITE_FCNTL_CHUNK_SIZE, &chunk);
    }
    /* the read spool: store_open attaches it (spool.h) */
    *out = st;
    st = NULL;
out:
    sqlite_close(st);
    return rc;
}

void sqlite_close(struct store *st)
{
    if (!st)
        return;
    if (st->in_tx)
        sqlite_rollback(st);
    sqlite_read_end(st);
    for (int i = 0; i < STMT_COUNT; i++)
        sqlite3_finalize(st->stmts[i]);
    store_scope_cache_free(st->scope_cache);
    if (st->db)
        sqlite3_close_v2(st->db);
    fn_free(st->path);
    fn_free(st);
}

fn_status sqlite_schema_version(struct store *st, int *version)
{
    sqlite3_stmt *s = NULL;
    *version = 0;
    fn_status rc = store_prepare(st,
                                 "SELECT name FROM sqlite_master WHERE type = 'table'"
                                 " AND name = 'schema_version'",
                                 &s);
    if (rc)
        return rc;
    int exists = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    if (!exists)
        return FN_OK;
    rc = store_prepare(st, "SELECT max(version) FROM schema_version", &s);
    if (rc)
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW)
        *version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return FN_OK;
}

fn_status sqlite_migrate(struct store *st)
{
    int version = 0;
    fn_status rc = sqlite_schema_version(st, &version);
    if (rc)
        return rc;
    if (version > STORE_SCHEMA_VERSION) {
        snprintf(st->errmsg, sizeof st->errmsg,
                 "Datenbank hat Schemaversion %d, dieses Programm kennt nur bis %d", version,
                 STORE_SCHEMA_VERSION);
        return FN_UNSUPPORTED;
    }
    if (version == STORE_SCHEMA_VERSION)
        return FN_OK;
    rc = sqlite_begin(st);
    if (rc)
        return rc;
    rc = store_exec(st, "CREATE TABLE IF NOT EXISTS schema_version ("
                        " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT");
    for (int v = version + 1; !rc && v <= STORE_SCHEMA_VERSION; v++) {
        const char *ddl = store_schema_sql(v);
        rc = ddl ? store_exec(st, ddl) : FN_NOMEM;
        if (rc)
            break;
        char sql[160];
        snprintf(sql, sizeof sql,
                 "INSERT INTO schema_version VALUES (%d, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ'))", v);
        rc = store_exec(st, sql);
    }
    if (rc) {
        sqlite_rollback(st);
        return rc;
    }
    return sqlite_commit(st);
}

fn_status sqlite_begin(struct store *st)
{
    if (st->in_tx || st->in_read)
        return FN_INVALID;
    fn_status rc = store_exec(st, "BEGIN IMMEDIATE");
    if (!rc)
        st->in_tx = 1;
    return rc;
}

fn_status sqlite_commit(struct store *st)
{
    if (!st->in_tx)
        return FN_INVALID;
    fn_status rc = store_exec(st, "COMMIT");
    if (rc) {
        sqlite_rollback(st);
        return rc;
    }
    st->in_tx = 0;
    return FN_OK;
}

void sqlite_rollback(struct store *st)
{
    if (!st->in_tx)
        return;
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_tx = 0;
}

fn_status sqlite_read_begin(struct store *st)
{
    if (st->in_tx || st->in_read)
        return FN_INVALID;
    /* Under WAL a deferred transaction pins the snapshot at its first read
     * and keeps it until COMMIT, while writers go on appending. */
    fn_status rc = store_exec(st, "BEGIN DEFERRED");
    if (!rc)
        st->in_read = 1;
    return rc;
}

void sqlite_read_end(struct store *st)
{
    if (!st->in_read)
        return;
    /* Nothing was written: ending the read cannot fail in a way that
     * matters, and ROLLBACK releases the snapshot just as well. */
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_read = 0;
}

const struct store_backend store_sqlite_backend = {
    .name = "sqlite",
    .close = sqlite_close,
    .errmsg = sqlite_errmsg,
    .migrate = sqlite_migrate,
    .schema_version = sqlite_schema_version,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .read_begin = sqlite_read_begin,
    .read_end = sqlite_read_end,
    .region_insert = sqlite_region_insert,
    .org_insert = sqlite_org_insert,
    .org_find = sqlite_org_find,
    .org_get = sqlite_org_get,
    .org_each = sqlite_org_each,
    .user_insert = sqlite_user_insert,
    .user_find = sqlite_user_find,
    .user_get = sqlite_user_get,
    .user_password_hash = sqlite_user_password_hash,
    .user_set_password = sqlite_user_set_password,
    .user_set_active = sqlite_user_set_active,
    .user_each = sqlite_user_each,
    .token_insert = sqlite_token_insert,
    .token_find = sqlite_token_find,
    .token_revoke = sqlite_token_revoke,
    .token_each = sqlite_token_each,
    .session_insert = sqlite_session_insert,
    .session_find = sqlite_session_find,
    .session_touch = sqlite_session_touch,
    .session_end = sqlite_session_end,
    .session_end_user = sqlite_session_end_user,
    .session_prune = sqlite_session_prune,
    .person_row_insert = sqlite_person_row_insert,
    .person_row_delete = sqlite_person_row_delete,
    .person_get = sqlite_person_get,
    .person_find = sqlite_person_find,
    .person_count = sqlite_person_count,
    .person_list = sqlite_person_list,
    .person_each = sqlite_person_each,
    .person_files_range = sqlite_person_files_range,
    .person_row_get = sqlite_person_row_get,
    .person_row_update = sqlite_person_row_update,
    .person_authority = sqlite_person_authority,
    .org_region_each = sqlite_org_region_each,
    .max_person_id = sqlite_max_person_id,
    .fact_person = sqlite_fact_person,
    .fact_write = sqlite_fact_write,
    .fact_delete_row = sqlite_fact_delete_row,
    .fact_stamp = sqlite_fact_stamp,
    .fact_retire = sqlite_fact_retire,
    .fact_history = sqlite_fact_history,
    .case_get = sqlite_case_get,
    .assessment_row_insert = sqlite_assessment_row_insert,
    .assessment_person = sqlite_assessment_person,
    .decision_row_insert = sqlite_decision_row_insert,
    .decisions_each = sqlite_decisions_each,
    .eval_each = sqlite_eval_each,
    .assessment_hash = sqlite_assessment_hash,
    .catalogue_row_insert = sqlite_catalogue_row_insert,
    .catalogue_approval_insert = sqlite_catalogue_approval_insert,
    .catalogue_row_get = sqlite_catalogue_row_get,
    .catalogue_active_hash = sqlite_catalogue_active_hash,
    .catalogue_rows_each = sqlite_catalogue_rows_each,
    .assessment_due_take = sqlite_assessment_due_take,
    .assessment_latest_digest = sqlite_assessment_latest_digest,
    .import_stage_open = sqlite_import_stage_open,
    .import_stage_person = sqlite_import_stage_person,
    .import_stage_batch = sqlite_import_stage_batch,
    .import_stage_publish = sqlite_import_stage_publish,
    .import_stage_close = sqlite_import_stage_close,
    .audit_rows_prune = sqlite_audit_rows_prune,
    .audit_head = sqlite_audit_head,
    .audit_checkpoint = sqlite_audit_checkpoint,
    .audit_row_insert = sqlite_audit_row_insert,
    .audit_rows_each = sqlite_audit_rows_each,
    .audit_rows_since = sqlite_audit_rows_since,
    .audit_spool_id_known = sqlite_audit_spool_id_known,
    .in_transaction = sqlite_in_transaction,
    .backup_to = sqlite_backup_to,
    .table_each = sqlite_table_each,
    .table_write_begin = sqlite_table_write_begin,
    .table_write_row = sqlite_table_write_row,
    .table_write_end = sqlite_table_write_end,
};
