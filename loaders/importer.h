/* importer.h — the format-neutral importer: one place for the merge rules.
 *
 * Every reader (tiegraph/1 JSON, CSV with Neo4j headers, mapped CSV, GCDF,
 * ASPI, FollowTheMoney, GraphML) only parses its format and hands records to
 * an importer: sources, entities and relations, each with the position of
 * its parts in the file. The importer applies them to a graph with the rules
 * of docs/formats.md ("Merge rules"):
 * - an entity whose id exists is merged: labels united, "sources" united
 *   (first-seen order), the newer record's other properties win;
 * - the same entity id twice in one file is an error, unless the file's
 *   options say that records of one id are fragments to merge (mapped CSV,
 *   FollowTheMoney);
 * - a relation with an id merges with the relation of that id (the same id
 *   with another type or endpoints is an error; the same id twice in one file
 *   is an error, unless records are fragments: then the second is merged into
 *   the first, lists united); a relation without an id is
 *   identified by its content (type, endpoints, every property): a file with a
 *   content n times loaded into a graph holding it m times leaves max(n, m)
 *   copies, so importing a file twice changes nothing;
 * - a relation naming an entity not seen yet waits until the end of the file;
 *   an endpoint still unknown then is an error at the relation's position, or,
 *   when the file's options say so, the relation is skipped and reported.
 * Values are checked by the reader; the importer checks identities (ids,
 * endpoints, duplicate keys). A record is applied whole or rejected; on
 * failure the caller discards the graph (the store is only written after a
 * whole import succeeded), so all-or-nothing holds for every reader.
 *
 * Positions: a tg_ipos names a place in the file. By default it is
 * TG_IPOS(line, column) (1-based, column in bytes); a reader that knows only
 * byte offsets passes a locate function to tg_importer_begin instead and the
 * importer calls it, only when it reports an error.
 *
 * Ownership: the graph is borrowed for the importer's life. Record structs
 * and everything they point to are borrowed for the duration of the call;
 * symbols (labels, types, keys, string values) must be interned in the
 * importer's graph (tg_graph_intern). Errors go to the tg_error given to
 * tg_importer_begin.
 */
#ifndef TG_IMPORTER_H
#define TG_IMPORTER_H

#include <stddef.h>
#include <stdint.h>

#include "graph.h"
#include "tg_error.h"

typedef struct tg_importer tg_importer;

/* A place in the file being read. */
typedef uint64_t tg_ipos;
#define TG_IPOS(line, col) (((uint64_t)(uint32_t)(line) << 32) | (uint32_t)(col))

/* What a load did. entities_merged counts entity records whose id existed
 * (in the graph or earlier in the file, for fragments); relations_same counts
 * relation records that were already in the graph (an identical copy, or the
 * same id, merged) and so were not added; relations_skipped counts relations
 * left out because an endpoint is unknown (only under
 * TG_IMPORT_UNKNOWN_SKIP); sources counts source records read. */
typedef struct tg_load_counts {
    size_t entities_new, entities_merged, relations_new, relations_same, relations_skipped,
        sources;
} tg_load_counts;

/* A property of a record. For a list, v.type is TG_V_LIST with v.elem and
 * v.len set and the elements in items (v.u is not read); for a scalar items
 * is NULL. Absent values are simply not given (never TG_V_NULL). */
typedef struct tg_iprop {
    tg_sym key;
    tg_pval v;
    const tg_pval *items;
    tg_ipos pos; /* the key, or the value when the format has no keys */
} tg_iprop;

typedef struct tg_isource {
    const char *id; /* non-empty */
    size_t id_len;
    const tg_source_field *fields; /* each key at most once */
    size_t nfields;
    tg_ipos pos;
} tg_isource;

typedef struct tg_ientity {
    const char *id; /* non-empty */
    size_t id_len;
    tg_ipos id_pos;
    const tg_sym *labels; /* at least one for a new entity */
    size_t nlabels;
    const tg_iprop *props; /* any order; "sources" must not be among them */
    size_t nprops;
    const tg_sym *sources; /* source references ("aspi-2019#47"); duplicates dropped */
    size_t nsources;
    tg_ipos pos; /* the record */
} tg_ientity;

