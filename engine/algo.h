/* algo.h — graph algorithms on a projection of the graph.
 *
 * Every algorithm runs on a tg_projection: the entities and relations that
 * a set of options selects (labels kept, relation types kept, labels
 * excluded), seen in one direction (out, in or both), with an optional
 * numeric relation property as weight. The algorithms themselves are
 * igraph's (igraph 0.10) wherever igraph has them; see docs/query-language.md ("Algorithm procedures")
 * for the definitions chosen where libraries differ.
 *
 * This header is independent of the query language and of igraph: the
 * procedures in queries/proc_algo.c are thin wrappers over it.
 *
 * Vertices. A projection numbers its entities 0..n-1 in ascending entity
 * order (so "vertex order" and "entity order" agree), and its relations
 * 0..m-1 in ascending relation order. Per-entity results are arrays indexed
 * by vertex; tg_projection_entity maps a vertex back to its entity.
 *
 * Determinism. Randomised algorithms (sampled betweenness, Louvain, Leiden,
 * label propagation) seed igraph's default generator with the given seed
 * before they run, so the same seed on the same projection gives the same
 * result. Community and component ids are renumbered 0, 1, ... in the order
 * of each group's smallest entity. Rankings are ordered by score
 * descending, then entity index ascending.
 *
 * Ownership. A projection borrows the graph: it is valid until the graph is
 * mutated or freed. Result arrays passed in are caller-owned; result lists
 * (tg_idlist, tg_path_list, tg_ego) are filled by the callee and released by
 * the caller with their _destroy function.
 *
 * Errors. Every function that can fail takes a tg_error last and returns
 * TG_ENOMEM, TG_EARG (a bad option value, with a sentence naming it) or
 * TG_EINTERNAL (igraph failed unexpectedly; its message is kept).
 */
#ifndef TG_ALGO_H
#define TG_ALGO_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"
#include "tg_error.h"

/* ---- stopping ------------------------------------------------------------- */

/* Long algorithms call fn(ctx) now and then, from the calling thread; a
 * non-zero return stops the running algorithm, which returns TG_ERUNTIME.
 * tg_algo_set_stop installs fn (NULL removes it). Process-wide, since it
 * drives igraph's own interruption handler, which is global: one algorithm
 * at a time per process, as igraph allows. */
typedef int (*tg_algo_stop_fn)(void *ctx);
void tg_algo_set_stop(tg_algo_stop_fn fn, void *ctx);

/* ---- projections --------------------------------------------------------- */

typedef enum tg_dir {
    TG_DIR_OUT = 0, /* follow relations from source to target */
    TG_DIR_IN,      /* follow relations from target to source */
    TG_DIR_BOTH     /* ignore direction */
} tg_dir;

/* What a projection keeps. All pointers are borrowed for the duration of
 * tg_projection_new only. A symbol 0 in labels, types or exclude (a name
 * the graph has never seen) matches nothing. */
typedef struct tg_proj_spec {
    const tg_sym *labels;  /* keep entities with any of these labels; */
    size_t nlabels;        /*   nlabels == 0 keeps every entity */
    const tg_sym *types;   /* keep relations of these types; */
    size_t ntypes;         /*   ntypes == 0 keeps every relation */
    const tg_sym *exclude; /* drop entities with any of these labels */
    size_t nexclude;
    const tg_ent *pinned; /* entities kept even if excluded (path ends) */
    size_t npinned;
    tg_dir dir;
    tg_sym weight;         /* numeric relation property used as weight; 0 = none */
    double default_weight; /* weight of a relation that lacks the property */
} tg_proj_spec;

typedef struct tg_projection tg_projection;

/* Sets *s to the whole graph, direction out, unweighted, default weight 1. */
void tg_proj_spec_init(tg_proj_spec *s);

