/* graph_internal.h — the tg_graph struct, shared by the engine's files.
 *
 * Invariants:
 * - syms: str_off/str_len have one entry per symbol; symbol 0 is "".
 *   String bytes live in `pool_chunks`; a string never moves once interned.
 * - entities: ent_id and ent_lset have entity_count entries; ent_of_sym maps
 *   an id symbol to its entity.
 * - labelsets: lset_off has nlsets + 1 entries; the labels of set k are
 *   lset_labels[lset_off[k] .. lset_off[k+1]), sorted ascending by symbol,
 *   without duplicates. Set 0 is the empty set.
 * - relations: rel_from, rel_to, rel_type have relation_count entries.
 * - columns: per side, col_key[k] is the key of column k; its rows are
 *   strictly ascending; vals[i] is the value of rows[i], never TG_V_NULL,
 *   with padding bytes zeroed (segments are written as raw memory).
 * - lists: list_pool holds list elements; identical lists share storage.
 * - deletion: ent_dead / rel_dead are bitmaps (bit i of word i / 64) of
 *   tombstones, possibly shorter than the item count (missing words are
 *   live); ndead_ent / ndead_rel count their set bits. A dead entity has
 *   label set 0, is absent from ent_of_sym and has no live relation; a dead
 *   item's rows may linger in property columns but read as absent. Indexes
 *   are never reused: compaction happens only in the store.
 * - every derived structure (the `lazy` part) can be dropped and rebuilt
 *   from the rest at any time. A deletion does not drop them: it marks them
 *   dirty, and the next accessor filters the dead items out in one pass, so
 *   a batch of k deletions costs O(k * degree + V + E), not k rebuilds.
 */
#ifndef TG_GRAPH_INTERNAL_H
#define TG_GRAPH_INTERNAL_H

#include "graph.h"
#include "tgvec.h"

/* A property column. While `pending`, its base part is still in the store
 * (fetched on first need by tg_i_column_load): rows/vals then hold only the
 * tail, rows greater than `last`, the last row the base part and the queued
 * replays can hold; a set or get above `last` works on the tail alone. */
typedef struct tg_column {
    tg_sym key;
    tg_vec rows; /* uint32_t */
    tg_vec vals; /* tg_pval */
    int pending;
    uint32_t base_k;    /* the column's number in the base segments (e.<k>.rows) */
    uint32_t base_n;    /* rows in the base part */
    uint32_t last;      /* see above */
    tg_vec queue;       /* tg_i_replay: changes replayed, or made, before the base
                           part came (tg_graph_set_prop queues a change of a row
                           the base part may hold rather than load it) */
    /* rows of the base part read one at a time while pending (a seek needs
     * one value, not the column): TG_I_PROBES at most, then the column is
     * loaded whole. Kept until the graph is freed, so that a value handed
     * out stays where it is. */
    struct tg_i_probe *probes;
    uint32_t nprobes;
} tg_column;

#define TG_I_PROBES 32
#define TG_I_QUEUE_MAX 4096 /* changes queued on a pending column, then it is loaded */
typedef struct tg_i_probe {
    uint32_t row;
    int hit;  /* the row has a value: v */
    tg_pval v;
} tg_i_probe;

/* A replayed property change waiting for its column's base part. */
typedef struct tg_i_replay {
    uint32_t row;
    uint32_t seq; /* order of arrival: the later change of a row wins */
    tg_pval v;    /* type TG_V_NULL: removed */
} tg_i_replay;



typedef struct tg_side_props {
    tg_vec cols;          /* tg_column */
    tg_u32map col_of_key; /* key sym -> column index */
    tg_vec keys_sorted;   /* tg_sym, by name; lazily rebuilt (n == 0: stale) */
} tg_side_props;

/* A CSR grouping: members of group k are items[off[k] .. off[k+1]).
 * Adjacency lists also carry, parallel to items, the entity at the other
 * end (nbr) and the type slot (tslot) of each relation, so a hop reads one
 * contiguous stretch of memory instead of jumping into the relation arrays. */
typedef struct tg_csr {
    uint32_t *off;
    uint32_t *items;
    uint32_t *nbr;   /* adjacency only */
    uint32_t *tslot; /* adjacency only */
    size_t ngroups;
} tg_csr;

/* A lazily built equality index over one entity property key. */
typedef struct tg_value_index {
    tg_sym key;
    uint64_t *hashes; /* sorted */
    uint32_t *ents;   /* parallel to hashes */
    size_t n;
} tg_value_index;

