/* algo_projection.c — projections: the part of the graph an algorithm sees.
 *
 * A projection with no label, type or exclude filter borrows the graph's
 * igraph_t (engine/graph_igraph.h) and copies nothing but the weights; a
 * filtered one builds its own igraph_t over the kept entities (in entity
 * order) and relations (in relation order) with maps both ways. See
 * algo_internal.h for the invariants. Also: the result lists, ranking,
 * renumbering and the translation of igraph's error codes.
 */
#include "algo_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph_igraph.h"

static tg_algo_stop_fn stop_fn;
static void *stop_ctx;

/* igraph's interruption handler. IGRAPH_ALLOW_INTERRUPTION returns from the
 * function it sits in without freeing what that function registered for
 * cleanup; the callers' error handler frees it later, after that frame is
 * gone (a use of dead stack memory). So free it here, while every frame is
 * still alive, as igraph's other front ends do. */
static igraph_error_t on_interrupt(void *data)
{
    (void)data;
    if (!tg_i_algo_should_stop())
        return IGRAPH_SUCCESS;
    IGRAPH_FINALLY_FREE();
    return IGRAPH_INTERRUPTED;
}

void tg_algo_set_stop(tg_algo_stop_fn fn, void *ctx)
{
    stop_fn = fn;
    stop_ctx = ctx;
    igraph_set_interruption_handler(fn ? on_interrupt : NULL);
}

int tg_i_algo_should_stop(void)
{
    return stop_fn && stop_fn(stop_ctx) != 0;
}

tg_status tg_i_algo_igraph_fail(igraph_error_t rc, const char *what, tg_error *err)
{
    if (rc == IGRAPH_INTERRUPTED)
        return tg_error_set(err, TG_ERUNTIME, NULL, 0, 0,
                            "%s was stopped before it finished (asked to stop: time limit)", what);
    if (rc == IGRAPH_SUCCESS) /* a caller's bug; never report success as failure */
        rc = IGRAPH_FAILURE;
    return tg_i_igraph_status(rc, what, err);
}

void tg_i_algo_seed(uint64_t seed)
{
    igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)seed);
}

void tg_proj_spec_init(tg_proj_spec *s)
{
    memset(s, 0, sizeof *s);
    s->dir = TG_DIR_OUT;
    s->default_weight = 1.0;
}

/* Marks in keep[] the entities the spec keeps. */
static void mark_entities(tg_graph *g, const tg_proj_spec *s, unsigned char *keep, size_t n)
{
    size_t i, k;
    const tg_ent *ents;

    if (s->nlabels == 0) {
        memset(keep, 1, n);
    } else {
        memset(keep, 0, n);
        for (i = 0; i < s->nlabels; i++) {
            size_t cnt = s->labels[i] ? tg_graph_label_entities(g, s->labels[i], &ents) : 0;
            for (k = 0; k < cnt; k++)
                keep[ents[k]] = 1;
        }
    }
    for (i = 0; i < s->nexclude; i++) {
        size_t cnt = s->exclude[i] ? tg_graph_label_entities(g, s->exclude[i], &ents) : 0;
        for (k = 0; k < cnt; k++)
            if (keep[ents[k]] == 1)
                keep[ents[k]] = 2; /* excluded unless pinned */
    }
    for (i = 0; i < s->npinned; i++)
        if (s->pinned[i] < n && keep[s->pinned[i]] == 2)
            keep[s->pinned[i]] = 1;
    for (i = 0; i < n; i++)
        if (keep[i] == 2 || !tg_graph_entity_is_live(g, (tg_ent)i))
            keep[i] = 0;
}

/* Marks in rkeep[] the relations whose type the spec keeps. */
static void mark_types(tg_graph *g, const tg_proj_spec *s, unsigned char *rkeep, size_t m)
{
    size_t i, k;
    const tg_rel *rels;

    if (s->ntypes == 0) {
        for (i = 0; i < m; i++)
            rkeep[i] = (unsigned char)tg_graph_relation_is_live(g, (tg_rel)i);
        return;
    }
    memset(rkeep, 0, m); /* the type index holds live relations only */
    for (i = 0; i < s->ntypes; i++) {
        size_t cnt = s->types[i] ? tg_graph_type_relations(g, s->types[i], &rels) : 0;
        for (k = 0; k < cnt; k++)
            rkeep[rels[k]] = 1;
    }
}

