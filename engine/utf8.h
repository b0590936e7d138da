/* utf8.h — the one UTF-8 validator every way into the graph shares.
 *
 * Query text, parameters and loaded data are checked with the same rules
 * (RFC 3629): no overlong forms, no UTF-16 surrogates, nothing above
 * U+10FFFF, no truncated sequence. Self-contained: includes nothing of the
 * engine.
 */
#ifndef TG_UTF8_H
#define TG_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the sequence at s[0..n): returns its length (1..4) and the code
 * point in *cp, or 0 when the bytes there are not valid UTF-8 (n == 0
 * included). O(1). */
size_t tg_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Whether s[0..n) is valid UTF-8 (a NUL byte is valid: U+0000). When it is
 * not, *bad (may be NULL) gets the offset of the first byte of the first
 * invalid sequence. O(n). */
int tg_utf8_valid(const char *s, size_t n, size_t *bad);

#endif
