/* test_graph.c — the engine: the null graph, one entity, parallel relations,
 * self-loops, labels and properties of every type, hostile strings, the
 * lazy indexes, components, and the segment round trip with corruption. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "tg_test.h"
#include "tgvec.h"

static tg_sym S(tg_graph *g, const char *s)
{
    return tg_graph_intern(g, s, strlen(s));
}

static tg_ent E(tg_graph *g, const char *id)
{
    tg_ent e = TG_NONE;
    TG_CHECK(tg_graph_add_entity(g, id, strlen(id), &e, NULL) == TG_OK);
    return e;
}

static tg_rel R(tg_graph *g, tg_ent a, const char *type, tg_ent b)
{
    tg_rel r = TG_NONE;
    TG_CHECK(tg_graph_add_relation(g, a, b, S(g, type), &r, NULL) == TG_OK);
    return r;
}

static tg_pval vint(int64_t i)
{
    tg_pval v;
    memset(&v, 0, sizeof v);
    v.type = TG_V_INT;
    v.u.i = i;
    return v;
}

static tg_pval vfloat(double f)
{
    tg_pval v;
    memset(&v, 0, sizeof v);
    v.type = TG_V_FLOAT;
    v.u.f = f;
    return v;
}

static tg_pval vstr(tg_graph *g, const char *s)
{
    tg_pval v;
    memset(&v, 0, sizeof v);
    v.type = TG_V_STRING;
    v.u.s = S(g, s);
    return v;
}

static tg_pval vbool(int b)
{
    tg_pval v;
    memset(&v, 0, sizeof v);
    v.type = TG_V_BOOL;
    v.u.b = b;
    return v;
}

/* ---- segment round trip through memory ---------------------------------- */

static tg_graph *roundtrip(const tg_graph *g)
{
    tg_test_segs s = {.n = 0};
    tg_graph *back = NULL;
    tg_error err;

    TG_CHECK(tg_graph_save_segments(g, tg_test_seg_sink, &s, &err) == TG_OK);
    TG_CHECK(tg_graph_load_segments(tg_test_seg_fetch, &s, &back, &err) == TG_OK);
    tg_test_segs_free(&s);
    return back;
}

/* ---- cases ---------------------------------------------------------------- */

static void t_null_graph(void)
{
    tg_graph *g = tg_graph_new(), *b;
    const tg_sym *syms;
    size_t nc = 99, big = 99;

    TG_CHECK(g != NULL);
    TG_CHECK_INT(tg_graph_entity_count(g), 0);
    TG_CHECK_INT(tg_graph_relation_count(g), 0);
    TG_CHECK_INT(tg_graph_all_labels(g, &syms), 0);
    TG_CHECK_INT(tg_graph_all_types(g, &syms), 0);
    TG_CHECK(tg_graph_find_entity(g, "x", 1) == TG_NONE);
    TG_CHECK(tg_graph_wcc_summary(g, &nc, &big, NULL) == TG_OK);
    TG_CHECK_INT(nc, 0);
    TG_CHECK_INT(big, 0);
    b = roundtrip(g);
    TG_CHECK(b && tg_graph_equal(g, b));
    tg_graph_free(b);
    tg_graph_free(g);
    tg_graph_free(NULL);
}

static void t_one_entity(void)
{
    tg_graph *g = tg_graph_new();
    tg_ent e = E(g, "cetc");
    const tg_rel *rels;
    size_t nc, big;
    tg_error err;

    TG_CHECK_INT(e, 0);
    TG_CHECK_INT(tg_graph_find_entity(g, "cetc", 4), 0);
    TG_CHECK_STR(tg_graph_str(g, tg_graph_entity_id(g, e), NULL), "cetc");
    TG_CHECK(tg_graph_add_entity(g, "cetc", 4, NULL, &err) == TG_EINVAL);
    TG_CHECK(tg_graph_add_entity(g, "", 0, NULL, &err) == TG_EINVAL);
    TG_CHECK_INT(tg_graph_out(g, e, &rels), 0);
    TG_CHECK_INT(tg_graph_in(g, e, &rels), 0);
    TG_CHECK(tg_graph_wcc_summary(g, &nc, &big, NULL) == TG_OK);
    TG_CHECK_INT(nc, 1);
    TG_CHECK_INT(big, 1);
    tg_graph_free(g);
}

