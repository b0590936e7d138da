/* tck_value.c — parser and structural comparer of the TCK value notation.
 *
 * A recursive-descent parser over a NUL-terminated text with a sticky
 * failure: the first error is recorded in the parser and every later step
 * becomes a no-op, so a parse function never has to unwind. Invariants:
 * every tree node is zeroed when made and attached to its parent at once
 * (or freed when attaching fails), so the caller of the top-level parse
 * frees one tree whether the parse succeeded or not; map keys and node
 * labels are sorted once at parse time so that comparison is a linear walk;
 * nesting is capped (MAX_DEPTH) so that a hostile cell cannot exhaust the
 * stack.
 */
#include "tck_value.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 200

typedef struct parser {
    const char *s;
    size_t pos;
    char *err;
    size_t errlen;
    int failed;
    int depth;
} parser;

/* Records the first failure (later ones are consequences). */
static void fail(parser *p, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!p->failed && p->err && p->errlen > 0) {
        n = snprintf(p->err, p->errlen, "at offset %zu: ", p->pos);
        if (n >= 0 && (size_t)n < p->errlen) {
            va_start(ap, fmt);
            vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    p->failed = 1;
}

static void skip_ws(parser *p)
{
    while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
           p->s[p->pos] == '\r')
        p->pos++;
}

/* The next non-blank byte (0 at the end or after a failure). */
static int peek(parser *p)
{
    skip_ws(p);
    return p->failed ? 0 : (unsigned char)p->s[p->pos];
}

/* Consumes the token tok (after blanks) if it comes next. */
static int accept(parser *p, const char *tok)
{
    size_t n = strlen(tok);
    int found;

    skip_ws(p);
    found = !p->failed && strncmp(p->s + p->pos, tok, n) == 0;
    if (found)
        p->pos += n;
    return found;
}

static int expect(parser *p, const char *tok)
{
    int found = accept(p, tok);

    if (!found)
        fail(p, "expected '%s'", tok);
    return found;
}

static tck_value *new_value(parser *p, tck_kind kind)
{
    tck_value *v = calloc(1, sizeof *v);

    if (v)
        v->kind = kind;
    else
        fail(p, "out of memory");
    return v;
}

void tck_value_free(tck_value *v)
{
    size_t k;

    if (!v)
        return;
    for (k = 0; k < v->n; k++) {
        if (v->items)
            tck_value_free(v->items[k]);
        if (v->names)
            free(v->names[k]);
    }
    free(v->items);
    free(v->names);
    free(v->str);
    tck_value_free(v->props);
    free(v);
}

/* ---- strings and names ------------------------------------------------------ */

/* A growable byte buffer for decoded strings and names; b is always
 * NUL-terminated once anything was put. */
typedef struct buf {
    char *b;
    size_t len, cap;
} buf;

static void buf_put(parser *p, buf *b, const char *s, size_t n)
{
    char *nb;
    size_t cap;

    if (p->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        cap = b->cap ? b->cap * 2 : 32;
        while (cap < b->len + n + 1)
            cap *= 2;
        nb = realloc(b->b, cap);
        if (!nb) {
            fail(p, "out of memory");
            return;
        }
        b->b = nb;
        b->cap = cap;
    }
    memcpy(b->b + b->len, s, n);
    b->len += n;
    b->b[b->len] = '\0';
}

