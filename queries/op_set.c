/* op_set.c — SET n.k = v, SET n = map, SET n += map, SET n:Label, and
 * REMOVE (n.k as setting null, n:Label as TG_SET_REMOVE_LABELS).
 *
 * Eager, like CREATE: every input row is read before the first write (a
 * write drops the index arrays upstream operators read), and the writes are
 * done when the operator is opened. A null value removes a property; SET on
 * a null entity (from OPTIONAL MATCH) does nothing. Setting `id` on a node
 * stores a property named "id" (entity ids never change); n.id then reads it.
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

static int entity_of(tg_exec *x, const tg_set_item *it, const tg_value *v, tg_side *side,
                     uint32_t *item)
{
    if (tg_i_check_live(x, v, &it->pos))
        return -1;
    if (v->kind == TG_VAL_NODE) {
        *side = TG_ENTITY;
        *item = v->u.node;
        return 1;
    }
    if (v->kind == TG_VAL_REL) {
        *side = TG_RELATION;
        *item = v->u.rel;
        return 1;
    }
    if (v->kind == TG_VAL_NULL)
        return 0;
    tg_exec_fail(x, TG_ETYPE, &it->pos, "InvalidArgumentType: %s needs a node or a "
                                        "relationship, got a %s",
                 it->kind == TG_SET_REMOVE_LABELS ? "REMOVE" : "SET",
                 tg_value_kind_name((tg_vkind)v->kind));
    return -1;
}

static int set_one(tg_exec *x, tg_side side, uint32_t item, const char *key, size_t klen,
                   const tg_value *v, const tg_ast_pos *pos)
{
    tg_pval pv;
    tg_sym k;
    int had;
    if (tg_value_to_pval(x->g, v, &pv, x->err) != TG_OK) {
        x->err->line = pos->line;
        x->err->column = pos->column;
        return -1;
    }
    k = tg_graph_intern(x->g, key, klen);
    if (!k)
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    had = tg_graph_prop(x->g, side, item, k) != NULL;
    if (pv.type == TG_V_NULL && !had)
        return 0;
    return tg_i_write_prop(x, side, item, k, &pv);
}

typedef struct keylist {
    tg_sym *keys;
    size_t n, cap;
    int failed;
} keylist;

static int collect_key(void *ctx, tg_sym key, const tg_pval *v)
{
    keylist *l = ctx;
    (void)v;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        tg_sym *nk = realloc(l->keys, nc * sizeof *nk);
        if (!nk) {
            l->failed = 1;
            return 1;
        }
        l->keys = nk;
        l->cap = nc;
    }
    l->keys[l->n++] = key;
    return 0;
}

/* Removes every property of item (SET n = map). */
static int clear_props(tg_exec *x, tg_side side, uint32_t item)
{
    keylist l = {NULL, 0, 0, 0};
    tg_pval none;
    int rc = 0;
    memset(&none, 0, sizeof none);
    tg_graph_each_prop(x->g, side, item, collect_key, &l);
    if (l.failed)
        rc = tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < l.n && rc == 0; i++)
        rc = tg_i_write_prop(x, side, item, l.keys[i], &none);
    free(l.keys);
    return rc;
}

static int set_map(tg_exec *x, const tg_set_item *it, tg_side side, uint32_t item,
                   const tg_value *map)
{
    tg_value m = *map;
    if (m.kind == TG_VAL_NODE || m.kind == TG_VAL_REL) {
        const tg_value *args = map;
        if (tg_i_func_properties(x, args, 1, &m) != TG_OK)
            return -1;
    }
    if (m.kind == TG_VAL_NULL)
        m.len = 0;
    else if (m.kind != TG_VAL_MAP)
        return tg_exec_fail(x, TG_ETYPE, &it->pos,
                            "InvalidArgumentType: SET n = / += needs a map, got a %s",
                            tg_value_kind_name((tg_vkind)m.kind));
    if (it->kind == TG_AST_SET_REPLACE && clear_props(x, side, item))
        return -1;
    for (uint32_t k = 0; k < m.len; k++) {
        const tg_vmap_entry *e = &m.u.map[k];
        if (it->kind == TG_AST_SET_REPLACE && e->value.kind == TG_VAL_NULL)
            continue;
        if (set_one(x, side, item, e->key, e->klen, &e->value, &it->pos))
            return -1;
    }
    return 0;
}

int tg_i_apply_sets(tg_exec *x, const tg_set_item *items, size_t n, tg_value *row)
{
    for (size_t i = 0; i < n; i++) {
        const tg_set_item *it = &items[i];
        tg_value target, v = tg_value_null();
        tg_side side;
        uint32_t item;
        int r;
        if (tg_expr_eval(it->target, x, row, &target) != TG_OK)
            return -1;
        if (it->value && tg_expr_eval(it->value, x, row, &v) != TG_OK)
            return -1;
        r = entity_of(x, it, &target, &side, &item);
        if (r < 0)
            return -1;
        if (r == 0)
            continue;
        switch (it->kind) {
        case TG_AST_SET_PROPERTY:
            if (set_one(x, side, item, it->key, strlen(it->key), &v, &it->pos))
                return -1;
            break;
        case TG_AST_SET_REPLACE:
        case TG_AST_SET_MERGE:
            if (set_map(x, it, side, item, &v))
                return -1;
            break;
        case TG_AST_SET_LABELS:
        case TG_SET_REMOVE_LABELS:
            if (side != TG_ENTITY)
                return tg_exec_fail(x, TG_ETYPE, &it->pos,
                                    "InvalidArgumentType: only nodes have labels");
            for (size_t l = 0; l < it->labels.n; l++) {
                const char *name = it->labels.names[l];
                int add = it->kind == TG_AST_SET_LABELS;
                /* a label the graph has never seen: interned to add, absent to remove */
                tg_sym s = add ? tg_graph_intern(x->g, name, strlen(name))
                               : tg_graph_sym(x->g, name, strlen(name));
                if (!s && add)
                    return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
                if (s && (add ? tg_i_add_label(x, item, s) : tg_i_remove_label(x, item, s)))
                    return -1;
            }
            break;
        default: break;
        }
    }
    return 0;
}

typedef struct op_set {
    tg_op base;
    tg_set_item *items;
    size_t n;
    tg_rowbuf rows;
    size_t i;
} op_set;

static tg_status set_open(tg_op *op, tg_exec *x)
{
    op_set *o = (op_set *)op;
    tg_status st = tg_op_drain_all(op->child, x, &o->rows);
    o->i = 0;
    for (size_t i = 0; st == TG_OK && i < o->rows.n; i++)
        if (tg_i_apply_sets(x, o->items, o->n, tg_rowbuf_at(&o->rows, x, i)))
            st = x->err->status != TG_OK ? x->err->status : TG_ERUNTIME;
    return st;
}

static int set_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_set *o = (op_set *)op;
    return tg_rowbuf_next(&o->rows, &o->i, x, row);
}

static void set_close(tg_op *op)
{
    op_set *o = (op_set *)op;
    tg_rowbuf_free(&o->rows);
}

static void set_explain(const tg_op *op, tg_explain *e)
{
    const op_set *o = (const op_set *)op;
    tg_explain_detail(e, "%zu item(s) per row, after reading every row", o->n);
}

static const tg_op_vt set_vt = {"Set", set_open, set_next, set_close, set_explain};

tg_op *tg_op_set(tg_arena *a, tg_op *child, tg_set_item *items, size_t n)
{
    op_set *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &set_vt;
    o->base.child = child;
    o->items = items;
    o->n = n;
    return &o->base;
}