static void t_parallel_and_self_loops(void)
{
    tg_graph *g = tg_graph_new();
    tg_ent exim = E(g, "exim"), gov = E(g, "gov-ec"), solo = E(g, "solo");
    tg_rel r1 = R(g, exim, "FINANCES", gov), r2 = R(g, exim, "FINANCES", gov);
    tg_rel loop = R(g, gov, "OWNS", gov);
    tg_pval y1 = vint(2011), y2 = vint(2014);
    const tg_rel *rels;
    size_t nc, big;

    TG_CHECK(r1 != r2);
    tg_graph_set_prop(g, TG_RELATION, r1, S(g, "year"), &y1, NULL);
    tg_graph_set_prop(g, TG_RELATION, r2, S(g, "year"), &y2, NULL);
    TG_CHECK_INT(tg_graph_relation_count(g), 3);
    TG_CHECK_INT(tg_graph_out(g, exim, &rels), 2);
    TG_CHECK_INT(rels[0], r1);
    TG_CHECK_INT(rels[1], r2);
    TG_CHECK_INT(tg_graph_in(g, gov, &rels), 3);
    TG_CHECK_INT(tg_graph_out(g, gov, &rels), 1);
    TG_CHECK_INT(rels[0], loop);
    TG_CHECK_INT(tg_graph_rel_from(g, loop), gov);
    TG_CHECK_INT(tg_graph_rel_to(g, loop), gov);
    TG_CHECK_INT(tg_graph_prop(g, TG_RELATION, r2, S(g, "year"))->u.i, 2014);
    TG_CHECK_INT(tg_graph_type_relations(g, S(g, "FINANCES"), &rels), 2);
    TG_CHECK_INT(tg_graph_out_typed(g, exim, S(g, "FINANCES"), &rels), 2);
    TG_CHECK_INT(rels[1], r2);
    TG_CHECK_INT(tg_graph_out_typed(g, exim, S(g, "OWNS"), &rels), 0);
    TG_CHECK_INT(tg_graph_in_typed(g, gov, S(g, "OWNS"), &rels), 1);
    TG_CHECK_INT(rels[0], loop);
    TG_CHECK_INT(tg_graph_in_typed(g, gov, S(g, "NO_SUCH_TYPE"), &rels), 0);
    TG_CHECK_INT(tg_graph_out_typed(g, solo, S(g, "OWNS"), &rels), 0);
    TG_CHECK(tg_graph_wcc_summary(g, &nc, &big, NULL) == TG_OK);
    TG_CHECK_INT(nc, 2);
    TG_CHECK_INT(big, 2);
    (void)solo;
    /* an unknown endpoint or an empty type is refused */
    TG_CHECK(tg_graph_add_relation(g, exim, 99, S(g, "OWNS"), NULL, NULL) == TG_EINVAL);
    TG_CHECK(tg_graph_add_relation(g, exim, gov, 0, NULL, NULL) == TG_EINVAL);
    tg_graph_free(g);
}

/* An entity's relations come grouped by type name, by index within a type. */
static void t_adjacency_grouped_by_type(void)
{
    tg_graph *g = tg_graph_new();
    tg_ent a = E(g, "a"), b = E(g, "b");
    tg_rel s1 = R(g, a, "SUPPLIES", b), f1 = R(g, a, "FINANCES", b);
    tg_rel s2 = R(g, a, "SUPPLIES", a), o1 = R(g, a, "OWNS", b), f2 = R(g, a, "FINANCES", b);
    const tg_rel *rels;
    const tg_rel want[] = {f1, f2, o1, s1, s2};
    size_t i, n = tg_graph_out(g, a, &rels);

    TG_CHECK_INT(n, 5);
    for (i = 0; i < n && i < 5; i++)
        TG_CHECK_INT(rels[i], want[i]);
    TG_CHECK_INT(tg_graph_out_typed(g, a, S(g, "SUPPLIES"), &rels), 2);
    TG_CHECK_INT(rels[0], s1);
    TG_CHECK_INT(rels[1], s2);
    TG_CHECK_INT(tg_graph_out_typed(g, a, S(g, "FINANCES"), &rels), 2);
    TG_CHECK_INT(tg_graph_in_typed(g, b, S(g, "OWNS"), &rels), 1);
    TG_CHECK_INT(tg_graph_in_typed(g, a, S(g, "SUPPLIES"), &rels), 1);
    TG_CHECK_INT(rels[0], s2);
    /* the other end of each relation comes alongside */
    {
        const tg_ent *nb;
        TG_CHECK_INT(tg_graph_adjacent(g, a, 1, S(g, "SUPPLIES"), &rels, &nb), 2);
        TG_CHECK_INT(nb[0], b);
        TG_CHECK_INT(nb[1], a);
        TG_CHECK_INT(tg_graph_adjacent(g, b, 0, 0, &rels, &nb), 4);
        TG_CHECK_INT(nb[0], a);
        TG_CHECK_INT(tg_graph_adjacent(g, b, 1, 0, &rels, &nb), 0);
        TG_CHECK_INT(tg_graph_adjacent(g, a, 1, S(g, "NOPE"), &rels, &nb), 0);
    }
    /* a new relation rebuilds the lists */
    R(g, a, "AAA", b);
    TG_CHECK_INT(tg_graph_out(g, a, &rels), 6);
    TG_CHECK_STR(tg_graph_str(g, tg_graph_rel_type(g, rels[0]), NULL), "AAA");
    tg_graph_free(g);
}

