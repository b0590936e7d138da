/* test_delete.c — engine deletion: tombstones, the derived indexes and the
 * igraph projection leave dead items out, ids become free, tg_graph_equal
 * compares live content, tombstones survive the segments.
 *
 * The cases are a table: a graph written as a list of relations (plus lone
 * entities), a script of deletions, and what must hold afterwards. Every
 * case also checks every index against a brute-force reading of the live
 * items, with an index read before and after the deletions so that both
 * the dirty path (filter in place) and the fresh build are exercised. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algo.h"
#include "graph.h"
#include "tg_test.h"

static tg_sym S(tg_graph *g, const char *s)
{
    return tg_graph_intern(g, s, strlen(s));
}

static tg_ent ent(tg_graph *g, const char *id)
{
    tg_ent e = tg_graph_find_entity(g, id, strlen(id));

    if (e == TG_NONE) {
        TG_CHECK(tg_graph_add_entity(g, id, strlen(id), &e, NULL) == TG_OK);
        TG_CHECK(tg_graph_add_label(g, e, S(g, id[0] == 'h' ? "Hub" : "Leaf"), NULL) == TG_OK);
    }
    return e;
}

/* Builds a graph from "a-T->b c d-U->d": relations from-TYPE->to, and bare
 * ids for lone entities. Every entity gets a label (Hub for ids starting
 * with h, else Leaf) and a `name`; relation k gets `k`. */
static tg_graph *build(const char *spec)
{
    tg_graph *g = tg_graph_new();
    char buf[512], *tok, *save = NULL;
    int k = 0;

    snprintf(buf, sizeof buf, "%s", spec);
    for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char *dash = strchr(tok, '-'), *arrow = strstr(tok, "->");
        tg_pval v;
        if (!dash || !arrow) {
            ent(g, tok);
        } else {
            tg_ent a, b;
            tg_rel r;
            *dash = '\0';
            *arrow = '\0';
            a = ent(g, tok);
            b = ent(g, arrow + 2);
            TG_CHECK(tg_graph_add_relation(g, a, b, S(g, dash + 1), &r, NULL) == TG_OK);
            memset(&v, 0, sizeof v);
            v.type = TG_V_INT;
            v.u.i = k++;
            TG_CHECK(tg_graph_set_prop(g, TG_RELATION, r, S(g, "k"), &v, NULL) == TG_OK);
        }
    }
    for (k = 0; k < (int)tg_graph_entity_count(g); k++) {
        tg_pval v;
        memset(&v, 0, sizeof v);
        v.type = TG_V_STRING;
        v.u.s = tg_graph_entity_id(g, (tg_ent)k);
        TG_CHECK(tg_graph_set_prop(g, TG_ENTITY, (tg_ent)k, S(g, "name"), &v, NULL) == TG_OK);
    }
    return g;
}

/* Records the first line whose check failed. */
#define BAD(cond)                                                                        \
    do {                                                                                 \
        if ((cond) && !bad)                                                              \
            bad = __LINE__;                                                              \
    } while (0)

