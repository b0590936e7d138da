/* op_aggregate.c — grouping and aggregation.
 *
 * Reads every input row; the values of the key expressions form the group
 * (equivalence: null ~ null); each group keeps a copy of its first row and
 * one tg_agg_state per aggregate. Then emits each group's first row, in order
 * of first appearance, with the aggregate results in their slots: the
 * projection above reads keys and aggregates from that row. With no keys, an
 * empty input still gives one group (count(*) = 0).
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

typedef struct op_agg {
    tg_op base;
    tg_expr **keys;
    size_t nkeys;
    tg_agg_spec *aggs;
    size_t naggs;
    tg_rowset set;
    tg_value *rows;        /* first row of each group */
    tg_agg_state *states;  /* ngroups * naggs */
    size_t cap;
    tg_value *key, *args;
    size_t maxargs;
    size_t i;
    int loaded;
} op_agg;

static void release(op_agg *o)
{
    size_t ng = o->set.count;
    if (o->states)
        for (size_t i = 0; i < ng * o->naggs; i++)
            tg_agg_state_destroy(&o->states[i]);
    free(o->states);
    free(o->rows);
    free(o->key);
    free(o->args);
    o->states = NULL;
    o->rows = o->key = o->args = NULL;
    o->cap = 0;
    tg_rowset_destroy(&o->set);
}

static tg_status agg_open(tg_op *op, tg_exec *x)
{
    op_agg *o = (op_agg *)op;
    release(o);
    tg_rowset_init(&o->set, o->nkeys);
    o->loaded = 0;
    o->i = 0;
    o->maxargs = 1;
    for (size_t k = 0; k < o->naggs; k++)
        if (o->aggs[k].nargs > o->maxargs)
            o->maxargs = o->aggs[k].nargs;
    o->key = malloc((o->nkeys ? o->nkeys : 1) * sizeof *o->key);
    o->args = malloc(o->maxargs * sizeof *o->args);
    if (!o->key || !o->args)
        return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    return tg_op_open(op->child, x);
}

static int add_group(op_agg *o, tg_exec *x, const tg_value *row)
{
    size_t w = x->width ? x->width : 1, na = o->naggs ? o->naggs : 1;
    size_t g = o->set.count - 1; /* just added */
    if (o->set.count > o->cap) {
        size_t nc = o->cap ? o->cap * 2 : 16;
        tg_value *nr = realloc(o->rows, nc * w * sizeof *nr);
        if (!nr)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        o->rows = nr;
        tg_agg_state *ns = realloc(o->states, nc * na * sizeof *ns);
        if (!ns)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        o->states = ns;
        o->cap = nc;
    }
    memcpy(&o->rows[g * w], row, x->width * sizeof *row);
    memset(&o->states[g * o->naggs], 0, o->naggs * sizeof *o->states);
    return 0;
}

static int load(op_agg *o, tg_exec *x, tg_value *row)
{
    for (;;) {
        size_t g;
        int added, r = tg_op_next(o->base.child, x, row);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        for (size_t k = 0; k < o->nkeys; k++)
            if (tg_expr_eval(o->keys[k], x, row, &o->key[k]) != TG_OK)
                return -1;
        if (tg_rowset_put(&o->set, o->key, &g, &added) != TG_OK)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        if (added && add_group(o, x, row))
            return -1;
        for (size_t k = 0; k < o->naggs; k++) {
            tg_agg_spec *s = &o->aggs[k];
            for (size_t j = 0; j < s->nargs; j++)
                if (tg_expr_eval(s->args[j], x, row, &o->args[j]) != TG_OK)
                    return -1;
            if (tg_agg_step(x, s->fn, s->distinct, &o->states[g * o->naggs + k], o->args,
                            s->nargs) != TG_OK)
                return -1;
        }
    }
    if (o->nkeys == 0 && o->set.count == 0) {
        size_t g;
        int added;
        /* no input: one row of the aggregates' empty values, which in a
           subquery keeps the outer row's variables */
        const tg_value *outer = tg_op_leaf_row(o->base.child);
        if (outer)
            memcpy(row, outer, x->width * sizeof *row);
        else
            tg_row_clear(row, x->width);
        if (tg_rowset_put(&o->set, o->key, &g, &added) != TG_OK || add_group(o, x, row))
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    }
    o->loaded = 1;
    return 0;
}

static int agg_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_agg *o = (op_agg *)op;
    size_t w = x->width ? x->width : 1;
    if (!o->loaded && load(o, x, row))
        return -1;
    if (o->i >= o->set.count)
        return 0;
    memcpy(row, &o->rows[o->i * w], x->width * sizeof *row);
    for (size_t k = 0; k < o->naggs; k++) {
        tg_agg_spec *s = &o->aggs[k];
        if (tg_agg_final(x, s->fn, s->distinct, &o->states[o->i * o->naggs + k],
                         &row[s->slot]) != TG_OK)
            return -1;
    }
    o->i++;
    return 1;
}

static void agg_close(tg_op *op)
{
    release((op_agg *)op);
}

static void agg_explain(const tg_op *op, tg_explain *e)
{
    const op_agg *o = (const op_agg *)op;
    if (o->nkeys) {
        tg_explain_detail(e, "grouped by ");
        for (size_t i = 0; i < o->nkeys; i++) {
            tg_explain_detail(e, "%s", i ? ", " : "");
            tg_explain_expr(e, o->keys[i]);
        }
        tg_explain_detail(e, "; ");
    }
    for (size_t i = 0; i < o->naggs; i++) {
        const tg_agg_spec *a = &o->aggs[i];
        tg_explain_detail(e, "%s%s = %s(%s", i ? ", " : "", tg_explain_slot(e, a->slot),
                          a->fn->name, a->distinct ? "DISTINCT " : "");
        if (!a->nargs)
            tg_explain_detail(e, "*");
        for (size_t k = 0; k < a->nargs; k++)
            tg_explain_expr(e, a->args[k]);
        tg_explain_detail(e, ")");
    }
    if (!o->nkeys)
        tg_explain_estimate(e, 1);
}

static const tg_op_vt agg_vt;

int tg_op_aggregate_counts_rows(const tg_op *op)
{
    const op_agg *o = (const op_agg *)op;
    if (op->vt != &agg_vt || o->nkeys != 0 || o->naggs == 0)
        return 0;
    for (size_t i = 0; i < o->naggs; i++)
        if (o->aggs[i].nargs != 0 || o->aggs[i].distinct ||
            strcmp(o->aggs[i].fn->name, "count") != 0)
            return 0;
    return 1;
}

size_t tg_op_aggregate_slots(const tg_op *op, int *slots, size_t max)
{
    const op_agg *o = (const op_agg *)op;
    size_t n = 0;
    for (size_t i = 0; i < o->naggs && n < max; i++)
        slots[n++] = o->aggs[i].slot;
    return n;
}

static const tg_op_vt agg_vt = {"Aggregate", agg_open, agg_next, agg_close, agg_explain};

tg_op *tg_op_aggregate(tg_arena *a, tg_op *child, tg_expr **keys, size_t nkeys,
                       tg_agg_spec *aggs, size_t naggs)
{
    op_agg *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &agg_vt;
    o->base.child = child;
    o->keys = keys;
    o->nkeys = nkeys;
    o->aggs = aggs;
    o->naggs = naggs;
    return &o->base;
}
