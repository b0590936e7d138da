/* op_countpaths.c — factorised counting: count(*) over a chain of hops
 * without enumerating the chain's matches.
 *
 *   MATCH (l:Lender)-[:FINANCES]->(g)-[:CONTRACTS]->(c)-[:BUILDS]->(p)
 *   RETURN count(*)
 *
 * is, for the row binding l, the sum over l's FINANCES neighbours g of the
 * number of ways to finish the chain from g, which is the same for every row
 * that reaches g. So each level k of the chain keeps a memo: node -> number of
 * completions from it through hops k..last (the last level: the number of
 * neighbours that pass its filters, the run length when there is no filter).
 * The count is the sum of f_1(row's start node) over the input rows: a
 * three-hop count costs the relations read once per distinct node and level,
 * not the 74 million matches.
 *
 * It is exact only when no relation can appear twice in one match (openCypher
 * counts each relation at most once per match): the planner applies it when
 * every hop names its types and no two hops (nor an earlier hop of the same
 * MATCH that a hop must differ from) share one. Filters it absorbs read only
 * their own hop's new node and relationship, so a count per node is the same
 * whatever row reached the node.
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

typedef struct level {
    tg_hop hop;
    const tg_expr **filters;
    size_t nfilters;
    /* resolved at open */
    tg_sym *tsyms, *lsyms;
    const uint64_t **lbits;
    size_t nt;
    int dead;
    /* memo: node + 1 -> completions (open addressing) */
    uint32_t *keys;
    uint64_t *vals;
    size_t cap, n;
} level;

typedef struct op_countpaths {
    tg_op base;
    level *levels;
    size_t nlevels;
    int *count_slots;
    size_t ncounts;
    tg_value *scratch;
    int done;
} op_countpaths;

static void free_levels(op_countpaths *o)
{
    for (size_t i = 0; i < o->nlevels; i++) {
        level *l = &o->levels[i];
        free(l->tsyms);
        free(l->lsyms);
        free(l->lbits);
        free(l->keys);
        free(l->vals);
        l->tsyms = l->lsyms = NULL;
        l->lbits = NULL;
        l->keys = NULL;
        l->vals = NULL;
        l->cap = l->n = 0;
    }
}

static tg_status cp_open(tg_op *op, tg_exec *x)
{
    op_countpaths *o = (op_countpaths *)op;
    free_levels(o);
    free(o->scratch);
    o->done = 0;
    o->scratch = malloc((x->width ? x->width : 1) * sizeof *o->scratch);
    if (!o->scratch)
        return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < o->nlevels; i++) {
        level *l = &o->levels[i];
        l->tsyms = calloc(l->hop.types.n + 1, sizeof *l->tsyms);
        l->lsyms = calloc(l->hop.labels.n + 1, sizeof *l->lsyms);
        l->lbits = calloc(l->hop.labels.n + 1, sizeof *l->lbits);
        if (!l->tsyms || !l->lsyms || !l->lbits)
            return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return tg_op_open(op->child, x);
}

/* Resolves the names of every level (after the child has run its writes, if
 * any: the graph does not change while this operator counts). */
static void resolve(op_countpaths *o, tg_exec *x)
{
    for (size_t i = 0; i < o->nlevels; i++) {
        level *l = &o->levels[i];
        l->nt = tg_types_resolve(x->g, l->hop.types, l->tsyms);
        l->dead = l->nt == 0 ||
                  (size_t)tg_names_resolve(x->g, l->hop.labels, l->lsyms) < l->hop.labels.n ||
                  !tg_label_bitmaps(x->g, l->lsyms, l->hop.labels.n, l->lbits);
    }
}

static uint64_t *memo_find(level *l, tg_ent e, int *found)
{
    size_t h;
    *found = 0;
    if (!l->cap)
        return NULL;
    h = ((size_t)e * 0x9e3779b97f4a7c15ull) & (l->cap - 1);
    for (; l->keys[h]; h = (h + 1) & (l->cap - 1))
        if (l->keys[h] == e + 1) {
            *found = 1;
            return &l->vals[h];
        }
    return &l->vals[h];
}

