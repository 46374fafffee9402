/* json.c – domain entities as JSON for the API. */
#include "http/json.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/escape.h"
#include "core/pdate.h"
#include "core/utf8.h"
#include "http/jsonw.h"

/* A JSON string of v. jansson refuses malformed UTF-8 (json_string returns
 * NULL, which callers took for out-of-memory and answered 500 for a whole
 * list): such a value is passed on with U+FFFD in place of the bad bytes.
 * NULL only when memory runs out. */
static json_t *text_json(const char *v)
{
    json_t *j = json_string(v);
    if (j || fn_utf8_valid(v, strlen(v), NULL))
        return j;
    struct fn_buf clean;
    fn_buf_init(&clean, strlen(v) * 3 + 1);
    if (fn_utf8_sanitize(&clean, v, strlen(v), NULL) == FN_OK)
        j = json_stringn(clean.data ? clean.data : "", clean.len);
    fn_buf_free(&clean);
    return j;
}

/* Sets key to a string or JSON null; returns -1 on failure (jansson style). */
static int set_str(json_t *o, const char *key, const char *v)
{
    return json_object_set_new(o, key, v && v[0] ? text_json(v) : json_null());
}

static int set_date(json_t *o, const char *key, const struct fn_pdate *d)
{
    char buf[11];
    fn_pdate_format_xjustiz(d, buf);
    return json_object_set_new(o, key, buf[0] ? json_string(buf) : json_null());
}

static int set_enum(json_t *o, const char *key, const char *code, const char *label)
{
    char lkey[64];
    snprintf(lkey, sizeof lkey, "%s_label", key);
    int r = json_object_set_new(o, key, code && code[0] ? json_string(code) : json_null());
    if (!r)
        r = json_object_set_new(o, lkey, json_string(label));
    return r;
}

static int set_id(json_t *o, const char *key, int64_t id)
{
    return json_object_set_new(o, key, id ? json_integer(id) : json_null());
}

