/* catalog.c – catalogue parser with the refusal of protected characteristics,
 * and the assessment engine (see catalog.h, docs/catalog-format.md). */
#include "assess/catalog.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/file.h"
#include "core/utf8.h"

#define CATALOG_MAX_BYTES (1024u * 1024u)
/* Longest line a catalogue may have (bytes, without the line end); longer
 * lines are refused, never cut. The shipped catalogue's longest has 333. */
#define CATALOG_MAX_LINE 2000

/* Every key a catalogue knows. Each may appear once in the header or once
 * per rule: a second "wenn:" would otherwise be merged into the first. */
enum catalog_key {
    KEY_CATALOG,
    KEY_VERSION,
    KEY_VALID_FROM,
    KEY_BAND_A,
    KEY_BAND_B,
    KEY_SECOND_PERSON,
    KEY_HEADER_COUNT, /* the keys above are header keys, the keys below rule keys */
    KEY_TITLE = KEY_HEADER_COUNT,
    KEY_NORM,
    KEY_NORM_VERSION,
    KEY_EXPLANATION,
    KEY_GROUP,
    KEY_VERIFIED,
    KEY_EFFECT,
    KEY_CONDITION,
    KEY_COUNT
};

static const char *const key_names[KEY_COUNT] = {
    [KEY_CATALOG] = "katalog",      [KEY_VERSION] = "version",
    [KEY_VALID_FROM] = "gilt_ab",   [KEY_BAND_A] = "band_a_ab",
    [KEY_BAND_B] = "band_b_ab",     [KEY_SECOND_PERSON] = "zweite_person_bei_sperre",
    [KEY_TITLE] = "titel",          [KEY_NORM] = "norm",
    [KEY_NORM_VERSION] = "fassung", [KEY_EXPLANATION] = "erklaerung",
    [KEY_GROUP] = "gruppe",         [KEY_VERIFIED] = "geprueft",
    [KEY_EFFECT] = "wirkung",       [KEY_CONDITION] = "wenn",
};

/* The key of k bytes at s, or -1. */
static int key_lookup(const char *s, size_t k)
{
    for (int i = 0; i < KEY_COUNT; i++)
        if (strlen(key_names[i]) == k && memcmp(key_names[i], s, k) == 0)
            return i;
    return -1;
}

/* Names that denote a protected characteristic or a proxy for one. A rule
 * that reads anything containing them is refused, whatever the allow-list
 * says, so the reason reaches the author (domain.md § 0 item 5). */
static const struct {
    const char *word;
    const char *reason;
} forbidden[] = {
    {"staatsang", "Staatsangehörigkeit ist kein Gewichtungsmerkmal (Art. 3 Abs. 3 GG)"},
    {"nationalit", "Staatsangehörigkeit ist kein Gewichtungsmerkmal (Art. 3 Abs. 3 GG)"},
    {"herkunft", "Herkunft ist ein geschütztes Merkmal (Art. 3 Abs. 3 GG)"},
    {"geburtsland", "Herkunft ist ein geschütztes Merkmal (Art. 3 Abs. 3 GG)"},
    {"geburtsort", "Herkunft ist ein geschütztes Merkmal (Art. 3 Abs. 3 GG)"},
    {"zielstaat", "Zielstaat nur als Machbarkeitshinweis durch Menschen, nie als Gewicht"},
    {"land", "Länder- und Herkunftsmerkmale sind keine Gewichte (Art. 3 Abs. 3 GG)"},
    {"religi", "Religion ist ein geschütztes Merkmal (Art. 3 Abs. 3 GG, Art. 9 DSGVO)"},
    {"konfession", "Religion ist ein geschütztes Merkmal (Art. 3 Abs. 3 GG, Art. 9 DSGVO)"},
    {"ethn", "Ethnische Herkunft ist ein geschütztes Merkmal (Art. 3 Abs. 3 GG, AGG § 1)"},
    {"rasse", "\"Rasse\" ist ein verbotenes Merkmal (Art. 3 Abs. 3 GG)"},
    {"volkszugeh", "Ethnische Herkunft ist ein geschütztes Merkmal (Art. 3 Abs. 3 GG)"},
    {"sprache", "Sprache ist ein geschütztes Merkmal (Art. 3 Abs. 3 GG)"},
    {"geschlecht", "Geschlecht ist ein geschütztes Merkmal (Art. 3 Abs. 3 GG)"},
    {"sex", "Geschlecht ist ein geschütztes Merkmal (Art. 3 Abs. 3 GG)"},
    {"alter", "Alter nur als gesetzliche Sperre (minderjaehrig_uebergabe_ungesichert)"},
    {"age", "Alter nur als gesetzliche Sperre (minderjaehrig_uebergabe_ungesichert)"},
    {"geburtsdatum", "Alter nur als gesetzliche Sperre (minderjaehrig_uebergabe_ungesichert)"},
    {"gesundheit", "Gesundheitsdaten gehören nicht in die Bewertung (Art. 9 DSGVO)"},
    {"krank", "Gesundheitsdaten gehören nicht in die Bewertung (Art. 9 DSGVO)"},
    {"behinder", "Behinderung ist ein geschütztes Merkmal (Art. 3 Abs. 3 GG)"},
    {"familie", "Daten von Angehörigen dürfen nicht bewertet werden (BVerfG 1 BvR 1547/19)"},
    {"angehoerig", "Daten von Angehörigen dürfen nicht bewertet werden (BVerfG 1 BvR 1547/19)"},
    {"verwandt", "Daten von Angehörigen dürfen nicht bewertet werden (BVerfG 1 BvR 1547/19)"},
    {"kontakt", "Kontakte und Umfeld sind keine zulässigen Tatsachen (BVerfG 1 BvR 1547/19)"},
    {"umfeld", "Kontakte und Umfeld sind keine zulässigen Tatsachen (BVerfG 1 BvR 1547/19)"},
    {"sozialverhalten", "\"Sozialverhalten\" unterhalb der Strafbarkeit ist keine Tatsache "
                        "(Art. 5 Abs. 1 lit. d KI-VO)"},
    {"sozialleistung", "Bezug von Sozialleistungen ist kein Kriterium"},
    {"politi", "Politische Anschauung ist ein geschütztes Merkmal (Art. 3 Abs. 3 GG)"},
};

