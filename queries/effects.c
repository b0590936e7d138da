/* effects.c — what a statement changed, counted as the openCypher TCK counts
 * it: by comparing the graph after the statement with the graph before.
 *
 * Every write of a property goes through tg_i_write_prop, which remembers
 * the value the property had when the statement first touched it. At the
 * end (tg_i_effects_finish) each touched property is compared with its
 * value then: absent -> present is a property set, present -> absent a
 * property removed, a different value both, the same value nothing (so
 * `SET n.x = n.x + 1` counts one set and one removed, and a property a
 * statement creates and then overwrites counts once). Labels are compared
 * as the set of label names in use: the snapshot is taken before the
 * statement's first write.
 *
 * The table of touched properties is an open-addressing hash on (side,
 * item, key); it lives in the exec and is freed with it.
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

typedef struct touched {
    uint32_t item;
    tg_sym key;
    uint8_t side;
    uint8_t had; /* whether the property existed before the statement */
    uint8_t used;
    tg_pval before;
} touched;

struct tg_effects_log {
    touched *slots;
    size_t cap, n;
    tg_sym *labels_before; /* sorted */
    size_t nlabels_before;
};

static size_t hash(tg_side side, uint32_t item, tg_sym key)
{
    uint64_t h = ((uint64_t)item << 32 | key) ^ ((uint64_t)side << 63);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return (size_t)h;
}

static int cmp_sym(const void *a, const void *b)
{
    tg_sym x = *(const tg_sym *)a, y = *(const tg_sym *)b;
    return x < y ? -1 : x > y;
}

int tg_i_before_write(tg_exec *x)
{
    struct tg_effects_log *l = x->log;
    const tg_sym *labels;
    size_t n;
    if (l)
        return 0;
    if (!(l = calloc(1, sizeof *l)))
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    x->log = l;
    n = tg_graph_all_labels(x->g, &labels);
    if (!(l->labels_before = malloc((n ? n : 1) * sizeof *labels)))
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    if (n) {
        memcpy(l->labels_before, labels, n * sizeof *labels);
        qsort(l->labels_before, n, sizeof *labels, cmp_sym);
    }
    l->nlabels_before = n;
    return 0;
}

static int grow(tg_exec *x, struct tg_effects_log *l)
{
    size_t nc = l->cap ? l->cap * 2 : 64;
    touched *ns = calloc(nc, sizeof *ns);
    if (!ns)
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < l->cap; i++)
        if (l->slots[i].used) {
            size_t h = hash((tg_side)l->slots[i].side, l->slots[i].item, l->slots[i].key) &
                       (nc - 1);
            while (ns[h].used)
                h = (h + 1) & (nc - 1);
            ns[h] = l->slots[i];
        }
    free(l->slots);
    l->slots = ns;
    l->cap = nc;
    return 0;
}

/* Remembers the value of (side, item, key) before the statement, unless it
 * is remembered already. */
static int remember(tg_exec *x, tg_side side, uint32_t item, tg_sym key)
{
    struct tg_effects_log *l;
    const tg_pval *old;
    size_t h;
    if (tg_i_before_write(x))
        return -1;
    l = x->log;
    if ((l->n + 1) * 2 > l->cap && grow(x, l))
        return -1;
    h = hash(side, item, key) & (l->cap - 1);
    for (; l->slots[h].used; h = (h + 1) & (l->cap - 1))
        if (l->slots[h].item == item && l->slots[h].key == key && l->slots[h].side == side)
            return 0;
    old = tg_graph_prop(x->g, side, item, key);
    l->slots[h].used = 1;
    l->slots[h].item = item;
    l->slots[h].key = key;
    l->slots[h].side = (uint8_t)side;
    l->slots[h].had = old != NULL;
    if (old)
        l->slots[h].before = *old;
    l->n++;
    return 0;
}

