/* value.c — runtime values: the bump allocator, constructors, conversion
 * from and to stored properties, and the three notions of sameness.
 *
 * Invariants: map entries are sorted by key bytes with unique keys; a
 * value never points into memory that is freed before its tg_vmem.
 */
#include "value.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- tg_vmem ------------------------------------------------------------ */

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} chunk;

struct tg_vmem {
    chunk *head;  /* first chunk */
    chunk *cur;   /* current chunk (chunks after it are free for reuse) */
    size_t total; /* bytes handed out (approximate after resets) */
};

#define CHUNK_MIN (64 * 1024)

tg_vmem *tg_vmem_new(void)
{
    return calloc(1, sizeof(tg_vmem));
}

void tg_vmem_free(tg_vmem *m)
{
    chunk *c, *n;
    if (!m)
        return;
    for (c = m->head; c; c = n) {
        n = c->next;
        free(c);
    }
    free(m);
}

void *tg_vmem_alloc(tg_vmem *m, size_t n)
{
    chunk *c;
    void *p;
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    c = m->cur;
    if (!c || c->used + n > c->size) {
        if (c && c->next && c->next->size >= n) {
            c = c->next; /* a spare chunk left by a reset */
            c->used = 0;
        } else {
            size_t sz = n > CHUNK_MIN ? n : CHUNK_MIN;
            chunk *nc = malloc(sizeof(chunk) + sz);
            if (!nc)
                return NULL;
            nc->size = sz;
            nc->used = 0;
            nc->next = c ? c->next : NULL;
            if (c)
                c->next = nc;
            else
                m->head = nc;
            c = nc;
        }
        m->cur = c;
    }
    p = c->data + c->used;
    c->used += n;
    m->total += n;
    return p;
}

tg_vmem_mark tg_vmem_get_mark(const tg_vmem *m)
{
    tg_vmem_mark k;
    k.chunk = m->cur;
    k.used = m->cur ? m->cur->used : 0;
    return k;
}

void tg_vmem_reset(tg_vmem *m, tg_vmem_mark k)
{
    chunk *c;
    if (!k.chunk) {
        for (c = m->head; c; c = c->next)
            c->used = 0;
        m->cur = m->head;
        return;
    }
    c = k.chunk;
    c->used = k.used;
    for (chunk *d = c->next; d; d = d->next)
        d->used = 0;
    m->cur = c;
}

size_t tg_vmem_bytes(const tg_vmem *m)
{
    return m->total;
}

/* ---- constructors ------------------------------------------------------- */

tg_value tg_value_str_copy(tg_vmem *m, const char *s, size_t len)
{
    char *p = tg_vmem_alloc(m, len + 1);
    if (!p)
        return tg_value_null();
    if (len)
        memcpy(p, s, len);
    p[len] = 0;
    return tg_value_str_ref(p, len);
}

tg_value tg_value_cstr(tg_vmem *m, const char *s)
{
    return tg_value_str_copy(m, s, strlen(s));
}

_Static_assert(sizeof(tg_value) == 16, "a value is 16 bytes");
_Static_assert(sizeof(tg_vlist_header) == sizeof(tg_value),
               "a list header keeps the items aligned as values");

tg_value *tg_vmem_list_items(tg_vmem *m, size_t n)
{
    tg_vlist_header *h = tg_vmem_alloc(m, sizeof *h + (n ? n : 1) * sizeof(tg_value));
    if (!h)
        return NULL;
    memset(h, 0, sizeof *h);
    return (tg_value *)(void *)(h + 1);
}

tg_value tg_value_list(tg_vmem *m, const tg_value *items, size_t n)
{
    tg_value *p = tg_vmem_list_items(m, n);
    if (!p)
        return tg_value_null();
    if (n)
        memcpy(p, items, n * sizeof(tg_value));
    return tg_value_list_hdr(p, n);
}

