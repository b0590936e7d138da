/* render.h — from a query result to a diagram: the `--svg`, `--png`,
 * `--pdf`, `--dot` and `:render` plumbing of `tiegraph query`, `report` and
 * `shell`.
 *
 * A result becomes a viz selection (viz/viz.h): every node, relation and
 * path found in its cells, looked for inside lists and maps too. Nodes are
 * drawn; relations are drawn with their endpoints; paths are drawn whole,
 * read in their own order, and their relations are what the query marks
 * (or the columns `highlight=` names).
 *
 * Where a :render directive may write (issue 12): a relative path is
 * resolved against the script's folder (or the --render-dir given), and
 * the file must land inside that folder or inside a folder named by
 * --allow-write; an existing file is only replaced when it is a figure
 * (SVG, PNG, PDF or DOT) and not a link. --svg, --png, --pdf and --dot name
 * their file on the command line and are only held to the last rule.
 */
#ifndef TG_CLI_RENDER_H
#define TG_CLI_RENDER_H

#include <stddef.h>

#include "query.h"
#include "script.h"
#include "tg_error.h"
#include "viz.h"

/* Where figures may be written. Strings borrowed. */
typedef struct tg_render_policy {
    const char *base;         /* folder :render paths are relative to; NULL: "." */
    const char *const *allow; /* more folders :render may write into */
    size_t nallow;
} tg_render_policy;

/* A diagram to make from a result: where, in which format, how. */
typedef struct tg_render_request {
    char path[4096];       /* resolved */
    const char *format;    /* "svg", "png", "pdf" or "dot" (static) */
    tg_viz_options opts;   /* strings borrowed */
    const char *highlight; /* NULL, or columns (comma-separated) whose content is marked */
    long line, column;     /* of the :render directive, 0 for --svg / --dot */
    tg_viz_info info;      /* what the render did */
} tg_render_request;

/* Fills *req from a `:render PATH key=value ...` directive of the script
 * `name` whose text is text[0..len) (to point errors at the offending key).
 * Keys: layout, title, cluster, rankdir, theme, legend, footnotes, page,
 * dpi, root, reverse, rank, highlight, force. The format is the path's
 * extension (.svg, .png, .pdf, .dot). Strings are borrowed from it.
 * Errors (with name, line and column): TG_ESYNTAX for an unknown key;
 * TG_ESEMANTIC for a path without a known extension, a bad value, or a
 * path outside what policy allows. O(keys * line length). */
tg_status tg_render_from_directive(const tg_script_item *it, const char *name, const char *text,
                                   size_t len, const tg_render_policy *policy,
                                   tg_render_request *req, tg_error *err);

/* Fills *req for a command-line output (--svg, --png, --pdf, --dot):
 * format from the option, checked against the path's extension (a
 * different known extension is refused: `--svg out.png`). */
tg_status tg_render_from_option(const char *option, const char *format, const char *path,
                                tg_render_request *req, tg_error *err);

/* Whether the result holds anything to draw (a node, relation or path). */
int tg_render_result_is_drawable(const tg_result *r);

/* Draws the result as req says. Errors: those of tg_viz_render (TG_EIO
 * naming the output path, TG_ENOENT / TG_EDATA for the theme file,
 * TG_ERUNTIME past the limits or the timeout, TG_EINTERNAL from graphviz);
 * TG_ESEMANTIC for a file that is not a figure; TG_ENOMEM. An error
 * without a file of its own is placed at the request's line and column in
 * `name`. O(cells + values) plus the layout. */
tg_status tg_render_result(const tg_result *r, tg_render_request *req, const char *name,
                           tg_error *err);

/* The directory part of path ("." when none) into buf. */
void tg_render_dirname(const char *path, char *buf, size_t cap);

#endif
