/* qtest.c — tg-qtest, the runner of query tests written as data files.
 *
 *   tg-qtest [-v] [-f SUBSTRING] [--root DIR] [PATH...]
 *
 * PATH is a .test file or a folder of them (default: tests/queries of the
 * checkout). The format is in tests/queries/README.md: each `### name`
 * starts a case made of sections `--- graph`, `--- params`, `--- query`,
 * `--- expect ...`, `--- error ...`, `--- effects`; a `--- graph` before the
 * first case is the file's default graph. The query section is a script
 * (statements, comments, :param directives; the last statement's result is
 * checked). Expected rows use the TCK's value notation and are compared by
 * tck_check_result (tests/tck).
 *
 * The algo.* procedures are registered at start-up (tg_proc_algo_register)
 * so that cases can CALL them. Cases run in this process, one fresh graph each, so that
 * AddressSanitizer and LeakSanitizer see the engine's whole life. Prints passes per file and "N
 * passed, N failed"; exits 0 when every case passed, 1 otherwise, 2 when a file cannot be read or
 * is malformed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "graph.h"
#include "json_loader.h"
#include "proc_algo.h"
#include "query.h"
#include "script.h"
#include "tck_check.h"
#include "tck_feature.h"

#ifndef TG_SOURCE_DIR
#define TG_SOURCE_DIR "."
#endif

typedef struct qcase {
    char *name;
    int line;
    char *graph; /* section text, NULL: the file's default */
    char *params;
    char *query;
    int has_expect, ordered, unordered_lists, expect_empty;
    tck_table expect;
    int has_error;
    char *error; /* "KIND [compile-time|run-time] [LINE:COL] [substring]" */
    int has_effects;
    tck_table effects;
    double timeout;     /* --- timeout SECONDS: the query's time limit, 0 none */
    char *then;         /* --- then: a query run afterwards on the same graph */
    int has_warnings;   /* --- warnings: one substring per warning, in order */
    char *warnings;
    int has_then_expect;
    tck_table then_expect;
} qcase;

typedef struct qopts {
    int verbose;
    const char *filter;
    const char *root;
} qopts;

static void qcase_clear(qcase *c)
{
    free(c->name);
    free(c->graph);
    free(c->params);
    free(c->query);
    free(c->error);
    free(c->then);
    free(c->warnings);
    tck_table_free(&c->then_expect);
    tck_table_free(&c->expect);
    tck_table_free(&c->effects);
    memset(c, 0, sizeof *c);
}

static char *trim_copy(const char *s, size_t n)
{
    char *d;

    while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static const struct {
    const char *word;
    tg_status status;
} kinds[] = {
    {"syntax", TG_ESYNTAX}, {"semantic", TG_ESEMANTIC}, {"type", TG_ETYPE},
    {"argument", TG_EARG},  {"runtime", TG_ERUNTIME},
};

/* Loads the graph section: a .json/.jsonl path (relative to the test file's
 * folder, then to the root) or setup statements. */
static int load_graph(tg_graph *g, const char *spec, const char *testdir, const qopts *o,
                      tck_msg *m)
{
    size_t n = strlen(spec);
    int ok = 0;

    if (n > 5 && !strchr(spec, '\n') &&
        (strcmp(spec + n - 5, ".json") == 0 || strcmp(spec + n - 6, ".jsonl") == 0)) {
        char path[4096];
        struct stat st;
        tg_error err;
        if (spec[0] == '/')
            snprintf(path, sizeof path, "%s", spec);
        else {
            snprintf(path, sizeof path, "%s/%s", testdir, spec);
            if (stat(path, &st) != 0)
                snprintf(path, sizeof path, "%s/%s", o->root, spec);
        }
        tg_error_clear(&err);
        if (tg_json_load_file(g, path, &err) != TG_OK) {
            tck_msg_printf(m, "cannot load graph %s: %s:%ld:%ld: %s\n", path, err.file, err.line,
                           err.column, err.message);
            goto done;
        }
        ok = 1;
    } else {
        char *text = malloc(n + 1);
        if (!text) {
            tck_msg_puts(m, "out of memory\n");
            goto done;
        }
        memcpy(text, spec, n + 1);
        ok = tck_run_setup(g, text, NULL, NULL, m);
        free(text);
    }
done:
    return ok;
}

/* Sets one parameter per line "NAME = LITERAL" ('#' lines and blank lines
 * skipped); a malformed line or a rejected literal fails with the reason
 * in m. */
static int set_params(tg_params *p, const char *text, tck_msg *m)
{
    const char *s = text;
    int ok = 1;

    while (*s && ok) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        char *line = trim_copy(s, n);
        char *eq = line ? strchr(line, '=') : NULL;
        char *name = NULL, *val = NULL;
        tg_error err;
        tg_error_clear(&err);
        if (!line) {
            tck_msg_puts(m, "out of memory\n");
            ok = 0;
        } else if (line[0] == '\0' || line[0] == '#') {
            /* blank or comment */
        } else if (!eq) {
            tck_msg_printf(m, "a parameter line needs NAME = LITERAL: %s\n", line);
            ok = 0;
        } else {
            *eq = '\0';
            name = trim_copy(line, strlen(line));
            val = trim_copy(eq + 1, strlen(eq + 1));
            if (!name || !val || tg_params_set_literal(p, name, val, &err) != TG_OK) {
                tck_msg_printf(m, "parameter %s = %s rejected: ", name ? name : "?",
                               val ? val : "?");
                tck_describe_error(m, &err);
                tck_msg_puts(m, "\n");
                ok = 0;
            }
        }
        free(name);
        free(val);
        free(line);
        s += n + (nl ? 1 : 0);
    }
    return ok;
}

