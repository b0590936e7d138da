/* compose.c — laying a diagram out and rendering it (see viz.h).
 *
 * A render runs in three steps, all in-process through gvc:
 * 1. the graph that viz.c builds (entities, ties, clusters; no title,
 *    legend or sources) is laid out with its layout, and graphviz writes
 *    the positions into it (attach_attrs);
 * 2. that laid-out graph is copied (through DOT text, read back with the
 *    same discipline) and moved down to make room for the title; the title,
 *    the legend (real sample nodes and edges, drawn with the same attributes
 *    as the diagram's) and the sources are added below it as pinned nodes,
 *    their sizes measured by graphviz first;
 * 3. the composition is rendered with graphviz's "nop2" layout, which keeps
 *    every position and every edge's spline as given, scaled to the page
 *    when page= asks for it.
 * So the legend and the sources sit below the graph (never beside it),
 * whatever the layout, and the samples are the drawn colours and lines.
 *
 * Before any work, the selection is checked against the measured limits
 * (tg_i_viz_limit_of, docs/diagrams.md); with a timeout, steps 1-3 run in a
 * forked child that the parent kills at the deadline (graphviz cannot be
 * interrupted in-process).
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "viz.h"
#include "viz_draw.h"
#include "viz_internal.h"

/* ---- measured limits ----------------------------------------------------------- */

/* From docs/diagrams.md's scale table (graphviz 2.42 on the reference
 * machine, synthetic graphs of 2.5 ties per entity, straight edges for all
 * but dot): the largest size each layout was measured to render in under
 * ten seconds. The next size measured took 15 s to minutes (dot: 3.8 s at
 * 200 entities, over 30 s at 300). */
static const tg_i_viz_limit limits[] = {
    {"dot", 200, 500, 3.8},      {"neato", 1000, 2500, 6.0}, {"fdp", 2500, 6250, 7.1},
    {"sfdp", 2500, 6250, 4.1},   {"circo", 100, 250, 3.4},   {"twopi", 2500, 6250, 4.9},
    {"osage", 5000, 12500, 4.6},
};

const tg_i_viz_limit *tg_i_viz_limit_of(const char *layout)
{
    size_t i;

    for (i = 0; i < sizeof limits / sizeof limits[0]; i++)
        if (!strcmp(limits[i].layout, layout))
            return &limits[i];
    return &limits[0];
}

static tg_status check_limits(const tg_i_viz_draw *d, tg_error *err)
{
    const tg_i_viz_limit *l = tg_i_viz_limit_of(d->layout);

    if (d->nents <= l->entities && d->nedges <= l->edges)
        return TG_OK;
    return tg_error_set(
        err, TG_ERUNTIME, NULL, 0, 0,
        "refusing to draw %zu entities and %zu ties with %s: past its measured limit of %zu "
        "entities and %zu ties (about %.0f s there; larger takes minutes). Narrow the query "
        "(LIMIT, a WHERE on labels or types), use layout=%s, or force=true to try anyway",
        d->nents, d->nedges, d->layout, l->entities, l->edges, l->seconds_at_limit,
        d->nents <= tg_i_viz_limit_of("sfdp")->entities &&
                d->nedges <= tg_i_viz_limit_of("sfdp")->edges
            ? "sfdp"
            : "osage (or a smaller result: nothing lays this many out in seconds)");
}

tg_status tg_viz_check(const tg_viz_selection *s, const tg_viz_options *o, tg_error *err)
{
    tg_i_viz_draw d;
    tg_status st = tg_i_viz_collect(&d, s, o, err);

    if (st == TG_OK)
        st = check_limits(&d, err);
    tg_i_viz_draw_destroy(&d);
    return st;
}

/* ---- graphviz's context --------------------------------------------------------- */

static GVC_t *the_gvc;

/* One context for the process: graphviz 2.42's pango plugin caches a
 * pointer to the last font name, which gvFreeContext frees, so a second
 * context would read freed memory. The context stays reachable until exit
 * (not a leak). */
static GVC_t *gvc_get(void)
{
    if (!the_gvc)
        the_gvc = gvContext();
    return the_gvc;
}

/* Graphviz 2.42 leaks inside its layout (html labels, dot's mincross
 * subgraphs) and its pango/fontconfig text measurement. Under
 * LeakSanitizer (make test) these reports are suppressed by library: only
 * the top frames survive unwinding through graphviz's frame-pointer-less
 * code, so the suppressions name the libraries and cgraph's allocator.
 * Leaks of tiegraph's own memory are still reported. The name is the
 * sanitizer's hook (hence the leading underscores); without a sanitizer
 * nothing calls it. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libgvc.so\n"
           "leak:libgvplugin_\n"
           "leak:libcgraph.so\n"
           "leak:libcdt.so\n"
           "leak:libpathplan.so\n"
           "leak:libfontconfig.so\n"
           "leak:libpango\n"
           "leak:libglib-2.0.so\n"
           "leak:libgobject-2.0.so\n"
           "leak:libcairo.so\n"
           "leak:libharfbuzz.so\n"
           "leak:libfreetype.so\n";
}

/* Keeps LeakSanitizer from listing the suppressions it used on stderr. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}

/* ---- pages ---------------------------------------------------------------------- */

/* The area a figure may take on a page, in points (the page less 0.5 in
 * margins for a4 and letter). */
typedef struct page {
    double w, h;
} page;

static tg_status parse_page(const char *spec, page *p, tg_error *err)
{
    static const struct {
        const char *name;
        double w, h;
    } named[] = {
        {"a4", 7.27 * 72, 10.69 * 72}, {"letter", 7.5 * 72, 10 * 72}, {"column", 6.5 * 72, 9 * 72}};
    static const struct {
        const char *unit;
        double pt;
    } units[] = {{"in", 72}, {"cm", 72 / 2.54}, {"mm", 72 / 25.4}, {"pt", 1}};
    size_t i;
    char *end;
    double w, h = 0, k = 0;

    for (i = 0; i < sizeof named / sizeof named[0]; i++)
        if (!strcmp(spec, named[i].name)) {
            p->w = named[i].w;
            p->h = named[i].h;
            return TG_OK;
        }
    errno = 0;
    w = strtod(spec, &end);
    if (end != spec && (*end == 'x' || *end == 'X')) {
        const char *hs = end + 1;
        h = strtod(hs, &end);
        if (end == hs)
            w = -1;
    }
    for (i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcmp(end, units[i].unit))
            k = units[i].pt;
    if (errno || k == 0 || !(w > 0) || h < 0 || w * k < 72 || w * k > 100 * 72 || h * k > 100 * 72)
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                            "unknown page '%s'; expected a4, letter, column (6.5 in) or a size "
                            "such as 17cm, 6.5in, 4x3in, 160x90mm (1 in to 100 in)",
                            spec);
    p->w = w * k;
    /* a width alone: as tall as a column is for its width */
    p->h = h > 0 ? h * k : w * k * 9 / 6.5;
    return TG_OK;
}

/* ---- reading a laid-out graph back ---------------------------------------------- */

typedef struct memchan {
    const char *s;
    size_t len, pos;
} memchan;

static int mem_read(void *chan, char *buf, int bufsize)
{
    memchan *m = chan;
    size_t n = 0;

    /* cgraph's scanner reads a line at a time */
    while (m->pos < m->len && n + 1 < (size_t)bufsize) {
        char c = m->s[m->pos++];
        buf[n++] = c;
        if (c == '\n')
            break;
    }
    return (int)n;
}

static Agraph_t *read_graph(const char *text, size_t len)
{
    static Agiodisc_t io;
    Agdisc_t disc = *tg_i_viz_disc();
    memchan m = {text, len, 0};

    io = AgIoDisc;
    io.afread = mem_read;
    disc.io = &io;
    return agread(&m, &disc);
}