typedef struct tg_source_rec {
    tg_sym id;
    uint32_t off; /* into src_fields */
    uint32_t n;
} tg_source_rec;

struct tg_graph {
    uint64_t generation; /* see tg_graph_generation */

    /* lazily loaded parts (serial.c): the relation arrays and the property
     * columns stay in the store until first needed */
    struct {
        tg_segment_source fetch; /* NULL: everything is in memory */
        void *ctx;
        void (*release)(void *ctx);
        size_t rel_base; /* relations [0, rel_base) are not loaded yet; the
                            relation vectors hold rel_base .. count-1 */
        size_t ent_base; /* entities in the store's base: the relations not
                            loaded yet join only these */
        tg_status st;    /* the first failure of a lazy load, sticky */
        char msg[TG_ERROR_MSG_MAX];
        tg_segment_reader read; /* pages of the hash tables (NULL: none) */
        /* a bit per page of TG_I_PAGE slots of str_hash_slots / ent_of_sym
         * read so far; NULL: the whole table is in memory */
        uint64_t *pages[2];
        /* strings [0, str_base) are the base's: one whose str_ptr is NULL
         * is not read yet (tg_i_str); str_blocks holds the pages read */
        tg_string_reader strings;
        size_t str_base;
        tg_vec str_blocks; /* char * */
        /* a bit per page of TG_I_ENT_PAGE entities [0, ent_base) whose
         * ent_id / ent_lset are read; NULL: all in memory (tg_i_ent_ready) */
        uint64_t *ent_pages;
    } src;

    /* changes since the last mark (persist.c), for the store's deltas */
    struct {
        size_t nstr, nent, nrel, nsrc; /* counts at the mark */
        tg_vec relabelled;             /* tg_ent < nent */
        tg_vec dead[2];                /* uint32_t items < nent / nrel */
        tg_vec props;                  /* tg_prop_ref of items older than the mark */
        tg_vec sources;                /* uint32_t < nsrc */
        int replaying;                 /* replays are not changes */
        int lost;                      /* a change could not be recorded (memory) */
    } mark;
    /* strings */
    tg_vec pool_chunks; /* char * */
    size_t chunk_used, chunk_cap;
    tg_vec str_ptr;  /* const char * */
    tg_vec str_len;  /* uint32_t */
    uint32_t *str_hash_slots; /* open addressing over symbols, 0 = empty */
    uint8_t *str_hash_tags;   /* the top byte of each full slot's hash, so that a probe
                                 compares a string only when it may match; NULL for
                                 a table read from the store (until it is rebuilt) */
    size_t str_hash_cap;

    /* entities */
    tg_vec ent_id;   /* tg_sym */
    tg_vec ent_lset; /* uint32_t */
    tg_u32map ent_of_sym;

    /* labelsets */
    tg_vec lset_off;    /* uint32_t, nlsets + 1 */
    tg_vec lset_labels; /* tg_sym */
    tg_u32map lset_of_hash; /* folded hash -> first set with that hash */
    tg_vec lset_next;       /* uint32_t: next set in the same hash chain */
    tg_vec lset_uses;       /* uint32_t, nlsets: entities in each set (the
                               dead are in set 0), so that the labels in use
                               are known without reading every entity */
    tg_ent lset_owner;      /* the entity the last set was made for, while no
                               other entity uses it (TG_NONE: unknown): its
                               next relabel replaces the set instead of
                               leaving it behind, so that adding labels one
                               at a time keeps no intermediate sets */

    /* relations */
    tg_vec rel_from, rel_to; /* tg_ent */
    tg_vec rel_type;         /* tg_sym */

    /* tombstones */
    tg_vec ent_dead, rel_dead; /* uint64_t bitmaps */
    size_t ndead_ent, ndead_rel;

    /* properties */
    tg_side_props props[2];
    tg_vec list_pool;        /* tg_pval */
    tg_u32map list_of_hash;  /* folded hash -> list offset (dedup) */

    /* sources */
    tg_vec sources;    /* tg_source_rec */
    tg_vec src_fields; /* tg_source_field */
    tg_u32map src_of_sym;

