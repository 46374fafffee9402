/*
 * Unit tests for issue 13 "fail closed" against the shipped catalogue:
 * unknown facts make gates ungeklärt (blocked, named), never passed; a
 * Duldung as residence status is G3; a pending proceeding without a
 * granted or dispensable consent is G4; past deadlines are overdue; P2 and
 * P4 follow § 54 Abs. 1 Nr. 1a, 1b and Abs. 2 Nr. 1-3 AufenthG at their
 * borders; and the loader refuses a catalogue with any gate removed,
 * inverted or weakened, or a rule without norm or version.
 */
#include "../test_util.h"

#include "assess/catalog.h"
#include "core/alloc.h"
#include "core/pdate.h"

static int32_t day(int y, int m, int d)
{
    struct fn_pdate p = {.year = (uint16_t)y, .month = (uint8_t)m, .day = (uint8_t)d};
    int32_t out = 0;
    assert_int_equal(fn_pdate_to_days(&p, &out), FN_OK);
    return out;
}

static struct fn_pdate date(int y, int m, int d)
{
    return (struct fn_pdate){.year = (uint16_t)y, .month = (uint8_t)m, .day = (uint8_t)d};
}

static char *shipped_text(size_t *len)
{
    char path[512];
    const char *root = getenv("FALLNETZ_SOURCE_ROOT");
    snprintf(path, sizeof path, "%s/catalog/initialbewertung.cat", root ? root : ".");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[256 * 1024];
    *len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[*len] = '\0';
    return text;
}

static struct assess_catalog *shipped(void)
{
    size_t len = 0;
    char *text = shipped_text(&len);
    struct fn_buf errors;
    fn_buf_init(&errors, 65536);
    struct assess_catalog *c = NULL;
    if (assess_catalog_parse(text, len, "initialbewertung.cat", &c, &errors) != FN_OK)
        fail_msg("%s", fn_buf_str(&errors));
    fn_buf_free(&errors);
    return c;
}

static int rule_index(const struct assess_catalog *c, const char *id)
{
    for (size_t i = 0; i < c->nrules; i++)
        if (strcmp(c->rules[i].id, id) == 0)
            return (int)i;
    fail_msg("rule %s missing", id);
    return -1;
}

/* 1: gate id blocks as fired, 2: as ungeklärt, 0: does not block. */
static int gate_state(const struct assess_catalog *c, const struct assess_result *r, const char *id)
{
    int k = rule_index(c, id);
    for (int i = 0; i < r->ngates; i++)
        if (r->gates[i] == k)
            return r->gate_unresolved[i] ? 2 : 1;
    return 0;
}

static int fired(const struct assess_catalog *c, const struct assess_result *r, const char *id)
{
    int k = rule_index(c, id);
    return r->trace[k].fired && !r->trace[k].subsumed;
}

/* An adult, identity clarified, obliged to leave and enforceable since
 * 2025-01-01, departure deadline 2025-02-01 (all recorded): every gate
 * open as of 2026-03-01. */
struct file {
    struct model_person person;
    struct model_residence_entry res;
    struct model_proceeding procs[4];
    struct model_custody custody;
    struct model_obstacle_entry obst;
    struct model_person_file f;
};

static void base_file(struct file *x)
{
    memset(x, 0, sizeof *x);
    x->person = (struct model_person){.id = 1,
                                      .identity = IDENTITY_CLARIFIED,
                                      .birth_date = date(1990, 5, 1),
                                      .residence = RES_OBLIGED_TO_LEAVE};
    x->res = (struct model_residence_entry){.status = RES_OBLIGED_TO_LEAVE,
                                            .since = date(2025, 1, 1),
                                            .enforceable_since = date(2025, 1, 1),
                                            .departure_deadline = date(2027, 2, 1)};
    x->f = (struct model_person_file){.person = &x->person, .residence = &x->res, .n_residence = 1};
}

