/* export_xml.c — GraphML and GEXF 1.3 out (docs/formats.md, "GraphML" and
 * "GEXF").
 *
 * Both writers make two passes over the exported items: the first finds the
 * columns (a property name with one value type on one side: GraphML <key>s,
 * GEXF <attribute>s, which must come before the items), the second writes
 * every item in one buffered stream (output.h), with no allocation per
 * value. Both walk the engine's property columns with cursors
 * (tg_graph_column), items in index order. A property holding values of
 * different types on different items gets one column per type, all with the
 * same name, so that nothing is converted.
 *
 * What makes the second pass fast (1M entities / 5M relations: 858 MB of
 * GraphML): whatever can be made once is — each column's opening tag, each
 * entity's escaped id (in a 16-byte slot: relations copy two per line, with
 * one cache line each, fetched ahead), the text of the last list value of
 * each column (lists are stored once per content, and most items of a
 * column cite the same sources) — and the rest is written straight into the
 * output buffer (tg_i_out_reserve), with escaping by table and numbers
 * without printf.
 *
 * GraphML: labels as ":A:B" in the data key with id `labels` and the
 * relation type in the one with id `label` (Neo4j's APOC form: its
 * apoc.import.graphml reads them back; APOC also repeats them as node and
 * edge attributes, which would cost 12% more bytes to write and parse), a
 * relation's id in the data key `id`, lists as JSON arrays in string keys
 * with APOC's attr.list, citations in the list key `sources`, the source
 * records as a JSON array in the graph data key `sources`.
 *
 * GEXF 1.3: typed attributes (lists as Gephi writes them: `[a, "b c"]`), the
 * relation type as the edge's `kind` and `label`, every edge with an id (the
 * relation's id, else a number that no relation id can be), the node label
 * from the `name` property, the source records as JSON in
 * <meta><description> (GEXF has no graph attributes).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "numfmt.h"
#include "output.h"
#include "readers.h"
#include "temporal.h"
#include "text.h"

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)0)
#endif

/* How many relations ahead of the one being written their endpoints' id
 * slots are fetched. */
#define AHEAD 16

/* One column: values of one type under one property name on one side. */
typedef struct xcol {
    uint8_t type, elem; /* tg_vtype; elem for lists (TG_V_NULL: only empty lists seen) */
    uint8_t skip;       /* written by the writer itself (an entity's "id", ...) */
    uint8_t taglen;
    uint32_t num; /* the column's number in the output */
    /* what opens a value: <data key="d4"> or <attvalue for="4" value=" */
    char tag[48];
    /* The text of the last list value written in this column, and which
     * list that was (lists are stored once per content: same offset, same
     * list). NULL until the first. */
    tg_out *list_text;
    tg_pval list;
} xcol;

/* The columns of one property key (usually one), and a cursor over the
 * engine's column of that key (items ascending). */
typedef struct xkey {
    tg_sym key;
    xcol *cols;
    size_t ncols, cap;
    const uint32_t *rows;
    const tg_pval *vals;
    size_t n, cur;
} xkey;

typedef struct xside {
    const tg_sym *keys; /* tg_graph_prop_keys, sorted by name */
    size_t nkeys;
    xkey *k; /* parallel to keys */
    uint32_t ncols;
} xside;

/* An exported entity's id, escaped for an attribute value: in the slot when
 * it has at most 15 bytes (len), else (len LONG_ID) in xw.ids, at the
 * offset and with the length that b holds. */
typedef struct idslot {
    unsigned char len;
    char b[15];
} idslot;
#define LONG_ID 0xFF

typedef struct xw {
    tg_out out;
    tg_out ids;    /* in memory: the escaped ids too long for their slot */
    idslot *slots; /* one per entity index */
    const tg_graph *g;
    tg_xplan plan;
    xside side[2];
    tg_sym s_id, s_name, s_label;
    int gexf;
    const char *labels_name, *type_name; /* GraphML: the attr.name of labels and types */
    char num[TG_TIME_TEXT_MAX > 48 ? TG_TIME_TEXT_MAX : 48];
} xw;

/* A string literal to the output, or to o (its length known at compile
 * time). */
#define PUT(w, lit) tg_i_out_write(&(w)->out, lit, sizeof lit - 1)
#define PUT_TO(o, lit) tg_i_out_write(o, lit, sizeof lit - 1)

