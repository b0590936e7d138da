/* proc_algo.c — the algo.* procedures: options map -> projection -> engine
 * algorithm (engine/algo.h) -> rows.
 *
 * Every procedure takes one optional map. The projection options are shared
 * (labels, types, direction, weight, defaultWeight, excludeLabels); each
 * procedure adds its own. An unknown key is an error naming the keys that
 * are allowed, so that a typo never silently changes a result. Scores come
 * out ranked (score descending, ties by entity); per-entity results
 * (components, communities, coreness) in entity order. Paths, lists and
 * strings that rows refer to are built in the query's memory
 * (tg_proc_mem).
 */
#include "proc_algo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algo.h"
#include "procedures.h"

/* ---- options ------------------------------------------------------------------ */

static const char *const proj_keys[] = {"labels", "types",         "direction",
                                        "weight", "defaultWeight", "excludeLabels"};

/* Whether key[0..len) is one of names[0..n). */
static int key_in(const char *key, size_t len, const char *const *names, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], key, len) == 0)
            return 1;
    return 0;
}

/* Rejects an options value that is not a map, and unknown keys. */
static tg_status check_options(const char *proc, const tg_value *opts, const char *const *extra,
                               size_t nextra, tg_error *err)
{
    size_t i, k;
    char allowed[512];
    size_t used = 0;

    if (!opts || opts->kind == TG_VAL_NULL)
        return TG_OK;
    if (opts->kind != TG_VAL_MAP)
        return tg_error_set(err, TG_ETYPE, NULL, 0, 0, "%s takes a map of options, not a %s", proc,
                            tg_value_kind_name((tg_vkind)opts->kind));
    for (i = 0; i < opts->len; i++) {
        const tg_vmap_entry *e = &opts->u.map[i];
        if (key_in(e->key, e->klen, proj_keys, sizeof proj_keys / sizeof proj_keys[0]) ||
            key_in(e->key, e->klen, extra, nextra))
            continue;
        allowed[0] = 0;
        for (k = 0; k < sizeof proj_keys / sizeof proj_keys[0] + nextra; k++) {
            const char *name = k < sizeof proj_keys / sizeof proj_keys[0]
                                   ? proj_keys[k]
                                   : extra[k - sizeof proj_keys / sizeof proj_keys[0]];
            int w = snprintf(allowed + used, sizeof allowed - used, "%s%s", used ? ", " : "", name);
            if (w < 0 || (size_t)w >= sizeof allowed - used)
                break;
            used += (size_t)w;
        }
        return tg_error_set(err, TG_EARG, NULL, 0, 0,
                            "%s has no option '%.*s'; its options are: %s", proc, (int)e->klen,
                            e->key, allowed);
    }
    return TG_OK;
}

static tg_status want_kind(const char *proc, const char *key, const tg_value *v, const char *what,
                           tg_error *err)
{
    return tg_error_set(err, TG_ETYPE, NULL, 0, 0, "%s option %s must be %s, not a %s", proc, key,
                        what, tg_value_kind_name((tg_vkind)v->kind));
}

static tg_status opt_num(const char *proc, const tg_value *opts, const char *key, double def,
                         double *out, tg_error *err)
{
    const tg_value *v = tg_proc_option(opts, key);
    *out = def;
    if (!v)
        return TG_OK;
    if (!tg_value_is_number(v))
        return want_kind(proc, key, v, "a number", err);
    *out = tg_value_num(v);
    return TG_OK;
}

/* An integer option in [min, max]. */
static tg_status opt_int(const char *proc, const tg_value *opts, const char *key, int64_t def,
                         int64_t min, int64_t max, int64_t *out, tg_error *err)
{
    const tg_value *v = tg_proc_option(opts, key);
    *out = def;
    if (!v)
        return TG_OK;
    if (v->kind != TG_VAL_INT)
        return want_kind(proc, key, v, "an integer", err);
    if (v->u.i < min || v->u.i > max)
        return tg_error_set(err, TG_EARG, NULL, 0, 0,
                            "%s option %s must be between %lld and %lld, not %lld", proc, key,
                            (long long)min, (long long)max, (long long)v->u.i);
    *out = v->u.i;
    return TG_OK;
}

/* A string or a list of strings as symbols (0 for names the graph has never
 * seen, which select nothing). *out is malloc'd (free it). */
