/* query.c — tg_query_run and the result table.
 *
 * One statement: parse (parser.h) into an arena, bind and plan (binder.h,
 * planner.h), then pull every row from the root operator and keep the
 * returned columns. The result owns the arena (constant strings of the
 * query) and the value memory (strings, lists, maps built while running);
 * graph values in it borrow the graph, which must outlive the result.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "binder.h"
#include "explain.h"
#include "ops.h"
#include "parser.h"
#include "planner.h"
#include "query.h"
#include "qtime.h"

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
    tg_error *warnings; /* malloc'd */
    size_t nwarnings;
};

static double now(void)
{
    return tg_i_monotonic();
}

void tg_result_free(tg_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->names && i < r->ncols; i++)
        free(r->names[i]);
    free(r->names);
    free(r->cells);
    free(r->warnings);
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

size_t tg_result_warning_count(const tg_result *r)
{
    return r->nwarnings;
}

const tg_error *tg_result_warning(const tg_result *r, size_t i)
{
    return i < r->nwarnings ? &r->warnings[i] : NULL;
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
/* ... and which one last received a run-time failure of a kind that is
 * usually found at compile time (MERGE's null property: a SemanticError at
 * run time). */
static _Thread_local const tg_error *runtime_err;
static _Thread_local tg_status runtime_status;

int tg_query_error_is_compile_time(const tg_error *err)
{
    if (!err)
        return 0;
    if (err == runtime_err && err->status == runtime_status)
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

/* A prepared statement: parsed, bound and planned, not run yet. It owns the
 * arena and value memory that its result takes over. */
struct tg_query {
    tg_graph *g;
    tg_result *res;     /* the result to be: arena, memory, column names */
    char *text0;        /* a NUL-terminated copy: the binder reads column texts */
    tg_plan plan;
    size_t width;       /* slots per row */
    double deadline;    /* CLOCK_MONOTONIC seconds, 0: none */
    double timeout;     /* the limit the deadline came from (for messages) */
    double started;
    uint64_t max_expansions;
    long line_offset;
    char file[256];
    tg_ast_mode mode;         /* EXPLAIN / PROFILE: the result is the plan */
    const tg_load_csv_hook *load_csv; /* how LOAD CSV opens files (borrowed) */
    char *now_text;           /* tg_query_options.now, copied; NULL: the system clock */
    const char **slot_names;  /* per slot, for the plan's details (in the arena) */
};

static const char *const plan_columns[] = {"operator", "details", "estimatedRows", "rows",
                                           "ms"};

/* Places err in the caller's file and lines (opts->line_offset). */
static tg_status locate(tg_status s, tg_error *err, long line_offset, const char *file)
{
    if (err->line > 0)
        err->line += line_offset;
    snprintf(err->file, sizeof err->file, "%s", file && *file ? file : "<query>");
    return s;
}

void tg_query_free(tg_query *q)
{
    if (!q)
        return;
    tg_result_free(q->res);
    free(q->text0);
    free(q->now_text);
    free(q);
}

tg_status tg_query_prepare(tg_graph *g, const char *text, size_t len, const tg_params *params,
                           const tg_query_options *opts, tg_query **out, tg_error *err)
{
    tg_query *q = NULL;
    tg_ast_statement *st = NULL;
    tg_binder b;
    tg_status s = TG_OK;
    tg_error local;
    int bound = 0;

    if (!err) {
        tg_error_clear(&local);
        err = &local;
    }
    *out = NULL;
    compile_err = NULL;
    runtime_err = NULL;
    q = calloc(1, sizeof *q);
    if (!q || !(q->res = calloc(1, sizeof *q->res)) || !(q->res->arena = tg_arena_new()) ||
        !(q->res->mem = tg_vmem_new()) || !(q->text0 = malloc(len + 1))) {
        s = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    q->g = g;
    q->res->g = g;
    q->started = now();
    q->timeout = opts && opts->timeout_seconds > 0 ? opts->timeout_seconds : 0;
    q->deadline = q->timeout > 0 ? q->started + q->timeout : 0;
    q->max_expansions = opts && opts->max_expansions ? opts->max_expansions
                                                     : TG_DEFAULT_MAX_EXPANSIONS;
    q->line_offset = opts ? opts->line_offset : 0;
    q->load_csv = opts ? opts->load_csv : NULL;
    if (opts && opts->now && !(q->now_text = strdup(opts->now))) {
        s = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    snprintf(q->file, sizeof q->file, "%s", opts && opts->file ? opts->file : "<query>");
    memcpy(q->text0, text, len);
    q->text0[len] = 0;
    s = tg_parse_statement_timed(q->text0, len, q->res->arena, q->deadline, q->timeout, &st,
                                 err);
    if (s != TG_OK) {
        compile_err = err; /* before anything ran, even a time limit */
        compile_status = s;
        goto done;
    }
    tg_binder_init(&b, q->res->arena, g, q->res->mem, q->text0, params, err);
    b.deadline = q->deadline;
    b.timeout = q->timeout;
    bound = 1;
    s = tg_plan_statement(&b, st, &q->plan);
    if (s != TG_OK) {
        compile_err = err;
        compile_status = s;
        goto done;
    }
    q->width = (size_t)b.nslots;
    q->mode = st->mode;
    /* the warnings go with the result, placed in the caller's lines */
    q->res->warnings = b.warnings;
    q->res->nwarnings = b.nwarnings;
    b.warnings = NULL;
    b.nwarnings = 0;
    for (size_t i = 0; i < q->res->nwarnings; i++)
        locate(TG_OK, &q->res->warnings[i], q->line_offset, q->file);
    q->slot_names = tg_arena_calloc(q->res->arena, q->width + 1, sizeof *q->slot_names);
    if (!q->slot_names) {
        s = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < q->width && i < b.cap_types; i++)
        q->slot_names[i] = b.slot_names[i];
    if (q->mode == TG_AST_RUN) {
        q->res->ncols = q->plan.ncols;
        q->res->names = calloc(q->plan.ncols + 1, sizeof *q->res->names);
    } else {
        q->res->ncols = q->mode == TG_AST_PROFILE ? 5 : 3;
        q->res->names = calloc(6, sizeof *q->res->names);
    }
    if (!q->res->names) {
        s = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < q->res->ncols; i++)
        if (!(q->res->names[i] = strdup(q->mode == TG_AST_RUN ? q->plan.names[i]
                                                               : plan_columns[i]))) {
            s = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
done:
    if (bound)
        tg_binder_destroy(&b);
    if (s != TG_OK) {
        if (q)
            locate(s, err, q->line_offset, q->file);
        tg_query_free(q);
        return s;
    }
    *out = q;
    return TG_OK;
}

/* One row of the EXPLAIN / PROFILE table into the result. */
static tg_status plan_row(void *ctx, const tg_explain_row *r, tg_error *err)
{
    tg_result *res = ctx;
    tg_value cells[5];
    int slots[5] = {0, 1, 2, 3, 4};
    cells[0] = tg_value_cstr(res->mem, r->op);
    cells[1] = tg_value_cstr(res->mem, r->detail);
    cells[2] = tg_value_int((int64_t)ceil(r->estimated)); /* a guess of a few rows is 1, not 0 */
    cells[3] = tg_value_int((int64_t)r->rows);
    cells[4] = tg_value_float((double)(int64_t)(r->ms * 1000.0 + 0.5) / 1000.0);
    if (cells[0].kind != TG_VAL_STRING || cells[1].kind != TG_VAL_STRING)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    return add_row(res, cells, slots, err);
}

tg_status tg_query_execute(tg_query *q, tg_result **out, tg_error *err)
{
    tg_exec x;
    tg_value *row = NULL;
    tg_status s = TG_OK;
    tg_error local;
    tg_result *res = q->res;
    double t1 = now();

    if (!err) {
        tg_error_clear(&local);
        err = &local;
    }
    *out = NULL;
    res->timing.parse_plan = t1 - q->started;
    memset(&x, 0, sizeof x);
    x.g = q->g;
    x.load_csv = q->load_csv;
    x.now_text = q->now_text;
    x.mem = res->mem;
    x.err = err;
    x.width = q->width;
    x.max_expansions = q->max_expansions;
    x.deadline = q->deadline;
    x.timeout = q->timeout;
    row = malloc((x.width ? x.width : 1) * sizeof *row);
    if (!row) {
        s = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    tg_row_clear(row, x.width);
    if (tg_exec_past_deadline(&x)) {
        s = err->status;
        goto done;
    }
    x.profile = q->mode == TG_AST_PROFILE;
    if (q->mode != TG_AST_EXPLAIN) {
        s = tg_op_open(q->plan.root, &x);
        while (s == TG_OK) {
            int r = tg_op_next(q->plan.root, &x, row);
            if (r == 0)
                break;
            if (r < 0) {
                s = err->status != TG_OK ? err->status : TG_ERUNTIME;
                break;
            }
            if (res->ncols && q->mode == TG_AST_RUN)
                s = add_row(res, row, q->plan.slots, err);
        }
    }
    if (s == TG_OK && q->mode != TG_AST_RUN)
        s = tg_i_explain(q->g, q->plan.root, q->slot_names, q->width,
                         q->mode == TG_AST_PROFILE, plan_row, res, err);
    if (s == TG_OK)
        tg_i_effects_finish(&x);
    res->effects = x.effects;
    res->timing.execute = now() - t1;
done:
    tg_op_close(q->plan.root);
    if (s != TG_OK && tg_i_effects_undo(&x) != 0) {
        size_t n = strlen(err->message);
        snprintf(err->message + n, sizeof err->message - n,
                 " (out of memory while undoing the statement: the graph is only partly "
                 "restored)");
    }
    tg_exec_destroy(&x);
    free(row);
    if (s != TG_OK) {
        runtime_err = err;
        runtime_status = s;
        /* an error in a data file LOAD CSV reads keeps that file's position */
        if (!(err->file[0] && (s == TG_EDATA || s == TG_ENOENT)))
            locate(s, err, q->line_offset, q->file);
        tg_query_free(q);
        return s;
    }
    q->res = NULL;
    tg_query_free(q);
    *out = res;
    return TG_OK;
}

tg_status tg_query_run(tg_graph *g, const char *text, size_t len, const tg_params *params,
                       const tg_query_options *opts, tg_result **out, tg_error *err)
{
    tg_query *q = NULL;
    tg_status s = tg_query_prepare(g, text, len, params, opts, &q, err);
    *out = NULL;
    if (s != TG_OK)
        return s;
    return tg_query_execute(q, out, err);
}
