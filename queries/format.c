/* format.c — writing values as text: the table notation, the TCK notation
 * and DESIGN.md's JSON, plus the growable buffer they write into.
 *
 * Floats are written in their shortest round-trip form and always carry a
 * '.' or an exponent, so that 1 and 1.0 stay distinct. In the TCK notation
 * nodes and relations show labels/type and stored properties only (entity
 * ids are not properties there); the text and JSON notations show the id.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "value.h"

void tg_buf_init(tg_buf *b)
{
    memset(b, 0, sizeof *b);
}

void tg_buf_destroy(tg_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

static int reserve(tg_buf *b, size_t n)
{
    size_t nc;
    char *nd;
    if (b->failed)
        return -1;
    if (b->len + n + 1 <= b->cap)
        return 0;
    nc = b->cap ? b->cap * 2 : 64;
    while (nc < b->len + n + 1)
        nc *= 2;
    nd = realloc(b->data, nc);
    if (!nd) {
        b->failed = 1;
        return -1;
    }
    b->data = nd;
    b->cap = nc;
    return 0;
}

void tg_buf_add(tg_buf *b, const char *s, size_t n)
{
    if (reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

void tg_buf_puts(tg_buf *b, const char *s)
{
    tg_buf_add(b, s, strlen(s));
}

void tg_buf_printf(tg_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *tg_buf_take(tg_buf *b)
{
    char *d;
    if (b->failed) {
        tg_buf_destroy(b);
        return NULL;
    }
    if (reserve(b, 0))
        return NULL;
    b->data[b->len] = 0; /* an empty buffer was never written to */
    d = b->data;
    memset(b, 0, sizeof *b);
    return d;
}

void tg_value_format_double(double d, char *buf)
{
    tg_format_double(d, buf);
}

static void quoted(tg_buf *b, const char *s, size_t n, char q, int json)
{
    tg_buf_add(b, &q, 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == (unsigned char)q || c == '\\') {
            tg_buf_add(b, "\\", 1);
            tg_buf_add(b, s + i, 1);
        } else if (json && c < 0x20) {
            switch (c) {
            case '\n': tg_buf_puts(b, "\\n"); break;
            case '\t': tg_buf_puts(b, "\\t"); break;
            case '\r': tg_buf_puts(b, "\\r"); break;
            default: tg_buf_printf(b, "\\u%04x", c); break;
            }
        } else
            tg_buf_add(b, s + i, 1);
    }
    tg_buf_add(b, &q, 1);
}

static void str_out(tg_buf *b, const char *s, size_t n, tg_vfmt fmt)
{
    if (fmt == TG_VFMT_JSON)
        quoted(b, s, n, '"', 1);
    else
        quoted(b, s, n, '\'', 0);
}

static void key_out(tg_buf *b, const char *s, size_t n, tg_vfmt fmt)
{
    if (fmt == TG_VFMT_JSON)
        quoted(b, s, n, '"', 1);
    else
        tg_buf_add(b, s, n);
}

typedef struct pctx {
    const tg_graph *g;
    tg_buf *b;
    tg_vfmt fmt;
    int first;
} pctx;

static void format_any(const tg_graph *g, const tg_value *v, tg_vfmt fmt, tg_buf *b);

/* A temporal: its ISO 8601 text, quoted like a string; in JSON tagged with
 * its type, {"date": "2018-03-01"}, as tiegraph/1 reads it back
 * (docs/formats.md). */
static void temporal_out(const tg_temporal *t, tg_vfmt fmt, tg_buf *b)
{
    char text[TG_TIME_TEXT_MAX];
    size_t n = tg_time_format(t, text);
    if (fmt == TG_VFMT_JSON)
        tg_buf_printf(b, "{\"%s\": ", tg_time_kind_tag(t->kind));
    str_out(b, text, n, fmt);
    if (fmt == TG_VFMT_JSON)
        tg_buf_puts(b, "}");
}

