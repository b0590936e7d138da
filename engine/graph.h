/* graph.h — tiegraph's typed property multigraph.
 *
 * A directed multigraph of entities (nodes) and relations (edges), as in
 * DESIGN.md. Entities have a unique string id, a set of labels and
 * properties; relations have a type, a source and a target entity and
 * properties. Parallel relations and self-loops are kept.
 *
 * Representation (see docs/engine.md):
 * - every string (ids, labels, types, keys, string values) is interned once
 *   in a string pool and named by a tg_sym (uint32, 0 = "no string");
 * - entities and relations are dense indexes 0..n-1 (tg_ent, tg_rel) that
 *   never change once given out: a deletion leaves a tombstone, and only the
 *   store's compaction (tiegraph vacuum) renumbers;
 * - properties live in one column per key, a sorted sparse array of
 *   (row, value) pairs: no heap object per value;
 * - a list value points into the graph's list pool;
 * - derived structures (label index, type index, adjacency, the igraph_t,
 *   value indexes) are built on first use and dropped by any mutation.
 *
 * Ownership: the graph owns everything it returns. Pointers returned by an
 * accessor are borrowed and valid until the next mutation of the graph
 * (any tg_graph_add_* / _set_* / _delete_* / _remove_* call), unless stated
 * otherwise.
 *
 * Thread safety: none; one graph, one thread.
 */
#ifndef TG_GRAPH_H
#define TG_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "tg_error.h"

typedef struct tg_graph tg_graph;

typedef uint32_t tg_sym; /* interned string; 0 is "none" */
typedef uint32_t tg_ent; /* entity index */
typedef uint32_t tg_rel; /* relation index */

#define TG_NONE ((uint32_t)0xFFFFFFFFu) /* "no entity / no relation" */

/* ---- property values --------------------------------------------------- */

typedef enum tg_vtype {
    TG_V_NULL = 0, /* absent; never stored */
    TG_V_BOOL,
    TG_V_INT,
    TG_V_FLOAT,
    TG_V_STRING,
    TG_V_LIST, /* a homogeneous list of one of the other types (not of lists) */
    /* the temporal types (engine/temporal.h: make and read them with
       tg_graph_make_temporal / tg_graph_temporal) */
    TG_V_DATE,
    TG_V_LOCALTIME,
    TG_V_TIME,
    TG_V_LOCALDATETIME,
    TG_V_DATETIME,
    TG_V_DURATION
} tg_vtype;

/* A stored property value, 16 bytes, no heap of its own.
 * For TG_V_STRING, u.s is the interned string.
 * For TG_V_LIST, u.list is the offset of the first element in the graph's
 * list pool, len the number of elements, elem the element type (TG_V_NULL
 * for the empty list); read the elements with tg_graph_list.
 * The temporal types pack their fields into u and len, or (datetime,
 * duration) point into the list pool like a list of four integers; their
 * layout is private to engine/temporal.c. */
typedef struct tg_pval {
    uint8_t type; /* tg_vtype */
    uint8_t elem; /* for lists: element tg_vtype */
    uint32_t len; /* for lists: number of elements */
    union {
        int b;
        int64_t i;
        double f;
        tg_sym s;
        uint32_t list;
    } u;
} tg_pval;

/* ---- life cycle ---------------------------------------------------------- */

/* Returns a new empty graph (owned: free with tg_graph_free), NULL when out
 * of memory. */
tg_graph *tg_graph_new(void);

/* Frees the graph and everything it owns. Accepts NULL. */
void tg_graph_free(tg_graph *g);

/* A counter that every effective change of the graph increases (a set that
 * stores an equal value, or a label the entity has, changes nothing). The
 * store compares it before and after an import to skip a no-op write. */
uint64_t tg_graph_generation(const tg_graph *g);

/* ---- strings ------------------------------------------------------------- */

/* Interns s[0..len) (may contain NUL bytes) and returns its symbol. The empty
 * string is symbol 0 (tg_graph_str gives "" for it, and it is a valid string
 * value); for len > 0, 0 means out of memory. O(len) expected. */
tg_sym tg_graph_intern(tg_graph *g, const char *s, size_t len);

