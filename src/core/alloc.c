/* alloc.c – allocation wrapper with test-time fault injection. */
#include "core/alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static atomic_int fail_armed = 0;      /* injection on */
static atomic_int fail_persistent = 0; /* keep failing after the first */
static atomic_int fail_tripped = 0;    /* the countdown reached zero */
static atomic_long fail_countdown = 0; /* allocations left before the failure */
static atomic_long fail_count = 0;     /* injected failures since reset */

/* Returns 1 when this allocation must fail. */
static int alloc_should_fail(void)
{
    if (!atomic_load_explicit(&fail_armed, memory_order_relaxed))
        return 0;
    if (atomic_load(&fail_tripped)) {
        if (!atomic_load(&fail_persistent))
            return 0;
        atomic_fetch_add(&fail_count, 1);
        return 1;
    }
    if (atomic_fetch_sub(&fail_countdown, 1) != 0)
        return 0;
    atomic_store(&fail_tripped, 1);
    atomic_fetch_add(&fail_count, 1);
    return 1;
}

void fn_alloc_fail_after(long n, int persistent)
{
    atomic_store(&fail_armed, 0);
    atomic_store(&fail_persistent, persistent ? 1 : 0);
    atomic_store(&fail_tripped, 0);
    atomic_store(&fail_count, 0);
    atomic_store(&fail_countdown, n < 0 ? 0 : n);
    atomic_store(&fail_armed, 1);
}

void fn_alloc_fail_reset(void)
{
    atomic_store(&fail_armed, 0);
    atomic_store(&fail_tripped, 0);
    atomic_store(&fail_persistent, 0);
}

long fn_alloc_failures(void)
{
    return atomic_load(&fail_count);
}

void *fn_malloc(size_t size)
{
    if (alloc_should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *fn_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    if (alloc_should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *fn_realloc(void *ptr, size_t size)
{
    if (alloc_should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void *fn_reallocarray(void *ptr, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return fn_realloc(ptr, count * size);
}

void fn_free(void *ptr)
{
    free(ptr);
}

char *fn_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *copy = fn_malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *fn_strdup(const char *s)
{
    return fn_strndup(s, SIZE_MAX);
}
