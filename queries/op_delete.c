/* op_delete.c — DELETE and DETACH DELETE.
 *
 * Eager, like every write: all input rows are read first, the nodes,
 * relationships and paths they name are gathered (each once), and only then
 * is anything deleted, relationships first. A node that still has a
 * relationship nobody deletes is an error (DeleteConnectedNode, as openCypher
 * checks at the end of the statement), found before the first deletion, so a
 * failing DELETE changes nothing; DETACH DELETE deletes those relationships
 * too. Deleting is a tombstone in the engine (engine/graph.h): the other
 * entities keep their indexes. Null deletes nothing; deleting twice is
 * deleting once. The rows come out unchanged afterwards: what they hold is
 * deleted, and reading its properties is DeletedEntityAccess (expr.c).
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

typedef struct op_delete {
    tg_op base;
    tg_expr **exprs;
    const tg_ast_pos *pos;
    size_t n;
    int detach;
    tg_rowbuf rows;
    size_t i;
} op_delete;

/* A set of indexes as a bitmap, and the members in order. */
typedef struct idset {
    uint64_t *bits;
    size_t nbits;
    uint32_t *items;
    size_t n, cap;
} idset;

static int idset_add(idset *s, uint32_t v)
{
    if (v >= s->nbits)
        return 0; /* not an index of the graph: cannot happen for live values */
    if (s->bits[v / 64] >> (v % 64) & 1)
        return 0;
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 64;
        uint32_t *ni = realloc(s->items, nc * sizeof *ni);
        if (!ni)
            return -1;
        s->items = ni;
        s->cap = nc;
    }
    s->bits[v / 64] |= (uint64_t)1 << (v % 64);
    s->items[s->n++] = v;
    return 0;
}

static int idset_has(const idset *s, uint32_t v)
{
    return v < s->nbits && (s->bits[v / 64] >> (v % 64) & 1);
}

static int idset_init(idset *s, size_t nbits)
{
    memset(s, 0, sizeof *s);
    s->nbits = nbits;
    s->bits = calloc(nbits / 64 + 1, sizeof *s->bits);
    return s->bits ? 0 : -1;
}

static void idset_free(idset *s)
{
    free(s->bits);
    free(s->items);
}

/* Gathers what v names. 0, or -1 with the error set. */
static int gather(op_delete *o, tg_exec *x, const tg_value *v, const tg_ast_pos *pos,
                  idset *nodes, idset *rels)
{
    int rc = 0;
    switch (v->kind) {
    case TG_VAL_NULL: return 0;
    case TG_VAL_NODE:
        if (tg_graph_entity_is_live(x->g, v->u.node))
            rc = idset_add(nodes, v->u.node);
        break;
    case TG_VAL_REL:
        if (tg_graph_relation_is_live(x->g, v->u.rel))
            rc = idset_add(rels, v->u.rel);
        break;
    case TG_VAL_PATH:
        for (uint32_t k = 0; k <= v->u.path->len && rc == 0; k++)
            if (tg_graph_entity_is_live(x->g, v->u.path->nodes[k]))
                rc = idset_add(nodes, v->u.path->nodes[k]);
        for (uint32_t k = 0; k < v->u.path->len && rc == 0; k++)
            if (tg_graph_relation_is_live(x->g, v->u.path->rels[k]))
                rc = idset_add(rels, v->u.path->rels[k]);
        break;
    case TG_VAL_LIST:
        /* a list of them (collect(n), a relationship list) */
        for (uint32_t k = 0; k < v->len && rc == 0; k++)
            rc = gather(o, x, &v->u.items[k], pos, nodes, rels);
        return rc;
    default:
        return tg_exec_fail(x, TG_ETYPE, pos,
                            "InvalidArgumentType: DELETE takes a node, a relationship or a "
                            "path, got: %s",
                            tg_value_kind_name((tg_vkind)v->kind));
    }
    return rc < 0 ? tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory") : 0;
}

/* The live relationships of node e not in rels: DETACH adds them; without
 * it the first one is an error. */
