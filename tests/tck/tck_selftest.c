/* tck_selftest.c — tests of the TCK runner's own parts: the value notation
 * parser and comparer (tables of cases), and the feature reader over the
 * whole TCK in tests/tck/features (3,897 cases: the count of each folder, and every
 * expected cell of every result table parses).
 *
 * Usage: tck_selftest [FEATURES_DIR]; the folder defaults to $TG_TCK_DIR,
 * then to the configured TG_TCK_DEFAULT_DIR (tests/tck/features of
 * the checkout). A missing folder is a failure, not a skip.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tck_feature.h"
#include "tck_value.h"
#include "tg_test.h"

#ifndef TG_TCK_DEFAULT_DIR
#define TG_TCK_DEFAULT_DIR "tests/tck/features"
#endif

static const char *features_dir = TG_TCK_DEFAULT_DIR;

/* Parses a and b and returns whether they are equal (-1: a parse failed). */
static int eq(const char *a, const char *b, int unordered)
{
    char err[128];
    tck_value *va = tck_value_parse(a, err, sizeof err);
    tck_value *vb = tck_value_parse(b, err, sizeof err);
    int r = -1;

    if (va && vb)
        r = tck_value_equal(va, vb, unordered);
    tck_value_free(va);
    tck_value_free(vb);
    return r;
}

static void t_value_equal(void)
{
    static const struct {
        const char *a, *b;
        int unordered;
        int equal;
    } cases[] = {
        {"1", "1", 0, 1},
        {"1", " 1 ", 0, 1},
        {"1", "1.0", 0, 0},
        {"1", "2", 0, 0},
        {"-12", "-12", 0, 1},
        {"1.0", "1.00", 0, 1},
        {"1e-3", "0.001", 0, 1},
        {"1.5E10", "15000000000.0", 0, 1},
        {".5", "0.5", 0, 1},
        {"-0.0", "0.0", 0, 1},
        {"0.1", "0.10000000000000001", 0, 1},
        {"0.30000000000000004", "0.3", 0, 0},
        {"3.14159", "3.14158", 0, 0},
        {"NaN", "NaN", 0, 1},
        {"NaN", "1.0", 0, 0},
        {"Infinity", "Infinity", 0, 1},
        {"-Infinity", "Infinity", 0, 0},
        {"null", "null", 0, 1},
        {"null", "'null'", 0, 0},
        {"true", "true", 0, 1},
        {"true", "false", 0, 0},
        {"'a'", "\"a\"", 0, 1},
        {"'a\\'b'", "\"a'b\"", 0, 1},
        {"'\\u00e9'", "'\xc3\xa9'", 0, 1},
        {"'\\uD83E\\uDDD0'", "'\xf0\x9f\xa7\x90'", 0, 1},
        {"'a\\nb'", "'a\nb'", 0, 1},
        {"'ab'", "'abc'", 0, 0},
        {"[]", "[ ]", 0, 1},
        {"[1, 2]", "[1,2]", 0, 1},
        {"[1, 2]", "[2, 1]", 0, 0},
        {"[1, 2]", "[2, 1]", 1, 1},
        {"[1, 1, 2]", "[1, 2, 2]", 1, 0},
        {"[[1, 2], [3]]", "[[3], [2, 1]]", 1, 1},
        {"[1, 2]", "[1, 2, 3]", 0, 0},
        {"{a: 1, b: 'x'}", "{b:'x',a:1}", 0, 1},
        {"{a: 1}", "{a: 1, b: null}", 0, 0},
        {"{a: [1, 2]}", "{a: [2, 1]}", 1, 1},
        {"{`a b`: 1}", "{`a b`: 1}", 0, 1},
        {"{}", "{ }", 0, 1},
        {"()", "( )", 0, 1},
        {"(:A:B {p: 1})", "(:B:A{p:1})", 0, 1},
        {"(:A)", "(:A:B)", 0, 0},
        {"(:A {p: 1})", "(:A {p: 1.0})", 0, 0},
        {"(:A)", "{}", 0, 0},
        {"[:T {p: 1}]", "[:T{p:1}]", 0, 1},
        {"[:T]", "[:S]", 0, 0},
        {"[:T]", "[]", 0, 0},
        {"<()>", "<( )>", 0, 1},
        {"<(:A)-[:T]->(:B)>", "<(:A) - [:T] -> (:B)>", 0, 1},
        {"<(:A)-[:T]->(:B)>", "<(:A)<-[:T]-(:B)>", 0, 0},
        {"<(:A)-[:T]->(:B)<-[:S {w: 2}]-(:C)>", "<(:A)-[:T]->(:B)<-[:S {w: 2}]-(:C)>", 0, 1},
        {"<(:A)-[:T]->(:B)>", "<(:A)-[:T]->(:B)-[:T]->(:C)>", 0, 0},
    };
    size_t k;

    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int r = eq(cases[k].a, cases[k].b, cases[k].unordered);
        if (r != cases[k].equal)
            fprintf(stderr, "case %zu: %s vs %s\n", k, cases[k].a, cases[k].b);
        TG_CHECK_INT(r, cases[k].equal);
        /* equality is symmetric */
        TG_CHECK_INT(eq(cases[k].b, cases[k].a, cases[k].unordered), cases[k].equal);
    }
}

