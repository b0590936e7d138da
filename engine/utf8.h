/* utf8.h — decoding UTF-8 one code point at a time, and display widths:
 * what the text writers of viz/ and cli/ share. No allocation, no state.
 */
#ifndef TG_UTF8_H
#define TG_UTF8_H

#include <stddef.h>

/* Returned in *cp for bytes that are not valid UTF-8. */
#define TG_UTF8_INVALID 0xFFFFFFFFu

/* Decodes the code point at s[0..n) (n >= 1). Returns the bytes it takes
 * (>= 1) and the code point in *cp; for an invalid, overlong or truncated
 * sequence, a surrogate or a code point past U+10FFFF, *cp is
 * TG_UTF8_INVALID and the length covers the bytes to skip (the lead byte
 * and the continuation bytes before the first bad one). O(1). */
size_t tg_utf8_next(const unsigned char *s, size_t n, unsigned *cp);

/* The columns a code point takes in a terminal or a table: 2 for East Asian
 * wide characters and emoji, else 1. O(1). */
size_t tg_utf8_width(unsigned cp);

#endif
