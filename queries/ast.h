/* ast.h — the abstract syntax tree of one statement of the query language.
 *
 * The parser (parser.h) builds it; the binder and planner read it.
 *
 * Ownership, once for the whole tree: every node, array and string reachable
 * from a tg_ast_statement lives in the tg_arena passed to the parser
 * (arena.h) and is released, all at once, by tg_arena_free. Nothing in the
 * tree is freed on its own; no pointer in it points into the query text, so
 * the text may be released after parsing. Arrays are (pointer, count) pairs:
 * `x` holds `n_x` elements, and `x` is NULL when `n_x` is 0.
 *
 * Positions: every node carries a tg_ast_pos, the 1-based line and column
 * (counted in bytes) of its first character in the statement text, and its
 * byte offset. Expressions also carry `end`, the byte offset one past their
 * last character, so that `text[pos.offset .. end)` is the expression exactly
 * as written (RETURN a.b names its column "a.b").
 *
 * Strings: identifiers (variables, labels, types, keys, function names) are
 * NUL-terminated, with backquotes removed and `` doubled backquotes `` undone.
 * Function and procedure names keep their namespace joined with '.'
 * ("db.labels", "test.my.proc"), exactly as written (case preserved; the
 * binder decides case-insensitivity of function names). String literals are
 * decoded (escapes resolved to UTF-8) and carry their byte length, as they
 * may contain NUL (`'\u0000'`).
 *
 * Sugar the parser removes, so the binder never sees it:
 * - a chain `a < b <= c` becomes AND(a < b, b <= c); the middle operand is
 *   ONE node shared by both comparisons (same pointer: evaluate it as a pure
 *   expression, or cache it).
 * - `-` directly before an integer or float literal folds into the literal
 *   (so -9223372036854775808 is a valid integer).
 * - `x IS NOT NULL` is the unary operator TG_AST_OP_IS_NOT_NULL (no NOT node).
 * Everything else is kept as written (no constant folding, no rewriting of
 * count(*), no resolution of names).
 */
#ifndef TG_AST_H
#define TG_AST_H

#include <stddef.h>
#include <stdint.h>

typedef struct tg_ast_pos {
    long line;     /* 1-based */
    long column;   /* 1-based, in bytes */
    size_t offset; /* byte offset in the statement text */
} tg_ast_pos;

typedef struct tg_ast_expr tg_ast_expr;
typedef struct tg_ast_path tg_ast_path;
typedef struct tg_ast_statement tg_ast_statement;
typedef struct tg_ast_labelexpr tg_ast_labelexpr;

/* ---- expressions ------------------------------------------------------- */

typedef enum tg_ast_expr_kind {
    TG_AST_NULL,              /* null */
    TG_AST_BOOL,              /* true / false: u.boolean */
    TG_AST_INT,               /* u.integer */
    TG_AST_FLOAT,             /* u.real */
    TG_AST_STRING,            /* u.string */
    TG_AST_PARAM,             /* $name or $0: u.param */
    TG_AST_VAR,               /* a variable: u.var */
    TG_AST_PROPERTY,          /* base.key: u.property */
    TG_AST_INDEX,             /* base[index]: u.index */
    TG_AST_SLICE,             /* base[from..to], either bound optional: u.slice */
    TG_AST_UNARY,             /* NOT x, -x, +x, x IS NULL, x IS NOT NULL: u.unary */
    TG_AST_BINARY,            /* u.binary */
    TG_AST_HAS_LABELS,        /* n:A:B as a predicate: u.has_labels */
    TG_AST_CALL,              /* f(args), count(*), count(DISTINCT x): u.call */
    TG_AST_CASE,              /* u.case_ */
    TG_AST_LIST,              /* [a, b]: u.list */
    TG_AST_MAP,               /* {k: v}: u.map */
    TG_AST_LIST_COMPREHENSION, /* [x IN list WHERE p | e]: u.comprehension */
    TG_AST_QUANTIFIER,        /* all/any/none/single(x IN list WHERE p): u.comprehension */
    TG_AST_REDUCE,            /* reduce(acc = init, x IN list | e): u.reduce */
    TG_AST_PATTERN_COMPREHENSION, /* [p = (a)-->(b) WHERE p | e]: u.pattern_comprehension */
    TG_AST_PATTERN,           /* a path pattern used as a predicate: u.pattern */
    TG_AST_MAP_PROJECTION,    /* n{.a, k: e, v, .*}: u.map_projection */
    TG_AST_EXISTS_SUBQUERY,   /* EXISTS { ... }: u.subquery */
    TG_AST_COUNT_SUBQUERY,    /* COUNT { ... }: u.subquery */
    TG_AST_COLLECT_SUBQUERY   /* COLLECT { ... }: u.subquery */
} tg_ast_expr_kind;

