/* graphml_reader.c — GraphML into the importer (docs/formats.md, "GraphML").
 *
 * Streaming: the XML tokenizer of xml_scan.c reads the file in chunks
 * (through input.h, so pipes and files that change while read are handled
 * like every other format) and hands out one tag or text at a time; no tree
 * is built, memory does not grow with the file. The tokenizer knows the
 * line and byte column of everything it hands out (each attribute value,
 * where an element's text starts), so every record carries exact positions
 * at no extra cost. Why a tokenizer of our own and not libxml2:
 * docs/formats.md, "Why a GraphML reader of its own".
 *
 * Mapping (the rules are in docs/formats.md): a node is an entity (its XML
 * id, or the string data key "id" when there is one, as igraph writes it
 * back), an edge a relation; labels from the data key with id "labels"
 * (else one named "labels") or the node attribute `labels` (":A:B", as
 * Neo4j's APOC writes them; none gives the label Entity); the type from the
 * data key with id "label" (else one named "label" or "type"), the edge
 * attribute `label`, or yEd's edge label (none gives RELATED); a relation's
 * identity from the string data key "id"; citations from the key "sources",
 * source records from the graph's key "sources" (a JSON array); lists from
 * keys with APOC's attr.list (JSON arrays); key defaults applied.
 *
 * Safety: the tokenizer refuses entity declarations (no external entities,
 * no "billion laughs"; only XML's five predefined entities resolve), reads
 * no DTD and nothing from the network, and refuses UTF-16/UTF-32 input.
 *
 * Invariants: once R->failed is set nothing else is applied and reading
 * stops (the first error stays); strings of a token are borrowed until the
 * call after the next one (xml_scan.h), so a record's ids are copied when
 * its start tag is read, and a value's text is used where it ends (a text
 * that a child element would outlive is copied first, see on_start).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_values.h"
#include "input.h"
#include "json_internal.h"
#include "readers.h"
#include "temporal.h"
#include "text.h"
#include "xml_scan.h"

#define MAX_DEPTH (TG_XML_MAX_DEPTH + 1)
#define ICACHE_BITS 8 /* 256 recent short strings and their symbols */
#define MIN_MARKUP ((size_t)64 << 10) /* a tag may hold this much whatever --max-record-size */

static const char NS_GRAPHML[] = "http://graphml.graphdrawing.org/xmlns";
static const char NS_YED[] = "http://www.yworks.com/xml/graphml";

/* Element kinds on the stack. */
enum elem {
    E_SKIP, /* an element whose subtree is ignored (desc, port, foreign elements) */
    E_GRAPHML,
    E_KEY,
    E_DEFAULT,
    E_GRAPH,
    E_NODE,
    E_EDGE,
    E_DATA,   /* data of a key that is read */
    E_YDATA,  /* data of an ignored key (yEd graphics): only its labels are read */
    E_YLABEL  /* yEd's y:NodeLabel / y:EdgeLabel inside E_YDATA */
};

/* GraphML's element names (and yEd's labels), by their local name. */
enum name {
    N_OTHER,
    N_GRAPHML,
    N_KEY,
    N_DEFAULT,
    N_GRAPH,
    N_NODE,
    N_EDGE,
    N_DATA,
    N_HYPEREDGE,
    N_NODELABEL,
    N_EDGELABEL
};

/* What a key's data means on one side. */
enum role { R_PROP = 0, R_LABELS, R_TYPE, R_ID, R_SOURCES, R_GSOURCES, R_NONE };

#define F_NODE 1u
#define F_EDGE 2u
#define F_GRAPH 4u

typedef struct gkey {
    char *id; /* owned */
    size_t id_len;
    uint64_t id8;       /* an id of up to 8 bytes, packed (word()) */
    unsigned forw;      /* F_* */
    int ignored;        /* yEd graphics and keys for ports, hyperedges, the document */
    tg_sym name;        /* attr.name, else the id */
    char *name_str;     /* owned copy of the name, for messages */
    int vtype;          /* TG_V_BOOL, TG_V_INT, TG_V_FLOAT, TG_V_STRING: the value or element type */
    int list;           /* attr.list: a JSON array of vtype */
    enum role role[2];  /* on nodes, on edges */
    int has_default;
    tg_pval def;        /* lists: def.len items in def_items */
    tg_pval *def_items; /* owned */
    tg_ipos def_pos;
    uint64_t seen;      /* the record that last gave data for this key */
} gkey;

/* The element being read (node or edge) and its data. */
typedef struct record {
    int kind; /* 0 none, E_NODE or E_EDGE */
    uint64_t serial;
    char *xid; /* node: the XML id; edge: source and target, NUL-separated */
    size_t xid_len, xid_cap, src_len;
    tg_ipos pos, id_pos, from_pos, to_pos;
    tg_iprop *props;
    size_t nprops, capprops;
    tg_pval *items; /* list elements of props (offsets in v.u.list until emitted) */
    size_t nitems, capitems;
    tg_sym *labels, *srcs;
    size_t nlabels, caplabels, nsrcs, capsrcs;
    int labels_given;
    tg_sym type, attr_type, yed_label;
    char *did; /* the data key "id" (entity id or relation id) */
    size_t did_len, did_cap;
    tg_ipos did_pos;
    int has_label_prop; /* a node's data already holds a "label" property */
} record;

/* XML ids of nodes whose entity id differs (igraph writes n0, n1 with the
 * id in a data key): an open-addressing map of strings. */
typedef struct hmap {
    size_t *slots; /* offset + 1 into pool of an entry, 0 empty */
    size_t nslots, n;
    char *pool; /* entries: size_t klen, size_t vlen, key, value */
    size_t used, cap;
} hmap;

typedef struct reader {
    tg_importer *imp;
    tg_graph *g;
    tg_error *err;
    const tg_read_options *o;
    const char *path;
    tg_input *in;
    int failed;
    size_t max_text;
    unsigned long reads;
    uint64_t gml_ns; /* the last namespace declaration found to be GraphML's */
    enum elem stack[MAX_DEPTH];
    int depth, skip; /* skip: depth inside an ignored subtree */
    int seen_root;
    /* keys */
    gkey *keys;
    size_t nkeys, capkeys;
    size_t *khash; /* index + 1, open addressing by key id */
    size_t nkhash;
    size_t cur_key; /* the key of the open <data> or <default> */
    /* the text of the open <data>, <default> or yEd label: ntext bytes,
     * at btext (borrowed from the tokenizer: one text token) or in text */
    tg_ipos text_pos;
    const char *btext;
    char *text;
    size_t ntext, captext;
    int ylabel_done; /* the yEd label of this record is complete */
    record rec;
    uint64_t serial;
    hmap handles;
    tg_jparser jp;
    tg_sym s_entity, s_related, s_label;
    tg_source_field *fields;
    size_t capfields;
    /* the last list of citations read, and its text */
    char *cite_text;
    size_t ncite_text, capcite_text;
    tg_sym *cite;
    size_t ncite, capcite;
    unsigned has_defaults; /* F_NODE, F_EDGE: some key for that side has a default */
    struct icache {        /* recent symbols of strings of up to 16 bytes (sym()) */
        uint64_t a, b;     /* the bytes, packed */
        uint32_t len;      /* 0: empty */
        tg_sym sym;
    } icache[1 << ICACHE_BITS];
} reader;

/* ---- errors and positions ----------------------------------------------------- */

static tg_status oom(reader *R)
{
    if (!R->failed) {
        tg_error_set(R->err, TG_ENOMEM, R->path, 0, 0, "out of memory reading \"%s\"", R->path);
        R->failed = 1;
    }
    return TG_ENOMEM;
}

