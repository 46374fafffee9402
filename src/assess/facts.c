/* facts.c – the allow-list of assessment facts and their derivation from a
 * person's file (see facts.h). */
#include "assess/facts.h"

#include <string.h>

static const struct assess_fact_def defs[F_COUNT] = {
    [F_ENFORCEABLE_OBLIGATION] = {"ausreisepflicht_vollziehbar", FACT_BOOL, FACT_USE_ANY,
                                  "vollziehbar ausreisepflichtig",
                                  "Aufenthaltsstatus mit Datum der Vollziehbarkeit"},
    [F_DEPARTURE_DEADLINE_OVER] = {"ausreisefrist_abgelaufen", FACT_BOOL, FACT_USE_ANY,
                                   "Ausreisefrist abgelaufen", "Ausreisefrist (Datum)"},
    [F_DEPORTATION_BAN] = {"abschiebungsverbot", FACT_BOOL, FACT_USE_GATE,
                           "Abschiebungsverbot festgestellt",
                           "Aufenthaltsstatus (Abschiebungsverbot ja/nein)"},
    [F_ASYLUM_PENDING] = {"asyl_oder_eilverfahren_anhaengig", FACT_BOOL, FACT_USE_GATE,
                          "Asyl- oder Eilverfahren anhängig",
                          "Aufenthaltsstatus (Asyl- oder Eilverfahren ja/nein)"},
    [F_DULDUNG] = {"duldung", FACT_BOOL, FACT_USE_GATE | FACT_USE_FEASIBLE, "Duldung",
                   "Aufenthaltsstatus (Duldung ja/nein)"},
    [F_PENDING_INVESTIGATION] = {"verfahren_anhaengig", FACT_BOOL, FACT_USE_GATE,
                                 "Ermittlungs- oder Strafverfahren anhängig"},
    [F_CONSENT_MISSING] = {"einvernehmen_sta_fehlt", FACT_BOOL, FACT_USE_GATE,
                           "Einvernehmen der Staatsanwaltschaft fehlt",
                           "Einvernehmen der Staatsanwaltschaft zum anhängigen Verfahren "
                           "(erteilt, entbehrlich, beantragt oder verweigert)"},
    [F_IN_CUSTODY] = {"in_haft", FACT_BOOL, FACT_USE_GATE | FACT_USE_DEADLINE | FACT_USE_FEASIBLE,
                      "in Haft"},
    [F_DECISION_456A] = {"entscheidung_456a", FACT_BOOL, FACT_USE_ANY,
                         "Entscheidung nach § 456a StPO"},
    [F_MINOR_NO_HANDOVER] = {"minderjaehrig_uebergabe_ungesichert", FACT_BOOL, FACT_USE_GATE,
                             "minderjährig, Übergabe nicht gesichert (§ 58 Abs. 1a)",
                             "Geburtsdatum oder gesicherte Übergabe (§ 58 Abs. 1a)"},
    [F_MAX_SENTENCE_MONTHS] = {"hoechste_strafe_monate", FACT_INT, FACT_USE_POINTS,
                               "höchste rechtskräftige Freiheits-/Jugendstrafe (Monate)"},
    [F_MAX_PRISON_MONTHS] = {"freiheitsstrafe_monate", FACT_INT, FACT_USE_POINTS,
                             "höchste rechtskräftige Freiheitsstrafe, auch zur Bewährung (Monate)"},
    [F_MAX_UNSUSPENDED_JUVENILE_MONTHS] = {"jugendstrafe_ohne_bewaehrung_monate", FACT_INT,
                                           FACT_USE_POINTS, "Jugendstrafe ohne Bewährung (Monate)"},
    [F_MAX_LISTED_OFFENCE_MONTHS] = {"katalogtat_strafe_monate", FACT_INT, FACT_USE_POINTS,
                                     "Strafe für Taten nach § 54 Abs. 1 Nr. 1a (Monate)"},
    [F_MAX_BTM_263_MONTHS] =
        {"btm_oder_263_strafe_monate", FACT_INT, FACT_USE_POINTS,
         "Strafe für BtMG-Taten oder § 263 StGB zulasten Sozialleistungsträger (Monate)"},
    [F_PREVENTIVE_DETENTION] = {"sicherungsverwahrung", FACT_BOOL, FACT_USE_POINTS,
                                "Sicherungsverwahrung angeordnet"},
    [F_BTM_TRADE_CONVICTION] =
        {"btm_handel_verurteilt", FACT_BOOL, FACT_USE_POINTS,
         "rechtskräftig verurteilt nach § 29 Abs. 1 S. 1 Nr. 1 BtMG (Handel u. a.)"},
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
                            "geschützter Status (§ 53 Abs. 3–3b)",
                            "Aufenthaltsstatus (Schutzstatus nach § 53 Abs. 3–3b ja/nein)"},
    [F_VALID_PASSPORT] = {"reisedokument_gueltig", FACT_BOOL, FACT_USE_FEASIBLE,
                          "gültiges, geprüftes Reisedokument"},
    [F_IDENTITY_CLARIFIED] = {"identitaet_geklaert", FACT_BOOL, FACT_USE_FEASIBLE,
                              "Identität geklärt", "Identitätsstatus"},
    [F_IDENTITY_IN_PROGRESS] = {"identitaet_in_klaerung", FACT_BOOL, FACT_USE_FEASIBLE,
                                "Identität in Klärung", "Identitätsstatus"},
    [F_DAYS_TO_RELEASE] = {"tage_bis_entlassung", FACT_INT, FACT_USE_DEADLINE,
                           "Tage bis zur geplanten Haftentlassung", "geplanter Entlassungstermin"},
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

