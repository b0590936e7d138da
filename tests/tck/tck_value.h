/* tck_value.h — the openCypher TCK's value notation: parse and compare.
 *
 * Expected cells of a TCK result table and the cells that the engine writes
 * with TG_CELL_TCK are both parsed into a small tree by the same parser, and
 * the trees are compared structurally, so that layout (spaces, the order of
 * map keys or of node labels) never decides a comparison.
 *
 * Notation: null, true, false; integers (-12); floats (1.0, -0.0, .5, 1e-3,
 * 1.5E10, NaN, Infinity, -Infinity); strings '...' or "..." with the escapes
 * \\ \' \" \n \t \r \b \f \uXXXX \UXXXXXXXX; lists [1, 'a']; maps {a: 1,
 * `odd key`: 2}; nodes (:A:B {p: 1}); relationships [:T {p: 1}]; paths
 * <(:A)-[:T]->(:B)<-[:S]-(:C)>.
 *
 * Equality (tck_value_equal):
 * - kinds must match: an integer never equals a float (1 != 1.0);
 * - floats are equal when both are NaN or when they are the same double
 *   (so -0.0 equals 0.0). Both sides are parsed with strtod, so any text
 *   that round-trips (shortest form, %.17g) compares equal; a value printed
 *   with too few digits does not. The TCK's expected floats are exact
 *   results of + - * / and sqrt, which IEEE 754 fixes, so no tolerance;
 * - strings by bytes; maps by key set, then value per key; nodes by label set
 *   and property map; relationships by type and property map; paths element
 *   by element with directions;
 * - lists in order, or as bags (recursively) when unordered_lists is set
 *   (the TCK's "ignoring element order for lists").
 *
 * Ownership: tck_value_parse returns an owned tree (free with
 * tck_value_free, which accepts NULL). Nothing here prints or aborts.
 */
#ifndef TCK_VALUE_H
#define TCK_VALUE_H

#include <stddef.h>
#include <stdint.h>

typedef enum tck_kind {
    TCK_NULL = 0,
    TCK_BOOL,
    TCK_INT,
    TCK_FLOAT,
    TCK_STRING,
    TCK_LIST,
    TCK_MAP,
    TCK_NODE,
    TCK_REL,
    TCK_PATH
} tck_kind;

typedef struct tck_value tck_value;

/* One parsed value. Fields in use by kind:
 * BOOL b; INT i; FLOAT f; STRING str/len; LIST items[n];
 * MAP names[n] (sorted, unique) and items[n] (the value of names[k]);
 * NODE names[n] (labels, sorted) and props (a MAP);
 * REL str/len (the type), props (a MAP), dir (+1 for -[]->, -1 for <-[]-,
 * 0 outside a path); PATH items[n]: node, rel, node, rel, ..., node. */
struct tck_value {
    tck_kind kind;
    int b;
    int dir;
    int64_t i;
    double f;
    char *str;
    size_t len;
    size_t n;
    tck_value **items;
    char **names;
    tck_value *props;
};

/* Parses one whole value from text (surrounding spaces allowed). Returns the
 * tree (owned: tck_value_free) or NULL; on NULL, errbuf (errlen bytes, may
 * be 0) holds a message naming the offset and what was expected, or "out of
 * memory". O(length of text) plus sorting of map keys. */
tck_value *tck_value_parse(const char *text, char *errbuf, size_t errlen);

/* Frees v and everything below it. Accepts NULL. */
void tck_value_free(tck_value *v);

/* Whether a and b are the same value under the rules above. Both borrowed.
 * O(size) when lists are ordered; O(n^2) per list when unordered. */
int tck_value_equal(const tck_value *a, const tck_value *b, int unordered_lists);

/* Whether two floats are equal under the rule above (exposed for tests). */
int tck_float_equal(double a, double b);

#endif
