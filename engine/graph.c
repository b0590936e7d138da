/* graph.c — life cycle, strings, entities, labels, relations and sources.
 *
 * Strings are interned into 1 MiB chunks (a longer string gets a chunk of
 * its own), so a string never moves and tg_graph_str can hand out stable
 * pointers. The string hash is an open-addressing table of symbols.
 * Labelsets are interned too: an entity stores one uint32 naming its set.
 * Deletion leaves tombstones (bitmaps) and marks the derived indexes dirty;
 * index.c filters dead items out on the next read.
 * Properties, lists and derived indexes live in props.c and index.c.
 */
#include "graph_internal.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE ((size_t)1 << 20)
#define EMPTY32 0xFFFFFFFFu

static tg_status nomem(tg_error *err)
{
    return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
}

tg_graph *tg_graph_new(void)
{
    tg_graph *g = calloc(1, sizeof *g);
    uint32_t zero = 0;

    if (!g)
        return NULL;
    g->lset_owner = TG_NONE;
    tg_i_igraph_init();
    /* symbol 0 is "", labelset 0 is the empty set */
    if (!tg_graph_intern(g, "", 0) && g->str_ptr.n != 1)
        goto fail;
    if (tg_vec_push(&g->lset_off, sizeof zero, &zero) != 0 ||
        tg_vec_push(&g->lset_off, sizeof zero, &zero) != 0 ||
        tg_vec_push(&g->lset_next, sizeof zero, &(uint32_t){EMPTY32}) != 0 ||
        tg_vec_push(&g->lset_uses, sizeof zero, &zero) != 0)
        goto fail;
    return g;
fail:
    tg_graph_free(g);
    return NULL;
}

static void free_csr(tg_csr *c)
{
    free(c->off);
    free(c->items);
    free(c->nbr);
    free(c->tslot);
    memset(c, 0, sizeof *c);
}

static int csr_built(const tg_csr *c)
{
    return c->off || c->items || c->nbr || c->tslot;
}

/* Called for every change (an import makes millions): each part is looked
 * at before it is freed, so that a graph with nothing built costs a few
 * loads, not a dozen calls to free. */
void tg_i_graph_invalidate(tg_graph *g, int what)
{
    size_t i;

    if ((what & (TG_I_CHANGE_ENTITIES | TG_I_CHANGE_LABELS)) &&
        (csr_built(&g->lazy.labels) || g->lazy.all_labels.a || g->lazy.label_slot.kv ||
         g->lazy.label_bits.a || g->lazy.labels_ok || g->lazy.labels_dirty)) {
        free_csr(&g->lazy.labels);
        tg_vec_free(&g->lazy.all_labels);
        tg_u32map_free(&g->lazy.label_slot);
        for (i = 0; i < g->lazy.label_bits.n; i++)
            free(TG_VEC_AT(&g->lazy.label_bits, uint64_t *, i));
        tg_vec_free(&g->lazy.label_bits);
        g->lazy.labels_ok = g->lazy.labels_dirty = 0;
    }
    if ((what & TG_I_CHANGE_RELATIONS) &&
        (csr_built(&g->lazy.types) || g->lazy.all_types.a || g->lazy.type_slot.kv ||
         g->lazy.types_ok || g->lazy.types_dirty)) {
        free_csr(&g->lazy.types);
        tg_vec_free(&g->lazy.all_types);
        tg_u32map_free(&g->lazy.type_slot);
        g->lazy.types_ok = g->lazy.types_dirty = 0;
    }
    if ((what & (TG_I_CHANGE_ENTITIES | TG_I_CHANGE_RELATIONS)) &&
        (csr_built(&g->lazy.out) || csr_built(&g->lazy.in) || g->lazy.adj_ok ||
         g->lazy.adj_dirty || g->lazy.igraph)) {
        free_csr(&g->lazy.out);
        free_csr(&g->lazy.in);
        g->lazy.adj_ok = g->lazy.adj_dirty = 0;
        tg_i_graph_drop_igraph(g);
    }
    if ((what & (TG_I_CHANGE_ENTITIES | TG_I_CHANGE_PROPS)) && g->lazy.vindex.a) {
        for (i = 0; i < g->lazy.vindex.n; i++) {
            tg_value_index *x = &TG_VEC_AT(&g->lazy.vindex, tg_value_index, i);
            free(x->hashes);
            free(x->ents);
        }
        tg_vec_free(&g->lazy.vindex);
    }
}

