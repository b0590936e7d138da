/* test_dataset.c — the example dataset examples/aspi-2019/graph.json keeps its shape.
 *
 * The dataset is what the README, the demo and the example analyses use, so
 * this test loads it through the JSON loader and asserts: every relation has
 * one of DESIGN.md's types and a non-empty list of known sources; every
 * entity has a name, a label and sources; every entity with a country is
 * LOCATED_IN that country's entity; the only isolated entities are the ones
 * the dataset's README lists; the scale is what the two seed documents give;
 * and a table of named facts (ties with their properties) holds.
 *
 * The graph is loaded once in main and shared read-only by the checks (the
 * lazy indexes the engine builds on first use are the only mutation).
 */
#include <stdint.h>
#include <string.h>

#include "graph.h"
#include "json_loader.h"
#include "tg_test.h"

#define COUNTOF(a) (sizeof(a) / sizeof((a)[0]))
#define DATASET TG_SOURCE_DIR "/examples/aspi-2019/graph.json"

static tg_graph *G;

/* DESIGN.md's relation types. */
static const char *const TYPES[] = {
    "OWNS",   "FINANCES",      "CONTRACTS",  "SUBCONTRACTS", "SUPPLIES",
    "BUILDS", "PARTNERS_WITH", "LOCATED_IN", "OPERATES_IN",  "MEMBER_OF",
    "LEADS",  "SANCTIONS",     "SUBJECT_TO", "TRAINS",
};

/* The isolated entities the README's "Isolated entities" section lists
 * (observers the texts do not place in a country). Keep the two in step. */
static const char *const ISOLATED[] = {
    "amnesty",   "aspi-icpc",           "fireeye",   "freedom-house",
    "grimm",     "heritage-foundation", "hrw",       "nikkei-asian-review",
    "reuters",   "rsf",                 "synacktiv", "t-mobile",
    "wits-media-studies",               "world-bank",
};

/* ---- helpers ------------------------------------------------------------- */

static tg_sym sym(const char *s)
{
    return tg_graph_sym(G, s, strlen(s));
}

static tg_ent ent(const char *id)
{
    return tg_graph_find_entity(G, id, strlen(id));
}

static const char *str_of(tg_sym s)
{
    return tg_graph_str(G, s, NULL);
}

/* The property key of an entity or relation as a string, NULL when absent or
 * not a string. */
static const char *prop_str(tg_side side, uint32_t item, const char *key)
{
    tg_sym k = sym(key);
    const tg_pval *v = k ? tg_graph_prop(G, side, item, k) : NULL;
    return v && v->type == TG_V_STRING ? str_of(v->u.s) : NULL;
}

/* Whether the property is a number equal to want (an int or a float). */
static int prop_num_is(tg_side side, uint32_t item, const char *key, double want)
{
    tg_sym k = sym(key);
    const tg_pval *v = k ? tg_graph_prop(G, side, item, k) : NULL;
    if (!v)
        return 0;
    if (v->type == TG_V_INT)
        return (double)v->u.i == want;
    if (v->type == TG_V_FLOAT)
        return v->u.f == want;
    return 0;
}

/* Whether the property is a non-empty list of non-empty strings; with
 * known_sources, each must also name a source record (the part before '#'). */
static int is_string_list(tg_side side, uint32_t item, const char *key, int known_sources)
{
    tg_sym k = sym(key);
    const tg_pval *v = k ? tg_graph_prop(G, side, item, k) : NULL;
    if (!v || v->type != TG_V_LIST || v->elem != TG_V_STRING || v->len == 0)
        return 0;
    const tg_pval *items = tg_graph_list(G, v);
    for (uint32_t i = 0; i < v->len; i++) {
        size_t len = 0;
        if (items[i].type != TG_V_STRING)
            return 0;
        const char *s = tg_graph_str(G, items[i].u.s, &len);
        if (len == 0)
            return 0;
        if (known_sources) {
            const char *hash = memchr(s, '#', len);
            tg_sym id = tg_graph_sym(G, s, hash ? (size_t)(hash - s) : len);
            if (!id || tg_graph_find_source(G, id) == TG_NONE)
                return 0;
        }
    }
    return 1;
}

/* A property condition on a relation: a string (s != NULL) or a number. */
typedef struct cond {
    const char *key;
    const char *s;
    double num;
} cond;

/* The first relation from -type-> to whose properties meet every condition
 * in conds[0..n) (a condition with a NULL key ends the list early), or
 * TG_NONE. O(out-degree of from). */
