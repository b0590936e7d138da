/* explain.c — EXPLAIN and PROFILE: the operator tree as a table.
 *
 * The plan is a chain of operators from the root (the last to give rows) to
 * a leaf (Once or Argument), with branches: the sub-pipelines an operator
 * runs (Apply's subquery, a UNION's parts, MERGE's match, the subplans of
 * EXISTS / COUNT / pattern predicates inside an expression). Each operator's
 * explain hook (tg_op_vt.explain) writes its details in the query's own
 * variable names and estimates the rows it gives from its input's.
 *
 * Two passes per chain, neither recursive along the chain (a statement of
 * thousands of clauses is a long chain): the estimates from the leaf up,
 * each stored on its operator, then the rows of the table from the root down,
 * each operator's branches right below it, one level deeper. Estimates are
 * heuristics from the graph's counts (labels, relation types, degrees); the
 * ones PROFILE adds are measured: the rows each operator gave and the time
 * spent in its next(), inputs included.
 */
#include "explain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

typedef struct xrow {
    int depth;
    const char *name;
    char *detail;
    double est;
    uint64_t rows;
    double seconds;
} xrow;

struct tg_explain {
    tg_graph *g;
    const char *const *names; /* per slot, NULL: hidden */
    size_t nslots;
    int displaying;           /* 0: estimating, 1: writing rows */
    int depth;
    double in, out;
    tg_buf detail;
    xrow *rows;
    size_t n, cap;
    int failed;
};

const char *tg_explain_slot(tg_explain *e, int slot)
{
    /* a few buffers in turn: one detail line names several slots at once */
    static _Thread_local char bufs[4][32];
    static _Thread_local unsigned next;
    char *buf;
    if (slot >= 0 && (size_t)slot < e->nslots && e->names[slot])
        return e->names[slot];
    buf = bufs[next++ % 4];
    snprintf(buf, sizeof bufs[0], "anon_%d", slot);
    return buf;
}

void tg_explain_detail(tg_explain *e, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    if (!e->displaying)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    tg_buf_puts(&e->detail, buf);
}

double tg_explain_input(const tg_explain *e)
{
    return e->in;
}

void tg_explain_estimate(tg_explain *e, double rows)
{
    e->out = rows < 0 ? 0 : rows;
}

tg_graph *tg_explain_graph(const tg_explain *e)
{
    return e->g;
}

/* ---- expressions written back ------------------------------------------------ */

static const char *op_text(int op)
{
    switch (op) {
    case TG_AST_OP_OR: return " OR ";
    case TG_AST_OP_XOR: return " XOR ";
    case TG_AST_OP_AND: return " AND ";
    case TG_AST_OP_EQ: return " = ";
    case TG_AST_OP_NE: return " <> ";
    case TG_AST_OP_LT: return " < ";
    case TG_AST_OP_LE: return " <= ";
    case TG_AST_OP_GT: return " > ";
    case TG_AST_OP_GE: return " >= ";
    case TG_AST_OP_STARTS_WITH: return " STARTS WITH ";
    case TG_AST_OP_ENDS_WITH: return " ENDS WITH ";
    case TG_AST_OP_CONTAINS: return " CONTAINS ";
    case TG_AST_OP_REGEX: return " =~ ";
    case TG_AST_OP_IN: return " IN ";
    case TG_AST_OP_ADD: return " + ";
    case TG_AST_OP_SUB: return " - ";
    case TG_AST_OP_MUL: return " * ";
    case TG_AST_OP_DIV: return " / ";
    case TG_AST_OP_MOD: return " % ";
    case TG_AST_OP_POW: return " ^ ";
    case TG_AST_OP_CONCAT: return " || ";
    default: return " ? ";
    }
}

static void expr_list(tg_explain *e, tg_expr *const *xs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            tg_buf_puts(&e->detail, ", ");
        tg_explain_expr(e, xs[i]);
    }
}

