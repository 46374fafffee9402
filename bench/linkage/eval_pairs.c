/*
 * eval_pairs.c – match F1 and difference F1 of a `fallnetz reconcile`
 * output folder against the truth written by fallnetz-gen-pairs (the C
 * twin of evaluate.py, so tests need no Python).
 *
 *   fallnetz-eval-pairs TRUTH_DIR OUT_DIR [--min-match F] [--min-diff F] [-v]
 *
 * A match is a (local_id, azr_id) pair (truth_matches.csv vs matches.csv),
 * a difference a (local_id, azr_id, field) triple (truth_diffs.csv vs
 * diffs.csv); both are compared as sets. Prints precision, recall and F1 of
 * both as JSON, byte for byte what evaluate.py prints (-v adds up to 20
 * missed and extra items of each kind and the difference counts per field).
 * Exit status: 0, 1 when an F1 (rounded to five places, as printed) is below
 * its minimum, 2 on bad arguments or unreadable files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/utf8.h"

#define MAX_ITEMS (200u * 1000u * 1000u)
#define SEP       '\x01' /* joins the key parts; sorts before any printable character */
#define LIST_MAX  20

struct set {
    char **items; /* owned, sorted and unique after set_finish */
    size_t n, cap;
};

static void set_free(struct set *s)
{
    for (size_t k = 0; k < s->n; k++)
        fn_free(s->items[k]);
    fn_free(s->items);
    s->items = NULL;
    s->n = s->cap = 0;
}

/* Takes ownership of item (freed on failure too). */
static fn_status set_add(struct set *s, char *item)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        if (cap > MAX_ITEMS) {
            fn_free(item);
            return FN_TOO_LARGE;
        }
        char **p = fn_reallocarray(s->items, cap, sizeof *p);
        if (!p) {
            fn_free(item);
            return FN_NOMEM;
        }
        s->items = p;
        s->cap = cap;
    }
    s->items[s->n++] = item;
    return FN_OK;
}

