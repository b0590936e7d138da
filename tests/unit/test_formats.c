/* test_formats.c — the CSV reader (RFC 4180 as a table of cases), the
 * importer's file policies (fragments, unknown references), the format
 * table's choice of a reader, and round trips: every format that both reads
 * and writes gives back an equal graph (tg_graph_equal), over the example
 * dataset and a graph of hostile values. */
#include <math.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "csv_reader.h"
#include "formats.h"
#include "graph.h"
#include "importer.h"
#include "json_loader.h"
#include "tg_test.h"

/* ---- the CSV reader ------------------------------------------------------------ */

typedef struct csv_case {
    const char *name;
    const char *text;
    char delim;
    const char *want; /* rows joined: fields separated by '|', rows by '/', quoted fields
                         marked with a leading '^'; or NULL for an error */
    const char *err;  /* "LINE:COL message-fragment" when want is NULL */
} csv_case;

static const csv_case csv_cases[] = {
    {"plain", "a,b,c\n1,2,3\n", 0, "a|b|c/1|2|3", NULL},
    {"no final newline", "a,b\n1,2", 0, "a|b/1|2", NULL},
    {"crlf", "a,b\r\n1,2\r\n", 0, "a|b/1|2", NULL},
    {"bom", "\xEF\xBB\xBF" "a,b\n", 0, "a|b", NULL},
    {"empty cells", "a,,c\n,,\n", 0, "a||c/||", NULL},
    {"quoted empty", "\"\",x\n", 0, "^|x", NULL},
    {"quoted delimiter", "\"a,b\",c\n", 0, "^a,b|c", NULL},
    {"doubled quotes", "\"say \"\"hi\"\"\",x\n", 0, "^say \"hi\"|x", NULL},
    {"embedded newline", "\"line1\nline2\",x\ny,z\n", 0, "^line1\nline2|x/y|z", NULL},
    {"embedded crlf", "\"l1\r\nl2\",x\r\n", 0, "^l1\r\nl2|x", NULL},
    {"quote inside unquoted", "ab\"c,d\n", 0, "ab\"c|d", NULL},
    {"blank lines skipped", "a\n\n\r\nb\n", 0, "a/b", NULL},
    {"trailing delimiter", "a,b,\n", 0, "a|b|", NULL},
    {"tab delimiter", "a\tb,c\n", '\t', "a|b,c", NULL},
    {"semicolon", "a;\"b;c\"\n", ';', "a|^b;c", NULL},
    {"utf-8", "名字,📷\n", 0, "名字|📷", NULL},
    {"unterminated", "a,\"bc\nd\n", 0, NULL, "1:3 unterminated"},
    {"after quote", "\"a\"b\n", 0, NULL, "1:4 after the closing quote"},
    {"invalid utf-8", "ok\nb\xC3(\n", 0, NULL, "2:2 invalid UTF-8"},
    {"overlong", "\xC0\xAF\n", 0, NULL, "1:1 invalid UTF-8"},
};

static void run_csv_case(const csv_case *c)
{
    const char *path = tg_test_write_file("case.csv", c->text, strlen(c->text));
    tg_csv csv;
    tg_error err;
    const tg_csv_field *f;
    size_t n, i, o = 0;
    int r, rows = 0;
    char got[512];

    tg_error_clear(&err);
    TG_CHECK_INT(tg_csv_open(&csv, path, c->delim, 0, &err), TG_OK);
    got[0] = '\0';
    while ((r = tg_csv_next(&csv, &f, &n, &err)) == 1) {
        if (rows++)
            got[o++] = '/';
        for (i = 0; i < n; i++) {
            o += (size_t)snprintf(got + o, sizeof got - o, "%s%s%.*s", i ? "|" : "",
                                  f[i].quoted ? "^" : "", (int)f[i].len, f[i].p);
            TG_CHECK(f[i].p[f[i].len] == '\0');
        }
    }
    tg_csv_close(&csv);
    if (c->want) {
        if (r != 0)
            fprintf(stderr, "%s: %s\n", c->name, err.message);
        TG_CHECK_INT(r, 0);
        TG_CHECK_STR(got, c->want);
    } else {
        char where[64];
        TG_CHECK_INT(r, -1);
        TG_CHECK_INT(err.status, TG_EDATA);
        snprintf(where, sizeof where, "%ld:%ld ", err.line, err.column);
        TG_CHECK(strncmp(c->err, where, strlen(where)) == 0);
        if (strncmp(c->err, where, strlen(where)) != 0 ||
            !strstr(err.message, c->err + strlen(where)))
            fprintf(stderr, "%s: got %s%s\n", c->name, where, err.message);
        TG_CHECK(strstr(err.message, strchr(c->err, ' ') + 1) != NULL);
    }
}

