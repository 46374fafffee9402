/*
 * json.h – domain entities as JSON (jansson) for the API.
 *
 * Field names are the register-format and model code names; enum values are
 * their code strings with a German label next to them ("status" and
 * "status_label"), so clients can show German text without a lookup table.
 */
#ifndef FN_HTTP_JSON_H
#define FN_HTTP_JSON_H

#include <jansson.h>

#include "core/buf.h"
#include "model/model.h"
#include "store/store.h"

/* New reference to a JSON object for the whole person file; NULL on OOM. */
json_t *http_json_person_file(const struct model_person_file *f);
/* Writes the same document as http_json_person_file straight into out
 * (no object tree: the hot path of GET /persons/{id}). FN_TOO_LARGE past
 * the buffer's cap. */
FN_MUST_CHECK fn_status http_json_person_file_write(const struct model_person_file *f,
                                                    struct fn_buf *out);
/* New reference to a JSON object for a list entry; NULL on OOM. */
json_t *http_json_person_summary(const struct store_person_summary *s);

#endif