static char *write_graph(Agraph_t *g, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);

    if (!f)
        return NULL;
    if (agwrite(g, f) != 0) {
        fclose(f);
        free(buf);
        return NULL;
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Adds dx, dy to every point of a position string ("x,y", "e,x,y s,x,y x,y
 * ...", "llx,lly,urx,ury") into out. */
static void shift_points(tg_i_viz_sbuf *out, const char *s, double dx, double dy)
{
    int k = 0;

    out->len = 0;
    tg_i_viz_sb_puts(out, "");
    while (*s) {
        char *end;
        double v;
        if ((s[0] == 'e' || s[0] == 's') && s[1] == ',') {
            tg_i_viz_sb_put(out, s, 2);
            s += 2;
            k = 0;
            continue;
        }
        if (*s == ' ' || *s == ',' || *s == '\n' || *s == '\\') {
            if (*s == ' ')
                k = 0;
            if (*s != '\\' && *s != '\n')
                tg_i_viz_sb_put(out, s, 1);
            s++;
            continue;
        }
        v = strtod(s, &end);
        if (end == s) { /* not a number: copy it as it is */
            tg_i_viz_sb_put(out, s, 1);
            s++;
            continue;
        }
        tg_i_viz_sb_printf(out, "%.2f", v + (k % 2 ? dy : dx));
        k++;
        s = end;
    }
}

static void shift_attr(void *obj, const char *name, double dx, double dy, tg_i_viz_sbuf *tmp)
{
    char *v = agget(obj, (char *)name);

    if (!v || !v[0])
        return;
    shift_points(tmp, v, dx, dy);
    if (!tmp->oom)
        agsafeset(obj, (char *)name, tmp->s, "");
}

static void shift_subgraphs(Agraph_t *g, double dx, double dy, tg_i_viz_sbuf *tmp)
{
    Agraph_t *sub;

    for (sub = agfstsubg(g); sub; sub = agnxtsubg(sub)) {
        shift_attr(sub, "bb", dx, dy, tmp);
        shift_attr(sub, "lp", dx, dy, tmp);
        shift_subgraphs(sub, dx, dy, tmp);
    }
}

/* Moves every position of a laid-out graph by (dx, dy) points. */
static void shift_graph(Agraph_t *g, double dx, double dy, tg_i_viz_sbuf *tmp)
{
    Agnode_t *n;
    Agedge_t *e;

    for (n = agfstnode(g); n; n = agnxtnode(g, n)) {
        shift_attr(n, "pos", dx, dy, tmp);
        shift_attr(n, "xlp", dx, dy, tmp);
        for (e = agfstout(g, n); e; e = agnxtout(g, e)) {
            shift_attr(e, "pos", dx, dy, tmp);
            shift_attr(e, "lp", dx, dy, tmp);
            shift_attr(e, "xlp", dx, dy, tmp);
            shift_attr(e, "head_lp", dx, dy, tmp);
            shift_attr(e, "tail_lp", dx, dy, tmp);
        }
    }
    shift_subgraphs(g, dx, dy, tmp);
}

/* ---- the furniture: title, legend, sources -------------------------------------- */

/* One thing to place below (or above) the graph. */
typedef struct item {
    char name[48];
    double w, h; /* points, measured */
} item;

/* The layout of the furniture, in points from the top left, y down. */
typedef struct furniture {
    item title;
    item heading;                        /* "Legend" */
    item ltext[2 * TG_I_VIZ_STYLES_MAX]; /* label names */
    item ttext[2 * TG_I_VIZ_STYLES_MAX]; /* type names */
    item hltext;                         /* "marked by the query" */
    item sources;
    const tg_i_viz_style *ls[2 * TG_I_VIZ_STYLES_MAX], *ts[2 * TG_I_VIZ_STYLES_MAX];
    const char *lnames[2 * TG_I_VIZ_STYLES_MAX], *tnames[2 * TG_I_VIZ_STYLES_MAX];
    size_t nl, nt;
    int has_title, has_legend, has_sources;
} furniture;

#define SAMPLE_NODE_W 26.0 /* a label's sample node */
#define SAMPLE_NODE_H 14.0
#define SAMPLE_EDGE_W 36.0 /* a type's sample edge */
#define GAP 10.0

/* Adds a text node (HTML label, no border) to g. */
static Agnode_t *text_node(Agraph_t *g, const char *name, const char *html, const char *fontsize,
                           const char *fontcolor)
{
    Agnode_t *n = agnode(g, (char *)name, 1);

    if (!n || tg_i_viz_set_html(g, n, html) != 0)
        return NULL;
    agsafeset(n, "shape", "plaintext", "");
    agsafeset(n, "style", "solid", "");
    agsafeset(n, "peripheries", "0", "");
    agsafeset(n, "margin", "0.02,0.01", "");
    agsafeset(n, "fontsize", (char *)fontsize, "");
    if (fontcolor)
        agsafeset(n, "fontcolor", (char *)fontcolor, "");
    agsafeset(n, "id", (char *)name, "");
    agsafeset(n, "tooltip", " ", "");
    return n;
}

/* Adds the furniture's text nodes to g (no positions). */
static int add_texts(tg_i_viz_draw *d, Agraph_t *g, furniture *f)
{
    tg_i_viz_sbuf b = {0};
    const tg_i_viz_graph_style *gs = &d->theme.graph;
    size_t i;
    int rc = -1;

    if (f->has_title) {
        tg_i_viz_sb_printf(&b, "<FONT POINT-SIZE=\"%s\"><B>", gs->title_fontsize);
        tg_i_viz_html_text(&b, d->o->title, strlen(d->o->title), 1);
        tg_i_viz_sb_puts(&b, "</B></FONT>");
        if (b.oom || !text_node(g, "title", b.s, gs->title_fontsize, gs->fontcolor))
            goto done;
    }
    if (f->has_legend) {
        b.len = 0;
        tg_i_viz_sb_printf(&b, "<B>Legend</B>");
        if (b.oom || !text_node(g, "legend", b.s, gs->fontsize, gs->fontcolor))
            goto done;
        for (i = 0; i < f->nl; i++) {
            b.len = 0;
            tg_i_viz_html_text(&b, f->lnames[i], strlen(f->lnames[i]), 0);
            if (b.oom || !text_node(g, f->ltext[i].name, b.s, gs->note_fontsize, gs->fontcolor))
                goto done;
        }
        for (i = 0; i < f->nt; i++) {
            b.len = 0;
            tg_i_viz_html_text(&b, f->tnames[i], strlen(f->tnames[i]), 0);
            if (b.oom || !text_node(g, f->ttext[i].name, b.s, gs->note_fontsize, gs->fontcolor))
                goto done;
        }
        if (d->hl_on &&
            !text_node(g, "legend-marked", "marked by the query", gs->note_fontsize, gs->fontcolor))
            goto done;
    }
    if (f->has_sources) {
        Agnode_t *n;
        b.len = 0;
        tg_i_viz_footnote_table(d, &b);
        if (b.oom || !(n = text_node(g, "sources", b.s, gs->note_fontsize, gs->note_fontcolor)))
            goto done;
        agsafeset(n, "shape", "box", "");
        agsafeset(n, "peripheries", "1", "");
        agsafeset(n, "color", (char *)gs->cluster_color, "");
        agsafeset(n, "margin", "0.08,0.05", "");
    }
    rc = 0;
done:
    if (rc != 0 && b.oom)
        rc = -2; /* our own allocation failed, not graphviz */
    free(b.s);
    return rc;
}

static double attr_num(void *obj, const char *name)
{
    char *v = agget(obj, (char *)name);

    return v ? atof(v) : 0;
}

/* Measures the furniture: lays its text nodes out alone and reads their
 * sizes. */
static tg_status measure(tg_i_viz_draw *d, GVC_t *gvc, furniture *f, tg_error *err)
{
    Agraph_t *g = agopen("measure", Agdirected, tg_i_viz_disc());
    tg_status st = TG_OK;
    size_t i;
    int laid = 0, rc = 0;

    if (!g || (rc = add_texts(d, g, f)) != 0) {
        if (rc == -2)
            st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory drawing the legend");
        else
            st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0,
                              "graphviz could not build the legend: %s", tg_i_viz_gv_message());
        goto done;
    }
    agsafeset(g, "fontname", d->theme.graph.fontname, "");
    agattr(g, AGNODE, "fontname", d->theme.graph.fontname);
    if (gvLayout(gvc, g, "dot") != 0) {
        st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0,
                          "graphviz could not measure the legend: %s", tg_i_viz_gv_message());
        goto done;
    }
    laid = 1;
    attach_attrs(g);
#define SIZE_OF(it)                                                                                \
    do {                                                                                           \
        Agnode_t *n_ = agnode(g, (it).name, 0);                                                    \
        if (n_) {                                                                                  \
            (it).w = attr_num(n_, "width") * 72;                                                   \
            (it).h = attr_num(n_, "height") * 72;                                                  \
        }                                                                                          \
    } while (0)
    SIZE_OF(f->title);
    SIZE_OF(f->heading);
    SIZE_OF(f->hltext);
    SIZE_OF(f->sources);
    for (i = 0; i < f->nl; i++)
        SIZE_OF(f->ltext[i]);
    for (i = 0; i < f->nt; i++)
        SIZE_OF(f->ttext[i]);
#undef SIZE_OF
done:
    if (laid)
        gvFreeLayout(gvc, g);
    if (g)
        agclose(g);
    return st;
}

