/* export_cypher.c — a Cypher script that rebuilds the graph in Neo4j
 * (cypher-shell -f FILE) or Memgraph (mgconsole < FILE).
 *
 * Statements are batched: `UNWIND [{...}, ...] AS row CREATE ...` with up to
 * `batch` rows each (literal lists, since mgconsole has no :param), one group
 * per label set for entities (labels cannot be parameters in Cypher) and one
 * per type for relations. Every node also gets the label TgEntity, indexed
 * on id, so that relations find their endpoints by an index lookup instead
 * of a scan; source records become (:Source) nodes. The index statement
 * differs between the two databases: dialect 0 writes Neo4j 5's
 * `CREATE INDEX ... IF NOT EXISTS FOR (n:TgEntity) ON (n.id)`, dialect 1
 * Memgraph's `CREATE INDEX ON :TgEntity(id)`.
 *
 * Values: strings single-quoted with \\, \', \n, \r, \t and \uXXXX escapes
 * (every control byte), floats in their shortest form with a '.', NaN and
 * the infinities as toFloat('NaN') etc., lists as [...], names with
 * backquotes when they are not plain identifiers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "temporal.h"
#include "numfmt.h"
#include "output.h"
#include "readers.h"
#include "text.h"

typedef struct xw {
    tg_out o;
    const tg_graph *g;
    tg_sym s_id;
    size_t batch;
} xw;

static void cy_string(xw *w, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, run = 0;

    tg_i_out_char(&w->o, '\'');
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        if (c >= 0x20 && c != '\'' && c != '\\' && c != 0x7F)
            continue;
        if (i > run)
            tg_i_out_write(&w->o, s + run, i - run);
        switch (c) {
        case '\'': esc = "\\'"; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            memcpy(u, "\\u00", 4);
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
            u[6] = '\0';
            esc = u;
        }
        tg_i_out_puts(&w->o, esc);
        run = i + 1;
    }
    if (len > run)
        tg_i_out_write(&w->o, s + run, len - run);
    tg_i_out_char(&w->o, '\'');
}

/* A label, type or key: bare when it is an identifier, else `quoted`. */
static void cy_name(xw *w, tg_sym sym)
{
    size_t len, i;
    const char *s = tg_graph_str(w->g, sym, &len);
    int plain = len > 0 && !(s[0] >= '0' && s[0] <= '9');

    for (i = 0; i < len && plain; i++)
        plain = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                (s[i] >= '0' && s[i] <= '9') || s[i] == '_';
    if (plain) {
        tg_i_out_write(&w->o, s, len);
        return;
    }
    tg_i_out_char(&w->o, '`');
    for (i = 0; i < len; i++) {
        if (s[i] == '`')
            tg_i_out_char(&w->o, '`');
        tg_i_out_char(&w->o, s[i]);
    }
    tg_i_out_char(&w->o, '`');
}

static void cy_scalar(xw *w, const tg_pval *v)
{
    char b[48];

    switch (v->type) {
    case TG_V_BOOL: tg_i_out_puts(&w->o, v->u.b ? "true" : "false"); break;
    case TG_V_INT:
        if (v->u.i == INT64_MIN)
            tg_i_out_puts(&w->o, "(-9223372036854775807 - 1)");
        else
            tg_i_out_int(&w->o, v->u.i);
        break;
    case TG_V_FLOAT:
        tg_format_double(v->u.f, b);
        if (v->u.f != v->u.f || v->u.f - v->u.f != 0) {
            tg_i_out_puts(&w->o, "toFloat('");
            tg_i_out_puts(&w->o, b);
            tg_i_out_puts(&w->o, "')");
        } else {
            tg_i_out_puts(&w->o, b);
        }
        break;
    case TG_V_STRING: {
        size_t len;
        const char *s = tg_graph_str(w->g, v->u.s, &len);
        cy_string(w, s, len);
        break;
    }
    default: {
        /* date('2018-03-01'), duration('P3Y2M'): the function reads the ISO text */
        tg_temporal t;
        char text[TG_TIME_TEXT_MAX];
        size_t n;
        if (!tg_graph_temporal(w->g, v, &t)) {
            tg_i_out_puts(&w->o, "null");
            break;
        }
        n = tg_time_format(&t, text);
        tg_i_out_puts(&w->o, tg_time_kind_tag(t.kind));
        tg_i_out_char(&w->o, '(');
        cy_string(w, text, n);
        tg_i_out_char(&w->o, ')');
        break;
    }
    }
}