static void xw_destroy(xw *w)
{
    int s;
    size_t i, c;

    for (s = 0; s < 2; s++) {
        for (i = 0; w->side[s].k && i < w->side[s].nkeys; i++) {
            for (c = 0; c < w->side[s].k[i].ncols; c++) {
                tg_out *t = w->side[s].k[i].cols[c].list_text;
                if (t)
                    tg_i_out_abort(t);
                free(t);
            }
            free(w->side[s].k[i].cols);
        }
        free(w->side[s].k);
    }
    tg_i_xplan_destroy(&w->plan);
    tg_i_out_abort(&w->ids);
    free(w->slots);
}

/* The column of value v under key k, or NULL. An empty list goes to the
 * key's first list column whatever its element type. */
static xcol *col_of(const xkey *k, const tg_pval *v)
{
    size_t i;

    for (i = 0; i < k->ncols; i++) {
        xcol *c = &k->cols[i];
        if (c->type != v->type)
            continue;
        if (v->type != TG_V_LIST || c->elem == v->elem || v->elem == TG_V_NULL)
            return c;
    }
    return NULL;
}

/* Records the column of v under k (first pass). -1 when out of memory. */
static int note(xkey *k, const tg_pval *v)
{
    size_t i;

    if (col_of(k, v))
        return 0;
    if (v->type == TG_V_LIST && v->elem != TG_V_NULL)
        for (i = 0; i < k->ncols; i++)
            if (k->cols[i].type == TG_V_LIST && k->cols[i].elem == TG_V_NULL) {
                k->cols[i].elem = v->elem; /* only empty lists so far: adopt the type */
                return 0;
            }
    if (tg_i_grow((void **)&k->cols, &k->cap, k->ncols + 1, sizeof *k->cols) != 0)
        return -1;
    memset(&k->cols[k->ncols], 0, sizeof *k->cols);
    k->cols[k->ncols].type = v->type;
    k->cols[k->ncols].elem = v->elem;
    k->ncols++;
    return 0;
}

/* Whether a column of key on side is written by the writer itself: an
 * entity's "id" is its id; in GEXF a relation's string "id" is the edge's
 * id. */
static int reserved(const xw *w, tg_side side, tg_sym key, int type)
{
    if (key != w->s_id || !key)
        return 0;
    return side == TG_ENTITY || (w->gexf && type == TG_V_STRING);
}

/* The value of key k on item, moving k's cursor forward: items must be
 * asked for in increasing order (asking for the same item again is fine).
 * NULL when item has no value. */
static const tg_pval *value_at(xkey *k, uint32_t item)
{
    while (k->cur < k->n && k->rows[k->cur] < item)
        k->cur++;
    return k->cur < k->n && k->rows[k->cur] == item ? &k->vals[k->cur] : NULL;
}

/* The key of side whose property is key, or NULL. */
static xkey *key_of(xw *w, tg_side side, tg_sym key)
{
    xside *xs = &w->side[side];
    size_t j;

    for (j = 0; key && j < xs->nkeys; j++)
        if (xs->keys[j] == key)
            return &xs->k[j];
    return NULL;
}

/* Makes the tag that opens a value of col. */
static void make_tag(xw *w, xcol *col)
{
    char *p = col->tag;

    if (w->gexf) {
        memcpy(p, "<attvalue for=\"", 15);
        p = tg_i_format_int(p + 15, col->num);
        memcpy(p, "\" value=\"", 9);
        p += 9;
    } else {
        memcpy(p, "<data key=\"d", 12);
        p = tg_i_format_int(p + 12, col->num);
        memcpy(p, "\">", 2);
        p += 2;
    }
    col->taglen = (uint8_t)(p - col->tag);
}

/* First pass: the columns of every exported item, numbered from *next in
 * the order of the keys' names. Reads each key's column once, in order. */