void assess_facts_clear(struct assess_facts *f)
{
    memset(f, 0, sizeof *f);
}

void assess_fact_set(struct assess_facts *f, enum assess_fact_id id, int32_t v)
{
    f->v[id] = v;
    f->known[id] = 1;
}

void assess_fact_unknown(struct assess_facts *f, enum assess_fact_id id)
{
    f->v[id] = 0;
    f->known[id] = 0;
}

/* ---- offences: norms as recorded ("StGB § 223; BtMG § 29 Abs. 1 S. 1 Nr. 1") ---- */

/* One norm an offence may be: head is "LAW § N" (N with its letter, so
 * § 263a is not § 263); rest, when set, must follow head (after one space);
 * word, when set, must appear in the offence (a qualifier such as the
 * injured party). */
struct norm_spec {
    const char *head;
    const char *rest;
    const char *word;
};

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* 1 when the n bytes at s start with the whole token t (not followed by a
 * letter or digit: "Nr. 1" is not "Nr. 11"). */
static int starts_token(const char *s, size_t n, const char *t)
{
    size_t tl = strlen(t);
    return n >= tl && memcmp(s, t, tl) == 0 && (n == tl || !is_alnum(s[tl]));
}

static int offence_is(const char *s, size_t n, const struct norm_spec *spec)
{
    if (!starts_token(s, n, spec->head))
        return 0;
    size_t hl = strlen(spec->head);
    if (spec->rest && !(n > hl && s[hl] == ' ' && starts_token(s + hl + 1, n - hl - 1, spec->rest)))
        return 0;
    if (spec->word) {
        char item[256];
        size_t m = n < sizeof item - 1 ? n : sizeof item - 1;
        memcpy(item, s, m);
        item[m] = '\0';
        if (!strstr(item, spec->word))
            return 0;
    }
    return 1;
}

/* 1 when any offence of the ";"-separated list is one of specs (ended by a
 * spec with head NULL). */
static int offences_match(const char *offences, const struct norm_spec *specs)
{
    for (const char *p = offences; p && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n && p[n - 1] == ' ')
            n--;
        for (const struct norm_spec *s = specs; n && s->head; s++)
            if (offence_is(p, n, s))
                return 1;
        p = e ? e + 1 : p + n;
    }
    return 0;
}