static void t_labels(void)
{
    tg_graph *g = tg_graph_new();
    tg_ent a = E(g, "hikvision"), b = E(g, "cetc"), c = E(g, "other");
    tg_sym company = S(g, "Company"), sub = S(g, "Subsidiary"), uni = S(g, "University");
    const tg_sym *ls;
    const tg_ent *ents;
    uint64_t gen;

    tg_graph_add_label(g, a, sub, NULL);
    tg_graph_add_label(g, a, company, NULL);
    tg_graph_add_label(g, b, company, NULL);
    gen = tg_graph_generation(g);
    tg_graph_add_label(g, b, company, NULL); /* no-op */
    TG_CHECK(tg_graph_generation(g) == gen);
    tg_graph_add_label(g, c, uni, NULL);
    TG_CHECK_INT(tg_graph_labels(g, a, &ls), 2);
    TG_CHECK(tg_graph_has_label(g, a, company) && tg_graph_has_label(g, a, sub));
    TG_CHECK(!tg_graph_has_label(g, b, sub));
    TG_CHECK_INT(tg_graph_label_entities(g, company, &ents), 2);
    TG_CHECK_INT(ents[0], a);
    TG_CHECK_INT(ents[1], b);
    TG_CHECK_INT(tg_graph_all_labels(g, &ls), 3);
    {
        const uint64_t *bits = tg_graph_label_bitmap(g, company);
        TG_CHECK(bits != NULL && (bits[0] & 7) == 3); /* a and b, not c */
        TG_CHECK(tg_graph_label_bitmap(g, S(g, "Nobody")) == NULL);
    }
    TG_CHECK_STR(tg_graph_str(g, ls[0], NULL), "Company"); /* by name */
    TG_CHECK_STR(tg_graph_str(g, ls[2], NULL), "University");
    /* a and b share no set, b and a later entity with Company do */
    {
        tg_ent d = E(g, "d");
        tg_graph_add_label(g, d, company, NULL);
        TG_CHECK_INT(tg_graph_label_entities(g, company, &ents), 3);
        TG_CHECK_INT(ents[2], d);
    }
    tg_graph_free(g);
}

