/*
 * cli_evaluate.c – `fallnetz evaluate --out DIR`: the evaluation for the
 * pilot report (src/assess/evaluate.h: one decision per person and period,
 * by catalogue hash, bands and gates of the whole population per subgroup,
 * band against outcome, small cells suppressed, the AI Act section).
 * Filters --from, --to, --region. Writes report.json, report.html and
 * report.csv. For roles that may read decisions (sachbearbeitung,
 * koordination) the HTML also lists each departure with its reason; with
 * --compare, the persons whose band or gate changes between two catalogues.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assess/assess_person.h"
#include "assess/catalog.h"
#include "assess/eval_render.h"
#include "assess/evaluate.h"
#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/file.h"
#include "core/pdate.h"
#include "core/utf8.h"

/* The departures with their reasons (persons named: decide access only). */
static fn_status collect_override(void *ctx, const struct store_decision_row *row)
{
    json_t *list = ctx;
    if (!row->override_kind)
        return FN_OK;
    /* jansson refuses malformed UTF-8; a bad byte in one recorded reason
     * must not stop the report (U+FFFD instead). */
    struct fn_buf override_text, reason_text;
    fn_buf_init(&override_text, FN_BUF_SMALL);
    fn_buf_init(&reason_text, FN_BUF_SMALL);
    const char *reason = row->reason ? row->reason : "";
    fn_status rc =
        fn_utf8_sanitize(&override_text, row->override_kind, strlen(row->override_kind), NULL);
    if (!rc)
        rc = fn_utf8_sanitize(&reason_text, reason, strlen(reason), NULL);
    if (!rc &&
        json_array_append_new(
            list, json_pack("{s:I, s:s, s:s}", "person", (json_int_t)row->person_id, "abweichung",
                            fn_buf_str(&override_text), "begruendung", fn_buf_str(&reason_text))))
        rc = FN_NOMEM;
    fn_buf_free(&override_text);
    fn_buf_free(&reason_text);
    return rc;
}

/* s (NULL = "") escaped for HTML in tmp, which is emptied first; NULL when
 * tmp's cap or memory runs out. The result lives until tmp changes. */
static const char *html_text(struct fn_buf *tmp, const char *s)
{
    fn_buf_reset(tmp);
    const char *t = s ? s : "";
    return fn_html_escape(tmp, t, strlen(t)) == FN_OK ? fn_buf_str(tmp) : NULL;
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

/* One table row of a person: its number and the two text members first
 * and second of row, HTML-escaped. */
static fn_status person_row_html(struct fn_buf *h, const json_t *row, const char *first,
                                 const char *second)
{
    struct fn_buf a, b;
    fn_buf_init(&a, FN_BUF_SMALL);
    fn_buf_init(&b, FN_BUF_SMALL);
    const char *a_text = html_text(&a, json_string_value(json_object_get(row, first)));
    const char *b_text = html_text(&b, json_string_value(json_object_get(row, second)));
    fn_status rc = a_text && b_text ? FN_OK : FN_TOO_LARGE;
    if (!rc)
        rc = fn_buf_appendf(h, "<tr><td>%lld</td><td>%s</td><td>%s</td></tr>",
                            (long long)json_integer_value(json_object_get(row, "person")), a_text,
                            b_text);
    fn_buf_free(&a);
    fn_buf_free(&b);
    return rc;
}

/* The list of departures as an HTML table (at most 500 rows). */
static fn_status overrides_html(struct fn_buf *h, const json_t *list)
{
    if (!json_array_size(list))
        return FN_OK;
    fn_status rc =
        fn_buf_append_str(h, "<h3>Abweichungen mit Begründung</h3><table><tr>"
                             "<th>Person</th><th>Abweichung</th><th>Begründung</th></tr>");
    size_t oi;
    json_t *ov;
    json_array_foreach(list, oi, ov)
    {
        if (rc || oi >= 500)
            break;
        rc = person_row_html(h, ov, "abweichung", "begruendung");
    }
    return rc ? rc : fn_buf_append_str(h, "</table>");
}

/* The catalogue comparison as an HTML section. */
static fn_status compare_html(struct fn_buf *h, const json_t *cmp, const char *compare)
{
    json_t *arr = json_object_get(cmp, "aenderungen");
    struct fn_buf tmp;
    fn_buf_init(&tmp, FN_BUF_SMALL);
    const char *compare_text = html_text(&tmp, compare);
    fn_status rc = compare_text ? FN_OK : FN_TOO_LARGE;
    if (!rc)
        rc = fn_buf_appendf(h,
                            "<h2>Katalogvergleich</h2><p>%zu Personen neu bewertet; %zu ändern "
                            "Band oder Sperre gegenüber %s.</p><table><tr><th>Person</th>"
                            "<th>bisher</th><th>neu</th></tr>",
                            (size_t)json_integer_value(json_object_get(cmp, "personen")),
                            json_array_size(arr), compare_text);
    fn_buf_free(&tmp);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (rc || i >= 500)
            break;
        rc = person_row_html(h, v, "bisher", "neu");
    }
    return rc ? rc : fn_buf_append_str(h, "</table>");
}

