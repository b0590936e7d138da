/* planner.c — clause by clause, from the AST to one pipeline of operators.
 *
 * MATCH: every pattern variable gets a slot; WHERE is split into conjuncts,
 * and node property maps become equality conjuncts. Each path starts at its
 * cheapest node (already bound < id seek < property seek < smallest label
 * scan < all nodes) and expands outward, left and right. A conjunct becomes
 * a filter right after the operator that binds the last pattern slot it
 * reads; a conjunct that reads none of them goes first. Relationship
 * isomorphism: each expansion checks the relations bound so far by the same
 * clause.
 *
 * WITH / RETURN: aggregation (keys are the items without aggregates), then a
 * projection into fresh slots, DISTINCT, ORDER BY (which may read the
 * projected aliases and, without aggregation or DISTINCT, the earlier
 * variables), SKIP / LIMIT, and WITH's WHERE.
 */
#include "planner.h"

#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CHECK(x)                                                                         \
    do {                                                                                 \
        if (!(x))                                                                        \
            goto fail;                                                                   \
    } while (0)

static tg_status nomem(tg_binder *b)
{
    return tg_bind_error(b, TG_ENOMEM, NULL, "out of memory");
}

static tg_status failed(tg_binder *b)
{
    return b->err && b->err->status != TG_OK ? b->err->status : TG_ENOMEM;
}

/* ---- pattern model ----------------------------------------------------------- */

typedef struct pnode {
    int slot;
    tg_names labels;
    long label_conj; /* the conjunct testing labels, -1: none (or not yet made) */
    const tg_ast_pos *pos;
    const char **keys; /* property map */
    tg_expr **vals;
    size_t nprops;
} pnode;

/* A quantified path pattern in a relationship's place: its inner pattern
 * planned as a sub-plan, and what the Repeat operator needs. */
typedef struct qppinfo {
    tg_op *sub, *arg;
    int inner_first, inner_last, at_slot;
    int *inner_rels;
    size_t n_inner_rels;
    int *group_inner, *group_outer;
    size_t ngroups;
} qppinfo;

typedef struct prel {
    int slot;
    tg_names types;
    tg_ast_direction dir;
    int varlen;
    long min, max;
    qppinfo *qpp; /* NULL: a relationship */
} prel;

typedef struct ppath {
    pnode *nodes;
    prel *rels;
    size_t nrels;
    int path_slot;
    tg_ast_path_kind kind;
    const tg_ast_path *ast;
} ppath;

typedef struct conj {
    tg_expr *e;
    int placed;
} conj;

typedef struct mctx {
    tg_binder *b;
    size_t nslots;
    char *in_clause; /* slot declared by this clause */
    char *bound;     /* slot bound so far (1 for every slot not of this clause) */
    conj *conjs;
    size_t nconj, capconj;
    int *uniq;
    size_t nuniq;
    ppath *paths;
    size_t npaths;
    size_t total_rels; /* relationship patterns in the clause */
} mctx;

static void mctx_destroy(mctx *m)
{
    free(m->in_clause);
    free(m->bound);
    free(m->conjs);
    memset(m, 0, sizeof *m);
}

static tg_status add_conj(mctx *m, tg_expr *e)
{
    if (e->kind == TG_E_BINARY && e->op == TG_AST_OP_AND) {
        tg_status st = add_conj(m, e->a);
        return st == TG_OK ? add_conj(m, e->b) : st;
    }
    if (m->nconj == m->capconj) {
        size_t nc = m->capconj ? m->capconj * 2 : 16;
        conj *n = realloc(m->conjs, nc * sizeof *n);
        if (!n)
            return nomem(m->b);
        m->conjs = n;
        m->capconj = nc;
    }
    m->conjs[m->nconj].e = e;
    m->conjs[m->nconj].placed = 0;
    m->nconj++;
    return TG_OK;
}

typedef struct depctx {
    const mctx *m;
    int ready;
} depctx;

static void dep_check(void *ctx, int slot)
{
    depctx *d = ctx;
    if (slot < 0) {
        for (size_t s = 0; s < d->m->nslots; s++)
            if (d->m->in_clause[s] && !d->m->bound[s])
                d->ready = 0;
        return;
    }
    if ((size_t)slot < d->m->nslots && !d->m->bound[slot])
        d->ready = 0;
}

static int ready(const mctx *m, const tg_expr *e)
{
    depctx d = {m, 1};
    tg_expr_slots(e, dep_check, &d);
    return d.ready;
}

static tg_status place(mctx *m, tg_op **cur)
{
    if (tg_bind_past_deadline(m->b))
        return failed(m->b); /* planning a huge pattern counts against the time limit */
    for (size_t i = 0; i < m->nconj; i++) {
        if (m->conjs[i].placed || !ready(m, m->conjs[i].e))
            continue;
        *cur = tg_op_filter(m->b->arena, *cur, m->conjs[i].e);
        if (!*cur)
            return nomem(m->b);
        m->conjs[i].placed = 1;
    }
    return TG_OK;
}

static tg_names names_of(const char **names, size_t n)
{
    tg_names t;
    t.names = names;
    t.n = n;
    return t;
}

static tg_dir dir_of(tg_ast_direction d, int backwards)
{
    if (d == TG_AST_DIR_BOTH)
        return TG_DIR_BOTH;
    if (d == TG_AST_DIR_RIGHT)
        return backwards ? TG_DIR_IN : TG_DIR_OUT;
    return backwards ? TG_DIR_OUT : TG_DIR_IN;
}

/* Binds a property map (a map literal or a parameter holding a map) into
 * keys and value expressions. */
static tg_status bind_props(tg_binder *b, const tg_ast_expr *props, const char ***keys,
                            tg_expr ***vals, size_t *n)
{
    *n = 0;
    *keys = NULL;
    *vals = NULL;
    if (!props)
        return TG_OK;
    if (props->kind == TG_AST_PARAM)
        return tg_bind_error(b, TG_ESYNTAX, &props->pos,
                             "InvalidParameterUse: a parameter cannot stand for the property "
                             "map of a pattern to match; write {key: $param}");
    if (props->kind == TG_AST_MAP) {
        size_t k = props->u.map.n_entries;
        *keys = tg_arena_calloc(b->arena, k ? k : 1, sizeof **keys);
        *vals = tg_arena_calloc(b->arena, k ? k : 1, sizeof **vals);
        if (!*keys || !*vals)
            return nomem(b);
        for (size_t i = 0; i < k; i++) {
            (*keys)[i] = props->u.map.keys[i];
            if (!((*vals)[i] = tg_bind_expr(b, props->u.map.values[i])))
                return failed(b);
        }
        *n = k;
        return TG_OK;
    }
    {
        tg_expr *e = tg_bind_expr(b, props);
        if (!e)
            return failed(b);
        if (e->kind != TG_E_CONST || e->val.kind != TG_VAL_MAP)
            return tg_bind_error(b, TG_ESYNTAX, &props->pos,
                                 "InvalidParameterUse: a property map must be a map");
        size_t k = e->val.len;
        *keys = tg_arena_calloc(b->arena, k ? k : 1, sizeof **keys);
        *vals = tg_arena_calloc(b->arena, k ? k : 1, sizeof **vals);
        if (!*keys || !*vals)
            return nomem(b);
        for (size_t i = 0; i < k; i++) {
            (*keys)[i] = e->val.u.map[i].key;
            if (!((*vals)[i] = tg_bind_const(b, e->val.u.map[i].value, &props->pos)))
                return failed(b);
        }
        *n = k;
        return TG_OK;
    }
}

static tg_expr *prop_eq(tg_binder *b, int slot, const char *key, tg_expr *val,
                        const tg_ast_pos *pos)
{
    tg_expr *p = tg_arena_alloc(b->arena, sizeof *p);
    if (!p)
        return NULL;
    p->kind = TG_E_PROP;
    p->pos = *pos;
    p->key = key;
    p->klen = strlen(key);
    p->slot = p->slot2 = -1;
    p->a = tg_bind_slot(b, slot, pos);
    if (!p->a)
        return NULL;
    return tg_bind_binary(b, TG_AST_OP_EQ, p, val, pos);
}

static tg_expr *labels_pred(tg_binder *b, int slot, tg_names labels, const tg_ast_pos *pos)
{
    tg_expr *e = tg_arena_alloc(b->arena, sizeof *e);
    if (!e)
        return NULL;
    e->kind = TG_E_LABELS;
    e->pos = *pos;
    e->slot = e->slot2 = -1;
    e->a = tg_bind_slot(b, slot, pos);
    e->names = labels.names;
    e->nlens = tg_arena_calloc(b->arena, labels.n ? labels.n : 1, sizeof *e->nlens);
    if (!e->nlens || !e->a)
        return NULL;
    for (size_t i = 0; i < labels.n; i++)
        e->nlens[i] = strlen(labels.names[i]);
    e->nnames = labels.n;
    return e;
}

static tg_status plan_paths(mctx *m, tg_op **cur);
static tg_status path_conjuncts(tg_binder *b, const tg_ast_path *ap, ppath *pp, mctx *m);
static tg_status add_conj(mctx *m, tg_expr *e);
static tg_status mctx_ready(mctx *m, size_t total_rels);
static void mark_clause(mctx *m, int slot, int pre_bound);
static void mctx_destroy(mctx *m);

/* Collects the names of the inner pattern's variables (its nodes and
 * relationships), which become group variables outside. */
static int inner_named(const tg_ast_path *ap, size_t i, const char **name, tg_ast_pos *pos,
                       int *is_node)
{
    size_t k = 0;
    for (size_t n = 0; n <= ap->n_rels; n++) {
        if (ap->nodes[n].var && k++ == i) {
            *name = ap->nodes[n].var;
            *pos = ap->nodes[n].pos;
            *is_node = 1;
            return 1;
        }
        if (n < ap->n_rels && ap->rels[n].var && k++ == i) {
            *name = ap->rels[n].var;
            *pos = ap->rels[n].pos;
            *is_node = 0;
            return 1;
        }
    }
    return 0;
}

static tg_status declare_path(tg_binder *b, const tg_ast_path *ap, size_t clause_mark,
                              ppath *pp, mctx *m);

/* Plans the inner pattern of a quantified path pattern as a sub-plan whose
 * leaf replays a row with the inner first node set, and declares its named
 * variables outside as group variables (lists). */
static tg_status plan_qpp(tg_binder *b, const tg_ast_rel_pattern *rp, prel *r)
{
    const tg_ast_path *in = rp->qpp;
    size_t mark = b->nscope, ngroups = 0;
    int first_new = b->nslots;
    qppinfo *q = tg_arena_calloc(b->arena, 1, sizeof *q);
    mctx im;
    ppath *ip;
    tg_status st = TG_OK;
    const char *name = NULL;
    tg_ast_pos pos;
    int is_node;
    if (!q)
        return nomem(b);
    for (size_t i = 0; i < in->n_rels; i++)
        if (in->rels[i].var_length || in->rels[i].qpp)
            return tg_bind_error(b, TG_ESYNTAX, &in->rels[i].pos,
                                 "UnexpectedSyntax: a quantified path pattern cannot hold a "
                                 "variable-length relationship or another quantified pattern");
    while (inner_named(in, ngroups, &name, &pos, &is_node)) {
        if (tg_bind_lookup(b, name))
            return tg_bind_error(b, TG_ESYNTAX, &pos,
                                 "VariableAlreadyBound: '%s' is defined outside the quantified "
                                 "path pattern",
                                 name);
        ngroups++;
    }
    memset(&im, 0, sizeof im);
    im.b = b;
    im.npaths = 1;
    im.paths = ip = tg_arena_calloc(b->arena, 1, sizeof *ip);
    if (!ip)
        return nomem(b);
    st = declare_path(b, in, mark, ip, &im);
    if (st == TG_OK)
        st = path_conjuncts(b, in, ip, &im);
    if (st == TG_OK && rp->qpp_where) {
        tg_expr *w = tg_bind_expr(b, rp->qpp_where);
        st = w ? add_conj(&im, w) : failed(b);
    }
    if (st == TG_OK)
        st = mctx_ready(&im, in->n_rels);
    if (st == TG_OK) {
        /* the inner first node is given by the argument row */
        for (size_t k = 0; k <= ip->nrels; k++) {
            mark_clause(&im, ip->nodes[k].slot, k == 0);
            if (k < ip->nrels)
                mark_clause(&im, ip->rels[k].slot, 0);
        }
        q->arg = tg_op_argument(b->arena);
        q->sub = q->arg;
        if (!q->arg)
            st = nomem(b);
    }
    if (st == TG_OK)
        st = plan_paths(&im, &q->sub);
    mctx_destroy(&im);
    if (st != TG_OK)
        return st;
    q->inner_first = ip->nodes[0].slot;
    q->inner_last = ip->nodes[ip->nrels].slot;
    q->n_inner_rels = ip->nrels;
    q->inner_rels = tg_arena_calloc(b->arena, ip->nrels + 1, sizeof *q->inner_rels);
    q->group_inner = tg_arena_calloc(b->arena, ngroups + 1, sizeof *q->group_inner);
    q->group_outer = tg_arena_calloc(b->arena, ngroups + 1, sizeof *q->group_outer);
    if (!q->inner_rels || !q->group_inner || !q->group_outer)
        return nomem(b);
    for (size_t k = 0; k < ip->nrels; k++)
        q->inner_rels[k] = ip->rels[k].slot;
    /* the inner names end here; outside they are lists, one item per iteration */
    for (size_t g = 0; g < ngroups; g++) {
        tg_var *v;
        inner_named(in, g, &name, &pos, &is_node);
        v = tg_bind_lookup(b, name);
        q->group_inner[g] = v ? v->slot : -1;
    }
    b->nscope = mark;
    for (size_t g = 0; g < ngroups; g++) {
        inner_named(in, g, &name, &pos, &is_node);
        if ((q->group_outer[g] = tg_bind_declare(b, name, TG_VT_VALUE)) < 0)
            return nomem(b);
        tg_bind_set_slot_kind(b, q->group_outer[g], TG_VAL_LIST);
    }
    q->ngroups = ngroups;
    (void)first_new;
    q->at_slot = tg_bind_new_slot(b);
    r->slot = tg_bind_new_slot(b); /* every relationship walked, in order */
    r->qpp = q;
    r->varlen = 1;
    r->min = rp->min_hops < 0 ? 0 : rp->min_hops;
    r->max = rp->max_hops;
    r->dir = TG_AST_DIR_RIGHT;
    return TG_OK;
}