static void set_pos(void *obj, double x, double y)
{
    char buf[64];

    snprintf(buf, sizeof buf, "%.2f,%.2f", x, y);
    agsafeset(obj, "pos", buf, "");
}

/* Pins a text node measured as it at (x, top) in y-down coordinates of a
 * composition H points tall. */
static void place_text(Agraph_t *g, const item *it, double x, double top, double H)
{
    Agnode_t *n = agnode(g, (char *)it->name, 0);

    if (n)
        set_pos(n, x + it->w / 2, H - (top + it->h / 2));
}

/* A label's sample: a node in the label's shape and colours. */
static int sample_node(tg_i_viz_draw *d, Agraph_t *g, size_t k, const tg_i_viz_style *s, double cx,
                       double cy)
{
    char name[48], w[16], h[16];
    Agnode_t *n;

    snprintf(name, sizeof name, "legend-label-%zu", k);
    n = agnode(g, name, 1);
    if (!n || tg_i_viz_set_html(g, n, " ") != 0)
        return -1;
    snprintf(w, sizeof w, "%.3f", SAMPLE_NODE_W / 72);
    snprintf(h, sizeof h, "%.3f", SAMPLE_NODE_H / 72);
    agsafeset(n, "fixedsize", "true", "");
    agsafeset(n, "width", w, "");
    agsafeset(n, "height", h, "");
    agsafeset(n, "shape", (char *)(s->shape[0] ? s->shape : d->theme.other_label.shape), "");
    agsafeset(n, "style", (char *)(s->style[0] ? s->style : "filled"), "");
    agsafeset(n, "fillcolor",
              (char *)(s->fillcolor[0] ? s->fillcolor : d->theme.other_label.fillcolor), "");
    agsafeset(n, "color", (char *)(s->color[0] ? s->color : d->theme.other_label.color), "");
    agsafeset(n, "peripheries", (char *)(s->peripheries[0] ? s->peripheries : "1"), "");
    agsafeset(n, "id", name, "");
    agsafeset(n, "tooltip", " ", "");
    set_pos(n, cx, cy);
    return 0;
}

/* A type's sample: an edge between two invisible points, drawn with the
 * type's colour, line, width and arrow (marked: the highlighted look). */
static int sample_edge(tg_i_viz_draw *d, Agraph_t *g, const char *key, const tg_i_viz_style *s,
                       int marked, double x0, double x1, double y)
{
    char na[48], nb[48], pos[160], color[TG_I_VIZ_VALUE_MAX];
    Agnode_t *a, *b;
    Agedge_t *e;
    const char *c = s->color[0] ? s->color : d->theme.other_type.color;
    double xe = x1 - (strcmp(s->arrowhead, "none") ? 0 : 0);

    snprintf(na, sizeof na, "legend-%s-a", key);
    snprintf(nb, sizeof nb, "legend-%s-b", key);
    a = agnode(g, na, 1);
    b = agnode(g, nb, 1);
    if (!a || !b || tg_i_viz_set_html(g, a, " ") != 0 || tg_i_viz_set_html(g, b, " ") != 0)
        return -1;
    agsafeset(a, "shape", "point", "");
    agsafeset(b, "shape", "point", "");
    agsafeset(a, "style", "invis", "");
    agsafeset(b, "style", "invis", "");
    agsafeset(a, "width", "0.01", "");
    agsafeset(b, "width", "0.01", "");
    agsafeset(a, "tooltip", " ", "");
    agsafeset(b, "tooltip", " ", "");
    set_pos(a, x0, y);
    set_pos(b, x1, y);
    e = agedge(g, a, b, NULL, 1);
    if (!e)
        return -1;
    /* the spline stops short of the end, where the arrowhead goes */
    snprintf(pos, sizeof pos, "e,%.2f,%.2f %.2f,%.2f %.2f,%.2f %.2f,%.2f %.2f,%.2f", xe, y, x0, y,
             x0 + (x1 - 7 - x0) / 3, y, x0 + 2 * (x1 - 7 - x0) / 3, y, x1 - 7, y);
    agsafeset(e, "pos", pos, "");
    agsafeset(e, "style", (char *)(s->style[0] ? s->style : "solid"), "");
    agsafeset(e, "arrowhead", (char *)(s->arrowhead[0] ? s->arrowhead : "normal"), "");
    if (marked) {
        char dark[TG_I_VIZ_VALUE_MAX];
        unsigned r, gg, bb;
        if (strlen(c) == 7 && c[0] == '#' && sscanf(c + 1, "%2x%2x%2x", &r, &gg, &bb) == 3)
            snprintf(dark, sizeof dark, "#%02X%02X%02X", r * 2 / 3, gg * 2 / 3, bb * 2 / 3);
        else
            snprintf(dark, sizeof dark, "%s", c);
        snprintf(color, sizeof color, "%s", dark);
        agsafeset(e, "penwidth", d->theme.graph.highlight_penwidth, "");
    } else {
        snprintf(color, sizeof color, "%s", c);
        agsafeset(e, "penwidth", (char *)(s->penwidth[0] ? s->penwidth : d->theme.graph.penwidth),
                  "");
    }
    agsafeset(e, "color", color, "");
    agsafeset(e, "label", "", "");
    agsafeset(e, "tooltip", " ", "");
    agsafeset(e, "id", (char *)key, "");
    return 0;
}

/* ---- one render, in-process ------------------------------------------------------ */

typedef struct laid {
    char *dot; /* the laid-out graph as DOT */
    size_t len;
    double x0, y0, w, h; /* its bounding box, points */
} laid;

/* ---- packing disconnected parts ------------------------------------------------ */

typedef struct comp {
    double x0, y0, x1, y1; /* bounding box, points */
    double dx, dy;         /* where packing moves it */
} comp;

