/* ops.h — the pull-based query operators (internal to queries/).
 *
 * Every operator is a struct that starts with tg_op and has a table of three
 * functions: open (prepare, may be called again to restart: the operator then
 * starts over, e.g. for each row of an OPTIONAL MATCH), next (produce the next
 * row into the caller's buffer: 1 a row, 0 the end, -1 an error recorded in
 * x->err) and close (release what open/next allocated; safe to call twice or
 * without open). Rows are fixed-width arrays of tg_value (x->width slots);
 * an operator writes the slots it binds and leaves the others as its input
 * row had them. Operator structs live in the query's arena; their buffers are
 * malloc'd in open and freed in close. Values built while running live in
 * x->mem (value.h).
 *
 * One file per operator: op_scan.c (all nodes / label scan), op_seek.c (id
 * and property-equality seeks), op_expand.c, op_varexpand.c, op_shortest.c,
 * op_filter.c, op_project.c, op_aggregate.c, op_sort.c, op_skiplimit.c,
 * op_distinct.c, op_unwind.c, op_apply.c (OPTIONAL MATCH), op_create.c,
 * op_set.c, op_merge.c, op_call.c, op_union.c; op_common.c holds the leaves
 * (once, argument) and the helpers every operator shares.
 */
#ifndef TG_OPS_H
#define TG_OPS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "expr.h"
#include "procedures.h"
#include "query.h"
#include "value.h"

/* The state of one running statement, shared by its operators. */
struct tg_exec {
    tg_graph *g;
    tg_vmem *mem;
    tg_error *err;
    size_t width; /* slots per row */
    tg_query_effects effects;
    uint64_t expansions;
    uint64_t max_expansions;
    double deadline; /* CLOCK_MONOTONIC seconds; 0: none */
    double timeout;  /* the time limit the deadline came from, for messages */
    unsigned tick;
    /* what the statement changed, to count effects as a before/after
       comparison (effects.c); freed by tg_exec_destroy */
    struct tg_effects_log *log;
    /* how LOAD CSV opens files (NULL: refused) */
    const tg_load_csv_hook *load_csv;
    /* compiled regular expressions of =~ (expr.c), freed by tg_exec_destroy */
    struct tg_regex_cache *regexes;
    /* hash indexes of lists that IN looked up (expr.c), freed likewise */
    struct tg_in_index *in_indexes;
    int profile; /* PROFILE: operators count their rows and time their calls */
    /* the statement's clock (temporal.c): fixed by now_text (ISO 8601, from
       tg_query_options.now) or read once from the system */
    const char *now_text;
    int now_ready;
    int64_t now_sec;
    int32_t now_ns;
};

/* Frees what a run accumulated in x (not x itself). */
void tg_exec_destroy(tg_exec *x);

/* The default cap on relationship expansions of one statement. */
#define TG_DEFAULT_MAX_EXPANSIONS 100000000ull

typedef struct tg_explain tg_explain; /* explain.c */

struct tg_op_vt {
    const char *name;
    tg_status (*open)(tg_op *op, tg_exec *x);
    int (*next)(tg_op *op, tg_exec *x, tg_value *row);
    void (*close)(tg_op *op);
    /* EXPLAIN (may be NULL): writes what the operator does and estimates the
       rows it gives from its input's (tg_explain_* in explain.c) */
    void (*explain)(const tg_op *op, tg_explain *e);
};
typedef struct tg_op_vt tg_op_vt;

struct tg_op {
    const tg_op_vt *vt;
    tg_op *child;
    uint64_t rows;  /* rows it gave (PROFILE) */
    double seconds; /* time inside next(), its inputs included (PROFILE) */
    double est;     /* rows it is expected to give (EXPLAIN) */
};

static inline tg_status tg_op_open(tg_op *op, tg_exec *x) { return op->vt->open(op, x); }

/* next() of a statement run with PROFILE: counts and times every call. */
int tg_op_next_profiled(tg_op *op, tg_exec *x, tg_value *row);

static inline int tg_op_next(tg_op *op, tg_exec *x, tg_value *row)
{
    if (x->profile)
        return tg_op_next_profiled(op, x, row);
    return op->vt->next(op, x, row);
}

/* ---- EXPLAIN (explain.c) ----------------------------------------------------
 * The planner names each slot; an operator's explain hook describes it in
 * those names and estimates its rows. */

