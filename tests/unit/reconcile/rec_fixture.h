/*
 * rec_fixture.h – helpers for the reconciliation tests: a temporary folder
 * with the two register files, register rows built from named fields, a
 * deterministic generator of register pairs, rec_run with a message buffer,
 * and readers for the output folder (CSV tables via the core reader,
 * summary.json via jansson).
 */
#ifndef FN_TEST_REC_FIXTURE_H
#define FN_TEST_REC_FIXTURE_H

#include "../test_util.h"

#include <dirent.h>
#include <jansson.h>
#include <sys/stat.h>

#include "core/csv.h"
#include "reconcile/reconcile.h"

/* ---- the folder ---- */

struct rec_fx {
    char dir[128];
    char local[192]; /* dir/local.csv */
    char azr[192];   /* dir/azr.csv */
    char out[192];   /* dir/out */
    char msg[512];   /* rec_run's message */
};

static inline void fx_init(struct rec_fx *fx)
{
    memset(fx, 0, sizeof *fx);
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp || strlen(tmp) > 60)
        tmp = "/tmp";
    snprintf(fx->dir, sizeof fx->dir, "%s/fallnetz-rec-XXXXXX", tmp);
    if (!mkdtemp(fx->dir))
        fail_msg("mkdtemp %s failed", fx->dir);
    snprintf(fx->local, sizeof fx->local, "%s/local.csv", fx->dir);
    snprintf(fx->azr, sizeof fx->azr, "%s/azr.csv", fx->dir);
    snprintf(fx->out, sizeof fx->out, "%s/out", fx->dir);
}

/* Removes the registers and the output folder: a fresh start in the same
 * temporary folder. */
static inline void fx_reset(struct rec_fx *fx)
{
    unlink(fx->local);
    unlink(fx->azr);
    test_rmtree(fx->out);
    fx->msg[0] = 0;
}

/* cmocka setup and teardown: the folder is removed even when a test fails. */
static inline int fx_setup(void **state)
{
    struct rec_fx *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    fx_init(fx);
    *state = fx;
    return 0;
}

static inline int fx_teardown(void **state)
{
    struct rec_fx *fx = *state;
    if (fx) {
        if (!getenv("FN_TEST_KEEP")) /* FN_TEST_KEEP=1 keeps the folder for a look */
            test_rmtree(fx->dir);
        free(fx);
    }
    return 0;
}

#define rec_test(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)

/* rec_run on the folder's two files into out (NULL: no output folder). */
static inline fn_status fx_run_to(struct rec_fx *fx, const char *out, int threads)
{
    struct rec_options o = {
        .local_path = fx->local, .central_path = fx->azr, .out_dir = out, .threads = threads};
    fx->msg[0] = 0;
    return rec_run(&o, fx->msg, sizeof fx->msg);
}

/* rec_run into fx->out; fails the test unless it returns FN_OK. */
static inline void fx_run_ok(struct rec_fx *fx, int threads)
{
    fn_status rc = fx_run_to(fx, fx->out, threads);
    if (rc != FN_OK)
        fail_msg("rec_run: %s (%s)", fn_status_str(rc), fx->msg);
}

static inline void fx_path(const struct rec_fx *fx, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", fx->out, name);
}

/* ---- register rows ---- */

/* One register row by spec column (NULL = empty). */
struct person {
    const char *record_id, *azr_nr, *family_name, *given_names, *birth_name, *sex, *birth_date,
        *birth_place, *birth_country, *nationality, *residence_status, *residence_since,
        *identity_status, *address_street, *address_postcode, *address_municipality, *authority,
        *updated_at, *aliases;
};

#define SPEC_COLUMNS 19
static const char *const spec_header[SPEC_COLUMNS] = {"record_id",        "azr_nr",
                                                      "family_name",      "given_names",
                                                      "birth_name",       "sex",
                                                      "birth_date",       "birth_place",
                                                      "birth_country",    "nationality",
                                                      "residence_status", "residence_since",
                                                      "identity_status",  "address_street",
                                                      "address_postcode", "address_municipality",
                                                      "authority",        "updated_at",
                                                      "aliases"};

static inline void person_fields(const struct person *p, const char *out[SPEC_COLUMNS])
{
    const char *v[SPEC_COLUMNS] = {p->record_id,        p->azr_nr,
                                   p->family_name,      p->given_names,
                                   p->birth_name,       p->sex,
                                   p->birth_date,       p->birth_place,
                                   p->birth_country,    p->nationality,
                                   p->residence_status, p->residence_since,
                                   p->identity_status,  p->address_street,
                                   p->address_postcode, p->address_municipality,
                                   p->authority,        p->updated_at,
                                   p->aliases};
    for (int c = 0; c < SPEC_COLUMNS; c++)
        out[c] = v[c] ? v[c] : "";
}