static int memo_put(level *l, tg_ent e, uint64_t v)
{
    size_t h;
    if ((l->n + 1) * 2 > l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 1024;
        uint32_t *nk = calloc(nc, sizeof *nk);
        uint64_t *nv = malloc(nc * sizeof *nv);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            return -1;
        }
        for (size_t i = 0; i < l->cap; i++)
            if (l->keys[i]) {
                size_t k = ((size_t)(l->keys[i] - 1) * 0x9e3779b97f4a7c15ull) & (nc - 1);
                while (nk[k])
                    k = (k + 1) & (nc - 1);
                nk[k] = l->keys[i];
                nv[k] = l->vals[i];
            }
        free(l->keys);
        free(l->vals);
        l->keys = nk;
        l->vals = nv;
        l->cap = nc;
    }
    h = ((size_t)e * 0x9e3779b97f4a7c15ull) & (l->cap - 1);
    while (l->keys[h])
        h = (h + 1) & (l->cap - 1);
    l->keys[h] = e + 1;
    l->vals[h] = v;
    l->n++;
    return 0;
}

/* Whether the relation r to v passes the filters of level l (1), not (0), or
 * an error (-1). */
static int passes(op_countpaths *o, tg_exec *x, const level *l, tg_rel r, tg_ent v)
{
    tg_vmem_mark mark;
    int ok = 1;
    if (!l->nfilters)
        return 1;
    mark = tg_vmem_get_mark(x->mem);
    if (l->hop.rel >= 0)
        o->scratch[l->hop.rel] = tg_value_rel(r);
    o->scratch[l->hop.to] = tg_value_node(v);
    for (size_t i = 0; i < l->nfilters && ok == 1; i++) {
        int t;
        if (tg_expr_eval_pred(l->filters[i], x, o->scratch, &t) != TG_OK)
            ok = -1;
        else
            ok = t == TG_TRI_TRUE;
    }
    tg_vmem_reset(x->mem, mark);
    return ok;
}

/* The number of ways to finish the chain from node u at level k (memoised).
 * Returns 0 and sets *out, or -1 on error. Recursion depth: the chain's
 * length (bounded by the statement's size). */
static int completions(op_countpaths *o, tg_exec *x, size_t k, tg_ent u, uint64_t *out)
{
    level *l = &o->levels[k];
    uint64_t total = 0;
    int found;
    uint64_t *m = memo_find(l, u, &found);
    if (found) {
        *out = *m;
        return 0;
    }
    if (!l->dead) {
        for (int phase = 0; phase < 2; phase++) {
            if ((phase == 0 && l->hop.dir == TG_DIR_IN) || (phase == 1 && l->hop.dir == TG_DIR_OUT))
                continue;
            for (size_t t = 0; t < l->nt; t++) {
                const tg_rel *rels;
                const tg_ent *nbrs;
                size_t n = tg_adjacency_run(x->g, u, phase == 0 && l->hop.dir != TG_DIR_IN,
                                            l->tsyms, l->nt, t, &rels, &nbrs);
                if (tg_exec_tick(x, n))
                    return -1;
                if (k + 1 == o->nlevels && !l->hop.labels.n && !l->nfilters &&
                    l->hop.dir != TG_DIR_BOTH) {
                    total += n; /* the run's length: nothing to look at */
                    continue;
                }
                for (size_t i = 0; i < n; i++) {
                    tg_ent v = nbrs[i];
                    uint64_t c = 1;
                    int ok;
                    if (phase == 1 && l->hop.dir == TG_DIR_BOTH && v == u)
                        continue; /* a self-loop once */
                    if (l->hop.labels.n && !tg_bits_all(l->lbits, l->hop.labels.n, v))
                        continue;
                    if ((ok = passes(o, x, l, rels[i], v)) <= 0) {
                        if (ok < 0)
                            return -1;
                        continue;
                    }
                    if (k + 1 < o->nlevels && completions(o, x, k + 1, v, &c))
                        return -1;
                    if (__builtin_add_overflow(total, c, &total))
                        return tg_exec_fail(x, TG_EARG, NULL,
                                            "NumberOutOfRange: the count overflows an integer");
                }
            }
        }
    }
    if (memo_put(l, u, total))
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    *out = total;
    return 0;
}

