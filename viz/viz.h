/* viz.h — tiegraph's diagrams: a selection of a graph as DOT, SVG or PNG.
 *
 * A selection names the entities and relations to draw (relations bring
 * their endpoints). The diagram is built through cgraph and laid out and
 * rendered in-process through gvc (no `dot` subprocess). One built-in theme
 * styles every diagram (shape and fill per label, colour per relation type,
 * edge labels with amount and year, a legend of what is shown, clusters by a
 * property, highlighted paths, footnote markers for sources); a theme file
 * overrides it (docs/diagrams.md gives the format).
 *
 * Determinism: the same graph, selection and options give byte-identical
 * DOT: nodes are written in the order of their entity ids (bytes), edges in
 * the order of their relation indexes, and nothing depends on pointers,
 * dates or the environment.
 *
 * Hostile data: names and property values are data from outside. Every
 * text is escaped here (&, <, >, quotes, backslashes; invalid UTF-8 becomes
 * U+FFFD; control characters are dropped), so quotes, backslashes, angle
 * brackets and `<script>` come out as text in DOT and SVG, never as markup.
 *
 * Ownership: the selection, the options and the graph are borrowed for the
 * call. Returned buffers are owned by the caller (free with free()).
 *
 * Thread safety: none. Graphviz keeps global state (its error handler, its
 * string pools); call these functions from one thread at a time. The first
 * render creates graphviz's context (its plugins and font cache) and keeps
 * it for the life of the process: graphviz 2.42 cannot safely free one and
 * make another. Graphviz's own messages are captured into the tg_error and
 * never printed.
 */
#ifndef TG_VIZ_H
#define TG_VIZ_H

#include <stddef.h>

#include "graph.h"
#include "tg_error.h"

/* What to draw. Arrays may repeat items and may be NULL when their count is
 * 0; indexes must be valid in g (TG_EINVAL otherwise). A relation in
 * `highlight` is drawn (even when absent from `rels`) and emphasised: the
 * relations of returned paths. */
typedef struct tg_viz_selection {
    const tg_graph *g; /* borrowed */
    const tg_ent *ents;
    size_t nents;
    const tg_rel *rels;
    size_t nrels;
    const tg_rel *highlight;
    size_t nhighlight;
} tg_viz_selection;

/* How to draw it. Zero-initialise, then call tg_viz_options_init for the
 * defaults, or set fields by hand: a NULL string is the default. */
typedef struct tg_viz_options {
    const char *layout;     /* dot (default), neato, fdp, sfdp, circo, twopi, osage */
    const char *title;      /* NULL: no title */
    const char *cluster;    /* NULL, or a property key (e.g. "country"): one cluster per value */
    const char *rankdir;    /* NULL or "TB" (top to bottom), "LR" (left to right: chains),
                               "BT", "RL" */
    const char *theme_path; /* a theme file overriding the built-in theme, or NULL */
    int legend;             /* draw the legend (tg_viz_options_init: 1) */
    int footnotes;          /* draw source markers and the footnote block (init: 1) */
} tg_viz_options;

/* Sets o to the defaults: dot, no title, no clusters, TB, built-in theme,
 * legend and footnotes on. */
void tg_viz_options_init(tg_viz_options *o);

/* Writes the selection as DOT (before layout) into *dot (owned: free with
 * free(), NUL-terminated), its length in *len (may be NULL). The same input
 * gives the same bytes.
 * Errors: TG_EINVAL for an unknown layout or rankdir, or an index out of
 * range; TG_ENOENT when the theme file cannot be read; TG_EDATA with
 * file, line and column for a bad line of the theme file; TG_EINTERNAL when
 * graphviz fails (its message in err); TG_ENOMEM. On failure *dot is NULL.
 * O((V + E) log(V + E)) for V entities and E relations selected, plus a scan
 * of all entities when clustering (to name the clusters after Country
 * entities). */
tg_status tg_viz_dot(const tg_viz_selection *s, const tg_viz_options *o, char **dot, size_t *len,
                     tg_error *err);

/* Lays out and renders the selection in `format` ("svg", "png" or "dot")
 * into *out (owned: free with free(); an SVG or DOT is NUL-terminated), its
 * length in *len (may be NULL). Errors: those of tg_viz_dot; TG_EINVAL for an
 * unknown format; TG_EINTERNAL when graphviz cannot lay out or render (its
 * message in err). On failure *out is NULL. The layout's cost is graphviz's
 * (dot is roughly quadratic in the worst case). */
tg_status tg_viz_render_data(const tg_viz_selection *s, const tg_viz_options *o, const char *format,
                             char **out, size_t *len, tg_error *err);

/* As tg_viz_render_data, written to the file at path (replaced). Errors: as
 * tg_viz_render_data, and TG_EIO (with path) when the file cannot be
 * written; nothing is written when rendering fails. */
tg_status tg_viz_render(const tg_viz_selection *s, const tg_viz_options *o, const char *format,
                        const char *path, tg_error *err);

/* The format named by path's extension (".svg", ".png", ".dot", any case),
 * or NULL when there is none of these. Returns a static string. */
const char *tg_viz_format_of_path(const char *path);

#endif