/* § 54 Abs. 1 Nr. 1a AufenthG (catalogue/README, docs/catalog-format.md):
 * a) Leben, b) körperliche Unversehrtheit, c) sexuelle Selbstbestimmung as
 * listed (§§ 174, 176 bis 178, 181a, 184b), d) Eigentum only where the law
 * raises the minimum sentence (§§ 243, 244, 244a, 249 to 252, 255) – plain
 * theft (§ 242) counts only when committed serially, which is a finding a
 * person makes, not a norm – and e) Widerstand/tätlicher Angriff gegen
 * Vollstreckungsbeamte (§§ 113 to 115). Unverified: geprueft: nein. */
static const struct norm_spec listed_1a[] = {
    {"StGB § 211", NULL, NULL},  {"StGB § 212", NULL, NULL},  {"StGB § 213", NULL, NULL},
    {"StGB § 216", NULL, NULL},  {"StGB § 221", NULL, NULL},  {"StGB § 223", NULL, NULL},
    {"StGB § 224", NULL, NULL},  {"StGB § 225", NULL, NULL},  {"StGB § 226", NULL, NULL},
    {"StGB § 226a", NULL, NULL}, {"StGB § 227", NULL, NULL},  {"StGB § 174", NULL, NULL},
    {"StGB § 176", NULL, NULL},  {"StGB § 176a", NULL, NULL}, {"StGB § 176b", NULL, NULL},
    {"StGB § 176c", NULL, NULL}, {"StGB § 176d", NULL, NULL}, {"StGB § 176e", NULL, NULL},
    {"StGB § 177", NULL, NULL},  {"StGB § 178", NULL, NULL},  {"StGB § 181a", NULL, NULL},
    {"StGB § 184b", NULL, NULL}, {"StGB § 243", NULL, NULL},  {"StGB § 244", NULL, NULL},
    {"StGB § 244a", NULL, NULL}, {"StGB § 249", NULL, NULL},  {"StGB § 250", NULL, NULL},
    {"StGB § 251", NULL, NULL},  {"StGB § 252", NULL, NULL},  {"StGB § 255", NULL, NULL},
    {"StGB § 113", NULL, NULL},  {"StGB § 114", NULL, NULL},  {"StGB § 115", NULL, NULL},
    {NULL, NULL, NULL}};

/* § 54 Abs. 1 Nr. 1b: § 263 StGB to the detriment of a Leistungsträger or
 * Sozialversicherungsträger (the offence must say so), or any BtMG offence. */
static const struct norm_spec listed_1b[] = {{"StGB § 263", NULL, "eistungsträger"},
                                             {"StGB § 263", NULL, "Sozialversicherungsträger"},
                                             {"BtMG §", NULL, NULL},
                                             {NULL, NULL, NULL}};

/* § 54 Abs. 2 Nr. 3: § 29 Abs. 1 S. 1 Nr. 1 BtMG (anbauen, herstellen,
 * Handel treiben, einführen, ausführen, veräußern, abgeben, in den Verkehr
 * bringen, erwerben, sich verschaffen) and the qualifications built on
 * those acts (§ 29a Abs. 1 Nr. 1, §§ 30, 30a). Plain "BtMG § 29" and
 * possession (§ 29 Abs. 1 S. 1 Nr. 3, § 29a Abs. 1 Nr. 2) do not count: the
 * variant must be recorded. */
static const struct norm_spec btm_trade[] = {{"BtMG § 29", "Abs. 1 S. 1 Nr. 1", NULL},
                                             {"BtMG § 29", "Abs. 1 Satz 1 Nr. 1", NULL},
                                             {"BtMG § 29", "Abs. 1 Nr. 1", NULL},
                                             {"BtMG § 29a", "Abs. 1 Nr. 1", NULL},
                                             {"BtMG § 30", NULL, NULL},
                                             {"BtMG § 30a", NULL, NULL},
                                             {NULL, NULL, NULL}};

static int days_of(const struct fn_pdate *d, int32_t *out)
{
    return d->year && fn_pdate_to_days(d, out) == FN_OK;
}

static void raise_to(struct assess_facts *f, enum assess_fact_id id, int32_t v)
{
    if (v > f->v[id])
        f->v[id] = v;
}

/* Sentence facts from the final convictions; pending proceedings give the
 * gate facts. */
