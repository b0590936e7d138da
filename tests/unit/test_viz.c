/* test_viz.c — the diagram module: DOT golden of a small graph (shapes,
 * colours, edge labels with amount and year, legend, clusters, footnotes),
 * hostile names in DOT and SVG, determinism, the empty selection, options
 * and theme files (good and bad), and rendering through gvc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>
#include <time.h>

#include "graph.h"
#include "tg_test.h"
#include "viz.h"
#include "viz_internal.h"

/* ---- building a graph with the engine API ------------------------------- */

static tg_sym S(tg_graph *g, const char *s)
{
    return tg_graph_intern(g, s, strlen(s));
}

static void set_str(tg_graph *g, tg_side side, uint32_t item, const char *key, const char *v)
{
    tg_pval pv;

    memset(&pv, 0, sizeof pv);
    pv.type = TG_V_STRING;
    pv.u.s = S(g, v);
    TG_CHECK_INT(tg_graph_set_prop(g, side, item, S(g, key), &pv, NULL), TG_OK);
}

static void set_int(tg_graph *g, tg_side side, uint32_t item, const char *key, long long v)
{
    tg_pval pv;

    memset(&pv, 0, sizeof pv);
    pv.type = TG_V_INT;
    pv.u.i = v;
    TG_CHECK_INT(tg_graph_set_prop(g, side, item, S(g, key), &pv, NULL), TG_OK);
}

/* sources: a NULL-terminated list of strings */
static void set_sources(tg_graph *g, tg_side side, uint32_t item, const char *const *src)
{
    tg_pval items[8], list;
    size_t n = 0;

    memset(items, 0, sizeof items);
    for (; src[n]; n++) {
        items[n].type = TG_V_STRING;
        items[n].u.s = S(g, src[n]);
    }
    TG_CHECK_INT(tg_graph_make_list(g, items, n, &list, NULL), TG_OK);
    TG_CHECK_INT(tg_graph_set_prop(g, side, item, S(g, "sources"), &list, NULL), TG_OK);
}

static tg_ent ent(tg_graph *g, const char *id, const char *label, const char *name)
{
    tg_ent e = TG_NONE;

    TG_CHECK_INT(tg_graph_add_entity(g, id, strlen(id), &e, NULL), TG_OK);
    if (label)
        TG_CHECK_INT(tg_graph_add_label(g, e, S(g, label), NULL), TG_OK);
    if (name)
        set_str(g, TG_ENTITY, e, "name", name);
    return e;
}

static tg_rel rel(tg_graph *g, tg_ent a, tg_ent b, const char *type)
{
    tg_rel r = TG_NONE;

    TG_CHECK_INT(tg_graph_add_relation(g, a, b, S(g, type), &r, NULL), TG_OK);
    return r;
}

/* The small graph of the golden test. Entities are added out of id order
 * so that the test sees the DOT sorted by id. */
static tg_graph *small_graph(void)
{
    tg_graph *g = tg_graph_new();
    tg_source_field f[3];
    tg_ent exim, gov, hw, proj, cn, ship, sub;
    tg_rel r;
    static const char *const s47[] = {"aspi-2019#47", NULL};
    static const char *const shw[] = {"aspi-2019#21", "aspi-2019#36", "aspi-2019", "aspi-2019#47",
                                      NULL};
    static const char *const sother[] = {"unknown-src#3", NULL};

    f[0].key = S(g, "title");
    f[0].value = S(g, "Mapping China's Tech Giants");
    f[1].key = S(g, "publisher");
    f[1].value = S(g, "Australian Strategic Policy Institute (ASPI)");
    f[2].key = S(g, "date");
    f[2].value = S(g, "2019-04-18");
    TG_CHECK_INT(tg_graph_put_source(g, S(g, "aspi-2019"), f, 3, NULL, NULL), TG_OK);

    hw = ent(g, "huawei", "Company", "Huawei");
    set_str(g, TG_ENTITY, hw, "country", "CN");
    set_sources(g, TG_ENTITY, hw, shw);
    exim = ent(g, "exim", "Lender", "China Exim Bank");
    set_str(g, TG_ENTITY, exim, "country", "CN");
    gov = ent(g, "gov-ec", "Government", "Government of Ecuador");
    set_str(g, TG_ENTITY, gov, "country", "EC");
    proj = ent(g, "ecu911", "Project", "ECU 911 integrated security service");
    set_str(g, TG_ENTITY, proj, "country", "EC");
    cn = ent(g, "country-cn", "Country", "China");
    set_str(g, TG_ENTITY, cn, "country", "CN");
    set_str(g, TG_ENTITY, cn, "iso2", "CN");
    ship = ent(g, "ship", "Vessel", NULL); /* no name: drawn with its id */
    sub = ent(g, "hw-sub", "Company", "Huawei Tech Investment");
    TG_CHECK_INT(tg_graph_add_label(g, sub, S(g, "Subsidiary"), NULL), TG_OK);
    set_str(g, TG_ENTITY, sub, "country", "XX");

    r = rel(g, exim, gov, "FINANCES");
    set_int(g, TG_RELATION, r, "amount", 240000000);
    set_str(g, TG_RELATION, r, "currency", "USD");
    set_int(g, TG_RELATION, r, "year", 2011);
    set_sources(g, TG_RELATION, r, s47);
    rel(g, gov, hw, "CONTRACTS");
    r = rel(g, hw, proj, "BUILDS");
    set_int(g, TG_RELATION, r, "year", 2016);
    set_sources(g, TG_RELATION, r, sother);
    rel(g, hw, cn, "LOCATED_IN");
    rel(g, ship, proj, "DOCKS_AT");
    r = rel(g, hw, sub, "OWNS");
    {
        tg_pval pv;
        memset(&pv, 0, sizeof pv);
        pv.type = TG_V_FLOAT;
        pv.u.f = 1.0;
        TG_CHECK_INT(tg_graph_set_prop(g, TG_RELATION, r, S(g, "share"), &pv, NULL), TG_OK);
    }
    return g;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) != NULL) {
        *len = fread(buf, 1, (size_t)n, f);
        buf[*len] = '\0';
    }
    fclose(f);
    return buf;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    const char *p = hay;

    while ((p = strstr(p, needle)) != NULL) {
        n++;
        p += strlen(needle);
    }
    return n;
}

/* Compares text with the golden file (rewritten when TG_UPDATE_GOLDEN is
 * set). */
static void check_golden(const char *text, size_t len, const char *golden)
{
    char *want = NULL;
    size_t wlen = 0;

    if (text && getenv("TG_UPDATE_GOLDEN")) {
        FILE *f = fopen(golden, "wb");
        if (f) {
            fwrite(text, 1, len, f);
            fclose(f);
        }
    }
    want = read_all(golden, &wlen);
    TG_CHECK(want != NULL);
    if (text && want) {
        TG_CHECK_INT(len, wlen);
        TG_CHECK(strcmp(text, want) == 0);
        if (strcmp(text, want))
            fprintf(stderr, "  differs from %s (TG_UPDATE_GOLDEN=1 rewrites it)\n", golden);
    }
    free(want);
}

