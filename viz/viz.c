/* viz.c — a selection of the graph as a graphviz graph (see viz.h): the
 * builder, and the DOT output. compose.c lays the graph out and renders it.
 *
 * Invariants the builder keeps:
 * - node names are "e<entity index>", subgraph names "cluster_<k>",
 *   "rank_<k>": no data from the graph ever becomes a DOT identifier; the
 *   SVG element ids are made from entity ids with every byte outside
 *   [A-Za-z0-9-] written as _XX (so they stay unique and stable);
 * - every label is HTML-like, and every text taken from the data goes into
 *   one through tg_i_viz_html_text() (text.c), and into a tooltip through
 *   tg_i_viz_plain_text(), so the DOT parses and the SVG is well-formed XML
 *   whatever the names hold. Only HTML strings are made with
 *   agstrdup_html, and plain attribute values hold data only in tooltips,
 *   never as HTML;
 * - theme values were validated by theme.c and are set as they are;
 * - nodes are created in the order of entity ids (bytes), edges in the order
 *   of relation indexes, subgraphs get ids in creation order (the
 *   discipline below), attributes are declared in a fixed order, and
 *   footnotes are numbered by first use in that order: the DOT is a
 *   function of the input alone, before and after any render.
 * - parallel ties that are one fact (the same type between the same two
 *   entities, in either direction, with no detail that differs) are drawn
 *   once, citing the sources of all of them.
 * Graphviz reports through a process-wide error function; each public call
 * installs a capturing one (agseterrf) and restores the previous one.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>

#include "temporal.h"
#include "viz.h"
#include "viz_draw.h"
#include "viz_internal.h"

typedef tg_i_viz_draw draw;
typedef tg_i_viz_ent_key ent_key;

/* ---- graphviz's messages ------------------------------------------------------ */

static char gv_msg[TG_ERROR_MSG_MAX];
static size_t gv_len;
static agusererrf gv_prev;
static int gv_depth;

/* The name of entity e as a string value: the property "name", or the
 * first of a list of names (FollowTheMoney gives names as lists); NULL when
 * it has none. */
static const tg_pval *name_of(const tg_i_viz_draw *d, tg_ent e)
{
    const tg_pval *v = d->k_name ? tg_graph_prop(d->g, TG_ENTITY, e, d->k_name) : NULL;

    if (v && v->type == TG_V_LIST && v->elem == TG_V_STRING && v->len > 0)
        return &tg_graph_list(d->g, v)[0];
    return v;
}

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

void tg_i_viz_capture_begin(void)
{
    if (gv_depth++ == 0) {
        gv_len = 0;
        gv_msg[0] = '\0';
        gv_prev = agseterrf(capture);
    }
}

void tg_i_viz_capture_end(void)
{
    if (gv_depth > 0 && --gv_depth == 0)
        agseterrf(gv_prev);
}

/* The captured text without its line breaks, for one-line error messages. */
const char *tg_i_viz_gv_message(void)
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
                        tg_i_viz_gv_message());
}

/* ---- subgraph ids in creation order ------------------------------------------ */

/* cgraph's default discipline makes a named object's id the address of its
 * pooled name, and keeps subgraphs ordered by id: clusters came out in the
 * order malloc placed their names, which changed between a Release and a
 * sanitizer build and after a render. Refusing to map subgraph names makes
 * cgraph give them anonymous ids (a counter: creation order) and keep the
 * names in its internal map, where agnameof finds them. */
static long sub_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
    /* the root graph is mapped while its own id is still 0: it keeps its
     * name the default way (an anonymous root would print as %<counter>) */
    if (objtype == AGRAPH && str && AGID((Agraph_t *)state) != 0)
        return 0;
    return AgIdDisc.map(state, objtype, str, id, createflag);
}

Agdisc_t *tg_i_viz_disc(void)
{
    static Agiddisc_t iddisc;
    static Agdisc_t disc;

    if (!disc.id) {
        iddisc = AgIdDisc;
        iddisc.map = sub_map;
        disc.mem = &AgMemDisc;
        disc.io = &AgIoDisc;
        disc.id = &iddisc;
    }
    return &disc;
}

/* ---- the drawing context ------------------------------------------------------ */

/* Above this many ties a diagram is a map, not a chart: edge labels keep
 * their amounts, years and markers but drop the type name (the colour and
 * the legend tell it), and the leaves of busy hubs are staggered over three
 * ranks (what graphviz's `unflatten -l 3` does) so that dot does not lay a
 * hundred nodes side by side. */
#define DENSE_RELATIONS 40
#define STAGGER_LEAVES 4
/* Names longer than this many lines of `graph.wrap` columns are cut with an
 * ellipsis; the tooltip keeps the whole name. */
#define NAME_LINES 3

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

void tg_i_viz_draw_destroy(tg_i_viz_draw *d)
{
    size_t i;

    free(d->byidx);
    free(d->deg);
    free(d->leaves);
    free(d->stagger);
    free((void *)d->group);
    free(d->ents);
    free(d->rels);
    free(d->walk);
    free(d->rep);
    free(d->hl);
    free(d->notes);
    free(d->slots);
    for (i = 0; i < d->nshared; i++)
        free(d->shared[i].marker);
    free(d->shared);
    free(d->other_labels);
    free(d->other_types);
    if (d->root)
        agclose(d->root);
    memset(d, 0, sizeof *d);
}

/* layout=auto: chains (every entity with at most two ties) read best as dot
 * LR; anything dot lays out within its measured limit, as dot; a big tree
 * with a busy hub as rings around it (twopi); the rest as sfdp, then osage
 * (the fastest), by the limits of docs/diagrams.md. */
static const char *auto_layout(const draw *d, const char **rankdir)
{
    size_t i, maxdeg = 0, hub = 0;
    const tg_i_viz_limit *dot = tg_i_viz_limit_of("dot");

    for (i = 0; i < d->nents; i++)
        if (d->deg[i] > maxdeg) {
            maxdeg = d->deg[i];
            hub = i;
        }
    (void)hub;
    if (d->nents > 1 && maxdeg <= 2 && d->nedges < d->nents) {
        if (!*rankdir)
            *rankdir = "LR";
        return "dot";
    }
    if (d->nents <= dot->entities && d->nedges <= dot->edges)
        return "dot";
    /* a big tree (no cycle) with a busy hub: rings around it */
    if (d->nedges + 1 == d->nents && maxdeg * 10 >= d->nents &&
        d->nents <= tg_i_viz_limit_of("twopi")->entities)
        return "twopi";
    if (d->nents <= tg_i_viz_limit_of("sfdp")->entities &&
        d->nedges <= tg_i_viz_limit_of("sfdp")->edges)
        return "sfdp";
    return "osage";
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
    d->layout = o->layout && strcmp(o->layout, "auto") ? o->layout : NULL;
    d->rankdir = o->rankdir;
    for (i = 0;
         d->layout && i < sizeof layouts / sizeof layouts[0] && strcmp(d->layout, layouts[i]); i++)
        ;
    if (d->layout && i == sizeof layouts / sizeof layouts[0]) {
        st = tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                          "unknown layout '%s'; expected auto, dot, neato, fdp, sfdp, circo, "
                          "twopi or osage",
                          d->layout);
        goto done;
    }
    for (i = 0;
         d->rankdir && i < sizeof rankdirs / sizeof rankdirs[0] && strcmp(d->rankdir, rankdirs[i]);
         i++)
        ;
    if (d->rankdir && i == sizeof rankdirs / sizeof rankdirs[0]) {
        st = tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                          "unknown rankdir '%s'; expected TB, LR, BT or RL", d->rankdir);
        goto done;
    }
    if (o->rank && o->rank[0] && strcmp(o->rank, "by-label")) {
        st = tg_error_set(err, TG_EINVAL, NULL, 0, 0, "unknown rank '%s'; expected by-label",
                          o->rank);
        goto done;
    }
    if (o->rank && o->rank[0] && o->cluster && o->cluster[0]) {
        st = tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                          "rank=by-label and cluster= cannot be combined: dot cannot put the "
                          "members of one cluster in different columns");
        goto done;
    }
    if (o->dpi < 0 || o->dpi > 1200) {
        st = tg_error_set(err, TG_EINVAL, NULL, 0, 0, "dpi %d is out of range; expected 36 to 1200",
                          o->dpi);
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
    d->k_deal = sym_of(d->g, "deal");
    d->k_iso2 = sym_of(d->g, "iso2");
    d->l_country = sym_of(d->g, "Country");
    d->k_cluster = o->cluster && o->cluster[0] ? sym_of(d->g, o->cluster) : 0;
    if (s->ent_group && !d->k_cluster)
        d->k_cluster = (tg_sym)-1; /* clusters from the selection, no property */
    for (i = 0; i < d->theme.nlabels; i++)
        d->label_syms[i] = sym_of(d->g, d->theme.labels[i].name);
done:
    return st;
}

