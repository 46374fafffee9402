/* person_edit.c – the checked body of PUT /api/v1/persons/{id} (see
 * person_edit.h). */
#include "http/person_edit.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/pdate.h"
#include "core/utf8.h"

/* Where in the body a field is: the JSON path prefix ("aliases[1].") and
 * the German prefix of its message ("Alias 2: "). */
struct edit_ctx {
    struct http_edit_error *err;
    int32_t today;
    char path[48];
    char label[48];
};

/* Fills the error for field key (label: its German name) with what is
 * wrong; returns FN_INVALID. */
static fn_status refuse(struct edit_ctx *c, const char *key, const char *label, const char *what)
{
    snprintf(c->err->field, sizeof c->err->field, "%s%s", c->path, key);
    snprintf(c->err->message, sizeof c->err->message, "%s%s (%s%s) %s", c->label, label, c->path,
             key, what);
    fn_utf8_trim_partial(c->err->message);
    return FN_INVALID;
}

/* 1 when none of s[0..n) is a control character (C0, DEL, C1). */
static int no_controls(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x20 || b == 0x7f)
            return 0;
        /* C1 controls U+0080..U+009F are 0xC2 0x80..0x9F in UTF-8 */
        if (b == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] < 0xa0)
            return 0;
    }
    return 1;
}

/* The text of key, trimmed, into *s / *n; *s NULL when the key is missing,
 * null or empty. FN_INVALID for anything but a string. */
static fn_status text_of(struct edit_ctx *c, json_t *obj, const char *key, const char *label,
                         const char **s, size_t *n)
{
    json_t *v = json_object_get(obj, key);
    *s = NULL;
    *n = 0;
    if (!v || json_is_null(v))
        return FN_OK;
    if (!json_is_string(v))
        return refuse(c, key, label, "muss ein Text sein.");
    const char *t = json_string_value(v);
    size_t len = json_string_length(v);
    fn_utf8_trim(&t, &len);
    if (len)
        *s = t;
    *n = len;
    return FN_OK;
}

/* A checker of a coded value (whole text); 1 when fine. */
typedef int (*code_check)(const char *s, size_t n);

/* Copies the text of key into *dst (caller's person owns it): at most max
 * bytes of valid UTF-8 without control characters; required: not empty;
 * check (may be NULL): the form, described by hint when it fails. */
static fn_status take_text(struct edit_ctx *c, json_t *obj, const char *key, const char *label,
                           size_t max, int required, code_check check, const char *hint, char **dst)
{
    const char *s = NULL;
    size_t n = 0;
    fn_status rc = text_of(c, obj, key, label, &s, &n);
    if (rc)
        return rc;
    if (!s)
        return required ? refuse(c, key, label, "fehlt; bitte angeben.") : FN_OK;
    if (!fn_utf8_valid(s, n, NULL))
        return refuse(c, key, label, "ist kein gültiger UTF-8-Text.");
    if (n > max) {
        char what[64];
        snprintf(what, sizeof what, "ist zu lang (höchstens %zu Byte).", max);
        return refuse(c, key, label, what);
    }
    if (!no_controls(s, n))
        return refuse(c, key, label, "enthält Steuerzeichen.");
    if (check && !check(s, n))
        return refuse(c, key, label, hint);
    *dst = fn_strndup(s, n);
    return *dst ? FN_OK : FN_NOMEM;
}

/* 1 when s[0..n) is exactly len characters, each within lo..hi. */
static int fixed_form(const char *s, size_t n, size_t len, char lo, char hi)
{
    if (n != len)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < lo || s[i] > hi)
            return 0;
    return 1;
}

/* ISO 3166-1 alpha-3 as the register writes it: three capital letters. */
static int is_alpha3(const char *s, size_t n)
{
    return fixed_form(s, n, 3, 'A', 'Z');
}

