/*
 * Unit tests for the policy layer over a backend that is not SQLite: an
 * in-memory fake that only moves rows (struct store_head first, like every
 * backend's handle). The import's actor check, batches and audit rows, the
 * retention prune's checks, checkpoint and audit row, and the read spool
 * (its place for a URL-named database, spooling and chaining) must work
 * through the vtable alone.
 */
#include "../test_util.h"

#include <sys/stat.h>
#include <time.h>

#include "auth/role.h"
#include "core/alloc.h"
#include "store/backend.h"
#include "store/chain.h"
#include "store/spool.h"
#include "store/store.h"

void audit_test_clock(const char *iso); /* store_int.h, which is SQLite's */

#define FAKE_ROWS    64
#define FAKE_PERSONS 4096

/* An audit row as the fake stores it: each column as text or NULL. */
struct fake_row {
    char *v[COL_ALL];
};

/* The state a transaction restores on rollback. */
struct fake_state {
    size_t first, n; /* rows[first..n) are the stored trail */
    int64_t head_seq, cp_seq;
    char head_hash[CHAIN_HASH_HEX], cp_hash[CHAIN_HASH_HEX];
    size_t n_persons;
};

struct fake {
    struct store_head head; /* first, as every backend's handle */
    struct fake_row rows[FAKE_ROWS];
    struct fake_state s, saved;
    char *persons[FAKE_PERSONS]; /* stored record_ids; id = index + 1 */
    size_t rows_read;            /* rows handed out by audit_rows_each */
    size_t batches[FAKE_PERSONS];
    size_t n_batches;
    int stages_open, closed_published, fail_publish;
};

struct store_import_stage {
    struct fake *f;
    char *ids[FAKE_PERSONS];
    size_t n, in_batch;
};

static struct fake *fake_of(struct store *st)
{
    return (struct fake *)(void *)st;
}

static fn_status fake_begin(struct store *st)
{
    struct fake *f = fake_of(st);
    if (f->head.in_tx || f->head.in_read)
        return FN_INVALID;
    f->saved = f->s;
    f->head.in_tx = 1;
    return FN_OK;
}

static fn_status fake_commit(struct store *st)
{
    struct fake *f = fake_of(st);
    if (!f->head.in_tx)
        return FN_INVALID;
    f->head.in_tx = 0;
    return FN_OK;
}

static void fake_rollback(struct store *st)
{
    struct fake *f = fake_of(st);
    if (!f->head.in_tx)
        return;
    for (size_t i = f->saved.n; i < f->s.n; i++)
        for (int c = 0; c < COL_ALL; c++) {
            fn_free(f->rows[i].v[c]);
            f->rows[i].v[c] = NULL;
        }
    for (size_t i = f->saved.n_persons; i < f->s.n_persons; i++) {
        fn_free(f->persons[i]);
        f->persons[i] = NULL;
    }
    f->s = f->saved;
    f->head.in_tx = 0;
}

static int fake_in_transaction(const struct store *st)
{
    return ((const struct store_head *)(const void *)st)->in_tx;
}

static fn_status fake_read_begin(struct store *st)
{
    struct fake *f = fake_of(st);
    if (f->head.in_tx || f->head.in_read)
        return FN_INVALID;
    f->head.in_read = 1;
    return FN_OK;
}

static void fake_read_end(struct store *st)
{
    fake_of(st)->head.in_read = 0;
}

static const char *fake_errmsg(const struct store *st)
{
    return ((const struct store_head *)(const void *)st)->errmsg;
}

static fn_status fake_audit_head(struct store *st, int64_t *seq, char hash[65])
{
    struct fake *f = fake_of(st);
    *seq = f->s.head_seq;
    snprintf(hash, CHAIN_HASH_HEX, "%s", f->s.head_hash);
    return FN_OK;
}

static fn_status fake_audit_checkpoint(struct store *st, int64_t *seq, char hash[65])
{
    struct fake *f = fake_of(st);
    *seq = f->s.cp_seq;
    snprintf(hash, CHAIN_HASH_HEX, "%s", f->s.cp_hash);
    return FN_OK;
}

static char *text_of_int(int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    return fn_strdup(buf);
}

static char *text_or_null(const char *s)
{
    return s ? fn_strdup(s) : NULL;
}

