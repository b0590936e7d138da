/* text.c — text helpers of loaders/: growth, UTF-8 checks, quoting for
 * messages, slugs for ids made from names. */
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *tg_i_memdup(const char *s, size_t len)
{
    char *p = malloc(len + 1);

    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

int tg_i_grow(void **a, size_t *cap, size_t need, size_t elsize)
{
    size_t c = *cap ? *cap : 16;
    void *n;

    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    n = realloc(*a, c * elsize);
    if (!n)
        return -1;
    *a = n;
    *cap = c;
    return 0;
}

size_t tg_i_utf8_seq(const unsigned char *t, size_t i, size_t n)
{
    unsigned char c = t[i], lo = 0x80, hi = 0xBF;
    size_t need, k;

    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F; /* no UTF-16 surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    for (k = 1; k <= need; k++) {
        unsigned char b;
        if (i + k >= n)
            return (size_t)-1;
        b = t[i + k];
        if (b < lo || b > hi)
            return 0;
        lo = 0x80;
        hi = 0xBF;
    }
    return need + 1;
}

size_t tg_i_utf8_check(const char *s, size_t len)
{
    const unsigned char *t = (const unsigned char *)s;
    size_t i = 0, k;

    while (i < len) {
        if (t[i] < 0x80) {
            i++;
            continue;
        }
        k = tg_i_utf8_seq(t, i, len);
        if (k == 0 || k == (size_t)-1)
            return i;
        i += k;
    }
    return len;
}

char *tg_i_quote(char *buf, size_t cap, const char *s, size_t len)
{
    const size_t max_src = 60;
    size_t o = 0, i, stop = len;
    int cut = 0;

    if (cap < 16) {
        if (cap)
            buf[0] = '\0';
        return buf;
    }
    if (stop > max_src) {
        stop = max_src;
        while (stop > 0 && ((unsigned char)s[stop] & 0xC0) == 0x80)
            stop--; /* do not split a UTF-8 sequence */
        cut = 1;
    }
    buf[o++] = '"';
    for (i = 0; i < stop && o + 8 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)c;
        } else if (c == '\n') {
            buf[o++] = '\\';
            buf[o++] = 'n';
        } else if (c == '\t') {
            buf[o++] = '\\';
            buf[o++] = 't';
        } else if (c < 0x20 || c == 0x7F) {
            o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    if (cut || i < stop) {
        buf[o++] = '.';
        buf[o++] = '.';
        buf[o++] = '.';
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

size_t tg_i_slug(char *out, size_t cap, const char *s, size_t len)
{
    const unsigned char *t = (const unsigned char *)s;
    size_t o = 0, i = 0;
    int dash = 0;

    if (cap == 0)
        return 0;
    while (i < len) {
        unsigned char c = t[i];
        size_t k = 1;
        if (c >= 0x80) {
            k = tg_i_utf8_seq(t, i, len);
            if (k == 0 || k == (size_t)-1) {
                i++; /* an invalid byte is a separator */
                dash = o > 0;
                continue;
            }
            if (dash) {
                if (o + 1 >= cap)
                    break;
                out[o++] = '-';
                dash = 0;
            }
            if (o + k >= cap)
                break;
            for (size_t j = 0; j < k; j++)
                out[o++] = (char)t[i + j];
            i += k;
            continue;
        }
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
            if (dash) {
                if (o + 1 >= cap)
                    break;
                out[o++] = '-';
                dash = 0;
            }
            if (o + 1 >= cap)
                break;
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        } else {
            dash = o > 0;
        }
        i++;
    }
    out[o] = '\0';
    return o;
}

size_t tg_i_utf8_put(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}
