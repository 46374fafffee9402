/*
 * facts.h – the facts an assessment rule may read: an explicit allow-list.
 *
 * Only objective, verifiable, legally typed facts (domain.md § 0, § 2.1):
 * final convictions and sentences, residence and deportation status,
 * established findings, legal obstacles, custody dates, identity documents.
 * No nationality, origin, religion, ethnicity, language, sex, health or
 * family data exist here, so no rule can read them; the catalogue loader
 * also refuses such names explicitly (catalog.c) with a reason.
 */
#ifndef FN_ASSESS_FACTS_H
#define FN_ASSESS_FACTS_H

#include <stdint.h>

#include "model/model.h"

enum assess_fact_type { FACT_BOOL, FACT_INT };

/* Where a fact may be used: some facts are legal gates only (a minor's
 * handover, pending investigations) and must never carry points. */
#define FACT_USE_GATE     0x1u
#define FACT_USE_POINTS   0x2u
#define FACT_USE_WEIGHING 0x4u
#define FACT_USE_FEASIBLE 0x8u
#define FACT_USE_DEADLINE 0x10u
#define FACT_USE_ANY      0x1fu

enum assess_fact_id {
    F_ENFORCEABLE_OBLIGATION,  /* vollziehbar ausreisepflichtig */
    F_DEPARTURE_DEADLINE_OVER, /* Ausreisefrist abgelaufen */
    F_DEPORTATION_BAN,         /* § 60 Abs. 1, 2, 5, 7 festgestellt */
    F_ASYLUM_PENDING,          /* Asyl- oder Eilverfahren anhängig */
    F_DULDUNG,                 /* Duldung (any reason) */
    F_PENDING_INVESTIGATION,   /* Ermittlungs-/Strafverfahren anhängig (gate only) */
    F_CONSENT_MISSING,         /* Einvernehmen StA nötig, aber nicht erteilt/entbehrlich */
    F_IN_CUSTODY,
    F_DECISION_456A,
    F_MINOR_NO_HANDOVER,               /* § 58 Abs. 1a (gate only) */
    F_MAX_SENTENCE_MONTHS,             /* längste rechtskräftige Freiheits-/Jugendstrafe */
    F_MAX_UNSUSPENDED_JUVENILE_MONTHS, /* Jugendstrafe ohne Bewährung */
    F_MAX_LISTED_OFFENCE_MONTHS,       /* § 54 Abs. 1 Nr. 1a Deliktsgruppen */
    F_MAX_BTM_263_MONTHS,              /* § 54 Abs. 1 Nr. 1b: BtMG oder § 263 StGB */
    F_PREVENTIVE_DETENTION,            /* Sicherungsverwahrung angeordnet */
    F_BTM_TRADE_CONVICTION,            /* § 29 Abs. 1 S. 1 Nr. 1 BtMG, rechtskräftig */
    F_FINAL_CONVICTIONS_5Y,            /* rechtskräftige Verurteilungen, letzte 5 Jahre */
    F_SECURITY_GROUND,                 /* festgestellt von zuständiger Stelle */
    F_NONCOOPERATION,                  /* dokumentiert nach Belehrung */
    F_STAY_INTEREST_SEVERE,            /* § 55 Abs. 1 */
    F_STAY_INTEREST,                   /* § 55 Abs. 2 */
    F_PROTECTED_STATUS,                /* § 53 Abs. 3–3b */
    F_VALID_PASSPORT,                  /* gültiges, geprüftes Reisedokument */
    F_IDENTITY_CLARIFIED,
    F_IDENTITY_IN_PROGRESS,
    F_DAYS_TO_RELEASE,            /* bis zur geplanten Entlassung; -1 unbekannt */
    F_DAYS_TO_DULDUNG_END,        /* bis Ablauf der Duldung; -1 unbekannt */
    F_DAYS_TO_DEPARTURE_DEADLINE, /* bis Ablauf der Ausreisefrist; -1 unbekannt */
    F_COUNT
};

struct assess_fact_def {
    const char *name; /* name used in catalogue conditions */
    enum assess_fact_type type;
    unsigned allowed_use; /* FACT_USE_* */
    const char *label_de;
};

/* Definition of a fact; NULL for a bad id. */
const struct assess_fact_def *assess_fact_def(enum assess_fact_id id);
/* Looks a fact up by its catalogue name; -1 when unknown. */
int assess_fact_by_name(const char *name, size_t len);

/* The facts of one person: a flat array of integers (booleans are 0/1). */
struct assess_facts {
    int64_t person_id;
    int32_t v[F_COUNT];
};

/* Derives the facts from a person's file as of `today` (days since 1970).
 * Only final convictions count for sentence facts; charges and
 * investigations only feed the gate facts. Callers that start from a person
 * id go through assess_person (assess_person.h), which reads the file with
 * the actor. */
void assess_facts_from_file(const struct model_person_file *f, int32_t today,
                            struct assess_facts *out);

#endif
