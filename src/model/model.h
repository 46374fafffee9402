/*
 * model.h – the domain entities of fallnetz.
 *
 * Plain structs with heap strings owned by the struct; every entity has a
 * model_<entity>_free() that accepts NULL and frees the struct and what it
 * owns. Enumerations carry stable code strings (used in CSV, JSON and the
 * database) and German labels (used in the UI). Dates are partial dates
 * (struct fn_pdate) wherever a register may know only part of a date.
 */
#ifndef FN_MODEL_MODEL_H
#define FN_MODEL_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/pdate.h"
#include "core/status.h"

/* ---- enumerations: code string <-> value ---- */

enum model_org_kind {
    ORG_ABH,        /* untere Ausländerbehörde */
    ORG_ZAB,        /* zentrale Ausländerbehörde */
    ORG_RRK,        /* Regionale Rückkehrkoordination (Bezirksregierung) */
    ORG_POLICE,     /* Polizei (LZPD, LKA, Kreispolizeibehörde) */
    ORG_PROSECUTOR, /* Staatsanwaltschaft */
    ORG_PRISON,     /* Justizvollzugsanstalt */
    ORG_MINISTRY,
    ORG_KIND_COUNT
};

enum model_sex { SEX_UNKNOWN, SEX_MALE, SEX_FEMALE, SEX_DIVERSE, SEX_COUNT };

enum model_identity {
    IDENTITY_UNKNOWN, /* not recorded */
    IDENTITY_CLARIFIED,
    IDENTITY_UNCLARIFIED,
    IDENTITY_IN_PROGRESS,
    IDENTITY_COUNT
};

enum model_residence {
    RES_UNKNOWN,
    RES_OBLIGED_TO_LEAVE, /* ausreisepflichtig */
    RES_TOLERATED,        /* Duldung */
    RES_PERMITTED_ASYLUM, /* Aufenthaltsgestattung */
    RES_TEMPORARY,        /* Aufenthaltserlaubnis */
    RES_SETTLEMENT,       /* Niederlassungserlaubnis */
    RES_PERMANENT_EU,     /* Daueraufenthalt-EU */
    RES_COUNT
};

enum model_proceeding_kind {
    PROC_INVESTIGATION,
    PROC_CHARGE,
    PROC_CONVICTION,
    PROC_DISCONTINUED, /* eingestellt (e.g. § 170 Abs. 2, § 153 StPO): no longer pending */
    PROC_KIND_COUNT
};

enum model_sentence {
    SENT_NONE,
    SENT_PRISON,     /* Freiheitsstrafe */
    SENT_JUVENILE,   /* Jugendstrafe */
    SENT_FINE,       /* Geldstrafe */
    SENT_PREVENTIVE, /* Sicherungsverwahrung */
    SENT_COUNT
};

enum model_consent { /* Einvernehmen der Staatsanwaltschaft, § 72 Abs. 4 AufenthG */
                     CONSENT_NOT_NEEDED_YET,
                     CONSENT_PENDING,
                     CONSENT_GRANTED,
                     CONSENT_REFUSED,
                     CONSENT_DISPENSABLE,
                     CONSENT_COUNT
};

enum model_custody_kind { CUSTODY_REMAND, CUSTODY_SENTENCE, CUSTODY_DEPORTATION, CUSTODY_COUNT };

enum model_obstacle {
    OBST_BAN_60_1, /* § 60 Abs. 1 AufenthG (Flüchtling) */
    OBST_BAN_60_2, /* § 60 Abs. 2 (subsidiärer Schutz) */
    OBST_BAN_60_5, /* § 60 Abs. 5 (EMRK) */
    OBST_BAN_60_7, /* § 60 Abs. 7 (erhebliche konkrete Gefahr) */
    OBST_ASYLUM_PENDING,
    OBST_URGENT_PROCEEDING, /* Eilverfahren anhängig */
    OBST_DULDUNG_60A_1,     /* Abschiebungsstopp */
    OBST_DULDUNG_60A_2_1,   /* tatsächliche/rechtliche Unmöglichkeit */
    OBST_DULDUNG_60A_2_2,   /* Zeuge im Strafverfahren */
    OBST_DULDUNG_60A_2_3,   /* Ermessensduldung */
    OBST_DULDUNG_60A_2A,    /* gescheiterte Rückübernahme */
    OBST_DULDUNG_60A_2B,    /* Eltern § 25a */
    OBST_DULDUNG_60A_2C,    /* Reiseunfähigkeit (ärztliche Bescheinigung) */
    OBST_DULDUNG_60B,       /* ungeklärte Identität */
    OBST_DULDUNG_60C,       /* Ausbildungsduldung */
    OBST_DULDUNG_60D,       /* Beschäftigungsduldung */
    OBST_MINOR_NO_HANDOVER, /* § 58 Abs. 1a: Übergabe nicht gesichert */
    OBST_COUNT
};

