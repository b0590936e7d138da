/* query.c — tg_query_run and the result table.
 *
 * One statement: parse (parser.h) into an arena, bind and plan (binder.h,
 * planner.h), then pull every row from the root operator and keep the
 * returned columns. The result owns the arena (constant strings of the
 * query) and the value memory (strings, lists, maps built while running);
 * graph values in it borrow the graph, which must outlive the result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "binder.h"
#include "parser.h"
#include "planner.h"
#include "query.h"

struct tg_result {
    const tg_graph *g;
    tg_arena *arena;
    tg_vmem *mem;
    char **names;
    size_t ncols;
    tg_value *cells;
    size_t nrows, cap;
    tg_query_effects effects;
    tg_query_timing timing;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void tg_result_free(tg_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ncols; i++)
        free(r->names[i]);
    free(r->names);
    free(r->cells);
    tg_vmem_free(r->mem);
    tg_arena_free(r->arena);
    free(r);
}

size_t tg_result_column_count(const tg_result *r)
{
    return r->ncols;
}

const char *tg_result_column_name(const tg_result *r, size_t col)
{
    return col < r->ncols ? r->names[col] : NULL;
}

size_t tg_result_row_count(const tg_result *r)
{
    return r->nrows;
}

const tg_query_effects *tg_result_effects(const tg_result *r)
{
    return &r->effects;
}

const tg_query_timing *tg_result_timing(const tg_result *r)
{
    return &r->timing;
}

const tg_value *tg_result_value(const tg_result *r, size_t row, size_t col)
{
    if (row >= r->nrows || col >= r->ncols)
        return NULL;
    return &r->cells[row * r->ncols + col];
}

const tg_graph *tg_result_graph(const tg_result *r)
{
    return r->g;
}

char *tg_result_cell_format(const tg_result *r, size_t row, size_t col, tg_cell_format fmt)
{
    tg_buf b;
    const tg_value *v = tg_result_value(r, row, col);
    tg_buf_init(&b);
    if (!v)
        tg_buf_puts(&b, "");
    else
        tg_value_format(r->g, v,
                        fmt == TG_CELL_TCK    ? TG_VFMT_TCK
                        : fmt == TG_CELL_JSON ? TG_VFMT_JSON
                                              : TG_VFMT_TEXT,
                        &b);
    return tg_buf_take(&b);
}

/* Which error record last received a compile-time failure of a kind that can
 * also happen at run time (a TypeError found by the binder). */
static _Thread_local const tg_error *compile_err;
static _Thread_local tg_status compile_status;

int tg_query_error_is_compile_time(const tg_error *err)
{
    if (!err)
        return 0;
    if (err->status == TG_ESYNTAX || err->status == TG_ESEMANTIC)
        return 1;
    return err == compile_err && err->status == compile_status;
}

static tg_status add_row(tg_result *res, const tg_value *row, const int *slots, tg_error *err)
{
    if (res->nrows == res->cap) {
        size_t nc = res->cap ? res->cap * 2 : 64;
        tg_value *n = realloc(res->cells, nc * (res->ncols ? res->ncols : 1) * sizeof *n);
        if (!n)
            return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        res->cells = n;
        res->cap = nc;
    }
    for (size_t c = 0; c < res->ncols; c++)
        res->cells[res->nrows * res->ncols + c] = row[slots[c]];
    res->nrows++;
    return TG_OK;
}

tg_status tg_query_run(tg_graph *g, const char *text, size_t len, const tg_params *params,
                       const tg_query_options *opts, tg_result **out, tg_error *err)
{
    tg_result *res = NULL;
    tg_ast_statement *st = NULL;
    tg_binder b;
    tg_plan plan;
    tg_exec x;
    tg_value *row = NULL;
    tg_status s = TG_OK;
    tg_error local;
    double t0 = now(), t1;
    int opened = 0, bound = 0;
    char *text0 = NULL;

    if (!err) {
        tg_error_clear(&local);
        err = &local;
    }
    *out = NULL;
    res = calloc(1, sizeof *res);
    if (!res || !(res->arena = tg_arena_new()) || !(res->mem = tg_vmem_new())) {
        s = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    res->g = g;
    /* a NUL-terminated copy: the binder reads column texts from it */
    text0 = malloc(len + 1);
    if (!text0) {
        s = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    memcpy(text0, text, len);
    text0[len] = 0;
    compile_err = NULL;
    s = tg_parse_statement(text0, len, res->arena, &st, err);
    if (s != TG_OK)
        goto done;
    tg_binder_init(&b, res->arena, g, res->mem, text0, params, err);
    bound = 1;
    s = tg_plan_statement(&b, st, &plan);
    if (s != TG_OK) {
        compile_err = err;
        compile_status = s;
        goto done;
    }
    res->ncols = plan.ncols;
    res->names = calloc(plan.ncols + 1, sizeof *res->names);
    if (!res->names) {
        s = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < plan.ncols; i++)
        if (!(res->names[i] = strdup(plan.names[i]))) {
            s = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
    memset(&x, 0, sizeof x);
    x.g = g;
    x.load_csv = opts ? opts->load_csv : NULL;
    x.now_text = opts ? opts->now : NULL;
    x.mem = res->mem;
    x.err = err;
    x.width = (size_t)b.nslots;
    x.max_expansions = opts && opts->max_expansions ? opts->max_expansions
                                                    : TG_DEFAULT_MAX_EXPANSIONS;
    t1 = now();
    res->timing.parse_plan = t1 - t0;
    x.deadline = opts && opts->timeout_seconds > 0 ? t1 + opts->timeout_seconds : 0;
    row = malloc((x.width ? x.width : 1) * sizeof *row);
    if (!row) {
        s = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    tg_row_clear(row, x.width);
    opened = 1;
    s = tg_op_open(plan.root, &x);
    while (s == TG_OK) {
        int r = tg_op_next(plan.root, &x, row);
        if (r == 0)
            break;
        if (r < 0) {
            s = err->status != TG_OK ? err->status : TG_ERUNTIME;
            break;
        }
        if (res->ncols)
            s = add_row(res, row, plan.slots, err);
    }
    res->effects = x.effects;
    res->timing.execute = now() - t1;
done:
    if (opened) {
        tg_op_close(plan.root);
        tg_exec_destroy(&x);
    }
    if (bound)
        tg_binder_destroy(&b);
    free(row);
    free(text0);
    if (s != TG_OK) {
        /* an error in a data file LOAD CSV reads keeps that file's position */
        if (!(err->file[0] && (s == TG_EDATA || s == TG_ENOENT))) {
            if (err->line > 0 && opts)
                err->line += opts->line_offset;
            snprintf(err->file, sizeof err->file, "%s",
                     opts && opts->file ? opts->file : "<query>");
        }
        tg_result_free(res);
        return s;
    }
    *out = res;
    return TG_OK;
}