static void t_csv_rfc4180(void)
{
    size_t i;

    for (i = 0; i < sizeof csv_cases / sizeof csv_cases[0]; i++) {
        tg_test_current = csv_cases[i].name;
        run_csv_case(&csv_cases[i]);
    }
}

/* A record over the bound is refused with its line, not buffered without end. */
static void t_csv_record_bound(void)
{
    char text[300];
    const char *path;
    tg_csv csv;
    tg_error err;
    const tg_csv_field *f;
    size_t n;

    memset(text, 'x', sizeof text);
    text[0] = '"';
    text[sizeof text - 1] = '\n';
    path = tg_test_write_file("big.csv", text, sizeof text);
    tg_error_clear(&err);
    TG_CHECK_INT(tg_csv_open(&csv, path, 0, 100, &err), TG_OK);
    TG_CHECK_INT(tg_csv_next(&csv, &f, &n, &err), -1);
    TG_CHECK_INT(err.status, TG_EDATA);
    TG_CHECK(strstr(err.message, "longer than 100 bytes") != NULL);
    tg_csv_close(&csv);
}

/* A file truncated while it is read is an error at the end, not a silent
 * partial import (the progress callback truncates it midway). */
static const char *trunc_path;

static void truncate_midway(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    if (done < total && trunc_path) {
        TG_CHECK_INT(truncate(trunc_path, (off_t)(total / 2)), 0);
        trunc_path = NULL;
    }
}

static void t_truncated_while_read(void)
{
    size_t n = 70000, i, o = 0, cap = n * 64;
    char *text = malloc(cap);
    tg_graph *g = tg_graph_new();
    tg_importer *imp = NULL;
    tg_read_options ro;
    tg_read_progress pr = {truncate_midway, NULL};
    tg_error err;

    for (i = 0; i < n; i++)
        o += (size_t)snprintf(text + o, cap - o, "{\"entity\": {\"id\": \"e%zu\", \"labels\": [\"X\"]}}\n", i);
    trunc_path = tg_test_write_file("trunc.jsonl", text, o);
    tg_error_clear(&err);
    tg_importer_new(g, &imp, &err);
    memset(&ro, 0, sizeof ro);
    ro.progress = &pr;
    TG_CHECK_INT(tg_json_read(imp, trunc_path, 1, &ro, NULL, &err), TG_EDATA);
    TG_CHECK(strstr(err.message, "changed while it was read") != NULL);
    tg_importer_free(imp);
    tg_graph_free(g);
    free(text);
}

/* ---- the importer's policies ----------------------------------------------------- */

static tg_sym S(tg_graph *g, const char *s)
{
    return tg_graph_intern(g, s, strlen(s));
}