static int keycmp(const char *a, size_t al, const char *b, size_t bl)
{
    size_t n = al < bl ? al : bl;
    int c = n ? memcmp(a, b, n) : 0;
    if (c)
        return c;
    return al < bl ? -1 : al > bl ? 1 : 0;
}

/* Entries ordered by key, then by position, so that of two equal keys the
 * later one comes last (and wins). */
typedef struct keyed {
    const tg_vmap_entry *e;
    size_t at;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = keycmp(x->e->key, x->e->klen, y->e->key, y->e->klen);
    if (c)
        return c;
    return x->at < y->at ? -1 : x->at > y->at;
}

tg_value tg_value_map(tg_vmem *m, const tg_vmap_entry *entries, size_t n)
{
    tg_vmap_entry *e = tg_vmem_alloc(m, (n ? n : 1) * sizeof(tg_vmap_entry));
    keyed small[16], *order = small;
    size_t k = 0;
    uint16_t depth = 0;
    tg_value v = tg_value_null();
    if (!e)
        return v;
    if (n > 16 && !(order = malloc(n * sizeof *order)))
        return v;
    for (size_t i = 0; i < n; i++) {
        order[i].e = &entries[i];
        order[i].at = i;
    }
    qsort(order, n, sizeof *order, keyed_cmp); /* O(n log n): a map may be large */
    for (size_t i = 0; i < n; i++) {
        const tg_vmap_entry *src = order[i].e;
        char *kc;
        if (i + 1 < n && keycmp(src->key, src->klen, order[i + 1].e->key,
                                order[i + 1].e->klen) == 0)
            continue; /* a later duplicate key wins */
        if (!(kc = tg_vmem_alloc(m, src->klen + 1))) {
            if (order != small)
                free(order);
            return v;
        }
        memcpy(kc, src->key, src->klen);
        kc[src->klen] = 0;
        e[k].key = kc;
        e[k].klen = src->klen;
        e[k].value = src->value;
        if (src->value.depth > depth)
            depth = src->value.depth;
        k++;
    }
    if (order != small)
        free(order);
    v.kind = TG_VAL_MAP;
    v.len = (uint32_t)k;
    v.u.map = e;
    v.depth = depth == UINT16_MAX ? depth : (uint16_t)(depth + 1);
    return v;
}

tg_value tg_value_path(tg_vmem *m, const tg_ent *nodes, const tg_rel *rels, size_t len)
{
    tg_vpath *p = tg_vmem_alloc(m, sizeof *p);
    tg_ent *ns = tg_vmem_alloc(m, (len + 1) * sizeof *ns);
    tg_rel *rs = tg_vmem_alloc(m, (len ? len : 1) * sizeof *rs);
    tg_value v = tg_value_null();
    if (!p || !ns || !rs)
        return v;
    memcpy(ns, nodes, (len + 1) * sizeof *ns);
    if (len)
        memcpy(rs, rels, len * sizeof *rs);
    p->len = (uint32_t)len;
    p->nodes = ns;
    p->rels = rs;
    v.kind = TG_VAL_PATH;
    v.len = (uint32_t)len;
    v.u.path = p;
    return v;
}

