/* runner.h — running a script of statements and client directives over a
 * graph: what `tiegraph query`, `report` and `shell` share.
 *
 * The runner keeps the graph, the parameters and a pending :render between
 * calls (a shell feeds it one statement at a time). Each statement's result
 * goes to an emit callback; a pending :render draws the result first. A
 * statement that changes the graph is saved to the store when there is
 * one. The first failing statement stops the run: its error is printed
 * with the script's line and column, the line and a caret, and the exit
 * status returned.
 */
#ifndef TG_CLI_RUNNER_H
#define TG_CLI_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "query.h"
#include "render.h"
#include "script.h"

typedef struct tg_runner tg_runner;

/* Called for each statement's result (owned by the runner: valid until the
 * next statement). `fig` is the figure drawn from it, or NULL. Returns 0 to
 * go on, else an exit status that stops the run. */
typedef int (*tg_runner_emit)(void *ctx, const tg_script_item *it, size_t index,
                              const tg_result *res, const tg_render_request *fig);

typedef struct tg_runner_options {
    double timeout;          /* per statement and per figure, 0: none */
    uint64_t max_expansions; /* 0: the default */
    int timing;              /* per-statement times on stderr */
    tg_render_policy policy; /* where :render may write */
    const char *base_dir;    /* LOAD CSV's relative paths (NULL: the current folder) */
    int keep_pending;        /* a :render at the end of a run waits for the next run
                                (the shell); else it is an error */
    const char *now;         /* fixes the statements' clock (ISO 8601); NULL: system */
} tg_runner_options;

/* A runner over g (borrowed), saving changes to db when it is not NULL.
 * Returns NULL when out of memory. */
tg_runner *tg_runner_new(tg_graph *g, const char *db, const tg_runner_options *o);
void tg_runner_free(tg_runner *r);

tg_params *tg_runner_params(tg_runner *r); /* borrowed */

/* Runs text[0..len) named `name` (for errors). Returns 0 or the exit status
 * of the failure (printed). */
int tg_runner_run(tg_runner *r, const char *text, size_t len, const char *name, tg_runner_emit emit,
                  void *ctx);

/* The last result of the last run (borrowed until the next run), or NULL. */
const tg_result *tg_runner_last(const tg_runner *r);

/* How many statements the script text holds, or -1 when it does not split. */
long tg_runner_count_statements(const char *text, size_t len);

#endif
