/* serial.c — the graph as named binary segments, and back.
 *
 * A segment is one of the graph's arrays as it sits in memory (native byte
 * order: a store is not meant to move between machines of different
 * endianness; the store records the byte order and refuses a foreign one).
 * Loading adopts each malloc'ed segment as the array itself, checks every
 * symbol, index and offset, and rebuilds only the hash tables.
 *
 * Segments: meta; str.len, str.data; ent.id, ent.lset; lset.off,
 * lset.labels, lset.uses (entities per label set; optional: counted when
 * absent); rel.from, rel.to, rel.type; list.pool; src.recs, src.fields;
 * e.keys, e.<k>.rows, e.<k>.vals; r.keys, r.<k>.rows, r.<k>.vals; and,
 * only when the graph holds deletions, ent.dead and rel.dead (tombstone
 * bitmaps, one uint64 word per 64 items). A graph with tombstones is written
 * as version 2, so that a tiegraph that knows nothing of deletion refuses it
 * instead of bringing the dead back; a graph without is version 1.
 * e.cols / r.cols give, per column, its row count and last row (uint32
 * pairs): with them a column can stay in the store until it is needed.
 *
 * Opening (tg_graph_open_segments) reads everything but the relation arrays
 * and the property columns, which are fetched on first use (tg_i_rels,
 * tg_i_column_load) through the source the graph keeps. A lazy load that
 * fails leaves the part absent and records the failure (tg_graph_status).
 * Opening paged (tg_graph_open_segments_paged) also leaves the hash tables,
 * the strings and the entities in the store, read a page at a time, and a
 * column answers a few rows alone before it is loaded (docs/engine.md,
 * "Lazy loading").
 */
#include "graph_internal.h"
#include "temporal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERIAL_VERSION 1u      /* no tombstones */
#define SERIAL_VERSION_DEAD 2u /* with ent.dead / rel.dead */
#define EMPTY32 0xFFFFFFFFu

enum { M_VERSION, M_NSTR, M_NENT, M_NREL, M_NLSETS, M_NLIST, M_NSRC, M_NSRCF, M_NCOLE,
       M_NCOLR, M_NDEDUP, M_COUNT };

static int put(tg_segment_sink sink, void *ctx, const char *name, const void *data, size_t size)
{
    return sink(ctx, name, data ? data : "", size);
}

