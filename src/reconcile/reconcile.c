/* reconcile.c – the reconciliation pipeline (see reconcile.h, docs/reconcile.md). */
#include "reconcile/reconcile.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/file.h"
#include "core/parallel.h"
#include "core/pdate.h"
#include "core/progress.h"
#include "core/utf8.h"
#include "link/assign.h"
#include "link/block.h"
#include "link/compare.h"
#include "link/fsmodel.h"
#include "link/namedict.h"
#include "link/normalize.h"
#include "model/register.h"

#define NKEYS        11
#define MAX_BLOCK    2000
#define MAX_CAND     4096
#define RANDOM_PAIRS 200000
#define CHUNK        2048
#define MAX_REJECTED 1000000
#define REASON_MAX   160

enum field { F_AZR, F_FAMILY, F_GIVEN, F_BDATE, F_SEX, F_PLACE, F_NAT, F_BCOUNTRY, NF };
static const char *const field_labels[NF] = {"AZR-Nummer",          "Familienname", "Vornamen",
                                             "Geburtsdatum",        "Geschlecht",   "Geburtsort",
                                             "Staatsangehörigkeit", "Geburtsstaat"};
static const int field_nlevels[NF] = {4, 7, 7, 8, 4, 7, 4, 4};

/* Required columns: without them no linkage is possible. */
static const enum register_column required_columns[] = {REG_RECORD_ID, REG_FAMILY_NAME,
                                                        REG_GIVEN_NAMES, REG_BIRTH_DATE};

struct rejected {
    const char *file; /* borrowed */
    long line;
    char reason[REASON_MAX];
};

/* The fields a candidate comparison reads, packed per record so that
 * comparing a pair touches two small structs, not twenty strings. Codes up
 * to 15 bytes are held here; a longer (malformed) code is compared from the
 * record's strings. */
#define CODE_MAX 16
struct rec {
    uint32_t fam, giv; /* ids in the person-name dictionary */
    uint32_t place;    /* id in the place dictionary */
    struct fn_pdate bdate;
    uint8_t long_codes; /* bit per code field that did not fit */
    uint8_t empty;      /* EMPTY_FAM | EMPTY_GIV | EMPTY_PLACE: names without keys */
    char azr[CODE_MAX], sex[4], nat[CODE_MAX], bcountry[CODE_MAX];
};

struct side {
    const char *path; /* borrowed */
    size_t n, cap;
    char *arena; /* all values of all records, NUL-terminated */
    size_t alen, acap;
    size_t *off;     /* n * REG_COLUMN_COUNT offsets into arena */
    long *line;      /* source line per record */
    struct rec *rec; /* n */
    uint64_t *keys;  /* n * NKEYS blocking keys */
    size_t rows_read;
};

/* The name dictionaries shared by both registers (keys once per value). */
struct dicts {
    struct link_name_dict *names;  /* family and given names */
    struct link_name_dict *places; /* birth places */
};

struct rejects {
    struct rejected *r;
    size_t n, cap;
    size_t dropped; /* beyond MAX_REJECTED: counted only */
};

static const char *V(const struct side *s, size_t i, enum register_column c)
{
    return s->arena + s->off[i * REG_COLUMN_COUNT + c];
}

static void side_free(struct side *s)
{
    if (!s)
        return;
    fn_free(s->arena);
    fn_free(s->off);
    fn_free(s->line);
    fn_free(s->rec);
    fn_free(s->keys);
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
    return 1469598103934665603ull ^ (uint64_t)(kind + 1) * 0x9E3779B97F4A7C15ull;
}

static uint64_t kh_str(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (h ^ 0x1f) * 1099511628211ull; /* separator */
}