void tg_graph_free(tg_graph *g)
{
    size_t i, s;

    if (!g)
        return;
    tg_i_graph_invalidate(g, TG_I_CHANGE_ENTITIES | TG_I_CHANGE_LABELS |
                                 TG_I_CHANGE_RELATIONS | TG_I_CHANGE_PROPS);
    tg_vec_free(&g->lazy.scratch);
    if (g->src.release)
        g->src.release(g->src.ctx);
    free(g->src.pages[0]);
    free(g->src.pages[1]);
    free(g->src.ent_pages);
    for (i = 0; i < g->src.str_blocks.n; i++)
        free(TG_VEC_AT(&g->src.str_blocks, char *, i));
    tg_vec_free(&g->src.str_blocks);
    tg_i_marks_free(g);
    for (i = 0; i < g->pool_chunks.n; i++)
        free(TG_VEC_AT(&g->pool_chunks, char *, i));
    tg_vec_free(&g->pool_chunks);
    tg_vec_free(&g->str_ptr);
    tg_vec_free(&g->str_len);
    free(g->str_hash_slots);
    free(g->str_hash_tags);
    tg_vec_free(&g->ent_id);
    tg_vec_free(&g->ent_lset);
    tg_u32map_free(&g->ent_of_sym);
    tg_vec_free(&g->lset_off);
    tg_vec_free(&g->lset_labels);
    tg_u32map_free(&g->lset_of_hash);
    tg_vec_free(&g->lset_next);
    tg_vec_free(&g->lset_uses);
    tg_vec_free(&g->rel_from);
    tg_vec_free(&g->rel_to);
    tg_vec_free(&g->rel_type);
    tg_vec_free(&g->ent_dead);
    tg_vec_free(&g->rel_dead);
    for (s = 0; s < 2; s++) {
        tg_side_props *p = &g->props[s];
        for (i = 0; i < p->cols.n; i++) {
            tg_column *c = &TG_VEC_AT(&p->cols, tg_column, i);
            tg_vec_free(&c->rows);
            tg_vec_free(&c->vals);
            tg_vec_free(&c->queue);
            free(c->probes);
        }
        tg_vec_free(&p->cols);
        tg_u32map_free(&p->col_of_key);
        tg_vec_free(&p->keys_sorted);
    }
    tg_vec_free(&g->list_pool);
    tg_u32map_free(&g->list_of_hash);
    tg_vec_free(&g->sources);
    tg_vec_free(&g->src_fields);
    tg_u32map_free(&g->src_of_sym);
    free(g);
}

uint64_t tg_graph_generation(const tg_graph *g)
{
    return g->generation;
}

/* ---- strings ------------------------------------------------------------ */

static uint64_t str_hash(const char *s, size_t len)
{
    return tg_hash_bytes(s, len, 0x7467);
}

uint64_t tg_i_str_hash(const char *s, size_t len)
{
    return str_hash(s, len);
}

#define STR_TAG(h) ((uint8_t)((h) >> 56))

static int str_slot_insert(uint32_t *slots, uint8_t *tags, size_t cap, uint64_t h, uint32_t sym)
{
    size_t j = h & (cap - 1);

    while (slots[j] != 0)
        j = (j + 1) & (cap - 1);
    slots[j] = sym;
    if (tags)
        tags[j] = STR_TAG(h);
    return 0;
}

static int grow_str_hash(tg_graph *g, size_t want_syms)
{
    size_t cap = g->str_hash_cap ? g->str_hash_cap : 1024;
    uint32_t *slots;
    uint8_t *tags;
    size_t sym;

    while (cap < 2 * want_syms + 2)
        cap *= 2;
    if (cap == g->str_hash_cap)
        return 0;
    if (tg_i_strings_load_all(g) != 0 && g->src.st == TG_ENOMEM)
        return -1;
    slots = tg_alloc_big(cap * sizeof *slots); /* huge pages: a probe is a TLB miss less */
    tags = tg_alloc_big(cap);
    if (!slots || !tags) {
        free(slots);
        free(tags);
        return -1;
    }
    memset(slots, 0, cap * sizeof *slots);
    for (sym = 1; sym < g->str_ptr.n; sym++) {
        size_t len;
        const char *s = tg_i_str(g, (tg_sym)sym, &len);
        str_slot_insert(slots, tags, cap, str_hash(s, len), (uint32_t)sym);
    }
    free(g->str_hash_slots);
    free(g->str_hash_tags);
    g->str_hash_slots = slots;
    g->str_hash_tags = tags;
    g->str_hash_cap = cap;
    free(g->src.pages[TG_I_STR_HASH]); /* built from the strings: all here */
    g->src.pages[TG_I_STR_HASH] = NULL;
    return 0;
}

int tg_i_graph_rehash_strings(tg_graph *g)
{
    free(g->str_hash_slots);
    free(g->str_hash_tags);
    g->str_hash_slots = NULL;
    g->str_hash_tags = NULL;
    g->str_hash_cap = 0;
    return grow_str_hash(g, g->str_ptr.n);
}

/* A run of the string table as long as the table: only a damaged table
 * read a page at a time can have one (every page passed its checks, but no
 * slot is free). It is rebuilt from the strings. */
static void str_hash_damaged(tg_graph *g)
{
    if (tg_i_graph_rehash_strings(g) != 0)
        tg_i_lazy_fail(g, TG_ENOMEM, "out of memory rebuilding the string table");
}

