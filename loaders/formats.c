/* formats.c — the table of data formats (formats.h) and the choice of a
 * format for a file: the name given, else the extension, else the content.
 */
#include "formats.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input.h"
#include "readers.h"

/* clang-format off */
static const tg_format table[] = {
    {"json",    ".json",              "tiegraph/1 JSON document",
     tg_i_sniff_json_document, tg_i_read_json_document, tg_i_write_json},
    {"jsonl",   ".jsonl .ndjson",     "tiegraph/1 JSON Lines, one record a line",
     tg_i_sniff_jsonl, tg_i_read_jsonl, tg_i_write_jsonl},
    {"csv",     ".csv .tsv",          "CSV with Neo4j bulk-import headers (export: a folder), or any CSV with --map",
     tg_i_sniff_csv, tg_i_read_csv, tg_i_write_csv},
    {"gcdf",    "",                   "AidData GCDF 3.0 project CSV (built-in mapping)",
     tg_i_sniff_gcdf, tg_i_read_gcdf, NULL},
    {"aspi",    "",                   "ASPI China tech map export CSV (built-in mapping)",
     tg_i_sniff_aspi, tg_i_read_aspi, NULL},
    {"ftm",     ".ftm.json .ijson",   "FollowTheMoney entities, one JSON object a line (OpenSanctions, Aleph)",
     tg_i_sniff_ftm, tg_i_read_ftm, NULL},
    {"graphml", ".graphml",           "GraphML with typed keys (Gephi, yEd, NetworkX, igraph, Neo4j APOC)",
     tg_i_sniff_graphml, tg_i_read_graphml, tg_i_write_graphml},
    {"gexf",    ".gexf",              "GEXF 1.3 for Gephi",
     NULL, NULL, tg_i_write_gexf},
    {"cypher",  ".cypher .cql",       "a Cypher script of batched UNWIND ... CREATE for Neo4j 5 (cypher-shell)",
     NULL, NULL, tg_i_write_cypher},
    {"cypher-memgraph", "",           "the same for Memgraph (mgconsole)",
     NULL, NULL, tg_i_write_cypher_memgraph},
};
/* clang-format on */

#define NFORMATS (sizeof table / sizeof table[0])

size_t tg_formats(const tg_format **out)
{
    *out = table;
    return NFORMATS;
}

const tg_format *tg_format_find(const char *name)
{
    size_t i;

    for (i = 0; name && i < NFORMATS; i++)
        if (strcasecmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}

const char *tg_format_names(int writers)
{
    static char names[2][256];
    char *b = names[writers != 0];
    size_t i, o = 0;

    if (b[0])
        return b;
    for (i = 0; i < NFORMATS; i++) {
        if (writers ? !table[i].write : !table[i].read)
            continue;
        o += (size_t)snprintf(b + o, sizeof names[0] - o, "%s%s", o ? ", " : "", table[i].name);
    }
    return b;
}

/* Whether path ends with one of the space-separated extensions in exts
 * (case-insensitive). Longer matches win through the table's order. */
static size_t ext_match(const char *path, const char *exts)
{
    size_t plen = strlen(path), best = 0;
    const char *e = exts;

    while (*e) {
        size_t n = strcspn(e, " ");
        if (n && n < plen && strncasecmp(path + plen - n, e, n) == 0 && n > best)
            best = n;
        e += n;
        while (*e == ' ')
            e++;
    }
    return best;
}

tg_status tg_format_for_reading(const char *path, const char *name, const tg_format **out,
                                tg_error *err)
{
    const tg_format *by_ext = NULL, *by_content = NULL;
    size_t i, best_len = 0;
    int best_score = 0, ext_score = 0;
    const char *slash = strrchr(path, '/');
    tg_input in;
    const char *head;
    size_t n;
    tg_status st;

    *out = NULL;
    if (name) {
        const tg_format *f = tg_format_find(name);
        if (!f || !f->read)
            return tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                                "unknown input format \"%s\"; expected one of %s", name,
                                tg_format_names(0));
        *out = f;
        return TG_OK;
    }
    for (i = 0; i < NFORMATS; i++) {
        size_t m;
        if (!table[i].read)
            continue;
        m = ext_match(slash ? slash + 1 : path, table[i].extensions);
        if (m > best_len) {
            best_len = m;
            by_ext = &table[i];
        }
    }
    /* a format tiegraph only writes (a Cypher script, GEXF) is named as
     * such, not read as whatever its content resembles */
    for (i = 0; !by_ext && i < NFORMATS; i++)
        if (!table[i].read && ext_match(slash ? slash + 1 : path, table[i].extensions))
            return tg_error_set(err, TG_EDATA, path, 1, 1,
                                "named like a %s file (%s): a format tiegraph writes but "
                                "does not read; expected one of %s (say which with --format)",
                                table[i].name, table[i].summary, tg_format_names(0));
    /* the content: a sure sniff (a GCDF header in a .csv, FtM lines in a
     * .json) wins over an extension whose format does not recognise it */
    if ((st = tg_i_input_open(&in, path, 0, err)) != TG_OK)
        return st;
    n = tg_i_input_peek(&in, &head, (size_t)64 * 1024, err);
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) {
        head += 3;
        n -= 3;
    }
    for (i = 0; i < NFORMATS; i++) {
        int s = table[i].read && table[i].sniff ? table[i].sniff(head, n) : 0;
        if (&table[i] == by_ext)
            ext_score = s;
        if (s > best_score) {
            best_score = s;
            by_content = &table[i];
        }
    }
    tg_i_input_close(&in);
    if (err && err->status != TG_OK)
        return err->status;
    if (by_ext && (ext_score >= 50 || best_score < 90 || n == 0)) {
        *out = by_ext;
        return TG_OK;
    }
    if (!by_content)
        return tg_error_set(err, TG_EDATA, path, 1, 1,
                            "cannot tell the format of \"%s\" from its name or content; "
                            "expected one of %s (say which with --format)",
                            path, tg_format_names(0));
    *out = by_content;
    return TG_OK;
}

tg_status tg_format_read(tg_importer *imp, const char *path, const tg_read_options *o,
                         tg_load_counts *counts, tg_error *err)
{
    const tg_format *f;
    tg_status st = tg_format_for_reading(path, o ? o->format : NULL, &f, err);

    if (st != TG_OK)
        return st;
    return f->read(imp, path, o, counts, err);
}
