/* xml_scan.c — a streaming XML 1.0 tokenizer (see xml_scan.h).
 *
 * Three kinds of scanner share one buffer:
 * - the common forms inside the root (fast(): plain text up to a tag, a
 *   start tag of plain attributes with, under TG_XML_LEAVES, its plain text
 *   and end tag, the end tag of the open element) in one pass; anything
 *   else, or anything that runs past the bytes at hand, is left untouched
 *   to the two below;
 * - tags and declarations (start tag, end tag, XML declaration, DOCTYPE)
 *   are read whole: when one runs past the bytes at hand, more are read and
 *   it is scanned again from its '<' (about once per chunk, since a chunk
 *   is larger than a tag), so these scanners keep their state in locals and
 *   commit it at the end (commit());
 * - character data is a resumable loop over units (a run of plain bytes, a
 *   reference, a line end, a UTF-8 sequence, the opening or closing of a
 *   comment, a processing instruction or a CDATA section): when a unit runs
 *   past the bytes at hand, the loop stops before it, and the text decoded
 *   so far ([tstart, tout), in place, never longer than its source) is kept
 *   or, past PIECE bytes, handed out as a piece.
 * Runs of text and values are found 16 bytes at a time (run_to), names one
 * byte at a time by table (CLS); the byte after the last one read is always
 * a NUL, which stops every loop, so no loop tests the end of the buffer per
 * byte. A construct bounded by max_markup is scanned under a second,
 * temporary sentinel at its bound (limit_on), so that the chunks of the
 * input never decide what is reported.
 *
 * Invariants: buf[cur][len] == 0, and PAD readable bytes follow; tstart <=
 * tout <= pos while a text run is open; the previous token handed out (in
 * buf[prev]) is neither moved nor overwritten before the next call returns
 * (refill copies what it keeps into the other buffer when the previous
 * token is in the current one); line and lstart describe pos; once status
 * is set nothing more is read.
 */
#include "xml_scan.h"

#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define CHUNK ((size_t)1 << 20)          /* room read into at least */
#define PIECE ((size_t)1 << 16)          /* a text run may be handed out in pieces past this */
#define MARKUP_DEFAULT ((size_t)64 << 20) /* max_markup 0 */
#define PAD 16 /* readable bytes after the sentinel: a vector load at it stays inside */

enum { M_PROLOG, M_CONTENT, M_EPILOG };
enum { S_TEXT, S_COMMENT, S_PI, S_CDATA };
enum { R_OK = 0, R_NEED = 1, R_ERR = -1 }; /* what a scanner step did */

/* Byte classes. TS, AS, CS, PS, DS: the bytes that stop a plain run in
 * text, an attribute value, a comment, a processing instruction, a CDATA
 * section; WS: white space; N, NS: ASCII name characters but ':' (which
 * the scanners look for on their own) and name start characters. X: forbidden control characters and bytes >= 0x80 (checked
 * as UTF-8), which stop every run; NUL (also the sentinel) is one of them. */
#define TS 1
#define AS 2
#define CS 4
#define PS 8
#define DS 16
#define WS 32
#define N 64
#define NS 128
#define X (TS | AS | CS | PS | DS)

static const unsigned char CLS[256] = {
    X, X, X, X, X, X, X, X, X, TS|AS|WS, TS|AS|CS|PS|DS|WS, X, X, TS|AS|DS|WS, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    WS, 0, AS, 0, 0, 0, TS|AS, AS, 0, 0, 0, 0, 0, CS|N, N, 0,
    N, N, N, N, N, N, N, N, N, N, NS, 0, TS|AS, 0, 0, PS,
    0, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS,
    N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, 0, 0, TS|DS, 0, N|NS,
    0, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS,
    N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, N|NS, 0, 0, 0, 0, 0,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
};

/* The first byte at or after b[p] that is below 0x20, above 0x7F, or one of
 * c1..c4: the end of a run of plain text (TS: '<', '&', ']'; run_plain:
 * '<', '&', '>'; AS: '<', '&' and the quotes). The sentinel stops it, so it
 * never passes len. With SSE2 (every x86-64), 16 bytes a step: the runs of
 * GraphML are short, and a loop of one byte a step pays a mispredicted
 * branch at the end of each. Inlined with constant c1..c4. */
static inline size_t run_to(const unsigned char *b, size_t p, unsigned char c1, unsigned char c2,
                            unsigned char c3, unsigned char c4)
{
#if defined(__SSE2__)
    const __m128i lo = _mm_set1_epi8(0x20), x1 = _mm_set1_epi8((char)c1),
                  x2 = _mm_set1_epi8((char)c2), x3 = _mm_set1_epi8((char)c3),
                  x4 = _mm_set1_epi8((char)c4);

    for (;; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + p));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, lo), _mm_cmpeq_epi8(v, x1)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, x2),
                                              _mm_or_si128(_mm_cmpeq_epi8(v, x3),
                                                           _mm_cmpeq_epi8(v, x4))));
        int bits = _mm_movemask_epi8(m);
        if (bits)
            return p + (size_t)__builtin_ctz((unsigned)bits);
    }
#else
    while (b[p] >= 0x20 && b[p] < 0x80 && b[p] != c1 && b[p] != c2 && b[p] != c3 && b[p] != c4)
        p++;
    return p;
#endif
}

#define run_text(b, p) run_to((b), (p), '<', '&', ']', ']')
#define run_plain(b, p) run_to((b), (p), '<', '&', '>', '>')
#define run_attr(b, p) run_to((b), (p), '<', '&', '"', '\'')

/* A place being scanned: the line and the input offset of its first byte. */
typedef struct lpos {
    long line;
    uint64_t lstart;
} lpos;

/* ---- small helpers ------------------------------------------------------------- */

static unsigned char *ub(const tg_xml_scan *sc)
{
    return (unsigned char *)sc->buf[sc->cur];
}

/* The line the scan is on. */
static lpos here(const tg_xml_scan *sc)
{
    lpos lp;

    lp.line = sc->line;
    lp.lstart = sc->lstart;
    return lp;
}

/* The length of the UTF-8 sequence at p (p[0] >= 0x80, avail bytes at
 * hand) if it is a character XML allows: 2..4; 0 when it is not UTF-8
 * (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF); -2 for
 * U+FFFE and U+FFFF; -1 when the bytes at hand end inside a valid prefix. */
static int utf8_char(const unsigned char *p, size_t avail)
{
    size_t n = tg_i_utf8_seq(p, 0, avail);

    if (n == (size_t)-1)
        return -1;
    if (n == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)
        return -2;
    return (int)n;
}

