/* rec_output.c – the output folder: CSV files, summary.json, report.html
 * (rec_internal.h, docs/reconcile.md "Output folder"). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/escape.h"
#include "core/file.h"
#include "reconcile/rec_internal.h"

/* Officials open these files in a spreadsheet: a value that starts like a
 * formula (= + - @, tab, CR) is written as text ('=…), never executed. The
 * register values come from outside, so every CSV of the folder is guarded. */
#define REC_CSV_FLAGS FN_CSV_EXCEL_SAFE

static fn_status open_out(const char *dir, const char *name, struct fn_atomic_file *f)
{
    char path[4096];
    int k = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (k < 0 || (size_t)k >= sizeof path)
        return FN_TOO_LARGE;
    return fn_atomic_open(f, path);
}

static fn_status finish_out(struct fn_atomic_file *f, fn_status rc, struct fn_csv_writer *w)
{
    if (!rc && w && w->failed)
        rc = FN_IO;
    if (rc) {
        fn_atomic_abort(f);
        return rc;
    }
    return fn_atomic_commit(f);
}

#define PUT(expr)                                                                                  \
    do {                                                                                           \
        rc = (expr);                                                                               \
        if (rc)                                                                                    \
            goto out;                                                                              \
    } while (0)

static fn_status write_row_strings(struct fn_csv_writer *w, const char *const *f, size_t n)
{
    return fn_csv_put_row(w, f, n);
}

static fn_status write_matches(const char *dir, const struct side *a, const struct side *b,
                               const struct result *r)
{
    struct fn_atomic_file f;
    struct fn_csv_writer w;
    fn_status rc = open_out(dir, "matches.csv", &f);
    if (rc)
        return rc;
    PUT(fn_csv_writer_init(&w, f.fp, REC_CSV_FLAGS));
    static const char *const head[] = {"local_id",    "azr_id",      "weight",
                                       "probability", "differences", "round"};
    PUT(write_row_strings(&w, head, 6));
    size_t d = 0;
    for (size_t k = 0; k < r->nmatches; k++) {
        const struct assign_pair *m = &r->matches[k];
        size_t nd = 0;
        while (d < r->ndiffs && r->diffs[d].a == m->a && r->diffs[d].b == m->b) {
            d++;
            nd++;
        }
        PUT(fn_csv_put_str(&w, V(a, m->a, REG_RECORD_ID)));
        PUT(fn_csv_put_str(&w, V(b, m->b, REG_RECORD_ID)));
        PUT(fn_csv_put_double(&w, m->w, 2));
        /* posterior among all pairs, with the prior the threshold uses */
        double lp = log2(r->prior / (1.0 - r->prior));
        PUT(fn_csv_put_double(&w, 1.0 / (1.0 + exp2(-(m->w + lp))), 4));
        PUT(fn_csv_put_long(&w, (long long)nd));
        PUT(fn_csv_put_long(&w, r->match_round[m->a]));
        PUT(fn_csv_end_row(&w));
    }
out:
    return finish_out(&f, rc, &w);
}

static fn_status write_diffs(const char *dir, const struct side *a, const struct side *b,
                             const struct result *r)
{
    struct fn_atomic_file f;
    struct fn_csv_writer w;
    fn_status rc = open_out(dir, "diffs.csv", &f);
    if (rc)
        return rc;
    PUT(fn_csv_writer_init(&w, f.fp, REC_CSV_FLAGS));
    static const char *const head[] = {"local_id",  "azr_id",         "field", "local_value",
                                       "azr_value", "likely_correct", "reason"};
    PUT(write_row_strings(&w, head, 7));
    static const char *const sides[] = {"unknown", "local", "azr"};
    for (size_t k = 0; k < r->ndiffs; k++) {
        const struct diff *x = &r->diffs[k];
        const char *row[7] = {V(a, x->a, REG_RECORD_ID),      V(b, x->b, REG_RECORD_ID),
                              register_column_name(x->field), V(a, x->a, x->field),
                              V(b, x->b, x->field),           sides[x->side],
                              rec_rule_ids[x->rule]};
        PUT(write_row_strings(&w, row, 7));
    }
out:
    return finish_out(&f, rc, &w);
}

