/* value.h — runtime values of the query language and the memory they live in.
 *
 * OWNERSHIP RULE (the one rule of the whole query back end):
 *   Values are immutable 16-byte structs copied by assignment. Their heap
 *   parts (built strings, list items, map entries, path arrays) live in a
 *   tg_vmem, a bump allocator owned by the running query (and then by its
 *   tg_result), or are borrowed from the graph's string pool, which never
 *   moves a string. Nothing is freed individually: a value is valid until
 *   the tg_vmem it was built in is freed (or reset below its mark).
 *   Filters release the scratch memory of a predicate with
 *   tg_vmem_mark/tg_vmem_reset, so a scan of millions of rows stays flat.
 *
 * Three notions of "same" (openCypher):
 *   - equality `=` (tg_value_equals): three-valued, null when unknown;
 *   - comparison `<` (tg_value_compare): three-valued, null across types;
 *   - orderability (tg_value_order): a total order over every value, used by
 *     ORDER BY, min and max: map < node < relation < list < path < string
 *     < boolean < number (NaN last of numbers) < null;
 *   - equivalence (tg_value_equivalent, tg_value_hash): DISTINCT and
 *     grouping; like equality but null ~ null and NaN ~ NaN.
 */
#ifndef TG_VALUE_H
#define TG_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"
#include "temporal.h"
#include "tg_error.h"

/* ---- memory ------------------------------------------------------------ */

typedef struct tg_vmem tg_vmem;
typedef struct tg_vmem_mark {
    void *chunk;
    size_t used;
} tg_vmem_mark;

/* A new empty allocator (owned: tg_vmem_free), NULL when out of memory. */
tg_vmem *tg_vmem_new(void);
/* Frees every block. Accepts NULL. */
void tg_vmem_free(tg_vmem *m);
/* n bytes aligned for any value type, NULL when out of memory. O(1)
 * amortised. The memory is not zeroed. */
void *tg_vmem_alloc(tg_vmem *m, size_t n);
/* The current top, to go back to with tg_vmem_reset. */
tg_vmem_mark tg_vmem_get_mark(const tg_vmem *m);
/* Drops everything allocated since mark (keeps the blocks for reuse). */
void tg_vmem_reset(tg_vmem *m, tg_vmem_mark mark);
/* Bytes allocated so far (for guards and tests). */
size_t tg_vmem_bytes(const tg_vmem *m);

/* ---- values ------------------------------------------------------------ */

typedef enum tg_vkind {
    TG_VAL_NULL = 0,
    TG_VAL_BOOL,
    TG_VAL_INT,
    TG_VAL_FLOAT,
    TG_VAL_STRING,
    TG_VAL_LIST,
    TG_VAL_MAP,
    TG_VAL_NODE,
    TG_VAL_REL,
    TG_VAL_PATH,
    /* temporal values (temporal.c) */
    TG_VAL_DATE,
    TG_VAL_LOCALTIME,
    TG_VAL_TIME,
    TG_VAL_LOCALDATETIME,
    TG_VAL_DATETIME,
    TG_VAL_DURATION
} tg_vkind;

typedef struct tg_value tg_value;
typedef struct tg_vmap_entry tg_vmap_entry;
typedef struct tg_vpath tg_vpath;
typedef tg_temporal tg_vtemporal; /* engine/temporal.h */

struct tg_value {
    uint8_t kind;   /* tg_vkind */
    uint8_t flags;  /* TG_VFLAG_* */
    uint16_t depth; /* lists and maps: 1 + the deepest item (saturates); else 0 */
    uint32_t len;   /* string bytes, list items, map entries */
    union {
        int b;
        int64_t i;
        double f;
        const char *s;             /* not NUL-terminated in general */
        const tg_value *items;     /* list */
        const tg_vmap_entry *map;  /* map entries, sorted by key bytes */
        tg_ent node;
        tg_rel rel;
        const tg_vpath *path;
        const tg_vtemporal *tm; /* the temporal kinds */
    } u;
};

struct tg_vmap_entry {
    const char *key;
    uint32_t klen;
    tg_value value;
};

/* A path of `len` relations: nodes[0..len], rels[0..len). Direction of
 * each step is read from the graph (rel from/to against the nodes). */
struct tg_vpath {
    uint32_t len;
    const tg_ent *nodes;
    const tg_rel *rels;
};

