/* op_common.c — what every operator shares: closing a chain, the guards on
 * expansions and time, runtime error records, and the two leaves (once and
 * argument) that start every pipeline.
 */
#include "ops.h"
#include "qtime.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void tg_op_close(tg_op *op)
{
    while (op) {
        if (op->vt->close)
            op->vt->close(op);
        op = op->child;
    }
}


int tg_op_next_profiled(tg_op *op, tg_exec *x, tg_value *row)
{
    double t0 = tg_i_monotonic();
    int r = op->vt->next(op, x, row);
    op->seconds += tg_i_monotonic() - t0;
    if (r > 0)
        op->rows++;
    return r;
}

int tg_exec_tick(tg_exec *x, uint64_t expansions)
{
    x->expansions += expansions;
    if (x->expansions > x->max_expansions) {
        tg_error_set(x->err, TG_ERUNTIME, NULL, 0, 0,
                     "the query stopped after %llu relationship expansions (the cap; raise "
                     "it with max_expansions / --max-expansions, or make the pattern more "
                     "selective)",
                     (unsigned long long)x->max_expansions);
        return -1;
    }
    if (x->deadline > 0 && (++x->tick & 1023u) == 0 && tg_i_monotonic() > x->deadline) {
        tg_error_set(x->err, TG_ERUNTIME, NULL, 0, 0, TG_TIMEOUT_FMT, x->timeout, "running");
        return -1;
    }
    return 0;
}

int tg_exec_past_deadline(tg_exec *x)
{
    if (x->deadline > 0 && tg_i_monotonic() > x->deadline) {
        tg_error_set(x->err, TG_ERUNTIME, NULL, 0, 0, TG_TIMEOUT_FMT, x->timeout, "running");
        return 1;
    }
    return 0;
}

int tg_exec_fail(tg_exec *x, tg_status st, const tg_ast_pos *pos, const char *fmt, ...)
{
    char msg[TG_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tg_error_set(x->err, st, NULL, pos ? pos->line : 0, pos ? pos->column : 0, "%s", msg);
    return -1;
}

int tg_i_check_live(tg_exec *x, const tg_value *v, const tg_ast_pos *pos)
{
    if (v->kind == TG_VAL_NODE && !tg_graph_entity_is_live(x->g, v->u.node))
        return tg_exec_fail(x, TG_ERUNTIME, pos,
                            "DeletedEntityAccess: the node was deleted by this statement");
    if (v->kind == TG_VAL_REL && !tg_graph_relation_is_live(x->g, v->u.rel))
        return tg_exec_fail(x, TG_ERUNTIME, pos,
                            "DeletedEntityAccess: the relationship was deleted by this "
                            "statement");
    return 0;
}

void tg_row_clear(tg_value *row, size_t width)
{
    for (size_t i = 0; i < width; i++)
        row[i] = tg_value_null();
}

int tg_rowbuf_push(tg_exec *x, tg_rowbuf *b, const tg_value *row)
{
    size_t w = x->width ? x->width : 1;
    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 16;
        tg_value *nr = realloc(b->rows, nc * w * sizeof *nr);
        if (!nr)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        b->rows = nr;
        b->cap = nc;
    }
    memcpy(&b->rows[b->n++ * w], row, x->width * sizeof *row);
    return 0;
}

int tg_op_drain(tg_op *child, tg_exec *x, tg_value *row, tg_rowbuf *b)
{
    int r;
    while ((r = tg_op_next(child, x, row)) > 0)
        if (tg_rowbuf_push(x, b, row))
            return -1;
    return r < 0 ? -1 : 0;
}

tg_status tg_op_drain_all(tg_op *child, tg_exec *x, tg_rowbuf *b)
{
    tg_status st;
    tg_value *row;
    tg_rowbuf_free(b);
    if ((st = tg_op_open(child, x)) != TG_OK)
        return st;
    row = malloc((x->width ? x->width : 1) * sizeof *row);
    if (!row)
        return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    if (tg_op_drain(child, x, row, b))
        st = x->err->status != TG_OK ? x->err->status : TG_ERUNTIME;
    free(row);
    return st;
}

void tg_rowbuf_free(tg_rowbuf *b)
{
    free(b->rows);
    b->rows = NULL;
    b->n = b->cap = 0;
}

/* ---- once ---------------------------------------------------------------- */

typedef struct op_once {
    tg_op base;
    int done;
} op_once;

static tg_status once_open(tg_op *op, tg_exec *x)
{
    (void)x;
    ((op_once *)op)->done = 0;
    return TG_OK;
}

