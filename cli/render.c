/* render.c — a query result as a diagram (see render.h).
 *
 * The result's cells are walked once; nodes, relations and paths (inside
 * lists and maps too) are gathered into growable arrays that become a
 * tg_viz_selection. The arrays may repeat items: viz/ sorts and dedupes.
 * The directive parser only checks names and values; viz/ checks them
 * again (layout, rankdir) so that --svg and :render fail the same way.
 */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

/* ---- gathering the selection -------------------------------------------- */

typedef struct idvec {
    uint32_t *v;
    size_t n, cap;
} idvec;

static int push(idvec *a, uint32_t x)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        uint32_t *nv = realloc(a->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        a->v = nv;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return 0;
}

typedef struct gather {
    idvec ents, rels, highlight;
} gather;

/* Adds what value v holds; -1 when out of memory. Recursion depth is the
 * nesting of lists and maps in the value. */
static int walk(gather *g, const tg_value *v)
{
    uint32_t i;

    switch (v->kind) {
    case TG_VAL_NODE: return push(&g->ents, v->u.node);
    case TG_VAL_REL: return push(&g->rels, v->u.rel);
    case TG_VAL_PATH:
        for (i = 0; i <= v->u.path->len; i++)
            if (push(&g->ents, v->u.path->nodes[i]) != 0)
                return -1;
        for (i = 0; i < v->u.path->len; i++)
            if (push(&g->highlight, v->u.path->rels[i]) != 0)
                return -1;
        return 0;
    case TG_VAL_LIST:
        for (i = 0; i < v->len; i++)
            if (walk(g, &v->u.items[i]) != 0)
                return -1;
        return 0;
    case TG_VAL_MAP:
        for (i = 0; i < v->len; i++)
            if (walk(g, &v->u.map[i].value) != 0)
                return -1;
        return 0;
    default: return 0;
    }
}

/* Puts an error without a file of its own at the directive. */
static void place(tg_error *err, const tg_render_request *req, const char *name)
{
    if (err && !err->file[0] && req->line > 0) {
        snprintf(err->file, sizeof err->file, "%s", name);
        err->line = req->line;
        err->column = req->column;
    }
}

tg_status tg_render_result(const tg_result *r, const tg_render_request *req, const char *name,
                           tg_error *err)
{
    gather g;
    size_t nr = tg_result_row_count(r), nc = tg_result_column_count(r), i, j;
    tg_viz_selection s;
    tg_status st;

    memset(&g, 0, sizeof g);
    for (i = 0; i < nr; i++)
        for (j = 0; j < nc; j++) {
            const tg_value *v = tg_result_value(r, i, j);
            if (v && walk(&g, v) != 0) {
                st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
                goto done;
            }
        }
    memset(&s, 0, sizeof s);
    s.g = tg_result_graph(r);
    s.ents = g.ents.v;
    s.nents = g.ents.n;
    s.rels = g.rels.v;
    s.nrels = g.rels.n;
    s.highlight = g.highlight.v;
    s.nhighlight = g.highlight.n;
    st = tg_viz_render(&s, &req->opts, req->format, req->path, err);
done:
    if (st != TG_OK)
        place(err, req, name);
    free(g.ents.v);
    free(g.rels.v);
    free(g.highlight.v);
    return st;
}

/* ---- the :render directive ------------------------------------------------ */

/* The column of `key=` in the directive's line, else the directive's. */
static long key_column(const tg_script_item *it, const char *text, size_t len, const char *key)
{
    size_t i = 0, start, end, klen = strlen(key);
    long line = 1;

    if (!text)
        return it->column;
    while (i < len && line < it->line)
        if (text[i++] == '\n')
            line++;
    start = i;
    for (end = start; end < len && text[end] != '\n'; end++)
        ;
    for (i = start + (size_t)(it->column > 0 ? it->column : 1); i + klen < end; i++)
        if ((text[i - 1] == ' ' || text[i - 1] == '\t') && !memcmp(text + i, key, klen) &&
            text[i + klen] == '=')
            return (long)(i - start) + 1;
    return it->column;
}

