/* fuzz_segments.c — loading a damaged store: a real graph's segments, with
 * the input's bytes overwriting some of them. The loader must refuse with
 * TG_EDATA or produce a graph that every accessor can walk safely. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct seg {
    char name[32];
    unsigned char *data;
    size_t size;
} seg;

typedef struct segs {
    seg s[64];
    size_t n;
} segs;

static int sink(void *ctx, const char *name, const void *data, size_t size)
{
    segs *x = ctx;
    seg *s;
    if (x->n == 64)
        return -1;
    s = &x->s[x->n++];
    strncpy(s->name, name, sizeof s->name - 1);
    s->name[sizeof s->name - 1] = '\0';
    s->data = malloc(size ? size : 1);
    memcpy(s->data, data, size);
    s->size = size;
    return 0;
}

static int fetch(void *ctx, const char *name, void **data, size_t *size)
{
    segs *x = ctx;
    size_t i;
    for (i = 0; i < x->n; i++)
        if (!strcmp(x->s[i].name, name)) {
            *data = malloc(x->s[i].size ? x->s[i].size : 1);
            memcpy(*data, x->s[i].data, x->s[i].size);
            *size = x->s[i].size;
            return 0;
        }
    return -1;
}

static tg_graph *sample(void)
{
    tg_graph *g = tg_graph_new();
    tg_ent a, b;
    tg_rel r;
    tg_pval v, item;

    tg_graph_add_entity(g, "a", 1, &a, NULL);
    tg_graph_add_entity(g, "b", 1, &b, NULL);
    tg_graph_add_label(g, a, tg_graph_intern(g, "Company", 7), NULL);
    tg_graph_add_relation(g, a, b, tg_graph_intern(g, "OWNS", 4), &r, NULL);
    memset(&item, 0, sizeof item);
    item.type = TG_V_STRING;
    item.u.s = tg_graph_intern(g, "src#1", 5);
    tg_graph_make_list(g, &item, 1, &v, NULL);
    tg_graph_set_prop(g, TG_RELATION, r, tg_graph_intern(g, "sources", 7), &v, NULL);
    memset(&v, 0, sizeof v);
    v.type = TG_V_FLOAT;
    v.u.f = 1.5;
    tg_graph_set_prop(g, TG_ENTITY, a, tg_graph_intern(g, "amount", 6), &v, NULL);
    return g;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tg_graph *g = sample(), *back = NULL;
    segs x;
    size_t i, pos = 0;

    x.n = 0;
    tg_graph_save_segments(g, sink, &x, NULL);
    /* Each input chunk: a segment number, a length, then that many bytes
     * replacing the segment. */
    while (pos + 2 <= size && x.n > 0) {
        seg *s = &x.s[data[pos] % x.n];
        size_t len = data[pos + 1];
        pos += 2;
        if (len > size - pos)
            len = size - pos;
        free(s->data);
        s->data = malloc(len ? len : 1);
        memcpy(s->data, data + pos, len);
        s->size = len;
        pos += len;
    }
    if (tg_graph_load_segments(fetch, &x, &back, NULL) == TG_OK) {
        size_t e, n = tg_graph_entity_count(back);
        for (e = 0; e < n; e++) {
            const tg_sym *ls;
            const tg_rel *rels;
            size_t k, nl = tg_graph_labels(back, (tg_ent)e, &ls);
            for (k = 0; k < nl; k++)
                (void)tg_graph_str(back, ls[k], NULL);
            (void)tg_graph_str(back, tg_graph_entity_id(back, (tg_ent)e), NULL);
            (void)tg_graph_out(back, (tg_ent)e, &rels);
        }
        tg_graph_free(back);
    }
    for (i = 0; i < x.n; i++)
        free(x.s[i].data);
    tg_graph_free(g);
    return 0;
}