#define REG_CRLF 0x1u /* CRLF line endings */
#define REG_BOM  0x2u /* UTF-8 byte order mark */

/* Writes one CSV field (quoted when needed). */
static inline void put_field(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static inline void put_row(FILE *fp, const char *const *f, size_t n, unsigned flags)
{
    for (size_t c = 0; c < n; c++) {
        if (c)
            fputc(',', fp);
        put_field(fp, f[c]);
    }
    fputs(flags & REG_CRLF ? "\r\n" : "\n", fp);
}

/* Opens path and writes the spec header. */
static inline FILE *register_open(const char *path, unsigned flags)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    if (flags & REG_BOM)
        fputs("\xEF\xBB\xBF", fp);
    put_row(fp, spec_header, SPEC_COLUMNS, flags);
    return fp;
}

static inline void register_put(FILE *fp, const struct person *p, unsigned flags)
{
    const char *f[SPEC_COLUMNS];
    person_fields(p, f);
    put_row(fp, f, SPEC_COLUMNS, flags);
}

static inline void register_close(FILE *fp)
{
    assert_false(ferror(fp));
    assert_int_equal(fclose(fp), 0);
}

/* Writes a whole register file: header and n persons. */
static inline void write_register(const char *path, const struct person *p, size_t n,
                                  unsigned flags)
{
    FILE *fp = register_open(path, flags);
    for (size_t i = 0; i < n; i++)
        register_put(fp, &p[i], flags);
    register_close(fp);
}

/* ---- reading the output ---- */

/* Whole file as a NUL-terminated string (caller frees); NULL if missing. */
static inline char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        if (cap - n < 4096) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t k = fread(buf + n, 1, cap - n - 1, fp);
        n += k;
        if (k == 0)
            break;
    }
    assert_false(ferror(fp));
    fclose(fp);
    buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

static inline int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* A CSV file read back: the header and every row as owned strings. */
struct table {
    size_t ncols, nrows;
    char **head;  /* ncols */
    char ***rows; /* nrows arrays of ncols */
};

static inline void table_free(struct table *t)
{
    for (size_t c = 0; c < t->ncols; c++)
        free(t->head[c]);
    free(t->head);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++)
            free(t->rows[r][c]);
        free(t->rows[r]);
    }
    free(t->rows);
    memset(t, 0, sizeof *t);
}

static inline char **copy_row(const struct fn_csv_row *row)
{
    char **v = calloc(row->nfields, sizeof *v);
    assert_non_null(v);
    for (size_t c = 0; c < row->nfields; c++) {
        v[c] = strndup(row->fields[c], row->lens[c]);
        assert_non_null(v[c]);
    }
    return v;
}

/* Reads fx->out/name; every row must have the header's column count. */
static inline void table_load(const struct rec_fx *fx, const char *name, struct table *t)
{
    char path[256];
    fx_path(fx, name, path, sizeof path);
    memset(t, 0, sizeof *t);
    struct fn_csv_reader *r = NULL;
    if (fn_csv_open(path, &r) != FN_OK)
        fail_msg("cannot open %s", path);
    struct fn_csv_row row;
    if (fn_csv_next(r, &row) != FN_OK)
        fail_msg("%s: no header row", path);
    t->ncols = row.nfields;
    t->head = copy_row(&row);
    size_t cap = 0;
    for (;;) {
        fn_status rc = fn_csv_next(r, &row);
        if (rc == FN_NOTFOUND)
            break;
        if (rc != FN_OK)
            fail_msg("%s line %ld: %s", path, row.line, fn_csv_error(r));
        if (row.nfields != t->ncols)
            fail_msg("%s line %ld: %zu fields, header has %zu", path, row.line, row.nfields,
                     t->ncols);
        if (t->nrows == cap) {
            cap = cap ? cap * 2 : 64;
            t->rows = realloc(t->rows, cap * sizeof *t->rows);
            assert_non_null(t->rows);
        }
        t->rows[t->nrows++] = copy_row(&row);
    }
    fn_csv_close(r);
}

static inline int table_col(const struct table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (!strcmp(t->head[c], name))
            return (int)c;
    fail_msg("no column %s", name);
    return -1;
}