static tg_status build_filtered(tg_projection *p, const tg_proj_spec *s, tg_error *err)
{
    tg_graph *g = p->g;
    size_t n = tg_graph_entity_count(g), m = tg_graph_relation_count(g);
    unsigned char *keep = NULL, *rkeep = NULL;
    igraph_vector_int_t edges;
    int edges_ok = 0;
    size_t e, r, nv = 0, ne = 0;
    igraph_error_t rc;
    tg_status st = TG_OK;

    keep = malloc(n ? n : 1);
    rkeep = malloc(m ? m : 1);
    p->entv = malloc((n ? n : 1) * sizeof *p->entv);
    p->vent = malloc((n ? n : 1) * sizeof *p->vent);
    p->erel = malloc((m ? m : 1) * sizeof *p->erel);
    if (!keep || !rkeep || !p->entv || !p->vent || !p->erel) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory building a projection");
        goto done;
    }
    mark_entities(g, s, keep, n);
    mark_types(g, s, rkeep, m);
    for (e = 0; e < n; e++) {
        p->entv[e] = keep[e] ? (uint32_t)nv : TG_NONE;
        if (keep[e])
            p->vent[nv++] = (tg_ent)e;
    }
    for (r = 0; r < m; r++)
        if (rkeep[r] && keep[tg_graph_rel_from(g, (tg_rel)r)] &&
            keep[tg_graph_rel_to(g, (tg_rel)r)])
            p->erel[ne++] = (tg_rel)r;
    rc = igraph_vector_int_init(&edges, (igraph_integer_t)(2 * ne));
    if (rc != IGRAPH_SUCCESS) {
        st = tg_i_algo_igraph_fail(rc, "building a projection", err);
        goto done;
    }
    edges_ok = 1;
    for (r = 0; r < ne; r++) {
        VECTOR(edges)[2 * r] = p->entv[tg_graph_rel_from(g, p->erel[r])];
        VECTOR(edges)[2 * r + 1] = p->entv[tg_graph_rel_to(g, p->erel[r])];
    }
    rc = igraph_create(&p->own, &edges, (igraph_integer_t)nv, IGRAPH_DIRECTED);
    if (rc != IGRAPH_SUCCESS) {
        st = tg_i_algo_igraph_fail(rc, "building a projection", err);
        goto done;
    }
    p->has_own = 1;
    p->ig = &p->own;
    p->n = nv;
    p->m = ne;
done:
    if (edges_ok)
        igraph_vector_int_destroy(&edges);
    free(rkeep);
    free(keep);
    return st;
}

static tg_status load_weights(tg_projection *p, const tg_proj_spec *s, tg_error *err)
{
    size_t i;
    igraph_error_t rc;

    if (!(s->default_weight >= 0) || !isfinite(s->default_weight))
        return tg_error_set(err, TG_EARG, NULL, 0, 0,
                            "defaultWeight must be a finite number >= 0, not %g",
                            s->default_weight);
    rc = igraph_vector_init(&p->weights, (igraph_integer_t)p->m);
    if (rc != IGRAPH_SUCCESS)
        return tg_i_algo_igraph_fail(rc, "reading weights", err);
    p->weighted = 1;
    for (i = 0; i < p->m; i++) {
        tg_rel r = tg_projection_relation(p, i);
        const tg_pval *v = tg_graph_prop(p->g, TG_RELATION, r, s->weight);
        double w = s->default_weight;

        if (v && v->type == TG_V_INT)
            w = (double)v->u.i;
        else if (v && v->type == TG_V_FLOAT)
            w = v->u.f;
        else if (v) {
            const char *key = tg_graph_str(p->g, s->weight, NULL);
            const char *type = tg_graph_str(p->g, tg_graph_rel_type(p->g, r), NULL);
            const char *from =
                tg_graph_str(p->g, tg_graph_entity_id(p->g, tg_graph_rel_from(p->g, r)), NULL);
            const char *to =
                tg_graph_str(p->g, tg_graph_entity_id(p->g, tg_graph_rel_to(p->g, r)), NULL);
            return tg_error_set(err, TG_EARG, NULL, 0, 0,
                                "weight property '%s' of the %s relation from '%s' to '%s' "
                                "is not a number",
                                key, type, from, to);
        }
        if (!(w >= 0) || !isfinite(w)) {
            const char *key = tg_graph_str(p->g, s->weight, NULL);
            const char *from =
                tg_graph_str(p->g, tg_graph_entity_id(p->g, tg_graph_rel_from(p->g, r)), NULL);
            const char *to =
                tg_graph_str(p->g, tg_graph_entity_id(p->g, tg_graph_rel_to(p->g, r)), NULL);
            return tg_error_set(err, TG_EARG, NULL, 0, 0,
                                "weight property '%s' of the relation from '%s' to '%s' is "
                                "%g; weights must be finite and >= 0",
                                key, from, to, w);
        }
        VECTOR(p->weights)[i] = w;
    }
    return TG_OK;
}

