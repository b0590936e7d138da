/* algo_centrality.c — degree, PageRank, betweenness, closeness, harmonic and
 * eigenvector centrality on a projection.
 *
 * All but sampled betweenness call igraph. Sampled (source-subset)
 * betweenness is Brandes's algorithm written here over a compact adjacency
 * (CSR) of the projection in its direction: igraph 0.10's
 * igraph_betweenness_subset has no cutoff and keeps a full path DAG per
 * source. Parallel relations are distinct paths (sigma counts them) and
 * self-loops never lie on a shortest path. The sources are split in two
 * fixed halves that run on two threads when the machine has two cores; the
 * threads share only read-only data (the adjacency, the weights) and never
 * call igraph, whose error state is global.
 */
#include "algo_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copies an igraph result vector into a caller's array. */
static void copy_out(const igraph_vector_t *v, double *out, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        out[i] = VECTOR(*v)[i];
}

/* Distance-based measures read weights as lengths, which igraph requires to
 * be > 0: say so, naming the relation, instead of igraph's bare "invalid
 * value". O(E). */
static tg_status positive_weights(const tg_projection *p, const char *what, tg_error *err)
{
    size_t i;

    if (!p->weighted)
        return TG_OK;
    for (i = 0; i < p->m; i++) {
        if (VECTOR(p->weights)[i] > 0)
            continue;
        {
            tg_rel r = tg_projection_relation(p, i);
            tg_graph *g = p->g;
            return tg_error_set(
                err, TG_EARG, NULL, 0, 0,
                "%s reads weights as lengths and needs them > 0, but the %s relation from "
                "'%s' to '%s' has weight %g (filter it out, or set defaultWeight)",
                what, tg_graph_str(g, tg_graph_rel_type(g, r), NULL),
                tg_graph_str(g, tg_graph_entity_id(g, tg_graph_rel_from(g, r)), NULL),
                tg_graph_str(g, tg_graph_entity_id(g, tg_graph_rel_to(g, r)), NULL),
                VECTOR(p->weights)[i]);
        }
    }
    return TG_OK;
}

tg_status tg_algo_degree(tg_projection *p, double *score, tg_error *err)
{
    igraph_vector_t res;
    igraph_error_t rc;
    tg_status st = TG_OK;

    rc = igraph_vector_init(&res, 0);
    if (rc != IGRAPH_SUCCESS)
        return tg_i_algo_igraph_fail(rc, "degree", err);
    rc = igraph_strength(p->ig, &res, igraph_vss_all(), tg_i_proj_mode(p), IGRAPH_LOOPS,
                         tg_i_proj_weights(p));
    if (rc != IGRAPH_SUCCESS)
        st = tg_i_algo_igraph_fail(rc, "degree", err);
    else
        copy_out(&res, score, p->n);
    igraph_vector_destroy(&res);
    return st;
}

void tg_pagerank_opts_init(tg_pagerank_opts *o)
{
    memset(o, 0, sizeof *o);
    o->damping = 0.85;
    o->tolerance = 1e-6;
}

