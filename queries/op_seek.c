/* op_seek.c — index seeks: the entity with a given id (the id index), or the
 * entities whose property equals a value (the graph's lazy hash index of that
 * key). The value is evaluated per input row. For `n.k IN list` the seek
 * looks up each distinct element in turn (a hash set of the elements seen:
 * O(n) for a list of n). A value the index cannot take (a
 * list, a map) falls back to scanning every node: the planner always keeps
 * the predicate as a filter after the seek, so the seek only narrows.
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

typedef struct op_seek {
    tg_op base;
    int slot;
    int by_id;
    int in_list; /* the value is a list of candidates */
    const char *key;
    tg_expr *e;
    tg_names labels;
    tg_sym *syms;
    const tg_ent *ents;
    size_t n, i;
    tg_ent one;
    int all; /* fallback: every node */
    int active;
    tg_value *in;
    tg_value vals;  /* the candidates (a list, or one value as a list of one) */
    size_t vi;      /* the next candidate */
    tg_value single;
    tg_rowset seen; /* candidates looked up for this row: each once, O(1) */
} op_seek;

static tg_status seek_open(tg_op *op, tg_exec *x)
{
    op_seek *o = (op_seek *)op;
    o->active = 0;
    if (!o->in) {
        o->in = malloc((x->width ? x->width : 1) * sizeof *o->in);
        o->syms = calloc(o->labels.n ? o->labels.n : 1, sizeof *o->syms);
        if (!o->in || !o->syms)
            return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return tg_op_open(op->child, x);
}

/* Points ents/n at the entities matching one candidate value. */
static void lookup(op_seek *o, tg_exec *x, const tg_value *v)
{
    tg_pval pv;
    tg_sym key;
    o->i = 0;
    o->n = 0;
    o->ents = NULL;
    o->all = 0;
    if (o->by_id && v->kind == TG_VAL_STRING) {
        o->one = tg_graph_find_entity(x->g, v->u.s, v->len);
        if (o->one != TG_NONE) {
            o->ents = &o->one;
            o->n = 1;
        }
        return;
    }
    if (v->kind == TG_VAL_NULL)
        return; /* nothing equals null */
    if (v->kind > TG_VAL_STRING) {
        o->all = 1;
        o->n = tg_graph_entity_count(x->g);
        return;
    }
    key = tg_graph_sym(x->g, o->key, strlen(o->key));
    if (!key)
        return;
    memset(&pv, 0, sizeof pv);
    switch (v->kind) {
    case TG_VAL_BOOL: pv.type = TG_V_BOOL; pv.u.b = v->u.b; break;
    case TG_VAL_INT: pv.type = TG_V_INT; pv.u.i = v->u.i; break;
    case TG_VAL_FLOAT: pv.type = TG_V_FLOAT; pv.u.f = v->u.f; break;
    default:
        pv.type = TG_V_STRING;
        pv.u.s = tg_graph_sym(x->g, v->u.s, v->len);
        if (!pv.u.s && v->len > 0)
            return; /* a string the graph never saw ("" is symbol 0) */
        break;
    }
    o->n = tg_graph_find_by_prop(x->g, key, &pv, &o->ents);
}

/* Whether candidate k repeats an earlier one (each node comes out once);
 * -1 when out of memory. Expected O(1). */
static int repeated(op_seek *o, size_t k)
{
    size_t idx;
    int added;
    if (o->vals.len < 2)
        return 0;
    if (tg_rowset_put(&o->seen, &o->vals.u.items[k], &idx, &added) != TG_OK)
        return -1;
    return !added;
}

static tg_status start(op_seek *o, tg_exec *x, tg_value *row)
{
    tg_value v;
    tg_status st;
    o->n = o->i = 0;
    o->vi = 0;
    o->vals = tg_value_list_ref(NULL, 0);
    tg_rowset_destroy(&o->seen);
    tg_rowset_init(&o->seen, 1);
    if ((size_t)tg_names_resolve(x->g, o->labels, o->syms) < o->labels.n)
        return TG_OK;
    st = tg_expr_eval(o->e, x, row, &v);
    if (st != TG_OK)
        return st;
    if (o->in_list && v.kind == TG_VAL_LIST)
        o->vals = v;
    else if (!o->in_list || v.kind != TG_VAL_NULL) {
        o->single = v;
        o->vals = tg_value_list_ref(&o->single, 1);
    }
    return TG_OK;
}

static int seek_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_seek *o = (op_seek *)op;
    for (;;) {
        if (!o->active) {
            int r = tg_op_next(op->child, x, row);
            if (r <= 0)
                return r;
            memcpy(o->in, row, x->width * sizeof *row);
            if (start(o, x, row) != TG_OK)
                return -1;
            o->active = 1;
        }
        while (o->i < o->n) {
            tg_ent e = o->all ? (tg_ent)o->i : o->ents[o->i];
            o->i++;
            if (tg_exec_tick(x, 0))
                return -1;
            if (o->all && !tg_graph_entity_is_live(x->g, e))
                continue; /* a deleted entity's slot */
            if (o->labels.n && !tg_node_has_labels(x->g, e, o->syms, o->labels.n))
                continue;
            memcpy(row, o->in, x->width * sizeof *row);
            row[o->slot] = tg_value_node(e);
            return 1;
        }
        /* the next distinct candidate; a full scan covers every candidate */
        while (o->vi < o->vals.len && !o->all) {
            size_t k = o->vi++;
            int rep = repeated(o, k);
            if (rep < 0)
                return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
            if (rep)
                continue;
            lookup(o, x, &o->vals.u.items[k]);
            break;
        }
        if (o->i < o->n)
            continue;
        if (o->vi >= o->vals.len || o->all)
            o->active = 0;
    }
}

static void seek_close(tg_op *op)
{
    op_seek *o = (op_seek *)op;
    free(o->in);
    free(o->syms);
    tg_rowset_destroy(&o->seen);
    o->in = NULL;
    o->syms = NULL;
}

static void seek_explain(const tg_op *op, tg_explain *e)
{
    const op_seek *o = (const op_seek *)op;
    double k = 1;
    tg_explain_detail(e, "(%s", tg_explain_slot(e, o->slot));
    for (size_t i = 0; i < o->labels.n; i++)
        tg_explain_detail(e, ":%s", o->labels.names[i]);
    tg_explain_detail(e, ") %s %s ", o->by_id ? "id" : o->key, o->in_list ? "IN" : "=");
    tg_explain_expr(e, o->e);
    tg_explain_detail(e, o->by_id ? " by the id index" : " by a hash index of the property");
    if (o->in_list && o->e->kind == TG_E_CONST && o->e->val.kind == TG_VAL_LIST)
        k = o->e->val.len;
    else if (o->in_list)
        k = 10;
    tg_explain_estimate(e, tg_explain_input(e) * k);
}

static const tg_op_vt seek_vt = {"NodeSeek", seek_open, seek_next, seek_close, seek_explain};

tg_op *tg_op_seek(tg_arena *a, tg_op *child, int slot, int by_id, int in_list,
                  const char *key, tg_expr *e, tg_names labels)
{
    op_seek *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &seek_vt;
    o->base.child = child;
    o->slot = slot;
    o->by_id = by_id;
    o->in_list = in_list;
    o->key = key;
    o->e = e;
    o->labels = labels;
    return &o->base;
}