static size_t uf_find(size_t *parent, size_t i)
{
    while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
    return i;
}

static void grow(comp *c, double x, double y, double rx, double ry)
{
    if (x - rx < c->x0)
        c->x0 = x - rx;
    if (x + rx > c->x1)
        c->x1 = x + rx;
    if (y - ry < c->y0)
        c->y0 = y - ry;
    if (y + ry > c->y1)
        c->y1 = y + ry;
}

static int cmp_comp_x(const void *a, const void *b)
{
    const comp *x = *(const comp *const *)a, *y = *(const comp *const *)b;

    if (x->x0 != y->x0)
        return x->x0 < y->x0 ? -1 : 1;
    return x->y1 > y->y1 ? -1 : x->y1 < y->y1;
}

/* Packs the connected parts of a laid-out graph in rows, in their order
 * from the left, so that the whole is about as wide for its height as the
 * page; moves every position (nodes, splines, labels) and sets "bb".
 * O(V + E) plus sorting the parts. */
static tg_status pack_components(Agraph_t *g, const page *pg, tg_error *err)
{
    size_t n = (size_t)agnnodes(g), i, k, ncomp = 0;
    Agnode_t **nodes = calloc(n + 1, sizeof *nodes), *nd;
    size_t *parent = calloc(n + 1, sizeof *parent), *cid = calloc(n + 1, sizeof *cid);
    comp *comps = NULL, **order = NULL;
    tg_i_viz_sbuf tmp = {0};
    double area = 0, maxw = 0, target, x, y, rowh, x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    char bb[128];
    tg_status st = TG_OK;

    if (!nodes || !parent || !cid)
        goto oom;
    for (i = 0, nd = agfstnode(g); nd; nd = agnxtnode(g, nd), i++) {
        nodes[i] = nd;
        parent[i] = i;
        ND_id(nd) = (int)i; /* graphviz's scratch field, reset by the next layout */
    }
    for (i = 0; i < n; i++) {
        Agedge_t *e;
        for (e = agfstout(g, nodes[i]); e; e = agnxtout(g, e)) {
            size_t a = uf_find(parent, i), b = uf_find(parent, (size_t)ND_id(aghead(e)));
            if (a != b)
                parent[a < b ? b : a] = a < b ? a : b;
        }
    }
    for (i = 0; i < n; i++)
        if (uf_find(parent, i) == i)
            cid[i] = ncomp++;
    if (ncomp < 2)
        goto done;
    comps = malloc(ncomp * sizeof *comps);
    order = malloc(ncomp * sizeof *order);
    if (!comps || !order)
        goto oom;
    for (k = 0; k < ncomp; k++) {
        comps[k].x0 = comps[k].y0 = 1e300;
        comps[k].x1 = comps[k].y1 = -1e300;
        comps[k].dx = comps[k].dy = 0;
        order[k] = &comps[k];
    }
    for (i = 0; i < n; i++) {
        comp *c = &comps[cid[uf_find(parent, i)]];
        Agedge_t *e;
        grow(c, ND_coord(nodes[i]).x, ND_coord(nodes[i]).y, ND_width(nodes[i]) * 36,
             ND_height(nodes[i]) * 36);
        for (e = agfstout(g, nodes[i]); e; e = agnxtout(g, e)) {
            size_t b;
            if (ED_spl(e))
                for (b = 0; b < (size_t)ED_spl(e)->size; b++) {
                    bezier *bz = &ED_spl(e)->list[b];
                    int p;
                    for (p = 0; p < bz->size; p++)
                        grow(c, bz->list[p].x, bz->list[p].y, 0, 0);
                }
            if (ED_label(e) && ED_label(e)->set)
                grow(c, ED_label(e)->pos.x, ED_label(e)->pos.y, ED_label(e)->dimen.x / 2,
                     ED_label(e)->dimen.y / 2);
        }
    }
    for (k = 0; k < ncomp; k++) {
        double w = comps[k].x1 - comps[k].x0, h = comps[k].y1 - comps[k].y0;
        area += (w + 18) * (h + 18);
        if (w > maxw)
            maxw = w;
    }
    /* rows about as wide, for their height, as the page */
    target = sqrt(area * pg->w / pg->h);
    if (target < maxw)
        target = maxw;
    qsort(order, ncomp, sizeof *order, cmp_comp_x);
    x = 0;
    y = 0; /* the top of the current row; rows go down */
    rowh = 0;
    for (k = 0; k < ncomp; k++) {
        comp *c = order[k];
        double w = c->x1 - c->x0, h = c->y1 - c->y0;
        if (x > 0 && x + w > target) {
            y -= rowh + 18;
            x = 0;
            rowh = 0;
        }
        c->dx = x - c->x0;
        c->dy = y - c->y1; /* its top at the row's top */
        x += w + 18;
        if (h > rowh)
            rowh = h;
    }
    for (i = 0; i < n; i++) {
        comp *c = &comps[cid[uf_find(parent, i)]];
        Agedge_t *e;
        shift_attr(nodes[i], "pos", c->dx, c->dy, &tmp);
        shift_attr(nodes[i], "xlp", c->dx, c->dy, &tmp);
        for (e = agfstout(g, nodes[i]); e; e = agnxtout(g, e)) {
            shift_attr(e, "pos", c->dx, c->dy, &tmp);
            shift_attr(e, "lp", c->dx, c->dy, &tmp);
            shift_attr(e, "xlp", c->dx, c->dy, &tmp);
            shift_attr(e, "head_lp", c->dx, c->dy, &tmp);
            shift_attr(e, "tail_lp", c->dx, c->dy, &tmp);
        }
    }
    for (k = 0; k < ncomp; k++) {
        if (comps[k].x0 + comps[k].dx < x0)
            x0 = comps[k].x0 + comps[k].dx;
        if (comps[k].y0 + comps[k].dy < y0)
            y0 = comps[k].y0 + comps[k].dy;
        if (comps[k].x1 + comps[k].dx > x1)
            x1 = comps[k].x1 + comps[k].dx;
        if (comps[k].y1 + comps[k].dy > y1)
            y1 = comps[k].y1 + comps[k].dy;
    }
    snprintf(bb, sizeof bb, "%.2f,%.2f,%.2f,%.2f", x0, y0, x1, y1);
    agsafeset(g, "bb", bb, "");
    if (tmp.oom)
        goto oom;
    goto done;
oom:
    st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
done:
    free(tmp.s);
    free(nodes);
    free(parent);
    free(cid);
    free(comps);
    free(order);
    return st;
}

/* Builds the body with these options and lays it out; fills *out. */
/* ---- fdp with clusters, reproducibly ----------------------------------------- */

/* graphviz 2.42's fdp lays clusters out in an order that follows node
 * addresses (docs/diagrams.md, "Guarantees"), so the same clustered figure
 * changed between processes. fdp without clusters is reproducible, and that
 * is all this uses: each cluster is laid out alone as a plain graph; the
 * clusters then become boxes of their measured size (their label on top)
 * laid out with the unclustered entities, again as a plain graph; finally
 * every entity is placed (its cluster's place plus its place inside) and
 * graphviz's nop2 draws the edges and the cluster frames from those
 * positions. This is fdp's own method (a derived graph per level), done
 * where the order is ours. */

/* Sets attribute sym of obj (in root g) to v, a string of another graph,
 * keeping an HTML label HTML. */
static int set_value(Agraph_t *g, void *obj, Agsym_t *sym, char *v)
{
    char *h;

    if (!aghtmlstr(v))
        return agxset(obj, sym, v) != 0 ? -1 : 0;
    if (!(h = agstrdup_html(g, v)))
        return -1;
    agxset(obj, sym, h);
    agstrfree(g, h);
    return 0;
}

