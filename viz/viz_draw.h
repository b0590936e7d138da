/* viz_draw.h — what viz.c (building the graph) and compose.c (laying it out,
 * composing the figure, rendering) share: the drawing context.
 *
 * Only viz/ includes this header (it brings in graphviz's cgraph). A draw
 * is made by tg_i_viz_build and released by tg_i_viz_draw_destroy; every
 * pointer in it is owned by it unless marked borrowed.
 */
#ifndef TG_VIZ_DRAW_H
#define TG_VIZ_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include <graphviz/cgraph.h>

#include "graph.h"
#include "tg_error.h"
#include "viz.h"
#include "viz_internal.h"

typedef struct tg_i_viz_ent_key {
    const char *id; /* borrowed from the graph */
    size_t len;
    tg_ent e;
} tg_i_viz_ent_key;

/* An "all ties" note: a marker shared by every drawn tie of a type (or of
 * the whole diagram when type is NULL), written once in the sources block
 * instead of on each tie. */
typedef struct tg_i_viz_shared_note {
    const char *type; /* borrowed type name, or NULL for every tie */
    char *marker;     /* the marker's HTML, e.g. "[9]" */
} tg_i_viz_shared_note;

typedef struct tg_i_viz_draw {
    const tg_graph *g;       /* borrowed */
    const tg_viz_options *o; /* borrowed */
    tg_i_viz_theme theme;
    size_t wrap;
    const char *layout; /* resolved: never "auto" */
    const char *rankdir;
    int with_furniture; /* legend and sources as nodes of the graph (DOT output) */

    tg_i_viz_ent_key *ents; /* drawn entities, sorted by id */
    size_t nents;
    tg_rel *rels; /* drawn relations, ascending */
    size_t nrels;
    tg_ent *walk;       /* parallel to rels: the entity a path walks from, or TG_NONE */
    uint32_t *rep;      /* parallel to rels: index in rels of the tie drawn for it */
    size_t nedges;      /* ties drawn (relations that are their own rep) */
    tg_ent *byidx;      /* drawn entities ascending by index, for degree lookups */
    uint32_t *deg;      /* parallel to byidx: drawn ties at the entity */
    uint32_t *leaves;   /* parallel to byidx: neighbours of degree 1 */
    uint32_t *stagger;  /* parallel to byidx: leaves staggered so far */
    const char **group; /* parallel to byidx: the selection's ent_group, or NULL */
    int dense;          /* many ties: edge labels without the type name */
    tg_rel *hl;         /* highlighted relations, ascending, unique */
    size_t nhl;
    int hl_on; /* some, not all, drawn ties are highlighted */

    /* footnotes: source strings in order of first use, and a hash of them */
    tg_sym *notes;
    size_t nnotes, capnotes;
    uint32_t *slots; /* 1 + index into notes, 0 = empty */
    size_t nslots;
    tg_i_viz_shared_note *shared;
    size_t nshared;

    /* what the legend shows */
    unsigned char label_used[TG_I_VIZ_STYLES_MAX];
    unsigned char type_used[TG_I_VIZ_STYLES_MAX];
    const char **other_labels, **other_types; /* borrowed names, sorted unique at the end */
    size_t nother_labels, nother_types;

    tg_sym k_name, k_sources, k_amount, k_currency, k_year, k_share, k_deal, k_iso2, k_cluster,
        l_country;
    tg_sym label_syms[TG_I_VIZ_STYLES_MAX];

    Agraph_t *root;
    size_t nclusters;
    int oom;
} tg_i_viz_draw;

/* The discipline every graph of viz/ is opened and read with: subgraphs get
 * ids in creation order, so that clusters are written and laid out in the
 * order they were made, not in the order of their names' addresses. */
Agdisc_t *tg_i_viz_disc(void);

/* Validates the options, resolves layout=auto, collects the selection and
 * builds the graph into d->root (with the legend and sources as nodes when
 * with_furniture). On failure d may be partly filled: destroy it anyway.
 * Errors: TG_EINVAL, TG_ENOENT / TG_EDATA (theme file), TG_ENOMEM,
 * TG_EINTERNAL (graphviz refused). */
tg_status tg_i_viz_build(tg_i_viz_draw *d, const tg_viz_selection *s, const tg_viz_options *o,
                         int with_furniture, tg_error *err);

/* Validates the options and collects the selection without building a
 * graph (for tg_viz_check). Same errors as tg_i_viz_build. */
tg_status tg_i_viz_collect(tg_i_viz_draw *d, const tg_viz_selection *s, const tg_viz_options *o,
                           tg_error *err);

void tg_i_viz_draw_destroy(tg_i_viz_draw *d);

/* The legend's entries in theme order: labels drawn, then types drawn. */
size_t tg_i_viz_legend_labels(const tg_i_viz_draw *d, const tg_i_viz_style **styles,
                              const char **names, size_t cap);
size_t tg_i_viz_legend_types(const tg_i_viz_draw *d, const tg_i_viz_style **styles,
                             const char **names, size_t cap);

/* The sources block as an HTML-like table into b (nothing when there are no
 * notes). */
void tg_i_viz_footnote_table(tg_i_viz_draw *d, tg_i_viz_sbuf *b);

/* Sets attribute name of obj to value when value is not empty; sets an
 * HTML-like label. set_html returns -1 when graphviz refused. */
void tg_i_viz_set_attr(void *obj, const char *name, const char *value);
int tg_i_viz_set_html(Agraph_t *root, void *obj, const char *html);

/* Graphviz's captured messages (see viz.c). */
void tg_i_viz_capture_begin(void);
void tg_i_viz_capture_end(void);
const char *tg_i_viz_gv_message(void);

/* The built-in measured limits: the most entities and ties a layout renders
 * within about ten seconds on the reference machine (docs/diagrams.md). */
typedef struct tg_i_viz_limit {
    const char *layout;
    size_t entities, edges;
    double seconds_at_limit;
} tg_i_viz_limit;
const tg_i_viz_limit *tg_i_viz_limit_of(const char *layout);

#endif
