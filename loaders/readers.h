/* readers.h — the readers, writers and sniffers of the format table
 * (formats.c), one group per format file. Not a public API. */
#ifndef TG_READERS_H
#define TG_READERS_H

#include "formats.h"

/* json_loader.c */
int tg_i_sniff_json_document(const char *head, size_t n);
int tg_i_sniff_jsonl(const char *head, size_t n);
tg_status tg_i_read_json_document(tg_importer *imp, const char *path, const tg_read_options *o,
                                  tg_load_counts *counts, tg_error *err);
tg_status tg_i_read_jsonl(tg_importer *imp, const char *path, const tg_read_options *o,
                          tg_load_counts *counts, tg_error *err);

/* csv_loader.c: CSV with Neo4j bulk-import headers, or through a mapping */
int tg_i_sniff_csv(const char *head, size_t n);
tg_status tg_i_read_csv(tg_importer *imp, const char *path, const tg_read_options *o,
                        tg_load_counts *counts, tg_error *err);
tg_status tg_i_read_csv_neo4j(tg_importer *imp, const char *path, const tg_read_options *o,
                              tg_load_counts *counts, tg_error *err);

/* mapping.c: CSV through a mapping (tiegraph-mapping/1); builtin names a
 * mapping shipped in loaders/mappings/ (gcdf, aspi) when o->map is NULL */
tg_status tg_i_read_csv_mapped(tg_importer *imp, const char *path, const tg_read_options *o,
                               const char *builtin, tg_load_counts *counts, tg_error *err);
int tg_i_sniff_gcdf(const char *head, size_t n);
int tg_i_sniff_aspi(const char *head, size_t n);
tg_status tg_i_read_gcdf(tg_importer *imp, const char *path, const tg_read_options *o,
                         tg_load_counts *counts, tg_error *err);
tg_status tg_i_read_aspi(tg_importer *imp, const char *path, const tg_read_options *o,
                         tg_load_counts *counts, tg_error *err);

/* ftm_reader.c: FollowTheMoney entities, one a line (the model is the
 * built-in mapping loaders/mappings/ftm.json) */
int tg_i_sniff_ftm(const char *head, size_t n);
tg_status tg_i_read_ftm(tg_importer *imp, const char *path, const tg_read_options *o,
                        tg_load_counts *counts, tg_error *err);

/* export_csv.c */
tg_status tg_i_write_csv(const tg_graph *g, const char *out, const tg_write_options *o,
                         tg_error *err);

/* export_cypher.c */
tg_status tg_i_write_cypher(const tg_graph *g, const char *out, const tg_write_options *o,
                            tg_error *err);
tg_status tg_i_write_cypher_memgraph(const tg_graph *g, const char *out,
                                     const tg_write_options *o, tg_error *err);

/* export_json.c */
tg_status tg_i_write_json(const tg_graph *g, const char *out, const tg_write_options *o,
                          tg_error *err);
tg_status tg_i_write_jsonl(const tg_graph *g, const char *out, const tg_write_options *o,
                           tg_error *err);

/* graphml_reader.c: GraphML, through the XML tokenizer of xml_scan.c */
int tg_i_sniff_graphml(const char *head, size_t n);
tg_status tg_i_read_graphml(tg_importer *imp, const char *path, const tg_read_options *o,
                            tg_load_counts *counts, tg_error *err);

/* export_xml.c */
tg_status tg_i_write_graphml(const tg_graph *g, const char *out, const tg_write_options *o,
                             tg_error *err);
tg_status tg_i_write_gexf(const tg_graph *g, const char *out, const tg_write_options *o,
                          tg_error *err);

#endif