struct parser {
    const char *name;
    struct fn_buf *errors;
    int nerrors;
    int rule_errors; /* nerrors when the current rule started */
};

static void perr(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void perr(struct parser *p, int line, const char *fmt, ...)
{
    va_list ap;
    p->nerrors++;
    if (!p->errors)
        return;
    if (fn_buf_appendf(p->errors, "%s:%d: ", p->name, line) != FN_OK)
        return;
    va_start(ap, fmt);
    fn_status rc = fn_buf_vappendf(p->errors, fmt, ap);
    va_end(ap);
    if (!rc)
        rc = fn_buf_append_char(p->errors, '\n');
    (void)rc; /* a full error buffer drops further text; nerrors still counts */
}

static char *dup_trim(const char *s, size_t len)
{
    fn_utf8_trim(&s, &len);
    return fn_strndup(s, len);
}

void assess_catalog_free(struct assess_catalog *c)
{
    if (!c)
        return;
    fn_free(c->name);
    fn_free(c->version);
    fn_free(c->valid_from);
    for (size_t i = 0; i < c->nrules; i++) {
        fn_free(c->rules[i].title);
        fn_free(c->rules[i].norm);
        fn_free(c->rules[i].version);
        fn_free(c->rules[i].explanation);
    }
    fn_free(c);
}

static unsigned effect_use(enum assess_effect e)
{
    switch (e) {
    case EFF_GATE:
        return FACT_USE_GATE;
    case EFF_POINTS:
        return FACT_USE_POINTS;
    case EFF_WEIGHING:
        return FACT_USE_WEIGHING;
    case EFF_FEASIBILITY:
        return FACT_USE_FEASIBLE;
    case EFF_DEADLINE:
        return FACT_USE_DEADLINE;
    }
    return 0;
}

static const char *effect_name(enum assess_effect e)
{
    static const char *const names[] = {"sperre", "punkte", "gegengewicht", "machbarkeit", "frist"};
    return names[e];
}

/* 1 when one of the '_'-separated words of name begins with word
 * ("staatsangehoerigkeit_x" has "staatsang"; "tage_bis_..." has no "age"). */
static int word_starts(const char *name, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = name; *p;) {
        if (strncmp(p, word, wl) == 0)
            return 1;
        const char *us = strchr(p, '_');
        if (!us)
            break;
        p = us + 1;
    }
    return 0;
}