/* Every index and accessor agrees with a brute-force reading of live items. */
static void check_indexes(tg_graph *g, const char *what)
{
    size_t n = tg_graph_entity_count(g), m = tg_graph_relation_count(g), e, r, i, nl, nt;
    size_t live_e = 0, live_r = 0;
    const tg_sym *labels, *types;
    int bad = 0;

    for (e = 0; e < n; e++)
        live_e += (size_t)tg_graph_entity_is_live(g, (tg_ent)e);
    for (r = 0; r < m; r++)
        live_r += (size_t)tg_graph_relation_is_live(g, (tg_rel)r);
    TG_CHECK_INT(tg_graph_live_entity_count(g), live_e);
    TG_CHECK_INT(tg_graph_live_relation_count(g), live_r);
    /* labels in use, and their members */
    nl = tg_graph_all_labels(g, &labels);
    for (i = 0; i < nl; i++) {
        const tg_ent *mem;
        size_t cnt = tg_graph_label_entities(g, labels[i], &mem), want = 0, j;
        const uint64_t *bits = tg_graph_label_bitmap(g, labels[i]);
        for (e = 0; e < n; e++)
            want += tg_graph_has_label(g, (tg_ent)e, labels[i]) != 0;
        BAD(cnt == 0 || cnt != want || !bits);
        for (j = 0; j < cnt; j++)
            BAD(!tg_graph_entity_is_live(g, mem[j]) || !tg_graph_has_label(g, mem[j], labels[i]) ||
                   !(bits[mem[j] / 64] >> (mem[j] % 64) & 1));
        for (e = 0; bits && e < n; e++)
            BAD((int)(bits[e / 64] >> (e % 64) & 1) != tg_graph_has_label(g, (tg_ent)e, labels[i]));
    }
    for (e = 0; e < n; e++) {
        const tg_sym *ls;
        size_t k, cnt = tg_graph_labels(g, (tg_ent)e, &ls);
        BAD(!tg_graph_entity_is_live(g, (tg_ent)e) && cnt != 0);
        for (k = 0; k < cnt; k++) { /* every label carried is listed */
            size_t j;
            for (j = 0; j < nl && labels[j] != ls[k]; j++)
                ;
            BAD(j == nl);
        }
    }
    /* types in use, and their members */
    nt = tg_graph_all_types(g, &types);
    for (i = 0; i < nt; i++) {
        const tg_rel *mem;
        size_t cnt = tg_graph_type_relations(g, types[i], &mem), want = 0, j;
        for (r = 0; r < m; r++)
            want += tg_graph_relation_is_live(g, (tg_rel)r) && tg_graph_rel_type(g, (tg_rel)r) == types[i];
        BAD(cnt == 0 || cnt != want);
        for (j = 0; j < cnt; j++)
            BAD(!tg_graph_relation_is_live(g, mem[j]) || (j && mem[j] <= mem[j - 1]));
    }
    for (r = 0; r < m; r++) {
        size_t j;
        if (!tg_graph_relation_is_live(g, (tg_rel)r))
            continue;
        for (j = 0; j < nt && types[j] != tg_graph_rel_type(g, (tg_rel)r); j++)
            ;
        BAD(j == nt);
    }
    /* adjacency, whole and typed, both directions */
    for (e = 0; e < n; e++) {
        int dir;
        for (dir = 0; dir < 2; dir++) {
            const tg_rel *rels;
            const tg_ent *nbrs;
            size_t cnt = dir ? tg_graph_in(g, (tg_ent)e, &rels) : tg_graph_out(g, (tg_ent)e, &rels);
            size_t want = 0, j, t, sum = 0;
            for (r = 0; r < m; r++)
                want += tg_graph_relation_is_live(g, (tg_rel)r) &&
                        (dir ? tg_graph_rel_to(g, (tg_rel)r) : tg_graph_rel_from(g, (tg_rel)r)) == e;
            BAD(cnt != want);
            for (j = 0; j < cnt; j++)
                BAD(!tg_graph_relation_is_live(g, rels[j]));
            for (t = 0; t < nt; t++) {
                size_t c2 = tg_graph_adjacent(g, (tg_ent)e, !dir, types[t], &rels, &nbrs);
                for (j = 0; j < c2; j++)
                    BAD(tg_graph_rel_type(g, rels[j]) != types[t] ||
                           nbrs[j] != (dir ? tg_graph_rel_from(g, rels[j]) : tg_graph_rel_to(g, rels[j])));
                sum += c2;
            }
            BAD(sum != want);
        }
    }
    /* ids: live ones are found, dead ones are not */
    for (e = 0; e < n; e++) {
        size_t len;
        const char *id = tg_graph_str(g, tg_graph_entity_id(g, (tg_ent)e), &len);
        tg_ent found = tg_graph_find_entity(g, id, len);
        if (tg_graph_entity_is_live(g, (tg_ent)e))
            BAD(found != e);
        else
            BAD(found == e);
    }
    /* properties of the dead read as absent; find_by_prop skips them */
    for (e = 0; e < n; e++) {
        const tg_pval *v = tg_graph_prop(g, TG_ENTITY, (tg_ent)e, S(g, "name"));
        const tg_ent *hits;
        size_t cnt, j, alive = 0;
        BAD(!tg_graph_entity_is_live(g, (tg_ent)e) && v != NULL);
        if (!v)
            continue;
        cnt = tg_graph_find_by_prop(g, S(g, "name"), v, &hits);
        for (j = 0; j < cnt; j++)
            alive += tg_graph_entity_is_live(g, hits[j]);
        BAD(cnt != 1 || alive != 1 || hits[0] != e);
    }
    for (r = 0; r < m; r++)
        BAD(!tg_graph_relation_is_live(g, (tg_rel)r) &&
               tg_graph_prop(g, TG_RELATION, (tg_rel)r, S(g, "k")) != NULL);
    if (bad)
        fprintf(stderr, "  (indexes disagree with the live items at line %d: %s)\n", bad, what);
    TG_CHECK(!bad);
}

