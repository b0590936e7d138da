/* op_varexpand.c — variable-length hops [*min..max] by depth-first search.
 *
 * An explicit stack of frames (node, position in its adjacency array) walks
 * every trail from the start node: a relation appears at most once per path
 * and never equals a relation already bound in the same MATCH. A path is
 * emitted when its length lies in [min, max]; the relation slot receives the
 * list of its relations in pattern order. The stack is malloc'd once per
 * open and grows by doubling, so the search allocates only the emitted lists.
 */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct frame {
    tg_ent node;
    int phase;
    size_t tk; /* current type run */
    const tg_rel *rels;
    const tg_ent *nbrs; /* parallel to rels: the entity at the other end */
    size_t n, i;
} frame;

typedef struct op_var {
    tg_op base;
    int from, rel, to;
    tg_dir dir;
    tg_names types, labels;
    long min, max;
    int to_bound, reverse;
    const int *uniq;
    size_t nuniq;
    tg_sym *tsyms, *lsyms;
    size_t nt; /* distinct types found */
    tg_value *in;
    frame *st;
    tg_rel *path;
    size_t cap, depth; /* depth = number of frames - 1 */
    int active, pending;
} op_var;

static tg_status var_open(tg_op *op, tg_exec *x)
{
    op_var *o = (op_var *)op;
    o->active = 0;
    if (!o->in) {
        o->in = malloc((x->width ? x->width : 1) * sizeof *o->in);
        o->tsyms = calloc(o->types.n + 1, sizeof *o->tsyms);
        o->lsyms = calloc(o->labels.n + 1, sizeof *o->lsyms);
        o->cap = 16;
        o->st = malloc(o->cap * sizeof *o->st);
        o->path = malloc(o->cap * sizeof *o->path);
        if (!o->in || !o->tsyms || !o->lsyms || !o->st || !o->path)
            return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return tg_op_open(op->child, x);
}

static void load(op_var *o, tg_exec *x, frame *f)
{
    f->i = 0;
    if (o->types.n && o->nt == 0) { /* no relation has any of the types */
        f->n = 0;
        return;
    }
    f->n = tg_adjacency_run(x->g, f->node, f->phase == 0 && o->dir != TG_DIR_IN, o->tsyms, o->nt,
                            f->tk, &f->rels, &f->nbrs);
}

/* Moves a frame to its next run (next type, then the in list of an
 * undirected hop); 0 when there is none. */
static int next_run(op_var *o, tg_exec *x, frame *f)
{
    if (f->tk + 1 < o->nt) {
        f->tk++;
    } else if (f->phase == 0 && o->dir == TG_DIR_BOTH) {
        f->phase = 1;
        f->tk = 0;
    } else {
        return 0;
    }
    load(o, x, f);
    return 1;
}

static int in_path(const op_var *o, tg_rel r)
{
    for (size_t k = 0; k < o->depth; k++)
        if (o->path[k] == r)
            return 1;
    return 0;
}

static int push(op_var *o, tg_exec *x, tg_ent node)
{
    frame *f;
    if (o->depth + 2 > o->cap) {
        size_t nc = o->cap * 2;
        frame *ns = realloc(o->st, nc * sizeof *ns);
        if (!ns)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        o->st = ns;
        tg_rel *np = realloc(o->path, nc * sizeof *np);
        if (!np)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        o->path = np;
        o->cap = nc;
    }
    f = &o->st[o->depth];
    f->node = node;
    f->phase = 0;
    f->tk = 0;
    load(o, x, f);
    return 0;
}

static int emit(op_var *o, tg_exec *x, tg_value *row)
{
    tg_ent end = o->st[o->depth].node;
    tg_value *items;
    if (o->to_bound && o->in[o->to].u.node != end)
        return 0;
    if (o->labels.n && !tg_node_has_labels(x->g, end, o->lsyms, o->labels.n))
        return 0;
    memcpy(row, o->in, x->width * sizeof *row);
    if (o->rel >= 0) {
        items = tg_vmem_alloc(x->mem, (o->depth ? o->depth : 1) * sizeof *items);
        if (!items)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        for (size_t k = 0; k < o->depth; k++)
            items[o->reverse ? o->depth - 1 - k : k] = tg_value_rel(o->path[k]);
        row[o->rel] = tg_value_list_ref(items, o->depth);
    }
    row[o->to] = tg_value_node(end);
    return 1;
}

static int var_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_var *o = (op_var *)op;
    for (;;) {
        if (!o->active) {
            int r = tg_op_next(op->child, x, row);
            if (r <= 0)
                return r;
            if (row[o->from].kind != TG_VAL_NODE)
                continue;
            if (o->to_bound && row[o->to].kind != TG_VAL_NODE)
                continue;
            o->nt = tg_types_resolve(x->g, o->types, o->tsyms);
            if (o->types.n && o->nt == 0 && o->min > 0)
                continue;
            if ((size_t)tg_names_resolve(x->g, o->labels, o->lsyms) < o->labels.n)
                continue;
            memcpy(o->in, row, x->width * sizeof *row);
            o->depth = 0;
            if (push(o, x, row[o->from].u.node))
                return -1;
            o->pending = o->min <= 0;
            o->active = 1;
        }
        for (;;) {
            frame *f;
            if (o->pending) {
                int r;
                o->pending = 0;
                r = emit(o, x, row);
                if (r)
                    return r;
            }
            f = &o->st[o->depth];
            if (o->max >= 0 && (long)o->depth >= o->max) {
                if (o->depth == 0)
                    break;
                o->depth--;
                continue;
            }
            if (f->i >= f->n) {
                if (next_run(o, x, f))
                    continue;
                if (o->depth == 0)
                    break;
                o->depth--;
                continue;
            }
            {
                tg_ent other = f->nbrs[f->i];
                tg_rel r = f->rels[f->i++];
                if (tg_exec_tick(x, 1))
                    return -1;
                if (f->phase == 1 && other == f->node)
                    continue; /* self-loop already seen in the out list */
                if (in_path(o, r))
                    continue;
                if (o->nuniq && tg_rel_is_used(o->in, o->uniq, o->nuniq, r))
                    continue;
                o->path[o->depth] = r;
                o->depth++;
                if (push(o, x, other))
                    return -1;
                o->pending = (long)o->depth >= o->min;
            }
        }
        o->active = 0;
    }
}