enum model_finding {
    FIND_SECURITY_GROUND,    /* § 54 Abs. 1 Nr. 2–5, festgestellt von zuständiger Stelle */
    FIND_NONCOOPERATION,     /* § 54 Abs. 2 Nr. 8 / § 60b: Nichtmitwirkung nach Belehrung */
    FIND_STAY_INTEREST_55_1, /* Bleibeinteresse besonders schwer */
    FIND_STAY_INTEREST_55_2, /* Bleibeinteresse schwer */
    FIND_PROTECTED_53_3,     /* § 53 Abs. 3–3b geschützter Status */
    FIND_COUNT
};

enum model_case_status {
    CASE_NEW,
    CASE_IN_PROGRESS,
    CASE_CONFERENCE,
    CASE_MEASURE,
    CASE_CLOSED,
    CASE_DORMANT,
    CASE_STATUS_COUNT
};

enum model_task_status { TASK_OPEN, TASK_DONE, TASK_CANCELLED, TASK_STATUS_COUNT };

/* Code strings (stable, ASCII) and German labels. Never NULL for a valid
 * value; "?" otherwise. *_parse returns FN_INVALID for an unknown code; an
 * empty string parses as the "unknown" value where the enum has one. */
const char *model_org_kind_code(enum model_org_kind v);
const char *model_org_kind_label(enum model_org_kind v);
FN_MUST_CHECK fn_status model_org_kind_parse(const char *s, enum model_org_kind *out);
const char *model_sex_code(enum model_sex v);
const char *model_sex_label(enum model_sex v);
FN_MUST_CHECK fn_status model_sex_parse(const char *s, enum model_sex *out);
const char *model_identity_code(enum model_identity v);
const char *model_identity_label(enum model_identity v);
FN_MUST_CHECK fn_status model_identity_parse(const char *s, enum model_identity *out);
const char *model_residence_code(enum model_residence v);
const char *model_residence_label(enum model_residence v);
FN_MUST_CHECK fn_status model_residence_parse(const char *s, enum model_residence *out);
const char *model_proceeding_kind_code(enum model_proceeding_kind v);
const char *model_proceeding_kind_label(enum model_proceeding_kind v);
FN_MUST_CHECK fn_status model_proceeding_kind_parse(const char *s, enum model_proceeding_kind *out);
const char *model_sentence_code(enum model_sentence v);
const char *model_sentence_label(enum model_sentence v);
FN_MUST_CHECK fn_status model_sentence_parse(const char *s, enum model_sentence *out);
const char *model_consent_code(enum model_consent v);
const char *model_consent_label(enum model_consent v);
FN_MUST_CHECK fn_status model_consent_parse(const char *s, enum model_consent *out);
const char *model_custody_kind_code(enum model_custody_kind v);
const char *model_custody_kind_label(enum model_custody_kind v);
FN_MUST_CHECK fn_status model_custody_kind_parse(const char *s, enum model_custody_kind *out);
const char *model_obstacle_code(enum model_obstacle v);
const char *model_obstacle_label(enum model_obstacle v);
FN_MUST_CHECK fn_status model_obstacle_parse(const char *s, enum model_obstacle *out);
const char *model_finding_code(enum model_finding v);
const char *model_finding_label(enum model_finding v);
FN_MUST_CHECK fn_status model_finding_parse(const char *s, enum model_finding *out);
const char *model_case_status_code(enum model_case_status v);
const char *model_case_status_label(enum model_case_status v);
FN_MUST_CHECK fn_status model_case_status_parse(const char *s, enum model_case_status *out);
const char *model_task_status_code(enum model_task_status v);
FN_MUST_CHECK fn_status model_task_status_parse(const char *s, enum model_task_status *out);

/* Generic parser for the enums above: finds s among count code strings
 * produced by code(i). */