static uint64_t kh_num(uint64_t h, unsigned v)
{
    for (int k = 0; k < 4; k++, v >>= 8)
        h = (h ^ (v & 0xffu)) * 1099511628211ull;
    return h;
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
static fn_status load_both(const struct rec_options *opt, struct side *loc, struct side *cen,
                           struct rejects *rj, int threads, char *msg, size_t msg_size,
                           size_t *rej_a, size_t *rej_b)
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

#define EMPTY_FAM   0x1u
#define EMPTY_GIV   0x2u
#define EMPTY_PLACE 0x4u

#define LONG_AZR      0x1u
#define LONG_SEX      0x2u
#define LONG_NAT      0x4u
#define LONG_BCOUNTRY 0x8u

static void pack_code(const char *v, char *dst, size_t cap, uint8_t *flags, uint8_t bit)
{
    size_t len = strlen(v);
    if (len < cap) {
        memcpy(dst, v, len + 1);
    } else {
        dst[0] = '\0';
        *flags |= bit;
    }
}

/* Interns the names of every record and packs its compared fields. */
static fn_status side_intern(struct side *s, const struct dicts *dc)
{
    s->rec = fn_calloc(s->n ? s->n : 1, sizeof *s->rec);
    if (!s->rec)
        return FN_NOMEM;
    for (size_t i = 0; i < s->n; i++) {
        struct rec *r = &s->rec[i];
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
        pack_code(V(s, i, REG_AZR_NR), r->azr, sizeof r->azr, &r->long_codes, LONG_AZR);
        pack_code(V(s, i, REG_SEX), r->sex, sizeof r->sex, &r->long_codes, LONG_SEX);
        pack_code(V(s, i, REG_NATIONALITY), r->nat, sizeof r->nat, &r->long_codes, LONG_NAT);
        pack_code(V(s, i, REG_BIRTH_COUNTRY), r->bcountry, sizeof r->bcountry, &r->long_codes,
                  LONG_BCOUNTRY);
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
    if (has_f && d->year) /* 1: both first names (any order) + year: swaps, spellings */
        k[1] = kh_end(kh_num(kh_pair(kh_start(1), F1, has_g ? G1 : ""), d->year));
    /* The two first-token skeletons in order, so that swapped names give
     * the same keys 2, 3, 5 and 6. */
    const char *lo = F1, *hi = has_g ? G1 : "";
    if (strcmp(lo, hi) > 0) {
        const char *t = lo;
        lo = hi;
        hi = t;
    }
    if (has_f && lo[0] && full) /* 2: one name + full date: the other name changed */
        k[2] = kh_end(kh_num(kh_num(kh_num(kh_str(kh_start(2), lo), d->year), d->month), d->day));
    if (has_f && hi[0] && full) /* 3: the other name + full date */
        k[3] = kh_end(kh_num(kh_num(kh_num(kh_str(kh_start(3), hi), d->year), d->month), d->day));
    if (has_f && has_p) /* 4: both whole names + birth place: unknown or wrong date */
        k[4] = kh_end(kh_str(kh_pair(kh_start(4), F, giv->empty ? "" : giv->skeleton), P));
    if (has_f && lo[0] && has_p && d->year) /* 5: one name + place + year: other name, day */
        k[5] = kh_end(kh_num(kh_str(kh_str(kh_start(5), lo), P), d->year));
    if (has_f && hi[0] && has_p && d->year) /* 6: the other name + place + year */
        k[6] = kh_end(kh_num(kh_str(kh_str(kh_start(6), hi), P), d->year));
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
static fn_status side_keys(const struct dicts *dc, struct side *s, int threads)
{
    s->keys = fn_calloc((s->n ? s->n : 1) * NKEYS, sizeof *s->keys);
    if (!s->keys)
        return FN_NOMEM;
    struct key_ctx k = {dc, s};
    return fn_parallel_ranges(threads, s->n, key_range, &k);
}

/* ---- comparison ---- */

static uint8_t name_level(enum link_name_level l)
{
    switch (l) {
    case LINK_NAME_EXACT:
        return 0;
    case LINK_NAME_TRANSLIT:
        return 1;
    case LINK_NAME_PHONETIC:
        return 2;
    case LINK_NAME_SIMILAR:
        return 3;
    case LINK_NAME_WEAK:
        return 4;
    case LINK_NAME_DIFFERENT:
        return 5;
    default:
        return 6;
    }
}

/* Date levels of the model. An exact agreement of a partial date (year
 * only, year and month, or 01-01 that is often a placeholder) says much less
 * than one of a full date, so it is a level of its own. */
static uint8_t date_level(enum link_date_level l, const struct fn_pdate *d)
{
    switch (l) {
    case LINK_DATE_EXACT:
        return d->day && !(d->flags & FN_PDATE_PLACEHOLDER) ? 0 : 1;
    case LINK_DATE_PARTIAL:
        return 2;
    case LINK_DATE_PLACEHOLDER:
        return 3;
    case LINK_DATE_SWAPPED:
        return 4;
    case LINK_DATE_TYPO:
        return 5;
    case LINK_DATE_DIFFERENT:
        return 6;
    default:
        return 7;
    }
}

static uint8_t code_level(const char *a, const char *b, const char *unknown)
{
    if (!*a || !*b || (unknown && (!strcmp(a, unknown) || !strcmp(b, unknown))))
        return 3;
    switch (link_compare_codes(a, strlen(a), b, strlen(b))) {
    case LINK_EXACT_EQUAL:
        return 0;
    case LINK_EXACT_CLOSE:
        return 1;
    case LINK_EXACT_DIFFERENT:
        return 2;
    default:
        return 3;
    }
}

static const char *const name_labels[7] = {"exakt",   "Transliteration", "phonetisch", "ähnlich",
                                           "schwach", "verschieden",     "fehlt"};
static const char *const date_labels[8] = {"exakt",
                                           "exakt, nur Jahr/Monat oder 01-01",
                                           "Teildatum passt",
                                           "Platzhalter 01-01",
                                           "Tag/Monat vertauscht",
                                           "Tippfehler",
                                           "verschieden",
                                           "fehlt"};
static const char *const code_labels[4] = {"gleich", "ein Zeichen anders", "verschieden", "fehlt"};

static const char *level_label(int f, int l)
{
    if (f == F_FAMILY || f == F_GIVEN || f == F_PLACE)
        return name_labels[l];
    if (f == F_BDATE)
        return date_labels[l];
    return code_labels[l];
}

/* A direct-mapped memo of name comparisons by value ids: candidate pairs
 * repeat the same name pairs again and again. Per thread; pure, so results
 * do not depend on what is cached. */
#define CACHE_BITS_NAMES_MAX 20 /* 8 MiB per thread: a larger memo measured no faster */
#define CACHE_BITS_PLACES    20 /* every pair of a thousand places */
struct level_cache {
    int bits;
    uint64_t *entry; /* x << 33 | y << 3 | level (ids < 2^30); 0 = free: x == y is
                      * never stored */
};

/* ex, ey: the values have no keys (empty). The keys themselves are only
 * touched when the memo does not know the pair. */
static enum link_name_level name_cmp(const struct link_name_dict *d, struct level_cache *c,
                                     uint32_t x, uint32_t y, int ex, int ey)
{
    if (ex || ey)
        return LINK_NAME_MISSING;
    if (x == y)
        return LINK_NAME_EXACT;
    const struct link_name_keys *kx = link_name_dict_keys(d, x);
    const struct link_name_keys *ky = link_name_dict_keys(d, y);
    if (!c)
        return link_compare_names(kx, ky, NULL);
    /* one 8-byte entry per pair: a hit costs one memory access */
    uint64_t tag = (uint64_t)x << 33 | (uint64_t)y << 3;
    size_t slot = (size_t)((tag * 0x9E3779B97F4A7C15ull) >> (64 - c->bits));
    uint64_t e = c->entry[slot];
    if ((e & ~(uint64_t)7) == tag)
        return (enum link_name_level)(e & 7);
    enum link_name_level l =
        link_compare_names_sig(kx, ky, link_name_dict_sig(d, x), link_name_dict_sig(d, y));
    c->entry[slot] = tag | (uint64_t)l;
    return l;
}

/* Level of a code field from the packed values, or from the record's
 * strings when one did not fit. */
static uint8_t packed_code_level(const struct side *a, size_t i, const struct side *b, size_t j,
                                 enum register_column col, uint8_t bit, const char *pa,
                                 const char *pb, const char *unknown)
{
    if ((a->rec[i].long_codes | b->rec[j].long_codes) & bit)
        return code_level(V(a, i, col), V(b, j, col), unknown);
    if (*pa && *pb && !strcmp(pa, pb) && (!unknown || strcmp(pa, unknown)))
        return 0;
    return code_level(pa, pb, unknown);
}

struct caches {
    struct level_cache names, places;
};

static void caches_free(struct caches *cc)
{
    if (!cc)
        return;
    fn_free(cc->names.entry);
    fn_free(cc->places.entry);
    fn_free(cc);
}

/* A thread's memo sized for nrec records in both registers; NULL when out
 * of memory. Free with caches_free. */
static struct caches *caches_new(size_t nrec)
{
    int name_bits = 16;
    while (name_bits < CACHE_BITS_NAMES_MAX && ((size_t)10000 << (name_bits - 16)) < nrec)
        name_bits++;
    struct caches *cc = fn_calloc(1, sizeof *cc);
    if (!cc)
        return NULL;
    cc->names.bits = name_bits;
    cc->places.bits = CACHE_BITS_PLACES;
    cc->names.entry = fn_calloc((size_t)1 << name_bits, sizeof *cc->names.entry);
    cc->places.entry = fn_calloc((size_t)1 << CACHE_BITS_PLACES, sizeof *cc->places.entry);
    if (!cc->names.entry || !cc->places.entry) {
        caches_free(cc);
        return NULL;
    }
    return cc;
}

/* Comparison vector of local record i against central record j; cc may be
 * NULL (no memo). */
static void compare_pair(const struct dicts *dc, struct caches *cc, const struct side *a, size_t i,
                         const struct side *b, size_t j, uint8_t lv[NF], int *swapped)
{
    const struct rec *ra = &a->rec[i], *rb = &b->rec[j];
    struct level_cache *cn = cc ? &cc->names : NULL;
    lv[F_AZR] = packed_code_level(a, i, b, j, REG_AZR_NR, LONG_AZR, ra->azr, rb->azr, NULL);
    int fa = ra->empty & EMPTY_FAM, fb = rb->empty & EMPTY_FAM;
    int ga = ra->empty & EMPTY_GIV, gb = rb->empty & EMPTY_GIV;
    enum link_name_level fl = name_cmp(dc->names, cn, ra->fam, rb->fam, fa, fb);
    enum link_name_level gl = name_cmp(dc->names, cn, ra->giv, rb->giv, ga, gb);
    int sw = 0;
    if ((fl >= LINK_NAME_SIMILAR || gl >= LINK_NAME_SIMILAR) && !fa && !fb && !ga && !gb &&
        (link_name_sig_phonetic(link_name_dict_sig(dc->names, ra->fam),
                                link_name_dict_sig(dc->names, rb->giv)) ||
         link_name_sig_phonetic(link_name_dict_sig(dc->names, ra->giv),
                                link_name_dict_sig(dc->names, rb->fam)))) {
        /* family and given names swapped on one side: one cross
         * comparison agrees at least phonetically, the other at least
         * weakly (a swap often comes with a dropped middle name or a
         * typo), and together they are better than the straight ones */
        enum link_name_level c1 = name_cmp(dc->names, cn, ra->fam, rb->giv, fa, gb);
        enum link_name_level c2 = name_cmp(dc->names, cn, ra->giv, rb->fam, ga, fb);
        enum link_name_level lo = c1 < c2 ? c1 : c2, hi = c1 < c2 ? c2 : c1;
        if (lo != LINK_NAME_MISSING && lo <= LINK_NAME_PHONETIC && hi <= LINK_NAME_WEAK &&
            (int)c1 + (int)c2 < (int)fl + (int)gl) {
            fl = c1;
            gl = c2;
            sw = 1;
        }
    }
    if (swapped)
        *swapped = sw;
    lv[F_FAMILY] = name_level(fl);
    lv[F_GIVEN] = name_level(gl);
    lv[F_BDATE] = date_level(link_compare_dates(&ra->bdate, &rb->bdate), &ra->bdate);
    lv[F_SEX] = packed_code_level(a, i, b, j, REG_SEX, LONG_SEX, ra->sex, rb->sex, "u");
    lv[F_PLACE] = name_level(name_cmp(dc->places, cc ? &cc->places : NULL, ra->place, rb->place,
                                      ra->empty & EMPTY_PLACE, rb->empty & EMPTY_PLACE));
    lv[F_NAT] = packed_code_level(a, i, b, j, REG_NATIONALITY, LONG_NAT, ra->nat, rb->nat, "XXX");
    lv[F_BCOUNTRY] = packed_code_level(a, i, b, j, REG_BIRTH_COUNTRY, LONG_BCOUNTRY, ra->bcountry,
                                       rb->bcountry, "XXX");
}

/* ---- candidate scoring (parallel over fixed chunks, joined in order) ---- */

struct chunk_out {
    uint32_t *a, *b;
    uint8_t *lv; /* n * NF */
    float *tf;   /* n: term-frequency adjustment of the pair */
    size_t n, cap;
    size_t skipped;
    fn_status rc;
};

struct result;
static double tf_pair(const struct result *r, const struct dicts *dc, const struct side *a,
                      size_t i, const struct side *b, size_t j, const uint8_t *lv);

struct score_ctx {
    const struct result *r;
    const struct dicts *dc;
    const struct side *loc, *cen;
    const struct block_index *ix;
    struct chunk_out *chunks;
    size_t nchunks;
    atomic_size_t next;
    atomic_size_t done;
    struct fn_progress *pr; /* updated by the main thread only */
    pthread_t main_thread;
};

static fn_status chunk_push(struct chunk_out *c, uint32_t a, uint32_t b, const uint8_t *lv,
                            float tf)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 4096;
        uint32_t *na = fn_reallocarray(c->a, cap, sizeof *na);
        if (!na)
            return FN_NOMEM;
        c->a = na;
        uint32_t *nb = fn_reallocarray(c->b, cap, sizeof *nb);
        if (!nb)
            return FN_NOMEM;
        c->b = nb;
        uint8_t *nl = fn_reallocarray(c->lv, cap, NF);
        if (!nl)
            return FN_NOMEM;
        c->lv = nl;
        float *nt = fn_reallocarray(c->tf, cap, sizeof *nt);
        if (!nt)
            return FN_NOMEM;
        c->tf = nt;
        c->cap = cap;
    }
    c->tf[c->n] = tf;
    c->a[c->n] = a;
    c->b[c->n] = b;
    memcpy(&c->lv[c->n * NF], lv, NF);
    c->n++;
    return FN_OK;
}

static void *score_worker(void *arg)
{
    struct score_ctx *x = arg;
    uint32_t *cand = fn_malloc(MAX_CAND * sizeof *cand);
    struct caches *cc = caches_new(x->loc->n + x->cen->n);
    for (;;) {
        size_t k = atomic_fetch_add(&x->next, 1);
        if (k >= x->nchunks)
            break;
        struct chunk_out *c = &x->chunks[k];
        if (!cand || !cc) {
            c->rc = FN_NOMEM;
            continue;
        }
        size_t from = k * CHUNK, to = from + CHUNK;
        if (to > x->loc->n)
            to = x->loc->n;
        for (size_t i = from; i < to && !c->rc; i++) {
            size_t n = 0, sk = 0;
            fn_status rc =
                block_candidates(x->ix, &x->loc->keys[i * NKEYS], cand, MAX_CAND, &n, &sk);
            if (rc && rc != FN_TOO_LARGE) {
                c->rc = rc;
                break;
            }
            c->skipped += sk;
            for (size_t q = 0; q < n; q++) {
                uint8_t lv[NF];
                if (q + 4 < n) /* the records are far apart in memory */
                    __builtin_prefetch(&x->cen->rec[cand[q + 4]]);
                compare_pair(x->dc, cc, x->loc, i, x->cen, cand[q], lv, NULL);
                float tf = (float)tf_pair(x->r, x->dc, x->loc, i, x->cen, cand[q], lv);
                c->rc = chunk_push(c, (uint32_t)i, cand[q], lv, tf);
                if (c->rc)
                    break;
            }
        }
        size_t done = atomic_fetch_add(&x->done, to - from) + (to - from);
        if (x->pr && pthread_equal(pthread_self(), x->main_thread))
            fn_progress_update(x->pr, done);
    }
    caches_free(cc);
    fn_free(cand);
    return NULL;
}

/* ---- the model for small inputs ---- */

/* Below this many possible pairs, random pairs contain too many true matches
 * to estimate u and EM has too few pairs: documented default m and u
 * (docs/reconcile.md) are used instead, with p = 0.5. */
#define SMALL_INPUT_PAIRS 20000.0

static void default_model(struct fs_model *fm)
{
    static const double name_m[7] = {0.80, 0.07, 0.04, 0.04, 0.01, 0.02, 0.02};
    static const double name_u[7] = {0.002, 0.001, 0.003, 0.01, 0.05, 0.914, 0.02};
    static const double date_m[8] = {0.80, 0.06, 0.04, 0.03, 0.01, 0.02, 0.02, 0.02};
    static const double date_u[8] = {0.0005, 0.01, 0.002, 0.001, 0.0001, 0.002, 0.9644, 0.02};
    static const double code_m[4] = {0.93, 0.02, 0.02, 0.03};
    static const double code_u[4] = {0.2, 0.01, 0.77, 0.02};
    static const double azr_m[4] = {0.60, 0.01, 0.01, 0.38};
    static const double azr_u[4] = {0.000001, 0.00001, 0.599989, 0.4};
    for (int f = 0; f < NF; f++) {
        const double *m = code_m, *u = code_u;
        if (f == F_FAMILY || f == F_GIVEN || f == F_PLACE) {
            m = name_m;
            u = name_u;
        } else if (f == F_BDATE) {
            m = date_m;
            u = date_u;
        } else if (f == F_AZR) {
            m = azr_m;
            u = azr_u;
        }
        for (int l = 0; l < field_nlevels[f]; l++) {
            fm->m[f][l] = m[l];
            fm->u[f][l] = u[l];
            fm->weight[f][l] = log2(m[l] / u[l]);
        }
    }
    fm->p = 0.5;
    fm->iterations = 0;
}

/* ---- random pairs for u ---- */

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

struct random_ctx {
    const struct dicts *dc;
    const struct side *loc, *cen;
    const uint32_t *pi, *pj; /* the pairs */
    uint8_t *lv;             /* RANDOM_PAIRS * NF */
};

static fn_status random_range(void *ctx, int range, size_t from, size_t to)
{
    (void)range;
    struct random_ctx *x = ctx;
    for (size_t k = from; k < to; k++)
        compare_pair(x->dc, NULL, x->loc, x->pi[k], x->cen, x->pj[k], &x->lv[k * NF], NULL);
    return FN_OK;
}

/* Comparison levels of RANDOM_PAIRS seeded random pairs, counted into ps
 * in the order of the seed sequence (the same for any thread count). */
static fn_status random_pair_levels(const struct dicts *dc, const struct side *loc,
                                    const struct side *cen, int threads, struct fs_patterns *ps)
{
    uint32_t *pi = fn_malloc(RANDOM_PAIRS * sizeof *pi);
    uint32_t *pj = fn_malloc(RANDOM_PAIRS * sizeof *pj);
    uint8_t *lv = fn_malloc(RANDOM_PAIRS * NF);
    fn_status rc = FN_NOMEM;
    if (!pi || !pj || !lv)
        goto out;
    uint64_t seed = 0x5eed2026u;
    for (size_t k = 0; k < RANDOM_PAIRS; k++) {
        pi[k] = (uint32_t)(splitmix(&seed) % loc->n);
        pj[k] = (uint32_t)(splitmix(&seed) % cen->n);
    }
    struct random_ctx x = {dc, loc, cen, pi, pj, lv};
    rc = fn_parallel_ranges(threads, RANDOM_PAIRS, random_range, &x);
    if (rc)
        goto out;
    for (size_t k = 0; k < RANDOM_PAIRS; k++) {
        rc = fs_patterns_add(ps, &lv[k * NF], 1);
        if (rc)
            goto out;
    }
    rc = FN_OK;
out:
    fn_free(pi);
    fn_free(pj);
    fn_free(lv);
    return rc;
}

/* ---- differences ---- */

enum rule {
    RULE_NONE,
    R1_LATER_UPDATE,
    R2_DOCUMENT_BACKED,
    R3_FULL_DATE,
    R4_FULLER_NAME,
    R5_FILLED_OVER_EMPTY,
    R6_AZR_ISSUES_NUMBER,
    R7_KNOWN_OVER_UNKNOWN,
};
static const char *const rule_ids[] = {"unknown",
                                       "R1-later-update",
                                       "R2-document-backed-identity",
                                       "R3-full-date-over-placeholder",
                                       "R4-fuller-name",
                                       "R5-filled-over-empty",
                                       "R6-azr-issues-azr-nr",
                                       "R7-known-over-unknown"};

struct diff {
    uint32_t a, b;
    uint8_t field; /* register_column */
    uint8_t side;  /* 0 unknown, 1 local, 2 azr */
    uint8_t rule;
};

/* Folds a value for comparison: trim, collapse blanks, case fold (NFKC for
 * non-ASCII). Writes into out (cap LINK_KEY_MAX * 4). */
static void fold_value(struct link_translit *t, const char *s, struct fn_buf *out)
{
    fn_buf_reset(out);
    if (fn_utf8_is_ascii(s, strlen(s))) {
        int blank = 0;
        for (const char *p = s; *p; p++) {
            char c = *p;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                blank = 1;
                continue;
            }
            if (blank && out->len && fn_buf_append_char(out, ' '))
                return;
            blank = 0;
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (fn_buf_append_char(out, c))
                return;
        }
        return;
    }
    if (link_translit_fold(t, s, strlen(s), out)) {
        fn_buf_reset(out);
        if (fn_buf_append_str(out, s))
            fn_buf_reset(out);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Aliases compared as a set of folded entries. */
static int aliases_equal(struct link_translit *t, const char *a, const char *b)
{
    char **items[2] = {NULL, NULL};
    size_t n[2] = {0, 0}, cap[2] = {0, 0};
    const char *src[2] = {a, b};
    struct fn_buf f;
    fn_buf_init(&f, FN_BUF_SMALL);
    int eq = 0;
    for (int s = 0; s < 2; s++) {
        const char *p = src[s];
        while (*p) {
            const char *e = strchr(p, ';');
            if (n[s] == cap[s]) {
                size_t nc = cap[s] ? cap[s] * 2 : 16;
                char **ni = fn_reallocarray(items[s], nc, sizeof *ni);
                if (!ni)
                    goto out;
                items[s] = ni;
                cap[s] = nc;
            }
            size_t len = e ? (size_t)(e - p) : strlen(p);
            char *tmp = fn_strndup(p, len);
            if (!tmp)
                goto out;
            fold_value(t, tmp, &f);
            fn_free(tmp);
            /* "family | given" and "family|given" are the same alias */
            char *it = fn_malloc(f.len + 1);
            if (!it)
                goto out;
            size_t w = 0;
            for (size_t k = 0; k < f.len; k++) {
                if (f.data[k] == ' ' &&
                    ((k + 1 < f.len && f.data[k + 1] == '|') || (w && it[w - 1] == '|')))
                    continue;
                it[w++] = f.data[k];
            }
            it[w] = 0;
            if (w)
                items[s][n[s]++] = it;
            else
                fn_free(it);
            if (!e)
                break;
            p = e + 1;
        }
        if (n[s] > 1)
            qsort(items[s], n[s], sizeof(char *), cmp_str);
        size_t u = 0;
        for (size_t k = 0; k < n[s]; k++) {
            if (u && !strcmp(items[s][u - 1], items[s][k])) {
                fn_free(items[s][k]);
                continue;
            }
            items[s][u++] = items[s][k];
        }
        n[s] = u;
    }
    eq = n[0] == n[1];
    for (size_t k = 0; eq && k < n[0]; k++)
        eq = !strcmp(items[0][k], items[1][k]);
out:
    for (int s = 0; s < 2; s++) {
        for (size_t k = 0; k < n[s]; k++)
            fn_free(items[s][k]);
        fn_free(items[s]);
    }
    fn_buf_free(&f);
    return eq;
}

static int is_name_field(int c)
{
    return c == REG_FAMILY_NAME || c == REG_GIVEN_NAMES || c == REG_BIRTH_NAME;
}

static int is_identity_field(int c)
{
    return is_name_field(c) || c == REG_BIRTH_DATE || c == REG_BIRTH_PLACE || c == REG_SEX ||
           c == REG_BIRTH_COUNTRY || c == REG_NATIONALITY || c == REG_ALIASES;
}

static int is_unknown_code(int c, const char *v)
{
    if (c == REG_SEX)
        return !strcmp(v, "u") || !strcmp(v, "U");
    if (c == REG_NATIONALITY || c == REG_BIRTH_COUNTRY)
        return !strcmp(v, "XXX");
    if (c == REG_RESIDENCE_STATUS)
        return !strcmp(v, "unbekannt");
    return 0;
}

/* Token subset: every token of small is in big (ascii keys). */
static int tokens_subset(const struct link_name_keys *small, const struct link_name_keys *big)
{
    if (small->ntokens >= big->ntokens)
        return 0;
    for (int i = 0; i < small->ntokens; i++) {
        int found = 0;
        for (int j = 0; j < big->ntokens && !found; j++)
            found = small->tok_len[i] == big->tok_len[j] &&
                    !memcmp(small->ascii + small->tok_off[i], big->ascii + big->tok_off[j],
                            small->tok_len[i]);
        if (!found)
            return 0;
    }
    return 1;
}

/* Decides which side is likely right for field c of the pair (i, j).
 * Returns the rule; *side = 1 local, 2 azr, 0 unknown. */
static enum rule decide(const struct dicts *dc, const struct side *a, size_t i,
                        const struct side *b, size_t j, int c, int *side)
{
    const char *va = V(a, i, c), *vb = V(b, j, c);
    *side = 0;
    if (c == REG_AZR_NR) {
        if (!*va || !*vb) {
            *side = *va ? 1 : 2;
            return R5_FILLED_OVER_EMPTY;
        }
        *side = 2;
        return R6_AZR_ISSUES_NUMBER;
    }
    if (!*va != !*vb) {
        *side = *va ? 1 : 2;
        return R5_FILLED_OVER_EMPTY;
    }
    if (is_unknown_code(c, va) != is_unknown_code(c, vb)) {
        *side = is_unknown_code(c, va) ? 2 : 1;
        return R7_KNOWN_OVER_UNKNOWN;
    }
    if (c == REG_BIRTH_DATE) {
        const struct fn_pdate *da = &a->rec[i].bdate, *db = &b->rec[j].bdate;
        int fa = da->day && !(da->flags & FN_PDATE_PLACEHOLDER);
        int fb = db->day && !(db->flags & FN_PDATE_PLACEHOLDER);
        if (fa != fb && da->year && db->year && da->year == db->year) {
            *side = fa ? 1 : 2;
            return R3_FULL_DATE;
        }
    }
    if (c == REG_GIVEN_NAMES || c == REG_FAMILY_NAME) {
        const struct link_name_keys *ka =
            link_name_dict_keys(dc->names, c == REG_GIVEN_NAMES ? a->rec[i].giv : a->rec[i].fam);
        const struct link_name_keys *kb =
            link_name_dict_keys(dc->names, c == REG_GIVEN_NAMES ? b->rec[j].giv : b->rec[j].fam);
        if (tokens_subset(ka, kb)) {
            *side = 2;
            return R4_FULLER_NAME;
        }
        if (tokens_subset(kb, ka)) {
            *side = 1;
            return R4_FULLER_NAME;
        }
    }
    if (is_identity_field(c)) {
        int ga = !strcmp(V(a, i, REG_IDENTITY_STATUS), "geklaert");
        int gb = !strcmp(V(b, j, REG_IDENTITY_STATUS), "geklaert");
        if (ga != gb) {
            *side = ga ? 1 : 2;
            return R2_DOCUMENT_BACKED;
        }
        return RULE_NONE;
    }
    /* residence, address, authority, identity status: the later update */
    const char *ua = V(a, i, REG_UPDATED_AT), *ub = V(b, j, REG_UPDATED_AT);
    if (*ua && *ub) {
        int k = strcmp(ua, ub);
        if (k) {
            *side = k > 0 ? 1 : 2;
            return R1_LATER_UPDATE;
        }
    }
    return RULE_NONE;
}

static int values_differ(struct link_translit *t, const struct side *a, size_t i,
                         const struct side *b, size_t j, int c, struct fn_buf *fa,
                         struct fn_buf *fb)
{
    const char *va = V(a, i, c), *vb = V(b, j, c);
    if (!strcmp(va, vb))
        return 0;
    if (c == REG_ALIASES)
        return !aliases_equal(t, va, vb);
    if (c == REG_BIRTH_DATE || c == REG_RESIDENCE_SINCE) {
        struct fn_pdate da, db;
        if (!fn_pdate_parse(va, strlen(va), &da) && !fn_pdate_parse(vb, strlen(vb), &db))
            return !fn_pdate_equal(&da, &db);
    }
    fold_value(t, va, fa);
    fold_value(t, vb, fb);
    return strcmp(fn_buf_str(fa), fn_buf_str(fb)) != 0;
}

/* ---- output ---- */

struct result {
    struct fs_model fm;
    double threshold;
    struct assign_pair *matches;
    size_t nmatches;
    struct assign_conflict *conflicts;
    size_t nconflicts;
    struct diff *diffs;
    size_t ndiffs, dcap;
    uint32_t *azr_conflict_a, *azr_conflict_b; /* azr_nr pointing at another person */
    size_t nazr_conflicts;
    size_t candidate_pairs, skipped_blocks;
    double t_load, t_keys, t_score, t_model, t_diffs, t_write;
    double t_compare; /* the candidate comparison loop */
    int threads;
    int em_iterations;
    int assign_rounds;
    double u_random[NF][8]; /* u as estimated from random pairs */
    float *tf_fam, *tf_giv; /* TF adjustment per name value (tf_tables) */
    uint8_t *match_round;   /* per local record: assignment round of its link */
    double start_m[NF][8];  /* m of the start model (documented defaults) */
    size_t mb_pairs;        /* best-candidate pairs EM ran on */
    double est_matches;     /* estimated true pairs: EM share x mb_pairs */
    double prior;           /* est_matches / (local records x AZR records) */
    size_t names_distinct, places_distinct;
};

/* Term-frequency adjustment: an exactly agreeing family or given name
 * weighs log2(m / f) instead of log2(m / u), where f is the share of
 * records whose name in that field romanises to the same key and u the
 * chance that two random records agree on the field. A rare name agreeing
 * says more than "Mohammad" agreeing. Bounded to +-TF_MAX_ADJ bits so one
 * field cannot outweigh the others. */
#define TF_MAX_ADJ 4.0
/* Weight the fields other than the AZR number must reach for an AZR-number
 * agreement to count (see azr_alone). */
#define AZR_ALONE_FLOOR 0.0
/* Rounds of mutual-best assignment (see rec_run). */
#define ASSIGN_ROUNDS 4
#ifndef LATER_ROUND_MARGIN
#define LATER_ROUND_MARGIN 5.0 /* bits above the threshold in rounds 2.. */
#endif

/* 1 when a pair agrees on the AZR number but not on the person: fewer than
 * two of family name, given names and birth date agree (names at least
 * weakly, i.e. a typo; the date at most with a typo), or the other fields together weigh below
 * AZR_ALONE_FLOOR. Such a number is likely wrong on one side; the pair is
 * not linked and is reported as azr_nr_other_person. rest_weight is the
 * weight without the AZR contribution (pass 0 to test only the fields). */
static int azr_alone(const uint8_t *lv, double rest_weight)
{
    if (lv[F_AZR] != 0)
        return 0;
    int agree = (lv[F_FAMILY] <= 4) + (lv[F_GIVEN] <= 4) + (lv[F_BDATE] <= 5);
    return agree < 2 || rest_weight < AZR_ALONE_FLOOR;
}
#define TF_MIN_FREQ 1e-7

/* The adjustment of a value, before the bounds: log2(u / f). */
static double tf_value(const struct result *r, const struct dicts *dc, int f, uint32_t x, int slot)
{
    double fr = link_name_dict_frequency(dc->names, x, slot);
    double u = r->u_random[f][0];
    if (fr <= 0.0 || u <= 0.0)
        return 0.0;
    if (fr < TF_MIN_FREQ)
        fr = TF_MIN_FREQ;
    double adj = log2(u / fr);
    return adj > TF_MAX_ADJ ? TF_MAX_ADJ : adj < -TF_MAX_ADJ ? -TF_MAX_ADJ : adj;
}

/* Fills r->tf_fam and r->tf_giv: the adjustment of every name value as a
 * family and as a given name (needs u_random). */
static fn_status tf_tables(struct result *r, const struct dicts *dc)
{
    size_t n = link_name_dict_size(dc->names);
    r->tf_fam = fn_malloc((n ? n : 1) * sizeof *r->tf_fam);
    r->tf_giv = fn_malloc((n ? n : 1) * sizeof *r->tf_giv);
    if (!r->tf_fam || !r->tf_giv)
        return FN_NOMEM;
    for (size_t x = 0; x < n; x++) {
        r->tf_fam[x] = (float)tf_value(r, dc, F_FAMILY, (uint32_t)x, 0);
        r->tf_giv[x] = (float)tf_value(r, dc, F_GIVEN, (uint32_t)x, 1);
    }
    return FN_OK;
}

static double tf_adjust(const struct result *r, const struct dicts *dc, int f, uint8_t level,
                        uint32_t xa, uint32_t xb, int slot)
{
    if (level != 0) /* exact agreement only */
        return 0.0;
    if (xa != xb) { /* equal after folding, or the agreement of swapped names */
        const struct link_name_keys *ka = link_name_dict_keys(dc->names, xa);
        const struct link_name_keys *kb = link_name_dict_keys(dc->names, xb);
        if (strcmp(ka->ascii, kb->ascii))
            return 0.0;
    }
    (void)f;
    return slot ? r->tf_giv[xb] : r->tf_fam[xb];
}

/* Match weight of the pair (i, j) with comparison vector lv, including the
 * term-frequency adjustment; contrib (NF entries or NULL) receives the
 * per-field contributions, which sum to the weight. */
/* The term-frequency adjustments of the pair (family and given names). */
static double tf_pair(const struct result *r, const struct dicts *dc, const struct side *a,
                      size_t i, const struct side *b, size_t j, const uint8_t *lv)
{
    return tf_adjust(r, dc, F_FAMILY, lv[F_FAMILY], a->rec[i].fam, b->rec[j].fam, 0) +
           tf_adjust(r, dc, F_GIVEN, lv[F_GIVEN], a->rec[i].giv, b->rec[j].giv, 1);
}

/* Weight from the model's table plus a precomputed TF adjustment. */
static double fast_weight(const struct fs_model *fm, const uint8_t *lv, double tf)
{
    double w = tf;
    for (int f = 0; f < NF; f++)
        w += fm->weight[f][lv[f]];
    return w;
}

static double pair_weight_with(const struct fs_model *fm, const struct result *r,
                               const struct dicts *dc, const struct side *a, size_t i,
                               const struct side *b, size_t j, const uint8_t *lv, double *contrib)
{
    double c[NF];
    double w = fs_model_weight(fm, lv, c);
    double t1 = tf_adjust(r, dc, F_FAMILY, lv[F_FAMILY], a->rec[i].fam, b->rec[j].fam, 0);
    double t2 = tf_adjust(r, dc, F_GIVEN, lv[F_GIVEN], a->rec[i].giv, b->rec[j].giv, 1);
    c[F_FAMILY] += t1;
    c[F_GIVEN] += t2;
    if (contrib)
        memcpy(contrib, c, sizeof c);
    return w + t1 + t2;
}

static double pair_weight(const struct result *r, const struct dicts *dc, const struct side *a,
                          size_t i, const struct side *b, size_t j, const uint8_t *lv,
                          double *contrib)
{
    return pair_weight_with(&r->fm, r, dc, a, i, b, j, lv, contrib);
}

/* The comparison patterns of each local record's best candidate under the
 * start model (documented m, random-pair u, TF adjustment; ties go to the
 * lower index): mostly true pairs, plus the best candidates of records
 * without a partner. One pass in record order. Fills r->start_m and
 * r->mb_pairs. */
static fn_status best_candidate_patterns(struct result *r, const struct dicts *dc,
                                         const struct side *loc, const struct side *cen,
                                         const struct chunk_out *chunks, size_t nchunks,
                                         struct fs_patterns *out)
{
    struct fs_model start = r->fm; /* nfields and nlevels */
    default_model(&start);
    for (int f = 0; f < NF; f++)
        for (int l = 0; l < field_nlevels[f]; l++) {
            r->start_m[f][l] = start.m[f][l];
            start.u[f][l] = r->u_random[f][l];
            start.weight[f][l] = log2(start.m[f][l] / start.u[f][l]);
        }
    fn_status rc = fs_patterns_init(out, NF);
    if (rc)
        return rc;
    for (size_t k = 0; k < nchunks; k++) {
        const struct chunk_out *c = &chunks[k];
        for (size_t q = 0; q < c->n;) {
            size_t e = q, best = q;
            double w_best = -1e300;
            for (; e < c->n && c->a[e] == c->a[q]; e++) {
                double w = fast_weight(&start, &c->lv[e * NF], c->tf[e]);
                if (w > w_best) {
                    w_best = w;
                    best = e;
                }
            }
            if (!azr_alone(&c->lv[best * NF], 0.0)) {
                rc = fs_patterns_add(out, &c->lv[best * NF], 1);
                if (rc)
                    return rc;
                r->mb_pairs++;
            }
            q = e;
        }
    }
    return FN_OK;
}

static fn_status open_out(const char *dir, const char *name, struct fn_atomic_file *f)
{
    char path[4096];
    int k = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (k < 0 || (size_t)k >= sizeof path)
        return FN_TOO_LARGE;
    return fn_atomic_open(f, path);
}

static fn_status finish_out(struct fn_atomic_file *f, fn_status rc, struct fn_csv_writer *w)
{
    if (!rc && w && w->failed)
        rc = FN_IO;
    if (rc) {
        fn_atomic_abort(f);
        return rc;
    }
    return fn_atomic_commit(f);
}

#define PUT(expr)                                                                                  \
    do {                                                                                           \
        rc = (expr);                                                                               \
        if (rc)                                                                                    \
            goto out;                                                                              \
    } while (0)

static fn_status write_row_strings(struct fn_csv_writer *w, const char *const *f, size_t n)
{
    return fn_csv_put_row(w, f, n);
}

static fn_status write_matches(const char *dir, const struct side *a, const struct side *b,
                               const struct result *r)
{
    struct fn_atomic_file f;
    struct fn_csv_writer w;
    fn_status rc = open_out(dir, "matches.csv", &f);
    if (rc)
        return rc;
    PUT(fn_csv_writer_init(&w, f.fp, 0));
    static const char *const head[] = {"local_id",    "azr_id",      "weight",
                                       "probability", "differences", "round"};
    PUT(write_row_strings(&w, head, 6));
    size_t d = 0;
    for (size_t k = 0; k < r->nmatches; k++) {
        const struct assign_pair *m = &r->matches[k];
        size_t nd = 0;
        while (d < r->ndiffs && r->diffs[d].a == m->a && r->diffs[d].b == m->b) {
            d++;
            nd++;
        }
        PUT(fn_csv_put_str(&w, V(a, m->a, REG_RECORD_ID)));
        PUT(fn_csv_put_str(&w, V(b, m->b, REG_RECORD_ID)));
        PUT(fn_csv_put_double(&w, m->w, 2));
        /* posterior among all pairs, with the prior the threshold uses */
        double lp = log2(r->prior / (1.0 - r->prior));
        PUT(fn_csv_put_double(&w, 1.0 / (1.0 + exp2(-(m->w + lp))), 4));
        PUT(fn_csv_put_long(&w, (long long)nd));
        PUT(fn_csv_put_long(&w, r->match_round[m->a]));
        PUT(fn_csv_end_row(&w));
    }
out:
    return finish_out(&f, rc, &w);
}

static fn_status write_diffs(const char *dir, const struct side *a, const struct side *b,
                             const struct result *r)
{
    struct fn_atomic_file f;
    struct fn_csv_writer w;
    fn_status rc = open_out(dir, "diffs.csv", &f);
    if (rc)
        return rc;
    PUT(fn_csv_writer_init(&w, f.fp, 0));
    static const char *const head[] = {"local_id",  "azr_id",         "field", "local_value",
                                       "azr_value", "likely_correct", "reason"};
    PUT(write_row_strings(&w, head, 7));
    static const char *const sides[] = {"unknown", "local", "azr"};
    for (size_t k = 0; k < r->ndiffs; k++) {
        const struct diff *x = &r->diffs[k];
        const char *row[7] = {
            V(a, x->a, REG_RECORD_ID), V(b, x->b, REG_RECORD_ID), register_column_name(x->field),
            V(a, x->a, x->field),      V(b, x->b, x->field),      sides[x->side],
            rule_ids[x->rule]};
        PUT(write_row_strings(&w, row, 7));
    }
out:
    return finish_out(&f, rc, &w);
}

static fn_status write_unmatched(const char *dir, const char *name, const struct side *s,
                                 const unsigned char *linked)
{
    struct fn_atomic_file f;
    struct fn_csv_writer w;
    fn_status rc = open_out(dir, name, &f);
    if (rc)
        return rc;
    PUT(fn_csv_writer_init(&w, f.fp, 0));
    static const char *const head[] = {"record_id",   "azr_nr",     "family_name",
                                       "given_names", "birth_date", "nationality"};
    PUT(write_row_strings(&w, head, 6));
    for (size_t i = 0; i < s->n; i++) {
        if (linked[i])
            continue;
        const char *row[6] = {V(s, i, REG_RECORD_ID),   V(s, i, REG_AZR_NR),
                              V(s, i, REG_FAMILY_NAME), V(s, i, REG_GIVEN_NAMES),
                              V(s, i, REG_BIRTH_DATE),  V(s, i, REG_NATIONALITY)};
        PUT(write_row_strings(&w, row, 6));
    }
out:
    return finish_out(&f, rc, &w);
}

static fn_status write_conflicts(const char *dir, const struct side *a, const struct side *b,
                                 const struct result *r)
{
    struct fn_atomic_file f;
    struct fn_csv_writer w;
    fn_status rc = open_out(dir, "conflicts.csv", &f);
    if (rc)
        return rc;
    PUT(fn_csv_writer_init(&w, f.fp, 0));
    static const char *const head[] = {"kind", "local_id", "azr_id", "weight", "detail"};
    PUT(write_row_strings(&w, head, 5));
    for (size_t k = 0; k < r->nconflicts; k++) {
        const struct assign_conflict *c = &r->conflicts[k];
        int tied = c->kind == ASSIGN_TIED;
        PUT(fn_csv_put_str(&w, tied ? "tied" : "contested"));
        PUT(fn_csv_put_str(&w, V(a, c->a, REG_RECORD_ID)));
        PUT(fn_csv_put_str(&w, V(b, c->b, REG_RECORD_ID)));
        PUT(fn_csv_put_double(&w, c->w, 2));
        PUT(fn_csv_put_str(&w, tied ? "zwei AZR-Datensätze passen gleich gut"
                                    : "der AZR-Datensatz passt besser zu einem anderen "
                                      "lokalen Datensatz"));
        PUT(fn_csv_end_row(&w));
    }
    for (size_t k = 0; k < r->nazr_conflicts; k++) {
        PUT(fn_csv_put_str(&w, "azr_nr_other_person"));
        PUT(fn_csv_put_str(&w, V(a, r->azr_conflict_a[k], REG_RECORD_ID)));
        PUT(fn_csv_put_str(&w, V(b, r->azr_conflict_b[k], REG_RECORD_ID)));
        PUT(fn_csv_put_str(&w, ""));
        PUT(fn_csv_put_str(&w, "die AZR-Nummer gehört im AZR zu einer anderen Person"));
        PUT(fn_csv_end_row(&w));
    }
out:
    return finish_out(&f, rc, &w);
}

static fn_status write_rejected(const char *dir, const struct rejects *rj)
{
    struct fn_atomic_file f;
    struct fn_csv_writer w;
    fn_status rc = open_out(dir, "rejected.csv", &f);
    if (rc)
        return rc;
    PUT(fn_csv_writer_init(&w, f.fp, 0));
    static const char *const head[] = {"file", "line", "reason"};
    PUT(write_row_strings(&w, head, 3));
    for (size_t k = 0; k < rj->n; k++) {
        PUT(fn_csv_put_str(&w, rj->r[k].file));
        PUT(fn_csv_put_long(&w, rj->r[k].line));
        PUT(fn_csv_put_str(&w, rj->r[k].reason));
        PUT(fn_csv_end_row(&w));
    }
out:
    return finish_out(&f, rc, &w);
}

static size_t count_field(const struct result *r, int field, int side)
{
    size_t n = 0;
    for (size_t k = 0; k < r->ndiffs; k++)
        if ((field < 0 || r->diffs[k].field == field) && (side < 0 || r->diffs[k].side == side))
            n++;
    return n;
}

static size_t pairs_with_diffs(const struct result *r)
{
    size_t n = 0;
    for (size_t k = 0; k < r->ndiffs; k++)
        if (k == 0 || r->diffs[k].a != r->diffs[k - 1].a || r->diffs[k].b != r->diffs[k - 1].b)
            n++;
    return n;
}

static fn_status write_summary(const char *dir, const struct side *a, const struct side *b,
                               const struct rejects *rj, const struct result *r, size_t rej_a,
                               size_t rej_b)
{
    fn_status rc = FN_NOMEM;
    char *text = NULL;
    json_t *o = json_object(), *in = json_object(), *res = json_object(), *df = json_object(),
           *lc = json_object(), *rules = json_object(), *tm = json_object(), *mo = json_object();
    if (!o || !in || !res || !df || !lc || !rules || !tm || !mo)
        goto out;
    json_object_set_new(in, "local_file", json_string(a->path));
    json_object_set_new(in, "azr_file", json_string(b->path));
    json_object_set_new(in, "local_rows", json_integer((json_int_t)a->rows_read));
    json_object_set_new(in, "azr_rows", json_integer((json_int_t)b->rows_read));
    json_object_set_new(in, "local_records", json_integer((json_int_t)a->n));
    json_object_set_new(in, "azr_records", json_integer((json_int_t)b->n));
    json_object_set_new(in, "local_rejected", json_integer((json_int_t)rej_a));
    json_object_set_new(in, "azr_rejected", json_integer((json_int_t)rej_b));
    json_object_set_new(in, "rejected_not_listed", json_integer((json_int_t)rj->dropped));
    size_t nm = r->nmatches;
    json_object_set_new(res, "matches", json_integer((json_int_t)nm));
    json_object_set_new(res, "matches_with_differences",
                        json_integer((json_int_t)pairs_with_diffs(r)));
    json_object_set_new(res, "unmatched_local", json_integer((json_int_t)(a->n - nm)));
    json_object_set_new(res, "unmatched_azr", json_integer((json_int_t)(b->n - nm)));
    json_object_set_new(res, "conflicts",
                        json_integer((json_int_t)(r->nconflicts + r->nazr_conflicts)));
    json_object_set_new(res, "differences", json_integer((json_int_t)r->ndiffs));
    json_object_set_new(res, "match_rate_local", json_real(a->n ? (double)nm / (double)a->n : 0.0));
    json_object_set_new(res, "discrepant_pair_rate",
                        json_real(nm ? (double)pairs_with_diffs(r) / (double)nm : 0.0));
    for (int c = 0; c < REG_COLUMN_COUNT; c++) {
        size_t n = count_field(r, c, -1);
        if (n)
            json_object_set_new(df, register_column_name(c), json_integer((json_int_t)n));
    }
    json_object_set_new(lc, "local", json_integer((json_int_t)count_field(r, -1, 1)));
    json_object_set_new(lc, "azr", json_integer((json_int_t)count_field(r, -1, 2)));
    json_object_set_new(lc, "unknown", json_integer((json_int_t)count_field(r, -1, 0)));
    for (size_t k = 0; k < sizeof rule_ids / sizeof rule_ids[0]; k++) {
        size_t n = 0;
        for (size_t d = 0; d < r->ndiffs; d++)
            n += r->diffs[d].rule == k;
        json_object_set_new(rules, rule_ids[k], json_integer((json_int_t)n));
    }
    json_object_set_new(mo, "candidate_pairs", json_integer((json_int_t)r->candidate_pairs));
    json_object_set_new(mo, "oversized_blocks_skipped",
                        json_integer((json_int_t)r->skipped_blocks));
    json_object_set_new(mo, "em_iterations", json_integer(r->em_iterations));
    json_object_set_new(mo, "em_pairs", json_integer((json_int_t)r->mb_pairs));
    json_object_set_new(mo, "assignment_rounds", json_integer(r->assign_rounds));
    json_object_set_new(mo, "match_share", json_real(r->fm.p));
    json_object_set_new(mo, "estimated_true_pairs", json_real(r->est_matches));
    json_object_set_new(mo, "prior", json_real(r->prior));
    json_object_set_new(mo, "distinct_names", json_integer((json_int_t)r->names_distinct));
    json_object_set_new(mo, "distinct_places", json_integer((json_int_t)r->places_distinct));
    json_object_set_new(mo, "threshold_weight", json_real(r->threshold));
    json_object_set_new(tm, "load_s", json_real(r->t_load));
    json_object_set_new(tm, "keys_s", json_real(r->t_keys));
    json_object_set_new(tm, "score_s", json_real(r->t_score));
    json_object_set_new(tm, "model_assign_s", json_real(r->t_model));
    json_object_set_new(tm, "diffs_s", json_real(r->t_diffs));
    /* the comparison loop alone: candidates found and compared */
    json_object_set_new(tm, "compare_s", json_real(r->t_compare));
    json_object_set_new(tm, "threads", json_integer(r->threads));
    json_object_set_new(tm, "pairs_per_second_per_thread",
                        json_real(r->t_compare > 0 && r->threads
                                      ? (double)r->candidate_pairs / r->t_compare / r->threads
                                      : 0.0));
    json_object_set_new(o, "input", in);
    json_object_set_new(o, "result", res);
    json_object_set_new(o, "differences_by_field", df);
    json_object_set_new(o, "likely_correct", lc);
    json_object_set_new(o, "rules", rules);
    json_object_set_new(o, "model", mo);
    json_object_set_new(o, "timings", tm);
    in = res = df = lc = rules = tm = mo = NULL;
    text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text)
        goto out;
    char path[4096];
    int k = snprintf(path, sizeof path, "%s/summary.json", dir);
    if (k < 0 || (size_t)k >= sizeof path) {
        rc = FN_TOO_LARGE;
        goto out;
    }
    rc = fn_write_file_atomic(path, text, strlen(text));
out:
    free(text);
    json_decref(o);
    json_decref(in);
    json_decref(res);
    json_decref(df);
    json_decref(lc);
    json_decref(rules);
    json_decref(tm);
    json_decref(mo);
    return rc;
}

static void html_escape(FILE *fp, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", fp);
            break;
        case '>':
            fputs("&gt;", fp);
            break;
        case '&':
            fputs("&amp;", fp);
            break;
        case '"':
            fputs("&quot;", fp);
            break;
        default:
            fputc(*s, fp);
        }
    }
}