/* An SVG with its geometry (the values of d, points, x, y, cx, cy, rx, ry,
 * width, height, viewBox, transform) replaced by '#': what the figure is
 * made of (elements, ids, classes, colours, texts, their order) without
 * the coordinates, which depend on the fonts installed. Owned. */
static char *svg_shape(const char *svg, size_t *len)
{
    static const char *const geo[] = {" d=\"",     " points=\"", " x=\"",       " y=\"",
                                      " cx=\"",    " cy=\"",     " rx=\"",      " ry=\"",
                                      " width=\"", " height=\"", " viewBox=\"", " transform=\""};
    size_t n = strlen(svg), i = 0, j = 0, k;
    char *out = malloc(n + 1);

    if (!out)
        return NULL;
    while (i < n) {
        for (k = 0; k < sizeof geo / sizeof geo[0]; k++)
            if (!strncmp(svg + i, geo[k], strlen(geo[k])))
                break;
        if (k < sizeof geo / sizeof geo[0]) {
            size_t m = strlen(geo[k]);
            memcpy(out + j, svg + i, m);
            j += m;
            i += m;
            out[j++] = '#';
            while (i < n && svg[i] != '"')
                i++;
            continue;
        }
        out[j++] = svg[i++];
    }
    out[j] = '\0';
    *len = j;
    return out;
}

/* ---- golden --------------------------------------------------------------- */

static void t_golden(void)
{
    tg_graph *g = small_graph();
    tg_rel rels[] = {0, 1, 2, 3, 4, 5};
    tg_rel hl[] = {0, 1};
    tg_viz_selection s = {g, NULL, 0, rels, 6, hl, 2, NULL, NULL};
    tg_viz_options o;
    tg_error err;
    char *dot = NULL, *want = NULL;
    size_t len = 0, wlen = 0;
    const char *golden = TG_SOURCE_DIR "/tests/golden/viz/small.dot";

    tg_viz_options_init(&o);
    o.title = "Exim & Huawei";
    o.cluster = "country";
    o.rankdir = "LR";
    TG_CHECK_INT(tg_viz_dot(&s, &o, &dot, &len, &err), TG_OK);
    TG_CHECK(dot != NULL);
    if (dot && getenv("TG_UPDATE_GOLDEN")) {
        FILE *f = fopen(golden, "wb");
        if (f) {
            fwrite(dot, 1, len, f);
            fclose(f);
        }
    }
    want = read_all(golden, &wlen);
    TG_CHECK(want != NULL);
    if (dot && want) {
        TG_CHECK_INT(len, wlen);
        TG_CHECK(strcmp(dot, want) == 0);
    }
    if (dot) {
        /* the parts the golden pins, spelled out */
        TG_CHECK(strstr(dot, "rankdir=LR") != NULL);
        TG_CHECK(strstr(dot, "shape=cylinder") != NULL);            /* Lender */
        TG_CHECK(strstr(dot, "shape=box3d") != NULL);               /* Government */
        TG_CHECK(strstr(dot, "\"#77AADD\"") != NULL);               /* Company fill */
        TG_CHECK(strstr(dot, "\"filled,rounded,dashed\"") != NULL); /* Subsidiary wins */
        TG_CHECK(strstr(dot, "FINANCES<BR/>USD 240m, 2011&#160;&#160;<FONT") != NULL);
        TG_CHECK(strstr(dot, "label=<OWNS<BR/>100%>") != NULL);
        TG_CHECK(strstr(dot, "BUILDS<BR/>2016&#160;") != NULL);
        TG_CHECK(strstr(dot, "label=<CONTRACTS>") != NULL); /* no details, no break */
        TG_CHECK(strstr(dot, "<B>Exim &amp; Huawei</B>") != NULL);
        /* clusters: CN named after the Country entity, EC and XX by code */
        TG_CHECK_INT(count(dot, "subgraph cluster_"), 3);
        TG_CHECK(strstr(dot, "<B>China</B>") != NULL);
        TG_CHECK(strstr(dot, "<B>EC</B>") != NULL);
        /* the no-name entity is drawn with its id; an unknown label is grey */
        TG_CHECK(strstr(dot, ">ship<") != NULL || strstr(dot, "<ship") != NULL ||
                 strstr(dot, "label=<ship>") != NULL);
        /* footnotes: numbered by first use (entities by id, then relations) */
        TG_CHECK(
            strstr(dot,
                   "[4] aspi-2019#47 \xE2\x80\x94 Mapping China&#39;s Tech Giants (ASPI, 2019)") !=
            NULL);
        TG_CHECK(strstr(dot, "[5] unknown-src#3") != NULL);
        TG_CHECK(strstr(dot, "[1\xE2\x80\x93"
                             "4]") != NULL); /* Huawei: 4 sources as a range */
        /* legend: only what is drawn */
        TG_CHECK(strstr(dot, ">Vessel<") != NULL);
        TG_CHECK(strstr(dot, ">DOCKS_AT<") != NULL);
        TG_CHECK(strstr(dot, ">Person<") == NULL);
        TG_CHECK(strstr(dot, ">SANCTIONS<") == NULL);
        /* highlighted relations are thicker and darker: #D55E00 * 2/3 */
        TG_CHECK(strstr(dot, "#8E3E00") != NULL);
        TG_CHECK(strstr(dot, "penwidth=3") != NULL);
    }
    free(dot);
    free(want);
    tg_graph_free(g);
}

/* ---- determinism, order, empty ---------------------------------------------- */

static void t_deterministic(void)
{
    tg_graph *g = small_graph();
    tg_rel rels[] = {5, 3, 0, 3, 1, 2, 4};
    tg_rel rels2[] = {0, 1, 2, 3, 4, 5};
    tg_ent ents[] = {2, 2, 0};
    tg_viz_selection s1 = {g, ents, 3, rels, 7, NULL, 0, NULL, NULL};
    tg_viz_selection s2 = {g, NULL, 0, rels2, 6, NULL, 0, NULL, NULL};
    tg_viz_options o;
    char *a = NULL, *b = NULL, *c = NULL, *svg = NULL;
    size_t la = 0, lb = 0, lc = 0, ls = 0;

    tg_viz_options_init(&o);
    o.cluster = "country";
    TG_CHECK_INT(tg_viz_dot(&s1, &o, &a, &la, NULL), TG_OK);
    /* a render in between (gvContext touches graphviz's global defaults) */
    TG_CHECK_INT(tg_viz_render_data(&s2, &o, "svg", &svg, &ls, NULL), TG_OK);
    TG_CHECK_INT(tg_viz_dot(&s2, &o, &b, &lb, NULL), TG_OK);
    TG_CHECK_INT(tg_viz_render_data(&s2, &o, "dot", &c, &lc, NULL), TG_OK);
    TG_CHECK(a && b && c && la == lb && lb == lc && !strcmp(a, b) && !strcmp(b, c));
    /* nodes by entity id: country-cn < ecu911 < exim < gov-ec < huawei < hw-sub < ship */
    if (a) {
        const char *p1 = strstr(a, "e4\t"), *p2 = strstr(a, "e1\t"), *p3 = strstr(a, "e0\t");
        TG_CHECK(p1 && p2 && p3 && p1 < p2 && p2 < p3);
    }
    free(a);
    free(b);
    free(c);
    free(svg);
    tg_graph_free(g);
}