void tg_explain_expr(tg_explain *e, const tg_expr *x)
{
    tg_buf *b = &e->detail;
    if (!e->displaying || !x)
        return;
    switch (x->kind) {
    case TG_E_CONST:
        if (x->val.kind == TG_VAL_LIST && x->val.len > 8)
            tg_buf_printf(b, "[... %u items]", x->val.len);
        else
            tg_value_format(e->g, &x->val, TG_VFMT_TCK, b);
        break;
    case TG_E_SLOT: tg_buf_puts(b, tg_explain_slot(e, x->slot)); break;
    case TG_E_PROP:
        tg_explain_expr(e, x->a);
        tg_buf_printf(b, ".%s", x->key);
        break;
    case TG_E_INDEX:
        tg_explain_expr(e, x->a);
        tg_buf_puts(b, "[");
        tg_explain_expr(e, x->b);
        tg_buf_puts(b, "]");
        break;
    case TG_E_UNARY:
        if (x->op == TG_AST_OP_IS_NULL || x->op == TG_AST_OP_IS_NOT_NULL) {
            tg_explain_expr(e, x->a);
            tg_buf_puts(b, x->op == TG_AST_OP_IS_NULL ? " IS NULL" : " IS NOT NULL");
        } else {
            tg_buf_puts(b, x->op == TG_AST_OP_NOT ? "NOT " : x->op == TG_AST_OP_NEG ? "-" : "+");
            tg_explain_expr(e, x->a);
        }
        break;
    case TG_E_BINARY:
        tg_buf_puts(b, "(");
        tg_explain_expr(e, x->a);
        tg_buf_puts(b, op_text(x->op));
        tg_explain_expr(e, x->b);
        tg_buf_puts(b, ")");
        break;
    case TG_E_LABELS:
        tg_explain_expr(e, x->a);
        if (x->op == 1)
            tg_buf_puts(b, ":%");
        for (size_t i = 0; i < x->nnames; i++)
            tg_buf_printf(b, ":%s", x->names[i]);
        break;
    case TG_E_CALL:
        tg_buf_printf(b, "%s(", x->fn->name);
        expr_list(e, x->args, x->nargs);
        tg_buf_puts(b, ")");
        break;
    case TG_E_LIST:
        tg_buf_puts(b, "[");
        if (x->nargs > 8)
            tg_buf_printf(b, "... %zu items", x->nargs);
        else
            expr_list(e, x->args, x->nargs);
        tg_buf_puts(b, "]");
        break;
    case TG_E_MAP:
        tg_buf_puts(b, "{");
        for (size_t i = 0; i < x->nargs; i++) {
            tg_buf_printf(b, "%s%s: ", i ? ", " : "", x->names[i]);
            tg_explain_expr(e, x->args[i]);
        }
        tg_buf_puts(b, "}");
        break;
    case TG_E_QUANT: {
        static const char *const q[] = {"all", "any", "none", "single"};
        tg_buf_printf(b, "%s(%s IN ", q[x->op & 3], tg_explain_slot(e, x->slot));
        tg_explain_expr(e, x->a);
        tg_buf_puts(b, " WHERE ");
        tg_explain_expr(e, x->b);
        tg_buf_puts(b, ")");
        break;
    }
    case TG_E_EXISTS: tg_buf_puts(b, "EXISTS { ... }"); break;
    case TG_E_COUNT: tg_buf_puts(b, "COUNT { ... }"); break;
    case TG_E_PATCOMP: tg_buf_puts(b, "[pattern | ...]"); break;
    case TG_E_CASE: tg_buf_puts(b, "CASE ... END"); break;
    case TG_E_LISTCOMP: tg_buf_puts(b, "[x IN ... | ...]"); break;
    case TG_E_REDUCE: tg_buf_puts(b, "reduce(...)"); break;
    case TG_E_SLICE: tg_buf_puts(b, "...[..]"); break;
    case TG_E_PATH: tg_buf_puts(b, "path"); break;
    case TG_E_MAPPROJ:
        tg_explain_expr(e, x->a);
        tg_buf_puts(b, " {...}");
        break;
    }
}

