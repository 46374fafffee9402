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

#include "model/model.h"
#include "store/store.h"

/* New reference to a JSON object for the whole person file; NULL on OOM. */
json_t *http_json_person_file(const struct model_person_file *f);
/* New reference to a JSON object for a list entry; NULL on OOM. */
json_t *http_json_person_summary(const struct store_person_summary *s);

#endif