static inline const char *cell(const struct table *t, long r, const char *col)
{
    assert_true(r >= 0 && (size_t)r < t->nrows);
    return t->rows[r][table_col(t, col)];
}

/* Index of the first row at or after `from` whose columns equal the given
 * (column, value) pairs (NULL-terminated list), or -1. */
static inline long table_find_from(const struct table *t, size_t from, ...)
{
    for (size_t r = from; r < t->nrows; r++) {
        va_list ap;
        va_start(ap, from);
        int ok = 1;
        for (;;) {
            const char *col = va_arg(ap, const char *);
            if (!col)
                break;
            const char *val = va_arg(ap, const char *);
            if (ok && strcmp(t->rows[r][table_col(t, col)], val) != 0)
                ok = 0;
        }
        va_end(ap);
        if (ok)
            return (long)r;
    }
    return -1;
}
#define table_find(t, ...) table_find_from((t), 0, __VA_ARGS__, (const char *)NULL)

/* Number of rows where column col equals val. */
static inline size_t table_count(const struct table *t, const char *col, const char *val)
{
    int c = table_col(t, col);
    size_t n = 0;
    for (size_t r = 0; r < t->nrows; r++)
        n += !strcmp(t->rows[r][c], val);
    return n;
}

/* The header as "a,b,c" for comparison with the documented columns. */
static inline void table_header(const struct table *t, char *buf, size_t size)
{
    buf[0] = 0;
    size_t n = 0;
    for (size_t c = 0; c < t->ncols && n < size; c++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", c ? "," : "", t->head[c]);
}

/* summary.json of the output folder (caller json_decref). */
static inline json_t *summary_load(const struct rec_fx *fx)
{
    char path[256];
    fx_path(fx, "summary.json", path, sizeof path);
    json_error_t err;
    json_t *j = json_load_file(path, 0, &err);
    if (!j)
        fail_msg("%s: %s (line %d)", path, err.text, err.line);
    return j;
}

/* Integer at object path a.b; fails the test when missing. */
static inline long long sj_int(const json_t *j, const char *a, const char *b)
{
    const json_t *o = json_object_get(j, a);
    const json_t *v = o ? json_object_get(o, b) : NULL;
    if (!json_is_integer(v))
        fail_msg("summary.json: no integer %s.%s", a, b);
    return (long long)json_integer_value(v);
}

static inline double sj_real(const json_t *j, const char *a, const char *b)
{
    const json_t *o = json_object_get(j, a);
    const json_t *v = o ? json_object_get(o, b) : NULL;
    if (!json_is_number(v))
        fail_msg("summary.json: no number %s.%s", a, b);
    return json_number_value(v);
}

/* ---- a deterministic generator of two registers ---- */

static inline uint32_t gen_next(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*s >> 33);
}

static const char *const gen_family[] = {
    "Haddad",    "Yilmaz",      "Kaya",     "Demir",      "Sahin",      "Celik",     "Nowak",
    "Kowalski",  "Popescu",     "Ionescu",  "Petrov",     "Ivanov",     "Hoxha",     "Berisha",
    "Krasniqi",  "Gashi",       "Rahimi",   "Ahmadi",     "Hosseini",   "Karimi",    "Mansour",
    "Nasser",    "Khalil",      "Saleh",    "Osman",      "Abdi",       "Warsame",   "Okafor",
    "Mensah",    "Diallo",      "Traore",   "Keita",      "Jovanovic",  "Nikolic",   "Markovic",
    "Horvat",    "Kovac",       "Babic",    "Shevchenko", "Bondarenko", "Tkachenko", "Melnyk",
    "Grigoryan", "Harutyunyan", "Beridze",  "Kapanadze",  "Aliyev",     "Mammadov",  "Rashidi",
    "Sultani",   "Noori",       "Barakzai", "Stanekzai",  "Qureshi",    "Chaudhry",  "Begum",
    "Nguyen",    "Tran",        "Pham",     "Mendes"};
static const char *const gen_given[] = {
    "Omar",    "Ali",    "Mehmet",  "Ayse",    "Fatma",   "Ahmad",  "Leyla", "Yusuf",
    "Ibrahim", "Maryam", "Zainab",  "Hassan",  "Hussein", "Karim",  "Samir", "Nadia",
    "Amina",   "Olena",  "Dmytro",  "Andrii",  "Iryna",   "Piotr",  "Anna",  "Marek",
    "Elena",   "Mihai",  "Ion",     "Arben",   "Blerina", "Driton", "Valon", "Artan",
    "Nino",    "Giorgi", "Levan",   "Tamar",   "Aram",    "Lilit",  "Emeka", "Chioma",
    "Kwame",   "Abena",  "Mamadou", "Aissata", "Farhad",  "Shirin", "Reza",  "Parisa",
    "Tuan",    "Linh",   "Bogdan",  "Milica",  "Stefan",  "Jelena", "Goran", "Ivana"};
