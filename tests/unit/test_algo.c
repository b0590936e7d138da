/* test_algo.c — the algorithms on small hand-made graphs: the empty graph,
 * one entity, a projection that selects nothing, option errors, sampling,
 * ranking ties, limits, directions and exclusions. Values against the
 * independent references are in test_algo_golden.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "algo.h"
#include "graph.h"
#include "tg_test.h"

#define NEAR(a, b) (fabs((a) - (b)) <= 1e-9)

static tg_sym sym(tg_graph *g, const char *s)
{
    return tg_graph_intern(g, s, strlen(s));
}

static tg_ent ent(tg_graph *g, const char *id, const char *label)
{
    tg_ent e = TG_NONE;
    TG_CHECK(tg_graph_add_entity(g, id, strlen(id), &e, NULL) == TG_OK);
    if (label)
        TG_CHECK(tg_graph_add_label(g, e, sym(g, label), NULL) == TG_OK);
    return e;
}

/* weight < 0: no weight property. */
static tg_rel rel(tg_graph *g, tg_ent a, tg_ent b, const char *type, double weight)
{
    tg_rel r = TG_NONE;
    TG_CHECK(tg_graph_add_relation(g, a, b, sym(g, type), &r, NULL) == TG_OK);
    if (weight >= 0) {
        tg_pval v;
        memset(&v, 0, sizeof v);
        v.type = TG_V_FLOAT;
        v.u.f = weight;
        TG_CHECK(tg_graph_set_prop(g, TG_RELATION, r, sym(g, "w"), &v, NULL) == TG_OK);
    }
    return r;
}

static tg_projection *project(tg_graph *g, tg_dir dir, const char *weight)
{
    tg_proj_spec s;
    tg_projection *p = NULL;
    tg_error err;
    tg_proj_spec_init(&s);
    s.dir = dir;
    if (weight)
        s.weight = tg_graph_sym(g, weight, strlen(weight));
    TG_CHECK(tg_projection_new(g, &s, &p, &err) == TG_OK);
    return p;
}

/* Runs every algorithm on a projection of n vertices and checks the values
 * that the empty graph and the one-entity graph must give. */
