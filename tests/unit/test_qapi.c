/* test_qapi.c — the query API beyond single queries: guards (expansion cap,
 * timeout), parameters from text, error kinds and positions, JSON and text
 * cells, raw values, effects, and procedures registered from outside. */
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "procedures.h"
#include "query.h"
#include "tg_test.h"
#include "value.h"

static tg_status run(tg_graph *g, const char *q, const tg_params *p,
                     const tg_query_options *o, tg_result **r, tg_error *err)
{
    tg_error_clear(err);
    return tg_query_run(g, q, strlen(q), p, o, r, err);
}

static tg_graph *chain(int n)
{
    tg_graph *g = tg_graph_new();
    tg_error err;
    tg_result *r = NULL;
    char q[256];
    snprintf(q, sizeof q,
             "UNWIND range(0, %d) AS i CREATE (:N {id: 'n' + toString(i), k: i})", n - 1);
    TG_CHECK_INT(run(g, q, NULL, NULL, &r, &err), TG_OK);
    tg_result_free(r);
    snprintf(q, sizeof q,
             "UNWIND range(0, %d) AS i MATCH (a {id: 'n' + toString(i)}), "
             "(b {id: 'n' + toString(i + 1)}) CREATE (a)-[:NEXT]->(b)",
             n - 2);
    TG_CHECK_INT(run(g, q, NULL, NULL, &r, &err), TG_OK);
    TG_CHECK_INT(tg_result_effects(r)->relationships_created, n - 1);
    tg_result_free(r);
    return g;
}

static void t_guards(void)
{
    tg_graph *g = chain(200);
    tg_result *r = NULL;
    tg_error err;
    tg_query_options o;
    memset(&o, 0, sizeof o);
    o.max_expansions = 50;
    TG_CHECK_INT(run(g, "MATCH (a)-[*]->(b) RETURN count(*)", NULL, &o, &r, &err), TG_ERUNTIME);
    TG_CHECK(strstr(err.message, "expansions") != NULL);
    TG_CHECK(!tg_query_error_is_compile_time(&err));
    TG_CHECK(r == NULL);
    o.max_expansions = 0; /* the default cap is large */
    TG_CHECK_INT(run(g, "MATCH (a {id: 'n0'})-[*]->(b) RETURN count(*)", NULL, &o, &r, &err),
                 TG_OK);
    if (r) {
        const tg_value *v = tg_result_value(r, 0, 0);
        TG_CHECK(v && v->kind == TG_VAL_INT && v->u.i == 199);
    }
    tg_result_free(r);
    r = NULL;
    o.timeout_seconds = 1e-9;
    TG_CHECK_INT(run(g, "MATCH (a)-[*]->(b) RETURN count(*)", NULL, &o, &r, &err), TG_ERUNTIME);
    TG_CHECK(strstr(err.message, "time") != NULL);
    tg_graph_free(g);
}

/* The planner's choices, observed through the expansion cap: each query
 * below would expand hundreds of relations if it scanned instead of seeking,
 * started from the wrong end, or ignored LIMIT. */
static void t_planning(void)
{
    tg_graph *g = chain(500);
    tg_result *r = NULL;
    tg_error err;
    tg_query_options o;
    const char *cheap[] = {
        "MATCH (a {id: 'n5'})-[:NEXT]->(b) RETURN b.k + 1",
        "MATCH (a)-[:NEXT]->(b) WHERE a.id = 'n5' RETURN b.k + 1",
        "MATCH (a)-[:NEXT]->(b {id: 'n6'}) RETURN a.k + 2",
        "MATCH (a:N)-[:NEXT]->(b:N) WHERE b.k = 6 RETURN a.k + 2",
        "MATCH (a)-[:NEXT]->(b) RETURN b.k + 7 - b.k LIMIT 1",
        "MATCH (a {id: 'n3'})-[:NEXT*3]->(b) RETURN b.k + 1",
        "MATCH p = shortestPath((a {id: 'n3'})-[:NEXT*]->(b {id: 'n7'})) RETURN length(p) + 3",
        "MATCH (a)-[:NEXT]->(b) WHERE a.id IN ['n5', 'n0', 'n5', null] RETURN sum(b.k)",
        "MATCH (a:N)-[:NEXT]->(b) WHERE a.k IN [0.0, 5, 0] RETURN sum(b.k)",
    };
    memset(&o, 0, sizeof o);
    o.max_expansions = 8;
    for (size_t i = 0; i < sizeof cheap / sizeof cheap[0]; i++) {
        tg_status st = run(g, cheap[i], NULL, &o, &r, &err);
        if (st != TG_OK)
            fprintf(stderr, "%s: %s\n", cheap[i], err.message);
        TG_CHECK_INT(st, TG_OK);
        if (r) {
            const tg_value *v = tg_result_value(r, 0, 0);
            TG_CHECK_INT(tg_result_row_count(r), 1);
            TG_CHECK(v && v->kind == TG_VAL_INT && v->u.i == 7);
        }
        tg_result_free(r);
        r = NULL;
    }
    tg_graph_free(g);
}