static fn_status write_unmatched(const char *dir, const char *name, const struct side *s,
                                 const unsigned char *linked)
{
    struct fn_atomic_file f;
    struct fn_csv_writer w;
    fn_status rc = open_out(dir, name, &f);
    if (rc)
        return rc;
    PUT(fn_csv_writer_init(&w, f.fp, REC_CSV_FLAGS));
    static const char *const head[] = {"record_id",   "azr_nr",     "family_name",
                                       "given_names", "birth_date", "nationality"};
    PUT(write_row_strings(&w, head, 6));
    for (size_t i = 0; i < s->n; i++) {
        if (linked[i])
            continue;
        const char *row[6] = {V(s, i, REG_RECORD_ID),   V(s, i, REG_AZR_NR),
                              V(s, i, REG_FAMILY_NAME), V(s, i, REG_GIVEN_NAMES),
                              V(s, i, REG_BIRTH_DATE),  V(s, i, REG_NATIONALITY)};
        PUT(write_row_strings(&w, row, 6));
    }
out:
    return finish_out(&f, rc, &w);
}

static fn_status write_conflicts(const char *dir, const struct side *a, const struct side *b,
                                 const struct result *r)
{
    struct fn_atomic_file f;
    struct fn_csv_writer w;
    fn_status rc = open_out(dir, "conflicts.csv", &f);
    if (rc)
        return rc;
    PUT(fn_csv_writer_init(&w, f.fp, REC_CSV_FLAGS));
    static const char *const head[] = {"kind", "local_id", "azr_id", "weight", "detail"};
    PUT(write_row_strings(&w, head, 5));
    for (size_t k = 0; k < r->nconflicts; k++) {
        const struct assign_conflict *c = &r->conflicts[k];
        int tied = c->kind == ASSIGN_TIED;
        PUT(fn_csv_put_str(&w, tied ? "tied" : "contested"));
        PUT(fn_csv_put_str(&w, V(a, c->a, REG_RECORD_ID)));
        PUT(fn_csv_put_str(&w, V(b, c->b, REG_RECORD_ID)));
        PUT(fn_csv_put_double(&w, c->w, 2));
        PUT(fn_csv_put_str(&w, tied ? "zwei AZR-Datensätze passen gleich gut"
                                    : "der AZR-Datensatz passt besser zu einem anderen "
                                      "lokalen Datensatz"));
        PUT(fn_csv_end_row(&w));
    }
    for (size_t k = 0; k < r->nazr_conflicts; k++) {
        PUT(fn_csv_put_str(&w, "azr_nr_other_person"));
        PUT(fn_csv_put_str(&w, V(a, r->azr_conflict_a[k], REG_RECORD_ID)));
        PUT(fn_csv_put_str(&w, V(b, r->azr_conflict_b[k], REG_RECORD_ID)));
        PUT(fn_csv_put_str(&w, ""));
        PUT(fn_csv_put_str(&w, "die AZR-Nummer gehört im AZR zu einer anderen Person"));
        PUT(fn_csv_end_row(&w));
    }
out:
    return finish_out(&f, rc, &w);
}

static fn_status write_rejected(const char *dir, const struct rejects *rj)
{
    struct fn_atomic_file f;
    struct fn_csv_writer w;
    fn_status rc = open_out(dir, "rejected.csv", &f);
    if (rc)
        return rc;
    PUT(fn_csv_writer_init(&w, f.fp, REC_CSV_FLAGS));
    static const char *const head[] = {"file", "line", "reason"};
    PUT(write_row_strings(&w, head, 3));
    for (size_t k = 0; k < rj->n; k++) {
        PUT(fn_csv_put_str(&w, rj->r[k].file));
        PUT(fn_csv_put_long(&w, rj->r[k].line));
        PUT(fn_csv_put_str(&w, rj->r[k].reason));
        PUT(fn_csv_end_row(&w));
    }
out:
    return finish_out(&f, rc, &w);
}