static tg_sym find_sym(const tg_graph *g, const char *s, size_t len, uint64_t h)
{
    size_t j, probes;
    uint8_t tag = STR_TAG(h);

restart:
    if (!g->str_hash_cap)
        return 0;
    j = h & (g->str_hash_cap - 1);
    for (probes = 0;; probes++) {
        uint32_t sym;
        if (tg_i_slot_ready(g, TG_I_STR_HASH, j))
            goto restart; /* rebuilt */
        if (probes == g->str_hash_cap) {
            str_hash_damaged((tg_graph *)g);
            goto restart;
        }
        if ((sym = g->str_hash_slots[j]) == 0)
            break;
        if (!g->str_hash_tags || g->str_hash_tags[j] == tag) {
            size_t have;
            const char *p = tg_i_str(g, sym, &have);
            if (have == len && memcmp(p, s, len) == 0)
                return sym;
        }
        j = (j + 1) & (g->str_hash_cap - 1);
    }
    return 0;
}

size_t tg_graph_str_count(const tg_graph *g)
{
    return g->str_ptr.n;
}

tg_sym tg_graph_sym(const tg_graph *g, const char *s, size_t len)
{
    if (len == 0)
        return 0;
    return find_sym(g, s, len, str_hash(s, len));
}

/* Copies s into the chunked pool; NULL when out of memory. */
static char *pool_copy(tg_graph *g, const char *s, size_t len)
{
    char *dst;

    if (len + 1 > g->chunk_cap - g->chunk_used) {
        size_t size = len + 1 > CHUNK_SIZE ? len + 1 : CHUNK_SIZE;
        char *chunk = malloc(size);
        if (!chunk || tg_vec_push(&g->pool_chunks, sizeof chunk, &chunk) != 0) {
            free(chunk);
            return NULL;
        }
        g->chunk_used = 0;
        g->chunk_cap = size;
    }
    dst = TG_VEC_AT(&g->pool_chunks, char *, g->pool_chunks.n - 1) + g->chunk_used;
    if (len)
        memcpy(dst, s, len);
    dst[len] = '\0';
    g->chunk_used += len + 1;
    return dst;
}

tg_sym tg_graph_intern(tg_graph *g, const char *s, size_t len)
{
    uint64_t h;
    tg_sym sym;
    char *copy;
    uint32_t len32 = (uint32_t)len;

    if (len == 0 && g->str_ptr.n > 0)
        return 0;
    if (len > 0xFFFFFFF0u)
        return 0;
    h = str_hash(s, len);
    if (len > 0 && (sym = find_sym(g, s, len, h)) != 0)
        return sym;
    if (2 * (g->str_ptr.n + 1) > g->str_hash_cap && grow_str_hash(g, g->str_ptr.n + 1) != 0)
        return 0;
    if (tg_vec_reserve(&g->str_ptr, sizeof(char *), g->str_ptr.n + 1) != 0 ||
        tg_vec_reserve(&g->str_len, sizeof(uint32_t), g->str_len.n + 1) != 0)
        return 0;
    copy = pool_copy(g, s, len);
    if (!copy)
        return 0;
    sym = (tg_sym)g->str_ptr.n;
    tg_vec_push(&g->str_ptr, sizeof(char *), &copy);
    tg_vec_push(&g->str_len, sizeof(uint32_t), &len32);
    if (sym != 0 && g->src.pages[TG_I_STR_HASH]) {
        /* the run up to the free slot is read (find_sym read it): the free
         * slot's page may not be */
        size_t j = h & (g->str_hash_cap - 1), probes = 0;
        while (tg_i_slot_ready(g, TG_I_STR_HASH, j) == 0 && g->str_hash_slots[j] != 0) {
            if (++probes == g->str_hash_cap) {
                str_hash_damaged(g);
                break;
            }
            j = (j + 1) & (g->str_hash_cap - 1);
        }
        if (g->src.pages[TG_I_STR_HASH] == NULL)
            return sym; /* rebuilt from the strings, sym among them */
    }
    if (sym != 0)
        str_slot_insert(g->str_hash_slots, g->str_hash_tags, g->str_hash_cap, h, sym);
    return sym;
}

const char *tg_graph_str(const tg_graph *g, tg_sym sym, size_t *len)
{
    if (sym == 0 || sym >= g->str_ptr.n) {
        if (len)
            *len = 0;
        return "";
    }
    {
        size_t n;
        const char *p = tg_i_str(g, sym, &n);
        if (len)
            *len = n;
        return p;
    }
}

/* ---- entities and labels ------------------------------------------------- */

size_t tg_graph_entity_count(const tg_graph *g)
{
    return g->ent_id.n;
}

size_t tg_graph_live_entity_count(const tg_graph *g)
{
    return g->ent_id.n - g->ndead_ent;
}

int tg_graph_entity_is_live(const tg_graph *g, tg_ent e)
{
    return e < g->ent_id.n && !tg_i_bit(&g->ent_dead, e);
}