static void check_trivial(tg_projection *p, tg_ent only)
{
    size_t n = tg_projection_node_count(p);
    double score[1] = {-1};
    uint32_t id[1] = {99};
    tg_idlist l = {0};
    tg_path_list pl = {0};
    tg_ego ego;
    tg_community_opts co;
    tg_pagerank_opts po;
    tg_betweenness_opts bo;
    double q = 0;
    tg_error err;

    tg_community_opts_init(&co);
    tg_pagerank_opts_init(&po);
    tg_betweenness_opts_init(&bo);
    TG_CHECK(tg_algo_degree(p, score, &err) == TG_OK);
    TG_CHECK(n == 0 || score[0] == 0);
    TG_CHECK(tg_algo_pagerank(p, &po, score, &err) == TG_OK);
    TG_CHECK(n == 0 || NEAR(score[0], 1.0));
    TG_CHECK(tg_algo_betweenness(p, &bo, score, &err) == TG_OK);
    TG_CHECK(n == 0 || score[0] == 0);
    bo.samples = 5;
    TG_CHECK(tg_algo_betweenness(p, &bo, score, &err) == TG_OK);
    TG_CHECK(n == 0 || score[0] == 0);
    TG_CHECK(tg_algo_closeness(p, score, &err) == TG_OK);
    TG_CHECK(n == 0 || score[0] == 0);
    TG_CHECK(tg_algo_harmonic(p, score, &err) == TG_OK);
    TG_CHECK(n == 0 || score[0] == 0);
    TG_CHECK(tg_algo_eigenvector(p, score, &err) == TG_OK);
    TG_CHECK(n == 0 || score[0] == 0);
    TG_CHECK(tg_algo_wcc(p, id, NULL, &err) == TG_OK);
    TG_CHECK(n == 0 || id[0] == 0);
    TG_CHECK(tg_algo_scc(p, id, NULL, &err) == TG_OK);
    TG_CHECK(n == 0 || id[0] == 0);
    TG_CHECK(tg_algo_kcore(p, id, &err) == TG_OK);
    TG_CHECK(n == 0 || id[0] == 0);
    TG_CHECK(tg_algo_articulation_points(p, &l, &err) == TG_OK);
    TG_CHECK_INT(l.n, 0);
    tg_idlist_destroy(&l);
    TG_CHECK(tg_algo_bridges(p, &l, &err) == TG_OK);
    TG_CHECK_INT(l.n, 0);
    tg_idlist_destroy(&l);
    id[0] = 99;
    TG_CHECK(tg_algo_louvain(p, &co, id, &q, &err) == TG_OK);
    TG_CHECK(n == 0 || id[0] == 0);
    TG_CHECK(isnan(q));
    id[0] = 99;
    TG_CHECK(tg_algo_leiden(p, &co, id, &q, &err) == TG_OK);
    TG_CHECK(n == 0 || id[0] == 0);
    id[0] = 99;
    TG_CHECK(tg_algo_label_propagation(p, &co, id, &err) == TG_OK);
    TG_CHECK(n == 0 || id[0] == 0);
    TG_CHECK(tg_algo_modularity(p, id, 1.0, &q, &err) == TG_OK);
    TG_CHECK(isnan(q));
    TG_CHECK(tg_algo_neighbourhood(p, &only, only == TG_NONE ? 0 : 1, 3, 0, &ego, &err) == TG_OK);
    TG_CHECK_INT(ego.nnodes, n);
    TG_CHECK_INT(ego.nrels, 0);
    TG_CHECK_INT(ego.omitted, 0);
    tg_ego_destroy(&ego);
    if (n == 1) {
        TG_CHECK(tg_algo_shortest_path(p, only, only, &pl, &err) == TG_OK);
        TG_CHECK_INT(pl.n, 1);
        TG_CHECK(pl.n == 1 && pl.paths[0].len == 0 && pl.paths[0].cost == 0 &&
                 pl.paths[0].nodes[0] == only);
        tg_path_list_destroy(&pl);
        TG_CHECK(tg_algo_k_shortest_paths(p, only, only, 3, &pl, &err) == TG_OK);
        TG_CHECK_INT(pl.n, 1);
        tg_path_list_destroy(&pl);
        TG_CHECK(tg_algo_all_simple_paths(p, only, only, 3, 0, &pl, &err) == TG_OK);
        TG_CHECK_INT(pl.n, 1);
        tg_path_list_destroy(&pl);
    } else {
        /* no entity to start from */
        TG_CHECK(tg_algo_shortest_path(p, 0, 0, &pl, &err) == TG_EARG);
        TG_CHECK_INT(pl.n, 0);
    }
}

static void t_empty_graph(void)
{
    tg_graph *g = tg_graph_new();
    tg_projection *p = project(g, TG_DIR_OUT, NULL);
    TG_CHECK(p != NULL);
    if (p) {
        TG_CHECK_INT(tg_projection_node_count(p), 0);
        check_trivial(p, TG_NONE);
    }
    tg_projection_free(p);
    tg_graph_free(g);
}

static void t_one_entity(void)
{
    static const tg_dir dirs[] = {TG_DIR_OUT, TG_DIR_IN, TG_DIR_BOTH};
    tg_graph *g = tg_graph_new();
    tg_ent a = ent(g, "a", "Company");
    size_t i;
    for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        tg_projection *p = project(g, dirs[i], NULL);
        TG_CHECK(p != NULL);
        if (p) {
            TG_CHECK_INT(tg_projection_node_count(p), 1);
            check_trivial(p, a);
        }
        tg_projection_free(p);
    }
    tg_graph_free(g);
}

/* a -> b -> c -> d (weights 1, 2, 3), e isolated Country, f -> f. */
static tg_graph *chain(void)
{
    tg_graph *g = tg_graph_new();
    tg_ent a = ent(g, "a", "Company"), b = ent(g, "b", "Company"), c = ent(g, "c", "Lender"),
           d = ent(g, "d", "Company");
    tg_ent e = ent(g, "e", "Country"), f = ent(g, "f", "Company");
    (void)e;
    rel(g, a, b, "OWNS", 1);
    rel(g, b, c, "FINANCES", 2);
    rel(g, c, d, "OWNS", 3);
    rel(g, f, f, "OWNS", -1);
    return g;
}

