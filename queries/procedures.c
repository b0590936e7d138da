/* procedures.c — the process-wide procedure registry and the built-in db.*
 * procedures.
 *
 * The registry is a small malloc'd array searched linearly (a handful of
 * procedures); built-ins are found even when nothing was registered.
 */
#include "procedures.h"

#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "catalog.h"
#include "expr.h"
#include "proc_algo.h"

static tg_proc_def *registry;
static size_t registry_n, registry_cap;
static int defaults_loaded;

/* The algo.* procedures are registered on first use of the registry, so that
 * every entry point (CLI, tests, TCK runner) has them; a later registration
 * under the same name replaces them. */
static void ensure_defaults(void)
{
    if (defaults_loaded)
        return;
    defaults_loaded = 1;
    tg_proc_algo_register(NULL);
}

static const tg_proc_col col_label[] = {{"label", TG_PROC_STRING}};
static const tg_proc_col col_type[] = {{"relationshipType", TG_PROC_STRING}};
static const tg_proc_col col_key[] = {{"propertyKey", TG_PROC_STRING}};

static tg_status emit_syms(tg_proc_ctx *ctx, tg_graph *g, const tg_sym *syms, size_t n,
                           tg_error *err)
{
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *s = tg_graph_str(g, syms[i], &len);
        tg_value v = tg_value_str_ref(s, len);
        tg_status st = tg_proc_emit(ctx, &v, err);
        if (st != TG_OK)
            return st;
    }
    return TG_OK;
}

static tg_status db_labels(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args, size_t nargs,
                           void *data, tg_error *err)
{
    const tg_sym *syms;
    size_t n = tg_graph_all_labels(g, &syms);
    return emit_syms(ctx, g, syms, n, err);
}

static tg_status db_types(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args, size_t nargs,
                          void *data, tg_error *err)
{
    const tg_sym *syms;
    size_t n = tg_graph_all_types(g, &syms);
    return emit_syms(ctx, g, syms, n, err);
}


static int has_key(const tg_graph *g, const tg_sym *syms, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *s = tg_graph_str(g, syms[i], &len);
        if (len == strlen(key) && memcmp(s, key, len) == 0)
            return 1;
    }
    return 0;
}

static tg_status db_keys(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args, size_t nargs,
                         void *data, tg_error *err)
{
    const tg_sym *ek, *rk;
    size_t ne = tg_graph_prop_keys(g, TG_ENTITY, &ek);
    size_t nr = tg_graph_prop_keys(g, TG_RELATION, &rk);
    tg_status st = emit_syms(ctx, g, ek, ne, err);
    for (size_t i = 0; i < nr && st == TG_OK; i++) {
        int dup = 0;
        for (size_t j = 0; j < ne; j++)
            if (ek[j] == rk[i])
                dup = 1;
        if (!dup)
            st = emit_syms(ctx, g, &rk[i], 1, err);
    }
    if (st == TG_OK && !has_key(g, ek, ne, "id") && !has_key(g, rk, nr, "id")) {
        /* entity ids read as the property `id` */
        size_t n = tg_graph_entity_count(g);
        for (tg_ent e = 0; e < n; e++) {
            const char *s;
            size_t len;
            if (tg_graph_entity_is_live(g, e) && tg_value_entity_data_id(g, e, &s, &len)) {
                tg_value v = tg_value_str_ref("id", 2);
                st = tg_proc_emit(ctx, &v, err);
                break;
            }
        }
    }
    return st;
}

/* ---- db.schema.* ------------------------------------------------------------- */

/* The openCypher name of a stored value's type, as Neo4j's schema
 * procedures write it. */
static const char *pval_type_name(const tg_pval *v)
{
    static const char *const scalar[] = {"Null", "Boolean", "Long", "Double", "String"};
    static const char *const list[] = {"List", "BooleanArray", "LongArray", "DoubleArray",
                                       "StringArray"};
    if (v->type == TG_V_LIST)
        return v->elem <= TG_V_STRING ? list[v->elem] : "List";
    return v->type <= TG_V_STRING ? scalar[v->type] : "Any";
}

