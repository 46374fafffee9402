/*
 * person_diff.c – the change list of a person update (person_diff.h),
 * computed in C so that every backend only moves rows.
 */
#include "store/person_diff.h"

#include <stdio.h>
#include <string.h>

#include "core/pdate.h"

#define PERSON_FIELDS 20

/* Column names of the person row in storage order. */
static const char *const person_cols[PERSON_FIELDS] = {"record_id",
                                                       "azr_nr",
                                                       "family_name",
                                                       "given_names",
                                                       "birth_name",
                                                       "sex",
                                                       "birth_date",
                                                       "birth_place",
                                                       "birth_country",
                                                       "nationalities",
                                                       "identity",
                                                       "identity_basis",
                                                       "residence",
                                                       "residence_since",
                                                       "address_street",
                                                       "address_postcode",
                                                       "address_municipality",
                                                       "authority_id",
                                                       "authority_code",
                                                       "updated_at"};

/* One person's fields in their stored text form; the buffers hold what is
 * not a pointer into the person. */
struct person_text {
    char dates[2][11];
    char authority[24];
    struct fn_buf nat;
    const char *v[PERSON_FIELDS];
};

/* Fills t from p (NULL = empty); t->nat must be freed by the caller. */
static fn_status person_text(const struct model_person *p, struct person_text *t)
{
    fn_buf_init(&t->nat, 256);
    fn_status rc = FN_OK;
    for (size_t i = 0; !rc && i < p->n_nationalities; i++) {
        const char *n = p->nationalities[i];
        if (!n || !n[0])
            continue;
        rc = fn_buf_append_str(&t->nat, t->nat.len ? ";" : "");
        if (!rc)
            rc = fn_buf_append_str(&t->nat, n);
    }
    if (rc)
        return rc;
    fn_pdate_format(&p->birth_date, t->dates[0]);
    fn_pdate_format(&p->residence_since, t->dates[1]);
    snprintf(t->authority, sizeof t->authority, "%lld", (long long)p->authority_id);
    const char *v[PERSON_FIELDS] = {
        p->record_id,
        p->azr_nr,
        p->family_name,
        p->given_names,
        p->birth_name,
        model_sex_code(p->sex),
        p->birth_date.year ? t->dates[0] : NULL,
        p->birth_place,
        p->birth_country,
        fn_buf_str(&t->nat),
        model_identity_code(p->identity),
        p->identity_basis,
        p->residence == RES_UNKNOWN ? NULL : model_residence_code(p->residence),
        p->residence_since.year ? t->dates[1] : NULL,
        p->address_street,
        p->address_postcode,
        p->address_municipality,
        p->authority_id ? t->authority : NULL,
        p->authority_code,
        p->updated_at,
    };
    memcpy(t->v, v, sizeof v);
    return FN_OK;
}

static int same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* Serialises aliases and documents as one comparable string per kind. */
static fn_status serialise_children(const struct model_person *p, struct fn_buf *aliases,
                                    struct fn_buf *docs)
{
    fn_status rc = FN_OK;
    char d[11];
    for (size_t i = 0; !rc && i < p->n_aliases; i++) {
        const struct model_alias *a = &p->aliases[i];
        fn_pdate_format(&a->birth_date, d);
        rc = fn_buf_appendf(aliases, "%s|%s|%s;", or_empty(a->family_name),
                            or_empty(a->given_names), a->birth_date.year ? d : "");
    }
    for (size_t i = 0; !rc && i < p->n_documents; i++) {
        const struct model_document *x = &p->documents[i];
        fn_pdate_format(&x->valid_until, d);
        rc = fn_buf_appendf(docs, "%s|%s|%s|%s|%d;", or_empty(x->kind), or_empty(x->number),
                            or_empty(x->issuing_state), x->valid_until.year ? d : "",
                            x->verified ? 1 : 0);
    }
    return rc;
}

/* Appends "name" to out, comma-separated. */
static fn_status name_changed(struct fn_buf *out, size_t start, const char *name)
{
    return fn_buf_appendf(out, "%s\"%s\"", out->len > start ? "," : "", name);
}

fn_status store_person_diff(const struct model_person *stored, const struct model_person *next,
                            struct fn_buf *out)
{
    size_t start = out->len;
    struct person_text old_t, new_t;
    struct fn_buf old_al, old_docs, new_al, new_docs;
    fn_buf_init(&old_al, 64 * 1024);
    fn_buf_init(&old_docs, 64 * 1024);
    fn_buf_init(&new_al, 64 * 1024);
    fn_buf_init(&new_docs, 64 * 1024);
    fn_status rc = person_text(stored, &old_t);
    fn_status rc2 = person_text(next, &new_t);
    if (!rc)
        rc = rc2;
    for (int i = 0; !rc && i < PERSON_FIELDS; i++)
        if (!same_text(old_t.v[i], new_t.v[i]))
            rc = name_changed(out, start, person_cols[i]);
    if (!rc)
        rc = serialise_children(stored, &old_al, &old_docs);
    if (!rc)
        rc = serialise_children(next, &new_al, &new_docs);
    if (!rc && strcmp(fn_buf_str(&old_al), fn_buf_str(&new_al)) != 0)
        rc = name_changed(out, start, "aliases");
    if (!rc && strcmp(fn_buf_str(&old_docs), fn_buf_str(&new_docs)) != 0)
        rc = name_changed(out, start, "documents");
    fn_buf_free(&old_t.nat);
    fn_buf_free(&new_t.nat);
    fn_buf_free(&old_al);
    fn_buf_free(&old_docs);
    fn_buf_free(&new_al);
    fn_buf_free(&new_docs);
    return rc;
}