/* Parses "fact op value"; reports and returns 0 on error. */
static int parse_cond(struct parser *p, int line, const char *s, size_t len, struct assess_cond *c)
{
    fn_utf8_trim(&s, &len);
    size_t i = 0;
    while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
                       s[i] == '_' || (unsigned char)s[i] >= 0x80))
        i++;
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)fn_utf8_truncate(s, i, 63), s);
    if (!i) {
        perr(p, line, "Bedingung '%.*s' beginnt nicht mit einem Tatsachennamen", (int)len, s);
        return 0;
    }
    for (size_t k = 0; k < sizeof forbidden / sizeof forbidden[0]; k++) {
        if (word_starts(name, forbidden[k].word)) {
            perr(p, line, "Tatsache '%s' abgelehnt: %s", name, forbidden[k].reason);
            return 0;
        }
    }
    int fact = assess_fact_by_name(name, strlen(name));
    if (fact < 0) {
        perr(p, line, "Tatsache '%s' ist nicht zugelassen (siehe Liste in docs/catalog-format.md)",
             name);
        return 0;
    }
    c->fact = fact;
    while (i < len && s[i] == ' ')
        i++;
    const struct assess_fact_def *def = assess_fact_def((enum assess_fact_id)fact);
    /* "erfasst": the date is recorded (a deadline may be past: overdue) */
    if (len - i == 7 && memcmp(s + i, "erfasst", 7) == 0) {
        if (def->type != FACT_INT || !(def->allowed_use & FACT_USE_DEADLINE)) {
            perr(p, line, "'erfasst' gilt nur für Tage-Tatsachen (tage_bis_...), nicht für '%s'",
                 name);
            return 0;
        }
        memcpy(c->op, "?", 2);
        c->value = 0;
        return 1;
    }
    size_t op = i;
    while (i < len && strchr("<>=!", s[i]))
        i++;
    size_t oplen = i - op;
    static const char *const ops[] = {"<", "<=", "=", "!=", ">=", ">"};
    int found = 0;
    for (size_t k = 0; k < 6 && !found; k++)
        if (strlen(ops[k]) == oplen && memcmp(ops[k], s + op, oplen) == 0)
            found = 1;
    if (!found) {
        perr(p, line, "Vergleich '%.*s' unbekannt (erlaubt: < <= = != >= >)", (int)oplen, s + op);
        return 0;
    }
    memcpy(c->op, s + op, oplen);
    c->op[oplen] = '\0';
    while (i < len && s[i] == ' ')
        i++;
    const char *v = s + i;
    size_t vlen = len - i;
    if (vlen == 2 && memcmp(v, "ja", 2) == 0) {
        c->value = 1;
    } else if (vlen == 4 && memcmp(v, "nein", 4) == 0) {
        c->value = 0;
    } else {
        char num[24];
        snprintf(num, sizeof num, "%.*s", (int)(vlen < 23 ? vlen : 23), v);
        char *end = NULL;
        long n = strtol(num, &end, 10);
        if (!vlen || *end || n < -100000 || n > 100000) {
            perr(p, line, "Wert '%.*s' ist weder ja/nein noch eine ganze Zahl", (int)vlen, v);
            return 0;
        }
        if (def->type == FACT_BOOL) {
            perr(p, line, "Tatsache '%s' ist ja/nein, nicht Zahl", name);
            return 0;
        }
        c->value = (int32_t)n;
    }
    return 1;
}

/* Checks a finished rule; returns 0 after reporting. */
static int check_rule(struct parser *p, struct assess_rule *r)
{
    int ok = 1;
    if (!r->title || !r->norm || !r->version || !r->explanation) {
        perr(p, r->line, "Regel %s: titel, norm, fassung und erklaerung sind Pflicht", r->id);
        ok = 0;
    } else if (!strpbrk(r->norm, "0123456789")) {
        /* "norm: -" or an empty norm names no legal basis */
        perr(p, r->line, "Regel %s: norm '%s' nennt keine Vorschrift (Paragraph mit Nummer)", r->id,
             r->norm);
        ok = 0;
    } else if (!strpbrk(r->version, "0123456789")) {
        perr(p, r->line, "Regel %s: fassung '%s' nennt kein Datum und keine Fassung", r->id,
             r->version);
        ok = 0;
    }
    if (!r->nconds && p->nerrors == p->rule_errors) {
        /* no follow-on message when the condition itself was refused */
        perr(p, r->line, "Regel %s: keine Bedingung (wenn:)", r->id);
        ok = 0;
    } else if (!r->nconds) {
        ok = 0;
    }
    if (r->group[0] && r->effect != EFF_POINTS) {
        perr(p, r->line, "Regel %s: gruppe gilt nur für Punkte-Regeln", r->id);
        ok = 0;
    }
    for (int i = 0; i < r->nconds; i++) {
        const struct assess_fact_def *def = assess_fact_def((enum assess_fact_id)r->conds[i].fact);
        if (!(def->allowed_use & effect_use(r->effect))) {
            const char *why = r->conds[i].fact == F_PENDING_INVESTIGATION
                                  ? " (Ermittlungen und Anklagen ohne Verurteilung geben keine "
                                    "Punkte: Unschuldsvermutung)"
                              : r->conds[i].fact == F_MINOR_NO_HANDOVER
                                  ? " (Minderjährigkeit nur als gesetzliche Sperre)"
                                  : "";
            perr(p, r->line, "Regel %s: Tatsache '%s' darf nicht für '%s' verwendet werden%s",
                 r->id, def->name, effect_name(r->effect), why);
            ok = 0;
        }
    }
    if (r->effect == EFF_DEADLINE && r->nconds > 0 &&
        assess_fact_def((enum assess_fact_id)r->conds[0].fact)->type != FACT_INT) {
        perr(p, r->line, "Regel %s: frist braucht als erste Bedingung eine Tage-Tatsache", r->id);
        ok = 0;
    }
    return ok;
}

static int parse_effect(struct parser *p, int line, const char *v, struct assess_rule *r)
{
    int n = 0;
    if (strcmp(v, "sperre") == 0) {
        r->effect = EFF_GATE;
    } else if (strcmp(v, "gegengewicht") == 0) {
        r->effect = EFF_WEIGHING;
    } else if (strcmp(v, "frist") == 0) {
        r->effect = EFF_DEADLINE;
    } else if (sscanf(v, "punkte %d", &n) == 1 && n > 0 && n <= 1000) {
        r->effect = EFF_POINTS;
        r->amount = n;
    } else if (sscanf(v, "machbarkeit %d", &n) == 1 && n >= -100 && n <= 100) {
        r->effect = EFF_FEASIBILITY;
        r->amount = n;
    } else {
        perr(p, line,
             "wirkung '%s' unbekannt (sperre, punkte N, gegengewicht, machbarkeit N, "
             "frist); negative Punkte gibt es nicht: Sperren sind Sperren",
             v);
        return 0;
    }
    return 1;
}

