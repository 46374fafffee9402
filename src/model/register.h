/*
 * register.h – the register exchange format (shared/spec/register-exchange.md)
 * mapped to and from struct model_person.
 *
 * The header row decides the column order; every column but record_id may
 * be missing. Field values are validated here (UTF-8, dates, codes) so that
 * every consumer reports bad rows the same way: "field: reason".
 */
#ifndef FN_MODEL_REGISTER_H
#define FN_MODEL_REGISTER_H

#include "core/csv.h"
#include "core/status.h"
#include "model/model.h"

enum register_column {
    REG_RECORD_ID,
    REG_AZR_NR,
    REG_FAMILY_NAME,
    REG_GIVEN_NAMES,
    REG_BIRTH_NAME,
    REG_SEX,
    REG_BIRTH_DATE,
    REG_BIRTH_PLACE,
    REG_BIRTH_COUNTRY,
    REG_NATIONALITY,
    REG_RESIDENCE_STATUS,
    REG_RESIDENCE_SINCE,
    REG_IDENTITY_STATUS,
    REG_ADDRESS_STREET,
    REG_ADDRESS_POSTCODE,
    REG_ADDRESS_MUNICIPALITY,
    REG_AUTHORITY,
    REG_UPDATED_AT,
    REG_ALIASES,
    REG_COLUMN_COUNT
};

/* Column name as in the spec ("record_id", ...). */
const char *register_column_name(enum register_column c);

/* Where each column sits in a file: index or -1 when absent. */
struct register_layout {
    int index[REG_COLUMN_COUNT];
    size_t nfields; /* fields per row in the header */
    size_t unknown; /* header columns that are not in the spec */
    char first_unknown[64];
};

/* Reads the layout from a header row. FN_INVALID when record_id is missing
 * (msg names it) or a column appears twice. */
FN_MUST_CHECK fn_status register_layout_from_header(const struct fn_csv_row *header,
                                                    struct register_layout *layout, char *msg,
                                                    size_t msg_size);

/* Converts one data row into a new person (*out, caller frees with
 * model_person_free). FN_INVALID with msg "Feld X: reason" (German) for a
 * bad row: wrong field count, invalid UTF-8, empty record_id, bad AZR number,
 * sex, date, status or country code, malformed alias. */
FN_MUST_CHECK fn_status register_row_to_person(const struct register_layout *layout,
                                               const struct fn_csv_row *row,
                                               struct model_person **out, char *msg,
                                               size_t msg_size);

/* Writes the header row in spec order. */
FN_MUST_CHECK fn_status register_write_header(struct fn_csv_writer *w);
/* Writes p as one row in spec order (authority written from
 * p->authority_code). */
FN_MUST_CHECK fn_status register_write_person(struct fn_csv_writer *w,
                                              const struct model_person *p);

/* 1 when s is an ISO 3166-1 alpha-3 shaped code (three upper-case letters;
 * XXA, XXX, XKX included). */
int register_country_shape_ok(const char *s);

#endif