static size_t count_field(const struct result *r, int field, int side)
{
    size_t n = 0;
    for (size_t k = 0; k < r->ndiffs; k++)
        if ((field < 0 || r->diffs[k].field == field) && (side < 0 || r->diffs[k].side == side))
            n++;
    return n;
}

static size_t pairs_with_diffs(const struct result *r)
{
    size_t n = 0;
    for (size_t k = 0; k < r->ndiffs; k++)
        if (k == 0 || r->diffs[k].a != r->diffs[k - 1].a || r->diffs[k].b != r->diffs[k - 1].b)
            n++;
    return n;
}

static fn_status write_summary(const char *dir, const struct side *a, const struct side *b,
                               const struct rejects *rj, const struct result *r, size_t rej_a,
                               size_t rej_b)
{
    fn_status rc = FN_NOMEM;
    char *text = NULL;
    json_t *o = json_object(), *in = json_object(), *res = json_object(), *df = json_object(),
           *lc = json_object(), *rules = json_object(), *tm = json_object(), *mo = json_object();
    if (!o || !in || !res || !df || !lc || !rules || !tm || !mo)
        goto out;
    json_object_set_new(in, "local_file", json_string(a->path));
    json_object_set_new(in, "azr_file", json_string(b->path));
    json_object_set_new(in, "local_rows", json_integer((json_int_t)a->rows_read));
    json_object_set_new(in, "azr_rows", json_integer((json_int_t)b->rows_read));
    json_object_set_new(in, "local_records", json_integer((json_int_t)a->n));
    json_object_set_new(in, "azr_records", json_integer((json_int_t)b->n));
    json_object_set_new(in, "local_rejected", json_integer((json_int_t)rej_a));
    json_object_set_new(in, "azr_rejected", json_integer((json_int_t)rej_b));
    json_object_set_new(in, "rejected_not_listed", json_integer((json_int_t)rj->dropped));
    size_t nm = r->nmatches;
    json_object_set_new(res, "matches", json_integer((json_int_t)nm));
    json_object_set_new(res, "matches_with_differences",
                        json_integer((json_int_t)pairs_with_diffs(r)));
    json_object_set_new(res, "unmatched_local", json_integer((json_int_t)(a->n - nm)));
    json_object_set_new(res, "unmatched_azr", json_integer((json_int_t)(b->n - nm)));
    json_object_set_new(res, "conflicts",
                        json_integer((json_int_t)(r->nconflicts + r->nazr_conflicts)));
    json_object_set_new(res, "differences", json_integer((json_int_t)r->ndiffs));
    json_object_set_new(res, "match_rate_local", json_real(a->n ? (double)nm / (double)a->n : 0.0));
    json_object_set_new(res, "discrepant_pair_rate",
                        json_real(nm ? (double)pairs_with_diffs(r) / (double)nm : 0.0));
    for (int c = 0; c < REG_COLUMN_COUNT; c++) {
        size_t n = count_field(r, c, -1);
        if (n)
            json_object_set_new(df, register_column_name(c), json_integer((json_int_t)n));
    }
    json_object_set_new(lc, "local", json_integer((json_int_t)count_field(r, -1, 1)));
    json_object_set_new(lc, "azr", json_integer((json_int_t)count_field(r, -1, 2)));
    json_object_set_new(lc, "unknown", json_integer((json_int_t)count_field(r, -1, 0)));
    for (size_t k = 0; k < sizeof rec_rule_ids / sizeof rec_rule_ids[0]; k++) {
        size_t n = 0;
        for (size_t d = 0; d < r->ndiffs; d++)
            n += r->diffs[d].rule == k;
        json_object_set_new(rules, rec_rule_ids[k], json_integer((json_int_t)n));
    }
    json_object_set_new(mo, "candidate_pairs", json_integer((json_int_t)r->candidate_pairs));
    json_object_set_new(mo, "block_cap", json_integer((json_int_t)r->block_cap));
    json_object_set_new(mo, "oversized_blocks_skipped",
                        json_integer((json_int_t)r->skipped_blocks));
    json_object_set_new(mo, "em_iterations", json_integer(r->em_iterations));
    json_object_set_new(mo, "em_pairs", json_integer((json_int_t)r->mb_pairs));
    json_object_set_new(mo, "assignment_rounds", json_integer(r->assign_rounds));
    json_object_set_new(mo, "match_share", json_real(r->fm.p));
    json_object_set_new(mo, "estimated_true_pairs", json_real(r->est_matches));
    json_object_set_new(mo, "prior", json_real(r->prior));
    json_object_set_new(mo, "distinct_names", json_integer((json_int_t)r->names_distinct));
    json_object_set_new(mo, "distinct_places", json_integer((json_int_t)r->places_distinct));
    json_object_set_new(mo, "threshold_weight", json_real(r->threshold));
    json_object_set_new(mo, "household_competitors", json_integer((json_int_t)r->competitors));
    /* the weight of every level of every field (log2 m/u; a missing value
     * weighs 0), as --explain uses them: what a link rests on */
    json_t *wt = json_object();
    for (int f = 0; wt && f < NF; f++) {
        json_t *lv = json_object();
        for (int l = 0; lv && l < rec_field_nlevels[f]; l++)
            json_object_set_new(lv, rec_level_label(f, l), json_real(r->fm.weight[f][l]));
        json_object_set_new(wt, rec_field_labels[f], lv ? lv : json_null());
    }
    json_object_set_new(mo, "weights", wt ? wt : json_null());
    json_object_set_new(tm, "load_s", json_real(r->t_load));
    json_object_set_new(tm, "keys_s", json_real(r->t_keys));
    json_object_set_new(tm, "score_s", json_real(r->t_score));
    json_object_set_new(tm, "model_assign_s", json_real(r->t_model));
    json_object_set_new(tm, "diffs_s", json_real(r->t_diffs));
    /* the comparison loop alone: candidates found and compared */
    json_object_set_new(tm, "compare_s", json_real(r->t_compare));
    json_object_set_new(tm, "compare_cpu_s", json_real(r->t_compare_cpu));
    json_object_set_new(tm, "threads", json_integer(r->threads));
    json_object_set_new(tm, "pairs_per_second_per_thread",
                        json_real(r->t_compare > 0 && r->threads
                                      ? (double)r->candidate_pairs / r->t_compare / r->threads
                                      : 0.0));
    /* per second of CPU time: what a core does, without the time a shared
     * machine gave to other guests */
    json_object_set_new(
        tm, "pairs_per_cpu_second",
        json_real(r->t_compare_cpu > 0 ? (double)r->candidate_pairs / r->t_compare_cpu : 0.0));
    json_object_set_new(o, "input", in);
    json_object_set_new(o, "result", res);
    json_object_set_new(o, "differences_by_field", df);
    json_object_set_new(o, "likely_correct", lc);
    json_object_set_new(o, "rules", rules);
    json_object_set_new(o, "model", mo);
    json_object_set_new(o, "timings", tm);
    in = res = df = lc = rules = tm = mo = NULL;
    text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text)
        goto out;
    char path[4096];
    int k = snprintf(path, sizeof path, "%s/summary.json", dir);
    if (k < 0 || (size_t)k >= sizeof path) {
        rc = FN_TOO_LARGE;
        goto out;
    }
    rc = fn_write_file_atomic(path, text, strlen(text));
