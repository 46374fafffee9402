/* eval_render.c – the evaluation report as HTML and CSV (eval_render.h). */
#include "assess/eval_render.h"

#include <stdio.h>
#include <string.h>

#include "core/escape.h"

/* The string under key in o, or fallback when there is none. */
static const char *str_at(const json_t *o, const char *key, const char *fallback)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : fallback;
}

/* Appends s escaped for HTML. */
static fn_status text(struct fn_buf *h, const char *s)
{
    const char *t = s ? s : "";
    return fn_html_escape(h, t, strlen(t));
}

/* One figure as shown: a count, a rate in per cent, "<5", or "–". */
static fn_status figure(struct fn_buf *h, const json_t *v, int percent)
{
    if (json_is_integer(v))
        return fn_buf_appendf(h, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v))
        return percent ? fn_buf_appendf(h, "%.0f %%", 100.0 * json_real_value(v))
                       : fn_buf_appendf(h, "%.2f", json_real_value(v));
    if (json_is_string(v))
        return text(h, json_string_value(v));
    if (json_is_true(v))
        return fn_buf_append_str(h, "ja");
    if (json_is_false(v))
        return fn_buf_append_str(h, "nein");
    return fn_buf_append_str(h, "–");
}

/* A column of a group table: where the figure is (object, key), its head. */
struct column {
    const char *object; /* "entscheidungen", "bestand" or NULL: the group itself */
    const char *key;
    const char *head;
    int percent;
};

static const struct column group_columns[] = {
    {"entscheidungen", "personen", "Personen entschieden", 0},
    {"entscheidungen", "fruehere_entscheidungen", "frühere Entscheidungen", 0},
    {"entscheidungen", "auswahlquote", "Auswahlquote", 1},
    {"entscheidungen", "abweichungsquote", "Abweichungsquote", 1},
    {NULL, "vier_fuenftel_auffaellig", "unter 4/5", 0},
    {"bestand", "personen", "Bestand", 0},
    {"bestand", "band_a", "Band A", 0},
    {"bestand", "band_b", "Band B", 0},
    {"bestand", "band_c", "Band C", 0},
    {"bestand", "gesperrt", "gesperrt", 0},
    {"bestand", "nicht_bewertet", "nicht bewertet", 0},
};
#define N_GROUP_COLUMNS (sizeof group_columns / sizeof group_columns[0])

/* A table of groups (array of {gruppe, entscheidungen, bestand, …}). */
static fn_status group_table(struct fn_buf *h, const char *title, const json_t *groups, int catalog)
{
    fn_status rc = fn_buf_append_str(h, "<h3>");
    if (!rc)
        rc = text(h, title);
    if (!rc)
        rc = fn_buf_append_str(h, "</h3><table><thead><tr><th scope=\"col\">Gruppe</th>");
    for (size_t c = 0; c < N_GROUP_COLUMNS && !rc; c++)
        if (!(catalog && !group_columns[c].object))
            rc = fn_buf_appendf(h, "<th scope=\"col\">%s</th>", group_columns[c].head);
    if (!rc)
        rc = fn_buf_append_str(h, "</tr></thead><tbody>");
    size_t i;
    const json_t *g;
    json_array_foreach(groups, i, g)
    {
        if (rc)
            break;
        rc = fn_buf_append_str(h, "<tr><th scope=\"row\">");
        if (!rc)
            rc = text(h, json_string_value(json_object_get(g, "gruppe")));
        if (!rc && catalog) {
            char shortened[16];
            snprintf(shortened, sizeof shortened, "%.12s", str_at(g, "katalog_hash", ""));
            rc = fn_buf_append_str(h, " <small>(");
            if (!rc)
                rc = text(h, shortened);
            if (!rc)
                rc = fn_buf_append_str(h, "…)</small>");
        }
        if (!rc)
            rc = fn_buf_append_str(h, "</th>");
        for (size_t c = 0; c < N_GROUP_COLUMNS && !rc; c++) {
            const struct column *col = &group_columns[c];
            if (catalog && !col->object)
                continue;
            const json_t *o = col->object ? json_object_get(g, col->object) : g;
            rc = fn_buf_append_str(h, "<td>");
            if (!rc)
                rc = figure(h, json_object_get(o, col->key), col->percent);
            if (!rc)
                rc = fn_buf_append_str(h, "</td>");
        }
        if (!rc)
            rc = fn_buf_append_str(h, "</tr>");
    }
    if (!rc)
        rc = fn_buf_append_str(h, "</tbody></table>");
    return rc;
}

