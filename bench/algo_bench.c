/*
 * algo_bench.c — tg-algo-bench, times tiegraph's algorithms on a stored graph.
 *
 *   tg-algo-bench STORE ALGO [RUNS] [SAMPLES] [SEED]
 *
 * Loads the store once (not timed), builds the whole-graph igraph_t once
 * (not timed: the peers' graphs are built by their load too), then runs ALGO
 * RUNS times (default 3), each run timing what one procedure call costs:
 * making the projection (whole graph, no copy), any undirected copy the
 * algorithm needs, the algorithm, and freeing. ALGO is one of pagerank,
 * wcc, louvain, betweenness (sampled from SAMPLES sources, default 100,
 * directed). SEED (default 42) seeds the randomised algorithms (Louvain,
 * sampled betweenness); their cost depends on it, so the benchmark varies it
 * from round to round as the peers' own random seeds vary. Prints one JSON line: algo, vertices,
 * edges, the run times and their median, and a checksum of the result so that runs can be compared
 * with the peers (PageRank: sum of scores; WCC: component count; Louvain:
 * modularity; betweenness: sum of scores).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "algo.h"
#include "graph.h"
#include "store.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One call, timed from the projection to the end of the algorithm (what a
 * procedure call costs before it emits rows) into *secs; the result's
 * checksum, computed after the clock stops, in *check. */
static tg_status run_once(tg_graph *g, const char *algo, size_t samples, uint64_t seed,
                          double *secs, double *check, tg_error *err)
{
    double t0 = now();
    tg_proj_spec spec;
    tg_projection *p = NULL;
    double *score = NULL;
    uint32_t *id = NULL;
    size_t i, n;
    tg_status st;

    tg_proj_spec_init(&spec);
    spec.dir = strcmp(algo, "louvain") == 0 ? TG_DIR_BOTH : TG_DIR_OUT;
    st = tg_projection_new(g, &spec, &p, err);
    if (st != TG_OK)
        return st;
    n = tg_projection_node_count(p);
    score = malloc((n + 1) * sizeof *score);
    id = malloc((n + 1) * sizeof *id);
    if (!score || !id) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    *check = 0;
    if (strcmp(algo, "pagerank") == 0) {
        tg_pagerank_opts o;
        tg_pagerank_opts_init(&o);
        st = tg_algo_pagerank(p, &o, score, err);
        *secs = now() - t0;
        for (i = 0; st == TG_OK && i < n; i++)
            *check += score[i];
    } else if (strcmp(algo, "wcc") == 0) {
        size_t nc = 0;
        st = tg_algo_wcc(p, id, &nc, err);
        *secs = now() - t0;
        *check = (double)nc;
    } else if (strcmp(algo, "louvain") == 0) {
        tg_community_opts o;
        tg_community_opts_init(&o);
        o.seed = seed;
        st = tg_algo_louvain(p, &o, id, NULL, err);
        *secs = now() - t0;
        if (st == TG_OK)
            st = tg_algo_modularity(p, id, 1.0, check, err);
    } else if (strcmp(algo, "betweenness") == 0) {
        tg_betweenness_opts o;
        tg_betweenness_opts_init(&o);
        o.samples = samples;
        o.seed = seed;
        st = tg_algo_betweenness(p, &o, score, err);
        *secs = now() - t0;
        for (i = 0; st == TG_OK && i < n; i++)
            *check += score[i];
    } else {
        st = tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                          "unknown algorithm '%s' (pagerank, wcc, louvain, betweenness)", algo);
    }
done:
    free(score);
    free(id);
    tg_projection_free(p);
    return st;
}

int main(int argc, char **argv)
{
    tg_store *s = NULL;
    tg_graph *g = NULL;
    tg_error err;
    tg_proj_spec spec;
    tg_projection *warm = NULL;
    double times[64], check = 0, t0, load;
    int runs, r, rc = 1;
    size_t samples;
    uint64_t seed;

    if (argc < 3) {
        fprintf(stderr, "usage: tg-algo-bench STORE pagerank|wcc|louvain|betweenness [RUNS] "
                        "[SAMPLES] [SEED]\n");
        return 64;
    }
    runs = argc > 3 ? atoi(argv[3]) : 3;
    if (runs < 1 || runs > 64)
        runs = 3;
    samples = argc > 4 ? (size_t)strtoul(argv[4], NULL, 10) : 100;
    seed = argc > 5 ? (uint64_t)strtoull(argv[5], NULL, 10) : 42;
    tg_error_clear(&err);
    t0 = now();
    if (tg_store_open(argv[1], TG_STORE_READ, &s, &err) != TG_OK ||
        tg_store_load(s, &g, &err) != TG_OK) {
        fprintf(stderr, "tg-algo-bench: %s: %s\n", argv[1], err.message);
        goto done;
    }
    /* Build the cached igraph_t now: it belongs to the load. */
    tg_proj_spec_init(&spec);
    if (tg_projection_new(g, &spec, &warm, &err) != TG_OK) {
        fprintf(stderr, "tg-algo-bench: %s\n", err.message);
        goto done;
    }
    tg_projection_free(warm);
    load = now() - t0;
    for (r = 0; r < runs; r++) {
        if (run_once(g, argv[2], samples, seed + (uint64_t)r, &times[r], &check, &err) != TG_OK) {
            fprintf(stderr, "tg-algo-bench: %s: %s\n", argv[2], err.message);
            goto done;
        }
    }
    printf("{\"impl\": \"tiegraph\", \"algo\": \"%s\", \"vertices\": %lu, \"edges\": %lu, "
           "\"load_seconds\": %.3f, \"runs\": [",
           argv[2], (unsigned long)tg_graph_entity_count(g),
           (unsigned long)tg_graph_relation_count(g), load);
    for (r = 0; r < runs; r++)
        printf("%s%.4f", r ? ", " : "", times[r]);
    qsort(times, (size_t)runs, sizeof times[0], cmp_double);
    printf("], \"median\": %.4f, \"check\": %.10g}\n",
           runs % 2 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2, check);
    rc = 0;
done:
    tg_graph_free(g);
    tg_store_close(s);
    return rc;
}
