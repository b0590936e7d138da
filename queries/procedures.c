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
    return st;
}

static const tg_proc_def builtins[] = {
    {"db.labels", NULL, 0, 0, col_label, 1, db_labels, NULL},
    {"db.relationshipTypes", NULL, 0, 0, col_type, 1, db_types, NULL},
    {"db.propertyKeys", NULL, 0, 0, col_key, 1, db_keys, NULL},
};

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
