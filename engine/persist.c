/* persist.c — what changed since a mark, and replaying saved changes.
 *
 * The store writes small changes as a log instead of rewriting the graph
 * (docs/store.md). For that the graph keeps a mark: the counts of strings,
 * entities, relations and sources when it was opened or last saved, and
 * lists of the older items that changed since (labels, deletion,
 * properties, source fields). Anything past the counts is new and is read
 * from the graph itself. Each list may hold repeats; tg_graph_changes_get
 * sorts and squeezes them.
 *
 * Replaying puts the log back onto a graph opened from its base. It goes
 * around the public mutators where they would need what is still in the
 * store (a deletion does not read the adjacency: the log holds the
 * relations' deletions too), and never records changes.
 */
#include "graph_internal.h"

#include <stdlib.h>
#include <string.h>

#define EMPTY32 0xFFFFFFFFu

static void note(tg_graph *g, tg_vec *v, size_t esize, const void *item)
{
    if (tg_vec_push(v, esize, item) != 0)
        g->mark.lost = 1; /* tg_graph_changes_get reports it */
}

void tg_i_note_relabel(tg_graph *g, tg_ent e)
{
    if (!g->mark.replaying && e < g->mark.nent)
        note(g, &g->mark.relabelled, sizeof e, &e);
}

void tg_i_note_dead(tg_graph *g, tg_side side, uint32_t item)
{
    if (!g->mark.replaying && item < (side == TG_ENTITY ? g->mark.nent : g->mark.nrel))
        note(g, &g->mark.dead[side], sizeof item, &item);
}

void tg_i_note_prop(tg_graph *g, tg_side side, uint32_t item, tg_sym key)
{
    tg_prop_ref ref;

    if (g->mark.replaying || item >= (side == TG_ENTITY ? g->mark.nent : g->mark.nrel))
        return;
    memset(&ref, 0, sizeof ref);
    ref.side = side;
    ref.item = item;
    ref.key = key;
    note(g, &g->mark.props, sizeof ref, &ref);
}

void tg_i_note_source(tg_graph *g, uint32_t s)
{
    if (!g->mark.replaying && s < g->mark.nsrc)
        note(g, &g->mark.sources, sizeof s, &s);
}

void tg_i_marks_free(tg_graph *g)
{
    tg_vec_free(&g->mark.relabelled);
    tg_vec_free(&g->mark.dead[0]);
    tg_vec_free(&g->mark.dead[1]);
    tg_vec_free(&g->mark.props);
    tg_vec_free(&g->mark.sources);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

static int cmp_ref(const void *a, const void *b)
{
    const tg_prop_ref *x = a, *y = b;

    if (x->side != y->side)
        return x->side < y->side ? -1 : 1;
    if (x->item != y->item)
        return x->item < y->item ? -1 : 1;
    return (x->key > y->key) - (x->key < y->key);
}

/* Sorts v and drops repeats. */
static void squeeze(tg_vec *v, size_t esize, int (*cmp)(const void *, const void *))
{
    size_t i, w = 0;
    char *a = v->a;

    if (v->n < 2)
        return;
    qsort(a, v->n, esize, cmp);
    for (i = 1; i < v->n; i++)
        if (cmp(a + w * esize, a + i * esize) != 0 && ++w != i)
            memcpy(a + w * esize, a + i * esize, esize);
    v->n = w + 1;
}

tg_status tg_graph_changes_get(tg_graph *g, tg_graph_changes *c, tg_error *err)
{
    memset(c, 0, sizeof *c);
    if (g->mark.lost)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0,
                            "out of memory: a change could not be recorded");
    squeeze(&g->mark.relabelled, sizeof(uint32_t), cmp_u32);
    squeeze(&g->mark.dead[0], sizeof(uint32_t), cmp_u32);
    squeeze(&g->mark.dead[1], sizeof(uint32_t), cmp_u32);
    squeeze(&g->mark.props, sizeof(tg_prop_ref), cmp_ref);
    squeeze(&g->mark.sources, sizeof(uint32_t), cmp_u32);
    c->strings = g->mark.nstr;
    c->entities = g->mark.nent;
    c->relations = g->mark.nrel;
    c->sources = g->mark.nsrc;
    c->relabelled = g->mark.relabelled.a;
    c->nrelabelled = g->mark.relabelled.n;
    c->deleted[0] = g->mark.dead[0].a;
    c->ndeleted[0] = g->mark.dead[0].n;
    c->deleted[1] = g->mark.dead[1].a;
    c->ndeleted[1] = g->mark.dead[1].n;
    c->props = g->mark.props.a;
    c->nprops = g->mark.props.n;
    c->sources_changed = g->mark.sources.a;
    c->nsources_changed = g->mark.sources.n;
    return TG_OK;
}