static tg_rel find_rel(const char *from, const char *type, const char *to, const cond *conds,
                       size_t n)
{
    tg_ent a = ent(from), b = ent(to);
    tg_sym t = sym(type);
    const tg_rel *out = NULL;
    if (a == TG_NONE || b == TG_NONE || !t)
        return TG_NONE;
    size_t nout = tg_graph_out(G, a, &out);
    for (size_t i = 0; i < nout; i++) {
        tg_rel r = out[i];
        if (tg_graph_rel_type(G, r) != t || tg_graph_rel_to(G, r) != b)
            continue;
        int ok = 1;
        for (size_t j = 0; ok && j < n && conds[j].key; j++) {
            if (conds[j].s) {
                const char *got = prop_str(TG_RELATION, r, conds[j].key);
                ok = got && strcmp(got, conds[j].s) == 0;
            } else {
                ok = prop_num_is(TG_RELATION, r, conds[j].key, conds[j].num);
            }
        }
        if (ok)
            return r;
    }
    return TG_NONE;
}

static int has_rel(const char *from, const char *type, const char *to)
{
    return find_rel(from, type, to, NULL, 0) != TG_NONE;
}

static int has_label(tg_ent e, const char *label)
{
    tg_sym l = sym(label);
    return l && tg_graph_has_label(G, e, l);
}

/* ---- tests --------------------------------------------------------------- */

static void t_scale(void)
{
    /* The two documents name well over a hundred entities and a few hundred
     * ties; the README gives the exact counts (173 and 384 when written). */
    TG_CHECK(tg_graph_entity_count(G) >= 150);
    TG_CHECK(tg_graph_relation_count(G) >= 300);
    TG_CHECK_INT(tg_graph_source_count(G), 2);

    static const char *const src[] = {"aspi-2019", "asiatimes-2020"};
    for (size_t i = 0; i < COUNTOF(src); i++) {
        tg_sym id = sym(src[i]);
        uint32_t s = id ? tg_graph_find_source(G, id) : TG_NONE;
        TG_CHECK(s != TG_NONE);
        if (s == TG_NONE)
            continue;
        const tg_source_field *f = NULL;
        size_t nf = tg_graph_source_fields(G, s, &f);
        int title = 0, publisher = 0, date = 0;
        for (size_t j = 0; j < nf; j++) {
            const char *k = str_of(f[j].key);
            title |= strcmp(k, "title") == 0 && *str_of(f[j].value);
            publisher |= strcmp(k, "publisher") == 0 && *str_of(f[j].value);
            date |= strcmp(k, "date") == 0 && *str_of(f[j].value);
        }
        TG_CHECK(title && publisher && date);
    }
}

static void t_relations_typed_and_sourced(void)
{
    size_t n = tg_graph_relation_count(G), bad_type = 0, bad_src = 0;
    for (tg_rel r = 0; r < n; r++) {
        const char *type = str_of(tg_graph_rel_type(G, r));
        int known = 0;
        for (size_t i = 0; i < COUNTOF(TYPES); i++)
            known |= strcmp(type, TYPES[i]) == 0;
        if (!known) {
            bad_type++;
            fprintf(stderr, "relation %u has unknown type %s\n", (unsigned)r, type);
        }
        if (!is_string_list(TG_RELATION, r, "sources", 1)) {
            bad_src++;
            fprintf(stderr, "relation %u (%s) has no valid sources\n", (unsigned)r, type);
        }
    }
    TG_CHECK_INT(bad_type, 0);
    TG_CHECK_INT(bad_src, 0);
}

static void t_entities_named_labelled_sourced(void)
{
    size_t n = tg_graph_entity_count(G), bad = 0;
    for (tg_ent e = 0; e < n; e++) {
        const tg_sym *labels = NULL;
        const char *name = prop_str(TG_ENTITY, e, "name");
        int ok = name && *name && tg_graph_labels(G, e, &labels) >= 1 &&
                 is_string_list(TG_ENTITY, e, "sources", 1);
        if (!ok) {
            bad++;
            fprintf(stderr, "entity %s lacks a name, a label or sources\n",
                    str_of(tg_graph_entity_id(G, e)));
        }
    }
    TG_CHECK_INT(bad, 0);
}

static void t_countries_are_clusters(void)
{
    /* Every non-country entity with a country is LOCATED_IN its country. */
    size_t n = tg_graph_entity_count(G), bad = 0, placed = 0;
    for (tg_ent e = 0; e < n; e++) {
        const char *c = prop_str(TG_ENTITY, e, "country");
        if (!c || has_label(e, "Country"))
            continue;
        char cid[16] = "country-";
        for (size_t i = 0; i < 2 && c[i]; i++)
            cid[8 + i] = (char)(c[i] >= 'A' && c[i] <= 'Z' ? c[i] - 'A' + 'a' : c[i]);
        placed++;
        if (!has_rel(str_of(tg_graph_entity_id(G, e)), "LOCATED_IN", cid)) {
            bad++;
            fprintf(stderr, "entity %s is not LOCATED_IN %s\n", str_of(tg_graph_entity_id(G, e)),
                    cid);
        }
    }
    TG_CHECK(placed >= 100);
    TG_CHECK_INT(bad, 0);
    TG_CHECK(has_label(ent("country-zw"), "Country"));
    TG_CHECK_STR(prop_str(TG_ENTITY, ent("country-zw"), "iso2"), "ZW");
}