tg_status tg_algo_pagerank(tg_projection *p, const tg_pagerank_opts *o, double *score,
                           tg_error *err)
{
    const igraph_t *ig = NULL;
    igraph_vector_t res, reset;
    int res_ok = 0, reset_ok = 0;
    igraph_error_t rc = IGRAPH_SUCCESS;
    size_t i, kept = 0;
    tg_status st = TG_OK;

    if (!(o->damping >= 0 && o->damping < 1)) {
        st = tg_error_set(err, TG_EARG, NULL, 0, 0,
                          "damping must be at least 0 and less than 1, not %g", o->damping);
        goto done;
    }
    if (!(o->tolerance >= 1e-10)) {
        st = tg_error_set(err, TG_EARG, NULL, 0, 0,
                          "tolerance must be at least 1e-10 (PageRank is solved to 1e-10), "
                          "not %g",
                          o->tolerance);
        goto done;
    }
    if (p->n == 0)
        goto done;
    st = tg_i_proj_oriented(p, &ig, err);
    if (st != TG_OK)
        goto done;
    rc = igraph_vector_init(&res, 0);
    if (rc != IGRAPH_SUCCESS)
        goto done;
    res_ok = 1;
    if (o->nsources > 0) {
        rc = igraph_vector_init(&reset, (igraph_integer_t)p->n);
        if (rc != IGRAPH_SUCCESS)
            goto done;
        reset_ok = 1;
        for (i = 0; i < o->nsources; i++) {
            uint32_t v = tg_projection_vertex(p, o->sources[i]);
            if (v != TG_NONE && VECTOR(reset)[v] == 0) {
                VECTOR(reset)[v] = 1;
                kept++;
            }
        }
        if (kept == 0) {
            st = tg_error_set(err, TG_EARG, NULL, 0, 0,
                              "none of the sourceNodes is in the projection");
            goto done;
        }
        rc = igraph_personalized_pagerank(ig, IGRAPH_PAGERANK_ALGO_PRPACK, &res, NULL,
                                          igraph_vss_all(), p->dir != TG_DIR_BOTH, o->damping,
                                          &reset, tg_i_proj_weights(p), NULL);
    } else {
        rc = igraph_pagerank(ig, IGRAPH_PAGERANK_ALGO_PRPACK, &res, NULL, igraph_vss_all(),
                             p->dir != TG_DIR_BOTH, o->damping, tg_i_proj_weights(p), NULL);
    }
    if (rc == IGRAPH_SUCCESS)
        copy_out(&res, score, p->n);
done:
    if (rc != IGRAPH_SUCCESS)
        st = tg_i_algo_igraph_fail(rc, "PageRank", err);
    if (reset_ok)
        igraph_vector_destroy(&reset);
    if (res_ok)
        igraph_vector_destroy(&res);
    return st;
}

/* ---- betweenness ------------------------------------------------------------ */

void tg_betweenness_opts_init(tg_betweenness_opts *o)
{
    memset(o, 0, sizeof *o);
    o->cutoff = -1;
}

/* Scratch space of one Brandes pass. */
typedef struct brandes {
    double *sigma, *delta, *dist;
    uint32_t *order; /* vertices in order of settlement */
    uint32_t *queue; /* BFS queue or heap */
    size_t *heap_pos;
} brandes;

/* Relative tolerance for comparing weighted distances, as igraph does. */
static int same_dist(double a, double b)
{
    double scale = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= 1e-10 * (scale > 1 ? scale : 1);
}

/* Binary min-heap of vertices keyed by dist[]. */
static void heap_up(brandes *b, size_t i)
{
    uint32_t v = b->queue[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (b->dist[b->queue[parent]] <= b->dist[v])
            break;
        b->queue[i] = b->queue[parent];
        b->heap_pos[b->queue[i]] = i;
        i = parent;
    }
    b->queue[i] = v;
    b->heap_pos[v] = i;
}

static void heap_down(brandes *b, size_t i, size_t len)
{
    uint32_t v = b->queue[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= len)
            break;
        if (c + 1 < len && b->dist[b->queue[c + 1]] < b->dist[b->queue[c]])
            c++;
        if (b->dist[b->queue[c]] >= b->dist[v])
            break;
        b->queue[i] = b->queue[c];
        b->heap_pos[b->queue[i]] = i;
        i = c;
    }
    b->queue[i] = v;
    b->heap_pos[v] = i;
}

/* Single-source shortest paths from s: fills sigma, dist and order; returns
 * how many vertices were settled. Unreached vertices keep dist = -1. */
