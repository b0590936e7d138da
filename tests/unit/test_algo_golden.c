/* test_algo_golden.c — the algorithms against golden files.
 *
 * tests/golden/cases.txt lists the cases (one a line: graph, algorithm,
 * options, expected-output file); tests/golden/make_golden.py made them
 * with NetworkX and python-igraph from the same JSON fixtures this test
 * loads. Checks: scores within 1e-6 and rankings consistent with the golden
 * scores (ties by entity); components, coreness, articulation points,
 * bridges, simple paths and ego networks identical; shortest paths among
 * the golden set of shortest paths with equal cost; k shortest paths with
 * identical costs, each among the golden candidates; community modularity
 * at least 99% of python-igraph's.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algo.h"
#include "graph.h"
#include "json_loader.h"
#include "tg_test.h"

#define MAXOPT 24
#define MAXLIST 16

typedef struct kv {
    char key[32];
    char val[256];
} kv;

typedef struct tcase {
    char line[1024];
    kv opt[MAXOPT];
    int nopt;
} tcase;

static const char *opt(const tcase *c, const char *key)
{
    int i;
    for (i = 0; i < c->nopt; i++)
        if (strcmp(c->opt[i].key, key) == 0)
            return c->opt[i].val;
    return NULL;
}

static void failf(const tcase *c, const char *fmt, ...)
{
    va_list ap;
    tg_test_failures++;
    fprintf(stderr, "FAIL [%s]: ", c->line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

#define CHECKC(c, cond, ...)                                                                       \
    do {                                                                                           \
        tg_test_checks++;                                                                          \
        if (!(cond))                                                                               \
            failf((c), __VA_ARGS__);                                                               \
    } while (0)

/* ---- fixtures --------------------------------------------------------------- */

typedef struct fixture {
    char name[32];
    tg_graph *g;
} fixture;

static fixture fixtures[8];
static int nfixtures;

/* Graphs whose goldens are stale (the file changed since make_golden.py). */
static char stale[4][32];
static int nstale;

static int is_stale(const char *name)
{
    int i;
    for (i = 0; i < nstale; i++)
        if (strcmp(stale[i], name) == 0)
            return 1;
    return 0;
}

static const char *fixture_path(const char *name, char *buf, size_t size)
{
    if (strcmp(name, "aspi") == 0)
        snprintf(buf, size, "%s/examples/aspi-2019/graph.json", TG_SOURCE_DIR);
    else
        snprintf(buf, size, "%s/tests/golden/%s.json", TG_SOURCE_DIR, name);
    return buf;
}

/* A `fixture graph=G bytes=N` line: the goldens of G were made from a file
 * of N bytes. A different size means the file was edited since: one clear
 * failure instead of a hundred confusing ones. */
