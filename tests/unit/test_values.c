/* test_values.c — runtime values: equality, comparison, ordering,
 * equivalence and hashing, float formatting, maps, the bump allocator and
 * the conversion to and from stored properties. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "tg_test.h"
#include "value.h"

static tg_value S(const char *s)
{
    return tg_value_str_ref(s, strlen(s));
}

static tg_value L2(tg_vmem *m, tg_value a, tg_value b)
{
    tg_value items[2];
    items[0] = a;
    items[1] = b;
    return tg_value_list(m, items, 2);
}

static void t_equality(void)
{
    tg_vmem *m = tg_vmem_new();
    tg_value n = tg_value_null();
    struct {
        tg_value a, b;
        int want;
    } cases[] = {
        {tg_value_int(1), tg_value_int(1), TG_TRI_TRUE},
        {tg_value_int(1), tg_value_float(1.0), TG_TRI_TRUE},
        {tg_value_int(1), tg_value_float(1.5), TG_TRI_FALSE},
        {tg_value_float(NAN), tg_value_float(NAN), TG_TRI_FALSE},
        {tg_value_int(1), n, TG_TRI_NULL},
        {n, n, TG_TRI_NULL},
        {S("a"), S("a"), TG_TRI_TRUE},
        {S("a"), S("b"), TG_TRI_FALSE},
        {S("1"), tg_value_int(1), TG_TRI_FALSE},
        {tg_value_bool(1), tg_value_bool(1), TG_TRI_TRUE},
        {L2(m, tg_value_int(1), n), L2(m, tg_value_int(1), n), TG_TRI_NULL},
        {L2(m, tg_value_int(1), n), L2(m, tg_value_int(2), n), TG_TRI_FALSE},
        {L2(m, tg_value_int(1), tg_value_int(2)), L2(m, tg_value_float(1), tg_value_int(2)),
         TG_TRI_TRUE},
        {tg_value_node(3), tg_value_node(3), TG_TRI_TRUE},
        {tg_value_node(3), tg_value_rel(3), TG_TRI_FALSE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        TG_CHECK_INT(tg_value_equals(&cases[i].a, &cases[i].b), cases[i].want);
    tg_vmem_free(m);
}

static void t_compare(void)
{
    int c;
    tg_value a = tg_value_int(2), b = tg_value_float(2.5), s = S("x"), n = tg_value_null();
    TG_CHECK(tg_value_compare(&a, &b, &c) && c < 0);
    TG_CHECK(tg_value_compare(&b, &a, &c) && c > 0);
    TG_CHECK(!tg_value_compare(&a, &s, &c)); /* across types: null */
    TG_CHECK(!tg_value_compare(&a, &n, &c));
    {
        tg_value big = tg_value_int(9007199254740993LL), f = tg_value_float(9007199254740992.0);
        TG_CHECK(tg_value_compare(&big, &f, &c) && c > 0); /* exact int/float comparison */
    }
    {
        tg_value x = tg_value_float(NAN);
        TG_CHECK(tg_value_compare(&x, &a, &c) && c == 2);
    }
}

static void t_order(void)
{
    tg_vmem *m = tg_vmem_new();
    tg_vmap_entry e = {"k", 1, tg_value_int(1)};
    /* map < node < relation < list < path < string < boolean < number < NaN < null */
    tg_ent nodes[2] = {0, 1};
    tg_rel rels[1] = {0};
    tg_value seq[] = {
        tg_value_map(m, &e, 1), tg_value_node(1), tg_value_rel(0), L2(m, tg_value_int(1), S("a")),
        tg_value_path(m, nodes, rels, 1), S("a"), S("b"), tg_value_bool(0), tg_value_bool(1),
        tg_value_int(-5), tg_value_float(0.5), tg_value_int(1), tg_value_float(INFINITY),
        tg_value_float(NAN), tg_value_null(),
    };
    size_t n = sizeof seq / sizeof seq[0];
    for (size_t i = 0; i + 1 < n; i++) {
        TG_CHECK(tg_value_order(&seq[i], &seq[i + 1]) < 0);
        TG_CHECK(tg_value_order(&seq[i + 1], &seq[i]) > 0);
        TG_CHECK(tg_value_order(&seq[i], &seq[i]) == 0);
    }
    tg_vmem_free(m);
}