double tg_explain_hop(tg_explain *e, int from, int rel, int to, tg_dir dir, tg_names types,
                      tg_names to_labels, const char *hops)
{
    tg_graph *g = tg_explain_graph(e);
    double n = (double)tg_graph_entity_count(g), m = 0;
    tg_explain_detail(e, "(%s)%s[%s", tg_explain_slot(e, from), dir == TG_DIR_IN ? "<-" : "-",
                      rel >= 0 ? tg_explain_slot(e, rel) : "");
    for (size_t i = 0; i < types.n; i++) {
        tg_sym t = tg_graph_sym(g, types.names[i], strlen(types.names[i]));
        const tg_rel *arr;
        tg_explain_detail(e, "%s%s", i ? "|" : ":", types.names[i]);
        if (t)
            m += (double)tg_graph_type_relations(g, t, &arr);
    }
    if (!types.n)
        m = (double)tg_graph_relation_count(g);
    tg_explain_detail(e, "%s]%s(%s", hops ? hops : "", dir == TG_DIR_OUT ? "->" : "-",
                      tg_explain_slot(e, to));
    for (size_t i = 0; i < to_labels.n; i++)
        tg_explain_detail(e, ":%s", to_labels.names[i]);
    tg_explain_detail(e, ")%s", types.n ? ", reading only the runs of these types" : "");
    return n > 0 ? m / n * (dir == TG_DIR_BOTH ? 2 : 1) : 0;
}

double tg_explain_selectivity(tg_explain *e, const tg_expr *pred)
{
    tg_graph *g = tg_explain_graph(e);
    double n = (double)tg_graph_entity_count(g);
    if (pred->kind == TG_E_BINARY && pred->op == TG_AST_OP_AND)
        return tg_explain_selectivity(e, pred->a) * tg_explain_selectivity(e, pred->b);
    if (pred->kind == TG_E_LABELS && pred->nnames > 0 && n > 0) {
        double sel = 1;
        for (size_t i = 0; i < pred->nnames; i++) {
            tg_sym s = tg_graph_sym(g, pred->names[i], pred->nlens[i]);
            const tg_ent *arr;
            sel *= s ? (double)tg_graph_label_entities(g, s, &arr) / n : 0;
        }
        return sel;
    }
    if (pred->kind == TG_E_BINARY && pred->op == TG_AST_OP_EQ)
        return 0.1;
    return 0.5;
}

/* ---- the walk ------------------------------------------------------------------- */

static double estimate_chain(tg_explain *e, const tg_op *root);
static void display_chain(tg_explain *e, const tg_op *root, int depth);

/* The ops of the chain from root to leaf, in *out (malloc'd). */
static size_t chain(const tg_op *root, const tg_op ***out)
{
    size_t n = 0, cap = 16;
    const tg_op **ops = malloc(cap * sizeof *ops);
    for (const tg_op *op = root; ops && op; op = op->child) {
        if (n == cap) {
            const tg_op **no = realloc(ops, (cap *= 2) * sizeof *no);
            if (!no) {
                free(ops);
                ops = NULL;
                break;
            }
            ops = no;
        }
        ops[n++] = op;
    }
    *out = ops;
    return ops ? n : 0;
}

double tg_explain_branch(tg_explain *e, const tg_op *sub)
{
    double saved_in = e->in, saved_out = e->out, est;
    if (!sub)
        return 0;
    if (!e->displaying) {
        est = estimate_chain(e, sub);
    } else {
        /* the caller's details are written when it returns: keep them */
        tg_buf mine = e->detail;
        int depth = e->depth;
        tg_buf_init(&e->detail);
        display_chain(e, sub, depth + 1);
        tg_buf_destroy(&e->detail);
        e->detail = mine;
        e->depth = depth;
        est = sub->est;
    }
    e->in = saved_in;
    e->out = saved_out;
    return est;
}

