/* model.c – enum code/label tables and destructors of the domain entities. */
#include "model/model.h"

#include <string.h>

#include "core/alloc.h"

struct code_label {
    const char *code;
    const char *label;
};

static const struct code_label org_kinds[ORG_KIND_COUNT] = {
    {"abh", "Ausländerbehörde"},
    {"zab", "Zentrale Ausländerbehörde"},
    {"rrk", "Regionale Rückkehrkoordination"},
    {"polizei", "Polizei"},
    {"staatsanwaltschaft", "Staatsanwaltschaft"},
    {"jva", "Justizvollzugsanstalt"},
    {"ministerium", "Ministerium"},
};
static const struct code_label sexes[SEX_COUNT] = {
    {"u", "unbekannt"}, {"m", "männlich"}, {"f", "weiblich"}, {"x", "divers"}};
static const struct code_label identities[IDENTITY_COUNT] = {
    {"", "nicht erfasst"},
    {"geklaert", "geklärt"},
    {"ungeklaert", "ungeklärt"},
    {"in_klaerung", "in Klärung"},
};
static const struct code_label residences[RES_COUNT] = {
    {"unbekannt", "unbekannt"},
    {"ausreisepflichtig", "ausreisepflichtig"},
    {"duldung", "Duldung"},
    {"gestattung", "Aufenthaltsgestattung"},
    {"aufenthaltserlaubnis", "Aufenthaltserlaubnis"},
    {"niederlassungserlaubnis", "Niederlassungserlaubnis"},
    {"daueraufenthalt_eu", "Daueraufenthalt-EU"},
};
static const struct code_label proceeding_kinds[PROC_KIND_COUNT] = {
    {"ermittlung", "Ermittlungsverfahren"},
    {"anklage", "Anklage"},
    {"verurteilung", "Verurteilung"},
    {"eingestellt", "Verfahren eingestellt"},
};
static const struct code_label sentences[SENT_COUNT] = {
    {"", "keine"},
    {"freiheitsstrafe", "Freiheitsstrafe"},
    {"jugendstrafe", "Jugendstrafe"},
    {"geldstrafe", "Geldstrafe"},
    {"sicherungsverwahrung", "Sicherungsverwahrung"},
};
static const struct code_label consents[CONSENT_COUNT] = {
    {"", "nicht erforderlich"},   {"ausstehend", "ausstehend"},   {"erteilt", "erteilt"},
    {"verweigert", "verweigert"}, {"entbehrlich", "entbehrlich"},
};
static const struct code_label custody_kinds[CUSTODY_COUNT] = {
    {"untersuchungshaft", "Untersuchungshaft"},
    {"strafhaft", "Strafhaft"},
    {"abschiebungshaft", "Abschiebungshaft"},
};
static const struct code_label obstacles[OBST_COUNT] = {
    {"verbot_60_1", "Abschiebungsverbot § 60 Abs. 1 AufenthG"},
    {"verbot_60_2", "Abschiebungsverbot § 60 Abs. 2 AufenthG"},
    {"verbot_60_5", "Abschiebungsverbot § 60 Abs. 5 AufenthG"},
    {"verbot_60_7", "Abschiebungsverbot § 60 Abs. 7 AufenthG"},
    {"asylverfahren", "Asylverfahren anhängig"},
    {"eilverfahren", "Eilverfahren anhängig"},
    {"duldung_60a_1", "Duldung § 60a Abs. 1 (Abschiebungsstopp)"},
    {"duldung_60a_2_1", "Duldung § 60a Abs. 2 S. 1 (Unmöglichkeit)"},
    {"duldung_60a_2_2", "Duldung § 60a Abs. 2 S. 2 (Zeuge im Strafverfahren)"},
    {"duldung_60a_2_3", "Duldung § 60a Abs. 2 S. 3 (Ermessen)"},
    {"duldung_60a_2a", "Duldung § 60a Abs. 2a (gescheiterte Rückübernahme)"},
    {"duldung_60a_2b", "Duldung § 60a Abs. 2b (Eltern § 25a)"},
    {"duldung_60a_2c", "Duldung § 60a Abs. 2c/2d (Reiseunfähigkeit)"},
    {"duldung_60b", "Duldung § 60b (ungeklärte Identität)"},
    {"duldung_60c", "Ausbildungsduldung § 60c"},
    {"duldung_60d", "Beschäftigungsduldung § 60d"},
    {"minderjaehrig_uebergabe", "Minderjährig, Übergabe nicht gesichert (§ 58 Abs. 1a)"},
};
static const struct code_label findings[FIND_COUNT] = {
    {"sicherheitsgrund", "Sicherheitsgrund festgestellt (§ 54 Abs. 1 Nr. 2–5)"},
    {"nichtmitwirkung", "Nichtmitwirkung nach Belehrung (§ 54 Abs. 2 Nr. 8, § 60b)"},
    {"bleibeinteresse_55_1", "Bleibeinteresse besonders schwer (§ 55 Abs. 1)"},
    {"bleibeinteresse_55_2", "Bleibeinteresse schwer (§ 55 Abs. 2)"},
    {"schutzstatus_53_3", "Geschützter Status (§ 53 Abs. 3–3b)"},
};
static const struct code_label case_statuses[CASE_STATUS_COUNT] = {
    {"neu", "neu"},
    {"in_bearbeitung", "in Bearbeitung"},
    {"fallkonferenz", "Fallkonferenz"},
    {"massnahme", "Maßnahme"},
    {"abgeschlossen", "abgeschlossen"},
    {"ruhend", "ruhend"},
};
static const struct code_label task_statuses[TASK_STATUS_COUNT] = {
    {"offen", "offen"}, {"erledigt", "erledigt"}, {"abgebrochen", "abgebrochen"}};

