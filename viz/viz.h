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
 * `highlight` is drawn (even when absent from `rels`) and emphasised when
 * it is not the whole drawing (emphasis is relative): the relations the
 * query marks, such as those of returned paths. `walk_from`, when not NULL,
 * is parallel to `highlight`: the entity a path walks from along
 * highlight[i], so that a chain reads in its own order (the story's
 * direction) whatever the directions of its relations. */
typedef struct tg_viz_selection {
    const tg_graph *g; /* borrowed */
    const tg_ent *ents;
    size_t nents;
    const tg_rel *rels;
    size_t nrels;
    const tg_rel *highlight;
    size_t nhighlight;
    const tg_ent *walk_from;
    /* NULL, or parallel to ents: the cluster each entity goes in (the value
     * of a result column in its row; overrides the `cluster` property; the
     * first one given for an entity wins; NULL entries: no cluster).
     * Borrowed. */
    const char *const *ent_group;
} tg_viz_selection;

/* What a render did, for messages and measurements (filled when the
 * options point at one). */
typedef struct tg_viz_info {
    char layout[16];  /* the layout used (after layout=auto chose) */
    size_t entities;  /* entities drawn */
    size_t relations; /* relations selected */
    size_t edges;     /* edges drawn (parallel ties that are one fact merged) */
    double width_pt;  /* the figure's size on the page, points */
    double height_pt;
    double scale;       /* 1, or less when page= shrank the figure */
    double min_font_pt; /* the smallest text as printed (edge labels * scale) */
    double seconds;     /* layout and rendering */
} tg_viz_info;

/* How to draw it. Zero-initialise, then call tg_viz_options_init for the
 * defaults, or set fields by hand: a NULL string is the default. */
typedef struct tg_viz_options {
    const char *layout;     /* NULL or "auto" (chosen by the result's size and shape), dot,
                               neato, fdp, sfdp, circo, twopi, osage */
    const char *title;      /* NULL: no title */
    const char *cluster;    /* NULL, or a property key (e.g. "country"): one cluster per value */
    const char *rankdir;    /* NULL or "TB" (top to bottom), "LR" (left to right: chains),
                               "BT", "RL" */
    const char *theme_path; /* a theme file overriding the built-in theme, or NULL */
    int legend;             /* draw the legend (tg_viz_options_init: 1) */
    int footnotes;          /* draw source markers and the footnote block (init: 1) */
    const char *page;       /* NULL, "a4", "letter", "column" (6.5 in), or a size such as
                               "17cm", "6.5in", "4x3in", "160x90mm", "500pt": scale and pack
                               the figure to fit it */
    int dpi;                /* PNG resolution: 0 is 144, or 300 with page= */
    const char *root;       /* an entity id: the centre of a twopi or circo layout */
    int reverse;            /* paths read from their end to their start */
    const char *rank;       /* NULL, or "by-label": dot columns lender | government |
                               contractor | project */
    double timeout;         /* seconds for layout and rendering; 0: no limit */
    int force;              /* render even past the measured limits (see tg_viz_check) */
    tg_viz_info *info;      /* filled by a render when not NULL */
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

/* Whether a render of the selection with o's layout stays within the
 * measured limits (docs/diagrams.md): TG_OK, or TG_ERUNTIME with a message
 * giving the numbers, the limit and a suggestion. O(V + E) after the
 * selection is collected. tg_viz_render_data calls it unless o->force. */
tg_status tg_viz_check(const tg_viz_selection *s, const tg_viz_options *o, tg_error *err);

/* Lays out and renders the selection in `format` ("svg", "png", "pdf" or "dot")
 * into *out (owned: free with free(); an SVG or DOT is NUL-terminated), its
 * length in *len (may be NULL). The figure is laid out, then composed: the
 * title above, the legend (real sample nodes and edges in the drawn
 * styles) and the sources below, the whole scaled to o->page when set.
 * Errors: those of tg_viz_dot; TG_EINVAL for an unknown format or option;
 * TG_ERUNTIME past the measured limits (before any work) and when
 * layout and rendering take longer than o->timeout (they then run in a
 * child process, killed at the deadline); TG_EINTERNAL when graphviz cannot
 * lay out or render (its message in err). On failure *out is NULL. The
 * layout's cost is graphviz's (dot is roughly quadratic in the worst
 * case; docs/diagrams.md has the measured table). */
tg_status tg_viz_render_data(const tg_viz_selection *s, const tg_viz_options *o, const char *format,
                             char **out, size_t *len, tg_error *err);

/* As tg_viz_render_data, written to the file at path (replaced). Errors: as
 * tg_viz_render_data, and TG_EIO (with path) when the file cannot be
 * written; nothing is written when rendering fails. */
tg_status tg_viz_render(const tg_viz_selection *s, const tg_viz_options *o, const char *format,
                        const char *path, tg_error *err);

/* The format named by path's extension (".svg", ".png", ".pdf", ".dot", any
 * case), or NULL when there is none of these. Returns a static string. */
const char *tg_viz_format_of_path(const char *path);

#endif
