/* export.c — resolving an export's selection (see export.h). */
#include "export.h"

#include <stdlib.h>
#include <string.h>

static int bit(const uint64_t *b, size_t i)
{
    return (int)((b[i >> 6] >> (i & 63)) & 1);
}

static void set_bit(uint64_t *b, size_t i)
{
    b[i >> 6] |= (uint64_t)1 << (i & 63);
}

/* Marks the source records cited by item's "sources". */
static void mark_cited(tg_xplan *p, tg_side side, uint32_t item, tg_sym s_sources)
{
    const tg_pval *v = tg_graph_prop(p->g, side, item, s_sources);
    const tg_pval *items;
    uint32_t i;

    if (!v || v->type != TG_V_LIST || v->elem != TG_V_STRING)
        return;
    items = tg_graph_list(p->g, v);
    for (i = 0; i < v->len; i++) {
        size_t len;
        const char *s = tg_graph_str(p->g, items[i].u.s, &len);
        const char *hash = memchr(s, '#', len);
        tg_sym id = tg_graph_sym(p->g, s, hash ? (size_t)(hash - s) : len);
        uint32_t k = id ? tg_graph_find_source(p->g, id) : TG_NONE;
        if (k != TG_NONE)
            p->srcs[k] = 1;
    }
}

tg_status tg_i_xplan_init(tg_xplan *p, const tg_graph *g, const tg_selection *sel,
                          tg_error *err)
{
    size_t ne = tg_graph_entity_count(g), nr = tg_graph_relation_count(g),
           ns = tg_graph_source_count(g), i;
    tg_sym s_sources = tg_graph_sym(g, "sources", 7);

    memset(p, 0, sizeof *p);
    p->g = g;
    p->ents = calloc(ne / 64 + 1, sizeof *p->ents);
    p->rels = calloc(nr / 64 + 1, sizeof *p->rels);
    p->srcs = calloc(ns + 1, 1);
    if (!p->ents || !p->rels || !p->srcs) {
        tg_i_xplan_destroy(p);
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory planning the export");
    }
    for (i = 0; i < nr; i++) {
        if (!tg_graph_relation_is_live(g, (tg_rel)i) || (sel && (!sel->rels || !bit(sel->rels, i))))
            continue;
        set_bit(p->rels, i);
        p->nrels++;
        set_bit(p->ents, tg_graph_rel_from(g, (tg_rel)i));
        set_bit(p->ents, tg_graph_rel_to(g, (tg_rel)i));
    }
    for (i = 0; i < ne; i++) {
        if (!tg_graph_entity_is_live(g, (tg_ent)i))
            continue;
        if (!sel || (sel->ents && bit(sel->ents, i)))
            set_bit(p->ents, i);
        if (bit(p->ents, i))
            p->nents++;
    }
    if (!sel) {
        memset(p->srcs, 1, ns);
    } else if (s_sources) {
        for (i = 0; i < ne; i++)
            if (bit(p->ents, i))
                mark_cited(p, TG_ENTITY, (uint32_t)i, s_sources);
        for (i = 0; i < nr; i++)
            if (bit(p->rels, i))
                mark_cited(p, TG_RELATION, (uint32_t)i, s_sources);
    }
    for (i = 0; i < ns; i++)
        p->nsrcs += p->srcs[i];
    return TG_OK;
}

void tg_i_xplan_destroy(tg_xplan *p)
{
    free(p->ents);
    free(p->rels);
    free(p->srcs);
    memset(p, 0, sizeof *p);
}
