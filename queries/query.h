/* query.h — the public face of the query language (queries/).
 *
 * One call prepares and runs one statement over a graph; the result is a
 * table of values that the caller formats. Scripts (several statements,
 * comments, client directives) are split by tg_script_* in script.h.
 *
 * Ownership: tg_result and tg_params are owned by the caller (free with
 * their _free function, which accepts NULL). The graph is borrowed; a
 * statement with CREATE mutates it.
 */
#ifndef TG_QUERY_H
#define TG_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"
#include "tg_error.h"

typedef struct tg_params tg_params;
typedef struct tg_result tg_result;

/* ---- parameters ------------------------------------------------------ */

tg_params *tg_params_new(void);
void tg_params_free(tg_params *p);
/* A copy of p (owned: tg_params_free); an empty set when p is NULL; NULL
 * when out of memory. O(size of the values). */
tg_params *tg_params_copy(const tg_params *p);

/* Sets $name from text: a literal of the query language when text is one
 * (42, 1.5, 'x', [1, 2], {a: 1}, true, null), otherwise the plain string
 * text (as DESIGN.md says of --param). */
tg_status tg_params_set_text(tg_params *p, const char *name, const char *text, tg_error *err);

/* Sets $name from a literal that must parse (the TCK's `parameters are`
 * table); TG_ESYNTAX otherwise. */
tg_status tg_params_set_literal(tg_params *p, const char *name, const char *literal,
                                tg_error *err);

/* ---- running ---------------------------------------------------------- */

/* LOAD CSV reads files through a hook the caller provides: the query layer
 * opens no file itself (cli/ wires in the CSV reader of loaders/csv_reader.h, the
 * same that `tiegraph import` uses). A cell is the bytes of one field and
 * whether it was quoted: an empty unquoted cell reads as null, "" as the
 * empty string. */
typedef struct tg_csv_cell {
    const char *p;
    size_t len;
    int quoted;
} tg_csv_cell;

typedef struct tg_csv_rows tg_csv_rows; /* the hook's own */

typedef struct tg_load_csv_hook {
    /* Opens the file url[0..len) names ("file:///abs/x.csv", "file:x.csv" or a
     * path) with this field delimiter; NULL with err set (TG_ENOENT, TG_EDATA)
     * on failure. */
    tg_csv_rows *(*open)(void *ctx, const char *url, size_t len, char delim, tg_error *err);
    /* The next row into *cells (n of them, borrowed until the next call):
     * 1, 0 at the end, -1 with err set (file, line, column). */
    int (*next)(tg_csv_rows *rows, const tg_csv_cell **cells, size_t *n, tg_error *err);
    void (*close)(tg_csv_rows *rows); /* accepts NULL */
    void *ctx;
} tg_load_csv_hook;

typedef struct tg_query_options {
    double timeout_seconds;   /* 0: no limit */
    uint64_t max_expansions;  /* 0: the default cap (see docs/query-language.md) */
    const char *file;         /* for error messages; NULL: "<query>" */
    long line_offset;         /* the statement's first line in its file, minus 1 */
    const tg_load_csv_hook *load_csv; /* NULL: LOAD CSV is refused */
    const char *now; /* fixes the clock of date(), datetime(), ... (ISO 8601 date or
                        date-time, borrowed); NULL: the system clock */
} tg_query_options;

/* What a statement changed, as the openCypher TCK counts its side effects:
 * the graph after the statement compared with the graph before it. */
typedef struct tg_query_effects {
    long nodes_created;
    long relationships_created;
    long labels_added;       /* label names in use after and not before */
    long properties_set;     /* properties with a new value (absent before, or another) */
    long properties_removed; /* properties whose value before is gone (removed or replaced) */
    long nodes_deleted;
    long relationships_deleted;
    long labels_removed;     /* label names in use before and not after */
} tg_query_effects;

/* Timings of the last run, in seconds. */
typedef struct tg_query_timing {
    double parse_plan; /* lexing, parsing, binding, planning */
    double execute;    /* pulling every row */
} tg_query_timing;

