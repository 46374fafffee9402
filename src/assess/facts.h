/*
 * facts.h – the facts an assessment rule may read: an explicit allow-list.
 *
 * Only objective, verifiable, legally typed facts (domain.md § 0, § 2.1):
 * final convictions and sentences, residence and deportation status,
 * established findings, legal obstacles, custody dates, identity documents.
 * No nationality, origin, religion, ethnicity, language, sex, health or
 * family data exist here, so no rule can read them; the catalogue loader
 * also refuses such names explicitly (catalog.c) with a reason.
 *
 * Known or unknown: every fact carries a marker (assess_facts.known). A fact
 * is known when a record states it, or when the register that would hold it
 * is complete by a transmission duty (see assess_facts_from_file for which).
 * An unknown fact is never read as "no": a gate that needs it is ungeklärt
 * (the person is blocked and the fact is named), and no other rule fires on
 * it (catalog.h).
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
    F_MAX_PRISON_MONTHS,               /* längste Freiheitsstrafe (nicht Jugendstrafe) */
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
    F_DAYS_TO_RELEASE,            /* bis zur geplanten Entlassung; < 0: überfällig */
    F_DAYS_TO_DULDUNG_END,        /* bis Ablauf der Duldung; < 0: überfällig */
    F_DAYS_TO_DEPARTURE_DEADLINE, /* bis Ablauf der Ausreisefrist; < 0: überfällig */
    F_COUNT
};

struct assess_fact_def {
    const char *name; /* name used in catalogue conditions */
    enum assess_fact_type type;
    unsigned allowed_use; /* FACT_USE_* */
    const char *label_de;
    const char *missing_de; /* what to record when it is unknown; NULL: label_de */
};

/* Definition of a fact; NULL for a bad id. */
const struct assess_fact_def *assess_fact_def(enum assess_fact_id id);
/* Looks a fact up by its catalogue name; -1 when unknown. */
int assess_fact_by_name(const char *name, size_t len);

/* The facts of one person: a flat array of integers (booleans are 0/1) and
 * whether each is known. An unknown fact has v 0; readers must look at
 * known first. */
struct assess_facts {
    int64_t person_id;
    int32_t v[F_COUNT];
    unsigned char known[F_COUNT]; /* 1: recorded (or complete by duty), 0: unknown */
};

/* Empties *f: every fact unknown, person_id 0. */
void assess_facts_clear(struct assess_facts *f);
/* Records a known value for fact id. */
void assess_fact_set(struct assess_facts *f, enum assess_fact_id id, int32_t v);
/* Marks fact id unknown (value 0). */
void assess_fact_unknown(struct assess_facts *f, enum assess_fact_id id);

/* Derives the facts from a person's file as of `today` (days since 1970).
 * Only final convictions count for sentence facts; charges and
 * investigations only feed the gate facts.
 *
 * Unknown (fail closed): the residence-status facts (enforceable obligation,
 * departure deadline, deportation ban, asylum, Duldung, § 53 status) when no
 * current residence status is recorded; enforceability when the obligation
 * is recorded without its date; the prosecutor's consent when a pending
 * proceeding has none recorded (granted, dispensable, requested or
 * refused); a minor's handover when the birth date is unknown or makes the
 * person possibly a minor and no obstacle records it; identity when not
 * recorded; each deadline when its date is not recorded. Known by the
 * registers' transmission duties (absence means "no"): proceedings and
 * convictions (MiStra Nr. 42), custody (VGO), findings. Sentence facts are
 * lower bounds from proven convictions: a conviction without sentence length
 * adds nothing. Callers that start from a person
 * id go through assess_person (assess_person.h), which reads the file with
 * the actor. */
void assess_facts_from_file(const struct model_person_file *f, int32_t today,
                            struct assess_facts *out);

#endif
