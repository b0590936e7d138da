/* json_parse.c — the positioned JSON parser of json_internal.h.
 *
 * Recursive descent over a byte span (RFC 8259). Invariants:
 * - the text is never modified and need not be NUL-terminated: every read
 *   checks p->pos < p->len;
 * - a finished child value is pushed on vstack / mstack; when its array or
 *   object closes, its children are copied into the arena as one contiguous
 *   block and popped, so nested containers never interleave; pointers into
 *   the stacks are never held across a call that may grow them;
 * - strings are validated as UTF-8 (RFC 3629: no overlongs, no surrogates,
 *   nothing above U+10FFFF); \u escapes must pair surrogates correctly;
 *   \u0000 is accepted and kept (strings carry their length);
 * - numbers: an integer literal that fits int64 is TG_J_INT, every other
 *   number TG_J_FLOAT (Clinger's exact fast path, else strtod with the
 *   locale's decimal point); a number that overflows a double is an error.
 */
#include "json_internal.h"
#include "text.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tg_jchunk {
    tg_jchunk *next;
    size_t size, used;
    /* data follows, 8-aligned because the header is 3 words */
};

#define CHUNK_MIN ((size_t)64 * 1024)

/* Byte classes inside a string: 0 ordinary ASCII, 1 quote, 2 backslash,
 * 3 control byte, 4 first byte of a multi-byte sequence (or invalid). */
static const unsigned char str_class[256] = {
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};

void tg_i_json_init(tg_jparser *p)
{
    memset(p, 0, sizeof *p);
}

void tg_i_json_destroy(tg_jparser *p)
{
    tg_jchunk *c, *next;

    if (!p)
        return;
    for (c = p->chunks; c; c = next) {
        next = c->next;
        free(c);
    }
    free(p->vstack);
    free(p->mstack);
    free(p->num);
    memset(p, 0, sizeof *p);
}

void tg_i_json_reset(tg_jparser *p, const char *text, size_t len, int line_mode)
{
    p->text = text;
    p->len = len;
    p->pos = 0;
    p->line_mode = line_mode;
    tg_i_json_clear(p);
}

void tg_i_json_clear(tg_jparser *p)
{
    tg_jchunk *c, *next;

    p->depth = 0;
    p->vn = 0;
    p->mn = 0;
    p->status = TG_OK;
    p->err_off = 0;
    p->err_msg[0] = '\0';
    /* Keep one chunk. When a record needed several, replace them by one
     * chunk as large as all of them, so the steady state is one chunk and
     * no allocation per record. */
    if (p->chunks && p->chunks->next) {
        size_t total = p->arena_total;
        for (c = p->chunks; c; c = next) {
            next = c->next;
            free(c);
        }
        p->chunks = malloc(sizeof(tg_jchunk) + total);
        if (p->chunks) {
            p->chunks->next = NULL;
            p->chunks->size = total;
        }
        p->arena_total = p->chunks ? total : 0;
    }
    if (p->chunks)
        p->chunks->used = 0;
}

void *tg_i_json_alloc(tg_jparser *p, size_t size)
{
    tg_jchunk *c = p->chunks;
    void *out;

    size = (size + 7) & ~(size_t)7;
    if (!c || c->size - c->used < size) {
        size_t want = size > CHUNK_MIN ? size : CHUNK_MIN;
        if (c && want < c->size * 2)
            want = c->size * 2;
        c = malloc(sizeof(tg_jchunk) + want);
        if (!c) {
            p->status = TG_ENOMEM;
            snprintf(p->err_msg, sizeof p->err_msg, "out of memory while parsing JSON");
            return NULL;
        }
        c->size = want;
        c->used = 0;
        c->next = p->chunks; /* newest first: only the head is filled */
        p->chunks = c;
        p->arena_total += want;
    }
    out = (char *)(c + 1) + c->used;
    c->used += size;
    return out;
}

int tg_i_json_fail(tg_jparser *p, size_t off, const char *fmt, ...)
{
    va_list ap;

    p->status = TG_EDATA;
    p->err_off = off;
    va_start(ap, fmt);
    vsnprintf(p->err_msg, sizeof p->err_msg, fmt, ap);
    va_end(ap);
    return -1;
}