/* Declares the variables of one path of a MATCH (or of a pattern
 * expression when local is set: no new named variables outside it). */
static tg_status declare_path(tg_binder *b, const tg_ast_path *ap, size_t clause_mark,
                              ppath *pp, mctx *m)
{
    pp->ast = ap;
    pp->kind = ap->kind;
    pp->nrels = ap->n_rels;
    pp->nodes = tg_arena_calloc(b->arena, ap->n_rels + 1, sizeof *pp->nodes);
    pp->rels = tg_arena_calloc(b->arena, ap->n_rels ? ap->n_rels : 1, sizeof *pp->rels);
    pp->path_slot = -1;
    if (!pp->nodes || !pp->rels)
        return nomem(b);
    for (size_t i = 0; i <= ap->n_rels; i++) {
        const tg_ast_node_pattern *np = &ap->nodes[i];
        pnode *n = &pp->nodes[i];
        n->pos = &np->pos;
        n->labels = names_of(np->labels, np->n_labels);
        if (np->var) {
            tg_var *v = tg_bind_lookup(b, np->var);
            if (v) {
                if (v->type != TG_VT_NODE && v->type != TG_VT_ANY)
                    return tg_bind_error(b, TG_ESYNTAX, &np->pos,
                                         "VariableTypeConflict: '%s' is not a node", np->var);
                n->slot = v->slot;
            } else if ((n->slot = tg_bind_declare(b, np->var, TG_VT_NODE)) < 0)
                return nomem(b);
        } else
            n->slot = tg_bind_new_slot(b);
    }
    for (size_t i = 0; i < ap->n_rels; i++) {
        const tg_ast_rel_pattern *rp = &ap->rels[i];
        prel *r = &pp->rels[i];
        if (rp->qpp) {
            tg_status st;
            if (!m)
                return tg_bind_error(b, TG_ESYNTAX, &rp->pos,
                                     "UnexpectedSyntax: a quantified path pattern belongs in "
                                     "MATCH");
            if ((st = plan_qpp(b, rp, r)) != TG_OK)
                return st;
            continue;
        }
        r->types = names_of(rp->types, rp->n_types);
        r->dir = rp->direction;
        r->varlen = rp->var_length;
        r->min = rp->var_length ? (rp->min_hops < 0 ? 1 : rp->min_hops) : 1;
        r->max = rp->var_length ? rp->max_hops : 1;
        if (rp->var) {
            tg_var *v = tg_bind_lookup(b, rp->var);
            if (v) {
                size_t idx = (size_t)(v - b->scope);
                if (v->type == TG_VT_NODE || v->type == TG_VT_PATH ||
                    (v->type == TG_VT_VALUE && !rp->var_length))
                    return tg_bind_error(b, TG_ESYNTAX, &rp->pos,
                                         "VariableTypeConflict: '%s' is not a relationship",
                                         rp->var);
                if (idx >= clause_mark)
                    return tg_bind_error(b, TG_ESYNTAX, &rp->pos,
                                         "RelationshipUniquenessViolation: relationship '%s' "
                                         "is used twice in one pattern",
                                         rp->var);
                /* bound earlier: expand into a hidden slot and compare */
                r->slot = tg_bind_new_slot(b);
                if (m) {
                    tg_expr *l = tg_bind_slot(b, r->slot, &rp->pos);
                    tg_expr *old = tg_bind_slot(b, v->slot, &rp->pos);
                    tg_expr *eq = l && old ? tg_bind_binary(b, TG_AST_OP_EQ, l, old, &rp->pos)
                                           : NULL;
                    if (!eq || add_conj(m, eq) != TG_OK)
                        return nomem(b);
                }
            } else if ((r->slot = tg_bind_declare(b, rp->var, rp->var_length ? TG_VT_RELLIST
                                                                              : TG_VT_REL)) < 0)
                return nomem(b);
        } else
            r->slot = tg_bind_new_slot(b);
    }
    if (ap->var) {
        if (tg_bind_lookup(b, ap->var))
            return tg_bind_error(b, TG_ESYNTAX, &ap->pos,
                                 "VariableAlreadyBound: '%s' is already defined", ap->var);
        if ((pp->path_slot = tg_bind_declare(b, ap->var, TG_VT_PATH)) < 0)
            return nomem(b);
    }
    return TG_OK;
}

/* Property maps and relationship properties become conjuncts. */
static tg_status path_conjuncts(tg_binder *b, const tg_ast_path *ap, ppath *pp, mctx *m)
{
    for (size_t i = 0; i <= ap->n_rels; i++) {
        pnode *n = &pp->nodes[i];
        tg_status st = bind_props(b, ap->nodes[i].properties, &n->keys, &n->vals, &n->nprops);
        if (st != TG_OK)
            return st;
        for (size_t k = 0; k < n->nprops; k++) {
            tg_expr *eq = prop_eq(b, n->slot, n->keys[k], n->vals[k], n->pos);
            if (!eq || (st = add_conj(m, eq)) != TG_OK)
                return st != TG_OK ? st : nomem(b);
        }
        n->label_conj = -1;
        if (n->labels.n) {
            tg_expr *lp = labels_pred(b, n->slot, n->labels, n->pos);
            if (!lp || (st = add_conj(m, lp)) != TG_OK)
                return st != TG_OK ? st : nomem(b);
            n->label_conj = (long)m->nconj - 1;
        }
        if (ap->nodes[i].where) {
            /* (n:A WHERE n.x > 1): one more condition of the MATCH */
            tg_expr *w = tg_bind_expr(b, ap->nodes[i].where);
            if (!w || (st = add_conj(m, w)) != TG_OK)
                return !w ? failed(b) : st;
        }
        if (ap->nodes[i].label_expr) {
            /* (n:A|B), (n:!A): a filter (the scan cannot narrow by it) */
            tg_expr *base = tg_bind_slot(b, n->slot, n->pos);
            tg_expr *lp = base ? tg_bind_label_expr(b, base, ap->nodes[i].label_expr) : NULL;
            if (!lp || (st = add_conj(m, lp)) != TG_OK)
                return st != TG_OK ? st : failed(b);
        }
    }
    for (size_t i = 0; i < ap->n_rels; i++) {
        const tg_ast_rel_pattern *rp = &ap->rels[i];
        tg_expr *w;
        tg_status st;
        if (!rp->where)
            continue;
        if (pp->rels[i].varlen)
            return tg_bind_error(b, TG_ESYNTAX, &rp->where->pos,
                                 "UnexpectedSyntax: WHERE inside a variable-length relationship "
                                 "is not allowed; write all(r IN rels WHERE ...) in the MATCH's "
                                 "WHERE, or a quantified path pattern");
        if (!(w = tg_bind_expr(b, rp->where)))
            return failed(b);
        if ((st = add_conj(m, w)) != TG_OK)
            return st;
    }
    for (size_t i = 0; i < ap->n_rels; i++) {
        const tg_ast_rel_pattern *rp = &ap->rels[i];
        tg_expr *tp;
        if (!rp->type_expr)
            continue;
        /* [r:!T], [:(A|B)&!C]: a condition on the type of each relation */
        if (pp->rels[i].varlen) {
            int xs = tg_bind_new_slot(b);
            tg_expr *q = tg_arena_alloc(b->arena, sizeof *q), *base = tg_bind_slot(b, xs, &rp->pos);
            if (!q || !base)
                return nomem(b);
            q->kind = TG_E_QUANT;
            q->op = TG_AST_QUANT_ALL;
            q->pos = rp->pos;
            q->slot = xs;
            q->slot2 = -1;
            q->a = tg_bind_slot(b, pp->rels[i].slot, &rp->pos);
            q->b = tg_bind_label_expr(b, base, rp->type_expr);
            if (!q->a || !q->b)
                return failed(b);
            tp = q;
        } else {
            tg_expr *base = tg_bind_slot(b, pp->rels[i].slot, &rp->pos);
            if (!base || !(tp = tg_bind_label_expr(b, base, rp->type_expr)))
                return failed(b);
        }
        {
            tg_status st = add_conj(m, tp);
            if (st != TG_OK)
                return st;
        }
    }
    for (size_t i = 0; i < ap->n_rels; i++) {
        const char **keys;
        tg_expr **vals;
        size_t np;
        tg_status st = bind_props(b, ap->rels[i].properties, &keys, &vals, &np);
        if (st != TG_OK)
            return st;
        for (size_t k = 0; k < np; k++) {
            tg_expr *eq;
            if (pp->rels[i].varlen) {
                /* every relation of the list must match: all(x IN r WHERE x.k = v) */
                tg_expr *q = tg_arena_alloc(b->arena, sizeof *q);
                int xs = tg_bind_new_slot(b);
                if (!q)
                    return nomem(b);
                q->kind = TG_E_QUANT;
                q->op = TG_AST_QUANT_ALL;
                q->pos = ap->rels[i].pos;
                q->slot = xs;
                q->slot2 = -1;
                q->a = tg_bind_slot(b, pp->rels[i].slot, &ap->rels[i].pos);
                q->b = prop_eq(b, xs, keys[k], vals[k], &ap->rels[i].pos);
                if (!q->a || !q->b)
                    return nomem(b);
                eq = q;
            } else
                eq = prop_eq(b, pp->rels[i].slot, keys[k], vals[k], &ap->rels[i].pos);
            if (!eq || (st = add_conj(m, eq)) != TG_OK)
                return st != TG_OK ? st : nomem(b);
        }
    }
    return TG_OK;
}

static tg_status mctx_ready(mctx *m, size_t total_rels)
{
    m->nslots = (size_t)m->b->nslots;
    m->in_clause = calloc(m->nslots + 1, 1);
    m->bound = malloc(m->nslots + 1);
    m->uniq = tg_arena_calloc(m->b->arena, total_rels + 1, sizeof *m->uniq);
    m->total_rels = total_rels;
    if (!m->in_clause || !m->bound || !m->uniq)
        return nomem(m->b);
    memset(m->bound, 1, m->nslots + 1);
    return TG_OK;
}

static void mark_clause(mctx *m, int slot, int pre_bound)
{
    if (slot < 0 || (size_t)slot >= m->nslots)
        return;
    if (!pre_bound) {
        m->in_clause[slot] = 1;
        m->bound[slot] = 0;
    }
}

/* An equality n.key = e (or n.key IN e: *in_list set) usable for a seek of
 * node slot (e independent of the node). */
static int seek_candidate(const mctx *m, const tg_expr *c, int slot, const char **key,
                          tg_expr **val, int *in_list)
{
    const tg_expr *p, *v;
    *in_list = 0;
    if (c->kind == TG_E_BINARY && c->op == TG_AST_OP_IN) {
        p = c->a;
        v = c->b;
        if (p->kind == TG_E_PROP && p->a->kind == TG_E_SLOT && p->a->slot == slot &&
            ready(m, v)) {
            *key = p->key;
            *val = (tg_expr *)v;
            *in_list = 1;
            return 1;
        }
        return 0;
    }
    if (c->kind != TG_E_BINARY || c->op != TG_AST_OP_EQ)
        return 0;
    for (int side = 0; side < 2; side++) {
        p = side ? c->b : c->a;
        v = side ? c->a : c->b;
        if (p->kind == TG_E_PROP && p->a->kind == TG_E_SLOT && p->a->slot == slot &&
            ready(m, v)) {
            *key = p->key;
            *val = (tg_expr *)v;
            return 1;
        }
        /* elementId(n) = v: a node's element id is its id */
        if (p->kind == TG_E_CALL && strcmp(p->fn->name, "elementid") == 0 &&
            p->args[0]->kind == TG_E_SLOT && p->args[0]->slot == slot && ready(m, v)) {
            *key = "id";
            *val = (tg_expr *)v;
            return 1;
        }
    }
    return 0;
}