/* Expand-into walks the smaller adjacency list: a hub with 300 relations
 * is joined to one leaf through the leaf's single relation. */
static void t_expand_into(void)
{
    tg_graph *g = tg_graph_new();
    tg_result *r = NULL;
    tg_error err;
    tg_query_options o;
    const char *qs[] = {
        "MATCH (h {id: 'hub'}), (l {id: 'l7'}) MATCH (h)-[:T]->(l) RETURN count(*) AS c",
        "MATCH (h {id: 'hub'}), (l {id: 'l7'}) MATCH (l)<-[:T]-(h) RETURN count(*) AS c",
        "MATCH (h {id: 'hub'}), (l {id: 'l7'}) MATCH (h)-[:T]-(l) RETURN count(*) AS c",
    };
    TG_CHECK_INT(run(g, "CREATE (h:H {id: 'hub'}) WITH h UNWIND range(0, 299) AS i "
                        "CREATE (h)-[:T]->(:L {id: 'l' + toString(i)})",
                     NULL, NULL, &r, &err),
                 TG_OK);
    tg_result_free(r);
    memset(&o, 0, sizeof o);
    o.max_expansions = 5;
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        r = NULL;
        TG_CHECK_INT(run(g, qs[i], NULL, &o, &r, &err), TG_OK);
        if (r) {
            const tg_value *v = tg_result_value(r, 0, 0);
            TG_CHECK(v && v->kind == TG_VAL_INT && v->u.i == 1);
        }
        tg_result_free(r);
    }
    tg_graph_free(g);
}

static void t_params_text(void)
{
    tg_graph *g = tg_graph_new();
    tg_params *p = tg_params_new();
    tg_result *r = NULL;
    tg_error err;
    char *c;
    TG_CHECK_INT(tg_params_set_text(p, "a", "42", &err), TG_OK);
    TG_CHECK_INT(tg_params_set_text(p, "b", "hello world", &err), TG_OK);
    TG_CHECK_INT(tg_params_set_text(p, "c", "{k: [1, 2.5, 'x']}", &err), TG_OK);
    TG_CHECK_INT(tg_params_set_literal(p, "d", "nope(", &err), TG_ESYNTAX);
    TG_CHECK_INT(tg_params_set_literal(p, "d", "1 + 2", &err), TG_ESYNTAX);
    TG_CHECK_INT(tg_params_set_text(p, "e", "1 + 2", &err), TG_OK); /* the string "1 + 2" */
    TG_CHECK_INT(tg_params_set_text(p, "f", "-2.5", &err), TG_OK);
    TG_CHECK_INT(run(g, "RETURN $a + 1 AS a, $b AS b, $c AS c, $e AS e, $f AS f", p, NULL, &r,
                     &err),
                 TG_OK);
    tg_params_free(p); /* the result must not depend on the parameters */
    c = tg_result_cell_format(r, 0, 0, TG_CELL_JSON);
    TG_CHECK_STR(c, "43");
    free(c);
    c = tg_result_cell_format(r, 0, 1, TG_CELL_TEXT);
    TG_CHECK_STR(c, "hello world");
    free(c);
    c = tg_result_cell_format(r, 0, 2, TG_CELL_JSON);
    TG_CHECK_STR(c, "{\"k\": [1, 2.5, \"x\"]}");
    free(c);
    c = tg_result_cell_format(r, 0, 3, TG_CELL_TCK);
    TG_CHECK_STR(c, "'1 + 2'");
    free(c);
    c = tg_result_cell_format(r, 0, 4, TG_CELL_TCK);
    TG_CHECK_STR(c, "-2.5");
    free(c);
    tg_result_free(r);
    TG_CHECK_INT(run(g, "RETURN $missing", NULL, NULL, &r, &err), TG_ESEMANTIC);
    TG_CHECK(tg_query_error_is_compile_time(&err));
    tg_graph_free(g);
}