/* Checks one raw line (without its LF) before it is parsed: its length, its
 * UTF-8, and that it holds no NUL or other control character, which would
 * hide the rest of the line from the parser or from a reviewer. A CR is
 * allowed only as part of a CRLF line end and is cut from *len. Returns 0
 * after reporting. */
static int check_raw_line(struct parser *p, int line, const char *l, size_t *len)
{
    if (*len && l[*len - 1] == '\r')
        (*len)--;
    if (*len > CATALOG_MAX_LINE) {
        perr(p, line, "Zeile länger als %d Bytes", CATALOG_MAX_LINE);
        return 0;
    }
    size_t bad = 0;
    if (!fn_utf8_valid(l, *len, &bad)) {
        perr(p, line, "kein gültiges UTF-8 (Byte %zu der Zeile)", bad + 1);
        return 0;
    }
    for (size_t i = 0; i < *len;) {
        uint32_t cp = 0;
        size_t n = fn_utf8_decode(l + i, *len - i, &cp);
        if (cp == 0) {
            perr(p, line, "NUL-Byte an Stelle %zu der Zeile", i + 1);
            return 0;
        }
        if (cp == '\r') {
            perr(p, line,
                 "Wagenrücklauf (CR) ohne Zeilenvorschub an Stelle %zu der Zeile: "
                 "Zeilenenden sind LF oder CRLF",
                 i + 1);
            return 0;
        }
        if ((cp < 0x20 && cp != '\t') || (cp >= 0x7f && cp <= 0x9f)) {
            perr(p, line, "Steuerzeichen U+%04X an Stelle %zu der Zeile", (unsigned)cp, i + 1);
            return 0;
        }
        if (cp == 0xfeff) {
            perr(p, line, "Byte-Order-Mark (U+FEFF) mitten in der Datei an Stelle %zu der Zeile",
                 i + 1);
            return 0;
        }
        i += n;
    }
    return 1;
}

/* Parses "ja" or "nein"; reports and returns -1 otherwise. */
static int parse_yes_no(struct parser *p, int line, const char *key, const char *v)
{
    if (strcmp(v, "ja") == 0)
        return 1;
    if (strcmp(v, "nein") == 0)
        return 0;
    perr(p, line, "%s: 'ja' oder 'nein' erwartet, nicht '%s'", key, v);
    return -1;
}

/* The legal bars of domain.md § 0 item 4 / § 2.1 that every usable
 * catalogue must gate. B2 (§ 53 Abs. 3–3b) is a gate here: the heightened
 * threshold is a question for a person (override with a second person),
 * never a number. */
static const struct assess_mandatory_gate mandatory[] = {
    {F_ENFORCEABLE_OBLIGATION, 0,
     "keine vollziehbare Ausreisepflicht (G1, §§ 50, 58 Abs. 1 AufenthG)"},
    {F_DEPORTATION_BAN, 1, "festgestelltes Abschiebungsverbot (G2, § 60 Abs. 1, 2, 5, 7 AufenthG)"},
    {F_ASYLUM_PENDING, 1, "anhängiges Asyl- oder Eilverfahren (G2, § 59 Abs. 3 AufenthG, AsylG)"},
    {F_DULDUNG, 1, "Duldung (G3, §§ 60a bis 60d AufenthG)"},
    {F_CONSENT_MISSING, 1,
     "fehlendes Einvernehmen der Staatsanwaltschaft (G4, § 72 Abs. 4 AufenthG)"},
    {F_MINOR_NO_HANDOVER, 1, "Minderjährige ohne gesicherte Übergabe (G6, § 58 Abs. 1a AufenthG)"},
    {F_PROTECTED_STATUS, 1, "geschützter Status (B2, § 53 Abs. 3 bis 3b AufenthG)"},
};

const struct assess_mandatory_gate *assess_mandatory_gates(size_t *n)
{
    *n = sizeof mandatory / sizeof mandatory[0];
    return mandatory;
}

static int cond_holds(const struct assess_cond *c, int32_t v);

/* 1 when rule blocks whenever fact has value, whatever the other facts are:
 * an oder-rule needs one condition on fact that holds for value; an
 * und-rule needs every condition to be on fact and to hold for value. */
static int rule_blocks_on(const struct assess_rule *r, int fact, int32_t value)
{
    if (r->effect != EFF_GATE || !r->nconds)
        return 0;
    for (int k = 0; k < r->nconds; k++) {
        int on = r->conds[k].fact == fact && cond_holds(&r->conds[k], value);
        if (r->any && on)
            return 1;
        if (!r->any && !on)
            return 0;
    }
    return !r->any;
}