/* A German postcode: five digits. */
static int is_postcode(const char *s, size_t n)
{
    return fixed_form(s, n, 5, '0', '9');
}

/* A document kind code: lower-case letters, digits and '_' ("reisepass"). */
static int is_kind(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return n > 0;
}

#define ALPHA3_HINT "muss ein Staatencode aus drei Großbuchstaben sein (ISO 3166-1, etwa SYR)."

/* A date of key into *d (unknown when missing or null): "JJJJ", "JJJJ-MM"
 * or "JJJJ-MM-TT" (unknown parts also as 00); a birth date not after today. */
static fn_status take_date(struct edit_ctx *c, json_t *obj, const char *key, const char *label,
                           int birth, struct fn_pdate *d)
{
    const char *s = NULL;
    size_t n = 0;
    fn_status rc = text_of(c, obj, key, label, &s, &n);
    memset(d, 0, sizeof *d);
    if (rc || !s)
        return rc;
    if (fn_pdate_parse(s, n, d) != FN_OK)
        return refuse(c, key, label,
                      "ist kein gültiges Datum (JJJJ, JJJJ-MM oder JJJJ-MM-TT, etwa 1990-07-14).");
    int32_t days = 0;
    if (birth && fn_pdate_to_days(d, &days) == FN_OK && days > c->today)
        return refuse(c, key, label, "liegt in der Zukunft.");
    return FN_OK;
}

enum edit_enum { EDIT_SEX, EDIT_IDENTITY, EDIT_RESIDENCE };

/* The code of key as the enum kind into *out (0, unknown, when missing). */
static fn_status take_enum(struct edit_ctx *c, json_t *obj, const char *key, const char *label,
                           enum edit_enum kind, int *out)
{
    static const char *const allowed[] = {
        [EDIT_SEX] = "hat einen unbekannten Wert; erlaubt sind u, m, f und x.",
        [EDIT_IDENTITY] = "hat einen unbekannten Wert; erlaubt sind geklaert, ungeklaert und "
                          "in_klaerung.",
        [EDIT_RESIDENCE] = "hat einen unbekannten Wert; erlaubt sind unbekannt, "
                           "ausreisepflichtig, duldung, gestattung, aufenthaltserlaubnis, "
                           "niederlassungserlaubnis und daueraufenthalt_eu.",
    };
    const char *s = NULL;
    size_t n = 0;
    char code[32];
    fn_status rc = text_of(c, obj, key, label, &s, &n);
    *out = 0;
    if (rc || !s)
        return rc;
    if (n >= sizeof code)
        return refuse(c, key, label, allowed[kind]);
    memcpy(code, s, n);
    code[n] = '\0';
    switch (kind) {
    case EDIT_SEX: {
        enum model_sex v = SEX_UNKNOWN;
        rc = model_sex_parse(code, &v);
        *out = (int)v;
        break;
    }
    case EDIT_IDENTITY: {
        enum model_identity v = IDENTITY_UNKNOWN;
        rc = model_identity_parse(code, &v);
        *out = (int)v;
        break;
    }
    case EDIT_RESIDENCE: {
        enum model_residence v = RES_UNKNOWN;
        rc = model_residence_parse(code, &v);
        *out = (int)v;
        break;
    }
    }
    return rc ? refuse(c, key, label, allowed[kind]) : FN_OK;
}

/* Refuses any key of obj that is not in keys (NULL-terminated). */
static fn_status only_keys(struct edit_ctx *c, json_t *obj, const char *const *keys)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        (void)v;
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], key) != 0)
            i++;
        if (!keys[i]) {
            char name[40];
            fn_utf8_copy(name, sizeof name, key);
            return refuse(c, name, "Das Feld",
                          "kann hier nicht geändert werden oder ist unbekannt; änderbar sind nur "
                          "die Stammdaten.");
        }
    }
    return FN_OK;
}