static void t_errors(void)
{
    tg_graph *g = tg_graph_new();
    tg_result *r = NULL;
    tg_error err;
    tg_query_options o;
    memset(&o, 0, sizeof o);
    o.file = "script.cypher";
    o.line_offset = 10;
    TG_CHECK_INT(run(g, "MATCH (n)\nRETURN m", NULL, &o, &r, &err), TG_ESYNTAX);
    TG_CHECK(strstr(err.message, "UndefinedVariable") != NULL);
    TG_CHECK_INT(err.line, 12);
    TG_CHECK_INT(err.column, 8);
    TG_CHECK_STR(err.file, "script.cypher");
    TG_CHECK_INT(run(g, "RETURN 9223372036854775807 + 1", NULL, NULL, &r, &err), TG_EARG);
    TG_CHECK(!tg_query_error_is_compile_time(&err));
    TG_CHECK_INT(run(g, "RETURN toUpper(1)", NULL, NULL, &r, &err), TG_ETYPE);
    TG_CHECK_INT(run(g, "UNWIND [1] AS x RETURN x LIMIT -1", NULL, NULL, &r, &err),
                 TG_ESYNTAX);
    TG_CHECK(strstr(err.message, "NegativeIntegerArgument") != NULL);
    TG_CHECK_INT(run(g, "MATCH (n) DELETE n:Label", NULL, NULL, &r, &err), TG_ESYNTAX);
    TG_CHECK(strstr(err.message, "InvalidDelete") != NULL);
    tg_graph_free(g);
}

static void t_create_ids(void)
{
    tg_graph *g = tg_graph_new();
    tg_result *r = NULL;
    tg_error err;
    char *c;
    TG_CHECK_INT(run(g, "CREATE (:Company {id: 'cetc', name: 'CETC'}), (:Company {name: 'X'}), "
                        "(:Tag {id: 7})",
                     NULL, NULL, &r, &err),
                 TG_OK);
    TG_CHECK_INT(tg_result_effects(r)->nodes_created, 3);
    TG_CHECK_INT(tg_result_effects(r)->labels_added, 2);
    tg_result_free(r);
    TG_CHECK(tg_graph_find_entity(g, "cetc", 4) != TG_NONE);
    TG_CHECK_INT(run(g, "MATCH (c {id: 'cetc'}) RETURN c, c.id AS i", NULL, NULL, &r, &err),
                 TG_OK);
    TG_CHECK_INT(tg_result_row_count(r), 1);
    c = tg_result_cell_format(r, 0, 0, TG_CELL_JSON);
    TG_CHECK_STR(c, "{\"id\": \"cetc\", \"labels\": [\"Company\"], \"properties\": "
                    "{\"name\": \"CETC\"}}");
    free(c);
    c = tg_result_cell_format(r, 0, 1, TG_CELL_TCK);
    TG_CHECK_STR(c, "'cetc'");
    free(c);
    tg_result_free(r);
    /* a generated id is hidden from n.id; a non-string id is a property */
    TG_CHECK_INT(run(g, "MATCH (c {name: 'X'}), (t:Tag) RETURN c.id AS a, t.id AS b", NULL,
                     NULL, &r, &err),
                 TG_OK);
    c = tg_result_cell_format(r, 0, 0, TG_CELL_TCK);
    TG_CHECK_STR(c, "null");
    free(c);
    c = tg_result_cell_format(r, 0, 1, TG_CELL_TCK);
    TG_CHECK_STR(c, "7");
    free(c);
    tg_result_free(r);
    TG_CHECK_INT(run(g, "CREATE ({id: 'cetc'})", NULL, NULL, &r, &err), TG_ERUNTIME);
    tg_graph_free(g);
}