/* A copy of the live content only, built from scratch in index order. */
static tg_graph *live_copy(tg_graph *g)
{
    tg_graph *c = tg_graph_new();
    size_t e, r;

    for (e = 0; e < tg_graph_entity_count(g); e++) {
        size_t len, nl, i;
        const char *id;
        const tg_sym *ls;
        tg_ent x;
        tg_pval v;
        if (!tg_graph_entity_is_live(g, (tg_ent)e))
            continue;
        id = tg_graph_str(g, tg_graph_entity_id(g, (tg_ent)e), &len);
        TG_CHECK(tg_graph_add_entity(c, id, len, &x, NULL) == TG_OK);
        nl = tg_graph_labels(g, (tg_ent)e, &ls);
        for (i = 0; i < nl; i++)
            tg_graph_add_label(c, x, S(c, tg_graph_str(g, ls[i], NULL)), NULL);
        v = *tg_graph_prop(g, TG_ENTITY, (tg_ent)e, S(g, "name"));
        v.u.s = S(c, tg_graph_str(g, v.u.s, NULL));
        tg_graph_set_prop(c, TG_ENTITY, x, S(c, "name"), &v, NULL);
    }
    for (r = 0; r < tg_graph_relation_count(g); r++) {
        const char *a, *b;
        tg_rel x;
        if (!tg_graph_relation_is_live(g, (tg_rel)r))
            continue;
        a = tg_graph_str(g, tg_graph_entity_id(g, tg_graph_rel_from(g, (tg_rel)r)), NULL);
        b = tg_graph_str(g, tg_graph_entity_id(g, tg_graph_rel_to(g, (tg_rel)r)), NULL);
        TG_CHECK(tg_graph_add_relation(c, tg_graph_find_entity(c, a, strlen(a)),
                                       tg_graph_find_entity(c, b, strlen(b)),
                                       S(c, tg_graph_str(g, tg_graph_rel_type(g, (tg_rel)r), NULL)),
                                       &x, NULL) == TG_OK);
        if (tg_graph_prop(g, TG_RELATION, (tg_rel)r, S(g, "k")))
            tg_graph_set_prop(c, TG_RELATION, x, S(c, "k"),
                              tg_graph_prop(g, TG_RELATION, (tg_rel)r, S(g, "k")), NULL);
    }
    return c;
}

/* ---- segments in memory (as test_graph.c) -------------------------------- */

/* ---- the table ----------------------------------------------------------- */