/* The gates of a population object as a list "G1: 12, G2: <5". */
static fn_status gate_list(struct fn_buf *h, const json_t *population)
{
    const json_t *gates = json_object_get(population, "sperren");
    if (!json_object_size(gates))
        return fn_buf_append_str(h, "keine");
    fn_status rc = FN_OK;
    const char *k;
    const json_t *v;
    int first = 1;
    json_object_foreach((json_t *)gates, k, v)
    {
        if (rc)
            break;
        rc = fn_buf_append_str(h, first ? "" : ", ");
        first = 0;
        if (!rc)
            rc = text(h, k);
        if (!rc)
            rc = fn_buf_append_str(h, ": ");
        if (!rc)
            rc = figure(h, v, 0);
    }
    return rc;
}

static fn_status outcome_section(struct fn_buf *h, const json_t *o)
{
    fn_status rc = fn_buf_append_str(h, "<h2>Ergebnisvalidierung</h2><p>");
    if (!rc)
        rc = text(h, json_string_value(json_object_get(o, "definition")));
    if (!rc)
        rc = fn_buf_append_str(h, "</p>");
    const char *note = json_string_value(json_object_get(o, "hinweis"));
    if (note) {
        if (!rc)
            rc = fn_buf_append_str(h, "<p><strong>");
        if (!rc)
            rc = text(h, note);
        return rc ? rc : fn_buf_append_str(h, "</strong></p>");
    }
    if (!rc)
        rc = fn_buf_append_str(h, "<table><thead><tr><th scope=\"col\">Bewertung</th>"
                                  "<th scope=\"col\">Maßnahme</th><th scope=\"col\">ohne "
                                  "Maßnahme</th><th scope=\"col\">kein Ergebnis</th>"
                                  "<th scope=\"col\">Maßnahmequote</th></tr></thead><tbody>");
    static const char *const keys[] = {"massnahme", "ohne_massnahme", "kein_ergebnis",
                                       "massnahmequote"};
    size_t i;
    const json_t *row;
    json_array_foreach(json_object_get(o, "tabelle"), i, row)
    {
        if (rc)
            break;
        rc = fn_buf_append_str(h, "<tr><th scope=\"row\">");
        if (!rc)
            rc = text(h, json_string_value(json_object_get(row, "band")));
        if (!rc)
            rc = fn_buf_append_str(h, "</th>");
        for (size_t k = 0; k < 4 && !rc; k++) {
            rc = fn_buf_append_str(h, "<td>");
            if (!rc)
                rc = figure(h, json_object_get(row, keys[k]), k == 3);
            if (!rc)
                rc = fn_buf_append_str(h, "</td>");
        }
        if (!rc)
            rc = fn_buf_append_str(h, "</tr>");
    }
    return rc ? rc : fn_buf_append_str(h, "</tbody></table>");
}

static fn_status ai_act_section(struct fn_buf *h, const json_t *arr)
{
    static const char *const keys[] = {"artikel",  "anforderung", "umsetzung",
                                       "dokument", "test",        "luecke"};
    fn_status rc = fn_buf_append_str(
        h, "<h2>Dokumentation zur KI-Verordnung (Art. 9–15)</h2><p>Was die Artikel 9 bis 15 der "
           "Verordnung (EU) 2024/1689 von einem Hochrisiko-System verlangen, womit fallnetz es "
           "umsetzt, wo es beschrieben und geprüft ist, und was fehlt.</p><table><thead><tr>"
           "<th scope=\"col\">Artikel</th><th scope=\"col\">Anforderung</th>"
           "<th scope=\"col\">Umsetzung</th><th scope=\"col\">Dokument</th>"
           "<th scope=\"col\">Test</th><th scope=\"col\">Lücke</th></tr></thead><tbody>");
    size_t i;
    const json_t *row;
    json_array_foreach(arr, i, row)
    {
        if (rc)
            break;
        rc = fn_buf_append_str(h, "<tr>");
        for (size_t k = 0; k < 6 && !rc; k++) {
            rc = fn_buf_append_str(h, k ? "<td>" : "<th scope=\"row\">");
            if (!rc)
                rc = text(h, json_string_value(json_object_get(row, keys[k])));
            if (!rc)
                rc = fn_buf_append_str(h, k ? "</td>" : "</th>");
        }
        if (!rc)
            rc = fn_buf_append_str(h, "</tr>");
    }
    return rc ? rc : fn_buf_append_str(h, "</tbody></table>");
}

static const struct {
    const char *key, *title;
} subgroups[] = {{"region", "Region"},
                 {"behoerde", "Zuständige Behörde"},
                 {"geschlecht", "Geschlecht"},
                 {"altersgruppe", "Altersgruppe"},
                 {"staatsangehoerigkeit", "Staatsangehörigkeit"}};
#define N_SUBGROUPS (sizeof subgroups / sizeof subgroups[0])