tg_status tg_projection_new(tg_graph *g, const tg_proj_spec *s, tg_projection **out, tg_error *err)
{
    tg_projection *p = NULL;
    tg_status st = TG_OK;

    *out = NULL;
    p = calloc(1, sizeof *p);
    if (!p) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory building a projection");
        goto done;
    }
    p->g = g;
    p->dir = s->dir;
    /* The graph's own igraph_t numbers vertices and edges by entity and
     * relation index: borrow it only when nothing is deleted (a dead entity
     * would be an isolated vertex, a dead relation would shift the edges). */
    if (s->nlabels == 0 && s->ntypes == 0 && s->nexclude == 0 &&
        tg_graph_live_entity_count(g) == tg_graph_entity_count(g) &&
        tg_graph_live_relation_count(g) == tg_graph_relation_count(g)) {
        p->ig = tg_i_graph_igraph(g, err);
        if (!p->ig) {
            st = err ? err->status : TG_ENOMEM;
            goto done;
        }
        p->n = tg_graph_entity_count(g);
        p->m = tg_graph_relation_count(g);
    } else {
        st = build_filtered(p, s, err);
        if (st != TG_OK)
            goto done;
    }
    if (s->weight) {
        st = load_weights(p, s, err);
        if (st != TG_OK)
            goto done;
    }
    *out = p;
    p = NULL;
done:
    tg_projection_free(p);
    return st;
}

void tg_projection_free(tg_projection *p)
{
    if (!p)
        return;
    if (p->weighted)
        igraph_vector_destroy(&p->weights);
    if (p->has_und)
        igraph_destroy(&p->und);
    if (p->has_rev)
        igraph_destroy(&p->rev);
    if (p->has_own)
        igraph_destroy(&p->own);
    free(p->vent);
    free(p->erel);
    free(p->entv);
    free(p);
}

size_t tg_projection_node_count(const tg_projection *p)
{
    return p->n;
}
size_t tg_projection_rel_count(const tg_projection *p)
{
    return p->m;
}
int tg_projection_is_weighted(const tg_projection *p)
{
    return p->weighted;
}
tg_dir tg_projection_dir(const tg_projection *p)
{
    return p->dir;
}
tg_graph *tg_projection_graph(const tg_projection *p)
{
    return p->g;
}

tg_ent tg_projection_entity(const tg_projection *p, size_t v)
{
    return p->vent ? p->vent[v] : (tg_ent)v;
}

tg_rel tg_projection_relation(const tg_projection *p, size_t i)
{
    return p->erel ? p->erel[i] : (tg_rel)i;
}

uint32_t tg_projection_vertex(const tg_projection *p, tg_ent e)
{
    if (e >= tg_graph_entity_count(p->g))
        return TG_NONE;
    return p->entv ? p->entv[e] : (uint32_t)e;
}

double tg_projection_weight(const tg_projection *p, size_t i)
{
    return p->weighted ? VECTOR(p->weights)[i] : 1.0;
}

const igraph_vector_t *tg_i_proj_weights(const tg_projection *p)
{
    return p->weighted ? &p->weights : NULL;
}

igraph_neimode_t tg_i_proj_mode(const tg_projection *p)
{
    switch (p->dir) {
    case TG_DIR_OUT: return IGRAPH_OUT;
    case TG_DIR_IN: return IGRAPH_IN;
    case TG_DIR_BOTH: return IGRAPH_ALL;
    }
    return IGRAPH_ALL;
}