static tg_status find_columns(xw *w, tg_side side, uint32_t *next, tg_error *err)
{
    xside *xs = &w->side[side];
    size_t i, j, c;

    xs->nkeys = tg_graph_prop_keys(w->g, side, &xs->keys);
    xs->k = calloc(xs->nkeys + 1, sizeof *xs->k);
    if (!xs->k)
        goto oom;
    for (j = 0; j < xs->nkeys; j++) {
        xkey *k = &xs->k[j];
        k->key = xs->keys[j];
        k->n = tg_graph_column(w->g, side, k->key, &k->rows, &k->vals);
        for (i = 0; i < k->n; i++) {
            uint32_t item = k->rows[i];
            if ((side == TG_ENTITY ? tg_i_xplan_has_ent(&w->plan, item)
                                   : tg_i_xplan_has_rel(&w->plan, item)) &&
                note(k, &k->vals[i]) != 0)
                goto oom;
        }
    }
    for (j = 0; j < xs->nkeys; j++)
        for (c = 0; c < xs->k[j].ncols; c++) {
            xcol *col = &xs->k[j].cols[c];
            col->skip = (uint8_t)reserved(w, side, xs->keys[j], col->type);
            if (!col->skip) {
                col->num = (*next)++;
                make_tag(w, col);
            }
        }
    xs->ncols = *next;
    return TG_OK;
oom:
    return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory planning the export");
}

/* ---- values ---------------------------------------------------------------- */

static void out_str(xw *w, tg_out *o, tg_sym s, int attr)
{
    size_t len;
    const char *p = tg_graph_str(w->g, s, &len);

    if (attr)
        tg_i_out_xml(o, p, len);
    else
        tg_i_out_xml_text(o, p, len);
}

/* A string as JSON inside XML character data. */
static void out_json_string(xw *w, tg_out *o, tg_sym sym)
{
    size_t len;
    const char *s = tg_graph_str(w->g, sym, &len);

    tg_i_out_json_string_xml(o, s, len);
}

/* A temporal value's ISO 8601 text (plain ASCII: nothing to escape) into
 * w->num; its length, 0 when v is none. */
static size_t temporal_text(xw *w, const tg_pval *v)
{
    tg_temporal t;

    if (!tg_time_is_kind(v->type) || !tg_graph_temporal(w->g, v, &t))
        return 0;
    return tg_time_format(&t, w->num);
}

static void out_scalar(xw *w, tg_out *o, const tg_pval *v, int attr)
{
    switch (v->type) {
    case TG_V_BOOL:
        if (v->u.b)
            PUT_TO(o, "true");
        else
            PUT_TO(o, "false");
        break;
    case TG_V_INT: tg_i_out_int(o, v->u.i); break;
    case TG_V_FLOAT: tg_i_out_double(o, v->u.f); break;
    case TG_V_STRING: out_str(w, o, v->u.s, attr); break;
    default: tg_i_out_write(o, w->num, temporal_text(w, v)); break;
    }
}

/* A list as a JSON array (GraphML, APOC's form) in character data: floats
 * that JSON has no number for are the strings "NaN", "Infinity",
 * "-Infinity". */
static void out_json_list(xw *w, tg_out *o, const tg_pval *v)
{
    const tg_pval *items = tg_graph_list(w->g, v);
    uint32_t i;

    tg_i_out_char(o, '[');
    for (i = 0; i < v->len; i++) {
        const tg_pval *x = &items[i];
        if (i)
            PUT_TO(o, ", ");
        if (x->type == TG_V_STRING) {
            out_json_string(w, o, x->u.s);
        } else if (tg_time_is_kind(x->type)) { /* a JSON string of its ISO text */
            size_t n = temporal_text(w, x);
            tg_i_out_char(o, '"');
            tg_i_out_write(o, w->num, n);
            tg_i_out_char(o, '"');
        } else if (x->type == TG_V_FLOAT && (x->u.f != x->u.f || x->u.f - x->u.f != 0)) {
            tg_i_out_char(o, '"');
            tg_i_out_double(o, x->u.f);
            tg_i_out_char(o, '"');
        } else {
            out_scalar(w, o, x, 0);
        }
    }
    tg_i_out_char(o, ']');
}

/* A string list element as Gephi prints arrays: quoted, with \ and "
 * escaped (inside an attribute value). */
static void gexf_list_string(xw *w, tg_out *o, tg_sym sym)
{
    size_t len, i, run = 0;
    const char *s = tg_graph_str(w->g, sym, &len);

    PUT_TO(o, "&quot;");
    for (i = 0; i < len; i++) {
        if (s[i] != '"' && s[i] != '\\')
            continue;
        if (i > run)
            tg_i_out_xml(o, s + run, i - run);
        if (s[i] == '"')
            PUT_TO(o, "\\&quot;");
        else
            PUT_TO(o, "\\\\");
        run = i + 1;
    }
    if (len > run)
        tg_i_out_xml(o, s + run, len - run);
    PUT_TO(o, "&quot;");
}

/* A list value as Gephi writes arrays: "[1, 2]", strings quoted; the empty
 * list is "<empty>". */