typedef enum tg_ast_op {
    /* unary */
    TG_AST_OP_NOT,
    TG_AST_OP_NEG,
    TG_AST_OP_PLUS,
    TG_AST_OP_IS_NULL,
    TG_AST_OP_IS_NOT_NULL,
    /* binary, loosest first */
    TG_AST_OP_OR,
    TG_AST_OP_XOR,
    TG_AST_OP_AND,
    TG_AST_OP_EQ,  /* =  */
    TG_AST_OP_NE,  /* <> */
    TG_AST_OP_LT,
    TG_AST_OP_LE,
    TG_AST_OP_GT,
    TG_AST_OP_GE,
    TG_AST_OP_STARTS_WITH,
    TG_AST_OP_ENDS_WITH,
    TG_AST_OP_CONTAINS,
    TG_AST_OP_REGEX, /* =~ */
    TG_AST_OP_IN,
    TG_AST_OP_ADD,
    TG_AST_OP_SUB,
    TG_AST_OP_MUL,
    TG_AST_OP_DIV,
    TG_AST_OP_MOD,
    TG_AST_OP_POW, /* ^, left-associative as in openCypher: 2^3^2 = (2^3)^2 */
    TG_AST_OP_CONCAT /* ||: strings or lists, at the precedence of + */
} tg_ast_op;

typedef enum tg_ast_quantifier {
    TG_AST_QUANT_ALL,
    TG_AST_QUANT_ANY,
    TG_AST_QUANT_NONE,
    TG_AST_QUANT_SINGLE
} tg_ast_quantifier;

typedef enum tg_ast_map_item_kind {
    TG_AST_MAPITEM_PROPERTY, /* .key          (key) */
    TG_AST_MAPITEM_LITERAL,  /* key: value    (key, value) */
    TG_AST_MAPITEM_VARIABLE, /* var           (key = the variable's name) */
    TG_AST_MAPITEM_ALL       /* .*            (neither) */
} tg_ast_map_item_kind;

typedef struct tg_ast_map_item {
    tg_ast_pos pos;
    tg_ast_map_item_kind kind;
    const char *key;    /* NULL for TG_AST_MAPITEM_ALL */
    tg_ast_expr *value; /* only for TG_AST_MAPITEM_LITERAL, else NULL */
} tg_ast_map_item;

