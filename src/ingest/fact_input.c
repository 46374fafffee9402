/* fact_input.c – one recorded fact, field by field (see fact_input.h). */
#include "ingest/fact_input.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/pdate.h"
#include "core/utf8.h"
#include "store/backend.h"

static const struct {
    const char *code, *label;
} kinds[FACT_IN_COUNT] = {
    [FACT_IN_RESIDENCE] = {"aufenthaltsstatus", "Aufenthaltsstatus"},
    [FACT_IN_CONVICTION] = {"verurteilung", "Verurteilung"},
    [FACT_IN_PROCEEDING] = {"strafverfahren", "Strafverfahren"},
    [FACT_IN_CUSTODY] = {"haft", "Haft"},
    [FACT_IN_OBSTACLE] = {"hindernis", "Rechtliches Hindernis"},
    [FACT_IN_FINDING] = {"feststellung", "Feststellung"},
    [FACT_IN_DOCUMENT] = {"ausweisdokument", "Ausweisdokument"},
};

const char *fact_input_kind_code(enum fact_input_kind k)
{
    return (int)k >= 0 && k < FACT_IN_COUNT ? kinds[k].code : "?";
}

const char *fact_input_kind_label(enum fact_input_kind k)
{
    return (int)k >= 0 && k < FACT_IN_COUNT ? kinds[k].label : "?";
}

fn_status fact_input_kind_parse(const char *s, enum fact_input_kind *out)
{
    for (int i = 0; s && i < FACT_IN_COUNT; i++) {
        if (strcmp(s, kinds[i].code) == 0) {
            *out = (enum fact_input_kind)i;
            return FN_OK;
        }
    }
    return FN_INVALID;
}

enum fact_input_kind fact_input_kind_of(enum store_fact_kind kind, const char *proceeding_kind)
{
    switch (kind) {
    case STORE_FACT_RESIDENCE:
        return FACT_IN_RESIDENCE;
    case STORE_FACT_PROCEEDING:
        return proceeding_kind &&
                       strcmp(proceeding_kind, model_proceeding_kind_code(PROC_CONVICTION)) == 0
                   ? FACT_IN_CONVICTION
                   : FACT_IN_PROCEEDING;
    case STORE_FACT_CUSTODY:
        return FACT_IN_CUSTODY;
    case STORE_FACT_OBSTACLE:
        return FACT_IN_OBSTACLE;
    case STORE_FACT_TRAVEL_DOC:
        return FACT_IN_DOCUMENT;
    default:
        return FACT_IN_FINDING;
    }
}

enum field_type {
    T_TEXT,
    T_NOTE,
    T_DATE,
    T_BOOL,
    T_MONTHS,
    T_ENUM,
    T_OFFENCES,
    T_NORM,
    T_SOURCE,
    T_CODE,  /* lower-case letters, digits, '_' ("reisepass") */
    T_STATE, /* ISO 3166-1 alpha-3 in capitals ("SYR") */
};

#define REQ  0x1u /* required */
#define PAST 0x2u /* a date of something that happened: not after today */

struct field {
    enum fact_input_kind kind;
    const char *name;
    const char *label; /* German, in messages */
    enum field_type type;
    size_t off; /* into struct fact_input */
    const char *(*code)(int);
    int count;
    unsigned flags;
};

#define F(k, n, l, t, member, fl)                                                                  \
    {                                                                                              \
        k, n, l, t, offsetof(struct fact_input, member), NULL, 0, fl                               \
    }
#define E(k, n, l, member, c, cnt, fl)                                                             \
    {                                                                                              \
        k, n, l, T_ENUM, offsetof(struct fact_input, member), c, cnt, fl                           \
    }