static void t_importer_fragments_and_unknown(void)
{
    tg_graph *g = tg_graph_new();
    tg_importer *imp = NULL;
    tg_import_file_options fo;
    tg_error err;
    tg_load_counts c;
    tg_sym label, key = 0;
    tg_pval items[2];
    tg_iprop prop;
    tg_ientity e;
    tg_irelation r;
    const tg_pval *v;

    tg_error_clear(&err);
    TG_CHECK_INT(tg_importer_new(g, &imp, &err), TG_OK);
    memset(&fo, 0, sizeof fo);
    fo.dups = TG_IMPORT_DUP_MERGE;
    fo.unknown = TG_IMPORT_UNKNOWN_SKIP;
    tg_importer_begin(imp, "frag", &fo, &err);
    label = S(g, "Company");
    key = S(g, "name");
    /* two fragments of one id: list values are united */
    memset(&e, 0, sizeof e);
    memset(&prop, 0, sizeof prop);
    memset(items, 0, sizeof items);
    items[0].type = TG_V_STRING;
    items[0].u.s = S(g, "Huawei");
    prop.key = key;
    prop.v.type = TG_V_LIST;
    prop.v.elem = TG_V_STRING;
    prop.v.len = 1;
    prop.items = items;
    e.id = "c1";
    e.id_len = 2;
    e.labels = &label;
    e.nlabels = 1;
    e.props = &prop;
    e.nprops = 1;
    e.id_pos = e.pos = TG_IPOS(1, 1);
    TG_CHECK_INT(tg_importer_entity(imp, &e), TG_OK);
    items[0].u.s = S(g, "Huawei Technologies");
    items[1].type = TG_V_STRING;
    items[1].u.s = S(g, "Huawei");
    prop.v.len = 2;
    e.id_pos = e.pos = TG_IPOS(2, 1);
    TG_CHECK_INT(tg_importer_entity(imp, &e), TG_OK);
    /* a relation to an entity that never comes: skipped and counted */
    memset(&r, 0, sizeof r);
    r.type = S(g, "OWNS");
    r.from = "c1";
    r.from_len = 2;
    r.to = "nobody";
    r.to_len = 6;
    r.pos = TG_IPOS(3, 1);
    TG_CHECK_INT(tg_importer_relation(imp, &r), TG_OK);
    TG_CHECK_INT(tg_importer_end(imp, &c), TG_OK);
    TG_CHECK_INT(c.entities_new, 1);
    TG_CHECK_INT(c.entities_merged, 1);
    TG_CHECK_INT(c.relations_skipped, 1);
    TG_CHECK_INT(tg_graph_relation_count(g), 0);
    v = tg_graph_prop(g, TG_ENTITY, 0, key);
    TG_CHECK(v && v->type == TG_V_LIST && v->len == 2);
    /* the same without fragments: a duplicate id is an error at its line */
    tg_importer_begin(imp, "dup", NULL, &err);
    e.id = "c2";
    e.id_pos = e.pos = TG_IPOS(5, 3);
    TG_CHECK_INT(tg_importer_entity(imp, &e), TG_OK);
    e.id_pos = e.pos = TG_IPOS(9, 4);
    TG_CHECK_INT(tg_importer_entity(imp, &e), TG_EDATA);
    TG_CHECK_INT(err.line, 9);
    TG_CHECK_INT(err.column, 4);
    TG_CHECK(strstr(err.message, "first defined at line 5") != NULL);
    tg_importer_free(imp);
    tg_graph_free(g);
}

/* A deleted relation or entity is not matched by a re-import: the same
 * content comes back as new items. */
static void t_import_after_delete(void)
{
    static const char doc[] = "{\"format\": \"tiegraph/1\", \"entities\": ["
                              "{\"id\": \"a\", \"labels\": [\"X\"]}, {\"id\": \"b\", \"labels\": [\"X\"]}],"
                              "\"relations\": [{\"type\": \"OWNS\", \"from\": \"a\", \"to\": \"b\"},"
                              "{\"type\": \"OWNS\", \"from\": \"a\", \"to\": \"b\", \"id\": \"r1\"}]}";
    tg_graph *g = tg_graph_new();
    tg_importer *imp = NULL;
    tg_load_counts c;
    tg_error err;

    tg_error_clear(&err);
    tg_importer_new(g, &imp, &err);
    TG_CHECK_INT(tg_json_read_buffer(imp, "doc", doc, sizeof doc - 1, 0, &c, &err), TG_OK);
    TG_CHECK_INT(c.relations_new, 2);
    TG_CHECK_INT(tg_graph_delete_relation(g, 0, &err), TG_OK);
    TG_CHECK_INT(tg_graph_delete_relation(g, 1, &err), TG_OK);
    TG_CHECK_INT(tg_json_read_buffer(imp, "doc", doc, sizeof doc - 1, 0, &c, &err), TG_OK);
    TG_CHECK_INT(c.relations_new, 2);
    TG_CHECK_INT(c.relations_same, 0);
    TG_CHECK_INT(tg_graph_live_relation_count(g), 2);
    TG_CHECK_INT(tg_graph_delete_entity(g, 1, 1, &err), TG_OK);
    TG_CHECK_INT(tg_json_read_buffer(imp, "doc", doc, sizeof doc - 1, 0, &c, &err), TG_OK);
    TG_CHECK_INT(c.entities_new, 1);
    TG_CHECK_INT(c.relations_new, 2);
    TG_CHECK_INT(tg_graph_live_entity_count(g), 2);
    TG_CHECK_INT(tg_graph_live_relation_count(g), 2);
    tg_importer_free(imp);
    tg_graph_free(g);
}

/* ---- the format table --------------------------------------------------------------- */