/* Builds *dst from ig's edges, swapped when `swap`, directed or not. */
static tg_status copy_graph(const igraph_t *ig, int swap, igraph_bool_t directed, igraph_t *dst,
                            tg_error *err)
{
    igraph_vector_int_t edges;
    igraph_integer_t i, m = igraph_ecount(ig);
    igraph_error_t rc;
    tg_status st = TG_OK;

    rc = igraph_vector_int_init(&edges, 0);
    if (rc != IGRAPH_SUCCESS)
        return tg_i_algo_igraph_fail(rc, "copying a projection", err);
    rc = igraph_get_edgelist(ig, &edges, 0);
    if (rc == IGRAPH_SUCCESS && swap) {
        for (i = 0; i < m; i++) {
            igraph_integer_t t = VECTOR(edges)[2 * i];
            VECTOR(edges)[2 * i] = VECTOR(edges)[2 * i + 1];
            VECTOR(edges)[2 * i + 1] = t;
        }
    }
    if (rc == IGRAPH_SUCCESS)
        rc = igraph_create(dst, &edges, igraph_vcount(ig), directed);
    if (rc != IGRAPH_SUCCESS)
        st = tg_i_algo_igraph_fail(rc, "copying a projection", err);
    igraph_vector_int_destroy(&edges);
    return st;
}

tg_status tg_i_proj_oriented(tg_projection *p, const igraph_t **out, tg_error *err)
{
    tg_status st = TG_OK;

    *out = p->ig;
    if (p->dir != TG_DIR_IN)
        return TG_OK;
    if (!p->has_rev) {
        st = copy_graph(p->ig, 1, IGRAPH_DIRECTED, &p->rev, err);
        if (st != TG_OK)
            return st;
        p->has_rev = 1;
    }
    *out = &p->rev;
    return st;
}

tg_status tg_i_proj_undirected(tg_projection *p, const igraph_t **out, tg_error *err)
{
    tg_status st = TG_OK;

    if (!p->has_und) {
        st = copy_graph(p->ig, 0, IGRAPH_UNDIRECTED, &p->und, err);
        if (st != TG_OK)
            return st;
        p->has_und = 1;
    }
    *out = &p->und;
    return st;
}

tg_status tg_i_algo_renumber(size_t n, const igraph_vector_int_t *membership, uint32_t *id,
                             size_t *ngroups, tg_error *err)
{
    size_t v, next = 0, maxm = 0;
    uint32_t *map = NULL;
    tg_status st = TG_OK;

    /* Often (weak components) igraph already numbers groups by their
     * smallest vertex: one sequential pass copies and checks that. */
    for (v = 0; v < n; v++) {
        size_t m = (size_t)VECTOR(*membership)[v];
        if (m > next)
            break;
        if (m == next)
            next++;
        id[v] = (uint32_t)m;
    }
    if (v == n)
        goto done;
    next = 0;
    for (v = 0; v < n; v++)
        if ((size_t)VECTOR(*membership)[v] > maxm)
            maxm = (size_t)VECTOR(*membership)[v];
    map = malloc((maxm + 1) * sizeof *map);
    if (!map) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory numbering groups");
        goto done;
    }
    for (v = 0; v <= maxm; v++)
        map[v] = TG_NONE;
    for (v = 0; v < n; v++) {
        size_t m = (size_t)VECTOR(*membership)[v];
        if (map[m] == TG_NONE)
            map[m] = (uint32_t)next++;
        id[v] = map[m];
    }
done:
    if (ngroups && st == TG_OK)
        *ngroups = next;
    free(map);
    return st;
}

/* ---- adjacency ------------------------------------------------------------------ */

void tg_i_csr_destroy(tg_i_csr *c)
{
    free(c->off);
    free(c->nbr);
    free(c->eid);
}

int tg_i_csr_build(const tg_projection *p, tg_i_csr *c)
{
    size_t n = p->n, m = p->m, i;
    int out = p->dir != TG_DIR_IN, in = p->dir != TG_DIR_OUT;

    c->n = n;
    c->off = calloc(n + 1, sizeof *c->off);
    c->nbr = malloc((2 * m + 1) * sizeof *c->nbr);
    c->eid = malloc((2 * m + 1) * sizeof *c->eid);
    if (!c->off || !c->nbr || !c->eid)
        return -1;
    for (i = 0; i < m; i++) {
        size_t f = (size_t)IGRAPH_FROM(p->ig, i), t = (size_t)IGRAPH_TO(p->ig, i);
        if (f == t)
            continue;
        if (out)
            c->off[f + 1]++;
        if (in)
            c->off[t + 1]++;
    }
    for (i = 0; i < n; i++)
        c->off[i + 1] += c->off[i];
    for (i = 0; i < m; i++) {
        size_t f = (size_t)IGRAPH_FROM(p->ig, i), t = (size_t)IGRAPH_TO(p->ig, i);
        if (f == t)
            continue;
        if (out) {
            c->nbr[c->off[f]] = (uint32_t)t;
            c->eid[c->off[f]++] = (uint32_t)i;
        }
        if (in) {
            c->nbr[c->off[t]] = (uint32_t)f;
            c->eid[c->off[t]++] = (uint32_t)i;
        }
    }
    /* The fill loop advanced off[v] to the start of v + 1: shift back. */
    for (i = n; i > 0; i--)
        c->off[i] = c->off[i - 1];
    c->off[0] = 0;
    return 0;
}

