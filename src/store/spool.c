/*
 * spool.c – audited reads without a database commit per read.
 *
 * Every read of personal data must leave an audit row before the data leave
 * the store. Committing one SQLite transaction per read serialises readers on
 * the write lock and, worse, every commit resets the page cache of every
 * other connection (WAL: a changed database drops the cache), so two threads
 * read slower than one. Instead each process appends the row to its own
 * spool file, `<db>-auditspool-<pid>-<queue>-<n>`, with one write(2) before the read
 * returns; a background thread chains the spooled rows into audit_log in one
 * transaction every SPOOL_INTERVAL_MS. A database named by a URL spools in
 * a per-user folder instead (spool.h, audit_spool_place).
 *
 * Any backend: the spool reaches the database only through the handle's
 * struct store_head and the vtable (transactions, audit_spool_id_known,
 * and chain.c's audit_insert_row), never through SQL.
 *
 * Durability: a write(2) that returned is in the kernel; it survives a crash
 * of the process exactly like a WAL commit with synchronous=NORMAL (which is
 * also a write without fsync). A failed spool write fails the read.
 * Recovery: each process holds an exclusive flock on its current spool file;
 * a file whose lock can be taken belongs to a dead process and is chained by
 * the next process that opens the database, then removed. Every spooled row
 * carries a unique spool_id; chaining skips ids already in audit_log, so a
 * spool chained twice (crash after commit, before unlink) adds nothing twice.
 *
 * Record format: "FNA1" | u32 payload length | payload | u64 FNV-1a of the
 * payload; payload = 11 fields, each u32 length (0xffffffff = NULL) + bytes:
 * spool_id, at, login, user_id, org_id, kind, entity, record_ids, purpose,
 * recipient, details. A torn or damaged record is skipped with a message.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/hash.h"
#include "core/buf.h"
#include "core/file.h"
#include "store/backend.h"
#include "store/chain.h"
#include "store/spool.h"

/* 200 ms: every chaining commit empties the other connections' page caches
 * (WAL), so fewer, larger commits keep readers warm. Measured over HTTP on
 * 100k persons: 20 ms 11.8-13.7k req/s, 200 ms 15.2k, 1000 ms 15.6-16.0k. */
#define SPOOL_INTERVAL_MS 200
#define SPOOL_MAX_FILE    (256u * 1024 * 1024) /* a spool larger than this is not read */
#define SPOOL_MAX_PENDING (64u * 1024 * 1024)  /* unchained bytes before reads are refused */
#define SPOOL_NULL        0xffffffffu
#define SPOOL_FIELDS      11
#define SPOOL_PATH_MAX    4096
#define SPOOL_TAG         "-auditspool-"
/* a spool file being created (spool_open_file), never recovered */
#define SPOOL_NEW_TAG "fallnetz-auditspool-new-"

struct audit_queue {
    char *path;       /* the database's name as store_open got it */
    char *dir;        /* folder of the spool files (audit_spool_place) */
    char *stem;       /* their name stem */
    char *spool_base; /* "<dir>/<stem>-auditspool-<pid>-<queue>-" */
    int users;
    pthread_rwlock_t swap;    /* appenders read-lock; swapping the file write-locks */
    int fd;                   /* current spool file (O_APPEND), flock LOCK_EX held */
    unsigned generation;      /* suffix of the current file */
    uint64_t counter;         /* spool_id sequence */
    pthread_mutex_t drain_mu; /* one drain at a time */
    pthread_mutex_t mu;       /* guards stop and pending */
    pthread_cond_t cv;
    int stop;
    int pending;    /* rows were appended since the last drain */
    size_t spooled; /* bytes in the current file (atomic) */
    int failed_fd;  /* a swapped-out file that could not be chained, or -1 */
    char *failed_name;
    struct store *conn; /* the drainer's own connection, opened on first use */
    pthread_t thread;
    int thread_started;
    struct audit_queue *next;
};

static pthread_mutex_t queues_mu = PTHREAD_MUTEX_INITIALIZER;
static int drainer_paused; /* tests: simulate a process that dies before a tick */

