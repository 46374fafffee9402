/* decide.c – a named person's decision with its assessment (decide.h). */
#include "assess/decide.h"

#include <stdio.h>
#include <string.h>
#include <unicode/uchar.h>

#include "assess/approval.h"
#include "assess/assess_person.h"
#include "auth/role.h"
#include "core/buf.h"
#include "core/utf8.h"

/* The rule as users read it, in step with the numbers in decide.h. */
#define REASON_RULE "mindestens 10 Zeichen ohne Leerzeichen, davon mindestens 5 Buchstaben"
#define REASON_MAX  "höchstens 4000 Bytes"
_Static_assert(ASSESS_REASON_MIN_CHARS == 10 && ASSESS_REASON_MIN_LETTERS == 5 &&
                   ASSESS_REASON_MAX_BYTES == 4000,
               "REASON_RULE and REASON_MAX must name the numbers of decide.h");

/* Counts characters and letters of a reason; white space and invisible
 * format characters (zero-width space, BOM, direction marks) are not
 * characters a reader sees, so "          " or ten NBSPs are no reason. */
fn_status assess_reason_check(const char *reason, const char **why)
{
    *why = NULL;
    if (!reason) {
        *why = "Eine Begründung (" REASON_RULE ") ist Pflicht.";
        return FN_INVALID;
    }
    size_t len = strnlen(reason, ASSESS_REASON_MAX_BYTES + 1);
    if (len > ASSESS_REASON_MAX_BYTES) {
        *why = "Die Begründung ist zu lang (" REASON_MAX ").";
        return FN_INVALID;
    }
    size_t chars = 0, letters = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t n = fn_utf8_decode(reason + i, len - i, &cp);
        if (!n) {
            *why = "Die Begründung ist kein gültiges UTF-8.";
            return FN_INVALID;
        }
        i += n;
        int8_t type = u_charType((UChar32)cp);
        int line_break = cp == '\n' || (cp == '\r' && i < len && reason[i] == '\n');
        if (type == U_CONTROL_CHAR && cp != '\t' && !line_break) {
            *why = "Die Begründung enthält ein Steuerzeichen (erlaubt sind Tabulator und "
                   "Zeilenumbruch).";
            return FN_INVALID;
        }
        if (type == U_CONTROL_CHAR || type == U_FORMAT_CHAR || u_isUWhiteSpace((UChar32)cp))
            continue;
        chars++;
        if (u_isalpha((UChar32)cp))
            letters++;
    }
    if (chars == 0) {
        *why = "Eine Begründung (" REASON_RULE ") ist Pflicht.";
        return FN_INVALID;
    }
    if (chars < ASSESS_REASON_MIN_CHARS || letters < ASSESS_REASON_MIN_LETTERS) {
        *why = "Die Begründung ist zu kurz (" REASON_RULE ").";
        return FN_INVALID;
    }
    return FN_OK;
}

/* The second person of a four-eyes decision is a real colleague: another
 * active account whose role may decide (the data protection officer may
 * not, even holding a deciding role too: the same rule as the API's
 * http_access_second_person). One person with two logins is one person:
 * the same account twice is refused. */
static fn_status second_person_check(struct store *st, const struct store_actor *actor,
                                     const char *login, struct decide_outcome *out)
{
    struct model_user u = {0};
    fn_status rc = store_user_find(st, login, &u);
    if (rc == FN_NOTFOUND) {
        snprintf(out->message, sizeof out->message,
                 "Zweite Person: Benutzerkonto '%.64s' gibt es nicht. Nichts gespeichert.", login);
        return FN_INVALID;
    }
    if (rc) {
        snprintf(out->message, sizeof out->message, "Zweite Person nicht prüfbar.");
        return rc;
    }
    if (!u.active)
        snprintf(out->message, sizeof out->message,
                 "Zweite Person: Benutzerkonto '%.64s' ist deaktiviert. Nichts gespeichert.",
                 login);
    else if ((actor->user_id && u.id == actor->user_id) || strcmp(u.login, actor->login) == 0)
        snprintf(out->message, sizeof out->message,
                 "Die zweite Person muss ein anderes Benutzerkonto sein. Nichts gespeichert.");
    else if ((u.roles & AUTH_ROLE_DATENSCHUTZ) || !(u.roles & AUTH_ROLES_DECIDE))
        snprintf(out->message, sizeof out->message,
                 "Zweite Person: '%.64s' hat keine Rolle, die über die Aufnahme entscheiden darf "
                 "(Sachbearbeitung oder Koordination, nicht Datenschutz). Nichts gespeichert.",
                 login);
    model_user_clear(&u);
    return out->message[0] ? FN_INVALID : FN_OK;
}

/* "Aufnahme trotz Sperre G1 (ungeklärt), G4" into out: every gate the
 * acceptance overrides, an ungeklärt one marked as such (a missing fact is
 * not a legal bar that was found, and the record must say which it was).
 * Truncated at size, which never cuts inside a rule id's UTF-8. */
