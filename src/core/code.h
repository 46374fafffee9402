/*
 * code.h – XÖV code values (listURI, listVersionID, code) and the country
 * crosswalk ISO 3166-1 alpha-3 ↔ DESTATIS Staatsangehörigkeitsschlüssel ↔
 * bfj.staat.
 *
 * XÖV transmits an enumerated value as a triple: the code list's URN, the
 * list version and the code (xoev-code.xsd, `Code`). fallnetz keeps that
 * triple as received and stores a normalised ISO alpha-3 value beside it, so
 * that a lossy mapping (e.g. DESTATIS 999 "ohne Angabe" → XXX) never loses
 * what the sender said (docs/codes.md, domain.md § 1.3).
 *
 * The country table is static and read-only; every lookup is thread-safe.
 * Sources, version and the entries that could not be verified: docs/codes.md.
 */
#ifndef FN_CORE_CODE_H
#define FN_CORE_CODE_H

#include <stddef.h>

#include "core/status.h"

/* Code list URNs (XRepository identifiers). */
#define FN_LIST_BFJ_STAAT "urn:xoev-de:bund:bfj:codeliste:bfj.staat"
#define FN_LIST_DESTATIS_STAATSANGEHOERIGKEIT                                                      \
    "urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:staatsangehoerigkeit"
#define FN_LIST_DESTATIS_STAAT         "urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:staat"
#define FN_LIST_XAUSLAENDER_GESCHLECHT "urn:de:xauslaender:codelist:geschlecht"
#define FN_LIST_XINNERES_GESCHLECHT    "urn:xoev-de:xinneres:codeliste:geschlecht"
/* ISO 3166-1 alpha-3 (+ ICAO XXA/XXX and the user-assigned XKX) as used by the
 * register exchange format. ISO publishes no XÖV list; this URN follows RFC 5141
 * (urn:iso:std:...). */
#define FN_LIST_ISO3166_ALPHA3 "urn:iso:std:iso:3166:-1:alpha-3"

/* The DESTATIS list version the country table was verified against. */
#define FN_LIST_VERSION_DESTATIS_STAATSANGEHOERIGKEIT "2021-02-19"

/* Hard caps for code triples received from outside. */
#define FN_CODE_URI_MAX     256
#define FN_CODE_VERSION_MAX 64
#define FN_CODE_VALUE_MAX   64

/* A code value as transmitted. Borrowed strings; list_version may be NULL
 * (code types 1/2 fix the version in the schema). */
struct fn_code {
    const char *list_uri;
    const char *list_version;
    const char *code;
};

/* The same triple with owned copies; release with fn_code_owned_free. */
struct fn_code_owned {
    char *list_uri;
    char *list_version; /* NULL if the sender gave none */
    char *code;
};

/* Copies src into *dst (all strings duplicated; dst's previous contents are
 * not freed). Rejects a missing list_uri or code, empty strings, values over
 * the FN_CODE_*_MAX caps and invalid UTF-8 with FN_INVALID; FN_NOMEM on
 * allocation failure (dst then holds nothing). Caller frees with
 * fn_code_owned_free. */
FN_MUST_CHECK fn_status fn_code_copy(struct fn_code_owned *dst, const struct fn_code *src);

/* Frees the strings of c and zeroes it. Accepts NULL. */
void fn_code_owned_free(struct fn_code_owned *c);

/* A borrowed view of an owned triple (valid while c lives). */
struct fn_code fn_code_owned_view(const struct fn_code_owned *c);

/* Country table flags. */
enum {
    FN_COUNTRY_VERIFIED_DESTATIS = 1u << 0, /* code and name found in the DESTATIS list */
    FN_COUNTRY_VERIFIED_ISO = 1u << 1,      /* ISO ↔ DESTATIS pair found in a second source */
    FN_COUNTRY_SPECIAL = 1u << 2,           /* XXA, XXX, XKX: not ISO-assigned */
    FN_COUNTRY_HISTORIC = 1u << 3,          /* state no longer exists (YUG, SCG, SUN, CSK) */
};

struct fn_country {
    const char *iso3;     /* "SYR"; ISO 3166-1 alpha-3 or ICAO/user-assigned code */
    const char *iso2;     /* "SY"; NULL for XXA/XXX */
    const char *destatis; /* Staatsangehörigkeitsschlüssel, "475" */
    const char *bfj;      /* bfj.staat code where it differs from destatis, else NULL */
    const char *name_de;  /* German short name, "Syrien" */
    unsigned flags;       /* FN_COUNTRY_* */
};

/* All entries, sorted by iso3; *out receives the first. Returns the count. */
size_t fn_countries(const struct fn_country **out);

/* Entry for an alpha-3 code (case-insensitive, exactly three letters); NULL
 * if unknown. O(log n). Borrows iso3. */
const struct fn_country *fn_country_by_iso3(const char *iso3);

/* Entry for an alpha-2 code (case-insensitive); historic states are not
 * found this way because their alpha-2 codes were reassigned. NULL if
 * unknown. O(log n). */
const struct fn_country *fn_country_by_iso2(const char *iso2);

/* Entry for a DESTATIS Staatsangehörigkeitsschlüssel (three digits). Also
 * resolves the superseded codes 120 (SFR Jugoslawien → YUG), 133 (Serbien
 * einschl. Kosovo → SRB), 276 (Sudan einschl. Südsudan → SDN) and the
 * Ersatzwert 999 "ohne Angabe" (→ XXX). NULL if unknown. O(1). */
const struct fn_country *fn_country_by_destatis(const char *code);

/* Entry for a bfj.staat code; NULL if unknown. */
const struct fn_country *fn_country_by_bfj(const char *code);

/* 1 if iso3 names an entry of the table (case-insensitive), else 0. */
int fn_country_valid_iso3(const char *iso3);

/* A country value as received plus its normalised entry. */
struct fn_country_value {
    struct fn_code_owned original; /* the triple exactly as received */
    const struct fn_country *country;
};

/* Resolves a triple from one of the country lists (FN_LIST_ISO3166_ALPHA3,
 * FN_LIST_DESTATIS_STAATSANGEHOERIGKEIT, FN_LIST_DESTATIS_STAAT,
 * FN_LIST_BFJ_STAAT) to its table entry. Surrounding whitespace in the code
 * is ignored. FN_UNSUPPORTED for another list, FN_NOTFOUND for an unknown
 * code, FN_INVALID for a malformed triple. Borrows in. */
FN_MUST_CHECK fn_status fn_code_to_country(const struct fn_code *in, const struct fn_country **out);

/* Like fn_code_to_country, and also keeps a copy of the triple in out->original
 * (on failure out is left empty). Caller frees with fn_country_value_free. */
FN_MUST_CHECK fn_status fn_country_value_from_code(const struct fn_code *in,
                                                   struct fn_country_value *out);

/* Frees out->original. Accepts NULL. */
void fn_country_value_free(struct fn_country_value *v);

/* The triple for country c in list_uri (one of the four country lists) with
 * list_version (borrowed; may be NULL). *out borrows static strings and
 * list_version. FN_UNSUPPORTED for another list, FN_INVALID for a NULL
 * argument. */
FN_MUST_CHECK fn_status fn_country_to_code(const struct fn_country *c, const char *list_uri,
                                           const char *list_version, struct fn_code *out);

#endif