static tg_status opt_syms(const char *proc, tg_graph *g, const tg_value *opts, const char *key,
                          tg_sym **out, size_t *n, tg_error *err)
{
    const tg_value *v = tg_proc_option(opts, key);
    const tg_value *items;
    size_t i, cnt;

    *out = NULL;
    *n = 0;
    if (!v)
        return TG_OK;
    if (v->kind == TG_VAL_STRING) {
        items = v;
        cnt = 1;
    } else if (v->kind == TG_VAL_LIST) {
        items = v->u.items;
        cnt = v->len;
    } else {
        return want_kind(proc, key, v, "a string or a list of strings", err);
    }
    *out = malloc((cnt ? cnt : 1) * sizeof **out);
    if (!*out)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    for (i = 0; i < cnt; i++) {
        if (items[i].kind != TG_VAL_STRING) {
            free(*out);
            *out = NULL;
            return want_kind(proc, key, &items[i], "a list of strings", err);
        }
        (*out)[i] = tg_graph_sym(g, items[i].u.s, items[i].len);
    }
    *n = cnt;
    return TG_OK;
}

/* An entity given as a node or as its id string. */
static tg_status to_entity(const char *proc, tg_graph *g, const char *key, const tg_value *v,
                           tg_ent *out, tg_error *err)
{
    if (v->kind == TG_VAL_NODE) {
        *out = v->u.node;
        return TG_OK;
    }
    if (v->kind == TG_VAL_STRING) {
        *out = tg_graph_find_entity(g, v->u.s, v->len);
        if (*out == TG_NONE)
            return tg_error_set(err, TG_EARG, NULL, 0, 0, "%s option %s: no entity has id '%.*s'",
                                proc, key, (int)v->len, v->u.s);
        return TG_OK;
    }
    return want_kind(proc, key, v, "a node or an entity id", err);
}

/* A node, an id, or a list of them. *out is malloc'd (free it). */
static tg_status opt_entities(const char *proc, tg_graph *g, const tg_value *opts, const char *key,
                              tg_ent **out, size_t *n, tg_error *err)
{
    const tg_value *v = tg_proc_option(opts, key);
    const tg_value *items;
    size_t i, cnt;
    tg_status st = TG_OK;

    *out = NULL;
    *n = 0;
    if (!v)
        return TG_OK;
    if (v->kind == TG_VAL_LIST) {
        items = v->u.items;
        cnt = v->len;
    } else {
        items = v;
        cnt = 1;
    }
    *out = malloc((cnt ? cnt : 1) * sizeof **out);
    if (!*out)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    for (i = 0; i < cnt && st == TG_OK; i++)
        st = to_entity(proc, g, key, &items[i], &(*out)[i], err);
    if (st != TG_OK) {
        free(*out);
        *out = NULL;
        return st;
    }
    *n = cnt;
    return TG_OK;
}

/* The projection options, parsed. */
typedef struct proj_opts {
    tg_sym *labels, *types, *exclude;
    tg_proj_spec spec;
} proj_opts;

static void proj_opts_destroy(proj_opts *o)
{
    free(o->labels);
    free(o->types);
    free(o->exclude);
}

/* Builds the projection the options select; pinned[0..npinned) are kept
 * even when excludeLabels would drop them (path ends). */
static tg_status make_projection(const char *proc, tg_graph *g, const tg_value *opts,
                                 tg_dir def_dir, const tg_ent *pinned, size_t npinned,
                                 tg_projection **out, tg_error *err)
{
    proj_opts o;
    const tg_value *v;
    tg_status st;

    memset(&o, 0, sizeof o);
    *out = NULL;
    tg_proj_spec_init(&o.spec);
    o.spec.dir = def_dir;
    st = opt_syms(proc, g, opts, "labels", &o.labels, &o.spec.nlabels, err);
    if (st == TG_OK)
        st = opt_syms(proc, g, opts, "types", &o.types, &o.spec.ntypes, err);
    if (st == TG_OK)
        st = opt_syms(proc, g, opts, "excludeLabels", &o.exclude, &o.spec.nexclude, err);
    if (st != TG_OK)
        goto done;
    o.spec.labels = o.labels;
    o.spec.types = o.types;
    o.spec.exclude = o.exclude;
    o.spec.pinned = pinned;
    o.spec.npinned = npinned;
    v = tg_proc_option(opts, "direction");
    if (v) {
        if (v->kind != TG_VAL_STRING) {
            st = want_kind(proc, "direction", v, "'out', 'in' or 'both'", err);
            goto done;
        }
        if (v->len == 3 && memcmp(v->u.s, "out", 3) == 0)
            o.spec.dir = TG_DIR_OUT;
        else if (v->len == 2 && memcmp(v->u.s, "in", 2) == 0)
            o.spec.dir = TG_DIR_IN;
        else if (v->len == 4 && memcmp(v->u.s, "both", 4) == 0)
            o.spec.dir = TG_DIR_BOTH;
        else {
            st = tg_error_set(err, TG_EARG, NULL, 0, 0,
                              "%s option direction must be 'out', 'in' or 'both', not '%.*s'", proc,
                              (int)v->len, v->u.s);
            goto done;
        }
    }
    v = tg_proc_option(opts, "weight");
    if (v) {
        if (v->kind != TG_VAL_STRING) {
            st = want_kind(proc, "weight", v, "a relation property name", err);
            goto done;
        }
        o.spec.weight = tg_graph_sym(g, v->u.s, v->len);
        if (!o.spec.weight) {
            /* A key no relation has is almost always a typo. */
            st = tg_error_set(err, TG_EARG, NULL, 0, 0,
                              "%s option weight: no relation has the property '%.*s'", proc,
                              (int)v->len, v->u.s);
            goto done;
        }
    }
    st = opt_num(proc, opts, "defaultWeight", 1.0, &o.spec.default_weight, err);
    if (st == TG_OK)
        st = tg_projection_new(g, &o.spec, out, err);
done:
    proj_opts_destroy(&o);
    return st;
}

