/* tck_runner.c — tg-tck, the openCypher TCK runner.
 *
 *   tg-tck [-v] [-f SUBSTRING] [--list-failures FILE] [-t SECONDS]
 *          [--floor N | --floor-file FILE] [--write-floor FILE] [--slowest N]
 *          [--graphs DIR] [FEATURES_DIR]
 *
 * Reads every feature below FEATURES_DIR (default: $TG_TCK_DIR, else the
 * compile-time TG_TCK_DEFAULT_DIR), runs each case on a fresh graph and
 * prints passes by folder (the first two path components) with their share,
 * a total line and finally "N passed, N failed".
 *
 * Isolation: the parent forks one child per feature file; the child runs
 * that file's cases in order and reports each through a pipe (a "started"
 * record, then a "finished" record with the verdict and a message). A case
 * that crashes its child, or sends nothing for -t seconds (default 20; the
 * child is then killed), fails with "crashed"/"timed out", and a new child
 * resumes the file at the next case. The same limit is passed to the engine
 * as tg_query_options.timeout_seconds. Children leave with _exit, so
 * LeakSanitizer does not check them (the unit tests and tg-qtest do).
 *
 * Floors: --floor N is the fewest passing cases in all; --floor-file FILE
 * holds lines `FOLDER N` (the fewest passes of each folder) and `total N`
 * ('#' starts a comment; a file of one number is a total). --write-floor
 * FILE writes the current passes in that form, to raise the floors.
 *
 * Exit status: with a floor, 0 when every floor is met and 1 otherwise (so
 * the ctest test fails when passes drop in any folder); without a floor, 0
 * when every selected case passed. 2 when the features cannot be read (a
 * missing folder fails loudly) or on a usage error.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "graph.h"
#include "procedures.h"
#include "query.h"
#include "tck_check.h"
#include "tck_feature.h"
#include "tck_value.h"
#include "value.h"

#ifndef TG_TCK_DEFAULT_DIR
#define TG_TCK_DEFAULT_DIR "tests/tck/features"
#endif

/* ---- options --------------------------------------------------------------- */

typedef struct options {
    const char *dir;
    const char *graphs;
    const char *filter;
    const char *list_failures;
    double timeout;
    long floor; /* the total's floor, -1: none */
    /* per folder floors from --floor-file */
    char **floor_names;
    long *floor_counts;
    size_t nfloors;
    const char *write_floor;
    int verbose;
    int slowest; /* print the N slowest cases */
} options;

/* ---- expected errors -------------------------------------------------------- */

/* Whether the engine's status stands for the TCK's error type:
 * SyntaxError TG_ESYNTAX (the engine files every compile-time rejection the
 * TCK calls SyntaxError under it, semantic checks included; see
 * docs/query-engine.md); at runtime (a bad SKIP/LIMIT parameter) also
 * TG_EARG and TG_ETYPE. SemanticError, ParameterMissing, ProcedureError:
 * TG_ESEMANTIC. TypeError: TG_ETYPE. ArgumentError: TG_EARG. Others
 * (EntityNotFound, ...): TG_ERUNTIME. */
static int status_matches(const char *type, tck_phase phase, tg_status st)
{
    int runtime = phase != TCK_COMPILE_TIME;
    int ok;

    if (strcmp(type, "SyntaxError") == 0)
        ok = st == TG_ESYNTAX || (runtime && (st == TG_EARG || st == TG_ETYPE));
    else if (strcmp(type, "SemanticError") == 0 || strcmp(type, "ParameterMissing") == 0 ||
             strcmp(type, "ProcedureError") == 0)
        ok = st == TG_ESEMANTIC;
    else if (strcmp(type, "TypeError") == 0)
        ok = st == TG_ETYPE;
    else if (strcmp(type, "ArgumentError") == 0)
        ok = st == TG_EARG;
    else
        ok = st == TG_ERUNTIME;
    return ok;
}

/* ---- fixture procedures ------------------------------------------------------- */

/* A procedure of "there exists a procedure": its rows are a table whose
 * first n_inputs columns are matched against the arguments (null matches
 * null, numbers by value) and whose other columns are emitted. */
typedef struct fixture {
    char *name;
    tg_proc_col *inputs, *outputs;
    size_t n_inputs, n_outputs;
    char **colnames; /* owns the column names */
    size_t ncolnames;
    tg_vmem *mem;   /* the rows' strings, lists, maps */
    tg_value *rows; /* nrows * (n_inputs + n_outputs) */
    size_t nrows;
    int registered;
} fixture;

static void fixture_free(fixture *f)
{
    size_t k;

    if (!f)
        return;
    if (f->registered)
        tg_proc_unregister(f->name);
    for (k = 0; k < f->ncolnames; k++)
        free(f->colnames[k]);
    free(f->colnames);
    free(f->inputs);
    free(f->outputs);
    free(f->rows);
    tg_vmem_free(f->mem);
    free(f->name);
    free(f);
}

/* A deep copy of v into m (strings, lists and maps rebuilt); clears *ok
 * when out of memory. */
