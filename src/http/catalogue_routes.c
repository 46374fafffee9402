/* catalogue_routes.c – catalogue approval over the API (catalogue_routes.h). */
#include "http/catalogue_routes.h"

#include <jansson.h>
#include <string.h>

#include "assess/approval.h"
#include "core/buf.h"
#include "http/routes.h"

#define PURPOSE "Katalogfreigabe"

/* One catalogue as JSON (new reference, NULL without memory). */
static json_t *catalogue_json(const struct store_catalogue *c)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:b}", "id",
                     (json_int_t)c->id, "sha256", c->sha256, "name", c->name, "version", c->version,
                     "status",
                     c->active           ? "freigegeben"
                     : c->approved_by[0] ? "abgeloest"
                                         : "vorgeschlagen",
                     "proposed_by", c->proposed_by, "proposed_at", c->proposed_at, "approved_by",
                     c->approved_by[0] ? c->approved_by : NULL, "approved_at",
                     c->approved_at[0] ? c->approved_at : NULL, "in_force", c->active);
}

static fn_status add_row(void *ctx, const struct store_catalogue *c)
{
    json_t *j = catalogue_json(c);
    return j && json_array_append_new(ctx, j) == 0 ? FN_OK : FN_NOMEM;
}

/* A store failure as an answer; German reason from the store when it has one. */
static fn_status store_answer(const struct http_call *call, struct http_answer *out, fn_status rc,
                              const char *not_found)
{
    const char *why = store_errmsg(call->st);
    switch (rc) {
    case FN_BUSY:
        return FN_BUSY;
    case FN_NOTFOUND:
        return http_answer_error(out, 404, "not_found", not_found);
    case FN_DENIED:
        return http_answer_error(out, 403, strstr(why, "Vier-Augen") ? "same_person" : "forbidden",
                                 why[0] ? why : "Ihre Rolle erlaubt diese Anfrage nicht.");
    case FN_CONFLICT:
        return http_answer_error(out, 409, "conflict", why);
    case FN_INVALID:
        return http_answer_error(out, 400, "bad_request", why[0] ? why : "Ungültige Angaben.");
    default:
        return http_answer_error(out, 500, "store_error", "Die Datenbank meldet einen Fehler.");
    }
}

fn_status http_catalogues_list(const struct http_call *call, struct http_answer *out)
{
    json_t *rows = json_array();
    if (!rows)
        return FN_NOMEM;
    fn_status rc = store_catalogue_each(call->st, add_row, rows);
    if (rc) {
        json_decref(rows);
        return store_answer(call, out, rc, "");
    }
    char in_force[65] = "";
    rc = store_catalogue_active_hash(call->st, in_force);
    if (rc && rc != FN_NOTFOUND) {
        json_decref(rows);
        return store_answer(call, out, rc, "");
    }
    return http_answer_json(out, 200,
                            json_pack("{s:o, s:s?, s:s}", "catalogues", rows, "in_force",
                                      in_force[0] ? in_force : NULL, "note",
                                      "Vier-Augen-Prinzip: vorschlagen und freigeben zwei "
                                      "verschiedene Admin-Konten."));
}

/* The body's one string member key (borrowed from *doc, which the caller
 * frees), or NULL. */
static const char *body_string(const struct http_call *call, const char *key, json_t **doc)
{
    json_error_t err;
    const char *v = NULL;
    *doc = json_loadb(call->req->body ? call->req->body : "", call->req->body_len,
                      JSON_REJECT_DUPLICATES, &err);
    if (!*doc || json_unpack(*doc, "{s:s}", key, &v) != 0)
        return NULL;
    return v;
}

/* 422 with the loader's lines. */
static fn_status refused(struct http_answer *out, const struct fn_buf *errors)
{
    return http_answer_json(out, 422,
                            json_pack("{s:s, s:s, s:s}", "code", "refused", "message",
                                      "Der Katalog wird vom Prüfer nicht angenommen; nichts "
                                      "gespeichert.",
                                      "errors", fn_buf_str(errors)));
}

fn_status http_catalogues_propose(const struct http_call *call, struct http_answer *out)
{
    json_t *doc = NULL;
    const char *text = body_string(call, "text", &doc);
    struct fn_buf errors;
    fn_buf_init(&errors, 64 * 1024);
    fn_status rc = FN_OK;
    if (!text) {
        rc = http_answer_error(out, 400, "bad_request",
                               "Erwartet JSON mit text (der Katalog als Text).");
        goto out;
    }
    struct store_actor actor = *call->actor;
    actor.purpose = PURPOSE;
    struct store_catalogue c;
    rc = assess_catalog_propose(call->st, &actor, text, strlen(text), "Katalog", &c, &errors);
    if (rc == FN_INVALID && errors.len)
        rc = refused(out, &errors);
    else if (rc)
        rc = store_answer(call, out, rc, "");
    else
        rc = http_answer_json(out, 201, catalogue_json(&c));
out:
    fn_buf_free(&errors);
    json_decref(doc);
    return rc;
}

fn_status http_catalogues_approve(const struct http_call *call, struct http_answer *out)
{
    static const char not_found[] = "Kein gespeicherter Katalog mit dieser Nummer und diesem "
                                    "SHA-256.";
    json_t *doc = NULL;
    const char *sha256 = body_string(call, "sha256", &doc);
    struct fn_buf errors;
    fn_buf_init(&errors, 64 * 1024);
    struct store_catalogue c = {0};
    fn_status rc = FN_OK;
    if (!sha256) {
        rc = http_answer_error(out, 400, "bad_request",
                               "Erwartet JSON mit sha256 (der SHA-256 des freizugebenden "
                               "Katalogs, zur Bestätigung).");
        goto out;
    }
    /* the hash confirms what the approver read: it must be catalogue {id}'s */
    rc = store_catalogue_get(call->st, sha256, &c);
    if (!rc && c.id != call->id)
        rc = FN_NOTFOUND;
    if (rc) {
        rc = store_answer(call, out, rc, not_found);
        goto out;
    }
    struct store_actor actor = *call->actor;
    actor.purpose = PURPOSE;
    rc = assess_catalog_approve(call->st, &actor, sha256, &c, &errors);
    if (rc == FN_INVALID && errors.len)
        rc = refused(out, &errors);
    else if (rc)
        rc = store_answer(call, out, rc, not_found);
    else
        rc = http_answer_json(out, 200, catalogue_json(&c));
out:
    store_catalogue_clear(&c);
    fn_buf_free(&errors);
    json_decref(doc);
    return rc;
}
