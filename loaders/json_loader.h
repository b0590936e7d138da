/* json_loader.h — reading tiegraph/1 JSON documents and JSON Lines.
 *
 * The format and its rules are in docs/formats.md ("tiegraph/1 JSON and
 * JSON Lines") and DESIGN.md ("Native JSON format"). In short:
 * - a document (.json) is {"format": "tiegraph/1", "sources": [...],
 *   "entities": [...], "relations": [...]}; JSON Lines (.jsonl) hold one
 *   {"source": {...}}, {"entity": {...}} or {"relation": {...}} per line;
 * - an entity id that exists merges (labels and sources united, the newer
 *   file's properties win); a duplicate entity id within one file is an
 *   error;
 * - a relation with an "id" merges with the relation of that id; without an
 *   id it is identified by its content (type, endpoints, properties,
 *   sources): a file holding a content n times, loaded into a graph holding
 *   it m times, leaves max(n, m) copies, so loading a file twice changes
 *   nothing;
 * - strings must be valid UTF-8 (checked, including \u surrogate pairs);
 *   \u0000 is accepted and kept: strings are stored with their length, so
 *   an id or a value may contain NUL bytes;
 * - every error is one message naming the file, the line and the column
 *   (1-based; columns count bytes) of the offending key or value.
 * The parser is our own (json_parse.c), not cJSON: it keeps positions and
 * reuses one arena per record.
 *
 * Errors: TG_EDATA (bad content), TG_ENOENT (missing or unreadable file),
 * TG_ENOMEM. On failure g may have been partly changed: the caller discards
 * it (the store is only written after a successful load).
 *
 * Ownership: every pointer argument is borrowed for the duration of the call.
 */
#ifndef TG_JSON_LOADER_H
#define TG_JSON_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"
#include "tg_error.h"

/* What a load did. entities_merged counts entities that existed and were
 * merged; relations_same counts relations that were already in the graph (an
 * identical copy, or the same "id", merged) and so were not added; sources
 * counts source records read. */
typedef struct tg_load_counts {
    size_t entities_new, entities_merged, relations_new, relations_same, sources;
} tg_load_counts;

/* Reads a tiegraph/1 document or JSON Lines file at path into g, applying the
 * merge rules. The format comes from the extension (.json: document;
 * .jsonl or .ndjson: JSON Lines), otherwise from the content: a first
 * non-blank '{' whose first key is "format" means a document, anything else
 * JSON Lines. JSON Lines files are read line by line (memory stays flat,
 * except that a relation naming an entity defined later in the file is kept
 * until the end); a document is read whole into memory.
 * Errors: TG_EDATA with err->file, line, column; TG_ENOENT when the file
 * cannot be opened or read; TG_ENOMEM.
 * Complexity: O(bytes) parsing plus the engine's cost per record; when g
 * already holds relations, the first relation without id builds an index of
 * them in O(relations). */
tg_status tg_json_load_file(tg_graph *g, const char *path, tg_error *err);

/* Same, and fills *counts (may be NULL) on success. */
tg_status tg_json_load_file_counts(tg_graph *g, const char *path, tg_load_counts *counts,
                                   tg_error *err);

/* Same with the format forced: jsonl 0 a document, 1 JSON Lines (read line
 * by line whatever the extension), -1 as tg_json_load_file decides. For
 * `tiegraph import --format json|jsonl` on a file with another name. */
tg_status tg_json_load_file_as(tg_graph *g, const char *path, int jsonl, tg_load_counts *counts,
                               tg_error *err);

/* Progress of a long load: fn is called with the bytes read so far and the
 * file's size, every 65,536 lines of a JSON Lines file and once at its end
 * (documents are read whole and report nothing). */
typedef struct tg_json_progress {
    void (*fn)(void *ctx, uint64_t done, uint64_t total);
    void *ctx;
} tg_json_progress;

/* tg_json_load_file_as that reports progress (progress may be NULL). */
tg_status tg_json_load_file_progress(tg_graph *g, const char *path, int jsonl,
                                     tg_load_counts *counts, const tg_json_progress *progress,
                                     tg_error *err);

/* Same for data[0..len) already in memory; name is the file name used in
 * error messages. jsonl: 0 a document, 1 JSON Lines, -1 decide from the
 * content as tg_json_load_file does for an unknown extension. */
tg_status tg_json_load_buffer(tg_graph *g, const char *name, const char *data, size_t len,
                              int jsonl, tg_error *err);

#endif