/* The deepest list or map nesting a query may build ("nested too deeply"
 * past it): every recursion over values (equality, order, hashing, text) is
 * bounded by it. */
#define TG_VALUE_MAX_DEPTH 1000

/* A list whose items were allocated with tg_vmem_list_items: items[-1] is
 * a tg_vlist_header (room for a hash index built for IN). */
#define TG_VFLAG_HEADER 1u

static inline tg_value tg_value_null(void)
{
    tg_value v;
    v.kind = TG_VAL_NULL;
    v.flags = 0;
    v.depth = 0;
    v.len = 0;
    v.u.i = 0;
    return v;
}

/* 1 + the deepest of n values (saturating), the depth of a list or map of them. */
static inline uint16_t tg_value_depth_of(const tg_value *items, size_t n)
{
    uint16_t d = 0;
    for (size_t i = 0; i < n; i++)
        if (items[i].depth > d)
            d = items[i].depth;
    return d == UINT16_MAX ? d : (uint16_t)(d + 1);
}
static inline tg_value tg_value_bool(int b)
{
    tg_value v = tg_value_null();
    v.kind = TG_VAL_BOOL;
    v.u.b = b ? 1 : 0;
    return v;
}
static inline tg_value tg_value_int(int64_t i)
{
    tg_value v = tg_value_null();
    v.kind = TG_VAL_INT;
    v.u.i = i;
    return v;
}
static inline tg_value tg_value_float(double f)
{
    tg_value v = tg_value_null();
    v.kind = TG_VAL_FLOAT;
    v.u.f = f;
    return v;
}
/* Borrows s[0..len): the caller guarantees it outlives the value. */
static inline tg_value tg_value_str_ref(const char *s, size_t len)
{
    tg_value v = tg_value_null();
    v.kind = TG_VAL_STRING;
    v.len = (uint32_t)len;
    v.u.s = s;
    return v;
}
static inline tg_value tg_value_node(tg_ent e)
{
    tg_value v = tg_value_null();
    v.kind = TG_VAL_NODE;
    v.u.node = e;
    return v;
}
static inline tg_value tg_value_rel(tg_rel r)
{
    tg_value v = tg_value_null();
    v.kind = TG_VAL_REL;
    v.u.rel = r;
    return v;
}
/* Borrows items[0..n) (normally allocated in a tg_vmem). O(n): the depth
 * is computed. */
static inline tg_value tg_value_list_ref(const tg_value *items, size_t n)
{
    tg_value v = tg_value_null();
    v.kind = TG_VAL_LIST;
    v.len = (uint32_t)n;
    v.u.items = items;
    v.depth = tg_value_depth_of(items, n);
    return v;
}

/* The header in front of the items of a list allocated with
 * tg_vmem_list_items: IN looks a large list up through a hash index built
 * on its second use (a list built for one test is scanned, not indexed). */
typedef struct tg_vlist_header {
    void *index;      /* owned by the running query (freed with it), NULL: none yet */
    uint32_t lookups; /* IN tests against this list so far */
    uint32_t spare;
} tg_vlist_header;

/* Room for n items behind a zeroed header (see TG_VFLAG_HEADER), in m. NULL
 * when out of memory. */
tg_value *tg_vmem_list_items(tg_vmem *m, size_t n);

/* A list over items from tg_vmem_list_items (borrowed), flagged as such. */
static inline tg_value tg_value_list_hdr(const tg_value *items, size_t n)
{
    tg_value v = tg_value_list_ref(items, n);
    v.flags = TG_VFLAG_HEADER;
    return v;
}

/* The header of list v, NULL when it has none. */
static inline tg_vlist_header *tg_value_list_header(const tg_value *v)
{
    return v->kind == TG_VAL_LIST && (v->flags & TG_VFLAG_HEADER)
               ? (tg_vlist_header *)(void *)(v->u.items) - 1
               : NULL;
}

static inline int tg_value_is_null(const tg_value *v) { return v->kind == TG_VAL_NULL; }
static inline int tg_value_is_number(const tg_value *v)
{
    return v->kind == TG_VAL_INT || v->kind == TG_VAL_FLOAT;
}
/* The number as a double (ints converted). */
static inline double tg_value_num(const tg_value *v)
{
    return v->kind == TG_VAL_INT ? (double)v->u.i : v->u.f;
}