/* Refuses a catalogue that does not gate every mandatory bar; names the
 * rule that reads the fact but does not block on it (inverted, weakened by
 * und, or not a sperre), else the missing gate. */
static void check_mandatory_gates(struct parser *p, const struct assess_catalog *c)
{
    for (size_t g = 0; g < sizeof mandatory / sizeof mandatory[0]; g++) {
        const struct assess_mandatory_gate *m = &mandatory[g];
        const char *fact = assess_fact_def((enum assess_fact_id)m->fact)->name;
        const char *val = m->value ? "ja" : "nein";
        int covered = 0;
        for (size_t i = 0; i < c->nrules && !covered; i++)
            covered = rule_blocks_on(&c->rules[i], m->fact, m->value);
        if (covered)
            continue;
        int named = 0;
        for (size_t i = 0; i < c->nrules; i++) {
            const struct assess_rule *r = &c->rules[i];
            int reads = 0;
            for (int k = 0; k < r->nconds; k++)
                reads |= r->conds[k].fact == m->fact;
            if (!reads)
                continue;
            perr(p, r->line,
                 "Regel %s liest '%s', sperrt aber nicht in jedem Fall bei %s = %s "
                 "(%s): Pflichtsperre für %s",
                 r->id, fact, fact, val,
                 r->effect != EFF_GATE ? "keine wirkung: sperre"
                 : r->any              ? "Bedingung umgekehrt"
                                       : "umgekehrt oder durch 'und' abgeschwächt",
                 m->bar);
            named = 1;
        }
        if (!named)
            perr(p, 1, "Pflichtsperre fehlt: %s (wenn: %s = %s, wirkung: sperre)", m->bar, fact,
                 val);
    }
}

