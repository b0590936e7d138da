/* op_merge.c — MERGE: match the pattern, or create it when it is absent.
 *
 * Eager: all input rows are read first. Then, row by row, the match
 * sub-plan (leaf: an argument op replaying the row) runs to completion; its
 * rows get ON MATCH SET; when it finds nothing, the pattern's unbound parts
 * are created for the row and ON CREATE SET applies. A later row sees what
 * an earlier one created (two equal rows create once). Output rows are held
 * in a malloc'd buffer and emitted afterwards.
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

typedef struct op_merge {
    tg_op base;
    tg_op *match, *arg;
    tg_create_path *path;
    tg_set_item *on_create, *on_match;
    size_t n_create, n_match;
    tg_rowbuf in, out;
    size_t i;
} op_merge;

/* A property map of the pattern with a null value can never be matched
 * and would be created without it: openCypher refuses it at run time
 * (MergeReadOwnWrites). 0, or -1 with the error set. */
static int null_property(tg_exec *x, const tg_expr *props, const tg_ast_pos *pos,
                         tg_value *row)
{
    tg_value m;
    if (!props)
        return 0;
    if (tg_expr_eval(props, x, row, &m) != TG_OK)
        return -1;
    for (uint32_t k = 0; m.kind == TG_VAL_MAP && k < m.len; k++)
        if (m.u.map[k].value.kind == TG_VAL_NULL)
            return tg_exec_fail(x, TG_ESEMANTIC, pos,
                                "MergeReadOwnWrites: cannot MERGE with a null value for "
                                "property '%.*s'",
                                (int)m.u.map[k].klen, m.u.map[k].key);
    return 0;
}

static int merge_row(op_merge *o, tg_exec *x, size_t r, tg_value *tmp)
{
    size_t first = o->out.n;
    tg_value *in = tg_rowbuf_at(&o->in, x, r);
    int rc;
    for (size_t k = 0; k < o->path->nnodes; k++)
        if (!o->path->nodes[k].bound &&
            null_property(x, o->path->nodes[k].props, &o->path->nodes[k].pos, in))
            return -1;
    for (size_t k = 0; k < o->path->nrels; k++)
        if (null_property(x, o->path->rels[k].props, &o->path->rels[k].pos, in))
            return -1;
    tg_op_argument_set(o->arg, in);
    if (tg_op_open(o->match, x) != TG_OK)
        return -1;
    while ((rc = tg_op_next(o->match, x, tmp)) > 0)
        if (tg_rowbuf_push(x, &o->out, tmp)) {
            rc = -1;
            break;
        }
    tg_op_close(o->match);
    if (rc < 0)
        return -1;
    if (o->out.n > first) {
        for (size_t k = first; k < o->out.n; k++)
            if (tg_i_apply_sets(x, o->on_match, o->n_match, tg_rowbuf_at(&o->out, x, k)))
                return -1;
        return 0;
    }
    memcpy(tmp, in, x->width * sizeof *tmp);
    if (tg_i_create_paths(x, o->path, 1, tmp) ||
        tg_i_apply_sets(x, o->on_create, o->n_create, tmp))
        return -1;
    return tg_rowbuf_push(x, &o->out, tmp);
}

static tg_status merge_open(tg_op *op, tg_exec *x)
{
    op_merge *o = (op_merge *)op;
    tg_status st;
    tg_value *tmp = NULL;
    int rc = 0;
    tg_rowbuf_free(&o->in);
    tg_rowbuf_free(&o->out);
    o->i = 0;
    st = tg_op_open(op->child, x);
    if (st != TG_OK)
        return st;
    tmp = malloc((x->width ? x->width : 1) * sizeof *tmp);
    if (!tmp)
        return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    rc = tg_op_drain(op->child, x, tmp, &o->in);
    for (size_t r = 0; rc == 0 && r < o->in.n; r++)
        if (merge_row(o, x, r, tmp))
            rc = -1;
    free(tmp);
    if (rc < 0)
        return x->err->status != TG_OK ? x->err->status : TG_ERUNTIME;
    return TG_OK;
}

static int merge_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_merge *o = (op_merge *)op;
    return tg_rowbuf_next(&o->out, &o->i, x, row);
}

static void merge_close(tg_op *op)
{
    op_merge *o = (op_merge *)op;
    tg_rowbuf_free(&o->in);
    tg_rowbuf_free(&o->out);
    tg_op_close(o->match);
}

static void merge_explain(const tg_op *op, tg_explain *e)
{
    const op_merge *o = (const op_merge *)op;
    tg_explain_detail(e, "the branch matches; without a match the pattern is created");
    tg_explain_branch(e, o->match);
}

static const tg_op_vt merge_vt = {"Merge", merge_open, merge_next, merge_close, merge_explain};

tg_op *tg_op_merge(tg_arena *a, tg_op *child, tg_op *match, tg_op *arg,
                   tg_create_path *path, tg_set_item *on_create, size_t n_create,
                   tg_set_item *on_match, size_t n_match)
{
    op_merge *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &merge_vt;
    o->base.child = child;
    o->match = match;
    o->arg = arg;
    o->path = path;
    o->on_create = on_create;
    o->n_create = n_create;
    o->on_match = on_match;
    o->n_match = n_match;
    return &o->base;
}
