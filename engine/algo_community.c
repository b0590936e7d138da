/* algo_community.c — Louvain, Leiden, label propagation and modularity.
 *
 * Louvain and Leiden need an undirected graph: they run on the projection's
 * undirected copy, one undirected edge per relation (so parallel relations
 * and the two directions of a pair add their weights, as collapsing them
 * with summed weights would). Each randomised call seeds igraph's default
 * generator first; the resulting ids are renumbered by smallest entity.
 */
#include "algo_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void tg_community_opts_init(tg_community_opts *o)
{
    memset(o, 0, sizeof *o);
    o->resolution = 1.0;
    o->beta = 0.01;
    o->seed = 42;
}

static tg_status check_resolution(double resolution, tg_error *err)
{
    if (!(resolution >= 0) || !isfinite(resolution))
        return tg_error_set(err, TG_EARG, NULL, 0, 0,
                            "resolution must be a finite number >= 0, not %g", resolution);
    return TG_OK;
}

/* Modularity of memb on graph ig (NaN when it has no relation weight). */
static tg_status modularity_of(const igraph_t *ig, const igraph_vector_int_t *memb,
                               const igraph_vector_t *w, double resolution, igraph_bool_t directed,
                               double *q, tg_error *err)
{
    igraph_real_t value = NAN;
    igraph_error_t rc;

    if (igraph_ecount(ig) == 0) {
        *q = NAN;
        return TG_OK;
    }
    rc = igraph_modularity(ig, memb, w, resolution, directed, &value);
    if (rc != IGRAPH_SUCCESS)
        return tg_i_algo_igraph_fail(rc, "modularity", err);
    *q = value;
    return TG_OK;
}

tg_status tg_algo_louvain(tg_projection *p, const tg_community_opts *o, uint32_t *id,
                          double *modularity, tg_error *err)
{
    const igraph_t *und = NULL;
    igraph_vector_int_t memb;
    igraph_error_t rc;
    tg_status st;

    if (modularity)
        *modularity = NAN;
    st = check_resolution(o->resolution, err);
    if (st != TG_OK || p->n == 0)
        return st;
    st = tg_i_proj_undirected(p, &und, err);
    if (st != TG_OK)
        return st;
    rc = igraph_vector_int_init(&memb, 0);
    if (rc != IGRAPH_SUCCESS)
        return tg_i_algo_igraph_fail(rc, "Louvain", err);
    tg_i_algo_seed(o->seed);
    rc = igraph_community_multilevel(und, tg_i_proj_weights(p), o->resolution, &memb, NULL, NULL);
    if (rc != IGRAPH_SUCCESS)
        st = tg_i_algo_igraph_fail(rc, "Louvain", err);
    if (st == TG_OK)
        st = tg_i_algo_renumber(p->n, &memb, id, NULL, err);
    if (st == TG_OK && modularity)
        st = modularity_of(und, &memb, tg_i_proj_weights(p), o->resolution, 0, modularity, err);
    igraph_vector_int_destroy(&memb);
    return st;
}

tg_status tg_algo_leiden(tg_projection *p, const tg_community_opts *o, uint32_t *id,
                         double *modularity, tg_error *err)
{
    const igraph_t *und = NULL;
    igraph_vector_int_t memb;
    igraph_vector_t strength;
    int memb_ok = 0, strength_ok = 0;
    igraph_integer_t nb = 0;
    igraph_real_t quality = 0, total = 0;
    igraph_error_t rc = IGRAPH_SUCCESS;
    size_t i;
    tg_status st;

    if (modularity)
        *modularity = NAN;
    st = check_resolution(o->resolution, err);
    if (st != TG_OK || p->n == 0)
        return st;
    if (!(o->beta > 0) || !isfinite(o->beta))
        return tg_error_set(err, TG_EARG, NULL, 0, 0, "beta must be a finite number > 0, not %g",
                            o->beta);
    st = tg_i_proj_undirected(p, &und, err);
    if (st != TG_OK)
        return st;
    rc = igraph_vector_int_init(&memb, 0);
    if (rc != IGRAPH_SUCCESS)
        goto done;
    memb_ok = 1;
    rc = igraph_vector_init(&strength, 0);
    if (rc != IGRAPH_SUCCESS)
        goto done;
    strength_ok = 1;
    rc = igraph_strength(und, &strength, igraph_vss_all(), IGRAPH_ALL, IGRAPH_LOOPS,
                         tg_i_proj_weights(p));
    if (rc != IGRAPH_SUCCESS)
        goto done;
    for (i = 0; i < p->n; i++)
        total += VECTOR(strength)[i];
    if (total <= 0) {
        /* No relation weight: every entity is its own community. */
        for (i = 0; i < p->n; i++)
            id[i] = (uint32_t)i;
        goto done;
    }
    tg_i_algo_seed(o->seed);
    /* Modularity as Leiden's objective: node weights are strengths and the
     * resolution is divided by 2m (python-igraph does the same). */
    rc = igraph_community_leiden(und, tg_i_proj_weights(p), &strength, o->resolution / total,
                                 o->beta, 0, -1, &memb, &nb, &quality);
    if (rc != IGRAPH_SUCCESS)
        goto done;
    st = tg_i_algo_renumber(p->n, &memb, id, NULL, err);
    if (st == TG_OK && modularity)
        st = modularity_of(und, &memb, tg_i_proj_weights(p), o->resolution, 0, modularity, err);
done:
    if (rc != IGRAPH_SUCCESS)
        st = tg_i_algo_igraph_fail(rc, "Leiden", err);
    if (strength_ok)
        igraph_vector_destroy(&strength);
    if (memb_ok)
        igraph_vector_int_destroy(&memb);
    return st;
}