typedef struct del_case {
    const char *name;
    const char *graph; /* see build() */
    /* deletions, space-separated: "E:id" (no detach), "D:id" (detach),
     * "R:k" (relation index k), "L:id:Label" (remove a label) */
    const char *ops;
    int fails;           /* the last op must fail with TG_EINVAL */
    const char *message; /* fragment of that failure's message */
    size_t live_ent, live_rel;
    size_t comps; /* weakly connected components of the live graph */
    const char *types; /* the relation types in use, by name, space-separated */
} del_case;

static const del_case cases[] = {
    {"null graph: nothing to delete", "", "", 0, NULL, 0, 0, 0, ""},
    {"null graph: no entity 0", "", "E:0", 1, "no such entity", 0, 0, 0, ""},
    {"one entity", "a", "E:a", 0, NULL, 0, 0, 0, ""},
    {"one entity, twice", "a", "E:0 E:0", 0, NULL, 0, 0, 0, ""},
    {"one entity, label removed", "a", "L:a:Leaf", 0, NULL, 1, 0, 1, ""},
    {"relation, both ends stay", "a-OWNS->b", "R:0", 0, NULL, 2, 0, 2, ""},
    {"relation, twice", "a-OWNS->b", "R:0 R:0", 0, NULL, 2, 0, 2, ""},
    {"no relation index 5", "a-OWNS->b", "R:5", 1, "no such relation", 2, 1, 1, "OWNS"},
    {"entity with a relation refuses", "a-OWNS->b", "E:a", 1, "\"a\"", 2, 1, 1, "OWNS"},
    {"entity with a relation, detach", "a-OWNS->b", "D:a", 0, NULL, 1, 0, 1, ""},
    {"target side, detach", "a-OWNS->b", "D:b", 0, NULL, 1, 0, 1, ""},
    {"parallel: one of two", "a-OWNS->b a-OWNS->b", "R:1", 0, NULL, 2, 1, 1, "OWNS"},
    {"parallel: both, type vanishes", "a-OWNS->b a-OWNS->b a-FINANCES->b", "R:0 R:1", 0, NULL,
     2, 1, 1, "FINANCES"},
    {"parallel: detach", "a-OWNS->b a-OWNS->b c-OWNS->b", "D:a", 0, NULL, 2, 1, 1, "OWNS"},
    {"self-loop refuses", "a-SELF->a", "E:a", 1, "1 relation", 1, 1, 1, "SELF"},
    {"self-loop, detach", "a-SELF->a", "D:a", 0, NULL, 0, 0, 0, ""},
    {"self-loop alone", "a-SELF->a a-OWNS->b", "R:0", 0, NULL, 2, 1, 1, "OWNS"},
    {"hub, detach", "h-OWNS->a h-OWNS->b c-FINANCES->h h-SELF->h a-OWNS->b", "D:h", 0, NULL,
     3, 1, 2, "OWNS"},
    {"label vanishes with its last entity", "h-OWNS->a a-OWNS->b", "D:h", 0, NULL, 2, 1, 1,
     "OWNS"},
    {"chain broken in two", "a-T->b b-T->c c-T->d d-T->e", "D:c", 0, NULL, 4, 2, 2, "T"},
    {"relations then entity", "a-T->b b-U->c", "R:0 R:1 E:b", 0, NULL, 2, 0, 2, ""},
    {"every entity", "a-T->b b-U->c c-V->a", "D:a D:b D:c", 0, NULL, 0, 0, 0, ""},
};

static tg_status run_op(tg_graph *g, const char *op, tg_error *err)
{
    char id[64], label[64];

    if (op[0] == 'R')
        return tg_graph_delete_relation(g, (tg_rel)atoi(op + 2), err);
    if (op[0] == 'L') {
        const char *colon = strchr(op + 2, ':');
        snprintf(id, sizeof id, "%.*s", (int)(colon - op - 2), op + 2);
        snprintf(label, sizeof label, "%s", colon + 1);
        return tg_graph_remove_label(g, tg_graph_find_entity(g, id, strlen(id)), S(g, label), err);
    }
    snprintf(id, sizeof id, "%s", op + 2);
    if (id[0] >= '0' && id[0] <= '9') /* an index, not an id */
        return tg_graph_delete_entity(g, (tg_ent)atoi(id), op[0] == 'D', err);
    return tg_graph_delete_entity(g, tg_graph_find_entity(g, id, strlen(id)), op[0] == 'D', err);
}