static void t_format_choice(void)
{
    static const struct {
        const char *name, *text, *want;
    } cases[] = {
        {"x.json", "{\"format\": \"tiegraph/1\"}", "json"},
        {"x.jsonl", "{\"entity\": {}}\n", "jsonl"},
        {"x.ndjson", "", "jsonl"},
        {"x.csv", "id:ID,:LABEL\n", "csv"},
        {"x.tsv", "a\tb\n", "csv"},
        {"x.csv", "AidData Record ID,Recommended For Aggregates,Funding Agencies\n", "gcdf"},
        {"x.csv", "company_overseas_infrastructure_id,company_id\n", "aspi"},
        {"noext", "{\"relation\": {}}\n", "jsonl"},
        {"noext", "{\"format\": \"tiegraph/1\"}", "json"},
        {"noext", ":START_ID,:END_ID,:TYPE\n", "csv"},
    };
    size_t i;
    tg_error err;
    const tg_format *f;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path = tg_test_write_file(cases[i].name, cases[i].text, strlen(cases[i].text));
        tg_error_clear(&err);
        TG_CHECK_INT(tg_format_for_reading(path, NULL, &f, &err), TG_OK);
        TG_CHECK_STR(f ? f->name : "(none)", cases[i].want);
    }
    tg_error_clear(&err);
    TG_CHECK_INT(tg_format_for_reading("x", "nosuch", &f, &err), TG_EINVAL);
    TG_CHECK(strstr(err.message, "json, jsonl, csv") != NULL);
    TG_CHECK(tg_format_find("graphml") == NULL || tg_format_find("graphml")->write != NULL);
}

/* ---- round trips ------------------------------------------------------------------------ */

/* Entities and relations with every value type, hostile strings, NaN and
 * the infinities, lists, relation ids, parallel relations, self-loops. */
static tg_graph *hostile(void)
{
    tg_graph *g = tg_graph_new();
    const char *names[] = {"quote \" and , comma", "line\nbreak\r\nand tab\t", "<script>alert(1)</script>",
                           "中国 📷 عربي", "semi;colon|pipe", "", "back\\slash 'single'"};
    tg_ent e[7];
    tg_rel r;
    tg_pval v, it[3];
    size_t i;
    char id[32];

    for (i = 0; i < 7; i++) {
        snprintf(id, sizeof id, "e%zu \"%s\"", i, i % 2 ? "x" : "中");
        tg_graph_add_entity(g, id, strlen(id), &e[i], NULL);
        tg_graph_add_label(g, e[i], S(g, i % 3 ? "Company" : "Lender"), NULL);
        if (i == 2)
            tg_graph_add_label(g, e[i], S(g, "Label With Space"), NULL);
        memset(&v, 0, sizeof v);
        v.type = TG_V_STRING;
        v.u.s = tg_graph_intern(g, names[i], strlen(names[i]));
        tg_graph_set_prop(g, TG_ENTITY, e[i], S(g, "name"), &v, NULL);
        memset(&v, 0, sizeof v);
        v.type = TG_V_FLOAT;
        v.u.f = i == 0 ? NAN : i == 1 ? INFINITY : i == 2 ? -INFINITY : (double)i * 1.5;
        tg_graph_set_prop(g, TG_ENTITY, e[i], S(g, "score"), &v, NULL);
        memset(&v, 0, sizeof v);
        v.type = TG_V_INT;
        v.u.i = i == 3 ? INT64_MIN : i == 4 ? INT64_MAX : (int64_t)i * 1000;
        tg_graph_set_prop(g, TG_ENTITY, e[i], S(g, "year"), &v, NULL);
        memset(&v, 0, sizeof v);
        v.type = TG_V_BOOL;
        v.u.b = (int)(i % 2);
        tg_graph_set_prop(g, TG_ENTITY, e[i], S(g, "flag"), &v, NULL);
    }
    memset(it, 0, sizeof it);
    it[0].type = it[1].type = TG_V_STRING;
    it[0].u.s = S(g, "aspi-2019#47");
    it[1].u.s = S(g, "a \"quoted\", source");
    tg_graph_make_list(g, it, 2, &v, NULL);
    tg_graph_set_prop(g, TG_ENTITY, e[0], S(g, "sources"), &v, NULL);
    it[0].type = it[1].type = it[2].type = TG_V_INT;
    it[0].u.i = 1;
    it[1].u.i = -2;
    it[2].u.i = 3;
    tg_graph_make_list(g, it, 3, &v, NULL);
    tg_graph_set_prop(g, TG_ENTITY, e[1], S(g, "codes"), &v, NULL);
    for (i = 0; i < 7; i++) {
        tg_graph_add_relation(g, e[i], e[(i + 1) % 7], S(g, i % 2 ? "FINANCES" : "OWNS"), &r, NULL);
        memset(&v, 0, sizeof v);
        v.type = TG_V_FLOAT;
        v.u.f = 240000000.0 + (double)i;
        tg_graph_set_prop(g, TG_RELATION, r, S(g, "amount"), &v, NULL);
    }
    tg_graph_add_relation(g, e[3], e[3], S(g, "SELF"), &r, NULL); /* a self-loop */
    tg_graph_add_relation(g, e[0], e[1], S(g, "OWNS"), &r, NULL); /* parallel */
    tg_graph_add_relation(g, e[0], e[1], S(g, "OWNS"), &r, NULL); /* and identical */
    memset(&v, 0, sizeof v);
    v.type = TG_V_STRING;
    v.u.s = S(g, "rel-1");
    tg_graph_set_prop(g, TG_RELATION, r, S(g, "id"), &v, NULL);
    {
        tg_source_field f[2];
        f[0].key = S(g, "title");
        f[0].value = S(g, "Mapping \"China's\" Tech Giants, <2019>");
        f[1].key = S(g, "url");
        f[1].value = S(g, "https://chinatechmap.aspi.org.au/");
        tg_graph_put_source(g, S(g, "aspi-2019"), f, 2, NULL, NULL);
    }
    return g;
}

