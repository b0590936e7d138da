/* binder.c — scopes, slots and the binding of expressions.
 *
 * Invariants: a slot, once given, belongs to one variable for the whole
 * statement (WITH gives its aliases new slots, so a row can still hold the
 * values of the previous scope, which ORDER BY may read); the scope array
 * only holds visible names, the most recent declaration last.
 */
#include "binder.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "planner.h"
#include "qtime.h"
#include "stack.h"
#include "unicode.h"

void tg_binder_init(tg_binder *b, tg_arena *a, tg_graph *g, tg_vmem *mem, const char *text,
                    const tg_params *params, tg_error *err)
{
    memset(b, 0, sizeof *b);
    b->arena = a;
    b->g = g;
    b->mem = mem;
    b->text = text;
    b->params = params;
    b->err = err;
}

void tg_binder_destroy(tg_binder *b)
{
    free(b->scope);
    free(b->aggs);
    free(b->slot_types);
    free(b->slot_kinds);
    free(b->slot_names);
    free(b->warnings);
    b->warnings = NULL;
    b->nwarnings = 0;
    b->slot_types = NULL;
    b->slot_kinds = NULL;
    b->slot_names = NULL;
    b->scope = NULL;
    b->aggs = NULL;
}

tg_status tg_bind_error(tg_binder *b, tg_status st, const tg_ast_pos *pos, const char *fmt, ...)
{
    char msg[TG_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (b->err && b->err->status != TG_OK)
        return b->err->status; /* keep the first error */
    tg_error_set(b->err, st, NULL, pos ? pos->line : 0, pos ? pos->column : 0, "%s", msg);
    return st;
}

void tg_bind_warn(tg_binder *b, const tg_ast_pos *pos, const char *fmt, ...)
{
    char msg[TG_ERROR_MSG_MAX];
    va_list ap;
    tg_error *w;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < b->nwarnings; i++)
        if (strcmp(b->warnings[i].message, msg) == 0)
            return; /* once per name */
    w = realloc(b->warnings, (b->nwarnings + 1) * sizeof *w);
    if (!w)
        return; /* a warning is not worth failing for */
    b->warnings = w;
    w = &b->warnings[b->nwarnings++];
    tg_error_clear(w);
    w->line = pos ? pos->line : 0;
    w->column = pos ? pos->column : 0;
    snprintf(w->message, sizeof w->message, "%s", msg);
}

/* The names of the graph's labels, relation types or property keys (both
 * sides, id included), for "did you mean" (malloc'd array; names borrowed). */
static const char **graph_names(tg_binder *b, int what, size_t *n)
{
    const tg_sym *a = NULL, *c = NULL;
    size_t na = 0, nc = 0, k = 0;
    const char **out;
    if (what == 0)
        na = tg_graph_all_labels(b->g, &a);
    else if (what == 1)
        na = tg_graph_all_types(b->g, &a);
    else {
        na = tg_graph_prop_keys(b->g, TG_ENTITY, &a);
        nc = tg_graph_prop_keys(b->g, TG_RELATION, &c);
    }
    out = malloc((na + nc + 2) * sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < na; i++)
        out[k++] = tg_graph_str(b->g, a[i], NULL);
    for (size_t i = 0; i < nc; i++)
        out[k++] = tg_graph_str(b->g, c[i], NULL);
    if (what == 2)
        out[k++] = "id";
    *n = k;
    return out;
}

void tg_bind_check_name(tg_binder *b, int what, const char *name, const tg_ast_pos *pos)
{
    static const char *const kinds[] = {"label", "relationship type", "property key"};
    size_t n = 0;
    const char **names;
    const char *near;
    int known = 0;
    if (!b->g || !name)
        return;
    names = graph_names(b, what, &n);
    if (!names || n == 0) {
        free(names); /* an empty graph: every name is new, nothing to warn about */
        return;
    }
    for (size_t i = 0; i < n && !known; i++)
        known = strcmp(names[i], name) == 0;
    if (!known) {
        char quoted[128], hint[160];
        near = tg_catalog_nearest(name, names, n);
        if (near)
            snprintf(quoted, sizeof quoted, "'%s'", near);
        tg_bind_warn(b, pos, "the %s '%s' is not in the graph%s", kinds[what], name,
                     tg_catalog_hint(near ? quoted : NULL, hint, sizeof hint));
    }
    free(names);
}

int tg_bind_new_slot(tg_binder *b)
{
    return b->nslots++;
}

tg_var *tg_bind_lookup(tg_binder *b, const char *name)
{
    for (size_t i = b->nscope; i > 0; i--)
        if (b->scope[i - 1].name && strcmp(b->scope[i - 1].name, name) == 0)
            return &b->scope[i - 1];
    return NULL;
}