void tg_i_ent_map_ready(const tg_graph *g, tg_sym key)
{
    const tg_u32map *m = &g->ent_of_sym;
    size_t j, probes;

    if (!g->src.pages[TG_I_ENT_MAP] || !m->cap)
        return;
    j = tg_hash_u64(key) & (m->cap - 1);
    for (probes = 0; probes < m->cap; probes++) {
        if (tg_i_slot_ready(g, TG_I_ENT_MAP, j))
            return; /* rebuilt whole, from the entities */
        if (m->kv[2 * j] == 0xFFFFFFFFu)
            return;
        j = (j + 1) & (m->cap - 1);
    }
    /* no free slot: a damaged map (every page passed its checks) */
    tg_i_ent_map_rebuild((tg_graph *)g);
}

/* The entity of id symbol sym, TG_NONE if none. An entry of a map read a
 * page at a time is checked against the entity it names (whose page may
 * not have been read when the map's page was): a wrong one means a damaged
 * map, rebuilt from the entities. */
static tg_ent ent_of(const tg_graph *g, tg_sym sym)
{
    tg_ent e;

    tg_i_ent_map_ready(g, sym);
    e = tg_u32map_get(&g->ent_of_sym, sym);
    if (e != TG_NONE && __builtin_expect(g->src.pages[TG_I_ENT_MAP] != NULL, 0) &&
        tg_graph_entity_id(g, e) != sym) {
        tg_i_ent_map_rebuild((tg_graph *)g);
        e = tg_u32map_get(&g->ent_of_sym, sym);
    }
    return e;
}

tg_ent tg_graph_find_entity(const tg_graph *g, const char *id, size_t len)
{
    tg_sym sym = tg_graph_sym(g, id, len);

    return sym ? ent_of(g, sym) : TG_NONE;
}

tg_ent tg_graph_find_entity_interning(tg_graph *g, const char *id, size_t len)
{
    size_t before = g->str_ptr.n;
    tg_sym sym = len ? tg_graph_intern(g, id, len) : 0;

    return sym && sym < before ? ent_of(g, sym) : TG_NONE;
}

void tg_graph_find_entities(const tg_graph *g, size_t n, const char *const *ids,
                            const size_t *lens, tg_ent *out)
{
    enum { BATCH = 16 };
    uint64_t h[BATCH];
    tg_sym sym[BATCH];
    size_t at, k, m, mask = g->str_hash_cap - 1;

    for (at = 0; at < n; at += m, ids += m, lens += m, out += m) {
        m = n - at < BATCH ? n - at : BATCH;
        if (!g->str_hash_cap) {
            for (k = 0; k < m; k++)
                out[k] = TG_NONE;
            continue;
        }
        /* each step only prefetches; find_sym then runs on cached lines */
        for (k = 0; k < m; k++) {
            h[k] = str_hash(ids[k], lens[k]);
            __builtin_prefetch(&g->str_hash_slots[h[k] & mask]);
            if (g->str_hash_tags)
                __builtin_prefetch(&g->str_hash_tags[h[k] & mask]);
        }
        for (k = 0; k < m; k++) {
            if (tg_i_slot_ready(g, TG_I_STR_HASH, h[k] & mask))
                mask = g->str_hash_cap - 1; /* rebuilt: find_sym looks again */
            sym[k] = g->str_hash_slots[h[k] & mask];
            __builtin_prefetch(&TG_VEC_AT(&g->str_len, uint32_t, sym[k]));
            __builtin_prefetch(&TG_VEC_AT(&g->str_ptr, const char *, sym[k]));
        }
        for (k = 0; k < m; k++)
            if (sym[k])
                __builtin_prefetch(TG_VEC_AT(&g->str_ptr, const char *, sym[k]));
        for (k = 0; k < m; k++) {
            sym[k] = lens[k] ? find_sym(g, ids[k], lens[k], h[k]) : 0;
            if (sym[k])
                tg_u32map_prefetch(&g->ent_of_sym, sym[k]);
        }
        for (k = 0; k < m; k++)
            out[k] = sym[k] ? ent_of(g, sym[k]) : TG_NONE;
    }
}

tg_status tg_graph_add_entity(tg_graph *g, const char *id, size_t len, tg_ent *out,
                              tg_error *err)
{
    tg_sym sym;
    tg_ent e = (tg_ent)g->ent_id.n;
    uint32_t empty = 0;

    if (len == 0)
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "an entity id must not be empty");
    if (g->ent_id.n >= TG_NONE - 1)
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "too many entities");
    sym = tg_graph_intern(g, id, len);
    if (!sym)
        return nomem(err);
    /* a put that grows the map reads every slot: all pages first */
    if (2 * (g->ent_of_sym.n + 1) > g->ent_of_sym.cap && tg_i_pages_load_all(g) != 0)
        return nomem(err);
    tg_i_ent_map_ready(g, sym);
    if (tg_u32map_get(&g->ent_of_sym, sym) != TG_NONE)
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "entity id \"%.*s\" exists already",
                            (int)(len > 200 ? 200 : len), id);
    if (tg_vec_reserve(&g->ent_id, sizeof(tg_sym), e + 1) != 0 ||
        tg_vec_reserve(&g->ent_lset, sizeof(uint32_t), e + 1) != 0 ||
        tg_u32map_put(&g->ent_of_sym, sym, e) != 0)
        return nomem(err);
    tg_vec_push(&g->ent_id, sizeof(tg_sym), &sym);
    tg_vec_push(&g->ent_lset, sizeof(uint32_t), &empty);
    TG_VEC_AT(&g->lset_uses, uint32_t, 0)++;
    tg_i_graph_invalidate(g, TG_I_CHANGE_ENTITIES);
    g->generation++;
    if (out)
        *out = e;
    return TG_OK;
}