static fn_status fake_audit_row_insert(struct store *st, const struct audit_new_row *r)
{
    struct fake *f = fake_of(st);
    assert_true(f->head.in_tx);
    assert_true(f->s.n < FAKE_ROWS);
    char **v = f->rows[f->s.n++].v;
    v[COL_SEQ] = text_of_int(r->seq);
    v[COL_AT] = fn_strdup(r->at);
    v[COL_LOGIN] = fn_strdup(r->login);
    v[COL_USER_ID] = text_of_int(r->user_id);
    v[COL_ORG_ID] = text_of_int(r->org_id);
    v[COL_KIND] = fn_strdup(r->kind);
    v[COL_ENTITY] = fn_strdup(r->entity);
    v[COL_RECORD_IDS] = text_or_null(r->record_ids);
    v[COL_PURPOSE] = fn_strdup(r->purpose);
    v[COL_RECIPIENT] = text_or_null(r->recipient);
    v[COL_DETAILS] = text_or_null(r->details);
    v[COL_SPOOL_ID] = text_or_null(r->spool_id);
    v[COL_HASH_VERSION] = text_of_int(r->hash_version);
    v[COL_PREV_HASH] = fn_strdup(r->prev_hash);
    v[COL_HASHED] = fn_strdup(r->hash);
    f->s.head_seq = r->seq;
    snprintf(f->s.head_hash, sizeof f->s.head_hash, "%s", r->hash);
    return FN_OK;
}

static fn_status fake_audit_rows_each(struct store *st, audit_rows_fn fn, void *ctx)
{
    struct fake *f = fake_of(st);
    for (size_t i = f->s.first; i < f->s.n; i++) {
        struct audit_value v[COL_ALL];
        for (int c = 0; c < COL_ALL; c++) {
            const char *t = f->rows[i].v[c];
            v[c] = (struct audit_value){.bytes = t, .len = t ? strlen(t) : 0};
        }
        f->rows_read++;
        fn_status rc = fn(ctx, v);
        if (rc)
            return rc;
    }
    return FN_OK;
}

static fn_status fake_audit_rows_prune(struct store *st, int64_t seq, const char *hash,
                                       const char *pruned_at, int64_t *removed)
{
    struct fake *f = fake_of(st);
    assert_true(f->head.in_tx);
    assert_non_null(pruned_at);
    *removed = 0;
    f->s.cp_seq = seq;
    snprintf(f->s.cp_hash, sizeof f->s.cp_hash, "%s", hash);
    while (f->s.first < f->s.n && strtoll(f->rows[f->s.first].v[COL_SEQ], NULL, 10) <= seq) {
        f->s.first++;
        (*removed)++;
    }
    return FN_OK;
}

static fn_status fake_audit_spool_id_known(struct store *st, const char *spool_id, int *known)
{
    struct fake *f = fake_of(st);
    *known = 0;
    for (size_t i = f->s.first; i < f->s.n; i++)
        if (f->rows[i].v[COL_SPOOL_ID] && strcmp(f->rows[i].v[COL_SPOOL_ID], spool_id) == 0)
            *known = 1;
    return FN_OK;
}

static int fake_person_stored(struct fake *f, const char *record_id, int64_t *id)
{
    for (size_t i = 0; i < f->s.n_persons; i++)
        if (strcmp(f->persons[i], record_id) == 0) {
            *id = (int64_t)i + 1;
            return 1;
        }
    return 0;
}

static fn_status fake_stage_open(struct store *st, struct store_import_stage **out)
{
    struct fake *f = fake_of(st);
    *out = fn_calloc(1, sizeof **out);
    if (!*out)
        return FN_NOMEM;
    (*out)->f = f;
    f->stages_open++;
    return FN_OK;
}

static fn_status fake_stage_person(struct store_import_stage *sg, struct model_person *p)
{
    int64_t id = 0;
    if (fake_person_stored(sg->f, p->record_id, &id)) {
        p->id = id;
        return FN_CONFLICT;
    }
    /* A record_id earlier in the import is the policy's to refuse: the
     * backend must never see it twice. */
    for (size_t i = 0; i < sg->n; i++)
        assert_string_not_equal(sg->ids[i], p->record_id);
    assert_true(sg->n < FAKE_PERSONS);
    sg->ids[sg->n++] = fn_strdup(p->record_id);
    sg->in_batch++;
    return FN_OK;
}

static fn_status fake_stage_batch(struct store_import_stage *sg)
{
    struct fake *f = sg->f;
    f->batches[f->n_batches++] = sg->in_batch;
    sg->in_batch = 0;
    return FN_OK;
}