static void t_projection_selects_nothing(void)
{
    tg_graph *g = chain();
    tg_sym nope = tg_graph_sym(g, "Nope", 4), owns = sym(g, "OWNS");
    tg_proj_spec s;
    tg_projection *p = NULL;
    tg_error err;

    tg_proj_spec_init(&s);
    s.labels = &nope; /* symbol 0: a label nobody has */
    s.nlabels = 1;
    TG_CHECK(tg_projection_new(g, &s, &p, &err) == TG_OK);
    TG_CHECK_INT(tg_projection_node_count(p), 0);
    TG_CHECK_INT(tg_projection_rel_count(p), 0);
    check_trivial(p, TG_NONE);
    tg_projection_free(p);

    /* types only: all entities kept, only OWNS relations */
    tg_proj_spec_init(&s);
    s.types = &owns;
    s.ntypes = 1;
    TG_CHECK(tg_projection_new(g, &s, &p, &err) == TG_OK);
    TG_CHECK_INT(tg_projection_node_count(p), 6);
    TG_CHECK_INT(tg_projection_rel_count(p), 3);
    TG_CHECK_INT(tg_projection_relation(p, 1), 2);
    tg_projection_free(p);
    tg_graph_free(g);
}

static void t_chain_values(void)
{
    tg_graph *g = chain();
    tg_projection *p = project(g, TG_DIR_OUT, NULL), *pin = project(g, TG_DIR_IN, NULL);
    tg_projection *pw = project(g, TG_DIR_OUT, "w");
    double s[6];
    uint32_t id[6];
    size_t nc = 0;
    tg_betweenness_opts bo;
    tg_error err;

    tg_betweenness_opts_init(&bo);
    /* out-degree counts the self-loop once, both counts it twice */
    TG_CHECK(tg_algo_degree(p, s, &err) == TG_OK);
    TG_CHECK(s[0] == 1 && s[3] == 0 && s[5] == 1);
    TG_CHECK(tg_algo_degree(pw, s, &err) == TG_OK);
    TG_CHECK(s[0] == 1 && s[1] == 2 && s[2] == 3 && s[5] == 1); /* f's loop: default 1 */
    TG_CHECK(tg_algo_betweenness(p, &bo, s, &err) == TG_OK);
    TG_CHECK(s[0] == 0 && s[1] == 2 && s[2] == 2 && s[3] == 0);
    TG_CHECK(tg_algo_betweenness(pin, &bo, s, &err) == TG_OK);
    TG_CHECK(s[1] == 2 && s[2] == 2);
    bo.cutoff = 1; /* no path of 2 hops counts: nobody is between */
    TG_CHECK(tg_algo_betweenness(p, &bo, s, &err) == TG_OK);
    TG_CHECK(s[1] == 0 && s[2] == 0);
    bo.cutoff = -1;
    /* closeness from a: reaches 3 at distances 1, 2, 3 -> 3/6 * 3/5 */
    TG_CHECK(tg_algo_closeness(p, s, &err) == TG_OK);
    TG_CHECK(NEAR(s[0], 3.0 / 6.0 * 3.0 / 5.0));
    TG_CHECK(s[3] == 0 && s[4] == 0);
    TG_CHECK(tg_algo_closeness(pin, s, &err) == TG_OK);
    TG_CHECK(NEAR(s[3], 3.0 / 6.0 * 3.0 / 5.0) && s[0] == 0);
    TG_CHECK(tg_algo_harmonic(p, s, &err) == TG_OK);
    TG_CHECK(NEAR(s[0], (1 + 0.5 + 1.0 / 3) / 5));
    TG_CHECK(tg_algo_harmonic(pw, s, &err) == TG_OK);
    TG_CHECK(NEAR(s[0], (1 + 1.0 / 3 + 1.0 / 6) / 5));
    /* components: {a,b,c,d} {e} {f} */
    TG_CHECK(tg_algo_wcc(p, id, &nc, &err) == TG_OK);
    TG_CHECK_INT(nc, 3);
    TG_CHECK(id[0] == 0 && id[3] == 0 && id[4] == 1 && id[5] == 2);
    TG_CHECK(tg_algo_scc(p, id, &nc, &err) == TG_OK);
    TG_CHECK_INT(nc, 6);
    TG_CHECK(id[0] == 0 && id[1] == 1 && id[5] == 5);
    /* the middle of a chain cuts it; each chain link is a bridge */
    {
        tg_idlist l = {0};
        TG_CHECK(tg_algo_articulation_points(p, &l, &err) == TG_OK);
        TG_CHECK(l.n == 2 && l.v[0] == 1 && l.v[1] == 2);
        tg_idlist_destroy(&l);
        TG_CHECK(tg_algo_bridges(p, &l, &err) == TG_OK);
        TG_CHECK(l.n == 3 && l.v[0] == 0 && l.v[2] == 2);
        tg_idlist_destroy(&l);
    }
    /* personalised PageRank from d in direction in: only d, c, b, a reachable */
    {
        tg_pagerank_opts po;
        tg_ent src = 3, far = 4;
        double s2[6];
        tg_pagerank_opts_init(&po);
        po.sources = &src;
        po.nsources = 1;
        TG_CHECK(tg_algo_pagerank(pin, &po, s, &err) == TG_OK);
        TG_CHECK(s[4] == 0 && s[5] == 0 && s[3] > s[2] && s[2] > s[1] && s[1] > s[0]);
        TG_CHECK(NEAR(s[0] + s[1] + s[2] + s[3], 1.0));
        po.sources = &far;
        TG_CHECK(tg_algo_pagerank(pin, &po, s2, &err) == TG_OK);
        TG_CHECK(NEAR(s2[4], 1.0));
    }
    tg_projection_free(p);
    tg_projection_free(pin);
    tg_projection_free(pw);
    tg_graph_free(g);
}

