/* expr.c — evaluation of bound expressions.
 *
 * Null propagates through every operator except the boolean ones, which use
 * three-valued logic, and IS [NOT] NULL. Integer arithmetic that overflows is
 * an error, integer division or modulo by zero is an error, float arithmetic
 * follows IEEE (Infinity, NaN). Values built here live in x->mem.
 */
#include "expr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "regex.h"

static tg_status fail(tg_exec *x, const tg_expr *e, tg_status st, const char *msg,
                      const char *arg)
{
    tg_exec_fail(x, st, e ? &e->pos : NULL, msg, arg);
    return st;
}

static tg_status oom(tg_exec *x)
{
    tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    return TG_ENOMEM;
}

/* Refuses a list or map nested deeper than TG_VALUE_MAX_DEPTH, so that no
 * recursion over values (format, equality, order, hashing) can exhaust the
 * stack. */
static tg_status nesting(tg_exec *x, const tg_expr *e, const tg_value *v)
{
    if (v->depth <= TG_VALUE_MAX_DEPTH)
        return TG_OK;
    tg_exec_fail(x, TG_EARG, e ? &e->pos : NULL,
                 "NestingTooDeep: a list or map nested more than %d levels deep",
                 TG_VALUE_MAX_DEPTH);
    return TG_EARG;
}

tg_value tg_value_deep_copy(tg_vmem *m, const tg_value *v)
{
    switch (v->kind) {
    case TG_VAL_STRING: return tg_value_str_copy(m, v->u.s, v->len);
    case TG_VAL_LIST: {
        tg_value *items = tg_vmem_list_items(m, v->len);
        if (!items)
            return tg_value_null();
        for (uint32_t i = 0; i < v->len; i++)
            items[i] = tg_value_deep_copy(m, &v->u.items[i]);
        return tg_value_list_hdr(items, v->len);
    }
    case TG_VAL_MAP: {
        tg_vmap_entry *e = tg_vmem_alloc(m, (v->len ? v->len : 1) * sizeof *e);
        tg_value r = *v;
        if (!e)
            return tg_value_null();
        for (uint32_t i = 0; i < v->len; i++) {
            tg_value k = tg_value_str_copy(m, v->u.map[i].key, v->u.map[i].klen);
            e[i].key = k.u.s;
            e[i].klen = v->u.map[i].klen;
            e[i].value = tg_value_deep_copy(m, &v->u.map[i].value);
        }
        r.u.map = e;
        return r;
    }
    case TG_VAL_PATH:
        return tg_value_path(m, v->u.path->nodes, v->u.path->rels, v->u.path->len);
    case TG_VAL_DATE:
    case TG_VAL_LOCALTIME:
    case TG_VAL_TIME:
    case TG_VAL_LOCALDATETIME:
    case TG_VAL_DATETIME:
    case TG_VAL_DURATION: return tg_temporal_make(m, (tg_vkind)v->kind, v->u.tm);
    default: return *v;
    }
}

/* ---- operators -------------------------------------------------------------- */

static tg_status int_overflow(tg_exec *x, const char *what)
{
    tg_exec_fail(x, TG_EARG, NULL, "NumberOutOfRange: integer overflow in %s", what);
    return TG_EARG;
}

static tg_status concat(tg_exec *x, const tg_value *l, const tg_value *r, tg_value *out)
{
    if (l->kind == TG_VAL_LIST || r->kind == TG_VAL_LIST) {
        size_t nl = l->kind == TG_VAL_LIST ? l->len : 1;
        size_t nr = r->kind == TG_VAL_LIST ? r->len : 1;
        tg_value *items = tg_vmem_alloc(x->mem, (nl + nr ? nl + nr : 1) * sizeof *items);
        if (!items)
            return oom(x);
        if (l->kind == TG_VAL_LIST)
            memcpy(items, l->u.items, nl * sizeof *items);
        else
            items[0] = *l;
        if (r->kind == TG_VAL_LIST)
            memcpy(items + nl, r->u.items, nr * sizeof *items);
        else
            items[nl] = *r;
        *out = tg_value_list_ref(items, nl + nr);
        return nesting(x, NULL, out);
    }
    return TG_EINVAL;
}

static void num_text(const tg_value *v, char *buf)
{
    if (v->kind == TG_VAL_INT)
        snprintf(buf, 40, "%lld", (long long)v->u.i);
    else
        tg_value_format_double(v->u.f, buf);
}