/* Emits the operator that binds node n (not yet bound) and returns its cost
 * class in *cost when dry_run. */
static double node_cost(mctx *m, const pnode *n, const char **key, tg_expr **val, int *by_id,
                        int *in_list, tg_names *labels)
{
    tg_binder *b = m->b;
    double best = (double)tg_graph_entity_count(b->g) + 1.0;
    *key = NULL;
    *val = NULL;
    *by_id = 0;
    *in_list = 0;
    *labels = n->labels;
    if (m->bound[n->slot])
        return 0;
    for (size_t i = 0; i < m->nconj; i++) {
        const char *k;
        tg_expr *v;
        int inl;
        if (seek_candidate(m, m->conjs[i].e, n->slot, &k, &v, &inl)) {
            int id = strcmp(k, "id") == 0;
            double c = (id ? 1.0 : 10.0) * (inl ? 4.0 : 1.0);
            if (c < best || (c == best && id)) {
                best = c;
                *key = k;
                *val = v;
                *by_id = id;
                *in_list = inl;
            }
        }
    }
    for (size_t i = 0; i < n->labels.n; i++) {
        tg_sym s = tg_graph_sym(b->g, n->labels.names[i], strlen(n->labels.names[i]));
        const tg_ent *arr;
        double c = s ? (double)tg_graph_label_entities(b->g, s, &arr) : 0.0;
        if (c + 2.0 < best) {
            best = c + 2.0; /* a scan must beat a seek by a margin */
            *key = NULL;
            *val = NULL;
            *by_id = 0;
            *in_list = 0;
        }
    }
    return best;
}

/* The operator that binds n checks its labels: the label conjunct would
 * only test them again. */
static void labels_checked(mctx *m, const pnode *n, tg_names checked)
{
    if (n->label_conj >= 0 && (size_t)n->label_conj < m->nconj && checked.n == n->labels.n &&
        n->labels.n > 0)
        m->conjs[n->label_conj].placed = 1;
}

static tg_status bind_node(mctx *m, const pnode *n, tg_op **cur)
{
    const char *key;
    tg_expr *val;
    int by_id, in_list;
    tg_names labels;
    if (m->bound[n->slot])
        return TG_OK;
    node_cost(m, n, &key, &val, &by_id, &in_list, &labels);
    if (key)
        *cur = tg_op_seek(m->b->arena, *cur, n->slot, by_id, in_list, key, val, labels);
    else
        *cur = tg_op_scan(m->b->arena, *cur, n->slot, labels);
    if (!*cur)
        return nomem(m->b);
    m->bound[n->slot] = 1;
    labels_checked(m, n, labels);
    return place(m, cur);
}

static tg_status expand_step(mctx *m, ppath *pp, size_t ri, int backwards, tg_op **cur)
{
    prel *r = &pp->rels[ri];
    pnode *from = &pp->nodes[backwards ? ri + 1 : ri];
    pnode *to = &pp->nodes[backwards ? ri : ri + 1];
    int to_bound = m->bound[to->slot];
    tg_names labels = to_bound ? names_of(NULL, 0) : to->labels;
    if (r->qpp) {
        tg_repeat_spec spec;
        memset(&spec, 0, sizeof spec);
        spec.sub = r->qpp->sub;
        spec.arg = r->qpp->arg;
        spec.from = from->slot;
        spec.to = to->slot;
        spec.to_bound = to_bound;
        spec.at_slot = r->qpp->at_slot;
        spec.rels_slot = r->slot;
        spec.inner_first = r->qpp->inner_first;
        spec.inner_last = r->qpp->inner_last;
        spec.inner_rels = r->qpp->inner_rels;
        spec.n_inner_rels = r->qpp->n_inner_rels;
        spec.group_inner = r->qpp->group_inner;
        spec.group_outer = r->qpp->group_outer;
        spec.ngroups = r->qpp->ngroups;
        spec.min = r->min;
        spec.max = r->max;
        spec.uniq = m->uniq;
        spec.nuniq = m->nuniq;
        *cur = tg_op_repeat(m->b->arena, *cur, &spec);
        if (!*cur)
            return nomem(m->b);
        m->uniq[m->nuniq++] = r->slot;
        m->bound[r->slot] = 1;
        m->bound[to->slot] = 1;
        for (size_t g = 0; g < r->qpp->ngroups; g++)
            m->bound[r->qpp->group_outer[g]] = 1;
        return place(m, cur);
    }
    if (r->varlen) {
        /* an anonymous var-length relationship that nothing reads (no path
           variable, no other relationship to stay distinct from) needs no
           list per row */
        int rel_slot = r->slot;
        if (!pp->ast->rels[ri].var && !pp->ast->rels[ri].properties &&
            !pp->ast->rels[ri].type_expr && pp->path_slot < 0 && m->total_rels == 1)
            rel_slot = -1;
        *cur = tg_op_varexpand(m->b->arena, *cur, from->slot, rel_slot, to->slot,
                               dir_of(r->dir, backwards), r->types, r->min, r->max, labels,
                               to_bound, m->uniq, m->nuniq, backwards);
    } else
        *cur = tg_op_expand(m->b->arena, *cur, from->slot, r->slot, to->slot,
                            dir_of(r->dir, backwards), r->types, labels, to_bound, m->uniq,
                            m->nuniq);
    if (!*cur)
        return nomem(m->b);
    labels_checked(m, to, labels);
    m->uniq[m->nuniq++] = r->slot;
    m->bound[r->slot] = 1;
    m->bound[to->slot] = 1;
    return place(m, cur);
}

static tg_status path_value(mctx *m, ppath *pp, tg_op **cur)
{
    tg_binder *b = m->b;
    tg_expr *e;
    tg_expr **exprs;
    int *slots;
    size_t n = 2 * pp->nrels + 1;
    if (pp->path_slot < 0)
        return TG_OK;
    e = tg_arena_alloc(b->arena, sizeof *e);
    exprs = tg_arena_alloc(b->arena, sizeof *exprs);
    slots = tg_arena_alloc(b->arena, sizeof *slots);
    if (!e || !exprs || !slots)
        return nomem(b);
    e->kind = TG_E_PATH;
    e->pos = pp->ast->pos;
    e->slot = e->slot2 = -1;
    e->nargs = n;
    e->args = tg_arena_calloc(b->arena, n, sizeof *e->args);
    if (!e->args)
        return nomem(b);
    for (size_t i = 0; i <= pp->nrels; i++) {
        e->args[2 * i] = tg_bind_slot(b, pp->nodes[i].slot, &pp->ast->pos);
        if (i < pp->nrels)
            e->args[2 * i + 1] = tg_bind_slot(b, pp->rels[i].slot, &pp->ast->pos);
    }
    exprs[0] = e;
    slots[0] = pp->path_slot;
    *cur = tg_op_project(b->arena, *cur, exprs, slots, 1);
    if (!*cur)
        return nomem(b);
    m->bound[pp->path_slot] = 1;
    return place(m, cur);
}

/* Whether e is nodes(p) / relationships(p) (name) for path slot ps, possibly
 * sliced [1..-1] (*interior set). */
static int path_list(const tg_expr *e, int ps, const char *name, int *interior)
{
    *interior = 0;
    if (e->kind == TG_E_SLICE && e->b && e->c && e->b->kind == TG_E_CONST &&
        e->c->kind == TG_E_CONST && e->b->val.kind == TG_VAL_INT && e->b->val.u.i == 1 &&
        e->c->val.kind == TG_VAL_INT && e->c->val.u.i == -1) {
        *interior = 1;
        e = e->a;
    }
    return e->kind == TG_E_CALL && e->fn && strcmp(e->fn->name, name) == 0 && e->nargs == 1 &&
           e->args[0]->kind == TG_E_SLOT && e->args[0]->slot == ps;
}

/* Hands WHERE all/none(x IN nodes(p) | relationships(p) WHERE ...) over to
 * the shortest-path search of path pp (the conjuncts stay as filters). */
static void push_path_predicates(mctx *m, ppath *pp, tg_op *sp)
{
    tg_expr *np = NULL, *rp = NULL;
    int ns = -1, rs = -1, nnone = 0, rnone = 0, interior = 0;
    if (pp->path_slot < 0)
        return;
    for (size_t i = 0; i < m->nconj; i++) {
        const tg_expr *c = m->conjs[i].e;
        int inner;
        if (c->kind != TG_E_QUANT || (c->op != TG_AST_QUANT_ALL && c->op != TG_AST_QUANT_NONE))
            continue;
        if (!ready(m, c->b))
            continue; /* the predicate reads something not bound yet (p itself) */
        if (!np && path_list(c->a, pp->path_slot, "nodes", &inner)) {
            np = c->b;
            ns = c->slot;
            nnone = c->op == TG_AST_QUANT_NONE;
            interior = inner;
        } else if (!rp && path_list(c->a, pp->path_slot, "relationships", &inner) && !inner) {
            rp = c->b;
            rs = c->slot;
            rnone = c->op == TG_AST_QUANT_NONE;
        }
    }
    if (np || rp)
        tg_op_shortest_set_filters(sp, np, ns, nnone, interior, rp, rs, rnone);
}

/* Hands the conditions that read a shortest path (and nothing unbound) to
 * its search as a path filter: the search then looks for the shortest paths
 * that pass them, not only tests the shortest one (the conditions also stay
 * as filters above). */
static tg_status path_filter(mctx *m, tg_op *sp)
{
    tg_expr **conds = NULL;
    size_t n = 0;
    for (size_t i = 0; i < m->nconj; i++)
        if (!m->conjs[i].placed && ready(m, m->conjs[i].e))
            n++;
    if (n == 0)
        return TG_OK;
    conds = tg_arena_calloc(m->b->arena, n, sizeof *conds);
    if (!conds)
        return nomem(m->b);
    n = 0;
    for (size_t i = 0; i < m->nconj; i++)
        if (!m->conjs[i].placed && ready(m, m->conjs[i].e))
            conds[n++] = m->conjs[i].e;
    tg_op_shortest_set_path_filter(sp, conds, n);
    return TG_OK;
}

static tg_status plan_path(mctx *m, ppath *pp, tg_op **cur)
{
    tg_status st;
    size_t start = 0;
    double best = -1;
    if (pp->kind != TG_AST_PATH_PLAIN) {
        prel *r = &pp->rels[0];
        if (pp->nrels != 1)
            return tg_bind_error(m->b, TG_ESYNTAX, &pp->ast->pos,
                                 "UnexpectedSyntax: shortestPath needs a single relationship "
                                 "pattern");
        if ((st = bind_node(m, &pp->nodes[0], cur)) != TG_OK ||
            (st = bind_node(m, &pp->nodes[1], cur)) != TG_OK)
            return st;
        *cur = tg_op_shortest(m->b->arena, *cur, pp->nodes[0].slot, pp->nodes[1].slot,
                              r->slot, pp->path_slot, dir_of(r->dir, 0), r->types,
                              r->varlen ? r->min : 1, r->varlen ? r->max : 1,
                              pp->kind == TG_AST_PATH_ALL_SHORTEST, &pp->ast->pos);
        if (!*cur)
            return nomem(m->b);
        push_path_predicates(m, pp, *cur);
        m->bound[r->slot] = 1;
        if (pp->path_slot >= 0)
            m->bound[pp->path_slot] = 1;
        m->uniq[m->nuniq++] = r->slot;
        if ((st = path_filter(m, *cur)) != TG_OK)
            return st;
        return place(m, cur);
    }
    for (size_t i = 0; i <= pp->nrels; i++) {
        const char *k;
        tg_expr *v;
        int id, inl;
        tg_names l;
        double c = node_cost(m, &pp->nodes[i], &k, &v, &id, &inl, &l);
        if (best < 0 || c < best) {
            best = c;
            start = i;
        }
    }
    for (size_t i = 0; i < pp->nrels; i++)
        if (pp->rels[i].qpp && start > i)
            start = i; /* a quantified pattern is walked left to right: start on its left */
    if ((st = bind_node(m, &pp->nodes[start], cur)) != TG_OK)
        return st;
    for (size_t i = start; i < pp->nrels; i++)
        if ((st = expand_step(m, pp, i, 0, cur)) != TG_OK)
            return st;
    for (size_t i = start; i > 0; i--)
        if ((st = expand_step(m, pp, i - 1, 1, cur)) != TG_OK)
            return st;
    return path_value(m, pp, cur);
}

