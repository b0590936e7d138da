/* compact.c — a copy of a graph's live content, renumbered.
 *
 * Deleted entities and relations keep their index until the store's
 * compaction (tiegraph vacuum) asks for this copy: live items in index
 * order get new dense indexes, and strings, label sets and lists are
 * interned afresh, so that whatever only dead items used is gone too.
 * Built through the public mutators only: the copy obeys every invariant
 * the mutators keep.
 */
#include "graph.h"
#include "temporal.h"

#include <stdlib.h>
#include <string.h>

static tg_status nomem(tg_error *err)
{
    return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory compacting the graph");
}

/* The symbol in c of g's symbol s (0 stays 0). */
static tg_sym resym(const tg_graph *g, tg_graph *c, tg_sym s)
{
    size_t len;
    const char *str = tg_graph_str(g, s, &len);

    return s == 0 ? 0 : tg_graph_intern(c, str, len);
}

/* *out = v moved from g into c: strings re-interned, lists and pooled
 * temporals (a datetime, a duration: four integers in the list pool)
 * rebuilt. */
static tg_status move_value(const tg_graph *g, tg_graph *c, const tg_pval *v, tg_pval *out,
                            tg_error *err)
{
    *out = *v;
    if (tg_time_is_kind(v->type)) {
        tg_temporal t;
        if (!tg_graph_temporal(g, v, &t))
            return tg_error_set(err, TG_EDATA, NULL, 0, 0, "a damaged temporal value");
        return tg_graph_make_temporal(c, &t, out, err);
    }
    if (v->type == TG_V_STRING) {
        out->u.s = resym(g, c, v->u.s);
        if (!out->u.s && v->u.s)
            return nomem(err);
    } else if (v->type == TG_V_LIST) {
        const tg_pval *items = tg_graph_list(g, v);
        tg_pval *tmp = v->len ? malloc(v->len * sizeof *tmp) : NULL;
        uint32_t i;
        tg_status st;
        if (v->len && !tmp)
            return nomem(err);
        for (i = 0; i < v->len; i++) {
            tmp[i] = items[i];
            if (tg_time_is_kind(items[i].type)) {
                tg_status st2 = move_value(g, c, &items[i], &tmp[i], err); /* one level */
                if (st2 != TG_OK) {
                    free(tmp);
                    return st2;
                }
            } else if (items[i].type == TG_V_STRING && !(tmp[i].u.s = resym(g, c, items[i].u.s)) &&
                       items[i].u.s) {
                free(tmp);
                return nomem(err);
            }
        }
        st = tg_graph_make_list(c, tmp, v->len, out, err);
        free(tmp);
        return st;
    }
    return TG_OK;
}

typedef struct copy_ctx {
    const tg_graph *g;
    tg_graph *c;
    tg_side side;
    uint32_t item; /* in c */
    tg_status st;
    tg_error *err;
} copy_ctx;

static int copy_prop(void *vctx, tg_sym key, const tg_pval *v)
{
    copy_ctx *x = vctx;
    tg_pval nv;
    tg_sym k = resym(x->g, x->c, key);

    if (!k)
        x->st = nomem(x->err);
    else if ((x->st = move_value(x->g, x->c, v, &nv, x->err)) == TG_OK)
        x->st = tg_graph_set_prop(x->c, x->side, x->item, k, &nv, x->err);
    return x->st != TG_OK;
}

tg_status tg_graph_compact(tg_graph *g, tg_graph **out, tg_error *err)
{
    tg_graph *c = NULL;
    tg_ent *map = NULL;
    size_t n = tg_graph_entity_count(g), m, i, j;
    copy_ctx x;
    tg_status st;

    *out = NULL;
    if ((st = tg_graph_load_all(g, err)) != TG_OK)
        return st;
    m = tg_graph_relation_count(g);
    c = tg_graph_new();
    map = malloc((n ? n : 1) * sizeof *map);
    if (!c || !map) {
        st = nomem(err);
        goto done;
    }
    memset(&x, 0, sizeof x);
    x.g = g;
    x.c = c;
    x.err = err;
    for (i = 0; i < n; i++) {
        const tg_sym *labels;
        size_t len, nl;
        const char *id;
        map[i] = TG_NONE;
        if (!tg_graph_entity_is_live(g, (tg_ent)i))
            continue;
        id = tg_graph_str(g, tg_graph_entity_id(g, (tg_ent)i), &len);
        if ((st = tg_graph_add_entity(c, id, len, &map[i], err)) != TG_OK)
            goto done;
        nl = tg_graph_labels(g, (tg_ent)i, &labels);
        for (j = 0; j < nl; j++) {
            tg_sym l = resym(g, c, labels[j]);
            if (!l) {
                st = nomem(err);
                goto done;
            }
            if ((st = tg_graph_add_label(c, map[i], l, err)) != TG_OK)
                goto done;
        }
        x.side = TG_ENTITY;
        x.item = map[i];
        tg_graph_each_prop(g, TG_ENTITY, (uint32_t)i, copy_prop, &x);
        if ((st = x.st) != TG_OK)
            goto done;
    }
    for (i = 0; i < m; i++) {
        tg_rel r;
        tg_sym type;
        if (!tg_graph_relation_is_live(g, (tg_rel)i))
            continue;
        type = resym(g, c, tg_graph_rel_type(g, (tg_rel)i));
        if (!type) {
            st = nomem(err);
            goto done;
        }
        st = tg_graph_add_relation(c, map[tg_graph_rel_from(g, (tg_rel)i)],
                                   map[tg_graph_rel_to(g, (tg_rel)i)], type, &r, err);
        if (st != TG_OK)
            goto done;
        x.side = TG_RELATION;
        x.item = r;
        tg_graph_each_prop(g, TG_RELATION, (uint32_t)i, copy_prop, &x);
        if ((st = x.st) != TG_OK)
            goto done;
    }
    for (i = 0; i < tg_graph_source_count(g); i++) {
        const tg_source_field *f;
        size_t nf = tg_graph_source_fields(g, (uint32_t)i, &f);
        tg_source_field *nfields = malloc((nf ? nf : 1) * sizeof *nfields);
        tg_sym id = resym(g, c, tg_graph_source_id(g, (uint32_t)i));
        if (!nfields || !id) {
            free(nfields);
            st = nomem(err);
            goto done;
        }
        for (j = 0; j < nf; j++) {
            nfields[j].key = resym(g, c, f[j].key);
            nfields[j].value = resym(g, c, f[j].value);
        }
        st = tg_graph_put_source(c, id, nfields, nf, NULL, err);
        free(nfields);
        if (st != TG_OK)
            goto done;
    }
    if ((st = tg_graph_status(g, err)) != TG_OK)
        goto done;
    *out = c;
    c = NULL;
done:
    free(map);
    tg_graph_free(c);
    return st;
}
