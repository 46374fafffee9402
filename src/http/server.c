/* server.c – libmicrohttpd server, request guard, store handle pool; hands
 * /api/ requests to the route table (routes.c) and serves the web UI. */
#include "http/server.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/file.h"
#include "assess/reassess.h"
#include "http/assets.h"
#include "http/routes.h"
#include "store/store.h"

#define MAX_BODY      (1024u * 1024u)
#define POOL_MAX      64
#define RETRY_AFTER_S 2
#define MAX_PEM       (64u * 1024u)
#define HSTS          "max-age=31536000"
#define BUSY_MESSAGE                                                                               \
    "Die Datenbank ist gerade belegt (Schreibsperre). Bitte in einigen Sekunden erneut "           \
    "versuchen."
#define UNAVAILABLE_MESSAGE                                                                        \
    "Die Datenbank ist gerade nicht erreichbar. Bitte in einigen Sekunden erneut versuchen."

/* Per-connection state for the header deadline (socket context). Created on
 * accept, freed when MHD closes the connection; fd, since, header_done and
 * shut are guarded by http_server.conn_mu, raw_url belongs to the
 * connection's own thread. */
struct conn_entry {
    struct conn_entry *prev, *next;
    int fd;
    time_t since;    /* monotonic seconds: accept, or end of the previous request */
    int header_done; /* the current request's header is complete */
    int shut;        /* the sweeper has shut the socket down */
    char *raw_url;   /* request target as received (from the URI log callback) */
};

struct http_server {
    struct MHD_Daemon *daemon;
    char *db_path;
    pthread_mutex_t pool_mu;
    pthread_cond_t pool_cv;
    struct store *pool[POOL_MAX];
    int in_use[POOL_MAX];
    unsigned pool_size;
    uint16_t port;
    struct assess_catalog_cache *catalogs; /* NULL: no assessment routes */
    /* background re-assessment of persons whose facts changed */
    pthread_t reassess_thread;
    int reassess_started;
    int stopping;
    int db_down; /* the last store failure was an unreachable database (atomic) */
    unsigned reassess_interval_s;
    pthread_mutex_t stop_mu;
    pthread_cond_t stop_cv;
    /* header deadline: live connections and the thread that enforces it */
    pthread_mutex_t conn_mu;
    struct conn_entry *conns;
    unsigned header_timeout_s;
    pthread_t sweeper_thread;
    int sweeper_started;
    struct http_allowed_hosts hosts;
    /* access control: sessions, throttles, purposes (access.h) */
    struct http_access *access;
    int tls;
    char *tls_cert, *tls_key; /* PEM, kept until the daemon stops; the key is wiped */
    size_t tls_key_len;
    struct sockaddr_storage proxy; /* the trusted single sign-on proxy; family 0: none */
    char *proxy_header;
};

static time_t monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

/* Every interval, re-assesses the persons queued by changes and keeps the
 * changed assessments (src/assess/reassess.h). Own store handle; audited as
 * the system actor with its purpose. */
/* Persons re-assessed between two pauses of the background job, and the
 * pause (see reassess_main). */
#define REASSESS_SLICE    128
#define REASSESS_PAUSE_MS 250

static void *reassess_main(void *arg)
{
    struct http_server *s = arg;
    struct store *st = NULL;
    struct store_actor actor = {.login = "system-neubewertung",
                                .system = 1, /* every person whose facts changed */
                                .purpose = "Neubewertung nach Änderung"};
    int continue_at_once = 0; /* the last slice left more due */
    pthread_mutex_lock(&s->stop_mu);
    while (!s->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += s->reassess_interval_s;
        while (!continue_at_once && !s->stopping &&
               pthread_cond_timedwait(&s->stop_cv, &s->stop_mu, &until) == 0)
            ;
        continue_at_once = 0;
        if (s->stopping)
            break;
        pthread_mutex_unlock(&s->stop_mu);
        if (!st && store_open(s->db_path, 0, &st) != FN_OK)
            st = NULL;
        size_t assessed = 0, stored = 0;
        /* only with the catalogue in force: a simulation is never stored,
         * and without an approval the queue waits for one */
        const struct assess_catalog *cat = NULL;
        int simulation = 0;
        if (st && assess_catalog_cache_get(s->catalogs, st, &cat, &simulation) != FN_OK)
            cat = NULL;
        if (cat && !simulation &&
            assess_reassess_due(st, &actor, cat, (int32_t)(time(NULL) / 86400), REASSESS_SLICE,
                                &assessed, &stored) != FN_OK)
            fprintf(stderr, "fallnetz serve: Neubewertung fehlgeschlagen: %s\n", store_errmsg(st));
        pthread_mutex_lock(&s->stop_mu);
        /* More due: go on after a pause in which requests that write (an
         * assessment opened by a user, a decision) get the write lock.
         * SQLite's busy handler sleeps between its tries, so a job that
         * takes the lock again at once would starve them until their busy
         * timeout (503). */
        if (assessed >= REASSESS_SLICE) {
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += REASSESS_PAUSE_MS * 1000000L;
            until.tv_sec += until.tv_nsec / 1000000000L;
            until.tv_nsec %= 1000000000L;
            while (!s->stopping && pthread_cond_timedwait(&s->stop_cv, &s->stop_mu, &until) == 0)
                ;
            if (s->stopping)
                break;
            continue_at_once = 1;
        }
    }
    pthread_mutex_unlock(&s->stop_mu);
    store_close(st);
    return NULL;
}