static double path_cost(mctx *m, ppath *pp)
{
    double best = -1;
    for (size_t i = 0; i <= pp->nrels; i++) {
        const char *k;
        tg_expr *v;
        int id, inl;
        tg_names l;
        double c = node_cost(m, &pp->nodes[i], &k, &v, &id, &inl, &l);
        if (best < 0 || c < best)
            best = c;
    }
    return best;
}

/* Plans the paths of m onto *cur (m's conjuncts already added): the plain
 * path with the cheapest start first (its bound variables then make the
 * next ones cheap), shortest paths last (their ends are then usually bound). */
static tg_status plan_paths(mctx *m, tg_op **cur)
{
    tg_status st = place(m, cur);
    char *done = calloc(m->npaths + 1, 1);
    if (!done)
        return nomem(m->b);
    for (int pass = 0; pass < 2 && st == TG_OK; pass++) {
        for (;;) {
            size_t pick = m->npaths;
            double best = -1;
            for (size_t i = 0; i < m->npaths; i++) {
                double c;
                if (done[i] || (m->paths[i].kind != TG_AST_PATH_PLAIN) != pass)
                    continue;
                c = pass ? 0 : path_cost(m, &m->paths[i]);
                if (pick == m->npaths || c < best) {
                    pick = i;
                    best = c;
                }
            }
            if (pick == m->npaths)
                break;
            done[pick] = 1;
            if ((st = plan_path(m, &m->paths[pick], cur)) != TG_OK)
                break;
        }
    }
    free(done);
    if (st != TG_OK)
        return st;
    /* anything left (should not happen): filter at the end */
    for (size_t i = 0; i < m->nconj; i++)
        if (!m->conjs[i].placed) {
            *cur = tg_op_filter(m->b->arena, *cur, m->conjs[i].e);
            if (!*cur)
                return nomem(m->b);
            m->conjs[i].placed = 1;
        }
    return TG_OK;
}

/* Warns of the labels, types and property keys a pattern to match names
 * that the graph does not have (a typo returns no rows, silently). */
static void check_lx(tg_binder *b, int what, const tg_ast_labelexpr *x)
{
    if (!x)
        return;
    if (x->kind == TG_AST_LX_LABEL)
        tg_bind_check_name(b, what, x->name, &x->pos);
    check_lx(b, what, x->a);
    check_lx(b, what, x->b);
}

static void check_map_keys(tg_binder *b, const tg_ast_expr *props)
{
    for (size_t k = 0; props && props->kind == TG_AST_MAP && k < props->u.map.n_entries; k++)
        tg_bind_check_name(b, 2, props->u.map.keys[k], &props->u.map.values[k]->pos);
}

static void check_path_names(tg_binder *b, const tg_ast_path *ap)
{
    for (size_t i = 0; i <= ap->n_rels; i++) {
        const tg_ast_node_pattern *np = &ap->nodes[i];
        for (size_t k = 0; k < np->n_labels; k++)
            tg_bind_check_name(b, 0, np->labels[k], &np->pos);
        check_lx(b, 0, np->label_expr);
        check_map_keys(b, np->properties);
        if (i == ap->n_rels)
            break;
        for (size_t k = 0; k < ap->rels[i].n_types; k++)
            tg_bind_check_name(b, 1, ap->rels[i].types[k], &ap->rels[i].pos);
        check_lx(b, 1, ap->rels[i].type_expr);
        check_map_keys(b, ap->rels[i].properties);
    }
}

static tg_status plan_match(tg_binder *b, const tg_ast_clause *c, tg_op **cur)
{
    mctx m;
    tg_status st = TG_OK;
    const tg_ast_pattern *pat = c->u.match.pattern;
    size_t mark = b->nscope, total_rels = 0;
    int first_new = b->nslots;
    tg_op *arg = NULL, *sub = NULL, **target = cur;
    memset(&m, 0, sizeof m);
    m.b = b;
    m.npaths = pat->n_paths;
    m.paths = tg_arena_calloc(b->arena, pat->n_paths ? pat->n_paths : 1, sizeof *m.paths);
    if (!m.paths)
        return nomem(b);
    for (size_t i = 0; i < pat->n_paths; i++)
        total_rels += pat->paths[i]->n_rels;
    b->hops += total_rels;
    if (b->hops > TG_QUERY_MAX_HOPS)
        return tg_bind_error(b, TG_ESYNTAX, &c->pos,
                             "pattern too long: %zu relationships in the statement, more than the "
                             "%d allowed (each one is an operator of the plan)",
                             b->hops, TG_QUERY_MAX_HOPS);
    for (size_t i = 0; i < pat->n_paths && st == TG_OK; i++) {
        check_path_names(b, pat->paths[i]);
        st = declare_path(b, pat->paths[i], mark, &m.paths[i], &m);
    }
    for (size_t i = 0; i < pat->n_paths && st == TG_OK; i++)
        st = path_conjuncts(b, pat->paths[i], &m.paths[i], &m);
    if (st == TG_OK && c->u.match.where) {
        tg_expr *w = tg_bind_expr(b, c->u.match.where);
        int k = w ? tg_bind_static_kind(b, w) : -1;
        if (w && k >= 0 && k != TG_VAL_BOOL && k != TG_VAL_NULL)
            st = tg_bind_error(b, TG_ESYNTAX, &c->u.match.where->pos,
                               "InvalidArgumentType: WHERE needs a boolean, got a %s",
                               tg_value_kind_name((tg_vkind)k));
        else
            st = w ? add_conj(&m, w) : failed(b);
    }
    if (st == TG_OK)
        st = mctx_ready(&m, total_rels);
    if (st == TG_OK) {
        /* pattern slots declared by this clause are unbound until planned */
        for (int s = first_new; s < b->nslots; s++)
            mark_clause(&m, s, 0);
        /* comprehension variables and other hidden helpers are never "bound"
           by an operator: treat them as bound. One pass marks the slots of
           the patterns (a pass per slot was quadratic in a long pattern). */
        unsigned char *is_pattern =
            b->nslots > first_new ? tg_arena_calloc(b->arena, (size_t)b->nslots, 1) : NULL;
#define MARK_PATTERN(x)                                                                            \
    do {                                                                                           \
        int s_ = (x);                                                                              \
        if (s_ >= first_new && s_ < b->nslots)                                                     \
            is_pattern[s_] = 1;                                                                    \
    } while (0)
        if (b->nslots > first_new && !is_pattern)
            st = nomem(b);
        for (size_t p = 0; st == TG_OK && p < m.npaths; p++) {
            ppath *pp = &m.paths[p];
            MARK_PATTERN(pp->path_slot);
            for (size_t k = 0; k <= pp->nrels; k++) {
                MARK_PATTERN(pp->nodes[k].slot);
                if (k == pp->nrels)
                    break;
                MARK_PATTERN(pp->rels[k].slot);
                for (size_t g = 0; pp->rels[k].qpp && g < pp->rels[k].qpp->ngroups; g++)
                    MARK_PATTERN(pp->rels[k].qpp->group_outer[g]); /* bound by Repeat */
            }
        }
#undef MARK_PATTERN
        for (int s = first_new; st == TG_OK && s < b->nslots; s++) {
            if (!is_pattern[s]) {
                m.in_clause[s] = 0;
                m.bound[s] = 1;
            }
        }
        if (c->u.match.optional) {
            arg = tg_op_argument(b->arena);
            if (!arg)
                st = nomem(b);
            sub = arg;
            target = &sub;
        }
    }
    if (st == TG_OK)
        st = plan_paths(&m, target);
    if (st == TG_OK && c->u.match.optional) {
        int *nulls = tg_arena_calloc(b->arena, m.nslots + 1, sizeof *nulls);
        size_t nn = 0;
        if (!nulls)
            st = nomem(b);
        for (size_t s = 0; st == TG_OK && s < m.nslots; s++)
            if (m.in_clause[s])
                nulls[nn++] = (int)s;
        if (st == TG_OK) {
            *cur = tg_op_apply(b->arena, *cur, sub, arg, 1, nulls, nn);
            if (!*cur)
                st = nomem(b);
        }
    }
    mctx_destroy(&m);
    return st;
}

tg_status tg_i_plan_pattern_expr(tg_binder *b, const tg_ast_expr *ast, tg_expr *e)
{
    mctx m;
    tg_status st;
    const tg_ast_path *ap = ast->kind == TG_AST_PATTERN ? ast->u.pattern.path
                                                        : ast->u.pattern_comprehension.path;
    size_t mark = b->nscope;
    int first_new = b->nslots;
    tg_op *cur;
    memset(&m, 0, sizeof m);
    m.b = b;
    m.npaths = 1;
    if (!b->g)
        return tg_bind_error(b, TG_ESYNTAX, &ast->pos,
                             "UnexpectedSyntax: a pattern cannot appear in a literal");
    m.paths = tg_arena_calloc(b->arena, 1, sizeof *m.paths);
    if (!m.paths)
        return nomem(b);
    if (ast->kind == TG_AST_PATTERN) {
        /* a pattern predicate introduces no variables */
        for (size_t i = 0; i <= ap->n_rels; i++)
            if (ap->nodes[i].var && !tg_bind_lookup(b, ap->nodes[i].var))
                return tg_bind_error(b, TG_ESYNTAX, &ap->nodes[i].pos,
                                     "UndefinedVariable: variable '%s' is not defined",
                                     ap->nodes[i].var);
        for (size_t i = 0; i < ap->n_rels; i++)
            if (ap->rels[i].var && !tg_bind_lookup(b, ap->rels[i].var))
                return tg_bind_error(b, TG_ESYNTAX, &ap->rels[i].pos,
                                     "UndefinedVariable: variable '%s' is not defined",
                                     ap->rels[i].var);
    }
    check_path_names(b, ap);
    st = declare_path(b, ap, mark, &m.paths[0], &m);
    if (st == TG_OK)
        st = path_conjuncts(b, ap, &m.paths[0], &m);
    if (st == TG_OK && ast->kind == TG_AST_PATTERN_COMPREHENSION) {
        if (ast->u.pattern_comprehension.where &&
            !(e->b = tg_bind_expr(b, ast->u.pattern_comprehension.where)))
            st = failed(b);
        if (st == TG_OK && !(e->c = tg_bind_expr(b, ast->u.pattern_comprehension.projection)))
            st = failed(b);
    }
    if (st == TG_OK)
        st = mctx_ready(&m, ap->n_rels);
    if (st == TG_OK) {
        ppath *pp = &m.paths[0];
        for (size_t k = 0; k <= pp->nrels; k++) {
            int pre = pp->nodes[k].slot < first_new;
            mark_clause(&m, pp->nodes[k].slot, pre);
            if (k < pp->nrels)
                mark_clause(&m, pp->rels[k].slot, 0);
        }
        mark_clause(&m, pp->path_slot, 0);
        cur = e->arg = tg_op_argument(b->arena);
        if (!cur)
            st = nomem(b);
    }
    if (st == TG_OK)
        st = plan_paths(&m, &cur);
    if (st == TG_OK)
        e->plan = cur;
    b->nscope = mark;
    mctx_destroy(&m);
    return st;
}

/* ---- projections ------------------------------------------------------------------ */

static int cmp_var_names(const void *a, const void *b)
{
    return strcmp(((const tg_var *)a)->name, ((const tg_var *)b)->name);
}

static tg_status const_amount(tg_binder *b, const tg_ast_expr *a, const char *what,
                              tg_expr **out)
{
    size_t saved = b->nscope, saved_match = b->nmatch;
    tg_expr *e;
    *out = NULL;
    if (!a)
        return TG_OK;
    /* nothing in scope, and no projected item stands for it: in
       `RETURN 1 AS x LIMIT 1` the 1 of LIMIT is not the column x */
    b->nscope = 0;
    b->nmatch = 0;
    e = tg_bind_expr(b, a);
    b->nscope = saved;
    b->nmatch = saved_match;
    if (!e) {
        if (b->err && strstr(b->err->message, "UndefinedVariable")) {
            b->err->status = TG_ESYNTAX;
            snprintf(b->err->message, sizeof b->err->message,
                     "NonConstantExpression: %s must not use variables", what);
        }
        return failed(b);
    }
    if (a->kind == TG_AST_INT && a->u.integer < 0)
        return tg_bind_error(b, TG_ESYNTAX, &a->pos,
                             "NegativeIntegerArgument: %s must not be negative", what);
    if (a->kind == TG_AST_FLOAT)
        return tg_bind_error(b, TG_ESYNTAX, &a->pos,
                             "InvalidArgumentType: %s must be an integer", what);
    *out = e;
    return TG_OK;
}

typedef struct item {
    const char *name;
    tg_expr *e;
    int has_agg;
    int slot;
    tg_vartype type;
    const tg_ast_proj_item *ast;
} item;

typedef struct ambctx {
    tg_expr **keys;
    size_t nkeys;
    int first_new; /* slots from here on are aggregates or local variables */
} ambctx;

static int key_is_slot(const ambctx *c, int slot)
{
    for (size_t i = 0; i < c->nkeys; i++)
        if (c->keys[i]->kind == TG_E_SLOT && c->keys[i]->slot == slot)
            return 1;
    return 0;
}

