/* test_query.c — runs the query tests written as data files.
 *
 * Every tests/queries/NAME.q file holds cases separated by a line "---". A case
 * has sections, each opened by a line naming it:
 *   setup:            statements run first on a fresh graph, one per line
 *                     (a line ending in ';' or not; blank lines ignored)
 *   params:           lines "name = literal"
 *   query:            the statement under test (may span lines)
 *   expect:           first line the column names joined by " | ", then one
 *                     line per row, cells in TCK notation joined by " | ";
 *                     rows compared as a multiset
 *   expect ordered:   the same, rows compared in order
 *   error:            a word the error message must contain (e.g.
 *                     UndefinedVariable), optionally followed by
 *                     " compile" or " runtime"
 * Lines starting with '#' are comments.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "query.h"
#include "tg_test.h"

typedef struct tcase {
    char *setup, *params, *query, *expect, *error;
    int ordered;
    int line;
} tcase;

/* realloc that gives up the test run when memory is short */
static void *grow(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        free(p);
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return q;
}

static char *append(char *s, const char *line)
{
    size_t a = s ? strlen(s) : 0, b = strlen(line);
    char *n = realloc(s, a + b + 2);
    if (!n)
        return s;
    memcpy(n + a, line, b);
    n[a + b] = '\n';
    n[a + b + 1] = 0;
    return n;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *trim(char *s)
{
    size_t n;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = 0;
    return s;
}

static void run_case(const char *file, tcase *c)
{
    tg_graph *g = tg_graph_new();
    tg_params *p = tg_params_new();
    tg_result *r = NULL;
    tg_error err;
    tg_status st;
    char where[512];
    snprintf(where, sizeof where, "%s:%d", file, c->line);
    tg_test_current = where;
    if (c->setup) {
        char *save = NULL, *copy = strdup(c->setup);
        for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
            char *t = trim(l);
            tg_result *sr = NULL;
            if (!*t)
                continue;
            tg_error_clear(&err);
            st = tg_query_run(g, t, strlen(t), NULL, NULL, &sr, &err);
            if (st != TG_OK)
                fprintf(stderr, "%s: setup failed: %s: %s\n", where, t, err.message);
            TG_CHECK(st == TG_OK);
            tg_result_free(sr);
        }
        free(copy);
    }
    if (c->params) {
        char *save = NULL, *copy = strdup(c->params);
        for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
            char *eq = strchr(l, '=');
            if (!eq)
                continue;
            *eq = 0;
            tg_error_clear(&err);
            TG_CHECK(tg_params_set_literal(p, trim(l), trim(eq + 1), &err) == TG_OK);
        }
        free(copy);
    }
    tg_error_clear(&err);
    st = tg_query_run(g, c->query, strlen(c->query), p, NULL, &r, &err);
    if (c->error) {
        char word[128] = "", when[32] = "";
        sscanf(c->error, "%127s %31s", word, when);
        if (st == TG_OK)
            fprintf(stderr, "%s: expected error %s, query succeeded\n", where, word);
        TG_CHECK(st != TG_OK);
        if (st != TG_OK && !strstr(err.message, word))
            fprintf(stderr, "%s: expected %s, got: %s\n", where, word, err.message);
        TG_CHECK(st == TG_OK || strstr(err.message, word) != NULL);
        if (st != TG_OK && strcmp(when, "compile") == 0)
            TG_CHECK(tg_query_error_is_compile_time(&err));
        if (st != TG_OK && strcmp(when, "runtime") == 0)
            TG_CHECK(!tg_query_error_is_compile_time(&err));
    } else {
        if (st != TG_OK)
            fprintf(stderr, "%s: query failed: %s (line %ld col %ld)\n", where, err.message,
                    err.line, err.column);
        TG_CHECK(st == TG_OK);
        if (st == TG_OK) {
            char **want = NULL, **got = NULL;
            size_t nwant = 0, ngot = 0;
            char *copy = strdup(c->expect ? c->expect : "\n"), *save = NULL;
            char *header = NULL, hdr[1024] = "";
            for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                char *t = trim(l);
                if (!header) {
                    header = t;
                    continue;
                }
                want = grow(want, (nwant + 1) * sizeof *want);
                want[nwant++] = strdup(t);
            }
            if (header && strcmp(header, "-") == 0)
                header = "";
            for (size_t i = 0; i < tg_result_column_count(r); i++) {
                if (i)
                    strcat(hdr, " | ");
                strncat(hdr, tg_result_column_name(r, i), 200);
            }
            if (strcmp(hdr, header ? header : "") != 0)
                fprintf(stderr, "%s: columns '%s', expected '%s'\n", where, hdr,
                        header ? header : "");
            TG_CHECK_STR(hdr, header ? header : "");
            for (size_t row = 0; row < tg_result_row_count(r); row++) {
                size_t cap = 256, len = 0;
                char *line = calloc(1, cap);
                for (size_t col = 0; col < tg_result_column_count(r); col++) {
                    char *cell = tg_result_cell_format(r, row, col, TG_CELL_TCK);
                    size_t need = len + strlen(cell) + 4;
                    if (need >= cap) {
                        cap = need * 2;
                        line = grow(line, cap);
                    }
                    len += (size_t)sprintf(line + len, "%s%s", col ? " | " : "", cell);
                    free(cell);
                }
                got = grow(got, (ngot + 1) * sizeof *got);
                got[ngot++] = line;
            }
            if (!c->ordered) {
                if (nwant)
                    qsort(want, nwant, sizeof *want, cmp_str);
                if (ngot)
                    qsort(got, ngot, sizeof *got, cmp_str);
            }
            if (nwant != ngot)
                fprintf(stderr, "%s: %zu rows, expected %zu\n", where, ngot, nwant);
            TG_CHECK_INT(ngot, nwant);
            for (size_t i = 0; i < nwant && i < ngot; i++)
                TG_CHECK_STR(got[i], want[i]);
            for (size_t i = 0; i < nwant; i++)
                free(want[i]);
            for (size_t i = 0; i < ngot; i++)
                free(got[i]);
            free(want);
            free(got);
            free(copy);
        }
    }
    tg_result_free(r);
    tg_params_free(p);
    tg_graph_free(g);
}

