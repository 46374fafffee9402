/*
 * rec_internal.h – the shared types of the reconciliation modules (not an
 * API: reconcile.h is). One run: rec_load.c reads both registers, interns
 * the names and computes the blocking keys; rec_compare.c compares a
 * candidate pair field by field; reconcile.c scores the candidates, fits
 * the model, assigns and explains; rec_rules.c finds the differences of a
 * linked pair and decides which side is likely right; rec_output.c writes
 * the output folder. docs/reconcile.md describes the method.
 */
#ifndef FN_RECONCILE_REC_INTERNAL_H
#define FN_RECONCILE_REC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/pdate.h"
#include "core/status.h"
#include "link/assign.h"
#include "link/fsmodel.h"
#include "link/namedict.h"
#include "link/translit.h"
#include "model/register.h"
#include "reconcile/reconcile.h"

#define NKEYS     13
#define MAX_BLOCK 2000
/* upper bound of candidate pairs before the block cap is lowered: 100
 * million. A run needs about 20 bytes per pair on top of about 1.3 GB for
 * 1,000,000 records per register (measured), so a skewed input of that size
 * stays near 3.3 GB, under the 4 GiB of the benchmark machine. */
#define PAIR_BUDGET  100e6
#define MAX_CAND     4096
#define RANDOM_PAIRS 200000
#define CHUNK        2048
#define MAX_REJECTED 1000000
#define REASON_MAX   160

enum field {
    F_AZR,
    F_FAMILY,
    F_GIVEN,
    F_BDATE,
    F_SEX,
    F_PLACE,
    F_NAT,
    F_BCOUNTRY,
    F_ADDRESS, /* street and postcode, or only the postcode area */
    F_RSINCE,  /* residence_since */
    NF
};
static const char *const rec_field_labels[NF] = {
    "AZR-Nummer", "Familienname",        "Vornamen",     "Geburtsdatum", "Geschlecht",
    "Geburtsort", "Staatsangehörigkeit", "Geburtsstaat", "Anschrift",    "Aufenthalt seit"};
static const int rec_field_nlevels[NF] = {4, 7, 7, 8, 4, 7, 4, 4, 4, 3};

struct rejected {
    const char *file; /* borrowed */
    long line;
    char reason[REASON_MAX];
};

/* The fields a candidate comparison reads, packed per record in one cache
 * line so that comparing a pair touches two small structs, not twenty
 * strings. An AZR number up to 15 bytes and country codes up to 3 (ISO
 * alpha-3) are held here; a longer (malformed) code is compared from the
 * record's strings. The address is held as hashes of its normalised form
 * (rec_load.c, address_hashes): equal hashes are taken as equal addresses
 * (a 32-bit collision among the few candidates of a record is negligible
 * evidence, see docs/reconcile.md). */
#define CODE_MAX         16
#define COUNTRY_CODE_MAX 4
struct rec {
    _Alignas(64) uint32_t fam; /* ids in the person-name dictionary */
    uint32_t giv;
    uint32_t place; /* id in the place dictionary */
    struct fn_pdate bdate;
    uint8_t long_codes;    /* LONG_* bit per code field that did not fit */
    uint8_t missing_codes; /* LONG_* bit per packed code that is empty or unknown */
    uint8_t empty;         /* EMPTY_FAM | EMPTY_GIV | EMPTY_PLACE: names without keys */
    /* trimmed, lower case, zero-padded (rec_side_intern) */
    char azr[CODE_MAX], sex[4], nat[COUNTRY_CODE_MAX], bcountry[COUNTRY_CODE_MAX];
    uint32_t orig;   /* the record's index in its side (copies in another order keep it) */
    uint32_t street; /* hash of street and postcode; 0 = no street */
    uint16_t area;   /* hash of the postcode (else the municipality); 0 = none */
    uint16_t rsince; /* residence_since: days since 1900-01-01 + 1; 0 = none or partial */
};
_Static_assert(sizeof(struct rec) == 64, "a packed record is one cache line");

/* A central record as the candidate loop reads it: the packed record and
 * the signatures of its two names, three adjacent cache lines instead of
 * three places in memory (reconcile.c, central_layout). */
struct rec_phys {
    struct rec r;
    struct link_name_sig fam, giv;
};

/* The "unknown" values of the code fields, in packed (lower) case. */
#define CODE_UNKNOWN_SEX     "u"
#define CODE_UNKNOWN_COUNTRY "xxx"

