/* builtin.h — data files compiled into the binary: the mappings
 * loaders/mappings/NAME.json (gcdf, aspi, ...), so that `--format gcdf` needs
 * no file beside the executable. The build turns each file into a byte
 * array (cmake/embed.cmake); the files stay data, edited as JSON. */
#ifndef TG_BUILTIN_H
#define TG_BUILTIN_H

#include <stddef.h>

/* The bytes of loaders/mappings/NAME.json (borrowed, static), length in
 * *len; NULL when there is no such built-in mapping. */
const char *tg_i_builtin_mapping(const char *name, size_t *len);

#endif
