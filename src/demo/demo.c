/* demo.c – deterministic synthetic demo data (see demo.h). */
#include "demo/demo.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "auth/role.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "names/names.h"

#define DEMO_TX_PERSONS 500
#define MAX_ABH         64

void demo_rng_seed(struct demo_rng *r, uint64_t seed)
{
    r->state = seed ^ 0x9E3779B97F4A7C15ull;
}

uint64_t demo_rng_next(struct demo_rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint32_t demo_rng_below(struct demo_rng *r, uint32_t n)
{
    return (uint32_t)(((demo_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

int demo_rng_chance(struct demo_rng *r, uint32_t permille)
{
    return demo_rng_below(r, 1000) < permille;
}

/* Reference data ids, filled by make_reference_data. */
struct demo_refs {
    int64_t region[5];
    int64_t rrk[5];
    int64_t zab[5];
    int64_t abh[MAX_ABH];
    int abh_region[MAX_ABH]; /* index into region[] */
    size_t n_abh;
    int64_t prosecutor[6];
    int64_t prison[7];
    int64_t police[2];
    int64_t users[10];
    const char *user_login[10];
    const char *user_name[10];
    unsigned user_roles[10];
    int64_t user_org[10];
    int64_t ministry;
};

static const char *const region_names[5] = {"Arnsberg", "Detmold", "Düsseldorf", "Köln", "Münster"};
static const char *const region_codes[5] = {"AR", "DT", "D", "K", "MS"};

static int region_index(const char *name)
{
    for (int i = 0; i < 5; i++)
        if (strcmp(region_names[i], name) == 0)
            return i;
    return 0;
}

static fn_status add_org(struct store *st, enum model_org_kind kind, const char *code,
                         const char *name, int64_t region, int64_t *id)
{
    struct model_org o = {
        .kind = kind, .code = (char *)code, .name = (char *)name, .region_id = region};
    fn_status rc = store_org_insert(st, &o);
    *id = o.id;
    return rc;
}

static fn_status make_reference_data(struct store *st, struct demo_refs *refs)
{
    fn_status rc = FN_OK;
    char code[64], name[160];
    static const char *const zab_names[5] = {"Unna", "Bielefeld", "Essen", "Köln", "Coesfeld"};
    static const char *const sta[6] = {"Düsseldorf", "Köln",     "Münster",
                                       "Bielefeld",  "Dortmund", "Essen"};
    static const char *const sta_region[6] = {"Düsseldorf", "Köln",     "Münster",
                                              "Detmold",    "Arnsberg", "Düsseldorf"};
    static const char *const jva[7] = {"Köln",    "Düsseldorf", "Bielefeld-Brackwede",     "Werl",
                                       "Münster", "Bochum",     "Büren (Abschiebungshaft)"};
    static const char *const jva_region[7] = {"Köln",    "Düsseldorf", "Detmold", "Arnsberg",
                                              "Münster", "Arnsberg",   "Detmold"};
    for (int i = 0; i < 5 && !rc; i++) {
        struct model_region r = {.code = (char *)region_codes[i], .name = (char *)region_names[i]};
        rc = store_region_insert(st, &r);
        refs->region[i] = r.id;
        snprintf(code, sizeof code, "RRK-%s", region_codes[i]);
        snprintf(name, sizeof name, "Regionale Rückkehrkoordination, Bezirksregierung %s",
                 region_names[i]);
        if (!rc)
            rc = add_org(st, ORG_RRK, code, name, r.id, &refs->rrk[i]);
        snprintf(code, sizeof code, "ZAB-%d", i + 1);
        snprintf(name, sizeof name, "Zentrale Ausländerbehörde %s", zab_names[i]);
        if (!rc)
            rc = add_org(st, ORG_ZAB, code, name, r.id, &refs->zab[i]);
    }
    const struct names_municipality *m = NULL;
    size_t nm = names_municipalities(&m);
    for (size_t i = 0; i < nm && i < MAX_ABH && !rc; i++) {
        int ri = region_index(m[i].region);
        snprintf(code, sizeof code, "ABH-%s", m[i].postcode);
        snprintf(name, sizeof name, "Ausländerbehörde %s", m[i].name);
        rc = add_org(st, ORG_ABH, code, name, refs->region[ri], &refs->abh[i]);
        refs->abh_region[i] = ri;
        refs->n_abh = i + 1;
    }
    for (int i = 0; i < 6 && !rc; i++) {
        snprintf(code, sizeof code, "STA-%d", i + 1);
        snprintf(name, sizeof name, "Staatsanwaltschaft %s", sta[i]);
        rc = add_org(st, ORG_PROSECUTOR, code, name, refs->region[region_index(sta_region[i])],
                     &refs->prosecutor[i]);
    }
    for (int i = 0; i < 7 && !rc; i++) {
        snprintf(code, sizeof code, "JVA-%d", i + 1);
        snprintf(name, sizeof name, "Justizvollzugsanstalt %s", jva[i]);
        rc = add_org(st, ORG_PRISON, code, name, refs->region[region_index(jva_region[i])],
                     &refs->prison[i]);
    }
    if (!rc)
        rc = add_org(st, ORG_POLICE, "LZPD", "Landesamt für Zentrale Polizeiliche Dienste NRW", 0,
                     &refs->police[0]);
    if (!rc)
        rc = add_org(st, ORG_POLICE, "LKA", "Landeskriminalamt NRW", 0, &refs->police[1]);
    int64_t ministry = 0;
    if (!rc)
        rc = add_org(st, ORG_MINISTRY, "MKJFGFI",
                     "Ministerium für Kinder, Jugend, Familie, "
                     "Gleichstellung, Flucht und Integration NRW",
                     0, &ministry);
    /* The pilot's staff at the five RRK (koordination) and the data
     * protection officer; their ids own tasks. Passwords: make_accounts. */
    static const char *const logins[10] = {"a.becker",   "m.schulz", "s.yilmaz",  "k.wagner",
                                           "j.hoffmann", "l.koch",   "t.richter", "n.klein",
                                           "p.wolf",     "dsb"};
    static const char *const display[10] = {"Anna Becker",    "Michael Schulz",
                                            "Selin Yılmaz",   "Katrin Wagner",
                                            "Jan Hoffmann",   "Lea Koch",
                                            "Tobias Richter", "Nadine Klein",
                                            "Peter Wolf",     "Datenschutzbeauftragte(r)"};
    refs->ministry = ministry;
    for (int i = 0; i < 10 && !rc; i++) {
        refs->user_login[i] = logins[i];
        refs->user_name[i] = display[i];
        refs->user_roles[i] = i == 9 ? AUTH_ROLE_DATENSCHUTZ : AUTH_ROLE_KOORDINATION;
        refs->user_org[i] = i == 9 ? ministry : refs->rrk[i % 5];
    }
    return rc;
}

/* Index of the first local authority in region ri (0 when none). */
static size_t abh_in_region(const struct demo_refs *refs, int ri)
{
    for (size_t i = 0; i < refs->n_abh; i++)
        if (refs->abh_region[i] == ri)
            return i;
    return 0;
}

/* A random password of 4 groups of 4 from an alphabet without look-alikes
 * (kernel CSPRNG, never the demo's seeded generator). */
static void random_password(char out[32])
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPRTUVWXY345679";
    size_t w = 0;
    for (int g = 0; g < 4; g++) {
        if (g)
            out[w++] = '-';
        for (int k = 0; k < 4; k++)
            out[w++] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    }
    out[w] = '\0';
}

/* Creates the demo accounts: the ten RRK/data protection accounts of
 * make_reference_data and one account for every other role, each with a
 * random password; fills opt->accounts. */
static fn_status make_accounts(struct store *st, const struct store_actor *actor,
                               struct demo_refs *refs, struct demo_options *opt)
{
    struct extra {
        const char *login, *name;
        unsigned roles;
        int64_t org;
    } extra[] = {
        {"abh.sb", "Sachbearbeitung Ausländerbehörde", AUTH_ROLE_SACHBEARBEITUNG,
         refs->abh[abh_in_region(refs, 4)]},
        {"abh.sb2", "Sachbearbeitung andere Ausländerbehörde", AUTH_ROLE_SACHBEARBEITUNG,
         refs->abh[abh_in_region(refs, 3)]},
        {"zab.sb", "Sachbearbeitung Zentrale Ausländerbehörde", AUTH_ROLE_ZAB, refs->zab[4]},
        {"polizei", "Polizei (LZPD)", AUTH_ROLE_POLIZEI, refs->police[0]},
        {"statistik", "Statistik (Ministerium)", AUTH_ROLE_STATISTIK, refs->ministry},
        {"admin", "Administration", AUTH_ROLE_ADMIN, refs->ministry},
        /* the second pair of eyes of a catalogue approval (docs/catalog-format.md) */
        {"admin2", "Administration (zweite Person)", AUTH_ROLE_ADMIN, refs->ministry},
    };
    size_t n_extra = sizeof extra / sizeof extra[0];
    fn_status rc = FN_OK;
    opt->n_accounts = 0;
    if (sodium_init() < 0)
        return FN_INTERNAL;
    for (size_t i = 0; i < 10 + n_extra && !rc; i++) {
        struct model_user u = {.active = 1};
        if (i < 10) {
            u.login = (char *)refs->user_login[i];
            u.display_name = (char *)refs->user_name[i];
            u.roles = refs->user_roles[i];
            u.org_id = refs->user_org[i];
        } else {
            u.login = (char *)extra[i - 10].login;
            u.display_name = (char *)extra[i - 10].name;
            u.roles = extra[i - 10].roles;
            u.org_id = extra[i - 10].org;
        }
        struct demo_account *acc = &opt->accounts[opt->n_accounts];
        char hash[AUTH_PASSWORD_HASH_MAX];
        random_password(acc->password);
        rc = auth_password_hash(acc->password, hash);
        if (!rc)
            rc = store_user_add(st, actor, &u, hash);
        if (!rc && i < 10)
            refs->users[i] = u.id;
        struct model_org org;
        if (!rc)
            rc = store_org_get(st, u.org_id, &org);
        if (!rc) {
            snprintf(acc->login, sizeof acc->login, "%s", u.login);
            snprintf(acc->org_code, sizeof acc->org_code, "%s", org.code);
            if (auth_roles_format(u.roles, acc->roles, sizeof acc->roles) != FN_OK)
                acc->roles[0] = '\0';
            model_org_clear(&org);
            opt->n_accounts++;
        }
        sodium_memzero(hash, sizeof hash);
    }
    return rc;
}

/* Picks an index with probability proportional to weight. */
static size_t pick_weighted(struct demo_rng *r, const struct names_entry *e, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += e[i].weight;
    uint64_t x = demo_rng_next(r) % (total ? total : 1);
    for (size_t i = 0; i < n; i++) {
        if (x < e[i].weight)
            return i;
        x -= e[i].weight;
    }
    return n - 1;
}

/* A Latin spelling: mostly the first, sometimes a variant (as registers do). */
static const char *pick_spelling(struct demo_rng *r, const struct names_entry *e)
{
    size_t n = 0;
    while (e->latin[n])
        n++;
    if (n > 1 && demo_rng_chance(r, 250))
        return e->latin[1 + demo_rng_below(r, (uint32_t)(n - 1))];
    return e->latin[0];
}

static enum names_population pick_population(struct demo_rng *r)
{
    uint32_t total = 0;
    for (int p = 0; p < NAMES_POPULATION_COUNT; p++)
        total += names_population((enum names_population)p)->share;
    uint32_t x = demo_rng_below(r, total);
    for (int p = 0; p < NAMES_POPULATION_COUNT; p++) {
        uint32_t s = names_population((enum names_population)p)->share;
        if (x < s)
            return (enum names_population)p;
        x -= s;
    }
    return NAMES_SYRIA;
}

static struct fn_pdate date_of(int32_t days)
{
    struct fn_pdate d;
    fn_pdate_from_days(days, &d);
    return d;
}

/* Fills the person record; strings are allocated (freed with the person). */
static fn_status make_person(struct demo_rng *r, const struct demo_refs *refs, long n, int today,
                             struct model_person *p, enum names_population *pop_out)
{
    char buf[256];
    enum names_population pop = pick_population(r);
    const struct names_population_info *info = names_population(pop);
    *pop_out = pop;
    const struct names_entry *fam = NULL, *giv = NULL, *places = NULL;
    size_t nf = names_family(pop, &fam);
    char sex = demo_rng_chance(r, 880) ? 'm' : 'f';
    size_t ng = names_given(pop, sex, &giv);
    size_t np = names_places(pop, &places);

    snprintf(buf, sizeof buf, "DEMO-%08ld", n);
    p->record_id = fn_strdup(buf);
    if (demo_rng_chance(r, 900)) {
        snprintf(buf, sizeof buf, "%012llu",
                 (unsigned long long)(100000000000ull + demo_rng_next(r) % 899999999999ull));
        p->azr_nr = fn_strdup(buf);
    }
    const struct names_entry *family = &fam[pick_weighted(r, fam, nf)];
    p->family_name = fn_strdup(pick_spelling(r, family));
    int count = 1 + (info->given_names_max > 1 ? (int)demo_rng_below(r, 2) : 0);
    struct fn_buf g;
    fn_buf_init(&g, 256);
    fn_status rc = FN_OK;
    for (int i = 0; i < count && !rc; i++) {
        const struct names_entry *e = &giv[pick_weighted(r, giv, ng)];
        rc = fn_buf_appendf(&g, "%s%s", i ? " " : "", pick_spelling(r, e));
    }
    if (!rc)
        rc = fn_buf_take(&g, &p->given_names);
    fn_buf_free(&g);
    if (rc)
        return rc;
    p->sex = sex == 'm' ? SEX_MALE : SEX_FEMALE;
    /* Born 18 to 60 years before today. */
    int32_t born = today - 365 * 18 - (int32_t)demo_rng_below(r, 365 * 42);
    p->birth_date = date_of(born);
    if (demo_rng_chance(r, (uint32_t)info->year_only_permille)) {
        if (demo_rng_chance(r, 600)) {
            p->birth_date.month = 1; /* the AZR's 01.01. placeholder */
            p->birth_date.day = 1;
            p->birth_date.flags |= FN_PDATE_PLACEHOLDER;
        } else {
            p->birth_date.month = 0;
            p->birth_date.day = 0;
            p->birth_date.flags = 0;
        }
    }
    const struct names_entry *place = &places[pick_weighted(r, places, np)];
    p->birth_place = fn_strdup(pick_spelling(r, place));
    size_t niso = 0;
    while (info->iso3[niso])
        niso++;
    const char *country = info->iso3[demo_rng_below(r, (uint32_t)niso)];
    p->birth_country = fn_strdup(country);
    int two = demo_rng_chance(r, 40);
    p->nationalities = fn_calloc(2, sizeof *p->nationalities);
    if (p->nationalities) {
        p->nationalities[0] = fn_strdup(demo_rng_chance(r, 15) ? "XXA" : country);
        p->n_nationalities = 1;
        if (two) {
            p->nationalities[1] = fn_strdup(pop == NAMES_TURKEY ? "DEU" : "TUR");
            p->n_nationalities = 2;
        }
    }
    uint32_t id_roll = demo_rng_below(r, 100);
    p->identity = id_roll < 45   ? IDENTITY_CLARIFIED
                  : id_roll < 80 ? IDENTITY_UNCLARIFIED
                                 : IDENTITY_IN_PROGRESS;
    if (p->identity == IDENTITY_CLARIFIED)
        p->identity_basis =
            fn_strdup(demo_rng_chance(r, 700) ? "Reisepass geprüft" : "Passersatzpapier");
    uint32_t res_roll = demo_rng_below(r, 100);
    p->residence = res_roll < 35   ? RES_OBLIGED_TO_LEAVE
                   : res_roll < 65 ? RES_TOLERATED
                   : res_roll < 75 ? RES_PERMITTED_ASYLUM
                   : res_roll < 90 ? RES_TEMPORARY
                   : res_roll < 97 ? RES_SETTLEMENT
                                   : RES_PERMANENT_EU;
    p->residence_since = date_of(today - (int32_t)demo_rng_below(r, 365 * 8));
    const struct names_municipality *m = NULL;
    size_t nm = names_municipalities(&m);
    size_t mi = demo_rng_below(r, (uint32_t)(nm < refs->n_abh ? nm : refs->n_abh));
    const char *const *streets = NULL;
    size_t ns = names_streets(&streets);
    snprintf(buf, sizeof buf, "%s %u", streets[demo_rng_below(r, (uint32_t)ns)],
             1 + demo_rng_below(r, 120));
    p->address_street = fn_strdup(buf);
    p->address_postcode = fn_strdup(m[mi].postcode);
    p->address_municipality = fn_strdup(m[mi].name);
    p->authority_id = refs->abh[mi];
    snprintf(buf, sizeof buf, "ABH-%s", m[mi].postcode);
    p->authority_code = fn_strdup(buf);
    struct fn_pdate upd = date_of(today - (int32_t)demo_rng_below(r, 700));
    snprintf(buf, sizeof buf, "%04u-%02u-%02uT%02u:%02u:00Z", upd.year, upd.month, upd.day,
             8 + demo_rng_below(r, 9), demo_rng_below(r, 60));
    p->updated_at = fn_strdup(buf);
    if (demo_rng_chance(r, 220)) {
        int na = 1 + (int)demo_rng_below(r, 2);
        p->aliases = fn_calloc((size_t)na, sizeof *p->aliases);
        for (int i = 0; p->aliases && i < na; i++) {
            /* another spelling of the same name, or another name used */
            const struct names_entry *fe =
                demo_rng_chance(r, 500) ? family : &fam[pick_weighted(r, fam, nf)];
            size_t nl = 0;
            while (fe->latin[nl])
                nl++;
            p->aliases[i].family_name = fn_strdup(fe->latin[demo_rng_below(r, (uint32_t)nl)]);
            p->aliases[i].given_names =
                fn_strdup(pick_spelling(r, &giv[pick_weighted(r, giv, ng)]));
            if (demo_rng_chance(r, 500))
                p->aliases[i].birth_date = date_of(born + (int32_t)demo_rng_below(r, 800) - 400);
            p->n_aliases++;
        }
    }
    if (p->identity == IDENTITY_CLARIFIED && demo_rng_chance(r, 600)) {
        p->documents = fn_calloc(1, sizeof *p->documents);
        if (p->documents) {
            p->documents[0].kind = fn_strdup("reisepass");
            snprintf(buf, sizeof buf, "%c%08u", 'A' + (int)demo_rng_below(r, 26),
                     demo_rng_below(r, 100000000));
            p->documents[0].number = fn_strdup(buf);
            p->documents[0].issuing_state = fn_strdup(country);
            p->documents[0].valid_until = date_of(today + (int32_t)demo_rng_below(r, 3000) - 800);
            p->documents[0].verified = demo_rng_chance(r, 800);
            p->n_documents = 1;
        }
    }
    if (!p->record_id || !p->family_name || !p->birth_place || !p->birth_country ||
        !p->nationalities || !p->address_street || !p->address_postcode ||
        !p->address_municipality || !p->authority_code || !p->updated_at)
        return FN_NOMEM;
    return FN_OK;
}

static const char *const offence_pool[] = {
    "StGB § 223", "StGB § 224", "StGB § 242",    "StGB § 243", "StGB § 244", "StGB § 249",
    "StGB § 263", "StGB § 113", "StGB § 114",    "StGB § 177", "StGB § 212", "BtMG § 29",
    "BtMG § 29a", "StGB § 303", "AufenthG § 95", "StGB § 123", "StGB § 240", "StGB § 241"};

/* Proceedings, custody, obstacles, findings, residence history, cases. */
static fn_status make_facts(struct store *st, const struct store_actor *a, struct demo_rng *r,
                            const struct demo_refs *refs, const struct model_person *p, int today)
{
    fn_status rc = FN_OK;
    char buf[128];
    size_t noff = sizeof offence_pool / sizeof offence_pool[0];
    struct model_residence_entry res = {
        .person_id = p->id, .status = p->residence, .since = p->residence_since};
    if (p->residence == RES_OBLIGED_TO_LEAVE || p->residence == RES_TOLERATED) {
        res.legal_basis = p->residence == RES_TOLERATED ? "§ 60a AufenthG" : "§ 50 AufenthG";
        res.enforceable_since = p->residence_since;
        int32_t since = 0;
        if (fn_pdate_to_days(&p->residence_since, &since) == FN_OK)
            res.departure_deadline = date_of(since + 30);
    }
    rc = store_residence_insert(st, a, &res);
    int nproc = (int)demo_rng_below(r, 6);
    int in_custody = 0;
    for (int i = 0; i < nproc && !rc; i++) {
        struct model_proceeding pr = {.person_id = p->id};
        uint32_t roll = demo_rng_below(r, 100);
        pr.kind = roll < 20 ? PROC_INVESTIGATION : roll < 30 ? PROC_CHARGE : PROC_CONVICTION;
        snprintf(buf, sizeof buf, "%u Js %u/%02u", 10 + demo_rng_below(r, 900),
                 100 + demo_rng_below(r, 9000), 18 + demo_rng_below(r, 8));
        pr.file_number = buf;
        pr.authority_id = refs->prosecutor[demo_rng_below(r, 6)];
        char offences[96];
        const char *o1 = offence_pool[demo_rng_below(r, (uint32_t)noff)];
        if (demo_rng_chance(r, 300))
            snprintf(offences, sizeof offences, "%s; %s", o1,
                     offence_pool[demo_rng_below(r, (uint32_t)noff)]);
        else
            snprintf(offences, sizeof offences, "%s", o1);
        pr.offences = offences;
        int32_t when = today - (int32_t)demo_rng_below(r, 365 * 6);
        pr.offence_date = date_of(when - 60 - (int32_t)demo_rng_below(r, 300));
        pr.intentional = 1;
        if (pr.kind == PROC_CONVICTION) {
            pr.decision_date = date_of(when);
            uint32_t s = demo_rng_below(r, 100);
            pr.sentence = s < 40   ? SENT_FINE
                          : s < 88 ? SENT_PRISON
                          : s < 99 ? SENT_JUVENILE
                                   : SENT_PREVENTIVE;
            if (pr.sentence == SENT_PRISON || pr.sentence == SENT_JUVENILE) {
                static const int months[] = {3, 4, 6, 8, 10, 12, 15, 18, 24, 30, 36, 48, 60};
                pr.sentence_months = months[demo_rng_below(r, 13)];
                pr.suspended = pr.sentence_months <= 24 && demo_rng_chance(r, 450);
                if (!pr.suspended && pr.sentence_months >= 12 && demo_rng_chance(r, 500))
                    in_custody = 1;
            }
            if (demo_rng_chance(r, 920))
                pr.final_date = date_of(when + 14 + (int32_t)demo_rng_below(r, 200));
        } else {
            static const enum model_consent consents[] = {CONSENT_PENDING, CONSENT_GRANTED,
                                                          CONSENT_REFUSED, CONSENT_DISPENSABLE};
            pr.consent = consents[demo_rng_below(r, 4)];
        }
        rc = store_proceeding_insert(st, a, &pr);
    }
    if (!rc && in_custody) {
        struct model_custody c = {.person_id = p->id,
                                  .prison_id = refs->prison[demo_rng_below(r, 6)],
                                  .kind = CUSTODY_SENTENCE};
        int32_t start = today - (int32_t)demo_rng_below(r, 700);
        c.start = date_of(start);
        c.planned_release = date_of(start + 180 + (int32_t)demo_rng_below(r, 900));
        c.decision_456a = demo_rng_chance(r, 250);
        if (c.decision_456a)
            c.decision_456a_date = date_of(start + 60);
        rc = store_custody_insert(st, a, &c);
    }
    if (!rc && demo_rng_chance(r, 300)) {
        static const enum model_obstacle kinds[] = {
            OBST_DULDUNG_60A_2_1, OBST_DULDUNG_60A_2_1,  OBST_DULDUNG_60B,
            OBST_DULDUNG_60A_2C,  OBST_ASYLUM_PENDING,   OBST_BAN_60_5,
            OBST_BAN_60_7,        OBST_DULDUNG_60C,      OBST_URGENT_PROCEEDING,
            OBST_DULDUNG_60A_2_2, OBST_MINOR_NO_HANDOVER};
        struct model_obstacle_entry o = {.person_id = p->id};
        o.kind = kinds[demo_rng_below(r, sizeof kinds / sizeof kinds[0])];
        if (o.kind == OBST_MINOR_NO_HANDOVER)
            o.kind = OBST_DULDUNG_60A_2_1; /* adults only in the demo population */
        int32_t since = today - (int32_t)demo_rng_below(r, 900);
        o.since = date_of(since);
        if (o.kind >= OBST_DULDUNG_60A_1)
            o.until = date_of(since + 90 + (int32_t)demo_rng_below(r, 270));
        rc = store_obstacle_insert(st, a, &o);
    }
    if (!rc && demo_rng_chance(r, 60)) {
        struct model_finding_entry f = {.person_id = p->id,
                                        .kind = demo_rng_chance(r, 700) ? FIND_NONCOOPERATION
                                                                        : FIND_STAY_INTEREST_55_2,
                                        .established_by = p->authority_id,
                                        .date = date_of(today - (int32_t)demo_rng_below(r, 600))};
        f.reference = "Vermerk der Ausländerbehörde";
        rc = store_finding_insert(st, a, &f);
    }
    if (!rc && (nproc >= 3 || demo_rng_chance(r, 150))) {
        int ri = 0;
        for (size_t i = 0; i < refs->n_abh; i++)
            if (refs->abh[i] == p->authority_id)
                ri = refs->abh_region[i];
        struct model_case c = {.person_id = p->id,
                               .authority_id = p->authority_id,
                               .region_id = refs->region[ri],
                               .status = (enum model_case_status)demo_rng_below(r, 4),
                               .tags = nproc >= 4 ? "aMIT" : NULL,
                               .opened = date_of(today - (int32_t)demo_rng_below(r, 500))};
        rc = store_case_insert(st, a, &c);
        if (!rc && c.status == CASE_CONFERENCE) {
            struct model_conference k = {.case_id = c.id,
                                         .date = date_of(today - (int32_t)demo_rng_below(r, 60)),
                                         .participants = "Ausländerbehörde; RRK; Polizei; "
                                                         "Staatsanwaltschaft",
                                         .minutes = "Sachstand erörtert; Passbeschaffung und "
                                                    "Einvernehmen der StA werden geklärt."};
            rc = store_conference_insert(st, a, &k);
        }
        if (!rc) {
            struct model_task t = {.case_id = c.id,
                                   .owner_id = refs->users[demo_rng_below(r, 9)],
                                   .title = p->identity == IDENTITY_CLARIFIED
                                                ? "Einvernehmen der Staatsanwaltschaft einholen"
                                                : "Identitätsklärung: Passersatz beantragen",
                                   .deadline = date_of(today + 7 + (int32_t)demo_rng_below(r, 60)),
                                   .status = TASK_OPEN};
            rc = store_task_insert(st, a, &t);
        }
    }
    return rc;
}

fn_status demo_generate(struct store *st, struct demo_options *opt)
{
    int64_t existing = 0;
    fn_status rc = store_person_count(st, &existing);
    if (rc)
        return rc;
    if (existing)
        return FN_CONFLICT;
    struct demo_refs refs;
    memset(&refs, 0, sizeof refs);
    /* A job of the system: creates persons of every authority (not scoped). */
    struct store_actor actor = {
        .login = "demo", .system = 1, .purpose = "Erzeugung synthetischer Demodaten"};
    struct demo_rng r;
    demo_rng_seed(&r, opt->seed);
    rc = store_begin(st);
    if (!rc)
        rc = make_reference_data(st, &refs);
    if (rc) {
        store_rollback(st);
        return rc;
    }
    rc = store_commit(st);
    if (!rc)
        rc = make_accounts(st, &actor, &refs, opt);
    for (long n = 1; n <= opt->persons && !rc; n++) {
        if (!st || (n - 1) % DEMO_TX_PERSONS == 0) {
            rc = store_begin(st);
            if (rc)
                break;
        }
        struct model_person *p = model_person_new();
        enum names_population pop;
        if (!p) {
            rc = FN_NOMEM;
        } else {
            rc = make_person(&r, &refs, n, opt->today_days, p, &pop);
            if (!rc)
                rc = store_person_insert(st, &actor, p);
            if (!rc)
                rc = make_facts(st, &actor, &r, &refs, p, opt->today_days);
        }
        model_person_free(p);
        if (rc) {
            store_rollback(st);
            break;
        }
        if (n % DEMO_TX_PERSONS == 0 || n == opt->persons) {
            rc = store_commit(st);
            if (opt->progress)
                opt->progress(opt->progress_ctx, n, opt->persons);
        }
    }
    return rc;
}