static tg_status fail(reader *R, tg_ipos pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static tg_status fail(reader *R, tg_ipos pos, const char *fmt, ...)
{
    char msg[TG_ERROR_MSG_MAX];
    va_list ap;

    if (R->failed)
        return TG_EDATA;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tg_importer_fail(R->imp, TG_EDATA, pos, "%s", msg);
    R->failed = 1;
    return TG_EDATA;
}

/* Stops reading after the importer reported an error (the error is
 * already recorded). */
static tg_status failed(reader *R, tg_status st)
{
    if (st != TG_OK)
        R->failed = 1;
    return st;
}

static tg_ipos tag_pos(const tg_xml_token *t)
{
    return TG_IPOS(t->line, t->col);
}

static tg_ipos value_pos(const tg_xml_attr *a)
{
    return TG_IPOS(a->line, a->col);
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ---- names, attributes -------------------------------------------------------- */

/* The attribute of t named name (unprefixed), or NULL. */
static inline const tg_xml_attr *attr(const tg_xml_token *t, const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < t->nattrs; i++)
        if (t->attrs[i].name_len == len && memcmp(t->attrs[i].name, name, len) == 0)
            return &t->attrs[i];
    return NULL;
}

#define ATTR(t, lit) attr((t), (lit), sizeof(lit) - 1)

static enum name classify(const char *s, size_t n)
{
#define IS(lit) (n == sizeof(lit) - 1 && memcmp(s, lit, sizeof(lit) - 1) == 0)
    switch (n) {
    case 3: return IS("key") ? N_KEY : N_OTHER;
    case 4: return IS("data") ? N_DATA : IS("edge") ? N_EDGE : IS("node") ? N_NODE : N_OTHER;
    case 5: return IS("graph") ? N_GRAPH : N_OTHER;
    case 7: return IS("graphml") ? N_GRAPHML : IS("default") ? N_DEFAULT : N_OTHER;
    case 9:
        return IS("hyperedge")   ? N_HYPEREDGE
               : IS("NodeLabel") ? N_NODELABEL
               : IS("EdgeLabel") ? N_EDGELABEL
                                 : N_OTHER;
    default: return N_OTHER;
    }
#undef IS
}

/* Whether an element is GraphML's: in its namespace or in none. */
static int in_graphml(reader *R, const tg_xml_token *t)
{
    if (t->ns_id == TG_XML_NS_NONE || t->ns_id == R->gml_ns)
        return 1;
    if (t->ns_len == sizeof NS_GRAPHML - 1 && memcmp(t->ns, NS_GRAPHML, t->ns_len) == 0) {
        R->gml_ns = t->ns_id;
        return 1;
    }
    return 0;
}

static char *quote(char *buf, size_t cap, const void *s, size_t len)
{
    return tg_i_quote(buf, cap, (const char *)s, len);
}

/* ---- short strings as numbers ---------------------------------------------------- */

/* The n <= 8 bytes at s as a number (zero above them). word() reads 8
 * bytes whatever n is: only for strings with 8 readable bytes after them
 * (the tokenizer's, xml_scan.h; R->text and the record's copies, see
 * copy_to); word_safe() reads n. */
static uint64_t word_safe(const char *s, size_t n)
{
    uint64_t x = 0;
    size_t i;

    for (i = 0; i < n; i++)
        x |= (uint64_t)(unsigned char)s[i] << (8 * i);
    return x;
}

static uint64_t word(const char *s, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t x;

    memcpy(&x, s, 8);
    return n >= 8 ? x : x & ((UINT64_C(1) << (8 * n)) - 1);
#else
    return word_safe(s, n < 8 ? n : 8);
#endif
}

static uint64_t mix(uint64_t a, uint64_t b, size_t len)
{
    return (a * UINT64_C(0x9E3779B97F4A7C15)) ^ (b * UINT64_C(0xC2B2AE3D27D4EB4F)) ^ len;
}

/* The symbol of s[0..len) (8 readable bytes after it, as for word()): the
 * reader's repeated strings (types, labels, categories, countries) from a
 * small cache of recent ones, by their bytes, without the graph's table;
 * 0 out of memory. */
static tg_sym sym(reader *R, const char *s, size_t len)
{
    uint64_t a, b;
    struct icache *e;
    tg_sym x;

    if (len == 0 || len > 16)
        return tg_graph_intern(R->g, s, len);
    a = word(s, len);
    b = len > 8 ? word(s + 8, len - 8) : 0;
    e = &R->icache[mix(a, b, len) >> (64 - ICACHE_BITS)];
    if (e->len == len && e->a == a && e->b == b)
        return e->sym;
    x = tg_graph_intern(R->g, s, len);
    if (x) {
        e->a = a;
        e->b = b;
        e->len = (uint32_t)len;
        e->sym = x;
    }
    return x;
}

/* ---- keys --------------------------------------------------------------------- */

static uint64_t hash(const void *s, size_t len)
{
    const unsigned char *p = s;
    uint64_t h = 1469598103934665603ull;

    while (len--)
        h = (h ^ *p++) * 1099511628211ull;
    return h;
}

/* The slot hash of a key id: ids of up to 8 bytes (all of them, in
 * practice) by their packed bytes. */
static uint64_t key_hash(const char *id, size_t len, uint64_t id8)
{
    return len <= 8 ? mix(id8, 0, len) >> 17 : hash(id, len);
}

/* The key whose id is id[0..len) (8 readable bytes after it). */
static gkey *find_key(reader *R, const char *id, size_t len)
{
    size_t i, mask = R->nkhash - 1;
    uint64_t id8 = len <= 8 ? word(id, len) : 0;

    if (!R->nkhash)
        return NULL;
    for (i = key_hash(id, len, id8) & mask; R->khash[i]; i = (i + 1) & mask) {
        gkey *k = &R->keys[R->khash[i] - 1];
        if (k->id_len == len && (len <= 8 ? k->id8 == id8 : memcmp(k->id, id, len) == 0))
            return k;
    }
    return NULL;
}

static int rehash_keys(reader *R)
{
    size_t n = R->nkhash ? R->nkhash * 2 : 64, i, j;
    size_t *h = calloc(n, sizeof *h);

    if (!h)
        return -1;
    for (i = 0; i < R->nkeys; i++) {
        const gkey *k = &R->keys[i];
        for (j = key_hash(k->id, k->id_len, k->id8) & (n - 1); h[j]; j = (j + 1) & (n - 1))
            ;
        h[j] = i + 1;
    }
    free(R->khash);
    R->khash = h;
    R->nkhash = n;
    return 0;
}

static const struct {
    const char *name;
    int vtype;
} key_types[] = {{"string", TG_V_STRING}, {"boolean", TG_V_BOOL}, {"int", TG_V_INT},
                 {"long", TG_V_INT},      {"integer", TG_V_INT},  {"float", TG_V_FLOAT},
                 {"double", TG_V_FLOAT}};

static int parse_type(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof key_types / sizeof key_types[0]; i++)
        if (strlen(key_types[i].name) == len && memcmp(key_types[i].name, s, len) == 0)
            return key_types[i].vtype;
    return -1;
}

/* The type named by attribute a (which: attr.type, attr.list) of key k;
 * -1 after reporting an unknown one. */
static int key_type(reader *R, const gkey *k, const char *which, const tg_xml_attr *a)
{
    int t = parse_type(a->value, a->value_len);
    char q[96], q2[96];

    if (t < 0)
        fail(R, value_pos(a),
             "key %s has unknown %s %s; expected boolean, int, long, float, double or string",
             quote(q, sizeof q, k->id, k->id_len), which,
             quote(q2, sizeof q2, a->value, a->value_len));
    return t;
}

static int name_is(const gkey *k, const tg_graph *g, const char *s)
{
    size_t len;
    const char *n = tg_graph_str(g, k->name, &len);

    return len == strlen(s) && memcmp(n, s, len) == 0;
}

/* The role key k asks for on side s (0 nodes, 1 edges) and how strongly:
 * a key whose id names the role (APOC's "labels" and "label", and ours) 3,
 * one whose attr.name does 2, an edge's "type" 1. */
static enum role want_role(const reader *R, const gkey *k, int s, int *prio)
{
    *prio = 2;
    if (s == 0 && k->id_len == 6 && memcmp(k->id, "labels", 6) == 0) {
        *prio = 3;
        return R_LABELS;
    }
    if (s == 1 && k->id_len == 5 && memcmp(k->id, "label", 5) == 0) {
        *prio = 3;
        return R_TYPE;
    }
    if (s == 0 && name_is(k, R->g, "labels"))
        return R_LABELS;
    if (s == 1 && name_is(k, R->g, "label"))
        return R_TYPE;
    if (s == 1 && name_is(k, R->g, "type")) {
        *prio = 1;
        return R_TYPE;
    }
    if (name_is(k, R->g, "id"))
        return R_ID;
    if (name_is(k, R->g, "sources"))
        return R_SOURCES;
    return R_PROP;
}

/* Which key carries labels, types, ids and sources on each side: the
 * strongest claim (want_role), the first declared among equals. Called
 * when a key is declared. */