static int cp_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_countpaths *o = (op_countpaths *)op;
    uint64_t total = 0;
    int r, first = 1, resolved = 0;
    if (o->done)
        return 0;
    o->done = 1;
    while ((r = tg_op_next(op->child, x, row)) > 0) {
        uint64_t c = 0;
        const tg_value *start = &row[o->levels[0].hop.from];
        if (first) {
            memcpy(o->scratch, row, x->width * sizeof *row);
            first = 0;
        }
        if (!resolved) {
            resolve(o, x);
            resolved = 1;
        }
        if (start->kind != TG_VAL_NODE)
            continue; /* a null from OPTIONAL MATCH: no match */
        if (completions(o, x, 0, start->u.node, &c))
            return -1;
        if (__builtin_add_overflow(total, c, &total))
            return tg_exec_fail(x, TG_EARG, NULL,
                                "NumberOutOfRange: the count overflows an integer");
    }
    if (r < 0)
        return -1;
    if (first) {
        /* no input: the row the aggregate would give, the outer one in a subquery */
        const tg_value *outer = tg_op_leaf_row(op->child);
        if (outer)
            memcpy(row, outer, x->width * sizeof *row);
        else
            tg_row_clear(row, x->width);
    } else
        memcpy(row, o->scratch, x->width * sizeof *row);
    if (total > (uint64_t)INT64_MAX)
        return tg_exec_fail(x, TG_EARG, NULL, "NumberOutOfRange: the count overflows an integer");
    for (size_t i = 0; i < o->ncounts; i++)
        row[o->count_slots[i]] = tg_value_int((int64_t)total);
    return 1;
}

static void cp_close(tg_op *op)
{
    op_countpaths *o = (op_countpaths *)op;
    free_levels(o);
    free(o->scratch);
    o->scratch = NULL;
}

static void cp_explain(const tg_op *op, tg_explain *e)
{
    const op_countpaths *o = (const op_countpaths *)op;
    tg_explain_detail(e, "%s = count(*) of ", tg_explain_slot(e, o->count_slots[0]));
    for (size_t i = 0; i < o->nlevels; i++) {
        const level *l = &o->levels[i];
        if (i)
            tg_explain_detail(e, ", then ");
        tg_explain_hop(e, l->hop.from, l->hop.rel, l->hop.to, l->hop.dir, l->hop.types,
                       l->hop.labels, NULL);
        for (size_t f = 0; f < l->nfilters; f++) {
            tg_explain_detail(e, f ? " AND " : " WHERE ");
            tg_explain_expr(e, l->filters[f]);
        }
    }
    tg_explain_detail(e, "; factorised: the ways on from each node are counted once per level "
                         "and multiplied, the last hop by its run's length");
    tg_explain_estimate(e, 1);
}

static const tg_op_vt cp_vt = {"CountPaths", cp_open, cp_next, cp_close, cp_explain};

/* ---- recognising the shape -------------------------------------------------------- */

typedef struct readset {
    int allowed[2]; /* the only slots the expression may read */
    int ok;
} readset;

static void read_check(void *ctx, int slot)
{
    readset *r = ctx;
    if (slot != r->allowed[0] && slot != r->allowed[1])
        r->ok = 0; /* another slot, or a subplan (-1): depends on more than the hop */
}