tg_status tg_expr_binop(tg_exec *x, int op, const tg_value *l, const tg_value *r, tg_value *out)
{
    int64_t ri;
    *out = tg_value_null();
    if (op == TG_AST_OP_ADD && (l->kind == TG_VAL_LIST || r->kind == TG_VAL_LIST))
        return concat(x, l, r, out);
    if (l->kind == TG_VAL_NULL || r->kind == TG_VAL_NULL)
        return TG_OK;
    if (tg_value_is_temporal(l) || tg_value_is_temporal(r)) {
        tg_status ts = tg_temporal_arith(x, op, l, r, out);
        if (ts != TG_ETYPE)
            return ts;
        goto type_error;
    }
    if (op == TG_AST_OP_ADD &&
        (l->kind == TG_VAL_STRING || r->kind == TG_VAL_STRING)) {
        char lb[40], rb[40];
        const char *ls = l->u.s, *rs = r->u.s;
        size_t ll = l->len, rl = r->len;
        char *p;
        if ((l->kind != TG_VAL_STRING && !tg_value_is_number(l)) ||
            (r->kind != TG_VAL_STRING && !tg_value_is_number(r)))
            goto type_error;
        if (l->kind != TG_VAL_STRING) {
            num_text(l, lb);
            ls = lb;
            ll = strlen(lb);
        }
        if (r->kind != TG_VAL_STRING) {
            num_text(r, rb);
            rs = rb;
            rl = strlen(rb);
        }
        p = tg_vmem_alloc(x->mem, ll + rl + 1);
        if (!p)
            return oom(x);
        memcpy(p, ls, ll);
        memcpy(p + ll, rs, rl);
        p[ll + rl] = 0;
        *out = tg_value_str_ref(p, ll + rl);
        return TG_OK;
    }
    if (!tg_value_is_number(l) || !tg_value_is_number(r))
        goto type_error;
    if (l->kind == TG_VAL_INT && r->kind == TG_VAL_INT && op != TG_AST_OP_POW) {
        int64_t a = l->u.i, b = r->u.i;
        switch (op) {
        case TG_AST_OP_ADD:
            if (__builtin_add_overflow(a, b, &ri))
                return int_overflow(x, "+");
            break;
        case TG_AST_OP_SUB:
            if (__builtin_sub_overflow(a, b, &ri))
                return int_overflow(x, "-");
            break;
        case TG_AST_OP_MUL:
            if (__builtin_mul_overflow(a, b, &ri))
                return int_overflow(x, "*");
            break;
        case TG_AST_OP_DIV:
            if (b == 0) {
                tg_exec_fail(x, TG_EARG, NULL, "DivisionByZero: integer division by zero");
                return TG_EARG;
            }
            if (a == INT64_MIN && b == -1)
                return int_overflow(x, "/");
            ri = a / b;
            break;
        case TG_AST_OP_MOD:
            if (b == 0) {
                tg_exec_fail(x, TG_EARG, NULL, "DivisionByZero: integer modulo by zero");
                return TG_EARG;
            }
            ri = (b == -1) ? 0 : a % b;
            break;
        default: goto type_error;
        }
        *out = tg_value_int(ri);
        return TG_OK;
    }
    {
        double a = tg_value_num(l), b = tg_value_num(r), f;
        switch (op) {
        case TG_AST_OP_ADD: f = a + b; break;
        case TG_AST_OP_SUB: f = a - b; break;
        case TG_AST_OP_MUL: f = a * b; break;
        case TG_AST_OP_DIV: f = a / b; break;
        case TG_AST_OP_MOD: f = fmod(a, b); break;
        case TG_AST_OP_POW: f = pow(a, b); break;
        default: goto type_error;
        }
        *out = tg_value_float(f);
        return TG_OK;
    }
type_error:
    tg_exec_fail(x, TG_ETYPE, NULL,
                 "InvalidArgumentType: cannot apply an arithmetic operator to a %s and a %s",
                 tg_value_kind_name((tg_vkind)l->kind), tg_value_kind_name((tg_vkind)r->kind));
    return TG_ETYPE;
}

static int str_starts(const tg_value *s, const tg_value *p)
{
    return p->len <= s->len && memcmp(s->u.s, p->u.s, p->len) == 0;
}

static int str_ends(const tg_value *s, const tg_value *p)
{
    return p->len <= s->len && memcmp(s->u.s + s->len - p->len, p->u.s, p->len) == 0;
}

static int str_contains(const tg_value *s, const tg_value *p)
{
    if (p->len == 0)
        return 1;
    for (size_t i = 0; i + p->len <= s->len; i++)
        if (memcmp(s->u.s + i, p->u.s, p->len) == 0)
            return 1;
    return 0;
}

/* A compiled =~ pattern, kept on the expression so that a constant pattern
 * compiles once per query; all of them are freed by tg_exec_destroy. A
 * pattern that does not compile is kept too, with its message. */
struct tg_regex_cache {
    tg_regex *re;
    char *pat;
    size_t plen;
    char msg[200];
    struct tg_regex_cache *next;
};

/* ---- IN over a large list: a hash index ----------------------------------
 * A list with a header (tg_vmem_list_items: literals, parameters, collect,
 * range, comprehensions) gets an index on its second IN test, so that
 * `n.id IN $watchlist` costs O(1) per row after O(n) once. The index lives
 * until the statement ends (tg_exec_destroy), whatever happens to the memory
 * of the list: a list built again at the same address starts with a zeroed
 * header, so it never finds a stale index. */
struct tg_in_index {
    uint32_t *slots; /* item index + 1, 0 empty */
    size_t mask;
    int has_null;
    struct tg_in_index *next;
};

#define TG_IN_INDEX_MIN 16 /* shorter lists are scanned */

/* Equal values hash alike under `=`: numbers by their double value (num_eq
 * compares an integer and a float as doubles). */
static uint64_t in_hash(const tg_value *v)
{
    if (tg_value_is_number(v)) {
        double d = tg_value_num(v);
        uint64_t bits;
        if (d == 0.0)
            d = 0.0;
        memcpy(&bits, &d, sizeof bits);
        bits ^= bits >> 31;
        bits *= 0x9e3779b97f4a7c15ull;
        return bits ^ (bits >> 29);
    }
    return tg_value_hash(v);
}