static void gates_overridden(const struct assess_catalog *cat, const struct assess_result *res,
                             char *out, size_t size)
{
    size_t used = (size_t)snprintf(out, size, "Aufnahme trotz Sperre");
    for (int i = 0; i < res->ngates && used < size; i++) {
        int n =
            snprintf(out + used, size - used, "%s %s%s", i ? "," : "", cat->rules[res->gates[i]].id,
                     res->gate_unresolved[i] ? " (ungeklärt)" : "");
        if (n < 0 || (size_t)n >= size - used) {
            out[used] = '\0'; /* a whole entry or none */
            break;
        }
        used += (size_t)n;
    }
}

fn_status decide_record(struct store *st, const struct store_actor *actor,
                        const struct assess_catalog *cat, const struct decide_request *req,
                        struct decide_outcome *out)
{
    memset(out, 0, sizeof *out);
    const char *why = NULL;
    if (assess_reason_check(req->reason, &why) != FN_OK) {
        snprintf(out->message, sizeof out->message, "%s", why);
        return FN_INVALID;
    }
    /* Decisions only on the approved catalogue (approval.h); the store
     * refuses anything else too, this names the reason first. */
    char in_force[65];
    fn_status rc = store_catalogue_active_hash(st, in_force);
    if (rc == FN_NOTFOUND || (!rc && strcmp(in_force, cat->hash) != 0)) {
        snprintf(out->message, sizeof out->message, "%s",
                 rc ? ASSESS_NO_APPROVAL
                    : ASSESS_SIMULATION_LABEL ": eine Entscheidung wird nur mit dem "
                                              "freigegebenen Katalog gespeichert. Nichts "
                                              "gespeichert.");
        return FN_CONFLICT;
    }
    if (rc)
        return rc;
    if (req->second_login) {
        rc = second_person_check(st, actor, req->second_login, out);
        if (rc)
            return rc;
    }
    struct assess_person p;
    struct fn_buf trace;
    fn_buf_init(&trace, 64 * 1024);
    rc = assess_person(st, actor, cat, req->person_id, req->today, &p);
    if (rc) {
        snprintf(out->message, sizeof out->message, "%s",
                 rc == FN_NOTFOUND ? "Keine Person mit dieser Nummer."
                 : rc == FN_DENIED ? "Keine Berechtigung: die Rollen dieses Benutzerkontos "
                                     "dürfen nicht über die Aufnahme entscheiden."
                                   : "Person nicht lesbar.");
        goto out;
    }
    const struct assess_result *res = &p.result;
    out->band = res->band;
    out->points = res->points;
    out->blocked = res->blocked;
    if (req->accept && res->blocked) {
        gates_overridden(cat, res, out->override, sizeof out->override);
        if (cat->second_person &&
            (!req->second_login || strcmp(req->second_login, actor->login) == 0)) {
            snprintf(out->message, sizeof out->message,
                     "%.150s: der Katalog verlangt eine zweite Person (nicht "
                     "dieselbe Kennung). Nichts gespeichert.",
                     out->override);
            rc = FN_INVALID;
            goto out;
        }
    } else if (!req->accept && !res->blocked && res->band == 'A') {
        snprintf(out->override, sizeof out->override, "Ablehnung trotz Band A (%d Punkte)",
                 res->points);
    }
    char digest[65];
    struct store_assessment as;
    rc = assess_person_row(cat, &p, &trace, digest, &as);
    if (!rc)
        rc = store_begin(st);
    if (!rc) {
        rc = store_assessment_insert(st, actor, &as);
        struct store_decision dec = {.person_id = req->person_id,
                                     .assessment_id = as.id,
                                     .accept = req->accept,
                                     .reason = req->reason,
                                     .second_login = req->second_login,
                                     .override_kind = out->override[0] ? out->override : NULL,
                                     .catalog_hash = cat->hash};
        if (!rc)
            rc = store_decision_insert(st, actor, &dec);
        if (rc == FN_DENIED)
            snprintf(out->message, sizeof out->message,
                     "Keine Berechtigung: die Rollen dieses Benutzerkontos dürfen nicht über "
                     "die Aufnahme entscheiden. Nichts gespeichert.");
        else if (rc == FN_CONFLICT) /* an approval committed meanwhile */
            snprintf(out->message, sizeof out->message, "%s Nichts gespeichert.", store_errmsg(st));
        if (!rc)
            rc = store_commit(st);
        else
            store_rollback(st);
        out->decision_id = dec.id;
        out->assessment_id = as.id;
    }
out:
    assess_person_clear(&p);
    fn_buf_free(&trace);
    if (rc && !out->message[0])
        snprintf(out->message, sizeof out->message, "Speichern fehlgeschlagen.");
    return rc;
}