static void t_equivalence_hash(void)
{
    tg_vmem *m = tg_vmem_new();
    tg_value pairs[][2] = {
        {tg_value_int(1), tg_value_float(1.0)},
        {tg_value_null(), tg_value_null()},
        {tg_value_float(NAN), tg_value_float(NAN)},
        {L2(m, tg_value_null(), S("x")), L2(m, tg_value_null(), S("x"))},
        {tg_value_float(0.0), tg_value_float(-0.0)},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        TG_CHECK(tg_value_equivalent(&pairs[i][0], &pairs[i][1]));
        TG_CHECK(tg_value_hash(&pairs[i][0]) == tg_value_hash(&pairs[i][1]));
    }
    {
        tg_value a = tg_value_int(1), b = S("1"), c = tg_value_null(), d = tg_value_int(0);
        TG_CHECK(!tg_value_equivalent(&a, &b));
        TG_CHECK(!tg_value_equivalent(&c, &d));
    }
    tg_vmem_free(m);
}

static void t_format_double(void)
{
    struct {
        double d;
        const char *want;
    } cases[] = {
        {1.0, "1.0"},      {-0.5, "-0.5"},  {0.1, "0.1"},     {1e20, "1.0e20"},
        {123.456, "123.456"}, {1e-7, "1.0e-7"}, {3.0e15, "3000000000000000.0"},
        {NAN, "NaN"},      {INFINITY, "Infinity"}, {-INFINITY, "-Infinity"},
        {1.2635418652381264e305, "1.2635418652381264e305"}, {0.001, "0.001"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[40];
        tg_value_format_double(cases[i].d, buf);
        TG_CHECK_STR(buf, cases[i].want);
    }
}

static void t_map(void)
{
    tg_vmem *m = tg_vmem_new();
    tg_vmap_entry es[] = {{"b", 1, tg_value_int(2)}, {"a", 1, tg_value_int(1)},
                          {"b", 1, tg_value_int(3)}};
    tg_value v = tg_value_map(m, es, 3);
    const tg_value *x;
    TG_CHECK_INT(v.kind, TG_VAL_MAP);
    TG_CHECK_INT(v.len, 2); /* a later duplicate key wins */
    TG_CHECK_STR(v.u.map[0].key, "a");
    x = tg_value_map_get(&v, "b", 1);
    TG_CHECK(x && x->kind == TG_VAL_INT && x->u.i == 3);
    TG_CHECK(tg_value_map_get(&v, "c", 1) == NULL);
    tg_vmem_free(m);
}

static void t_vmem(void)
{
    tg_vmem *m = tg_vmem_new();
    tg_vmem_mark k;
    void *p, *q;
    TG_CHECK(m != NULL);
    p = tg_vmem_alloc(m, 10);
    k = tg_vmem_get_mark(m);
    q = tg_vmem_alloc(m, 100);
    TG_CHECK(p && q && q != p);
    for (int i = 0; i < 1000; i++)
        TG_CHECK(tg_vmem_alloc(m, 1000) != NULL); /* spans several chunks */
    tg_vmem_reset(m, k);
    TG_CHECK(tg_vmem_alloc(m, 100) == q); /* the memory after the mark is reused */
    TG_CHECK(((uintptr_t)tg_vmem_alloc(m, 3) & 15) == 0);
    tg_vmem_free(m);
    tg_vmem_free(NULL);
}

static void t_pval(void)
{
    tg_graph *g = tg_graph_new();
    tg_vmem *m = tg_vmem_new();
    tg_error err;
    tg_pval pv;
    tg_value v = L2(m, S("x"), S("")), back;
    TG_CHECK_INT(tg_value_to_pval(g, &v, &pv, &err), TG_OK);
    back = tg_value_from_pval(g, m, &pv);
    TG_CHECK_INT(tg_value_equals(&v, &back), TG_TRI_TRUE);
    v = L2(m, S("x"), tg_value_int(1));
    TG_CHECK_INT(tg_value_to_pval(g, &v, &pv, &err), TG_ETYPE);
    v = tg_value_node(0);
    TG_CHECK_INT(tg_value_to_pval(g, &v, &pv, &err), TG_ETYPE);
    v = tg_value_float(2.5);
    TG_CHECK_INT(tg_value_to_pval(g, &v, &pv, &err), TG_OK);
    TG_CHECK(pv.type == TG_V_FLOAT && pv.u.f == 2.5);
    tg_vmem_free(m);
    tg_graph_free(g);
}

static void t_format(void)
{
    tg_graph *g = tg_graph_new();
    tg_vmem *m = tg_vmem_new();
    tg_error err;
    tg_ent e;
    tg_buf b;
    tg_value v;
    tg_graph_add_entity(g, "cetc", 4, &e, &err);
    tg_graph_add_label(g, e, tg_graph_intern(g, "Company", 7), &err);
    tg_buf_init(&b);
    v = tg_value_node(e);
    tg_value_format(g, &v, TG_VFMT_TCK, &b);
    TG_CHECK_STR(b.data, "(:Company)");
    tg_buf_destroy(&b);
    tg_buf_init(&b);
    tg_value_format(g, &v, TG_VFMT_TEXT, &b);
    TG_CHECK_STR(b.data, "(:Company {id: 'cetc'})");
    tg_buf_destroy(&b);
    tg_buf_init(&b);
    tg_value_format(g, &v, TG_VFMT_JSON, &b);
    TG_CHECK_STR(b.data, "{\"id\": \"cetc\", \"labels\": [\"Company\"], \"properties\": {}}");
    tg_buf_destroy(&b);
    tg_buf_init(&b);
    v = L2(m, S("it's"), tg_value_float(NAN));
    tg_value_format(g, &v, TG_VFMT_JSON, &b);
    TG_CHECK_STR(b.data, "[\"it's\", \"NaN\"]");
    tg_buf_destroy(&b);
    tg_buf_init(&b);
    tg_value_format(g, &v, TG_VFMT_TCK, &b);
    TG_CHECK_STR(b.data, "['it\\'s', NaN]");
    tg_buf_destroy(&b);
    tg_vmem_free(m);
    tg_graph_free(g);
}

static tg_value temporal(tg_vmem *m, const char *text)
{
    tg_temporal t;
    TG_CHECK_INT(tg_time_parse(text, strlen(text), TG_V_NULL, &t, NULL), TG_OK);
    return tg_temporal_value(m, &t);
}

/* Values of the temporal kinds: their text, their order and equality
 * (engine/temporal.c does the work; tests/unit/test_temporal.c covers it). */
static void t_temporal(void)
{
    tg_vmem *m = tg_vmem_new();
    const char *texts[] = {"2019-04-18",
                           "09:05",
                           "12:31:14.645876123+01:00",
                           "1984-10-11T12:30:14.000000012",
                           "0001-01-01T01:01:01.000000001-11:59",
                           "2011-03-01T23:00Z",
                           "P1Y2M3DT4H5M6.5S"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        tg_value v = temporal(m, texts[i]);
        char buf[TG_TIME_TEXT_MAX];
        tg_temporal_format(&v, buf);
        TG_CHECK_STR(buf, texts[i]);
    }
    {
        tg_value a = temporal(m, "10:00+02:00"), b = temporal(m, "09:30Z");
        tg_value c = temporal(m, "08:00Z"), d = temporal(m, "P1D"), e = temporal(m, "PT24H");
        int cmp;
        TG_CHECK(tg_value_order(&a, &b) < 0); /* 08:00 UTC before 09:30 UTC */
        /* the same instant at another offset is not equal, and orders after */
        TG_CHECK_INT(tg_value_equals(&a, &c), TG_TRI_FALSE);
        TG_CHECK(tg_value_compare(&a, &c, &cmp) && cmp > 0);
        /* durations: equal by their parts, not comparable with < */
        TG_CHECK_INT(tg_value_equals(&d, &e), TG_TRI_FALSE);
        TG_CHECK(!tg_value_compare(&d, &e, &cmp));
        TG_CHECK(tg_value_hash(&a) != tg_value_hash(&c));
    }
    tg_vmem_free(m);
}

int main(void)
{
    TG_RUN(t_equality);
    TG_RUN(t_compare);
    TG_RUN(t_order);
    TG_RUN(t_equivalence_hash);
    TG_RUN(t_format_double);
    TG_RUN(t_map);
    TG_RUN(t_vmem);
    TG_RUN(t_pval);
    TG_RUN(t_format);
    TG_RUN(t_temporal);
    return tg_test_finish();
}
