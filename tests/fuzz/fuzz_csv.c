/* fuzz_csv.c — the CSV readers on arbitrary bytes: with Neo4j headers as
 * nodes or as relationships (after a few entities), through a mapping that
 * uses every kind of value (each, template, part, html, map, slug, types,
 * conditions), and as GCDF. The first byte picks the reader. Each must
 * return TG_OK or TG_EDATA with a line and a column, never crash, leak or
 * read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "graph.h"
#include "importer.h"
#include "json_loader.h"
#include "memfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char mapping[] =
    "{\"format\": \"tiegraph-mapping/1\",\n"
    " \"sources\": [{\"id\": \"s\", \"title\": \"t\"}],\n"
    " \"cite\": [{\"source\": {\"value\": \"s\"}, \"fragment\": {\"column\": \"a\", \"optional\": true}},\n"
    "          {\"each\": {\"column\": \"b\", \"split\": \"|\", \"optional\": true}, \"source\": {\"var\": \"value\"},\n"
    "           \"fields\": {\"url\": {\"var\": \"value\"}}}],\n"
    " \"entities\": [\n"
    "  {\"name\": \"x\", \"id\": {\"template\": \"x-{a}\", \"slug\": true, \"optional\": true}, \"labels\": [\"X\", {\"column\": \"c\", \"map\": {\"1\": \"One\"}, \"default\": \"\", \"optional\": true}],\n"
    "   \"properties\": {\"n\": {\"column\": \"b\", \"part\": 2, \"optional\": true}, \"h\": {\"column\": \"c\", \"html\": true, \"optional\": true},\n"
    "                  \"i\": {\"column\": \"a\", \"type\": \"int\", \"when\": {\"column\": \"a\", \"equals\": \"7\"}, \"optional\": true},\n"
    "                  \"l\": {\"column\": \"c\", \"type\": \"float[]\", \"split\": \";\", \"when\": {\"column\": \"c\", \"equals\": \"1;2\"}, \"optional\": true}}},\n"
    "  {\"name\": \"y\", \"each\": {\"column\": \"b\", \"split\": \"|\", \"as\": \"v\", \"with\": {\"w\": {\"column\": \"c\", \"optional\": true}}, \"optional\": true},\n"
    "   \"id\": {\"var\": \"v\", \"slug\": true, \"prefix\": \"y-\"}, \"labels\": [{\"var\": \"w\", \"default\": \"Y\"}]}],\n"
    " \"relations\": [{\"type\": \"R\", \"from\": \"x\", \"to\": \"y\", \"when\": {\"count\": [\"y\"], \"equals\": 1},\n"
    "                 \"properties\": {\"k\": {\"template\": \"{from.v}{to.v}\"}}}]}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tg_graph *g;
    tg_importer *imp = NULL;
    tg_read_options o;
    tg_error err;
    tg_status st;
    char path[64], mpath[64];
    int fd, mfd = -1, mode;

    if (size == 0)
        return 0;
    mode = data[0] & 3;
    g = tg_graph_new();
    if (!g || tg_importer_new(g, &imp, &err) != TG_OK) {
        tg_graph_free(g);
        return 0;
    }
    fd = tg_fuzz_memfile(data + 1, size - 1, "csv", path);
    memset(&o, 0, sizeof o);
    o.format = "csv";
    if (mode == 0) {
        o.role = TG_CSV_NODES;
    } else if (mode == 1) {
        static const char nodes[] = "{\"format\": \"tiegraph/1\", \"entities\": ["
                                    "{\"id\": \"a\", \"labels\": [\"X\"]}, {\"id\": \"b\", \"labels\": [\"X\"]}]}";
        tg_json_read_buffer(imp, "nodes", nodes, sizeof nodes - 1, 0, NULL, &err);
        o.role = TG_CSV_RELATIONSHIPS;
        o.type = "T";
    } else if (mode == 2) {
        mfd = tg_fuzz_memfile(mapping, sizeof mapping - 1, "map", mpath);
        o.map = mpath;
    } else {
        o.format = "gcdf";
    }
    if (fd >= 0) {
        tg_error_clear(&err);
        st = tg_format_read(imp, path, &o, NULL, &err);
        if (st == TG_EDATA && (err.line < 1 || err.column < 1))
            abort(); /* every data error names a line and a column */
        if (st != TG_OK && st != TG_EDATA && st != TG_ENOMEM)
            abort();
        close(fd);
    }
    if (mfd >= 0)
        close(mfd);
    tg_importer_free(imp);
    tg_graph_free(g);
    return 0;
}