/* The number of interned strings: symbols are 0 .. count-1, in the order
 * they were first interned. O(1). */
size_t tg_graph_str_count(const tg_graph *g);

/* The symbol of s[0..len) if it is interned, else 0. Does not mutate. */
tg_sym tg_graph_sym(const tg_graph *g, const char *s, size_t len);

/* The bytes of sym, NUL-terminated, length in *len (may be NULL).
 * Returns borrowed memory valid until the graph is freed: the pool is
 * chunked, so interning more strings never moves one already interned.
 * Returns "" for 0. */
const char *tg_graph_str(const tg_graph *g, tg_sym sym, size_t *len);

/* ---- entities ------------------------------------------------------------ */

/* The bound of entity indexes (slots, live or deleted): valid indexes are
 * 0 .. count-1; test each with tg_graph_entity_is_live when the graph may
 * hold deletions. O(1). */
size_t tg_graph_entity_count(const tg_graph *g);

/* The number of entities that are not deleted. O(1). */
size_t tg_graph_live_entity_count(const tg_graph *g);

/* Whether e is an entity index that is not deleted. O(1). */
int tg_graph_entity_is_live(const tg_graph *g, tg_ent e);

/* The entity with this id, or TG_NONE. O(len) expected. */
tg_ent tg_graph_find_entity(const tg_graph *g, const char *id, size_t len);

/* tg_graph_find_entity, interning id on the way (the graph changes only by
 * a string): an id never seen before has no entity, known without a look
 * at the id map, and tg_graph_add_entity then finds its string at once.
 * For importers, which add most ids they look up. TG_NONE also when out of
 * memory (tg_graph_add_entity then says so). */
tg_ent tg_graph_find_entity_interning(tg_graph *g, const char *id, size_t len);

/* tg_graph_find_entity for n ids at once: out[i] is the entity of ids[i]
 * (lens[i] bytes) or TG_NONE. The lookups go in steps over the whole batch,
 * each step prefetching what the next one reads, so that their cache misses
 * overlap: a relation's two endpoints cost little more than one. */
void tg_graph_find_entities(const tg_graph *g, size_t n, const char *const *ids,
                            const size_t *lens, tg_ent *out);

/* Adds an entity with id (which must not exist yet: check with
 * tg_graph_find_entity) and no labels or properties. The new index is in
 * *out. Errors: TG_ENOMEM, TG_EINVAL (id exists). Amortised O(len). */
tg_status tg_graph_add_entity(tg_graph *g, const char *id, size_t len, tg_ent *out,
                              tg_error *err);

/* The entity's id symbol. */
tg_sym tg_graph_entity_id(const tg_graph *g, tg_ent e);

/* The most labels one entity may carry (docs/formats.md). */
#define TG_MAX_LABELS 4096

/* Adds label (an interned symbol) to e; no-op if e has it. Errors:
 * TG_EINVAL when e would carry more than TG_MAX_LABELS labels, or the
 * graph's label sets would pass 4 billion labels in all. */
tg_status tg_graph_add_label(tg_graph *g, tg_ent e, tg_sym label, tg_error *err);

/* Removes label from e; no-op if e does not have it. Errors: TG_EINVAL (no
 * such entity, or deleted), TG_ENOMEM. O(labels of e). */
tg_status tg_graph_remove_label(tg_graph *g, tg_ent e, tg_sym label, tg_error *err);

/* Deletes entity e. TG_EINVAL (the message names the entity id) when e still
 * has live relations, unless detach != 0, which deletes them first. No-op
 * when e is already deleted; TG_EINVAL when e is no entity index. Its id
 * becomes free: adding the same id later makes a new entity index. Its
 * labels and properties read as absent from now on. O(degree of e) plus, the
 * first time after a mutation, O(V + E) to build the adjacency. */
tg_status tg_graph_delete_entity(tg_graph *g, tg_ent e, int detach, tg_error *err);

/* Whether e has label. O(number of labels of e). */
int tg_graph_has_label(const tg_graph *g, tg_ent e, tg_sym label);

/* The labels of e, sorted by symbol, in *labels (borrowed); returns how many. */
size_t tg_graph_labels(const tg_graph *g, tg_ent e, const tg_sym **labels);

/* ---- relations ----------------------------------------------------------- */

