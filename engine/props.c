/* props.c — property columns and the list pool.
 *
 * One column per (side, key): rows ascending, values parallel. Imports add
 * rows in increasing order, so a set is usually an append; a set on an
 * earlier row is a binary search and, for a new row, a memmove.
 * Lists are immutable and deduplicated: identical lists share one run of
 * the pool, so a million relations citing ["aspi-2019"] cost one list.
 */
#include "graph_internal.h"
#include "temporal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EMPTY32 0xFFFFFFFFu

tg_pval tg_i_pval_clean(const tg_pval *v)
{
    tg_pval c;

    memset(&c, 0, sizeof c);
    c.type = v->type;
    switch ((tg_vtype)v->type) {
    case TG_V_BOOL: c.u.i = 0; c.u.b = v->u.b ? 1 : 0; break;
    case TG_V_INT: c.u.i = v->u.i; break;
    case TG_V_FLOAT: c.u.f = v->u.f; break;
    case TG_V_STRING: c.u.i = 0; c.u.s = v->u.s; break;
    case TG_V_LIST:
    case TG_V_DATETIME: /* four integers in the list pool */
    case TG_V_DURATION:
        c.u.i = 0;
        c.elem = v->elem;
        c.len = v->len;
        c.u.list = v->u.list;
        break;
    case TG_V_DATE:
    case TG_V_LOCALTIME: c.u.i = v->u.i; break;
    case TG_V_TIME:
    case TG_V_LOCALDATETIME:
        c.u.i = v->u.i;
        c.len = v->len;
        break;
    case TG_V_NULL: break;
    }
    return c;
}

/* What a list may hold: one of the scalar or temporal types. */
static int is_scalar(uint8_t t)
{
    return t == TG_V_BOOL || t == TG_V_INT || t == TG_V_FLOAT || t == TG_V_STRING ||
           tg_time_is_kind(t);
}

/* The four integers of a pooled temporal (datetime, duration). */
static const tg_pval *pooled(const tg_graph *g, const tg_pval *v)
{
    return (const tg_pval *)g->list_pool.a + v->u.list;
}

uint64_t tg_i_pval_hash(const tg_graph *g, const tg_pval *v)
{
    switch ((tg_vtype)v->type) {
    case TG_V_BOOL: return tg_hash_u64(0xb0 + (uint64_t)(v->u.b != 0));
    case TG_V_INT: return tg_hash_u64((uint64_t)v->u.i ^ 0x1111);
    case TG_V_FLOAT:
        /* 1.0 must hash as 1 because Cypher has 1 = 1.0 */
        if (v->u.f == floor(v->u.f) && fabs(v->u.f) < 9.2e18)
            return tg_hash_u64((uint64_t)(int64_t)v->u.f ^ 0x1111);
        {
            uint64_t bits;
            double f = v->u.f == 0.0 ? 0.0 : v->u.f;
            memcpy(&bits, &f, sizeof bits);
            return tg_hash_u64(bits ^ 0x2222);
        }
    case TG_V_STRING: return tg_hash_u64((uint64_t)v->u.s * 0x9e3779b97f4a7c15ULL);
    case TG_V_LIST: {
        const tg_pval *items = tg_graph_list(g, v);
        uint64_t h = 0x3333 + v->len;
        uint32_t i;
        for (i = 0; i < v->len; i++)
            h = tg_hash_u64(h ^ tg_i_pval_hash(g, &items[i]));
        return h;
    }
    case TG_V_DATETIME:
    case TG_V_DURATION: return tg_hash_bytes(pooled(g, v), 4 * sizeof(tg_pval), 0x5555 + v->type);
    case TG_V_DATE:
    case TG_V_LOCALTIME:
    case TG_V_TIME:
    case TG_V_LOCALDATETIME: {
        tg_pval c = tg_i_pval_clean(v);
        return tg_hash_bytes(&c, sizeof c, 0x6666);
    }
    case TG_V_NULL: break;
    }
    return 0;
}