/* ---- parallel ties that are one fact ------------------------------------------ */

static int pval_equal(const tg_graph *g, const tg_pval *a, const tg_pval *b)
{
    tg_temporal s, t;
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case TG_V_BOOL: return a->u.b == b->u.b;
    case TG_V_INT: return a->u.i == b->u.i;
    case TG_V_FLOAT: return a->u.f == b->u.f;
    case TG_V_STRING: return a->u.s == b->u.s;
    default:
        return tg_graph_temporal(g, a, &s) && tg_graph_temporal(g, b, &t) &&
               tg_time_cmp(&s, &t) == 0;
    }
}

typedef struct tdiff_ctx {
    const draw *d;
    tg_rel other;
    int differ;
} tdiff_ctx;

/* Stops at a temporal property of one relation that the other has with
 * another value. */
static int temporal_differs(void *ctx, tg_sym key, const tg_pval *v)
{
    tdiff_ctx *c = ctx;
    const tg_pval *w;
    if (!tg_time_is_kind(v->type))
        return 0;
    w = tg_graph_prop(c->d->g, TG_RELATION, c->other, key);
    if (w && !pval_equal(c->d->g, v, w))
        c->differ = 1;
    return c->differ;
}

/* Whether relations a and b say the same thing: no detail that both carry
 * differs (two loans in two years stay two ties), dates and durations
 * included. */
static int same_fact(const draw *d, tg_rel a, tg_rel b)
{
    const tg_sym keys[] = {d->k_amount, d->k_currency, d->k_year, d->k_share, d->k_deal};
    size_t i;

    for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const tg_pval *x, *y;
        if (!keys[i])
            continue;
        x = tg_graph_prop(d->g, TG_RELATION, a, keys[i]);
        y = tg_graph_prop(d->g, TG_RELATION, b, keys[i]);
        if (x && y && !pval_equal(d->g, x, y))
            return 0;
    }
    {
        tdiff_ctx c = {d, b, 0};
        tg_graph_each_prop(d->g, TG_RELATION, a, temporal_differs, &c);
        if (c.differ)
            return 0;
    }
    return 1;
}

typedef struct pkey {
    uint64_t type, lo, hi;
    uint32_t pos; /* in d->rels */
} pkey;

static int cmp_pkey(const void *a, const void *b)
{
    const pkey *x = a, *y = b;

    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    if (x->hi != y->hi)
        return x->hi < y->hi ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Fills d->rep: each relation points at the first relation (in index
 * order) of its type between the same two entities that states the same
 * fact, itself when there is none. O(E log E). */
static int merge_parallel(draw *d)
{
    pkey *k = malloc((d->nrels + 1) * sizeof *k);
    size_t i, j, start;

    d->rep = malloc((d->nrels + 1) * sizeof *d->rep);
    if (!k || !d->rep) {
        free(k);
        return -1;
    }
    for (i = 0; i < d->nrels; i++) {
        tg_ent a = tg_graph_rel_from(d->g, d->rels[i]), b = tg_graph_rel_to(d->g, d->rels[i]);
        k[i].type = tg_graph_rel_type(d->g, d->rels[i]);
        k[i].lo = a < b ? a : b;
        k[i].hi = a < b ? b : a;
        k[i].pos = (uint32_t)i;
        d->rep[i] = (uint32_t)i;
    }
    qsort(k, d->nrels, sizeof *k, cmp_pkey);
    for (start = 0; start < d->nrels; start = j) {
        for (j = start + 1; j < d->nrels && k[j].type == k[start].type && k[j].lo == k[start].lo &&
                            k[j].hi == k[start].hi;
             j++)
            ;
        /* within the group (ascending positions), join each to the first
         * earlier representative it agrees with, if it agrees with all its
         * members */
        for (i = start + 1; i < j; i++) {
            size_t r, m;
            for (r = start; r < i; r++) {
                int ok;
                if (d->rep[k[r].pos] != k[r].pos)
                    continue;
                ok = 1;
                for (m = start; m < i && ok; m++)
                    if (d->rep[k[m].pos] == k[r].pos &&
                        !same_fact(d, d->rels[k[m].pos], d->rels[k[i].pos]))
                        ok = 0;
                if (ok) {
                    d->rep[k[i].pos] = k[r].pos;
                    break;
                }
            }
        }
    }
    free(k);
    d->nedges = 0;
    for (i = 0; i < d->nrels; i++)
        d->nedges += d->rep[i] == i;
    return 0;
}

/* Gathers the entities and relations to draw, sorted and unique. */
static tg_status collect(draw *d, const tg_viz_selection *s, tg_error *err)
{
    size_t ne = tg_graph_entity_count(d->g), nr = tg_graph_relation_count(d->g);
    size_t i, n = 0, cap, nhl;
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
    for (i = 0; s->walk_from && i < s->nhighlight; i++)
        if (s->walk_from[i] != tg_graph_rel_from(d->g, s->highlight[i]) &&
            s->walk_from[i] != tg_graph_rel_to(d->g, s->highlight[i])) {
            st = tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                              "a path walks relation %u from entity %u, not one of its ends",
                              (unsigned)s->highlight[i], (unsigned)s->walk_from[i]);
            goto done;
        }
    d->rels = malloc((s->nrels + s->nhighlight + 1) * sizeof *d->rels);
    d->hl = malloc((s->nhighlight + 1) * sizeof *d->hl);
    cap = s->nents + 2 * (s->nrels + s->nhighlight) + 1;
    ents = malloc(cap * sizeof *ents);
    if (!d->rels || !d->hl || !ents)
        goto oom;
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
    /* the direction each path walks its relations (the first path wins) */
    d->walk = malloc((d->nrels + 1) * sizeof *d->walk);
    if (!d->walk)
        goto oom;
    for (i = 0; i < d->nrels; i++)
        d->walk[i] = TG_NONE;
    for (i = s->walk_from ? s->nhighlight : 0; i > 0; i--) {
        const tg_rel *p = bsearch(&s->highlight[i - 1], d->rels, d->nrels, sizeof *p, cmp_u32);
        if (p)
            d->walk[p - d->rels] = s->walk_from[i - 1];
    }
    if (merge_parallel(d) != 0)
        goto oom;
    for (i = 0; i < s->nents; i++)
        ents[n++] = s->ents[i];
    for (i = 0; i < d->nrels; i++) {
        ents[n++] = tg_graph_rel_from(d->g, d->rels[i]);
        ents[n++] = tg_graph_rel_to(d->g, d->rels[i]);
    }
    sort_unique(ents, &n);
    d->ents = malloc((n + 1) * sizeof *d->ents);
    if (!d->ents)
        goto oom;
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
    if (!d->deg || !d->leaves || !d->stagger)
        goto oom;
    if (s->ent_group) {
        d->group = calloc(n + 1, sizeof *d->group);
        if (!d->group)
            goto oom;
        for (i = s->nents; i > 0; i--) /* the first given wins */
            if (s->ent_group[i - 1])
                d->group[ent_pos(d, s->ents[i - 1])] = s->ent_group[i - 1];
    }
    for (i = 0; i < d->nrels; i++) {
        if (d->rep[i] != i)
            continue;
        d->deg[ent_pos(d, tg_graph_rel_from(d->g, d->rels[i]))]++;
        d->deg[ent_pos(d, tg_graph_rel_to(d->g, d->rels[i]))]++;
    }
    for (i = 0; i < d->nrels; i++) {
        size_t a = ent_pos(d, tg_graph_rel_from(d->g, d->rels[i]));
        size_t b = ent_pos(d, tg_graph_rel_to(d->g, d->rels[i]));
        if (d->rep[i] != i)
            continue;
        if (d->deg[a] == 1 && d->deg[b] > 1)
            d->leaves[b]++;
        else if (d->deg[b] == 1 && d->deg[a] > 1)
            d->leaves[a]++;
    }
    d->dense = d->nedges > DENSE_RELATIONS;
    /* Emphasis is relative: when every tie drawn is marked, none is. */
    {
        unsigned char *marked = calloc(d->nrels + 1, 1);
        if (!marked)
            goto oom;
        for (i = 0; i < d->nrels; i++)
            if (contains(d->hl, d->nhl, d->rels[i]))
                marked[d->rep[i]] = 1;
        for (nhl = 0, i = 0; i < d->nrels; i++)
            nhl += marked[i];
        free(marked);
    }
    d->hl_on = nhl > 0 && nhl < d->nedges;
    if (!d->layout)
        d->layout = auto_layout(d, &d->rankdir);
    if (!d->rankdir)
        d->rankdir = "TB";
    if (d->o->root && d->o->root[0]) {
        tg_ent e = tg_graph_find_entity(d->g, d->o->root, strlen(d->o->root));
        if (e == TG_NONE || !bsearch(&e, d->byidx, d->nents, sizeof e, cmp_u32)) {
            st = tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                              "root '%s' is not an entity of the diagram", d->o->root);
            goto done;
        }
        if (strcmp(d->layout, "twopi") && strcmp(d->layout, "circo")) {
            if (d->o->layout && strcmp(d->o->layout, "auto")) {
                st =
                    tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                                 "root= applies to the twopi and circo layouts, not %s", d->layout);
                goto done;
            }
            d->layout = "twopi";
        }
    }
    goto done;