/* A copy of s[0..len) in m. Returns null-kind value and TG_ENOMEM in *st
 * when out of memory (st may be NULL). */
tg_value tg_value_str_copy(tg_vmem *m, const char *s, size_t len);
/* A string from a NUL-terminated C string copied into m. */
tg_value tg_value_cstr(tg_vmem *m, const char *s);
/* A list of n items copied into m; the item values themselves are shallow
 * copies (their parts must outlive m's use). NULL-kind on ENOMEM. */
tg_value tg_value_list(tg_vmem *m, const tg_value *items, size_t n);
/* A map from n entries (keys copied into m, entries sorted, a later
 * duplicate key wins). Returns null-kind on ENOMEM. */
tg_value tg_value_map(tg_vmem *m, const tg_vmap_entry *entries, size_t n);
/* A path copied into m. */
tg_value tg_value_path(tg_vmem *m, const tg_ent *nodes, const tg_rel *rels, size_t len);

/* The value of key in map v (a TG_VAL_MAP), or NULL when absent. O(log n). */
const tg_value *tg_value_map_get(const tg_value *v, const char *key, size_t klen);

/* Name of a kind for messages: "Integer", "String", "Node", ... */
const char *tg_value_kind_name(tg_vkind k);

/* ---- graph values -------------------------------------------------------- */

/* The stored property value *p as a runtime value (lists copied into m,
 * strings borrowed from the graph). */
tg_value tg_value_from_pval(const tg_graph *g, tg_vmem *m, const tg_pval *p);

/* Converts v to a storable property value (strings interned in g, lists
 * built with tg_graph_make_list). Null gives TG_V_NULL. Errors: TG_ETYPE
 * for maps, nodes, relations, paths, lists of mixed types or with nulls
 * or nested lists. */
tg_status tg_value_to_pval(tg_graph *g, const tg_value *v, tg_pval *out, tg_error *err);

/* Property `key` of node/relation v: for nodes, "id" reads a stored "id"
 * property when present, else the entity's id. Null when absent. */
tg_value tg_value_property(const tg_graph *g, tg_vmem *m, const tg_value *v, const char *key,
                           size_t klen);

/* Whether entity e's id is data (given by the data, or by CREATE with a
 * string `id`) rather than generated by CREATE ("_n" and digits, which reads
 * as no id at all); *s / *len receive it (borrowed from the graph). O(len). */
int tg_value_entity_data_id(const tg_graph *g, tg_ent e, const char **s, size_t *len);

/* Like tg_value_property with the key's symbol already looked up (*sym; 0:
 * look it up now and store it in *sym when the graph has it). Symbols never
 * change once interned, so callers may cache them. */
tg_value tg_value_property_cached(const tg_graph *g, tg_vmem *m, const tg_value *v,
                                  const char *key, size_t klen, tg_sym *sym);

/* ---- temporal values (temporal.c) ---------------------------------------------
 * Kinds: date, localtime, time (with offset), localdatetime, datetime (with
 * offset or named zone), duration; u.tm points to an engine tg_temporal (its
 * kind matches) in the value's tg_vmem. The graph stores them typed
 * (tg_value_to_pval / tg_value_from_pval). */

static inline int tg_value_is_temporal(const tg_value *v)
{
    return v->kind >= TG_VAL_DATE && v->kind <= TG_VAL_DURATION;
}

/* A temporal value of value kind k copied into m (null-kind on ENOMEM);
 * t->kind is set to match k. */
tg_value tg_temporal_make(tg_vmem *m, tg_vkind k, const tg_temporal *t);
/* The same, of t's own kind. */
tg_value tg_temporal_value(tg_vmem *m, const tg_temporal *t);
/* A stored temporal (tg_graph_temporal) as a value; null when damaged. */
tg_value tg_temporal_from_pval(const tg_graph *g, tg_vmem *m, const tg_pval *p);

/* Same-kind comparison of instants in their total order (tg_time_cmp: by
 * instant, then local time, then zone); durations are not comparable.
 * *cmp < 0, 0, > 0; returns 1 when comparable, 0 otherwise. */
int tg_temporal_compare(const tg_value *a, const tg_value *b, int *cmp);

/* The total order inside one temporal kind (ORDER BY, equality). */
int tg_temporal_order(const tg_value *a, const tg_value *b);

