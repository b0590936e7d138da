/* viz.c — a selection of the graph as a graphviz diagram (see viz.h).
 *
 * One builder makes the cgraph graph that both outputs use: tg_viz_dot
 * writes it with agwrite before any layout, tg_viz_render_data lays it out
 * and renders it with gvc in-process. Invariants the builder keeps:
 * - node names are "e<entity index>", cluster names "cluster_<k>": no data
 *   from the graph ever becomes a DOT identifier;
 * - every label is HTML-like, and every text taken from the data goes into
 *   one through html_text(), which escapes &, <, >, ", ', doubles
 *   backslashes (graphviz expands \N, \G, ... even in HTML labels), turns
 *   invalid UTF-8 into U+FFFD and drops control characters, so the DOT
 *   parses and the SVG is well-formed XML whatever the names hold. Only
 *   HTML strings are made with agstrdup_html, and plain attribute values
 *   never hold data, so the two kinds never share a pooled string;
 * - theme values were validated by theme.c and are set as they are;
 * - nodes are created in the order of entity ids (bytes), edges in the order
 *   of relation indexes, attributes are declared in a fixed order, and
 *   footnotes are numbered by first use in that order: the DOT is a
 *   function of the input alone.
 * Graphviz reports through a process-wide error function; each public call
 * installs a capturing one (agseterrf) and restores the previous one.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "viz.h"
#include "viz_internal.h"

/* ---- a growable string ------------------------------------------------------ */

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *ns;
        while (b->len + n + 1 > cap)
            cap *= 2;
        ns = realloc(b->s, cap);
        if (!ns) {
            b->oom = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_printf(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        b->oom = 1;
    else
        sb_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* ---- text: UTF-8 clean-up, wrapping, HTML escaping ------------------------- */

/* Decodes one code point of s[0..n); returns its byte length (>= 1) and the
 * code point in *cp, U+FFFD for an invalid or overlong sequence, a
 * surrogate or a non-character. */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
    size_t len, k;
    unsigned c = s[0], min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        c &= 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        c &= 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (len > n) {
        *cp = 0xFFFD;
        return 1;
    }
    for (k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return k;
        }
        c = (c << 6) | (s[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) || (c & 0xFFFE) == 0xFFFE)
        c = 0xFFFD;
    *cp = c;
    return len;
}

static void put_cp(sbuf *b, unsigned cp)
{
    char u[4];

    if (cp < 0x80) {
        u[0] = (char)cp;
        sb_put(b, u, 1);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        sb_put(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        sb_put(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        sb_put(b, u, 4);
    }
}

/* Columns a code point takes: East Asian wide ones and emoji count 2. */
static size_t cp_width(unsigned cp)
{
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
        (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

/* Appends s[0..n) as the text of an HTML-like label. A line break in the
 * text becomes <BR/> when breaks != 0, a space otherwise; tabs become
 * spaces; other control characters are dropped. */
static void html_text(sbuf *b, const char *s, size_t n, int breaks)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        unsigned cp;
        i += utf8_next(p + i, n - i, &cp);
        switch (cp) {
        case '&': sb_puts(b, "&amp;"); break;
        case '<': sb_puts(b, "&lt;"); break;
        case '>': sb_puts(b, "&gt;"); break;
        case '"': sb_puts(b, "&quot;"); break;
        case '\'': sb_puts(b, "&#39;"); break;
        case '\\': sb_puts(b, "\\\\"); break;
        case '\n': sb_puts(b, breaks ? "<BR/>" : " "); break;
        case '\t': sb_puts(b, " "); break;
        default:
            if (cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0))
                put_cp(b, cp);
        }
    }
}

/* Wraps s[0..n) at `width` columns into out, lines separated by '\n':
 * breaks at spaces, hard-breaks words wider than a line, keeps the line
 * breaks of the text. The result is raw text (escape it with html_text). */
static void wrap_text(sbuf *out, const char *s, size_t n, size_t width)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, col = 0;

    while (i < n) {
        size_t wstart, wend, wcols = 0, k;
        unsigned cp;
        if (p[i] == ' ' || p[i] == '\t') {
            i++;
            continue;
        }
        if (p[i] == '\n' || p[i] == '\r') {
            if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
                i++;
            i++;
            sb_put(out, "\n", 1);
            col = 0;
            continue;
        }
        wstart = i;
        while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') {
            i += utf8_next(p + i, n - i, &cp);
            wcols += cp_width(cp);
        }
        wend = i;
        if (col > 0 && col + 1 + wcols > width) {
            sb_put(out, "\n", 1);
            col = 0;
        } else if (col > 0) {
            sb_put(out, " ", 1);
            col++;
        }
        /* A word wider than a line is cut at code point boundaries. */
        for (k = wstart; k < wend;) {
            size_t len = utf8_next(p + k, wend - k, &cp), w = cp_width(cp);
            if (col > 0 && col + w > width) {
                sb_put(out, "\n", 1);
                col = 0;
            }
            sb_put(out, s + k, len);
            col += w;
            k += len;
        }
    }
}

/* ---- graphviz's messages ------------------------------------------------------ */

static char gv_msg[TG_ERROR_MSG_MAX];
static size_t gv_len;

static int capture(char *s)
{
    size_t n = strlen(s);

    if (gv_len + n >= sizeof gv_msg)
        n = sizeof gv_msg - 1 - gv_len;
    memcpy(gv_msg + gv_len, s, n);
    gv_len += n;
    gv_msg[gv_len] = '\0';
    return 0;
}

/* The captured text without its line breaks, for one-line error messages. */
static const char *gv_message(void)
{
    size_t i;

    for (i = 0; i < gv_len; i++)
        if (gv_msg[i] == '\n' || gv_msg[i] == '\r')
            gv_msg[i] = ' ';
    while (gv_len && gv_msg[gv_len - 1] == ' ')
        gv_msg[--gv_len] = '\0';
    return gv_len ? gv_msg : "no message";
}

/* The error of a diagram that graphviz refused to build, with its reason. */
static tg_status gv_build_error(tg_error *err)
{
    return tg_error_set(err, TG_EINTERNAL, NULL, 0, 0, "graphviz could not build the diagram: %s",
                        gv_message());
}

/* ---- the drawing context ------------------------------------------------------ */

typedef struct ent_key {
    const char *id;
    size_t len;
    tg_ent e;
} ent_key;

typedef struct draw {
    const tg_graph *g;
    const tg_viz_options *o;
    tg_i_viz_theme theme;
    size_t wrap;
    const char *layout, *rankdir;

    ent_key *ents; /* drawn entities, sorted by id */
    size_t nents;
    tg_rel *rels; /* drawn relations, ascending */
    size_t nrels;
    tg_ent *byidx;     /* drawn entities ascending by index, for degree lookups */
    uint32_t *deg;     /* parallel to byidx: drawn relations at the entity */
    uint32_t *leaves;  /* parallel to byidx: neighbours of degree 1 */
    uint32_t *stagger; /* parallel to byidx: leaves staggered so far */
    int dense;         /* many relations: edge labels without the type name */
    tg_rel *hl;        /* highlighted relations, ascending, unique */
    size_t nhl;

    /* footnotes: source strings in order of first use, and a hash of them */
    tg_sym *notes;
    size_t nnotes, capnotes;
    uint32_t *slots; /* 1 + index into notes, 0 = empty */
    size_t nslots;

    /* what the legend shows */
    unsigned char label_used[TG_I_VIZ_STYLES_MAX];
    unsigned char type_used[TG_I_VIZ_STYLES_MAX];
    const char **other_labels, **other_types; /* borrowed names, sorted unique at the end */
    size_t nother_labels, nother_types;

    tg_sym k_name, k_sources, k_amount, k_currency, k_year, k_share, k_iso2, k_cluster, l_country;
    tg_sym label_syms[TG_I_VIZ_STYLES_MAX];

    Agraph_t *root;
    size_t nclusters;
    int oom;
} draw;

