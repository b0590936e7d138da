/* index.c — derived structures, built on first use: the label and type
 * indexes, adjacency in both directions, property equality indexes, and the
 * weakly connected component summary.
 *
 * Each is a CSR grouping built by counting sort in O(V + E), so members come
 * out in ascending order. They are dropped by tg_i_graph_invalidate when a
 * mutation makes them stale; pointers handed out die with them. A deletion
 * only marks them dirty: the next accessor squeezes the dead members out of
 * every group in place (compact_csr), one O(V + E) pass for any number of
 * deletions; a group left empty (a label or type no live item carries any
 * more) drops the index instead, so that the lists of labels and types in
 * use stay exact.
 */
#include "graph_internal.h"

#include <stdlib.h>
#include <string.h>

#define EMPTY32 0xFFFFFFFFu

void tg_i_sort_syms_by_name(const tg_graph *g, tg_sym *syms, size_t n);

/* Groups n items by key: key_of(i) gives the group of item i (ngroups of
 * them) or EMPTY32 to skip it. Items of a group come out ascending. */
static int build_csr(tg_csr *c, size_t ngroups, size_t n,
                     uint32_t (*key_of)(const void *, size_t, size_t), const void *ctx,
                     size_t nkeys_per_item)
{
    size_t i, k, total = 0;
    uint32_t *fill = NULL;

    c->off = calloc(ngroups + 1, sizeof *c->off);
    if (!c->off)
        goto fail;
    for (i = 0; i < n; i++)
        for (k = 0; k < nkeys_per_item; k++) {
            uint32_t key = key_of(ctx, i, k);
            if (key != EMPTY32) {
                c->off[key + 1]++;
                total++;
            }
        }
    for (i = 0; i < ngroups; i++)
        c->off[i + 1] += c->off[i];
    c->items = malloc((total ? total : 1) * sizeof *c->items);
    fill = malloc((ngroups ? ngroups : 1) * sizeof *fill);
    if (!c->items || !fill)
        goto fail;
    memcpy(fill, c->off, ngroups * sizeof *fill);
    for (i = 0; i < n; i++)
        for (k = 0; k < nkeys_per_item; k++) {
            uint32_t key = key_of(ctx, i, k);
            if (key != EMPTY32)
                c->items[fill[key]++] = (uint32_t)i;
        }
    c->ngroups = ngroups;
    free(fill);
    return 0;
fail:
    free(fill);
    free(c->off);
    free(c->items);
    memset(c, 0, sizeof *c);
    return -1;
}

/* Removes from every group of c the items whose bit is set in dead, moving
 * the parallel nbr / tslot arrays along, and rewrites the offsets. Returns
 * the number of groups left empty that were not empty before. */
static size_t compact_csr(tg_csr *c, const tg_vec *dead)
{
    size_t k, i, w = 0, emptied = 0;
    uint32_t start = 0;

    for (k = 0; k < c->ngroups; k++) {
        uint32_t a = start, b = c->off[k + 1];
        size_t w0 = w;
        for (i = a; i < b; i++) {
            if (tg_i_bit(dead, c->items[i]))
                continue;
            c->items[w] = c->items[i];
            if (c->nbr)
                c->nbr[w] = c->nbr[i];
            if (c->tslot)
                c->tslot[w] = c->tslot[i];
            w++;
        }
        emptied += b > a && w == w0;
        start = b; /* off[k + 1] is overwritten below: keep the old bound */
        c->off[k + 1] = (uint32_t)w;
    }
    return emptied;
}

/* ---- labels -------------------------------------------------------------- */

/* For the label CSR an entity has several keys: its labels mapped to slots. */
struct label_ctx {
    const tg_graph *g;
    const uint32_t *slot_of_label_pos; /* per lset_labels position */
};