/* The bound of relation indexes (slots, live or deleted). O(1). */
size_t tg_graph_relation_count(const tg_graph *g);

/* The number of relations that are not deleted. O(1). */
size_t tg_graph_live_relation_count(const tg_graph *g);

/* Whether r is a relation index that is not deleted. O(1). */
int tg_graph_relation_is_live(const tg_graph *g, tg_rel r);

/* Deletes relation r (a tombstone: indexes of other relations do not
 * change). No-op if already deleted; TG_EINVAL when r is no relation index.
 * Its properties read as absent from now on. O(1). */
tg_status tg_graph_delete_relation(tg_graph *g, tg_rel r, tg_error *err);

/* Adds a relation of type (an interned symbol) from -> to; index in *out.
 * Errors: TG_EINVAL when an endpoint is no live entity. */
tg_status tg_graph_add_relation(tg_graph *g, tg_ent from, tg_ent to, tg_sym type,
                                tg_rel *out, tg_error *err);

tg_ent tg_graph_rel_from(const tg_graph *g, tg_rel r);
tg_ent tg_graph_rel_to(const tg_graph *g, tg_rel r);
tg_sym tg_graph_rel_type(const tg_graph *g, tg_rel r);

/* ---- properties ---------------------------------------------------------- */

/* Which side a property belongs to. */
typedef enum tg_side { TG_ENTITY = 0, TG_RELATION = 1 } tg_side;

/* Sets property key of entity or relation `item` to *v (copied; strings must
 * already be interned in g; lists are built with tg_graph_make_list).
 * A TG_V_NULL value removes the property. O(log n) to replace, O(n) in the
 * worst case to insert a key into the middle of a column (appending rows in
 * increasing order, as imports do, is O(1) amortised). */
tg_status tg_graph_set_prop(tg_graph *g, tg_side side, uint32_t item, tg_sym key,
                            const tg_pval *v, tg_error *err);

/* The value of property key on item, or NULL when absent. O(log n). */
const tg_pval *tg_graph_prop(const tg_graph *g, tg_side side, uint32_t item, tg_sym key);

/* Visits every property of item in the order of the keys' names (bytes); stops early and returns
 * the callback's non-zero return. O(number of keys of that side * log n). */
typedef int (*tg_prop_visit)(void *ctx, tg_sym key, const tg_pval *v);
int tg_graph_each_prop(const tg_graph *g, tg_side side, uint32_t item, tg_prop_visit fn,
                       void *ctx);

/* The property keys used on a side, in *keys (borrowed); returns how many. */
size_t tg_graph_prop_keys(const tg_graph *g, tg_side side, const tg_sym **keys);

/* The column of property key on side: the items holding a value, ascending,
 * in *rows, their values in *vals (both borrowed until the next mutation);
 * returns how many (0 when no item has key). Lets a writer walk every
 * item's values in one sequential pass instead of a lookup per value. Items
 * that were deleted may still appear: check tg_graph_entity_is_live /
 * tg_graph_relation_is_live. O(1). */
size_t tg_graph_column(const tg_graph *g, tg_side side, tg_sym key, const uint32_t **rows,
                       const tg_pval **vals);

/* Copies n scalar values of one type into the list pool and makes *out a
 * TG_V_LIST value for them. n == 0 makes the empty list. Errors: TG_EINVAL
 * when the items are not all of one scalar type. */
tg_status tg_graph_make_list(tg_graph *g, const tg_pval *items, size_t n, tg_pval *out,
                             tg_error *err);

/* The elements of a list value (borrowed). */
const tg_pval *tg_graph_list(const tg_graph *g, const tg_pval *list);

/* ---- derived indexes (built on first use, dropped by mutation) ----------- */
/* Every index holds live items only: deleted entities and relations are left
 * out (after a deletion, the next accessor call filters them out). */

/* Entities carrying label, ascending; count returned, array in *out. */
size_t tg_graph_label_entities(tg_graph *g, tg_sym label, const tg_ent **out);

/* Relations of type, ascending. */
size_t tg_graph_type_relations(tg_graph *g, tg_sym type, const tg_rel **out);