/* Copies every attribute of `from` (kind AGRAPH, AGNODE or AGEDGE, declared
 * on root `fr`) that differs from its default onto `to` in root `tr`,
 * keeping HTML labels HTML. */
static int copy_attrs(Agraph_t *fr, void *from, Agraph_t *tr, void *to, int kind)
{
    Agsym_t *sym = NULL;

    while ((sym = agnxtattr(fr, kind, sym))) {
        char *v = agxget(from, sym);
        Agsym_t *ts;
        if (!v || !strcmp(v, sym->defval ? sym->defval : ""))
            continue;
        ts = agattr(tr, kind, sym->name, NULL);
        if (!ts && !(ts = agattr(tr, kind, sym->name, "")))
            return -1;
        if (set_value(tr, to, ts, v) != 0)
            return -1;
    }
    return 0;
}

/* A new plain graph with root's graph attributes and default node and edge
 * attributes (a part to lay out alone). */
static Agraph_t *part_graph(Agraph_t *root)
{
    Agraph_t *p = agopen("part", Agdirected, tg_i_viz_disc());
    Agsym_t *sym = NULL;

    if (!p)
        return NULL;
    while ((sym = agnxtattr(root, AGNODE, sym)))
        agattr(p, AGNODE, sym->name, sym->defval);
    while ((sym = agnxtattr(root, AGEDGE, sym)))
        agattr(p, AGEDGE, sym->name, sym->defval);
    if (copy_attrs(root, root, p, p, AGRAPH) != 0) {
        agclose(p);
        return NULL;
    }
    agsafeset(p, "label", "", ""); /* the title is composed later */
    return p;
}

static Agnode_t *copy_node(Agraph_t *root, Agnode_t *n, Agraph_t *p)
{
    Agnode_t *m = agnode(p, agnameof(n), 1);

    return m && copy_attrs(root, n, p, m, AGNODE) == 0 ? m : NULL;
}

static int read_xy(void *obj, const char *name, double *x, double *y)
{
    char *v = agget(obj, (char *)name);

    return v && sscanf(v, "%lf,%lf", x, y) == 2 ? 0 : -1;
}

typedef struct part {
    Agraph_t *sub;           /* the cluster in the diagram */
    double x0, y0, w, h;     /* its nodes' bounding box, laid out alone */
    double lw, lh;           /* its label's size */
    double W, H;             /* its frame */
    double cx, cy;           /* the frame's centre, placed */
} part;

#define CLUSTER_MARGIN 8.0 /* points between a frame and its contents */

/* Lays the cluster out alone: its entities and the ties inside it. */
static int lay_out_part(GVC_t *gvc, Agraph_t *root, part *c, Agraph_t **laid)
{
    Agraph_t *p = part_graph(root);
    Agnode_t *n;
    Agedge_t *e;
    char *bb;

    *laid = NULL;
    if (!p)
        return -1;
    for (n = agfstnode(c->sub); n; n = agnxtnode(c->sub, n))
        if (!copy_node(root, n, p))
            goto fail;
    for (n = agfstnode(c->sub); n; n = agnxtnode(c->sub, n))
        for (e = agfstout(root, n); e; e = agnxtout(root, e)) {
            Agnode_t *t, *h;
            if (!agsubnode(c->sub, aghead(e), 0) || aghead(e) == n)
                continue;
            t = agnode(p, agnameof(n), 0);
            h = agnode(p, agnameof(aghead(e)), 0);
            if (!t || !h || !agedge(p, t, h, NULL, 1))
                goto fail;
        }
    if (gvLayout(gvc, p, "fdp") != 0)
        goto fail;
    attach_attrs(p);
    bb = agget(p, "bb");
    if (!bb || sscanf(bb, "%lf,%lf,%lf,%lf", &c->x0, &c->y0, &c->w, &c->h) != 4) {
        gvFreeLayout(gvc, p);
        goto fail;
    }
    c->w -= c->x0;
    c->h -= c->y0;
    *laid = p; /* the caller reads the positions, then frees the layout */
    return 0;
fail:
    agclose(p);
    return -1;
}

/* Puts a cluster's label, with its font, on node n of graph g. */
static int copy_label(Agraph_t *sub, Agraph_t *g, Agnode_t *n)
{
    static const char *const names[] = {"label", "fontname", "fontsize"};
    size_t k;

    for (k = 0; k < sizeof names / sizeof names[0]; k++) {
        char *v = agget(sub, (char *)names[k]);
        Agsym_t *sym;
        if (!v || !v[0])
            continue;
        if (!(sym = agattr(g, AGNODE, (char *)names[k], NULL)) &&
            !(sym = agattr(g, AGNODE, (char *)names[k], "")))
            return -1;
        if (set_value(g, n, sym, v) != 0)
            return -1;
    }
    return 0;
}

/* The size of each cluster's label, laid out as a plain text node. */
static int measure_labels(GVC_t *gvc, Agraph_t *root, part *cl, size_t ncl)
{
    Agraph_t *g = agopen("labels", Agdirected, tg_i_viz_disc());
    size_t i;
    int rc = -1;

    if (!g)
        return -1;
    agattr(g, AGNODE, "shape", "plaintext");
    agattr(g, AGNODE, "margin", "0");
    agattr(g, AGNODE, "width", "0");
    agattr(g, AGNODE, "height", "0");
    for (i = 0; i < ncl; i++) {
        char name[32];
        Agnode_t *n;
        snprintf(name, sizeof name, "l%zu", i);
        if (!(n = agnode(g, name, 1)) || copy_label(cl[i].sub, g, n) != 0)
            goto done;
    }
    if (gvLayout(gvc, g, "dot") != 0)
        goto done;
    attach_attrs(g);
    for (i = 0; i < ncl; i++) {
        char name[32];
        Agnode_t *n;
        snprintf(name, sizeof name, "l%zu", i);
        n = agnode(g, name, 0);
        cl[i].lw = n ? attr_num(n, "width") * 72 : 0;
        cl[i].lh = n ? attr_num(n, "height") * 72 : 0;
    }
    gvFreeLayout(gvc, g);
    rc = 0;
done:
    agclose(g);
    return rc;
}

/* Lays out d->root, whose top-level subgraphs are clusters, with fdp in the
 * steps above; on success the diagram holds every position and nop2 has
 * drawn its edges. */