int tg_i_pval_equal(const tg_graph *g, const tg_pval *a, const tg_pval *b)
{
    if (a->type == TG_V_INT && b->type == TG_V_FLOAT)
        return (double)a->u.i == b->u.f;
    if (a->type == TG_V_FLOAT && b->type == TG_V_INT)
        return a->u.f == (double)b->u.i;
    if (a->type != b->type)
        return 0;
    switch ((tg_vtype)a->type) {
    case TG_V_BOOL: return (a->u.b != 0) == (b->u.b != 0);
    case TG_V_INT: return a->u.i == b->u.i;
    case TG_V_FLOAT: return a->u.f == b->u.f;
    case TG_V_STRING: return a->u.s == b->u.s;
    case TG_V_LIST: {
        const tg_pval *x = tg_graph_list(g, a), *y = tg_graph_list(g, b);
        uint32_t i;
        if (a->len != b->len)
            return 0;
        for (i = 0; i < a->len; i++)
            if (!tg_i_pval_equal(g, &x[i], &y[i]))
                return 0;
        return 1;
    }
    case TG_V_DATETIME: /* the same instant in the same zone: the same integers */
    case TG_V_DURATION: return memcmp(pooled(g, a), pooled(g, b), 4 * sizeof(tg_pval)) == 0;
    case TG_V_DATE:
    case TG_V_LOCALTIME:
    case TG_V_TIME:
    case TG_V_LOCALDATETIME: return a->u.i == b->u.i && a->len == b->len;
    case TG_V_NULL: return 1;
    }
    return 0;
}

/* Exact identity for list deduplication: 1 and 1.0 are different lists. */
static int same_items(const tg_pval *x, const tg_pval *y, size_t n)
{
    return memcmp(x, y, n * sizeof *x) == 0;
}

tg_status tg_graph_make_list(tg_graph *g, const tg_pval *items, size_t n, tg_pval *out,
                             tg_error *err)
{
    tg_pval *clean = NULL;
    uint64_t h = 0x4444;
    uint32_t key, off;
    size_t i;
    tg_status st = TG_OK;

    memset(out, 0, sizeof *out);
    out->type = TG_V_LIST;
    out->elem = TG_V_NULL;
    if (n == 0)
        return TG_OK;
    if (n > 0xFFFFFFF0u || g->list_pool.n + n > 0xFFFFFFF0u)
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "list too long");
    for (i = 0; i < n; i++) {
        if (!is_scalar(items[i].type) || items[i].type != items[0].type)
            return tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                                "a stored list holds scalars of one type");
        if (items[i].type == TG_V_STRING && items[i].u.s >= g->str_ptr.n)
            return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "list string is not interned");
        if (tg_time_is_kind(items[i].type) && !tg_i_temporal_check(g, &items[i]))
            return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "an invalid temporal in a list");
    }
    clean = malloc(n * sizeof *clean);
    if (!clean)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    for (i = 0; i < n; i++) {
        clean[i] = tg_i_pval_clean(&items[i]);
        h = tg_hash_bytes(&clean[i], sizeof clean[i], h);
    }
    key = (uint32_t)(h ^ (h >> 32));
    if (key == EMPTY32)
        key = 0;
    off = tg_u32map_get(&g->list_of_hash, key);
    if (off != EMPTY32 && off + n <= g->list_pool.n &&
        same_items((tg_pval *)g->list_pool.a + off, clean, n))
        goto found;
    if (tg_vec_reserve(&g->list_pool, sizeof(tg_pval), g->list_pool.n + n) != 0) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    off = (uint32_t)g->list_pool.n;
    memcpy((tg_pval *)g->list_pool.a + off, clean, n * sizeof *clean);
    g->list_pool.n += n;
    /* On a hash collision the newer list wins the slot; the older one is
     * still valid, it just stops being shared. */
    if (tg_u32map_put(&g->list_of_hash, key, off) != 0) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
