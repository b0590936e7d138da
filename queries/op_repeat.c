/* op_repeat.c — quantified path patterns: (a) ((x)-[r]->(y) WHERE p){m,n} (b).
 *
 * The inner pattern is a sub-plan whose leaf (an argument op) replays a row
 * with the inner first node (x) set to where the walk stands; each of its
 * rows is one more iteration, ending at the inner last node (y). The walk
 * goes level by level: level k holds every way to stand after k iterations
 * (a row each, materialised), and the levels from m to n are emitted, the
 * shortest first. Each state row carries, in hidden slots, the node it
 * stands at and the list of every relationship walked so far, which keeps
 * the walk a trail (no relationship twice, as openCypher's relationship
 * isomorphism asks, also against the other relationships of the same MATCH)
 * and gives a path variable its relationships. Group variables (x, r, y as
 * written) become lists, one item per iteration. An unbounded quantifier
 * ends when a level is empty, which trails guarantee; the expansion cap and
 * the time limit bound the work on the way.
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

typedef struct op_repeat {
    tg_op base;
    tg_op *sub, *arg;
    int from, to, to_bound;   /* the outer nodes around the pattern */
    int at_slot, rels_slot;   /* hidden: where a state stands; every relationship walked */
    int inner_first, inner_last;
    const int *inner_rels;    /* the inner pattern's relationship slots */
    size_t n_inner_rels;
    const int *group_inner, *group_outer; /* group variables: inner slot -> outer list slot */
    size_t ngroups;
    long min, max;
    const int *uniq; /* relationships bound earlier in the same MATCH */
    size_t nuniq;
    tg_value *in, *tmp;
    tg_rowbuf level, next; /* the states after k iterations; after k + 1 */
    size_t k, i;
    int active;
} op_repeat;

static tg_status repeat_open(tg_op *op, tg_exec *x)
{
    op_repeat *o = (op_repeat *)op;
    o->active = 0;
    if (!o->in) {
        o->in = malloc((x->width ? x->width : 1) * sizeof *o->in);
        o->tmp = malloc((x->width ? x->width : 1) * sizeof *o->tmp);
        if (!o->in || !o->tmp)
            return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return tg_op_open(op->child, x);
}

/* list + [v], in x->mem; a null-kind value when out of memory. */
static tg_value append(tg_exec *x, const tg_value *list, const tg_value *v, size_t n)
{
    size_t have = list->kind == TG_VAL_LIST ? list->len : 0;
    tg_value *items = tg_vmem_alloc(x->mem, (have + n) * sizeof *items);
    if (!items)
        return tg_value_null();
    if (have)
        memcpy(items, list->u.items, have * sizeof *items);
    memcpy(items + have, v, n * sizeof *items);
    return tg_value_list_ref(items, have + n);
}

/* One inner row (an iteration from state s) into the next level, unless it
 * walks a relationship again. 0, or -1 on error. */
static int extend(op_repeat *o, tg_exec *x, const tg_value *s, tg_value *r)
{
    tg_value rels[16], *rv = rels;
    int rc = 0;
    if (o->n_inner_rels > 16 &&
        !(rv = tg_vmem_alloc(x->mem, o->n_inner_rels * sizeof *rv)))
        return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < o->n_inner_rels; i++) {
        tg_value v = r[o->inner_rels[i]];
        int used = 1;
        if (v.kind != TG_VAL_REL)
            return 0;
        /* a trail: not walked in an earlier iteration, nor elsewhere in the MATCH */
        used = tg_rel_is_used(s, &o->rels_slot, 1, v.u.rel) ||
               tg_rel_is_used(s, o->uniq, o->nuniq, v.u.rel);
        if (used)
            return 0;
        rv[i] = v;
    }
    r[o->rels_slot] = append(x, &s[o->rels_slot], rv, o->n_inner_rels);
    r[o->at_slot] = r[o->inner_last];
    for (size_t g = 0; g < o->ngroups && rc == 0; g++) {
        r[o->group_outer[g]] = append(x, &s[o->group_outer[g]], &r[o->group_inner[g]], 1);
        if (r[o->group_outer[g]].kind != TG_VAL_LIST)
            rc = tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    }
    if (rc == 0 && r[o->rels_slot].kind != TG_VAL_LIST)
        rc = tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
    if (rc == 0 && tg_exec_tick(x, 1))
        rc = -1;
    if (rc == 0)
        rc = tg_rowbuf_push(x, &o->next, r);
    return rc;
}

