/* test_json_loader.c — the tiegraph/1 JSON and JSON Lines loader.
 *
 * Bad inputs are one table (file fixtures in tests/data/bad/ and inline
 * texts): each asserts the status, the line, the column (bytes, 1-based)
 * and a fragment of the message. Good inputs check every value type,
 * byte-exact hostile strings, the merge rules, relation identity on
 * re-import and forward references in JSON Lines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "json_loader.h"
#include "tg_test.h"

/* ---- helpers ---------------------------------------------------------------- */

static tg_ent ent(tg_graph *g, const char *id)
{
    return tg_graph_find_entity(g, id, strlen(id));
}

static tg_sym sym(tg_graph *g, const char *s)
{
    return tg_graph_sym(g, s, strlen(s));
}

static const tg_pval *eprop(tg_graph *g, const char *id, const char *key)
{
    tg_ent e = ent(g, id);
    tg_sym k = sym(g, key);

    if (e == TG_NONE || !k)
        return NULL;
    return tg_graph_prop(g, TG_ENTITY, e, k);
}

static const tg_pval *rprop(tg_graph *g, tg_rel r, const char *key)
{
    tg_sym k = sym(g, key);
    return k ? tg_graph_prop(g, TG_RELATION, r, k) : NULL;
}

/* Whether v is the string want[0..wlen). */
static int is_str(tg_graph *g, const tg_pval *v, const char *want, size_t wlen)
{
    size_t len;
    const char *s;

    if (!v || v->type != TG_V_STRING)
        return 0;
    s = tg_graph_str(g, v->u.s, &len);
    return len == wlen && memcmp(s, want, len) == 0;
}

/* The list v as "a,b,c" (strings) for compact checks. */
static const char *list_str(tg_graph *g, const tg_pval *v)
{
    static char buf[512];
    const tg_pval *items;
    size_t o = 0, i;

    buf[0] = '\0';
    if (!v || v->type != TG_V_LIST)
        return "(not a list)";
    items = tg_graph_list(g, v);
    for (i = 0; i < v->len && o + 64 < sizeof buf; i++) {
        const tg_pval *it = &items[i];
        if (i)
            buf[o++] = ',';
        switch (it->type) {
        case TG_V_STRING: o += (size_t)snprintf(buf + o, sizeof buf - o, "%s", tg_graph_str(g, it->u.s, NULL)); break;
        case TG_V_INT: o += (size_t)snprintf(buf + o, sizeof buf - o, "%lld", (long long)it->u.i); break;
        case TG_V_FLOAT: o += (size_t)snprintf(buf + o, sizeof buf - o, "%gf", it->u.f); break;
        case TG_V_BOOL: o += (size_t)snprintf(buf + o, sizeof buf - o, "%s", it->u.b ? "true" : "false"); break;
        default: o += (size_t)snprintf(buf + o, sizeof buf - o, "?"); break;
        }
    }
    buf[o] = '\0';
    return buf;
}

static const char *labels_str(tg_graph *g, const char *id)
{
    static char buf[256];
    const tg_sym *ls;
    size_t n = tg_graph_labels(g, ent(g, id), &ls), i, o = 0;
    const char *names[16];

    /* sorted by name for a stable check */
    for (i = 0; i < n && i < 16; i++)
        names[i] = tg_graph_str(g, ls[i], NULL);
    for (i = 1; i < n && i < 16; i++) {
        size_t j;
        const char *x = names[i];
        for (j = i; j > 0 && strcmp(names[j - 1], x) > 0; j--)
            names[j] = names[j - 1];
        names[j] = x;
    }
    buf[0] = '\0';
    for (i = 0; i < n && i < 16; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? "," : "", names[i]);
    return buf;
}

/* A text dump of the whole graph (entities, labels, relations, properties),
 * to compare a graph before and after a re-import. Owned: free(). */
typedef struct dump {
    char *s;
    size_t n, cap;
} dump;

static void put(dump *d, const char *s, size_t len)
{
    if (d->n + len + 1 > d->cap) {
        d->cap = (d->n + len + 1) * 2;
        d->s = realloc(d->s, d->cap);
    }
    memcpy(d->s + d->n, s, len);
    d->n += len;
    d->s[d->n] = '\0';
}

static void putf(dump *d, const char *fmt, long long x)
{
    char buf[64];
    int n = snprintf(buf, sizeof buf, fmt, x);
    put(d, buf, (size_t)n);
}

typedef struct dump_ctx {
    tg_graph *g;
    dump *d;
} dump_ctx;

static void put_scalar(dump_ctx *c, const tg_pval *v)
{
    size_t len;
    const char *s;
    double f;

    switch (v->type) {
    case TG_V_BOOL: putf(c->d, "b%lld", v->u.b); break;
    case TG_V_INT: putf(c->d, "i%lld", (long long)v->u.i); break;
    case TG_V_FLOAT:
        f = v->u.f;
        {
            long long bits;
            memcpy(&bits, &f, sizeof bits);
            putf(c->d, "f%llx", bits);
        }
        break;
    case TG_V_STRING:
        s = tg_graph_str(c->g, v->u.s, &len);
        put(c->d, "s", 1);
        put(c->d, s, len);
        break;
    default: put(c->d, "?", 1);
    }
}

static int dump_prop(void *ctx, tg_sym key, const tg_pval *v)
{
    dump_ctx *c = ctx;
    size_t len, i;
    const char *k = tg_graph_str(c->g, key, &len);

    put(c->d, " ", 1);
    put(c->d, k, len);
    put(c->d, "=", 1);
    if (v->type == TG_V_LIST) {
        const tg_pval *items = tg_graph_list(c->g, v);
        put(c->d, "[", 1);
        for (i = 0; i < v->len; i++) {
            put(c->d, ",", 1);
            put_scalar(c, &items[i]);
        }
        put(c->d, "]", 1);
    } else {
        put_scalar(c, v);
    }
    return 0;
}