static size_t max_labels(const tg_graph *g)
{
    size_t k, m = 0;

    for (k = 0; k + 1 < g->lset_off.n; k++) {
        size_t n = TG_VEC_AT(&g->lset_off, uint32_t, k + 1) - TG_VEC_AT(&g->lset_off, uint32_t, k);
        if (n > m)
            m = n;
    }
    return m;
}

static uint32_t label_key(const void *vctx, size_t e, size_t k)
{
    const struct label_ctx *ctx = vctx;
    uint32_t set = TG_VEC_AT(&ctx->g->ent_lset, uint32_t, e);
    uint32_t a = TG_VEC_AT(&ctx->g->lset_off, uint32_t, set);
    uint32_t b = TG_VEC_AT(&ctx->g->lset_off, uint32_t, set + 1);

    return a + k < b ? ctx->slot_of_label_pos[a + k] : EMPTY32;
}

static int build_labels(tg_graph *g)
{
    uint32_t *slot_of_pos = NULL;
    unsigned char *used = NULL;
    size_t i, k, nl, nsets;
    struct label_ctx ctx;
    int rc = -1;

    if (g->lazy.labels_ok) {
        if (!g->lazy.labels_dirty)
            return 0;
        g->lazy.labels_dirty = 0;
        if (compact_csr(&g->lazy.labels, &g->ent_dead) == 0)
            return 0;
        tg_i_graph_invalidate(g, TG_I_CHANGE_LABELS);
    }
    /* distinct labels of the label sets entities use (a set left behind by
     * remove_label or a deletion lists nothing), sorted by name */
    if (tg_i_ents_load_all(g) != 0 && g->src.st == TG_ENOMEM)
        goto done; /* an unreadable page reads as no labels */
    nsets = g->lset_off.n - 1;
    used = calloc(nsets ? nsets : 1, 1);
    if (!used)
        goto done;
    for (i = 0; i < g->ent_lset.n; i++)
        used[TG_VEC_AT(&g->ent_lset, uint32_t, i)] = 1;
    for (k = 0; k < nsets; k++) {
        if (!used[k])
            continue;
        for (i = TG_VEC_AT(&g->lset_off, uint32_t, k); i < TG_VEC_AT(&g->lset_off, uint32_t, k + 1);
             i++) {
            tg_sym l = TG_VEC_AT(&g->lset_labels, tg_sym, i);
            if (tg_u32map_get(&g->lazy.label_slot, l) == EMPTY32 &&
                (tg_u32map_put(&g->lazy.label_slot, l, 0) != 0 ||
                 tg_vec_push(&g->lazy.all_labels, sizeof l, &l) != 0))
                goto done;
        }
    }
    nl = g->lazy.all_labels.n;
    tg_i_sort_syms_by_name(g, g->lazy.all_labels.a, nl);
    for (i = 0; i < nl; i++)
        tg_u32map_put(&g->lazy.label_slot, TG_VEC_AT(&g->lazy.all_labels, tg_sym, i),
                      (uint32_t)i);
    slot_of_pos = malloc((g->lset_labels.n ? g->lset_labels.n : 1) * sizeof *slot_of_pos);
    if (!slot_of_pos)
        goto done;
    for (i = 0; i < g->lset_labels.n; i++)
        slot_of_pos[i] = tg_u32map_get(&g->lazy.label_slot, TG_VEC_AT(&g->lset_labels, tg_sym, i));
    ctx.g = g;
    ctx.slot_of_label_pos = slot_of_pos;
    if (build_csr(&g->lazy.labels, nl, g->ent_id.n, label_key, &ctx, max_labels(g)) != 0)
        goto done;
    g->lazy.labels_ok = 1;
    rc = 0;
done:
    free(slot_of_pos);
    free(used);
    if (rc != 0)
        tg_i_graph_invalidate(g, TG_I_CHANGE_LABELS);
    return rc;
}

static int cmp_sym_asc(const void *a, const void *b)
{
    tg_sym x = *(const tg_sym *)a, y = *(const tg_sym *)b;
    return x < y ? -1 : x > y;
}