static void assess_file(const struct assess_catalog *c, struct file *x, struct assess_result *r)
{
    struct assess_facts facts;
    assess_facts_from_file(&x->f, day(2026, 3, 1), &facts);
    assess_evaluate(c, &facts, r);
}

/* A final intentional conviction. */
static struct model_proceeding conviction(enum model_sentence s, int months, int suspended,
                                          const char *offences)
{
    return (struct model_proceeding){.kind = PROC_CONVICTION,
                                     .sentence = s,
                                     .sentence_months = months,
                                     .suspended = suspended,
                                     .intentional = 1,
                                     .offences = (char *)offences,
                                     .final_date = date(2025, 6, 1)};
}

static void test_base_file_is_open(void **state)
{
    (void)state;
    struct assess_catalog *c = shipped();
    struct file x;
    struct assess_result r;
    base_file(&x);
    assess_file(c, &x, &r);
    assert_false(r.blocked);
    assert_int_equal(r.nunresolved, 0);
    assess_catalog_free(c);
}

static void test_unknown_status_is_ungeklaert(void **state)
{
    (void)state;
    struct assess_catalog *c = shipped();
    struct file x;
    struct assess_result r;
    /* no residence status recorded at all: not "not enforceable" but
     * unknown; every status gate is ungeklärt and names what is missing */
    base_file(&x);
    x.f.n_residence = 0;
    x.person.residence = RES_UNKNOWN;
    struct assess_facts facts;
    assess_facts_from_file(&x.f, day(2026, 3, 1), &facts);
    assert_false(facts.known[F_ENFORCEABLE_OBLIGATION]);
    assert_false(facts.known[F_DULDUNG]);
    assess_evaluate(c, &facts, &r);
    assert_true(r.blocked);
    assert_int_equal(gate_state(c, &r, "G1"), 2);
    assert_int_equal(gate_state(c, &r, "G2"), 2);
    assert_int_equal(gate_state(c, &r, "G3"), 2);
    assert_int_equal(gate_state(c, &r, "B2"), 2);
    assert_int_equal(gate_state(c, &r, "G4"), 0); /* no pending proceeding: known */
    struct fn_buf miss;
    fn_buf_init(&miss, 4096);
    assert_int_equal(assess_missing_text(c, &r.trace[rule_index(c, "G1")], &miss), FN_OK);
    assert_string_equal(fn_buf_str(&miss), "Aufenthaltsstatus mit Datum der Vollziehbarkeit");
    fn_buf_free(&miss);
    /* the trace says so too */
    struct fn_buf json;
    fn_buf_init(&json, 65536);
    assert_int_equal(assess_trace_json(c, &facts, &r, &json), FN_OK);
    assert_non_null(strstr(fn_buf_str(&json), "\"ausreisepflicht_vollziehbar\":\"unbekannt\""));
    assert_non_null(strstr(fn_buf_str(&json),
                           "{\"regel\":\"G1\",\"fehlt\":[\"ausreisepflicht_vollziehbar\"]}"));
    fn_buf_free(&json);
    /* obliged, but the date of enforceability not recorded: still unknown */
    base_file(&x);
    x.res.enforceable_since = (struct fn_pdate){0};
    assess_file(c, &x, &r);
    assert_int_equal(gate_state(c, &r, "G1"), 2);
    assert_int_equal(gate_state(c, &r, "G3"), 0);
    /* a residence period that ended without a successor: unknown again */
    base_file(&x);
    x.res.until = date(2026, 1, 1);
    assess_file(c, &x, &r);
    assert_int_equal(gate_state(c, &r, "G1"), 2);
    /* a lawful stay is a recorded fact: G1 fires (not ungeklärt) */
    base_file(&x);
    x.res.status = RES_TEMPORARY;
    assess_file(c, &x, &r);
    assert_int_equal(gate_state(c, &r, "G1"), 1);
    /* an Aufenthaltsgestattung is a pending asylum procedure */
    x.res.status = RES_PERMITTED_ASYLUM;
    assess_file(c, &x, &r);
    assert_int_equal(gate_state(c, &r, "G2"), 1);
    assess_catalog_free(c);
}