/* Whether the non-aggregated parts of e read only grouping keys. */
static int amb_ok(const ambctx *c, const tg_expr *e)
{
    if (!e)
        return 1;
    switch (e->kind) {
    case TG_E_CONST:
    case TG_E_EXISTS:
    case TG_E_PATCOMP:
    case TG_E_COUNT: return 1;
    case TG_E_SLOT: return e->slot >= c->first_new || key_is_slot(c, e->slot);
    case TG_E_PROP:
        if (e->a->kind == TG_E_SLOT) {
            if (e->a->slot >= c->first_new || key_is_slot(c, e->a->slot))
                return 1;
            for (size_t i = 0; i < c->nkeys; i++) {
                const tg_expr *k = c->keys[i];
                if (k->kind == TG_E_PROP && k->a->kind == TG_E_SLOT &&
                    k->a->slot == e->a->slot && k->klen == e->klen &&
                    memcmp(k->key, e->key, e->klen) == 0)
                    return 1;
            }
            return 0;
        }
        return amb_ok(c, e->a);
    default:
        if (!amb_ok(c, e->a) || !amb_ok(c, e->b) || !amb_ok(c, e->c))
            return 0;
        for (size_t i = 0; i < e->nargs; i++)
            if (!amb_ok(c, e->args[i]))
                return 0;
        return 1;
    }
}

typedef struct exprlist {
    tg_expr **e;
    size_t n, cap;
} exprlist;

/* The variables whose map projection an aggregating item holds
 * (c {.name, subs: collect(s.id)}): they group the rows, as Neo4j takes
 * them, so each is added to out once as an implied grouping key. */
static tg_status projection_bases(tg_binder *b, tg_expr *e, exprlist *out)
{
    if (!e)
        return TG_OK;
    if (e->kind == TG_E_MAPPROJ && e->a->kind == TG_E_SLOT) {
        size_t i;
        for (i = 0; i < out->n && out->e[i]->slot != e->a->slot; i++)
            ;
        if (i == out->n) {
            if (out->n == out->cap) {
                size_t nc = out->cap ? out->cap * 2 : 4;
                tg_expr **ne = realloc(out->e, nc * sizeof *ne);
                if (!ne)
                    return nomem(b);
                out->e = ne;
                out->cap = nc;
            }
            out->e[out->n++] = e->a;
        }
    }
    if (e->kind == TG_E_EXISTS || e->kind == TG_E_PATCOMP || e->kind == TG_E_COUNT)
        return TG_OK;
    {
        tg_status st = projection_bases(b, e->a, out);
        if (st == TG_OK)
            st = projection_bases(b, e->b, out);
        if (st == TG_OK)
            st = projection_bases(b, e->c, out);
        for (size_t i = 0; st == TG_OK && i < e->nargs; i++)
            st = projection_bases(b, e->args[i], out);
        return st;
    }
}

static tg_vartype type_of_kind(int k)
{
    switch (k) {
    case -1: return TG_VT_ANY;
    case TG_VAL_NULL: return TG_VT_ANY;
    case TG_VAL_NODE: return TG_VT_NODE;
    case TG_VAL_REL: return TG_VT_REL;
    case TG_VAL_PATH: return TG_VT_PATH;
    default: return TG_VT_VALUE;
    }
}

static tg_status plan_projection(tg_binder *b, const tg_ast_projection *p, int is_return,
                                 tg_op **cur, tg_plan *out, int **fixed_slots)
{
    tg_status st = TG_OK;
    item *items = NULL;
    size_t nitems = 0, nstar = 0;
    tg_var *stars = NULL;
    int any_agg = 0, first_new;
    size_t naggs0;
    const char **mtexts = NULL;
    int *mslots = NULL;
    size_t nm = 0;
    tg_expr **sort_keys = NULL, **exprs = NULL;
    tg_op *sort_op = NULL;
    int *desc = NULL, *slots = NULL;
    exprlist extra = {NULL, 0, 0}; /* grouping keys implied by map projections */

    /* RETURN * / WITH *: the visible named variables, by name */
    if (p->star) {
        stars = malloc((b->nscope + 1) * sizeof *stars);
        if (!stars)
            return nomem(b);
        for (size_t i = 0; i < b->nscope; i++) {
            const tg_var *v = &b->scope[i];
            int dup = 0;
            if (!v->name)
                continue;
            for (size_t k = 0; k < nstar; k++)
                if (strcmp(stars[k].name, v->name) == 0) {
                    stars[k] = *v;
                    dup = 1;
                }
            if (!dup)
                stars[nstar++] = *v;
        }
        qsort(stars, nstar, sizeof *stars, cmp_var_names);
        if (nstar == 0 && p->n_items == 0 && is_return) {
            free(stars);
            return tg_bind_error(b, TG_ESYNTAX, NULL,
                                 "NoVariablesInScope: RETURN * needs variables in scope");
        }
    }
    items = calloc(nstar + p->n_items + 1, sizeof *items);
    if (!items) {
        free(stars);
        return nomem(b);
    }
    for (size_t i = 0; i < nstar; i++) {
        items[nitems].name = stars[i].name;
        items[nitems].type = stars[i].type;
        items[nitems].e = tg_bind_slot(b, stars[i].slot, NULL);
        if (!items[nitems].e) {
            st = nomem(b);
            goto done;
        }
        nitems++;
    }
    b->naggs = 0;
    b->agg_allowed = 1;
    first_new = b->nslots;
    for (size_t i = 0; i < p->n_items; i++) {
        const tg_ast_proj_item *it = &p->items[i];
        item *t = &items[nitems];
        if (!is_return && !it->alias && it->expr->kind != TG_AST_VAR) {
            st = tg_bind_error(b, TG_ESYNTAX, &it->pos,
                               "NoExpressionAlias: expression '%s' in WITH needs an alias (AS)",
                               it->text);
            goto done;
        }
        t->name = it->alias ? it->alias : it->text;
        t->ast = it;
        naggs0 = b->naggs;
        t->e = tg_bind_expr(b, it->expr);
        if (!t->e) {
            st = failed(b);
            goto done;
        }
        t->has_agg = b->naggs > naggs0;
        any_agg |= t->has_agg;
        if (it->expr->kind == TG_AST_VAR) {
            tg_var *v = tg_bind_lookup(b, it->expr->u.var);
            t->type = v ? v->type : TG_VT_ANY;
        } else
            t->type = t->has_agg ? TG_VT_ANY : type_of_kind(tg_bind_static_kind(b, t->e));
        for (size_t k = 0; k < nitems; k++)
            if (strcmp(items[k].name, t->name) == 0) {
                st = tg_bind_error(b, TG_ESYNTAX, &it->pos,
                                   "ColumnNameConflict: column '%s' appears twice", t->name);
                goto done;
            }
        nitems++;
    }

    if (any_agg) {
        ambctx ac;
        for (size_t i = 0; i < nitems && st == TG_OK; i++)
            if (items[i].has_agg)
                st = projection_bases(b, items[i].e, &extra);
        if (st != TG_OK)
            goto done;
        ac.keys = calloc(nitems + extra.n + 1, sizeof *ac.keys);
        ac.nkeys = 0;
        ac.first_new = first_new;
        if (!ac.keys) {
            st = nomem(b);
            goto done;
        }
        for (size_t i = 0; i < nitems; i++)
            if (!items[i].has_agg)
                ac.keys[ac.nkeys++] = items[i].e;
        for (size_t i = 0; i < extra.n; i++)
            ac.keys[ac.nkeys++] = extra.e[i];
        for (size_t i = 0; i < nitems && st == TG_OK; i++)
            if (items[i].has_agg && !amb_ok(&ac, items[i].e))
                st = tg_bind_error(b, TG_ESYNTAX, items[i].ast ? &items[i].ast->pos : NULL,
                                   "AmbiguousAggregationExpression: '%s' mixes an aggregate "
                                   "with values that are not grouping keys",
                                   items[i].name);
        free(ac.keys);
        if (st != TG_OK)
            goto done;
    }

    /* output slots */
    exprs = tg_arena_calloc(b->arena, nitems + 1, sizeof *exprs);
    slots = tg_arena_calloc(b->arena, nitems + 1, sizeof *slots);
    if (!exprs || !slots) {
        st = nomem(b);
        goto done;
    }
    if (fixed_slots && !*fixed_slots) {
        *fixed_slots = slots;
        for (size_t i = 0; i < nitems; i++)
            slots[i] = tg_bind_new_slot(b);
    }
    for (size_t i = 0; i < nitems; i++) {
        exprs[i] = items[i].e;
        items[i].slot = fixed_slots ? (*fixed_slots)[i] : tg_bind_new_slot(b);
        slots[i] = items[i].slot;
    }


    /* ORDER BY and WITH's WHERE see the new names and, unless the projection
       aggregates or is DISTINCT, the earlier variables (new ones win); an
       expression written like a projected item reads that item */
    if (any_agg || p->distinct)
        b->nscope = 0;
    for (size_t i = 0; i < nitems && st == TG_OK; i++)
        st = tg_bind_declare_slot(b, items[i].name, items[i].slot, items[i].type);
    if (st != TG_OK)
        goto done;
    for (size_t i = 0; i < nitems; i++)
        if (!items[i].has_agg)
            tg_bind_set_slot_kind(b, items[i].slot, tg_bind_static_kind(b, items[i].e));
    mtexts = calloc(nitems + 1, sizeof *mtexts);
    mslots = calloc(nitems + 1, sizeof *mslots);
    if (!mtexts || !mslots) {
        st = nomem(b);
        goto done;
    }
    for (size_t i = 0; i < nitems; i++) {
        const tg_ast_expr *ae = items[i].ast ? items[i].ast->expr : NULL;
        int simple;
        if (!ae || ae->kind == TG_AST_VAR)
            continue;
        simple = (ae->kind == TG_AST_PROPERTY && ae->u.property.base->kind == TG_AST_VAR) ||
                 (ae->kind == TG_AST_CALL && items[i].has_agg);
        if (any_agg && !simple)
            continue;
        mtexts[nm] = items[i].ast->text;
        mslots[nm++] = items[i].slot;
    }
    b->match_texts = mtexts;
    b->match_slots = mslots;
    b->nmatch = nm;
    if (p->n_order) {
        sort_keys = tg_arena_calloc(b->arena, p->n_order, sizeof *sort_keys);
        desc = tg_arena_calloc(b->arena, p->n_order, sizeof *desc);
        if (!sort_keys || !desc) {
            st = nomem(b);
            goto done;
        }
        b->agg_allowed = any_agg;
        for (size_t k = 0; k < p->n_order; k++) {
            const tg_ast_expr *oe = p->order[k].expr;
            desc[k] = p->order[k].descending;
            for (size_t i = 0; i < nitems && !sort_keys[k]; i++)
                if (items[i].ast && tg_bind_text_is(b, oe, items[i].ast->text))
                    sort_keys[k] = tg_bind_slot(b, items[i].slot, &oe->pos);
            if (!sort_keys[k] && !(sort_keys[k] = tg_bind_expr(b, oe))) {
                st = failed(b);
                goto done;
            }
        }
    }
    b->agg_allowed = 0;

    if (any_agg) {
        tg_expr **keys = tg_arena_calloc(b->arena, nitems + extra.n + 1, sizeof *keys);
        tg_agg_spec *aggs = tg_arena_calloc(b->arena, b->naggs + 1, sizeof *aggs);
        size_t nkeys = 0;
        if (!keys || !aggs) {
            st = nomem(b);
            goto done;
        }
        for (size_t i = 0; i < nitems; i++)
            if (!items[i].has_agg)
                keys[nkeys++] = items[i].e;
        for (size_t i = 0; i < extra.n; i++)
            keys[nkeys++] = extra.e[i];
        memcpy(aggs, b->aggs, b->naggs * sizeof *aggs);
        *cur = tg_op_aggregate(b->arena, *cur, keys, nkeys, aggs, b->naggs);
        if (!*cur) {
            st = nomem(b);
            goto done;
        }
        /* count(*) over a chain of hops: counted, not enumerated */
        *cur = tg_op_factorise_count(b->arena, *cur);
    }
    *cur = tg_op_project(b->arena, *cur, exprs, slots, nitems);
    if (*cur && p->distinct)
        *cur = tg_op_distinct(b->arena, *cur, slots, nitems);
    if (*cur && p->n_order)
        *cur = sort_op = tg_op_sort(b->arena, *cur, sort_keys, desc, p->n_order);
    if (!*cur) {
        st = nomem(b);
        goto done;
    }
    if (is_return && out) {
        out->names = tg_arena_calloc(b->arena, nitems + 1, sizeof *out->names);
        out->slots = slots;
        out->ncols = nitems;
        if (!out->names) {
            st = nomem(b);
            goto done;
        }
        for (size_t i = 0; i < nitems; i++)
            out->names[i] = items[i].name;
    }
    if (p->skip || p->limit) {
        tg_expr *sk, *li;
        if ((st = const_amount(b, p->skip, "SKIP", &sk)) != TG_OK ||
            (st = const_amount(b, p->limit, "LIMIT", &li)) != TG_OK)
            goto done;
        if (sort_op)
            tg_op_sort_set_limit(sort_op, sk, li);
        *cur = tg_op_skiplimit(b->arena, *cur, sk, li);
        if (!*cur) {
            st = nomem(b);
            goto done;
        }
    }
    if (p->where) {
        tg_expr *w = tg_bind_expr(b, p->where);
        if (!w)
            st = failed(b);
        else if (!(*cur = tg_op_filter(b->arena, *cur, w)))
            st = nomem(b);
        if (st != TG_OK)
            goto done;
    }
    /* from here on only the projected names are visible */
    b->nscope = 0;
    for (size_t i = 0; i < nitems && st == TG_OK; i++)
        st = tg_bind_declare_slot(b, items[i].name, items[i].slot, items[i].type);
done:
    b->agg_allowed = 0;
    b->nmatch = 0;
    b->match_texts = NULL;
    b->match_slots = NULL;
    free(mtexts);
    free(mslots);
    free(items);
    free(stars);
    free(extra.e);
    return st;
}