tg_sym tg_graph_entity_id(const tg_graph *g, tg_ent e)
{
    if (e >= g->ent_id.n)
        return 0;
    tg_i_ent_ready(g, e);
    return TG_VEC_AT(&g->ent_id, tg_sym, e);
}

size_t tg_graph_labels(const tg_graph *g, tg_ent e, const tg_sym **labels)
{
    uint32_t set, a, b;

    if (e >= g->ent_lset.n) {
        *labels = NULL;
        return 0;
    }
    tg_i_ent_ready(g, e);
    set = TG_VEC_AT(&g->ent_lset, uint32_t, e);
    a = TG_VEC_AT(&g->lset_off, uint32_t, set);
    b = TG_VEC_AT(&g->lset_off, uint32_t, set + 1);
    /* The empty set may have no storage behind it at all. */
    *labels = b > a ? (const tg_sym *)g->lset_labels.a + a : NULL;
    return b - a;
}

int tg_graph_has_label(const tg_graph *g, tg_ent e, tg_sym label)
{
    const tg_sym *ls;
    size_t n = tg_graph_labels(g, e, &ls), i;

    for (i = 0; i < n; i++)
        if (ls[i] == label)
            return 1;
    return 0;
}

static uint32_t fold(uint64_t h)
{
    uint32_t x = (uint32_t)(h ^ (h >> 32));

    return x == EMPTY32 ? 0 : x;
}

uint32_t tg_i_graph_labelset(tg_graph *g, const tg_sym *labels, size_t n)
{
    uint32_t h = fold(tg_hash_bytes(labels, n * sizeof *labels, 0x6c73));
    uint32_t set = tg_u32map_get(&g->lset_of_hash, h), first = set;
    uint32_t nsets = (uint32_t)g->lset_off.n - 1, end;

    if (n == 0)
        return 0;
    for (; set != EMPTY32; set = TG_VEC_AT(&g->lset_next, uint32_t, set)) {
        uint32_t a = TG_VEC_AT(&g->lset_off, uint32_t, set);
        uint32_t b = TG_VEC_AT(&g->lset_off, uint32_t, set + 1);
        if (b - a == n && memcmp((tg_sym *)g->lset_labels.a + a, labels, n * sizeof *labels) == 0) {
            if (set == nsets - 1)
                g->lset_owner = TG_NONE; /* shared now */
            return set;
        }
    }
    if (g->lset_labels.n + n >= 0xFFFFFFF0u) /* offsets are 32 bits */
        return TG_NONE;
    if (tg_vec_reserve(&g->lset_labels, sizeof(tg_sym), g->lset_labels.n + n) != 0 ||
        tg_vec_reserve(&g->lset_off, sizeof(uint32_t), g->lset_off.n + 1) != 0 ||
        tg_vec_reserve(&g->lset_next, sizeof(uint32_t), g->lset_next.n + 1) != 0 ||
        tg_vec_reserve(&g->lset_uses, sizeof(uint32_t), nsets + 1) != 0 ||
        tg_u32map_put(&g->lset_of_hash, h, nsets) != 0)
        return TG_NONE;
    memcpy((tg_sym *)g->lset_labels.a + g->lset_labels.n, labels, n * sizeof *labels);
    g->lset_labels.n += n;
    end = (uint32_t)g->lset_labels.n;
    tg_vec_push(&g->lset_off, sizeof end, &end);
    tg_vec_push(&g->lset_next, sizeof first, &first);
    g->lset_uses.n = nsets; /* a popped set's count may linger past n */
    tg_vec_push(&g->lset_uses, sizeof(uint32_t), &(uint32_t){0});
    return nsets;
}

/* Drops the last label set (nobody uses it). Cannot fail. */
static void pop_last_set(tg_graph *g)
{
    uint32_t last = (uint32_t)g->lset_off.n - 2;
    uint32_t a = TG_VEC_AT(&g->lset_off, uint32_t, last);
    uint32_t h = fold(tg_hash_bytes((tg_sym *)g->lset_labels.a + a,
                                    (g->lset_labels.n - a) * sizeof(tg_sym), 0x6c73));
    uint32_t prev = TG_VEC_AT(&g->lset_next, uint32_t, last);

    if (tg_u32map_get(&g->lset_of_hash, h) == last) {
        if (prev == EMPTY32)
            tg_u32map_del(&g->lset_of_hash, h);
        else
            tg_u32map_put(&g->lset_of_hash, h, prev); /* the key is there: no growth */
    }
    g->lset_labels.n = a;
    g->lset_off.n--;
    g->lset_next.n--;
    g->lset_uses.n = last; /* nobody uses it */
    g->lset_owner = TG_NONE;
}

