/*
 * decisions.c – SQLite backend: the rows of assessments and of the decisions
 * people make on them (schema version 5; both tables append-only). Scope
 * and audit around the inserts: policy_decisions.c; around the read of
 * decisions: policy_read.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "store/backend.h"
#include "store/eval_sql.h"
#include "store/store_int.h"

static void now_utc(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

fn_status sqlite_assessment_row_insert(struct store *st, struct store_assessment *as)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st,
                                 "INSERT INTO assessment (person_id, at, catalog_version,"
                                 " catalog_hash, blocked, band, points, feasibility, trace, digest)"
                                 " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                                 &s);
    if (rc)
        return rc;
    char at[32], band[2] = {as->band, '\0'};
    now_utc(at);
    sqlite3_bind_int64(s, 1, as->person_id);
    sqlite3_bind_text(s, 2, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, as->catalog_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, as->catalog_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, as->blocked ? 1 : 0);
    sqlite3_bind_text(s, 6, band, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 7, as->points);
    sqlite3_bind_text(s, 8, as->feasibility, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 9, as->trace_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 10, as->digest ? as->digest : "", -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE)
        return store_db_error(st, src);
    as->id = sqlite3_last_insert_rowid(st->db);
    return FN_OK;
}

fn_status sqlite_assessment_person(struct store *st, int64_t assessment_id, int64_t *person_id)
{
    sqlite3_stmt *s = NULL;
    *person_id = 0;
    fn_status rc = store_prepare(st, "SELECT person_id FROM assessment WHERE id = ?1", &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, assessment_id);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW)
        *person_id = sqlite3_column_int64(s, 0);
    else
        rc = src == SQLITE_DONE ? FN_NOTFOUND : store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}

fn_status sqlite_decision_row_insert(struct store *st, const char *login, struct store_decision *d)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(st,
                                 "INSERT INTO decision (person_id, assessment_id, at, login,"
                                 " second_login, outcome, reason, override_kind, catalog_hash)"
                                 " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                                 &s);
    if (rc)
        return rc;
    char at[32];
    now_utc(at);
    sqlite3_bind_int64(s, 1, d->person_id);
    sqlite3_bind_int64(s, 2, d->assessment_id);
    sqlite3_bind_text(s, 3, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, login, -1, SQLITE_STATIC);
    store_bind_text(s, 5, d->second_login);
    sqlite3_bind_text(s, 6, d->accept ? "aufnehmen" : "ablehnen", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, d->reason, -1, SQLITE_STATIC);
    store_bind_text(s, 8, d->override_kind);
    sqlite3_bind_text(s, 9, d->catalog_hash, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE)
        return store_db_error(st, src);
    d->id = sqlite3_last_insert_rowid(st->db);
    return FN_OK;
}

static const char *col_or_null(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

fn_status sqlite_decisions_each(struct store *st, const struct store_scope *sc,
                                store_decision_fn fn, void *ctx)
{
    sqlite3_stmt *s = NULL;
    fn_status rc =
        store_prepare(st,
                      "SELECT d.id, d.person_id, d.outcome, d.override_kind, d.reason,"
                      " a.blocked, a.band, a.points, a.catalog_version, p.sex,"
                      " substr(p.birth_date, 1, 4), p.nationalities"
                      " FROM decision d JOIN assessment a ON a.id = d.assessment_id"
                      " JOIN person p ON p.id = d.person_id"
                      " WHERE " STORE_SCOPE_SQL("p.authority_id", "1", "2", "3") " ORDER BY d.id",
                      &s);
    if (rc)
        return rc;
    store_scope_bind(s, 1, sc);
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        const char *band = col_or_null(s, 6);
        const char *nat = col_or_null(s, 11);
        char first_nat[8] = "";
        if (nat)
            snprintf(first_nat, sizeof first_nat, "%.*s",
                     (int)fn_utf8_truncate(nat, strlen(nat), 3), nat);
        const char *year = col_or_null(s, 10);
        struct store_decision_row row = {
            .decision_id = sqlite3_column_int64(s, 0),
            .person_id = sqlite3_column_int64(s, 1),
            .accepted = strcmp(col_or_null(s, 2) ? col_or_null(s, 2) : "", "aufnehmen") == 0,
            .override_kind = col_or_null(s, 3),
            .reason = col_or_null(s, 4),
            .blocked = sqlite3_column_int(s, 5),
            .band = band ? band[0] : 'C',
            .points = sqlite3_column_int(s, 7),
            .catalog_version = col_or_null(s, 8),
            .sex = col_or_null(s, 9),
            .birth_year = year ? (int)strtol(year, NULL, 10) : 0,
            .nationality = first_nat[0] ? first_nat : NULL};
        rc = fn(ctx, &row);
        if (rc)
            break;
    }
    if (!rc && src != SQLITE_DONE)
        rc = store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}

fn_status sqlite_assessment_latest_digest(struct store *st, int64_t person_id, char out[65])
{
    return store_lookup_hash(
        st, "SELECT digest FROM assessment WHERE person_id = ?1 ORDER BY id DESC LIMIT 1",
        person_id, out);
}

fn_status sqlite_assessment_due_take(struct store *st, int64_t *ids, size_t max, size_t *n)
{
    *n = 0;
    sqlite3_stmt *s = NULL;
    fn_status rc = store_begin(st);
    if (rc)
        return rc;
    rc = store_prepare(st, "SELECT person_id FROM assessment_due ORDER BY person_id LIMIT ?1", &s);
    if (!rc) {
        sqlite3_bind_int64(s, 1, (sqlite3_int64)max);
        int src;
        while ((src = sqlite3_step(s)) == SQLITE_ROW)
            ids[(*n)++] = sqlite3_column_int64(s, 0);
        if (src != SQLITE_DONE)
            rc = store_db_error(st, src);
        sqlite3_finalize(s);
    }
    if (!rc && *n) {
        rc = store_prepare(st, "DELETE FROM assessment_due WHERE person_id <= ?1", &s);
        if (!rc) {
            sqlite3_bind_int64(s, 1, ids[*n - 1]);
            int src = sqlite3_step(s);
            if (src != SQLITE_DONE)
                rc = store_db_error(st, src);
            sqlite3_finalize(s);
        }
    }
    if (rc) {
        store_rollback(st);
        *n = 0;
        return rc;
    }
    return store_commit(st);
}

/* Binds the evaluation's common parameters: scope 1..3, then region_id at
 * region_at (eval_sql.h). */