void audit_test_pause_drainer(int paused)
{
    __atomic_store_n(&drainer_paused, paused, __ATOMIC_RELAXED);
}
static struct audit_queue *queues;

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    return fn_fnv1a(FN_FNV_OFFSET, p, n);
}

static fn_status put_u32(struct fn_buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    return fn_buf_append(b, x, 4);
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static fn_status put_field(struct fn_buf *b, const char *s)
{
    if (!s)
        return put_u32(b, SPOOL_NULL);
    size_t n = strlen(s);
    fn_status rc = put_u32(b, (uint32_t)n);
    return rc ? rc : fn_buf_append(b, s, n);
}

/* Opens a fresh spool file for q (generation q->generation) and locks it.
 * The file is created and locked under a name recovery does not look at,
 * then renamed into place without replacing anything: another process's
 * recover_orphans must never find a live spool unlocked (it would chain and
 * unlink it, and this process's rows would go to an unlinked file), and an
 * orphan that happens to carry the same name is never truncated. */
static fn_status spool_open_file(struct audit_queue *q, int *fd_out)
{
    char name[4096], fresh[4096];
    int n = snprintf(name, sizeof name, "%s%u", q->spool_base, q->generation);
    int m = snprintf(fresh, sizeof fresh, "%s/." SPOOL_NEW_TAG "%ld-%08x", q->dir, (long)getpid(),
                     (unsigned)randombytes_random());
    if (n < 0 || (size_t)n >= sizeof name || m < 0 || (size_t)m >= sizeof fresh)
        return FN_TOO_LARGE;
    int fd = open(fresh, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return FN_IO;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0 ||
        renameat2(AT_FDCWD, fresh, AT_FDCWD, name, RENAME_NOREPLACE) != 0) {
        unlink(fresh);
        close(fd);
        return FN_IO;
    }
    *fd_out = fd;
    return FN_OK;
}

/* One parsed record: pointers into the file buffer (NUL-terminated copies
 * are made in the fields array). */
struct spool_row {
    char *f[SPOOL_FIELDS];
};

static void spool_row_clear(struct spool_row *r)
{
    for (int i = 0; i < SPOOL_FIELDS; i++)
        fn_free(r->f[i]);
    memset(r, 0, sizeof *r);
}

/* Parses one record at p (n bytes available). Returns the record's size, 0
 * when it is torn or damaged (caller resynchronises), or -1 on NOMEM. */
static long parse_record(const unsigned char *p, size_t n, struct spool_row *row)
{
    if (n < 16 || memcmp(p, "FNA1", 4) != 0)
        return 0;
    uint32_t len = get_u32(p + 4);
    if (len > n - 16)
        return 0;
    const unsigned char *pay = p + 8;
    uint64_t want = 0;
    for (int i = 0; i < 8; i++)
        want |= (uint64_t)pay[len + (size_t)i] << (8 * i);
    if (fnv1a(pay, len) != want)
        return 0;
    size_t off = 0;
    for (int i = 0; i < SPOOL_FIELDS; i++) {
        if (off + 4 > len) {
            spool_row_clear(row);
            return 0;
        }
        uint32_t fl = get_u32(pay + off);
        off += 4;
        if (fl == SPOOL_NULL)
            continue;
        if (fl > len - off) {
            spool_row_clear(row);
            return 0;
        }
        row->f[i] = fn_strndup((const char *)pay + off, fl);
        if (!row->f[i]) {
            spool_row_clear(row);
            return -1;
        }
        off += fl;
    }
    return (long)(16 + len);
}

/* Chains every record of the spool file `name` into audit_log on conn in
 * one transaction. On success the file may be removed. check_known: skip
 * rows already chained (files that may have been chained before: recovered
 * or retried ones; a freshly swapped file never was, and the lookup per row
 * would cost the drainer a third of its time). */
static fn_status chain_file(struct store *conn, const char *name, int check_known)
{
    char *data = NULL;
    size_t len = 0;
    fn_status rc = fn_read_file(name, SPOOL_MAX_FILE, &data, &len);
    if (rc)
        return rc;
    if (len == 0) {
        fn_free(data);
        return FN_OK;
    }
    const struct store_backend *ops = store_head_of(conn)->ops;
    int own_tx = !ops->in_transaction(conn);
    if (own_tx) {
        rc = ops->begin(conn);
        if (rc)
            goto out;
    }
    const unsigned char *p = (const unsigned char *)data;
    size_t off = 0;
    while (!rc && off < len) {
        struct spool_row row = {0};
        long used = parse_record(p + off, len - off, &row);
        if (used < 0) {
            rc = FN_NOMEM;
            break;
        }
        if (used == 0) {
            /* Damaged: skip to the next record start. */
            fprintf(stderr,
                    "fallnetz: Protokollpuffer %s: beschädigter Eintrag bei Byte %zu "
                    "übersprungen\n",
                    name, off);
            size_t next = off + 1;
            while (next + 4 <= len && memcmp(p + next, "FNA1", 4) != 0)
                next++;
            off = next + 4 <= len ? next : len;
            continue;
        }
        off += (size_t)used;
        int known = 0;
        if (!row.f[0] || !row.f[1] || !row.f[2] || !row.f[5] || !row.f[6] || !row.f[8]) {
            spool_row_clear(&row);
            continue;
        }
        if (check_known)
            rc = ops->audit_spool_id_known(conn, row.f[0], &known);
        if (!rc && !known) {
            struct store_actor a = {.user_id = strtoll(row.f[3] ? row.f[3] : "0", NULL, 10),
                                    .login = row.f[2],
                                    .org_id = strtoll(row.f[4] ? row.f[4] : "0", NULL, 10),
                                    .purpose = row.f[8],
                                    .recipient = row.f[9]};
            int kind = 0;
            for (kind = 0; kind < AUDIT_KIND_COUNT; kind++)
                if (strcmp(row.f[5], store_audit_kind_code((enum store_audit_kind)kind)) == 0)
                    break;
            struct audit_entry e = {.actor = &a,
                                    .kind = kind < AUDIT_KIND_COUNT ? (enum store_audit_kind)kind
                                                                    : AUDIT_QUERY,
                                    .entity = row.f[6],
                                    .record_ids = row.f[7],
                                    .details = row.f[10]};
            rc = audit_insert_row(conn, &e, row.f[1], row.f[0]);
        }
        spool_row_clear(&row);
    }
    if (own_tx) {
        if (rc)
            ops->rollback(conn);
        else
            rc = ops->commit(conn);
    }
out:
    fn_free(data);
    return rc;
}

/* The queue's own connection, opened on first use: an idle extra
 * connection would keep the importer from leaving WAL mode for its bulk
 * load, so processes that never spool a read never open one. */
static fn_status queue_conn(struct audit_queue *q, struct store **out)
{
    if (!q->conn) {
        fn_status rc = store_open(q->path, STORE_OPEN_NO_SPOOL, &q->conn);
        if (rc)
            return rc;
    }
    *out = q->conn;
    return FN_OK;
}

/* Swaps in a fresh spool file and chains the old one (drain_mu held).
 * conn is the connection to write with; NULL = the queue's own. */
static fn_status drain(struct audit_queue *q, struct store *conn)
{
    /* A file that failed before is retried first; until it is chained no
     * further file is swapped out, so at most one waits. */
    if (q->failed_fd >= 0) {
        fn_status frc = conn ? FN_OK : queue_conn(q, &conn);
        if (!frc)
            frc = chain_file(conn, q->failed_name, 1);
        if (frc)
            return frc;
        unlink(q->failed_name);
        close(q->failed_fd);
        q->failed_fd = -1;
        fn_free(q->failed_name);
        q->failed_name = NULL;
    }
    char old_name[4096];
    snprintf(old_name, sizeof old_name, "%s%u", q->spool_base, q->generation);
    pthread_rwlock_wrlock(&q->swap);
    struct stat sb;
    if (fstat(q->fd, &sb) != 0 || sb.st_size == 0) {
        pthread_rwlock_unlock(&q->swap);
        return FN_OK;
    }
    int old_fd = q->fd, new_fd = -1;
    q->generation++;
    fn_status rc = spool_open_file(q, &new_fd);
    if (rc) {
        q->generation--;
        pthread_rwlock_unlock(&q->swap);
        return rc;
    }
    q->fd = new_fd;
    __atomic_store_n(&q->spooled, 0, __ATOMIC_RELAXED);
    pthread_mutex_lock(&q->mu);
    q->pending = 0;
    pthread_mutex_unlock(&q->mu);
    pthread_rwlock_unlock(&q->swap);

    if (!conn)
        rc = queue_conn(q, &conn);
    if (!rc)
        rc = chain_file(conn, old_name, 0);
    if (rc) {
        /* Keep the file (locked while old_fd is open): retried on the next
         * drain, or chained by recovery once this process has ended. */
        fprintf(stderr, "fallnetz: Protokollpuffer %s nicht übertragen: %s (%s)\n", old_name,
                fn_status_str(rc), conn ? store_errmsg(conn) : store_open_error());
        q->failed_name = fn_strdup(old_name);
        if (q->failed_name)
            q->failed_fd = old_fd;
        else
            close(old_fd); /* the file stays; recovery chains it later */
        return rc;
    }
    unlink(old_name);
    close(old_fd);
    return FN_OK;
}

/* Chains spool files left by processes that ended (their lock is free). */
static void recover_orphans(struct audit_queue *q)
{
    const char *dir = q->dir;
    char prefix[SPOOL_PATH_MAX];
    snprintf(prefix, sizeof prefix, "%s" SPOOL_TAG, q->stem);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
            continue;
        char name[8192];
        snprintf(name, sizeof name, "%s/%s", dir, de->d_name);
        int fd = open(name, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) { /* a live process owns it */
            close(fd);
            continue;
        }
        struct store *conn = NULL;
        fn_status rc = queue_conn(q, &conn);
        if (!rc)
            rc = chain_file(conn, name, 1);
        if (rc == FN_OK)
            unlink(name);
        else
            fprintf(stderr, "fallnetz: Protokollpuffer %s nicht übertragen: %s (%s)\n", name,
                    fn_status_str(rc), conn ? store_errmsg(conn) : store_open_error());
        close(fd);
    }
    closedir(d);
    /* Opened only for recovery: closed again (see queue_conn). */
    store_close(q->conn);
    q->conn = NULL;
}

