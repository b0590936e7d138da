/* store.h — the SQLite store: one file holding a graph, its change log and
 * the record of every write.
 *
 * Layout (docs/store.md): a **base** (the engine's segments, cut into
 * chunks of 1024 items, one row each) that is read lazily, a **change log**
 * of readable rows for what small writes changed since the base was
 * written (replayed when the store is opened), the **write log** (one row a
 * write: what, when, counts) and SQL views (entity, relation, property,
 * source) that read base and changes together, so that the sqlite3 shell
 * or any SQL tool reads the graph without tiegraph. The file is in WAL mode
 * and its format is versioned with PRAGMA user_version.
 *
 * Transactions: a store opened for reading holds one read snapshot until
 * it is closed (and until the graph loaded from it is freed): every lazy
 * read sees the same state. A store opened for writing holds the write
 * lock from open to close; a second writer waits up to the busy timeout
 * and then fails with TG_EIO naming the store. Every save commits, so that
 * a crash at any moment leaves the state of the last commit.
 *
 * Ownership: tg_store_load's graph keeps a reference to the store (it reads
 * lazily through it); the store's file closes when both tg_store_close and
 * tg_graph_free have been called.
 */
#ifndef TG_STORE_H
#define TG_STORE_H

#include <stddef.h>

#include "graph.h"
#include "tg_error.h"

typedef struct tg_store tg_store;

typedef enum tg_store_mode {
    TG_STORE_READ, /* the store must exist */
    TG_STORE_WRITE /* created when missing; holds the write lock until closed */
} tg_store_mode;

/* The store format this build writes (PRAGMA user_version); it reads it and
 * version 1 (upgraded on the first write). */
#define TG_STORE_VERSION 2

/* How long tg_store_open waits for another writer (or for a reader while
 * the file is recovered) before it gives up, in milliseconds, for the
 * stores opened from now on in this process (default 5000; 0 fails at
 * once). */
void tg_store_set_busy_timeout(int ms);

/* Opens the store at path (":memory:" is an empty in-memory store).
 * Errors: TG_EINVAL for a path that cannot name a store ("" or an SQLite
 * URI); TG_EIO when the file is missing (READ), is not a tiegraph store,
 * was written by a newer tiegraph, cannot be opened or locked (another
 * writer held it past the busy timeout), or is read-only (WRITE); TG_ENOMEM.
 * A file that is not a store is never modified. *out is owned: close with
 * tg_store_close. */
tg_status tg_store_open(const char *path, tg_store_mode mode, tg_store **out, tg_error *err);

/* Drops the caller's reference. The file is closed (and a write lock given
 * up, uncommitted work rolled back) once the graph loaded from it is freed
 * too. Accepts NULL. */
void tg_store_close(tg_store *s);

/* The stored graph (an empty graph for an empty store) in *out (owned:
 * tg_graph_free). Relations and property columns are read when first
 * needed, inside this store's snapshot; a failure then is reported by
 * tg_graph_status. O(strings + entities + change log). Errors: TG_EIO,
 * TG_EDATA (a damaged store), TG_ENOMEM. */
tg_status tg_store_load(tg_store *s, tg_graph **out, tg_error *err);

/* Turns a store opened for reading into a writer for the next save: takes
 * the write lock (waiting up to the busy timeout) and checks that nobody
 * wrote since this handle's snapshot, so that the graph loaded from it is
 * still the store's content. After the save the lock is given back and the
 * handle reads the state it wrote. No-op for a store opened for writing
 * (it holds the lock from open to close). Errors: TG_EIO (busy, or the
 * store changed since it was read: the graph is out of date; nothing was
 * written, and the handle refuses further reads and writes). */
tg_status tg_store_begin_write(tg_store *s, tg_error *err);

/* Counts a write reports in the write log (-1: not known). */
typedef struct tg_write_counts {
    long long entities, relations; /* records read (import) or created (statement) */
    long long properties;          /* properties set */
    long long removed;             /* properties removed */
    long long deleted;             /* entities and relations deleted */
} tg_write_counts;

/* Saves what changed in g since it was loaded from s (or last saved) and
 * commits, recording the write in the write log. A graph not loaded from s
 * replaces the stored graph whole. When the change log has grown past its
 * bound (docs/store.md) the save folds it into a new base instead. g's
 * marks move (nothing counts as changed afterwards). Errors: TG_EIO (read
 * only, disk full, the store changed under this writer), TG_ENOMEM. On
 * failure nothing of this save is in the store. */
tg_status tg_store_save(tg_store *s, tg_graph *g, tg_error *err);

/* One line of the import history. */
typedef struct tg_import_record {
    const char *file;
    long long bytes;
    long long entities, relations; /* records read from the file */
} tg_import_record;

/* Saves g as tg_store_save does, recording an import of these files. */
tg_status tg_store_save_import(tg_store *s, tg_graph *g, const tg_import_record *recs, size_t nrecs,
                               tg_error *err);

/* Saves g as tg_store_save does, recording the statement text[0..len) that
 * changed it and its counts (c may be NULL). */
tg_status tg_store_save_statement(tg_store *s, tg_graph *g, const char *text, size_t len,
                                  const tg_write_counts *c, tg_error *err);

/* What tg_store_vacuum did. */
typedef struct tg_vacuum_report {
    long long bytes_before, bytes_after;           /* size of the file */
    long long changes_folded;                      /* change-log rows folded into the base */
    long long entities_dropped, relations_dropped; /* deleted items removed for good */
} tg_vacuum_report;

/* Rewrites the store compactly in one transaction: the change log folded
 * into a new base, deleted entities and relations dropped for good (the
 * others are renumbered, so indexes from before mean nothing after), then
 * the file's free pages returned (SQLite VACUUM). s must be open for
 * writing and no graph loaded from it may be in use. rep may be NULL.
 * Errors: as tg_store_save. */
tg_status tg_store_vacuum(tg_store *s, tg_vacuum_report *rep, tg_error *err);

/* The number of imported files recorded so far. */
long long tg_store_import_count(tg_store *s);

/* The store's path as given to tg_store_open (borrowed). */
const char *tg_store_path(const tg_store *s);

#endif