static size_t sssp(const tg_i_csr *c, const double *w, brandes *b, uint32_t s, double cutoff)
{
    size_t nset = 0, k;

    b->dist[s] = 0;
    b->sigma[s] = 1;
    if (!w) {
        size_t head = 0, tail = 0;
        b->queue[tail++] = s;
        while (head < tail) {
            uint32_t v = b->queue[head++];
            double dv = b->dist[v];
            b->order[nset++] = v;
            if (cutoff >= 0 && dv + 1 > cutoff)
                continue;
            for (k = c->off[v]; k < c->off[v + 1]; k++) {
                uint32_t u = c->nbr[k];
                if (b->dist[u] < 0) {
                    b->dist[u] = dv + 1;
                    b->queue[tail++] = u;
                }
                if (b->dist[u] == dv + 1)
                    b->sigma[u] += b->sigma[v];
            }
        }
        return nset;
    }
    {
        size_t len = 0;
        b->queue[len++] = s;
        b->heap_pos[s] = 0;
        while (len > 0) {
            uint32_t v = b->queue[0];
            double dv = b->dist[v];
            b->queue[0] = b->queue[--len];
            if (len > 0)
                heap_down(b, 0, len);
            b->heap_pos[v] = SIZE_MAX; /* settled */
            b->order[nset++] = v;
            for (k = c->off[v]; k < c->off[v + 1]; k++) {
                uint32_t u = c->nbr[k];
                double du = dv + w[c->eid[k]];
                if (cutoff >= 0 && du > cutoff && !same_dist(du, cutoff))
                    continue;
                if (u == s || (b->dist[u] >= 0 && b->heap_pos[u] == SIZE_MAX))
                    continue; /* already settled: no shorter path now */
                if (b->dist[u] < 0 || (du < b->dist[u] && !same_dist(du, b->dist[u]))) {
                    int fresh = b->dist[u] < 0;
                    b->dist[u] = du;
                    b->sigma[u] = b->sigma[v];
                    if (fresh) {
                        b->queue[len] = u;
                        heap_up(b, len++);
                    } else {
                        heap_up(b, b->heap_pos[u]);
                    }
                } else if (same_dist(du, b->dist[u])) {
                    b->sigma[u] += b->sigma[v];
                }
            }
        }
    }
    return nset;
}

/* Adds the dependencies of source s to score[] and resets the scratch
 * entries the pass touched. */
static void accumulate(const tg_i_csr *c, const double *w, brandes *b, uint32_t s, size_t nset,
                       double *score)
{
    size_t i, k;

    for (i = nset; i-- > 0;) {
        uint32_t v = b->order[i];
        /* Predecessors of v are the neighbours u (in the reverse direction)
         * with dist[u] + w = dist[v]; walking v's forward list instead, the
         * successors u with dist[u] = dist[v] + w give v its delta. */
        for (k = c->off[v]; k < c->off[v + 1]; k++) {
            uint32_t u = c->nbr[k];
            double du = b->dist[u], dv = b->dist[v] + (w ? w[c->eid[k]] : 1);
            if (du < 0 || b->sigma[u] == 0)
                continue;
            if (w ? (same_dist(du, dv) && u != s) : du == dv)
                b->delta[v] += b->sigma[v] / b->sigma[u] * (1 + b->delta[u]);
        }
        if (v != s)
            score[v] += b->delta[v];
    }
    for (i = 0; i < nset; i++) {
        uint32_t v = b->order[i];
        b->dist[v] = -1;
        b->sigma[v] = 0;
        b->delta[v] = 0;
    }
}

/* One share of the sources: Brandes from each into its own score array. */
typedef struct brandes_job {
    const tg_i_csr *c;
    const double *w;
    const uint32_t *sources;
    size_t nsources, n;
    double cutoff;
    double *score;       /* n entries, zeroed */
    int failed;          /* out of memory */
    int asks;            /* this job runs in the caller's thread: it polls the stop callback */
    atomic_int *stopped; /* shared: set when asked to stop */
} brandes_job;

static void *brandes_run(void *arg)
{
    brandes_job *job = arg;
    brandes b = {0};
    size_t n = job->n;

    b.sigma = calloc(n, sizeof *b.sigma);
    b.delta = calloc(n, sizeof *b.delta);
    b.dist = malloc(n * sizeof *b.dist);
    b.order = malloc(n * sizeof *b.order);
    b.queue = malloc(n * sizeof *b.queue);
    b.heap_pos = malloc(n * sizeof *b.heap_pos);
    job->failed = !b.sigma || !b.delta || !b.dist || !b.order || !b.queue || !b.heap_pos;
    if (!job->failed) {
        size_t i;
        for (i = 0; i < n; i++)
            b.dist[i] = -1;
        for (i = 0; i < job->nsources; i++) {
            size_t nset;
            if (job->asks && tg_i_algo_should_stop())
                atomic_store(job->stopped, 1);
            if (atomic_load(job->stopped))
                break;
            nset = sssp(job->c, job->w, &b, job->sources[i], job->cutoff);
            accumulate(job->c, job->w, &b, job->sources[i], nset, job->score);
        }
    }
    free(b.sigma);
    free(b.delta);
    free(b.dist);
    free(b.order);
    free(b.queue);
    free(b.heap_pos);
    return NULL;
}

/* Sources are split in two fixed halves, each accumulated into its own
 * array and added in a fixed order, so the result is the same bit for bit
 * whether the halves run on two threads (when the machine has two cores)
 * or one after the other. Small inputs are not split. */
