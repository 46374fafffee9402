/*
 * cli_evaluate.c – `fallnetz evaluate --out DIR`: the evaluation for the
 * pilot report. Agreement between the assessment and the decisions (Cohen's
 * kappa with 95 % CI), override rates and reasons, and a subgroup audit
 * (selection and override rates by sex, age band and nationality, four-fifths
 * ratio flagged). Sex, age and nationality are read for this audit alone.
 * Writes report.json and report.html (inline SVG, no external resources).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assess/assess_person.h"
#include "assess/catalog.h"
#include "assess/evaluate.h"
#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/file.h"
#include "core/pdate.h"
#include "core/utf8.h"

#define MAX_NAT_GROUPS 24

struct collected {
    struct eval_record *rec;
    size_t n, cap;
    int *age_group, *nat_group, *sex_group;
    char nat_codes[MAX_NAT_GROUPS][8];
    size_t nnat;
    int year_now;
    json_t *overrides;     /* kind -> count */
    json_t *override_list; /* every departure with its reason */
    fn_status err;
};

static const char *const sex_labels[] = {"männlich", "weiblich", "divers", "unbekannt"};
static const char *const age_labels[] = {"unter 25", "25 bis 39", "40 und älter", "unbekannt"};

static fn_status collect(void *vctx, const struct store_decision_row *row)
{
    struct collected *c = vctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        struct eval_record *r = fn_reallocarray(c->rec, cap, sizeof *r);
        int *a = fn_reallocarray(c->age_group, cap, sizeof *a);
        if (a)
            c->age_group = a;
        int *g = fn_reallocarray(c->nat_group, cap, sizeof *g);
        if (g)
            c->nat_group = g;
        int *s = fn_reallocarray(c->sex_group, cap, sizeof *s);
        if (s)
            c->sex_group = s;
        if (!r || !a || !g || !s) {
            if (r)
                c->rec = r;
            return FN_NOMEM;
        }
        c->rec = r;
        c->cap = cap;
    }
    size_t i = c->n++;
    c->rec[i] = (struct eval_record){.recommended = !row->blocked && row->band != 'C',
                                     .accepted = row->accepted,
                                     .override = row->override_kind != NULL,
                                     .group = -1};
    const char *sx = row->sex ? row->sex : "u";
    c->sex_group[i] = sx[0] == 'm' ? 0 : sx[0] == 'f' ? 1 : sx[0] == 'x' ? 2 : 3;
    int age = row->birth_year ? c->year_now - row->birth_year : -1;
    c->age_group[i] = age < 0 ? 3 : age < 25 ? 0 : age < 40 ? 1 : 2;
    int ng = MAX_NAT_GROUPS - 1; /* "andere/unbekannt" */
    if (row->nationality) {
        for (size_t k = 0; k < c->nnat; k++)
            if (strcmp(c->nat_codes[k], row->nationality) == 0)
                ng = (int)k;
        if (ng == MAX_NAT_GROUPS - 1 && c->nnat < MAX_NAT_GROUPS - 1) {
            fn_utf8_copy(c->nat_codes[c->nnat], sizeof c->nat_codes[0], row->nationality);
            ng = (int)c->nnat++;
        }
    }
    c->nat_group[i] = ng;
    if (row->override_kind) {
        /* count by kind without the rule id: "Aufnahme trotz Sperre", "Ablehnung trotz Band A" */
        char kind[64];
        snprintf(kind, sizeof kind, "%s",
                 strncmp(row->override_kind, "Aufnahme", 8) == 0 ? "Aufnahme trotz Sperre"
                                                                 : "Ablehnung trotz Band A");
        /* jansson refuses malformed UTF-8; a bad byte in one recorded
         * reason must not stop the report (U+FFFD instead). */
        struct fn_buf override_text, reason_text;
        fn_buf_init(&override_text, FN_BUF_SMALL);
        fn_buf_init(&reason_text, FN_BUF_SMALL);
        const char *reason = row->reason ? row->reason : "";
        fn_status rc =
            fn_utf8_sanitize(&override_text, row->override_kind, strlen(row->override_kind), NULL);
        if (!rc)
            rc = fn_utf8_sanitize(&reason_text, reason, strlen(reason), NULL);
        if (!rc &&
            json_array_append_new(c->override_list,
                                  json_pack("{s:I, s:s, s:s}", "person", (json_int_t)row->person_id,
                                            "abweichung", fn_buf_str(&override_text), "begruendung",
                                            fn_buf_str(&reason_text))))
            rc = FN_NOMEM;
        fn_buf_free(&override_text);
        fn_buf_free(&reason_text);
        if (rc)
            return rc;
        json_t *v = json_object_get(c->overrides, kind);
        if (json_object_set_new(c->overrides, kind,
                                json_integer(v ? json_integer_value(v) + 1 : 1)))
            return FN_NOMEM;
    }
    return FN_OK;
}