int tg_i_json_eof(tg_jparser *p)
{
    if (p->line_mode)
        return tg_i_json_fail(p, p->len,
                              "unexpected end of line: the JSON object is incomplete "
                              "(JSON Lines needs one whole object per line)");
    return tg_i_json_fail(p, p->len, "unexpected end of file: the document is truncated");
}

static int nomem(tg_jparser *p)
{
    p->status = TG_ENOMEM;
    snprintf(p->err_msg, sizeof p->err_msg, "out of memory while parsing JSON");
    return -1;
}

const char *tg_i_json_kind_name(tg_jkind kind)
{
    switch (kind) {
    case TG_J_NULL: return "null";
    case TG_J_FALSE:
    case TG_J_TRUE: return "a boolean";
    case TG_J_INT:
    case TG_J_FLOAT: return "a number";
    case TG_J_STRING: return "a string";
    case TG_J_ARRAY: return "an array";
    case TG_J_OBJECT: return "an object";
    }
    return "a value";
}


size_t tg_i_json_skip_ws(tg_jparser *p)
{
    const char *t = p->text;
    size_t i = p->pos, n = p->len;

    while (i < n && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t'))
        i++;
    p->pos = i;
    return i;
}

/* Describes the byte at off for "unexpected character" messages. */
static const char *describe_byte(char *buf, size_t cap, unsigned char c)
{
    if (c > 0x20 && c < 0x7F)
        snprintf(buf, cap, "'%c'", c);
    else
        snprintf(buf, cap, "byte 0x%02x", c);
    return buf;
}


static int hex4(const char *t, unsigned *out)
{
    unsigned v = 0;
    int k;

    for (k = 0; k < 4; k++) {
        char c = t[k];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}


/* Decodes the escapes of the already validated raw string t[a..b) into the
 * arena. Surrogate pairing is checked here. */
static int decode_string(tg_jparser *p, size_t a, size_t b, const char **s, size_t *len)
{
    const char *t = p->text;
    char *o = tg_i_json_alloc(p, b - a + 1), *w;
    size_t i = a;

    if (!o)
        return -1;
    w = o;
    while (i < b) {
        char c = t[i];
        if (c != '\\') {
            *w++ = c;
            i++;
            continue;
        }
        c = t[i + 1];
        switch (c) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '/': *w++ = '/'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        default: { /* 'u', validated as 4 hex digits by the scanner */
            unsigned cp = 0, lo = 0;
            (void)hex4(t + i + 2, &cp);
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return tg_i_json_fail(p, i,
                                      "invalid \\u escape: lone low surrogate \\u%04x; "
                                      "expected a high surrogate first",
                                      cp);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (i + 12 > b || t[i + 6] != '\\' || t[i + 7] != 'u' ||
                    hex4(t + i + 8, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
                    return tg_i_json_fail(p, i,
                                          "invalid \\u escape: high surrogate \\u%04x is not "
                                          "followed by a low surrogate \\udc00-\\udfff",
                                          cp);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
            w += tg_i_utf8_put(w, cp);
            i += 6;
            continue;
        }
        }
        i += 2;
    }
    *s = o;
    *len = (size_t)(w - o);
    return 0;
}

int tg_i_json_string(tg_jparser *p, const char **s, size_t *len)
{
    const unsigned char *t = (const unsigned char *)p->text;
    size_t n = p->len, start = p->pos + 1, i = start;
    int escaped = 0;

    for (;;) {
        unsigned char c;
        while (i < n && str_class[t[i]] == 0)
            i++;
        if (i >= n)
            return tg_i_json_eof(p);
        c = t[i];
        switch (str_class[c]) {
        case 1:
            goto closed;
        case 2:
            escaped = 1;
            if (i + 1 >= n)
                return tg_i_json_eof(p);
            c = t[i + 1];
            if (c == 'u') {
                unsigned cp;
                if (i + 6 > n)
                    return tg_i_json_eof(p);
                if (hex4((const char *)t + i + 2, &cp) != 0)
                    return tg_i_json_fail(p, i,
                                          "invalid \\u escape in string; expected 4 hex digits");
                i += 6;
            } else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' ||
                       c == 'n' || c == 'r' || c == 't') {
                i += 2;
            } else {
                char d[16];
                return tg_i_json_fail(p, i,
                                      "invalid escape \\%s in string; expected one of "
                                      "\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                                      c > 0x20 && c < 0x7F ? (snprintf(d, sizeof d, "%c", c), d)
                                                           : (snprintf(d, sizeof d, "x%02x", c), d));
            }
            break;
        case 3:
            return tg_i_json_fail(p, i,
                                  "unescaped control character 0x%02x in string; expected it "
                                  "written as an escape such as \\n or \\u%04x",
                                  c, c);
        default: {
            size_t k = tg_i_utf8_seq(t, i, n);
            if (k == (size_t)-1)
                return tg_i_json_eof(p);
            if (!k) {
                if (c >= 0xC2 && c <= 0xF4)
                    return tg_i_json_fail(p, i,
                                          "invalid UTF-8 sequence starting with byte 0x%02x in "
                                          "string",
                                          c);
                return tg_i_json_fail(p, i, "invalid UTF-8 byte 0x%02x in string", c);
            }
            i += k;
        }
        }
    }
closed:
    if (escaped) {
        if (decode_string(p, start, i, s, len) != 0)
            return -1;
    } else {
        *s = (const char *)t + start;
        *len = i - start;
    }
    p->pos = i + 1;
    return 0;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* strtod on a NUL-terminated copy, with '.' replaced by the locale's decimal
 * point so that a program that called setlocale still reads JSON right. */
static int slow_double(tg_jparser *p, size_t a, size_t b, double *out)
{
    size_t n = b - a, k;
    const char *dp = localeconv()->decimal_point;
    char *end;

    if (n + 8 > p->numcap) {
        size_t cap = n + 64;
        char *nb = realloc(p->num, cap);
        if (!nb)
            return nomem(p);
        p->num = nb;
        p->numcap = cap;
    }
    memcpy(p->num, p->text + a, n);
    p->num[n] = '\0';
    if (dp && dp[0] && dp[0] != '.' && !dp[1])
        for (k = 0; k < n; k++)
            if (p->num[k] == '.')
                p->num[k] = dp[0];
    errno = 0;
    *out = strtod(p->num, &end);
    if (isinf(*out))
        return tg_i_json_fail(p, a,
                              "number %.40s is too large; expected a value within the range "
                              "of a 64-bit float",
                              p->num);
    return 0;
}

static int parse_number(tg_jparser *p, tg_jval *out)
{
    const char *t = p->text;
    size_t n = p->len, a = p->pos, i = a;
    int neg = 0, is_int = 1, trunc = 0, nd = 0, e10 = 0;
    uint64_t m = 0, iv = 0;
    int iv_over = 0;

    if (t[i] == '-') {
        neg = 1;
        i++;
    }
    if (i >= n)
        return tg_i_json_eof(p);
    if (t[i] == '0') {
        i++;
        if (i < n && is_digit(t[i]))
            return tg_i_json_fail(p, a, "invalid number: a leading zero must not be followed "
                                        "by digits");
    } else if (is_digit(t[i])) {
        while (i < n && is_digit(t[i])) {
            unsigned d = (unsigned)(t[i] - '0');
            if (!iv_over) {
                if (iv > (UINT64_MAX - d) / 10)
                    iv_over = 1;
                else
                    iv = iv * 10 + d;
            }
            if (nd < 19) {
                m = m * 10 + d;
                nd++;
            } else {
                e10++;
                trunc = 1;
            }
            i++;
        }
    } else {
        char d[16];
        if (i >= n)
            return tg_i_json_eof(p);
        return tg_i_json_fail(p, i, "invalid number: expected a digit, found %s",
                              describe_byte(d, sizeof d, (unsigned char)t[i]));
    }
    if (i < n && t[i] == '.') {
        is_int = 0;
        i++;
        if (i >= n)
            return tg_i_json_eof(p);
        if (!is_digit(t[i]))
            return tg_i_json_fail(p, i, "invalid number: expected a digit after '.'");
        while (i < n && is_digit(t[i])) {
            unsigned d = (unsigned)(t[i] - '0');
            if (m == 0 && d == 0) {
                e10--;
            } else if (nd < 19) {
                m = m * 10 + d;
                nd++;
                e10--;
            } else {
                trunc = 1;
            }
            i++;
        }
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        int eneg = 0, ev = 0;
        is_int = 0;
        i++;
        if (i < n && (t[i] == '+' || t[i] == '-')) {
            eneg = t[i] == '-';
            i++;
        }
        if (i >= n)
            return tg_i_json_eof(p);
        if (!is_digit(t[i]))
            return tg_i_json_fail(p, i, "invalid number: expected a digit in the exponent");
        while (i < n && is_digit(t[i])) {
            if (ev < 100000)
                ev = ev * 10 + (t[i] - '0');
            i++;
        }
        e10 += eneg ? -ev : ev;
    }
    out->off = a;
    p->pos = i;
    if (is_int && !iv_over &&
        (neg ? iv <= (uint64_t)INT64_MAX + 1 : iv <= (uint64_t)INT64_MAX)) {
        out->kind = TG_J_INT;
        out->u.i = neg ? (iv == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)iv)
                       : (int64_t)iv;
        return 0;
    }
    out->kind = TG_J_FLOAT;
    if (m == 0) {
        out->u.f = neg ? -0.0 : 0.0;
        return 0;
    }
    if (!trunc && nd <= 15 && e10 >= -22 && e10 <= 22) {
        double d = (double)m;
        d = e10 >= 0 ? d * pow10_exact[e10] : d / pow10_exact[-e10];
        out->u.f = neg ? -d : d;
        return 0;
    }
    return slow_double(p, a, i, &out->u.f);
}

static int parse_literal(tg_jparser *p, const char *word, size_t wlen, tg_jkind kind,
                         tg_jval *out)
{
    size_t avail = p->len - p->pos;

    if (avail < wlen && memcmp(p->text + p->pos, word, avail) == 0)
        return tg_i_json_eof(p);
    if (avail < wlen || memcmp(p->text + p->pos, word, wlen) != 0)
        return tg_i_json_fail(p, p->pos,
                              "invalid literal; expected a value (string, number, object, "
                              "array, true, false or null)");
    out->kind = kind;
    out->off = p->pos;
    p->pos += wlen;
    return 0;
}

static int push_val(tg_jparser *p, const tg_jval *v)
{
    if (p->vn == p->vcap) {
        size_t cap = p->vcap ? p->vcap * 2 : 64;
        tg_jval *nv = realloc(p->vstack, cap * sizeof *nv);
        if (!nv)
            return nomem(p);
        p->vstack = nv;
        p->vcap = cap;
    }
    p->vstack[p->vn++] = *v;
    return 0;
}

static int push_member(tg_jparser *p, const tg_jmember *m)
{
    if (p->mn == p->mcap) {
        size_t cap = p->mcap ? p->mcap * 2 : 64;
        tg_jmember *nm = realloc(p->mstack, cap * sizeof *nm);
        if (!nm)
            return nomem(p);
        p->mstack = nm;
        p->mcap = cap;
    }
    p->mstack[p->mn++] = *m;
    return 0;
}

static int parse_array(tg_jparser *p, tg_jval *out)
{
    size_t base = p->vn, count;
    const char *t = p->text;
    tg_jval item;

    out->kind = TG_J_ARRAY;
    out->off = p->pos;
    out->n = 0;
    out->u.items = NULL;
    p->pos++;
    if (tg_i_json_skip_ws(p) >= p->len)
        return tg_i_json_eof(p);
    if (t[p->pos] == ']') {
        p->pos++;
        return 0;
    }
    for (;;) {
        if (tg_i_json_value(p, &item) != 0 || push_val(p, &item) != 0)
            return -1;
        if (tg_i_json_skip_ws(p) >= p->len)
            return tg_i_json_eof(p);
        if (t[p->pos] == ',') {
            p->pos++;
            if (tg_i_json_skip_ws(p) >= p->len)
                return tg_i_json_eof(p);
            if (t[p->pos] == ']')
                return tg_i_json_fail(p, p->pos,
                                      "expected a value after ','; a trailing comma is not JSON");
            continue;
        }
        if (t[p->pos] == ']') {
            p->pos++;
            break;
        }
        {
            char d[16];
            return tg_i_json_fail(p, p->pos, "expected ',' or ']' after an array element, found %s",
                                  describe_byte(d, sizeof d, (unsigned char)t[p->pos]));
        }
    }
    count = p->vn - base;
    if (count > UINT32_MAX)
        return tg_i_json_fail(p, out->off, "array has too many elements");
    out->u.items = tg_i_json_alloc(p, count * sizeof(tg_jval));
    if (!out->u.items)
        return -1;
    memcpy(out->u.items, p->vstack + base, count * sizeof(tg_jval));
    out->n = (uint32_t)count;
    p->vn = base;
    return 0;
}

static int parse_object(tg_jparser *p, tg_jval *out)
{
    size_t base = p->mn, count;
    const char *t = p->text;
    tg_jmember m;
    char d[16];

    out->kind = TG_J_OBJECT;
    out->off = p->pos;
    out->n = 0;
    out->u.members = NULL;
    p->pos++;
    if (tg_i_json_skip_ws(p) >= p->len)
        return tg_i_json_eof(p);
    if (t[p->pos] == '}') {
        p->pos++;
        return 0;
    }
    for (;;) {
        if (t[p->pos] != '"')
            return tg_i_json_fail(p, p->pos, "expected a string key in the object, found %s",
                                  describe_byte(d, sizeof d, (unsigned char)t[p->pos]));
        m.off = p->pos;
        if (tg_i_json_string(p, &m.key, &m.klen) != 0)
            return -1;
        if (tg_i_json_skip_ws(p) >= p->len)
            return tg_i_json_eof(p);
        if (t[p->pos] != ':')
            return tg_i_json_fail(p, p->pos, "expected ':' after the object key, found %s",
                                  describe_byte(d, sizeof d, (unsigned char)t[p->pos]));
        p->pos++;
        if (tg_i_json_value(p, &m.v) != 0 || push_member(p, &m) != 0)
            return -1;
        if (tg_i_json_skip_ws(p) >= p->len)
            return tg_i_json_eof(p);
        if (t[p->pos] == ',') {
            p->pos++;
            if (tg_i_json_skip_ws(p) >= p->len)
                return tg_i_json_eof(p);
            if (t[p->pos] == '}')
                return tg_i_json_fail(p, p->pos,
                                      "expected a key after ','; a trailing comma is not JSON");
            continue;
        }
        if (t[p->pos] == '}') {
            p->pos++;
            break;
        }
        return tg_i_json_fail(p, p->pos, "expected ',' or '}' after an object member, found %s",
                              describe_byte(d, sizeof d, (unsigned char)t[p->pos]));
    }
    count = p->mn - base;
    if (count > UINT32_MAX)
        return tg_i_json_fail(p, out->off, "object has too many members");
    out->u.members = tg_i_json_alloc(p, count * sizeof(tg_jmember));
    if (!out->u.members)
        return -1;
    memcpy(out->u.members, p->mstack + base, count * sizeof(tg_jmember));
    out->n = (uint32_t)count;
    p->mn = base;
    return 0;
}

int tg_i_json_value(tg_jparser *p, tg_jval *out)
{
    int rc;
    char d[16];
    unsigned char c;

    if (tg_i_json_skip_ws(p) >= p->len)
        return tg_i_json_eof(p);
    c = (unsigned char)p->text[p->pos];
    memset(out, 0, sizeof *out);
    out->off = p->pos;
    switch (c) {
    case '{':
    case '[':
        if (p->depth >= TG_JSON_MAX_DEPTH)
            return tg_i_json_fail(p, p->pos, "arrays and objects nest deeper than %d levels",
                                  TG_JSON_MAX_DEPTH);
        p->depth++;
        rc = c == '{' ? parse_object(p, out) : parse_array(p, out);
        p->depth--;
        return rc;
    case '"':
        out->kind = TG_J_STRING;
        return tg_i_json_string(p, &out->u.s.p, &out->u.s.len);
    case 't': return parse_literal(p, "true", 4, TG_J_TRUE, out);
    case 'f': return parse_literal(p, "false", 5, TG_J_FALSE, out);
    case 'n': return parse_literal(p, "null", 4, TG_J_NULL, out);
    default:
        if (c == '-' || is_digit((char)c))
            return parse_number(p, out);
        return tg_i_json_fail(p, p->pos,
                              "unexpected character %s; expected a value (string, number, "
                              "object, array, true, false or null)",
                              describe_byte(d, sizeof d, c));
    }
}
