/*
 * chain.h – the audit hash chain, independent of any backend (§ 76 BDSG).
 *
 * The policy layer owns the chain: it serialises and hashes rows (formats
 * 1 and 2, docs/audit.md), decides seq and prev_hash from the head, and
 * verifies rows that a backend hands over in seq order. A backend only
 * stores and returns rows (struct store_backend: audit_head,
 * audit_checkpoint, audit_row_insert, audit_rows_each).
 */
#ifndef FN_STORE_CHAIN_H
#define FN_STORE_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "store/store.h"

#define CHAIN_HASH_HEX 65

/* The chain format new rows are written in (see chain.c, row_hash_v2). */
#define CHAIN_HASH_VERSION 2

/* One column value as stored: NULL, or its text (integers in decimal).
 * bytes is NUL-terminated; len excludes the NUL. */
struct audit_value {
    const char *bytes; /* NULL = SQL NULL */
    size_t len;
};

/* Every column of audit_log, in the order format 2 hashes them, then hash. */
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
    COL_HASHED, /* number of hashed columns; also the index of hash */
    COL_ALL = COL_HASHED + 1
};

/* A new row, sealed by chain_seal, as a backend writes it (strings
 * borrowed; NULL = SQL NULL for record_ids, recipient, details, spool_id). */
struct audit_new_row {
    int64_t seq;
    const char *at;
    const char *login;
    int64_t user_id;
    int64_t org_id;
    const char *kind;
    const char *entity;
    const char *record_ids;
    const char *purpose;
    const char *recipient;
    const char *details;
    const char *spool_id;
    int hash_version;
    const char *prev_hash;
    const char *hash;
};

/* One audit row before it is chained (strings borrowed). */
struct audit_entry {
    const struct store_actor *actor;
    enum store_audit_kind kind;
    const char *entity;
    const char *record_ids;
    const char *details;
};

/* Current UTC time in the audit format (ISO 8601 with milliseconds), or the
 * tests' fixed clock. */
void audit_now(char out[64]);

/* Chains one audit row inside the transaction open on st: reads the head
 * through the backend, seals the row and has the backend store it. at_given
 * (NULL = now) and spool_id (NULL for rows not from a spool) for spooled
 * rows. */
FN_MUST_CHECK fn_status audit_insert_row(struct store *st, const struct audit_entry *e,
                                         const char *at_given, const char *spool_id);
/* Appends an audit row inside the transaction open on st. */
FN_MUST_CHECK fn_status audit_append_in_tx(struct store *st, const struct audit_entry *e);

/* The checkpoint a retention prune of the rows older than cutoff must set
 * (the chain goes on verifying from it): the last row of the chain's
 * prefix before its first row with at >= cutoff (text order), as times
 * grow with seq only roughly (spooled reads keep their own time). *seq 0:
 * nothing to prune. Reads only that prefix. */
FN_MUST_CHECK fn_status chain_prune_point(struct store *st, const char *cutoff, int64_t *seq,
                                          char hash[CHAIN_HASH_HEX]);

/* Verifies the whole chain of st inside one read snapshot (the caller's
 * transaction when one is open). */
FN_MUST_CHECK fn_status chain_verify(struct store *st, struct store_audit_report *report);

#endif
