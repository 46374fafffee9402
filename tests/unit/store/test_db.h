/*
 * test_db.h – a fresh, empty database for a backend-neutral store test, on
 * the backend the environment names: FALLNETZ_TEST_BACKEND=postgresql
 * (with FALLNETZ_TEST_PG_URL, the server scripts/check.sh starts) gives a
 * new PostgreSQL database of a random name, dropped again by test_db_drop;
 * anything else a SQLite file in a new temporary folder. meson registers
 * the neutral tests twice, the second time in suite 'pg' with the backend
 * set. A test of SQLite's files only (VFS faults, tampering with the file)
 * calls test_db_sqlite_only first: under PostgreSQL it is skipped with a
 * message saying so.
 */
#ifndef FN_TEST_DB_H
#define FN_TEST_DB_H

#include "../test_util.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <time.h>

struct test_db {
    char dir[64];        /* temporary folder (SQLite file, spool files) */
    char path[640];      /* what store_open gets: file or URL */
    char admin_url[512]; /* PostgreSQL: the cluster's URL */
    char pg_name[40];    /* PostgreSQL: this test's database */
};

/* 1 when the tests run against PostgreSQL. */
static inline int test_db_is_pg(void)
{
    const char *b = getenv("FALLNETZ_TEST_BACKEND");
    return b && strcmp(b, "postgresql") == 0;
}

/* For main(): 1 (after saying so) when the tests are to run against
 * PostgreSQL but no server is given; main returns 77, meson's "skipped". */
static inline int test_db_unavailable(void)
{
    const char *url = getenv("FALLNETZ_TEST_PG_URL");
    if (!test_db_is_pg() || (url && url[0]))
        return 0;
    fprintf(stderr, "skipped: no PostgreSQL (FALLNETZ_TEST_PG_URL unset)\n");
    return 1;
}

/* Skips the calling test under PostgreSQL, saying why. */
#define test_db_sqlite_only(what)                                                                  \
    do {                                                                                           \
        if (test_db_is_pg()) {                                                                     \
            print_message("[  SKIP    ] SQLite only: %s\n", what);                                 \
            skip();                                                                                \
        }                                                                                          \
    } while (0)

/* Runs sql on the cluster's admin connection; fails the test on error. */
static inline void test_db_admin(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("admin connection: %s", PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

/* Prepares a fresh database in d (d->path for store_open with
 * STORE_OPEN_CREATE); skips the test under PostgreSQL without a server. */
static inline void test_db_fresh(struct test_db *d)
{
    memset(d, 0, sizeof *d);
    test_tmpdir(d->dir, sizeof d->dir);
    if (!test_db_is_pg()) {
        snprintf(d->path, sizeof d->path, "%s/s.db", d->dir);
        return;
    }
    const char *url = getenv("FALLNETZ_TEST_PG_URL");
    if (!url || !url[0]) {
        test_rmtree(d->dir);
        print_message("[  SKIP    ] no PostgreSQL (FALLNETZ_TEST_PG_URL unset)\n");
        skip();
    }
    /* the read spool of a URL-named database lies here (spool.h) */
    setenv("FALLNETZ_SPOOL_DIR", d->dir, 1);
    snprintf(d->admin_url, sizeof d->admin_url, "%s", url);
    static unsigned counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(d->pg_name, sizeof d->pg_name, "fn_t_%d_%u_%ld", (int)getpid(), ++counter,
             (long)(ts.tv_nsec % 1000000));
    char sql[96];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", d->pg_name);
    test_db_admin(d->admin_url, sql);
    snprintf(d->path, sizeof d->path, "%s%sdbname=%s", url, strchr(url, '?') ? "&" : "?",
             d->pg_name);
}

/* Removes what test_db_fresh made (after the last store_close). */
static inline void test_db_drop(struct test_db *d)
{
    if (d->pg_name[0]) {
        char sql[96];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", d->pg_name);
        test_db_admin(d->admin_url, sql);
    }
    if (d->dir[0])
        test_rmtree(d->dir);
}

/* 1 when path names a PostgreSQL database. */
static inline int test_db_path_is_pg(const char *path)
{
    return strncmp(path, "postgres", 8) == 0;
}

/* Runs sql (no rows needed) on the database at path (file or URL) beside
 * the store; 1 when it succeeded. For what a test cannot do through the
 * store API: tampering from outside, a raw row, an account changed behind
 * the store's back. */
static inline int test_db_try(const char *path, const char *sql)
{
    if (test_db_path_is_pg(path)) {
        PGconn *c = PQconnectdb(path);
        PGresult *r = PQexec(c, sql);
        int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
        PQclear(r);
        PQfinish(c);
        return ok;
    }
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    int ok = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

/* test_db_try that fails the test on error. */
static inline void test_db_exec(const char *path, const char *sql)
{
    if (!test_db_try(path, sql))
        fail_msg("failed: %s", sql);
}

/* The integer in the first cell of sql's result on the database at path. */
static inline int64_t test_db_int(const char *path, const char *sql)
{
    int64_t v = 0;
    if (test_db_path_is_pg(path)) {
        PGconn *c = PQconnectdb(path);
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1)
            fail_msg("%s: %s", sql, PQerrorMessage(c));
        v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        PQfinish(c);
        return v;
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

/* A write lock held by another connection on d's database until
 * test_db_unlock: SQLite's database lock (BEGIN IMMEDIATE and a write), or
 * on PostgreSQL what pg_sql takes inside an open transaction. */
struct test_db_lock {
    sqlite3 *db;
    PGconn *pg;
};

static inline void test_db_lock(const struct test_db *d, struct test_db_lock *l, const char *pg_sql)
{
    memset(l, 0, sizeof *l);
    if (d->pg_name[0]) {
        l->pg = PQconnectdb(d->path);
        PGresult *r = PQexec(l->pg, "BEGIN");
        PQclear(r);
        r = PQexec(l->pg, pg_sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            fail_msg("%s: %s", pg_sql, PQerrorMessage(l->pg));
        PQclear(r);
        return;
    }
    assert_int_equal(sqlite3_open(d->path, &l->db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(l->db, "BEGIN IMMEDIATE; UPDATE web_session SET idle_s = idle_s",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
}

static inline void test_db_unlock(struct test_db_lock *l)
{
    if (l->pg) {
        PQclear(PQexec(l->pg, "ROLLBACK"));
        PQfinish(l->pg);
    }
    if (l->db) {
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(l->db);
    }
    memset(l, 0, sizeof *l);
}

#endif