found:
    out->elem = clean[0].type;
    out->len = (uint32_t)n;
    out->u.list = off;
done:
    free(clean);
    return st;
}

const tg_pval *tg_graph_list(const tg_graph *g, const tg_pval *list)
{
    if (list->type != TG_V_LIST || list->len == 0)
        return NULL;
    return (const tg_pval *)g->list_pool.a + list->u.list;
}

/* Exact identity of stored values (1 and 1.0 differ; lists by content). */
static int same_value(const tg_graph *g, const tg_pval *a, const tg_pval *b)
{
    uint32_t i;

    if (a->type != b->type)
        return 0;
    if (tg_i_temporal_pooled(a->type))
        return memcmp(pooled(g, a), pooled(g, b), 4 * sizeof(tg_pval)) == 0;
    if (a->type != TG_V_LIST)
        return memcmp(a, b, sizeof *a) == 0;
    if (a->len != b->len || a->elem != b->elem)
        return 0;
    for (i = 0; i < a->len; i++)
        if (!same_value(g, &tg_graph_list(g, a)[i], &tg_graph_list(g, b)[i]))
            return 0;
    return 1;
}

/* ---- columns ------------------------------------------------------------- */

/* The column of key, made ready for row `item`: a pending column is loaded
 * unless item lies past everything its base part can hold (then the tail
 * alone answers) or, when alone is not NULL, the row can be read by itself
 * (tg_i_column_probe): then *alone is 1 and *v its value (NULL: none). NULL
 * when there is no such column or its load failed (recorded in the graph;
 * a failed read alone leaves *alone 1 and *v NULL). The graph is logically
 * const: loading only fills a cache. */
static tg_column *column_of(const tg_graph *g, tg_side side, tg_sym key, uint32_t item,
                            int *alone, const tg_pval **v)
{
    const tg_side_props *p = &g->props[side];
    uint32_t k = tg_u32map_get(&p->col_of_key, key);
    tg_column *c;
    int r;

    if (alone) {
        *alone = 0;
        *v = NULL;
    }
    if (k == EMPTY32)
        return NULL;
    c = &TG_VEC_AT(&p->cols, tg_column, k);
    if (!c->pending || item > c->last)
        return c;
    if (alone && (r = tg_i_column_probe((tg_graph *)g, side, k, item, v)) != 1) {
        *alone = 1;
        return c;
    }
    return tg_i_column_load((tg_graph *)g, side, k) != 0 ? NULL : c;
}

/* Position of row in c (found: *hit = 1), or where it would go. */
static size_t find_row(const tg_column *c, uint32_t row, int *hit)
{
    const uint32_t *rows = c->rows.a;
    size_t lo = 0, hi = c->rows.n;

    *hit = 0;
    if (hi > 0 && rows[hi - 1] < row)
        return hi;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rows[mid] < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    *hit = lo < c->rows.n && rows[lo] == row;
    return lo;
}

static size_t side_count(const tg_graph *g, tg_side side)
{
    return side == TG_ENTITY ? g->ent_id.n : tg_i_nrel(g);
}

/* Queues a change of a row that pending column c's base part may hold (as
 * a replayed one is) instead of loading the column; old is the row's value
 * read alone. */
static tg_status queue_change(tg_graph *g, tg_side side, tg_column *c, uint32_t item, tg_sym key,
                              const tg_pval *v, const tg_pval *old, tg_error *err)
{
    tg_i_replay q;

    if (g->src.st != TG_OK) /* the read alone failed */
        return tg_graph_status(g, err);
    memset(&q, 0, sizeof q);
    q.row = item;
    q.seq = (uint32_t)c->queue.n;
    if (v->type != TG_V_NULL)
        q.v = tg_i_pval_clean(v);
    if (v->type == TG_V_NULL ? !old : old && same_value(g, old, &q.v))
        return TG_OK; /* no change */
    if (tg_vec_push(&c->queue, sizeof q, &q) != 0)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    g->generation++;
    tg_i_note_prop(g, side, item, key);
    if (side == TG_ENTITY)
        tg_i_graph_invalidate(g, TG_I_CHANGE_PROPS);
    return TG_OK;
}