/* ---- other clauses ------------------------------------------------------------------ */

static tg_status plan_load_csv(tg_binder *b, const tg_ast_clause *c, tg_op **cur)
{
    tg_expr *e = tg_bind_expr(b, c->u.load_csv.url);
    int slot;
    if (!e)
        return failed(b);
    if (tg_bind_lookup(b, c->u.load_csv.alias))
        return tg_bind_error(b, TG_ESYNTAX, &c->u.load_csv.alias_pos,
                             "VariableAlreadyBound: '%s' is already defined",
                             c->u.load_csv.alias);
    slot = tg_bind_declare(b, c->u.load_csv.alias, TG_VT_VALUE);
    if (slot < 0)
        return nomem(b);
    *cur = tg_op_load_csv(b->arena, *cur, e, c->u.load_csv.headers,
                          c->u.load_csv.terminator ? c->u.load_csv.terminator : ',', slot);
    return *cur ? TG_OK : nomem(b);
}

static tg_status plan_unwind(tg_binder *b, const tg_ast_clause *c, tg_op **cur)
{
    tg_expr *e = tg_bind_expr(b, c->u.unwind.expr);
    int slot;
    if (!e)
        return failed(b);
    if (tg_bind_lookup(b, c->u.unwind.alias))
        return tg_bind_error(b, TG_ESYNTAX, &c->u.unwind.alias_pos,
                             "VariableAlreadyBound: '%s' is already defined", c->u.unwind.alias);
    slot = tg_bind_declare(b, c->u.unwind.alias, TG_VT_ANY);
    if (slot < 0)
        return nomem(b);
    *cur = tg_op_unwind(b->arena, *cur, e, slot);
    return *cur ? TG_OK : nomem(b);
}

static tg_status create_props(tg_binder *b, const tg_ast_expr *props, tg_expr **out)
{
    *out = NULL;
    if (!props)
        return TG_OK;
    *out = tg_bind_expr(b, props);
    return *out ? TG_OK : failed(b);
}

/* CREATE and MERGE make what they name: a label expression (A|B, !A, %)
 * or a type expression names no one label or type. */
static tg_status plain_labels(tg_binder *b, const tg_ast_path *ap, const char *clause)
{
    for (size_t i = 0; i <= ap->n_rels; i++)
        if (ap->nodes[i].label_expr)
            return tg_bind_error(b, TG_ESYNTAX, &ap->nodes[i].label_expr->pos,
                                 "InvalidLabelExpression: %s needs plain labels (:A:B), not a "
                                 "label expression with |, !, %% or parentheses",
                                 clause);
    for (size_t i = 0; i < ap->n_rels; i++)
        if (ap->rels[i].type_expr)
            return tg_bind_error(b, TG_ESYNTAX, &ap->rels[i].type_expr->pos,
                                 "NoSingleRelationshipType: %s needs one relationship type",
                                 clause);
    for (size_t i = 0; i <= ap->n_rels; i++) {
        const tg_ast_expr *w = ap->nodes[i].where ? ap->nodes[i].where
                               : i < ap->n_rels   ? ap->rels[i].where
                                                  : NULL;
        if (w)
            return tg_bind_error(b, TG_ESYNTAX, &w->pos,
                                 "UnexpectedSyntax: %s patterns take no WHERE (only MATCH "
                                 "patterns do)",
                                 clause);
    }
    return TG_OK;
}

static tg_status plan_create(tg_binder *b, const tg_ast_clause *c, tg_op **cur)
{
    const tg_ast_pattern *pat = c->u.create.pattern;
    tg_create_path *paths = tg_arena_calloc(b->arena, pat->n_paths + 1, sizeof *paths);
    tg_status st;
    if (!paths)
        return nomem(b);
    for (size_t p = 0; p < pat->n_paths; p++) {
        const tg_ast_path *ap = pat->paths[p];
        tg_create_path *cp = &paths[p];
        cp->nnodes = ap->n_rels + 1;
        cp->nrels = ap->n_rels;
        cp->nodes = tg_arena_calloc(b->arena, cp->nnodes, sizeof *cp->nodes);
        cp->rels = tg_arena_calloc(b->arena, cp->nrels + 1, sizeof *cp->rels);
        cp->path_slot = -1;
        if (!cp->nodes || !cp->rels)
            return nomem(b);
        if ((st = plain_labels(b, ap, "CREATE")) != TG_OK)
            return st;
        for (size_t i = 0; i < cp->nnodes; i++) {
            const tg_ast_node_pattern *np = &ap->nodes[i];
            tg_create_node *cn = &cp->nodes[i];
            cn->pos = np->pos;
            cn->labels = names_of(np->labels, np->n_labels);
            if (np->var) {
                tg_var *v = tg_bind_lookup(b, np->var);
                if (v) {
                    if (v->type != TG_VT_NODE && v->type != TG_VT_ANY)
                        return tg_bind_error(b, TG_ESYNTAX, &np->pos,
                                             "VariableTypeConflict: '%s' is not a node",
                                             np->var);
                    if (np->n_labels || np->properties || ap->n_rels == 0)
                        return tg_bind_error(b, TG_ESYNTAX, &np->pos,
                                             "VariableAlreadyBound: '%s' is already defined",
                                             np->var);
                    cn->slot = v->slot;
                    cn->bound = 1;
                    continue;
                }
            }
            if ((st = create_props(b, np->properties, &cn->props)) != TG_OK)
                return st;
            cn->slot = np->var ? tg_bind_declare(b, np->var, TG_VT_NODE) : tg_bind_new_slot(b);
            if (cn->slot < 0)
                return nomem(b);
        }
        for (size_t i = 0; i < cp->nrels; i++) {
            const tg_ast_rel_pattern *rp = &ap->rels[i];
            tg_create_rel *cr = &cp->rels[i];
            cr->pos = rp->pos;
            if (rp->var && tg_bind_lookup(b, rp->var))
                return tg_bind_error(b, TG_ESYNTAX, &rp->pos,
                                     "VariableAlreadyBound: '%s' is already defined", rp->var);
            if (rp->var_length)
                return tg_bind_error(b, TG_ESYNTAX, &rp->pos,
                                     "CreatingVarLength: CREATE cannot make variable-length "
                                     "relationships");
            if (rp->n_types != 1)
                return tg_bind_error(b, TG_ESYNTAX, &rp->pos,
                                     "NoSingleRelationshipType: CREATE needs exactly one "
                                     "relationship type");
            if (rp->direction == TG_AST_DIR_BOTH)
                return tg_bind_error(b, TG_ESYNTAX, &rp->pos,
                                     "RequiresDirectedRelationship: CREATE needs a direction");
            cr->type = rp->types[0];
            cr->from = rp->direction == TG_AST_DIR_RIGHT ? (int)i : (int)i + 1;
            cr->to = rp->direction == TG_AST_DIR_RIGHT ? (int)i + 1 : (int)i;
            if (rp->var && tg_bind_lookup(b, rp->var))
                return tg_bind_error(b, TG_ESYNTAX, &rp->pos,
                                     "VariableAlreadyBound: '%s' is already defined", rp->var);
            if ((st = create_props(b, rp->properties, &cr->props)) != TG_OK)
                return st;
            cr->slot = rp->var ? tg_bind_declare(b, rp->var, TG_VT_REL) : tg_bind_new_slot(b);
            if (cr->slot < 0)
                return nomem(b);
        }
        if (ap->var) {
            if (tg_bind_lookup(b, ap->var))
                return tg_bind_error(b, TG_ESYNTAX, &ap->pos,
                                     "VariableAlreadyBound: '%s' is already defined", ap->var);
            cp->path_slot = tg_bind_declare(b, ap->var, TG_VT_PATH);
        }
    }
    *cur = tg_op_create(b->arena, *cur, paths, pat->n_paths);
    return *cur ? TG_OK : nomem(b);
}

static tg_status plan_call(tg_binder *b, const tg_ast_clause *c, int standalone, tg_op **cur,
                           tg_plan *out)
{
    const tg_proc_def *proc = tg_proc_find(c->u.call.name);
    tg_expr **args;
    int *slots;
    size_t nargs;
    if (!proc) {
        size_t n = tg_proc_count(), k = 0;
        const char **names = malloc((n + 1) * sizeof *names);
        const char *near = NULL;
        for (size_t i = 0; names && i < n; i++)
            names[k++] = tg_proc_at(i)->name;
        if (names)
            near = tg_catalog_nearest(c->u.call.name, names, k);
        char hint[128];
        tg_bind_error(b, TG_ESEMANTIC, &c->pos, "ProcedureNotFound: there is no procedure '%s'%s",
                      c->u.call.name, tg_catalog_hint(near, hint, sizeof hint));
        free(names);
        return TG_ESEMANTIC;
    }
    nargs = c->u.call.has_args ? c->u.call.n_args : proc->n_inputs;
    if (!c->u.call.has_args && !standalone && proc->n_inputs > 0)
        return tg_bind_error(b, TG_ESYNTAX, &c->pos,
                             "InvalidArgumentPassingMode: inside a query, %s needs its "
                             "arguments in parentheses",
                             proc->name);
    if (c->u.call.has_args && (nargs < proc->n_required || nargs > proc->n_inputs))
        return tg_bind_error(b, TG_ESYNTAX, &c->pos,
                             "InvalidNumberOfArguments: %s takes %zu to %zu arguments, got %zu",
                             proc->name, proc->n_required, proc->n_inputs, nargs);
    args = tg_arena_calloc(b->arena, nargs + 1, sizeof *args);
    slots = tg_arena_calloc(b->arena, proc->n_outputs + 1, sizeof *slots);
    if (!args || !slots)
        return nomem(b);
    for (size_t i = 0; i < nargs; i++) {
        if (c->u.call.has_args) {
            args[i] = tg_bind_expr(b, c->u.call.args[i]);
            if (!args[i])
                return failed(b);
            if (args[i]->kind == TG_E_CONST && args[i]->val.kind != TG_VAL_NULL) {
                /* compile-time check of literal argument kinds */
                tg_proc_type t = proc->inputs[i].type;
                int k = args[i]->val.kind;
                int ok = t == TG_PROC_ANY || (t == TG_PROC_INT && k == TG_VAL_INT) ||
                         ((t == TG_PROC_FLOAT || t == TG_PROC_NUMBER) &&
                          (k == TG_VAL_INT || k == TG_VAL_FLOAT)) ||
                         (t == TG_PROC_STRING && k == TG_VAL_STRING) ||
                         (t == TG_PROC_BOOL && k == TG_VAL_BOOL) ||
                         (t == TG_PROC_LIST && k == TG_VAL_LIST) ||
                         (t == TG_PROC_MAP && k == TG_VAL_MAP) || t >= TG_PROC_NODE;
                if (!ok)
                    return tg_bind_error(b, TG_ESYNTAX, &c->u.call.args[i]->pos,
                                         "InvalidArgumentType: argument '%s' of %s has the "
                                         "wrong type",
                                         proc->inputs[i].name, proc->name);
            }
        } else {
            const tg_value *pv = tg_i_params_get(b->params, proc->inputs[i].name);
            if (!pv)
                return tg_bind_error(b, TG_ESEMANTIC, &c->pos,
                                     "ParameterMissing: MissingParameter: no value for "
                                     "parameter $%s",
                                     proc->inputs[i].name);
            args[i] = tg_bind_const(b, tg_value_deep_copy(b->mem, pv), &c->pos);
            if (!args[i])
                return nomem(b);
        }
    }
    for (size_t k = 0; k < proc->n_outputs; k++)
        slots[k] = -1;
    if (!standalone && !c->u.call.has_yield) {
        /* inside a query without YIELD: the outputs are dropped (each
           procedure row still makes a row) */
    } else if (!c->u.call.has_yield || c->u.call.yield_star) {
        for (size_t k = 0; k < proc->n_outputs; k++) {
            if (tg_bind_lookup(b, proc->outputs[k].name))
                return tg_bind_error(b, TG_ESYNTAX, &c->pos,
                                     "VariableAlreadyBound: '%s' is already defined",
                                     proc->outputs[k].name);
            slots[k] = tg_bind_declare(b, proc->outputs[k].name, TG_VT_ANY);
        }
        if (standalone && out) {
            out->names = tg_arena_calloc(b->arena, proc->n_outputs + 1, sizeof *out->names);
            if (!out->names)
                return nomem(b);
            for (size_t k = 0; k < proc->n_outputs; k++)
                out->names[k] = proc->outputs[k].name;
            out->slots = slots;
            out->ncols = proc->n_outputs;
        }
    } else {
        for (size_t y = 0; y < c->u.call.n_yields; y++) {
            const tg_ast_yield_item *yi = &c->u.call.yields[y];
            const char *alias = yi->alias ? yi->alias : yi->name;
            size_t k;
            for (k = 0; k < proc->n_outputs; k++)
                if (strcmp(proc->outputs[k].name, yi->name) == 0)
                    break;
            if (k == proc->n_outputs)
                return tg_bind_error(b, TG_ESYNTAX, &yi->pos,
                                     "UndefinedVariable: %s has no output '%s'", proc->name,
                                     yi->name);
            if (tg_bind_lookup(b, alias))
                return tg_bind_error(b, TG_ESYNTAX, &yi->pos,
                                     "VariableAlreadyBound: '%s' is already defined", alias);
            slots[k] = tg_bind_declare(b, alias, TG_VT_ANY);
        }
        if (standalone && out) {
            size_t n = c->u.call.n_yields;
            out->names = tg_arena_calloc(b->arena, n + 1, sizeof *out->names);
            out->slots = tg_arena_calloc(b->arena, n + 1, sizeof *out->slots);
            if (!out->names || !out->slots)
                return nomem(b);
            for (size_t y = 0; y < n; y++) {
                const tg_ast_yield_item *yi = &c->u.call.yields[y];
                out->names[y] = yi->alias ? yi->alias : yi->name;
                out->slots[y] = tg_bind_lookup(b, out->names[y])->slot;
            }
            out->ncols = n;
        }
    }
    *cur = tg_op_call(b->arena, *cur, proc, args, nargs, slots, &c->pos);
    if (!*cur)
        return nomem(b);
    if (c->u.call.where) {
        tg_expr *w = tg_bind_expr(b, c->u.call.where);
        if (!w)
            return failed(b);
        *cur = tg_op_filter(b->arena, *cur, w);
        if (!*cur)
            return nomem(b);
    }
    return TG_OK;
}

