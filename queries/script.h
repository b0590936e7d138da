/* script.h — splitting a query script into statements and client directives.
 *
 * A script holds statements separated by ';' (a ';' inside a string, a
 * comment or a backquoted name does not count), line comments (//) and block
 * comments (slash-star ... star-slash),
 * blank lines, and directives on their own line in the cypher-shell style:
 *   :param name => value
 *   :render PATH key=value key="quoted value" ...
 * A trailing statement without ';' counts. Comment-only or blank stretches
 * between ';' are not statements. Splitting does not parse statements.
 */
#ifndef TG_SCRIPT_H
#define TG_SCRIPT_H

#include <stddef.h>

#include "query.h"
#include "tg_error.h"

typedef enum tg_script_item_kind {
    TG_SCRIPT_STATEMENT, /* text: the statement without its ';' */
    TG_SCRIPT_PARAM,     /* name, value: `:param name => value` */
    TG_SCRIPT_RENDER     /* path, keys/values: `:render PATH k=v ...` */
} tg_script_item_kind;

typedef struct tg_script_item {
    tg_script_item_kind kind;
    long line;   /* 1-based line of the item's first character in the script */
    long column; /* 1-based column (bytes) */
    /* TG_SCRIPT_STATEMENT: text[0..len) is the statement exactly as written
     * from its first non-blank, non-comment character (so line/column point
     * at text[0]), without the ';'. NUL-terminated copy. */
    char *text;
    size_t len;
    /* TG_SCRIPT_PARAM: the name and the value text (trimmed, unparsed). */
    char *name;
    char *value;
    /* TG_SCRIPT_RENDER: the output path and n_options key=value pairs, values
     * with their quotes removed and \" \\ escapes resolved. */
    char *path;
    char **keys;
    char **values;
    size_t n_options;
} tg_script_item;

typedef struct tg_script {
    tg_script_item *items;
    size_t n_items;
} tg_script;

/* Splits text[0..len) into *out (returned owned, free with tg_script_free).
 * Errors: TG_ESYNTAX with line/column for an unknown directive (":foo"), a
 * malformed :param (no "=>" or no name) or :render (no path, an option
 * without '=', an unterminated quote), and for a string, backquoted name or
 * block comment left open at the end of the script; TG_ENOMEM. On failure
 * *out is NULL. O(len). */
tg_status tg_script_split(const char *text, size_t len, tg_script **out, tg_error *err);

/* Releases a script and all its strings. Accepts NULL. */
void tg_script_free(tg_script *s);

/* Checks every statement of s before any runs, as a script is run: each is
 * prepared (parsed, bound, planned: tg_query_prepare) over g with the
 * parameters params as the script's own :param directives set them in turn
 * (params itself is not changed). Nothing runs and g is not changed. On
 * failure err holds the first error, placed in the script's lines and
 * columns (tg_script_locate_error), and *failed_item (may be NULL) the index
 * of its item. opts may be NULL (its line_offset is ignored). O(size of the
 * script) plus planning. */
tg_status tg_script_check(const tg_script *s, tg_graph *g, const tg_params *params,
                          const tg_query_options *opts, size_t *failed_item, tg_error *err);

/* Moves an error of statement it (reported by tg_query_run/_prepare with
 * line_offset = it->line - 1) to the script's columns: the statement's first
 * line starts at its column; an error without a position (a guard, a stopped
 * algorithm) points at the statement. */
void tg_script_locate_error(const tg_script_item *it, tg_error *err);

#endif