struct tg_ast_expr {
    tg_ast_expr_kind kind;
    tg_ast_pos pos;
    size_t end;  /* byte offset one past the last character */
    void *sem;   /* NULL after parsing; free for the binder to annotate */
    union {
        int boolean;
        int64_t integer;
        double real;
        struct {
            const char *s; /* decoded UTF-8, NUL-terminated */
            size_t len;    /* bytes, not counting the terminator */
        } string;
        const char *param; /* the name after '$' ("name", "0") */
        const char *var;
        struct {
            tg_ast_expr *base;
            const char *key;
        } property;
        struct {
            tg_ast_expr *base;
            tg_ast_expr *index;
        } index;
        struct {
            tg_ast_expr *base;
            tg_ast_expr *from; /* NULL when omitted: a[..2] */
            tg_ast_expr *to;   /* NULL when omitted: a[1..] */
        } slice;
        struct {
            tg_ast_op op;
            tg_ast_expr *arg;
        } unary;
        struct {
            tg_ast_op op;
            tg_ast_expr *lhs;
            tg_ast_expr *rhs;
        } binary;
        struct {
            tg_ast_expr *base;
            const char **labels;
            size_t n_labels;
            tg_ast_labelexpr *expr; /* n:A|B and other label expressions; labels empty */
        } has_labels;
        struct {
            const char *name; /* "count", "db.labels" */
            tg_ast_expr **args;
            size_t n_args;
            int distinct; /* count(DISTINCT x) */
            int star;     /* count(*): n_args is 0 */
        } call;
        struct {
            tg_ast_expr *subject; /* CASE x WHEN ...: x; NULL for the generic form */
            tg_ast_expr **whens;  /* n_whens conditions (or values to compare with subject) */
            tg_ast_expr **thens;  /* n_whens results */
            size_t n_whens;
            tg_ast_expr *else_; /* NULL when there is no ELSE */
        } case_;
        struct {
            tg_ast_expr **items;
            size_t n_items;
        } list;
        struct {
            const char **keys; /* n_entries keys; duplicates kept as written */
            tg_ast_expr **values;
            size_t n_entries;
        } map;
        struct {
            tg_ast_quantifier quantifier; /* TG_AST_QUANTIFIER only */
            const char *var;
            tg_ast_pos var_pos;
            tg_ast_expr *list;
            tg_ast_expr *where;      /* NULL when absent */
            tg_ast_expr *projection; /* after '|'; NULL when absent (always NULL for quantifiers) */
        } comprehension;
        struct {
            const char *acc;
            tg_ast_pos acc_pos;
            tg_ast_expr *init;
            const char *var;
            tg_ast_pos var_pos;
            tg_ast_expr *list;
            tg_ast_expr *expr;
        } reduce;
        struct {
            tg_ast_path *path;       /* path->var may be set: [p = (a)-->(b) | p] */
            tg_ast_expr *where;      /* NULL when absent */
            tg_ast_expr *projection; /* never NULL */
        } pattern_comprehension;
        struct {
            tg_ast_path *path; /* a relationship pattern: at least one relation */
        } pattern;
        struct {
            tg_ast_expr *base; /* a TG_AST_VAR */
            tg_ast_map_item *items;
            size_t n_items;
        } map_projection;
        struct {
            /* the body; `EXISTS { (a)-->(b) WHERE p }` (a pattern without
               MATCH) becomes one MATCH clause. The outer variables are
               visible inside; the last clause need not be RETURN. */
            tg_ast_statement *query;
        } subquery;
    } u;
};

/* ---- label expressions ------------------------------------------------------
 * (n:A|B), (n:!A), (n:A&B), (n:(A|B)&!C), (n:%), n:A|B in a predicate, and
 * [r:!T]. A plain conjunction (:A:B, :A&B) and a plain disjunction of
 * relationship types ([:A|B]) stay in the simpler label / type lists; only
 * other forms are trees. */
typedef enum tg_ast_lx_kind {
    TG_AST_LX_LABEL, /* name */
    TG_AST_LX_ANY,   /* %: any label at all */
    TG_AST_LX_NOT,   /* !a */
    TG_AST_LX_AND,   /* a & b */
    TG_AST_LX_OR     /* a | b */
} tg_ast_lx_kind;

struct tg_ast_labelexpr {
    tg_ast_lx_kind kind;
    tg_ast_pos pos;
    const char *name;          /* TG_AST_LX_LABEL */
    tg_ast_labelexpr *a, *b;   /* NOT: a; AND, OR: a and b */
};

/* ---- patterns ------------------------------------------------------------ */

typedef enum tg_ast_direction {
    TG_AST_DIR_RIGHT, /* (a)-[]->(b) */
    TG_AST_DIR_LEFT,  /* (a)<-[]-(b) */
    TG_AST_DIR_BOTH   /* (a)-[]-(b) or (a)<-[]->(b): either direction */
} tg_ast_direction;

typedef struct tg_ast_node_pattern {
    tg_ast_pos pos;          /* the '(' */
    const char *var;         /* NULL when anonymous */
    const char **labels;     /* (n:A:B) */
    size_t n_labels;
    tg_ast_labelexpr *label_expr; /* (n:A|B) and other label expressions; labels is then empty */
    tg_ast_expr *properties; /* a TG_AST_MAP or TG_AST_PARAM, NULL when absent */
    tg_ast_expr *where;      /* (n:A WHERE n.x > 1); NULL when absent */
} tg_ast_node_pattern;

/* Hop bounds of a variable-length relation, -1 when not given:
 * `*` {-1,-1}, `*2` {2,2}, `*..3` {-1,3}, `*2..` {2,-1}, `*1..4` {1,4}. */