static void t_option_errors(void)
{
    tg_graph *g = chain();
    tg_projection *p = project(g, TG_DIR_OUT, NULL);
    double s[6];
    uint32_t id[6] = {0};
    tg_pagerank_opts po;
    tg_community_opts co;
    tg_path_list pl = {0};
    tg_proj_spec spec;
    tg_projection *bad = NULL;
    tg_pval v;
    tg_sym country = sym(g, "Country"), company = sym(g, "Company");
    tg_ent nowhere = 4, c = 2;
    double q;
    tg_error err;

    tg_pagerank_opts_init(&po);
    po.damping = 1.0;
    TG_CHECK(tg_algo_pagerank(p, &po, s, &err) == TG_EARG);
    TG_CHECK(strstr(err.message, "damping") != NULL);
    tg_pagerank_opts_init(&po);
    po.tolerance = 1e-12;
    TG_CHECK(tg_algo_pagerank(p, &po, s, &err) == TG_EARG);
    TG_CHECK(strstr(err.message, "tolerance") != NULL);
    tg_community_opts_init(&co);
    co.resolution = -1;
    TG_CHECK(tg_algo_louvain(p, &co, id, NULL, &err) == TG_EARG);
    TG_CHECK(tg_algo_modularity(p, id, -1, &q, &err) == TG_EARG);
    tg_community_opts_init(&co);
    co.beta = 0;
    TG_CHECK(tg_algo_leiden(p, &co, id, NULL, &err) == TG_EARG);

    /* sources outside the projection (Company only: c is a Lender) */
    tg_proj_spec_init(&spec);
    spec.labels = &company;
    spec.nlabels = 1;
    TG_CHECK(tg_projection_new(g, &spec, &bad, &err) == TG_OK);
    tg_pagerank_opts_init(&po);
    po.sources = &c;
    po.nsources = 1;
    TG_CHECK(tg_algo_pagerank(bad, &po, s, &err) == TG_EARG);
    TG_CHECK(tg_algo_shortest_path(bad, 0, c, &pl, &err) == TG_EARG);
    TG_CHECK(strstr(err.message, "'c'") != NULL);
    tg_projection_free(bad);
    bad = NULL;

    /* excluding Country keeps e only when pinned */
    tg_proj_spec_init(&spec);
    spec.exclude = &country;
    spec.nexclude = 1;
    TG_CHECK(tg_projection_new(g, &spec, &bad, &err) == TG_OK);
    TG_CHECK(tg_projection_vertex(bad, nowhere) == TG_NONE);
    tg_projection_free(bad);
    bad = NULL;
    spec.pinned = &nowhere;
    spec.npinned = 1;
    TG_CHECK(tg_projection_new(g, &spec, &bad, &err) == TG_OK);
    TG_CHECK(tg_projection_vertex(bad, nowhere) != TG_NONE);
    tg_projection_free(bad);
    bad = NULL;

    /* a weight that is not a number, or negative */
    memset(&v, 0, sizeof v);
    v.type = TG_V_STRING;
    v.u.s = sym(g, "lots");
    TG_CHECK(tg_graph_set_prop(g, TG_RELATION, 1, sym(g, "amount"), &v, NULL) == TG_OK);
    tg_projection_free(p);
    p = NULL;
    tg_proj_spec_init(&spec);
    spec.weight = tg_graph_sym(g, "amount", 6);
    TG_CHECK(tg_projection_new(g, &spec, &bad, &err) == TG_EARG);
    TG_CHECK(strstr(err.message, "amount") != NULL && strstr(err.message, "'b'") != NULL);
    TG_CHECK(bad == NULL);
    v.type = TG_V_INT;
    v.u.i = -5;
    TG_CHECK(tg_graph_set_prop(g, TG_RELATION, 1, sym(g, "amount"), &v, NULL) == TG_OK);
    TG_CHECK(tg_projection_new(g, &spec, &bad, &err) == TG_EARG);
    spec.weight = tg_graph_sym(g, "w", 1);
    spec.default_weight = -1;
    TG_CHECK(tg_projection_new(g, &spec, &bad, &err) == TG_EARG);
    /* defaultWeight 0 gives f's self-loop weight 0: fine for paths and
     * PageRank, refused by the measures that read weights as lengths */
    spec.default_weight = 0;
    TG_CHECK(tg_projection_new(g, &spec, &bad, &err) == TG_OK);
    TG_CHECK(tg_projection_weight(bad, 3) == 0);
    {
        tg_betweenness_opts bo;
        tg_betweenness_opts_init(&bo);
        TG_CHECK(tg_algo_betweenness(bad, &bo, s, &err) == TG_EARG);
        TG_CHECK(strstr(err.message, "'f'") != NULL && strstr(err.message, "> 0") != NULL);
        bo.samples = 2;
        TG_CHECK(tg_algo_betweenness(bad, &bo, s, &err) == TG_EARG);
        TG_CHECK(tg_algo_closeness(bad, s, &err) == TG_EARG);
        TG_CHECK(tg_algo_harmonic(bad, s, &err) == TG_EARG);
        tg_pagerank_opts_init(&po);
        TG_CHECK(tg_algo_pagerank(bad, &po, s, &err) == TG_OK);
        TG_CHECK(tg_algo_shortest_path(bad, 0, 3, &pl, &err) == TG_OK);
        TG_CHECK(pl.n == 1 && pl.paths[0].cost == 6);
        tg_path_list_destroy(&pl);
    }
    tg_projection_free(bad);
    tg_graph_free(g);
}