uint64_t tg_temporal_hash(const tg_value *v);

/* A component: year, quarter, month, week, weekYear, day, ordinalDay,
 * dayOfWeek (weekDay), dayOfQuarter, hour, minute, second, millisecond,
 * microsecond, nanosecond, timezone, offset, offsetMinutes, offsetSeconds,
 * epochSeconds, epochMillis; for durations years, quarters, months, weeks,
 * days, hours, minutes, seconds, milliseconds, microseconds, nanoseconds and
 * quartersOfYear, monthsOfQuarter, monthsOfYear, daysOfWeek, minutesOfHour,
 * secondsOfMinute, millisecondsOfSecond, microsecondsOfSecond,
 * nanosecondsOfSecond. Null when the kind has no such component. */
tg_value tg_temporal_field(tg_vmem *m, const tg_value *v, const char *key, size_t klen);

/* ISO 8601 text of v into buf (TG_TIME_TEXT_MAX bytes); returns the length. */
size_t tg_temporal_format(const tg_value *v, char *buf);

/* l op r (op: TG_AST_OP_ADD, _SUB, _MUL, _DIV) when a side is temporal:
 * instant +/- duration, duration + instant, duration +/- duration, duration
 * * number, number * duration, duration / number. Returns TG_OK (*out set,
 * built in x's memory); TG_ETYPE with no message when the kinds do not
 * combine (the caller reports it); TG_EARG (overflow, a date out of range,
 * division by zero) or TG_ENOMEM with the error recorded in x. */
struct tg_exec;
tg_status tg_temporal_arith(struct tg_exec *x, int op, const tg_value *l, const tg_value *r,
                            tg_value *out);
/* -d for a duration d; errors as tg_temporal_arith. */
tg_status tg_temporal_negate(struct tg_exec *x, const tg_value *d, tg_value *out);

/* ---- comparisons --------------------------------------------------------- */

/* Three-valued results. */
#define TG_TRI_FALSE 0
#define TG_TRI_TRUE 1
#define TG_TRI_NULL 2

/* a = b: TG_TRI_TRUE, TG_TRI_FALSE or TG_TRI_NULL. */
int tg_value_equals(const tg_value *a, const tg_value *b);

/* a < b style comparison: sets *cmp (<0, 0, >0) and returns 1 when a and b
 * are comparable, returns 0 (null result) otherwise. NaN compares as
 * unordered: returns 1 with *cmp = 2 (every relation false except <>). */
int tg_value_compare(const tg_value *a, const tg_value *b, int *cmp);

/* The global total order (ORDER BY ascending): <0, 0, >0. */
int tg_value_order(const tg_value *a, const tg_value *b);

/* Equivalence for DISTINCT and grouping, and a hash consistent with it. */
int tg_value_equivalent(const tg_value *a, const tg_value *b);
uint64_t tg_value_hash(const tg_value *v);

/* ---- formatting ---------------------------------------------------------- */

/* A growable byte buffer (malloc'd). */
typedef struct tg_buf {
    char *data;
    size_t len, cap;
    int failed; /* set when an allocation failed */
} tg_buf;

void tg_buf_init(tg_buf *b);
void tg_buf_destroy(tg_buf *b);
void tg_buf_add(tg_buf *b, const char *s, size_t n);
void tg_buf_puts(tg_buf *b, const char *s);
void tg_buf_printf(tg_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Takes the NUL-terminated bytes (owned: free()); NULL when an allocation
 * failed. The buffer is left empty. */
char *tg_buf_take(tg_buf *b);

typedef enum tg_vfmt {
    TG_VFMT_TEXT, /* tables: strings bare at top level, nodes with id */
    TG_VFMT_TCK,  /* the TCK's notation, no entity ids */
    TG_VFMT_JSON  /* DESIGN.md's JSON */
} tg_vfmt;

/* Appends v to b in the given notation. g is borrowed for graph values. */
void tg_value_format(const tg_graph *g, const tg_value *v, tg_vfmt fmt, tg_buf *b);

/* The shortest decimal form of a double that reads back exactly, always
 * with a '.' or an exponent ("1.0", "0.1", "1.0E20"); NaN / Infinity /
 * -Infinity as words. buf must have 40 bytes. */
void tg_value_format_double(double d, char *buf);

#endif