/* Level k + 1 from level k. 0, or -1 on error. */
static int step(op_repeat *o, tg_exec *x)
{
    tg_rowbuf t;
    o->next.n = 0;
    for (size_t i = 0; i < o->level.n; i++) {
        tg_value *s = tg_rowbuf_at(&o->level, x, i);
        int r;
        memcpy(o->tmp, s, x->width * sizeof *s);
        o->tmp[o->inner_first] = s[o->at_slot];
        tg_op_argument_set(o->arg, o->tmp);
        if (tg_op_open(o->sub, x) != TG_OK)
            return -1;
        while ((r = tg_op_next(o->sub, x, o->in)) > 0)
            if (extend(o, x, s, o->in))
                return -1;
        tg_op_close(o->sub);
        if (r < 0)
            return -1;
    }
    t = o->level;
    o->level = o->next;
    o->next = t;
    o->k++;
    return 0;
}

static int start(op_repeat *o, tg_exec *x, const tg_value *row)
{
    tg_value *s;
    o->level.n = 0;
    o->k = 0;
    o->i = 0;
    if (row[o->from].kind != TG_VAL_NODE)
        return 0;
    if (tg_rowbuf_push(x, &o->level, row))
        return -1;
    s = tg_rowbuf_at(&o->level, x, 0);
    s[o->at_slot] = row[o->from];
    s[o->rels_slot] = tg_value_list_ref(NULL, 0);
    for (size_t g = 0; g < o->ngroups; g++)
        s[o->group_outer[g]] = tg_value_list_ref(NULL, 0);
    return 0;
}

static int repeat_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_repeat *o = (op_repeat *)op;
    for (;;) {
        if (!o->active) {
            int r = tg_op_next(op->child, x, row);
            if (r <= 0)
                return r;
            if (start(o, x, row))
                return -1;
            o->active = 1;
        }
        /* emit level k once it is within the bounds */
        while ((long)o->k >= o->min && o->i < o->level.n) {
            const tg_value *s = tg_rowbuf_at(&o->level, x, o->i++);
            if (o->to_bound && (s[o->to].kind != TG_VAL_NODE ||
                                s[o->to].u.node != s[o->at_slot].u.node))
                continue;
            memcpy(row, s, x->width * sizeof *row);
            if (!o->to_bound)
                row[o->to] = s[o->at_slot];
            return 1;
        }
        if (o->level.n == 0 || (o->max >= 0 && (long)o->k >= o->max)) {
            o->active = 0;
            continue;
        }
        if (step(o, x))
            return -1;
        o->i = 0;
    }
}

static void repeat_close(tg_op *op)
{
    op_repeat *o = (op_repeat *)op;
    free(o->in);
    free(o->tmp);
    o->in = o->tmp = NULL;
    tg_rowbuf_free(&o->level);
    tg_rowbuf_free(&o->next);
    tg_op_close(o->sub);
}

static void repeat_explain(const tg_op *op, tg_explain *e)
{
    const op_repeat *o = (const op_repeat *)op;
    double per = 1, total = 0, pk = 1, in = tg_explain_input(e);
    long hi = o->max < 0 ? o->min + 4 : o->max;
    if (o->max < 0)
        tg_explain_detail(e, "(%s) the branch {%ld,} times (%s)", tg_explain_slot(e, o->from),
                          o->min, tg_explain_slot(e, o->to));
    else
        tg_explain_detail(e, "(%s) the branch {%ld,%ld} times (%s)", tg_explain_slot(e, o->from),
                          o->min, o->max, tg_explain_slot(e, o->to));
    tg_explain_detail(e, ", level by level, as a trail");
    per = tg_explain_branch(e, o->sub);
    for (long k = 0; k <= hi && k <= 64; k++) {
        if (k >= o->min)
            total += pk;
        pk *= per;
    }
    tg_explain_estimate(e, in * total);
}

static const tg_op_vt repeat_vt = {"Repeat", repeat_open, repeat_next, repeat_close,
                                   repeat_explain};

tg_op *tg_op_repeat(tg_arena *a, tg_op *child, const tg_repeat_spec *spec)
{
    op_repeat *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &repeat_vt;
    o->base.child = child;
    o->sub = spec->sub;
    o->arg = spec->arg;
    o->from = spec->from;
    o->to = spec->to;
    o->to_bound = spec->to_bound;
    o->at_slot = spec->at_slot;
    o->rels_slot = spec->rels_slot;
    o->inner_first = spec->inner_first;
    o->inner_last = spec->inner_last;
    o->inner_rels = spec->inner_rels;
    o->n_inner_rels = spec->n_inner_rels;
    o->group_inner = spec->group_inner;
    o->group_outer = spec->group_outer;
    o->ngroups = spec->ngroups;
    o->min = spec->min;
    o->max = spec->max;
    o->uniq = spec->uniq;
    o->nuniq = spec->nuniq;
    return &o->base;
}
