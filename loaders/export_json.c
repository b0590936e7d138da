/* export_json.c — tiegraph/1 out: a JSON document or JSON Lines.
 *
 * Importing the export gives the same store: entities in index order with
 * their labels, properties and "sources"; relations in index order with
 * their type, endpoints, properties (a relation's "id" is its identity) and
 * "sources"; source records with their fields. Floats keep a decimal point;
 * NaN and the infinities, which JSON has no numbers for, are written as the
 * typed value {"float": "NaN"} that the reader understands, and the temporal
 * types as {"date": "2018-03-01"}, {"duration": "P3Y2M"}, ... (ISO 8601).
 */
#include <string.h>

#include "export.h"
#include "numfmt.h"
#include "output.h"
#include "readers.h"
#include "temporal.h"

typedef struct jw {
    tg_out out;
    const tg_graph *g;
    tg_sym s_id, s_sources;
    int first; /* no member written yet in the current object */
} jw;

static void str(jw *w, tg_sym s)
{
    size_t len;
    const char *p = tg_graph_str(w->g, s, &len);
    tg_i_out_json_string(&w->out, p, len);
}

static void scalar(jw *w, const tg_pval *v)
{
    switch (v->type) {
    case TG_V_BOOL: tg_i_out_puts(&w->out, v->u.b ? "true" : "false"); break;
    case TG_V_INT: tg_i_out_int(&w->out, v->u.i); break;
    case TG_V_FLOAT:
        if (v->u.f != v->u.f || v->u.f - v->u.f != 0) { /* NaN, +-Infinity */
            char b[48];
            tg_format_double(v->u.f, b);
            tg_i_out_puts(&w->out, "{\"float\": \"");
            tg_i_out_puts(&w->out, b);
            tg_i_out_puts(&w->out, "\"}");
        } else {
            tg_i_out_double(&w->out, v->u.f);
        }
        break;
    case TG_V_STRING: str(w, v->u.s); break;
    default: {
        tg_temporal t;
        char text[TG_TIME_TEXT_MAX];
        size_t n;
        if (!tg_graph_temporal(w->g, v, &t)) {
            tg_i_out_puts(&w->out, "null");
            break;
        }
        n = tg_time_format(&t, text);
        tg_i_out_puts(&w->out, "{\"");
        tg_i_out_puts(&w->out, tg_time_kind_tag(t.kind));
        tg_i_out_puts(&w->out, "\": ");
        tg_i_out_json_string(&w->out, text, n);
        tg_i_out_char(&w->out, '}');
        break;
    }
    }
}

static void value(jw *w, const tg_pval *v)
{
    uint32_t i;
    const tg_pval *items;

    if (v->type != TG_V_LIST) {
        scalar(w, v);
        return;
    }
    items = tg_graph_list(w->g, v);
    tg_i_out_char(&w->out, '[');
    for (i = 0; i < v->len; i++) {
        if (i)
            tg_i_out_puts(&w->out, ", ");
        scalar(w, &items[i]);
    }
    tg_i_out_char(&w->out, ']');
}

static void member(jw *w, const char *key)
{
    tg_i_out_puts(&w->out, w->first ? "\"" : ", \"");
    tg_i_out_puts(&w->out, key);
    tg_i_out_puts(&w->out, "\": ");
    w->first = 0;
}

/* Writes every property but the reserved ones (an entity's "id" is its id;
 * a relation's "id" was written first). */
static int prop(void *ctx, tg_sym key, const tg_pval *v)
{
    jw *w = ctx;

    if (key == w->s_id)
        return 0;
    tg_i_out_puts(&w->out, w->first ? "" : ", ");
    w->first = 0;
    str(w, key);
    tg_i_out_puts(&w->out, ": ");
    value(w, v);
    return 0;
}

static void entity(jw *w, tg_ent e)
{
    const tg_sym *labels;
    size_t n = tg_graph_labels(w->g, e, &labels), i;

    tg_i_out_char(&w->out, '{');
    w->first = 1;
    member(w, "id");
    str(w, tg_graph_entity_id(w->g, e));
    member(w, "labels");
    tg_i_out_char(&w->out, '[');
    for (i = 0; i < n; i++) {
        if (i)
            tg_i_out_puts(&w->out, ", ");
        str(w, labels[i]);
    }
    tg_i_out_char(&w->out, ']');
    tg_graph_each_prop(w->g, TG_ENTITY, e, prop, w);
    tg_i_out_char(&w->out, '}');
}