static void t_props_every_type(void)
{
    tg_graph *g = tg_graph_new(), *back;
    tg_ent e = E(g, "x");
    tg_pval items[3], list, v;
    const tg_pval *got;
    const tg_sym *keys;
    tg_error err;

    v = vint(INT64_MIN);
    tg_graph_set_prop(g, TG_ENTITY, e, S(g, "i"), &v, NULL);
    v = vfloat(-0.5);
    tg_graph_set_prop(g, TG_ENTITY, e, S(g, "f"), &v, NULL);
    v = vbool(1);
    tg_graph_set_prop(g, TG_ENTITY, e, S(g, "b"), &v, NULL);
    v = vstr(g, "Hikvision \"海康威视\" <script>alert(1)</script> 🚀\nline two");
    tg_graph_set_prop(g, TG_ENTITY, e, S(g, "name"), &v, NULL);
    items[0] = vstr(g, "CETC");
    items[1] = vstr(g, "中国电科");
    TG_CHECK(tg_graph_make_list(g, items, 2, &list, NULL) == TG_OK);
    tg_graph_set_prop(g, TG_ENTITY, e, S(g, "aliases"), &list, NULL);
    TG_CHECK(tg_graph_make_list(g, NULL, 0, &list, NULL) == TG_OK);
    tg_graph_set_prop(g, TG_ENTITY, e, S(g, "empty"), &list, NULL);
    /* a mixed list is refused */
    items[2] = vint(1);
    TG_CHECK(tg_graph_make_list(g, items + 1, 2, &list, &err) == TG_EINVAL);

    got = tg_graph_prop(g, TG_ENTITY, e, S(g, "i"));
    TG_CHECK(got && got->type == TG_V_INT && got->u.i == INT64_MIN);
    got = tg_graph_prop(g, TG_ENTITY, e, S(g, "f"));
    TG_CHECK(got && got->type == TG_V_FLOAT && got->u.f == -0.5);
    got = tg_graph_prop(g, TG_ENTITY, e, S(g, "b"));
    TG_CHECK(got && got->type == TG_V_BOOL && got->u.b);
    got = tg_graph_prop(g, TG_ENTITY, e, S(g, "aliases"));
    TG_CHECK(got && got->type == TG_V_LIST && got->len == 2 && got->elem == TG_V_STRING);
    TG_CHECK_STR(tg_graph_str(g, tg_graph_list(g, got)[1].u.s, NULL), "中国电科");
    got = tg_graph_prop(g, TG_ENTITY, e, S(g, "empty"));
    TG_CHECK(got && got->type == TG_V_LIST && got->len == 0);
    TG_CHECK(tg_graph_prop(g, TG_ENTITY, e, S(g, "missing")) == NULL);
    TG_CHECK_INT(tg_graph_prop_keys(g, TG_ENTITY, &keys), 6);
    TG_CHECK_STR(tg_graph_str(g, keys[0], NULL), "aliases");

    back = roundtrip(g);
    TG_CHECK(back && tg_graph_equal(g, back));
    got = tg_graph_prop(back, TG_ENTITY, 0, tg_graph_sym(back, "name", 4));
    TG_CHECK_STR(tg_graph_str(back, got->u.s, NULL),
                 "Hikvision \"海康威视\" <script>alert(1)</script> 🚀\nline two");
    tg_graph_free(back);

    /* removing a property, and a string with a NUL byte inside */
    v.type = TG_V_NULL;
    tg_graph_set_prop(g, TG_ENTITY, e, S(g, "b"), &v, NULL);
    TG_CHECK(tg_graph_prop(g, TG_ENTITY, e, S(g, "b")) == NULL);
    {
        tg_sym s = tg_graph_intern(g, "a\0b", 3);
        size_t len;
        TG_CHECK(s != tg_graph_sym(g, "a", 1));
        tg_graph_str(g, s, &len);
        TG_CHECK_INT(len, 3);
    }
    tg_graph_free(g);
}

static void t_lists_are_shared(void)
{
    tg_graph *g = tg_graph_new();
    tg_pval item = vstr(g, "aspi-2019#72"), a, b;

    tg_graph_make_list(g, &item, 1, &a, NULL);
    tg_graph_make_list(g, &item, 1, &b, NULL);
    TG_CHECK_INT(a.u.list, b.u.list);
    tg_graph_free(g);
}

static void t_set_out_of_order(void)
{
    tg_graph *g = tg_graph_new();
    tg_sym k = S(g, "n");
    int i;

    for (i = 0; i < 100; i++) {
        char id[16];
        snprintf(id, sizeof id, "e%d", i);
        E(g, id);
    }
    for (i = 99; i >= 0; i -= 3) {
        tg_pval v = vint(i * 10);
        tg_graph_set_prop(g, TG_ENTITY, (uint32_t)i, k, &v, NULL);
    }
    for (i = 0; i < 100; i++) {
        const tg_pval *v = tg_graph_prop(g, TG_ENTITY, (uint32_t)i, k);
        if ((99 - i) % 3 == 0)
            TG_CHECK(v && v->u.i == i * 10);
        else
            TG_CHECK(v == NULL);
    }
    tg_graph_free(g);
}

