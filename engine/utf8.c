/* utf8.c — see utf8.h. */
#include "utf8.h"

size_t tg_utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
    size_t len, k;
    unsigned c = s[0], min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        c &= 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        c &= 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        *cp = TG_UTF8_INVALID;
        return 1;
    }
    if (len > n) {
        *cp = TG_UTF8_INVALID;
        return 1;
    }
    for (k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *cp = TG_UTF8_INVALID;
            return k;
        }
        c = (c << 6) | (s[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = TG_UTF8_INVALID;
        return len;
    }
    *cp = c;
    return len;
}

size_t tg_utf8_width(unsigned cp)
{
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
        (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

size_t tg_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c;
    size_t k;
    if (n == 0)
        return 0;
    k = tg_utf8_next(s, n, &c);
    if (c == TG_UTF8_INVALID)
        return 0;
    *cp = c;
    return k;
}

int tg_utf8_valid(const char *s, size_t n, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c;
        if (u[i] < 0x80) { /* the common case: ASCII */
            i++;
            continue;
        }
        size_t k = tg_utf8_next(u + i, n - i, &c);
        if (c == TG_UTF8_INVALID) {
            if (bad)
                *bad = i;
            return 0;
        }
        i += k;
    }
    return 1;
}