/* The array of key (NULL when missing or null) with at most max entries. */
static fn_status array_of(struct edit_ctx *c, json_t *obj, const char *key, const char *label,
                          size_t max, json_t **arr)
{
    json_t *v = json_object_get(obj, key);
    *arr = NULL;
    if (!v || json_is_null(v))
        return FN_OK;
    if (!json_is_array(v))
        return refuse(c, key, label, "muss eine Liste sein.");
    if (json_array_size(v) > max) {
        char what[64];
        snprintf(what, sizeof what, "hat zu viele Einträge (höchstens %zu).", max);
        return refuse(c, key, label, what);
    }
    *arr = v;
    return FN_OK;
}

/* Sets the context's prefixes for entry i of the list key ("Alias 2: "). */
static void enter(struct edit_ctx *c, const char *key, const char *label, size_t i)
{
    snprintf(c->path, sizeof c->path, "%s[%zu].", key, i);
    snprintf(c->label, sizeof c->label, "%s %zu: ", label, i + 1);
}

static void leave(struct edit_ctx *c)
{
    c->path[0] = '\0';
    c->label[0] = '\0';
}

static fn_status take_nationalities(struct edit_ctx *c, json_t *obj, struct model_person *p)
{
    json_t *arr = NULL;
    fn_status rc =
        array_of(c, obj, "nationalities", "Staatsangehörigkeiten", HTTP_EDIT_NATIONS_MAX, &arr);
    if (rc || !arr || !json_array_size(arr))
        return rc;
    p->nationalities = fn_calloc(json_array_size(arr), sizeof *p->nationalities);
    if (!p->nationalities)
        return FN_NOMEM;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *v = json_array_get(arr, i);
        char key[48], label[64];
        snprintf(key, sizeof key, "nationalities[%zu]", i);
        snprintf(label, sizeof label, "Staatsangehörigkeit %zu", i + 1);
        const char *code = json_string_value(v);
        if (!code || !is_alpha3(code, json_string_length(v)))
            return refuse(c, key, label, ALPHA3_HINT);
        for (size_t k = 0; k < p->n_nationalities; k++)
            if (strcmp(p->nationalities[k], code) == 0)
                return refuse(c, key, label, "steht doppelt in der Liste.");
        p->nationalities[p->n_nationalities] = fn_strdup(code);
        if (!p->nationalities[p->n_nationalities])
            return FN_NOMEM;
        p->n_nationalities++;
    }
    return FN_OK;
}

/* family_name (required: not empty) and given_names of o. */
static fn_status take_names(struct edit_ctx *c, json_t *o, int required, char **family_name,
                            char **given_names)
{
    fn_status rc = take_text(c, o, "family_name", "Familienname", HTTP_EDIT_TEXT_MAX, required,
                             NULL, NULL, family_name);
    if (!rc)
        rc = take_text(c, o, "given_names", "Vornamen", HTTP_EDIT_TEXT_MAX, 0, NULL, NULL,
                       given_names);
    return rc;
}

static fn_status take_alias(struct edit_ctx *c, json_t *o, struct model_alias *a)
{
    static const char *const keys[] = {"family_name", "given_names", "birth_date", NULL};
    fn_status rc = only_keys(c, o, keys);
    if (!rc)
        rc = take_names(c, o, 0, &a->family_name, &a->given_names);
    if (!rc)
        rc = take_date(c, o, "birth_date", "Geburtsdatum", 1, &a->birth_date);
    if (!rc && !a->family_name && !a->given_names)
        rc = refuse(c, "family_name", "Familienname",
                    "fehlt; ein Alias braucht einen Familien- oder Vornamen.");
    return rc;
}

