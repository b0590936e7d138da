/* json_loader.c — tiegraph/1 documents and JSON Lines into a tg_graph.
 *
 * Reading: json_parse.c parses one record (a document's array element or a
 * JSON Lines line) at a time into an arena that is reset before the next,
 * so memory does not grow with the file. A document's top-level object is
 * walked here by hand: "sources" and "entities" are processed as they come,
 * "relations" as they come when "entities" came before them; otherwise (and
 * when "format" is not the first key) an array is first only checked for
 * syntax and processed at the end, in the order sources, entities,
 * relations. In JSON Lines, a relation naming an entity not defined yet is
 * copied aside (the whole line) and replayed after the last line.
 *
 * Invariants of one load (struct loader):
 * - ent_pos[e] != 0 iff entity e was defined by this file (its value is
 *   where: the line in JSON Lines, the byte offset + 1 in a document); a
 *   second definition is the "duplicate entity id" error;
 * - relations with index < r0 existed before the load. An id-less relation
 *   equal to one of them (type, endpoints, every property including
 *   "sources") "consumes" it instead of being added; each old relation is
 *   consumed at most once. With n copies in the file and m in the graph the
 *   result holds max(n, m) copies, and loading a file twice changes nothing;
 * - the index of old relations is by (type, from, to) only, built on first
 *   need in O(r0) from the engine's endpoint arrays; the full content hash of
 *   an old relation is computed lazily, when a candidate lands in its
 *   bucket, because reading all properties of 5M relations up front would
 *   cost seconds;
 * - relation ids live in the property "id" of the relation; the id map
 *   (id -> relation, where defined in this file) covers old relations (built
 *   on first need) and the ones this load adds.
 * Values are checked completely before the graph is touched, so a record is
 * either applied whole or rejected (earlier records stay applied: the caller
 * discards the graph on failure).
 */
#include "json_loader.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "json_internal.h"

/* A property about to be set. */
typedef struct pv {
    tg_sym key;
    size_t off;           /* offset of the member's key, for messages */
    tg_pval v;            /* lists: type, elem and len set; u.list unset */
    const tg_pval *items; /* list elements (arena or graph), NULL for scalars */
} pv;

typedef struct ridslot {
    tg_sym id; /* 0: empty slot */
    tg_rel r;
    uint64_t pos; /* where this file defined it (0: not by this file) */
} ridslot;

typedef struct dline {
    long line;
    size_t off, len; /* in dpool */
} dline;

enum { ST_SOURCES, ST_ENTITIES, ST_RELATIONS, ST_COUNT };

static const char *const stage_key[ST_COUNT] = {"sources", "entities", "relations"};
static const char *const stage_item[ST_COUNT] = {"source", "entity", "relation"};

typedef struct loader {
    tg_graph *g;
    tg_error *err;
    const char *name;
    int jsonl;
    long line; /* JSON Lines: number of the line being read */
    size_t records;
    tg_jparser p;
    tg_sym s_sources, s_id;
    /* per-record scratch */
    pv *props;
    size_t nprops, capprops;
    tg_sym *labels;
    size_t nlabels, caplabels;
    tg_pval *tmp;
    size_t ntmp, captmp;
    pv *gprops; /* properties of a graph relation being compared */
    size_t ngprops, capgprops;
    int gprops_oom;
    tg_source_field *fields;
    size_t nfields, capfields;
    /* entities defined by this file */
    uint64_t *ent_pos;
    size_t ent_pos_n;
    /* relations that existed before the load */
    size_t r0;
    int tri_built;
    unsigned tri_bits;
    uint32_t *heads, *next;
    uint64_t *rhash;         /* lazily computed content hashes, 0 = not yet */
    unsigned char *consumed; /* bit per old relation */
    /* relation ids */
    int rid_built;
    ridslot *rid;
    size_t rid_n, rid_cap; /* cap is a power of two or 0 */
    /* JSON Lines relations waiting for an entity defined later */
    char *dpool;
    size_t dlen, dcap;
    dline *dl;
    size_t ndl, capdl;
    tg_load_counts counts;
    const tg_json_progress *progress; /* NULL: nobody is watching */
    uint64_t total;                   /* the file's size, for progress */
} loader;

/* ---- small helpers ------------------------------------------------------- */

static int grow(void **a, size_t *cap, size_t need, size_t elsize)
{
    size_t c = *cap ? *cap : 16;
    void *n;

    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    n = realloc(*a, c * elsize);
    if (!n)
        return -1;
    *a = n;
    *cap = c;
    return 0;
}

static int key_is(const tg_jmember *m, const char *k)
{
    size_t n = strlen(k);
    return m->klen == n && memcmp(m->key, k, n) == 0;
}

/* Line and 1-based byte column of offset off in the current text. */
static void locate(const loader *L, const char *text, size_t off, long *line, long *col)
{
    const char *p = text, *end = text + off, *nl;
    long ln = 1;

    if (L->jsonl) {
        *line = L->line;
        *col = (long)off + 1;
        return;
    }
    while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        ln++;
        p = nl + 1;
    }
    *line = ln;
    *col = (long)(end - p) + 1;
}