/* Whether l can be looked up in an index (else the list is scanned). */
static int in_indexable(const tg_value *l)
{
    switch (l->kind) {
    case TG_VAL_BOOL:
    case TG_VAL_INT:
    case TG_VAL_STRING:
    case TG_VAL_NODE:
    case TG_VAL_REL: return 1;
    case TG_VAL_FLOAT: return !isnan(l->u.f);
    default: return 0;
    }
}

static struct tg_in_index *in_index_build(tg_exec *x, const tg_value *list)
{
    struct tg_in_index *ix = calloc(1, sizeof *ix);
    size_t cap = 16;
    if (!ix)
        return NULL;
    while (cap < 2 * (size_t)list->len)
        cap *= 2;
    ix->slots = calloc(cap, sizeof *ix->slots);
    if (!ix->slots) {
        free(ix);
        return NULL;
    }
    ix->mask = cap - 1;
    for (uint32_t i = 0; i < list->len; i++) {
        const tg_value *v = &list->u.items[i];
        size_t h;
        if (v->kind == TG_VAL_NULL) {
            ix->has_null = 1;
            continue;
        }
        h = (size_t)in_hash(v) & ix->mask;
        while (ix->slots[h])
            h = (h + 1) & ix->mask;
        ix->slots[h] = i + 1;
    }
    ix->next = x->in_indexes;
    x->in_indexes = ix;
    return ix;
}

/* l IN list through list's index: TG_TRI_TRUE, _FALSE or _NULL (a null item
 * makes a miss unknown). l is in_indexable. */
static int in_index_find(const struct tg_in_index *ix, const tg_value *list, const tg_value *l)
{
    size_t h = (size_t)in_hash(l) & ix->mask;
    for (; ix->slots[h]; h = (h + 1) & ix->mask)
        if (tg_value_equals(l, &list->u.items[ix->slots[h] - 1]) == TG_TRI_TRUE)
            return TG_TRI_TRUE;
    return ix->has_null ? TG_TRI_NULL : TG_TRI_FALSE;
}

/* The index of list, built on its second IN test; NULL: scan it. */
static const struct tg_in_index *in_index_of(tg_exec *x, const tg_value *list)
{
    tg_vlist_header *h = tg_value_list_header(list);
    if (!h || list->len < TG_IN_INDEX_MIN)
        return NULL;
    if (!h->index && ++h->lookups >= 2)
        h->index = in_index_build(x, list); /* NULL (out of memory): scan */
    return h->index;
}

void tg_exec_destroy(tg_exec *x)
{
    struct tg_in_index *ix, *nx;
    for (ix = x->in_indexes; ix; ix = nx) {
        nx = ix->next;
        free(ix->slots);
        free(ix);
    }
    x->in_indexes = NULL;
    struct tg_regex_cache *c = x->regexes, *n;
    for (; c; c = n) {
        n = c->next;
        tg_regex_free(c->re);
        free(c->pat);
        free(c);
    }
    x->regexes = NULL;
    tg_i_effects_free(x);
}

static tg_status regex_match(tg_exec *x, const tg_expr *e, const tg_value *s,
                             const tg_value *p, tg_value *out)
{
    struct tg_regex_cache *c = e->cache;
    char msg[200];
    int rc;
    if (!c || c->plen != p->len || memcmp(c->pat, p->u.s, p->len) != 0) {
        c = calloc(1, sizeof *c);
        if (!c || !(c->pat = malloc(p->len + 1))) {
            free(c);
            return oom(x);
        }
        memcpy(c->pat, p->u.s, p->len);
        c->plen = p->len;
        c->re = tg_regex_compile(p->u.s, p->len, c->msg, sizeof c->msg);
        c->next = x->regexes;
        x->regexes = c;
        ((tg_expr *)e)->cache = c;
    }
    if (!c->re)
        return fail(x, e, TG_EARG, "InvalidArgumentValue: invalid regular expression: %s",
                    c->msg);
    rc = tg_regex_match(c->re, s->u.s, s->len, msg, sizeof msg);
    if (rc < 0)
        return fail(x, e, TG_ERUNTIME, "%s", msg);
    *out = tg_value_bool(rc == 1);
    return TG_OK;
}

