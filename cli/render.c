/* render.c — a query result as a diagram (see render.h).
 *
 * The result's cells are walked once; nodes, relations and paths (inside
 * lists and maps too) are gathered into growable arrays that become a
 * tg_viz_selection. The arrays may repeat items: viz/ sorts and dedupes.
 * The directive parser only checks names and values; viz/ checks them
 * again (layout, rankdir) so that --svg and :render fail the same way.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "render.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
    idvec ents, rels, highlight, walk;
    const char **group; /* parallel to ents when clustering by a column */
    size_t gcap;
    const char *row_group; /* this row's cluster value */
    int marked;            /* the column being walked is one highlight= names */
    int by_column;         /* highlight= was given */
} gather;

/* Adds an entity (and, when clustering by a column, its row's value). */
static int push_ent(gather *g, tg_ent e)
{
    if (push(&g->ents, e) != 0)
        return -1;
    if (g->gcap) {
        if (g->ents.n > g->gcap) {
            size_t cap = g->ents.cap;
            const char **ng = realloc((void *)g->group, cap * sizeof *ng);
            if (!ng)
                return -1;
            g->group = ng;
            g->gcap = cap;
        }
        g->group[g->ents.n - 1] = g->row_group;
    }
    return 0;
}

/* Adds what value v holds; -1 when out of memory. Recursion depth is the
 * nesting of lists and maps in the value. */
static int walk(gather *g, const tg_value *v)
{
    uint32_t i;

    switch (v->kind) {
    case TG_VAL_NODE: return push_ent(g, v->u.node);
    case TG_VAL_REL:
        if (g->by_column && g->marked)
            return push(&g->highlight, v->u.rel) || push(&g->walk, TG_NONE);
        return push(&g->rels, v->u.rel);
    case TG_VAL_PATH:
        for (i = 0; i <= v->u.path->len; i++)
            if (push_ent(g, v->u.path->nodes[i]) != 0)
                return -1;
        for (i = 0; i < v->u.path->len; i++) {
            /* a path's relations are marked unless highlight= names other
             * columns; either way the path is read in its own order */
            if (push(&g->highlight, v->u.path->rels[i]) != 0 ||
                push(&g->walk, v->u.path->nodes[i]) != 0)
                return -1;
        }
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

static int drawable(const tg_value *v)
{
    uint32_t i;

    switch (v->kind) {
    case TG_VAL_NODE:
    case TG_VAL_REL:
    case TG_VAL_PATH: return 1;
    case TG_VAL_LIST:
        for (i = 0; i < v->len; i++)
            if (drawable(&v->u.items[i]))
                return 1;
        return 0;
    case TG_VAL_MAP:
        for (i = 0; i < v->len; i++)
            if (drawable(&v->u.map[i].value))
                return 1;
        return 0;
    default: return 0;
    }
}

int tg_render_result_is_drawable(const tg_result *r)
{
    size_t nr = tg_result_row_count(r), nc = tg_result_column_count(r), i, j;

    for (i = 0; i < nr; i++)
        for (j = 0; j < nc; j++) {
            const tg_value *v = tg_result_value(r, i, j);
            if (v && drawable(v))
                return 1;
        }
    return 0;
}

/* Whether column name is in the comma-separated list. */
static int in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    const char *p = list;

    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && *p == ' ') {
            p++;
            len--;
        }
        while (len && p[len - 1] == ' ')
            len--;
        if (len == n && !memcmp(p, name, n))
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
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

/* ---- never overwrite what is not a figure ------------------------------ */

static int starts(const char *buf, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && !memcmp(buf, prefix, k);
}

/* TG_OK when path does not exist, or is a regular file (not a link) whose
 * first bytes are those of an SVG, PNG, PDF or DOT file. */
static tg_status check_overwrite(const char *path, tg_error *err)
{
    struct stat st;
    char buf[64];
    size_t n = 0, i = 0;
    FILE *f;

    if (lstat(path, &st) != 0)
        return TG_OK;
    if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode))
        return tg_error_set(err, TG_ESEMANTIC, path, 0, 0,
                            "refusing to write a figure over %s, which is not a regular file",
                            S_ISLNK(st.st_mode) ? "a symbolic link" : "something");
    if (st.st_size == 0)
        return TG_OK;
    f = fopen(path, "rb");
    if (f) {
        n = fread(buf, 1, sizeof buf, f);
        fclose(f);
    }
    while (i < n && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t'))
        i++;
    if (starts(buf, n, "\x89PNG\r\n\x1a\n") || starts(buf, n, "%PDF-") ||
        starts(buf + i, n - i, "<?xml") || starts(buf + i, n - i, "<svg") ||
        starts(buf + i, n - i, "<!--") || starts(buf + i, n - i, "digraph") ||
        starts(buf + i, n - i, "graph") || starts(buf + i, n - i, "strict") ||
        starts(buf + i, n - i, "//"))
        return TG_OK;
    return tg_error_set(err, TG_ESEMANTIC, path, 0, 0,
                        "refusing to overwrite a file that is not a figure (SVG, PNG, PDF or "
                        "DOT); remove it or choose another path");
}

