/* fuzz_graphml.c — the GraphML reader on arbitrary bytes (a file, through
 * the reader's real input path): it must return TG_OK, or TG_EDATA naming a
 * line and a column, never crash, leak or read out of bounds. The first byte
 * picks the setting: bit 0 loads two entities first (so merges and edges to
 * existing nodes are reached), bit 1 bounds a value to 16 bytes; after a
 * successful read the graph is written back as GraphML and GEXF and the
 * GraphML read again (the writers must cope with whatever the reader let
 * in, and what they write must read back). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats.h"
#include "graph.h"
#include "importer.h"
#include "json_loader.h"
#include "memfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tg_status read_graphml(tg_graph *g, const char *path, size_t max_record, tg_error *err)
{
    tg_importer *imp = NULL;
    tg_read_options o;
    tg_status st;

    memset(&o, 0, sizeof o);
    o.format = "graphml";
    o.max_record = max_record;
    tg_error_clear(err);
    st = tg_importer_new(g, &imp, err);
    if (st == TG_OK)
        st = tg_format_read(imp, path, &o, NULL, err);
    tg_importer_free(imp);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tg_graph *g;
    tg_error err;
    tg_status st;
    char path[64];
    int fd;

    if (size == 0)
        return 0;
    g = tg_graph_new();
    if (!g)
        return 0;
    if (data[0] & 1) {
        static const char two[] = "{\"format\": \"tiegraph/1\", \"entities\": ["
                                  "{\"id\": \"a\", \"labels\": [\"X\"]}, {\"id\": \"n0\", \"labels\": [\"Y\"]}]}";
        tg_json_load_buffer(g, "two", two, sizeof two - 1, 0, &err);
    }
    fd = tg_fuzz_memfile(data + 1, size - 1, "graphml", path);
    if (fd < 0) {
        tg_graph_free(g);
        return 0;
    }
    st = read_graphml(g, path, data[0] & 2 ? 16 : 0, &err);
    close(fd);
    if (st == TG_EDATA && (err.line < 1 || err.column < 1))
        abort(); /* every data error names a line and a column */
    if (st != TG_OK && st != TG_EDATA && st != TG_ENOMEM)
        abort();
    if (st == TG_OK) {
        char out[64];
        const tg_format *gml = tg_format_find("graphml"), *gexf = tg_format_find("gexf");
        tg_graph *back = tg_graph_new();
        snprintf(out, sizeof out, "/tmp/tg-fuzz-graphml-%d.graphml", (int)getpid());
        if (gexf->write(g, out, NULL, &err) != TG_OK)
            abort();
        if (gml->write(g, out, NULL, &err) != TG_OK)
            abort();
        /* what the writer wrote reads back (the same graph, but for control
         * characters, which XML cannot hold and become U+FFFD) */
        if (back && read_graphml(back, out, 0, &err) != TG_OK) {
            fprintf(stderr, "written GraphML does not read back: %ld:%ld %s\n", err.line,
                    err.column, err.message);
            abort();
        }
        unlink(out);
        tg_graph_free(back);
    }
    tg_graph_free(g);
    return 0;
}