size_t tg_graph_labels_in_use(const tg_graph *g, tg_sym **out)
{
    size_t nsets = g->lset_off.n ? g->lset_off.n - 1 : 0, i, k, n = 0, m = 0;
    unsigned char *used = calloc(nsets ? nsets : 1, 1);
    tg_sym *labels = malloc((g->lset_labels.n ? g->lset_labels.n : 1) * sizeof *labels);

    *out = NULL;
    if (!used || !labels) {
        free(used);
        free(labels);
        return 0;
    }
    for (k = 1; k < nsets; k++) /* the empty set has no label */
        used[k] = TG_VEC_AT(&g->lset_uses, uint32_t, k) != 0;
    for (k = 0; k < nsets; k++)
        if (used[k])
            for (i = TG_VEC_AT(&g->lset_off, uint32_t, k);
                 i < TG_VEC_AT(&g->lset_off, uint32_t, k + 1); i++)
                labels[n++] = TG_VEC_AT(&g->lset_labels, tg_sym, i);
    free(used);
    qsort(labels, n, sizeof *labels, cmp_sym_asc);
    for (i = 0; i < n; i++)
        if (m == 0 || labels[i] != labels[m - 1])
            labels[m++] = labels[i];
    *out = labels;
    return m;
}

size_t tg_graph_label_entities(tg_graph *g, tg_sym label, const tg_ent **out)
{
    uint32_t slot;

    *out = NULL;
    if (build_labels(g) != 0)
        return 0;
    slot = tg_u32map_get(&g->lazy.label_slot, label);
    if (slot == EMPTY32)
        return 0;
    *out = g->lazy.labels.items + g->lazy.labels.off[slot];
    return g->lazy.labels.off[slot + 1] - g->lazy.labels.off[slot];
}

size_t tg_graph_all_labels(tg_graph *g, const tg_sym **out)
{
    *out = NULL;
    if (build_labels(g) != 0)
        return 0;
    *out = g->lazy.all_labels.a;
    return g->lazy.all_labels.n;
}

/* ---- types --------------------------------------------------------------- */

static uint32_t type_key(const void *vctx, size_t r, size_t k)
{
    const tg_graph *g = vctx;

    (void)k;
    if (tg_i_bit(&g->rel_dead, r))
        return EMPTY32;
    return tg_u32map_get(&g->lazy.type_slot, TG_VEC_AT(&g->rel_type, tg_sym, r));
}

static int build_types(tg_graph *g)
{
    size_t i, nt;

    if (g->lazy.types_ok) {
        if (!g->lazy.types_dirty)
            return 0;
        g->lazy.types_dirty = 0;
        if (compact_csr(&g->lazy.types, &g->rel_dead) == 0)
            return 0;
        /* a type vanished: the slots change, and the adjacency with them */
        tg_i_graph_invalidate(g, TG_I_CHANGE_RELATIONS);
    }
    if (tg_i_rels(g) != 0)
        return -1;
    for (i = 0; i < g->rel_type.n; i++) {
        tg_sym t = TG_VEC_AT(&g->rel_type, tg_sym, i);
        if (tg_i_bit(&g->rel_dead, i))
            continue;
        if (tg_u32map_get(&g->lazy.type_slot, t) == EMPTY32) {
            if (tg_u32map_put(&g->lazy.type_slot, t, 0) != 0 ||
                tg_vec_push(&g->lazy.all_types, sizeof t, &t) != 0)
                goto fail;
        }
    }
    nt = g->lazy.all_types.n;
    tg_i_sort_syms_by_name(g, g->lazy.all_types.a, nt);
    for (i = 0; i < nt; i++)
        tg_u32map_put(&g->lazy.type_slot, TG_VEC_AT(&g->lazy.all_types, tg_sym, i), (uint32_t)i);
    if (build_csr(&g->lazy.types, nt, g->rel_type.n, type_key, g, 1) != 0)
        goto fail;
    g->lazy.types_ok = 1;
    return 0;
fail:
    tg_i_graph_invalidate(g, TG_I_CHANGE_RELATIONS);
    return -1;
}