/* A 6 x 6 grid, undirected: enough structure for sampling to matter. */
static tg_graph *grid(void)
{
    tg_graph *g = tg_graph_new();
    tg_ent v[36];
    char id[8];
    int i, j;
    for (i = 0; i < 36; i++) {
        snprintf(id, sizeof id, "g%02d", i);
        v[i] = ent(g, id, "Company");
    }
    for (i = 0; i < 6; i++)
        for (j = 0; j < 6; j++) {
            if (j + 1 < 6)
                rel(g, v[i * 6 + j], v[i * 6 + j + 1], "T", 1 + (i + j) % 3);
            if (i + 1 < 6)
                rel(g, v[i * 6 + j], v[(i + 1) * 6 + j], "T", 1 + (i * j) % 4);
        }
    return g;
}

static void t_sampled_betweenness(void)
{
    tg_graph *g = grid();
    const char *weights[] = {NULL, "w"};
    size_t k, i;
    tg_error err;

    for (k = 0; k < 2; k++) {
        tg_projection *p = project(g, TG_DIR_BOTH, weights[k]);
        double exact[36], all[36], s1[36], s2[36], s3[36];
        uint32_t src[36];
        tg_betweenness_opts bo;
        int differ = 0;

        tg_betweenness_opts_init(&bo);
        TG_CHECK(tg_algo_betweenness(p, &bo, exact, &err) == TG_OK);
        /* Brandes from every source is the exact value (igraph's) */
        for (i = 0; i < 36; i++)
            src[i] = (uint32_t)i;
        TG_CHECK(tg_algo_betweenness_from(p, src, 36, -1, all, &err) == TG_OK);
        for (i = 0; i < 36; i++)
            TG_CHECK(fabs(all[i] - exact[i]) <= 1e-9);
        /* samples >= n is exact */
        bo.samples = 36;
        TG_CHECK(tg_algo_betweenness(p, &bo, s1, &err) == TG_OK);
        for (i = 0; i < 36; i++)
            TG_CHECK(fabs(s1[i] - exact[i]) <= 1e-9);
        /* the same seed gives the same estimate; another seed another one */
        bo.samples = 8;
        bo.seed = 7;
        TG_CHECK(tg_algo_betweenness(p, &bo, s1, &err) == TG_OK);
        TG_CHECK(tg_algo_betweenness(p, &bo, s2, &err) == TG_OK);
        bo.seed = 8;
        TG_CHECK(tg_algo_betweenness(p, &bo, s3, &err) == TG_OK);
        for (i = 0; i < 36; i++) {
            TG_CHECK(s1[i] == s2[i]);
            differ |= s1[i] != s3[i];
        }
        TG_CHECK(differ);
        /* cutoff through the sampled path equals igraph's cutoff */
        bo.samples = 0;
        bo.cutoff = 3;
        TG_CHECK(tg_algo_betweenness(p, &bo, exact, &err) == TG_OK);
        TG_CHECK(tg_algo_betweenness_from(p, src, 36, 3, all, &err) == TG_OK);
        for (i = 0; i < 36; i++)
            TG_CHECK(fabs(all[i] - exact[i]) <= 1e-9);
        src[0] = 99;
        TG_CHECK(tg_algo_betweenness_from(p, src, 1, -1, all, &err) == TG_EARG);
        tg_projection_free(p);
    }
    tg_graph_free(g);
}

