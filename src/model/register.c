/* register.c – register exchange CSV rows <-> struct model_person. */
#include "model/register.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/utf8.h"

static const char *const column_names[REG_COLUMN_COUNT] = {
    "record_id",        "azr_nr",
    "family_name",      "given_names",
    "birth_name",       "sex",
    "birth_date",       "birth_place",
    "birth_country",    "nationality",
    "residence_status", "residence_since",
    "identity_status",  "address_street",
    "address_postcode", "address_municipality",
    "authority",        "updated_at",
    "aliases"};

const char *register_column_name(enum register_column c)
{
    return (int)c >= 0 && c < REG_COLUMN_COUNT ? column_names[c] : "?";
}

fn_status register_layout_from_header(const struct fn_csv_row *header,
                                      struct register_layout *layout, char *msg, size_t msg_size)
{
    memset(layout, 0, sizeof *layout);
    for (int c = 0; c < REG_COLUMN_COUNT; c++)
        layout->index[c] = -1;
    layout->nfields = header->nfields;
    for (size_t i = 0; i < header->nfields; i++) {
        const char *name = header->fields[i];
        size_t len = header->lens[i];
        fn_utf8_trim(&name, &len);
        int found = -1;
        for (int c = 0; c < REG_COLUMN_COUNT; c++) {
            if (strlen(column_names[c]) == len && memcmp(column_names[c], name, len) == 0)
                found = c;
        }
        if (found < 0) {
            if (layout->unknown++ == 0)
                snprintf(layout->first_unknown, sizeof layout->first_unknown, "%.*s",
                         (int)fn_utf8_truncate(name, len, 60), name);
            continue;
        }
        if (layout->index[found] >= 0) {
            snprintf(msg, msg_size, "Spalte %s kommt zweimal vor", column_names[found]);
            return FN_INVALID;
        }
        layout->index[found] = (int)i;
    }
    if (layout->index[REG_RECORD_ID] < 0) {
        snprintf(msg, msg_size, "Pflichtspalte record_id fehlt in der Kopfzeile");
        return FN_INVALID;
    }
    return FN_OK;
}

int register_country_shape_ok(const char *s)
{
    return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
           s[2] >= 'A' && s[2] <= 'Z';
}

/* Trimmed copy of a field, NULL for an empty field. */
static fn_status field_copy(const struct register_layout *l, const struct fn_csv_row *row,
                            enum register_column c, char **out)
{
    *out = NULL;
    int i = l->index[c];
    if (i < 0)
        return FN_OK;
    const char *s = row->fields[i];
    size_t len = row->lens[i];
    fn_utf8_trim(&s, &len);
    if (!len)
        return FN_OK;
    *out = fn_strndup(s, len);
    return *out ? FN_OK : FN_NOMEM;
}

/* Parses a date field into *d. */
static fn_status field_date(const char *s, struct fn_pdate *d)
{
    return fn_pdate_parse(s ? s : "", s ? strlen(s) : 0, d);
}

