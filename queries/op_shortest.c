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
 *
 * Any other condition on the path (any(n IN nodes(p) WHERE ...),
 * length(p) > 3, ...) is a path filter: the shortest paths are tested
 * against it, and when none passes (or they are shorter than the minimum
 * length) the search goes on with longer paths, length by length, as Neo4j
 * does: a depth-first enumeration of the trails (no relation twice) of
 * exactly k hops, pruned by each node's distance to the target (one reverse
 * breadth-first search per row), until k finds a path that passes. Its cost
 * is bounded by the expansion cap and the time limit, like any expansion.
 *
 * No recursion: the paths of the predecessor graph and the enumeration walk
 * explicit stacks, so a path of a million hops costs memory, not stack.
 */
#include "ops.h"

#include <stdio.h>
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
    /* conditions on the whole path (all must hold) */
    tg_expr **filters;
    size_t nfilters;
    /* per node, sized with dist: predecessor iterators, the distance to the
       target (-1 unknown), the pushed node predicate's verdict (0 unknown,
       1 allowed, 2 refused); per level of the enumeration: its phase and
       position in the adjacency list */
    uint32_t *iter;
    int32_t *rdist;
    uint8_t *nodeok;
    tg_ent *rtouched;
    size_t nrtouched;
    uint8_t *phase;
    size_t *at;
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

void tg_op_shortest_set_path_filter(tg_op *op, tg_expr **conds, size_t n)
{
    op_sp *o = (op_sp *)op;
    o->filters = conds;
    o->nfilters = n;
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

/* Frees the arrays sized to the graph (they are NULL afterwards). */
static void free_arrays(op_sp *o)
{
    void **arrays[] = {(void **)&o->dist,  (void **)&o->head,     (void **)&o->queue,
                       (void **)&o->touched, (void **)&o->rstack, (void **)&o->nstack,
                       (void **)&o->iter,  (void **)&o->rdist,    (void **)&o->nodeok,
                       (void **)&o->rtouched, (void **)&o->phase, (void **)&o->at};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
        free(*arrays[i]);
        *arrays[i] = NULL;
    }
    o->nnodes = 0;
}

static int ensure_arrays(op_sp *o, tg_exec *x)
{
    size_t n = tg_graph_entity_count(x->g);
    if (o->dist && o->nnodes == n)
        return 0;
    free_arrays(o);
    o->nnodes = n;
    o->dist = malloc((n ? n : 1) * sizeof *o->dist);
    o->head = calloc(n ? n : 1, sizeof *o->head);
    o->queue = malloc((n ? n : 1) * sizeof *o->queue);
    o->touched = malloc((n ? n : 1) * sizeof *o->touched);
    o->rstack = malloc((n + 1) * sizeof *o->rstack);
    o->nstack = malloc((n + 1) * sizeof *o->nstack);
    o->iter = malloc((n + 1) * sizeof *o->iter);
    o->rdist = malloc((n ? n : 1) * sizeof *o->rdist);
    o->nodeok = calloc(n ? n : 1, sizeof *o->nodeok);
    o->rtouched = malloc((n ? n : 1) * sizeof *o->rtouched);
    if (!o->dist || !o->head || !o->queue || !o->touched || !o->rstack || !o->nstack ||
        !o->iter || !o->rdist || !o->nodeok || !o->rtouched)
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < n; i++)
        o->dist[i] = o->rdist[i] = -1;
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

/* Every path of the predecessor graph from src to node (len hops), or the
 * first one unless all: a depth-first walk with one iterator per depth. */
static int collect(op_sp *o, tg_exec *x, tg_ent node, size_t len, int all)
{
    size_t d = len;
    o->nstack[len] = node;
    if (len == 0)
        return add_result(o, x, 0);
    o->iter[len] = o->head[node];
    for (;;) {
        if (d == 0) {
            if (add_result(o, x, len))
                return -1;
            if (!all)
                return 0;
            d = 1;
            o->iter[1] = o->preds[o->iter[1] - 1].next;
            continue;
        }
        if (o->iter[d] == 0) {
            if (d == len)
                return 0;
            d++;
            o->iter[d] = o->preds[o->iter[d] - 1].next;
            continue;
        }
        if (tg_exec_tick(x, 0))
            return -1;
        o->rstack[d - 1] = o->preds[o->iter[d] - 1].rel;
        o->nstack[d - 1] = o->preds[o->iter[d] - 1].prev;
        d--;
        if (d > 0)
            o->iter[d] = o->head[o->nstack[d]];
    }
}

