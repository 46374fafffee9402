/* facts.c – the allow-list of assessment facts and their derivation from a
 * person's file (see facts.h). */
#include "assess/facts.h"

#include <string.h>

static const struct assess_fact_def defs[F_COUNT] = {
    [F_ENFORCEABLE_OBLIGATION] = {"ausreisepflicht_vollziehbar", FACT_BOOL, FACT_USE_ANY,
                                  "vollziehbar ausreisepflichtig"},
    [F_DEPARTURE_DEADLINE_OVER] = {"ausreisefrist_abgelaufen", FACT_BOOL, FACT_USE_ANY,
                                   "Ausreisefrist abgelaufen"},
    [F_DEPORTATION_BAN] = {"abschiebungsverbot", FACT_BOOL, FACT_USE_GATE,
                           "Abschiebungsverbot festgestellt"},
    [F_ASYLUM_PENDING] = {"asyl_oder_eilverfahren_anhaengig", FACT_BOOL, FACT_USE_GATE,
                          "Asyl- oder Eilverfahren anhängig"},
    [F_DULDUNG] = {"duldung", FACT_BOOL, FACT_USE_GATE | FACT_USE_FEASIBLE, "Duldung"},
    [F_PENDING_INVESTIGATION] = {"verfahren_anhaengig", FACT_BOOL, FACT_USE_GATE,
                                 "Ermittlungs- oder Strafverfahren anhängig"},
    [F_CONSENT_MISSING] = {"einvernehmen_sta_fehlt", FACT_BOOL, FACT_USE_GATE,
                           "Einvernehmen der Staatsanwaltschaft fehlt"},
    [F_IN_CUSTODY] = {"in_haft", FACT_BOOL, FACT_USE_GATE | FACT_USE_DEADLINE | FACT_USE_FEASIBLE,
                      "in Haft"},
    [F_DECISION_456A] = {"entscheidung_456a", FACT_BOOL, FACT_USE_ANY,
                         "Entscheidung nach § 456a StPO"},
    [F_MINOR_NO_HANDOVER] = {"minderjaehrig_uebergabe_ungesichert", FACT_BOOL, FACT_USE_GATE,
                             "minderjährig, Übergabe nicht gesichert"},
    [F_MAX_SENTENCE_MONTHS] = {"hoechste_strafe_monate", FACT_INT, FACT_USE_POINTS,
                               "höchste rechtskräftige Freiheits-/Jugendstrafe (Monate)"},
    [F_MAX_UNSUSPENDED_JUVENILE_MONTHS] = {"jugendstrafe_ohne_bewaehrung_monate", FACT_INT,
                                           FACT_USE_POINTS, "Jugendstrafe ohne Bewährung (Monate)"},
    [F_MAX_LISTED_OFFENCE_MONTHS] = {"katalogtat_strafe_monate", FACT_INT, FACT_USE_POINTS,
                                     "Strafe für Taten nach § 54 Abs. 1 Nr. 1a (Monate)"},
    [F_MAX_BTM_263_MONTHS] = {"btm_oder_263_strafe_monate", FACT_INT, FACT_USE_POINTS,
                              "Strafe für BtMG-Taten oder § 263 StGB (Monate)"},
    [F_PREVENTIVE_DETENTION] = {"sicherungsverwahrung", FACT_BOOL, FACT_USE_POINTS,
                                "Sicherungsverwahrung angeordnet"},
    [F_BTM_TRADE_CONVICTION] = {"btm_handel_verurteilt", FACT_BOOL, FACT_USE_POINTS,
                                "rechtskräftig verurteilt wegen BtM-Handels"},
    [F_FINAL_CONVICTIONS_5Y] = {"verurteilungen_5_jahre", FACT_INT, FACT_USE_POINTS,
                                "rechtskräftige Verurteilungen der letzten 5 Jahre"},
    [F_SECURITY_GROUND] = {"sicherheitsgrund_festgestellt", FACT_BOOL, FACT_USE_POINTS,
                           "Sicherheitsgrund von zuständiger Stelle festgestellt"},
    [F_NONCOOPERATION] = {"nichtmitwirkung_festgestellt", FACT_BOOL,
                          FACT_USE_POINTS | FACT_USE_FEASIBLE,
                          "Nichtmitwirkung nach Belehrung dokumentiert"},
    [F_STAY_INTEREST_SEVERE] = {"bleibeinteresse_besonders_schwer", FACT_BOOL, FACT_USE_WEIGHING,
                                "Bleibeinteresse besonders schwer (§ 55 Abs. 1)"},
    [F_STAY_INTEREST] = {"bleibeinteresse_schwer", FACT_BOOL, FACT_USE_WEIGHING,
                         "Bleibeinteresse schwer (§ 55 Abs. 2)"},
    [F_PROTECTED_STATUS] = {"schutzstatus_53_3", FACT_BOOL, FACT_USE_GATE | FACT_USE_WEIGHING,
                            "geschützter Status (§ 53 Abs. 3–3b)"},
    [F_VALID_PASSPORT] = {"reisedokument_gueltig", FACT_BOOL, FACT_USE_FEASIBLE,
                          "gültiges, geprüftes Reisedokument"},
    [F_IDENTITY_CLARIFIED] = {"identitaet_geklaert", FACT_BOOL, FACT_USE_FEASIBLE,
                              "Identität geklärt"},
    [F_IDENTITY_IN_PROGRESS] = {"identitaet_in_klaerung", FACT_BOOL, FACT_USE_FEASIBLE,
                                "Identität in Klärung"},
    [F_DAYS_TO_RELEASE] = {"tage_bis_entlassung", FACT_INT, FACT_USE_DEADLINE,
                           "Tage bis zur geplanten Haftentlassung"},
    [F_DAYS_TO_DULDUNG_END] = {"tage_bis_duldungsende", FACT_INT, FACT_USE_DEADLINE,
                               "Tage bis zum Ablauf der Duldung"},
    [F_DAYS_TO_DEPARTURE_DEADLINE] = {"tage_bis_ausreisefrist", FACT_INT, FACT_USE_DEADLINE,
                                      "Tage bis zum Ablauf der Ausreisefrist"},
};

