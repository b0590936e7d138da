/* op_project.c — evaluates expressions into slots (WITH / RETURN items,
 * path variables). The expressions read the input slots; results go to
 * slots the binder gave the new names, so evaluation order does not matter.
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

typedef struct op_project {
    tg_op base;
    tg_expr **exprs;
    const int *slots;
    size_t n;
    tg_value *tmp;
} op_project;

static tg_status project_open(tg_op *op, tg_exec *x)
{
    op_project *o = (op_project *)op;
    if (!o->tmp) {
        o->tmp = malloc((o->n ? o->n : 1) * sizeof *o->tmp);
        if (!o->tmp)
            return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return tg_op_open(op->child, x);
}

static int project_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_project *o = (op_project *)op;
    int r = tg_op_next(op->child, x, row);
    if (r <= 0)
        return r;
    /* evaluate everything first: an alias may reuse a slot an item reads */
    for (size_t i = 0; i < o->n; i++)
        if (tg_expr_eval(o->exprs[i], x, row, &o->tmp[i]) != TG_OK)
            return -1;
    for (size_t i = 0; i < o->n; i++)
        row[o->slots[i]] = o->tmp[i];
    return 1;
}

static void project_close(tg_op *op)
{
    op_project *o = (op_project *)op;
    free(o->tmp);
    o->tmp = NULL;
}

static void project_explain(const tg_op *op, tg_explain *e)
{
    const op_project *o = (const op_project *)op;
    for (size_t i = 0; i < o->n; i++) {
        tg_explain_detail(e, "%s%s = ", i ? ", " : "", tg_explain_slot(e, o->slots[i]));
        tg_explain_expr(e, o->exprs[i]);
    }
    for (size_t i = 0; i < o->n; i++)
        tg_explain_branches_of(e, o->exprs[i]);
}

static const tg_op_vt project_vt = {"Project", project_open, project_next, project_close, project_explain};

tg_op *tg_op_project(tg_arena *a, tg_op *child, tg_expr **exprs, const int *slots, size_t n)
{
    op_project *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &project_vt;
    o->base.child = child;
    o->exprs = exprs;
    o->slots = slots;
    o->n = n;
    return &o->base;
}