/* Per-request state between the calls of the access handler. */
struct request_state {
    struct fn_buf body;
    int too_large;
    int refused_status; /* non-zero: http_request_guard refused; answer refused_body */
    char *refused_body;
    size_t refused_len;
};

fn_status http_parse_listen(const char *listen, char *host, size_t cap, uint16_t *port)
{
    const char *colon;
    size_t hlen;
    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (!close || close[1] != ':')
            return FN_INVALID;
        hlen = (size_t)(close - listen - 1);
        colon = close + 1;
        if (hlen + 1 > cap)
            return FN_INVALID;
        memcpy(host, listen + 1, hlen);
    } else {
        colon = strrchr(listen, ':');
        if (!colon)
            return FN_INVALID;
        hlen = (size_t)(colon - listen);
        if (hlen + 1 > cap)
            return FN_INVALID;
        memcpy(host, listen, hlen);
    }
    host[hlen] = '\0';
    char *end = NULL;
    long p = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || p < 0 || p > 65535 || !hlen)
        return FN_INVALID;
    *port = (uint16_t)p;
    return FN_OK;
}

/* ---- request guard: host, origin, content type, URL ---- */

/* Lower-cases and checks "name[:port]" / "[v6][:port]" into out (cap bytes). */
static fn_status authority_normalize(const char *in, char *out, size_t cap)
{
    size_t n = strlen(in);
    if (n == 0 || n + 1 > cap)
        return FN_INVALID;
    size_t i = 0;
    if (in[0] == '[') {
        for (i = 1; i < n && in[i] != ']'; i++)
            if (!isxdigit((unsigned char)in[i]) && in[i] != ':' && in[i] != '.')
                return FN_INVALID;
        if (i == n || i == 1)
            return FN_INVALID;
        i++;
    } else {
        for (; i < n && in[i] != ':'; i++)
            if (!isalnum((unsigned char)in[i]) && in[i] != '.' && in[i] != '-' && in[i] != '_')
                return FN_INVALID;
        if (i == 0)
            return FN_INVALID;
    }
    if (i < n) {
        if (in[i] != ':' || i + 1 == n || n - i - 1 > 5)
            return FN_INVALID;
        for (size_t k = i + 1; k < n; k++)
            if (!isdigit((unsigned char)in[k]))
                return FN_INVALID;
        if (strtol(in + i + 1, NULL, 10) > 65535)
            return FN_INVALID;
    }
    for (size_t k = 0; k <= n; k++)
        out[k] = (char)tolower((unsigned char)in[k]);
    return FN_OK;
}

fn_status http_allowed_hosts_add(struct http_allowed_hosts *h, const char *authority)
{
    char norm[HTTP_MAX_AUTHORITY];
    if (authority_normalize(authority, norm, sizeof norm) != FN_OK)
        return FN_INVALID;
    for (size_t i = 0; i < h->count; i++)
        if (strcmp(h->names[i], norm) == 0)
            return FN_OK;
    if (h->count == HTTP_MAX_ALLOWED)
        return FN_TOO_LARGE;
    memcpy(h->names[h->count++], norm, strlen(norm) + 1);
    return FN_OK;
}