struct side {
    const char *path; /* borrowed */
    size_t n, cap;
    char *arena; /* all values of all records, NUL-terminated */
    size_t alen, acap;
    size_t *off;     /* n * REG_COLUMN_COUNT offsets into arena */
    long *line;      /* source line per record */
    struct rec *rec; /* n, starting on a cache line */
    void *rec_mem;   /* the allocation rec lies in */
    uint64_t *keys;  /* n * NKEYS blocking keys */
    uint64_t *order; /* n: the names' locality key (scoring order, no effect on results) */
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

#define EMPTY_FAM   0x1u
#define EMPTY_GIV   0x2u
#define EMPTY_PLACE 0x4u

#define LONG_AZR      0x1u
#define LONG_SEX      0x2u
#define LONG_NAT      0x4u
#define LONG_BCOUNTRY 0x8u

/* A value of record i (NUL-terminated, "" when absent). */
static inline const char *V(const struct side *s, size_t i, enum register_column c)
{
    return s->arena + s->off[i * REG_COLUMN_COUNT + c];
}

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

static const char *const rec_rule_ids[] = {"unknown",
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
    size_t block_cap; /* blocks above this size were skipped */
    double t_load, t_keys, t_score, t_model, t_diffs;
    double t_compare;     /* the candidate comparison loop, wall */
    double t_compare_cpu; /* the same, CPU time of all its threads (no time the
                           * machine gave to others) */
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
    size_t competitors; /* second-best candidates the household fields' u came from */
};

/* ---- rec_load.c ---- */

/* Frees what s holds and zeroes it; accepts NULL. */
void rec_side_free(struct side *s);
/* Reads both registers (in parallel with two or more threads) into loc and
 * cen; unreadable rows go to rj (local first). *rej_a, *rej_b count the
 * rejected rows per file. FN_INVALID with a German msg for a missing
 * required column or an unreadable header. */
FN_MUST_CHECK fn_status rec_load_both(const struct rec_options *opt, struct side *loc,
                                      struct side *cen, struct rejects *rj, int threads, char *msg,
                                      size_t msg_size, size_t *rej_a, size_t *rej_b);
/* Interns the names of every record of s into dc and packs its compared
 * fields (allocates s->rec). */
FN_MUST_CHECK fn_status rec_side_intern(struct side *s, const struct dicts *dc);
/* The blocking keys of every record (allocates s->keys); needs built dicts. */
FN_MUST_CHECK fn_status rec_side_keys(const struct dicts *dc, struct side *s, int threads);

/* ---- rec_compare.c ---- */

/* A thread's memo of the name comparisons the signatures do not decide;
 * NULL when out of memory. Free with rec_caches_free (accepts NULL). */
struct caches;
struct caches *rec_caches_new(void);
void rec_caches_free(struct caches *cc);
/* Comparison vector lv[NF] of local record i against central record j; cc
 * may be NULL (no memo); *swapped (may be NULL) says whether family and
 * given names were compared crosswise. Pure for given inputs. */
void rec_compare_pair(const struct dicts *dc, struct caches *cc, const struct side *a, size_t i,
                      const struct side *b, size_t j, uint8_t lv[NF], int *swapped);
/* The same for a central record with its name signatures at hand. */
void rec_compare_phys(const struct dicts *dc, struct caches *cc, const struct side *a,
                      const struct rec *ra, const struct side *b, const struct rec_phys *pb,
                      uint8_t lv[NF]);
/* Starts loading the token signatures of pb's names of several tokens
 * (pb should be in cache by now): hides memory latency in the candidate
 * loop. No effect on results. */
void rec_compare_prefetch_tokens(const struct dicts *dc, const struct rec *ra,
                                 const struct rec_phys *pb);
/* German label of level l of field f. */
const char *rec_level_label(int f, int l);

/* ---- rec_rules.c ---- */

/* 1 when field c of the pair (i, j) differs substantively (not only in case
 * or blanks; dates as partial dates; aliases as a set). t, fa, fb: the
 * calling thread's transliterator and scratch buffers. */
int rec_values_differ(struct link_translit *t, const struct side *a, size_t i, const struct side *b,
                      size_t j, int c, struct fn_buf *fa, struct fn_buf *fb);
/* Which side of the pair (i, j) is likely right for field c: the rule that
 * decided, *side = 1 local, 2 AZR, 0 unknown (RULE_NONE). */
enum rule rec_decide(const struct dicts *dc, const struct side *a, size_t i, const struct side *b,
                     size_t j, int c, int *side);

/* ---- rec_output.c ---- */

/* Writes every file of the output folder dir (atomically, one by one).
 * linked_a / linked_b mark the linked records. */
FN_MUST_CHECK fn_status rec_write_outputs(const char *dir, const struct side *a,
                                          const struct side *b, const struct rejects *rj,
                                          const struct result *r, const unsigned char *linked_a,
                                          const unsigned char *linked_b, size_t rej_a,
                                          size_t rej_b);

#endif