static void t_find_by_prop(void)
{
    tg_graph *g = tg_graph_new();
    tg_sym name = S(g, "name"), year = S(g, "year");
    tg_pval v;
    const tg_ent *ents;
    int i;

    for (i = 0; i < 50; i++) {
        char id[16];
        tg_ent e;
        snprintf(id, sizeof id, "e%d", i);
        e = E(g, id);
        v = vstr(g, i % 2 ? "Huawei" : "ZTE");
        tg_graph_set_prop(g, TG_ENTITY, e, name, &v, NULL);
        v = vint(2000 + i % 5);
        tg_graph_set_prop(g, TG_ENTITY, e, year, &v, NULL);
    }
    v = vstr(g, "Huawei");
    TG_CHECK_INT(tg_graph_find_by_prop(g, name, &v, &ents), 25);
    TG_CHECK_INT(ents[0], 1);
    v = vfloat(2003.0); /* 2003 = 2003.0 in Cypher */
    TG_CHECK_INT(tg_graph_find_by_prop(g, year, &v, &ents), 10);
    v = vstr(g, "nobody");
    TG_CHECK_INT(tg_graph_find_by_prop(g, name, &v, &ents), 0);
    /* the index follows mutations */
    v = vstr(g, "nobody");
    tg_graph_set_prop(g, TG_ENTITY, 0, name, &v, NULL);
    TG_CHECK_INT(tg_graph_find_by_prop(g, name, &v, &ents), 1);
    tg_graph_free(g);
}

static void t_sources(void)
{
    tg_graph *g = tg_graph_new(), *back;
    tg_source_field f[2];
    const tg_source_field *got;
    uint32_t s;
    uint64_t gen;

    f[0].key = S(g, "title");
    f[0].value = S(g, "Mapping China's Tech Giants");
    f[1].key = S(g, "publisher");
    f[1].value = S(g, "ASPI");
    TG_CHECK(tg_graph_put_source(g, S(g, "aspi-2019"), f, 2, &s, NULL) == TG_OK);
    gen = tg_graph_generation(g);
    TG_CHECK(tg_graph_put_source(g, S(g, "aspi-2019"), f, 2, &s, NULL) == TG_OK);
    TG_CHECK(tg_graph_generation(g) == gen); /* the same fields change nothing */
    f[0].value = S(g, "Mapping China's tech giants (2019)");
    TG_CHECK(tg_graph_put_source(g, S(g, "aspi-2019"), f, 1, &s, NULL) == TG_OK);
    TG_CHECK_INT(tg_graph_source_count(g), 1);
    TG_CHECK_INT(tg_graph_source_fields(g, s, &got), 2);
    back = roundtrip(g);
    TG_CHECK(back && tg_graph_equal(g, back));
    tg_graph_free(back);
    tg_graph_free(g);
}

static void t_corrupt_segments(void)
{
    tg_graph *g = tg_graph_new(), *back = NULL;
    tg_ent a = E(g, "a"), b = E(g, "b");
    tg_test_segs s = {.n = 0};
    tg_test_seg *x;
    tg_error err;

    R(g, a, "OWNS", b);
    TG_CHECK(tg_graph_save_segments(g, tg_test_seg_sink, &s, NULL) == TG_OK);
    /* an endpoint beyond the entities */
    x = tg_test_seg_find(&s, "rel.to");
    TG_CHECK(x != NULL);
    ((uint32_t *)x->data)[0] = 7;
    TG_CHECK(tg_graph_load_segments(tg_test_seg_fetch, &s, &back, &err) == TG_EDATA);
    TG_CHECK(back == NULL);
    TG_CHECK(strstr(err.message, "damaged") != NULL);
    ((uint32_t *)x->data)[0] = b;
    /* a truncated segment */
    x = tg_test_seg_find(&s, "ent.id");
    x->size = 2;
    TG_CHECK(tg_graph_load_segments(tg_test_seg_fetch, &s, &back, &err) == TG_EDATA);
    x->size = 8;
    /* a missing segment */
    snprintf(tg_test_seg_find(&s, "str.len")->name, 64, "gone");
    TG_CHECK(tg_graph_load_segments(tg_test_seg_fetch, &s, &back, &err) == TG_EDATA);
    tg_test_segs_free(&s);
    tg_graph_free(g);
}

