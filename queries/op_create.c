/* op_create.c — CREATE.
 *
 * Eager: every input row is read before the first write, because a write
 * drops the graph's derived indexes that upstream operators are reading
 * (the way Neo4j makes such statements eager). Then, row by row, the
 * pattern's unbound nodes and its relations are created and the rows are
 * emitted with the new entities in their slots.
 *
 * Entity ids: a string `id` property becomes the entity's id (an existing id
 * is an error); without one, a fresh id "_n<k>" is generated (the smallest
 * k >= number of entities that is free). A non-string `id` is stored as an
 * ordinary property named "id".
 */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct op_create {
    tg_op base;
    tg_create_path *paths;
    size_t npaths;
    tg_rowbuf rows;
    size_t i;
    int loaded;
} op_create;

static int load(op_create *o, tg_exec *x, tg_value *row);

/* The writes happen in open: a LIMIT above must not stop them. */
static tg_status create_open(tg_op *op, tg_exec *x)
{
    op_create *o = (op_create *)op;
    tg_status st;
    tg_value *row;
    tg_rowbuf_free(&o->rows);
    o->i = 0;
    o->loaded = 0;
    st = tg_op_open(op->child, x);
    if (st != TG_OK)
        return st;
    row = malloc((x->width ? x->width : 1) * sizeof *row);
    if (!row)
        return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    tg_row_clear(row, x->width);
    if (load(o, x, row))
        st = x->err && x->err->status != TG_OK ? x->err->status : TG_ERUNTIME;
    free(row);
    return st;
}

static int set_props(tg_exec *x, tg_side side, uint32_t item, const tg_value *map, int skip_id,
                     const tg_ast_pos *pos)
{
    for (uint32_t k = 0; map->kind == TG_VAL_MAP && k < map->len; k++) {
        const tg_vmap_entry *e = &map->u.map[k];
        tg_pval pv;
        tg_sym key;
        if (e->value.kind == TG_VAL_NULL)
            continue;
        if (skip_id && e->klen == 2 && memcmp(e->key, "id", 2) == 0 &&
            e->value.kind == TG_VAL_STRING)
            continue;
        if (tg_value_to_pval(x->g, &e->value, &pv, x->err) != TG_OK) {
            x->err->line = pos->line;
            x->err->column = pos->column;
            return -1;
        }
        key = tg_graph_intern(x->g, e->key, e->klen);
        if (!key)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        if (tg_i_write_prop(x, side, item, key, &pv))
            return -1;
    }
    return 0;
}

static int create_node(tg_exec *x, const tg_create_node *cn, tg_value *row)
{
    tg_value props = tg_value_null();
    const tg_value *idv = NULL;
    tg_ent e;
    char buf[32];
    if (cn->props && tg_expr_eval(cn->props, x, row, &props) != TG_OK)
        return -1;
    if (props.kind == TG_VAL_MAP)
        idv = tg_value_map_get(&props, "id", 2);
    if (idv && idv->kind == TG_VAL_STRING) {
        if (tg_graph_find_entity(x->g, idv->u.s, idv->len) != TG_NONE)
            return tg_exec_fail(x, TG_ERUNTIME, &cn->pos,
                                "an entity with id '%.*s' already exists", (int)idv->len,
                                idv->u.s);
        if (tg_i_before_write(x) ||
            tg_graph_add_entity(x->g, idv->u.s, idv->len, &e, x->err) != TG_OK)
            return -1;
    } else {
        size_t k = tg_graph_entity_count(x->g);
        if (tg_i_before_write(x))
            return -1;
        for (;;) {
            int len = snprintf(buf, sizeof buf, "_n%zu", k);
            if (tg_graph_find_entity(x->g, buf, (size_t)len) == TG_NONE) {
                if (tg_graph_add_entity(x->g, buf, (size_t)len, &e, x->err) != TG_OK)
                    return -1;
                break;
            }
            k++;
        }
    }
    x->effects.nodes_created++;
    for (size_t l = 0; l < cn->labels.n; l++) {
        const char *name = cn->labels.names[l];
        tg_sym s = tg_graph_intern(x->g, name, strlen(name));
        if (!s)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        if (tg_i_add_label(x, e, s))
            return -1;
    }
    if (set_props(x, TG_ENTITY, e, &props, 1, &cn->pos))
        return -1;
    if (idv && idv->kind == TG_VAL_STRING)
        x->effects.properties_set++;
    row[cn->slot] = tg_value_node(e);
    return 0;
}

