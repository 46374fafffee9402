/*
 * schema.h – the store's schema, described once (schema.c) and expanded
 * for each backend's SQL dialect. Version v's text migrates a database at
 * version v - 1 to v; a backend runs the texts of the missing versions in
 * one transaction and records each in its schema_version table.
 */
#ifndef FN_STORE_SCHEMA_H
#define FN_STORE_SCHEMA_H

enum store_dialect { STORE_DIALECT_SQLITE, STORE_DIALECT_PG, STORE_DIALECT_COUNT };

/* The migration text of version (1-based) in dialect d: statements
 * separated by ';', kept for the life of the process. NULL past the last
 * version or when memory runs out (the caller reports FN_NOMEM). */
const char *store_schema_sql_for(enum store_dialect d, int version);

#endif
