/*
 * approval.h – the catalogue in force (issue 13): assessments and decisions
 * that are stored use only the catalogue that two admins approved in the
 * database (store.h, "catalogue approval"); any other catalogue is a
 * simulation that is labelled as such and never stored. Shared by the CLI
 * (catalog, assess, worklist, decide) and the server.
 *
 * Proposing and approving parse the text first, so a catalogue that the
 * loader refuses (catalog.h) is neither stored nor put in force.
 */
#ifndef FN_ASSESS_APPROVAL_H
#define FN_ASSESS_APPROVAL_H

#include <stddef.h>

#include "assess/catalog.h"
#include "core/buf.h"
#include "store/store.h"

/* The words every output of a simulation starts with (CLI, API, web UI). */
#define ASSESS_SIMULATION_LABEL "Simulation – nicht freigegebener Katalog"
/* Why nothing is stored without an approval, naming the commands. */
#define ASSESS_NO_APPROVAL                                                                         \
    "Kein freigegebener Bewertungskatalog: Entscheidungen und gespeicherte Bewertungen erst nach " \
    "der Freigabe (fallnetz catalog propose DATEI durch ein Admin-Konto, dann fallnetz catalog "   \
    "approve SHA256 durch ein zweites)."

struct assess_catalog_choice {
    struct assess_catalog *cat; /* owned: assess_choice_clear */
    int simulation;             /* 1: not the catalogue in force; nothing may be stored */
    char in_force[65];          /* hash of the approved catalogue, "" when none */
};

/* Chooses the catalogue for one command or request. file NULL: the
 * catalogue in force, parsed from its stored text (FN_NOTFOUND when none is
 * approved; FN_CORRUPT when its text no longer passes the loader, errors
 * says why). file given: that file (errors on failure), a simulation unless
 * its hash is the one in force. out->cat is NULL on failure. */
FN_MUST_CHECK fn_status assess_choose_catalog(struct store *st, const char *file,
                                              struct assess_catalog_choice *out,
                                              struct fn_buf *errors);
/* Frees c->cat; accepts NULL. */
void assess_choice_clear(struct assess_catalog_choice *c);
/* The simulation label with the catalogue's version and short hash into
 * out ("" when c is the catalogue in force). */
void assess_choice_label(const struct assess_catalog_choice *c, char *out, size_t cap);
/* The same for catalogue c; approved: whether any catalogue is approved. */
void assess_simulation_label(const struct assess_catalog *c, int approved, char *out, size_t cap);

/* Parses text (len bytes; name for error lines) and proposes it as the
 * actor (store_catalogue_propose); *out receives the stored catalogue
 * without text. FN_INVALID with errors for a text the loader refuses. */
FN_MUST_CHECK fn_status assess_catalog_propose(struct store *st, const struct store_actor *a,
                                               const char *text, size_t len, const char *name,
                                               struct store_catalogue *out, struct fn_buf *errors);
/* Parses the stored catalogue sha256 and approves it as the actor
 * (store_catalogue_approve); FN_INVALID with errors when its text no
 * longer passes the loader. */
FN_MUST_CHECK fn_status assess_catalog_approve(struct store *st, const struct store_actor *a,
                                               const char *sha256, struct store_catalogue *out,
                                               struct fn_buf *errors);

/* ---- a server's catalogues ----
 * Every server on a database uses the catalogue in force there: each use
 * reads the hash in force (one indexed read) and hands out that catalogue,
 * parsed once per server from its stored text, so a new approval counts on
 * every server from the next request on, and a restart changes nothing.
 * With a file (serve --catalog) that file is used instead, as a simulation
 * unless its hash is the one in force at that moment. Catalogues handed
 * out stay valid until assess_catalog_cache_free (approvals are rare: one
 * parsed catalogue per approval the server has seen). Thread-safe. */
struct assess_catalog_cache;
/* file: borrowed, outlives the cache; NULL: the catalogue in force. */
FN_MUST_CHECK fn_status assess_catalog_cache_new(const struct assess_catalog *file,
                                                 struct assess_catalog_cache **out);
/* Accepts NULL. */
void assess_catalog_cache_free(struct assess_catalog_cache *c);
/* The catalogue for one request on st: *cat (valid until the cache is
 * freed) and *simulation. FN_NOTFOUND when no file is set and none is
 * approved, FN_CORRUPT when the approved text no longer passes the loader,
 * a store failure as it came. */
FN_MUST_CHECK fn_status assess_catalog_cache_get(struct assess_catalog_cache *c, struct store *st,
                                                 const struct assess_catalog **cat,
                                                 int *simulation);

#endif