size_t tg_graph_type_relations(tg_graph *g, tg_sym type, const tg_rel **out)
{
    uint32_t slot;

    *out = NULL;
    if (build_types(g) != 0)
        return 0;
    slot = tg_u32map_get(&g->lazy.type_slot, type);
    if (slot == EMPTY32)
        return 0;
    *out = g->lazy.types.items + g->lazy.types.off[slot];
    return g->lazy.types.off[slot + 1] - g->lazy.types.off[slot];
}

size_t tg_graph_all_types(tg_graph *g, const tg_sym **out)
{
    *out = NULL;
    if (build_types(g) != 0)
        return 0;
    *out = g->lazy.all_types.a;
    return g->lazy.all_types.n;
}

/* ---- adjacency ----------------------------------------------------------- */

/* Out- and in-CSR of relations per entity. Relations are placed in the
 * order of the type index (by type, then relation index), so a stable
 * counting sort by endpoint leaves each entity's list grouped by type. */
static int build_side(tg_graph *g, tg_csr *c, const tg_ent *end, const tg_ent *other)
{
    size_t n = g->ent_id.n, m = g->rel_from.n, i, t;
    uint32_t *fill = NULL;
    const uint32_t *order = g->lazy.types.items;

    c->off = calloc(n + 1, sizeof *c->off);
    c->items = malloc((m ? m : 1) * sizeof *c->items);
    c->nbr = malloc((m ? m : 1) * sizeof *c->nbr);
    c->tslot = malloc((m ? m : 1) * sizeof *c->tslot);
    fill = malloc((n ? n : 1) * sizeof *fill);
    if (!c->off || !c->items || !c->nbr || !c->tslot || !fill) {
        free(fill);
        return -1;
    }
    for (i = 0; i < m; i++)
        c->off[end[i] + 1] += !tg_i_bit(&g->rel_dead, i);
    for (i = 0; i < n; i++)
        c->off[i + 1] += c->off[i];
    if (n)
        memcpy(fill, c->off, n * sizeof *fill);
    /* order lists relations type by type: slot t owns types.off[t..t+1) */
    for (t = 0; t < g->lazy.types.ngroups; t++)
        for (i = g->lazy.types.off[t]; i < g->lazy.types.off[t + 1]; i++) {
            uint32_t r = order[i], pos = fill[end[r]]++;
            c->items[pos] = r;
            c->nbr[pos] = other[r];
            c->tslot[pos] = (uint32_t)t;
        }
    c->ngroups = n;
    free(fill);
    return 0;
}

static int build_adj(tg_graph *g)
{
    if (g->lazy.adj_ok && g->lazy.adj_dirty) {
        /* the type index first: a vanished type renumbers the slots and
         * drops the adjacency, which is then rebuilt below */
        if (build_types(g) != 0)
            return -1;
        if (g->lazy.adj_ok) {
            compact_csr(&g->lazy.out, &g->rel_dead);
            compact_csr(&g->lazy.in, &g->rel_dead);
            g->lazy.adj_dirty = 0;
        }
    }
    if (g->lazy.adj_ok)
        return 0;
    if (build_types(g) != 0 || build_side(g, &g->lazy.out, g->rel_from.a, g->rel_to.a) != 0 ||
        build_side(g, &g->lazy.in, g->rel_to.a, g->rel_from.a) != 0) {
        tg_i_graph_invalidate(g, TG_I_CHANGE_RELATIONS);
        return -1;
    }
    g->lazy.adj_ok = 1;
    return 0;
}