/* One (type, property) pair being described: its value types and how many
 * items have it. */
typedef struct schema_prop {
    size_t group; /* index of the label set or relationship type */
    tg_sym key;
    unsigned types; /* bit per type name index */
    size_t count;
} schema_prop;

typedef struct schema_acc {
    schema_prop *props;
    size_t n, cap;
    size_t group;
    int failed;
} schema_acc;

/* The key standing for an entity's id (no symbol: it is not stored). */
#define ID_KEY ((tg_sym)UINT32_MAX)

static const char *const type_names[] = {"Null",        "Boolean",   "Long",       "Double",
                                         "String",      "List",      "BooleanArray", "LongArray",
                                         "DoubleArray", "StringArray"};

static int schema_visit(void *ctx, tg_sym key, const tg_pval *v)
{
    schema_acc *a = ctx;
    const char *t = pval_type_name(v);
    size_t i, k;
    for (i = 0; i < a->n; i++)
        if (a->props[i].group == a->group && a->props[i].key == key)
            break;
    if (i == a->n) {
        if (a->n == a->cap) {
            size_t nc = a->cap ? a->cap * 2 : 64;
            schema_prop *np = realloc(a->props, nc * sizeof *np);
            if (!np) {
                a->failed = 1;
                return 1;
            }
            a->props = np;
            a->cap = nc;
        }
        memset(&a->props[i], 0, sizeof a->props[i]);
        a->props[i].group = a->group;
        a->props[i].key = key;
        a->n++;
    }
    for (k = 0; k < sizeof type_names / sizeof type_names[0]; k++)
        if (strcmp(type_names[k], t) == 0)
            a->props[i].types |= 1u << k;
    a->props[i].count++;
    return 0;
}

/* The list of the type names set in bits. */
static tg_value type_list(tg_vmem *m, unsigned bits)
{
    tg_value items[16];
    size_t n = 0;
    for (size_t k = 0; k < sizeof type_names / sizeof type_names[0]; k++)
        if (bits & (1u << k))
            items[n++] = tg_value_str_ref(type_names[k], strlen(type_names[k]));
    return tg_value_list(m, items, n);
}

/* ":`A`:`B`", the way Neo4j names a node type or relationship type. */
static tg_value type_name(tg_vmem *m, const tg_graph *g, const tg_sym *syms, size_t n)
{
    tg_buf b;
    tg_value v;
    char *s;
    tg_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *l = tg_graph_str(g, syms[i], &len);
        tg_buf_puts(&b, ":`");
        tg_buf_add(&b, l, len);
        tg_buf_puts(&b, "`");
    }
    s = tg_buf_take(&b);
    v = s ? tg_value_cstr(m, s) : tg_value_null();
    free(s);
    return v;
}