out:
    free(text);
    json_decref(o);
    json_decref(in);
    json_decref(res);
    json_decref(df);
    json_decref(lc);
    json_decref(rules);
    json_decref(tm);
    json_decref(mo);
    return rc;
}

/* Writes s escaped for HTML (core/escape); a value too large for the
 * buffer is written as U+FFFD rather than unescaped. */
static void html_escape(FILE *fp, const char *s)
{
    struct fn_buf b;
    fn_buf_init(&b, FN_BUF_LINE);
    if (fn_html_escape(&b, s, strlen(s)) == FN_OK)
        fputs(fn_buf_str(&b), fp);
    else
        fputs("\xEF\xBF\xBD", fp);
    fn_buf_free(&b);
}

static const char *field_de(int c)
{
    static const char *const de[REG_COLUMN_COUNT] = {"Datensatz-ID",      "AZR-Nummer",
                                                     "Familienname",      "Vornamen",
                                                     "Geburtsname",       "Geschlecht",
                                                     "Geburtsdatum",      "Geburtsort",
                                                     "Geburtsstaat",      "Staatsangehörigkeit",
                                                     "Aufenthaltsstatus", "Aufenthalt seit",
                                                     "Identitätsstatus",  "Straße",
                                                     "Postleitzahl",      "Wohnort",
                                                     "Ausländerbehörde",  "Stand",
                                                     "Aliasidentitäten"};
    return de[c];
}