/* Above this many relations a diagram is a map, not a chart: edge labels
 * keep their amounts, years and markers but drop the type name (the colour
 * and the legend tell it), and the leaves of busy hubs are staggered over
 * three ranks (what graphviz's `unflatten -l 3` does) so that dot does not
 * lay a hundred nodes side by side. */
#define DENSE_RELATIONS 40
#define STAGGER_LEAVES 4

static const char *const layouts[] = {"dot", "neato", "fdp", "sfdp", "circo", "twopi", "osage"};
static const char *const rankdirs[] = {"TB", "LR", "BT", "RL"};

static tg_sym sym_of(const tg_graph *g, const char *s)
{
    return tg_graph_sym(g, s, strlen(s));
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_ent_key(const void *a, const void *b)
{
    const ent_key *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->id, y->id, n);

    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts and removes duplicates of v[0..*n). */
static void sort_unique(uint32_t *v, size_t *n)
{
    size_t i, j = 0;

    if (*n == 0)
        return;
    qsort(v, *n, sizeof *v, cmp_u32);
    for (i = 1; i < *n; i++)
        if (v[i] != v[j])
            v[++j] = v[i];
    *n = j + 1;
}

static size_t sort_unique_str(const char **v, size_t n)
{
    size_t i, j = 0;

    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_str);
    for (i = 1; i < n; i++)
        if (strcmp(v[i], v[j]))
            v[++j] = v[i];
    return j + 1;
}

static int contains(const uint32_t *v, size_t n, uint32_t x)
{
    return bsearch(&x, v, n, sizeof *v, cmp_u32) != NULL;
}

/* Position of drawn entity e in d->byidx (it must be drawn). O(log V). */
static size_t ent_pos(const draw *d, tg_ent e)
{
    const tg_ent *p = bsearch(&e, d->byidx, d->nents, sizeof *p, cmp_u32);

    return p ? (size_t)(p - d->byidx) : 0;
}

static void draw_destroy(draw *d)
{
    free(d->byidx);
    free(d->deg);
    free(d->leaves);
    free(d->stagger);
    free(d->ents);
    free(d->rels);
    free(d->hl);
    free(d->notes);
    free(d->slots);
    free(d->other_labels);
    free(d->other_types);
    if (d->root)
        agclose(d->root);
}

/* Validates the options and reads the theme. */
static tg_status draw_init(draw *d, const tg_viz_selection *s, const tg_viz_options *o,
                           tg_error *err)
{
    size_t i;
    tg_status st = TG_OK;

    memset(d, 0, sizeof *d);
    d->g = s->g;
    d->o = o;
    d->layout = o->layout ? o->layout : "dot";
    d->rankdir = o->rankdir ? o->rankdir : "TB";
    for (i = 0; i < sizeof layouts / sizeof layouts[0] && strcmp(d->layout, layouts[i]); i++)
        ;
    if (i == sizeof layouts / sizeof layouts[0]) {
        st = tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                          "unknown layout '%s'; expected dot, neato, fdp, sfdp, circo, twopi "
                          "or osage",
                          d->layout);
        goto done;
    }
    for (i = 0; i < sizeof rankdirs / sizeof rankdirs[0] && strcmp(d->rankdir, rankdirs[i]); i++)
        ;
    if (i == sizeof rankdirs / sizeof rankdirs[0]) {
        st = tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                          "unknown rankdir '%s'; expected TB, LR, BT or RL", d->rankdir);
        goto done;
    }
    tg_i_viz_theme_default(&d->theme);
    if (o->theme_path && (st = tg_i_viz_theme_load(&d->theme, o->theme_path, err)) != TG_OK)
        goto done;
    d->wrap = (size_t)strtoul(d->theme.graph.wrap, NULL, 10);
    d->k_name = sym_of(d->g, "name");
    d->k_sources = sym_of(d->g, "sources");
    d->k_amount = sym_of(d->g, "amount");
    d->k_currency = sym_of(d->g, "currency");
    d->k_year = sym_of(d->g, "year");
    d->k_share = sym_of(d->g, "share");
    d->k_iso2 = sym_of(d->g, "iso2");
    d->l_country = sym_of(d->g, "Country");
    d->k_cluster = o->cluster && o->cluster[0] ? sym_of(d->g, o->cluster) : 0;
    for (i = 0; i < d->theme.nlabels; i++)
        d->label_syms[i] = sym_of(d->g, d->theme.labels[i].name);
done:
    return st;
}

/* Gathers the entities and relations to draw, sorted and unique. */
static tg_status collect(draw *d, const tg_viz_selection *s, tg_error *err)
{
    size_t ne = tg_graph_entity_count(d->g), nr = tg_graph_relation_count(d->g);
    size_t i, n = 0, cap;
    tg_ent *ents = NULL;
    tg_status st = TG_OK;

    if ((s->nents && !s->ents) || (s->nrels && !s->rels) || (s->nhighlight && !s->highlight)) {
        st = tg_error_set(err, TG_EINVAL, NULL, 0, 0, "a selection array is NULL");
        goto done;
    }
    for (i = 0; i < s->nents; i++)
        if (s->ents[i] >= ne) {
            st = tg_error_set(err, TG_EINVAL, NULL, 0, 0, "entity %u is not in the graph",
                              (unsigned)s->ents[i]);
            goto done;
        }
    for (i = 0; i < s->nrels + s->nhighlight; i++) {
        tg_rel r = i < s->nrels ? s->rels[i] : s->highlight[i - s->nrels];
        if (r >= nr) {
            st = tg_error_set(err, TG_EINVAL, NULL, 0, 0, "relation %u is not in the graph",
                              (unsigned)r);
            goto done;
        }
    }
    d->rels = malloc((s->nrels + s->nhighlight + 1) * sizeof *d->rels);
    d->hl = malloc((s->nhighlight + 1) * sizeof *d->hl);
    cap = s->nents + 2 * (s->nrels + s->nhighlight) + 1;
    ents = malloc(cap * sizeof *ents);
    if (!d->rels || !d->hl || !ents) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    if (s->nrels)
        memcpy(d->rels, s->rels, s->nrels * sizeof *d->rels);
    if (s->nhighlight) {
        memcpy(d->rels + s->nrels, s->highlight, s->nhighlight * sizeof *d->rels);
        memcpy(d->hl, s->highlight, s->nhighlight * sizeof *d->hl);
    }
    d->nrels = s->nrels + s->nhighlight;
    d->nhl = s->nhighlight;
    sort_unique(d->rels, &d->nrels);
    sort_unique(d->hl, &d->nhl);
    for (i = 0; i < s->nents; i++)
        ents[n++] = s->ents[i];
    for (i = 0; i < d->nrels; i++) {
        ents[n++] = tg_graph_rel_from(d->g, d->rels[i]);
        ents[n++] = tg_graph_rel_to(d->g, d->rels[i]);
    }
    sort_unique(ents, &n);
    d->ents = malloc((n + 1) * sizeof *d->ents);
    if (!d->ents) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (i = 0; i < n; i++) {
        d->ents[i].e = ents[i];
        d->ents[i].id = tg_graph_str(d->g, tg_graph_entity_id(d->g, ents[i]), &d->ents[i].len);
    }
    d->nents = n;
    qsort(d->ents, n, sizeof *d->ents, cmp_ent_key);
    /* degrees in the drawing, to stagger the leaves of busy hubs */
    d->byidx = ents;
    ents = NULL;
    d->deg = calloc(n + 1, sizeof *d->deg);
    d->leaves = calloc(n + 1, sizeof *d->leaves);
    d->stagger = calloc(n + 1, sizeof *d->stagger);
    if (!d->deg || !d->leaves || !d->stagger) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (i = 0; i < d->nrels; i++) {
        d->deg[ent_pos(d, tg_graph_rel_from(d->g, d->rels[i]))]++;
        d->deg[ent_pos(d, tg_graph_rel_to(d->g, d->rels[i]))]++;
    }
    for (i = 0; i < d->nrels; i++) {
        size_t a = ent_pos(d, tg_graph_rel_from(d->g, d->rels[i]));
        size_t b = ent_pos(d, tg_graph_rel_to(d->g, d->rels[i]));
        if (d->deg[a] == 1 && d->deg[b] > 1)
            d->leaves[b]++;
        else if (d->deg[b] == 1 && d->deg[a] > 1)
            d->leaves[a]++;
    }
    d->dense = d->nrels > DENSE_RELATIONS;
done:
    free(ents);
    return st;
}

