/*
 * backup.c – the SQLite backend's online backup (issue 12).
 *
 * sqlite3_backup copies the database page by page from a read snapshot:
 * under WAL, readers never block writers, so `fallnetz serve` keeps
 * answering while the copy runs. The whole copy is one step (-1): a copy in
 * several steps would restart each time another connection commits, and on
 * a busy server might never finish. The copy is then switched from WAL to a
 * rollback journal, so a backup is one self-contained file, and checked
 * with PRAGMA quick_check before the caller publishes it.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "store/store_int.h"

/* Runs a statement on the copy that returns one text row, into buf. */
static int backup_pragma_text(sqlite3 *db, const char *sql, char *buf, size_t cap)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        goto out;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        fn_utf8_copy(buf, cap, t ? (const char *)t : "");
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        buf[0] = '\0';
        rc = SQLITE_OK;
    }
out:
    sqlite3_finalize(s);
    return rc;
}

fn_status sqlite_backup_to(struct store *st, const char *dest_path, int64_t *bytes)
{
    sqlite3 *dest = NULL;
    sqlite3_backup *bk = NULL;
    fn_status rc = FN_DB;
    char check[128];
    *bytes = 0;
    st->errmsg[0] = '\0';
    int src = sqlite3_open_v2(dest_path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (src != SQLITE_OK)
        goto dest_error;
    /* No journal while copying: the copy is a temporary file that is only
     * published (fsync, rename) when it is complete and checked. */
    src = sqlite3_exec(dest, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;", NULL, NULL,
                       NULL);
    if (src != SQLITE_OK)
        goto dest_error;
    bk = sqlite3_backup_init(dest, "main", st->db, "main");
    if (!bk)
        goto dest_error;
    src = sqlite3_backup_step(bk, -1);
    int pages = sqlite3_backup_pagecount(bk);
    int fin = sqlite3_backup_finish(bk);
    bk = NULL;
    if (src != SQLITE_DONE) {
        rc = store_db_error(st, src);
        goto out;
    }
    if (fin != SQLITE_OK)
        goto dest_error;
    src = sqlite3_exec(dest, "PRAGMA journal_mode = DELETE;", NULL, NULL, NULL);
    if (src != SQLITE_OK)
        goto dest_error;
    src = backup_pragma_text(dest, "PRAGMA quick_check", check, sizeof check);
    if (src != SQLITE_OK)
        goto dest_error;
    if (strcmp(check, "ok") != 0) {
        fn_utf8_copy(st->errmsg, sizeof st->errmsg, check);
        rc = FN_CORRUPT;
        goto out;
    }
    int page_size = 0;
    char ps[32];
    if (backup_pragma_text(dest, "PRAGMA page_size", ps, sizeof ps) == SQLITE_OK)
        page_size = (int)strtol(ps, NULL, 10);
    *bytes = (int64_t)pages * page_size;
    rc = FN_OK;
    goto out;
dest_error:
    fn_utf8_copy(st->errmsg, sizeof st->errmsg, dest ? sqlite3_errmsg(dest) : "out of memory");
    rc = dest ? FN_IO : FN_NOMEM;
out:
    if (bk)
        sqlite3_backup_finish(bk);
    sqlite3_close(dest);
    return rc;
}
