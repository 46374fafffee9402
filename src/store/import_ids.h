/*
 * import_ids.h – a map from record_id to a person id for one bulk import:
 * the record_ids staged so far (policy_import.c: a duplicate in the file)
 * and the answers of a look-ahead for stored ones (pg_import.c). Open
 * addressing over offsets into one text block, so a million ids cost a few
 * allocations, not a million.
 */
#ifndef FN_STORE_IMPORT_IDS_H
#define FN_STORE_IMPORT_IDS_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct import_ids {
    struct import_id_slot *slot; /* owned; cap of them */
    size_t cap, n;
    char *text; /* owned: the ids, each NUL-terminated */
    size_t text_len, text_cap;
};

/* Maps id to v (a copy of id is kept; an id there already gets v). An
 * all-zero struct import_ids is an empty map. */
FN_MUST_CHECK fn_status import_ids_put(struct import_ids *s, const char *id, int64_t v);
/* 1 and *v (NULL: not wanted) when id is in s, else 0. */
int import_ids_get(const struct import_ids *s, const char *id, int64_t *v);
/* Empties s, keeping its storage. */
void import_ids_clear(struct import_ids *s);
/* Releases the storage; s is empty afterwards. Accepts NULL. */
void import_ids_free(struct import_ids *s);

#endif
