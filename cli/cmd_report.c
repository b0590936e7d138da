/* cmd_report.c — `tiegraph report SCRIPT... -o DIR`: one self-contained
 * HTML page of analyses.
 *
 * Each script is a question: its header comment is the question, each of
 * its statements a table (with the comment above the statement as its
 * caption), each :render a figure. Figures are rendered into DIR and their
 * SVG is inlined into DIR/index.html, which holds its styles and its script
 * too: the page needs no server, no network and no other file. The page's
 * script makes the figures interactive: hovering a tie shows its evidence,
 * clicking an entity highlights its ties, and a search box finds an entity
 * in every figure and table. Every source cited by a result (a `sources`
 * property of an entity or relation in it, or a string naming a source
 * record, such as `aspi-2019#47`) is listed under its question and in the
 * closing list of sources, with the record's title, publisher and date.
 *
 * Everything taken from the data or the scripts is HTML-escaped; inlined
 * SVG comes from tiegraph's own renderer, whose text is escaped there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "output.h"
#include "query.h"
#include "render.h"
#include "runner.h"
#include "value.h"

static const char help[] =
    "Usage: tiegraph report [--db PATH | --in FILE...] SCRIPT... [--db PATH SCRIPT...]... -o DIR\n"
    "\n"
    "Runs the scripts and writes DIR/index.html: one self-contained page (no\n"
    "server, no network, no other file) with each script's question (its header\n"
    "comment), its tables, its figures (the :render directives, drawn into DIR\n"
    "and inlined), and every source the results cite. Figures are interactive:\n"
    "hover a tie for its evidence, click an entity to highlight its ties, search\n"
    "an entity in every figure and table.\n"
    "\n"
    "Options:\n"
    "  --db PATH, --in FILE...   the graph, as for `tiegraph query`; each --db or --in\n"
    "                            applies to the scripts after it (one page, several\n"
    "                            datasets)\n"
    "  -o, --output DIR          where index.html and the figures go (created)\n"
    "  --title TEXT              the page's title (default: tiegraph report)\n"
    "  --param NAME=VALUE        set $NAME for every script\n"
    "  --timeout SECONDS         per statement and per figure\n"
    "  -h, --help                this help\n";

/* ---- HTML ---------------------------------------------------------------------- */

static void html(FILE *f, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        case '\0': fputs("\\0", f); break;
        default: fputc(s[i], f);
        }
    }
}

static void htmls(FILE *f, const char *s)
{
    html(f, s, strlen(s));
}

/* ---- what the page cites ------------------------------------------------------------ */

typedef struct cites {
    char **s;
    size_t n, cap;
} cites;

static void cite(cites *c, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        if (strlen(c->s[i]) == n && !memcmp(c->s[i], s, n))
            return;
    if (c->n == c->cap) {
        char **ns = realloc(c->s, (c->cap = c->cap ? 2 * c->cap : 32) * sizeof *ns);
        if (!ns)
            return;
        c->s = ns;
    }
    if ((c->s[c->n] = strndup(s, n)) != NULL)
        c->n++;
}

static void cites_free(cites *c)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        free(c->s[i]);
    free(c->s);
    memset(c, 0, sizeof *c);
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The source record a citation names (the part before '#'), or TG_NONE. */
static uint32_t record_of(const tg_graph *g, const char *s, size_t n)
{
    const char *hash = memchr(s, '#', n);
    tg_sym sym = tg_graph_sym(g, s, hash ? (size_t)(hash - s) : n);

    return sym ? tg_graph_find_source(g, sym) : TG_NONE;
}

static void cite_item(const tg_graph *g, tg_side side, uint32_t item, cites *c)
{
    tg_sym k = tg_graph_sym(g, "sources", 7);
    const tg_pval *v = k ? tg_graph_prop(g, side, item, k) : NULL, *list;
    size_t n, i, len;

    if (!v)
        return;
    if (v->type == TG_V_STRING) {
        list = v;
        n = 1;
    } else if (v->type == TG_V_LIST && v->elem == TG_V_STRING && v->len) {
        list = tg_graph_list(g, v);
        n = v->len;
    } else {
        return;
    }
    for (i = 0; i < n; i++) {
        const char *s = tg_graph_str(g, list[i].u.s, &len);
        cite(c, s, len);
    }
}

