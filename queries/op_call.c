/* op_call.c — CALL proc(args) YIELD ...: per input row, evaluates the
 * arguments, checks them against the declared input types, runs the
 * procedure (which emits into a malloc'd row buffer) and then emits one row
 * per procedure row with the yielded columns in their slots.
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

typedef struct op_call {
    tg_op base;
    const tg_proc_def *proc;
    tg_expr **args;
    size_t nargs;
    const int *out_slots;
    tg_ast_pos pos;
    tg_value *in, *argv;
    struct tg_proc_ctx ctx;
    size_t i;
    int active;
} op_call;

static tg_status call_open(tg_op *op, tg_exec *x)
{
    op_call *o = (op_call *)op;
    o->active = 0;
    if (!o->in) {
        o->in = malloc((x->width ? x->width : 1) * sizeof *o->in);
        o->argv = malloc((o->proc->n_inputs + 1) * sizeof *o->argv);
        if (!o->in || !o->argv)
            return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return tg_op_open(op->child, x);
}

static int type_ok(tg_proc_type t, const tg_value *v)
{
    switch (t) {
    case TG_PROC_ANY: return 1;
    case TG_PROC_BOOL: return v->kind == TG_VAL_BOOL;
    case TG_PROC_INT: return v->kind == TG_VAL_INT;
    case TG_PROC_FLOAT:
    case TG_PROC_NUMBER: return tg_value_is_number(v);
    case TG_PROC_STRING: return v->kind == TG_VAL_STRING;
    case TG_PROC_LIST: return v->kind == TG_VAL_LIST;
    case TG_PROC_MAP: return v->kind == TG_VAL_MAP;
    case TG_PROC_NODE: return v->kind == TG_VAL_NODE;
    case TG_PROC_REL: return v->kind == TG_VAL_REL;
    case TG_PROC_PATH: return v->kind == TG_VAL_PATH;
    }
    return 0;
}

static int run(op_call *o, tg_exec *x, tg_value *row)
{
    const tg_proc_def *p = o->proc;
    tg_status st;
    for (size_t k = 0; k < p->n_inputs; k++) {
        o->argv[k] = tg_value_null();
        if (k < o->nargs && tg_expr_eval(o->args[k], x, row, &o->argv[k]) != TG_OK)
            return -1;
        if (o->argv[k].kind == TG_VAL_NULL)
            continue;
        if (!type_ok(p->inputs[k].type, &o->argv[k]))
            return tg_exec_fail(x, TG_ETYPE, &o->pos,
                                "InvalidArgumentType: argument '%s' of %s got a %s",
                                p->inputs[k].name, p->name,
                                tg_value_kind_name((tg_vkind)o->argv[k].kind));
        if (p->inputs[k].type == TG_PROC_FLOAT && o->argv[k].kind == TG_VAL_INT)
            o->argv[k] = tg_value_float((double)o->argv[k].u.i);
    }
    free(o->ctx.rows);
    memset(&o->ctx, 0, sizeof o->ctx);
    o->ctx.x = x;
    o->ctx.nout = p->n_outputs;
    st = p->fn(&o->ctx, x->g, o->argv, p->n_inputs, p->data, x->err);
    if (st != TG_OK) {
        if (x->err && x->err->line == 0) {
            x->err->line = o->pos.line;
            x->err->column = o->pos.column;
        }
        return -1;
    }
    o->i = 0;
    return 0;
}

static int call_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_call *o = (op_call *)op;
    for (;;) {
        if (!o->active) {
            int r = tg_op_next(op->child, x, row);
            if (r <= 0)
                return r;
            memcpy(o->in, row, x->width * sizeof *row);
            if (run(o, x, row))
                return -1;
            if (o->proc->n_outputs == 0) /* a void procedure passes its row on */
                return 1;
            o->active = 1;
        }
        if (o->i < o->ctx.n) {
            const tg_value *pr = &o->ctx.rows[o->i * o->ctx.nout];
            memcpy(row, o->in, x->width * sizeof *row);
            for (size_t k = 0; k < o->proc->n_outputs; k++)
                if (o->out_slots[k] >= 0)
                    row[o->out_slots[k]] = pr[k];
            o->i++;
            return 1;
        }
        o->active = 0;
    }
}

static void call_close(tg_op *op)
{
    op_call *o = (op_call *)op;
    free(o->in);
    free(o->argv);
    free(o->ctx.rows);
    o->in = o->argv = NULL;
    memset(&o->ctx, 0, sizeof o->ctx);
}

static void call_explain(const tg_op *op, tg_explain *e)
{
    const op_call *o = (const op_call *)op;
    tg_explain_detail(e, "%s(", o->proc->name);
    for (size_t i = 0; i < o->nargs; i++) {
        tg_explain_detail(e, "%s", i ? ", " : "");
        tg_explain_expr(e, o->args[i]);
    }
    tg_explain_detail(e, ")");
    tg_explain_estimate(e, tg_explain_input(e) *
                               (strncmp(o->proc->name, "algo.", 5) == 0
                                    ? (double)tg_graph_entity_count(tg_explain_graph(e))
                                    : 10));
}

static const tg_op_vt call_vt = {"ProcedureCall", call_open, call_next, call_close, call_explain};

tg_op *tg_op_call(tg_arena *a, tg_op *child, const tg_proc_def *proc, tg_expr **args,
                  size_t nargs, const int *out_slots, const tg_ast_pos *pos)
{
    op_call *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &call_vt;
    o->base.child = child;
    o->proc = proc;
    o->args = args;
    o->nargs = nargs;
    o->out_slots = out_slots;
    o->pos = *pos;
    return &o->base;
}