static fn_status fake_stage_publish(struct store_import_stage *sg, int64_t *first_id)
{
    struct fake *f = sg->f;
    assert_true(f->head.in_tx);
    if (f->fail_publish) {
        snprintf(f->head.errmsg, sizeof f->head.errmsg, "publish refused");
        return FN_CONFLICT;
    }
    *first_id = (int64_t)f->s.n_persons + 1;
    for (size_t i = 0; i < sg->n; i++) {
        f->persons[f->s.n_persons++] = sg->ids[i];
        sg->ids[i] = NULL;
    }
    sg->n = 0;
    return FN_OK;
}

static void fake_stage_close(struct store_import_stage *sg, int published)
{
    if (!sg)
        return;
    for (size_t i = 0; i < sg->n; i++)
        fn_free(sg->ids[i]);
    sg->f->stages_open--;
    sg->f->closed_published += published;
    fn_free(sg);
}

/* Only what the policy layer under test may call; every other entry is
 * NULL, so a call to it crashes the test. */
static const struct store_backend fake_backend = {
    .name = "fake",
    .errmsg = fake_errmsg,
    .begin = fake_begin,
    .commit = fake_commit,
    .rollback = fake_rollback,
    .in_transaction = fake_in_transaction,
    .read_begin = fake_read_begin,
    .read_end = fake_read_end,
    .audit_head = fake_audit_head,
    .audit_checkpoint = fake_audit_checkpoint,
    .audit_row_insert = fake_audit_row_insert,
    .audit_rows_each = fake_audit_rows_each,
    .audit_rows_since = NULL,
    .audit_rows_prune = fake_audit_rows_prune,
    .audit_spool_id_known = fake_audit_spool_id_known,
    .import_stage_open = fake_stage_open,
    .import_stage_person = fake_stage_person,
    .import_stage_batch = fake_stage_batch,
    .import_stage_publish = fake_stage_publish,
    .import_stage_close = fake_stage_close,
};

static const struct store_actor sys = {.login = "system", .system = 1, .purpose = "Unit-Test"};

static int setup(void **state)
{
    struct fake *f = calloc(1, sizeof *f);
    f->head.ops = &fake_backend;
    /* an empty chain starts from the all-zero hash, as schema.c seeds it */
    memset(f->s.head_hash, '0', 64);
    memset(f->s.cp_hash, '0', 64);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fake *f = *state;
    for (size_t i = 0; i < f->s.n; i++)
        for (int c = 0; c < COL_ALL; c++)
            fn_free(f->rows[i].v[c]);
    for (size_t i = 0; i < f->s.n_persons; i++)
        fn_free(f->persons[i]);
    free(f);
    audit_test_clock(NULL);
    return 0;
}

static struct store *st_of(struct fake *f)
{
    return (struct store *)(void *)f;
}

static struct model_person *person(const char *record_id)
{
    struct model_person *p = model_person_new();
    p->record_id = fn_strdup(record_id);
    return p;
}

/* Imports n persons named P<i % distinct>; returns the import's result. */
static fn_status import_n(struct fake *f, int n, int distinct, int *conflicts)
{
    struct store_import *imp = NULL;
    fn_status rc = store_import_begin(st_of(f), &sys, "liste \"A\".csv", &imp);
    if (rc)
        return rc;
    *conflicts = 0;
    for (int i = 0; i < n; i++) {
        char rid[16];
        snprintf(rid, sizeof rid, "P%d", i % distinct);
        struct model_person *p = person(rid);
        fn_status prc = store_import_person(imp, p);
        model_person_free(p);
        if (prc == FN_CONFLICT)
            (*conflicts)++;
        else
            assert_int_equal(prc, FN_OK);
    }
    return store_import_commit(imp);
}

/* Who may import, and that nothing reaches the backend before. */
static void test_import_refusals(void **state)
{
    struct fake *f = *state;
    struct store_import *imp = NULL;
    struct store_actor official = {
        .login = "sb", .roles = AUTH_ROLE_SACHBEARBEITUNG, .org_id = 1, .purpose = "Akte"};
    struct store_actor no_purpose = {.login = "system", .system = 1};
    assert_int_equal(store_import_begin(st_of(f), &official, "x", &imp), FN_DENIED);
    assert_int_equal(store_import_begin(st_of(f), &no_purpose, "x", &imp), FN_DENIED);
    assert_int_equal(store_begin(st_of(f)), FN_OK);
    assert_int_equal(store_import_begin(st_of(f), &sys, "x", &imp), FN_INVALID);
    store_rollback(st_of(f));
    assert_null(imp);
    assert_int_equal(f->stages_open, 0);

    assert_int_equal(store_import_begin(st_of(f), &sys, "x", &imp), FN_OK);
    struct model_person *p = person("");
    assert_int_equal(store_import_person(imp, p), FN_INVALID);
    model_person_free(p);
    store_import_abort(imp);
    assert_int_equal(f->stages_open, 0);
    assert_int_equal(f->closed_published, 0);
    assert_int_equal(f->s.n, 0);
}

