/* json_loader.h — reading tiegraph/1 JSON documents and JSON Lines.
 *
 * The format and its rules are in docs/formats.md ("tiegraph/1 JSON and
 * JSON Lines") and DESIGN.md ("Native JSON format"). In short:
 * - a document (.json) is {"format": "tiegraph/1", "sources": [...],
 *   "entities": [...], "relations": [...]}; JSON Lines (.jsonl) hold one
 *   {"source": {...}}, {"entity": {...}} or {"relation": {...}} per line;
 * - strings must be valid UTF-8 (checked, including \u surrogate pairs);
 *   \u0000 is accepted and kept: strings are stored with their length;
 * - every error is one message naming the file, the line and the column
 *   (1-based; columns count bytes) of the offending key or value.
 * The merge rules (existing ids, duplicates, relation identity) are the
 * importer's (importer.h). The parser is our own (json_parse.c), not cJSON:
 * see docs/formats.md ("Why tiegraph parses JSON itself") for the
 * measurement.
 *
 * Errors: TG_EDATA (bad content), TG_ENOENT (missing or unreadable file),
 * TG_ENOMEM. On failure the graph may have been partly changed: the caller
 * discards it (the store is only written after a successful load).
 *
 * Ownership: every pointer argument is borrowed for the duration of the call.
 */
#ifndef TG_JSON_LOADER_H
#define TG_JSON_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "formats.h"
#include "graph.h"
#include "importer.h"
#include "tg_error.h"

/* Reads a tiegraph/1 file into imp. jsonl: 0 a document, 1 JSON Lines, -1
 * from the extension (.json: document; .jsonl or .ndjson: JSON Lines), else
 * from the content: a first non-blank '{' whose first key is "format" means
 * a document, anything else JSON Lines. JSON Lines are read line by line
 * (memory stays flat, except that a relation naming an entity defined later
 * waits in the importer until the end); a document is read whole. o may be
 * NULL. Complexity: O(bytes) parsing plus the importer's cost per record. */
tg_status tg_json_read(tg_importer *imp, const char *path, int jsonl, const tg_read_options *o,
                       tg_load_counts *counts, tg_error *err);

/* Same for data[0..len) already in memory; name is used in messages. */
tg_status tg_json_read_buffer(tg_importer *imp, const char *name, const char *data, size_t len,
                              int jsonl, tg_load_counts *counts, tg_error *err);

/* Conveniences that make an importer for one file: tg_json_read into g.
 * counts may be NULL. */
tg_status tg_json_load_file(tg_graph *g, const char *path, tg_error *err);
tg_status tg_json_load_file_counts(tg_graph *g, const char *path, tg_load_counts *counts,
                                   tg_error *err);
tg_status tg_json_load_file_as(tg_graph *g, const char *path, int jsonl, tg_load_counts *counts,
                               tg_error *err);
tg_status tg_json_load_buffer(tg_graph *g, const char *name, const char *data, size_t len,
                              int jsonl, tg_error *err);

/* Whether data starts (after a BOM and blanks) like a tiegraph/1 document:
 * '{' and the key "format". For content sniffing. */
int tg_json_looks_like_document(const char *data, size_t len);

#endif