/* ---- footnotes ---------------------------------------------------------------- */

/* The 1-based footnote number of source string sym, numbering it when new;
 * 0 when out of memory. */
static size_t note_number(draw *d, tg_sym sym)
{
    size_t h;

    if (d->nnotes * 2 >= d->nslots) { /* grow and rehash */
        size_t ns = d->nslots ? d->nslots * 2 : 64, i;
        uint32_t *slots = calloc(ns, sizeof *slots);
        if (!slots)
            return 0;
        for (i = 0; i < d->nnotes; i++) {
            h = ((size_t)d->notes[i] * 2654435761u) & (ns - 1);
            while (slots[h])
                h = (h + 1) & (ns - 1);
            slots[h] = (uint32_t)i + 1;
        }
        free(d->slots);
        d->slots = slots;
        d->nslots = ns;
    }
    h = ((size_t)sym * 2654435761u) & (d->nslots - 1);
    while (d->slots[h]) {
        if (d->notes[d->slots[h] - 1] == sym)
            return d->slots[h];
        h = (h + 1) & (d->nslots - 1);
    }
    if (d->nnotes == d->capnotes) {
        size_t cap = d->capnotes ? d->capnotes * 2 : 32;
        tg_sym *nn = realloc(d->notes, cap * sizeof *nn);
        if (!nn)
            return 0;
        d->notes = nn;
        d->capnotes = cap;
    }
    d->notes[d->nnotes++] = sym;
    d->slots[h] = (uint32_t)d->nnotes;
    return d->nnotes;
}

/* Appends the footnote marker of item ("  [1–3, 5]", in the note colour) to
 * b, numbering its sources; nothing when it has none or footnotes are off. */
static void marker(draw *d, sbuf *b, tg_side side, uint32_t item)
{
    const tg_pval *v;
    const tg_pval *items;
    size_t n, i, k = 0, nums_small[16], *nums = nums_small;

    if (!d->o->footnotes || !d->k_sources)
        return;
    v = tg_graph_prop(d->g, side, item, d->k_sources);
    if (!v)
        return;
    if (v->type == TG_V_STRING) {
        items = v;
        n = 1;
    } else if (v->type == TG_V_LIST && v->elem == TG_V_STRING) {
        items = tg_graph_list(d->g, v);
        n = v->len;
    } else {
        return;
    }
    if (n == 0)
        return;
    if (n > sizeof nums_small / sizeof nums_small[0] && !(nums = malloc(n * sizeof *nums))) {
        d->oom = 1;
        return;
    }
    for (i = 0; i < n; i++) {
        size_t num = note_number(d, items[i].u.s);
        if (!num) {
            d->oom = 1;
            goto done;
        }
        nums[k++] = num;
    }
    /* sort the numbers (few) and print runs of three or more as ranges */
    for (i = 1; i < k; i++) {
        size_t x = nums[i], j = i;
        while (j > 0 && nums[j - 1] > x) {
            nums[j] = nums[j - 1];
            j--;
        }
        nums[j] = x;
    }
    /* The gap goes before the font change: in SVG the marker is its own
     * <text> at an absolute x, and viewers drop leading blanks. */
    if (b->len)
        sb_puts(b, "&#160;&#160;");
    sb_printf(b, "<FONT POINT-SIZE=\"%s\" COLOR=\"%s\">[", d->theme.graph.note_fontsize,
              d->theme.graph.note_fontcolor);
    for (i = 0; i < k;) {
        size_t j = i;
        while (j + 1 < k && nums[j + 1] <= nums[j] + 1)
            j++;
        if (i)
            sb_puts(b, ", ");
        if (nums[j] >= nums[i] + 2)
            sb_printf(b, "%zu\xE2\x80\x93%zu", nums[i], nums[j]); /* en dash */
        else if (nums[j] == nums[i] + 1)
            sb_printf(b, "%zu, %zu", nums[i], nums[j]);
        else
            sb_printf(b, "%zu", nums[i]);
        i = j + 1;
    }
    sb_puts(b, "]</FONT>");
done:
    if (nums != nums_small)
        free(nums);
}

/* A source's field by key name, or NULL. */
static const char *source_field(const tg_graph *g, uint32_t src, const char *key)
{
    const tg_source_field *f;
    size_t n = tg_graph_source_fields(g, src, &f), i;
    tg_sym k = sym_of(g, key);

    for (i = 0; k && i < n; i++)
        if (f[i].key == k)
            return tg_graph_str(g, f[i].value, NULL);
    return NULL;
}

/* "ASPI" out of "Australian Strategic Policy Institute (ASPI), ...": a
 * bracketed acronym keeps footnotes short; else the whole publisher. */
static void short_publisher(sbuf *b, const char *pub)
{
    const char *p;

    for (p = strchr(pub, '('); p; p = strchr(p + 1, '(')) {
        size_t n = 0;
        while (p[1 + n] && ((p[1 + n] >= 'A' && p[1 + n] <= 'Z') || p[1 + n] == '&'))
            n++;
        if (n >= 2 && n <= 10 && p[1 + n] == ')') {
            html_text(b, p + 1, n, 0);
            return;
        }
    }
    html_text(b, pub, strlen(pub), 0);
}

/* The source record a footnote string cites (the part before '#'), or
 * TG_NONE. */