/* The column where the path starts (after ":render" and blanks). */
static long path_column(const tg_script_item *it, const char *text, size_t len)
{
    size_t i = 0;
    long line = 1, col;

    if (!text)
        return it->column;
    while (i < len && line < it->line)
        if (text[i++] == '\n')
            line++;
    i += (size_t)(it->column - 1);
    col = it->column;
    if (i + 7 <= len && !memcmp(text + i, ":render", 7)) {
        i += 7;
        col += 7;
        while (i < len && (text[i] == ' ' || text[i] == '\t')) {
            i++;
            col++;
        }
    }
    return col;
}

static int parse_bool(const char *v, int *out)
{
    if (!strcmp(v, "true") || !strcmp(v, "on") || !strcmp(v, "yes")) {
        *out = 1;
        return 0;
    }
    if (!strcmp(v, "false") || !strcmp(v, "off") || !strcmp(v, "no")) {
        *out = 0;
        return 0;
    }
    return -1;
}

tg_status tg_render_from_directive(const tg_script_item *it, const char *name, const char *text,
                                   size_t len, tg_render_request *req, tg_error *err)
{
    static const char *const layouts[] = {"dot", "neato", "fdp", "sfdp", "circo", "twopi", "osage"};
    size_t i, k;
    tg_status st = TG_OK;

    memset(req, 0, sizeof *req);
    tg_viz_options_init(&req->opts);
    req->path = it->path;
    req->line = it->line;
    req->column = it->column;
    req->format = tg_viz_format_of_path(it->path);
    if (!req->format) {
        st = tg_error_set(err, TG_ESEMANTIC, name, it->line, path_column(it, text, len),
                          ":render cannot tell the format of '%s'; expected a path ending in "
                          ".svg, .png or .dot",
                          it->path);
        goto done;
    }
    for (i = 0; i < it->n_options; i++) {
        const char *key = it->keys[i], *val = it->values[i];
        long col = key_column(it, text, len, key);
        if (!strcmp(key, "layout")) {
            for (k = 0; k < sizeof layouts / sizeof layouts[0] && strcmp(val, layouts[k]); k++)
                ;
            if (k == sizeof layouts / sizeof layouts[0]) {
                st = tg_error_set(err, TG_ESEMANTIC, name, it->line, col,
                                  "unknown layout '%s'; expected dot, neato, fdp, sfdp, circo, "
                                  "twopi or osage",
                                  val);
                goto done;
            }
            req->opts.layout = val;
        } else if (!strcmp(key, "title")) {
            req->opts.title = val;
        } else if (!strcmp(key, "cluster")) {
            req->opts.cluster = val[0] ? val : NULL;
        } else if (!strcmp(key, "rankdir")) {
            if (strcmp(val, "TB") && strcmp(val, "LR") && strcmp(val, "BT") && strcmp(val, "RL")) {
                st = tg_error_set(err, TG_ESEMANTIC, name, it->line, col,
                                  "unknown rankdir '%s'; expected TB, LR, BT or RL", val);
                goto done;
            }
            req->opts.rankdir = val;
        } else if (!strcmp(key, "theme")) {
            req->opts.theme_path = val;
        } else if (!strcmp(key, "legend") || !strcmp(key, "footnotes")) {
            int b;
            if (parse_bool(val, &b) != 0) {
                st = tg_error_set(err, TG_ESEMANTIC, name, it->line, col,
                                  "%s expects true or false, got '%s'", key, val);
                goto done;
            }
            if (key[0] == 'l')
                req->opts.legend = b;
            else
                req->opts.footnotes = b;
        } else {
            st = tg_error_set(err, TG_ESYNTAX, name, it->line, col,
                              "unknown :render option '%s'; expected layout, title, cluster, "
                              "rankdir, theme, legend or footnotes",
                              key);
            goto done;
        }
    }
done:
    return st;
}