tg_status tg_bind_declare_slot(tg_binder *b, const char *name, int slot, tg_vartype type)
{
    if (b->nscope == b->capscope) {
        size_t nc = b->capscope ? b->capscope * 2 : 16;
        tg_var *ns = realloc(b->scope, nc * sizeof *ns);
        if (!ns)
            return tg_bind_error(b, TG_ENOMEM, NULL, "out of memory");
        b->scope = ns;
        b->capscope = nc;
    }
    if ((size_t)slot >= b->cap_types) {
        size_t nc = b->cap_types ? b->cap_types * 2 : 64;
        tg_vartype *nt;
        while (nc <= (size_t)slot)
            nc *= 2;
        signed char *nk;
        nt = realloc(b->slot_types, nc * sizeof *nt);
        if (!nt)
            return tg_bind_error(b, TG_ENOMEM, NULL, "out of memory");
        memset(nt + b->cap_types, 0, (nc - b->cap_types) * sizeof *nt);
        b->slot_types = nt;
        nk = realloc(b->slot_kinds, nc * sizeof *nk);
        if (!nk)
            return tg_bind_error(b, TG_ENOMEM, NULL, "out of memory");
        memset(nk + b->cap_types, -1, (nc - b->cap_types) * sizeof *nk);
        b->slot_kinds = nk;
        {
            const char **nn = realloc(b->slot_names, nc * sizeof *nn);
            if (!nn)
                return tg_bind_error(b, TG_ENOMEM, NULL, "out of memory");
            memset(nn + b->cap_types, 0, (nc - b->cap_types) * sizeof *nn);
            b->slot_names = nn;
        }
        b->cap_types = nc;
    }
    b->slot_types[slot] = type;
    if (name && !b->slot_names[slot])
        b->slot_names[slot] = name;
    b->scope[b->nscope].name = name;
    b->scope[b->nscope].slot = slot;
    b->scope[b->nscope].type = type;
    b->nscope++;
    return TG_OK;
}

int tg_bind_declare(tg_binder *b, const char *name, tg_vartype type)
{
    int slot = tg_bind_new_slot(b);
    if (tg_bind_declare_slot(b, name, slot, type) != TG_OK)
        return -1;
    return slot;
}

