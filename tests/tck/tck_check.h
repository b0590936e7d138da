/* tck_check.h — comparing query results with expectations (tg-tck, tg-qtest).
 *
 * Ownership: every pointer argument is borrowed; tck_msg owns its text
 * (free m->s with free()). Nothing here prints or aborts; verdicts come back
 * as 1 (as expected) or 0 with the reason appended to a tck_msg.
 */
#ifndef TCK_CHECK_H
#define TCK_CHECK_H

#include <stddef.h>

#include "graph.h"
#include "query.h"
#include "tck_feature.h"
#include "tg_error.h"

/* A growable message. Zero-initialise; on allocation failure the text is
 * truncated (the verdict it explains stands). */
typedef struct tck_msg {
    char *s;
    size_t len, cap;
} tck_msg;

void tck_msg_add(tck_msg *b, const char *s, size_t n);
void tck_msg_puts(tck_msg *b, const char *s);
void tck_msg_printf(tck_msg *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Appends text with every line prefixed by prefix. */
void tck_msg_indent(tck_msg *b, const char *prefix, const char *text);

/* "ESYNTAX", "ETYPE", ... for a status. */
const char *tck_status_word(tg_status st);

/* Appends "KIND at compile time|runtime, LINE:COL: MESSAGE" for a failed query. */
void tck_describe_error(tck_msg *m, const tg_error *err);

/* Compares res with table t (row 0: column names, which must match in
 * order; other rows: cells in TCK notation). ordered: rows in this order,
 * else as a bag; unordered_lists: lists compared as bags. On a mismatch the
 * reason and both tables go to m. O(rows^2 * columns) for a bag. */
int tck_check_result(const tg_result *res, const tck_table *t, int ordered, int unordered_lists,
                     tck_msg *m);

/* Compares the side effects of res (NULL: a failed query, no effects) with
 * a table of rows `| +nodes | 2 |` (+nodes, +relationships, +labels,
 * +properties, and the '-' kinds, which read as 0 because tg_query_effects
 * has no removal counters); t NULL or a kind absent means 0. */
int tck_check_effects(const tg_result *res, const tck_table *t, tck_msg *m);

/* The whole file at path, NUL-terminated (owned: free()), NULL when it
 * cannot be read. */
char *tck_read_text(const char *path);

/* Runs a setup script on g: statements end at a ';' that closes a line, or
 * at the end of the text. text is modified in place. A failure appends the
 * error and the script to m and returns 0. */
int tck_run_setup(tg_graph *g, char *text, const tg_params *params, const tg_query_options *qo,
                  tck_msg *m);

#endif
