/*
 * policy_catalogue.c – catalogue approval above the backends (issue 13):
 * who may propose and approve (two different active admin accounts, as
 * stored now, never a system job), the hash of the text computed here so
 * that the stored hash is the text's, the audit rows in the transaction of
 * their row, and the check that an assessment or decision to be stored was
 * made with the catalogue in force (store_catalogue_require).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/role.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/utf8.h"
#include "store/backend.h"
#include "store/catalogue_sql.h"
#include "store/chain.h"
#include "store/store_int.h"

/* Records msg as st's message (store_errmsg) and returns rc. */
static fn_status refuse(struct store *st, fn_status rc, const char *msg)
{
    fn_utf8_copy(store_head_of(st)->errmsg, STORE_ERRMSG_MAX, msg);
    return rc;
}

void store_catalogue_clear(struct store_catalogue *c)
{
    if (!c)
        return;
    fn_free(c->text);
    c->text = NULL;
}

static void copy_cell(char *dst, size_t cap, const char *v)
{
    fn_utf8_copy(dst, cap, v ? v : "");
}

fn_status store_catalogue_fill(struct store_catalogue *out,
                               const char *const values[CAT_COL_ACTIVE + 1], int with_text)
{
    memset(out, 0, sizeof *out);
    const char *const *v = values;
    out->id = v[CAT_COL_ID] ? strtoll(v[CAT_COL_ID], NULL, 10) : 0;
    copy_cell(out->sha256, sizeof out->sha256, v[CAT_COL_SHA256]);
    copy_cell(out->name, sizeof out->name, v[CAT_COL_NAME]);
    copy_cell(out->version, sizeof out->version, v[CAT_COL_VERSION]);
    copy_cell(out->proposed_by, sizeof out->proposed_by, v[CAT_COL_PROPOSED_BY]);
    out->proposed_by_id =
        v[CAT_COL_PROPOSED_BY_ID] ? strtoll(v[CAT_COL_PROPOSED_BY_ID], NULL, 10) : 0;
    copy_cell(out->proposed_at, sizeof out->proposed_at, v[CAT_COL_PROPOSED_AT]);
    copy_cell(out->approved_by, sizeof out->approved_by, v[CAT_COL_APPROVED_BY]);
    out->approved_by_id =
        v[CAT_COL_APPROVED_BY_ID] ? strtoll(v[CAT_COL_APPROVED_BY_ID], NULL, 10) : 0;
    copy_cell(out->approved_at, sizeof out->approved_at, v[CAT_COL_APPROVED_AT]);
    out->active = v[CAT_COL_ACTIVE] && strcmp(v[CAT_COL_ACTIVE], "1") == 0;
    if (!with_text)
        return FN_OK;
    out->text = fn_strdup(v[CAT_COL_TEXT] ? v[CAT_COL_TEXT] : "");
    return out->text ? FN_OK : FN_NOMEM;
}

/* The actor is a person with the admin role as the store knows the
 * account now (not only as the caller says): an approval by a disabled
 * account or one whose admin role was taken away counts for nothing. */
static fn_status admin_account(struct store *st, const struct store_actor *a)
{
    fn_status rc = store_check_actor(a);
    if (rc)
        return rc;
    if (a->system || a->user_id <= 0)
        return refuse(st, FN_DENIED,
                      "Katalogfreigabe nur durch ein persönliches Benutzerkonto mit der Rolle "
                      "admin, nicht durch einen Systemauftrag.");
    struct model_user u = {0};
    rc = st->ops->user_get(st, a->user_id, &u);
    if (rc == FN_NOTFOUND)
        rc = FN_DENIED;
    else if (!rc && (!u.active || !(u.roles & AUTH_ROLE_ADMIN) || !u.login ||
                     strcmp(u.login, a->login) != 0))
        rc = FN_DENIED;
    model_user_clear(&u);
    if (rc == FN_DENIED)
        return refuse(st, rc,
                      "Katalogfreigabe nur durch ein aktives Benutzerkonto mit der Rolle admin.");
    return rc;
}

