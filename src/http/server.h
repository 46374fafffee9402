/*
 * server.h – the HTTP server (libmicrohttpd): JSON API and the web UI.
 *
 * Thread pool with one epoll loop per thread; one store handle per worker
 * (a small pool). Limits: request bodies 1 MiB, request target 8 KiB (414),
 * request header 16 KiB (431), per-connection memory 64 KiB, connection and
 * per-IP limits, idle timeout, and a deadline for a complete request header
 * (slowloris). Responses are queued on the second call of the access handler
 * so keep-alive works (stack.md § 1a). Every /api/v1/ route but health needs a
 * session or an API token (access.h); the server refuses non-loopback
 * addresses without TLS unless allowed (behind a TLS proxy), and
 * http_request_guard refuses requests from other origins (CSRF), for other
 * host names (DNS rebinding), with another content type than JSON, and with
 * control characters in the URL.
 */
#ifndef FN_HTTP_SERVER_H
#define FN_HTTP_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "assess/approval.h"
#include "assess/catalog.h"
#include "core/status.h"
#include "http/access.h"

struct http_config {
    const char *db_path;       /* database file */
    const char *listen;        /* "127.0.0.1:8080", "[::1]:8080"; port 0 = any free port */
    int allow_remote;          /* permit a non-loopback address */
    unsigned threads;          /* worker threads (default 4) */
    unsigned max_connections;  /* default 1024 */
    unsigned per_ip_limit;     /* default 64 */
    unsigned timeout_s;        /* idle connection timeout, default 30 */
    unsigned header_timeout_s; /* a request header must be complete within this, default 10 */
    const char *const *allowed_hosts; /* extra Host names ("name[:port]"), e.g. behind a proxy */
    size_t n_allowed_hosts;
    int assessments; /* 1: assessment routes and background re-assessment with the
                      * catalogue in force in the database (approval.h), or catalog */
    const struct assess_catalog *catalog; /* borrowed: a --catalog file, a simulation unless
                                           * approved; NULL: the catalogue in force */
    unsigned reassess_interval_s;         /* background re-assessment, default 30 s */
    /* access control (issue 11) */
    const char *tls_cert;            /* PEM file: serve HTTPS (with tls_key); NULL: plain HTTP */
    const char *tls_key;             /* PEM file of the private key */
    const char *trusted_proxy;       /* IP address of the single sign-on proxy, or NULL */
    const char *trusted_user_header; /* the header carrying the login it vouches for */
    unsigned session_idle_s;         /* 0: 30 minutes */
    unsigned session_absolute_s;     /* 0: 10 hours */
    const char *const *purposes;     /* NULL: the default purposes (access.h) */
    size_t n_purposes;
};

struct http_server;

/* Starts serving. *out is owned by the caller and stopped with
 * http_server_stop. FN_INVALID for a bad address (message in errbuf),
 * FN_DENIED for a non-loopback address without allow_remote, FN_IO when the
 * port cannot be bound, FN_NOTFOUND when the database is missing. */
FN_MUST_CHECK fn_status http_server_start(const struct http_config *cfg, struct http_server **out,
                                          char *errbuf, size_t errbuf_size);
/* The bound port (useful with port 0). */
uint16_t http_server_port(const struct http_server *s);
/* Stops the daemon, flushes audit rows, closes store handles; accepts NULL. */
void http_server_stop(struct http_server *s);

/* Parses "host:port" / "[v6]:port" into host (cap bytes) and port.
 * FN_INVALID when malformed. Exposed for tests. */
FN_MUST_CHECK fn_status http_parse_listen(const char *listen, char *host, size_t cap,
                                          uint16_t *port);

#define HTTP_MAX_URL          8192u  /* request target as received; longer: 414 */
#define HTTP_MAX_HEADER_BYTES 16384u /* request line and header fields; more: 431 */
#define HTTP_MAX_ALLOWED      24     /* entries of struct http_allowed_hosts */
#define HTTP_MAX_AUTHORITY    262    /* "name:port" incl. NUL */

/* The Host header values ("authorities") the server answers to; anything
 * else is refused (DNS rebinding). Names are stored in lower case. */
struct http_allowed_hosts {
    size_t count;
    char names[HTTP_MAX_ALLOWED][HTTP_MAX_AUTHORITY];
};

/* Fills *h from the listen address and the bound port: "host:port" ("[v6]:port"),
 * and for a loopback address also localhost, 127.0.0.1 and [::1] with that
 * port. FN_INVALID for a malformed host. */
FN_MUST_CHECK fn_status http_allowed_hosts_init(struct http_allowed_hosts *h,
                                                const char *listen_host, uint16_t port);
