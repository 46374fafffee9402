/*
 * hash.h – FNV-1a, the one byte-string hash of fallnetz (hash tables,
 * blocking keys, name signatures). Not cryptographic: the audit chain uses
 * SHA-256.
 */
#ifndef FN_CORE_HASH_H
#define FN_CORE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define FN_FNV_OFFSET 1469598103934665603ull

/* Continues hash h over n bytes of p; start with FN_FNV_OFFSET. */
static inline uint64_t fn_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211ull;
    return h;
}

#endif