static const struct field fields[] = {
    E(FACT_IN_RESIDENCE, "status", "Aufenthaltsstatus", residence.status, model_residence_code_int,
      RES_COUNT, REQ),
    F(FACT_IN_RESIDENCE, "since", "gültig ab", T_DATE, residence.since, 0),
    F(FACT_IN_RESIDENCE, "until", "gültig bis", T_DATE, residence.until, 0),
    F(FACT_IN_RESIDENCE, "legal_basis", "Rechtsgrundlage", T_NORM, residence.legal_basis, 0),
    F(FACT_IN_RESIDENCE, "enforceable_since", "vollziehbar ausreisepflichtig seit", T_DATE,
      residence.enforceable_since, PAST),
    F(FACT_IN_RESIDENCE, "departure_deadline", "Ausreisefrist bis", T_DATE,
      residence.departure_deadline, 0),
    F(FACT_IN_CONVICTION, "court", "Gericht", T_TEXT, proceeding.court, REQ),
    F(FACT_IN_CONVICTION, "file_number", "Aktenzeichen", T_TEXT, proceeding.file_number, REQ),
    F(FACT_IN_CONVICTION, "offences", "Straftaten (Normen)", T_OFFENCES, proceeding.offences, REQ),
    E(FACT_IN_CONVICTION, "sentence", "Strafart", proceeding.sentence, model_sentence_code_int,
      SENT_COUNT, REQ),
    F(FACT_IN_CONVICTION, "sentence_months", "Strafmaß in Monaten", T_MONTHS,
      proceeding.sentence_months, 0),
    F(FACT_IN_CONVICTION, "suspended", "zur Bewährung ausgesetzt", T_BOOL, proceeding.suspended, 0),
    F(FACT_IN_CONVICTION, "intentional", "vorsätzlich", T_BOOL, proceeding.intentional, REQ),
    F(FACT_IN_CONVICTION, "final_date", "rechtskräftig seit", T_DATE, proceeding.final_date, PAST),
    F(FACT_IN_CONVICTION, "decision_date", "Urteil vom", T_DATE, proceeding.decision_date, PAST),
    F(FACT_IN_CONVICTION, "offence_date", "Tatzeit", T_DATE, proceeding.offence_date, PAST),
    E(FACT_IN_PROCEEDING, "proceeding", "Verfahrensstand", proceeding.kind,
      model_proceeding_kind_code_int, PROC_KIND_COUNT, REQ),
    F(FACT_IN_PROCEEDING, "prosecutor", "Staatsanwaltschaft", T_TEXT, proceeding.prosecutor, REQ),
    F(FACT_IN_PROCEEDING, "file_number", "Aktenzeichen", T_TEXT, proceeding.file_number, REQ),
    F(FACT_IN_PROCEEDING, "offences", "Vorwurf (Normen)", T_OFFENCES, proceeding.offences, 0),
    F(FACT_IN_PROCEEDING, "offence_date", "Tatzeit", T_DATE, proceeding.offence_date, PAST),
    F(FACT_IN_PROCEEDING, "decision_date", "Anklage/Einstellung am", T_DATE,
      proceeding.decision_date, PAST),
    E(FACT_IN_PROCEEDING, "consent", "Einvernehmen der Staatsanwaltschaft (§ 72 Abs. 4)",
      proceeding.consent, model_consent_code_int, CONSENT_COUNT, 0),
    F(FACT_IN_PROCEEDING, "consent_requested", "Einvernehmen erbeten am", T_DATE,
      proceeding.consent_requested, PAST),
    F(FACT_IN_PROCEEDING, "consent_decided", "Einvernehmen erteilt/verweigert am", T_DATE,
      proceeding.consent_decided, PAST),
    E(FACT_IN_CUSTODY, "custody", "Haftart", custody.kind, model_custody_kind_code_int,
      CUSTODY_COUNT, REQ),
    F(FACT_IN_CUSTODY, "start", "Haftbeginn", T_DATE, custody.start, REQ | PAST),
    F(FACT_IN_CUSTODY, "planned_release", "geplante Entlassung", T_DATE, custody.planned_release,
      0),
    F(FACT_IN_CUSTODY, "released", "entlassen am", T_DATE, custody.released, PAST),
    F(FACT_IN_CUSTODY, "decision_456a", "Entscheidung nach § 456a StPO", T_BOOL,
      custody.decision_456a, 0),
    F(FACT_IN_CUSTODY, "decision_456a_date", "§ 456a StPO entschieden am", T_DATE,
      custody.decision_456a_date, PAST),
    E(FACT_IN_OBSTACLE, "obstacle", "Art des Hindernisses", obstacle.kind, model_obstacle_code_int,
      OBST_COUNT, REQ),
    F(FACT_IN_OBSTACLE, "norm", "Norm", T_NORM, obstacle.norm, 0),
    F(FACT_IN_OBSTACLE, "since", "gilt ab", T_DATE, obstacle.since, REQ),
    F(FACT_IN_OBSTACLE, "until", "gilt bis", T_DATE, obstacle.until, 0),
    F(FACT_IN_OBSTACLE, "note", "Bemerkung", T_NOTE, obstacle.note, 0),
    E(FACT_IN_FINDING, "finding", "Art der Feststellung", finding.kind, model_finding_code_int,
      FIND_COUNT, REQ),
    F(FACT_IN_FINDING, "date", "festgestellt am", T_DATE, finding.date, REQ | PAST),
    F(FACT_IN_FINDING, "reference", "Aktenzeichen/Bescheid", T_TEXT, finding.reference, 0),
    F(FACT_IN_FINDING, "note", "Bemerkung", T_NOTE, finding.note, 0),
    F(FACT_IN_DOCUMENT, "document", "Art des Dokuments", T_CODE, document.doc.kind, REQ),
    F(FACT_IN_DOCUMENT, "number", "Dokumentennummer", T_TEXT, document.doc.number, REQ),
    F(FACT_IN_DOCUMENT, "issuing_state", "Ausstellerstaat", T_STATE, document.doc.issuing_state,
      REQ),
    F(FACT_IN_DOCUMENT, "valid_until", "gültig bis", T_DATE, document.doc.valid_until, 0),
    F(FACT_IN_DOCUMENT, "verified", "am Original geprüft", T_BOOL, document.doc.verified, 0),
    /* every kind (kind FACT_IN_COUNT stands for all) */
    F(FACT_IN_COUNT, "source_kind", "Art der Quelle", T_SOURCE, source_kind, REQ),
    F(FACT_IN_COUNT, "source_ref", "Quelle (Beleg)", T_TEXT, source_ref, REQ),
};
#define N_FIELDS (sizeof fields / sizeof fields[0])
_Static_assert(N_FIELDS <= 64, "seen has one bit per field row");
_Static_assert(sizeof(enum model_residence) == sizeof(int) &&
                   sizeof(enum model_proceeding_kind) == sizeof(int),
               "enum fields are set as int");

