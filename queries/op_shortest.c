/* op_shortest.c — shortestPath / allShortestPaths by breadth-first search.
 *
 * Never enumerates paths: one BFS from the start node, layer by layer, until
 * the layer holding the target is complete (or max hops). For each reached
 * node it keeps its distance and its predecessor relations (only the first
 * for shortestPath, all those from the previous layer for allShortestPaths);
 * the paths are then read back from the target. Per-node arrays are sized to
 * the graph once per open and reset through the list of touched nodes, so a
 * row costs O(nodes and relations visited).
 *
 * Path predicates the planner hands over (WHERE none/all(n IN nodes(p) ...),
 * all/none(r IN relationships(p) ...)) are applied during the search: a node
 * or relation that would fail them is not entered, so the shortest path that
 * satisfies them is found (the predicate also stays as a filter above).
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

typedef struct pred {
    tg_rel rel;
    tg_ent prev;
    uint32_t next; /* index + 1 into preds, 0 end */
} pred;

typedef struct op_sp {
    tg_op base;
    int from, to, rel_slot, path_slot;
    tg_dir dir;
    tg_names types;
    long min, max;
    int all;
    tg_ast_pos pos;
    tg_sym *tsyms;
    int32_t *dist;
    uint32_t *head; /* first pred + 1 */
    size_t nnodes;
    tg_ent *queue, *touched;
    size_t nq, ntouched;
    pred *preds;
    size_t npreds, cappreds;
    tg_value *in;
    tg_value *results; /* paths found for the current row (malloc'd) */
    size_t nres, capres, i;
    int active;
    tg_rel *rstack;
    tg_ent *nstack;
    /* predicates pushed into the search (NULL: none) */
    tg_expr *node_pred, *rel_pred;
    int node_slot, rel_pred_slot;
    int node_none, rel_none; /* none(...) rather than all(...) */
    int interior;            /* the node predicate skips the two ends */
} op_sp;

/* Whether the element in slot satisfies a pushed predicate (x->mem scratch
 * is released). -1 on error. */
static int allowed(op_sp *o, tg_exec *x, tg_expr *pred, int slot, int none, tg_value v)
{
    tg_vmem_mark mark = tg_vmem_get_mark(x->mem);
    int truth;
    tg_status st;
    o->in[slot] = v;
    st = tg_expr_eval_pred(pred, x, o->in, &truth);
    tg_vmem_reset(x->mem, mark);
    if (st != TG_OK)
        return -1;
    return none ? truth != TG_TRI_TRUE : truth == TG_TRI_TRUE;
}

void tg_op_shortest_set_filters(tg_op *op, tg_expr *node_pred, int node_slot, int node_none,
                                int interior, tg_expr *rel_pred, int rel_slot, int rel_none)
{
    op_sp *o = (op_sp *)op;
    o->node_pred = node_pred;
    o->node_slot = node_slot;
    o->node_none = node_none;
    o->interior = interior;
    o->rel_pred = rel_pred;
    o->rel_pred_slot = rel_slot;
    o->rel_none = rel_none;
}

static tg_status sp_open(tg_op *op, tg_exec *x)
{
    op_sp *o = (op_sp *)op;
    o->active = 0;
    if (!o->in) {
        o->in = malloc((x->width ? x->width : 1) * sizeof *o->in);
        o->tsyms = calloc(o->types.n + 1, sizeof *o->tsyms);
        if (!o->in || !o->tsyms)
            return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return tg_op_open(op->child, x);
}

static int type_ok(const op_sp *o, const tg_graph *g, tg_rel r)
{
    tg_sym t;
    if (o->types.n == 0)
        return 1;
    t = tg_graph_rel_type(g, r);
    for (size_t k = 0; k < o->types.n; k++)
        if (o->tsyms[k] == t)
            return 1;
    return 0;
}

static int ensure_arrays(op_sp *o, tg_exec *x)
{
    size_t n = tg_graph_entity_count(x->g);
    if (o->dist && o->nnodes == n)
        return 0;
    free(o->dist);
    free(o->head);
    free(o->queue);
    free(o->touched);
    free(o->rstack);
    free(o->nstack);
    o->nnodes = n;
    o->dist = malloc((n ? n : 1) * sizeof *o->dist);
    o->head = calloc(n ? n : 1, sizeof *o->head);
    o->queue = malloc((n ? n : 1) * sizeof *o->queue);
    o->touched = malloc((n ? n : 1) * sizeof *o->touched);
    o->rstack = malloc((n + 1) * sizeof *o->rstack);
    o->nstack = malloc((n + 1) * sizeof *o->nstack);
    if (!o->dist || !o->head || !o->queue || !o->touched || !o->rstack || !o->nstack)
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < n; i++)
        o->dist[i] = -1;
    return 0;
}

