/* algo_paths.c — shortest paths, k shortest paths, simple paths, ego networks.
 *
 * Shortest and k shortest paths are igraph's (Dijkstra, or breadth first
 * when unweighted; Yen). Simple paths are a depth-first search written
 * here so that it can stop at `limit` and return relations (igraph 0.10's
 * igraph_get_all_simple_paths returns vertices only and cannot stop early).
 * The ego network is a breadth-first search from several seeds through
 * igraph_incident, so that its cost follows the size of the neighbourhood,
 * not of the graph. Paths are returned as entities and relations in
 * traversal order.
 */
#include "algo_internal.h"

#include <stdlib.h>
#include <string.h>

static tg_status no_memory(tg_error *err)
{
    return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory computing paths");
}

static tg_status endpoint(const tg_projection *p, tg_ent e, const char *role, uint32_t *v,
                          tg_error *err)
{
    *v = tg_projection_vertex(p, e);
    if (*v == TG_NONE) {
        if (e < tg_graph_entity_count(p->g))
            return tg_error_set(err, TG_EARG, NULL, 0, 0,
                                "the %s entity '%s' is not in the projection (check labels "
                                "and excludeLabels)",
                                role, tg_graph_str(p->g, tg_graph_entity_id(p->g, e), NULL));
        return tg_error_set(err, TG_EARG, NULL, 0, 0, "the %s entity does not exist", role);
    }
    return TG_OK;
}

/* Appends a path (from vertex `from` through projection edges edges[0..len))
 * to the list. */
static tg_status push_path(const tg_projection *p, tg_path_list *out, uint32_t from,
                           const igraph_integer_t *edges, size_t len, tg_error *err)
{
    tg_path *grown, *path;
    size_t i;
    uint32_t v = from;

    /* The list has no capacity field: it doubles whenever n reaches a power
     * of two, so appending stays amortised O(1). */
    if ((out->n & (out->n - 1)) == 0) {
        grown = realloc(out->paths, (out->n ? 2 * out->n : 1) * sizeof *grown);
        if (!grown)
            return no_memory(err);
        out->paths = grown;
    }
    path = &out->paths[out->n];
    path->len = len;
    path->cost = 0;
    path->nodes = malloc((len + 1) * sizeof *path->nodes);
    path->rels = malloc((len ? len : 1) * sizeof *path->rels);
    if (!path->nodes || !path->rels) {
        free(path->nodes);
        free(path->rels);
        return no_memory(err);
    }
    out->n++;
    path->nodes[0] = tg_projection_entity(p, v);
    for (i = 0; i < len; i++) {
        igraph_integer_t e = edges[i];
        v = (uint32_t)IGRAPH_OTHER(p->ig, e, (igraph_integer_t)v);
        path->rels[i] = tg_projection_relation(p, (size_t)e);
        path->nodes[i + 1] = tg_projection_entity(p, v);
        path->cost += tg_projection_weight(p, (size_t)e);
    }
    return TG_OK;
}

tg_status tg_algo_shortest_path(tg_projection *p, tg_ent from, tg_ent to, tg_path_list *out,
                                tg_error *err)
{
    igraph_vector_int_t vpath, epath;
    uint32_t s, t;
    igraph_error_t rc;
    tg_status st;

    out->paths = NULL;
    out->n = 0;
    st = endpoint(p, from, "source", &s, err);
    if (st == TG_OK)
        st = endpoint(p, to, "target", &t, err);
    if (st != TG_OK)
        return st;
    if (s == t)
        return push_path(p, out, s, NULL, 0, err);
    rc = igraph_vector_int_init(&vpath, 0);
    if (rc != IGRAPH_SUCCESS)
        return tg_i_algo_igraph_fail(rc, "shortest path", err);
    rc = igraph_vector_int_init(&epath, 0);
    if (rc != IGRAPH_SUCCESS) {
        igraph_vector_int_destroy(&vpath);
        return tg_i_algo_igraph_fail(rc, "shortest path", err);
    }
    rc = igraph_get_shortest_path_dijkstra(p->ig, &vpath, &epath, s, t, tg_i_proj_weights(p),
                                           tg_i_proj_mode(p));
    if (rc != IGRAPH_SUCCESS)
        st = tg_i_algo_igraph_fail(rc, "shortest path", err);
    else if (igraph_vector_int_size(&epath) > 0)
        st = push_path(p, out, s, VECTOR(epath), (size_t)igraph_vector_int_size(&epath), err);
    igraph_vector_int_destroy(&epath);
    igraph_vector_int_destroy(&vpath);
    return st;
}