typedef struct tg_irelation {
    tg_sym type;
    const char *from, *to; /* entity ids */
    size_t from_len, to_len;
    tg_ipos from_pos, to_pos;
    const char *id; /* NULL: identified by content */
    size_t id_len;
    tg_ipos id_pos;
    const tg_iprop *props; /* any order; neither "id" nor "sources" */
    size_t nprops;
    const tg_sym *sources;
    size_t nsources;
    tg_ipos pos;
} tg_irelation;

typedef enum tg_import_dups {
    TG_IMPORT_DUP_ERROR = 0, /* an entity id twice in one file is an error */
    TG_IMPORT_DUP_MERGE      /* records of one id (entity, or relation id) are fragments,
                                merged in order, lists united */
} tg_import_dups;

typedef enum tg_import_unknown {
    TG_IMPORT_UNKNOWN_ERROR = 0, /* an unknown endpoint at the end of the file is an error */
    TG_IMPORT_UNKNOWN_SKIP       /* the relation is skipped, counted and reported */
} tg_import_unknown;

/* Called for each relation skipped under TG_IMPORT_UNKNOWN_SKIP: the file,
 * the relation's position and the unknown id (not NUL-terminated). */
typedef void (*tg_import_skip_fn)(void *ctx, const char *file, long line, long column,
                                  const char *id, size_t id_len, const char *type);

/* Turns a reader's position into a line and column (both 1-based). */
typedef void (*tg_import_locate_fn)(void *ctx, tg_ipos pos, long *line, long *column);

typedef struct tg_import_file_options {
    tg_import_dups dups;
    tg_import_unknown unknown;
    tg_import_skip_fn on_skip; /* may be NULL */
    void *skip_ctx;
    tg_import_locate_fn locate; /* NULL: positions are TG_IPOS(line, column) */
    void *locate_ctx;
} tg_import_file_options;

/* A new importer writing into g (borrowed). Errors: TG_ENOMEM. *out is owned
 * (free with tg_importer_free). */
tg_status tg_importer_new(tg_graph *g, tg_importer **out, tg_error *err);

/* Frees the importer. Accepts NULL. */
void tg_importer_free(tg_importer *imp);

/* The graph being written (borrowed). */
tg_graph *tg_importer_graph(tg_importer *imp);

/* Starts a file: name is used in error messages (copied); opts may be NULL
 * (errors on duplicates and unknown endpoints, TG_IPOS positions). err
 * receives every error until tg_importer_end. */
void tg_importer_begin(tg_importer *imp, const char *name, const tg_import_file_options *opts,
                       tg_error *err);

/* Applies one record. Errors: TG_EDATA (duplicate ids, conflicting relation
 * ids, duplicate property keys, unknown endpoints) with the position,
 * TG_ENOMEM. Amortised O(size of the record) plus the engine's costs; the
 * first relation without an id, when the graph held relations before the
 * file, indexes them in O(relations). */
tg_status tg_importer_source(tg_importer *imp, const tg_isource *s);
tg_status tg_importer_entity(tg_importer *imp, const tg_ientity *e);
tg_status tg_importer_relation(tg_importer *imp, const tg_irelation *r);

/* Ends the file: applies the relations that waited for an entity defined
 * later, then fills *counts (may be NULL) with what this file did.
 * Errors as above. */
tg_status tg_importer_end(tg_importer *imp, tg_load_counts *counts);

/* Records a reader's error at pos in the current file: `FILE:LINE:COL` and
 * the printf-formatted message. Returns status, so that a reader can write
 * `return tg_importer_fail(imp, TG_EDATA, pos, "...")`. */
tg_status tg_importer_fail(tg_importer *imp, tg_status status, tg_ipos pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* The current file's name (borrowed) and its error record. */
const char *tg_importer_file(const tg_importer *imp);
tg_error *tg_importer_error(tg_importer *imp);

/* Records read so far in the current file (entities + relations + sources). */
size_t tg_importer_records(const tg_importer *imp);

#endif
