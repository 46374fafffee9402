/*
 * store_api.c – the public store functions: pick a backend on open, then
 * dispatch every call through the handle's vtable (backend.h). The person,
 * case and decision reads are policy_read.c's; person changes
 * policy_person.c's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/role.h"
#include "core/utf8.h"

#include "store/backend.h"
#include "store/chain.h"
#include "store/scope.h"
#include "store/store_int.h"

fn_status store_open(const char *path, unsigned flags, struct store **out)
{
    *out = NULL;
    fn_status rc =
        store_is_server_url(path) ? pg_open(path, flags, out) : sqlite_open(path, flags, out);
    if (rc || (flags & STORE_OPEN_NO_SPOOL))
        return rc;
    /* every backend's reads spool alike (spool.h) */
    rc = audit_queue_attach(*out, path);
    if (rc) {
        store_close(*out);
        *out = NULL;
    }
    return rc;
}

int store_is_server_url(const char *path)
{
    return path &&
           (strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0);
}

fn_status store_tx_open(struct store *st, int *own)
{
    *own = !st->ops->in_transaction(st);
    return *own ? st->ops->begin(st) : FN_OK;
}

fn_status store_tx_close(struct store *st, int own, fn_status rc)
{
    if (!own)
        return rc;
    if (rc) {
        st->ops->rollback(st);
        return rc;
    }
    return st->ops->commit(st);
}

void store_close(struct store *st)
{
    if (!st)
        return;
    audit_queue_detach(st); /* the last handle of the process drains the spool */
    st->ops->close(st);
}

const char *store_errmsg(const struct store *st)
{
    return st ? st->ops->errmsg(st) : "";
}

int store_unavailable(const struct store *st)
{
    return st && st->ops->unavailable ? st->ops->unavailable(st) : 0;
}

fn_status store_migrate(struct store *st)
{
    return st->ops->migrate(st);
}

fn_status store_schema_version(struct store *st, int *version)
{
    return st->ops->schema_version(st, version);
}

fn_status store_begin(struct store *st)
{
    return st->ops->begin(st);
}

fn_status store_commit(struct store *st)
{
    return st->ops->commit(st);
}

void store_rollback(struct store *st)
{
    st->ops->rollback(st);
}

fn_status store_region_insert(struct store *st, struct model_region *r)
{
    return st->ops->region_insert(st, r);
}

fn_status store_org_insert(struct store *st, struct model_org *o)
{
    return st->ops->org_insert(st, o);
}

fn_status store_org_find(struct store *st, const char *code, int64_t *id)
{
    return st->ops->org_find(st, code, id);
}

fn_status store_org_get(struct store *st, int64_t id, struct model_org *out)
{
    return st->ops->org_get(st, id, out);
}

fn_status store_org_each(struct store *st, store_org_fn fn, void *ctx)
{
    return st->ops->org_each(st, fn, ctx);
}

/* ---- accounts and API tokens: the policy (checks and audit) lives here,
 * the backends move rows ---- */

/* Runs one account change and its audit row in one transaction. */
struct account_change {
    enum store_audit_kind kind;
    const char *entity; /* "benutzer", "api_token" */
    char record_id[24]; /* filled after the change when 0 is passed */
    const char *details;
};

/* Ends the transaction of an account change: on success writes its audit
 * row and commits, on failure (of either) rolls back. rc is the change's. */
static fn_status finish_audited(struct store *st, const struct store_actor *a, fn_status rc,
                                const struct account_change *c)
{
    if (!rc)
        rc = store_audit_append(st, a, c->kind, c->entity, c->record_id, c->details);
    if (rc) {
        st->ops->rollback(st);
        return rc;
    }
    return st->ops->commit(st);
}

static int text_ok(const char *s, size_t max)
{
    return s && s[0] && strlen(s) <= max && fn_utf8_valid(s, strlen(s), NULL);
}