static tg_status db_node_type_props(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args,
                                    size_t nargs, void *data, tg_error *err)
{
    size_t n = tg_graph_entity_count(g), ngroups = 0;
    const tg_sym **sets = calloc(n + 1, sizeof *sets);
    size_t *lens = calloc(n + 1, sizeof *lens), *members = calloc(n + 1, sizeof *members);
    schema_acc a = {NULL, 0, 0, 0, 0};
    tg_vmem *m = tg_proc_mem(ctx);
    tg_status st = TG_OK;
    if (!sets || !lens || !members) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    /* the label sets in order of first appearance (O(V x sets)) */
    for (tg_ent e = 0; e < n && !a.failed; e++) {
        const tg_sym *ls;
        size_t nl, k;
        if (!tg_graph_entity_is_live(g, e))
            continue;
        nl = tg_graph_labels(g, e, &ls);
        for (k = 0; k < ngroups; k++)
            if (lens[k] == nl && (nl == 0 || memcmp(sets[k], ls, nl * sizeof *ls) == 0))
                break;
        if (k == ngroups) {
            sets[k] = ls;
            lens[k] = nl;
            ngroups++;
        }
        members[k]++;
        a.group = k;
        tg_graph_each_prop(g, TG_ENTITY, e, schema_visit, &a);
        {
            /* the id reads as a String property named id */
            const char *ids;
            size_t idlen;
            tg_pval idv;
            memset(&idv, 0, sizeof idv);
            idv.type = TG_V_STRING;
            if (!tg_graph_prop(g, TG_ENTITY, e, tg_graph_sym(g, "id", 2)) &&
                tg_value_entity_data_id(g, e, &ids, &idlen))
                schema_visit(&a, ID_KEY, &idv);
        }
    }
    if (a.failed) {
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < a.n && st == TG_OK; i++) {
        const schema_prop *p = &a.props[i];
        tg_value row[5], labels[64];
        size_t nl = lens[p->group] < 64 ? lens[p->group] : 64, len = 2;
        const char *key = p->key == ID_KEY ? "id" : tg_graph_str(g, p->key, &len);
        for (size_t k = 0; k < nl; k++) {
            size_t ll;
            const char *l = tg_graph_str(g, sets[p->group][k], &ll);
            labels[k] = tg_value_str_ref(l, ll);
        }
        row[0] = type_name(m, g, sets[p->group], lens[p->group]);
        row[1] = tg_value_list(m, labels, nl);
        row[2] = tg_value_str_ref(key, len);
        row[3] = type_list(m, p->types);
        row[4] = tg_value_bool(p->count == members[p->group]);
        st = tg_proc_emit(ctx, row, err);
    }
done:
    free(a.props);
    free(sets);
    free(lens);
    free(members);
    return st;
}

static tg_status db_rel_type_props(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args,
                                   size_t nargs, void *data, tg_error *err)
{
    const tg_sym *types;
    size_t nt = tg_graph_all_types(g, &types), n = tg_graph_relation_count(g);
    size_t *members = calloc(nt + 1, sizeof *members);
    schema_acc a = {NULL, 0, 0, 0, 0};
    tg_vmem *m = tg_proc_mem(ctx);
    tg_status st = TG_OK;
    if (!members)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    for (tg_rel r = 0; r < n && !a.failed; r++) {
        tg_sym t;
        size_t k;
        if (!tg_graph_relation_is_live(g, r))
            continue;
        t = tg_graph_rel_type(g, r);
        for (k = 0; k < nt && types[k] != t; k++)
            ;
        if (k == nt)
            continue;
        members[k]++;
        a.group = k;
        tg_graph_each_prop(g, TG_RELATION, r, schema_visit, &a);
    }
    if (a.failed)
        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < a.n && st == TG_OK; i++) {
        const schema_prop *p = &a.props[i];
        tg_value row[4];
        size_t len;
        const char *key = tg_graph_str(g, p->key, &len);
        row[0] = type_name(m, g, &types[p->group], 1);
        row[1] = tg_value_str_ref(key, len);
        row[2] = type_list(m, p->types);
        row[3] = tg_value_bool(p->count == members[p->group]);
        st = tg_proc_emit(ctx, row, err);
    }
    free(a.props);
    free(members);
    return st;
}

/* The labels (with their counts) and, for each relationship type, each pair
 * of labels it joins (with a count): a map per node type and per edge of
 * the schema, since tiegraph has no virtual nodes. */