/* The name of the variable in slot ("anon_3" for a hidden one: valid until
 * the fourth call after, so that one detail line may name four slots). */
const char *tg_explain_slot(tg_explain *e, int slot);
/* Appends to the operator's details, printf-style. */
void tg_explain_detail(tg_explain *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Appends an expression, written back as openCypher in the slots' names. */
void tg_explain_expr(tg_explain *e, const tg_expr *x);
/* The rows expected from the operator's input (its child; 1 for a leaf). */
double tg_explain_input(const tg_explain *e);
/* Sets the rows the operator is expected to give (default: its input's). */
void tg_explain_estimate(tg_explain *e, double rows);
/* A sub-pipeline the operator runs (per input row unless said otherwise),
 * shown as a branch under it; its estimate starts from one row. Returns the
 * branch's estimated rows. */
double tg_explain_branch(tg_explain *e, const tg_op *sub);
/* The graph (for counts behind estimates). */
tg_graph *tg_explain_graph(const tg_explain *e);
/* The share of rows a predicate keeps (labels: their share of the nodes;
 * equality 0.1; anything else 0.5). */
double tg_explain_selectivity(tg_explain *e, const tg_expr *pred);
/* Shows the subplans inside an expression (EXISTS, COUNT, pattern
 * predicates and comprehensions) as branches. */
void tg_explain_branches_of(tg_explain *e, const tg_expr *x);
/* Closes op and its child chain. Accepts NULL. */
void tg_op_close(tg_op *op);

/* Counts expansions and checks the guards; returns 0 to go on, -1 (error set)
 * when the expansion cap or the deadline is passed. */
int tg_exec_tick(tg_exec *x, uint64_t expansions);

/* Whether the statement's time limit has passed (reads the clock now);
 * records the error in x->err when it has. */
int tg_exec_past_deadline(tg_exec *x);

/* Records a runtime error at pos in x->err; returns -1 for next(). */
int tg_exec_fail(tg_exec *x, tg_status st, const tg_ast_pos *pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* 0 when v is no node or relationship, or a live one; -1 with the error
 * DeletedEntityAccess (the statement deleted it) recorded at pos. */
int tg_i_check_live(tg_exec *x, const tg_value *v, const tg_ast_pos *pos);

/* Sets every slot of row to null. */
void tg_row_clear(tg_value *row, size_t width);

/* Rows kept in order (malloc'd), for the eager operators: every write reads
 * all its input first, because a write drops the graph's derived indexes
 * that operators upstream are reading. */
typedef struct tg_rowbuf {
    tg_value *rows; /* n rows of x->width slots */
    size_t n, cap;
} tg_rowbuf;

/* Appends a copy of row to b. 0, or -1 with x->err set (out of memory). */
int tg_rowbuf_push(tg_exec *x, tg_rowbuf *b, const tg_value *row);
/* Pulls every row of child (using row as scratch) into b after what it
 * holds. Returns 0, or -1 with x->err set. */
int tg_op_drain(tg_op *child, tg_exec *x, tg_value *row, tg_rowbuf *b);
/* Row i of b. */
static inline tg_value *tg_rowbuf_at(const tg_rowbuf *b, const tg_exec *x, size_t i)
{
    return &b->rows[i * (x->width ? x->width : 1)];
}
/* Copies row *i of b into row and advances *i: 1, or 0 past the last row
 * (the next() of an eager operator). */
static inline int tg_rowbuf_next(const tg_rowbuf *b, size_t *i, const tg_exec *x, tg_value *row)
{
    if (*i >= b->n)
        return 0;
    memcpy(row, tg_rowbuf_at(b, x, (*i)++), x->width * sizeof *row);
    return 1;
}
/* Opens child and pulls every row of it into b (emptied first). TG_OK, or
 * the error (x->err set). */
tg_status tg_op_drain_all(tg_op *child, tg_exec *x, tg_rowbuf *b);
/* Frees b's rows and empties it. */
void tg_rowbuf_free(tg_rowbuf *b);

typedef enum tg_dir { TG_DIR_OUT, TG_DIR_IN, TG_DIR_BOTH } tg_dir;

/* Names resolved to symbols at open: a name absent from the graph gets 0 and
 * matches nothing. */
typedef struct tg_names {
    const char **names;
    size_t n;
} tg_names;

/* Writes a hop (a)-[r:T|U*1..3]->(b:L) and returns the relations a node
 * has on average for it (the types' counts over the nodes). */
double tg_explain_hop(tg_explain *e, int from, int rel, int to, tg_dir dir, tg_names types,
                      tg_names to_labels, const char *hops);

/* Resolves each name to its symbol (0 when the graph has no such string);
 * returns how many were found. out has n.n entries. */
int tg_names_resolve(const tg_graph *g, tg_names n, tg_sym *out);

/* Resolves relation type names to the distinct symbols the graph has, in
 * out (room for n.n); returns how many. Unknown names are dropped and a
 * repeated name counts once, so `[:T|T]` does not match a relation twice. */
size_t tg_types_resolve(const tg_graph *g, tg_names n, tg_sym *out);

/* The k-th adjacency run of e for a hop, with the entity at the other end
 * of each relation in *nbrs: with no type constraint (ntypes 0) the whole
 * out or in list (k must be 0); otherwise the run of types[k] only. */
size_t tg_adjacency_run(tg_graph *g, tg_ent e, int outgoing, const tg_sym *types,
                        size_t ntypes, size_t k, const tg_rel **rels, const tg_ent **nbrs);

/* Label bitmaps for a hop's target labels (tg_graph_label_bitmap); returns 0
 * when some label has no entity at all (nothing can match). */
int tg_label_bitmaps(tg_graph *g, const tg_sym *syms, size_t n, const uint64_t **bits);

/* Whether e is set in every bitmap. */
int tg_bits_all(const uint64_t *const *bits, size_t n, tg_ent e);
/* Whether e has every label syms[0..n) (a 0 symbol never matches). */
int tg_node_has_labels(const tg_graph *g, tg_ent e, const tg_sym *syms, size_t n);

/* Whether relation r is one of the relations held in row[uniq[i]] (a
 * relation or a list of relations). */
int tg_rel_is_used(const tg_value *row, const int *uniq, size_t nuniq, tg_rel r);

/* A hash set of key tuples (n values each) under equivalence, for DISTINCT
 * and grouping. Keys are copied shallowly into a malloc'd array. */
typedef struct tg_rowset {
    size_t nkeys;
    tg_value *keys; /* count * nkeys */
    uint64_t *hashes;
    size_t count, cap;
    uint32_t *table; /* index + 1, 0 empty */
    size_t tcap;
} tg_rowset;
void tg_rowset_init(tg_rowset *s, size_t nkeys);
void tg_rowset_destroy(tg_rowset *s);
/* Finds key (nkeys values) or adds it; *index is its position (insertion
 * order), *added whether it was new. TG_ENOMEM on failure. Expected O(1). */
tg_status tg_rowset_put(tg_rowset *s, const tg_value *key, size_t *index, int *added);

/* The collector behind tg_proc_emit (procedures.c fills, op_call.c reads). */
struct tg_proc_ctx {
    tg_exec *x;
    size_t nout;
    tg_value *rows; /* n * nout, malloc'd */
    size_t n, cap;
};

/* Emits one row of nulls (the start of every pipeline). */
tg_op *tg_op_once(tg_arena *a);
/* Emits the row given by tg_op_argument_set once per open. */
tg_op *tg_op_argument(tg_arena *a);
void tg_op_argument_set(tg_op *arg, const tg_value *row);
/* arg replays the row of primary (an argument leaf too) instead of its own:
 * the parts of a UNION inside a subquery share the outer row. */
void tg_op_argument_follow(tg_op *arg, const tg_op *primary);
/* The row the pipeline of op starts from when its leaf is an argument (a
 * subquery's outer row), NULL when it starts from Once. */
const tg_value *tg_op_leaf_row(const tg_op *op);

/* For each input row, every node (having all labels; the smallest label's
 * index is scanned) into slot. */
tg_op *tg_op_scan(tg_arena *a, tg_op *child, int slot, tg_names labels);

/* For each input row, the nodes whose id (by_id) or property key equals the
 * value of e (in_list: equals one of the elements of the list e), having all
 * labels, into slot. Each node comes out at most once per row. */
tg_op *tg_op_seek(tg_arena *a, tg_op *child, int slot, int by_id, int in_list,
                  const char *key, tg_expr *e, tg_names labels);

/* One hop: from slot `from` along relations of the given types (none: any)
 * into rel slot and `to` slot (to_bound: only rows where the far end equals
 * the value already in `to`). uniq[0..nuniq) are slots of relations (or
 * relation lists) already bound in the same MATCH, which the new relation
 * must differ from. */
tg_op *tg_op_expand(tg_arena *a, tg_op *child, int from, int rel, int to, tg_dir dir,
                    tg_names types, tg_names to_labels, int to_bound, const int *uniq,
                    size_t nuniq);

/* What an Expand does (tg_op_expand's arguments). */
typedef struct tg_hop {
    int from, rel, to;
    tg_dir dir;
    tg_names types, labels;
    int to_bound;
    const int *uniq;
    size_t nuniq;
} tg_hop;
/* Whether op is an Expand; its arguments into *out when it is. */
int tg_op_expand_info(const tg_op *op, tg_hop *out);
/* A Filter's predicate, NULL when op is not a Filter. */
const tg_expr *tg_op_filter_pred(const tg_op *op);
/* Whether op is an Aggregate without keys whose aggregates are all
 * count(*); and the slots they write (at most max). */
int tg_op_aggregate_counts_rows(const tg_op *op);
size_t tg_op_aggregate_slots(const tg_op *op, int *slots, size_t max);

/* Factorised counting (op_countpaths.c): when agg is an Aggregate of
 * count(*) alone over a chain of Expands (each perhaps followed by filters
 * on its own new node and relationship only) whose relationship types are
 * known and pairwise distinct, returns an operator that counts the chain's
 * matches without enumerating them: the number of ways to finish the chain
 * from a node is counted once per node and level (memoised) and multiplied
 * along, so a three-hop count costs the relations read, not the matches.
 * Returns agg itself when the plan does not have that shape. */
tg_op *tg_op_factorise_count(tg_arena *a, tg_op *agg);

/* Variable length: paths of min..max hops (max < 0: unbounded); the rel slot
 * (-1: none, nothing is built) receives the list of relations, in pattern
 * order (reversed when `reverse`). */
tg_op *tg_op_varexpand(tg_arena *a, tg_op *child, int from, int rel, int to, tg_dir dir,
                       tg_names types, long min, long max, tg_names to_labels, int to_bound,
                       const int *uniq, size_t nuniq, int reverse);

/* Shortest path(s) by BFS between the nodes in slots from and to (both bound);
 * the path into path_slot (may be -1) and its relations into rel_slot (may be
 * -1). all: every shortest path. */
tg_op *tg_op_shortest(tg_arena *a, tg_op *child, int from, int to, int rel_slot,
                      int path_slot, tg_dir dir, tg_names types, long min, long max, int all,
                      const tg_ast_pos *pos);

/* Pushes path predicates into a shortest-path search: node_pred (over
 * node_slot) must hold (or, node_none, must not be true) for every node of
 * the path (interior: all but its two ends); rel_pred likewise for every
 * relationship. Either predicate may be NULL. */
void tg_op_shortest_set_filters(tg_op *op, tg_expr *node_pred, int node_slot, int node_none,
                                int interior, tg_expr *rel_pred, int rel_slot, int rel_none);

/* Conditions on the whole path (they read the path or relationship slot):
 * the search returns the shortest paths that satisfy all of conds[0..n),
 * enumerating longer trails when the shortest ones do not. */
void tg_op_shortest_set_path_filter(tg_op *op, tg_expr **conds, size_t n);

tg_op *tg_op_filter(tg_arena *a, tg_op *child, tg_expr *pred);

/* Evaluates exprs[i] into slots[i] in order. */
tg_op *tg_op_project(tg_arena *a, tg_op *child, tg_expr **exprs, const int *slots, size_t n);

typedef struct tg_agg_spec {
    const tg_func *fn;
    int distinct;
    tg_expr **args;
    size_t nargs;
    int slot; /* where the result goes */
} tg_agg_spec;

/* Groups input rows by the values of keys; emits for each group (in order of
 * first appearance) the group's first row with each aggregate's slot set.
 * With no keys and no input rows, emits one row. */
tg_op *tg_op_aggregate(tg_arena *a, tg_op *child, tg_expr **keys, size_t nkeys,
                       tg_agg_spec *aggs, size_t naggs);

/* Sorts all input rows by keys (stable), descending where desc[i]. */
tg_op *tg_op_sort(tg_arena *a, tg_op *child, tg_expr **keys, const int *desc, size_t n);

/* Lets a sort keep only its first skip+limit rows (a top-k sort): both are
 * the SKIP / LIMIT expressions above it (either may be NULL). */
void tg_op_sort_set_limit(tg_op *sort, tg_expr *skip, tg_expr *limit);

/* Skips / limits (either expression may be NULL); both must evaluate to a
 * non-negative integer. */
tg_op *tg_op_skiplimit(tg_arena *a, tg_op *child, tg_expr *skip, tg_expr *limit);

/* Passes the first row of each distinct combination of slots. */
tg_op *tg_op_distinct(tg_arena *a, tg_op *child, const int *slots, size_t n);

tg_op *tg_op_unwind(tg_arena *a, tg_op *child, tg_expr *e, int slot);

/* LOAD CSV: for each input row, one row per CSV record of the file the url
 * expression names, bound to slot as a list of strings or, with headers, a
 * map from the header's names (op_loadcsv.c). */
tg_op *tg_op_load_csv(tg_arena *a, tg_op *child, tg_expr *url, int headers, char delim,
                      int slot);

/* For each input row, runs sub (whose leaf is the argument op arg) seeded with
 * it and emits its rows; optional: when sub emits none, emits the input row
 * with null_slots[0..n) set to null. */
tg_op *tg_op_apply(tg_arena *a, tg_op *child, tg_op *sub, tg_op *arg, int optional,
                   const int *null_slots, size_t n);
/* Makes an apply a unit subquery's: sub runs to its end per row, and each
 * input row comes out once, unchanged. */
void tg_op_apply_set_unit(tg_op *op);
/* Makes an apply read all its input rows before running sub for the first
 * one (sub writes to the graph). */
void tg_op_apply_set_eager(tg_op *op);

/* CREATE: materialises every input row first (the graph's indexes are
 * invalidated by writes), then creates the pattern for each. */
typedef struct tg_create_node {
    int slot;
    int bound;         /* already a node: nothing to create */
    tg_names labels;
    tg_expr *props;    /* a map expression or NULL */
    tg_ast_pos pos;
} tg_create_node;
typedef struct tg_create_rel {
    int slot;
    int from, to;      /* indexes into the path's nodes */
    const char *type;
    tg_expr *props;
    tg_ast_pos pos;
} tg_create_rel;
typedef struct tg_create_path {
    tg_create_node *nodes;
    size_t nnodes;
    tg_create_rel *rels;
    size_t nrels;
    int path_slot; /* -1 when no path variable */
} tg_create_path;
tg_op *tg_op_create(tg_arena *a, tg_op *child, tg_create_path *paths, size_t npaths);

/* Creates the unbound nodes and the relations of paths for one row, writing
 * the new entities into the row's slots. Returns 0, or -1 with x->err set. */
int tg_i_create_paths(tg_exec *x, const tg_create_path *paths, size_t npaths, tg_value *row);

/* ---- writes, their effects and their undoing (effects.c) ------------------
 * Every write of a statement goes through these, so that its effects are
 * the difference between the graph before and after it, as the TCK counts
 * them, and so that a statement that fails can be undone
 * (tg_i_effects_undo): one statement is one transaction. Entities and
 * relations a statement creates are the indexes past the bounds at its
 * first write; they need no record. */

/* To call before the statement's first write of any kind (takes the
 * snapshot of the labels in use); cheap afterwards. 0 or -1 (x->err set). */
int tg_i_before_write(tg_exec *x);
/* Sets (v TG_V_NULL: removes) property key of item, remembering its value
 * before the statement. 0 or -1. */
int tg_i_write_prop(tg_exec *x, tg_side side, uint32_t item, tg_sym key, const tg_pval *v);
/* Remembers every property of item before the statement (it is about to be
 * deleted). 0 or -1. */
int tg_i_remember_props(tg_exec *x, tg_side side, uint32_t item);
/* Adds label s to node e / removes it; no-op when e has it / lacks it.
 * 0 or -1 (x->err set). */
int tg_i_add_label(tg_exec *x, tg_ent e, tg_sym s);
int tg_i_remove_label(tg_exec *x, tg_ent e, tg_sym s);
/* Deletes relation r / entity e (with the relations it still has), keeping
 * what they were for the undo. 0 or -1. */
int tg_i_delete_relation(tg_exec *x, tg_rel r);
int tg_i_delete_entity(tg_exec *x, tg_ent e);
/* Whether item was made by this statement (after its first write). */
int tg_i_created_here(const tg_exec *x, tg_side side, uint32_t item);
/* Adds the property and label counts of the statement to x->effects. */
void tg_i_effects_finish(tg_exec *x);
/* Puts the graph back as it was before the statement's first write: what
 * it created is deleted, what it deleted is made again (with the same ids,
 * labels and properties; new indexes), labels and properties are restored.
 * 0, or -1 when a step failed (out of memory): the graph is then as far
 * restored as it could be. Used when the statement fails. */
int tg_i_effects_undo(tg_exec *x);
/* Frees the log (tg_exec_destroy calls it). */
void tg_i_effects_free(tg_exec *x);

/* SET items (SET, ON CREATE SET, ON MATCH SET). */
/* A set item's kind besides tg_ast_set_kind: REMOVE n:A:B. */
#define TG_SET_REMOVE_LABELS 16

typedef struct tg_set_item {
    int kind;        /* tg_ast_set_kind, or TG_SET_REMOVE_LABELS */
    tg_expr *target; /* the node or relationship (for n.k: the expression n) */
    const char *key; /* TG_AST_SET_PROPERTY */
    tg_expr *value;
    tg_names labels; /* TG_AST_SET_LABELS, TG_SET_REMOVE_LABELS */
    tg_ast_pos pos;
} tg_set_item;

/* Applies items to one row in order. Returns 0 or -1 (x->err set). */
int tg_i_apply_sets(tg_exec *x, const tg_set_item *items, size_t n, tg_value *row);

/* SET: eager like CREATE; applies items to every input row. */
tg_op *tg_op_set(tg_arena *a, tg_op *child, tg_set_item *items, size_t n);

/* DELETE (detach 0) / DETACH DELETE (op_delete.c): eager; deletes the
 * nodes, relationships and paths exprs[i] evaluate to (lists of them too),
 * relationships first, after checking that no node keeps a relationship
 * (unless detach). The rows come out unchanged. */
tg_op *tg_op_delete(tg_arena *a, tg_op *child, tg_expr **exprs, const tg_ast_pos *pos,
                    size_t n, int detach);

/* MERGE: eager. For each input row, runs the match sub-plan (leaf arg);
 * its rows get on_match applied; without any, creates path (for the row) and
 * applies on_create. */
tg_op *tg_op_merge(tg_arena *a, tg_op *child, tg_op *match, tg_op *arg,
                   tg_create_path *path, tg_set_item *on_create, size_t n_create,
                   tg_set_item *on_match, size_t n_match);

/* CALL proc(args) YIELD: out_slots[i] receives output column i (or -1 to
 * drop it). */
tg_op *tg_op_call(tg_arena *a, tg_op *child, const tg_proc_def *proc, tg_expr **args,
                  size_t nargs, const int *out_slots, const tg_ast_pos *pos);

/* A quantified path pattern (op_repeat.c): from the node in slot `from`,
 * the sub-plan (leaf: arg, replaying a row with inner_first set) repeated
 * min..max times (max < 0: unbounded), each time from where the last one
 * ended (inner_last), never walking a relationship twice (nor one of the
 * slots uniq); the end node goes into `to` (to_bound: must equal it). */
typedef struct tg_repeat_spec {
    tg_op *sub, *arg;
    int from, to, to_bound;
    int at_slot, rels_slot;
    int inner_first, inner_last;
    const int *inner_rels;
    size_t n_inner_rels;
    const int *group_inner, *group_outer;
    size_t ngroups;
    long min, max;
    const int *uniq;
    size_t nuniq;
} tg_repeat_spec;
tg_op *tg_op_repeat(tg_arena *a, tg_op *child, const tg_repeat_spec *spec);

/* Concatenates the rows of parts[0..n) (each a full pipeline). */
tg_op *tg_op_union(tg_arena *a, tg_op **parts, size_t n);

#endif