static tg_status fdp_clusters(GVC_t *gvc, tg_i_viz_draw *d, tg_error *err)
{
    Agraph_t *root = d->root, *sub, *top = NULL;
    part *cl = NULL;
    Agraph_t **laid = NULL;
    size_t ncl = 0, i;
    Agnode_t *n;
    Agedge_t *e;
    char buf[96];
    tg_status st = TG_OK;

    for (sub = agfstsubg(root); sub; sub = agnxtsubg(sub))
        ncl++;
    cl = calloc(ncl ? ncl : 1, sizeof *cl);
    laid = calloc(ncl ? ncl : 1, sizeof *laid);
    if (!cl || !laid) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    ncl = 0;
    for (sub = agfstsubg(root); sub; sub = agnxtsubg(sub))
        if (!strncmp(agnameof(sub), "cluster", 7) && agfstnode(sub))
            cl[ncl++].sub = sub;
    if (measure_labels(gvc, root, cl, ncl) != 0)
        goto gv;
    /* each cluster alone */
    for (i = 0; i < ncl; i++) {
        if (lay_out_part(gvc, root, &cl[i], &laid[i]) != 0)
            goto gv;
        cl[i].W = (cl[i].w > cl[i].lw ? cl[i].w : cl[i].lw) + 2 * CLUSTER_MARGIN;
        cl[i].H = cl[i].h + cl[i].lh + 3 * CLUSTER_MARGIN;
    }
    /* the clusters as boxes, with the entities outside any */
    if (!(top = part_graph(root)))
        goto gv;
    for (i = 0; i < ncl; i++) {
        Agnode_t *b;
        snprintf(buf, sizeof buf, "cluster box %zu", i);
        if (!(b = agnode(top, buf, 1)))
            goto gv;
        agsafeset(b, "shape", "box", "");
        agsafeset(b, "fixedsize", "true", "");
        agsafeset(b, "label", "", "");
        snprintf(buf, sizeof buf, "%.4f", cl[i].W / 72);
        agsafeset(b, "width", buf, "");
        snprintf(buf, sizeof buf, "%.4f", cl[i].H / 72);
        agsafeset(b, "height", buf, "");
    }
    for (n = agfstnode(root); n; n = agnxtnode(root, n)) {
        for (i = 0; i < ncl && !agsubnode(cl[i].sub, n, 0); i++)
            ;
        if (i == ncl && !copy_node(root, n, top))
            goto gv;
    }
    for (n = agfstnode(root); n; n = agnxtnode(root, n))
        for (e = agfstout(root, n); e; e = agnxtout(root, e)) {
            Agnode_t *ends[2] = {n, aghead(e)}, *t[2];
            int k;
            for (k = 0; k < 2; k++) {
                for (i = 0; i < ncl && !agsubnode(cl[i].sub, ends[k], 0); i++)
                    ;
                if (i < ncl)
                    snprintf(buf, sizeof buf, "cluster box %zu", i);
                t[k] = agnode(top, i < ncl ? buf : agnameof(ends[k]), 0);
            }
            if (!t[0] || !t[1])
                goto gv;
            if (t[0] != t[1] && !agedge(top, t[0], t[1], NULL, 0) &&
                !agedge(top, t[1], t[0], NULL, 0) && !agedge(top, t[0], t[1], NULL, 1))
                goto gv;
        }
    if (gvLayout(gvc, top, "fdp") != 0)
        goto gv;
    attach_attrs(top);
    /* every entity at its place; the frames around them */
    for (n = agfstnode(root); n; n = agnxtnode(root, n)) {
        double x, y;
        Agnode_t *m;
        for (i = 0; i < ncl && !agsubnode(cl[i].sub, n, 0); i++)
            ;
        m = agnode(i < ncl ? laid[i] : top, agnameof(n), 0);
        if (!m || read_xy(m, "pos", &x, &y) != 0)
            goto gv;
        if (i < ncl) {
            Agnode_t *b;
            snprintf(buf, sizeof buf, "cluster box %zu", i);
            if (!(b = agnode(top, buf, 0)) || read_xy(b, "pos", &cl[i].cx, &cl[i].cy) != 0)
                goto gv;
            /* the contents sit under the label, centred */
            x = cl[i].cx + (x - cl[i].x0 - cl[i].w / 2);
            y = cl[i].cy - cl[i].H / 2 + CLUSTER_MARGIN + (y - cl[i].y0);
        }
        snprintf(buf, sizeof buf, "%.2f,%.2f", x, y);
        agsafeset(n, "pos", buf, "");
    }
    for (i = 0; i < ncl; i++) {
        snprintf(buf, sizeof buf, "%.2f,%.2f,%.2f,%.2f", cl[i].cx - cl[i].W / 2,
                 cl[i].cy - cl[i].H / 2, cl[i].cx + cl[i].W / 2, cl[i].cy + cl[i].H / 2);
        agsafeset(cl[i].sub, "bb", buf, "");
        snprintf(buf, sizeof buf, "%.2f,%.2f", cl[i].cx,
                 cl[i].cy + cl[i].H / 2 - CLUSTER_MARGIN - cl[i].lh / 2);
        agsafeset(cl[i].sub, "lp", buf, "");
    }
    /* the layout attribute would override gvLayout's engine */
    agsafeset(root, "layout", "nop2", "");
    i = gvLayout(gvc, root, "nop2") != 0;
    agsafeset(root, "layout", "fdp", "");
    if (i)
        goto gv;
    goto done;
gv:
    st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0,
                      "graphviz could not lay out the diagram with fdp: %s",
                      tg_i_viz_gv_message());
done:
    for (i = 0; laid && i < ncl; i++)
        if (laid[i]) {
            gvFreeLayout(gvc, laid[i]);
            agclose(laid[i]);
        }
    if (top) {
        gvFreeLayout(gvc, top); /* nothing to free when it was not laid out */
        agclose(top);
    }
    free(laid);
    free(cl);
    return st;
}

static tg_status lay_out(GVC_t *gvc, const tg_viz_selection *s, const tg_viz_options *o,
                         tg_i_viz_draw *d, const page *pg, laid *out, tg_error *err)
{
    tg_status st;
    int done_layout = 0;
    double bb[4] = {0, 0, 0, 0};
    char *v;

    memset(out, 0, sizeof *out);
    if ((st = tg_i_viz_build(d, s, o, 0, err)) != TG_OK)
        goto done;
    if (d->nclusters && !strcmp(d->layout, "fdp")) {
        if ((st = fdp_clusters(gvc, d, err)) != TG_OK)
            goto done;
    } else if (gvLayout(gvc, d->root, d->layout) != 0) {
        st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0,
                          "graphviz could not lay out the diagram with %s: %s", d->layout,
                          tg_i_viz_gv_message());
        goto done;
    }
    done_layout = 1;
    attach_attrs(d->root);
    /* disconnected parts in rows, not one long row (graphviz's own pack
     * leaves dot's edge labels behind in 2.42) */
    if (pg && !d->nclusters && !(o->rank && o->rank[0]) &&
        (st = pack_components(d->root, pg, err)) != TG_OK)
        goto done;
    v = agget(d->root, "bb");
    if (v)
        sscanf(v, "%lf,%lf,%lf,%lf", &bb[0], &bb[1], &bb[2], &bb[3]);
    out->x0 = bb[0];
    out->y0 = bb[1];
    out->w = bb[2] - bb[0];
    out->h = bb[3] - bb[1];
    out->dot = write_graph(d->root, &out->len);
    if (!out->dot)
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
done:
    /* Graphviz 2.42's dot frees some of its edge data twice when it cleans
     * up a layout with clusters and labelled edges between them, or with
     * rank=same subgraphs (rank=by-label); the
     * positions are in the graph by then, so for clustered dot layouts the
     * layout data is left to leak (a few kilobytes a diagram; agclose still
     * frees the graph itself). */
    if (done_layout && !((d->nclusters || (o->rank && o->rank[0])) && !strcmp(d->layout, "dot")))
        gvFreeLayout(gvc, d->root);
    return st;
}

/* The scale page= would give a composition of w x h points. */
static double fit(const page *pg, double w, double h)
{
    double s = 1;

    if (pg) {
        if (w > pg->w)
            s = pg->w / w;
        if (h * s > pg->h)
            s = pg->h / h;
    }
    return s;
}