/* Writes g with format name and reads it back; 1 when equal. */
static int round_trip(const tg_graph *g, const char *name, const char *out)
{
    const tg_format *f = tg_format_find(name);
    tg_graph *back = tg_graph_new();
    tg_importer *imp = NULL;
    tg_error err;
    int eq = 0;

    tg_error_clear(&err);
    if (!f || !f->write || f->write(g, out, NULL, &err) != TG_OK) {
        fprintf(stderr, "%s: write: %s\n", name, err.message);
        goto done;
    }
    tg_importer_new(back, &imp, &err);
    if (!strcmp(name, "csv")) {
        /* the folder's files, in the order import.txt gives */
        static const char *const files[] = {"sources.csv", "entities.csv", "relations.csv"};
        static const tg_csv_role roles[] = {TG_CSV_SOURCES, TG_CSV_NODES, TG_CSV_RELATIONSHIPS};
        size_t i;
        for (i = 0; i < 3; i++) {
            char p[512];
            tg_read_options o;
            memset(&o, 0, sizeof o);
            o.format = "csv";
            o.role = roles[i];
            snprintf(p, sizeof p, "%s/%s", out, files[i]);
            if (tg_format_read(imp, p, &o, NULL, &err) != TG_OK) {
                fprintf(stderr, "%s: read %s: %s:%ld:%ld: %s\n", name, files[i], err.file,
                        err.line, err.column, err.message);
                goto done;
            }
        }
    } else {
        tg_read_options o;
        memset(&o, 0, sizeof o);
        o.format = name;
        if (tg_format_read(imp, out, &o, NULL, &err) != TG_OK) {
            fprintf(stderr, "%s: read: %s:%ld:%ld: %s\n", name, err.file, err.line, err.column,
                    err.message);
            goto done;
        }
    }
    eq = tg_graph_equal(g, back);
done:
    tg_importer_free(imp);
    tg_graph_free(back);
    return eq;
}

static void t_round_trips(void)
{
    tg_graph *g = hostile(), *ex = tg_graph_new();
    tg_error err;
    const tg_format *f;
    size_t n = tg_formats(&f), i;
    char path[512];

    tg_error_clear(&err);
    TG_CHECK_INT(tg_json_load_file(ex, TG_SOURCE_DIR "/examples/aspi-2019/graph.json", &err),
                 TG_OK);
    for (i = 0; i < n; i++) {
        if (!f[i].read || !f[i].write)
            continue;
        tg_test_current = f[i].name;
        snprintf(path, sizeof path, "%s", tg_test_path(f[i].name));
        TG_CHECK(round_trip(g, f[i].name, path));
        snprintf(path, sizeof path, "%s-ex", tg_test_path(f[i].name));
        TG_CHECK(round_trip(ex, f[i].name, path));
    }
    tg_graph_free(g);
    tg_graph_free(ex);
}

int main(void)
{
    TG_RUN(t_csv_rfc4180);
    TG_RUN(t_csv_record_bound);
    TG_RUN(t_truncated_while_read);
    TG_RUN(t_importer_fragments_and_unknown);
    TG_RUN(t_import_after_delete);
    TG_RUN(t_format_choice);
    TG_RUN(t_round_trips);
    return tg_test_finish();
}
