/*
 * audit.c – the hash-chained audit trail (§ 76 BDSG).
 *
 * Each row's hash is SHA-256 over a length-prefixed serialisation of all its
 * columns and the previous row's hash, so editing, deleting, inserting or
 * reordering rows breaks the chain at a nameable row. audit_head keeps the
 * last seq and hash so that rows cut off at the end are noticed too.
 *
 * Chain formats (audit_log.hash_version, docs/audit.md): format 1 (schema
 * versions 1-7) left out spool_id and did not tell NULL from ""; format 2
 * covers every column, NULL included. Old rows keep format 1; once a row is
 * format 2 every later row must be too.
 *
 * Reads are audited through a spool file (spool.c): the row is written to
 * the file before the read returns and chained here by a background drainer.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "store/store_int.h"

#define HASH_HEX 65

/* The chain format new rows are written in (see row_hash_v2). */
#define AUDIT_HASH_VERSION 2

/* The kind is one column of a row: a new kind leaves the chain format as it is. */
static const char *const kind_codes[AUDIT_KIND_COUNT] = {"collect", "change", "query", "disclose",
                                                         "combine", "delete", "zugang"};
static const char *const kind_labels[AUDIT_KIND_COUNT] = {
    "Erhebung", "Veränderung", "Abfrage", "Offenlegung", "Kombination", "Löschung", "Zugang"};

const char *store_audit_kind_code(enum store_audit_kind k)
{
    return (int)k >= 0 && k < AUDIT_KIND_COUNT ? kind_codes[k] : "?";
}

const char *store_audit_kind_label(enum store_audit_kind k)
{
    return (int)k >= 0 && k < AUDIT_KIND_COUNT ? kind_labels[k] : "?";
}

/* Tests set a fixed time to create rows that are due for deletion. */
static char test_clock[32];

void audit_test_clock(const char *iso)
{
    snprintf(test_clock, sizeof test_clock, "%s", iso ? iso : "");
}

static void now_iso(char out[64])
{
    if (test_clock[0]) {
        snprintf(out, 64, "%s", test_clock);
        return;
    }
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", (tm.tm_year + 1900) % 10000,
             (tm.tm_mon + 1) % 100, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             (ts.tv_nsec / 1000000L) % 1000);
}

/* Feeds one field as "<len>:<bytes>;" so field boundaries are unambiguous. */
static void hash_field(crypto_hash_sha256_state *h, const char *s)
{
    char len[24];
    size_t n = s ? strlen(s) : 0;
    int k = snprintf(len, sizeof len, "%zu:", n);
    crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)k);
    if (n)
        crypto_hash_sha256_update(h, (const unsigned char *)s, n);
    crypto_hash_sha256_update(h, (const unsigned char *)";", 1);
}

static void hash_int(crypto_hash_sha256_state *h, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    hash_field(h, buf);
}

/* Chain format 1 (rows written before schema version 8): every field but
 * spool_id, NULL hashed like "". Kept only to verify those rows. */
static void row_hash_v1(int64_t seq, const char *at, const char *login, int64_t user_id,
                        int64_t org_id, const char *kind, const char *entity,
                        const char *record_ids, const char *purpose, const char *recipient,
                        const char *details, const char *prev_hash, char out[HASH_HEX])
{
    crypto_hash_sha256_state h;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&h);
    hash_int(&h, seq);
    hash_field(&h, at);
    hash_field(&h, login);
    hash_int(&h, user_id);
    hash_int(&h, org_id);
    hash_field(&h, kind);
    hash_field(&h, entity);
    hash_field(&h, record_ids);
    hash_field(&h, purpose);
    hash_field(&h, recipient);
    hash_field(&h, details);
    hash_field(&h, prev_hash);
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(out, HASH_HEX, digest, sizeof digest);
}

/* One column value as stored: NULL, or bytes (integers in decimal). */
struct audit_value {
    const char *bytes; /* NULL = SQL NULL */
    size_t len;
};