static tg_expr *new_expr(tg_binder *b, tg_ekind kind, const tg_ast_pos *pos)
{
    tg_expr *e = tg_arena_alloc(b->arena, sizeof *e);
    if (!e) {
        tg_bind_error(b, TG_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    e->kind = kind;
    if (pos)
        e->pos = *pos;
    e->slot = e->slot2 = -1;
    return e;
}

tg_expr *tg_bind_const(tg_binder *b, tg_value v, const tg_ast_pos *pos)
{
    tg_expr *e = new_expr(b, TG_E_CONST, pos);
    if (e)
        e->val = v;
    return e;
}

tg_expr *tg_bind_slot(tg_binder *b, int slot, const tg_ast_pos *pos)
{
    tg_expr *e = new_expr(b, TG_E_SLOT, pos);
    if (e)
        e->slot = slot;
    return e;
}

tg_expr *tg_bind_binary(tg_binder *b, int op, tg_expr *l, tg_expr *r, const tg_ast_pos *pos)
{
    tg_expr *e = new_expr(b, TG_E_BINARY, pos);
    if (e) {
        e->op = op;
        e->a = l;
        e->b = r;
    }
    return e;
}

void tg_bind_set_slot_kind(tg_binder *b, int slot, int kind)
{
    if (slot >= 0 && (size_t)slot < b->cap_types)
        b->slot_kinds[slot] = (signed char)kind;
}

int tg_bind_text_is(const tg_binder *b, const tg_ast_expr *e, const char *text)
{
    size_t len = e->end > e->pos.offset ? e->end - e->pos.offset : 0;
    const char *s;
    if (!b->text || !text)
        return 0;
    s = b->text + e->pos.offset;
    while (len && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
                   s[len - 1] == '\r'))
        len--;
    return strlen(text) == len && memcmp(s, text, len) == 0;
}

int tg_bind_static_kind(const tg_binder *b, const tg_expr *e)
{
    switch (e->kind) {
    case TG_E_CONST: return e->val.kind;
    case TG_E_LIST:
    case TG_E_LISTCOMP:
    case TG_E_PATCOMP: return TG_VAL_LIST;
    case TG_E_MAP:
    case TG_E_MAPPROJ: return TG_VAL_MAP;
    case TG_E_PATH: return TG_VAL_PATH;
    case TG_E_LABELS:
    case TG_E_QUANT:
    case TG_E_EXISTS: return TG_VAL_BOOL;
    case TG_E_COUNT: return TG_VAL_INT;
    case TG_E_UNARY:
        return e->op == TG_AST_OP_NEG || e->op == TG_AST_OP_PLUS ? -1 : TG_VAL_BOOL;
    case TG_E_BINARY:
        switch (e->op) {
        case TG_AST_OP_ADD:
        case TG_AST_OP_SUB:
        case TG_AST_OP_MUL:
        case TG_AST_OP_DIV:
        case TG_AST_OP_MOD:
        case TG_AST_OP_POW: {
            /* numbers make a number: 1 + 1 is known to be an integer */
            int ka = tg_bind_static_kind(b, e->a), kb = tg_bind_static_kind(b, e->b);
            if ((ka != TG_VAL_INT && ka != TG_VAL_FLOAT) || (kb != TG_VAL_INT && kb != TG_VAL_FLOAT))
                return -1;
            return ka == TG_VAL_INT && kb == TG_VAL_INT && e->op != TG_AST_OP_POW ? TG_VAL_INT
                                                                                  : TG_VAL_FLOAT;
        }
        case TG_AST_OP_CONCAT: return -1;
        default: return TG_VAL_BOOL;
        }
    case TG_E_SLOT:
        if (e->slot >= 0 && (size_t)e->slot < b->cap_types && b->slot_kinds[e->slot] >= 0)
            return b->slot_kinds[e->slot];
        if (e->slot >= 0 && (size_t)e->slot < b->cap_types)
            switch (b->slot_types[e->slot]) {
            case TG_VT_NODE: return TG_VAL_NODE;
            case TG_VT_REL: return TG_VAL_REL;
            case TG_VT_RELLIST: return TG_VAL_LIST;
            case TG_VT_PATH: return TG_VAL_PATH;
            default: return -1;
            }
        return -1;
    default: return -1;
    }
}

/* Fails when e is statically of a kind other than want (or null). */
static int check_kind(tg_binder *b, const tg_expr *e, int want, const char *what)
{
    int k = tg_bind_static_kind(b, e);
    if (k < 0 || k == want || k == TG_VAL_NULL)
        return 0;
    tg_bind_error(b, TG_ESYNTAX, &e->pos, "InvalidArgumentType: %s expects a %s, got a %s",
                  what, tg_value_kind_name((tg_vkind)want), tg_value_kind_name((tg_vkind)k));
    return -1;
}

/* Whether arithmetic op may apply to l and r as far as their static kinds
 * tell (unknown kinds always may): numbers with numbers; + also joins
 * strings (with strings or numbers) and lists (with anything); temporal
 * kinds are left to run time. */
static int arith_ok(const tg_binder *b, int op, const tg_expr *l, const tg_expr *r)
{
    int kl = tg_bind_static_kind(b, l), kr = tg_bind_static_kind(b, r);
    int k[2] = {kl, kr};
    if (kl < 0 || kr < 0 || kl == TG_VAL_NULL || kr == TG_VAL_NULL)
        return 1;
    if (op == TG_AST_OP_ADD) {
        if (kl == TG_VAL_LIST || kr == TG_VAL_LIST)
            return 1;
        if ((kl == TG_VAL_STRING || kr == TG_VAL_STRING) &&
            (kl == TG_VAL_STRING || kl == TG_VAL_INT || kl == TG_VAL_FLOAT) &&
            (kr == TG_VAL_STRING || kr == TG_VAL_INT || kr == TG_VAL_FLOAT))
            return 1;
    }
    for (int i = 0; i < 2; i++)
        if (k[i] == TG_VAL_BOOL || k[i] == TG_VAL_STRING || k[i] == TG_VAL_LIST ||
            k[i] == TG_VAL_MAP || k[i] == TG_VAL_NODE || k[i] == TG_VAL_REL ||
            k[i] == TG_VAL_PATH)
            return 0;
    return 1;
}

/* The kind every element of a list expression has (constant or literal
 * list), -1 when mixed or unknown. */
static int element_kind(const tg_binder *b, const tg_expr *list)
{
    int k = -1;
    if (list->kind == TG_E_CONST && list->val.kind == TG_VAL_LIST) {
        for (uint32_t i = 0; i < list->val.len; i++) {
            int ki = list->val.u.items[i].kind;
            if (ki == TG_VAL_NULL || (k >= 0 && ki != k))
                return -1;
            k = ki;
        }
        return k;
    }
    if (list->kind == TG_E_LIST) {
        for (size_t i = 0; i < list->nargs; i++) {
            int ki = tg_bind_static_kind(b, list->args[i]);
            if (ki < 0 || ki == TG_VAL_NULL || (k >= 0 && ki != k))
                return -1;
            k = ki;
        }
        return k;
    }
    return -1;
}

static tg_expr **bind_list(tg_binder *b, tg_ast_expr **items, size_t n)
{
    tg_expr **out = tg_arena_calloc(b->arena, n ? n : 1, sizeof *out);
    if (!out) {
        tg_bind_error(b, TG_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (!(out[i] = tg_bind_expr(b, items[i])))
            return NULL;
    return out;
}

static int set_names(tg_binder *b, tg_expr *e, const char *const *names, size_t n)
{
    e->names = tg_arena_calloc(b->arena, n ? n : 1, sizeof *e->names);
    e->nlens = tg_arena_calloc(b->arena, n ? n : 1, sizeof *e->nlens);
    if (!e->names || !e->nlens)
        return -1;
    for (size_t i = 0; i < n; i++) {
        e->names[i] = names[i];
        e->nlens[i] = strlen(names[i]);
    }
    e->nnames = n;
    return 0;
}

/* Binds a comprehension-like construct: var is visible only inside. */
static int push_local(tg_binder *b, const char *name, tg_vartype type)
{
    return tg_bind_declare(b, name, type);
}

static void pop_local(tg_binder *b, size_t mark)
{
    b->nscope = mark;
}

static int uses_rand(const tg_expr *e)
{
    if (!e)
        return 0;
    if (e->kind == TG_E_CALL && strcmp(e->fn->name, "rand") == 0)
        return 1;
    if (uses_rand(e->a) || uses_rand(e->b) || uses_rand(e->c))
        return 1;
    for (size_t i = 0; i < e->nargs; i++)
        if (uses_rand(e->args[i]))
            return 1;
    return 0;
}

static tg_expr *bind_call(tg_binder *b, const tg_ast_expr *a)
{
    const tg_func *f = tg_func_find(a->u.call.name);
    tg_expr *e;
    size_t n = a->u.call.n_args;
    if (!f) {
        char hint[128];
        tg_bind_error(b, TG_ESYNTAX, &a->pos, "UnknownFunction: unknown function '%s'%s",
                      a->u.call.name,
                      tg_catalog_hint(tg_catalog_nearest_function(a->u.call.name), hint,
                                      sizeof hint));
        return NULL;
    }
    if (a->u.call.star && strcasecmp(f->name, "count") != 0) {
        tg_bind_error(b, TG_ESYNTAX, &a->pos, "UnexpectedSyntax: only count accepts *");
        return NULL;
    }
    if (!a->u.call.star && ((int)n < f->min_args || (int)n > f->max_args ||
                            (f->agg && strcasecmp(f->name, "count") == 0 && n != 1))) {
        tg_bind_error(b, TG_ESYNTAX, &a->pos,
                      "InvalidNumberOfArguments: %s() takes %d to %d arguments, got %zu",
                      a->u.call.name, f->min_args, f->max_args, n);
        return NULL;
    }
    if (f->agg) {
        tg_agg_spec *s;
        int slot;
        if (!b->agg_allowed) {
            tg_bind_error(b, TG_ESYNTAX, &a->pos,
                          "InvalidAggregation: aggregate %s() is not allowed here",
                          a->u.call.name);
            return NULL;
        }
        if (b->in_agg) {
            tg_bind_error(b, TG_ESYNTAX, &a->pos,
                          "NestedAggregation: aggregate %s() inside another aggregate",
                          a->u.call.name);
            return NULL;
        }
        b->in_agg = 1;
        tg_expr **args = bind_list(b, a->u.call.args, n);
        b->in_agg = 0;
        if (!args)
            return NULL;
        for (size_t i = 0; i < n; i++)
            if (uses_rand(args[i])) {
                tg_bind_error(b, TG_ESYNTAX, &a->pos,
                              "NonConstantExpression: rand() inside an aggregate");
                return NULL;
            }
        if (b->naggs == b->capaggs) {
            size_t nc = b->capaggs ? b->capaggs * 2 : 8;
            tg_agg_spec *na = realloc(b->aggs, nc * sizeof *na);
            if (!na) {
                tg_bind_error(b, TG_ENOMEM, NULL, "out of memory");
                return NULL;
            }
            b->aggs = na;
            b->capaggs = nc;
        }
        slot = tg_bind_new_slot(b);
        s = &b->aggs[b->naggs++];
        s->fn = f;
        s->distinct = a->u.call.distinct;
        s->args = args;
        s->nargs = a->u.call.star ? 0 : n;
        s->slot = slot;
        return tg_bind_slot(b, slot, &a->pos);
    }
    if (strcmp(f->name, "exists") == 0 && n == 1 && a->u.call.args[0]->kind == TG_AST_PATTERN)
        /* exists((a)-->(b)) is the pattern predicate itself: true when the
           pattern has a match (a pattern's value is never null) */
        return tg_bind_expr(b, a->u.call.args[0]);

    e = new_expr(b, TG_E_CALL, &a->pos);
    if (!e)
        return NULL;
    e->fn = f;
    e->nargs = n;
    if (strcmp(f->name, "normalize") == 0 && n == 2 &&
        a->u.call.args[1]->kind == TG_AST_VAR &&
        !tg_bind_lookup(b, a->u.call.args[1]->u.var) &&
        tg_i_unicode_form(a->u.call.args[1]->u.var, strlen(a->u.call.args[1]->u.var)) >= 0) {
        /* normalize(s, NFKC): the form is a bare word, as in Neo4j */
        const char *form = a->u.call.args[1]->u.var;
        e->args = tg_arena_calloc(b->arena, 2, sizeof *e->args);
        if (!e->args || !(e->args[0] = tg_bind_expr(b, a->u.call.args[0])) ||
            !(e->args[1] = tg_bind_const(b, tg_value_str_ref(form, strlen(form)),
                                         &a->u.call.args[1]->pos)))
            return NULL;
        return e;
    }
    e->args = bind_list(b, a->u.call.args, n);
    if (e->args && n == 1) {
        int k = tg_bind_static_kind(b, e->args[0]);
        const char *fn = f->name;
        int bad = 0;
        if (k >= 0 && k != TG_VAL_NULL) {
            if (strcmp(fn, "labels") == 0)
                bad = k != TG_VAL_NODE;
            else if (strcmp(fn, "type") == 0)
                bad = k != TG_VAL_REL;
            else if (strcmp(fn, "properties") == 0 || strcmp(fn, "keys") == 0)
                bad = k != TG_VAL_NODE && k != TG_VAL_REL && k != TG_VAL_MAP;
            else if (strcmp(fn, "nodes") == 0 || strcmp(fn, "relationships") == 0)
                bad = k != TG_VAL_PATH;
            else if (strcmp(fn, "startnode") == 0 || strcmp(fn, "endnode") == 0)
                bad = k != TG_VAL_REL;
            else if (strcmp(fn, "size") == 0)
                bad = k != TG_VAL_LIST && k != TG_VAL_STRING;
            else if (strcmp(fn, "length") == 0)
                bad = k != TG_VAL_PATH && k != TG_VAL_LIST && k != TG_VAL_STRING;
        }
        if (bad) {
            tg_bind_error(b, TG_ESYNTAX, &a->pos, "InvalidArgumentType: %s() cannot take a %s",
                          a->u.call.name, tg_value_kind_name((tg_vkind)k));
            return NULL;
        }
    }
    return e->args ? e : NULL;
}

static tg_expr *bind_expr(tg_binder *b, const tg_ast_expr *a);

tg_expr *tg_bind_expr(tg_binder *b, const tg_ast_expr *a)
{
    tg_expr *e = NULL;
    /* The binder, the planner's walks over bound trees and the evaluator
       all recurse along the tree, so its depth is bounded here once. */
    if (b->depth >= TG_QUERY_MAX_DEPTH || tg_stack_low()) {
        tg_bind_error(b, TG_ESYNTAX, &a->pos,
                      "expression nested too deeply: more than %d levels%s (each operator "
                      "of a chain such as 1 + 1 + ... is one level; AND, OR and XOR chains "
                      "are not limited)",
                      b->depth >= TG_QUERY_MAX_DEPTH ? TG_QUERY_MAX_DEPTH : b->depth,
                      b->depth >= TG_QUERY_MAX_DEPTH ? "" : ", all this thread's stack holds");
        return NULL;
    }
    if (tg_bind_past_deadline(b))
        return NULL;
    b->depth++;
    e = bind_expr(b, a);
    b->depth--;
    return e;
}

int tg_bind_past_deadline(tg_binder *b)
{
    if (b->deadline > 0 && (++b->ticks & 1023u) == 0 && tg_i_monotonic() > b->deadline) {
        tg_bind_error(b, TG_ERUNTIME, NULL, TG_TIMEOUT_FMT, b->timeout, "planning");
        return 1;
    }
    return b->err && b->err->status == TG_ERUNTIME;
}

static tg_expr *bind_expr(tg_binder *b, const tg_ast_expr *a)
{
    tg_expr *e = NULL;
    tg_var *v;
    size_t mark;
    int saved_agg;
    for (size_t i = 0; i < b->nmatch; i++)
        if (a->kind != TG_AST_VAR && tg_bind_text_is(b, a, b->match_texts[i]))
            return tg_bind_slot(b, b->match_slots[i], &a->pos);
    switch (a->kind) {
    case TG_AST_NULL: return tg_bind_const(b, tg_value_null(), &a->pos);
    case TG_AST_BOOL: return tg_bind_const(b, tg_value_bool(a->u.boolean), &a->pos);
    case TG_AST_INT: return tg_bind_const(b, tg_value_int(a->u.integer), &a->pos);
    case TG_AST_FLOAT: return tg_bind_const(b, tg_value_float(a->u.real), &a->pos);
    case TG_AST_STRING:
        return tg_bind_const(b, tg_value_str_ref(a->u.string.s, a->u.string.len), &a->pos);
    case TG_AST_PARAM: {
        const tg_value *p = tg_i_params_get(b->params, a->u.param);
        if (!p) {
            tg_bind_error(b, TG_ESEMANTIC, &a->pos,
                          "ParameterMissing: MissingParameter: no value for parameter $%s",
                          a->u.param);
            return NULL;
        }
        return tg_bind_const(b, tg_value_deep_copy(b->mem, p), &a->pos);
    }
    case TG_AST_VAR:
        v = tg_bind_lookup(b, a->u.var);
        if (!v) {
            tg_bind_error(b, TG_ESYNTAX, &a->pos,
                          "UndefinedVariable: variable '%s' is not defined", a->u.var);
            return NULL;
        }
        return tg_bind_slot(b, v->slot, &a->pos);
    case TG_AST_PROPERTY:
        if (!(e = new_expr(b, TG_E_PROP, &a->pos)))
            return NULL;
        e->key = a->u.property.key;
        e->klen = strlen(e->key);
        e->a = tg_bind_expr(b, a->u.property.base);
        if (e->a) {
            int k = tg_bind_static_kind(b, e->a);
            if (k == TG_VAL_NODE || k == TG_VAL_REL)
                tg_bind_check_name(b, 2, e->key, &a->pos);
            if (k == TG_VAL_PATH || k == TG_VAL_LIST || k == TG_VAL_BOOL || k == TG_VAL_INT ||
                k == TG_VAL_FLOAT || k == TG_VAL_STRING) {
                tg_bind_error(b, k == TG_VAL_PATH ? TG_ESYNTAX : TG_ETYPE, &a->pos,
                              "InvalidArgumentType: property access on a %s",
                              tg_value_kind_name((tg_vkind)k));
                return NULL;
            }
        }
        return e->a ? e : NULL;
    case TG_AST_INDEX:
        if (!(e = new_expr(b, TG_E_INDEX, &a->pos)))
            return NULL;
        e->a = tg_bind_expr(b, a->u.index.base);
        e->b = e->a ? tg_bind_expr(b, a->u.index.index) : NULL;
        return e->b ? e : NULL;
    case TG_AST_SLICE:
        if (!(e = new_expr(b, TG_E_SLICE, &a->pos)))
            return NULL;
        if (!(e->a = tg_bind_expr(b, a->u.slice.base)))
            return NULL;
        if (a->u.slice.from && !(e->b = tg_bind_expr(b, a->u.slice.from)))
            return NULL;
        if (a->u.slice.to && !(e->c = tg_bind_expr(b, a->u.slice.to)))
            return NULL;
        return e;
    case TG_AST_UNARY:
        if (!(e = new_expr(b, TG_E_UNARY, &a->pos)))
            return NULL;
        e->op = a->u.unary.op;
        e->a = tg_bind_expr(b, a->u.unary.arg);
        if (e->a && e->op == TG_AST_OP_NOT && check_kind(b, e->a, TG_VAL_BOOL, "NOT"))
            return NULL;
        return e->a ? e : NULL;
    case TG_AST_BINARY: {
        tg_expr *l = tg_bind_expr(b, a->u.binary.lhs);
        tg_expr *r = l ? tg_bind_expr(b, a->u.binary.rhs) : NULL;
        int op = a->u.binary.op;
        if (!r)
            return NULL;
        if ((op == TG_AST_OP_AND || op == TG_AST_OP_OR || op == TG_AST_OP_XOR) &&
            (check_kind(b, l, TG_VAL_BOOL, "a boolean operator") ||
             check_kind(b, r, TG_VAL_BOOL, "a boolean operator")))
            return NULL;
        if (op == TG_AST_OP_IN && check_kind(b, r, TG_VAL_LIST, "IN"))
            return NULL;
        if (op >= TG_AST_OP_ADD && op <= TG_AST_OP_POW && !arith_ok(b, op, l, r)) {
            tg_bind_error(b, TG_ESYNTAX, &a->pos,
                          "InvalidArgumentType: cannot apply an arithmetic operator to a %s "
                          "and a %s",
                          tg_value_kind_name((tg_vkind)tg_bind_static_kind(b, l)),
                          tg_value_kind_name((tg_vkind)tg_bind_static_kind(b, r)));
            return NULL;
        }
        return tg_bind_binary(b, op, l, r, &a->pos);
    }
    case TG_AST_HAS_LABELS:
        if (a->u.has_labels.expr) {
            tg_expr *base = tg_bind_expr(b, a->u.has_labels.base);
            b->checking_names = 1;
            e = base ? tg_bind_label_expr(b, base, a->u.has_labels.expr) : NULL;
            b->checking_names = 0;
            return e;
        }
        if (!(e = new_expr(b, TG_E_LABELS, &a->pos)))
            return NULL;
        if (set_names(b, e, a->u.has_labels.labels, a->u.has_labels.n_labels))
            return NULL;
        for (size_t i = 0; i < a->u.has_labels.n_labels; i++)
            tg_bind_check_name(b, 0, a->u.has_labels.labels[i], &a->pos);
        e->a = tg_bind_expr(b, a->u.has_labels.base);
        return e->a ? e : NULL;
    case TG_AST_CALL: return bind_call(b, a);
    case TG_AST_CASE: {
        size_t n = a->u.case_.n_whens;
        if (!(e = new_expr(b, TG_E_CASE, &a->pos)))
            return NULL;
        if (a->u.case_.subject && !(e->a = tg_bind_expr(b, a->u.case_.subject)))
            return NULL;
        e->args = tg_arena_calloc(b->arena, 2 * n + 1, sizeof *e->args);
        if (!e->args)
            return NULL;
        e->nargs = 2 * n;
        for (size_t i = 0; i < n; i++) {
            if (!(e->args[2 * i] = tg_bind_expr(b, a->u.case_.whens[i])))
                return NULL;
            if (!(e->args[2 * i + 1] = tg_bind_expr(b, a->u.case_.thens[i])))
                return NULL;
        }
        if (a->u.case_.else_ && !(e->c = tg_bind_expr(b, a->u.case_.else_)))
            return NULL;
        return e;
    }
    case TG_AST_LIST:
        if (!(e = new_expr(b, TG_E_LIST, &a->pos)))
            return NULL;
        e->nargs = a->u.list.n_items;
        e->args = bind_list(b, a->u.list.items, e->nargs);
        return e->args ? e : NULL;
    case TG_AST_MAP:
        if (!(e = new_expr(b, TG_E_MAP, &a->pos)))
            return NULL;
        e->nargs = a->u.map.n_entries;
        if (set_names(b, e, a->u.map.keys, e->nargs))
            return NULL;
        e->args = bind_list(b, a->u.map.values, e->nargs);
        return e->args ? e : NULL;
    case TG_AST_LIST_COMPREHENSION:
    case TG_AST_QUANTIFIER:
        if (!(e = new_expr(b, a->kind == TG_AST_QUANTIFIER ? TG_E_QUANT : TG_E_LISTCOMP,
                           &a->pos)))
            return NULL;
        e->op = a->u.comprehension.quantifier;
        if (!(e->a = tg_bind_expr(b, a->u.comprehension.list)))
            return NULL;
        mark = b->nscope;
        e->slot = push_local(b, a->u.comprehension.var, TG_VT_ANY);
        /* x IN ['a', 'b'] is a string: a type error in the predicate is
           found now */
        tg_bind_set_slot_kind(b, e->slot, element_kind(b, e->a));
        saved_agg = b->agg_allowed;
        b->agg_allowed = 0;
        if (a->u.comprehension.where && !(e->b = tg_bind_expr(b, a->u.comprehension.where)))
            return NULL;
        if (a->u.comprehension.projection &&
            !(e->c = tg_bind_expr(b, a->u.comprehension.projection)))
            return NULL;
        b->agg_allowed = saved_agg;
        if (a->kind == TG_AST_QUANTIFIER && !e->b)
            e->b = tg_bind_const(b, tg_value_bool(1), &a->pos);
        pop_local(b, mark);
        return e;
    case TG_AST_REDUCE:
        if (!(e = new_expr(b, TG_E_REDUCE, &a->pos)))
            return NULL;
        if (!(e->a = tg_bind_expr(b, a->u.reduce.list)))
            return NULL;
        if (!(e->b = tg_bind_expr(b, a->u.reduce.init)))
            return NULL;
        mark = b->nscope;
        e->slot2 = push_local(b, a->u.reduce.acc, TG_VT_ANY);
        e->slot = push_local(b, a->u.reduce.var, TG_VT_ANY);
        e->c = tg_bind_expr(b, a->u.reduce.expr);
        pop_local(b, mark);
        return e->c ? e : NULL;
    case TG_AST_PATTERN:
    case TG_AST_PATTERN_COMPREHENSION:
        if (!(e = new_expr(b, a->kind == TG_AST_PATTERN ? TG_E_EXISTS : TG_E_PATCOMP,
                           &a->pos)))
            return NULL;
        if (tg_i_plan_pattern_expr(b, a, e) != TG_OK)
            return NULL;
        return e;
    case TG_AST_MAP_PROJECTION: {
        size_t n = a->u.map_projection.n_items;
        if (!(e = new_expr(b, TG_E_MAPPROJ, &a->pos)))
            return NULL;
        if (!(e->a = tg_bind_expr(b, a->u.map_projection.base)))
            return NULL;
        e->nargs = n;
        e->args = tg_arena_calloc(b->arena, n ? n : 1, sizeof *e->args);
        e->flags = tg_arena_calloc(b->arena, n ? n : 1, sizeof *e->flags);
        e->names = tg_arena_calloc(b->arena, n ? n : 1, sizeof *e->names);
        e->nlens = tg_arena_calloc(b->arena, n ? n : 1, sizeof *e->nlens);
        if (!e->args || !e->flags || !e->names || !e->nlens)
            return NULL;
        for (size_t i = 0; i < n; i++) {
            const tg_ast_map_item *it = &a->u.map_projection.items[i];
            e->names[i] = it->key ? it->key : "";
            e->nlens[i] = strlen(e->names[i]);
            switch (it->kind) {
            case TG_AST_MAPITEM_PROPERTY: e->flags[i] = 1; break;
            case TG_AST_MAPITEM_ALL: e->flags[i] = 2; break;
            case TG_AST_MAPITEM_LITERAL:
                if (!(e->args[i] = tg_bind_expr(b, it->value)))
                    return NULL;
                break;
            case TG_AST_MAPITEM_VARIABLE:
                v = tg_bind_lookup(b, it->key);
                if (!v) {
                    tg_bind_error(b, TG_ESYNTAX, &it->pos,
                                  "UndefinedVariable: variable '%s' is not defined", it->key);
                    return NULL;
                }
                e->args[i] = tg_bind_slot(b, v->slot, &it->pos);
                break;
            }
        }
        return e;
    }
    case TG_AST_EXISTS_SUBQUERY:
    case TG_AST_COUNT_SUBQUERY:
    case TG_AST_COLLECT_SUBQUERY:
        if (!(e = new_expr(b, a->kind == TG_AST_EXISTS_SUBQUERY  ? TG_E_EXISTS
                              : a->kind == TG_AST_COUNT_SUBQUERY ? TG_E_COUNT
                                                                 : TG_E_PATCOMP,
                           &a->pos)))
            return NULL;
        if (tg_i_plan_subquery_expr(b, a, e) != TG_OK)
            return NULL;
        return e;
    }
    tg_bind_error(b, TG_ESYNTAX, &a->pos, "UnexpectedSyntax: unsupported expression");
    return NULL;
}

tg_expr *tg_bind_label_expr(tg_binder *b, tg_expr *base, const tg_ast_labelexpr *lx)
{
    tg_expr *e = NULL, *l, *r;
    switch (lx->kind) {
    case TG_AST_LX_LABEL:
    case TG_AST_LX_ANY:
        if (lx->kind == TG_AST_LX_LABEL && b->checking_names)
            tg_bind_check_name(b, b->checking_names - 1, lx->name, &lx->pos);
        if (!(e = new_expr(b, TG_E_LABELS, &lx->pos)))
            return NULL;
        e->a = base;
        e->op = lx->kind == TG_AST_LX_ANY; /* 1: any label at all */
        if (lx->kind == TG_AST_LX_LABEL && set_names(b, e, &lx->name, 1))
            return NULL;
        return e;
    case TG_AST_LX_NOT:
        if (!(l = tg_bind_label_expr(b, base, lx->a)) ||
            !(e = new_expr(b, TG_E_UNARY, &lx->pos)))
            return NULL;
        e->op = TG_AST_OP_NOT;
        e->a = l;
        return e;
    case TG_AST_LX_AND:
    case TG_AST_LX_OR:
        if (!(l = tg_bind_label_expr(b, base, lx->a)) ||
            !(r = tg_bind_label_expr(b, base, lx->b)))
            return NULL;
        return tg_bind_binary(b, lx->kind == TG_AST_LX_AND ? TG_AST_OP_AND : TG_AST_OP_OR, l,
                              r, &lx->pos);
    }
    return NULL;
}

void tg_expr_slots(const tg_expr *e, void (*fn)(void *ctx, int slot), void *ctx)
{
    if (!e)
        return;
    switch (e->kind) {
    case TG_E_SLOT: fn(ctx, e->slot); return;
    case TG_E_EXISTS:
    case TG_E_PATCOMP:
    case TG_E_COUNT: fn(ctx, -1); return;
    default: break;
    }
    tg_expr_slots(e->a, fn, ctx);
    tg_expr_slots(e->b, fn, ctx);
    tg_expr_slots(e->c, fn, ctx);
    for (size_t i = 0; i < e->nargs; i++)
        tg_expr_slots(e->args[i], fn, ctx);
}
