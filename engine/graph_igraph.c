/* graph_igraph.c — igraph error handling and the cached igraph_t.
 *
 * The handler keeps the last reason in a static buffer: igraph itself has
 * global state (its RNG, its handlers), and tiegraph runs one graph per
 * thread, so one record per process matches what igraph allows.
 */
#include "graph_igraph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"

static char last_reason[256];
static int installed;

static void record_error(const char *reason, const char *file, int line, igraph_error_t code)
{
    (void)file;
    (void)line;
    if (reason && reason[0])
        snprintf(last_reason, sizeof last_reason, "%s (%s)", reason, igraph_strerror(code));
    else
        snprintf(last_reason, sizeof last_reason, "%s", igraph_strerror(code));
    /* Free what the failing igraph call had registered for cleanup. */
    IGRAPH_FINALLY_FREE();
}

static void ignore_warning(const char *reason, const char *file, int line)
{
    (void)reason;
    (void)file;
    (void)line;
}

void tg_i_igraph_init(void)
{
    if (installed)
        return;
    igraph_set_error_handler(record_error);
    igraph_set_warning_handler(ignore_warning);
    installed = 1;
}

tg_status tg_i_igraph_status(igraph_error_t code, const char *what, tg_error *err)
{
    tg_status st;

    if (code == IGRAPH_SUCCESS)
        return TG_OK;
    switch (code) {
    case IGRAPH_ENOMEM: st = TG_ENOMEM; break;
    case IGRAPH_EINVAL:
    case IGRAPH_EINVVID:
    case IGRAPH_EINVMODE: st = TG_EARG; break;
    case IGRAPH_DIVERGED: st = TG_ERUNTIME; break;
    default: st = TG_EINTERNAL; break;
    }
    st = tg_error_set(err, st, NULL, 0, 0, "%s failed: %s", what,
                      last_reason[0] ? last_reason : igraph_strerror(code));
    last_reason[0] = '\0'; /* a later failure must not report this one's reason */
    return st;
}

void tg_i_graph_drop_igraph(tg_graph *g)
{
    if (!g->lazy.igraph)
        return;
    igraph_destroy(g->lazy.igraph);
    free(g->lazy.igraph);
    g->lazy.igraph = NULL;
}

const igraph_t *tg_i_graph_igraph(tg_graph *g, tg_error *err)
{
    igraph_vector_int_t edges;
    igraph_t *ig = NULL;
    igraph_error_t rc;
    size_t m = g->rel_from.n, i, k;
    igraph_integer_t *e;

    if (g->lazy.igraph)
        return g->lazy.igraph;
    tg_i_igraph_init();
    if (igraph_vector_int_init(&edges, (igraph_integer_t)(2 * m)) != IGRAPH_SUCCESS) {
        tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory building the igraph graph");
        return NULL;
    }
    e = VECTOR(edges);
    /* Deleted relations are left out; the projection never borrows this
     * graph while it holds deleted entities (they would be vertices). */
    for (i = 0, k = 0; i < m; i++) {
        if (tg_i_bit(&g->rel_dead, i))
            continue;
        e[2 * k] = TG_VEC_AT(&g->rel_from, tg_ent, i);
        e[2 * k + 1] = TG_VEC_AT(&g->rel_to, tg_ent, i);
        k++;
    }
    igraph_vector_int_resize(&edges, (igraph_integer_t)(2 * k)); /* shrinks: cannot fail */
    ig = malloc(sizeof *ig);
    if (!ig) {
        tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory building the igraph graph");
        goto done;
    }
    rc = igraph_create(ig, &edges, (igraph_integer_t)g->ent_id.n, IGRAPH_DIRECTED);
    if (rc != IGRAPH_SUCCESS) {
        tg_i_igraph_status(rc, "building the igraph graph", err);
        free(ig);
        ig = NULL;
        goto done;
    }
    g->lazy.igraph = ig;
done:
    igraph_vector_int_destroy(&edges);
    return ig;
}
