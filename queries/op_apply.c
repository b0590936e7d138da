/* op_apply.c — runs a sub-pipeline once per input row (OPTIONAL MATCH,
 * CALL { } subqueries, and any pattern that must see the outer row). The sub-pipeline's leaf is an
 * argument operator that replays the outer row; it is reopened per row. With
 * `optional`, an outer row for which the sub-pipeline yields nothing is
 * emitted once with the sub-pipeline's new slots set to null. A unit
 * subquery (CALL { } that only updates) is run to its end for each row,
 * which then comes out once.
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
    int unit; /* the sub-pipeline only updates: run it out, emit the row once */
    int eager; /* the sub-pipeline writes: read every input row first */
    tg_value *in;
    int active, produced;
    tg_rowbuf rows; /* eager: the input rows */
    size_t next;
    int loaded;
} op_apply;

static tg_status apply_open(tg_op *op, tg_exec *x)
{
    op_apply *o = (op_apply *)op;
    o->active = 0;
    o->loaded = 0;
    o->next = 0;
    tg_rowbuf_free(&o->rows);
    if (!o->in) {
        o->in = malloc((x->width ? x->width : 1) * sizeof *o->in);
        if (!o->in)
            return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    tg_op_argument_set(o->arg, o->in);
    return tg_op_open(op->child, x);
}

/* The next input row: from the child, or (eager: the sub-pipeline writes)
 * from every input row read before the first write. */
static int next_input(op_apply *o, tg_exec *x, tg_value *row)
{
    if (!o->eager)
        return tg_op_next(o->base.child, x, row);
    if (!o->loaded) {
        if (tg_op_drain(o->base.child, x, row, &o->rows))
            return -1;
        o->loaded = 1;
    }
    return tg_rowbuf_next(&o->rows, &o->next, x, row);
}

static int apply_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_apply *o = (op_apply *)op;
    for (;;) {
        int r;
        if (!o->active) {
            r = next_input(o, x, row);
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
        if (r > 0 && o->unit)
            continue;
        if (r > 0) {
            o->produced = 1;
            return 1;
        }
        if (o->unit) {
            o->active = 0;
            memcpy(row, o->in, x->width * sizeof *row);
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
    tg_rowbuf_free(&o->rows);
    tg_op_close(o->sub);
}

static void apply_explain(const tg_op *op, tg_explain *e)
{
    const op_apply *o = (const op_apply *)op;
    double in = tg_explain_input(e), sub;
    tg_explain_detail(e, "%s%s%s", o->optional ? "optional: a row without a match keeps nulls"
                                   : o->unit   ? "a unit subquery: each row once"
                                               : "the rows of the branch for each row",
                      o->eager ? "; reads every row before the first write" : "",
                      "");
    sub = tg_explain_branch(e, o->sub);
    tg_explain_estimate(e, o->unit ? in : in * (o->optional && sub < 1 ? 1 : sub));
}

static const tg_op_vt apply_vt = {"Apply", apply_open, apply_next, apply_close, apply_explain};

void tg_op_apply_set_unit(tg_op *op)
{
    ((op_apply *)op)->unit = 1;
}

void tg_op_apply_set_eager(tg_op *op)
{
    ((op_apply *)op)->eager = 1;
}

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
