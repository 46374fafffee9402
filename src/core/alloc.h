/*
 * alloc.h – the one allocation wrapper.
 *
 * Every heap allocation in fallnetz goes through these functions so that tests
 * can make the n-th allocation fail (SQLite-style fault injection) and check
 * that every path cleans up and reports FN_NOMEM. Unlike Redis, running out of
 * memory is not fatal: callers get NULL and must handle it.
 */
#ifndef FN_CORE_ALLOC_H
#define FN_CORE_ALLOC_H

#include <stddef.h>

/* Like malloc/calloc/realloc; return NULL on failure (or injected failure).
 * Caller owns the result and releases it with fn_free(). fn_realloc leaves
 * the old block untouched when it fails. Sizes are checked for overflow. */
void *fn_malloc(size_t size);
void *fn_calloc(size_t count, size_t size);
void *fn_realloc(void *ptr, size_t size);
/* Array forms: allocate/resize count*size with overflow check. */
void *fn_reallocarray(void *ptr, size_t count, size_t size);
/* Accepts NULL. */
void fn_free(void *ptr);

/* Copies of strings; caller frees. fn_strndup copies at most n bytes. */
char *fn_strdup(const char *s);
char *fn_strndup(const char *s, size_t n);

/* Fault injection for tests. After fn_alloc_fail_after(n), the n-th
 * following allocation (0 = the next one) and, if persistent is set, every
 * one after it fails. fn_alloc_fail_reset() turns injection off.
 * fn_alloc_failures() counts injected failures since the last reset.
 * Thread-safe (atomic counters). */
void fn_alloc_fail_after(long n, int persistent);
void fn_alloc_fail_reset(void);
long fn_alloc_failures(void);

#endif
