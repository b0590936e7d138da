/* graph_igraph.h — the bridge between the engine and igraph (engine/ only).
 *
 * igraph's default error handler aborts the process. tg_i_igraph_init
 * installs one that records the error and returns, so that every igraph
 * call comes back with a code; tg_i_igraph_status turns that code (and the
 * recorded reason) into a tg_status and a message. Nothing outside engine/
 * includes this header: the rest of tiegraph never sees igraph.
 */
#ifndef TG_GRAPH_IGRAPH_H
#define TG_GRAPH_IGRAPH_H

#include <igraph.h>

#include "graph.h"

/* Installs the recording error and warning handlers. Idempotent; called by
 * tg_graph_new and by anything that calls igraph first. */
void tg_i_igraph_init(void);

/* Translates an igraph return code into a tg_status, filling err with the
 * reason igraph last reported and `what` (the operation). TG_OK for
 * IGRAPH_SUCCESS. */
tg_status tg_i_igraph_status(igraph_error_t code, const char *what, tg_error *err);

/* The whole graph as a directed igraph_t (vertex i = entity i, edge j =
 * relation j, parallel edges and self-loops kept), built on first use in
 * O(V + E) and cached until the next mutation. Returns borrowed (valid until
 * the next mutation of g), NULL on failure with err set. */
const igraph_t *tg_i_graph_igraph(tg_graph *g, tg_error *err);

#endif
