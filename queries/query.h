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

/* Counters of what a statement changed (the TCK's side effects). */
typedef struct tg_query_effects {
    long nodes_created;
    long relationships_created;
    long labels_added;
    long properties_set;     /* values written (a replaced value also counts removed) */
    long properties_removed; /* values removed or replaced */
} tg_query_effects;

/* Timings of the last run, in seconds. */
typedef struct tg_query_timing {
    double parse_plan; /* lexing, parsing, binding, planning */
    double execute;    /* pulling every row */
} tg_query_timing;

/* Parses, plans and runs one statement of text[0..len). On success *out
 * holds the whole result (owned). On failure err has the kind (TG_ESYNTAX,
 * TG_ESEMANTIC at compile time; TG_ETYPE, TG_EARG, TG_ERUNTIME at run time),
 * the 1-based line and column in the text (plus opt->line_offset), and a
 * message. opts and params may be NULL. */
tg_status tg_query_run(tg_graph *g, const char *text, size_t len, const tg_params *params,
                       const tg_query_options *opts, tg_result **out, tg_error *err);

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