static uint32_t note_source(const draw *d, size_t k, const char **s, size_t *len)
{
    const char *hash;

    *s = tg_graph_str(d->g, d->notes[k], len);
    hash = memchr(*s, '#', *len);
    return tg_graph_find_source(d->g, tg_graph_sym(d->g, *s, hash ? (size_t)(hash - *s) : *len));
}

/* " — Title (Publisher, Year)" of a source record. */
static void reference(const draw *d, sbuf *b, uint32_t src)
{
    const char *title = source_field(d->g, src, "title");
    const char *pub = source_field(d->g, src, "publisher");
    const char *date = source_field(d->g, src, "date");
    int has_pub = pub && *pub, has_year = date && strlen(date) >= 4;

    if (title && *title) {
        sb_puts(b, " \xE2\x80\x94 "); /* em dash */
        html_text(b, title, strlen(title), 0);
    }
    if (has_pub || has_year) {
        sb_puts(b, " (");
        if (has_pub)
            short_publisher(b, pub);
        if (has_pub && has_year)
            sb_puts(b, ", ");
        if (has_year)
            html_text(b, date, 4, 0);
        sb_puts(b, ")");
    }
}

/* Up to this many footnotes, each line names its source in full:
 * "[1] aspi-2019#72 — Mapping China's Tech Giants (ASPI, 2019)". Beyond,
 * the footnotes go in a grid ("[1] aspi-2019#72") and each source record
 * cited is named once below it, so that a diagram with eighty notes does
 * not carry eighty copies of the same title. */
#define FULL_NOTES 12

/* The footnote block as an HTML-like table. */
static void footnote_table(draw *d, sbuf *b)
{
    size_t ncols = d->nnotes <= FULL_NOTES ? 1 : d->nnotes > 60 ? 8 : 6;
    size_t nrows = (d->nnotes + ncols - 1) / ncols, r, c, k, j, nseen = 0;
    uint32_t *seen = NULL;

    sb_printf(b,
              "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">"
              "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"%zu\"><FONT "
              "POINT-SIZE=\"%s\"><B>Sources</B></FONT></TD></TR>",
              ncols, d->theme.graph.fontsize);
    for (r = 0; r < nrows; r++) {
        sb_puts(b, "<TR>");
        for (c = 0; c < ncols; c++) {
            size_t blen;
            const char *s;
            uint32_t src;
            k = c * nrows + r;
            if (k >= d->nnotes) {
                sb_puts(b, "<TD></TD>");
                continue;
            }
            src = note_source(d, k, &s, &blen);
            sb_printf(b, "<TD ALIGN=\"LEFT\">[%zu] ", k + 1);
            html_text(b, s, blen, 0);
            if (ncols == 1 && src != TG_NONE)
                reference(d, b, src);
            sb_puts(b, c + 1 < ncols ? "&#160;&#160;&#160;</TD>" : "</TD>");
        }
        sb_puts(b, "</TR>");
    }
    if (ncols == 1)
        goto done;
    /* each record cited, once, in order of first citation (records are
     * few: a linear look-up in the ones seen) */
    seen = malloc(d->nnotes * sizeof *seen);
    if (!seen) {
        b->oom = 1;
        goto done;
    }
    for (k = 0; k < d->nnotes; k++) {
        size_t blen;
        const char *s;
        uint32_t src = note_source(d, k, &s, &blen);
        if (src == TG_NONE)
            continue;
        for (j = 0; j < nseen && seen[j] != src; j++)
            ;
        if (j < nseen)
            continue;
        seen[nseen++] = src;
        sb_printf(b, "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"%zu\">", ncols);
        s = tg_graph_str(d->g, tg_graph_source_id(d->g, src), &blen);
        html_text(b, s, blen, 0);
        reference(d, b, src);
        sb_puts(b, "</TD></TR>");
    }
done:
    free(seen);
    sb_puts(b, "</TABLE>");
}

/* ---- styles ------------------------------------------------------------------- */

/* The theme style an entity is drawn with; *legend_name gets the name the
 * legend shows for it (a theme label, or its first label by name). */
static const tg_i_viz_style *entity_style(draw *d, tg_ent e, const char **legend_name,
                                          size_t *theme_index)
{
    const tg_sym *labels;
    size_t n = tg_graph_labels(d->g, e, &labels), i;
    const char *best = NULL;

    for (i = 0; i < d->theme.nlabels; i++)
        if (d->label_syms[i] && tg_graph_has_label(d->g, e, d->label_syms[i])) {
            *legend_name = d->theme.labels[i].name;
            *theme_index = i;
            return &d->theme.labels[i];
        }
    for (i = 0; i < n; i++) {
        const char *name = tg_graph_str(d->g, labels[i], NULL);
        if (!best || strcmp(name, best) < 0)
            best = name;
    }
    *legend_name = best ? best : "(no label)";
    *theme_index = TG_I_VIZ_STYLES_MAX;
    return &d->theme.other_label;
}

static const tg_i_viz_style *type_style(draw *d, const char *type, size_t *theme_index)
{
    size_t i;

    for (i = 0; i < d->theme.ntypes; i++)
        if (!strcmp(d->theme.types[i].name, type)) {
            *theme_index = i;
            return &d->theme.types[i];
        }
    *theme_index = TG_I_VIZ_STYLES_MAX;
    return &d->theme.other_type;
}

/* #RRGGBB darkened by a third, for highlighted paths; other colours as
 * they are. */
static void darker(const char *color, char *out, size_t cap)
{
    unsigned r, g, b;

    if (strlen(color) == 7 && color[0] == '#' && sscanf(color + 1, "%2x%2x%2x", &r, &g, &b) == 3)
        snprintf(out, cap, "#%02X%02X%02X", r * 2 / 3, g * 2 / 3, b * 2 / 3);
    else
        snprintf(out, cap, "%s", color);
}

/* ---- attributes through cgraph ------------------------------------------------ */

/* Sets attribute name of obj to value when value is not empty. The
 * attribute must have been declared on the root graph. */
static void set_attr(void *obj, const char *name, const char *value)
{
    if (value && value[0])
        agsafeset(obj, (char *)name, (char *)value, "");
}

/* Sets an HTML-like label: agstrdup_html marks the string as HTML in the
 * graph's string pool, agxset then keeps the mark. */
static int set_html(draw *d, void *obj, const char *html)
{
    Agsym_t *sym = agattr(d->root, AGTYPE(obj), "label", NULL);
    char *h;

    if (!sym)
        return -1;
    h = agstrdup_html(d->root, (char *)html);
    if (!h)
        return -1;
    agxset(obj, sym, h);
    agstrfree(d->root, h);
    return 0;
}

