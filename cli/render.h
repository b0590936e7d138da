/* render.h — from a query result to a diagram: the `--svg`, `--dot` and
 * `:render` plumbing of `tiegraph query`.
 *
 * A result becomes a viz selection (viz/viz.h): every node, relation and
 * path found in its cells, looked for inside lists and maps too. Nodes are
 * drawn; relations are drawn with their endpoints; paths are drawn whole
 * and their relations highlighted.
 */
#ifndef TG_CLI_RENDER_H
#define TG_CLI_RENDER_H

#include <stddef.h>

#include "query.h"
#include "script.h"
#include "tg_error.h"
#include "viz.h"

/* A diagram to make from the next result: where, in which format, how. */
typedef struct tg_render_request {
    const char *path;    /* borrowed */
    const char *format;  /* "svg", "png" or "dot" (static) */
    tg_viz_options opts; /* strings borrowed */
    long line, column;   /* of the :render directive, 0 for --svg / --dot */
} tg_render_request;

/* Fills *req from a `:render PATH key=value ...` directive of the script
 * `name` whose text is text[0..len) (to point errors at the offending key).
 * Keys: layout, title, cluster, rankdir, theme, legend, footnotes (true or
 * false). The format is the path's extension (.svg, .png, .dot). Strings
 * are borrowed from it. Errors (with name, line and column): TG_ESYNTAX for
 * an unknown key; TG_ESEMANTIC for a path without a known extension, a bad
 * boolean, an unknown layout or rankdir. O(keys * line length). */
tg_status tg_render_from_directive(const tg_script_item *it, const char *name, const char *text,
                                   size_t len, tg_render_request *req, tg_error *err);

/* Draws the result as req says. Errors: those of tg_viz_render (TG_EIO
 * naming the output path, TG_ENOENT / TG_EDATA for the theme file,
 * TG_EINTERNAL from graphviz); TG_ENOMEM. An error without a file of its own
 * is placed at the request's line and column in `name`. O(cells + values)
 * plus the layout. */
tg_status tg_render_result(const tg_result *r, const tg_render_request *req, const char *name,
                           tg_error *err);

#endif
