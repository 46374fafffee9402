/*
 * schema.h – the store's schema, described once (schema.c) and expanded
 * for each backend's SQL dialect. Version v's text migrates a database at
 * version v - 1 to v; a backend runs the texts of the missing versions in
 * one transaction and records each in its schema_version table.
 */
#ifndef FN_STORE_SCHEMA_H
#define FN_STORE_SCHEMA_H

#include <stddef.h>

#include "core/status.h"

enum store_dialect { STORE_DIALECT_SQLITE, STORE_DIALECT_PG, STORE_DIALECT_COUNT };

/* The migration text of version (1-based) in dialect d: statements
 * separated by ';', kept for the life of the process. NULL past the last
 * version or when memory runs out (the caller reports FN_NOMEM). */
const char *store_schema_sql_for(enum store_dialect d, int version);

/* The tables the schema description creates (every "CREATE TABLE name"
 * of every version, less those a later "DROP TABLE name" removes), in the
 * order they are created: a table comes after every table its foreign keys
 * name, so rows copied in this order satisfy them. *names is kept for the
 * life of the process. FN_TOO_LARGE past STORE_SCHEMA_MAX_TABLES. */
#define STORE_SCHEMA_MAX_TABLES 64
FN_MUST_CHECK fn_status store_schema_tables(const char *const **names, size_t *n);

/* 1 when name is a plain SQL name of the schema ([a-z_][a-z0-9_]*, at most
 * 63 bytes): safe to put into SQL text unquoted on both dialects. */
int store_sql_name_ok(const char *name);

/* Appends "<verb> <table> (<names[0]>, …, <names[n-1]>)" to b, the head of
 * an INSERT or COPY of whole rows; FN_INVALID for a name that is not
 * store_sql_name_ok or for n outside 1..max_columns. */
struct fn_buf;
FN_MUST_CHECK fn_status store_sql_columns(struct fn_buf *b, const char *verb, const char *table,
                                          const char *const *names, size_t n, size_t max_columns);

#endif
