/*
 * audit.c – the hash-chained audit trail (§ 76 BDSG).
 *
 * Each row's hash is SHA-256 over a length-prefixed serialisation of all its
 * fields and the previous row's hash, so editing, deleting, inserting or
 * reordering rows breaks the chain at a nameable row. audit_head keeps the
 * last seq and hash so that rows cut off at the end are noticed too.
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

static const char *const kind_codes[AUDIT_KIND_COUNT] = {"collect",  "change",  "query",
                                                         "disclose", "combine", "delete"};
static const char *const kind_labels[AUDIT_KIND_COUNT] = {"Erhebung",    "Veränderung", "Abfrage",
                                                          "Offenlegung", "Kombination", "Löschung"};

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

/* The canonical row hash. Every field of the row takes part. */
static void row_hash(int64_t seq, const char *at, const char *login, int64_t user_id,
                     int64_t org_id, const char *kind, const char *entity, const char *record_ids,
                     const char *purpose, const char *recipient, const char *details,
                     const char *prev_hash, char out[HASH_HEX])
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
    row_hash(seq, at, a->login, a->user_id, a->org_id, kind, e->entity, e->record_ids, a->purpose,
             a->recipient, e->details, prev, hash);

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

fn_status sqlite_audit_verify(struct store *st, struct store_audit_report *report)
{
    memset(report, 0, sizeof *report);
    fn_status rc = sqlite_audit_flush(st);
    if (rc)
        return rc;
    sqlite3_stmt *s = NULL;
    char prev[HASH_HEX] = "0000000000000000000000000000000000000000000000000000000000000000";
    int64_t expect = 1, checkpoint = 0, covered = 0;
    /* After a retention prune the chain starts after the checkpoint. */
    rc = store_prepare(st, "SELECT seq, hash FROM audit_checkpoint WHERE one = 1", &s);
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
    rc = store_prepare(st,
                       "SELECT seq, at, login, user_id, org_id, kind, entity, record_ids, purpose,"
                       " recipient, details, prev_hash, hash FROM audit_log ORDER BY seq",
                       &s);
    if (rc)
        return rc;
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(s, 0);
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
        if (strcmp(col(s, 11), prev) != 0) {
            report->bad_seq = seq;
            snprintf(report->reason, sizeof report->reason,
                     "Zeile %lld passt nicht an ihre Vorgängerin (eingefügt, vertauscht oder "
                     "Vorgängerin verändert)",
                     (long long)seq);
            rc = FN_CORRUPT;
            break;
        }
        row_hash(seq, col(s, 1), col(s, 2), sqlite3_column_int64(s, 3), sqlite3_column_int64(s, 4),
                 col(s, 5), col(s, 6), col(s, 7), col(s, 8), col(s, 9), col(s, 10), prev, hash);
        if (strcmp(hash, col(s, 12)) != 0) {
            report->bad_seq = seq;
            snprintf(report->reason, sizeof report->reason,
                     "Zeile %lld verändert (Prüfsumme stimmt nicht)", (long long)seq);
            rc = FN_CORRUPT;
            break;
        }
        snprintf(prev, sizeof prev, "%s", hash);
        expect++;
        /* A prune row names the checkpoint it set; remember the latest. */
        if (strcmp(col(s, 5), "delete") == 0 && strcmp(col(s, 6), "audit") == 0) {
            const char *k = strstr(col(s, 10), "\"bis_zeile\":");
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
    fn_status rc = store_check_actor(a);
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
    fn_status rc = store_check_actor(a);
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