/* ---- emitting ------------------------------------------------------------------ */

static tg_status emit_ranked(tg_proc_ctx *ctx, tg_projection *p, const double *score, tg_error *err)
{
    size_t i, n = tg_projection_node_count(p);
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    tg_status st = TG_OK;

    if (!order)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    tg_algo_rank(p, score, order);
    for (i = 0; i < n && st == TG_OK; i++) {
        tg_value row[2];
        row[0] = tg_value_node(tg_projection_entity(p, order[i]));
        row[1] = tg_value_float(score[order[i]]);
        st = tg_proc_emit(ctx, row, err);
    }
    free(order);
    return st;
}

static tg_status emit_ids(tg_proc_ctx *ctx, tg_projection *p, const uint32_t *id, tg_error *err)
{
    size_t i, n = tg_projection_node_count(p);
    tg_status st = TG_OK;

    for (i = 0; i < n && st == TG_OK; i++) {
        tg_value row[2];
        row[0] = tg_value_node(tg_projection_entity(p, i));
        row[1] = tg_value_int((int64_t)id[i]);
        st = tg_proc_emit(ctx, row, err);
    }
    return st;
}

static tg_value path_value(tg_proc_ctx *ctx, const tg_path *pa)
{
    return tg_value_path(tg_proc_mem(ctx), pa->nodes, pa->rels, pa->len);
}

/* ---- centrality ------------------------------------------------------------------ */

typedef enum centrality_kind {
    C_DEGREE,
    C_PAGERANK,
    C_BETWEENNESS,
    C_CLOSENESS,
    C_HARMONIC,
    C_EIGENVECTOR
} centrality_kind;

static const char *const pagerank_keys[] = {"damping", "tolerance", "sourceNodes"};
static const char *const betweenness_keys[] = {"samples", "seed", "cutoff"};

