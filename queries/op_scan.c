/* op_scan.c — node scans: every node, or the entities of the smallest of the
 * wanted labels (the label index), checking the other labels per node.
 * The index array is fetched anew for each input row: a CREATE upstream may
 * have invalidated an earlier one (CREATE is eager, so none happens while a
 * row's scan runs).
 */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

typedef struct op_scan {
    tg_op base;
    int slot;
    tg_names labels;
    tg_sym *syms;
    const tg_ent *ents; /* NULL: all nodes */
    size_t n, i;
    int active;
    tg_value *in;
} op_scan;

static tg_status scan_open(tg_op *op, tg_exec *x)
{
    op_scan *o = (op_scan *)op;
    o->active = 0;
    if (!o->in) {
        o->in = malloc((x->width ? x->width : 1) * sizeof *o->in);
        o->syms = calloc(o->labels.n ? o->labels.n : 1, sizeof *o->syms);
        if (!o->in || !o->syms)
            return tg_error_set(x->err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return tg_op_open(op->child, x);
}

static void start(op_scan *o, tg_exec *x)
{
    size_t found = (size_t)tg_names_resolve(x->g, o->labels, o->syms);
    o->i = 0;
    o->ents = NULL;
    if (found < o->labels.n) {
        o->n = 0; /* a label nobody has */
        return;
    }
    if (o->labels.n == 0) {
        o->n = tg_graph_entity_count(x->g);
        return;
    }
    o->n = (size_t)-1;
    for (size_t k = 0; k < o->labels.n; k++) {
        const tg_ent *arr;
        size_t c = tg_graph_label_entities(x->g, o->syms[k], &arr);
        if (c < o->n) {
            o->n = c;
            o->ents = arr;
        }
    }
}

static int scan_next(tg_op *op, tg_exec *x, tg_value *row)
{
    op_scan *o = (op_scan *)op;
    for (;;) {
        if (!o->active) {
            int r = tg_op_next(op->child, x, row);
            if (r <= 0)
                return r;
            memcpy(o->in, row, x->width * sizeof *row);
            start(o, x);
            o->active = 1;
        }
        while (o->i < o->n) {
            tg_ent e = o->ents ? o->ents[o->i] : (tg_ent)o->i;
            o->i++;
            if (tg_exec_tick(x, 0))
                return -1;
            if (!o->ents && !tg_graph_entity_is_live(x->g, e))
                continue; /* a deleted entity's slot */
            if (o->labels.n > 1 && !tg_node_has_labels(x->g, e, o->syms, o->labels.n))
                continue;
            memcpy(row, o->in, x->width * sizeof *row);
            row[o->slot] = tg_value_node(e);
            return 1;
        }
        o->active = 0;
    }
}

static void scan_close(tg_op *op)
{
    op_scan *o = (op_scan *)op;
    free(o->in);
    free(o->syms);
    o->in = NULL;
    o->syms = NULL;
}

static void scan_explain(const tg_op *op, tg_explain *e)
{
    const op_scan *o = (const op_scan *)op;
    tg_graph *g = tg_explain_graph(e);
    double n = (double)tg_graph_entity_count(g);
    tg_explain_detail(e, "(%s", tg_explain_slot(e, o->slot));
    for (size_t i = 0; i < o->labels.n; i++) {
        tg_sym s = tg_graph_sym(g, o->labels.names[i], strlen(o->labels.names[i]));
        const tg_ent *arr;
        double c = s ? (double)tg_graph_label_entities(g, s, &arr) : 0;
        tg_explain_detail(e, ":%s", o->labels.names[i]);
        if (c < n)
            n = c;
    }
    tg_explain_detail(e, ")%s", o->labels.n ? " by the smallest label's index" : ", every node");
    tg_explain_estimate(e, tg_explain_input(e) * n);
}

static const tg_op_vt scan_vt = {"NodeScan", scan_open, scan_next, scan_close, scan_explain};

tg_op *tg_op_scan(tg_arena *a, tg_op *child, int slot, tg_names labels)
{
    op_scan *o = tg_arena_alloc(a, sizeof *o);
    if (!o)
        return NULL;
    o->base.vt = &scan_vt;
    o->base.child = child;
    o->slot = slot;
    o->labels = labels;
    return &o->base;
}
