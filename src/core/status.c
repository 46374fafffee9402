/* status.c – names of fn_status values for messages and logs. */
#include "core/status.h"

const char *fn_status_str(fn_status rc)
{
    switch (rc) {
    case FN_OK:
        return "ok";
    case FN_NOMEM:
        return "out of memory";
    case FN_INVALID:
        return "invalid input";
    case FN_NOTFOUND:
        return "not found";
    case FN_IO:
        return "input/output error";
    case FN_TOO_LARGE:
        return "size limit exceeded";
    case FN_CONFLICT:
        return "conflict";
    case FN_DENIED:
        return "access denied";
    case FN_CORRUPT:
        return "integrity check failed";
    case FN_UNSUPPORTED:
        return "not supported";
    case FN_BUSY:
        return "busy";
    case FN_DB:
        return "database error";
    case FN_INTERNAL:
        return "internal error";
    case FN_STALE:
        return "changed meanwhile";
    case FN_UNAVAILABLE:
        return "database unavailable";
    case FN_STATUS_COUNT:
        break;
    }
    return "unknown status";
}