tg_status tg_graph_save_segments(const tg_graph *g, tg_segment_sink sink, void *ctx,
                                 tg_error *err)
{
    uint64_t meta[M_COUNT];
    char *strdata = NULL, name[64];
    size_t total = 0, i, s, pos = 0;
    tg_source_rec *recs = NULL;
    tg_source_field *fields = NULL;
    uint32_t *dedup = NULL;
    size_t nfields = 0, ndedup = 0;
    tg_status st = TG_OK;

    /* the whole graph is written: bring the lazy parts in (a cache) */
    if (tg_graph_load_all((tg_graph *)g, err) != TG_OK)
        return err ? err->status : TG_EIO;
    for (i = 0; i < g->str_len.n; i++)
        total += TG_VEC_AT(&g->str_len, uint32_t, i) + 1;
    strdata = malloc(total ? total : 1);
    recs = malloc((g->sources.n ? g->sources.n : 1) * sizeof *recs);
    fields = malloc((g->src_fields.n ? g->src_fields.n : 1) * sizeof *fields);
    dedup = malloc((g->list_of_hash.n ? g->list_of_hash.n : 1) * 2 * sizeof *dedup);
    for (i = 0; dedup && i < g->list_of_hash.cap; i++)
        if (g->list_of_hash.kv[2 * i] != EMPTY32) {
            dedup[2 * ndedup] = g->list_of_hash.kv[2 * i];
            dedup[2 * ndedup + 1] = g->list_of_hash.kv[2 * i + 1];
            ndedup++;
        }
    if (!strdata || !recs || !fields || !dedup) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (i = 0; i < g->str_len.n; i++) {
        size_t len = TG_VEC_AT(&g->str_len, uint32_t, i);
        memcpy(strdata + pos, TG_VEC_AT(&g->str_ptr, const char *, i), len + 1);
        pos += len + 1;
    }
    /* Merged sources leave dead fields behind: write them compacted. */
    for (i = 0; i < g->sources.n; i++) {
        const tg_source_field *f;
        size_t n = tg_graph_source_fields(g, (uint32_t)i, &f);
        recs[i].id = TG_VEC_AT(&g->sources, tg_source_rec, i).id;
        recs[i].off = (uint32_t)nfields;
        recs[i].n = (uint32_t)n;
        if (n)
            memcpy(fields + nfields, f, n * sizeof *f);
        nfields += n;
    }
    meta[M_VERSION] = g->ndead_ent || g->ndead_rel ? SERIAL_VERSION_DEAD : SERIAL_VERSION;
    meta[M_NSTR] = g->str_len.n;
    meta[M_NENT] = g->ent_id.n;
    meta[M_NREL] = g->rel_from.n;
    meta[M_NLSETS] = g->lset_off.n - 1;
    meta[M_NLIST] = g->list_pool.n;
    meta[M_NSRC] = g->sources.n;
    meta[M_NSRCF] = nfields;
    meta[M_NCOLE] = g->props[TG_ENTITY].cols.n;
    meta[M_NCOLR] = g->props[TG_RELATION].cols.n;
    meta[M_NDEDUP] = ndedup;
    if (put(sink, ctx, "meta", meta, sizeof meta) ||
        put(sink, ctx, "str.len", g->str_len.a, g->str_len.n * sizeof(uint32_t)) ||
        put(sink, ctx, "str.data", strdata, total) ||
        put(sink, ctx, "ent.id", g->ent_id.a, g->ent_id.n * sizeof(tg_sym)) ||
        put(sink, ctx, "ent.lset", g->ent_lset.a, g->ent_lset.n * sizeof(uint32_t)) ||
        put(sink, ctx, "lset.off", g->lset_off.a, g->lset_off.n * sizeof(uint32_t)) ||
        put(sink, ctx, "lset.labels", g->lset_labels.a, g->lset_labels.n * sizeof(tg_sym)) ||
        put(sink, ctx, "lset.uses", g->lset_uses.a, (g->lset_off.n - 1) * sizeof(uint32_t)) ||
        put(sink, ctx, "rel.from", g->rel_from.a, g->rel_from.n * sizeof(tg_ent)) ||
        put(sink, ctx, "rel.to", g->rel_to.a, g->rel_to.n * sizeof(tg_ent)) ||
        put(sink, ctx, "rel.type", g->rel_type.a, g->rel_type.n * sizeof(tg_sym)) ||
        put(sink, ctx, "list.pool", g->list_pool.a, g->list_pool.n * sizeof(tg_pval)) ||
        put(sink, ctx, "src.recs", recs, g->sources.n * sizeof *recs) ||
        put(sink, ctx, "src.fields", fields, nfields * sizeof *fields) ||
        put(sink, ctx, "list.dedup", dedup, ndedup * 2 * sizeof *dedup) ||
        /* the two big hash tables as they are: opening adopts them instead
         * of hashing every string and every id again */
        put(sink, ctx, "str.hash", g->str_hash_slots, g->str_hash_cap * sizeof(uint32_t)) ||
        put(sink, ctx, "ent.map", g->ent_of_sym.kv, g->ent_of_sym.cap * 2 * sizeof(uint32_t)))
        goto io;
    if (meta[M_VERSION] == SERIAL_VERSION_DEAD) {
        /* full-length bitmaps: the vectors may stop at the last tombstone */
        size_t we = (g->ent_id.n + 63) / 64, wr = (g->rel_from.n + 63) / 64;
        uint64_t *bits = calloc((we > wr ? we : wr) + 1, sizeof *bits);
        int bad;
        if (!bits) {
            st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
        if (g->ent_dead.n)
            memcpy(bits, g->ent_dead.a, g->ent_dead.n * sizeof *bits);
        bad = put(sink, ctx, "ent.dead", bits, we * sizeof *bits);
        memset(bits, 0, ((we > wr ? we : wr) + 1) * sizeof *bits);
        if (g->rel_dead.n)
            memcpy(bits, g->rel_dead.a, g->rel_dead.n * sizeof *bits);
        bad = bad || put(sink, ctx, "rel.dead", bits, wr * sizeof *bits);
        free(bits);
        if (bad)
            goto io;
    }
    for (s = 0; s < 2; s++) {
        const tg_side_props *p = &g->props[s];
        const char *pfx = s == TG_ENTITY ? "e" : "r";
        tg_sym *keys = malloc((p->cols.n ? p->cols.n : 1) * sizeof *keys);
        int bad;
        if (!keys) {
            st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
        for (i = 0; i < p->cols.n; i++)
            keys[i] = TG_VEC_AT(&p->cols, tg_column, i).key;
        snprintf(name, sizeof name, "%s.keys", pfx);
        bad = put(sink, ctx, name, keys, p->cols.n * sizeof *keys);
        /* per column: its rows and its last row */
        if (!bad) {
            uint32_t *info = malloc((p->cols.n ? p->cols.n : 1) * 2 * sizeof *info);
            if (!info) {
                free(keys);
                st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
                goto done;
            }
            for (i = 0; i < p->cols.n; i++) {
                const tg_column *c = &TG_VEC_AT(&p->cols, tg_column, i);
                info[2 * i] = (uint32_t)c->rows.n;
                info[2 * i + 1] = c->rows.n ? TG_VEC_AT(&c->rows, uint32_t, c->rows.n - 1) : 0;
            }
            snprintf(name, sizeof name, "%s.cols", pfx);
            bad = put(sink, ctx, name, info, p->cols.n * 2 * sizeof *info);
            free(info);
        }
        free(keys);
        if (bad)
            goto io;
        for (i = 0; i < p->cols.n; i++) {
            const tg_column *c = &TG_VEC_AT(&p->cols, tg_column, i);
            snprintf(name, sizeof name, "%s.%zu.rows", pfx, i);
            if (put(sink, ctx, name, c->rows.a, c->rows.n * sizeof(uint32_t)))
                goto io;
            snprintf(name, sizeof name, "%s.%zu.vals", pfx, i);
            if (put(sink, ctx, name, c->vals.a, c->vals.n * sizeof(tg_pval)))
                goto io;
        }
    }
    goto done;
io:
    if (!err || err->status == TG_OK)
        st = tg_error_set(err, TG_EIO, NULL, 0, 0, "cannot write the graph's segments");
    else
        st = err->status;
done:
    free(strdata);
    free(recs);
    free(fields);
    free(dedup);
    return st;
}

/* ---- loading ------------------------------------------------------------- */

typedef struct loader {
    tg_segment_source fetch;
    void *ctx;
    tg_error *err;
    tg_status st;
} loader;

static tg_status corrupt(loader *L, const char *what)
{
    if (L->st == TG_OK)
        L->st = tg_error_set(L->err, TG_EDATA, NULL, 0, 0,
                             "the store's graph is damaged: %s", what);
    return L->st;
}

static int by_row_seq(const void *a, const void *b)
{
    const tg_i_replay *x = a, *y = b;

    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

void tg_i_lazy_fail(tg_graph *g, tg_status st, const char *what)
{
    if (g->src.st == TG_OK) {
        g->src.st = st == TG_OK ? TG_EIO : st;
        snprintf(g->src.msg, sizeof g->src.msg, "%s", what && what[0] ? what : "cannot read the store");
    }
}

/* A loader over the graph's own source, for the lazy parts. */
static void lazy_loader(tg_graph *g, loader *L, tg_error *err)
{
    L->fetch = g->src.fetch;
    L->ctx = g->src.ctx;
    L->err = err;
    L->st = TG_OK;
    if (!g->src.fetch)
        L->st = tg_error_set(err, TG_EIO, NULL, 0, 0,
                             "a part of the graph is still in the store, which was closed");
}

/* Fetches a segment of exactly n elements of esize bytes into v. */
static int fetch_vec(loader *L, const char *name, tg_vec *v, size_t esize, size_t n);
static void fetch_failed(loader *L, const char *name, int rc);

int tg_i_rels(tg_graph *g)
{
    size_t nb = g->src.rel_base, nt = g->rel_from.n, i, nent = g->ent_id.n;
    tg_vec f = {0}, t = {0}, y = {0};
    tg_error err;
    loader L;
    int rc = -1;

    if (nb == 0)
        return 0;
    if (g->src.st != TG_OK)
        return -1;
    tg_error_clear(&err);
    lazy_loader(g, &L, &err);
    if (fetch_vec(&L, "rel.from", &f, sizeof(tg_ent), nb) ||
        fetch_vec(&L, "rel.to", &t, sizeof(tg_ent), nb) ||
        fetch_vec(&L, "rel.type", &y, sizeof(tg_sym), nb))
        goto done;
    for (i = 0; i < nb; i++) {
        tg_ent a = TG_VEC_AT(&f, tg_ent, i), b = TG_VEC_AT(&t, tg_ent, i);
        tg_sym ty = TG_VEC_AT(&y, tg_sym, i);
        if (a >= nent || b >= nent || ty == 0 || ty >= g->str_len.n) {
            corrupt(&L, "a relation has an invalid endpoint or type");
            goto done;
        }
        if (!tg_i_bit(&g->rel_dead, i) &&
            (tg_i_bit(&g->ent_dead, a) || tg_i_bit(&g->ent_dead, b))) {
            corrupt(&L, "a live relation ends at a deleted entity");
            goto done;
        }
    }
    /* the tail added since the graph was opened goes after the base */
    if (tg_vec_reserve(&f, sizeof(tg_ent), nb + nt) || tg_vec_reserve(&t, sizeof(tg_ent), nb + nt) ||
        tg_vec_reserve(&y, sizeof(tg_sym), nb + nt)) {
        L.st = tg_error_set(&err, TG_ENOMEM, NULL, 0, 0, "out of memory loading the relations");
        goto done;
    }
    if (nt) {
        memcpy((tg_ent *)f.a + nb, g->rel_from.a, nt * sizeof(tg_ent));
        memcpy((tg_ent *)t.a + nb, g->rel_to.a, nt * sizeof(tg_ent));
        memcpy((tg_sym *)y.a + nb, g->rel_type.a, nt * sizeof(tg_sym));
    }
    f.n = t.n = y.n = nb + nt;
    tg_vec_free(&g->rel_from);
    tg_vec_free(&g->rel_to);
    tg_vec_free(&g->rel_type);
    g->rel_from = f;
    g->rel_to = t;
    g->rel_type = y;
    memset(&f, 0, sizeof f);
    memset(&t, 0, sizeof t);
    memset(&y, 0, sizeof y);
    g->src.rel_base = 0;
    rc = 0;
done:
    if (rc != 0)
        tg_i_lazy_fail(g, L.st, err.message);
    tg_vec_free(&f);
    tg_vec_free(&t);
    tg_vec_free(&y);
    return rc;
}

int tg_i_column_load(tg_graph *g, tg_side side, size_t k)
{
    tg_column *c = &TG_VEC_AT(&g->props[side].cols, tg_column, k);
    const char *pfx = side == TG_ENTITY ? "e" : "r";
    size_t nitems = side == TG_ENTITY ? g->ent_id.n : tg_i_nrel(g), i, j, w, nq;
    tg_vec rows = {0}, vals = {0}, nr = {0}, nv = {0};
    tg_i_replay *q;
    char name[64];
    tg_error err;
    loader L;
    void *data = NULL;
    size_t size = 0;
    int rc = -1;

    if (!c->pending)
        return 0;
    if (g->src.st != TG_OK)
        return -1;
    tg_error_clear(&err);
    lazy_loader(g, &L, &err);
    if (L.st != TG_OK)
        goto done;
    snprintf(name, sizeof name, "%s.%u.rows", pfx, c->base_k);
    {
        int frc = g->src.fetch(g->src.ctx, name, &data, &size);
        if (frc != 0) {
            fetch_failed(&L, name, frc);
            goto done;
        }
    }
    if (size % sizeof(uint32_t) || (c->last != EMPTY32 && size != (size_t)c->base_n * sizeof(uint32_t))) {
        free(data);
        corrupt(&L, "a property column is missing or truncated");
        goto done;
    }
    tg_vec_adopt(&rows, data, size / sizeof(uint32_t));
    snprintf(name, sizeof name, "%s.%u.vals", pfx, c->base_k);
    if (fetch_vec(&L, name, &vals, sizeof(tg_pval), rows.n) != 0)
        goto done;
    for (i = 0; i < rows.n; i++) {
        uint32_t row = TG_VEC_AT(&rows, uint32_t, i);
        if (row >= nitems || (i > 0 && row <= TG_VEC_AT(&rows, uint32_t, i - 1)) ||
            (c->last != EMPTY32 && row > c->last) ||
            !tg_i_pval_valid(g, &TG_VEC_AT(&vals, tg_pval, i), 1)) {
            corrupt(&L, "a property column holds an invalid row or value");
            goto done;
        }
    }
    /* merge: the base rows, the queued replays (the later change of a row
     * wins; a NULL value removes), then the tail (rows past `last`) */
    nq = c->queue.n;
    q = c->queue.a;
    if (nq > 1)
        qsort(q, nq, sizeof *q, by_row_seq);
    if (tg_vec_reserve(&nr, sizeof(uint32_t), rows.n + nq + c->rows.n + 1) ||
        tg_vec_reserve(&nv, sizeof(tg_pval), rows.n + nq + c->rows.n + 1)) {
        L.st = tg_error_set(&err, TG_ENOMEM, NULL, 0, 0, "out of memory loading a property column");
        goto done;
    }
    for (i = 0, j = 0, w = 0; i < rows.n || j < nq;) {
        uint32_t rb = i < rows.n ? TG_VEC_AT(&rows, uint32_t, i) : EMPTY32;
        uint32_t rq = j < nq ? q[j].row : EMPTY32;
        if (rb < rq) {
            ((uint32_t *)nr.a)[w] = rb;
            ((tg_pval *)nv.a)[w++] = TG_VEC_AT(&vals, tg_pval, i++);
            continue;
        }
        while (j + 1 < nq && q[j + 1].row == rq) /* the last change of the row */
            j++;
        if (q[j].v.type != TG_V_NULL) {
            ((uint32_t *)nr.a)[w] = rq;
            ((tg_pval *)nv.a)[w++] = q[j].v;
        }
        if (rb == rq)
            i++;
        j++;
    }
    if (c->rows.n) {
        memcpy((uint32_t *)nr.a + w, c->rows.a, c->rows.n * sizeof(uint32_t));
        memcpy((tg_pval *)nv.a + w, c->vals.a, c->rows.n * sizeof(tg_pval));
        w += c->rows.n;
    }
    nr.n = nv.n = w;
    tg_vec_free(&c->rows);
    tg_vec_free(&c->vals);
    tg_vec_free(&c->queue);
    c->rows = nr;
    c->vals = nv;
    memset(&nr, 0, sizeof nr);
    memset(&nv, 0, sizeof nv);
    c->pending = 0;
    rc = 0;
done:
    if (rc != 0)
        tg_i_lazy_fail(g, L.st, err.message);
    tg_vec_free(&rows);
    tg_vec_free(&vals);
    tg_vec_free(&nr);
    tg_vec_free(&nv);
    return rc;
}

/* Reads rows [first, first + n) of a pending column's base part into dst;
 * checks that they ascend. 0 or -1. */
static int probe_rows(tg_graph *g, const char *name, size_t first, size_t n, uint32_t *dst,
                      size_t base_n)
{
    size_t total = 0, i;

    if (g->src.read(g->src.ctx, name, first * sizeof *dst, n * sizeof *dst, dst, &total) != 0 ||
        total != base_n * sizeof *dst)
        return -1;
    for (i = 1; i < n; i++)
        if (dst[i] <= dst[i - 1])
            return -1;
    return 0;
}

int tg_i_column_probe(tg_graph *g, tg_side side, size_t k, uint32_t row, const tg_pval **out)
{
    enum { W = 1024 }; /* rows read at a time */
    tg_column *c = &TG_VEC_AT(&g->props[side].cols, tg_column, k);
    const char *pfx = side == TG_ENTITY ? "e" : "r";
    uint32_t win[W];
    size_t lo = 0, hi = c->base_n, i, step, total = 0;
    uint64_t lo_row = 0, hi_row = (uint64_t)c->last + 1;
    tg_i_probe *p;
    char name[64];
    tg_pval v;

    *out = NULL;
    if (c->queue.n > TG_I_QUEUE_MAX)
        return 1; /* a long queue is merged into the column instead of searched */
    /* a queued change of the row is its latest value */
    for (i = c->queue.n; i-- > 0;) {
        const tg_i_replay *q = &TG_VEC_AT(&c->queue, tg_i_replay, i);
        if (q->row == row) {
            if (q->v.type == TG_V_NULL)
                return 0;
            v = q->v;
            goto found;
        }
    }
    for (i = 0; i < c->nprobes; i++)
        if (c->probes[i].row == row) {
            *out = c->probes[i].hit ? &c->probes[i].v : NULL;
            return 0;
        }
    if (c->nprobes == TG_I_PROBES || !g->src.read || !g->src.fetch || g->src.st != TG_OK ||
        c->last == EMPTY32)
        return 1;
    if (!c->probes && !(c->probes = calloc(TG_I_PROBES, sizeof *c->probes)))
        return 1;
    snprintf(name, sizeof name, "%s.%u.rows", pfx, c->base_k);
    /* interpolation search over the ascending rows, a window at a time:
     * a dense column (an entity property most have) takes one read */
    for (step = 0; lo < hi; step++) {
        size_t guess, ws, wn, a, b;
        if (step == 24)
            return 1; /* does not converge: the whole load checks the column */
        guess = lo + (size_t)((row - lo_row) * (uint64_t)(hi - lo) / (hi_row - lo_row));
        if (guess >= hi)
            guess = hi - 1;
        if (hi - lo <= W) {
            ws = lo;
        } else { /* a window around the guess, inside [lo, hi) */
            ws = guess < lo + W / 2 ? lo : guess - W / 2;
            if (ws + W > hi)
                ws = hi - W;
        }
        wn = hi - ws < W ? hi - ws : W;
        if (probe_rows(g, name, ws, wn, win, c->base_n) != 0)
            return 1;
        if (row < win[0]) {
            hi = ws;
            hi_row = win[0];
            continue;
        }
        if (row > win[wn - 1]) {
            lo = ws + wn;
            lo_row = (uint64_t)win[wn - 1] + 1;
            continue;
        }
        for (a = 0, b = wn; a < b;) {
            size_t mid = a + (b - a) / 2;
            if (win[mid] < row)
                a = mid + 1;
            else
                b = mid;
        }
        if (win[a] != row)
            break; /* absent */
        snprintf(name, sizeof name, "%s.%u.vals", pfx, c->base_k);
        if (g->src.read(g->src.ctx, name, (ws + a) * sizeof v, sizeof v, &v, &total) != 0 ||
            total != (size_t)c->base_n * sizeof v)
            return 1;
        if (!tg_i_pval_valid(g, &v, 1) || v.type == TG_V_NULL)
            return 1; /* the whole load reports it */
        goto found;
    }
    p = &c->probes[c->nprobes++];
    p->row = row;
    p->hit = 0;
    return 0;
found:
    if (!c->probes && !(c->probes = calloc(TG_I_PROBES, sizeof *c->probes)))
        return 1;
    for (p = NULL, i = 0; i < c->nprobes && !p; i++) /* a queued change read before */
        if (c->probes[i].row == row)
            p = &c->probes[i];
    if (!p && c->nprobes == TG_I_PROBES)
        return 1;
    if (!p)
        p = &c->probes[c->nprobes++];
    p->row = row;
    p->hit = 1;
    p->v = v;
    *out = &p->v;
    return 0;
}

tg_status tg_graph_load_relations(tg_graph *g, tg_error *err)
{
    return tg_i_rels(g) == 0 ? TG_OK : tg_graph_status(g, err);
}

tg_status tg_graph_load_all(tg_graph *g, tg_error *err)
{
    size_t s, k;

    if (tg_i_strings_load_all(g) != 0 || tg_i_ents_load_all(g) != 0 ||
        tg_i_pages_load_all(g) != 0 || tg_i_rels(g) != 0)
        return tg_graph_status(g, err);
    for (s = 0; s < 2; s++)
        for (k = 0; k < g->props[s].cols.n; k++)
            if (tg_i_column_load(g, (tg_side)s, k) != 0)
                return tg_graph_status(g, err);
    return TG_OK;
}

tg_status tg_graph_status(const tg_graph *g, tg_error *err)
{
    if (g->src.st == TG_OK)
        return TG_OK;
    return tg_error_set(err, g->src.st, NULL, 0, 0, "%s", g->src.msg);
}

/* Records why fetching a segment failed: memory, I/O, or a missing segment
 * (a damaged store). */
static void fetch_failed(loader *L, const char *name, int rc)
{
    char msg[128];

    if (L->st != TG_OK)
        return;
    if (rc == TG_SEGMENT_NOMEM) {
        L->st = tg_error_set(L->err, TG_ENOMEM, NULL, 0, 0,
                             "out of memory reading segment %s of the store", name);
    } else if (rc == TG_SEGMENT_IO) {
        L->st = tg_error_set(L->err, TG_EIO, NULL, 0, 0, "cannot read segment %s of the store",
                             name);
    } else {
        snprintf(msg, sizeof msg, "segment %s is missing", name);
        corrupt(L, msg);
    }
}

/* Fetches a segment of exactly n elements of esize bytes into v. */
static int fetch_vec(loader *L, const char *name, tg_vec *v, size_t esize, size_t n)
{
    void *data = NULL;
    size_t size = 0;
    char msg[128];

    int rc;

    if (L->st != TG_OK)
        return -1;
    if ((rc = L->fetch(L->ctx, name, &data, &size)) != 0) {
        fetch_failed(L, name, rc);
        return -1;
    }
    if (size != n * esize) {
        free(data);
        snprintf(msg, sizeof msg, "segment %s has %zu bytes, expected %zu", name, size, n * esize);
        corrupt(L, msg);
        return -1;
    }
    tg_vec_adopt(v, data, n);
    return 0;
}

int tg_i_pval_valid(const tg_graph *g, const tg_pval *v, int allow_list)
{
    switch (v->type) {
    case TG_V_BOOL:
    case TG_V_INT:
    case TG_V_FLOAT: return 1;
    case TG_V_STRING: return v->u.s < g->str_len.n;
    case TG_V_LIST:
        return allow_list && (v->elem <= TG_V_STRING || tg_time_is_kind(v->elem)) &&
               (v->len == 0 || (uint64_t)v->u.list + v->len <= g->list_pool.n);
    case TG_V_DATE:
    case TG_V_LOCALTIME:
    case TG_V_TIME:
    case TG_V_LOCALDATETIME:
    case TG_V_DATETIME:
    case TG_V_DURATION: return tg_i_temporal_check(g, v); /* ranges, pool offsets */
    default: return 0;
    }
}

static int check_syms(const tg_graph *g, const tg_vec *v)
{
    size_t i;

    for (i = 0; i < v->n; i++)
        if (TG_VEC_AT(v, tg_sym, i) >= g->str_len.n)
            return 0;
    return 1;
}

/* Reads the keys of one side's columns. A column stays pending when the
 * store says how many rows it has and which is its last (e.cols); without
 * that directory (an older store) it is loaded now. */
static int load_side(loader *L, tg_graph *g, tg_side side, size_t ncols)
{
    tg_side_props *p = &g->props[side];
    const char *pfx = side == TG_ENTITY ? "e" : "r";
    tg_vec keys = {0}, info = {0};
    char name[64];
    size_t k;
    int rc = -1, lazy;
    void *probe = NULL;
    size_t probe_size = 0;

    snprintf(name, sizeof name, "%s.keys", pfx);
    if (fetch_vec(L, name, &keys, sizeof(tg_sym), ncols) != 0)
        goto done;
    if (!check_syms(g, &keys)) {
        corrupt(L, "a property key is not a string of the store");
        goto done;
    }
    snprintf(name, sizeof name, "%s.cols", pfx);
    lazy = L->fetch(L->ctx, name, &probe, &probe_size);
    if (lazy == TG_SEGMENT_NOMEM || lazy == TG_SEGMENT_IO) {
        fetch_failed(L, name, lazy);
        goto done;
    }
    lazy = lazy == 0;
    if (lazy) {
        if (probe_size != ncols * 2 * sizeof(uint32_t)) {
            free(probe);
            corrupt(L, "the column directory does not match the keys");
            goto done;
        }
        tg_vec_adopt(&info, probe, ncols * 2);
    }
    if (tg_vec_reserve(&p->cols, sizeof(tg_column), ncols) != 0 ||
        tg_u32map_reserve(&p->col_of_key, ncols) != 0) {
        L->st = tg_error_set(L->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (k = 0; k < ncols; k++) {
        tg_column c;
        memset(&c, 0, sizeof c);
        c.key = TG_VEC_AT(&keys, tg_sym, k);
        if (c.key == 0 || tg_u32map_get(&p->col_of_key, c.key) != EMPTY32) {
            corrupt(L, "a property key is empty or repeated");
            goto done;
        }
        c.pending = 1;
        c.base_k = (uint32_t)k;
        c.base_n = lazy ? TG_VEC_AT(&info, uint32_t, 2 * k) : 0;
        c.last = lazy ? TG_VEC_AT(&info, uint32_t, 2 * k + 1) : EMPTY32;
        if (lazy && c.base_n == 0)
            c.pending = 0; /* nothing to fetch */
        tg_vec_push(&p->cols, sizeof c, &c); /* reserved above */
        tg_u32map_put(&p->col_of_key, c.key, (uint32_t)k);
        if (!lazy && tg_i_column_load(g, side, k) != 0) {
            L->st = tg_error_set(L->err, g->src.st, NULL, 0, 0, "%s", g->src.msg);
            goto done;
        }
    }
    rc = 0;
done:
    tg_vec_free(&keys);
    tg_vec_free(&info);
    return rc;
}

/* Loads a tombstone bitmap of n items: ceil(n / 64) words, no bit set past
 * n; counts the set bits in *ndead. */
static int load_dead(loader *L, tg_graph *g, const char *name, tg_vec *bits, size_t n,
                     size_t *ndead)
{
    size_t i, c = 0;

    (void)g;
    if (fetch_vec(L, name, bits, sizeof(uint64_t), (n + 63) / 64) != 0)
        return -1;
    for (i = 0; i < bits->n; i++) {
        uint64_t w = TG_VEC_AT(bits, uint64_t, i);
        if (i == bits->n - 1 && n % 64 && (w >> (n % 64)) != 0)
            return corrupt(L, "a tombstone bitmap marks items that do not exist"), -1;
        for (; w; w &= w - 1)
            c++;
    }
    *ndead = c;
    return 0;
}

/* An optional segment: 0 found, 1 missing, -1 failed (recorded in L). */
static int fetch_optional(loader *L, const char *name, void **data, size_t *size)
{
    int rc = L->fetch(L->ctx, name, data, size);

    if (rc == 0)
        return 0;
    if (rc == TG_SEGMENT_NOMEM || rc == TG_SEGMENT_IO) {
        fetch_failed(L, name, rc);
        return -1;
    }
    return 1;
}

static int is_pow2(size_t n)
{
    return n && (n & (n - 1)) == 0;
}

/* Adopts the stored string hash table when it fits the strings: 0 done,
 * 1 absent or unfit (rebuild it), 2 failed. Every slot is checked, so a
 * damaged table can only cost sharing, never a read out of bounds. */
static int adopt_str_hash(loader *L, tg_graph *g)
{
    void *data = NULL;
    size_t size = 0, cap, i, used = 0, n = g->str_len.n;
    uint32_t *slots;
    int rc = fetch_optional(L, "str.hash", &data, &size);

    if (rc != 0)
        return rc < 0 ? 2 : 1;
    cap = size / sizeof(uint32_t);
    slots = data;
    if (size % sizeof(uint32_t) || !is_pow2(cap) || cap < 2 * n + 2) {
        free(data);
        return 1;
    }
    for (i = 0; i < cap; i++) {
        if (slots[i] >= n) {
            free(data);
            return 1;
        }
        used += slots[i] != 0;
    }
    if (used != n - 1) {
        free(data);
        return 1;
    }
    g->str_hash_slots = slots;
    g->str_hash_cap = cap;
    return 0;
}

/* Adopts the stored id -> entity map when it fits: 0 done, 1 rebuild, 2
 * failed. Keys must be strings, values entities, one per live entity. A
 * store written before the map kept keys and values side by side has
 * "ent.map.k" / ".v" instead: its map is rebuilt (and written as "ent.map"
 * by the next fold). */
static int adopt_ent_map(loader *L, tg_graph *g)
{
    void *data = NULL;
    size_t size = 0, cap, i, used = 0;
    uint32_t *kv;
    int rc = fetch_optional(L, "ent.map", &data, &size);

    if (rc != 0)
        return rc < 0 ? 2 : 1;
    kv = data;
    cap = size / (2 * sizeof(uint32_t));
    if (size % (2 * sizeof(uint32_t)) || (cap && !is_pow2(cap)))
        goto unfit;
    {
        /* without branches: half the slots are empty, at random, and a
         * mispredicted branch per slot cost more than the checks */
        uint32_t nstr = (uint32_t)g->str_len.n, nent = (uint32_t)g->ent_id.n;
        unsigned bad = 0;
        for (i = 0; i < cap; i++) {
            uint32_t k = kv[2 * i], v = kv[2 * i + 1];
            unsigned full = k != EMPTY32;
            bad |= full & ((k == 0) | (k >= nstr) | (v >= nent));
            used += full;
        }
        if (bad)
            goto unfit;
    }
    if (used != g->ent_id.n - g->ndead_ent || (cap && used >= cap))
        goto unfit;
    if (cap) {
        g->ent_of_sym.kv = kv;
        g->ent_of_sym.cap = cap;
        g->ent_of_sym.n = used;
    } else {
        free(data);
    }
    return 0;
unfit:
    free(data);
    return 1;
}

/* Rebuilds the labelset hash chains from lset_off/lset_labels. */
static int rehash_labelsets(tg_graph *g)
{
    size_t nsets = g->lset_off.n - 1, k;

    tg_u32map_free(&g->lset_of_hash);
    g->lset_next.n = 0;
    if (tg_vec_reserve(&g->lset_next, sizeof(uint32_t), nsets) != 0 ||
        tg_u32map_reserve(&g->lset_of_hash, nsets) != 0)
        return -1;
    g->lset_next.n = nsets;
    TG_VEC_AT(&g->lset_next, uint32_t, 0) = EMPTY32;
    for (k = 1; k < nsets; k++) {
        uint32_t a = TG_VEC_AT(&g->lset_off, uint32_t, k);
        uint32_t b = TG_VEC_AT(&g->lset_off, uint32_t, k + 1);
        uint64_t h64 = tg_hash_bytes((tg_sym *)g->lset_labels.a + a, (b - a) * sizeof(tg_sym), 0x6c73);
        uint32_t h = (uint32_t)(h64 ^ (h64 >> 32));
        if (h == EMPTY32)
            h = 0;
        TG_VEC_AT(&g->lset_next, uint32_t, k) = tg_u32map_get(&g->lset_of_hash, h);
        if (tg_u32map_put(&g->lset_of_hash, h, (uint32_t)k) != 0)
            return -1;
    }
    return 0;
}

/* What is wrong with entities [first, first + n), NULL if nothing: each
 * must have an id that is a string and a label set that exists, and a
 * deleted one no label. */
static const char *ents_invalid(const tg_graph *g, size_t first, size_t n)
{
    size_t i, nsets = g->lset_off.n - 1, nstr = g->str_len.n;
    const tg_sym *id = g->ent_id.a;
    const uint32_t *ls = g->ent_lset.a;

    for (i = first; i < first + n; i++) {
        if (id[i] == 0 || id[i] >= nstr || ls[i] >= nsets)
            return "an entity has an invalid id or label set";
        if (ls[i] != 0 && tg_i_bit(&g->ent_dead, i))
            return "a deleted entity keeps labels";
    }
    return NULL;
}

static int check_structure(loader *L, tg_graph *g)
{
    size_t i, nsets = g->lset_off.n - 1, nent = g->ent_id.n;
    const char *bad;
    const uint32_t *off = g->lset_off.a;

    if (off[0] != 0 || nsets < 1 || off[1] != 0 || off[nsets] != g->lset_labels.n)
        return corrupt(L, "label sets are inconsistent"), -1;
    for (i = 1; i < nsets; i++) {
        uint32_t j;
        if (off[i + 1] <= off[i] || off[i + 1] > g->lset_labels.n)
            return corrupt(L, "label sets are inconsistent"), -1;
        for (j = off[i]; j < off[i + 1]; j++) {
            tg_sym l = TG_VEC_AT(&g->lset_labels, tg_sym, j);
            if (l == 0 || l >= g->str_len.n || (j > off[i] && l <= TG_VEC_AT(&g->lset_labels, tg_sym, j - 1)))
                return corrupt(L, "a label set is not sorted or names no string"), -1;
        }
    }
    if (!g->src.ent_pages && (bad = ents_invalid(g, 0, nent)) != NULL) /* else by page */
        return corrupt(L, bad), -1;
    for (i = 0; i < g->list_pool.n; i++)
        if (!tg_i_pval_valid(g, &TG_VEC_AT(&g->list_pool, tg_pval, i), 0))
            return corrupt(L, "a list holds an invalid value"), -1;
    for (i = 0; i < g->sources.n; i++) {
        const tg_source_rec *r = &TG_VEC_AT(&g->sources, tg_source_rec, i);
        uint32_t j;
        if (r->id == 0 || r->id >= g->str_len.n || (uint64_t)r->off + r->n > g->src_fields.n)
            return corrupt(L, "a source record is invalid"), -1;
        for (j = r->off; j < r->off + r->n; j++) {
            const tg_source_field *f = &TG_VEC_AT(&g->src_fields, tg_source_field, j);
            if (f->key >= g->str_len.n || f->value >= g->str_len.n)
                return corrupt(L, "a source field is invalid"), -1;
        }
    }
    return 0;
}

/* Rebuilds the id map from the entities: 0, -1 out of memory, -2 two live
 * entities share an id. */
static int rebuild_ent_map(tg_graph *g)
{
    size_t i;

    if (tg_i_ents_load_all(g) != 0 && g->src.st == TG_ENOMEM)
        return -1;
    tg_u32map_free(&g->ent_of_sym);
    free(g->src.pages[TG_I_ENT_MAP]);
    g->src.pages[TG_I_ENT_MAP] = NULL;
    if (tg_u32map_reserve(&g->ent_of_sym, g->ent_id.n) != 0)
        return -1;
    for (i = 0; i < g->ent_id.n; i++) {
        tg_sym id = TG_VEC_AT(&g->ent_id, tg_sym, i);
        if (tg_i_bit(&g->ent_dead, i))
            continue; /* a deleted id is free */
        if (tg_u32map_get(&g->ent_of_sym, id) != EMPTY32)
            return -2;
        tg_u32map_put(&g->ent_of_sym, id, (uint32_t)i);
    }
    return 0;
}

/* ---- the hash tables, a page at a time ------------------------------------ */

static const char *const page_seg[2] = {"str.hash", "ent.map"};

static size_t table_cap(const tg_graph *g, int table)
{
    return table == TG_I_STR_HASH ? g->str_hash_cap : g->ent_of_sym.cap;
}

static size_t slot_bytes(int table)
{
    return table == TG_I_STR_HASH ? sizeof(uint32_t) : 2 * sizeof(uint32_t);
}

/* Whether slots [first, first + n) of table hold only what the graph can
 * have put there, where it would have put it: symbols of its strings (an
 * id map entry: an entity whose id it is), each reachable from its home
 * slot without crossing an empty slot of the page (runs that begin on an
 * earlier page are checked from the page's start). A page damaged in a way
 * that passes (a symbol missing from its run) can only make a lookup miss;
 * nothing reads out of bounds. */
static int ent_read(const tg_graph *g, size_t e)
{
    size_t page = e >> TG_I_ENT_PAGE_SHIFT;

    return !g->src.ent_pages || e >= g->src.ent_base ||
           (g->src.ent_pages[page >> 6] >> (page & 63) & 1);
}

static int page_valid(const tg_graph *g, int table, size_t first, size_t n)
{
    size_t i, nstr = g->str_len.n, nent = g->ent_id.n, cap = table_cap(g, table),
              mask = cap - 1, empty = SIZE_MAX; /* the page's last empty slot */

    for (i = 0; i < n; i++) {
        size_t at = first + i, home;
        if (table == TG_I_STR_HASH) {
            uint32_t sym = g->str_hash_slots[at];
            if (sym == 0) {
                empty = at;
                continue;
            }
            if (sym >= nstr)
                return 0;
            if (!TG_VEC_AT(&g->str_ptr, const char *, sym))
                continue; /* not read: its place is not checked (no read for a check) */
            home = tg_i_str_hash(TG_VEC_AT(&g->str_ptr, const char *, sym),
                                 TG_VEC_AT(&g->str_len, uint32_t, sym)) & mask;
        } else {
            uint32_t k = g->ent_of_sym.kv[2 * at], v = g->ent_of_sym.kv[2 * at + 1];
            if (k == EMPTY32) {
                empty = at;
                continue;
            }
            if (k == 0 || k >= nstr || v >= nent || tg_i_bit(&g->ent_dead, v) ||
                (ent_read(g, v) && TG_VEC_AT(&g->ent_id, tg_sym, v) != k))
                return 0; /* an entity not read yet is checked when found (graph.c) */
            home = tg_hash_u64(k) & mask;
        }
        if (empty != SIZE_MAX && ((at - home) & mask) >= at - empty)
            return 0; /* an empty slot lies between its home and it */
    }
    return 1;
}

int tg_i_page_load(tg_graph *g, int table, size_t page)
{
    size_t cap = table_cap(g, table), first = page << TG_I_PAGE_SHIFT, n, total = 0;
    size_t sb = slot_bytes(table);
    void *dst;
    int rc = -1;

    if (first < cap) {
        n = cap - first < ((size_t)1 << TG_I_PAGE_SHIFT) ? cap - first
                                                          : (size_t)1 << TG_I_PAGE_SHIFT;
        dst = table == TG_I_STR_HASH ? (void *)(g->str_hash_slots + first)
                                     : (void *)(g->ent_of_sym.kv + 2 * first);
        if (g->src.read && g->src.fetch)
            rc = g->src.read(g->src.ctx, page_seg[table], first * sb, n * sb, dst, &total);
        if (rc == 0 && total == cap * sb && page_valid(g, table, first, n)) {
            g->src.pages[table][page >> 6] |= (uint64_t)1 << (page & 63);
            return 0;
        }
    }
    /* unreadable, damaged, or the source is gone: everything the table
     * holds can be rebuilt from memory */
    if (table == TG_I_STR_HASH) {
        if (tg_i_graph_rehash_strings(g) != 0)
            tg_i_lazy_fail(g, TG_ENOMEM, "out of memory rebuilding the string table");
    } else {
        tg_i_ent_map_rebuild(g);
    }
    free(g->src.pages[table]);
    g->src.pages[table] = NULL;
    return 1;
}

void tg_i_ent_map_rebuild(tg_graph *g)
{
    int r = rebuild_ent_map(g);

    if (r == -1)
        tg_i_lazy_fail(g, TG_ENOMEM, "out of memory rebuilding the id map");
    else if (r == -2)
        tg_i_lazy_fail(g, TG_EDATA, "the store's graph is damaged: two entities share an id");
}

int tg_i_pages_load_all(tg_graph *g)
{
    int table;
    size_t p;

    for (table = 0; table < 2; table++)
        for (p = 0; g->src.pages[table] &&
                    p < (table_cap(g, table) + ((size_t)1 << TG_I_PAGE_SHIFT) - 1) >> TG_I_PAGE_SHIFT;
             p++)
            if (!(g->src.pages[table][p >> 6] >> (p & 63) & 1))
                tg_i_page_load(g, table, p);
    return g->src.st == TG_ENOMEM ? -1 : 0;
}

/* Sets table up to be read a page at a time: its size checked, its slots
 * allocated but not touched (the kernel's zero pages until read). 0 done,
 * 1 absent or unfit (adopt or rebuild it instead), 2 failed. */
static int page_table(loader *L, tg_graph *g, tg_segment_reader read, int table)
{
    size_t total = 0, sb = slot_bytes(table), cap, npages;
    int rc = read(L->ctx, page_seg[table], 0, 0, NULL, &total);
    void *slots;
    uint64_t *bits;

    if (rc == TG_SEGMENT_NOMEM || rc == TG_SEGMENT_IO) {
        fetch_failed(L, page_seg[table], rc);
        return 2;
    }
    cap = total / sb;
    if (rc != 0 || total % sb || !is_pow2(cap) ||
        (table == TG_I_STR_HASH ? cap < 2 * g->str_len.n + 2
                                : cap < 2 * (g->ent_id.n - g->ndead_ent) + 2))
        return 1;
    npages = (cap + ((size_t)1 << TG_I_PAGE_SHIFT) - 1) >> TG_I_PAGE_SHIFT;
    slots = calloc(cap, sb);
    bits = calloc((npages + 63) / 64, sizeof *bits);
    if (!slots || !bits) {
        free(slots);
        free(bits);
        L->st = tg_error_set(L->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        return 2;
    }
    g->src.pages[table] = bits;
    if (table == TG_I_STR_HASH) {
        g->str_hash_slots = slots;
        g->str_hash_cap = cap;
    } else {
        g->ent_of_sym.kv = slots;
        g->ent_of_sym.cap = cap;
        g->ent_of_sym.n = g->ent_id.n - g->ndead_ent;
    }
    return 0;
}

/* ---- strings and entities, a page at a time ------------------------------ */

/* Sets up n strings to be read a page at a time: pointers NULL (the
 * kernel's zero pages until a page is read), but symbol 0's. */
static int lazy_strings(loader *L, tg_graph *g, tg_string_reader strings, size_t n)
{
    const char **ptr = calloc(n, sizeof *ptr);
    uint32_t *len = calloc(n, sizeof *len);

    if (!ptr || !len) {
        free(ptr);
        free(len);
        L->st = tg_error_set(L->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    ptr[0] = "";
    tg_vec_adopt(&g->str_ptr, ptr, n);
    tg_vec_adopt(&g->str_len, len, n);
    g->src.strings = strings;
    g->src.str_base = n;
    return 0;
}

const char *tg_i_str_page_load(const tg_graph *cg, tg_sym sym)
{
    tg_graph *g = (tg_graph *)cg;
    const char **ptr = (const char **)g->str_ptr.a;
    uint32_t *len = g->str_len.a;
    size_t first = (size_t)sym >> TG_I_STR_PAGE_SHIFT << TG_I_STR_PAGE_SHIFT, n, i, pos = 0,
           size = 0;
    char *bytes = NULL, msg[128];
    int rc = 1;

    if (sym >= g->src.str_base) /* cannot be: the strings after the base are in memory */
        return "";
    n = g->src.str_base - first < ((size_t)1 << TG_I_STR_PAGE_SHIFT)
            ? g->src.str_base - first
            : (size_t)1 << TG_I_STR_PAGE_SHIFT;
    if (g->src.strings && g->src.fetch)
        rc = g->src.strings(g->src.ctx, first, n, len + first, &bytes, &size);
    if (rc == 0) {
        for (i = 0; i < n && len[first + i] < size - pos && bytes[pos + len[first + i]] == '\0';
             i++) {
            ptr[first + i] = bytes + pos;
            pos += (size_t)len[first + i] + 1;
        }
        if (i < n || pos != size || (first == 0 && len[0] != 0))
            rc = 1;
        else if (tg_vec_push(&g->src.str_blocks, sizeof bytes, &bytes) != 0)
            rc = TG_SEGMENT_NOMEM;
        else
            return ptr[sym];
    }
    free(bytes);
    snprintf(msg, sizeof msg, "%s strings %zu to %zu%s",
             rc == TG_SEGMENT_NOMEM ? "out of memory reading the store's"
             : rc == TG_SEGMENT_IO  ? "cannot read the store's"
                                    : "the store's graph is damaged: its",
             first, first + n - 1, rc == TG_SEGMENT_NOMEM || rc == TG_SEGMENT_IO
                                       ? "" : " do not match their lengths");
    tg_i_lazy_fail(g, rc == TG_SEGMENT_NOMEM ? TG_ENOMEM : rc == TG_SEGMENT_IO ? TG_EIO : TG_EDATA,
                   msg);
    for (i = first; i < first + n; i++) { /* read as "": nothing reads garbage */
        ptr[i] = "";
        len[i] = 0;
    }
    return ptr[sym];
}

int tg_i_strings_load_all(tg_graph *g)
{
    size_t first, n = g->src.str_base;
    const char *const *ptr = g->str_ptr.a;

    if (!g->src.strings)
        return g->src.st == TG_OK ? 0 : -1;
    for (first = 0; first < n; first += (size_t)1 << TG_I_STR_PAGE_SHIFT) {
        size_t last = first + ((size_t)1 << TG_I_STR_PAGE_SHIFT) - 1;
        if (last >= n)
            last = n - 1;
        if (last > 0 && !ptr[last])
            tg_i_str_page_load(g, (tg_sym)last);
    }
    g->src.strings = NULL; /* all in memory */
    return g->src.st == TG_OK ? 0 : -1;
}

/* Sets up the entities to be read a page at a time (n of them). */
static int lazy_ents(loader *L, tg_graph *g, size_t n)
{
    size_t npages = (n + ((size_t)1 << TG_I_ENT_PAGE_SHIFT) - 1) >> TG_I_ENT_PAGE_SHIFT;
    tg_sym *id = calloc(n ? n : 1, sizeof *id);
    uint32_t *ls = calloc(n ? n : 1, sizeof *ls);
    uint64_t *bits = calloc((npages + 63) / 64 + 1, sizeof *bits);

    if (!id || !ls || !bits) {
        free(id);
        free(ls);
        free(bits);
        L->st = tg_error_set(L->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    tg_vec_adopt(&g->ent_id, id, n);
    tg_vec_adopt(&g->ent_lset, ls, n);
    g->src.ent_pages = bits;
    return 0;
}

void tg_i_ent_page_load(const tg_graph *cg, size_t page)
{
    tg_graph *g = (tg_graph *)cg;
    size_t first = page << TG_I_ENT_PAGE_SHIFT, n = g->src.ent_base - first, total = 0, i;
    const char *bad = NULL;
    char msg[128];
    int rc = 1;

    if (first >= g->src.ent_base || !g->src.ent_pages)
        return;
    if (n > ((size_t)1 << TG_I_ENT_PAGE_SHIFT))
        n = (size_t)1 << TG_I_ENT_PAGE_SHIFT;
    g->src.ent_pages[page >> 6] |= (uint64_t)1 << (page & 63);
    if (g->src.read && g->src.fetch &&
        (rc = g->src.read(g->src.ctx, "ent.id", first * sizeof(tg_sym), n * sizeof(tg_sym),
                          (tg_sym *)g->ent_id.a + first, &total)) == 0 &&
        total == g->src.ent_base * sizeof(tg_sym) &&
        (rc = g->src.read(g->src.ctx, "ent.lset", first * sizeof(uint32_t), n * sizeof(uint32_t),
                          (uint32_t *)g->ent_lset.a + first, &total)) == 0 &&
        total == g->src.ent_base * sizeof(uint32_t) && !(bad = ents_invalid(g, first, n)))
        return;
    snprintf(msg, sizeof msg, "the store's graph is damaged: %s (entities %zu to %zu)",
             bad ? bad : "the entities do not match their count", first, first + n - 1);
    tg_i_lazy_fail(g, rc == TG_SEGMENT_NOMEM ? TG_ENOMEM : rc == TG_SEGMENT_IO ? TG_EIO : TG_EDATA,
                   rc == TG_SEGMENT_NOMEM ? "out of memory reading the store's entities"
                   : rc == TG_SEGMENT_IO  ? "cannot read the store's entities"
                                          : msg);
    for (i = first; i < first + n; i++) { /* read as no id and no label */
        TG_VEC_AT(&g->ent_id, tg_sym, i) = 0;
        TG_VEC_AT(&g->ent_lset, uint32_t, i) = 0;
    }
}

int tg_i_ents_load_all(tg_graph *g)
{
    size_t p, npages;

    if (!g->src.ent_pages)
        return g->src.st == TG_OK ? 0 : -1;
    npages = (g->src.ent_base + ((size_t)1 << TG_I_ENT_PAGE_SHIFT) - 1) >> TG_I_ENT_PAGE_SHIFT;
    for (p = 0; p < npages; p++)
        if (!(g->src.ent_pages[p >> 6] >> (p & 63) & 1))
            tg_i_ent_page_load(g, p);
    free(g->src.ent_pages);
    g->src.ent_pages = NULL; /* all in memory */
    return g->src.st == TG_OK ? 0 : -1;
}

/* The number of entities in each label set: stored (lset.uses), or counted
 * (a store written before it was, or one whose counts do not add up). */
static int load_lset_uses(loader *L, tg_graph *g)
{
    size_t nsets = g->lset_off.n - 1, i, sum = 0;
    void *data = NULL;
    size_t size = 0;
    int rc = fetch_optional(L, "lset.uses", &data, &size);

    if (rc < 0)
        return -1;
    if (rc == 0 && size == nsets * sizeof(uint32_t)) {
        const uint32_t *u = data;
        for (i = 0; i < nsets; i++)
            sum += u[i];
        if (sum == g->ent_id.n) {
            tg_vec_adopt(&g->lset_uses, data, nsets);
            return 0;
        }
    }
    free(data);
    if (tg_i_ents_load_all(g) != 0) {
        L->st = tg_error_set(L->err, g->src.st, NULL, 0, 0, "%s", g->src.msg);
        return -1;
    }
    if (!(data = calloc(nsets, sizeof(uint32_t)))) {
        L->st = tg_error_set(L->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    for (i = 0; i < g->ent_lset.n; i++)
        ((uint32_t *)data)[TG_VEC_AT(&g->ent_lset, uint32_t, i)]++;
    tg_vec_adopt(&g->lset_uses, data, nsets);
    return 0;
}

static tg_status open_segments(tg_segment_source fetch, tg_segment_reader read,
                               tg_string_reader strings, void *ctx, void (*release)(void *ctx),
                               tg_graph **out, tg_error *err)
{
    loader L = {fetch, ctx, err, TG_OK};
    int rb;
    tg_graph *g = NULL;
    tg_vec metav = {0}, data = {0};
    uint64_t meta[M_COUNT];
    size_t i, pos = 0;
    char *chunk;

    *out = NULL;
    tg_i_igraph_init();
    if (fetch_vec(&L, "meta", &metav, sizeof meta, 1) != 0)
        goto done;
    memcpy(meta, metav.a, sizeof meta);
    if (meta[M_VERSION] != SERIAL_VERSION && meta[M_VERSION] != SERIAL_VERSION_DEAD) {
        L.st = tg_error_set(err, TG_EDATA, NULL, 0, 0,
                            "the store's graph format is version %llu; this tiegraph reads versions %u and %u",
                            (unsigned long long)meta[M_VERSION], SERIAL_VERSION, SERIAL_VERSION_DEAD);
        goto done;
    }
    if (meta[M_NSTR] < 1 || meta[M_NSTR] > EMPTY32 || meta[M_NENT] >= EMPTY32 ||
        meta[M_NREL] >= EMPTY32 || meta[M_NLSETS] < 1 || meta[M_NLSETS] >= EMPTY32) {
        corrupt(&L, "the counts are out of range");
        goto done;
    }
    g = calloc(1, sizeof *g);
    if (!g) {
        L.st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    g->lset_owner = TG_NONE;
    /* strings: a page at a time, or one adopted chunk, pointers found by
     * walking the lengths */
    g->src.fetch = fetch; /* the release callback is handed over on success only */
    g->src.ctx = ctx;
    g->src.read = read;
    if (strings && read) {
        if (lazy_strings(&L, g, strings, meta[M_NSTR]) != 0)
            goto done;
    } else {
        if (fetch_vec(&L, "str.len", &g->str_len, sizeof(uint32_t), meta[M_NSTR]) != 0)
            goto done;
        {
            void *raw = NULL;
            size_t size = 0, want = 0;
            for (i = 0; i < g->str_len.n; i++)
                want += (size_t)TG_VEC_AT(&g->str_len, uint32_t, i) + 1;
            int frc = fetch(ctx, "str.data", &raw, &size);
            if (frc != 0) {
                fetch_failed(&L, "str.data", frc);
                goto done;
            }
            if (size != want) {
                free(raw);
                corrupt(&L, "the string segment does not match its lengths");
                goto done;
            }
            tg_vec_adopt(&data, raw, size);
        }
        chunk = data.a;
        if (tg_vec_push(&g->pool_chunks, sizeof chunk, &chunk) != 0) {
            L.st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
        data.a = NULL; /* the pool owns it now: freed with the graph, not here */
        if (tg_vec_reserve(&g->str_ptr, sizeof(char *), g->str_len.n) != 0) {
            L.st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
        g->chunk_cap = g->chunk_used = data.n;
        for (i = 0; i < g->str_len.n; i++) {
            size_t len = TG_VEC_AT(&g->str_len, uint32_t, i);
            if (chunk[pos + len] != '\0' || (i == 0 && len != 0)) {
                corrupt(&L, "a string is not terminated");
                goto done;
            }
            TG_VEC_AT(&g->str_ptr, const char *, i) = chunk + pos;
            pos += len + 1;
        }
        g->str_ptr.n = g->str_len.n;
    }
    if (strings && read ? lazy_ents(&L, g, meta[M_NENT])
                        : fetch_vec(&L, "ent.id", &g->ent_id, sizeof(tg_sym), meta[M_NENT]) ||
                              fetch_vec(&L, "ent.lset", &g->ent_lset, sizeof(uint32_t),
                                        meta[M_NENT]))
        goto done;
    if (fetch_vec(&L, "lset.off", &g->lset_off, sizeof(uint32_t), meta[M_NLSETS] + 1))
        goto done;
    {
        size_t nlabels = TG_VEC_AT(&g->lset_off, uint32_t, meta[M_NLSETS]);
        if (fetch_vec(&L, "lset.labels", &g->lset_labels, sizeof(tg_sym), nlabels))
            goto done;
    }
 /* the relation arrays stay in the store until needed (tg_i_rels) */
    g->src.rel_base = meta[M_NREL];
    g->src.ent_base = meta[M_NENT];
    if (fetch_vec(&L, "list.pool", &g->list_pool, sizeof(tg_pval), meta[M_NLIST]) ||
        fetch_vec(&L, "src.recs", &g->sources, sizeof(tg_source_rec), meta[M_NSRC]) ||
        fetch_vec(&L, "src.fields", &g->src_fields, sizeof(tg_source_field), meta[M_NSRCF]))
        goto done;
    if (meta[M_VERSION] == SERIAL_VERSION_DEAD &&
        (load_dead(&L, g, "ent.dead", &g->ent_dead, g->ent_id.n, &g->ndead_ent) != 0 ||
         load_dead(&L, g, "rel.dead", &g->rel_dead, meta[M_NREL], &g->ndead_rel) != 0))
        goto done;
    if (check_structure(&L, g) != 0 || load_lset_uses(&L, g) != 0 ||
        load_side(&L, g, TG_ENTITY, meta[M_NCOLE]) != 0 ||
        load_side(&L, g, TG_RELATION, meta[M_NCOLR]) != 0)
        goto done;
    /* hash tables: read a page at a time, or adopted whole, when the store
     * has them; else rebuilt */
    if ((i = read ? page_table(&L, g, read, TG_I_STR_HASH) : 1) == 1)
        i = adopt_str_hash(&L, g);
    if (i == 2 || (i == 1 && tg_i_graph_rehash_strings(g) != 0) || rehash_labelsets(g) != 0) {
        if (L.st == TG_OK)
            L.st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    if ((i = read ? page_table(&L, g, read, TG_I_ENT_MAP) : 1) == 1)
        i = adopt_ent_map(&L, g);
    if (i == 2)
        goto done;
    if (i == 1 && (rb = rebuild_ent_map(g)) != 0) {
        if (rb == -2)
            corrupt(&L, "two entities share an id");
        else
            L.st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    {
        tg_vec dd = {0};
        if (fetch_vec(&L, "list.dedup", &dd, 2 * sizeof(uint32_t), meta[M_NDEDUP]) != 0)
            goto done;
        for (i = 0; i < dd.n; i++) {
            uint32_t off = TG_VEC_AT(&dd, uint32_t, 2 * i + 1);
            /* A bad entry only costs sharing: make_list checks the content. */
            if (off < g->list_pool.n &&
                tg_u32map_put(&g->list_of_hash, TG_VEC_AT(&dd, uint32_t, 2 * i), off) != 0) {
                tg_vec_free(&dd);
                L.st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
                goto done;
            }
        }
        tg_vec_free(&dd);
    }
    for (i = 0; i < g->sources.n; i++)
        if (tg_u32map_put(&g->src_of_sym, TG_VEC_AT(&g->sources, tg_source_rec, i).id,
                          (uint32_t)i) != 0) {
            L.st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
    g->src.release = release;
    tg_graph_changes_mark(g);
    *out = g;
    g = NULL;
done:
    tg_vec_free(&metav);
    tg_vec_free(&data);
    tg_graph_free(g);
    return L.st;
}

tg_status tg_graph_open_segments(tg_segment_source fetch, void *ctx, void (*release)(void *ctx),
                                 tg_graph **out, tg_error *err)
{
    return open_segments(fetch, NULL, NULL, ctx, release, out, err);
}

tg_status tg_graph_open_segments_paged(tg_segment_source fetch, tg_segment_reader read,
                                       tg_string_reader strings, void *ctx,
                                       void (*release)(void *ctx), tg_graph **out,
                                       tg_error *err)
{
    return open_segments(fetch, read, strings, ctx, release, out, err);
}

tg_status tg_graph_load_segments(tg_segment_source fetch, void *ctx, tg_graph **out,
                                 tg_error *err)
{
    tg_status st = tg_graph_open_segments(fetch, ctx, NULL, out, err);

    if (st == TG_OK && (st = tg_graph_load_all(*out, err)) == TG_OK) {
        tg_graph_release_source(*out);
        return TG_OK;
    }
    tg_graph_free(*out);
    *out = NULL;
    return st;
}

void tg_graph_release_source(tg_graph *g)
{
    if (g->src.release)
        g->src.release(g->src.ctx);
    g->src.release = NULL;
    g->src.fetch = NULL;
    g->src.ctx = NULL;
}

/* ---- equality ------------------------------------------------------------ */

static int str_eq(const tg_graph *a, tg_sym x, const tg_graph *b, tg_sym y)
{
    size_t la, lb;
    const char *sa = tg_graph_str(a, x, &la), *sb = tg_graph_str(b, y, &lb);

    return la == lb && memcmp(sa, sb, la) == 0;
}

static int pval_eq(const tg_graph *a, const tg_pval *x, const tg_graph *b, const tg_pval *y)
{
    uint32_t i;

    if (x->type != y->type)
        return 0;
    switch ((tg_vtype)x->type) {
    case TG_V_STRING: return str_eq(a, x->u.s, b, y->u.s);
    case TG_V_LIST:
        if (x->len != y->len || x->elem != y->elem)
            return 0;
        for (i = 0; i < x->len; i++)
            if (!pval_eq(a, &tg_graph_list(a, x)[i], b, &tg_graph_list(b, y)[i]))
                return 0;
        return 1;
    case TG_V_FLOAT: return memcmp(&x->u.f, &y->u.f, sizeof x->u.f) == 0;
    case TG_V_INT: return x->u.i == y->u.i;
    case TG_V_BOOL: return !x->u.b == !y->u.b;
    case TG_V_DATE:
    case TG_V_LOCALTIME:
    case TG_V_TIME:
    case TG_V_LOCALDATETIME:
    case TG_V_DATETIME:
    case TG_V_DURATION: {
        tg_temporal s, t;
        return tg_graph_temporal(a, x, &s) && tg_graph_temporal(b, y, &t) &&
               tg_time_cmp(&s, &t) == 0 && s.offset == t.offset;
    }
    case TG_V_NULL: return 1;
    }
    return 0;
}

static size_t count_props(const tg_graph *g, tg_side side, uint32_t item)
{
    const tg_sym *keys;
    size_t n = tg_graph_prop_keys(g, side, &keys), i, c = 0;

    for (i = 0; i < n; i++)
        c += tg_graph_prop(g, side, item, keys[i]) != NULL;
    return c;
}

/* Item ia of a and item ib of b carry the same properties. */
static int props_eq(const tg_graph *a, const tg_graph *b, tg_side side, uint32_t ia, uint32_t ib)
{
    const tg_sym *keys;
    size_t n = tg_graph_prop_keys(a, side, &keys), i;

    for (i = 0; i < n; i++) {
        const tg_pval *x = tg_graph_prop(a, side, ia, keys[i]), *y;
        size_t len;
        const char *k;
        if (!x)
            continue;
        k = tg_graph_str(a, keys[i], &len);
        y = tg_graph_prop(b, side, ib, tg_graph_sym(b, k, len));
        if (!y || !pval_eq(a, x, b, y))
            return 0;
    }
    return count_props(a, side, ia) == count_props(b, side, ib);
}

/* The next live item at or after i (entities: side 0), or n. */
static size_t next_live(const tg_graph *g, int rel, size_t i)
{
    size_t n = rel ? g->rel_from.n : g->ent_id.n;

    while (i < n && tg_i_bit(rel ? &g->rel_dead : &g->ent_dead, i))
        i++;
    return i;
}

static int labels_eq(const tg_graph *a, tg_ent x, const tg_graph *b, tg_ent y)
{
    const tg_sym *la, *lb;
    size_t na = tg_graph_labels(a, x, &la), nb = tg_graph_labels(b, y, &lb), j;

    if (na != nb)
        return 0;
    for (j = 0; j < na; j++) {
        size_t len;
        const char *l = tg_graph_str(a, la[j], &len);
        if (!tg_graph_has_label(b, y, tg_graph_sym(b, l, len)))
            return 0;
    }
    return 1;
}

int tg_graph_equal(const tg_graph *a, const tg_graph *b)
{
    size_t i, j, x, y;

    /* relations compared below come from the arrays: bring them in */
    if (tg_i_rels((tg_graph *)a) != 0 || tg_i_rels((tg_graph *)b) != 0)
        return 0;

    if (tg_graph_live_entity_count(a) != tg_graph_live_entity_count(b) ||
        tg_graph_live_relation_count(a) != tg_graph_live_relation_count(b) ||
        a->sources.n != b->sources.n)
        return 0;
    /* live items pairwise, in index order */
    for (x = next_live(a, 0, 0), y = next_live(b, 0, 0); x < a->ent_id.n;
         x = next_live(a, 0, x + 1), y = next_live(b, 0, y + 1)) {
        if (!str_eq(a, tg_graph_entity_id(a, (tg_ent)x), b, tg_graph_entity_id(b, (tg_ent)y)) ||
            !labels_eq(a, (tg_ent)x, b, (tg_ent)y) || !props_eq(a, b, TG_ENTITY, (uint32_t)x, (uint32_t)y))
            return 0;
    }
    for (x = next_live(a, 1, 0), y = next_live(b, 1, 0); x < a->rel_from.n;
         x = next_live(a, 1, x + 1), y = next_live(b, 1, y + 1)) {
        tg_rel r = (tg_rel)x, s = (tg_rel)y;
        if (!str_eq(a, tg_graph_entity_id(a, tg_graph_rel_from(a, r)), b,
                    tg_graph_entity_id(b, tg_graph_rel_from(b, s))) ||
            !str_eq(a, tg_graph_entity_id(a, tg_graph_rel_to(a, r)), b,
                    tg_graph_entity_id(b, tg_graph_rel_to(b, s))) ||
            !str_eq(a, tg_graph_rel_type(a, r), b, tg_graph_rel_type(b, s)) ||
            !props_eq(a, b, TG_RELATION, (uint32_t)x, (uint32_t)y))
            return 0;
    }
    for (i = 0; i < a->sources.n; i++) {
        const tg_source_field *fa, *fb;
        size_t na = tg_graph_source_fields(a, (uint32_t)i, &fa);
        size_t nb = tg_graph_source_fields(b, (uint32_t)i, &fb);
        if (na != nb || !str_eq(a, tg_graph_source_id(a, (uint32_t)i), b, tg_graph_source_id(b, (uint32_t)i)))
            return 0;
        /* fields are a map: compare them whatever their order */
        for (j = 0; j < na; j++) {
            size_t k;
            for (k = 0; k < nb && !str_eq(a, fa[j].key, b, fb[k].key); k++)
                ;
            if (k == nb || !str_eq(a, fa[j].value, b, fb[k].value))
                return 0;
        }
    }
    return 1;
}
