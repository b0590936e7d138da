/* formats.h — the one table of data formats: name, extensions, content
 * sniffing, reader and writer.
 *
 * `tiegraph import`, `query --in` and `export` all go through this table, so
 * a new format is one entry here (and its reader/writer file), not edits in
 * three commands. docs/formats.md describes every format.
 *
 * Ownership: every pointer argument is borrowed for the duration of the
 * call; the table and its entries are static.
 */
#ifndef TG_FORMATS_H
#define TG_FORMATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "graph.h"
#include "importer.h"
#include "tg_error.h"

/* Progress of a long read: fn gets the bytes read so far and the file's
 * size (0 when unknown), now and then and once at the end. */
typedef struct tg_read_progress {
    void (*fn)(void *ctx, uint64_t done, uint64_t total);
    void *ctx;
} tg_read_progress;

/* What a CSV file holds when its role is given on the command line
 * (`--nodes`, `--relationships`, `--sources`); TG_CSV_AUTO decides from the
 * header. */
typedef enum tg_csv_role {
    TG_CSV_AUTO = 0,
    TG_CSV_NODES,
    TG_CSV_RELATIONSHIPS,
    TG_CSV_SOURCES
} tg_csv_role;

/* Options of one read. Zero-initialise for the defaults. */
typedef struct tg_read_options {
    const char *format;        /* a table name; NULL: from the extension or the content */
    size_t max_record;         /* 0: TG_MAX_RECORD_DEFAULT (see input.h) */
    char delimiter;            /* CSV field delimiter; 0: ',' (tab for .tsv) */
    char array_delimiter;      /* CSV list delimiter; 0: ';' */
    const char *map;           /* CSV: a mapping file (tiegraph-mapping/1) */
    tg_csv_role role;          /* CSV with Neo4j headers */
    const char *labels;        /* CSV nodes: labels for every row ("A:B"), from --nodes A:B=F */
    const char *type;          /* CSV relationships: type for every row, from --relationships T=F */
    const char *header;        /* CSV: a separate header file (Neo4j's header,part1,part2) */
    tg_import_skip_fn on_skip; /* FtM: unknown references (may be NULL) */
    void *skip_ctx;
    const tg_read_progress *progress; /* may be NULL */
} tg_read_options;

/* A subset of a graph to export: bit i of ents / rels (word i / 64) selects
 * entity / relation i. NULL arrays select every live item. A selected
 * relation brings its endpoints along. */
typedef struct tg_selection {
    const uint64_t *ents;
    const uint64_t *rels;
} tg_selection;

typedef struct tg_write_options {
    const tg_selection *sel; /* NULL: the whole graph */
    char array_delimiter;    /* CSV: 0 picks one no value contains (';' when it can) */
    size_t batch;            /* cypher: rows per UNWIND statement; 0: 1000 */
    int dialect;             /* cypher: 0 Neo4j 5, 1 Memgraph (index syntax) */
} tg_write_options;

/* Reads path into imp (tg_importer_begin .. tg_importer_end inside);
 * counts may be NULL. */
typedef tg_status (*tg_format_read_fn)(tg_importer *imp, const char *path,
                                       const tg_read_options *o, tg_load_counts *counts,
                                       tg_error *err);

/* Writes g (or o->sel of it) to out: a file, or for formats made of several
 * files (csv) a folder, created when missing. */
typedef tg_status (*tg_format_write_fn)(const tg_graph *g, const char *out,
                                        const tg_write_options *o, tg_error *err);

/* Scores head[0..n) (the start of a file, after any BOM): 0 not this
 * format, higher is surer. */
typedef int (*tg_format_sniff_fn)(const char *head, size_t n);

typedef struct tg_format {
    const char *name;       /* "json", "jsonl", "csv", "ftm", "gcdf", "aspi", "graphml", ... */
    const char *extensions; /* space-separated, with dots: ".json" */
    const char *summary;    /* one line for --help */
    tg_format_sniff_fn sniff; /* NULL: never chosen by content */
    tg_format_read_fn read;   /* NULL: export only */
    tg_format_write_fn write; /* NULL: import only */
} tg_format;

/* The table: *out points at n entries. */
size_t tg_formats(const tg_format **out);

/* The format named name, or NULL. */
const tg_format *tg_format_find(const char *name);

/* The format of path for reading: opts->format when given (TG_EINVAL when
 * unknown or not readable), else the extension, else the content (the first
 * 64 KiB). Errors: TG_EINVAL (no reader for that name), TG_ENOENT (cannot
 * read), TG_EDATA (nothing recognised: the message lists the formats). */
tg_status tg_format_for_reading(const char *path, const char *name, const tg_format **out,
                                tg_error *err);

/* Reads path with the format chosen by tg_format_for_reading. */
tg_status tg_format_read(tg_importer *imp, const char *path, const tg_read_options *o,
                         tg_load_counts *counts, tg_error *err);

/* A comma-separated list of the formats that can read (or write), for
 * messages and --help ("json, jsonl, csv, ..."). Static storage. */
const char *tg_format_names(int writers);

#endif