static char *dump_graph(tg_graph *g)
{
    dump d = {NULL, 0, 0};
    dump_ctx c = {g, &d};
    size_t i, j, n;

    put(&d, "", 0);
    for (i = 0; i < tg_graph_entity_count(g); i++) {
        const tg_sym *ls;
        const char *id = tg_graph_str(g, tg_graph_entity_id(g, (tg_ent)i), &n);
        put(&d, "E ", 2);
        put(&d, id, n);
        n = tg_graph_labels(g, (tg_ent)i, &ls);
        for (j = 0; j < n; j++)
            putf(&d, " :%lld", (long long)ls[j]);
        tg_graph_each_prop(g, TG_ENTITY, (uint32_t)i, dump_prop, &c);
        put(&d, "\n", 1);
    }
    for (i = 0; i < tg_graph_relation_count(g); i++) {
        putf(&d, "R %lld", (long long)tg_graph_rel_type(g, (tg_rel)i));
        putf(&d, " %lld", (long long)tg_graph_rel_from(g, (tg_rel)i));
        putf(&d, " %lld", (long long)tg_graph_rel_to(g, (tg_rel)i));
        tg_graph_each_prop(g, TG_RELATION, (uint32_t)i, dump_prop, &c);
        put(&d, "\n", 1);
    }
    for (i = 0; i < tg_graph_source_count(g); i++) {
        const tg_source_field *f;
        n = tg_graph_source_fields(g, (uint32_t)i, &f);
        putf(&d, "S %lld", (long long)tg_graph_source_id(g, (uint32_t)i));
        for (j = 0; j < n; j++) {
            putf(&d, " %lld", (long long)f[j].key);
            putf(&d, "=%lld", (long long)f[j].value);
        }
        put(&d, "\n", 1);
    }
    return d.s;
}

/* Loads text (document or JSON Lines) into g, asserting TG_OK. */
static void load_ok(tg_graph *g, const char *text, int jsonl)
{
    tg_error err;
    tg_status st;

    tg_error_clear(&err);
    st = tg_json_load_buffer(g, "good.json", text, strlen(text), jsonl, &err);
    TG_CHECK_INT(st, TG_OK);
    if (st != TG_OK)
        fprintf(stderr, "  %s:%ld:%ld: %s\n", err.file, err.line, err.column, err.message);
}

/* ---- bad inputs ---------------------------------------------------------------- */

typedef struct bad_case {
    const char *name; /* a file in tests/data/bad/, or a label for text */
    const char *text; /* NULL: read the file */
    int jsonl;        /* for text: 0 document, 1 JSON Lines */
    long line, col;
    const char *msg; /* a fragment of the message */
} bad_case;