#define TABLE_ACCESSORS(name, type, table, count)                                                  \
    const char *model_##name##_code(type v)                                                        \
    {                                                                                              \
        return ((int)v >= 0 && (int)v < (count)) ? table[v].code : "?";                            \
    }                                                                                              \
    const char *model_##name##_code_int(int v)                                                     \
    {                                                                                              \
        return model_##name##_code((type)v);                                                       \
    }

#define TABLE_LABEL(name, type, table, count)                                                      \
    const char *model_##name##_label(type v)                                                       \
    {                                                                                              \
        return ((int)v >= 0 && (int)v < (count)) ? table[v].label : "?";                           \
    }

#define TABLE_PARSE(name, type, count)                                                             \
    fn_status model_##name##_parse(const char *s, type *out)                                       \
    {                                                                                              \
        int v = 0;                                                                                 \
        fn_status rc = model_enum_parse(s, model_##name##_code_int, (count), &v);                  \
        if (rc == FN_OK)                                                                           \
            *out = (type)v;                                                                        \
        return rc;                                                                                 \
    }

TABLE_ACCESSORS(org_kind, enum model_org_kind, org_kinds, ORG_KIND_COUNT)
TABLE_LABEL(org_kind, enum model_org_kind, org_kinds, ORG_KIND_COUNT)
TABLE_PARSE(org_kind, enum model_org_kind, ORG_KIND_COUNT)
TABLE_ACCESSORS(sex, enum model_sex, sexes, SEX_COUNT)
TABLE_LABEL(sex, enum model_sex, sexes, SEX_COUNT)
TABLE_ACCESSORS(identity, enum model_identity, identities, IDENTITY_COUNT)
TABLE_LABEL(identity, enum model_identity, identities, IDENTITY_COUNT)
TABLE_PARSE(identity, enum model_identity, IDENTITY_COUNT)
TABLE_ACCESSORS(residence, enum model_residence, residences, RES_COUNT)
TABLE_LABEL(residence, enum model_residence, residences, RES_COUNT)
TABLE_ACCESSORS(proceeding_kind, enum model_proceeding_kind, proceeding_kinds, PROC_KIND_COUNT)
TABLE_LABEL(proceeding_kind, enum model_proceeding_kind, proceeding_kinds, PROC_KIND_COUNT)
TABLE_PARSE(proceeding_kind, enum model_proceeding_kind, PROC_KIND_COUNT)
TABLE_ACCESSORS(sentence, enum model_sentence, sentences, SENT_COUNT)
TABLE_LABEL(sentence, enum model_sentence, sentences, SENT_COUNT)
TABLE_PARSE(sentence, enum model_sentence, SENT_COUNT)
TABLE_ACCESSORS(consent, enum model_consent, consents, CONSENT_COUNT)
TABLE_LABEL(consent, enum model_consent, consents, CONSENT_COUNT)
TABLE_PARSE(consent, enum model_consent, CONSENT_COUNT)
TABLE_ACCESSORS(custody_kind, enum model_custody_kind, custody_kinds, CUSTODY_COUNT)
TABLE_LABEL(custody_kind, enum model_custody_kind, custody_kinds, CUSTODY_COUNT)
TABLE_PARSE(custody_kind, enum model_custody_kind, CUSTODY_COUNT)
TABLE_ACCESSORS(obstacle, enum model_obstacle, obstacles, OBST_COUNT)
TABLE_LABEL(obstacle, enum model_obstacle, obstacles, OBST_COUNT)
TABLE_PARSE(obstacle, enum model_obstacle, OBST_COUNT)
TABLE_ACCESSORS(finding, enum model_finding, findings, FIND_COUNT)
TABLE_LABEL(finding, enum model_finding, findings, FIND_COUNT)
TABLE_PARSE(finding, enum model_finding, FIND_COUNT)
TABLE_ACCESSORS(case_status, enum model_case_status, case_statuses, CASE_STATUS_COUNT)
TABLE_LABEL(case_status, enum model_case_status, case_statuses, CASE_STATUS_COUNT)
TABLE_PARSE(case_status, enum model_case_status, CASE_STATUS_COUNT)
TABLE_ACCESSORS(task_status, enum model_task_status, task_statuses, TASK_STATUS_COUNT)
TABLE_PARSE(task_status, enum model_task_status, TASK_STATUS_COUNT)

/* The sex parser also accepts an empty field as unknown. */
fn_status model_sex_parse(const char *s, enum model_sex *out)
{
    if (!s[0]) {
        *out = SEX_UNKNOWN;
        return FN_OK;
    }
    int v = 0;
    fn_status rc = model_enum_parse(s, model_sex_code_int, SEX_COUNT, &v);
    if (rc == FN_OK)
        *out = (enum model_sex)v;
    return rc;
}

/* The residence parser also accepts an empty field as unknown. */
fn_status model_residence_parse(const char *s, enum model_residence *out)
{
    if (!s[0]) {
        *out = RES_UNKNOWN;
        return FN_OK;
    }
    int v = 0;
    fn_status rc = model_enum_parse(s, model_residence_code_int, RES_COUNT, &v);
    if (rc == FN_OK)
        *out = (enum model_residence)v;
    return rc;
}

fn_status model_enum_parse(const char *s, const char *(*code)(int), int count, int *out)
{
    for (int i = 0; i < count; i++) {
        if (strcmp(s, code(i)) == 0) {
            *out = i;
            return FN_OK;
        }
    }
    return FN_INVALID;
}

int model_azr_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return 1;
    if (n != 12)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

struct model_person *model_person_new(void)
{
    return fn_calloc(1, sizeof(struct model_person));
}

void model_alias_clear(struct model_alias *a)
{
    if (!a)
        return;
    fn_free(a->family_name);
    fn_free(a->given_names);
    memset(a, 0, sizeof *a);
}

void model_document_clear(struct model_document *d)
{
    if (!d)
        return;
    fn_free(d->kind);
    fn_free(d->number);
    fn_free(d->issuing_state);
    memset(d, 0, sizeof *d);
}

void model_person_free(struct model_person *p)
{
    if (!p)
        return;
    char **strings[] = {
        &p->record_id,      &p->azr_nr,           &p->family_name,          &p->given_names,
        &p->birth_name,     &p->birth_place,      &p->birth_country,        &p->identity_basis,
        &p->address_street, &p->address_postcode, &p->address_municipality, &p->authority_code,
        &p->updated_at};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        fn_free(*strings[i]);
    for (size_t i = 0; i < p->n_nationalities; i++)
        fn_free(p->nationalities[i]);
    fn_free(p->nationalities);
    for (size_t i = 0; i < p->n_aliases; i++)
        model_alias_clear(&p->aliases[i]);
    fn_free(p->aliases);
    for (size_t i = 0; i < p->n_documents; i++)
        model_document_clear(&p->documents[i]);
    fn_free(p->documents);
    fn_free(p);
}

void model_region_clear(struct model_region *r)
{
    if (!r)
        return;
    fn_free(r->code);
    fn_free(r->name);
    memset(r, 0, sizeof *r);
}

void model_org_clear(struct model_org *o)
{
    if (!o)
        return;
    fn_free(o->code);
    fn_free(o->name);
    memset(o, 0, sizeof *o);
}

void model_user_clear(struct model_user *u)
{
    if (!u)
        return;
    fn_free(u->login);
    fn_free(u->display_name);
    fn_free(u->created_at);
    memset(u, 0, sizeof *u);
}

void model_residence_clear(struct model_residence_entry *r)
{
    if (!r)
        return;
    fn_free(r->legal_basis);
    memset(r, 0, sizeof *r);
}

void model_proceeding_clear(struct model_proceeding *p)
{
    if (!p)
        return;
    fn_free(p->file_number);
    fn_free(p->offences);
    fn_free(p->court);
    fn_free(p->prosecutor);
    memset(p, 0, sizeof *p);
}

void model_custody_clear(struct model_custody *c)
{
    if (c)
        memset(c, 0, sizeof *c);
}

void model_obstacle_clear(struct model_obstacle_entry *o)
{
    if (!o)
        return;
    fn_free(o->note);
    fn_free(o->norm);
    memset(o, 0, sizeof *o);
}

void model_finding_clear(struct model_finding_entry *f)
{
    if (!f)
        return;
    fn_free(f->reference);
    fn_free(f->note);
    memset(f, 0, sizeof *f);
}

void model_case_clear(struct model_case *c)
{
    if (!c)
        return;
    fn_free(c->tags);
    memset(c, 0, sizeof *c);
}

void model_conference_clear(struct model_conference *c)
{
    if (!c)
        return;
    fn_free(c->participants);
    fn_free(c->minutes);
    memset(c, 0, sizeof *c);
}

void model_task_clear(struct model_task *t)
{
    if (!t)
        return;
    fn_free(t->title);
    memset(t, 0, sizeof *t);
}

void model_doc_meta_clear(struct model_doc_meta *d)
{
    if (!d)
        return;
    fn_free(d->title);
    fn_free(d->kind);
    fn_free(d->file_name);
    fn_free(d->media_type);
    fn_free(d->sha256);
    memset(d, 0, sizeof *d);
}

#define FREE_ARRAY(arr, n, clear)                                                                  \
    do {                                                                                           \
        for (size_t i_ = 0; i_ < (n); i_++)                                                        \
            clear(&(arr)[i_]);                                                                     \
        fn_free(arr);                                                                              \
    } while (0)

void model_person_file_free(struct model_person_file *f)
{
    if (!f)
        return;
    model_person_free(f->person);
    FREE_ARRAY(f->residence, f->n_residence, model_residence_clear);
    FREE_ARRAY(f->proceedings, f->n_proceedings, model_proceeding_clear);
    FREE_ARRAY(f->custody, f->n_custody, model_custody_clear);
    FREE_ARRAY(f->obstacles, f->n_obstacles, model_obstacle_clear);
    FREE_ARRAY(f->findings, f->n_findings, model_finding_clear);
    FREE_ARRAY(f->cases, f->n_cases, model_case_clear);
    fn_free(f);
}

void model_case_file_free(struct model_case_file *f)
{
    if (!f)
        return;
    model_case_clear(&f->kase);
    FREE_ARRAY(f->conferences, f->n_conferences, model_conference_clear);
    FREE_ARRAY(f->tasks, f->n_tasks, model_task_clear);
    FREE_ARRAY(f->documents, f->n_documents, model_doc_meta_clear);
    fn_free(f);
}
