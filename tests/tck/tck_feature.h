/* tck_feature.h — the Gherkin subset of the openCypher TCK feature files.
 *
 * A feature file becomes a list of runnable cases: a Scenario is one case; a
 * Scenario Outline is one case per Examples row, with every `<name>` in the
 * step texts, doc strings and tables replaced by that row's value. A
 * Background's steps are put in front of every case of its feature.
 * Commented lines (#) are skipped outside doc strings. Table cells are
 * trimmed and unescaped as Gherkin does (\| -> |, \\ -> \, \n -> newline).
 *
 * Steps are classified (tck_step_kind) when the file is read, so that the
 * runner never matches strings; a step the vocabulary does not know becomes
 * TCK_STEP_UNKNOWN and fails its case when run.
 *
 * Ownership: tck_suite_load returns an owned suite (tck_suite_free, which
 * accepts NULL); every string in it belongs to the suite. Nothing prints.
 */
#ifndef TCK_FEATURE_H
#define TCK_FEATURE_H

#include <stddef.h>

typedef enum tck_step_kind {
    TCK_STEP_UNKNOWN = 0,
    TCK_STEP_EMPTY_GRAPH,  /* Given an empty graph / Given any graph */
    TCK_STEP_NAMED_GRAPH,  /* Given the NAME graph: arg = NAME */
    TCK_STEP_EXECUTED,     /* And having executed: doc */
    TCK_STEP_PARAMETERS,   /* And parameters are: table of name | value */
    TCK_STEP_PROCEDURE,    /* And there exists a procedure SIG: arg = SIG, table */
    TCK_STEP_QUERY,        /* When executing [control] query: doc */
    TCK_STEP_RESULT,       /* Then the result should be...: table, ordered, unordered_lists */
    TCK_STEP_RESULT_EMPTY, /* Then the result should be empty */
    TCK_STEP_ERROR,        /* Then a TYPE should be raised at PHASE: DETAIL */
    TCK_STEP_NO_SIDE_EFFECTS,
    TCK_STEP_SIDE_EFFECTS /* And the side effects should be: table of kind | count */
} tck_step_kind;

/* When an expected error must be raised. */
typedef enum tck_phase { TCK_COMPILE_TIME, TCK_RUNTIME, TCK_ANY_TIME } tck_phase;

typedef struct tck_table {
    size_t nrows;
    size_t *ncols; /* ncols[r]: cells in row r */
    char ***cells; /* cells[r][c] */
} tck_table;

typedef struct tck_step {
    tck_step_kind kind;
    int line;            /* 1-based line of the step in its file */
    char *text;          /* the step's text after its keyword */
    char *arg;           /* NAMED_GRAPH: the name; PROCEDURE: the signature; ERROR: the type */
    char *detail;        /* ERROR: the detail after the colon */
    tck_phase phase;     /* ERROR */
    int ordered;         /* RESULT: "in order" */
    int unordered_lists; /* RESULT: "ignoring element order for lists" */
    char *doc;           /* doc string, NULL if none */
    tck_table table;     /* table, nrows == 0 if none */
} tck_step;

typedef struct tck_case {
    /* path, folder and feature are borrowed from the suite's tck_file */
    const char *path;    /* the feature file relative to the features folder */
    const char *folder;  /* its first two components, e.g. "clauses/match" */
    const char *feature; /* the Feature: title */
    char *name;          /* scenario name, plus " (example E.R)" for outline rows */
    int line;            /* line of the Scenario */
    int ignored;         /* tagged @ignore (still counted and run) */
    size_t nsteps;
    tck_step *steps;
} tck_case;

typedef struct tck_file {
    char *path; /* relative to the features folder */
    char *folder;
    char *feature;
    size_t first_case, ncases; /* its cases in the suite */
} tck_file;

typedef struct tck_suite {
    size_t nfiles;
    tck_file *files;
    size_t ncases;
    tck_case *cases;
} tck_suite;

/* Reads every *.feature below dir (recursively, in sorted path order) into a
 * suite. Returns NULL on failure with a message in errbuf (missing folder,
 * unreadable file, malformed Gherkin with file and line, no feature files at
 * all, out of memory). O(total size of the files). */
tck_suite *tck_suite_load(const char *dir, char *errbuf, size_t errlen);

/* Frees the suite. Accepts NULL. */
void tck_suite_free(tck_suite *s);

/* Appends a row to t from a Gherkin table line ("| a | b\\|c |", leading
 * spaces allowed; cells trimmed and unescaped). Returns 0 when out of
 * memory. For other readers of the notation (tg-qtest). */
int tck_table_add_line(tck_table *t, const char *line);

/* Frees the rows of t and zeroes it (t itself is the caller's). */
void tck_table_free(tck_table *t);

#endif