static tg_status fail(loader *L, size_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static tg_status fail(loader *L, size_t off, const char *fmt, ...)
{
    char msg[TG_ERROR_MSG_MAX];
    long line, col;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    locate(L, L->p.text, off, &line, &col);
    return tg_error_set(L->err, TG_EDATA, L->name, line, col, "%s", msg);
}

static tg_status oom(loader *L)
{
    return tg_error_set(L->err, TG_ENOMEM, L->name, 0, 0,
                        "out of memory while loading a tiegraph/1 file");
}

/* Turns the parser's last error into ours. */
static tg_status parse_failed(loader *L)
{
    if (L->p.status == TG_ENOMEM)
        return oom(L);
    return fail(L, L->p.err_off, "%s", L->p.err_msg);
}

/* The position to remember for "first defined at line N". */
static uint64_t here(const loader *L, size_t off)
{
    return L->jsonl ? (uint64_t)L->line : (uint64_t)off + 1;
}

static long pos_line(const loader *L, uint64_t pos)
{
    long line, col;

    if (L->jsonl)
        return (long)pos;
    locate(L, L->p.text, (size_t)(pos - 1), &line, &col);
    return line;
}

static const char *vtype_plural(int t)
{
    switch (t) {
    case TG_V_BOOL: return "booleans";
    case TG_V_INT: return "integers";
    case TG_V_FLOAT: return "floats";
    case TG_V_STRING: return "strings";
    default: return "values";
    }
}

/* A string value: present, a string, not empty. */
static int is_name(const tg_jval *v)
{
    return v && v->kind == TG_J_STRING && v->u.s.len > 0;
}

/* "is a number" / "is empty" for messages about a value that should have
 * been a non-empty string. */
static const char *what_is(const tg_jval *v)
{
    if (v->kind == TG_J_STRING)
        return "an empty string";
    return tg_i_json_kind_name(v->kind);
}

/* Interns s[0..len). The engine names the empty string by symbol 0
 * (tg_graph_str(0) is ""), so "" needs no interning. */
static tg_status intern(loader *L, const char *s, size_t len, tg_sym *out)
{
    *out = len ? tg_graph_intern(L->g, s, len) : 0;
    return len && !*out ? oom(L) : TG_OK;
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

static uint64_t scalar_bits(const tg_pval *v)
{
    uint64_t bits = 0;

    switch (v->type) {
    case TG_V_BOOL: return (uint64_t)(v->u.b != 0);
    case TG_V_INT: return (uint64_t)v->u.i;
    case TG_V_FLOAT: memcpy(&bits, &v->u.f, sizeof bits); return bits;
    case TG_V_STRING: return v->u.s;
    default: return 0;
    }
}

static uint64_t hash_props(uint64_t h, const pv *props, size_t n)
{
    size_t i, k;

    for (i = 0; i < n; i++) {
        const pv *p = &props[i];
        h = mix(h, p->key);
        h = mix(h, p->v.type);
        if (p->v.type == TG_V_LIST) {
            h = mix(h, ((uint64_t)p->v.elem << 32) | p->v.len);
            for (k = 0; k < p->v.len; k++)
                h = mix(h, scalar_bits(&p->items[k]));
        } else {
            h = mix(h, scalar_bits(&p->v));
        }
    }
    return h;
}

static uint64_t tri_hash(tg_sym type, tg_ent from, tg_ent to)
{
    return mix(mix(mix(0x2545F4914F6CDD1DULL, type), from), to);
}

static int scalar_eq(const tg_pval *a, const tg_pval *b)
{
    return a->type == b->type && scalar_bits(a) == scalar_bits(b);
}

static int props_eq(const pv *a, size_t na, const pv *b, size_t nb)
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
                if (!scalar_eq(&a[i].items[k], &b[i].items[k]))
                    return 0;
        } else if (!scalar_eq(&a[i].v, &b[i].v)) {
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
    loader *L = ctx;
    pv *p;

    if (grow((void **)&L->gprops, &L->capgprops, L->ngprops + 1, sizeof *L->gprops) != 0) {
        L->gprops_oom = 1;
        return 1;
    }
    p = &L->gprops[L->ngprops++];
    p->key = key;
    p->off = 0;
    p->v = *v;
    p->items = v->type == TG_V_LIST ? tg_graph_list(L->g, v) : NULL;
    return 0;
}

/* Reads the properties of relation r into L->gprops, sorted by key. */
static tg_status graph_props(loader *L, tg_rel r)
{
    L->ngprops = 0;
    L->gprops_oom = 0;
    tg_graph_each_prop(L->g, TG_RELATION, r, collect_prop, L);
    if (L->gprops_oom)
        return oom(L);
    sort_props(L->gprops, L->ngprops);
    return TG_OK;
}

/* ---- the index of relations that existed before the load ----------------- */

static tg_status build_tri(loader *L)
{
    size_t nslots, r;
    unsigned bits = 4;

    while (((size_t)1 << bits) < L->r0 * 2)
        bits++;
    nslots = (size_t)1 << bits;
    L->heads = malloc(nslots * sizeof *L->heads);
    L->next = malloc(L->r0 * sizeof *L->next);
    L->rhash = calloc(L->r0, sizeof *L->rhash);
    L->consumed = calloc((L->r0 + 7) / 8, 1);
    if (!L->heads || !L->next || !L->rhash || !L->consumed)
        return oom(L);
    memset(L->heads, 0xFF, nslots * sizeof *L->heads);
    L->tri_bits = bits;
    /* push in descending order so that each chain runs in ascending order */
    for (r = L->r0; r-- > 0;) {
        tg_rel rr = (tg_rel)r;
        uint64_t h = tri_hash(tg_graph_rel_type(L->g, rr), tg_graph_rel_from(L->g, rr),
                              tg_graph_rel_to(L->g, rr));
        size_t slot = (size_t)(h >> (64 - bits));
        L->next[r] = L->heads[slot];
        L->heads[slot] = rr;
    }
    L->tri_built = 1;
    return TG_OK;
}

/* Finds an old relation, not consumed yet, with exactly this content; *out
 * is it or TG_NONE. */
static tg_status find_identical(loader *L, tg_sym type, tg_ent from, tg_ent to,
                                const pv *props, size_t n, tg_rel *out)
{
    uint64_t h, th;
    tg_rel r;
    tg_status st;

    *out = TG_NONE;
    if (L->r0 == 0)
        return TG_OK;
    if (!L->tri_built && (st = build_tri(L)) != TG_OK)
        return st;
    th = tri_hash(type, from, to);
    h = hash_props(th, props, n);
    if (h == 0)
        h = 1;
    for (r = L->heads[th >> (64 - L->tri_bits)]; r != TG_NONE; r = L->next[r]) {
        if (L->consumed[r >> 3] & (1u << (r & 7)))
            continue;
        if (tg_graph_rel_type(L->g, r) != type || tg_graph_rel_from(L->g, r) != from ||
            tg_graph_rel_to(L->g, r) != to)
            continue;
        if (L->rhash[r] == 0) {
            uint64_t rh;
            if ((st = graph_props(L, r)) != TG_OK)
                return st;
            rh = hash_props(th, L->gprops, L->ngprops);
            L->rhash[r] = rh ? rh : 1;
        } else if (L->rhash[r] == h && (st = graph_props(L, r)) != TG_OK) {
            return st;
        }
        if (L->rhash[r] != h || !props_eq(props, n, L->gprops, L->ngprops))
            continue;
        L->consumed[r >> 3] |= (unsigned char)(1u << (r & 7));
        *out = r;
        break;
    }
    return TG_OK;
}

/* ---- relation ids --------------------------------------------------------- */

static ridslot *rid_find(loader *L, tg_sym id)
{
    size_t mask, i;

    if (!L->rid_cap)
        return NULL;
    mask = L->rid_cap - 1;
    for (i = (size_t)mix(0, id) & mask; L->rid[i].id; i = (i + 1) & mask)
        if (L->rid[i].id == id)
            return &L->rid[i];
    return NULL;
}

static tg_status rid_insert(loader *L, tg_sym id, tg_rel r, uint64_t pos)
{
    size_t mask, i, k;

    if ((L->rid_n + 1) * 2 > L->rid_cap) {
        size_t cap = L->rid_cap ? L->rid_cap * 2 : 64;
        ridslot *old = L->rid, *nr = calloc(cap, sizeof *nr);
        size_t oldcap = L->rid_cap;
        if (!nr)
            return oom(L);
        L->rid = nr;
        L->rid_cap = cap;
        for (k = 0; k < oldcap; k++) {
            if (!old[k].id)
                continue;
            for (i = (size_t)mix(0, old[k].id) & (cap - 1); nr[i].id; i = (i + 1) & (cap - 1))
                ;
            nr[i] = old[k];
        }
        free(old);
    }
    mask = L->rid_cap - 1;
    for (i = (size_t)mix(0, id) & mask; L->rid[i].id; i = (i + 1) & mask)
        ;
    L->rid[i].id = id;
    L->rid[i].r = r;
    L->rid[i].pos = pos;
    L->rid_n++;
    return TG_OK;
}

/* Maps the ids of old relations (property "id"). O(r0 log n), and only when
 * a relation property "id" exists at all. */
static tg_status build_rid(loader *L)
{
    const tg_sym *keys;
    size_t nkeys = tg_graph_prop_keys(L->g, TG_RELATION, &keys), i, r;
    int has_id = 0;
    tg_status st;

    L->rid_built = 1;
    for (i = 0; i < nkeys; i++)
        if (keys[i] == L->s_id)
            has_id = 1;
    if (!has_id)
        return TG_OK;
    for (r = 0; r < L->r0; r++) {
        const tg_pval *v = tg_graph_prop(L->g, TG_RELATION, (uint32_t)r, L->s_id);
        if (v && v->type == TG_V_STRING && !rid_find(L, v->u.s) &&
            (st = rid_insert(L, v->u.s, (tg_rel)r, 0)) != TG_OK)
            return st;
    }
    return TG_OK;
}

/* ---- entity bookkeeping --------------------------------------------------- */

static uint64_t ent_pos_get(const loader *L, tg_ent e)
{
    return e < L->ent_pos_n ? L->ent_pos[e] : 0;
}

static tg_status ent_pos_set(loader *L, tg_ent e, uint64_t pos)
{
    if (e >= L->ent_pos_n) {
        size_t n = L->ent_pos_n ? L->ent_pos_n : 1024;
        uint64_t *np;
        while (n <= e)
            n *= 2;
        np = realloc(L->ent_pos, n * sizeof *np);
        if (!np)
            return oom(L);
        memset(np + L->ent_pos_n, 0, (n - L->ent_pos_n) * sizeof *np);
        L->ent_pos = np;
        L->ent_pos_n = n;
    }
    L->ent_pos[e] = pos;
    return TG_OK;
}

/* ---- reading record fields ------------------------------------------------ */

/* Converts member m into a property in L->props; null is skipped. */
static tg_status add_prop(loader *L, const tg_jmember *m)
{
    const tg_jval *v = &m->v;
    char q[96];
    pv *p;
    uint32_t i;

    if (v->kind == TG_J_NULL)
        return TG_OK;
    if (grow((void **)&L->props, &L->capprops, L->nprops + 1, sizeof *L->props) != 0)
        return oom(L);
    p = &L->props[L->nprops];
    memset(p, 0, sizeof *p);
    p->off = m->off;
    if (m->klen == 0)
        return fail(L, m->off, "property key is empty; expected a non-empty name");
    p->key = tg_graph_intern(L->g, m->key, m->klen);
    if (!p->key)
        return oom(L);
    switch (v->kind) {
    case TG_J_FALSE:
    case TG_J_TRUE:
        p->v.type = TG_V_BOOL;
        p->v.u.b = v->kind == TG_J_TRUE;
        break;
    case TG_J_INT:
        p->v.type = TG_V_INT;
        p->v.u.i = v->u.i;
        break;
    case TG_J_FLOAT:
        p->v.type = TG_V_FLOAT;
        p->v.u.f = v->u.f;
        break;
    case TG_J_STRING:
        p->v.type = TG_V_STRING;
        if (intern(L, v->u.s.p, v->u.s.len, &p->v.u.s) != TG_OK)
            return TG_ENOMEM;
        break;
    case TG_J_OBJECT:
        return fail(L, v->off,
                    "property %s is an object; expected a string, number, boolean or a list "
                    "of one type",
                    tg_i_json_quote(q, sizeof q, m->key, m->klen));
    case TG_J_ARRAY: {
        tg_pval *items = tg_i_json_alloc(&L->p, (v->n ? v->n : 1) * sizeof *items);
        int elem = TG_V_NULL;
        if (!items)
            return oom(L);
        for (i = 0; i < v->n; i++) {
            const tg_jval *it = &v->u.items[i];
            int t;
            memset(&items[i], 0, sizeof items[i]);
            switch (it->kind) {
            case TG_J_FALSE:
            case TG_J_TRUE:
                t = TG_V_BOOL;
                items[i].u.b = it->kind == TG_J_TRUE;
                break;
            case TG_J_INT:
                t = TG_V_INT;
                items[i].u.i = it->u.i;
                break;
            case TG_J_FLOAT:
                t = TG_V_FLOAT;
                items[i].u.f = it->u.f;
                break;
            case TG_J_STRING:
                t = TG_V_STRING;
                if (intern(L, it->u.s.p, it->u.s.len, &items[i].u.s) != TG_OK)
                    return TG_ENOMEM;
                break;
            case TG_J_NULL:
                return fail(L, it->off,
                            "property %s has null in its list; expected a list of strings, "
                            "numbers or booleans without nulls",
                            tg_i_json_quote(q, sizeof q, m->key, m->klen));
            case TG_J_ARRAY:
                return fail(L, it->off,
                            "property %s holds a nested list; expected a list of strings, "
                            "numbers or booleans",
                            tg_i_json_quote(q, sizeof q, m->key, m->klen));
            default:
                return fail(L, it->off,
                            "property %s holds an object in its list; expected a list of "
                            "strings, numbers or booleans",
                            tg_i_json_quote(q, sizeof q, m->key, m->klen));
            }
            items[i].type = (uint8_t)t;
            if (elem == TG_V_NULL)
                elem = t;
            else if (t != elem)
                return fail(L, it->off,
                            "property %s is a mixed list (%s and %s); expected a list of one "
                            "type",
                            tg_i_json_quote(q, sizeof q, m->key, m->klen), vtype_plural(elem),
                            vtype_plural(t));
        }
        p->v.type = TG_V_LIST;
        p->v.elem = (uint8_t)elem;
        p->v.len = v->n;
        p->items = items;
        break;
    }
    default: break;
    }
    L->nprops++;
    return TG_OK;
}

/* Reads "sources" (an array of non-empty strings; null = none) into a
 * property of L->props, duplicates dropped, first-seen order kept. */
static tg_status add_sources(loader *L, const tg_jval *v)
{
    tg_pval *items;
    uint32_t i, n = 0, k;
    pv *p;

    if (!v || v->kind == TG_J_NULL)
        return TG_OK;
    if (v->kind != TG_J_ARRAY)
        return fail(L, v->off, "\"sources\" is %s; expected an array of source id strings",
                    tg_i_json_kind_name(v->kind));
    items = tg_i_json_alloc(&L->p, (v->n ? v->n : 1) * sizeof *items);
    if (!items)
        return oom(L);
    for (i = 0; i < v->n; i++) {
        const tg_jval *it = &v->u.items[i];
        tg_sym s;
        if (!is_name(it))
            return fail(L, it->off,
                        "source reference is %s; expected a non-empty string (a source id, "
                        "optionally with a #fragment)",
                        what_is(it));
        s = tg_graph_intern(L->g, it->u.s.p, it->u.s.len);
        if (!s)
            return oom(L);
        for (k = 0; k < n && items[k].u.s != s; k++)
            ;
        if (k < n)
            continue;
        memset(&items[n], 0, sizeof items[n]);
        items[n].type = TG_V_STRING;
        items[n].u.s = s;
        n++;
    }
    if (n == 0)
        return TG_OK;
    if (grow((void **)&L->props, &L->capprops, L->nprops + 1, sizeof *L->props) != 0)
        return oom(L);
    p = &L->props[L->nprops++];
    memset(p, 0, sizeof *p);
    p->key = L->s_sources;
    p->off = v->off;
    p->v.type = TG_V_LIST;
    p->v.elem = TG_V_STRING;
    p->v.len = n;
    p->items = items;
    return TG_OK;
}

/* Sorts L->props by key and rejects a key given twice. */
static tg_status finish_props(loader *L)
{
    size_t i;
    char q[96];

    sort_props(L->props, L->nprops);
    for (i = 1; i < L->nprops; i++) {
        if (L->props[i].key == L->props[i - 1].key) {
            size_t off = L->props[i].off > L->props[i - 1].off ? L->props[i].off
                                                               : L->props[i - 1].off;
            size_t len;
            const char *k = tg_graph_str(L->g, L->props[i].key, &len);
            return fail(L, off, "duplicate key %s in the object",
                        tg_i_json_quote(q, sizeof q, k, len));
        }
    }
    return TG_OK;
}

static tg_status dup_key(loader *L, const tg_jmember *m)
{
    char q[96];
    return fail(L, m->off, "duplicate key %s in the object",
                tg_i_json_quote(q, sizeof q, m->key, m->klen));
}

/* ---- applying properties -------------------------------------------------- */

/* Unites the sources list p with item's "sources" (first-seen order). */
static tg_status unite_sources(loader *L, tg_side side, uint32_t item, const pv *p)
{
    const tg_pval *old = tg_graph_prop(L->g, side, item, L->s_sources);
    const tg_pval *olds = NULL;
    size_t nold = 0, i, k;
    int added = 0, old_ok = 0;
    tg_pval v;
    tg_status st;

    if (old && old->type == TG_V_LIST && (old->elem == TG_V_STRING || old->len == 0)) {
        olds = tg_graph_list(L->g, old);
        nold = old->len;
        old_ok = 1;
    } else if (old && old->type == TG_V_STRING) {
        olds = old;
        nold = 1;
    }
    if (grow((void **)&L->tmp, &L->captmp, nold + p->v.len + 1, sizeof *L->tmp) != 0)
        return oom(L);
    L->ntmp = nold;
    if (nold)
        memcpy(L->tmp, olds, nold * sizeof *L->tmp);
    for (i = 0; i < p->v.len; i++) {
        for (k = 0; k < L->ntmp && L->tmp[k].u.s != p->items[i].u.s; k++)
            ;
        if (k == L->ntmp) {
            L->tmp[L->ntmp++] = p->items[i];
            added = 1;
        }
    }
    if (!added && old_ok)
        return TG_OK;
    if ((st = tg_graph_make_list(L->g, L->tmp, L->ntmp, &v, L->err)) != TG_OK)
        return st;
    return tg_graph_set_prop(L->g, side, item, L->s_sources, &v, L->err);
}

/* Sets L->props on item; merge: "sources" is united with what is there. */
static tg_status apply_props(loader *L, tg_side side, uint32_t item, int merge)
{
    size_t i;
    tg_status st;

    for (i = 0; i < L->nprops; i++) {
        const pv *p = &L->props[i];
        tg_pval v = p->v;
        if (merge && p->key == L->s_sources) {
            if ((st = unite_sources(L, side, item, p)) != TG_OK)
                return st;
            continue;
        }
        if (v.type == TG_V_LIST &&
            (st = tg_graph_make_list(L->g, p->items, v.len, &v, L->err)) != TG_OK)
            return st;
        if ((st = tg_graph_set_prop(L->g, side, item, p->key, &v, L->err)) != TG_OK)
            return st;
    }
    return TG_OK;
}

/* ---- records ---------------------------------------------------------------- */

static tg_status do_source(loader *L, const tg_jval *obj)
{
    const tg_jval *idv = NULL;
    tg_sym id;
    uint32_t i;
    char q[96];

    L->nfields = 0;
    for (i = 0; i < obj->n; i++) {
        const tg_jmember *m = &obj->u.members[i];
        tg_source_field *f;
        size_t k;
        if (key_is(m, "id")) {
            if (idv)
                return dup_key(L, m);
            idv = &m->v;
            continue;
        }
        if (m->v.kind == TG_J_NULL)
            continue;
        if (m->v.kind != TG_J_STRING)
            return fail(L, m->v.off, "source field %s is %s; expected a string",
                        tg_i_json_quote(q, sizeof q, m->key, m->klen),
                        tg_i_json_kind_name(m->v.kind));
        if (grow((void **)&L->fields, &L->capfields, L->nfields + 1, sizeof *L->fields) != 0)
            return oom(L);
        f = &L->fields[L->nfields];
        if (m->klen == 0)
            return fail(L, m->off, "source field name is empty; expected a non-empty name");
        if (intern(L, m->key, m->klen, &f->key) != TG_OK ||
            intern(L, m->v.u.s.p, m->v.u.s.len, &f->value) != TG_OK)
            return TG_ENOMEM;
        for (k = 0; k < L->nfields; k++)
            if (L->fields[k].key == f->key)
                return dup_key(L, m);
        L->nfields++;
    }
    if (!idv || idv->kind == TG_J_NULL)
        return fail(L, obj->off, "source has no \"id\"; expected a non-empty string");
    if (!is_name(idv))
        return fail(L, idv->off, "source \"id\" is %s; expected a non-empty string",
                    what_is(idv));
    id = tg_graph_intern(L->g, idv->u.s.p, idv->u.s.len);
    if (!id)
        return oom(L);
    L->counts.sources++;
    return tg_graph_put_source(L->g, id, L->fields, L->nfields, NULL, L->err);
}

static tg_status do_entity(loader *L, const tg_jval *obj)
{
    const tg_jval *idv = NULL, *labv = NULL, *srcv = NULL;
    tg_ent e;
    uint64_t first;
    uint32_t i;
    int merge;
    tg_status st;
    char q[96];

    L->nprops = 0;
    L->nlabels = 0;
    for (i = 0; i < obj->n; i++) {
        const tg_jmember *m = &obj->u.members[i];
        const tg_jval **slot = key_is(m, "id")       ? &idv
                               : key_is(m, "labels")  ? &labv
                               : key_is(m, "sources") ? &srcv
                                                      : NULL;
        if (!slot) {
            if ((st = add_prop(L, m)) != TG_OK)
                return st;
            continue;
        }
        if (*slot)
            return dup_key(L, m);
        *slot = &m->v;
    }
    if (!idv || idv->kind == TG_J_NULL)
        return fail(L, obj->off, "entity has no \"id\"; expected a non-empty string");
    if (!is_name(idv))
        return fail(L, idv->off, "entity \"id\" is %s; expected a non-empty string",
                    what_is(idv));
    if (!labv || labv->kind == TG_J_NULL)
        return fail(L, obj->off,
                    "entity has no \"labels\"; expected a non-empty array of label strings");
    if (labv->kind != TG_J_ARRAY || labv->n == 0)
        return fail(L, labv->off,
                    "entity \"labels\" is %s; expected a non-empty array of label strings",
                    labv->kind == TG_J_ARRAY ? "empty" : tg_i_json_kind_name(labv->kind));
    if (grow((void **)&L->labels, &L->caplabels, labv->n, sizeof *L->labels) != 0)
        return oom(L);
    for (i = 0; i < labv->n; i++) {
        const tg_jval *it = &labv->u.items[i];
        if (!is_name(it))
            return fail(L, it->off, "label is %s; expected a non-empty string", what_is(it));
        L->labels[L->nlabels] = tg_graph_intern(L->g, it->u.s.p, it->u.s.len);
        if (!L->labels[L->nlabels++])
            return oom(L);
    }
    if ((st = add_sources(L, srcv)) != TG_OK || (st = finish_props(L)) != TG_OK)
        return st;

    e = tg_graph_find_entity(L->g, idv->u.s.p, idv->u.s.len);
    merge = e != TG_NONE;
    if (merge) {
        if ((first = ent_pos_get(L, e)) != 0)
            return fail(L, idv->off, "duplicate entity id %s (first defined at line %ld)",
                        tg_i_json_quote(q, sizeof q, idv->u.s.p, idv->u.s.len),
                        pos_line(L, first));
        L->counts.entities_merged++;
    } else {
        if ((st = tg_graph_add_entity(L->g, idv->u.s.p, idv->u.s.len, &e, L->err)) != TG_OK)
            return st;
        L->counts.entities_new++;
    }
    if ((st = ent_pos_set(L, e, here(L, idv->off))) != TG_OK)
        return st;
    for (i = 0; i < L->nlabels; i++)
        if ((st = tg_graph_add_label(L->g, e, L->labels[i], L->err)) != TG_OK)
            return st;
    return apply_props(L, TG_ENTITY, e, merge);
}

/* Copies the current JSON Lines line aside, to be replayed at the end. */
static tg_status defer_line(loader *L)
{
    dline *d;

    if (grow((void **)&L->dpool, &L->dcap, L->dlen + L->p.len + 1, 1) != 0 ||
        grow((void **)&L->dl, &L->capdl, L->ndl + 1, sizeof *L->dl) != 0)
        return oom(L);
    memcpy(L->dpool + L->dlen, L->p.text, L->p.len);
    d = &L->dl[L->ndl++];
    d->line = L->line;
    d->off = L->dlen;
    d->len = L->p.len;
    L->dlen += L->p.len;
    return TG_OK;
}

static tg_status relation_with_id(loader *L, const tg_jval *idv, tg_sym type, tg_ent from,
                                  tg_ent to)
{
    tg_sym id = tg_graph_intern(L->g, idv->u.s.p, idv->u.s.len);
    ridslot *s;
    tg_rel r;
    tg_pval v;
    tg_status st;
    char q[96], q2[96], q3[96], q4[96];

    if (!id)
        return oom(L);
    if (!L->rid_built && (st = build_rid(L)) != TG_OK)
        return st;
    s = rid_find(L, id);
    if (s) {
        size_t len;
        const char *str;
        r = s->r;
        if (s->pos)
            return fail(L, idv->off, "duplicate relation id %s (first defined at line %ld)",
                        tg_i_json_quote(q, sizeof q, idv->u.s.p, idv->u.s.len),
                        pos_line(L, s->pos));
        if (tg_graph_rel_type(L->g, r) != type || tg_graph_rel_from(L->g, r) != from ||
            tg_graph_rel_to(L->g, r) != to) {
            str = tg_graph_str(L->g, tg_graph_rel_type(L->g, r), &len);
            tg_i_json_quote(q2, sizeof q2, str, len);
            str = tg_graph_str(L->g, tg_graph_entity_id(L->g, tg_graph_rel_from(L->g, r)), &len);
            tg_i_json_quote(q3, sizeof q3, str, len);
            str = tg_graph_str(L->g, tg_graph_entity_id(L->g, tg_graph_rel_to(L->g, r)), &len);
            tg_i_json_quote(q4, sizeof q4, str, len);
            return fail(L, idv->off,
                        "relation id %s already exists as %s from %s to %s; expected the same "
                        "\"type\", \"from\" and \"to\"",
                        tg_i_json_quote(q, sizeof q, idv->u.s.p, idv->u.s.len), q2, q3, q4);
        }
        s->pos = here(L, idv->off);
        L->counts.relations_same++;
        return apply_props(L, TG_RELATION, r, 1);
    }
    if ((st = tg_graph_add_relation(L->g, from, to, type, &r, L->err)) != TG_OK)
        return st;
    memset(&v, 0, sizeof v);
    v.type = TG_V_STRING;
    v.u.s = id;
    if ((st = tg_graph_set_prop(L->g, TG_RELATION, r, L->s_id, &v, L->err)) != TG_OK ||
        (st = rid_insert(L, id, r, here(L, idv->off))) != TG_OK)
        return st;
    L->counts.relations_new++;
    return apply_props(L, TG_RELATION, r, 0);
}

/* final: unknown endpoints are an error (otherwise, in JSON Lines, the line
 * waits for the end of the file). */
static tg_status do_relation(loader *L, const tg_jval *obj, int final)
{
    const tg_jval *typev = NULL, *fromv = NULL, *tov = NULL, *idv = NULL, *srcv = NULL;
    tg_ent from, to;
    tg_sym type;
    tg_rel r;
    uint32_t i;
    tg_status st;
    char q[96];

    L->nprops = 0;
    for (i = 0; i < obj->n; i++) {
        const tg_jmember *m = &obj->u.members[i];
        const tg_jval **slot = key_is(m, "type")      ? &typev
                               : key_is(m, "from")    ? &fromv
                               : key_is(m, "to")      ? &tov
                               : key_is(m, "id")      ? &idv
                               : key_is(m, "sources") ? &srcv
                                                      : NULL;
        if (!slot) {
            if ((st = add_prop(L, m)) != TG_OK)
                return st;
            continue;
        }
        if (*slot)
            return dup_key(L, m);
        *slot = &m->v;
    }
    if (!typev || typev->kind == TG_J_NULL)
        return fail(L, obj->off,
                    "relation has no \"type\"; expected a non-empty string such as \"OWNS\"");
    if (!is_name(typev))
        return fail(L, typev->off, "relation \"type\" is %s; expected a non-empty string",
                    what_is(typev));
    if (!fromv || fromv->kind == TG_J_NULL)
        return fail(L, obj->off, "relation has no \"from\"; expected the id of an entity");
    if (!is_name(fromv))
        return fail(L, fromv->off, "relation \"from\" is %s; expected the id of an entity",
                    what_is(fromv));
    if (!tov || tov->kind == TG_J_NULL)
        return fail(L, obj->off, "relation has no \"to\"; expected the id of an entity");
    if (!is_name(tov))
        return fail(L, tov->off, "relation \"to\" is %s; expected the id of an entity",
                    what_is(tov));
    if (idv && idv->kind == TG_J_NULL)
        idv = NULL;
    if (idv && !is_name(idv))
        return fail(L, idv->off, "relation \"id\" is %s; expected a non-empty string",
                    what_is(idv));
    if ((st = add_sources(L, srcv)) != TG_OK || (st = finish_props(L)) != TG_OK)
        return st;

    from = tg_graph_find_entity(L->g, fromv->u.s.p, fromv->u.s.len);
    to = tg_graph_find_entity(L->g, tov->u.s.p, tov->u.s.len);
    if (from == TG_NONE || to == TG_NONE) {
        const tg_jval *bad = from == TG_NONE ? fromv : tov;
        if (L->jsonl && !final)
            return defer_line(L);
        return fail(L, bad->off, "relation \"%s\" refers to unknown entity %s",
                    from == TG_NONE ? "from" : "to",
                    tg_i_json_quote(q, sizeof q, bad->u.s.p, bad->u.s.len));
    }
    type = tg_graph_intern(L->g, typev->u.s.p, typev->u.s.len);
    if (!type)
        return oom(L);
    if (idv)
        return relation_with_id(L, idv, type, from, to);
    if ((st = find_identical(L, type, from, to, L->props, L->nprops, &r)) != TG_OK)
        return st;
    if (r != TG_NONE) {
        L->counts.relations_same++;
        return TG_OK;
    }
    if ((st = tg_graph_add_relation(L->g, from, to, type, &r, L->err)) != TG_OK)
        return st;
    L->counts.relations_new++;
    return apply_props(L, TG_RELATION, r, 0);
}

static tg_status do_record(loader *L, int stage, const tg_jval *v, int final)
{
    if (v->kind != TG_J_OBJECT)
        return fail(L, v->off, "%s is %s; expected an object", stage_item[stage],
                    tg_i_json_kind_name(v->kind));
    switch (stage) {
    case ST_SOURCES: return do_source(L, v);
    case ST_ENTITIES: return do_entity(L, v);
    default: return do_relation(L, v, final);
    }
}

/* ---- documents ------------------------------------------------------------ */

static tg_status unexpected(loader *L, const char *expected)
{
    unsigned char c = (unsigned char)L->p.text[L->p.pos];
    if (c > 0x20 && c < 0x7F)
        return fail(L, L->p.pos, "expected %s, found '%c'", expected, c);
    return fail(L, L->p.pos, "expected %s, found byte 0x%02x", expected, c);
}

static tg_status eof(loader *L)
{
    tg_i_json_eof(&L->p);
    return parse_failed(L);
}

/* Walks the array at p->pos (its '['); with process, applies each element. */
static tg_status walk_array(loader *L, int stage, int process)
{
    tg_jparser *p = &L->p;
    tg_jval v;
    tg_status st;

    p->pos++;
    if (tg_i_json_skip_ws(p) >= p->len)
        return eof(L);
    if (p->text[p->pos] == ']') {
        p->pos++;
        return TG_OK;
    }
    for (;;) {
        tg_i_json_clear(p);
        if (tg_i_json_value(p, &v) != 0)
            return parse_failed(L);
        if (process && (st = do_record(L, stage, &v, 1)) != TG_OK)
            return st;
        if (tg_i_json_skip_ws(p) >= p->len)
            return eof(L);
        if (p->text[p->pos] == ']') {
            p->pos++;
            return TG_OK;
        }
        if (p->text[p->pos] != ',')
            return unexpected(L, "',' or ']' after an array element");
        p->pos++;
        if (tg_i_json_skip_ws(p) >= p->len)
            return eof(L);
        if (p->text[p->pos] == ']')
            return fail(L, p->pos, "expected a value after ','; a trailing comma is not JSON");
    }
}

static size_t skip_bom(const char *text, size_t len)
{
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

static tg_status load_document(loader *L, const char *text, size_t len)
{
    tg_jparser *p = &L->p;
    size_t span[ST_COUNT], key_off[ST_COUNT + 1], top;
    int seen[ST_COUNT + 1] = {0}, done[ST_COUNT] = {0}, format_ok = 0, s;
    tg_jval v;
    tg_status st;
    char q[96];

    L->jsonl = 0;
    tg_i_json_reset(p, text, len, 0);
    p->pos = skip_bom(text, len);
    if (tg_i_json_skip_ws(p) >= len)
        return fail(L, 0, "empty file: expected a tiegraph/1 JSON document");
    top = p->pos;
    if (text[top] != '{') {
        if (tg_i_json_value(p, &v) != 0)
            return parse_failed(L);
        return fail(L, top,
                    "the document is %s; expected a JSON object with \"format\": "
                    "\"tiegraph/1\" at the top level",
                    tg_i_json_kind_name(v.kind));
    }
    p->pos++;
    if (tg_i_json_skip_ws(p) >= len)
        return eof(L);
    if (text[p->pos] == '}') {
        p->pos++;
    } else {
        for (;;) {
            const char *k;
            size_t klen, koff = p->pos;
            int which;
            if (text[p->pos] != '"')
                return unexpected(L, "a string key in the top-level object");
            if (tg_i_json_string(p, &k, &klen) != 0)
                return parse_failed(L);
            if (tg_i_json_skip_ws(p) >= len)
                return eof(L);
            if (text[p->pos] != ':')
                return unexpected(L, "':' after the object key");
            p->pos++;
            if (tg_i_json_skip_ws(p) >= len)
                return eof(L);
            for (which = 0; which < ST_COUNT; which++)
                if (klen == strlen(stage_key[which]) && memcmp(k, stage_key[which], klen) == 0)
                    break;
            if (which == ST_COUNT && !(klen == 6 && memcmp(k, "format", 6) == 0)) {
                int record = 0;
                for (s = 0; s < ST_COUNT; s++)
                    record |= klen == strlen(stage_item[s]) && memcmp(k, stage_item[s], klen) == 0;
                return fail(L, koff,
                            "unknown top-level key %s; expected \"format\", \"sources\", "
                            "\"entities\" or \"relations\"%s",
                            tg_i_json_quote(q, sizeof q, k, klen),
                            record ? " (JSON Lines records need a .jsonl file name)" : "");
            }
            if (seen[which])
                return fail(L, koff, "duplicate top-level key %s (first at line %ld)",
                            tg_i_json_quote(q, sizeof q, k, klen), pos_line(L, key_off[which] + 1));
            seen[which] = 1;
            key_off[which] = koff;
            if (which == ST_COUNT) {
                tg_i_json_clear(p);
                if (tg_i_json_value(p, &v) != 0)
                    return parse_failed(L);
                if (v.kind != TG_J_STRING)
                    return fail(L, v.off,
                                "\"format\" is %s; expected \"format\": \"tiegraph/1\" at the "
                                "top level",
                                tg_i_json_kind_name(v.kind));
                if (v.u.s.len != 10 || memcmp(v.u.s.p, "tiegraph/1", 10) != 0)
                    return fail(L, v.off,
                                "\"format\" is %s; expected \"format\": \"tiegraph/1\" at the "
                                "top level",
                                tg_i_json_quote(q, sizeof q, v.u.s.p, v.u.s.len));
                format_ok = 1;
            } else if (text[p->pos] != '[') {
                tg_i_json_clear(p);
                if (tg_i_json_value(p, &v) != 0)
                    return parse_failed(L);
                return fail(L, v.off, "\"%s\" is %s; expected an array of %s objects",
                            stage_key[which], tg_i_json_kind_name(v.kind), stage_item[which]);
            } else {
                int now = format_ok && (which != ST_RELATIONS || done[ST_ENTITIES]);
                span[which] = p->pos;
                if ((st = walk_array(L, which, now)) != TG_OK)
                    return st;
                done[which] = now;
            }
            if (tg_i_json_skip_ws(p) >= len)
                return eof(L);
            if (text[p->pos] == '}') {
                p->pos++;
                break;
            }
            if (text[p->pos] != ',')
                return unexpected(L, "',' or '}' after a top-level member");
            p->pos++;
            if (tg_i_json_skip_ws(p) >= len)
                return eof(L);
        }
    }
    if (tg_i_json_skip_ws(p) < len)
        return fail(L, p->pos, "trailing characters after the JSON document");
    if (!format_ok)
        return fail(L, top, "expected \"format\": \"tiegraph/1\" at the top level");
    for (s = 0; s < ST_COUNT; s++) {
        if (!seen[s] || done[s])
            continue;
        p->pos = span[s];
        if ((st = walk_array(L, s, 1)) != TG_OK)
            return st;
    }
    return TG_OK;
}

/* ---- JSON Lines ------------------------------------------------------------ */

/* Reads one line (without its '\n'); final: see do_relation. */
static tg_status jsonl_line(loader *L, const char *line, size_t len, int final)
{
    tg_jparser *p = &L->p;
    const tg_jmember *m;
    tg_jval v;
    int stage;
    char q[96];

    tg_i_json_reset(p, line, len, 1);
    if (L->line == 1)
        p->pos = skip_bom(line, len);
    if (tg_i_json_skip_ws(p) >= len)
        return TG_OK; /* blank line */
    L->records++;
    if (line[p->pos] != '{')
        return fail(L, p->pos,
                    "line is not a JSON object; expected {\"source\": {...}}, "
                    "{\"entity\": {...}} or {\"relation\": {...}}");
    if (tg_i_json_value(p, &v) != 0)
        return parse_failed(L);
    if (tg_i_json_skip_ws(p) < len)
        return fail(L, p->pos,
                    "trailing characters after the JSON object; JSON Lines hold one object a "
                    "line");
    if (v.n != 1)
        return fail(L, v.n ? v.u.members[1].off : v.off,
                    "a JSON Lines record has exactly one key, \"source\", \"entity\" or "
                    "\"relation\"; this one has %u",
                    v.n);
    m = &v.u.members[0];
    for (stage = 0; stage < ST_COUNT; stage++)
        if (key_is(m, stage_item[stage]))
            break;
    if (stage == ST_COUNT)
        return fail(L, m->off, "unknown record %s; expected \"source\", \"entity\" or \"relation\"",
                    tg_i_json_quote(q, sizeof q, m->key, m->klen));
    if (m->v.kind != TG_J_OBJECT)
        return fail(L, m->v.off, "\"%s\" is %s; expected an object", stage_item[stage],
                    tg_i_json_kind_name(m->v.kind));
    return do_record(L, stage, &m->v, final);
}

/* After the last line: the empty-file check and the waiting relations. */
static tg_status jsonl_finish(loader *L)
{
    size_t i;
    tg_status st;

    if (L->records == 0) {
        L->line = 1;
        tg_i_json_reset(&L->p, "", 0, 1);
        return fail(L, 0,
                    "empty file: expected JSON Lines records such as {\"entity\": {...}}, one "
                    "a line");
    }
    for (i = 0; i < L->ndl; i++) {
        L->line = L->dl[i].line;
        if ((st = jsonl_line(L, L->dpool + L->dl[i].off, L->dl[i].len, 1)) != TG_OK)
            return st;
    }
    return TG_OK;
}

static tg_status load_jsonl_buffer(loader *L, const char *data, size_t len)
{
    size_t at = 0;
    tg_status st;

    L->jsonl = 1;
    while (at < len) {
        const char *nl = memchr(data + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - data) : len;
        L->line++;
        if ((st = jsonl_line(L, data + at, end - at, 0)) != TG_OK)
            return st;
        at = end + 1;
    }
    return jsonl_finish(L);
}

static tg_status load_jsonl_file(loader *L, FILE *f)
{
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    tg_status st = TG_OK;

    uint64_t done_bytes = 0;

    L->jsonl = 1;
    errno = 0;
    while ((n = getline(&buf, &cap, f)) != -1) {
        size_t len = (size_t)n;
        done_bytes += (uint64_t)n;
        if (len && buf[len - 1] == '\n')
            len--;
        L->line++;
        if ((st = jsonl_line(L, buf, len, 0)) != TG_OK)
            goto done;
        if (L->progress && (L->line & 0xFFFF) == 0)
            L->progress->fn(L->progress->ctx, done_bytes, L->total);
    }
    if (L->progress)
        L->progress->fn(L->progress->ctx, done_bytes, L->total);
    if (ferror(f)) {
        st = tg_error_set(L->err, TG_ENOENT, L->name, 0, 0, "cannot read \"%s\": %s", L->name,
                          strerror(errno ? errno : EIO));
        goto done;
    }
    st = jsonl_finish(L);
done:
    free(buf);
    return st;
}

/* ---- entry points ----------------------------------------------------------- */

static tg_status loader_init(loader *L, tg_graph *g, const char *name, tg_error *err)
{
    memset(L, 0, sizeof *L);
    L->g = g;
    L->err = err;
    L->name = name ? name : "";
    tg_i_json_init(&L->p);
    L->r0 = tg_graph_relation_count(g);
    L->s_sources = tg_graph_intern(g, "sources", 7);
    L->s_id = tg_graph_intern(g, "id", 2);
    if (!L->s_sources || !L->s_id)
        return oom(L);
    return TG_OK;
}

static void loader_destroy(loader *L)
{
    tg_i_json_destroy(&L->p);
    free(L->props);
    free(L->labels);
    free(L->tmp);
    free(L->gprops);
    free(L->fields);
    free(L->ent_pos);
    free(L->heads);
    free(L->next);
    free(L->rhash);
    free(L->consumed);
    free(L->rid);
    free(L->dpool);
    free(L->dl);
}

/* Whether data starts (after a BOM and blanks) with '{' and the key "format". */
static int looks_like_document(const char *d, size_t n)
{
    size_t i = skip_bom(d, n);

    while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
        i++;
    if (i >= n)
        return 1; /* empty: report it as an empty document */
    if (d[i] != '{')
        return 0;
    i++;
    while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
        i++;
    return i + 8 <= n && memcmp(d + i, "\"format\"", 8) == 0;
}

/* 1 JSON Lines, 0 document, -1 decide from the content. */
static int mode_from_name(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    char ext[8];
    size_t i;

    if (!dot || (slash && slash > dot) || strlen(dot) >= sizeof ext)
        return -1;
    for (i = 0; dot[i]; i++)
        ext[i] = (char)(dot[i] >= 'A' && dot[i] <= 'Z' ? dot[i] - 'A' + 'a' : dot[i]);
    ext[i] = '\0';
    if (strcmp(ext, ".jsonl") == 0 || strcmp(ext, ".ndjson") == 0)
        return 1;
    if (strcmp(ext, ".json") == 0)
        return 0;
    return -1;
}

static tg_status read_all(FILE *f, const char *path, char **out, size_t *outlen, tg_error *err)
{
    struct stat sb;
    size_t cap = (size_t)64 * 1024, len = 0, n;
    char *buf = NULL, *nb;
    tg_status st = TG_OK;

    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0)
        cap = (size_t)sb.st_size + 1;
    buf = malloc(cap);
    if (!buf) {
        st = tg_error_set(err, TG_ENOMEM, path, 0, 0, "out of memory reading \"%s\"", path);
        goto done;
    }
    errno = 0;
    for (;;) {
        if (len == cap) {
            nb = realloc(buf, cap * 2);
            if (!nb) {
                st = tg_error_set(err, TG_ENOMEM, path, 0, 0, "out of memory reading \"%s\"",
                                  path);
                goto done;
            }
            buf = nb;
            cap *= 2;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        st = tg_error_set(err, TG_ENOENT, path, 0, 0, "cannot read \"%s\": %s", path,
                          strerror(errno ? errno : EIO));
        goto done;
    }
    *out = buf;
    *outlen = len;
    buf = NULL;
done:
    free(buf);
    return st;
}

/* For a file named neither .json nor .jsonl: decides from its first 64 KiB
 * and rewinds, so that JSON Lines are still streamed. *mode stays -1 when
 * the file cannot be rewound (a pipe): the caller reads it whole. */
static tg_status sniff_file(FILE *f, const char *path, int *mode, tg_error *err)
{
    struct stat sb;
    size_t cap = (size_t)64 * 1024, n;
    char *peek;
    tg_status st = TG_OK;

    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode))
        return TG_OK;
    peek = malloc(cap);
    if (!peek)
        return tg_error_set(err, TG_ENOMEM, path, 0, 0, "out of memory reading \"%s\"", path);
    errno = 0;
    n = fread(peek, 1, cap, f);
    if (ferror(f) || fseek(f, 0, SEEK_SET) != 0)
        st = tg_error_set(err, TG_ENOENT, path, 0, 0, "cannot read \"%s\": %s", path,
                          strerror(errno ? errno : EIO));
    else
        *mode = looks_like_document(peek, n) ? 0 : 1;
    free(peek);
    return st;
}

