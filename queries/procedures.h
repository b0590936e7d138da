/* procedures.h — the registry of procedures called with CALL name(args) YIELD ...
 *
 * A procedure has a qualified name ("db.labels", "algo.pageRank"), declared
 * input columns (the first n_required are required, the others optional and
 * passed as null when omitted), declared output columns, and a function that
 * is called once per CALL row with the graph and the evaluated arguments and
 * emits its output rows through tg_proc_emit.
 *
 * The registry is process-wide: built-in procedures (db.labels,
 * db.relationshipTypes, db.propertyKeys, db.schema.*, dbms.procedures and
 * dbms.functions behind SHOW PROCEDURES / SHOW FUNCTIONS) are always present, and the algo.*
 * procedures (proc_algo.h) are registered on the registry's first use; other
 * modules add theirs with tg_proc_register at start-up. Not thread-safe: the
 * first call of any function here may register, so make one (e.g.
 * tg_proc_find) before sharing the registry between threads.
 *
 * Values (value.h): arguments are borrowed for the duration of the call.
 * Emitted rows are copied shallowly; any string, list or map an emitted value
 * refers to must be built in tg_proc_mem(ctx) (or be a graph string), which
 * lives as long as the query's result.
 */
#ifndef TG_PROCEDURES_H
#define TG_PROCEDURES_H

#include <stddef.h>

#include "graph.h"
#include "tg_error.h"
#include "value.h"

/* The declared type of a column: TG_PROC_ANY accepts anything. The kinds
 * are checked for inputs (a null is always accepted for an optional input;
 * an Integer is accepted where a Float is declared). */
typedef enum tg_proc_type {
    TG_PROC_ANY = 0,
    TG_PROC_BOOL,
    TG_PROC_INT,
    TG_PROC_FLOAT,
    TG_PROC_NUMBER,
    TG_PROC_STRING,
    TG_PROC_LIST,
    TG_PROC_MAP,
    TG_PROC_NODE,
    TG_PROC_REL,
    TG_PROC_PATH
} tg_proc_type;

typedef struct tg_proc_col {
    const char *name;
    tg_proc_type type;
} tg_proc_col;

typedef struct tg_proc_ctx tg_proc_ctx;

/* A procedure's body: args[0..nargs) are the evaluated inputs (nargs equals
 * the declared input count; omitted optional inputs are null). Emits rows
 * with tg_proc_emit. Returns TG_OK, or a status with err set (TG_EARG for a
 * bad argument value, TG_ETYPE for a wrong kind, TG_ERUNTIME otherwise).
 * `data` is the pointer given at registration. */
typedef tg_status (*tg_proc_fn)(tg_proc_ctx *ctx, tg_graph *g, const tg_value *args,
                                size_t nargs, void *data, tg_error *err);

typedef struct tg_proc_def {
    const char *name;           /* qualified name, compared case-sensitively */
    const tg_proc_col *inputs;  /* n_inputs columns (borrowed, must outlive the registry) */
    size_t n_inputs;
    size_t n_required;          /* the first n_required inputs must be given */
    const tg_proc_col *outputs; /* n_outputs columns */
    size_t n_outputs;
    tg_proc_fn fn;
    void *data;                 /* passed to fn */
} tg_proc_def;

/* Adds (or replaces, by name) a procedure. *def is copied; the strings and
 * column arrays it points to are borrowed and must stay valid while the
 * procedure is registered (static storage is the usual choice).
 * Errors: TG_EINVAL for a NULL name or function, TG_ENOMEM. O(number of
 * procedures). */
tg_status tg_proc_register(const tg_proc_def *def, tg_error *err);

/* Removes a procedure by name; returns whether it existed. */
int tg_proc_unregister(const char *name);

/* The procedure named name (case-sensitive), or NULL. Returns borrowed,
 * valid until it is unregistered or replaced. */
const tg_proc_def *tg_proc_find(const char *name);

/* The number of procedures and the i-th of them (registered ones, then the
 * built-ins not shadowed by one), for SHOW PROCEDURES. O(procedures). */
size_t tg_proc_count(void);
const tg_proc_def *tg_proc_at(size_t i);

/* The i-th procedure's name (built-ins, then registered ones; a name may
 * repeat when a registered one replaces a built-in), NULL past the last;
 * for completion in the shell. O(1). */
const char *tg_proc_name(size_t i);

/* Emits one output row: row[0..n_outputs) in the declared output order.
 * The values are copied shallowly (see the header comment). Errors:
 * TG_ENOMEM; TG_ERUNTIME when the query's guards (timeout) stop it, which
 * the procedure should pass on by returning the status. */
tg_status tg_proc_emit(tg_proc_ctx *ctx, const tg_value *row, tg_error *err);

/* The memory in which to build emitted strings, lists and maps (borrowed). */
tg_vmem *tg_proc_mem(tg_proc_ctx *ctx);

/* Whether the query's time budget is spent: long procedures call this now
 * and then and stop with TG_ERUNTIME when it returns non-zero. */
int tg_proc_should_stop(tg_proc_ctx *ctx);

/* ---- helpers for procedure bodies ------------------------------------------ */

/* The map entry key of an options map (NULL when v is not a map or has no
 * such key, or the entry is null). */
const tg_value *tg_proc_option(const tg_value *options, const char *key);

#endif
