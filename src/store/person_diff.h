/*
 * person_diff.h – which fields of a person an update changes, named as the
 * audit row of store_person_update lists them ({"felder":[...]}).
 * Backend-neutral C over two model persons: the stored one (as a backend
 * reads it back) and the new one.
 */
#ifndef FN_STORE_PERSON_DIFF_H
#define FN_STORE_PERSON_DIFF_H

#include "core/buf.h"
#include "core/status.h"
#include "model/model.h"

/* Appends to out the quoted names of the fields in which stored and next
 * differ, comma-separated: the person columns in storage order (record_id
 * … updated_at), then "aliases" and "documents". Fields compare in their
 * stored text form: NULL and "" are equal, an unknown date or residence
 * and a missing authority are empty, nationalities compare joined with ';'
 * leaving out empty entries (a stored list is read back without them);
 * aliases and documents compare as whole lists in order. Appends nothing
 * when nothing changed. FN_NOMEM, or FN_TOO_LARGE when a list does not fit
 * its cap (nationalities 256 bytes, as stored; aliases and documents 64 KiB
 * each); out then holds what was appended so far. */
FN_MUST_CHECK fn_status store_person_diff(const struct model_person *stored,
                                          const struct model_person *next, struct fn_buf *out);

#endif