    /* lazy, derived; dropped by mutation */
    struct {
        int labels_ok, types_ok, adj_ok;
        int labels_dirty, types_dirty, adj_dirty; /* hold dead members */
        tg_csr labels;        /* group k = entities of label all_labels[k] */
        tg_vec all_labels;    /* tg_sym, sorted by name */
        tg_u32map label_slot; /* label sym -> group */
        tg_csr types;
        tg_vec all_types;
        tg_u32map type_slot;
        tg_csr out, in; /* group = entity, items = relations */
        tg_vec label_bits;  /* uint64_t *, one bitmap per label slot, NULL until built */
        tg_vec vindex; /* tg_value_index */
        tg_vec scratch; /* tg_ent, for find_by_prop results with collisions */
        void *igraph;   /* igraph_t *, see graph_igraph.c */
        int incident_scans; /* tg_graph_incident's passes without the adjacency */
    } lazy;
};

/* Drops the derived structures that a change of this kind invalidates. */
enum { TG_I_CHANGE_ENTITIES = 1, TG_I_CHANGE_LABELS = 2, TG_I_CHANGE_RELATIONS = 4,
       TG_I_CHANGE_PROPS = 8 };
void tg_i_graph_invalidate(tg_graph *g, int what);

/* Whether bit i of a tombstone bitmap is set. */
static inline int tg_i_bit(const tg_vec *bits, size_t i)
{
    return i / 64 < bits->n && ((((const uint64_t *)bits->a)[i / 64] >> (i % 64)) & 1u);
}

/* The number of relations (loaded or not). */
static inline size_t tg_i_nrel(const tg_graph *g)
{
    return g->src.rel_base + g->rel_from.n;
}

/* Brings the relation arrays into memory if they are not (serial.c). 0, or
 * -1 after a failure, which is recorded in g->src and leaves the relations
 * that were not loaded as deleted (so that nothing reads garbage). */
int tg_i_rels(tg_graph *g);

/* Brings column k of side into memory if it is pending (serial.c); 0 or -1
 * as tg_i_rels. */
int tg_i_column_load(tg_graph *g, tg_side side, size_t k);

/* The value of row in pending column k of side, read alone (serial.c):
 * 0 and *out (NULL when the row has none), 1 when the column should be
 * loaded whole instead, -1 after a failure (recorded). */
int tg_i_column_probe(tg_graph *g, tg_side side, size_t k, uint32_t row, const tg_pval **out);

/* Records a failure of a lazy load (the first one sticks). */
void tg_i_lazy_fail(tg_graph *g, tg_status st, const char *what);

/* The hash tables read a page at a time (tg_graph_open_segments_paged):
 * table TG_I_STR_HASH is str_hash_slots, TG_I_ENT_MAP is ent_of_sym. Every
 * read or write of a slot is preceded by tg_i_slot_ready. */
#define TG_I_PAGE_SHIFT 12 /* 4096 slots a page */
enum { TG_I_STR_HASH = 0, TG_I_ENT_MAP = 1 };

/* Reads page of table (serial.c). Returns 1 when the table was rebuilt
 * instead (a page could not be read or was invalid): slot indexes taken
 * before are void, the lookup starts again. 0 otherwise. */
int tg_i_page_load(tg_graph *g, int table, size_t page);

/* Reads every page not read yet: 0, or -1 when out of memory (serial.c). */
int tg_i_pages_load_all(tg_graph *g);

static inline int tg_i_slot_ready(const tg_graph *g, int table, size_t slot)
{
    const uint64_t *b = g->src.pages[table];
    size_t page = slot >> TG_I_PAGE_SHIFT;

    if (!b || (b[page >> 6] >> (page & 63) & 1))
        return 0;
    return tg_i_page_load((tg_graph *)g, table, page);
}

/* The base's strings and entities, a page at a time (serial.c). */
#define TG_I_STR_PAGE_SHIFT 8  /* 256 strings a page */
#define TG_I_ENT_PAGE_SHIFT 12 /* 4096 entities a page */

/* Reads the page of strings that holds sym (not read yet) and returns its
 * bytes; a page that cannot be read is a lazy failure, its strings "". */
const char *tg_i_str_page_load(const tg_graph *g, tg_sym sym);

/* The bytes and length of interned string sym (< str_ptr.n), read from the
 * store first if they are not in memory yet. */
static inline const char *tg_i_str(const tg_graph *g, tg_sym sym, size_t *len)
{
    const char *p = ((const char *const *)g->str_ptr.a)[sym];

    if (__builtin_expect(p == NULL, 0))
        p = tg_i_str_page_load(g, sym);
    *len = ((const uint32_t *)g->str_len.a)[sym];
    return p;
}

