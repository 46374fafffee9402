/* rec_load.c – reading the registers, interning names, blocking keys
 * (rec_internal.h, docs/reconcile.md steps 1–3). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/csv.h"
#include "core/hash.h"
#include "core/parallel.h"
#include "core/progress.h"
#include "core/utf8.h"
#include "link/normalize.h"
#include "reconcile/rec_internal.h"

/* Required columns: without them no linkage is possible. */
static const enum register_column required_columns[] = {REG_RECORD_ID, REG_FAMILY_NAME,
                                                        REG_GIVEN_NAMES, REG_BIRTH_DATE};

void rec_side_free(struct side *s)
{
    if (!s)
        return;
    fn_free(s->arena);
    fn_free(s->off);
    fn_free(s->line);
    fn_free(s->rec_mem);
    fn_free(s->keys);
    fn_free(s->order);
    memset(s, 0, sizeof *s);
}

/* Appends a value to the side's arena; *off receives its offset. */
static fn_status arena_put(struct side *s, const char *v, size_t len, size_t *off)
{
    if (s->alen + len + 1 > s->acap) {
        size_t cap = s->acap ? s->acap : 1u << 16;
        while (cap < s->alen + len + 1)
            cap *= 2;
        char *a = fn_realloc(s->arena, cap);
        if (!a)
            return FN_NOMEM;
        s->arena = a;
        s->acap = cap;
    }
    memcpy(s->arena + s->alen, v, len);
    s->arena[s->alen + len] = '\0';
    *off = s->alen;
    s->alen += len + 1;
    return FN_OK;
}

static fn_status reject(struct rejects *rj, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static fn_status reject(struct rejects *rj, const char *file, long line, const char *fmt, ...)
{
    if (rj->n >= MAX_REJECTED) {
        rj->dropped++;
        return FN_OK;
    }
    if (rj->n == rj->cap) {
        size_t cap = rj->cap ? rj->cap * 2 : 64;
        struct rejected *r = fn_reallocarray(rj->r, cap, sizeof *r);
        if (!r)
            return FN_NOMEM;
        rj->r = r;
        rj->cap = cap;
    }
    struct rejected *x = &rj->r[rj->n++];
    x->file = file;
    x->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->reason, sizeof x->reason, fmt, ap);
    va_end(ap);
    return FN_OK;
}

/* Incremental key hashing (FNV-1a with separators); never 0 at the end. */
static uint64_t kh_start(int kind)
{
    return FN_FNV_OFFSET ^ (uint64_t)(kind + 1) * 0x9E3779B97F4A7C15ull;
}

static uint64_t kh_str(uint64_t h, const char *s)
{
    static const char separator = 0x1f;
    return fn_fnv1a(fn_fnv1a(h, s, strlen(s)), &separator, 1);
}

static uint64_t kh_num(uint64_t h, unsigned v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    return fn_fnv1a(h, b, 4);
}

static uint64_t kh_end(uint64_t h)
{
    return h ? h : 1;
}