/* Labels given one at a time, to one entity after another: each entity's
 * intermediate label sets are replaced, not kept (10k labels once made a
 * 200 MB store), and a set another entity shares is never replaced. */
static void t_labels_one_at_a_time(void)
{
    tg_graph *g = tg_graph_new();
    tg_test_segs s = {.n = 0};
    tg_test_seg *x;
    tg_ent a = E(g, "a"), b = E(g, "b"), c = E(g, "c");
    int i, bad = 0;
    tg_error err;

    for (i = 0; i < 300; i++) {
        char l[16];
        const tg_sym *ls;
        size_t n, k;
        snprintf(l, sizeof l, "L%d", i);
        TG_CHECK(tg_graph_add_label(g, a, S(g, l), NULL) == TG_OK);
        if (i < 100) /* b follows a's sets while they are a's last set */
            TG_CHECK(tg_graph_add_label(g, b, S(g, l), NULL) == TG_OK);
        n = tg_graph_labels(g, a, &ls);
        for (k = 0; k < n; k++)
            bad |= tg_graph_str(g, ls[k], NULL)[0] != 'L';
        bad |= n != (size_t)i + 1;
    }
    TG_CHECK(!bad);
    TG_CHECK_INT(tg_graph_labels(g, b, &(const tg_sym *){NULL}), 100);
    TG_CHECK(tg_graph_has_label(g, b, S(g, "L99")) && !tg_graph_has_label(g, b, S(g, "L100")));
    TG_CHECK(tg_graph_remove_label(g, a, S(g, "L5"), NULL) == TG_OK);
    TG_CHECK_INT(tg_graph_labels(g, a, &(const tg_sym *){NULL}), 299);
    TG_CHECK(tg_graph_save_segments(g, tg_test_seg_sink, &s, NULL) == TG_OK);
    x = tg_test_seg_find(&s, "lset.labels");
    /* a's and b's sets only (b's were shared for a while): far below 300^2 / 2 */
    TG_CHECK(x && x->size / sizeof(tg_sym) < 4 * 300 + 2 * 100 * 100);
    tg_test_segs_free(&s);
    /* the limit */
    for (i = 0; i < TG_MAX_LABELS; i++) {
        char l[16];
        snprintf(l, sizeof l, "M%d", i);
        if (tg_graph_add_label(g, c, S(g, l), &err) != TG_OK)
            break;
    }
    TG_CHECK_INT(i, TG_MAX_LABELS);
    TG_CHECK(tg_graph_add_label(g, c, S(g, "one too many"), &err) == TG_EINVAL);
    TG_CHECK(strstr(err.message, "4096 labels") != NULL);
    tg_graph_free(g);
}

/* A store that runs out of memory while it hands a segment over: the load
 * says "out of memory" (TG_ENOMEM), not that the store is damaged. */
static int nomem_on;
static int fetch_nomem(void *ctx, const char *name, void **data, size_t *size)
{
    if (nomem_on && !strcmp(name, "ent.id"))
        return TG_SEGMENT_NOMEM;
    if (nomem_on == 2 && !strcmp(name, "rel.from"))
        return TG_SEGMENT_IO;
    return tg_test_seg_fetch(ctx, name, data, size);
}

static void t_out_of_memory_is_not_damage(void)
{
    tg_graph *g = tg_graph_new(), *back = NULL;
    tg_test_segs s = {.n = 0};
    tg_error err;

    R(g, E(g, "a"), "OWNS", E(g, "b"));
    TG_CHECK(tg_graph_save_segments(g, tg_test_seg_sink, &s, NULL) == TG_OK);
    nomem_on = 1;
    TG_CHECK(tg_graph_load_segments(fetch_nomem, &s, &back, &err) == TG_ENOMEM);
    TG_CHECK(strstr(err.message, "out of memory") != NULL);
    TG_CHECK(strstr(err.message, "damaged") == NULL);
    nomem_on = 0;
    /* a lazily read part: opening works, the failure is reported later */
    TG_CHECK(tg_graph_open_segments(fetch_nomem, &s, NULL, &back, &err) == TG_OK);
    nomem_on = 2;
    TG_CHECK(back && tg_graph_load_relations(back, &err) == TG_EIO);
    TG_CHECK(back && tg_graph_status(back, &err) == TG_EIO);
    TG_CHECK(strstr(err.message, "cannot read") != NULL);
    nomem_on = 0;
    tg_graph_free(back);
    tg_test_segs_free(&s);
    tg_graph_free(g);
}