static const char *field_de(int c)
{
    static const char *const de[REG_COLUMN_COUNT] = {"Datensatz-ID",      "AZR-Nummer",
                                                     "Familienname",      "Vornamen",
                                                     "Geburtsname",       "Geschlecht",
                                                     "Geburtsdatum",      "Geburtsort",
                                                     "Geburtsstaat",      "Staatsangehörigkeit",
                                                     "Aufenthaltsstatus", "Aufenthalt seit",
                                                     "Identitätsstatus",  "Straße",
                                                     "Postleitzahl",      "Wohnort",
                                                     "Ausländerbehörde",  "Stand",
                                                     "Aliasidentitäten"};
    return de[c];
}

static void svg_bars(FILE *fp, const char *const *labels, const size_t *vals, size_t n)
{
    size_t max = 1;
    for (size_t k = 0; k < n; k++)
        if (vals[k] > max)
            max = vals[k];
    int h = (int)n * 24 + 10;
    fprintf(fp, "<svg role=\"img\" width=\"640\" height=\"%d\" viewBox=\"0 0 640 %d\">\n", h, h);
    for (size_t k = 0; k < n; k++) {
        int y = (int)k * 24 + 5;
        int wdt = (int)(380.0 * (double)vals[k] / (double)max);
        fprintf(fp, "<text x=\"0\" y=\"%d\" font-size=\"13\">", y + 14);
        html_escape(fp, labels[k]);
        fprintf(fp,
                "</text><rect x=\"190\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"#2b6cb0\"/>"
                "<text x=\"%d\" y=\"%d\" font-size=\"13\">%zu</text>\n",
                y, wdt, 196 + wdt, y + 14, vals[k]);
    }
    fputs("</svg>\n", fp);
}

