/* importer.c — the merge rules of docs/formats.md, for every reader.
 *
 * Invariants of one file (between tg_importer_begin and tg_importer_end):
 * - ent_pos[e] != 0 iff entity e was defined by this file; its value is the
 *   record's id position + 1 (for "first defined at line N");
 * - relations with index < r0 existed before the file. An id-less relation
 *   equal to one of them (type, endpoints, every property including
 *   "sources") "consumes" it instead of being added; each old relation is
 *   consumed at most once. With n copies in the file and m in the graph the
 *   result holds max(n, m) copies;
 * - the index of old relations is by (type, from, to) only, built on first
 *   need in O(r0) from the engine's endpoint arrays; the full content hash of
 *   an old relation is computed lazily, when a candidate lands in its bucket,
 *   because reading all properties of 5M relations up front costs seconds;
 * - relation ids live in the property "id" of the relation; the id map
 *   (id -> relation, where defined in this file) covers old relations (built
 *   on first need) and the ones this file adds;
 * - relations wait in `batch` (copied, like `deferred`) until RBATCH of them
 *   came, or another kind of record, an error or the end of the file: their
 *   endpoints are then looked up together and they are applied in order, so
 *   that the graph seen by every other record, and the first error, are what
 *   they would be one relation at a time;
 * - a relation whose endpoint is unknown is copied into `deferred` (its
 *   strings, properties and list items into pools) and replayed by
 *   tg_importer_end, in the order it came.
 * Records are checked completely before the graph is touched, so a record is
 * applied whole or rejected.
 */
#include "importer.h"
#include "temporal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* A property about to be set: the record's, copied so it can be sorted. */
typedef struct pv {
    tg_sym key;
    tg_ipos pos;
    tg_pval v;            /* lists: type, elem and len set; u.list unset */
    const tg_pval *items; /* list elements (borrowed or graph), NULL for scalars */
} pv;

typedef struct ridslot {
    tg_sym id; /* 0: empty slot */
    tg_rel r;
    uint64_t pos; /* where this file defined it + 1 (0: not by this file) */
} ridslot;

/* A relation kept for later; offsets into its queue's pools. */
typedef struct dref {
    tg_irelation r;        /* pointers unset; positions and counts set */
    size_t from, to, id;   /* into spool; SIZE_MAX: none */
    size_t props, sources; /* into dprops / dsyms */
} dref;

/* Relations copied out of the reader's buffers, with their strings,
 * properties, list items and sources in pools. */
typedef struct rqueue {
    dref *recs;
    size_t n, cap;
    char *spool;
    size_t slen, scap;
    tg_iprop *dprops;
    size_t ndprops, capdprops;
    tg_pval *ditems;
    size_t nditems, capditems;
    size_t *ditem_off; /* parallel to dprops: first item, SIZE_MAX for scalars */
    size_t capditem_off;
    tg_sym *dsyms;
    size_t ndsyms, capdsyms;
} rqueue;

/* Relations wait in a batch of this many, so that their endpoints are
 * looked up together (tg_graph_find_entities overlaps the cache misses). */
#define RBATCH 64

struct tg_importer {
    tg_graph *g;
    tg_error *err;
    tg_error own_err; /* used when begin was given no error record */
    char *name;
    tg_import_file_options opt;
    tg_sym s_sources, s_id;
    size_t records;
    /* per-record scratch */
    pv *props;
    size_t nprops, capprops;
    tg_pval *tmp;
    size_t captmp;
    tg_sym *srcs;
    size_t capsrcs;
    pv *gprops; /* properties of a graph relation being compared */
    size_t ngprops, capgprops;
    int gprops_oom;
    /* entities defined by this file */
    uint64_t *ent_pos;
    size_t ent_pos_n;
    /* entities and relations that existed before the file */
    size_t e0, r0;
    int tri_built;
    unsigned tri_bits;
    uint32_t *heads, *next;
    uint64_t *rhash;         /* lazily computed content hashes, 0 = not yet */
    unsigned char *consumed; /* bit per old relation */
    /* relation ids */
    int rid_built;
    ridslot *rid;
    size_t rid_n, rid_cap; /* cap is a power of two or 0 */
    /* relations waiting for an entity defined later */
    rqueue deferred;
    /* relations waiting for their batch's endpoint lookups (RBATCH) */
    rqueue batch;
    int flushing;
    int replaying;
    tg_load_counts counts;
};

/* ---- errors and positions -------------------------------------------------- */

static void locate(const tg_importer *imp, tg_ipos pos, long *line, long *col)
{
    if (imp->opt.locate) {
        imp->opt.locate(imp->opt.locate_ctx, pos, line, col);
        return;
    }
    *line = (long)(pos >> 32);
    *col = (long)(pos & 0xFFFFFFFFu);
}

static tg_status flush_batch(tg_importer *imp);

tg_status tg_importer_fail(tg_importer *imp, tg_status status, tg_ipos pos, const char *fmt, ...)
{
    char msg[TG_ERROR_MSG_MAX];
    long line, col;
    va_list ap;
    tg_status st;

    /* A reader's error comes after the relations still in the batch: one
     * of them may hold the first error of the file. */
    if (!imp->flushing && imp->batch.n && (st = flush_batch(imp)) != TG_OK)
        return st;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    locate(imp, pos, &line, &col);
    return tg_error_set(imp->err, status, imp->name, line, col, "%s", msg);
}