static tg_status render_inproc(const tg_viz_selection *s, const tg_viz_options *o,
                               const char *format, char **out, size_t *len, tg_viz_info *info,
                               tg_error *err)
{
    GVC_t *gvc = gvc_get();
    tg_viz_options o2; /* the other direction; outlives the draw that points at it */
    tg_i_viz_draw d, alt;
    laid body, other;
    furniture *f = NULL;
    page pg, *pp = NULL;
    Agraph_t *g2 = NULL;
    tg_i_viz_sbuf tmp = {0};
    char *data = NULL;
    unsigned int n = 0;
    int laid2 = 0;
    size_t i;
    double W, H, top, scale, edge_pt;
    tg_status st = TG_OK;

    memset(&d, 0, sizeof d);
    memset(&alt, 0, sizeof alt);
    memset(&body, 0, sizeof body);
    memset(&other, 0, sizeof other);
    if (!gvc) {
        st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0, "graphviz could not start: %s",
                          tg_i_viz_gv_message());
        goto done;
    }
    if (o->page && o->page[0]) {
        if ((st = parse_page(o->page, &pg, err)) != TG_OK)
            goto done;
        pp = &pg;
    }
    if ((st = lay_out(gvc, s, o, &d, pp, &body, err)) != TG_OK)
        goto done;
    /* For a page, a dot figure too wide (or too tall) for it is also tried
     * in the other direction; the one printed larger wins. */
    if (pp && !strcmp(d.layout, "dot") && !(o->rankdir && o->rankdir[0]) &&
        fit(pp, body.w, body.h) < 0.9 && d.nents <= 400) {
        o2 = *o;
        o2.rankdir = strcmp(d.rankdir, "LR") ? "LR" : "TB";
        o2.layout = "dot";
        if ((st = lay_out(gvc, s, &o2, &alt, pp, &other, err)) != TG_OK)
            goto done;
        if (fit(pp, other.w, other.h + 150) > fit(pp, body.w, body.h + 150) * 1.1) {
            laid t = body;
            tg_i_viz_draw td = d;
            body = other;
            other = t;
            d = alt;
            alt = td;
        }
    }
    if (d.nents == 0 && !(o->title && o->title[0])) {
        /* nothing to draw: an empty figure, still a valid file */
    }

    /* the furniture, measured */
    f = calloc(1, sizeof *f);
    if (!f)
        goto oom;
    f->has_title = o->title && o->title[0];
    f->has_legend = o->legend && d.nents;
    f->has_sources = o->footnotes && d.nnotes;
    f->nl = tg_i_viz_legend_labels(&d, f->ls, f->lnames, 2 * TG_I_VIZ_STYLES_MAX);
    f->nt = tg_i_viz_legend_types(&d, f->ts, f->tnames, 2 * TG_I_VIZ_STYLES_MAX);
    snprintf(f->title.name, sizeof f->title.name, "title");
    snprintf(f->heading.name, sizeof f->heading.name, "legend");
    snprintf(f->hltext.name, sizeof f->hltext.name, "legend-marked");
    snprintf(f->sources.name, sizeof f->sources.name, "sources");
    for (i = 0; i < f->nl; i++)
        snprintf(f->ltext[i].name, sizeof f->ltext[i].name, "legend-label-text-%zu", i);
    for (i = 0; i < f->nt; i++)
        snprintf(f->ttext[i].name, sizeof f->ttext[i].name, "legend-type-text-%zu", i);
    if ((f->has_title || f->has_legend || f->has_sources) &&
        (st = measure(&d, gvc, f, err)) != TG_OK)
        goto done;

    /* the composition's width: the graph's, at least the page's (the
     * legend and sources may use it), at least the title's */
    W = body.w;
    if (pp && W < pp->w)
        W = pp->w;
    /* viewers may set the title in a wider face than graphviz measured */
    if (f->has_title && W < f->title.w * 1.08)
        W = f->title.w * 1.08;
    if (f->has_sources && W < f->sources.w)
        W = f->sources.w;
    /* y-down layout: title, graph, legend rows, sources */
    top = 0;
    if (f->has_title)
        top += f->title.h + GAP / 2;
    top += body.h;
    {
        double legend_top = top + GAP, row_h = SAMPLE_NODE_H + 6, rowx, rows_end;
        double H_legend = 0, H_sources = 0;
        size_t k;
        /* rows of legend entries, flowing left to right within W */
        if (f->has_legend) {
            H_legend = f->heading.h + 2;
            rowx = 0;
            for (k = 0; k < f->nl + f->nt + (size_t)(d.hl_on ? 1 : 0); k++) {
                double tw = k < f->nl           ? f->ltext[k].w
                            : k < f->nl + f->nt ? f->ttext[k - f->nl].w
                                                : f->hltext.w;
                double ew = (k < f->nl ? SAMPLE_NODE_W : SAMPLE_EDGE_W) + 4 + tw + 14;
                if (rowx > 0 && rowx + ew > W) {
                    H_legend += row_h;
                    rowx = 0;
                }
                rowx += ew;
            }
            H_legend += row_h;
        }
        rows_end = legend_top + H_legend;
        if (f->has_sources)
            H_sources = f->sources.h + GAP;
        H = rows_end + H_sources;
        if (!f->has_legend && !f->has_sources)
            H = top;

        /* the composition */
        g2 = read_graph(body.dot, body.len);
        if (!g2) {
            st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0,
                              "graphviz could not read the laid-out diagram back: %s",
                              tg_i_viz_gv_message());
            goto done;
        }
        /* the graph, centred, its top below the title */
        shift_graph(g2, (W - body.w) / 2 - body.x0,
                    H - (f->has_title ? f->title.h + GAP / 2 : 0) - body.h - body.y0, &tmp);
        {
            int rc = add_texts(&d, g2, f);
            if (rc == -2)
                goto oom;
            if (rc != 0)
                goto gv;
        }
        if (f->has_title)
            place_text(g2, &f->title, (W - f->title.w) / 2, 0, H);
        if (f->has_legend) {
            double y = legend_top;
            place_text(g2, &f->heading, 0, y, H);
            y += f->heading.h + 2;
            rowx = 0;
            for (k = 0; k < f->nl + f->nt + (size_t)(d.hl_on ? 1 : 0); k++) {
                int is_label = k < f->nl, is_marked = k >= f->nl + f->nt;
                const item *txt = is_label     ? &f->ltext[k]
                                  : !is_marked ? &f->ttext[k - f->nl]
                                               : &f->hltext;
                double sw = is_label ? SAMPLE_NODE_W : SAMPLE_EDGE_W;
                double ew = sw + 4 + txt->w + 14, cy = H - (y + row_h / 2);
                char key[48];
                if (rowx > 0 && rowx + ew > W) {
                    y += row_h;
                    rowx = 0;
                    cy = H - (y + row_h / 2);
                }
                if (is_label) {
                    if (sample_node(&d, g2, k, f->ls[k], rowx + sw / 2, cy) != 0)
                        goto gv;
                } else if (!is_marked) {
                    snprintf(key, sizeof key, "legend-type-%zu", k - f->nl);
                    if (sample_edge(&d, g2, key, f->ts[k - f->nl], 0, rowx + 2, rowx + sw, cy) != 0)
                        goto gv;
                } else {
                    /* the marked look, in the colour of the first type drawn */
                    if (f->nt && sample_edge(&d, g2, "legend-marked-edge", f->ts[0], 1, rowx + 2,
                                             rowx + sw, cy) != 0)
                        goto gv;
                }
                place_text(g2, txt, rowx + sw + 4, y + (row_h - txt->h) / 2, H);
                rowx += ew;
            }
        }
        if (f->has_sources)
            place_text(g2, &f->sources, 0, rows_end + GAP, H);
    }
    {
        char bb[96];
        snprintf(bb, sizeof bb, "0,0,%.2f,%.2f", W, H);
        agsafeset(g2, "bb", bb, "");
        agsafeset(g2, "rankdir", "TB", "");
        agsafeset(g2, "layout", "nop2", ""); /* the attribute would override gvLayout's engine */
        agsafeset(g2, "label", "", "");
        agsafeset(g2, "pad", "0.15", "");
        agsafeset(g2, "splines", "true", "");
        agsafeset(g2, "id", "figure", "");
    }
    scale = fit(pp, W, H);
    if (pp) {
        char size[64];
        snprintf(size, sizeof size, "%.3f,%.3f", pp->w / 72, pp->h / 72);
        agsafeset(g2, "size", size, "");
    }
    if (!strcmp(format, "png")) {
        char dpi[16];
        snprintf(dpi, sizeof dpi, "%d", o->dpi ? o->dpi : pp ? 300 : 144);
        agsafeset(g2, "dpi", dpi, "");
    }
    if (gvLayout(gvc, g2, "nop2") != 0) {
        st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0,
                          "graphviz could not compose the figure: %s", tg_i_viz_gv_message());
        goto done;
    }
    laid2 = 1;
    if (gvRenderData(gvc, g2, (char *)format, &data, &n) != 0 || !data) {
        st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0,
                          "graphviz could not render the diagram as %s: %s", format,
                          tg_i_viz_gv_message());
        goto done;
    }
    *out = malloc((size_t)n + 1);
    if (!*out)
        goto oom;
    memcpy(*out, data, n);
    (*out)[n] = '\0';
    if (len)
        *len = n;
    edge_pt = atof(d.theme.graph.edge_fontsize);
    if (info) {
        snprintf(info->layout, sizeof info->layout, "%s", d.layout);
        info->entities = d.nents;
        info->relations = d.nrels;
        info->edges = d.nedges;
        info->scale = scale;
        info->width_pt = (W + 0.3 * 72) * scale;
        info->height_pt = (H + 0.3 * 72) * scale;
        info->min_font_pt = edge_pt * scale;
    }
    goto done;
