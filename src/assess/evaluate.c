/* evaluate.c – kappa, subgroup rates and the report for the pilot report
 * (evaluate.h). */
#include "assess/evaluate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/pdate.h"

void eval_kappa(const struct eval_record *r, size_t n, struct eval_kappa *out)
{
    size_t table[2][2] = {{0, 0}, {0, 0}};
    for (size_t i = 0; i < n; i++)
        table[r[i].recommended ? 1 : 0][r[i].accepted ? 1 : 0]++;
    eval_kappa_table(table, out);
}

void eval_kappa_table(const size_t table[2][2], struct eval_kappa *out)
{
    memset(out, 0, sizeof *out);
    memcpy(out->table, table, sizeof out->table);
    size_t n = table[0][0] + table[0][1] + table[1][0] + table[1][1];
    out->n = n;
    if (!n)
        return;
    double N = (double)n;
    double po = ((double)out->table[0][0] + (double)out->table[1][1]) / N;
    double row1 = ((double)out->table[1][0] + (double)out->table[1][1]) / N;
    double col1 = ((double)out->table[0][1] + (double)out->table[1][1]) / N;
    double pe = row1 * col1 + (1.0 - row1) * (1.0 - col1);
    out->observed = po;
    out->expected = pe;
    if (pe >= 1.0) {
        /* everyone in one cell: agreement is perfect but kappa is undefined */
        out->kappa = po >= 1.0 ? 1.0 : 0.0;
        out->ci_low = out->ci_high = out->kappa;
        return;
    }
    out->kappa = (po - pe) / (1.0 - pe);
    out->se = sqrt(po * (1.0 - po) / (N * (1.0 - pe) * (1.0 - pe)));
    out->ci_low = out->kappa - 1.96 * out->se;
    out->ci_high = out->kappa + 1.96 * out->se;
    if (out->ci_low < -1.0)
        out->ci_low = -1.0;
    if (out->ci_high > 1.0)
        out->ci_high = 1.0;
}

void eval_groups(const struct eval_record *r, size_t n, size_t ngroups, struct eval_group *out)
{
    memset(out, 0, ngroups * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        if (r[i].group < 0 || (size_t)r[i].group >= ngroups)
            continue;
        struct eval_group *g = &out[r[i].group];
        g->n++;
        g->accepted += r[i].accepted != 0;
        g->overrides += r[i].override != 0;
    }
    eval_group_rates(out, ngroups);
}

void eval_group_rates(struct eval_group *out, size_t ngroups)
{
    double max = 0.0;
    for (size_t k = 0; k < ngroups; k++) {
        struct eval_group *g = &out[k];
        if (!g->n)
            continue;
        g->selection_rate = (double)g->accepted / (double)g->n;
        g->override_rate = (double)g->overrides / (double)g->n;
        if (g->n >= 5 && g->selection_rate > max)
            max = g->selection_rate;
    }
    for (size_t k = 0; k < ngroups; k++) {
        struct eval_group *g = &out[k];
        g->ratio_to_max = max > 0.0 ? g->selection_rate / max : 0.0;
        g->flagged = g->n >= 5 && max > 0.0 && g->ratio_to_max < 0.8;
    }
}

/* ---- the report ---- */

/* Decisions counted in one group: each person's latest in the period. */
struct dec_counts {
    size_t persons;     /* persons decided on (once each) */
    size_t earlier;     /* their earlier decisions in the period */
    size_t repeated;    /* persons with earlier decisions */
    size_t accepted;    /* latest decision: intake */
    size_t overrides;   /* latest decision departs from the assessment */
    size_t table[2][2]; /* [recommended][accepted] */
};

/* The population counted in one group (latest assessment per person). */
struct pop_counts {
    size_t persons;
    size_t assessed;
    size_t band[3];                  /* unblocked A, B, C */
    size_t blocked;                  /* any gate */
    size_t gate[EVAL_MAX_GATES + 1]; /* per gate id; the last: "andere" */
};

