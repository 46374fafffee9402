/*
 * catalogue_sql.h – the SQL of the catalogue rows (schema version 12),
 * written once for both backends: parameters are $1, $2, ... in order of
 * first use, which SQLite binds by the same index as PostgreSQL.
 *
 * The select list: id, sha256, name, version, text, proposed_by,
 * proposed_by_id, proposed_at, then the catalogue's latest approval
 * (approved_by, approved_by_id, approved_at; NULL when never approved) and
 * whether that approval is the newest of all (the catalogue in force).
 */
#ifndef FN_STORE_CATALOGUE_SQL_H
#define FN_STORE_CATALOGUE_SQL_H

#define CATALOGUE_SQL_INSERT                                                                       \
    "INSERT INTO catalogue (sha256, name, version, text, proposed_by, proposed_by_id,"             \
    " proposed_at) VALUES ($1,$2,$3,$4,$5,$6,$7)"

#define CATALOGUE_SQL_APPROVE                                                                      \
    "INSERT INTO catalogue_approval (catalogue_id, approved_by, approved_by_id, approved_at)"      \
    " VALUES ($1,$2,$3,$4)"

/* The id of the catalogue with the newest approval. */
#define CATALOGUE_SQL_ACTIVE_ID                                                                    \
    "(SELECT catalogue_id FROM catalogue_approval ORDER BY id DESC LIMIT 1)"

#define CATALOGUE_SQL_SELECT                                                                       \
    "SELECT c.id, c.sha256, c.name, c.version, c.text, c.proposed_by, c.proposed_by_id,"           \
    " c.proposed_at, a.approved_by, a.approved_by_id, a.approved_at,"                              \
    " CASE WHEN a.id = (SELECT max(id) FROM catalogue_approval) THEN 1 ELSE 0 END"                 \
    " FROM catalogue c LEFT JOIN catalogue_approval a ON a.id = (SELECT max(x.id)"                 \
    " FROM catalogue_approval x WHERE x.catalogue_id = c.id)"

#define CATALOGUE_SQL_BY_HASH   CATALOGUE_SQL_SELECT " WHERE c.sha256 = $1"
#define CATALOGUE_SQL_IN_FORCE  CATALOGUE_SQL_SELECT " WHERE c.id = " CATALOGUE_SQL_ACTIVE_ID
#define CATALOGUE_SQL_ALL       CATALOGUE_SQL_SELECT " ORDER BY c.id DESC"
#define CATALOGUE_SQL_HASH_ONLY "SELECT sha256 FROM catalogue WHERE id = " CATALOGUE_SQL_ACTIVE_ID
#define ASSESSMENT_SQL_HASH     "SELECT catalog_hash FROM assessment WHERE id = $1"

/* Column indexes of CATALOGUE_SQL_SELECT. */
enum catalogue_col {
    CAT_COL_ID,
    CAT_COL_SHA256,
    CAT_COL_NAME,
    CAT_COL_VERSION,
    CAT_COL_TEXT,
    CAT_COL_PROPOSED_BY,
    CAT_COL_PROPOSED_BY_ID,
    CAT_COL_PROPOSED_AT,
    CAT_COL_APPROVED_BY,
    CAT_COL_APPROVED_BY_ID,
    CAT_COL_APPROVED_AT,
    CAT_COL_ACTIVE
};

/* Fills *out from one row of CATALOGUE_SQL_SELECT given as text
 * (values[CAT_COL_*], NULL for SQL NULL; integers in decimal); copies the
 * text only with with_text (caller clears with store_catalogue_clear).
 * policy_catalogue.c, for both backends. */
#include "store/store.h"
FN_MUST_CHECK fn_status store_catalogue_fill(struct store_catalogue *out,
                                             const char *const values[CAT_COL_ACTIVE + 1],
                                             int with_text);

/* FN_OK when hash is the catalogue in force; FN_CONFLICT with a German
 * store_errmsg when no catalogue is approved or hash is another one (a
 * simulation). For the policy of assessments and decisions. */
FN_MUST_CHECK fn_status store_catalogue_require(struct store *st, const char *hash);

#endif
