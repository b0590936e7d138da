/* xml_tokens.h — the XML tokenizer's tokens (loaders/xml_scan.c) in one
 * canonical form, for its unit test (tests/unit/test_xml_scan.c) and its
 * fuzz harness (tests/fuzz/fuzz_xml.c), which also writes libxml2's events
 * in it. Header-only: both are single-file programs.
 *
 * The form is one line: `<name{ns} a="v">` for a start tag, `</name>` for
 * an end tag, `"text"` for the text between two tags (pieces joined; left
 * out when it is only white space before a start tag, which the reader's
 * option may skip), bytes outside printable ASCII as \xNN; with
 * TG_XT_POSITIONS, `@LINE:COL` after a tag's name and an attribute's. A
 * leaf token is written as its start tag, text and end tag, so the options
 * of the tokenizer do not change the form. Everything aborts when out of
 * memory.
 */
#ifndef TG_TESTS_XML_TOKENS_H
#define TG_TESTS_XML_TOKENS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml_scan.h"

#define TG_XT_POSITIONS 1u /* write where tags and values start */
#define TG_XT_NS 2u        /* write namespaces and the xmlns attributes */

/* A document handed to the tokenizer chunk bytes at a time. */
typedef struct tg_xt_src {
    const char *s;
    size_t len, at, chunk;
} tg_xt_src;

static inline size_t tg_xt_read(void *ctx, char *dst, size_t cap)
{
    tg_xt_src *r = ctx;
    size_t n = r->len - r->at;

    if (n > r->chunk)
        n = r->chunk;
    if (n > cap)
        n = cap;
    memcpy(dst, r->s + r->at, n);
    r->at += n;
    return n;
}

typedef struct tg_xt_buf {
    char *b;
    size_t n, cap;
} tg_xt_buf;

static inline void tg_xt_put(tg_xt_buf *o, const void *s, size_t len)
{
    if (o->n + len + 1 > o->cap) {
        size_t cap = (o->n + len + 1) * 2;
        char *nb = realloc(o->b, cap);
        if (!nb)
            abort();
        o->b = nb;
        o->cap = cap;
    }
    if (len)
        memcpy(o->b + o->n, s, len);
    o->n += len;
    o->b[o->n] = '\0';
}

/* s[0..len) with quotes, backslashes and bytes outside printable ASCII as
 * \xNN. */
static inline void tg_xt_esc(tg_xt_buf *o, const char *s, size_t len)
{
    size_t i;
    char x[8];

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
            snprintf(x, sizeof x, "\\x%02x", c);
            tg_xt_put(o, x, 4);
        } else {
            tg_xt_put(o, s + i, 1);
        }
    }
}

typedef struct tg_xt_canon {
    tg_xt_buf out, text; /* the form so far; the text not written yet */
    unsigned flags;      /* TG_XT_* */
    int depth, max_depth;
} tg_xt_canon;

static inline int tg_xt_blank(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return 0;
    return 1;
}

static inline void tg_xt_flush(tg_xt_canon *c, int before_start)
{
    if (c->text.n && !(before_start && tg_xt_blank(c->text.b, c->text.n))) {
        tg_xt_put(&c->out, "\"", 1);
        tg_xt_esc(&c->out, c->text.b, c->text.n);
        tg_xt_put(&c->out, "\"", 1);
    }
    c->text.n = 0;
}

static inline void tg_xt_pos(tg_xt_canon *c, long line, long col)
{
    char num[48];

    if (c->flags & TG_XT_POSITIONS) {
        snprintf(num, sizeof num, "@%ld:%ld", line, col);
        tg_xt_put(&c->out, num, strlen(num));
    }
}

/* A start tag: its name, its namespace (ns NULL: none written; unbound
 * prefix: "?"), where it is. Then its attributes, then tg_xt_close. */
static inline void tg_xt_start(tg_xt_canon *c, const char *name, size_t len, const char *ns,
                        size_t ns_len, long line, long col)
{
    tg_xt_flush(c, 1);
    tg_xt_put(&c->out, "<", 1);
    tg_xt_put(&c->out, name, len);
    if ((c->flags & TG_XT_NS) && ns && ns_len) {
        tg_xt_put(&c->out, "{", 1);
        tg_xt_put(&c->out, ns, ns_len);
        tg_xt_put(&c->out, "}", 1);
    }
    tg_xt_pos(c, line, col);
    if (++c->depth > c->max_depth)
        c->max_depth = c->depth;
}

