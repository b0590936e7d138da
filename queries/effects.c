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
#include "temporal.h"

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

/* What undoing a statement needs beyond the touched properties, in the
 * order it happened: labels given and taken on entities that existed
 * before, and the deletions (with what the deleted item was). */
enum { U_LABEL_ADD, U_LABEL_DEL, U_DEL_ENT, U_DEL_REL };

typedef struct undo {
    uint8_t kind;
    uint32_t item;    /* the entity or relation index */
    tg_sym sym;       /* the label; U_DEL_ENT: the id; U_DEL_REL: the type */
    uint32_t from, to; /* U_DEL_REL: endpoints; U_DEL_ENT: labels[from .. from + to) */
} undo;

struct tg_effects_log {
    touched *slots;
    size_t cap, n;
    tg_sym *labels_before; /* sorted */
    size_t nlabels_before;
    size_t ents_before, rels_before; /* index bounds: higher ones are new */
    undo *undo;
    size_t nundo, capundo;
    tg_sym *dlabels; /* the labels of deleted entities */
    size_t ndlabels, capdlabels;
};

static size_t hash(tg_side side, uint32_t item, tg_sym key)
{
    uint64_t h = ((uint64_t)item << 32 | key) ^ ((uint64_t)side << 63);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return (size_t)h;
}

int tg_i_before_write(tg_exec *x)
{
    struct tg_effects_log *l = x->log;
    if (l)
        return 0;
    if (!(l = calloc(1, sizeof *l)))
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    x->log = l;
    l->ents_before = tg_graph_entity_count(x->g);
    l->rels_before = tg_graph_relation_count(x->g);
    /* one pass over the label sets, not the label index (a write drops it) */
    l->nlabels_before = tg_graph_labels_in_use(x->g, &l->labels_before);
    if (!l->labels_before)
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    return 0;
}

int tg_i_created_here(const tg_exec *x, tg_side side, uint32_t item)
{
    const struct tg_effects_log *l = x->log;
    return l && item >= (side == TG_ENTITY ? l->ents_before : l->rels_before);
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
    case TG_V_DATE:
    case TG_V_LOCALTIME:
    case TG_V_TIME:
    case TG_V_LOCALDATETIME:
    case TG_V_DATETIME:
    case TG_V_DURATION: {
        /* the same value, not the same instant: 12:00+01:00 is not 11:00Z */
        tg_temporal x, y;
        if (!tg_graph_temporal(g, a, &x) || !tg_graph_temporal(g, b, &y))
            return 0;
        return x.months == y.months && x.days == y.days && x.seconds == y.seconds &&
               x.nanos == y.nanos && x.offset == y.offset && x.zone == y.zone && x.kind == y.kind;
    }
    default: return 1;
    }
}

/* Whether item still exists (a deleted one has no properties). */
static int live(const tg_graph *g, tg_side side, uint32_t item)
{
    return side == TG_ENTITY ? tg_graph_entity_is_live(g, item)
                             : tg_graph_relation_is_live(g, item);
}