static fn_status write_report(const char *dir, const struct side *a, const struct side *b,
                              const struct rejects *rj, const struct result *r)
{
    struct fn_atomic_file f;
    fn_status rc = open_out(dir, "report.html", &f);
    if (rc)
        return rc;
    FILE *fp = f.fp;
    size_t nm = r->nmatches, nd = pairs_with_diffs(r);
    fputs("<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">"
          "<title>Registerabgleich Ausländerdatei – AZR</title><style>body{font-family:sans-serif;"
          "max-width:60em;margin:2em auto;color:#1a202c}table{border-collapse:collapse}"
          "td,th{border:1px solid #cbd5e0;padding:.3em .6em;text-align:left}"
          "td.n{text-align:right}</style></head><body>\n"
          "<h1>Registerabgleich Ausländerdatei – AZR</h1>\n",
          fp);
    fputs("<p>Lokale Datei: ", fp);
    html_escape(fp, a->path);
    fputs("<br>AZR-Datei: ", fp);
    html_escape(fp, b->path);
    fputs("</p>\n<h2>Übersicht</h2>\n<table>\n", fp);
    fprintf(fp, "<tr><th>Datensätze lokal</th><td class=\"n\">%zu</td></tr>\n", a->n);
    fprintf(fp, "<tr><th>Datensätze AZR</th><td class=\"n\">%zu</td></tr>\n", b->n);
    fprintf(fp, "<tr><th>Unlesbare Zeilen (rejected.csv)</th><td class=\"n\">%zu</td></tr>\n",
            rj->n + rj->dropped);
    fprintf(fp, "<tr><th>Zugeordnete Paare (matches.csv)</th><td class=\"n\">%zu</td></tr>\n", nm);
    fprintf(fp, "<tr><th>davon mit Abweichungen</th><td class=\"n\">%zu (%.1f %%)</td></tr>\n", nd,
            nm ? 100.0 * (double)nd / (double)nm : 0.0);
    fprintf(fp, "<tr><th>Abweichungen insgesamt (diffs.csv)</th><td class=\"n\">%zu</td></tr>\n",
            r->ndiffs);
    fprintf(fp,
            "<tr><th>Ohne Partner lokal (unmatched_local.csv)</th><td class=\"n\">%zu</td></tr>\n",
            a->n - nm);
    fprintf(fp,
            "<tr><th>Ohne Partner im AZR (unmatched_azr.csv)</th><td class=\"n\">%zu</td></tr>\n",
            b->n - nm);
    fprintf(fp, "<tr><th>Konflikte (conflicts.csv)</th><td class=\"n\">%zu</td></tr>\n",
            r->nconflicts + r->nazr_conflicts);
    fputs("</table>\n<h2>Abweichungen nach Feld</h2>\n", fp);
    const char *labels[REG_COLUMN_COUNT];
    size_t vals[REG_COLUMN_COUNT], n = 0;
    for (int c = 0; c < REG_COLUMN_COUNT; c++) {
        size_t v = count_field(r, c, -1);
        if (!v)
            continue;
        labels[n] = field_de(c);
        vals[n++] = v;
    }
    if (n)
        svg_bars(fp, labels, vals, n);
    else
        fputs("<p>Keine Abweichungen.</p>\n", fp);
    fputs("<h2>Welche Seite ist wahrscheinlich richtig?</h2>\n", fp);
    const char *sl[3] = {"lokal", "AZR", "unklar (keine Regel entscheidet)"};
    size_t sv[3] = {count_field(r, -1, 1), count_field(r, -1, 2), count_field(r, -1, 0)};
    svg_bars(fp, sl, sv, 3);
    fputs("<p>Jede Abweichung nennt in diffs.csv (Spalte reason) die Regel, die entschieden hat; "
          "die Regeln sind in docs/reconcile.md beschrieben. „unknown“ heißt: keine Regel "
          "entscheidet, beide Register sind zu prüfen. Die Software entscheidet nicht über "
          "Personen; sie zeigt, wo die Register voneinander abweichen.</p>\n",
          fp);
    fprintf(fp,
            "<h2>Verfahren</h2><p>Jeder lokale Datensatz wird mit den AZR-Datensätzen "
            "verglichen, die mit ihm einen Blockschlüssel teilen (AZR-Nummer, Namensskelette "
            "mit Geburtsjahr, Geburtsort oder Geburtsdatum): %zu Kandidatenpaare. Jedes Feld "
            "trägt ein Gewicht bei (Fellegi–Sunter, ohne Trainingsdaten geschätzt: "
            "Zufallspaare und %d EM-Iterationen; seltene Namen zählen mehr als häufige). "
            "Zugeordnet wird ein Paar, wenn beide Datensätze einander am besten passen und "
            "das Gewicht die Schwelle %.2f erreicht. Eine übereinstimmende AZR-Nummer allein "
            "genügt nicht, wenn Namen und Geburtsdatum dagegen sprechen; solche Fälle und "
            "alle Mehrdeutigkeiten stehen in conflicts.csv zur Prüfung.</p>\n",
            r->candidate_pairs, r->em_iterations, r->threshold);
    fputs("</body></html>\n", fp);
    if (ferror(fp))
        rc = FN_IO;
    if (rc) {
        fn_atomic_abort(&f);
        return rc;
    }
    return fn_atomic_commit(&f);
}