static void gexf_list(xw *w, tg_out *o, const tg_pval *v)
{
    const tg_pval *items = tg_graph_list(w->g, v);
    uint32_t i;

    if (v->len == 0) {
        PUT_TO(o, "&lt;empty&gt;");
        return;
    }
    tg_i_out_char(o, '[');
    for (i = 0; i < v->len; i++) {
        if (i)
            PUT_TO(o, ", ");
        if (items[i].type == TG_V_STRING) {
            gexf_list_string(w, o, items[i].u.s);
        } else if (tg_time_is_kind(items[i].type)) { /* quoted: a zone has [ ] */
            PUT_TO(o, "&quot;");
            out_scalar(w, o, &items[i], 1);
            PUT_TO(o, "&quot;");
        } else {
            out_scalar(w, o, &items[i], 1);
        }
    }
    tg_i_out_char(o, ']');
}

/* A list value of col: its text is made once for a run of items that hold
 * the same list, and copied for each. */
static void out_list(xw *w, xcol *col, const tg_pval *v)
{
    tg_out *t = col->list_text;

    if (!t || col->list.u.list != v->u.list || col->list.len != v->len ||
        col->list.elem != v->elem) {
        if (!t) {
            t = col->list_text = malloc(sizeof *t);
            if (!t) {
                w->out.err_no = ENOMEM; /* reported as the export's error */
                return;
            }
            tg_i_out_memory(t);
        }
        t->n = 0;
        if (w->gexf)
            gexf_list(w, t, v);
        else
            out_json_list(w, t, v);
        if (t->err_no) {
            w->out.err_no = t->err_no;
            col->list.len = (uint32_t)-1; /* nothing cached */
            return;
        }
        col->list = *v;
    }
    tg_i_out_write(&w->out, t->buf, t->n);
}

/* Writes value v of col, with the tag that opens it and the one that
 * closes it: <data key="d4">...</data> (GraphML), <attvalue for="4"
 * value="..."/> (GEXF). */
static void out_value(xw *w, xcol *col, const tg_pval *v)
{
    tg_out *o = &w->out;
    char *p = tg_i_out_reserve(o, sizeof col->tag + 20);

    memcpy(p, col->tag, sizeof col->tag);
    p += col->taglen;
    if (v->type == TG_V_INT) {
        p = tg_i_format_int(p, v->u.i);
        tg_i_out_advance(o, p);
    } else {
        tg_i_out_advance(o, p);
        if (v->type == TG_V_LIST)
            out_list(w, col, v);
        else
            out_scalar(w, o, v, w->gexf);
    }
    if (w->gexf)
        PUT_TO(o, "\"/>");
    else
        PUT_TO(o, "</data>");
}

/* Writes every value of item (but those the writer writes itself). Items
 * must come in increasing order (the keys' cursors only move forward). */
static void out_values(xw *w, tg_side side, uint32_t item)
{
    xside *xs = &w->side[side];
    size_t j;

    for (j = 0; j < xs->nkeys; j++) {
        xkey *k = &xs->k[j];
        const tg_pval *v = value_at(k, item);
        xcol *col;
        /* the columns are read in step, a dozen streams: fetch ahead */
        if (k->cur + 64 < k->n) {
            PREFETCH(k->rows + k->cur + 64);
            PREFETCH(k->vals + k->cur + 16);
        }
        if (v && (col = col_of(k, v)) && !col->skip)
            out_value(w, col, v);
    }
}

/* Escapes the id of every exported entity once, into its slot (or, when
 * longer than the slot, into w->ids): relations name two each, and copying
 * them is cheaper than looking up and escaping the same strings again (5
 * relations per entity in the benchmark). */
static tg_status cache_ids(xw *w, tg_error *err)
{
    size_t n = tg_graph_entity_count(w->g), i;

    w->slots = malloc((n + 1) * sizeof *w->slots);
    if (!w->slots)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory planning the export");
    for (i = 0; i < n; i++) {
        idslot *s = &w->slots[i];
        size_t len, at = w->ids.n;
        const char *id;
        s->len = 0;
        if (!tg_i_xplan_has_ent(&w->plan, (uint32_t)i))
            continue;
        id = tg_graph_str(w->g, tg_graph_entity_id(w->g, (tg_ent)i), &len);
        tg_i_out_xml(&w->ids, id, len);
        if (w->ids.n - at <= sizeof s->b) {
            s->len = (unsigned char)(w->ids.n - at);
            memcpy(s->b, w->ids.buf + at, s->len);
            w->ids.n = at;
        } else {
            uint64_t off = at;
            uint32_t k = (uint32_t)(w->ids.n - at);
            s->len = LONG_ID;
            memcpy(s->b + 3, &k, sizeof k);
            memcpy(s->b + 7, &off, sizeof off);
        }
    }
    if (w->ids.err_no)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory planning the export");
    return TG_OK;
}

