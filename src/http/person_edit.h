/*
 * person_edit.h – the body of PUT /api/v1/persons/{id}: a person's
 * editable master data (Stammdaten) as JSON, checked field by field.
 *
 * The keys are those of the person in GET /api/v1/persons/{id}: family_name,
 * given_names, birth_name, sex, birth_date, birth_place, birth_country,
 * nationalities, identity_status, identity_basis, residence_status,
 * residence_since, address {street, postcode, municipality}, aliases
 * [{family_name, given_names, birth_date}], documents [{kind, number,
 * issuing_state, valid_until, verified}]. PUT replaces the whole set: a key
 * left out or null is empty. Anything else (record_id, authority, id,
 * version, a typo) is refused, so a client cannot believe it changed what
 * it cannot. The register key, AZR number and responsible authority are
 * not editable here.
 *
 * Every refusal names the field (its JSON path, "aliases[1].birth_date")
 * and says in German what is wrong. Texts are valid UTF-8 without control
 * characters, within hard caps (HTTP_EDIT_* below); the body itself at most
 * HTTP_EDIT_BODY_MAX bytes.
 */
#ifndef FN_HTTP_PERSON_EDIT_H
#define FN_HTTP_PERSON_EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "model/model.h"

#define HTTP_EDIT_BODY_MAX      65536u /* bytes of the request body */
#define HTTP_EDIT_TEXT_MAX      200u   /* bytes of a name, place, street, basis */
#define HTTP_EDIT_SHORT_MAX     40u    /* bytes of a document kind or number */
#define HTTP_EDIT_NATIONS_MAX   10u    /* nationalities */
#define HTTP_EDIT_ALIASES_MAX   20u
#define HTTP_EDIT_DOCUMENTS_MAX 20u

/* Why a body was refused: the field's JSON path ("" for the body as a
 * whole) and a German sentence that names the field. */
struct http_edit_error {
    char field[128];
    char message[256];
};

/* Parses body (len bytes, need not be NUL-terminated) into p, a person from
 * model_person_new that the caller owns and frees (also after a failure,
 * when p may hold what was parsed so far). Fills only the editable fields.
 * today (days since 1970-01-01) bounds dates of birth. FN_INVALID with *err
 * filled for a malformed body or field, FN_TOO_LARGE for a body over
 * HTTP_EDIT_BODY_MAX (err filled too), FN_NOMEM. */
FN_MUST_CHECK fn_status http_person_edit_parse(const char *body, size_t len, int32_t today,
                                               struct model_person *p, struct http_edit_error *err);

/* The version an If-Match header names: exactly "v<digits>" in quotes, as
 * GET sends it in ETag; 0 for anything else (NULL, "*", a weak tag). */
int64_t http_person_edit_if_match(const char *header);

#endif