static size_t adj(tg_graph *g, const tg_csr *c, tg_ent e, const tg_rel **out)
{
    *out = NULL;
    if (build_adj(g) != 0 || e >= c->ngroups)
        return 0;
    *out = c->items + c->off[e];
    return c->off[e + 1] - c->off[e];
}

int tg_i_graph_adjacency_raw(tg_graph *g)
{
    return g->lazy.adj_ok ? 0 : build_adj(g);
}

#define INCIDENT_SCANS 8

int tg_graph_incident(tg_graph *g, tg_ent e, tg_rel **rels, size_t *n)
{
    tg_vec out = {0};
    size_t i, m;

    *rels = NULL;
    *n = 0;
    if (!g->lazy.adj_ok && g->src.rel_base > 0 && e >= g->src.ent_base) {
        /* an entity newer than the base has no relation in it: the tail in
         * memory is all there is to read (deleting what was just made) */
        const tg_ent *f = g->rel_from.a, *t = g->rel_to.a;
        for (i = 0; i < g->rel_from.n; i++) {
            tg_rel r = (tg_rel)(g->src.rel_base + i);
            if ((f[i] == e && tg_vec_push(&out, sizeof r, &r) != 0) ||
                (t[i] == e && tg_vec_push(&out, sizeof r, &r) != 0))
                goto fail;
        }
    } else if (!g->lazy.adj_ok && g->lazy.incident_scans < INCIDENT_SCANS) {
        const tg_ent *f, *t;
        if (tg_i_rels(g) != 0)
            return -1;
        g->lazy.incident_scans++;
        f = g->rel_from.a;
        t = g->rel_to.a;
        m = g->rel_from.n;
        for (i = 0; i < m; i++) {
            tg_rel r = (tg_rel)i;
            if ((f[i] == e && tg_vec_push(&out, sizeof r, &r) != 0) ||
                (t[i] == e && tg_vec_push(&out, sizeof r, &r) != 0))
                goto fail;
        }
    } else {
        if (build_adj(g) != 0)
            return -1;
        for (int side = 0; side < 2; side++) {
            const tg_rel *rs;
            m = adj(g, side == 0 ? &g->lazy.out : &g->lazy.in, e, &rs);
            for (i = 0; i < m; i++)
                if (tg_vec_push(&out, sizeof rs[i], &rs[i]) != 0)
                    goto fail;
        }
    }
    *rels = out.a;
    *n = out.n;
    return 0;
fail:
    tg_vec_free(&out);
    return -1;
}

size_t tg_graph_out(tg_graph *g, tg_ent e, const tg_rel **out)
{
    return adj(g, &g->lazy.out, e, out);
}

size_t tg_graph_in(tg_graph *g, tg_ent e, const tg_rel **out)
{
    return adj(g, &g->lazy.in, e, out);
}

/* The run of relations of one type slot in an entity's list: two binary
 * searches over the list's parallel type slots (sorted ascending). */
static size_t adj_run(tg_graph *g, const tg_csr *c, tg_ent e, tg_sym type, const tg_rel **rels,
                      const tg_ent **nbrs)
{
    size_t a, n, lo, hi, start;
    const uint32_t *ts;
    uint32_t slot = 0;

    *rels = NULL;
    if (nbrs)
        *nbrs = NULL;
    if (build_adj(g) != 0 || e >= c->ngroups)
        return 0;
    a = c->off[e];
    n = c->off[e + 1] - a;
    lo = 0;
    hi = n;
    if (type != 0) {
        if (n == 0 || (slot = tg_u32map_get(&g->lazy.type_slot, type)) == EMPTY32)
            return 0;
        ts = c->tslot + a;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (ts[mid] < slot)
                lo = mid + 1;
            else
                hi = mid;
        }
        start = lo;
        hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (ts[mid] <= slot)
                lo = mid + 1;
            else
                hi = mid;
        }
        hi = lo;
        lo = start;
    }
    *rels = c->items + a + lo;
    if (nbrs)
        *nbrs = c->nbr + a + lo;
    return hi - lo;
}

