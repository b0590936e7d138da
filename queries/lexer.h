/* lexer.h — tokens of the query language.
 *
 * Tokens borrow spans of the query text (SQLite style): a tg_token points
 * into the text and is valid as long as the text is. Keywords are not token
 * kinds: they are TG_TK_IDENT tokens that the parser compares
 * case-insensitively (tg_token_is_kw), so that `count`, `end` or `exists`
 * stay usable as property keys and labels. The lexer validates literals
 * completely (numbers' digits, string escapes) so that the decoders below
 * cannot fail on a token it produced, except for integer overflow, which
 * depends on a preceding minus and is checked by the parser.
 */
#ifndef TG_LEXER_H
#define TG_LEXER_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "tg_error.h"

typedef enum tg_token_kind {
    TG_TK_EOF,
    TG_TK_IDENT,   /* name or keyword */
    TG_TK_QIDENT,  /* `backquoted name` (span includes the backquotes) */
    TG_TK_INT,     /* 42, 0x2A, 0o52 (span as written, no sign) */
    TG_TK_FLOAT,   /* 1.5, .5, 1e3, 1.5E-3 */
    TG_TK_STRING,  /* 'text' or "text" (span includes the quotes) */
    TG_TK_PARAM,   /* $name, $0, $`x y` (span includes the '$') */
    TG_TK_LPAREN,
    TG_TK_RPAREN,
    TG_TK_LBRACKET,
    TG_TK_RBRACKET,
    TG_TK_LBRACE,
    TG_TK_RBRACE,
    TG_TK_COMMA,
    TG_TK_DOT,
    TG_TK_DOTDOT,
    TG_TK_COLON,
    TG_TK_SEMI,
    TG_TK_PIPE,
    TG_TK_PLUS,
    TG_TK_PLUSEQ, /* += */
    TG_TK_MINUS,
    TG_TK_STAR,
    TG_TK_SLASH,
    TG_TK_PERCENT,
    TG_TK_CARET,
    TG_TK_EQ,
    TG_TK_NE,     /* <> */
    TG_TK_LT,
    TG_TK_LE,
    TG_TK_GT,
    TG_TK_GE,
    TG_TK_REGEX,  /* =~ */
    TG_TK_AMP,    /* & (label expressions) */
    TG_TK_BANG    /* ! (label expressions) */
} tg_token_kind;

typedef struct tg_token {
    tg_token_kind kind;
    const char *start; /* into the text */
    size_t len;
    size_t offset;     /* start - text */
    long line;         /* 1-based */
    long column;       /* 1-based, bytes */
} tg_token;

typedef struct tg_lexer {
    const char *text;
    size_t len;
    size_t pos;
    long line;
    size_t line_start; /* offset of the current line's first byte */
} tg_lexer;

/* Prepares lx to read text[0..len); the text is borrowed for the lexer's
 * and its tokens' lifetime. */
void tg_lexer_init(tg_lexer *lx, const char *text, size_t len);

/* Reads the next token into *tok, skipping blanks and comments; at the end
 * it yields TG_TK_EOF (again on every later call). Errors (TG_ESYNTAX, err
 * has line/column of the offending character): an invalid character, an
 * unterminated string, name or block comment, a malformed number (`0x`,
 * `12ab`), an invalid escape (`\q`, `\uH`), `$` without a name. O(token). */
tg_status tg_lexer_next(tg_lexer *lx, tg_token *tok, tg_error *err);

/* Whether tok is the identifier kw, compared ASCII-case-insensitively
 * (kw given in upper case). Backquoted names are never keywords. */
int tg_token_is_kw(const tg_token *tok, const char *kw);

/* The name a TG_TK_IDENT, TG_TK_QIDENT or TG_TK_PARAM token denotes
 * (backquotes and '$' removed, `` undone), copied into arena; NULL when out
 * of memory. */
char *tg_token_name(const tg_token *tok, tg_arena *arena);

/* Decodes a TG_TK_STRING token (escapes resolved, UTF-8) into arena;
 * *out_len gets its length in bytes. NULL when out of memory. */
char *tg_token_string(const tg_token *tok, tg_arena *arena, size_t *out_len);

/* The magnitude of a TG_TK_INT token. Returns 0 and sets *value when it fits
 * in uint64_t, -1 when it does not. */
int tg_token_uint(const tg_token *tok, uint64_t *value);

/* The value of a TG_TK_FLOAT token; returns -1 when it is out of range of a
 * double (1.34E999), 0 otherwise. */
int tg_token_float(const tg_token *tok, double *value);

#endif
