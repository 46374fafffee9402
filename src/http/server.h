/*
 * server.h – the HTTP server (libmicrohttpd): JSON API and the web UI.
 *
 * Thread pool with one epoll loop per thread; one store handle per worker
 * (a small pool). Limits: request bodies 1 MiB, per-connection memory
 * 64 KiB (headers), connection and per-IP limits, idle timeout. Responses
 * are queued on the second call of the access handler so keep-alive works
 * (stack.md § 1a). Authentication arrives with the access-control issue;
 * until then the server refuses non-loopback addresses unless allowed.
 */
#ifndef FN_HTTP_SERVER_H
#define FN_HTTP_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "assess/catalog.h"
#include "core/status.h"

struct http_config {
    const char *db_path;      /* database file */
    const char *listen;       /* "127.0.0.1:8080", "[::1]:8080"; port 0 = any free port */
    int allow_remote;         /* permit a non-loopback address */
    unsigned threads;         /* worker threads (default 4) */
    unsigned max_connections; /* default 1024 */
    unsigned per_ip_limit;    /* default 512 */
    unsigned timeout_s;       /* idle connection timeout, default 30 */
    const struct assess_catalog *catalog; /* borrowed; NULL: no assessment routes */
    unsigned reassess_interval_s;         /* background re-assessment, default 30 s */
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

/* Routes one request without the network (tests use it directly).
 * *body is allocated with fn_malloc (caller frees); *content_type is static. */
struct http_request {
    const char *method;
    const char *url;                      /* path without query */
    const char *query_authority;          /* ?authority= value or NULL */
    const char *query_after;              /* ?after= value or NULL */
    const char *query_limit;              /* ?limit= value or NULL */
    const char *purpose;                  /* X-Fallnetz-Zweck header or NULL */
    const struct assess_catalog *catalog; /* may be NULL: no assessment routes */
    const char *body;                     /* request body (POST) or NULL */
    size_t body_len;
};
struct store;
FN_MUST_CHECK fn_status http_route(struct store *st, const struct http_request *req, int *status,
                                   const char **content_type, char **body, size_t *body_len);

#endif