/* Builds the projection of g that s selects; result in *out (owned: free
 * with tg_projection_free). Keeps a relation when its type is kept and both
 * its ends are kept. With no label, type or exclude filter the projection
 * borrows the graph's own igraph_t and copies nothing but the weights.
 * Errors: TG_ENOMEM; TG_EARG when a weight value is not a number, is
 * negative or not finite (the message names the relation).
 * O(V + E) with filters, O(E) for the weights otherwise. */
tg_status tg_projection_new(tg_graph *g, const tg_proj_spec *s, tg_projection **out, tg_error *err);

/* Frees a projection. Accepts NULL. */
void tg_projection_free(tg_projection *p);

size_t tg_projection_node_count(const tg_projection *p);
size_t tg_projection_rel_count(const tg_projection *p);
/* The entity of vertex v (v < node count). */
tg_ent tg_projection_entity(const tg_projection *p, size_t v);
/* The relation of projection edge i (i < rel count). */
tg_rel tg_projection_relation(const tg_projection *p, size_t i);
/* The vertex of entity e, or TG_NONE when e is not in the projection. */
uint32_t tg_projection_vertex(const tg_projection *p, tg_ent e);
/* The weight of projection edge i (1 when unweighted). */
double tg_projection_weight(const tg_projection *p, size_t i);
int tg_projection_is_weighted(const tg_projection *p);
tg_dir tg_projection_dir(const tg_projection *p);
/* The graph the projection was built from (borrowed). */
tg_graph *tg_projection_graph(const tg_projection *p);

/* ---- result lists -------------------------------------------------------- */

/* A list of vertex, entity or relation indexes (callee-filled, caller-owned:
 * release with tg_idlist_destroy). Initialise with {0}. */
typedef struct tg_idlist {
    uint32_t *v;
    size_t n;
} tg_idlist;
void tg_idlist_destroy(tg_idlist *l);

/* A path: len relations, len + 1 entities, in traversal order. */
typedef struct tg_path {
    size_t len;
    tg_ent *nodes;
    tg_rel *rels;
    double cost; /* sum of weights, or len when unweighted */
} tg_path;

typedef struct tg_path_list {
    tg_path *paths;
    size_t n;
} tg_path_list;
void tg_path_list_destroy(tg_path_list *l);

/* Sorts the vertices 0..n-1 into order[] (caller-allocated, n entries) by
 * score descending, then entity id ascending (bytewise); NaN scores last.
 * Scores equal up to rounding (a relative 1e-10, chained) are ties, so that
 * a tie does not depend on the last bits of a floating-point sum.
 * O(n log n). */
void tg_algo_rank(const tg_projection *p, const double *score, uint32_t *order);

/* ---- centrality: score[] has tg_projection_node_count entries ----------- */

/* Degree in the projection's direction (both: in + out, a self-loop counts
 * twice); weighted projections sum the weights (strength). O(V + E). */
tg_status tg_algo_degree(tg_projection *p, double *score, tg_error *err);

typedef struct tg_pagerank_opts {
    double damping;        /* in [0, 1); default 0.85 */
    double tolerance;      /* L1 error bound; default 1e-6; must be >= 1e-10 */
    const tg_ent *sources; /* personalise: teleport only to these entities */
    size_t nsources;       /*   (entities outside the projection are ignored) */
} tg_pagerank_opts;
void tg_pagerank_opts_init(tg_pagerank_opts *o);

/* PageRank by PRPACK (solved to an L1 error of 1e-10, which meets every
 * allowed tolerance); weights multiply transition probabilities, parallel
 * relations add up; dangling vertices jump like the teleport. Direction
 * both treats relations as undirected; in follows them backwards. Scores
 * sum to 1. Errors: TG_EARG for damping outside [0, 1) or tolerance < 1e-10
 * or when every source lies outside the projection. O(V + E) per
 * iteration. */
tg_status tg_algo_pagerank(tg_projection *p, const tg_pagerank_opts *o, double *score,
                           tg_error *err);