static void t_bigger_roundtrip(void)
{
    tg_graph *g = tg_graph_new(), *back;
    int i;
    size_t nc, big;

    for (i = 0; i < 2000; i++) {
        char id[32];
        tg_ent e;
        tg_pval v;
        snprintf(id, sizeof id, "ent-%d", i);
        e = E(g, id);
        tg_graph_add_label(g, e, S(g, i % 3 ? "Company" : "Government"), NULL);
        v = vstr(g, id);
        tg_graph_set_prop(g, TG_ENTITY, e, S(g, "name"), &v, NULL);
        if (i > 0) {
            tg_rel r = R(g, (tg_ent)(i / 2), i % 2 ? "OWNS" : "FINANCES", e);
            v = vfloat(i * 1.5);
            tg_graph_set_prop(g, TG_RELATION, r, S(g, "amount"), &v, NULL);
        }
    }
    back = roundtrip(g);
    TG_CHECK(back && tg_graph_equal(g, back));
    TG_CHECK(tg_graph_wcc_summary(back, &nc, &big, NULL) == TG_OK);
    TG_CHECK_INT(nc, 1);
    TG_CHECK_INT(big, 2000);
    /* a loaded graph keeps growing normally */
    {
        tg_ent e = E(back, "late");
        TG_CHECK_INT(e, 2000);
        TG_CHECK_INT(tg_graph_find_entity(back, "ent-1999", 8), 1999);
        TG_CHECK(tg_graph_intern(back, "name", 4) == tg_graph_sym(back, "name", 4));
    }
    tg_graph_free(back);
    tg_graph_free(g);
}

/* tg_graph_incident: a pass over the relation arrays while the adjacency is
 * not built, the adjacency after 8 passes; both give the same relations, a
 * self-loop twice; deletion counts a self-loop once. */
static int has_rel(const tg_rel *rs, size_t n, tg_rel r)
{
    size_t i, k = 0;
    for (i = 0; i < n; i++)
        k += rs[i] == r;
    return (int)k;
}

static void t_incident(void)
{
    tg_graph *g = tg_graph_new();
    tg_ent a = E(g, "a"), b = E(g, "b"), c = E(g, "c");
    tg_rel ab = R(g, a, "T", b), ca = R(g, c, "T", a), aa = R(g, a, "LOOP", a), bc = R(g, b, "T", c);
    tg_rel *rs = NULL;
    size_t n = 0, round;
    tg_error err;
    const tg_rel *out;

    for (round = 0; round < 10; round++) { /* passes, then (from the 9th) the adjacency */
        TG_CHECK(tg_graph_incident(g, a, &rs, &n) == 0);
        TG_CHECK_INT(n, 4);
        TG_CHECK_INT(has_rel(rs, n, ab), 1);
        TG_CHECK_INT(has_rel(rs, n, ca), 1);
        TG_CHECK_INT(has_rel(rs, n, aa), 2);
        TG_CHECK_INT(has_rel(rs, n, bc), 0);
        free(rs);
    }
    TG_CHECK_INT(tg_graph_out(g, a, &out), 2); /* the adjacency is consistent with it */
    /* without DETACH: three relations, the self-loop once */
    tg_error_clear(&err);
    TG_CHECK(tg_graph_delete_entity(g, a, 0, &err) == TG_EINVAL);
    TG_CHECK(strstr(err.message, "it still has 3 relations") != NULL);
    TG_CHECK(tg_graph_delete_entity(g, a, 1, NULL) == TG_OK);
    TG_CHECK(!tg_graph_relation_is_live(g, ab) && !tg_graph_relation_is_live(g, ca) &&
             !tg_graph_relation_is_live(g, aa) && tg_graph_relation_is_live(g, bc));
    tg_graph_free(g);

    /* the pass, never the adjacency: a fresh graph deletes without building it */
    g = tg_graph_new();
    a = E(g, "a");
    b = E(g, "b");
    aa = R(g, a, "LOOP", a);
    ab = R(g, a, "T", b);
    tg_error_clear(&err);
    TG_CHECK(tg_graph_delete_entity(g, a, 0, &err) == TG_EINVAL);
    TG_CHECK(strstr(err.message, "it still has 2 relations") != NULL);
    TG_CHECK(tg_graph_delete_entity(g, a, 1, NULL) == TG_OK);
    TG_CHECK(!tg_graph_relation_is_live(g, aa) && !tg_graph_relation_is_live(g, ab));
    TG_CHECK_INT(tg_graph_live_relation_count(g), 0);
    tg_graph_free(g);
}