tg_status tg_algo_k_shortest_paths(tg_projection *p, tg_ent from, tg_ent to, size_t k,
                                   tg_path_list *out, tg_error *err)
{
    igraph_vector_int_list_t epaths;
    uint32_t s, t;
    igraph_error_t rc;
    igraph_integer_t i, np;
    tg_status st;

    out->paths = NULL;
    out->n = 0;
    st = endpoint(p, from, "source", &s, err);
    if (st == TG_OK)
        st = endpoint(p, to, "target", &t, err);
    if (st != TG_OK || k == 0)
        return st;
    if (s == t)
        return push_path(p, out, s, NULL, 0, err);
    rc = igraph_vector_int_list_init(&epaths, 0);
    if (rc != IGRAPH_SUCCESS)
        return tg_i_algo_igraph_fail(rc, "k shortest paths", err);
    rc = igraph_get_k_shortest_paths(p->ig, tg_i_proj_weights(p), NULL, &epaths,
                                     (igraph_integer_t)k, s, t, tg_i_proj_mode(p));
    if (rc != IGRAPH_SUCCESS)
        st = tg_i_algo_igraph_fail(rc, "k shortest paths", err);
    np = igraph_vector_int_list_size(&epaths);
    for (i = 0; st == TG_OK && i < np; i++) {
        igraph_vector_int_t *e = igraph_vector_int_list_get_ptr(&epaths, i);
        st = push_path(p, out, s, VECTOR(*e), (size_t)igraph_vector_int_size(e), err);
    }
    igraph_vector_int_list_destroy(&epaths);
    if (st != TG_OK)
        tg_path_list_destroy(out);
    return st;
}