static int field_of(const struct field *f, enum fact_input_kind k)
{
    return f->kind == k || f->kind == FACT_IN_COUNT;
}

/* Fills *err: the field and "Feld „field“ (label): " + the formatted rest. */
static fn_status fail(struct fact_input_error *err, const char *field, const char *label,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static fn_status fail(struct fact_input_error *err, const char *field, const char *label,
                      const char *fmt, ...)
{
    snprintf(err->field, sizeof err->field, "%s", field);
    int n = snprintf(err->message, sizeof err->message, "Feld „%s“ (%s): ", field, label);
    if (n > 0 && (size_t)n < sizeof err->message) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message + n, sizeof err->message - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return FN_INVALID;
}

void fact_input_init(struct fact_input *in, enum fact_input_kind kind, int64_t person_id)
{
    memset(in, 0, sizeof *in);
    in->kind = kind;
    in->residence.person_id = person_id;
    in->proceeding.person_id = person_id;
    in->custody.person_id = person_id;
    in->obstacle.person_id = person_id;
    in->finding.person_id = person_id;
    in->document.person_id = person_id;
    if (kind == FACT_IN_CONVICTION)
        in->proceeding.kind = PROC_CONVICTION;
}

void fact_input_clear(struct fact_input *in)
{
    if (!in)
        return;
    model_residence_clear(&in->residence);
    model_proceeding_clear(&in->proceeding);
    model_custody_clear(&in->custody);
    model_obstacle_clear(&in->obstacle);
    model_finding_clear(&in->finding);
    model_document_clear(&in->document.doc);
    fn_free(in->source_kind);
    fn_free(in->source_ref);
    memset(in, 0, sizeof *in);
}

/* A text without control characters, valid UTF-8, within max bytes. */
static const char *text_problem(const char *v, size_t max)
{
    size_t n = strlen(v);
    if (!fn_utf8_valid(v, n, NULL))
        return "ist kein gültiger UTF-8-Text.";
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
            return "enthält Steuerzeichen.";
    if (n > max)
        return max == FACT_INPUT_NOTE_MAX ? "ist länger als 2000 Byte."
                                          : "ist länger als 200 Byte.";
    return NULL;
}

/* One norm "§ 224 Abs. 1 Nr. 2 StGB" or "StGB § 224 …" (s, n bytes) as
 * "StGB § 224 Abs. 1 Nr. 2" appended to b; FN_INVALID for anything else. */
static fn_status norm_append(struct fn_buf *b, const char *s, size_t n)
{
    char tok[12][32];
    size_t nt = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == ' ')
            i++;
        size_t start = i;
        while (i < n && s[i] != ' ')
            i++;
        if (i == start)
            break;
        if (nt == 12 || i - start >= sizeof tok[0])
            return FN_INVALID;
        memcpy(tok[nt], s + start, i - start);
        tok[nt][i - start] = '\0';
        nt++;
    }
    /* "§224" written together: split off the number */
    size_t sect = nt;
    for (size_t t = 0; t < nt; t++)
        if (strncmp(tok[t], "§", 2) == 0)
            sect = t;
    if (sect == nt)
        return FN_INVALID;
    const char *num = tok[sect][2] ? tok[sect] + 2 : sect + 1 < nt ? tok[sect + 1] : "";
    size_t after = tok[sect][2] ? sect + 1 : sect + 2;
    size_t d = 0;
    while (num[d] >= '0' && num[d] <= '9')
        d++;
    if (d == 0 || d > 4 || (num[d] && !(num[d] >= 'a' && num[d] <= 'z' && !num[d + 1])))
        return FN_INVALID;
    /* the law: the token before § or the last one */
    const char *law = sect > 0 ? tok[0] : nt > after ? tok[nt - 1] : "";
    size_t rest_end = sect > 0 ? nt : nt - 1;
    if (sect > 1 || !law[0] || !(law[0] >= 'A' && law[0] <= 'Z') || strlen(law) > 16)
        return FN_INVALID;
    for (const char *c = law; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z')))
            return FN_INVALID;
    fn_status rc = fn_buf_appendf(b, "%s § %s", law, num);
    for (size_t t = after; !rc && t < rest_end; t++) {
        for (const char *c = tok[t]; *c; c++)
            if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
                  (*c >= '0' && *c <= '9') || *c == '.'))
                return FN_INVALID;
        rc = fn_buf_appendf(b, " %s", tok[t]);
    }
    return rc;
}