static void t_value_parse_errors(void)
{
    static const char *bad[] = {
        "",
        "[1,",
        "[1 2]",
        "{a 1}",
        "{a: 1",
        "'abc",
        "(:A",
        "(:A {p: 1}",
        "12abc",
        "{a: 1, a: 2}",
        "9223372036854775808",
        "<(:A)-[:T]-(:B)>",
        "<(:A)-[:T]->>",
        "[:]",
        "'\\q'",
        "nul",
        "1 2",
        "(:A:A)",
    };
    size_t k;

    for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char err[128] = "";
        tck_value *v = tck_value_parse(bad[k], err, sizeof err);
        if (v)
            fprintf(stderr, "unexpectedly parsed: %s\n", bad[k]);
        TG_CHECK(v == NULL);
        TG_CHECK(strstr(err, "offset") != NULL);
        tck_value_free(v);
    }
}

static void t_value_tree(void)
{
    char err[128];
    tck_value *v = tck_value_parse("{b: [1, 2.5, 'x'], a: (:Z:Y {k: true})}", err, sizeof err);

    TG_CHECK(v != NULL);
    if (!v)
        return;
    TG_CHECK_INT(v->kind, TCK_MAP);
    TG_CHECK_INT(v->n, 2);
    TG_CHECK_STR(v->names[0], "a");
    TG_CHECK_STR(v->names[1], "b");
    TG_CHECK_INT(v->items[0]->kind, TCK_NODE);
    TG_CHECK_STR(v->items[0]->names[0], "Y");
    TG_CHECK_INT(v->items[0]->props->items[0]->b, 1);
    TG_CHECK_INT(v->items[1]->kind, TCK_LIST);
    TG_CHECK_INT(v->items[1]->items[0]->i, 1);
    TG_CHECK(v->items[1]->items[1]->f == 2.5);
    TG_CHECK_STR(v->items[1]->items[2]->str, "x");
    tck_value_free(v);

    v = tck_value_parse("-9223372036854775808", err, sizeof err);
    TG_CHECK(v != NULL && v->kind == TCK_INT && v->i == INT64_MIN);
    tck_value_free(v);
    TG_CHECK(tck_float_equal(0.5, 0.5));
    TG_CHECK(tck_float_equal(-0.0, 0.0));
    TG_CHECK(!tck_float_equal(1.0, 1.0 + 2.2e-16));
    TG_CHECK(!tck_float_equal(NAN, 1.0));
}

/* Every prefix and many one-byte mutations of complex cells either parse
 * or fail with a message: never a crash, a leak or a silent NULL. */