static tg_status bind_set_items(tg_binder *b, const tg_ast_set_item *in, size_t n,
                                tg_set_item **out)
{
    tg_set_item *items = tg_arena_calloc(b->arena, n + 1, sizeof *items);
    *out = items;
    if (!items)
        return nomem(b);
    for (size_t i = 0; i < n; i++) {
        const tg_ast_set_item *a = &in[i];
        tg_set_item *it = &items[i];
        it->kind = a->kind;
        it->pos = a->pos;
        if (a->kind == TG_AST_SET_PROPERTY) {
            if (a->target->kind != TG_AST_PROPERTY)
                return tg_bind_error(b, TG_ESYNTAX, &a->pos,
                                     "UnexpectedSyntax: SET needs a property (n.key)");
            it->key = a->target->u.property.key;
            it->target = tg_bind_expr(b, a->target->u.property.base);
        } else
            it->target = tg_bind_expr(b, a->target);
        if (!it->target)
            return failed(b);
        if (a->value && !(it->value = tg_bind_expr(b, a->value)))
            return failed(b);
        it->labels = names_of(a->labels, a->n_labels);
    }
    return TG_OK;
}

static tg_status plan_set(tg_binder *b, const tg_ast_clause *c, tg_op **cur)
{
    tg_set_item *items;
    tg_status st = bind_set_items(b, c->u.set.items, c->u.set.n_items, &items);
    if (st != TG_OK)
        return st;
    *cur = tg_op_set(b->arena, *cur, items, c->u.set.n_items);
    return *cur ? TG_OK : nomem(b);
}

static tg_status plan_remove(tg_binder *b, const tg_ast_clause *c, tg_op **cur)
{
    size_t n = c->u.remove.n_items;
    tg_set_item *items = tg_arena_calloc(b->arena, n + 1, sizeof *items);
    if (!items)
        return nomem(b);
    for (size_t i = 0; i < n; i++) {
        const tg_ast_remove_item *a = &c->u.remove.items[i];
        if (a->kind == TG_AST_REMOVE_LABELS) {
            items[i].kind = TG_SET_REMOVE_LABELS;
            items[i].pos = a->pos;
            items[i].labels = names_of(a->labels, a->n_labels);
            if (!(items[i].target = tg_bind_expr(b, a->target)))
                return failed(b);
            continue;
        }
        items[i].kind = TG_AST_SET_PROPERTY;
        items[i].pos = a->pos;
        items[i].key = a->target->u.property.key;
        items[i].target = tg_bind_expr(b, a->target->u.property.base);
        items[i].value = tg_bind_const(b, tg_value_null(), &a->pos);
        if (!items[i].target || !items[i].value)
            return failed(b);
    }
    *cur = tg_op_set(b->arena, *cur, items, n);
    return *cur ? TG_OK : nomem(b);
}

/* DELETE / DETACH DELETE: what can be deleted is checked here when its kind
 * is known (a label test, a number, a string...), the rest when it runs. */
static tg_status plan_delete(tg_binder *b, const tg_ast_clause *c, tg_op **cur)
{
    size_t n = c->u.delete_.n_exprs;
    tg_expr **exprs = tg_arena_calloc(b->arena, n + 1, sizeof *exprs);
    tg_ast_pos *pos = tg_arena_calloc(b->arena, n + 1, sizeof *pos);
    if (!exprs || !pos)
        return nomem(b);
    for (size_t i = 0; i < n; i++) {
        const tg_ast_expr *a = c->u.delete_.exprs[i];
        int k;
        pos[i] = a->pos;
        if (a->kind == TG_AST_HAS_LABELS)
            return tg_bind_error(b, TG_ESYNTAX, &a->pos,
                                 "InvalidDelete: DELETE takes nodes, relationships or paths; "
                                 "use REMOVE n:Label to take a label away");
        if (!(exprs[i] = tg_bind_expr(b, a)))
            return failed(b);
        k = tg_bind_static_kind(b, exprs[i]);
        if (k == TG_VAL_BOOL || k == TG_VAL_INT || k == TG_VAL_FLOAT || k == TG_VAL_STRING ||
            k == TG_VAL_MAP)
            return tg_bind_error(b, TG_ESYNTAX, &a->pos,
                                 "InvalidArgumentType: DELETE takes a node, a relationship or "
                                 "a path, got: %s",
                                 tg_value_kind_name((tg_vkind)k));
    }
    *cur = tg_op_delete(b->arena, *cur, exprs, pos, n, c->u.delete_.detach);
    return *cur ? TG_OK : nomem(b);
}

static tg_status plan_merge(tg_binder *b, const tg_ast_clause *c, tg_op **cur)
{
    const tg_ast_path *ap = c->u.merge.path;
    size_t mark = b->nscope;
    int first_new = b->nslots;
    tg_status st;
    mctx m;
    tg_op *arg, *sub;
    tg_create_path *cp;
    tg_set_item *on_create = NULL, *on_match = NULL;
    memset(&m, 0, sizeof m);
    m.b = b;
    m.npaths = 1;
    m.paths = tg_arena_calloc(b->arena, 1, sizeof *m.paths);
    cp = tg_arena_calloc(b->arena, 1, sizeof *cp);
    if (!m.paths || !cp)
        return nomem(b);
    if (ap->kind != TG_AST_PATH_PLAIN)
        return tg_bind_error(b, TG_ESYNTAX, &ap->pos,
                             "UnexpectedSyntax: MERGE takes a plain pattern");
    if ((st = plain_labels(b, ap, "MERGE")) != TG_OK)
        return st;
    for (size_t i = 0; i < ap->n_rels; i++) {
        const tg_ast_rel_pattern *rp = &ap->rels[i];
        if (rp->var_length)
            return tg_bind_error(b, TG_ESYNTAX, &rp->pos,
                                 "CreatingVarLength: MERGE cannot make variable-length "
                                 "relationships");
        if (rp->n_types != 1)
            return tg_bind_error(b, TG_ESYNTAX, &rp->pos,
                                 "NoSingleRelationshipType: MERGE needs exactly one "
                                 "relationship type");
    }
    for (size_t i = 0; i <= ap->n_rels; i++) {
        const tg_ast_node_pattern *np = &ap->nodes[i];
        /* a bound node merges as it is: nothing to add to it */
        if (np->var && tg_bind_lookup(b, np->var) &&
            (ap->n_rels == 0 || np->n_labels || np->properties))
            return tg_bind_error(b, TG_ESYNTAX, &np->pos,
                                 "VariableAlreadyBound: '%s' is already defined; MERGE cannot "
                                 "add labels or properties to it",
                                 np->var);
    }
    st = declare_path(b, ap, mark, &m.paths[0], &m);
    if (st == TG_OK)
        st = path_conjuncts(b, ap, &m.paths[0], &m);
    if (st == TG_OK)
        st = mctx_ready(&m, ap->n_rels);
    if (st != TG_OK) {
        mctx_destroy(&m);
        return st;
    }
    {
        ppath *pp = &m.paths[0];
        for (size_t k = 0; k <= pp->nrels; k++) {
            mark_clause(&m, pp->nodes[k].slot, pp->nodes[k].slot < first_new);
            if (k < pp->nrels)
                mark_clause(&m, pp->rels[k].slot, 0);
        }
        mark_clause(&m, pp->path_slot, 0);
        /* the creation spec: the same slots */
        cp->nnodes = pp->nrels + 1;
        cp->nrels = pp->nrels;
        cp->path_slot = pp->path_slot;
        cp->nodes = tg_arena_calloc(b->arena, cp->nnodes, sizeof *cp->nodes);
        cp->rels = tg_arena_calloc(b->arena, cp->nrels + 1, sizeof *cp->rels);
        if (!cp->nodes || !cp->rels)
            st = nomem(b);
        for (size_t k = 0; st == TG_OK && k < cp->nnodes; k++) {
            tg_create_node *cn = &cp->nodes[k];
            cn->slot = pp->nodes[k].slot;
            cn->pos = ap->nodes[k].pos;
            cn->labels = pp->nodes[k].labels;
            cn->bound = cn->slot < first_new;
            for (size_t j = 0; j < k; j++)
                if (cp->nodes[j].slot == cn->slot)
                    cn->bound = 1;
            if (!cn->bound)
                st = create_props(b, ap->nodes[k].properties, &cn->props);
        }
        for (size_t k = 0; st == TG_OK && k < cp->nrels; k++) {
            const tg_ast_rel_pattern *rp = &ap->rels[k];
            tg_create_rel *cr = &cp->rels[k];
            cr->slot = pp->rels[k].slot;
            cr->pos = rp->pos;
            cr->type = rp->types[0];
            cr->from = rp->direction == TG_AST_DIR_LEFT ? (int)k + 1 : (int)k;
            cr->to = rp->direction == TG_AST_DIR_LEFT ? (int)k : (int)k + 1;
            st = create_props(b, rp->properties, &cr->props);
        }
    }
    if (st == TG_OK) {
        arg = sub = tg_op_argument(b->arena);
        if (!arg)
            st = nomem(b);
    }
    if (st == TG_OK)
        st = plan_paths(&m, &sub);
    mctx_destroy(&m);
    if (st == TG_OK)
        st = bind_set_items(b, c->u.merge.on_create, c->u.merge.n_on_create, &on_create);
    if (st == TG_OK)
        st = bind_set_items(b, c->u.merge.on_match, c->u.merge.n_on_match, &on_match);
    if (st != TG_OK)
        return st;
    *cur = tg_op_merge(b->arena, *cur, sub, arg, cp, on_create, c->u.merge.n_on_create,
                       on_match, c->u.merge.n_on_match);
    return *cur ? TG_OK : nomem(b);
}

/* Where a query starts: the top level (one empty row, nothing in scope), or
 * a subquery (the outer row through an argument leaf, some variables in
 * scope). */
typedef struct qstart {
    tg_op *arg;          /* the subquery's first argument leaf; NULL: top level */
    const tg_var *scope; /* visible at the start */
    size_t nscope;
    int open_end;        /* the query may end without RETURN (EXISTS, COUNT) */
} qstart;

static tg_status plan_call_subquery(tg_binder *b, const tg_ast_clause *c, tg_op **cur);