/* tiegraph's Brandes (all sources) against igraph's exact betweenness on a
 * random directed multigraph with self-loops, every direction, weighted or
 * not, with and without cutoff. */
static void t_brandes_matches_igraph(void)
{
    static const tg_dir dirs[] = {TG_DIR_OUT, TG_DIR_IN, TG_DIR_BOTH};
    static const double cutoffs[] = {-1, 2, 3.5};
    tg_graph *g = tg_graph_new();
    tg_ent v[60];
    uint32_t src[60];
    unsigned seed = 12345;
    size_t i, d, wi, ci;
    char id[8];
    tg_error err;

    for (i = 0; i < 60; i++) {
        snprintf(id, sizeof id, "r%02u", (unsigned)i);
        v[i] = ent(g, id, "Company");
        src[i] = (uint32_t)i;
    }
    for (i = 0; i < 200; i++) {
        unsigned a, b;
        seed = seed * 1103515245u + 12345u;
        a = (seed >> 8) % 60;
        seed = seed * 1103515245u + 12345u;
        b = (seed >> 8) % 60;
        if (i % 37 == 0)
            b = a; /* a self-loop */
        rel(g, v[a], v[b], "T", 0.5 * (double)(1 + (seed >> 20) % 6));
        if (i % 11 == 0)
            rel(g, v[a], v[b], "T", 1.5); /* a parallel relation */
    }
    for (d = 0; d < 3; d++)
        for (wi = 0; wi < 2; wi++) {
            tg_projection *p = project(g, dirs[d], wi ? "w" : NULL);
            for (ci = 0; ci < 3; ci++) {
                double exact[60], ours[60];
                tg_betweenness_opts bo;
                int ok = 1;
                tg_betweenness_opts_init(&bo);
                bo.cutoff = cutoffs[ci];
                TG_CHECK(tg_algo_betweenness(p, &bo, exact, &err) == TG_OK);
                TG_CHECK(tg_algo_betweenness_from(p, src, 60, bo.cutoff, ours, &err) == TG_OK);
                for (i = 0; i < 60; i++)
                    ok &= fabs(ours[i] - exact[i]) <= 1e-9 * (1 + fabs(exact[i]));
                if (!ok)
                    fprintf(stderr, "  direction %u, weighted %u, cutoff %g differ\n", (unsigned)d,
                            (unsigned)wi, cutoffs[ci]);
                TG_CHECK(ok);
            }
            tg_projection_free(p);
        }
    tg_graph_free(g);
}

/* tiegraph's union-find weak components against igraph's (tg_algo_scc with
 * direction both runs igraph_connected_components(WEAK)) on a sparse random
 * multigraph with many components, whole and projected. */