static const tg_proc_col in_cols[] = {{"n", TG_PROC_INT}, {"opts", TG_PROC_MAP}};
static const tg_proc_col out_cols[] = {{"i", TG_PROC_INT}, {"label", TG_PROC_STRING}};

static tg_status count_proc(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args, size_t nargs,
                            void *data, tg_error *err)
{
    const tg_value *prefix = tg_proc_option(&args[1], "prefix");
    (void)g;
    (void)data;
    TG_CHECK_INT(nargs, 2);
    for (int64_t i = 0; i < args[0].u.i; i++) {
        tg_value row[2];
        char buf[32];
        snprintf(buf, sizeof buf, "%s%lld", prefix ? "p" : "", (long long)i);
        row[0] = tg_value_int(i);
        row[1] = tg_value_cstr(tg_proc_mem(ctx), buf);
        if (tg_proc_emit(ctx, row, err) != TG_OK)
            return TG_ERUNTIME;
    }
    return TG_OK;
}

/* PROFILE: the plan with the rows every operator gave; EXPLAIN gives the
 * same operators without running. */
static void t_profile(void)
{
    tg_graph *g = chain(10);
    tg_result *r = NULL;
    tg_error err;
    static const char *const ops[] = {"+Project", "+Aggregate", "+Expand", "+NodeScan", "+Once"};
    static const long rows[] = {1, 1, 9, 10, 1};
    static const char *const counted[] = {"+Project", "+CountPaths", "+NodeScan", "+Once"};
    static const long counted_rows[] = {1, 1, 10, 1};
    TG_CHECK_INT(run(g, "PROFILE MATCH (a:N)-[:NEXT]->(b) RETURN count(b) AS n", NULL, NULL, &r,
                     &err),
                 TG_OK);
    TG_CHECK_INT(tg_result_column_count(r), 5);
    TG_CHECK_STR(tg_result_column_name(r, 3), "rows");
    TG_CHECK_INT(tg_result_row_count(r), 5);
    for (size_t i = 0; r && i < 5 && i < tg_result_row_count(r); i++) {
        const tg_value *op = tg_result_value(r, i, 0), *n = tg_result_value(r, i, 3),
                       *ms = tg_result_value(r, i, 4);
        TG_CHECK(op->kind == TG_VAL_STRING && strlen(ops[i]) == op->len &&
                 memcmp(op->u.s, ops[i], op->len) == 0);
        TG_CHECK(n->kind == TG_VAL_INT && n->u.i == rows[i]);
        TG_CHECK(ms->kind == TG_VAL_FLOAT && ms->u.f >= 0);
    }
    tg_result_free(r);
    /* count(*) over the hop is counted, not enumerated: no Expand at all */
    TG_CHECK_INT(run(g, "PROFILE MATCH (a:N)-[:NEXT]->(b) RETURN count(*) AS n", NULL, NULL, &r,
                     &err),
                 TG_OK);
    TG_CHECK_INT(tg_result_row_count(r), 4);
    for (size_t i = 0; r && i < 4 && i < tg_result_row_count(r); i++) {
        const tg_value *op = tg_result_value(r, i, 0), *n = tg_result_value(r, i, 3);
        TG_CHECK(op->kind == TG_VAL_STRING && strlen(counted[i]) == op->len &&
                 memcmp(op->u.s, counted[i], op->len) == 0);
        TG_CHECK(n->kind == TG_VAL_INT && n->u.i == counted_rows[i]);
    }
    tg_result_free(r);
    TG_CHECK_INT(run(g, "EXPLAIN MATCH (a:N)-[:NEXT]->(b) RETURN count(b) AS n", NULL, NULL, &r,
                     &err),
                 TG_OK);
    TG_CHECK_INT(tg_result_column_count(r), 3);
    TG_CHECK_INT(tg_result_row_count(r), 5);
    tg_result_free(r);
    tg_graph_free(g);
}

/* Invalid UTF-8 never enters a query or the graph: the query text is
 * checked (one validator for every input, engine/utf8.h), and so are
 * parameters given as text. */
