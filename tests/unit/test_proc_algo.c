/* test_proc_algo.c — the algo.* procedures through the query language, on
 * Zachary's karate club (tests/golden/karate.json). The values come from
 * the golden files (NetworkX); this test checks the wiring: options, yields,
 * ranking order, paths as values, and the errors a user sees.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "json_loader.h"
#include "proc_algo.h"
#include "query.h"
#include "tg_test.h"

static tg_graph *karate;

/* Runs q; returns the result (NULL on failure, err filled). */
static tg_result *run(const char *q, tg_error *err)
{
    tg_result *r = NULL;
    tg_error_clear(err);
    if (tg_query_run(karate, q, strlen(q), NULL, NULL, &r, err) != TG_OK)
        return NULL;
    return r;
}

/* The text of cell (row, col) compared with want. */
static int cell_is(const tg_result *r, size_t row, size_t col, const char *want)
{
    char *s = tg_result_cell_format(r, row, col, TG_CELL_TEXT);
    int ok = s && strcmp(s, want) == 0;
    if (!ok)
        fprintf(stderr, "  cell (%lu, %lu) is '%s', expected '%s'\n", (unsigned long)row,
                (unsigned long)col, s ? s : "(null)", want);
    free(s);
    return ok;
}

static double cell_num(const tg_result *r, size_t row, size_t col)
{
    char *s = tg_result_cell_format(r, row, col, TG_CELL_TEXT);
    double v = s ? strtod(s, NULL) : NAN;
    free(s);
    return v;
}

static void t_centrality(void)
{
    tg_error err;
    tg_result *r = run("CALL algo.pageRank({direction: 'both'}) YIELD node, score "
                       "RETURN node.id AS id, score LIMIT 3",
                       &err);
    TG_CHECK(r != NULL);
    if (!r) {
        fprintf(stderr, "  %s\n", err.message);
        return;
    }
    TG_CHECK_INT(tg_result_row_count(r), 3);
    TG_CHECK(cell_is(r, 0, 0, "n33"));
    TG_CHECK(cell_is(r, 1, 0, "n00"));
    TG_CHECK(cell_is(r, 2, 0, "n32"));
    TG_CHECK(fabs(cell_num(r, 0, 1) - 0.10091918233255159) < 1e-6);
    tg_result_free(r);

    r = run("CALL algo.betweenness({direction: 'both'}) YIELD node, score "
            "RETURN node.id, score LIMIT 2",
            &err);
    TG_CHECK(r != NULL && tg_result_row_count(r) == 2);
    if (r) {
        TG_CHECK(cell_is(r, 0, 0, "n00"));
        TG_CHECK(fabs(cell_num(r, 0, 1) - 231.07142857142861) < 1e-6);
        TG_CHECK(cell_is(r, 1, 0, "n33"));
    }
    tg_result_free(r);

    /* sampled betweenness: deterministic for a seed */
    {
        tg_result *a = run("CALL algo.betweenness({direction: 'both', samples: 10, seed: 5}) "
                           "YIELD node, score RETURN node.id, score",
                           &err);
        tg_result *b = run("CALL algo.betweenness({direction: 'both', samples: 10, seed: 5}) "
                           "YIELD node, score RETURN node.id, score",
                           &err);
        size_t i;
        TG_CHECK(a && b && tg_result_row_count(a) == 34 && tg_result_row_count(b) == 34);
        for (i = 0; a && b && i < 34; i++) {
            char *x = tg_result_cell_format(a, i, 0, TG_CELL_TEXT);
            char *y = tg_result_cell_format(b, i, 0, TG_CELL_TEXT);
            TG_CHECK(x && y && strcmp(x, y) == 0);
            TG_CHECK(cell_num(a, i, 1) == cell_num(b, i, 1));
            free(x);
            free(y);
        }
        tg_result_free(a);
        tg_result_free(b);
    }

    /* a projection that selects nothing yields no row */
    r = run("CALL algo.degree({labels: ['Nope']}) YIELD node, score RETURN count(*)", &err);
    TG_CHECK(r != NULL && cell_is(r, 0, 0, "0"));
    tg_result_free(r);

    /* weighted degree (strength) of n00 */
    r = run("CALL algo.degree({direction: 'both', weight: 'weight'}) YIELD node, score "
            "WHERE node.id = 'n00' RETURN score",
            &err);
    TG_CHECK(r != NULL && tg_result_row_count(r) == 1 && cell_num(r, 0, 0) == 42);
    tg_result_free(r);
}