/* Upper-cases ASCII in place. */
static void upper(char *s)
{
    for (; s && *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
}

/* Lower-cases ASCII in place. */
static void lower(char *s)
{
    for (; s && *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

static fn_status parse_aliases(const char *s, struct model_person *p, char *msg, size_t msg_size)
{
    if (!s || !s[0])
        return FN_OK;
    size_t n = 1;
    for (const char *c = s; *c; c++)
        n += *c == ';';
    if (n > 64) {
        snprintf(msg, msg_size, "Feld aliases: mehr als 64 Aliasidentitäten");
        return FN_INVALID;
    }
    p->aliases = fn_calloc(n, sizeof *p->aliases);
    if (!p->aliases)
        return FN_NOMEM;
    const char *start = s;
    for (;;) {
        const char *end = strchr(start, ';');
        size_t len = end ? (size_t)(end - start) : strlen(start);
        const char *item = start;
        fn_utf8_trim(&item, &len);
        if (len) {
            const char *bar = memchr(item, '|', len);
            if (!bar) {
                snprintf(msg, msg_size, "Feld aliases: Eintrag '%.*s' ohne '|' (Form family|given)",
                         (int)fn_utf8_truncate(item, len, 40), item);
                return FN_INVALID;
            }
            struct model_alias *a = &p->aliases[p->n_aliases++];
            const char *fam = item, *giv = bar + 1;
            size_t flen = (size_t)(bar - item), glen = len - flen - 1;
            fn_utf8_trim(&fam, &flen);
            fn_utf8_trim(&giv, &glen);
            a->family_name = fn_strndup(fam, flen);
            a->given_names = fn_strndup(giv, glen);
            if (!a->family_name || !a->given_names)
                return FN_NOMEM;
        }
        if (!end)
            break;
        start = end + 1;
    }
    return FN_OK;
}

static fn_status parse_nationalities(char *s, struct model_person *p, char *msg, size_t msg_size)
{
    if (!s)
        return FN_OK;
    size_t n = 1;
    for (const char *c = s; *c; c++)
        n += *c == ';';
    p->nationalities = fn_calloc(n, sizeof *p->nationalities);
    if (!p->nationalities)
        return FN_NOMEM;
    char *save = NULL;
    for (char *tok = strtok_r(s, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        size_t len = strlen(tok);
        const char *t = tok;
        fn_utf8_trim(&t, &len);
        char code[8];
        snprintf(code, sizeof code, "%.*s", (int)fn_utf8_truncate(t, len, 7), t);
        upper(code);
        if (!len)
            continue;
        if (!register_country_shape_ok(code)) {
            snprintf(msg, msg_size, "Feld nationality: '%s' ist kein ISO-3166-Alpha-3-Code", code);
            return FN_INVALID;
        }
        p->nationalities[p->n_nationalities] = fn_strdup(code);
        if (!p->nationalities[p->n_nationalities])
            return FN_NOMEM;
        p->n_nationalities++;
    }
    return FN_OK;
}

fn_status register_row_to_person(const struct register_layout *layout, const struct fn_csv_row *row,
                                 struct model_person **out, char *msg, size_t msg_size)
{
    fn_status rc = FN_INVALID;
    struct model_person *p = NULL;
    char *sex = NULL, *birth = NULL, *nat = NULL, *res = NULL, *res_since = NULL, *ident = NULL,
         *aliases = NULL;
    *out = NULL;
    msg[0] = '\0';
    if (row->nfields != layout->nfields) {
        snprintf(msg, msg_size, "%zu Felder statt %zu", row->nfields, layout->nfields);
        goto out;
    }
    for (size_t i = 0; i < row->nfields; i++) {
        size_t bad = 0;
        if (!fn_utf8_valid(row->fields[i], row->lens[i], &bad)) {
            const char *name = "?";
            for (int c = 0; c < REG_COLUMN_COUNT; c++)
                if (layout->index[c] == (int)i)
                    name = column_names[c];
            snprintf(msg, msg_size, "Feld %s: ungültiges UTF-8 (Byte %zu)", name, bad + 1);
            goto out;
        }
        if (memchr(row->fields[i], '\0', row->lens[i])) {
            snprintf(msg, msg_size, "Feld %zu: enthält ein NUL-Zeichen", i + 1);
            goto out;
        }
    }
    rc = FN_NOMEM;
    p = model_person_new();
    if (!p)
        goto out;
    struct {
        enum register_column c;
        char **dst;
    } copies[] = {{REG_RECORD_ID, &p->record_id},
                  {REG_AZR_NR, &p->azr_nr},
                  {REG_FAMILY_NAME, &p->family_name},
                  {REG_GIVEN_NAMES, &p->given_names},
                  {REG_BIRTH_NAME, &p->birth_name},
                  {REG_SEX, &sex},
                  {REG_BIRTH_DATE, &birth},
                  {REG_BIRTH_PLACE, &p->birth_place},
                  {REG_BIRTH_COUNTRY, &p->birth_country},
                  {REG_NATIONALITY, &nat},
                  {REG_RESIDENCE_STATUS, &res},
                  {REG_RESIDENCE_SINCE, &res_since},
                  {REG_IDENTITY_STATUS, &ident},
                  {REG_ADDRESS_STREET, &p->address_street},
                  {REG_ADDRESS_POSTCODE, &p->address_postcode},
                  {REG_ADDRESS_MUNICIPALITY, &p->address_municipality},
                  {REG_AUTHORITY, &p->authority_code},
                  {REG_UPDATED_AT, &p->updated_at},
                  {REG_ALIASES, &aliases}};
    for (size_t i = 0; i < sizeof copies / sizeof copies[0]; i++) {
        rc = field_copy(layout, row, copies[i].c, copies[i].dst);
        if (rc)
            goto out;
    }
    rc = FN_INVALID;
    if (!p->record_id) {
        snprintf(msg, msg_size, "Feld record_id: leer");
        goto out;
    }
    if (p->azr_nr && !model_azr_valid(p->azr_nr)) {
        snprintf(msg, msg_size, "Feld azr_nr: '%.20s' hat nicht genau 12 Ziffern", p->azr_nr);
        goto out;
    }
    lower(sex);
    if (model_sex_parse(sex ? sex : "", &p->sex) != FN_OK) {
        snprintf(msg, msg_size, "Feld sex: '%.10s' ist nicht m, f, x oder u", sex);
        goto out;
    }
    if (field_date(birth, &p->birth_date) != FN_OK) {
        snprintf(msg, msg_size, "Feld birth_date: ungültiges Datum '%.20s'", birth);
        goto out;
    }
    if (field_date(res_since, &p->residence_since) != FN_OK) {
        snprintf(msg, msg_size, "Feld residence_since: ungültiges Datum '%.20s'", res_since);
        goto out;
    }
    lower(res);
    if (model_residence_parse(res ? res : "", &p->residence) != FN_OK) {
        snprintf(msg, msg_size, "Feld residence_status: unbekannter Wert '%.30s'", res);
        goto out;
    }
    lower(ident);
    if (model_identity_parse(ident ? ident : "", &p->identity) != FN_OK) {
        snprintf(msg, msg_size, "Feld identity_status: unbekannter Wert '%.30s'", ident);
        goto out;
    }
    upper(p->birth_country);
    if (p->birth_country && !register_country_shape_ok(p->birth_country)) {
        snprintf(msg, msg_size, "Feld birth_country: '%.10s' ist kein ISO-3166-Alpha-3-Code",
                 p->birth_country);
        goto out;
    }
    rc = parse_nationalities(nat, p, msg, msg_size);
    if (!rc)
        rc = parse_aliases(aliases, p, msg, msg_size);
    if (rc)
        goto out;
    *out = p;
    p = NULL;
out:
    model_person_free(p);
    fn_free(sex);
    fn_free(birth);
    fn_free(nat);
    fn_free(res);
    fn_free(res_since);
    fn_free(ident);
    fn_free(aliases);
    return rc;
}

fn_status register_write_header(struct fn_csv_writer *w)
{
    return fn_csv_put_row(w, column_names, REG_COLUMN_COUNT);
}

fn_status register_write_person(struct fn_csv_writer *w, const struct model_person *p)
{
    char birth[11], since[11];
    struct fn_buf nat, aliases;
    fn_buf_init(&nat, 1024);
    fn_buf_init(&aliases, 64 * 1024);
    fn_status rc = FN_OK;
    fn_pdate_format(&p->birth_date, birth);
    fn_pdate_format(&p->residence_since, since);
    for (size_t i = 0; i < p->n_nationalities && !rc; i++) {
        if (i)
            rc = fn_buf_append_char(&nat, ';');
        if (!rc)
            rc = fn_buf_append_str(&nat, p->nationalities[i]);
    }
    for (size_t i = 0; i < p->n_aliases && !rc; i++) {
        rc = fn_buf_appendf(&aliases, "%s%s|%s", i ? ";" : "",
                            p->aliases[i].family_name ? p->aliases[i].family_name : "",
                            p->aliases[i].given_names ? p->aliases[i].given_names : "");
    }
    if (rc)
        goto out;
    const char *fields[REG_COLUMN_COUNT] = {
        p->record_id,
        p->azr_nr,
        p->family_name,
        p->given_names,
        p->birth_name,
        p->sex == SEX_UNKNOWN ? "u" : model_sex_code(p->sex),
        birth,
        p->birth_place,
        p->birth_country,
        fn_buf_str(&nat),
        p->residence == RES_UNKNOWN ? "" : model_residence_code(p->residence),
        since,
        model_identity_code(p->identity),
        p->address_street,
        p->address_postcode,
        p->address_municipality,
        p->authority_code,
        p->updated_at,
        fn_buf_str(&aliases)};
    rc = fn_csv_put_row(w, fields, REG_COLUMN_COUNT);
out:
    fn_buf_free(&nat);
    fn_buf_free(&aliases);
    return rc;
}