static void svg_bars(FILE *fp, const char *const *labels, const size_t *vals, size_t n)
{
    size_t max = 1;
    for (size_t k = 0; k < n; k++)
        if (vals[k] > max)
            max = vals[k];
    int h = (int)n * 24 + 10;
    fprintf(fp, "<svg role=\"img\" width=\"640\" height=\"%d\" viewBox=\"0 0 640 %d\">\n", h, h);
    for (size_t k = 0; k < n; k++) {
        int y = (int)k * 24 + 5;
        int wdt = (int)(380.0 * (double)vals[k] / (double)max);
        fprintf(fp, "<text x=\"0\" y=\"%d\" font-size=\"13\">", y + 14);
        html_escape(fp, labels[k]);
        fprintf(fp,
                "</text><rect x=\"190\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"#2b6cb0\"/>"
                "<text x=\"%d\" y=\"%d\" font-size=\"13\">%zu</text>\n",
                y, wdt, 196 + wdt, y + 14, vals[k]);
    }
    fputs("</svg>\n", fp);
}

static fn_status write_report(const char *dir, const struct side *a, const struct side *b,
                              const struct rejects *rj, const struct result *r)
{
    struct fn_atomic_file f;
    fn_status rc = open_out(dir, "report.html", &f);
    if (rc)
        return rc;
    FILE *fp = f.fp;
    size_t nm = r->nmatches, nd = pairs_with_diffs(r);
    fputs("<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">"
          "<title>Registerabgleich Ausländerdatei – AZR</title><style>body{font-family:sans-serif;"
          "max-width:60em;margin:2em auto;color:#1a202c}table{border-collapse:collapse}"
          "td,th{border:1px solid #cbd5e0;padding:.3em .6em;text-align:left}"
          "td.n{text-align:right}</style></head><body>\n"
          "<h1>Registerabgleich Ausländerdatei – AZR</h1>\n",
          fp);
    fputs("<p>Lokale Datei: ", fp);
    html_escape(fp, a->path);
    fputs("<br>AZR-Datei: ", fp);
    html_escape(fp, b->path);
    fputs("</p>\n<h2>Übersicht</h2>\n<table>\n", fp);
    fprintf(fp, "<tr><th>Datensätze lokal</th><td class=\"n\">%zu</td></tr>\n", a->n);
    fprintf(fp, "<tr><th>Datensätze AZR</th><td class=\"n\">%zu</td></tr>\n", b->n);
    fprintf(fp, "<tr><th>Unlesbare Zeilen (rejected.csv)</th><td class=\"n\">%zu</td></tr>\n",
            rj->n + rj->dropped);
    fprintf(fp, "<tr><th>Zugeordnete Paare (matches.csv)</th><td class=\"n\">%zu</td></tr>\n", nm);
    fprintf(fp, "<tr><th>davon mit Abweichungen</th><td class=\"n\">%zu (%.1f %%)</td></tr>\n", nd,
            nm ? 100.0 * (double)nd / (double)nm : 0.0);
    fprintf(fp, "<tr><th>Abweichungen insgesamt (diffs.csv)</th><td class=\"n\">%zu</td></tr>\n",
            r->ndiffs);
    fprintf(fp,
            "<tr><th>Ohne Partner lokal (unmatched_local.csv)</th><td class=\"n\">%zu</td></tr>\n",
            a->n - nm);
    fprintf(fp,
            "<tr><th>Ohne Partner im AZR (unmatched_azr.csv)</th><td class=\"n\">%zu</td></tr>\n",
            b->n - nm);
    fprintf(fp, "<tr><th>Konflikte (conflicts.csv)</th><td class=\"n\">%zu</td></tr>\n",
            r->nconflicts + r->nazr_conflicts);
    fputs("</table>\n<h2>Abweichungen nach Feld</h2>\n", fp);
    const char *labels[REG_COLUMN_COUNT];
    size_t vals[REG_COLUMN_COUNT], n = 0;
    for (int c = 0; c < REG_COLUMN_COUNT; c++) {
        size_t v = count_field(r, c, -1);
        if (!v)
            continue;
        labels[n] = field_de(c);
        vals[n++] = v;
    }
    if (n)
        svg_bars(fp, labels, vals, n);
    else
        fputs("<p>Keine Abweichungen.</p>\n", fp);
    fputs("<h2>Welche Seite ist wahrscheinlich richtig?</h2>\n", fp);
    const char *sl[3] = {"lokal", "AZR", "unklar (keine Regel entscheidet)"};
    size_t sv[3] = {count_field(r, -1, 1), count_field(r, -1, 2), count_field(r, -1, 0)};
    svg_bars(fp, sl, sv, 3);
    fputs("<p>Jede Abweichung nennt in diffs.csv (Spalte reason) die Regel, die entschieden hat; "
          "die Regeln sind in docs/reconcile.md beschrieben. „unknown“ heißt: keine Regel "
          "entscheidet, beide Register sind zu prüfen. Die Software entscheidet nicht über "
          "Personen; sie zeigt, wo die Register voneinander abweichen.</p>\n",
          fp);
    fprintf(fp,
            "<h2>Verfahren</h2><p>Jeder lokale Datensatz wird mit den AZR-Datensätzen "
            "verglichen, die mit ihm einen Blockschlüssel teilen (AZR-Nummer, Namensskelette "
            "mit Geburtsjahr, Geburtsort oder Geburtsdatum): %zu Kandidatenpaare. Jedes Feld "
            "trägt ein Gewicht bei (Fellegi–Sunter, ohne Trainingsdaten geschätzt: "
            "Zufallspaare und %d EM-Iterationen; seltene Namen zählen mehr als häufige). "
            "Zugeordnet wird ein Paar, wenn beide Datensätze einander am besten passen und "
            "das Gewicht die Schwelle %.2f erreicht. Anschrift und Aufenthalt seit zählen nur, "
            "wenn mindestens zwei von Familienname, Vornamen und Geburtsdatum übereinstimmen, "
            "denn Angehörige teilen sie. Eine übereinstimmende AZR-Nummer allein "
            "genügt nicht, wenn Namen und Geburtsdatum dagegen sprechen; solche Fälle und "
            "alle Mehrdeutigkeiten stehen in conflicts.csv zur Prüfung.</p>\n",
            r->candidate_pairs, r->em_iterations, r->threshold);
    fputs("</body></html>\n", fp);
    if (ferror(fp))
        rc = FN_IO;
    if (rc) {
        fn_atomic_abort(&f);
        return rc;
    }
    return fn_atomic_commit(&f);
}

fn_status rec_write_outputs(const char *dir, const struct side *a, const struct side *b,
                            const struct rejects *rj, const struct result *r,
                            const unsigned char *linked_a, const unsigned char *linked_b,
                            size_t rej_a, size_t rej_b)
{
    fn_status rc = write_matches(dir, a, b, r);
    if (!rc)
        rc = write_diffs(dir, a, b, r);
    if (!rc)
        rc = write_unmatched(dir, "unmatched_local.csv", a, linked_a);
    if (!rc)
        rc = write_unmatched(dir, "unmatched_azr.csv", b, linked_b);
    if (!rc)
        rc = write_conflicts(dir, a, b, r);
    if (!rc)
        rc = write_rejected(dir, rj);
    if (!rc)
        rc = write_summary(dir, a, b, rj, r, rej_a, rej_b);
    if (!rc)
        rc = write_report(dir, a, b, rj, r);
    return rc;
}