static tg_value copy_value(tg_vmem *m, const tg_value *v, int *ok)
{
    tg_value out = *v;
    tg_value *items = NULL;
    tg_vmap_entry *e = NULL;
    size_t k, n = v->len ? v->len : 1;

    if (v->kind == TG_VAL_STRING) {
        out = tg_value_str_copy(m, v->u.s, v->len);
    } else if (v->kind == TG_VAL_LIST && (items = tg_vmem_alloc(m, n * sizeof *items)) != NULL) {
        for (k = 0; k < v->len; k++)
            items[k] = copy_value(m, &v->u.items[k], ok);
        out = tg_value_list(m, items, v->len);
    } else if (v->kind == TG_VAL_MAP && (e = tg_vmem_alloc(m, n * sizeof *e)) != NULL) {
        for (k = 0; k < v->len; k++) {
            e[k] = v->u.map[k];
            e[k].value = copy_value(m, &v->u.map[k].value, ok);
        }
        out = tg_value_map(m, e, v->len);
    } else if (v->kind == TG_VAL_LIST || v->kind == TG_VAL_MAP) {
        *ok = 0;
    }
    if (out.kind != v->kind)
        *ok = 0;
    return out;
}

static tg_status fixture_call(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args, size_t nargs,
                              void *data, tg_error *err)
{
    const fixture *f = data;
    size_t width = f->n_inputs + f->n_outputs, r, k;
    tg_value *out = NULL;
    tg_status st = TG_OK;

    (void)g;
    out = malloc((f->n_outputs ? f->n_outputs : 1) * sizeof *out);
    if (!out) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (r = 0; r < f->nrows; r++) {
        const tg_value *row = f->rows + r * width;
        int match = 1, ok = 1;
        for (k = 0; k < f->n_inputs && k < nargs && match; k++) {
            const tg_value *a = &args[k], *b = &row[k];
            if (a->kind == TG_VAL_NULL || b->kind == TG_VAL_NULL)
                match = a->kind == b->kind;
            else
                match = tg_value_equals(a, b) == TG_TRI_TRUE;
        }
        if (!match)
            continue;
        for (k = 0; k < f->n_outputs; k++)
            out[k] = copy_value(tg_proc_mem(ctx), &row[f->n_inputs + k], &ok);
        if (!ok) {
            st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
        st = tg_proc_emit(ctx, out, err);
        if (st != TG_OK)
            goto done;
    }
done:
    free(out);
    return st;
}

/* The engine value of a parsed TCK cell (scalars, lists, maps), in m.
 * Returns 0 for nodes, relationships, paths, or when out of memory. */
static int to_engine_value(tg_vmem *m, const tck_value *v, tg_value *out)
{
    size_t k, n = v->n ? v->n : 1;
    tg_value *items = NULL;
    tg_vmap_entry *e = NULL;
    int ok = 1;

    *out = tg_value_null();
    switch (v->kind) {
    case TCK_NULL: break;
    case TCK_BOOL: *out = tg_value_bool(v->b); break;
    case TCK_INT: *out = tg_value_int(v->i); break;
    case TCK_FLOAT: *out = tg_value_float(v->f); break;
    case TCK_STRING:
        *out = tg_value_str_copy(m, v->str, v->len);
        ok = out->kind == TG_VAL_STRING;
        break;
    case TCK_LIST:
        items = tg_vmem_alloc(m, n * sizeof *items);
        ok = items != NULL;
        for (k = 0; k < v->n && ok; k++)
            ok = to_engine_value(m, v->items[k], &items[k]);
        if (ok)
            *out = tg_value_list(m, items, v->n);
        ok = ok && out->kind == TG_VAL_LIST;
        break;
    case TCK_MAP:
        e = tg_vmem_alloc(m, n * sizeof *e);
        ok = e != NULL;
        for (k = 0; k < v->n && ok; k++) {
            e[k].key = v->names[k];
            e[k].klen = (uint32_t)strlen(v->names[k]);
            ok = to_engine_value(m, v->items[k], &e[k].value);
        }
        if (ok)
            *out = tg_value_map(m, e, v->n);
        ok = ok && out->kind == TG_VAL_MAP;
        break;
    default: ok = 0;
    }
    return ok;
}

/* The declared type of a signature column ("INTEGER?"); ANY when unknown. */
static tg_proc_type proc_type(const char *t, size_t n)
{
    static const struct {
        const char *name;
        tg_proc_type type;
    } types[] = {
        {"STRING", TG_PROC_STRING}, {"INTEGER", TG_PROC_INT},  {"FLOAT", TG_PROC_FLOAT},
        {"NUMBER", TG_PROC_NUMBER}, {"BOOLEAN", TG_PROC_BOOL}, {"LIST", TG_PROC_LIST},
        {"MAP", TG_PROC_MAP},       {"NODE", TG_PROC_NODE},    {"RELATIONSHIP", TG_PROC_REL},
        {"PATH", TG_PROC_PATH},
    };
    tg_proc_type found = TG_PROC_ANY;
    size_t k;

    while (n > 0 && (t[n - 1] == '?' || t[n - 1] == ' '))
        n--;
    for (k = 0; k < sizeof types / sizeof types[0]; k++)
        if (strlen(types[k].name) == n && strncmp(types[k].name, t, n) == 0)
            found = types[k].type;
    return found;
}

/* Appends a column named name[0..n) of the given type to cols; the name
 * is owned by f. Returns 0 when out of memory. */
static int add_col(fixture *f, tg_proc_col **cols, size_t *ncols, const char *name, size_t n,
                   tg_proc_type type)
{
    tg_proc_col *nc = realloc(*cols, (*ncols + 1) * sizeof *nc);
    char **nn = nc ? realloc(f->colnames, (f->ncolnames + 1) * sizeof *nn) : NULL;
    char *copy = nn ? malloc(n + 1) : NULL;

    if (nc)
        *cols = nc;
    if (nn)
        f->colnames = nn;
    if (copy) {
        memcpy(copy, name, n);
        copy[n] = '\0';
        f->colnames[f->ncolnames++] = copy;
        (*cols)[*ncols].name = copy;
        (*cols)[*ncols].type = type;
        (*ncols)++;
    }
    return copy != NULL;
}

/* Parses "(a :: T?, b :: U?)" at *s into columns; advances *s past ')'.
 * Returns 0 on a malformed list or when out of memory. */
static int parse_cols(const char **s, fixture *f, tg_proc_col **cols, size_t *ncols)
{
    const char *p = *s;
    int ok = 1, closed = 0;

    while (*p == ' ')
        p++;
    if (*p++ != '(')
        ok = 0;
    while (ok && !closed) {
        const char *name, *colon, *end, *type;
        while (*p == ' ')
            p++;
        if (*p == ')') {
            p++;
            closed = 1;
            continue;
        }
        name = p;
        colon = strstr(p, "::");
        if (!colon) {
            ok = 0;
            continue;
        }
        for (end = colon; end > name && end[-1] == ' '; end--)
            ;
        for (type = colon + 2; *type == ' '; type++)
            ;
        for (p = type; *p && *p != ',' && *p != ')'; p++)
            ;
        ok = add_col(f, cols, ncols, name, (size_t)(end - name),
                     proc_type(type, (size_t)(p - type)));
        if (*p == ',')
            p++;
    }
    *s = p;
    return ok;
}

/* Builds and registers the fixture of a PROCEDURE step; NULL with the
 * reason in m when the signature or a cell cannot be used. */
static fixture *fixture_new(const tck_step *st, tck_msg *m)
{
    fixture *f = calloc(1, sizeof *f);
    const char *sig = st->arg, *paren = strchr(sig, '('), *p = paren;
    size_t width = 0, r, c;
    tg_proc_def def;
    tg_error err;
    int ok = 0;

    if (!f || !paren)
        goto done;
    f->name = malloc((size_t)(paren - sig) + 1);
    if (!f->name)
        goto done;
    memcpy(f->name, sig, (size_t)(paren - sig));
    f->name[paren - sig] = '\0';
    if (!parse_cols(&p, f, &f->inputs, &f->n_inputs))
        goto done;
    while (*p == ' ')
        p++;
    if (strncmp(p, "::", 2) != 0)
        goto done;
    p += 2;
    if (!parse_cols(&p, f, &f->outputs, &f->n_outputs))
        goto done;
    width = f->n_inputs + f->n_outputs;
    f->mem = tg_vmem_new();
    f->rows = calloc(st->table.nrows * (width ? width : 1) + 1, sizeof *f->rows);
    if (!f->mem || !f->rows)
        goto done;
    /* row 0 of the table names the columns */
    for (r = 1; r < st->table.nrows; r++, f->nrows++) {
        if (st->table.ncols[r] != width) {
            tck_msg_printf(m, "procedure table row %zu has %zu cells, the signature %zu\n", r,
                           st->table.ncols[r], width);
            goto done;
        }
        for (c = 0; c < width; c++) {
            tck_value *v = tck_value_parse(st->table.cells[r][c], NULL, 0);
            int good = v && to_engine_value(f->mem, v, &f->rows[(r - 1) * width + c]);
            tck_value_free(v);
            if (!good) {
                tck_msg_printf(m, "cannot use procedure table cell %s\n", st->table.cells[r][c]);
                goto done;
            }
        }
    }
    memset(&def, 0, sizeof def);
    def.name = f->name;
    def.inputs = f->inputs;
    def.n_inputs = f->n_inputs;
    def.n_required = f->n_inputs; /* the TCK's '?' means nullable, not optional */
    def.outputs = f->outputs;
    def.n_outputs = f->n_outputs;
    def.fn = fixture_call;
    def.data = f;
    tg_error_clear(&err);
    if (tg_proc_register(&def, &err) != TG_OK) {
        tck_msg_printf(m, "cannot register procedure %s: %s\n", f->name, err.message);
        goto done;
    }
    f->registered = 1;
    ok = 1;
done:
    if (!ok) {
        if (m->len == 0)
            tck_msg_printf(m, "cannot build the procedure fixture %s\n", sig);
        fixture_free(f);
        f = NULL;
    }
    return f;
}

/* ---- running a case ------------------------------------------------------------------ */

/* The note on a passing error case whose engine message does not start with
 * the TCK's detail code; counted in the report. */
#define DETAIL_NOTE "(detail differs)"

/* Whether the engine's message starts with the TCK's detail code, alone or
 * after the error type ("UndefinedVariable: ..." or "ParameterMissing:
 * MissingParameter: ..."); "*" matches any. */
static int detail_matches(const char *type, const char *detail, const char *message)
{
    size_t n = strlen(detail), t = strlen(type);

    if (strncmp(message, type, t) == 0 && message[t] == ':' && message[t + 1] == ' ')
        message += t + 2;
    return strcmp(detail, "*") == 0 || (strncmp(message, detail, n) == 0 && message[n] == ':');
}

/* What the steps of one case share. */
typedef struct case_state {
    const options *opt;
    tg_graph *g;
    tg_params *params;
    tg_query_options qo;
    fixture *fx[8]; /* procedure fixtures, unregistered when the case ends */
    size_t nfx;
    const char *query; /* the last query run (borrowed from the step) */
    int ran;           /* a query has run */
    tg_status qst;     /* its status */
    tg_error qerr;     /* its error */
    tg_result *res;    /* its result (NULL when it failed) */
} case_state;

static const char *phase_name(tck_phase phase)
{
    return phase == TCK_COMPILE_TIME ? "compile time"
           : phase == TCK_RUNTIME    ? "runtime"
                                     : "any time";
}

static int step_named_graph(case_state *cs, const tck_step *st, tck_msg *m)
{
    char path[2048];
    char *text;
    int ok;

    snprintf(path, sizeof path, "%s/%s/%s.cypher", cs->opt->graphs, st->arg, st->arg);
    text = tck_read_text(path);
    if (!text)
        tck_msg_printf(m, "cannot read the named graph %s\n", path);
    ok = text && tck_run_setup(cs->g, text, NULL, &cs->qo, m);
    free(text);
    return ok;
}

static int step_parameters(case_state *cs, const tck_step *st, tck_msg *m)
{
    size_t r;
    int ok = 1;

    for (r = 0; r < st->table.nrows && ok; r++) {
        tg_error err;
        tg_error_clear(&err);
        if (st->table.ncols[r] != 2) {
            tck_msg_printf(m, "line %d: a parameter row needs 2 cells\n", st->line);
            ok = 0;
        } else if (tg_params_set_literal(cs->params, st->table.cells[r][0], st->table.cells[r][1],
                                         &err) != TG_OK) {
            tck_msg_printf(m, "parameter %s = %s rejected: ", st->table.cells[r][0],
                           st->table.cells[r][1]);
            tck_describe_error(m, &err);
            tck_msg_puts(m, "\n");
            ok = 0;
        }
    }
    return ok;
}

static int step_error(case_state *cs, const tck_step *st, tck_msg *m)
{
    int compile = cs->qst != TG_OK && tg_query_error_is_compile_time(&cs->qerr);
    int ok = 0;

    if (cs->qst == TG_OK) {
        tck_msg_printf(m, "expected %s at %s (%s); the query succeeded with %zu rows\n", st->arg,
                       phase_name(st->phase), st->detail, tg_result_row_count(cs->res));
    } else if (!status_matches(st->arg, st->phase, cs->qst) ||
               (st->phase == TCK_COMPILE_TIME && !compile) ||
               (st->phase == TCK_RUNTIME && compile)) {
        tck_msg_printf(m, "expected %s at %s (%s), got ", st->arg, phase_name(st->phase),
                       st->detail);
        tck_describe_error(m, &cs->qerr);
        tck_msg_puts(m, "\n");
    } else {
        ok = 1;
        /* the detail code is not judged, but a different one is noted */
        if (!detail_matches(st->arg, st->detail, cs->qerr.message))
            tck_msg_printf(m, "%s expected %s %s; engine said: %s\n", DETAIL_NOTE, st->arg,
                           st->detail, cs->qerr.message);
        else if (cs->opt->verbose)
            tck_msg_printf(m, "(expected %s %s; engine said: %s)\n", st->arg, st->detail,
                           cs->qerr.message);
    }
    return ok;
}

/* The runner's own test of its isolation (ctest tck_isolation): a query
 * containing $TG_TCK_TEST_CRASH aborts the child, one containing
 * $TG_TCK_TEST_HANG blocks it until the parent kills it. Unset, nothing. */
static void test_isolation_hooks(const char *query)
{
    const char *crash = getenv("TG_TCK_TEST_CRASH");
    const char *hang = getenv("TG_TCK_TEST_HANG");

    if (crash && *crash && strstr(query, crash))
        abort();
    while (hang && *hang && strstr(query, hang))
        pause();
}

/* Runs one step; 0 with the reason in m when the case fails there. */
static int run_step(case_state *cs, const tck_step *st, tck_msg *m)
{
    int ok = 1;
    char *text = NULL;

    int checks = st->kind == TCK_STEP_RESULT || st->kind == TCK_STEP_RESULT_EMPTY ||
                 st->kind == TCK_STEP_ERROR || st->kind == TCK_STEP_NO_SIDE_EFFECTS ||
                 st->kind == TCK_STEP_SIDE_EFFECTS;
    int wants_rows = st->kind == TCK_STEP_RESULT || st->kind == TCK_STEP_RESULT_EMPTY;

    if (checks && !cs->ran) {
        tck_msg_printf(m, "line %d: a check before any query\n", st->line);
        ok = 0;
    } else if (wants_rows && cs->qst != TG_OK) {
        tck_msg_puts(m, "expected a result, the query failed: ");
        tck_describe_error(m, &cs->qerr);
        tck_msg_puts(m, "\n");
        ok = 0;
    }
    switch (ok ? (int)st->kind : -1) {
    case -1: break;
    case TCK_STEP_UNKNOWN:
        tck_msg_printf(m, "line %d: unsupported step: %s\n", st->line, st->text);
        ok = 0;
        break;
    case TCK_STEP_EMPTY_GRAPH: break;
    case TCK_STEP_NAMED_GRAPH: ok = step_named_graph(cs, st, m); break;
    case TCK_STEP_EXECUTED:
        text = strdup(st->doc);
        ok = text && tck_run_setup(cs->g, text, cs->params, &cs->qo, m);
        break;
    case TCK_STEP_PARAMETERS: ok = step_parameters(cs, st, m); break;
    case TCK_STEP_PROCEDURE:
        ok = cs->nfx < sizeof cs->fx / sizeof cs->fx[0];
        if (!ok)
            tck_msg_puts(m, "too many procedure fixtures in one case\n");
        else if ((cs->fx[cs->nfx] = fixture_new(st, m)) != NULL)
            cs->nfx++;
        else
            ok = 0;
        break;
    case TCK_STEP_QUERY:
        test_isolation_hooks(st->doc);
        tg_result_free(cs->res);
        cs->res = NULL;
        cs->query = st->doc;
        cs->ran = 1;
        tg_error_clear(&cs->qerr);
        cs->qst =
            tg_query_run(cs->g, st->doc, strlen(st->doc), cs->params, &cs->qo, &cs->res, &cs->qerr);
        if (cs->qst != TG_OK) {
            tg_result_free(cs->res);
            cs->res = NULL;
        }
        break;
    case TCK_STEP_RESULT:
        ok = tck_check_result(cs->res, &st->table, st->ordered, st->unordered_lists, m);
        break;
    case TCK_STEP_RESULT_EMPTY:
        ok = tg_result_row_count(cs->res) == 0;
        if (!ok)
            tck_msg_printf(m, "expected no rows, got %zu\n", tg_result_row_count(cs->res));
        break;
    case TCK_STEP_ERROR: ok = step_error(cs, st, m); break;
    case TCK_STEP_NO_SIDE_EFFECTS: ok = tck_check_effects(cs->res, NULL, m); break;
    case TCK_STEP_SIDE_EFFECTS: ok = tck_check_effects(cs->res, &st->table, m); break;
    }
    free(text);
    return ok;
}

/* Runs a case on a fresh graph with fresh parameters; 1 when it passed, else
 * 0 with the reason (and the query) in m. */
static int run_case(const options *opt, const tck_case *c, tck_msg *m)
{
    case_state cs;
    size_t k;
    int ok;

    memset(&cs, 0, sizeof cs);
    cs.opt = opt;
    cs.g = tg_graph_new();
    cs.params = tg_params_new();
    cs.qo.timeout_seconds = opt->timeout;
    tg_error_clear(&cs.qerr);
    ok = cs.g && cs.params;
    if (!ok)
        tck_msg_puts(m, "out of memory\n");
    for (k = 0; k < c->nsteps && ok; k++)
        ok = run_step(&cs, &c->steps[k], m);
    if (ok && !cs.ran) {
        tck_msg_puts(m, "the case runs no query\n");
        ok = 0;
    }
    if (!ok && cs.query) {
        tck_msg_puts(m, "  query:\n");
        tck_msg_indent(m, "    ", cs.query);
    }
    tg_result_free(cs.res);
    for (k = 0; k < cs.nfx; k++)
        fixture_free(cs.fx[k]);
    tg_params_free(cs.params);
    tg_graph_free(cs.g);
    return ok;
}

/* ---- the parent/child protocol -------------------------------------------------------- */

enum { REC_START = 1, REC_DONE = 2 };

typedef struct rec {
    int32_t kind;
    int32_t index;
    int32_t pass;
    uint32_t msglen;
    double seconds; /* REC_DONE: how long the case took */
} rec;

typedef enum verdict { V_NOT_RUN = 0, V_PASS, V_FAIL } verdict;

typedef struct outcome {
    verdict v;
    double seconds; /* wall-clock time of the case */
    char *msg;      /* owned; failure reason (or verbose notes) */
} outcome;

static int write_all(int fd, const void *data, size_t n)
{
    const char *p = data;
    int ok = 1;

    while (n > 0 && ok) {
        ssize_t w;
        errno = 0;
        w = write(fd, p, n);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
        } else if (errno != EINTR) {
            ok = 0;
        }
    }
    return ok;
}

