/*
 * status.h – the one status enum every fallible fallnetz function returns.
 *
 * Convention: FN_OK is 0, so `if (rc) goto out;` reads naturally. Functions
 * that can fail are declared FN_MUST_CHECK so the compiler refuses to let a
 * caller ignore the result.
 */
#ifndef FN_CORE_STATUS_H
#define FN_CORE_STATUS_H

#define FN_MUST_CHECK __attribute__((warn_unused_result))

typedef enum fn_status {
    FN_OK = 0,
    FN_NOMEM,       /* an allocation failed */
    FN_INVALID,     /* input is malformed or an argument is out of range */
    FN_NOTFOUND,    /* the requested record or file does not exist */
    FN_IO,          /* a read, write, fsync or rename failed (errno kept) */
    FN_TOO_LARGE,   /* a hard size cap was hit */
    FN_CONFLICT,    /* uniqueness or state conflict (duplicate id) */
    FN_DENIED,      /* the actor may not do this (need-to-know, role) */
    FN_CORRUPT,     /* stored data fails an integrity check (audit chain, schema) */
    FN_UNSUPPORTED, /* valid request the build or backend cannot serve */
    FN_BUSY,        /* a resource is locked; may succeed on retry */
    FN_DB,          /* the database engine reported an error */
    FN_INTERNAL,    /* a broken invariant that was caught instead of crashing */
    FN_STALE,       /* the record changed since the caller read it (version differs) */
    FN_UNAVAILABLE, /* the database server cannot be reached (connection lost or
                     * refused); may succeed on retry once it is back */
    FN_STATUS_COUNT
} fn_status;

/* Short English name of a status ("ok", "out of memory", ...). Never NULL. */
const char *fn_status_str(fn_status rc);

#endif