static const bad_case bad_cases[] = {
    /* the list, as files */
    {"empty.json", NULL, 0, 1, 1, "empty file: expected a tiegraph/1 JSON document"},
    {"truncated.json", NULL, 0, 3, 1, "unexpected end of file: the document is truncated"},
    {"trailing.json", NULL, 0, 2, 1, "trailing characters after the JSON document"},
    {"wrong-format.json", NULL, 0, 1, 12, "expected \"format\": \"tiegraph/1\" at the top level"},
    {"missing-format.json", NULL, 0, 1, 1, "expected \"format\": \"tiegraph/1\" at the top level"},
    {"no-id.json", NULL, 0, 2, 15, "entity has no \"id\"; expected a non-empty string"},
    {"no-labels.json", NULL, 0, 2, 15,
     "entity has no \"labels\"; expected a non-empty array of label strings"},
    {"duplicate-id.json", NULL, 0, 4, 10, "duplicate entity id \"cetc\" (first defined at line 3)"},
    {"unknown-to.json", NULL, 0, 3, 52, "relation \"to\" refers to unknown entity \"xyz\""},
    {"unknown-from.json", NULL, 0, 3, 41, "relation \"from\" refers to unknown entity \"nobody\""},
    {"no-type.json", NULL, 0, 3, 16, "relation has no \"type\""},
    {"object-property.json", NULL, 0, 2, 59,
     "property \"owner\" is an object; expected a string, number, boolean or a list of one type"},
    {"mixed-list.json", NULL, 0, 2, 66, "property \"years\" is a mixed list (integers and strings)"},
    {"invalid-utf8.json", NULL, 0, 2, 61, "invalid UTF-8 byte 0xff in string"},
    {"not-object.jsonl", NULL, 1, 2, 1, "line is not a JSON object"},
    {"unknown-entity.jsonl", NULL, 1, 1, 50, "relation \"to\" refers to unknown entity \"b\""},
    {"truncated.jsonl", NULL, 1, 2, 28, "unexpected end of line"},
    /* more, inline */
    {"blank document", "  \n\t\n", 0, 1, 1, "empty file"},
    {"empty JSON Lines", "\n  \n", 1, 1, 1, "empty file: expected JSON Lines records"},
    {"top-level array", "[1, 2]", 0, 1, 1, "the document is an array; expected a JSON object"},
    {"format not a string", "{\"format\": 1}", 0, 1, 12, "\"format\" is a number"},
    {"unknown top-level key", "{\"format\": \"tiegraph/1\", \"nodes\": []}", 0, 1, 26,
     "unknown top-level key \"nodes\"; expected \"format\", \"sources\", \"entities\" or "
     "\"relations\""},
    {"duplicate top-level key", "{\"format\": \"tiegraph/1\", \"format\": \"tiegraph/1\"}", 0, 1,
     26, "duplicate top-level key \"format\""},
    {"entities not an array", "{\"format\": \"tiegraph/1\", \"entities\": {}}", 0, 1, 38,
     "\"entities\" is an object; expected an array of entity objects"},
    {"entity not an object", "{\"format\": \"tiegraph/1\", \"entities\": [\"a\"]}", 0, 1, 39,
     "entity is a string; expected an object"},
    {"empty labels", "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": []}]}",
     0, 1, 61, "entity \"labels\" is empty"},
    {"empty id", "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"\", \"labels\": [\"X\"]}]}",
     0, 1, 46, "entity \"id\" is an empty string"},
    {"label not a string",
     "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\", 3]}]}", 0, 1,
     67, "label is a number; expected a non-empty string"},
    {"int and float mixed",
     "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"], \"v\": [1, "
     "2.5]}]}",
     0, 1, 77, "property \"v\" is a mixed list (integers and floats)"},
    {"nested list",
     "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"], \"v\": [[1]]}]}",
     0, 1, 74, "property \"v\" holds a nested list"},
    {"null in a list",
     "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"], \"v\": [1, "
     "null]}]}",
     0, 1, 77, "property \"v\" has null in its list"},
    {"duplicate key",
     "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"], \"n\": 1, "
     "\"n\": 2}]}",
     0, 1, 76, "duplicate key \"n\" in the object"},
    {"bad sources",
     "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"], \"sources\": "
     "\"s\"}]}",
     0, 1, 79, "\"sources\" is a string; expected an array of source id strings"},
    {"source without id", "{\"format\": \"tiegraph/1\", \"sources\": [{\"title\": \"T\"}]}", 0, 1,
     38, "source has no \"id\""},
    {"source field not a string",
     "{\"format\": \"tiegraph/1\", \"sources\": [{\"id\": \"s\", \"year\": 2019}]}", 0, 1, 58,
     "source field \"year\" is a number; expected a string"},
    {"trailing comma", "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"]},]}",
     0, 1, 68, "trailing comma"},
    {"missing colon", "{\"format\" \"tiegraph/1\"}", 0, 1, 11, "expected ':' after the object key"},
    {"bad literal", "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"], \"ok\": tru}]}",
     0, 1, 74, "invalid literal"},
    {"leading zero", "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"], \"n\": 012}]}",
     0, 1, 73, "leading zero"},
    {"number too large", "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"], \"n\": 1e400}]}",
     0, 1, 73, "too large"},
    {"control character", "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\tb\", \"labels\": [\"X\"]}]}",
     0, 1, 48, "unescaped control character 0x09 in string"},
    {"bad escape", "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\\qb\", \"labels\": [\"X\"]}]}",
     0, 1, 48, "invalid escape \\q in string"},
    {"lone high surrogate", "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\\ud83dz\", \"labels\": [\"X\"]}]}",
     0, 1, 48, "high surrogate \\ud83d is not followed by a low surrogate"},
    {"lone low surrogate", "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"\\ude00\", \"labels\": [\"X\"]}]}",
     0, 1, 47, "lone low surrogate"},
    {"overlong UTF-8", "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"\xc0\xaf\", \"labels\": [\"X\"]}]}",
     0, 1, 47, "invalid UTF-8 byte 0xc0 in string"},
    {"UTF-8 surrogate", "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"\xed\xa0\x80\", \"labels\": [\"X\"]}]}",
     0, 1, 47, "invalid UTF-8 sequence starting with byte 0xed"},
    {"too deep",
     "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"], \"v\": "
     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]}]}",
     0, 1, 200, "nest deeper than 128 levels"},
    {"relation id conflict",
     "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"]}, {\"id\": \"b\", "
     "\"labels\": [\"X\"]}],\n\"relations\": [{\"id\": \"r\", \"type\": \"T\", \"from\": \"a\", \"to\": "
     "\"b\"},\n{\"id\": \"r\", \"type\": \"T\", \"from\": \"b\", \"to\": \"a\"}]}",
     0, 3, 8, "duplicate relation id \"r\" (first defined at line 2)"},
    {"JSON Lines: trailing characters", "{\"entity\": {\"id\": \"a\", \"labels\": [\"X\"]}} x\n",
     1, 1, 42, "trailing characters after the JSON object"},
    {"JSON Lines: unknown record", "{\"node\": {\"id\": \"a\"}}\n", 1, 1, 2,
     "unknown record \"node\"; expected \"source\", \"entity\" or \"relation\""},
    {"JSON Lines: two keys",
     "{\"entity\": {\"id\": \"a\", \"labels\": [\"X\"]}, \"relation\": {}}\n", 1, 1, 42,
     "exactly one key"},
    {"JSON Lines: record not an object", "\n\n{\"entity\": [1]}\n", 1, 3, 12,
     "\"entity\" is an array; expected an object"},
    {"JSON Lines: duplicate id",
     "{\"entity\": {\"id\": \"a\", \"labels\": [\"X\"]}}\n\n{\"entity\": {\"id\": \"a\", "
     "\"labels\": [\"Y\"]}}\n",
     1, 3, 19, "duplicate entity id \"a\" (first defined at line 1)"},
    {"JSON Lines: unknown from, later line",
     "{\"entity\": {\"id\": \"a\", \"labels\": [\"X\"]}}\n{\"relation\": {\"type\": \"T\", \"from\": "
     "\"a\", \"to\": \"a\"}}\n{\"relation\": {\"type\": \"T\", \"from\": \"q\", \"to\": \"a\"}}\n",
     1, 3, 36, "relation \"from\" refers to unknown entity \"q\""},
};