/* Reads one register file into s; unreadable rows go to rj. */
static fn_status load_side(const char *path, struct side *s, struct rejects *rj, int progress,
                           char *msg, size_t msg_size)
{
    struct fn_csv_reader *r = NULL;
    size_t *order = NULL;
    unsigned char *dup = NULL;
    char(*hdr)[48] = NULL; /* header names */
    struct fn_progress pr;
    s->path = path;
    fn_status rc = fn_csv_open(path, &r);
    if (rc) {
        snprintf(msg, msg_size, "%s: Datei kann nicht gelesen werden", path);
        return rc;
    }
    fn_csv_detect_delimiter(r); /* ',' or ';' (export --excel, German Excel) */
    struct fn_csv_row row;
    struct register_layout lay;
    rc = fn_csv_next(r, &row);
    if (rc == FN_NOTFOUND) { /* empty file: no records */
        rc = FN_OK;
        goto out;
    }
    if (rc) {
        snprintf(msg, msg_size, "%s: Kopfzeile nicht lesbar: %s", path, fn_csv_error(r));
        rc = FN_INVALID;
        goto out;
    }
    char lmsg[200];
    rc = register_layout_from_header(&row, &lay, lmsg, sizeof lmsg);
    if (rc) {
        snprintf(msg, msg_size, "%s: %s", path, lmsg);
        goto out;
    }
    /* header names, to name an unknown column in a rejection */
    hdr = fn_calloc(row.nfields ? row.nfields : 1, sizeof *hdr);
    if (!hdr) {
        rc = FN_NOMEM;
        goto out;
    }
    for (size_t f = 0; f < row.nfields; f++) {
        size_t len = row.lens[f] < sizeof hdr[f] - 1 ? row.lens[f] : sizeof hdr[f] - 1;
        if (fn_utf8_valid(row.fields[f], len, NULL) && !memchr(row.fields[f], '\0', len))
            memcpy(hdr[f], row.fields[f], len);
    }
    for (size_t k = 0; k < sizeof required_columns / sizeof required_columns[0]; k++) {
        if (lay.index[required_columns[k]] < 0) {
            snprintf(msg, msg_size, "%s: Pflichtspalte \"%s\" fehlt in der Kopfzeile", path,
                     register_column_name(required_columns[k]));
            rc = FN_INVALID;
            goto out;
        }
    }
    fn_progress_start(&pr, path, fn_csv_size(r));
    if (!progress)
        pr.enabled = 0;
    for (;;) {
        rc = fn_csv_next(r, &row);
        if (rc == FN_NOTFOUND)
            break;
        if (rc == FN_INVALID || rc == FN_TOO_LARGE) {
            s->rows_read++;
            rc = reject(rj, path, row.line, "%s", fn_csv_error(r));
            if (rc)
                goto out;
            continue;
        }
        if (rc)
            goto out;
        s->rows_read++;
        if ((s->rows_read & 0xffff) == 0)
            fn_progress_update(&pr, fn_csv_offset(r));
        if (row.nfields != lay.nfields) {
            rc = reject(rj, path, row.line, "falsche Spaltenzahl: %zu statt %zu", row.nfields,
                        lay.nfields);
            if (rc)
                goto out;
            continue;
        }
        int bad = -1, nul = 0;
        for (size_t f = 0; f < row.nfields; f++) {
            if (memchr(row.fields[f], '\0', row.lens[f])) {
                bad = (int)f;
                nul = 1;
                break;
            }
            if (!fn_utf8_valid(row.fields[f], row.lens[f], NULL)) {
                bad = (int)f;
                break;
            }
        }
        if (bad >= 0) {
            /* name the column; an unknown column by its position */
            char col[48];
            if (hdr[bad][0])
                snprintf(col, sizeof col, "%s", hdr[bad]);
            else
                snprintf(col, sizeof col, "in Spalte %d", bad + 1);
            for (int c = 0; c < REG_COLUMN_COUNT; c++)
                if (lay.index[c] == bad)
                    snprintf(col, sizeof col, "%s", register_column_name(c));
            rc = reject(rj, path, row.line, "Feld %s: %s", col,
                        nul ? "enthält ein NUL-Zeichen" : "ungültiges UTF-8");
            if (rc)
                goto out;
            continue;
        }
        const char *id = row.fields[lay.index[REG_RECORD_ID]];
        size_t idlen = row.lens[lay.index[REG_RECORD_ID]];
        fn_utf8_trim(&id, &idlen);
        if (idlen == 0) {
            rc = reject(rj, path, row.line, "Feld record_id: leer");
            if (rc)
                goto out;
            continue;
        }
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 1024;
            size_t *o = fn_reallocarray(s->off, cap * REG_COLUMN_COUNT, sizeof *o);
            if (!o) {
                rc = FN_NOMEM;
                goto out;
            }
            s->off = o;
            long *l = fn_reallocarray(s->line, cap, sizeof *l);
            if (!l) {
                rc = FN_NOMEM;
                goto out;
            }
            s->line = l;
            s->cap = cap;
        }
        size_t *dst = &s->off[s->n * REG_COLUMN_COUNT];
        for (int c = 0; c < REG_COLUMN_COUNT; c++) {
            const char *f = "";
            size_t fl = 0;
            if (lay.index[c] >= 0) {
                f = row.fields[lay.index[c]];
                fl = row.lens[lay.index[c]];
                fn_utf8_trim(&f, &fl);
            }
            rc = arena_put(s, f, fl, &dst[c]);
            if (rc)
                goto out;
        }
        s->line[s->n] = row.line;
        s->n++;
    }
    fn_progress_finish(&pr, fn_csv_offset(r));
    /* Duplicate record_ids: the first occurrence stays, later ones are rejected. */
    if (s->n > 1) {
        /* an open-addressing set of the ids seen, in file order */
        size_t nslots = 16;
        while (nslots < s->n * 2)
            nslots *= 2;
        order = fn_calloc(nslots, sizeof *order); /* record index + 1, 0 = free */
        dup = fn_calloc(s->n, 1);
        if (!order || !dup) {
            rc = FN_NOMEM;
            goto out;
        }
        size_t ndup = 0;
        for (size_t i = 0; i < s->n; i++) {
            const char *id = V(s, i, REG_RECORD_ID);
            uint64_t h = kh_start(99);
            h = kh_str(h, id);
            size_t slot = (size_t)((h * 0x9E3779B97F4A7C15ull) >> 20) & (nslots - 1);
            for (;;) {
                if (!order[slot]) {
                    order[slot] = i + 1;
                    break;
                }
                if (!strcmp(V(s, order[slot] - 1, REG_RECORD_ID), id)) {
                    dup[i] = 1;
                    ndup++;
                    break;
                }
                slot = (slot + 1) & (nslots - 1);
            }
        }
        if (ndup) {
            size_t w = 0;
            for (size_t i = 0; i < s->n; i++) {
                if (dup[i]) {
                    rc = reject(rj, path, s->line[i], "record_id doppelt: %.60s",
                                V(s, i, REG_RECORD_ID));
                    if (rc)
                        goto out;
                    continue; /* its values stay in the arena, unused */
                }
                if (w != i) {
                    memcpy(&s->off[w * REG_COLUMN_COUNT], &s->off[i * REG_COLUMN_COUNT],
                           REG_COLUMN_COUNT * sizeof(size_t));
                    s->line[w] = s->line[i];
                }
                w++;
            }
            s->n = w;
        }
    }
    rc = FN_OK;
