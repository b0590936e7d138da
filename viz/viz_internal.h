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

/* ---- text (text.c) ---------------------------------------------------------- */

/* A growable NUL-terminated string; zero-initialise. After an allocation
 * failure `oom` is set and further appends do nothing. Free s with free(). */
typedef struct tg_i_viz_sbuf {
    char *s;
    size_t len, cap;
    int oom;
} tg_i_viz_sbuf;

void tg_i_viz_sb_put(tg_i_viz_sbuf *b, const char *s, size_t n);
void tg_i_viz_sb_puts(tg_i_viz_sbuf *b, const char *s);
void tg_i_viz_sb_printf(tg_i_viz_sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Decodes one code point of s[0..n) (n >= 1); returns its byte length (>= 1)
 * and the code point in *cp: U+FFFD for an invalid or overlong sequence, a
 * surrogate or a non-character. */
size_t tg_i_viz_utf8_next(const unsigned char *s, size_t n, unsigned *cp);
void tg_i_viz_put_cp(tg_i_viz_sbuf *b, unsigned cp);
/* Columns a code point takes: East Asian wide ones and emoji count 2. */
size_t tg_i_viz_cp_width(unsigned cp);
/* Whether a code point is dropped from drawn text: control characters,
 * bidirectional overrides, isolates and marks, the byte order mark. */
int tg_i_viz_cp_is_hidden(unsigned cp);

/* Appends s[0..n) as the text of an HTML-like label: &, <, >, quotes
 * escaped, backslashes doubled (graphviz expands \N even in HTML labels),
 * invalid UTF-8 as U+FFFD, hidden code points dropped. A line break (or
 * U+2028/U+2029) becomes <BR/> when breaks != 0, a space otherwise. */
void tg_i_viz_html_text(tg_i_viz_sbuf *b, const char *s, size_t n, int breaks);

/* Appends s[0..n) as a plain graphviz string (a tooltip): backslashes as
 * U+29F5 (graphviz expands \N in these, and its DOT writer does not keep
 * doubled backslashes), line breaks and tabs as spaces, hidden code points
 * dropped.
 * Graphviz escapes it for SVG itself; agwrite quotes it for DOT. */
void tg_i_viz_plain_text(tg_i_viz_sbuf *b, const char *s, size_t n);

/* Wraps s[0..n) at `width` columns into out, lines separated by '\n',
 * breaking at blanks and hard-breaking longer words; keeps the text's own
 * line breaks. With max_lines > 0, text past that many lines is cut and the
 * last line ends with an ellipsis; returns 1 when it cut. Raw text out:
 * escape it with tg_i_viz_html_text. */
size_t tg_i_viz_wrap_text(tg_i_viz_sbuf *out, const char *s, size_t n, size_t width,
                          size_t max_lines);

#endif
