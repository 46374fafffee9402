/*
 * file.h – durable file writes (Redis rdbSave pattern).
 *
 * Output is written to a new temporary file "<path>.tmp-<pid>-XXXXXX" (mode
 * 0600: outputs hold personal data), then flushed, fsynced, renamed over the
 * target and the directory fsynced. A reader therefore sees either the old
 * file or the complete new one, never a partial write.
 *
 * Targets that are not regular files are never replaced: an existing
 * character device or FIFO (/dev/null, /dev/stdout, a named pipe) is written
 * through, because renaming over it would destroy the device node for every
 * other program. A directory, a block device or a socket is refused
 * (FN_INVALID, errno EISDIR / ENOTSUP). A symbolic link to a regular file
 * replaces the file it points to, not the link.
 */
#ifndef FN_CORE_FILE_H
#define FN_CORE_FILE_H

#include <stdio.h>

#include "core/status.h"

struct fn_atomic_file {
    FILE *fp;          /* write here */
    char *path;        /* final name (owned) */
    char *tmp_path;    /* temporary name (owned); NULL when writing through */
    int write_through; /* target is a device or FIFO: written in place */
};

/* Creates the temporary file, or opens a device/FIFO target for writing
 * through. On success the caller must end with either fn_atomic_commit or
 * fn_atomic_abort. FN_INVALID for a target that may not be written (see
 * above), FN_IO when the folder cannot take the file. */
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
