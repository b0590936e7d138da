/* alloc_fail.c — SQLite's method against tiegraph: the Nth allocation fails,
 * for every N, over an import, a store round trip, queries and a render.
 *
 * The test binary is linked with -Wl,--wrap for malloc, calloc, realloc,
 * strdup and strndup, so every allocation that tiegraph's own code makes
 * (the static libraries of engine/, loaders/, queries/, viz/) goes through
 * the wrappers below; the libraries below them (igraph, SQLite, graphviz)
 * allocate on their own. For N = 1, 2, ... a scenario runs with the Nth
 * allocation failing (and, in the "persistent" pass, every one after it, as
 * when memory is really gone) until a run completes without reaching N.
 * Each run must either succeed (the failure was recovered from) or fail
 * with TG_ENOMEM: any other status is a wrong message ("the store is
 * damaged" for out of memory), a crash is a crash, and the sanitizers of
 * `make test` report every leak at exit.
 *
 * Usage: tg-alloc-fail SCENARIO... (import, store, query, render; all when
 * none) [--max N]. Prints one line per scenario: how many N were run and how
 * many recovered. */
#include <execinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "graph.h"
#include "importer.h"
#include "json_loader.h"
#include "proc_algo.h"
#include "query.h"
#include "store.h"
#include "viz.h"

/* ---- the failing allocator ------------------------------------------------------ */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static long countdown = -1; /* <0: never fail; 0: fail now */
static int persistent;      /* keep failing once the first failure came */
static int fired;

static int trace; /* TG_ALLOC_TRACE set: print where the first failure hits */

static void print_backtrace(void)
{
    void *frames[32];
    int n = backtrace(frames, 32);
    fprintf(stderr, "-- allocation failed here:\n");
    backtrace_symbols_fd(frames, n, 2);
}

static int fail_now(void)
{
    if (countdown < 0)
        return 0;
    if (countdown == 0) {
        if (!fired && trace)
            print_backtrace();
        fired = 1;
        if (!persistent)
            countdown = -1;
        return 1;
    }
    countdown--;
    return 0;
}

