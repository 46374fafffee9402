/*
 * import_ids.c – a map from record_id to a person id for one bulk import
 * (contract in import_ids.h).
 */
#include "store/import_ids.h"

#include <string.h>

#include "core/alloc.h"
#include "core/hash.h"

/* off: offset + 1 of the id in text (0: an empty slot). */
struct import_id_slot {
    uint64_t off;
    int64_t v;
};

static size_t id_index(size_t cap, const char *id, size_t len)
{
    return (size_t)fn_fnv1a(FN_FNV_OFFSET, id, len) & (cap - 1);
}

/* The slot of id in s: its own or the empty one where it would go. */
static size_t id_find(const struct import_ids *s, const char *id, size_t len)
{
    size_t i = id_index(s->cap, id, len);
    while (s->slot[i].off && strcmp(s->text + s->slot[i].off - 1, id) != 0)
        i = (i + 1) & (s->cap - 1);
    return i;
}

/* Doubles the slots (grown at half load). */
static fn_status grow_slots(struct import_ids *s)
{
    size_t cap = s->cap ? s->cap * 2 : 4096;
    struct import_id_slot *slot = fn_calloc(cap, sizeof *slot);
    if (!slot)
        return FN_NOMEM;
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->slot[i].off)
            continue;
        const char *id = s->text + s->slot[i].off - 1;
        size_t k = id_index(cap, id, strlen(id));
        while (slot[k].off)
            k = (k + 1) & (cap - 1);
        slot[k] = s->slot[i];
    }
    fn_free(s->slot);
    s->slot = slot;
    s->cap = cap;
    return FN_OK;
}

/* Room for len more bytes of text. */
static fn_status grow_text(struct import_ids *s, size_t len)
{
    if (s->text_len + len <= s->text_cap)
        return FN_OK;
    size_t cap = s->text_cap ? s->text_cap * 2 : 65536;
    while (cap < s->text_len + len)
        cap *= 2;
    char *text = fn_realloc(s->text, cap);
    if (!text)
        return FN_NOMEM;
    s->text = text;
    s->text_cap = cap;
    return FN_OK;
}

fn_status import_ids_put(struct import_ids *s, const char *id, int64_t v)
{
    size_t len = strlen(id);
    if ((s->n + 1) * 2 > s->cap && grow_slots(s) != FN_OK)
        return FN_NOMEM;
    size_t k = id_find(s, id, len);
    if (!s->slot[k].off) {
        if (grow_text(s, len + 1) != FN_OK)
            return FN_NOMEM;
        memcpy(s->text + s->text_len, id, len + 1);
        s->slot[k].off = s->text_len + 1;
        s->text_len += len + 1;
        s->n++;
    }
    s->slot[k].v = v;
    return FN_OK;
}

int import_ids_get(const struct import_ids *s, const char *id, int64_t *v)
{
    if (!s->cap)
        return 0;
    size_t k = id_find(s, id, strlen(id));
    if (!s->slot[k].off)
        return 0;
    if (v)
        *v = s->slot[k].v;
    return 1;
}

void import_ids_clear(struct import_ids *s)
{
    if (s->slot)
        memset(s->slot, 0, s->cap * sizeof *s->slot);
    s->n = 0;
    s->text_len = 0;
}

void import_ids_free(struct import_ids *s)
{
    if (!s)
        return;
    fn_free(s->slot);
    fn_free(s->text);
    memset(s, 0, sizeof *s);
}