static void t_groups(void)
{
    tg_error err;
    tg_result *r = run("CALL algo.wcc() YIELD node, componentId "
                       "RETURN count(*) AS n, max(componentId) AS m",
                       &err);
    TG_CHECK(r != NULL && cell_is(r, 0, 0, "34") && cell_is(r, 0, 1, "0"));
    tg_result_free(r);

    r = run("CALL algo.louvain({seed: 1}) YIELD node, communityId "
            "RETURN node.id, communityId LIMIT 1",
            &err);
    TG_CHECK(r != NULL && cell_is(r, 0, 0, "n00") && cell_is(r, 0, 1, "0"));
    tg_result_free(r);

    r = run("CALL algo.kcore() YIELD node, coreness RETURN max(coreness)", &err);
    TG_CHECK(r != NULL && cell_is(r, 0, 0, "4"));
    tg_result_free(r);

    r = run("CALL algo.modularity({partition: 'club'}) YIELD modularity RETURN modularity", &err);
    TG_CHECK(r != NULL && fabs(cell_num(r, 0, 0) - 0.3582347140039448) < 1e-9);
    tg_result_free(r);

    r = run("CALL algo.articulationPoints() YIELD node RETURN node.id", &err);
    TG_CHECK(r != NULL && tg_result_row_count(r) == 1 && cell_is(r, 0, 0, "n00"));
    tg_result_free(r);

    r = run("CALL algo.bridges() YIELD relation RETURN count(*)", &err);
    TG_CHECK(r != NULL && cell_is(r, 0, 0, "1"));
    tg_result_free(r);
}

static void t_paths(void)
{
    tg_error err;
    tg_result *r = run("CALL algo.shortestPath({source: 'n16', target: 'n25'}) "
                       "YIELD path, cost RETURN length(path), cost",
                       &err);
    TG_CHECK(r != NULL && tg_result_row_count(r) == 1);
    if (r) {
        TG_CHECK(cell_is(r, 0, 0, "4"));
        TG_CHECK(cell_num(r, 0, 1) == 4);
    } else {
        fprintf(stderr, "  %s\n", err.message);
    }
    tg_result_free(r);

    r = run("MATCH (a {id: 'n16'}), (b {id: 'n25'}) "
            "CALL algo.kShortestPaths({source: a, target: b, k: 3}) "
            "YIELD index, path, cost RETURN index, cost",
            &err);
    TG_CHECK(r != NULL && tg_result_row_count(r) == 3);
    if (r)
        TG_CHECK(cell_is(r, 2, 0, "2"));
    else
        fprintf(stderr, "  %s\n", err.message);
    tg_result_free(r);

    r = run("CALL algo.allSimplePaths({source: 'n00', target: 'n33', maxHops: 3, limit: 5}) "
            "YIELD path RETURN count(*)",
            &err);
    TG_CHECK(r != NULL && cell_is(r, 0, 0, "5"));
    tg_result_free(r);

    r = run("CALL algo.neighbourhood({source: 'n16', hops: 2, limit: 5}) "
            "YIELD node, relation, omitted "
            "RETURN count(node), count(relation), max(omitted)",
            &err);
    TG_CHECK(r != NULL && cell_is(r, 0, 0, "5") && cell_is(r, 0, 1, "7") && cell_is(r, 0, 2, "1"));
    tg_result_free(r);
}

static void t_errors(void)
{
    static const struct {
        const char *query, *message;
        tg_status status;
    } cases[] = {
        {"CALL algo.pageRank({dampingFactor: 0.9}) YIELD node RETURN node",
         "has no option 'dampingFactor'", TG_EARG},
        {"CALL algo.pageRank({damping: 1.5}) YIELD node RETURN node", "damping", TG_EARG},
        {"CALL algo.degree({direction: 'sideways'}) YIELD node RETURN node", "'out', 'in' or",
         TG_EARG},
        {"CALL algo.degree({weight: 'wieght'}) YIELD node RETURN node", "'wieght'", TG_EARG},
        {"CALL algo.shortestPath({target: 'n01'}) YIELD path RETURN path", "option source",
         TG_EARG},
        {"CALL algo.shortestPath({source: 'nobody', target: 'n01'}) YIELD path RETURN path",
         "no entity has id 'nobody'", TG_EARG},
        {"CALL algo.betweenness({samples: -1}) YIELD node RETURN node", "samples", TG_EARG},
        {"CALL algo.louvain({labels: 3}) YIELD node RETURN node", "labels", TG_ETYPE},
        {"CALL algo.modularity() YIELD modularity RETURN modularity", "partition", TG_EARG},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tg_error err;
        tg_result *r = run(cases[i].query, &err);
        TG_CHECK(r == NULL);
        TG_CHECK_INT(err.status, cases[i].status);
        if (!strstr(err.message, cases[i].message)) {
            TG_CHECK(strstr(err.message, cases[i].message) != NULL);
            fprintf(stderr, "  %s -> %s\n", cases[i].query, err.message);
        }
        tg_result_free(r);
    }
}

int main(void)
{
    tg_error err;
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/golden/karate.json", TG_SOURCE_DIR);
    karate = tg_graph_new();
    TG_CHECK(tg_proc_algo_register(&err) == TG_OK);
    TG_CHECK(karate && tg_json_load_file(karate, path, &err) == TG_OK);
    if (karate && tg_graph_entity_count(karate) == 34) {
        TG_RUN(t_centrality);
        TG_RUN(t_groups);
        TG_RUN(t_paths);
        TG_RUN(t_errors);
    }
    tg_graph_free(karate);
    return tg_test_finish();
}
