/* viz_internal.h — what the files of viz/ share: the theme.
 *
 * A theme is plain data with fixed-size strings (no heap), so that copying
 * the built-in theme and overriding it from a file cannot leak. Every value
 * in a theme has been validated against a small character set when it was
 * read, so the DOT builder may set it as an attribute unescaped.
 */
#ifndef TG_VIZ_INTERNAL_H
#define TG_VIZ_INTERNAL_H

#include <stddef.h>

#include "tg_error.h"

#define TG_I_VIZ_NAME_MAX 64  /* a label or type name, NUL included */
#define TG_I_VIZ_VALUE_MAX 64 /* an attribute value, NUL included */
#define TG_I_VIZ_STYLES_MAX 64

/* How one label (node) or relation type (edge) is drawn. An empty string
 * means "graphviz's default" and is not written. */
typedef struct tg_i_viz_style {
    char name[TG_I_VIZ_NAME_MAX];
    char shape[TG_I_VIZ_VALUE_MAX];     /* labels */
    char style[TG_I_VIZ_VALUE_MAX];     /* e.g. "filled,rounded" / "dashed" */
    char fillcolor[TG_I_VIZ_VALUE_MAX]; /* labels */
    char color[TG_I_VIZ_VALUE_MAX];     /* border / line */
    char fontcolor[TG_I_VIZ_VALUE_MAX];
    char penwidth[TG_I_VIZ_VALUE_MAX];
    char peripheries[TG_I_VIZ_VALUE_MAX]; /* labels */
    char arrowhead[TG_I_VIZ_VALUE_MAX];   /* types */
} tg_i_viz_style;

/* Graph-wide settings (keys `graph.*` of a theme file). */
typedef struct tg_i_viz_graph_style {
    char fontname[TG_I_VIZ_VALUE_MAX];
    char fontsize[TG_I_VIZ_VALUE_MAX];      /* node labels */
    char edge_fontsize[TG_I_VIZ_VALUE_MAX]; /* edge labels */
    char title_fontsize[TG_I_VIZ_VALUE_MAX];
    char note_fontsize[TG_I_VIZ_VALUE_MAX]; /* legend, footnotes, markers */
    char fontcolor[TG_I_VIZ_VALUE_MAX];
    char edge_fontcolor[TG_I_VIZ_VALUE_MAX];
    char note_fontcolor[TG_I_VIZ_VALUE_MAX];
    char bgcolor[TG_I_VIZ_VALUE_MAX];
    char pad[TG_I_VIZ_VALUE_MAX];
    char nodesep[TG_I_VIZ_VALUE_MAX];
    char ranksep[TG_I_VIZ_VALUE_MAX];
    char cluster_color[TG_I_VIZ_VALUE_MAX];
    char cluster_fillcolor[TG_I_VIZ_VALUE_MAX];
    char highlight_penwidth[TG_I_VIZ_VALUE_MAX];
    char penwidth[TG_I_VIZ_VALUE_MAX]; /* ordinary edges */
    char wrap[TG_I_VIZ_VALUE_MAX];     /* wrap names at this many columns */
} tg_i_viz_graph_style;

/* The whole theme. labels[] is in priority order: an entity with several
 * labels is drawn in the style of the first of them found here (so
 * Subsidiary comes before Company); labels not listed use other_label. */
typedef struct tg_i_viz_theme {
    tg_i_viz_style labels[TG_I_VIZ_STYLES_MAX];
    size_t nlabels;
    tg_i_viz_style types[TG_I_VIZ_STYLES_MAX];
    size_t ntypes;
    tg_i_viz_style other_label; /* `label.*` */
    tg_i_viz_style other_type;  /* `type.*` */
    tg_i_viz_graph_style graph;
} tg_i_viz_theme;

/* Fills *t with the built-in theme. O(1). */
void tg_i_viz_theme_default(tg_i_viz_theme *t);

/* Applies the theme file at path on top of *t. Errors: TG_ENOENT when the
 * file cannot be read; TG_EDATA with path, line and column for a line that
 * is not `key = value`, an unknown key or attribute, a value that is not
 * valid for its attribute, or more than TG_I_VIZ_STYLES_MAX labels or types.
 * *t may be partly changed on failure. O(file size * styles). */
tg_status tg_i_viz_theme_load(tg_i_viz_theme *t, const char *path, tg_error *err);

/* The same for text[0..len) already in memory; `name` is used in errors. */
tg_status tg_i_viz_theme_parse(tg_i_viz_theme *t, const char *name, const char *text, size_t len,
                               tg_error *err);

/* The style of a label / type by name, or NULL. O(styles). */
const tg_i_viz_style *tg_i_viz_theme_label(const tg_i_viz_theme *t, const char *name);
const tg_i_viz_style *tg_i_viz_theme_type(const tg_i_viz_theme *t, const char *name);

#endif