static fn_status take_document(struct edit_ctx *c, json_t *o, struct model_document *d)
{
    static const char *const keys[] = {"kind",        "number",   "issuing_state",
                                       "valid_until", "verified", NULL};
    fn_status rc = only_keys(c, o, keys);
    if (!rc)
        rc = take_text(c, o, "kind", "Art", HTTP_EDIT_SHORT_MAX, 1, is_kind,
                       "muss ein Kürzel aus Kleinbuchstaben, Ziffern und _ sein (etwa reisepass).",
                       &d->kind);
    if (!rc)
        rc = take_text(c, o, "number", "Nummer", HTTP_EDIT_SHORT_MAX, 0, NULL, NULL, &d->number);
    if (!rc)
        rc = take_text(c, o, "issuing_state", "Ausstellerstaat", 3, 0, is_alpha3, ALPHA3_HINT,
                       &d->issuing_state);
    if (!rc)
        rc = take_date(c, o, "valid_until", "gültig bis", 0, &d->valid_until);
    json_t *v = json_object_get(o, "verified");
    if (!rc && v && !json_is_null(v) && !json_is_boolean(v))
        rc = refuse(c, "verified", "geprüft", "muss true oder false sein.");
    if (!rc)
        d->verified = json_is_true(v);
    return rc;
}

/* The aliases or documents (documents: 1) of the body into p. */
static fn_status take_list(struct edit_ctx *c, json_t *obj, int documents, struct model_person *p)
{
    const char *key = documents ? "documents" : "aliases";
    const char *label = documents ? "Dokument" : "Alias";
    json_t *arr = NULL;
    fn_status rc = array_of(c, obj, key, documents ? "Dokumente" : "Aliasnamen",
                            documents ? HTTP_EDIT_DOCUMENTS_MAX : HTTP_EDIT_ALIASES_MAX, &arr);
    size_t n = arr ? json_array_size(arr) : 0;
    if (rc || !n)
        return rc;
    if (documents)
        p->documents = fn_calloc(n, sizeof *p->documents);
    else
        p->aliases = fn_calloc(n, sizeof *p->aliases);
    if (documents ? !p->documents : !p->aliases)
        return FN_NOMEM;
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *o = json_array_get(arr, i);
        enter(c, key, label, i);
        if (!json_is_object(o)) {
            char entry[48], name[48];
            snprintf(entry, sizeof entry, "%s[%zu]", key, i);
            snprintf(name, sizeof name, "%s %zu", label, i + 1);
            leave(c);
            return refuse(c, entry, name, "muss ein Objekt sein.");
        }
        /* counted first, so the person frees a half-filled entry */
        if (documents)
            rc = take_document(c, o, &p->documents[p->n_documents++]);
        else
            rc = take_alias(c, o, &p->aliases[p->n_aliases++]);
    }
    if (!rc)
        leave(c);
    return rc;
}

static fn_status take_address(struct edit_ctx *c, json_t *obj, struct model_person *p)
{
    static const char *const keys[] = {"street", "postcode", "municipality", NULL};
    json_t *a = json_object_get(obj, "address");
    if (!a || json_is_null(a))
        return FN_OK;
    if (!json_is_object(a))
        return refuse(c, "address", "Anschrift", "muss ein Objekt sein.");
    snprintf(c->path, sizeof c->path, "address.");
    snprintf(c->label, sizeof c->label, "Anschrift: ");
    fn_status rc = only_keys(c, a, keys);
    if (!rc)
        rc = take_text(c, a, "street", "Straße und Hausnummer", HTTP_EDIT_TEXT_MAX, 0, NULL, NULL,
                       &p->address_street);
    if (!rc)
        rc = take_text(c, a, "postcode", "Postleitzahl", 5, 0, is_postcode,
                       "muss aus fünf Ziffern bestehen.", &p->address_postcode);
    if (!rc)
        rc = take_text(c, a, "municipality", "Ort", HTTP_EDIT_TEXT_MAX, 0, NULL, NULL,
                       &p->address_municipality);
    if (!rc)
        leave(c);
    return rc;
}