static void test_minor_handover_unknown(void **state)
{
    (void)state;
    struct assess_catalog *c = shipped();
    struct file x;
    struct assess_result r;
    base_file(&x);
    x.person.birth_date = (struct fn_pdate){0}; /* age unknown */
    assess_file(c, &x, &r);
    assert_int_equal(gate_state(c, &r, "G6"), 2);
    x.person.birth_date = date(2009, 0, 0); /* year only: 16 or 17 on 2026-03-01 */
    assess_file(c, &x, &r);
    assert_int_equal(gate_state(c, &r, "G6"), 2);
    x.person.birth_date = date(2008, 3, 1); /* 18 today */
    assess_file(c, &x, &r);
    assert_int_equal(gate_state(c, &r, "G6"), 0);
    x.person.birth_date = date(2008, 3, 2); /* 17 until tomorrow */
    assess_file(c, &x, &r);
    assert_int_equal(gate_state(c, &r, "G6"), 2);
    x.obst =
        (struct model_obstacle_entry){.kind = OBST_MINOR_NO_HANDOVER, .since = date(2026, 1, 1)};
    x.f.obstacles = &x.obst;
    x.f.n_obstacles = 1;
    assess_file(c, &x, &r);
    assert_int_equal(gate_state(c, &r, "G6"), 1);
    assess_catalog_free(c);
}

/* Finding (a): a Duldung recorded as residence status is the gate G3. */
static void test_duldung_status_is_g3(void **state)
{
    (void)state;
    struct assess_catalog *c = shipped();
    struct file x;
    struct assess_result r;
    base_file(&x);
    x.res.status = RES_TOLERATED;
    x.res.until = date(2026, 6, 1);
    assess_file(c, &x, &r);
    assert_int_equal(gate_state(c, &r, "G3"), 1);
    assess_catalog_free(c);
}

/* Finding (b): § 72 Abs. 4 – only a granted or dispensable consent opens
 * G4; "not needed yet" on a pending proceeding is no record. */