static tg_status assign_roles(reader *R, gkey *k, tg_ipos pos)
{
    size_t i;
    int s, prio, oprio;
    enum role want;
    char q[96];

    for (s = 0; s < 2; s++) {
        k->role[s] = R_PROP;
        if (!(k->forw & (s ? F_EDGE : F_NODE)) || k->ignored ||
            (want = want_role(R, k, s, &prio)) == R_PROP)
            continue;
        if (k->vtype != TG_V_STRING && !(want == R_ID && k->vtype == TG_V_INT && !k->list)) {
            if (want == R_LABELS || want == R_TYPE)
                continue; /* a numeric "type" is just a property */
            return fail(R, pos,
                        "key %s is a %s named \"%s\"; expected attr.type=\"string\"%s (a %s's "
                        "\"%s\" is its %s)",
                        quote(q, sizeof q, k->id, k->id_len),
                        k->list                   ? "list"
                        : k->vtype == TG_V_BOOL   ? "boolean"
                                                  : "number",
                        k->name_str, want == R_ID ? " or an integer type" : "",
                        s ? "relation" : "node", k->name_str,
                        want == R_ID ? "identity" : "list of source citations");
        }
        k->role[s] = want;
        for (i = 0; i < R->nkeys; i++) {
            gkey *o = &R->keys[i];
            if (o == k || o->role[s] != want)
                continue;
            want_role(R, o, s, &oprio);
            if (prio > oprio)
                o->role[s] = R_PROP;
            else
                k->role[s] = R_PROP;
        }
    }
    return TG_OK;
}

static tg_status start_key(reader *R, const tg_xml_token *t)
{
    tg_ipos pos = tag_pos(t);
    const tg_xml_attr *ida = ATTR(t, "id"), *namea = ATTR(t, "attr.name"),
                      *type = ATTR(t, "attr.type"), *list = ATTR(t, "attr.list"),
                      *forw = ATTR(t, "for"), *temporal = ATTR(t, "attr.temporal");
    const char *id, *name, *f;
    size_t len, nlen, flen;
    gkey *k;
    char q[96];

    if (!ida || ida->value_len == 0)
        return fail(R, pos, "key has no id; expected <key id=\"...\" for=\"node\" "
                            "attr.name=\"...\" attr.type=\"...\">");
    id = ida->value;
    len = ida->value_len;
    if (find_key(R, id, len))
        return fail(R, value_pos(ida), "key id %s is declared twice", quote(q, sizeof q, id, len));
    if (tg_i_grow((void **)&R->keys, &R->capkeys, R->nkeys + 1, sizeof *R->keys) != 0)
        return oom(R);
    if ((R->nkeys + 1) * 2 > R->nkhash && rehash_keys(R) != 0)
        return oom(R);
    k = &R->keys[R->nkeys];
    memset(k, 0, sizeof *k);
    k->seen = (uint64_t)-1;
    k->id = tg_i_memdup(id, len);
    k->id_len = len;
    k->id8 = len <= 8 ? word_safe(id, len) : 0;
    if (!k->id)
        return oom(R);
    name = namea && namea->value_len ? namea->value : id;
    nlen = namea && namea->value_len ? namea->value_len : len;
    k->name_str = tg_i_memdup(name, nlen);
    k->name = tg_graph_intern(R->g, name, nlen);
    if (!k->name_str || !k->name) {
        free(k->id);
        free(k->name_str);
        return oom(R);
    }
    R->nkeys++;
    {
        size_t j;
        for (j = key_hash(id, len, k->id8) & (R->nkhash - 1); R->khash[j];
             j = (j + 1) & (R->nkhash - 1))
            ;
        R->khash[j] = R->nkeys;
    }
    f = forw ? forw->value : NULL;
    flen = forw ? forw->value_len : 0;
    if (!f || (flen == 3 && memcmp(f, "all", 3) == 0))
        k->forw = F_NODE | F_EDGE | F_GRAPH;
    else if (flen == 4 && memcmp(f, "node", 4) == 0)
        k->forw = F_NODE;
    else if (flen == 4 && memcmp(f, "edge", 4) == 0)
        k->forw = F_EDGE;
    else if (flen == 5 && memcmp(f, "graph", 5) == 0)
        k->forw = F_GRAPH;
    else if ((flen == 7 && memcmp(f, "graphml", 7) == 0) ||
             (flen == 9 && memcmp(f, "hyperedge", 9) == 0) ||
             (flen == 4 && memcmp(f, "port", 4) == 0) ||
             (flen == 8 && memcmp(f, "endpoint", 8) == 0))
        k->ignored = 1;
    else
        return fail(R, value_pos(forw),
                    "key %s is for %s; expected for=\"node\", \"edge\", \"graph\" or \"all\"",
                    quote(q, sizeof q, id, len), quote(q + 48, sizeof q - 48, f, flen));
    if (ATTR(t, "yfiles.type"))
        k->ignored = 1; /* yEd's graphics, URLs of resources: XML inside, not values */
    k->vtype = TG_V_STRING;
    if (type && (k->vtype = key_type(R, k, "attr.type", type)) < 0)
        return TG_EDATA;
    if (list && (k->vtype = key_type(R, k, "attr.list", list)) < 0)
        return TG_EDATA;
    k->list = list != NULL;
    if (temporal) { /* tiegraph's: ISO text of a temporal kind in a string key */
        tg_ctype ct;
        if (k->vtype != TG_V_STRING ||
            tg_i_ctype_parse(temporal->value, temporal->value_len, &ct) != 0 ||
            !tg_time_is_kind(ct.vtype) || ct.list)
            return fail(R, value_pos(temporal),
                        "key %s has attr.temporal %s; expected date, localtime, time, "
                        "localdatetime, datetime or duration on a string key",
                        quote(q, sizeof q, id, len),
                        quote(q + 48, sizeof q - 48, temporal->value, temporal->value_len));
        k->vtype = ct.vtype;
    }
    if (k->forw & F_GRAPH && !k->ignored && name_is(k, R->g, "sources"))
        k->role[0] = k->role[1] = R_PROP; /* graph side checked when data comes */
    return assign_roles(R, k, pos);
}

/* ---- values ------------------------------------------------------------------- */

/* The text of the open <data>, <default> or label: borrowed from the
 * tokenizer or copied; valid until the next token. */
static const char *value_text(const reader *R, size_t *len)
{
    *len = R->ntext;
    return R->btext ? R->btext : R->text ? R->text : "";
}