/* Reads exactly n bytes, waiting at most timeout_ms for each chunk.
 * Returns 1, 0 at end of file (nothing read), -1 on timeout or error. */
static int read_all(int fd, void *data, size_t n, int timeout_ms)
{
    char *p = data;
    size_t got = 0;
    int result = 1;

    while (got < n && result == 1) {
        struct pollfd pfd;
        ssize_t r = -1;
        int pr;
        pfd.fd = fd;
        pfd.events = POLLIN;
        pfd.revents = 0;
        errno = 0;
        pr = poll(&pfd, 1, timeout_ms);
        if (pr > 0)
            r = read(fd, p + got, n - got);
        if (r > 0)
            got += (size_t)r;
        else if (pr > 0 && r == 0)
            result = got == 0 ? 0 : -1;
        else if (errno != EINTR)
            result = -1; /* a timeout (pr == 0) or an error */
    }
    return result;
}

/* Monotonic seconds. */
static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The child: runs cases [from, to) of the suite that are selected and
 * reports them on fd. Never returns. */
static void child_main(const options *opt, const tck_suite *s, const unsigned char *selected,
                       size_t from, size_t to, int fd)
{
    size_t k;

    signal(SIGPIPE, SIG_IGN);
    for (k = from; k < to; k++) {
        rec h;
        tck_msg m = {0};
        if (!selected[k])
            continue;
        memset(&h, 0, sizeof h);
        h.kind = REC_START;
        h.index = (int32_t)k;
        if (!write_all(fd, &h, sizeof h))
            break;
        h.kind = REC_DONE;
        h.seconds = now();
        h.pass = run_case(opt, &s->cases[k], &m);
        h.seconds = now() - h.seconds;
        h.msglen = (uint32_t)m.len;
        if (!write_all(fd, &h, sizeof h) || (m.len && !write_all(fd, m.s, m.len))) {
            free(m.s);
            break;
        }
        free(m.s);
    }
    close(fd);
    _exit(0);
}

