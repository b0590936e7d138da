/* parser.h — text of one statement to its AST (ast.h).
 *
 * A hand-written recursive-descent parser over the tokens of lexer.h. It
 * does the purely syntactic checks (malformed literals, integer and float
 * overflow, invalid escapes, unbalanced brackets, unknown or incomplete
 * clauses, `*` where it cannot stand, nesting deeper than
 * TG_PARSER_MAX_DEPTH); everything that needs names or types (undefined
 * variables, aggregation placement, RETURN * without variables, ...) is the
 * binder's.
 */
#ifndef TG_PARSER_H
#define TG_PARSER_H

#include <stddef.h>
#include <stdio.h>

#include "arena.h"
#include "ast.h"
#include "tg_error.h"

/* Deepest nesting of expressions, patterns and brackets accepted; deeper
 * input fails with TG_ESYNTAX "expression nested too deeply". */
#define TG_PARSER_MAX_DEPTH 1000

/* Most clauses in one statement, subqueries included; more fail with
 * TG_ESYNTAX "too many clauses" (every clause is an operator calling the
 * one before it, so the chain's depth must stay bounded). */
#define TG_PARSER_MAX_CLAUSES 10000

/* Parses text[0..len) (no NUL needed; a NUL byte inside is a syntax error),
 * one statement optionally ended by a single ';'. On success *out is the
 * root, allocated in arena (borrowed: the arena owns it; the text may be
 * freed afterwards). On failure *out is NULL, err holds TG_ESYNTAX with the
 * 1-based line and column of the offending token and a message saying what
 * was expected, or TG_ENOMEM; whatever was allocated stays in the arena until
 * it is freed. err->file is left empty. O(len). */
tg_status tg_parse_statement(const char *text, size_t len, tg_arena *arena, tg_ast_statement **out,
                             tg_error *err);

/* The same with a time limit: past deadline (CLOCK_MONOTONIC seconds, 0:
 * none) parsing stops with TG_ERUNTIME, a message naming timeout (the
 * limit in seconds). */
tg_status tg_parse_statement_timed(const char *text, size_t len, tg_arena *arena, double deadline,
                                   double timeout, tg_ast_statement **out, tg_error *err);

/* Parses text[0..len) as one expression and nothing else (for literals such
 * as --param values and the TCK's parameter tables). Same contract as
 * tg_parse_statement. */
tg_status tg_parse_expression(const char *text, size_t len, tg_arena *arena, tg_ast_expr **out,
                        tg_error *err);

/* Writes st as an S-expression on one line, e.g.
 * (query (match (pattern (path (node n (A)))) nil) (return (item (+ 1 (* 2 3)) nil)))
 * for tests and debugging. Returns 0, or -1 when writing fails. */
int tg_ast_dump(const tg_ast_statement *st, FILE *out);

/* Writes one expression the same way. */
int tg_ast_dump_expr(const tg_ast_expr *e, FILE *out);

#endif
