/*
 * catalog.h – the assessment catalogue: loading (with the refusal of
 * protected characteristics) and the pure, deterministic engine.
 *
 * The catalogue is a text file a lawyer can read in a diff
 * (docs/catalog-format.md). Each rule names its legal basis and version and
 * has one effect: a gate (sperre), priority points (punkte), a counter-weight
 * that demands an individual weighing (gegengewicht), a feasibility step
 * (machbarkeit) or a deadline (frist). The engine keeps these apart and
 * never merges them into one number; it decides nothing.
 *
 * Fail closed: a condition over an unknown fact (facts.h) is itself unknown
 * (three-valued und/oder). A gate whose condition is unknown is ungeklärt:
 * it blocks like a gate that fired, and the result names the unknown facts.
 * Only a recorded fact opens a gate; no other effect ever fires on an
 * unknown fact.
 *
 * Mandatory gates: the loader refuses a catalogue that does not block on
 * each legal bar of domain.md § 0 item 4 / § 2.1 (assess_mandatory_gates):
 * for each (fact, value) there must be a `sperre` rule that fires whenever
 * the fact has that value, whatever the other facts are. The check is over
 * the conditions, not the rule ids: a missing, inverted or weakened (und
 * with another fact) gate is refused with FILE:LINE and a German reason.
 */
#ifndef FN_ASSESS_CATALOG_H
#define FN_ASSESS_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "assess/facts.h"
#include "core/buf.h"
#include "core/status.h"

#define ASSESS_MAX_RULES 64
#define ASSESS_MAX_CONDS 6

enum assess_effect { EFF_GATE, EFF_POINTS, EFF_WEIGHING, EFF_FEASIBILITY, EFF_DEADLINE };

struct assess_cond {
    int fact;      /* enum assess_fact_id */
    char op[3];    /* "<", "<=", "=", "!=", ">=", ">"; "?" = "erfasst" (days facts) */
    int32_t value; /* ja = 1, nein = 0 */
};

struct assess_rule {
    char id[16];
    char *title;    /* German */
    char *norm;     /* legal basis */
    char *version;  /* version/effective date of the norm it reflects */
    int unverified; /* threshold not verified against the current statute */
    struct assess_cond conds[ASSESS_MAX_CONDS];
    int nconds;
    int any; /* 0: all conditions (und), 1: any (oder) */
    enum assess_effect effect;
    int amount;        /* points or feasibility step */
    char *explanation; /* German */
    char group[24];    /* points rules of one group: only the highest that fires counts */
    int line;          /* where the rule starts in the file */
};

struct assess_catalog {
    char *name;
    char *version;
    char *valid_from;
    int band_a;        /* points from which the priority band is A */
    int band_b;        /* ... B; below: C */
    int second_person; /* overriding a gate needs a second person */
    struct assess_rule rules[ASSESS_MAX_RULES];
    size_t nrules;
    char hash[65]; /* SHA-256 of the file, hex */
};

/* A legal bar every catalogue must gate: the rule must block whenever fact
 * has value. */
struct assess_mandatory_gate {
    int fact;
    int32_t value;
    const char *bar; /* German, with its norm */
};
/* The table of mandatory gates; *n receives its length. */
const struct assess_mandatory_gate *assess_mandatory_gates(size_t *n);

/* Parses a catalogue. On FN_INVALID every problem is appended to errors as
 * "FILE:LINE: reason" lines (German) and *out stays NULL. *out is freed with
 * assess_catalog_free. */
FN_MUST_CHECK fn_status assess_catalog_parse(const char *text, size_t len, const char *name,
                                             struct assess_catalog **out, struct fn_buf *errors);
FN_MUST_CHECK fn_status assess_catalog_load(const char *path, struct assess_catalog **out,
                                            struct fn_buf *errors);
void assess_catalog_free(struct assess_catalog *c);

/* ---- engine ---- */

struct assess_trace {
    int rule; /* index into the catalogue */
    int fired;
    int unresolved;                 /* gate only: its condition read unknown facts (ungeklärt) */
    int subsumed;                   /* fired, but a higher rule of its group counted instead */
    int32_t read[ASSESS_MAX_CONDS]; /* values of the facts it read */
    unsigned char known[ASSESS_MAX_CONDS]; /* whether each was known */
};

struct assess_result {
    int blocked;                           /* at least one gate fired or is ungeklärt */
    int gates[ASSESS_MAX_RULES];           /* rule indices of the blocking gates, in rule order */
    int gate_unresolved[ASSESS_MAX_RULES]; /* per gates[i]: 1 = ungeklärt (facts unknown) */
    int ngates;
    int nunresolved; /* how many of the gates are ungeklärt */
    int points;      /* sum of the points rules that fired */
    char band;       /* 'A', 'B', 'C' */
    int weighing[ASSESS_MAX_RULES];
    int nweighing;
    int feasibility;              /* sum of feasibility steps */
    const char *feasibility_band; /* "hoch", "mittel", "niedrig" */
    struct {
        int rule;
        int32_t days;
    } deadlines[ASSESS_MAX_RULES];
    int ndeadlines; /* sorted, nearest first; days < 0: overdue by -days */
    int overdue;    /* 1 when the nearest deadline is past */
    struct assess_trace trace[ASSESS_MAX_RULES];
    int ntrace;
};

/* Calls fn for each unknown fact the trace entry t read (each fact once),
 * in condition order: the facts that make a gate ungeklärt. */
void assess_trace_missing(const struct assess_catalog *c, const struct assess_trace *t,
                          void (*fn)(void *ctx, const struct assess_fact_def *def), void *ctx);

/* The German name of what to record for an unknown fact. */
const char *assess_fact_missing_label(const struct assess_fact_def *def);
/* Appends the unknown facts of trace entry t, German, "; "-separated. */
FN_MUST_CHECK fn_status assess_missing_text(const struct assess_catalog *c,
                                            const struct assess_trace *t, struct fn_buf *out);
/* A deadline in days as German text: "in 12 Tagen", "heute",
 * "überfällig seit 446 Tagen". */
void assess_deadline_text(int32_t days, char *out, size_t size);

/* Evaluates every rule for one person. Pure and deterministic: no
 * allocation, no clock, no I/O. */
void assess_evaluate(const struct assess_catalog *c, const struct assess_facts *f,
                     struct assess_result *r);

/* The trace as JSON (rules that fired, gates ungeklärt with the unknown
 * facts, every fact the catalogue reads with its value or "unbekannt"),
 * appended to out. */
FN_MUST_CHECK fn_status assess_trace_json(const struct assess_catalog *c,
                                          const struct assess_facts *f,
                                          const struct assess_result *r, struct fn_buf *out);
/* SHA-256 (hex) over the catalogue hash, the result and the trace: equal
 * digests mean nothing the assessment depends on has changed. */
void assess_digest(const struct assess_catalog *c, const struct assess_result *r,
                   const char *trace_json, char out[65]);

#endif
