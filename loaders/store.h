/* store.h — the SQLite store: one file holding a graph.
 *
 * The graph is persisted as the engine's binary segments (engine/graph.h,
 * tg_graph_save_segments), one BLOB row per segment, so that loading a
 * store costs little more than reading its bytes: no row is re-parsed as
 * text. A `meta` table records the format, the byte order, counts and the
 * import history is in `imports`. The schema is versioned with
 * PRAGMA user_version. See docs/store.md.
 *
 * Every write is one transaction: a failed import leaves the file byte for
 * byte as it was.
 */
#ifndef TG_STORE_H
#define TG_STORE_H

#include <stddef.h>

#include "graph.h"
#include "tg_error.h"

typedef struct tg_store tg_store;

typedef enum tg_store_mode {
    TG_STORE_READ,  /* the store must exist */
    TG_STORE_WRITE  /* created when missing */
} tg_store_mode;

/* Opens the store at path (":memory:" is an empty in-memory store).
 * Errors: TG_EIO when the file is missing (READ), is not a tiegraph store,
 * has a schema version this build does not know, or cannot be opened.
 * *out is owned: close with tg_store_close. */
tg_status tg_store_open(const char *path, tg_store_mode mode, tg_store **out, tg_error *err);

/* Closes the store. Accepts NULL. */
void tg_store_close(tg_store *s);

/* Loads the whole graph (an empty graph for an empty store) into *out
 * (owned: tg_graph_free). O(size of the store). Errors: TG_EIO, TG_EDATA
 * (damaged segments), TG_ENOMEM. */
tg_status tg_store_load(tg_store *s, tg_graph **out, tg_error *err);

/* Replaces the stored graph by g in one transaction. O(size of g). */
tg_status tg_store_save(tg_store *s, const tg_graph *g, tg_error *err);

/* One line of the import history. */
typedef struct tg_import_record {
    const char *file;
    long long bytes;
    long long entities, relations; /* records read from the file */
} tg_import_record;

/* Saves g and appends the history records in the same transaction. */
tg_status tg_store_save_import(tg_store *s, const tg_graph *g, const tg_import_record *recs,
                               size_t nrecs, tg_error *err);

/* The number of imports recorded so far. */
long long tg_store_import_count(tg_store *s);

/* The store's path as given to tg_store_open (borrowed). */
const char *tg_store_path(const tg_store *s);

#endif