fn_status assess_catalog_parse(const char *text, size_t len, const char *name,
                               struct assess_catalog **out, struct fn_buf *errors)
{
    *out = NULL;
    struct parser p = {.name = name, .errors = errors};
    struct assess_catalog *c = fn_calloc(1, sizeof *c);
    if (!c)
        return FN_NOMEM;
    c->band_a = 60;
    c->band_b = 30;
    struct assess_rule *r = NULL;
    int line = 0;
    int header_line[KEY_HEADER_COUNT] = {0}; /* where each header key was first seen */
    int rule_line[KEY_COUNT] = {0};          /* ... each rule key, in the current rule */
    const char *pos = text, *end = text + len;
    /* a UTF-8 byte-order mark, as some Windows editors write it, is no text */
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        pos += 3;
    fn_status rc = FN_OK;
    while (pos < end && !rc) {
        const char *nl = memchr(pos, '\n', (size_t)(end - pos));
        size_t llen = nl ? (size_t)(nl - pos) : (size_t)(end - pos);
        const char *l = pos;
        pos = nl ? nl + 1 : end;
        line++;
        if (!check_raw_line(&p, line, l, &llen))
            continue;
        fn_utf8_trim(&l, &llen);
        if (!llen || l[0] == '#')
            continue;
        const char *colon = memchr(l, ':', llen);
        if (!colon) {
            perr(&p, line, "Zeile ohne 'schluessel: wert'");
            continue;
        }
        size_t klen = (size_t)(colon - l);
        char key[32];
        snprintf(key, sizeof key, "%.*s", (int)fn_utf8_truncate(l, klen, 31), l);
        const char *v = colon + 1;
        size_t vlen = llen - klen - 1;
        fn_utf8_trim(&v, &vlen);
        char val[CATALOG_MAX_LINE + 1]; /* holds any value whole: lines are capped */
        memcpy(val, v, vlen);
        val[vlen] = '\0';
        int k = klen == 5 && memcmp(l, "regel", 5) == 0 ? -1 : key_lookup(l, klen);
        if (k >= 0 && (r ? k >= KEY_HEADER_COUNT : k < KEY_HEADER_COUNT)) {
            int *first = r ? &rule_line[k] : &header_line[k];
            if (*first) {
                if (r)
                    perr(&p, line,
                         "'%s' doppelt in Regel %s (zuerst Zeile %d): jede Angabe "
                         "nur einmal je Regel",
                         key, r->id, *first);
                else
                    perr(&p, line, "Kopfangabe '%s' doppelt (zuerst Zeile %d)", key, *first);
                continue;
            }
            *first = line;
        }
        if (strcmp(key, "regel") == 0) {
            memset(rule_line, 0, sizeof rule_line);
            if (r && !check_rule(&p, r))
                r = NULL;
            if (c->nrules == ASSESS_MAX_RULES) {
                perr(&p, line, "mehr als %d Regeln", ASSESS_MAX_RULES);
                break;
            }
            for (size_t i = 0; i < c->nrules; i++)
                if (strcmp(c->rules[i].id, val) == 0)
                    perr(&p, line, "Regel %s doppelt (zuerst Zeile %d)", val, c->rules[i].line);
            if (!vlen || vlen >= sizeof c->rules[0].id) {
                perr(&p, line, "Regelkennung muss 1 bis 15 Zeichen haben");
                r = NULL;
                continue;
            }
            r = &c->rules[c->nrules++];
            p.rule_errors = p.nerrors;
            memcpy(r->id, v, vlen);
            r->id[vlen] = '\0';
            r->line = line;
            continue;
        }
        if (!r) {
            char **dst = strcmp(key, "katalog") == 0   ? &c->name
                         : strcmp(key, "version") == 0 ? &c->version
                         : strcmp(key, "gilt_ab") == 0 ? &c->valid_from
                                                       : NULL;
            if (dst) {
                fn_free(*dst);
                *dst = dup_trim(v, vlen);
                if (!*dst)
                    rc = FN_NOMEM;
            } else if (strcmp(key, "band_a_ab") == 0 || strcmp(key, "band_b_ab") == 0) {
                char *endp = NULL;
                long n = strtol(val, &endp, 10);
                if (!val[0] || *endp || n < 0 || n > 100000)
                    perr(&p, line, "%s: ganze Zahl erwartet", key);
                else if (key[5] == 'a')
                    c->band_a = (int)n;
                else
                    c->band_b = (int)n;
            } else if (strcmp(key, "zweite_person_bei_sperre") == 0) {
                int yes = parse_yes_no(&p, line, key, val);
                if (yes >= 0)
                    c->second_person = yes;
            } else {
                perr(&p, line, "Kopfangabe '%.*s' unbekannt", (int)(klen < 64 ? klen : 64), l);
            }
            continue;
        }
        char **dst = strcmp(key, "titel") == 0        ? &r->title
                     : strcmp(key, "norm") == 0       ? &r->norm
                     : strcmp(key, "fassung") == 0    ? &r->version
                     : strcmp(key, "erklaerung") == 0 ? &r->explanation
                                                      : NULL;
        if (dst) {
            fn_free(*dst);
            *dst = dup_trim(v, vlen);
            if (!*dst)
                rc = FN_NOMEM;
        } else if (strcmp(key, "gruppe") == 0) {
            if (!vlen || vlen >= sizeof r->group)
                perr(&p, line, "gruppe: 1 bis 23 Zeichen");
            else {
                memcpy(r->group, val, vlen);
                r->group[vlen] = '\0';
            }
        } else if (strcmp(key, "geprueft") == 0) {
            int yes = parse_yes_no(&p, line, key, val);
            r->unverified = yes != 1;
        } else if (strcmp(key, "wirkung") == 0) {
            parse_effect(&p, line, val, r);
        } else if (strcmp(key, "wenn") == 0) {
            int has_und = strstr(val, " und ") != NULL, has_oder = strstr(val, " oder ") != NULL;
            if (has_und && has_oder) {
                perr(&p, line, "'und' und 'oder' gemischt: bitte in zwei Regeln teilen");
                continue;
            }
            r->any = has_oder;
            const char *sep = has_oder ? " oder " : " und ";
            const char *s = val;
            while (*s) {
                const char *e = strstr(s, sep);
                size_t n = e ? (size_t)(e - s) : strlen(s);
                if (r->nconds == ASSESS_MAX_CONDS) {
                    perr(&p, line, "mehr als %d Bedingungen", ASSESS_MAX_CONDS);
                    break;
                }
                if (parse_cond(&p, line, s, n, &r->conds[r->nconds]))
                    r->nconds++;
                if (!e)
                    break;
                s = e + strlen(sep);
            }
        } else if (k >= 0) {
            perr(&p, line, "Kopfangabe '%s' in Regel %s: gehört vor die erste Regel", key, r->id);
        } else {
            perr(&p, line, "Angabe '%.*s' unbekannt", (int)(klen < 64 ? klen : 64), l);
        }
    }
    if (!rc && r && !check_rule(&p, r))
        r = NULL;
    if (!rc && (!c->name || !c->version || !c->valid_from))
        perr(&p, 1, "Kopf braucht katalog, version und gilt_ab");
    if (!rc && (c->band_b < 0 || c->band_a <= c->band_b))
        perr(&p, 1, "band_a_ab muss größer als band_b_ab sein");
    if (!rc && !c->nrules)
        perr(&p, line, "Katalog enthält keine Regel");
    /* only a catalogue that is well formed can be checked for its gates */
    if (!rc && !p.nerrors)
        check_mandatory_gates(&p, c);
    if (!rc && p.nerrors)
        rc = FN_INVALID;
    if (!rc) {
        unsigned char digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(digest, (const unsigned char *)text, len);
        sodium_bin2hex(c->hash, sizeof c->hash, digest, sizeof digest);
        *out = c;
        return FN_OK;
    }
    assess_catalog_free(c);
    return rc;
}

fn_status assess_catalog_load(const char *path, struct assess_catalog **out, struct fn_buf *errors)
{
    char *text = NULL;
    size_t len = 0;
    *out = NULL;
    fn_status rc = fn_read_file(path, CATALOG_MAX_BYTES, &text, &len);
    if (rc) {
        if (errors && fn_buf_appendf(errors, "%s: Datei nicht lesbar (%s)\n", path,
                                     fn_status_str(rc)) != FN_OK)
            return FN_NOMEM;
        return rc;
    }
    rc = assess_catalog_parse(text, len, path, out, errors);
    fn_free(text);
    return rc;
}