/* ---- explanation ---- */

static void explain(FILE *fp, const struct dicts *dc, const struct side *a, const struct side *b,
                    size_t i, const struct block_index *ix, const struct result *r)
{
    uint32_t cand[MAX_CAND];
    size_t n = 0, sk = 0;
    fprintf(fp, "Lokaler Datensatz %s: %s, %s, geboren %s\n", V(a, i, REG_RECORD_ID),
            V(a, i, REG_FAMILY_NAME), V(a, i, REG_GIVEN_NAMES), V(a, i, REG_BIRTH_DATE));
    if (block_candidates(ix, &a->keys[i * NKEYS], cand, MAX_CAND, &n, &sk) && n == 0) {
        fputs("Kandidaten konnten nicht bestimmt werden.\n", fp);
        return;
    }
    const struct assign_pair *m = NULL;
    for (size_t k = 0; k < r->nmatches; k++)
        if (r->matches[k].a == i)
            m = &r->matches[k];
    if (m)
        fprintf(fp, "Ergebnis: zugeordnet zu AZR-Datensatz %s (Gewicht %.2f, Schwelle %.2f)\n",
                V(b, m->b, REG_RECORD_ID), m->w, r->threshold);
    else
        fprintf(fp, "Ergebnis: nicht zugeordnet (Schwelle %.2f)\n", r->threshold);
    for (size_t k = 0; k < r->nconflicts; k++)
        if (r->conflicts[k].a == i)
            fprintf(fp, "Konflikt: %s mit AZR-Datensatz %s\n",
                    r->conflicts[k].kind == ASSIGN_TIED ? "gleich gute Kandidaten"
                                                        : "Kandidat passt besser zu anderem",
                    V(b, r->conflicts[k].b, REG_RECORD_ID));
    for (size_t k = 0; k < r->nazr_conflicts; k++)
        if (r->azr_conflict_a[k] == i)
            fprintf(fp,
                    "Konflikt: die AZR-Nummer %s gehört im AZR zu Datensatz %s (%s, %s, "
                    "geboren %s), der nicht als dieselbe Person zugeordnet ist\n",
                    V(a, i, REG_AZR_NR), V(b, r->azr_conflict_b[k], REG_RECORD_ID),
                    V(b, r->azr_conflict_b[k], REG_FAMILY_NAME),
                    V(b, r->azr_conflict_b[k], REG_GIVEN_NAMES),
                    V(b, r->azr_conflict_b[k], REG_BIRTH_DATE));
    if (n == 0) {
        fputs("Keine Kandidaten: kein AZR-Datensatz teilt einen Blockschlüssel "
              "(AZR-Nummer, Namensskelett + Geburtsjahr, Vorname + Geburtsdatum, ...).\n",
              fp);
        return;
    }
    fprintf(fp, "%zu Kandidaten aus den Blöcken%s:\n", n,
            sk ? " (zu große Blöcke übersprungen)" : "");
    /* best five by weight */
    size_t shown[5];
    size_t ns = 0;
    double ws[5];
    for (size_t q = 0; q < n; q++) {
        uint8_t lv[NF];
        compare_pair(dc, NULL, a, i, b, cand[q], lv, NULL);
        double w = pair_weight(r, dc, a, i, b, cand[q], lv, NULL);
        size_t pos = ns < 5 ? ns++ : 5;
        while (pos > 0 && ws[pos - 1] < w) {
            if (pos < 5) {
                shown[pos] = shown[pos - 1];
                ws[pos] = ws[pos - 1];
            }
            pos--;
        }
        if (pos < 5) {
            shown[pos] = cand[q];
            ws[pos] = w;
        }
    }
    for (size_t k = 0; k < ns; k++) {
        size_t j = shown[k];
        uint8_t lv[NF];
        double contrib[NF];
        int sw = 0;
        compare_pair(dc, NULL, a, i, b, j, lv, &sw);
        double w = pair_weight(r, dc, a, i, b, j, lv, contrib);
        fprintf(fp, "\n  AZR %s: %s, %s, geboren %s – Gewicht %.2f%s%s\n", V(b, j, REG_RECORD_ID),
                V(b, j, REG_FAMILY_NAME), V(b, j, REG_GIVEN_NAMES), V(b, j, REG_BIRTH_DATE), w,
                sw ? " (Vor- und Familienname vertauscht)" : "",
                azr_alone(lv, w - contrib[F_AZR])
                    ? " (nur die AZR-Nummer stimmt überein: nicht zugeordnet)"
                    : "");
        for (int f = 0; f < NF; f++)
            fprintf(fp, "    %-20s %-24s %+7.2f\n", field_labels[f], level_label(f, lv[f]),
                    contrib[f]);
    }
}