static void free_case(tcase *c)
{
    free(c->setup);
    free(c->params);
    free(c->query);
    free(c->expect);
    free(c->error);
    memset(c, 0, sizeof *c);
}

static int run_file(const char *path, const char *name)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    tcase c;
    char **section = NULL;
    int n = 0, lineno = 0;
    memset(&c, 0, sizeof c);
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f)) {
        char *t;
        lineno++;
        line[strcspn(line, "\n")] = 0;
        t = trim(line);
        if (t[0] == '#' && section != &c.query)
            continue;
        if (strcmp(t, "---") == 0) {
            if (c.query) {
                run_case(name, &c);
                n++;
            }
            free_case(&c);
            section = NULL;
            continue;
        }
        if (!c.line)
            c.line = lineno;
        if (strcmp(t, "setup:") == 0)
            section = &c.setup;
        else if (strcmp(t, "params:") == 0)
            section = &c.params;
        else if (strcmp(t, "query:") == 0)
            section = &c.query;
        else if (strcmp(t, "expect:") == 0) {
            section = &c.expect;
        } else if (strcmp(t, "expect ordered:") == 0) {
            section = &c.expect;
            c.ordered = 1;
        } else if (strncmp(t, "error:", 6) == 0) {
            c.error = strdup(trim(t + 6));
            section = NULL;
        } else if (section) {
            if (section == &c.expect && !*t && !c.expect)
                continue;
            *section = append(*section, section == &c.expect ? t : line);
        }
    }
    if (c.query) {
        run_case(name, &c);
        n++;
    }
    free_case(&c);
    fclose(f);
    return n;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    char dir[1024];
    DIR *d;
    struct dirent *e;
    char *names[256];
    size_t nn = 0;
    int cases = 0;
    snprintf(dir, sizeof dir, "%s/tests/queries", TG_SOURCE_DIR);
    d = opendir(dir);
    TG_CHECK(d != NULL);
    while (d && (e = readdir(d)) && nn < 256) {
        size_t l = strlen(e->d_name);
        if (l > 2 && strcmp(e->d_name + l - 2, ".q") == 0)
            names[nn++] = strdup(e->d_name);
    }
    if (d)
        closedir(d);
    qsort(names, nn, sizeof *names, cmp_names);
    for (size_t i = 0; i < nn; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        cases += run_file(path, names[i]);
        free(names[i]);
    }
    fprintf(stderr, "%d query cases\n", cases);
    TG_CHECK(cases > 0);
    return tg_test_finish();
}