static void test_consent_g4(void **state)
{
    (void)state;
    struct assess_catalog *c = shipped();
    const struct {
        enum model_proceeding_kind kind;
        enum model_consent consent;
        int want; /* gate_state of G4 */
    } cases[] = {
        {PROC_INVESTIGATION, CONSENT_NOT_NEEDED_YET, 2}, {PROC_CHARGE, CONSENT_NOT_NEEDED_YET, 2},
        {PROC_INVESTIGATION, CONSENT_PENDING, 1},        {PROC_CHARGE, CONSENT_REFUSED, 1},
        {PROC_INVESTIGATION, CONSENT_GRANTED, 0},        {PROC_CHARGE, CONSENT_DISPENSABLE, 0},
        {PROC_CONVICTION, CONSENT_NOT_NEEDED_YET, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct file x;
        struct assess_result r;
        base_file(&x);
        x.procs[0] = (struct model_proceeding){
            .kind = cases[i].kind, .consent = cases[i].consent, .offences = (char *)"StGB § 223"};
        x.f.proceedings = x.procs;
        x.f.n_proceedings = 1;
        assess_file(c, &x, &r);
        if (gate_state(c, &r, "G4") != cases[i].want)
            fail_msg("case %zu: G4 %d, want %d", i, gate_state(c, &r, "G4"), cases[i].want);
        assert_int_equal(r.blocked, cases[i].want != 0);
    }
    /* one refused consent decides over an unrecorded one */
    struct file x;
    struct assess_result r;
    base_file(&x);
    x.procs[0] = (struct model_proceeding){.kind = PROC_CHARGE, .consent = CONSENT_NOT_NEEDED_YET};
    x.procs[1] = (struct model_proceeding){.kind = PROC_CHARGE, .consent = CONSENT_REFUSED};
    x.f.proceedings = x.procs;
    x.f.n_proceedings = 2;
    assess_file(c, &x, &r);
    assert_int_equal(gate_state(c, &r, "G4"), 1);
    assess_catalog_free(c);
}

/* Finding (c): past deadlines are overdue with the days over; a custody
 * without planned release has no deadline (unknown), not a made-up one. */
static void test_overdue_deadlines(void **state)
{
    (void)state;
    struct assess_catalog *c = shipped();
    struct file x;
    struct assess_result r;
    base_file(&x);
    x.custody = (struct model_custody){
        .kind = CUSTODY_SENTENCE, .start = date(2024, 1, 1), .planned_release = date(2024, 12, 10)};
    x.f.custody = &x.custody;
    x.f.n_custody = 1;
    assess_file(c, &x, &r);
    assert_true(r.overdue);
    assert_int_equal(r.deadlines[0].days, -446); /* 2024-12-10 .. 2026-03-01 */
    char when[64];
    assess_deadline_text(r.deadlines[0].days, when, sizeof when);
    assert_string_equal(when, "überfällig seit 446 Tagen");
    assess_deadline_text(1, when, sizeof when);
    assert_string_equal(when, "in 1 Tag");
    /* no planned release: T1a and G5 do not fire, the fact is unknown */
    x.custody.planned_release = (struct fn_pdate){0};
    struct assess_facts facts;
    assess_facts_from_file(&x.f, day(2026, 3, 1), &facts);
    assert_false(facts.known[F_DAYS_TO_RELEASE]);
    assess_evaluate(c, &facts, &r);
    assert_false(fired(c, &r, "T1a"));
    /* a departure deadline that passed */
    base_file(&x);
    x.res.departure_deadline = date(2026, 2, 1);
    assess_file(c, &x, &r);
    assert_true(r.overdue);
    assert_int_equal(r.deadlines[0].days, -28);
    /* a Duldung that expired with nothing recorded after it */
    base_file(&x);
    x.obst = (struct model_obstacle_entry){
        .kind = OBST_DULDUNG_60A_2_1, .since = date(2025, 3, 1), .until = date(2026, 2, 20)};
    x.f.obstacles = &x.obst;
    x.f.n_obstacles = 1;
    assess_file(c, &x, &r);
    assert_int_equal(gate_state(c, &r, "G3"), 0); /* its recorded period is over */
    assert_true(fired(c, &r, "T1b"));
    assert_int_equal(r.deadlines[0].days, -9);
    assess_catalog_free(c);
}

/* Points never fire on an unknown fact; the gate does. */
static void test_points_need_known_facts(void **state)
{
    (void)state;
    struct assess_catalog *c = shipped();
    struct assess_facts f;
    assess_facts_clear(&f);
    assess_fact_set(&f, F_MAX_SENTENCE_MONTHS, 0); /* known */
    struct assess_result r;
    assess_evaluate(c, &f, &r);
    assert_int_equal(r.points, 0);
    assert_true(r.blocked);
    for (int i = 0; i < r.ntrace; i++) {
        const struct assess_rule *rule = &c->rules[r.trace[i].rule];
        if (rule->effect != EFF_GATE)
            assert_false(r.trace[i].unresolved);
        if (rule->effect == EFF_POINTS || rule->effect == EFF_FEASIBILITY ||
            rule->effect == EFF_DEADLINE)
            assert_false(r.trace[i].fired);
    }
    assess_catalog_free(c);
}

/* Finding (d): § 54 Abs. 1 Nr. 1a, 1b and Abs. 2 Nr. 1-3 at their borders. */
static void test_legal_mapping_borders(void **state)
{
    (void)state;
    struct assess_catalog *c = shipped();
    const struct {
        const char *label;
        enum model_sentence s;
        int months, suspended;
        const char *offences;
        int p2, p4;
    } cases[] = {
        /* Abs. 2 Nr. 1 names the Freiheitsstrafe: a youth sentence is Nr. 2 */
        {"JS 6 Bewährung (Person 35)", SENT_JUVENILE, 6, 1, "StGB § 223", 0, 0},
        {"JS 11 ohne Bewährung", SENT_JUVENILE, 11, 0, "StGB § 303", 0, 0},
        {"JS 12 ohne Bewährung", SENT_JUVENILE, 12, 0, "StGB § 303", 0, 1},
        {"JS 12 Bewährung", SENT_JUVENILE, 12, 1, "StGB § 303", 0, 0},
        /* "zu einer Freiheitsstrafe von mindestens sechs Monaten verurteilt" */
        {"FS 6 Bewährung", SENT_PRISON, 6, 1, "StGB § 303", 0, 1},
        {"FS 5", SENT_PRISON, 5, 0, "StGB § 303", 0, 0},
        {"Geldstrafe", SENT_FINE, 0, 0, "StGB § 223", 0, 0},
        /* Nr. 1a Eigentum: raised minimum only; § 242 plain is none */
        {"§ 242 FS 12", SENT_PRISON, 12, 0, "StGB § 242", 0, 1},
        {"§ 243 FS 12", SENT_PRISON, 12, 0, "StGB § 243", 1, 0},
        {"§ 244 FS 12", SENT_PRISON, 12, 0, "StGB § 244 Abs. 1 Nr. 3", 1, 0},
        {"§ 244 FS 11", SENT_PRISON, 11, 0, "StGB § 244", 0, 1},
        {"§ 223 JS 12 Bewährung", SENT_JUVENILE, 12, 1, "StGB § 223", 1, 0},
        {"§ 242 und § 223", SENT_PRISON, 12, 0, "StGB § 242; StGB § 223", 1, 0},
        /* Nr. 1b: § 263 only against a Leistungsträger; § 263a is no § 263 */
        {"§ 263 FS 12", SENT_PRISON, 12, 0, "StGB § 263", 0, 1},
        {"§ 263 Sozialleistung FS 12", SENT_PRISON, 12, 0,
         "StGB § 263 zum Nachteil eines Sozialleistungsträgers", 1, 0},
        {"§ 263a FS 12", SENT_PRISON, 12, 0, "StGB § 263a Sozialleistungsträger", 0, 1},
        {"BtMG Besitz FS 12", SENT_PRISON, 12, 0, "BtMG § 29 Abs. 1 S. 1 Nr. 3", 1, 0},
        /* Abs. 2 Nr. 3: § 29 Abs. 1 S. 1 Nr. 1 BtMG, with any sentence */
        {"BtMG Handel Geldstrafe", SENT_FINE, 0, 0, "BtMG § 29 Abs. 1 S. 1 Nr. 1", 0, 1},
        {"BtMG Besitz Geldstrafe", SENT_FINE, 0, 0, "BtMG § 29 Abs. 1 S. 1 Nr. 3", 0, 0},
        {"BtMG Nr. 11 is not Nr. 1", SENT_FINE, 0, 0, "BtMG § 29 Abs. 1 S. 1 Nr. 11", 0, 0},
        {"BtMG § 29 Variante offen", SENT_FINE, 0, 0, "BtMG § 29", 0, 0},
        {"BtMG § 30 bandenmäßig", SENT_FINE, 0, 0, "BtMG § 30 Abs. 1 Nr. 1", 0, 1},
        {"BtMG § 29a Besitz nicht geringe Menge", SENT_FINE, 0, 0, "BtMG § 29a Abs. 1 Nr. 2", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct file x;
        struct assess_result r;
        base_file(&x);
        x.procs[0] = conviction(cases[i].s, cases[i].months, cases[i].suspended, cases[i].offences);
        x.f.proceedings = x.procs;
        x.f.n_proceedings = 1;
        assess_file(c, &x, &r);
        int k2 = rule_index(c, "P2"), k4 = rule_index(c, "P4");
        /* P4 counts also when covered by P2 (same group): the trace says it fired */
        if (r.trace[k2].fired != cases[i].p2 ||
            (r.trace[k4].fired && !r.trace[k4].subsumed) != (cases[i].p4 && !cases[i].p2))
            fail_msg("%s: P2 %d P4 %d/%d, want P2 %d P4 %d", cases[i].label, r.trace[k2].fired,
                     r.trace[k4].fired, r.trace[k4].subsumed, cases[i].p2, cases[i].p4);
    }
    assess_catalog_free(c);
}

/* ---- the loader refuses unsafe catalogues ---- */

/* Parses text; expects FN_INVALID and want (if set) in the errors, which
 * must carry "t.cat:LINE:". */
static void refused(const char *label, const char *text, const char *want)
{
    struct fn_buf errors;
    fn_buf_init(&errors, 65536);
    struct assess_catalog *c = NULL;
    fn_status rc = assess_catalog_parse(text, strlen(text), "t.cat", &c, &errors);
    if (rc != FN_INVALID)
        fail_msg("%s: accepted", label);
    const char *e = fn_buf_str(&errors);
    if (!strstr(e, "t.cat:") || (want && !strstr(e, want)))
        fail_msg("%s: want '%s' in: %s", label, want ? want : "t.cat:", e);
    fn_buf_free(&errors);
}

/* The shipped text with the lines [from, to) (1-based) replaced by repl. */
static char *edit_lines(const char *text, int from, int to, const char *repl)
{
    static char out[256 * 1024];
    size_t used = 0;
    int line = 1;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        if (line == from) {
            size_t rl = strlen(repl);
            memcpy(out + used, repl, rl);
            used += rl;
        }
        if (line < from || line >= to) {
            memcpy(out + used, p, n);
            used += n;
        }
        p += n;
        line++;
    }
    out[used] = '\0';
    return out;
}

/* The line number of the "key:" line of rule r (searching from its start). */
static int key_line(const char *text, const struct assess_rule *r, const char *key)
{
    int line = 1;
    size_t kl = strlen(key);
    for (const char *p = text; *p; line++) {
        if (line >= r->line && strncmp(p, key, kl) == 0)
            return line;
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    fail_msg("rule %s has no %s", r->id, key);
    return 0;
}

/* The whole line (without LF) at 1-based line. */
static void line_at(const char *text, int line, char *out, size_t size)
{
    const char *p = text;
    for (int i = 1; i < line; i++)
        p = strchr(p, '\n') + 1;
    size_t n = strcspn(p, "\n");
    snprintf(out, size, "%.*s", (int)n, p);
}

static void test_gates_property(void **state)
{
    (void)state;
    size_t len = 0;
    const char *text = shipped_text(&len);
    struct assess_catalog *c = shipped();
    int gates = 0;
    for (size_t i = 0; i < c->nrules; i++) {
        const struct assess_rule *r = &c->rules[i];
        if (r->effect != EFF_GATE)
            continue;
        gates++;
        /* removed: from its "regel:" line to the next rule */
        int end = i + 1 < c->nrules ? c->rules[i + 1].line : 1 << 30;
        char label[256];
        snprintf(label, sizeof label, "%s removed", r->id);
        refused(label, edit_lines(text, r->line, end, ""), "Pflichtsperre fehlt");
        /* each condition inverted: "= ja" <-> "= nein", and "=" -> "!=" */
        int wl = key_line(text, r, "wenn:");
        char wenn[2048];
        line_at(text, wl, wenn, sizeof wenn);
        for (int k = 0; k < r->nconds; k++) {
            const char *name = assess_fact_def((enum assess_fact_id)r->conds[k].fact)->name;
            char cond[128], inv[128], ne[128];
            snprintf(cond, sizeof cond, "%s %s %s", name, r->conds[k].op,
                     r->conds[k].value ? "ja" : "nein");
            snprintf(inv, sizeof inv, "%s %s %s", name, r->conds[k].op,
                     r->conds[k].value ? "nein" : "ja");
            snprintf(ne, sizeof ne, "%s != %s", name, r->conds[k].value ? "ja" : "nein");
            char *at = strstr(wenn, cond);
            assert_non_null(at);
            for (int v = 0; v < 2; v++) {
                char line[2200];
                snprintf(line, sizeof line, "%.*s%s%s\n", (int)(at - wenn), wenn, v ? ne : inv,
                         at + strlen(cond));
                snprintf(label, sizeof label, "%s: %s", r->id, v ? ne : inv);
                char where[32];
                snprintf(where, sizeof where, "t.cat:%d:", r->line);
                refused(label, edit_lines(text, wl, wl + 1, line), where);
            }
        }
        /* weakened by und with an unrelated fact (single-condition gates) */
        if (r->nconds == 1) {
            char line[2200];
            snprintf(line, sizeof line, "%s und in_haft = ja\n", wenn);
            snprintf(label, sizeof label, "%s weakened", r->id);
            refused(label, edit_lines(text, wl, wl + 1, line), "abgeschwächt");
        }
        /* no longer a sperre */
        int el = key_line(text, r, "wirkung:");
        snprintf(label, sizeof label, "%s as gegengewicht", r->id);
        char where[32]; /* gate-only facts are refused for it anyway */
        snprintf(where, sizeof where, "t.cat:%d:", r->line);
        refused(label, edit_lines(text, el, el + 1, "wirkung: gegengewicht\n"), where);
    }
    assert_int_equal(gates, 6); /* G1, G2, G3, G4, G6, B2 */
    /* a rule without norm content or without fassung, for every rule */
    for (size_t i = 0; i < c->nrules; i++) {
        const struct assess_rule *r = &c->rules[i];
        int nl = key_line(text, r, "norm:"), fl = key_line(text, r, "fassung:");
        char where[32];
        snprintf(where, sizeof where, "t.cat:%d:", r->line);
        refused("norm: -", edit_lines(text, nl, nl + 1, "norm: -\n"), "nennt keine Vorschrift");
        refused("norm empty", edit_lines(text, nl, nl + 1, "norm:\n"), where);
        refused("fassung missing", edit_lines(text, fl, fl + 1, ""), "Pflicht");
        refused("fassung: -", edit_lines(text, fl, fl + 1, "fassung: -\n"), "fassung");
    }
    /* the check is semantic: a renamed but equal gate, or "!= nein" for
     * "= ja", still loads */
    int g3 = rule_index(c, "G3");
    int wl = key_line(text, &c->rules[g3], "wenn:");
    struct fn_buf errors;
    fn_buf_init(&errors, 65536);
    struct assess_catalog *ok = NULL;
    const char *eq = edit_lines(text, wl, wl + 1, "wenn: duldung != nein\n");
    if (assess_catalog_parse(eq, strlen(eq), "t.cat", &ok, &errors) != FN_OK)
        fail_msg("equivalent gate refused: %s", fn_buf_str(&errors));
    assess_catalog_free(ok);
    const char *renamed =
        edit_lines(text, c->rules[g3].line, c->rules[g3].line + 1, "regel: SPERRE-DULDUNG\n");
    if (assess_catalog_parse(renamed, strlen(renamed), "t.cat", &ok, &errors) != FN_OK)
        fail_msg("renamed gate refused: %s", fn_buf_str(&errors));
    assess_catalog_free(ok);
    fn_buf_free(&errors);
    assess_catalog_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base_file_is_open),
        cmocka_unit_test(test_unknown_status_is_ungeklaert),
        cmocka_unit_test(test_minor_handover_unknown),
        cmocka_unit_test(test_duldung_status_is_g3),
        cmocka_unit_test(test_consent_g4),
        cmocka_unit_test(test_overdue_deadlines),
        cmocka_unit_test(test_points_need_known_facts),
        cmocka_unit_test(test_legal_mapping_borders),
        cmocka_unit_test(test_gates_property),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
