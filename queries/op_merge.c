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
    tg_value *in, *out;
    size_t nin, capin, nout, capout, i;
} op_merge;

static int push(tg_exec *x, tg_value **buf, size_t *n, size_t *cap, const tg_value *row)
{
    size_t w = x->width ? x->width : 1;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        tg_value *nb = realloc(*buf, nc * w * sizeof *nb);
        if (!nb)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        *buf = nb;
        *cap = nc;
    }
    memcpy(&(*buf)[*n * w], row, x->width * sizeof *row);
    (*n)++;
    return 0;
}

static int merge_row(op_merge *o, tg_exec *x, size_t r, tg_value *tmp)
{
    size_t w = x->width ? x->width : 1, first = o->nout;
    int rc;
    tg_op_argument_set(o->arg, &o->in[r * w]);
    if (tg_op_open(o->match, x) != TG_OK)
        return -1;
    while ((rc = tg_op_next(o->match, x, tmp)) > 0)
        if (push(x, &o->out, &o->nout, &o->capout, tmp)) {
            rc = -1;
            break;
        }
    tg_op_close(o->match);
    if (rc < 0)
        return -1;
    if (o->nout > first) {
        for (size_t k = first; k < o->nout; k++)
            if (tg_i_apply_sets(x, o->on_match, o->n_match, &o->out[k * w]))
                return -1;
        return 0;
    }
    memcpy(tmp, &o->in[r * w], x->width * sizeof *tmp);
    if (tg_i_create_paths(x, o->path, 1, tmp) ||
        tg_i_apply_sets(x, o->on_create, o->n_create, tmp))
        return -1;
    return push(x, &o->out, &o->nout, &o->capout, tmp);
}

static tg_status merge_open(tg_op *op, tg_exec *x)
{
    op_merge *o = (op_merge *)op;
    tg_status st;
    tg_value *tmp = NULL;
    int rc = 0;
    free(o->in);
    free(o->out);
    o->in = o->out = NULL;
    o->nin = o->capin = o->nout = o->capout = o->i = 0;
    st = tg_op_open(op->child, x);
    if (st != TG_OK)
        return st;
    tmp = malloc((x->width ? x->width : 1) * sizeof *tmp);
    if (!tmp)
        return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    while ((rc = tg_op_next(op->child, x, tmp)) > 0)
        if (push(x, &o->in, &o->nin, &o->capin, tmp)) {
            rc = -1;
            break;
        }
    for (size_t r = 0; rc == 0 && r < o->nin; r++)
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
    size_t w = x->width ? x->width : 1;
    if (o->i >= o->nout)
        return 0;
    memcpy(row, &o->out[o->i++ * w], x->width * sizeof *row);
    return 1;
}

static void merge_close(tg_op *op)
{
    op_merge *o = (op_merge *)op;
    free(o->in);
    free(o->out);
    o->in = o->out = NULL;
    o->nin = o->capin = o->nout = o->capout = 0;
    tg_op_close(o->match);
}

static const tg_op_vt merge_vt = {"Merge", merge_open, merge_next, merge_close};

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