static const char *const gen_place[] = {
    "Damaskus", "Aleppo", "Homs",    "Istanbul", "Ankara", "Izmir",    "Kabul",    "Herat",
    "Teheran",  "Kiew",   "Charkiw", "Warschau", "Krakau", "Bukarest", "Pristina", "Tirana",
    "Tiflis",   "Eriwan", "Baku",    "Lagos",    "Accra",  "Conakry",  "Bamako",   "Mogadischu",
    "Bagdad",   "Mossul", "Belgrad", "Zagreb",   "Hanoi",  "Lissabon"};
static const char *const gen_country[] = {"SYR", "TUR", "AFG", "IRN", "UKR", "POL", "ROU", "XKX",
                                          "ALB", "GEO", "ARM", "AZE", "NGA", "GHA", "GIN", "MLI",
                                          "SOM", "IRQ", "SRB", "HRV", "VNM", "PRT"};
static const char *const gen_status[] = {"ausreisepflichtig", "duldung", "gestattung",
                                         "aufenthaltserlaubnis", "niederlassungserlaubnis"};

#define GEN_N(a) (sizeof(a) / sizeof((a)[0]))

/* A generated person: storage for the strings of one register row. */
struct gen_row {
    char id[16], azr[16], family[64], given[64], date[12], place[32], country[4], status[32],
        street[32], updated[24];
};

static inline void gen_row_person(const struct gen_row *g, struct person *p)
{
    *p = (struct person){.record_id = g->id,
                         .azr_nr = g->azr,
                         .family_name = g->family,
                         .given_names = g->given,
                         .sex = "m",
                         .birth_date = g->date,
                         .birth_place = g->place,
                         .birth_country = g->country,
                         .nationality = g->country,
                         .residence_status = g->status,
                         .identity_status = "geklaert",
                         .address_street = g->street,
                         .address_postcode = "48143",
                         .address_municipality = "Münster",
                         .authority = "ABH-1",
                         .updated_at = g->updated};
}

/* What the generator did, for the assertions. */
struct gen_truth {
    size_t local_rows, azr_rows;         /* data rows written (including bad ones) */
    size_t local_bad, azr_bad;           /* rows that must be rejected */
    size_t shared;                       /* persons in both registers: L%05u <-> A%05u */
    size_t local_only, azr_only;         /* persons in one register only */
    size_t family_typos, swapped, cases; /* perturbations of shared persons */
};

/* Person k's identity (independent of the side). */
static inline void gen_identity(uint32_t k, struct gen_row *g)
{
    uint64_t s = 0x9e3779b97f4a7c15ull ^ ((uint64_t)k * 0x100000001b3ull);
    (void)gen_next(&s);
    const char *fam = gen_family[gen_next(&s) % GEN_N(gen_family)];
    const char *g1 = gen_given[gen_next(&s) % GEN_N(gen_given)];
    const char *g2 = gen_given[gen_next(&s) % GEN_N(gen_given)];
    int two = gen_next(&s) % 3 == 0 && strcmp(g1, g2) != 0;
    snprintf(g->family, sizeof g->family, "%s", fam);
    if (two)
        snprintf(g->given, sizeof g->given, "%s %s", g1, g2);
    else
        snprintf(g->given, sizeof g->given, "%s", g1);
    snprintf(g->date, sizeof g->date, "%04u-%02u-%02u", 1950 + gen_next(&s) % 56,
             1 + gen_next(&s) % 12, 1 + gen_next(&s) % 28);
    snprintf(g->place, sizeof g->place, "%s", gen_place[gen_next(&s) % GEN_N(gen_place)]);
    snprintf(g->country, sizeof g->country, "%s", gen_country[gen_next(&s) % GEN_N(gen_country)]);
    snprintf(g->status, sizeof g->status, "%s", gen_status[gen_next(&s) % GEN_N(gen_status)]);
    snprintf(g->street, sizeof g->street, "Weg %u", 1 + gen_next(&s) % 200);
    snprintf(g->azr, sizeof g->azr, "%012llu",
             100000000000ull + (unsigned long long)k * 7919ull % 899999999999ull);
    snprintf(g->updated, sizeof g->updated, "2025-01-%02uT08:00:00Z", 1 + k % 28);
}