/* Every column of audit_log except hash, in the order format 2 hashes them. */
enum audit_column {
    COL_SEQ,
    COL_AT,
    COL_LOGIN,
    COL_USER_ID,
    COL_ORG_ID,
    COL_KIND,
    COL_ENTITY,
    COL_RECORD_IDS,
    COL_PURPOSE,
    COL_RECIPIENT,
    COL_DETAILS,
    COL_SPOOL_ID,
    COL_HASH_VERSION,
    COL_PREV_HASH,
    COL_HASHED /* number of hashed columns */
};

static struct audit_value text_value(const char *s)
{
    return (struct audit_value){.bytes = s, .len = s ? strlen(s) : 0};
}

/* Chain format 2: SHA-256 over "fallnetz-audit-2;" and every column but
 * hash, each as "<len>:<bytes>;" or "-;" for NULL, so no two rows that
 * differ in any column (NULL vs "" included) hash alike. */
static void row_hash_v2(const struct audit_value v[COL_HASHED], char out[HASH_HEX])
{
    static const char domain[] = "fallnetz-audit-2;";
    crypto_hash_sha256_state h;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)domain, sizeof domain - 1);
    for (int i = 0; i < COL_HASHED; i++) {
        if (!v[i].bytes) {
            crypto_hash_sha256_update(&h, (const unsigned char *)"-;", 2);
            continue;
        }
        char len[24];
        int k = snprintf(len, sizeof len, "%zu:", v[i].len);
        crypto_hash_sha256_update(&h, (const unsigned char *)len, (unsigned long long)k);
        crypto_hash_sha256_update(&h, (const unsigned char *)v[i].bytes, v[i].len);
        crypto_hash_sha256_update(&h, (const unsigned char *)";", 1);
    }
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(out, HASH_HEX, digest, sizeof digest);
}

/* store_bind_text stores "" as NULL; the hash must see what is stored. */
static const char *stored_text(const char *s)
{
    return s && s[0] ? s : NULL;
}

fn_status audit_insert_row(struct store *st, const struct audit_entry *e, const char *at_given,
                           const char *spool_id)
{
    sqlite3_stmt *s = NULL;
    fn_status rc = store_stmt(st, STMT_AUDIT_HEAD, &s);
    if (rc)
        return rc;
    if (sqlite3_step(s) != SQLITE_ROW) {
        rc = store_db_error(st, sqlite3_errcode(st->db));
        sqlite3_reset(s);
        return rc;
    }
    int64_t seq = sqlite3_column_int64(s, 0) + 1;
    char prev[HASH_HEX];
    snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(s, 1));
    sqlite3_reset(s);

    char at[64], hash[HASH_HEX];
    if (at_given)
        snprintf(at, sizeof at, "%s", at_given);
    else
        now_iso(at);
    const struct store_actor *a = e->actor;
    const char *kind = store_audit_kind_code(e->kind);
    char seq_text[24], user_text[24], org_text[24], version_text[24];
    snprintf(seq_text, sizeof seq_text, "%lld", (long long)seq);
    snprintf(user_text, sizeof user_text, "%lld", (long long)a->user_id);
    snprintf(org_text, sizeof org_text, "%lld", (long long)a->org_id);
    snprintf(version_text, sizeof version_text, "%d", AUDIT_HASH_VERSION);
    struct audit_value v[COL_HASHED] = {
        [COL_SEQ] = text_value(seq_text),
        [COL_AT] = text_value(at),
        [COL_LOGIN] = text_value(a->login),
        [COL_USER_ID] = text_value(user_text),
        [COL_ORG_ID] = text_value(org_text),
        [COL_KIND] = text_value(kind),
        [COL_ENTITY] = text_value(e->entity),
        [COL_RECORD_IDS] = text_value(stored_text(e->record_ids)),
        [COL_PURPOSE] = text_value(a->purpose),
        [COL_RECIPIENT] = text_value(stored_text(a->recipient)),
        [COL_DETAILS] = text_value(stored_text(e->details)),
        [COL_SPOOL_ID] = text_value(stored_text(spool_id)),
        [COL_HASH_VERSION] = text_value(version_text),
        [COL_PREV_HASH] = text_value(prev),
    };
    row_hash_v2(v, hash);

    rc = store_stmt(st, STMT_AUDIT_INSERT, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, seq);
    sqlite3_bind_text(s, 2, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, a->login, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, a->user_id);
    sqlite3_bind_int64(s, 5, a->org_id);
    sqlite3_bind_text(s, 6, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, e->entity, -1, SQLITE_STATIC);
    store_bind_text(s, 8, e->record_ids);
    sqlite3_bind_text(s, 9, a->purpose, -1, SQLITE_STATIC);
    store_bind_text(s, 10, a->recipient);
    store_bind_text(s, 11, e->details);
    sqlite3_bind_text(s, 12, prev, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 13, hash, -1, SQLITE_STATIC);
    store_bind_text(s, 14, spool_id);
    sqlite3_bind_int(s, 15, AUDIT_HASH_VERSION);
    int src = sqlite3_step(s);
    sqlite3_reset(s);
    if (src != SQLITE_DONE)
        return store_db_error(st, src);

    rc = store_stmt(st, STMT_AUDIT_HEAD_UPDATE, &s);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, seq);
    sqlite3_bind_text(s, 2, hash, -1, SQLITE_STATIC);
    src = sqlite3_step(s);
    sqlite3_reset(s);
    return src == SQLITE_DONE ? FN_OK : store_db_error(st, src);
}