static int add_pred(op_sp *o, tg_exec *x, tg_ent node, tg_rel r, tg_ent prev)
{
    if (o->npreds == o->cappreds) {
        size_t nc = o->cappreds ? o->cappreds * 2 : 64;
        pred *np = realloc(o->preds, nc * sizeof *np);
        if (!np)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        o->preds = np;
        o->cappreds = nc;
    }
    o->preds[o->npreds].rel = r;
    o->preds[o->npreds].prev = prev;
    o->preds[o->npreds].next = o->head[node];
    o->npreds++;
    o->head[node] = (uint32_t)o->npreds;
    return 0;
}

static int add_result(op_sp *o, tg_exec *x, size_t len)
{
    tg_value p;
    if (o->nres == o->capres) {
        size_t nc = o->capres ? o->capres * 2 : 8;
        tg_value *nr = realloc(o->results, nc * sizeof *nr);
        if (!nr)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        o->results = nr;
        o->capres = nc;
    }
    p = tg_value_path(x->mem, o->nstack, o->rstack, len);
    if (p.kind != TG_VAL_PATH)
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    o->results[o->nres++] = p;
    return 0;
}

/* Walks predecessors back from node at depth d (path positions d..len). */
static int collect(op_sp *o, tg_exec *x, tg_ent node, size_t d, size_t len)
{
    o->nstack[d] = node;
    if (d == 0)
        return add_result(o, x, len);
    for (uint32_t p = o->head[node]; p; p = o->preds[p - 1].next) {
        o->rstack[d - 1] = o->preds[p - 1].rel;
        if (collect(o, x, o->preds[p - 1].prev, d - 1, len))
            return -1;
        if (!o->all)
            break;
    }
    return 0;
}

static int search(op_sp *o, tg_exec *x, tg_ent src, tg_ent dst)
{
    size_t qh = 0;
    int found = -1;
    o->nres = 0;
    o->i = 0;
    o->npreds = 0;
    if (ensure_arrays(o, x))
        return -1;
    if (src == dst && o->min <= 0) {
        o->nstack[0] = src;
        return add_result(o, x, 0);
    }
    if (o->node_pred && !o->interior) {
        int a = allowed(o, x, o->node_pred, o->node_slot, o->node_none, tg_value_node(src));
        int b = a > 0 ? allowed(o, x, o->node_pred, o->node_slot, o->node_none,
                                tg_value_node(dst))
                      : a;
        if (a < 0 || b < 0)
            return -1;
        if (!a || !b)
            return 0; /* an end fails the predicate: no path */
    }
    o->nq = o->ntouched = 0;
    o->dist[src] = 0;
    o->touched[o->ntouched++] = src;
    o->queue[o->nq++] = src;
    while (qh < o->nq) {
        tg_ent u = o->queue[qh++];
        int32_t du = o->dist[u];
        if (found >= 0 && du >= found)
            break;
        if (o->max >= 0 && du >= o->max)
            break;
        for (int phase = 0; phase < 2; phase++) {
            const tg_rel *rels;
            size_t n;
            if (phase == 0 && o->dir == TG_DIR_IN)
                continue;
            if (phase == 1 && o->dir == TG_DIR_OUT)
                continue;
            n = phase == 0 ? tg_graph_out(x->g, u, &rels) : tg_graph_in(x->g, u, &rels);
            for (size_t k = 0; k < n; k++) {
                tg_rel r = rels[k];
                tg_ent v;
                if (tg_exec_tick(x, 1))
                    return -1;
                if (!type_ok(o, x->g, r))
                    continue;
                v = phase == 0 ? tg_graph_rel_to(x->g, r) : tg_graph_rel_from(x->g, r);
                if (phase == 1 && v == u && o->dir == TG_DIR_BOTH)
                    continue;
                if (o->dist[v] == -2)
                    continue; /* refused by the node predicate */
                if (o->rel_pred) {
                    int ok = allowed(o, x, o->rel_pred, o->rel_pred_slot, o->rel_none,
                                     tg_value_rel(r));
                    if (ok < 0)
                        return -1;
                    if (!ok)
                        continue;
                }
                if (o->dist[v] == -1 && o->node_pred && v != dst) {
                    int ok = allowed(o, x, o->node_pred, o->node_slot, o->node_none,
                                     tg_value_node(v));
                    if (ok < 0)
                        return -1;
                    if (!ok) {
                        o->dist[v] = -2;
                        o->touched[o->ntouched++] = v;
                        continue;
                    }
                }
                if (o->dist[v] < 0) {
                    o->dist[v] = du + 1;
                    o->touched[o->ntouched++] = v;
                    o->queue[o->nq++] = v;
                    if (add_pred(o, x, v, r, u))
                        return -1;
                    if (v == dst)
                        found = du + 1;
                } else if (o->all && o->dist[v] == du + 1) {
                    if (add_pred(o, x, v, r, u))
                        return -1;
                }
            }
        }
    }
    if (found >= 0 && (long)found >= o->min && collect(o, x, dst, (size_t)found, (size_t)found))
        return -1;
    for (size_t k = 0; k < o->ntouched; k++) {
        o->dist[o->touched[k]] = -1;
        o->head[o->touched[k]] = 0;
    }
    return 0;
}