static tg_status eval_binary(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out)
{
    tg_value l, r;
    tg_status st;
    int op = e->op, c;
    *out = tg_value_null();
    if (op == TG_AST_OP_AND || op == TG_AST_OP_OR || op == TG_AST_OP_XOR) {
        int a, b;
        st = tg_expr_eval_pred(e->a, x, row, &a);
        if (st != TG_OK)
            return st;
        if (op == TG_AST_OP_AND && a == TG_TRI_FALSE) {
            *out = tg_value_bool(0);
            return TG_OK;
        }
        if (op == TG_AST_OP_OR && a == TG_TRI_TRUE) {
            *out = tg_value_bool(1);
            return TG_OK;
        }
        st = tg_expr_eval_pred(e->b, x, row, &b);
        if (st != TG_OK)
            return st;
        if (op == TG_AST_OP_AND) {
            if (b == TG_TRI_FALSE)
                *out = tg_value_bool(0);
            else if (a == TG_TRI_TRUE && b == TG_TRI_TRUE)
                *out = tg_value_bool(1);
        } else if (op == TG_AST_OP_OR) {
            if (b == TG_TRI_TRUE)
                *out = tg_value_bool(1);
            else if (a == TG_TRI_FALSE && b == TG_TRI_FALSE)
                *out = tg_value_bool(0);
        } else if (a != TG_TRI_NULL && b != TG_TRI_NULL) {
            *out = tg_value_bool(a != b);
        }
        return TG_OK;
    }
    st = tg_expr_eval(e->a, x, row, &l);
    if (st != TG_OK)
        return st;
    st = tg_expr_eval(e->b, x, row, &r);
    if (st != TG_OK)
        return st;
    switch (op) {
    case TG_AST_OP_EQ:
    case TG_AST_OP_NE:
        c = tg_value_equals(&l, &r);
        if (c != TG_TRI_NULL)
            *out = tg_value_bool(op == TG_AST_OP_EQ ? c : !c);
        return TG_OK;
    case TG_AST_OP_LT:
    case TG_AST_OP_LE:
    case TG_AST_OP_GT:
    case TG_AST_OP_GE:
        if (!tg_value_compare(&l, &r, &c))
            return TG_OK;
        if (c == 2)
            *out = tg_value_bool(0);
        else
            *out = tg_value_bool(op == TG_AST_OP_LT   ? c < 0
                                 : op == TG_AST_OP_LE ? c <= 0
                                 : op == TG_AST_OP_GT ? c > 0
                                                      : c >= 0);
        return TG_OK;
    case TG_AST_OP_STARTS_WITH:
    case TG_AST_OP_ENDS_WITH:
    case TG_AST_OP_CONTAINS:
        if (l.kind != TG_VAL_STRING || r.kind != TG_VAL_STRING)
            return TG_OK;
        *out = tg_value_bool(op == TG_AST_OP_STARTS_WITH ? str_starts(&l, &r)
                             : op == TG_AST_OP_ENDS_WITH ? str_ends(&l, &r)
                                                         : str_contains(&l, &r));
        return TG_OK;
    case TG_AST_OP_REGEX:
        if (l.kind != TG_VAL_STRING || r.kind != TG_VAL_STRING)
            return TG_OK;
        return regex_match(x, e, &l, &r, out);
    case TG_AST_OP_CONCAT:
        /* ||: two strings or two lists, nothing converted */
        if (l.kind == TG_VAL_NULL || r.kind == TG_VAL_NULL)
            return TG_OK;
        if ((l.kind == TG_VAL_STRING && r.kind == TG_VAL_STRING) ||
            (l.kind == TG_VAL_LIST && r.kind == TG_VAL_LIST))
            return tg_expr_binop(x, TG_AST_OP_ADD, &l, &r, out);
        tg_exec_fail(x, TG_ETYPE, &e->pos,
                     "InvalidArgumentType: || joins two strings or two lists, not a %s and a %s",
                     tg_value_kind_name((tg_vkind)l.kind), tg_value_kind_name((tg_vkind)r.kind));
        return TG_ETYPE;
    case TG_AST_OP_IN: {
        int any_null = 0;
        if (r.kind == TG_VAL_NULL)
            return TG_OK;
        if (r.kind != TG_VAL_LIST)
            return fail(x, e, TG_ETYPE, "InvalidArgumentType: IN expects a list, got a %s",
                        tg_value_kind_name((tg_vkind)r.kind));
        if (in_indexable(&l)) {
            const struct tg_in_index *ix = in_index_of(x, &r);
            if (ix) {
                int q = in_index_find(ix, &r, &l);
                if (q != TG_TRI_NULL)
                    *out = tg_value_bool(q == TG_TRI_TRUE);
                return TG_OK;
            }
        }
        for (uint32_t i = 0; i < r.len; i++) {
            int q = tg_value_equals(&l, &r.u.items[i]);
            if (q == TG_TRI_TRUE) {
                *out = tg_value_bool(1);
                return TG_OK;
            }
            if (q == TG_TRI_NULL)
                any_null = 1;
        }
        if (!any_null)
            *out = tg_value_bool(0);
        return TG_OK;
    }
    default:
        st = tg_expr_binop(x, op, &l, &r, out);
        if (st != TG_OK && x->err && x->err->line == 0) {
            x->err->line = e->pos.line;
            x->err->column = e->pos.column;
        }
        return st;
    }
}

static tg_status eval_unary(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out)
{
    tg_value v;
    tg_status st = tg_expr_eval(e->a, x, row, &v);
    if (st != TG_OK)
        return st;
    *out = tg_value_null();
    switch (e->op) {
    case TG_AST_OP_IS_NULL: *out = tg_value_bool(v.kind == TG_VAL_NULL); return TG_OK;
    case TG_AST_OP_IS_NOT_NULL: *out = tg_value_bool(v.kind != TG_VAL_NULL); return TG_OK;
    case TG_AST_OP_NOT:
        if (v.kind == TG_VAL_NULL)
            return TG_OK;
        if (v.kind != TG_VAL_BOOL)
            return fail(x, e, TG_ETYPE, "InvalidArgumentType: NOT expects a boolean, got a %s",
                        tg_value_kind_name((tg_vkind)v.kind));
        *out = tg_value_bool(!v.u.b);
        return TG_OK;
    case TG_AST_OP_NEG:
    case TG_AST_OP_PLUS:
        if (v.kind == TG_VAL_NULL)
            return TG_OK;
        if (v.kind == TG_VAL_INT) {
            if (e->op == TG_AST_OP_NEG && v.u.i == INT64_MIN)
                return fail(x, e, TG_EARG, "NumberOutOfRange: integer overflow in %s", "-");
            *out = tg_value_int(e->op == TG_AST_OP_NEG ? -v.u.i : v.u.i);
            return TG_OK;
        }
        if (v.kind == TG_VAL_FLOAT) {
            *out = tg_value_float(e->op == TG_AST_OP_NEG ? -v.u.f : v.u.f);
            return TG_OK;
        }
        if (v.kind == TG_VAL_DURATION) {
            if (e->op == TG_AST_OP_PLUS) {
                *out = v;
                return TG_OK;
            }
            return tg_temporal_negate(x, &v, out);
        }
        return fail(x, e, TG_ETYPE, "InvalidArgumentType: cannot negate a %s",
                    tg_value_kind_name((tg_vkind)v.kind));
    default: return TG_OK;
    }
}