static void t_value_robust(void)
{
    static const char *cells[] = {
        "<(:A:B {p: [1, 2.5e-3, 'x\\'y']})-[:T {w: {k: null}}]->(:C)<-[:S]-()>",
        "{a: [true, false, null, -0.0, NaN, -Infinity], `b c`: '\\u00e9\\n'}",
        "[[], {}, (), [:R], '', \"\\\"\"]",
    };
    static const char bytes[] = "[]{}()<>-:,'\"`\\ 0.eN";
    unsigned long seed = 12345;
    size_t k, i, j, silent = 0, runs = 0;
    char buf[256], err[128];

    for (k = 0; k < sizeof cells / sizeof cells[0]; k++) {
        size_t n = strlen(cells[k]);
        tck_value *whole = tck_value_parse(cells[k], err, sizeof err);
        if (!whole)
            fprintf(stderr, "%s: %s\n", cells[k], err);
        TG_CHECK(whole != NULL);
        tck_value_free(whole);
        for (i = 0; i <= n; i++) {
            for (j = 0; j < 8; j++) {
                tck_value *v;
                memcpy(buf, cells[k], n + 1);
                if (j == 0) {
                    buf[i] = '\0'; /* a prefix */
                } else if (i < n) {
                    seed = seed * 1103515245 + 12345;
                    buf[i] = bytes[(seed >> 16) % (sizeof bytes - 1)];
                }
                err[0] = '\0';
                v = tck_value_parse(buf, err, sizeof err);
                silent += !v && err[0] == '\0';
                runs++;
                tck_value_free(v);
            }
        }
    }
    TG_CHECK(runs > 1000);
    TG_CHECK_INT(silent, 0);
}

/* The case counts by folder (a Scenario counts 1, an Outline 1 per Examples row). */
static const struct {
    const char *folder;
    size_t cases;
} readme_counts[] = {
    {"clauses/call", 52},
    {"clauses/create", 78},
    {"clauses/delete", 41},
    {"clauses/match", 381},
    {"clauses/match-where", 34},
    {"clauses/merge", 75},
    {"clauses/remove", 33},
    {"clauses/return", 63},
    {"clauses/return-orderby", 35},
    {"clauses/return-skip-limit", 31},
    {"clauses/set", 53},
    {"clauses/union", 12},
    {"clauses/unwind", 14},
    {"clauses/with", 29},
    {"clauses/with-orderBy", 292},
    {"clauses/with-skip-limit", 9},
    {"clauses/with-where", 19},
    {"expressions/aggregation", 35},
    {"expressions/boolean", 150},
    {"expressions/comparison", 72},
    {"expressions/conditional", 13},
    {"expressions/existentialSubqueries", 10},
    {"expressions/graph", 61},
    {"expressions/list", 185},
    {"expressions/literals", 131},
    {"expressions/map", 44},
    {"expressions/mathematical", 6},
    {"expressions/null", 44},
    {"expressions/path", 7},
    {"expressions/pattern", 50},
    {"expressions/precedence", 121},
    {"expressions/quantifier", 604},
    {"expressions/string", 32},
    {"expressions/temporal", 1004},
    {"expressions/typeConversion", 47},
    {"useCases/countingSubgraphMatches", 11},
    {"useCases/triadicSelection", 19},
};