static void facts_proceedings(const struct model_person_file *file, int32_t today,
                              struct assess_facts *out)
{
    static const enum assess_fact_id complete[] = {
        F_PENDING_INVESTIGATION,     F_MAX_SENTENCE_MONTHS,
        F_MAX_PRISON_MONTHS,         F_MAX_UNSUSPENDED_JUVENILE_MONTHS,
        F_MAX_LISTED_OFFENCE_MONTHS, F_MAX_BTM_263_MONTHS,
        F_PREVENTIVE_DETENTION,      F_BTM_TRADE_CONVICTION,
        F_FINAL_CONVICTIONS_5Y};
    for (size_t i = 0; i < sizeof complete / sizeof complete[0]; i++)
        assess_fact_set(out, complete[i], 0);
    int consent_missing = 0, consent_unknown = 0;
    for (size_t i = 0; i < file->n_proceedings; i++) {
        const struct model_proceeding *p = &file->proceedings[i];
        if (p->kind == PROC_DISCONTINUED)
            continue; /* eingestellt (schema 13): nothing pending, no consent needed */
        if (p->kind != PROC_CONVICTION) {
            out->v[F_PENDING_INVESTIGATION] = 1;
            /* § 72 Abs. 4: only a granted or dispensable consent opens the
             * gate; "not needed yet" on a pending proceeding is no record */
            if (p->consent == CONSENT_PENDING || p->consent == CONSENT_REFUSED)
                consent_missing = 1;
            else if (p->consent != CONSENT_GRANTED && p->consent != CONSENT_DISPENSABLE)
                consent_unknown = 1;
            continue;
        }
        if (!p->final_date.year)
            continue; /* not final: no weight (presumption of innocence) */
        int32_t final_day = 0;
        if (days_of(&p->final_date, &final_day) && today - final_day <= 5 * 365)
            out->v[F_FINAL_CONVICTIONS_5Y]++;
        if (p->sentence == SENT_PREVENTIVE)
            out->v[F_PREVENTIVE_DETENTION] = 1;
        if (!p->intentional)
            continue; /* § 54 Abs. 1 Nr. 1, 1a, 1b and Abs. 2: intentional offences */
        if (offences_match(p->offences, btm_trade))
            out->v[F_BTM_TRADE_CONVICTION] = 1; /* Abs. 2 Nr. 3 asks no sentence */
        if (p->sentence != SENT_PRISON && p->sentence != SENT_JUVENILE)
            continue;
        int m = p->sentence_months;
        /* Abs. 1 Nr. 1, 1a, 1b and Abs. 2 Nr. 1 say "verurteilt" without
         * regard to a suspension; only Abs. 2 Nr. 2 (Jugendstrafe) asks for
         * none. Abs. 2 Nr. 1 names the Freiheitsstrafe alone. */
        raise_to(out, F_MAX_SENTENCE_MONTHS, m);
        if (p->sentence == SENT_PRISON)
            raise_to(out, F_MAX_PRISON_MONTHS, m);
        if (p->sentence == SENT_JUVENILE && !p->suspended)
            raise_to(out, F_MAX_UNSUSPENDED_JUVENILE_MONTHS, m);
        if (offences_match(p->offences, listed_1a))
            raise_to(out, F_MAX_LISTED_OFFENCE_MONTHS, m);
        if (offences_match(p->offences, listed_1b))
            raise_to(out, F_MAX_BTM_263_MONTHS, m);
    }
    if (consent_missing)
        assess_fact_set(out, F_CONSENT_MISSING, 1);
    else if (!consent_unknown)
        assess_fact_set(out, F_CONSENT_MISSING, 0);
}

/* The residence status as of today: the current entry that began last
 * (an entry whose period ended is history), else the master data when no
 * entry was ever recorded. *entry is NULL for the master data. An ended
 * entry without a successor leaves the status unknown: nobody recorded what
 * followed. */
