/* pdate.c – partial dates: parse, format, compare, day arithmetic. */
#include "core/pdate.h"

#include "core/buf.h"

#include <stdio.h>
#include <string.h>

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int fn_pdate_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && is_leap(year))
        return 29;
    return days[month - 1];
}

/* Reads exactly n ASCII digits; returns -1 when any is not a digit. */
static int read_digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

fn_status fn_pdate_parse(const char *s, size_t len, struct fn_pdate *out)
{
    memset(out, 0, sizeof *out);
    if (len == 0)
        return FN_OK;
    if (len != 4 && len != 7 && len != 10)
        return FN_INVALID;
    int year = read_digits(s, 4);
    int month = 0, day = 0;
    if (year < 0)
        return FN_INVALID;
    if (len >= 7) {
        if (s[4] != '-')
            return FN_INVALID;
        month = read_digits(s + 5, 2);
        if (month < 0 || month > 12)
            return FN_INVALID;
    }
    if (len == 10) {
        if (s[7] != '-')
            return FN_INVALID;
        day = read_digits(s + 8, 2);
        if (day < 0)
            return FN_INVALID;
    }
    if (year == 0) {
        /* 0000-00-00 is how some exports write "unknown". */
        if (month || day)
            return FN_INVALID;
        return FN_OK;
    }
    if (year < 1000)
        return FN_INVALID;
    if (day && !month)
        return FN_INVALID;
    if (day && day > fn_pdate_days_in_month(year, month))
        return FN_INVALID;
    out->year = (uint16_t)year;
    out->month = (uint8_t)month;
    out->day = (uint8_t)day;
    if (month == 1 && day == 1)
        out->flags |= FN_PDATE_PLACEHOLDER;
    return FN_OK;
}

void fn_pdate_format(const struct fn_pdate *d, char out[11])
{
    if (!d->year) {
        out[0] = '\0';
        return;
    }
    char *p = fn_format_digits(out, d->year, 4);
    *p++ = '-';
    p = fn_format_digits(p, d->month, 2);
    *p++ = '-';
    p = fn_format_digits(p, d->day, 2);
    *p = '\0';
}

void fn_pdate_format_xjustiz(const struct fn_pdate *d, char out[11])
{
    char *p = out;
    if (d->year) {
        p = fn_format_digits(p, d->year, 4);
        if (d->month) {
            *p++ = '-';
            p = fn_format_digits(p, d->month, 2);
            if (d->day) {
                *p++ = '-';
                p = fn_format_digits(p, d->day, 2);
            }
        }
    }
    *p = '\0';
}

enum fn_pdate_precision fn_pdate_precision(const struct fn_pdate *d)
{
    if (!d->year)
        return FN_PDATE_UNKNOWN;
    if (!d->month)
        return FN_PDATE_YEAR;
    if (!d->day)
        return FN_PDATE_MONTH;
    return FN_PDATE_DAY;
}

int fn_pdate_equal(const struct fn_pdate *a, const struct fn_pdate *b)
{
    return a->year == b->year && a->month == b->month && a->day == b->day;
}

int fn_pdate_compatible(const struct fn_pdate *a, const struct fn_pdate *b)
{
    if (!a->year || !b->year)
        return 1;
    if (a->year != b->year)
        return 0;
    if (a->month && b->month && a->month != b->month)
        return 0;
    if (a->day && b->day && a->day != b->day)
        return 0;
    return 1;
}

/* Howard Hinnant's days-from-civil algorithm (public domain description). */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

fn_status fn_pdate_to_days(const struct fn_pdate *d, int32_t *days)
{
    if (!d->year)
        return FN_INVALID;
    *days = days_from_civil(d->year, d->month ? d->month : 1, d->day ? d->day : 1);
    return FN_OK;
}

void fn_pdate_from_days(int32_t z, struct fn_pdate *out)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    memset(out, 0, sizeof *out);
    out->year = (uint16_t)y;
    out->month = (uint8_t)m;
    out->day = (uint8_t)d;
    if (m == 1 && d == 1)
        out->flags |= FN_PDATE_PLACEHOLDER;
}