/* Entity e's id, escaped for an attribute value. */
static void out_id(xw *w, tg_ent e)
{
    const idslot *s = &w->slots[e];

    if (s->len != LONG_ID) {
        char *p = tg_i_out_reserve(&w->out, sizeof s->b);
        memcpy(p, s->b, sizeof s->b);
        tg_i_out_advance(&w->out, p + s->len);
    } else {
        uint64_t off;
        uint32_t k;
        memcpy(&k, s->b + 3, sizeof k);
        memcpy(&off, s->b + 7, sizeof off);
        tg_i_out_write(&w->out, w->ids.buf + off, k);
    }
}

/* Calls fn for every column of side, in the output's order. */
static void each_column(xw *w, tg_side side, void (*fn)(xw *, tg_side, tg_sym, const xcol *))
{
    const xside *xs = &w->side[side];
    size_t j, c;

    for (j = 0; j < xs->nkeys; j++)
        for (c = 0; c < xs->k[j].ncols; c++)
            if (!xs->k[j].cols[c].skip)
                fn(w, side, xs->keys[j], &xs->k[j].cols[c]);
}

/* Fetches the id slots of relation r's endpoints, to be written soon. */
static void prefetch_endpoints(const xw *w, tg_rel r)
{
    size_t n = tg_graph_entity_count(w->g);
    tg_ent a = tg_graph_rel_from(w->g, r), b = tg_graph_rel_to(w->g, r);

    if (a < n)
        PREFETCH(&w->slots[a]);
    if (b < n)
        PREFETCH(&w->slots[b]);
}

/* ` source="F" target="T"` of relation r. */
static void out_endpoints(xw *w, tg_rel r)
{
    const idslot *a = &w->slots[tg_graph_rel_from(w->g, r)];
    const idslot *b = &w->slots[tg_graph_rel_to(w->g, r)];

    if (a->len != LONG_ID && b->len != LONG_ID) { /* both in their slots: one copy */
        char *p = tg_i_out_reserve(&w->out, 64);
        memcpy(p, " source=\"", 9);
        memcpy(p + 9, a->b, sizeof a->b);
        p += 9 + a->len;
        memcpy(p, "\" target=\"", 10);
        memcpy(p + 10, b->b, sizeof b->b);
        p += 10 + b->len;
        *p++ = '"';
        tg_i_out_advance(&w->out, p);
        return;
    }
    PUT(w, " source=\"");
    out_id(w, tg_graph_rel_from(w->g, r));
    PUT(w, "\" target=\"");
    out_id(w, tg_graph_rel_to(w->g, r));
    tg_i_out_char(&w->out, '"');
}

/* ---- GraphML ------------------------------------------------------------------ */

static const char *graphml_type(int t)
{
    switch (t) {
    case TG_V_BOOL: return "boolean";
    case TG_V_INT: return "long";
    case TG_V_FLOAT: return "double";
    default: return "string";
    }
}

static void graphml_key(xw *w, tg_side side, tg_sym key, const xcol *col)
{
    PUT(w, "<key id=\"d");
    tg_i_out_int(&w->out, col->num);
    tg_i_out_puts(&w->out, side == TG_ENTITY ? "\" for=\"node\" attr.name=\""
                                             : "\" for=\"edge\" attr.name=\"");
    out_str(w, &w->out, key, 1);
    PUT(w, "\" attr.type=\"");
    if (col->type == TG_V_LIST) {
        PUT(w, "string\" attr.list=\"");
        tg_i_out_puts(&w->out, graphml_type(col->elem));
    } else {
        tg_i_out_puts(&w->out, graphml_type(col->type));
    }
    {
        /* temporal values as ISO text in string keys, their kind in
         * attr.temporal (ours, like APOC's attr.list: other readers see text) */
        const char *tag = tg_time_kind_tag(col->type == TG_V_LIST ? col->elem : col->type);
        if (tag) {
            PUT(w, "\" attr.temporal=\"");
            tg_i_out_puts(&w->out, tag);
        }
    }
    PUT(w, "\"/>\n");
}

