/* op_distinct.c — DISTINCT: passes the first row of each combination of the
 * projected slots, under equivalence (null ~ null, 1 ~ 1.0, lists and maps
 * elementwise). Also home of tg_rowset, the open-addressing hash set of key
 * tuples that grouping shares.
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

void tg_rowset_init(tg_rowset *s, size_t nkeys)
{
    memset(s, 0, sizeof *s);
    s->nkeys = nkeys;
}

void tg_rowset_destroy(tg_rowset *s)
{
    free(s->keys);
    free(s->hashes);
    free(s->table);
    memset(s, 0, sizeof *s);
}

static int same(const tg_rowset *s, size_t idx, const tg_value *key)
{
    for (size_t k = 0; k < s->nkeys; k++)
        if (!tg_value_equivalent(&s->keys[idx * s->nkeys + k], &key[k]))
            return 0;
    return 1;
}

static tg_status grow_table(tg_rowset *s)
{
    size_t nc = s->tcap ? s->tcap * 2 : 64;
    uint32_t *t = calloc(nc, sizeof *t);
    if (!t)
        return TG_ENOMEM;
    for (size_t i = 0; i < s->count; i++) {
        size_t h = (size_t)s->hashes[i] & (nc - 1);
        while (t[h])
            h = (h + 1) & (nc - 1);
        t[h] = (uint32_t)(i + 1);
    }
    free(s->table);
    s->table = t;
    s->tcap = nc;
    return TG_OK;
}

tg_status tg_rowset_put(tg_rowset *s, const tg_value *key, size_t *index, int *added)
{
    uint64_t h = 0x12345;
    size_t pos;
    for (size_t k = 0; k < s->nkeys; k++)
        h = h * 0x9e3779b97f4a7c15ull ^ tg_value_hash(&key[k]);
    *added = 0;
    if ((s->count + 1) * 2 > s->tcap && grow_table(s) != TG_OK)
        return TG_ENOMEM;
    pos = (size_t)h & (s->tcap - 1);
    while (s->table[pos]) {
        size_t idx = s->table[pos] - 1;
        if (s->hashes[idx] == h && same(s, idx, key)) {
            *index = idx;
            return TG_OK;
        }
        pos = (pos + 1) & (s->tcap - 1);
    }
    if (s->count == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 16;
        tg_value *nk = realloc(s->keys, nc * (s->nkeys ? s->nkeys : 1) * sizeof *nk);
        if (!nk)
            return TG_ENOMEM;
        s->keys = nk;
        uint64_t *nh = realloc(s->hashes, nc * sizeof *nh);
        if (!nh)
            return TG_ENOMEM;
        s->hashes = nh;
        s->cap = nc;
    }
    if (s->nkeys)
        memcpy(&s->keys[s->count * s->nkeys], key, s->nkeys * sizeof *key);
    s->hashes[s->count] = h;
    s->table[pos] = (uint32_t)(s->count + 1);
    *index = s->count++;
    *added = 1;
    return TG_OK;
}

typedef struct op_distinct {
    tg_op base;
    const int *slots;
    size_t n;
    tg_rowset set;
    tg_value *key;
} op_distinct;

static tg_status distinct_open(tg_op *op, tg_exec *x)
{
    op_distinct *o = (op_distinct *)op;
    tg_rowset_destroy(&o->set);
    tg_rowset_init(&o->set, o->n);
    if (!o->key) {
        o->key = malloc((o->n ? o->n : 1) * sizeof *o->key);
        if (!o->key)
            return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return tg_op_open(op->child, x);
}

static int distinct_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_distinct *o = (op_distinct *)op;
    for (;;) {
        size_t idx;
        int added, r = tg_op_next(op->child, x, row);
        if (r <= 0)
            return r;
        for (size_t k = 0; k < o->n; k++)
            o->key[k] = row[o->slots[k]];
        if (tg_rowset_put(&o->set, o->key, &idx, &added) != TG_OK)
            return tg_exec_fail(x, TG_ENOMEM, NULL, "out of memory");
        if (added)
            return 1;
    }
}

static void distinct_close(tg_op *op)
{
    op_distinct *o = (op_distinct *)op;
    tg_rowset_destroy(&o->set);
    free(o->key);
    o->key = NULL;
}

static void distinct_explain(const tg_op *op, tg_explain *e)
{
    const op_distinct *o = (const op_distinct *)op;
    for (size_t i = 0; i < o->n; i++)
        tg_explain_detail(e, "%s%s", i ? ", " : "", tg_explain_slot(e, o->slots[i]));
}

static const tg_op_vt distinct_vt = {"Distinct", distinct_open, distinct_next, distinct_close, distinct_explain};

tg_op *tg_op_distinct(tg_arena *a, tg_op *child, const int *slots, size_t n)
{
    op_distinct *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &distinct_vt;
    o->base.child = child;
    o->slots = slots;
    o->n = n;
    return &o->base;
}