/* Moves e to the label set of its labels with label added (add != 0) or
 * removed; the caller has checked that this changes the set. When e's set
 * was made for e alone and is the last one, it is replaced rather than left
 * behind: an entity given its labels one at a time costs one set, not one
 * per label. */
static tg_status relabel(tg_graph *g, tg_ent e, tg_sym label, int add, tg_error *err)
{
    const tg_sym *cur;
    tg_sym buf[64], *tmp = buf;
    size_t n = tg_graph_labels(g, e, &cur), i, j; /* e is ready */
    uint32_t set, old = TG_VEC_AT(&g->ent_lset, uint32_t, e);
    tg_status st = TG_OK;
    size_t nsets;
    int reuse;

    if (add && n + 1 > TG_MAX_LABELS) {
        size_t len;
        const char *id = tg_graph_str(g, TG_VEC_AT(&g->ent_id, tg_sym, e), &len);
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                            "entity \"%.*s\" would carry more than %d labels, the most one "
                            "entity may have",
                            (int)(len > 200 ? 200 : len), id, TG_MAX_LABELS);
    }
    if (g->lset_labels.n + n + 1 >= 0xFFFFFFF0u)
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                            "the graph's label sets would hold more than 4 billion labels");
    if (n + 1 > sizeof buf / sizeof buf[0] && !(tmp = malloc((n + 1) * sizeof *tmp)))
        return nomem(err);
    /* Replacing e's own last set: room first, so that after the pop the new
     * set goes in without allocating (nothing can fail half-way). */
    reuse = old != 0 && old + 2 == g->lset_off.n && g->lset_owner == e &&
            tg_vec_reserve(&g->lset_labels, sizeof(tg_sym), g->lset_labels.n + n + 1) == 0 &&
            tg_vec_reserve(&g->lset_off, sizeof(uint32_t), g->lset_off.n + 1) == 0 &&
            tg_vec_reserve(&g->lset_next, sizeof(uint32_t), g->lset_next.n + 1) == 0 &&
            tg_u32map_reserve(&g->lset_of_hash, g->lset_of_hash.n + 1) == 0;
    n = tg_graph_labels(g, e, &cur); /* the reserve may have moved the labels */
    for (i = 0, j = 0; i < n; i++) { /* sorted by symbol, as the set keeps them */
        if (add && cur[i] > label && (j == i))
            tmp[j++] = label;
        if (add || cur[i] != label)
            tmp[j++] = cur[i];
    }
    if (add && j == n)
        tmp[j++] = label;
    /* e leaves its set first: a popped set then has no user, and one made
     * again at its place starts from nobody */
    tg_i_ent_set_lset(g, e, 0);
    if (reuse)
        pop_last_set(g);
    nsets = g->lset_off.n;
    set = tg_i_graph_labelset(g, tmp, j);
    if (set == TG_NONE) {
        tg_i_ent_set_lset(g, e, old); /* not popped: reuse cannot fail */
        st = nomem(err);
        goto done;
    }
    if (g->lset_off.n > nsets)
        g->lset_owner = e; /* made for e just now */
    tg_i_ent_set_lset(g, e, set);
    tg_i_graph_invalidate(g, TG_I_CHANGE_LABELS);
    tg_i_note_relabel(g, e);
    g->generation++;
done:
    if (tmp != buf)
        free(tmp);
    return st;
}

tg_status tg_graph_add_label(tg_graph *g, tg_ent e, tg_sym label, tg_error *err)
{
    if (!tg_graph_entity_is_live(g, e) || label == 0 || label >= g->str_ptr.n)
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "no such entity or label");
    return tg_graph_has_label(g, e, label) ? TG_OK : relabel(g, e, label, 1, err);
}

tg_status tg_graph_remove_label(tg_graph *g, tg_ent e, tg_sym label, tg_error *err)
{
    if (!tg_graph_entity_is_live(g, e))
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "no such entity");
    return tg_graph_has_label(g, e, label) ? relabel(g, e, label, 0, err) : TG_OK;
}

int tg_i_set_bit(tg_vec *bits, size_t i)
{
    size_t w = i / 64;

    if (w >= bits->n) {
        if (tg_vec_reserve(bits, sizeof(uint64_t), w + 1) != 0)
            return -1;
        memset((uint64_t *)bits->a + bits->n, 0, (w + 1 - bits->n) * sizeof(uint64_t));
        bits->n = w + 1;
    }
    ((uint64_t *)bits->a)[w] |= (uint64_t)1 << (i % 64);
    return 0;
}