/* Writes text to DIR/name atomically. */
static fn_status write_out(const char *dir, const char *name, const char *data, size_t len)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return FN_TOO_LARGE;
    return fn_write_file_atomic(path, data, len);
}

/* The year ages are counted at: the period's end, else now. */
static int reference_year(const char *to)
{
    if (to && strlen(to) >= 4)
        return (int)strtol(to, NULL, 10);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return tm.tm_year + 1900;
}

int cli_evaluate(int argc, char **argv)
{
    static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"user", required_argument, NULL, 'u'},
                                         {"compare", required_argument, NULL, 'c'},
                                         {"catalog", required_argument, NULL, 'k'},
                                         {"today", required_argument, NULL, 't'},
                                         {"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 'b'},
                                         {"region", required_argument, NULL, 'r'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *out = NULL, *db = CLI_DEFAULT_DB, *user = NULL, *compare = NULL;
    const char *catalog = NULL, *today_arg = NULL;
    struct store_eval_filter filter = {0};
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
        case 'f':
            filter.from = optarg;
            break;
        case 'b':
            filter.to = optarg;
            break;
        case 'r':
            filter.region = optarg;
            break;
        case 'h':
            printf(
                "Aufruf: fallnetz evaluate --out ORDNER [--db PFAD] [--user KENNUNG]\n"
                "                         [--from JJJJ-MM-TT] [--to JJJJ-MM-TT] [--region CODE]\n"
                "                         [--compare ALT.cat [--catalog NEU.cat]]\n\n"
                "Evaluation für den Pilotbericht. Je Person zählt die letzte Entscheidung im\n"
                "Zeitraum (frühere als Verlauf), gruppiert nach Katalog-Prüfsumme und Version:\n"
                "Übereinstimmung mit der Bewertung (Cohens Kappa mit 95-%%-Konfidenzintervall),\n"
                "Abweichungen, Bänder und Sperren des ganzen Bestands (letzte Bewertung je\n"
                "Person bis zum Ende des Zeitraums) je Region, Behörde, Geschlecht, Altersgruppe\n"
                "und Staatsangehörigkeit (4/5-Regel markiert), Band gegen Fallergebnis und die\n"
                "Dokumentation zu Art. 9–15 KI-Verordnung. Zählwerte 1 bis 4 sind unterdrückt.\n"
                "Die Merkmale werden nur für diese Prüfung gelesen, nie für die Bewertung.\n"
                "Mit --compare: welche Personen zwischen zwei Katalogversionen Band oder\n"
                "Sperre wechseln (NEU: --catalog, Vorgabe wie bei assess).\n"
                "Schreibt report.json, report.html und report.csv in ORDNER.\n");
            return CLI_EXIT_OK;
        default:
            return CLI_EXIT_USAGE;
        }
    }
    if (!out || optind < argc) {
        cli_error("evaluate", "--out ORDNER ist Pflicht (fallnetz evaluate --help)");
        return CLI_EXIT_USAGE;
    }
    const char *bad = eval_filter_check(&filter);
    if (bad) {
        cli_error("evaluate", "%s", bad);
        return CLI_EXIT_USAGE;
    }
    struct store *st = NULL;
    struct cli_identity who = {0};
    int ex = cli_open_store("evaluate", db, 0, &st);
    if (ex)
        return ex;
    ex = CLI_EXIT_FAIL;
    struct eval_report *rep = NULL;
    json_t *report = NULL, *overrides = json_array(), *changes = json_array();
    struct fn_buf html, csv;
    fn_buf_init(&html, 16 * 1024 * 1024);
    fn_buf_init(&csv, 16 * 1024 * 1024);
    struct store_actor actor;
    ex = cli_user_actor("evaluate", st, user,
                        "Evaluation Pilotbericht (Untergruppenprüfung, Art. 10 Abs. 5 KI-VO)", &who,
                        &actor);
    if (ex)
        goto out;
    ex = CLI_EXIT_FAIL;
    fn_status rc = eval_report_new(reference_year(filter.to), &rep);
    if (!rc)
        rc = eval_collect(st, &actor, &filter, rep);
    if (rc == FN_DENIED) {
        cli_store_refused("evaluate", &actor, rc);
        goto out;
    }
    if (rc == FN_NOTFOUND) {
        cli_error("evaluate", "Region %s ist unbekannt", filter.region);
        ex = CLI_EXIT_USAGE;
        goto out;
    }
    if (rc) {
        cli_error("evaluate", "Lesen fehlgeschlagen: %s", fn_status_str(rc));
        goto out;
    }
    /* the departures with reasons name persons: only for roles that may
     * read decisions (statistik may not, and gets the counts alone) */
    rc = store_decisions_each(st, &actor, collect_override, overrides);
    int person_level = rc == FN_OK;
    if (rc && rc != FN_DENIED)
        cli_error("evaluate", "Abweichungsliste nicht erstellt: %s", fn_status_str(rc));
    size_t compared = 0;
    if (compare && person_level) {
        rc = compare_catalogues(st, &actor, compare, catalog, today_arg, changes, &compared);
        if (rc) {
            cli_error("evaluate", "Katalogvergleich fehlgeschlagen: %s", fn_status_str(rc));
            goto out;
        }
    }
    report = eval_report_json(rep, &filter);
    if (report && person_level)
        json_object_set(json_object_get(report, "entscheidungen"), "abweichungen_liste", overrides);
    if (report && compare && person_level)
        json_object_set_new(report, "katalogvergleich",
                            json_pack("{s:s, s:I, s:O}", "alt", compare, "personen",
                                      (json_int_t)compared, "aenderungen", changes));
    if (!report || fn_mkdir_p(out) != FN_OK) {
        cli_error("evaluate", "%s: Bericht kann nicht angelegt werden", out);
        goto out;
    }
    char *text = json_dumps(report, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    rc = text ? write_out(out, "report.json", text, strlen(text)) : FN_NOMEM;
    free(text);
    if (!rc)
        rc = fn_buf_append_str(
            &html,
            "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>Evaluation "
            "Initialbewertung</title><style>body{font-family:system-ui,sans-serif;margin:24px;"
            "max-width:1100px}td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:"
            "left}</style></head><body><h1>Evaluation der Initialbewertung</h1>"
            "<p>Die Bewertung ordnet die Arbeit; entschieden haben benannte Personen.</p>");
    if (!rc)
        rc = eval_render_html(report, &html);
    if (!rc && person_level)
        rc = overrides_html(&html, overrides);
    json_t *cmp = json_object_get(report, "katalogvergleich");
    if (!rc && cmp)
        rc = compare_html(&html, cmp, compare);
    if (!rc)
        rc = fn_buf_append_str(&html, "</body></html>\n");
    if (!rc)
        rc = write_out(out, "report.html", html.data, html.len);
    if (!rc)
        rc = eval_render_csv(report, &csv);
    if (!rc)
        rc = write_out(out, "report.csv", csv.data, csv.len);
    if (rc) {
        cli_error("evaluate", "%s: Schreiben fehlgeschlagen (%s)", out, fn_status_str(rc));
        goto out;
    }
    const json_t *k = json_object_get(json_object_get(report, "entscheidungen"), "kappa");
    const json_t *kv = json_object_get(k, "wert");
    printf("Evaluation: %lld Personen mit Entscheidung, Kappa %s. Bericht in %s/report.html, "
           "report.json und report.csv\n",
           (long long)json_integer_value(
               json_object_get(json_object_get(report, "entscheidungen"), "personen")),
           json_is_real(kv) ? "berechnet" : "nicht ausgewiesen (zu wenige)", out);
    if (json_is_real(kv))
        printf("Kappa %.2f (95-%%-KI %.2f bis %.2f)\n", json_real_value(kv),
               json_real_value(json_object_get(k, "ki_95_unten")),
               json_real_value(json_object_get(k, "ki_95_oben")));
    ex = CLI_EXIT_OK;
out:
    cli_identity_clear(&who);
    json_decref(report);
    json_decref(overrides);
    json_decref(changes);
    eval_report_free(rep);
    fn_buf_free(&html);
    fn_buf_free(&csv);
    store_close(st);
    return ex;
}