static void check_fixture(const tcase *c)
{
    char path[1024];
    const char *name = opt(c, "graph"), *bytes = opt(c, "bytes");
    FILE *f = fopen(fixture_path(name ? name : "", path, sizeof path), "rb");
    long size = -1;

    if (f && fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (f)
        fclose(f);
    CHECKC(c, bytes && size == strtol(bytes, NULL, 10),
           "%s has %ld bytes, the goldens were made from %s: rerun "
           "/usr/bin/python3 tests/golden/make_golden.py",
           path, size, bytes ? bytes : "?");
    if (!bytes || size != strtol(bytes, NULL, 10))
        if (nstale < 4 && name)
            snprintf(stale[nstale++], sizeof stale[0], "%s", name);
}

static tg_graph *fixture_graph(const char *name)
{
    char path[1024];
    tg_error err;
    int i;

    for (i = 0; i < nfixtures; i++)
        if (strcmp(fixtures[i].name, name) == 0)
            return fixtures[i].g;
    if (nfixtures == (int)(sizeof fixtures / sizeof fixtures[0]))
        return NULL;
    fixture_path(name, path, sizeof path);
    fixtures[nfixtures].g = tg_graph_new();
    snprintf(fixtures[nfixtures].name, sizeof fixtures[nfixtures].name, "%s", name);
    tg_error_clear(&err);
    if (!fixtures[nfixtures].g || tg_json_load_file(fixtures[nfixtures].g, path, &err) != TG_OK) {
        fprintf(stderr, "cannot load %s: %s\n", path, err.message);
        tg_graph_free(fixtures[nfixtures].g);
        return NULL;
    }
    return fixtures[nfixtures++].g;
}

/* ---- golden files --------------------------------------------------------------- */

typedef struct gline {
    char tag[64];    /* text before the first comma */
    char rest[4096]; /* after it */
} gline;

static gline *read_golden(const char *file, size_t *n)
{
    char path[1024], buf[8192];
    FILE *f;
    gline *lines = NULL;
    size_t cap = 0;

    *n = 0;
    snprintf(path, sizeof path, "%s/tests/golden/%s", TG_SOURCE_DIR, file);
    f = fopen(path, "r");
    if (!f)
        return NULL;
    while (fgets(buf, sizeof buf, f)) {
        char *comma = strchr(buf, ',');
        size_t len = strcspn(buf, "\r\n");
        buf[len] = 0;
        if (len == 0)
            continue;
        if (*n == cap) {
            gline *grown = realloc(lines, (cap ? 2 * cap : 64) * sizeof *lines);
            if (!grown)
                break;
            lines = grown;
            cap = cap ? 2 * cap : 64;
        }
        if (comma) {
            *comma = 0;
            snprintf(lines[*n].rest, sizeof lines[*n].rest, "%s", comma + 1);
        } else {
            lines[*n].rest[0] = 0;
        }
        snprintf(lines[*n].tag, sizeof lines[*n].tag, "%.63s", buf);
        (*n)++;
    }
    fclose(f);
    if (!lines)
        lines = malloc(sizeof *lines); /* an empty file is a valid expectation */
    return lines;
}

/* Splits "a,b,c" into syms / entities. */
static size_t split(const char *s, char out[MAXLIST][64])
{
    size_t n = 0;
    while (s && *s && n < MAXLIST) {
        size_t len = strcspn(s, ",");
        snprintf(out[n++], 64, "%.*s", (int)len, s);
        s += len;
        if (*s == ',')
            s++;
    }
    return n;
}

static tg_ent find_ent(tg_graph *g, const char *id)
{
    return tg_graph_find_entity(g, id, strlen(id));
}

/* Relation index sequence "3 17 4" -> array; returns the count. */
static size_t parse_rels(const char *s, tg_rel *out, size_t max)
{
    size_t n = 0;
    char *end;
    while (*s && n < max) {
        unsigned long v = strtoul(s, &end, 10);
        if (end == s)
            break;
        out[n++] = (tg_rel)v;
        s = end;
    }
    return n;
}

/* ---- checks by kind ------------------------------------------------------------- */

static void check_scores(const tcase *c, tg_projection *p, const double *ours, const gline *gl,
                         size_t ng)
{
    size_t n = tg_projection_node_count(p), i;
    double *gold = malloc((n ? n : 1) * sizeof *gold);
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    tg_graph *g = tg_projection_graph(p);

    CHECKC(c, ng == n, "%lu golden rows for %lu entities", (unsigned long)ng, (unsigned long)n);
    if (!gold || !order || ng != n)
        goto done;
    for (i = 0; i < ng; i++) {
        tg_ent e = find_ent(g, gl[i].tag);
        uint32_t v = e == TG_NONE ? TG_NONE : tg_projection_vertex(p, e);
        CHECKC(c, v != TG_NONE, "entity %s not in projection", gl[i].tag);
        if (v == TG_NONE)
            goto done;
        gold[v] = strtod(gl[i].rest, NULL);
    }
    for (i = 0; i < n; i++) {
        tg_ent e = tg_projection_entity(p, i);
        CHECKC(c, fabs(ours[i] - gold[i]) <= 1e-6, "%s: %.12g, expected %.12g",
               tg_graph_str(g, tg_graph_entity_id(g, e), NULL), ours[i], gold[i]);
    }
    /* Ranking: each consecutive pair is ordered by golden score, ties (within
     * 1e-9) by entity id. */
    tg_algo_rank(p, ours, order);
    for (i = 0; i + 1 < n; i++) {
        uint32_t a = order[i], b = order[i + 1];
        int tie = fabs(gold[a] - gold[b]) <= 1e-9;
        const char *ida = tg_graph_str(g, tg_graph_entity_id(g, tg_projection_entity(p, a)), NULL);
        const char *idb = tg_graph_str(g, tg_graph_entity_id(g, tg_projection_entity(p, b)), NULL);
        int ok = gold[a] > gold[b] + 1e-9 || (tie && strcmp(ida, idb) < 0);
        CHECKC(c, ok, "ranking: %s (%.12g) before %s (%.12g)",
               tg_graph_str(g, tg_graph_entity_id(g, tg_projection_entity(p, a)), NULL), gold[a],
               tg_graph_str(g, tg_graph_entity_id(g, tg_projection_entity(p, b)), NULL), gold[b]);
    }
done:
    free(gold);
    free(order);
}

static void check_ids(const tcase *c, tg_projection *p, const uint32_t *ours, const gline *gl,
                      size_t ng)
{
    size_t n = tg_projection_node_count(p), i;
    tg_graph *g = tg_projection_graph(p);

    CHECKC(c, ng == n, "%lu golden rows for %lu entities", (unsigned long)ng, (unsigned long)n);
    for (i = 0; i < ng && ng == n; i++) {
        tg_ent e = find_ent(g, gl[i].tag);
        uint32_t v = e == TG_NONE ? TG_NONE : tg_projection_vertex(p, e);
        long want = strtol(gl[i].rest, NULL, 10);
        CHECKC(c, v != TG_NONE && (long)ours[v] == want, "%s: %ld, expected %ld", gl[i].tag,
               v == TG_NONE ? -1L : (long)ours[v], want);
    }
}

static double golden_modularity(const gline *gl, size_t ng)
{
    size_t i;
    for (i = 0; i < ng; i++)
        if (strcmp(gl[i].tag, "modularity") == 0)
            return strtod(gl[i].rest, NULL);
    return NAN;
}

/* Whether path pa (relations) equals the golden "3 17 4". */
static int same_rels(const tg_path *pa, const char *golden)
{
    tg_rel rels[256];
    size_t n = parse_rels(golden, rels, 256), i;
    if (n != pa->len)
        return 0;
    for (i = 0; i < n; i++)
        if (rels[i] != pa->rels[i])
            return 0;
    return 1;
}

/* A path is well formed: it starts at from, each relation joins consecutive
 * entities, no entity repeats, and the cost adds up. */
static int path_ok(tg_projection *p, const tg_path *pa, tg_ent from, tg_ent to)
{
    tg_graph *g = tg_projection_graph(p);
    size_t i, j;
    double cost = 0;

    if (pa->nodes[0] != from || pa->nodes[pa->len] != to)
        return 0;
    for (i = 0; i < pa->len; i++) {
        tg_ent a = tg_graph_rel_from(g, pa->rels[i]), b = tg_graph_rel_to(g, pa->rels[i]);
        if (!((a == pa->nodes[i] && b == pa->nodes[i + 1]) ||
              (b == pa->nodes[i] && a == pa->nodes[i + 1])))
            return 0;
        for (j = 0; j < i; j++)
            if (pa->nodes[j] == pa->nodes[i + 1])
                return 0;
    }
    for (i = 0; i < tg_projection_rel_count(p); i++)
        for (j = 0; j < pa->len; j++)
            if (tg_projection_relation(p, i) == pa->rels[j])
                cost += tg_projection_weight(p, i);
    return fabs(cost - pa->cost) <= 1e-9;
}

/* ---- one case ---------------------------------------------------------------- */

static void run_case(const tcase *c)
{
    const char *algo = opt(c, "algo"), *dir = opt(c, "dir"), *w = opt(c, "weight");
    tg_graph *g = fixture_graph(opt(c, "graph"));
    char lists[3][MAXLIST][64], ids[MAXLIST][64];
    tg_sym syms[3][MAXLIST];
    size_t nl[3], i, n, ng = 0;
    tg_ent pinned[2], from = TG_NONE, to = TG_NONE;
    tg_proj_spec spec;
    tg_projection *p = NULL;
    tg_error err;
    gline *gl = NULL;
    double *score = NULL;
    uint32_t *id = NULL;
    tg_status st;
    static const char *listkeys[3] = {"labels", "types", "exclude"};

    CHECKC(c, g != NULL, "no fixture");
    if (!g)
        return;
    gl = read_golden(opt(c, "file"), &ng);
    CHECKC(c, gl != NULL, "no golden file");
    if (!gl)
        return;
    tg_proj_spec_init(&spec);
    for (i = 0; i < 3; i++) {
        size_t k;
        nl[i] = split(opt(c, listkeys[i]), lists[i]);
        for (k = 0; k < nl[i]; k++)
            syms[i][k] = tg_graph_sym(g, lists[i][k], strlen(lists[i][k]));
    }
    spec.labels = syms[0];
    spec.nlabels = nl[0];
    spec.types = syms[1];
    spec.ntypes = nl[1];
    spec.exclude = syms[2];
    spec.nexclude = nl[2];
    if (opt(c, "from")) {
        from = find_ent(g, opt(c, "from"));
        to = find_ent(g, opt(c, "to"));
        pinned[0] = from;
        pinned[1] = to;
        spec.pinned = pinned;
        spec.npinned = 2;
    }
    spec.dir = !dir || strcmp(dir, "out") == 0 ? TG_DIR_OUT
               : strcmp(dir, "in") == 0        ? TG_DIR_IN
                                               : TG_DIR_BOTH;
    spec.weight = w ? tg_graph_sym(g, w, strlen(w)) : 0;
    tg_error_clear(&err);
    st = tg_projection_new(g, &spec, &p, &err);
    CHECKC(c, st == TG_OK, "projection: %s", err.message);
    if (st != TG_OK)
        goto done;
    n = tg_projection_node_count(p);
    score = calloc(n + 1, sizeof *score);
    id = calloc(n + 1, sizeof *id);
    if (!score || !id)
        goto done;

    if (strcmp(algo, "degree") == 0 || strcmp(algo, "pagerank") == 0 ||
        strcmp(algo, "betweenness") == 0 || strcmp(algo, "betweennessFrom") == 0 ||
        strcmp(algo, "closeness") == 0 || strcmp(algo, "harmonic") == 0 ||
        strcmp(algo, "eigenvector") == 0) {
        if (strcmp(algo, "degree") == 0) {
            st = tg_algo_degree(p, score, &err);
        } else if (strcmp(algo, "pagerank") == 0) {
            tg_pagerank_opts o;
            tg_pagerank_opts_init(&o);
            st = tg_algo_pagerank(p, &o, score, &err);
        } else if (strcmp(algo, "betweenness") == 0) {
            tg_betweenness_opts o;
            tg_betweenness_opts_init(&o);
            if (opt(c, "cutoff"))
                o.cutoff = strtod(opt(c, "cutoff"), NULL);
            st = tg_algo_betweenness(p, &o, score, &err);
        } else if (strcmp(algo, "betweennessFrom") == 0) {
            uint32_t src[MAXLIST];
            size_t ns = split(opt(c, "sources"), ids), k;
            for (k = 0; k < ns; k++)
                src[k] = tg_projection_vertex(p, find_ent(g, ids[k]));
            st = tg_algo_betweenness_from(p, src, ns, -1, score, &err);
        } else if (strcmp(algo, "closeness") == 0) {
            st = tg_algo_closeness(p, score, &err);
        } else if (strcmp(algo, "harmonic") == 0) {
            st = tg_algo_harmonic(p, score, &err);
        } else {
            st = tg_algo_eigenvector(p, score, &err);
        }
        CHECKC(c, st == TG_OK, "%s", err.message);
        if (st == TG_OK)
            check_scores(c, p, score, gl, ng);
    } else if (strcmp(algo, "wcc") == 0 || strcmp(algo, "scc") == 0 || strcmp(algo, "kcore") == 0) {
        if (strcmp(algo, "wcc") == 0)
            st = tg_algo_wcc(p, id, NULL, &err);
        else if (strcmp(algo, "scc") == 0)
            st = tg_algo_scc(p, id, NULL, &err);
        else
            st = tg_algo_kcore(p, id, &err);
        CHECKC(c, st == TG_OK, "%s", err.message);
        if (st == TG_OK)
            check_ids(c, p, id, gl, ng);
    } else if (strcmp(algo, "articulationPoints") == 0 || strcmp(algo, "bridges") == 0) {
        tg_idlist l = {0};
        int bridges = strcmp(algo, "bridges") == 0;
        st = bridges ? tg_algo_bridges(p, &l, &err) : tg_algo_articulation_points(p, &l, &err);
        CHECKC(c, st == TG_OK, "%s", err.message);
        CHECKC(c, l.n == ng, "%lu items, expected %lu", (unsigned long)l.n, (unsigned long)ng);
        for (i = 0; i < l.n && i < ng; i++) {
            uint32_t want = bridges ? (uint32_t)strtoul(gl[i].tag, NULL, 10)
                                    : tg_projection_vertex(p, find_ent(g, gl[i].tag));
            CHECKC(c, l.v[i] == want, "item %lu: %lu, expected %lu", (unsigned long)i,
                   (unsigned long)l.v[i], (unsigned long)want);
        }
        tg_idlist_destroy(&l);
    } else if (strcmp(algo, "louvain") == 0 || strcmp(algo, "leiden") == 0 ||
               strcmp(algo, "labelPropagation") == 0) {
        tg_community_opts o;
        double q = NAN, want = golden_modularity(gl, ng);
        tg_community_opts_init(&o);
        if (strcmp(algo, "louvain") == 0) {
            st = tg_algo_louvain(p, &o, id, &q, &err);
        } else if (strcmp(algo, "leiden") == 0) {
            st = tg_algo_leiden(p, &o, id, &q, &err);
        } else {
            /* Label propagation's modularity varies widely from run to run
             * (it may even end in one community): the golden value is the
             * mean of python-igraph over 1001 random seeds, so compare with
             * our mean over seeds 0..1000. */
            double sum = 0, qi = 0;
            int s;
            for (s = 0; s < 1001 && st == TG_OK; s++) {
                o.seed = (uint64_t)s;
                st = tg_algo_label_propagation(p, &o, id, &err);
                if (st == TG_OK)
                    st = tg_algo_modularity(p, id, 1.0, &qi, &err);
                sum += qi;
            }
            q = sum / 1001;
        }
        CHECKC(c, st == TG_OK, "%s", err.message);
        CHECKC(c, q >= 0.99 * want, "modularity %.6f, python-igraph %.6f", q, want);
        /* ids are renumbered by first appearance */
        {
            uint32_t next = 0;
            for (i = 0; i < n; i++) {
                CHECKC(c, id[i] <= next, "id %u at vertex %lu before %u", id[i], (unsigned long)i,
                       next);
                if (id[i] == next)
                    next++;
            }
        }
    } else if (strcmp(algo, "modularity") == 0) {
        const char *key = opt(c, "partition");
        tg_sym ksym = tg_graph_sym(g, key, strlen(key));
        double q = NAN, want = golden_modularity(gl, ng);
        for (i = 0; i < n; i++) {
            const tg_pval *v = tg_graph_prop(g, TG_ENTITY, tg_projection_entity(p, i), ksym);
            id[i] = v && v->type == TG_V_STRING ? v->u.s : 0;
        }
        st = tg_algo_modularity(p, id, 1.0, &q, &err);
        CHECKC(c, st == TG_OK && fabs(q - want) <= 1e-6, "modularity %.9f, expected %.9f", q, want);
    } else if (strcmp(algo, "shortestPath") == 0 || strcmp(algo, "kShortestPaths") == 0 ||
               strcmp(algo, "allSimplePaths") == 0) {
        tg_path_list l = {0};
        size_t k, j, ncost = 0;
        if (strcmp(algo, "shortestPath") == 0)
            st = tg_algo_shortest_path(p, from, to, &l, &err);
        else if (strcmp(algo, "kShortestPaths") == 0)
            st = tg_algo_k_shortest_paths(p, from, to, strtoul(opt(c, "k"), NULL, 10), &l, &err);
        else
            st = tg_algo_all_simple_paths(p, from, to, strtoul(opt(c, "maxHops"), NULL, 10), 0, &l,
                                          &err);
        CHECKC(c, st == TG_OK, "%s", err.message);
        for (j = 0; j < ng; j++)
            ncost += strcmp(gl[j].tag, "cost") == 0;
        if (strcmp(algo, "allSimplePaths") == 0) {
            CHECKC(c, l.n == ng, "%lu paths, expected %lu", (unsigned long)l.n, (unsigned long)ng);
        } else if (strcmp(algo, "shortestPath") == 0) {
            CHECKC(c, l.n == ncost, "%lu paths, expected %lu", (unsigned long)l.n,
                   (unsigned long)ncost);
        } else {
            CHECKC(c, l.n == ncost, "%lu paths, expected %lu", (unsigned long)l.n,
                   (unsigned long)ncost);
        }
        for (k = 0; k < l.n; k++) {
            int found = 0;
            size_t ci = 0;
            CHECKC(c, path_ok(p, &l.paths[k], from, to), "path %lu is not a valid path",
                   (unsigned long)k);
            for (j = 0; j < ng; j++) {
                if (strcmp(gl[j].tag, "cost") == 0) {
                    if (ci++ == k)
                        CHECKC(c, fabs(strtod(gl[j].rest, NULL) - l.paths[k].cost) <= 1e-6,
                               "path %lu cost %g, expected %s", (unsigned long)k, l.paths[k].cost,
                               gl[j].rest);
                } else if (same_rels(&l.paths[k], gl[j].rest)) {
                    found = 1;
                }
            }
            CHECKC(c, found, "path %lu (cost %g) is not among the golden paths", (unsigned long)k,
                   l.paths[k].cost);
            for (j = 0; j < k; j++) {
                int same =
                    l.paths[j].len == l.paths[k].len &&
                    memcmp(l.paths[j].rels, l.paths[k].rels, l.paths[k].len * sizeof(tg_rel)) == 0;
                CHECKC(c, !same, "paths %lu and %lu are the same", (unsigned long)j,
                       (unsigned long)k);
            }
        }
        tg_path_list_destroy(&l);
    } else if (strcmp(algo, "neighbourhood") == 0) {
        tg_ego ego;
        tg_ent seeds[MAXLIST];
        size_t ns = split(opt(c, "seeds"), ids), k = 0, r = 0;
        for (i = 0; i < ns; i++)
            seeds[i] = find_ent(g, ids[i]);
        st = tg_algo_neighbourhood(p, seeds, ns, strtoul(opt(c, "hops"), NULL, 10),
                                   opt(c, "limit") ? strtoul(opt(c, "limit"), NULL, 10) : 0, &ego,
                                   &err);
        CHECKC(c, st == TG_OK, "%s", err.message);
        for (i = 0; i < ng && st == TG_OK; i++) {
            if (strcmp(gl[i].tag, "node") == 0) {
                char want[64];
                unsigned h = 0;
                const char *comma = strchr(gl[i].rest, ',');
                snprintf(want, sizeof want, "%.*s", (int)(comma - gl[i].rest), gl[i].rest);
                h = (unsigned)strtoul(comma + 1, NULL, 10);
                CHECKC(c, k < ego.nnodes && ego.nodes[k] == find_ent(g, want) && ego.hops[k] == h,
                       "node %lu: expected %s at %u hops", (unsigned long)k, want, h);
                k++;
            } else if (strcmp(gl[i].tag, "rel") == 0) {
                CHECKC(c, r < ego.nrels && ego.rels[r] == strtoul(gl[i].rest, NULL, 10),
                       "relation %lu: expected %s", (unsigned long)r, gl[i].rest);
                r++;
            } else if (strcmp(gl[i].tag, "omitted") == 0) {
                CHECKC(c, ego.omitted == strtoul(gl[i].rest, NULL, 10), "omitted %lu, expected %s",
                       (unsigned long)ego.omitted, gl[i].rest);
            }
        }
        CHECKC(c, st != TG_OK || (k == ego.nnodes && r == ego.nrels),
               "%lu nodes and %lu relations, expected %lu and %lu", (unsigned long)ego.nnodes,
               (unsigned long)ego.nrels, (unsigned long)k, (unsigned long)r);
        tg_ego_destroy(&ego);
    } else {
        CHECKC(c, 0, "unknown algorithm %s", algo);
    }
done:
    free(score);
    free(id);
    free(gl);
    tg_projection_free(p);
}

static void t_golden_cases(void)
{
    char path[1024], buf[1024];
    FILE *f;
    int ncases = 0;

    snprintf(path, sizeof path, "%s/tests/golden/cases.txt", TG_SOURCE_DIR);
    f = fopen(path, "r");
    TG_CHECK(f != NULL);
    if (!f)
        return;
    while (fgets(buf, sizeof buf, f)) {
        tcase c;
        char *tok, *save = NULL;
        buf[strcspn(buf, "\r\n")] = 0;
        if (buf[0] == '#' || buf[0] == 0)
            continue;
        memset(&c, 0, sizeof c);
        snprintf(c.line, sizeof c.line, "%s", buf);
        for (tok = strtok_r(buf, " ", &save); tok && c.nopt < MAXOPT;
             tok = strtok_r(NULL, " ", &save)) {
            char *eq = strchr(tok, '=');
            if (!eq)
                continue;
            *eq = 0;
            snprintf(c.opt[c.nopt].key, sizeof c.opt[c.nopt].key, "%s", tok);
            snprintf(c.opt[c.nopt].val, sizeof c.opt[c.nopt].val, "%s", eq + 1);
            c.nopt++;
        }
        if (strncmp(c.line, "fixture ", 8) == 0) {
            check_fixture(&c);
            continue;
        }
        if (is_stale(opt(&c, "graph")))
            continue;
        run_case(&c);
        ncases++;
    }
    fclose(f);
    TG_CHECK(ncases >= 100);
    fprintf(stderr, "%d golden cases\n", ncases);
}

int main(void)
{
    int i;
    TG_RUN(t_golden_cases);
    for (i = 0; i < nfixtures; i++)
        tg_graph_free(fixtures[i].g);
    return tg_test_finish();
}