out:
    fn_free(order);
    fn_free(dup);
    fn_free(hdr);
    fn_csv_close(r);
    return rc;
}

struct load_job {
    const char *path;
    struct side *s;
    struct rejects rj;
    int progress;
    char msg[512];
    fn_status rc;
};

static void *load_worker(void *arg)
{
    struct load_job *j = arg;
    j->rc = load_side(j->path, j->s, &j->rj, j->progress, j->msg, sizeof j->msg);
    return NULL;
}

/* Reads both registers (in parallel with two or more threads) and joins
 * their rejections in file order: local first. *rej_a, *rej_b count the
 * rejected rows per file. */
fn_status rec_load_both(const struct rec_options *opt, struct side *loc, struct side *cen,
                        struct rejects *rj, int threads, char *msg, size_t msg_size, size_t *rej_a,
                        size_t *rej_b)
{
    struct load_job jobs[2] = {{opt->local_path, loc, {0}, opt->progress, "", FN_OK},
                               {opt->central_path, cen, {0}, 0, "", FN_OK}};
    pthread_t tid;
    int started = threads > 1 && !pthread_create(&tid, NULL, load_worker, &jobs[1]);
    load_worker(&jobs[0]);
    if (started)
        pthread_join(tid, NULL);
    else {
        jobs[1].progress = opt->progress;
        load_worker(&jobs[1]);
    }
    fn_status rc = FN_OK;
    for (int k = 0; k < 2; k++) {
        if (!rc && jobs[k].rc) {
            rc = jobs[k].rc;
            snprintf(msg, msg_size, "%s", jobs[k].msg);
        }
        size_t *count = k ? rej_b : rej_a;
        *count = jobs[k].rj.n + jobs[k].rj.dropped;
        for (size_t q = 0; !rc && q < jobs[k].rj.n; q++) {
            const struct rejected *x = &jobs[k].rj.r[q];
            rc = reject(rj, x->file, x->line, "%s", x->reason);
        }
        rj->dropped += jobs[k].rj.dropped;
        fn_free(jobs[k].rj.r);
    }
    return rc;
}

/* ---- per-record fields and blocking keys ---- */