const tg_value *tg_value_map_get(const tg_value *v, const char *key, size_t klen)
{
    size_t lo = 0, hi = v->len;
    if (v->kind != TG_VAL_MAP)
        return NULL;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = keycmp(v->u.map[mid].key, v->u.map[mid].klen, key, klen);
        if (c == 0)
            return &v->u.map[mid].value;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *tg_value_kind_name(tg_vkind k)
{
    switch (k) {
    case TG_VAL_NULL: return "Null";
    case TG_VAL_BOOL: return "Boolean";
    case TG_VAL_INT: return "Integer";
    case TG_VAL_FLOAT: return "Float";
    case TG_VAL_STRING: return "String";
    case TG_VAL_LIST: return "List";
    case TG_VAL_MAP: return "Map";
    case TG_VAL_NODE: return "Node";
    case TG_VAL_REL: return "Relationship";
    case TG_VAL_PATH: return "Path";
    case TG_VAL_DATE: return "Date";
    case TG_VAL_LOCALTIME: return "LocalTime";
    case TG_VAL_TIME: return "Time";
    case TG_VAL_LOCALDATETIME: return "LocalDateTime";
    case TG_VAL_DATETIME: return "DateTime";
    case TG_VAL_DURATION: return "Duration";
    }
    return "Unknown";
}

/* ---- graph values -------------------------------------------------------- */

static tg_value scalar_from_pval(const tg_graph *g, const tg_pval *p, int type)
{
    size_t len;
    const char *s;
    switch (type) {
    case TG_V_BOOL: return tg_value_bool(p->u.b);
    case TG_V_INT: return tg_value_int(p->u.i);
    case TG_V_FLOAT: return tg_value_float(p->u.f);
    case TG_V_STRING:
        s = tg_graph_str(g, p->u.s, &len);
        return tg_value_str_ref(s, len);
    default: return tg_value_null();
    }
}

tg_value tg_value_from_pval(const tg_graph *g, tg_vmem *m, const tg_pval *p)
{
    if (!p)
        return tg_value_null();
    if (p->type == TG_V_LIST) {
        const tg_pval *items = p->len ? tg_graph_list(g, p) : NULL;
        tg_value *vs = tg_vmem_alloc(m, (p->len ? p->len : 1) * sizeof *vs);
        if (!vs)
            return tg_value_null();
        for (uint32_t i = 0; i < p->len; i++)
            vs[i] = tg_time_is_kind(items[i].type) ? tg_temporal_from_pval(g, m, &items[i])
                                                   : scalar_from_pval(g, &items[i], items[i].type);
        return tg_value_list_ref(vs, p->len);
    }
    if (tg_time_is_kind(p->type))
        return tg_temporal_from_pval(g, m, p);
    return scalar_from_pval(g, p, p->type);
}

static tg_status scalar_to_pval(tg_graph *g, const tg_value *v, tg_pval *out, tg_error *err)
{
    memset(out, 0, sizeof *out);
    switch (v->kind) {
    case TG_VAL_NULL: out->type = TG_V_NULL; return TG_OK;
    case TG_VAL_BOOL:
        out->type = TG_V_BOOL;
        out->u.b = v->u.b;
        return TG_OK;
    case TG_VAL_INT:
        out->type = TG_V_INT;
        out->u.i = v->u.i;
        return TG_OK;
    case TG_VAL_FLOAT:
        out->type = TG_V_FLOAT;
        out->u.f = v->u.f;
        return TG_OK;
    case TG_VAL_STRING:
        out->type = TG_V_STRING;
        out->u.s = tg_graph_intern(g, v->u.s, v->len);
        if (!out->u.s && v->len > 0) /* "" is symbol 0 */
            return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        return TG_OK;
    case TG_VAL_DATE:
    case TG_VAL_LOCALTIME:
    case TG_VAL_TIME:
    case TG_VAL_LOCALDATETIME:
    case TG_VAL_DATETIME:
    case TG_VAL_DURATION: return tg_graph_make_temporal(g, v->u.tm, out, err);
    default:
        return tg_error_set(err, TG_ETYPE, NULL, 0, 0,
                            "TypeError: InvalidPropertyType: a %s cannot be stored as a property",
                            tg_value_kind_name((tg_vkind)v->kind));
    }
}

tg_status tg_value_to_pval(tg_graph *g, const tg_value *v, tg_pval *out, tg_error *err)
{
    tg_status st = TG_OK;
    tg_pval *items = NULL;
    if (v->kind != TG_VAL_LIST)
        return scalar_to_pval(g, v, out, err);
    items = malloc((v->len ? v->len : 1) * sizeof *items);
    if (!items)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    for (uint32_t i = 0; i < v->len && st == TG_OK; i++) {
        const tg_value *x = &v->u.items[i];
        int k = x->kind;
        if (k == TG_VAL_NULL || (k > TG_VAL_STRING && !tg_value_is_temporal(x)) ||
            (i > 0 && k != v->u.items[0].kind)) {
            st = tg_error_set(err, TG_ETYPE, NULL, 0, 0,
                              "TypeError: InvalidPropertyType: a list property must hold "
                              "values of one type (booleans, numbers or strings) and no nulls");
            break;
        }
        st = scalar_to_pval(g, x, &items[i], err);
    }
    if (st == TG_OK)
        st = tg_graph_make_list(g, items, v->len, out, err);
    if (st == TG_EINVAL)
        st = tg_error_set(err, TG_ETYPE, NULL, 0, 0,
                          "TypeError: InvalidPropertyType: a list property must hold values of "
                          "one type");
    free(items);
    return st;
}

tg_value tg_value_property(const tg_graph *g, tg_vmem *m, const tg_value *v, const char *key,
                           size_t klen)
{
    tg_sym sym = 0;
    return tg_value_property_cached(g, m, v, key, klen, &sym);
}

tg_value tg_value_property_cached(const tg_graph *g, tg_vmem *m, const tg_value *v,
                                  const char *key, size_t klen, tg_sym *sym)
{
    tg_sym k;
    const tg_pval *p;
    if (v->kind == TG_VAL_MAP) {
        const tg_value *x = tg_value_map_get(v, key, klen);
        return x ? *x : tg_value_null();
    }
    if (tg_value_is_temporal(v))
        return tg_temporal_field(m, v, key, klen);
    if (v->kind != TG_VAL_NODE && v->kind != TG_VAL_REL)
        return tg_value_null();
    k = *sym ? *sym : (*sym = tg_graph_sym(g, key, klen));
    p = k ? tg_graph_prop(g, v->kind == TG_VAL_NODE ? TG_ENTITY : TG_RELATION,
                          v->kind == TG_VAL_NODE ? v->u.node : v->u.rel, k)
          : NULL;
    if (p)
        return tg_value_from_pval(g, m, p);
    if (v->kind == TG_VAL_NODE && klen == 2 && memcmp(key, "id", 2) == 0) {
        const char *s;
        size_t len;
        if (tg_value_entity_data_id(g, v->u.node, &s, &len))
            return tg_value_str_ref(s, len);
    }
    return tg_value_null();
}

int tg_value_entity_data_id(const tg_graph *g, tg_ent e, const char **s, size_t *len)
{
    size_t k = 2;
    *s = tg_graph_str(g, tg_graph_entity_id(g, e), len);
    /* ids generated by CREATE ("_n" and digits) are not data */
    if (*len > 2 && (*s)[0] == '_' && (*s)[1] == 'n') {
        while (k < *len && (*s)[k] >= '0' && (*s)[k] <= '9')
            k++;
        if (k == *len)
            return 0;
    }
    return 1;
}

/* ---- equality -------------------------------------------------------------- */

static int str_cmp(const tg_value *a, const tg_value *b)
{
    return keycmp(a->u.s, a->len, b->u.s, b->len);
}

static int num_eq(const tg_value *a, const tg_value *b)
{
    if (a->kind == TG_VAL_INT && b->kind == TG_VAL_INT)
        return a->u.i == b->u.i;
    if (a->kind == TG_VAL_INT)
        return (double)a->u.i == b->u.f && (b->u.f != 9223372036854775808.0);
    if (b->kind == TG_VAL_INT)
        return (double)b->u.i == a->u.f && (a->u.f != 9223372036854775808.0);
    return a->u.f == b->u.f;
}

static int path_same(const tg_vpath *a, const tg_vpath *b)
{
    if (a->len != b->len)
        return 0;
    for (uint32_t i = 0; i <= a->len; i++)
        if (a->nodes[i] != b->nodes[i])
            return 0;
    for (uint32_t i = 0; i < a->len; i++)
        if (a->rels[i] != b->rels[i])
            return 0;
    return 1;
}

int tg_value_equals(const tg_value *a, const tg_value *b)
{
    if (a->kind == TG_VAL_NULL || b->kind == TG_VAL_NULL)
        return TG_TRI_NULL;
    if (tg_value_is_number(a) && tg_value_is_number(b))
        return num_eq(a, b) ? TG_TRI_TRUE : TG_TRI_FALSE;
    if (a->kind != b->kind)
        return TG_TRI_FALSE;
    switch (a->kind) {
    case TG_VAL_BOOL: return a->u.b == b->u.b;
    case TG_VAL_STRING: return str_cmp(a, b) == 0;
    case TG_VAL_NODE: return a->u.node == b->u.node;
    case TG_VAL_REL: return a->u.rel == b->u.rel;
    case TG_VAL_PATH: return path_same(a->u.path, b->u.path);
    case TG_VAL_DATE:
    case TG_VAL_LOCALTIME:
    case TG_VAL_TIME:
    case TG_VAL_LOCALDATETIME:
    case TG_VAL_DATETIME: {
        int c;
        return tg_temporal_compare(a, b, &c) && c == 0; /* the same instant */
    }
    case TG_VAL_DURATION: return tg_temporal_order(a, b) == 0;
    case TG_VAL_LIST: {
        int any_null = 0;
        if (a->len != b->len)
            return TG_TRI_FALSE;
        for (uint32_t i = 0; i < a->len; i++) {
            int r = tg_value_equals(&a->u.items[i], &b->u.items[i]);
            if (r == TG_TRI_FALSE)
                return TG_TRI_FALSE;
            if (r == TG_TRI_NULL)
                any_null = 1;
        }
        return any_null ? TG_TRI_NULL : TG_TRI_TRUE;
    }
    case TG_VAL_MAP: {
        int any_null = 0;
        if (a->len != b->len)
            return TG_TRI_FALSE;
        for (uint32_t i = 0; i < a->len; i++)
            if (keycmp(a->u.map[i].key, a->u.map[i].klen, b->u.map[i].key, b->u.map[i].klen))
                return TG_TRI_FALSE;
        for (uint32_t i = 0; i < a->len; i++) {
            int r = tg_value_equals(&a->u.map[i].value, &b->u.map[i].value);
            if (r == TG_TRI_FALSE)
                return TG_TRI_FALSE;
            if (r == TG_TRI_NULL)
                any_null = 1;
        }
        return any_null ? TG_TRI_NULL : TG_TRI_TRUE;
    }
    default: return TG_TRI_FALSE;
    }
}

/* ---- comparison ------------------------------------------------------------ */

static int num_cmp(const tg_value *a, const tg_value *b)
{
    if (a->kind == TG_VAL_INT && b->kind == TG_VAL_INT)
        return a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
    if (a->kind == TG_VAL_INT || b->kind == TG_VAL_INT) {
        /* exact int/float comparison: compare as long double, which holds
         * every int64 exactly on x86-64 */
        long double x = a->kind == TG_VAL_INT ? (long double)a->u.i : (long double)a->u.f;
        long double y = b->kind == TG_VAL_INT ? (long double)b->u.i : (long double)b->u.f;
        return x < y ? -1 : x > y;
    }
    return a->u.f < b->u.f ? -1 : a->u.f > b->u.f;
}

int tg_value_compare(const tg_value *a, const tg_value *b, int *cmp)
{
    *cmp = 0;
    if (a->kind == TG_VAL_NULL || b->kind == TG_VAL_NULL)
        return 0;
    if (tg_value_is_number(a) && tg_value_is_number(b)) {
        if ((a->kind == TG_VAL_FLOAT && isnan(a->u.f)) ||
            (b->kind == TG_VAL_FLOAT && isnan(b->u.f))) {
            *cmp = 2;
            return 1;
        }
        *cmp = num_cmp(a, b);
        return 1;
    }
    if (a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case TG_VAL_BOOL: *cmp = a->u.b - b->u.b; return 1;
    case TG_VAL_STRING: {
        int c = str_cmp(a, b);
        *cmp = c < 0 ? -1 : c > 0;
        return 1;
    }
    case TG_VAL_LIST: {
        uint32_t n = a->len < b->len ? a->len : b->len;
        for (uint32_t i = 0; i < n; i++) {
            int c;
            if (!tg_value_compare(&a->u.items[i], &b->u.items[i], &c))
                return 0;
            if (c == 2) {
                *cmp = 2;
                return 1;
            }
            if (c) {
                *cmp = c;
                return 1;
            }
        }
        *cmp = a->len < b->len ? -1 : a->len > b->len;
        return 1;
    }
    case TG_VAL_DATE:
    case TG_VAL_LOCALTIME:
    case TG_VAL_TIME:
    case TG_VAL_LOCALDATETIME:
    case TG_VAL_DATETIME: return tg_temporal_compare(a, b, cmp);
    default:
        /* nodes, relations, maps, paths and durations are not comparable with < */
        return 0;
    }
}

/* ---- orderability ------------------------------------------------------------ */

static int order_rank(const tg_value *v)
{
    switch (v->kind) {
    case TG_VAL_MAP: return 0;
    case TG_VAL_NODE: return 1;
    case TG_VAL_REL: return 2;
    case TG_VAL_LIST: return 3;
    case TG_VAL_PATH: return 4;
    case TG_VAL_DATETIME: return 5;
    case TG_VAL_LOCALDATETIME: return 6;
    case TG_VAL_DATE: return 7;
    case TG_VAL_TIME: return 8;
    case TG_VAL_LOCALTIME: return 9;
    case TG_VAL_DURATION: return 10;
    case TG_VAL_STRING: return 11;
    case TG_VAL_BOOL: return 12;
    case TG_VAL_INT:
    case TG_VAL_FLOAT: return 13;
    default: return 14;
    }
}

int tg_value_order(const tg_value *a, const tg_value *b)
{
    int ra = order_rank(a), rb = order_rank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    switch (a->kind) {
    case TG_VAL_NULL: return 0;
    case TG_VAL_INT:
    case TG_VAL_FLOAT: {
        int na = a->kind == TG_VAL_FLOAT && isnan(a->u.f);
        int nb = b->kind == TG_VAL_FLOAT && isnan(b->u.f);
        if (na || nb)
            return na - nb;
        return num_cmp(a, b);
    }
    case TG_VAL_BOOL: return a->u.b - b->u.b;
    case TG_VAL_STRING: {
        int c = str_cmp(a, b);
        return c < 0 ? -1 : c > 0;
    }
    case TG_VAL_NODE: return a->u.node < b->u.node ? -1 : a->u.node > b->u.node;
    case TG_VAL_REL: return a->u.rel < b->u.rel ? -1 : a->u.rel > b->u.rel;
    case TG_VAL_LIST: {
        uint32_t n = a->len < b->len ? a->len : b->len;
        for (uint32_t i = 0; i < n; i++) {
            int c = tg_value_order(&a->u.items[i], &b->u.items[i]);
            if (c)
                return c;
        }
        return a->len < b->len ? -1 : a->len > b->len;
    }
    case TG_VAL_MAP: {
        uint32_t n = a->len < b->len ? a->len : b->len;
        for (uint32_t i = 0; i < n; i++) {
            int c = keycmp(a->u.map[i].key, a->u.map[i].klen, b->u.map[i].key,
                           b->u.map[i].klen);
            if (c)
                return c < 0 ? -1 : 1;
            c = tg_value_order(&a->u.map[i].value, &b->u.map[i].value);
            if (c)
                return c;
        }
        return a->len < b->len ? -1 : a->len > b->len;
    }
    case TG_VAL_PATH: {
        const tg_vpath *p = a->u.path, *q = b->u.path;
        uint32_t n = p->len < q->len ? p->len : q->len;
        for (uint32_t i = 0; i <= n; i++) {
            if (p->nodes[i] != q->nodes[i])
                return p->nodes[i] < q->nodes[i] ? -1 : 1;
            if (i < n && p->rels[i] != q->rels[i])
                return p->rels[i] < q->rels[i] ? -1 : 1;
        }
        return p->len < q->len ? -1 : p->len > q->len;
    }
    case TG_VAL_DATE:
    case TG_VAL_LOCALTIME:
    case TG_VAL_TIME:
    case TG_VAL_LOCALDATETIME:
    case TG_VAL_DATETIME:
    case TG_VAL_DURATION: return tg_temporal_order(a, b);
    }
    return 0;
}

/* ---- equivalence and hashing ------------------------------------------------- */

int tg_value_equivalent(const tg_value *a, const tg_value *b)
{
    if (a->kind == TG_VAL_NULL || b->kind == TG_VAL_NULL)
        return a->kind == b->kind;
    if (tg_value_is_number(a) && tg_value_is_number(b)) {
        int na = a->kind == TG_VAL_FLOAT && isnan(a->u.f);
        int nb = b->kind == TG_VAL_FLOAT && isnan(b->u.f);
        if (na || nb)
            return na && nb;
        return num_eq(a, b);
    }
    if (a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case TG_VAL_LIST:
        if (a->len != b->len)
            return 0;
        for (uint32_t i = 0; i < a->len; i++)
            if (!tg_value_equivalent(&a->u.items[i], &b->u.items[i]))
                return 0;
        return 1;
    case TG_VAL_MAP:
        if (a->len != b->len)
            return 0;
        for (uint32_t i = 0; i < a->len; i++)
            if (keycmp(a->u.map[i].key, a->u.map[i].klen, b->u.map[i].key, b->u.map[i].klen) ||
                !tg_value_equivalent(&a->u.map[i].value, &b->u.map[i].value))
                return 0;
        return 1;
    default: return tg_value_equals(a, b) == TG_TRI_TRUE;
    }
}

static uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 33);
}

