/* op_unwind.c — one row per element of a list (null: no row; any other
 * non-list value: one row with that value, as openCypher does).
 * UNWIND range(a, b[, step]) counts lazily instead of building the list, so
 * a large range costs no memory and the guards see every row.
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

typedef struct op_unwind {
    tg_op base;
    tg_expr *e;
    int slot;
    tg_value *in;
    tg_value list;
    size_t i;
    int active;
    int lazy;      /* counting a range */
    int exhausted; /* the range's next value would overflow */
    int64_t cur, end, step;
} op_unwind;

/* For UNWIND range(...): evaluates the bounds; 1 when the range is lazy. */
static int lazy_range(op_unwind *o, tg_exec *x, tg_value *row, int *err)
{
    const tg_expr *e = o->e;
    tg_value v[3];
    *err = 0;
    if (e->kind != TG_E_CALL || strcmp(e->fn->name, "range") != 0)
        return 0;
    for (size_t k = 0; k < e->nargs; k++) {
        if (tg_expr_eval(e->args[k], x, row, &v[k]) != TG_OK) {
            *err = 1;
            return 1;
        }
        if (v[k].kind != TG_VAL_INT)
            return 0; /* let range() itself report nulls and wrong kinds */
    }
    o->cur = v[0].u.i;
    o->end = v[1].u.i;
    o->step = e->nargs == 3 ? v[2].u.i : 1;
    o->exhausted = 0;
    return o->step != 0;
}

static tg_status unwind_open(tg_op *op, tg_exec *x)
{
    op_unwind *o = (op_unwind *)op;
    o->active = 0;
    if (!o->in) {
        o->in = malloc((x->width ? x->width : 1) * sizeof *o->in);
        if (!o->in)
            return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return tg_op_open(op->child, x);
}

static int unwind_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_unwind *o = (op_unwind *)op;
    for (;;) {
        if (!o->active) {
            int r = tg_op_next(op->child, x, row);
            if (r <= 0)
                return r;
            {
                int err;
                o->lazy = lazy_range(o, x, row, &err);
                if (err)
                    return -1;
                if (o->lazy) {
                    memcpy(o->in, row, x->width * sizeof *row);
                    o->active = 1;
                    continue;
                }
            }
            if (tg_expr_eval(o->e, x, row, &o->list) != TG_OK)
                return -1;
            if (o->list.kind == TG_VAL_NULL)
                continue;
            if (o->list.kind != TG_VAL_LIST) {
                row[o->slot] = o->list;
                return 1;
            }
            memcpy(o->in, row, x->width * sizeof *row);
            o->i = 0;
            o->active = 1;
        }
        if (o->lazy) {
            if (!o->exhausted &&
                ((o->step > 0 && o->cur <= o->end) || (o->step < 0 && o->cur >= o->end))) {
                if (tg_exec_tick(x, 0))
                    return -1;
                memcpy(row, o->in, x->width * sizeof *row);
                row[o->slot] = tg_value_int(o->cur);
                if (__builtin_add_overflow(o->cur, o->step, &o->cur))
                    o->exhausted = 1;
                return 1;
            }
            o->active = 0;
            continue;
        }
        if (o->i < o->list.len) {
            if (tg_exec_tick(x, 0))
                return -1;
            memcpy(row, o->in, x->width * sizeof *row);
            row[o->slot] = o->list.u.items[o->i++];
            return 1;
        }
        o->active = 0;
    }
}

static void unwind_close(tg_op *op)
{
    op_unwind *o = (op_unwind *)op;
    free(o->in);
    o->in = NULL;
}

static void unwind_explain(const tg_op *op, tg_explain *e)
{
    const op_unwind *o = (const op_unwind *)op;
    double k = 10;
    tg_explain_expr(e, o->e);
    tg_explain_detail(e, " AS %s", tg_explain_slot(e, o->slot));
    if (o->e->kind == TG_E_CONST && o->e->val.kind == TG_VAL_LIST)
        k = o->e->val.len;
    tg_explain_estimate(e, tg_explain_input(e) * k);
}

static const tg_op_vt unwind_vt = {"Unwind", unwind_open, unwind_next, unwind_close, unwind_explain};

tg_op *tg_op_unwind(tg_arena *a, tg_op *child, tg_expr *e, int slot)
{
    op_unwind *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &unwind_vt;
    o->base.child = child;
    o->e = e;
    o->slot = slot;
    return &o->base;
}