/* Adds one "name[:port]" (a proxy's public name); borrows authority.
 * FN_INVALID when malformed, FN_TOO_LARGE when the table is full. */
FN_MUST_CHECK fn_status http_allowed_hosts_add(struct http_allowed_hosts *h, const char *authority);

/* Routes one request without the network (tests use it directly).
 * *body is allocated with fn_malloc (caller frees); *content_type is static. */
struct http_request {
    const char *method;
    const char *url;                       /* path without query */
    const char *query_authority;           /* ?authority= value or NULL */
    const char *query_after;               /* ?after= value or NULL */
    const char *query_limit;               /* ?limit= value or NULL */
    const char *query_from;                /* ?from= (evaluation) or NULL */
    const char *query_to;                  /* ?to= (evaluation) or NULL */
    const char *query_region;              /* ?region= (evaluation) or NULL */
    const char *query_format;              /* ?format= ("csv") or NULL */
    const char *purpose;                   /* X-Fallnetz-Zweck header or NULL */
    const struct assess_catalog *catalog;  /* a fixed catalogue (tests), used when catalogs is
                                            * NULL; both NULL: no assessment routes */
    int catalog_simulation;                /* with catalog: it is not the approved one */
    struct assess_catalog_cache *catalogs; /* the server's (approval.h), or NULL */
    const char *body;                      /* request body (POST) or NULL */
    size_t body_len;
    /* read by http_request_guard only */
    const char *raw_url;        /* request target as received (undecoded) or NULL */
    size_t header_bytes;        /* size of request line and header, 0 if unknown */
    const char *host;           /* Host header or NULL */
    const char *origin;         /* Origin header or NULL */
    const char *sec_fetch_site; /* Sec-Fetch-Site header or NULL */
    const char *content_type;   /* Content-Type header or NULL */
    /* access control, set by the server (tests set them directly) */
    const struct http_caller *caller; /* NULL: nobody authenticated */
    const char *csrf_token;           /* X-CSRF-Token header or NULL */
    const char *if_match;             /* If-Match header or NULL (optimistic concurrency) */
    const char *session_token;        /* the session cookie's value or NULL (for logout) */
    const char *client_address;       /* peer address ("127.0.0.1"), for throttling and audit */
    const char *sso_login;      /* the trusted proxy's user header; NULL unless from that proxy */
    struct http_access *access; /* sessions, throttles, purposes; NULL: default purposes
                                 * and no session routes (503) */
};

/* Checks a request before it is routed, in this order: target longer than
 * HTTP_MAX_URL (414), header larger than HTTP_MAX_HEADER_BYTES (431), a
 * control character in the URL, also percent-encoded like %00 (400), a Host
 * not in *hosts (403), an Origin other than http(s)://<allowed host> (403),
 * Sec-Fetch-Site other than same-origin/none on an API or state-changing
 * request (403), and a POST/PUT/PATCH body that is not application/json
 * (415). Sets *status to 0 and *body to NULL when the request may be routed;
 * otherwise *status is the refusal and *body a German JSON error (caller frees
 * with fn_free). Borrows everything. FN_NOMEM is the only failure. */
FN_MUST_CHECK fn_status http_request_guard(const struct http_allowed_hosts *hosts,
                                           const struct http_request *req, int *status, char **body,
                                           size_t *body_len);

/* One answer of the router. body is allocated with fn_malloc (caller frees);
 * content_type is static. retry_after_s > 0 asks the caller to send
 * Retry-After (the store was busy: 503; logins throttled: 429); a non-empty
 * allow is the Allow header of a 405 (the methods of the path); a non-empty
 * etag the ETag of a person (its version, for If-Match). */
#define HTTP_MAX_ALLOW      48
#define HTTP_MAX_SET_COOKIE 160
#define HTTP_MAX_ETAG       48
struct http_answer {
    int status;
    const char *content_type;
    char *body;
    size_t body_len;
    unsigned retry_after_s;
    char allow[HTTP_MAX_ALLOW];
    char set_cookie[HTTP_MAX_SET_COOKIE]; /* a non-empty value is sent as Set-Cookie */
    char etag[HTTP_MAX_ETAG];             /* a non-empty value is sent as ETag ("v3", "haft-7") */
};
struct store;
/* Routes one request; a busy store becomes 503 with retry_after_s set, never 500. */
FN_MUST_CHECK fn_status http_answer_request(struct store *st, const struct http_request *req,
                                            struct http_answer *out);
/* http_answer_request without the Retry-After hint. */
FN_MUST_CHECK fn_status http_route(struct store *st, const struct http_request *req, int *status,
                                   const char **content_type, char **body, size_t *body_len);

#endif
