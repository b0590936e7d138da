/* fuzz_mapping.c — arbitrary bytes as a mapping file (tiegraph-mapping/1)
 * over a fixed CSV with hard cells (a split list with a parallel column, an
 * "id | name" cell, HTML, empty cells). The reader must accept the mapping or
 * reject it with TG_EDATA naming a line and a column, never crash, leak or
 * read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "graph.h"
#include "importer.h"
#include "memfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char csv[] = "id,name,agencies,types,company,text,amount\n"
                          "1,Alpha,Exim|CDB|,Bank|,1 | Huawei,<p>a &amp; b</p>,1.5\n"
                          "2,\"Be\"\"ta\",,,2 | ZTE,,\n"
                          "3,\"multi\nline\",Exim|Exim,Bank|Bank,x,&#8220;q&#8221;,7\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tg_graph *g = tg_graph_new();
    tg_importer *imp = NULL;
    tg_read_options o;
    tg_error err;
    tg_status st;
    char path[64], mpath[64];
    int fd, mfd;

    if (!g || tg_importer_new(g, &imp, &err) != TG_OK) {
        tg_graph_free(g);
        return 0;
    }
    fd = tg_fuzz_memfile(csv, sizeof csv - 1, "csv", path);
    mfd = tg_fuzz_memfile(data, size, "map", mpath);
    if (fd >= 0 && mfd >= 0) {
        memset(&o, 0, sizeof o);
        o.format = "csv";
        o.map = mpath;
        tg_error_clear(&err);
        st = tg_format_read(imp, path, &o, NULL, &err);
        if (st == TG_EDATA && (err.line < 1 || err.column < 1))
            abort();
        if (st != TG_OK && st != TG_EDATA && st != TG_ENOMEM)
            abort();
    }
    if (fd >= 0)
        close(fd);
    if (mfd >= 0)
        close(mfd);
    tg_importer_free(imp);
    tg_graph_free(g);
    return 0;
}