fn_status eval_render_html(const json_t *report, struct fn_buf *h)
{
    const json_t *d = json_object_get(report, "entscheidungen");
    const json_t *k = json_object_get(d, "kappa");
    const json_t *b = json_object_get(report, "bestand");
    const json_t *f = json_object_get(report, "filter");
    const json_t *t = json_object_get(k, "tabelle_empfohlen_x_aufgenommen");
    fn_status rc = fn_buf_append_str(h, "<p>Zeitraum: ");
    if (!rc)
        rc = text(h, str_at(f, "von", "Beginn"));
    if (!rc)
        rc = fn_buf_append_str(h, " bis ");
    if (!rc)
        rc = text(h, str_at(f, "bis", "heute"));
    if (!rc)
        rc = fn_buf_append_str(h, "; Region: ");
    if (!rc)
        rc = text(h, str_at(f, "region", "alle im Zugriff"));
    if (!rc)
        rc = fn_buf_append_str(h, ".</p><p>");
    if (!rc)
        rc = text(h, json_string_value(json_object_get(report, "hinweis")));
    if (!rc)
        rc = fn_buf_append_str(h, "</p><p>");
    if (!rc)
        rc = text(h, json_string_value(json_object_get(report, "kleinzellen")));
    if (!rc)
        rc = fn_buf_append_str(h, "</p><h2>Entscheidungen</h2><p>Personen mit Entscheidung im "
                                  "Zeitraum (je Person die letzte): ");
    if (!rc)
        rc = figure(h, json_object_get(d, "personen"), 0);
    if (!rc)
        rc = fn_buf_append_str(h, "; frühere Entscheidungen zu denselben Personen (Verlauf): ");
    if (!rc)
        rc = figure(h, json_object_get(d, "fruehere_entscheidungen"), 0);
    if (!rc)
        rc = fn_buf_append_str(h, " bei ");
    if (!rc)
        rc = figure(h, json_object_get(d, "personen_mit_frueheren"), 0);
    if (!rc)
        rc = fn_buf_append_str(h, " Personen.</p><h3>Übereinstimmung</h3><p>Cohens Kappa <b>");
    if (!rc)
        rc = figure(h, json_object_get(k, "wert"), 0);
    if (!rc)
        rc = fn_buf_append_str(h, "</b> (95-%-KI ");
    if (!rc)
        rc = figure(h, json_object_get(k, "ki_95_unten"), 0);
    if (!rc)
        rc = fn_buf_append_str(h, " bis ");
    if (!rc)
        rc = figure(h, json_object_get(k, "ki_95_oben"), 0);
    if (!rc)
        rc = fn_buf_append_str(h, ").</p><table><thead><tr><td></td><th scope=\"col\">abgelehnt"
                                  "</th><th scope=\"col\">aufgenommen</th></tr></thead><tbody>");
    for (size_t r = 0; r < 2 && !rc; r++) {
        rc = fn_buf_appendf(h, "<tr><th scope=\"row\">%s</th><td>",
                            r ? "empfohlen" : "nicht empfohlen");
        if (!rc)
            rc = figure(h, json_array_get(json_array_get(t, r), 0), 0);
        if (!rc)
            rc = fn_buf_append_str(h, "</td><td>");
        if (!rc)
            rc = figure(h, json_array_get(json_array_get(t, r), 1), 0);
        if (!rc)
            rc = fn_buf_append_str(h, "</td></tr>");
    }
    if (!rc)
        rc = fn_buf_append_str(h, "</tbody></table><h3>Abweichungen</h3><p>");
    if (!rc)
        rc = figure(h, json_object_get(d, "abweichungen"), 0);
    if (!rc)
        rc = fn_buf_append_str(h, " Entscheidungen weichen von der Bewertung ab (");
    if (!rc)
        rc = figure(h, json_object_get(d, "abweichungsquote"), 1);
    if (!rc)
        rc = fn_buf_append_str(h, "); Abweichungen sind vorgesehen und begründet.</p>"
                                  "<h2>Bestand</h2><p>Alle Personen im Zugriff mit ihrer letzten "
                                  "Bewertung bis zum Ende des Zeitraums: ");
    if (!rc)
        rc = figure(h, json_object_get(b, "personen"), 0);
    if (!rc)
        rc = fn_buf_append_str(h, " Personen, davon bewertet ");
    if (!rc)
        rc = figure(h, json_object_get(b, "bewertet"), 0);
    if (!rc)
        rc = fn_buf_append_str(h, ". Sperren: ");
    if (!rc)
        rc = gate_list(h, b);
    if (!rc)
        rc = fn_buf_append_str(h, ".</p>");
    if (!rc)
        rc = group_table(h, "Nach Katalog (Prüfsumme und Version)",
                         json_object_get(report, "nach_katalog"), 1);
    if (!rc)
        rc =
            fn_buf_append_str(h, "<h2>Untergruppenprüfung</h2><p>Entscheidungen (je Person die "
                                 "letzte) und Bestand je Gruppe. „unter 4/5“: Auswahlquote unter "
                                 "vier Fünfteln der höchsten Quote (ab 5 Personen je Gruppe).</p>");
    const json_t *groups = json_object_get(report, "untergruppen");
    for (size_t i = 0; i < N_SUBGROUPS && !rc; i++)
        rc = group_table(h, subgroups[i].title, json_object_get(groups, subgroups[i].key), 0);
    if (!rc)
        rc = outcome_section(h, json_object_get(report, "ergebnisvalidierung"));
    if (!rc)
        rc = ai_act_section(h, json_object_get(report, "ki_verordnung"));
    return rc;
}