static void t_suite(void)
{
    char err[512];
    tck_suite *s = tck_suite_load(features_dir, err, sizeof err);
    size_t k, c, r, i, cells = 0, bad_cells = 0, unknown = 0, no_query = 0;

    TG_CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "cannot load the TCK: %s\n", err);
        return;
    }
    TG_CHECK_INT(s->ncases, 3897);
    for (k = 0; k < sizeof readme_counts / sizeof readme_counts[0]; k++) {
        size_t n = 0;
        for (c = 0; c < s->ncases; c++)
            n += strcmp(s->cases[c].folder, readme_counts[k].folder) == 0;
        if (n != readme_counts[k].cases)
            fprintf(stderr, "%s: %zu cases, README says %zu\n", readme_counts[k].folder, n,
                    readme_counts[k].cases);
        TG_CHECK_INT(n, readme_counts[k].cases);
    }
    for (c = 0; c < s->ncases; c++) {
        const tck_case *tc = &s->cases[c];
        int has_query = 0;
        for (i = 0; i < tc->nsteps; i++) {
            const tck_step *st = &tc->steps[i];
            if (st->kind == TCK_STEP_UNKNOWN) {
                unknown++;
                fprintf(stderr, "%s:%d: unknown step: %s\n", tc->path, st->line, st->text);
            }
            if (st->kind == TCK_STEP_QUERY)
                has_query = 1;
            if ((st->kind == TCK_STEP_QUERY || st->kind == TCK_STEP_EXECUTED) && !st->doc)
                unknown++;
            if (st->kind != TCK_STEP_RESULT && st->kind != TCK_STEP_PROCEDURE &&
                st->kind != TCK_STEP_PARAMETERS)
                continue;
            /* result header and procedure header are names; parameters: column 1 */
            for (r = st->kind == TCK_STEP_PARAMETERS ? 0 : 1; r < st->table.nrows; r++) {
                size_t col;
                for (col = st->kind == TCK_STEP_PARAMETERS ? 1 : 0; col < st->table.ncols[r];
                     col++) {
                    tck_value *v = tck_value_parse(st->table.cells[r][col], err, sizeof err);
                    cells++;
                    if (!v) {
                        bad_cells++;
                        fprintf(stderr, "%s:%d: cell %s: %s\n", tc->path, st->line,
                                st->table.cells[r][col], err);
                    }
                    tck_value_free(v);
                }
            }
        }
        no_query += !has_query;
    }
    fprintf(stderr, "%zu files, %zu cases, %zu cells parsed\n", s->nfiles, s->ncases, cells);
    TG_CHECK(cells > 3000);
    TG_CHECK_INT(bad_cells, 0);
    TG_CHECK_INT(unknown, 0);
    TG_CHECK_INT(no_query, 0);
    tck_suite_free(s);
}

static void t_suite_errors(void)
{
    char err[512] = "";
    tck_suite *s = tck_suite_load("/nonexistent/tck/features", err, sizeof err);

    TG_CHECK(s == NULL);
    TG_CHECK(strstr(err, "cannot open") != NULL);
}

/* Outline expansion, Background, escapes and doc strings on a small file. */
static void t_feature_parse(void)
{
    static const char text[] = "Feature: F - demo\n"
                               "  Background:\n"
                               "    Given an empty graph\n"
                               "  # a comment\n"
                               "  @ignore\n"
                               "  Scenario: [1] plain\n"
                               "    When executing query:\n"
                               "      \"\"\"\n"
                               "      RETURN 1 AS x,\n"
                               "        2 AS y\n"
                               "      \"\"\"\n"
                               "    Then the result should be, in order:\n"
                               "      | x | y |\n"
                               "      | 'a\\|b' | '\\\\' |\n"
                               "    And no side effects\n"
                               "  Scenario Outline: [2] outline <v>\n"
                               "    When executing query:\n"
                               "      \"\"\"\n"
                               "      RETURN <v> AS v, a < b\n"
                               "      \"\"\"\n"
                               "    Then a <err> should be raised at runtime: X\n"
                               "    Examples:\n"
                               "      | v | err |\n"
                               "      | 1 | TypeError |\n"
                               "      | 2 | ArgumentError |\n";
    char dir[1024], file[1200], err[512];
    tck_suite *s;
    FILE *fp;

    snprintf(dir, sizeof dir, "%s", tg_test_path("tckdemo"));
    snprintf(file, sizeof file, "%s/clauses", dir);
    mkdir(dir, 0777);
    mkdir(file, 0777);
    snprintf(file, sizeof file, "%s/clauses/demo", dir);
    mkdir(file, 0777);
    snprintf(file, sizeof file, "%s/clauses/demo/Demo.feature", dir);
    fp = fopen(file, "wb");
    TG_CHECK(fp != NULL);
    if (!fp)
        return;
    fwrite(text, 1, sizeof text - 1, fp);
    fclose(fp);
    s = tck_suite_load(dir, err, sizeof err);
    TG_CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    TG_CHECK_INT(s->ncases, 3);
    if (s->ncases == 3) {
        const tck_case *c = &s->cases[0];
        TG_CHECK_STR(c->folder, "clauses/demo");
        TG_CHECK_STR(c->feature, "F - demo");
        TG_CHECK_INT(c->ignored, 1);
        TG_CHECK_INT(c->nsteps, 4);
        TG_CHECK_INT(c->steps[0].kind, TCK_STEP_EMPTY_GRAPH);
        TG_CHECK_INT(c->steps[1].kind, TCK_STEP_QUERY);
        TG_CHECK_STR(c->steps[1].doc, "RETURN 1 AS x,\n  2 AS y");
        TG_CHECK_INT(c->steps[2].kind, TCK_STEP_RESULT);
        TG_CHECK_INT(c->steps[2].ordered, 1);
        TG_CHECK_INT(c->steps[2].table.nrows, 2);
        TG_CHECK_STR(c->steps[2].table.cells[1][0], "'a|b'");
        TG_CHECK_STR(c->steps[2].table.cells[1][1], "'\\'");
        TG_CHECK_INT(c->steps[3].kind, TCK_STEP_NO_SIDE_EFFECTS);
        c = &s->cases[2];
        TG_CHECK_INT(c->ignored, 0);
        TG_CHECK_STR(c->name, "[2] outline 2 (example 1.2)");
        TG_CHECK_STR(c->steps[1].doc, "RETURN 2 AS v, a < b");
        TG_CHECK_INT(c->steps[2].kind, TCK_STEP_ERROR);
        TG_CHECK_STR(c->steps[2].arg, "ArgumentError");
        TG_CHECK_INT(c->steps[2].phase, TCK_RUNTIME);
        TG_CHECK_STR(c->steps[2].detail, "X");
    }
    tck_suite_free(s);
}