/* Packs a code as the comparator sees it: without surrounding blanks, ASCII
 * lower case, zero-padded, so that equal codes are equal bytes. A code that
 * does not fit is compared from the record's string (LONG_* bit); an empty
 * code or the "unknown" value (NULL: none) sets the MISSING bit. */
static void pack_code(const char *v, char *dst, size_t cap, const char *unknown, struct rec *r,
                      uint8_t bit)
{
    size_t len = strlen(v);
    while (len && (*v == ' ' || *v == '\t')) {
        v++;
        len--;
    }
    while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    if (len >= cap) {
        r->long_codes |= bit;
        return;
    }
    for (size_t i = 0; i < len; i++)
        dst[i] = (char)(v[i] >= 'A' && v[i] <= 'Z' ? v[i] - 'A' + 'a' : v[i]);
    if (!len || (unknown && strlen(unknown) == len && !strncmp(dst, unknown, len)))
        r->missing_codes |= bit;
}

/* An address part normalised for comparison: ASCII letters and digits in
 * lower case, ä ö ü as a o u, ß as ss, everything else (blanks, dots,
 * hyphens) dropped, and "strasse" shortened to "str", so that
 * "Hauptstraße 5", "Hauptstr. 5" and "HAUPTSTRASSE 5" agree. */
static void address_norm(const char *v, char *out, size_t cap)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)v; *p && o + 3 < cap; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[o++] = (char)c;
        else if (c >= 'A' && c <= 'Z')
            out[o++] = (char)(c - 'A' + 'a');
        else if (c == 0xC3 && p[1]) {
            unsigned char d = *++p;
            if (d == 0xA4 || d == 0x84)
                out[o++] = 'a';
            else if (d == 0xB6 || d == 0x96)
                out[o++] = 'o';
            else if (d == 0xBC || d == 0x9C)
                out[o++] = 'u';
            else if (d == 0x9F) {
                out[o++] = 's';
                out[o++] = 's';
            }
        }
    }
    out[o] = '\0';
    for (char *q = strstr(out, "strasse"); q; q = strstr(q + 3, "strasse"))
        memmove(q + 3, q + 7, strlen(q + 7) + 1);
}

/* The packed address of record i: street with postcode, and the area
 * (postcode, else municipality), as hashes (0: absent). */
static void address_hashes(const struct side *s, size_t i, struct rec *r)
{
    char street[256], area[256];
    address_norm(V(s, i, REG_ADDRESS_STREET), street, sizeof street);
    address_norm(V(s, i, REG_ADDRESS_POSTCODE), area, sizeof area);
    if (!area[0])
        address_norm(V(s, i, REG_ADDRESS_MUNICIPALITY), area, sizeof area);
    r->street = 0;
    if (street[0]) {
        uint64_t h = kh_str(kh_str(kh_start(20), street), area);
        r->street = (uint32_t)(h ^ (h >> 32));
        if (!r->street)
            r->street = 1;
    }
    r->area = 0;
    if (area[0]) {
        uint64_t h = kh_str(kh_start(21), area);
        r->area = (uint16_t)(h ^ (h >> 16) ^ (h >> 32) ^ (h >> 48));
        if (!r->area)
            r->area = 1;
    }
}

/* residence_since as days since 1900-01-01 plus one (a full date up to
 * 2079), else 0. */
static uint16_t residence_days(const char *v)
{
    struct fn_pdate d;
    int32_t days;
    if (fn_pdate_parse(v, strlen(v), &d) || !d.year || !d.month || !d.day ||
        fn_pdate_to_days(&d, &days))
        return 0;
    days += 25567; /* 1900-01-01 .. 1970-01-01 */
    if (days < 0 || days >= 65535)
        return 0;
    return (uint16_t)(days + 1);
}