static enum model_residence current_status(const struct model_person_file *file, int32_t today,
                                           const struct model_residence_entry **entry)
{
    *entry = NULL;
    int32_t best = INT32_MIN;
    for (size_t i = 0; i < file->n_residence; i++) {
        const struct model_residence_entry *r = &file->residence[i];
        int32_t until = 0, since = INT32_MIN + 1;
        if (days_of(&r->until, &until) && until < today)
            continue;
        if (!days_of(&r->since, &since))
            since = INT32_MIN + 1;
        if (since >= best) {
            best = since;
            *entry = r;
        }
    }
    if (*entry)
        return (*entry)->status;
    if (file->n_residence)
        return RES_UNKNOWN;
    return file->person ? file->person->residence : RES_UNKNOWN;
}

static void facts_residence(const struct model_person_file *file, int32_t today,
                            struct assess_facts *out)
{
    const struct model_residence_entry *e = NULL;
    enum model_residence s = current_status(file, today, &e);
    if (s == RES_UNKNOWN)
        return; /* every status fact stays unknown */
    static const enum assess_fact_id status_facts[] = {F_ENFORCEABLE_OBLIGATION,
                                                       F_DEPARTURE_DEADLINE_OVER,
                                                       F_DEPORTATION_BAN,
                                                       F_ASYLUM_PENDING,
                                                       F_DULDUNG,
                                                       F_PROTECTED_STATUS};
    for (size_t i = 0; i < sizeof status_facts / sizeof status_facts[0]; i++)
        assess_fact_set(out, status_facts[i], 0);
    if (s == RES_PERMITTED_ASYLUM)
        out->v[F_ASYLUM_PENDING] = 1; /* Aufenthaltsgestattung: asylum procedure */
    if (s != RES_OBLIGED_TO_LEAVE && s != RES_TOLERATED)
        return; /* a lawful stay: no obligation, no departure deadline */
    if (s == RES_TOLERATED) {
        out->v[F_DULDUNG] = 1;
        int32_t until = 0;
        if (e && days_of(&e->until, &until))
            assess_fact_set(out, F_DAYS_TO_DULDUNG_END, until - today);
    }
    /* an obligation without the date it became enforceable, or without its
     * departure deadline, is not known to be enforceable or over */
    if (!e || !e->enforceable_since.year)
        assess_fact_unknown(out, F_ENFORCEABLE_OBLIGATION);
    else
        out->v[F_ENFORCEABLE_OBLIGATION] = 1;
    int32_t deadline = 0;
    if (e && days_of(&e->departure_deadline, &deadline)) {
        out->v[F_DEPARTURE_DEADLINE_OVER] = deadline < today;
        assess_fact_set(out, F_DAYS_TO_DEPARTURE_DEADLINE, deadline - today);
    } else {
        assess_fact_unknown(out, F_DEPARTURE_DEADLINE_OVER);
    }
}

/* Nearest end of an open Duldung; when none is open, the end of the last
 * one that expired after the current status began (overdue: its renewal or
 * end was not recorded). */
static void facts_obstacles(const struct model_person_file *file, int32_t today,
                            struct assess_facts *out)
{
    int32_t expired = INT32_MIN, status_since = INT32_MIN;
    const struct model_residence_entry *e = NULL;
    if (current_status(file, today, &e) != RES_UNKNOWN && e && !days_of(&e->since, &status_since))
        status_since = INT32_MIN;
    for (size_t i = 0; i < file->n_obstacles; i++) {
        const struct model_obstacle_entry *o = &file->obstacles[i];
        int32_t until = 0;
        int has_until = days_of(&o->until, &until);
        int is_duldung = o->kind >= OBST_DULDUNG_60A_1 && o->kind <= OBST_DULDUNG_60D;
        if (has_until && until < today) {
            if (is_duldung && until >= status_since && until > expired)
                expired = until;
            continue; /* its recorded period is over */
        }
        switch (o->kind) {
        case OBST_BAN_60_1:
        case OBST_BAN_60_2:
        case OBST_BAN_60_5:
        case OBST_BAN_60_7:
            assess_fact_set(out, F_DEPORTATION_BAN, 1);
            break;
        case OBST_ASYLUM_PENDING:
        case OBST_URGENT_PROCEEDING:
            assess_fact_set(out, F_ASYLUM_PENDING, 1);
            break;
        case OBST_MINOR_NO_HANDOVER:
            assess_fact_set(out, F_MINOR_NO_HANDOVER, 1);
            break;
        default: /* the Duldung reasons */
            assess_fact_set(out, F_DULDUNG, 1);
            if (has_until && (!out->known[F_DAYS_TO_DULDUNG_END] ||
                              until - today < out->v[F_DAYS_TO_DULDUNG_END]))
                assess_fact_set(out, F_DAYS_TO_DULDUNG_END, until - today);
            break;
        }
    }
    if (!out->v[F_DULDUNG] && expired != INT32_MIN)
        assess_fact_set(out, F_DAYS_TO_DULDUNG_END, expired - today);
}

