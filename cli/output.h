/* output.h — how `tiegraph query`, `report` and `shell` write results:
 * table, CSV, TSV, JSON and markdown; text that is safe on a terminal.
 *
 * Cells are written from the result's values (never from NUL-terminated
 * copies), so a string holding a NUL byte is written whole: escaped as \0
 * in tables, markdown and TSV, as \u0000 in JSON, as the byte itself inside
 * a quoted CSV field. Null is `null` in tables and markdown, an empty cell
 * in CSV and TSV; the string 'null' is written 'null' (quoted) in tables
 * and markdown and null in CSV/TSV, so the two never look alike. Nodes,
 * relations and paths print readably in tables and markdown:
 * `(:Lender China Exim Bank)`, `China Exim Bank -[FINANCES]-> Government of
 * Ecuador`.
 */
#ifndef TG_CLI_OUTPUT_H
#define TG_CLI_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "query.h"

typedef enum tg_out_format {
    TG_OUT_TABLE,
    TG_OUT_CSV,
    TG_OUT_TSV,
    TG_OUT_JSON,
    TG_OUT_MARKDOWN
} tg_out_format;

typedef struct tg_out_options {
    tg_out_format format;
    size_t width; /* tables: cut cells with an ellipsis to fit this many columns; 0: no limit */
    int terminal; /* the output is a terminal: CSV and TSV escape control characters too
                     (tables always do; files and pipes get CSV/TSV byte for byte) */
} tg_out_options;

/* The format named `name` into *out; -1 when unknown. */
int tg_out_format_parse(const char *name, tg_out_format *out);
/* The file extension for a format ("txt", "csv", "tsv", "json", "md"). */
const char *tg_out_extension(tg_out_format f);

/* The width of the terminal f writes to, or 0 when f is not a terminal. */
size_t tg_out_terminal_width(FILE *f);

/* Writes the result; index > 0 puts a blank line before a table. */
void tg_out_write_result(FILE *f, const tg_result *r, const tg_out_options *o, size_t index);

/* Writes "(created ...)" after a table when the statement changed the graph. */
void tg_out_write_effects(FILE *f, const tg_result *r);

/* Writes s[0..n) with control characters (ESC, BEL, NUL, DEL, C1),
 * bidirectional overrides and invalid UTF-8 escaped as \xHH / \u{HHHH}, so
 * that no data can drive the terminal. Line breaks and tabs become \n, \t
 * unless keep_breaks. */
void tg_out_safe_write(FILE *f, const char *s, size_t n, int keep_breaks);

/* s[0..n) escaped as tg_out_safe_write does, as a string (owned: free());
 * *width (may be NULL) gets its display width. NULL when out of memory. */
char *tg_out_safe_text(const char *s, size_t n, size_t *width);

/* The text form of a value for a table cell (readable entities, strings
 * bare at the top level), escaped for a terminal; returns owned (free()),
 * NULL when out of memory. *width gets its display width. */
char *tg_out_cell_text(const tg_graph *g, const tg_value *v, size_t *width);

#endif
