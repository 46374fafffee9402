/* approval.c – the catalogue in force (approval.h). */
#include "assess/approval.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

/* Parses the stored catalogue c (with text) into *out. */
static fn_status parse_stored(const struct store_catalogue *c, struct assess_catalog **out,
                              struct fn_buf *errors)
{
    char name[96];
    snprintf(name, sizeof name, "Katalog %.16s", c->sha256);
    fn_status rc = assess_catalog_parse(c->text, strlen(c->text), name, out, errors);
    if (!rc && strcmp((*out)->hash, c->sha256) != 0) {
        /* the store computed the hash of this very text: a mismatch is damage */
        assess_catalog_free(*out);
        *out = NULL;
        rc = FN_CORRUPT;
    }
    return rc;
}

fn_status assess_choose_catalog(struct store *st, const char *file,
                                struct assess_catalog_choice *out, struct fn_buf *errors)
{
    memset(out, 0, sizeof *out);
    fn_status rc = store_catalogue_active_hash(st, out->in_force);
    if (rc == FN_NOTFOUND)
        out->in_force[0] = '\0';
    else if (rc)
        return rc;
    if (file) {
        rc = assess_catalog_load(file, &out->cat, errors);
        if (!rc)
            out->simulation = strcmp(out->cat->hash, out->in_force) != 0;
        return rc;
    }
    if (!out->in_force[0])
        return FN_NOTFOUND;
    struct store_catalogue c;
    rc = store_catalogue_get(st, out->in_force, &c);
    if (!rc) {
        rc = parse_stored(&c, &out->cat, errors);
        if (rc == FN_INVALID)
            rc = FN_CORRUPT; /* approved once, refused by today's loader */
    }
    store_catalogue_clear(&c);
    return rc;
}

void assess_choice_clear(struct assess_catalog_choice *c)
{
    if (!c)
        return;
    assess_catalog_free(c->cat);
    c->cat = NULL;
}

void assess_choice_label(const struct assess_catalog_choice *c, char *out, size_t cap)
{
    if (!cap)
        return;
    out[0] = '\0';
    if (!c->simulation || !c->cat)
        return;
    snprintf(out, cap, "%s %.64s (Version %.32s, SHA-256 %.16s…)%s", ASSESS_SIMULATION_LABEL,
             c->cat->name ? c->cat->name : "", c->cat->version ? c->cat->version : "",
             c->cat->hash,
             c->in_force[0] ? ": nicht speicherbar" : ": es ist noch kein Katalog freigegeben");
}

fn_status assess_catalog_propose(struct store *st, const struct store_actor *a, const char *text,
                                 size_t len, const char *name, struct store_catalogue *out,
                                 struct fn_buf *errors)
{
    memset(out, 0, sizeof *out);
    struct assess_catalog *cat = NULL;
    fn_status rc = assess_catalog_parse(text, len, name, &cat, errors);
    if (rc)
        return rc;
    if (strlen(text) != len) {
        assess_catalog_free(cat);
        return FN_INVALID; /* a NUL inside: the stored text would not be the parsed one */
    }
    fn_utf8_copy(out->name, sizeof out->name, cat->name);
    fn_utf8_copy(out->version, sizeof out->version, cat->version);
    out->text = (char *)text; /* borrowed for the call */
    rc = store_catalogue_propose(st, a, out);
    out->text = NULL;
    assess_catalog_free(cat);
    return rc;
}

fn_status assess_catalog_approve(struct store *st, const struct store_actor *a,
                                 const char *sha256, struct store_catalogue *out,
                                 struct fn_buf *errors)
{
    struct store_catalogue c;
    struct assess_catalog *cat = NULL;
    fn_status rc = store_catalogue_get(st, sha256, &c);
    if (!rc)
        rc = parse_stored(&c, &cat, errors);
    store_catalogue_clear(&c);
    assess_catalog_free(cat);
    if (!rc)
        rc = store_catalogue_approve(st, a, sha256, out);
    return rc;
}