/* Checks a failed query against "KIND [compile-time|run-time] [LINE:COL]
 * [substring]". The phase is tg_query_error_is_compile_time's verdict: it
 * tells a type or argument error found by the binder from one raised while
 * rows are produced. */
static int check_error(const char *spec, tg_status st, const tg_error *err, tck_msg *m)
{
    char word[32] = "", phase[16] = "";
    long line = 0, col = 0;
    int used = 0, ok = 0, compile = -1; /* -1: the phase is not checked */
    size_t k = 0;
    const char *rest = spec;

    if (sscanf(spec, "%31s%n", word, &used) == 1) {
        for (rest = spec + used; *rest == ' '; rest++)
            ;
        for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
            if (strcmp(word, kinds[k].word) == 0)
                break;
    }
    if (sscanf(rest, "%15s%n", phase, &used) == 1 &&
        (strcmp(phase, "compile-time") == 0 || strcmp(phase, "run-time") == 0)) {
        compile = phase[0] == 'c';
        for (rest += used; *rest == ' '; rest++)
            ;
    }
    if (sscanf(rest, "%ld:%ld%n", &line, &col, &used) == 2)
        for (rest += used; *rest == ' '; rest++)
            ;
    if (!word[0] || k == sizeof kinds / sizeof kinds[0])
        tck_msg_printf(m, "--- error needs a kind: syntax, semantic, type, argument, runtime\n");
    else if (st != kinds[k].status)
        tck_msg_printf(m, "expected a %s error, got ", word);
    else if (compile >= 0 && (tg_query_error_is_compile_time(err) != 0) != compile)
        tck_msg_printf(m, "expected the error at %s, got ", compile ? "compile time" : "run time");
    else if (line > 0 && (err->line != line || err->column != col))
        tck_msg_printf(m, "expected the error at %ld:%ld, got ", line, col);
    else if (*rest && !strstr(err->message, rest))
        tck_msg_printf(m, "expected the message to contain \"%s\", got ", rest);
    else
        ok = 1;
    if (!ok && word[0] && k < sizeof kinds / sizeof kinds[0]) {
        tck_describe_error(m, err);
        tck_msg_puts(m, "\n");
    }
    return ok;
}

/* The warnings of the last statement against the section: line k holds a
 * substring of warning k; as many warnings as lines (none for an empty
 * section). */
static int check_warnings(const char *spec, const tg_result *res, tck_msg *m)
{
    size_t n = res ? tg_result_warning_count(res) : 0, k = 0;
    const char *s = spec ? spec : "";
    int ok = 1;
    while (*s && ok) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        char *want = trim_copy(s, len);
        if (want && *want && *want != '#') {
            const tg_error *w = k < n ? tg_result_warning(res, k) : NULL;
            if (!w || !strstr(w->message, want)) {
                tck_msg_printf(m, "warning %zu: expected \"%s\", got %s\n", k + 1, want,
                               w ? w->message : "none");
                ok = 0;
            }
            k++;
        }
        free(want);
        s += len + (nl ? 1 : 0);
    }
    if (ok && k != n) {
        tck_msg_printf(m, "expected %zu warnings, got %zu", k, n);
        for (size_t i = 0; i < n; i++)
            tck_msg_printf(m, "%s%s", i ? "; " : ": ", tg_result_warning(res, i)->message);
        tck_msg_puts(m, "\n");
        ok = 0;
    }
    return ok;
}

