/* csv_values.h — typed values from CSV cells, shared by the Neo4j CSV
 * reader (csv_loader.c) and the mapping reader (mapping.c). Not a public
 * API (tg_i_ prefix).
 *
 * Types use Neo4j's bulk-import names: int, long, short, byte (integers),
 * float, double (floats), boolean, string, char, and the temporal names
 * date, localtime, time, localdatetime, datetime, duration (ISO 8601 text
 * read into typed values, engine/temporal.h; see docs/formats.md); each may
 * be a list with "[]" (tags:string[]).
 */
#ifndef TG_CSV_VALUES_H
#define TG_CSV_VALUES_H

#include <stddef.h>

#include "graph.h"
#include "importer.h"

typedef struct tg_ctype {
    int vtype; /* TG_V_INT, TG_V_FLOAT, TG_V_BOOL, TG_V_STRING, TG_V_DATE..TG_V_DURATION */
    int list;  /* "[]" */
} tg_ctype;

/* Reads a type name s[0..len) ("int", "string[]", ...) into *t. 0 when it
 * is one, -1 when not. */
int tg_i_ctype_parse(const char *s, size_t len, tg_ctype *t);

/* The type names, for messages. */
#define TG_CTYPE_NAMES                                                                         \
    "int, long, float, double, boolean, string, date, datetime, ... (each with [] for a list)"

/* Scratch space for the list items of one row's values. */
typedef struct tg_cvals {
    tg_pval *items;
    size_t n, cap;
} tg_cvals;

void tg_i_cvals_reset(tg_cvals *v);
void tg_i_cvals_free(tg_cvals *v);

/* Converts cell s[0..len) to a value of type t into p->v (the caller sets
 * p->key and p->pos). A list is split on adelim; its items go to vals and
 * their offset into vals is kept in p->v.u.list until tg_i_cvals_fix sets
 * p->items (vals may move while a row's values are converted). Strings are
 * interned in g. Returns 0; -1 with a message in msg (cap bytes), such as
 * "\"12x\" is not an integer", and the offset of the bad part within the
 * cell in *bad_off; -2 when out of memory. */
int tg_i_cvalue(tg_graph *g, const char *s, size_t len, const tg_ctype *t, char adelim,
                tg_cvals *vals, tg_iprop *p, char *msg, size_t cap, size_t *bad_off);

/* Sets p->items for the list values among props[0..n) (see tg_i_cvalue). */
void tg_i_cvals_fix(tg_cvals *vals, tg_iprop *props, size_t n);

#endif
