/* lexer.c — the query language's tokenizer (see lexer.h).
 *
 * Invariants: lx->pos only moves forward; lx->line/line_start always
 * describe the line holding lx->pos; a token never spans past lx->len; every
 * token handed out has been validated, so the decoders (tg_token_string,
 * tg_token_name, tg_token_float) only fail when memory runs out. Text is
 * treated as UTF-8: non-ASCII letters may appear in names; punctuation and
 * spaces outside ASCII are rejected (or skipped, for spaces) by code point.
 */
#include "lexer.h"

#include "utf8.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tg_lexer_init(tg_lexer *lx, const char *text, size_t len)
{
    lx->text = text;
    lx->len = len;
    lx->pos = 0;
    lx->line = 1;
    lx->line_start = 0;
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_hex(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int hex_value(int c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c - 'A' + 10;
}

static size_t utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Non-ASCII spaces that separate tokens like ASCII blanks do. */
static int is_unicode_space(uint32_t cp)
{
    return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* Non-ASCII code points that cannot be part of a name: punctuation and
 * symbol blocks (so that an em dash in `42 — 41` is an invalid character
 * rather than a name). */
static int is_unicode_punct(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0xBF && cp != 0xAA && cp != 0xB5 && cp != 0xBA) ||
           cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
           (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFF20);
}

static tg_status lex_error(tg_lexer *lx, size_t at, tg_error *err, const char *msg,
                           const char *detail)
{
    /* `at` may lie on a later line than lx->line when a string spans lines. */
    long line = lx->line;
    size_t line_start = lx->line_start;
    for (size_t i = line_start; i < at && i < lx->len; i++) {
        if (lx->text[i] == '\n') {
            line++;
            line_start = i + 1;
        }
    }
    return tg_error_set(err, TG_ESYNTAX, NULL, line, (long)(at - line_start) + 1, "%s%s", msg,
                        detail ? detail : "");
}

static void advance_newline(tg_lexer *lx, size_t i)
{
    lx->line++;
    lx->line_start = i + 1;
}

/* Accounts for the newlines inside a multi-line token text[from..to). */
static void count_newlines(tg_lexer *lx, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (lx->text[i] == '\n')
            advance_newline(lx, i);
}

/* Skips blanks and comments. Fails only on an unterminated block comment or
 * bytes that are not UTF-8. */
static tg_status skip_blanks(tg_lexer *lx, tg_error *err)
{
    const unsigned char *s = (const unsigned char *)lx->text;
    while (lx->pos < lx->len) {
        unsigned c = s[lx->pos];
        if (c == '\n') {
            advance_newline(lx, lx->pos);
            lx->pos++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            lx->pos++;
        } else if (c == '/' && lx->pos + 1 < lx->len && s[lx->pos + 1] == '/') {
            while (lx->pos < lx->len && s[lx->pos] != '\n')
                lx->pos++;
        } else if (c == '/' && lx->pos + 1 < lx->len && s[lx->pos + 1] == '*') {
            size_t open = lx->pos;
            long open_line = lx->line;
            size_t open_line_start = lx->line_start;
            lx->pos += 2;
            for (;;) {
                if (lx->pos + 1 >= lx->len) {
                    lx->pos = open;
                    lx->line = open_line;
                    lx->line_start = open_line_start;
                    return lex_error(lx, open, err, "unterminated comment: '/*' has no '*/'",
                                     NULL);
                }
                if (s[lx->pos] == '*' && s[lx->pos + 1] == '/') {
                    lx->pos += 2;
                    break;
                }
                if (s[lx->pos] == '\n')
                    advance_newline(lx, lx->pos);
                lx->pos++;
            }
        } else if (c >= 0x80) {
            uint32_t cp;
            size_t n = tg_utf8_decode(s + lx->pos, lx->len - lx->pos, &cp);
            if (n == 0)
                return lex_error(lx, lx->pos, err, "invalid UTF-8 byte sequence", NULL);
            if (!is_unicode_space(cp))
                break;
            lx->pos += n;
        } else {
            break;
        }
    }
    return TG_OK;
}

/* Length of a name starting at s[pos] (letters, digits, '_', non-ASCII
 * letters); 0 when s[pos] cannot start one. Stops at invalid UTF-8. */
static size_t name_length(const tg_lexer *lx, size_t pos, int allow_digit_start)
{
    const unsigned char *s = (const unsigned char *)lx->text;
    size_t i = pos;
    while (i < lx->len) {
        unsigned c = s[i];
        if (is_alpha((int)c) || (is_digit((int)c) && (i > pos || allow_digit_start))) {
            i++;
        } else if (c >= 0x80) {
            uint32_t cp;
            size_t n = tg_utf8_decode(s + i, lx->len - i, &cp);
            if (n == 0 || is_unicode_punct(cp) || is_unicode_space(cp))
                break;
            i += n;
        } else {
            break;
        }
    }
    return i - pos;
}

/* Validates a quoted string or backquoted name starting at lx->pos;
 * sets *end past the closing quote. */
static tg_status scan_quoted(tg_lexer *lx, size_t *end, tg_error *err)
{
    const char *s = lx->text;
    char q = s[lx->pos];
    size_t i = lx->pos + 1;
    tg_status st = TG_OK;
    for (;;) {
        if (i >= lx->len) {
            st = lex_error(lx, lx->pos, err,
                           q == '`' ? "unterminated name: missing closing '`'"
                                    : "unterminated string: missing closing quote",
                           NULL);
            goto done;
        }
        char c = s[i];
        if (c == q) {
            if (q == '`' && i + 1 < lx->len && s[i + 1] == '`') {
                i += 2;
                continue;
            }
            i++;
            break;
        }
        if (c == '\\' && q != '`') {
            if (i + 1 >= lx->len) {
                i++;
                continue; /* reported as unterminated */
            }
            char e = s[i + 1];
            switch (e) {
            case '\\': case '\'': case '"': case 'n': case 't': case 'r': case 'b': case 'f':
                i += 2;
                break;
            case 'u':
            case 'U': {
                size_t ndig = e == 'u' ? 4 : 8;
                uint32_t cp = 0;
                for (size_t k = 0; k < ndig; k++) {
                    if (i + 2 + k >= lx->len || !is_hex((unsigned char)s[i + 2 + k])) {
                        st = lex_error(lx, i, err, e == 'u'
                                           ? "invalid Unicode escape: '\\u' needs 4 hexadecimal digits"
                                           : "invalid Unicode escape: '\\U' needs 8 hexadecimal digits",
                                       NULL);
                        goto done;
                    }
                    cp = cp * 16 + (uint32_t)hex_value((unsigned char)s[i + 2 + k]);
                }
                if (cp >= 0xD800 && cp <= 0xDBFF && e == 'u' && i + 11 < lx->len &&
                    s[i + 6] == '\\' && s[i + 7] == 'u') {
                    uint32_t lo = 0;
                    int ok = 1;
                    for (size_t k = 0; k < 4; k++) {
                        if (!is_hex((unsigned char)s[i + 8 + k]))
                            ok = 0;
                        else
                            lo = lo * 16 + (uint32_t)hex_value((unsigned char)s[i + 8 + k]);
                    }
                    if (ok && lo >= 0xDC00 && lo <= 0xDFFF) {
                        i += 12;
                        break;
                    }
                }
                if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                    st = lex_error(lx, i, err, "invalid Unicode escape: not a Unicode scalar value",
                                   NULL);
                    goto done;
                }
                i += 2 + ndig;
                break;
            }
            default:
                st = lex_error(lx, i, err,
                               "invalid escape sequence in string; valid escapes are "
                               "\\\\ \\' \\\" \\n \\t \\r \\b \\f \\uXXXX \\UXXXXXXXX",
                               NULL);
                goto done;
            }
            continue;
        }
        i++;
    }
    *end = i;
done:
    return st;
}

/* Scans a number at lx->pos: decimal/hex/octal integer or float. */
static tg_status scan_number(tg_lexer *lx, tg_token *tok, tg_error *err)
{
    const char *s = lx->text;
    size_t i = lx->pos;
    size_t n = lx->len;
    tg_token_kind kind = TG_TK_INT;
    tg_status st = TG_OK;
    if (s[i] == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X' || s[i + 1] == 'o' ||
                                     s[i + 1] == 'O')) {
        int hex = s[i + 1] == 'x' || s[i + 1] == 'X';
        i += 2;
        size_t digits = i;
        while (i < n && (hex ? is_hex((unsigned char)s[i]) : (s[i] >= '0' && s[i] <= '7')))
            i++;
        if (i == digits || (i < n && (is_alpha((unsigned char)s[i]) || is_digit((unsigned char)s[i]) ||
                                      (unsigned char)s[i] >= 0x80))) {
            st = lex_error(lx, lx->pos, err,
                           hex ? "invalid hexadecimal integer literal"
                               : "invalid octal integer literal",
                           NULL);
            goto done;
        }
    } else {
        while (i < n && is_digit((unsigned char)s[i]))
            i++;
        if (i < n && s[i] == '.' && i + 1 < n && is_digit((unsigned char)s[i + 1])) {
            kind = TG_TK_FLOAT;
            i++;
            while (i < n && is_digit((unsigned char)s[i]))
                i++;
        }
        if (i < n && (s[i] == 'e' || s[i] == 'E')) {
            size_t j = i + 1;
            if (j < n && (s[j] == '+' || s[j] == '-'))
                j++;
            if (j < n && is_digit((unsigned char)s[j])) {
                kind = TG_TK_FLOAT;
                i = j;
                while (i < n && is_digit((unsigned char)s[i]))
                    i++;
            }
        }
        if (i < n && (is_alpha((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)) {
            st = lex_error(lx, lx->pos, err, "invalid number literal", NULL);
            goto done;
        }
    }
    tok->kind = kind;
    tok->len = i - lx->pos;
    lx->pos = i;
done:
    return st;
}

tg_status tg_lexer_next(tg_lexer *lx, tg_token *tok, tg_error *err)
{
    tg_status st = skip_blanks(lx, err);
    if (st != TG_OK)
        goto done;
    const char *s = lx->text;
    size_t n = lx->len;
    size_t p = lx->pos;
    tok->start = s + p;
    tok->offset = p;
    tok->line = lx->line;
    tok->column = (long)(p - lx->line_start) + 1;
    tok->len = 1;
    if (p >= n) {
        tok->kind = TG_TK_EOF;
        tok->len = 0;
        goto done;
    }
    unsigned char c = (unsigned char)s[p];
    unsigned char c1 = p + 1 < n ? (unsigned char)s[p + 1] : 0;
    switch (c) {
    case '(': tok->kind = TG_TK_LPAREN; break;
    case ')': tok->kind = TG_TK_RPAREN; break;
    case '[': tok->kind = TG_TK_LBRACKET; break;
    case ']': tok->kind = TG_TK_RBRACKET; break;
    case '{': tok->kind = TG_TK_LBRACE; break;
    case '}': tok->kind = TG_TK_RBRACE; break;
    case ',': tok->kind = TG_TK_COMMA; break;
    case ':': tok->kind = TG_TK_COLON; break;
    case ';': tok->kind = TG_TK_SEMI; break;
    case '|': tok->kind = TG_TK_PIPE; break;
    case '-': tok->kind = TG_TK_MINUS; break;
    case '*': tok->kind = TG_TK_STAR; break;
    case '/': tok->kind = TG_TK_SLASH; break;
    case '%': tok->kind = TG_TK_PERCENT; break;
    case '^': tok->kind = TG_TK_CARET; break;
    case '&': tok->kind = TG_TK_AMP; break;
    case '!': tok->kind = TG_TK_BANG; break;
    case '+':
        tok->kind = c1 == '=' ? TG_TK_PLUSEQ : TG_TK_PLUS;
        break;
    case '=':
        tok->kind = c1 == '~' ? TG_TK_REGEX : TG_TK_EQ;
        break;
    case '<':
        tok->kind = c1 == '>' ? TG_TK_NE : c1 == '=' ? TG_TK_LE : TG_TK_LT;
        break;
    case '>':
        tok->kind = c1 == '=' ? TG_TK_GE : TG_TK_GT;
        break;
    case '.':
        if (c1 == '.') {
            tok->kind = TG_TK_DOTDOT;
        } else if (is_digit(c1)) {
            st = scan_number(lx, tok, err);
            goto done;
        } else {
            tok->kind = TG_TK_DOT;
        }
        break;
    case '\'':
    case '"':
    case '`': {
        size_t end = 0;
        st = scan_quoted(lx, &end, err);
        if (st != TG_OK)
            goto done;
        tok->kind = c == '`' ? TG_TK_QIDENT : TG_TK_STRING;
        tok->len = end - p;
        lx->pos = end;
        count_newlines(lx, p, end);
        goto done;
    }
    case '$': {
        size_t nl;
        if (c1 == '`') {
            lx->pos = p + 1;
            size_t end = 0;
            st = scan_quoted(lx, &end, err);
            if (st != TG_OK)
                goto done;
            nl = end - (p + 1);
            count_newlines(lx, p, end);
        } else {
            nl = name_length(lx, p + 1, 1);
        }
        if (nl == 0) {
            st = lex_error(lx, p, err, "expected a parameter name after '$'", NULL);
            goto done;
        }
        tok->kind = TG_TK_PARAM;
        tok->len = 1 + nl;
        lx->pos = p + 1 + nl;
        goto done;
    }
    default:
        if (is_digit(c)) {
            st = scan_number(lx, tok, err);
            goto done;
        } else {
            size_t nl = name_length(lx, p, 0);
            if (nl > 0) {
                tok->kind = TG_TK_IDENT;
                tok->len = nl;
                lx->pos = p + nl;
                goto done;
            }
            char buf[64];
            if (c >= 0x80) {
                uint32_t cp = 0;
                size_t k = tg_utf8_decode((const unsigned char *)s + p, n - p, &cp);
                if (k == 0) {
                    st = lex_error(lx, p, err, "invalid UTF-8 byte sequence", NULL);
                } else {
                    snprintf(buf, sizeof buf, " U+%04X '%.*s'", (unsigned)cp, (int)k, s + p);
                    st = lex_error(lx, p, err, "invalid character", buf);
                }
            } else if (c < 0x20 || c == 0x7F) {
                snprintf(buf, sizeof buf, " (byte 0x%02X)", c);
                st = lex_error(lx, p, err, "invalid control character", buf);
            } else {
                snprintf(buf, sizeof buf, " '%c'", c);
                st = lex_error(lx, p, err, "invalid character", buf);
            }
            goto done;
        }
    }
    if (tok->kind == TG_TK_PLUSEQ || tok->kind == TG_TK_REGEX || tok->kind == TG_TK_NE ||
        tok->kind == TG_TK_LE || tok->kind == TG_TK_GE || tok->kind == TG_TK_DOTDOT)
        tok->len = 2;
    lx->pos = p + tok->len;
done:
    return st;
}

int tg_token_is_kw(const tg_token *tok, const char *kw)
{
    if (tok->kind != TG_TK_IDENT)
        return 0;
    size_t i = 0;
    for (; i < tok->len; i++) {
        char a = tok->start[i];
        if (a >= 'a' && a <= 'z')
            a = (char)(a - 'a' + 'A');
        if (kw[i] == '\0' || a != kw[i])
            return 0;
    }
    return kw[i] == '\0';
}

char *tg_token_name(const tg_token *tok, tg_arena *arena)
{
    const char *s = tok->start;
    size_t n = tok->len;
    if (tok->kind == TG_TK_PARAM) {
        s++;
        n--;
    }
    if (n >= 2 && s[0] == '`') {
        char *out = tg_arena_alloc(arena, n);
        if (out == NULL)
            return NULL;
        size_t k = 0;
        for (size_t i = 1; i + 1 < n; i++) {
            out[k++] = s[i];
            if (s[i] == '`')
                i++; /* `` stands for one backquote */
        }
        out[k] = '\0';
        return out;
    }
    return tg_arena_strndup(arena, s, n);
}

char *tg_token_string(const tg_token *tok, tg_arena *arena, size_t *out_len)
{
    const char *s = tok->start + 1;
    size_t n = tok->len - 2;
    char *out = tg_arena_alloc(arena, n + 1); /* decoding never grows the text */
    if (out == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            out[k++] = s[i];
            continue;
        }
        char e = s[++i];
        switch (e) {
        case 'n': out[k++] = '\n'; break;
        case 't': out[k++] = '\t'; break;
        case 'r': out[k++] = '\r'; break;
        case 'b': out[k++] = '\b'; break;
        case 'f': out[k++] = '\f'; break;
        case 'u':
        case 'U': {
            size_t ndig = e == 'u' ? 4 : 8;
            uint32_t cp = 0;
            for (size_t d = 0; d < ndig; d++)
                cp = cp * 16 + (uint32_t)hex_value((unsigned char)s[i + 1 + d]);
            i += ndig;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < n && s[i + 1] == '\\' && s[i + 2] == 'u') {
                uint32_t lo = 0;
                for (size_t d = 0; d < 4; d++)
                    lo = lo * 16 + (uint32_t)hex_value((unsigned char)s[i + 3 + d]);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
            k += utf8_encode(cp, out + k);
            break;
        }
        default: out[k++] = e; break; /* \\ \' \" */
        }
    }
    out[k] = '\0';
    *out_len = k;
    return out;
}

int tg_token_uint(const tg_token *tok, uint64_t *value)
{
    const char *s = tok->start;
    size_t n = tok->len;
    unsigned base = 10;
    size_t i = 0;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    } else if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
        base = 8;
        i = 2;
    }
    uint64_t v = 0;
    for (; i < n; i++) {
        unsigned d = (unsigned)hex_value((unsigned char)s[i]);
        if (v > (UINT64_MAX - d) / base)
            return -1;
        v = v * base + d;
    }
    *value = v;
    return 0;
}

int tg_token_float(const tg_token *tok, double *value)
{
    char buf[128];
    char *heap = NULL;
    char *p = buf;
    int rc = 0;
    if (tok->len + 1 > sizeof buf) {
        heap = malloc(tok->len + 1);
        if (heap == NULL) {
            rc = -1;
            goto done;
        }
        p = heap;
    }
    memcpy(p, tok->start, tok->len);
    p[tok->len] = '\0';
    errno = 0;
    double v = strtod(p, NULL);
    if (errno == ERANGE && isinf(v))
        rc = -1;
    *value = v;
done:
    free(heap);
    return rc;
}
