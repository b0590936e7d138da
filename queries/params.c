/* params.c — query parameters ($name): literals parsed with the query
 * parser, evaluated once, and kept as values in the params' own memory.
 */
#include <stdlib.h>
#include <string.h>

#include "binder.h"
#include "parser.h"
#include "query.h"
#include "utf8.h"

struct tg_params {
    tg_vmem *mem;
    char **names;
    tg_value *values;
    size_t n, cap;
};

tg_params *tg_params_new(void)
{
    tg_params *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->mem = tg_vmem_new();
    if (!p->mem) {
        free(p);
        return NULL;
    }
    return p;
}

void tg_params_free(tg_params *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->names[i]);
    free(p->names);
    free(p->values);
    tg_vmem_free(p->mem);
    free(p);
}

static tg_status put(tg_params *p, const char *name, const tg_value *v, tg_error *err);

tg_params *tg_params_copy(const tg_params *p)
{
    tg_params *c = tg_params_new();
    if (!c || !p)
        return c;
    for (size_t i = 0; i < p->n; i++)
        if (put(c, p->names[i], &p->values[i], NULL) != TG_OK) {
            tg_params_free(c);
            return NULL;
        }
    return c;
}

const tg_value *tg_i_params_get(const tg_params *p, const char *name)
{
    if (!p)
        return NULL;
    for (size_t i = p->n; i > 0; i--)
        if (strcmp(p->names[i - 1], name) == 0)
            return &p->values[i - 1];
    return NULL;
}

static tg_status put(tg_params *p, const char *name, const tg_value *v, tg_error *err)
{
    char *copy;
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->names[i], name) == 0) {
            p->values[i] = tg_value_deep_copy(p->mem, v);
            return TG_OK;
        }
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 8;
        char **nn = realloc(p->names, nc * sizeof *nn);
        if (!nn)
            return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        p->names = nn;
        tg_value *nv = realloc(p->values, nc * sizeof *nv);
        if (!nv)
            return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        p->values = nv;
        p->cap = nc;
    }
    copy = strdup(name);
    if (!copy)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    p->names[p->n] = copy;
    p->values[p->n] = tg_value_deep_copy(p->mem, v);
    p->n++;
    return TG_OK;
}

/* Whether e is a literal: null, a boolean, a number, a string, or a list or
 * map of literals. */
static int is_literal(const tg_ast_expr *e)
{
    switch (e->kind) {
    case TG_AST_NULL:
    case TG_AST_BOOL:
    case TG_AST_INT:
    case TG_AST_FLOAT:
    case TG_AST_STRING: return 1;
    case TG_AST_LIST:
        for (size_t i = 0; i < e->u.list.n_items; i++)
            if (!is_literal(e->u.list.items[i]))
                return 0;
        return 1;
    case TG_AST_MAP:
        for (size_t i = 0; i < e->u.map.n_entries; i++)
            if (!is_literal(e->u.map.values[i]))
                return 0;
        return 1;
    default: return 0;
    }
}

/* Parses and evaluates literal; the value is built in p->mem. */
static tg_status eval_literal(tg_params *p, const char *literal, tg_value *out, tg_error *err)
{
    tg_arena *a = tg_arena_new();
    tg_ast_expr *ast = NULL;
    tg_binder b;
    tg_exec x;
    tg_expr *e;
    tg_value *row;
    tg_status st;
    if (!a)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    st = tg_parse_expression(literal, strlen(literal), a, &ast, err);
    if (st != TG_OK)
        goto done;
    if (!is_literal(ast)) {
        st = tg_error_set(err, TG_ESYNTAX, NULL, 0, 0,
                          "a parameter value must be a literal (a number, string, boolean, "
                          "null, list or map of literals): %s",
                          literal);
        goto done;
    }
    tg_binder_init(&b, a, NULL, p->mem, literal, p, err);
    e = tg_bind_expr(&b, ast);
    tg_binder_destroy(&b); /* b.nslots stays readable */
    if (!e) {
        st = err && err->status != TG_OK ? err->status : TG_ESYNTAX;
        if (st != TG_ENOMEM)
            st = tg_error_set(err, TG_ESYNTAX, NULL, 0, 0,
                              "a parameter value must be a literal: %s", literal);
        goto done;
    }
    memset(&x, 0, sizeof x);
    x.mem = p->mem;
    x.err = err;
    x.max_expansions = TG_DEFAULT_MAX_EXPANSIONS;
    x.width = (size_t)b.nslots;
    row = tg_vmem_alloc(p->mem, (x.width ? x.width : 1) * sizeof *row);
    if (!row) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    tg_row_clear(row, x.width);
    st = tg_expr_eval(e, &x, row, out);
    tg_exec_destroy(&x);
    if (st == TG_OK)
        *out = tg_value_deep_copy(p->mem, out); /* strings of the AST die with a */
done:
    tg_arena_free(a);
    return st;
}

tg_status tg_params_set_literal(tg_params *p, const char *name, const char *literal,
                                tg_error *err)
{
    tg_value v;
    tg_status st = eval_literal(p, literal, &v, err);
    if (st != TG_OK)
        return st;
    return put(p, name, &v, err);
}

tg_status tg_params_set_text(tg_params *p, const char *name, const char *text, tg_error *err)
{
    tg_value v;
    tg_error scratch;
    tg_error_clear(&scratch);
    if (eval_literal(p, text, &v, &scratch) != TG_OK) {
        if (scratch.status == TG_ENOMEM)
            return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        if (!tg_utf8_valid(text, strlen(text), NULL))
            return tg_error_set(err, TG_ESYNTAX, NULL, 0, 0,
                                "the value of parameter $%s is not valid UTF-8", name);
        v = tg_value_cstr(p->mem, text);
    }
    return put(p, name, &v, err);
}