/* Labels as APOC writes them: ":A:B". */
static void out_labels(xw *w, tg_ent e, int attr)
{
    const tg_sym *labels;
    size_t n = tg_graph_labels(w->g, e, &labels), i;

    for (i = 0; i < n; i++) {
        tg_i_out_char(&w->out, ':');
        out_str(w, &w->out, labels[i], attr);
    }
}

/* The source records as one JSON array of objects with string fields, in
 * character data. */
static void out_sources_json(xw *w)
{
    size_t n = tg_graph_source_count(w->g), i, k;
    int first = 1;

    tg_i_out_char(&w->out, '[');
    for (i = 0; i < n; i++) {
        const tg_source_field *f;
        size_t nf;
        if (!w->plan.srcs[i])
            continue;
        nf = tg_graph_source_fields(w->g, (uint32_t)i, &f);
        tg_i_out_puts(&w->out, first ? "{" : ",\n{");
        first = 0;
        PUT(w, "\"id\": ");
        out_json_string(w, &w->out, tg_graph_source_id(w->g, (uint32_t)i));
        for (k = 0; k < nf; k++) {
            PUT(w, ", ");
            out_json_string(w, &w->out, f[k].key);
            PUT(w, ": ");
            out_json_string(w, &w->out, f[k].value);
        }
        tg_i_out_char(&w->out, '}');
    }
    tg_i_out_char(&w->out, ']');
}

/* The first of names that no exported item of side has as a property (the
 * last when all are taken): the attr.name of the labels and type keys, so
 * that readers that go by name (NetworkX, igraph) see both. */
static const char *free_name(const xw *w, tg_side side, const char *const *names)
{
    const xside *xs = &w->side[side];
    size_t i, j;

    for (i = 0; names[i + 1]; i++) {
        tg_sym s = tg_graph_sym(w->g, names[i], strlen(names[i]));
        for (j = 0; s && j < xs->nkeys && !(xs->keys[j] == s && xs->k[j].ncols); j++)
            ;
        if (!s || j == xs->nkeys)
            break;
    }
    return names[i];
}

static tg_status plan(xw *w, const tg_graph *g, const char *out, const tg_write_options *o,
                      int gexf, tg_error *err)
{
    tg_status st;
    uint32_t next = 0;

    memset(w, 0, sizeof *w);
    tg_i_out_memory(&w->ids); /* never a zeroed tg_out: fd 0 is stdin */
    w->g = g;
    w->gexf = gexf;
    w->s_id = tg_graph_sym(g, "id", 2);
    w->s_name = tg_graph_sym(g, "name", 4);
    w->s_label = tg_graph_sym(g, "label", 5);
    if ((st = tg_i_xplan_init(&w->plan, g, o ? o->sel : NULL, err)) != TG_OK)
        return st;
    if ((st = find_columns(w, TG_ENTITY, &next, err)) != TG_OK ||
        (st = find_columns(w, TG_RELATION, &next, err)) != TG_OK ||
        (st = tg_i_out_open(&w->out, out, err)) != TG_OK) {
        xw_destroy(w);
        return st;
    }
    if ((st = cache_ids(w, err)) != TG_OK) {
        tg_i_out_abort(&w->out);
        xw_destroy(w);
        return st;
    }
    {
        static const char *const labels[] = {"labels", "node_labels", "tiegraph_labels", NULL};
        static const char *const types[] = {"label", "type", "relation_type", "tiegraph_type",
                                            NULL};
        w->labels_name = free_name(w, TG_ENTITY, labels);
        w->type_name = free_name(w, TG_RELATION, types);
    }
    return TG_OK;
}

