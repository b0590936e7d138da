/* fuzz_json.c — the tiegraph/1 reader on arbitrary bytes: it must return
 * TG_OK or TG_EDATA with a position, never crash, leak or read out of
 * bounds. The first byte picks document or JSON Lines. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "graph.h"
#include "json_loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tg_graph *g = tg_graph_new();
    tg_error err;
    tg_status st;

    if (!g || size == 0) {
        tg_graph_free(g);
        return 0;
    }
    st = tg_json_load_buffer(g, "fuzz", (const char *)data + 1, size - 1, data[0] & 1, &err);
    if (st == TG_EDATA && (err.line < 1 || err.column < 1))
        abort(); /* every data error names a line and a column */
    tg_graph_free(g);
    return 0;
}