static json_t *person_json(const struct model_person *p)
{
    json_t *o = json_object();
    json_t *nat = json_array();
    json_t *aliases = json_array();
    json_t *docs = json_array();
    int r = !o || !nat || !aliases || !docs;
    if (!r) {
        r |= json_object_set_new(o, "id", json_integer(p->id));
        r |= json_object_set_new(o, "version", json_integer(p->version));
        r |= set_str(o, "record_id", p->record_id);
        r |= set_str(o, "azr_nr", p->azr_nr);
        r |= set_str(o, "family_name", p->family_name);
        r |= set_str(o, "given_names", p->given_names);
        r |= set_str(o, "birth_name", p->birth_name);
        r |= set_enum(o, "sex", model_sex_code(p->sex), model_sex_label(p->sex));
        r |= set_date(o, "birth_date", &p->birth_date);
        r |= json_object_set_new(o, "birth_date_placeholder",
                                 json_boolean(p->birth_date.flags & FN_PDATE_PLACEHOLDER));
        r |= set_str(o, "birth_place", p->birth_place);
        r |= set_str(o, "birth_country", p->birth_country);
        for (size_t i = 0; i < p->n_nationalities; i++)
            r |= json_array_append_new(nat, text_json(p->nationalities[i]));
        r |= json_object_set(o, "nationalities", nat);
        r |= set_enum(o, "identity_status", model_identity_code(p->identity),
                      model_identity_label(p->identity));
        r |= set_str(o, "identity_basis", p->identity_basis);
        r |= set_enum(o, "residence_status", model_residence_code(p->residence),
                      model_residence_label(p->residence));
        r |= set_date(o, "residence_since", &p->residence_since);
        json_t *addr = json_object();
        r |= !addr;
        if (addr) {
            r |= set_str(addr, "street", p->address_street);
            r |= set_str(addr, "postcode", p->address_postcode);
            r |= set_str(addr, "municipality", p->address_municipality);
            r |= json_object_set_new(o, "address", addr);
        }
        r |= set_id(o, "authority_id", p->authority_id);
        r |= set_str(o, "authority", p->authority_code);
        r |= set_str(o, "updated_at", p->updated_at);
        for (size_t i = 0; i < p->n_aliases; i++) {
            json_t *a = json_object();
            r |= !a;
            if (!a)
                break;
            r |= set_str(a, "family_name", p->aliases[i].family_name);
            r |= set_str(a, "given_names", p->aliases[i].given_names);
            r |= set_date(a, "birth_date", &p->aliases[i].birth_date);
            r |= json_array_append_new(aliases, a);
        }
        r |= json_object_set(o, "aliases", aliases);
        for (size_t i = 0; i < p->n_documents; i++) {
            const struct model_document *d = &p->documents[i];
            json_t *j = json_object();
            r |= !j;
            if (!j)
                break;
            r |= set_str(j, "kind", d->kind);
            r |= set_str(j, "number", d->number);
            r |= set_str(j, "issuing_state", d->issuing_state);
            r |= set_date(j, "valid_until", &d->valid_until);
            r |= json_object_set_new(j, "verified", json_boolean(d->verified));
            r |= json_array_append_new(docs, j);
        }
        r |= json_object_set(o, "documents", docs);
    }
    json_decref(nat);
    json_decref(aliases);
    json_decref(docs);
    if (r) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *http_json_person_file(const struct model_person_file *f)
{
    json_t *o = person_json(f->person);
    if (!o)
        return NULL;
    int r = 0;
    json_t *arr = json_array();
    r |= !arr;
    for (size_t i = 0; arr && i < f->n_residence; i++) {
        const struct model_residence_entry *e = &f->residence[i];
        json_t *j = json_object();
        r |= !j || set_enum(j, "status", model_residence_code(e->status),
                            model_residence_label(e->status));
        if (!j)
            break;
        r |= set_date(j, "since", &e->since) | set_date(j, "until", &e->until);
        r |= set_str(j, "legal_basis", e->legal_basis);
        r |= set_date(j, "enforceable_since", &e->enforceable_since);
        r |= set_date(j, "departure_deadline", &e->departure_deadline);
        r |= json_array_append_new(arr, j);
    }
    r |= json_object_set_new(o, "residence_history", arr ? arr : json_null());

    arr = json_array();
    r |= !arr;
    for (size_t i = 0; arr && i < f->n_proceedings; i++) {
        const struct model_proceeding *e = &f->proceedings[i];
        json_t *j = json_object();
        if (!j) {
            r = 1;
            break;
        }
        r |= json_object_set_new(j, "id", json_integer(e->id));
        r |= set_enum(j, "kind", model_proceeding_kind_code(e->kind),
                      model_proceeding_kind_label(e->kind));
        r |= set_str(j, "file_number", e->file_number);
        r |= set_id(j, "authority_id", e->authority_id);
        r |= set_str(j, "offences", e->offences);
        r |= set_date(j, "offence_date", &e->offence_date);
        r |= set_date(j, "decision_date", &e->decision_date);
        r |= set_enum(j, "sentence", model_sentence_code(e->sentence),
                      model_sentence_label(e->sentence));
        r |= json_object_set_new(j, "sentence_months", json_integer(e->sentence_months));
        r |= json_object_set_new(j, "suspended", json_boolean(e->suspended));
        r |= set_date(j, "final_date", &e->final_date);
        r |= set_enum(j, "prosecutor_consent", model_consent_code(e->consent),
                      model_consent_label(e->consent));
        r |= json_array_append_new(arr, j);
    }
    r |= json_object_set_new(o, "proceedings", arr ? arr : json_null());

    arr = json_array();
    r |= !arr;
    for (size_t i = 0; arr && i < f->n_custody; i++) {
        const struct model_custody *e = &f->custody[i];
        json_t *j = json_object();
        if (!j) {
            r = 1;
            break;
        }
        r |= set_enum(j, "kind", model_custody_kind_code(e->kind),
                      model_custody_kind_label(e->kind));
        r |= set_id(j, "prison_id", e->prison_id);
        r |= set_date(j, "start", &e->start) | set_date(j, "planned_release", &e->planned_release);
        r |= set_date(j, "released", &e->released);
        r |= json_object_set_new(j, "decision_456a", json_boolean(e->decision_456a));
        r |= json_array_append_new(arr, j);
    }
    r |= json_object_set_new(o, "custody", arr ? arr : json_null());

    arr = json_array();
    r |= !arr;
    for (size_t i = 0; arr && i < f->n_obstacles; i++) {
        const struct model_obstacle_entry *e = &f->obstacles[i];
        json_t *j = json_object();
        if (!j) {
            r = 1;
            break;
        }
        r |= set_enum(j, "kind", model_obstacle_code(e->kind), model_obstacle_label(e->kind));
        r |= set_date(j, "since", &e->since) | set_date(j, "until", &e->until);
        r |= set_str(j, "note", e->note);
        r |= json_array_append_new(arr, j);
    }
    r |= json_object_set_new(o, "legal_obstacles", arr ? arr : json_null());

    arr = json_array();
    r |= !arr;
    for (size_t i = 0; arr && i < f->n_findings; i++) {
        const struct model_finding_entry *e = &f->findings[i];
        json_t *j = json_object();
        if (!j) {
            r = 1;
            break;
        }
        r |= set_enum(j, "kind", model_finding_code(e->kind), model_finding_label(e->kind));
        r |= set_date(j, "date", &e->date);
        r |= set_str(j, "reference", e->reference);
        r |= json_array_append_new(arr, j);
    }
    r |= json_object_set_new(o, "findings", arr ? arr : json_null());

    arr = json_array();
    r |= !arr;
    for (size_t i = 0; arr && i < f->n_cases; i++) {
        const struct model_case *e = &f->cases[i];
        json_t *j = json_object();
        if (!j) {
            r = 1;
            break;
        }
        r |= json_object_set_new(j, "id", json_integer(e->id));
        r |= set_enum(j, "status", model_case_status_code(e->status),
                      model_case_status_label(e->status));
        r |= set_str(j, "tags", e->tags);
        r |= set_date(j, "opened", &e->opened);
        r |= json_array_append_new(arr, j);
    }
    r |= json_object_set_new(o, "cases", arr ? arr : json_null());
    if (r) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *http_json_person_summary(const struct store_person_summary *s)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    int r = json_object_set_new(o, "id", json_integer(s->id));
    r |= set_str(o, "record_id", s->record_id);
    r |= set_str(o, "family_name", s->family_name);
    r |= set_str(o, "given_names", s->given_names);
    struct fn_pdate d;
    if (fn_pdate_parse(s->birth_date, strlen(s->birth_date), &d) == FN_OK)
        r |= set_date(o, "birth_date", &d);
    r |= set_str(o, "residence_status", s->residence);
    r |= set_str(o, "identity_status", s->identity);
    r |= set_id(o, "authority_id", s->authority_id);
    if (r) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ---- the same person file, written directly (hot path) ---- */

static void person_w(struct jsonw *w, const struct model_person *p)
{
    jsonw_int(w, "id", p->id);
    jsonw_int(w, "version", p->version);
    jsonw_str(w, "record_id", p->record_id);
    jsonw_str(w, "azr_nr", p->azr_nr);
    jsonw_str(w, "family_name", p->family_name);
    jsonw_str(w, "given_names", p->given_names);
    jsonw_str(w, "birth_name", p->birth_name);
    jsonw_enum(w, "sex", model_sex_code(p->sex), model_sex_label(p->sex));
    jsonw_date(w, "birth_date", &p->birth_date);
    jsonw_bool(w, "birth_date_placeholder", p->birth_date.flags & FN_PDATE_PLACEHOLDER);
    jsonw_str(w, "birth_place", p->birth_place);
    jsonw_str(w, "birth_country", p->birth_country);
    jsonw_array_begin(w, "nationalities");
    for (size_t i = 0; i < p->n_nationalities; i++)
        jsonw_str(w, NULL, p->nationalities[i]);
    jsonw_array_end(w);
    jsonw_enum(w, "identity_status", model_identity_code(p->identity),
               model_identity_label(p->identity));
    jsonw_str(w, "identity_basis", p->identity_basis);
    jsonw_enum(w, "residence_status", model_residence_code(p->residence),
               model_residence_label(p->residence));
    jsonw_date(w, "residence_since", &p->residence_since);
    jsonw_object_begin(w, "address");
    jsonw_str(w, "street", p->address_street);
    jsonw_str(w, "postcode", p->address_postcode);
    jsonw_str(w, "municipality", p->address_municipality);
    jsonw_object_end(w);
    jsonw_id(w, "authority_id", p->authority_id);
    jsonw_str(w, "authority", p->authority_code);
    jsonw_str(w, "updated_at", p->updated_at);
    jsonw_array_begin(w, "aliases");
    for (size_t i = 0; i < p->n_aliases; i++) {
        jsonw_object_begin(w, NULL);
        jsonw_str(w, "family_name", p->aliases[i].family_name);
        jsonw_str(w, "given_names", p->aliases[i].given_names);
        jsonw_date(w, "birth_date", &p->aliases[i].birth_date);
        jsonw_object_end(w);
    }
    jsonw_array_end(w);
    jsonw_array_begin(w, "documents");
    for (size_t i = 0; i < p->n_documents; i++) {
        const struct model_document *d = &p->documents[i];
        jsonw_object_begin(w, NULL);
        jsonw_str(w, "kind", d->kind);
        jsonw_str(w, "number", d->number);
        jsonw_str(w, "issuing_state", d->issuing_state);
        jsonw_date(w, "valid_until", &d->valid_until);
        jsonw_bool(w, "verified", d->verified);
        jsonw_object_end(w);
    }
    jsonw_array_end(w);
}

fn_status http_json_person_file_write(const struct model_person_file *f, struct fn_buf *out)
{
    struct jsonw w;
    jsonw_init(&w, out);
    jsonw_object_begin(&w, NULL);
    person_w(&w, f->person);
    jsonw_array_begin(&w, "residence_history");
    for (size_t i = 0; i < f->n_residence; i++) {
        const struct model_residence_entry *e = &f->residence[i];
        jsonw_object_begin(&w, NULL);
        jsonw_enum(&w, "status", model_residence_code(e->status), model_residence_label(e->status));
        jsonw_date(&w, "since", &e->since);
        jsonw_date(&w, "until", &e->until);
        jsonw_str(&w, "legal_basis", e->legal_basis);
        jsonw_date(&w, "enforceable_since", &e->enforceable_since);
        jsonw_date(&w, "departure_deadline", &e->departure_deadline);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_array_begin(&w, "proceedings");
    for (size_t i = 0; i < f->n_proceedings; i++) {
        const struct model_proceeding *e = &f->proceedings[i];
        jsonw_object_begin(&w, NULL);
        jsonw_int(&w, "id", e->id);
        jsonw_enum(&w, "kind", model_proceeding_kind_code(e->kind),
                   model_proceeding_kind_label(e->kind));
        jsonw_str(&w, "file_number", e->file_number);
        jsonw_id(&w, "authority_id", e->authority_id);
        jsonw_str(&w, "offences", e->offences);
        jsonw_date(&w, "offence_date", &e->offence_date);
        jsonw_date(&w, "decision_date", &e->decision_date);
        jsonw_enum(&w, "sentence", model_sentence_code(e->sentence),
                   model_sentence_label(e->sentence));
        jsonw_int(&w, "sentence_months", e->sentence_months);
        jsonw_bool(&w, "suspended", e->suspended);
        jsonw_date(&w, "final_date", &e->final_date);
        jsonw_enum(&w, "prosecutor_consent", model_consent_code(e->consent),
                   model_consent_label(e->consent));
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_array_begin(&w, "custody");
    for (size_t i = 0; i < f->n_custody; i++) {
        const struct model_custody *e = &f->custody[i];
        jsonw_object_begin(&w, NULL);
        jsonw_enum(&w, "kind", model_custody_kind_code(e->kind), model_custody_kind_label(e->kind));
        jsonw_id(&w, "prison_id", e->prison_id);
        jsonw_date(&w, "start", &e->start);
        jsonw_date(&w, "planned_release", &e->planned_release);
        jsonw_date(&w, "released", &e->released);
        jsonw_bool(&w, "decision_456a", e->decision_456a);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_array_begin(&w, "legal_obstacles");
    for (size_t i = 0; i < f->n_obstacles; i++) {
        const struct model_obstacle_entry *e = &f->obstacles[i];
        jsonw_object_begin(&w, NULL);
        jsonw_enum(&w, "kind", model_obstacle_code(e->kind), model_obstacle_label(e->kind));
        jsonw_date(&w, "since", &e->since);
        jsonw_date(&w, "until", &e->until);
        jsonw_str(&w, "note", e->note);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_array_begin(&w, "findings");
    for (size_t i = 0; i < f->n_findings; i++) {
        const struct model_finding_entry *e = &f->findings[i];
        jsonw_object_begin(&w, NULL);
        jsonw_enum(&w, "kind", model_finding_code(e->kind), model_finding_label(e->kind));
        jsonw_date(&w, "date", &e->date);
        jsonw_str(&w, "reference", e->reference);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_array_begin(&w, "cases");
    for (size_t i = 0; i < f->n_cases; i++) {
        const struct model_case *e = &f->cases[i];
        jsonw_object_begin(&w, NULL);
        jsonw_int(&w, "id", e->id);
        jsonw_enum(&w, "status", model_case_status_code(e->status),
                   model_case_status_label(e->status));
        jsonw_str(&w, "tags", e->tags);
        jsonw_date(&w, "opened", &e->opened);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_object_end(&w);
    return w.rc;
}