#define BRANDES_SPLIT_MIN 8

tg_status tg_algo_betweenness_from(tg_projection *p, const uint32_t *sources, size_t nsources,
                                   double cutoff, double *score, tg_error *err)
{
    tg_i_csr c = {0};
    brandes_job jobs[2];
    double *second = NULL;
    const double *w = p->weighted ? VECTOR(p->weights) : NULL;
    size_t i, n = p->n, half;
    int threaded = 0;
    pthread_t thread;
    atomic_int stopped;
    tg_status st = TG_OK;

    atomic_init(&stopped, 0);
    for (i = 0; i < n; i++)
        score[i] = 0;
    st = positive_weights(p, "betweenness", err);
    if (st != TG_OK || n == 0)
        goto done;
    for (i = 0; i < nsources; i++)
        if (sources[i] >= n) {
            st = tg_error_set(err, TG_EARG, NULL, 0, 0,
                              "betweenness source vertex %lu is not in the projection",
                              (unsigned long)sources[i]);
            goto done;
        }
    half = nsources >= BRANDES_SPLIT_MIN ? nsources / 2 : nsources;
    second = calloc(n, sizeof *second);
    if (!second || tg_i_csr_build(p, &c) != 0) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory computing betweenness");
        goto done;
    }
    for (i = 0; i < 2; i++) {
        jobs[i].c = &c;
        jobs[i].w = w;
        jobs[i].n = n;
        jobs[i].cutoff = cutoff;
        jobs[i].failed = 0;
        jobs[i].asks = i == 0;
        jobs[i].stopped = &stopped;
    }
    jobs[0].sources = sources;
    jobs[0].nsources = half;
    jobs[0].score = score;
    jobs[1].sources = sources + half;
    jobs[1].nsources = nsources - half;
    jobs[1].score = second;
    if (jobs[1].nsources > 0 && sysconf(_SC_NPROCESSORS_ONLN) > 1)
        threaded = pthread_create(&thread, NULL, brandes_run, &jobs[1]) == 0;
    brandes_run(&jobs[0]);
    if (threaded) {
        pthread_join(thread, NULL);
    } else if (jobs[1].nsources > 0) {
        jobs[1].asks = 1; /* no second thread: this one polls */
        brandes_run(&jobs[1]);
    }
    if (atomic_load(&stopped)) {
        st = tg_error_set(err, TG_ERUNTIME, NULL, 0, 0,
                          "betweenness was stopped before it finished (asked to stop: time "
                          "limit)");
        goto done;
    }
    if (jobs[0].failed || jobs[1].failed) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory computing betweenness");
        goto done;
    }
    for (i = 0; i < n; i++)
        score[i] += second[i];
    if (p->dir == TG_DIR_BOTH)
        for (i = 0; i < n; i++)
            score[i] /= 2;
done:
    tg_i_csr_destroy(&c);
    free(second);
    return st;
}

tg_status tg_algo_betweenness(tg_projection *p, const tg_betweenness_opts *o, double *score,
                              tg_error *err)
{
    igraph_vector_t res;
    uint32_t *pick = NULL;
    igraph_error_t rc;
    size_t n = p->n, k = o->samples;
    tg_status st;

    st = positive_weights(p, "betweenness", err);
    if (st != TG_OK)
        return st;
    if (k > 0 && k < n) {
        size_t i;
        /* Partial Fisher-Yates over 0..n-1 with igraph's seeded generator. */
        pick = malloc(n * sizeof *pick);
        if (!pick)
            return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory computing betweenness");
        for (i = 0; i < n; i++)
            pick[i] = (uint32_t)i;
        tg_i_algo_seed(o->seed);
        for (i = 0; i < k; i++) {
            size_t j = (size_t)igraph_rng_get_integer(igraph_rng_default(), (igraph_integer_t)i,
                                                      (igraph_integer_t)(n - 1));
            uint32_t t = pick[i];
            pick[i] = pick[j];
            pick[j] = t;
        }
        st = tg_algo_betweenness_from(p, pick, k, o->cutoff, score, err);
        if (st == TG_OK)
            for (i = 0; i < n; i++)
                score[i] *= (double)n / (double)k;
        free(pick);
        return st;
    }
    rc = igraph_vector_init(&res, 0);
    if (rc != IGRAPH_SUCCESS)
        return tg_i_algo_igraph_fail(rc, "betweenness", err);
    rc = igraph_betweenness_cutoff(p->ig, &res, igraph_vss_all(), p->dir != TG_DIR_BOTH,
                                   tg_i_proj_weights(p), o->cutoff);
    if (rc != IGRAPH_SUCCESS)
        st = tg_i_algo_igraph_fail(rc, "betweenness", err);
    else
        copy_out(&res, score, n);
    igraph_vector_destroy(&res);
    return st;
}