/* The pushed node predicate's verdict on v, cached per row: 1 allowed, 0
 * refused, -1 error. */
static int node_allowed(op_sp *o, tg_exec *x, tg_ent v)
{
    int ok;
    if (!o->node_pred)
        return 1;
    if (o->nodeok[v])
        return o->nodeok[v] == 1;
    ok = allowed(o, x, o->node_pred, o->node_slot, o->node_none, tg_value_node(v));
    if (ok < 0)
        return -1;
    o->nodeok[v] = ok ? 1 : 2;
    if (o->rdist[v] == -1)
        o->rtouched[o->nrtouched++] = v; /* to be reset with rdist */
    return ok;
}

/* Whether a hop over r to v satisfies the pushed predicates (v's only when
 * check_node: the ends of the path are judged apart). 1 yes, 0 no, -1 error. */
static int step_allowed(op_sp *o, tg_exec *x, tg_rel r, tg_ent v, int check_node)
{
    int ok = check_node ? node_allowed(o, x, v) : 1;
    if (ok > 0 && o->rel_pred)
        ok = allowed(o, x, o->rel_pred, o->rel_pred_slot, o->rel_none, tg_value_rel(r));
    return ok;
}

/* Whether the path nstack/rstack of len hops passes every path filter
 * (evaluated on the row with the path's slots set). -1 on error. */
static int passes(op_sp *o, tg_exec *x, const tg_value *path)
{
    tg_vmem_mark mark = tg_vmem_get_mark(x->mem);
    int ok = 1;
    if (o->path_slot >= 0)
        o->in[o->path_slot] = *path;
    if (o->rel_slot >= 0) {
        tg_value *items = tg_vmem_alloc(x->mem, (path->len ? path->len : 1) * sizeof *items);
        if (!items)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        for (uint32_t k = 0; k < path->len; k++)
            items[k] = tg_value_rel(path->u.path->rels[k]);
        o->in[o->rel_slot] = tg_value_list_ref(items, path->len);
    }
    for (size_t i = 0; i < o->nfilters && ok; i++) {
        int truth;
        if (tg_expr_eval_pred(o->filters[i], x, o->in, &truth) != TG_OK)
            return -1;
        ok = truth == TG_TRI_TRUE;
    }
    tg_vmem_reset(x->mem, mark);
    return ok;
}

/* Keeps the results that pass the path filters (the first one only unless
 * all). */
static int filter_results(op_sp *o, tg_exec *x)
{
    size_t keep = 0;
    for (size_t i = 0; i < o->nres; i++) {
        int ok = passes(o, x, &o->results[i]);
        if (ok < 0)
            return -1;
        if (ok) {
            o->results[keep++] = o->results[i];
            if (!o->all)
                break;
        }
    }
    o->nres = keep;
    return 0;
}

/* The relation r leaving u in the search's direction, phase 0 outgoing, 1
 * incoming; its other end in *v. 0 when the hop does not qualify. */
static int hop(op_sp *o, tg_exec *x, int phase, tg_ent u, tg_rel r, tg_ent *v)
{
    if (!type_ok(o, x->g, r))
        return 0;
    *v = phase == 0 ? tg_graph_rel_to(x->g, r) : tg_graph_rel_from(x->g, r);
    if (phase == 1 && *v == u && o->dir == TG_DIR_BOTH)
        return 0; /* a self-loop once */
    return 1;
}

/* Distances to dst over the relations a path may use (the reverse search):
 * rdist[v] is the fewest hops from v to dst. Returns the number of relations
 * seen (a bound on the length of any trail to dst), or -1 on error. */