static char *dup_cstr(const char *s)
{
    char *d = malloc(strlen(s) + 1);
    if (d)
        strcpy(d, s);
    return d;
}

/* Starts a child on the cases from *next to end and collects its records
 * into out. Afterwards *next is where to resume: past the last finished
 * case, or past the case that crashed or hung (which is marked failed).
 * Every call moves *next forward by at least one case. Returns 0 when no
 * child can be started. */
static int run_child(const options *opt, const tck_suite *s, const unsigned char *selected,
                     size_t *next, size_t end, outcome *out)
{
    int timeout_ms = (int)(opt->timeout * 1000) + 2000;
    int fds[2] = {-1, -1}, status = 0, killed = 0, progress = 0, ok = 0, r = 0;
    long current = -1;
    pid_t pid = -1;
    char why[128];
    rec h;

    if (pipe(fds) != 0)
        goto done;
    fflush(NULL);
    pid = fork();
    if (pid < 0)
        goto done;
    if (pid == 0) {
        close(fds[0]);
        child_main(opt, s, selected, *next, end, fds[1]);
    }
    close(fds[1]);
    fds[1] = -1;
    while (!killed && (r = read_all(fds[0], &h, sizeof h, timeout_ms)) == 1) {
        if (h.index < 0 || (size_t)h.index < *next || (size_t)h.index >= end) {
            killed = 1; /* a garbled stream: treat like a hang */
            continue;
        }
        progress = 1;
        if (h.kind == REC_START) {
            current = h.index;
            continue;
        }
        out[h.index].v = h.pass ? V_PASS : V_FAIL;
        out[h.index].seconds = h.seconds;
        if (h.msglen > 0) {
            out[h.index].msg = malloc((size_t)h.msglen + 1);
            killed =
                !out[h.index].msg || read_all(fds[0], out[h.index].msg, h.msglen, timeout_ms) != 1;
            if (!killed)
                out[h.index].msg[h.msglen] = '\0';
        }
        if (!killed) {
            current = -1;
            *next = (size_t)h.index + 1;
        }
    }
    killed = killed || r < 0;
    if (killed)
        kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (current < 0 && !progress)
        current = (long)*next; /* it died before starting a case: blame that case */
    if (current >= 0) {
        if (killed)
            snprintf(why, sizeof why, "timed out (no answer within %.0f s; killed)\n",
                     opt->timeout + 2);
        else if (WIFSIGNALED(status))
            snprintf(why, sizeof why, "crashed (signal %d: %s)\n", WTERMSIG(status),
                     strsignal(WTERMSIG(status)));
        else
            snprintf(why, sizeof why,
                     "the child exited with status %d during the case (under "
                     "AddressSanitizer a crash exits 1: see its report on stderr)\n",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        out[current].v = V_FAIL;
        free(out[current].msg);
        out[current].msg = dup_cstr(why);
        *next = (size_t)current + 1;
    }
    ok = 1;
done:
    if (fds[0] >= 0)
        close(fds[0]);
    if (fds[1] >= 0)
        close(fds[1]);
    return ok;
}

/* Runs the selected cases of one feature file, a child at a time. Returns 0
 * when a child cannot be started. */
static int run_file(const options *opt, const tck_suite *s, const tck_file *f,
                    const unsigned char *selected, outcome *out)
{
    size_t next = f->first_case, end = f->first_case + f->ncases;
    int ok = 1;

    for (;;) {
        while (next < end && !selected[next])
            next++;
        if (next == end || !ok)
            break;
        ok = run_child(opt, s, selected, &next, end, out);
    }
    return ok;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Prints "folder passed/total" for every folder with selected cases, in
 * alphabetical order. O(folders * cases). */
/* The floor of folder name, -1 when it has none. */
static long folder_floor(const options *opt, const char *name)
{
    for (size_t i = 0; i < opt->nfloors; i++)
        if (strcmp(opt->floor_names[i], name) == 0)
            return opt->floor_counts[i];
    return -1;
}

/* Prints passes by folder (and writes them to wf when not NULL); returns
 * the number of folders below their floor. */
static size_t print_folders(const options *opt, const tck_suite *s,
                            const unsigned char *selected, const outcome *out, FILE *wf)
{
    const char **folders = calloc(s->nfiles ? s->nfiles : 1, sizeof *folders);
    size_t n = 0, k, j, below = 0;

    for (k = 0; folders && k < s->nfiles; k++) {
        for (j = 0; j < n && strcmp(folders[j], s->files[k].folder) != 0; j++)
            ;
        if (j == n)
            folders[n++] = s->files[k].folder;
    }
    if (folders)
        qsort(folders, n, sizeof *folders, cmp_cstr);
    for (k = 0; k < n; k++) {
        size_t fp = 0, ft = 0;
        long fl = folder_floor(opt, folders[k]);
        for (j = 0; j < s->ncases; j++) {
            if (selected[j] && strcmp(s->cases[j].folder, folders[k]) == 0) {
                ft++;
                fp += out[j].v == V_PASS;
            }
        }
        if (ft == 0)
            continue;
        printf("%-36s %5zu/%-5zu %6.2f%%", folders[k], fp, ft, 100.0 * (double)fp / (double)ft);
        if (fl >= 0 && (long)fp < fl) {
            printf("  below its floor %ld", fl);
            below++;
        }
        printf("\n");
        if (wf)
            fprintf(wf, "%s %zu\n", folders[k], fp);
    }
    free(folders);
    return below;
}

/* Prints the n slowest selected cases, slowest first. O(n * cases). */
static void print_slowest(const tck_suite *s, const unsigned char *selected, const outcome *out,
                          int n)
{
    unsigned char *shown = calloc(s->ncases ? s->ncases : 1, 1);
    int i;
    size_t k;

    for (i = 0; shown && i < n; i++) {
        size_t best = s->ncases;
        for (k = 0; k < s->ncases; k++)
            if (selected[k] && !shown[k] &&
                (best == s->ncases || out[k].seconds > out[best].seconds))
                best = k;
        if (best == s->ncases)
            break;
        shown[best] = 1;
        printf("%8.3f s  %s:%d: %s\n", out[best].seconds, s->cases[best].path, s->cases[best].line,
               s->cases[best].name);
    }
    free(shown);
}

/* ---- main ---------------------------------------------------------------------------- */

static void usage(FILE *fp)
{
    fprintf(fp, "usage: tg-tck [-v] [-f SUBSTRING] [--list-failures FILE] [-t SECONDS]\n"
                "              [--floor N | --floor-file FILE] [--write-floor FILE]\n"
                "              [--slowest N] [--graphs DIR] [FEATURES_DIR]\n");
}

/* Reads a floor file: `FOLDER N` lines and `total N`, or one number (the
 * total). Returns 0 on success. */
static int read_floor(options *opt, const char *path)
{
    FILE *fp = fopen(path, "r");
    char line[512];
    int ok = fp != NULL;

    while (ok && fgets(line, sizeof line, fp)) {
        char name[400];
        long n;
        char **nn;
        long *nc;
        if (line[0] == '#' || strspn(line, " \t\r\n") == strlen(line))
            continue;
        if (sscanf(line, "%ld", &n) == 1) {
            opt->floor = n;
            continue;
        }
        if (sscanf(line, "%399s %ld", name, &n) != 2) {
            ok = 0;
            break;
        }
        if (strcmp(name, "total") == 0) {
            opt->floor = n;
            continue;
        }
        nn = realloc(opt->floor_names, (opt->nfloors + 1) * sizeof *nn);
        if (nn)
            opt->floor_names = nn;
        nc = nn ? realloc(opt->floor_counts, (opt->nfloors + 1) * sizeof *nc) : NULL;
        if (nc)
            opt->floor_counts = nc;
        if (!nn || !nc || !(opt->floor_names[opt->nfloors] = dup_cstr(name))) {
            ok = 0;
            break;
        }
        opt->floor_counts[opt->nfloors++] = n;
    }
    if (fp)
        fclose(fp);
    if (ok && opt->floor < 0)
        opt->floor = 0;
    return ok ? 0 : -1;
}

static int first_line_len(const char *s)
{
    const char *nl = strchr(s, '\n');
    return (int)(nl ? nl - s : (long)strlen(s));
}

int main(int argc, char **argv)
{
    options opt;
    tck_suite *s = NULL;
    unsigned char *selected = NULL;
    outcome *out = NULL;
    char err[1024], graphs[2048];
    const char *env = getenv("TG_TCK_DIR");
    size_t k, passed = 0, failed = 0, nsel = 0, other_detail = 0, below = 0;
    FILE *lf = NULL, *wf = NULL;
    int i, rc = 2;

    memset(&opt, 0, sizeof opt);
    opt.timeout = 20;
    opt.floor = -1;
    opt.dir = env && *env ? env : TG_TCK_DEFAULT_DIR;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-v") == 0) {
            opt.verbose = 1;
        } else if (strcmp(a, "-f") == 0 && i + 1 < argc) {
            opt.filter = argv[++i];
        } else if (strcmp(a, "--list-failures") == 0 && i + 1 < argc) {
            opt.list_failures = argv[++i];
        } else if (strcmp(a, "-t") == 0 && i + 1 < argc) {
            opt.timeout = atof(argv[++i]);
            if (opt.timeout <= 0) {
                usage(stderr);
                goto done;
            }
        } else if (strcmp(a, "--floor") == 0 && i + 1 < argc) {
            opt.floor = atol(argv[++i]);
        } else if (strcmp(a, "--floor-file") == 0 && i + 1 < argc) {
            if (read_floor(&opt, argv[++i]) != 0) {
                fprintf(stderr, "tg-tck: %s: cannot read floors (lines FOLDER N)\n", argv[i]);
                goto done;
            }
        } else if (strcmp(a, "--write-floor") == 0 && i + 1 < argc) {
            opt.write_floor = argv[++i];
        } else if (strcmp(a, "--slowest") == 0 && i + 1 < argc) {
            opt.slowest = atoi(argv[++i]);
        } else if (strcmp(a, "--graphs") == 0 && i + 1 < argc) {
            opt.graphs = argv[++i];
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            rc = 0;
            goto done;
        } else if (a[0] == '-') {
            usage(stderr);
            goto done;
        } else {
            opt.dir = a;
        }
    }
    if (!opt.graphs) {
        snprintf(graphs, sizeof graphs, "%s/../graphs", opt.dir);
        opt.graphs = graphs;
    }
    s = tck_suite_load(opt.dir, err, sizeof err);
    if (!s) {
        fprintf(stderr, "tg-tck: cannot read the TCK features: %s\n", err);
        fprintf(stderr, "tg-tck: give the folder as an argument or in TG_TCK_DIR\n");
        printf("0 passed, 0 failed\n");
        goto done;
    }
    selected = calloc(s->ncases ? s->ncases : 1, 1);
    out = calloc(s->ncases ? s->ncases : 1, sizeof *out);
    if (!selected || !out) {
        fprintf(stderr, "tg-tck: out of memory\n");
        goto done;
    }
    for (k = 0; k < s->ncases; k++) {
        const tck_case *c = &s->cases[k];
        selected[k] = !opt.filter || strstr(c->path, opt.filter) || strstr(c->name, opt.filter);
        nsel += selected[k];
    }
    for (k = 0; k < s->nfiles; k++) {
        if (!run_file(&opt, s, &s->files[k], selected, out)) {
            fprintf(stderr, "tg-tck: cannot start a child process: %s\n", strerror(errno));
            goto done;
        }
    }
    if (opt.list_failures) {
        lf = fopen(opt.list_failures, "w");
        if (!lf)
            fprintf(stderr, "tg-tck: %s: cannot write: %s\n", opt.list_failures, strerror(errno));
    }
    for (k = 0; k < s->ncases; k++) {
        const tck_case *c = &s->cases[k];
        if (!selected[k])
            continue;
        if (out[k].v == V_NOT_RUN) {
            out[k].v = V_FAIL;
            free(out[k].msg);
            out[k].msg = dup_cstr("not run (its child process stopped early)\n");
        }
        if (out[k].v == V_PASS)
            passed++;
        else
            failed++;
        if (out[k].v == V_PASS && out[k].msg &&
            strncmp(out[k].msg, DETAIL_NOTE, strlen(DETAIL_NOTE)) == 0)
            other_detail++;
        if (out[k].v == V_FAIL && lf)
            fprintf(lf, "%s:%d: %s: %.*s\n", c->path, c->line, c->name,
                    out[k].msg ? first_line_len(out[k].msg) : 0, out[k].msg ? out[k].msg : "");
        if (opt.verbose && (out[k].v == V_FAIL || out[k].msg))
            printf("%s %s:%d: %s — %s\n%s\n", out[k].v == V_FAIL ? "FAIL" : "ok  ", c->path,
                   c->line, c->feature, c->name, out[k].msg ? out[k].msg : "");
    }
    if (lf)
        fclose(lf);
    print_slowest(s, selected, out, opt.slowest);
    if (opt.write_floor && !(wf = fopen(opt.write_floor, "w")))
        fprintf(stderr, "tg-tck: %s: cannot write: %s\n", opt.write_floor, strerror(errno));
    if (wf)
        fprintf(wf, "# The fewest TCK cases that must pass, by folder (tg-tck --floor-file).\n"
                    "# Raise them as the engine passes more (tg-tck --write-floor); never "
                    "lower them.\n");
    below = print_folders(&opt, s, selected, out, wf);
    printf("%-36s %5zu/%-5zu %6.2f%%\n", "total", passed, nsel,
           nsel ? 100.0 * (double)passed / (double)nsel : 0.0);
    if (wf) {
        fprintf(wf, "total %zu\n", passed);
        fclose(wf);
    }
    if (other_detail > 0)
        printf("%zu passing error cases got another detail code than the TCK's (see -v)\n",
               other_detail);
    if (opt.floor >= 0)
        printf("floor %ld in all%s: %s\n", opt.floor, opt.nfloors ? " and by folder" : "",
               (long)passed >= opt.floor && below == 0 ? "met" : "NOT MET (passes dropped)");
    printf("%zu passed, %zu failed\n", passed, failed);
    rc = opt.floor >= 0 ? ((long)passed >= opt.floor && below == 0 ? 0 : 1)
                        : (failed == 0 ? 0 : 1);
done:
    if (out && s)
        for (k = 0; k < s->ncases; k++)
            free(out[k].msg);
    free(out);
    free(selected);
    tck_suite_free(s);
    for (k = 0; k < opt.nfloors; k++)
        free(opt.floor_names[k]);
    free(opt.floor_names);
    free(opt.floor_counts);
    return rc;
}