static json_t *groups_json(const struct eval_group *g, size_t n, const char *const *labels)
{
    json_t *arr = json_array();
    for (size_t k = 0; arr && k < n; k++) {
        if (!g[k].n)
            continue;
        json_array_append_new(
            arr, json_pack("{s:s, s:I, s:f, s:f, s:f, s:b}", "gruppe", labels[k], "anzahl",
                           (json_int_t)g[k].n, "auswahlquote", g[k].selection_rate,
                           "abweichungsquote", g[k].override_rate, "verhaeltnis_zum_hoechsten",
                           g[k].ratio_to_max, "vier_fuenftel_auffaellig", g[k].flagged));
    }
    return arr;
}

/* s (NULL = "") escaped for HTML in tmp, which is emptied first; NULL when
 * tmp's cap or memory runs out. The result lives until tmp changes. */
static const char *html_text(struct fn_buf *tmp, const char *s)
{
    fn_buf_reset(tmp);
    const char *t = s ? s : "";
    return fn_html_escape(tmp, t, strlen(t)) == FN_OK ? fn_buf_str(tmp) : NULL;
}

/* Bar chart of selection rates; flagged groups red. */
static fn_status svg_bars(struct fn_buf *h, const char *title, const struct eval_group *g, size_t n,
                          const char *const *labels)
{
    fn_status rc = fn_buf_appendf(h,
                                  "<h3>%s</h3><svg width=\"640\" height=\"%zu\" role=\"img\" "
                                  "aria-label=\"%s\">",
                                  title, 24 * n + 10, title);
    size_t row = 0;
    struct fn_buf label;
    fn_buf_init(&label, FN_BUF_SMALL);
    for (size_t k = 0; k < n && !rc; k++) {
        if (!g[k].n)
            continue;
        double w = 400.0 * g[k].selection_rate;
        /* labels can be data (nationality codes as recorded) */
        const char *text = html_text(&label, labels[k]);
        if (!text) {
            rc = FN_TOO_LARGE;
            break;
        }
        rc = fn_buf_appendf(
            h,
            "<text x=\"0\" y=\"%zu\" font-size=\"13\">%s</text>"
            "<rect x=\"170\" y=\"%zu\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>"
            "<text x=\"%.1f\" y=\"%zu\" font-size=\"12\">%.0f %% (n=%zu)%s</text>",
            row * 24 + 16, text, row * 24 + 4, w, g[k].flagged ? "#b3261e" : "#0b3d66", 176 + w,
            row * 24 + 16, 100.0 * g[k].selection_rate, g[k].n, g[k].flagged ? " – unter 4/5" : "");
        row++;
    }
    fn_buf_free(&label);
    if (!rc)
        rc = fn_buf_append_str(h, "</svg>");
    return rc;
}