typedef struct pctx {
    xw *w;
    int first;
} pctx;

static int cy_prop(void *ctx, tg_sym key, const tg_pval *v)
{
    pctx *c = ctx;
    uint32_t i;

    tg_i_out_puts(&c->w->o, c->first ? "" : ", ");
    c->first = 0;
    cy_name(c->w, key);
    tg_i_out_puts(&c->w->o, ": ");
    if (v->type == TG_V_LIST) {
        const tg_pval *items = tg_graph_list(c->w->g, v);
        tg_i_out_char(&c->w->o, '[');
        for (i = 0; i < v->len; i++) {
            if (i)
                tg_i_out_puts(&c->w->o, ", ");
            cy_scalar(c->w, &items[i]);
        }
        tg_i_out_char(&c->w->o, ']');
    } else {
        cy_scalar(c->w, v);
    }
    return 0;
}

/* {id: '...', ...properties} of an entity, or {from:, to:, props: {...}}. */
static void entity_row(xw *w, tg_ent e)
{
    pctx c = {w, 0};
    size_t len;
    const char *id = tg_graph_str(w->g, tg_graph_entity_id(w->g, e), &len);

    tg_i_out_puts(&w->o, "{id: ");
    cy_string(w, id, len);
    /* an entity's "id" property is its id, already written */
    tg_graph_each_prop(w->g, TG_ENTITY, e, cy_prop, &c);
    tg_i_out_char(&w->o, '}');
}

static void relation_row(xw *w, tg_rel r)
{
    pctx c = {w, 1};
    size_t len;
    const char *s;

    tg_i_out_puts(&w->o, "{f: ");
    s = tg_graph_str(w->g, tg_graph_entity_id(w->g, tg_graph_rel_from(w->g, r)), &len);
    cy_string(w, s, len);
    tg_i_out_puts(&w->o, ", t: ");
    s = tg_graph_str(w->g, tg_graph_entity_id(w->g, tg_graph_rel_to(w->g, r)), &len);
    cy_string(w, s, len);
    tg_i_out_puts(&w->o, ", p: {");
    tg_graph_each_prop(w->g, TG_RELATION, r, cy_prop, &c);
    tg_i_out_puts(&w->o, "}}");
}

static int same_labels(const tg_graph *g, tg_ent a, tg_ent b)
{
    const tg_sym *la, *lb;
    size_t na = tg_graph_labels(g, a, &la), nb = tg_graph_labels(g, b, &lb);

    return na == nb && (na == 0 || memcmp(la, lb, na * sizeof *la) == 0);
}