/* Every citation a value carries. */
static void cite_value(const tg_graph *g, const tg_value *v, cites *c)
{
    uint32_t i;

    switch (v->kind) {
    case TG_VAL_STRING:
        if (v->len < 200 && record_of(g, v->u.s, v->len) != TG_NONE)
            cite(c, v->u.s, v->len);
        break;
    case TG_VAL_NODE: cite_item(g, TG_ENTITY, v->u.node, c); break;
    case TG_VAL_REL: cite_item(g, TG_RELATION, v->u.rel, c); break;
    case TG_VAL_PATH:
        for (i = 0; i <= v->u.path->len; i++)
            cite_item(g, TG_ENTITY, v->u.path->nodes[i], c);
        for (i = 0; i < v->u.path->len; i++)
            cite_item(g, TG_RELATION, v->u.path->rels[i], c);
        break;
    case TG_VAL_LIST:
        for (i = 0; i < v->len; i++)
            cite_value(g, &v->u.items[i], c);
        break;
    case TG_VAL_MAP:
        for (i = 0; i < v->len; i++)
            cite_value(g, &v->u.map[i].value, c);
        break;
    default: break;
    }
}

static const char *field(const tg_graph *g, uint32_t src, const char *key)
{
    const tg_source_field *f;
    size_t n = tg_graph_source_fields(g, src, &f), i;
    tg_sym k = tg_graph_sym(g, key, strlen(key));

    for (i = 0; k && i < n; i++)
        if (f[i].key == k)
            return tg_graph_str(g, f[i].value, NULL);
    return NULL;
}

/* "aspi-2019#47 — Mapping China's Tech Giants (ASPI, 2019-04-18)" */
static void write_citation(FILE *f, const tg_graph *g, const char *s)
{
    uint32_t src = record_of(g, s, strlen(s));

    fputs("<li><code>", f);
    htmls(f, s);
    fputs("</code>", f);
    if (src != TG_NONE) {
        const char *title = field(g, src, "title"), *pub = field(g, src, "publisher"),
                   *date = field(g, src, "date"), *hash = strchr(s, '#');
        if (title) {
            fputs(" — <cite>", f);
            htmls(f, title);
            fputs("</cite>", f);
        }
        if (pub || date) {
            fputs(" (", f);
            if (pub)
                htmls(f, pub);
            if (pub && date)
                fputs(", ", f);
            if (date)
                htmls(f, date);
            fputs(")", f);
        }
        if (hash)
            fprintf(f, ", fragment <b>%s</b>", hash + 1);
    }
    fputs("</li>\n", f);
}

/* ---- the page ------------------------------------------------------------------------ */

static const char style[] =
    "body{font:15px/1.45 Helvetica,Arial,sans-serif;color:#222;margin:0 auto;max-width:1100px;"
    "padding:0 18px 60px}\n"
    "header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ccc;padding:8px 0;"
    "z-index:2;display:flex;gap:16px;align-items:center;flex-wrap:wrap}\n"
    "header h1{font-size:20px;margin:0;flex:1}\n"
    "#search{font-size:15px;padding:4px 8px;width:260px}\n"
    "#found{color:#555;font-size:13px}\n"
    "section.question{border-top:2px solid #4477AA;margin-top:28px}\n"
    "section.question>h2{font-size:18px}\n"
    ".ask{white-space:pre-wrap;background:#f4f7fb;padding:8px 12px;border-left:4px solid #4477AA}\n"
    "table{border-collapse:collapse;margin:10px 0 4px;font-size:13px;display:block;"
    "overflow-x:auto}\n"
    "th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}\n"
    "th{background:#eee}\n"
    "td.null{color:#999;font-style:italic}\n"
    "caption{caption-side:top;text-align:left;color:#444;font-size:13px;padding:4px 0}\n"
    "tr.hit td{background:#fff3b0}\n"
    "figure{margin:14px 0;border:1px solid #ddd;padding:6px}\n"
    "figure svg{max-width:100%;height:auto}\n"
    "figcaption{font-size:13px;color:#444}\n"
    ".evidence{min-height:2.6em;font-size:13px;background:#fafafa;border:1px dashed #ccc;"
    "padding:4px 8px;white-space:pre-wrap}\n"
    "g.node{cursor:pointer}\n"
    "svg.focus g.edge.tie{opacity:.15}svg.focus g.node.entity{opacity:.3}\n"
    "svg.focus g.edge.on,svg.focus g.node.on{opacity:1}\n"
    "g.node.hit polygon,g.node.hit ellipse,g.node.hit path{stroke:#d00;stroke-width:4}\n"
    "ul.cites{font-size:13px}\n"
    "@media print{header{position:static}.evidence{display:none}}\n";