size_t tg_graph_out_typed(tg_graph *g, tg_ent e, tg_sym type, const tg_rel **out)
{
    return type ? adj_run(g, &g->lazy.out, e, type, out, NULL) : (*out = NULL, 0);
}

size_t tg_graph_in_typed(tg_graph *g, tg_ent e, tg_sym type, const tg_rel **out)
{
    return type ? adj_run(g, &g->lazy.in, e, type, out, NULL) : (*out = NULL, 0);
}

size_t tg_graph_adjacent(tg_graph *g, tg_ent e, int outgoing, tg_sym type, const tg_rel **rels,
                         const tg_ent **nbrs)
{
    return adj_run(g, outgoing ? &g->lazy.out : &g->lazy.in, e, type, rels, nbrs);
}

/* ---- label bitmaps ------------------------------------------------------- */

const uint64_t *tg_graph_label_bitmap(tg_graph *g, tg_sym label)
{
    uint32_t slot;
    uint64_t **bits, *b;
    size_t words = (g->ent_id.n + 63) / 64, i;

    if (build_labels(g) != 0)
        return NULL;
    slot = tg_u32map_get(&g->lazy.label_slot, label);
    if (slot == EMPTY32)
        return NULL;
    if (g->lazy.label_bits.n < g->lazy.all_labels.n) {
        size_t old = g->lazy.label_bits.n;
        if (tg_vec_reserve(&g->lazy.label_bits, sizeof(uint64_t *), g->lazy.all_labels.n) != 0)
            return NULL;
        memset((uint64_t **)g->lazy.label_bits.a + old, 0,
               (g->lazy.all_labels.n - old) * sizeof(uint64_t *));
        g->lazy.label_bits.n = g->lazy.all_labels.n;
    }
    bits = g->lazy.label_bits.a;
    if (bits[slot])
        return bits[slot];
    b = calloc(words ? words : 1, sizeof *b);
    if (!b)
        return NULL;
    for (i = g->lazy.labels.off[slot]; i < g->lazy.labels.off[slot + 1]; i++) {
        uint32_t e = g->lazy.labels.items[i];
        b[e / 64] |= (uint64_t)1 << (e % 64);
    }
    bits[slot] = b;
    return b;
}

/* ---- property equality indexes ------------------------------------------- */