/* Distinct labels / relation types in use, sorted by name. */
size_t tg_graph_all_labels(tg_graph *g, const tg_sym **out);

/* The distinct labels in use, ascending by symbol, in a new array (*out, free
 * it) without building the label index: one pass over the entities' label
 * sets, O(entities + label sets). Returns the count; 0 with *out NULL when
 * out of memory. */
size_t tg_graph_labels_in_use(const tg_graph *g, tg_sym **out);
size_t tg_graph_all_types(tg_graph *g, const tg_sym **out);

/* Outgoing / incoming relations of e: grouped by type (types in the order
 * of their names), ascending by relation index within a type. O(1) after
 * the first call, which builds the adjacency in O(V + E). */
/* The relations touching entity e, dead ones included (test them with
 * tg_graph_relation_is_live), in *rels (malloc'd, the caller frees it) and
 * their number in *n; a self-loop appears twice. From the adjacency when it
 * is built; else by one pass over the relation arrays, so that deleting a
 * few entities does not pay for sorting every relation (at 1M/5M a pass is
 * a few milliseconds, the adjacency half a second); past 8 such passes the
 * adjacency is built, so that deleting many stays linear. 0, or -1 when out
 * of memory or a part of the store cannot be read (tg_graph_status). */
int tg_graph_incident(tg_graph *g, tg_ent e, tg_rel **rels, size_t *n);

size_t tg_graph_out(tg_graph *g, tg_ent e, const tg_rel **out);
size_t tg_graph_in(tg_graph *g, tg_ent e, const tg_rel **out);

/* The outgoing / incoming relations of e that have this type, ascending by
 * relation index: a contiguous run of tg_graph_out / tg_graph_in, found by
 * binary search in O(log degree). A typed hop touches only its own type. */
size_t tg_graph_out_typed(tg_graph *g, tg_ent e, tg_sym type, const tg_rel **out);
size_t tg_graph_in_typed(tg_graph *g, tg_ent e, tg_sym type, const tg_rel **out);

/* The run of e's outgoing (outgoing != 0) or incoming relations of one type
 * (type 0: all of them), with, in *nbrs, the entity at the other end of each
 * (the target for outgoing, the source for incoming), parallel to *rels.
 * Both arrays are borrowed like tg_graph_out's. O(log degree). */
size_t tg_graph_adjacent(tg_graph *g, tg_ent e, int outgoing, tg_sym type, const tg_rel **rels,
                         const tg_ent **nbrs);

/* A bitmap of the entities carrying label (bit e of word e / 64), or NULL
 * when no entity has it. Built on first use in O(V / 64 + members); a label
 * test then costs one cached memory read. Borrowed until the next mutation. */
const uint64_t *tg_graph_label_bitmap(tg_graph *g, tg_sym label);

/* Entities whose property key equals the scalar *v (string, int, float with
 * Cypher numeric equality, bool), ascending. Builds a hash index of that key
 * on first use. Returns the count, array in *out (borrowed). */
size_t tg_graph_find_by_prop(tg_graph *g, tg_sym key, const tg_pval *v, const tg_ent **out);

/* Builds every lazy index now (useful before timing queries). */
tg_status tg_graph_build_indexes(tg_graph *g, tg_error *err);

/* Weakly connected components: count in *ncomp, size of the largest in
 * *largest. O(V + E) (union-find). */
tg_status tg_graph_wcc_summary(tg_graph *g, size_t *ncomp, size_t *largest, tg_error *err);

/* ---- sources (provenance records) ---------------------------------------- */

/* A source record: an id plus string fields (title, publisher, date, url and
 * any other string key the data gives). */
typedef struct tg_source_field {
    tg_sym key;
    tg_sym value;
} tg_source_field;

size_t tg_graph_source_count(const tg_graph *g);

/* Index of the source with this id symbol, or TG_NONE. */
uint32_t tg_graph_find_source(const tg_graph *g, tg_sym id);

/* Adds or merges a source: fields of an existing source are overwritten
 * (newer wins), new fields added. *out receives its index (may be NULL). */
tg_status tg_graph_put_source(tg_graph *g, tg_sym id, const tg_source_field *fields,
                              size_t nfields, uint32_t *out, tg_error *err);