static void t_bad_inputs(void)
{
    size_t i;

    for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        tg_graph *g = tg_graph_new();
        tg_error err;
        tg_status st;
        char path[1024];

        tg_error_clear(&err);
        if (c->text) {
            st = tg_json_load_buffer(g, c->name, c->text, strlen(c->text), c->jsonl, &err);
        } else {
            snprintf(path, sizeof path, "%s/tests/data/bad/%s", TG_SOURCE_DIR, c->name);
            st = tg_json_load_file(g, path, &err);
        }
        tg_test_current = c->name;
        TG_CHECK_INT(st, TG_EDATA);
        TG_CHECK_INT(err.status, TG_EDATA);
        TG_CHECK_INT(err.line, c->line);
        TG_CHECK_INT(err.column, c->col);
        TG_CHECK(strstr(err.message, c->msg) != NULL);
        TG_CHECK(strstr(err.file, c->text ? c->name : "tests/data/bad/") != NULL);
        if (err.line != c->line || err.column != c->col || !strstr(err.message, c->msg))
            fprintf(stderr, "  got %s:%ld:%ld: %s\n", err.file, err.line, err.column,
                    err.message);
        tg_graph_free(g);
    }
    tg_test_current = "t_bad_inputs";
}

static void t_missing_file(void)
{
    tg_graph *g = tg_graph_new();
    tg_error err;
    tg_status st;

    tg_error_clear(&err);
    st = tg_json_load_file(g, "/nonexistent/dir/none.json", &err);
    TG_CHECK_INT(st, TG_ENOENT);
    TG_CHECK_INT(err.status, TG_ENOENT);
    TG_CHECK_STR(err.file, "/nonexistent/dir/none.json");
    TG_CHECK(strstr(err.message, "cannot open") != NULL);
    st = tg_json_load_file(g, "/nonexistent/dir/none.jsonl", &err);
    TG_CHECK_INT(st, TG_ENOENT);
    /* a directory opens but cannot be read */
    st = tg_json_load_file(g, TG_SOURCE_DIR "/tests/data/bad", &err);
    TG_CHECK_INT(st, TG_ENOENT);
    TG_CHECK_INT(tg_graph_entity_count(g), 0);
    tg_graph_free(g);
}

/* ---- good inputs ---------------------------------------------------------------- */

static void t_value_types(void)
{
    tg_graph *g = tg_graph_new();
    const tg_pval *v;
    const char *doc =
        "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"Company\"],\n"
        " \"s\": \"text\", \"empty\": \"\", \"i\": 42, \"neg\": -7, \"max\": 9223372036854775807,\n"
        " \"min\": -9223372036854775808, \"big\": 9223372036854775808, \"f\": 1.5, \"e\": 1e3,\n"
        " \"small\": 2.5e-3, \"negzero\": -0.0, \"precise\": 0.1, \"long\": 3.141592653589793238,\n"
        " \"t\": true, \"no\": false, \"gone\": null, \"ls\": [\"x\", \"y\"], \"li\": [1, 2, 3],\n"
        " \"lf\": [0.5, 1.0], \"lb\": [true, false], \"l0\": []}]}";

    load_ok(g, doc, 0);
    TG_CHECK(is_str(g, eprop(g, "a", "s"), "text", 4));
    TG_CHECK(is_str(g, eprop(g, "a", "empty"), "", 0));
    v = eprop(g, "a", "i");
    TG_CHECK(v && v->type == TG_V_INT && v->u.i == 42);
    v = eprop(g, "a", "neg");
    TG_CHECK(v && v->type == TG_V_INT && v->u.i == -7);
    v = eprop(g, "a", "max");
    TG_CHECK(v && v->type == TG_V_INT && v->u.i == INT64_MAX);
    v = eprop(g, "a", "min");
    TG_CHECK(v && v->type == TG_V_INT && v->u.i == INT64_MIN);
    v = eprop(g, "a", "big");
    TG_CHECK(v && v->type == TG_V_FLOAT && v->u.f == 9223372036854775808.0);
    v = eprop(g, "a", "f");
    TG_CHECK(v && v->type == TG_V_FLOAT && v->u.f == 1.5);
    v = eprop(g, "a", "e");
    TG_CHECK(v && v->type == TG_V_FLOAT && v->u.f == 1000.0);
    v = eprop(g, "a", "small");
    TG_CHECK(v && v->type == TG_V_FLOAT && v->u.f == 2.5e-3);
    v = eprop(g, "a", "negzero");
    TG_CHECK(v && v->type == TG_V_FLOAT && v->u.f == 0.0 && 1.0 / v->u.f < 0);
    v = eprop(g, "a", "precise");
    TG_CHECK(v && v->type == TG_V_FLOAT && v->u.f == 0.1);
    v = eprop(g, "a", "long");
    TG_CHECK(v && v->type == TG_V_FLOAT && v->u.f == 3.141592653589793238);
    v = eprop(g, "a", "t");
    TG_CHECK(v && v->type == TG_V_BOOL && v->u.b);
    v = eprop(g, "a", "no");
    TG_CHECK(v && v->type == TG_V_BOOL && !v->u.b);
    TG_CHECK(eprop(g, "a", "gone") == NULL);
    v = eprop(g, "a", "ls");
    TG_CHECK(v && v->elem == TG_V_STRING);
    TG_CHECK_STR(list_str(g, v), "x,y");
    v = eprop(g, "a", "li");
    TG_CHECK(v && v->elem == TG_V_INT);
    TG_CHECK_STR(list_str(g, v), "1,2,3");
    v = eprop(g, "a", "lf");
    TG_CHECK(v && v->elem == TG_V_FLOAT);
    TG_CHECK_STR(list_str(g, v), "0.5f,1f");
    v = eprop(g, "a", "lb");
    TG_CHECK_STR(list_str(g, v), "true,false");
    v = eprop(g, "a", "l0");
    TG_CHECK(v && v->type == TG_V_LIST && v->len == 0);
    TG_CHECK_STR(labels_str(g, "a"), "Company");
    /* the id is the entity's id, not a property */
    TG_CHECK(eprop(g, "a", "id") == NULL);
    tg_graph_free(g);
}

/* Names from outside: quotes, newlines, markup, emoji (raw and as a \u
 * surrogate pair), Chinese, and \u0000, byte-exact after loading. */