tg_status tg_graph_set_prop(tg_graph *g, tg_side side, uint32_t item, tg_sym key,
                            const tg_pval *v, tg_error *err)
{
    tg_side_props *p;
    tg_column *c;
    const tg_pval *old;
    tg_pval clean;
    int alone;
    size_t pos;
    int hit;

    if ((side != TG_ENTITY && side != TG_RELATION) || item >= side_count(g, side))
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "no such entity or relation");
    if (tg_i_bit(side == TG_ENTITY ? &g->ent_dead : &g->rel_dead, item))
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                            "the %s was deleted; its properties cannot be set",
                            side == TG_ENTITY ? "entity" : "relation");
    if (key == 0 || key >= g->str_ptr.n)
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "a property key must not be empty");
    if (v->type > TG_V_DURATION || (v->type == TG_V_STRING && v->u.s >= g->str_ptr.n) ||
        (v->type == TG_V_LIST && v->len && (uint64_t)v->u.list + v->len > g->list_pool.n) ||
        (tg_time_is_kind(v->type) && !tg_i_temporal_check(g, v)))
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "invalid property value");
    p = &g->props[side];
    c = column_of(g, side, key, item, &alone, &old);
    if (alone)
        return queue_change(g, side, c, item, key, v, old, err);
    if (!c && tg_u32map_get(&p->col_of_key, key) != EMPTY32)
        return tg_graph_status(g, err); /* the column could not be loaded */
    if (!c) {
        tg_column fresh;
        uint32_t k = (uint32_t)p->cols.n;
        if (v->type == TG_V_NULL)
            return TG_OK;
        memset(&fresh, 0, sizeof fresh);
        fresh.key = key;
        if (tg_vec_push(&p->cols, sizeof fresh, &fresh) != 0 ||
            tg_u32map_put(&p->col_of_key, key, k) != 0)
            return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        p->keys_sorted.n = 0; /* stale */
        c = &TG_VEC_AT(&p->cols, tg_column, k);
    }
    pos = find_row(c, item, &hit);
    if (v->type == TG_V_NULL) {
        if (hit) {
            memmove((uint32_t *)c->rows.a + pos, (uint32_t *)c->rows.a + pos + 1,
                    (c->rows.n - pos - 1) * sizeof(uint32_t));
            memmove((tg_pval *)c->vals.a + pos, (tg_pval *)c->vals.a + pos + 1,
                    (c->vals.n - pos - 1) * sizeof(tg_pval));
            c->rows.n--;
            c->vals.n--;
            goto changed;
        }
        return TG_OK;
    }
    clean = tg_i_pval_clean(v);
    if (hit) {
        tg_pval *old = &TG_VEC_AT(&c->vals, tg_pval, pos);
        if (same_value(g, old, &clean))
            return TG_OK;
        *old = clean;
        goto changed;
    }
    if (tg_vec_reserve(&c->rows, sizeof(uint32_t), c->rows.n + 1) != 0 ||
        tg_vec_reserve(&c->vals, sizeof(tg_pval), c->vals.n + 1) != 0)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    memmove((uint32_t *)c->rows.a + pos + 1, (uint32_t *)c->rows.a + pos,
            (c->rows.n - pos) * sizeof(uint32_t));
    memmove((tg_pval *)c->vals.a + pos + 1, (tg_pval *)c->vals.a + pos,
            (c->vals.n - pos) * sizeof(tg_pval));
    TG_VEC_AT(&c->rows, uint32_t, pos) = item;
    TG_VEC_AT(&c->vals, tg_pval, pos) = clean;
    c->rows.n++;
    c->vals.n++;
