/* op_expand.c — one hop along relations from a bound node.
 *
 * Reads the graph's adjacency arrays directly; a typed hop reads only the
 * runs of its types (tg_graph_out_typed), so a heavy node's other relations
 * cost nothing. For an undirected hop the outgoing list is walked first, then the incoming
 * one without self-loops, so a self-loop matches once. Relationship
 * isomorphism: the new relation must differ from those already bound in the
 * same MATCH (uniq slots). When both ends are bound (expand-into), the hop
 * walks the shorter of the two adjacency lists, per row.
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

typedef struct op_expand {
    tg_op base;
    int from, rel, to;
    tg_dir dir;
    tg_names types, labels;
    int to_bound;
    const int *uniq;
    size_t nuniq;
    tg_sym *tsyms, *lsyms;
    const uint64_t **lbits; /* bitmaps of the target labels */
    int dead; /* a label nobody has, or no type found */
    tg_value *in;
    int active, phase; /* phase 0: out list, 1: in list */
    size_t tk, nt;     /* current type run, distinct types found */
    uint64_t gen;      /* graph generation the names were resolved at */
    int resolved;
    tg_dir cur_dir;    /* dir, or reversed when walking from the bound far end */
    tg_ent src, target;
    const tg_rel *rels;
    const tg_ent *nbrs; /* parallel to rels: the entity at the other end */
    size_t n, i;
} op_expand;

static tg_status expand_open(tg_op *op, tg_exec *x)
{
    op_expand *o = (op_expand *)op;
    o->active = 0;
    o->resolved = 0;
    if (!o->in) {
        o->in = malloc((x->width ? x->width : 1) * sizeof *o->in);
        o->tsyms = calloc(o->types.n + 1, sizeof *o->tsyms);
        o->lsyms = calloc(o->labels.n + 1, sizeof *o->lsyms);
        o->lbits = calloc(o->labels.n + 1, sizeof *o->lbits);
        if (!o->in || !o->tsyms || !o->lsyms || !o->lbits)
            return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return tg_op_open(op->child, x);
}

static void load_list(op_expand *o, tg_exec *x)
{
    o->i = 0;
    o->n = tg_adjacency_run(x->g, o->src, o->phase == 0 && o->cur_dir != TG_DIR_IN, o->tsyms,
                            o->nt, o->tk, &o->rels, &o->nbrs);
}

/* Moves to the next run (next type, then the in list of an undirected
 * hop); 0 when there is none. */
static int next_list(op_expand *o, tg_exec *x)
{
    if (o->tk + 1 < o->nt) {
        o->tk++;
    } else if (o->phase == 0 && o->cur_dir == TG_DIR_BOTH) {
        o->phase = 1;
        o->tk = 0;
    } else {
        return 0;
    }
    load_list(o, x);
    return 1;
}

/* The number of relations a hop from e would read. */
static size_t degree(const op_expand *o, tg_exec *x, tg_ent e, tg_dir d)
{
    const tg_rel *r;
    const tg_ent *nb;
    size_t n = 0, k;
    for (k = 0; k < (o->nt ? o->nt : 1); k++) {
        if (d != TG_DIR_IN)
            n += tg_adjacency_run(x->g, e, 1, o->tsyms, o->nt, k, &r, &nb);
        if (d != TG_DIR_OUT)
            n += tg_adjacency_run(x->g, e, 0, o->tsyms, o->nt, k, &r, &nb);
    }
    return n;
}

static tg_dir reverse_dir(tg_dir d)
{
    return d == TG_DIR_OUT ? TG_DIR_IN : d == TG_DIR_IN ? TG_DIR_OUT : TG_DIR_BOTH;
}

static int expand_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_expand *o = (op_expand *)op;
    for (;;) {
        if (!o->active) {
            int r = tg_op_next(op->child, x, row);
            if (r <= 0)
                return r;
            if (row[o->from].kind != TG_VAL_NODE)
                continue; /* a null from OPTIONAL MATCH: no match */
            if (o->to_bound && row[o->to].kind != TG_VAL_NODE)
                continue;
            memcpy(o->in, row, x->width * sizeof *row);
            /* Names resolve to the same symbols and bitmaps until the graph
             * changes: resolve once per generation, not once per row. */
            if (!o->resolved || o->gen != tg_graph_generation(x->g)) {
                o->resolved = 1;
                o->gen = tg_graph_generation(x->g);
                o->nt = tg_types_resolve(x->g, o->types, o->tsyms);
                o->dead = (o->types.n && o->nt == 0) ||
                          (size_t)tg_names_resolve(x->g, o->labels, o->lsyms) < o->labels.n ||
                          !tg_label_bitmaps(x->g, o->lsyms, o->labels.n, o->lbits);
            }
            if (o->dead)
                continue;
            o->src = row[o->from].u.node;
            o->cur_dir = o->dir;
            if (o->to_bound) {
                o->target = row[o->to].u.node;
                if (degree(o, x, o->target, reverse_dir(o->dir)) < degree(o, x, o->src, o->dir)) {
                    tg_ent t = o->src;
                    o->src = o->target;
                    o->target = t;
                    o->cur_dir = reverse_dir(o->dir);
                }
            }
            o->phase = 0;
            o->tk = 0;
            load_list(o, x);
            o->active = 1;
        }
        for (;;) {
            while (o->i < o->n) {
                tg_ent other = o->nbrs[o->i];
                tg_rel r = o->rels[o->i++];
                if (tg_exec_tick(x, 1))
                    return -1;
                if (o->phase == 1 && other == o->src)
                    continue; /* self-loop already seen in the out list */
                if (o->to_bound && o->target != other)
                    continue;
                if (o->labels.n && !tg_bits_all(o->lbits, o->labels.n, other))
                    continue;
                if (o->nuniq && tg_rel_is_used(o->in, o->uniq, o->nuniq, r))
                    continue;
                memcpy(row, o->in, x->width * sizeof *row);
                if (o->rel >= 0)
                    row[o->rel] = tg_value_rel(r);
                if (!o->to_bound)
                    row[o->to] = tg_value_node(other);
                return 1;
            }
            if (next_list(o, x))
                continue;
            break;
        }
        o->active = 0;
    }
}