static int64_t norm_index(int64_t i, int64_t n)
{
    if (i < 0)
        i += n;
    return i;
}

static tg_status eval_index(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out)
{
    tg_value b, i;
    tg_status st = tg_expr_eval(e->a, x, row, &b);
    if (st == TG_OK)
        st = tg_expr_eval(e->b, x, row, &i);
    if (st != TG_OK)
        return st;
    *out = tg_value_null();
    if (b.kind == TG_VAL_NULL || i.kind == TG_VAL_NULL)
        return TG_OK;
    if (b.kind == TG_VAL_LIST) {
        int64_t k;
        if (i.kind != TG_VAL_INT)
            return fail(x, e, TG_ETYPE,
                        "InvalidArgumentType: a list index must be an integer, got a %s",
                        tg_value_kind_name((tg_vkind)i.kind));
        k = norm_index(i.u.i, b.len);
        if (k >= 0 && k < (int64_t)b.len)
            *out = b.u.items[k];
        return TG_OK;
    }
    if (b.kind == TG_VAL_MAP || b.kind == TG_VAL_NODE || b.kind == TG_VAL_REL) {
        if (i.kind != TG_VAL_STRING)
            return fail(x, e, TG_ETYPE,
                        "MapElementAccessByNonString: a map key must be a string, got a %s",
                        tg_value_kind_name((tg_vkind)i.kind));
        *out = tg_value_property(x->g, x->mem, &b, i.u.s, i.len);
        return TG_OK;
    }
    return fail(x, e, TG_ETYPE, "InvalidArgumentType: cannot index a %s",
                tg_value_kind_name((tg_vkind)b.kind));
}

static tg_status eval_slice(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out)
{
    tg_value b, f = tg_value_int(0), t;
    int64_t from, to;
    tg_status st = tg_expr_eval(e->a, x, row, &b);
    if (st != TG_OK)
        return st;
    *out = tg_value_null();
    t = tg_value_int(b.len);
    if (e->b && (st = tg_expr_eval(e->b, x, row, &f)) != TG_OK)
        return st;
    if (e->c && (st = tg_expr_eval(e->c, x, row, &t)) != TG_OK)
        return st;
    if (b.kind == TG_VAL_NULL || f.kind == TG_VAL_NULL || t.kind == TG_VAL_NULL)
        return TG_OK;
    if (b.kind != TG_VAL_LIST)
        return fail(x, e, TG_ETYPE, "InvalidArgumentType: cannot slice a %s",
                    tg_value_kind_name((tg_vkind)b.kind));
    if (f.kind != TG_VAL_INT || t.kind != TG_VAL_INT)
        return fail(x, e, TG_ETYPE, "InvalidArgumentType: slice bounds must be integers%s", "");
    from = norm_index(f.u.i, b.len);
    to = norm_index(t.u.i, b.len);
    if (from < 0)
        from = 0;
    if (to > (int64_t)b.len)
        to = b.len;
    if (to < from)
        to = from;
    *out = tg_value_list_ref(b.u.items + (from < (int64_t)b.len ? from : b.len),
                             (size_t)(to - from));
    return TG_OK;
}

static tg_status eval_call(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out)
{
    tg_value small[8], *args = small;
    tg_status st;
    if (!e->fn->fn)
        return fail(x, e, TG_ERUNTIME, "InvalidAggregation: aggregate %s used out of place",
                    e->fn->name);
    if (e->nargs > 8) {
        args = tg_vmem_alloc(x->mem, e->nargs * sizeof *args);
        if (!args)
            return oom(x);
    }
    for (size_t i = 0; i < e->nargs; i++)
        if ((st = tg_expr_eval(e->args[i], x, row, &args[i])) != TG_OK)
            return st;
    st = e->fn->fn(x, args, e->nargs, out);
    if (st != TG_OK && x->err && x->err->line == 0) {
        x->err->line = e->pos.line;
        x->err->column = e->pos.column;
    }
    return st;
}

static tg_status eval_case(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out)
{
    tg_value subj, w;
    tg_status st;
    if (e->a && (st = tg_expr_eval(e->a, x, row, &subj)) != TG_OK)
        return st;
    for (size_t i = 0; i + 1 < e->nargs; i += 2) {
        int hit;
        if (e->a) {
            if ((st = tg_expr_eval(e->args[i], x, row, &w)) != TG_OK)
                return st;
            hit = tg_value_equals(&subj, &w) == TG_TRI_TRUE;
        } else {
            if ((st = tg_expr_eval(e->args[i], x, row, &w)) != TG_OK)
                return st;
            hit = w.kind == TG_VAL_BOOL && w.u.b;
        }
        if (hit)
            return tg_expr_eval(e->args[i + 1], x, row, out);
    }
    if (e->c)
        return tg_expr_eval(e->c, x, row, out);
    *out = tg_value_null();
    return TG_OK;
}