static double estimate_chain(tg_explain *e, const tg_op *root)
{
    const tg_op **ops;
    size_t n = chain(root, &ops);
    double in = 1;
    if (!n)
        e->failed = 1;
    for (size_t i = n; i > 0; i--) {
        tg_op *op = (tg_op *)ops[i - 1]; /* the estimate is a field of the plan */
        e->in = e->out = in;
        if (op->vt->explain)
            op->vt->explain(op, e);
        op->est = e->out;
        in = e->out;
    }
    free(ops);
    return in; /* the root's estimate */
}

static int add_row(tg_explain *e, const tg_op *op, int depth)
{
    if (e->n == e->cap) {
        size_t nc = e->cap ? e->cap * 2 : 32;
        xrow *nr = realloc(e->rows, nc * sizeof *nr);
        if (!nr)
            return -1;
        e->rows = nr;
        e->cap = nc;
    }
    memset(&e->rows[e->n], 0, sizeof e->rows[e->n]);
    e->rows[e->n].depth = depth;
    e->rows[e->n].name = op->vt->name;
    e->rows[e->n].est = op->est;
    e->rows[e->n].rows = op->rows;
    e->rows[e->n].seconds = op->seconds;
    e->n++;
    return 0;
}

static void display_chain(tg_explain *e, const tg_op *root, int depth)
{
    const tg_op **ops;
    size_t n = chain(root, &ops);
    if (!n)
        e->failed = 1;
    for (size_t i = 0; i < n && !e->failed; i++) {
        const tg_op *op = ops[i];
        size_t at = e->n;
        if (add_row(e, op, depth)) {
            e->failed = 1;
            break;
        }
        e->depth = depth;
        e->in = op->child ? op->child->est : 1;
        e->out = op->est;
        tg_buf_init(&e->detail);
        if (op->vt->explain)
            op->vt->explain(op, e);
        e->rows[at].detail = tg_buf_take(&e->detail);
        if (!e->rows[at].detail)
            e->failed = 1;
    }
    free(ops);
}

void tg_explain_branches_of(tg_explain *e, const tg_expr *x)
{
    if (!x)
        return;
    if ((x->kind == TG_E_EXISTS || x->kind == TG_E_COUNT || x->kind == TG_E_PATCOMP) && x->plan) {
        tg_explain_branch(e, x->plan);
        return;
    }
    tg_explain_branches_of(e, x->a);
    tg_explain_branches_of(e, x->b);
    tg_explain_branches_of(e, x->c);
    for (size_t i = 0; i < x->nargs; i++)
        tg_explain_branches_of(e, x->args[i]);
}

tg_status tg_i_explain(tg_graph *g, const tg_op *root, const char *const *names, size_t nslots,
                       int profiled, tg_explain_row_fn emit, void *ctx, tg_error *err)
{
    tg_explain e;
    tg_status st = TG_OK;
    memset(&e, 0, sizeof e);
    e.g = g;
    e.names = names;
    e.nslots = nslots;
    tg_buf_init(&e.detail);
    estimate_chain(&e, root);
    e.displaying = 1;
    display_chain(&e, root, 0);
    tg_buf_destroy(&e.detail);
    if (e.failed)
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < e.n; i++) {
        if (st == TG_OK) {
            tg_explain_row r;
            char op[256];
            int k = 0;
            for (int d = 0; d < e.rows[i].depth && k < 200; d++)
                k += snprintf(op + k, sizeof op - (size_t)k, "| ");
            snprintf(op + k, sizeof op - (size_t)k, "+%s", e.rows[i].name);
            r.op = op;
            r.detail = e.rows[i].detail ? e.rows[i].detail : "";
            r.estimated = e.rows[i].est;
            r.rows = e.rows[i].rows;
            r.ms = e.rows[i].seconds * 1000.0;
            r.profiled = profiled;
            st = emit(ctx, &r, err);
        }
        free(e.rows[i].detail);
    }
    free(e.rows);
    return st;
}