static tg_status plan_single(tg_binder *b, const tg_ast_single_query *q, tg_op **cur,
                             tg_plan *out, int **union_slots, const qstart *start)
{
    tg_status st = TG_OK;
    if (start && start->arg) {
        /* every part of a UNION replays the same outer row */
        *cur = tg_op_argument(b->arena);
        if (*cur)
            tg_op_argument_follow(*cur, start->arg);
    } else
        *cur = tg_op_once(b->arena);
    if (!*cur)
        return nomem(b);
    b->nscope = 0;
    for (size_t i = 0; start && i < start->nscope && st == TG_OK; i++)
        st = tg_bind_declare_slot(b, start->scope[i].name, start->scope[i].slot,
                                  start->scope[i].type);
    for (size_t i = 0; i < q->n_clauses && st == TG_OK; i++) {
        const tg_ast_clause *c = q->clauses[i];
        int last = i + 1 == q->n_clauses;
        if (tg_bind_past_deadline(b))
            return failed(b);
        switch (c->kind) {
        case TG_AST_MATCH: st = plan_match(b, c, cur); break;
        case TG_AST_UNWIND: st = plan_unwind(b, c, cur); break;
        case TG_AST_LOAD_CSV: st = plan_load_csv(b, c, cur); break;
        case TG_AST_WITH:
            st = plan_projection(b, &c->u.projection, 0, cur, NULL, NULL);
            break;
        case TG_AST_RETURN:
            if (!last)
                return tg_bind_error(b, TG_ESYNTAX, &c->pos,
                                     "UnexpectedSyntax: RETURN must be the last clause");
            st = plan_projection(b, &c->u.projection, 1, cur, out, union_slots);
            break;
        case TG_AST_CREATE: st = plan_create(b, c, cur); break;
        case TG_AST_CALL_PROC:
            st = plan_call(b, c, q->n_clauses == 1, cur, out);
            break;
        case TG_AST_SET: st = plan_set(b, c, cur); break;
        case TG_AST_REMOVE: st = plan_remove(b, c, cur); break;
        case TG_AST_MERGE: st = plan_merge(b, c, cur); break;
        case TG_AST_CALL_SUBQUERY: st = plan_call_subquery(b, c, cur); break;
        case TG_AST_DELETE: st = plan_delete(b, c, cur); break;
        default:
            return tg_bind_error(b, TG_ESEMANTIC, &c->pos,
                                 "UnsupportedClause: this clause is not supported");
        }
        if (st == TG_OK && last && !(start && start->open_end) &&
            (c->kind == TG_AST_MATCH || c->kind == TG_AST_WITH || c->kind == TG_AST_UNWIND ||
             c->kind == TG_AST_LOAD_CSV))
            return tg_bind_error(b, TG_ESYNTAX, &c->pos,
                                 "UnexpectedSyntax: a query must end with RETURN or an "
                                 "updating clause");
    }
    return st;
}

static tg_status plan_query(tg_binder *b, const tg_ast_statement *st, tg_plan *out,
                            const qstart *start)
{
    tg_status s = TG_OK;
    memset(out, 0, sizeof *out);
    if (st->n_parts == 1)
        return plan_single(b, st->parts[0], &out->root, out, NULL, start);
    {
        tg_op **parts = tg_arena_calloc(b->arena, st->n_parts, sizeof *parts);
        int *uslots = NULL;
        int distinct = 0;
        if (!parts)
            return nomem(b);
        for (size_t i = 0; i < st->n_parts && s == TG_OK; i++) {
            tg_plan p;
            memset(&p, 0, sizeof p);
            s = plan_single(b, st->parts[i], &parts[i], &p, &uslots, start);
            if (s != TG_OK)
                break;
            if (i == 0)
                *out = p;
            else if (p.ncols != out->ncols)
                s = tg_bind_error(b, TG_ESYNTAX, &st->parts[i]->pos,
                                  "DifferentColumnsInUnion: all parts of a UNION must return "
                                  "the same columns");
            else
                for (size_t k = 0; k < p.ncols && s == TG_OK; k++)
                    if (strcmp(p.names[k], out->names[k]) != 0)
                        s = tg_bind_error(b, TG_ESYNTAX, &st->parts[i]->pos,
                                          "DifferentColumnsInUnion: all parts of a UNION must "
                                          "return the same columns");
            if (i > 0 && !st->parts[i]->union_all)
                distinct = 1;
        }
        if (s != TG_OK)
            return s;
        out->root = tg_op_union(b->arena, parts, st->n_parts);
        if (out->root && distinct)
            out->root = tg_op_distinct(b->arena, out->root, out->slots, out->ncols);
        return out->root ? TG_OK : nomem(b);
    }
}

tg_status tg_plan_statement(tg_binder *b, const tg_ast_statement *st, tg_plan *out)
{
    return plan_query(b, st, out, NULL);
}

/* ---- subqueries ---------------------------------------------------------------------- */

/* What the binder is in the middle of when a subquery starts (an aggregate
 * projection collecting aggregates, ORDER BY's item texts): saved, cleared
 * for the subquery, and restored after it. */
typedef struct bstate {
    tg_var *scope;
    size_t nscope;
    int agg_allowed, in_agg;
    tg_agg_spec *aggs;
    size_t naggs, capaggs;
    const char **match_texts;
    const int *match_slots;
    size_t nmatch;
} bstate;

static tg_status enter_subquery(tg_binder *b, bstate *sv)
{
    memset(sv, 0, sizeof *sv);
    sv->nscope = b->nscope;
    sv->scope = malloc((b->nscope + 1) * sizeof *sv->scope);
    if (!sv->scope)
        return nomem(b);
    if (b->nscope)
        memcpy(sv->scope, b->scope, b->nscope * sizeof *sv->scope);
    sv->agg_allowed = b->agg_allowed;
    sv->in_agg = b->in_agg;
    sv->aggs = b->aggs;
    sv->naggs = b->naggs;
    sv->capaggs = b->capaggs;
    sv->match_texts = b->match_texts;
    sv->match_slots = b->match_slots;
    sv->nmatch = b->nmatch;
    b->agg_allowed = b->in_agg = 0;
    b->aggs = NULL;
    b->naggs = b->capaggs = 0;
    b->match_texts = NULL;
    b->match_slots = NULL;
    b->nmatch = 0;
    return TG_OK;
}

static void leave_subquery(tg_binder *b, bstate *sv)
{
    free(b->aggs);
    b->agg_allowed = sv->agg_allowed;
    b->in_agg = sv->in_agg;
    b->aggs = sv->aggs;
    b->naggs = sv->naggs;
    b->capaggs = sv->capaggs;
    b->match_texts = sv->match_texts;
    b->match_slots = sv->match_slots;
    b->nmatch = sv->nmatch;
    b->nscope = 0;
    for (size_t i = 0; i < sv->nscope; i++)
        tg_bind_declare_slot(b, sv->scope[i].name, sv->scope[i].slot, sv->scope[i].type);
    free(sv->scope);
    sv->scope = NULL;
}

/* Whether a query updates the graph (a subquery used as a value may not). */
static const tg_ast_clause *first_update(const tg_ast_statement *st)
{
    for (size_t i = 0; i < st->n_parts; i++)
        for (size_t k = 0; k < st->parts[i]->n_clauses; k++) {
            const tg_ast_clause *c = st->parts[i]->clauses[k];
            if (c->kind == TG_AST_CREATE || c->kind == TG_AST_MERGE || c->kind == TG_AST_SET ||
                c->kind == TG_AST_DELETE || c->kind == TG_AST_REMOVE)
                return c;
            if (c->kind == TG_AST_CALL_SUBQUERY && first_update(c->u.subquery.query))
                return c;
        }
    return NULL;
}

tg_status tg_i_plan_subquery_expr(tg_binder *b, const tg_ast_expr *ast, tg_expr *e)
{
    bstate sv;
    qstart start;
    tg_plan plan;
    tg_status st;
    const tg_ast_clause *upd = first_update(ast->u.subquery.query);
    if (upd)
        return tg_bind_error(b, TG_ESYNTAX, &upd->pos,
                             "InvalidClauseComposition: a subquery used as a value cannot "
                             "change the graph");
    if ((st = enter_subquery(b, &sv)) != TG_OK)
        return st;
    memset(&start, 0, sizeof start);
    start.arg = e->arg = tg_op_argument(b->arena);
    start.scope = sv.scope; /* the outer variables are visible inside */
    start.nscope = sv.nscope;
    start.open_end = ast->kind != TG_AST_COLLECT_SUBQUERY;
    st = start.arg ? plan_query(b, ast->u.subquery.query, &plan, &start) : nomem(b);
    if (st == TG_OK && ast->kind == TG_AST_COLLECT_SUBQUERY && plan.ncols != 1)
        st = tg_bind_error(b, TG_ESYNTAX, &ast->pos,
                           "InvalidSubqueryReturn: COLLECT { ... } must return exactly one "
                           "column, not %zu",
                           plan.ncols);
    if (st == TG_OK) {
        e->plan = plan.root;
        if (ast->kind == TG_AST_COLLECT_SUBQUERY &&
            !(e->c = tg_bind_slot(b, plan.slots[0], &ast->pos)))
            st = nomem(b);
    }
    leave_subquery(b, &sv);
    return st;
}

/* CALL { ... } / CALL (x) { ... } / OPTIONAL CALL: for each row, the
 * subquery's rows joined to it (Apply); a subquery without RETURN (a unit
 * subquery: updates only) passes each row on once. The subquery sees the
 * variables of its scope clause (CALL (a, b), CALL (*)), or, without one,
 * those its first clause imports with WITH; nothing else. */
static tg_status plan_call_subquery(tg_binder *b, const tg_ast_clause *c, tg_op **cur)
{
    const tg_ast_statement *q = c->u.subquery.query;
    const tg_ast_single_query *q0 = q->parts[0];
    bstate sv;
    qstart start;
    tg_plan plan;
    tg_var *scope = NULL;
    int *nulls = NULL;
    tg_status st;
    int unit;
    if ((st = enter_subquery(b, &sv)) != TG_OK)
        return st;
    memset(&start, 0, sizeof start);
    start.arg = tg_op_argument(b->arena);
    scope = malloc((sv.nscope + c->u.subquery.n_scope + 1) * sizeof *scope);
    if (!start.arg || !scope) {
        st = nomem(b);
        goto done;
    }
    if (c->u.subquery.has_scope && !c->u.subquery.scope_star) {
        for (size_t i = 0; i < c->u.subquery.n_scope && st == TG_OK; i++) {
            const tg_var *v = NULL;
            for (size_t k = sv.nscope; k > 0 && !v; k--)
                if (sv.scope[k - 1].name && strcmp(sv.scope[k - 1].name, c->u.subquery.scope[i]) == 0)
                    v = &sv.scope[k - 1];
            if (!v)
                st = tg_bind_error(b, TG_ESYNTAX, &c->u.subquery.scope_pos[i],
                                   "UndefinedVariable: variable '%s' is not defined",
                                   c->u.subquery.scope[i]);
            else
                scope[start.nscope++] = *v;
        }
    } else if (c->u.subquery.has_scope ||
               (q0->n_clauses > 0 && q0->clauses[0]->kind == TG_AST_WITH)) {
        /* CALL (*), or an importing WITH: it sees the outer variables and
           keeps those it names */
        memcpy(scope, sv.scope, sv.nscope * sizeof *scope);
        start.nscope = sv.nscope;
    }
    if (st != TG_OK)
        goto done;
    start.scope = scope;
    st = plan_query(b, q, &plan, &start);
    if (st != TG_OK)
        goto done;
    unit = q0->clauses[q0->n_clauses - 1]->kind != TG_AST_RETURN;
    leave_subquery(b, &sv);
    /* the returned variables join the outer ones */
    nulls = tg_arena_calloc(b->arena, plan.ncols + 1, sizeof *nulls);
    if (!nulls) {
        free(scope);
        return nomem(b);
    }
    for (size_t i = 0; i < plan.ncols && st == TG_OK; i++) {
        if (tg_bind_lookup(b, plan.names[i]))
            st = tg_bind_error(b, TG_ESYNTAX, &c->pos,
                               "VariableAlreadyBound: the subquery returns '%s', which is "
                               "already defined",
                               plan.names[i]);
        else
            st = tg_bind_declare_slot(b, plan.names[i], plan.slots[i], TG_VT_ANY);
        nulls[i] = plan.slots[i];
    }
    free(scope);
    if (st != TG_OK)
        return st;
    *cur = tg_op_apply(b->arena, *cur, plan.root, start.arg, c->u.subquery.optional, nulls,
                       plan.ncols);
    if (*cur && unit)
        tg_op_apply_set_unit(*cur);
    if (*cur && first_update(q))
        tg_op_apply_set_eager(*cur);
    return *cur ? TG_OK : nomem(b);
done:
    free(scope);
    leave_subquery(b, &sv);
    return st;
}
