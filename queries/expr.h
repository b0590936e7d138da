/* expr.h — bound expressions and their evaluation (internal to queries/).
 *
 * The binder turns AST expressions into tg_expr trees whose variables are
 * slots of the row (every variable of a statement, named or hidden, has one
 * slot in a fixed-width row of tg_value). Trees live in the query's arena.
 * Evaluation reads (and, for comprehension variables, writes) the row and
 * builds any new string/list/map in the exec's tg_vmem (see value.h).
 */
#ifndef TG_EXPR_H
#define TG_EXPR_H

#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "graph.h"
#include "query.h"
#include "value.h"

typedef struct tg_exec tg_exec;
typedef struct tg_op tg_op;
typedef struct tg_expr tg_expr;
typedef struct tg_func tg_func;
typedef struct tg_agg_def tg_agg_def;

typedef enum tg_ekind {
    TG_E_CONST,     /* val */
    TG_E_SLOT,      /* slot */
    TG_E_PROP,      /* a.key (key, klen) */
    TG_E_INDEX,     /* a[b] */
    TG_E_SLICE,     /* a[b..c], b/c may be NULL */
    TG_E_UNARY,     /* op a */
    TG_E_BINARY,    /* a op b */
    TG_E_LABELS,    /* a:labels (names, n) */
    TG_E_CALL,      /* fn(args) */
    TG_E_CASE,      /* a = subject or NULL; args = when/then pairs; c = else */
    TG_E_LIST,      /* [args] */
    TG_E_MAP,       /* {names: args} */
    TG_E_LISTCOMP,  /* [slot IN a WHERE b | c] */
    TG_E_QUANT,     /* op(slot IN a WHERE b) */
    TG_E_REDUCE,    /* reduce(slot2 = b, slot IN a | c) */
    TG_E_PATH,      /* path from element slots: args alternate node, rel (or rel list) */
    TG_E_EXISTS,    /* a pattern predicate or EXISTS { }: plan has a row? */
    TG_E_PATCOMP,   /* [pattern WHERE .. | c], COLLECT { }: c evaluated per row of plan */
    TG_E_COUNT,     /* COUNT { }: the number of rows of plan */
    TG_E_MAPPROJ    /* a{...}: names/args with flags */
} tg_ekind;

struct tg_expr {
    tg_ekind kind;
    int op;            /* tg_ast_op or tg_ast_quantifier */
    tg_ast_pos pos;
    tg_value val;      /* TG_E_CONST */
    int slot, slot2;   /* variables */
    tg_expr *a, *b, *c;
    tg_expr **args;
    size_t nargs;
    const char **names; /* keys / labels; lengths in nlens */
    size_t *nlens;
    size_t nnames;
    const char *key;   /* TG_E_PROP */
    size_t klen;
    tg_sym sym;        /* TG_E_PROP: the key's symbol once known (a cache) */
    const tg_func *fn; /* TG_E_CALL */
    tg_op *plan;       /* TG_E_EXISTS / TG_E_PATCOMP / TG_E_COUNT subplan ... */
    tg_op *arg;        /* ... whose leaf is this argument op */
    int *flags;        /* TG_E_MAPPROJ per item: 0 literal, 1 property, 2 all */
    int distinct;      /* for aggregates (TG_E_CALL with an aggregate function) */
    void *cache;       /* =~: the last compiled pattern (freed with the exec) */
    /* TG_E_LABELS with at most TG_LABEL_CACHE names: the label symbols and
     * bitmaps, valid while the graph's generation is lgen (a cache). */
    tg_sym lsym[4];
    const uint64_t *lbits[4];
    uint64_t lgen;
    int lstate; /* 0 not cached, 1 cached, 2 cached: some label has no entity */
};
#define TG_LABEL_CACHE 4

/* Evaluates e over row into *out. Errors (TG_ETYPE, TG_EARG, TG_ERUNTIME,
 * TG_ENOMEM) are recorded in x->err with e's position. */
tg_status tg_expr_eval(const tg_expr *e, tg_exec *x, tg_value *row, tg_value *out);

/* Evaluates a predicate: *truth is TG_TRI_TRUE, _FALSE or _NULL; a non-boolean
 * value is a TypeError. */
tg_status tg_expr_eval_pred(const tg_expr *e, tg_exec *x, tg_value *row, int *truth);

/* Arithmetic and comparison operators shared with functions (sum, ...). */
tg_status tg_expr_binop(tg_exec *x, int op, const tg_value *l, const tg_value *r, tg_value *out);

/* Calls fn for each slot read by e (not those of its own comprehension
 * variables); a subplan reports -1 ("depends on everything"). Defined in
 * binder.c. */
void tg_expr_slots(const tg_expr *e, void (*fn)(void *ctx, int slot), void *ctx);

/* A deep copy of v in m (strings, lists, maps, paths copied). */
tg_value tg_value_deep_copy(tg_vmem *m, const tg_value *v);

/* ---- functions (functions.c) ------------------------------------------------ */

typedef tg_status (*tg_func_fn)(tg_exec *x, const tg_value *args, size_t n, tg_value *out);

struct tg_func {
    const char *name; /* lower case */
    int min_args, max_args;
    tg_func_fn fn;          /* NULL for aggregates */
    const tg_agg_def *agg;  /* non-NULL for aggregates */
};

/* properties(x): the map of a node's, relationship's or map's properties. */
tg_status tg_i_func_properties(tg_exec *x, const tg_value *args, size_t n, tg_value *out);

/* The function named name (case-insensitive), or NULL. */
const tg_func *tg_func_find(const char *name);
/* The i-th function's name (lower case: names match case-insensitively),
 * NULL past the last; for completion in the shell. O(1). */
const char *tg_func_name(size_t i);
/* The temporal functions (temporal.c: date, date.truncate, duration.between,
 * ...), which tg_func_find and tg_func_name include. */
const tg_func *tg_i_temporal_func_find(const char *name);
const char *tg_i_temporal_func_name(size_t i);

/* ---- aggregates (functions.c) ------------------------------------------------ */

/* The running state of one aggregate in one group (malloc'd values array). */
typedef struct tg_agg_state {
    int64_t count;
    int64_t isum;
    double fsum;
    int has_float;
    int has_value;
    tg_value best;      /* min / max */
    tg_value *vals;     /* collect, percentiles, stDev, DISTINCT */
    size_t nvals, cap;
    tg_value param;     /* percentile argument */
} tg_agg_state;

struct tg_agg_def {
    int kind; /* internal */
};

/* Adds one input (args[0..n), n may be 0 for count(*)) to the state. For a
 * DISTINCT aggregate, the caller passes distinct=1 and values are
 * deduplicated at the end. */
tg_status tg_agg_step(tg_exec *x, const tg_func *f, int distinct, tg_agg_state *s,
                      const tg_value *args, size_t n);
/* The aggregate's result. */
tg_status tg_agg_final(tg_exec *x, const tg_func *f, int distinct, tg_agg_state *s,
                       tg_value *out);
/* Frees the state's heap (not the struct). */
void tg_agg_state_destroy(tg_agg_state *s);

#endif