tg_status tg_i_write_graphml(const tg_graph *g, const char *out, const tg_write_options *o,
                             tg_error *err)
{
    xw w;
    size_t i, n;
    tg_status st;

    if ((st = plan(&w, g, out, o, 0, err)) != TG_OK)
        return st;
    tg_i_out_puts(&w.out,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
                  "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                  "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
                  "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
                  "<!-- tiegraph: labels as :A:B in the key labels, the relation type in the "
                  "key label, lists as JSON arrays (attr.list), source records in the graph's "
                  "key sources -->\n"
                  "<key id=\"sources\" for=\"graph\" attr.name=\"sources\" attr.type=\"string\"/>\n"
                  "<key id=\"labels\" for=\"node\" attr.name=\"");
    tg_i_out_puts(&w.out, w.labels_name);
    PUT(&w, "\" attr.type=\"string\"/>\n<key id=\"label\" for=\"edge\" attr.name=\"");
    tg_i_out_puts(&w.out, w.type_name);
    PUT(&w, "\" attr.type=\"string\"/>\n");
    each_column(&w, TG_ENTITY, graphml_key);
    each_column(&w, TG_RELATION, graphml_key);
    PUT(&w, "<graph id=\"G\" edgedefault=\"directed\">\n");
    if (w.plan.nsrcs) {
        PUT(&w, "<data key=\"sources\">");
        out_sources_json(&w);
        PUT(&w, "</data>\n");
    }
    n = tg_graph_entity_count(g);
    for (i = 0; i < n; i++) {
        if (!tg_i_xplan_has_ent(&w.plan, (uint32_t)i))
            continue;
        PUT(&w, "<node id=\"");
        out_id(&w, (tg_ent)i);
        PUT(&w, "\"><data key=\"labels\">");
        out_labels(&w, (tg_ent)i, 0);
        PUT(&w, "</data>");
        out_values(&w, TG_ENTITY, (uint32_t)i);
        PUT(&w, "</node>\n");
    }
    n = tg_graph_relation_count(g);
    for (i = 0; i < n; i++) {
        tg_sym type;
        if (i + AHEAD < n)
            prefetch_endpoints(&w, (tg_rel)(i + AHEAD));
        if (!tg_i_xplan_has_rel(&w.plan, (uint32_t)i))
            continue;
        type = tg_graph_rel_type(g, (tg_rel)i);
        PUT(&w, "<edge");
        out_endpoints(&w, (tg_rel)i);
        PUT(&w, "><data key=\"label\">");
        out_str(&w, &w.out, type, 0);
        PUT(&w, "</data>");
        out_values(&w, TG_RELATION, (uint32_t)i);
        PUT(&w, "</edge>\n");
    }
    PUT(&w, "</graph>\n</graphml>\n");
    xw_destroy(&w);
    return tg_i_out_commit(&w.out, err);
}

/* ---- GEXF 1.3 ------------------------------------------------------------------- */

static const char *gexf_type(int t, int elem)
{
    if (t == TG_V_LIST)
        switch (elem) {
        case TG_V_BOOL: return "listboolean";
        case TG_V_INT: return "listlong";
        case TG_V_FLOAT: return "listdouble";
        default: return "liststring";
        }
    switch (t) {
    case TG_V_BOOL: return "boolean";
    case TG_V_INT: return "long";
    case TG_V_FLOAT: return "double";
    default: return "string";
    }
}

/* A property named "label" is titled "label_": a node's and an edge's own
 * label attribute (the name, the type) would hide it in NetworkX. */
static void gexf_attribute(xw *w, tg_side side, tg_sym key, const xcol *col)
{
    (void)side;
    PUT(w, "<attribute id=\"");
    tg_i_out_int(&w->out, col->num);
    PUT(w, "\" title=\"");
    out_str(w, &w->out, key, 1);
    if (key == w->s_label)
        tg_i_out_char(&w->out, '_');
    PUT(w, "\" type=\"");
    tg_i_out_puts(&w->out, gexf_type(col->type, col->elem));
    PUT(w, "\"/>\n");
}

/* A prefix for the generated ids of relations without an id, such that no
 * relation id is the prefix followed by digits: "" when no id is all
 * digits, else "r", "rr", ... */
static tg_status edge_id_prefix(xw *w, char *prefix, size_t cap, tg_error *err)
{
    const uint32_t *rows;
    const tg_pval *vals;
    size_t n = w->s_id ? tg_graph_column(w->g, TG_RELATION, w->s_id, &rows, &vals) : 0;
    size_t i, plen = 0;

    prefix[0] = '\0';
    for (;;) {
        int clash = 0;
        for (i = 0; i < n && !clash; i++) {
            size_t len, k;
            const char *s;
            if (!tg_i_xplan_has_rel(&w->plan, rows[i]) || vals[i].type != TG_V_STRING)
                continue;
            s = tg_graph_str(w->g, vals[i].u.s, &len);
            if (len <= plen || memcmp(s, prefix, plen) != 0)
                continue;
            for (k = plen; k < len && s[k] >= '0' && s[k] <= '9'; k++)
                ;
            clash = k == len;
        }
        if (!clash)
            return TG_OK;
        if (plen + 2 > cap)
            return tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                                "cannot make edge ids: the relation ids use every prefix");
        prefix[plen++] = 'r';
        prefix[plen] = '\0';
    }
}