static tg_status run_centrality(tg_proc_ctx *ctx, tg_graph *g, const tg_value *opts,
                                centrality_kind kind, const char *proc, tg_error *err)
{
    tg_projection *p = NULL;
    double *score = NULL;
    tg_ent *sources = NULL;
    size_t nsources = 0;
    tg_status st;

    if (kind == C_PAGERANK)
        st = check_options(proc, opts, pagerank_keys, 3, err);
    else if (kind == C_BETWEENNESS)
        st = check_options(proc, opts, betweenness_keys, 3, err);
    else
        st = check_options(proc, opts, NULL, 0, err);
    if (st == TG_OK && kind == C_PAGERANK)
        st = opt_entities(proc, g, opts, "sourceNodes", &sources, &nsources, err);
    if (st == TG_OK)
        st = make_projection(proc, g, opts, TG_DIR_OUT, NULL, 0, &p, err);
    if (st != TG_OK)
        goto done;
    score = calloc(tg_projection_node_count(p) + 1, sizeof *score);
    if (!score) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    switch (kind) {
    case C_DEGREE: st = tg_algo_degree(p, score, err); break;
    case C_PAGERANK: {
        tg_pagerank_opts o;
        tg_pagerank_opts_init(&o);
        st = opt_num(proc, opts, "damping", o.damping, &o.damping, err);
        if (st == TG_OK)
            st = opt_num(proc, opts, "tolerance", o.tolerance, &o.tolerance, err);
        o.sources = sources;
        o.nsources = nsources;
        if (st == TG_OK)
            st = tg_algo_pagerank(p, &o, score, err);
        break;
    }
    case C_BETWEENNESS: {
        tg_betweenness_opts o;
        int64_t samples = 0, seed = 42;
        tg_betweenness_opts_init(&o);
        st = opt_int(proc, opts, "samples", 0, 0, INT64_MAX, &samples, err);
        if (st == TG_OK)
            st = opt_int(proc, opts, "seed", 42, INT64_MIN, INT64_MAX, &seed, err);
        if (st == TG_OK)
            st = opt_num(proc, opts, "cutoff", -1, &o.cutoff, err);
        o.samples = (size_t)samples;
        o.seed = (uint64_t)seed;
        if (st == TG_OK)
            st = tg_algo_betweenness(p, &o, score, err);
        break;
    }
    case C_CLOSENESS: st = tg_algo_closeness(p, score, err); break;
    case C_HARMONIC: st = tg_algo_harmonic(p, score, err); break;
    case C_EIGENVECTOR: st = tg_algo_eigenvector(p, score, err); break;
    }
    if (st == TG_OK)
        st = emit_ranked(ctx, p, score, err);
done:
    free(score);
    free(sources);
    tg_projection_free(p);
    return st;
}

#define CENTRALITY(fn, kind, name)                                                                 \
    static tg_status fn(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args, size_t nargs,         \
                        void *data, tg_error *err)                                                 \
    {                                                                                              \
        return run_centrality(ctx, g, nargs ? &args[0] : NULL, kind, name, err);                   \
    }
CENTRALITY(p_degree, C_DEGREE, "algo.degree")
CENTRALITY(p_pagerank, C_PAGERANK, "algo.pageRank")
CENTRALITY(p_betweenness, C_BETWEENNESS, "algo.betweenness")
CENTRALITY(p_closeness, C_CLOSENESS, "algo.closeness")
CENTRALITY(p_harmonic, C_HARMONIC, "algo.harmonic")
CENTRALITY(p_eigenvector, C_EIGENVECTOR, "algo.eigenvector")

/* ---- structure and communities ---------------------------------------------------- */

typedef enum group_kind { G_WCC, G_SCC, G_KCORE, G_LOUVAIN, G_LEIDEN, G_LPA } group_kind;

static const char *const louvain_keys[] = {"resolution", "seed"};
static const char *const leiden_keys[] = {"resolution", "beta", "seed"};
static const char *const lpa_keys[] = {"seed"};

static tg_status run_groups(tg_proc_ctx *ctx, tg_graph *g, const tg_value *opts, group_kind kind,
                            const char *proc, tg_error *err)
{
    tg_projection *p = NULL;
    uint32_t *id = NULL;
    tg_community_opts co;
    int64_t seed = 42;
    tg_status st;

    tg_community_opts_init(&co);
    if (kind == G_LOUVAIN)
        st = check_options(proc, opts, louvain_keys, 2, err);
    else if (kind == G_LEIDEN)
        st = check_options(proc, opts, leiden_keys, 3, err);
    else if (kind == G_LPA)
        st = check_options(proc, opts, lpa_keys, 1, err);
    else
        st = check_options(proc, opts, NULL, 0, err);
    if (st == TG_OK)
        st = opt_num(proc, opts, "resolution", co.resolution, &co.resolution, err);
    if (st == TG_OK)
        st = opt_num(proc, opts, "beta", co.beta, &co.beta, err);
    if (st == TG_OK)
        st = opt_int(proc, opts, "seed", 42, INT64_MIN, INT64_MAX, &seed, err);
    co.seed = (uint64_t)seed;
    if (st == TG_OK)
        st = make_projection(proc, g, opts, kind == G_SCC ? TG_DIR_OUT : TG_DIR_BOTH, NULL, 0, &p,
                             err);
    if (st != TG_OK)
        goto done;
    id = calloc(tg_projection_node_count(p) + 1, sizeof *id);
    if (!id) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    switch (kind) {
    case G_WCC: st = tg_algo_wcc(p, id, NULL, err); break;
    case G_SCC: st = tg_algo_scc(p, id, NULL, err); break;
    case G_KCORE: st = tg_algo_kcore(p, id, err); break;
    case G_LOUVAIN: st = tg_algo_louvain(p, &co, id, NULL, err); break;
    case G_LEIDEN: st = tg_algo_leiden(p, &co, id, NULL, err); break;
    case G_LPA: st = tg_algo_label_propagation(p, &co, id, err); break;
    }
    if (st == TG_OK)
        st = emit_ids(ctx, p, id, err);
done:
    free(id);
    tg_projection_free(p);
    return st;
}