static int sp_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_sp *o = (op_sp *)op;
    for (;;) {
        if (!o->active) {
            int r = tg_op_next(op->child, x, row);
            if (r <= 0)
                return r;
            if (row[o->from].kind != TG_VAL_NODE || row[o->to].kind != TG_VAL_NODE)
                continue;
            if (o->types.n && tg_names_resolve(x->g, o->types, o->tsyms) == 0)
                continue;
            memcpy(o->in, row, x->width * sizeof *row);
            if (search(o, x, row[o->from].u.node, row[o->to].u.node))
                return -1;
            o->active = 1;
        }
        if (o->i < o->nres) {
            const tg_value *p = &o->results[o->i++];
            memcpy(row, o->in, x->width * sizeof *row);
            if (o->path_slot >= 0)
                row[o->path_slot] = *p;
            if (o->rel_slot >= 0) {
                tg_value *items = tg_vmem_alloc(x->mem, (p->len ? p->len : 1) * sizeof *items);
                if (!items)
                    return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
                for (uint32_t k = 0; k < p->len; k++)
                    items[k] = tg_value_rel(p->u.path->rels[k]);
                row[o->rel_slot] = tg_value_list_ref(items, p->len);
            }
            return 1;
        }
        o->active = 0;
    }
}

static void sp_close(tg_op *op)
{
    op_sp *o = (op_sp *)op;
    free(o->in);
    free(o->tsyms);
    free(o->dist);
    free(o->head);
    free(o->queue);
    free(o->touched);
    free(o->preds);
    free(o->results);
    free(o->rstack);
    free(o->nstack);
    o->in = NULL;
    o->tsyms = NULL;
    o->dist = NULL;
    o->head = NULL;
    o->queue = o->touched = o->nstack = NULL;
    o->preds = NULL;
    o->results = NULL;
    o->rstack = NULL;
    o->npreds = o->cappreds = o->nres = o->capres = o->nnodes = 0;
}

static const tg_op_vt sp_vt = {"ShortestPath", sp_open, sp_next, sp_close};

tg_op *tg_op_shortest(tg_arena *a, tg_op *child, int from, int to, int rel_slot,
                      int path_slot, tg_dir dir, tg_names types, long min, long max, int all,
                      const tg_ast_pos *pos)
{
    op_sp *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &sp_vt;
    o->base.child = child;
    o->from = from;
    o->to = to;
    o->rel_slot = rel_slot;
    o->path_slot = path_slot;
    o->dir = dir;
    o->types = types;
    o->min = min;
    o->max = max;
    o->all = all;
    o->pos = *pos;
    return &o->base;
}