static void t_cases(void)
{
    size_t c;

    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const del_case *k = &cases[c];
        int pass;
        for (pass = 0; pass < 2; pass++) { /* 0: indexes built before (dirty path); 1: not */
            tg_graph *g = build(k->graph), *copy, *back = NULL;
            char ops[256], *tok, *save = NULL, types[256] = "";
            tg_status st = TG_OK;
            tg_error err;
            size_t nc = 0, big = 0, nt, i;
            const tg_sym *ts;
            uint64_t gen;
            tg_test_segs s = {.n = 0};
            int failures = tg_test_failures;

            tg_error_clear(&err);
            if (pass == 0)
                TG_CHECK(tg_graph_build_indexes(g, NULL) == TG_OK);
            snprintf(ops, sizeof ops, "%s", k->ops);
            for (tok = strtok_r(ops, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
                gen = tg_graph_generation(g);
                st = run_op(g, tok, &err);
                if (st != TG_OK)
                    TG_CHECK(tg_graph_generation(g) == gen); /* a refusal changes nothing */
            }
            if (k->fails) {
                TG_CHECK_INT(st, TG_EINVAL);
                TG_CHECK(strstr(err.message, k->message) != NULL);
            } else {
                TG_CHECK_INT(st, TG_OK);
            }
            TG_CHECK_INT(tg_graph_live_entity_count(g), k->live_ent);
            TG_CHECK_INT(tg_graph_live_relation_count(g), k->live_rel);
            TG_CHECK(tg_graph_wcc_summary(g, &nc, &big, NULL) == TG_OK);
            TG_CHECK_INT(nc, k->comps);
            nt = tg_graph_all_types(g, &ts);
            for (i = 0; i < nt; i++)
                snprintf(types + strlen(types), sizeof types - strlen(types), "%s%s", i ? " " : "",
                         tg_graph_str(g, ts[i], NULL));
            TG_CHECK_STR(types, k->types);
            check_indexes(g, k->name);
            /* equal to a graph built with the live content only, and through
             * the segments (tombstones and all) */
            copy = live_copy(g);
            TG_CHECK(tg_graph_equal(g, copy));
            TG_CHECK(tg_graph_equal(copy, g));
            TG_CHECK(tg_graph_save_segments(g, tg_test_seg_sink, &s, NULL) == TG_OK);
            TG_CHECK(tg_graph_load_segments(tg_test_seg_fetch, &s, &back, &err) == TG_OK);
            TG_CHECK(back && tg_graph_equal(back, g));
            TG_CHECK(back && tg_graph_entity_count(back) == tg_graph_entity_count(g));
            if (back)
                check_indexes(back, k->name);
            tg_test_segs_free(&s);
            tg_graph_free(back);
            tg_graph_free(copy);
            tg_graph_free(g);
            if (tg_test_failures != failures)
                fprintf(stderr, "  (after case \"%s\", pass %d)\n", k->name, pass);
        }
    }
}