/* Interns the names of every record and packs its compared fields. */
fn_status rec_side_intern(struct side *s, const struct dicts *dc)
{
    /* one record more, so that they can start on a cache line: a candidate
     * comparison then loads one line per record */
    s->rec_mem = fn_calloc((s->n ? s->n : 1) + 1, 64);
    s->rec = s->rec_mem ? (struct rec *)(((uintptr_t)s->rec_mem + 63) & ~(uintptr_t)63) : NULL;
    if (!s->rec)
        return FN_NOMEM;
    for (size_t i = 0; i < s->n; i++) {
        struct rec *r = &s->rec[i];
        r->orig = (uint32_t)i;
        const char *v = V(s, i, REG_FAMILY_NAME);
        fn_status rc = link_name_dict_add(dc->names, v, strlen(v), 0, &r->fam);
        if (rc)
            return rc;
        v = V(s, i, REG_GIVEN_NAMES);
        rc = link_name_dict_add(dc->names, v, strlen(v), 1, &r->giv);
        if (rc)
            return rc;
        v = V(s, i, REG_BIRTH_PLACE);
        rc = link_name_dict_add(dc->places, v, strlen(v), 0, &r->place);
        if (rc)
            return rc;
        v = V(s, i, REG_BIRTH_DATE);
        if (fn_pdate_parse(v, strlen(v), &r->bdate))
            memset(&r->bdate, 0, sizeof r->bdate);
        pack_code(V(s, i, REG_AZR_NR), r->azr, sizeof r->azr, NULL, r, LONG_AZR);
        pack_code(V(s, i, REG_SEX), r->sex, sizeof r->sex, CODE_UNKNOWN_SEX, r, LONG_SEX);
        pack_code(V(s, i, REG_NATIONALITY), r->nat, sizeof r->nat, CODE_UNKNOWN_COUNTRY, r,
                  LONG_NAT);
        pack_code(V(s, i, REG_BIRTH_COUNTRY), r->bcountry, sizeof r->bcountry, CODE_UNKNOWN_COUNTRY,
                  r, LONG_BCOUNTRY);
        address_hashes(s, i, r);
        r->rsince = residence_days(V(s, i, REG_RESIDENCE_SINCE));
    }
    return FN_OK;
}

/* The two first-token skeletons in sorted order: the same for swapped
 * family and given names. */
static uint64_t kh_pair(uint64_t h, const char *a, const char *b)
{
    if (strcmp(a, b) > 0) {
        const char *t = a;
        a = b;
        b = t;
    }
    return kh_str(kh_str(h, a), b);
}

/* Blocking keys of record i (0 = no key of that kind). Each key is cheap
 * and specific; together they survive the discrepancies of the register
 * spec: every true pair with at most a few changes shares at least one. */