void *__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
    return fail_now() ? NULL : __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    size_t n = strlen(s);
    char *p = __wrap_malloc(n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

char *__wrap_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = __wrap_malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* ---- scenarios -------------------------------------------------------------------- */

static const char *data_dir;

static char path_buf[4][1024];

static const char *data(int slot, const char *name)
{
    snprintf(path_buf[slot], sizeof path_buf[slot], "%s/%s", data_dir, name);
    return path_buf[slot];
}

/* Reads the five small inputs (tiegraph/1, Neo4j CSV, a mapped CSV, FtM,
 * GraphML) into a new graph; *out owned on success. */
static tg_status import_all(tg_graph **out, tg_error *err)
{
    tg_graph *g = tg_graph_new();
    tg_importer *imp = NULL;
    tg_read_options o;
    tg_status st;

    *out = NULL;
    if (!g)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    st = tg_importer_new(g, &imp, err);
    if (st == TG_OK)
        st = tg_format_read(imp, data(0, "small.json"), NULL, NULL, err);
    if (st == TG_OK) {
        memset(&o, 0, sizeof o);
        o.role = TG_CSV_NODES;
        o.format = "csv";
        st = tg_format_read(imp, data(1, "nodes.csv"), &o, NULL, err);
    }
    if (st == TG_OK) {
        memset(&o, 0, sizeof o);
        o.format = "csv";
        o.map = data(2, "rows.map.json");
        st = tg_format_read(imp, data(3, "rows.csv"), &o, NULL, err);
    }
    if (st == TG_OK) {
        memset(&o, 0, sizeof o);
        o.format = "ftm";
        st = tg_format_read(imp, data(2, "small.ijson"), &o, NULL, err);
    }
    if (st == TG_OK)
        st = tg_format_read(imp, data(0, "small.graphml"), NULL, NULL, err);
    tg_importer_free(imp);
    if (st != TG_OK) {
        tg_graph_free(g);
        return st;
    }
    *out = g;
    return TG_OK;
}

static tg_status sc_import(tg_error *err)
{
    tg_graph *g = NULL;
    tg_status st = import_all(&g, err);
    tg_graph_free(g);
    return st;
}

static tg_status sc_store(tg_error *err)
{
    tg_graph *g = NULL, *back = NULL;
    tg_store *s = NULL;
    tg_status st = import_all(&g, err);

    if (st == TG_OK)
        st = tg_store_open(":memory:", TG_STORE_WRITE, &s, err);
    if (st == TG_OK)
        st = tg_store_save(s, g, err);
    if (st == TG_OK)
        st = tg_store_load(s, &back, err);
    /* the lazy parts are read under test (a part that could not be read
     * reads as empty and tg_graph_status reports it); the comparison is the
     * oracle and allocates on its own, so no failure is injected into it */
    if (st == TG_OK && tg_graph_load_all(back, err) == TG_OK)
        st = tg_graph_status(back, err);
    else if (st == TG_OK)
        st = err->status;
    if (st == TG_OK) {
        long saved = countdown;
        int equal;
        countdown = -1;
        equal = tg_graph_equal(g, back);
        countdown = saved;
        if (!equal)
            st = tg_error_set(err, TG_EINTERNAL, NULL, 0, 0, "the store gave back another graph");
    }
    tg_store_close(s);
    tg_graph_free(back);
    tg_graph_free(g);
    return st;
}

static tg_status sc_query(tg_error *err)
{
    static const char *const queries[] = {
        "MATCH (a)-[r]->(b) RETURN a.name, type(r), b.name ORDER BY a.name, b.name",
        "MATCH (n) RETURN labels(n) AS l, count(*) AS c, collect(n.id) AS ids ORDER BY c DESC",
        "MATCH p = shortestPath((a {id: 'exim'})-[*..4]-(b {id: 'huawei'})) RETURN p",
        "UNWIND range(1, 20) AS i WITH i WHERE i % 3 = 0 RETURN sum(i), avg(i), max(i)",
        "CREATE (x:Company {id: 'new', name: 'New \"co\"'})-[:OWNS {share: 0.5}]->(y:Company {id: 'new2'}) RETURN x, y",
        "CALL algo.pageRank({}) YIELD node, score RETURN node.id, score ORDER BY score DESC LIMIT 3",
        "MATCH (n {id: 'new'}) REMOVE n:Company FOREACH (i IN [1, 2] | SET n.i = i) DETACH DELETE n",
    };
    tg_graph *g = NULL;
    tg_status st = import_all(&g, err);
    size_t i;

    for (i = 0; st == TG_OK && i < sizeof queries / sizeof queries[0]; i++) {
        tg_result *r = NULL;
        st = tg_query_run(g, queries[i], strlen(queries[i]), NULL, NULL, &r, err);
        if (st == TG_OK && tg_result_row_count(r) > 0) {
            char *cell = tg_result_cell_format(r, 0, 0, TG_CELL_JSON);
            if (!cell)
                st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            free(cell);
        }
        tg_result_free(r);
    }
    tg_graph_free(g);
    return st;
}

static tg_status sc_render(tg_error *err)
{
    tg_graph *g = NULL;
    tg_status st = import_all(&g, err);
    tg_ent ents[64];
    tg_rel rels[64];
    size_t ne, nr, i;
    tg_viz_selection sel;
    tg_viz_options vo;
    char *out = NULL;

    if (st != TG_OK)
        return st;
    ne = tg_graph_entity_count(g) < 64 ? tg_graph_entity_count(g) : 64;
    nr = tg_graph_relation_count(g) < 64 ? tg_graph_relation_count(g) : 64;
    for (i = 0; i < ne; i++)
        ents[i] = (tg_ent)i;
    for (i = 0; i < nr; i++)
        rels[i] = (tg_rel)i;
    memset(&sel, 0, sizeof sel);
    sel.g = g;
    sel.ents = ents;
    sel.nents = ne;
    sel.rels = rels;
    sel.nrels = nr;
    tg_viz_options_init(&vo);
    vo.title = "alloc test";
    vo.cluster = "country";
    st = tg_viz_render_data(&sel, &vo, "svg", &out, NULL, err);
    free(out);
    tg_graph_free(g);
    return st;
}

static const struct {
    const char *name;
    tg_status (*run)(tg_error *err);
} scenarios[] = {
    {"import", sc_import}, {"store", sc_store}, {"query", sc_query}, {"render", sc_render}};

/* Runs one scenario for every N; returns the number of wrong outcomes. */
static long only = -1; /* --at N: only the Nth allocation fails */

static int campaign(int k, long max)
{
    long n, runs = 0, recovered = 0;
    int bad = 0, pass;
    tg_error err;

    for (pass = 0; pass < 2; pass++) {
        for (n = only > 0 ? only - 1 : 0; max < 0 || n < max; n++) {
            tg_status st;
            tg_error_clear(&err);
            countdown = n;
            persistent = pass;
            fired = 0;
            st = scenarios[k].run(&err);
            countdown = -1;
            runs++;
            if (!fired) {
                if (st != TG_OK) {
                    fprintf(stderr, "%s: fails without any injected failure: %s\n",
                            scenarios[k].name, err.message);
                    bad++;
                }
                break;
            }
            if (st == TG_OK) {
                recovered++;
            } else if (st != TG_ENOMEM) {
                fprintf(stderr,
                        "%s: allocation %ld%s failed: got %s (\"%s\"), expected out of memory\n",
                        scenarios[k].name, n + 1, pass ? " and every later one" : "",
                        tg_status_name(st), err.message);
                if (++bad > 20)
                    return bad;
            } else if (!strstr(err.message, "memory")) {
                fprintf(stderr, "%s: allocation %ld: the message does not say memory: \"%s\"\n",
                        scenarios[k].name, n + 1, err.message);
                bad++;
            }
        }
    }
    printf("%s: %ld runs (every allocation failing once, then for good), %ld recovered, %d "
           "wrong\n",
           scenarios[k].name, runs, recovered, bad);
    return bad;
}

int main(int argc, char **argv)
{
    long max = -1;
    int i, k, bad = 0, any = 0;
    tg_error err;

    trace = getenv("TG_ALLOC_TRACE") != NULL;
    data_dir = getenv("TG_ALLOC_DATA") ? getenv("TG_ALLOC_DATA") : TG_ALLOC_DATA;
    tg_error_clear(&err);
    if (tg_proc_algo_register(&err) != TG_OK) {
        fprintf(stderr, "cannot register algo.*: %s\n", err.message);
        return 1;
    }
    for (i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--max") && i + 1 < argc)
            max = atol(argv[++i]);
        else if (!strcmp(argv[i], "--at") && i + 1 < argc)
            max = only = atol(argv[++i]);
    for (k = 0; k < (int)(sizeof scenarios / sizeof scenarios[0]); k++) {
        int want = 1, named = 0;
        for (i = 1; i < argc; i++) {
            if (!strcmp(argv[i], "--max") || !strcmp(argv[i], "--at")) {
                i++;
                continue;
            }
            named = 1;
            if (!strcmp(argv[i], scenarios[k].name))
                want = 2;
        }
        if (named && want != 2)
            continue;
        any = 1;
        bad += campaign(k, max);
    }
    if (!any) {
        fprintf(stderr, "no such scenario; expected import, store, query or render\n");
        return 64;
    }
    printf("%d wrong\n", bad);
    return bad != 0;
}
