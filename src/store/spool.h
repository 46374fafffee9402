/*
 * spool.h – the read spool (spool.c) over any backend: audit rows of reads
 * go to a per-process spool file with one write(2) and are chained into
 * the trail by a background thread. It reaches the backend only through
 * the handle's struct store_head (backend.h) and the vtable.
 *
 * Where the spool files lie (audit_spool_place): beside a database file
 * ("<db>-auditspool-…"); for a database named by a URL (postgresql://…)
 * in FALLNETZ_SPOOL_DIR, else $XDG_STATE_HOME/fallnetz/auditspool, else
 * ~/.local/state/fallnetz/auditspool, as "pg-<hash>-auditspool-…" with
 * <hash> over the connection target without its password, so every
 * process of the same user that opens the database recovers the spools of
 * one that died (docs/audit.md).
 */
#ifndef FN_STORE_SPOOL_H
#define FN_STORE_SPOOL_H

#include <stddef.h>

#include "core/status.h"
#include "store/chain.h"
#include "store/store.h"

/* store_open flag for the spool's own connection: no spool attached. */
#define STORE_OPEN_NO_SPOOL 0x100u

/* Appends an audit row for a read: written to this process's spool file
 * before returning, chained by the drainer. Inside a transaction, or
 * without a spool, the row is chained at once (audit_append_in_tx). */
FN_MUST_CHECK fn_status audit_append_read(struct store *st, const struct audit_entry *e);

/* Attaches st to the process-wide queue of database db (the name store_open
 * got), creating it on first use: spool file, recovery of dead processes'
 * spools, drainer thread. audit_queue_detach undoes it; the last handle of
 * the queue chains what is left. */
FN_MUST_CHECK fn_status audit_queue_attach(struct store *st, const char *db);
void audit_queue_detach(struct store *st);

/* Chains st's spooled rows now (store_audit_flush); nothing inside a
 * transaction or read snapshot of st, where a rollback could lose rows
 * whose spool file is gone. */
FN_MUST_CHECK fn_status audit_spool_flush(struct store *st);

/* The folder (dir, at most dir_max bytes with NUL) and the name stem (the
 * spool files are "<dir>/<stem>-auditspool-<pid>-<queue>-<n>") of database
 * db. FN_TOO_LARGE when either does not fit; FN_NOTFOUND for a URL when no
 * folder is configured and HOME is unset. */
FN_MUST_CHECK fn_status audit_spool_place(const char *db, char *dir, size_t dir_max, char *stem,
                                          size_t stem_max);

/* Tests only: stops (1) or resumes (0) the background chaining of spools. */
void audit_test_pause_drainer(int paused);

#endif