static void t_id_is_free_after_delete(void)
{
    tg_graph *g = build("a-T->b");
    tg_ent a = tg_graph_find_entity(g, "a", 1), again = TG_NONE;
    tg_error err;
    tg_pval v;

    TG_CHECK(tg_graph_delete_entity(g, a, 1, &err) == TG_OK);
    TG_CHECK(tg_graph_find_entity(g, "a", 1) == TG_NONE);
    /* a dead entity takes nothing new */
    memset(&v, 0, sizeof v);
    v.type = TG_V_INT;
    TG_CHECK(tg_graph_set_prop(g, TG_ENTITY, a, S(g, "x"), &v, &err) == TG_EINVAL);
    TG_CHECK(strstr(err.message, "deleted") != NULL);
    TG_CHECK(tg_graph_add_label(g, a, S(g, "X"), &err) == TG_EINVAL);
    TG_CHECK(tg_graph_remove_label(g, a, S(g, "Leaf"), &err) == TG_EINVAL);
    TG_CHECK(tg_graph_add_relation(g, a, tg_graph_find_entity(g, "b", 1), S(g, "T"), NULL, &err) ==
             TG_EINVAL);
    TG_CHECK(tg_graph_set_prop(g, TG_RELATION, 0, S(g, "x"), &v, &err) == TG_EINVAL);
    /* the same id again is a new entity at a new index */
    TG_CHECK(tg_graph_add_entity(g, "a", 1, &again, &err) == TG_OK);
    TG_CHECK(again != a);
    TG_CHECK_INT(again, 2);
    TG_CHECK_INT(tg_graph_find_entity(g, "a", 1), again);
    TG_CHECK(tg_graph_prop(g, TG_ENTITY, again, S(g, "name")) == NULL);
    TG_CHECK_INT(tg_graph_labels(g, again, &(const tg_sym *){NULL}), 0);
    TG_CHECK_INT(tg_graph_entity_count(g), 3);
    TG_CHECK_INT(tg_graph_live_entity_count(g), 2);
    check_indexes(g, "id reused");
    tg_graph_free(g);
}

/* Interleaved reads and deletions over a bigger graph: the dirty indexes
 * are filtered correctly whatever the order. */
static void t_interleaved(void)
{
    tg_graph *g = tg_graph_new();
    unsigned x = 12345;
    int i;
    char id[32];

    for (i = 0; i < 300; i++) {
        tg_ent e;
        snprintf(id, sizeof id, "%c%d", i % 10 == 0 ? 'h' : 'n', i);
        e = ent(g, id);
        (void)e;
    }
    for (i = 0; i < 1500; i++) {
        static const char *types[] = {"OWNS", "FINANCES", "CONTRACTS", "RARE"};
        x = x * 1103515245u + 12345u;
        tg_graph_add_relation(g, (x >> 8) % 300, (x >> 18) % 30 * 10, /* hubs are targets */
                              S(g, types[i == 7 ? 3 : (x >> 4) % 3]), NULL, NULL);
    }
    for (i = 0; i < 300; i++) {
        tg_pval v;
        memset(&v, 0, sizeof v);
        v.type = TG_V_STRING;
        v.u.s = tg_graph_entity_id(g, (tg_ent)i);
        tg_graph_set_prop(g, TG_ENTITY, (tg_ent)i, S(g, "name"), &v, NULL);
    }
    for (i = 0; i < 200; i++) {
        x = x * 1103515245u + 12345u;
        if (i % 3 == 0)
            tg_graph_delete_entity(g, (x >> 8) % 300, 1, NULL);
        else
            tg_graph_delete_relation(g, (x >> 8) % 1500, NULL);
        if (i % 17 == 0)
            check_indexes(g, "interleaved");
        if (i == 5) /* the one RARE relation */
            tg_graph_delete_relation(g, 7, NULL);
    }
    check_indexes(g, "interleaved, end");
    {
        tg_graph *copy = live_copy(g);
        TG_CHECK(tg_graph_equal(g, copy));
        tg_graph_free(copy);
    }
    tg_graph_free(g);
}

/* Algorithms see the live graph only: a projection after deletions equals
 * the projection of the live copy. */