static void t_wcc_matches_igraph(void)
{
    tg_graph *g = tg_graph_new();
    tg_ent v[300];
    unsigned seed = 99;
    size_t i, k;
    char id[8];
    tg_sym a = sym(g, "A");
    tg_error err;

    for (i = 0; i < 300; i++) {
        snprintf(id, sizeof id, "w%03u", (unsigned)i);
        v[i] = ent(g, id, i % 3 ? "Company" : "Country");
    }
    for (i = 0; i < 250; i++) {
        unsigned x, y;
        seed = seed * 1103515245u + 12345u;
        x = (seed >> 8) % 300;
        seed = seed * 1103515245u + 12345u;
        y = (seed >> 8) % 300;
        rel(g, v[x], v[y], i % 4 ? "A" : "B", -1);
    }
    for (k = 0; k < 2; k++) {
        tg_proj_spec spec;
        tg_projection *p = NULL;
        uint32_t ours[300], ref[300];
        size_t nc = 0, nref = 0;
        tg_proj_spec_init(&spec);
        spec.dir = TG_DIR_BOTH;
        if (k == 1) {
            spec.types = &a;
            spec.ntypes = 1;
        }
        TG_CHECK(tg_projection_new(g, &spec, &p, &err) == TG_OK);
        TG_CHECK(tg_algo_wcc(p, ours, &nc, &err) == TG_OK);
        TG_CHECK(tg_algo_scc(p, ref, &nref, &err) == TG_OK);
        TG_CHECK(nc == nref && nc > 10);
        TG_CHECK(memcmp(ours, ref, tg_projection_node_count(p) * sizeof ours[0]) == 0);
        tg_projection_free(p);
    }
    tg_graph_free(g);
}

static void t_rank_ties(void)
{
    tg_graph *g = grid();
    tg_projection *p = project(g, TG_DIR_OUT, NULL);
    double s[36];
    uint32_t order[36];
    size_t i;

    for (i = 0; i < 36; i++)
        s[i] = 1.0;
    s[5] = 2.0;
    s[30] = 2.0 * (1 + 1e-14); /* a tie up to rounding */
    s[2] = NAN;
    s[7] = 3.0;
    tg_algo_rank(p, s, order);
    TG_CHECK_INT(order[0], 7);
    TG_CHECK_INT(order[1], 5);
    TG_CHECK_INT(order[2], 30);
    TG_CHECK_INT(order[3], 0);
    TG_CHECK_INT(order[4], 1);
    TG_CHECK_INT(order[5], 3);
    TG_CHECK_INT(order[35], 2);
    tg_projection_free(p);
    tg_graph_free(g);
}

static void t_limits(void)
{
    tg_graph *g = grid();
    tg_projection *p = project(g, TG_DIR_BOTH, NULL);
    tg_path_list pl = {0};
    tg_ego ego;
    tg_ent seed = 0;
    size_t all;
    tg_error err;

    /* corner to corner of a 6 x 6 grid: C(10, 5) = 252 shortest paths of 10 hops */
    TG_CHECK(tg_algo_all_simple_paths(p, 0, 35, 10, 0, &pl, &err) == TG_OK);
    TG_CHECK_INT(pl.n, 252);
    all = pl.n;
    tg_path_list_destroy(&pl);
    TG_CHECK(tg_algo_all_simple_paths(p, 0, 35, 10, 17, &pl, &err) == TG_OK);
    TG_CHECK_INT(pl.n, 17);
    TG_CHECK(pl.n == 17 && pl.paths[0].len == 10 && pl.paths[0].nodes[10] == 35);
    tg_path_list_destroy(&pl);
    TG_CHECK(all == 252);
    TG_CHECK(tg_algo_k_shortest_paths(p, 0, 35, 5, &pl, &err) == TG_OK);
    TG_CHECK_INT(pl.n, 5);
    TG_CHECK(pl.n == 5 && pl.paths[4].cost == 10);
    tg_path_list_destroy(&pl);
    /* within 2 hops of a corner: 1 + 2 + 3 entities; limit 4 keeps the nearest */
    TG_CHECK(tg_algo_neighbourhood(p, &seed, 1, 2, 0, &ego, &err) == TG_OK);
    TG_CHECK_INT(ego.nnodes, 6);
    TG_CHECK_INT(ego.nrels, 6);
    TG_CHECK_INT(ego.omitted, 0);
    tg_ego_destroy(&ego);
    TG_CHECK(tg_algo_neighbourhood(p, &seed, 1, 2, 4, &ego, &err) == TG_OK);
    TG_CHECK_INT(ego.nnodes, 4);
    TG_CHECK_INT(ego.omitted, 2);
    TG_CHECK(ego.nnodes == 4 && ego.nodes[0] == 0 && ego.hops[0] == 0 && ego.nodes[1] == 1 &&
             ego.nodes[2] == 6 && ego.hops[3] == 2 && ego.nodes[3] == 2);
    TG_CHECK_INT(ego.nrels, 3);
    tg_ego_destroy(&ego);
    tg_projection_free(p);
    tg_graph_free(g);
}