/* Batches of the policy's size, conflicts passed on with the stored id,
 * one audit row per 1,000 persons in the publish transaction. */
static void test_import_batches_and_audit(void **state)
{
    struct fake *f = *state;
    setenv("FALLNETZ_IMPORT_BATCH_ROWS", "1000", 1);
    int conflicts = 0;
    fn_status rc = import_n(f, 2500, 2400, &conflicts);
    unsetenv("FALLNETZ_IMPORT_BATCH_ROWS");
    assert_int_equal(rc, FN_OK);
    assert_int_equal(conflicts, 100);
    assert_int_equal(f->s.n_persons, 2400);
    /* 1000 rows, 1000 rows, then the rest at commit (duplicates not counted) */
    assert_int_equal(f->n_batches, 3);
    assert_int_equal(f->batches[0], 1000);
    assert_int_equal(f->batches[1], 1000);
    assert_int_equal(f->batches[2], 400);
    assert_int_equal(f->stages_open, 0);
    assert_int_equal(f->closed_published, 1);
    assert_int_equal(f->s.n, 3);
    assert_string_equal(f->rows[0].v[COL_RECORD_IDS], "1-1000");
    assert_string_equal(f->rows[2].v[COL_RECORD_IDS], "2001-2400");
    assert_string_equal(f->rows[2].v[COL_KIND], "collect");
    assert_string_equal(f->rows[2].v[COL_DETAILS],
                        "{\"quelle\":\"liste \\\"A\\\".csv\",\"anzahl\":400}");

    /* a second import: a stored person conflicts with its id; ids go on */
    struct store_import *imp = NULL;
    assert_int_equal(store_import_begin(st_of(f), &sys, "b", &imp), FN_OK);
    struct model_person *p = person("P7");
    assert_int_equal(store_import_person(imp, p), FN_CONFLICT);
    assert_int_equal(p->id, 8);
    model_person_free(p);
    p = person("NEU");
    assert_int_equal(store_import_person(imp, p), FN_OK);
    model_person_free(p);
    assert_int_equal(store_import_commit(imp), FN_OK);
    assert_string_equal(f->rows[3].v[COL_RECORD_IDS], "2401");

    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(st_of(f), &rep), FN_OK);
    assert_int_equal(rep.rows, 4);
}

/* A failed publish rolls back: no persons, no audit rows, its message. */
static void test_import_publish_failure(void **state)
{
    struct fake *f = *state;
    f->fail_publish = 1;
    int conflicts = 0;
    assert_int_equal(import_n(f, 5, 5, &conflicts), FN_CONFLICT);
    assert_string_equal(store_errmsg(st_of(f)), "publish refused");
    assert_int_equal(f->s.n_persons, 0);
    assert_int_equal(f->s.n, 0);
    assert_false(f->head.in_tx);
    assert_int_equal(f->stages_open, 0);
    assert_int_equal(f->closed_published, 0);
}

static void append_at(struct fake *f, const char *at, int n)
{
    audit_test_clock(at);
    for (int i = 0; i < n; i++)
        assert_int_equal(store_audit_append(st_of(f), &sys, AUDIT_CHANGE, "org", "1", "{\"t\":1}"),
                         FN_OK);
    audit_test_clock(NULL);
}

/* The prune removes the chain's prefix older than the cutoff (a later row
 * with an older time stays), reads only that prefix, sets the checkpoint
 * to the last removed row and audits itself; the chain still verifies. */
