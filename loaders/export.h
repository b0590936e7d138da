/* export.h — what an export writes: the selection resolved against a graph.
 * Not a public API (tg_i_ prefix); shared by the writers of loaders/.
 *
 * A plan marks the entities, relations and source records to write:
 * - no selection: every live entity and relation, every source record;
 * - a selection: its entities, its relations and their endpoints, and the
 *   source records that the written items cite (a citation
 *   "aspi-2019#47" names the source "aspi-2019").
 */
#ifndef TG_LOADERS_EXPORT_H
#define TG_LOADERS_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "formats.h"

typedef struct tg_xplan {
    const tg_graph *g;
    uint64_t *ents, *rels; /* bitmaps */
    unsigned char *srcs;   /* one byte per source record */
    size_t nents, nrels, nsrcs; /* how many are marked */
} tg_xplan;

tg_status tg_i_xplan_init(tg_xplan *p, const tg_graph *g, const tg_selection *sel,
                          tg_error *err);
void tg_i_xplan_destroy(tg_xplan *p);

static inline int tg_i_xplan_has_ent(const tg_xplan *p, uint32_t e)
{
    return (int)((p->ents[e >> 6] >> (e & 63)) & 1);
}

static inline int tg_i_xplan_has_rel(const tg_xplan *p, uint32_t r)
{
    return (int)((p->rels[r >> 6] >> (r & 63)) & 1);
}

#endif