static tg_status db_schema_vis(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args,
                               size_t nargs, void *data, tg_error *err)
{
    const tg_sym *labels;
    size_t nl = tg_graph_all_labels(g, &labels), nr = tg_graph_relation_count(g), ne = 0, cap = 0;
    tg_vmem *m = tg_proc_mem(ctx);
    tg_value *nodes = tg_vmem_alloc(m, (nl ? nl : 1) * sizeof *nodes), row[2];
    struct edge {
        tg_sym type, from, to;
        int64_t count;
    } *edges = NULL;
    tg_value *ev;
    tg_status st = TG_OK;
    if (!nodes)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < nl; i++) {
        const tg_ent *arr;
        size_t len;
        const char *name = tg_graph_str(g, labels[i], &len);
        tg_vmap_entry ent[2] = {{"name", 4, tg_value_str_ref(name, len)},
                                {"count", 5,
                                 tg_value_int((int64_t)tg_graph_label_entities(g, labels[i], &arr))}};
        nodes[i] = tg_value_map(m, ent, 2);
    }
    /* each relationship counts for every label of its source and target */
    for (tg_rel r = 0; r < nr; r++) {
        const tg_sym *fl, *tl;
        size_t nf;
        if (!tg_graph_relation_is_live(g, r))
            continue;
        nf = tg_graph_labels(g, tg_graph_rel_from(g, r), &fl);
        size_t ntl = tg_graph_labels(g, tg_graph_rel_to(g, r), &tl);
        tg_sym t = tg_graph_rel_type(g, r);
        for (size_t a = 0; a < nf; a++)
            for (size_t b = 0; b < ntl; b++) {
                size_t k;
                for (k = 0; k < ne; k++)
                    if (edges[k].type == t && edges[k].from == fl[a] && edges[k].to == tl[b])
                        break;
                if (k == ne) {
                    if (ne == cap) {
                        size_t nc = cap ? cap * 2 : 32;
                        struct edge *nw = realloc(edges, nc * sizeof *nw);
                        if (!nw) {
                            free(edges);
                            return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
                        }
                        edges = nw;
                        cap = nc;
                    }
                    edges[ne].type = t;
                    edges[ne].from = fl[a];
                    edges[ne].to = tl[b];
                    edges[ne++].count = 0;
                }
                edges[k].count++;
            }
    }
    ev = tg_vmem_alloc(m, (ne ? ne : 1) * sizeof *ev);
    for (size_t k = 0; ev && k < ne; k++) {
        size_t lt, lf, lto;
        const char *t = tg_graph_str(g, edges[k].type, &lt), *f = tg_graph_str(g, edges[k].from, &lf),
                   *to = tg_graph_str(g, edges[k].to, &lto);
        tg_vmap_entry ent[4] = {{"type", 4, tg_value_str_ref(t, lt)},
                                {"from", 4, tg_value_str_ref(f, lf)},
                                {"to", 2, tg_value_str_ref(to, lto)},
                                {"count", 5, tg_value_int(edges[k].count)}};
        ev[k] = tg_value_map(m, ent, 4);
    }
    free(edges);
    if (!ev)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    row[0] = tg_value_list(m, nodes, nl);
    row[1] = tg_value_list(m, ev, ne);
    st = tg_proc_emit(ctx, row, err);
    return st;
}

/* ---- dbms.procedures / dbms.functions (SHOW PROCEDURES / FUNCTIONS) --------- */

static const char *proc_type_name(tg_proc_type t)
{
    static const char *const names[] = {"ANY",    "BOOLEAN", "INTEGER", "FLOAT",
                                        "NUMBER", "STRING",  "LIST",    "MAP",
                                        "NODE",   "RELATIONSHIP", "PATH"};
    return (size_t)t < sizeof names / sizeof names[0] ? names[t] : "ANY";
}

static tg_value signature(tg_vmem *m, const tg_proc_def *d)
{
    tg_buf b;
    tg_value v;
    char *s;
    tg_buf_init(&b);
    tg_buf_printf(&b, "%s(", d->name);
    for (size_t i = 0; i < d->n_inputs; i++)
        tg_buf_printf(&b, "%s%s :: %s%s", i ? ", " : "", d->inputs[i].name,
                      proc_type_name(d->inputs[i].type), i >= d->n_required ? "?" : "");
    tg_buf_puts(&b, ") :: (");
    for (size_t i = 0; i < d->n_outputs; i++)
        tg_buf_printf(&b, "%s%s :: %s", i ? ", " : "", d->outputs[i].name,
                      proc_type_name(d->outputs[i].type));
    tg_buf_puts(&b, ")");
    s = tg_buf_take(&b);
    v = s ? tg_value_cstr(m, s) : tg_value_null();
    free(s);
    return v;
}

static int cmp_defs(const void *a, const void *b)
{
    return strcmp((*(const tg_proc_def *const *)a)->name, (*(const tg_proc_def *const *)b)->name);
}