/* Whether pred reads only the hop's new relationship and node. */
static int local_to(const tg_expr *pred, const tg_hop *h)
{
    readset r = {{h->to, h->rel >= 0 ? h->rel : h->to}, 1};
    tg_expr_slots(pred, read_check, &r);
    return r.ok;
}

static int types_meet(tg_names a, tg_names b)
{
    for (size_t i = 0; i < a.n; i++)
        for (size_t k = 0; k < b.n; k++)
            if (strcmp(a.names[i], b.names[k]) == 0)
                return 1;
    return 0;
}

/* The Expand below op (through the chain) that binds relationship slot
 * rel, NULL when none or when something else binds it. */
static int types_of_rel(const tg_op *op, int rel, tg_names *out)
{
    tg_hop h;
    for (; op; op = op->child)
        if (tg_op_expand_info(op, &h) && h.rel == rel && !h.to_bound) {
            *out = h.types;
            return h.types.n > 0;
        }
    return 0;
}

tg_op *tg_op_factorise_count(tg_arena *a, tg_op *agg)
{
    tg_op *op = agg->child, *below;
    tg_hop hops[64];
    const tg_expr *filters[64][8];
    size_t nf[64], n = 0, total_filters = 0;
    op_countpaths *o;
    int slots[16];
    size_t ncounts;
    if (!tg_op_aggregate_counts_rows(agg))
        return agg;
    /* top down: [filters] Expand [filters] Expand ... */
    while (op && n < 64) {
        size_t k = 0;
        const tg_expr *f;
        tg_op *p = op;
        while ((f = tg_op_filter_pred(p)) != NULL && k < 8) {
            filters[n][k++] = f;
            p = p->child;
        }
        if (!p || !tg_op_expand_info(p, &hops[n]) || hops[n].to_bound || !hops[n].types.n)
            break;
        for (size_t i = 0; i < k; i++)
            if (!local_to(filters[n][i], &hops[n]))
                goto stop;
        nf[n] = k;
        total_filters += k;
        n++;
        op = p->child;
        /* the next hop down must end where this one starts */
        {
            tg_hop next;
            const tg_op *q = op;
            while (q && tg_op_filter_pred(q))
                q = q->child;
            if (!q || !tg_op_expand_info(q, &next) || next.to != hops[n - 1].from)
                break;
        }
    }
stop:
    if (n == 0)
        return agg;
    below = op;
    /* hops were collected last first: the chain runs from hops[n-1] to hops[0] */
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (types_meet(hops[i].types, hops[j].types))
                return agg; /* a relation could appear twice in a match */
    for (size_t i = 0; i < n; i++)
        for (size_t u = 0; u < hops[i].nuniq; u++) {
            tg_names t;
            int inside = 0;
            for (size_t j = 0; j < n; j++)
                inside |= hops[j].rel == hops[i].uniq[u];
            if (inside)
                continue;
            if (!types_of_rel(below, hops[i].uniq[u], &t) || types_meet(t, hops[i].types))
                return agg;
        }
    ncounts = tg_op_aggregate_slots(agg, slots, 16);
    o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return agg;
    o->base.vt = &cp_vt;
    o->base.child = below;
    o->nlevels = n;
    o->levels = tg_arena_calloc(a, n, sizeof *o->levels);
    o->count_slots = tg_arena_calloc(a, ncounts + 1, sizeof *o->count_slots);
    if (!o->levels || !o->count_slots)
        return agg;
    memcpy(o->count_slots, slots, ncounts * sizeof *slots);
    o->ncounts = ncounts;
    for (size_t i = 0; i < n; i++) {
        level *l = &o->levels[i];
        size_t src = n - 1 - i;
        l->hop = hops[src];
        l->nfilters = nf[src];
        l->filters = tg_arena_calloc(a, nf[src] + 1, sizeof *l->filters);
        if (!l->filters)
            return agg;
        memcpy(l->filters, filters[src], nf[src] * sizeof *l->filters);
    }
    (void)total_filters;
    return &o->base;
}
