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

/* export_json.c */
tg_status tg_i_write_json(const tg_graph *g, const char *out, const tg_write_options *o,
                          tg_error *err);
tg_status tg_i_write_jsonl(const tg_graph *g, const char *out, const tg_write_options *o,
                           tg_error *err);

#endif
