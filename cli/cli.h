/* cli.h — what the `tiegraph` subcommands share: error reporting, the store
 * path, small output helpers. Each subcommand lives in cli/cmd_<name>.c and
 * returns the process exit status. */
#ifndef TG_CLI_H
#define TG_CLI_H

#include <stdio.h>

#include "graph.h"
#include "tg_error.h"

#define TG_EXIT_USAGE 64

/* Prints `tiegraph: FILE:LINE:COL: error: MESSAGE` (the parts that are known)
 * and returns the exit status for err->status. */
int tg_cli_fail(const tg_error *err);

/* Prints `tiegraph: error: MESSAGE` for a usage error, a hint to --help, and
 * returns 64. */
int tg_cli_usage(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The store path: the --db value, else $TIEGRAPH_DB, else ./tiegraph.db. */
const char *tg_cli_db_path(const char *opt);

/* Whether stderr is a terminal (progress is printed only then). */
int tg_cli_progress(void);

/* Writes s as a JSON string literal (quotes and escapes) to f. */
void tg_cli_json_string(FILE *f, const char *s, size_t len);

/* Loads the graph of the store at path; on failure prints and returns the
 * exit status (non-zero), on success 0 with *out owned by the caller. The
 * graph reads the rest of the store lazily, inside one snapshot, until it
 * is freed: check tg_graph_status (tg_cli_graph_failed) when done with it. */
int tg_cli_load_store(const char *path, tg_graph **out);

/* The options every command that opens a store takes, in one place:
 * `--busy-timeout SECONDS` (or `=SECONDS`): how long to wait for another
 * writer before failing with exit 74 (default 5). When argv[*i] is one of
 * them, consumes it (and its value), applies it and returns 1, with *rc 0,
 * or *rc the usage exit status when the value is bad; else returns 0. */
int tg_cli_store_option(int argc, char **argv, int *i, const char *cmd, int *rc);

/* The help lines of those options. */
#define TG_CLI_STORE_OPTIONS_HELP                                                         \
    "  --busy-timeout S   wait up to S seconds (default 5) for another writer of\n"      \
    "                     the store, then fail with exit status 74\n"

/* When a lazy read of g's store failed (tg_graph_status), prints it and
 * returns exit status 74 (70 when out of memory); else 0. */
int tg_cli_graph_failed(const tg_graph *g);

/* Whether paths a and b name the same existing file. */
int tg_cli_same_file(const char *a, const char *b);

int tg_cmd_import(int argc, char **argv);
int tg_cmd_stats(int argc, char **argv);
int tg_cmd_query(int argc, char **argv);
int tg_cmd_export(int argc, char **argv);
int tg_cmd_vacuum(int argc, char **argv);

#endif