/* Runs the query section as a script (tg_script_split): statements in
 * order, `:param name => value` directives setting parameters, `:render`
 * ignored. Stops at the first failure. *res is the last statement's result
 * (NULL when there is none or on failure); err has the failure, its line
 * counted from the start of the section. */
static tg_status run_script(tg_graph *g, const char *text, tg_params *p, double timeout,
                            tg_result **res, tg_error *err)
{
    tg_script *sc = NULL;
    tg_query_options qo;
    tg_status st = tg_script_split(text, strlen(text), &sc, err);
    size_t k;

    memset(&qo, 0, sizeof qo);
    qo.timeout_seconds = timeout;
    /* as the CLI does: every statement is checked before any runs */
    if (st == TG_OK)
        st = tg_script_check(sc, g, p, &qo, NULL, err);
    for (k = 0; st == TG_OK && k < sc->n_items; k++) {
        const tg_script_item *it = &sc->items[k];
        if (it->kind == TG_SCRIPT_PARAM) {
            st = tg_params_set_text(p, it->name, it->value, err);
        } else if (it->kind == TG_SCRIPT_STATEMENT) {
            tg_result_free(*res);
            *res = NULL;
            qo.line_offset = it->line - 1;
            st = tg_query_run(g, it->text, it->len, p, &qo, res, err);
        }
    }
    if (st != TG_OK && err->status == TG_OK)
        tg_error_set(err, st, NULL, 0, 0, "the script failed");
    if (st != TG_OK) {
        tg_result_free(*res);
        *res = NULL;
    }
    tg_script_free(sc);
    return st;
}

static int run_qcase(const qcase *c, const char *default_graph, const char *testdir, const qopts *o,
                     tck_msg *m)
{
    tg_graph *g = tg_graph_new();
    tg_params *p = tg_params_new();
    tg_result *res = NULL;
    tg_error err;
    tg_status st;
    const char *graph = c->graph ? c->graph : default_graph;
    int ok = 0;

    tg_error_clear(&err);
    if (!g || !p) {
        tck_msg_puts(m, "out of memory\n");
        goto done;
    }
    if (!c->query) {
        tck_msg_puts(m, "the case has no --- query\n");
        goto done;
    }
    if (!c->has_expect && !c->has_error) {
        tck_msg_puts(m, "the case has neither --- expect nor --- error\n");
        goto done;
    }
    if (graph && *graph && !load_graph(g, graph, testdir, o, m))
        goto done;
    if (c->params && !set_params(p, c->params, m))
        goto done;
    st = run_script(g, c->query, p, c->timeout, &res, &err);
    if (st == TG_OK && !res) {
        tck_msg_puts(m, "the query section holds no statement\n");
        goto done;
    }
    if (c->has_error) {
        if (st == TG_OK) {
            tck_msg_printf(m, "expected an error (%s), the query returned %zu rows\n", c->error,
                           tg_result_row_count(res));
            goto done;
        }
        if (!check_error(c->error, st, &err, m))
            goto done;
    } else {
        if (st != TG_OK) {
            tck_msg_puts(m, "the query failed: ");
            tck_describe_error(m, &err);
            tck_msg_puts(m, "\n");
            goto done;
        }
        if (c->expect_empty) {
            if (tg_result_row_count(res) != 0) {
                tck_msg_printf(m, "expected no rows, got %zu\n", tg_result_row_count(res));
                goto done;
            }
        } else if (!tck_check_result(res, &c->expect, c->ordered, c->unordered_lists, m)) {
            goto done;
        }
    }
    if (c->has_effects && !tck_check_effects(st == TG_OK ? res : NULL, &c->effects, m))
        goto done;
    if (c->has_warnings && !check_warnings(c->warnings, res, m))
        goto done;
    if (c->then) {
        /* a query on the graph the script left behind, failed or not */
        tg_result *after = NULL;
        tg_error_clear(&err);
        st = run_script(g, c->then, p, 0, &after, &err);
        if (st != TG_OK) {
            tck_msg_puts(m, "the --- then query failed: ");
            tck_describe_error(m, &err);
            tck_msg_puts(m, "\n");
            goto done;
        }
        ok = !c->has_then_expect || tck_check_result(after, &c->then_expect, 0, 0, m);
        tg_result_free(after);
        if (!ok) {
            tck_msg_puts(m, "  (the --- then query)\n");
            goto done;
        }
    }
    ok = 1;
done:
    if (!ok) {
        tck_msg_puts(m, "  query:\n");
        tck_msg_indent(m, "    ", c->query ? c->query : "");
    }
    tg_result_free(res);
    tg_params_free(p);
    tg_graph_free(g);
    return ok;
}