tg_status tg_render_result(const tg_result *r, tg_render_request *req, const char *name,
                           tg_error *err)
{
    gather g;
    size_t nr = tg_result_row_count(r), nc = tg_result_column_count(r), i, j, gcol = 0;
    char **rowtext = NULL;
    tg_viz_selection s;
    tg_status st;

    memset(&g, 0, sizeof g);
    g.by_column = req->highlight && req->highlight[0];
    /* the names must be columns: a typo would silently mark nothing */
    if (g.by_column && strcmp(req->highlight, "none")) {
        const char *p = req->highlight;
        while (*p) {
            char col[256];
            const char *e = strchr(p, ',');
            size_t len = e ? (size_t)(e - p) : strlen(p), k;
            int found = 0;
            snprintf(col, sizeof col, "%.*s", (int)(len < 255 ? len : 255), p);
            for (k = 0; k < nc && !found; k++)
                found = !strcmp(tg_result_column_name(r, k), col);
            if (!found) {
                st = tg_error_set(err, TG_ESEMANTIC, NULL, 0, 0,
                                  "highlight names '%s', which is not a column of the result", col);
                goto done;
            }
            if (!e)
                break;
            p = e + 1;
        }
    }
    /* cluster= naming a column of the result: each row's entities go in the
     * box of that row's value */
    for (j = 0; req->opts.cluster && j < nc; j++)
        if (!strcmp(tg_result_column_name(r, j), req->opts.cluster))
            break;
    if (req->opts.cluster && j < nc) {
        gcol = j;
        g.gcap = 1;
        g.group = malloc(sizeof *g.group);
        rowtext = calloc(nr + 1, sizeof *rowtext);
        if (!g.group || !rowtext) {
            st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            goto done;
        }
    }
    for (i = 0; i < nr; i++) {
        if (rowtext) {
            const tg_value *cv = tg_result_value(r, i, gcol);
            char buf[64];
            g.row_group = NULL;
            if (cv && cv->kind == TG_VAL_STRING)
                rowtext[i] = strndup(cv->u.s, cv->len);
            else if (cv && cv->kind == TG_VAL_INT) {
                snprintf(buf, sizeof buf, "%s %lld", req->opts.cluster, (long long)cv->u.i);
                rowtext[i] = strdup(buf);
            } else if (cv && cv->kind == TG_VAL_NODE) {
                size_t l;
                const char *id = tg_graph_str(
                    tg_result_graph(r), tg_graph_entity_id(tg_result_graph(r), cv->u.node), &l);
                rowtext[i] = strndup(id, l);
            }
            g.row_group = rowtext[i];
        }
        for (j = 0; j < nc; j++) {
            const tg_value *v = tg_result_value(r, i, j);
            size_t before_hl = g.highlight.n;
            if (rowtext && j == gcol)
                continue;
            g.marked = !g.by_column || in_list(req->highlight, tg_result_column_name(r, j));
            if (v && walk(&g, v) != 0) {
                st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
                goto done;
            }
            if (!g.marked) { /* paths of unmarked columns: drawn in order, not marked */
                size_t k;
                for (k = before_hl; k < g.highlight.n; k++)
                    if (push(&g.rels, g.highlight.v[k]) != 0) {
                        st = tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
                        goto done;
                    }
                g.highlight.n = before_hl;
                g.walk.n = before_hl;
            }
        }
    }
    if ((st = check_overwrite(req->path, err)) != TG_OK)
        goto done;
    memset(&s, 0, sizeof s);
    s.g = tg_result_graph(r);
    s.ents = g.ents.v;
    s.nents = g.ents.n;
    s.rels = g.rels.v;
    s.nrels = g.rels.n;
    s.highlight = g.highlight.v;
    s.nhighlight = g.highlight.n;
    s.walk_from = g.walk.v;
    s.ent_group = rowtext ? g.group : NULL;
    req->opts.info = &req->info;
    st = tg_viz_render(&s, &req->opts, req->format, req->path, err);
done:
    if (st != TG_OK)
        place(err, req, name);
    free(g.ents.v);
    free(g.rels.v);
    free(g.highlight.v);
    free(g.walk.v);
    free((void *)g.group);
    for (i = 0; rowtext && i < nr; i++)
        free(rowtext[i]);
    free(rowtext);
    return st;
}

/* ---- where :render may write ---------------------------------------------- */

void tg_render_dirname(const char *path, char *buf, size_t cap)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        snprintf(buf, cap, ".");
    else if (slash == path)
        snprintf(buf, cap, "/");
    else
        snprintf(buf, cap, "%.*s", (int)(slash - path), path);
}

/* Whether the real path of dir lies inside the real folder root. */
static int inside(const char *dir_real, const char *root)
{
    char r[PATH_MAX];
    size_t n;

    if (!realpath(root, r))
        return 0;
    n = strlen(r);
    if (n == 1 && r[0] == '/')
        return 1;
    return !strncmp(dir_real, r, n) && (dir_real[n] == '\0' || dir_real[n] == '/');
}