static void t_hostile_strings(void)
{
    tg_graph *g = tg_graph_new();
    const tg_pval *v;
    tg_rel r;
    const char *doc =
        "{\"format\": \"tiegraph/1\",\n"
        " \"entities\": [\n"
        "  {\"id\": \"q\\\"uote\", \"labels\": [\"Co\\\"mpany\"], \"name\": \"say \\\"hi\\\"\\n\\ttab\\\\\"},\n"
        "  {\"id\": \"<script>alert(1)</script>\", \"labels\": [\"X\"], \"name\": \"</text><b>&amp;\"},\n"
        "  {\"id\": \"\xe4\xb8\xad\xe5\x9b\xbd\", \"labels\": [\"\xe5\x9b\xbd\xe5\xae\xb6\"], \"name\": \"\xf0\x9f\x98\x80 \\ud83d\\ude00 \\u4e2d\"},\n"
        "  {\"id\": \"nul\\u0000byte\", \"labels\": [\"X\"], \"name\": \"a\\u0000b\", \"esc\": \"\\/\\b\\f\\r\\u00e9\"}],\n"
        " \"relations\": [{\"type\": \"OWNS \\\"x\\\"\", \"from\": \"q\\\"uote\", \"to\": \"\xe4\xb8\xad\xe5\x9b\xbd\", \"note\": \"<\\u0000>\"}]}";

    load_ok(g, doc, 0);
    TG_CHECK_INT(tg_graph_entity_count(g), 4);
    TG_CHECK(ent(g, "q\"uote") != TG_NONE);
    TG_CHECK(is_str(g, eprop(g, "q\"uote", "name"), "say \"hi\"\n\ttab\\", 14));
    TG_CHECK_STR(labels_str(g, "q\"uote"), "Co\"mpany");
    TG_CHECK(is_str(g, eprop(g, "<script>alert(1)</script>", "name"), "</text><b>&amp;", 15));
    TG_CHECK(is_str(g, eprop(g, "\xe4\xb8\xad\xe5\x9b\xbd", "name"),
                    "\xf0\x9f\x98\x80 \xf0\x9f\x98\x80 \xe4\xb8\xad", 13));
    TG_CHECK_STR(labels_str(g, "\xe4\xb8\xad\xe5\x9b\xbd"), "\xe5\x9b\xbd\xe5\xae\xb6");
    /* \u0000 is kept: the id has 8 bytes */
    TG_CHECK(tg_graph_find_entity(g, "nul\0byte", 8) != TG_NONE);
    TG_CHECK(tg_graph_find_entity(g, "nul", 3) == TG_NONE);
    v = tg_graph_prop(g, TG_ENTITY, tg_graph_find_entity(g, "nul\0byte", 8), sym(g, "name"));
    TG_CHECK(is_str(g, v, "a\0b", 3));
    v = tg_graph_prop(g, TG_ENTITY, tg_graph_find_entity(g, "nul\0byte", 8), sym(g, "esc"));
    TG_CHECK(is_str(g, v, "/\b\f\r\xc3\xa9", 6));
    TG_CHECK_INT(tg_graph_relation_count(g), 1);
    r = 0;
    TG_CHECK(tg_graph_rel_type(g, r) == sym(g, "OWNS \"x\""));
    TG_CHECK(is_str(g, rprop(g, r, "note"), "<\0>", 3));
    tg_graph_free(g);
}

static void t_sources_records(void)
{
    tg_graph *g = tg_graph_new();
    const tg_source_field *f;
    uint32_t s;
    size_t n, i;
    int seen = 0;

    load_ok(g,
            "{\"format\": \"tiegraph/1\", \"sources\": [{\"id\": \"aspi-2019\", \"title\": "
            "\"Mapping China's Tech Giants\", \"publisher\": \"ASPI\", \"date\": \"2019-04-18\", "
            "\"url\": \"https://chinatechmap.aspi.org.au/\", \"note\": null}]}",
            0);
    TG_CHECK_INT(tg_graph_source_count(g), 1);
    s = tg_graph_find_source(g, sym(g, "aspi-2019"));
    TG_CHECK(s != TG_NONE);
    if (s != TG_NONE) {
        n = tg_graph_source_fields(g, s, &f);
        TG_CHECK_INT(n, 4);
        for (i = 0; i < n; i++)
            if (f[i].key == sym(g, "publisher") && f[i].value == sym(g, "ASPI"))
                seen = 1;
        TG_CHECK(seen);
    }
    /* a later file's fields win, others stay */
    load_ok(g, "{\"source\": {\"id\": \"aspi-2019\", \"publisher\": \"ASPI ICPC\"}}\n", 1);
    TG_CHECK_INT(tg_graph_source_count(g), 1);
    n = tg_graph_source_fields(g, s, &f);
    TG_CHECK_INT(n, 4);
    seen = 0;
    for (i = 0; i < n; i++)
        if (f[i].key == sym(g, "publisher") && f[i].value == sym(g, "ASPI ICPC"))
            seen = 1;
    TG_CHECK(seen);
    tg_graph_free(g);
}

static void t_merge_entities(void)
{
    tg_graph *g = tg_graph_new();
    const tg_pval *v;

    load_ok(g,
            "{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"hik\", \"labels\": "
            "[\"Company\"], \"name\": \"Hikvision\", \"country\": \"CN\", \"sources\": [\"s1\", "
            "\"s2\", \"s1\"]}]}",
            0);
    TG_CHECK_STR(list_str(g, eprop(g, "hik", "sources")), "s1,s2");
    load_ok(g,
            "{\"entity\": {\"id\": \"hik\", \"labels\": [\"Subsidiary\", \"Company\"], \"name\": "
            "\"Hangzhou Hikvision\", \"founded\": 2001, \"sources\": [\"s3\", \"s2\"]}}\n",
            1);
    TG_CHECK_INT(tg_graph_entity_count(g), 1);
    TG_CHECK_STR(labels_str(g, "hik"), "Company,Subsidiary");
    TG_CHECK_STR(list_str(g, eprop(g, "hik", "sources")), "s1,s2,s3");
    TG_CHECK(is_str(g, eprop(g, "hik", "name"), "Hangzhou Hikvision", 18));
    TG_CHECK(is_str(g, eprop(g, "hik", "country"), "CN", 2));
    v = eprop(g, "hik", "founded");
    TG_CHECK(v && v->type == TG_V_INT && v->u.i == 2001);
    /* null leaves a property as it is */
    load_ok(g, "{\"entity\": {\"id\": \"hik\", \"labels\": [\"Company\"], \"country\": null}}\n",
            1);
    TG_CHECK(is_str(g, eprop(g, "hik", "country"), "CN", 2));
    tg_graph_free(g);
}