static tg_status oom(tg_importer *imp)
{
    return tg_error_set(imp->err, TG_ENOMEM, imp->name, 0, 0,
                        "out of memory while importing \"%s\"", imp->name ? imp->name : "");
}

static long pos_line(const tg_importer *imp, uint64_t stored)
{
    long line, col;

    locate(imp, (tg_ipos)(stored - 1), &line, &col);
    return line;
}

static const char *ent_str(const tg_importer *imp, tg_ent e, char *q, size_t cap)
{
    size_t len;
    const char *s = tg_graph_str(imp->g, tg_graph_entity_id(imp->g, e), &len);
    return tg_i_quote(q, cap, s, len);
}

/* ---- hashing and comparing property values ------------------------------- */

static uint64_t mix(uint64_t h, uint64_t x)
{
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    h ^= x;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 29;
    return h;
}

/* The identity of a scalar (1 and 1.0 differ); a temporal by its value (a
 * datetime or duration lives in the graph's list pool). */
static uint64_t scalar_bits(const tg_graph *g, const tg_pval *v)
{
    uint64_t bits = 0;
    tg_temporal t;

    switch (v->type) {
    case TG_V_BOOL: return (uint64_t)(v->u.b != 0);
    case TG_V_INT: return (uint64_t)v->u.i;
    case TG_V_FLOAT: memcpy(&bits, &v->u.f, sizeof bits); return bits;
    case TG_V_STRING: return v->u.s;
    default: return tg_graph_temporal(g, v, &t) ? tg_time_hash(&t) : 0;
    }
}

static uint64_t hash_props(const tg_graph *g, uint64_t h, const pv *props, size_t n)
{
    size_t i, k;

    for (i = 0; i < n; i++) {
        const pv *p = &props[i];
        h = mix(h, p->key);
        h = mix(h, p->v.type);
        if (p->v.type == TG_V_LIST) {
            h = mix(h, ((uint64_t)p->v.elem << 32) | p->v.len);
            for (k = 0; k < p->v.len; k++)
                h = mix(h, scalar_bits(g, &p->items[k]));
        } else {
            h = mix(h, scalar_bits(g, &p->v));
        }
    }
    return h;
}

static uint64_t tri_hash(tg_sym type, tg_ent from, tg_ent to)
{
    return mix(mix(mix(0x2545F4914F6CDD1DULL, type), from), to);
}

static int scalar_eq(const tg_graph *g, const tg_pval *a, const tg_pval *b)
{
    tg_temporal s, t;
    if (a->type != b->type)
        return 0;
    if (tg_time_is_kind(a->type))
        return tg_graph_temporal(g, a, &s) && tg_graph_temporal(g, b, &t) &&
               tg_time_cmp(&s, &t) == 0 && s.offset == t.offset;
    return scalar_bits(g, a) == scalar_bits(g, b);
}

static int props_eq(const tg_graph *g, const pv *a, size_t na, const pv *b, size_t nb)
{
    size_t i, k;

    if (na != nb)
        return 0;
    for (i = 0; i < na; i++) {
        if (a[i].key != b[i].key || a[i].v.type != b[i].v.type)
            return 0;
        if (a[i].v.type == TG_V_LIST) {
            if (a[i].v.len != b[i].v.len || (a[i].v.len && a[i].v.elem != b[i].v.elem))
                return 0;
            for (k = 0; k < a[i].v.len; k++)
                if (!scalar_eq(g, &a[i].items[k], &b[i].items[k]))
                    return 0;
        } else if (!scalar_eq(g, &a[i].v, &b[i].v)) {
            return 0;
        }
    }
    return 1;
}