/* Norms separated by ";" into *out (fresh, "; "-joined canonical form). */
static fn_status norms_parse(const char *v, int many, char **out)
{
    struct fn_buf b;
    fn_buf_init(&b, 1024);
    fn_status rc = FN_OK;
    size_t count = 0;
    for (const char *p = v; !rc && *p;) {
        size_t len = strcspn(p, ";");
        const char *s = p;
        size_t n = len;
        fn_utf8_trim(&s, &n);
        if (n) {
            if (count++)
                rc = many ? fn_buf_append_str(&b, "; ") : FN_INVALID;
            if (!rc)
                rc = norm_append(&b, s, n);
        }
        p += len;
        if (*p == ';')
            p++;
    }
    if (!rc && !count)
        rc = FN_INVALID;
    if (!rc)
        rc = fn_buf_take(&b, out);
    fn_buf_free(&b);
    return rc;
}

/* v as a T_CODE (1 to 32 of [a-z0-9_]) or T_STATE (three of [A-Z]). */
static int code_ok(const char *v, enum field_type type)
{
    size_t n = strlen(v);
    for (size_t i = 0; i < n; i++) {
        char ch = v[i];
        int ok = type == T_STATE
                     ? ch >= 'A' && ch <= 'Z'
                     : (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
        if (!ok)
            return 0;
    }
    return type == T_STATE ? n == 3 : n >= 1 && n <= 32;
}

static fn_status set_string(char **slot, const char *v)
{
    char *copy = fn_strdup(v);
    if (!copy)
        return FN_NOMEM;
    fn_free(*slot);
    *slot = copy;
    return FN_OK;
}

/* Parses value (trimmed, non-empty) of field f into in. */
static fn_status set_value(struct fact_input *in, const struct field *f, const char *v,
                           int32_t today, struct fact_input_error *err)
{
    void *slot = (char *)in + f->off;
    const char *problem = NULL;
    switch (f->type) {
    case T_TEXT:
    case T_NOTE:
        problem = text_problem(v, f->type == T_NOTE ? FACT_INPUT_NOTE_MAX : FACT_INPUT_TEXT_MAX);
        return problem ? fail(err, f->name, f->label, "%s", problem) : set_string(slot, v);
    case T_CODE:
    case T_STATE:
        if (!code_ok(v, f->type))
            return fail(err, f->name, f->label, "%s",
                        f->type == T_CODE ? "muss ein Kürzel aus Kleinbuchstaben, Ziffern und _ "
                                            "sein (etwa reisepass, passersatz, personalausweis)."
                                          : "muss ein Staatencode aus drei Großbuchstaben sein "
                                            "(ISO 3166-1, etwa SYR).");
        return set_string(slot, v);
    case T_SOURCE:
        if (!store_fact_source_kind_ok(v))
            return fail(err, f->name, f->label, "erlaubt sind dokument, mitteilung und register.");
        return set_string(slot, v);
    case T_NORM:
    case T_OFFENCES: {
        problem = text_problem(v, FACT_INPUT_TEXT_MAX);
        if (problem)
            return fail(err, f->name, f->label, "%s", problem);
        char *norms = NULL;
        fn_status rc = norms_parse(v, f->type == T_OFFENCES, &norms);
        if (rc == FN_INVALID)
            return fail(err, f->name, f->label,
                        "„%s“ ist keine Norm der Form „§ 224 StGB“ oder „§ 60 Abs. 5 AufenthG“%s.",
                        v, f->type == T_OFFENCES ? " (mehrere mit ; getrennt)" : "");
        if (rc)
            return rc;
        fn_free(*(char **)slot);
        *(char **)slot = norms;
        return FN_OK;
    }
    case T_DATE: {
        struct fn_pdate d;
        int32_t day = 0;
        if (strlen(v) != 10 || fn_pdate_parse(v, 10, &d) != FN_OK ||
            fn_pdate_precision(&d) != FN_PDATE_DAY || d.year < 1900 ||
            fn_pdate_to_days(&d, &day) != FN_OK)
            return fail(err, f->name, f->label, "„%s“ ist kein gültiges Datum JJJJ-MM-TT.", v);
        if ((f->flags & PAST) && day > today)
            return fail(err, f->name, f->label, "das Datum %s liegt in der Zukunft.", v);
        memcpy(slot, &d, sizeof d);
        return FN_OK;
    }
    case T_BOOL: {
        static const char *const yes[] = {"ja", "true", "1"}, *const no[] = {"nein", "false", "0"};
        for (int i = 0; i < 3; i++) {
            if (strcmp(v, yes[i]) == 0 || strcmp(v, no[i]) == 0) {
                int b = strcmp(v, yes[i]) == 0;
                memcpy(slot, &b, sizeof b);
                return FN_OK;
            }
        }
        return fail(err, f->name, f->label, "erwartet ja oder nein, nicht „%s“.", v);
    }
    case T_MONTHS: {
        char *end = NULL;
        errno = 0;
        long m = strtol(v, &end, 10);
        if (errno || *end || m < 0 || m > 600 || !(v[0] >= '0' && v[0] <= '9'))
            return fail(err, f->name, f->label,
                        "erwartet eine ganze Zahl von 0 bis 600, nicht „%s“.", v);
        int months = (int)m;
        memcpy(slot, &months, sizeof months);
        return FN_OK;
    }
    case T_ENUM: {
        int e = 0;
        if (model_enum_parse(v, f->code, f->count, &e) != FN_OK ||
            (in->kind == FACT_IN_PROCEEDING && f->code == model_proceeding_kind_code_int &&
             e == PROC_CONVICTION)) {
            struct fn_buf allowed;
            fn_buf_init(&allowed, 1024);
            fn_status rc = FN_OK;
            for (int i = 0; !rc && i < f->count; i++) {
                const char *c = f->code(i);
                if (!c[0] || (in->kind == FACT_IN_PROCEEDING &&
                              f->code == model_proceeding_kind_code_int && i == PROC_CONVICTION))
                    continue;
                rc = fn_buf_appendf(&allowed, "%s%s", allowed.len ? ", " : "", c);
            }
            if (!rc)
                rc = fail(err, f->name, f->label, "unbekannter Wert „%s“; erlaubt: %s.", v,
                          fn_buf_str(&allowed));
            fn_buf_free(&allowed);
            return rc;
        }
        memcpy(slot, &e, sizeof e);
        return FN_OK;
    }
    }
    return FN_INVALID;
}

fn_status fact_input_set(struct fact_input *in, const char *name, const char *value, int32_t today,
                         struct fact_input_error *err)
{
    memset(err, 0, sizeof *err);
    for (size_t i = 0; i < N_FIELDS; i++) {
        const struct field *f = &fields[i];
        if (!field_of(f, in->kind) || strcmp(f->name, name) != 0)
            continue;
        if (in->seen & (1ull << i))
            return fail(err, f->name, f->label, "ist doppelt angegeben.");
        const char *v = value ? value : "";
        size_t n = strlen(v);
        fn_utf8_trim(&v, &n);
        char buf[FACT_INPUT_NOTE_MAX + 2];
        if (n > FACT_INPUT_NOTE_MAX)
            return fail(err, f->name, f->label, "ist länger als 2000 Byte.");
        memcpy(buf, v, n);
        buf[n] = '\0';
        if (!n)
            return FN_OK; /* empty: not given (a required field is missed by finish) */
        fn_status rc = set_value(in, f, buf, today, err);
        if (!rc)
            in->seen |= 1ull << i;
        return rc;
    }
    snprintf(err->field, sizeof err->field, "%.63s", name);
    snprintf(err->message, sizeof err->message,
             "Feld „%.63s“ gibt es bei %s nicht (fallnetz fact fields %s nennt die Felder).", name,
             fact_input_kind_label(in->kind), fact_input_kind_code(in->kind));
    return FN_INVALID;
}

/* The field row of name for in's kind (NULL when none). */
static const struct field *field_named(const struct fact_input *in, const char *name)
{
    for (size_t i = 0; i < N_FIELDS; i++)
        if (field_of(&fields[i], in->kind) && strcmp(fields[i].name, name) == 0)
            return &fields[i];
    return NULL;
}

/* Refuses a period whose end (field end) lies before its start. */
static fn_status period_check(const struct fact_input *in, const char *start, const char *end,
                              const struct fn_pdate *a, const struct fn_pdate *b,
                              struct fact_input_error *err)
{
    int32_t da = 0, db = 0;
    if (!a->year || !b->year || fn_pdate_to_days(a, &da) || fn_pdate_to_days(b, &db) || db >= da)
        return FN_OK;
    return fail(err, end, field_named(in, end)->label, "liegt vor „%s“.", start);
}

fn_status fact_input_finish(struct fact_input *in, struct fact_input_error *err)
{
    memset(err, 0, sizeof *err);
    for (size_t i = 0; i < N_FIELDS; i++) {
        const struct field *f = &fields[i];
        if (field_of(f, in->kind) && (f->flags & REQ) && !(in->seen & (1ull << i)))
            return fail(err, f->name, f->label, "fehlt; es ist bei %s erforderlich.",
                        fact_input_kind_label(in->kind));
    }
    fn_status rc = FN_OK;
    const struct model_proceeding *p = &in->proceeding;
    switch (in->kind) {
    case FACT_IN_RESIDENCE:
        if (in->residence.status == RES_UNKNOWN)
            return fail(err, "status", "Aufenthaltsstatus",
                        "„unbekannt“ ist kein Aufenthaltsstatus, der sich erfassen lässt.");
        return period_check(in, "since", "until", &in->residence.since, &in->residence.until, err);
    case FACT_IN_CONVICTION: {
        int custodial = p->sentence == SENT_PRISON || p->sentence == SENT_JUVENILE;
        if (p->sentence == SENT_NONE)
            return fail(err, "sentence", "Strafart", "eine Verurteilung braucht eine Strafart.");
        if (custodial && p->sentence_months <= 0)
            return fail(err, "sentence_months", "Strafmaß in Monaten",
                        "bei Freiheits- oder Jugendstrafe ist die Dauer in Monaten anzugeben.");
        if (!custodial && p->sentence_months)
            return fail(err, "sentence_months", "Strafmaß in Monaten",
                        "eine Dauer gibt es nur bei Freiheits- oder Jugendstrafe.");
        if (p->suspended && (!custodial || p->sentence_months > 24))
            return fail(err, "suspended", "zur Bewährung ausgesetzt",
                        "zur Bewährung ausgesetzt werden nur Freiheits- und Jugendstrafen bis "
                        "zwei Jahre (§ 56 StGB, § 21 JGG).");
        rc =
            period_check(in, "decision_date", "final_date", &p->decision_date, &p->final_date, err);
        return rc ? rc
                  : period_check(in, "offence_date", "decision_date", &p->offence_date,
                                 &p->decision_date, err);
    }
    case FACT_IN_PROCEEDING: {
        int asked = p->consent == CONSENT_PENDING || p->consent == CONSENT_GRANTED ||
                    p->consent == CONSENT_REFUSED;
        int decided = p->consent == CONSENT_GRANTED || p->consent == CONSENT_REFUSED;
        if (asked && !p->consent_requested.year)
            return fail(err, "consent_requested", field_named(in, "consent_requested")->label,
                        "fehlt; beim Einvernehmen „%s“ ist anzugeben, wann es erbeten wurde.",
                        model_consent_code(p->consent));
        if (!asked && p->consent_requested.year)
            return fail(err, "consent_requested", field_named(in, "consent_requested")->label,
                        "passt nicht zum Einvernehmen; dafür consent auf ausstehend, erteilt "
                        "oder verweigert setzen.");
        if (decided != (p->consent_decided.year != 0))
            return fail(err, "consent_decided", field_named(in, "consent_decided")->label, "%s%s%s",
                        decided ? "fehlt; beim Einvernehmen „"
                                : "gibt es nur bei erteiltem oder "
                                  "verweigertem Einvernehmen.",
                        decided ? model_consent_code(p->consent) : "",
                        decided ? "“ ist das Datum anzugeben." : "");
        return period_check(in, "consent_requested", "consent_decided", &p->consent_requested,
                            &p->consent_decided, err);
    }
    case FACT_IN_CUSTODY:
        if (in->custody.decision_456a_date.year && !in->custody.decision_456a)
            return fail(err, "decision_456a", field_named(in, "decision_456a")->label,
                        "ist mit „ja“ anzugeben, wenn ein Datum der Entscheidung genannt ist.");
        rc = period_check(in, "start", "planned_release", &in->custody.start,
                          &in->custody.planned_release, err);
        return rc ? rc
                  : period_check(in, "start", "released", &in->custody.start, &in->custody.released,
                                 err);
    case FACT_IN_OBSTACLE:
        return period_check(in, "since", "until", &in->obstacle.since, &in->obstacle.until, err);
    case FACT_IN_FINDING:
    case FACT_IN_DOCUMENT:
    case FACT_IN_COUNT:
        break;
    }
    return rc;
}

fn_status fact_input_reason_check(const char *reason, struct fact_input_error *err)
{
    memset(err, 0, sizeof *err);
    const char *v = reason ? reason : "";
    size_t n = strlen(v);
    fn_utf8_trim(&v, &n);
    const char *problem = reason ? text_problem(reason, FACT_INPUT_NOTE_MAX) : NULL;
    if (problem)
        return fail(err, "reason", "Grund", "%s", problem);
    if (n < 3)
        return fail(err, "reason", "Grund",
                    "fehlt; eine Berichtigung oder Rücknahme braucht einen Grund (mindestens 3 "
                    "Zeichen).");
    return FN_OK;
}

enum store_fact_kind fact_input_store_kind(const struct fact_input *in)
{
    static const enum store_fact_kind map[FACT_IN_COUNT] = {
        [FACT_IN_RESIDENCE] = STORE_FACT_RESIDENCE,   [FACT_IN_CONVICTION] = STORE_FACT_PROCEEDING,
        [FACT_IN_PROCEEDING] = STORE_FACT_PROCEEDING, [FACT_IN_CUSTODY] = STORE_FACT_CUSTODY,
        [FACT_IN_OBSTACLE] = STORE_FACT_OBSTACLE,     [FACT_IN_FINDING] = STORE_FACT_FINDING,
        [FACT_IN_DOCUMENT] = STORE_FACT_TRAVEL_DOC,
    };
    return map[in->kind];
}

const void *fact_input_fact(const struct fact_input *in)
{
    switch (fact_input_store_kind(in)) {
    case STORE_FACT_RESIDENCE:
        return &in->residence;
    case STORE_FACT_PROCEEDING:
        return &in->proceeding;
    case STORE_FACT_CUSTODY:
        return &in->custody;
    case STORE_FACT_OBSTACLE:
        return &in->obstacle;
    case STORE_FACT_TRAVEL_DOC:
        return &in->document;
    default:
        return &in->finding;
    }
}

struct store_fact_source fact_input_source(const struct fact_input *in)
{
    struct store_fact_source s = {.kind = in->source_kind, .reference = in->source_ref};
    return s;
}

size_t fact_input_fields(enum fact_input_kind kind, const char **names, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < N_FIELDS; i++)
        if (field_of(&fields[i], kind) && n < cap)
            names[n++] = fields[i].name;
    return n;
}