static const char reimport_doc[] =
    "{\"format\": \"tiegraph/1\",\n"
    " \"sources\": [{\"id\": \"aidata\", \"title\": \"GCDF 3.0\"}],\n"
    " \"entities\": [{\"id\": \"exim\", \"labels\": [\"Lender\"], \"name\": \"China Exim Bank\"},\n"
    "              {\"id\": \"gov-ec\", \"labels\": [\"Government\"], \"name\": \"Ecuador\"},\n"
    "              {\"id\": \"cetc\", \"labels\": [\"Company\"], \"aliases\": [\"CETC\"]}],\n"
    " \"relations\": [\n"
    "  {\"type\": \"FINANCES\", \"from\": \"exim\", \"to\": \"gov-ec\", \"amount\": 240000000, "
    "\"currency\": \"USD\", \"year\": 2011, \"sources\": [\"aidata\"]},\n"
    "  {\"type\": \"FINANCES\", \"from\": \"exim\", \"to\": \"gov-ec\", \"amount\": 240000000, "
    "\"currency\": \"USD\", \"year\": 2011, \"sources\": [\"aidata\"]},\n"
    "  {\"type\": \"FINANCES\", \"from\": \"exim\", \"to\": \"gov-ec\", \"amount\": 240000000, "
    "\"currency\": \"USD\", \"year\": 2012, \"sources\": [\"aidata\"]},\n"
    "  {\"type\": \"FINANCES\", \"from\": \"exim\", \"to\": \"gov-ec\", \"amount\": 2.4e8, "
    "\"currency\": \"USD\", \"year\": 2011, \"sources\": [\"aidata\"]},\n"
    "  {\"type\": \"FINANCES\", \"from\": \"exim\", \"to\": \"gov-ec\", \"amount\": 240000000, "
    "\"currency\": \"USD\", \"year\": 2011},\n"
    "  {\"type\": \"CONTRACTS\", \"from\": \"gov-ec\", \"to\": \"cetc\", \"role\": \"prime\"},\n"
    "  {\"id\": \"own-1\", \"type\": \"OWNS\", \"from\": \"cetc\", \"to\": \"cetc\", \"share\": "
    "0.5, \"sources\": [\"x\"]}]}\n";

static void t_reimport_changes_nothing(void)
{
    tg_graph *g = tg_graph_new();
    tg_load_counts c;
    tg_error err;
    const char *path = tg_test_write_file("reimport.json", reimport_doc, strlen(reimport_doc));
    char *before, *after;

    tg_error_clear(&err);
    TG_CHECK_INT(tg_json_load_file_counts(g, path, &c, &err), TG_OK);
    TG_CHECK_INT(c.entities_new, 3);
    TG_CHECK_INT(c.entities_merged, 0);
    TG_CHECK_INT(c.relations_new, 7); /* the two identical loans stay two */
    TG_CHECK_INT(c.relations_same, 0);
    TG_CHECK_INT(c.sources, 1);
    TG_CHECK_INT(tg_graph_relation_count(g), 7);
    before = dump_graph(g);
    TG_CHECK_INT(tg_json_load_file_counts(g, path, &c, &err), TG_OK);
    TG_CHECK_INT(c.entities_new, 0);
    TG_CHECK_INT(c.entities_merged, 3);
    TG_CHECK_INT(c.relations_new, 0);
    TG_CHECK_INT(c.relations_same, 7);
    TG_CHECK_INT(tg_graph_entity_count(g), 3);
    TG_CHECK_INT(tg_graph_relation_count(g), 7);
    after = dump_graph(g);
    TG_CHECK_STR(after, before);
    free(after);
    /* and a third time, as JSON Lines of the same records: still nothing */
    load_ok(g,
            "{\"relation\": {\"type\": \"FINANCES\", \"from\": \"exim\", \"to\": \"gov-ec\", "
            "\"amount\": 240000000, \"currency\": \"USD\", \"year\": 2011, \"sources\": "
            "[\"aidata\"]}}\n",
            1);
    TG_CHECK_INT(tg_graph_relation_count(g), 7);
    after = dump_graph(g);
    TG_CHECK_STR(after, before);
    free(after);
    free(before);
    tg_graph_free(g);
}

/* n copies in the file, m in the graph: max(n, m) afterwards. */
static void t_relation_multiplicity(void)
{
    static const struct {
        int m, n, want;
    } cases[] = {{0, 2, 2}, {1, 2, 2}, {2, 1, 2}, {3, 3, 3}, {1, 0, 1}, {2, 5, 5}};
    const char *ents = "{\"entity\": {\"id\": \"a\", \"labels\": [\"X\"]}}\n"
                       "{\"entity\": {\"id\": \"b\", \"labels\": [\"X\"]}}\n";
    const char *rel = "{\"relation\": {\"type\": \"LOAN\", \"from\": \"a\", \"to\": \"b\", "
                      "\"amount\": 5, \"sources\": [\"s\"]}}\n";
    const char *other = "{\"relation\": {\"type\": \"LOAN\", \"from\": \"a\", \"to\": \"b\", "
                        "\"amount\": 6}}\n";
    size_t i;
    int k;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tg_graph *g = tg_graph_new();
        char text[4096];
        size_t o;

        o = (size_t)snprintf(text, sizeof text, "%s%s", ents, other);
        for (k = 0; k < cases[i].m; k++)
            o += (size_t)snprintf(text + o, sizeof text - o, "%s", rel);
        load_ok(g, text, 1);
        o = (size_t)snprintf(text, sizeof text, "%s", ents);
        for (k = 0; k < cases[i].n; k++)
            o += (size_t)snprintf(text + o, sizeof text - o, "%s", rel);
        load_ok(g, text, 1);
        TG_CHECK_INT(tg_graph_relation_count(g), 1 + cases[i].want);
        tg_graph_free(g);
    }
}