int tg_i_create_paths(tg_exec *x, const tg_create_path *paths, size_t npaths, tg_value *row)
{
    for (size_t p = 0; p < npaths; p++) {
        const tg_create_path *cp = &paths[p];
        for (size_t k = 0; k < cp->nnodes; k++) {
            const tg_create_node *cn = &cp->nodes[k];
            if (cn->bound) {
                if (row[cn->slot].kind != TG_VAL_NODE)
                    return tg_exec_fail(x, TG_ERUNTIME, &cn->pos,
                                        "cannot create a relationship to a null node");
                continue;
            }
            if (create_node(x, cn, row))
                return -1;
        }
        for (size_t k = 0; k < cp->nrels; k++) {
            const tg_create_rel *cr = &cp->rels[k];
            tg_value props = tg_value_null();
            tg_rel r;
            tg_sym t = tg_graph_intern(x->g, cr->type, strlen(cr->type));
            if (!t)
                return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
            if (cr->props && tg_expr_eval(cr->props, x, row, &props) != TG_OK)
                return -1;
            if (tg_i_check_live(x, &row[cp->nodes[cr->from].slot], &cr->pos) ||
                tg_i_check_live(x, &row[cp->nodes[cr->to].slot], &cr->pos) ||
                tg_i_before_write(x))
                return -1;
            if (tg_graph_add_relation(x->g, row[cp->nodes[cr->from].slot].u.node,
                                      row[cp->nodes[cr->to].slot].u.node, t, &r,
                                      x->err) != TG_OK)
                return -1;
            x->effects.relationships_created++;
            if (set_props(x, TG_RELATION, r, &props, 0, &cr->pos))
                return -1;
            if (cr->slot >= 0)
                row[cr->slot] = tg_value_rel(r);
        }
        if (cp->path_slot >= 0) {
            tg_ent *ns = malloc((cp->nnodes + 1) * sizeof *ns);
            tg_rel *rs = malloc((cp->nrels + 1) * sizeof *rs);
            if (!ns || !rs) {
                free(ns);
                free(rs);
                return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
            }
            for (size_t k = 0; k < cp->nnodes; k++)
                ns[k] = row[cp->nodes[k].slot].u.node;
            for (size_t k = 0; k < cp->nrels; k++)
                rs[k] = row[cp->rels[k].slot].u.rel;
            row[cp->path_slot] = tg_value_path(x->mem, ns, rs, cp->nrels);
            free(ns);
            free(rs);
        }
    }
    return 0;
}

static int load(op_create *o, tg_exec *x, tg_value *row)
{
    if (tg_op_drain(o->base.child, x, row, &o->rows))
        return -1;
    for (size_t i = 0; i < o->rows.n; i++)
        if (tg_i_create_paths(x, o->paths, o->npaths, tg_rowbuf_at(&o->rows, x, i)))
            return -1;
    o->loaded = 1;
    return 0;
}

static int create_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_create *o = (op_create *)op;
    return tg_rowbuf_next(&o->rows, &o->i, x, row);
}

static void create_close(tg_op *op)
{
    op_create *o = (op_create *)op;
    tg_rowbuf_free(&o->rows);
}

static void create_explain(const tg_op *op, tg_explain *e)
{
    const op_create *o = (const op_create *)op;
    size_t nodes = 0, rels = 0;
    for (size_t p = 0; p < o->npaths; p++) {
        for (size_t k = 0; k < o->paths[p].nnodes; k++)
            nodes += !o->paths[p].nodes[k].bound;
        rels += o->paths[p].nrels;
    }
    tg_explain_detail(e, "%zu node(s) and %zu relationship(s) per row, after reading every row",
                      nodes, rels);
}

static const tg_op_vt create_vt = {"Create", create_open, create_next, create_close, create_explain};

tg_op *tg_op_create(tg_arena *a, tg_op *child, tg_create_path *paths, size_t npaths)
{
    op_create *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &create_vt;
    o->base.child = child;
    o->paths = paths;
    o->npaths = npaths;
    return &o->base;
}