fn_status audit_append_in_tx(struct store *st, const struct audit_entry *e)
{
    return audit_insert_row(st, e, NULL, NULL);
}

void audit_now(char out[64])
{
    now_iso(out);
}

fn_status sqlite_audit_append(struct store *st, const struct store_actor *a,
                              enum store_audit_kind kind, const char *entity,
                              const char *record_ids, const char *details)
{
    fn_status rc = store_check_actor(a);
    if (rc)
        return rc;
    if ((int)kind < 0 || kind >= AUDIT_KIND_COUNT || !entity || !entity[0])
        return FN_INVALID;
    struct audit_entry e = {
        .actor = a, .kind = kind, .entity = entity, .record_ids = record_ids, .details = details};
    if (st->in_tx)
        return audit_append_in_tx(st, &e);
    rc = sqlite_begin(st);
    if (rc)
        return rc;
    rc = audit_append_in_tx(st, &e);
    if (rc) {
        sqlite_rollback(st);
        return rc;
    }
    return sqlite_commit(st);
}

static const char *col(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

/* Column i of the current row as stored. FN_NOMEM when SQLite cannot
 * convert it to text. */
static fn_status column_value(sqlite3_stmt *s, int i, struct audit_value *out)
{
    *out = (struct audit_value){0};
    if (sqlite3_column_type(s, i) == SQLITE_NULL)
        return FN_OK;
    const unsigned char *t = sqlite3_column_text(s, i);
    if (!t)
        return FN_NOMEM;
    *out =
        (struct audit_value){.bytes = (const char *)t, .len = (size_t)sqlite3_column_bytes(s, i)};
    return FN_OK;
}

/* Recomputes the hash of the current row of the verify query in its chain
 * format. Returns FN_CORRUPT (with the reason) for a format that is unknown
 * or older than a format already seen. */
static fn_status recompute_row_hash(sqlite3_stmt *s, const char *prev, int64_t *newest_format,
                                    struct store_audit_report *report, char hash[HASH_HEX])
{
    int64_t seq = sqlite3_column_int64(s, COL_SEQ);
    int64_t format = sqlite3_column_int64(s, COL_HASH_VERSION);
    if (sqlite3_column_type(s, COL_HASH_VERSION) != SQLITE_INTEGER || format < 1 ||
        format > AUDIT_HASH_VERSION) {
        report->bad_seq = seq;
        snprintf(report->reason, sizeof report->reason,
                 "Zeile %lld verändert (unbekanntes Kettenformat)", (long long)seq);
        return FN_CORRUPT;
    }
    if (format < *newest_format) {
        report->bad_seq = seq;
        snprintf(report->reason, sizeof report->reason,
                 "Zeile %lld verändert (Kettenformat %lld nach Format %lld zurückgestuft)",
                 (long long)seq, (long long)format, (long long)*newest_format);
        return FN_CORRUPT;
    }
    *newest_format = format;
    if (format == 1) {
        row_hash_v1(seq, col(s, COL_AT), col(s, COL_LOGIN), sqlite3_column_int64(s, COL_USER_ID),
                    sqlite3_column_int64(s, COL_ORG_ID), col(s, COL_KIND), col(s, COL_ENTITY),
                    col(s, COL_RECORD_IDS), col(s, COL_PURPOSE), col(s, COL_RECIPIENT),
                    col(s, COL_DETAILS), prev, hash);
        return FN_OK;
    }
    struct audit_value v[COL_HASHED];
    for (int i = 0; i < COL_HASHED; i++) {
        fn_status rc = column_value(s, i, &v[i]);
        if (rc)
            return rc;
    }
    v[COL_PREV_HASH] = text_value(prev); /* checked equal to the stored one */
    row_hash_v2(v, hash);
    return FN_OK;
}

/* The chain check proper; runs inside one read snapshot, so the checkpoint,
 * the rows and the head are one consistent state however many rows are
 * chained meanwhile. */
static fn_status verify_snapshot(struct store *st, struct store_audit_report *report)
{
    sqlite3_stmt *s = NULL;
    char prev[HASH_HEX] = "0000000000000000000000000000000000000000000000000000000000000000";
    int64_t expect = 1, checkpoint = 0, covered = 0, newest_format = 1;
    /* After a retention prune the chain starts after the checkpoint. */
    fn_status rc = store_prepare(st, "SELECT seq, hash FROM audit_checkpoint WHERE one = 1", &s);
    if (rc)
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW) {
        checkpoint = sqlite3_column_int64(s, 0);
        snprintf(prev, sizeof prev, "%s", col(s, 1));
        expect = checkpoint + 1;
    } else {
        sqlite3_finalize(s);
        snprintf(report->reason, sizeof report->reason, "Prüfpunkt des Protokolls fehlt");
        return FN_CORRUPT;
    }
    sqlite3_finalize(s);
    /* Columns in enum audit_column order, then hash. */
    rc = store_prepare(st,
                       "SELECT seq, at, login, user_id, org_id, kind, entity, record_ids, purpose,"
                       " recipient, details, spool_id, hash_version, prev_hash, hash"
                       " FROM audit_log ORDER BY seq",
                       &s);
    if (rc)
        return rc;
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(s, COL_SEQ);
        char hash[HASH_HEX];
        report->rows++;
        if (seq != expect) {
            report->bad_seq = expect;
            snprintf(report->reason, sizeof report->reason,
                     seq > expect ? "Zeile %lld fehlt (gelöscht); nächste vorhandene Zeile %lld"
                                  : "Zeile %lld doppelt oder eingefügt (gefunden: %lld)",
                     (long long)expect, (long long)seq);
            rc = FN_CORRUPT;
            break;
        }
        if (strcmp(col(s, COL_PREV_HASH), prev) != 0) {
            report->bad_seq = seq;
            snprintf(report->reason, sizeof report->reason,
                     "Zeile %lld passt nicht an ihre Vorgängerin (eingefügt, vertauscht oder "
                     "Vorgängerin verändert)",
                     (long long)seq);
            rc = FN_CORRUPT;
            break;
        }
        rc = recompute_row_hash(s, prev, &newest_format, report, hash);
        if (rc)
            break;
        if (strcmp(hash, col(s, COL_HASHED)) != 0) {
            report->bad_seq = seq;
            snprintf(report->reason, sizeof report->reason,
                     "Zeile %lld verändert (Prüfsumme stimmt nicht)", (long long)seq);
            rc = FN_CORRUPT;
            break;
        }
        snprintf(prev, sizeof prev, "%s", hash);
        expect++;
        /* A prune row names the checkpoint it set; remember the latest. */
        if (strcmp(col(s, COL_KIND), "delete") == 0 && strcmp(col(s, COL_ENTITY), "audit") == 0) {
            const char *k = strstr(col(s, COL_DETAILS), "\"bis_zeile\":");
            if (k)
                covered = strtoll(k + 12, NULL, 10);
        }
    }
    if (!rc && src != SQLITE_DONE)
        rc = store_db_error(st, src);
    sqlite3_finalize(s);
    if (rc)
        return rc;
    if (checkpoint != covered) {
        report->bad_seq = checkpoint + 1;
        snprintf(report->reason, sizeof report->reason,
                 "Prüfpunkt bei Zeile %lld ist durch keine protokollierte Löschung gedeckt "
                 "(Zeilen am Anfang unbefugt gelöscht)",
                 (long long)checkpoint);
        return FN_CORRUPT;
    }
    snprintf(report->head_hash, sizeof report->head_hash, "%s", prev);
    rc = store_stmt(st, STMT_AUDIT_HEAD, &s);
    if (rc)
        return rc;
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        snprintf(report->reason, sizeof report->reason, "Kopfzeile des Protokolls fehlt");
        return FN_CORRUPT;
    }
    int64_t head_seq = sqlite3_column_int64(s, 0);
    int head_ok = strcmp(col(s, 1), prev) == 0;
    sqlite3_reset(s);
    if (head_seq != expect - 1 || !head_ok) {
        report->bad_seq = expect;
        snprintf(report->reason, sizeof report->reason,
                 "Protokoll endet bei Zeile %lld, die Kopfzeile nennt Zeile %lld "
                 "(Zeilen am Ende gelöscht oder Kopfzeile verändert)",
                 (long long)(expect - 1), (long long)head_seq);
        return FN_CORRUPT;
    }
    return FN_OK;
}