static void t_utf8(void)
{
    tg_graph *g = tg_graph_new();
    tg_params *p = tg_params_new();
    tg_result *r = NULL;
    tg_error err;
    static const char *const bad[] = {
        "CREATE (n {name: 'a\xff'}) RETURN n",        /* a byte that starts nothing */
        "CREATE (n {name: 'a\xc3'}) RETURN n",        /* a sequence cut short */
        "CREATE (n {name: '\xed\xa0\x80'}) RETURN n", /* a UTF-16 surrogate */
        "CREATE (n {name: '\xc0\xaf'}) RETURN n",    /* an overlong '/' */
        "RETURN 1 // \xfe in a comment",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        TG_CHECK_INT(run(g, bad[i], NULL, NULL, &r, &err), TG_ESYNTAX);
        TG_CHECK(strstr(err.message, "UTF-8") != NULL);
        TG_CHECK(r == NULL);
    }
    TG_CHECK_INT(tg_graph_entity_count(g), 0);
    TG_CHECK_INT(tg_params_set_text(p, "who", "caf\xe9", &err), TG_ESYNTAX);
    TG_CHECK_INT(tg_params_set_text(p, "who", "caf\xc3\xa9", &err), TG_OK);
    TG_CHECK_INT(run(g, "CREATE (n {name: $who}) RETURN size(n.name) AS n", p, NULL, &r, &err),
                 TG_OK);
    if (r) {
        const tg_value *v = tg_result_value(r, 0, 0);
        TG_CHECK(v && v->kind == TG_VAL_INT && v->u.i == 4);
    }
    tg_result_free(r);
    tg_params_free(p);
    tg_graph_free(g);
}

static void t_procedures(void)
{
    tg_graph *g = tg_graph_new();
    tg_result *r = NULL;
    tg_error err;
    tg_proc_def d = {"test.count", in_cols, 2, 1, out_cols, 2, count_proc, NULL};
    char *c;
    TG_CHECK(tg_proc_find("algo.pageRank") != NULL); /* registered on first use */
    TG_CHECK_INT(tg_proc_register(&d, &err), TG_OK);
    TG_CHECK(tg_proc_find("test.count") != NULL);
    TG_CHECK_INT(run(g, "CALL test.count(3, {prefix: true}) YIELD i, label RETURN i, label",
                     NULL, NULL, &r, &err),
                 TG_OK);
    TG_CHECK_INT(tg_result_row_count(r), 3);
    c = tg_result_cell_format(r, 2, 1, TG_CELL_TCK);
    TG_CHECK_STR(c, "'p2'");
    free(c);
    tg_result_free(r);
    TG_CHECK_INT(run(g, "CALL test.count(2)", NULL, NULL, &r, &err), TG_OK);
    TG_CHECK_INT(tg_result_column_count(r), 2);
    TG_CHECK_INT(tg_result_row_count(r), 2);
    tg_result_free(r);
    TG_CHECK_INT(run(g, "CALL test.count('x') YIELD i RETURN i", NULL, NULL, &r, &err),
                 TG_ESYNTAX);
    TG_CHECK_INT(run(g, "CALL nope.nope()", NULL, NULL, &r, &err), TG_ESEMANTIC);
    TG_CHECK(strstr(err.message, "ProcedureNotFound") != NULL);
    TG_CHECK(tg_proc_unregister("test.count"));
    TG_CHECK(tg_proc_find("test.count") == NULL);
    TG_CHECK_INT(run(g, "CREATE (:A)-[:T]->(:B) WITH 1 AS x CALL db.relationshipTypes() "
                        "YIELD relationshipType RETURN relationshipType",
                     NULL, NULL, &r, &err),
                 TG_OK);
    c = r ? tg_result_cell_format(r, 0, 0, TG_CELL_TCK) : NULL;
    TG_CHECK_STR(c, "'T'");
    free(c);
    tg_result_free(r);
    tg_graph_free(g);
}

int main(void)
{
    TG_RUN(t_guards);
    TG_RUN(t_planning);
    TG_RUN(t_expand_into);
    TG_RUN(t_params_text);
    TG_RUN(t_errors);
    TG_RUN(t_create_ids);
    TG_RUN(t_procedures);
    TG_RUN(t_profile);
    TG_RUN(t_utf8);
    return tg_test_finish();
}
