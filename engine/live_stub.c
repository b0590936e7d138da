/* live_stub.c — until deletion lands (issue 10's branch), nothing is ever
 * deleted, so every index below the count is live. Removed at that merge. */
#include "graph.h"

int tg_graph_entity_is_live(const tg_graph *g, tg_ent e)
{
    return e < tg_graph_entity_count(g);
}

int tg_graph_relation_is_live(const tg_graph *g, tg_rel r)
{
    return r < tg_graph_relation_count(g);
}