typedef struct tg_ast_rel_pattern {
    tg_ast_pos pos;          /* the first '-' or '<' */
    const char *var;         /* NULL when anonymous */
    const char **types;      /* [:A|B|:C] gives {"A","B","C"} */
    size_t n_types;
    tg_ast_labelexpr *type_expr; /* [:!A], [:(A|B)&!C]; types is then empty */
    /* A quantified path pattern in this place: (a) ((x)-[r]->(y) WHERE p){1,3} (b),
       or a quantified relationship (a)-[r:T]->{1,3}(b) (its inner path is
       ()-[r:T]->()). min_hops / max_hops hold the quantifier (max -1:
       unbounded); var, types and properties are unused. */
    tg_ast_path *qpp;
    tg_ast_expr *qpp_where;
    tg_ast_direction direction;
    int var_length;          /* a '*' was written */
    long min_hops;
    long max_hops;
    tg_ast_expr *properties; /* a TG_AST_MAP or TG_AST_PARAM, NULL when absent */
    tg_ast_expr *where;      /* [r:T WHERE r.x > 1]; NULL when absent */
} tg_ast_rel_pattern;

typedef enum tg_ast_path_kind {
    TG_AST_PATH_PLAIN,
    TG_AST_PATH_SHORTEST,     /* shortestPath(...) */
    TG_AST_PATH_ALL_SHORTEST  /* allShortestPaths(...) */
} tg_ast_path_kind;

/* One chain (n0)-[r0]-(n1)-...-(nk): nodes has n_rels + 1 elements,
 * rels[i] joins nodes[i] and nodes[i+1]. */
struct tg_ast_path {
    tg_ast_pos pos;          /* of the path variable, the function name, or the first '(' */
    const char *var;         /* p = ...; NULL when absent */
    tg_ast_path_kind kind;
    tg_ast_node_pattern *nodes;
    tg_ast_rel_pattern *rels;
    size_t n_rels;
};

/* Comma-separated paths: MATCH (a), (b)-->(c). */
typedef struct tg_ast_pattern {
    tg_ast_pos pos;
    tg_ast_path **paths;
    size_t n_paths;
} tg_ast_pattern;

/* ---- clauses ------------------------------------------------------------- */

typedef struct tg_ast_proj_item {
    tg_ast_pos pos;
    tg_ast_expr *expr;
    const char *alias; /* AS name; NULL when absent */
    const char *text;  /* the expression as written, whitespace at the ends
                          trimmed: the column name when there is no alias */
} tg_ast_proj_item;

typedef struct tg_ast_sort_item {
    tg_ast_pos pos;
    tg_ast_expr *expr;
    int descending; /* DESC / DESCENDING */
} tg_ast_sort_item;

/* The shared body of WITH and RETURN. */
typedef struct tg_ast_projection {
    int distinct;
    int star;                 /* RETURN * / WITH *, possibly followed by items */
    tg_ast_proj_item *items;
    size_t n_items;
    tg_ast_sort_item *order;  /* ORDER BY; n_order 0 when absent */
    size_t n_order;
    tg_ast_expr *skip;        /* NULL when absent */
    tg_ast_expr *limit;       /* NULL when absent */
    tg_ast_expr *where;       /* WITH ... WHERE; always NULL for RETURN */
} tg_ast_projection;

typedef enum tg_ast_set_kind {
    TG_AST_SET_PROPERTY, /* SET target = value, target a TG_AST_PROPERTY (n.k) */
    TG_AST_SET_REPLACE,  /* SET n = value */
    TG_AST_SET_MERGE,    /* SET n += value */
    TG_AST_SET_LABELS    /* SET n:A:B */
} tg_ast_set_kind;

typedef struct tg_ast_set_item {
    tg_ast_pos pos;
    tg_ast_set_kind kind;
    tg_ast_expr *target;  /* a TG_AST_PROPERTY for _PROPERTY, else a TG_AST_VAR */
    tg_ast_expr *value;   /* NULL for _LABELS */
    const char **labels;  /* _LABELS only */
    size_t n_labels;
} tg_ast_set_item;

typedef enum tg_ast_remove_kind {
    TG_AST_REMOVE_PROPERTY, /* REMOVE n.k: target a TG_AST_PROPERTY */
    TG_AST_REMOVE_LABELS    /* REMOVE n:A:B: target a TG_AST_VAR */
} tg_ast_remove_kind;

typedef struct tg_ast_remove_item {
    tg_ast_pos pos;
    tg_ast_remove_kind kind;
    tg_ast_expr *target;
    const char **labels;
    size_t n_labels;
} tg_ast_remove_item;

