/* utf8.h — decoding UTF-8 one code point at a time, display widths, and
 * the one validator every way into the graph shares: what the text writers
 * of viz/ and cli/ and the readers of queries/ have in common. Validation
 * follows RFC 3629: no overlong forms, no UTF-16 surrogates, nothing above
 * U+10FFFF, no truncated sequence. No allocation, no state.
 */
#ifndef TG_UTF8_H
#define TG_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Returned in *cp for bytes that are not valid UTF-8. */
#define TG_UTF8_INVALID 0xFFFFFFFFu

/* Decodes the code point at s[0..n) (n >= 1). Returns the bytes it takes
 * (>= 1) and the code point in *cp; for an invalid, overlong or truncated
 * sequence, a surrogate or a code point past U+10FFFF, *cp is
 * TG_UTF8_INVALID and the length covers the bytes to skip (the lead byte
 * and the continuation bytes before the first bad one). O(1). */
size_t tg_utf8_next(const unsigned char *s, size_t n, unsigned *cp);

/* tg_utf8_next for a caller that stops at the first invalid byte: the
 * length (1..4) and *cp, or 0 when s[0..n) does not start with a valid
 * sequence (n == 0 included). O(1). */
size_t tg_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Whether s[0..n) is valid UTF-8 (a NUL byte is valid: U+0000). When it is
 * not, *bad (may be NULL) gets the offset of the first byte of the first
 * invalid sequence. Query text and parameters are checked with it. O(n). */
int tg_utf8_valid(const char *s, size_t n, size_t *bad);

/* The columns a code point takes in a terminal or a table: 2 for East Asian
 * wide characters and emoji, else 1. O(1). */
size_t tg_utf8_width(unsigned cp);

#endif