tg_sym tg_graph_source_id(const tg_graph *g, uint32_t s);
size_t tg_graph_source_fields(const tg_graph *g, uint32_t s, const tg_source_field **out);

/* ---- serialization (for the store) --------------------------------------- */

/* The graph as a list of named binary segments, the store's unit of
 * persistence. A segment's bytes are the in-memory arrays themselves, so
 * saving and loading cost little more than copying bytes. */
typedef int (*tg_segment_sink)(void *ctx, const char *name, const void *data, size_t size);

/* Calls sink once per segment; stops at the first non-zero return and
 * returns TG_EIO. */
tg_status tg_graph_save_segments(const tg_graph *g, tg_segment_sink sink, void *ctx,
                                 tg_error *err);

/* Builds a graph from segments fetched by name. fetch returns 0 and sets
 * *data to a malloc'ed buffer of *size bytes that the graph takes (it
 * becomes the array itself: no copy), TG_SEGMENT_NOMEM when memory ran
 * out, TG_SEGMENT_IO when the store could not be read, or another non-zero
 * value when the segment is missing. Errors: TG_EDATA for missing or inconsistent segments (every
 * symbol, index and list offset is checked). The new graph is in *out
 * (owned: tg_graph_free). O(total size). */
typedef int (*tg_segment_source)(void *ctx, const char *name, void **data, size_t *size);
#define TG_SEGMENT_NOMEM 2
#define TG_SEGMENT_IO 3
tg_status tg_graph_load_segments(tg_segment_source fetch, void *ctx, tg_graph **out,
                                 tg_error *err);

/* Opens a graph from segments as tg_graph_load_segments does, except that
 * the relation arrays and the property columns (when the store lists them
 * in e.cols / r.cols) stay in the store until first needed: fetch is kept
 * and called then, so that opening costs O(strings + entities + lists +
 * sources), not O(size). release(ctx), when not NULL, is called once the
 * graph needs the source no more (tg_graph_free, tg_graph_release_source);
 * it is not called when opening fails. The graph's change marks are set:
 * what it holds now counts as saved. */
tg_status tg_graph_open_segments(tg_segment_source fetch, void *ctx, void (*release)(void *ctx),
                                 tg_graph **out, tg_error *err);

/* Reads n bytes at offset off of segment name into dst and sets *total to
 * the segment's size (dst may be NULL when n is 0: the size only). Returns
 * 0, TG_SEGMENT_NOMEM, TG_SEGMENT_IO, or another non-zero value when the
 * segment is missing or shorter than off + n. */
typedef int (*tg_segment_reader)(void *ctx, const char *name, size_t off, size_t n, void *dst,
                                 size_t *total);

/* Reads strings [first, first + n) of the base (symbols; n at most 256):
 * their lengths into len[0 .. n) and their bytes, each followed by a NUL,
 * into *bytes, a block from malloc of *size bytes that the caller frees.
 * Returns 0, TG_SEGMENT_NOMEM, TG_SEGMENT_IO, or another non-zero value
 * when the strings are missing or malformed. */
typedef int (*tg_string_reader)(void *ctx, size_t first, size_t n, uint32_t *len, char **bytes,
                                size_t *size);

/* tg_graph_open_segments, except that the base is read a page at a time
 * when first needed instead of whole at open: the two big hash tables (the
 * string table's slots and the id -> entity map, 4096 slots a page)
 * through read, the entities' ids and label sets (4096 entities a page)
 * through read too, and the strings (256 a page) through strings. A seek
 * or a small write at 1M entities reads a few pages instead of 60 MB.
 * Every page is checked as it arrives. A hash table page that cannot be
 * read or holds an invalid slot makes the graph rebuild that table; a page
 * of strings or entities that cannot be read or is invalid is a lazy
 * failure (tg_graph_status), its items read as empty. */
tg_status tg_graph_open_segments_paged(tg_segment_source fetch, tg_segment_reader read,
                                       tg_string_reader strings, void *ctx,
                                       void (*release)(void *ctx), tg_graph **out,
                                       tg_error *err);

/* Brings every part still in the store into memory (all of them / the
 * relation arrays only). Errors: those of tg_graph_status. */