static void t_empty(void)
{
    tg_graph *g = tg_graph_new();
    tg_viz_selection s = {g, NULL, 0, NULL, 0, NULL, 0, NULL, NULL};
    tg_viz_options o;
    char *dot = NULL, *svg = NULL;
    size_t len = 0;

    tg_viz_options_init(&o);
    TG_CHECK_INT(tg_viz_dot(&s, &o, &dot, &len, NULL), TG_OK);
    TG_CHECK(dot && strncmp(dot, "digraph tiegraph {", 18) == 0);
    TG_CHECK(dot && strstr(dot, "legend") == NULL);
    TG_CHECK(dot && strstr(dot, "->") == NULL);
    TG_CHECK_INT(tg_viz_render_data(&s, &o, "svg", &svg, &len, NULL), TG_OK);
    TG_CHECK(svg && strstr(svg, "</svg>") != NULL);
    free(dot);
    free(svg);
    tg_graph_free(g);
}

/* ---- hostile names ---------------------------------------------------------- */

/* A minimal XML well-formedness check for graphviz's SVG: tags balance,
 * attribute values are quoted, '&' starts a known entity or a character
 * reference, and no '<' or '>' appears raw in text. */
static int xml_ok(const char *x)
{
    const char *stack[256];
    size_t depth = 0, nl[256];
    const char *p = x;

    while (*p) {
        if (*p == '<') {
            if (!strncmp(p, "<?", 2)) {
                p = strstr(p, "?>");
                if (!p)
                    return 0;
                p += 2;
            } else if (!strncmp(p, "<!--", 4)) {
                p = strstr(p + 4, "-->");
                if (!p)
                    return 0;
                p += 3;
            } else if (!strncmp(p, "<!", 2)) {
                p = strchr(p, '>');
                if (!p)
                    return 0;
                p++;
            } else {
                int closing = p[1] == '/';
                const char *name = p + 1 + closing;
                size_t n = strcspn(name, " \t\n/>");
                const char *q = name + n;
                char quote = 0;
                if (n == 0)
                    return 0;
                for (; *q && (quote || *q != '>'); q++) {
                    if (quote && *q == quote)
                        quote = 0;
                    else if (!quote && (*q == '"' || *q == '\''))
                        quote = *q;
                    else if (quote && *q == '<')
                        return 0;
                }
                if (!*q)
                    return 0;
                if (closing) {
                    if (!depth || nl[depth - 1] != n || strncmp(stack[depth - 1], name, n))
                        return 0;
                    depth--;
                } else if (q[-1] != '/') {
                    if (depth == 256)
                        return 0;
                    stack[depth] = name;
                    nl[depth++] = n;
                }
                p = q + 1;
            }
        } else if (*p == '>') {
            return 0;
        } else if (*p == '&') {
            static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"};
            size_t i;
            for (i = 0; i < 6 && strncmp(p, ents[i], strlen(ents[i])); i++)
                ;
            if (i == 6)
                return 0;
            p++;
        } else {
            p++;
        }
    }
    return depth == 0;
}

static void t_hostile(void)
{
    static const char *const names[] = {
        "Acme \"Quoted\" \\N \\G back\\slash",
        "<script>alert('x')</script> & <b>bold</b> &amp; &foo;",
        "line one\nline two\r\nthree\ttab\x01\x7f",
        "\xE4\xB8\xAD\xE5\x85\xB4\xE9\x80\x9A\xE8\xAE\xAF \xF0\x9F\x98\x80 emoji",
        "bad utf8 \xC3\x28 \xED\xA0\x80 \xFF end",
        "]]> --> <!-- ${x}",
    };
    tg_graph *g = tg_graph_new();
    tg_ent e[6];
    tg_rel r[5];
    size_t i;
    tg_viz_selection s;
    tg_viz_options o;
    char *dot = NULL, *svg = NULL;
    size_t len = 0, slen = 0;
    tg_error err;

    for (i = 0; i < 6; i++) {
        char id[16];
        snprintf(id, sizeof id, "h%zu", i);
        e[i] = ent(g, id, i % 2 ? "Company" : "Ev<il>\"Label", names[i]);
        set_str(g, TG_ENTITY, e[i], "country", names[(i + 1) % 6]);
    }
    for (i = 0; i < 5; i++) {
        r[i] = rel(g, e[i], e[i + 1], i % 2 ? "FINANCES" : "WEIRD_TYPE");
        set_str(g, TG_RELATION, r[i], "currency", "<US$>");
        set_int(g, TG_RELATION, r[i], "amount", 1500000);
        set_str(g, TG_RELATION, r[i], "year", "20\"11<");
        {
            static const char *const src[] = {"<evil>#1\"", NULL};
            set_sources(g, TG_RELATION, r[i], src);
        }
    }
    memset(&s, 0, sizeof s);
    s.g = g;
    s.rels = r;
    s.nrels = 5;
    tg_viz_options_init(&o);
    o.title = "Title <script>alert(1)</script> \"q\"";
    o.cluster = "country";
    TG_CHECK_INT(tg_viz_dot(&s, &o, &dot, &len, &err), TG_OK);
    TG_CHECK(dot && strstr(dot, "<script>") == NULL);
    TG_CHECK(dot && strstr(dot, "&lt;script&gt;") != NULL);
    TG_CHECK(dot && strstr(dot, "\\\\N") != NULL); /* \N doubled: not expanded */
    TG_CHECK(dot && strstr(dot, "\x01") == NULL);
    TG_CHECK(dot && strstr(dot, "line one<BR/>line two<BR/>three tab") != NULL);
    TG_CHECK_INT(tg_viz_render_data(&s, &o, "svg", &svg, &slen, &err), TG_OK);
    TG_CHECK(svg != NULL);
    if (svg) {
        TG_CHECK(strstr(svg, "<script") == NULL);
        TG_CHECK(strstr(svg, "&lt;script&gt;alert") != NULL);
        TG_CHECK(strstr(svg, "\\N") != NULL); /* the literal text, once */
        TG_CHECK(strstr(svg, ">h0<") == NULL || strstr(svg, "<title>e") != NULL);
        TG_CHECK(strstr(svg, "\xE4\xB8\xAD\xE5\x85\xB4") != NULL); /* Chinese kept */
        TG_CHECK(strstr(svg, "\xF0\x9F\x98\x80") != NULL);         /* emoji kept */
        TG_CHECK(strstr(svg, "\xEF\xBF\xBD") != NULL);             /* bad UTF-8 replaced */
        TG_CHECK(xml_ok(svg));
    }
    /* the checker itself rejects what it must */
    TG_CHECK(!xml_ok("<svg><text>a<b</text></svg>"));
    TG_CHECK(!xml_ok("<svg><text>&foo;</text></svg>"));
    TG_CHECK(!xml_ok("<svg><g></svg>"));
    TG_CHECK(xml_ok("<?xml version=\"1.0\"?><svg a=\"&lt;\"><g/>t &amp; &#45;</svg>"));
    free(dot);
    free(svg);
    tg_graph_free(g);
}