static void test_prune_policy(void **state)
{
    struct fake *f = *state;
    append_at(f, "2022-03-01T10:00:00.000Z", 3);
    append_at(f, "2024-06-01T10:00:00.000Z", 1);
    append_at(f, "2022-12-31T23:59:59.000Z", 1); /* a spooled read chained late */
    append_at(f, NULL, 1);
    char hash3[CHAIN_HASH_HEX];
    snprintf(hash3, sizeof hash3, "%s", f->rows[2].v[COL_HASHED]);

    int64_t removed = -1;
    struct store_actor dpo = {
        .login = "dsb", .roles = AUTH_ROLE_DATENSCHUTZ, .org_id = 1, .purpose = "Löschfrist"};
    struct store_actor official = {
        .login = "sb", .roles = AUTH_ROLE_SACHBEARBEITUNG, .org_id = 1, .purpose = "Akte"};
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    assert_int_equal(store_audit_prune(st_of(f), &official, 2023, &removed), FN_DENIED);
    assert_int_equal(store_audit_prune(st_of(f), &dpo, tm.tm_year + 1900, &removed), FN_INVALID);
    assert_int_equal(store_audit_prune(st_of(f), &dpo, 1969, &removed), FN_INVALID);
    assert_int_equal(removed, 0);
    assert_int_equal(f->s.n, 6);

    /* inside the caller's transaction: rolled back with it */
    assert_int_equal(store_begin(st_of(f)), FN_OK);
    assert_int_equal(store_audit_prune(st_of(f), &dpo, 2023, &removed), FN_OK);
    assert_int_equal(removed, 3);
    store_rollback(st_of(f));
    assert_int_equal(f->s.first, 0);
    assert_int_equal(f->s.cp_seq, 0);

    f->rows_read = 0;
    assert_int_equal(store_audit_prune(st_of(f), &dpo, 2023, &removed), FN_OK);
    assert_int_equal(removed, 3);
    assert_int_equal(f->rows_read, 4); /* the 3 removed rows and the one that ends them */
    assert_int_equal(f->s.cp_seq, 3);
    assert_string_equal(f->s.cp_hash, hash3);
    const char **row = (const char **)f->rows[f->s.n - 1].v;
    assert_string_equal(row[COL_KIND], "delete");
    assert_string_equal(row[COL_ENTITY], "audit");
    assert_string_equal(row[COL_LOGIN], "dsb");
    char want[256];
    snprintf(want, sizeof want,
             "{\"bis_zeile\":3,\"kettenwert\":\"%s\",\"zeilen\":3,\"vor\":\"2023-01-01\"}", hash3);
    assert_string_equal(row[COL_DETAILS], want);
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(st_of(f), &rep), FN_OK);
    assert_int_equal(rep.rows, 4); /* 2024, the late 2022 row, now, the prune row */

    /* nothing more is due before 2023: the late row sits after a 2024 one */
    assert_int_equal(store_audit_prune(st_of(f), &dpo, 2023, &removed), FN_OK);
    assert_int_equal(removed, 0);
    assert_int_equal(f->s.n - f->s.first, 4);
}

/* The spool's place: beside a file; for a URL in the configured folder,
 * keyed by the connection target without the password. */
static void test_spool_place(void **state)
{
    (void)state;
    char dir[4096], stem[256], dir2[4096], stem2[256];
    assert_int_equal(audit_spool_place("/srv/daten/fall.db", dir, sizeof dir, stem, sizeof stem),
                     FN_OK);
    assert_string_equal(dir, "/srv/daten");
    assert_string_equal(stem, "fall.db");
    assert_int_equal(audit_spool_place("fall.db", dir, sizeof dir, stem, sizeof stem), FN_OK);
    assert_string_equal(dir, ".");

    setenv("FALLNETZ_SPOOL_DIR", "/var/lib/fallnetz/spool", 1);
    const char *url = "postgresql://fn:geheim@db.example:5432/fallnetz?sslmode=require&password=x";
    assert_int_equal(audit_spool_place(url, dir, sizeof dir, stem, sizeof stem), FN_OK);
    assert_string_equal(dir, "/var/lib/fallnetz/spool");
    assert_int_equal(strlen(stem), 3 + 32);
    assert_memory_equal(stem, "pg-", 3);
    assert_null(strstr(stem, "geheim"));
    /* the same target without password, with the other scheme: the same key */
    assert_int_equal(audit_spool_place("postgres://fn@db.example:5432/fallnetz?sslmode=require",
                                       dir2, sizeof dir2, stem2, sizeof stem2),
                     FN_OK);
    assert_string_equal(stem2, stem);
    /* another database, host or user: another key */
    const char *others[] = {"postgresql://fn@db.example:5432/anders?sslmode=require",
                            "postgresql://fn@db2.example:5432/fallnetz?sslmode=require",
                            "postgresql://admin@db.example:5432/fallnetz?sslmode=require"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        assert_int_equal(audit_spool_place(others[i], dir2, sizeof dir2, stem2, sizeof stem2),
                         FN_OK);
        assert_string_not_equal(stem2, stem);
    }
    unsetenv("FALLNETZ_SPOOL_DIR");
    char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    char *xdg = getenv("XDG_STATE_HOME") ? strdup(getenv("XDG_STATE_HOME")) : NULL;
    setenv("XDG_STATE_HOME", "/zustand", 1);
    assert_int_equal(audit_spool_place(url, dir, sizeof dir, stem2, sizeof stem2), FN_OK);
    assert_string_equal(dir, "/zustand/fallnetz/auditspool");
    assert_string_equal(stem2, stem);
    unsetenv("XDG_STATE_HOME");
    setenv("HOME", "/home/fn", 1);
    assert_int_equal(audit_spool_place(url, dir, sizeof dir, stem2, sizeof stem2), FN_OK);
    assert_string_equal(dir, "/home/fn/.local/state/fallnetz/auditspool");
    unsetenv("HOME");
    assert_int_equal(audit_spool_place(url, dir, sizeof dir, stem2, sizeof stem2), FN_NOTFOUND);
    if (home)
        setenv("HOME", home, 1);
    if (xdg)
        setenv("XDG_STATE_HOME", xdg, 1);
    free(home);
    free(xdg);
}

