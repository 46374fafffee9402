/*
 * chain.c – the hash-chained audit trail (§ 76 BDSG), above every backend.
 *
 * Each row's hash is SHA-256 over a length-prefixed serialisation of all its
 * columns and the previous row's hash, so editing, deleting, inserting or
 * reordering rows breaks the chain at a nameable row. The head (last seq
 * and hash) lets rows cut off at the end be noticed too.
 *
 * Chain formats (audit_log.hash_version, docs/audit.md): format 1 (schema
 * versions 1-7) left out spool_id and did not tell NULL from ""; format 2
 * covers every column, NULL included. Old rows keep format 1; once a row is
 * format 2 every later row must be too.
 *
 * The backend only stores rows (backend.h); seq, prev_hash, hash and the
 * verification are decided here, so every backend chains alike.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "store/backend.h"
#include "store/chain.h"
#include "store/store_int.h"

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

void audit_now(char out[64])
{
    if (test_clock[0]) {
        snprintf(out, 64, "%s", test_clock);
        return;
    }
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    /* "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ" without snprintf: every read's
     * audit row takes a timestamp */
    char *p = fn_format_digits(out, (unsigned)((tm.tm_year + 1900) % 10000), 4);
    *p++ = '-';
    p = fn_format_digits(p, (unsigned)((tm.tm_mon + 1) % 100), 2);
    *p++ = '-';
    p = fn_format_digits(p, (unsigned)tm.tm_mday, 2);
    *p++ = 'T';
    p = fn_format_digits(p, (unsigned)tm.tm_hour, 2);
    *p++ = ':';
    p = fn_format_digits(p, (unsigned)tm.tm_min, 2);
    *p++ = ':';
    p = fn_format_digits(p, (unsigned)tm.tm_sec, 2);
    *p++ = '.';
    p = fn_format_digits(p, (unsigned)((ts.tv_nsec / 1000000L) % 1000), 3);
    *p++ = 'Z';
    *p = '\0';
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

/* A stored value as text ("" for NULL), as format 1 saw it. */
static const char *text_or_empty(const struct audit_value *v)
{
    return v->bytes ? v->bytes : "";
}

/* A stored value as an integer, as the engine converts it (NULL = 0). */
static int64_t int_of(const struct audit_value *v)
{
    return v->bytes ? strtoll(v->bytes, NULL, 10) : 0;
}

/* Chain format 1 (rows written before schema version 8): every field but
 * spool_id, NULL hashed like "". Kept only to verify those rows. */
static void row_hash_v1(const struct audit_value v[COL_ALL], const char *prev_hash,
                        char out[CHAIN_HASH_HEX])
{
    crypto_hash_sha256_state h;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&h);
    hash_int(&h, int_of(&v[COL_SEQ]));
    hash_field(&h, text_or_empty(&v[COL_AT]));
    hash_field(&h, text_or_empty(&v[COL_LOGIN]));
    hash_int(&h, int_of(&v[COL_USER_ID]));
    hash_int(&h, int_of(&v[COL_ORG_ID]));
    hash_field(&h, text_or_empty(&v[COL_KIND]));
    hash_field(&h, text_or_empty(&v[COL_ENTITY]));
    hash_field(&h, text_or_empty(&v[COL_RECORD_IDS]));
    hash_field(&h, text_or_empty(&v[COL_PURPOSE]));
    hash_field(&h, text_or_empty(&v[COL_RECIPIENT]));
    hash_field(&h, text_or_empty(&v[COL_DETAILS]));
    hash_field(&h, prev_hash);
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(out, CHAIN_HASH_HEX, digest, sizeof digest);
}

static struct audit_value text_value(const char *s)
{
    return (struct audit_value){.bytes = s, .len = s ? strlen(s) : 0};
}

/* Chain format 2: SHA-256 over "fallnetz-audit-2;" and every column but
 * hash, each as "<len>:<bytes>;" or "-;" for NULL, so no two rows that
 * differ in any column (NULL vs "" included) hash alike. */
static void row_hash_v2(const struct audit_value v[COL_HASHED], char out[CHAIN_HASH_HEX])
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
        char len[FN_I64_CHARS + 1];
        size_t k = fn_format_i64((int64_t)v[i].len, len);
        len[k++] = ':';
        crypto_hash_sha256_update(&h, (const unsigned char *)len, (unsigned long long)k);
        crypto_hash_sha256_update(&h, (const unsigned char *)v[i].bytes, v[i].len);
        crypto_hash_sha256_update(&h, (const unsigned char *)";", 1);
    }
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(out, CHAIN_HASH_HEX, digest, sizeof digest);
}

/* Backends store "" as NULL for optional text; the hash must see what is
 * stored. */
static const char *stored_text(const char *s)
{
    return s && s[0] ? s : NULL;
}