static void pval_out(const tg_graph *g, const tg_pval *p, tg_vfmt fmt, tg_buf *b)
{
    char num[48];
    size_t len;
    const char *s;
    switch (p->type) {
    case TG_V_BOOL: tg_buf_puts(b, p->u.b ? "true" : "false"); break;
    case TG_V_INT: tg_buf_printf(b, "%lld", (long long)p->u.i); break;
    case TG_V_FLOAT:
        tg_value_format_double(p->u.f, num);
        if (fmt == TG_VFMT_JSON && (isnan(p->u.f) || isinf(p->u.f)))
            quoted(b, num, strlen(num), '"', 1);
        else
            tg_buf_puts(b, num);
        break;
    case TG_V_STRING:
        s = tg_graph_str(g, p->u.s, &len);
        str_out(b, s, len, fmt);
        break;
    case TG_V_LIST: {
        const tg_pval *items = p->len ? tg_graph_list(g, p) : NULL;
        tg_buf_puts(b, "[");
        for (uint32_t i = 0; i < p->len; i++) {
            if (i)
                tg_buf_puts(b, ", ");
            pval_out(g, &items[i], fmt, b);
        }
        tg_buf_puts(b, "]");
        break;
    }
    default: {
        tg_temporal t;
        if (tg_graph_temporal(g, p, &t))
            temporal_out(&t, fmt, b);
        else
            tg_buf_puts(b, "null");
    }
    }
}

static int prop_out(void *ctx, tg_sym key, const tg_pval *v)
{
    pctx *c = ctx;
    size_t len;
    const char *k = tg_graph_str(c->g, key, &len);
    if (!c->first)
        tg_buf_puts(c->b, ", ");
    c->first = 0;
    key_out(c->b, k, len, c->fmt);
    tg_buf_puts(c->b, c->fmt == TG_VFMT_JSON ? ": " : ": ");
    pval_out(c->g, v, c->fmt, c->b);
    return 0;
}

static int count_visit(void *ctx, tg_sym key, const tg_pval *v)
{
    (void)key;
    (void)v;
    (*(int *)ctx)++;
    return 0;
}

static void node_out(const tg_graph *g, tg_ent e, tg_vfmt fmt, tg_buf *b)
{
    const tg_sym *labels;
    size_t nl = tg_graph_labels(g, e, &labels), len;
    pctx c = {g, b, fmt, 1};
    int nprops = 0;
    const char *id = tg_graph_str(g, tg_graph_entity_id(g, e), &len);
    tg_graph_each_prop(g, TG_ENTITY, e, count_visit, &nprops);
    if (fmt == TG_VFMT_JSON) {
        tg_buf_puts(b, "{\"id\": ");
        quoted(b, id, len, '"', 1);
        tg_buf_puts(b, ", \"labels\": [");
        for (size_t i = 0; i < nl; i++) {
            size_t ll;
            const char *l = tg_graph_str(g, labels[i], &ll);
            if (i)
                tg_buf_puts(b, ", ");
            quoted(b, l, ll, '"', 1);
        }
        tg_buf_puts(b, "], \"properties\": {");
        tg_graph_each_prop(g, TG_ENTITY, e, prop_out, &c);
        tg_buf_puts(b, "}}");
        return;
    }
    tg_buf_puts(b, "(");
    for (size_t i = 0; i < nl; i++) {
        size_t ll;
        const char *l = tg_graph_str(g, labels[i], &ll);
        tg_buf_puts(b, ":");
        tg_buf_add(b, l, ll);
    }
    if (fmt == TG_VFMT_TEXT) {
        if (nl)
            tg_buf_puts(b, " ");
        tg_buf_puts(b, "{id: ");
        quoted(b, id, len, '\'', 0);
        c.first = 0;
        tg_graph_each_prop(g, TG_ENTITY, e, prop_out, &c);
        tg_buf_puts(b, "}");
    } else if (nprops) {
        if (nl)
            tg_buf_puts(b, " ");
        tg_buf_puts(b, "{");
        tg_graph_each_prop(g, TG_ENTITY, e, prop_out, &c);
        tg_buf_puts(b, "}");
    }
    tg_buf_puts(b, ")");
}

static void rel_out(const tg_graph *g, tg_rel r, tg_vfmt fmt, tg_buf *b)
{
    size_t len;
    const char *t = tg_graph_str(g, tg_graph_rel_type(g, r), &len);
    pctx c = {g, b, fmt, 1};
    int nprops = 0;
    tg_graph_each_prop(g, TG_RELATION, r, count_visit, &nprops);
    if (fmt == TG_VFMT_JSON) {
        size_t fl, tl;
        const char *f = tg_graph_str(g, tg_graph_entity_id(g, tg_graph_rel_from(g, r)), &fl);
        const char *to = tg_graph_str(g, tg_graph_entity_id(g, tg_graph_rel_to(g, r)), &tl);
        tg_buf_puts(b, "{\"type\": ");
        quoted(b, t, len, '"', 1);
        tg_buf_puts(b, ", \"from\": ");
        quoted(b, f, fl, '"', 1);
        tg_buf_puts(b, ", \"to\": ");
        quoted(b, to, tl, '"', 1);
        tg_buf_puts(b, ", \"properties\": {");
        tg_graph_each_prop(g, TG_RELATION, r, prop_out, &c);
        tg_buf_puts(b, "}}");
        return;
    }
    tg_buf_puts(b, "[:");
    tg_buf_add(b, t, len);
    if (nprops) {
        tg_buf_puts(b, " {");
        tg_graph_each_prop(g, TG_RELATION, r, prop_out, &c);
        tg_buf_puts(b, "}");
    }
    tg_buf_puts(b, "]");
}

