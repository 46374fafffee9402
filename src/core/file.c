/* file.c – durable writes: temp file, fsync, rename, fsync directory. */
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"

/* What kind of target an output path names. */
enum target_kind { TARGET_NEW, TARGET_REGULAR, TARGET_THROUGH, TARGET_REFUSED };

/* Classifies path; for a symbolic link to a regular file, *resolved receives
 * the link's target (caller frees), so the file is replaced, not the link. */
static enum target_kind classify_target(const char *path, char **resolved)
{
    struct stat st;
    *resolved = NULL;
    if (stat(path, &st) != 0)
        return TARGET_NEW; /* missing, or a dangling link: created at path */
    if (S_ISREG(st.st_mode)) {
        struct stat lst;
        if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
            char *real = realpath(path, NULL);
            if (real) {
                *resolved = fn_strdup(real);
                free(real); /* realpath allocates with malloc */
            }
        }
        return TARGET_REGULAR;
    }
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
        return TARGET_THROUGH;
    errno = S_ISDIR(st.st_mode) ? EISDIR : ENOTSUP;
    return TARGET_REFUSED;
}

fn_status fn_atomic_open(struct fn_atomic_file *f, const char *path)
{
    fn_status rc = FN_NOMEM;
    struct fn_buf tmp;
    char *resolved = NULL;
    int fd = -1;
    fn_buf_init(&tmp, 4096);
    memset(f, 0, sizeof *f);
    enum target_kind kind = classify_target(path, &resolved);
    if (kind == TARGET_REFUSED) {
        rc = FN_INVALID;
        goto out;
    }
    f->path = fn_strdup(resolved ? resolved : path);
    if (!f->path)
        goto out;
    if (kind == TARGET_THROUGH) {
        /* written in place; fopen's O_TRUNC means nothing to a device or FIFO */
        f->fp = fopen(f->path, "wb");
        if (!f->fp) {
            rc = FN_IO;
            goto out;
        }
        f->write_through = 1;
        rc = FN_OK;
        goto out;
    }
    rc = fn_buf_appendf(&tmp, "%s.tmp-%ld-XXXXXX", f->path, (long)getpid());
    if (rc)
        goto out;
    rc = fn_buf_take(&tmp, &f->tmp_path);
    if (rc)
        goto out;
    /* mkstemp: O_EXCL with a fresh name, so a planted link is never followed */
    fd = mkstemp(f->tmp_path);
    if (fd < 0) {
        fn_free(f->tmp_path);
        f->tmp_path = NULL; /* nothing was created */
        rc = FN_IO;
        goto out;
    }
    struct stat old;
    if (kind == TARGET_REGULAR && stat(f->path, &old) == 0)
        (void)fchmod(fd, old.st_mode & 07777); /* keep the mode the file had */
    f->fp = fdopen(fd, "wb");
    if (!f->fp) {
        rc = FN_IO;
        goto out;
    }
    fd = -1;
    rc = FN_OK;
out:
    fn_buf_free(&tmp);
    fn_free(resolved);
    if (rc) {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        if (f->tmp_path)
            unlink(f->tmp_path);
        fn_free(f->path);
        fn_free(f->tmp_path);
        memset(f, 0, sizeof *f);
        errno = saved;
    }
    return rc;
}

/* fsyncs the folder that holds path, so the rename itself is durable. No
 * allocation (a stack copy of the folder name), so it is not skipped for
 * lack of memory; best effort for a folder name longer than PATH_MAX. */
static void fsync_parent_dir(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *d = ".";
    if (slash) {
        size_t n = (size_t)(slash - path);
        if (n >= sizeof dir)
            return;
        memcpy(dir, path, n);
        dir[n] = '\0';
        d = n == 0 ? "/" : dir;
    }
    int fd = open(d, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd); /* best effort: some file systems refuse directory fsync */
        close(fd);
    }
}

fn_status fn_atomic_commit(struct fn_atomic_file *f)
{
    fn_status rc = FN_IO;
    if (!f->fp)
        goto out;
    if (fflush(f->fp) != 0 || ferror(f->fp))
        goto out;
    if (f->write_through) {
        /* a device or FIFO cannot be fsynced (EINVAL) and is never renamed */
        int close_failed = fclose(f->fp) != 0;
        f->fp = NULL;
        if (close_failed)
            goto out;
        rc = FN_OK;
        goto out;
    }
    if (fsync(fileno(f->fp)) != 0)
        goto out;
    int close_failed = fclose(f->fp) != 0;
    f->fp = NULL;
    if (close_failed)
        goto out;
    if (rename(f->tmp_path, f->path) != 0)
        goto out;
    fsync_parent_dir(f->path);
    rc = FN_OK;
out:
    if (rc) {
        int saved = errno;
        fn_atomic_abort(f);
        errno = saved;
        return rc;
    }
    fn_free(f->path);
    fn_free(f->tmp_path);
    memset(f, 0, sizeof *f);
    return rc;
}

void fn_atomic_abort(struct fn_atomic_file *f)
{
    if (!f)
        return;
    if (f->fp)
        fclose(f->fp);
    if (f->tmp_path)
        unlink(f->tmp_path);
    fn_free(f->path);
    fn_free(f->tmp_path);
    memset(f, 0, sizeof *f);
}

fn_status fn_write_file_atomic(const char *path, const void *data, size_t len)
{
    struct fn_atomic_file f;
    fn_status rc = fn_atomic_open(&f, path);
    if (rc)
        return rc;
    if (len && fwrite(data, 1, len, f.fp) != len) {
        fn_atomic_abort(&f);
        return FN_IO;
    }
    return fn_atomic_commit(&f);
}

fn_status fn_mkdir_p(const char *path)
{
    fn_status rc = FN_NOMEM;
    char *p = fn_strdup(path);
    if (!p)
        goto out;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0750) != 0 && errno != EEXIST) {
            rc = FN_IO;
            goto out;
        }
        *s = '/';
    }
    if (mkdir(p, 0750) != 0 && errno != EEXIST) {
        rc = FN_IO;
        goto out;
    }
    struct stat st;
    rc = (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) ? FN_OK : FN_IO;
out:
    fn_free(p);
    return rc;
}

fn_status fn_read_file(const char *path, size_t max, char **out, size_t *len)
{
    fn_status rc = FN_IO;
    struct fn_buf b;
    fn_buf_init(&b, max);
    *out = NULL;
    *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        rc = errno == ENOENT ? FN_NOTFOUND : FN_IO;
        goto out;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        rc = fn_buf_append(&b, chunk, n);
        if (rc)
            goto out;
    }
    if (ferror(fp)) {
        rc = FN_IO;
        goto out;
    }
    *len = b.len;
    rc = fn_buf_take(&b, out);
out:
    if (fp)
        fclose(fp);
    fn_buf_free(&b);
    return rc;
}