static int once_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_once *o = (op_once *)op;
    if (o->done)
        return 0;
    o->done = 1;
    tg_row_clear(row, x->width);
    return 1;
}

static void once_explain(const tg_op *op, tg_explain *e)
{
    (void)op;
    tg_explain_estimate(e, 1);
}

static const tg_op_vt once_vt = {"Once", once_open, once_next, NULL, once_explain};

tg_op *tg_op_once(tg_arena *a)
{
    op_once *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &once_vt;
    return &o->base;
}

/* ---- argument ------------------------------------------------------------- */

typedef struct op_arg {
    tg_op base;
    const tg_value *row;
    const struct op_arg *follows; /* read this one's row (UNION parts of a subquery) */
    int done;
} op_arg;

static tg_status arg_open(tg_op *op, tg_exec *x)
{
    (void)x;
    ((op_arg *)op)->done = 0;
    return TG_OK;
}

static int arg_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_arg *o = (op_arg *)op;
    if (o->done)
        return 0;
    const tg_value *src = o->follows ? o->follows->row : o->row;
    o->done = 1;
    if (src != row)
        memcpy(row, src, x->width * sizeof *row);
    return 1;
}

static void arg_explain(const tg_op *op, tg_explain *e)
{
    (void)op;
    tg_explain_detail(e, "the row of the outer query");
    tg_explain_estimate(e, 1);
}

static const tg_op_vt arg_vt = {"Argument", arg_open, arg_next, NULL, arg_explain};

tg_op *tg_op_argument(tg_arena *a)
{
    op_arg *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &arg_vt;
    return &o->base;
}

void tg_op_argument_set(tg_op *arg, const tg_value *row)
{
    ((op_arg *)arg)->row = row;
}

void tg_op_argument_follow(tg_op *arg, const tg_op *primary)
{
    ((op_arg *)arg)->follows = (const op_arg *)primary;
}

const tg_value *tg_op_leaf_row(const tg_op *op)
{
    const op_arg *a;
    while (op && op->child)
        op = op->child;
    if (!op || op->vt != &arg_vt)
        return NULL;
    a = (const op_arg *)op;
    return a->follows ? a->follows->row : a->row;
}

int tg_names_resolve(const tg_graph *g, tg_names n, tg_sym *out)
{
    int found = 0;
    for (size_t i = 0; i < n.n; i++) {
        out[i] = tg_graph_sym(g, n.names[i], strlen(n.names[i]));
        if (out[i])
            found++;
    }
    return found;
}

size_t tg_types_resolve(const tg_graph *g, tg_names n, tg_sym *out)
{
    size_t found = 0;
    for (size_t i = 0; i < n.n; i++) {
        tg_sym t = tg_graph_sym(g, n.names[i], strlen(n.names[i]));
        size_t k;
        for (k = 0; k < found && out[k] != t; k++)
            ;
        if (t && k == found)
            out[found++] = t;
    }
    return found;
}

size_t tg_adjacency_run(tg_graph *g, tg_ent e, int outgoing, const tg_sym *types,
                        size_t ntypes, size_t k, const tg_rel **rels, const tg_ent **nbrs)
{
    return tg_graph_adjacent(g, e, outgoing, ntypes ? types[k] : 0, rels, nbrs);
}

int tg_label_bitmaps(tg_graph *g, const tg_sym *syms, size_t n, const uint64_t **bits)
{
    for (size_t i = 0; i < n; i++)
        if (!syms[i] || !(bits[i] = tg_graph_label_bitmap(g, syms[i])))
            return 0;
    return 1;
}

int tg_bits_all(const uint64_t *const *bits, size_t n, tg_ent e)
{
    for (size_t i = 0; i < n; i++)
        if (!(bits[i][e / 64] >> (e % 64) & 1))
            return 0;
    return 1;
}

int tg_node_has_labels(const tg_graph *g, tg_ent e, const tg_sym *syms, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!syms[i] || !tg_graph_has_label(g, e, syms[i]))
            return 0;
    return 1;
}

int tg_rel_is_used(const tg_value *row, const int *uniq, size_t nuniq, tg_rel r)
{
    for (size_t i = 0; i < nuniq; i++) {
        const tg_value *v = &row[uniq[i]];
        if (v->kind == TG_VAL_REL && v->u.rel == r)
            return 1;
        if (v->kind == TG_VAL_LIST)
            for (uint32_t k = 0; k < v->len; k++)
                if (v->u.items[k].kind == TG_VAL_REL && v->u.items[k].u.rel == r)
                    return 1;
    }
    return 0;
}