static int cmp_item(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void set_finish(struct set *s)
{
    if (!s->n)
        return;
    qsort(s->items, s->n, sizeof *s->items, cmp_item);
    size_t u = 1;
    for (size_t k = 1; k < s->n; k++) {
        if (!strcmp(s->items[u - 1], s->items[k])) {
            fn_free(s->items[k]);
            continue;
        }
        s->items[u++] = s->items[k];
    }
    s->n = u;
}

/* Reads the columns cols[0..ncols) of dir/name into s as joined keys.
 * Prints a German message and returns non-zero on failure. */
static fn_status read_set(const char *dir, const char *name, const char *const *cols, int ncols,
                          struct set *s)
{
    char path[4096];
    struct fn_csv_reader *r = NULL;
    struct fn_csv_row row;
    struct fn_buf key;
    int idx[3];
    fn_status rc;

    fn_buf_init(&key, FN_BUF_LINE);
    int len = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (len < 0 || (size_t)len >= sizeof path) {
        rc = FN_TOO_LARGE;
        fprintf(stderr, "fallnetz-eval-pairs: Pfad zu lang: %s\n", dir);
        goto out;
    }
    rc = fn_csv_open(path, &r);
    if (rc) {
        fprintf(stderr, "fallnetz-eval-pairs: %s: %s\n", path, strerror(errno));
        goto out;
    }
    rc = fn_csv_next(r, &row);
    if (rc) {
        fprintf(stderr, "fallnetz-eval-pairs: %s: keine Kopfzeile\n", path);
        rc = FN_INVALID;
        goto out;
    }
    for (int c = 0; c < ncols; c++) {
        idx[c] = fn_csv_find_column(&row, cols[c]);
        if (idx[c] < 0) {
            fprintf(stderr, "fallnetz-eval-pairs: %s: Spalte \"%s\" fehlt\n", path, cols[c]);
            rc = FN_INVALID;
            goto out;
        }
    }
    for (;;) {
        rc = fn_csv_next(r, &row);
        if (rc == FN_NOTFOUND) {
            rc = FN_OK;
            break;
        }
        if (rc) {
            fprintf(stderr, "fallnetz-eval-pairs: %s, Zeile %ld: %s\n", path, row.line,
                    rc == FN_INVALID || rc == FN_TOO_LARGE ? fn_csv_error(r) : fn_status_str(rc));
            goto out;
        }
        fn_buf_reset(&key);
        for (int c = 0; c < ncols; c++) {
            if ((size_t)idx[c] >= row.nfields) {
                fprintf(stderr, "fallnetz-eval-pairs: %s, Zeile %ld: zu wenige Spalten\n", path,
                        row.line);
                rc = FN_INVALID;
                goto out;
            }
            if (c)
                rc = fn_buf_append_char(&key, SEP);
            if (!rc)
                rc = fn_buf_append(&key, row.fields[idx[c]], row.lens[idx[c]]);
            if (rc)
                goto nomem;
        }
        char *item = fn_strdup(fn_buf_str(&key));
        if (!item) {
            rc = FN_NOMEM;
            goto nomem;
        }
        rc = set_add(s, item);
        if (rc)
            goto nomem;
    }
    set_finish(s);
    goto out;
nomem:
    fprintf(stderr, "fallnetz-eval-pairs: %s: %s\n", path, fn_status_str(rc));
out:
    fn_csv_close(r);
    fn_buf_free(&key);
    return rc;
}

struct prf {
    double p, r, f1;
    size_t truth, found, tp;
};

/* Python's round(x, 5) as repr() prints it. */
static void fmt5(double x, char out[32])
{
    snprintf(out, 32, "%.5f", x);
    double v = strtod(out, NULL);
    if (v > 0 && v < 1e-4) { /* repr switches to exponent form: 5e-05 */
        snprintf(out, 32, "%de-05", (int)(v * 1e5 + 0.5));
        return;
    }
    size_t n = strlen(out);
    while (n > 2 && out[n - 1] == '0' && out[n - 2] != '.')
        out[--n] = 0;
}

static double rounded(double x)
{
    char s[32];
    snprintf(s, sizeof s, "%.5f", x);
    return strtod(s, NULL);
}

static void compare(const struct set *truth, const struct set *found, struct prf *o)
{
    size_t i = 0, j = 0, tp = 0;
    while (i < truth->n && j < found->n) {
        int c = strcmp(truth->items[i], found->items[j]);
        if (!c)
            tp++;
        i += c <= 0;
        j += c >= 0;
    }
    o->truth = truth->n;
    o->found = found->n;
    o->tp = tp;
    o->p = found->n ? (double)tp / (double)found->n : 1.0;
    o->r = truth->n ? (double)tp / (double)truth->n : 1.0;
    o->f1 = o->p + o->r > 0 ? 2 * o->p * o->r / (o->p + o->r) : 0.0;
}

static void print_prf(const char *name, const struct prf *o, int last)
{
    char p[32], r[32], f[32];
    fmt5(o->p, p);
    fmt5(o->r, r);
    fmt5(o->f1, f);
    printf(" \"%s\": {\n  \"precision\": %s,\n  \"recall\": %s,\n  \"f1\": %s,\n"
           "  \"truth\": %zu,\n  \"found\": %zu,\n  \"true_positive\": %zu\n }%s\n",
           name, p, r, f, o->truth, o->found, o->tp, last ? "" : ",");
}

/* A JSON string as Python's json.dumps writes it (ensure_ascii). */
static void print_json_str(const char *s, size_t len)
{
    putchar('"');
    size_t k = 0;
    while (k < len) {
        unsigned char c = (unsigned char)s[k];
        uint32_t cp = c;
        size_t n = 1;
        if (c >= 0x80) {
            n = fn_utf8_decode(s + k, len - k, &cp);
            if (!n) {
                n = 1;
                cp = 0xFFFD;
            }
        }
        k += n;
        if (cp == '"' || cp == '\\')
            printf("\\%c", (char)cp);
        else if (cp == '\n')
            fputs("\\n", stdout);
        else if (cp == '\r')
            fputs("\\r", stdout);
        else if (cp == '\t')
            fputs("\\t", stdout);
        else if (cp < 0x20 || (cp >= 0x80 && cp < 0x10000))
            printf("\\u%04x", (unsigned)cp);
        else if (cp >= 0x10000)
            printf("\\u%04x\\u%04x", (unsigned)(0xD800 + ((cp - 0x10000) >> 10)),
                   (unsigned)(0xDC00 + ((cp - 0x10000) & 0x3FF)));
        else
            putchar((int)cp);
    }
    putchar('"');
}

/* Prints up to LIST_MAX items of a that are not in b, as Python's indent=1 lists. */
static void print_missing(const char *name, const struct set *a, const struct set *b, int last)
{
    size_t i = 0, j = 0, shown = 0;
    printf(" \"%s\": [", name);
    while (i < a->n && shown < LIST_MAX) {
        int c = j < b->n ? strcmp(a->items[i], b->items[j]) : -1;
        if (c > 0) {
            j++;
            continue;
        }
        if (c < 0) {
            printf("%s\n  [", shown ? "," : "");
            const char *p = a->items[i];
            int part = 0;
            for (;;) {
                const char *e = strchr(p, SEP);
                size_t len = e ? (size_t)(e - p) : strlen(p);
                printf("%s\n   ", part++ ? "," : "");
                print_json_str(p, len);
                if (!e)
                    break;
                p = e + 1;
            }
            printf("\n  ]");
            shown++;
        } else {
            j++;
        }
        i++;
    }
    printf("%s]%s\n", shown ? "\n " : "", last ? "" : ",");
}

static const char *field_of(const char *item)
{
    const char *e = strrchr(item, SEP);
    return e ? e + 1 : item;
}

/* Per field: truth, found, true positives (-v). */
static fn_status print_by_field(const struct set *truth, const struct set *found)
{
    struct row {
        char *field;
        size_t truth, found, tp;
    } *rows = NULL;
    size_t nrows = 0;
    fn_status rc = FN_OK;
    const struct set *sets[2] = {truth, found};
    size_t i = 0, j = 0;

    for (int s = 0; s < 2; s++) {
        for (size_t k = 0; k < sets[s]->n; k++) {
            const char *f = field_of(sets[s]->items[k]);
            size_t r = 0;
            while (r < nrows && strcmp(rows[r].field, f))
                r++;
            if (r == nrows) {
                if (nrows == 64)
                    continue; /* more fields than the format has: not shown */
                struct row *p = fn_reallocarray(rows, nrows + 1, sizeof *rows);
                if (!p) {
                    rc = FN_NOMEM;
                    goto out;
                }
                rows = p;
                rows[nrows].field = fn_strdup(f);
                if (!rows[nrows].field) {
                    rc = FN_NOMEM;
                    goto out;
                }
                rows[nrows].truth = rows[nrows].found = rows[nrows].tp = 0;
                nrows++;
            }
            if (s)
                rows[r].found++;
            else
                rows[r].truth++;
        }
    }
    while (i < truth->n && j < found->n) {
        int c = strcmp(truth->items[i], found->items[j]);
        if (!c) {
            const char *f = field_of(truth->items[i]);
            for (size_t r = 0; r < nrows; r++)
                if (!strcmp(rows[r].field, f))
                    rows[r].tp++;
        }
        i += c <= 0;
        j += c >= 0;
    }
    /* sorted by field name, as Python's sorted() */
    for (size_t a = 1; a < nrows; a++)
        for (size_t b = a; b > 0 && strcmp(rows[b - 1].field, rows[b].field) > 0; b--) {
            struct row t = rows[b];
            rows[b] = rows[b - 1];
            rows[b - 1] = t;
        }
    printf(" \"by_field\": {");
    for (size_t r = 0; r < nrows; r++) {
        printf("%s\n  ", r ? "," : "");
        print_json_str(rows[r].field, strlen(rows[r].field));
        printf(": {\n   \"truth\": %zu,\n   \"found\": %zu,\n   \"true_positive\": %zu\n  }",
               rows[r].truth, rows[r].found, rows[r].tp);
    }
    printf("%s}\n", nrows ? "\n " : "");
out:
    for (size_t r = 0; r < nrows; r++)
        fn_free(rows[r].field);
    fn_free(rows);
    return rc;
}

static int parse_fraction(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 0.0 && v <= 1.0))
        return 0;
    *out = v;
    return 1;
}