tg_status tg_graph_delete_entity(tg_graph *g, tg_ent e, int detach, tg_error *err)
{
    const tg_sym *labels;
    size_t nlabels, i, live = 0;
    tg_sym id;
    tg_rel *rs = NULL;
    size_t nrs = 0;

    if (e >= g->ent_id.n)
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "no such entity (index %u)", e);
    if (tg_i_bit(&g->ent_dead, e))
        return TG_OK;
    id = tg_graph_entity_id(g, e);
    /* Room for the tombstone first: past this point nothing can fail. */
    if (tg_vec_reserve(&g->ent_dead, sizeof(uint64_t), e / 64 + 1) != 0)
        return nomem(err);
    if (tg_graph_incident(g, e, &rs, &nrs) != 0)
        return g->src.st != TG_OK ? tg_graph_status(g, err) : nomem(err);
    for (i = 0; i < nrs; i++) {
        size_t j;
        if (tg_i_bit(&g->rel_dead, rs[i]))
            continue;
        /* a self-loop is listed twice: count it once */
        if (tg_graph_rel_from(g, rs[i]) == tg_graph_rel_to(g, rs[i])) {
            for (j = 0; j < i && rs[j] != rs[i]; j++)
                ;
            if (j < i)
                continue;
        }
        live++;
    }
    if (live && !detach) {
        size_t len;
        const char *s = tg_graph_str(g, id, &len);
        free(rs);
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                            "cannot delete entity \"%.*s\": it still has %zu %s; delete %s "
                            "first or use DETACH DELETE",
                            (int)(len > 200 ? 200 : len), s, live,
                            live == 1 ? "relation" : "relations", live == 1 ? "it" : "them");
    }
    if (live && tg_vec_reserve(&g->rel_dead, sizeof(uint64_t), tg_i_nrel(g) / 64 + 1) != 0) {
        free(rs);
        return nomem(err);
    }
    for (i = 0; i < nrs; i++)
        tg_graph_delete_relation(g, rs[i], NULL); /* reserved: cannot fail */
    free(rs);
    /* Label bitmaps are cleared here; the label CSR is filtered on next read. */
    nlabels = tg_graph_labels(g, e, &labels);
    if (g->lazy.labels_ok) {
        for (i = 0; i < nlabels; i++) {
            uint32_t slot = tg_u32map_get(&g->lazy.label_slot, labels[i]);
            if (slot < g->lazy.label_bits.n && TG_VEC_AT(&g->lazy.label_bits, uint64_t *, slot))
                TG_VEC_AT(&g->lazy.label_bits, uint64_t *, slot)[e / 64] &=
                    ~((uint64_t)1 << (e % 64));
        }
        g->lazy.labels_dirty |= nlabels > 0;
    }
    tg_i_ent_set_lset(g, e, 0);
    tg_i_ent_map_ready(g, id);
    tg_u32map_del(&g->ent_of_sym, id);
    tg_i_set_bit(&g->ent_dead, e); /* reserved above */
    g->ndead_ent++;
    tg_i_note_dead(g, TG_ENTITY, e);
    tg_i_graph_drop_igraph(g);
    g->generation++;
    return TG_OK;
}

/* ---- relations ----------------------------------------------------------- */

size_t tg_graph_relation_count(const tg_graph *g)
{
    return tg_i_nrel(g);
}

size_t tg_graph_live_relation_count(const tg_graph *g)
{
    return tg_i_nrel(g) - g->ndead_rel;
}

int tg_graph_relation_is_live(const tg_graph *g, tg_rel r)
{
    return r < tg_i_nrel(g) && !tg_i_bit(&g->rel_dead, r);
}

tg_status tg_graph_delete_relation(tg_graph *g, tg_rel r, tg_error *err)
{
    if (r >= tg_i_nrel(g))
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "no such relation (index %u)", r);
    if (tg_i_bit(&g->rel_dead, r))
        return TG_OK;
    if (tg_i_set_bit(&g->rel_dead, r) != 0)
        return nomem(err);
    g->ndead_rel++;
    tg_i_note_dead(g, TG_RELATION, r);
    g->lazy.types_dirty |= g->lazy.types_ok;
    g->lazy.adj_dirty |= g->lazy.adj_ok;
    tg_i_graph_drop_igraph(g);
    g->generation++;
    return TG_OK;
}

tg_status tg_graph_add_relation(tg_graph *g, tg_ent from, tg_ent to, tg_sym type,
                                tg_rel *out, tg_error *err)
{
    size_t r = tg_i_nrel(g), n = g->rel_from.n; /* the vectors may hold only a tail */

    if (!tg_graph_entity_is_live(g, from) || !tg_graph_entity_is_live(g, to))
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                            "relation endpoint is not an entity (or was deleted)");
    if (type == 0 || type >= g->str_ptr.n)
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "a relation needs a type");
    if (r >= TG_NONE - 1)
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "too many relations");
    if (tg_vec_reserve(&g->rel_from, sizeof(tg_ent), n + 1) != 0 ||
        tg_vec_reserve(&g->rel_to, sizeof(tg_ent), n + 1) != 0 ||
        tg_vec_reserve(&g->rel_type, sizeof(tg_sym), n + 1) != 0)
        return nomem(err);
    tg_vec_push(&g->rel_from, sizeof(tg_ent), &from);
    tg_vec_push(&g->rel_to, sizeof(tg_ent), &to);
    tg_vec_push(&g->rel_type, sizeof(tg_sym), &type);
    tg_i_graph_invalidate(g, TG_I_CHANGE_RELATIONS);
    g->generation++;
    if (out)
        *out = (tg_rel)r;
    return TG_OK;
}