static int hex64_ok(const char *s)
{
    if (!s || strlen(s) != 64)
        return 0;
    for (const char *c = s; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            return 0;
    return 1;
}

/* Appends the audit row (entity "katalog") and ends the transaction. */
static fn_status finish(struct store *st, const struct store_actor *a, fn_status rc,
                        enum store_audit_kind kind, int64_t id, const char *details)
{
    if (!rc) {
        char ids[24];
        snprintf(ids, sizeof ids, "%lld", (long long)id);
        struct audit_entry e = {
            .actor = a, .kind = kind, .entity = "katalog", .record_ids = ids, .details = details};
        rc = audit_append_in_tx(st, &e);
    }
    if (rc) {
        st->ops->rollback(st);
        return rc;
    }
    return st->ops->commit(st);
}

fn_status store_catalogue_propose(struct store *st, const struct store_actor *a,
                                  struct store_catalogue *c)
{
    fn_status rc = admin_account(st, a);
    if (rc)
        return rc;
    size_t len = c->text ? strnlen(c->text, STORE_CATALOGUE_MAX_BYTES + 1) : 0;
    if (!len || len > STORE_CATALOGUE_MAX_BYTES || !fn_utf8_valid(c->text, len, NULL) ||
        !c->name[0] || !c->version[0] || !fn_utf8_valid(c->name, strlen(c->name), NULL) ||
        !fn_utf8_valid(c->version, strlen(c->version), NULL))
        return FN_INVALID;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)c->text, len);
    sodium_bin2hex(c->sha256, sizeof c->sha256, digest, sizeof digest);
    struct store_catalogue known;
    rc = st->ops->catalogue_row_get(st, c->sha256, 0, &known);
    if (!rc) {
        c->id = known.id;
        return refuse(st, FN_CONFLICT, "Dieser Katalog (gleicher SHA-256) ist schon gespeichert.");
    }
    if (rc != FN_NOTFOUND)
        return rc;
    fn_utf8_copy(c->proposed_by, sizeof c->proposed_by, a->login);
    c->proposed_by_id = a->user_id;
    char at[64];
    audit_now(at);
    fn_utf8_copy(c->proposed_at, sizeof c->proposed_at, at);
    c->approved_by[0] = c->approved_at[0] = '\0';
    c->approved_by_id = 0;
    c->active = 0;
    struct fn_buf details;
    fn_buf_init(&details, 1024);
    rc = fn_buf_appendf(&details,
                        "{\"aktion\":\"vorschlag\",\"sha256\":\"%s\",\"version\":", c->sha256);
    if (!rc)
        rc = fn_json_string(&details, c->version);
    if (!rc)
        rc = fn_buf_append_char(&details, '}');
    if (!rc)
        rc = st->ops->begin(st);
    if (!rc) {
        rc = st->ops->catalogue_row_insert(st, c);
        rc = finish(st, a, rc, AUDIT_COLLECT, c->id, fn_buf_str(&details));
    }
    fn_buf_free(&details);
    return rc;
}

fn_status store_catalogue_approve(struct store *st, const struct store_actor *a, const char *sha256,
                                  struct store_catalogue *out)
{
    fn_status rc = admin_account(st, a);
    if (rc)
        return rc;
    if (!hex64_ok(sha256))
        return refuse(st, FN_INVALID, "SHA-256 erwartet: 64 Hexadezimalziffern (klein).");
    rc = st->ops->begin(st);
    if (rc)
        return rc;
    /* read inside the transaction: the check and the approval see one state */
    struct store_catalogue c;
    rc = st->ops->catalogue_row_get(st, sha256, 0, &c);
    if (rc == FN_NOTFOUND)
        rc = refuse(st, rc, "Kein gespeicherter Katalog mit diesem SHA-256.");
    else if (!rc && (c.proposed_by_id == a->user_id || strcmp(c.proposed_by, a->login) == 0))
        rc = refuse(st, FN_DENIED,
                    "Vier-Augen-Prinzip: wer den Katalog vorgeschlagen hat, darf ihn nicht "
                    "selbst freigeben. Freigabe durch ein anderes Admin-Konto.");
    else if (!rc && c.active)
        rc = refuse(st, FN_CONFLICT, "Dieser Katalog ist bereits der freigegebene Katalog.");
    char at[64];
    audit_now(at);
    if (!rc)
        rc = st->ops->catalogue_approval_insert(st, c.id, a->login, a->user_id, at);
    char details[256];
    snprintf(details, sizeof details,
             "{\"aktion\":\"freigabe\",\"sha256\":\"%s\",\"vorgeschlagen_von\":\"%.63s\"}", sha256,
             rc ? "" : c.proposed_by);
    rc = finish(st, a, rc, AUDIT_CHANGE, rc ? 0 : c.id, details);
    if (!rc && out) {
        c.active = 1;
        fn_utf8_copy(c.approved_by, sizeof c.approved_by, a->login);
        c.approved_by_id = a->user_id;
        fn_utf8_copy(c.approved_at, sizeof c.approved_at, at);
        *out = c;
    }
    return rc;
}

fn_status store_catalogue_get(struct store *st, const char *sha256, struct store_catalogue *out)
{
    memset(out, 0, sizeof *out);
    if (sha256 && !hex64_ok(sha256))
        return FN_NOTFOUND;
    return st->ops->catalogue_row_get(st, sha256, 1, out);
}

fn_status store_catalogue_active_hash(struct store *st, char out[65])
{
    return st->ops->catalogue_active_hash(st, out);
}

fn_status store_catalogue_each(struct store *st, store_catalogue_fn fn, void *ctx)
{
    return st->ops->catalogue_rows_each(st, fn, ctx);
}

fn_status store_catalogue_require(struct store *st, const char *hash)
{
    char in_force[65];
    fn_status rc = st->ops->catalogue_active_hash(st, in_force);
    if (rc == FN_NOTFOUND)
        return refuse(st, FN_CONFLICT,
                      "Kein freigegebener Bewertungskatalog: gespeichert wird erst nach der "
                      "Freigabe (fallnetz catalog propose / catalog approve).");
    if (rc)
        return rc;
    if (!hash || strcmp(hash, in_force) != 0)
        return refuse(st, FN_CONFLICT,
                      "Simulation – nicht freigegebener Katalog: Bewertungen und Entscheidungen "
                      "werden nur mit dem freigegebenen Katalog gespeichert.");
    return FN_OK;
}