static void eval_bind(sqlite3_stmt *s, const struct store_scope *sc, int64_t region_id,
                      int region_at)
{
    store_scope_bind(s, 1, sc);
    sqlite3_bind_int64(s, region_at, region_id);
}

/* Steps through s, calling row for each result row; stops at its first
 * non-OK return. Finalizes s. */
static fn_status eval_steps(struct store *st, sqlite3_stmt *s,
                            fn_status (*row)(sqlite3_stmt *s, const struct eval_sink *k),
                            const struct eval_sink *k)
{
    fn_status rc = FN_OK;
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        rc = row(s, k);
        if (rc)
            break;
    }
    if (!rc && src != SQLITE_DONE)
        rc = store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}

static fn_status eval_decision_row(sqlite3_stmt *s, const struct eval_sink *k)
{
    const char *band = col_or_null(s, 3), *outcome = col_or_null(s, 4);
    struct store_eval_decision d = {.catalog_hash = col_or_null(s, 0),
                                    .catalog_version = col_or_null(s, 1),
                                    .blocked = sqlite3_column_int(s, 2),
                                    .band = band ? band[0] : 'C',
                                    .accepted = outcome && strcmp(outcome, "aufnehmen") == 0,
                                    .override_kind = col_or_null(s, 5),
                                    .earlier = sqlite3_column_int64(s, 6),
                                    .region = col_or_null(s, 7),
                                    .authority = col_or_null(s, 8),
                                    .sex = col_or_null(s, 9),
                                    .birth_year = col_or_null(s, 10),
                                    .nationality = col_or_null(s, 11)};
    return k->dfn(k->ctx, &d);
}

static fn_status eval_person_row(sqlite3_stmt *s, const struct eval_sink *k)
{
    const char *band = col_or_null(s, 3);
    struct store_eval_person p = {.catalog_hash = col_or_null(s, 0),
                                  .catalog_version = col_or_null(s, 1),
                                  .blocked = sqlite3_column_int(s, 2),
                                  .band = band ? band[0] : 0,
                                  .trace = col_or_null(s, 4),
                                  .region = col_or_null(s, 5),
                                  .authority = col_or_null(s, 6),
                                  .sex = col_or_null(s, 7),
                                  .birth_year = col_or_null(s, 8),
                                  .nationality = col_or_null(s, 9),
                                  .case_outcome = sqlite3_column_int(s, 10),
                                  .deportation_custody = sqlite3_column_int(s, 11) > 0};
    return k->pfn(k->ctx, &p);
}

fn_status sqlite_eval_each(struct store *st, const struct store_scope *sc, const char *from_at,
                           const char *to_at, int64_t region_id, store_eval_decision_fn dfn,
                           store_eval_person_fn pfn, void *ctx)
{
    const struct eval_sink k = {.dfn = dfn, .pfn = pfn, .ctx = ctx};
    sqlite3_stmt *s = NULL;
    fn_status rc = store_prepare(
        st, EVAL_SQL_DECISIONS("?", STORE_SCOPE_SQL("p.authority_id", "1", "2", "3")), &s);
    if (rc)
        return rc;
    eval_bind(s, sc, region_id, 6);
    sqlite3_bind_text(s, 4, from_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, to_at, -1, SQLITE_STATIC);
    rc = eval_steps(st, s, eval_decision_row, &k);
    if (rc)
        return rc;
    rc = store_prepare(
        st, EVAL_SQL_POPULATION("?", STORE_SCOPE_SQL("p.authority_id", "1", "2", "3")), &s);
    if (rc)
        return rc;
    eval_bind(s, sc, region_id, 5);
    sqlite3_bind_text(s, 4, to_at, -1, SQLITE_STATIC);
    return eval_steps(st, s, eval_person_row, &k);
}