static void *drainer_main(void *arg)
{
    struct audit_queue *q = arg;
    pthread_setname_np(pthread_self(), "fn-audit-spool");
    pthread_mutex_lock(&q->mu);
    while (!q->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += SPOOL_INTERVAL_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&q->cv, &q->mu, &until);
        if (q->stop || !q->pending || __atomic_load_n(&drainer_paused, __ATOMIC_RELAXED))
            continue;
        pthread_mutex_unlock(&q->mu);
        pthread_mutex_lock(&q->drain_mu);
        if (drain(q, NULL) != FN_OK) {
            /* Retried on the next tick; reads keep going into the spool. */
        }
        pthread_mutex_unlock(&q->drain_mu);
        pthread_mutex_lock(&q->mu);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

static void queue_destroy(struct audit_queue *q)
{
    if (!q)
        return;
    if (q->thread_started) {
        pthread_mutex_lock(&q->mu);
        q->stop = 1;
        pthread_cond_broadcast(&q->cv);
        pthread_mutex_unlock(&q->mu);
        pthread_join(q->thread, NULL);
    }
    if (q->fd >= 0) {
        fn_status rc = drain(q, NULL);
        char name[4096]; /* the current file after the drain's swap */
        snprintf(name, sizeof name, "%s%u", q->spool_base, q->generation);
        struct stat sb;
        if (rc == FN_OK && fstat(q->fd, &sb) == 0 && sb.st_size == 0)
            unlink(name);
        else if (rc != FN_OK)
            fprintf(stderr, "fallnetz: Protokollpuffer %s bleibt für die Wiederherstellung\n",
                    name);
        close(q->fd);
    }
    if (q->failed_fd >= 0)
        close(q->failed_fd); /* the file stays for recovery */
    fn_free(q->failed_name);
    store_close(q->conn);
    pthread_rwlock_destroy(&q->swap);
    pthread_mutex_destroy(&q->drain_mu);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
    fn_free(q->spool_base);
    fn_free(q->stem);
    fn_free(q->dir);
    fn_free(q->path);
    fn_free(q);
}

/* A database named by a server URL (store_open picks the backend so). */
static int is_url(const char *db)
{
    return strncmp(db, "postgresql:", 11) == 0 || strncmp(db, "postgres:", 9) == 0;
}

/* Appends the query parameters of q ("a=1&b=2", no '?') to b except the
 * password, each behind sep. */
static fn_status key_query(struct fn_buf *b, const char *q)
{
    fn_status rc = FN_OK;
    char sep = '?';
    while (!rc && *q) {
        size_t n = strcspn(q, "&");
        if (n && strncmp(q, "password=", 9) != 0) {
            rc = fn_buf_append_char(b, sep);
            if (!rc)
                rc = fn_buf_append(b, q, n);
            sep = '&';
        }
        q += n;
        if (*q == '&')
            q++;
    }
    return rc;
}

/* The connection target of URL db without the password, one spelling for
 * "postgres:" and "postgresql:", so that a changed password or scheme
 * still finds the spools left behind. */
static fn_status url_key(const char *db, struct fn_buf *b)
{
    const char *rest = db + (strncmp(db, "postgresql:", 11) == 0 ? 11 : 9);
    fn_status rc = fn_buf_append_str(b, "postgresql:");
    size_t body = strcspn(rest, "?#");
    if (!rc && strncmp(rest, "//", 2) == 0) {
        /* //user:password@host:port/db: the user stays, the password goes */
        size_t auth = strcspn(rest + 2, "/?#");
        const char *at = NULL;
        for (const char *c = rest + 2; c < rest + 2 + auth; c++)
            if (*c == '@')
                at = c;
        const char *colon = at ? memchr(rest + 2, ':', (size_t)(at - (rest + 2))) : NULL;
        if (colon) {
            rc = fn_buf_append(b, rest, (size_t)(colon - rest));
            if (!rc)
                rc = fn_buf_append(b, at, body - (size_t)(at - rest));
        } else {
            rc = fn_buf_append(b, rest, body);
        }
    } else if (!rc) {
        rc = fn_buf_append(b, rest, body);
    }
    if (!rc && rest[body] == '?')
        rc = key_query(b, rest + body + 1);
    return rc;
}

/* The spool folder of URL-named databases (spool.h). */
static fn_status url_dir(char *dir, size_t dir_max)
{
    const char *env = getenv("FALLNETZ_SPOOL_DIR");
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (env && env[0])
        n = snprintf(dir, dir_max, "%s", env);
    else if (state && state[0] == '/')
        n = snprintf(dir, dir_max, "%s/fallnetz/auditspool", state);
    else if (home && home[0])
        n = snprintf(dir, dir_max, "%s/.local/state/fallnetz/auditspool", home);
    else
        return FN_NOTFOUND;
    return n < 0 || (size_t)n >= dir_max ? FN_TOO_LARGE : FN_OK;
}

fn_status audit_spool_place(const char *db, char *dir, size_t dir_max, char *stem, size_t stem_max)
{
    if (!is_url(db)) {
        /* beside the file, as "<db>-auditspool-…" */
        char dirbuf[SPOOL_PATH_MAX], basebuf[SPOOL_PATH_MAX];
        int n = snprintf(dirbuf, sizeof dirbuf, "%s", db);
        if (n < 0 || (size_t)n >= sizeof dirbuf)
            return FN_TOO_LARGE;
        snprintf(basebuf, sizeof basebuf, "%s", db);
        int nd = snprintf(dir, dir_max, "%s", dirname(dirbuf));
        int ns = snprintf(stem, stem_max, "%s", basename(basebuf));
        return nd < 0 || (size_t)nd >= dir_max || ns < 0 || (size_t)ns >= stem_max ? FN_TOO_LARGE
                                                                                   : FN_OK;
    }
    if (sodium_init() < 0)
        return FN_INTERNAL;
    fn_status rc = url_dir(dir, dir_max);
    if (rc)
        return rc;
    struct fn_buf key;
    fn_buf_init(&key, SPOOL_PATH_MAX);
    rc = url_key(db, &key);
    if (!rc) {
        unsigned char h[16];
        char hex[2 * sizeof h + 1];
        crypto_generichash(h, sizeof h, (const unsigned char *)key.data, key.len, NULL, 0);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        int n = snprintf(stem, stem_max, "pg-%s", hex);
        rc = n < 0 || (size_t)n >= stem_max ? FN_TOO_LARGE : FN_OK;
    }
    fn_buf_free(&key);
    return rc;
}

/* Creates the queue of a database: own connection, recovery, spool file,
 * drainer thread. */
static fn_status queue_create(const char *path, struct audit_queue **out)
{
    struct audit_queue *q = fn_calloc(1, sizeof *q);
    if (!q)
        return FN_NOMEM;
    q->fd = -1;
    q->failed_fd = -1;
    /* Writer preference: with readers appending all the time, a default
     * (reader-preferring) lock would starve the swap. */
    pthread_rwlockattr_t ra;
    pthread_rwlockattr_init(&ra);
    pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&q->swap, &ra);
    pthread_rwlockattr_destroy(&ra);
    pthread_mutex_init(&q->drain_mu, NULL);
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    char dir[SPOOL_PATH_MAX], stem[SPOOL_PATH_MAX];
    fn_status rc = audit_spool_place(path, dir, sizeof dir, stem, sizeof stem);
    if (rc)
        goto out;
    rc = FN_NOMEM;
    q->path = fn_strdup(path);
    q->dir = fn_strdup(dir);
    q->stem = fn_strdup(stem);
    size_t n = strlen(dir) + strlen(stem) + 64;
    q->spool_base = fn_malloc(n);
    if (!q->path || !q->dir || !q->stem || !q->spool_base)
        goto out;
    /* The folder of a URL-named database may not exist yet. */
    rc = is_url(path) ? fn_mkdir_p(dir) : FN_OK;
    if (rc)
        goto out;
    /* pid and a per-process queue number: two spellings of one path
     * ("a.db", "./a.db") get two queues and must not share a file. */
    static unsigned queue_number;
    /* A random part as well: a pid is reused (and two containers sharing
     * the spool folder have the same ones), a name must not be. */
    snprintf(q->spool_base, n, "%s/%s" SPOOL_TAG "%ld-%08x-%u-", dir, stem, (long)getpid(),
             (unsigned)randombytes_random(),
             __atomic_fetch_add(&queue_number, 1, __ATOMIC_RELAXED));
    recover_orphans(q);
    rc = spool_open_file(q, &q->fd);
    if (rc)
        goto out;
    if (pthread_create(&q->thread, NULL, drainer_main, q) != 0) {
        rc = FN_INTERNAL;
        goto out;
    }
    q->thread_started = 1;
    *out = q;
    q = NULL;
out:
    queue_destroy(q);
    return rc;
}