static void buf_utf8(parser *p, buf *b, unsigned long cp)
{
    char u[4];
    size_t n = 0;

    if (cp < 0x80) {
        u[n++] = (char)cp;
    } else if (cp < 0x800) {
        u[n++] = (char)(0xC0 | (cp >> 6));
        u[n++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        u[n++] = (char)(0xE0 | (cp >> 12));
        u[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[n++] = (char)(0x80 | (cp & 0x3F));
    } else {
        u[n++] = (char)(0xF0 | (cp >> 18));
        u[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[n++] = (char)(0x80 | (cp & 0x3F));
    }
    buf_put(p, b, u, n);
}

/* Reads count hex digits as a code point (0 after a failure). */
static unsigned long hex_digits(parser *p, int count)
{
    unsigned long cp = 0;
    int k;

    for (k = 0; k < count && !p->failed; k++) {
        int c = (unsigned char)p->s[p->pos];
        int d = -1;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        if (d < 0)
            fail(p, "expected %d hex digits in a unicode escape", count);
        else
            p->pos++;
        cp = cp * 16 + (unsigned long)(d < 0 ? 0 : d);
    }
    return cp;
}

/* One escape after a backslash (the backslash is consumed). */
static void parse_escape(parser *p, buf *b)
{
    static const char from[] = "\\'\"ntrbf";
    static const char to[] = "\\'\"\n\t\r\b\f";
    char e = p->s[p->pos];
    const char *hit = e ? strchr(from, e) : NULL;
    unsigned long cp;

    if (hit) {
        p->pos++;
        buf_put(p, b, &to[hit - from], 1);
    } else if (e == 'u' || e == 'U') {
        p->pos++;
        cp = hex_digits(p, e == 'u' ? 4 : 8);
        /* a UTF-16 surrogate pair written as two escapes */
        if (!p->failed && cp >= 0xD800 && cp < 0xDC00 && p->s[p->pos] == '\\' &&
            p->s[p->pos + 1] == 'u') {
            unsigned long lo;
            p->pos += 2;
            lo = hex_digits(p, 4);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        if (!p->failed)
            buf_utf8(p, b, cp);
    } else {
        fail(p, "unknown escape '\\%c' in a string", e ? e : '0');
    }
}

/* A quoted string (quote ' or " or `); the opening quote is current.
 * Backtick names escape a backtick by doubling it and know no backslashes. */
static void parse_quoted(parser *p, buf *b)
{
    char q = p->s[p->pos++];

    buf_put(p, b, "", 0);
    while (!p->failed) {
        char c = p->s[p->pos];
        if (c == '\0') {
            fail(p, "unterminated string");
        } else if (c == q && q == '`' && p->s[p->pos + 1] == '`') {
            p->pos += 2;
            buf_put(p, b, "`", 1);
        } else if (c == q) {
            p->pos++;
            break;
        } else if (c == '\\' && q != '`') {
            p->pos++;
            parse_escape(p, b);
        } else {
            p->pos++;
            buf_put(p, b, &c, 1);
        }
    }
}

static int is_name_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$' || c >= 0x80;
}

/* A name: a bare identifier, a `backtick name` or a quoted string. Returns
 * an owned copy, or NULL after a failure. */
static char *parse_name(parser *p)
{
    buf b = {0};
    int c = peek(p);

    if (c == '`' || c == '\'' || c == '"') {
        parse_quoted(p, &b);
    } else {
        while (!p->failed && is_name_char((unsigned char)p->s[p->pos]))
            buf_put(p, &b, p->s + p->pos++, 1);
        if (b.len == 0)
            fail(p, "expected a name");
    }
    if (p->failed) {
        free(b.b);
        b.b = NULL;
    }
    return b.b;
}

/* ---- containers ---------------------------------------------------------------- */

static tck_value *parse_any(parser *p);

/* Appends item (and, for maps, its key) to v; takes both: on failure they
 * are freed. A NULL item means its parse failed. */
static void push_item(parser *p, tck_value *v, tck_value *item, char *name, int with_names)
{
    tck_value **ni = NULL;
    char **nn = NULL;

    if (!p->failed && item && (!with_names || name)) {
        ni = realloc(v->items, (v->n + 1) * sizeof *ni);
        if (ni)
            v->items = ni;
        if (ni && with_names) {
            nn = realloc(v->names, (v->n + 1) * sizeof *nn);
            if (nn)
                v->names = nn;
        }
        if (!ni || (with_names && !nn))
            fail(p, "out of memory");
    }
    if (p->failed || !item || (with_names && !name)) {
        tck_value_free(item);
        free(name);
        return;
    }
    if (with_names)
        v->names[v->n] = name;
    v->items[v->n++] = item;
}

/* Node labels are names without values: kept in names[], items stays NULL. */
static void push_label(parser *p, tck_value *v, char *name)
{
    char **nn = NULL;

    if (!p->failed && name) {
        nn = realloc(v->names, (v->n + 1) * sizeof *nn);
        if (!nn)
            fail(p, "out of memory");
    }
    if (!nn) {
        free(name);
        return;
    }
    v->names = nn;
    v->names[v->n++] = name;
}

/* Sorts names[] (keeping items[] paired when there are items) and rejects
 * a duplicate. Insertion sort: cells hold small maps. */
static void sort_names(parser *p, tck_value *v, const char *what)
{
    size_t k, j;

    for (k = 1; k < v->n; k++) {
        char *key = v->names[k];
        tck_value *val = v->items ? v->items[k] : NULL;
        for (j = k; j > 0 && strcmp(v->names[j - 1], key) > 0; j--) {
            v->names[j] = v->names[j - 1];
            if (v->items)
                v->items[j] = v->items[j - 1];
        }
        v->names[j] = key;
        if (v->items)
            v->items[j] = val;
    }
    for (k = 1; k < v->n && !p->failed; k++)
        if (strcmp(v->names[k - 1], v->names[k]) == 0)
            fail(p, "duplicate %s '%s'", what, v->names[k]);
}

/* '{' (name ':' value (',' name ':' value)*)? '}' */
static tck_value *parse_map(parser *p)
{
    tck_value *m = new_value(p, TCK_MAP);

    if (m && expect(p, "{") && !accept(p, "}")) {
        do {
            char *key = parse_name(p);
            tck_value *val = NULL;
            if (key && expect(p, ":"))
                val = parse_any(p);
            push_item(p, m, val, key, 1);
        } while (accept(p, ","));
        expect(p, "}");
    }
    if (m)
        sort_names(p, m, "map key");
    return m;
}

/* An optional property map after a node's labels or a relationship's type;
 * absent means the empty map. */
static tck_value *parse_props(parser *p)
{
    return peek(p) == '{' ? parse_map(p) : new_value(p, TCK_MAP);
}

/* '(' (':' name)* map? ')' */
static tck_value *parse_node(parser *p)
{
    tck_value *v = new_value(p, TCK_NODE);

    if (v && expect(p, "(")) {
        while (accept(p, ":"))
            push_label(p, v, parse_name(p));
        v->props = parse_props(p);
        expect(p, ")");
        sort_names(p, v, "label");
    }
    return v;
}

/* '[' ':' name map? ']' */
static tck_value *parse_rel(parser *p)
{
    tck_value *v = new_value(p, TCK_REL);

    if (v && expect(p, "[") && expect(p, ":")) {
        v->str = parse_name(p);
        v->len = v->str ? strlen(v->str) : 0;
        v->props = parse_props(p);
        expect(p, "]");
    }
    return v;
}

/* '<' node (('-' rel '->' | '<-' rel '-') node)* '>' */
static tck_value *parse_path(parser *p)
{
    tck_value *v = new_value(p, TCK_PATH);

    if (v && expect(p, "<")) {
        push_item(p, v, parse_node(p), NULL, 0);
        while (!p->failed && !accept(p, ">")) {
            int dir = accept(p, "<-") ? -1 : accept(p, "-") ? 1 : 0;
            tck_value *rel;
            if (dir == 0) {
                fail(p, "expected '-', '<-' or '>' in a path");
                break;
            }
            rel = parse_rel(p);
            if (rel)
                rel->dir = dir;
            push_item(p, v, rel, NULL, 0);
            expect(p, dir > 0 ? "->" : "-");
            push_item(p, v, parse_node(p), NULL, 0);
        }
    }
    return v;
}

/* '[' (value (',' value)*)? ']' — the caller has ruled out a relationship. */
static tck_value *parse_list(parser *p)
{
    tck_value *v = new_value(p, TCK_LIST);

    if (v && expect(p, "[") && !accept(p, "]")) {
        do
            push_item(p, v, parse_any(p), NULL, 0);
        while (accept(p, ","));
        expect(p, "]");
    }
    return v;
}

/* ---- scalars ----------------------------------------------------------------------- */

/* Where the number starting at q ends; *is_float tells its kind. */
static const char *scan_number(const char *q, int *is_float)
{
    const char *e;

    if (*q == '-' || *q == '+')
        q++;
    while (*q >= '0' && *q <= '9')
        q++;
    if (*q == '.' && q[1] >= '0' && q[1] <= '9') {
        *is_float = 1;
        q++;
        while (*q >= '0' && *q <= '9')
            q++;
    }
    if (*q == 'e' || *q == 'E') {
        e = q + 1;
        if (*e == '-' || *e == '+')
            e++;
        if (*e >= '0' && *e <= '9') {
            *is_float = 1;
            for (q = e; *q >= '0' && *q <= '9'; q++)
                ;
        }
    }
    return q;
}

static tck_value *parse_number(parser *p)
{
    const char *start = p->s + p->pos;
    const char *q = start + (*start == '-' || *start == '+');
    const char *end = NULL;
    char *stop = NULL;
    int is_float = 0;
    tck_value *v = NULL;

    if (strncmp(q, "NaN", 3) == 0 || strncmp(q, "Infinity", 8) == 0) {
        v = new_value(p, TCK_FLOAT);
        if (v)
            v->f = q[0] == 'N' ? NAN : start[0] == '-' ? -INFINITY : INFINITY;
        end = q + (q[0] == 'N' ? 3 : 8);
    } else if ((*q >= '0' && *q <= '9') || (*q == '.' && q[1] >= '0' && q[1] <= '9')) {
        end = scan_number(start, &is_float);
        v = new_value(p, is_float ? TCK_FLOAT : TCK_INT);
        errno = 0;
        if (v && is_float)
            v->f = strtod(start, &stop);
        else if (v)
            v->i = (int64_t)strtoll(start, &stop, 10);
        if (v && !is_float && errno == ERANGE)
            fail(p, "integer out of range");
        else if (v && stop != end)
            fail(p, "malformed number");
    } else {
        fail(p, "expected a value");
    }
    if (end && !p->failed)
        p->pos += (size_t)(end - start);
    return v;
}

static int word_at(parser *p, const char *w)
{
    size_t n = strlen(w);
    return strncmp(p->s + p->pos, w, n) == 0 && !is_name_char((unsigned char)p->s[p->pos + n]);
}

/* Any value; returns the (possibly partial) tree, NULL only when nothing
 * could be made. The parser's failure flag says whether it is whole. */
static tck_value *parse_any(parser *p)
{
    tck_value *v = NULL;
    int c = peek(p);
    size_t save;

    if (++p->depth > MAX_DEPTH) {
        fail(p, "values nested too deeply");
    } else if (c == '\'' || c == '"') {
        buf b = {0};
        v = new_value(p, TCK_STRING);
        parse_quoted(p, &b);
        if (v) {
            v->str = b.b;
            v->len = b.len;
        } else {
            free(b.b);
        }
    } else if (c == '[') {
        save = p->pos++;
        c = peek(p);
        p->pos = save;
        v = c == ':' ? parse_rel(p) : parse_list(p);
    } else if (c == '{') {
        v = parse_map(p);
    } else if (c == '(') {
        v = parse_node(p);
    } else if (c == '<') {
        v = parse_path(p);
    } else if (word_at(p, "null")) {
        p->pos += 4;
        v = new_value(p, TCK_NULL);
    } else if (word_at(p, "true") || word_at(p, "false")) {
        v = new_value(p, TCK_BOOL);
        if (v)
            v->b = p->s[p->pos] == 't';
        p->pos += p->s[p->pos] == 't' ? 4 : 5;
    } else if (c != 0) {
        v = parse_number(p);
    } else if (!p->failed) {
        fail(p, "expected a value");
    }
    p->depth--;
    return v;
}

tck_value *tck_value_parse(const char *text, char *errbuf, size_t errlen)
{
    parser p = {0};
    tck_value *v;

    p.s = text;
    p.err = errbuf;
    p.errlen = errlen;
    if (errbuf && errlen)
        errbuf[0] = '\0';
    v = parse_any(&p);
    if (!p.failed && peek(&p) != '\0')
        fail(&p, "unexpected text after the value");
    if (p.failed) {
        tck_value_free(v);
        v = NULL;
    }
    return v;
}

/* ---- equality ------------------------------------------------------------------------ */

int tck_float_equal(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static int list_equal_unordered(const tck_value *a, const tck_value *b)
{
    unsigned char *used = calloc(b->n ? b->n : 1, 1);
    size_t k, j;
    int eq = used != NULL;

    for (k = 0; k < a->n && eq; k++) {
        for (j = 0; j < b->n; j++)
            if (!used[j] && tck_value_equal(a->items[k], b->items[j], 1))
                break;
        eq = j < b->n;
        if (eq)
            used[j] = 1;
    }
    free(used);
    return eq;
}

/* Whether names[] (and items[] when present) agree pairwise. */
static int names_equal(const tck_value *a, const tck_value *b, int unordered_lists)
{
    size_t k;
    int eq = a->n == b->n;

    for (k = 0; k < a->n && eq; k++)
        eq = strcmp(a->names[k], b->names[k]) == 0 &&
             (!a->items || tck_value_equal(a->items[k], b->items[k], unordered_lists));
    return eq;
}

static int items_equal(const tck_value *a, const tck_value *b, int unordered_lists)
{
    size_t k;
    int eq = a->n == b->n;

    for (k = 0; k < a->n && eq; k++)
        eq = tck_value_equal(a->items[k], b->items[k], unordered_lists);
    return eq;
}

int tck_value_equal(const tck_value *a, const tck_value *b, int unordered_lists)
{
    int eq = 0;

    switch (a->kind == b->kind ? (int)a->kind : -1) {
    case -1: break;
    case TCK_NULL: eq = 1; break;
    case TCK_BOOL: eq = a->b == b->b; break;
    case TCK_INT: eq = a->i == b->i; break;
    case TCK_FLOAT: eq = tck_float_equal(a->f, b->f); break;
    case TCK_STRING: eq = a->len == b->len && memcmp(a->str, b->str, a->len) == 0; break;
    case TCK_LIST:
        eq = a->n == b->n && (unordered_lists ? list_equal_unordered(a, b) : items_equal(a, b, 0));
        break;
    case TCK_MAP: eq = names_equal(a, b, unordered_lists); break;
    case TCK_NODE:
        eq = names_equal(a, b, unordered_lists) &&
             tck_value_equal(a->props, b->props, unordered_lists);
        break;
    case TCK_REL:
        eq = a->dir == b->dir && strcmp(a->str, b->str) == 0 &&
             tck_value_equal(a->props, b->props, unordered_lists);
        break;
    case TCK_PATH: eq = items_equal(a, b, unordered_lists); break;
    }
    return eq;
}