/* Adds host with port; a browser leaves out port 80, so then the bare name too. */
static fn_status allowed_add_with_port(struct http_allowed_hosts *h, const char *host,
                                       uint16_t port)
{
    char a[HTTP_MAX_AUTHORITY];
    int v6 = strchr(host, ':') != NULL;
    int n = snprintf(a, sizeof a, "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "", (unsigned)port);
    if (n < 0 || (size_t)n >= sizeof a)
        return FN_INVALID;
    fn_status rc = http_allowed_hosts_add(h, a);
    if (!rc && port == 80) {
        a[strrchr(a, ':') - a] = '\0';
        rc = http_allowed_hosts_add(h, a);
    }
    return rc;
}

fn_status http_allowed_hosts_init(struct http_allowed_hosts *h, const char *listen_host,
                                  uint16_t port)
{
    memset(h, 0, sizeof *h);
    fn_status rc = allowed_add_with_port(h, listen_host, port);
    if (rc)
        return rc;
    struct in_addr a4;
    int loopback = strcmp(listen_host, "localhost") == 0 || strcmp(listen_host, "::1") == 0 ||
                   (inet_pton(AF_INET, listen_host, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127);
    if (loopback) {
        const char *names[] = {"localhost", "127.0.0.1", "::1"};
        for (size_t i = 0; !rc && i < sizeof names / sizeof names[0]; i++)
            rc = allowed_add_with_port(h, names[i], port);
    }
    return rc;
}

static int host_allowed(const struct http_allowed_hosts *h, const char *authority)
{
    for (size_t i = 0; authority && i < h->count; i++)
        if (strcasecmp(h->names[i], authority) == 0)
            return 1;
    return 0;
}

/* An Origin is same-origin when it is http(s)://<allowed host> exactly. */
static int origin_allowed(const struct http_allowed_hosts *h, const char *origin)
{
    if (strncasecmp(origin, "http://", 7) == 0)
        return host_allowed(h, origin + 7);
    if (strncasecmp(origin, "https://", 8) == 0)
        return host_allowed(h, origin + 8);
    return 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_control(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

/* A control character, raw or percent-encoded (%00, %0a, %7F ...). MHD hands
 * the handler a decoded C string, so "/persons/5%00" would otherwise read as
 * "/persons/5". */
static int url_has_control(const char *url, int decode)
{
    for (const char *c = url; url && *c; c++) {
        if (is_control((unsigned char)*c))
            return 1;
        if (decode && c[0] == '%' && hex_value(c[1]) >= 0 && hex_value(c[2]) >= 0) {
            if (is_control((unsigned char)(hex_value(c[1]) * 16 + hex_value(c[2]))))
                return 1;
            c += 2;
        }
    }
    return 0;
}

static int is_json_type(const char *ct)
{
    if (!ct)
        return 0;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    if (strncasecmp(ct, "application/json", 16) != 0)
        return 0;
    char next = ct[16];
    return next == '\0' || next == ';' || next == ' ' || next == '\t';
}

/* A refusal of the guard as a JSON error body (caller frees *body). */
static fn_status error_body(int *status, int code, const char *machine, const char *message,
                            char **body, size_t *len)
{
    struct http_answer a;
    memset(&a, 0, sizeof a);
    *status = code;
    fn_status rc = http_answer_error(&a, code, machine, message);
    *body = a.body;
    *len = a.body_len;
    return rc;
}

fn_status http_request_guard(const struct http_allowed_hosts *hosts, const struct http_request *req,
                             int *status, char **body, size_t *body_len)
{
    *status = 0;
    *body = NULL;
    *body_len = 0;
    int is_safe = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
    int has_body = strcmp(req->method, "POST") == 0 || strcmp(req->method, "PUT") == 0 ||
                   strcmp(req->method, "PATCH") == 0;
    int is_api = strncmp(req->url, "/api/", 5) == 0;
    if (req->raw_url && strlen(req->raw_url) > HTTP_MAX_URL)
        return error_body(status, 414, "uri_too_long",
                          "Die Adresse ist zu lang (höchstens 8192 Byte).", body, body_len);
    if (req->header_bytes > HTTP_MAX_HEADER_BYTES)
        return error_body(status, 431, "header_too_large",
                          "Die Kopfzeilen der Anfrage sind zu groß (höchstens 16384 Byte).", body,
                          body_len);
    if (url_has_control(req->url, 0) || url_has_control(req->raw_url, 1))
        return error_body(status, 400, "bad_url",
                          "Die Adresse enthält ein Steuerzeichen (etwa %00).", body, body_len);
    if (!host_allowed(hosts, req->host))
        return error_body(status, 403, "bad_host",
                          "Dieser Server antwortet nicht unter diesem Namen (Host). Weitere Namen "
                          "erlaubt serve --allowed-host.",
                          body, body_len);
    if (req->origin && !origin_allowed(hosts, req->origin))
        return error_body(status, 403, "foreign_origin",
                          "Anfragen von einer anderen Herkunft (Origin) werden abgewiesen.", body,
                          body_len);
    if (req->sec_fetch_site && (is_api || !is_safe) &&
        strcmp(req->sec_fetch_site, "same-origin") != 0 && strcmp(req->sec_fetch_site, "none") != 0)
        return error_body(status, 403, "cross_site",
                          "Anfragen von einer anderen Website (Sec-Fetch-Site) werden abgewiesen.",
                          body, body_len);
    if (has_body && !is_json_type(req->content_type))
        return error_body(status, 415, "unsupported_media_type",
                          "Die Anfrage muss als application/json gesendet werden.", body, body_len);
    return FN_OK;
}

/* ---- store handle pool ---- */

static struct store *pool_acquire(struct http_server *s, int *slot)
{
    pthread_mutex_lock(&s->pool_mu);
    for (;;) {
        for (unsigned i = 0; i < s->pool_size; i++) {
            if (!s->in_use[i]) {
                s->in_use[i] = 1;
                *slot = (int)i;
                pthread_mutex_unlock(&s->pool_mu);
                return s->pool[i];
            }
        }
        pthread_cond_wait(&s->pool_cv, &s->pool_mu);
    }
}

static void pool_release(struct http_server *s, int slot)
{
    pthread_mutex_lock(&s->pool_mu);
    s->in_use[slot] = 0;
    pthread_cond_signal(&s->pool_cv);
    pthread_mutex_unlock(&s->pool_mu);
}

/* ---- routing: /api/ through the route table (routes.c), the rest here ---- */

/* Every path outside /api/: the web UI's files (src/http/web, embedded).
 * The server answers GET and HEAD of an asset directly (send_asset, with
 * ETag); this copy keeps http_answer_request complete. Kept apart from the
 * API's route table on purpose. */
static fn_status route_page(const struct http_request *req, struct http_answer *out)
{
    const struct http_asset *asset = NULL;
    if (http_asset_find(req->url, &asset) != FN_OK)
        return http_answer_error(out, 404, "not_found", "Diese Adresse gibt es nicht.");
    if (http_method_bit(req->method) != HTTP_METHOD_GET) {
        http_allow_format(HTTP_METHOD_GET, out->allow, sizeof out->allow);
        return http_answer_error(out, 405, "method_not_allowed", "Nur GET ist erlaubt.");
    }
    out->body = fn_malloc(asset->len + 1);
    if (!out->body)
        return FN_NOMEM;
    memcpy(out->body, asset->data, asset->len);
    out->body[asset->len] = '\0';
    out->status = 200;
    out->content_type = asset->content_type;
    out->body_len = asset->len;
    return FN_OK;
}

fn_status http_answer_request(struct store *st, const struct http_request *req,
                              struct http_answer *out)
{
    memset(out, 0, sizeof *out);
    fn_status rc =
        strncmp(req->url, "/api/", 5) == 0 ? http_dispatch(st, req, out) : route_page(req, out);
    if (rc == FN_BUSY || rc == FN_UNAVAILABLE) {
        fn_free(out->body);
        memset(out, 0, sizeof *out);
        out->retry_after_s = RETRY_AFTER_S;
        rc = rc == FN_BUSY ? http_answer_error(out, 503, "busy", BUSY_MESSAGE)
                           : http_answer_error(out, 503, "db_unavailable", UNAVAILABLE_MESSAGE);
    }
    return rc;
}

/* A request that failed while the database server was unreachable: whatever
 * the route made of the store's failure (a 500, a 401, "not found"), the
 * answer is 503 db_unavailable with Retry-After; the store rolled back, so
 * nothing was half written. The change of state is logged once (the
 * message names the server, never its password). A success stays. */
static fn_status answer_unavailable(struct http_server *s, struct store *st, fn_status rc,
                                    struct http_answer *a)
{
    int down = store_unavailable(st);
    if ((down && (rc || a->status >= 400)) || rc == FN_UNAVAILABLE) {
        if (!__atomic_exchange_n(&s->db_down, 1, __ATOMIC_RELAXED))
            fprintf(stderr, "fallnetz serve: Datenbank nicht erreichbar: %s\n", store_errmsg(st));
        fn_free(a->body);
        memset(a, 0, sizeof *a);
        a->retry_after_s = RETRY_AFTER_S;
        return http_answer_error(a, 503, "db_unavailable", UNAVAILABLE_MESSAGE);
    }
    if (!down && !rc && a->status < 500 && __atomic_exchange_n(&s->db_down, 0, __ATOMIC_RELAXED))
        fprintf(stderr, "fallnetz serve: Datenbank wieder erreichbar\n");
    return rc;
}

fn_status http_route(struct store *st, const struct http_request *req, int *status,
                     const char **content_type, char **body, size_t *body_len)
{
    struct http_answer a;
    fn_status rc = http_answer_request(st, req, &a);
    *status = a.status;
    *content_type = a.content_type;
    *body = a.body;
    *body_len = a.body_len;
    return rc;
}

/* ---- MHD glue ---- */

/* Scripts and styles only from fallnetz itself (src/http/web), never inline:
 * an injected <script> or style="" does not run. data: images are the
 * design system's SVG icons. */
#define HTTP_CSP                                                                                   \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "              \
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "                   \
    "frame-ancestors 'none'"

/* The headers every answer carries; cache_control is "no-store" for
 * everything but the static UI files. */
static void add_security_headers(struct MHD_Response *resp, const char *cache_control, int tls)
{
    if (tls)
        MHD_add_response_header(resp, "Strict-Transport-Security", HSTS);
    MHD_add_response_header(resp, "Cache-Control", cache_control);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Content-Security-Policy", HTTP_CSP);
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
}

/* Sends body (taken over) with the security headers every answer carries,
 * refusals included. retry_after_s > 0 adds Retry-After, a non-empty allow
 * the Allow header of a 405, a non-empty cookie Set-Cookie, a non-empty
 * etag ETag. */
static enum MHD_Result send_buffer(const struct http_server *s, struct MHD_Connection *conn,
                                   int status, const char *content_type, char *body, size_t len,
                                   unsigned retry_after_s, const char *allow, const char *cookie,
                                   const char *etag)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        fn_free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", content_type);
    add_security_headers(resp, "no-store", s->tls);
    if (cookie && cookie[0])
        MHD_add_response_header(resp, "Set-Cookie", cookie);
    if (retry_after_s) {
        char secs[16];
        snprintf(secs, sizeof secs, "%u", retry_after_s);
        MHD_add_response_header(resp, "Retry-After", secs);
    }
    if (allow && allow[0])
        MHD_add_response_header(resp, "Allow", allow);
    if (etag && etag[0])
        MHD_add_response_header(resp, "ETag", etag);
    enum MHD_Result r = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result send_error(const struct http_server *s, struct MHD_Connection *conn,
                                  int code, const char *machine, const char *message)
{
    struct http_answer a;
    memset(&a, 0, sizeof a);
    if (http_answer_error(&a, code, machine, message) != FN_OK)
        return MHD_NO;
    return send_buffer(s, conn, a.status, a.content_type, a.body, a.body_len, 0, NULL, NULL, NULL);
}

/* Answers a GET/HEAD for a static UI file from the embedded table (borrowed,
 * never copied): 304 when the browser's copy is current, else the file.
 * Other methods go to the router (405). */
static enum MHD_Result send_asset(const struct http_server *s, struct MHD_Connection *conn,
                                  const struct http_asset *asset)
{
    const char *if_none_match = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
    int fresh = http_asset_not_modified(asset, if_none_match);
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        fresh ? 0 : asset->len, fresh ? NULL : (void *)asset->data, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", asset->content_type);
    MHD_add_response_header(resp, "ETag", asset->etag);
    add_security_headers(resp, "no-cache", s->tls);
    enum MHD_Result r = MHD_queue_response(conn, fresh ? 304u : 200u, resp);
    MHD_destroy_response(resp);
    return r;
}

static struct conn_entry *conn_entry_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

/* Marks the connection's current request header as complete (done = 1), or
 * restarts the header deadline for the next request on it (done = 0). */
static void conn_mark_header(struct http_server *s, struct MHD_Connection *conn, int done)
{
    struct conn_entry *e = conn_entry_of(conn);
    if (!e)
        return;
    pthread_mutex_lock(&s->conn_mu);
    e->header_done = done;
    if (!done)
        e->since = monotonic_s();
    pthread_mutex_unlock(&s->conn_mu);
}

/* Runs the request guard on the first call (header complete); keeps a
 * refusal in rs for the last call so keep-alive survives. */
static fn_status guard_request(struct http_server *s, struct MHD_Connection *conn, const char *url,
                               const char *method, struct request_state *rs)
{
    struct conn_entry *e = conn_entry_of(conn);
    const union MHD_ConnectionInfo *hs =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    struct http_request req = {
        .method = method,
        .url = url,
        .raw_url = e ? e->raw_url : NULL,
        .header_bytes = hs ? hs->header_size : 0,
        .host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host"),
        .origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin"),
        .sec_fetch_site = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Sec-Fetch-Site"),
        .content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type")};
    return http_request_guard(&s->hosts, &req, &rs->refused_status, &rs->refused_body,
                              &rs->refused_len);
}

/* 1 when both socket addresses are the same IP address (ports ignored). */
static int same_address(const struct sockaddr *a, const struct sockaddr_storage *b)
{
    if (a->sa_family != b->ss_family)
        return 0;
    if (a->sa_family == AF_INET)
        return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
                      &((const struct sockaddr_in *)b)->sin_addr, sizeof(struct in_addr)) == 0;
    if (a->sa_family == AF_INET6)
        return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                      &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr)) == 0;
    return 0;
}

/* The client's IP address as text in buf (INET6_ADDRSTRLEN bytes; returned),
 * and in *sso_login the trusted proxy's user header when, and only when, the
 * request comes from exactly that proxy's address (else NULL). */
static const char *peer_address(const struct http_server *s, struct MHD_Connection *conn, char *buf,
                                const char **sso_login)
{
    *sso_login = NULL;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    if (!sa)
        return buf;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, INET6_ADDRSTRLEN);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, INET6_ADDRSTRLEN);
    if (s->proxy_header && same_address(sa, &s->proxy)) {
        const char *login = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, s->proxy_header);
        if (login && login[0])
            *sso_login = login;
    }
    return buf;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **req_cls)
{
    (void)version;
    struct http_server *s = cls;
    struct request_state *rs = *req_cls;
    if (!rs) {
        /* First call: headers only. Respond later so keep-alive survives. */
        conn_mark_header(s, conn, 1);
        rs = fn_calloc(1, sizeof *rs);
        if (!rs)
            return MHD_NO;
        fn_buf_init(&rs->body, MAX_BODY);
        *req_cls = rs;
        if (guard_request(s, conn, url, method, rs) != FN_OK)
            return MHD_NO;
        return MHD_YES;
    }
    if (*upload_size) {
        /* a refused request's body is read and dropped, never buffered */
        if (!rs->refused_status && !rs->too_large &&
            fn_buf_append(&rs->body, upload, *upload_size) != FN_OK)
            rs->too_large = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    if (rs->refused_status) {
        char *refusal = rs->refused_body;
        rs->refused_body = NULL;
        return send_buffer(s, conn, rs->refused_status, "application/json; charset=utf-8", refusal,
                           rs->refused_len, 0, NULL, NULL, NULL);
    }
    if (rs->too_large)
        return send_error(s, conn, 413, "too_large", "Die Anfrage ist zu groß (höchstens 1 MiB).");
    const struct http_asset *asset = NULL;
    int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (is_get && http_asset_find(url, &asset) == FN_OK)
        return send_asset(s, conn, asset); /* no store handle needed */
    struct http_request req = {
        .method = method,
        .url = url,
        .query_authority = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "authority"),
        .query_after = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "after"),
        .query_limit = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "limit"),
        .query_from = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "from"),
        .query_to = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "to"),
        .query_region = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "region"),
        .query_format = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "format"),
        .purpose = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Fallnetz-Zweck"),
        .catalogs = s->catalogs,
        .body = fn_buf_str(&rs->body),
        .body_len = rs->body.len,
        .csrf_token = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token"),
        .if_match = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-Match"),
        .session_token = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, HTTP_SESSION_COOKIE),
        .access = s->access};
    char peer[INET6_ADDRSTRLEN] = "";
    req.client_address = peer_address(s, conn, peer, &req.sso_login);
    int slot = 0;
    struct store *st = pool_acquire(s, &slot);
    struct http_caller caller;
    struct http_answer a;
    memset(&a, 0, sizeof a);
    fn_status rc = FN_OK;
    if (strncmp(url, "/api/", 5) == 0) {
        rc = http_access_identify(
            s->access, st, req.session_token,
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization"),
            (int64_t)time(NULL), http_request_needs_csrf(method, url), &caller);
        req.caller = &caller;
    }
    if (rc == FN_BUSY) {
        a.retry_after_s = RETRY_AFTER_S;
        rc = http_answer_error(&a, 503, "busy", BUSY_MESSAGE);
    } else if (!rc) {
        rc = http_answer_request(st, &req, &a);
    }
    rc = answer_unavailable(s, st, rc, &a);
    pool_release(s, slot);
    if (rc) {
        fn_free(a.body);
        return send_error(s, conn, 500, "internal", "Interner Fehler.");
    }
    return send_buffer(s, conn, a.status, a.content_type, a.body, a.body_len, a.retry_after_s,
                       a.allow, a.set_cookie, a.etag);
}