typedef struct tg_ast_yield_item {
    tg_ast_pos pos;
    const char *name;  /* the procedure's output field */
    const char *alias; /* YIELD name AS alias; NULL when absent */
} tg_ast_yield_item;

typedef enum tg_ast_clause_kind {
    TG_AST_MATCH,   /* u.match (OPTIONAL MATCH: u.match.optional) */
    TG_AST_UNWIND,  /* u.unwind */
    TG_AST_WITH,    /* u.projection */
    TG_AST_RETURN,  /* u.projection */
    TG_AST_CREATE,  /* u.create */
    TG_AST_MERGE,   /* u.merge  (parsed so the TCK setup parses; may be refused by the binder) */
    TG_AST_SET,     /* u.set */
    TG_AST_DELETE,  /* u.delete_ */
    TG_AST_REMOVE,  /* u.remove */
    TG_AST_CALL_PROC, /* u.call */
    TG_AST_CALL_SUBQUERY, /* CALL { ... }, CALL (x) { ... }, OPTIONAL CALL: u.subquery */
    TG_AST_LOAD_CSV       /* u.load_csv */
} tg_ast_clause_kind;

typedef struct tg_ast_clause {
    tg_ast_clause_kind kind;
    tg_ast_pos pos; /* the clause keyword (OPTIONAL for OPTIONAL MATCH) */
    union {
        struct {
            int optional;
            tg_ast_pattern *pattern;
            tg_ast_expr *where; /* NULL when absent */
        } match;
        struct {
            tg_ast_expr *expr;
            const char *alias;
            tg_ast_pos alias_pos;
        } unwind;
        struct {
            int headers;       /* WITH HEADERS: each row is a map */
            tg_ast_expr *url;  /* FROM expression */
            const char *alias; /* AS variable */
            tg_ast_pos alias_pos;
            char terminator;   /* FIELDTERMINATOR; 0: ',' */
        } load_csv;
        tg_ast_projection projection;
        struct {
            tg_ast_pattern *pattern;
        } create;
        struct {
            tg_ast_path *path;
            tg_ast_set_item *on_create; /* ON CREATE SET items, all ON CREATE parts joined */
            size_t n_on_create;
            tg_ast_set_item *on_match;  /* ON MATCH SET items */
            size_t n_on_match;
        } merge;
        struct {
            tg_ast_set_item *items;
            size_t n_items;
        } set;
        struct {
            int detach;
            tg_ast_expr **exprs;
            size_t n_exprs;
        } delete_;
        struct {
            tg_ast_remove_item *items;
            size_t n_items;
        } remove;
        struct {
            const char *name;          /* "test.my.proc" */
            int has_args;              /* 0: `CALL proc` without parentheses (implicit arguments) */
            tg_ast_expr **args;
            size_t n_args;
            int has_yield;             /* a YIELD was written */
            int yield_star;            /* YIELD * */
            tg_ast_yield_item *yields;
            size_t n_yields;
            tg_ast_expr *where;        /* YIELD ... WHERE; NULL when absent */
            int show;                  /* written SHOW PROCEDURES / SHOW FUNCTIONS */
        } call;
        struct {
            tg_ast_statement *query;
            int optional;       /* OPTIONAL CALL */
            int has_scope;      /* CALL (...) { }: the variables it imports */
            int scope_star;     /* CALL (*) { } */
            const char **scope; /* CALL (a, b) { } */
            tg_ast_pos *scope_pos;
            size_t n_scope;
        } subquery;
    } u;
} tg_ast_clause;

/* A query without UNION: clauses in order. */
typedef struct tg_ast_single_query {
    tg_ast_pos pos;
    int union_all;  /* for parts[i], i > 0: joined to the previous one by UNION ALL (1) or UNION (0) */
    tg_ast_clause **clauses;
    size_t n_clauses;
} tg_ast_single_query;

typedef enum tg_ast_mode {
    TG_AST_RUN = 0,
    TG_AST_EXPLAIN, /* EXPLAIN query: the plan, nothing runs */
    TG_AST_PROFILE  /* PROFILE query: runs it, then the plan with rows and times */
} tg_ast_mode;

/* The root: one statement, parts joined by UNION / UNION ALL (n_parts >= 1);
 * also the body of a subquery. */
struct tg_ast_statement {
    tg_ast_pos pos;
    tg_ast_mode mode;
    tg_ast_single_query **parts;
    size_t n_parts;
};

#endif
