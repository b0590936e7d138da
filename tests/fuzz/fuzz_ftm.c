/* fuzz_ftm.c — the FollowTheMoney reader on arbitrary bytes, read as a file
 * (--format ftm), into an empty graph or, when the first byte is odd, into a
 * graph that already holds a few entities and relations (so that fragments
 * merge with existing items). It must return TG_OK or TG_EDATA with a line
 * and a column (or TG_ENOMEM), never crash, leak or read out of bounds, and
 * the graph must stay readable. */
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

static size_t skipped;

static void on_skip(void *ctx, const char *file, long line, long column, const char *id,
                    size_t id_len, const char *type)
{
    (void)ctx;
    (void)id;
    (void)type;
    if (!file || line < 1 || column < 1 || id_len == 0)
        abort(); /* a skipped reference names where it was and what */
    skipped++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char seed[] =
        "{\"format\": \"tiegraph/1\", \"entities\": ["
        "{\"id\": \"a\", \"labels\": [\"Person\"], \"name\": [\"A\"]},"
        "{\"id\": \"b\", \"labels\": [\"Company\"]}],"
        "\"relations\": [{\"id\": \"o1\", \"type\": \"OWNS\", \"from\": \"a\", \"to\": \"b\"}]}";
    tg_graph *g;
    tg_importer *imp = NULL;
    tg_read_options o;
    tg_error err;
    tg_status st;
    char path[64];
    int fd;
    size_t i;

    if (size == 0)
        return 0;
    g = tg_graph_new();
    if (!g || tg_importer_new(g, &imp, &err) != TG_OK) {
        tg_graph_free(g);
        return 0;
    }
    if (data[0] & 1)
        tg_json_read_buffer(imp, "seed", seed, sizeof seed - 1, 0, NULL, &err);
    fd = tg_fuzz_memfile(data + 1, size - 1, "ftm", path);
    if (fd >= 0) {
        memset(&o, 0, sizeof o);
        o.format = "ftm";
        o.on_skip = on_skip;
        tg_error_clear(&err);
        st = tg_format_read(imp, path, &o, NULL, &err);
        if (st == TG_EDATA && (err.line < 1 || err.column < 1))
            abort(); /* every data error names a line and a column */
        if (st != TG_OK && st != TG_EDATA && st != TG_ENOMEM)
            abort();
        close(fd);
    }
    /* whatever was applied is a readable graph */
    for (i = 0; i < tg_graph_relation_count(g); i++)
        if (tg_graph_rel_from(g, (tg_rel)i) >= tg_graph_entity_count(g))
            abort();
    tg_importer_free(imp);
    tg_graph_free(g);
    return 0;
}