static uint64_t bytes_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

uint64_t tg_value_hash(const tg_value *v)
{
    uint64_t h = (uint64_t)v->kind * 0x100000001b3ull;
    switch (v->kind) {
    case TG_VAL_NULL: return 7;
    case TG_VAL_BOOL: return mix(h, (uint64_t)v->u.b);
    case TG_VAL_INT: return mix(3, (uint64_t)v->u.i);
    case TG_VAL_FLOAT: {
        double f = v->u.f;
        if (isnan(f))
            return 11;
        if (f == floor(f) && f >= -9.2e18 && f <= 9.2e18)
            return mix(3, (uint64_t)(int64_t)f);
        uint64_t bits;
        if (f == 0.0)
            f = 0.0;
        memcpy(&bits, &f, sizeof bits);
        return mix(5, bits);
    }
    case TG_VAL_STRING: return mix(h, bytes_hash(v->u.s, v->len));
    case TG_VAL_NODE: return mix(h, v->u.node);
    case TG_VAL_REL: return mix(h, v->u.rel);
    case TG_VAL_LIST:
        for (uint32_t i = 0; i < v->len; i++)
            h = mix(h, tg_value_hash(&v->u.items[i]));
        return mix(h, v->len);
    case TG_VAL_MAP:
        for (uint32_t i = 0; i < v->len; i++) {
            h = mix(h, bytes_hash(v->u.map[i].key, v->u.map[i].klen));
            h = mix(h, tg_value_hash(&v->u.map[i].value));
        }
        return h;
    case TG_VAL_PATH:
        for (uint32_t i = 0; i <= v->u.path->len; i++)
            h = mix(h, v->u.path->nodes[i]);
        for (uint32_t i = 0; i < v->u.path->len; i++)
            h = mix(h, v->u.path->rels[i]);
        return h;
    default: return tg_temporal_hash(v);
    }
}