oom:
    st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
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

/* The source strings an item cites, in *list; how many (0 for none or a
 * `sources` that is not a string or a list of strings). */
static size_t sources_of(draw *d, tg_side side, uint32_t item, const tg_pval **list)
{
    const tg_pval *v = d->k_sources ? tg_graph_prop(d->g, side, item, d->k_sources) : NULL;

    if (v && v->type == TG_V_STRING) {
        *list = v;
        return 1;
    }
    if (v && v->type == TG_V_LIST && v->elem == TG_V_STRING && v->len) {
        *list = tg_graph_list(d->g, v);
        return v->len;
    }
    return 0;
}

/* Appends the marker of the sources that items[0..nitems) of side cite
 * ("[1–3, 5]", numbering sources new to the diagram) to b: the bare marker
 * text, without font or gap. Nothing when they cite none or footnotes are
 * off. */
static void marker_text(draw *d, tg_i_viz_sbuf *b, tg_side side, const uint32_t *items,
                        size_t nitems)
{
    size_t n = 0, cap = 0, i, k, *nums = NULL;

    if (!d->o->footnotes || !d->k_sources)
        return;
    for (k = 0; k < nitems; k++) {
        const tg_pval *list;
        size_t len = sources_of(d, side, items[k], &list);
        for (i = 0; i < len; i++) {
            size_t num = note_number(d, list[i].u.s);
            if (!num) {
                d->oom = 1;
                goto done;
            }
            if (n == cap) {
                size_t *nn = realloc(nums, (cap = cap ? 2 * cap : 16) * sizeof *nn);
                if (!nn) {
                    d->oom = 1;
                    goto done;
                }
                nums = nn;
            }
            nums[n++] = num;
        }
    }
    if (n == 0)
        goto done;
    /* sort the numbers (few), drop repeats, print runs of three or more as
     * ranges */
    for (i = 1; i < n; i++) {
        size_t x = nums[i], j = i;
        while (j > 0 && nums[j - 1] > x) {
            nums[j] = nums[j - 1];
            j--;
        }
        nums[j] = x;
    }
    for (i = 1, k = 1; i < n; i++)
        if (nums[i] != nums[k - 1])
            nums[k++] = nums[i];
    n = k;
    tg_i_viz_sb_puts(b, "[");
    for (i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && nums[j + 1] == nums[j] + 1)
            j++;
        if (i)
            tg_i_viz_sb_puts(b, ", ");
        if (nums[j] >= nums[i] + 2)
            tg_i_viz_sb_printf(b, "%zu\xE2\x80\x93%zu", nums[i], nums[j]); /* en dash */
        else if (nums[j] == nums[i] + 1)
            tg_i_viz_sb_printf(b, "%zu, %zu", nums[i], nums[j]);
        else
            tg_i_viz_sb_printf(b, "%zu", nums[i]);
        i = j + 1;
    }
    tg_i_viz_sb_puts(b, "]");
done:
    free(nums);
}

/* Appends a marker's text to a label b, in the note font. The gap goes
 * before the font change: in SVG the marker is its own <text> at an
 * absolute x, and viewers drop leading blanks. */