fn_status sqlite_audit_verify(struct store *st, struct store_audit_report *report)
{
    memset(report, 0, sizeof *report);
    fn_status rc = sqlite_audit_flush(st);
    if (rc)
        return rc;
    /* Log and head must be read from one state: rows chained between two
     * separate reads looked like rows cut off at the end (issue 10). */
    int own_snapshot = !st->in_tx; /* a caller's transaction is one state already */
    if (own_snapshot) {
        rc = sqlite_read_begin(st);
        if (rc)
            return rc;
    }
    rc = verify_snapshot(st, report);
    if (own_snapshot)
        sqlite_read_end(st);
    return rc;
}

/* 1 when the comma-separated list of ids and ranges covers id. */
static int ids_cover(const char *list, int64_t id)
{
    const char *p = list;
    while (p && *p) {
        char *end = NULL;
        long long lo = strtoll(p, &end, 10);
        long long hi = lo;
        if (end == p)
            return 0;
        if (*end == '-') {
            p = end + 1;
            hi = strtoll(p, &end, 10);
        }
        if (id >= lo && id <= hi)
            return 1;
        p = *end == ',' ? end + 1 : NULL;
    }
    return 0;
}

fn_status sqlite_audit_each(struct store *st, const struct store_actor *a, int64_t person_id,
                            const char *since, store_audit_fn fn, void *ctx)
{
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_AUDIT, &scope);
    if (rc)
        return rc;
    char details[64];
    snprintf(details, sizeof details, "{\"person\":%lld}", (long long)person_id);
    struct audit_entry e = {.actor = a,
                            .kind = AUDIT_QUERY,
                            .entity = "audit",
                            .record_ids = NULL,
                            .details = person_id > 0 ? details : NULL};
    rc = audit_append_read(st, &e);
    if (rc)
        return rc;
    rc = sqlite_audit_flush(st);
    if (rc)
        return rc;
    sqlite3_stmt *s = NULL;
    rc = store_prepare(st,
                       "SELECT seq, at, login, user_id, org_id, kind, entity, record_ids, purpose,"
                       " recipient, details, hash FROM audit_log WHERE at >= ?1 ORDER BY seq",
                       &s);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, since ? since : "", -1, SQLITE_STATIC);
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        if (person_id > 0) {
            const char *entity = col(s, 6);
            if (strcmp(entity, "person") != 0 || !ids_cover(col(s, 7), person_id))
                continue;
        }
        struct store_audit_row row = {.seq = sqlite3_column_int64(s, 0),
                                      .at = col(s, 1),
                                      .login = col(s, 2),
                                      .user_id = sqlite3_column_int64(s, 3),
                                      .org_id = sqlite3_column_int64(s, 4),
                                      .kind = col(s, 5),
                                      .entity = col(s, 6),
                                      .record_ids = col(s, 7),
                                      .purpose = col(s, 8),
                                      .recipient = col(s, 9),
                                      .details = col(s, 10),
                                      .hash = col(s, 11)};
        rc = fn(ctx, &row);
        if (rc)
            break;
    }
    if (!rc && src != SQLITE_DONE && src != SQLITE_ROW)
        rc = store_db_error(st, src);
    sqlite3_finalize(s);
    return rc;
}

