/* runner.c — running scripts (see runner.h). */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"

struct tg_runner {
    tg_graph *g;
    tg_store *store;
    tg_runner_options o;
    tg_params *params;
    tg_result *last;
    tg_render_request pending; /* a :render waiting for its statement */
    int has_pending;
    tg_script *pending_script; /* the script the pending directive's strings live in */
    tg_load_csv_hook csv_hook;
    size_t shown;
};

tg_runner *tg_runner_new(tg_graph *g, tg_store *store, const tg_runner_options *o)
{
    tg_runner *r = calloc(1, sizeof *r);

    if (!r)
        return NULL;
    r->g = g;
    r->store = store;
    if (o)
        r->o = *o;
    tg_cli_load_csv_hook(&r->csv_hook, r->o.base_dir);
    r->params = tg_params_new();
    if (!r->params) {
        free(r);
        return NULL;
    }
    return r;
}

void tg_runner_free(tg_runner *r)
{
    if (!r)
        return;
    tg_result_free(r->last);
    tg_params_free(r->params);
    tg_script_free(r->pending_script);
    free(r);
}

tg_params *tg_runner_params(tg_runner *r)
{
    return r->params;
}

const tg_result *tg_runner_last(const tg_runner *r)
{
    return r->last;
}

long tg_runner_count_statements(const char *text, size_t len)
{
    tg_script *s = NULL;
    tg_error err;
    size_t i;
    long n = 0;

    if (tg_script_split(text, len, &s, &err) != TG_OK)
        return -1;
    for (i = 0; i < s->n_items; i++)
        n += s->items[i].kind == TG_SCRIPT_STATEMENT;
    tg_script_free(s);
    return n;
}

/* Saves one statement's changes, with its text and counts, to the store. */
static int save_statement(tg_store *s, tg_graph *g, const tg_script_item *it, const tg_result *res)
{
    const tg_query_effects *fx = tg_result_effects(res);
    tg_write_counts c;
    tg_error err;

    tg_error_clear(&err);
    c.entities = fx->nodes_created;
    c.relations = fx->relationships_created;
    c.properties = fx->properties_set;
    c.removed = fx->properties_removed;
    c.deleted = fx->nodes_deleted + fx->relationships_deleted;
    if (tg_store_begin_write(s, &err) != TG_OK ||
        tg_store_save_statement(s, g, it->text, it->len, &c, &err) != TG_OK)
        return tg_cli_fail(&err);
    return 0;
}