static int by_hash_then_ent(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b; /* pairs: hash, ent */

    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

static tg_value_index *value_index(tg_graph *g, tg_sym key)
{
    size_t i, n;
    const tg_side_props *p = &g->props[TG_ENTITY];
    uint32_t k = tg_u32map_get(&p->col_of_key, key);
    const tg_column *c;
    tg_value_index x;
    uint64_t *pairs;

    for (i = 0; i < g->lazy.vindex.n; i++)
        if (TG_VEC_AT(&g->lazy.vindex, tg_value_index, i).key == key)
            return &TG_VEC_AT(&g->lazy.vindex, tg_value_index, i);
    if (k == EMPTY32 || tg_i_column_load(g, TG_ENTITY, k) != 0)
        return NULL;
    c = &TG_VEC_AT(&p->cols, tg_column, k);
    n = c->rows.n;
    pairs = malloc((n ? n : 1) * 2 * sizeof *pairs);
    memset(&x, 0, sizeof x);
    x.key = key;
    x.n = n;
    x.hashes = malloc((n ? n : 1) * sizeof *x.hashes);
    x.ents = malloc((n ? n : 1) * sizeof *x.ents);
    if (!pairs || !x.hashes || !x.ents)
        goto fail;
    for (i = 0, n = 0; i < c->rows.n; i++) {
        uint32_t row = TG_VEC_AT(&c->rows, uint32_t, i);
        if (tg_i_bit(&g->ent_dead, row))
            continue;
        pairs[2 * n] = tg_i_pval_hash(g, &TG_VEC_AT(&c->vals, tg_pval, i));
        pairs[2 * n + 1] = row;
        n++;
    }
    x.n = n;
    qsort(pairs, n, 2 * sizeof *pairs, by_hash_then_ent);
    for (i = 0; i < n; i++) {
        x.hashes[i] = pairs[2 * i];
        x.ents[i] = (uint32_t)pairs[2 * i + 1];
    }
    if (tg_vec_push(&g->lazy.vindex, sizeof x, &x) != 0)
        goto fail;
    free(pairs);
    return &TG_VEC_AT(&g->lazy.vindex, tg_value_index, g->lazy.vindex.n - 1);
fail:
    free(pairs);
    free(x.hashes);
    free(x.ents);
    return NULL;
}

size_t tg_graph_find_by_prop(tg_graph *g, tg_sym key, const tg_pval *v, const tg_ent **out)
{
    tg_value_index *x;
    uint64_t h;
    size_t lo = 0, hi, start, end, i;
    int all_match = 1;

    *out = NULL;
    if (v->type == TG_V_NULL)
        return 0;
    x = value_index(g, key);
    if (!x)
        return 0;
    h = tg_i_pval_hash(g, v);
    hi = x->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->hashes[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    start = lo;
    for (end = start; end < x->n && x->hashes[end] == h; end++) {
        const tg_pval *have = tg_graph_prop(g, TG_ENTITY, x->ents[end], key);
        if (!have || !tg_i_pval_equal(g, have, v))
            all_match = 0;
    }
    if (all_match) {
        *out = x->ents + start;
        return end - start;
    }
    /* A hash collision: copy out the true matches. */
    g->lazy.scratch.n = 0;
    for (i = start; i < end; i++) {
        const tg_pval *have = tg_graph_prop(g, TG_ENTITY, x->ents[i], key);
        if (have && tg_i_pval_equal(g, have, v) &&
            tg_vec_push(&g->lazy.scratch, sizeof(tg_ent), &x->ents[i]) != 0)
            return 0;
    }
    *out = g->lazy.scratch.a;
    return g->lazy.scratch.n;
}

tg_status tg_graph_build_indexes(tg_graph *g, tg_error *err)
{
    if (build_labels(g) != 0 || build_types(g) != 0 || build_adj(g) != 0)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory building indexes");
    return TG_OK;
}

/* ---- weakly connected components ----------------------------------------- */

static uint32_t find_root(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

tg_status tg_graph_wcc_summary(tg_graph *g, size_t *ncomp, size_t *largest, tg_error *err)
{
    size_t n = g->ent_id.n, m, i, comps = 0, big = 0;
    uint32_t *parent = NULL, *size = NULL;
    const tg_ent *from, *to;
    tg_status st = TG_OK;

    if (tg_i_rels(g) != 0)
        return tg_graph_status(g, err);
    m = g->rel_from.n;
    from = g->rel_from.a;
    to = g->rel_to.a;
    parent = malloc((n ? n : 1) * sizeof *parent);
    size = calloc(n ? n : 1, sizeof *size);
    if (!parent || !size) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (i = 0; i < n; i++)
        parent[i] = (uint32_t)i;
    for (i = 0; i < m; i++) {
        uint32_t a, b;
        if (tg_i_bit(&g->rel_dead, i))
            continue;
        a = find_root(parent, from[i]);
        b = find_root(parent, to[i]);
        if (a != b) /* union by index keeps it deterministic */
            parent[a > b ? a : b] = a < b ? a : b;
    }
    for (i = 0; i < n; i++) {
        uint32_t r;
        if (tg_i_bit(&g->ent_dead, i))
            continue;
        r = find_root(parent, (uint32_t)i);
        if (size[r]++ == 0)
            comps++;
        if (size[r] > big)
            big = size[r];
    }
    *ncomp = comps;
    *largest = big;
done:
    free(parent);
    free(size);
    return st;
}