/* ---- options and themes ------------------------------------------------------ */

static void t_options(void)
{
    tg_graph *g = small_graph();
    tg_rel rels[] = {0, 1};
    tg_ent bad_ent = 999;
    tg_rel bad_rel = 999;
    tg_viz_selection s = {g, NULL, 0, rels, 2, NULL, 0, NULL, NULL};
    tg_viz_options o;
    tg_error err;
    char *out = NULL;
    size_t len = 0;

    tg_viz_options_init(&o);
    o.layout = "spring";
    TG_CHECK_INT(tg_viz_dot(&s, &o, &out, &len, &err), TG_EINVAL);
    TG_CHECK(out == NULL && strstr(err.message, "unknown layout 'spring'") != NULL);
    o.layout = "neato";
    o.rankdir = "UP";
    TG_CHECK_INT(tg_viz_dot(&s, &o, &out, &len, &err), TG_EINVAL);
    TG_CHECK(strstr(err.message, "rankdir") != NULL);
    o.rankdir = NULL;
    TG_CHECK_INT(tg_viz_render_data(&s, &o, "gif", &out, &len, &err), TG_EINVAL);
    TG_CHECK(strstr(err.message, "'gif'") != NULL);
    /* neato renders; legend and footnotes can be turned off */
    o.legend = 0;
    o.footnotes = 0;
    TG_CHECK_INT(tg_viz_render_data(&s, &o, "svg", &out, &len, &err), TG_OK);
    TG_CHECK(out && strstr(out, "Legend") == NULL && strstr(out, "[1]") == NULL &&
             strstr(out, "China Exim Bank") != NULL);
    free(out);
    out = NULL;
    TG_CHECK_INT(tg_viz_render_data(&s, &o, "png", &out, &len, &err), TG_OK);
    TG_CHECK(out && len > 8 && !memcmp(out, "\x89PNG\r\n\x1a\n", 8));
    free(out);
    out = NULL;
    s.ents = &bad_ent;
    s.nents = 1;
    TG_CHECK_INT(tg_viz_dot(&s, &o, &out, &len, &err), TG_EINVAL);
    s.nents = 0;
    s.highlight = &bad_rel;
    s.nhighlight = 1;
    TG_CHECK_INT(tg_viz_dot(&s, &o, &out, &len, &err), TG_EINVAL);
    TG_CHECK(out == NULL);
    /* render to a file; an unwritable path is TG_EIO and names the path */
    s.nhighlight = 0;
    TG_CHECK_INT(tg_viz_render(&s, &o, "svg", tg_test_path("viz_out.svg"), &err), TG_OK);
    {
        size_t n = 0;
        char *text = read_all(tg_test_path("viz_out.svg"), &n);
        TG_CHECK(text && strstr(text, "<svg") != NULL);
        free(text);
    }
    TG_CHECK_INT(tg_viz_render(&s, &o, "svg", "/nonexistent-dir/x.svg", &err), TG_EIO);
    TG_CHECK_STR(err.file, "/nonexistent-dir/x.svg");
    TG_CHECK_STR(tg_viz_format_of_path("a/b.SVG"), "svg");
    TG_CHECK_STR(tg_viz_format_of_path("fig.png"), "png");
    TG_CHECK_STR(tg_viz_format_of_path("fig.dot"), "dot");
    TG_CHECK_STR(tg_viz_format_of_path("fig.PDF"), "pdf");
    TG_CHECK(tg_viz_format_of_path("fig.gif") == NULL);
    TG_CHECK(tg_viz_format_of_path("dir.svg/fig") == NULL);
    TG_CHECK(tg_viz_format_of_path("fig.svgz") == NULL);
    tg_graph_free(g);
}

static void t_theme(void)
{
    static const struct {
        const char *text;
        tg_status st;
        long line, column;
        const char *msg;
    } cases[] = {
        {"# a comment\n\ngraph.fontname = Georgia,serif\nlabel.Company.fillcolor = \"#112233\"\r\n"
         "type.FINANCES.color = navy   # a comment\nlabel.Vessel.shape = ellipse\n"
         "label.*.fillcolor = #EEE\t# grey\ntype.OWNS.color = \"#0072B2\" # quoted\n",
         TG_OK, 0, 0, NULL},
        {"graph.fontname Georgia\n", TG_EDATA, 1, 16, "expected '='"},
        {"\n  label.Company.fill = #fff\n", TG_EDATA, 2, 17, "unknown label attribute 'fill'"},
        {"type.FINANCES.color = #12345\n", TG_EDATA, 1, 23, "bad value '#12345'"},
        {"label.Company.shape = blob\n", TG_EDATA, 1, 23, "expected a graphviz shape"},
        {"graph.fontname = Evil\"<font>\n", TG_EDATA, 1, 18, "bad value"},
        {"node.Company.shape = box\n", TG_EDATA, 1, 1, "unknown key 'node.Company.shape'"},
        {"label.Bad-Name.shape = box\n", TG_EDATA, 1, 7, "expected label.NAME.ATTRIBUTE"},
        {"graph.wrap = 3\n", TG_EDATA, 1, 14, "whole number"},
        {"type.OWNS.style = dashed,wobbly\n", TG_EDATA, 1, 19, "styles"},
        {"graph.color = red\n", TG_EDATA, 1, 7, "unknown graph setting 'color'"},
        {"label.Company.color = \"#fff\n", TG_EDATA, 1, 23, "unterminated"},
    };
    tg_graph *g = small_graph();
    tg_rel rels[] = {0, 1, 2, 3, 4, 5};
    tg_viz_selection s = {g, NULL, 0, rels, 6, NULL, 0, NULL, NULL};
    tg_viz_options o;
    size_t i;

    tg_viz_options_init(&o);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path =
            tg_test_write_file("viz_theme.txt", cases[i].text, strlen(cases[i].text));
        char *dot = NULL;
        tg_error err;
        tg_status st;
        tg_error_clear(&err);
        o.theme_path = path;
        st = tg_viz_dot(&s, &o, &dot, NULL, &err);
        TG_CHECK_INT(st, cases[i].st);
        if (cases[i].st == TG_OK) {
            TG_CHECK(dot && strstr(dot, "fontname=\"Georgia,serif\"") != NULL);
            TG_CHECK(dot && strstr(dot, "\"#112233\"") != NULL);
            TG_CHECK(dot && strstr(dot, "color=navy") != NULL);
            TG_CHECK(dot && strstr(dot, "shape=ellipse") != NULL); /* Vessel, a new label */
            TG_CHECK(dot && strstr(dot, "#EEE") != NULL);
        } else {
            TG_CHECK(dot == NULL);
            TG_CHECK_INT(err.line, cases[i].line);
            TG_CHECK_INT(err.column, cases[i].column);
            TG_CHECK_STR(err.file, path);
            if (!strstr(err.message, cases[i].msg))
                fprintf(stderr, "case %zu: message: %s\n", i, err.message);
            TG_CHECK(strstr(err.message, cases[i].msg) != NULL);
        }
        free(dot);
    }
    {
        tg_error err;
        char *dot = NULL;
        o.theme_path = "/nonexistent/theme.txt";
        TG_CHECK_INT(tg_viz_dot(&s, &o, &dot, NULL, &err), TG_ENOENT);
        TG_CHECK(dot == NULL);
    }
    tg_graph_free(g);
}