oom:
    st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    goto done;
gv:
    st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0, "graphviz could not compose the figure: %s",
                      tg_i_viz_gv_message());
done:
    if (data)
        gvFreeRenderData(data);
    if (laid2)
        gvFreeLayout(gvc, g2);
    if (g2)
        agclose(g2);
    free(tmp.s);
    free(f);
    free(body.dot);
    free(other.dot);
    tg_i_viz_draw_destroy(&d);
    tg_i_viz_draw_destroy(&alt);
    return st;
}

/* ---- the deadline ----------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Writes all of buf to fd; -1 on error. */
static int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;

    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Runs render_inproc in a child process and waits at most o->timeout
 * seconds for it. The child sends a status, the error, the info and the
 * bytes through a pipe. */
static tg_status render_deadline(const tg_viz_selection *s, const tg_viz_options *o,
                                 const char *format, char **out, size_t *len, tg_viz_info *info,
                                 tg_error *err)
{
    int fds[2];
    pid_t pid;
    double deadline = now() + o->timeout;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int status, killed = 0, wstatus = 0;
    tg_status st = TG_OK;

    if (pipe(fds) != 0)
        return tg_error_set(err, TG_EINTERNAL, NULL, 0, 0, "cannot start the renderer: %s",
                            strerror(errno));
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return tg_error_set(err, TG_EINTERNAL, NULL, 0, 0, "cannot start the renderer: %s",
                            strerror(errno));
    }
    if (pid == 0) {
        char *data = NULL;
        size_t dlen = 0;
        tg_error e;
        tg_viz_info inf;
        uint64_t l;
        tg_status cst;
        memset(&e, 0, sizeof e);
        memset(&inf, 0, sizeof inf);
        close(fds[0]);
        cst = render_inproc(s, o, format, &data, &dlen, &inf, &e);
        status = (int)cst;
        l = dlen;
        if (write_all(fds[1], &status, sizeof status) || write_all(fds[1], &e, sizeof e) ||
            write_all(fds[1], &inf, sizeof inf) || write_all(fds[1], &l, sizeof l) ||
            (dlen && write_all(fds[1], data, dlen)))
            _exit(2);
        _exit(0);
    }
    close(fds[1]);
    for (;;) {
        struct pollfd p = {fds[0], POLLIN, 0};
        double left = deadline - now();
        int r;
        ssize_t got;
        if (left <= 0) {
            kill(pid, SIGKILL);
            killed = 1;
            break;
        }
        r = poll(&p, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        if (n == cap) {
            char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);
            if (!nb) {
                kill(pid, SIGKILL);
                killed = 2;
                break;
            }
            buf = nb;
        }
        got = read(fds[0], buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    close(fds[0]);
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    if (killed == 1) {
        st = tg_error_set(err, TG_ERUNTIME, NULL, 0, 0,
                          "drawing took longer than the timeout of %g s and was stopped; narrow "
                          "the query or choose a faster layout (docs/diagrams.md has the measured "
                          "times)",
                          o->timeout);
        goto done;
    }
    if (killed == 2) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    {
        size_t head = sizeof(int) + sizeof(tg_error) + sizeof(tg_viz_info) + sizeof(uint64_t);
        uint64_t l;
        if (n < head) {
            st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0,
                              "the renderer stopped before it finished (status %d)", wstatus);
            goto done;
        }
        memcpy(&status, buf, sizeof status);
        if ((tg_status)status != TG_OK) {
            if (err)
                memcpy(err, buf + sizeof(int), sizeof *err);
            st = (tg_status)status;
            goto done;
        }
        if (info)
            memcpy(info, buf + sizeof(int) + sizeof(tg_error), sizeof *info);
        memcpy(&l, buf + head - sizeof l, sizeof l);
        if (n != head + l) {
            st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0, "the renderer's output was cut short");
            goto done;
        }
        *out = malloc((size_t)l + 1);
        if (!*out) {
            st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
        memcpy(*out, buf + head, (size_t)l);
        (*out)[l] = '\0';
        if (len)
            *len = (size_t)l;
    }
done:
    free(buf);
    return st;
}

/* ---- public ---------------------------------------------------------------------- */

tg_status tg_viz_render_data(const tg_viz_selection *s, const tg_viz_options *o, const char *format,
                             char **out, size_t *len, tg_error *err)
{
    tg_viz_info local;
    tg_viz_info *info;
    double t0 = now();
    tg_status st = TG_OK;

    memset(&local, 0, sizeof local);
    info = o && o->info ? o->info : &local;
    *out = NULL;
    if (len)
        *len = 0;
    memset(info, 0, sizeof *info);
    if (!format || (strcmp(format, "svg") && strcmp(format, "png") && strcmp(format, "pdf") &&
                    strcmp(format, "dot")))
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                            "unknown diagram format '%s'; expected svg, png, pdf or dot",
                            format ? format : "(none)");
    if (!strcmp(format, "dot"))
        return tg_viz_dot(s, o, out, len, err);
    tg_i_viz_capture_begin();
    if (!o->force && (st = tg_viz_check(s, o, err)) != TG_OK)
        goto done;
    if (o->timeout > 0)
        st = render_deadline(s, o, format, out, len, info, err);
    else
        st = render_inproc(s, o, format, out, len, info, err);
    info->seconds = now() - t0;
done:
    tg_i_viz_capture_end();
    return st;
}

tg_status tg_viz_render(const tg_viz_selection *s, const tg_viz_options *o, const char *format,
                        const char *path, tg_error *err)
{
    char *data = NULL;
    size_t n = 0;
    FILE *f = NULL;
    tg_status st = tg_viz_render_data(s, o, format, &data, &n, err);

    if (st != TG_OK)
        goto done;
    f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n) {
        st = tg_error_set(err, TG_EIO, path, 0, 0, "cannot write the diagram: %s", strerror(errno));
        goto done;
    }
    if (fclose(f) != 0) {
        f = NULL;
        st = tg_error_set(err, TG_EIO, path, 0, 0, "cannot write the diagram: %s", strerror(errno));
        goto done;
    }
    f = NULL;
done:
    if (f)
        fclose(f);
    free(data);
    return st;
}
