/*
 * reconcile.h – reconciliation of the local register (Ausländerdatei A)
 * with the central register (AZR), shared/spec/register-exchange.md.
 *
 * One run: read both CSVs (unreadable rows go to rejected.csv, never lost),
 * compute linkage keys per record (in parallel), block by a union of keys,
 * compare each candidate pair once, estimate the Fellegi–Sunter model
 * without labels (u from seeded random pairs, m and p by EM), link one to
 * one by mutual best, compare linked pairs field by field and decide by
 * documented rules which side is likely right (docs/reconcile.md), and write
 * the output folder. The result does not depend on the number of threads.
 */
#ifndef FN_RECONCILE_RECONCILE_H
#define FN_RECONCILE_RECONCILE_H

#include <stdio.h>

#include "core/status.h"

struct rec_options {
    const char *local_path;   /* borrowed */
    const char *central_path; /* borrowed */
    const char *out_dir;      /* borrowed; NULL with explain_id: no output */
    const char *explain_id;   /* borrowed; local record_id to explain, or NULL */
    FILE *explain_out;        /* where the explanation goes (borrowed) */
    int threads;              /* >= 1 */
    int progress;             /* show progress lines on a terminal */
};

/* Runs a reconciliation. On FN_INVALID (e.g. a missing required column),
 * msg holds a German message naming the file and column. */
FN_MUST_CHECK fn_status rec_run(const struct rec_options *opt, char *msg, size_t msg_size);

#endif