changed:
    g->generation++;
    tg_i_note_prop(g, side, item, key);
    if (side == TG_ENTITY)
        tg_i_graph_invalidate(g, TG_I_CHANGE_PROPS);
    return TG_OK;
}

const tg_pval *tg_graph_prop(const tg_graph *g, tg_side side, uint32_t item, tg_sym key)
{
    const tg_column *c;
    const tg_pval *v = NULL;
    size_t pos;
    int hit, alone;

    if (side != TG_ENTITY && side != TG_RELATION)
        return NULL;
    /* A deleted item's rows stay in the columns until compaction. */
    if (tg_i_bit(side == TG_ENTITY ? &g->ent_dead : &g->rel_dead, item))
        return NULL;
    c = column_of(g, side, key, item, &alone, &v);
    if (alone || !c)
        return v;
    pos = find_row(c, item, &hit);
    return hit ? &TG_VEC_AT(&c->vals, tg_pval, pos) : NULL;
}

static const tg_graph *sort_graph; /* qsort has no context argument */

static int by_name(const void *a, const void *b)
{
    size_t la, lb;
    const char *sa = tg_graph_str(sort_graph, *(const tg_sym *)a, &la);
    const char *sb = tg_graph_str(sort_graph, *(const tg_sym *)b, &lb);
    int c = memcmp(sa, sb, la < lb ? la : lb);

    return c ? c : (la > lb) - (la < lb);
}

/* Sorts syms by their string. The comparison needs the graph; the file
 * keeps it in a static for the duration of the call (one thread only, as
 * the whole engine). */
void tg_i_sort_syms_by_name(const tg_graph *g, tg_sym *syms, size_t n);
void tg_i_sort_syms_by_name(const tg_graph *g, tg_sym *syms, size_t n)
{
    if (n < 2)
        return;
    sort_graph = g;
    qsort(syms, n, sizeof *syms, by_name);
    sort_graph = NULL;
}

size_t tg_graph_prop_keys(const tg_graph *g, tg_side side, const tg_sym **keys)
{
    tg_side_props *p = (tg_side_props *)&g->props[side];
    size_t i;

    /* The sorted key list is a cache; rebuilding it does not change the
     * graph's content, hence the cast away from const. */
    if (p->keys_sorted.n != p->cols.n) {
        if (tg_vec_reserve(&p->keys_sorted, sizeof(tg_sym), p->cols.n) != 0) {
            *keys = NULL;
            return 0;
        }
        for (i = 0; i < p->cols.n; i++)
            TG_VEC_AT(&p->keys_sorted, tg_sym, i) = TG_VEC_AT(&p->cols, tg_column, i).key;
        p->keys_sorted.n = p->cols.n;
        tg_i_sort_syms_by_name(g, p->keys_sorted.a, p->keys_sorted.n);
    }
    *keys = p->keys_sorted.a;
    return p->keys_sorted.n;
}

size_t tg_graph_column(const tg_graph *g, tg_side side, tg_sym key, const uint32_t **rows,
                       const tg_pval **vals)
{
    /* item 0: a pending column is loaded whole */
    const tg_column *c =
        side == TG_ENTITY || side == TG_RELATION ? column_of(g, side, key, 0, NULL, NULL) : NULL;

    *rows = c ? c->rows.a : NULL;
    *vals = c ? c->vals.a : NULL;
    return c ? c->rows.n : 0;
}

int tg_graph_each_prop(const tg_graph *g, tg_side side, uint32_t item, tg_prop_visit fn,
                       void *ctx)
{
    const tg_sym *keys;
    size_t n = tg_graph_prop_keys(g, side, &keys), i;

    for (i = 0; i < n; i++) {
        const tg_pval *v = tg_graph_prop(g, side, item, keys[i]);
        int rc;
        if (v && (rc = fn(ctx, keys[i], v)) != 0)
            return rc;
    }
    return 0;
}