fn_status sqlite_audit_prune(struct store *st, const struct store_actor *a, int before_year,
                             int64_t *removed)
{
    *removed = 0;
    /* Retention is the data protection officer's (or the system's) act. */
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_AUDIT, &scope);
    if (rc)
        return rc;
    char now[64], cutoff[32];
    now_iso(now);
    int this_year = (int)strtol(now, NULL, 10);
    /* Rows of year Y are due at the end of Y + 1: in this_year, rows before
     * this_year - 1 may go, later ones must stay. */
    if (before_year < 1970 || before_year > this_year - 1)
        return FN_INVALID;
    snprintf(cutoff, sizeof cutoff, "%04d-01-01", before_year);
    rc = sqlite_audit_flush(st);
    if (rc)
        return rc;
    int own_tx = !st->in_tx;
    if (own_tx) {
        rc = sqlite_begin(st);
        if (rc)
            return rc;
    }
    sqlite3_stmt *s = NULL;
    int64_t last = 0;
    char hash[HASH_HEX] = "";
    /* The rows to delete are the prefix of the chain older than the cutoff
     * (times grow with seq; a row with a later time ends the prefix). */
    rc = store_prepare(st,
                       "SELECT seq, hash FROM audit_log WHERE seq < coalesce("
                       "(SELECT min(seq) FROM audit_log WHERE at >= ?1), 9223372036854775807)"
                       " ORDER BY seq DESC LIMIT 1",
                       &s);
    if (rc)
        goto out;
    sqlite3_bind_text(s, 1, cutoff, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        last = sqlite3_column_int64(s, 0);
        snprintf(hash, sizeof hash, "%s", col(s, 1));
    } else if (src != SQLITE_DONE) {
        rc = store_db_error(st, src);
    }
    sqlite3_finalize(s);
    s = NULL;
    if (rc || last == 0)
        goto out;
    rc = store_prepare(st,
                       "UPDATE audit_checkpoint SET seq = ?1, hash = ?2, pruned_at = ?3"
                       " WHERE one = 1",
                       &s);
    if (rc)
        goto out;
    sqlite3_bind_int64(s, 1, last);
    sqlite3_bind_text(s, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, now, -1, SQLITE_STATIC);
    src = sqlite3_step(s);
    sqlite3_finalize(s);
    s = NULL;
    if (src != SQLITE_DONE) {
        rc = store_db_error(st, src);
        goto out;
    }
    rc = store_prepare(st, "DELETE FROM audit_log WHERE seq <= ?1", &s);
    if (rc)
        goto out;
    sqlite3_bind_int64(s, 1, last);
    src = sqlite3_step(s);
    sqlite3_finalize(s);
    s = NULL;
    if (src != SQLITE_DONE) {
        rc = store_db_error(st, src);
        goto out;
    }
    *removed = sqlite3_changes64(st->db);
    char details[256];
    snprintf(details, sizeof details,
             "{\"bis_zeile\":%lld,\"kettenwert\":\"%s\",\"zeilen\":%lld,\"vor\":\"%s\"}",
             (long long)last, hash, (long long)*removed, cutoff);
    struct audit_entry e = {.actor = a,
                            .kind = AUDIT_DELETE,
                            .entity = "audit",
                            .record_ids = NULL,
                            .details = details};
    rc = audit_append_in_tx(st, &e);
out:
    if (own_tx) {
        if (rc)
            sqlite_rollback(st);
        else
            rc = sqlite_commit(st);
    }
    if (rc)
        *removed = 0;
    return rc;
}
