/* op_sort.c — ORDER BY: reads every input row, evaluates the sort keys once
 * per row, and sorts stably (ties keep input order) under the global order of
 * values (value.h), each key ascending or descending. Rows and keys are held
 * in two malloc'd arrays; the sort is qsort over row indexes with the index
 * as the last tiebreak.
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

typedef struct op_sort {
    tg_op base;
    tg_expr **keys;
    const int *desc;
    size_t nkeys;
    tg_value *rows, *kv;
    size_t *order;
    size_t n, cap, i;
    size_t width;
    int loaded;
    tg_expr *skip, *limit; /* for a top-k sort */
    size_t k;              /* 0: keep everything */
} op_sort;

static _Thread_local const op_sort *cur_sort;

static int cmp_rows(const void *pa, const void *pb)
{
    const op_sort *o = cur_sort;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    for (size_t k = 0; k < o->nkeys; k++) {
        int c = tg_value_order(&o->kv[a * o->nkeys + k], &o->kv[b * o->nkeys + k]);
        if (c)
            return o->desc[k] ? -c : c;
    }
    return a < b ? -1 : a > b;
}

static void release(op_sort *o)
{
    free(o->rows);
    free(o->kv);
    free(o->order);
    o->rows = o->kv = NULL;
    o->order = NULL;
    o->n = o->cap = 0;
}

static tg_status sort_open(tg_op *op, tg_exec *x)
{
    op_sort *o = (op_sort *)op;
    release(o);
    o->loaded = 0;
    o->i = 0;
    o->width = x->width;
    o->k = 0;
    if (o->limit && o->limit->kind == TG_E_CONST && o->limit->val.kind == TG_VAL_INT &&
        o->limit->val.u.i >= 0) {
        int64_t k = o->limit->val.u.i;
        if (o->skip && o->skip->kind == TG_E_CONST && o->skip->val.kind == TG_VAL_INT &&
            o->skip->val.u.i >= 0)
            k += o->skip->val.u.i;
        else if (o->skip)
            k = 0;
        if (k > 0 && k < (int64_t)1 << 40)
            o->k = (size_t)k;
    }
    return tg_op_open(op->child, x);
}

/* Sorts what was read so far and keeps the first k rows (top-k). */
static int compact(op_sort *o, tg_exec *x)
{
    size_t w = x->width ? x->width : 1, nk = o->nkeys ? o->nkeys : 1;
    size_t *ord = malloc(o->n * sizeof *ord);
    tg_value *nr, *nkv;
    if (!ord)
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < o->n; i++)
        ord[i] = i;
    cur_sort = o;
    qsort(ord, o->n, sizeof *ord, cmp_rows);
    cur_sort = NULL;
    nr = malloc(o->cap * w * sizeof *nr);
    nkv = malloc(o->cap * nk * sizeof *nkv);
    if (!nr || !nkv) {
        free(ord);
        free(nr);
        free(nkv);
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    }
    for (size_t i = 0; i < o->k; i++) {
        memcpy(&nr[i * w], &o->rows[ord[i] * w], w * sizeof *nr);
        memcpy(&nkv[i * nk], &o->kv[ord[i] * nk], nk * sizeof *nkv);
    }
    free(ord);
    free(o->rows);
    free(o->kv);
    o->rows = nr;
    o->kv = nkv;
    o->n = o->k;
    return 0;
}

static int load(op_sort *o, tg_exec *x, tg_value *row)
{
    size_t w = x->width ? x->width : 1, nk = o->nkeys ? o->nkeys : 1;
    for (;;) {
        int r = tg_op_next(o->base.child, x, row);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        if (o->n == o->cap) {
            size_t nc = o->cap ? o->cap * 2 : 64;
            tg_value *nr = realloc(o->rows, nc * w * sizeof *nr);
            if (!nr)
                return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
            o->rows = nr;
            tg_value *nkv = realloc(o->kv, nc * nk * sizeof *nkv);
            if (!nkv)
                return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
            o->kv = nkv;
            o->cap = nc;
        }
        memcpy(&o->rows[o->n * w], row, x->width * sizeof *row);
        for (size_t k = 0; k < o->nkeys; k++)
            if (tg_expr_eval(o->keys[k], x, &o->rows[o->n * w], &o->kv[o->n * nk + k]) != TG_OK)
                return -1;
        o->n++;
        if (o->k && o->n >= 2 * o->k + 1024 && compact(o, x))
            return -1;
    }
    o->order = malloc((o->n ? o->n : 1) * sizeof *o->order);
    if (!o->order)
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < o->n; i++)
        o->order[i] = i;
    cur_sort = o;
    if (o->n > 1)
        qsort(o->order, o->n, sizeof *o->order, cmp_rows);
    cur_sort = NULL;
    o->loaded = 1;
    return 0;
}

static int sort_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_sort *o = (op_sort *)op;
    size_t w = x->width ? x->width : 1;
    if (!o->loaded && load(o, x, row))
        return -1;
    if (o->i >= o->n)
        return 0;
    memcpy(row, &o->rows[o->order[o->i++] * w], x->width * sizeof *row);
    return 1;
}

static void sort_close(tg_op *op)
{
    release((op_sort *)op);
}

static void sort_explain(const tg_op *op, tg_explain *e)
{
    const op_sort *o = (const op_sort *)op;
    tg_explain_detail(e, "ORDER BY ");
    for (size_t i = 0; i < o->nkeys; i++) {
        tg_explain_detail(e, "%s", i ? ", " : "");
        tg_explain_expr(e, o->keys[i]);
        if (o->desc[i])
            tg_explain_detail(e, " DESC");
    }
    if (o->limit)
        tg_explain_detail(e, " (keeps only the first rows it needs: top-k)");
}

static const tg_op_vt sort_vt = {"Sort", sort_open, sort_next, sort_close, sort_explain};

void tg_op_sort_set_limit(tg_op *sort, tg_expr *skip, tg_expr *limit)
{
    op_sort *o = (op_sort *)sort;
    o->skip = skip;
    o->limit = limit;
}

tg_op *tg_op_sort(tg_arena *a, tg_op *child, tg_expr **keys, const int *desc, size_t n)
{
    op_sort *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &sort_vt;
    o->base.child = child;
    o->keys = keys;
    o->desc = desc;
    o->nkeys = n;
    return &o->base;
}