/* The value of column name in row, NULL when absent or NULL. */
static const char *cell(const struct store_table_row *row, const char *name)
{
    for (size_t i = 0; i < row->n; i++)
        if (strcmp(row->names[i], name) == 0)
            return row->values[i];
    return NULL;
}

void fact_view_of(enum store_fact_kind kind, const struct store_table_row *row, struct fact_view *v)
{
    /* the stored kind column under the name the kind's field has */
    static const char *const kind_field[] = {
        [STORE_FACT_RESIDENCE] = NULL,    [STORE_FACT_PROCEEDING] = "proceeding",
        [STORE_FACT_CUSTODY] = "custody", [STORE_FACT_OBSTACLE] = "obstacle",
        [STORE_FACT_FINDING] = "finding", [STORE_FACT_TRAVEL_DOC] = "document",
    };
    memset(v, 0, sizeof *v);
    v->kind = fact_input_kind_of(kind, cell(row, "kind"));
    const char *id = cell(row, "id"), *next = cell(row, "superseded_by");
    snprintf(v->ref, sizeof v->ref, "%s-%.20s", store_fact_name(kind), id ? id : "0");
    if (next)
        snprintf(v->successor, sizeof v->successor, "%s-%.20s", store_fact_name(kind), next);
    v->retired_at = cell(row, "retired_at");
    v->status = !v->retired_at ? "aktuell" : next ? "berichtigt" : "zurueckgezogen";
    for (size_t c = 0; c < row->n && v->n < FACT_VIEW_MAX_FIELDS; c++) {
        const char *name = row->names[c];
        if (strcmp(name, "kind") == 0)
            name = v->kind == FACT_IN_CONVICTION || (int)kind >= STORE_FACT_CASE ? NULL
                                                                                 : kind_field[kind];
        for (size_t i = 0; name && row->values[c] && i < N_FIELDS; i++) {
            if (fields[i].kind == v->kind && strcmp(fields[i].name, name) == 0) {
                v->names[v->n] = fields[i].name;
                v->values[v->n++] = row->values[c];
                break;
            }
        }
    }
    v->source_kind = cell(row, "source_kind");
    v->source_ref = cell(row, "source_ref");
    v->recorded_by = cell(row, "recorded_by");
    v->recorded_at = cell(row, "recorded_at");
    v->retired_by = cell(row, "retired_by");
    v->reason = cell(row, "retire_reason");
}