static tg_status dbms_procedures(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args,
                                 size_t nargs, void *data, tg_error *err)
{
    size_t n = tg_proc_count(), k = 0;
    const tg_proc_def **defs = malloc((n + 1) * sizeof *defs);
    tg_vmem *m = tg_proc_mem(ctx);
    tg_status st = TG_OK;
    if (!defs)
        return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        defs[k++] = tg_proc_at(i);
    qsort(defs, k, sizeof *defs, cmp_defs);
    for (size_t i = 0; i < k && st == TG_OK; i++) {
        const tg_catalog_entry *c = tg_catalog_procedure(defs[i]->name);
        tg_value row[3];
        row[0] = tg_value_cstr(m, defs[i]->name);
        row[1] = signature(m, defs[i]);
        row[2] = tg_value_cstr(m, c ? c->description : "");
        st = tg_proc_emit(ctx, row, err);
    }
    free(defs);
    return st;
}

static tg_status dbms_functions(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args,
                                size_t nargs, void *data, tg_error *err)
{
    const tg_catalog_entry *fs;
    size_t n = tg_catalog_functions(&fs);
    tg_status st = TG_OK;
    for (size_t i = 0; i < n && st == TG_OK; i++) {
        const tg_func *f = tg_func_find(fs[i].name);
        tg_value row[5];
        if (!f)
            continue;
        row[0] = tg_value_cstr(tg_proc_mem(ctx), fs[i].name);
        row[1] = tg_value_cstr(tg_proc_mem(ctx), fs[i].category);
        row[2] = tg_value_cstr(tg_proc_mem(ctx), fs[i].signature);
        row[3] = tg_value_cstr(tg_proc_mem(ctx), fs[i].description);
        row[4] = tg_value_bool(f->agg != NULL);
        st = tg_proc_emit(ctx, row, err);
    }
    return st;
}

static const tg_proc_col col_vis[] = {{"nodes", TG_PROC_LIST}, {"relationships", TG_PROC_LIST}};
static const tg_proc_col col_ntp[] = {{"nodeType", TG_PROC_STRING},
                                      {"nodeLabels", TG_PROC_LIST},
                                      {"propertyName", TG_PROC_STRING},
                                      {"propertyTypes", TG_PROC_LIST},
                                      {"mandatory", TG_PROC_BOOL}};
static const tg_proc_col col_rtp[] = {{"relType", TG_PROC_STRING},
                                      {"propertyName", TG_PROC_STRING},
                                      {"propertyTypes", TG_PROC_LIST},
                                      {"mandatory", TG_PROC_BOOL}};
static const tg_proc_col col_procs[] = {
    {"name", TG_PROC_STRING}, {"signature", TG_PROC_STRING}, {"description", TG_PROC_STRING}};
static const tg_proc_col col_funcs[] = {{"name", TG_PROC_STRING},
                                        {"category", TG_PROC_STRING},
                                        {"signature", TG_PROC_STRING},
                                        {"description", TG_PROC_STRING},
                                        {"aggregating", TG_PROC_BOOL}};

#define BUILTIN(nm, cols, f) {(nm), NULL, 0, 0, (cols), sizeof(cols) / sizeof((cols)[0]), (f), NULL}

static const tg_proc_def builtins[] = {
    BUILTIN("db.labels", col_label, db_labels),
    BUILTIN("db.relationshipTypes", col_type, db_types),
    BUILTIN("db.propertyKeys", col_key, db_keys),
    BUILTIN("db.schema.visualization", col_vis, db_schema_vis),
    BUILTIN("db.schema.nodeTypeProperties", col_ntp, db_node_type_props),
    BUILTIN("db.schema.relTypeProperties", col_rtp, db_rel_type_props),
    BUILTIN("dbms.procedures", col_procs, dbms_procedures),
    BUILTIN("dbms.functions", col_funcs, dbms_functions),
};

size_t tg_proc_count(void)
{
    size_t n = sizeof builtins / sizeof builtins[0];
    ensure_defaults();
    for (size_t i = 0; i < registry_n; i++) {
        int shadows = 0;
        for (size_t k = 0; k < sizeof builtins / sizeof builtins[0]; k++)
            shadows |= strcmp(registry[i].name, builtins[k].name) == 0;
        n += !shadows;
    }
    return n;
}