static void t_projection(void)
{
    tg_graph *g = build("a-T->b b-T->c c-T->a x-T->a h-U->x"), *copy;
    tg_projection *p = NULL, *q = NULL;
    tg_proj_spec spec;
    tg_pagerank_opts pr;
    double sp[8], sq[8];
    uint32_t comp[8];
    size_t nc = 0, v;

    TG_CHECK(tg_graph_delete_entity(g, tg_graph_find_entity(g, "x", 1), 1, NULL) == TG_OK);
    copy = live_copy(g);
    tg_proj_spec_init(&spec);
    TG_CHECK(tg_projection_new(g, &spec, &p, NULL) == TG_OK);
    TG_CHECK(tg_projection_new(copy, &spec, &q, NULL) == TG_OK);
    TG_CHECK_INT(tg_projection_node_count(p), 4);
    TG_CHECK_INT(tg_projection_rel_count(p), 3);
    TG_CHECK_INT(tg_projection_node_count(q), 4);
    TG_CHECK(tg_projection_vertex(p, tg_graph_find_entity(g, "h", 1)) != TG_NONE);
    TG_CHECK(tg_projection_vertex(p, 3) == TG_NONE); /* x, entity 3, is gone */
    for (v = 0; v < tg_projection_rel_count(p); v++)
        TG_CHECK(tg_graph_relation_is_live(g, tg_projection_relation(p, v)));
    tg_pagerank_opts_init(&pr);
    TG_CHECK(tg_algo_pagerank(p, &pr, sp, NULL) == TG_OK);
    TG_CHECK(tg_algo_pagerank(q, &pr, sq, NULL) == TG_OK);
    for (v = 0; v < 4; v++)
        TG_CHECK(sp[v] > sq[v] - 1e-12 && sp[v] < sq[v] + 1e-12);
    TG_CHECK(tg_algo_wcc(p, comp, &nc, NULL) == TG_OK);
    TG_CHECK_INT(nc, 2);
    tg_projection_free(p);
    tg_projection_free(q);
    /* a deleted relation only */
    tg_graph_free(copy);
    tg_graph_delete_relation(g, 0, NULL);
    tg_proj_spec_init(&spec);
    TG_CHECK(tg_projection_new(g, &spec, &p, NULL) == TG_OK);
    TG_CHECK_INT(tg_projection_rel_count(p), 2);
    for (v = 0; v < tg_projection_rel_count(p); v++)
        TG_CHECK(tg_projection_relation(p, v) != 0);
    tg_projection_free(p);
    tg_graph_free(g);
}

/* Damaged tombstones are refused cleanly. */
static void t_corrupt_tombstones(void)
{
    tg_graph *g = build("a-T->b c"), *back = NULL;
    tg_test_segs s = {.n = 0};
    tg_test_seg *dead;
    tg_error err;

    TG_CHECK(tg_graph_delete_entity(g, tg_graph_find_entity(g, "c", 1), 0, NULL) == TG_OK);
    TG_CHECK(tg_graph_save_segments(g, tg_test_seg_sink, &s, NULL) == TG_OK);
    dead = tg_test_seg_find(&s, "ent.dead");
    TG_CHECK(dead != NULL && dead->size == 8);
    ((uint64_t *)dead->data)[0] = 1; /* a, with a live relation */
    TG_CHECK(tg_graph_load_segments(tg_test_seg_fetch, &s, &back, &err) == TG_EDATA);
    TG_CHECK(strstr(err.message, "deleted entity") != NULL);
    ((uint64_t *)dead->data)[0] = (uint64_t)1 << 40; /* past the end */
    TG_CHECK(tg_graph_load_segments(tg_test_seg_fetch, &s, &back, &err) == TG_EDATA);
    TG_CHECK(back == NULL);
    tg_test_segs_free(&s);
    tg_graph_free(g);
}

int main(void)
{
    TG_RUN(t_cases);
    TG_RUN(t_id_is_free_after_delete);
    TG_RUN(t_interleaved);
    TG_RUN(t_projection);
    TG_RUN(t_corrupt_tombstones);
    return tg_test_finish();
}