/* ---- CSV ---- */

/* Appends one CSV field (quoted when it holds ; " CR LF, a leading = + - @
 * prefixed with ' against formula injection) and the separator. */
static fn_status csv_field(struct fn_buf *b, const char *s, int last)
{
    fn_status rc = FN_OK;
    int quote = strpbrk(s, ";\"\r\n") != NULL;
    if (quote)
        rc = fn_buf_append_char(b, '"');
    if (!rc && strchr("=+-@\t\r", s[0]) && s[0])
        rc = fn_buf_append_char(b, '\'');
    for (const char *p = s; *p && !rc; p++)
        rc = *p == '"' ? fn_buf_append_str(b, "\"\"") : fn_buf_append_char(b, *p);
    if (!rc && quote)
        rc = fn_buf_append_char(b, '"');
    return rc ? rc : fn_buf_append_str(b, last ? "\r\n" : ";");
}

/* Writes every figure under v (objects recursed, keys joined with '.'). */
static fn_status csv_flatten(struct fn_buf *b, const char *area, const char *group,
                             const char *path, const json_t *v)
{
    if (json_is_object(v)) {
        fn_status rc = FN_OK;
        const char *k;
        const json_t *x;
        json_object_foreach((json_t *)v, k, x)
        {
            if (rc)
                break;
            if (strcmp(k, "gruppe") == 0 || strcmp(k, "katalog_hash") == 0 ||
                strcmp(k, "definition") == 0 || json_is_array(x))
                continue;
            char sub[256];
            snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", k);
            rc = csv_flatten(b, area, group, sub, x);
        }
        return rc;
    }
    char num[64];
    const char *value = num;
    if (json_is_integer(v))
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(num, sizeof num, "%.4f", json_real_value(v));
    else if (json_is_string(v))
        value = json_string_value(v);
    else if (json_is_boolean(v))
        value = json_is_true(v) ? "ja" : "nein";
    else
        value = "";
    fn_status rc = csv_field(b, area, 0);
    if (!rc)
        rc = csv_field(b, group, 0);
    if (!rc)
        rc = csv_field(b, path, 0);
    return rc ? rc : csv_field(b, value, 1);
}

/* The groups of an array, each under its label (catalogue: hash too). */
static fn_status csv_groups(struct fn_buf *b, const char *area, const json_t *groups)
{
    fn_status rc = FN_OK;
    size_t i;
    const json_t *g;
    json_array_foreach(groups, i, g)
    {
        if (rc)
            break;
        char label[160];
        const char *hash = json_string_value(json_object_get(g, "katalog_hash"));
        snprintf(label, sizeof label, "%s%s%s%s", str_at(g, "gruppe", ""), hash ? " (" : "",
                 hash ? hash : "", hash ? ")" : "");
        rc = csv_flatten(b, area, label, "", g);
    }
    return rc;
}

fn_status eval_render_csv(const json_t *report, struct fn_buf *out)
{
    fn_status rc = fn_buf_append_str(out, "\xEF\xBB\xBF"
                                          "bereich;gruppe;kennzahl;wert\r\n");
    if (!rc)
        rc = csv_flatten(out, "entscheidungen", "gesamt", "",
                         json_object_get(report, "entscheidungen"));
    if (!rc)
        rc = csv_flatten(out, "bestand", "gesamt", "", json_object_get(report, "bestand"));
    if (!rc)
        rc = csv_groups(out, "katalog", json_object_get(report, "nach_katalog"));
    const json_t *groups = json_object_get(report, "untergruppen");
    for (size_t i = 0; i < N_SUBGROUPS && !rc; i++)
        rc = csv_groups(out, subgroups[i].key, json_object_get(groups, subgroups[i].key));
    const json_t *o = json_object_get(report, "ergebnisvalidierung");
    if (!rc)
        rc = csv_flatten(out, "ergebnisvalidierung", "gesamt", "", o);
    size_t i;
    const json_t *row;
    json_array_foreach(json_object_get(o, "tabelle"), i, row)
    {
        if (rc)
            break;
        rc = csv_flatten(out, "ergebnisvalidierung", str_at(row, "band", ""), "", row);
    }
    return rc;
}
