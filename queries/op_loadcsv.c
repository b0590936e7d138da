/* op_loadcsv.c — LOAD CSV [WITH HEADERS] FROM url AS row [FIELDTERMINATOR c].
 *
 * For each input row the url expression is evaluated and the file opened
 * through the caller's hook (query.h: the query layer reads no file itself);
 * each record then gives one output row with `row` bound to a list of
 * strings or, WITH HEADERS, a map from the header's names. An empty unquoted
 * cell is null, "" the empty string (as tiegraph's CSV import reads them);
 * a record shorter than the header leaves the missing keys null, a longer
 * one is an error naming its line. Values are copied into x->mem, since the
 * hook's cells change with every record. The guards (--timeout, the
 * expansion cap) see every record.
 */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct op_loadcsv {
    tg_op base;
    tg_expr *url;
    int headers;
    char delim;
    int slot;
    tg_value *in;
    tg_csv_rows *rows; /* open file, NULL between input rows */
    void (*close_hook)(tg_csv_rows *rows);
    char **names;      /* header names (malloc'd) */
    size_t *namelen;
    size_t nnames;
    tg_value *items; /* scratch for one record */
    tg_vmap_entry *entries;
    size_t cap;
    long record; /* records read from the current file */
} op_loadcsv;

static void drop_file(op_loadcsv *o)
{
    size_t i;

    if (o->rows && o->close_hook)
        o->close_hook(o->rows);
    o->rows = NULL;
    for (i = 0; i < o->nnames; i++)
        free(o->names[i]);
    free(o->names);
    free(o->namelen);
    o->names = NULL;
    o->namelen = NULL;
    o->nnames = 0;
}