/* ---- the run ---- */

static int cmp_diff(const void *x, const void *y)
{
    const struct diff *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return (int)p->field - (int)q->field;
}

static int cmp_conflict(const void *x, const void *y)
{
    const struct assign_conflict *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

static int cmp_match(const void *x, const void *y)
{
    const struct assign_pair *p = x, *q = y;
    return p->a < q->a ? -1 : p->a > q->a;
}

static fn_status push_diff(struct result *r, struct diff d)
{
    if (r->ndiffs == r->dcap) {
        size_t cap = r->dcap ? r->dcap * 2 : 1024;
        struct diff *n = fn_reallocarray(r->diffs, cap, sizeof *n);
        if (!n)
            return FN_NOMEM;
        r->diffs = n;
        r->dcap = cap;
    }
    r->diffs[r->ndiffs++] = d;
    return FN_OK;
}

struct diff_ctx {
    const struct dicts *dc;
    const struct side *loc, *cen;
    const struct assign_pair *matches;
    struct result part[FN_PARALLEL_MAX]; /* per range: only diffs, ndiffs, dcap used */
};

static fn_status diff_range(void *ctx, int range, size_t from, size_t to)
{
    struct diff_ctx *x = ctx;
    struct result *part = &x->part[range];
    struct link_translit *tr = NULL;
    struct fn_buf fa, fb;
    fn_buf_init(&fa, FN_BUF_SMALL);
    fn_buf_init(&fb, FN_BUF_SMALL);
    fn_status rc = link_translit_new(&tr);
    for (size_t k = from; !rc && k < to; k++) {
        uint32_t i = x->matches[k].a, m = x->matches[k].b;
        for (int c = 0; c < REG_COLUMN_COUNT && !rc; c++) {
            if (c == REG_RECORD_ID || c == REG_UPDATED_AT)
                continue;
            if (!values_differ(tr, x->loc, i, x->cen, m, c, &fa, &fb))
                continue;
            int side;
            enum rule rule = decide(x->dc, x->loc, i, x->cen, m, c, &side);
            rc = push_diff(part, (struct diff){i, m, (uint8_t)c, (uint8_t)side, (uint8_t)rule});
        }
    }
    link_translit_free(tr);
    fn_buf_free(&fa);
    fn_buf_free(&fb);
    return rc;
}

/* The differences of every link into r->diffs (unsorted; the caller sorts). */
static fn_status diffs_parallel(const struct dicts *dc, const struct side *loc,
                                const struct side *cen, struct result *r, int threads)
{
    struct diff_ctx *x = fn_calloc(1, sizeof *x);
    if (!x)
        return FN_NOMEM;
    x->dc = dc;
    x->loc = loc;
    x->cen = cen;
    x->matches = r->matches;
    fn_status rc = fn_parallel_ranges(threads, r->nmatches, diff_range, x);
    for (int t = 0; t < FN_PARALLEL_MAX; t++) {
        for (size_t k = 0; !rc && k < x->part[t].ndiffs; k++)
            rc = push_diff(r, x->part[t].diffs[k]);
        fn_free(x->part[t].diffs);
    }
    fn_free(x);
    return rc;
}

/* Sorted (azr_nr, index) of the central side for the azr_nr conflict check. */
static const struct side *azr_sort_side;
static int cmp_azr(const void *x, const void *y)
{
    uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
    int c = strcmp(V(azr_sort_side, i, REG_AZR_NR), V(azr_sort_side, j, REG_AZR_NR));
    if (c)
        return c;
    return i < j ? -1 : i > j;
}

fn_status rec_run(const struct rec_options *opt, char *msg, size_t msg_size)
{
    struct side loc = {0}, cen = {0};
    struct rejects rj = {0};
    struct result r = {0};
    struct block_index *ix = NULL;
    struct fs_patterns rnd_pat = {0}, mb_pat = {0};
    struct chunk_out *chunks = NULL;
    size_t nchunks = 0;
    struct assign_state *ast = NULL;
    struct assign_pair *rest = NULL; /* pairs for the later assignment rounds */
    size_t nrest = 0;
    struct assign_conflict *conf0 = NULL; /* the first round's conflicts */
    size_t nconf0 = 0;
    unsigned char *linked_a = NULL, *linked_b = NULL;
    uint32_t *azr_order = NULL;
    struct link_translit *tr = NULL;
    struct dicts dc = {NULL, NULL};
    struct fn_buf fa, fb;
    fn_buf_init(&fa, FN_BUF_SMALL);
    fn_buf_init(&fb, FN_BUF_SMALL);
    int threads = opt->threads < 1 ? 1 : opt->threads;
    msg[0] = 0;
    double t0 = fn_now();

    /* Both files at once when there are two threads: reading is the
     * CSV parser's work, independent per file. */
    size_t rej_a = 0, rej_b = 0;
    fn_status rc = load_both(opt, &loc, &cen, &rj, threads, msg, msg_size, &rej_a, &rej_b);
    if (rc)
        goto out;
    if (loc.n > UINT32_MAX / 2 || cen.n > UINT32_MAX / 2) {
        snprintf(msg, msg_size, "zu viele Datensätze");
        rc = FN_TOO_LARGE;
        goto out;
    }
    double t1 = fn_now();
    r.t_load = t1 - t0;
    /* Names once per distinct value, then the blocking keys. */
    rc = link_name_dict_new(LINK_NAME_PERSON, &dc.names);
    if (!rc)
        rc = link_name_dict_new(LINK_NAME_PLACE, &dc.places);
    if (!rc)
        rc = side_intern(&loc, &dc);
    if (!rc)
        rc = side_intern(&cen, &dc);
    if (!rc)
        rc = link_name_dict_build(dc.names, threads);
    if (!rc)
        rc = link_name_dict_build(dc.places, threads);
    if (!rc)
        rc = side_keys(&dc, &loc, threads);
    if (!rc)
        rc = side_keys(&dc, &cen, threads);
    if (rc)
        goto out;
    r.names_distinct = link_name_dict_size(dc.names);
    r.places_distinct = link_name_dict_size(dc.places);
    double t2 = fn_now();
    r.t_keys = t2 - t1;

    /* u from seeded random pairs (before scoring: the term-frequency
     * adjustment of each candidate pair needs it). */
    rc = fs_patterns_init(&rnd_pat, NF);
    if (rc)
        goto out;
    if (loc.n && cen.n) {
        rc = random_pair_levels(&dc, &loc, &cen, threads, &rnd_pat);
        if (rc)
            goto out;
    }
    rc = fs_model_init(&r.fm, NF, field_nlevels, &rnd_pat);
    if (rc)
        goto out;
    for (int f = 0; f < NF; f++)
        for (int l = 0; l < field_nlevels[f]; l++)
            r.u_random[f][l] = r.fm.u[f][l];
    if ((double)loc.n * (double)cen.n < SMALL_INPUT_PAIRS) {
        struct fs_model dm = r.fm;
        default_model(&dm);
        for (int f = 0; f < NF; f++)
            for (int l = 0; l < field_nlevels[f]; l++)
                r.u_random[f][l] = dm.u[f][l];
    }

    rc = tf_tables(&r, &dc);
    if (rc)
        goto out;

    /* Blocking and comparison vectors. */
    rc = block_index_build(cen.keys, cen.n, NKEYS, MAX_BLOCK, &ix);
    if (rc)
        goto out;
    if (getenv("FN_DEBUG_BLOCKS")) /* tuning aid: block sizes per key kind */
        for (int k = 0; k < NKEYS; k++) {
            struct block_stats st;
            block_index_stats(ix, k, &st);
            fprintf(stderr, "key %d: %zu keys, %zu records, largest %zu, mean met %.1f\n", k,
                    st.groups, st.records, st.largest, st.mean_met);
        }
    nchunks = (loc.n + CHUNK - 1) / CHUNK;
    chunks = fn_calloc(nchunks ? nchunks : 1, sizeof *chunks);
    if (!chunks) {
        rc = FN_NOMEM;
        goto out;
    }
    {
        struct fn_progress pr;
        fn_progress_start(&pr, "Vergleich", loc.n);
        if (!opt->progress)
            pr.enabled = 0;
        struct score_ctx x = {&r, &dc, &loc, &cen, ix, chunks, nchunks, 0, 0, &pr, pthread_self()};
        pthread_t tid[64];
        int started = 0;
        double tc = fn_now();
        for (int t = 1; t < threads && t < 64; t++) {
            if (pthread_create(&tid[t], NULL, score_worker, &x))
                break;
            started = t;
        }
        score_worker(&x);
        for (int t = 1; t <= started; t++)
            pthread_join(tid[t], NULL);
        r.t_compare = fn_now() - tc;
        r.threads = started + 1;
        fn_progress_finish(&pr, loc.n);
    }
    for (size_t k = 0; k < nchunks; k++) {
        if (chunks[k].rc) {
            rc = chunks[k].rc;
            goto out;
        }
        r.candidate_pairs += chunks[k].n;
        r.skipped_blocks += chunks[k].skipped;
    }
    double t3 = fn_now();
    r.t_score = t3 - t2;

    if ((double)loc.n * (double)cen.n < SMALL_INPUT_PAIRS) {
        default_model(&r.fm);
    } else if (r.candidate_pairs) {
        /* m and the match share by EM with u fixed at the random-pair
         * values. EM does not run on all candidate pairs: those share a
         * name, a date or a place by construction, and EM would explain
         * these blocked non-matches (relatives, namesakes) as matches. It
         * runs on each local record's best candidate under a start model
         * (documented m, random-pair u), which are mostly matches plus the
         * best candidates of records without a partner. */
        rc = best_candidate_patterns(&r, &dc, &loc, &cen, chunks, nchunks, &mb_pat);
        if (rc)
            goto out;
        for (int f = 0; f < NF; f++)
            for (int l = 0; l < field_nlevels[f]; l++)
                r.fm.m[f][l] = r.start_m[f][l];
        r.fm.p = 0.9;
        rc = mb_pat.n ? fs_model_em(&r.fm, &mb_pat, 300, 1e-7) : FN_OK;
        if (rc)
            goto out;
    }
    r.em_iterations = r.fm.iterations;
    /* A missing value is no evidence either way. */
    for (int f = 0; f < NF; f++)
        r.fm.weight[f][field_nlevels[f] - 1] = 0.0;
    if ((double)loc.n * (double)cen.n < SMALL_INPUT_PAIRS || !r.mb_pairs) {
        r.threshold = 0.0; /* posterior 0.5 at p = 0.5 */
        r.prior = 0.5;
        r.est_matches = 0.0;
    } else {
        /* The link threshold is the weight at posterior 0.5 among all
         * pairs of the two registers: the weights compare with random
         * pairs, so the prior is the estimated number of true pairs over
         * the number of all pairs. */
        r.est_matches = r.fm.p * (double)r.mb_pairs;
        if (r.est_matches < 1.0)
            r.est_matches = 1.0;
        r.prior = r.est_matches / ((double)loc.n * (double)cen.n);
        if (r.prior > 0.5)
            r.prior = 0.5;
        r.threshold = log2((1.0 - r.prior) / r.prior);
    }
    /* Mutual best, in rounds: a record whose best partner went to someone
     * else (a namesake that fits even better) gets its next best among the
     * records still free in the next round. What is still contested or
     * tied after the last round is reported in conflicts.csv. */
    linked_a = fn_calloc(loc.n ? loc.n : 1, 1);
    linked_b = fn_calloc(cen.n ? cen.n : 1, 1);
    r.matches = fn_malloc((loc.n ? loc.n : 1) * sizeof *r.matches);
    r.match_round = fn_calloc(loc.n ? loc.n : 1, 1);
    if (!linked_a || !linked_b || !r.matches || !r.match_round) {
        rc = FN_NOMEM;
        goto out;
    }
    for (int round = 0; round < ASSIGN_ROUNDS; round++) {
        struct assign_pair *m = NULL;
        size_t nm = 0;
        rc = assign_state_new(loc.n, cen.n, &ast);
        if (rc)
            goto out;
        if (round == 0) {
            for (size_t k = 0; k < nchunks; k++) {
                const struct chunk_out *c = &chunks[k];
                for (size_t q = 0; q < c->n; q++) {
                    const uint8_t *lv = &c->lv[q * NF];
                    double w = fast_weight(&r.fm, lv, c->tf[q]);
                    /* An AZR number alone does not link: when the other
                     * fields together speak against the same person, the
                     * number is likely wrong on one side, and the pair is
                     * reported as a conflict (azr_nr_other_person) instead. */
                    if (azr_alone(lv, w - r.fm.weight[F_AZR][lv[F_AZR]]))
                        continue;
                    rc = assign_state_add(ast, c->a[q], c->b[q], w);
                    if (rc)
                        goto out;
                }
            }
        } else {
            for (size_t k = 0; k < nrest; k++)
                if (!linked_a[rest[k].a] && !linked_b[rest[k].b]) {
                    rc = assign_state_add(ast, rest[k].a, rest[k].b, rest[k].w);
                    if (rc)
                        goto out;
                }
        }
        if (round == 1) { /* keep the first round's conflicts (see below) */
            conf0 = r.conflicts;
            nconf0 = r.nconflicts;
        } else {
            fn_free(r.conflicts);
        }
        r.conflicts = NULL;
        /* a later round links only with a margin above the threshold: its
         * record's best candidate went to someone else, so the evidence
         * must be clearer (a namesake of an absent partner is the risk) */
        double thr = r.threshold + (round ? LATER_ROUND_MARGIN : 0.0);
        rc = assign_state_finish(ast, thr, &m, &nm, &r.conflicts, &r.nconflicts);
        assign_state_free(ast);
        ast = NULL;
        if (rc)
            goto out;
        for (size_t k = 0; k < nm; k++) {
            linked_a[m[k].a] = linked_b[m[k].b] = 1;
            r.match_round[m[k].a] = (uint8_t)(round + 1);
            r.matches[r.nmatches++] = m[k];
        }
        fn_free(m);
        r.assign_rounds = round + 1;
        if (!nm || !r.nconflicts)
            break;
        if (round == 0) {
            /* the later rounds see only the pairs of records still free */
            size_t cap = 0;
            for (size_t k = 0; k < nchunks; k++)
                for (size_t q = 0; q < chunks[k].n; q++)
                    cap += !linked_a[chunks[k].a[q]] && !linked_b[chunks[k].b[q]];
            rest = fn_malloc((cap ? cap : 1) * sizeof *rest);
            if (!rest) {
                rc = FN_NOMEM;
                goto out;
            }
            for (size_t k = 0; k < nchunks; k++) {
                const struct chunk_out *c = &chunks[k];
                for (size_t q = 0; q < c->n; q++) {
                    if (linked_a[c->a[q]] || linked_b[c->b[q]])
                        continue;
                    const uint8_t *lv = &c->lv[q * NF];
                    double w = fast_weight(&r.fm, lv, c->tf[q]);
                    if (!azr_alone(lv, w - r.fm.weight[F_AZR][lv[F_AZR]]))
                        rest[nrest++] = (struct assign_pair){c->a[q], c->b[q], w};
                }
            }
        }
    }
    /* A record that lost its best candidate in the first round and found
     * no partner later is reported with that first conflict, unless a
     * later round reported one. */
    if (conf0) {
        unsigned char *has = fn_calloc(loc.n ? loc.n : 1, 1);
        struct assign_conflict *all =
            fn_reallocarray(r.conflicts, r.nconflicts + nconf0 + 1, sizeof *all);
        if (!has || !all) {
            fn_free(has);
            rc = FN_NOMEM;
            goto out;
        }
        r.conflicts = all;
        for (size_t k = 0; k < r.nconflicts; k++)
            has[r.conflicts[k].a] = 1;
        for (size_t k = 0; k < nconf0; k++)
            if (!linked_a[conf0[k].a] && !has[conf0[k].a])
                r.conflicts[r.nconflicts++] = conf0[k];
        fn_free(has);
        qsort(r.conflicts, r.nconflicts, sizeof *r.conflicts, cmp_conflict);
    }
    fn_free(rest);
    rest = NULL;
    for (size_t k = 0; k < nchunks; k++) {
        fn_free(chunks[k].a);
        fn_free(chunks[k].b);
        fn_free(chunks[k].lv);
        fn_free(chunks[k].tf);
        chunks[k].a = chunks[k].b = NULL;
        chunks[k].lv = NULL;
        chunks[k].tf = NULL;
    }
    qsort(r.matches, r.nmatches, sizeof *r.matches, cmp_match);
    double t4 = fn_now();
    r.t_model = t4 - t3;

    /* Differences of linked pairs, in parallel over fixed ranges of the
     * links; the list is sorted afterwards, so the order does not depend
     * on the threads. */
    rc = link_translit_new(&tr);
    if (rc)
        goto out;
    rc = diffs_parallel(&dc, &loc, &cen, &r, threads);
    if (rc)
        goto out;
    if (r.ndiffs)
        qsort(r.diffs, r.ndiffs, sizeof *r.diffs, cmp_diff);
    /* An azr_nr of a local record that belongs to a different central record. */
    azr_order = fn_malloc((cen.n ? cen.n : 1) * sizeof *azr_order);
    r.azr_conflict_a = fn_malloc((loc.n ? loc.n : 1) * sizeof(uint32_t));
    r.azr_conflict_b = fn_malloc((loc.n ? loc.n : 1) * sizeof(uint32_t));
    if (!azr_order || !r.azr_conflict_a || !r.azr_conflict_b) {
        rc = FN_NOMEM;
        goto out;
    }
    {
        size_t na = 0;
        for (uint32_t j = 0; j < cen.n; j++)
            if (*V(&cen, j, REG_AZR_NR))
                azr_order[na++] = j;
        azr_sort_side = &cen;
        qsort(azr_order, na, sizeof *azr_order, cmp_azr);
        uint32_t *match_of = fn_malloc((loc.n ? loc.n : 1) * sizeof *match_of);
        if (!match_of) {
            rc = FN_NOMEM;
            goto out;
        }
        for (size_t i = 0; i < loc.n; i++)
            match_of[i] = UINT32_MAX;
        for (size_t k = 0; k < r.nmatches; k++)
            match_of[r.matches[k].a] = r.matches[k].b;
        for (uint32_t i = 0; i < loc.n; i++) {
            const char *az = V(&loc, i, REG_AZR_NR);
            if (!*az)
                continue;
            size_t lo = 0, hi = na;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (strcmp(V(&cen, azr_order[mid], REG_AZR_NR), az) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < na && !strcmp(V(&cen, azr_order[lo], REG_AZR_NR), az) &&
                azr_order[lo] != match_of[i]) {
                r.azr_conflict_a[r.nazr_conflicts] = i;
                r.azr_conflict_b[r.nazr_conflicts++] = azr_order[lo];
            }
        }
        fn_free(match_of);
    }
    double t5 = fn_now();
    r.t_diffs = t5 - t4;

    if (opt->explain_id) {
        size_t found = SIZE_MAX;
        for (size_t i = 0; i < loc.n && found == SIZE_MAX; i++)
            if (!strcmp(V(&loc, i, REG_RECORD_ID), opt->explain_id))
                found = i;
        if (found == SIZE_MAX) {
            snprintf(msg, msg_size, "%s: Datensatz \"%s\" nicht gefunden", loc.path,
                     opt->explain_id);
            rc = FN_NOTFOUND;
            goto out;
        }
        explain(opt->explain_out ? opt->explain_out : stdout, &dc, &loc, &cen, found, ix, &r);
    }
    if (opt->out_dir) {
        rc = fn_mkdir_p(opt->out_dir);
        if (rc) {
            snprintf(msg, msg_size, "%s: Ordner kann nicht angelegt werden", opt->out_dir);
            goto out;
        }
        rc = write_matches(opt->out_dir, &loc, &cen, &r);
        if (!rc)
            rc = write_diffs(opt->out_dir, &loc, &cen, &r);
        if (!rc)
            rc = write_unmatched(opt->out_dir, "unmatched_local.csv", &loc, linked_a);
        if (!rc)
            rc = write_unmatched(opt->out_dir, "unmatched_azr.csv", &cen, linked_b);
        if (!rc)
            rc = write_conflicts(opt->out_dir, &loc, &cen, &r);
        if (!rc)
            rc = write_rejected(opt->out_dir, &rj);
        if (!rc)
            rc = write_summary(opt->out_dir, &loc, &cen, &rj, &r, rej_a, rej_b);
        if (!rc)
            rc = write_report(opt->out_dir, &loc, &cen, &rj, &r);
        if (rc) {
            snprintf(msg, msg_size, "%s: Ausgabe kann nicht geschrieben werden", opt->out_dir);
            goto out;
        }
    }
out:
    if (chunks)
        for (size_t k = 0; k < nchunks; k++) {
            fn_free(chunks[k].a);
            fn_free(chunks[k].b);
            fn_free(chunks[k].lv);
            fn_free(chunks[k].tf);
        }
    fn_free(chunks);
    assign_state_free(ast);
    fn_free(rest);
    fn_free(conf0);
    fn_free(linked_a);
    fn_free(linked_b);
    fn_free(azr_order);
    fn_free(r.azr_conflict_a);
    fn_free(r.azr_conflict_b);
    fn_free(r.tf_fam);
    fn_free(r.tf_giv);
    fn_free(r.match_round);
    fn_free(r.matches);
    fn_free(r.conflicts);
    fn_free(r.diffs);
    fs_patterns_free(&rnd_pat);
    fs_patterns_free(&mb_pat);
    block_index_free(ix);
    link_translit_free(tr);
    link_name_dict_free(dc.names);
    link_name_dict_free(dc.places);
    fn_buf_free(&fa);
    fn_buf_free(&fb);
    fn_free(rj.r);
    side_free(&loc);
    side_free(&cen);
    return rc;
}