static void trim(const char **s, size_t *len)
{
    while (*len && is_space((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && is_space((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

/* The common forms of numbers, [-]DIGITS[.DIGITS], into *v when vt can
 * hold them exactly as strtoll and strtod would read them: an integer of
 * up to 18 digits; a float of up to 15 significant digits and 22 decimals
 * (Clinger's fast path: one correctly rounded division, as the JSON
 * parser does). 0: not one of these forms (the general path decides). */
static int number(const char *s, size_t len, int vt, tg_pval *v)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    size_t i = s[0] == '-', start, digits, frac = 0;
    uint64_t m = 0;

    if (len == 0 || len > 24)
        return 0;
    start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        m = m * 10 + (uint64_t)(s[i++] - '0');
    digits = i - start;
    if (digits == 0)
        return 0;
    if (i < len) {
        size_t f;
        if (s[i] != '.' || vt != TG_V_FLOAT)
            return 0;
        f = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            m = m * 10 + (uint64_t)(s[i++] - '0');
        frac = i - f;
        if (frac == 0 || i < len)
            return 0;
        digits += frac;
    }
    if (digits > (vt == TG_V_INT ? 18u : 15u) || frac > 22)
        return 0;
    memset(v, 0, sizeof *v);
    v->type = (uint8_t)vt;
    if (vt == TG_V_INT)
        v->u.i = s[0] == '-' ? -(int64_t)m : (int64_t)m;
    else
        v->u.f = (s[0] == '-' ? -1.0 : 1.0) * ((double)m / p10[frac]);
    return 1;
}

/* A scalar of type vt from s[0..len) into *v (strings interned), as the
 * CSV reader converts typed cells, and XML Schema's 1 and 0 for booleans;
 * 0, -1 with a message in msg, -2 out of memory. */
static int scalar(reader *R, const char *s, size_t len, int vt, tg_pval *v, char *msg,
                  size_t cap)
{
    tg_ctype t;
    tg_iprop p;
    tg_cvals none;
    size_t bad;
    const char *b = s;
    size_t blen = len;
    int rc;

    if (vt == TG_V_STRING) { /* s has 8 readable bytes after it (sym()) */
        memset(v, 0, sizeof *v);
        v->type = TG_V_STRING;
        if (len && !(v->u.s = sym(R, s, len))) {
            snprintf(msg, cap, "out of memory");
            return -2;
        }
        return 0;
    }
    if ((vt == TG_V_INT || vt == TG_V_FLOAT) && number(s, len, vt, v))
        return 0;
    if (vt == TG_V_BOOL) {
        trim(&b, &blen);
        if (blen == 1 && (*b == '1' || *b == '0')) {
            memset(v, 0, sizeof *v);
            v->type = TG_V_BOOL;
            v->u.b = *b == '1';
            return 0;
        }
    }
    if (vt == TG_V_INT || vt == TG_V_FLOAT) {
        /* the common forms (2015, -3, 1.5e6) through the JSON parser's
         * exact fast path; anything else (spaces, +1, .5, INF) below */
        tg_jval j;
        tg_i_json_reset(&R->jp, s, len, 0);
        if (len && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) &&
            tg_i_json_value(&R->jp, &j) == 0 && R->jp.pos == len &&
            (j.kind == TG_J_INT || (j.kind == TG_J_FLOAT && vt == TG_V_FLOAT))) {
            memset(v, 0, sizeof *v);
            v->type = (uint8_t)vt;
            if (vt == TG_V_INT)
                v->u.i = j.u.i;
            else
                v->u.f = j.kind == TG_J_FLOAT ? j.u.f
                         : j.u.i == 0 && s[0] == '-' ? -0.0 /* "-0": keep the sign */
                                                     : (double)j.u.i;
            return 0;
        }
    }
    memset(&t, 0, sizeof t);
    memset(&p, 0, sizeof p);
    memset(&none, 0, sizeof none);
    t.vtype = vt;
    rc = tg_i_cvalue(R->g, s, len, &t, ';', &none, &p, msg, cap, &bad);
    *v = p.v;
    return rc;
}

/* Appends an item to the record's list pool; -1 out of memory. */
static int push_item(record *r, const tg_pval *v)
{
    if (tg_i_grow((void **)&r->items, &r->capitems, r->nitems + 1, sizeof *r->items) != 0)
        return -1;
    r->items[r->nitems++] = *v;
    return 0;
}

/* A JSON array in text[0..len) whose elements are of type vt, appended to
 * items (the record's pool, or a key's default). Returns the count, or -1
 * with msg, -2 out of memory. */
static long json_list(reader *R, const char *text, size_t len, int vt, tg_pval **items,
                      size_t *n, size_t *capn, char *msg, size_t cap)
{
    tg_jval v;
    uint32_t i;
    static const char *const kinds[] = {"",          "booleans",       "integers",
                                        "numbers",   "strings",        "lists",
                                        "dates",     "local times",    "times",
                                        "local date-times", "date-times", "durations"};

    tg_i_json_reset(&R->jp, text, len, 0);
    tg_i_json_skip_ws(&R->jp);
    if (tg_i_json_value(&R->jp, &v) != 0) {
        if (R->jp.status == TG_ENOMEM)
            return -2;
        snprintf(msg, cap, "is not a JSON list: %.160s (byte %zu of the value)", R->jp.err_msg,
                 R->jp.err_off + 1);
        return -1;
    }
    if (tg_i_json_skip_ws(&R->jp) != len || v.kind != TG_J_ARRAY) {
        snprintf(msg, cap, "is not a JSON list; expected [...] of %s", kinds[vt]);
        return -1;
    }
    for (i = 0; i < v.n; i++) {
        const tg_jval *x = &v.u.items[i];
        tg_pval p;
        memset(&p, 0, sizeof p);
        p.type = (uint8_t)vt;
        if (vt == TG_V_STRING && x->kind == TG_J_STRING) {
            p.u.s = x->u.s.len ? tg_graph_intern(R->g, x->u.s.p, x->u.s.len) : 0;
            if (x->u.s.len && !p.u.s)
                return -2;
        } else if (vt == TG_V_INT && x->kind == TG_J_INT) {
            p.u.i = x->u.i;
        } else if (vt == TG_V_FLOAT && (x->kind == TG_J_INT || x->kind == TG_J_FLOAT)) {
            p.u.f = x->kind == TG_J_INT ? (double)x->u.i : x->u.f;
        } else if (vt == TG_V_FLOAT && x->kind == TG_J_STRING &&
                   ((x->u.s.len == 3 && memcmp(x->u.s.p, "NaN", 3) == 0) ||
                    (x->u.s.len == 8 && memcmp(x->u.s.p, "Infinity", 8) == 0) ||
                    (x->u.s.len == 9 && memcmp(x->u.s.p, "-Infinity", 9) == 0))) {
            p.u.f = x->u.s.p[0] == 'N' ? NAN : x->u.s.p[0] == '-' ? -INFINITY : INFINITY;
        } else if (vt == TG_V_BOOL && (x->kind == TG_J_TRUE || x->kind == TG_J_FALSE)) {
            p.u.b = x->kind == TG_J_TRUE;
        } else if (tg_time_is_kind(vt) && x->kind == TG_J_STRING) {
            /* scalar() does not touch R->jp for temporal kinds, whose tree
             * this loop is walking */
            char m[200];
            int rc = scalar(R, x->u.s.p, x->u.s.len, vt, &p, m, sizeof m);
            if (rc == -2)
                return -2;
            if (rc < 0) {
                snprintf(msg, cap, "holds %.150s at element %u", m, i + 1);
                return -1;
            }
        } else {
            snprintf(msg, cap, "holds %s at element %u; expected a list of %s",
                     tg_i_json_kind_name(x->kind), i + 1, kinds[vt]);
            return -1;
        }
        if (tg_i_grow((void **)items, capn, *n + 1, sizeof **items) != 0)
            return -2;
        (*items)[(*n)++] = p;
    }
    return (long)v.n;
}

/* Splits ":A:B" (or "A:B") into labels appended to the record. */
static tg_status add_labels(reader *R, const char *s, size_t len, int padded)
{
    record *r = &R->rec;
    size_t at = 0;

    while (at < len) {
        const char *e = memchr(s + at, ':', len - at);
        size_t end = e ? (size_t)(e - s) : len, k;
        const char *p = s + at;
        size_t n = end - at;
        trim(&p, &n);
        if (n) {
            tg_sym l = padded ? sym(R, p, n) : tg_graph_intern(R->g, p, n);
            if (!l)
                return oom(R);
            for (k = 0; k < r->nlabels && r->labels[k] != l; k++)
                ;
            if (k == r->nlabels) {
                if (tg_i_grow((void **)&r->labels, &r->caplabels, r->nlabels + 1,
                              sizeof *r->labels) != 0)
                    return oom(R);
                r->labels[r->nlabels++] = l;
            }
        }
        at = end + 1;
    }
    return TG_OK;
}

static tg_status add_citation(reader *R, tg_sym s)
{
    record *r = &R->rec;

    if (tg_i_grow((void **)&r->srcs, &r->capsrcs, r->nsrcs + 1, sizeof *r->srcs) != 0)
        return oom(R);
    r->srcs[r->nsrcs++] = s;
    return TG_OK;
}

/* Copies s[0..len) into *buf (growing it). */
/* Copies s[0..len) to *buf + at (growing it, always with 8 bytes after
 * the end, for word()). */
static int copy_to(char **buf, size_t *cap, size_t at, const void *s, size_t len)
{
    if (tg_i_grow((void **)buf, cap, at + len + 9, 1) != 0)
        return -1;
    memcpy(*buf + at, s, len);
    memset(*buf + at + len, 0, 9);
    return 0;
}

/* The source records of the graph's "sources" data: a JSON array of
 * objects with a string "id" and string fields. */
static tg_status graph_sources(reader *R, const char *text, size_t len, tg_ipos pos)
{
    tg_jval v;
    uint32_t i, j;
    char q[96];

    trim(&text, &len);
    if (len == 0)
        return TG_OK;
    tg_i_json_reset(&R->jp, text, len, 0);
    if (tg_i_json_value(&R->jp, &v) != 0 || tg_i_json_skip_ws(&R->jp) != len ||
        v.kind != TG_J_ARRAY) {
        if (R->jp.status == TG_ENOMEM)
            return oom(R);
        return fail(R, pos, "the graph's \"sources\" is not a JSON list of source records; "
                            "expected [{\"id\": \"...\", \"title\": \"...\"}, ...]");
    }
    for (i = 0; i < v.n; i++) {
        const tg_jval *o = &v.u.items[i];
        tg_isource s;
        size_t nf = 0;
        tg_status st;
        memset(&s, 0, sizeof s);
        if (o->kind != TG_J_OBJECT)
            return fail(R, pos, "source record %u of the graph's \"sources\" is %s; expected an "
                                "object",
                        i + 1, tg_i_json_kind_name(o->kind));
        if (tg_i_grow((void **)&R->fields, &R->capfields, o->n + 1, sizeof *R->fields) != 0)
            return oom(R);
        for (j = 0; j < o->n; j++) {
            const tg_jmember *m = &o->u.members[j];
            if (m->v.kind == TG_J_NULL)
                continue;
            if (m->v.kind != TG_J_STRING)
                return fail(R, pos, "source field %s is %s; expected a string",
                            quote(q, sizeof q, m->key, m->klen), tg_i_json_kind_name(m->v.kind));
            if (m->klen == 2 && memcmp(m->key, "id", 2) == 0) {
                s.id = m->v.u.s.p;
                s.id_len = m->v.u.s.len;
                continue;
            }
            R->fields[nf].key = tg_graph_intern(R->g, m->key, m->klen);
            R->fields[nf].value =
                m->v.u.s.len ? tg_graph_intern(R->g, m->v.u.s.p, m->v.u.s.len) : 0;
            if (!R->fields[nf].key || (m->v.u.s.len && !R->fields[nf].value))
                return oom(R);
            nf++;
        }
        if (!s.id || s.id_len == 0)
            return fail(R, pos, "source record %u of the graph's \"sources\" has no \"id\"; "
                                "expected a non-empty string",
                        i + 1);
        s.fields = R->fields;
        s.nfields = nf;
        s.pos = pos;
        if ((st = tg_importer_source(R->imp, &s)) != TG_OK)
            return failed(R, st);
    }
    return TG_OK;
}

/* The end of a <data>: the text becomes a property, labels, a type, an id
 * or citations of the record, or the graph's source records. */
static tg_status end_data(reader *R, int on_graph)
{
    gkey *k = &R->keys[R->cur_key];
    record *r = &R->rec;
    int side = r->kind == E_EDGE;
    enum role role = on_graph ? R_GSOURCES : k->role[side];
    size_t len;
    const char *text = value_text(R, &len);
    char msg[256], q[96];
    tg_status st;

    if (on_graph) {
        if (name_is(k, R->g, "sources") && k->vtype == TG_V_STRING && !k->list)
            return graph_sources(R, text, len, R->text_pos);
        return TG_OK; /* other graph data: not kept */
    }
    switch (role) {
    case R_LABELS:
        r->labels_given = 1;
        if (k->list) {
            tg_pval *items = NULL;
            size_t n = 0, capn = 0, i;
            long c = json_list(R, text, len, TG_V_STRING, &items, &n, &capn, msg, sizeof msg);
            if (c == -2) {
                free(items);
                return oom(R);
            }
            if (c < 0) {
                free(items);
                return fail(R, R->text_pos, "the labels of key %s %s",
                            quote(q, sizeof q, k->id, k->id_len), msg);
            }
            for (i = 0, st = TG_OK; i < n && st == TG_OK; i++) {
                size_t l;
                const char *s = tg_graph_str(R->g, items[i].u.s, &l);
                st = add_labels(R, s, l, 0);
            }
            free(items);
            return st;
        }
        return add_labels(R, text, len, 1);
    case R_TYPE:
        trim(&text, &len);
        if (len && !(r->type = sym(R, text, len)))
            return oom(R);
        return TG_OK;
    case R_ID:
        trim(&text, &len);
        if (len && k->vtype == TG_V_INT) { /* an integer id (NetworkX's id=123) as its text */
            tg_pval v;
            if (scalar(R, text, len, TG_V_INT, &v, msg, sizeof msg) != 0)
                return fail(R, R->text_pos, "%s (key %s, \"%s\")", msg,
                            quote(q, sizeof q, k->id, k->id_len), k->name_str);
        }
        if (len && copy_to(&r->did, &r->did_cap, 0, text, len) != 0)
            return oom(R);
        r->did_len = len;
        r->did_pos = R->text_pos;
        return TG_OK;
    case R_SOURCES:
        if (k->list) {
            size_t before = r->nitems, i;
            long c;
            if (R->cite_text && len == R->ncite_text && memcmp(text, R->cite_text, len) == 0) {
                /* the same citations as the previous list (common: a dataset's
                 * rows cite the same source) */
                for (i = 0; i < R->ncite; i++)
                    if ((st = add_citation(R, R->cite[i])) != TG_OK)
                        return st;
                return TG_OK;
            }
            c = json_list(R, text, len, TG_V_STRING, &r->items, &r->nitems, &r->capitems, msg,
                          sizeof msg);
            if (c == -2)
                return oom(R);
            if (c < 0)
                return fail(R, R->text_pos, "\"sources\" (key %s) %s",
                            quote(q, sizeof q, k->id, k->id_len), msg);
            R->ncite = 0;
            R->ncite_text = 0;
            for (i = before; i < r->nitems; i++) {
                if (!r->items[i].u.s)
                    continue;
                if ((st = add_citation(R, r->items[i].u.s)) != TG_OK)
                    return st;
                if (tg_i_grow((void **)&R->cite, &R->capcite, R->ncite + 1, sizeof *R->cite) != 0)
                    return oom(R);
                R->cite[R->ncite++] = r->items[i].u.s;
            }
            r->nitems = before;
            if (copy_to(&R->cite_text, &R->capcite_text, 0, text, len) != 0)
                return oom(R);
            R->ncite_text = len;
            return TG_OK;
        }
        if (len) {
            tg_sym s = sym(R, text, len);
            if (!s)
                return oom(R);
            return add_citation(R, s);
        }
        return TG_OK;
    default: break;
    }
    /* a property */
    {
        tg_iprop *p;
        if (tg_i_grow((void **)&r->props, &r->capprops, r->nprops + 1, sizeof *r->props) != 0)
            return oom(R);
        p = &r->props[r->nprops];
        memset(p, 0, sizeof *p);
        p->key = k->name;
        p->pos = R->text_pos;
        if (k->list) {
            const char *t = text;
            size_t tl = len;
            size_t first = r->nitems;
            long c;
            trim(&t, &tl);
            if (tl == 0)
                return TG_OK; /* empty: absent */
            c = json_list(R, t, tl, k->vtype, &r->items, &r->nitems, &r->capitems, msg,
                          sizeof msg);
            if (c == -2)
                return oom(R);
            if (c < 0)
                return fail(R, R->text_pos, "the value of key %s (\"%s\") %s",
                            quote(q, sizeof q, k->id, k->id_len), k->name_str, msg);
            p->v.type = TG_V_LIST;
            p->v.elem = (uint8_t)(c ? k->vtype : TG_V_NULL);
            p->v.len = (uint32_t)c;
            p->v.u.list = (uint32_t)first;
        } else {
            int rc;
            if (k->vtype != TG_V_STRING) {
                const char *t = text;
                size_t tl = len;
                trim(&t, &tl);
                if (tl == 0)
                    return TG_OK; /* an empty number: absent */
            }
            rc = scalar(R, text, len, k->vtype, &p->v, msg, sizeof msg);
            if (rc == -2)
                return oom(R);
            if (rc < 0)
                return fail(R, R->text_pos, "%s (key %s, \"%s\")", msg,
                            quote(q, sizeof q, k->id, k->id_len), k->name_str);
        }
        if (k->name == R->s_label && r->kind == E_NODE)
            r->has_label_prop = 1;
        r->nprops++;
    }
    return TG_OK;
}

static tg_status end_default(reader *R)
{
    gkey *k = &R->keys[R->cur_key];
    size_t len;
    const char *text = value_text(R, &len);
    char msg[256], q[96];

    k->has_default = 0;
    free(k->def_items);
    k->def_items = NULL;
    memset(&k->def, 0, sizeof k->def);
    k->def_pos = R->text_pos;
    if (k->list) {
        size_t n = 0, capn = 0;
        long c;
        trim(&text, &len);
        if (len == 0)
            return TG_OK;
        c = json_list(R, text, len, k->vtype, &k->def_items, &n, &capn, msg, sizeof msg);
        if (c == -2)
            return oom(R);
        if (c < 0)
            return fail(R, R->text_pos, "the default of key %s %s",
                        quote(q, sizeof q, k->id, k->id_len), msg);
        k->def.type = TG_V_LIST;
        k->def.elem = (uint8_t)(c ? k->vtype : TG_V_NULL);
        k->def.len = (uint32_t)c;
    } else {
        int rc;
        if (k->vtype != TG_V_STRING) {
            const char *t = text;
            size_t tl = len;
            trim(&t, &tl);
            if (tl == 0)
                return TG_OK;
        }
        rc = scalar(R, text, len, k->vtype, &k->def, msg, sizeof msg);
        if (rc == -2)
            return oom(R);
        if (rc < 0)
            return fail(R, R->text_pos, "%s (the default of key %s)", msg,
                        quote(q, sizeof q, k->id, k->id_len));
    }
    k->has_default = 1;
    R->has_defaults |= k->forw;
    return TG_OK;
}

/* ---- records ------------------------------------------------------------------ */

static void rec_reset(reader *R, int kind)
{
    record *r = &R->rec;

    r->kind = kind;
    r->serial = ++R->serial;
    r->xid_len = r->src_len = 0;
    r->nprops = r->nitems = r->nlabels = r->nsrcs = 0;
    r->labels_given = 0;
    r->type = r->attr_type = r->yed_label = 0;
    r->did_len = 0;
    r->has_label_prop = 0;
    R->ylabel_done = 0;
}

/* Applies the defaults of keys the record has no data for. */
static tg_status apply_defaults(reader *R, int side)
{
    record *r = &R->rec;
    size_t i;
    tg_status st;

    if (!(R->has_defaults & (side ? F_EDGE : F_NODE)))
        return TG_OK;
    for (i = 0; i < R->nkeys; i++) {
        gkey *k = &R->keys[i];
        if (!k->has_default || k->seen == r->serial || !(k->forw & (side ? F_EDGE : F_NODE)) ||
            k->ignored)
            continue;
        switch (k->role[side]) {
        case R_LABELS:
            if (!r->labels_given && k->def.type == TG_V_STRING) {
                size_t l;
                const char *s = tg_graph_str(R->g, k->def.u.s, &l);
                if ((st = add_labels(R, s, l, 0)) != TG_OK)
                    return st;
            }
            break;
        case R_TYPE:
            if (!r->type && k->def.type == TG_V_STRING && k->def.u.s)
                r->type = k->def.u.s;
            break;
        case R_SOURCES:
            if (k->def.type == TG_V_STRING && k->def.u.s &&
                (st = add_citation(R, k->def.u.s)) != TG_OK)
                return st;
            if (k->def.type == TG_V_LIST) {
                uint32_t j;
                for (j = 0; j < k->def.len; j++)
                    if (k->def_items[j].u.s && (st = add_citation(R, k->def_items[j].u.s)) != TG_OK)
                        return st;
            }
            break;
        case R_ID: break; /* a default identity would make every item the same */
        default: {
            tg_iprop *p;
            if (tg_i_grow((void **)&r->props, &r->capprops, r->nprops + 1, sizeof *r->props) !=
                0)
                return oom(R);
            p = &r->props[r->nprops++];
            memset(p, 0, sizeof *p);
            p->key = k->name;
            p->pos = k->def_pos;
            p->v = k->def;
            if (k->def.type == TG_V_LIST) {
                size_t first = r->nitems;
                uint32_t j;
                for (j = 0; j < k->def.len; j++)
                    if (push_item(r, &k->def_items[j]) != 0)
                        return oom(R);
                p->v.u.list = (uint32_t)first;
            }
            if (k->name == R->s_label && side == 0)
                r->has_label_prop = 1;
        }
        }
    }
    return TG_OK;
}

static void fix_items(record *r)
{
    size_t i;

    for (i = 0; i < r->nprops; i++)
        r->props[i].items = r->props[i].v.type == TG_V_LIST && r->items
                                ? r->items + r->props[i].v.u.list
                                : NULL; /* an empty list may come before any item */
}

/* ---- the handle map ------------------------------------------------------------ */

static int hmap_put(hmap *m, const char *k, size_t klen, const char *v, size_t vlen)
{
    size_t need = 2 * sizeof(size_t) + klen + vlen, i;
    size_t at;

    if ((m->n + 1) * 2 > m->nslots) {
        size_t n = m->nslots ? m->nslots * 2 : 1024, j;
        size_t *s = calloc(n, sizeof *s);
        if (!s)
            return -1;
        for (i = 0; i < m->nslots; i++) {
            size_t e = m->slots[i], ek;
            if (!e)
                continue;
            memcpy(&ek, m->pool + e - 1, sizeof ek);
            for (j = hash(m->pool + e - 1 + 2 * sizeof(size_t), ek) & (n - 1); s[j];
                 j = (j + 1) & (n - 1))
                ;
            s[j] = e;
        }
        free(m->slots);
        m->slots = s;
        m->nslots = n;
    }
    need = (need + 7) & ~(size_t)7;
    if (tg_i_grow((void **)&m->pool, &m->cap, m->used + need, 1) != 0)
        return -1;
    at = m->used;
    memcpy(m->pool + at, &klen, sizeof klen);
    memcpy(m->pool + at + sizeof klen, &vlen, sizeof vlen);
    memcpy(m->pool + at + 2 * sizeof(size_t), k, klen);
    memcpy(m->pool + at + 2 * sizeof(size_t) + klen, v, vlen);
    m->used += need;
    for (i = hash(k, klen) & (m->nslots - 1); m->slots[i]; i = (i + 1) & (m->nslots - 1))
        ;
    m->slots[i] = at + 1;
    m->n++;
    return 0;
}

/* The entity id of XML id k, or NULL (then it is k itself). */
static const char *hmap_get(const hmap *m, const char *k, size_t klen, size_t *vlen)
{
    size_t i;

    if (!m->n)
        return NULL;
    for (i = hash(k, klen) & (m->nslots - 1); m->slots[i]; i = (i + 1) & (m->nslots - 1)) {
        const char *e = m->pool + m->slots[i] - 1;
        size_t ek, ev;
        memcpy(&ek, e, sizeof ek);
        memcpy(&ev, e + sizeof ek, sizeof ev);
        if (ek == klen && memcmp(e + 2 * sizeof(size_t), k, klen) == 0) {
            *vlen = ev;
            return e + 2 * sizeof(size_t) + ek;
        }
    }
    return NULL;
}

static tg_status emit_node(reader *R)
{
    record *r = &R->rec;
    tg_ientity e;
    tg_status st;

    r->kind = 0;
    if ((st = apply_defaults(R, 0)) != TG_OK)
        return st;
    if (r->yed_label && !r->has_label_prop) {
        tg_iprop *p;
        if (tg_i_grow((void **)&r->props, &r->capprops, r->nprops + 1, sizeof *r->props) != 0)
            return oom(R);
        p = &r->props[r->nprops++];
        memset(p, 0, sizeof *p);
        p->key = R->s_label;
        p->pos = r->pos;
        p->v.type = TG_V_STRING;
        p->v.u.s = r->yed_label;
    }
    fix_items(r);
    memset(&e, 0, sizeof e);
    e.id = r->xid;
    e.id_len = r->xid_len;
    e.id_pos = r->id_pos;
    if (r->did_len && (r->did_len != r->xid_len || memcmp(r->did, r->xid, r->xid_len) != 0)) {
        if (hmap_put(&R->handles, r->xid, r->xid_len, r->did, r->did_len) != 0)
            return oom(R);
        e.id = r->did;
        e.id_len = r->did_len;
        e.id_pos = r->did_pos;
    }
    if (r->nlabels == 0) {
        e.labels = &R->s_entity;
        e.nlabels = 1;
    } else {
        e.labels = r->labels;
        e.nlabels = r->nlabels;
    }
    e.props = r->props;
    e.nprops = r->nprops;
    e.sources = r->srcs;
    e.nsources = r->nsrcs;
    e.pos = r->pos;
    return failed(R, tg_importer_entity(R->imp, &e));
}

static tg_status emit_edge(reader *R)
{
    record *r = &R->rec;
    tg_irelation x;
    const char *from = r->xid, *to = r->xid + r->src_len + 1, *m;
    size_t from_len = r->src_len, to_len = r->xid_len - r->src_len - 1, ml;
    tg_status st;

    r->kind = 0;
    if ((st = apply_defaults(R, 1)) != TG_OK)
        return st;
    fix_items(r);
    memset(&x, 0, sizeof x);
    if ((m = hmap_get(&R->handles, from, from_len, &ml)) != NULL) {
        from = m;
        from_len = ml;
    }
    if ((m = hmap_get(&R->handles, to, to_len, &ml)) != NULL) {
        to = m;
        to_len = ml;
    }
    x.type = r->type ? r->type : r->attr_type ? r->attr_type : r->yed_label ? r->yed_label
                                                                            : R->s_related;
    x.from = from;
    x.from_len = from_len;
    x.to = to;
    x.to_len = to_len;
    x.from_pos = r->from_pos;
    x.to_pos = r->to_pos;
    if (r->did_len) {
        x.id = r->did;
        x.id_len = r->did_len;
        x.id_pos = r->did_pos;
    }
    x.props = r->props;
    x.nprops = r->nprops;
    x.sources = r->srcs;
    x.nsources = r->nsrcs;
    x.pos = r->pos;
    return failed(R, tg_importer_relation(R->imp, &x));
}

/* ---- tokens ------------------------------------------------------------------ */

static void push(reader *R, enum elem kind)
{
    R->stack[R->depth++] = kind;
}

/* A node's record is placed at its id, an edge's at its source. */
static void start_node(reader *R, const tg_xml_token *t)
{
    record *r = &R->rec;
    const tg_xml_attr *id = ATTR(t, "id"), *labels;

    rec_reset(R, E_NODE);
    if (!id) {
        fail(R, tag_pos(t), "node has no id; expected <node id=\"...\">");
        return;
    }
    r->pos = r->id_pos = value_pos(id);
    if (copy_to(&r->xid, &r->xid_cap, 0, id->value, id->value_len) != 0) {
        oom(R);
        return;
    }
    r->xid_len = id->value_len;
    if ((labels = ATTR(t, "labels")) != NULL) {
        r->labels_given = labels->value_len > 0;
        add_labels(R, labels->value, labels->value_len, 1);
    }
}

static void start_edge(reader *R, const tg_xml_token *t)
{
    record *r = &R->rec;
    const tg_xml_attr *src = ATTR(t, "source"), *dst = ATTR(t, "target"), *label = ATTR(t, "label");
    size_t slen, tlen;

    rec_reset(R, E_EDGE);
    if (!src || !dst) {
        fail(R, tag_pos(t), "edge has no %s; expected <edge source=\"...\" target=\"...\">",
             src ? "target" : "source");
        return;
    }
    r->pos = r->from_pos = value_pos(src);
    r->to_pos = value_pos(dst);
    slen = src->value_len;
    tlen = dst->value_len;
    if (slen == 0 || tlen == 0) {
        fail(R, slen ? r->to_pos : r->from_pos, "edge %s is empty; expected the id of a node",
             slen ? "target" : "source");
        return;
    }
    if (copy_to(&r->xid, &r->xid_cap, 0, src->value, slen) != 0 ||
        copy_to(&r->xid, &r->xid_cap, slen + 1, dst->value, tlen) != 0) {
        oom(R);
        return;
    }
    r->src_len = slen;
    r->xid_len = slen + 1 + tlen;
    if (label) {
        const char *p = label->value;
        size_t n = label->value_len;
        trim(&p, &n);
        if (n && !(r->attr_type = sym(R, p, n)))
            oom(R);
    }
}

/* Starts collecting the text of a value (data, default, label). */
static void start_text(reader *R, const tg_xml_token *t)
{
    R->text_pos = TG_IPOS(t->end_line, t->end_col);
    R->ntext = 0;
    R->btext = NULL;
}

static void start_data(reader *R, const tg_xml_token *t, int on_graph)
{
    const tg_xml_attr *key = ATTR(t, "key");
    gkey *k;
    record *r = &R->rec;
    unsigned want = on_graph ? F_GRAPH : r->kind == E_EDGE ? F_EDGE : F_NODE;
    char q[96];

    if (!key) {
        fail(R, tag_pos(t), "data has no key; expected <data key=\"...\">");
        return;
    }
    if (!(k = find_key(R, key->value, key->value_len))) {
        fail(R, value_pos(key),
             "data refers to undeclared key %s; expected a <key id=...> before the graph",
             quote(q, sizeof q, key->value, key->value_len));
        return;
    }
    if (!(k->forw & want) && !k->ignored) {
        fail(R, value_pos(key), "key %s is declared for %s; found in %s",
             quote(q, sizeof q, key->value, key->value_len),
             k->forw & F_NODE ? "nodes" : k->forw & F_EDGE ? "edges" : "the graph",
             on_graph ? "the graph" : r->kind == E_EDGE ? "an edge" : "a node");
        return;
    }
    R->cur_key = (size_t)(k - R->keys);
    if (k->ignored) {
        push(R, E_YDATA);
        return;
    }
    if (!on_graph) {
        if (k->seen == r->serial) {
            fail(R, value_pos(key), "key %s is given twice for this %s",
                 quote(q, sizeof q, key->value, key->value_len),
                 r->kind == E_EDGE ? "edge" : "node");
            return;
        }
        k->seen = r->serial;
    }
    start_text(R, t);
    push(R, E_DATA);
}

/* Copies a borrowed text into the reader's buffer (before the token that
 * lent it goes). */
static void keep_text(reader *R)
{
    if (R->btext) {
        if (copy_to(&R->text, &R->captext, 0, R->btext, R->ntext) != 0)
            oom(R);
        R->btext = NULL;
    }
}

static void on_start(reader *R, const tg_xml_token *t)
{
    enum elem parent;
    enum name name;
    int ours;

    if (R->skip) {
        R->skip++;
        return;
    }
    keep_text(R); /* a child element comes before the end of a value (yEd's labels) */
    ours = in_graphml(R, t);
    name = classify(t->local, t->local_len);
    if (R->depth == 0) {
        if (!ours || name != N_GRAPHML) {
            fail(R, tag_pos(t), "the document's root element is <%.*s>; expected <graphml>",
                 (int)(t->name_len > 60 ? 60 : t->name_len), t->name);
            return;
        }
        R->seen_root = 1;
        push(R, E_GRAPHML);
        return;
    }
    parent = R->stack[R->depth - 1];
    if (parent == E_YDATA || parent == E_YLABEL) {
        /* inside yEd graphics: read the text of the first NodeLabel/EdgeLabel */
        if ((name == N_NODELABEL || name == N_EDGELABEL) && !R->ylabel_done && R->rec.kind &&
            t->ns_len == sizeof NS_YED - 1 && memcmp(t->ns, NS_YED, t->ns_len) == 0) {
            start_text(R, t);
            push(R, E_YLABEL);
            return;
        }
        push(R, E_YDATA);
        return;
    }
    if (!ours) {
        if (parent == E_DATA || parent == E_DEFAULT) {
            fail(R, tag_pos(t), "<%.*s> inside <%s>; expected text (the value)",
                 (int)(t->name_len > 60 ? 60 : t->name_len), t->name,
                 parent == E_DATA ? "data" : "default");
            return;
        }
        R->skip = 1; /* foreign elements (yEd's, ...) */
        return;
    }
    switch (parent) {
    case E_GRAPHML:
        if (name == N_KEY) {
            push(R, E_KEY);
            start_key(R, t);
            return;
        }
        if (name == N_GRAPH) {
            push(R, E_GRAPH);
            return;
        }
        break;
    case E_KEY:
        if (name == N_DEFAULT) {
            R->cur_key = R->nkeys - 1;
            start_text(R, t);
            push(R, E_DEFAULT);
            return;
        }
        break;
    case E_NODE:
    case E_EDGE:
    case E_GRAPH:
        if (name == N_DATA) {
            start_data(R, t, parent == E_GRAPH);
            return;
        }
        if (parent == E_NODE && name == N_GRAPH) {
            /* a nested graph (yEd's groups): the node is complete; its
             * children are flattened into the one graph */
            if (R->rec.kind == E_NODE && emit_node(R) != TG_OK)
                return;
            push(R, E_GRAPH);
            return;
        }
        if (parent == E_GRAPH && name == N_NODE) {
            push(R, E_NODE);
            start_node(R, t);
            return;
        }
        if (parent == E_GRAPH && name == N_EDGE) {
            push(R, E_EDGE);
            start_edge(R, t);
            return;
        }
        if (parent == E_GRAPH && name == N_HYPEREDGE) {
            fail(R, tag_pos(t), "hyperedges are not supported; expected <edge source=... "
                                "target=...>");
            return;
        }
        break;
    case E_DATA:
    case E_DEFAULT:
        fail(R, tag_pos(t), "<%.*s> inside <%s>; expected text (the value)",
             (int)(t->name_len > 60 ? 60 : t->name_len), t->name,
             parent == E_DATA ? "data" : "default");
        return;
    default: break;
    }
    R->skip = 1; /* desc, port, locator and unknown elements */
}

static void on_end(reader *R)
{
    enum elem kind;

    if (R->skip) {
        R->skip--;
        return;
    }
    if (R->depth == 0)
        return;
    kind = R->stack[--R->depth];
    switch (kind) {
    case E_DATA: end_data(R, R->depth > 0 && R->stack[R->depth - 1] == E_GRAPH); break;
    case E_DEFAULT: end_default(R); break;
    case E_NODE:
        if (R->rec.kind == E_NODE)
            emit_node(R);
        break;
    case E_EDGE: emit_edge(R); break;
    case E_YLABEL:
        if (R->rec.kind && !R->ylabel_done) {
            size_t n;
            const char *t = value_text(R, &n);
            trim(&t, &n);
            if (n) {
                R->ylabel_done = 1;
                if (!(R->rec.yed_label = sym(R, t, n)))
                    oom(R);
            }
        }
        break;
    default: break;
    }
    R->btext = NULL;
}

static void on_text(reader *R, const char *s, size_t len)
{
    enum elem kind;

    if (R->skip || R->depth == 0 || len == 0)
        return;
    kind = R->stack[R->depth - 1];
    if (kind != E_DATA && kind != E_DEFAULT && kind != E_YLABEL)
        return;
    if (R->ntext + len > R->max_text) {
        fail(R, R->text_pos, "a value longer than %zu bytes, the most one value may hold (see "
                             "--max-record-size)",
             R->max_text);
        return;
    }
    if (R->ntext == 0) { /* the first piece: borrowed (usually the only one) */
        R->btext = s;
        R->ntext = len;
        return;
    }
    keep_text(R);
    if (copy_to(&R->text, &R->captext, R->ntext, s, len) != 0) {
        oom(R);
        return;
    }
    R->ntext += len;
}

/* A <data> leaf of a node or an edge (GraphML's commonest element, a whole
 * token: xml_scan.h, TG_XML_LEAVES): what on_start, on_text and on_end
 * would do, without their dispatch. */
static void data_leaf(reader *R, const tg_xml_token *t)
{
    start_data(R, t, 0);
    if (R->failed)
        return;
    if (R->stack[R->depth - 1] == E_DATA) {
        if (t->text_len > R->max_text) {
            fail(R, R->text_pos, "a value longer than %zu bytes, the most one value may hold "
                                 "(see --max-record-size)",
                 R->max_text);
            return;
        }
        R->btext = t->text;
        R->ntext = t->text_len;
        end_data(R, 0);
        R->btext = NULL;
    }
    R->depth--;
}

/* The tokenizer's error, worded for GraphML where it names the document. */
static void scan_failed(reader *R, const tg_xml_scan *sc)
{
    tg_ipos pos = TG_IPOS(sc->err_line, sc->err_col);

    switch (sc->code) {
    case TG_XML_E_READ: R->failed = 1; return; /* recorded by tg_i_input_read */
    case TG_XML_E_NOMEM: oom(R); return;
    case TG_XML_E_NOT_XML:
        fail(R, pos, "not XML: expected a GraphML document starting with <graphml ...> or "
                     "<?xml ...?>");
        return;
    case TG_XML_E_WIDE:
        fail(R, pos, "the file starts with a NUL byte or a UTF-16 byte order mark: it is not UTF-8 "
                     "text (UTF-16, UTF-32 or binary?); expected a UTF-8 GraphML document "
                     "(re-save it as UTF-8)");
        return;
    case TG_XML_E_ENTITY: fail(R, pos, "%s (expected plain GraphML)", sc->msg); return;
    case TG_XML_E_TOO_LONG: fail(R, pos, "%s (see --max-record-size)", sc->msg); return;
    default: fail(R, pos, "%s", sc->msg); return;
    }
}

/* ---- reading ------------------------------------------------------------------ */

/* The tokenizer's read function: the input, with progress. */
static size_t read_input(void *ctx, char *dst, size_t cap)
{
    reader *R = ctx;
    size_t n = tg_i_input_read(R->in, dst, cap, R->err);

    if (n != (size_t)-1 && R->o && R->o->progress && (++R->reads & 3) == 0)
        R->o->progress->fn(R->o->progress->ctx, R->in->done, R->in->size);
    return n;
}

tg_status tg_i_read_graphml(tg_importer *imp, const char *path, const tg_read_options *o,
                            tg_load_counts *counts, tg_error *err)
{
    reader R;
    tg_input in;
    tg_xml_scan sc;
    tg_xml_token t;
    tg_xml_kind k;
    tg_status st = TG_OK;
    size_t i, max_markup;
    tg_import_file_options fo;

    memset(&R, 0, sizeof R);
    memset(&in, 0, sizeof in);
    R.imp = imp;
    R.g = tg_importer_graph(imp);
    R.err = err;
    R.o = o;
    R.path = path;
    R.in = &in;
    R.max_text = o && o->max_record ? o->max_record : TG_MAX_RECORD_DEFAULT;
    max_markup = R.max_text < MIN_MARKUP ? MIN_MARKUP : R.max_text;
    tg_i_json_init(&R.jp);
    tg_i_xml_init(&sc, read_input, &R, max_markup, TG_XML_LEAVES | TG_XML_SKIP_BLANK);
    memset(&fo, 0, sizeof fo);
    tg_importer_begin(imp, path, &fo, err);
    R.s_entity = tg_graph_intern(R.g, "Entity", 6);
    R.s_related = tg_graph_intern(R.g, "RELATED", 7);
    R.s_label = tg_graph_intern(R.g, "label", 5);
    if (!R.s_entity || !R.s_related || !R.s_label) {
        st = tg_error_set(err, TG_ENOMEM, path, 0, 0, "out of memory reading \"%s\"", path);
        goto done;
    }
    if ((st = tg_i_input_open(&in, path, o ? o->max_record : 0, err)) != TG_OK)
        goto done;
    while (!R.failed && (k = tg_i_xml_next(&sc, &t)) != TG_XML_EOF) {
        switch (k) {
        case TG_XML_START:
            if (t.leaf && !R.skip && R.depth > 0 &&
                (R.stack[R.depth - 1] == E_NODE || R.stack[R.depth - 1] == E_EDGE) &&
                t.local_len == 4 && memcmp(t.local, "data", 4) == 0 && in_graphml(&R, &t)) {
                data_leaf(&R, &t);
                break;
            }
            on_start(&R, &t);
            if (t.leaf && !R.failed) {
                on_text(&R, t.text, t.text_len);
                if (!R.failed)
                    on_end(&R);
            }
            break;
        case TG_XML_END: on_end(&R); break;
        case TG_XML_TEXT: on_text(&R, t.text, t.text_len); break;
        default: scan_failed(&R, &sc); break;
        }
    }
    if (!R.failed && !R.seen_root)
        fail(&R, TG_IPOS(1, 1), "empty file: expected a GraphML document (<graphml ...>)");
    if (R.failed) {
        st = err && err->status != TG_OK ? err->status : TG_EDATA;
        goto done;
    }
    if ((st = tg_i_input_finish(&in, err)) != TG_OK)
        goto done;
    if (o && o->progress)
        o->progress->fn(o->progress->ctx, in.done, in.size);
    st = tg_importer_end(imp, counts);
done:
    tg_i_xml_destroy(&sc);
    tg_i_input_close(&in);
    for (i = 0; i < R.nkeys; i++) {
        free(R.keys[i].id);
        free(R.keys[i].name_str);
        free(R.keys[i].def_items);
    }
    free(R.keys);
    free(R.khash);
    free(R.text);
    free(R.rec.xid);
    free(R.rec.props);
    free(R.rec.items);
    free(R.rec.labels);
    free(R.rec.srcs);
    free(R.rec.did);
    free(R.handles.slots);
    free(R.handles.pool);
    free(R.fields);
    free(R.cite_text);
    free(R.cite);
    tg_i_json_destroy(&R.jp);
    return st;
}

/* A document whose first element is <graphml> (after an XML declaration,
 * comments or a doctype) is surely GraphML. */
int tg_i_sniff_graphml(const char *head, size_t n)
{
    size_t i = 0;

    while (i < n && is_space((unsigned char)head[i]))
        i++;
    if (i >= n || head[i] != '<')
        return 0;
    for (; i + 8 <= n; i++)
        if (head[i] == '<' && memcmp(head + i + 1, "graphml", 7) == 0)
            return 95;
    return 0;
}