/* ---- distance-based centralities ---------------------------------------------- */

tg_status tg_algo_closeness(tg_projection *p, double *score, tg_error *err)
{
    igraph_vector_t res;
    igraph_vector_int_t reach;
    igraph_error_t rc;
    size_t n = p->n;
    tg_status st;

    st = positive_weights(p, "closeness", err);
    if (st != TG_OK || n == 0)
        return st;
    rc = igraph_vector_init(&res, 0);
    if (rc != IGRAPH_SUCCESS)
        return tg_i_algo_igraph_fail(rc, "closeness", err);
    rc = igraph_vector_int_init(&reach, 0);
    if (rc != IGRAPH_SUCCESS) {
        igraph_vector_destroy(&res);
        return tg_i_algo_igraph_fail(rc, "closeness", err);
    }
    rc = igraph_closeness(p->ig, &res, &reach, NULL, igraph_vss_all(), tg_i_proj_mode(p),
                          tg_i_proj_weights(p), 1);
    if (rc != IGRAPH_SUCCESS) {
        st = tg_i_algo_igraph_fail(rc, "closeness", err);
    } else {
        for (size_t i = 0; i < n; i++) {
            double r = (double)VECTOR(reach)[i];
            double c = VECTOR(res)[i]; /* r / (sum of distances) */
            score[i] = (r > 0 && n > 1 && !isnan(c)) ? c * r / (double)(n - 1) : 0.0;
        }
    }
    igraph_vector_int_destroy(&reach);
    igraph_vector_destroy(&res);
    return st;
}

tg_status tg_algo_harmonic(tg_projection *p, double *score, tg_error *err)
{
    igraph_vector_t res;
    igraph_error_t rc;
    size_t n = p->n;
    tg_status st;

    st = positive_weights(p, "harmonic centrality", err);
    if (st != TG_OK)
        return st;
    if (n < 2) {
        for (size_t i = 0; i < n; i++)
            score[i] = 0;
        return TG_OK;
    }
    rc = igraph_vector_init(&res, 0);
    if (rc != IGRAPH_SUCCESS)
        return tg_i_algo_igraph_fail(rc, "harmonic centrality", err);
    rc = igraph_harmonic_centrality(p->ig, &res, igraph_vss_all(), tg_i_proj_mode(p),
                                    tg_i_proj_weights(p), 1);
    if (rc != IGRAPH_SUCCESS)
        st = tg_i_algo_igraph_fail(rc, "harmonic centrality", err);
    else
        copy_out(&res, score, n);
    igraph_vector_destroy(&res);
    return st;
}

tg_status tg_algo_eigenvector(tg_projection *p, double *score, tg_error *err)
{
    const igraph_t *ig = NULL;
    igraph_vector_t res;
    igraph_real_t value;
    igraph_error_t rc;
    size_t i, n = p->n;
    tg_status st = TG_OK;

    if (p->m == 0) {
        for (i = 0; i < n; i++)
            score[i] = 0;
        return TG_OK;
    }
    st = tg_i_proj_oriented(p, &ig, err);
    if (st != TG_OK)
        return st;
    rc = igraph_vector_init(&res, 0);
    if (rc != IGRAPH_SUCCESS)
        return tg_i_algo_igraph_fail(rc, "eigenvector centrality", err);
    rc = igraph_eigenvector_centrality(ig, &res, &value, p->dir != TG_DIR_BOTH, 1,
                                       tg_i_proj_weights(p), NULL);
    if (rc != IGRAPH_SUCCESS)
        st = tg_i_algo_igraph_fail(rc, "eigenvector centrality", err);
    else
        for (i = 0; i < n; i++)
            score[i] = fabs(VECTOR(res)[i]) < 1e-300 ? 0.0 : VECTOR(res)[i];
    igraph_vector_destroy(&res);
    return st;
}