/* The top-level fields, in the order of the form. */
static fn_status take_person(struct edit_ctx *c, json_t *o, struct model_person *p)
{
    static const char *const keys[] = {
        "family_name",     "given_names",    "birth_name",       "sex",
        "birth_date",      "birth_place",    "birth_country",    "nationalities",
        "identity_status", "identity_basis", "residence_status", "residence_since",
        "address",         "aliases",        "documents",        NULL};
    int sex = 0, identity = 0, residence = 0;
    fn_status rc = only_keys(c, o, keys);
    if (!rc)
        rc = take_names(c, o, 1, &p->family_name, &p->given_names);
    if (!rc)
        rc = take_text(c, o, "birth_name", "Geburtsname", HTTP_EDIT_TEXT_MAX, 0, NULL, NULL,
                       &p->birth_name);
    if (!rc)
        rc = take_enum(c, o, "sex", "Geschlecht", EDIT_SEX, &sex);
    if (!rc)
        rc = take_date(c, o, "birth_date", "Geburtsdatum", 1, &p->birth_date);
    if (!rc)
        rc = take_text(c, o, "birth_place", "Geburtsort", HTTP_EDIT_TEXT_MAX, 0, NULL, NULL,
                       &p->birth_place);
    if (!rc)
        rc = take_text(c, o, "birth_country", "Geburtsstaat", 3, 0, is_alpha3, ALPHA3_HINT,
                       &p->birth_country);
    if (!rc)
        rc = take_nationalities(c, o, p);
    if (!rc)
        rc = take_enum(c, o, "identity_status", "Identitätsstatus", EDIT_IDENTITY, &identity);
    if (!rc)
        rc = take_text(c, o, "identity_basis", "Grundlage der Identitätsfeststellung",
                       HTTP_EDIT_TEXT_MAX, 0, NULL, NULL, &p->identity_basis);
    if (!rc)
        rc = take_enum(c, o, "residence_status", "Aufenthaltsstatus", EDIT_RESIDENCE, &residence);
    if (!rc)
        rc = take_date(c, o, "residence_since", "Aufenthaltsstatus seit", 0, &p->residence_since);
    if (!rc)
        rc = take_address(c, o, p);
    if (!rc)
        rc = take_list(c, o, 0, p);
    if (!rc)
        rc = take_list(c, o, 1, p);
    p->sex = (enum model_sex)sex;
    p->identity = (enum model_identity)identity;
    p->residence = (enum model_residence)residence;
    return rc;
}

fn_status http_person_edit_parse(const char *body, size_t len, int32_t today,
                                 struct model_person *p, struct http_edit_error *err)
{
    struct edit_ctx c = {.err = err, .today = today};
    memset(err, 0, sizeof *err);
    if (len > HTTP_EDIT_BODY_MAX) {
        snprintf(err->message, sizeof err->message,
                 "Die Stammdaten sind zu groß (höchstens %u Byte).", HTTP_EDIT_BODY_MAX);
        return FN_TOO_LARGE;
    }
    /* jansson refuses malformed UTF-8 and \u0000 in strings */
    json_error_t jerr;
    json_t *o = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &jerr);
    fn_status rc = FN_OK;
    if (!o || !json_is_object(o)) {
        snprintf(err->message, sizeof err->message,
                 "Erwartet ein JSON-Objekt mit den Stammdaten der Person (gültiges UTF-8, "
                 "keine doppelten Felder).");
        rc = FN_INVALID;
    } else {
        rc = take_person(&c, o, p);
    }
    json_decref(o);
    return rc;
}

int64_t http_person_edit_if_match(const char *header)
{
    if (!header)
        return 0;
    size_t n = strlen(header);
    if (n < 4 || n > 21 || header[0] != '"' || header[1] != 'v' || header[n - 1] != '"')
        return 0;
    int64_t v = 0;
    for (size_t i = 2; i < n - 1; i++) {
        if (header[i] < '0' || header[i] > '9')
            return 0;
        v = v * 10 + (header[i] - '0');
    }
    return v;
}