static void declare_defaults(draw *d)
{
    Agraph_t *g = d->root;
    const tg_i_viz_graph_style *gs = &d->theme.graph;
    int dot = !strcmp(d->layout, "dot");

    /* "label" first: gvContext() declares it on the prototype graph, and a
     * fixed order keeps the DOT the same with or without a context. */
    agattr(g, AGNODE, "label", "\\N");
    agattr(g, AGRAPH, "label", "");
    agattr(g, AGEDGE, "label", "");
    agattr(g, AGRAPH, "layout", (char *)d->layout);
    agattr(g, AGRAPH, "rankdir", (char *)d->rankdir);
    agattr(g, AGRAPH, "charset", "UTF-8");
    agattr(g, AGRAPH, "fontname", (char *)gs->fontname);
    agattr(g, AGRAPH, "fontsize", (char *)gs->title_fontsize);
    agattr(g, AGRAPH, "fontcolor", (char *)gs->fontcolor);
    agattr(g, AGRAPH, "bgcolor", (char *)gs->bgcolor);
    agattr(g, AGRAPH, "pad", (char *)gs->pad);
    agattr(g, AGRAPH, "nodesep", (char *)gs->nodesep);
    agattr(g, AGRAPH, "ranksep", (char *)gs->ranksep);
    agattr(g, AGRAPH, "labelloc", "t");
    agattr(g, AGRAPH, "labeljust", "c");
    agattr(g, AGRAPH, "outputorder", "edgesfirst");
    agattr(g, AGRAPH, "style", "");
    agattr(g, AGRAPH, "color", "");
    agattr(g, AGRAPH, "fillcolor", "");
    agattr(g, AGRAPH, "rank", "");
    /* dot's classic ranking, not newrank: with newrank a rank=sink
     * subgraph no longer goes to the last rank, and the legend would float
     * to the top. */
    if (!dot) {
        agattr(g, AGRAPH, "overlap", "false");
        agattr(g, AGRAPH, "splines", "true");
        agattr(g, AGRAPH, "sep", "+8");
    }

    agattr(g, AGNODE, "fontname", (char *)gs->fontname);
    agattr(g, AGNODE, "fontsize", (char *)gs->fontsize);
    agattr(g, AGNODE, "fontcolor", (char *)gs->fontcolor);
    agattr(g, AGNODE, "shape", "box");
    agattr(g, AGNODE, "style", "filled");
    agattr(g, AGNODE, "fillcolor", (char *)d->theme.other_label.fillcolor);
    agattr(g, AGNODE, "color", (char *)d->theme.other_label.color);
    agattr(g, AGNODE, "penwidth", "1");
    agattr(g, AGNODE, "peripheries", "1");
    agattr(g, AGNODE, "margin", "0.1,0.05");

    agattr(g, AGEDGE, "fontname", (char *)gs->fontname);
    agattr(g, AGEDGE, "fontsize", (char *)gs->edge_fontsize);
    agattr(g, AGEDGE, "fontcolor", (char *)gs->edge_fontcolor);
    agattr(g, AGEDGE, "color", (char *)d->theme.other_type.color);
    agattr(g, AGEDGE, "style", "solid");
    agattr(g, AGEDGE, "arrowhead", "normal");
    agattr(g, AGEDGE, "arrowsize", "0.7");
    agattr(g, AGEDGE, "penwidth", (char *)gs->penwidth);
    if (dot)
        agattr(g, AGEDGE, "minlen", "1");
}

/* ---- clusters ----------------------------------------------------------------- */

/* The cluster value of e as text in buf, or NULL when it has none. */
static const char *cluster_value(draw *d, tg_ent e, char *buf, size_t cap, size_t *len)
{
    const tg_pval *v;

    if (!d->k_cluster || !(v = tg_graph_prop(d->g, TG_ENTITY, e, d->k_cluster)))
        return NULL;
    if (v->type == TG_V_STRING)
        return tg_graph_str(d->g, v->u.s, len);
    if (v->type == TG_V_INT) {
        *len = (size_t)snprintf(buf, cap, "%lld", (long long)v->u.i);
        return buf;
    }
    if (v->type == TG_V_BOOL) {
        *len = (size_t)snprintf(buf, cap, "%s", v->u.b ? "true" : "false");
        return buf;
    }
    return NULL;
}

typedef struct cluster {
    const char *value; /* borrowed or in an arena of keys below */
    size_t len;
    Agraph_t *sub;
} cluster;

static int cmp_cluster(const void *a, const void *b)
{
    const cluster *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->value, y->value, n);

    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* The Country entities that have an iso2 and a name, in index order, in
 * *out (owned by the caller: free()); returns how many, or (size_t)-1 when
 * out of memory. One scan of the entities. */
static size_t countries(draw *d, tg_ent **out)
{
    size_t ne = tg_graph_entity_count(d->g), n = 0;
    tg_ent e, *v = NULL;

    *out = NULL;
    if (!d->l_country || !d->k_iso2 || !d->k_name)
        return 0;
    for (e = 0; e < ne; e++) {
        const tg_pval *iso, *name;
        tg_ent *nv;
        if (!tg_graph_has_label(d->g, e, d->l_country))
            continue;
        iso = tg_graph_prop(d->g, TG_ENTITY, e, d->k_iso2);
        name = tg_graph_prop(d->g, TG_ENTITY, e, d->k_name);
        if (!iso || iso->type != TG_V_STRING || !name || name->type != TG_V_STRING)
            continue;
        nv = realloc(v, (n + 1) * sizeof *v);
        if (!nv) {
            free(v);
            return (size_t)-1;
        }
        v = nv;
        v[n++] = e;
    }
    *out = v;
    return n;
}

/* The name of the first of the Country entities cs[0..n) whose iso2 is
 * value[0..len), or NULL. */
static const char *country_name(draw *d, const tg_ent *cs, size_t n, const char *value, size_t len,
                                size_t *name_len)
{
    size_t i;

    for (i = 0; i < n; i++) {
        size_t ilen;
        const char *iso =
            tg_graph_str(d->g, tg_graph_prop(d->g, TG_ENTITY, cs[i], d->k_iso2)->u.s, &ilen);
        if (ilen == len && !memcmp(iso, value, len))
            return tg_graph_str(d->g, tg_graph_prop(d->g, TG_ENTITY, cs[i], d->k_name)->u.s,
                                name_len);
    }
    return NULL;
}

/* ---- building ----------------------------------------------------------------- */

/* Formats a number for an edge label: 500000000 -> "500m", 1.2e9 -> "1.2bn". */
static void human_amount(sbuf *b, double v)
{
    static const struct {
        double unit;
        const char *suffix;
    } units[] = {{1e12, "tn"}, {1e9, "bn"}, {1e6, "m"}, {1e3, "k"}};
    double a = v < 0 ? -v : v;
    size_t i;

    for (i = 0; i < sizeof units / sizeof units[0]; i++)
        if (a >= units[i].unit * 0.9995) {
            sb_printf(b, "%.3g%s", v / units[i].unit, units[i].suffix);
            return;
        }
    sb_printf(b, "%.3g", v);
}

static int pval_number(const tg_pval *v, double *out)
{
    if (v && v->type == TG_V_INT) {
        *out = (double)v->u.i;
        return 1;
    }
    if (v && v->type == TG_V_FLOAT) {
        *out = v->u.f;
        return 1;
    }
    return 0;
}

