/*
 * pdate.h – partial dates as a first-class type.
 *
 * Registers know many birth dates only in part: the year, or year and month.
 * The register exchange format writes unknown parts as 00 (1990-00-00,
 * 1990-07-00); XJustiz writes YYYY, YYYY-MM or YYYY-MM-DD. The AZR and BAMF
 * record 01.01.YYYY when only the year is known, so a stored 01-01 is flagged
 * as "possibly a placeholder" and compared as such (domain.md § 1.3).
 */
#ifndef FN_CORE_PDATE_H
#define FN_CORE_PDATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

#define FN_PDATE_PLACEHOLDER 0x1u /* day and month are 01-01: maybe year-only */

struct fn_pdate {
    uint16_t year; /* 0 = unknown (then the whole date is unknown) */
    uint8_t month; /* 0 = unknown, else 1..12 */
    uint8_t day;   /* 0 = unknown, else 1..31 (valid for the month) */
    uint8_t flags; /* FN_PDATE_PLACEHOLDER */
};

enum fn_pdate_precision {
    FN_PDATE_UNKNOWN = 0, /* nothing known */
    FN_PDATE_YEAR,        /* year only */
    FN_PDATE_MONTH,       /* year and month */
    FN_PDATE_DAY          /* full date */
};

/* Parses "YYYY-MM-DD" with 00 for unknown parts (register format), and also
 * the XJustiz forms "YYYY" and "YYYY-MM". "" gives the unknown date. A known
 * day with an unknown month, an impossible day (1990-02-30) or a year outside
 * 1000..9999 is FN_INVALID. Sets FN_PDATE_PLACEHOLDER for YYYY-01-01. */
FN_MUST_CHECK fn_status fn_pdate_parse(const char *s, size_t len, struct fn_pdate *out);

/* Writes the register form "YYYY-MM-DD" (00 for unknown parts; "" for the
 * unknown date) into out, which has room for at least 11 bytes. */
void fn_pdate_format(const struct fn_pdate *d, char out[11]);

/* Writes the XJustiz form "YYYY", "YYYY-MM" or "YYYY-MM-DD" ("" if unknown). */
void fn_pdate_format_xjustiz(const struct fn_pdate *d, char out[11]);

enum fn_pdate_precision fn_pdate_precision(const struct fn_pdate *d);

/* 1 when both dates have the same known parts and values. */
int fn_pdate_equal(const struct fn_pdate *a, const struct fn_pdate *b);

/* 1 when the two dates can denote the same day: every part known on both
 * sides is equal. The unknown date is compatible with everything. */
int fn_pdate_compatible(const struct fn_pdate *a, const struct fn_pdate *b);

/* Days since 1970-01-01 for a full date (proleptic Gregorian); for a partial
 * date the earliest day it can denote. Returns FN_INVALID if year unknown. */
FN_MUST_CHECK fn_status fn_pdate_to_days(const struct fn_pdate *d, int32_t *days);

/* Full date from days since 1970-01-01. */
void fn_pdate_from_days(int32_t days, struct fn_pdate *out);

/* Days in a month (1..12) of a year; 0 for a bad month. */
int fn_pdate_days_in_month(int year, int month);

#endif