void tg_graph_changes_mark(tg_graph *g)
{
    g->mark.nstr = g->str_ptr.n;
    g->mark.nent = g->ent_id.n;
    g->mark.nrel = tg_i_nrel(g);
    g->mark.nsrc = g->sources.n;
    g->mark.relabelled.n = 0;
    g->mark.dead[0].n = g->mark.dead[1].n = 0;
    g->mark.props.n = 0;
    g->mark.sources.n = 0;
    g->mark.lost = 0;
}

/* ---- replay --------------------------------------------------------------- */

static tg_status bad_log(tg_error *err, const char *what, unsigned long long index)
{
    return tg_error_set(err, TG_EDATA, NULL, 0, 0,
                        "the store's change log is damaged: %s (item %llu)", what, index);
}

static int cmp_sym(const void *a, const void *b)
{
    return cmp_u32(a, b);
}

tg_status tg_graph_replay_entity(tg_graph *g, tg_ent e, const char *id, size_t len,
                                 const tg_sym *labels, size_t nlabels, int deleted, tg_error *err)
{
    tg_sym buf[64], *sorted = buf;
    size_t i, n = 0;
    uint32_t set;
    tg_status st = TG_OK;

    if (e > g->ent_id.n)
        return bad_log(err, "an entity past the next free index", e);
    if (e < g->ent_id.n && tg_i_bit(&g->ent_dead, e))
        return bad_log(err, "a deleted entity comes back", e);
    for (i = 0; i < nlabels; i++)
        if (labels[i] == 0 || labels[i] >= g->str_ptr.n)
            return bad_log(err, "a label is not a string of the store", e);
    if (nlabels > sizeof buf / sizeof buf[0] && !(sorted = malloc(nlabels * sizeof *sorted)))
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    if (nlabels)
        memcpy(sorted, labels, nlabels * sizeof *sorted);
    qsort(sorted, nlabels, sizeof *sorted, cmp_sym);
    for (i = 0; i < nlabels; i++)
        if (i == 0 || sorted[i] != sorted[n - 1])
            sorted[n++] = sorted[i];
    g->mark.replaying = 1;
    if (e == g->ent_id.n) {
        st = tg_graph_add_entity(g, id, len, NULL, err);
        if (st == TG_EINVAL)
            st = bad_log(err, "a new entity's id is taken", e);
    } else {
        size_t have;
        const char *s = tg_graph_str(g, tg_graph_entity_id(g, e), &have);
        if (have != len || memcmp(s, id, len) != 0)
            st = bad_log(err, "an entity changed its id", e);
    }
    if (st == TG_OK) {
        set = tg_i_graph_labelset(g, sorted, n);
        g->lset_owner = TG_NONE; /* who else uses it is not known here */
        if (set == TG_NONE) {
            st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        } else if (TG_VEC_AT(&g->ent_lset, uint32_t, e) != set) { /* e is ready */
            tg_i_ent_set_lset(g, e, set);
            tg_i_graph_invalidate(g, TG_I_CHANGE_LABELS);
            g->generation++;
        }
    }
    if (st == TG_OK && deleted) {
        if (tg_i_set_bit(&g->ent_dead, e) != 0) {
            st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        } else {
            tg_i_ent_set_lset(g, e, 0);
            tg_i_ent_map_ready(g, TG_VEC_AT(&g->ent_id, tg_sym, e));
            tg_u32map_del(&g->ent_of_sym, TG_VEC_AT(&g->ent_id, tg_sym, e));
            g->ndead_ent++;
            tg_i_graph_invalidate(g, TG_I_CHANGE_ENTITIES | TG_I_CHANGE_LABELS);
            g->generation++;
        }
    }
    g->mark.replaying = 0;
    if (sorted != buf)
        free(sorted);
    return st;
}