static void path_out(const tg_graph *g, const tg_vpath *p, tg_vfmt fmt, tg_buf *b)
{
    if (fmt == TG_VFMT_JSON) {
        tg_buf_puts(b, "{\"nodes\": [");
        for (uint32_t i = 0; i <= p->len; i++) {
            if (i)
                tg_buf_puts(b, ", ");
            node_out(g, p->nodes[i], fmt, b);
        }
        tg_buf_puts(b, "], \"relations\": [");
        for (uint32_t i = 0; i < p->len; i++) {
            if (i)
                tg_buf_puts(b, ", ");
            rel_out(g, p->rels[i], fmt, b);
        }
        tg_buf_puts(b, "]}");
        return;
    }
    tg_buf_puts(b, "<");
    node_out(g, p->nodes[0], fmt, b);
    for (uint32_t i = 0; i < p->len; i++) {
        int forward = tg_graph_rel_from(g, p->rels[i]) == p->nodes[i];
        tg_buf_puts(b, forward ? "-" : "<-");
        rel_out(g, p->rels[i], fmt, b);
        tg_buf_puts(b, forward ? "->" : "-");
        node_out(g, p->nodes[i + 1], fmt, b);
    }
    tg_buf_puts(b, ">");
}

static void format_any(const tg_graph *g, const tg_value *v, tg_vfmt fmt, tg_buf *b)
{
    char num[48];
    switch (v->kind) {
    case TG_VAL_NULL: tg_buf_puts(b, "null"); break;
    case TG_VAL_BOOL: tg_buf_puts(b, v->u.b ? "true" : "false"); break;
    case TG_VAL_INT: tg_buf_printf(b, "%lld", (long long)v->u.i); break;
    case TG_VAL_FLOAT:
        tg_value_format_double(v->u.f, num);
        if (fmt == TG_VFMT_JSON && (isnan(v->u.f) || isinf(v->u.f)))
            quoted(b, num, strlen(num), '"', 1);
        else
            tg_buf_puts(b, num);
        break;
    case TG_VAL_STRING: str_out(b, v->u.s, v->len, fmt); break;
    case TG_VAL_LIST:
        tg_buf_puts(b, "[");
        for (uint32_t i = 0; i < v->len; i++) {
            if (i)
                tg_buf_puts(b, ", ");
            format_any(g, &v->u.items[i], fmt, b);
        }
        tg_buf_puts(b, "]");
        break;
    case TG_VAL_MAP:
        tg_buf_puts(b, "{");
        for (uint32_t i = 0; i < v->len; i++) {
            if (i)
                tg_buf_puts(b, ", ");
            key_out(b, v->u.map[i].key, v->u.map[i].klen, fmt);
            tg_buf_puts(b, ": ");
            format_any(g, &v->u.map[i].value, fmt, b);
        }
        tg_buf_puts(b, "}");
        break;
    case TG_VAL_NODE: node_out(g, v->u.node, fmt, b); break;
    case TG_VAL_REL: rel_out(g, v->u.rel, fmt, b); break;
    case TG_VAL_PATH: path_out(g, v->u.path, fmt, b); break;
    default:
        if (tg_value_is_temporal(v))
            temporal_out(v->u.tm, fmt, b);
        else
            tg_buf_puts(b, "null");
        break;
    }
}

void tg_value_format(const tg_graph *g, const tg_value *v, tg_vfmt fmt, tg_buf *b)
{
    if (fmt == TG_VFMT_TEXT && v->kind == TG_VAL_STRING)
        tg_buf_add(b, v->u.s, v->len);
    else if (fmt == TG_VFMT_TEXT && tg_value_is_temporal(v)) {
        char tbuf[TG_TIME_TEXT_MAX];
        size_t n = tg_temporal_format(v, tbuf);
        tg_buf_add(b, tbuf, n);
    }
    else
        format_any(g, v, fmt, b);
}