static void request_done(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    struct http_server *s = cls;
    struct request_state *rs = *req_cls;
    if (rs) {
        /* a login or a decision's body held a password */
        if (rs->body.data)
            sodium_memzero(rs->body.data, rs->body.len);
        fn_buf_free(&rs->body);
        fn_free(rs->refused_body);
        fn_free(rs);
        *req_cls = NULL;
    }
    /* the next request on a keep-alive connection gets its own header deadline */
    conn_mark_header(s, conn, 0);
}

/* Keeps the raw request target for the guard (MHD decodes the URL before
 * the handler sees it). Owned by the connection entry. */
static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    struct conn_entry *e = conn_entry_of(conn);
    if (e) {
        fn_free(e->raw_url);
        e->raw_url = fn_strdup(uri);
    }
    return NULL;
}

/* Tracks every connection for the header deadline; the entry is unlinked
 * under conn_mu before MHD closes the socket, so the sweeper never touches
 * a closed (or reused) descriptor. */
static void connection_event(void *cls, struct MHD_Connection *conn, void **socket_context,
                             enum MHD_ConnectionNotificationCode code)
{
    struct http_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *fd =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct conn_entry *e = fd ? fn_calloc(1, sizeof *e) : NULL;
        *socket_context = e;
        if (!e)
            return;
        e->fd = fd->connect_fd;
        e->since = monotonic_s();
        pthread_mutex_lock(&s->conn_mu);
        e->next = s->conns;
        if (s->conns)
            s->conns->prev = e;
        s->conns = e;
        pthread_mutex_unlock(&s->conn_mu);
        return;
    }
    struct conn_entry *e = *socket_context;
    if (!e)
        return;
    pthread_mutex_lock(&s->conn_mu);
    if (e->prev)
        e->prev->next = e->next;
    else
        s->conns = e->next;
    if (e->next)
        e->next->prev = e->prev;
    pthread_mutex_unlock(&s->conn_mu);
    fn_free(e->raw_url);
    fn_free(e);
    *socket_context = NULL;
}