void tg_i_effects_finish(tg_exec *x)
{
    struct tg_effects_log *l = x->log;
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
    n = tg_graph_labels_in_use(x->g, &now);
    if (!now)
        return; /* the counts of labels stay 0: they are only reported */
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

/* ---- undo -------------------------------------------------------------- */

static int push_undo(tg_exec *x, const undo *u)
{
    struct tg_effects_log *l;
    if (tg_i_before_write(x))
        return -1;
    l = x->log;
    if (l->nundo == l->capundo) {
        size_t nc = l->capundo ? l->capundo * 2 : 32;
        undo *nu = realloc(l->undo, nc * sizeof *nu);
        if (!nu)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        l->undo = nu;
        l->capundo = nc;
    }
    l->undo[l->nundo++] = *u;
    return 0;
}

int tg_i_add_label(tg_exec *x, tg_ent e, tg_sym s)
{
    undo u = {U_LABEL_ADD, e, s, 0, 0};
    if (tg_graph_has_label(x->g, e, s))
        return 0;
    if (push_undo(x, &u))
        return -1;
    return tg_graph_add_label(x->g, e, s, x->err) == TG_OK ? 0 : -1;
}

int tg_i_remove_label(tg_exec *x, tg_ent e, tg_sym s)
{
    undo u = {U_LABEL_DEL, e, s, 0, 0};
    if (!tg_graph_has_label(x->g, e, s))
        return 0;
    if (push_undo(x, &u))
        return -1;
    return tg_graph_remove_label(x->g, e, s, x->err) == TG_OK ? 0 : -1;
}

int tg_i_delete_relation(tg_exec *x, tg_rel r)
{
    undo u = {U_DEL_REL, r, tg_graph_rel_type(x->g, r), tg_graph_rel_from(x->g, r),
              tg_graph_rel_to(x->g, r)};
    if (!tg_graph_relation_is_live(x->g, r))
        return 0;
    if (tg_i_remember_props(x, TG_RELATION, r) || push_undo(x, &u))
        return -1;
    return tg_graph_delete_relation(x->g, r, x->err) == TG_OK ? 0 : -1;
}

int tg_i_delete_entity(tg_exec *x, tg_ent e)
{
    struct tg_effects_log *l;
    const tg_sym *labels;
    size_t n = tg_graph_labels(x->g, e, &labels);
    undo u = {U_DEL_ENT, e, tg_graph_entity_id(x->g, e), 0, (uint32_t)n};
    if (!tg_graph_entity_is_live(x->g, e))
        return 0;
    if (tg_i_remember_props(x, TG_ENTITY, e))
        return -1;
    l = x->log;
    if (l->ndlabels + n > l->capdlabels) {
        size_t nc = (l->capdlabels + n) * 2;
        tg_sym *nl = realloc(l->dlabels, nc * sizeof *nl);
        if (!nl)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        l->dlabels = nl;
        l->capdlabels = nc;
    }
    u.from = (uint32_t)l->ndlabels;
    if (n)
        memcpy(l->dlabels + l->ndlabels, labels, n * sizeof *labels);
    l->ndlabels += n;
    if (push_undo(x, &u))
        return -1;
    /* detach: the relations left are ones this statement created (op_delete
       deletes the others first) or none */
    return tg_graph_delete_entity(x->g, e, 1, x->err) == TG_OK ? 0 : -1;
}

/* Where an entity or relation deleted and made again lives now: a small
 * open-addressing map of old index -> new index. */
typedef struct remap {
    uint32_t *keys, *vals;
    size_t cap, n;
} remap;

static int remap_put(remap *m, uint32_t k, uint32_t v)
{
    if ((m->n + 1) * 2 > m->cap) {
        remap g = {NULL, NULL, m->cap ? m->cap * 2 : 64, 0};
        g.keys = malloc(g.cap * sizeof *g.keys);
        g.vals = malloc(g.cap * sizeof *g.vals);
        if (!g.keys || !g.vals) {
            free(g.keys);
            free(g.vals);
            return -1;
        }
        memset(g.keys, 0xff, g.cap * sizeof *g.keys);
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i] != UINT32_MAX)
                remap_put(&g, m->keys[i], m->vals[i]);
        free(m->keys);
        free(m->vals);
        *m = g;
    }
    size_t h = (k * 2654435761u) & (m->cap - 1);
    while (m->keys[h] != UINT32_MAX && m->keys[h] != k)
        h = (h + 1) & (m->cap - 1);
    m->n += m->keys[h] == UINT32_MAX;
    m->keys[h] = k;
    m->vals[h] = v;
    return 0;
}

static uint32_t remap_get(const remap *m, uint32_t k)
{
    if (!m->cap)
        return k;
    size_t h = (k * 2654435761u) & (m->cap - 1);
    while (m->keys[h] != UINT32_MAX) {
        if (m->keys[h] == k)
            return m->vals[h];
        h = (h + 1) & (m->cap - 1);
    }
    return k;
}

static int cmp_touched(const void *a, const void *b)
{
    const touched *x = a, *y = b;
    if (x->side != y->side)
        return x->side < y->side ? -1 : 1;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->item < y->item ? -1 : x->item > y->item;
}