#define GROUPS(fn, kind, name)                                                                     \
    static tg_status fn(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args, size_t nargs,         \
                        void *data, tg_error *err)                                                 \
    {                                                                                              \
        return run_groups(ctx, g, nargs ? &args[0] : NULL, kind, name, err);                       \
    }
GROUPS(p_wcc, G_WCC, "algo.wcc")
GROUPS(p_scc, G_SCC, "algo.scc")
GROUPS(p_kcore, G_KCORE, "algo.kcore")
GROUPS(p_louvain, G_LOUVAIN, "algo.louvain")
GROUPS(p_leiden, G_LEIDEN, "algo.leiden")
GROUPS(p_lpa, G_LPA, "algo.labelPropagation")

static tg_status run_cut(tg_proc_ctx *ctx, tg_graph *g, const tg_value *opts, int bridges,
                         tg_error *err)
{
    const char *proc = bridges ? "algo.bridges" : "algo.articulationPoints";
    tg_projection *p = NULL;
    tg_idlist l = {0};
    size_t i;
    tg_status st;

    st = check_options(proc, opts, NULL, 0, err);
    if (st == TG_OK)
        st = make_projection(proc, g, opts, TG_DIR_BOTH, NULL, 0, &p, err);
    if (st == TG_OK)
        st = bridges ? tg_algo_bridges(p, &l, err) : tg_algo_articulation_points(p, &l, err);
    for (i = 0; i < l.n && st == TG_OK; i++) {
        tg_value v =
            bridges ? tg_value_rel(l.v[i]) : tg_value_node(tg_projection_entity(p, l.v[i]));
        st = tg_proc_emit(ctx, &v, err);
    }
    tg_idlist_destroy(&l);
    tg_projection_free(p);
    return st;
}

static tg_status p_articulation(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args, size_t nargs,
                                void *data, tg_error *err)
{
    return run_cut(ctx, g, nargs ? &args[0] : NULL, 0, err);
}

static tg_status p_bridges(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args, size_t nargs,
                           void *data, tg_error *err)
{
    return run_cut(ctx, g, nargs ? &args[0] : NULL, 1, err);
}

/* algo.modularity({partition: 'key'}): entities group by the value of an
 * entity property; entities without it form one group each. */
static const char *const modularity_keys[] = {"partition", "resolution"};

typedef struct part_item {
    tg_pval v;
    uint32_t vertex;
} part_item;

/* Orders stored values by their bytes: equal values (stored values have
 * their padding zeroed) end up next to each other. */
static int part_cmp(const void *a, const void *b)
{
    const part_item *x = a, *y = b;
    int c;
    if (x->v.type != y->v.type)
        return x->v.type < y->v.type ? -1 : 1;
    if (x->v.len != y->v.len)
        return x->v.len < y->v.len ? -1 : 1;
    c = memcmp(&x->v.u, &y->v.u, sizeof x->v.u);
    if (c != 0)
        return c;
    return (x->vertex > y->vertex) - (x->vertex < y->vertex);
}

/* Whether two items hold the same value. */
static int part_same(const part_item *x, const part_item *y)
{
    return x->v.type == y->v.type && x->v.len == y->v.len &&
           memcmp(&x->v.u, &y->v.u, sizeof x->v.u) == 0;
}

