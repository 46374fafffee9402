/*
 * file.h – durable file writes (Redis rdbSave pattern).
 *
 * Output is written to "<path>.tmp-<pid>", then flushed, fsynced, renamed over
 * the target and the directory fsynced. A reader therefore sees either the old
 * file or the complete new one, never a partial write.
 */
#ifndef FN_CORE_FILE_H
#define FN_CORE_FILE_H

#include <stdio.h>

#include "core/status.h"

struct fn_atomic_file {
    FILE *fp;       /* write here */
    char *path;     /* final name (owned) */
    char *tmp_path; /* temporary name (owned) */
};

/* Creates the temporary file. On success the caller must end with either
 * fn_atomic_commit or fn_atomic_abort. */
FN_MUST_CHECK fn_status fn_atomic_open(struct fn_atomic_file *f, const char *path);
/* Flushes, fsyncs, renames into place and fsyncs the directory. Frees the
 * handle's memory whatever the result; on failure the temporary is removed. */
FN_MUST_CHECK fn_status fn_atomic_commit(struct fn_atomic_file *f);
/* Discards the temporary file. Accepts a handle that was never opened
 * (zeroed) or already finished. */
void fn_atomic_abort(struct fn_atomic_file *f);

/* Writes a whole buffer to path durably (open + write + commit). */
FN_MUST_CHECK fn_status fn_write_file_atomic(const char *path, const void *data, size_t len);

/* Creates a directory and missing parents (mode 0750); an existing directory
 * is fine. */
FN_MUST_CHECK fn_status fn_mkdir_p(const char *path);

/* Reads a whole file (at most max bytes) into a NUL-terminated buffer that
 * the caller frees. FN_TOO_LARGE past max. */
FN_MUST_CHECK fn_status fn_read_file(const char *path, size_t max, char **out, size_t *len);

#endif