FN_MUST_CHECK fn_status model_enum_parse(const char *s, const char *(*code)(int), int count,
                                         int *out);

/* The code functions above with an int argument, for model_enum_parse
 * (the store's backends parse stored codes with them). */
const char *model_org_kind_code_int(int v);
const char *model_sex_code_int(int v);
const char *model_identity_code_int(int v);
const char *model_residence_code_int(int v);
const char *model_proceeding_kind_code_int(int v);
const char *model_sentence_code_int(int v);
const char *model_consent_code_int(int v);
const char *model_custody_kind_code_int(int v);
const char *model_obstacle_code_int(int v);
const char *model_finding_code_int(int v);
const char *model_case_status_code_int(int v);
const char *model_task_status_code_int(int v);

/* ---- reference data ---- */

struct model_region {
    int64_t id;
    char *code; /* "MS", "D", ... */
    char *name; /* "Münster" */
};

struct model_org {
    int64_t id;
    enum model_org_kind kind;
    char *code; /* authority key, e.g. ABH key of the municipality */
    char *name;
    int64_t region_id; /* 0 = none */
};

/* An official's account. Roles are the bit set of auth/role.h (enum
 * auth_role); the password hash is never part of it (store_user_password_hash
 * reads it for a login alone). */
struct model_user {
    int64_t id;
    char *login;
    char *display_name;
    unsigned roles;
    int64_t org_id;
    int active;       /* 0: disabled, may not log in or act */
    char *created_at; /* UTC, ISO 8601; NULL for accounts older than schema 9 */
};

/* ---- person ---- */

struct model_alias {
    char *family_name;
    char *given_names;
    struct fn_pdate birth_date;
};

struct model_document { /* travel or identity document */
    char *kind;         /* "reisepass", "passersatz", "id_karte", ... */
    char *number;
    char *issuing_state; /* ISO alpha-3 */
    struct fn_pdate valid_until;
    int verified; /* checked against the original */
};

/* An identity document recorded as a fact of person_id (issue 13). */
struct model_document_entry {
    int64_t id;
    int64_t person_id;
    struct model_document doc;
};

struct model_person {
    int64_t id;
    char *record_id; /* external register key, unique */
    char *azr_nr;    /* 12 digits or NULL */
    char *family_name;
    char *given_names;
    char *birth_name;
    enum model_sex sex;
    struct fn_pdate birth_date;
    char *birth_place;
    char *birth_country;  /* ISO alpha-3 */
    char **nationalities; /* ISO alpha-3 each */
    size_t n_nationalities;
    enum model_identity identity;
    char *identity_basis; /* e.g. "Reisepass geprüft" */
    enum model_residence residence;
    struct fn_pdate residence_since;
    char *address_street;
    char *address_postcode;
    char *address_municipality;
    int64_t authority_id; /* responsible foreigners authority (organisation), 0 = none */
    char *authority_code; /* as given in the register (kept even if unresolved) */
    char *updated_at;     /* ISO 8601 */
    int64_t version;      /* of the stored row: 1 on insert, +1 with every change (0: not read) */
    struct model_alias *aliases;
    size_t n_aliases;
    struct model_document *documents;
    size_t n_documents;
};

/* ---- facts about a person ---- */

struct model_residence_entry {
    int64_t id;
    int64_t person_id;
    enum model_residence status;
    struct fn_pdate since;
    struct fn_pdate until;
    char *legal_basis;                  /* e.g. "§ 60a Abs. 2 S. 1 AufenthG" */
    struct fn_pdate enforceable_since;  /* vollziehbar ausreisepflichtig seit */
    struct fn_pdate departure_deadline; /* Ausreisefrist bis */
};

struct model_proceeding {
    int64_t id;
    int64_t person_id;
    enum model_proceeding_kind kind;
    char *file_number;    /* Aktenzeichen */
    int64_t authority_id; /* prosecutor or court organisation, 0 = none */
    char *offences;       /* norms, "; "-separated: "StGB § 223; BtMG § 29" */
    struct fn_pdate offence_date;
    struct fn_pdate decision_date;
    enum model_sentence sentence;
    int sentence_months;        /* Freiheits-/Jugendstrafe in months; 0 otherwise */
    int suspended;              /* zur Bewährung ausgesetzt */
    int intentional;            /* vorsätzlich */
    struct fn_pdate final_date; /* Rechtskraft; unknown = not final */
    enum model_consent consent; /* § 72 Abs. 4 AufenthG */
    /* Written with the row (schema 13); store_person_get does not read them
     * (the assessment needs none): store_fact_history shows them. */
    char *court;                       /* Gericht (conviction) */
    char *prosecutor;                  /* Staatsanwaltschaft */
    struct fn_pdate consent_requested; /* Einvernehmen erbeten am */
    struct fn_pdate consent_decided;   /* erteilt / verweigert am */
};

