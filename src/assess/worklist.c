/* worklist.c – the ordered work queue of one authority (see worklist.h). */
#include "assess/worklist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess_person.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/utf8.h"

/* Blocked last; among the unblocked the overdue first; then band, points
 * (high first), nearest deadline (the most overdue first), id. */
static int entry_cmp(const void *pa, const void *pb)
{
    const struct worklist_entry *a = pa, *b = pb;
    if (a->blocked != b->blocked)
        return a->blocked - b->blocked;
    if (!a->blocked && a->overdue != b->overdue)
        return b->overdue - a->overdue;
    if (a->band != b->band)
        return a->band - b->band;
    if (a->points != b->points)
        return b->points - a->points;
    if (a->deadline != b->deadline)
        return a->deadline < b->deadline ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static void describe(const struct assess_catalog *c, const struct assess_result *r,
                     struct worklist_entry *e)
{
    struct fn_buf b;
    fn_buf_init(&b, sizeof e->reason - 1);
    fn_status rc = FN_OK;
    if (r->blocked) {
        rc = fn_buf_append_str(&b, "Sperre ");
        for (int i = 0; i < r->ngates && !rc; i++) {
            const struct assess_rule *g = &c->rules[r->gates[i]];
            if (!r->gate_unresolved[i]) {
                rc = fn_buf_appendf(&b, "%s%s (%s)", i ? ", " : "", g->id, g->title);
                continue;
            }
            rc = fn_buf_appendf(&b, "%s%s ungeklärt (nicht erfasst: ", i ? ", " : "", g->id);
            for (int k = 0; k < r->ntrace && !rc; k++)
                if (r->trace[k].rule == r->gates[i])
                    rc = assess_missing_text(c, &r->trace[k], &b);
            if (!rc)
                rc = fn_buf_append_char(&b, ')');
        }
    } else {
        rc = fn_buf_appendf(&b, "Band %c, %d Punkte", r->band, r->points);
        for (int i = 0; i < r->ntrace && !rc; i++) {
            const struct assess_rule *rule = &c->rules[r->trace[i].rule];
            if (r->trace[i].fired && !r->trace[i].subsumed && rule->effect == EFF_POINTS)
                rc = fn_buf_appendf(&b, "; %s +%d", rule->id, rule->amount);
        }
        if (!rc && r->nweighing)
            rc = fn_buf_append_str(&b, "; Abwägung nötig");
    }
    if (!rc && r->ndeadlines) {
        char when[64];
        assess_deadline_text(r->deadlines[0].days, when, sizeof when);
        rc = fn_buf_appendf(&b, "; Frist %s %s", c->rules[r->deadlines[0].rule].id, when);
    }
    /* a reason longer than the field is cut (fn_utf8_copy, on a character) */
    fn_utf8_copy(e->reason, sizeof e->reason, fn_buf_str(&b));
    fn_buf_free(&b);
}

/* Appends the entry of one assessed person, growing the array by doubling;
 * borrows who, c and r. */
static fn_status worklist_add(struct worklist *w, size_t *cap,
                              const struct store_person_summary *who,
                              const struct assess_catalog *c, const struct assess_result *r)
{
    if (w->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 256;
        struct worklist_entry *ne = fn_reallocarray(w->entries, ncap, sizeof *ne);
        if (!ne)
            return FN_NOMEM;
        w->entries = ne;
        *cap = ncap;
    }
    struct worklist_entry *e = &w->entries[w->n++];
    memset(e, 0, sizeof *e);
    e->id = who->id;
    snprintf(e->name, sizeof e->name, "%s, %s", who->family_name, who->given_names);
    fn_utf8_trim_partial(e->name); /* snprintf may have cut inside a character */
    e->blocked = r->blocked;
    e->band = r->band;
    e->points = r->points;
    e->deadline = r->ndeadlines ? r->deadlines[0].days : INT32_MAX;
    e->overdue = r->overdue;
    describe(c, r, e);
    return FN_OK;
}

fn_status worklist_build(struct store *st, const struct store_actor *actor,
                         const struct assess_catalog *c, int64_t authority_id, int32_t today,
                         struct worklist **out)
{
    *out = NULL;
    struct worklist *w = fn_calloc(1, sizeof *w);
    if (!w)
        return FN_NOMEM;
    size_t cap = 0;
    int64_t after = 0;
    fn_status rc = FN_OK;
    for (;;) {
        struct store_person_summary *page = NULL;
        size_t got = 0;
        rc = store_person_list(st, actor, authority_id, after, 1000, &page, &got);
        if (rc || !got) {
            fn_free(page);
            break;
        }
        for (size_t i = 0; i < got && w->n < WORKLIST_MAX && !rc; i++) {
            struct assess_person p;
            rc = assess_person(st, actor, c, page[i].id, today, &p);
            if (rc)
                break;
            rc = worklist_add(w, &cap, &page[i], c, &p.result);
            assess_person_clear(&p);
        }
        after = page[got - 1].id;
        fn_free(page);
        if (rc)
            break;
    }
    if (rc) {
        worklist_free(w);
        return rc;
    }
    if (w->n)
        qsort(w->entries, w->n, sizeof *w->entries, entry_cmp);
    *out = w;
    return FN_OK;
}

void worklist_free(struct worklist *w)
{
    if (!w)
        return;
    fn_free(w->entries);
    fn_free(w);
}
