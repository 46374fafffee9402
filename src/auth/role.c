/* role.c – role names, parsing and formatting (role.h). */
#include "auth/role.h"

#include <string.h>

static const char *const role_names[AUTH_ROLE_COUNT] = {
    "sachbearbeitung", "koordination", "zab", "polizei", "statistik", "datenschutz", "admin",
};

const char *auth_role_name(unsigned role)
{
    for (unsigned i = 0; i < AUTH_ROLE_COUNT; i++)
        if (role == 1u << i)
            return role_names[i];
    return NULL;
}

fn_status auth_roles_parse(const char *text, unsigned *roles, const char **bad)
{
    unsigned set = 0;
    const char *p = text;
    *roles = 0;
    if (bad)
        *bad = text;
    for (;;) {
        while (*p == ' ')
            p++;
        const char *start = p;
        while (*p && *p != ',' && *p != ' ')
            p++;
        size_t len = (size_t)(p - start);
        while (*p == ' ')
            p++;
        unsigned found = 0;
        for (unsigned i = 0; i < AUTH_ROLE_COUNT && len; i++)
            if (strlen(role_names[i]) == len && memcmp(role_names[i], start, len) == 0)
                found = 1u << i;
        if (!found || (*p && *p != ',')) {
            if (bad)
                *bad = start;
            return FN_INVALID;
        }
        set |= found;
        if (!*p)
            break;
        p++; /* the comma */
    }
    *roles = set;
    return FN_OK;
}

fn_status auth_roles_format(unsigned roles, char *out, size_t cap)
{
    if (!cap)
        return FN_TOO_LARGE;
    out[0] = '\0';
    if (roles & ~AUTH_ROLE_ALL)
        return FN_INVALID;
    size_t used = 0;
    for (unsigned i = 0; i < AUTH_ROLE_COUNT; i++) {
        if (!(roles & (1u << i)))
            continue;
        size_t n = strlen(role_names[i]);
        size_t need = n + (used ? 1 : 0);
        if (used + need + 1 > cap) {
            out[0] = '\0';
            return FN_TOO_LARGE;
        }
        if (used)
            out[used++] = ',';
        memcpy(out + used, role_names[i], n);
        used += n;
        out[used] = '\0';
    }
    return FN_OK;
}