/* The detail line of a relation: "USD 500m, 51%, 2015" (parts it has). */
static void edge_detail(draw *d, sbuf *b, tg_rel r)
{
    const tg_pval *cur = d->k_currency ? tg_graph_prop(d->g, TG_RELATION, r, d->k_currency) : NULL;
    const tg_pval *year = d->k_year ? tg_graph_prop(d->g, TG_RELATION, r, d->k_year) : NULL;
    double x;
    size_t start = b->len;

    if (d->k_amount && pval_number(tg_graph_prop(d->g, TG_RELATION, r, d->k_amount), &x)) {
        if (cur && cur->type == TG_V_STRING) {
            size_t n;
            const char *s = tg_graph_str(d->g, cur->u.s, &n);
            html_text(b, s, n, 0);
            sb_puts(b, " ");
        }
        human_amount(b, x);
    }
    if (d->k_share && pval_number(tg_graph_prop(d->g, TG_RELATION, r, d->k_share), &x)) {
        sb_puts(b, b->len > start ? ", " : "");
        sb_printf(b, "%.3g%%", x <= 1.0 ? x * 100 : x);
    }
    if (year && (year->type == TG_V_INT || year->type == TG_V_STRING)) {
        sb_puts(b, b->len > start ? ", " : "");
        if (year->type == TG_V_INT) {
            sb_printf(b, "%lld", (long long)year->u.i);
        } else {
            size_t n;
            const char *s = tg_graph_str(d->g, year->u.s, &n);
            html_text(b, s, n, 0);
        }
    }
}

static tg_status add_nodes(draw *d, tg_error *err)
{
    cluster *cl = NULL;
    size_t ncl = 0, i, j;
    char numbuf[32];
    char *vals = NULL; /* texts of non-string cluster values, 32 bytes each */
    tg_ent *cs = NULL; /* Country entities, to name the clusters */
    size_t ncs = 0;
    sbuf label = {0}, wrapped = {0};
    tg_status st = TG_OK;

    if (d->k_cluster) {
        cl = calloc(d->nents + 1, sizeof *cl);
        vals = malloc((d->nents + 1) * 32);
        if (!cl || !vals)
            goto oom;
        for (i = 0; i < d->nents; i++) {
            size_t len;
            const char *v = cluster_value(d, d->ents[i].e, numbuf, sizeof numbuf, &len);
            if (!v)
                continue;
            if (v == numbuf) {
                memcpy(vals + 32 * ncl, numbuf, 32);
                v = vals + 32 * ncl;
            }
            cl[ncl].value = v;
            cl[ncl++].len = len;
        }
        qsort(cl, ncl, sizeof *cl, cmp_cluster);
        for (i = 0, j = 0; i < ncl; i++)
            if (j == 0 || cmp_cluster(&cl[i], &cl[j - 1]))
                cl[j++] = cl[i];
        ncl = j;
        d->nclusters = ncl;
        if (ncl && (ncs = countries(d, &cs)) == (size_t)-1)
            goto oom;
        for (i = 0; i < ncl; i++) {
            char name[48];
            size_t nlen;
            const char *cname = country_name(d, cs, ncs, cl[i].value, cl[i].len, &nlen);
            snprintf(name, sizeof name, "cluster_%zu", i);
            cl[i].sub = agsubg(d->root, name, 1);
            if (!cl[i].sub)
                goto gv;
            label.len = 0;
            sb_printf(&label, "<FONT POINT-SIZE=\"%s\"><B>", d->theme.graph.fontsize);
            if (cname)
                html_text(&label, cname, nlen, 0);
            else
                html_text(&label, cl[i].value, cl[i].len, 0);
            sb_puts(&label, "</B></FONT>");
            if (label.oom)
                goto oom;
            if (set_html(d, cl[i].sub, label.s) != 0)
                goto gv;
            set_attr(cl[i].sub, "style", "rounded,filled");
            set_attr(cl[i].sub, "color", d->theme.graph.cluster_color);
            set_attr(cl[i].sub, "fillcolor", d->theme.graph.cluster_fillcolor);
            set_attr(cl[i].sub, "labeljust", "l");
        }
    }
    for (i = 0; i < d->nents; i++) {
        tg_ent e = d->ents[i].e;
        Agraph_t *where = d->root;
        Agnode_t *n;
        char name[32];
        const char *legend_name, *text = d->ents[i].id;
        size_t tlen = d->ents[i].len, ti;
        const tg_i_viz_style *s = entity_style(d, e, &legend_name, &ti);
        const tg_pval *nm = d->k_name ? tg_graph_prop(d->g, TG_ENTITY, e, d->k_name) : NULL;

        if (ti < TG_I_VIZ_STYLES_MAX) {
            d->label_used[ti] = 1;
        } else {
            const char **nl = realloc(d->other_labels, (d->nother_labels + 1) * sizeof *nl);
            if (!nl)
                goto oom;
            d->other_labels = nl;
            nl[d->nother_labels++] = legend_name;
        }
        if (d->k_cluster) {
            size_t len;
            cluster key = {NULL, 0, NULL};
            const cluster *found;
            key.value = cluster_value(d, e, numbuf, sizeof numbuf, &len);
            key.len = len;
            if (key.value && (found = bsearch(&key, cl, ncl, sizeof *cl, cmp_cluster)))
                where = found->sub;
        }
        snprintf(name, sizeof name, "e%u", (unsigned)e);
        n = agnode(where, name, 1);
        if (!n)
            goto gv;
        if (nm && nm->type == TG_V_STRING && nm->u.s) /* an empty name: the id */
            text = tg_graph_str(d->g, nm->u.s, &tlen);
        wrapped.len = 0;
        label.len = 0;
        wrap_text(&wrapped, text, tlen, d->wrap);
        html_text(&label, wrapped.s ? wrapped.s : "", wrapped.len, 1);
        if (!label.len)
            sb_puts(&label, " "); /* an empty HTML label would be a syntax error */
        marker(d, &label, TG_ENTITY, e);
        if (label.oom || wrapped.oom || d->oom)
            goto oom;
        if (set_html(d, n, label.s) != 0)
            goto gv;
        set_attr(n, "shape", s->shape);
        set_attr(n, "style", s->style);
        set_attr(n, "fillcolor", s->fillcolor);
        set_attr(n, "color", s->color);
        set_attr(n, "fontcolor", s->fontcolor);
        set_attr(n, "penwidth", s->penwidth);
        set_attr(n, "peripheries", s->peripheries);
    }
    goto done;
oom:
    st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    goto done;
gv:
    st = gv_build_error(err);
done:
    free(label.s);
    free(wrapped.s);
    free(cl);
    free(vals);
    free(cs);
    return st;
}