static void t_isolated_only_the_listed(void)
{
    size_t n = tg_graph_entity_count(G), unlisted = 0, isolated = 0;
    for (tg_ent e = 0; e < n; e++) {
        const tg_rel *rs = NULL;
        if (tg_graph_out(G, e, &rs) > 0 || tg_graph_in(G, e, &rs) > 0)
            continue;
        isolated++;
        const char *id = str_of(tg_graph_entity_id(G, e));
        int listed = 0;
        for (size_t i = 0; i < COUNTOF(ISOLATED); i++)
            listed |= strcmp(id, ISOLATED[i]) == 0;
        if (!listed) {
            unlisted++;
            fprintf(stderr, "entity %s is isolated but not in the README's list\n", id);
        }
    }
    TG_CHECK_INT(unlisted, 0);
    /* ... and every listed id exists and is isolated. */
    TG_CHECK_INT(isolated, COUNTOF(ISOLATED));
    for (size_t i = 0; i < COUNTOF(ISOLATED); i++)
        TG_CHECK(ent(ISOLATED[i]) != TG_NONE);
}

/* A named fact: from -type-> to with up to four property conditions. */
typedef struct fact {
    const char *from, *type, *to;
    cond conds[4];
} fact;

static const fact FACTS[] = {
    /* ownership */
    {"cetc", "OWNS", "hikvision", {{0}}},
    {"huawei", "OWNS", "bel-huawei", {{0}}},
    {"gov-cn", "OWNS", "exim-china", {{"share", NULL, 1.0}}},
    {"gov-zw", "OWNS", "netone", {{0}}},
    {"gov-ve", "OWNS", "cantv", {{0}}},
    /* financing: the 2015 USD 500 million loan to Econet, ZTE with CDB */
    {"cdb", "FINANCES", "econet",
     {{"amount", NULL, 500000000}, {"currency", "USD", 0}, {"year", NULL, 2015},
      {"instrument", "loan", 0}}},
    {"zte", "FINANCES", "econet",
     {{"amount", NULL, 500000000}, {"year", NULL, 2015}, {"deal", "econet-2015-loan", 0}}},
    {"exim-china", "FINANCES", "huawei-safe-city", {{"instrument", "loan", 0}}},
    {"gov-cn", "FINANCES", "huawei-zw-projects", {{"instrument", "loan", 0}}},
    {"vcjf", "FINANCES", "cantv", {{0}}},
    /* contracts */
    {"moyu-county", "CONTRACTS", "hikvision", {{"role", "prime", 0}}},
    {"pishan-county", "CONTRACTS", "hikvision", {{"role", "prime", 0}}},
    {"netone", "CONTRACTS", "huawei", {{"role", "prime", 0}}},
    {"gov-ve", "CONTRACTS", "zte", {{"role", "prime", 0}}},
    {"gov-zw", "CONTRACTS", "hikvision",
     {{"year", NULL, 2018}, {"instrument", "memorandum of understanding", 0}}},
    {"gov-zw", "CONTRACTS", "cloudwalk", {{0}}},
    /* projects, supply, training, partnerships */
    {"zte", "BUILDS", "fatherland-card", {{0}}},
    {"hikvision", "BUILDS", "mutare-smart-city", {{"year", NULL, 2018}}},
    {"hikvision", "BUILDS", "xinjiang-mosque-surveillance", {{"year", NULL, 2017}}},
    {"huawei", "SUPPLIES", "gov-by", {{"since", NULL, 2011}}},
    {"zte", "SUPPLIES", "cantv", {{"confidence", "reported", 0}}},
    {"huawei", "TRAINS", "xinjiang-psb", {{0}}},
    {"cetc", "PARTNERS_WITH", "tu-graz", {{0}}},
    {"cetc", "PARTNERS_WITH", "uts", {{0}}},
    {"huawei", "PARTNERS_WITH", "urumqi-psb", {{"year", NULL, 2018}}},
    /* sanctions and legal obligations */
    {"gov-us", "SANCTIONS", "kaspersky", {{"year", NULL, 2017}}},
    {"us-military", "SANCTIONS", "dji", {{0}}},
    {"kaspersky", "PARTNERS_WITH", "fsb", {{"confidence", "reported", 0}}},
    {"huawei", "SUBJECT_TO", "national-intelligence-law-cn", {{0}}},
    {"hikvision", "SUBJECT_TO", "company-law-cn", {{0}}},
    {"meduza", "SUBJECT_TO", "ru-foreign-agent-law", {{0}}},
    /* people and bodies */
    {"robin-li", "LEADS", "baidu", {{"role", "CEO", 0}}},
    {"robin-li", "MEMBER_OF", "cppcc", {{0}}},
    {"guo-ping", "LEADS", "huawei", {{0}}},
    {"lukashenko", "LEADS", "gov-by", {{"since", NULL, 1994}}},
    {"xinjiang-psb", "MEMBER_OF", "gov-cn", {{0}}},
    {"hikvision", "LOCATED_IN", "country-cn", {{0}}},
    {"wechat", "OPERATES_IN", "country-my", {{"users", NULL, 20000000}}},
};