static void usage(FILE *fp)
{
    fprintf(fp,
            "Aufruf: fallnetz-eval-pairs WAHRHEIT_ORDNER ERGEBNIS_ORDNER [--min-match F]\n"
            "                           [--min-diff F] [-v]\n"
            "\n"
            "Vergleicht das Ergebnis von „fallnetz reconcile“ (matches.csv, diffs.csv) mit\n"
            "der Wahrheit von fallnetz-gen-pairs (truth_matches.csv, truth_diffs.csv) und\n"
            "gibt Präzision, Trefferquote und F1 für Zuordnungen und Abweichungen als JSON\n"
            "aus.\n"
            "\n"
            "  --min-match F   Mindestwert für das Zuordnungs-F1 (0–1)\n"
            "  --min-diff F    Mindestwert für das Abweichungs-F1 (0–1)\n"
            "  -v              bis zu 20 fehlende und überzählige Einträge, Zählung je Feld\n"
            "\n"
            "Rückgabe: 0 erfüllt, 1 ein F1 unter dem Mindestwert, 2 Aufruf- oder Lesefehler.\n");
}

int main(int argc, char **argv)
{
    const char *dirs[2] = {NULL, NULL};
    double min_match = 0.0, min_diff = 0.0;
    int ndirs = 0, verbose = 0, ret = 2;
    struct set tm = {0}, fm = {0}, td = {0}, fd = {0};
    static const char *const mcols[] = {"local_id", "azr_id"};
    static const char *const dcols[] = {"local_id", "azr_id", "field"};

    for (int k = 1; k < argc; k++) {
        const char *a = argv[k];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            ret = 0;
            goto out;
        }
        if (!strcmp(a, "-v")) {
            verbose = 1;
            continue;
        }
        if (!strcmp(a, "--min-match") || !strcmp(a, "--min-diff")) {
            double *dst = a[6] == 'm' ? &min_match : &min_diff;
            if (k + 1 >= argc || !parse_fraction(argv[k + 1], dst)) {
                fprintf(stderr, "fallnetz-eval-pairs: %s braucht eine Zahl zwischen 0 und 1\n", a);
                goto out;
            }
            k++;
            continue;
        }
        if (a[0] == '-' || ndirs == 2) {
            fprintf(stderr, "fallnetz-eval-pairs: unbekanntes Argument %s (--help)\n", a);
            goto out;
        }
        dirs[ndirs++] = a;
    }
    if (ndirs != 2) {
        usage(stderr);
        goto out;
    }
    if (read_set(dirs[0], "truth_matches.csv", mcols, 2, &tm) ||
        read_set(dirs[1], "matches.csv", mcols, 2, &fm) ||
        read_set(dirs[0], "truth_diffs.csv", dcols, 3, &td) ||
        read_set(dirs[1], "diffs.csv", dcols, 3, &fd))
        goto out;

    struct prf m, d;
    compare(&tm, &fm, &m);
    compare(&td, &fd, &d);
    printf("{\n");
    print_prf("match", &m, 0);
    print_prf("difference", &d, !verbose);
    if (verbose) {
        print_missing("missed_diffs", &td, &fd, 0);
        print_missing("extra_diffs", &fd, &td, 0);
        print_missing("missed_matches", &tm, &fm, 0);
        print_missing("extra_matches", &fm, &tm, 0);
        if (print_by_field(&td, &fd)) {
            fprintf(stderr, "fallnetz-eval-pairs: %s\n", fn_status_str(FN_NOMEM));
            goto out;
        }
    }
    printf("}\n");
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "fallnetz-eval-pairs: Ausgabe: %s\n", strerror(errno));
        goto out;
    }
    ret = 0;
    if (rounded(m.f1) < min_match) {
        fprintf(stderr, "fallnetz-eval-pairs: Zuordnungs-F1 %.5f liegt unter %.5f\n", m.f1,
                min_match);
        ret = 1;
    }
    if (rounded(d.f1) < min_diff) {
        fprintf(stderr, "fallnetz-eval-pairs: Abweichungs-F1 %.5f liegt unter %.5f\n", d.f1,
                min_diff);
        ret = 1;
    }
out:
    set_free(&tm);
    set_free(&fm);
    set_free(&td);
    set_free(&fd);
    return ret;
}