/* Writes text as DIR/clauses/bad/Bad.feature under a fresh scratch folder
 * named name and loads it; returns the error message (static). */
static const char *load_bad(const char *name, const char *text)
{
    static char err[512];
    char dir[1024], file[1200];
    tck_suite *s;
    FILE *fp;

    snprintf(dir, sizeof dir, "%s", tg_test_path(name));
    mkdir(dir, 0777);
    snprintf(file, sizeof file, "%s/clauses", dir);
    mkdir(file, 0777);
    snprintf(file, sizeof file, "%s/clauses/bad", dir);
    mkdir(file, 0777);
    snprintf(file, sizeof file, "%s/clauses/bad/Bad.feature", dir);
    err[0] = '\0';
    fp = fopen(file, "wb");
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
    s = tck_suite_load(dir, err, sizeof err);
    TG_CHECK(s == NULL);
    tck_suite_free(s);
    return err;
}

/* Malformed Gherkin fails with the file and line. */
static void t_feature_errors(void)
{
    static const struct {
        const char *text, *message;
    } cases[] = {
        {"Feature: F\n  Scenario: s\n    When executing query:\n      \"\"\"\n      RETURN 1\n",
         "clauses/bad/Bad.feature:4: unterminated doc string"},
        {"Feature: F\n  Scenario: s\n      | a |\n",
         "clauses/bad/Bad.feature:3: a table that follows no step"},
        {"Feature: F\n  Scenario: s\n    Whenever x\n",
         "clauses/bad/Bad.feature:3: unrecognised line"},
        {"Feature: F\n  Given any graph\n", "clauses/bad/Bad.feature:2: a step outside a scenario"},
        {"Feature: F\n  Scenario: s\n    Examples:\n",
         "clauses/bad/Bad.feature:3: Examples outside"},
        {"Feature: F\n  Scenario: s\n      \"\"\"\n      x\n      \"\"\"\n",
         "clauses/bad/Bad.feature:3: a doc string that follows no step"},
    };
    size_t k;
    char name[32];

    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *err;
        snprintf(name, sizeof name, "tckbad%zu", k);
        err = load_bad(name, cases[k].text);
        if (!strstr(err, cases[k].message))
            fprintf(stderr, "case %zu: %s\n", k, err);
        TG_CHECK(strstr(err, cases[k].message) != NULL);
    }
}

int main(int argc, char **argv)
{
    const char *env = getenv("TG_TCK_DIR");

    if (argc > 1)
        features_dir = argv[1];
    else if (env && *env)
        features_dir = env;
    TG_RUN(t_value_equal);
    TG_RUN(t_value_parse_errors);
    TG_RUN(t_value_tree);
    TG_RUN(t_value_robust);
    TG_RUN(t_feature_parse);
    TG_RUN(t_suite_errors);
    TG_RUN(t_feature_errors);
    TG_RUN(t_suite);
    return tg_test_finish();
}