/* Once a second, shuts down connections whose request header is not
 * complete within header_timeout_s. MHD's own timeout restarts with every
 * byte, so one byte every few seconds would hold a connection for ever
 * (slowloris); shutdown() makes MHD see the end of the stream and close it. */
static void *sweeper_main(void *arg)
{
    struct http_server *s = arg;
    pthread_mutex_lock(&s->stop_mu);
    while (!s->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        while (!s->stopping && pthread_cond_timedwait(&s->stop_cv, &s->stop_mu, &until) == 0)
            ;
        if (s->stopping)
            break;
        pthread_mutex_unlock(&s->stop_mu);
        time_t now = monotonic_s();
        pthread_mutex_lock(&s->conn_mu);
        for (struct conn_entry *e = s->conns; e; e = e->next) {
            if (!e->header_done && !e->shut && now - e->since >= (time_t)s->header_timeout_s) {
                shutdown(e->fd, SHUT_RDWR);
                e->shut = 1;
            }
        }
        pthread_mutex_unlock(&s->conn_mu);
        pthread_mutex_lock(&s->stop_mu);
    }
    pthread_mutex_unlock(&s->stop_mu);
    return NULL;
}

static int is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
    }
    return 0;
}

/* Reads the TLS certificate and key, parses the trusted proxy's address and
 * creates the access state (access.h) into s. Messages name the option,
 * never a file's content. */