struct cell {
    char key[72];   /* code, catalogue hash, … */
    char label[72]; /* shown: version label, age group, … */
    struct dec_counts d;
    struct pop_counts p;
};

enum eval_dim { DIM_CATALOG, DIM_REGION, DIM_AUTHORITY, DIM_SEX, DIM_AGE, DIM_NAT, DIM_COUNT };

static const char *const dim_names[DIM_COUNT] = {
    "katalog", "region", "behoerde", "geschlecht", "altersgruppe", "staatsangehoerigkeit"};

/* Outcome validation: rows A, B, C (unblocked), gesperrt, nicht bewertet;
 * columns measure, closed without measure, no outcome yet. */
enum { OUT_ROWS = 5, OUT_MEASURE = 0, OUT_CLOSED, OUT_NONE, OUT_COLS };

struct eval_report {
    int ref_year;
    struct cell total;
    struct cell *dims[DIM_COUNT]; /* EVAL_MAX_GROUPS + 1 each; the last: "andere" */
    size_t ndims[DIM_COUNT];
    char gates[EVAL_MAX_GATES][32]; /* rule id, " ungeklärt" when so */
    size_t ngates;
    size_t outcome[OUT_ROWS][OUT_COLS];
    size_t override_kind[2]; /* "Aufnahme trotz Sperre", "Ablehnung trotz Band A" */
};

fn_status eval_report_new(int ref_year, struct eval_report **out)
{
    *out = NULL;
    struct eval_report *r = fn_calloc(1, sizeof *r);
    if (!r)
        return FN_NOMEM;
    r->ref_year = ref_year;
    for (int d = 0; d < DIM_COUNT; d++) {
        r->dims[d] = fn_calloc(EVAL_MAX_GROUPS + 1, sizeof *r->dims[d]);
        if (!r->dims[d]) {
            eval_report_free(r);
            return FN_NOMEM;
        }
        snprintf(r->dims[d][EVAL_MAX_GROUPS].label, sizeof r->dims[d][0].label, "andere");
    }
    *out = r;
    return FN_OK;
}

void eval_report_free(struct eval_report *r)
{
    if (!r)
        return;
    for (int d = 0; d < DIM_COUNT; d++)
        fn_free(r->dims[d]);
    fn_free(r);
}

/* The group of key in dimension d (created with label on first sight; the
 * "andere" group when the dimension is full). */
static struct cell *group_of(struct eval_report *r, enum eval_dim d, const char *key,
                             const char *label)
{
    struct cell *c = r->dims[d];
    for (size_t i = 0; i < r->ndims[d]; i++)
        if (strcmp(c[i].key, key) == 0)
            return &c[i];
    if (r->ndims[d] == EVAL_MAX_GROUPS)
        return &c[EVAL_MAX_GROUPS];
    struct cell *n = &c[r->ndims[d]++];
    snprintf(n->key, sizeof n->key, "%s", key);
    snprintf(n->label, sizeof n->label, "%s", label);
    return n;
}

static const char *sex_label(const char *code)
{
    const char c = code ? code[0] : 'u';
    return c == 'm' ? "männlich" : c == 'f' ? "weiblich" : c == 'x' ? "divers" : "unbekannt";
}

static const char *age_label(int ref_year, const char *birth_year)
{
    char *end = NULL;
    long y = birth_year ? strtol(birth_year, &end, 10) : 0;
    if (!birth_year || end == birth_year || y <= 0 || y > ref_year)
        return "unbekannt";
    long age = ref_year - y;
    return age < 25 ? "unter 25" : age < 40 ? "25 bis 39" : "40 und älter";
}

