/* rec_rules.c – differences of a linked pair and the rules that say which
 * side is likely right (rec_internal.h, docs/reconcile.md). */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/utf8.h"
#include "link/compare.h"
#include "link/normalize.h"
#include "reconcile/rec_internal.h"

/* ---- differences ---- */

/* Folds a value for comparison: trim, collapse blanks, case fold (NFKC for
 * non-ASCII). Writes into out (cap LINK_KEY_MAX * 4). */
static void fold_value(struct link_translit *t, const char *s, struct fn_buf *out)
{
    fn_buf_reset(out);
    if (fn_utf8_is_ascii(s, strlen(s))) {
        int blank = 0;
        for (const char *p = s; *p; p++) {
            char c = *p;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                blank = 1;
                continue;
            }
            if (blank && out->len && fn_buf_append_char(out, ' '))
                return;
            blank = 0;
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (fn_buf_append_char(out, c))
                return;
        }
        return;
    }
    if (link_translit_fold(t, s, strlen(s), out)) {
        fn_buf_reset(out);
        if (fn_buf_append_str(out, s))
            fn_buf_reset(out);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Aliases compared as a set of folded entries. */
static int aliases_equal(struct link_translit *t, const char *a, const char *b)
{
    char **items[2] = {NULL, NULL};
    size_t n[2] = {0, 0}, cap[2] = {0, 0};
    const char *src[2] = {a, b};
    struct fn_buf f;
    fn_buf_init(&f, FN_BUF_SMALL);
    int eq = 0;
    for (int s = 0; s < 2; s++) {
        const char *p = src[s];
        while (*p) {
            const char *e = strchr(p, ';');
            if (n[s] == cap[s]) {
                size_t nc = cap[s] ? cap[s] * 2 : 16;
                char **ni = fn_reallocarray(items[s], nc, sizeof *ni);
                if (!ni)
                    goto out;
                items[s] = ni;
                cap[s] = nc;
            }
            size_t len = e ? (size_t)(e - p) : strlen(p);
            char *tmp = fn_strndup(p, len);
            if (!tmp)
                goto out;
            fold_value(t, tmp, &f);
            fn_free(tmp);
            /* "family | given" and "family|given" are the same alias */
            char *it = fn_malloc(f.len + 1);
            if (!it)
                goto out;
            size_t w = 0;
            for (size_t k = 0; k < f.len; k++) {
                if (f.data[k] == ' ' &&
                    ((k + 1 < f.len && f.data[k + 1] == '|') || (w && it[w - 1] == '|')))
                    continue;
                it[w++] = f.data[k];
            }
            it[w] = 0;
            if (w)
                items[s][n[s]++] = it;
            else
                fn_free(it);
            if (!e)
                break;
            p = e + 1;
        }
        if (n[s] > 1)
            qsort(items[s], n[s], sizeof(char *), cmp_str);
        size_t u = 0;
        for (size_t k = 0; k < n[s]; k++) {
            if (u && !strcmp(items[s][u - 1], items[s][k])) {
                fn_free(items[s][k]);
                continue;
            }
            items[s][u++] = items[s][k];
        }
        n[s] = u;
    }
    eq = n[0] == n[1];
    for (size_t k = 0; eq && k < n[0]; k++)
        eq = !strcmp(items[0][k], items[1][k]);
out:
    for (int s = 0; s < 2; s++) {
        for (size_t k = 0; k < n[s]; k++)
            fn_free(items[s][k]);
        fn_free(items[s]);
    }
    fn_buf_free(&f);
    return eq;
}

static int is_name_field(int c)
{
    return c == REG_FAMILY_NAME || c == REG_GIVEN_NAMES || c == REG_BIRTH_NAME;
}

static int is_identity_field(int c)
{
    return is_name_field(c) || c == REG_BIRTH_DATE || c == REG_BIRTH_PLACE || c == REG_SEX ||
           c == REG_BIRTH_COUNTRY || c == REG_NATIONALITY || c == REG_ALIASES;
}

static int is_unknown_code(int c, const char *v)
{
    if (c == REG_SEX)
        return !strcmp(v, "u") || !strcmp(v, "U");
    if (c == REG_NATIONALITY || c == REG_BIRTH_COUNTRY)
        return !strcmp(v, "XXX");
    if (c == REG_RESIDENCE_STATUS)
        return !strcmp(v, "unbekannt");
    return 0;
}

/* Decides which side is likely right for field c of the pair (i, j).
 * Returns the rule; *side = 1 local, 2 azr, 0 unknown. */
enum rule rec_decide(const struct dicts *dc, const struct side *a, size_t i, const struct side *b,
                     size_t j, int c, int *side)
{
    const char *va = V(a, i, c), *vb = V(b, j, c);
    *side = 0;
    if (c == REG_AZR_NR) {
        if (!*va || !*vb) {
            *side = *va ? 1 : 2;
            return R5_FILLED_OVER_EMPTY;
        }
        *side = 2;
        return R6_AZR_ISSUES_NUMBER;
    }
    if (!*va != !*vb) {
        *side = *va ? 1 : 2;
        return R5_FILLED_OVER_EMPTY;
    }
    if (is_unknown_code(c, va) != is_unknown_code(c, vb)) {
        *side = is_unknown_code(c, va) ? 2 : 1;
        return R7_KNOWN_OVER_UNKNOWN;
    }
    if (c == REG_BIRTH_DATE) {
        const struct fn_pdate *da = &a->rec[i].bdate, *db = &b->rec[j].bdate;
        int fa = da->day && !(da->flags & FN_PDATE_PLACEHOLDER);
        int fb = db->day && !(db->flags & FN_PDATE_PLACEHOLDER);
        if (fa != fb && da->year && db->year && da->year == db->year) {
            *side = fa ? 1 : 2;
            return R3_FULL_DATE;
        }
    }
    if (c == REG_GIVEN_NAMES || c == REG_FAMILY_NAME) {
        const struct link_name_keys *ka =
            link_name_dict_keys(dc->names, c == REG_GIVEN_NAMES ? a->rec[i].giv : a->rec[i].fam);
        const struct link_name_keys *kb =
            link_name_dict_keys(dc->names, c == REG_GIVEN_NAMES ? b->rec[j].giv : b->rec[j].fam);
        if (link_tokens_subset(ka, kb)) {
            *side = 2;
            return R4_FULLER_NAME;
        }
        if (link_tokens_subset(kb, ka)) {
            *side = 1;
            return R4_FULLER_NAME;
        }
    }
    if (is_identity_field(c)) {
        int ga = !strcmp(V(a, i, REG_IDENTITY_STATUS), "geklaert");
        int gb = !strcmp(V(b, j, REG_IDENTITY_STATUS), "geklaert");
        if (ga != gb) {
            *side = ga ? 1 : 2;
            return R2_DOCUMENT_BACKED;
        }
        return RULE_NONE;
    }
    /* residence, address, authority, identity status: the later update */
    const char *ua = V(a, i, REG_UPDATED_AT), *ub = V(b, j, REG_UPDATED_AT);
    if (*ua && *ub) {
        int k = strcmp(ua, ub);
        if (k) {
            *side = k > 0 ? 1 : 2;
            return R1_LATER_UPDATE;
        }
    }
    return RULE_NONE;
}

int rec_values_differ(struct link_translit *t, const struct side *a, size_t i, const struct side *b,
                      size_t j, int c, struct fn_buf *fa, struct fn_buf *fb)
{
    const char *va = V(a, i, c), *vb = V(b, j, c);
    if (!strcmp(va, vb))
        return 0;
    if (c == REG_ALIASES)
        return !aliases_equal(t, va, vb);
    if (c == REG_BIRTH_DATE || c == REG_RESIDENCE_SINCE) {
        struct fn_pdate da, db;
        if (!fn_pdate_parse(va, strlen(va), &da) && !fn_pdate_parse(vb, strlen(vb), &db))
            return !fn_pdate_equal(&da, &db);
    }
    fold_value(t, va, fa);
    fold_value(t, vb, fb);
    return strcmp(fn_buf_str(fa), fn_buf_str(fb)) != 0;
}
