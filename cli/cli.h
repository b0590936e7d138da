/* cli.h — what the `tiegraph` subcommands share: error reporting, the store
 * path, small output helpers. Each subcommand lives in cli/cmd_<name>.c and
 * returns the process exit status. */
#ifndef TG_CLI_H
#define TG_CLI_H

#include <stdio.h>

#include "graph.h"
#include "query.h"
#include "tg_error.h"

#define TG_EXIT_USAGE 64

/* Prints `tiegraph: FILE:LINE:COL: error: MESSAGE` (the parts that are known)
 * and returns the exit status for err->status. */
int tg_cli_fail(const tg_error *err);

/* tg_cli_fail, then the line of text[0..len) the error points at and a
 * caret under its column. Control characters are escaped. */
int tg_cli_fail_at(const tg_error *err, const char *text, size_t len);

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
 * exit status (non-zero), on success 0 with *out owned by the caller. */
int tg_cli_load_store(const char *path, tg_graph **out);

/* Reads the whole file at path ("-": standard input) into *out (owned,
 * NUL-terminated), its length in *len; -1 with errno set on failure. */
int tg_cli_read_file(const char *path, char **out, size_t *len);

/* The graph to query: the files in[0..nin) read into memory, else the store
 * (db_opt, $TIEGRAPH_DB, ./tiegraph.db; *db_out names it), else an empty
 * graph for ":memory:". On failure prints and returns the exit status. */
int tg_cli_open_graph(const char *db_opt, const char *const *in, size_t nin, tg_graph **g,
                      const char **db_out);

/* Reads data files of any readable format (loaders/formats.h) into a new
 * graph in memory; on failure prints and returns the exit status, on
 * success 0 with *out owned by the caller. */
int tg_cli_load_files(const char *const *files, size_t n, tg_graph **out);

/* fmt (a --help text with one %s) with the list of formats that read
 * (writers 0) or write (1) put in; owned (free), NULL when out of memory. */
char *tg_cli_format_help(const char *fmt, int writers);

/* Whether path has the extension of a readable data format. */
int tg_cli_is_data_file(const char *path);

/* Fills *h with LOAD CSV's file access: the CSV reader of loaders/csv_reader.h,
 * relative paths taken from base_dir (borrowed; NULL: the current folder). */
void tg_cli_load_csv_hook(tg_load_csv_hook *h, const char *base_dir);

int tg_cmd_import(int argc, char **argv);
int tg_cmd_stats(int argc, char **argv);
int tg_cmd_query(int argc, char **argv);
int tg_cmd_export(int argc, char **argv);
int tg_cmd_report(int argc, char **argv);
int tg_cmd_shell(int argc, char **argv);

#endif