/* The batch lookup agrees with one lookup at a time, across batch bounds,
 * for absent, empty and deleted ids, and on a graph with no strings. */
static void t_find_entities(void)
{
    tg_graph *g = tg_graph_new();
    const char *ids[40];
    size_t lens[40], i;
    tg_ent out[40];
    char buf[40][16];

    ids[0] = "x";
    lens[0] = 1;
    out[0] = 7;
    tg_graph_find_entities(g, 1, ids, lens, out);
    TG_CHECK_INT(out[0], TG_NONE);
    for (i = 0; i < 30; i++) {
        snprintf(buf[i], sizeof buf[i], "e%zu", i);
        E(g, buf[i]);
    }
    TG_CHECK(tg_graph_delete_entity(g, tg_graph_find_entity(g, "e3", 2), 1, NULL) == TG_OK);
    for (i = 0; i < 40; i++) {
        if (i >= 30)
            snprintf(buf[i], sizeof buf[i], i == 35 ? "" : "absent%zu", i);
        ids[39 - i] = buf[i]; /* reversed: not in index order */
        lens[39 - i] = strlen(buf[i]);
    }
    tg_graph_find_entities(g, 40, ids, lens, out);
    for (i = 0; i < 40; i++)
        TG_CHECK_INT(out[i], tg_graph_find_entity(g, ids[i], lens[i]));
    TG_CHECK_INT(out[39], 0);           /* e0 */
    TG_CHECK_INT(out[36], TG_NONE);     /* e3, deleted */
    TG_CHECK_INT(out[4], TG_NONE);      /* "" */
    TG_CHECK_INT(out[0], TG_NONE);      /* absent39 */
    tg_graph_free(g);
}

/* Labels in use: every label of a live entity once, ascending by symbol;
 * a label only a deleted entity carried is not in use. */
static void t_labels_in_use(void)
{
    tg_graph *g = tg_graph_new();
    tg_ent a = E(g, "a"), b = E(g, "b"), c = E(g, "c");
    tg_sym x = tg_graph_intern(g, "X", 1), y = tg_graph_intern(g, "Y", 1),
           z = tg_graph_intern(g, "Z", 1), *in = NULL;
    size_t n;

    tg_graph_add_label(g, a, y, NULL);
    tg_graph_add_label(g, a, x, NULL);
    tg_graph_add_label(g, b, x, NULL);
    tg_graph_add_label(g, c, z, NULL);
    n = tg_graph_labels_in_use(g, &in);
    TG_CHECK_INT(n, 3);
    TG_CHECK(in && in[0] == x && in[1] == y && in[2] == z);
    free(in);
    TG_CHECK(tg_graph_delete_entity(g, c, 1, NULL) == TG_OK);
    n = tg_graph_labels_in_use(g, &in);
    TG_CHECK_INT(n, 2);
    TG_CHECK(in && in[0] == x && in[1] == y);
    free(in);
    tg_graph_free(g);
}

int main(void)
{
    TG_RUN(t_null_graph);
    TG_RUN(t_one_entity);
    TG_RUN(t_parallel_and_self_loops);
    TG_RUN(t_adjacency_grouped_by_type);
    TG_RUN(t_labels);
    TG_RUN(t_props_every_type);
    TG_RUN(t_lists_are_shared);
    TG_RUN(t_set_out_of_order);
    TG_RUN(t_find_by_prop);
    TG_RUN(t_sources);
    TG_RUN(t_corrupt_segments);
    TG_RUN(t_bigger_roundtrip);
    TG_RUN(t_out_of_memory_is_not_damage);
    TG_RUN(t_labels_one_at_a_time);
    TG_RUN(t_incident);
    TG_RUN(t_find_entities);
    TG_RUN(t_labels_in_use);
    return tg_test_finish();
}
