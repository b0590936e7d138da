/* op_apply.c — runs a sub-pipeline once per input row (OPTIONAL MATCH, and
 * any pattern that must see the outer row). The sub-pipeline's leaf is an
 * argument operator that replays the outer row; it is reopened per row. With
 * `optional`, an outer row for which the sub-pipeline yields nothing is
 * emitted once with the sub-pipeline's new slots set to null.
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

typedef struct op_apply {
    tg_op base;
    tg_op *sub, *arg;
    int optional;
    const int *null_slots;
    size_t n;
    tg_value *in;
    int active, produced;
} op_apply;

static tg_status apply_open(tg_op *op, tg_exec *x)
{
    op_apply *o = (op_apply *)op;
    o->active = 0;
    if (!o->in) {
        o->in = malloc((x->width ? x->width : 1) * sizeof *o->in);
        if (!o->in)
            return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    tg_op_argument_set(o->arg, o->in);
    return tg_op_open(op->child, x);
}

static int apply_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_apply *o = (op_apply *)op;
    for (;;) {
        int r;
        if (!o->active) {
            r = tg_op_next(op->child, x, row);
            if (r <= 0)
                return r;
            memcpy(o->in, row, x->width * sizeof *row);
            if (tg_op_open(o->sub, x) != TG_OK)
                return -1;
            o->active = 1;
            o->produced = 0;
        }
        r = tg_op_next(o->sub, x, row);
        if (r < 0)
            return r;
        if (r > 0) {
            o->produced = 1;
            return 1;
        }
        o->active = 0;
        if (o->optional && !o->produced) {
            memcpy(row, o->in, x->width * sizeof *row);
            for (size_t k = 0; k < o->n; k++)
                row[o->null_slots[k]] = tg_value_null();
            return 1;
        }
    }
}

static void apply_close(tg_op *op)
{
    op_apply *o = (op_apply *)op;
    free(o->in);
    o->in = NULL;
    tg_op_close(o->sub);
}

static const tg_op_vt apply_vt = {"Apply", apply_open, apply_next, apply_close};

tg_op *tg_op_apply(tg_arena *a, tg_op *child, tg_op *sub, tg_op *arg, int optional,
                   const int *null_slots, size_t n)
{
    op_apply *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &apply_vt;
    o->base.child = child;
    o->sub = sub;
    o->arg = arg;
    o->optional = optional;
    o->null_slots = null_slots;
    o->n = n;
    return &o->base;
}