static tg_status eval_list(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out)
{
    tg_value *items = tg_vmem_list_items(x->mem, e->nargs);
    tg_status st;
    if (!items)
        return oom(x);
    for (size_t i = 0; i < e->nargs; i++)
        if ((st = tg_expr_eval(e->args[i], x, row, &items[i])) != TG_OK)
            return st;
    *out = tg_value_list_hdr(items, e->nargs);
    return nesting(x, e, out);
}

static tg_status eval_map(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out)
{
    tg_vmap_entry small[16], *ents = small;
    tg_status st;
    if (e->nargs > 16) {
        ents = tg_vmem_alloc(x->mem, e->nargs * sizeof *ents);
        if (!ents)
            return oom(x);
    }
    for (size_t i = 0; i < e->nargs; i++) {
        ents[i].key = e->names[i];
        ents[i].klen = (uint32_t)e->nlens[i];
        if ((st = tg_expr_eval(e->args[i], x, row, &ents[i].value)) != TG_OK)
            return st;
    }
    *out = tg_value_map(x->mem, ents, e->nargs);
    if (out->kind != TG_VAL_MAP)
        return oom(x);
    return nesting(x, e, out);
}

static tg_status list_operand(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *l)
{
    tg_status st = tg_expr_eval(e->a, x, row, l);
    if (st != TG_OK)
        return st;
    if (l->kind != TG_VAL_NULL && l->kind != TG_VAL_LIST)
        return fail(x, e, TG_ETYPE, "InvalidArgumentType: expected a list, got a %s",
                    tg_value_kind_name((tg_vkind)l->kind));
    return TG_OK;
}

static tg_status eval_listcomp(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out)
{
    tg_value l;
    tg_value *items;
    size_t n = 0;
    tg_status st = list_operand(e, x, row, &l);
    if (st != TG_OK)
        return st;
    *out = tg_value_null();
    if (l.kind == TG_VAL_NULL)
        return TG_OK;
    items = tg_vmem_list_items(x->mem, l.len);
    if (!items)
        return oom(x);
    for (uint32_t i = 0; i < l.len; i++) {
        row[e->slot] = l.u.items[i];
        if (e->b) {
            int t;
            if ((st = tg_expr_eval_pred(e->b, x, row, &t)) != TG_OK)
                return st;
            if (t != TG_TRI_TRUE)
                continue;
        }
        if (e->c) {
            if ((st = tg_expr_eval(e->c, x, row, &items[n])) != TG_OK)
                return st;
        } else
            items[n] = l.u.items[i];
        n++;
    }
    *out = tg_value_list_hdr(items, n);
    return nesting(x, e, out);
}

static tg_status eval_quant(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out)
{
    tg_value l;
    size_t ntrue = 0, nnull = 0;
    tg_status st = list_operand(e, x, row, &l);
    if (st != TG_OK)
        return st;
    *out = tg_value_null();
    if (l.kind == TG_VAL_NULL)
        return TG_OK;
    for (uint32_t i = 0; i < l.len; i++) {
        int t;
        row[e->slot] = l.u.items[i];
        if ((st = tg_expr_eval_pred(e->b, x, row, &t)) != TG_OK)
            return st;
        if (t == TG_TRI_TRUE)
            ntrue++;
        else if (t == TG_TRI_NULL)
            nnull++;
    }
    switch (e->op) {
    case TG_AST_QUANT_ALL:
        if (ntrue + nnull < l.len)
            *out = tg_value_bool(0);
        else if (nnull == 0)
            *out = tg_value_bool(1);
        break;
    case TG_AST_QUANT_ANY:
        if (ntrue)
            *out = tg_value_bool(1);
        else if (nnull == 0)
            *out = tg_value_bool(0);
        break;
    case TG_AST_QUANT_NONE:
        if (ntrue)
            *out = tg_value_bool(0);
        else if (nnull == 0)
            *out = tg_value_bool(1);
        break;
    default: /* single */
        if (ntrue > 1)
            *out = tg_value_bool(0);
        else if (nnull == 0)
            *out = tg_value_bool(ntrue == 1);
        break;
    }
    return TG_OK;
}

static tg_status eval_reduce(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out)
{
    tg_value l, acc;
    tg_status st = list_operand(e, x, row, &l);
    if (st != TG_OK)
        return st;
    if ((st = tg_expr_eval(e->b, x, row, &acc)) != TG_OK)
        return st;
    if (l.kind == TG_VAL_NULL) {
        *out = tg_value_null();
        return TG_OK;
    }
    for (uint32_t i = 0; i < l.len; i++) {
        row[e->slot2] = acc;
        row[e->slot] = l.u.items[i];
        if ((st = tg_expr_eval(e->c, x, row, &acc)) != TG_OK)
            return st;
    }
    *out = acc;
    return TG_OK;
}