/* y/m/d as one comparable number. */
static int32_t ymd(int y, int m, int d)
{
    return y * 10000 + m * 100 + d;
}

/* § 58 Abs. 1a: known "no" only for a person who is of age whatever the
 * unknown parts of the birth date are; a possible minor without a recorded
 * obstacle stays unknown (the handover is not recorded). */
static void facts_minor(const struct model_person_file *file, int32_t today,
                        struct assess_facts *out)
{
    if (out->known[F_MINOR_NO_HANDOVER])
        return; /* an obstacle recorded it */
    const struct fn_pdate *b = file->person ? &file->person->birth_date : NULL;
    if (!b || !b->year)
        return;
    struct fn_pdate now;
    fn_pdate_from_days(today, &now);
    int year_only = !b->month || (b->flags & FN_PDATE_PLACEHOLDER);
    int m = year_only ? 12 : b->month;
    int d = year_only || !b->day ? fn_pdate_days_in_month(b->year, m) : b->day;
    if (ymd(now.year, now.month, now.day) >= ymd(b->year + 18, m, d))
        assess_fact_set(out, F_MINOR_NO_HANDOVER, 0);
}

void assess_facts_from_file(const struct model_person_file *f, int32_t today,
                            struct assess_facts *out)
{
    assess_facts_clear(out);
    out->person_id = f->person ? f->person->id : 0;
    facts_proceedings(f, today, out);
    facts_residence(f, today, out);
    facts_obstacles(f, today, out);
    facts_minor(f, today, out);
    assess_fact_set(out, F_IN_CUSTODY, 0);
    assess_fact_set(out, F_DECISION_456A, 0);
    for (size_t i = 0; i < f->n_custody; i++) {
        const struct model_custody *c = &f->custody[i];
        if (c->released.year)
            continue;
        out->v[F_IN_CUSTODY] = 1;
        if (c->decision_456a)
            out->v[F_DECISION_456A] = 1;
        int32_t rel = 0;
        /* custody without a planned release leaves the deadline unknown */
        if (days_of(&c->planned_release, &rel) &&
            (!out->known[F_DAYS_TO_RELEASE] || rel - today < out->v[F_DAYS_TO_RELEASE]))
            assess_fact_set(out, F_DAYS_TO_RELEASE, rel - today);
    }
    static const enum assess_fact_id findings[] = {F_SECURITY_GROUND, F_NONCOOPERATION,
                                                   F_STAY_INTEREST_SEVERE, F_STAY_INTEREST,
                                                   F_VALID_PASSPORT};
    for (size_t i = 0; i < sizeof findings / sizeof findings[0]; i++)
        assess_fact_set(out, findings[i], 0);
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
            assess_fact_set(out, F_PROTECTED_STATUS, 1);
            break;
        case FIND_COUNT:
            break;
        }
    }
    if (f->person) {
        const struct model_person *p = f->person;
        if (p->identity != IDENTITY_UNKNOWN) {
            assess_fact_set(out, F_IDENTITY_CLARIFIED, p->identity == IDENTITY_CLARIFIED);
            assess_fact_set(out, F_IDENTITY_IN_PROGRESS, p->identity == IDENTITY_IN_PROGRESS);
        }
        for (size_t i = 0; i < p->n_documents; i++) {
            int32_t valid = 0;
            if (p->documents[i].verified && days_of(&p->documents[i].valid_until, &valid) &&
                valid >= today)
                out->v[F_VALID_PASSPORT] = 1;
        }
    }
}
