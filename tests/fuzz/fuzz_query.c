/* fuzz_query.c — the whole query pipeline (lexer, parser, binder, planner,
 * operators) on arbitrary text over a small graph, with tight guards so a
 * runaway query ends quickly. Errors are fine; crashes and leaks are not. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "json_loader.h"
#include "query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char seed_graph[] =
    "{\"format\": \"tiegraph/1\", \"entities\": ["
    "{\"id\": \"a\", \"labels\": [\"Company\"], \"name\": \"A\", \"n\": 1},"
    "{\"id\": \"b\", \"labels\": [\"Government\"], \"name\": \"B\", \"tags\": [\"x\", \"y\"]},"
    "{\"id\": \"c\", \"labels\": [\"Project\", \"X\"], \"amount\": 2.5}],"
    "\"relations\": [{\"type\": \"FINANCES\", \"from\": \"a\", \"to\": \"b\", \"year\": 2011},"
    "{\"type\": \"BUILDS\", \"from\": \"b\", \"to\": \"c\"},"
    "{\"type\": \"OWNS\", \"from\": \"c\", \"to\": \"c\"}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tg_graph *g = tg_graph_new();
    tg_result *r = NULL;
    tg_query_options opts;
    tg_error err;

    if (!g || tg_json_load_buffer(g, "seed", seed_graph, strlen(seed_graph), 0, &err) != TG_OK)
        abort();
    memset(&opts, 0, sizeof opts);
    opts.max_expansions = 10000;
    opts.timeout_seconds = 1.0;
    if (tg_query_run(g, (const char *)data, size, NULL, &opts, &r, &err) == TG_OK) {
        size_t i, j;
        for (i = 0; i < tg_result_row_count(r) && i < 50; i++)
            for (j = 0; j < tg_result_column_count(r); j++) {
                free(tg_result_cell_format(r, i, j, TG_CELL_TEXT));
                free(tg_result_cell_format(r, i, j, TG_CELL_JSON));
            }
    } else if (err.line < 0 || err.column < 0) {
        abort();
    }
    tg_result_free(r);
    tg_graph_free(g);
    return 0;
}
