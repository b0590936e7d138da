/* catalog.h — descriptions of the functions and procedures (SHOW FUNCTIONS,
 * SHOW PROCEDURES) and "did you mean" for a misspelt name (internal to
 * queries/). */
#ifndef TG_CATALOG_H
#define TG_CATALOG_H

#include <stddef.h>

typedef struct tg_catalog_entry {
    const char *name;        /* as written in the docs: toUpper, db.labels */
    const char *signature;   /* functions only; NULL for procedures (made from their columns) */
    const char *category;    /* aggregation, string, math, ... ; db, algo for procedures */
    const char *description; /* one sentence */
} tg_catalog_entry;

/* The entry of a function (case-insensitive) or procedure, NULL if none. */
const tg_catalog_entry *tg_catalog_function(const char *name);
const tg_catalog_entry *tg_catalog_procedure(const char *name);

/* Every function's entry, in *out (static); returns how many. */
size_t tg_catalog_functions(const tg_catalog_entry **out);

/* The candidate closest to name by edit distance (case-insensitive), if it
 * is close enough to be a misspelling (1 edit for names of 4 letters, 2 up
 * to 8, 3 beyond); NULL otherwise. */
const char *tg_catalog_nearest(const char *name, const char *const *candidates, size_t n);

/* " (did you mean NEAR?)" in buf (size bytes), or "" when near is NULL;
 * returns buf. */
const char *tg_catalog_hint(const char *near, char *buf, size_t size);

/* The function name closest to name (as tg_catalog_nearest), NULL if none. */
const char *tg_catalog_nearest_function(const char *name);

#endif
