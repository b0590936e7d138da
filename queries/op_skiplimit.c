/* op_skiplimit.c — SKIP and LIMIT. Both are evaluated once at open (they may
 * use parameters, not variables) and must be non-negative integers. LIMIT
 * stops pulling from upstream once reached, which ends upstream work.
 */
#include "ops.h"


typedef struct op_sl {
    tg_op base;
    tg_expr *skip, *limit;
    int64_t nskip, nlimit, seen;
} op_sl;

static tg_status amount(tg_exec *x, tg_expr *e, const char *what, int64_t *out)
{
    tg_value v;
    tg_status st;
    tg_value *row;
    *out = -1;
    if (!e)
        return TG_OK;
    /* a scratch row: the expression may hold a comprehension variable */
    row = tg_vmem_alloc(x->mem, (x->width ? x->width : 1) * sizeof *row);
    if (!row)
        return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    tg_row_clear(row, x->width);
    st = tg_expr_eval(e, x, row, &v);
    if (st != TG_OK)
        return st;
    if (v.kind != TG_VAL_INT)
        return tg_error_set(x->err, TG_EARG, NULL, e->pos.line, e->pos.column,
                            "InvalidArgumentType: %s expects a non-negative integer, got a %s",
                            what, tg_value_kind_name((tg_vkind)v.kind));
    if (v.u.i < 0)
        return tg_error_set(x->err, TG_EARG, NULL, e->pos.line, e->pos.column,
                            "NegativeIntegerArgument: %s expects a non-negative integer, got "
                            "%lld",
                            what, (long long)v.u.i);
    *out = v.u.i;
    return TG_OK;
}

static tg_status sl_open(tg_op *op, tg_exec *x)
{
    op_sl *o = (op_sl *)op;
    tg_status st = amount(x, o->skip, "SKIP", &o->nskip);
    if (st == TG_OK)
        st = amount(x, o->limit, "LIMIT", &o->nlimit);
    o->seen = 0;
    if (st != TG_OK)
        return st;
    return tg_op_open(op->child, x);
}

static int sl_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_sl *o = (op_sl *)op;
    while (o->nskip > 0) {
        int r = tg_op_next(op->child, x, row);
        if (r <= 0)
            return r;
        o->nskip--;
    }
    if (o->nlimit >= 0 && o->seen >= o->nlimit)
        return 0;
    o->seen++;
    return tg_op_next(op->child, x, row);
}

static void sl_explain(const tg_op *op, tg_explain *e)
{
    const op_sl *o = (const op_sl *)op;
    double in = tg_explain_input(e), out = in;
    if (o->skip) {
        tg_explain_detail(e, "SKIP ");
        tg_explain_expr(e, o->skip);
        if (o->skip->kind == TG_E_CONST && o->skip->val.kind == TG_VAL_INT)
            out -= (double)o->skip->val.u.i;
    }
    if (o->limit) {
        tg_explain_detail(e, "%sLIMIT ", o->skip ? " " : "");
        tg_explain_expr(e, o->limit);
        if (o->limit->kind == TG_E_CONST && o->limit->val.kind == TG_VAL_INT &&
            (double)o->limit->val.u.i < out)
            out = (double)o->limit->val.u.i;
    }
    tg_explain_estimate(e, out);
}

static const tg_op_vt sl_vt = {"SkipLimit", sl_open, sl_next, NULL, sl_explain};

tg_op *tg_op_skiplimit(tg_arena *a, tg_op *child, tg_expr *skip, tg_expr *limit)
{
    op_sl *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &sl_vt;
    o->base.child = child;
    o->skip = skip;
    o->limit = limit;
    return &o->base;
}