/* The groups of one person in every dimension but the catalogue. */
static void person_groups(struct eval_report *r, const char *region, const char *authority,
                          const char *sex, const char *birth_year, const char *nat,
                          struct cell *out[DIM_COUNT])
{
    out[DIM_REGION] =
        group_of(r, DIM_REGION, region ? region : "", region ? region : "ohne Region");
    out[DIM_AUTHORITY] = group_of(r, DIM_AUTHORITY, authority ? authority : "",
                                  authority ? authority : "ohne Behörde");
    const char *sl = sex_label(sex);
    out[DIM_SEX] = group_of(r, DIM_SEX, sl, sl);
    const char *al = age_label(r->ref_year, birth_year);
    out[DIM_AGE] = group_of(r, DIM_AGE, al, al);
    out[DIM_NAT] =
        group_of(r, DIM_NAT, nat && nat[0] ? nat : "", nat && nat[0] ? nat : "unbekannt");
}

/* The catalogue group of hash (label: the version). */
static struct cell *catalog_group(struct eval_report *r, const char *hash, const char *version)
{
    return group_of(r, DIM_CATALOG, hash ? hash : "", version ? version : "ohne Version");
}

fn_status eval_add_decision(struct eval_report *r, const struct store_eval_decision *d)
{
    struct cell *g[DIM_COUNT];
    person_groups(r, d->region, d->authority, d->sex, d->birth_year, d->nationality, g);
    g[DIM_CATALOG] = catalog_group(r, d->catalog_hash, d->catalog_version);
    int recommended = !d->blocked && d->band != 'C';
    if (d->override_kind)
        r->override_kind[strncmp(d->override_kind, "Aufnahme", 8) == 0 ? 0 : 1]++;
    for (int i = -1; i < DIM_COUNT; i++) {
        struct dec_counts *c = i < 0 ? &r->total.d : &g[i]->d;
        c->persons++;
        c->earlier += (size_t)(d->earlier > 0 ? d->earlier : 0);
        c->repeated += d->earlier > 0;
        c->accepted += d->accepted != 0;
        c->overrides += d->override_kind != NULL;
        c->table[recommended][d->accepted ? 1 : 0]++;
    }
    return FN_OK;
}

/* The slot of gate id (a new one while there is room, else "andere"). */
static size_t gate_slot(struct eval_report *r, const char *id, size_t len)
{
    for (size_t i = 0; i < r->ngates; i++)
        if (strlen(r->gates[i]) == len && memcmp(r->gates[i], id, len) == 0)
            return i;
    if (r->ngates == EVAL_MAX_GATES || len >= sizeof r->gates[0])
        return EVAL_MAX_GATES;
    memcpy(r->gates[r->ngates], id, len);
    r->gates[r->ngates][len] = '\0';
    return r->ngates++;
}

/* The blocking gates of a trace: the ids in its "sperren" list (an
 * ungeklärt gate as "G4 ungeklärt", its own slot), at most max, into
 * slots. The trace is the engine's own JSON, read by a scan rather than a
 * parse so a million traces cost little. Traces stored before the list
 * existed name their gates among the fired rules in "ausgeloest"; there a
 * gate is an id of "G" and a digit (the catalogue's naming until then). */
static size_t trace_gates(struct eval_report *r, const char *trace, size_t *slots, size_t max)
{
    static const char gates_key[] = "\"sperren\":[", fired_key[] = "\"ausgeloest\":[";
    const char *p = trace ? strstr(trace, gates_key) : NULL;
    int legacy = p == NULL;
    p = p ? p + strlen(gates_key) : trace ? strstr(trace, fired_key) : NULL;
    size_t n = 0;
    if (!p)
        return 0;
    if (legacy)
        p += strlen(fired_key);
    while (*p && *p != ']' && n < max) {
        if (*p != '"') {
            p++;
            continue;
        }
        const char *id = ++p;
        while (*p && *p != '"')
            p++;
        size_t len = (size_t)(p - id);
        if (*p)
            p++;
        if (!legacy || (len >= 2 && id[0] == 'G' && id[1] >= '0' && id[1] <= '9'))
            slots[n++] = gate_slot(r, id, len);
    }
    return n;
}