int tg_i_write_prop(tg_exec *x, tg_side side, uint32_t item, tg_sym key, const tg_pval *v)
{
    if (remember(x, side, item, key))
        return -1;
    return tg_graph_set_prop(x->g, side, item, key, v, x->err) == TG_OK ? 0 : -1;
}

typedef struct remember_ctx {
    tg_exec *x;
    tg_side side;
    uint32_t item;
    int failed;
} remember_ctx;

static int remember_visit(void *ctx, tg_sym key, const tg_pval *v)
{
    remember_ctx *c = ctx;
    (void)v;
    if (remember(c->x, c->side, c->item, key)) {
        c->failed = 1;
        return 1;
    }
    return 0;
}

int tg_i_remember_props(tg_exec *x, tg_side side, uint32_t item)
{
    remember_ctx c = {x, side, item, 0};
    if (tg_i_before_write(x))
        return -1;
    tg_graph_each_prop(x->g, side, item, remember_visit, &c);
    return c.failed ? -1 : 0;
}

/* Whether two stored values are the same value (lists element by element). */
static int same(const tg_graph *g, const tg_pval *a, const tg_pval *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case TG_V_BOOL: return a->u.b == b->u.b;
    case TG_V_INT: return a->u.i == b->u.i;
    case TG_V_FLOAT: return memcmp(&a->u.f, &b->u.f, sizeof a->u.f) == 0;
    case TG_V_STRING: return a->u.s == b->u.s;
    case TG_V_LIST: {
        const tg_pval *x, *y;
        if (a->len != b->len || (a->len && a->elem != b->elem))
            return 0;
        x = tg_graph_list(g, a);
        y = tg_graph_list(g, b);
        for (uint32_t i = 0; i < a->len; i++)
            if (!same(g, &x[i], &y[i]))
                return 0;
        return 1;
    }
    default: return 1;
    }
}

/* Whether item still exists (a deleted one has no properties). */
static int live(const tg_graph *g, tg_side side, uint32_t item)
{
#ifdef TG_GRAPH_HAS_DELETION
    return side == TG_ENTITY ? tg_graph_entity_is_live(g, item)
                             : tg_graph_relation_is_live(g, item);
#else
    (void)g;
    (void)side;
    (void)item;
    return 1;
#endif
}

void tg_i_effects_finish(tg_exec *x)
{
    struct tg_effects_log *l = x->log;
    const tg_sym *labels;
    size_t n, i = 0, j = 0;
    tg_sym *now;
    if (!l)
        return;
    for (size_t k = 0; k < l->cap; k++) {
        const touched *t = &l->slots[k];
        const tg_pval *after;
        if (!t->used)
            continue;
        after = live(x->g, (tg_side)t->side, t->item)
                    ? tg_graph_prop(x->g, (tg_side)t->side, t->item, t->key)
                    : NULL;
        if (t->had && after && same(x->g, &t->before, after))
            continue;
        if (after)
            x->effects.properties_set++;
        if (t->had)
            x->effects.properties_removed++;
    }
    /* labels in use before and after, both sorted */
    n = tg_graph_all_labels(x->g, &labels);
    now = malloc((n ? n : 1) * sizeof *now);
    if (!now)
        return; /* the counts of labels stay 0: they are only reported */
    if (n) {
        memcpy(now, labels, n * sizeof *now);
        qsort(now, n, sizeof *now, cmp_sym);
    }
    while (i < l->nlabels_before || j < n) {
        if (j == n || (i < l->nlabels_before && l->labels_before[i] < now[j])) {
            x->effects.labels_removed++;
            i++;
        } else if (i == l->nlabels_before || now[j] < l->labels_before[i]) {
            x->effects.labels_added++;
            j++;
        } else {
            i++;
            j++;
        }
    }
    free(now);
}

void tg_i_effects_free(tg_exec *x)
{
    struct tg_effects_log *l = x->log;
    if (!l)
        return;
    free(l->slots);
    free(l->labels_before);
    free(l);
    x->log = NULL;
}