/* "Band B" or "Sperre G1,G4 (Band B)" */
static void outcome_text(const struct assess_catalog *c, const struct assess_result *r, char *buf,
                         size_t size)
{
    size_t w = 0;
    if (r->blocked) {
        w += (size_t)snprintf(buf, size, "Sperre ");
        for (int i = 0; i < r->ngates && w < size; i++)
            w +=
                (size_t)snprintf(buf + w, size - w, "%s%s", i ? "," : "", c->rules[r->gates[i]].id);
        if (w < size)
            snprintf(buf + w, size - w, " (Band %c)", r->band);
    } else {
        snprintf(buf, size, "Band %c (%d Punkte)", r->band, r->points);
    }
}

/* Assesses every person with both catalogues; appends persons whose band or
 * gates differ to changes. Each person read is audited. */
static fn_status compare_catalogues(struct store *st, const struct store_actor *actor,
                                    const char *old_path, const char *new_path,
                                    const char *today_arg, json_t *changes, size_t *compared)
{
    struct assess_catalog *old_c = NULL, *new_c = NULL;
    struct fn_buf errors;
    fn_buf_init(&errors, 65536);
    fn_status rc = assess_catalog_load(old_path, &old_c, &errors);
    if (!rc)
        rc = assess_catalog_load(new_path ? new_path : cli_default_catalog(), &new_c, &errors);
    if (rc) {
        fputs(fn_buf_str(&errors), stderr);
        goto out;
    }
    int32_t today = cli_today_days(today_arg);
    if (today == INT32_MIN) {
        rc = FN_INVALID;
        goto out;
    }
    int64_t after = 0;
    for (;;) {
        struct store_person_summary *page = NULL;
        size_t got = 0;
        rc = store_person_list(st, actor, 0, after, 1000, &page, &got);
        if (rc || !got) {
            fn_free(page);
            break;
        }
        for (size_t i = 0; i < got && !rc; i++) {
            /* the same facts under the new catalogue: read once, evaluated twice */
            struct assess_person p;
            rc = assess_person(st, actor, old_c, page[i].id, today, &p);
            if (rc)
                break;
            const struct assess_result a = p.result;
            struct assess_result b;
            assess_evaluate(new_c, &p.facts, &b);
            assess_person_clear(&p);
            (*compared)++;
            char ta[256], tb[256];
            outcome_text(old_c, &a, ta, sizeof ta);
            outcome_text(new_c, &b, tb, sizeof tb);
            if (a.band != b.band || a.blocked != b.blocked || strcmp(ta, tb) != 0) {
                if (a.band == b.band && a.blocked == b.blocked && !a.blocked)
                    continue; /* only the points moved within the band */
                json_array_append_new(changes,
                                      json_pack("{s:I, s:s, s:s}", "person", (json_int_t)page[i].id,
                                                "bisher", ta, "neu", tb));
            }
        }
        after = page[got - 1].id;
        fn_free(page);
        if (rc)
            break;
    }
out:
    fn_buf_free(&errors);
    assess_catalog_free(old_c);
    assess_catalog_free(new_c);
    return rc;
}