/* viz/theme-default.txt spells out the built-in theme: loading it must
 * change nothing, byte for byte. */
static void t_theme_default_file(void)
{
    tg_graph *g = small_graph();
    tg_rel rels[] = {0, 1, 2, 3, 4, 5};
    tg_rel hl[] = {2};
    tg_viz_selection s = {g, NULL, 0, rels, 6, hl, 1, NULL, NULL};
    tg_viz_options o;
    char *a = NULL, *b = NULL;
    tg_error err;

    tg_viz_options_init(&o);
    o.cluster = "country";
    o.title = "t";
    TG_CHECK_INT(tg_viz_dot(&s, &o, &a, NULL, &err), TG_OK);
    o.theme_path = TG_SOURCE_DIR "/viz/theme-default.txt";
    TG_CHECK_INT(tg_viz_dot(&s, &o, &b, NULL, &err), TG_OK);
    TG_CHECK(a && b && strcmp(a, b) == 0);
    free(a);
    free(b);
    tg_graph_free(g);
}

/* ---- label merging, parallel ties, page=, rank=by-label, the legend ------ */

/* A project graph: one lender financing two governments (one loan recorded
 * twice: one fact), a contractor building four projects that cite the same
 * source, and context ties. */
static tg_graph *story_graph(void)
{
    tg_graph *g = tg_graph_new();
    tg_source_field f[2];
    tg_ent bank, ga, gb, co, p[4], cn;
    tg_rel r;
    size_t i;
    static const char *const s9[] = {"rep#9", NULL};
    static const char *const s1[] = {"rep#1", NULL};
    static const char *const s2[] = {"rep#2", NULL};

    f[0].key = S(g, "title");
    f[0].value = S(g, "A Report");
    f[1].key = S(g, "date");
    f[1].value = S(g, "2020-01-01");
    TG_CHECK_INT(tg_graph_put_source(g, S(g, "rep"), f, 2, NULL, NULL), TG_OK);
    bank = ent(g, "bank", "Lender", "Bank");
    ga = ent(g, "gov-a", "Government", "Government A");
    gb = ent(g, "gov-b", "Government", "Government B");
    co = ent(g, "co", "Company", "Contractor");
    cn = ent(g, "cn", "Country", "Country C");
    for (i = 0; i < 4; i++) {
        char id[8], name[32];
        snprintf(id, sizeof id, "p%zu", i);
        snprintf(name, sizeof name, "Project %zu", i);
        p[i] = ent(g, id, "Project", name);
    }
    r = rel(g, bank, ga, "FINANCES"); /* 0 */
    set_int(g, TG_RELATION, r, "amount", 500000000);
    set_str(g, TG_RELATION, r, "currency", "USD");
    set_int(g, TG_RELATION, r, "year", 2015);
    set_sources(g, TG_RELATION, r, s1);
    r = rel(g, bank, ga, "FINANCES"); /* 1: the same loan, another record */
    set_int(g, TG_RELATION, r, "amount", 500000000);
    set_sources(g, TG_RELATION, r, s2);
    r = rel(g, bank, gb, "FINANCES"); /* 2: another loan */
    set_int(g, TG_RELATION, r, "amount", 70000000);
    set_int(g, TG_RELATION, r, "year", 2016);
    r = rel(g, bank, ga, "FINANCES"); /* 3: a second loan to A, another year: stays */
    set_int(g, TG_RELATION, r, "amount", 500000000);
    set_int(g, TG_RELATION, r, "year", 2017);
    rel(g, ga, co, "CONTRACTS"); /* 4 */
    rel(g, gb, co, "CONTRACTS"); /* 5 */
    for (i = 0; i < 4; i++) {    /* 6..9 */
        r = rel(g, co, p[i], "BUILDS");
        set_sources(g, TG_RELATION, r, s9);
    }
    rel(g, co, cn, "LOCATED_IN"); /* 10 */
    return g;
}