static void var_close(tg_op *op)
{
    op_var *o = (op_var *)op;
    free(o->in);
    free(o->tsyms);
    free(o->lsyms);
    free(o->st);
    free(o->path);
    o->in = NULL;
    o->tsyms = o->lsyms = NULL;
    o->st = NULL;
    o->path = NULL;
}

static void var_explain(const tg_op *op, tg_explain *e)
{
    const op_var *o = (const op_var *)op;
    char hops[64];
    double d, total = 0, pk = 1;
    long hi = o->max < 0 ? o->min + 4 : o->max;
    if (o->max < 0)
        snprintf(hops, sizeof hops, "*%ld..", o->min);
    else
        snprintf(hops, sizeof hops, "*%ld..%ld", o->min, o->max);
    d = tg_explain_hop(e, o->from, o->rel, o->to, o->dir, o->types, o->labels, hops);
    for (long k = 0; k <= hi && k <= 64; k++) {
        if (k >= o->min)
            total += pk;
        pk *= d;
    }
    tg_explain_estimate(e, tg_explain_input(e) * total);
}

static const tg_op_vt var_vt = {"VarLengthExpand", var_open, var_next, var_close, var_explain};

tg_op *tg_op_varexpand(tg_arena *a, tg_op *child, int from, int rel, int to, tg_dir dir,
                       tg_names types, long min, long max, tg_names to_labels, int to_bound,
                       const int *uniq, size_t nuniq, int reverse)
{
    op_var *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &var_vt;
    o->base.child = child;
    o->from = from;
    o->rel = rel;
    o->to = to;
    o->dir = dir;
    o->types = types;
    o->labels = to_labels;
    o->min = min;
    o->max = max;
    o->to_bound = to_bound;
    o->reverse = reverse;
    o->uniq = uniq;
    o->nuniq = nuniq;
    return &o->base;
}