/* ---- result lists and ranking ---------------------------------------------- */

void tg_idlist_destroy(tg_idlist *l)
{
    if (!l)
        return;
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void tg_path_list_destroy(tg_path_list *l)
{
    size_t i;

    if (!l)
        return;
    for (i = 0; i < l->n; i++) {
        free(l->paths[i].nodes);
        free(l->paths[i].rels);
    }
    free(l->paths);
    l->paths = NULL;
    l->n = 0;
}

void tg_ego_destroy(tg_ego *e)
{
    if (!e)
        return;
    free(e->nodes);
    free(e->hops);
    free(e->rels);
    memset(e, 0, sizeof *e);
}

/* qsort has no context argument in C11: the scores and the entity ids
 * travel in the array. */
typedef struct rank_item {
    double score;
    uint32_t v;
    const char *id; /* the entity's id, for ties */
    size_t idlen;
} rank_item;

/* Equal scores (and NaNs) go by entity id, bytewise. */
static int by_id(const rank_item *x, const rank_item *y)
{
    int c = memcmp(x->id, y->id, x->idlen < y->idlen ? x->idlen : y->idlen);

    if (c)
        return c;
    if (x->idlen != y->idlen)
        return x->idlen < y->idlen ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v);
}

static int rank_cmp(const void *a, const void *b)
{
    const rank_item *x = a, *y = b;
    int xn = isnan(x->score), yn = isnan(y->score);

    if (xn != yn)
        return xn - yn; /* NaN last */
    if (!xn && x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return by_id(x, y);
}

/* Whether two scores are equal up to rounding: ties in a ranking must not
 * depend on the last bits of a floating-point sum. */
static int near_equal(double a, double b)
{
    double scale = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return a == b || fabs(a - b) <= 1e-10 * scale;
}

static rank_item rank_item_of(const tg_projection *p, const double *score, uint32_t v)
{
    rank_item it;
    tg_ent e = p->vent ? p->vent[v] : (tg_ent)v;

    it.score = score[v];
    it.v = v;
    it.id = tg_graph_str(p->g, tg_graph_entity_id(p->g, e), &it.idlen);
    return it;
}

void tg_algo_rank(const tg_projection *p, const double *score, uint32_t *order)
{
    size_t i, j, n = p->n;
    rank_item *items = malloc((n ? n : 1) * sizeof *items);

    if (!items) {
        /* Without scratch memory fall back to an insertion sort in place. */
        for (i = 0; i < n; i++)
            order[i] = (uint32_t)i;
        for (i = 1; i < n; i++) {
            j = i;
            while (j > 0) {
                rank_item a = rank_item_of(p, score, order[j - 1]);
                rank_item b = rank_item_of(p, score, order[j]);
                uint32_t t;
                if (rank_cmp(&a, &b) <= 0)
                    break;
                t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
                j--;
            }
        }
        return;
    }
    for (i = 0; i < n; i++)
        items[i] = rank_item_of(p, score, (uint32_t)i);
    qsort(items, n, sizeof *items, rank_cmp);
    /* Runs of scores equal up to rounding are ties: order them by entity id. */
    for (i = 0; i < n; i = j) {
        for (j = i + 1; j < n && near_equal(items[j - 1].score, items[j].score); j++)
            ;
        if (j - i > 1) {
            size_t k;
            for (k = i; k < j; k++)
                items[k].score = items[i].score;
            qsort(items + i, j - i, sizeof *items, rank_cmp);
        }
    }
    for (i = 0; i < n; i++)
        order[i] = items[i].v;
    free(items);
}
