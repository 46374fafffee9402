/*
 * fact_input.h – one fact as an official records it, field by field as
 * text (the API's JSON values, the CLI's NAME=WERT arguments, the columns
 * of `import facts`), checked with a German message that names the field.
 *
 * Kinds (code, what is recorded; required fields marked *):
 *   aufenthaltsstatus  status*, since, until, legal_basis, enforceable_since,
 *                      departure_deadline
 *   verurteilung       court*, file_number*, offences*, sentence*,
 *                      sentence_months, suspended, intentional*, final_date,
 *                      decision_date, offence_date
 *   strafverfahren     proceeding*, prosecutor*, file_number*, offences,
 *                      offence_date, decision_date, consent,
 *                      consent_requested, consent_decided
 *   haft               custody*, start*, planned_release, released,
 *                      decision_456a, decision_456a_date
 *   hindernis          obstacle*, norm, since*, until, note
 *   feststellung       finding*, date*, reference, note
 *                      (finding schutzstatus_53_3: protected status,
 *                      § 53 Abs. 3–3b AufenthG)
 *   ausweisdokument    document*, number*, issuing_state*, valid_until,
 *                      verified (identity documents; document a code of
 *                      lower-case letters, digits and _ such as reisepass,
 *                      passersatz, personalausweis; issuing_state ISO
 *                      3166-1 alpha-3 in capitals)
 * and for every kind source_kind* (dokument, mitteilung, register) and
 * source_ref* (the document, notification or register extract).
 *
 * Values: dates YYYY-MM-DD (a full date, 1900 or later; dates of things
 * that happened not after today); enums by their code (model.h); booleans
 * ja/nein (also true/false, 1/0); months 0–600; offences as norms
 * separated by ";", each "§ 224 StGB" or "StGB § 224" with optional
 * "Abs.", "Nr.", "S." parts, stored as "StGB § 224 …" (the form the
 * assessment reads). Texts: valid UTF-8 without control characters, at
 * most FACT_INPUT_TEXT_MAX bytes (notes FACT_INPUT_NOTE_MAX).
 */
#ifndef FN_INGEST_FACT_INPUT_H
#define FN_INGEST_FACT_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "model/model.h"
#include "store/store.h"

#define FACT_INPUT_TEXT_MAX 200u
#define FACT_INPUT_NOTE_MAX 2000u

enum fact_input_kind {
    FACT_IN_RESIDENCE,
    FACT_IN_CONVICTION,
    FACT_IN_PROCEEDING,
    FACT_IN_CUSTODY,
    FACT_IN_OBSTACLE,
    FACT_IN_FINDING,
    FACT_IN_DOCUMENT,
    FACT_IN_COUNT
};

/* "aufenthaltsstatus", … and the German label; "?" out of range. */
const char *fact_input_kind_code(enum fact_input_kind k);
const char *fact_input_kind_label(enum fact_input_kind k);
FN_MUST_CHECK fn_status fact_input_kind_parse(const char *s, enum fact_input_kind *out);
/* The kind of a stored row: a proceeding row of kind verurteilung is a
 * conviction. */
enum fact_input_kind fact_input_kind_of(enum store_fact_kind kind, const char *proceeding_kind);

/* Why a value was refused: the field's name and a German sentence naming it. */
struct fact_input_error {
    char field[64];
    char message[320];
};

/* One fact being entered; owns its strings (fact_input_clear). */
struct fact_input {
    enum fact_input_kind kind;
    unsigned long long seen; /* bit per field row set */
    struct model_residence_entry residence;
    struct model_proceeding proceeding;
    struct model_custody custody;
    struct model_obstacle_entry obstacle;
    struct model_finding_entry finding;
    struct model_document_entry document;
    char *source_kind;
    char *source_ref;
};

/* Starts an empty fact of kind about person_id. */
void fact_input_init(struct fact_input *in, enum fact_input_kind kind, int64_t person_id);
/* Frees what in owns and empties it; accepts NULL. */
void fact_input_clear(struct fact_input *in);

/* Sets field name to value (today: days since 1970 for dates that must not
 * lie ahead). FN_INVALID with *err for an unknown field, a field given
 * twice or a bad value; FN_NOMEM. */
FN_MUST_CHECK fn_status fact_input_set(struct fact_input *in, const char *name, const char *value,
                                       int32_t today, struct fact_input_error *err);
/* Checks what needs several fields: required fields present, periods not
 * ending before they start, sentence and months consistent, consent dates
 * matching the consent. FN_INVALID with *err. */
FN_MUST_CHECK fn_status fact_input_finish(struct fact_input *in, struct fact_input_error *err);

/* Checks the reason of a correction or withdrawal (field name "reason"):
 * 3 to FACT_INPUT_NOTE_MAX bytes of text. FN_INVALID with *err. */
FN_MUST_CHECK fn_status fact_input_reason_check(const char *reason, struct fact_input_error *err);

/* The store's kind, the model struct to store and the source. Borrowed. */
enum store_fact_kind fact_input_store_kind(const struct fact_input *in);
const void *fact_input_fact(const struct fact_input *in);
struct store_fact_source fact_input_source(const struct fact_input *in);

/* A stored row of store_fact_history as an official reads it: the kind
 * as entered, its state, the fields under the names above (only those
 * set), source and recorder, and for a retired row who retired it, when,
 * why and (a correction) the row that replaced it. Strings borrow from the
 * row; valid while it is. */
#define FACT_VIEW_MAX_FIELDS 24
struct fact_view {
    enum fact_input_kind kind;
    const char *status; /* "aktuell", "berichtigt", "zurueckgezogen" */
    char ref[40];       /* "strafverfahren-12": table and row id */
    char successor[40]; /* the correcting row's ref, "" when none */
    size_t n;
    const char *names[FACT_VIEW_MAX_FIELDS];
    const char *values[FACT_VIEW_MAX_FIELDS];
    const char *source_kind, *source_ref, *recorded_by, *recorded_at;
    const char *retired_by, *retired_at, *reason;
};
void fact_view_of(enum store_fact_kind kind, const struct store_table_row *row,
                  struct fact_view *v);

/* The field names of kind, in order, into names (up to cap); returns the
 * count (for help texts and the CSV header check). */
size_t fact_input_fields(enum fact_input_kind kind, const char **names, size_t cap);

#endif