static long reverse_bfs(op_sp *o, tg_exec *x, tg_ent src, tg_ent dst)
{
    size_t qh = 0, nq = 0;
    long seen = 0;
    o->rdist[dst] = 0;
    o->rtouched[o->nrtouched++] = dst;
    o->queue[nq++] = dst;
    while (qh < nq) {
        tg_ent w = o->queue[qh++];
        for (int ph = 0; ph < 2; ph++) {
            /* walking backwards: a forward out-hop arrives through w's in-list */
            const tg_rel *rels;
            size_t n;
            if ((ph == 0 && o->dir == TG_DIR_OUT) || (ph == 1 && o->dir == TG_DIR_IN))
                continue;
            n = ph == 0 ? tg_graph_out(x->g, w, &rels) : tg_graph_in(x->g, w, &rels);
            for (size_t k = 0; k < n; k++) {
                tg_ent u;
                int ok;
                if (tg_exec_tick(x, 1))
                    return -1;
                if (!hop(o, x, ph, w, rels[k], &u))
                    continue;
                seen++;
                if (o->rdist[u] >= 0)
                    continue;
                if ((ok = step_allowed(o, x, rels[k], u, u != src)) <= 0) {
                    if (ok < 0)
                        return -1;
                    continue;
                }
                if (o->nodeok[u] == 0)
                    o->rtouched[o->nrtouched++] = u;
                o->rdist[u] = o->rdist[w] + 1;
                o->queue[nq++] = u;
            }
        }
    }
    return seen;
}

/* Trails of exactly k hops from src to dst, depth first, each tested against
 * the path filters; the passing ones become results (only the first unless
 * all). Returns -1 on error, else the number found. */
static long trails(op_sp *o, tg_exec *x, tg_ent src, tg_ent dst, size_t k)
{
    size_t d = 0;
    long found = 0;
    int first = o->dir == TG_DIR_IN ? 1 : 0;
    uint8_t *ph = realloc(o->phase, (k + 1) * sizeof *ph);
    size_t *pos;
    if (ph)
        o->phase = ph;
    pos = ph ? realloc(o->at, (k + 1) * sizeof *pos) : NULL;
    if (!pos)
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    o->at = pos;
    o->nstack[0] = src;
    ph[0] = (uint8_t)first;
    pos[0] = 0;
    for (;;) {
        tg_ent u = o->nstack[d], v;
        const tg_rel *rels;
        size_t n = ph[d] == 0 ? tg_graph_out(x->g, u, &rels) : tg_graph_in(x->g, u, &rels);
        tg_rel r;
        int ok, used = 0;
        if (pos[d] >= n) {
            if (ph[d] == 0 && o->dir == TG_DIR_BOTH) {
                ph[d] = 1;
                pos[d] = 0;
                continue;
            }
            if (d == 0)
                return found;
            d--;
            continue;
        }
        r = rels[pos[d]++];
        if (tg_exec_tick(x, 1))
            return -1;
        if (!hop(o, x, ph[d], u, r, &v))
            continue;
        if (o->rdist[v] < 0 || (size_t)o->rdist[v] > k - d - 1)
            continue; /* dst is out of reach in the hops left */
        for (size_t i = 0; i < d && !used; i++)
            used = o->rstack[i] == r;
        if (used)
            continue;
        if ((ok = step_allowed(o, x, r, v, v != dst)) <= 0) {
            if (ok < 0)
                return -1;
            continue;
        }
        o->rstack[d] = r;
        o->nstack[d + 1] = v;
        if (d + 1 < k) {
            d++;
            ph[d] = (uint8_t)first;
            pos[d] = 0;
            continue;
        }
        /* v == dst: rdist[v] <= 0 */
        {
            tg_value p = tg_value_path(x->mem, o->nstack, o->rstack, k);
            if (p.kind != TG_VAL_PATH)
                return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
            ok = passes(o, x, &p);
            if (ok < 0)
                return -1;
            if (ok) {
                if (add_result(o, x, k))
                    return -1;
                found++;
                if (!o->all)
                    return found;
            }
        }
    }
}

/* The fallback when the shortest paths fail the path filters: longer and
 * longer trails from length k0. */