static tg_status p_modularity(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args, size_t nargs,
                              void *data, tg_error *err)
{
    const char *proc = "algo.modularity";
    const tg_value *opts = nargs ? &args[0] : NULL, *v;
    tg_projection *p = NULL;
    uint32_t *id = NULL;
    double resolution, q = NAN;
    tg_sym key;
    size_t i, n;
    tg_status st;

    st = check_options(proc, opts, modularity_keys, 2, err);
    if (st == TG_OK)
        st = opt_num(proc, opts, "resolution", 1.0, &resolution, err);
    if (st != TG_OK)
        goto done;
    v = tg_proc_option(opts, "partition");
    if (!v || v->kind != TG_VAL_STRING) {
        st = tg_error_set(err, TG_EARG, NULL, 0, 0,
                          "%s needs the option partition: the name of the entity property "
                          "that holds each entity's community",
                          proc);
        goto done;
    }
    key = tg_graph_sym(g, v->u.s, v->len);
    st = make_projection(proc, g, opts, TG_DIR_BOTH, NULL, 0, &p, err);
    if (st != TG_OK)
        goto done;
    n = tg_projection_node_count(p);
    id = malloc((n ? n : 1) * sizeof *id);
    if (!id) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    /* Group ids: entities whose stored values are identical share an id
     * (sorted, so O(n log n) whatever the number of groups). */
    {
        part_item *items = malloc((n ? n : 1) * sizeof *items);
        size_t nitems = 0, next = 0;
        if (!items) {
            st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
        for (i = 0; i < n; i++) {
            const tg_pval *pv =
                key ? tg_graph_prop(g, TG_ENTITY, tg_projection_entity(p, i), key) : NULL;
            id[i] = (uint32_t)i; /* without the property: a group of its own */
            if (pv) {
                items[nitems].v = *pv;
                items[nitems++].vertex = (uint32_t)i;
            }
        }
        qsort(items, nitems, sizeof *items, part_cmp);
        for (i = 0; i < nitems; i++) {
            if (i > 0 && !part_same(&items[i - 1], &items[i]))
                next++;
            id[items[i].vertex] = (uint32_t)(n + next);
        }
        free(items);
    }
    st = tg_algo_modularity(p, id, resolution, &q, err);
    if (st == TG_OK) {
        tg_value row = tg_value_float(q);
        st = tg_proc_emit(ctx, &row, err);
    }
done:
    free(id);
    tg_projection_free(p);
    return st;
}

/* ---- paths ------------------------------------------------------------------ */

typedef enum path_kind { P_SHORTEST, P_KSHORTEST, P_SIMPLE } path_kind;

static const char *const shortest_keys[] = {"source", "target"};
static const char *const kshortest_keys[] = {"source", "target", "k"};
static const char *const simple_keys[] = {"source", "target", "maxHops", "limit"};

static tg_status run_paths(tg_proc_ctx *ctx, tg_graph *g, const tg_value *opts, path_kind kind,
                           const char *proc, tg_error *err)
{
    tg_projection *p = NULL;
    tg_path_list l = {0};
    tg_ent ends[2] = {TG_NONE, TG_NONE};
    int64_t k = 1, max_hops = 5, limit = 1000;
    size_t i;
    const tg_value *v;
    tg_status st;

    if (kind == P_SHORTEST)
        st = check_options(proc, opts, shortest_keys, 2, err);
    else if (kind == P_KSHORTEST)
        st = check_options(proc, opts, kshortest_keys, 3, err);
    else
        st = check_options(proc, opts, simple_keys, 4, err);
    for (i = 0; i < 2 && st == TG_OK; i++) {
        const char *key = i == 0 ? "source" : "target";
        v = tg_proc_option(opts, key);
        if (!v)
            st = tg_error_set(err, TG_EARG, NULL, 0, 0,
                              "%s needs the option %s (a node or an entity id)", proc, key);
        else
            st = to_entity(proc, g, key, v, &ends[i], err);
    }
    if (st == TG_OK)
        st = opt_int(proc, opts, "k", 3, 1, 100000, &k, err);
    if (st == TG_OK)
        st = opt_int(proc, opts, "maxHops", 5, 1, 1000, &max_hops, err);
    if (st == TG_OK)
        st = opt_int(proc, opts, "limit", 1000, 0, INT64_MAX, &limit, err);
    if (st == TG_OK)
        st = make_projection(proc, g, opts, TG_DIR_BOTH, ends, 2, &p, err);
    if (st != TG_OK)
        goto done;
    if (kind == P_SHORTEST)
        st = tg_algo_shortest_path(p, ends[0], ends[1], &l, err);
    else if (kind == P_KSHORTEST)
        st = tg_algo_k_shortest_paths(p, ends[0], ends[1], (size_t)k, &l, err);
    else
        st =
            tg_algo_all_simple_paths(p, ends[0], ends[1], (size_t)max_hops, (size_t)limit, &l, err);
    for (i = 0; i < l.n && st == TG_OK; i++) {
        tg_value row[3];
        size_t c = 0;
        if (kind == P_KSHORTEST)
            row[c++] = tg_value_int((int64_t)i);
        row[c] = path_value(ctx, &l.paths[i]);
        if (row[c].kind == TG_VAL_NULL) {
            st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        c++;
        if (kind != P_SIMPLE)
            row[c++] = tg_value_float(l.paths[i].cost);
        st = tg_proc_emit(ctx, row, err);
    }
done:
    tg_path_list_destroy(&l);
    tg_projection_free(p);
    return st;
}

static tg_status p_shortest(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args, size_t nargs,
                            void *data, tg_error *err)
{
    return run_paths(ctx, g, nargs ? &args[0] : NULL, P_SHORTEST, "algo.shortestPath", err);
}

static tg_status p_kshortest(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args, size_t nargs,
                             void *data, tg_error *err)
{
    return run_paths(ctx, g, nargs ? &args[0] : NULL, P_KSHORTEST, "algo.kShortestPaths", err);
}

static tg_status p_simple(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args, size_t nargs,
                          void *data, tg_error *err)
{
    return run_paths(ctx, g, nargs ? &args[0] : NULL, P_SIMPLE, "algo.allSimplePaths", err);
}

/* algo.neighbourhood: one row per kept entity (node set, relation null),
 * then one per relation among them (node null); hops and omitted on every
 * row. `collect(node)` and `collect(relation)` skip the nulls. */
static const char *const ego_keys[] = {"source", "sourceNodes", "hops", "limit"};

static tg_status p_neighbourhood(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args, size_t nargs,
                                 void *data, tg_error *err)
{
    const char *proc = "algo.neighbourhood";
    const tg_value *opts = nargs ? &args[0] : NULL;
    tg_projection *p = NULL;
    tg_ent *seeds = NULL, *more = NULL;
    size_t nseeds = 0, nmore = 0, i;
    int64_t hops = 1, limit = 100;
    tg_ego ego;
    tg_status st;

    memset(&ego, 0, sizeof ego);
    st = check_options(proc, opts, ego_keys, 4, err);
    if (st == TG_OK)
        st = opt_entities(proc, g, opts, "source", &seeds, &nseeds, err);
    if (st == TG_OK)
        st = opt_entities(proc, g, opts, "sourceNodes", &more, &nmore, err);
    if (st == TG_OK && nseeds + nmore == 0)
        st = tg_error_set(err, TG_EARG, NULL, 0, 0,
                          "%s needs the option source (a node, an entity id, or a list of "
                          "them)",
                          proc);
    if (st == TG_OK && nmore > 0) {
        tg_ent *all = realloc(seeds, (nseeds + nmore) * sizeof *all);
        if (!all) {
            st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        } else {
            memcpy(all + nseeds, more, nmore * sizeof *more);
            seeds = all;
            nseeds += nmore;
        }
    }
    if (st == TG_OK)
        st = opt_int(proc, opts, "hops", 1, 0, 1000, &hops, err);
    if (st == TG_OK)
        st = opt_int(proc, opts, "limit", 100, 0, INT64_MAX, &limit, err);
    if (st == TG_OK)
        st = make_projection(proc, g, opts, TG_DIR_BOTH, seeds, nseeds, &p, err);
    if (st == TG_OK)
        st = tg_algo_neighbourhood(p, seeds, nseeds, (size_t)hops, (size_t)limit, &ego, err);
    for (i = 0; i < ego.nnodes && st == TG_OK; i++) {
        tg_value row[4];
        row[0] = tg_value_node(ego.nodes[i]);
        row[1] = tg_value_null();
        row[2] = tg_value_int((int64_t)ego.hops[i]);
        row[3] = tg_value_int((int64_t)ego.omitted);
        st = tg_proc_emit(ctx, row, err);
    }
    for (i = 0; i < ego.nrels && st == TG_OK; i++) {
        tg_value row[4];
        row[0] = tg_value_null();
        row[1] = tg_value_rel(ego.rels[i]);
        row[2] = tg_value_null();
        row[3] = tg_value_int((int64_t)ego.omitted);
        st = tg_proc_emit(ctx, row, err);
    }
    tg_ego_destroy(&ego);
    free(seeds);
    free(more);
    tg_projection_free(p);
    return st;
}

/* ---- registry -------------------------------------------------------------------- */

static const tg_proc_col in_opts[] = {{"options", TG_PROC_MAP}};
static const tg_proc_col out_score[] = {{"node", TG_PROC_NODE}, {"score", TG_PROC_FLOAT}};
static const tg_proc_col out_comp[] = {{"node", TG_PROC_NODE}, {"componentId", TG_PROC_INT}};
static const tg_proc_col out_core[] = {{"node", TG_PROC_NODE}, {"coreness", TG_PROC_INT}};
static const tg_proc_col out_comm[] = {{"node", TG_PROC_NODE}, {"communityId", TG_PROC_INT}};
static const tg_proc_col out_node[] = {{"node", TG_PROC_NODE}};
static const tg_proc_col out_rel[] = {{"relation", TG_PROC_REL}};
static const tg_proc_col out_mod[] = {{"modularity", TG_PROC_FLOAT}};
static const tg_proc_col out_path[] = {{"path", TG_PROC_PATH}, {"cost", TG_PROC_FLOAT}};
static const tg_proc_col out_kpath[] = {
    {"index", TG_PROC_INT}, {"path", TG_PROC_PATH}, {"cost", TG_PROC_FLOAT}};
static const tg_proc_col out_spath[] = {{"path", TG_PROC_PATH}};
static const tg_proc_col out_ego[] = {{"node", TG_PROC_NODE},
                                      {"relation", TG_PROC_REL},
                                      {"hops", TG_PROC_INT},
                                      {"omitted", TG_PROC_INT}};

#define DEF(nm, out, f)                                                                            \
    {                                                                                              \
        .name = (nm), .inputs = in_opts, .n_inputs = 1, .n_required = 0, .outputs = (out),         \
        .n_outputs = sizeof(out) / sizeof((out)[0]), .fn = (f), .data = NULL                       \
    }

/* Every procedure runs with the query's stop check installed, so that a
 * long algorithm stops when the query's time budget is spent
 * (tg_algo_set_stop), and removes it before returning. */
static int proc_stop(void *ctx)
{
    return tg_proc_should_stop(ctx);
}

#define GUARDED(name, body)                                                                        \
    static tg_status name(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args, size_t nargs,       \
                          void *data, tg_error *err)                                               \
    {                                                                                              \
        tg_status st;                                                                              \
        tg_algo_set_stop(proc_stop, ctx);                                                          \
        st = body(ctx, g, args, nargs, data, err);                                                 \
        tg_algo_set_stop(NULL, NULL);                                                              \
        return st;                                                                                 \
    }
GUARDED(g_degree, p_degree)
GUARDED(g_pagerank, p_pagerank)
GUARDED(g_betweenness, p_betweenness)
GUARDED(g_closeness, p_closeness)
GUARDED(g_harmonic, p_harmonic)
GUARDED(g_eigenvector, p_eigenvector)
GUARDED(g_wcc, p_wcc)
GUARDED(g_scc, p_scc)
GUARDED(g_kcore, p_kcore)
GUARDED(g_articulation, p_articulation)
GUARDED(g_bridges, p_bridges)
GUARDED(g_louvain, p_louvain)
GUARDED(g_leiden, p_leiden)
GUARDED(g_lpa, p_lpa)
GUARDED(g_modularity, p_modularity)
GUARDED(g_shortest, p_shortest)
GUARDED(g_kshortest, p_kshortest)
GUARDED(g_simple, p_simple)
GUARDED(g_neighbourhood, p_neighbourhood)

static const tg_proc_def algo_defs[] = {
    DEF("algo.degree", out_score, g_degree),
    DEF("algo.pageRank", out_score, g_pagerank),
    DEF("algo.betweenness", out_score, g_betweenness),
    DEF("algo.closeness", out_score, g_closeness),
    DEF("algo.harmonic", out_score, g_harmonic),
    DEF("algo.eigenvector", out_score, g_eigenvector),
    DEF("algo.wcc", out_comp, g_wcc),
    DEF("algo.scc", out_comp, g_scc),
    DEF("algo.kcore", out_core, g_kcore),
    DEF("algo.articulationPoints", out_node, g_articulation),
    DEF("algo.bridges", out_rel, g_bridges),
    DEF("algo.louvain", out_comm, g_louvain),
    DEF("algo.leiden", out_comm, g_leiden),
    DEF("algo.labelPropagation", out_comm, g_lpa),
    DEF("algo.modularity", out_mod, g_modularity),
    DEF("algo.shortestPath", out_path, g_shortest),
    DEF("algo.kShortestPaths", out_kpath, g_kshortest),
    DEF("algo.allSimplePaths", out_spath, g_simple),
    DEF("algo.neighbourhood", out_ego, g_neighbourhood),
};

tg_status tg_proc_algo_register(tg_error *err)
{
    size_t i;
    tg_status st = TG_OK;

    for (i = 0; i < sizeof algo_defs / sizeof algo_defs[0] && st == TG_OK; i++)
        st = tg_proc_register(&algo_defs[i], err);
    return st;
}