static int incident(op_delete *o, tg_exec *x, tg_ent e, idset *rels)
{
    tg_rel *rs = NULL;
    size_t n = 0;
    int rc = 0;

    if (tg_graph_incident(x->g, e, &rs, &n) != 0) {
        tg_status st = tg_graph_status(x->g, NULL);
        return st != TG_OK ? tg_exec_fail(x, st, NULL, "a part of the store could not be read")
                           : tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (!tg_graph_relation_is_live(x->g, rs[i]) || idset_has(rels, rs[i]))
            continue;
        if (!o->detach) {
            size_t len;
            const char *id = tg_graph_str(x->g, tg_graph_entity_id(x->g, e), &len);
            rc = tg_exec_fail(x, TG_ERUNTIME, &o->pos[0],
                              "DeleteConnectedNode: cannot delete the node '%.*s': it still has "
                              "relationships; delete them too, or use DETACH DELETE",
                              (int)(len > 200 ? 200 : len), id);
        } else if (idset_add(rels, rs[i]) < 0) {
            rc = tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        }
    }
    free(rs);
    return rc;
}

static int delete_all(op_delete *o, tg_exec *x)
{
    idset nodes, rels;
    int rc = 0;
    if (idset_init(&nodes, tg_graph_entity_count(x->g)) ||
        idset_init(&rels, tg_graph_relation_count(x->g))) {
        idset_free(&nodes);
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    }
    for (size_t r = 0; r < o->rows.n && rc == 0; r++) {
        tg_value *row = tg_rowbuf_at(&o->rows, x, r);
        for (size_t k = 0; k < o->n && rc == 0; k++) {
            tg_value v;
            tg_vmem_mark mark = tg_vmem_get_mark(x->mem);
            if (tg_expr_eval(o->exprs[k], x, row, &v) != TG_OK)
                rc = -1;
            else
                rc = gather(o, x, &v, &o->pos[k], &nodes, &rels);
            tg_vmem_reset(x->mem, mark);
        }
    }
    /* every check before the first deletion: a failing DELETE changes nothing */
    for (size_t i = 0; i < nodes.n && rc == 0; i++)
        rc = incident(o, x, nodes.items[i], &rels);
    if (rc == 0)
        rc = tg_i_before_write(x);
    for (size_t i = 0; i < nodes.n && rc == 0; i++) {
        const char *s;
        size_t len;
        if (!tg_i_created_here(x, TG_ENTITY, nodes.items[i]) &&
            !tg_graph_prop(x->g, TG_ENTITY, nodes.items[i], tg_graph_sym(x->g, "id", 2)) &&
            tg_value_entity_data_id(x->g, nodes.items[i], &s, &len))
            x->effects.properties_removed++; /* its id read as a property */
    }
    for (size_t i = 0; i < rels.n && rc == 0; i++) {
        if (tg_i_delete_relation(x, rels.items[i]))
            rc = -1;
        else if (tg_i_created_here(x, TG_RELATION, rels.items[i]))
            x->effects.relationships_created--; /* made and unmade: no change */
        else
            x->effects.relationships_deleted++;
    }
    for (size_t i = 0; i < nodes.n && rc == 0; i++) {
        if (tg_i_delete_entity(x, nodes.items[i]))
            rc = -1;
        else if (tg_i_created_here(x, TG_ENTITY, nodes.items[i]))
            x->effects.nodes_created--;
        else
            x->effects.nodes_deleted++;
    }
    idset_free(&nodes);
    idset_free(&rels);
    return rc;
}

static tg_status delete_open(tg_op *op, tg_exec *x)
{
    op_delete *o = (op_delete *)op;
    tg_status st = tg_op_drain_all(op->child, x, &o->rows);
    o->i = 0;
    if (st == TG_OK && delete_all(o, x))
        st = x->err->status != TG_OK ? x->err->status : TG_ERUNTIME;
    return st;
}

static int delete_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_delete *o = (op_delete *)op;
    return tg_rowbuf_next(&o->rows, &o->i, x, row);
}

static void delete_close(tg_op *op)
{
    tg_rowbuf_free(&((op_delete *)op)->rows);
}

static void delete_explain(const tg_op *op, tg_explain *e)
{
    const op_delete *o = (const op_delete *)op;
    tg_explain_detail(e, "%s", o->detach ? "DETACH " : "");
    for (size_t i = 0; i < o->n; i++) {
        tg_explain_detail(e, "%s", i ? ", " : "");
        tg_explain_expr(e, o->exprs[i]);
    }
    tg_explain_detail(e, ", after reading every row");
}

static const tg_op_vt delete_vt = {"Delete", delete_open, delete_next, delete_close,
                                   delete_explain};

tg_op *tg_op_delete(tg_arena *a, tg_op *child, tg_expr **exprs, const tg_ast_pos *pos,
                    size_t n, int detach)
{
    op_delete *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &delete_vt;
    o->base.child = child;
    o->exprs = exprs;
    o->pos = pos;
    o->n = n;
    o->detach = detach;
    return &o->base;
}