/* The slot of relation r in the relation vectors, loading them when r is
 * in the part still in the store; (size_t)-1 when there is no such r. The
 * graph is logically const: loading only fills a cache. */
static size_t rel_slot(const tg_graph *g, tg_rel r)
{
    if (r >= tg_i_nrel(g))
        return (size_t)-1;
    if (r < g->src.rel_base && tg_i_rels((tg_graph *)g) != 0 && r < g->src.rel_base)
        return (size_t)-1;
    return r - g->src.rel_base;
}

tg_ent tg_graph_rel_from(const tg_graph *g, tg_rel r)
{
    size_t i = rel_slot(g, r);
    return i != (size_t)-1 ? TG_VEC_AT(&g->rel_from, tg_ent, i) : TG_NONE;
}

tg_ent tg_graph_rel_to(const tg_graph *g, tg_rel r)
{
    size_t i = rel_slot(g, r);
    return i != (size_t)-1 ? TG_VEC_AT(&g->rel_to, tg_ent, i) : TG_NONE;
}

tg_sym tg_graph_rel_type(const tg_graph *g, tg_rel r)
{
    size_t i = rel_slot(g, r);
    return i != (size_t)-1 ? TG_VEC_AT(&g->rel_type, tg_sym, i) : 0;
}

/* ---- sources ------------------------------------------------------------- */

size_t tg_graph_source_count(const tg_graph *g)
{
    return g->sources.n;
}

uint32_t tg_graph_find_source(const tg_graph *g, tg_sym id)
{
    return tg_u32map_get(&g->src_of_sym, id);
}

tg_sym tg_graph_source_id(const tg_graph *g, uint32_t s)
{
    return s < g->sources.n ? TG_VEC_AT(&g->sources, tg_source_rec, s).id : 0;
}

size_t tg_graph_source_fields(const tg_graph *g, uint32_t s, const tg_source_field **out)
{
    const tg_source_rec *rec;

    if (s >= g->sources.n) {
        *out = NULL;
        return 0;
    }
    rec = &TG_VEC_AT(&g->sources, tg_source_rec, s);
    /* no field at all yet: the array is NULL, and NULL + 0 is undefined */
    *out = rec->n ? (const tg_source_field *)g->src_fields.a + rec->off : NULL;
    return rec->n;
}

tg_status tg_graph_put_source(tg_graph *g, tg_sym id, const tg_source_field *fields,
                              size_t nfields, uint32_t *out, tg_error *err)
{
    uint32_t s = tg_graph_find_source(g, id);
    const tg_source_field *old = NULL;
    size_t nold = 0, i, j, start = g->src_fields.n;
    tg_source_rec rec;

    if (id == 0 || id >= g->str_ptr.n)
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "a source needs an id");
    if (s != TG_NONE) {
        nold = tg_graph_source_fields(g, s, &old);
        for (j = 0; j < nfields; j++) {
            for (i = 0; i < nold && old[i].key != fields[j].key; i++)
                ;
            if (i == nold || old[i].value != fields[j].value)
                break;
        }
        if (j == nfields) { /* every field already has this value */
            if (out)
                *out = s;
            return TG_OK;
        }
    }
    if (tg_vec_reserve(&g->src_fields, sizeof(tg_source_field), start + nold + nfields) != 0)
        return nomem(err);
    if (s != TG_NONE) /* the reserve may have moved the old fields */
        nold = tg_graph_source_fields(g, s, &old);
    /* Old fields not overridden, then the new ones: newer wins. The record
     * is rewritten at the end of the field array; the old copy is garbage
     * until the next save compacts nothing (sources are few). */
    for (i = 0; i < nold; i++) {
        int replaced = 0;
        for (j = 0; j < nfields; j++)
            replaced |= fields[j].key == old[i].key;
        if (!replaced)
            tg_vec_push(&g->src_fields, sizeof(tg_source_field), &old[i]);
    }
    for (j = 0; j < nfields; j++) {
        size_t k;
        int dup = 0;
        for (k = j + 1; k < nfields; k++)
            dup |= fields[k].key == fields[j].key;
        if (!dup)
            tg_vec_push(&g->src_fields, sizeof(tg_source_field), &fields[j]);
    }
    g->generation++;
    rec.id = id;
    if (s != TG_NONE)
        tg_i_note_source(g, s);
    rec.off = (uint32_t)start;
    rec.n = (uint32_t)(g->src_fields.n - start);
    if (s == TG_NONE) {
        s = (uint32_t)g->sources.n;
        if (tg_vec_push(&g->sources, sizeof rec, &rec) != 0 ||
            tg_u32map_put(&g->src_of_sym, id, s) != 0)
            return nomem(err);
    } else {
        TG_VEC_AT(&g->sources, tg_source_rec, s) = rec;
    }
    if (out)
        *out = s;
    return TG_OK;
}