int cli_evaluate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},     {"db", required_argument, NULL, 'd'},
        {"user", required_argument, NULL, 'u'},    {"compare", required_argument, NULL, 'c'},
        {"catalog", required_argument, NULL, 'k'}, {"today", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *out = NULL, *db = CLI_DEFAULT_DB, *user = NULL, *compare = NULL;
    const char *catalog = NULL, *today_arg = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 'u':
            user = optarg;
            break;
        case 'c':
            compare = optarg;
            break;
        case 'k':
            catalog = optarg;
            break;
        case 't':
            today_arg = optarg;
            break;
        case 'h':
            printf("Aufruf: fallnetz evaluate --out ORDNER [--db PFAD] [--user KENNUNG]\n"
                   "                         [--compare ALT.cat [--catalog NEU.cat]]\n\n"
                   "Evaluation für den Pilotbericht: Übereinstimmung zwischen Bewertung und\n"
                   "Entscheidungen (Cohens Kappa mit 95-%%-Konfidenzintervall), Abweichungsquoten\n"
                   "und -gründe, Untergruppenprüfung (Auswahl- und Abweichungsquoten nach\n"
                   "Geschlecht, Altersgruppe und Staatsangehörigkeit; 4/5-Regel markiert).\n"
                   "Diese Merkmale werden nur für diese Prüfung gelesen, nie für die Bewertung.\n"
                   "Mit --compare: welche Personen zwischen zwei Katalogversionen Band oder\n"
                   "Sperre wechseln (NEU: --catalog, Vorgabe wie bei assess).\n"
                   "Schreibt report.json und report.html in ORDNER.\n");
            return CLI_EXIT_OK;
        default:
            return CLI_EXIT_USAGE;
        }
    }
    if (!out || optind < argc) {
        cli_error("evaluate", "--out ORDNER ist Pflicht (fallnetz evaluate --help)");
        return CLI_EXIT_USAGE;
    }
    struct store *st = NULL;
    struct cli_identity who = {0};
    int ex = cli_open_store("evaluate", db, 0, &st);
    if (ex)
        return ex;
    ex = CLI_EXIT_FAIL;
    struct collected *col = fn_calloc(1, sizeof *col);
    json_t *report = NULL;
    struct fn_buf html;
    fn_buf_init(&html, 4 * 1024 * 1024);
    if (!col)
        goto out;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    col->year_now = tm.tm_year + 1900;
    col->overrides = json_object();
    col->override_list = json_array();
    struct store_actor actor;
    ex = cli_user_actor("evaluate", st, user,
                        "Evaluation Pilotbericht (Untergruppenprüfung, Art. 10 Abs. 5 KI-VO)", &who,
                        &actor);
    if (ex)
        goto out;
    ex = CLI_EXIT_FAIL;
    fn_status rc = store_decisions_each(st, &actor, collect, col);
    if (rc == FN_DENIED) {
        cli_store_refused("evaluate", &actor, rc);
        goto out;
    }
    if (rc) {
        cli_error("evaluate", "Lesen fehlgeschlagen: %s", fn_status_str(rc));
        goto out;
    }
    struct eval_kappa k;
    eval_kappa(col->rec, col->n, &k);
    size_t overrides = 0;
    for (size_t i = 0; i < col->n; i++)
        overrides += col->rec[i].override != 0;
    struct eval_group by_sex[4], by_age[4], by_nat[MAX_NAT_GROUPS];
    const char *nat_labels[MAX_NAT_GROUPS];
    for (size_t i = 0; i < MAX_NAT_GROUPS; i++)
        nat_labels[i] = i < col->nnat ? col->nat_codes[i] : "andere/unbekannt";
    for (size_t i = 0; i < col->n; i++)
        col->rec[i].group = col->sex_group[i];
    eval_groups(col->rec, col->n, 4, by_sex);
    for (size_t i = 0; i < col->n; i++)
        col->rec[i].group = col->age_group[i];
    eval_groups(col->rec, col->n, 4, by_age);
    for (size_t i = 0; i < col->n; i++)
        col->rec[i].group = col->nat_group[i];
    eval_groups(col->rec, col->n, MAX_NAT_GROUPS, by_nat);

    json_t *changes = json_array();
    size_t compared = 0;
    if (compare && changes) {
        rc = compare_catalogues(st, &actor, compare, catalog, today_arg, changes, &compared);
        if (rc) {
            cli_error("evaluate", "Katalogvergleich fehlgeschlagen: %s", fn_status_str(rc));
            json_decref(changes);
            goto out;
        }
    }
    report =
        json_pack("{s:I, s:{s:f, s:f, s:f, s:f, s:f, s:[[I,I],[I,I]]}, s:{s:I, s:f, s:O}, "
                  "s:{s:o, s:o, s:o}, s:s}",
                  "entscheidungen", (json_int_t)col->n, "kappa", "wert", k.kappa, "ki_95_unten",
                  k.ci_low, "ki_95_oben", k.ci_high, "beobachtete_uebereinstimmung", k.observed,
                  "zufallsuebereinstimmung", k.expected, "tabelle_empfohlen_x_aufgenommen",
                  (json_int_t)k.table[0][0], (json_int_t)k.table[0][1], (json_int_t)k.table[1][0],
                  (json_int_t)k.table[1][1], "abweichungen", "anzahl", (json_int_t)overrides,
                  "quote", col->n ? (double)overrides / (double)col->n : 0.0, "nach_art",
                  col->overrides, "untergruppen", "geschlecht", groups_json(by_sex, 4, sex_labels),
                  "altersgruppe", groups_json(by_age, 4, age_labels), "staatsangehoerigkeit",
                  groups_json(by_nat, MAX_NAT_GROUPS, nat_labels), "hinweis",
                  "Empfohlen = keine Sperre und Band A oder B. Die Untergruppenmerkmale "
                  "werden nur für diese Prüfung gelesen. Kappa und Quoten beschreiben die "
                  "Praxis, sie sagen nichts über einzelne Personen.");
    if (report)
        json_object_set(json_object_get(report, "abweichungen"), "liste", col->override_list);
    if (report && compare)
        json_object_set_new(report, "katalogvergleich",
                            json_pack("{s:s, s:I, s:o}", "alt", compare, "personen",
                                      (json_int_t)compared, "aenderungen", changes));
    else
        json_decref(changes);
    if (!report || fn_mkdir_p(out) != FN_OK) {
        cli_error("evaluate", "%s: Bericht kann nicht angelegt werden", out);
        goto out;
    }
    char path[4096];
    char *text = json_dumps(report, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    snprintf(path, sizeof path, "%s/report.json", out);
    rc = text ? fn_write_file_atomic(path, text, strlen(text)) : FN_NOMEM;
    free(text);
    if (!rc)
        rc = fn_buf_appendf(
            &html,
            "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>Evaluation "
            "Initialbewertung</title><style>body{font-family:system-ui,sans-serif;margin:24px;"
            "max-width:900px}td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:"
            "left}</style></head><body><h1>Evaluation der Initialbewertung</h1>"
            "<p>%zu Entscheidungen. Empfohlen heißt: keine Sperre und Band A oder B. Die "
            "Bewertung ordnet die Arbeit; entschieden haben benannte Personen.</p>"
            "<h2>Übereinstimmung</h2><p>Cohens Kappa <b>%.2f</b> (95-%%-KI %.2f bis %.2f); "
            "beobachtete Übereinstimmung %.0f %%, zufällig erwartet %.0f %%.</p>"
            "<table><tr><th></th><th>abgelehnt</th><th>aufgenommen</th></tr>"
            "<tr><th>nicht empfohlen</th><td>%zu</td><td>%zu</td></tr>"
            "<tr><th>empfohlen</th><td>%zu</td><td>%zu</td></tr></table>"
            "<h2>Abweichungen</h2><p>%zu von %zu Entscheidungen (%.0f %%) weichen von der "
            "Bewertung ab; Abweichungen sind vorgesehen und begründet.</p>"
            "<h2>Untergruppenprüfung</h2><p>Auswahlquote (Aufnahme) je Gruppe; rot: weniger "
            "als vier Fünftel der höchsten Quote (ab 5 Entscheidungen je Gruppe). Die Merkmale "
            "werden nur hier gelesen, nie in der Bewertung.</p>",
            col->n, k.kappa, k.ci_low, k.ci_high, 100.0 * k.observed, 100.0 * k.expected,
            k.table[0][0], k.table[0][1], k.table[1][0], k.table[1][1], overrides, col->n,
            col->n ? 100.0 * (double)overrides / (double)col->n : 0.0);
    if (!rc)
        rc = svg_bars(&html, "Geschlecht", by_sex, 4, sex_labels);
    if (!rc)
        rc = svg_bars(&html, "Altersgruppe", by_age, 4, age_labels);
    if (!rc)
        rc = svg_bars(&html, "Staatsangehörigkeit", by_nat, MAX_NAT_GROUPS, nat_labels);
    if (!rc && json_array_size(col->override_list)) {
        rc = fn_buf_append_str(&html, "<h3>Abweichungen mit Begründung</h3><table><tr>"
                                      "<th>Person</th><th>Abweichung</th><th>Begründung</th></tr>");
        size_t oi;
        json_t *ov;
        json_array_foreach(col->override_list, oi, ov)
        {
            if (rc || oi >= 500)
                break;
            struct fn_buf kind, reason;
            fn_buf_init(&kind, FN_BUF_SMALL);
            fn_buf_init(&reason, FN_BUF_SMALL);
            const char *kind_text =
                html_text(&kind, json_string_value(json_object_get(ov, "abweichung")));
            const char *reason_text =
                html_text(&reason, json_string_value(json_object_get(ov, "begruendung")));
            if (!kind_text || !reason_text)
                rc = FN_TOO_LARGE;
            if (!rc)
                rc = fn_buf_appendf(&html, "<tr><td>%lld</td><td>%s</td><td>%s</td></tr>",
                                    (long long)json_integer_value(json_object_get(ov, "person")),
                                    kind_text, reason_text);
            fn_buf_free(&kind);
            fn_buf_free(&reason);
        }
        if (!rc)
            rc = fn_buf_append_str(&html, "</table>");
    }
    json_t *cmp = report ? json_object_get(report, "katalogvergleich") : NULL;
    if (!rc && cmp) {
        json_t *arr = json_object_get(cmp, "aenderungen");
        struct fn_buf before, after;
        fn_buf_init(&before, FN_BUF_SMALL);
        fn_buf_init(&after, FN_BUF_SMALL);
        const char *compare_text = html_text(&before, compare);
        rc = compare_text ? FN_OK : FN_TOO_LARGE;
        if (!rc)
            rc = fn_buf_appendf(&html,
                                "<h2>Katalogvergleich</h2><p>%zu Personen neu bewertet; %zu ändern "
                                "Band oder Sperre gegenüber %s.</p><table><tr><th>Person</th>"
                                "<th>bisher</th><th>neu</th></tr>",
                                (size_t)json_integer_value(json_object_get(cmp, "personen")),
                                json_array_size(arr), compare_text);
        size_t i;
        json_t *v;
        json_array_foreach(arr, i, v)
        {
            if (rc || i >= 500)
                break;
            const char *before_text =
                html_text(&before, json_string_value(json_object_get(v, "bisher")));
            const char *after_text =
                html_text(&after, json_string_value(json_object_get(v, "neu")));
            if (!before_text || !after_text)
                rc = FN_TOO_LARGE;
            if (!rc)
                rc = fn_buf_appendf(&html, "<tr><td>%lld</td><td>%s</td><td>%s</td></tr>",
                                    (long long)json_integer_value(json_object_get(v, "person")),
                                    before_text, after_text);
        }
        fn_buf_free(&before);
        fn_buf_free(&after);
        if (!rc)
            rc = fn_buf_append_str(&html, "</table>");
    }
    if (!rc)
        rc = fn_buf_append_str(&html, "</body></html>\n");
    snprintf(path, sizeof path, "%s/report.html", out);
    if (!rc)
        rc = fn_write_file_atomic(path, html.data, html.len);
    if (rc) {
        cli_error("evaluate", "%s: Schreiben fehlgeschlagen (%s)", out, fn_status_str(rc));
        goto out;
    }
    printf("Evaluation: %zu Entscheidungen, Kappa %.2f (95-%%-KI %.2f bis %.2f), %zu "
           "Abweichungen. Bericht in %s/report.html und report.json\n",
           col->n, k.kappa, k.ci_low, k.ci_high, overrides, out);
    ex = CLI_EXIT_OK;
out:
    cli_identity_clear(&who);
    json_decref(report);
    if (col) {
        json_decref(col->overrides);
        json_decref(col->override_list);
        fn_free(col->rec);
        fn_free(col->age_group);
        fn_free(col->nat_group);
        fn_free(col->sex_group);
        fn_free(col);
    }
    fn_buf_free(&html);
    store_close(st);
    return ex;
}
