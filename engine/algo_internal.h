/* algo_internal.h — the projection struct and helpers shared by algo*.c.
 *
 * Invariants of a tg_projection:
 * - ig points either at the graph's own igraph_t (whole graph: vent, erel
 *   and entv are NULL, vertex v is entity v, edge i is relation i) or at
 *   `own`, built from the kept entities and relations; vertices are
 *   numbered in ascending entity order, edges in ascending relation order.
 * - ig is always directed, edges oriented as the relations are; the
 *   direction is applied by each algorithm (a mode, a directed flag, or the
 *   lazily built reversed / undirected copies).
 * - weights has one entry per edge when weighted, else is unused.
 */
#ifndef TG_ALGO_INTERNAL_H
#define TG_ALGO_INTERNAL_H

#include <igraph.h>

#include "algo.h"

struct tg_projection {
    tg_graph *g;
    const igraph_t *ig;
    igraph_t own, rev, und;
    int has_own, has_rev, has_und;
    tg_dir dir;
    size_t n, m;
    tg_ent *vent;   /* vertex -> entity; NULL: identity */
    tg_rel *erel;   /* edge -> relation; NULL: identity */
    uint32_t *entv; /* entity -> vertex or TG_NONE; NULL: identity */
    int weighted;
    igraph_vector_t weights;
};

/* Records igraph's failure `rc` while doing `what` in err and returns the
 * matching status, through tg_i_igraph_status (graph_igraph.c), the one
 * place where igraph codes become ours. */
tg_status tg_i_algo_igraph_fail(igraph_error_t rc, const char *what, tg_error *err);

/* The weights vector, or NULL when unweighted. */
const igraph_vector_t *tg_i_proj_weights(const tg_projection *p);

/* igraph's neighbour mode for the projection's direction. */
igraph_neimode_t tg_i_proj_mode(const tg_projection *p);

/* The graph oriented for algorithms that only take a `directed` flag: the
 * reversed copy for direction in, else ig. Built on first use. */
tg_status tg_i_proj_oriented(tg_projection *p, const igraph_t **out, tg_error *err);

/* An undirected copy (one edge per relation, same edge order). Built on
 * first use. */
tg_status tg_i_proj_undirected(tg_projection *p, const igraph_t **out, tg_error *err);

/* Renumbers membership[0..n) into id[] so that groups are numbered 0, 1, ...
 * in the order of their smallest vertex; the group count in *ngroups (may
 * be NULL). Errors: TG_ENOMEM. O(n + max membership). */
tg_status tg_i_algo_renumber(size_t n, const igraph_vector_int_t *membership, uint32_t *id,
                             size_t *ngroups, tg_error *err);

/* The projection's adjacency in its direction, self-loops left out: the
 * neighbours of v are nbr[off[v] .. off[v+1]) reached through projection
 * edges eid[...], in ascending edge order. */
typedef struct tg_i_csr {
    size_t n;
    size_t *off;
    uint32_t *nbr;
    uint32_t *eid;
} tg_i_csr;

/* Fills *c (zero-initialised by the caller); -1 when out of memory, after
 * which tg_i_csr_destroy still frees what was allocated. O(V + E). */
int tg_i_csr_build(const tg_projection *p, tg_i_csr *c);
void tg_i_csr_destroy(tg_i_csr *c);

/* Whether the stop callback (tg_algo_set_stop) asks to stop now. Call it
 * from the calling thread only. */
int tg_i_algo_should_stop(void);

/* Seeds igraph's default random generator. */
void tg_i_algo_seed(uint64_t seed);

#endif