/* Prepares and runs one statement of text[0..len). On success *out
 * holds the whole result (owned). On failure err has the kind (TG_ESYNTAX,
 * TG_ESEMANTIC at compile time; TG_ETYPE, TG_EARG, TG_ERUNTIME at run time),
 * the 1-based line and column in the text (plus opt->line_offset), and a
 * message. opts and params may be NULL. */
tg_status tg_query_run(tg_graph *g, const char *text, size_t len, const tg_params *params,
                       const tg_query_options *opts, tg_result **out, tg_error *err);

/* A statement parsed, bound and planned but not run yet (opaque). */
typedef struct tg_query tg_query;

/* Prepares one statement of text[0..len) over g: parses, binds and plans it,
 * so that every compile-time error (TG_ESYNTAX, TG_ESEMANTIC, a TypeError the
 * binder finds) is reported before anything runs. opts->timeout_seconds
 * starts counting here: parsing and planning count against it. On success
 * *out is owned (tg_query_execute or tg_query_free); params are copied into
 * it, so they may change or be freed afterwards. The graph is borrowed and
 * must outlive the query and its result. Errors as tg_query_run. */
tg_status tg_query_prepare(tg_graph *g, const char *text, size_t len, const tg_params *params,
                           const tg_query_options *opts, tg_query **out, tg_error *err);

/* Runs a prepared statement and takes it (q is freed whatever happens). On
 * success *out holds the whole result (owned). Run-time errors: TG_ETYPE,
 * TG_EARG, TG_ERUNTIME (guards), TG_ENOMEM. */
tg_status tg_query_execute(tg_query *q, tg_result **out, tg_error *err);

/* Releases a prepared statement that was not executed. Accepts NULL. */
void tg_query_free(tg_query *q);

/* Whether the failure recorded in err was detected before execution began
 * (compile time) as opposed to at run time. */
int tg_query_error_is_compile_time(const tg_error *err);

/* ---- results ---------------------------------------------------------- */

void tg_result_free(tg_result *r);

size_t tg_result_column_count(const tg_result *r);
const char *tg_result_column_name(const tg_result *r, size_t col); /* borrowed */
size_t tg_result_row_count(const tg_result *r);
const tg_query_effects *tg_result_effects(const tg_result *r);
const tg_query_timing *tg_result_timing(const tg_result *r);

/* Warnings the statement raised without failing, as Neo4j's notifications:
 * a label, relationship type or property key that the graph does not have
 * (with the nearest one it has: "did you mean"). Each is a record with file,
 * line, column and message (status TG_OK), borrowed until tg_result_free. */
size_t tg_result_warning_count(const tg_result *r);
const tg_error *tg_result_warning(const tg_result *r, size_t i);

/* How a cell is written. */
typedef enum tg_cell_format {
    TG_CELL_TEXT, /* for tables: strings bare, nodes (:Label {id: 'x', name: ...}) */
    TG_CELL_TCK,  /* the TCK's notation: 'str', 1.0, (:A {p: 1}), [:T {p: 1}], <(:A)-[:T]->(:B)> */
    TG_CELL_JSON  /* DESIGN.md's JSON encoding of values, nodes, relations, paths */
} tg_cell_format;

/* Writes the cell at (row, col) in the given format as a NUL-terminated
 * string; returns it owned (free with free()), NULL when out of memory. */
char *tg_result_cell_format(const tg_result *r, size_t row, size_t col, tg_cell_format fmt);

/* ---- raw values (added by the executor, for the diagram module) -------- */

typedef struct tg_value tg_value; /* value.h */

/* The value at (row, col), borrowed (valid until tg_result_free), NULL when
 * out of range. Read it with value.h. */
const tg_value *tg_result_value(const tg_result *r, size_t row, size_t col);

/* The graph the result's nodes and relations belong to (borrowed). */
const tg_graph *tg_result_graph(const tg_result *r);

#endif