tg_status tg_graph_load_all(tg_graph *g, tg_error *err);
tg_status tg_graph_load_relations(tg_graph *g, tg_error *err);

/* Lets the source go now (its release is called). A part still in the store
 * cannot be read afterwards: it reads as absent and tg_graph_status says so.
 * Call tg_graph_load_all first to keep the whole graph. */
void tg_graph_release_source(tg_graph *g);

/* The first failure of a lazy load (a damaged or unreadable store, memory),
 * or TG_OK. After a failure the part that could not be read reads as empty
 * (no relations, or no values in that column), so that nothing reads
 * garbage; every result computed since is suspect, and callers check this
 * after each unit of work (a statement, a command) and fail with it. */
tg_status tg_graph_status(const tg_graph *g, tg_error *err);

/* ---- changes since a mark (for the store's deltas) ------------------------ */

/* A property of an item, named by side, item and key. */
typedef struct tg_prop_ref {
    tg_side side;
    uint32_t item;
    tg_sym key;
} tg_prop_ref;

/* What changed since the last mark. Strings, entities, relations and
 * sources at or past the mark's counts are new; for the older ones the
 * lists name what changed. A new item's labels, properties and deletion are
 * read from the graph itself. Arrays are borrowed until the next mutation or
 * tg_graph_changes_mark. */
typedef struct tg_graph_changes {
    size_t strings, entities, relations, sources; /* counts at the mark */
    const tg_ent *relabelled;                     /* older entities whose labels changed */
    size_t nrelabelled;
    const uint32_t *deleted[2]; /* older entities / relations deleted since */
    size_t ndeleted[2];
    const tg_prop_ref *props; /* older items' properties set or removed */
    size_t nprops;
    const uint32_t *sources_changed; /* older sources rewritten */
    size_t nsources_changed;
} tg_graph_changes;

/* Fills c, every list sorted ascending (props by side, item, key) without
 * repeats. Errors: TG_ENOMEM, including when a change could not be recorded
 * when it happened (the caller must then save the whole graph). O(changes
 * log changes). */
tg_status tg_graph_changes_get(tg_graph *g, tg_graph_changes *c, tg_error *err);

/* Makes the current content the mark: nothing counts as changed. O(1). */
void tg_graph_changes_mark(tg_graph *g);

/* Replaying a saved change onto a graph just opened from its base (the
 * store's change log, oldest first). Replays are not changes: they do not
 * move the mark. A change that does not fit the graph (an index past the
 * next free one, a dead item revived, an invalid value) is TG_EDATA.
 * - an entity: e == entity_count adds it; an older e gets exactly these
 *   labels (sorted or not); deleted != 0 deletes it without looking at its
 *   relations (the log deleted them first);
 * - a relation: r == relation_count adds it (the relation arrays need not
 *   be in memory); an older r can only be deleted;
 * - a property: v NULL or TG_V_NULL removes it; a column still in the store
 *   queues the change until it is read. */
tg_status tg_graph_replay_entity(tg_graph *g, tg_ent e, const char *id, size_t len,
                                 const tg_sym *labels, size_t nlabels, int deleted,
                                 tg_error *err);
tg_status tg_graph_replay_relation(tg_graph *g, tg_rel r, tg_ent from, tg_ent to, tg_sym type,
                                   int deleted, tg_error *err);
tg_status tg_graph_replay_prop(tg_graph *g, tg_side side, uint32_t item, tg_sym key,
                               const tg_pval *v, tg_error *err);

/* A copy of g's live content in *out (owned): deleted entities and
 * relations dropped, the others renumbered in index order, strings, label
 * sets and lists interned afresh (what only the dead used is gone). Loads
 * whatever of g is still in the store. For the store's compaction only:
 * indexes of g mean nothing in the copy. O(size of g). */
tg_status tg_graph_compact(tg_graph *g, tg_graph **out, tg_error *err);

/* Whether two graphs hold the same live content: the live entities in index
 * order pairwise equal (id, labels, properties), the live relations in index
 * order pairwise equal (type, endpoint ids, properties), the same sources.
 * Tombstones and slot numbers do not matter, so a graph equals its compacted
 * copy. For round-trip tests. */
int tg_graph_equal(const tg_graph *a, const tg_graph *b);

#endif
