/* text.h — small text helpers shared by the readers and writers of loaders/.
 * Not a public API (tg_i_ prefix). Nothing here allocates unless it says so.
 */
#ifndef TG_LOADERS_TEXT_H
#define TG_LOADERS_TEXT_H

#include <stddef.h>

/* Grows *a (an array of *cap elements of elsize bytes) to hold need
 * elements, doubling. 0 on success, -1 when out of memory (unchanged). */
int tg_i_grow(void **a, size_t *cap, size_t need, size_t elsize);

/* A malloc'ed copy of s[0..len) with a NUL after it (s may hold NUL bytes,
 * which strndup would stop at); NULL when out of memory. */
char *tg_i_memdup(const char *s, size_t len);

/* Length of the valid UTF-8 sequence at t[i] (t[i] >= 0x80): 2..4; 0 when
 * it is invalid (RFC 3629: no overlongs, no surrogates, nothing above
 * U+10FFFF); (size_t)-1 when the text ends inside a valid prefix. */
size_t tg_i_utf8_seq(const unsigned char *t, size_t i, size_t n);

/* Writes code point cp (at most U+10FFFF, not a surrogate) as UTF-8 into o
 * (4 bytes of room); returns how many bytes. */
size_t tg_i_utf8_put(char *o, unsigned cp);

/* Offset of the first invalid byte of s[0..len) as UTF-8, or len when it is
 * all valid. O(len). */
size_t tg_i_utf8_check(const char *s, size_t len);

/* Writes s[0..len) to buf (cap bytes) as a double-quoted string for a
 * message: escapes quotes, backslashes and control bytes, and cuts long
 * strings at a UTF-8 boundary with "...". Returns buf. */
char *tg_i_quote(char *buf, size_t cap, const char *s, size_t len);

/* Writes a slug of s[0..len) into out (cap bytes, NUL-terminated): ASCII
 * letters and digits lower-cased, every other run of ASCII bytes one '-',
 * non-ASCII UTF-8 kept as it is (so Chinese names keep their identity),
 * no '-' at either end. Returns the slug's length (0 when nothing is
 * left); cut at cap - 1 bytes on a UTF-8 boundary. */
size_t tg_i_slug(char *out, size_t cap, const char *s, size_t len);

#endif