int tg_i_effects_undo(tg_exec *x)
{
    struct tg_effects_log *l = x->log;
    remap ents = {0}, rels = {0};
    tg_error err;
    int rc = 0;
    size_t ne, nr;
    if (!l)
        return 0;
    tg_error_clear(&err);
    /* what the statement made goes */
    ne = tg_graph_entity_count(x->g);
    nr = tg_graph_relation_count(x->g);
    for (size_t r = l->rels_before; r < nr; r++)
        if (tg_graph_relation_is_live(x->g, (tg_rel)r) &&
            tg_graph_delete_relation(x->g, (tg_rel)r, &err) != TG_OK)
            rc = -1;
    for (size_t e = l->ents_before; e < ne; e++)
        if (tg_graph_entity_is_live(x->g, (tg_ent)e) &&
            tg_graph_delete_entity(x->g, (tg_ent)e, 1, &err) != TG_OK)
            rc = -1;
    /* what it did to the items before it, last first */
    for (size_t i = l->nundo; i-- > 0;) {
        const undo *u = &l->undo[i];
        if (u->kind == U_DEL_REL ? u->item >= l->rels_before : u->item >= l->ents_before)
            continue; /* made by the statement: gone already */
        switch (u->kind) {
        case U_LABEL_ADD:
        case U_LABEL_DEL: {
            tg_ent e = remap_get(&ents, u->item);
            if (!tg_graph_entity_is_live(x->g, e))
                break;
            if ((u->kind == U_LABEL_ADD ? tg_graph_remove_label(x->g, e, u->sym, &err)
                                        : tg_graph_add_label(x->g, e, u->sym, &err)) != TG_OK)
                rc = -1;
            break;
        }
        case U_DEL_ENT: {
            size_t len;
            const char *id = tg_graph_str(x->g, u->sym, &len);
            tg_ent e;
            if (tg_graph_add_entity(x->g, id, len, &e, &err) != TG_OK ||
                remap_put(&ents, u->item, e)) {
                rc = -1;
                break;
            }
            for (uint32_t k = 0; k < u->to; k++)
                if (tg_graph_add_label(x->g, e, l->dlabels[u->from + k], &err) != TG_OK)
                    rc = -1;
            break;
        }
        case U_DEL_REL: {
            tg_ent from = remap_get(&ents, u->from), to = remap_get(&ents, u->to);
            tg_rel r;
            if (tg_graph_add_relation(x->g, from, to, u->sym, &r, &err) != TG_OK ||
                remap_put(&rels, u->item, r))
                rc = -1;
            break;
        }
        default: break;
        }
    }
    /* the properties as they were, by key and item: a column is then
       written in increasing order (appends for the items made again) */
    {
        touched *restore = malloc((l->n ? l->n : 1) * sizeof *restore);
        size_t n = 0;
        if (!restore)
            rc = -1;
        for (size_t k = 0; restore && k < l->cap; k++) {
            touched t = l->slots[k];
            if (!t.used || t.item >= (t.side == TG_ENTITY ? l->ents_before : l->rels_before))
                continue;
            t.item = remap_get(t.side == TG_ENTITY ? &ents : &rels, t.item);
            if (live(x->g, (tg_side)t.side, t.item))
                restore[n++] = t;
        }
        if (restore)
            qsort(restore, n, sizeof *restore, cmp_touched);
        for (size_t k = 0; k < n; k++) {
            tg_pval none;
            memset(&none, 0, sizeof none);
            if (tg_graph_set_prop(x->g, (tg_side)restore[k].side, restore[k].item, restore[k].key,
                                  restore[k].had ? &restore[k].before : &none, &err) != TG_OK)
                rc = -1;
        }
        free(restore);
    }
    free(ents.keys);
    free(ents.vals);
    free(rels.keys);
    free(rels.vals);
    return rc;
}

void tg_i_effects_free(tg_exec *x)
{
    struct tg_effects_log *l = x->log;
    if (!l)
        return;
    free(l->undo);
    free(l->dlabels);
    free(l->slots);
    free(l->labels_before);
    free(l);
    x->log = NULL;
}