typedef enum sect {
    S_NONE,
    S_GRAPH,
    S_PARAMS,
    S_QUERY,
    S_EXPECT,
    S_ERROR,
    S_EFFECTS,
    S_THEN,
    S_THEN_EXPECT,
    S_WARNINGS
} sect;

/* Section text is gathered line by line into acc and stored when the next
 * section or case starts. */
typedef struct reader {
    const char *path;
    const char *testdir;
    const qopts *o;
    char *default_graph;
    qcase cur;
    int in_case;
    sect sec;
    char *acc;
    size_t acclen, acccap;
    size_t passed, failed;
    int bad; /* malformed file */
} reader;

static int acc_add(reader *r, const char *s, size_t n)
{
    if (r->acclen + n + 2 > r->acccap) {
        size_t cap = (r->acclen + n + 2) * 2;
        char *na = realloc(r->acc, cap);
        if (!na)
            return 0;
        r->acc = na;
        r->acccap = cap;
    }
    memcpy(r->acc + r->acclen, s, n);
    r->acclen += n;
    r->acc[r->acclen++] = '\n';
    r->acc[r->acclen] = '\0';
    return 1;
}

/* Appends s repeated times times, then a line break. */
static int acc_repeat(reader *r, const char *s, size_t times)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + 1 < times; i++) {
        if (!acc_add(r, s, n))
            return 0;
        r->acclen--; /* no line break between copies */
        r->acc[r->acclen] = '\0';
    }
    return acc_add(r, s, n);
}

/* Stores the gathered text of the current section. */
static int close_section(reader *r)
{
    char *text = trim_copy(r->acc ? r->acc : "", r->acclen);
    char **slot = NULL;

    if (!text)
        return 0;
    switch (r->sec) {
    case S_GRAPH: slot = r->in_case ? &r->cur.graph : &r->default_graph; break;
    case S_PARAMS: slot = &r->cur.params; break;
    case S_QUERY: slot = &r->cur.query; break;
    case S_THEN: slot = &r->cur.then; break;
    case S_WARNINGS: slot = &r->cur.warnings; break;
    default: break;
    }
    if (slot) {
        free(*slot);
        *slot = text;
    } else {
        free(text);
    }
    r->acclen = 0;
    if (r->acc)
        r->acc[0] = '\0';
    r->sec = S_NONE;
    return 1;
}

static void finish_case(reader *r)
{
    tck_msg m = {0};
    int wanted = r->in_case && (!r->o->filter || strstr(r->cur.name, r->o->filter) ||
                                strstr(r->path, r->o->filter));

    if (wanted && run_qcase(&r->cur, r->default_graph, r->testdir, r->o, &m)) {
        r->passed++;
    } else if (wanted) {
        r->failed++;
        printf("FAIL %s:%d: %s\n", r->path, r->cur.line, r->cur.name);
        if (r->o->verbose && m.s)
            printf("%s\n", m.s);
    }
    r->in_case = 0;
    free(m.s);
    qcase_clear(&r->cur);
}