/* Reads the page of entities page (not read yet). */
void tg_i_ent_page_load(const tg_graph *g, size_t page);

/* Makes ent_id[e] and ent_lset[e] readable (e < ent_id.n). */
static inline void tg_i_ent_ready(const tg_graph *g, tg_ent e)
{
    const uint64_t *b = g->src.ent_pages;
    size_t page = (size_t)e >> TG_I_ENT_PAGE_SHIFT;

    if (__builtin_expect(b != NULL, 0) && e < g->src.ent_base && !(b[page >> 6] >> (page & 63) & 1))
        tg_i_ent_page_load(g, page);
}

/* Reads every string / entity not read yet: 0, or -1 after a failure
 * (recorded in g->src). */
int tg_i_strings_load_all(tg_graph *g);
int tg_i_ents_load_all(tg_graph *g);

/* Moves entity e (ready) to label set set, keeping lset_uses. */
static inline void tg_i_ent_set_lset(tg_graph *g, tg_ent e, uint32_t set)
{
    uint32_t *ls, *uses = g->lset_uses.a;

    tg_i_ent_ready(g, e); /* a page read later must not undo the change */
    ls = g->ent_lset.a;
    uses[ls[e]]--;
    uses[set]++;
    ls[e] = set;
}

/* Rebuilds the id map from the entities (serial.c); a failure is recorded
 * as a lazy one (tg_graph_status). */
void tg_i_ent_map_rebuild(tg_graph *g);

/* Makes the slots an id map operation on key reads ready: the run from its
 * home slot to the first empty one (graph.c). */
void tg_i_ent_map_ready(const tg_graph *g, tg_sym key);

/* Change tracking (persist.c): record a change of an item older than the
 * mark. No-ops while replaying. */
void tg_i_note_relabel(tg_graph *g, tg_ent e);
void tg_i_note_dead(tg_graph *g, tg_side side, uint32_t item);
void tg_i_note_prop(tg_graph *g, tg_side side, uint32_t item, tg_sym key);
void tg_i_note_source(tg_graph *g, uint32_t s);

/* Frees the change lists (persist.c). */
void tg_i_marks_free(tg_graph *g);

/* Sets bit i of a tombstone bitmap, growing it to cover i. 0, or -1 when
 * out of memory (graph.c). */
int tg_i_set_bit(tg_vec *bits, size_t i);

/* Builds the adjacency (from live relations) unless it exists, without
 * filtering out relations deleted since: the deletion path reads it raw and
 * checks liveness itself (index.c). 0, or -1 when out of memory. */
int tg_i_graph_adjacency_raw(tg_graph *g);

/* Installs igraph's recording error handler (graph_igraph.c). */
void tg_i_igraph_init(void);

/* Frees the igraph_t cached in g->lazy.igraph (graph_igraph.c). */
void tg_i_graph_drop_igraph(tg_graph *g);

/* The hash the string table places a string by (graph.c). */
uint64_t tg_i_str_hash(const char *s, size_t len);

/* Rebuilds the string hash from str_ptr/str_len (after loading). */
int tg_i_graph_rehash_strings(tg_graph *g);

/* Finds or creates the labelset with these sorted labels. TG_NONE: no memory. */
uint32_t tg_i_graph_labelset(tg_graph *g, const tg_sym *labels, size_t n);

/* Whether a stored value is well formed for g: a known type, a string that
 * is interned, a list inside the pool (allow_list) (serial.c). */
int tg_i_pval_valid(const tg_graph *g, const tg_pval *v, int allow_list);

/* Hashes a property value (numbers: 1 and 1.0 hash alike) for indexes. */
uint64_t tg_i_pval_hash(const tg_graph *g, const tg_pval *v);

/* Cypher equality of two stored scalar or list values (1 == 1.0). */
int tg_i_pval_equal(const tg_graph *g, const tg_pval *a, const tg_pval *b);

/* Whether stored temporal v is well formed (temporal.c); for a datetime or
 * duration, that its four integers are in the list pool. */
int tg_i_temporal_check(const tg_graph *g, const tg_pval *v);
/* Whether values of this type live in the list pool as four integers. */
int tg_i_temporal_pooled(uint8_t type);

/* A copy of *v with padding and unused union bytes zeroed. */
tg_pval tg_i_pval_clean(const tg_pval *v);

#endif