static tg_status loadcsv_open(tg_op *op, tg_exec *x)
{
    op_loadcsv *o = (op_loadcsv *)op;

    drop_file(o);
    if (!o->in) {
        o->in = malloc((x->width ? x->width : 1) * sizeof *o->in);
        if (!o->in)
            return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return tg_op_open(op->child, x);
}

static int grow(op_loadcsv *o, tg_exec *x, size_t n)
{
    if (n <= o->cap)
        return 0;
    {
        size_t cap = o->cap ? o->cap : 16;
        tg_value *ni;
        tg_vmap_entry *ne;
        while (cap < n)
            cap *= 2;
        ni = realloc(o->items, cap * sizeof *ni);
        if (ni)
            o->items = ni;
        ne = realloc(o->entries, cap * sizeof *ne);
        if (ne)
            o->entries = ne;
        if (!ni || !ne) {
            tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            return -1;
        }
        o->cap = cap;
    }
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const tg_vmap_entry *x = a, *y = b;
    size_t n = x->klen < y->klen ? x->klen : y->klen;
    int c = memcmp(x->key, y->key, n);
    return c ? c : (x->klen > y->klen) - (x->klen < y->klen);
}

/* Opens the file for the current input row; 1 opened, 0 skip (null url),
 * -1 error. With headers, reads the header record. */
static int open_file(op_loadcsv *o, tg_exec *x, tg_value *row)
{
    tg_value url;
    const tg_csv_cell *cells;
    size_t n, i;
    int r;

    if (tg_expr_eval(o->url, x, row, &url) != TG_OK)
        return -1;
    if (url.kind == TG_VAL_NULL)
        return 0;
    if (url.kind != TG_VAL_STRING) {
        tg_error_set(x->err, TG_ETYPE, NULL, 0, 0,
                     "LOAD CSV FROM expects a string such as 'file:///data/watchlist.csv', got %s",
                     tg_value_kind_name((tg_vkind)url.kind));
        return -1;
    }
    if (!x->load_csv) {
        tg_error_set(x->err, TG_ESEMANTIC, NULL, 0, 0,
                     "LOAD CSV cannot read files here (no file access was given to this query)");
        return -1;
    }
    o->close_hook = x->load_csv->close;
    o->rows = x->load_csv->open(x->load_csv->ctx, url.u.s, url.len, o->delim, x->err);
    if (!o->rows)
        return -1;
    o->record = 0;
    if (!o->headers)
        return 1;
    r = x->load_csv->next(o->rows, &cells, &n, x->err);
    if (r < 0)
        return -1;
    if (r == 0) {
        drop_file(o);
        return 0; /* an empty file has no records */
    }
    o->names = calloc(n + 1, sizeof *o->names);
    o->namelen = calloc(n + 1, sizeof *o->namelen);
    if (!o->names || !o->namelen)
        goto nomem;
    for (i = 0; i < n; i++) {
        o->names[i] = malloc(cells[i].len + 1);
        if (!o->names[i])
            goto nomem;
        memcpy(o->names[i], cells[i].p, cells[i].len);
        o->names[i][cells[i].len] = '\0';
        o->namelen[i] = cells[i].len;
        o->nnames = i + 1;
        for (size_t k = 0; k < i; k++)
            if (o->namelen[k] == cells[i].len && memcmp(o->names[k], cells[i].p, cells[i].len) == 0) {
                tg_error_set(x->err, TG_EDATA, NULL, 0, 0,
                             "LOAD CSV WITH HEADERS: the header names column \"%s\" twice; "
                             "expected distinct names",
                             o->names[i]);
                return -1;
            }
    }
    return 1;
nomem:
    tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    return -1;
}

/* The value of a cell: null for an empty unquoted cell. */
static tg_value cell_value(tg_exec *x, const tg_csv_cell *c)
{
    if (c->len == 0 && !c->quoted)
        return tg_value_null();
    return tg_value_str_copy(x->mem, c->p, c->len);
}

static int loadcsv_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_loadcsv *o = (op_loadcsv *)op;

    for (;;) {
        const tg_csv_cell *cells;
        size_t n, i;
        int r;
        if (!o->rows) {
            r = tg_op_next(op->child, x, row);
            if (r <= 0)
                return r;
            memcpy(o->in, row, x->width * sizeof *row);
            r = open_file(o, x, row);
            if (r < 0)
                return -1;
            if (r == 0)
                continue;
        }
        r = x->load_csv->next(o->rows, &cells, &n, x->err);
        if (r < 0)
            return -1;
        if (r == 0) {
            drop_file(o);
            continue;
        }
        if (tg_exec_tick(x, 0))
            return -1;
        o->record++;
        memcpy(row, o->in, x->width * sizeof *row);
        if (grow(o, x, n + o->nnames + 1) != 0)
            return -1;
        if (!o->headers) {
            for (i = 0; i < n; i++)
                o->items[i] = cell_value(x, &cells[i]);
            row[o->slot] = tg_value_list(x->mem, o->items, n);
        } else {
            if (n > o->nnames) {
                tg_error_set(x->err, TG_EDATA, NULL, 0, 0,
                             "LOAD CSV: record %ld has %zu fields; the header has %zu",
                             o->record + 1, n, o->nnames);
                return -1;
            }
            for (i = 0; i < o->nnames; i++) {
                o->entries[i].key = o->names[i];
                o->entries[i].klen = (uint32_t)o->namelen[i];
                o->entries[i].value = i < n ? cell_value(x, &cells[i]) : tg_value_null();
            }
            qsort(o->entries, o->nnames, sizeof *o->entries, cmp_entry);
            row[o->slot] = tg_value_map(x->mem, o->entries, o->nnames);
        }
        return 1;
    }
}

static void loadcsv_close(tg_op *op)
{
    op_loadcsv *o = (op_loadcsv *)op;

    /* a file still open (an error or LIMIT stopped the reading) */
    drop_file(o);
    free(o->in);
    free(o->items);
    free(o->entries);
    o->in = NULL;
    o->items = NULL;
    o->entries = NULL;
    o->cap = 0;
}

static void loadcsv_explain(const tg_op *op, tg_explain *e)
{
    const op_loadcsv *o = (const op_loadcsv *)op;
    tg_explain_detail(e, "%s", o->headers ? "WITH HEADERS FROM " : "FROM ");
    tg_explain_expr(e, o->url);
    tg_explain_detail(e, " AS %s", tg_explain_slot(e, o->slot));
    tg_explain_estimate(e, tg_explain_input(e) * 1000); /* a file's rows are not known */
}

static const tg_op_vt loadcsv_vt = {"LoadCSV", loadcsv_open, loadcsv_next, loadcsv_close,
                                    loadcsv_explain};

tg_op *tg_op_load_csv(tg_arena *a, tg_op *child, tg_expr *url, int headers, char delim,
                      int slot)
{
    op_loadcsv *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    memset(o, 0, sizeof *o);
    o->base.vt = &loadcsv_vt;
    o->base.child = child;
    o->url = url;
    o->headers = headers;
    o->delim = delim;
    o->slot = slot;
    return &o->base;
}