static int calls;

static int stop_after(void *ctx)
{
    calls++;
    return calls > *(const int *)ctx;
}

/* A stop callback stops igraph's algorithms and tiegraph's own loops with
 * TG_ERUNTIME; removed, everything runs again. */
static void t_stop(void)
{
    tg_graph *g = grid();
    tg_projection *p = project(g, TG_DIR_BOTH, NULL);
    double s[36];
    uint32_t src[36], id[36];
    tg_betweenness_opts bo;
    tg_community_opts co;
    tg_path_list pl = {0};
    int never = 1 << 30, now = 0;
    size_t i;
    tg_error err;

    for (i = 0; i < 36; i++)
        src[i] = (uint32_t)i;
    tg_betweenness_opts_init(&bo);
    tg_community_opts_init(&co);
    tg_algo_set_stop(stop_after, &now);
    calls = 0;
    TG_CHECK(tg_algo_betweenness(p, &bo, s, &err) == TG_ERUNTIME);
    TG_CHECK(strstr(err.message, "stopped") != NULL);
    TG_CHECK(calls > 0);
    TG_CHECK(tg_algo_betweenness_from(p, src, 36, -1, s, &err) == TG_ERUNTIME);
    TG_CHECK(tg_algo_closeness(p, s, &err) == TG_ERUNTIME);
    TG_CHECK(tg_algo_all_simple_paths(p, 0, 35, 10, 0, &pl, &err) == TG_ERUNTIME);
    TG_CHECK_INT(pl.n, 0);
    tg_algo_set_stop(stop_after, &never);
    TG_CHECK(tg_algo_betweenness(p, &bo, s, &err) == TG_OK);
    TG_CHECK(tg_algo_louvain(p, &co, id, NULL, &err) == TG_OK);
    tg_algo_set_stop(NULL, NULL);
    calls = 0;
    TG_CHECK(tg_algo_betweenness_from(p, src, 36, -1, s, &err) == TG_OK);
    TG_CHECK(tg_algo_all_simple_paths(p, 0, 35, 10, 0, &pl, &err) == TG_OK);
    TG_CHECK_INT(pl.n, 252);
    TG_CHECK_INT(calls, 0);
    tg_path_list_destroy(&pl);
    tg_projection_free(p);
    tg_graph_free(g);
}

static void t_communities_deterministic(void)
{
    tg_graph *g = grid();
    tg_projection *p = project(g, TG_DIR_BOTH, "w");
    uint32_t a[36], b[36];
    tg_community_opts co;
    double qa, qb, qm;
    tg_error err;

    tg_community_opts_init(&co);
    co.seed = 3;
    TG_CHECK(tg_algo_louvain(p, &co, a, &qa, &err) == TG_OK);
    TG_CHECK(tg_algo_louvain(p, &co, b, &qb, &err) == TG_OK);
    TG_CHECK(memcmp(a, b, sizeof a) == 0 && qa == qb && qa > 0.3);
    TG_CHECK(tg_algo_modularity(p, a, 1.0, &qm, &err) == TG_OK);
    TG_CHECK(NEAR(qm, qa));
    TG_CHECK(a[0] == 0);
    TG_CHECK(tg_algo_leiden(p, &co, a, &qa, &err) == TG_OK);
    TG_CHECK(tg_algo_leiden(p, &co, b, &qb, &err) == TG_OK);
    TG_CHECK(memcmp(a, b, sizeof a) == 0 && qa > 0.3);
    TG_CHECK(tg_algo_label_propagation(p, &co, a, &err) == TG_OK);
    TG_CHECK(tg_algo_label_propagation(p, &co, b, &err) == TG_OK);
    TG_CHECK(memcmp(a, b, sizeof a) == 0);
    tg_projection_free(p);
    tg_graph_free(g);
}

int main(void)
{
    TG_RUN(t_empty_graph);
    TG_RUN(t_one_entity);
    TG_RUN(t_projection_selects_nothing);
    TG_RUN(t_chain_values);
    TG_RUN(t_option_errors);
    TG_RUN(t_sampled_betweenness);
    TG_RUN(t_brandes_matches_igraph);
    TG_RUN(t_wcc_matches_igraph);
    TG_RUN(t_rank_ties);
    TG_RUN(t_limits);
    TG_RUN(t_communities_deterministic);
    TG_RUN(t_stop);
    return tg_test_finish();
}
