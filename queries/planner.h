/* planner.h — from a bound AST to a tree of operators (internal to queries/).
 *
 * The planner walks the clauses in order, keeping one pipeline: every MATCH
 * extends it (seek or scan at the most selective start, expansions outward,
 * each WHERE conjunct as a filter right after the operator that binds its
 * last variable), OPTIONAL MATCH adds an apply over a sub-pipeline, WITH and
 * RETURN add projection/aggregation/distinct/sort/skip-limit, CREATE and
 * CALL add their operators. Plans live in the query's arena.
 */
#ifndef TG_PLANNER_H
#define TG_PLANNER_H

#include "binder.h"

/* The plan of a statement: the root operator and its result columns. */
typedef struct tg_plan {
    tg_op *root;
    const char **names; /* column names */
    int *slots;         /* column slots */
    size_t ncols;
} tg_plan;

/* Plans st. Errors: compile-time TG_ESEMANTIC / TG_ESYNTAX in b->err. */
tg_status tg_plan_statement(tg_binder *b, const tg_ast_statement *st, tg_plan *out);

/* Plans a pattern used inside an expression (a pattern predicate or a
 * pattern comprehension) into e->plan / e->arg; for a comprehension also
 * binds its WHERE (e->b) and projection (e->c) in the pattern's scope. */
tg_status tg_i_plan_pattern_expr(tg_binder *b, const tg_ast_expr *ast, tg_expr *e);

/* Plans EXISTS { }, COUNT { } or COLLECT { } into e->plan / e->arg (for
 * COLLECT, e->c reads the returned column). The outer variables are visible
 * in the subquery, which may not update the graph. */
tg_status tg_i_plan_subquery_expr(tg_binder *b, const tg_ast_expr *ast, tg_expr *e);

#endif