const tg_proc_def *tg_proc_at(size_t i)
{
    size_t nb = sizeof builtins / sizeof builtins[0];
    ensure_defaults();
    for (size_t r = 0; r < registry_n; r++) {
        int shadows = 0;
        for (size_t k = 0; k < nb; k++)
            shadows |= strcmp(registry[r].name, builtins[k].name) == 0;
        if (shadows)
            continue;
        if (i == 0)
            return &registry[r];
        i--;
    }
    for (size_t k = 0; k < nb; k++) {
        const tg_proc_def *d = tg_proc_find(builtins[k].name);
        if (i == 0)
            return d;
        i--;
    }
    return NULL;
}

tg_status tg_proc_register(const tg_proc_def *def, tg_error *err)
{
    ensure_defaults();
    if (!def || !def->name || !def->fn)
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                            "a procedure needs a name and a function");
    for (size_t i = 0; i < registry_n; i++)
        if (strcmp(registry[i].name, def->name) == 0) {
            registry[i] = *def;
            return TG_OK;
        }
    if (registry_n == registry_cap) {
        size_t nc = registry_cap ? registry_cap * 2 : 16;
        tg_proc_def *nr = realloc(registry, nc * sizeof *nr);
        if (!nr)
            return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        registry = nr;
        registry_cap = nc;
    }
    registry[registry_n++] = *def;
    return TG_OK;
}

int tg_proc_unregister(const char *name)
{
    ensure_defaults();
    for (size_t i = 0; i < registry_n; i++)
        if (strcmp(registry[i].name, name) == 0) {
            memmove(&registry[i], &registry[i + 1], (registry_n - i - 1) * sizeof *registry);
            registry_n--;
            if (registry_n == 0) {
                free(registry);
                registry = NULL;
                registry_cap = 0;
            }
            return 1;
        }
    return 0;
}

const char *tg_proc_name(size_t i)
{
    ensure_defaults();
    if (i < sizeof builtins / sizeof builtins[0])
        return builtins[i].name;
    i -= sizeof builtins / sizeof builtins[0];
    return i < registry_n ? registry[i].name : NULL;
}

const tg_proc_def *tg_proc_find(const char *name)
{
    ensure_defaults();
    for (size_t i = 0; i < registry_n; i++)
        if (strcmp(registry[i].name, name) == 0)
            return &registry[i];
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return &builtins[i];
    return NULL;
}

tg_status tg_proc_emit(tg_proc_ctx *ctx, const tg_value *row, tg_error *err)
{
    if (ctx->n == ctx->cap) {
        size_t nc = ctx->cap ? ctx->cap * 2 : 16;
        tg_value *nr = realloc(ctx->rows, nc * (ctx->nout ? ctx->nout : 1) * sizeof *nr);
        if (!nr)
            return tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        ctx->rows = nr;
        ctx->cap = nc;
    }
    if (ctx->nout)
        memcpy(&ctx->rows[ctx->n * ctx->nout], row, ctx->nout * sizeof *row);
    ctx->n++;
    if (tg_exec_tick(ctx->x, 0))
        return TG_ERUNTIME;
    return TG_OK;
}

tg_vmem *tg_proc_mem(tg_proc_ctx *ctx)
{
    return ctx->x->mem;
}

int tg_proc_should_stop(tg_proc_ctx *ctx)
{
    /* Algorithms poll rarely (once per source, per iteration), so the
     * clock is read on every poll rather than every 1024th tick. */
    return tg_exec_tick(ctx->x, 0) != 0 || tg_exec_past_deadline(ctx->x);
}

const tg_value *tg_proc_option(const tg_value *options, const char *key)
{
    const tg_value *v;
    if (!options || options->kind != TG_VAL_MAP)
        return NULL;
    v = tg_value_map_get(options, key, strlen(key));
    return v && v->kind != TG_VAL_NULL ? v : NULL;
}