struct model_custody {
    int64_t id;
    int64_t person_id;
    int64_t prison_id; /* organisation */
    enum model_custody_kind kind;
    struct fn_pdate start;
    struct fn_pdate planned_release;
    struct fn_pdate released; /* unknown = still in custody */
    int decision_456a;        /* § 456a StPO decision taken */
    struct fn_pdate decision_456a_date;
    int64_t transferred_from; /* previous custody id, 0 = none */
};

struct model_obstacle_entry {
    int64_t id;
    int64_t person_id;
    enum model_obstacle kind;
    struct fn_pdate since;
    struct fn_pdate until; /* unknown = open-ended */
    char *note;
    char *norm; /* e.g. "§ 60 Abs. 5 AufenthG" (schema 13; written, not read by person_get) */
};

struct model_finding_entry {
    int64_t id;
    int64_t person_id;
    enum model_finding kind;
    int64_t established_by; /* organisation */
    struct fn_pdate date;
    char *reference; /* Aktenzeichen/Bescheid */
    char *note;
};

/* ---- case work ---- */

struct model_case {
    int64_t id;
    int64_t person_id;
    int64_t authority_id; /* responsible authority */
    int64_t region_id;
    enum model_case_status status;
    char *tags; /* ","-separated focus-project tags, e.g. "aMIT" */
    struct fn_pdate opened;
    struct fn_pdate closed;
};

struct model_conference {
    int64_t id;
    int64_t case_id;
    struct fn_pdate date;
    char *participants; /* "; "-separated organisation names */
    char *minutes;
};

struct model_task {
    int64_t id;
    int64_t case_id;
    int64_t owner_id; /* user */
    char *title;
    struct fn_pdate deadline;
    enum model_task_status status;
};

struct model_doc_meta {
    int64_t id;
    int64_t case_id;
    char *title;
    char *kind;
    char *file_name;
    char *media_type;
    int64_t size;
    char *sha256; /* hex */
};

/* A case with its conferences, tasks and documents. */
struct model_case_file {
    struct model_case kase;
    struct model_conference *conferences;
    size_t n_conferences;
    struct model_task *tasks;
    size_t n_tasks;
    struct model_doc_meta *documents;
    size_t n_documents;
};

/* A person with everything the case file shows. */
struct model_person_file {
    struct model_person *person;
    struct model_residence_entry *residence;
    size_t n_residence;
    struct model_proceeding *proceedings;
    size_t n_proceedings;
    struct model_custody *custody;
    size_t n_custody;
    struct model_obstacle_entry *obstacles;
    size_t n_obstacles;
    struct model_finding_entry *findings;
    size_t n_findings;
    struct model_case *cases;
    size_t n_cases;
};

/* Destructors: free the struct and what it owns; accept NULL. The *_clear
 * variants free only the members (for structs embedded in arrays). */
void model_person_free(struct model_person *p);
void model_person_file_free(struct model_person_file *f);
void model_case_file_free(struct model_case_file *f);
void model_region_clear(struct model_region *r);
void model_org_clear(struct model_org *o);
void model_user_clear(struct model_user *u);
void model_alias_clear(struct model_alias *a);
void model_document_clear(struct model_document *d);
void model_residence_clear(struct model_residence_entry *r);
void model_proceeding_clear(struct model_proceeding *p);
void model_custody_clear(struct model_custody *c);
void model_obstacle_clear(struct model_obstacle_entry *o);
void model_finding_clear(struct model_finding_entry *f);
void model_case_clear(struct model_case *c);
void model_conference_clear(struct model_conference *c);
void model_task_clear(struct model_task *t);
void model_doc_meta_clear(struct model_doc_meta *d);

/* Allocates an empty person (all zero/NULL). Caller frees with
 * model_person_free. */
struct model_person *model_person_new(void);

/* Checks an AZR number: empty or exactly 12 ASCII digits. */
int model_azr_valid(const char *s);

#endif