tg_status tg_i_write_gexf(const tg_graph *g, const char *out, const tg_write_options *o,
                          tg_error *err)
{
    xw w;
    size_t i, n;
    tg_status st;
    char prefix[16];
    xkey *names, *ids; /* cursors over the "name" of entities, the "id" of relations */

    if ((st = plan(&w, g, out, o, 1, err)) != TG_OK)
        return st;
    if ((st = edge_id_prefix(&w, prefix, sizeof prefix, err)) != TG_OK) {
        tg_i_out_abort(&w.out);
        xw_destroy(&w);
        return st;
    }
    tg_i_out_puts(&w.out,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<gexf xmlns=\"http://gexf.net/1.3\" "
                  "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                  "xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" "
                  "version=\"1.3\">\n<meta><creator>tiegraph " TG_VERSION "</creator>");
    if (w.plan.nsrcs) {
        PUT(&w, "<description>");
        out_sources_json(&w);
        PUT(&w, "</description>");
    }
    PUT(&w, "</meta>\n<graph defaultedgetype=\"directed\" mode=\"static\">\n");
    tg_i_out_puts(&w.out, "<attributes class=\"node\" mode=\"static\">\n"
                          "<attribute id=\"labels\" title=\"");
    tg_i_out_puts(&w.out, w.labels_name);
    PUT(&w, "\" type=\"string\"/>\n");
    each_column(&w, TG_ENTITY, gexf_attribute);
    PUT(&w, "</attributes>\n<attributes class=\"edge\" mode=\"static\">\n");
    each_column(&w, TG_RELATION, gexf_attribute);
    PUT(&w, "</attributes>\n");
    PUT(&w, "<nodes>\n");
    names = key_of(&w, TG_ENTITY, w.s_name);
    ids = key_of(&w, TG_RELATION, w.s_id);
    n = tg_graph_entity_count(g);
    for (i = 0; i < n; i++) {
        const tg_pval *name;
        tg_sym id;
        if (!tg_i_xplan_has_ent(&w.plan, (uint32_t)i))
            continue;
        id = tg_graph_entity_id(g, (tg_ent)i);
        name = names ? value_at(names, (uint32_t)i) : NULL;
        PUT(&w, "<node id=\"");
        out_id(&w, (tg_ent)i);
        PUT(&w, "\" label=\"");
        out_str(&w, &w.out, name && name->type == TG_V_STRING && name->u.s ? name->u.s : id, 1);
        PUT(&w, "\"><attvalues><attvalue for=\"labels\" value=\"");
        out_labels(&w, (tg_ent)i, 1);
        PUT(&w, "\"/>");
        out_values(&w, TG_ENTITY, (uint32_t)i);
        PUT(&w, "</attvalues></node>\n");
    }
    PUT(&w, "</nodes>\n<edges>\n");
    n = tg_graph_relation_count(g);
    for (i = 0; i < n; i++) {
        const tg_pval *id;
        tg_sym type;
        if (i + AHEAD < n)
            prefetch_endpoints(&w, (tg_rel)(i + AHEAD));
        if (!tg_i_xplan_has_rel(&w.plan, (uint32_t)i))
            continue;
        type = tg_graph_rel_type(g, (tg_rel)i);
        id = ids ? value_at(ids, (uint32_t)i) : NULL;
        PUT(&w, "<edge id=\"");
        if (id && id->type == TG_V_STRING) {
            out_str(&w, &w.out, id->u.s, 1);
        } else {
            tg_i_out_puts(&w.out, prefix);
            tg_i_out_int(&w.out, (int64_t)i);
        }
        tg_i_out_char(&w.out, '"');
        out_endpoints(&w, (tg_rel)i);
        PUT(&w, " kind=\"");
        out_str(&w, &w.out, type, 1);
        PUT(&w, "\" label=\"");
        out_str(&w, &w.out, type, 1);
        PUT(&w, "\"><attvalues>");
        out_values(&w, TG_RELATION, (uint32_t)i);
        PUT(&w, "</attvalues></edge>\n");
    }
    PUT(&w, "</edges>\n</graph>\n</gexf>\n");
    xw_destroy(&w);
    return tg_i_out_commit(&w.out, err);
}