fn_status audit_insert_row(struct store *st, const struct audit_entry *e, const char *at_given,
                           const char *spool_id)
{
    int64_t head_seq = 0;
    char prev[CHAIN_HASH_HEX];
    fn_status rc = st->ops->audit_head(st, &head_seq, prev);
    if (rc)
        return rc == FN_NOTFOUND ? FN_DB : rc;
    int64_t seq = head_seq + 1;

    char at[64], hash[CHAIN_HASH_HEX];
    if (at_given)
        snprintf(at, sizeof at, "%s", at_given);
    else
        audit_now(at);
    const struct store_actor *a = e->actor;
    const char *kind = store_audit_kind_code(e->kind);
    char seq_text[FN_I64_CHARS], user_text[FN_I64_CHARS], org_text[FN_I64_CHARS],
        version_text[FN_I64_CHARS];
    fn_format_i64(seq, seq_text);
    fn_format_i64(a->user_id, user_text);
    fn_format_i64(a->org_id, org_text);
    fn_format_i64(CHAIN_HASH_VERSION, version_text);
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

    struct audit_new_row row = {.seq = seq,
                                .at = at,
                                .login = a->login,
                                .user_id = a->user_id,
                                .org_id = a->org_id,
                                .kind = kind,
                                .entity = e->entity,
                                .record_ids = stored_text(e->record_ids),
                                .purpose = a->purpose,
                                .recipient = stored_text(a->recipient),
                                .details = stored_text(e->details),
                                .spool_id = stored_text(spool_id),
                                .hash_version = CHAIN_HASH_VERSION,
                                .prev_hash = prev,
                                .hash = hash};
    return st->ops->audit_row_insert(st, &row);
}

fn_status audit_append_in_tx(struct store *st, const struct audit_entry *e)
{
    return audit_insert_row(st, e, NULL, NULL);
}

/* chain_prune_point's walk over the oldest rows. */
struct prune_walk {
    const char *cutoff;
    int64_t seq;
    char hash[CHAIN_HASH_HEX];
    int reached; /* stopped at the first row at or after the cutoff */
};

static fn_status prune_row(void *ctx, const struct audit_value v[COL_ALL])
{
    struct prune_walk *w = ctx;
    if (strcmp(text_or_empty(&v[COL_AT]), w->cutoff) >= 0) {
        w->reached = 1;
        return FN_CONFLICT; /* any nonzero status stops the walk */
    }
    w->seq = int_of(&v[COL_SEQ]);
    snprintf(w->hash, sizeof w->hash, "%s", text_or_empty(&v[COL_HASHED]));
    return FN_OK;
}

fn_status chain_prune_point(struct store *st, const char *cutoff, int64_t *seq,
                            char hash[CHAIN_HASH_HEX])
{
    struct prune_walk w = {.cutoff = cutoff};
    fn_status rc = st->ops->audit_rows_each(st, prune_row, &w);
    if (rc && w.reached)
        rc = FN_OK;
    *seq = rc ? 0 : w.seq;
    snprintf(hash, CHAIN_HASH_HEX, "%s", rc ? "" : w.hash);
    return rc;
}

/* 1 when s is a decimal integer as an engine prints one (the column held
 * an integer, not text or a real). */