fn_status eval_add_person(struct eval_report *r, const struct store_eval_person *p)
{
    struct cell *g[DIM_COUNT];
    person_groups(r, p->region, p->authority, p->sex, p->birth_year, p->nationality, g);
    int assessed = p->catalog_hash != NULL;
    g[DIM_CATALOG] = assessed ? catalog_group(r, p->catalog_hash, p->catalog_version) : NULL;
    size_t slots[EVAL_MAX_GATES];
    size_t ngates = assessed && p->blocked ? trace_gates(r, p->trace, slots, EVAL_MAX_GATES) : 0;
    int band = p->band == 'A' ? 0 : p->band == 'B' ? 1 : 2;
    for (int i = -1; i < DIM_COUNT; i++) {
        if (i >= 0 && !g[i])
            continue;
        struct pop_counts *c = i < 0 ? &r->total.p : &g[i]->p;
        c->persons++;
        if (!assessed)
            continue;
        c->assessed++;
        if (p->blocked)
            c->blocked++;
        else
            c->band[band]++;
        for (size_t k = 0; k < ngates; k++)
            c->gate[slots[k]]++;
    }
    int row = !assessed ? 4 : p->blocked ? 3 : band;
    int col = p->case_outcome == 2 || p->deportation_custody ? OUT_MEASURE
              : p->case_outcome == 1                         ? OUT_CLOSED
                                                             : OUT_NONE;
    r->outcome[row][col]++;
    return FN_OK;
}

/* 1 when s is a real day written JJJJ-MM-TT. */
static int full_date(const char *s)
{
    struct fn_pdate d;
    return strlen(s) == 10 && fn_pdate_parse(s, 10, &d) == FN_OK &&
           fn_pdate_precision(&d) == FN_PDATE_DAY;
}

const char *eval_filter_check(const struct store_eval_filter *f)
{
    if (f->from && !full_date(f->from))
        return "Beginn des Zeitraums (from): kein gültiges Datum (JJJJ-MM-TT erwartet)";
    if (f->to && !full_date(f->to))
        return "Ende des Zeitraums (to): kein gültiges Datum (JJJJ-MM-TT erwartet)";
    if (f->from && f->to && strcmp(f->from, f->to) > 0)
        return "Der Beginn des Zeitraums liegt nach seinem Ende";
    if (f->region) {
        size_t n = strlen(f->region);
        if (!n || n > 32 ||
            strspn(f->region, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                              "0123456789-_") != n)
            return "Region: ungültiger Code (Buchstaben, Ziffern, - und _)";
    }
    return NULL;
}

static fn_status collect_decision(void *ctx, const struct store_eval_decision *d)
{
    return eval_add_decision(ctx, d);
}

static fn_status collect_person(void *ctx, const struct store_eval_person *p)
{
    return eval_add_person(ctx, p);
}

fn_status eval_collect(struct store *st, const struct store_actor *a,
                       const struct store_eval_filter *f, struct eval_report *r)
{
    return store_eval_each(st, a, f, collect_decision, collect_person, r);
}

/* ---- rendering with small cells suppressed ---- */

static int small(size_t n)
{
    return n > 0 && n < EVAL_SMALL_CELL;
}

/* A count as shown: the number, or "<5" for 1..4. */
static json_t *count_json(size_t n)
{
    return small(n) ? json_string("<5") : json_integer((json_int_t)n);
}

/* num/den as shown: null when den is small or num or den - num is 1..4
 * (either would reveal a small cell). */
static json_t *rate_json(size_t num, size_t den)
{
    if (den < EVAL_SMALL_CELL || small(num) || small(den - num))
        return json_null();
    return json_real((double)num / (double)den);
}

/* Sets key to v in o; takes v. FN_NOMEM when v is NULL or the set fails. */
static fn_status put(json_t *o, const char *key, json_t *v)
{
    return v && json_object_set_new(o, key, v) == 0 ? FN_OK : FN_NOMEM;
}