tg_status tg_i_write_cypher(const tg_graph *g, const char *out, const tg_write_options *opt,
                            tg_error *err)
{
    xw w;
    tg_xplan p;
    size_t ne = tg_graph_entity_count(g), nr = tg_graph_relation_count(g), i, j, k, inb;
    unsigned char *done = NULL;
    tg_status st;
    int memgraph = opt && opt->dialect == 1;

    memset(&w, 0, sizeof w);
    w.g = g;
    w.s_id = tg_graph_sym(g, "id", 2);
    w.batch = opt && opt->batch ? opt->batch : 1000;
    if ((st = tg_i_xplan_init(&p, g, opt ? opt->sel : NULL, err)) != TG_OK)
        return st;
    done = calloc((ne > nr ? ne : nr) + 1, 1);
    if (!done) {
        tg_i_xplan_destroy(&p);
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if ((st = tg_i_out_open(&w.o, out, err)) != TG_OK)
        goto done;
    {
        char head[512];
        snprintf(head, sizeof head,
                 "// Written by `tiegraph export --to %s`: %zu entities, %zu relations, %zu "
                 "sources.\n// Run with %s. Nodes carry the extra label TgEntity (indexed on "
                 "id)\n// so that relations find their endpoints; remove it afterwards if you "
                 "like:\n// MATCH (n:TgEntity) REMOVE n:TgEntity\n",
                 memgraph ? "cypher-memgraph" : "cypher", p.nents, p.nrels, p.nsrcs,
                 memgraph ? "mgconsole < FILE" : "cypher-shell -f FILE");
        tg_i_out_puts(&w.o, head);
    }
    tg_i_out_puts(&w.o, memgraph ? "CREATE INDEX ON :TgEntity(id);\n"
                                 : "CREATE INDEX tg_entity_id IF NOT EXISTS FOR (n:TgEntity) ON "
                                   "(n.id);\n");
    /* sources */
    for (i = 0, inb = 0; i < tg_graph_source_count(g); i++) {
        const tg_source_field *f;
        size_t nf, len;
        const char *s;
        if (!p.srcs[i])
            continue;
        tg_i_out_puts(&w.o, inb ? ",\n  " : "UNWIND [\n  ");
        tg_i_out_puts(&w.o, "{id: ");
        s = tg_graph_str(g, tg_graph_source_id(g, (uint32_t)i), &len);
        cy_string(&w, s, len);
        nf = tg_graph_source_fields(g, (uint32_t)i, &f);
        for (k = 0; k < nf; k++) {
            tg_i_out_puts(&w.o, ", ");
            cy_name(&w, f[k].key);
            tg_i_out_puts(&w.o, ": ");
            s = tg_graph_str(g, f[k].value, &len);
            cy_string(&w, s, len);
        }
        tg_i_out_char(&w.o, '}');
        if (++inb == w.batch) {
            tg_i_out_puts(&w.o, "\n] AS row CREATE (s:Source) SET s = row;\n");
            inb = 0;
        }
    }
    if (inb)
        tg_i_out_puts(&w.o, "\n] AS row CREATE (s:Source) SET s = row;\n");
    /* entities, one group per label set, in order of first appearance */
    for (i = 0; i < ne; i++) {
        const tg_sym *labels;
        size_t nl;
        if (done[i] || !tg_i_xplan_has_ent(&p, (uint32_t)i))
            continue;
        nl = tg_graph_labels(g, (tg_ent)i, &labels);
        for (j = i, inb = 0; j < ne; j++) {
            if (done[j] || !tg_i_xplan_has_ent(&p, (uint32_t)j) ||
                !same_labels(g, (tg_ent)i, (tg_ent)j))
                continue;
            done[j] = 1;
            tg_i_out_puts(&w.o, inb ? ",\n  " : "UNWIND [\n  ");
            entity_row(&w, (tg_ent)j);
            if (++inb == w.batch || j + 1 == ne) {
                tg_i_out_puts(&w.o, "\n] AS row CREATE (n:TgEntity");
                for (k = 0; k < nl; k++) {
                    tg_i_out_char(&w.o, ':');
                    cy_name(&w, labels[k]);
                }
                tg_i_out_puts(&w.o, ") SET n = row;\n");
                inb = 0;
            }
        }
        if (inb) {
            tg_i_out_puts(&w.o, "\n] AS row CREATE (n:TgEntity");
            for (k = 0; k < nl; k++) {
                tg_i_out_char(&w.o, ':');
                cy_name(&w, labels[k]);
            }
            tg_i_out_puts(&w.o, ") SET n = row;\n");
        }
    }
    /* relations, one group per type */
    memset(done, 0, nr + 1);
    for (i = 0; i < nr; i++) {
        tg_sym type;
        if (done[i] || !tg_i_xplan_has_rel(&p, (uint32_t)i))
            continue;
        type = tg_graph_rel_type(g, (tg_rel)i);
        for (j = i, inb = 0; j <= nr; j++) {
            int take = j < nr && !done[j] && tg_i_xplan_has_rel(&p, (uint32_t)j) &&
                       tg_graph_rel_type(g, (tg_rel)j) == type;
            if (take) {
                done[j] = 1;
                tg_i_out_puts(&w.o, inb ? ",\n  " : "UNWIND [\n  ");
                relation_row(&w, (tg_rel)j);
                inb++;
            }
            if (inb && (inb == w.batch || j == nr)) {
                tg_i_out_puts(&w.o, "\n] AS row MATCH (a:TgEntity {id: row.f}), (b:TgEntity "
                                    "{id: row.t}) CREATE (a)-[r:");
                cy_name(&w, type);
                tg_i_out_puts(&w.o, "]->(b) SET r = row.p;\n");
                inb = 0;
            }
        }
    }
    st = tg_i_out_commit(&w.o, err);
done:
    if (st != TG_OK)
        tg_i_out_abort(&w.o);
    free(done);
    tg_i_xplan_destroy(&p);
    return st;
}

tg_status tg_i_write_cypher_memgraph(const tg_graph *g, const char *out,
                                     const tg_write_options *opt, tg_error *err)
{
    tg_write_options o;

    memset(&o, 0, sizeof o);
    if (opt)
        o = *opt;
    o.dialect = 1;
    return tg_i_write_cypher(g, out, &o, err);
}