static void relation(jw *w, tg_rel r)
{
    const tg_pval *id = tg_graph_prop(w->g, TG_RELATION, r, w->s_id);

    tg_i_out_char(&w->out, '{');
    w->first = 1;
    if (id && id->type == TG_V_STRING) {
        member(w, "id");
        str(w, id->u.s);
    }
    member(w, "type");
    str(w, tg_graph_rel_type(w->g, r));
    member(w, "from");
    str(w, tg_graph_entity_id(w->g, tg_graph_rel_from(w->g, r)));
    member(w, "to");
    str(w, tg_graph_entity_id(w->g, tg_graph_rel_to(w->g, r)));
    if (id && id->type != TG_V_STRING) {
        /* a non-string "id" is an ordinary property; the reader cannot take
         * it as an identity, so it is written under its name anyway */
        member(w, "id");
        value(w, id);
    }
    tg_graph_each_prop(w->g, TG_RELATION, r, prop, w);
    tg_i_out_char(&w->out, '}');
}

static void source(jw *w, uint32_t s)
{
    const tg_source_field *f;
    size_t n = tg_graph_source_fields(w->g, s, &f), i;

    tg_i_out_puts(&w->out, "{\"id\": ");
    str(w, tg_graph_source_id(w->g, s));
    for (i = 0; i < n; i++) {
        tg_i_out_puts(&w->out, ", ");
        str(w, f[i].key);
        tg_i_out_puts(&w->out, ": ");
        str(w, f[i].value);
    }
    tg_i_out_char(&w->out, '}');
}

static tg_status write_json(const tg_graph *g, const char *out, const tg_write_options *o,
                            int lines, tg_error *err)
{
    tg_xplan p;
    jw w;
    size_t i, n;
    int first;
    tg_status st;

    memset(&w, 0, sizeof w);
    w.g = g;
    w.s_id = tg_graph_sym(g, "id", 2);
    w.s_sources = tg_graph_sym(g, "sources", 7);
    if ((st = tg_i_xplan_init(&p, g, o ? o->sel : NULL, err)) != TG_OK)
        return st;
    if ((st = tg_i_out_open(&w.out, out, err)) != TG_OK) {
        tg_i_xplan_destroy(&p);
        return st;
    }
    if (!lines)
        tg_i_out_puts(&w.out, "{\"format\": \"tiegraph/1\",\n\"sources\": [");
    n = tg_graph_source_count(g);
    for (i = 0, first = 1; i < n; i++) {
        if (!p.srcs[i])
            continue;
        tg_i_out_puts(&w.out, lines ? "{\"source\": " : first ? "\n  " : ",\n  ");
        source(&w, (uint32_t)i);
        tg_i_out_puts(&w.out, lines ? "}\n" : "");
        first = 0;
    }
    if (!lines)
        tg_i_out_puts(&w.out, first ? "],\n\"entities\": [" : "\n],\n\"entities\": [");
    n = tg_graph_entity_count(g);
    for (i = 0, first = 1; i < n; i++) {
        if (!tg_i_xplan_has_ent(&p, (uint32_t)i))
            continue;
        tg_i_out_puts(&w.out, lines ? "{\"entity\": " : first ? "\n  " : ",\n  ");
        entity(&w, (tg_ent)i);
        tg_i_out_puts(&w.out, lines ? "}\n" : "");
        first = 0;
    }
    if (!lines)
        tg_i_out_puts(&w.out, first ? "],\n\"relations\": [" : "\n],\n\"relations\": [");
    n = tg_graph_relation_count(g);
    for (i = 0, first = 1; i < n; i++) {
        if (!tg_i_xplan_has_rel(&p, (uint32_t)i))
            continue;
        tg_i_out_puts(&w.out, lines ? "{\"relation\": " : first ? "\n  " : ",\n  ");
        relation(&w, (tg_rel)i);
        tg_i_out_puts(&w.out, lines ? "}\n" : "");
        first = 0;
    }
    if (!lines)
        tg_i_out_puts(&w.out, first ? "]}\n" : "\n]}\n");
    tg_i_xplan_destroy(&p);
    return tg_i_out_commit(&w.out, err);
}

tg_status tg_i_write_json(const tg_graph *g, const char *out, const tg_write_options *o,
                          tg_error *err)
{
    return write_json(g, out, o, 0, err);
}

tg_status tg_i_write_jsonl(const tg_graph *g, const char *out, const tg_write_options *o,
                           tg_error *err)
{
    return write_json(g, out, o, 1, err);
}