static tg_status add_edges(draw *d, tg_error *err)
{
    sbuf label = {0};
    size_t i;
    tg_status st = TG_OK;

    for (i = 0; i < d->nrels; i++) {
        tg_rel r = d->rels[i];
        char from[32], to[32], color[TG_I_VIZ_VALUE_MAX];
        Agnode_t *t, *h;
        Agedge_t *ed;
        size_t tn, ti;
        const char *type = tg_graph_str(d->g, tg_graph_rel_type(d->g, r), &tn);
        const tg_i_viz_style *s = type_style(d, type, &ti);
        /* Emphasis is relative: when every relation of a dense diagram is
         * on a path, none is drawn heavier. */
        int hl = contains(d->hl, d->nhl, r) && !(d->dense && d->nhl == d->nrels);

        if (ti < TG_I_VIZ_STYLES_MAX) {
            d->type_used[ti] = 1;
        } else {
            const char **nt = realloc(d->other_types, (d->nother_types + 1) * sizeof *nt);
            if (!nt)
                goto oom;
            d->other_types = nt;
            nt[d->nother_types++] = type;
        }
        snprintf(from, sizeof from, "e%u", (unsigned)tg_graph_rel_from(d->g, r));
        snprintf(to, sizeof to, "e%u", (unsigned)tg_graph_rel_to(d->g, r));
        t = agnode(d->root, from, 0);
        h = agnode(d->root, to, 0);
        ed = t && h ? agedge(d->root, t, h, NULL, 1) : NULL;
        if (!ed)
            goto gv;
        label.len = 0;
        if (!d->dense) {
            size_t before;
            html_text(&label, type, tn, 0);
            before = label.len;
            sb_puts(&label, "<BR/>");
            edge_detail(d, &label, r);
            if (label.len == before + 5) { /* no details: drop the break */
                label.len = before;
                label.s[before] = '\0';
            }
        } else {
            edge_detail(d, &label, r);
        }
        marker(d, &label, TG_RELATION, r);
        if (label.oom || d->oom)
            goto oom;
        if (label.len && set_html(d, ed, label.s) != 0)
            goto gv;
        if (!strcmp(d->layout, "dot")) {
            size_t a = ent_pos(d, tg_graph_rel_from(d->g, r)),
                   b = ent_pos(d, tg_graph_rel_to(d->g, r));
            size_t hub = d->deg[a] == 1 ? b : a, leaf = hub == a ? b : a;
            if (d->deg[leaf] == 1 && d->deg[hub] > 1 && d->leaves[hub] >= STAGGER_LEAVES) {
                static const char *const minlen[] = {"1", "2", "3"};
                set_attr(ed, "minlen", minlen[d->stagger[hub]++ % 3]);
            }
        }
        set_attr(ed, "style", s->style);
        set_attr(ed, "arrowhead", s->arrowhead);
        set_attr(ed, "fontcolor", s->fontcolor);
        if (hl) {
            darker(s->color, color, sizeof color);
            set_attr(ed, "color", color);
            set_attr(ed, "penwidth", d->theme.graph.highlight_penwidth);
        } else {
            set_attr(ed, "color", s->color);
            set_attr(ed, "penwidth", s->penwidth);
        }
    }
    goto done;
oom:
    st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    goto done;
gv:
    st = gv_build_error(err);
done:
    free(label.s);
    return st;
}

/* The line sample of a type in the legend: its colour and dash pattern. */
static void legend_line(sbuf *b, const tg_i_viz_style *s, const char *fallback_color)
{
    const char *line = "\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80\xE2\x94\x80"; /* ──── */
    const char *head = strcmp(s->arrowhead, "none") == 0  ? ""
                       : strcmp(s->arrowhead, "tee") == 0 ? "\xE2\x94\xA4"  /* ┤ */
                                                          : "\xE2\x96\xB6"; /* ▶ */

    if (strstr(s->style, "dashed"))
        line = "\xE2\x95\x8C\xE2\x95\x8C\xE2\x95\x8C\xE2\x95\x8C"; /* ╌╌╌╌ */
    else if (strstr(s->style, "dotted"))
        line = "\xE2\x94\x88\xE2\x94\x88\xE2\x94\x88\xE2\x94\x88"; /* ┈┈┈┈ */
    else if (strstr(s->style, "bold"))
        line = "\xE2\x94\x81\xE2\x94\x81\xE2\x94\x81\xE2\x94\x81"; /* ━━━━ */
    sb_printf(b, "<TD ALIGN=\"RIGHT\"><FONT COLOR=\"%s\">%s%s</FONT></TD>",
              s->color[0] ? s->color : fallback_color, line, head);
}

/* The legend: the labels and the relation types drawn, in theme order
 * (then the unknown ones by name), in two pairs of columns. */
static void legend_table(draw *d, sbuf *b)
{
    const tg_i_viz_style *ls[2 * TG_I_VIZ_STYLES_MAX], *ts[2 * TG_I_VIZ_STYLES_MAX];
    const char *lnames[2 * TG_I_VIZ_STYLES_MAX], *tnames[2 * TG_I_VIZ_STYLES_MAX];
    size_t nl = 0, nt = 0, i, rows;

    for (i = 0; i < d->theme.nlabels; i++)
        if (d->label_used[i]) {
            ls[nl] = &d->theme.labels[i];
            lnames[nl++] = d->theme.labels[i].name;
        }
    for (i = 0; i < d->nother_labels && nl < 2 * TG_I_VIZ_STYLES_MAX; i++) {
        ls[nl] = &d->theme.other_label;
        lnames[nl++] = d->other_labels[i];
    }
    for (i = 0; i < d->theme.ntypes; i++)
        if (d->type_used[i]) {
            ts[nt] = &d->theme.types[i];
            tnames[nt++] = d->theme.types[i].name;
        }
    for (i = 0; i < d->nother_types && nt < 2 * TG_I_VIZ_STYLES_MAX; i++) {
        ts[nt] = &d->theme.other_type;
        tnames[nt++] = d->other_types[i];
    }
    rows = nl > nt ? nl : nt;
    sb_printf(b,
              "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"2\">"
              "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"5\"><FONT "
              "POINT-SIZE=\"%s\"><B>Legend</B></FONT></TD></TR>",
              d->theme.graph.fontsize);
    for (i = 0; i < rows; i++) {
        sb_puts(b, "<TR>");
        if (i < nl) {
            sb_printf(
                b,
                "<TD BGCOLOR=\"%s\" COLOR=\"%s\" BORDER=\"1\" FIXEDSIZE=\"TRUE\" WIDTH=\"22\" "
                "HEIGHT=\"12\"></TD><TD ALIGN=\"LEFT\">",
                ls[i]->fillcolor[0] ? ls[i]->fillcolor : d->theme.other_label.fillcolor,
                ls[i]->color[0] ? ls[i]->color : d->theme.other_label.color);
            html_text(b, lnames[i], strlen(lnames[i]), 0);
            sb_puts(b, "</TD>");
        } else {
            sb_puts(b, "<TD></TD><TD></TD>");
        }
        sb_puts(b, "<TD WIDTH=\"12\"></TD>");
        if (i < nt) {
            legend_line(b, ts[i], d->theme.other_type.color);
            sb_puts(b, "<TD ALIGN=\"LEFT\">");
            html_text(b, tnames[i], strlen(tnames[i]), 0);
            sb_puts(b, "</TD>");
        } else {
            sb_puts(b, "<TD></TD><TD></TD>");
        }
        sb_puts(b, "</TR>");
    }
    sb_puts(b, "</TABLE>");
}

/* One of the boxes on the last rank (legend, footnotes): an HTML-like table
 * filled by fill, in a plain box. Returns 0, -1 when out of memory, -2 when
 * graphviz refused. fontcolor may be NULL (the default). */
static int furniture_box(draw *d, Agraph_t *sink, const char *name,
                         void (*fill)(draw *, sbuf *), const char *fontcolor, sbuf *b)
{
    Agnode_t *n = agnode(sink, (char *)name, 1);

    b->len = 0;
    fill(d, b);
    if (b->oom)
        return -1;
    if (!n || set_html(d, n, b->s) != 0)
        return -2;
    set_attr(n, "shape", "box");
    set_attr(n, "style", "solid");
    set_attr(n, "color", d->theme.graph.cluster_color);
    set_attr(n, "fontsize", d->theme.graph.note_fontsize);
    if (fontcolor)
        set_attr(n, "fontcolor", fontcolor);
    set_attr(n, "margin", "0.05,0.03");
    return 0;
}

