/* binder.h — names to slots, AST expressions to bound expressions, and the
 * semantic checks (internal to queries/).
 *
 * One tg_binder lives for the compilation of one statement. Every variable
 * (named, or hidden for anonymous pattern parts and comprehension variables)
 * gets a slot of the row; the scope maps the names visible at a point of the
 * query to their slots and kinds. Semantic errors are TG_ESEMANTIC (or
 * TG_ESYNTAX where the TCK classes them as syntax errors detected by a
 * binder, e.g. UnknownFunction) with the TCK's detail name first in the
 * message ("UndefinedVariable: ...") and the position of the culprit.
 * Everything the binder allocates lives in the query's arena.
 */
#ifndef TG_BINDER_H
#define TG_BINDER_H

#include "arena.h"
#include "ast.h"
#include "expr.h"
#include "ops.h"
#include "query.h"

typedef enum tg_vartype {
    TG_VT_ANY = 0,
    TG_VT_NODE,
    TG_VT_REL,
    TG_VT_RELLIST, /* a variable-length relationship */
    TG_VT_PATH,
    TG_VT_VALUE /* statically known not to be a node, relationship or path */
} tg_vartype;

typedef struct tg_var {
    const char *name; /* NULL for hidden */
    int slot;
    tg_vartype type;
} tg_var;

typedef struct tg_binder {
    tg_arena *arena;
    tg_graph *g;
    tg_vmem *mem;            /* for constants */
    const char *text;        /* the statement (for column names from ORDER BY text) */
    const tg_params *params;
    tg_error *err;
    double deadline;         /* CLOCK_MONOTONIC seconds, 0: none (the statement's --timeout) */
    double timeout;
    unsigned ticks;
    int depth;               /* nesting of tg_bind_expr, bounded by TG_QUERY_MAX_DEPTH */
    size_t hops;             /* relationship patterns planned so far, bounded by TG_QUERY_MAX_HOPS */
    int nslots;
    tg_vartype *slot_types;  /* per slot, as declared */
    const char **slot_names; /* per slot, the first name declared for it (EXPLAIN) */
    signed char *slot_kinds; /* per slot, the static kind (tg_vkind) or -1 */
    size_t cap_types;
    /* while binding ORDER BY / WHERE of a projection: expressions written
       exactly like a projected item read that item's slot */
    const char **match_texts;
    const int *match_slots;
    size_t nmatch;
    tg_var *scope;           /* visible variables */
    size_t nscope, capscope;
    /* warnings (unknown labels, types, property keys), malloc'd */
    tg_error *warnings;
    size_t nwarnings;
    int checking_names; /* tg_bind_label_expr: 1 labels, 2 types are looked up; 0 not */
    /* aggregation collection while binding projection items */
    int agg_allowed;
    int in_agg;
    tg_agg_spec *aggs;
    size_t naggs, capaggs;
} tg_binder;

void tg_binder_init(tg_binder *b, tg_arena *a, tg_graph *g, tg_vmem *mem, const char *text,
                    const tg_params *params, tg_error *err);
void tg_binder_destroy(tg_binder *b);

int tg_bind_new_slot(tg_binder *b);
/* The visible variable named name, or NULL. */
tg_var *tg_bind_lookup(tg_binder *b, const char *name);
/* Adds a visible variable with a new slot; returns the slot (-1 on ENOMEM). */
int tg_bind_declare(tg_binder *b, const char *name, tg_vartype type);
/* Adds a visible variable for an existing slot. */
tg_status tg_bind_declare_slot(tg_binder *b, const char *name, int slot, tg_vartype type);

/* Binds an AST expression in the current scope; NULL on error (err set).
 * Aggregate calls are accepted only while b->agg_allowed; each becomes a
 * tg_agg_spec appended to b->aggs and the expression reads its slot. */
tg_expr *tg_bind_expr(tg_binder *b, const tg_ast_expr *e);

/* The deepest expression accepted (TG_ESYNTAX "nested too deeply" past it).
 * Every recursion over expressions (binding, planning, evaluation) is
 * bounded by it; the parser's own nesting bound is TG_PARSER_MAX_DEPTH. */
#define TG_QUERY_MAX_DEPTH 1000
/* Relationship patterns in one statement: each is an operator of the
 * pipeline, which pulls rows recursively (a 100,000-hop pattern overflowed
 * the stack). Far past what a question about ties needs. */
#define TG_QUERY_MAX_HOPS 5000

/* Whether the statement's time limit has passed (checked every 1024 calls);
 * records TG_ERUNTIME in b->err when it has. */
int tg_bind_past_deadline(tg_binder *b);

/* Records a warning at pos (once per message); it never fails the query. */
void tg_bind_warn(tg_binder *b, const tg_ast_pos *pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Warns when name, read by the query (what: 0 a label, 1 a relationship
 * type, 2 a property key), is not in the graph, naming the nearest one that
 * is ("did you mean"); an empty graph warns of nothing. O(names in use). */
void tg_bind_check_name(tg_binder *b, int what, const char *name, const tg_ast_pos *pos);

/* Records a compile-time error at pos; returns st. */
tg_status tg_bind_error(tg_binder *b, tg_status st, const tg_ast_pos *pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Records that slot always holds values of kind (a tg_vkind), -1 unknown. */
void tg_bind_set_slot_kind(tg_binder *b, int slot, int kind);

/* Whether text[e->pos.offset .. e->end) (trimmed) equals s. */
int tg_bind_text_is(const tg_binder *b, const tg_ast_expr *e, const char *s);

/* The kind an expression always has (a tg_vkind), or -1 when unknown. */
int tg_bind_static_kind(const tg_binder *b, const tg_expr *e);

/* A label expression (n:A|B, n:!A, n:%, [r:!T]) over base: a tree of
 * label tests joined by NOT / AND / OR; base is shared by every test. */
tg_expr *tg_bind_label_expr(tg_binder *b, tg_expr *base, const tg_ast_labelexpr *lx);

/* A constant expression. */
tg_expr *tg_bind_const(tg_binder *b, tg_value v, const tg_ast_pos *pos);
/* A slot reference. */
tg_expr *tg_bind_slot(tg_binder *b, int slot, const tg_ast_pos *pos);
/* A binary operator node. */
tg_expr *tg_bind_binary(tg_binder *b, int op, tg_expr *l, tg_expr *r, const tg_ast_pos *pos);


/* The value of parameter name, or NULL when it is not set (params.c). */
const tg_value *tg_i_params_get(const tg_params *p, const char *name);

#endif
