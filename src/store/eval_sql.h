/*
 * eval_sql.h – the two queries of store_eval_each (store.h), written once
 * for both backends: P is the parameter prefix ("?" for SQLite, "$" for
 * PostgreSQL), SCOPE the backend's scope condition over parameters 1..3
 * (STORE_SCOPE_SQL, PG_SCOPE_SQL). Both aggregate per person in SQL so that
 * a backend streams one row per person and nothing is held in memory.
 *
 * Decisions: $4, $5 the period as decision.at bounds (text, ISO 8601 UTC),
 * $6 the region id (0: all). Population: $4 the period's end, $5 the
 * region id.
 */
#ifndef FN_STORE_EVAL_SQL_H
#define FN_STORE_EVAL_SQL_H

#include "store/store.h"

/* Where a backend's rows go. */
struct eval_sink {
    store_eval_decision_fn dfn;
    store_eval_person_fn pfn;
    void *ctx;
};

/* The responsible authority, its region and the audit-only columns. */
#define EVAL_SQL_PERSON_COLUMNS                                                                    \
    " r.code, o.code, p.sex, substr(p.birth_date, 1, 4), substr(p.nationalities, 1, 3)"
#define EVAL_SQL_PERSON_JOINS                                                                      \
    " LEFT JOIN organisation o ON o.id = p.authority_id"                                           \
    " LEFT JOIN region r ON r.id = o.region_id"

/* The latest decision per person in the period and how many came before
 * it in the period. Columns: hash, version, blocked, band, outcome,
 * override_kind, earlier, then EVAL_SQL_PERSON_COLUMNS. */
#define EVAL_SQL_DECISIONS(P, SCOPE)                                                               \
    "SELECT a.catalog_hash, a.catalog_version, a.blocked, a.band, d.outcome, d.override_kind,"     \
    " l.n - 1," EVAL_SQL_PERSON_COLUMNS                                                            \
    " FROM (SELECT person_id, MAX(id) AS id, COUNT(*) AS n FROM decision"                          \
    " WHERE at >= " P "4 AND at <= " P "5 GROUP BY person_id) l"                                   \
    " JOIN decision d ON d.id = l.id JOIN assessment a ON a.id = d.assessment_id"                  \
    " JOIN person p ON p.id = l.person_id" EVAL_SQL_PERSON_JOINS " WHERE " SCOPE " AND (" P        \
    "6 = 0 OR o.region_id = " P "6)"

/* Every person in scope with the latest assessment at or before the
 * period's end and the recorded outcome. Columns: hash, version, blocked,
 * band, trace, EVAL_SQL_PERSON_COLUMNS, case outcome (2/1/0), custody
 * pending deportation (count). */
#define EVAL_SQL_POPULATION(P, SCOPE)                                                              \
    "SELECT a.catalog_hash, a.catalog_version, a.blocked, a.band, "                                \
    "a.trace," EVAL_SQL_PERSON_COLUMNS ","                                                         \
    " (SELECT MAX(CASE c.status WHEN 'massnahme' THEN 2 WHEN 'abgeschlossen' THEN 1 ELSE 0 END)"   \
    " FROM case_file c WHERE c.person_id = p.id),"                                                 \
    " (SELECT COUNT(*) FROM custody k WHERE k.person_id = p.id AND k.kind = 'abschiebungshaft')"   \
    " FROM person p"                                                                               \
    " LEFT JOIN (SELECT person_id, MAX(id) AS id FROM assessment WHERE at <= " P "4"               \
    " GROUP BY person_id) l ON l.person_id = p.id"                                                 \
    " LEFT JOIN assessment a ON a.id = l.id" EVAL_SQL_PERSON_JOINS " WHERE " SCOPE " AND (" P      \
    "5 = 0 OR o.region_id = " P "5)"

#endif