static void record_keys(const struct dicts *dc, struct side *s, size_t i)
{
    struct rec *r = &s->rec[i];
    const struct link_name_keys *fam = link_name_dict_keys(dc->names, r->fam);
    const struct link_name_keys *giv = link_name_dict_keys(dc->names, r->giv);
    const struct link_name_keys *pl = link_name_dict_keys(dc->places, r->place);
    const struct fn_pdate *d = &r->bdate;
    uint64_t *k = &s->keys[i * NKEYS];
    s->rec[i].empty = (uint8_t)((fam->empty ? EMPTY_FAM : 0) | (giv->empty ? EMPTY_GIV : 0) |
                                (pl->empty ? EMPTY_PLACE : 0));
    memset(k, 0, NKEYS * sizeof *k);
    int full = d->year && d->month && d->day;
    const char *F = fam->skeleton, *F1 = fam->skel_first, *G1 = giv->skel_first;
    const char *P = pl->skeleton;
    int has_f = !fam->empty && F[0], has_g = !giv->empty && G1[0], has_p = !pl->empty && P[0];
    const char *azr = V(s, i, REG_AZR_NR);
    if (strlen(azr) >= 6) /* 0: the AZR number */
        k[0] = kh_end(kh_str(kh_start(0), azr));
    /* not a key: records with the same first names (any order) get the same
     * value, so that scoring them one after another finds their shared
     * candidates still in cache */
    s->order[i] = has_f ? kh_end(kh_pair(kh_start(NKEYS + 1), F1, has_g ? G1 : "")) : 0;
    if (has_f && d->year) /* 1: both first names (any order) + year: swaps, spellings */
        k[1] = kh_end(kh_num(kh_pair(kh_start(1), F1, has_g ? G1 : ""), d->year));
    /* One name with the full date: the family name in key 2, the given
     * name in 3, so that a pair in which one name changed (a spelling whose
     * skeleton differs, Chehade/شحادة) still shares the other's key. */
    const char *G1k = has_g ? G1 : "";
    if (has_f && F1[0] && full) /* 2: family name + full date: the given name changed */
        k[2] = kh_end(kh_num(kh_num(kh_num(kh_str(kh_start(2), F1), d->year), d->month), d->day));
    if (has_f && G1k[0] && full) /* 3: given name + full date: the family name changed */
        k[3] = kh_end(kh_num(kh_num(kh_num(kh_str(kh_start(3), G1k), d->year), d->month), d->day));
    if (has_f && has_p) /* 4: both whole names + birth place: unknown or wrong date */
        k[4] = kh_end(kh_str(kh_pair(kh_start(4), F, giv->empty ? "" : giv->skeleton), P));
    /* One name with place and year: the two first-token skeletons in
     * order, so that swapped names give the same keys 5 and 6 (with a
     * changed date, keys 1 and 2/3 miss a swap). */
    const char *lo = F1, *hi = G1k;
    if (strcmp(lo, hi) > 0) {
        const char *t = lo;
        lo = hi;
        hi = t;
    }
    if (has_f && lo[0] && has_p && d->year) /* 5: one name + place + year: other name, day */
        k[5] = kh_end(kh_num(kh_str(kh_str(kh_start(5), lo), P), d->year));
    if (has_f && hi[0] && has_p && d->year) /* 6: the other name + place + year */
        k[6] = kh_end(kh_num(kh_str(kh_str(kh_start(6), hi), P), d->year));
    /* ... and by field, so that a pair in which one name changed keeps the
     * other's key whatever the order of the skeletons */
    if (has_f && F1[0] && has_p && d->year) /* 11: family name + place + year */
        k[11] = kh_end(kh_num(kh_str(kh_str(kh_start(11), F1), P), d->year));
    if (has_f && G1k[0] && has_p && d->year) /* 12: given name + place + year */
        k[12] = kh_end(kh_num(kh_str(kh_str(kh_start(12), G1k), P), d->year));
    if (fam->koeln[0] && giv->koeln[0] && d->year) /* 7: Kölner codes + year: typos */
        k[7] = kh_end(kh_num(kh_str(kh_str(kh_start(7), fam->koeln), giv->koeln), d->year));
    if (has_f && full) /* 8: both first names + day and month: a wrong year */
        k[8] = kh_end(kh_num(kh_num(kh_pair(kh_start(8), F1, has_g ? G1 : ""), d->month), d->day));
    /* 9: the longest name token + full date: dropped or added name parts,
     * swaps and typos in the other tokens */
    const struct link_name_keys *src[2] = {fam, giv};
    const char *best = NULL;
    int blen = 0;
    for (int s2 = 0; s2 < 2; s2++)
        for (int t = 0; t < src[s2]->ntokens; t++) {
            const char *tok = src[s2]->ascii + src[s2]->tok_off[t];
            int len = src[s2]->tok_len[t];
            if (len > blen || (len == blen && best && strncmp(tok, best, (size_t)len) < 0)) {
                best = tok;
                blen = len;
            }
        }
    if (has_p && full) /* 10: birth place + full date: every name changed */
        k[10] = kh_end(kh_num(kh_num(kh_num(kh_str(kh_start(10), P), d->year), d->month), d->day));
    if (best && blen >= 4 && full) {
        char tok[LINK_KEY_MAX];
        memcpy(tok, best, (size_t)blen);
        tok[blen] = '\0';
        k[9] = kh_end(kh_num(kh_num(kh_num(kh_str(kh_start(9), tok), d->year), d->month), d->day));
    }
}

struct key_ctx {
    const struct dicts *dc;
    struct side *s;
};

static fn_status key_range(void *ctx, int range, size_t from, size_t to)
{
    (void)range;
    struct key_ctx *k = ctx;
    for (size_t i = from; i < to; i++)
        record_keys(k->dc, k->s, i);
    return FN_OK;
}

/* Blocking keys of every record, in parallel (pure per record). */
fn_status rec_side_keys(const struct dicts *dc, struct side *s, int threads)
{
    s->keys = fn_calloc((s->n ? s->n : 1) * NKEYS, sizeof *s->keys);
    s->order = fn_calloc(s->n ? s->n : 1, sizeof *s->order);
    if (!s->keys || !s->order)
        return FN_NOMEM;
    struct key_ctx k = {dc, s};
    return fn_parallel_ranges(threads, s->n, key_range, &k);
}