/* The page's script: no network, no eval; it reads the inlined SVG. */
static const char script[] =
    "(function(){\n"
    "'use strict';\n"
    "function tip(el){var a=el.querySelector('a');var t=a&&(a.getAttribute('xlink:title')||"
    "a.getAttribute('title'));return t||'';}\n"
    "document.querySelectorAll('figure').forEach(function(fig){\n"
    " var svg=fig.querySelector('svg'),ev=fig.querySelector('.evidence');if(!svg)return;\n"
    " svg.querySelectorAll('g.edge').forEach(function(e){\n"
    "  e.addEventListener('mouseenter',function(){if(ev)ev.textContent=tip(e);});\n"
    " });\n"
    " svg.querySelectorAll('g.node').forEach(function(n){\n"
    "  n.addEventListener('mouseenter',function(){if(ev)ev.textContent=tip(n);});\n"
    "  n.addEventListener('click',function(){\n"
    "   var id=n.id,on=n.classList.contains('on')&&svg.classList.contains('focus');\n"
    "   svg.querySelectorAll('.on').forEach(function(x){x.classList.remove('on');});\n"
    "   if(on||!/^n-/.test(id)){svg.classList.remove('focus');return;}\n"
    "   svg.classList.add('focus');n.classList.add('on');\n"
    "   svg.querySelectorAll('g.edge').forEach(function(e){\n"
    "    if(e.classList.contains(id)){e.classList.add('on');\n"
    "     e.classList.forEach(function(c){if(/^n-/.test(c)){var o=svg.getElementById?"
    "svg.getElementById(c):document.getElementById(c);if(o)o.classList.add('on');}});}\n"
    "   });\n"
    "  });\n"
    " });\n"
    "});\n"
    "var box=document.getElementById('search'),found=document.getElementById('found');\n"
    "box.addEventListener('input',function(){\n"
    " var q=box.value.trim().toLowerCase(),n=0,r=0;\n"
    " document.querySelectorAll('g.node').forEach(function(g){\n"
    "  var hit=q&&/^n-/.test(g.id)&&tip(g).toLowerCase().indexOf(q)>=0;\n"
    "  g.classList.toggle('hit',!!hit);if(hit)n++;});\n"
    " document.querySelectorAll('tbody tr').forEach(function(tr){\n"
    "  var hit=q&&tr.textContent.toLowerCase().indexOf(q)>=0;tr.classList.toggle('hit',!!hit);"
    "if(hit)r++;});\n"
    " found.textContent=q?(n+' in figures, '+r+' table rows'):'';\n"
    " var first=document.querySelector('g.node.hit')||document.querySelector('tr.hit');\n"
    " if(first&&first.scrollIntoView)first.scrollIntoView({block:'center'});\n"
    "});\n"
    "/* what the page loaded from anywhere: nothing, when it is self-contained */\n"
    "document.body.setAttribute('data-resources',String(performance.getEntriesByType("
    "'resource').length));\n"
    "if(location.hash==='#selftest'){\n"
    " box.value='Huawei';box.dispatchEvent(new Event('input'));\n"
    " var hits=document.querySelectorAll('g.node.hit').length,"
    "rows=document.querySelectorAll('tr.hit').length;\n"
    " var n=document.querySelector('g.node.hit')||document.querySelector('g.node[id^=\"n-\"]');\n"
    " if(n)n.dispatchEvent(new MouseEvent('click',{bubbles:true}));\n"
    " var on=document.querySelectorAll('g.edge.on').length;\n"
    " var e=document.querySelector('g.edge'),ev='';\n"
    " if(e){e.dispatchEvent(new MouseEvent('mouseenter'));"
    "ev=e.closest('figure').querySelector('.evidence').textContent;}\n"
    " document.body.setAttribute('data-selftest',JSON.stringify({hits:hits,rows:rows,on:on,"
    "evidence:ev.slice(0,200)}));\n"
    "}\n"
    "document.body.setAttribute('data-ready','1');\n"
    "})();\n";

