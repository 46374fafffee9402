/* file.c – durable writes: temp file, fsync, rename, fsync directory. */
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"

fn_status fn_atomic_open(struct fn_atomic_file *f, const char *path)
{
    fn_status rc = FN_NOMEM;
    struct fn_buf tmp;
    fn_buf_init(&tmp, 4096);
    memset(f, 0, sizeof *f);
    f->path = fn_strdup(path);
    if (!f->path)
        goto out;
    rc = fn_buf_appendf(&tmp, "%s.tmp-%ld", path, (long)getpid());
    if (rc)
        goto out;
    rc = fn_buf_take(&tmp, &f->tmp_path);
    if (rc)
        goto out;
    f->fp = fopen(f->tmp_path, "wb");
    if (!f->fp) {
        rc = FN_IO;
        goto out;
    }
    rc = FN_OK;
out:
    fn_buf_free(&tmp);
    if (rc) {
        fn_free(f->path);
        fn_free(f->tmp_path);
        memset(f, 0, sizeof *f);
    }
    return rc;
}

static void fsync_parent_dir(const char *path)
{
    char *dir = fn_strdup(path);
    if (!dir)
        return;
    char *slash = strrchr(dir, '/');
    const char *d = ".";
    if (slash) {
        *slash = '\0';
        d = slash == dir ? "/" : dir;
    }
    int fd = open(d, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd); /* best effort: some file systems refuse directory fsync */
        close(fd);
    }
    fn_free(dir);
}

fn_status fn_atomic_commit(struct fn_atomic_file *f)
{
    fn_status rc = FN_IO;
    if (!f->fp)
        goto out;
    if (fflush(f->fp) != 0 || ferror(f->fp))
        goto out;
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