/* Counts of a partition of total (band A, B, C, gesperrt, nicht bewertet):
 * small cells hidden, and when exactly one is hidden while the total is
 * shown, the smallest other positive cell too (else the total would give
 * the hidden one away). */
static fn_status partition_json(json_t *o, const char *const *keys, const size_t *v, size_t n,
                                size_t total)
{
    int hide[8] = {0};
    size_t hidden = 0;
    for (size_t i = 0; i < n; i++) {
        hide[i] = small(v[i]);
        hidden += (size_t)hide[i];
    }
    if (hidden == 1 && !small(total)) {
        size_t best = n;
        for (size_t i = 0; i < n; i++)
            if (!hide[i] && v[i] > 0 && (best == n || v[i] < v[best]))
                best = i;
        if (best < n)
            hide[best] = 2;
    }
    fn_status rc = FN_OK;
    for (size_t i = 0; i < n && !rc; i++)
        rc = put(o, keys[i],
                 hide[i] == 2 ? json_string("unterdrückt") : count_json(hide[i] ? 1 : v[i]));
    return rc;
}

static json_t *kappa_json(const size_t table[2][2])
{
    struct eval_kappa k;
    eval_kappa_table(table, &k);
    json_t *o = json_object();
    if (!o)
        return NULL;
    int shown = k.n >= EVAL_SMALL_CELL;
    fn_status rc = put(o, "wert", shown ? json_real(k.kappa) : json_null());
    if (!rc)
        rc = put(o, "ki_95_unten", shown ? json_real(k.ci_low) : json_null());
    if (!rc)
        rc = put(o, "ki_95_oben", shown ? json_real(k.ci_high) : json_null());
    if (!rc)
        rc = put(o, "beobachtete_uebereinstimmung", shown ? json_real(k.observed) : json_null());
    if (!rc)
        rc = put(o, "zufallsuebereinstimmung", shown ? json_real(k.expected) : json_null());
    json_t *t = json_pack("[[o,o],[o,o]]", count_json(table[0][0]), count_json(table[0][1]),
                          count_json(table[1][0]), count_json(table[1][1]));
    if (!rc)
        rc = put(o, "tabelle_empfohlen_x_aufgenommen", t);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *decisions_json(const struct dec_counts *c, int with_kappa)
{
    json_t *o = json_object();
    fn_status rc = o ? FN_OK : FN_NOMEM;
    if (!rc)
        rc = put(o, "personen", count_json(c->persons));
    if (!rc)
        rc = put(o, "fruehere_entscheidungen", count_json(c->earlier));
    if (!rc)
        rc = put(o, "personen_mit_frueheren", count_json(c->repeated));
    if (!rc)
        rc = put(o, "aufgenommen", count_json(c->accepted));
    if (!rc)
        rc = put(o, "abweichungen", count_json(c->overrides));
    if (!rc)
        rc = put(o, "auswahlquote", rate_json(c->accepted, c->persons));
    if (!rc)
        rc = put(o, "abweichungsquote", rate_json(c->overrides, c->persons));
    if (!rc && with_kappa)
        rc = put(o, "kappa", kappa_json(c->table));
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *population_json(const struct eval_report *r, const struct pop_counts *c)
{
    static const char *const keys[] = {"band_a", "band_b", "band_c", "gesperrt", "nicht_bewertet"};
    size_t v[5] = {c->band[0], c->band[1], c->band[2], c->blocked, c->persons - c->assessed};
    json_t *o = json_object(), *gates = json_object();
    fn_status rc = o && gates ? FN_OK : FN_NOMEM;
    if (!rc)
        rc = put(o, "personen", count_json(c->persons));
    if (!rc)
        rc = put(o, "bewertet", count_json(c->assessed));
    if (!rc)
        rc = partition_json(o, keys, v, 5, c->persons);
    for (size_t i = 0; i <= r->ngates && !rc; i++) {
        size_t slot = i < r->ngates ? i : EVAL_MAX_GATES;
        if (slot == EVAL_MAX_GATES && !c->gate[slot])
            break;
        rc = put(gates, slot < EVAL_MAX_GATES ? r->gates[slot] : "andere",
                 count_json(c->gate[slot]));
    }
    if (!rc) {
        rc = put(o, "sperren", gates);
        gates = NULL;
    }
    json_decref(gates);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The four-fifths flags of a dimension's groups over their latest decisions. */
static void dim_rates(const struct cell *cells, size_t n, struct eval_group *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (struct eval_group){.n = cells[i].d.persons,
                                     .accepted = cells[i].d.accepted,
                                     .overrides = cells[i].d.overrides};
    eval_group_rates(out, n);
}

static json_t *dim_json(const struct eval_report *r, enum eval_dim d)
{
    size_t n = r->ndims[d] + 1;
    struct eval_group *rates = fn_calloc(n, sizeof *rates);
    json_t *arr = json_array();
    fn_status rc = rates && arr ? FN_OK : FN_NOMEM;
    if (!rc)
        dim_rates(r->dims[d], r->ndims[d], rates);
    for (size_t i = 0; i < n && !rc; i++) {
        size_t at = i < r->ndims[d] ? i : EVAL_MAX_GROUPS;
        const struct cell *c = &r->dims[d][at];
        if (at == EVAL_MAX_GROUPS && !c->d.persons && !c->p.persons)
            break;
        json_t *g = json_object();
        rc = g ? json_array_append_new(arr, g) == 0 ? FN_OK : FN_NOMEM : FN_NOMEM;
        if (!rc)
            rc = put(g, "gruppe", json_string(c->label));
        if (!rc && d == DIM_CATALOG)
            rc = put(g, "katalog_hash", json_string(c->key));
        if (!rc)
            rc = put(g, "entscheidungen", decisions_json(&c->d, d == DIM_CATALOG));
        if (!rc)
            rc = put(g, "bestand", population_json(r, &c->p));
        /* the flag compares rates that are shown; a hidden rate flags nothing */
        int shown =
            at < EVAL_MAX_GROUPS &&
            !json_is_null(json_object_get(json_object_get(g, "entscheidungen"), "auswahlquote"));
        if (!rc && d != DIM_CATALOG)
            rc = put(g, "vier_fuenftel_auffaellig", json_boolean(shown && rates[at].flagged));
    }
    fn_free(rates);
    if (rc) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

static json_t *outcome_json(const struct eval_report *r)
{
    static const char *const rows[OUT_ROWS] = {"Band A", "Band B", "Band C", "gesperrt",
                                               "nicht bewertet"};
    static const char *const keys[OUT_COLS] = {"massnahme", "ohne_massnahme", "kein_ergebnis"};
    size_t with = 0;
    for (int i = 0; i < OUT_ROWS; i++)
        with += r->outcome[i][OUT_MEASURE] + r->outcome[i][OUT_CLOSED];
    json_t *o = json_object(), *table = json_array();
    fn_status rc = o && table ? FN_OK : FN_NOMEM;
    if (!rc)
        rc = put(o, "definition",
                 json_string("Ergebnis „Maßnahme“: zur Person ist eine Fallakte im Status "
                             "„Maßnahme“ oder eine Abschiebungshaft erfasst. Ergebnis „ohne "
                             "Maßnahme“: eine Fallakte ist „abgeschlossen“, ohne Maßnahme und "
                             "ohne Abschiebungshaft. Alle anderen Personen haben (noch) kein "
                             "Ergebnis und zählen nicht in die Quote. Verglichen wird mit der "
                             "letzten Bewertung bis zum Ende des Zeitraums; das Ergebnis ist der "
                             "heute erfasste Stand. Erwartet wird eine höhere Maßnahmequote in "
                             "Band A als in B und C und kaum Maßnahmen bei gesperrten Personen."));
    if (!rc)
        rc = put(o, "personen_mit_ergebnis", count_json(with));
    if (!rc && !with)
        rc = put(o, "hinweis", json_string("keine Ergebnisdaten"));
    for (int i = 0; i < OUT_ROWS && !rc && with; i++) {
        json_t *row = json_object();
        rc = row && json_array_append_new(table, row) == 0 ? FN_OK : FN_NOMEM;
        if (!rc)
            rc = put(row, "band", json_string(rows[i]));
        size_t total = r->outcome[i][0] + r->outcome[i][1] + r->outcome[i][2];
        if (!rc)
            rc = partition_json(row, keys, r->outcome[i], OUT_COLS, total);
        if (!rc)
            rc = put(row, "massnahmequote",
                     rate_json(r->outcome[i][OUT_MEASURE],
                               r->outcome[i][OUT_MEASURE] + r->outcome[i][OUT_CLOSED]));
    }
    if (!rc) {
        rc = put(o, "tabelle", table);
        table = NULL;
    }
    json_decref(table);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* What Art. 9–15 of the AI Act (Regulation (EU) 2024/1689) ask of a
 * high-risk system and where fallnetz meets it, with the gaps. */
static const struct {
    const char *article, *asks, *mechanism, *doc, *test, *gap;
} ai_act[] = {
    {"Art. 9", "Risikomanagementsystem über den ganzen Lebenszyklus",
     "Sperren statt Minuspunkte; Katalog-Lader weist verbotene Merkmale zurück; "
     "Katalogvergleich (evaluate --compare) vor einem Wechsel; diese Evaluation",
     "docs/assessment.md, docs/catalog-format.md",
     "tests/unit/assess/test_catalog.c (test_forbidden_attributes_refused, test_misuse_refused)",
     "Kein dokumentierter Risikomanagementprozess (Verantwortliche, Turnus, Schwellen für "
     "Eingriffe); das ist Aufgabe des Betreibers."},
    {"Art. 10", "Daten-Governance: Qualität, Relevanz, Prüfung auf Verzerrungen",
     "Nur rechtskräftige, überprüfbare Tatsachen; Untergruppenprüfung (Geschlecht, Alter, "
     "Staatsangehörigkeit, Region, Behörde) mit 4/5-Regel; Merkmale nur hier gelesen",
     "docs/assessment.md (Was in die Bewertung eingeht), docs/linkage-fields.md",
     "tests/unit/assess/test_evaluate.c, tests/unit/store/test_eval.c",
     "Keine Messung der Datenqualität der Register (Vollständigkeit, Aktualität der Fakten)."},
    {"Art. 11", "Technische Dokumentation",
     "Architektur-, Speicher-, Zugriffs- und Bewertungsdokumentation im Repository",
     "docs/architecture.md, docs/store.md, docs/access.md, docs/assessment.md", "–",
     "Keine Dokumentation nach Anhang IV als ein Dokument."},
    {"Art. 12", "Aufzeichnung (Logging) über die Lebensdauer",
     "Hash-verkettetes Protokoll jeder Lesung und Änderung; jede Bewertung mit Katalog-Hash und "
     "Erklärung, jede Entscheidung mit Person und Begründung gespeichert",
     "docs/audit.md", "tests/unit/store/test_store.c, tests/api/assess_cli.sh",
     "Aufbewahrungsfristen der Bewertungen selbst sind nicht festgelegt."},
    {"Art. 13", "Transparenz und Betriebsanleitung für Betreiber",
     "Erklärung jeder Bewertung (Regel, Rechtsgrundlage, Fassung, gelesene Tatsachen); "
     "veröffentlichter, versionierter Katalog",
     "docs/assessment.md (Wie ein Ergebnis zu lesen ist)", "tests/unit/assess/test_catalog.c",
     "Keine Gebrauchsanweisung mit Genauigkeitsangaben; diese Evaluation liefert die Zahlen."},
    {"Art. 14", "Menschliche Aufsicht",
     "Die Bewertung entscheidet nichts: Aufnahme nur durch eine benannte Person mit "
     "Begründung; Aufnahme trotz Sperre nur mit zweiter Person; Abweichungen ausgewiesen",
     "docs/assessment.md (Entscheidungen)",
     "tests/unit/assess/test_decide.c, tests/api/assess_cli.sh",
     "Keine Schulungsnachweise der Aufsichtspersonen."},
    {"Art. 15", "Genauigkeit, Robustheit, Cybersicherheit",
     "Übereinstimmung (Cohens Kappa), Ergebnisvalidierung Band gegen Ergebnis; "
     "Rollen- und Bereichsprüfung im Speicher, CSRF, Sitzungen, Sanitizer-Tests",
     "docs/access.md, docs/webui.md",
     "tests/unit/store/test_scope.c, tests/api/serve_guard.sh, tests/browser/csrf.test.mjs",
     "Ergebnisdaten sind erst mit abgeschlossenen Fällen vorhanden; keine Genauigkeitsschwelle "
     "festgelegt."},
};

static json_t *ai_act_json(void)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < sizeof ai_act / sizeof ai_act[0]; i++)
        if (json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "artikel",
                                                 ai_act[i].article, "anforderung", ai_act[i].asks,
                                                 "umsetzung", ai_act[i].mechanism, "dokument",
                                                 ai_act[i].doc, "test", ai_act[i].test, "luecke",
                                                 ai_act[i].gap))) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *eval_report_json(const struct eval_report *r, const struct store_eval_filter *f)
{
    json_t *o = json_object(), *groups = json_object();
    fn_status rc = o && groups ? FN_OK : FN_NOMEM;
    if (!rc)
        rc = put(o, "filter",
                 json_pack("{s:o, s:o, s:o}", "von", text_or_null(f->from), "bis",
                           text_or_null(f->to), "region", text_or_null(f->region)));
    if (!rc)
        rc = put(o, "kleinzellen",
                 json_string("Zählwerte von 1 bis 4 sind unterdrückt („<5“); ergäbe sich ein "
                             "unterdrückter Wert aus der Summe, ist ein weiterer unterdrückt. "
                             "Quoten fehlen, wo Zähler oder Rest klein sind."));
    if (!rc)
        rc = put(o, "entscheidungen", decisions_json(&r->total.d, 1));
    json_t *kinds =
        json_pack("{s:o, s:o}", "Aufnahme trotz Sperre", count_json(r->override_kind[0]),
                  "Ablehnung trotz Band A", count_json(r->override_kind[1]));
    if (!rc)
        rc = put(json_object_get(o, "entscheidungen"), "abweichungen_nach_art", kinds);
    else
        json_decref(kinds);
    if (!rc)
        rc = put(o, "bestand", population_json(r, &r->total.p));
    if (!rc)
        rc = put(o, "nach_katalog", dim_json(r, DIM_CATALOG));
    for (int d = DIM_REGION; d < DIM_COUNT && !rc; d++)
        rc = put(groups, dim_names[d], dim_json(r, d));
    if (!rc) {
        rc = put(o, "untergruppen", groups);
        groups = NULL;
    }
    if (!rc)
        rc = put(o, "ergebnisvalidierung", outcome_json(r));
    if (!rc)
        rc = put(o, "ki_verordnung", ai_act_json());
    if (!rc)
        rc = put(o, "hinweis",
                 json_string("Empfohlen = keine Sperre und Band A oder B. Gezählt wird je Person "
                             "die letzte Entscheidung im Zeitraum; frühere stehen als Verlauf "
                             "daneben. Der Bestand zählt alle Personen mit ihrer letzten "
                             "Bewertung bis zum Ende des Zeitraums. Die Untergruppenmerkmale "
                             "werden nur für diese Prüfung gelesen. Die Zahlen beschreiben die "
                             "Praxis, sie sagen nichts über einzelne Personen."));
    json_decref(groups);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}