/* Swaps two neighbouring letters in the middle of s (a typo). */
static inline void gen_typo(char *s)
{
    size_t n = strlen(s);
    if (n < 4)
        return;
    size_t i = n / 2;
    if (s[i] == s[i + 1])
        i--;
    char t = s[i];
    s[i] = s[i + 1];
    s[i + 1] = t;
}

/* Writes fx->local and fx->azr: n persons; most are in both registers with
 * realistic disagreements, some in one only; bad rows every 257 local rows
 * (a short row) and one duplicate record_id per file. The AZR file is in a
 * different order than the local one. */
static inline void gen_registers(const struct rec_fx *fx, uint32_t n, struct gen_truth *t)
{
    memset(t, 0, sizeof *t);
    FILE *fl = register_open(fx->local, 0);
    FILE *fa = register_open(fx->azr, 0);
    struct gen_row g;
    struct person p;
    /* local side in person order */
    for (uint32_t k = 0; k < n; k++) {
        int only_azr = k % 13 == 5;
        if (only_azr)
            continue;
        gen_identity(k, &g);
        snprintf(g.id, sizeof g.id, "L%05u", k);
        if (k % 19 == 3)
            g.azr[0] = 0; /* the local register does not know the AZR number */
        gen_row_person(&g, &p);
        register_put(fl, &p, 0);
        t->local_rows++;
        if (k % 257 == 100) {
            fputs("LBAD,,short,row\n", fl);
            t->local_rows++;
            t->local_bad++;
        }
    }
    /* a duplicate record_id: the first occurrence stays */
    gen_identity(0, &g);
    snprintf(g.id, sizeof g.id, "L%05u", 1u);
    snprintf(g.family, sizeof g.family, "Zzyzx");
    gen_row_person(&g, &p);
    register_put(fl, &p, 0);
    t->local_rows++;
    t->local_bad++;
    /* central side in a permuted order: k = (j * 7) mod n visits every
     * person once when n is not a multiple of 7 */
    assert_true(n % 7 != 0);
    for (uint32_t j = 0; j < n; j++) {
        uint32_t k = (uint32_t)(((uint64_t)j * 7u) % n);
        int only_local = k % 11 == 7;
        int only_azr = k % 13 == 5;
        if (only_local)
            continue;
        gen_identity(k, &g);
        snprintf(g.id, sizeof g.id, "A%05u", k);
        if (only_azr)
            t->azr_only++;
        else
            t->shared++;
        if (!only_azr) {
            if (k % 9 == 2) {
                gen_typo(g.family);
                t->family_typos++;
            } else if (k % 31 == 4) {
                char tmp[64];
                snprintf(tmp, sizeof tmp, "%s", g.family);
                snprintf(g.family, sizeof g.family, "%s", g.given);
                snprintf(g.given, sizeof g.given, "%s", tmp);
                t->swapped++;
            } else if (k % 10 == 6) {
                /* case and blanks only: no difference */
                for (char *c = g.family; *c; c++)
                    if (*c >= 'a' && *c <= 'z')
                        *c = (char)(*c - 'a' + 'A');
                size_t l = strlen(g.family);
                snprintf(g.family + l, sizeof g.family - l, "  ");
                t->cases++;
            }
            if (k % 17 == 8)
                memcpy(g.date + 5, "01-01", 5); /* AZR placeholder */
            if (k % 8 == 1)
                snprintf(g.status, sizeof g.status, "duldung");
            if (k % 23 == 12)
                snprintf(g.place, sizeof g.place, "Damascus");
            snprintf(g.updated, sizeof g.updated, "2025-06-%02uT08:00:00Z", 1 + k % 28);
        }
        gen_row_person(&g, &p);
        register_put(fa, &p, 0);
        t->azr_rows++;
    }
    gen_identity(2, &g);
    snprintf(g.id, sizeof g.id, "A00002"); /* person 2 is in both registers */
    snprintf(g.family, sizeof g.family, "Duplicate");
    gen_row_person(&g, &p);
    register_put(fa, &p, 0);
    t->azr_rows++;
    t->azr_bad++;
    for (uint32_t k = 0; k < n; k++)
        if (k % 11 == 7 && k % 13 != 5)
            t->local_only++;
    register_close(fl);
    register_close(fa);
}

#endif