static int search_longer(op_sp *o, tg_exec *x, tg_ent src, tg_ent dst, long k0)
{
    long bound, k;
    int rc = 0;
    o->nres = 0;
    o->nrtouched = 0;
    bound = reverse_bfs(o, x, src, dst);
    if (bound < 0)
        rc = -1;
    else if (o->rdist[src] >= 0) {
        if (k0 < o->rdist[src])
            k0 = o->rdist[src];
        if (o->max >= 0 && bound > o->max)
            bound = o->max;
        if ((size_t)bound > o->nnodes)
            bound = (long)o->nnodes; /* the stacks' size; longer trails are not sought */
        for (k = k0 < 1 ? 1 : k0; k <= bound && o->nres == 0; k++)
            if (trails(o, x, src, dst, (size_t)k) < 0) {
                rc = -1;
                break;
            }
    }
    for (size_t i = 0; i < o->nrtouched; i++) {
        o->rdist[o->rtouched[i]] = -1;
        o->nodeok[o->rtouched[i]] = 0;
    }
    o->nrtouched = 0;
    return rc;
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
        if (add_result(o, x, 0) || (o->nfilters && filter_results(o, x)))
            return -1;
        if (o->nres || !o->nfilters)
            return 0;
        return search_longer(o, x, src, dst, 1);
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
                } else if ((o->all || o->nfilters) && o->dist[v] == du + 1) {
                    if (add_pred(o, x, v, r, u))
                        return -1;
                }
            }
        }
    }
    if (found >= 0 && (long)found >= o->min &&
        collect(o, x, dst, (size_t)found, o->all || o->nfilters))
        return -1;
    for (size_t k = 0; k < o->ntouched; k++) {
        o->dist[o->touched[k]] = -1;
        o->head[o->touched[k]] = 0;
    }
    if (!o->nfilters && (found < 0 || (long)found >= o->min))
        return 0;
    if (found < 0)
        return 0; /* no path at all */
    if (o->nfilters && filter_results(o, x))
        return -1;
    if (o->nres)
        return 0;
    /* the shortest paths fail the filters or are too short: longer ones */
    return search_longer(o, x, src, dst, (long)found >= o->min ? found + 1 : o->min);
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
    free_arrays(o);
    free(o->in);
    free(o->tsyms);
    free(o->preds);
    free(o->results);
    o->in = NULL;
    o->tsyms = NULL;
    o->preds = NULL;
    o->results = NULL;
    o->npreds = o->cappreds = o->nres = o->capres = 0;
}

static void sp_explain(const tg_op *op, tg_explain *e)
{
    const op_sp *o = (const op_sp *)op;
    char hops[64];
    if (o->max < 0)
        snprintf(hops, sizeof hops, "*%ld..", o->min);
    else
        snprintf(hops, sizeof hops, "*%ld..%ld", o->min, o->max);
    tg_explain_detail(e, "%s: ", o->all ? "allShortestPaths" : "shortestPath");
    tg_explain_hop(e, o->from, o->rel_slot, o->to, o->dir, o->types, (tg_names){NULL, 0}, hops);
    tg_explain_detail(e, ", breadth first");
    if (o->node_pred) {
        tg_explain_detail(e, "; in the search: %s(nodes", o->node_none ? "none" : "all");
        tg_explain_detail(e, o->interior ? " but the ends" : "");
        tg_explain_detail(e, ") ");
        tg_explain_expr(e, o->node_pred);
    }
    if (o->rel_pred) {
        tg_explain_detail(e, "; in the search: %s(relationships) ", o->rel_none ? "none" : "all");
        tg_explain_expr(e, o->rel_pred);
    }
    for (size_t i = 0; i < o->nfilters; i++) {
        tg_explain_detail(e, "%s", i ? " AND " : "; the shortest paths that pass ");
        tg_explain_expr(e, o->filters[i]);
    }
    if (o->nfilters)
        tg_explain_detail(e, " (longer trails when none does)");
    tg_explain_estimate(e, tg_explain_input(e) * (o->all ? 2 : 1));
}

static const tg_op_vt sp_vt = {"ShortestPath", sp_open, sp_next, sp_close, sp_explain};

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
