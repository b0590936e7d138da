/* explain.h — EXPLAIN / PROFILE tables (internal to queries/; the hooks
 * operators call are in ops.h). */
#ifndef TG_EXPLAIN_H
#define TG_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"
#include "tg_error.h"

typedef struct tg_op tg_op;

/* One row of the table: the operator (indented by its depth: "| | +Expand"),
 * its details, its estimated rows and, after PROFILE, what it did. */
typedef struct tg_explain_row {
    const char *op;
    const char *detail;
    double estimated;
    uint64_t rows;
    double ms;
    int profiled;
} tg_explain_row;

typedef tg_status (*tg_explain_row_fn)(void *ctx, const tg_explain_row *row, tg_error *err);

/* Walks the plan under root and calls emit for each row, the root first.
 * names[0..nslots) are the variables' names by slot (NULL: hidden). The
 * strings of a row are valid during the call. O(operators). */
tg_status tg_i_explain(tg_graph *g, const tg_op *root, const char *const *names, size_t nslots,
                       int profiled, tg_explain_row_fn emit, void *ctx, tg_error *err);

#endif