int tg_runner_run(tg_runner *r, const char *text, size_t len, const char *name, tg_runner_emit emit,
                  void *ctx)
{
    tg_script *script = NULL;
    tg_error err;
    size_t i;
    int rc = 0;

    tg_error_clear(&err);
    if (tg_script_split(text, len, &script, &err) != TG_OK) {
        snprintf(err.file, sizeof err.file, "%s", name);
        return tg_cli_fail_at(&err, text, len);
    }
    {
        /* Every statement is checked (parsed, bound, planned) before the
         * first one runs, so a mistake late in a script changes nothing. */
        tg_query_options qo;
        memset(&qo, 0, sizeof qo);
        qo.timeout_seconds = r->o.timeout;
        qo.max_expansions = r->o.max_expansions;
        qo.file = name;
        qo.load_csv = &r->csv_hook;
        if (tg_script_check(script, r->g, r->params, &qo, NULL, &err) != TG_OK) {
            snprintf(err.file, sizeof err.file, "%s", name);
            rc = tg_cli_fail_at(&err, text, len);
            goto done;
        }
    }
    for (i = 0; i < script->n_items; i++) {
        const tg_script_item *it = &script->items[i];
        tg_query_options qo;
        tg_result *res = NULL;
        uint64_t gen;
        const tg_render_request *fig = NULL;

        if (it->kind == TG_SCRIPT_PARAM) {
            if (tg_params_set_text(r->params, it->name, it->value, &err) != TG_OK) {
                snprintf(err.file, sizeof err.file, "%s", name);
                err.line = it->line;
                err.column = it->column;
                rc = tg_cli_fail_at(&err, text, len);
                goto done;
            }
            continue;
        }
        if (it->kind == TG_SCRIPT_RENDER) {
            if (tg_render_from_directive(it, name, text, len, &r->o.policy, &r->pending, &err) !=
                TG_OK) {
                rc = tg_cli_fail_at(&err, text, len);
                goto done;
            }
            r->pending.opts.timeout = r->o.timeout;
            r->has_pending = 1;
            /* the directive's strings live in this script: keep it */
            if (r->pending_script != script)
                tg_script_free(r->pending_script);
            r->pending_script = script;
            continue;
        }
        memset(&qo, 0, sizeof qo);
        qo.timeout_seconds = r->o.timeout;
        qo.max_expansions = r->o.max_expansions;
        qo.file = name;
        qo.line_offset = it->line - 1;
        qo.load_csv = &r->csv_hook;
        qo.now = r->o.now;
        gen = tg_graph_generation(r->g);
        if (tg_query_run(r->g, it->text, it->len, r->params, &qo, &res, &err) != TG_OK) {
            if ((err.status == TG_EDATA || err.status == TG_ENOENT) && err.file[0] &&
                strcmp(err.file, name) != 0) {
                /* bad data in a file LOAD CSV read: its own position */
                rc = tg_cli_fail(&err);
                goto done;
            }
            tg_script_locate_error(it, &err);
            snprintf(err.file, sizeof err.file, "%s", name);
            rc = tg_cli_fail_at(&err, text, len);
            goto done;
        }
        for (size_t w = 0; w < tg_result_warning_count(res); w++) {
            /* an unknown label, type or property key: the query ran, but warn */
            tg_error wr = *tg_result_warning(res, w);
            tg_script_locate_error(it, &wr);
            fprintf(stderr, "tiegraph: %s:%ld:%ld: warning: %s\n", name, wr.line, wr.column,
                    wr.message);
        }
        if (r->o.timing)
            fprintf(stderr,
                    "tiegraph: statement at %s:%ld: plan %.3f s, execute %.3f s, %zu rows\n", name,
                    it->line, tg_result_timing(res)->parse_plan, tg_result_timing(res)->execute,
                    tg_result_row_count(res));
        if (r->has_pending) {
            r->has_pending = 0;
            if (!tg_render_result_is_drawable(res)) {
                fprintf(stderr,
                        "tiegraph: %s:%ld:%ld: warning: the statement's result holds no node, "
                        "relation or path to draw; %s was not written\n",
                        name, r->pending.line, r->pending.column, r->pending.path);
            } else {
                double t0 = 0;
                (void)t0;
                if (tg_render_result(res, &r->pending, name, &err) != TG_OK) {
                    tg_result_free(res);
                    rc = tg_cli_fail_at(&err, text, len);
                    goto done;
                }
                fig = &r->pending;
                if (r->o.timing)
                    fprintf(stderr,
                            "tiegraph: figure %s: %s, %zu entities, %zu ties, %.3f s\n",
                            r->pending.path, r->pending.info.layout, r->pending.info.entities,
                            r->pending.info.edges, r->pending.info.seconds);
                if (r->pending.info.min_font_pt > 0 && r->pending.info.min_font_pt < 5.5)
                    fprintf(stderr,
                            "tiegraph: %s:%ld:%ld: warning: %s fits its page only at %.0f%%: "
                            "its smallest text prints at %.1f pt; try rankdir=, a narrower "
                            "query or a larger page\n",
                            name, r->pending.line, r->pending.column, r->pending.path,
                            r->pending.info.scale * 100, r->pending.info.min_font_pt);
            }
        }
        tg_result_free(r->last);
        r->last = res;
        /* a part of the store that could not be read makes the result a lie */
        if ((rc = tg_cli_graph_failed(r->g)) != 0)
            goto done;
        if (r->store && tg_graph_generation(r->g) != gen &&
            (rc = save_statement(r->store, r->g, it, res)) != 0)
            goto done;
        if (emit && (rc = emit(ctx, it, r->shown++, res, fig)) != 0)
            goto done;
    }
    if (r->has_pending && !r->o.keep_pending) {
        r->has_pending = 0;
        tg_error_set(&err, TG_ESEMANTIC, name, r->pending.line, r->pending.column,
                     ":render has no statement after it to draw");
        rc = tg_cli_fail_at(&err, text, len);
        goto done;
    }
done:
    if (r->pending_script != script)
        tg_script_free(script);
    else if (!r->has_pending) {
        tg_script_free(script);
        r->pending_script = NULL;
    }
    return rc;
}