static tg_status eval_path(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out)
{
    size_t cap = 8, n = 0;
    tg_ent *nodes;
    tg_rel *rels;
    tg_value v;
    *out = tg_value_null();
    for (size_t i = 1; i < e->nargs; i += 2) {
        v = row[e->args[i]->slot];
        if (v.kind == TG_VAL_LIST)
            cap += v.len;
        else
            cap++;
    }
    nodes = tg_vmem_alloc(x->mem, (cap + 1) * sizeof *nodes);
    rels = tg_vmem_alloc(x->mem, cap * sizeof *rels);
    if (!nodes || !rels)
        return oom(x);
    v = row[e->args[0]->slot];
    if (v.kind != TG_VAL_NODE)
        return TG_OK;
    nodes[0] = v.u.node;
    for (size_t i = 1; i + 1 < e->nargs; i += 2) {
        tg_value r = row[e->args[i]->slot], end = row[e->args[i + 1]->slot];
        if (end.kind != TG_VAL_NODE)
            return TG_OK;
        if (r.kind == TG_VAL_REL) {
            rels[n] = r.u.rel;
            nodes[++n] = end.u.node;
        } else if (r.kind == TG_VAL_LIST) {
            for (uint32_t k = 0; k < r.len; k++) {
                tg_rel rr = r.u.items[k].u.rel;
                tg_ent cur = nodes[n];
                tg_ent f = tg_graph_rel_from(x->g, rr), t = tg_graph_rel_to(x->g, rr);
                rels[n] = rr;
                nodes[++n] = f == cur ? t : f;
            }
        } else
            return TG_OK;
    }
    *out = tg_value_path(x->mem, nodes, rels, n);
    return TG_OK;
}

static tg_status eval_subplan(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out)
{
    tg_value *sub = tg_vmem_alloc(x->mem, (x->width ? x->width : 1) * sizeof *sub);
    tg_value *items = NULL;
    size_t n = 0, cap = 0;
    int r;
    if (!sub)
        return oom(x);
    tg_op_argument_set(e->arg, row);
    if (tg_op_open(e->plan, x) != TG_OK)
        return x->err ? x->err->status : TG_ERUNTIME;
    while ((r = tg_op_next(e->plan, x, sub)) > 0) {
        if (e->kind == TG_E_EXISTS) {
            *out = tg_value_bool(1);
            tg_op_close(e->plan);
            return TG_OK;
        }
        if (e->kind == TG_E_COUNT) {
            n++;
            continue;
        }
        if (e->b) {
            int t;
            if (tg_expr_eval_pred(e->b, x, sub, &t) != TG_OK) {
                r = -1;
                break;
            }
            if (t != TG_TRI_TRUE)
                continue;
        }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            tg_value *ni = tg_vmem_alloc(x->mem, nc * sizeof *ni);
            if (!ni) {
                r = -1;
                break;
            }
            if (n)
                memcpy(ni, items, n * sizeof *ni);
            items = ni;
            cap = nc;
        }
        if (tg_expr_eval(e->c, x, sub, &items[n]) != TG_OK) {
            r = -1;
            break;
        }
        n++;
    }
    tg_op_close(e->plan);
    if (r < 0)
        return x->err && x->err->status != TG_OK ? x->err->status : TG_ERUNTIME;
    if (e->kind == TG_E_COUNT) {
        *out = tg_value_int((int64_t)n);
        return TG_OK;
    }
    *out = e->kind == TG_E_EXISTS ? tg_value_bool(0) : tg_value_list_ref(items, n);
    return nesting(x, e, out);
}

static tg_status eval_mapproj(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out)
{
    tg_value base;
    tg_status st = tg_expr_eval(e->a, x, row, &base);
    tg_vmap_entry *ents;
    size_t n = 0, cap = e->nargs;
    if (st != TG_OK)
        return st;
    *out = tg_value_null();
    if (base.kind == TG_VAL_NULL)
        return TG_OK;
    if (base.kind != TG_VAL_MAP && base.kind != TG_VAL_NODE && base.kind != TG_VAL_REL)
        return fail(x, e, TG_ETYPE, "InvalidArgumentType: a map projection needs a map, node "
                                    "or relationship, got a %s",
                    tg_value_kind_name((tg_vkind)base.kind));
    for (size_t i = 0; i < e->nargs; i++)
        if (e->flags[i] == 2)
            cap += base.kind == TG_VAL_MAP ? base.len : 64;
    ents = tg_vmem_alloc(x->mem, (cap ? cap : 1) * sizeof *ents);
    if (!ents)
        return oom(x);
    for (size_t i = 0; i < e->nargs; i++) {
        if (e->flags[i] == 2) {
            if (base.kind == TG_VAL_MAP) {
                for (uint32_t k = 0; k < base.len; k++)
                    ents[n++] = base.u.map[k];
            } else {
                tg_value all;
                const tg_value *args = &base;
                if ((st = tg_i_func_properties(x, args, 1, &all)) != TG_OK)
                    return st;
                for (uint32_t k = 0; k < all.len && n < cap; k++)
                    ents[n++] = all.u.map[k];
            }
            continue;
        }
        ents[n].key = e->names[i];
        ents[n].klen = (uint32_t)e->nlens[i];
        if (e->flags[i] == 1)
            ents[n].value = tg_value_property(x->g, x->mem, &base, e->names[i], e->nlens[i]);
        else if ((st = tg_expr_eval(e->args[i], x, row, &ents[n].value)) != TG_OK)
            return st;
        n++;
    }
    *out = tg_value_map(x->mem, ents, n);
    return out->kind == TG_VAL_MAP ? nesting(x, e, out) : oom(x);
}

