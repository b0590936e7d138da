/* op_union.c — UNION ALL: the rows of each part in turn (each part projects
 * into the same column slots). UNION adds a Distinct above it.
 */
#include "ops.h"

typedef struct op_union {
    tg_op base;
    tg_op **parts;
    size_t n, i;
} op_union;

static tg_status union_open(tg_op *op, tg_exec *x)
{
    op_union *o = (op_union *)op;
    o->i = 0;
    return o->n ? tg_op_open(o->parts[0], x) : TG_OK;
}

static int union_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_union *o = (op_union *)op;
    while (o->i < o->n) {
        int r = tg_op_next(o->parts[o->i], x, row);
        if (r != 0)
            return r;
        o->i++;
        if (o->i < o->n && tg_op_open(o->parts[o->i], x) != TG_OK)
            return -1;
    }
    return 0;
}

static void union_close(tg_op *op)
{
    op_union *o = (op_union *)op;
    for (size_t i = 0; i < o->n; i++)
        tg_op_close(o->parts[i]);
}

static void union_explain(const tg_op *op, tg_explain *e)
{
    const op_union *o = (const op_union *)op;
    double total = 0;
    tg_explain_detail(e, "the rows of %zu parts in turn", o->n);
    for (size_t i = 0; i < o->n; i++)
        total += tg_explain_branch(e, o->parts[i]);
    tg_explain_estimate(e, total);
}

static const tg_op_vt union_vt = {"Union", union_open, union_next, union_close, union_explain};

tg_op *tg_op_union(tg_arena *a, tg_op **parts, size_t n)
{
    op_union *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &union_vt;
    o->parts = parts;
    o->n = n;
    return &o->base;
}