typedef struct report {
    FILE *f;
    const char *dir;
    const char *text; /* the script being run */
    size_t len;
    size_t nfig, ntab;
    cites q, all; /* cited by this question, by the page */
} report;

/* The comment lines just above line `line` of the text (a statement's
 * caption), joined. */
static void caption_above(FILE *f, const char *text, size_t len, long line)
{
    const char *starts[64];
    size_t i = 0, n = 0, k;
    long l = 1;

    /* the start of each line up to `line` */
    while (i < len && l < line) {
        if (text[i] == '\n') {
            l++;
            if (n == 64) {
                memmove(starts, starts + 1, 63 * sizeof *starts);
                n = 63;
            }
            starts[n++] = text + i + 1;
        }
        i++;
    }
    /* walk back over the comment lines right above */
    k = n;
    while (k >= 2) {
        const char *p = starts[k - 2];
        while (*p == ' ' || *p == '\t')
            p++;
        if (p[0] != '/' || p[1] != '/')
            break;
        k--;
    }
    if (k == n)
        return;
    fputs("<caption>", f);
    for (i = k - 1; i + 1 < n; i++) {
        const char *p = starts[i], *e = strchr(p, '\n');
        while (*p == ' ' || *p == '\t')
            p++;
        p += 2;
        while (*p == ' ')
            p++;
        html(f, p, e ? (size_t)(e - p) : strlen(p));
        fputc(' ', f);
    }
    fputs("</caption>", f);
}

static void inline_svg(FILE *f, const char *path)
{
    char *svg = NULL;
    size_t n = 0;
    const char *start;

    if (tg_cli_read_file(path, &svg, &n) != 0) {
        fputs("<p>(the figure could not be read back)</p>", f);
        return;
    }
    /* drop the XML prolog, the DOCTYPE (it names a URL) and comments before <svg */
    start = strstr(svg, "<svg");
    if (start)
        fwrite(start, 1, n - (size_t)(start - svg), f);
    free(svg);
}