/* A login: 1..63 bytes of lower-case letters, digits, '.', '-', '_'. */
static int login_ok(const char *login)
{
    size_t n = login ? strlen(login) : 0;
    if (!n || n > 63)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = login[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

fn_status store_user_add(struct store *st, const struct store_actor *a, struct model_user *u,
                         const char *password_hash)
{
    fn_status rc = store_check_actor(a);
    if (rc)
        return rc;
    if (!login_ok(u->login) || !text_ok(u->display_name, 200) || !u->roles ||
        (u->roles & ~AUTH_ROLE_ALL) || u->org_id <= 0)
        return FN_INVALID;
    struct model_org org;
    rc = st->ops->org_get(st, u->org_id, &org);
    model_org_clear(&org);
    if (rc)
        return rc;
    char roles[128], details[256];
    rc = auth_roles_format(u->roles, roles, sizeof roles);
    if (rc)
        return rc;
    snprintf(details, sizeof details, "{\"kennung\":\"%s\",\"rollen\":\"%s\",\"behoerde\":%lld}",
             u->login, roles, (long long)u->org_id);
    rc = st->ops->begin(st);
    if (rc)
        return rc;
    rc = st->ops->user_insert(st, u, password_hash);
    struct account_change c = {.kind = AUDIT_COLLECT, .entity = "benutzer", .details = details};
    snprintf(c.record_id, sizeof c.record_id, "%lld", (long long)u->id);
    return finish_audited(st, a, rc, &c);
}

fn_status store_user_find(struct store *st, const char *login, struct model_user *out)
{
    return st->ops->user_find(st, login, out);
}

fn_status store_user_get(struct store *st, int64_t id, struct model_user *out)
{
    return st->ops->user_get(st, id, out);
}

fn_status store_user_password_hash(struct store *st, int64_t user_id, char **hash)
{
    return st->ops->user_password_hash(st, user_id, hash);
}

/* set_password / set_active: change the row and audit it together. */
static fn_status user_change(struct store *st, const struct store_actor *a, int64_t user_id,
                             const char *hash, int active, const char *details)
{
    fn_status rc = store_check_actor(a);
    if (rc)
        return rc;
    rc = st->ops->begin(st);
    if (rc)
        return rc;
    rc = hash ? st->ops->user_set_password(st, user_id, hash)
              : st->ops->user_set_active(st, user_id, active);
    int64_t ended = 0; /* a new password or a disabled account ends every session at once */
    if (!rc && (hash || !active))
        rc = st->ops->session_end_user(st, user_id, (int64_t)time(NULL), &ended);
    struct account_change c = {.kind = AUDIT_CHANGE, .entity = "benutzer", .details = details};
    snprintf(c.record_id, sizeof c.record_id, "%lld", (long long)user_id);
    return finish_audited(st, a, rc, &c);
}

fn_status store_user_set_password(struct store *st, const struct store_actor *a, int64_t user_id,
                                  const char *password_hash)
{
    if (!text_ok(password_hash, 255))
        return FN_INVALID;
    return user_change(st, a, user_id, password_hash, 0, "{\"aenderung\":\"passwort\"}");
}

fn_status store_user_set_active(struct store *st, const struct store_actor *a, int64_t user_id,
                                int active)
{
    return user_change(st, a, user_id, NULL, active,
                       active ? "{\"aenderung\":\"aktiviert\"}"
                              : "{\"aenderung\":\"deaktiviert\"}");
}

fn_status store_user_each(struct store *st, store_user_fn fn, void *ctx)
{
    return st->ops->user_each(st, fn, ctx);
}

int store_digest_ok(const char *d)
{
    if (strlen(d) != 64)
        return 0;
    for (const char *c = d; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            return 0;
    return 1;
}

fn_status store_token_add(struct store *st, const struct store_actor *a, struct store_api_token *t)
{
    fn_status rc = store_check_actor(a);
    if (rc)
        return rc;
    if (strcmp(t->scope, STORE_TOKEN_SCOPE_INTAKE) != 0 || !store_digest_ok(t->digest) ||
        !t->expires_at[0] || !fn_utf8_valid(t->label, strlen(t->label), NULL))
        return FN_INVALID;
    struct model_org org;
    rc = st->ops->org_get(st, t->org_id, &org);
    model_org_clear(&org);
    if (rc)
        return rc;
    snprintf(t->created_by, sizeof t->created_by, "%s", a->login);
    char details[160];
    snprintf(details, sizeof details,
             "{\"behoerde\":%lld,\"bereich\":\"%s\",\"gueltig_bis\":\"%s\"}", (long long)t->org_id,
             t->scope, t->expires_at);
    rc = st->ops->begin(st);
    if (rc)
        return rc;
    rc = st->ops->token_insert(st, t);
    struct account_change c = {.kind = AUDIT_COLLECT, .entity = "api_token", .details = details};
    snprintf(c.record_id, sizeof c.record_id, "%lld", (long long)t->id);
    return finish_audited(st, a, rc, &c);
}

fn_status store_token_find(struct store *st, const char *digest, struct store_api_token *out)
{
    memset(out, 0, sizeof *out);
    if (!store_digest_ok(digest))
        return FN_NOTFOUND;
    return st->ops->token_find(st, digest, out);
}

int store_token_usable(const struct store_api_token *t, const char *now)
{
    /* ISO 8601 UTC strings of one format compare as text */
    return !t->revoked_at[0] && t->expires_at[0] && strcmp(now, t->expires_at) < 0;
}

fn_status store_token_revoke(struct store *st, const struct store_actor *a, int64_t id)
{
    fn_status rc = store_check_actor(a);
    if (rc)
        return rc;
    char at[64];
    audit_now(at);
    rc = st->ops->begin(st);
    if (rc)
        return rc;
    rc = st->ops->token_revoke(st, id, at);
    struct account_change c = {
        .kind = AUDIT_CHANGE, .entity = "api_token", .details = "{\"aenderung\":\"widerrufen\"}"};
    snprintf(c.record_id, sizeof c.record_id, "%lld", (long long)id);
    return finish_audited(st, a, rc, &c);
}

fn_status store_token_each(struct store *st, store_token_fn fn, void *ctx)
{
    return st->ops->token_each(st, fn, ctx);
}

fn_status store_person_count(struct store *st, int64_t *n)
{
    return st->ops->person_count(st, n);
}

fn_status store_max_person_id(struct store *st, int64_t *id)
{
    return st->ops->max_person_id(st, id);
}

fn_status store_audit_append(struct store *st, const struct store_actor *a,
                             enum store_audit_kind kind, const char *entity, const char *record_ids,
                             const char *details)
{
    fn_status rc = store_check_actor(a);
    if (rc)
        return rc;
    if ((int)kind < 0 || kind >= AUDIT_KIND_COUNT || !entity || !entity[0])
        return FN_INVALID;
    struct audit_entry e = {
        .actor = a, .kind = kind, .entity = entity, .record_ids = record_ids, .details = details};
    int own = 0;
    rc = store_tx_open(st, &own);
    if (rc)
        return rc;
    return store_tx_close(st, own, audit_append_in_tx(st, &e));
}

/* 1 when the comma-separated list of ids and ranges covers id. */
static int ids_cover(const char *list, int64_t id)
{
    const char *p = list;
    while (p && *p) {
        char *end = NULL;
        long long lo = strtoll(p, &end, 10);
        long long hi = lo;
        if (end == p)
            return 0;
        if (*end == '-') {
            p = end + 1;
            hi = strtoll(p, &end, 10);
        }
        if (id >= lo && id <= hi)
            return 1;
        p = *end == ',' ? end + 1 : NULL;
    }
    return 0;
}

/* store_audit_each's walk: the rows of one person (person_id > 0) or all. */
struct audit_walk {
    int64_t person_id;
    store_audit_fn fn;
    void *ctx;
};

static const char *text_of(const struct audit_value *v)
{
    return v->bytes ? v->bytes : "";
}

static fn_status audit_walk_row(void *ctx, const struct audit_value *v)
{
    struct audit_walk *w = ctx;
    if (w->person_id > 0 && (strcmp(text_of(&v[COL_ENTITY]), "person") != 0 ||
                             !ids_cover(text_of(&v[COL_RECORD_IDS]), w->person_id)))
        return FN_OK;
    struct store_audit_row row = {.seq = strtoll(text_of(&v[COL_SEQ]), NULL, 10),
                                  .at = text_of(&v[COL_AT]),
                                  .login = text_of(&v[COL_LOGIN]),
                                  .user_id = strtoll(text_of(&v[COL_USER_ID]), NULL, 10),
                                  .org_id = strtoll(text_of(&v[COL_ORG_ID]), NULL, 10),
                                  .kind = text_of(&v[COL_KIND]),
                                  .entity = text_of(&v[COL_ENTITY]),
                                  .record_ids = text_of(&v[COL_RECORD_IDS]),
                                  .purpose = text_of(&v[COL_PURPOSE]),
                                  .recipient = text_of(&v[COL_RECIPIENT]),
                                  .details = text_of(&v[COL_DETAILS]),
                                  .hash = text_of(&v[COL_HASHED])};
    return w->fn(w->ctx, &row);
}

fn_status store_audit_each(struct store *st, const struct store_actor *a, int64_t person_id,
                           const char *since, store_audit_fn fn, void *ctx)
{
    struct store_scope scope;
    fn_status rc = store_scope_resolve(st, a, STORE_ACCESS_AUDIT, &scope);
    if (rc)
        return rc;
    /* Reading the trail is itself a read of personal data. */
    char details[64];
    snprintf(details, sizeof details, "{\"person\":%lld}", (long long)person_id);
    struct audit_entry e = {.actor = a,
                            .kind = AUDIT_QUERY,
                            .entity = "audit",
                            .record_ids = NULL,
                            .details = person_id > 0 ? details : NULL};
    rc = audit_append_read(st, &e);
    if (!rc)
        rc = audit_spool_flush(st);
    if (rc)
        return rc;
    struct audit_walk w = {.person_id = person_id, .fn = fn, .ctx = ctx};
    return st->ops->audit_rows_since(st, since ? since : "", audit_walk_row, &w);
}

fn_status store_audit_verify(struct store *st, struct store_audit_report *report)
{
    memset(report, 0, sizeof *report);
    fn_status rc = audit_spool_flush(st); /* spooled rows first */
    if (rc)
        return rc;
    return chain_verify(st, report);
}

fn_status store_audit_flush(struct store *st)
{
    return audit_spool_flush(st);
}

fn_status store_assessment_due_take(struct store *st, int64_t *ids, size_t max, size_t *n)
{
    return st->ops->assessment_due_take(st, ids, max, n);
}

fn_status store_assessment_latest_digest(struct store *st, int64_t person_id, char out[65])
{
    return st->ops->assessment_latest_digest(st, person_id, out);
}