tg_status tg_graph_replay_relation(tg_graph *g, tg_rel r, tg_ent from, tg_ent to, tg_sym type,
                                   int deleted, tg_error *err)
{
    size_t n = tg_i_nrel(g), t = g->rel_from.n;

    if (r > n)
        return bad_log(err, "a relation past the next free index", r);
    if (r < n) {
        if (!deleted)
            return bad_log(err, "an older relation changes other than by deletion", r);
        if (tg_i_bit(&g->rel_dead, r))
            return TG_OK;
    } else {
        if (from >= g->ent_id.n || to >= g->ent_id.n || type == 0 || type >= g->str_ptr.n)
            return bad_log(err, "a new relation has an invalid endpoint or type", r);
        if (!deleted && (tg_i_bit(&g->ent_dead, from) || tg_i_bit(&g->ent_dead, to)))
            return bad_log(err, "a new relation ends at a deleted entity", r);
        /* appended as add_relation does, without reading the older ones */
        if (tg_vec_reserve(&g->rel_from, sizeof(tg_ent), t + 1) != 0 ||
            tg_vec_reserve(&g->rel_to, sizeof(tg_ent), t + 1) != 0 ||
            tg_vec_reserve(&g->rel_type, sizeof(tg_sym), t + 1) != 0)
            return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        tg_vec_push(&g->rel_from, sizeof(tg_ent), &from);
        tg_vec_push(&g->rel_to, sizeof(tg_ent), &to);
        tg_vec_push(&g->rel_type, sizeof(tg_sym), &type);
        if (!deleted) {
            tg_i_graph_invalidate(g, TG_I_CHANGE_RELATIONS);
            g->generation++;
            return TG_OK;
        }
    }
    if (tg_i_set_bit(&g->rel_dead, r) != 0)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    g->ndead_rel++;
    tg_i_graph_invalidate(g, TG_I_CHANGE_RELATIONS);
    g->generation++;
    return TG_OK;
}

tg_status tg_graph_replay_prop(tg_graph *g, tg_side side, uint32_t item, tg_sym key,
                               const tg_pval *v, tg_error *err)
{
    tg_side_props *p;
    uint32_t k;
    tg_column *c;
    tg_pval none;
    tg_status st;

    memset(&none, 0, sizeof none);
    if (!v)
        v = &none;
    if ((side != TG_ENTITY && side != TG_RELATION) ||
        item >= (side == TG_ENTITY ? g->ent_id.n : tg_i_nrel(g)))
        return bad_log(err, "a property of an item that does not exist", item);
    if (key == 0 || key >= g->str_ptr.n || (v->type != TG_V_NULL && !tg_i_pval_valid(g, v, 1)))
        return bad_log(err, "an invalid property key or value", item);
    if (tg_i_bit(side == TG_ENTITY ? &g->ent_dead : &g->rel_dead, item))
        return TG_OK; /* a deleted item's properties read as absent anyway */
    p = &g->props[side];
    k = tg_u32map_get(&p->col_of_key, key);
    c = k == EMPTY32 ? NULL : &TG_VEC_AT(&p->cols, tg_column, k);
    if (c && c->pending && item <= c->last) {
        tg_i_replay q;
        memset(&q, 0, sizeof q);
        q.row = item;
        q.seq = (uint32_t)c->queue.n;
        q.v = v->type == TG_V_NULL ? none : tg_i_pval_clean(v);
        if (tg_vec_push(&c->queue, sizeof q, &q) != 0)
            return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        if (side == TG_ENTITY)
            tg_i_graph_invalidate(g, TG_I_CHANGE_PROPS);
        g->generation++;
        return TG_OK;
    }
    g->mark.replaying = 1;
    st = tg_graph_set_prop(g, side, item, key, v, err);
    g->mark.replaying = 0;
    return st;
}