/* ---- engine ---- */

static int cond_holds(const struct assess_cond *c, int32_t v)
{
    switch (c->op[0]) {
    case '<':
        return c->op[1] == '=' ? v <= c->value : v < c->value;
    case '>':
        return c->op[1] == '=' ? v >= c->value : v > c->value;
    case '!':
        return v != c->value;
    default:
        return v == c->value;
    }
}

/* Three-valued truth: 0 false, 1 true, 2 unknown. */
enum { TV_FALSE, TV_TRUE, TV_UNKNOWN };

static int rule_truth(const struct assess_rule *rule, const struct assess_facts *f,
                      struct assess_trace *t)
{
    int any_true = 0, any_false = 0, any_unknown = 0;
    for (int k = 0; k < rule->nconds; k++) {
        const struct assess_cond *c = &rule->conds[k];
        t->read[k] = f->v[c->fact];
        t->known[k] = f->known[c->fact];
        int tv = c->op[0] == '?'             ? f->known[c->fact] ? TV_TRUE : TV_FALSE
                 : !t->known[k]              ? TV_UNKNOWN
                 : cond_holds(c, t->read[k]) ? TV_TRUE
                                             : TV_FALSE;
        any_true |= tv == TV_TRUE;
        any_false |= tv == TV_FALSE;
        any_unknown |= tv == TV_UNKNOWN;
    }
    if (rule->any)
        return any_true ? TV_TRUE : any_unknown ? TV_UNKNOWN : TV_FALSE;
    return any_false ? TV_FALSE : any_unknown ? TV_UNKNOWN : TV_TRUE;
}

void assess_trace_missing(const struct assess_catalog *c, const struct assess_trace *t,
                          void (*fn)(void *ctx, const struct assess_fact_def *def), void *ctx)
{
    const struct assess_rule *rule = &c->rules[t->rule];
    for (int k = 0; k < rule->nconds; k++) {
        int seen = 0;
        for (int j = 0; j < k; j++)
            seen |= rule->conds[j].fact == rule->conds[k].fact;
        if (!t->known[k] && !seen && rule->conds[k].op[0] != '?')
            fn(ctx, assess_fact_def((enum assess_fact_id)rule->conds[k].fact));
    }
}

const char *assess_fact_missing_label(const struct assess_fact_def *def)
{
    return def->missing_de ? def->missing_de : def->label_de;
}

/* The unknown facts of a trace entry as a list: German labels separated by
 * "; " for people, or quoted fact names separated by "," for the trace. */
struct missing_list {
    struct fn_buf *b;
    fn_status rc;
    int first;
    int json;
};

static void missing_list_add(void *ctx, const struct assess_fact_def *def)
{
    struct missing_list *m = ctx;
    if (!m->rc && m->json)
        m->rc = fn_buf_appendf(m->b, "%s\"%s\"", m->first ? "" : ",", def->name);
    else if (!m->rc)
        m->rc = fn_buf_appendf(m->b, "%s%s", m->first ? "" : "; ", assess_fact_missing_label(def));
    m->first = 0;
}

static fn_status missing_list(const struct assess_catalog *c, const struct assess_trace *t,
                              int json, struct fn_buf *out)
{
    struct missing_list m = {.b = out, .first = 1, .json = json};
    assess_trace_missing(c, t, missing_list_add, &m);
    return m.rc;
}

fn_status assess_missing_text(const struct assess_catalog *c, const struct assess_trace *t,
                              struct fn_buf *out)
{
    return missing_list(c, t, 0, out);
}

void assess_deadline_text(int32_t days, char *out, size_t size)
{
    if (days < 0)
        snprintf(out, size, "überfällig seit %ld %s", -(long)days, days == -1 ? "Tag" : "Tagen");
    else if (days == 0)
        snprintf(out, size, "heute");
    else
        snprintf(out, size, "in %ld %s", (long)days, days == 1 ? "Tag" : "Tagen");
}