tg_status tg_json_load_file_as(tg_graph *g, const char *path, int jsonl, tg_load_counts *counts,
                               tg_error *err)
{
    return tg_json_load_file_progress(g, path, jsonl, counts, NULL, err);
}

tg_status tg_json_load_file_progress(tg_graph *g, const char *path, int jsonl,
                                     tg_load_counts *counts, const tg_json_progress *progress,
                                     tg_error *err)
{
    loader L;
    FILE *f = NULL;
    char *data = NULL;
    size_t len = 0;
    int mode;
    tg_status st;

    if (counts)
        memset(counts, 0, sizeof *counts);
    if ((st = loader_init(&L, g, path, err)) != TG_OK)
        goto done;
    f = fopen(path, "rb");
    if (!f) {
        st = tg_error_set(err, TG_ENOENT, path, 0, 0, "cannot open \"%s\": %s", path,
                          strerror(errno));
        goto done;
    }
    L.progress = progress;
    {
        struct stat sb;
        L.total = fstat(fileno(f), &sb) == 0 ? (uint64_t)sb.st_size : 0;
    }
    mode = jsonl < 0 ? mode_from_name(path) : jsonl != 0;
    if (mode < 0 && (st = sniff_file(f, path, &mode, err)) != TG_OK)
        goto done;
    if (mode == 1) {
        setvbuf(f, NULL, _IOFBF, 1 << 20);
        st = load_jsonl_file(&L, f);
    } else {
        if ((st = read_all(f, path, &data, &len, err)) != TG_OK)
            goto done;
        if (mode < 0)
            mode = looks_like_document(data, len) ? 0 : 1;
        st = mode ? load_jsonl_buffer(&L, data, len) : load_document(&L, data, len);
    }
    if (st == TG_OK && counts)
        *counts = L.counts;
done:
    if (f)
        fclose(f);
    free(data);
    loader_destroy(&L);
    return st;
}

tg_status tg_json_load_file_counts(tg_graph *g, const char *path, tg_load_counts *counts,
                                   tg_error *err)
{
    return tg_json_load_file_as(g, path, -1, counts, err);
}

tg_status tg_json_load_file(tg_graph *g, const char *path, tg_error *err)
{
    return tg_json_load_file_counts(g, path, NULL, err);
}

tg_status tg_json_load_buffer(tg_graph *g, const char *name, const char *data, size_t len,
                              int jsonl, tg_error *err)
{
    loader L;
    tg_status st;

    if ((st = loader_init(&L, g, name, err)) != TG_OK)
        goto done;
    if (jsonl < 0)
        jsonl = !looks_like_document(data, len);
    st = jsonl ? load_jsonl_buffer(&L, data, len) : load_document(&L, data, len);
done:
    loader_destroy(&L);
    return st;
}