static void t_relation_ids(void)
{
    tg_graph *g = tg_graph_new();
    tg_error err;
    const tg_pval *v;
    const char *ents = "{\"entity\": {\"id\": \"a\", \"labels\": [\"X\"]}}\n"
                       "{\"entity\": {\"id\": \"b\", \"labels\": [\"X\"]}}\n";
    char text[2048];

    snprintf(text, sizeof text,
             "%s{\"relation\": {\"id\": \"r1\", \"type\": \"OWNS\", \"from\": \"a\", \"to\": \"b\", "
             "\"share\": 0.5, \"sources\": [\"x\"]}}\n",
             ents);
    load_ok(g, text, 1);
    snprintf(text, sizeof text,
             "%s{\"relation\": {\"id\": \"r1\", \"type\": \"OWNS\", \"from\": \"a\", \"to\": \"b\", "
             "\"share\": 0.6, \"sources\": [\"y\", \"x\"], \"year\": 2019}}\n",
             ents);
    load_ok(g, text, 1);
    TG_CHECK_INT(tg_graph_relation_count(g), 1);
    v = rprop(g, 0, "share");
    TG_CHECK(v && v->type == TG_V_FLOAT && v->u.f == 0.6);
    TG_CHECK_STR(list_str(g, rprop(g, 0, "sources")), "x,y");
    TG_CHECK(is_str(g, rprop(g, 0, "id"), "r1", 2));
    v = rprop(g, 0, "year");
    TG_CHECK(v && v->type == TG_V_INT && v->u.i == 2019);
    /* the same id with other endpoints is an error */
    snprintf(text, sizeof text,
             "%s{\"relation\": {\"id\": \"r1\", \"type\": \"OWNS\", \"from\": \"b\", \"to\": \"a\"}}\n",
             ents);
    tg_error_clear(&err);
    TG_CHECK_INT(tg_json_load_buffer(g, "ids.jsonl", text, strlen(text), 1, &err), TG_EDATA);
    TG_CHECK_INT(err.line, 3);
    TG_CHECK_INT(err.column, 21);
    TG_CHECK(strstr(err.message, "relation id \"r1\" already exists as \"OWNS\" from \"a\" to \"b\"") !=
             NULL);
    tg_graph_free(g);
}

/* JSON Lines: a relation may come before its entities; a document may list
 * relations before entities. */
static void t_forward_references(void)
{
    tg_graph *g = tg_graph_new();
    tg_load_counts c;
    tg_error err;
    const char *jl = "{\"relation\": {\"type\": \"BUILDS\", \"from\": \"huawei\", \"to\": \"p1\", "
                     "\"year\": 2015}}\n"
                     "\n"
                     "{\"entity\": {\"id\": \"huawei\", \"labels\": [\"Company\"]}}\n"
                     "{\"relation\": {\"type\": \"LOCATED_IN\", \"from\": \"p1\", \"to\": \"huawei\"}}\n"
                     "{\"entity\": {\"id\": \"p1\", \"labels\": [\"Project\"], \"category\": "
                     "\"safe_city\"}}\n";
    const char *path = tg_test_write_file("forward.jsonl", jl, strlen(jl));
    const char *doc = "{\"relations\": [{\"type\": \"T\", \"from\": \"x\", \"to\": \"y\"}],\n"
                      " \"entities\": [{\"id\": \"x\", \"labels\": [\"A\"]}, {\"id\": \"y\", "
                      "\"labels\": [\"A\"]}],\n"
                      " \"format\": \"tiegraph/1\"}";
    const tg_pval *v;

    tg_error_clear(&err);
    TG_CHECK_INT(tg_json_load_file_counts(g, path, &c, &err), TG_OK);
    TG_CHECK_INT(c.entities_new, 2);
    TG_CHECK_INT(c.relations_new, 2);
    TG_CHECK_INT(tg_graph_relation_count(g), 2);
    TG_CHECK(tg_graph_rel_from(g, 0) == ent(g, "huawei") || tg_graph_rel_from(g, 1) == ent(g, "huawei"));
    v = tg_graph_prop(g, TG_RELATION, tg_graph_rel_from(g, 0) == ent(g, "huawei") ? 0 : 1,
                      sym(g, "year"));
    TG_CHECK(v && v->type == TG_V_INT && v->u.i == 2015);
    /* loading it again changes nothing */
    TG_CHECK_INT(tg_json_load_file_counts(g, path, &c, &err), TG_OK);
    TG_CHECK_INT(c.relations_same, 2);
    TG_CHECK_INT(tg_graph_relation_count(g), 2);
    tg_graph_free(g);

    g = tg_graph_new();
    load_ok(g, doc, 0);
    TG_CHECK_INT(tg_graph_entity_count(g), 2);
    TG_CHECK_INT(tg_graph_relation_count(g), 1);
    TG_CHECK(tg_graph_rel_from(g, 0) == ent(g, "x"));
    tg_graph_free(g);
}