void assess_evaluate(const struct assess_catalog *c, const struct assess_facts *f,
                     struct assess_result *r)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < c->nrules; i++) {
        const struct assess_rule *rule = &c->rules[i];
        struct assess_trace *t = &r->trace[r->ntrace++];
        t->rule = (int)i;
        int tv = rule_truth(rule, f, t);
        /* fail closed: an unknown gate blocks; nothing else fires unproven */
        if (tv == TV_UNKNOWN && rule->effect == EFF_GATE) {
            t->unresolved = 1;
            r->blocked = 1;
            r->gate_unresolved[r->ngates] = 1;
            r->gates[r->ngates++] = (int)i;
            r->nunresolved++;
            continue;
        }
        t->fired = tv == TV_TRUE;
        if (!t->fired)
            continue;
        switch (rule->effect) {
        case EFF_GATE:
            r->blocked = 1;
            r->gates[r->ngates++] = (int)i;
            break;
        case EFF_POINTS:
            r->points += rule->amount;
            break;
        case EFF_WEIGHING:
            r->weighing[r->nweighing++] = (int)i;
            break;
        case EFF_FEASIBILITY:
            r->feasibility += rule->amount;
            break;
        case EFF_DEADLINE: {
            int32_t days = f->v[rule->conds[0].fact];
            int n = r->ndeadlines++;
            /* insertion keeps the nearest deadline first, ties by rule order */
            while (n > 0 && r->deadlines[n - 1].days > days) {
                r->deadlines[n] = r->deadlines[n - 1];
                n--;
            }
            r->deadlines[n].rule = (int)i;
            r->deadlines[n].days = days;
            break;
        }
        }
    }
    r->overdue = r->ndeadlines && r->deadlines[0].days < 0;
    /* Within a group only the highest-scoring fired rule counts: one
     * conviction is not weighed twice (P1, P2, P4 describe one sentence). */
    for (int i = 0; i < r->ntrace; i++) {
        const struct assess_rule *ri = &c->rules[r->trace[i].rule];
        if (!r->trace[i].fired || ri->effect != EFF_POINTS || !ri->group[0])
            continue;
        for (int k = 0; k < r->ntrace; k++) {
            const struct assess_rule *rk = &c->rules[r->trace[k].rule];
            if (k == i || !r->trace[k].fired || r->trace[k].subsumed || rk->effect != EFF_POINTS ||
                strcmp(rk->group, ri->group) != 0)
                continue;
            if (rk->amount > ri->amount || (rk->amount == ri->amount && k < i)) {
                r->trace[i].subsumed = 1;
                r->points -= ri->amount;
                break;
            }
        }
    }
    r->band = r->points >= c->band_a ? 'A' : r->points >= c->band_b ? 'B' : 'C';
    r->feasibility_band = r->feasibility >= 20  ? "hoch"
                          : r->feasibility >= 0 ? "mittel"
                                                : "niedrig";
}

/* The trace as JSON: fired rules, gates ungeklärt with their unknown facts,
 * and every fact the catalogue reads ("unbekannt" when unknown). */
fn_status assess_trace_json(const struct assess_catalog *c, const struct assess_facts *f,
                            const struct assess_result *r, struct fn_buf *b)
{
    fn_status rc = fn_buf_appendf(b, "{\"katalog_hash\":\"%s\",\"ausgeloest\":[", c->hash);
    int first = 1;
    for (int i = 0; i < r->ntrace && !rc; i++) {
        if (!r->trace[i].fired)
            continue;
        rc = fn_buf_appendf(b, "%s\"%s\"", first ? "" : ",", c->rules[r->trace[i].rule].id);
        first = 0;
    }
    /* The blocking gates by id, ungeklärt ones marked, so that readers of
     * stored traces (evaluate) need not know which rule ids are gates. */
    if (!rc)
        rc = fn_buf_append_str(b, "],\"sperren\":[");
    for (int i = 0; i < r->ngates && !rc; i++)
        rc = fn_buf_appendf(b, "%s\"%s%s\"", i ? "," : "", c->rules[r->gates[i]].id,
                            r->gate_unresolved[i] ? " ungeklärt" : "");
    if (!rc)
        rc = fn_buf_append_str(b, "],\"ungeklaert\":[");
    first = 1;
    for (int i = 0; i < r->ntrace && !rc; i++) {
        if (!r->trace[i].unresolved)
            continue;
        rc = fn_buf_appendf(b, "%s{\"regel\":\"%s\",\"fehlt\":[", first ? "" : ",",
                            c->rules[r->trace[i].rule].id);
        if (!rc)
            rc = missing_list(c, &r->trace[i], 1, b);
        if (!rc)
            rc = fn_buf_append_str(b, "]}");
        first = 0;
    }
    if (!rc)
        rc = fn_buf_append_str(b, "],\"tatsachen\":{");
    unsigned char seen[F_COUNT] = {0};
    first = 1;
    for (size_t i = 0; i < c->nrules && !rc; i++) {
        for (int k = 0; k < c->rules[i].nconds && !rc; k++) {
            int fact = c->rules[i].conds[k].fact;
            if (seen[fact])
                continue;
            seen[fact] = 1;
            const char *name = assess_fact_def((enum assess_fact_id)fact)->name;
            if (f->known[fact])
                rc = fn_buf_appendf(b, "%s\"%s\":%d", first ? "" : ",", name, f->v[fact]);
            else
                rc = fn_buf_appendf(b, "%s\"%s\":\"unbekannt\"", first ? "" : ",", name);
            first = 0;
        }
    }
    if (!rc)
        rc = fn_buf_append_str(b, "}}");
    return rc;
}

void assess_digest(const struct assess_catalog *c, const struct assess_result *r,
                   const char *trace_json, char out[65])
{
    crypto_hash_sha256_state h;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char head[96];
    int n = snprintf(head, sizeof head, "%d|%c|%d|", r->blocked, r->band, r->points);
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)c->hash, strlen(c->hash));
    crypto_hash_sha256_update(&h, (const unsigned char *)head, (unsigned long long)n);
    crypto_hash_sha256_update(&h, (const unsigned char *)trace_json, strlen(trace_json));
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(out, 65, digest, sizeof digest);
}