static int integer_text(const struct audit_value *v)
{
    const char *p = v->bytes;
    if (!p)
        return 0;
    if (*p == '-')
        p++;
    if (!*p)
        return 0;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

/* The verifier's state while rows come in seq order. */
struct chain_check {
    struct store_audit_report *report;
    char prev[CHAIN_HASH_HEX];
    int64_t expect;
    int64_t covered; /* the checkpoint the latest prune row names */
    int64_t newest_format;
};

/* Recomputes the hash of row v in its chain format. Returns FN_CORRUPT
 * (with the reason) for a format that is unknown or older than a format
 * already seen. */
static fn_status recompute_row_hash(struct chain_check *c, const struct audit_value v[COL_ALL],
                                    char hash[CHAIN_HASH_HEX])
{
    struct store_audit_report *report = c->report;
    int64_t seq = int_of(&v[COL_SEQ]);
    int64_t format = int_of(&v[COL_HASH_VERSION]);
    if (!integer_text(&v[COL_HASH_VERSION]) || format < 1 || format > CHAIN_HASH_VERSION) {
        report->bad_seq = seq;
        snprintf(report->reason, sizeof report->reason,
                 "Zeile %lld verändert (unbekanntes Kettenformat)", (long long)seq);
        return FN_CORRUPT;
    }
    if (format < c->newest_format) {
        report->bad_seq = seq;
        snprintf(report->reason, sizeof report->reason,
                 "Zeile %lld verändert (Kettenformat %lld nach Format %lld zurückgestuft)",
                 (long long)seq, (long long)format, (long long)c->newest_format);
        return FN_CORRUPT;
    }
    c->newest_format = format;
    if (format == 1) {
        row_hash_v1(v, c->prev, hash);
        return FN_OK;
    }
    struct audit_value hashed[COL_HASHED];
    memcpy(hashed, v, sizeof hashed);
    hashed[COL_PREV_HASH] = text_value(c->prev); /* checked equal to the stored one */
    row_hash_v2(hashed, hash);
    return FN_OK;
}

/* Checks one row against the chain so far (audit_rows_each callback). */
static fn_status check_row(void *ctx, const struct audit_value v[COL_ALL])
{
    struct chain_check *c = ctx;
    struct store_audit_report *report = c->report;
    int64_t seq = int_of(&v[COL_SEQ]);
    char hash[CHAIN_HASH_HEX];
    report->rows++;
    if (seq != c->expect) {
        report->bad_seq = c->expect;
        snprintf(report->reason, sizeof report->reason,
                 seq > c->expect ? "Zeile %lld fehlt (gelöscht); nächste vorhandene Zeile %lld"
                                 : "Zeile %lld doppelt oder eingefügt (gefunden: %lld)",
                 (long long)c->expect, (long long)seq);
        return FN_CORRUPT;
    }
    if (strcmp(text_or_empty(&v[COL_PREV_HASH]), c->prev) != 0) {
        report->bad_seq = seq;
        snprintf(report->reason, sizeof report->reason,
                 "Zeile %lld passt nicht an ihre Vorgängerin (eingefügt, vertauscht oder "
                 "Vorgängerin verändert)",
                 (long long)seq);
        return FN_CORRUPT;
    }
    fn_status rc = recompute_row_hash(c, v, hash);
    if (rc)
        return rc;
    if (strcmp(hash, text_or_empty(&v[COL_HASHED])) != 0) {
        report->bad_seq = seq;
        snprintf(report->reason, sizeof report->reason,
                 "Zeile %lld verändert (Prüfsumme stimmt nicht)", (long long)seq);
        return FN_CORRUPT;
    }
    snprintf(c->prev, sizeof c->prev, "%s", hash);
    c->expect++;
    /* A prune row names the checkpoint it set; remember the latest. */
    if (strcmp(text_or_empty(&v[COL_KIND]), "delete") == 0 &&
        strcmp(text_or_empty(&v[COL_ENTITY]), "audit") == 0) {
        const char *k = strstr(text_or_empty(&v[COL_DETAILS]), "\"bis_zeile\":");
        if (k)
            c->covered = strtoll(k + 12, NULL, 10);
    }
    return FN_OK;
}

/* The chain check proper; runs inside one read snapshot, so the checkpoint,
 * the rows and the head are one consistent state however many rows are
 * chained meanwhile. */
static fn_status verify_snapshot(struct store *st, struct store_audit_report *report)
{
    struct chain_check c = {.report = report, .newest_format = 1};
    int64_t checkpoint = 0;
    /* After a retention prune the chain starts after the checkpoint. */
    fn_status rc = st->ops->audit_checkpoint(st, &checkpoint, c.prev);
    if (rc == FN_NOTFOUND) {
        snprintf(report->reason, sizeof report->reason, "Prüfpunkt des Protokolls fehlt");
        return FN_CORRUPT;
    }
    if (rc)
        return rc;
    c.expect = checkpoint + 1;
    rc = st->ops->audit_rows_each(st, check_row, &c);
    if (rc)
        return rc;
    if (checkpoint != c.covered) {
        report->bad_seq = checkpoint + 1;
        snprintf(report->reason, sizeof report->reason,
                 "Prüfpunkt bei Zeile %lld ist durch keine protokollierte Löschung gedeckt "
                 "(Zeilen am Anfang unbefugt gelöscht)",
                 (long long)checkpoint);
        return FN_CORRUPT;
    }
    snprintf(report->head_hash, sizeof report->head_hash, "%s", c.prev);
    int64_t head_seq = 0;
    char head_hash[CHAIN_HASH_HEX];
    rc = st->ops->audit_head(st, &head_seq, head_hash);
    if (rc == FN_NOTFOUND) {
        snprintf(report->reason, sizeof report->reason, "Kopfzeile des Protokolls fehlt");
        return FN_CORRUPT;
    }
    if (rc)
        return rc;
    if (head_seq != c.expect - 1 || strcmp(head_hash, c.prev) != 0) {
        report->bad_seq = c.expect;
        snprintf(report->reason, sizeof report->reason,
                 "Protokoll endet bei Zeile %lld, die Kopfzeile nennt Zeile %lld "
                 "(Zeilen am Ende gelöscht oder Kopfzeile verändert)",
                 (long long)(c.expect - 1), (long long)head_seq);
        return FN_CORRUPT;
    }
    return FN_OK;
}

fn_status chain_verify(struct store *st, struct store_audit_report *report)
{
    /* Log and head must be read from one state: rows chained between two
     * separate reads looked like rows cut off at the end (issue 10). */
    int own_snapshot = !st->ops->in_transaction(st); /* a transaction is one state already */
    fn_status rc = FN_OK;
    if (own_snapshot) {
        rc = st->ops->read_begin(st);
        if (rc)
            return rc;
    }
    rc = verify_snapshot(st, report);
    if (own_snapshot)
        st->ops->read_end(st);
    return rc;
}
