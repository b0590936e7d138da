/* unicode.h — Unicode case mapping and normalisation of query strings
 * (internal to queries/), through utf8proc.
 *
 * Strings are valid UTF-8 (every input is checked, engine/utf8.h). Results
 * are built in the query's value memory.
 */
#ifndef TG_UNICODE_H
#define TG_UNICODE_H

#include <stddef.h>

#include "value.h"

typedef enum tg_unorm { TG_NFC, TG_NFD, TG_NFKC, TG_NFKD } tg_unorm;

/* Full case mapping of s[0..n) into *out (in m), as Java's (and so Neo4j's)
 * toUpperCase/toLowerCase with the root locale: 'straße' -> 'STRASSE',
 * 'ΟΔΟΣ' -> 'οδος' (final sigma), 'İ' -> 'i̇'. TG_ENOMEM on failure. O(n). */
tg_status tg_i_unicode_case(tg_vmem *m, const char *s, size_t n, int upper, tg_value *out);

/* s[0..n) in normalisation form f. TG_ENOMEM on failure. O(n). */
tg_status tg_i_unicode_normalize(tg_vmem *m, const char *s, size_t n, tg_unorm f, tg_value *out);

/* The form named name ("NFC", "NFD", "NFKC", "NFKD", any case); -1 when it
 * names none. */
int tg_i_unicode_form(const char *name, size_t len);

/* The version of the Unicode data used (utf8proc's). */
const char *tg_i_unicode_version(void);

#endif