static inline void tg_xt_attr(tg_xt_canon *c, const char *name, size_t len, const char *v,
                       size_t vlen, long line, long col)
{
    if (!(c->flags & TG_XT_NS) && len >= 5 && memcmp(name, "xmlns", 5) == 0 &&
        (len == 5 || name[5] == ':'))
        return; /* libxml2 reports namespace declarations apart */
    tg_xt_put(&c->out, " ", 1);
    tg_xt_put(&c->out, name, len);
    tg_xt_pos(c, line, col);
    tg_xt_put(&c->out, "=\"", 2);
    tg_xt_esc(&c->out, v, vlen);
    tg_xt_put(&c->out, "\"", 1);
}

static inline void tg_xt_close(tg_xt_canon *c)
{
    tg_xt_put(&c->out, ">", 1);
}

static inline void tg_xt_end(tg_xt_canon *c, const char *name, size_t len)
{
    tg_xt_flush(c, 0);
    tg_xt_put(&c->out, "</", 2);
    tg_xt_put(&c->out, name, len);
    tg_xt_put(&c->out, ">", 1);
    c->depth--;
}

static inline void tg_xt_free(tg_xt_canon *c)
{
    free(c->out.b);
    free(c->text.b);
}

/* Whether s[0..n) is UTF-8 of characters XML allows. */
static inline int tg_xt_xml_text(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        unsigned c = p[i], cp, k, len;
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                return 0;
            i++;
            continue;
        }
        len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (c < 0xC2 || c > 0xF4 || i + len > n)
            return 0;
        cp = c & (0xFFu >> (len + 1));
        for (k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (p[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
            return 0;
        i += len;
    }
    return 1;
}

/* Tokenizes doc[0..len), read chunk bytes at a time, with the tokenizer's
 * options opts and bound max_markup, into c (initialised by the caller,
 * flags set); an error is written last as "!LINE:COL message" (after a
 * space when something comes before). Aborts when a token breaks what the
 * tokenizer promises (names, values and texts are XML text; tags balance;
 * positions start at 1). Returns 1 for a well-formed document (one root
 * element, no error). */
static inline int tg_xt_tokens(const char *doc, size_t len, size_t chunk, unsigned opts,
                        size_t max_markup, tg_xt_canon *c)
{
    tg_xt_src r = {doc, len, 0, chunk};
    tg_xml_scan sc;
    tg_xml_token t;
    tg_xml_kind k;
    int roots = 0;
    size_t i;
    char msg[400];

    tg_xt_put(&c->out, "", 0);
    tg_i_xml_init(&sc, tg_xt_read, &r, max_markup, opts);
    while ((k = tg_i_xml_next(&sc, &t)) != TG_XML_EOF && k != TG_XML_ERROR) {
        if (k == TG_XML_START) {
            if (!t.name_len || !tg_xt_xml_text(t.name, t.name_len) || t.line < 1 || t.col < 1)
                abort();
            roots += t.depth == 1;
            tg_xt_start(c, t.name, t.name_len,
                        t.ns_id == TG_XML_NS_UNBOUND ? "?" : t.ns,
                        t.ns_id == TG_XML_NS_UNBOUND ? 1 : t.ns_len, t.line, t.col);
            if ((size_t)c->depth != t.depth)
                abort();
            for (i = 0; i < t.nattrs; i++) {
                const tg_xml_attr *a = &t.attrs[i];
                if (!a->name_len || !tg_xt_xml_text(a->name, a->name_len) ||
                    !tg_xt_xml_text(a->value, a->value_len) || a->line < 1 || a->col < 1)
                    abort();
                tg_xt_attr(c, a->name, a->name_len, a->value, a->value_len, a->line, a->col);
            }
            tg_xt_close(c);
            if (t.leaf) {
                if (!tg_xt_xml_text(t.text, t.text_len))
                    abort();
                tg_xt_put(&c->text, t.text, t.text_len);
                tg_xt_end(c, t.name, t.name_len);
            }
        } else if (k == TG_XML_END) {
            if (c->depth < 1 || (size_t)c->depth != t.depth)
                abort();
            tg_xt_end(c, t.name, t.name_len);
        } else {
            if (!tg_xt_xml_text(t.text, t.text_len) || c->depth < 1)
                abort();
            tg_xt_put(&c->text, t.text, t.text_len);
        }
    }
    tg_xt_flush(c, 0);
    if (k == TG_XML_ERROR) {
        if (sc.err_line < 1 || sc.err_col < 1 || !sc.msg[0])
            abort();
        snprintf(msg, sizeof msg, "%s!%ld:%ld %s", c->out.n ? " " : "", sc.err_line, sc.err_col,
                 sc.msg);
        tg_xt_put(&c->out, msg, strlen(msg));
    } else if (c->depth != 0 || roots > 1) {
        abort();
    }
    tg_i_xml_destroy(&sc);
    return k == TG_XML_EOF && roots == 1;
}

#endif