tg_status tg_algo_all_simple_paths(tg_projection *p, tg_ent from, tg_ent to, size_t max_hops,
                                   size_t limit, tg_path_list *out, tg_error *err)
{
    tg_i_csr c = {0};
    unsigned char *on_path = NULL;
    size_t *next = NULL;            /* per depth: next adjacency slot to try */
    igraph_integer_t *edges = NULL; /* per depth: edge taken */
    uint32_t *verts = NULL;         /* per depth: vertex reached */
    size_t depth = 0, steps = 0;
    uint32_t s, t;
    tg_status st;

    out->paths = NULL;
    out->n = 0;
    st = endpoint(p, from, "source", &s, err);
    if (st == TG_OK)
        st = endpoint(p, to, "target", &t, err);
    if (st != TG_OK)
        goto done;
    if (s == t) {
        st = push_path(p, out, s, NULL, 0, err);
        goto done;
    }
    if (max_hops == 0 || max_hops > p->n - 1)
        max_hops = p->n - 1;
    on_path = calloc(p->n, 1);
    next = malloc((max_hops + 1) * sizeof *next);
    edges = malloc((max_hops + 1) * sizeof *edges);
    verts = malloc((max_hops + 1) * sizeof *verts);
    if (!on_path || !next || !edges || !verts || tg_i_csr_build(p, &c) != 0) {
        st = no_memory(err);
        goto done;
    }
    verts[0] = s;
    next[0] = c.off[s];
    on_path[s] = 1;
    while (st == TG_OK) {
        uint32_t v = verts[depth];
        if ((++steps & 1023u) == 0 && tg_i_algo_should_stop()) {
            st = tg_error_set(err, TG_ERUNTIME, NULL, 0, 0,
                              "allSimplePaths was stopped before it finished (asked to stop: "
                              "time limit)");
            break;
        }
        if (next[depth] >= c.off[v + 1] || depth == max_hops) {
            /* exhausted (or too deep): backtrack */
            on_path[v] = 0;
            if (depth == 0)
                break;
            depth--;
            continue;
        }
        {
            size_t k = next[depth]++;
            uint32_t u = c.nbr[k];
            if (on_path[u])
                continue;
            edges[depth] = (igraph_integer_t)c.eid[k];
            if (u == t) {
                st = push_path(p, out, s, edges, depth + 1, err);
                if (st == TG_OK && limit > 0 && out->n >= limit)
                    break;
                continue;
            }
            depth++;
            verts[depth] = u;
            next[depth] = c.off[u];
            on_path[u] = 1;
        }
    }
done:
    if (st != TG_OK)
        tg_path_list_destroy(out);
    tg_i_csr_destroy(&c);
    free(on_path);
    free(next);
    free(edges);
    free(verts);
    return st;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

tg_status tg_algo_neighbourhood(tg_projection *p, const tg_ent *seeds, size_t nseeds, size_t hops,
                                size_t limit, tg_ego *out, tg_error *err)
{
    uint32_t *dist = NULL; /* TG_NONE: not reached */
    uint32_t *found = NULL;
    size_t nfound = 0, lstart = 0, i, h, nkept;
    igraph_vector_int_t inc;
    int inc_ok = 0;
    igraph_neimode_t mode = tg_i_proj_mode(p);
    igraph_error_t rc = IGRAPH_SUCCESS;
    tg_status st = TG_OK;

    memset(out, 0, sizeof *out);
    if (p->n == 0)
        goto done;
    dist = malloc(p->n * sizeof *dist);
    found = malloc(p->n * sizeof *found);
    if (!dist || !found) {
        st = no_memory(err);
        goto done;
    }
    for (i = 0; i < p->n; i++)
        dist[i] = TG_NONE;
    rc = igraph_vector_int_init(&inc, 0);
    if (rc != IGRAPH_SUCCESS)
        goto done;
    inc_ok = 1;
    for (i = 0; i < nseeds; i++) {
        uint32_t v = tg_projection_vertex(p, seeds[i]);
        if (v != TG_NONE && dist[v] == TG_NONE) {
            dist[v] = 0;
            found[nfound++] = v;
        }
    }
    qsort(found, nfound, sizeof *found, cmp_u32);
    /* Layer by layer; each layer sorted so that ties go by entity. */
    for (h = 0; h < hops && lstart < nfound; h++) {
        size_t lend = nfound;
        for (i = lstart; i < lend; i++) {
            igraph_integer_t k;
            rc = igraph_incident(p->ig, &inc, found[i], mode);
            if (rc != IGRAPH_SUCCESS)
                goto done;
            for (k = 0; k < igraph_vector_int_size(&inc); k++) {
                uint32_t u = (uint32_t)IGRAPH_OTHER(p->ig, VECTOR(inc)[k], found[i]);
                if (dist[u] == TG_NONE) {
                    dist[u] = (uint32_t)(h + 1);
                    found[nfound++] = u;
                }
            }
        }
        qsort(found + lend, nfound - lend, sizeof *found, cmp_u32);
        lstart = lend;
    }
    nkept = (limit > 0 && nfound > limit) ? limit : nfound;
    out->omitted = nfound - nkept;
    out->nodes = malloc((nkept ? nkept : 1) * sizeof *out->nodes);
    out->hops = malloc((nkept ? nkept : 1) * sizeof *out->hops);
    if (!out->nodes || !out->hops) {
        st = no_memory(err);
        goto done;
    }
    out->nnodes = nkept;
    for (i = 0; i < nkept; i++) {
        out->nodes[i] = tg_projection_entity(p, found[i]);
        out->hops[i] = dist[found[i]];
    }
    /* Mark kept vertices (reuse dist: TG_NONE - 1 = kept), then collect the
     * relations between them through each kept vertex's out-edges, so that
     * every relation is seen once. */
    for (i = 0; i < nkept; i++)
        dist[found[i]] = TG_NONE - 1;
    {
        size_t cap = 16, n = 0;
        uint32_t *rels = malloc(cap * sizeof *rels);
        if (!rels) {
            st = no_memory(err);
            goto done;
        }
        for (i = 0; i < nkept && st == TG_OK; i++) {
            igraph_integer_t k;
            rc = igraph_incident(p->ig, &inc, found[i], IGRAPH_OUT);
            if (rc != IGRAPH_SUCCESS)
                break;
            for (k = 0; k < igraph_vector_int_size(&inc); k++) {
                igraph_integer_t e = VECTOR(inc)[k];
                if (dist[IGRAPH_TO(p->ig, e)] != TG_NONE - 1)
                    continue;
                if (n == cap) {
                    uint32_t *grown = realloc(rels, 2 * cap * sizeof *rels);
                    if (!grown) {
                        st = no_memory(err);
                        break;
                    }
                    rels = grown;
                    cap *= 2;
                }
                rels[n++] = tg_projection_relation(p, (size_t)e);
            }
        }
        qsort(rels, n, sizeof *rels, cmp_u32);
        out->rels = rels;
        out->nrels = n;
    }
done:
    if (rc != IGRAPH_SUCCESS)
        st = tg_i_algo_igraph_fail(rc, "neighbourhood", err);
    if (st != TG_OK)
        tg_ego_destroy(out);
    if (inc_ok)
        igraph_vector_int_destroy(&inc);
    free(dist);
    free(found);
    return st;
}