const struct assess_fact_def *assess_fact_def(enum assess_fact_id id)
{
    return (int)id >= 0 && id < F_COUNT ? &defs[id] : NULL;
}

int assess_fact_by_name(const char *name, size_t len)
{
    for (int i = 0; i < F_COUNT; i++)
        if (strlen(defs[i].name) == len && memcmp(defs[i].name, name, len) == 0)
            return i;
    return -1;
}

/* 1 when any offence in the "; "-separated list starts with one of prefixes. */
static int offences_match(const char *offences, const char *const *prefixes)
{
    if (!offences)
        return 0;
    for (const char *const *p = prefixes; *p; p++)
        if (strstr(offences, *p))
            return 1;
    return 0;
}

static int days_of(const struct fn_pdate *d, int32_t *out)
{
    return d->year && fn_pdate_to_days(d, out) == FN_OK;
}

void assess_facts_from_file(const struct model_person_file *f, int32_t today,
                            struct assess_facts *out)
{
    memset(out, 0, sizeof *out);
    out->person_id = f->person ? f->person->id : 0;
    out->v[F_DAYS_TO_RELEASE] = -1;
    out->v[F_DAYS_TO_DULDUNG_END] = -1;
    out->v[F_DAYS_TO_DEPARTURE_DEADLINE] = -1;
    /* § 54 Abs. 1 Nr. 1a groups [verify list against the current statute] */
    static const char *const listed[] = {"StGB § 211", "StGB § 212", "StGB § 223", "StGB § 224",
                                         "StGB § 226", "StGB § 227", "StGB § 177", "StGB § 178",
                                         "StGB § 174", "StGB § 176", "StGB § 242", "StGB § 243",
                                         "StGB § 244", "StGB § 249", "StGB § 250", "StGB § 252",
                                         "StGB § 255", "StGB § 113", "StGB § 114", NULL};
    static const char *const btm_263[] = {"BtMG §", "StGB § 263", NULL};
    static const char *const btm_trade[] = {"BtMG § 29a", "BtMG § 30", NULL};
    for (size_t i = 0; i < f->n_proceedings; i++) {
        const struct model_proceeding *p = &f->proceedings[i];
        if (p->kind == PROC_DISCONTINUED)
            continue; /* eingestellt (schema 12): nothing pending, no consent needed */
        if (p->kind != PROC_CONVICTION) {
            out->v[F_PENDING_INVESTIGATION] = 1;
            if (p->consent == CONSENT_PENDING || p->consent == CONSENT_REFUSED)
                out->v[F_CONSENT_MISSING] = 1;
            continue;
        }
        if (!p->final_date.year)
            continue; /* not final: no weight (presumption of innocence) */
        int32_t final_day = 0;
        if (days_of(&p->final_date, &final_day) && today - final_day <= 5 * 365)
            out->v[F_FINAL_CONVICTIONS_5Y]++;
        if (p->sentence == SENT_PREVENTIVE)
            out->v[F_PREVENTIVE_DETENTION] = 1;
        if (p->sentence != SENT_PRISON && p->sentence != SENT_JUVENILE)
            continue;
        if (!p->intentional)
            continue; /* § 54 Abs. 1 Nr. 1, 1a, 1b and Abs. 2: intentional offences */
        int m = p->sentence_months;
        if (m > out->v[F_MAX_SENTENCE_MONTHS])
            out->v[F_MAX_SENTENCE_MONTHS] = m;
        if (p->sentence == SENT_JUVENILE && !p->suspended &&
            m > out->v[F_MAX_UNSUSPENDED_JUVENILE_MONTHS])
            out->v[F_MAX_UNSUSPENDED_JUVENILE_MONTHS] = m;
        if (offences_match(p->offences, listed) && m > out->v[F_MAX_LISTED_OFFENCE_MONTHS])
            out->v[F_MAX_LISTED_OFFENCE_MONTHS] = m;
        if (offences_match(p->offences, btm_263) && m > out->v[F_MAX_BTM_263_MONTHS])
            out->v[F_MAX_BTM_263_MONTHS] = m;
        if (offences_match(p->offences, btm_trade))
            out->v[F_BTM_TRADE_CONVICTION] = 1;
    }
    for (size_t i = 0; i < f->n_residence; i++) {
        const struct model_residence_entry *r = &f->residence[i];
        int32_t until = 0, deadline = 0;
        if (days_of(&r->until, &until) && until < today)
            continue; /* a closed period */
        if (r->status == RES_OBLIGED_TO_LEAVE || r->status == RES_TOLERATED) {
            if (r->enforceable_since.year)
                out->v[F_ENFORCEABLE_OBLIGATION] = 1;
            if (days_of(&r->departure_deadline, &deadline)) {
                if (deadline < today)
                    out->v[F_DEPARTURE_DEADLINE_OVER] = 1;
                else
                    out->v[F_DAYS_TO_DEPARTURE_DEADLINE] = deadline - today;
            }
        }
    }
    for (size_t i = 0; i < f->n_obstacles; i++) {
        const struct model_obstacle_entry *o = &f->obstacles[i];
        int32_t until = 0;
        int open = !days_of(&o->until, &until) || until >= today;
        if (!open)
            continue;
        switch (o->kind) {
        case OBST_BAN_60_1:
        case OBST_BAN_60_2:
        case OBST_BAN_60_5:
        case OBST_BAN_60_7:
            out->v[F_DEPORTATION_BAN] = 1;
            break;
        case OBST_ASYLUM_PENDING:
        case OBST_URGENT_PROCEEDING:
            out->v[F_ASYLUM_PENDING] = 1;
            break;
        case OBST_MINOR_NO_HANDOVER:
            out->v[F_MINOR_NO_HANDOVER] = 1;
            break;
        default: /* the Duldung reasons */
            out->v[F_DULDUNG] = 1;
            if (until && (out->v[F_DAYS_TO_DULDUNG_END] < 0 ||
                          until - today < out->v[F_DAYS_TO_DULDUNG_END]))
                out->v[F_DAYS_TO_DULDUNG_END] = until - today;
            break;
        }
    }
    for (size_t i = 0; i < f->n_custody; i++) {
        const struct model_custody *c = &f->custody[i];
        if (c->released.year)
            continue;
        out->v[F_IN_CUSTODY] = 1;
        if (c->decision_456a)
            out->v[F_DECISION_456A] = 1;
        int32_t rel = 0;
        if (days_of(&c->planned_release, &rel) &&
            (out->v[F_DAYS_TO_RELEASE] < 0 || rel - today < out->v[F_DAYS_TO_RELEASE]))
            out->v[F_DAYS_TO_RELEASE] = rel - today;
    }
    for (size_t i = 0; i < f->n_findings; i++) {
        switch (f->findings[i].kind) {
        case FIND_SECURITY_GROUND:
            out->v[F_SECURITY_GROUND] = 1;
            break;
        case FIND_NONCOOPERATION:
            out->v[F_NONCOOPERATION] = 1;
            break;
        case FIND_STAY_INTEREST_55_1:
            out->v[F_STAY_INTEREST_SEVERE] = 1;
            break;
        case FIND_STAY_INTEREST_55_2:
            out->v[F_STAY_INTEREST] = 1;
            break;
        case FIND_PROTECTED_53_3:
            out->v[F_PROTECTED_STATUS] = 1;
            break;
        case FIND_COUNT:
            break;
        }
    }
    if (f->person) {
        const struct model_person *p = f->person;
        out->v[F_IDENTITY_CLARIFIED] = p->identity == IDENTITY_CLARIFIED;
        out->v[F_IDENTITY_IN_PROGRESS] = p->identity == IDENTITY_IN_PROGRESS;
        for (size_t i = 0; i < p->n_documents; i++) {
            int32_t valid = 0;
            if (p->documents[i].verified && days_of(&p->documents[i].valid_until, &valid) &&
                valid >= today)
                out->v[F_VALID_PASSPORT] = 1;
        }
    }
}