static void t_named_facts(void)
{
    for (size_t i = 0; i < COUNTOF(FACTS); i++) {
        const fact *f = &FACTS[i];
        tg_rel r = find_rel(f->from, f->type, f->to, f->conds, COUNTOF(f->conds));
        if (r == TG_NONE)
            fprintf(stderr, "missing fact: %s -%s-> %s\n", f->from, f->type, f->to);
        TG_CHECK(r != TG_NONE);
    }
    /* Negative controls: the helpers can say no. */
    TG_CHECK(!has_rel("hikvision", "OWNS", "cetc"));
    TG_CHECK(find_rel("cdb", "FINANCES", "econet", (const cond[]){{"year", NULL, 2016}}, 1) ==
             TG_NONE);
    TG_CHECK(!has_rel("no-such-entity", "OWNS", "hikvision"));
}

static void t_entity_facts(void)
{
    tg_ent hik = ent("hikvision"), tencent = ent("tencent"), huawei = ent("huawei");
    TG_CHECK(hik != TG_NONE && tencent != TG_NONE && huawei != TG_NONE);
    if (hik == TG_NONE || tencent == TG_NONE || huawei == TG_NONE)
        return;
    TG_CHECK(has_label(hik, "Company") && has_label(hik, "Subsidiary"));
    TG_CHECK_STR(prop_str(TG_ENTITY, hik, "country"), "CN");
    TG_CHECK(prop_num_is(TG_ENTITY, tencent, "party_branches", 89));
    TG_CHECK(prop_num_is(TG_ENTITY, tencent, "party_branches_year", 2017));
    TG_CHECK(prop_num_is(TG_ENTITY, huawei, "revenue_usd_2019", 121720000000.0));
    TG_CHECK_STR(prop_str(TG_ENTITY, ent("cetc"), "name"),
                 "China Electronics Technology Group Corporation");
    TG_CHECK(has_label(ent("exim-china"), "Lender"));
    TG_CHECK_STR(prop_str(TG_ENTITY, ent("fatherland-card"), "category"), "national_id");
    /* The 12 companies ASPI maps. */
    size_t mapped = 0, n = tg_graph_entity_count(G);
    tg_sym k = sym("aspi_mapped");
    for (tg_ent e = 0; e < n; e++) {
        const tg_pval *v = k ? tg_graph_prop(G, TG_ENTITY, e, k) : NULL;
        mapped += v && v->type == TG_V_BOOL && v->u.b;
    }
    TG_CHECK_INT(mapped, 12);
}

static void t_reload_changes_nothing(void)
{
    /* DESIGN.md: importing the same file twice changes nothing. */
    size_t ne = tg_graph_entity_count(G), nr = tg_graph_relation_count(G);
    tg_error err;
    tg_error_clear(&err);
    TG_CHECK_INT(tg_json_load_file(G, DATASET, &err), TG_OK);
    TG_CHECK_INT(tg_graph_entity_count(G), ne);
    TG_CHECK_INT(tg_graph_relation_count(G), nr);
}

int main(void)
{
    tg_error err;
    tg_error_clear(&err);
    G = tg_graph_new();
    TG_CHECK(G != NULL);
    if (!G)
        return tg_test_finish();
    tg_status st = tg_json_load_file(G, DATASET, &err);
    if (st != TG_OK)
        fprintf(stderr, "%s:%ld:%ld: %s\n", err.file, err.line, err.column, err.message);
    TG_CHECK_INT(st, TG_OK);
    if (st == TG_OK) {
        TG_RUN(t_scale);
        TG_RUN(t_relations_typed_and_sourced);
        TG_RUN(t_entities_named_labelled_sourced);
        TG_RUN(t_countries_are_clusters);
        TG_RUN(t_isolated_only_the_listed);
        TG_RUN(t_named_facts);
        TG_RUN(t_entity_facts);
        TG_RUN(t_reload_changes_nothing);
    }
    tg_graph_free(G);
    return tg_test_finish();
}