tg_status tg_algo_label_propagation(tg_projection *p, const tg_community_opts *o, uint32_t *id,
                                    tg_error *err)
{
    const igraph_t *ig = p->ig;
    igraph_vector_int_t memb;
    igraph_error_t rc;
    tg_status st = TG_OK;

    if (p->n == 0)
        return TG_OK;
    /* igraph 0.10's directed variant, given mode ALL on a directed graph,
     * is not the undirected algorithm: use the undirected copy for both. */
    if (p->dir == TG_DIR_BOTH) {
        st = tg_i_proj_undirected(p, &ig, err);
        if (st != TG_OK)
            return st;
    }
    rc = igraph_vector_int_init(&memb, 0);
    if (rc != IGRAPH_SUCCESS)
        return tg_i_algo_igraph_fail(rc, "label propagation", err);
    tg_i_algo_seed(o->seed);
    rc = igraph_community_label_propagation(ig, &memb, tg_i_proj_mode(p), tg_i_proj_weights(p),
                                            NULL, NULL);
    if (rc != IGRAPH_SUCCESS)
        st = tg_i_algo_igraph_fail(rc, "label propagation", err);
    else
        st = tg_i_algo_renumber(p->n, &memb, id, NULL, err);
    igraph_vector_int_destroy(&memb);
    return st;
}

typedef struct id_item {
    uint32_t id;
    uint32_t v;
} id_item;

static int id_cmp(const void *a, const void *b)
{
    const id_item *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v);
}

tg_status tg_algo_modularity(tg_projection *p, const uint32_t *id, double resolution, double *q,
                             tg_error *err)
{
    id_item *items = NULL;
    igraph_vector_int_t memb;
    int memb_ok = 0;
    igraph_error_t rc = IGRAPH_SUCCESS;
    size_t i, next = 0;
    tg_status st;

    *q = NAN;
    st = check_resolution(resolution, err);
    if (st != TG_OK || p->n == 0)
        return st;
    /* igraph wants ids in 0..n-1: compress the caller's ids by sorting. */
    items = malloc(p->n * sizeof *items);
    if (!items) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory computing modularity");
        goto done;
    }
    rc = igraph_vector_int_init(&memb, (igraph_integer_t)p->n);
    if (rc != IGRAPH_SUCCESS)
        goto done;
    memb_ok = 1;
    for (i = 0; i < p->n; i++) {
        items[i].id = id[i];
        items[i].v = (uint32_t)i;
    }
    qsort(items, p->n, sizeof *items, id_cmp);
    for (i = 0; i < p->n; i++) {
        if (i > 0 && items[i].id != items[i - 1].id)
            next++;
        VECTOR(memb)[items[i].v] = (igraph_integer_t)next;
    }
    st = modularity_of(p->ig, &memb, tg_i_proj_weights(p), resolution, p->dir != TG_DIR_BOTH, q,
                       err);
done:
    if (rc != IGRAPH_SUCCESS)
        st = tg_i_algo_igraph_fail(rc, "modularity", err);
    if (memb_ok)
        igraph_vector_int_destroy(&memb);
    free(items);
    return st;
}