fn_status audit_queue_attach(struct store *st, const char *db)
{
    if (sodium_init() < 0)
        return FN_INTERNAL;
    fn_status rc = FN_OK;
    pthread_mutex_lock(&queues_mu);
    struct audit_queue *q = queues;
    while (q && strcmp(q->path, db) != 0)
        q = q->next;
    if (!q) {
        rc = queue_create(db, &q);
        if (rc)
            goto out;
        q->next = queues;
        queues = q;
    }
    q->users++;
    store_head_of(st)->queue = q;
out:
    pthread_mutex_unlock(&queues_mu);
    return rc;
}

void audit_queue_detach(struct store *st)
{
    struct store_head *h = st ? store_head_of(st) : NULL;
    struct audit_queue *q = h ? h->queue : NULL;
    if (!q)
        return;
    h->queue = NULL;
    pthread_mutex_lock(&queues_mu);
    if (--q->users == 0) {
        struct audit_queue **pp = &queues;
        while (*pp != q)
            pp = &(*pp)->next;
        *pp = q->next;
        queue_destroy(q);
    }
    pthread_mutex_unlock(&queues_mu);
}

fn_status audit_append_read(struct store *st, const struct audit_entry *e)
{
    struct store_head *head = store_head_of(st);
    if (head->in_tx || !head->queue)
        return audit_append_in_tx(st, e);
    struct audit_queue *q = head->queue;
    const struct store_actor *a = e->actor;
    char at[64], uid[FN_I64_CHARS], oid[FN_I64_CHARS], id[64];
    audit_now(at);
    fn_format_i64(a->user_id, uid);
    fn_format_i64(a->org_id, oid);
    uint64_t seq = __atomic_add_fetch(&q->counter, 1, __ATOMIC_RELAXED);
    unsigned char rnd[6];
    randombytes_buf(rnd, sizeof rnd);
    snprintf(id, sizeof id, "%ld-%02x%02x%02x%02x%02x%02x-%llu", (long)getpid(), rnd[0], rnd[1],
             rnd[2], rnd[3], rnd[4], rnd[5], (unsigned long long)seq);
    const char *fields[SPOOL_FIELDS] = {id,         at,
                                        a->login,   uid,
                                        oid,        store_audit_kind_code(e->kind),
                                        e->entity,  e->record_ids,
                                        a->purpose, a->recipient,
                                        e->details};
    struct fn_buf rec;
    fn_buf_init(&rec, 4 * 1024 * 1024);
    fn_status rc = fn_buf_append(&rec, "FNA1\0\0\0\0", 8);
    for (int i = 0; !rc && i < SPOOL_FIELDS; i++)
        rc = put_field(&rec, fields[i]);
    if (rc)
        goto out;
    unsigned char *buf = (unsigned char *)rec.data;
    size_t paylen = rec.len - 8;
    buf[4] = (unsigned char)paylen;
    buf[5] = (unsigned char)(paylen >> 8);
    buf[6] = (unsigned char)(paylen >> 16);
    buf[7] = (unsigned char)(paylen >> 24);
    uint64_t h = fnv1a(buf + 8, paylen);
    unsigned char hb[8];
    for (int i = 0; i < 8; i++)
        hb[i] = (unsigned char)(h >> (8 * i));
    rc = fn_buf_append(&rec, hb, 8);
    if (rc)
        goto out;
    /* One write(2) per row: with O_APPEND the record lands whole at the end
     * of the file even when threads write concurrently. */
    if (__atomic_load_n(&q->spooled, __ATOMIC_RELAXED) > SPOOL_MAX_PENDING) {
        /* The drainer has been failing: no more reads until the backlog is
         * chained, so the unchained part of the trail stays bounded. */
        snprintf(head->errmsg, sizeof head->errmsg,
                 "Protokollpuffer voll (Übertragung in das Protokoll gestört)");
        rc = FN_IO;
        goto out;
    }
    pthread_rwlock_rdlock(&q->swap);
    ssize_t w = write(q->fd, rec.data, rec.len);
    pthread_rwlock_unlock(&q->swap);
    if (w > 0)
        __atomic_add_fetch(&q->spooled, (size_t)w, __ATOMIC_RELAXED);
    if (w != (ssize_t)rec.len) {
        snprintf(head->errmsg, sizeof head->errmsg, "Protokollpuffer nicht schreibbar: %s",
                 w < 0 ? strerror(errno) : "unvollständig");
        rc = FN_IO;
        goto out;
    }
    pthread_mutex_lock(&q->mu);
    q->pending = 1;
    pthread_mutex_unlock(&q->mu);
out:
    fn_buf_free(&rec);
    return rc;
}

fn_status audit_spool_flush(struct store *st)
{
    struct store_head *h = store_head_of(st);
    struct audit_queue *q = h->queue;
    /* Inside the caller's transaction the chained rows could be rolled back
     * after their spool file is gone: leave them to the drainer. */
    if (!q || h->in_tx || h->in_read)
        return FN_OK;
    pthread_mutex_lock(&q->drain_mu);
    fn_status rc = drain(q, st);
    pthread_mutex_unlock(&q->drain_mu);
    return rc;
}