/* A handle of another backend, named by a URL, spools its reads in the
 * URL's folder and chains them through its own vtable. */
static void test_spool_on_fake_url_backend(void **state)
{
    struct fake *f = *state;
    char tmp[64], spooldir[128];
    test_tmpdir(tmp, sizeof tmp);
    snprintf(spooldir, sizeof spooldir, "%s/neu/spool", tmp); /* created on attach */
    setenv("FALLNETZ_SPOOL_DIR", spooldir, 1);
    const char *url = "postgresql://fn:geheim@db.example/fallnetz";
    audit_test_pause_drainer(1); /* the drainer's own connection needs a real backend */
    assert_int_equal(audit_queue_attach(st_of(f), url), FN_OK);
    assert_non_null(f->head.queue);

    struct audit_entry e = {
        .actor = &sys, .kind = AUDIT_QUERY, .entity = "person", .record_ids = "7"};
    assert_int_equal(audit_append_read(st_of(f), &e), FN_OK);
    assert_int_equal(f->s.n, 0); /* spooled, not chained yet */
    char dir[4096], stem[256], cmd[512], out[64] = "";
    assert_int_equal(audit_spool_place(url, dir, sizeof dir, stem, sizeof stem), FN_OK);
    snprintf(cmd, sizeof cmd, "cat %s/%s-auditspool-%ld-* | grep -c person", spooldir, stem,
             (long)getpid());
    FILE *p = popen(cmd, "r");
    assert_non_null(fgets(out, sizeof out, p));
    pclose(p);
    assert_string_equal(out, "1\n");

    /* a flush chains the spool through the handle's own vtable */
    assert_int_equal(store_audit_flush(st_of(f)), FN_OK);
    assert_int_equal(f->s.n, 1);
    assert_string_equal(f->rows[0].v[COL_KIND], "query");
    assert_non_null(f->rows[0].v[COL_SPOOL_ID]);
    /* inside a transaction a read is chained at once */
    assert_int_equal(store_begin(st_of(f)), FN_OK);
    assert_int_equal(audit_append_read(st_of(f), &e), FN_OK);
    assert_int_equal(store_commit(st_of(f)), FN_OK);
    assert_int_equal(f->s.n, 2);
    assert_null(f->rows[1].v[COL_SPOOL_ID]);

    audit_queue_detach(st_of(f));
    assert_null(f->head.queue);
    audit_test_pause_drainer(0);
    snprintf(cmd, sizeof cmd, "ls %s | grep -c auditspool", spooldir);
    p = popen(cmd, "r");
    assert_non_null(fgets(out, sizeof out, p));
    pclose(p);
    assert_string_equal(out, "0\n"); /* nothing left behind */
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(st_of(f), &rep), FN_OK);
    unsetenv("FALLNETZ_SPOOL_DIR");
    test_rmtree(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_batches_and_audit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_publish_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_policy, setup, teardown),
        cmocka_unit_test(test_spool_place),
        cmocka_unit_test_setup_teardown(test_spool_on_fake_url_backend, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