typedef struct tg_betweenness_opts {
    size_t samples; /* 0: exact; else Brandes from this many random sources */
    uint64_t seed;  /* for the sample */
    double cutoff;  /* < 0: no limit; else ignore paths longer than cutoff */
} tg_betweenness_opts;
void tg_betweenness_opts_init(tg_betweenness_opts *o);

/* Betweenness, closeness and harmonic centrality read weights as lengths:
 * on a weighted projection each needs every weight > 0 (TG_EARG naming the
 * first relation that has weight 0 otherwise).
 *
 * Betweenness: for each vertex, the sum over pairs (s, t) of the share of
 * shortest s-t paths through it (parallel relations are distinct paths);
 * undirected (direction both) counts each pair once. Not normalised.
 * Sampled: Brandes's accumulation from `samples` distinct sources drawn
 * uniformly with the seed, scaled by n / samples (an unbiased estimate;
 * graph-tool's pivots, networkx's k). samples >= n is exact.
 * O(V E) exact unweighted, O(V E + V^2 log V) weighted; sampled O(k E). */
tg_status tg_algo_betweenness(tg_projection *p, const tg_betweenness_opts *o, double *score,
                              tg_error *err);

/* Betweenness accumulated from the given source vertices only (no
 * scaling); the building block of the sampled estimate, public for tests.
 * Runs the two halves of the sources on two threads when the machine has
 * two cores (same result either way). Errors: TG_EARG for a source out of
 * range or a weight <= 0, TG_ENOMEM. O(k E) unweighted, O(k E log V)
 * weighted. */
tg_status tg_algo_betweenness_from(tg_projection *p, const uint32_t *sources, size_t nsources,
                                   double cutoff, double *score, tg_error *err);

/* Closeness, Wasserman-Faust form for graphs that are not connected: with r
 * the number of vertices v reaches (v excluded) and S the sum of their
 * distances, r / S * r / (n - 1); 0 when r == 0. Distances follow the
 * direction (out: from v). O(V E) unweighted, O(V E log V) weighted. */
tg_status tg_algo_closeness(tg_projection *p, double *score, tg_error *err);

/* Harmonic centrality: the sum of 1 / d(v, u) over the vertices u != v
 * that v reaches, divided by n - 1 (0 when n < 2). O(V E). */
tg_status tg_algo_harmonic(tg_projection *p, double *score, tg_error *err);

/* Eigenvector centrality scaled so that the maximum is 1 (all 0 when the
 * projection has no relation); directed projections score a vertex by
 * the vertices pointing at it (in: pointed to by it). Uses ARPACK. */
tg_status tg_algo_eigenvector(tg_projection *p, double *score, tg_error *err);

/* ---- structure: id[] has tg_projection_node_count entries --------------- */

/* Weakly connected components (direction ignored) by union-find; ids
 * numbered in the order of each component's smallest entity. *ncomp may be
 * NULL. O(V + E α(V)). */
tg_status tg_algo_wcc(tg_projection *p, uint32_t *id, size_t *ncomp, tg_error *err);

/* Strongly connected components of the projection as directed (direction
 * both: same as wcc). O(V + E). */
tg_status tg_algo_scc(tg_projection *p, uint32_t *id, size_t *ncomp, tg_error *err);

/* k-core number of each vertex, degree counted in the projection's
 * direction (both: in + out; parallel relations count each, a self-loop
 * counts twice as in igraph). O(V + E). */
tg_status tg_algo_kcore(tg_projection *p, uint32_t *coreness, tg_error *err);

/* Articulation points of the projection seen undirected: vertices whose
 * removal adds a connected component; ascending vertex order in *out.
 * O(V + E). */
tg_status tg_algo_articulation_points(tg_projection *p, tg_idlist *out, tg_error *err);

/* Bridges of the projection seen undirected: relations whose removal adds a
 * component (a relation with a parallel twin is never a bridge); ascending
 * relation order, as relation indexes (tg_rel) in *out. O(V + E). */
