/*
 * role.h – the roles of fallnetz users (issue 11) as a bit set.
 *
 * A user holds one or more roles, always within one organisation. The bit set
 * is what sessions carry and what the route table and the store's policy
 * layer test; names are the German identifiers used on the command line, in
 * the API and in docs/access.md.
 */
#ifndef FN_AUTH_ROLE_H
#define FN_AUTH_ROLE_H

#include <stddef.h>

#include "core/status.h"

enum auth_role {
    AUTH_ROLE_SACHBEARBEITUNG = 1u << 0, /* case work of its own authority */
    AUTH_ROLE_KOORDINATION = 1u << 1,    /* RRK: the persons of its region */
    AUTH_ROLE_ZAB = 1u << 2,             /* central authority: identity clarification */
    AUTH_ROLE_POLIZEI = 1u << 3,         /* reduced view of notified persons */
    AUTH_ROLE_STATISTIK = 1u << 4,       /* aggregates only */
    AUTH_ROLE_DATENSCHUTZ = 1u << 5,     /* audit trail and disclosure reports */
    AUTH_ROLE_ADMIN = 1u << 6,           /* users, organisations, tokens; no person data */
};
#define AUTH_ROLE_COUNT 7
#define AUTH_ROLE_ALL   ((1u << AUTH_ROLE_COUNT) - 1)

/* Roles whose holders may decide on intake and act as the second person of
 * a four-eyes decision. */
#define AUTH_ROLES_DECIDE (AUTH_ROLE_SACHBEARBEITUNG | AUTH_ROLE_KOORDINATION)

/* Name of one role bit ("sachbearbeitung", ...); NULL for anything else. */
const char *auth_role_name(unsigned role);

/* Parses a comma-separated list ("sachbearbeitung,koordination"; blanks
 * around names allowed) into *roles. FN_INVALID for an unknown or empty name
 * or an empty list; *bad (may be NULL) then points at the offending name in
 * text. */
FN_MUST_CHECK fn_status auth_roles_parse(const char *text, unsigned *roles, const char **bad);

/* Writes the roles as a comma-separated list in the order of enum
 * auth_role. FN_TOO_LARGE when cap is too small; FN_INVALID for bits that
 * are no role. */
FN_MUST_CHECK fn_status auth_roles_format(unsigned roles, char *out, size_t cap);

#endif