static void sort_props(pv *a, size_t n)
{
    size_t i, j;

    /* insertion sort: records have a handful of keys */
    for (i = 1; i < n; i++) {
        pv x = a[i];
        for (j = i; j > 0 && a[j - 1].key > x.key; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

static int collect_prop(void *ctx, tg_sym key, const tg_pval *v)
{
    tg_importer *imp = ctx;
    pv *p;

    if (tg_i_grow((void **)&imp->gprops, &imp->capgprops, imp->ngprops + 1,
                  sizeof *imp->gprops) != 0) {
        imp->gprops_oom = 1;
        return 1;
    }
    p = &imp->gprops[imp->ngprops++];
    p->key = key;
    p->pos = 0;
    p->v = *v;
    p->items = v->type == TG_V_LIST ? tg_graph_list(imp->g, v) : NULL;
    return 0;
}

/* Reads the properties of relation r into imp->gprops, sorted by key. */
static tg_status graph_props(tg_importer *imp, tg_rel r)
{
    imp->ngprops = 0;
    imp->gprops_oom = 0;
    tg_graph_each_prop(imp->g, TG_RELATION, r, collect_prop, imp);
    if (imp->gprops_oom)
        return oom(imp);
    sort_props(imp->gprops, imp->ngprops);
    return TG_OK;
}

/* ---- the index of relations that existed before the file ------------------ */

static tg_status build_tri(tg_importer *imp)
{
    size_t nslots, r;
    unsigned bits = 4;

    while (((size_t)1 << bits) < imp->r0 * 2)
        bits++;
    nslots = (size_t)1 << bits;
    imp->heads = malloc(nslots * sizeof *imp->heads);
    imp->next = malloc(imp->r0 * sizeof *imp->next);
    imp->rhash = calloc(imp->r0, sizeof *imp->rhash);
    imp->consumed = calloc((imp->r0 + 7) / 8, 1);
    if (!imp->heads || !imp->next || !imp->rhash || !imp->consumed)
        return oom(imp);
    memset(imp->heads, 0xFF, nslots * sizeof *imp->heads);
    imp->tri_bits = bits;
    /* push in descending order so that each chain runs in ascending order */
    for (r = imp->r0; r-- > 0;) {
        tg_rel rr = (tg_rel)r;
        uint64_t h;
        imp->next[r] = TG_NONE;
        if (!tg_graph_relation_is_live(imp->g, rr))
            continue; /* a deleted relation is no copy to match */
        h = tri_hash(tg_graph_rel_type(imp->g, rr), tg_graph_rel_from(imp->g, rr),
                     tg_graph_rel_to(imp->g, rr));
        imp->next[r] = imp->heads[h >> (64 - bits)];
        imp->heads[h >> (64 - bits)] = rr;
    }
    imp->tri_built = 1;
    return TG_OK;
}

/* Finds an old relation, not consumed yet, with exactly this content; *out
 * is it or TG_NONE. */
static tg_status find_identical(tg_importer *imp, tg_sym type, tg_ent from, tg_ent to,
                                const pv *props, size_t n, tg_rel *out)
{
    uint64_t h, th;
    tg_rel r;
    tg_status st;

    *out = TG_NONE;
    /* no old relation can join an entity this file made: no index needed
       (a small import into a big store stays small) */
    if (imp->r0 == 0 || from >= imp->e0 || to >= imp->e0)
        return TG_OK;
    if (!imp->tri_built && (st = build_tri(imp)) != TG_OK)
        return st;
    th = tri_hash(type, from, to);
    h = hash_props(imp->g, th, props, n);
    if (h == 0)
        h = 1;
    for (r = imp->heads[th >> (64 - imp->tri_bits)]; r != TG_NONE; r = imp->next[r]) {
        if (imp->consumed[r >> 3] & (1u << (r & 7)))
            continue;
        if (tg_graph_rel_type(imp->g, r) != type || tg_graph_rel_from(imp->g, r) != from ||
            tg_graph_rel_to(imp->g, r) != to)
            continue;
        if (imp->rhash[r] == 0) {
            uint64_t rh;
            if ((st = graph_props(imp, r)) != TG_OK)
                return st;
            rh = hash_props(imp->g, th, imp->gprops, imp->ngprops);
            imp->rhash[r] = rh ? rh : 1;
        } else if (imp->rhash[r] == h && (st = graph_props(imp, r)) != TG_OK) {
            return st;
        }
        if (imp->rhash[r] != h || !props_eq(imp->g, props, n, imp->gprops, imp->ngprops))
            continue;
        imp->consumed[r >> 3] |= (unsigned char)(1u << (r & 7));
        *out = r;
        break;
    }
    return TG_OK;
}

/* ---- relation ids --------------------------------------------------------- */

static ridslot *rid_find(tg_importer *imp, tg_sym id)
{
    size_t mask, i;

    if (!imp->rid_cap)
        return NULL;
    mask = imp->rid_cap - 1;
    for (i = (size_t)mix(0, id) & mask; imp->rid[i].id; i = (i + 1) & mask)
        if (imp->rid[i].id == id)
            return &imp->rid[i];
    return NULL;
}

static tg_status rid_insert(tg_importer *imp, tg_sym id, tg_rel r, uint64_t pos)
{
    size_t mask, i, k;

    if ((imp->rid_n + 1) * 2 > imp->rid_cap) {
        size_t cap = imp->rid_cap ? imp->rid_cap * 2 : 64;
        ridslot *old = imp->rid, *nr = calloc(cap, sizeof *nr);
        size_t oldcap = imp->rid_cap;
        if (!nr)
            return oom(imp);
        imp->rid = nr;
        imp->rid_cap = cap;
        for (k = 0; k < oldcap; k++) {
            if (!old[k].id)
                continue;
            for (i = (size_t)mix(0, old[k].id) & (cap - 1); nr[i].id; i = (i + 1) & (cap - 1))
                ;
            nr[i] = old[k];
        }
        free(old);
    }
    mask = imp->rid_cap - 1;
    for (i = (size_t)mix(0, id) & mask; imp->rid[i].id; i = (i + 1) & mask)
        ;
    imp->rid[i].id = id;
    imp->rid[i].r = r;
    imp->rid[i].pos = pos;
    imp->rid_n++;
    return TG_OK;
}

/* Maps the ids of old relations (property "id"). O(r0 log n), and only when
 * a relation property "id" exists at all. */
static tg_status build_rid(tg_importer *imp)
{
    const tg_sym *keys;
    size_t nkeys = tg_graph_prop_keys(imp->g, TG_RELATION, &keys), i, r;
    int has_id = 0;
    tg_status st;

    imp->rid_built = 1;
    for (i = 0; i < nkeys; i++)
        if (keys[i] == imp->s_id)
            has_id = 1;
    if (!has_id)
        return TG_OK;
    for (r = 0; r < imp->r0; r++) {
        const tg_pval *v;
        if (!tg_graph_relation_is_live(imp->g, (tg_rel)r))
            continue;
        v = tg_graph_prop(imp->g, TG_RELATION, (uint32_t)r, imp->s_id);
        if (v && v->type == TG_V_STRING && !rid_find(imp, v->u.s) &&
            (st = rid_insert(imp, v->u.s, (tg_rel)r, 0)) != TG_OK)
            return st;
    }
    return TG_OK;
}

/* ---- entity bookkeeping --------------------------------------------------- */

static uint64_t ent_pos_get(const tg_importer *imp, tg_ent e)
{
    return e < imp->ent_pos_n ? imp->ent_pos[e] : 0;
}

static tg_status ent_pos_set(tg_importer *imp, tg_ent e, uint64_t pos)
{
    if (e >= imp->ent_pos_n) {
        size_t n = imp->ent_pos_n ? imp->ent_pos_n : 1024;
        uint64_t *np;
        while (n <= e)
            n *= 2;
        np = realloc(imp->ent_pos, n * sizeof *np);
        if (!np)
            return oom(imp);
        memset(np + imp->ent_pos_n, 0, (n - imp->ent_pos_n) * sizeof *np);
        imp->ent_pos = np;
        imp->ent_pos_n = n;
    }
    imp->ent_pos[e] = pos;
    return TG_OK;
}

/* ---- a record's properties -------------------------------------------------- */

/* Copies the record's properties and its sources (as the list property
 * "sources", duplicates dropped) into imp->props, sorted by key; rejects a
 * key given twice. */
static tg_status take_props(tg_importer *imp, const tg_iprop *props, size_t nprops,
                            const tg_sym *sources, size_t nsources, tg_ipos pos)
{
    size_t i, k, n = 0;
    char q[96];

    imp->nprops = 0;
    if (tg_i_grow((void **)&imp->props, &imp->capprops, nprops + 1, sizeof *imp->props) != 0)
        return oom(imp);
    for (i = 0; i < nprops; i++) {
        pv *p = &imp->props[imp->nprops++];
        p->key = props[i].key;
        p->pos = props[i].pos;
        p->v = props[i].v;
        p->items = props[i].v.type == TG_V_LIST ? props[i].items : NULL;
    }
    if (nsources) {
        pv *p;
        if (tg_i_grow((void **)&imp->srcs, &imp->capsrcs, nsources, sizeof *imp->srcs) != 0 ||
            tg_i_grow((void **)&imp->tmp, &imp->captmp, nsources, sizeof *imp->tmp) != 0)
            return oom(imp);
        for (i = 0; i < nsources; i++) {
            for (k = 0; k < n && imp->srcs[k] != sources[i]; k++)
                ;
            if (k < n)
                continue;
            imp->srcs[n] = sources[i];
            memset(&imp->tmp[n], 0, sizeof imp->tmp[n]);
            imp->tmp[n].type = TG_V_STRING;
            imp->tmp[n].u.s = sources[i];
            n++;
        }
        p = &imp->props[imp->nprops++];
        memset(p, 0, sizeof *p);
        p->key = imp->s_sources;
        p->pos = pos;
        p->v.type = TG_V_LIST;
        p->v.elem = TG_V_STRING;
        p->v.len = (uint32_t)n;
        p->items = imp->tmp;
    }
    sort_props(imp->props, imp->nprops);
    for (i = 1; i < imp->nprops; i++) {
        if (imp->props[i].key == imp->props[i - 1].key) {
            tg_ipos at = imp->props[i].pos > imp->props[i - 1].pos ? imp->props[i].pos
                                                                     : imp->props[i - 1].pos;
            size_t len;
            const char *key = tg_graph_str(imp->g, imp->props[i].key, &len);
            return tg_importer_fail(imp, TG_EDATA, at, "duplicate key %s in the object",
                                    tg_i_quote(q, sizeof q, key, len));
        }
    }
    return TG_OK;
}

/* Unites the list p with item's list property of the same key (first-seen
 * order kept, duplicates dropped). Used for "sources" always, and for every
 * list under TG_IMPORT_DUP_MERGE fragments. An old value of another type is
 * replaced. */
static tg_status unite_list(tg_importer *imp, tg_side side, uint32_t item, const pv *p)
{
    const tg_pval *old = tg_graph_prop(imp->g, side, item, p->key);
    const tg_pval *olds = NULL;
    size_t nold = 0, i, k, n;
    int added = 0, old_ok = 0;
    tg_pval v, *tmp;
    tg_status st;

    if (old && old->type == TG_V_LIST &&
        (old->len == 0 || p->v.len == 0 || old->elem == p->v.elem)) {
        olds = tg_graph_list(imp->g, old);
        nold = old->len;
        old_ok = 1;
    } else if (old && old->type == p->v.elem) {
        olds = old;
        nold = 1;
    }
    /* p->items may be imp->tmp (sources): unite into a separate buffer */
    tmp = malloc((nold + p->v.len + 1) * sizeof *tmp);
    if (!tmp)
        return oom(imp);
    n = nold;
    if (nold)
        memcpy(tmp, olds, nold * sizeof *tmp);
    for (i = 0; i < p->v.len; i++) {
        for (k = 0; k < n && !scalar_eq(imp->g, &tmp[k], &p->items[i]); k++)
            ;
        if (k == n) {
            tmp[n++] = p->items[i];
            added = 1;
        }
    }
    st = TG_OK;
    if (added || !old_ok) {
        st = tg_graph_make_list(imp->g, tmp, n, &v, imp->err);
        if (st == TG_OK)
            st = tg_graph_set_prop(imp->g, side, item, p->key, &v, imp->err);
    }
    free(tmp);
    return st;
}

/* Sets imp->props on item; merge: lists are united instead of replaced
 * ("sources" always, the others for fragments). */
static tg_status apply_props(tg_importer *imp, tg_side side, uint32_t item, int merge,
                             int unite_all)
{
    size_t i;
    tg_status st;

    for (i = 0; i < imp->nprops; i++) {
        const pv *p = &imp->props[i];
        tg_pval v = p->v;
        if (merge && v.type == TG_V_LIST && (p->key == imp->s_sources || unite_all)) {
            if ((st = unite_list(imp, side, item, p)) != TG_OK)
                return st;
            continue;
        }
        if (v.type == TG_V_LIST &&
            (st = tg_graph_make_list(imp->g, p->items, v.len, &v, imp->err)) != TG_OK)
            return st;
        if ((st = tg_graph_set_prop(imp->g, side, item, p->key, &v, imp->err)) != TG_OK)
            return st;
    }
    return TG_OK;
}

/* ---- records ---------------------------------------------------------------- */

tg_status tg_importer_source(tg_importer *imp, const tg_isource *s)
{
    tg_sym id;
    tg_status st;

    if ((st = flush_batch(imp)) != TG_OK)
        return st;
    imp->records++;
    if (!s->id || s->id_len == 0)
        return tg_importer_fail(imp, TG_EDATA, s->pos,
                                "source has no \"id\"; expected a non-empty string");
    id = tg_graph_intern(imp->g, s->id, s->id_len);
    if (!id)
        return oom(imp);
    imp->counts.sources++;
    return tg_graph_put_source(imp->g, id, s->fields, s->nfields, NULL, imp->err);
}

tg_status tg_importer_entity(tg_importer *imp, const tg_ientity *rec)
{
    const tg_sym *have;
    tg_ent e;
    uint64_t first;
    size_t i;
    int merge;
    tg_status st;
    char q[96];

    if ((st = flush_batch(imp)) != TG_OK)
        return st;
    imp->records++;
    if (!rec->id || rec->id_len == 0)
        return tg_importer_fail(imp, TG_EDATA, rec->pos,
                                "entity has no id; expected a non-empty string");
    if ((st = take_props(imp, rec->props, rec->nprops, rec->sources, rec->nsources, rec->pos)) !=
        TG_OK)
        return st;
    e = tg_graph_find_entity_interning(imp->g, rec->id, rec->id_len);
    merge = e != TG_NONE;
    if (!merge && rec->nlabels == 0)
        return tg_importer_fail(imp, TG_EDATA, rec->pos,
                                "entity %s has no label; expected at least one",
                                tg_i_quote(q, sizeof q, rec->id, rec->id_len));
    if (merge) {
        first = ent_pos_get(imp, e);
        if (first != 0 && imp->opt.dups == TG_IMPORT_DUP_ERROR)
            return tg_importer_fail(imp, TG_EDATA, rec->id_pos,
                                    "duplicate entity id %s (first defined at line %ld)",
                                    tg_i_quote(q, sizeof q, rec->id, rec->id_len),
                                    pos_line(imp, first));
        imp->counts.entities_merged++;
    } else {
        first = 0;
        if ((st = tg_graph_add_entity(imp->g, rec->id, rec->id_len, &e, imp->err)) != TG_OK)
            return st;
        imp->counts.entities_new++;
    }
    if (first == 0 && (st = ent_pos_set(imp, e, rec->id_pos + 1)) != TG_OK)
        return st;
    {
        /* the engine refuses past TG_MAX_LABELS; say where, as bad data */
        size_t n = tg_graph_labels(imp->g, e, &have), k, extra = 0;
        if (n + rec->nlabels > TG_MAX_LABELS) {
            for (i = 0; i < rec->nlabels; i++) {
                for (k = 0; k < n && have[k] != rec->labels[i]; k++)
                    ;
                extra += k == n;
            }
            if (n + extra > TG_MAX_LABELS)
                return tg_importer_fail(imp, TG_EDATA, rec->pos,
                                        "entity %s would carry %zu labels; the most an entity "
                                        "may carry is %d",
                                        tg_i_quote(q, sizeof q, rec->id, rec->id_len), n + extra,
                                        TG_MAX_LABELS);
        }
    }
    for (i = 0; i < rec->nlabels; i++)
        if ((st = tg_graph_add_label(imp->g, e, rec->labels[i], imp->err)) != TG_OK)
            return st;
    return apply_props(imp, TG_ENTITY, e, merge, first != 0);
}

/* Copies relation r into q: 0, or -1 when out of memory. */
static int rqueue_push(rqueue *q, const tg_irelation *r)
{
    size_t need = (r->from ? r->from_len : 0) + (r->to ? r->to_len : 0) +
                  (r->id ? r->id_len : 0), i, k;
    dref *d;

    if (tg_i_grow((void **)&q->recs, &q->cap, q->n + 1, sizeof *q->recs) ||
        tg_i_grow((void **)&q->spool, &q->scap, q->slen + need + 1, 1) ||
        tg_i_grow((void **)&q->dprops, &q->capdprops, q->ndprops + r->nprops + 1,
                  sizeof *q->dprops) ||
        tg_i_grow((void **)&q->ditem_off, &q->capditem_off, q->ndprops + r->nprops + 1,
                  sizeof *q->ditem_off) ||
        tg_i_grow((void **)&q->dsyms, &q->capdsyms, q->ndsyms + r->nsources + 1,
                  sizeof *q->dsyms))
        return -1;
    d = &q->recs[q->n++];
    d->r = *r;
    d->from = d->to = d->id = SIZE_MAX;
    if (r->from) {
        d->from = q->slen;
        memcpy(q->spool + q->slen, r->from, r->from_len);
        q->slen += r->from_len;
    }
    if (r->to) {
        d->to = q->slen;
        memcpy(q->spool + q->slen, r->to, r->to_len);
        q->slen += r->to_len;
    }
    if (r->id) {
        d->id = q->slen;
        memcpy(q->spool + q->slen, r->id, r->id_len);
        q->slen += r->id_len;
    }
    d->props = q->ndprops;
    for (i = 0; i < r->nprops; i++) {
        const tg_iprop *p = &r->props[i];
        q->dprops[q->ndprops] = *p;
        q->dprops[q->ndprops].items = NULL;
        q->ditem_off[q->ndprops] = SIZE_MAX;
        if (p->v.type == TG_V_LIST) {
            if (tg_i_grow((void **)&q->ditems, &q->capditems, q->nditems + p->v.len + 1,
                          sizeof *q->ditems))
                return -1;
            q->ditem_off[q->ndprops] = q->nditems;
            for (k = 0; k < p->v.len; k++)
                q->ditems[q->nditems++] = p->items[k];
        }
        q->ndprops++;
    }
    d->sources = q->ndsyms;
    for (i = 0; i < r->nsources; i++)
        q->dsyms[q->ndsyms++] = r->sources[i];
    return 0;
}

/* Relation i of q as a record pointing into q's pools (valid until q
 * changes). */
static tg_irelation rqueue_get(rqueue *q, size_t i)
{
    const dref *d = &q->recs[i];
    tg_irelation r = d->r;
    size_t k;

    r.from = d->from == SIZE_MAX ? NULL : q->spool + d->from;
    r.to = d->to == SIZE_MAX ? NULL : q->spool + d->to;
    r.id = d->id == SIZE_MAX ? NULL : q->spool + d->id;
    r.props = q->dprops + d->props;
    for (k = 0; k < r.nprops; k++)
        q->dprops[d->props + k].items = q->ditem_off[d->props + k] == SIZE_MAX
                                            ? NULL
                                            : q->ditems + q->ditem_off[d->props + k];
    r.sources = q->dsyms + d->sources;
    return r;
}

static void rqueue_clear(rqueue *q)
{
    q->n = q->slen = q->ndprops = q->nditems = q->ndsyms = 0;
}

static void rqueue_free(rqueue *q)
{
    free(q->recs);
    free(q->spool);
    free(q->dprops);
    free(q->ditems);
    free(q->ditem_off);
    free(q->dsyms);
    memset(q, 0, sizeof *q);
}

/* Copies relation r aside, to be replayed by tg_importer_end. */
static tg_status defer(tg_importer *imp, const tg_irelation *r)
{
    return rqueue_push(&imp->deferred, r) ? oom(imp) : TG_OK;
}

static tg_status relation_with_id(tg_importer *imp, const tg_irelation *rec, tg_ent from,
                                  tg_ent to)
{
    tg_sym id = tg_graph_intern(imp->g, rec->id, rec->id_len);
    ridslot *s;
    tg_rel r;
    tg_pval v;
    tg_status st;
    char q[96], q2[96], q3[96], q4[96];

    if (!id)
        return oom(imp);
    if (!imp->rid_built && (st = build_rid(imp)) != TG_OK)
        return st;
    s = rid_find(imp, id);
    if (s) {
        size_t len;
        const char *str;
        /* the same id earlier in this file: a fragment under DUP_MERGE */
        int fragment = s->pos != 0;
        r = s->r;
        if (fragment && imp->opt.dups == TG_IMPORT_DUP_ERROR)
            return tg_importer_fail(imp, TG_EDATA, rec->id_pos,
                                    "duplicate relation id %s (first defined at line %ld)",
                                    tg_i_quote(q, sizeof q, rec->id, rec->id_len),
                                    pos_line(imp, s->pos));
        if (tg_graph_rel_type(imp->g, r) != rec->type || tg_graph_rel_from(imp->g, r) != from ||
            tg_graph_rel_to(imp->g, r) != to) {
            str = tg_graph_str(imp->g, tg_graph_rel_type(imp->g, r), &len);
            tg_i_quote(q2, sizeof q2, str, len);
            return tg_importer_fail(
                imp, TG_EDATA, rec->id_pos,
                "relation id %s already exists as %s from %s to %s; expected the same type, "
                "\"from\" and \"to\"",
                tg_i_quote(q, sizeof q, rec->id, rec->id_len), q2,
                ent_str(imp, tg_graph_rel_from(imp->g, r), q3, sizeof q3),
                ent_str(imp, tg_graph_rel_to(imp->g, r), q4, sizeof q4));
        }
        if (!fragment)
            s->pos = rec->id_pos + 1;
        imp->counts.relations_same++;
        return apply_props(imp, TG_RELATION, r, 1, fragment);
    }
    if ((st = tg_graph_add_relation(imp->g, from, to, rec->type, &r, imp->err)) != TG_OK)
        return st;
    memset(&v, 0, sizeof v);
    v.type = TG_V_STRING;
    v.u.s = id;
    if ((st = tg_graph_set_prop(imp->g, TG_RELATION, r, imp->s_id, &v, imp->err)) != TG_OK ||
        (st = rid_insert(imp, id, r, rec->id_pos + 1)) != TG_OK)
        return st;
    imp->counts.relations_new++;
    return apply_props(imp, TG_RELATION, r, 0, 0);
}

/* Applies relation rec; ends holds its endpoints when they were looked up
 * already (NULL: look them up). */
static tg_status relation_apply(tg_importer *imp, const tg_irelation *rec, const tg_ent *ends)
{
    tg_ent from, to;
    tg_rel r;
    tg_status st;
    char q[96], t[96];

    if (!rec->type)
        return tg_importer_fail(imp, TG_EDATA, rec->pos,
                                "relation has no type; expected a non-empty string such as "
                                "\"OWNS\"");
    if (!rec->from || rec->from_len == 0)
        return tg_importer_fail(imp, TG_EDATA, rec->pos,
                                "relation has no \"from\"; expected the id of an entity");
    if (!rec->to || rec->to_len == 0)
        return tg_importer_fail(imp, TG_EDATA, rec->pos,
                                "relation has no \"to\"; expected the id of an entity");
    if (ends) {
        from = ends[0];
        to = ends[1];
    } else {
        from = tg_graph_find_entity(imp->g, rec->from, rec->from_len);
        to = tg_graph_find_entity(imp->g, rec->to, rec->to_len);
    }
    if (from == TG_NONE || to == TG_NONE) {
        int bad_from = from == TG_NONE;
        const char *id = bad_from ? rec->from : rec->to;
        size_t len = bad_from ? rec->from_len : rec->to_len;
        if (!imp->replaying)
            return defer(imp, rec);
        if (imp->opt.unknown == TG_IMPORT_UNKNOWN_SKIP) {
            imp->counts.relations_skipped++;
            if (imp->opt.on_skip) {
                long line, col;
                size_t tlen;
                const char *type = tg_graph_str(imp->g, rec->type, &tlen);
                locate(imp, rec->pos, &line, &col);
                imp->opt.on_skip(imp->opt.skip_ctx, imp->name, line, col, id, len, type);
            }
            return TG_OK;
        }
        {
            size_t tlen;
            const char *type = tg_graph_str(imp->g, rec->type, &tlen);
            return tg_importer_fail(imp, TG_EDATA, bad_from ? rec->from_pos : rec->to_pos,
                                    "relation \"%s\" refers to unknown entity %s (a %s "
                                    "relation)",
                                    bad_from ? "from" : "to", tg_i_quote(q, sizeof q, id, len),
                                    tg_i_quote(t, sizeof t, type, tlen));
        }
    }
    if (rec->id && rec->id_len == 0)
        return tg_importer_fail(imp, TG_EDATA, rec->id_pos,
                                "relation id is empty; expected a non-empty string");
    if ((st = take_props(imp, rec->props, rec->nprops, rec->sources, rec->nsources, rec->pos)) !=
        TG_OK)
        return st;
    if (rec->id)
        return relation_with_id(imp, rec, from, to);
    if ((st = find_identical(imp, rec->type, from, to, imp->props, imp->nprops, &r)) != TG_OK)
        return st;
    if (r != TG_NONE) {
        imp->counts.relations_same++;
        return TG_OK;
    }
    if ((st = tg_graph_add_relation(imp->g, from, to, rec->type, &r, imp->err)) != TG_OK)
        return st;
    imp->counts.relations_new++;
    return apply_props(imp, TG_RELATION, r, 0, 0);
}

/* Applies the batch in the order it came: first every endpoint, looked up
 * together, then each relation. The batch is empty afterwards, whatever
 * happened. */
static tg_status flush_batch(tg_importer *imp)
{
    rqueue *q = &imp->batch;
    const char *ids[2 * RBATCH];
    size_t lens[2 * RBATCH], i;
    tg_ent ends[2 * RBATCH];
    tg_status st = TG_OK;

    if (q->n == 0)
        return TG_OK;
    imp->flushing = 1;
    for (i = 0; i < q->n; i++) {
        const dref *d = &q->recs[i];
        ids[2 * i] = d->from == SIZE_MAX ? "" : q->spool + d->from;
        lens[2 * i] = d->from == SIZE_MAX ? 0 : d->r.from_len;
        ids[2 * i + 1] = d->to == SIZE_MAX ? "" : q->spool + d->to;
        lens[2 * i + 1] = d->to == SIZE_MAX ? 0 : d->r.to_len;
    }
    tg_graph_find_entities(imp->g, 2 * q->n, ids, lens, ends);
    for (i = 0; i < q->n && st == TG_OK; i++) {
        tg_irelation r = rqueue_get(q, i);
        st = relation_apply(imp, &r, ends + 2 * i);
    }
    rqueue_clear(q);
    imp->flushing = 0;
    return st;
}

tg_status tg_importer_relation(tg_importer *imp, const tg_irelation *rec)
{
    if (imp->replaying)
        return relation_apply(imp, rec, NULL);
    imp->records++;
    if (rqueue_push(&imp->batch, rec))
        return oom(imp);
    return imp->batch.n == RBATCH ? flush_batch(imp) : TG_OK;
}

/* ---- files ------------------------------------------------------------------ */

static void reset_file(tg_importer *imp)
{
    free(imp->ent_pos);
    free(imp->heads);
    free(imp->next);
    free(imp->rhash);
    free(imp->consumed);
    free(imp->rid);
    imp->ent_pos = NULL;
    imp->ent_pos_n = 0;
    imp->heads = imp->next = NULL;
    imp->rhash = NULL;
    imp->consumed = NULL;
    imp->tri_built = 0;
    imp->rid = NULL;
    imp->rid_n = imp->rid_cap = 0;
    imp->rid_built = 0;
    rqueue_clear(&imp->deferred);
    rqueue_clear(&imp->batch);
    imp->flushing = 0;
    imp->records = 0;
    imp->replaying = 0;
    memset(&imp->counts, 0, sizeof imp->counts);
}

void tg_importer_begin(tg_importer *imp, const char *name, const tg_import_file_options *opts,
                       tg_error *err)
{
    reset_file(imp);
    free(imp->name);
    imp->name = strdup(name ? name : "");
    imp->err = err ? err : &imp->own_err;
    memset(&imp->opt, 0, sizeof imp->opt);
    if (opts)
        imp->opt = *opts;
    imp->r0 = tg_graph_relation_count(imp->g);
    imp->e0 = tg_graph_entity_count(imp->g);
}

tg_status tg_importer_end(tg_importer *imp, tg_load_counts *counts)
{
    size_t i;
    tg_status st = TG_OK;

    if (!imp->name)
        return oom(imp);
    if ((st = flush_batch(imp)) != TG_OK)
        return st;
    imp->replaying = 1;
    for (i = 0; i < imp->deferred.n && st == TG_OK; i++) {
        tg_irelation r = rqueue_get(&imp->deferred, i);
        st = relation_apply(imp, &r, NULL);
    }
    imp->replaying = 0;
    rqueue_clear(&imp->deferred);
    if (st == TG_OK && counts)
        *counts = imp->counts;
    return st;
}

/* ---- life cycle ------------------------------------------------------------- */

tg_status tg_importer_new(tg_graph *g, tg_importer **out, tg_error *err)
{
    tg_importer *imp = calloc(1, sizeof *imp);

    *out = NULL;
    if (!imp)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    imp->g = g;
    imp->err = err ? err : &imp->own_err;
    imp->s_sources = tg_graph_intern(g, "sources", 7);
    imp->s_id = tg_graph_intern(g, "id", 2);
    if (!imp->s_sources || !imp->s_id) {
        free(imp);
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *out = imp;
    return TG_OK;
}

void tg_importer_free(tg_importer *imp)
{
    if (!imp)
        return;
    reset_file(imp);
    free(imp->name);
    free(imp->props);
    free(imp->tmp);
    free(imp->srcs);
    free(imp->gprops);
    rqueue_free(&imp->deferred);
    rqueue_free(&imp->batch);
    free(imp);
}

tg_graph *tg_importer_graph(tg_importer *imp)
{
    return imp->g;
}

const char *tg_importer_file(const tg_importer *imp)
{
    return imp->name ? imp->name : "";
}

tg_error *tg_importer_error(tg_importer *imp)
{
    return imp->err;
}

size_t tg_importer_records(const tg_importer *imp)
{
    return imp->records;
}