static void expand_close(tg_op *op)
{
    op_expand *o = (op_expand *)op;
    free(o->in);
    free(o->tsyms);
    free(o->lsyms);
    free(o->lbits);
    o->in = NULL;
    o->tsyms = o->lsyms = NULL;
    o->lbits = NULL;
}

static void expand_explain(const tg_op *op, tg_explain *e)
{
    const op_expand *o = (const op_expand *)op;
    double d = tg_explain_hop(e, o->from, o->rel, o->to, o->dir, o->types, o->labels, NULL);
    if (o->to_bound)
        tg_explain_detail(e, ", into a bound node");
    tg_explain_estimate(e, tg_explain_input(e) *
                               (o->to_bound ? d / ((double)tg_graph_entity_count(tg_explain_graph(e)) + 1)
                                            : d));
}

static const tg_op_vt expand_vt;

int tg_op_expand_info(const tg_op *op, tg_hop *out)
{
    const op_expand *o = (const op_expand *)op;
    if (op->vt != &expand_vt)
        return 0;
    out->from = o->from;
    out->rel = o->rel;
    out->to = o->to;
    out->dir = o->dir;
    out->types = o->types;
    out->labels = o->labels;
    out->to_bound = o->to_bound;
    out->uniq = o->uniq;
    out->nuniq = o->nuniq;
    return 1;
}

static const tg_op_vt expand_vt = {"Expand", expand_open, expand_next, expand_close, expand_explain};

tg_op *tg_op_expand(tg_arena *a, tg_op *child, int from, int rel, int to, tg_dir dir,
                    tg_names types, tg_names to_labels, int to_bound, const int *uniq,
                    size_t nuniq)
{
    op_expand *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &expand_vt;
    o->base.child = child;
    o->from = from;
    o->rel = rel;
    o->to = to;
    o->dir = dir;
    o->types = types;
    o->labels = to_labels;
    o->to_bound = to_bound;
    o->uniq = uniq;
    o->nuniq = nuniq;
    return &o->base;
}