tg_status tg_algo_bridges(tg_projection *p, tg_idlist *out, tg_error *err);

/* ---- communities: id[] has tg_projection_node_count entries ------------- */

typedef struct tg_community_opts {
    double resolution; /* default 1 */
    double beta;       /* Leiden's randomness, default 0.01 */
    uint64_t seed;     /* default 42 */
} tg_community_opts;
void tg_community_opts_init(tg_community_opts *o);

/* Louvain (igraph_community_multilevel) on the projection made undirected
 * (one undirected edge per relation; weights add up). Ids renumbered.
 * *modularity (may be NULL) receives the partition's modularity on that
 * undirected graph at the given resolution. O(E log V) typical. */
tg_status tg_algo_louvain(tg_projection *p, const tg_community_opts *o, uint32_t *id,
                          double *modularity, tg_error *err);

/* Leiden optimising modularity (node weights = strengths, resolution / 2m)
 * on the projection made undirected, iterated until stable. */
tg_status tg_algo_leiden(tg_projection *p, const tg_community_opts *o, uint32_t *id,
                         double *modularity, tg_error *err);

/* Label propagation in the projection's direction (igraph's). O(E) per
 * sweep. */
tg_status tg_algo_label_propagation(tg_projection *p, const tg_community_opts *o, uint32_t *id,
                                    tg_error *err);

/* Modularity of the partition id[] (one id per vertex, any values) at the
 * resolution: directed (Leicht-Newman) for direction out or in, undirected
 * for both; weighted when the projection is. NaN for a projection without
 * relations. O(V + E). */
tg_status tg_algo_modularity(tg_projection *p, const uint32_t *id, double resolution, double *q,
                             tg_error *err);

/* ---- paths ---------------------------------------------------------------- */

/* A shortest path from entity `from` to entity `to` (Dijkstra on the
 * weights, or breadth-first on hops), in *out: 0 or 1 path. A path from an
 * entity to itself has no relation and cost 0. Errors: TG_EARG when an end
 * is not in the projection. O(E log V). */
tg_status tg_algo_shortest_path(tg_projection *p, tg_ent from, tg_ent to, tg_path_list *out,
                                tg_error *err);

/* The k shortest simple paths from `from` to `to` (Yen's algorithm), by
 * cost ascending; parallel relations give distinct paths. O(k V (E log V)). */
tg_status tg_algo_k_shortest_paths(tg_projection *p, tg_ent from, tg_ent to, size_t k,
                                   tg_path_list *out, tg_error *err);

/* Simple paths (no entity twice) from `from` to `to` with at most max_hops
 * relations, depth first by ascending relation index, stopping after
 * `limit` paths (0: no limit). Parallel relations give distinct paths.
 * O(paths * max_hops) plus the search. */
tg_status tg_algo_all_simple_paths(tg_projection *p, tg_ent from, tg_ent to, size_t max_hops,
                                   size_t limit, tg_path_list *out, tg_error *err);

/* An ego network. */
typedef struct tg_ego {
    tg_ent *nodes;  /* kept entities: by distance, then entity index */
    uint32_t *hops; /* distance of each from the nearest seed */
    size_t nnodes;
    tg_rel *rels; /* projection relations between kept entities, ascending */
    size_t nrels;
    size_t omitted; /* entities within reach that the limit left out */
} tg_ego;
void tg_ego_destroy(tg_ego *e);

/* The entities within `hops` steps of the seeds (breadth first in the
 * projection's direction), at most `limit` of them (0: no limit), nearest
 * first; and the relations among them. Seeds outside the projection are
 * ignored. O(V + E). */
tg_status tg_algo_neighbourhood(tg_projection *p, const tg_ent *seeds, size_t nseeds, size_t hops,
                                size_t limit, tg_ego *out, tg_error *err);

#endif