tg_status tg_expr_eval(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out)
{
    tg_value b;
    tg_status st;
    switch (e->kind) {
    case TG_E_CONST: *out = e->val; return TG_OK;
    case TG_E_SLOT: *out = row[e->slot]; return TG_OK;
    case TG_E_PROP:
        if ((st = tg_expr_eval(e->a, x, row, &b)) != TG_OK)
            return st;
        if (b.kind == TG_VAL_NULL || b.kind == TG_VAL_NODE || b.kind == TG_VAL_REL ||
            b.kind == TG_VAL_MAP || tg_value_is_temporal(&b)) {
            if (tg_i_check_live(x, &b, &e->pos))
                return x->err->status;
            *out = tg_value_property_cached(x->g, x->mem, &b, e->key, e->klen,
                                            &((tg_expr *)e)->sym);
            return TG_OK;
        }
        return fail(x, e, TG_ETYPE,
                    "InvalidArgumentType: property access needs a node, relationship or map, "
                    "got a %s",
                    tg_value_kind_name((tg_vkind)b.kind));
    case TG_E_INDEX: return eval_index(e, x, row, out);
    case TG_E_SLICE: return eval_slice(e, x, row, out);
    case TG_E_UNARY: return eval_unary(e, x, row, out);
    case TG_E_BINARY: return eval_binary(e, x, row, out);
    case TG_E_LABELS: {
        if ((st = tg_expr_eval(e->a, x, row, &b)) != TG_OK)
            return st;
        *out = tg_value_null();
        if (b.kind == TG_VAL_NULL)
            return TG_OK;
        if (e->op == 1 && (b.kind == TG_VAL_NODE || b.kind == TG_VAL_REL)) {
            /* % : a node with any label; a relationship always has a type */
            const tg_sym *ls;
            *out = tg_value_bool(b.kind == TG_VAL_REL || tg_graph_labels(x->g, b.u.node, &ls) > 0);
            return TG_OK;
        }
        if (b.kind == TG_VAL_REL) {
            tg_sym t = tg_graph_rel_type(x->g, b.u.rel);
            int all = 1;
            for (size_t i = 0; i < e->nnames; i++)
                if (tg_graph_sym(x->g, e->names[i], e->nlens[i]) != t)
                    all = 0;
            *out = tg_value_bool(all);
            return TG_OK;
        }
        if (b.kind != TG_VAL_NODE)
            return fail(x, e, TG_ETYPE, "InvalidArgumentType: a label test needs a node, got a %s",
                        tg_value_kind_name((tg_vkind)b.kind));
        if (e->nnames <= TG_LABEL_CACHE) {
            /* The hot path of label filters: symbols and bitmaps resolved
             * once per graph generation, then one bit test per label. */
            tg_expr *c = (tg_expr *)e;
            uint64_t gen = tg_graph_generation(x->g);
            if (c->lstate == 0 || c->lgen != gen) {
                c->lstate = 1;
                c->lgen = gen;
                for (size_t i = 0; i < e->nnames; i++) {
                    c->lsym[i] = tg_graph_sym(x->g, e->names[i], e->nlens[i]);
                    c->lbits[i] = c->lsym[i] ? tg_graph_label_bitmap(x->g, c->lsym[i]) : NULL;
                    if (!c->lbits[i])
                        c->lstate = 2;
                }
            }
            *out = tg_value_bool(c->lstate == 1 && tg_bits_all(c->lbits, e->nnames, b.u.node));
            return TG_OK;
        }
        for (size_t i = 0; i < e->nnames; i++) {
            tg_sym s = tg_graph_sym(x->g, e->names[i], e->nlens[i]);
            if (!s || !tg_graph_has_label(x->g, b.u.node, s)) {
                *out = tg_value_bool(0);
                return TG_OK;
            }
        }
        *out = tg_value_bool(1);
        return TG_OK;
    }
    case TG_E_CALL: return eval_call(e, x, row, out);
    case TG_E_CASE: return eval_case(e, x, row, out);
    case TG_E_LIST: return eval_list(e, x, row, out);
    case TG_E_MAP: return eval_map(e, x, row, out);
    case TG_E_LISTCOMP: return eval_listcomp(e, x, row, out);
    case TG_E_QUANT: return eval_quant(e, x, row, out);
    case TG_E_REDUCE: return eval_reduce(e, x, row, out);
    case TG_E_PATH: return eval_path(e, x, row, out);
    case TG_E_EXISTS:
    case TG_E_PATCOMP:
    case TG_E_COUNT: return eval_subplan(e, x, row, out);
    case TG_E_MAPPROJ: return eval_mapproj(e, x, row, out);
    }
    *out = tg_value_null();
    return TG_OK;
}

tg_status tg_expr_eval_pred(const tg_expr *e, tg_exec *x, tg_value *row, int *truth)
{
    tg_value v;
    tg_status st = tg_expr_eval(e, x, row, &v);
    *truth = TG_TRI_NULL;
    if (st != TG_OK)
        return st;
    if (v.kind == TG_VAL_NULL)
        return TG_OK;
    if (v.kind != TG_VAL_BOOL)
        return fail(x, e, TG_ETYPE, "InvalidArgumentType: expected a boolean, got a %s",
                    tg_value_kind_name((tg_vkind)v.kind));
    *truth = v.u.b ? TG_TRI_TRUE : TG_TRI_FALSE;
    return TG_OK;
}