/* Resolves a :render path under the policy into out. */
static tg_status resolve(const char *path, const tg_render_policy *policy, char *out, size_t cap,
                         tg_error *err)
{
    const char *base = policy && policy->base ? policy->base : ".";
    char dir[4096], dir_real[PATH_MAX];
    size_t i;
    int ok;

    if (path[0] == '/')
        snprintf(out, cap, "%s", path);
    else if (!strcmp(base, "."))
        snprintf(out, cap, "%s", path);
    else
        snprintf(out, cap, "%s/%s", base, path);
    tg_render_dirname(out, dir, sizeof dir);
    if (!realpath(dir, dir_real))
        return tg_error_set(err, TG_ESEMANTIC, NULL, 0, 0,
                            ":render cannot write '%s': folder '%s' does not exist", path, dir);
    ok = inside(dir_real, base);
    for (i = 0; policy && i < policy->nallow && !ok; i++)
        ok = inside(dir_real, policy->allow[i]);
    if (!ok)
        return tg_error_set(err, TG_ESEMANTIC, NULL, 0, 0,
                            ":render may only write inside the script's folder ('%s'); '%s' is "
                            "outside it (allow a folder with --allow-write DIR)",
                            base, path);
    return TG_OK;
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

static const char *const layouts[] = {"auto", "dot",   "neato", "fdp",
                                      "sfdp", "circo", "twopi", "osage"};

tg_status tg_render_from_directive(const tg_script_item *it, const char *name, const char *text,
                                   size_t len, const tg_render_policy *policy,
                                   tg_render_request *req, tg_error *err)
{
    size_t i, k;
    tg_status st = TG_OK;

    memset(req, 0, sizeof *req);
    tg_viz_options_init(&req->opts);
    req->line = it->line;
    req->column = it->column;
    req->format = tg_viz_format_of_path(it->path);
    if (!req->format) {
        st = tg_error_set(err, TG_ESEMANTIC, name, it->line, path_column(it, text, len),
                          ":render cannot tell the format of '%s'; expected a path ending in "
                          ".svg, .png, .pdf or .dot",
                          it->path);
        goto done;
    }
    if ((st = resolve(it->path, policy, req->path, sizeof req->path, err)) != TG_OK) {
        snprintf(err->file, sizeof err->file, "%s", name);
        err->line = it->line;
        err->column = path_column(it, text, len);
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
                                  "unknown layout '%s'; expected auto, dot, neato, fdp, sfdp, "
                                  "circo, twopi or osage",
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
        } else if (!strcmp(key, "page")) {
            req->opts.page = val;
        } else if (!strcmp(key, "root")) {
            req->opts.root = val;
        } else if (!strcmp(key, "rank")) {
            if (strcmp(val, "by-label")) {
                st = tg_error_set(err, TG_ESEMANTIC, name, it->line, col,
                                  "unknown rank '%s'; expected by-label", val);
                goto done;
            }
            req->opts.rank = val;
        } else if (!strcmp(key, "highlight")) {
            req->highlight = val;
        } else if (!strcmp(key, "dpi")) {
            char *end;
            long dpi = strtol(val, &end, 10);
            if (*end || dpi < 36 || dpi > 1200) {
                st = tg_error_set(err, TG_ESEMANTIC, name, it->line, col,
                                  "dpi expects a whole number from 36 to 1200, got '%s'", val);
                goto done;
            }
            req->opts.dpi = (int)dpi;
        } else if (!strcmp(key, "legend") || !strcmp(key, "footnotes") || !strcmp(key, "reverse") ||
                   !strcmp(key, "force")) {
            int b;
            if (parse_bool(val, &b) != 0) {
                st = tg_error_set(err, TG_ESEMANTIC, name, it->line, col,
                                  "%s expects true or false, got '%s'", key, val);
                goto done;
            }
            if (key[0] == 'l')
                req->opts.legend = b;
            else if (key[0] == 'r')
                req->opts.reverse = b;
            else if (key[1] == 'o' && key[2] == 'r')
                req->opts.force = b;
            else
                req->opts.footnotes = b;
        } else {
            st = tg_error_set(err, TG_ESYNTAX, name, it->line, col,
                              "unknown :render option '%s'; expected layout, title, cluster, "
                              "rankdir, theme, legend, footnotes, page, dpi, root, reverse, "
                              "rank, highlight or force",
                              key);
            goto done;
        }
    }
done:
    return st;
}

tg_status tg_render_from_option(const char *option, const char *format, const char *path,
                                tg_render_request *req, tg_error *err)
{
    const char *ext = tg_viz_format_of_path(path);

    memset(req, 0, sizeof *req);
    tg_viz_options_init(&req->opts);
    req->format = format;
    if (ext && strcmp(ext, format))
        return tg_error_set(err, TG_EINVAL, NULL, 0, 0,
                            "%s writes %s, but '%s' names a .%s file; use --%s, or a path "
                            "ending in .%s",
                            option, format, path, ext, ext, format);
    snprintf(req->path, sizeof req->path, "%s", path);
    return TG_OK;
}