static void put_marker(draw *d, tg_i_viz_sbuf *b, const char *mark)
{
    if (!mark || !mark[0])
        return;
    if (b->len)
        tg_i_viz_sb_puts(b, "&#160;&#160;");
    tg_i_viz_sb_printf(b, "<FONT POINT-SIZE=\"%s\" COLOR=\"%s\">%s</FONT>",
                       d->theme.graph.note_fontsize, d->theme.graph.note_fontcolor, mark);
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
static void short_publisher(tg_i_viz_sbuf *b, const char *pub)
{
    const char *p;

    for (p = strchr(pub, '('); p; p = strchr(p + 1, '(')) {
        size_t n = 0;
        while (p[1 + n] && ((p[1 + n] >= 'A' && p[1 + n] <= 'Z') || p[1 + n] == '&'))
            n++;
        if (n >= 2 && n <= 10 && p[1 + n] == ')') {
            tg_i_viz_html_text(b, p + 1, n, 0);
            return;
        }
    }
    tg_i_viz_html_text(b, pub, strlen(pub), 0);
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
static void reference(const draw *d, tg_i_viz_sbuf *b, uint32_t src)
{
    const char *title = source_field(d->g, src, "title");
    const char *pub = source_field(d->g, src, "publisher");
    const char *date = source_field(d->g, src, "date");
    int has_pub = pub && *pub, has_year = date && strlen(date) >= 4;

    if (title && *title) {
        tg_i_viz_sb_puts(b, " \xE2\x80\x94 "); /* em dash */
        tg_i_viz_html_text(b, title, strlen(title), 0);
    }
    if (has_pub || has_year) {
        tg_i_viz_sb_puts(b, " (");
        if (has_pub)
            short_publisher(b, pub);
        if (has_pub && has_year)
            tg_i_viz_sb_puts(b, ", ");
        if (has_year)
            tg_i_viz_html_text(b, date, 4, 0);
        tg_i_viz_sb_puts(b, ")");
    }
}

/* Up to this many footnotes, each line names its source in full:
 * "[1] aspi-2019#72 — Mapping China's Tech Giants (ASPI, 2019)". Beyond,
 * the footnotes go in a grid ("[1] aspi-2019#72") and each source record
 * cited is named once below it, so that a diagram with eighty notes does
 * not carry eighty copies of the same title. */
#define FULL_NOTES 12

void tg_i_viz_footnote_table(tg_i_viz_draw *d, tg_i_viz_sbuf *b)
{
    size_t ncols = d->nnotes <= FULL_NOTES ? 1 : d->nnotes > 60 ? 8 : 6;
    size_t nrows = (d->nnotes + ncols - 1) / ncols, r, c, k, j, nseen = 0;
    uint32_t *seen = NULL;

    if (!d->nnotes)
        return;
    tg_i_viz_sb_printf(b,
                       "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">"
                       "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"%zu\"><FONT "
                       "POINT-SIZE=\"%s\"><B>Sources</B></FONT></TD></TR>",
                       ncols, d->theme.graph.fontsize);
    /* markers shared by every tie of a type, said once */
    for (k = 0; k < d->nshared; k++) {
        size_t m, names = 0;
        for (m = 0; m < k && strcmp(d->shared[m].marker, d->shared[k].marker); m++)
            ;
        if (m < k) /* said with an earlier type */
            continue;
        tg_i_viz_sb_printf(b, "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"%zu\">all ", ncols);
        for (m = k; m < d->nshared; m++) {
            if (strcmp(d->shared[m].marker, d->shared[k].marker) || !d->shared[m].type)
                continue;
            tg_i_viz_sb_puts(b, names++ ? ", " : "");
            tg_i_viz_html_text(b, d->shared[m].type, strlen(d->shared[m].type), 0);
        }
        tg_i_viz_sb_printf(b, "%sties: %s</TD></TR>", names ? " " : "", d->shared[k].marker);
    }
    for (r = 0; r < nrows; r++) {
        tg_i_viz_sb_puts(b, "<TR>");
        for (c = 0; c < ncols; c++) {
            size_t blen;
            const char *s;
            uint32_t src;
            k = c * nrows + r;
            if (k >= d->nnotes) {
                tg_i_viz_sb_puts(b, "<TD></TD>");
                continue;
            }
            src = note_source(d, k, &s, &blen);
            tg_i_viz_sb_printf(b, "<TD ALIGN=\"LEFT\">[%zu] ", k + 1);
            tg_i_viz_html_text(b, s, blen, 0);
            if (ncols == 1 && src != TG_NONE)
                reference(d, b, src);
            tg_i_viz_sb_puts(b, c + 1 < ncols ? "&#160;&#160;&#160;</TD>" : "</TD>");
        }
        tg_i_viz_sb_puts(b, "</TR>");
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
        tg_i_viz_sb_printf(b, "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"%zu\">", ncols);
        s = tg_graph_str(d->g, tg_graph_source_id(d->g, src), &blen);
        tg_i_viz_html_text(b, s, blen, 0);
        reference(d, b, src);
        tg_i_viz_sb_puts(b, "</TD></TR>");
    }
done:
    free(seen);
    tg_i_viz_sb_puts(b, "</TABLE>");
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

/* The styles in use (theme order, then the unknown names): the legend. */
static size_t legend_entries(const tg_i_viz_style *list, size_t nlist, const unsigned char *used,
                             const tg_i_viz_style *other, const char *const *others, size_t nothers,
                             const tg_i_viz_style **styles, const char **names, size_t cap)
{
    size_t n = 0, i;

    for (i = 0; i < nlist && n < cap; i++)
        if (used[i]) {
            styles[n] = &list[i];
            names[n++] = list[i].name;
        }
    for (i = 0; i < nothers && n < cap; i++) {
        styles[n] = other;
        names[n++] = others[i];
    }
    return n;
}

size_t tg_i_viz_legend_labels(const tg_i_viz_draw *d, const tg_i_viz_style **styles,
                              const char **names, size_t cap)
{
    return legend_entries(d->theme.labels, d->theme.nlabels, d->label_used, &d->theme.other_label,
                          d->other_labels, d->nother_labels, styles, names, cap);
}

size_t tg_i_viz_legend_types(const tg_i_viz_draw *d, const tg_i_viz_style **styles,
                             const char **names, size_t cap)
{
    return legend_entries(d->theme.types, d->theme.ntypes, d->type_used, &d->theme.other_type,
                          d->other_types, d->nother_types, styles, names, cap);
}

/* #RRGGBB darkened by a third, for highlighted ties; other colours as they
 * are. */
static void darker(const char *color, char *out, size_t cap)
{
    unsigned r, g, b;

    if (strlen(color) == 7 && color[0] == '#' && sscanf(color + 1, "%2x%2x%2x", &r, &g, &b) == 3)
        snprintf(out, cap, "#%02X%02X%02X", r * 2 / 3, g * 2 / 3, b * 2 / 3);
    else
        snprintf(out, cap, "%s", color);
}

/* ---- attributes through cgraph ------------------------------------------------ */

void tg_i_viz_set_attr(void *obj, const char *name, const char *value)
{
    if (value && value[0])
        agsafeset(obj, (char *)name, (char *)value, "");
}

/* agstrdup_html marks the string as HTML in the graph's string pool, agxset
 * then keeps the mark. */
int tg_i_viz_set_html(Agraph_t *root, void *obj, const char *html)
{
    Agsym_t *sym = agattr(root, AGTYPE(obj), "label", NULL);
    char *h;

    if (!sym)
        return -1;
    h = agstrdup_html(root, (char *)html);
    if (!h)
        return -1;
    agxset(obj, sym, h);
    agstrfree(root, h);
    return 0;
}

#define set_attr tg_i_viz_set_attr

static int set_html(draw *d, void *obj, const char *html)
{
    return tg_i_viz_set_html(d->root, obj, html);
}

static int is_dot(const draw *d)
{
    return !strcmp(d->layout, "dot");
}

static void declare_defaults(draw *d)
{
    Agraph_t *g = d->root;
    const tg_i_viz_graph_style *gs = &d->theme.graph;
    int dot = is_dot(d);

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
    agattr(g, AGRAPH, "id", "");
    /* dot's classic ranking, not newrank: with newrank a rank=sink
     * subgraph no longer goes to the last rank, and the legend would float
     * to the top. Other layouts draw straight lines: their spline router is
     * what made a thousand entities take minutes, and graphviz 2.42's
     * polyline router aborts the process (multispline.c: findMap) on
     * ordinary graphs. The seed keeps them reproducible. */
    if (!dot) {
        agattr(g, AGRAPH, "overlap", "false");
        agattr(g, AGRAPH, "splines", "false");
        agattr(g, AGRAPH, "sep", "+8");
        agattr(g, AGRAPH, "start", "1");
    }
    if (d->o->root && d->o->root[0]) {
        char name[32];
        snprintf(name, sizeof name, "e%u",
                 (unsigned)tg_graph_find_entity(d->g, d->o->root, strlen(d->o->root)));
        agattr(g, AGRAPH, "root", name);
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
    agattr(g, AGNODE, "id", "");
    agattr(g, AGNODE, "class", "");
    agattr(g, AGNODE, "tooltip", "");

    agattr(g, AGEDGE, "fontname", (char *)gs->fontname);
    agattr(g, AGEDGE, "fontsize", (char *)gs->edge_fontsize);
    agattr(g, AGEDGE, "fontcolor", (char *)gs->edge_fontcolor);
    agattr(g, AGEDGE, "color", (char *)d->theme.other_type.color);
    agattr(g, AGEDGE, "style", "solid");
    agattr(g, AGEDGE, "arrowhead", "normal");
    agattr(g, AGEDGE, "arrowsize", "0.7");
    agattr(g, AGEDGE, "penwidth", (char *)gs->penwidth);
    agattr(g, AGEDGE, "id", "");
    agattr(g, AGEDGE, "class", "");
    agattr(g, AGEDGE, "tooltip", "");
    if (dot) {
        agattr(g, AGEDGE, "minlen", "1");
        agattr(g, AGEDGE, "dir", "forward");
        agattr(g, AGEDGE, "arrowtail", "normal");
        agattr(g, AGEDGE, "constraint", "true");
    }
}

/* ---- element ids and tooltips ------------------------------------------------- */

/* "n-" and the entity id with every byte outside [A-Za-z0-9-] as _XX: an
 * SVG id (and class name) that is stable, unique and inert. */
static void element_id(tg_i_viz_sbuf *b, const char *prefix, const char *id, size_t len)
{
    size_t i;

    tg_i_viz_sb_puts(b, prefix);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)id[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')
            tg_i_viz_sb_put(b, id + i, 1);
        else
            tg_i_viz_sb_printf(b, "_%02x", c);
    }
}

static void entity_element_id(draw *d, tg_i_viz_sbuf *b, tg_ent e)
{
    size_t len;
    const char *id = tg_graph_str(d->g, tg_graph_entity_id(d->g, e), &len);

    element_id(b, "n-", id, len);
}

/* Text for tooltips: '&', '<' and '>' written as entities (graphviz
 * passes entities through to SVG), so that no name can smuggle an entity
 * in and the DOT holds no markup. */
static void tip_text(tg_i_viz_sbuf *b, const char *s, size_t n)
{
    size_t i = 0, j;

    while (i < n) {
        for (j = i; j < n && s[j] != '&' && s[j] != '<' && s[j] != '>'; j++)
            ;
        tg_i_viz_plain_text(b, s + i, j - i);
        if (j < n) {
            tg_i_viz_sb_puts(b, s[j] == '&' ? "&amp;" : s[j] == '<' ? "&lt;" : "&gt;");
            j++;
        }
        i = j;
    }
}

static void tip_break(tg_i_viz_sbuf *b)
{
    tg_i_viz_sb_puts(b, "&#10;");
}

static void tip_pval(draw *d, tg_i_viz_sbuf *b, const tg_pval *v)
{
    char num[48];
    size_t n;
    const char *s;

    switch (v->type) {
    case TG_V_BOOL: tg_i_viz_sb_puts(b, v->u.b ? "true" : "false"); break;
    case TG_V_INT: tg_i_viz_sb_printf(b, "%lld", (long long)v->u.i); break;
    case TG_V_FLOAT:
        snprintf(num, sizeof num, "%.15g", v->u.f);
        tg_i_viz_sb_puts(b, num);
        break;
    case TG_V_STRING:
        s = tg_graph_str(d->g, v->u.s, &n);
        tip_text(b, s, n > 300 ? 300 : n);
        if (n > 300)
            tg_i_viz_sb_puts(b, "\xE2\x80\xA6");
        break;
    case TG_V_LIST: {
        const tg_pval *items = v->len ? tg_graph_list(d->g, v) : NULL;
        uint32_t i;
        for (i = 0; i < v->len && i < 8; i++) {
            if (i)
                tg_i_viz_sb_puts(b, ", ");
            tip_pval(d, b, &items[i]);
        }
        if (v->len > 8)
            tg_i_viz_sb_puts(b, ", \xE2\x80\xA6");
        break;
    }
    default: {
        tg_temporal t;
        char text[TG_TIME_TEXT_MAX];
        if (tg_graph_temporal(d->g, v, &t)) {
            size_t len = tg_time_format(&t, text);
            tip_text(b, text, len);
        }
        break;
    }
    }
}

typedef struct tip_ctx {
    draw *d;
    tg_i_viz_sbuf *b;
    int shown;
} tip_ctx;

/* key: value lines of an item's properties, but name and sources (said
 * elsewhere), at most eight. */
static int tip_prop(void *ctx, tg_sym key, const tg_pval *v)
{
    tip_ctx *c = ctx;
    size_t n;
    const char *k;

    if (key == c->d->k_name || key == c->d->k_sources || c->shown >= 8)
        return 0;
    k = tg_graph_str(c->d->g, key, &n);
    tip_break(c->b);
    tip_text(c->b, k, n);
    tg_i_viz_sb_puts(c->b, ": ");
    tip_pval(c->d, c->b, v);
    c->shown++;
    return 0;
}

/* "Sources: aspi-2019#47 (Mapping China's Tech Giants, ASPI 2019); ..." */
static void tip_sources(draw *d, tg_i_viz_sbuf *b, tg_side side, const uint32_t *items,
                        size_t nitems)
{
    size_t k, i, shown = 0;

    for (k = 0; d->k_sources && k < nitems; k++) {
        const tg_pval *list;
        size_t len = sources_of(d, side, items[k], &list);
        for (i = 0; i < len && shown < 12; i++, shown++) {
            size_t n;
            const char *s = tg_graph_str(d->g, list[i].u.s, &n), *hash = memchr(s, '#', n);
            uint32_t src =
                tg_graph_find_source(d->g, tg_graph_sym(d->g, s, hash ? (size_t)(hash - s) : n));
            tip_break(b);
            tg_i_viz_sb_puts(b, shown ? "  " : "Sources: ");
            tip_text(b, s, n);
            if (src != TG_NONE) {
                const char *title = source_field(d->g, src, "title");
                if (title && *title) {
                    tg_i_viz_sb_puts(b, " \xE2\x80\x94 ");
                    tip_text(b, title, strlen(title));
                }
            }
        }
    }
}

/* The cluster value of e as text in buf, or NULL when it has none. */
static const char *cluster_value(draw *d, tg_ent e, char *buf, size_t cap, size_t *len)
{
    const tg_pval *v;

    if (d->group) {
        const char *grp = d->group[ent_pos(d, e)];
        if (grp)
            *len = strlen(grp);
        return grp;
    }
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
        name = name_of(d, e);
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
            return tg_graph_str(d->g, name_of(d, cs[i])->u.s,
                                name_len);
    }
    return NULL;
}

/* Formats a number for an edge label: 500000000 -> "500m", 1.2e9 -> "1.2bn". */
static void human_amount(tg_i_viz_sbuf *b, double v)
{
    static const struct {
        double unit;
        const char *suffix;
    } units[] = {{1e12, "tn"}, {1e9, "bn"}, {1e6, "m"}, {1e3, "k"}};
    double a = v < 0 ? -v : v;
    size_t i;

    for (i = 0; i < sizeof units / sizeof units[0]; i++)
        if (a >= units[i].unit * 0.9995) {
            tg_i_viz_sb_printf(b, "%.3g%s", v / units[i].unit, units[i].suffix);
            return;
        }
    tg_i_viz_sb_printf(b, "%.3g", v);
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

/* The first value of key among the relations rels[0..n), or NULL. */
static const tg_pval *group_prop(draw *d, const tg_rel *rels, size_t n, tg_sym key)
{
    size_t i;
    const tg_pval *v = NULL;

    for (i = 0; key && i < n && !v; i++)
        v = tg_graph_prop(d->g, TG_RELATION, rels[i], key);
    return v;
}

typedef struct temporal_ctx {
    draw *d;
    tg_i_viz_sbuf *b;
    size_t start;
    int shown;
} temporal_ctx;

/* One temporal property in a tie's detail line, in its short form (2018-03,
 * 3y 2m) after its key ("since 2018-03"), or alone for a key named date or
 * year; at most two. */
static int temporal_detail(void *ctx, tg_sym key, const tg_pval *v)
{
    temporal_ctx *c = ctx;
    tg_temporal t;
    char text[32];
    size_t klen, n;
    const char *k;
    if (c->shown >= 2 || !tg_time_is_kind(v->type) || !tg_graph_temporal(c->d->g, v, &t))
        return 0;
    n = tg_time_format_short(&t, text);
    k = tg_graph_str(c->d->g, key, &klen);
    tg_i_viz_sb_puts(c->b, c->b->len > c->start ? ", " : "");
    if (!(klen == 4 && (!memcmp(k, "date", 4) || !memcmp(k, "year", 4)))) {
        tg_i_viz_html_text(c->b, k, klen > 24 ? 24 : klen, 0);
        tg_i_viz_sb_puts(c->b, " ");
    }
    tg_i_viz_html_text(c->b, text, n, 0);
    c->shown++;
    return 0;
}

/* The detail line of a tie (the relations rels[0..n) it stands for): "USD
 * 500m, 51%, 2015" (the parts it has), and its dates and durations. */
static void edge_detail(draw *d, tg_i_viz_sbuf *b, const tg_rel *rels, size_t n)
{
    const tg_pval *cur = group_prop(d, rels, n, d->k_currency);
    const tg_pval *year = group_prop(d, rels, n, d->k_year);
    double x;
    size_t start = b->len;

    if (pval_number(group_prop(d, rels, n, d->k_amount), &x)) {
        if (cur && cur->type == TG_V_STRING) {
            size_t len;
            const char *s = tg_graph_str(d->g, cur->u.s, &len);
            tg_i_viz_html_text(b, s, len, 0);
            tg_i_viz_sb_puts(b, " ");
        }
        human_amount(b, x);
    }
    if (pval_number(group_prop(d, rels, n, d->k_share), &x)) {
        tg_i_viz_sb_puts(b, b->len > start ? ", " : "");
        tg_i_viz_sb_printf(b, "%.3g%%", x <= 1.0 ? x * 100 : x);
    }
    if (year && (year->type == TG_V_INT || year->type == TG_V_STRING)) {
        tg_i_viz_sb_puts(b, b->len > start ? ", " : "");
        if (year->type == TG_V_INT) {
            tg_i_viz_sb_printf(b, "%lld", (long long)year->u.i);
        } else {
            size_t len;
            const char *s = tg_graph_str(d->g, year->u.s, &len);
            tg_i_viz_html_text(b, s, len, 0);
        }
    }
    /* dates and durations, short: "since 2018-03", "term 3y 2m" */
    {
        temporal_ctx tc = {d, b, start, 0};
        tg_graph_each_prop(d->g, TG_RELATION, rels[0], temporal_detail, &tc);
    }
}

/* The name a cluster box shows for value[0..len): the Country entity whose
 * iso2 it is ("CN" -> "China"), else the entity whose id it is (a cluster
 * by owner or community id), else "key value" for a number, else the
 * value. Writes HTML into b. */
static void cluster_title(draw *d, tg_i_viz_sbuf *b, const tg_ent *cs, size_t ncs,
                          const char *value, size_t len, int numeric)
{
    size_t nlen;
    const char *name = country_name(d, cs, ncs, value, len, &nlen);
    tg_ent e;

    if (!name && (e = tg_graph_find_entity(d->g, value, len)) != TG_NONE && d->k_name) {
        const tg_pval *nm = name_of(d, e);
        if (nm && nm->type == TG_V_STRING && nm->u.s)
            name = tg_graph_str(d->g, nm->u.s, &nlen);
    }
    if (name) {
        tg_i_viz_html_text(b, name, nlen, 0);
    } else if (numeric) {
        tg_i_viz_html_text(b, d->o->cluster, strlen(d->o->cluster), 0);
        tg_i_viz_sb_puts(b, " ");
        tg_i_viz_html_text(b, value, len, 0);
    } else {
        tg_i_viz_html_text(b, value, len, 0);
    }
}

static tg_status add_nodes(draw *d, tg_error *err)
{
    cluster *cl = NULL;
    size_t ncl = 0, i, j;
    char numbuf[32];
    char *vals = NULL; /* texts of non-string cluster values, 32 bytes each */
    unsigned char *numeric = NULL;
    tg_ent *cs = NULL; /* Country entities, to name the clusters */
    size_t ncs = 0;
    tg_i_viz_sbuf label = {0}, wrapped = {0}, tip = {0}, id = {0};
    tg_status st = TG_OK;

    if (d->k_cluster) {
        cl = calloc(d->nents + 1, sizeof *cl);
        vals = malloc((d->nents + 1) * 32);
        numeric = calloc(d->nents + 1, 1);
        if (!cl || !vals || !numeric)
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
            int num = cl[i].value >= vals && cl[i].value < vals + (d->nents + 1) * 32;
            snprintf(name, sizeof name, "cluster_%zu", i);
            cl[i].sub = agsubg(d->root, name, 1);
            if (!cl[i].sub)
                goto gv;
            label.len = 0;
            tg_i_viz_sb_printf(&label, "<FONT POINT-SIZE=\"%s\"><B>", d->theme.graph.fontsize);
            cluster_title(d, &label, cs, ncs, cl[i].value, cl[i].len, num);
            tg_i_viz_sb_puts(&label, "</B></FONT>");
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
        size_t tlen = d->ents[i].len, ti, k;
        const tg_i_viz_style *s = entity_style(d, e, &legend_name, &ti);
        const tg_pval *nm = name_of(d, e);
        const tg_sym *labels;
        size_t nl = tg_graph_labels(d->g, e, &labels);
        tip_ctx tc;

        if (ti < TG_I_VIZ_STYLES_MAX) {
            d->label_used[ti] = 1;
        } else {
            const char **nls = realloc(d->other_labels, (d->nother_labels + 1) * sizeof *nls);
            if (!nls)
                goto oom;
            d->other_labels = nls;
            nls[d->nother_labels++] = legend_name;
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
        tg_i_viz_wrap_text(&wrapped, text, tlen, d->wrap, NAME_LINES);
        tg_i_viz_html_text(&label, wrapped.s ? wrapped.s : "", wrapped.len, 1);
        if (!label.len)
            tg_i_viz_sb_puts(&label, " "); /* an empty HTML label would be a syntax error */
        {
            tg_i_viz_sbuf mark = {0};
            marker_text(d, &mark, TG_ENTITY, &e, 1);
            put_marker(d, &label, mark.s);
            if (mark.oom)
                d->oom = 1;
            free(mark.s);
        }
        /* the tooltip: whole name, labels, properties, sources */
        tip.len = 0;
        tip_text(&tip, text, tlen);
        tip_break(&tip);
        for (k = 0; k < nl; k++) {
            size_t ll;
            const char *l = tg_graph_str(d->g, labels[k], &ll);
            tg_i_viz_sb_puts(&tip, k ? ", " : "");
            tip_text(&tip, l, ll);
        }
        tc.d = d;
        tc.b = &tip;
        tc.shown = 0;
        tg_graph_each_prop(d->g, TG_ENTITY, e, tip_prop, &tc);
        tip_sources(d, &tip, TG_ENTITY, &e, 1);
        id.len = 0;
        entity_element_id(d, &id, e);
        if (label.oom || wrapped.oom || tip.oom || id.oom || d->oom)
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
        set_attr(n, "id", id.s);
        set_attr(n, "class", "entity");
        set_attr(n, "tooltip", tip.s);
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
    free(tip.s);
    free(id.s);
    free(cl);
    free(vals);
    free(numeric);
    free(cs);
    return st;
}

/* ---- ties --------------------------------------------------------------------- */

/* What the edge pass works out for each tie before it creates edges. */
typedef struct tie {
    size_t pos;      /* of the representative in d->rels */
    tg_rel *members; /* the relations it stands for, ascending (points into a shared array) */
    size_t nmembers;
    tg_sym type;
    char *detail;  /* HTML of the detail line, "" when none */
    char *mark;    /* the marker text ("[1–3]"), "" when none */
    int show_type; /* the type name goes on this tie's label */
    int show_mark; /* the marker goes on this tie's label */
} tie;

static int cmp_tie_type(const void *a, const void *b)
{
    const tie *x = *(tie *const *)a, *y = *(tie *const *)b;

    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int add_shared(draw *d, const char *type, const char *mark)
{
    tg_i_viz_shared_note *ns = realloc(d->shared, (d->nshared + 1) * sizeof *ns);

    if (!ns)
        return -1;
    d->shared = ns;
    ns[d->nshared].type = type;
    ns[d->nshared].marker = strdup(mark);
    if (!ns[d->nshared].marker)
        return -1;
    d->nshared++;
    return 0;
}

/* Decides which ties carry their type name and their marker:
 * - a type is named on its first tie only (the colour and the legend tell
 *   the rest): "BUILDS" once, not six times; each tie keeps its amounts
 *   and years;
 * - a marker that every tie of a type shares (two or more ties) moves to
 *   the sources block as one note, "all BUILDS ties: [9]", or "all ties:
 *   [9]" when every tie drawn shares it. */
static int merge_labels(draw *d, tie *t, size_t nt)
{
    tie **byt = malloc((nt + 1) * sizeof *byt);
    size_t i, j, start;
    int all_same = nt >= 2;

    if (!byt)
        return -1;
    for (i = 0; i < nt; i++) {
        byt[i] = &t[i];
        t[i].show_type = !d->dense;
        t[i].show_mark = 1;
        if (strcmp(t[i].mark, t[0].mark) || !t[i].mark[0])
            all_same = 0;
    }
    if (all_same) {
        for (i = 0; i < nt; i++)
            t[i].show_mark = 0;
        if (d->o->footnotes && add_shared(d, NULL, t[0].mark) != 0)
            goto oom;
    }
    qsort(byt, nt, sizeof *byt, cmp_tie_type);
    for (start = 0; start < nt; start = j) {
        int no_detail = 1, same_mark = !all_same;
        for (j = start; j < nt && byt[j]->type == byt[start]->type; j++) {
            if (byt[j]->detail[0])
                no_detail = 0;
            if (!byt[j]->mark[0] || strcmp(byt[j]->mark, byt[start]->mark))
                same_mark = 0;
        }
        (void)no_detail;
        if (j - start < 2)
            continue;
        for (i = start + 1; i < j; i++) /* named once: the colour and the legend tell the rest */
            byt[i]->show_type = 0;
        if (same_mark) {
            for (i = start; i < j; i++)
                byt[i]->show_mark = 0;
            if (d->o->footnotes &&
                add_shared(d, tg_graph_str(d->g, byt[start]->type, NULL), byt[start]->mark) != 0)
                goto oom;
        }
    }
    free(byt);
    return 0;
oom:
    free(byt);
    return -1;
}

/* The column of rank=by-label an entity goes in, or -1: lender | government
 * | contractor | project, as published investigations draw money trails. */
static int label_column(draw *d, tg_ent e)
{
    static const struct {
        const char *label;
        int column;
    } cols[] = {{"Lender", 0},     {"Government", 1},   {"Company", 2}, {"Subsidiary", 2},
                {"University", 2}, {"Organization", 2}, {"Project", 3}};
    size_t i;

    for (i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        tg_sym l = sym_of(d->g, cols[i].label);
        if (l && tg_graph_has_label(d->g, e, l))
            return cols[i].column;
    }
    return -1;
}

/* rank=by-label: one rank=same subgraph per column, held in order by an
 * invisible chain of anchor nodes. */
static tg_status add_rank_columns(draw *d, tg_error *err)
{
    Agraph_t *col[4] = {NULL, NULL, NULL, NULL};
    Agnode_t *anchor[4] = {NULL, NULL, NULL, NULL};
    size_t i;
    int c, used[4] = {0, 0, 0, 0};

    for (i = 0; i < d->nents; i++)
        if ((c = label_column(d, d->ents[i].e)) >= 0)
            used[c] = 1;
    for (c = 0; c < 4; c++) {
        char name[16];
        if (!used[c])
            continue;
        snprintf(name, sizeof name, "rank_%d", c);
        col[c] = agsubg(d->root, name, 1);
        snprintf(name, sizeof name, "column_%d", c);
        anchor[c] = col[c] ? agnode(col[c], name, 1) : NULL;
        if (!anchor[c])
            goto gv;
        set_attr(col[c], "rank", "same");
        set_attr(anchor[c], "style", "invis");
        set_attr(anchor[c], "shape", "point");
        if (set_html(d, anchor[c], " ") != 0)
            goto gv;
    }
    for (c = 0; c < 4; c++) {
        int next;
        if (!anchor[c])
            continue;
        for (next = c + 1; next < 4 && !anchor[next]; next++)
            ;
        if (next < 4) {
            Agedge_t *e = agedge(d->root, anchor[c], anchor[next], NULL, 1);
            if (!e)
                goto gv;
            set_attr(e, "style", "invis");
        }
    }
    for (i = 0; i < d->nents; i++) {
        char name[32];
        if ((c = label_column(d, d->ents[i].e)) < 0)
            continue;
        snprintf(name, sizeof name, "e%u", (unsigned)d->ents[i].e);
        if (!agsubnode(col[c], agnode(d->root, name, 0), 1))
            goto gv;
    }
    return TG_OK;
gv:
    return gv_build_error(err);
}

static tg_status add_edges(draw *d, tg_error *err)
{
    tg_i_viz_sbuf label = {0}, buf = {0}, tip = {0}, id = {0};
    tie *t = NULL;
    tg_rel *members = NULL;
    size_t i, nt = 0, nm = 0;
    int by_label = d->o->rank && d->o->rank[0] && is_dot(d);
    tg_status st = TG_OK;

    t = calloc(d->nedges + 1, sizeof *t);
    members = malloc((d->nrels + 1) * sizeof *members);
    if (!t || !members)
        goto oom;
    /* members grouped by tie, ties in order of their representative */
    for (i = 0; i < d->nrels; i++) {
        size_t k;
        if (d->rep[i] != i)
            continue;
        t[nt].pos = i;
        t[nt].members = members + nm;
        for (k = i; k < d->nrels; k++)
            if (d->rep[k] == i)
                members[nm++] = d->rels[k];
        t[nt].nmembers = (size_t)(members + nm - t[nt].members);
        t[nt].type = tg_graph_rel_type(d->g, d->rels[i]);
        nt++;
    }
    /* details and markers first: footnotes keep their numbering by first
     * use whatever the labels end up showing */
    for (i = 0; i < nt; i++) {
        buf.len = 0;
        tg_i_viz_sb_puts(&buf, "");
        edge_detail(d, &buf, t[i].members, t[i].nmembers);
        t[i].detail = strdup(buf.s ? buf.s : "");
        buf.len = 0;
        tg_i_viz_sb_puts(&buf, "");
        marker_text(d, &buf, TG_RELATION, t[i].members, t[i].nmembers);
        t[i].mark = strdup(buf.s ? buf.s : "");
        if (!t[i].detail || !t[i].mark || buf.oom || d->oom)
            goto oom;
    }
    if (merge_labels(d, t, nt) != 0)
        goto oom;
    for (i = 0; i < nt; i++) {
        tg_rel r = d->rels[t[i].pos];
        char from[32], to[32], color[TG_I_VIZ_VALUE_MAX];
        Agnode_t *tn, *hn;
        Agedge_t *ed;
        size_t tl, ti, k;
        const char *type = tg_graph_str(d->g, t[i].type, &tl);
        const tg_i_viz_style *s = type_style(d, type, &ti);
        tg_ent a = tg_graph_rel_from(d->g, r), b = tg_graph_rel_to(d->g, r),
               walk = d->walk[t[i].pos];
        int hl = 0, back = 0, fn, tn_name;
        size_t fl, tl2;
        const char *fname, *tname;

        for (k = 0; k < t[i].nmembers && !hl; k++)
            hl = contains(d->hl, d->nhl, t[i].members[k]);
        hl = hl && d->hl_on;
        if (ti < TG_I_VIZ_STYLES_MAX) {
            d->type_used[ti] = 1;
        } else {
            const char **nts = realloc(d->other_types, (d->nother_types + 1) * sizeof *nts);
            if (!nts)
                goto oom;
            d->other_types = nts;
            nts[d->nother_types++] = type;
        }
        /* The story's direction: in dot, a tie a path walks against its
         * direction is laid from the walk's side (drawn with dir=back, so
         * the arrow still tells the relation's direction); reverse= reads
         * paths from their end. */
        if (is_dot(d) && walk != TG_NONE)
            back = (walk == b) != (d->o->reverse != 0);
        else if (is_dot(d) && by_label) {
            int ca = label_column(d, a), cb = label_column(d, b);
            back = ca >= 0 && cb >= 0 && ca > cb;
        }
        snprintf(from, sizeof from, "e%u", (unsigned)(back ? b : a));
        snprintf(to, sizeof to, "e%u", (unsigned)(back ? a : b));
        tn = agnode(d->root, from, 0);
        hn = agnode(d->root, to, 0);
        ed = tn && hn ? agedge(d->root, tn, hn, NULL, 1) : NULL;
        if (!ed)
            goto gv;
        label.len = 0;
        if (t[i].show_type)
            tg_i_viz_html_text(&label, type, tl, 0);
        if (t[i].detail[0]) {
            if (label.len)
                tg_i_viz_sb_puts(&label, "<BR/>");
            tg_i_viz_sb_puts(&label, t[i].detail);
        }
        if (t[i].show_mark)
            put_marker(d, &label, t[i].mark);
        /* tooltip: "From → To", the type and its details, the sources */
        tip.len = 0;
        fn = 0;
        (void)fn;
        {
            const tg_pval *nmv = name_of(d, a);
            fname = nmv && nmv->type == TG_V_STRING
                        ? tg_graph_str(d->g, nmv->u.s, &fl)
                        : tg_graph_str(d->g, tg_graph_entity_id(d->g, a), &fl);
            nmv = name_of(d, b);
            tname = nmv && nmv->type == TG_V_STRING
                        ? tg_graph_str(d->g, nmv->u.s, &tl2)
                        : tg_graph_str(d->g, tg_graph_entity_id(d->g, b), &tl2);
        }
        tn_name = 0;
        (void)tn_name;
        tip_text(&tip, fname, fl);
        tg_i_viz_sb_puts(&tip, " \xE2\x86\x92 "); /* → */
        tip_text(&tip, tname, tl2);
        tip_break(&tip);
        tip_text(&tip, type, tl);
        {
            tip_ctx tc = {d, &tip, 0};
            for (k = 0; k < t[i].nmembers; k++) {
                if (t[i].nmembers > 1) {
                    tip_break(&tip);
                    tg_i_viz_sb_printf(&tip, "record %zu of %zu:", k + 1, t[i].nmembers);
                }
                tg_graph_each_prop(d->g, TG_RELATION, t[i].members[k], tip_prop, &tc);
            }
        }
        tip_sources(d, &tip, TG_RELATION, t[i].members, t[i].nmembers);
        id.len = 0;
        tg_i_viz_sb_printf(&id, "r%u", (unsigned)r);
        buf.len = 0;
        tg_i_viz_sb_puts(&buf, "tie ");
        element_id(&buf, "t-", type, tl);
        tg_i_viz_sb_puts(&buf, " ");
        entity_element_id(d, &buf, a);
        tg_i_viz_sb_puts(&buf, " ");
        entity_element_id(d, &buf, b);
        if (hl)
            tg_i_viz_sb_puts(&buf, " marked");
        if (label.oom || tip.oom || id.oom || buf.oom || d->oom)
            goto oom;
        if (label.len && set_html(d, ed, label.s) != 0)
            goto gv;
        if (is_dot(d)) {
            size_t pa = ent_pos(d, a), pb = ent_pos(d, b);
            size_t hub = d->deg[pa] == 1 ? pb : pa, leaf = hub == pa ? pb : pa;
            if (d->deg[leaf] == 1 && d->deg[hub] > 1 && d->leaves[hub] >= STAGGER_LEAVES &&
                !by_label) {
                static const char *const minlen[] = {"1", "2", "3"};
                set_attr(ed, "minlen", minlen[d->stagger[hub]++ % 3]);
            }
            if (back) { /* drawn from head to tail: the arrow goes at the tail */
                set_attr(ed, "dir", "back");
                set_attr(ed, "arrowtail", s->arrowhead);
            }
            if (by_label) {
                int ca = label_column(d, back ? b : a), cb = label_column(d, back ? a : b);
                if (ca >= 0 && cb >= 0 && ca >= cb)
                    set_attr(ed, "constraint", "false");
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
        set_attr(ed, "id", id.s);
        set_attr(ed, "class", buf.s);
        set_attr(ed, "tooltip", tip.s);
    }
    goto done;
oom:
    st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    goto done;
gv:
    st = gv_build_error(err);
done:
    for (i = 0; t && i < nt; i++) {
        free(t[i].detail);
        free(t[i].mark);
    }
    free(t);
    free(members);
    free(label.s);
    free(buf.s);
    free(tip.s);
    free(id.s);
    return st;
}

/* ---- the legend and the sources as nodes (DOT output) ------------------------- */

/* The line sample of a type in the legend: its colour and dash pattern. */
static void legend_line(tg_i_viz_sbuf *b, const tg_i_viz_style *s, const char *fallback_color)
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
    tg_i_viz_sb_printf(b, "<TD ALIGN=\"RIGHT\"><FONT COLOR=\"%s\">%s%s</FONT></TD>",
                       s->color[0] ? s->color : fallback_color, line, head);
}

/* The legend of the DOT output: the labels and the relation types drawn, in
 * theme order (then the unknown ones by name), in two pairs of columns.
 * (A render draws real sample nodes and edges instead: compose.c.) */
static void legend_table(draw *d, tg_i_viz_sbuf *b)
{
    const tg_i_viz_style *ls[2 * TG_I_VIZ_STYLES_MAX], *ts[2 * TG_I_VIZ_STYLES_MAX];
    const char *lnames[2 * TG_I_VIZ_STYLES_MAX], *tnames[2 * TG_I_VIZ_STYLES_MAX];
    size_t nl = tg_i_viz_legend_labels(d, ls, lnames, 2 * TG_I_VIZ_STYLES_MAX);
    size_t nt = tg_i_viz_legend_types(d, ts, tnames, 2 * TG_I_VIZ_STYLES_MAX), i, rows;

    rows = nl > nt ? nl : nt;
    tg_i_viz_sb_printf(b,
                       "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"2\">"
                       "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"5\"><FONT "
                       "POINT-SIZE=\"%s\"><B>Legend</B></FONT></TD></TR>",
                       d->theme.graph.fontsize);
    for (i = 0; i < rows; i++) {
        tg_i_viz_sb_puts(b, "<TR>");
        if (i < nl) {
            tg_i_viz_sb_printf(
                b,
                "<TD BGCOLOR=\"%s\" COLOR=\"%s\" BORDER=\"1\" FIXEDSIZE=\"TRUE\" WIDTH=\"22\" "
                "HEIGHT=\"12\"></TD><TD ALIGN=\"LEFT\">",
                ls[i]->fillcolor[0] ? ls[i]->fillcolor : d->theme.other_label.fillcolor,
                ls[i]->color[0] ? ls[i]->color : d->theme.other_label.color);
            tg_i_viz_html_text(b, lnames[i], strlen(lnames[i]), 0);
            tg_i_viz_sb_puts(b, "</TD>");
        } else {
            tg_i_viz_sb_puts(b, "<TD></TD><TD></TD>");
        }
        tg_i_viz_sb_puts(b, "<TD WIDTH=\"12\"></TD>");
        if (i < nt) {
            legend_line(b, ts[i], d->theme.other_type.color);
            tg_i_viz_sb_puts(b, "<TD ALIGN=\"LEFT\">");
            tg_i_viz_html_text(b, tnames[i], strlen(tnames[i]), 0);
            tg_i_viz_sb_puts(b, "</TD>");
        } else {
            tg_i_viz_sb_puts(b, "<TD></TD><TD></TD>");
        }
        tg_i_viz_sb_puts(b, "</TR>");
    }
    tg_i_viz_sb_puts(b, "</TABLE>");
}

/* One of the boxes on the last rank (legend, footnotes): an HTML-like table
 * filled by fill, in a plain box. Returns 0, -1 when out of memory, -2 when
 * graphviz refused. fontcolor may be NULL (the default). */
static int furniture_box(draw *d, Agraph_t *sink, const char *name,
                         void (*fill)(draw *, tg_i_viz_sbuf *), const char *fontcolor,
                         tg_i_viz_sbuf *b)
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
    set_attr(n, "id", name);
    return 0;
}

/* The title, and (for the DOT output) the legend and the footnote block. */
static tg_status add_furniture(draw *d, tg_error *err)
{
    tg_i_viz_sbuf b = {0};
    Agraph_t *sink = NULL;
    tg_status st = TG_OK;

    d->nother_labels = sort_unique_str(d->other_labels, d->nother_labels);
    d->nother_types = sort_unique_str(d->other_types, d->nother_types);
    if (!d->with_furniture) /* compose.c draws them around the laid-out graph */
        goto done;
    if (d->o->title && d->o->title[0]) {
        tg_i_viz_sb_puts(&b, "<B>");
        tg_i_viz_html_text(&b, d->o->title, strlen(d->o->title), 1);
        tg_i_viz_sb_puts(&b, "</B>");
        if (b.oom)
            goto oom;
        if (set_html(d, d->root, b.s) != 0)
            goto gv;
    }
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
        int rc = furniture_box(d, sink, "footnotes", tg_i_viz_footnote_table,
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

tg_status tg_i_viz_collect(tg_i_viz_draw *d, const tg_viz_selection *s, const tg_viz_options *o,
                           tg_error *err)
{
    tg_status st;

    if (!s || !s->g || !o) {
        memset(d, 0, sizeof *d);
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0, "no selection, graph or options");
    }
    if ((st = draw_init(d, s, o, err)) != TG_OK)
        return st;
    return collect(d, s, err);
}

tg_status tg_i_viz_build(tg_i_viz_draw *d, const tg_viz_selection *s, const tg_viz_options *o,
                         int with_furniture, tg_error *err)
{
    tg_status st;

    if ((st = tg_i_viz_collect(d, s, o, err)) != TG_OK)
        goto done;
    d->with_furniture = with_furniture;
    d->root = agopen("tiegraph", Agdirected, tg_i_viz_disc());
    if (!d->root) {
        st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0, "graphviz could not create a graph: %s",
                          tg_i_viz_gv_message());
        goto done;
    }
    declare_defaults(d);
    if ((st = add_nodes(d, err)) != TG_OK)
        goto done;
    if (o->rank && o->rank[0] && is_dot(d) && (st = add_rank_columns(d, err)) != TG_OK)
        goto done;
    if ((st = add_edges(d, err)) == TG_OK)
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
                          tg_i_viz_gv_message());
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
    tg_status st;

    memset(&d, 0, sizeof d);
    *dot = NULL;
    if (len)
        *len = 0;
    tg_i_viz_capture_begin();
    st = tg_i_viz_build(&d, s, o, 1, err);
    if (st == TG_OK)
        st = write_dot(&d, dot, len, err);
    tg_i_viz_draw_destroy(&d);
    tg_i_viz_capture_end();
    return st;
}

const char *tg_viz_format_of_path(const char *path)
{
    static const char *const formats[] = {"svg", "png", "pdf", "dot"};
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