static int is_xml_char(unsigned long c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* How much of s[0..len) to show in a message: at most 40 bytes, cut on a
 * UTF-8 boundary (names and references are valid UTF-8 when quoted). */
static int clip(const char *s, size_t len)
{
    size_t n = len < 40 ? len : 40;

    while (n < len && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

/* Records an error at input offset `at` of a line described by lp. */
static tg_xml_kind fail_at(tg_xml_scan *sc, tg_xml_code code, lpos lp, uint64_t at,
                           const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static tg_xml_kind fail_at(tg_xml_scan *sc, tg_xml_code code, lpos lp, uint64_t at,
                           const char *fmt, ...)
{
    va_list ap;

    if (sc->status != TG_OK)
        return TG_XML_ERROR;
    sc->status = code == TG_XML_E_NOMEM ? TG_ENOMEM : code == TG_XML_E_READ ? TG_EIO : TG_EDATA;
    sc->code = code;
    sc->err_line = lp.line;
    sc->err_col = (long)(at - lp.lstart + 1);
    va_start(ap, fmt);
    vsnprintf(sc->msg, sizeof sc->msg, fmt, ap);
    va_end(ap);
    return TG_XML_ERROR;
}

/* An error at buffer offset p, on the current line of the scan. */
#define FAIL(sc, lp, p, ...) fail_at((sc), TG_XML_E_SYNTAX, (lp), (sc)->base + (p), __VA_ARGS__)

static tg_xml_kind nomem(tg_xml_scan *sc)
{
    lpos lp = here(sc);

    return fail_at(sc, TG_XML_E_NOMEM, lp, sc->base + sc->pos, "out of memory");
}

/* The error for the bytes at p that are not an XML character: invalid
 * UTF-8, U+FFFE/U+FFFF, or a control character. */
static tg_xml_kind bad_char(tg_xml_scan *sc, lpos lp, size_t p, const char *where)
{
    const unsigned char *b = ub(sc);
    unsigned c = b[p];

    if (c >= 0x80) {
        int n = utf8_char(b + p, sc->len - p);
        if (n == -2)
            return FAIL(sc, lp, p,
                        "not well-formed XML: the character U+FFF%c %s is not one XML allows; "
                        "expected text",
                        b[p + 2] == 0xBE ? 'E' : 'F', where);
        return fail_at(sc, TG_XML_E_UTF8, lp, sc->base + p,
                       "invalid UTF-8 byte 0x%02x; expected UTF-8 text (re-save the file as UTF-8)",
                       c);
    }
    return FAIL(sc, lp, p,
                "not well-formed XML: control character U+%04X %s; XML allows none but tab, "
                "line feed and carriage return",
                c, where);
}

/* ---- the buffer ---------------------------------------------------------------- */

/* Reads more input after len, keeping [from, len) of the current buffer
 * (from <= every offset still needed: pos, a text run's tstart). When the
 * previous token handed out is in the current buffer, what is kept is
 * copied to the other buffer and the current one is left as it is (so the
 * previous token stays valid where the caller has it); otherwise the
 * current buffer is compacted (and grown) in place.
 * Offsets into the buffer (pos, tstart, tout) move with it. Returns R_OK
 * having read something or reached the end of the input (sc->eof),
 * R_ERR with the error set. */
static int refill(tg_xml_scan *sc, size_t from)
{
    int o = sc->cur;
    size_t n, need, got;
    char *dst;

    if (sc->eof)
        return R_OK;
    if (sc->cur == sc->prev && sc->buf[sc->cur])
        o = !sc->cur;
    n = sc->len - from;
    need = n + CHUNK;
    if (sc->bcap[o] < need) {
        size_t cap = sc->bcap[o] ? sc->bcap[o] * 2 : 2 * CHUNK;
        char *nb;
        while (cap < need)
            cap *= 2;
        if (o == sc->cur) {
            nb = realloc(sc->buf[o], cap + 1 + PAD);
        } else {
            free(sc->buf[o]);
            sc->buf[o] = NULL;
            sc->bcap[o] = 0;
            nb = malloc(cap + 1 + PAD);
        }
        if (!nb) {
            nomem(sc);
            return R_ERR;
        }
        sc->buf[o] = nb;
        sc->bcap[o] = cap;
    }
    dst = sc->buf[o];
    if (n && o == sc->cur)
        memmove(dst, dst + from, n);
    else if (n)
        memcpy(dst, sc->buf[sc->cur] + from, n);
    sc->cur = o;
    sc->base += from;
    sc->pos -= from;
    sc->tstart -= from < sc->tstart ? from : sc->tstart;
    sc->tout -= from < sc->tout ? from : sc->tout;
    sc->len = n;
    dst[n] = '\0';
    got = sc->read(sc->read_ctx, dst + n, sc->bcap[o] - n);
    if (got == (size_t)-1) {
        lpos lp = here(sc);
        fail_at(sc, TG_XML_E_READ, lp, sc->base + sc->pos, "the input could not be read");
        return R_ERR;
    }
    if (got == 0)
        sc->eof = 1;
    sc->len = n + got;
    memset(dst + sc->len, 0, 1 + PAD);
    return R_OK;
}

/* A bound on what a scanner of a construct may look at: the bytes from
 * `from` to from + max_markup, after which a temporary sentinel stands. A
 * construct that runs into it is too long whatever the bytes after it
 * hold, so that where the chunks of the input end never decides between
 * "too long" and another error. */
typedef struct limit {
    size_t len;         /* the real len while the sentinel stands */
    unsigned char byte; /* the byte under it */
    int on;
} limit;

static void limit_to(tg_xml_scan *sc, size_t from, size_t size, limit *l)
{
    size_t end = from + size + 1;

    l->on = end < sc->len;
    l->len = sc->len;
    l->byte = 0;
    if (l->on) {
        unsigned char *b = ub(sc);
        l->len = sc->len;
        l->byte = b[end];
        b[end] = '\0';
        sc->len = end;
    }
}

static void limit_on(tg_xml_scan *sc, size_t from, limit *l)
{
    limit_to(sc, from, sc->max_markup, l);
}

static void limit_off(tg_xml_scan *sc, const limit *l)
{
    if (l->on) {
        ub(sc)[sc->len] = l->byte;
        sc->len = l->len;
    }
}

/* The position of the end of the input (for a truncated document): the
 * lines from offset `from` (described by lp) to the end. */
static lpos end_pos(const tg_xml_scan *sc, size_t from, lpos lp)
{
    const char *b = sc->buf[sc->cur], *p = b + from, *e = b + sc->len, *nl;

    while (p < e && (nl = memchr(p, '\n', (size_t)(e - p))) != NULL) {
        lp.line++;
        lp.lstart = sc->base + (uint64_t)(nl - b) + 1;
        p = nl + 1;
    }
    return lp;
}

static const char *top_name(const tg_xml_scan *sc, int *len)
{
    const tg_xml_frame *f = &sc->stack[sc->depth - 1];

    *len = clip(sc->names + f->name_off, f->name_len);
    return sc->names + f->name_off;
}

/* The input ended at a point where the document cannot end. */
static tg_xml_kind truncated(tg_xml_scan *sc, size_t from, lpos lp)
{
    uint64_t at;
    int n;
    const char *name;

    lp = end_pos(sc, from, lp);
    at = sc->base + sc->len;
    if (sc->mode == M_CONTENT) {
        name = top_name(sc, &n);
        return fail_at(sc, TG_XML_E_TRUNCATED, lp, at,
                       "unexpected end of file inside <%.*s>: the document is truncated", n, name);
    }
    if (sc->sub == S_COMMENT)
        return fail_at(sc, TG_XML_E_TRUNCATED, lp, at,
                       "unexpected end of file inside a comment (<!-- without -->): the document "
                       "is truncated");
    if (sc->sub == S_PI)
        return fail_at(sc, TG_XML_E_TRUNCATED, lp, at,
                       "unexpected end of file inside a processing instruction (<? without ?>): "
                       "the document is truncated");
    if (sc->mode == M_PROLOG)
        return fail_at(sc, TG_XML_E_TRUNCATED, lp, at,
                       "unexpected end of file before the root element: the document is truncated");
    return fail_at(sc, TG_XML_E_TRUNCATED, lp, at,
                   "unexpected end of file inside markup after the root element: the document "
                   "is truncated");
}

static tg_xml_kind too_long(tg_xml_scan *sc, size_t at, lpos lp, const char *what)
{
    return fail_at(sc, TG_XML_E_TOO_LONG, lp, sc->base + at,
                   "%s longer than %zu bytes, the most one may hold", what, sc->max_markup);
}

/* ---- names and references ------------------------------------------------------ */

/* Scans a Name at b[*pp]: R_OK with *pp after it; R_NEED when the bytes at
 * hand end inside it (or right after it: it may go on); R_ERR with no error
 * set when b[*pp] cannot start a name (the caller says what it expected);
 * -2 with the error set for a byte that is not UTF-8. Non-ASCII characters
 * are name characters (XML's exact ranges are not checked). */
static int scan_name(tg_xml_scan *sc, size_t *pp, lpos lp)
{
    const unsigned char *b = ub(sc);
    size_t p = *pp, len = sc->len;
    int n;

    if (b[p] < 0x80) {
        if (!(CLS[b[p]] & NS))
            return p >= len ? R_NEED : R_ERR;
        p++;
    } /* a non-ASCII start is taken below */
    for (;;) {
        while (CLS[b[p]] & N)
            p++;
        if (b[p] == ':') {
            p++;
            continue;
        }
        if (b[p] < 0x80)
            break;
        if ((n = utf8_char(b + p, len - p)) == -1)
            return R_NEED;
        if (n <= 0) {
            bad_char(sc, lp, p, "in a name");
            return -2;
        }
        p += (size_t)n;
    }
    if (p >= len)
        return R_NEED;
    *pp = p;
    return R_OK;
}

static int hexval(unsigned c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return (int)(c - 'A' + 10);
    return -1;
}

/* The reference at b[p] == '&': R_OK with *end after its ';' and *cp the
 * character; R_NEED; R_ERR with the error set. */
static int scan_ref(tg_xml_scan *sc, size_t p, size_t *end, unsigned long *cp, lpos lp)
{
    const unsigned char *b = ub(sc);
    size_t q = p + 1, len = sc->len;
    int r;

    if (q >= len)
        return R_NEED;
    if (b[q] == '#') {
        unsigned long v = 0;
        unsigned base = 10;
        size_t digits = 0;
        int d;
        if (++q >= len)
            return R_NEED;
        if (b[q] == 'x') {
            base = 16;
            q++;
        }
        for (;; q++) {
            if (q >= len)
                return R_NEED;
            d = hexval(b[q]);
            if (d < 0 || (unsigned)d >= base)
                break;
            v = v > 0x10FFFF ? v : v * base + (unsigned)d;
            digits++;
        }
        if (!digits || b[q] != ';') {
            FAIL(sc, lp, p,
                 "not well-formed XML: a character reference that is not one; expected &#DIGITS; "
                 "or &#xHEX; (or &amp; for a literal '&')");
            return R_ERR;
        }
        if (!is_xml_char(v)) {
            FAIL(sc, lp, p,
                 "not well-formed XML: the character reference &%.*s names a character XML does "
                 "not allow",
                 clip((const char *)b + p + 1, q - p), (const char *)b + p + 1);
            return R_ERR;
        }
        if (q + 1 - p > sc->max_markup) {
            too_long(sc, p, lp, "markup");
            return R_ERR;
        }
        *cp = v;
        *end = q + 1;
        return R_OK;
    }
    r = scan_name(sc, &q, lp);
    if (r == R_NEED || r == -2)
        return r == -2 ? R_ERR : R_NEED;
    if (r == R_ERR || b[q] != ';') {
        FAIL(sc, lp, p,
             "not well-formed XML: '&' that starts no reference; expected &amp; for a literal '&', "
             "or a reference such as &lt; or &#160;");
        return R_ERR;
    }
    {
        const char *s = (const char *)b + p + 1;
        size_t n = q - p - 1;
        if (n == 3 && memcmp(s, "amp", 3) == 0)
            *cp = '&';
        else if (n == 2 && memcmp(s, "lt", 2) == 0)
            *cp = '<';
        else if (n == 2 && memcmp(s, "gt", 2) == 0)
            *cp = '>';
        else if (n == 4 && memcmp(s, "quot", 4) == 0)
            *cp = '"';
        else if (n == 4 && memcmp(s, "apos", 4) == 0)
            *cp = '\'';
        else {
            FAIL(sc, lp, p,
                 "not well-formed XML: the entity &%.*s; is not defined; expected &amp; &lt; &gt; "
                 "&quot; &apos; or a character reference such as &#160; (no DTD is read)",
                 clip(s, n), s);
            return R_ERR;
        }
    }
    if (q + 1 - p > sc->max_markup) {
        too_long(sc, p, lp, "markup");
        return R_ERR;
    }
    *end = q + 1;
    return R_OK;
}

/* ---- comments, processing instructions, CDATA: resumable ----------------------- */

/* Inside a comment or (pi) a processing instruction, after its target,
 * from sc->pos: R_OK at its end (sub back to S_TEXT), R_NEED, R_ERR. The
 * content is dropped. */
static int skip_step(tg_xml_scan *sc, int pi)
{
    const unsigned char *b = ub(sc);
    size_t p = sc->pos, len = sc->len;
    unsigned char stop = pi ? PS : CS;
    int n;

    for (;;) {
        while (!(CLS[b[p]] & stop))
            p++;
        if (b[p] == (pi ? '?' : '-')) {
            if (p + 1 >= len)
                break;
            if (b[p + 1] != (pi ? '>' : '-')) {
                p++;
                continue;
            }
            if (!pi && p + 2 >= len)
                break;
            if (!pi && b[p + 2] != '>') {
                FAIL(sc, here(sc), p, "not well-formed XML: '--' inside a comment; expected "
                                      "'-->' to end it");
                return R_ERR;
            }
            sc->pos = p + (pi ? 2 : 3);
            sc->sub = S_TEXT;
            return R_OK;
        }
        if (b[p] == '\n') {
            sc->line++;
            sc->lstart = sc->base + p + 1;
            p++;
            continue;
        }
        if (p >= len)
            break;
        if (b[p] >= 0x80 && (n = utf8_char(b + p, len - p)) != 0 && n != -2) {
            if (n < 0)
                break;
            p += (size_t)n;
            continue;
        }
        bad_char(sc, here(sc), p, pi ? "in a processing instruction" : "in a comment");
        return R_ERR;
    }
    sc->pos = p;
    return R_NEED;
}

/* At "<?" (b[p]): the target of a processing instruction; R_OK with
 * sc->pos after it and sub S_PI (or S_TEXT for "<?x?>"), R_NEED, R_ERR.
 * The target "xml" (any case) is the XML declaration's, allowed only at the
 * very start (handled before). */
static int pi_start(tg_xml_scan *sc, size_t p)
{
    const unsigned char *b = ub(sc);
    size_t q = p + 2;
    lpos lp = here(sc);
    int r = scan_name(sc, &q, lp);

    if (r == R_NEED)
        return R_NEED;
    if (r == -2)
        return R_ERR;
    if (r == R_ERR) {
        FAIL(sc, lp, p, "not well-formed XML: '<?' not followed by a name; expected a "
                        "processing instruction <?target ...?>");
        return R_ERR;
    }
    if (q - p > sc->max_markup) {
        too_long(sc, p, lp, "markup");
        return R_ERR;
    }
    if (q - p - 2 == 3 && (b[p + 2] | 0x20) == 'x' && (b[p + 3] | 0x20) == 'm' &&
        (b[p + 4] | 0x20) == 'l') {
        FAIL(sc, lp, p, "not well-formed XML: an XML declaration <?xml ...?> after the start of "
                        "the file; expected it first, or not at all");
        return R_ERR;
    }
    if (b[q] == '?') {
        if (q + 1 >= sc->len)
            return R_NEED;
        if (b[q + 1] == '>') {
            sc->pos = q + 2;
            return R_OK;
        }
    }
    if (!(CLS[b[q]] & WS)) {
        FAIL(sc, lp, q, "not well-formed XML: expected white space or '?>' after the target of a "
                        "processing instruction");
        return R_ERR;
    }
    sc->pos = q;
    sc->sub = S_PI;
    return R_OK;
}

/* ---- character data ------------------------------------------------------------ */

/* Hands out the text run [tstart, tout) as a token. */
static tg_xml_kind text_token(tg_xml_scan *sc, tg_xml_token *t, int more)
{
    t->kind = TG_XML_TEXT;
    t->text = sc->buf[sc->cur] + sc->tstart;
    t->text_len = sc->tout - sc->tstart;
    t->more = more;
    t->line = sc->tline;
    t->col = sc->tcol;
    return TG_XML_TEXT;
}

/* The unit at b[p] that text and CDATA sections share, copied to tout: a
 * line feed, a carriage return (with a line feed after it: one line feed),
 * a tab, a UTF-8 character. R_OK with *pp after it, R_NEED, R_ERR (any
 * other byte is not a character XML allows). */
static int char_unit(tg_xml_scan *sc, unsigned char *b, size_t *pp, const char *where)
{
    size_t p = *pp, len = sc->len;
    int n;

    switch (b[p]) {
    case '\n':
        sc->line++;
        sc->lstart = sc->base + p + 1;
        b[sc->tout++] = '\n';
        *pp = p + 1;
        return R_OK;
    case '\t':
        b[sc->tout++] = '\t';
        *pp = p + 1;
        return R_OK;
    case '\r':
        if (p + 1 >= len && !sc->eof)
            return R_NEED;
        b[sc->tout++] = '\n';
        if (b[p + 1] == '\n') {
            sc->line++;
            sc->lstart = sc->base + p + 2;
            p++;
        }
        *pp = p + 1;
        return R_OK;
    default: break;
    }
    if (p >= len)
        return R_NEED;
    if (b[p] >= 0x80 && (n = utf8_char(b + p, len - p)) != 0 && n != -2) {
        if (n < 0)
            return R_NEED;
        if (sc->tout != p)
            memmove(b + sc->tout, b + p, (size_t)n);
        sc->tout += (size_t)n;
        *pp = p + (size_t)n;
        return R_OK;
    }
    bad_char(sc, here(sc), p, where);
    return R_ERR;
}

/* Moves the plain bytes [p, q) to the decoded end of the run. */
static void keep_run(tg_xml_scan *sc, unsigned char *b, size_t p, size_t q)
{
    if (sc->tout != p)
        memmove(b + sc->tout, b + p, q - p);
    sc->tout += q - p;
}

/* One step of a text run at sc->pos: plain bytes, then the unit after
 * them. R_OK (go on), R_NEED, R_ERR, or AT_TAG at a start or end tag. */
#define AT_TAG 2
static int text_step(tg_xml_scan *sc, unsigned char *b)
{
    size_t p = sc->pos, q = run_text(b, p), len = sc->len, end;
    unsigned long cp;
    limit l;
    int r;

    keep_run(sc, b, p, q);
    p = sc->pos = q;
    switch (b[p]) {
    case '<':
        if (p + 1 >= len)
            return R_NEED;
        if (b[p + 1] == '?') {
            limit_on(sc, p, &l);
            r = pi_start(sc, p);
            limit_off(sc, &l);
            return r;
        }
        if (b[p + 1] != '!')
            return AT_TAG;
        if (p + 4 > len)
            return R_NEED;
        if (b[p + 2] == '-' && b[p + 3] == '-') {
            sc->pos = p + 4;
            sc->sub = S_COMMENT;
            return R_OK;
        }
        if (p + 9 > len && memcmp(b + p, "<![CDATA[", len - p) == 0)
            return R_NEED;
        if (p + 9 <= len && memcmp(b + p, "<![CDATA[", 9) == 0) {
            sc->pos = p + 9;
            sc->sub = S_CDATA;
            return R_OK;
        }
        FAIL(sc, here(sc), p,
             "not well-formed XML: '<!' inside an element; expected a comment <!-- --> or a "
             "CDATA section <![CDATA[ ]]> (a DOCTYPE only before the root element)");
        return R_ERR;
    case '&':
        limit_on(sc, p, &l);
        r = scan_ref(sc, p, &end, &cp, here(sc));
        limit_off(sc, &l);
        if (r != R_OK)
            return r;
        sc->tout += tg_i_utf8_put((char *)b + sc->tout, (unsigned)cp);
        sc->pos = end;
        return R_OK;
    case ']':
        if (p + 2 >= len)
            return R_NEED;
        if (b[p + 1] == ']' && b[p + 2] == '>') {
            FAIL(sc, here(sc), p,
                 "not well-formed XML: ']]>' in text; expected ']]&gt;' (it ends a CDATA "
                 "section, and none is open)");
            return R_ERR;
        }
        b[sc->tout++] = ']';
        sc->pos = p + 1;
        return R_OK;
    default:
        r = char_unit(sc, b, &p, "in the text");
        sc->pos = p;
        return r;
    }
}

/* One step inside a CDATA section at sc->pos: its text kept as it is, but
 * for line ends. */
static int cdata_step(tg_xml_scan *sc, unsigned char *b)
{
    size_t p = sc->pos, q = p;
    int r;

    while (!(CLS[b[q]] & DS))
        q++;
    keep_run(sc, b, p, q);
    p = sc->pos = q;
    if (b[p] != ']') {
        r = char_unit(sc, b, &p, "in a CDATA section");
        sc->pos = p;
        return r;
    }
    if (p + 2 >= sc->len)
        return R_NEED;
    if (b[p + 1] == ']' && b[p + 2] == '>') {
        sc->pos = p + 3;
        sc->sub = S_TEXT;
        return R_OK;
    }
    b[sc->tout++] = ']';
    sc->pos = p + 1;
    return R_OK;
}

/* Character data inside the root element, up to the next start or end tag:
 * TG_XML_TEXT with what it holds (when that is not nothing), TG_XML_EOF
 * (meaning: no token, at the '<' of a tag), TG_XML_ERROR. Decodes in
 * place: tout runs behind pos once something was shortened. */
static tg_xml_kind scan_content(tg_xml_scan *sc, tg_xml_token *t)
{
    int r;

    if (!sc->intext) {
        sc->intext = 1;
        sc->tstart = sc->tout = sc->pos;
        sc->tline = sc->line;
        sc->tcol = (long)(sc->base + sc->pos - sc->lstart + 1);
    }
    for (;;) {
        unsigned char *b = ub(sc);
        if (sc->sub == S_TEXT)
            r = text_step(sc, b);
        else if (sc->sub == S_CDATA)
            r = cdata_step(sc, b);
        else
            r = skip_step(sc, sc->sub == S_PI);
        if (r == R_OK)
            continue;
        if (r == R_ERR)
            return TG_XML_ERROR;
        if (r == AT_TAG) {
            sc->intext = 0;
            if ((sc->opts & TG_XML_SKIP_BLANK) && b[sc->pos + 1] != '/') {
                size_t i = sc->tstart;
                while (i < sc->tout && (CLS[b[i]] & WS))
                    i++;
                if (i == sc->tout)
                    sc->tout = sc->tstart; /* white space before a start tag */
            }
            if (sc->tout > sc->tstart)
                return text_token(sc, t, 0);
            return TG_XML_EOF;
        }
        /* the unit at pos runs past the bytes at hand */
        if (sc->len - sc->pos > sc->max_markup)
            return too_long(sc, sc->pos, here(sc), "markup");
        if (sc->eof)
            return truncated(sc, sc->pos, here(sc));
        if (sc->tout == sc->tstart) {
            sc->tstart = sc->tout = sc->pos; /* nothing to keep before pos */
        } else if (sc->tout - sc->tstart >= PIECE) {
            text_token(sc, t, 1);
            sc->tstart = sc->tout = sc->pos;
            sc->tline = sc->line;
            sc->tcol = (long)(sc->base + sc->pos - sc->lstart + 1);
            return TG_XML_TEXT;
        }
        if (refill(sc, sc->tstart) != R_OK)
            return TG_XML_ERROR;
    }
}

/* ---- the DOCTYPE and the XML declaration: read whole ---------------------------- */

/* Ends a construct read whole, from sc->pos to end, the scan being on line
 * lp there: R_OK having moved past it, R_ERR when it is longer than
 * max_markup (what names it in the message). */
static int commit(tg_xml_scan *sc, size_t end, lpos lp, const char *what)
{
    if (end - sc->pos > sc->max_markup) {
        too_long(sc, sc->pos, here(sc), what);
        return R_ERR;
    }
    sc->pos = end;
    sc->line = lp.line;
    sc->lstart = lp.lstart;
    return R_OK;
}

/* Skips white space at *pp, counting lines into *lp; whether there was any. */
static int skip_ws(const tg_xml_scan *sc, size_t *pp, lpos *lp)
{
    const unsigned char *b = ub(sc);
    size_t p = *pp;

    while (CLS[b[p]] & WS) {
        if (b[p] == '\n') {
            lp->line++;
            lp->lstart = sc->base + p + 1;
        }
        p++;
    }
    if (p == *pp)
        return 0;
    *pp = p;
    return 1;
}

/* Checks the characters of b[p..end) and counts its lines into *lp:
 * R_OK, or R_ERR with the error set (at its place). */
static int check_chars(tg_xml_scan *sc, size_t p, size_t end, lpos *lp, const char *where)
{
    const unsigned char *b = ub(sc);
    int n;

    while (p < end) {
        if (b[p] < 0x80) {
            if (b[p] == '\n') {
                lp->line++;
                lp->lstart = sc->base + p + 1;
            } else if (b[p] < 0x20 && !(CLS[b[p]] & WS)) {
                bad_char(sc, *lp, p, where);
                return R_ERR;
            }
            p++;
            continue;
        }
        n = utf8_char(b + p, end - p);
        if (n <= 0) {
            bad_char(sc, *lp, p, where);
            return R_ERR;
        }
        p += (size_t)n;
    }
    return R_OK;
}

/* A quoted literal at b[*pp] (its characters checked, lines counted):
 * R_OK with *pp after its closing quote, R_NEED, R_ERR. */
static int literal(tg_xml_scan *sc, size_t *pp, lpos *lp, const char *where)
{
    const unsigned char *b = ub(sc);
    size_t p = *pp, s;
    unsigned char q;
    const unsigned char *e;

    if (p >= sc->len)
        return R_NEED;
    q = b[p];
    if (q != '"' && q != '\'') {
        FAIL(sc, *lp, p, "not well-formed XML: expected a quoted literal %s", where);
        return R_ERR;
    }
    s = p + 1;
    e = memchr(b + s, q, sc->len - s);
    if (!e)
        return R_NEED;
    if (check_chars(sc, s, (size_t)(e - b), lp, where) != R_OK)
        return R_ERR;
    *pp = (size_t)(e - b) + 1;
    return R_OK;
}

#define MORE 2 /* starts(): too few bytes at hand to tell */

/* Whether b[p..] starts with the keyword s: 1 yes, 0 no, MORE. */
static int starts(const tg_xml_scan *sc, size_t p, const char *s)
{
    size_t n = strlen(s), have = sc->len - p;

    if (have < n)
        return memcmp(ub(sc) + p, s, have) == 0 ? MORE : 0;
    return memcmp(ub(sc) + p, s, n) == 0;
}

/* The internal subset of a DOCTYPE, from after its '[' to after its ']':
 * element, attribute-list and notation declarations are skipped (their
 * literals respected), comments and processing instructions too; an entity
 * declaration or a parameter-entity reference is refused. */
static int int_subset(tg_xml_scan *sc, size_t *pp, lpos *lp)
{
    const unsigned char *b = ub(sc);
    size_t p = *pp, len = sc->len;
    int r;

    for (;;) {
        skip_ws(sc, &p, lp);
        if (p >= len)
            return R_NEED;
        if (b[p] == ']') {
            *pp = p + 1;
            return R_OK;
        }
        if (b[p] == '%') {
            FAIL(sc, *lp, p, "not well-formed XML: a parameter-entity reference in the DOCTYPE; "
                             "entity declarations and references are not supported");
            return R_ERR;
        }
        if (b[p] != '<') {
            FAIL(sc, *lp, p, "not well-formed XML: expected a declaration <!...> or ']' in the "
                             "DOCTYPE");
            return R_ERR;
        }
        if ((r = starts(sc, p, "<!--")) != 0) {
            const unsigned char *e;
            size_t s = p + 4, i;
            if (r == MORE)
                return R_NEED;
            for (i = s;; i++) {
                e = memchr(b + i, '-', len - i);
                if (!e || (size_t)(e - b) + 2 >= len)
                    return R_NEED;
                i = (size_t)(e - b);
                if (b[i + 1] == '-')
                    break;
            }
            if (check_chars(sc, s, i, lp, "in a comment") != R_OK)
                return R_ERR;
            if (b[i + 2] != '>') {
                FAIL(sc, *lp, i, "not well-formed XML: '--' inside a comment; expected '-->' to "
                                 "end it");
                return R_ERR;
            }
            p = i + 3;
            continue;
        }
        if (p + 1 < len && b[p + 1] == '?') {
            size_t s = p + 2, q = s;
            const unsigned char *e;
            r = scan_name(sc, &q, *lp);
            if (r == R_NEED)
                return R_NEED;
            if (r != R_OK) {
                if (r == R_ERR)
                    FAIL(sc, *lp, p, "not well-formed XML: '<?' not followed by a name; expected "
                                     "a processing instruction <?target ...?>");
                return R_ERR;
            }
            e = b + q;
            for (;;) {
                e = memchr(e, '?', len - (size_t)(e - b));
                if (!e || (size_t)(e - b) + 1 >= len)
                    return R_NEED;
                if (e[1] == '>')
                    break;
                e++;
            }
            if (check_chars(sc, q, (size_t)(e - b), lp, "in a processing instruction") != R_OK)
                return R_ERR;
            p = (size_t)(e - b) + 2;
            continue;
        }
        if ((r = starts(sc, p, "<!ENTITY")) != 0) {
            size_t q = p + 8, s;
            lpos elp = *lp;
            if (r == MORE)
                return R_NEED;
            skip_ws(sc, &q, lp);
            if (q < len && b[q] == '%') {
                q++;
                skip_ws(sc, &q, lp);
            }
            s = q;
            r = scan_name(sc, &q, *lp);
            if (r == R_NEED)
                return R_NEED;
            if (r == -2)
                return R_ERR;
            fail_at(sc, TG_XML_E_ENTITY, elp, sc->base + p,
                    "the document declares the entity \"%.*s\"; entity declarations are not "
                    "supported",
                    clip((const char *)b + s, q - s), (const char *)b + s);
            return R_ERR;
        }
        if ((r = starts(sc, p, "<!ELEMENT")) != 0 || (r = starts(sc, p, "<!ATTLIST")) != 0 ||
            (r = starts(sc, p, "<!NOTATION")) != 0) {
            /* skipped to its '>', over quoted literals (an attribute
             * default may hold a '>') */
            if (r == MORE)
                return R_NEED;
            for (p += 2;;) {
                unsigned c = b[p];
                if (p >= len)
                    return R_NEED;
                if (c == '>') {
                    p++;
                    break;
                }
                if (c == '"' || c == '\'') {
                    if ((r = literal(sc, &p, lp, "in the DOCTYPE")) != R_OK)
                        return r;
                } else if (c == '\n') {
                    lp->line++;
                    lp->lstart = sc->base + p + 1;
                    p++;
                } else if (c >= 0x80) {
                    int n = utf8_char(b + p, len - p);
                    if (n == -1)
                        return R_NEED;
                    if (n <= 0) {
                        bad_char(sc, *lp, p, "in the DOCTYPE");
                        return R_ERR;
                    }
                    p += (size_t)n;
                } else if (c < 0x20 && !(CLS[c] & WS)) {
                    bad_char(sc, *lp, p, "in the DOCTYPE");
                    return R_ERR;
                } else {
                    p++;
                }
            }
            continue;
        }
        FAIL(sc, *lp, p, "not well-formed XML: expected a declaration <!ELEMENT, <!ATTLIST, "
                         "<!NOTATION, a comment or ']' in the DOCTYPE");
        return R_ERR;
    }
}

/* White space that must be at *pp (what: what comes after it): R_OK past
 * it, R_NEED, R_ERR. */
static int need_ws(tg_xml_scan *sc, size_t *pp, lpos *lp, const char *what)
{
    if (skip_ws(sc, pp, lp))
        return R_OK;
    if (*pp >= sc->len)
        return R_NEED;
    FAIL(sc, *lp, *pp, "not well-formed XML: expected white space and %s", what);
    return R_ERR;
}

/* At "<!DOCTYPE": the whole declaration. R_OK with pos after it. */
static int doctype(tg_xml_scan *sc)
{
    const unsigned char *b = ub(sc);
    size_t p = sc->pos + 9, len = sc->len, lit;
    lpos lp = here(sc), lp0;
    int r;

    if (sc->doctype) {
        FAIL(sc, lp, sc->pos, "not well-formed XML: a second DOCTYPE; expected one at most");
        return R_ERR;
    }
    if ((r = need_ws(sc, &p, &lp, "the root element's name after <!DOCTYPE")) != R_OK)
        return r;
    r = scan_name(sc, &p, lp);
    if (r != R_OK) {
        if (r == R_ERR)
            FAIL(sc, lp, p, "not well-formed XML: expected the root element's name after "
                            "<!DOCTYPE");
        return r == R_NEED ? R_NEED : R_ERR;
    }
    if (skip_ws(sc, &p, &lp)) {
        if ((r = starts(sc, p, "SYSTEM")) != 0 || (r = starts(sc, p, "PUBLIC")) != 0) {
            int pub = b[p] == 'P';
            if (r == MORE)
                return R_NEED;
            p += 6;
            r = need_ws(sc, &p, &lp,
                        pub ? "a quoted literal after PUBLIC" : "a quoted literal after SYSTEM");
            if (r != R_OK)
                return r;
            lit = p;
            lp0 = lp;
            if ((r = literal(sc, &p, &lp, "(the external identifier)")) != R_OK)
                return r;
            if (pub) {
                /* PubidChar: a few ASCII characters only */
                static const char ok[] = " \r\n-'()+,./:=?;!*#@$_%";
                size_t i;
                for (i = lit + 1; i < p - 1; i++)
                    if (!((b[i] | 0x20) >= 'a' && (b[i] | 0x20) <= 'z') &&
                        !(b[i] >= '0' && b[i] <= '9') && !memchr(ok, b[i], sizeof ok - 1)) {
                        FAIL(sc, lp0, lit, "not well-formed XML: a character a public identifier "
                                        "cannot hold; expected letters, digits and "
                                        " -'()+,./:=?;!*#@$_%%");
                        return R_ERR;
                    }
                r = need_ws(sc, &p, &lp, "the system literal after the public identifier");
                if (r != R_OK)
                    return r;
                if ((r = literal(sc, &p, &lp, "(the system literal)")) != R_OK)
                    return r;
            }
            skip_ws(sc, &p, &lp);
        }
    }
    if (p >= len)
        return R_NEED;
    if (b[p] == '[') {
        p++;
        if ((r = int_subset(sc, &p, &lp)) != R_OK)
            return r;
        skip_ws(sc, &p, &lp);
    }
    if (p >= len)
        return R_NEED;
    if (b[p] != '>') {
        FAIL(sc, lp, p, "not well-formed XML: expected '>' to end the DOCTYPE");
        return R_ERR;
    }
    if (commit(sc, p + 1, lp, "a DOCTYPE") != R_OK)
        return R_ERR;
    sc->doctype = 1;
    return R_OK;
}

/* A pseudo-attribute of the XML declaration at b[*pp] named name: R_OK
 * with its value's span (and *vlp, the line where it starts), 2 when the
 * next thing is not it, R_NEED, R_ERR. */
static int pseudo(tg_xml_scan *sc, size_t *pp, lpos *lp, const char *name, size_t *vs,
                  size_t *ve, lpos *vlp)
{
    const unsigned char *b = ub(sc);
    size_t p = *pp;
    int r = starts(sc, p, name);

    if (r != 1)
        return r == MORE ? R_NEED : 2;
    p += strlen(name);
    skip_ws(sc, &p, lp);
    if (p >= sc->len)
        return R_NEED;
    if (b[p] != '=') {
        FAIL(sc, *lp, p, "not well-formed XML: expected '=' after %s in the XML declaration",
             name);
        return R_ERR;
    }
    p++;
    skip_ws(sc, &p, lp);
    *vs = p + 1;
    *vlp = *lp;
    if ((r = literal(sc, &p, lp, "in the XML declaration")) != R_OK)
        return r;
    *ve = p - 1;
    *pp = p;
    return R_OK;
}

static int version_ok(const unsigned char *v, size_t n)
{
    size_t i;

    if (n < 3 || v[0] != '1' || v[1] != '.')
        return 0;
    for (i = 2; i < n; i++)
        if (v[i] < '0' || v[i] > '9')
            return 0;
    return 1;
}

/* The encoding name is checked, not followed: the input must be UTF-8. */
static int encoding_ok(const unsigned char *v, size_t n)
{
    size_t i;

    if (n == 0 || (v[0] | 0x20) < 'a' || (v[0] | 0x20) > 'z')
        return 0;
    for (i = 1; i < n; i++)
        if (!(CLS[v[i]] & N))
            return 0;
    return 1;
}

static int standalone_ok(const unsigned char *v, size_t n)
{
    return (n == 3 && memcmp(v, "yes", 3) == 0) || (n == 2 && memcmp(v, "no", 2) == 0);
}

/* At "<?xml" followed by white space, at the start of the file: version,
 * encoding and standalone, in that order, the first required. */
static int xml_decl(tg_xml_scan *sc)
{
    static const struct {
        const char *name;
        int (*ok)(const unsigned char *, size_t);
        const char *msg;
    } pseudos[] = {
        {"version", version_ok,
         "the XML declaration has no version 1.x; expected <?xml version=\"1.0\" "
         "encoding=\"UTF-8\"?>"},
        {"encoding", encoding_ok,
         "the encoding name in the XML declaration is not one; expected encoding=\"UTF-8\""},
        {"standalone", standalone_ok, "standalone in the XML declaration is neither yes nor no"},
    };
    const unsigned char *b = ub(sc);
    size_t p = sc->pos + 5, vs = 0, ve = 0, i;
    lpos lp = here(sc), vlp = lp;
    int r, ws = skip_ws(sc, &p, &lp);

    for (i = 0; i < sizeof pseudos / sizeof pseudos[0]; i++) {
        r = ws ? pseudo(sc, &p, &lp, pseudos[i].name, &vs, &ve, &vlp) : 2;
        if (r == R_NEED || r == R_ERR)
            return r;
        if (r == 2 && i > 0)
            continue; /* optional */
        if (r == 2 || !pseudos[i].ok(b + vs, ve - vs)) {
            FAIL(sc, r == 2 ? lp : vlp, r == 2 ? p : vs, "not well-formed XML: %s",
                 pseudos[i].msg);
            return R_ERR;
        }
        ws = skip_ws(sc, &p, &lp);
    }
    if (p + 1 >= sc->len)
        return R_NEED;
    if (b[p] != '?' || b[p + 1] != '>') {
        FAIL(sc, lp, p, "not well-formed XML: expected '?>' to end the XML declaration (version, "
                        "encoding, standalone, in that order)");
        return R_ERR;
    }
    if (commit(sc, p + 2, lp, "the XML declaration") != R_OK)
        return R_ERR;
    sc->seen = 1;
    return R_OK;
}

/* Runs a whole-read scanner (doctype, xml_decl, a tag) until it has its
 * bytes: on R_NEED more are read and it starts again from sc->pos. */
static int whole(tg_xml_scan *sc, int (*fn)(tg_xml_scan *, void *), void *arg, const char *what)
{
    for (;;) {
        limit l;
        int r;
        limit_on(sc, sc->pos, &l);
        r = fn(sc, arg);
        limit_off(sc, &l);
        if (r != R_NEED)
            return r;
        if (sc->len - sc->pos > sc->max_markup) {
            too_long(sc, sc->pos, here(sc), what);
            return R_ERR;
        }
        if (sc->eof) {
            truncated(sc, sc->pos, here(sc));
            return R_ERR;
        }
        if (refill(sc, sc->pos) != R_OK)
            return R_ERR;
    }
}

static int doctype_fn(tg_xml_scan *sc, void *arg)
{
    (void)arg;
    return doctype(sc);
}

static int xml_decl_fn(tg_xml_scan *sc, void *arg)
{
    (void)arg;
    return xml_decl(sc);
}

/* ---- outside the root element ------------------------------------------------- */

/* Before and after the root element: white space, comments, processing
 * instructions (and before it the XML declaration and a DOCTYPE). Returns
 * TG_XML_EOF at the end of the input (after the root; before it with
 * nothing but white space read), TG_XML_START meaning "at the root's
 * '<'" (no token), TG_XML_ERROR. */
static tg_xml_kind scan_outside(tg_xml_scan *sc)
{
    unsigned char *b;
    size_t p, len;
    int r;
    lpos lp;
    limit l;

    for (;;) {
        b = ub(sc);
        len = sc->len;
        if (sc->sub == S_COMMENT || sc->sub == S_PI) {
            r = skip_step(sc, sc->sub == S_PI);
            if (r == R_ERR)
                return TG_XML_ERROR;
            if (r == R_NEED)
                goto need;
            continue;
        }
        p = sc->pos;
        lp = here(sc);
        skip_ws(sc, &p, &lp);
        sc->pos = p;
        sc->line = lp.line;
        sc->lstart = lp.lstart;
        if (p >= len)
            goto need;
        if (b[p] != '<') {
            if (!sc->seen && sc->mode == M_PROLOG) {
                lpos first = {1, 0};
                return fail_at(sc, TG_XML_E_NOT_XML, first, 0,
                               "not XML: expected a document starting with a tag or <?xml ...?>");
            }
            if (b[p] >= 0x80 && utf8_char(b + p, len - p) == -1 && !sc->eof)
                goto need; /* a character cut by the end of the bytes at hand */
            if (b[p] >= 0x20 && (b[p] < 0x80 || utf8_char(b + p, len - p) > 0))
                return FAIL(sc, lp, p,
                            "not well-formed XML: text %s the root element; expected only white "
                            "space, comments and processing instructions there",
                            sc->mode == M_PROLOG ? "before" : "after");
            return bad_char(sc, lp, p, "outside the root element");
        }
        if (p + 1 >= len)
            goto need;
        if (b[p + 1] == '!') {
            if ((r = starts(sc, p, "<!--")) == 1) {
                sc->pos = p + 4;
                sc->sub = S_COMMENT;
                sc->seen = 1;
                continue;
            }
            if (r == MORE)
                goto need;
            if (sc->mode == M_PROLOG && (r = starts(sc, p, "<!DOCTYPE")) != 0) {
                if (r == MORE)
                    goto need;
                if (whole(sc, doctype_fn, NULL, "a DOCTYPE") != R_OK)
                    return TG_XML_ERROR;
                sc->seen = 1;
                continue;
            }
            return FAIL(sc, lp, p,
                        "not well-formed XML: '<!' %s the root element; expected a comment <!-- "
                        "-->%s",
                        sc->mode == M_PROLOG ? "before" : "after",
                        sc->mode == M_PROLOG ? " or a DOCTYPE" : "");
        }
        if (b[p + 1] == '?') {
            if (p + 5 >= len && !sc->eof)
                goto need;
            if (sc->base + p == sc->bom && p + 5 < len && memcmp(b + p, "<?xml", 5) == 0 &&
                (CLS[b[p + 5]] & WS)) {
                if (whole(sc, xml_decl_fn, NULL, "the XML declaration") != R_OK)
                    return TG_XML_ERROR;
                continue;
            }
            limit_on(sc, p, &l);
            r = pi_start(sc, p);
            limit_off(sc, &l);
            if (r == R_ERR)
                return TG_XML_ERROR;
            if (r == R_NEED)
                goto need;
            sc->seen = 1;
            continue;
        }
        if (sc->mode == M_PROLOG && b[p + 1] != '/')
            return TG_XML_START;
        if (b[p + 1] == '/')
            return FAIL(sc, lp, p, "not well-formed XML: an end tag %s the root element; expected "
                                   "%s",
                        sc->mode == M_PROLOG ? "before" : "after",
                        sc->mode == M_PROLOG ? "the root's start tag" : "the end of the document");
        {
            /* the element's name, quoted when it is short */
            size_t q = p + 1;
            limit_to(sc, p, 64, &l);
            r = scan_name(sc, &q, lp);
            limit_off(sc, &l);
            if (r == R_NEED && !l.on && !sc->eof)
                goto need; /* the name may go on */
            if (r == -2)
                return TG_XML_ERROR;
            if (r == R_ERR)
                return FAIL(sc, lp, p, "not well-formed XML: '<' not followed by a name; "
                                       "expected the end of the document");
            if (r != R_OK)
                return FAIL(sc, lp, p, "not well-formed XML: an element after the root element; "
                                       "expected one root element and nothing after it but "
                                       "comments");
            return FAIL(sc, lp, p,
                        "not well-formed XML: <%.*s> after the root element; expected one root "
                        "element and nothing after it but comments",
                        clip((const char *)b + p + 1, q - p - 1), (const char *)b + p + 1);
        }
    need:
        lp = here(sc);
        if (sc->len - sc->pos > sc->max_markup)
            return too_long(sc, sc->pos, lp, "markup");
        if (sc->eof) {
            if (sc->sub != S_TEXT || sc->pos < sc->len)
                return truncated(sc, sc->pos, lp);
            if (sc->mode == M_PROLOG && sc->seen)
                return truncated(sc, sc->pos, lp);
            return TG_XML_EOF;
        }
        if (refill(sc, sc->pos) != R_OK)
            return TG_XML_ERROR;
    }
}

/* ---- tags --------------------------------------------------------------------- */

typedef struct aname {
    const char *s;
    size_t len, i;
} aname;

static int cmp_aname(const void *a, const void *b)
{
    const aname *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);

    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Index of an attribute whose name an earlier one already has, or
 * (size_t)-1; (size_t)-2 out of memory. Pairwise for a few, sorted for
 * many. */
static size_t dup_attr(tg_xml_scan *sc)
{
    size_t n = sc->nattrs, i, j, found = (size_t)-1;
    const tg_xml_attr *a = sc->attrs;
    aname *s;

    if (n <= 16) {
        for (i = 1; i < n; i++)
            for (j = 0; j < i; j++)
                if (a[i].name_len == a[j].name_len && memcmp(a[i].name, a[j].name, a[i].name_len) == 0)
                    return i;
        return (size_t)-1;
    }
    s = malloc(n * sizeof *s);
    if (!s)
        return (size_t)-2;
    for (i = 0; i < n; i++) {
        s[i].s = a[i].name;
        s[i].len = a[i].name_len;
        s[i].i = i;
    }
    qsort(s, n, sizeof *s, cmp_aname);
    for (i = 1; i < n; i++)
        if (s[i].len == s[i - 1].len && memcmp(s[i].s, s[i - 1].s, s[i].len) == 0 &&
            (found == (size_t)-1 || s[i].i < found))
            found = s[i].i;
    free(s);
    return found;
}

/* Decodes an attribute value in place (its references were checked):
 * references, and white space to spaces (a CR LF pair to one). */
static size_t decode_value(char *v, size_t n)
{
    size_t i = 0, o = 0;

    while (i < n) {
        char c = v[i];
        if (c == '&') {
            unsigned long cp = 0;
            if (v[i + 1] == '#') {
                size_t j = i + 2;
                unsigned base = 10;
                int d;
                if (v[j] == 'x') {
                    base = 16;
                    j++;
                }
                for (; (d = hexval((unsigned char)v[j])) >= 0 && (unsigned)d < base; j++)
                    cp = cp > 0x10FFFF ? cp : cp * base + (unsigned)d;
                i = j + 1;
            } else {
                switch (v[i + 1]) {
                case 'a': cp = v[i + 2] == 'm' ? '&' : '\''; break;
                case 'l': cp = '<'; break;
                case 'g': cp = '>'; break;
                default: cp = '"'; break;
                }
                i = (char *)memchr(v + i, ';', n - i) - v + 1;
            }
            o += tg_i_utf8_put(v + o, (unsigned)cp);
        } else if (c == '\r') {
            v[o++] = ' ';
            i += i + 1 < n && v[i + 1] == '\n' ? 2 : 1;
        } else if (c == '\t' || c == '\n') {
            v[o++] = ' ';
            i++;
        } else {
            v[o++] = v[i++];
        }
    }
    return o;
}

/* The namespace URI bound to prefix p (len 0: the default namespace) in
 * scope: its declaration, or NULL. */
static const tg_xml_decl *find_ns(const tg_xml_scan *sc, const char *p, size_t len)
{
    size_t i = sc->ndecls;

    while (i-- > 0) {
        const tg_xml_decl *d = &sc->decls[i];
        if (d->prefix_len == len && memcmp(sc->nsbuf + d->prefix_off, p, len) == 0)
            return d;
    }
    return NULL;
}

static int add_ns(tg_xml_scan *sc, const char *prefix, size_t plen, const char *uri, size_t ulen)
{
    tg_xml_decl *d;

    if (tg_i_grow((void **)&sc->decls, &sc->capdecls, sc->ndecls + 1, sizeof *sc->decls) != 0 ||
        tg_i_grow((void **)&sc->nsbuf, &sc->capnsbuf, sc->nnsbuf + plen + ulen + 1, 1) != 0)
        return -1;
    d = &sc->decls[sc->ndecls++];
    d->prefix_off = sc->nnsbuf;
    d->prefix_len = plen;
    memcpy(sc->nsbuf + sc->nnsbuf, prefix, plen);
    sc->nnsbuf += plen;
    d->uri_off = sc->nnsbuf;
    d->uri_len = ulen;
    memcpy(sc->nsbuf + sc->nnsbuf, uri, ulen);
    sc->nnsbuf += ulen;
    d->id = sc->next_ns_id++;
    if (plen == 0)
        sc->dflt = sc->ndecls;
    return 0;
}

/* Fills t's namespace fields for the element named t->name, whose prefix
 * ends at colon (NULL: it has none). */
static inline void resolve(const tg_xml_scan *sc, tg_xml_token *t, const char *colon)
{
    const tg_xml_decl *d;
    static const char xml_ns[] = "http://www.w3.org/XML/1998/namespace";

    t->local = t->name;
    t->local_len = t->name_len;
    t->ns = "";
    t->ns_len = 0;
    t->ns_id = TG_XML_NS_NONE;
    if (colon) {
        size_t plen = (size_t)(colon - t->name);
        t->local = colon + 1;
        t->local_len = t->name_len - plen - 1;
        if (plen == 3 && memcmp(t->name, "xml", 3) == 0) {
            t->ns = xml_ns;
            t->ns_len = sizeof xml_ns - 1;
            t->ns_id = TG_XML_NS_XML;
            return;
        }
        d = find_ns(sc, t->name, plen);
        if (!d || d->uri_len == 0) {
            t->ns_id = TG_XML_NS_UNBOUND;
            return;
        }
    } else {
        d = sc->dflt ? &sc->decls[sc->dflt - 1] : NULL;
        if (!d || d->uri_len == 0)
            return;
    }
    t->ns = sc->nsbuf + d->uri_off;
    t->ns_len = d->uri_len;
    t->ns_id = d->id;
}

/* At '<' + a name start: the whole start tag. R_OK with the token in t. */
static int start_tag(tg_xml_scan *sc, tg_xml_token *t)
{
    unsigned char *b = ub(sc);
    size_t tok = sc->pos, p = tok + 1, len = sc->len, nend, i;
    lpos lp = here(sc);
    int r, empty, n;
    const char *colon;

    sc->nattrs = 0;
    r = scan_name(sc, &p, lp);
    if (r != R_OK) {
        if (r == R_ERR)
            FAIL(sc, lp, tok, "not well-formed XML: '<' not followed by a name; expected a tag "
                              "(write &lt; for a literal '<')");
        return r == R_NEED ? R_NEED : R_ERR;
    }
    nend = p;
    for (;;) {
        int ws = skip_ws(sc, &p, &lp);
        size_t an, anend, vs;
        unsigned char q;
        long vline, vcol, nline, ncol;
        lpos nlp;
        int dec = 0;
        tg_xml_attr *a;
        if (b[p] == '>') {
            p++;
            empty = 0;
            break;
        }
        if (b[p] == '/') {
            if (p + 1 >= len)
                return R_NEED;
            if (b[p + 1] != '>') {
                FAIL(sc, lp, p, "not well-formed XML: '/' inside a tag; expected '/>' to end an "
                                "empty element");
                return R_ERR;
            }
            p += 2;
            empty = 1;
            break;
        }
        if (p >= len)
            return R_NEED;
        an = p;
        r = scan_name(sc, &p, lp);
        if (r == R_NEED)
            return R_NEED;
        if (r == -2)
            return R_ERR;
        if (r == R_ERR) {
            if (b[p] >= 0x20 && b[p] < 0x80)
                FAIL(sc, lp, p, "not well-formed XML: '%c' inside the tag <%.*s>; expected an "
                                "attribute name, '>' or '/>'",
                     b[p], clip((const char *)b + tok + 1, nend - tok - 1),
                     (const char *)b + tok + 1);
            else
                bad_char(sc, lp, p, "in a tag");
            return R_ERR;
        }
        if (!ws) {
            FAIL(sc, lp, an, "not well-formed XML: expected white space before the attribute "
                             "%.*s",
                 clip((const char *)b + an, p - an), (const char *)b + an);
            return R_ERR;
        }
        nline = lp.line;
        ncol = (long)(sc->base + an - lp.lstart + 1);
        anend = p;
        nlp = lp;
        skip_ws(sc, &p, &lp);
        if (p >= len)
            return R_NEED;
        if (b[p] != '=') {
            FAIL(sc, nlp, an, "not well-formed XML: the attribute %.*s has no value; expected "
                             "%.*s=\"...\"",
                 clip((const char *)b + an, anend - an), (const char *)b + an,
                 clip((const char *)b + an, anend - an), (const char *)b + an);
            return R_ERR;
        }
        p++;
        skip_ws(sc, &p, &lp);
        if (p >= len)
            return R_NEED;
        q = b[p];
        if (q != '"' && q != '\'') {
            FAIL(sc, lp, p, "not well-formed XML: the value of the attribute %.*s is not quoted; "
                            "expected %.*s=\"...\"",
                 clip((const char *)b + an, anend - an), (const char *)b + an,
                 clip((const char *)b + an, anend - an), (const char *)b + an);
            return R_ERR;
        }
        vs = ++p;
        vline = lp.line;
        vcol = (long)(sc->base + vs - lp.lstart + 1);
        for (;;) {
            p = run_attr(b, p);
            if (b[p] == q)
                break;
            switch (b[p]) {
            case '"':
            case '\'': p++; break;
            case '<':
                FAIL(sc, lp, p, "not well-formed XML: '<' in the value of the attribute %.*s; "
                                "expected &lt; (or a missing closing quote)",
                     clip((const char *)b + an, anend - an), (const char *)b + an);
                return R_ERR;
            case '&': {
                size_t end;
                unsigned long cp;
                r = scan_ref(sc, p, &end, &cp, lp);
                if (r != R_OK)
                    return r;
                p = end;
                dec = 1;
                break;
            }
            case '\n':
                lp.line++;
                lp.lstart = sc->base + p + 1;
                p++;
                dec = 1;
                break;
            case '\t':
            case '\r':
                p++;
                dec = 1;
                break;
            default:
                if (p >= len)
                    return R_NEED;
                if (b[p] >= 0x80 && (n = utf8_char(b + p, len - p)) != 0 && n != -2) {
                    if (n < 0)
                        return R_NEED;
                    p += (size_t)n;
                    break;
                }
                bad_char(sc, lp, p, "in an attribute value");
                return R_ERR;
            }
        }
        if (tg_i_grow((void **)&sc->attrs, &sc->capattrs, sc->nattrs + 1, sizeof *sc->attrs) != 0 ||
            tg_i_grow((void **)&sc->decode, &sc->capdecode, sc->nattrs + 1, 1) != 0) {
            nomem(sc);
            return R_ERR;
        }
        a = &sc->attrs[sc->nattrs];
        sc->decode[sc->nattrs++] = (unsigned char)dec;
        a->name = (const char *)b + an;
        a->name_len = anend - an;
        a->value = (const char *)b + vs;
        a->value_len = p - vs;
        a->line = vline;
        a->col = vcol;
        a->name_line = nline;
        a->name_col = ncol;
        p++;
    }
    /* the tag is whole: check it, then decode and hand it out */
    t->kind = TG_XML_START;
    t->name = (const char *)b + tok + 1;
    t->name_len = nend - tok - 1;
    t->line = sc->line;
    t->col = (long)(sc->base + tok - sc->lstart + 1);
    t->end_line = lp.line;
    t->end_col = (long)(sc->base + p - lp.lstart + 1);
    t->empty = empty;
    t->leaf = 0;
    if (sc->depth >= TG_XML_MAX_DEPTH) {
        lpos at = here(sc);
        FAIL(sc, at, tok, "not well-formed XML: elements nested deeper than %d levels; expected "
                          "a document less deep",
             TG_XML_MAX_DEPTH);
        return R_ERR;
    }
    i = sc->nattrs ? dup_attr(sc) : (size_t)-1;
    if (i == (size_t)-2) {
        nomem(sc);
        return R_ERR;
    }
    if (i != (size_t)-1) {
        const tg_xml_attr *a = &sc->attrs[i];
        lpos at = {a->name_line, 0};
        fail_at(sc, TG_XML_E_SYNTAX, at, (uint64_t)a->name_col - 1,
                "not well-formed XML: the attribute %.*s is given twice in <%.*s>; expected each "
                "attribute once",
                clip(a->name, a->name_len), a->name, clip(t->name, t->name_len), t->name);
        return R_ERR;
    }
    if (commit(sc, p, lp, "a tag") != R_OK)
        return R_ERR;
    {
        size_t ndecls = sc->ndecls, dflt = sc->dflt;
        tg_xml_frame *f;
        for (i = 0; i < sc->nattrs; i++) {
            tg_xml_attr *a = &sc->attrs[i];
            if (sc->decode[i])
                a->value_len = decode_value((char *)a->value, a->value_len);
            if (a->name_len >= 5 && a->name[0] == 'x' && memcmp(a->name, "xmlns", 5) == 0 &&
                (a->name_len == 5 || a->name[5] == ':') &&
                add_ns(sc, a->name + (a->name_len > 5 ? 6 : 5),
                       a->name_len > 5 ? a->name_len - 6 : 0, a->value, a->value_len) != 0) {
                nomem(sc);
                return R_ERR;
            }
        }
        if (tg_i_grow((void **)&sc->stack, &sc->capstack, sc->depth + 1, sizeof *sc->stack) != 0 ||
            tg_i_grow((void **)&sc->names, &sc->capnames, sc->nnames + t->name_len + 8, 1) != 0) {
            nomem(sc);
            return R_ERR;
        }
        f = &sc->stack[sc->depth++];
        f->name_off = sc->nnames;
        f->name_len = t->name_len;
        f->ndecls = ndecls;
        f->dflt = dflt;
        f->line = t->line;
        memcpy(sc->names + sc->nnames, t->name, t->name_len + 8); /* the buffer's PAD */
        sc->nnames += t->name_len;
        colon = memchr(t->name, ':', t->name_len);
        f->local = colon ? (size_t)(colon - t->name) + 1 : 0;
    }
    resolve(sc, t, colon);
    t->depth = (unsigned)sc->depth;
    t->attrs = sc->attrs;
    t->nattrs = sc->nattrs;
    sc->mode = M_CONTENT;
    sc->pending_end = empty;
    return R_OK;
}

/* Closes the innermost element into an END token. */
static tg_xml_kind pop(tg_xml_scan *sc, tg_xml_token *t)
{
    const tg_xml_frame *f = &sc->stack[sc->depth - 1];

    t->kind = TG_XML_END;
    t->name = sc->names + f->name_off;
    t->name_len = f->name_len;
    t->local = t->name + f->local;
    t->local_len = f->name_len - f->local;
    t->depth = (unsigned)sc->depth;
    sc->nnames = f->name_off;
    if (sc->ndecls != f->ndecls) {
        sc->ndecls = f->ndecls;
        sc->dflt = f->dflt;
        sc->nnsbuf = sc->ndecls ? sc->decls[sc->ndecls - 1].uri_off +
                                      sc->decls[sc->ndecls - 1].uri_len
                                : 0;
    }
    if (--sc->depth == 0)
        sc->mode = M_EPILOG;
    return TG_XML_END;
}

/* At "</": the whole end tag, matched against the open element. */
static int end_tag(tg_xml_scan *sc, tg_xml_token *t)
{
    const unsigned char *b = ub(sc);
    size_t tok = sc->pos, p = tok + 2;
    lpos lp = here(sc);
    const tg_xml_frame *f = &sc->stack[sc->depth - 1];
    int r = scan_name(sc, &p, lp);

    if (r != R_OK) {
        if (r == R_ERR)
            FAIL(sc, lp, tok, "not well-formed XML: '</' not followed by a name; expected </%.*s>",
                 clip(sc->names + f->name_off, f->name_len), sc->names + f->name_off);
        return r == R_NEED ? R_NEED : R_ERR;
    }
    if (p - tok - 2 != f->name_len || memcmp(b + tok + 2, sc->names + f->name_off, f->name_len)) {
        FAIL(sc, lp, tok, "not well-formed XML: </%.*s> does not close <%.*s> (line %ld); "
                          "expected </%.*s>",
             clip((const char *)b + tok + 2, p - tok - 2), (const char *)b + tok + 2,
             clip(sc->names + f->name_off, f->name_len), sc->names + f->name_off, f->line,
             clip(sc->names + f->name_off, f->name_len), sc->names + f->name_off);
        return R_ERR;
    }
    skip_ws(sc, &p, &lp);
    if (p >= sc->len)
        return R_NEED;
    if (b[p] != '>') {
        FAIL(sc, lp, p, "not well-formed XML: expected '>' to end the end tag </%.*s",
             clip(sc->names + f->name_off, f->name_len), sc->names + f->name_off);
        return R_ERR;
    }
    t->line = sc->line;
    t->col = (long)(sc->base + tok - sc->lstart + 1);
    if (commit(sc, p + 1, lp, "an end tag") != R_OK)
        return R_ERR;
    pop(sc, t);
    return R_OK;
}

static int start_fn(tg_xml_scan *sc, void *t)
{
    return start_tag(sc, t);
}

static int end_fn(tg_xml_scan *sc, void *t)
{
    return end_tag(sc, t);
}

/* ---- the common case --------------------------------------------------------- */

/* The end of the plain text from b[q]: bytes no run stops at, line feeds
 * (counted into *line, *lstart), tabs, '>' not ending "]]>", whole UTF-8
 * characters. It stops at '<', or before whatever it cannot take or decide
 * with the bytes at hand, leaving it to the general scanner, and then
 * before any ']' just ahead of it, so that "]]>" (here, or across the end
 * of the bytes at hand) is always seen whole by the general scanner. */
static inline size_t plain_text(const tg_xml_scan *sc, const unsigned char *b, size_t q,
                                long *line, uint64_t *lstart)
{
    size_t start = q;
    int n;

    for (;;) {
        q = run_plain(b, q);
        if (b[q] == '<')
            return q;
        if (b[q] == '\n') {
            ++*line;
            *lstart = sc->base + ++q;
        } else if (b[q] == '>' && !(q >= start + 2 && b[q - 1] == ']' && b[q - 2] == ']')) {
            q++;
        } else if (b[q] == '\t') {
            q++;
        } else if (b[q] >= 0x80 && (n = utf8_char(b + q, sc->len - q)) > 0) {
            q += (size_t)n;
        } else {
            while (q > start && b[q - 1] == ']')
                q--;
            return q;
        }
    }
}

/* Whether the n bytes at a and b are the same: a name, short in practice,
 * both with 8 readable bytes after it (the buffers' PAD, the names'
 * slack). */
static int same_name(const void *a, const void *b, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (n <= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        return n == 0 || ((x ^ y) << (64 - 8 * n)) == 0;
    }
#endif
    return memcmp(a, b, n) == 0;
}

/* A start tag in its most common form, whole in the buffer at tok: a name
 * (at most one ':'), then attributes each after one space, unprefixed,
 * `name="plain value"` (no reference, white space, quote, '<'; UTF-8
 * checked), no namespace declaration, none given twice. R_OK with the token
 * in t, or R_NEED meaning "not this form" (nothing changed: the general
 * scanner reads it, and says what is wrong with it if anything is). */
static int fast_start(tg_xml_scan *sc, tg_xml_token *t, size_t tok)
{
    const unsigned char *b = ub(sc);
    size_t q = tok + 1, nend, n = 0, i, j;
    const char *colon = NULL;
    long col0 = (long)(sc->base - sc->lstart + 1); /* + offset: the column */
    tg_xml_frame *f;
    int empty, n8;

    if (!(CLS[b[q]] & NS) || b[q] == ':')
        return R_NEED;
    q++;
    for (;;) {
        while (CLS[b[q]] & N)
            q++;
        if (b[q] != ':' || colon)
            break;
        colon = (const char *)b + q++;
    }
    if (b[q] >= 0x80 || sc->depth >= TG_XML_MAX_DEPTH)
        return R_NEED;
    nend = q;
    for (;;) {
        size_t an, anend, vs;
        tg_xml_attr *a;
        if (b[q] == '>') {
            q++;
            empty = 0;
            break;
        }
        if (b[q] == '/') {
            if (b[q + 1] != '>')
                return R_NEED;
            q += 2;
            empty = 1;
            break;
        }
        if (b[q] != ' ' || !(CLS[b[q + 1]] & NS) || b[q + 1] == ':')
            return R_NEED;
        an = ++q;
        q++;
        while (CLS[b[q]] & N)
            q++;
        if (b[q] != '=' || b[q + 1] != '"')
            return R_NEED;
        anend = q;
        q += 2;
        vs = q;
        for (;;) {
            q = run_attr(b, q);
            if (b[q] < 0x80 || (n8 = utf8_char(b + q, sc->len - q)) <= 0)
                break;
            q += (size_t)n8;
        }
        if (b[q] != '"')
            return R_NEED;
        if (anend - an == 5 && memcmp(b + an, "xmlns", 5) == 0)
            return R_NEED;
        if (n == sc->capattrs && tg_i_grow((void **)&sc->attrs, &sc->capattrs, n + 1, sizeof *a) != 0)
            return R_NEED; /* the general scanner reports it */
        a = &sc->attrs[n++];
        a->name = (const char *)b + an;
        a->name_len = anend - an;
        a->value = (const char *)b + vs;
        a->value_len = q - vs;
        a->line = a->name_line = sc->line;
        a->col = col0 + (long)vs;
        a->name_col = col0 + (long)an;
        q++;
    }
    if (q - tok > sc->max_markup)
        return R_NEED;
    for (i = 1; i < n; i++)
        for (j = 0; j < i; j++)
            if (sc->attrs[i].name_len == sc->attrs[j].name_len &&
                same_name(sc->attrs[i].name, sc->attrs[j].name, sc->attrs[i].name_len))
                return R_NEED;
    t->kind = TG_XML_START;
    t->name = (const char *)b + tok + 1;
    t->name_len = nend - tok - 1;
    t->line = t->end_line = sc->line;
    t->col = col0 + (long)tok;
    t->end_col = col0 + (long)q;
    t->empty = empty;
    t->attrs = sc->attrs;
    t->nattrs = sc->nattrs = n;
    t->leaf = 0;
    if (sc->opts & TG_XML_LEAVES) {
        /* plain text, then this element's end tag: the element is one token */
        size_t r = q, nlen = t->name_len;
        long line = sc->line;
        uint64_t lstart = sc->lstart;
        if (!empty) {
            r = plain_text(sc, b, r, &line, &lstart);
            if (b[r] != '<' || b[r + 1] != '/' || r + 2 + nlen >= sc->len ||
                b[r + 2 + nlen] != '>' || !same_name(b + r + 2, t->name, nlen))
                goto open;
        }
        t->leaf = 1;
        t->text = (const char *)b + q;
        t->text_len = empty ? 0 : r - q;
        resolve(sc, t, colon);
        t->depth = (unsigned)sc->depth + 1;
        sc->pos = empty ? q : r + 3 + nlen;
        sc->line = line;
        sc->lstart = lstart;
        return R_OK;
    }
open:
    if (tg_i_grow((void **)&sc->stack, &sc->capstack, sc->depth + 1, sizeof *sc->stack) != 0 ||
        tg_i_grow((void **)&sc->names, &sc->capnames, sc->nnames + t->name_len + 8, 1) != 0)
        return R_NEED;
    f = &sc->stack[sc->depth++];
    f->name_off = sc->nnames;
    f->name_len = t->name_len;
    f->local = colon ? (size_t)(colon - t->name) + 1 : 0;
    f->ndecls = sc->ndecls;
    f->dflt = sc->dflt;
    f->line = sc->line;
    memcpy(sc->names + sc->nnames, t->name, t->name_len + 8); /* the buffer's PAD */
    sc->nnames += t->name_len;
    resolve(sc, t, colon);
    t->depth = (unsigned)sc->depth;
    sc->pending_end = empty;
    sc->pos = q;
    return R_OK;
}

/* Inside the root element, with no text run open: plain text (bytes no
 * loop stops at, line feeds) up to a tag, a plain start tag (fast_start),
 * an end tag `</name>` of the open element. Returns the token, or
 * TG_XML_EOF for "let the general scanners go on" (having consumed only
 * plain text, opened as a text run). */
static tg_xml_kind fast(tg_xml_scan *sc, tg_xml_token *t)
{
    const unsigned char *b = ub(sc);
    size_t p = sc->pos, q = p;
    long line = sc->line;
    uint64_t lstart = sc->lstart;

    if (b[q] != '<')
        q = plain_text(sc, b, q, &line, &lstart);
    if (b[q] != '<' || (b[q + 1] != '/' && !(CLS[b[q + 1]] & NS))) {
        if (q > p) { /* more than plain text: the general scanner goes on from q */
            sc->intext = 1;
            sc->tstart = p;
            sc->tout = sc->pos = q;
            sc->tline = sc->line;
            sc->tcol = (long)(sc->base + p - sc->lstart + 1);
            sc->line = line;
            sc->lstart = lstart;
        }
        return TG_XML_EOF;
    }
    if (q > p && (sc->opts & TG_XML_SKIP_BLANK) && b[q + 1] != '/') {
        size_t i = p;
        while (i < q && (CLS[b[i]] & WS))
            i++;
        if (i == q) { /* white space before a start tag: skipped */
            sc->line = line;
            sc->lstart = lstart;
            sc->pos = p = q;
        }
    }
    if (q > p) {
        t->kind = TG_XML_TEXT;
        t->text = (const char *)b + p;
        t->text_len = q - p;
        t->more = 0;
        t->line = sc->line;
        t->col = (long)(sc->base + p - sc->lstart + 1);
        sc->line = line;
        sc->lstart = lstart;
        sc->pos = q;
        return TG_XML_TEXT;
    }
    if (b[q + 1] == '/') {
        const tg_xml_frame *f = &sc->stack[sc->depth - 1];
        const char *name = sc->names + f->name_off;
        size_t n = f->name_len;
        if (q + 2 + n >= sc->len || b[q + 2 + n] != '>' || !same_name(b + q + 2, name, n))
            return TG_XML_EOF;
        t->line = sc->line;
        t->col = (long)(sc->base + q - sc->lstart + 1);
        sc->pos = q + 3 + n;
        return pop(sc, t);
    }
    return fast_start(sc, t, q) == R_OK ? TG_XML_START : TG_XML_EOF;
}

/* ---- the token loop ------------------------------------------------------------ */

void tg_i_xml_init(tg_xml_scan *sc, tg_xml_read_fn read, void *ctx, size_t max_markup,
                   unsigned opts)
{
    memset(sc, 0, sizeof *sc);
    sc->read = read;
    sc->read_ctx = ctx;
    sc->max_markup = max_markup ? max_markup : MARKUP_DEFAULT;
    sc->opts = opts;
    sc->line = 1;
    sc->prev = -1;
    sc->next_ns_id = TG_XML_NS_XML + 1;
}

void tg_i_xml_destroy(tg_xml_scan *sc)
{
    free(sc->buf[0]);
    free(sc->buf[1]);
    free(sc->stack);
    free(sc->names);
    free(sc->decls);
    free(sc->nsbuf);
    free(sc->attrs);
    free(sc->decode);
    memset(sc, 0, sizeof *sc);
}

uint64_t tg_i_xml_offset(const tg_xml_scan *sc)
{
    return sc->base + sc->pos;
}

/* The first bytes: UTF-16/UTF-32 refused, a UTF-8 byte order mark skipped. */
static tg_xml_kind start_input(tg_xml_scan *sc)
{
    const unsigned char *b;
    lpos first = {1, 0};

    while (sc->len < 4 && !sc->eof)
        if (refill(sc, 0) != R_OK)
            return TG_XML_ERROR;
    b = ub(sc);
    if ((sc->len >= 1 && b[0] == 0) ||
        (sc->len >= 2 && (b[1] == 0 || (b[0] == 0xFE && b[1] == 0xFF) ||
                          (b[0] == 0xFF && b[1] == 0xFE))))
        return fail_at(sc, TG_XML_E_WIDE, first, 0,
                       "the file starts with a NUL byte or a UTF-16 byte order mark: it is not "
                       "UTF-8 text (UTF-16, UTF-32 or binary?); expected UTF-8");
    if (sc->len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        sc->pos = sc->bom = 3;
    return TG_XML_EOF;
}

tg_xml_kind tg_i_xml_next(tg_xml_scan *sc, tg_xml_token *t)
{
    tg_xml_kind k;
    int r;

    t->kind = TG_XML_ERROR;
    if (sc->status != TG_OK)
        return TG_XML_ERROR;
    if (sc->done)
        return t->kind = TG_XML_EOF;
    if (sc->pending_end) {
        sc->pending_end = 0;
        t->line = sc->line;
        t->col = (long)(sc->base + sc->pos - sc->lstart + 1);
        return pop(sc, t);
    }
    if (sc->prev < 0) {
        sc->prev = !sc->cur; /* nothing handed out yet */
        if ((k = start_input(sc)) != TG_XML_EOF)
            return k;
    }
    if (sc->mode == M_CONTENT && !sc->intext && sc->sub == S_TEXT) {
        k = fast(sc, t);
        if (k != TG_XML_EOF) {
            if (k != TG_XML_END)
                sc->prev = sc->cur;
            return k;
        }
    }
    for (;;) {
        if (sc->mode == M_CONTENT) {
            k = scan_content(sc, t);
            if (k == TG_XML_TEXT) {
                sc->prev = sc->cur;
                return k;
            }
            if (k == TG_XML_ERROR)
                return k;
            /* at the '<' of a tag */
            if (ub(sc)[sc->pos + 1] == '/')
                r = whole(sc, end_fn, t, "an end tag");
            else
                r = whole(sc, start_fn, t, "a tag");
        } else {
            k = scan_outside(sc);
            if (k == TG_XML_EOF) {
                sc->done = 1;
                return t->kind = TG_XML_EOF;
            }
            if (k == TG_XML_ERROR)
                return k;
            r = whole(sc, start_fn, t, "a tag");
        }
        if (r != R_OK)
            return TG_XML_ERROR;
        if (t->kind == TG_XML_START)
            sc->prev = sc->cur;
        return t->kind;
    }
}
