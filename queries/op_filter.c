/* op_filter.c — passes the rows on which a predicate is true.
 *
 * Whatever the predicate builds (strings, lists) is scratch: the value memory
 * is reset to its mark after each evaluation, so filtering millions of rows
 * keeps memory flat. The predicate's result is a truth value, never kept.
 */
#include "ops.h"

typedef struct op_filter {
    tg_op base;
    tg_expr *pred;
} op_filter;

static tg_status filter_open(tg_op *op, tg_exec *x)
{
    return tg_op_open(op->child, x);
}

static int filter_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_filter *o = (op_filter *)op;
    for (;;) {
        int r = tg_op_next(op->child, x, row), truth;
        tg_vmem_mark mark;
        tg_status st;
        if (r <= 0)
            return r;
        if (tg_exec_tick(x, 0))
            return -1;
        mark = tg_vmem_get_mark(x->mem);
        st = tg_expr_eval_pred(o->pred, x, row, &truth);
        tg_vmem_reset(x->mem, mark);
        if (st != TG_OK)
            return -1;
        if (truth == TG_TRI_TRUE)
            return 1;
    }
}

static void filter_explain(const tg_op *op, tg_explain *e)
{
    const op_filter *o = (const op_filter *)op;
    tg_explain_expr(e, o->pred);
    tg_explain_estimate(e, tg_explain_input(e) * tg_explain_selectivity(e, o->pred));
    tg_explain_branches_of(e, o->pred);
}

static const tg_op_vt filter_vt;

const tg_expr *tg_op_filter_pred(const tg_op *op)
{
    return op->vt == &filter_vt ? ((const op_filter *)op)->pred : NULL;
}

static const tg_op_vt filter_vt = {"Filter", filter_open, filter_next, NULL, filter_explain};

tg_op *tg_op_filter(tg_arena *a, tg_op *child, tg_expr *pred)
{
    op_filter *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &filter_vt;
    o->base.child = child;
    o->pred = pred;
    return &o->base;
}
