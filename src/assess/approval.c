/* approval.c – the catalogue in force (approval.h). */
#include "assess/approval.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
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

void assess_simulation_label(const struct assess_catalog *c, int approved, char *out, size_t cap)
{
    if (!cap)
        return;
    snprintf(out, cap, "%s %.64s (Version %.32s, SHA-256 %.16s…)%s", ASSESS_SIMULATION_LABEL,
             c->name ? c->name : "", c->version ? c->version : "", c->hash,
             approved ? ": nicht speicherbar" : ": es ist noch kein Katalog freigegeben");
}

void assess_choice_label(const struct assess_catalog_choice *c, char *out, size_t cap)
{
    if (cap)
        out[0] = '\0';
    if (c->simulation && c->cat)
        assess_simulation_label(c->cat, c->in_force[0] != '\0', out, cap);
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

fn_status assess_catalog_approve(struct store *st, const struct store_actor *a, const char *sha256,
                                 struct store_catalogue *out, struct fn_buf *errors)
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

/* The parsed approved catalogues a server has used, newest first. */
struct cache_entry {
    struct cache_entry *next;
    struct assess_catalog *cat;
};

struct assess_catalog_cache {
    pthread_mutex_t mu;
    const struct assess_catalog *file;
    struct cache_entry *loaded;
};

fn_status assess_catalog_cache_new(const struct assess_catalog *file,
                                   struct assess_catalog_cache **out)
{
    *out = fn_calloc(1, sizeof **out);
    if (!*out)
        return FN_NOMEM;
    pthread_mutex_init(&(*out)->mu, NULL);
    (*out)->file = file;
    return FN_OK;
}

void assess_catalog_cache_free(struct assess_catalog_cache *c)
{
    if (!c)
        return;
    for (struct cache_entry *e = c->loaded, *next = NULL; e; e = next) {
        next = e->next;
        assess_catalog_free(e->cat);
        fn_free(e);
    }
    pthread_mutex_destroy(&c->mu);
    fn_free(c);
}

/* The parsed catalogue of hash, or NULL; under c->mu. */
static const struct assess_catalog *cache_find(const struct assess_catalog_cache *c,
                                               const char *hash)
{
    for (const struct cache_entry *e = c->loaded; e; e = e->next)
        if (strcmp(e->cat->hash, hash) == 0)
            return e->cat;
    return NULL;
}

fn_status assess_catalog_cache_get(struct assess_catalog_cache *c, struct store *st,
                                   const struct assess_catalog **cat, int *simulation)
{
    *cat = NULL;
    *simulation = 0;
    char in_force[65] = "";
    fn_status rc = store_catalogue_active_hash(st, in_force);
    if (rc && rc != FN_NOTFOUND)
        return rc;
    if (c->file) {
        *cat = c->file;
        *simulation = strcmp(c->file->hash, in_force) != 0;
        return FN_OK;
    }
    if (rc)
        return rc;
    pthread_mutex_lock(&c->mu);
    *cat = cache_find(c, in_force);
    pthread_mutex_unlock(&c->mu);
    if (*cat)
        return FN_OK;
    /* parsed outside the lock: another thread may do the same, the first
     * one in keeps its copy */
    struct store_catalogue sc;
    struct assess_catalog *parsed = NULL;
    rc = store_catalogue_get(st, in_force, &sc);
    if (!rc)
        rc = parse_stored(&sc, &parsed, NULL);
    store_catalogue_clear(&sc);
    if (rc == FN_INVALID)
        rc = FN_CORRUPT;
    struct cache_entry *e = rc ? NULL : fn_calloc(1, sizeof *e);
    if (!rc && !e)
        rc = FN_NOMEM;
    if (rc) {
        assess_catalog_free(parsed);
        return rc;
    }
    pthread_mutex_lock(&c->mu);
    *cat = cache_find(c, in_force);
    if (!*cat) {
        e->cat = parsed;
        e->next = c->loaded;
        c->loaded = e;
        *cat = parsed;
        e = NULL;
        parsed = NULL;
    }
    pthread_mutex_unlock(&c->mu);
    assess_catalog_free(parsed);
    fn_free(e);
    return FN_OK;
}