static fn_status server_access_setup(struct http_server *s, const struct http_config *cfg,
                                     char *errbuf, size_t errbuf_size)
{
    fn_status rc = FN_OK;
    if (cfg->tls_cert) {
        size_t len = 0;
        rc = fn_read_file(cfg->tls_cert, MAX_PEM, &s->tls_cert, &len);
        if (rc) {
            snprintf(errbuf, errbuf_size, "--tls-cert %s kann nicht gelesen werden (%s)",
                     cfg->tls_cert, fn_status_str(rc));
            return rc;
        }
        rc = fn_read_file(cfg->tls_key, MAX_PEM, &s->tls_key, &s->tls_key_len);
        if (rc) {
            snprintf(errbuf, errbuf_size, "--tls-key %s kann nicht gelesen werden (%s)",
                     cfg->tls_key, fn_status_str(rc));
            return rc;
        }
        s->tls = 1;
    }
    if (cfg->trusted_proxy) {
        struct sockaddr_in *in4 = (struct sockaddr_in *)&s->proxy;
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&s->proxy;
        if (inet_pton(AF_INET, cfg->trusted_proxy, &in4->sin_addr) == 1) {
            in4->sin_family = AF_INET;
        } else if (inet_pton(AF_INET6, cfg->trusted_proxy, &in6->sin6_addr) == 1) {
            in6->sin6_family = AF_INET6;
        } else {
            snprintf(errbuf, errbuf_size, "--trusted-proxy '%s' ist keine IP-Adresse",
                     cfg->trusted_proxy);
            return FN_INVALID;
        }
        size_t n = strlen(cfg->trusted_user_header);
        if (n == 0 || n > 64 ||
            strspn(cfg->trusted_user_header,
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != n) {
            snprintf(
                errbuf, errbuf_size,
                "--trusted-user-header erwartet einen Kopfzeilennamen (Buchstaben, Ziffern, -)");
            return FN_INVALID;
        }
        s->proxy_header = fn_strdup(cfg->trusted_user_header);
        if (!s->proxy_header)
            return FN_NOMEM;
    }
    struct http_access_config ac = {.session_idle_s = cfg->session_idle_s,
                                    .session_absolute_s = cfg->session_absolute_s,
                                    .purposes = cfg->purposes,
                                    .n_purposes = cfg->n_purposes,
                                    .tls = s->tls};
    rc = http_access_new(&ac, &s->access);
    if (rc == FN_INVALID)
        snprintf(errbuf, errbuf_size,
                 "Die Zwecke (--purposes) müssen 1 bis %d Zeilen gültiger Text von höchstens %d "
                 "Byte sein",
                 HTTP_MAX_PURPOSES, HTTP_PURPOSE_MAX);
    return rc;
}

fn_status http_server_start(const struct http_config *cfg, struct http_server **out, char *errbuf,
                            size_t errbuf_size)
{
    *out = NULL;
    char host[128];
    uint16_t port = 0;
    if (http_parse_listen(cfg->listen, host, sizeof host, &port) != FN_OK) {
        snprintf(errbuf, errbuf_size, "Adresse '%s' ist nicht in der Form HOST:PORT", cfg->listen);
        return FN_INVALID;
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t sslen = 0;
    struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons(port);
        sslen = sizeof *in4;
    } else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        sslen = sizeof *in6;
    } else {
        snprintf(errbuf, errbuf_size, "'%s' ist keine IP-Adresse", host);
        return FN_INVALID;
    }
    if (!is_loopback((struct sockaddr *)&ss) && !cfg->allow_remote && !cfg->tls_cert) {
        snprintf(errbuf, errbuf_size,
                 "%s ist keine Loopback-Adresse; ohne TLS (--tls-cert/--tls-key) nur mit "
                 "--allow-remote (hinter einem TLS-Proxy)",
                 host);
        return FN_DENIED;
    }
    if (!cfg->tls_cert != !cfg->tls_key) {
        snprintf(errbuf, errbuf_size, "--tls-cert und --tls-key gehören zusammen");
        return FN_INVALID;
    }
    if (!cfg->trusted_proxy != !cfg->trusted_user_header) {
        snprintf(errbuf, errbuf_size, "--trusted-proxy und --trusted-user-header gehören zusammen");
        return FN_INVALID;
    }
    fn_status rc = FN_NOMEM;
    struct http_server *s = fn_calloc(1, sizeof *s);
    if (!s)
        return FN_NOMEM;
    pthread_mutex_init(&s->pool_mu, NULL);
    pthread_cond_init(&s->pool_cv, NULL);
    pthread_mutex_init(&s->stop_mu, NULL);
    pthread_cond_init(&s->stop_cv, NULL);
    pthread_mutex_init(&s->conn_mu, NULL);
    s->header_timeout_s = cfg->header_timeout_s ? cfg->header_timeout_s : 10;
    s->reassess_interval_s = cfg->reassess_interval_s ? cfg->reassess_interval_s : 30;
    s->db_path = fn_strdup(cfg->db_path);
    if (!s->db_path)
        goto fail;
    if (cfg->assessments && assess_catalog_cache_new(cfg->catalog, &s->catalogs) != FN_OK)
        goto fail; /* rc is FN_NOMEM */
    rc = server_access_setup(s, cfg, errbuf, errbuf_size);
    if (rc)
        goto fail;
    /* 4 on 2 cores: a worker waiting for a page or a lock leaves the core to
     * another (measured: 2 threads ~18k req/s, 4 threads ~22k). */
    unsigned threads = cfg->threads ? cfg->threads : 4;
    if (threads > 16)
        threads = 16;
    s->pool_size = threads * 2 > POOL_MAX ? POOL_MAX : threads * 2;
    char shown[512];
    store_location_shown(s->db_path, shown, sizeof shown);
    for (unsigned i = 0; i < s->pool_size; i++) {
        rc = store_open(s->db_path, 0, &s->pool[i]);
        if (rc && store_open_error()[0]) {
            /* a server's refusal already names the URL and what failed */
            snprintf(errbuf, errbuf_size, "%s", store_open_error());
            goto fail;
        }
        if (rc) {
            snprintf(errbuf, errbuf_size, "Datenbank %s kann nicht geöffnet werden (%s)", shown,
                     fn_status_str(rc));
            goto fail;
        }
        int version = 0;
        rc = store_schema_version(s->pool[i], &version);
        if (!rc && version != STORE_SCHEMA_VERSION) {
            snprintf(errbuf, errbuf_size, "Datenbank %s hat Schemaversion %d (erwartet %d)", shown,
                     version, STORE_SCHEMA_VERSION);
            rc = FN_UNSUPPORTED;
        }
        if (rc)
            goto fail;
    }
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_OptionItem tls_options[] = {
        {s->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, s->tls_cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key},
        {MHD_OPTION_END, 0, NULL}};
    if (s->tls)
        flags |= MHD_USE_TLS;
    s->daemon = MHD_start_daemon(
        flags, port, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
        cfg->max_connections ? cfg->max_connections : 1024u, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        cfg->per_ip_limit ? cfg->per_ip_limit : 64u, MHD_OPTION_CONNECTION_TIMEOUT,
        cfg->timeout_s ? cfg->timeout_s : 30u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 * 1024), MHD_OPTION_LISTEN_BACKLOG_SIZE, 511u, MHD_OPTION_NOTIFY_COMPLETED,
        request_done, s, MHD_OPTION_NOTIFY_CONNECTION, connection_event, s,
        MHD_OPTION_URI_LOG_CALLBACK, uri_seen, s, MHD_OPTION_ARRAY, tls_options, MHD_OPTION_END);
    (void)sslen;
    if (!s->daemon) {
        snprintf(errbuf, errbuf_size, "Port %u auf %s kann nicht geöffnet werden (belegt?%s)",
                 (unsigned)port, host, s->tls ? " Oder Zertifikat und Schlüssel passen nicht" : "");
        rc = FN_IO;
        goto fail;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : port;
    rc = http_allowed_hosts_init(&s->hosts, host, s->port);
    for (size_t i = 0; !rc && i < cfg->n_allowed_hosts; i++) {
        rc = http_allowed_hosts_add(&s->hosts, cfg->allowed_hosts[i]);
        if (rc)
            snprintf(errbuf, errbuf_size,
                     "--allowed-host '%s' ist kein Name[:Port] (oder zu viele)",
                     cfg->allowed_hosts[i]);
    }
    if (rc)
        goto fail;
    if (pthread_create(&s->sweeper_thread, NULL, sweeper_main, s) != 0) {
        snprintf(errbuf, errbuf_size, "Überwachungsthread kann nicht gestartet werden");
        rc = FN_INTERNAL;
        goto fail;
    }
    s->sweeper_started = 1;
    if (s->catalogs && pthread_create(&s->reassess_thread, NULL, reassess_main, s) == 0)
        s->reassess_started = 1;
    *out = s;
    return FN_OK;
fail:
    http_server_stop(s);
    return rc;
}

uint16_t http_server_port(const struct http_server *s)
{
    return s->port;
}

void http_server_stop(struct http_server *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->stop_mu);
    s->stopping = 1;
    pthread_cond_broadcast(&s->stop_cv);
    pthread_mutex_unlock(&s->stop_mu);
    if (s->reassess_started)
        pthread_join(s->reassess_thread, NULL);
    if (s->sweeper_started)
        pthread_join(s->sweeper_thread, NULL);
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    for (unsigned i = 0; i < s->pool_size; i++)
        store_close(s->pool[i]);
    pthread_mutex_destroy(&s->pool_mu);
    pthread_mutex_destroy(&s->stop_mu);
    pthread_mutex_destroy(&s->conn_mu);
    pthread_cond_destroy(&s->stop_cv);
    pthread_cond_destroy(&s->pool_cv);
    http_access_free(s->access);
    assess_catalog_cache_free(s->catalogs);
    if (s->tls_key)
        sodium_memzero(s->tls_key, s->tls_key_len);
    fn_free(s->tls_key);
    fn_free(s->tls_cert);
    fn_free(s->proxy_header);
    fn_free(s->db_path);
    fn_free(s);
}