/* The title, the legend and the footnote block. */
static tg_status add_furniture(draw *d, tg_error *err)
{
    sbuf b = {0};
    Agraph_t *sink = NULL;
    tg_status st = TG_OK;

    if (d->o->title && d->o->title[0]) {
        sb_puts(&b, "<B>");
        html_text(&b, d->o->title, strlen(d->o->title), 1);
        sb_puts(&b, "</B>");
        if (b.oom)
            goto oom;
        if (set_html(d, d->root, b.s) != 0)
            goto gv;
    }
    d->nother_labels = sort_unique_str(d->other_labels, d->nother_labels);
    d->nother_types = sort_unique_str(d->other_types, d->nother_types);
    if ((d->o->legend && d->nents) || (d->o->footnotes && d->nnotes)) {
        /* Both blocks share the last rank (the bottom in TB, the right in LR). */
        sink = agsubg(d->root, "furniture", 1);
        if (!sink)
            goto gv;
        set_attr(sink, "rank", "sink");
    }
    if (d->o->legend && d->nents) {
        int rc = furniture_box(d, sink, "legend", legend_table, NULL, &b);
        if (rc == -1)
            goto oom;
        if (rc)
            goto gv;
    }
    if (d->o->footnotes && d->nnotes) {
        int rc = furniture_box(d, sink, "footnotes", footnote_table,
                               d->theme.graph.note_fontcolor, &b);
        if (rc == -1)
            goto oom;
        if (rc)
            goto gv;
    }
    goto done;
oom:
    st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    goto done;
gv:
    st = gv_build_error(err);
done:
    free(b.s);
    return st;
}

/* Builds the cgraph graph of the selection into d->root. */
static tg_status build(draw *d, const tg_viz_selection *s, const tg_viz_options *o, tg_error *err)
{
    tg_status st;

    if (!s || !s->g || !o) {
        st = tg_error_set(err, TG_EINVAL, NULL, 0, 0, "no selection, graph or options");
        goto done;
    }
    if ((st = draw_init(d, s, o, err)) != TG_OK || (st = collect(d, s, err)) != TG_OK)
        goto done;
    d->root = agopen("tiegraph", Agdirected, NULL);
    if (!d->root) {
        st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0, "graphviz could not create a graph: %s",
                          gv_message());
        goto done;
    }
    declare_defaults(d);
    if ((st = add_nodes(d, err)) == TG_OK && (st = add_edges(d, err)) == TG_OK)
        st = add_furniture(d, err);
done:
    return st;
}

/* ---- public ------------------------------------------------------------------- */

void tg_viz_options_init(tg_viz_options *o)
{
    memset(o, 0, sizeof *o);
    o->legend = 1;
    o->footnotes = 1;
}

/* Writes d->root as DOT into a malloc'ed buffer. */
static tg_status write_dot(draw *d, char **dot, size_t *len, tg_error *err)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    tg_status st = TG_OK;

    if (!f) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    if (agwrite(d->root, f) != 0)
        st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0, "graphviz could not write DOT: %s",
                          gv_message());
    if (fclose(f) != 0 && st == TG_OK)
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    if (st != TG_OK)
        goto done;
    *dot = buf;
    buf = NULL;
    if (len)
        *len = n;
done:
    free(buf);
    return st;
}

tg_status tg_viz_dot(const tg_viz_selection *s, const tg_viz_options *o, char **dot, size_t *len,
                     tg_error *err)
{
    draw d;
    agusererrf prev;
    tg_status st;

    memset(&d, 0, sizeof d);
    *dot = NULL;
    if (len)
        *len = 0;
    gv_len = 0;
    gv_msg[0] = '\0';
    prev = agseterrf(capture);
    st = build(&d, s, o, err);
    if (st == TG_OK)
        st = write_dot(&d, dot, len, err);
    draw_destroy(&d);
    agseterrf(prev);
    return st;
}

static GVC_t *the_gvc;

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

tg_status tg_viz_render_data(const tg_viz_selection *s, const tg_viz_options *o, const char *format,
                             char **out, size_t *len, tg_error *err)
{
    draw d;
    agusererrf prev = NULL;
    GVC_t *gvc = NULL;
    char *data = NULL;
    unsigned int n = 0;
    int laid = 0, installed = 0;
    tg_status st = TG_OK;

    memset(&d, 0, sizeof d);
    *out = NULL;
    if (len)
        *len = 0;
    if (!format || (strcmp(format, "svg") && strcmp(format, "png") && strcmp(format, "dot"))) {
        st = tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                          "unknown diagram format '%s'; expected svg, png or dot",
                          format ? format : "(none)");
        goto done;
    }
    if (!strcmp(format, "dot")) {
        st = tg_viz_dot(s, o, out, len, err);
        goto done;
    }
    gv_len = 0;
    gv_msg[0] = '\0';
    prev = agseterrf(capture);
    installed = 1;
    /* One context for the process: graphviz 2.42's pango plugin caches a
     * pointer to the last font name, which gvFreeContext frees, so a
     * second context would read freed memory. The context stays reachable
     * until exit (not a leak). */
    if (!the_gvc)
        the_gvc = gvContext();
    gvc = the_gvc;
    if (!gvc) {
        st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0, "graphviz could not start: %s",
                          gv_message());
        goto done;
    }
    if ((st = build(&d, s, o, err)) != TG_OK)
        goto done;
    if (!strcmp(format, "png"))
        agsafeset(d.root, "dpi", "144", ""); /* sharp enough for a printed page */
    if (gvLayout(gvc, d.root, d.layout) != 0) {
        st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0,
                          "graphviz could not lay out the diagram with %s: %s", d.layout,
                          gv_message());
        goto done;
    }
    laid = 1;
    if (gvRenderData(gvc, d.root, format, &data, &n) != 0 || !data) {
        st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0,
                          "graphviz could not render the diagram as %s: %s", format, gv_message());
        goto done;
    }
    *out = malloc((size_t)n + 1);
    if (!*out) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    memcpy(*out, data, n);
    (*out)[n] = '\0';
    if (len)
        *len = n;
done:
    if (data)
        gvFreeRenderData(data);
    /* Graphviz 2.42's dot frees some of its edge data twice when it cleans
     * up a layout with clusters and labelled edges between them. The
     * rendering is complete by then, so for clustered dot layouts the
     * layout data is left to leak (a few kilobytes a diagram; agclose
     * below still frees the graph itself). */
    if (laid && !(d.nclusters && !strcmp(d.layout, "dot")))
        gvFreeLayout(gvc, d.root);
    draw_destroy(&d);
    if (installed)
        agseterrf(prev);
    return st;
}

const char *tg_viz_format_of_path(const char *path)
{
    static const char *const formats[] = {"svg", "png", "dot"};
    const char *dot = path ? strrchr(path, '.') : NULL;
    size_t i, k;

    if (!dot || strchr(dot, '/'))
        return NULL;
    for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        for (k = 0; k < 3 && dot[1 + k] && (dot[1 + k] | 0x20) == formats[i][k]; k++)
            ;
        if (k == 3 && !dot[4])
            return formats[i];
    }
    return NULL;
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