static int emit(void *ctx, const tg_script_item *it, size_t index, const tg_result *res,
                const tg_render_request *fig)
{
    report *rp = ctx;
    FILE *f = rp->f;
    const tg_graph *g = tg_result_graph(res);
    size_t nc = tg_result_column_count(res), nr = tg_result_row_count(res), i, j;

    (void)index;
    for (i = 0; i < nr; i++)
        for (j = 0; j < nc; j++) {
            const tg_value *v = tg_result_value(res, i, j);
            if (v) {
                cite_value(g, v, &rp->q);
                cite_value(g, v, &rp->all);
            }
        }
    if (fig) {
        const char *slash = strrchr(fig->path, '/');
        rp->nfig++;
        fprintf(f, "<figure id=\"figure-%zu\">", rp->nfig);
        if (!strcmp(fig->format, "svg")) {
            inline_svg(f, fig->path);
        } else {
            fputs("<p>Figure written to <code>", f);
            htmls(f, slash ? slash + 1 : fig->path);
            fputs("</code>.</p>", f);
        }
        fputs("<div class=\"evidence\">Hover a tie for its evidence; click an entity to "
              "highlight its ties.</div><figcaption>",
              f);
        if (fig->opts.title)
            htmls(f, fig->opts.title);
        fprintf(f, " (%zu entities, %zu ties, %s layout)</figcaption></figure>\n",
                fig->info.entities, fig->info.edges, fig->info.layout);
        return 0;
    }
    if (!nc)
        return 0;
    rp->ntab++;
    fprintf(f, "<table id=\"table-%zu\">", rp->ntab);
    caption_above(f, rp->text, rp->len, it->line);
    fputs("<thead><tr>", f);
    for (j = 0; j < nc; j++) {
        fputs("<th>", f);
        htmls(f, tg_result_column_name(res, j));
        fputs("</th>", f);
    }
    fputs("</tr></thead><tbody>\n", f);
    for (i = 0; i < nr; i++) {
        fputs("<tr>", f);
        for (j = 0; j < nc; j++) {
            const tg_value *v = tg_result_value(res, i, j);
            char *cell = v ? tg_out_cell_text(g, v, NULL) : NULL;
            fputs(v && v->kind == TG_VAL_NULL ? "<td class=\"null\">" : "<td>", f);
            if (cell)
                htmls(f, cell);
            free(cell);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fprintf(f, "</tbody></table><p class=\"rows\">%zu %s</p>\n", nr, nr == 1 ? "row" : "rows");
    return 0;
}

/* The header comment of a script: its leading // lines. */
static void question(FILE *f, const char *text, size_t len)
{
    size_t i = 0;
    int any = 0;

    while (i < len) {
        size_t e = i, s;
        while (e < len && text[e] != '\n')
            e++;
        s = i;
        while (s < e && (text[s] == ' ' || text[s] == '\t'))
            s++;
        if (s == e) {
            if (any)
                break;
            i = e + 1;
            continue;
        }
        if (e - s < 2 || text[s] != '/' || text[s + 1] != '/')
            break;
        s += 2;
        if (s < e && text[s] == ' ')
            s++;
        if (!any)
            fputs("<p class=\"ask\">", f);
        else
            fputc('\n', f);
        html(f, text + s, e - s);
        any = 1;
        i = e + 1;
    }
    if (any)
        fputs("</p>\n", f);
}

/* Lists, into f, the source records of g that the page cited (cites c),
 * each with its fragments. */
static void write_sources(FILE *f, const tg_graph *g, cites *c)
{
    size_t k, m;

    qsort(c->s, c->n, sizeof *c->s, cmp_cstr);
    for (k = 0; k < tg_graph_source_count(g); k++) {
        size_t idlen, shown = 0;
        const char *id = tg_graph_str(g, tg_graph_source_id(g, (uint32_t)k), &idlen);
        const char *t = field(g, (uint32_t)k, "title"), *pub = field(g, (uint32_t)k, "publisher"),
                   *date = field(g, (uint32_t)k, "date"), *url = field(g, (uint32_t)k, "url");
        for (m = 0; m < c->n; m++)
            if (!strncmp(c->s[m], id, idlen) && (c->s[m][idlen] == '\0' || c->s[m][idlen] == '#'))
                shown++;
        if (!shown)
            continue;
        fputs("<li id=\"source-", f);
        html(f, id, idlen);
        fputs("\"><code>", f);
        html(f, id, idlen);
        fputs("</code>", f);
        if (t) {
            fputs(" — <cite>", f);
            htmls(f, t);
            fputs("</cite>", f);
        }
        if (pub) {
            fputs(", ", f);
            htmls(f, pub);
        }
        if (date) {
            fputs(", ", f);
            htmls(f, date);
        }
        if (url) { /* a link to follow, never something the page loads */
            fputs(". <a rel=\"noreferrer\" href=\"", f);
            htmls(f, url);
            fputs("\">", f);
            htmls(f, url);
            fputs("</a>", f);
        }
        fputs(". Cited: ", f);
        for (m = 0, shown = 0; m < c->n; m++)
            if (!strncmp(c->s[m], id, idlen) && (c->s[m][idlen] == '\0' || c->s[m][idlen] == '#')) {
                fputs(shown++ ? ", " : "", f);
                htmls(f, c->s[m][idlen] ? c->s[m] + idlen : "(whole)");
            }
        fputs("</li>\n", f);
    }
}

/* Where a script's graph comes from: a --db, or a run of --in files. */
typedef struct gspec {
    const char *db;
    size_t in0, nin;
} gspec;

int tg_cmd_report(int argc, char **argv)
{
    const char *out = NULL, *title = "tiegraph report", *db = NULL;
    const char **in = calloc((size_t)argc + 1, sizeof *in);
    const char **scripts = calloc((size_t)argc + 1, sizeof *scripts);
    const char **params = calloc((size_t)argc + 1, sizeof *params);
    size_t *script_spec = calloc((size_t)argc + 1, sizeof *script_spec);
    gspec *specs = calloc((size_t)argc + 2, sizeof *specs);
    size_t nin = 0, nscripts = 0, nparams = 0, nspecs = 1, i, k, cur = (size_t)-1, total_cites = 0;
    double timeout = 0;
    tg_graph *g = NULL;
    tg_runner *run = NULL;
    tg_runner_options ro;
    report rp;
    char path[4096], script_dir[4096];
    char *srcbuf = NULL;
    size_t srclen = 0;
    FILE *src = NULL;
    tg_error err;
    int rc = 0, a;

    memset(&rp, 0, sizeof rp);
    tg_error_clear(&err);
    if (!in || !scripts || !params || !script_spec || !specs) {
        rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
        goto done;
    }
    for (a = 1; a < argc; a++) {
        const char *arg = argv[a];
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            fputs(help, stdout);
            goto done;
        } else if (!strcmp(arg, "--in") && a + 1 < argc) {
            specs[nspecs].db = NULL;
            specs[nspecs].in0 = nin;
            while (a + 1 < argc && argv[a + 1][0] != '-' &&
                   (nin == specs[nspecs].in0 || tg_cli_is_data_file(argv[a + 1])))
                in[nin++] = argv[++a];
            specs[nspecs].nin = nin - specs[nspecs].in0;
            nspecs++;
        } else if ((!strcmp(arg, "--db") || !strcmp(arg, "-o") || !strcmp(arg, "--output") ||
                    !strcmp(arg, "--title") || !strcmp(arg, "--param") ||
                    !strcmp(arg, "--timeout")) &&
                   a + 1 < argc) {
            const char *val = argv[++a];
            if (!strcmp(arg, "--db")) {
                specs[nspecs].db = val;
                specs[nspecs++].nin = 0;
            } else if (!strcmp(arg, "--title")) {
                title = val;
            } else if (!strcmp(arg, "--param")) {
                params[nparams++] = val;
            } else if (!strcmp(arg, "--timeout")) {
                timeout = atof(val);
            } else {
                out = val;
            }
        } else if (arg[0] == '-' && arg[1]) {
            rc = tg_cli_usage("report", "unknown option '%s'", arg);
            goto done;
        } else {
            script_spec[nscripts] = nspecs - 1; /* spec 0: the default store */
            scripts[nscripts++] = arg;
        }
    }
    if (!out || !nscripts) {
        rc = tg_cli_usage("report", !out ? "no output folder; expected -o DIR"
                                         : "no script; expected one or more SCRIPT files");
        goto done;
    }
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        tg_error_set(&err, TG_EIO, out, 0, 0, "cannot create the output folder: %s",
                     strerror(errno));
        rc = tg_cli_fail(&err);
        goto done;
    }
    snprintf(path, sizeof path, "%s/index.html", out);
    if (!(rp.f = fopen(path, "w")) || !(src = open_memstream(&srcbuf, &srclen))) {
        tg_error_set(&err, TG_EIO, path, 0, 0, "cannot write the report: %s", strerror(errno));
        rc = tg_cli_fail(&err);
        goto done;
    }
    rp.dir = out;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n<title>",
          rp.f);
    htmls(rp.f, title);
    fprintf(rp.f, "</title>\n<style>\n%s</style></head>\n<body>\n<header><h1>", style);
    htmls(rp.f, title);
    fputs("</h1><input id=\"search\" type=\"search\" placeholder=\"Find an entity in every "
          "figure and table\" aria-label=\"Find an entity\"><span id=\"found\"></span>"
          "</header>\n<nav><ol>\n",
          rp.f);
    for (i = 0; i < nscripts; i++) {
        const char *b = strrchr(scripts[i], '/');
        fprintf(rp.f, "<li><a href=\"#q%zu\">", i + 1);
        htmls(rp.f, b ? b + 1 : scripts[i]);
        fputs("</a></li>\n", rp.f);
    }
    fputs("</ol></nav>\n", rp.f);
    for (i = 0; i < nscripts; i++) {
        char *text = NULL;
        size_t len = 0;
        const char *b = strrchr(scripts[i], '/');
        if (script_spec[i] != cur) { /* the next dataset */
            if (g) {
                write_sources(src, g, &rp.all);
                total_cites += rp.all.n;
                cites_free(&rp.all);
            }
            tg_runner_free(run);
            run = NULL;
            tg_graph_free(g);
            g = NULL;
            cur = script_spec[i];
            if ((rc = tg_cli_open_graph(specs[cur].db, in + specs[cur].in0, specs[cur].nin, &g,
                                        &db)) != 0)
                goto done;
            memset(&ro, 0, sizeof ro);
            ro.timeout = timeout;
            ro.policy.base = out; /* figures go next to the page */
            tg_render_dirname(scripts[i], script_dir, sizeof script_dir);
            ro.base_dir = script_dir; /* LOAD CSV's relative paths */
            if (!(run = tg_runner_new(g, db, &ro))) {
                rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
                goto done;
            }
            for (k = 0; k < nparams; k++) {
                const char *eq = strchr(params[k], '=');
                char pname[256];
                if (!eq || eq == params[k]) {
                    rc = tg_cli_usage("report", "--param expects NAME=VALUE, got '%s'", params[k]);
                    goto done;
                }
                snprintf(pname, sizeof pname, "%.*s", (int)(eq - params[k]), params[k]);
                if (tg_params_set_text(tg_runner_params(run), pname, eq + 1, &err) != TG_OK) {
                    rc = tg_cli_fail(&err);
                    goto done;
                }
            }
        }
        if (tg_cli_read_file(scripts[i], &text, &len) != 0) {
            tg_error_set(&err, TG_ENOENT, scripts[i], 0, 0, "cannot read the script: %s",
                         strerror(errno));
            rc = tg_cli_fail(&err);
            goto done;
        }
        fprintf(rp.f, "<section class=\"question\" id=\"q%zu\"><h2>%zu. ", i + 1, i + 1);
        htmls(rp.f, b ? b + 1 : scripts[i]);
        fputs("</h2>\n", rp.f);
        question(rp.f, text, len);
        rp.text = text;
        rp.len = len;
        rc = tg_runner_run(run, text, len, scripts[i], emit, &rp);
        free(text);
        if (rc != 0)
            goto done;
        if (rp.q.n) {
            qsort(rp.q.s, rp.q.n, sizeof *rp.q.s, cmp_cstr);
            fprintf(rp.f, "<h3>Evidence</h3>\n<ul class=\"cites\">\n");
            for (k = 0; k < rp.q.n; k++)
                write_citation(rp.f, g, rp.q.s[k]);
            fputs("</ul>\n", rp.f);
        }
        cites_free(&rp.q);
        fputs("</section>\n", rp.f);
    }
    if (g) {
        write_sources(src, g, &rp.all);
        total_cites += rp.all.n;
    }
    if (fclose(src) != 0) {
        src = NULL;
        rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
        goto done;
    }
    src = NULL;
    /* every source record cited, with the fragments */
    fputs("<section id=\"sources\"><h2>Sources</h2>\n<ul class=\"cites\">\n", rp.f);
    if (srclen)
        fwrite(srcbuf, 1, srclen, rp.f);
    fputs("</ul></section>\n", rp.f);
    fprintf(rp.f, "<script>\n%s</script>\n</body></html>\n", script);
    if (fclose(rp.f) != 0) {
        rp.f = NULL;
        tg_error_set(&err, TG_EIO, path, 0, 0, "cannot write the report");
        rc = tg_cli_fail(&err);
        goto done;
    }
    rp.f = NULL;
    fprintf(stderr, "tiegraph: wrote %s (%zu questions, %zu tables, %zu figures, %zu citations)\n",
            path, nscripts, rp.ntab, rp.nfig, total_cites);
done:
    if (rp.f)
        fclose(rp.f);
    if (src)
        fclose(src);
    free(srcbuf);
    cites_free(&rp.q);
    cites_free(&rp.all);
    tg_runner_free(run);
    tg_graph_free(g);
    free(in);
    free(scripts);
    free(params);
    free(script_spec);
    free(specs);
    return rc;
}