/* The format comes from the extension, else from the content. */
static void t_format_detection(void)
{
    tg_graph *g = tg_graph_new();
    tg_error err;
    const char *doc = "\xef\xbb\xbf  {\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", "
                      "\"labels\": [\"X\"]}]}\n";
    const char *jl = "{\"entity\": {\"id\": \"b\", \"labels\": [\"X\"]}}\r\n"
                     "{\"entity\": {\"id\": \"c\", \"labels\": [\"X\"]}}";
    const char *p;

    tg_error_clear(&err);
    p = tg_test_write_file("detect-doc.txt", doc, strlen(doc));
    TG_CHECK_INT(tg_json_load_file(g, p, &err), TG_OK);
    p = tg_test_write_file("detect-lines", jl, strlen(jl));
    TG_CHECK_INT(tg_json_load_file(g, p, &err), TG_OK);
    TG_CHECK_INT(tg_json_load_buffer(g, "x", jl, strlen(jl), -1, &err), TG_OK);
    p = tg_test_write_file("detect.NDJSON", jl, strlen(jl));
    TG_CHECK_INT(tg_json_load_file(g, p, &err), TG_OK);
    TG_CHECK_INT(tg_graph_entity_count(g), 3);
    /* a forced format wins over the name */
    p = tg_test_write_file("forced.txt", jl, strlen(jl));
    TG_CHECK_INT(tg_json_load_file_as(g, p, 1, NULL, &err), TG_OK);
    TG_CHECK_INT(tg_json_load_file_as(g, p, 0, NULL, &err), TG_EDATA);
    TG_CHECK(strstr(err.message, "unknown top-level key \"entity\"") != NULL);
    /* a .json that holds JSON Lines is read as a document, and says so */
    p = tg_test_write_file("lines.json", jl, strlen(jl));
    TG_CHECK_INT(tg_json_load_file(g, p, &err), TG_EDATA);
    TG_CHECK_INT(err.line, 1);
    TG_CHECK_INT(err.column, 2);
    TG_CHECK(strstr(err.message, "unknown top-level key \"entity\"") != NULL);
    TG_CHECK(strstr(err.message, "JSON Lines") != NULL);
    tg_graph_free(g);
}

/* A larger JSON Lines file goes through the line reader (getline) and the
 * relation index with many buckets. */
static void t_many_lines(void)
{
    tg_graph *g = tg_graph_new();
    tg_load_counts c;
    tg_error err;
    size_t cap = 1 << 20, o = 0;
    char *text = malloc(cap);
    const char *path;
    int i;

    for (i = 0; i < 2000; i++)
        o += (size_t)snprintf(text + o, cap - o,
                              "{\"entity\": {\"id\": \"e%d\", \"labels\": [\"Company\"], \"name\": "
                              "\"Company %d\"}}\n",
                              i, i);
    for (i = 0; i < 5000; i++)
        o += (size_t)snprintf(text + o, cap - o,
                              "{\"relation\": {\"type\": \"%s\", \"from\": \"e%d\", \"to\": "
                              "\"e%d\", \"amount\": %d.5, \"sources\": [\"s%d\"]}}\n",
                              i % 3 ? "OWNS" : "FINANCES", i % 2000, (i * 7) % 2000, i % 10,
                              i % 4);
    path = tg_test_write_file("many.jsonl", text, o);
    tg_error_clear(&err);
    TG_CHECK_INT(tg_json_load_file_counts(g, path, &c, &err), TG_OK);
    TG_CHECK_INT(c.entities_new, 2000);
    TG_CHECK_INT(c.relations_new, 5000);
    TG_CHECK_INT(tg_json_load_file_counts(g, path, &c, &err), TG_OK);
    TG_CHECK_INT(c.relations_new, 0);
    TG_CHECK_INT(c.relations_same, 5000);
    TG_CHECK_INT(c.entities_merged, 2000);
    TG_CHECK_INT(tg_graph_relation_count(g), 5000);
    free(text);
    tg_graph_free(g);
}

/* One record larger than the parser's first arena chunk, then small ones:
 * the arena grows and is reused. Also escaped strings in a big list. */
static void t_big_record(void)
{
    tg_graph *g = tg_graph_new();
    size_t cap = 1 << 20, o = 0;
    char *text = malloc(cap);
    const tg_pval *v, *items;
    int i;

    o += (size_t)snprintf(text + o, cap - o, "{\"entity\": {\"id\": \"big\", \"labels\": [\"X\"], \"l\": [");
    for (i = 0; i < 20000; i++)
        o += (size_t)snprintf(text + o, cap - o, "%s\"v\\u00e9%d\"", i ? "," : "", i);
    o += (size_t)snprintf(text + o, cap - o, "]}}\n");
    for (i = 0; i < 3; i++)
        o += (size_t)snprintf(text + o, cap - o,
                              "{\"entity\": {\"id\": \"s%d\", \"labels\": [\"X\"]}}\n", i);
    load_ok(g, text, 1);
    v = eprop(g, "big", "l");
    TG_CHECK(v && v->type == TG_V_LIST && v->len == 20000);
    if (v && v->len == 20000) {
        items = tg_graph_list(g, v);
        TG_CHECK(is_str(g, &items[19999], "v\xc3\xa9" "19999", 8));
    }
    TG_CHECK_INT(tg_graph_entity_count(g), 4);
    free(text);
    tg_graph_free(g);
}

int main(void)
{
    TG_RUN(t_bad_inputs);
    TG_RUN(t_missing_file);
    TG_RUN(t_value_types);
    TG_RUN(t_hostile_strings);
    TG_RUN(t_sources_records);
    TG_RUN(t_merge_entities);
    TG_RUN(t_reimport_changes_nothing);
    TG_RUN(t_relation_multiplicity);
    TG_RUN(t_relation_ids);
    TG_RUN(t_forward_references);
    TG_RUN(t_format_detection);
    TG_RUN(t_many_lines);
    TG_RUN(t_big_record);
    return tg_test_finish();
}