static void t_label_merging(void)
{
    tg_graph *g = story_graph();
    tg_rel rels[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    tg_viz_selection s = {g, NULL, 0, rels, 10, NULL, 0, NULL, NULL};
    tg_viz_options o;
    char *dot = NULL;
    size_t len = 0;

    tg_viz_options_init(&o);
    o.rankdir = "LR";
    TG_CHECK_INT(tg_viz_dot(&s, &o, &dot, &len, NULL), TG_OK);
    check_golden(dot, len, TG_SOURCE_DIR "/tests/golden/viz/merge.dot");
    if (dot) {
        /* BUILDS is named once; its shared source is one note */
        TG_CHECK_INT(count(dot, "label=<BUILDS"), 1);
        TG_CHECK(strstr(dot, "all BUILDS ties: [3]") != NULL);
        TG_CHECK_INT(count(dot, "[3]</FONT>"), 0);
        /* the loan recorded twice is one tie citing both records; the
         * other loans stay */
        TG_CHECK_INT(count(dot, "\te0 -> e1\t"), 2);
        TG_CHECK_INT(count(dot, "\te0 -> e2\t"), 1);
        TG_CHECK(
            strstr(dot,
                   "USD 500m, 2015&#160;&#160;<FONT POINT-SIZE=\"9\" COLOR=\"#555555\">[1, 2]") !=
            NULL);
        TG_CHECK(strstr(dot, "record 2 of 2") != NULL); /* the tooltip says both */
        TG_CHECK(strstr(dot, "500m, 2017") != NULL);
        TG_CHECK(strstr(dot, "70m, 2016") != NULL);
        /* CONTRACTS has no details: named once too */
        TG_CHECK_INT(count(dot, "label=<CONTRACTS"), 1);
    }
    free(dot);
    tg_graph_free(g);
}

static void t_rank_by_label(void)
{
    tg_graph *g = story_graph();
    tg_rel rels[] = {0, 2, 4, 5, 6, 7, 10};
    tg_viz_selection s = {g, NULL, 0, rels, 7, NULL, 0, NULL, NULL};
    tg_viz_options o;
    char *dot = NULL;
    size_t len = 0;
    tg_error err;

    tg_viz_options_init(&o);
    o.rank = "by-label";
    o.rankdir = "LR";
    o.title = "Money trail";
    TG_CHECK_INT(tg_viz_dot(&s, &o, &dot, &len, &err), TG_OK);
    check_golden(dot, len, TG_SOURCE_DIR "/tests/golden/viz/rank.dot");
    if (dot) {
        const char *c0 = strstr(dot, "subgraph rank_0"), *c1 = strstr(dot, "subgraph rank_1"),
                   *c2 = strstr(dot, "subgraph rank_2"), *c3 = strstr(dot, "subgraph rank_3");
        /* columns lender | government | contractor | project, in order,
         * held by a chain of invisible anchors */
        TG_CHECK(c0 && c1 && c2 && c3 && c0 < c1 && c1 < c2 && c2 < c3);
        TG_CHECK_INT(count(dot, "rank=same"), 4);
        TG_CHECK(strstr(dot, "column_0 -> column_1") != NULL);
        TG_CHECK(strstr(dot, "column_2 -> column_3") != NULL);
        /* the country is in no column */
        TG_CHECK(c1 && strstr(c0, "e4") > strstr(c0, "column_3"));
    }
    free(dot);
    o.cluster = "country";
    dot = NULL;
    TG_CHECK_INT(tg_viz_dot(&s, &o, &dot, &len, &err), TG_EINVAL);
    TG_CHECK(strstr(err.message, "cannot be combined") != NULL);
    free(dot);
    tg_graph_free(g);
}

/* page=column: the figure fits 6.5 in, the legend draws real sample nodes
 * and edges in the drawn colours, the sources sit below the legend, which
 * sits below the graph. The SVG's shape is golden. */
static void t_page_and_legend(void)
{
    tg_graph *g = story_graph();
    tg_rel rels[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    tg_rel hl[] = {0, 4};
    tg_viz_selection s = {g, NULL, 0, rels, 11, hl, 2, NULL, NULL};
    tg_viz_options o;
    tg_viz_info info;
    char *svg = NULL, *shape = NULL, *png = NULL, *pdf = NULL;
    size_t len = 0, slen = 0, plen = 0;
    tg_error err;

    tg_viz_options_init(&o);
    o.page = "column";
    o.title = "A page-wide figure";
    o.info = &info;
    TG_CHECK_INT(tg_viz_render_data(&s, &o, "svg", &svg, &len, &err), TG_OK);
    TG_CHECK(info.width_pt <= 6.5 * 72 + 1);
    TG_CHECK(info.scale > 0 && info.scale <= 1);
    if (svg) {
        const char *graph = strstr(svg, "class=\"edge"), *legend = strstr(svg, "id=\"legend\""),
                   *sources = strstr(svg, "id=\"sources\"");
        double w = 0;
        TG_CHECK(sscanf(strstr(svg, "<svg width=\"") + 12, "%lfpt", &w) == 1);
        TG_CHECK(w <= 6.5 * 72 + 1);
        TG_CHECK(graph && legend && sources);
        /* real samples: an edge drawn in each type's colour, a node in
         * each label's shape */
        TG_CHECK(strstr(svg, "id=\"legend&#45;type&#45;0\"") != NULL);
        TG_CHECK(strstr(svg, "id=\"legend&#45;label&#45;0\"") != NULL);
        TG_CHECK(strstr(svg, "id=\"legend&#45;marked&#45;edge\"") != NULL);
        TG_CHECK(strstr(svg, "marked by the query") != NULL);
        TG_CHECK(strstr(svg, "stroke=\"#d55e00\"") != NULL); /* FINANCES, as drawn */
        shape = svg_shape(svg, &slen);
        check_golden(shape, slen, TG_SOURCE_DIR "/tests/golden/viz/page.svg.shape");
    }
    free(svg);
    /* the same figure, for print: PNG at 300 dpi (1950 px for 6.5 in), PDF */
    o.dpi = 300;
    TG_CHECK_INT(tg_viz_render_data(&s, &o, "png", &png, &plen, &err), TG_OK);
    if (png && plen > 24) {
        unsigned long px = ((unsigned long)(unsigned char)png[16] << 24) |
                           ((unsigned long)(unsigned char)png[17] << 16) |
                           ((unsigned long)(unsigned char)png[18] << 8) | (unsigned char)png[19];
        TG_CHECK(px > 1000 && px <= 1950 + 10);
    }
    TG_CHECK_INT(tg_viz_render_data(&s, &o, "pdf", &pdf, &plen, &err), TG_OK);
    TG_CHECK(pdf && plen > 5 && !memcmp(pdf, "%PDF-", 5));
    o.page = "12 parsecs";
    TG_CHECK_INT(tg_viz_render_data(&s, &o, "svg", &svg, &len, &err), TG_EINVAL);
    TG_CHECK(strstr(err.message, "unknown page") != NULL);
    free(shape);
    free(png);
    free(pdf);
    tg_graph_free(g);
}

/* Emphasis only for what the query marks, and only when it is not the
 * whole drawing. */
static void t_highlight(void)
{
    tg_graph *g = story_graph();
    tg_rel all[] = {0, 2, 4};
    tg_viz_selection s = {g, NULL, 0, NULL, 0, all, 3, NULL, NULL};
    tg_viz_options o;
    char *dot = NULL;

    tg_viz_options_init(&o);
    TG_CHECK_INT(tg_viz_dot(&s, &o, &dot, NULL, NULL), TG_OK);
    TG_CHECK(dot && strstr(dot, "marked") == NULL && strstr(dot, "penwidth=3") == NULL);
    free(dot);
    s.rels = all;
    s.nrels = 3;
    s.nhighlight = 1;
    TG_CHECK_INT(tg_viz_dot(&s, &o, &dot, NULL, NULL), TG_OK);
    TG_CHECK_INT(dot ? (long)count(dot, " marked\"") : -1, 1);
    free(dot);
    tg_graph_free(g);
}

/* Colours: the ties a report is about stay distinct under simulated
 * deuteranopia and protanopia (Machado, Oliveira and Fernandes 2009,
 * severity 1, in linear RGB; distances in CIELAB); context ties are grey. */
static double lin(unsigned c)
{
    double x = c / 255.0;
    return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4);
}

static void to_lab(const double rgb[3], double lab[3])
{
    double r = rgb[0] < 0   ? 0
               : rgb[0] > 1 ? 1
                            : rgb[0],
           g = rgb[1] < 0   ? 0
               : rgb[1] > 1 ? 1
                            : rgb[1],
           b = rgb[2] < 0   ? 0
               : rgb[2] > 1 ? 1
                            : rgb[2];
    double X = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
           Y = 0.2126 * r + 0.7152 * g + 0.0722 * b,
           Z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    double v[3] = {X, Y, Z};
    int i;

    for (i = 0; i < 3; i++)
        v[i] = v[i] > 0.008856 ? cbrt(v[i]) : 7.787 * v[i] + 16.0 / 116;
    lab[0] = 116 * v[1] - 16;
    lab[1] = 500 * (v[0] - v[1]);
    lab[2] = 200 * (v[1] - v[2]);
}

static void t_colour_blind_safe(void)
{
    static const double sim[3][3][3] = {
        {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
        {{0.152286, 1.052583, -0.204868},
         {0.114503, 0.786281, 0.099216},
         {-0.003882, -0.048116, 1.051998}},
        {{0.367322, 0.860646, -0.227968},
         {0.280085, 0.672501, 0.047413},
         {-0.011820, 0.042940, 0.968881}},
    };
    static const char *const vision[] = {"normal", "protanopia", "deuteranopia"};
    static const char *const story[] = {"OWNS",   "FINANCES",  "CONTRACTS", "SUPPLIES",
                                        "BUILDS", "SANCTIONS", "SUBJECT_TO"};
    static const char *const context[] = {"LOCATED_IN",    "OPERATES_IN", "MEMBER_OF",
                                          "PARTNERS_WITH", "TRAINS",      "LEADS"};
    tg_i_viz_theme t;
    double lab[3][8][3];
    size_t v, i, j;

    tg_i_viz_theme_default(&t);
    for (v = 0; v < 3; v++)
        for (i = 0; i < sizeof story / sizeof story[0]; i++) {
            const tg_i_viz_style *s = tg_i_viz_theme_type(&t, story[i]);
            unsigned r, g, b;
            double c[3], out[3];
            int k;
            TG_CHECK(s && sscanf(s->color, "#%2x%2x%2x", &r, &g, &b) == 3);
            if (!s)
                return;
            c[0] = lin(r);
            c[1] = lin(g);
            c[2] = lin(b);
            for (k = 0; k < 3; k++)
                out[k] = sim[v][k][0] * c[0] + sim[v][k][1] * c[1] + sim[v][k][2] * c[2];
            to_lab(out, lab[v][i]);
            TG_CHECK(!(r == g && g == b) || !strcmp(story[i], "SANCTIONS")); /* in colour */
        }
    for (v = 0; v < 3; v++)
        for (i = 0; i < sizeof story / sizeof story[0]; i++)
            for (j = i + 1; j < sizeof story / sizeof story[0]; j++) {
                double d =
                    sqrt(pow(lab[v][i][0] - lab[v][j][0], 2) + pow(lab[v][i][1] - lab[v][j][1], 2) +
                         pow(lab[v][i][2] - lab[v][j][2], 2));
                if (d < 15)
                    fprintf(stderr, "  %s: %s and %s are %.1f apart\n", vision[v], story[i],
                            story[j], d);
                TG_CHECK(d >= 15);
            }
    for (i = 0; i < sizeof context / sizeof context[0]; i++) {
        const tg_i_viz_style *s = tg_i_viz_theme_type(&t, context[i]);
        unsigned r, g, b;
        TG_CHECK(s && sscanf(s->color, "#%2x%2x%2x", &r, &g, &b) == 3 && r == g && g == b);
    }
}

/* Names are data: bidirectional overrides are dropped, line separators
 * break lines, a name longer than three lines is cut with an ellipsis,
 * and the tooltip keeps it whole (issue 12). */
static void t_hostile_text(void)
{
    tg_graph *g = tg_graph_new();
    char longname[400];
    tg_ent a, b;
    tg_viz_selection s;
    tg_viz_options o;
    char *dot = NULL, *svg = NULL;
    size_t i;

    for (i = 0; i + 1 < sizeof longname; i++)
        longname[i] = i % 9 == 8 ? ' ' : (char)('a' + i % 26);
    longname[sizeof longname - 1] = '\0';
    memcpy(longname + 380, "THE-END", 7);
    a = ent(g, "a", "Company",
            "Acme \xE2\x80\xAE"
            "evil\xE2\x80\xAC Corp\xE2\x80\xA8"
            "second line");
    b = ent(g, "b", "Company", longname);
    rel(g, a, b, "OWNS");
    memset(&s, 0, sizeof s);
    s.g = g;
    s.ents = (tg_ent[]){a, b};
    s.nents = 2;
    tg_viz_options_init(&o);
    TG_CHECK_INT(tg_viz_dot(&s, &o, &dot, NULL, NULL), TG_OK);
    if (dot) {
        TG_CHECK(strstr(dot, "\xE2\x80\xAE") == NULL); /* no RLO */
        TG_CHECK(strstr(dot, "\xE2\x80\xA8") == NULL); /* no LS */
        TG_CHECK(strstr(dot, "Acme evil Corp<BR/>second line") != NULL);
        TG_CHECK(strstr(dot, "\xE2\x80\xA6>") != NULL); /* cut with … */
        char *joined = strdup(dot), *p, *q;
        for (p = q = joined; joined && *p; p++) /* agwrite breaks long strings with \<newline> */
            if (!(p[0] == '\\' && p[1] == '\n'))
                *q++ = *p;
            else
                p++;
        if (joined)
            *q = '\0';
        TG_CHECK(joined && strstr(joined, "opTHE-ENDxyzabcde ghi&#10;Company") != NULL); /* whole */
        free(joined);
        TG_CHECK(strstr(dot, "THE-END<") == NULL); /* not in the label */
    }
    TG_CHECK_INT(tg_viz_render_data(&s, &o, "svg", &svg, NULL, NULL), TG_OK);
    TG_CHECK(svg && strstr(svg, "THE&#45;END") != NULL && xml_ok(svg));
    free(dot);
    free(svg);
    tg_graph_free(g);
}

/* A render past the measured limit is refused at once; one that runs past
 * the timeout is stopped (issue 12: --timeout covers rendering). */
static void t_limits_and_timeout(void)
{
    tg_graph *g = tg_graph_new();
    tg_ent e[400];
    tg_rel r[1000];
    size_t i;
    unsigned x = 12345;
    tg_viz_selection s;
    tg_viz_options o;
    char *out = NULL;
    tg_error err;
    struct timespec t0, t1;

    for (i = 0; i < 400; i++) {
        char id[16];
        snprintf(id, sizeof id, "n%zu", i);
        e[i] = ent(g, id, i % 3 ? "Company" : "Government", id);
    }
    for (i = 0; i < 1000; i++) {
        x = x * 1103515245u + 12345u;
        r[i] = rel(g, e[(x >> 8) % 400], e[(x >> 20) % 400], "SUPPLIES");
    }
    memset(&s, 0, sizeof s);
    s.g = g;
    s.rels = r;
    s.nrels = 1000;
    tg_viz_options_init(&o);
    o.layout = "dot";
    clock_gettime(CLOCK_MONOTONIC, &t0);
    TG_CHECK_INT(tg_viz_render_data(&s, &o, "svg", &out, NULL, &err), TG_ERUNTIME);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    TG_CHECK(strstr(err.message, "refusing to draw 399 entities and 1000 ties") != NULL);
    TG_CHECK(strstr(err.message, "ties with dot: past its measured limit of 200 entities") != NULL);
    TG_CHECK(strstr(err.message, "layout=sfdp") != NULL);
    TG_CHECK(t1.tv_sec - t0.tv_sec < 2); /* at once */
    TG_CHECK_INT(tg_viz_check(&s, &o, &err), TG_ERUNTIME);
    o.layout = NULL; /* auto: a layout within its limits */
    TG_CHECK_INT(tg_viz_check(&s, &o, &err), TG_OK);
    /* forced past the limit, stopped by the timeout */
    o.layout = "dot";
    o.force = 1;
    o.timeout = 0.5;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    TG_CHECK_INT(tg_viz_render_data(&s, &o, "svg", &out, NULL, &err), TG_ERUNTIME);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    TG_CHECK(strstr(err.message, "timeout of 0.5 s") != NULL);
    TG_CHECK(t1.tv_sec - t0.tv_sec < 5);
    TG_CHECK(out == NULL);
    /* a small one under a timeout renders through the child process */
    s.nrels = 3;
    o.layout = NULL;
    o.timeout = 30;
    TG_CHECK_INT(tg_viz_render_data(&s, &o, "svg", &out, NULL, &err), TG_OK);
    TG_CHECK(out && strstr(out, "</svg>") != NULL);
    free(out);
    tg_graph_free(g);
}

/* The same input gives the same SVG bytes in every layout. */
static void t_svg_every_layout(void)
{
    static const char *const layouts[] = {"dot", "neato", "fdp", "sfdp", "circo", "twopi", "osage"};
    tg_graph *g = story_graph();
    tg_rel rels[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    tg_viz_selection s = {g, NULL, 0, rels, 11, NULL, 0, NULL, NULL};
    tg_viz_options o;
    size_t i;

    tg_viz_options_init(&o);
    o.cluster = "country";
    for (i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        char *a = NULL, *b = NULL;
        o.layout = layouts[i];
        TG_CHECK_INT(tg_viz_render_data(&s, &o, "svg", &a, NULL, NULL), TG_OK);
        TG_CHECK_INT(tg_viz_render_data(&s, &o, "svg", &b, NULL, NULL), TG_OK);
        TG_CHECK(a && b && !strcmp(a, b));
        if (a && b && strcmp(a, b))
            fprintf(stderr, "  %s: two renders differ\n", layouts[i]);
        free(a);
        free(b);
    }
    tg_graph_free(g);
}

/* The story's direction: a path reads in its own order (ties walked
 * against their direction are laid from the walk's side, dir=back),
 * reverse= reads it from the end; root= centres twopi (auto picks it); a
 * cluster is named after the entity its value names. */
static void t_direction_root_clusters(void)
{
    tg_graph *g = story_graph();
    tg_rel path[] = {4, 0}; /* co <-CONTRACTS- gov-a <-FINANCES- bank */
    tg_ent from[] = {3, 1}; /* walked from co, then from gov-a */
    tg_viz_selection s = {g, NULL, 0, NULL, 0, path, 2, from, NULL};
    tg_viz_options o;
    char *dot = NULL;
    tg_error err;

    tg_viz_options_init(&o);
    TG_CHECK_INT(tg_viz_dot(&s, &o, &dot, NULL, &err), TG_OK);
    /* laid co -> gov-a -> bank, arrows still gov-a -> co and bank -> gov-a */
    TG_CHECK(dot && strstr(dot, "e3 -> e1") != NULL && strstr(dot, "e1 -> e0") != NULL);
    TG_CHECK_INT(dot ? (long)count(dot, "dir=back") : -1, 2);
    TG_CHECK(dot && strstr(dot, "rankdir=LR") != NULL); /* auto: a chain reads left to right */
    free(dot);
    o.reverse = 1;
    TG_CHECK_INT(tg_viz_dot(&s, &o, &dot, NULL, &err), TG_OK);
    TG_CHECK(dot && strstr(dot, "e0 -> e1") != NULL && strstr(dot, "e1 -> e3") != NULL);
    TG_CHECK_INT(dot ? (long)count(dot, "dir=back") : -1, 0);
    free(dot);
    /* root= */
    {
        tg_rel rels[] = {0, 2, 4, 5, 6, 7, 8, 9};
        tg_viz_selection s2 = {g, NULL, 0, rels, 8, NULL, 0, NULL, NULL};
        tg_viz_options_init(&o);
        o.root = "co";
        TG_CHECK_INT(tg_viz_dot(&s2, &o, &dot, NULL, &err), TG_OK);
        TG_CHECK(dot && strstr(dot, "layout=twopi") != NULL && strstr(dot, "root=e3") != NULL);
        free(dot);
        dot = NULL;
        o.layout = "dot";
        TG_CHECK_INT(tg_viz_dot(&s2, &o, &dot, NULL, &err), TG_EINVAL);
        TG_CHECK(strstr(err.message, "root= applies to the twopi and circo layouts") != NULL);
        o.layout = NULL;
        o.root = "cn"; /* not drawn */
        TG_CHECK_INT(tg_viz_dot(&s2, &o, &dot, NULL, &err), TG_EINVAL);
        TG_CHECK(strstr(err.message, "root 'cn' is not an entity of the diagram") != NULL);
    }
    /* a cluster value that is an entity id is named after that entity */
    {
        tg_rel rels[] = {4, 5};
        tg_viz_selection s3 = {g, NULL, 0, rels, 2, NULL, 0, NULL, NULL};
        set_str(g, TG_ENTITY, 1, "lender", "bank");
        set_str(g, TG_ENTITY, 2, "lender", "bank");
        tg_viz_options_init(&o);
        o.cluster = "lender";
        TG_CHECK_INT(tg_viz_dot(&s3, &o, &dot, NULL, &err), TG_OK);
        TG_CHECK(dot && strstr(dot, "<B>Bank</B>") != NULL && strstr(dot, "<B>bank</B>") == NULL);
        free(dot);
    }
    tg_graph_free(g);
}

int main(void)
{
    TG_RUN(t_golden);
    TG_RUN(t_deterministic);
    TG_RUN(t_empty);
    TG_RUN(t_hostile);
    TG_RUN(t_options);
    TG_RUN(t_theme);
    TG_RUN(t_theme_default_file);
    TG_RUN(t_label_merging);
    TG_RUN(t_rank_by_label);
    TG_RUN(t_page_and_legend);
    TG_RUN(t_highlight);
    TG_RUN(t_colour_blind_safe);
    TG_RUN(t_hostile_text);
    TG_RUN(t_limits_and_timeout);
    TG_RUN(t_svg_every_layout);
    TG_RUN(t_direction_root_clusters);
    return tg_test_finish();
}
