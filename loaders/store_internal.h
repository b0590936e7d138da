/* store_internal.h — what store.c and store_views.c share.
 *
 * The schema of version 2 (docs/store.md has the reasoning):
 *   meta(key, value)                              format, byte order, counts
 *   base(seg, k, data)                            the base: engine segments in
 *                                                 chunks of TG_I_CHUNK items
 *   base_segment(name, bytes, items)              the base's directory
 *   base_labelset(lset, labels)                   label sets as JSON, for SQL
 *   base_column(side, k, key, rows)               property columns, for SQL
 *   base_source(id, fields)                       sources as JSON, for SQL
 *   write(id, at, kind, what, counts..., folded)  the write log
 *   write_file(write, file, bytes, entities, relations)
 *   change_entity / _relation / _property / _source: the change log
 *   views: entity, relation, property, source, imports
 */
#ifndef TG_STORE_INTERNAL_H
#define TG_STORE_INTERNAL_H

#include <sqlite3.h>

/* Items (array elements) per chunk of a base segment. 1016 items make
 * chunks that fill 64 KiB pages with SQLite's cell overhead and waste
 * little: 16 chunks of uint32 (4064 bytes), 8 of uint64, 4 of values
 * (16256 bytes) to a page, each inside its page, so that the views read it
 * without following overflow pages. (1024 items wasted a fifth of the
 * file: 16 KiB chunks fit only three to a page.) */
#define TG_I_CHUNK 1016
#define TG_I_CHUNK_TEXT "1016"

/* Strings per chunk of the `str` segment: a chunk is TG_I_STR_CHUNK + 1
 * uint32 offsets (from the chunk's start) followed by the bytes. */
#define TG_I_STR_CHUNK 256

/* Creates the SQL views of a version-2 store (store_views.c). SQLite's
 * result code. */
int tg_i_store_create_views(sqlite3 *db);

/* The names of every table, index and view of a version-2 store, NULL
 * terminated: anything else in a store file (a trigger above all) makes it
 * suspect, and it is refused. */
extern const char *const tg_i_store_objects[];

#endif