static int run_file(const char *path, const qopts *o, size_t *passed, size_t *failed)
{
    reader r;
    char *data = tck_read_text(path), *line, *next, *slash;
    char dir[4096];
    int lineno = 0, rc = 1;

    memset(&r, 0, sizeof r);
    r.path = path;
    r.o = o;
    snprintf(dir, sizeof dir, "%s", path);
    slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    r.testdir = dir;
    if (!data) {
        fprintf(stderr, "tg-qtest: %s: cannot read\n", path);
        return 0;
    }
    for (line = data; line && !r.bad; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        if (strncmp(line, "###", 3) == 0) {
            if (!close_section(&r))
                goto oom;
            finish_case(&r);
            r.in_case = 1;
            r.cur.line = lineno;
            r.cur.name = trim_copy(line + 3, strlen(line + 3));
            if (!r.cur.name)
                goto oom;
            continue;
        }
        if (strncmp(line, "---", 3) == 0) {
            const char *w = line + 3;
            if (!close_section(&r))
                goto oom;
            while (*w == ' ')
                w++;
            if (strncmp(w, "graph", 5) == 0) {
                r.sec = S_GRAPH;
                continue;
            }
            if (!r.in_case) {
                fprintf(stderr, "%s:%d: a section outside a case (### name)\n", path, lineno);
                r.bad = 1;
                break;
            }
            if (strncmp(w, "params", 6) == 0) {
                r.sec = S_PARAMS;
            } else if (strncmp(w, "query", 5) == 0) {
                r.sec = S_QUERY;
            } else if (strncmp(w, "then-expect", 11) == 0) {
                r.sec = S_THEN_EXPECT;
                r.cur.has_then_expect = 1;
            } else if (strncmp(w, "then", 4) == 0) {
                r.sec = S_THEN;
            } else if (strncmp(w, "warnings", 8) == 0) {
                r.sec = S_WARNINGS;
                r.cur.has_warnings = 1;
            } else if (strncmp(w, "timeout", 7) == 0) {
                char *end;
                r.cur.timeout = strtod(w + 7, &end);
                if (end == w + 7 || r.cur.timeout <= 0) {
                    fprintf(stderr, "%s:%d: --- timeout needs a number of seconds\n", path,
                            lineno);
                    r.bad = 1;
                }
            } else if (strncmp(w, "expect", 6) == 0) {
                r.sec = S_EXPECT;
                r.cur.has_expect = 1;
                r.cur.ordered = strstr(w, "in order") != NULL;
                r.cur.unordered_lists = strstr(w, "ignoring list order") != NULL;
                r.cur.expect_empty = strstr(w, "empty") != NULL;
            } else if (strncmp(w, "error", 5) == 0) {
                r.sec = S_ERROR;
                r.cur.has_error = 1;
                free(r.cur.error);
                r.cur.error = trim_copy(w + 5, strlen(w + 5));
                if (!r.cur.error)
                    goto oom;
            } else if (strncmp(w, "effects", 7) == 0) {
                r.sec = S_EFFECTS;
                r.cur.has_effects = 1;
            } else {
                fprintf(stderr, "%s:%d: unknown section: %s\n", path, lineno, line);
                r.bad = 1;
            }
            continue;
        }
        switch (r.sec) {
        case S_NONE:
        case S_ERROR: {
            const char *t = line;
            while (*t == ' ' || *t == '\t')
                t++;
            if (*t && *t != '#') {
                fprintf(stderr, "%s:%d: text outside a section: %s\n", path, lineno, line);
                r.bad = 1;
            }
            break;
        }
        case S_EXPECT:
        case S_THEN_EXPECT: {
            const char *t = line;
            while (*t == ' ' || *t == '\t')
                t++;
            if (*t == '|') {
                if (!tck_table_add_line(r.sec == S_EXPECT ? &r.cur.expect : &r.cur.then_expect,
                                        t))
                    goto oom;
            } else if (*t && *t != '#') {
                fprintf(stderr, "%s:%d: expected a table row: %s\n", path, lineno, line);
                r.bad = 1;
            }
            break;
        }
        case S_EFFECTS: {
            /* "+nodes 2" becomes the row | +nodes | 2 | */
            char kind[32], row[80];
            long n;
            if (sscanf(line, " %31s %ld", kind, &n) == 2) {
                snprintf(row, sizeof row, "| %s | %ld |", kind, n);
                if (!tck_table_add_line(&r.cur.effects, row))
                    goto oom;
            } else if (strspn(line, " \t") != strlen(line)) {
                fprintf(stderr, "%s:%d: expected KIND COUNT: %s\n", path, lineno, line);
                r.bad = 1;
            }
            break;
        }
        default:
            if (strncmp(line, "@repeat ", 8) == 0) {
                /* "@repeat N TEXT": TEXT written N times, for queries too long
                   to keep in the file */
                char *end;
                long times = strtol(line + 8, &end, 10);
                if (end == line + 8 || *end != ' ' || times < 1 || times > 10000000) {
                    fprintf(stderr, "%s:%d: @repeat needs a count and a text\n", path, lineno);
                    r.bad = 1;
                    break;
                }
                if (!acc_repeat(&r, end + 1, (size_t)times))
                    goto oom;
            } else if (!acc_add(&r, line, strlen(line)))
                goto oom;
        }
    }
    if (!r.bad) {
        if (!close_section(&r))
            goto oom;
        finish_case(&r);
    }
    rc = !r.bad;
    goto done;
oom:
    fprintf(stderr, "tg-qtest: out of memory\n");
    rc = 0;
done:
    if (rc && r.passed + r.failed > 0)
        printf("%-44s %zu/%zu\n", path, r.passed, r.passed + r.failed);
    *passed += r.passed;
    *failed += r.failed;
    qcase_clear(&r.cur);
    free(r.default_graph);
    free(r.acc);
    free(data);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs one path: a file, or every *.test in a folder (sorted). Returns 0
 * when a path or file cannot be read or a file is malformed. */
static int run_path(const char *path, const qopts *o, size_t *passed, size_t *failed)
{
    struct stat st;
    DIR *d = NULL;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, k;
    int ok = stat(path, &st) == 0;

    if (ok && S_ISDIR(st.st_mode))
        d = opendir(path);
    if (!ok || (S_ISDIR(st.st_mode) && !d)) {
        fprintf(stderr, "tg-qtest: %s: %s\n", path, strerror(errno));
        ok = 0;
    } else if (!d) {
        ok = run_file(path, o, passed, failed);
    }
    while (d && ok && (de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        char **nn;
        if (l < 6 || strcmp(de->d_name + l - 5, ".test") != 0)
            continue;
        nn = realloc(names, (n + 1) * sizeof *nn);
        if (nn)
            names = nn;
        if (nn && (names[n] = malloc(strlen(path) + l + 2)) != NULL)
            sprintf(names[n++], "%s/%s", path, de->d_name);
        else
            ok = 0;
        if (!ok)
            fprintf(stderr, "tg-qtest: out of memory\n");
    }
    if (d && ok && n == 0) {
        fprintf(stderr, "tg-qtest: %s: no .test files\n", path);
        ok = 0;
    }
    if (d)
        closedir(d);
    if (ok && n > 1)
        qsort(names, n, sizeof *names, cmp_str);
    for (k = 0; k < n; k++) {
        if (ok)
            ok = run_file(names[k], o, passed, failed);
        free(names[k]);
    }
    free(names);
    return ok;
}

int main(int argc, char **argv)
{
    qopts o;
    tg_error err;
    size_t passed = 0, failed = 0;
    int i, npaths = 0, ok = 1, rc = 2;
    char def[4096];

    memset(&o, 0, sizeof o);
    o.root = TG_SOURCE_DIR;
    for (i = 1; i < argc && ok; i++) {
        if (strcmp(argv[i], "-v") == 0)
            o.verbose = 1;
        else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc)
            o.filter = argv[++i];
        else if (strcmp(argv[i], "--root") == 0 && i + 1 < argc)
            o.root = argv[++i];
        else if (argv[i][0] == '-')
            ok = 0;
    }
    if (!ok) {
        fprintf(stderr, "usage: tg-qtest [-v] [-f SUBSTRING] [--root DIR] [PATH...]\n");
        goto done;
    }
    tg_error_clear(&err);
    if (tg_proc_algo_register(&err) != TG_OK) {
        fprintf(stderr, "tg-qtest: cannot register the algo.* procedures: %s\n", err.message);
        goto done;
    }
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--root") == 0)
            i++;
        else if (argv[i][0] != '-' && ++npaths > 0 && !run_path(argv[i], &o, &passed, &failed))
            ok = 0;
    }
    snprintf(def, sizeof def, "%s/tests/queries", o.root);
    if (npaths == 0 && !run_path(def, &o, &passed, &failed))
        ok = 0;
    printf("%zu passed, %zu failed\n", passed, failed);
    if (ok && passed + failed == 0) {
        fprintf(stderr, "tg-qtest: no case found: a run that tests nothing fails\n");
        ok = 0;
    }
    rc = !ok ? 2 : failed == 0 ? 0 : 1;
done:
    return rc;
}
