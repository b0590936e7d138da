/* parser.c — recursive-descent parser of one statement (see parser.h).
 *
 * The text is tokenized up front into an array (a lexical error becomes a
 * final error token, so that errors are still reported in text order);
 * matching brackets are paired in one pass so that the two places that need
 * unbounded lookahead — `(`: pattern or parenthesized expression? `[`:
 * pattern comprehension or list? — decide in O(1) without backtracking.
 *
 * Invariants: every parse_* function either returns a node (and has consumed
 * exactly its tokens) or returns NULL with p->status set; the first error
 * recorded wins, later ones are ignored; every allocation comes from the
 * caller's arena, so a failed parse leaks nothing; recursion depth is
 * bounded by TG_PARSER_MAX_DEPTH through enter()/leave().
 *
 * Grammar notes (openCypher 9): unary minus binds tighter than '^', which is
 * left-associative; NOT binds looser than comparisons; comparisons chain.
 * Pattern predicates `(a)-->(b)` are accepted only inside WHERE (the TCK
 * rejects them in RETURN/WITH/SET as UnexpectedSyntax). A reserved word
 * (MATCH, AS, AND, END, ...) is not a variable unless backquoted.
 *
 * Style note: parse functions return NULL early on error instead of going
 * through one `done:` exit. Everything they allocate lives in the arena, so
 * an early return releases nothing; the functions that hold heap memory
 * (growable vectors) do use a single `fail:` path.
 */
#include "parser.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "qtime.h"
#include "stack.h"
#include "utf8.h"

typedef struct parser {
    const char *text;
    size_t len;
    tg_arena *arena;
    tg_token *toks;
    size_t n_toks;
    size_t *match;    /* match[i]: index of the bracket closing toks[i], or SIZE_MAX */
    size_t pos;
    tg_error *err;
    tg_status status;
    tg_error lex_err; /* the lexer's error, reported at the final error token */
    int lex_failed;
    int depth;
    int where_depth;  /* > 0 inside a WHERE: pattern predicates allowed */
    double deadline;  /* CLOCK_MONOTONIC seconds, 0: none */
    double timeout;
    unsigned ticks;
    int pipe_ends;    /* > 0 in a comprehension's WHERE: '|' ends it, never a label 'or' */
    size_t nclauses;  /* clauses so far, subqueries included (TG_PARSER_MAX_CLAUSES) */
} parser;

/* ---- helpers ------------------------------------------------------------ */

static const tg_token *peek_at(const parser *p, size_t k)
{
    size_t i = p->pos + k;
    if (i >= p->n_toks)
        i = p->n_toks - 1;
    return &p->toks[i];
}

static const tg_token *peek(const parser *p) { return peek_at(p, 0); }

static int at(const parser *p, tg_token_kind k) { return peek(p)->kind == k; }

static int at_kw(const parser *p, const char *kw) { return tg_token_is_kw(peek(p), kw); }

static int at_kw_k(const parser *p, size_t k, const char *kw) { return tg_token_is_kw(peek_at(p, k), kw); }

static int at_end_token(const parser *p)
{
    /* The last token is EOF, or the error token standing for a lexical error. */
    return p->pos >= p->n_toks - 1;
}

static const tg_token *advance(parser *p)
{
    const tg_token *t = peek(p);
    if (!at_end_token(p))
        p->pos++;
    if (p->deadline > 0 && (++p->ticks & 4095u) == 0 && tg_i_monotonic() > p->deadline) {
        /* past the time limit: record it and jump to the end, so that every
           parse function returns at once */
        if (p->status == TG_OK)
            p->status = tg_error_set(p->err, TG_ERUNTIME, NULL, t->line, t->column,
                                     TG_TIMEOUT_FMT, p->timeout, "parsing");
        p->pos = p->n_toks - 1;
    }
    return t;
}

/* Offset just past the last consumed token. */
static size_t prev_end(const parser *p)
{
    if (p->pos == 0)
        return 0;
    const tg_token *t = &p->toks[p->pos - 1];
    return t->offset + t->len;
}

static tg_ast_pos tok_pos(const tg_token *t)
{
    tg_ast_pos pos = {t->line, t->column, t->offset};
    return pos;
}

static tg_ast_pos cur_pos(const parser *p) { return tok_pos(peek(p)); }

/* A short description of a token for messages: 'text' or "end of input". */
static void describe(const parser *p, const tg_token *t, char *buf, size_t size)
{
    (void)p;
    if (t->kind == TG_TK_EOF) {
        snprintf(buf, size, "end of input");
    } else if (t->len > 40) {
        snprintf(buf, size, "'%.37s...'", t->start);
    } else {
        snprintf(buf, size, "'%.*s'", (int)t->len, t->start);
    }
}

/* Records a syntax error at token t (the first error wins); returns NULL so
 * that callers can `return fail(...)`. When t is the lexer's error token,
 * the lexer's message is reported instead. */
static void *fail_at(parser *p, const tg_token *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void *fail_at(parser *p, const tg_token *t, const char *fmt, ...)
{
    if (p->status != TG_OK)
        return NULL;
    if (p->lex_failed && t == &p->toks[p->n_toks - 1]) {
        p->status = TG_ESYNTAX;
        if (p->err != NULL)
            *p->err = p->lex_err;
        return NULL;
    }
    char msg[TG_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->status = tg_error_set(p->err, TG_ESYNTAX, NULL, t->line, t->column, "%s", msg);
    return NULL;
}

/* "unexpected X; expected WHAT" at the current token. */
static void *expected(parser *p, const char *what)
{
    char d[64];
    describe(p, peek(p), d, sizeof d);
    return fail_at(p, peek(p), "unexpected %s; expected %s", d, what);
}

static void *oom(parser *p)
{
    if (p->status == TG_OK)
        p->status = tg_error_set(p->err, TG_ENOMEM, NULL, 0, 0, "out of memory while parsing");
    return NULL;
}

static void *alloc(parser *p, size_t size)
{
    void *m = tg_arena_alloc(p->arena, size);
    if (m == NULL)
        oom(p);
    return m;
}

static int accept(parser *p, tg_token_kind k)
{
    if (at(p, k)) {
        advance(p);
        return 1;
    }
    return 0;
}

static int accept_kw(parser *p, const char *kw)
{
    if (at_kw(p, kw)) {
        advance(p);
        return 1;
    }
    return 0;
}

static int expect(parser *p, tg_token_kind k, const char *what)
{
    if (accept(p, k))
        return 1;
    expected(p, what);
    return 0;
}

static int expect_kw(parser *p, const char *kw)
{
    if (accept_kw(p, kw))
        return 1;
    char what[64];
    snprintf(what, sizeof what, "%s", kw);
    expected(p, what);
    return 0;
}

/* Expects the bracket closing the one at index open; the message names what
 * it closes and where that started. */
static int expect_close(parser *p, tg_token_kind k, size_t open, const char *what)
{
    if (accept(p, k))
        return 1;
    const tg_token *o = &p->toks[open];
    char d[64];
    describe(p, peek(p), d, sizeof d);
    fail_at(p, peek(p), "unexpected %s; expected '%c' to close the %s opened at %ld:%ld", d,
            k == TG_TK_RPAREN ? ')' : k == TG_TK_RBRACKET ? ']' : '}', what, o->line, o->column);
    return 0;
}

static int enter(parser *p)
{
    if (++p->depth > TG_PARSER_MAX_DEPTH || tg_stack_low()) {
        fail_at(p, peek(p), "expression nested too deeply (more than %d levels%s)",
                p->depth > TG_PARSER_MAX_DEPTH ? TG_PARSER_MAX_DEPTH : p->depth - 1,
                p->depth > TG_PARSER_MAX_DEPTH ? "" : ", all this thread's stack holds");
        return 0;
    }
    return 1;
}

static void leave(parser *p) { p->depth--; }

/* A growable array of pointers, built on the heap and frozen into the arena
 * once complete, so that the arena holds no abandoned growth steps. */
typedef struct vec {
    void **v;
    size_t n;
    size_t cap;
} vec;

static int vec_push(parser *p, vec *a, void *x)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 4;
        void **nv = realloc(a->v, cap * sizeof *nv);
        if (nv == NULL) {
            oom(p);
            return 0;
        }
        a->v = nv;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return 1;
}

/* Copies the array into the arena (NULL when empty) and frees the heap copy. */
static void **vec_freeze(parser *p, vec *a)
{
    void **out = NULL;
    if (a->n > 0) {
        out = tg_arena_calloc(p->arena, a->n, sizeof *out);
        if (out == NULL)
            oom(p);
        else
            memcpy(out, a->v, a->n * sizeof *out);
    }
    free(a->v);
    a->v = NULL;
    a->cap = 0;
    return out;
}

static void vec_drop(vec *a)
{
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

/* Struct arrays (items stored by value) use a byte buffer the same way. */
typedef struct svec {
    unsigned char *v;
    size_t n;
    size_t cap;
    size_t size;
} svec;

static void *svec_push(parser *p, svec *a)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 4;
        unsigned char *nv = realloc(a->v, cap * a->size);
        if (nv == NULL)
            return oom(p);
        a->v = nv;
        a->cap = cap;
    }
    void *slot = a->v + a->n * a->size;
    memset(slot, 0, a->size);
    a->n++;
    return slot;
}

static void *svec_freeze(parser *p, svec *a)
{
    void *out = NULL;
    if (a->n > 0) {
        out = tg_arena_calloc(p->arena, a->n, a->size);
        if (out == NULL)
            oom(p);
        else
            memcpy(out, a->v, a->n * a->size);
    }
    free(a->v);
    a->v = NULL;
    a->cap = 0;
    return out;
}

static void svec_drop(svec *a)
{
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

/* ---- names -------------------------------------------------------------- */

static const char *const reserved[] = {
    "MATCH", "OPTIONAL", "WHERE", "WITH", "RETURN", "UNWIND", "CREATE", "MERGE", "SET",
    "DELETE", "DETACH", "REMOVE", "CALL", "YIELD", "UNION", "AS", "ORDER", "BY", "SKIP",
    "LIMIT", "ASC", "DESC", "ASCENDING", "DESCENDING", "DISTINCT", "AND", "OR", "XOR", "NOT",
    "IN", "IS", "STARTS", "ENDS", "CONTAINS", "CASE", "WHEN", "THEN", "ELSE", "END", "NULL",
    "TRUE", "FALSE", "ON"};

static int is_reserved(const tg_token *t)
{
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (tg_token_is_kw(t, reserved[i]))
            return 1;
    return 0;
}

/* Any name: identifiers including reserved words (labels, keys, types). */
static int at_name(const parser *p)
{
    return at(p, TG_TK_IDENT) || at(p, TG_TK_QIDENT);
}

static int at_name_k(const parser *p, size_t k)
{
    tg_token_kind kind = peek_at(p, k)->kind;
    return kind == TG_TK_IDENT || kind == TG_TK_QIDENT;
}

/* A variable: a name that is not a reserved word (backquoted ones always are). */
static int at_variable_k(const parser *p, size_t k)
{
    const tg_token *t = peek_at(p, k);
    return t->kind == TG_TK_QIDENT || (t->kind == TG_TK_IDENT && !is_reserved(t));
}

static int at_variable(const parser *p) { return at_variable_k(p, 0); }

static const char *parse_name(parser *p, const char *what)
{
    if (!at_name(p))
        return expected(p, what);
    const char *s = tg_token_name(advance(p), p->arena);
    if (s == NULL)
        return oom(p);
    return s;
}

static const char *parse_variable(parser *p, const char *what)
{
    if (!at_variable(p))
        return expected(p, what);
    return parse_name(p, what);
}

/* ---- expressions -------------------------------------------------------- */

static tg_ast_expr *parse_expr(parser *p);
static tg_ast_statement *parse_query(parser *p, int in_braces, int open_end);
static tg_ast_pattern *parse_pattern(parser *p);
static tg_ast_expr *parse_where_expr(parser *p);
static tg_ast_clause *new_clause(parser *p, tg_ast_clause_kind kind, tg_ast_pos pos);
static tg_ast_path *parse_path(parser *p, int allow_var);
static tg_ast_path *parse_chain(parser *p, tg_ast_pos pos);

static tg_ast_expr *new_expr(parser *p, tg_ast_expr_kind kind, tg_ast_pos pos)
{
    tg_ast_expr *e = alloc(p, sizeof *e);
    if (e != NULL) {
        e->kind = kind;
        e->pos = pos;
        e->end = pos.offset;
    }
    return e;
}

static tg_ast_expr *finish(parser *p, tg_ast_expr *e)
{
    if (e != NULL)
        e->end = prev_end(p);
    return e;
}

static tg_ast_expr *new_binary(parser *p, tg_ast_op op, tg_ast_expr *l, tg_ast_expr *r)
{
    tg_ast_expr *e = new_expr(p, TG_AST_BINARY, l->pos);
    if (e != NULL) {
        e->u.binary.op = op;
        e->u.binary.lhs = l;
        e->u.binary.rhs = r;
        e->end = r->end;
    }
    return e;
}

/* Whether the token at index i (a '(') begins a relationship chain: its
 * matching ')' is followed by '-' '-', '-' '[', '<' '-'. */
static int paren_starts_chain(const parser *p, size_t i)
{
    if (i >= p->n_toks || p->toks[i].kind != TG_TK_LPAREN || p->match[i] == SIZE_MAX)
        return 0;
    size_t j = p->match[i] + 1;
    if (j + 1 >= p->n_toks)
        return 0;
    tg_token_kind a = p->toks[j].kind, b = p->toks[j + 1].kind;
    if (a == TG_TK_MINUS && (b == TG_TK_MINUS || b == TG_TK_LBRACKET))
        return 1;
    if (a == TG_TK_LT && b == TG_TK_MINUS)
        return 1;
    return 0;
}

static tg_ast_expr *parse_int_literal(parser *p, tg_ast_pos pos, int negative)
{
    const tg_token *t = advance(p);
    uint64_t mag = 0;
    if (tg_token_uint(t, &mag) != 0 || mag > (uint64_t)INT64_MAX + (negative ? 1u : 0u)) {
        char d[64];
        describe(p, t, d, sizeof d);
        return fail_at(p, t, "integer literal %s%s is too large for a 64-bit integer",
                       negative ? "-" : "", d);
    }
    tg_ast_expr *e = new_expr(p, TG_AST_INT, pos);
    if (e == NULL)
        return NULL;
    if (negative)
        e->u.integer = mag == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)mag;
    else
        e->u.integer = (int64_t)mag;
    return finish(p, e);
}

static tg_ast_expr *parse_float_literal(parser *p, tg_ast_pos pos, int negative)
{
    const tg_token *t = advance(p);
    double v = 0;
    if (tg_token_float(t, &v) != 0) {
        char d[64];
        describe(p, t, d, sizeof d);
        return fail_at(p, t, "floating-point literal %s is too large for a 64-bit float", d);
    }
    tg_ast_expr *e = new_expr(p, TG_AST_FLOAT, pos);
    if (e == NULL)
        return NULL;
    e->u.real = negative ? -v : v;
    return finish(p, e);
}

/* `{k: v, ...}` at '{'. */
static tg_ast_expr *parse_map_literal(parser *p)
{
    size_t open = p->pos;
    tg_ast_expr *e = new_expr(p, TG_AST_MAP, cur_pos(p));
    vec keys = {0}, values = {0};
    if (e == NULL)
        goto fail;
    advance(p);
    if (!at(p, TG_TK_RBRACE)) {
        do {
            const char *k = parse_name(p, "a property key in the map");
            if (k == NULL || !expect(p, TG_TK_COLON, "':' after the map key"))
                goto fail;
            tg_ast_expr *v = parse_expr(p);
            if (v == NULL || !vec_push(p, &keys, (void *)k) || !vec_push(p, &values, v))
                goto fail;
        } while (accept(p, TG_TK_COMMA));
    }
    if (!expect_close(p, TG_TK_RBRACE, open, "map"))
        goto fail;
    e->u.map.n_entries = keys.n;
    e->u.map.keys = (const char **)vec_freeze(p, &keys);
    e->u.map.values = (tg_ast_expr **)vec_freeze(p, &values);
    return p->status == TG_OK ? finish(p, e) : NULL;
fail:
    vec_drop(&keys);
    vec_drop(&values);
    return NULL;
}

/* `name{.a, k: e, v, .*}` with the base already parsed, at '{'. */
static tg_ast_expr *parse_map_projection(parser *p, tg_ast_expr *base)
{
    size_t open = p->pos;
    tg_ast_expr *e = new_expr(p, TG_AST_MAP_PROJECTION, base->pos);
    svec items = {.size = sizeof(tg_ast_map_item)};
    if (e == NULL)
        goto fail;
    advance(p);
    if (!at(p, TG_TK_RBRACE)) {
        do {
            tg_ast_map_item *it = svec_push(p, &items);
            if (it == NULL)
                goto fail;
            it->pos = cur_pos(p);
            if (accept(p, TG_TK_DOT)) {
                if (accept(p, TG_TK_STAR)) {
                    it->kind = TG_AST_MAPITEM_ALL;
                } else {
                    it->kind = TG_AST_MAPITEM_PROPERTY;
                    if ((it->key = parse_name(p, "a property key or '*' after '.'")) == NULL)
                        goto fail;
                }
            } else if (at_name(p) && peek_at(p, 1)->kind == TG_TK_COLON) {
                it->kind = TG_AST_MAPITEM_LITERAL;
                if ((it->key = parse_name(p, "a key")) == NULL)
                    goto fail;
                advance(p);
                if ((it->value = parse_expr(p)) == NULL)
                    goto fail;
            } else if (at_variable(p)) {
                it->kind = TG_AST_MAPITEM_VARIABLE;
                if ((it->key = parse_name(p, "a variable")) == NULL)
                    goto fail;
            } else {
                expected(p, "'.key', '.*', 'key: value' or a variable in the map projection");
                goto fail;
            }
        } while (accept(p, TG_TK_COMMA));
    }
    if (!expect_close(p, TG_TK_RBRACE, open, "map projection"))
        goto fail;
    e->u.map_projection.base = base;
    e->u.map_projection.n_items = items.n;
    e->u.map_projection.items = svec_freeze(p, &items);
    return p->status == TG_OK ? finish(p, e) : NULL;
fail:
    svec_drop(&items);
    return NULL;
}

/* Comma-separated arguments up to the ')' closing the '(' at open; the '('
 * has been consumed. */
static int parse_args(parser *p, size_t open, const char *what, tg_ast_expr ***out, size_t *n)
{
    vec args = {0};
    if (!at(p, TG_TK_RPAREN)) {
        do {
            tg_ast_expr *a = parse_expr(p);
            if (a == NULL || !vec_push(p, &args, a))
                goto fail;
        } while (accept(p, TG_TK_COMMA));
    }
    if (!expect_close(p, TG_TK_RPAREN, open, what))
        goto fail;
    *n = args.n;
    *out = (tg_ast_expr **)vec_freeze(p, &args);
    return p->status == TG_OK;
fail:
    vec_drop(&args);
    return 0;
}

/* A (possibly namespaced) function or procedure name: a.b.c. */
static const char *parse_qualified_name(parser *p, const char *what)
{
    size_t start = p->pos;
    size_t total = 0;
    if (!at_name(p))
        return expected(p, what);
    for (;;) {
        total += p->toks[p->pos].len + 1;
        advance(p);
        if (at(p, TG_TK_DOT) && at_name_k(p, 1))
            advance(p);
        else
            break;
    }
    char *out = alloc(p, total + 1);
    if (out == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = start; i < p->pos; i++) {
        if (p->toks[i].kind == TG_TK_DOT) {
            out[k++] = '.';
            continue;
        }
        char *part = tg_token_name(&p->toks[i], p->arena);
        if (part == NULL)
            return oom(p);
        size_t l = strlen(part);
        memcpy(out + k, part, l);
        k += l;
    }
    out[k] = '\0';
    return out;
}

/* Whether the tokens from the current one form `name(.name)* (`. */
static int at_function_call(const parser *p)
{
    size_t k = 0;
    if (!at_name_k(p, 0))
        return 0;
    for (;;) {
        k++;
        if (peek_at(p, k)->kind == TG_TK_DOT && at_name_k(p, k + 1))
            k++;
        else
            break;
    }
    return peek_at(p, k)->kind == TG_TK_LPAREN;
}

static tg_ast_expr *parse_function_call(parser *p)
{
    tg_ast_pos pos = cur_pos(p);
    tg_ast_expr *e = new_expr(p, TG_AST_CALL, pos);
    if (e == NULL)
        return NULL;
    if ((e->u.call.name = parse_qualified_name(p, "a function name")) == NULL)
        return NULL;
    size_t open = p->pos;
    advance(p); /* '(' */
    if (accept_kw(p, "DISTINCT"))
        e->u.call.distinct = 1;
    if (!e->u.call.distinct && at(p, TG_TK_STAR) && peek_at(p, 1)->kind == TG_TK_RPAREN) {
        advance(p);
        advance(p);
        e->u.call.star = 1;
        return finish(p, e);
    }
    if (!parse_args(p, open, "argument list", &e->u.call.args, &e->u.call.n_args))
        return NULL;
    if (e->u.call.distinct && e->u.call.n_args == 0)
        return fail_at(p, &p->toks[open], "DISTINCT needs an argument");
    return finish(p, e);
}

/* `x IN list [WHERE pred]` inside a comprehension or quantifier. */
static int parse_in_filter(parser *p, tg_ast_expr *e, int allow_where)
{
    e->u.comprehension.var_pos = cur_pos(p);
    if ((e->u.comprehension.var = parse_variable(p, "a variable")) == NULL)
        return 0;
    if (!expect_kw(p, "IN"))
        return 0;
    if ((e->u.comprehension.list = parse_expr(p)) == NULL)
        return 0;
    if (allow_where && accept_kw(p, "WHERE")) {
        p->where_depth++;
        p->pipe_ends++;
        e->u.comprehension.where = parse_expr(p);
        p->pipe_ends--;
        p->where_depth--;
        if (e->u.comprehension.where == NULL)
            return 0;
    }
    return 1;
}

/* all/any/none/single(x IN list WHERE p), at the name. */
static tg_ast_expr *parse_quantifier(parser *p, tg_ast_quantifier q)
{
    tg_ast_expr *e = new_expr(p, TG_AST_QUANTIFIER, cur_pos(p));
    if (e == NULL)
        return NULL;
    e->u.comprehension.quantifier = q;
    advance(p);
    size_t open = p->pos;
    advance(p);
    if (!parse_in_filter(p, e, 1))
        return NULL;
    if (!expect_close(p, TG_TK_RPAREN, open, "quantifier"))
        return NULL;
    return finish(p, e);
}

/* reduce(acc = init, x IN list | expr), at the name. */
static tg_ast_expr *parse_reduce(parser *p)
{
    tg_ast_expr *e = new_expr(p, TG_AST_REDUCE, cur_pos(p));
    if (e == NULL)
        return NULL;
    advance(p);
    size_t open = p->pos;
    advance(p);
    e->u.reduce.acc_pos = cur_pos(p);
    if ((e->u.reduce.acc = parse_variable(p, "an accumulator variable")) == NULL)
        return NULL;
    if (!expect(p, TG_TK_EQ, "'=' after the accumulator of reduce()"))
        return NULL;
    if ((e->u.reduce.init = parse_expr(p)) == NULL)
        return NULL;
    if (!expect(p, TG_TK_COMMA, "',' after the initial value of reduce()"))
        return NULL;
    e->u.reduce.var_pos = cur_pos(p);
    if ((e->u.reduce.var = parse_variable(p, "a variable")) == NULL)
        return NULL;
    if (!expect_kw(p, "IN"))
        return NULL;
    if ((e->u.reduce.list = parse_expr(p)) == NULL)
        return NULL;
    if (!expect(p, TG_TK_PIPE, "'|' before the expression of reduce()"))
        return NULL;
    if ((e->u.reduce.expr = parse_expr(p)) == NULL)
        return NULL;
    if (!expect_close(p, TG_TK_RPAREN, open, "reduce()"))
        return NULL;
    return finish(p, e);
}

static tg_ast_expr *parse_case(parser *p)
{
    tg_ast_expr *e = new_expr(p, TG_AST_CASE, cur_pos(p));
    vec whens = {0}, thens = {0};
    if (e == NULL)
        goto fail;
    const tg_token *case_tok = advance(p);
    if (!at_kw(p, "WHEN")) {
        if ((e->u.case_.subject = parse_expr(p)) == NULL)
            goto fail;
    }
    if (!at_kw(p, "WHEN")) {
        expected(p, "WHEN");
        goto fail;
    }
    while (accept_kw(p, "WHEN")) {
        tg_ast_expr *w = parse_expr(p);
        if (w == NULL || !expect_kw(p, "THEN"))
            goto fail;
        tg_ast_expr *t = parse_expr(p);
        if (t == NULL || !vec_push(p, &whens, w) || !vec_push(p, &thens, t))
            goto fail;
    }
    if (accept_kw(p, "ELSE")) {
        if ((e->u.case_.else_ = parse_expr(p)) == NULL)
            goto fail;
    }
    if (!at_kw(p, "END")) {
        char what[96];
        snprintf(what, sizeof what, "WHEN, ELSE or END to close the CASE opened at %ld:%ld",
                 case_tok->line, case_tok->column);
        expected(p, what);
        goto fail;
    }
    advance(p);
    e->u.case_.n_whens = whens.n;
    e->u.case_.whens = (tg_ast_expr **)vec_freeze(p, &whens);
    e->u.case_.thens = (tg_ast_expr **)vec_freeze(p, &thens);
    return p->status == TG_OK ? finish(p, e) : NULL;
fail:
    vec_drop(&whens);
    vec_drop(&thens);
    return NULL;
}

/* Pattern predicate at '(' (or shortestPath): a path with at least one relation. */
static tg_ast_expr *parse_pattern_expr(parser *p)
{
    const tg_token *t = peek(p);
    if (p->where_depth == 0 && t->kind != TG_TK_LPAREN)
        return fail_at(p, t, "shortestPath() and allShortestPaths() belong in MATCH: "
                             "MATCH p = shortestPath((a)-[*]-(b))");
    if (p->where_depth == 0)
        return fail_at(p, t, "a pattern can only be used as a predicate in WHERE; use a "
                             "pattern comprehension [(a)-->(b) | b] elsewhere");
    tg_ast_expr *e = new_expr(p, TG_AST_PATTERN, tok_pos(t));
    if (e == NULL)
        return NULL;
    if ((e->u.pattern.path = parse_path(p, 0)) == NULL)
        return NULL;
    if (e->u.pattern.path->n_rels == 0)
        return fail_at(p, t, "a pattern predicate needs at least one relationship");
    return finish(p, e);
}

/* '[' ...: list comprehension, pattern comprehension or list literal. */
static tg_ast_expr *parse_bracket(parser *p)
{
    size_t open = p->pos;
    tg_ast_pos pos = cur_pos(p);
    if (at_variable_k(p, 1) && at_kw_k(p, 2, "IN")) {
        tg_ast_expr *e = new_expr(p, TG_AST_LIST_COMPREHENSION, pos);
        if (e == NULL)
            return NULL;
        advance(p);
        if (!parse_in_filter(p, e, 1))
            return NULL;
        if (accept(p, TG_TK_PIPE)) {
            if ((e->u.comprehension.projection = parse_expr(p)) == NULL)
                return NULL;
        }
        if (!expect_close(p, TG_TK_RBRACKET, open, "list comprehension"))
            return NULL;
        return finish(p, e);
    }
    if ((at_variable_k(p, 1) && peek_at(p, 2)->kind == TG_TK_EQ) ||
        paren_starts_chain(p, p->pos + 1)) {
        tg_ast_expr *e = new_expr(p, TG_AST_PATTERN_COMPREHENSION, pos);
        if (e == NULL)
            return NULL;
        advance(p);
        if ((e->u.pattern_comprehension.path = parse_path(p, 1)) == NULL)
            return NULL;
        if (accept_kw(p, "WHERE")) {
            p->where_depth++;
            p->pipe_ends++;
            e->u.pattern_comprehension.where = parse_expr(p);
            p->pipe_ends--;
            p->where_depth--;
            if (e->u.pattern_comprehension.where == NULL)
                return NULL;
        }
        if (!expect(p, TG_TK_PIPE, "'|' and the expression of the pattern comprehension"))
            return NULL;
        if ((e->u.pattern_comprehension.projection = parse_expr(p)) == NULL)
            return NULL;
        if (!expect_close(p, TG_TK_RBRACKET, open, "pattern comprehension"))
            return NULL;
        return finish(p, e);
    }
    tg_ast_expr *e = new_expr(p, TG_AST_LIST, pos);
    vec items = {0};
    if (e == NULL)
        return NULL;
    advance(p);
    if (!at(p, TG_TK_RBRACKET)) {
        do {
            tg_ast_expr *it = parse_expr(p);
            if (it == NULL || !vec_push(p, &items, it)) {
                vec_drop(&items);
                return NULL;
            }
        } while (accept(p, TG_TK_COMMA));
    }
    if (!expect_close(p, TG_TK_RBRACKET, open, "list")) {
        vec_drop(&items);
        return NULL;
    }
    e->u.list.n_items = items.n;
    e->u.list.items = (tg_ast_expr **)vec_freeze(p, &items);
    return p->status == TG_OK ? finish(p, e) : NULL;
}

/* The body of a subquery after its '{' (at index open): a query, or (for
 * EXISTS and COUNT) a pattern with an optional WHERE, which becomes one MATCH
 * clause. Consumes the closing '}'. */
static tg_ast_statement *parse_subquery_body(parser *p, size_t open, int open_end,
                                             const char *what)
{
    tg_ast_statement *st = NULL;
    if (!enter(p))
        goto done;
    if (open_end && at(p, TG_TK_LPAREN)) {
        tg_ast_single_query *q = alloc(p, sizeof *q);
        tg_ast_clause *c = q ? new_clause(p, TG_AST_MATCH, cur_pos(p)) : NULL;
        tg_ast_clause **cl = alloc(p, sizeof *cl);
        tg_ast_single_query **parts = alloc(p, sizeof *parts);
        st = alloc(p, sizeof *st);
        if (!c || !cl || !parts || !st)
            goto done;
        q->pos = st->pos = c->pos;
        if ((c->u.match.pattern = parse_pattern(p)) == NULL)
            goto done;
        if (accept_kw(p, "WHERE") && (c->u.match.where = parse_where_expr(p)) == NULL)
            goto done;
        cl[0] = c;
        q->clauses = cl;
        q->n_clauses = 1;
        parts[0] = q;
        st->parts = parts;
        st->n_parts = 1;
    } else {
        st = parse_query(p, 1, open_end);
    }
    if (st != NULL && !expect_close(p, TG_TK_RBRACE, open, what))
        st = NULL;
done:
    leave(p);
    return p->status == TG_OK ? st : NULL;
}

/* EXISTS { ... }, COUNT { ... }, COLLECT { ... } at the keyword. */
static tg_ast_expr *parse_subquery_expr(parser *p, tg_ast_expr_kind kind)
{
    tg_ast_expr *e = new_expr(p, kind, cur_pos(p));
    size_t open;
    if (e == NULL)
        return NULL;
    advance(p);
    open = p->pos;
    advance(p); /* '{' */
    e->u.subquery.query = parse_subquery_body(p, open, kind != TG_AST_COLLECT_SUBQUERY,
                                              kind == TG_AST_EXISTS_SUBQUERY  ? "EXISTS subquery"
                                              : kind == TG_AST_COUNT_SUBQUERY ? "COUNT subquery"
                                                                              : "COLLECT subquery");
    if (e->u.subquery.query == NULL)
        return NULL;
    return finish(p, e);
}

static tg_ast_expr *parse_atom(parser *p)
{
    const tg_token *t = peek(p);
    tg_ast_pos pos = tok_pos(t);
    tg_ast_expr *e = NULL;
    switch (t->kind) {
    case TG_TK_INT:
        return parse_int_literal(p, pos, 0);
    case TG_TK_FLOAT:
        return parse_float_literal(p, pos, 0);
    case TG_TK_STRING:
        if ((e = new_expr(p, TG_AST_STRING, pos)) == NULL)
            return NULL;
        advance(p);
        if ((e->u.string.s = tg_token_string(t, p->arena, &e->u.string.len)) == NULL)
            return oom(p);
        return finish(p, e);
    case TG_TK_PARAM:
        if ((e = new_expr(p, TG_AST_PARAM, pos)) == NULL)
            return NULL;
        advance(p);
        if ((e->u.param = tg_token_name(t, p->arena)) == NULL)
            return oom(p);
        return finish(p, e);
    case TG_TK_LBRACE:
        return parse_map_literal(p);
    case TG_TK_LBRACKET:
        return parse_bracket(p);
    case TG_TK_LPAREN: {
        if (paren_starts_chain(p, p->pos))
            return parse_pattern_expr(p);
        size_t open = p->pos;
        advance(p);
        e = parse_expr(p);
        if (e == NULL || !expect_close(p, TG_TK_RPAREN, open, "parenthesized expression"))
            return NULL;
        return e;
    }
    case TG_TK_IDENT:
    case TG_TK_QIDENT:
        break;
    default:
        return expected(p, "an expression");
    }
    /* names */
    int call = peek_at(p, 1)->kind == TG_TK_LPAREN;
    if (tg_token_is_kw(t, "NULL") || tg_token_is_kw(t, "TRUE") || tg_token_is_kw(t, "FALSE")) {
        e = new_expr(p, tg_token_is_kw(t, "NULL") ? TG_AST_NULL : TG_AST_BOOL, pos);
        if (e == NULL)
            return NULL;
        e->u.boolean = tg_token_is_kw(t, "TRUE");
        advance(p);
        return finish(p, e);
    }
    if (tg_token_is_kw(t, "CASE"))
        return parse_case(p);
    if (call && at_variable_k(p, 2) && at_kw_k(p, 3, "IN")) {
        static const struct {
            const char *kw;
            tg_ast_quantifier q;
        } quants[] = {{"ALL", TG_AST_QUANT_ALL},
                      {"ANY", TG_AST_QUANT_ANY},
                      {"NONE", TG_AST_QUANT_NONE},
                      {"SINGLE", TG_AST_QUANT_SINGLE}};
        for (size_t i = 0; i < sizeof quants / sizeof quants[0]; i++)
            if (tg_token_is_kw(t, quants[i].kw))
                return parse_quantifier(p, quants[i].q);
    }
    if (call && tg_token_is_kw(t, "REDUCE") && at_variable_k(p, 2) &&
        peek_at(p, 3)->kind == TG_TK_EQ)
        return parse_reduce(p);
    if (call && (tg_token_is_kw(t, "SHORTESTPATH") || tg_token_is_kw(t, "ALLSHORTESTPATHS")))
        return parse_pattern_expr(p);
    if (peek_at(p, 1)->kind == TG_TK_LBRACE) {
        if (tg_token_is_kw(t, "EXISTS"))
            return parse_subquery_expr(p, TG_AST_EXISTS_SUBQUERY);
        if (tg_token_is_kw(t, "COUNT"))
            return parse_subquery_expr(p, TG_AST_COUNT_SUBQUERY);
        if (tg_token_is_kw(t, "COLLECT"))
            return parse_subquery_expr(p, TG_AST_COLLECT_SUBQUERY);
    }
    if (at_function_call(p)) {
        /* exists((a)-->(b)) takes a pattern wherever it appears (size() of
           a pattern is refused, as openCypher has it: COUNT { } counts) */
        int is_exists = tg_token_is_kw(t, "EXISTS");
        if (is_exists)
            p->where_depth++;
        e = parse_function_call(p);
        if (is_exists)
            p->where_depth--;
        return e;
    }
    if (!at_variable(p))
        return expected(p, "an expression");
    if ((e = new_expr(p, TG_AST_VAR, pos)) == NULL)
        return NULL;
    if ((e->u.var = parse_name(p, "a variable")) == NULL)
        return NULL;
    finish(p, e);
    if (at(p, TG_TK_LBRACE))
        return parse_map_projection(p, e);
    return e;
}

/* ---- label expressions ------------------------------------------------------ */

static tg_ast_labelexpr *parse_lx_or(parser *p, int in_expr);

static tg_ast_labelexpr *new_lx(parser *p, tg_ast_lx_kind kind, tg_ast_pos pos)
{
    tg_ast_labelexpr *x = alloc(p, sizeof *x);
    if (x) {
        x->kind = kind;
        x->pos = pos;
    }
    return x;
}

static tg_ast_labelexpr *parse_lx_atom(parser *p, int in_expr)
{
    tg_ast_pos pos = cur_pos(p);
    tg_ast_labelexpr *x;
    if (accept(p, TG_TK_BANG)) {
        tg_ast_labelexpr *a;
        if (!enter(p))
            return NULL;
        a = parse_lx_atom(p, in_expr);
        leave(p);
        if (!a || !(x = new_lx(p, TG_AST_LX_NOT, pos)))
            return NULL;
        x->a = a;
        return x;
    }
    if (accept(p, TG_TK_PERCENT))
        return new_lx(p, TG_AST_LX_ANY, pos);
    if (at(p, TG_TK_LPAREN)) {
        size_t open = p->pos;
        advance(p);
        if (!enter(p))
            return NULL;
        x = parse_lx_or(p, 0); /* inside parentheses '|' is always an 'or' */
        leave(p);
        if (!x || !expect_close(p, TG_TK_RPAREN, open, "label expression"))
            return NULL;
        return x;
    }
    if (!(x = new_lx(p, TG_AST_LX_LABEL, pos)))
        return NULL;
    x->name = parse_name(p, "a label name");
    return x->name ? x : NULL;
}

/* a & b, and the older a:b, which means the same */
static tg_ast_labelexpr *parse_lx_and(parser *p, int in_expr)
{
    tg_ast_labelexpr *x = parse_lx_atom(p, in_expr);
    while (x && (at(p, TG_TK_AMP) || (at(p, TG_TK_COLON) && at_name_k(p, 1)))) {
        tg_ast_labelexpr *y = new_lx(p, TG_AST_LX_AND, x->pos);
        advance(p);
        if (!y || !(y->b = parse_lx_atom(p, in_expr)))
            return NULL;
        y->a = x;
        x = y;
    }
    return x;
}

static tg_ast_labelexpr *parse_lx_or(parser *p, int in_expr)
{
    tg_ast_labelexpr *x = parse_lx_and(p, in_expr);
    while (x && at(p, TG_TK_PIPE) && !(in_expr && p->pipe_ends > 0) &&
           peek_at(p, 1)->kind != TG_TK_PIPE) {
        tg_ast_labelexpr *y = new_lx(p, TG_AST_LX_OR, x->pos);
        advance(p);
        accept(p, TG_TK_COLON); /* A|:B is the older spelling of A|B */
        if (!y || !(y->b = parse_lx_and(p, in_expr)))
            return NULL;
        y->a = x;
        x = y;
    }
    return x;
}

/* Collects the names of a tree made only of op (AND or OR) and labels into
 * names; returns 0 when the tree holds anything else. */
static int lx_flat(parser *p, const tg_ast_labelexpr *x, tg_ast_lx_kind op, vec *names)
{
    if (x->kind == TG_AST_LX_LABEL)
        return vec_push(p, names, (void *)x->name);
    if (x->kind != op)
        return 0;
    return lx_flat(p, x->a, op, names) && lx_flat(p, x->b, op, names);
}

/* A label expression after ':' (the ':' not consumed yet). A plain list
 * (all joined by op, the AND of labels or the OR of types) goes to
 * *list / *n, anything else to *expr. in_expr: a predicate in an
 * expression, where a comprehension's '|' may follow. */
static int parse_label_expression(parser *p, tg_ast_lx_kind op, int in_expr,
                                  const char ***list, size_t *n, tg_ast_labelexpr **expr)
{
    vec names = {0};
    tg_ast_labelexpr *x;
    advance(p); /* ':' */
    if (!(x = parse_lx_or(p, in_expr)))
        return 0;
    if (lx_flat(p, x, op, &names)) {
        *n = names.n;
        *list = (const char **)vec_freeze(p, &names);
        *expr = NULL;
    } else {
        vec_drop(&names);
        *n = 0;
        *list = NULL;
        *expr = x;
    }
    return p->status == TG_OK;
}

/* Label list `:A:B` at the first ':'. */
static int parse_labels(parser *p, const char ***out, size_t *n, const char *what)
{
    vec labels = {0};
    while (accept(p, TG_TK_COLON)) {
        const char *l = parse_name(p, what);
        if (l == NULL || !vec_push(p, &labels, (void *)l)) {
            vec_drop(&labels);
            return 0;
        }
    }
    *n = labels.n;
    *out = (const char **)vec_freeze(p, &labels);
    return p->status == TG_OK;
}

/* Property lookups, subscripts, slices and label predicates after an atom. */
static tg_ast_expr *parse_postfix(parser *p, tg_ast_expr *e)
{
    while (e != NULL) {
        if (at(p, TG_TK_DOT)) {
            advance(p);
            tg_ast_expr *x = new_expr(p, TG_AST_PROPERTY, e->pos);
            if (x == NULL)
                return NULL;
            x->u.property.base = e;
            if ((x->u.property.key = parse_name(p, "a property key after '.'")) == NULL)
                return NULL;
            e = finish(p, x);
        } else if (at(p, TG_TK_LBRACKET)) {
            size_t open = p->pos;
            advance(p);
            tg_ast_expr *from = NULL, *to = NULL;
            if (!at(p, TG_TK_DOTDOT)) {
                if ((from = parse_expr(p)) == NULL)
                    return NULL;
            }
            if (accept(p, TG_TK_DOTDOT)) {
                if (!at(p, TG_TK_RBRACKET) && (to = parse_expr(p)) == NULL)
                    return NULL;
                tg_ast_expr *x = new_expr(p, TG_AST_SLICE, e->pos);
                if (x == NULL)
                    return NULL;
                x->u.slice.base = e;
                x->u.slice.from = from;
                x->u.slice.to = to;
                e = x;
            } else {
                tg_ast_expr *x = new_expr(p, TG_AST_INDEX, e->pos);
                if (x == NULL)
                    return NULL;
                x->u.index.base = e;
                x->u.index.index = from;
                e = x;
            }
            if (!expect_close(p, TG_TK_RBRACKET, open, "subscript"))
                return NULL;
            finish(p, e);
        } else if (at(p, TG_TK_COLON) &&
                   (at_name_k(p, 1) || peek_at(p, 1)->kind == TG_TK_BANG ||
                    peek_at(p, 1)->kind == TG_TK_PERCENT ||
                    peek_at(p, 1)->kind == TG_TK_LPAREN)) {
            tg_ast_expr *x = new_expr(p, TG_AST_HAS_LABELS, e->pos);
            if (x == NULL)
                return NULL;
            x->u.has_labels.base = e;
            if (!parse_label_expression(p, TG_AST_LX_AND, 1, &x->u.has_labels.labels,
                                        &x->u.has_labels.n_labels, &x->u.has_labels.expr))
                return NULL;
            e = finish(p, x);
        } else {
            break;
        }
    }
    return e;
}

static tg_ast_expr *parse_unary(parser *p)
{
    tg_ast_expr *e = NULL;
    const tg_token *t = peek(p);
    if (t->kind == TG_TK_MINUS || t->kind == TG_TK_PLUS) {
        tg_token_kind next = peek_at(p, 1)->kind;
        if (t->kind == TG_TK_MINUS && (next == TG_TK_INT || next == TG_TK_FLOAT)) {
            advance(p);
            e = next == TG_TK_INT ? parse_int_literal(p, tok_pos(t), 1)
                                  : parse_float_literal(p, tok_pos(t), 1);
            e = parse_postfix(p, e);
            goto done;
        }
        advance(p);
        if (!enter(p))
            goto done;
        tg_ast_expr *arg = parse_unary(p);
        leave(p);
        if (arg == NULL)
            goto done;
        if ((e = new_expr(p, TG_AST_UNARY, tok_pos(t))) == NULL)
            goto done;
        e->u.unary.op = t->kind == TG_TK_MINUS ? TG_AST_OP_NEG : TG_AST_OP_PLUS;
        e->u.unary.arg = arg;
        finish(p, e);
        goto done;
    }
    e = parse_postfix(p, parse_atom(p));
done:
    return e;
}

static tg_ast_expr *parse_power(parser *p)
{
    tg_ast_expr *e = parse_unary(p);
    while (e != NULL && accept(p, TG_TK_CARET)) {
        tg_ast_expr *r = parse_unary(p);
        e = r == NULL ? NULL : new_binary(p, TG_AST_OP_POW, e, r);
    }
    return e;
}

static tg_ast_expr *parse_mul(parser *p)
{
    tg_ast_expr *e = parse_power(p);
    while (e != NULL) {
        tg_ast_op op;
        if (at(p, TG_TK_STAR))
            op = TG_AST_OP_MUL;
        else if (at(p, TG_TK_SLASH))
            op = TG_AST_OP_DIV;
        else if (at(p, TG_TK_PERCENT))
            op = TG_AST_OP_MOD;
        else
            break;
        advance(p);
        tg_ast_expr *r = parse_power(p);
        e = r == NULL ? NULL : new_binary(p, op, e, r);
    }
    return e;
}

static tg_ast_expr *parse_add(parser *p)
{
    tg_ast_expr *e = parse_mul(p);
    while (e != NULL) {
        tg_ast_op op;
        if (at(p, TG_TK_PLUS))
            op = TG_AST_OP_ADD;
        else if (at(p, TG_TK_MINUS))
            op = TG_AST_OP_SUB;
        else if (at(p, TG_TK_PIPE) && peek_at(p, 1)->kind == TG_TK_PIPE &&
                 peek_at(p, 1)->offset == peek(p)->offset + 1) {
            op = TG_AST_OP_CONCAT; /* || */
            advance(p);
        } else
            break;
        advance(p);
        tg_ast_expr *r = parse_mul(p);
        e = r == NULL ? NULL : new_binary(p, op, e, r);
    }
    return e;
}

/* STARTS WITH, ENDS WITH, CONTAINS, =~, IN, IS [NOT] NULL. */
static tg_ast_expr *parse_predicate(parser *p)
{
    tg_ast_expr *e = parse_add(p);
    while (e != NULL) {
        tg_ast_op op;
        if (at_kw(p, "STARTS") && at_kw_k(p, 1, "WITH")) {
            op = TG_AST_OP_STARTS_WITH;
            advance(p);
        } else if (at_kw(p, "ENDS") && at_kw_k(p, 1, "WITH")) {
            op = TG_AST_OP_ENDS_WITH;
            advance(p);
        } else if (at_kw(p, "CONTAINS")) {
            op = TG_AST_OP_CONTAINS;
        } else if (at(p, TG_TK_REGEX)) {
            op = TG_AST_OP_REGEX;
        } else if (at_kw(p, "IN")) {
            op = TG_AST_OP_IN;
        } else if (at_kw(p, "IS")) {
            advance(p);
            int negated = accept_kw(p, "NOT");
            if (!at_kw(p, "NULL"))
                return expected(p, negated ? "NULL after IS NOT" : "NULL or NOT NULL after IS");
            advance(p);
            tg_ast_expr *x = new_expr(p, TG_AST_UNARY, e->pos);
            if (x == NULL)
                return NULL;
            x->u.unary.op = negated ? TG_AST_OP_IS_NOT_NULL : TG_AST_OP_IS_NULL;
            x->u.unary.arg = e;
            e = finish(p, x);
            continue;
        } else {
            break;
        }
        advance(p);
        tg_ast_expr *r = parse_add(p);
        e = r == NULL ? NULL : new_binary(p, op, e, r);
    }
    return e;
}

static int comparison_op(const parser *p, tg_ast_op *op)
{
    switch (peek(p)->kind) {
    case TG_TK_EQ: *op = TG_AST_OP_EQ; return 1;
    case TG_TK_NE: *op = TG_AST_OP_NE; return 1;
    case TG_TK_LT: *op = TG_AST_OP_LT; return 1;
    case TG_TK_LE: *op = TG_AST_OP_LE; return 1;
    case TG_TK_GT: *op = TG_AST_OP_GT; return 1;
    case TG_TK_GE: *op = TG_AST_OP_GE; return 1;
    default: return 0;
    }
}

/* a < b <= c becomes AND(a < b, b <= c), b shared. */
static tg_ast_expr *parse_comparison(parser *p)
{
    tg_ast_expr *lhs = parse_predicate(p);
    tg_ast_expr *result = NULL;
    tg_ast_op op;
    if (lhs == NULL)
        return NULL;
    if (!comparison_op(p, &op))
        return lhs;
    while (comparison_op(p, &op)) {
        advance(p);
        tg_ast_expr *rhs = parse_predicate(p);
        if (rhs == NULL)
            return NULL;
        tg_ast_expr *cmp = new_binary(p, op, lhs, rhs);
        if (cmp == NULL)
            return NULL;
        result = result == NULL ? cmp : new_binary(p, TG_AST_OP_AND, result, cmp);
        if (result == NULL)
            return NULL;
        lhs = rhs;
    }
    return result;
}

static tg_ast_expr *parse_not(parser *p)
{
    tg_ast_expr *e = NULL;
    if (at_kw(p, "NOT")) {
        tg_ast_pos pos = cur_pos(p);
        advance(p);
        if (!enter(p))
            goto done;
        tg_ast_expr *arg = parse_not(p);
        leave(p);
        if (arg == NULL || (e = new_expr(p, TG_AST_UNARY, pos)) == NULL)
            goto done;
        e->u.unary.op = TG_AST_OP_NOT;
        e->u.unary.arg = arg;
        finish(p, e);
        goto done;
    }
    e = parse_comparison(p);
done:
    return e;
}

/* items[lo..hi) joined by op as a balanced tree. AND, OR and XOR are
 * associative in three-valued logic, and the operands keep their order, so
 * the value and the left-to-right short-circuit are those of the written
 * left-deep chain; only the depth changes: a generated OR of 50,000 tests
 * is 16 levels deep, not 50,000. */
static tg_ast_expr *balanced(parser *p, tg_ast_op op, tg_ast_expr **items, size_t lo, size_t hi)
{
    if (hi - lo == 1)
        return items[lo];
    size_t mid = lo + (hi - lo) / 2;
    tg_ast_expr *l = balanced(p, op, items, lo, mid);
    tg_ast_expr *r = l ? balanced(p, op, items, mid, hi) : NULL;
    return r ? new_binary(p, op, l, r) : NULL;
}

/* A chain `x KW x KW x ...` of one associative boolean operator. */
static tg_ast_expr *parse_chain_of(parser *p, const char *kw, tg_ast_op op,
                                   tg_ast_expr *(*operand)(parser *))
{
    vec items = {0};
    tg_ast_expr *e = operand(p), *out = NULL;
    if (e == NULL || !at_kw(p, kw))
        return e;
    if (!vec_push(p, &items, e))
        goto done;
    while (accept_kw(p, kw)) {
        tg_ast_expr *r = operand(p);
        if (r == NULL || !vec_push(p, &items, r))
            goto done;
    }
    out = balanced(p, op, (tg_ast_expr **)items.v, 0, items.n);
done:
    vec_drop(&items);
    return p->status == TG_OK ? out : NULL;
}

static tg_ast_expr *parse_and(parser *p)
{
    return parse_chain_of(p, "AND", TG_AST_OP_AND, parse_not);
}

static tg_ast_expr *parse_xor(parser *p)
{
    return parse_chain_of(p, "XOR", TG_AST_OP_XOR, parse_and);
}

static tg_ast_expr *parse_expr(parser *p)
{
    tg_ast_expr *e = NULL;
    if (!enter(p))
        goto done;
    e = parse_chain_of(p, "OR", TG_AST_OP_OR, parse_xor);
done:
    leave(p);
    return p->status == TG_OK ? e : NULL;
}

/* ---- patterns ------------------------------------------------------------ */

/* Properties of a node or relation pattern: a map literal or a parameter. */
static int parse_pattern_properties(parser *p, tg_ast_expr **out)
{
    if (at(p, TG_TK_LBRACE)) {
        *out = parse_map_literal(p);
        return *out != NULL;
    }
    if (at(p, TG_TK_PARAM)) {
        *out = parse_atom(p);
        return *out != NULL;
    }
    *out = NULL;
    return 1;
}

/* WHERE inside a node or relationship pattern, at WHERE. */
static int parse_inline_where(parser *p, tg_ast_expr **out)
{
    advance(p);
    p->where_depth++;
    *out = parse_expr(p);
    p->where_depth--;
    return *out != NULL;
}

static int parse_node_pattern(parser *p, tg_ast_node_pattern *n)
{
    n->pos = cur_pos(p);
    size_t open = p->pos;
    if (!at(p, TG_TK_LPAREN)) {
        expected(p, "'(' to start a node pattern");
        return 0;
    }
    advance(p);
    if (at_variable(p)) {
        if ((n->var = parse_name(p, "a variable")) == NULL)
            return 0;
    }
    if (at(p, TG_TK_COLON) &&
        !parse_label_expression(p, TG_AST_LX_AND, 0, &n->labels, &n->n_labels, &n->label_expr))
        return 0;
    if (!parse_pattern_properties(p, &n->properties))
        return 0;
    if (at_kw(p, "WHERE") && !parse_inline_where(p, &n->where))
        return 0;
    return expect_close(p, TG_TK_RPAREN, open, "node pattern");
}

/* A hop count in a variable-length relation: a non-negative decimal integer. */
static int parse_hops(parser *p, long *out)
{
    const tg_token *t = peek(p);
    uint64_t v = 0;
    if (t->kind != TG_TK_INT || t->len < 1 || t->start[0] < '0' || t->start[0] > '9' ||
        (t->len > 1 && (t->start[1] == 'x' || t->start[1] == 'X' || t->start[1] == 'o' ||
                        t->start[1] == 'O'))) {
        expected(p, "a non-negative integer hop count");
        return 0;
    }
    if (tg_token_uint(t, &v) != 0 || v > (uint64_t)LONG_MAX / 2) {
        fail_at(p, t, "hop count is too large");
        return 0;
    }
    advance(p);
    *out = (long)v;
    return 1;
}

static int parse_rel_detail(parser *p, tg_ast_rel_pattern *r)
{
    size_t open = p->pos;
    advance(p); /* '[' */
    if (at_variable(p)) {
        if ((r->var = parse_name(p, "a variable")) == NULL)
            goto fail;
    }
    if (at(p, TG_TK_COLON) &&
        !parse_label_expression(p, TG_AST_LX_OR, 0, &r->types, &r->n_types, &r->type_expr))
        goto fail;
    r->min_hops = r->max_hops = -1;
    if (accept(p, TG_TK_STAR)) {
        r->var_length = 1;
        if (at(p, TG_TK_INT)) {
            if (!parse_hops(p, &r->min_hops))
                goto fail;
            r->max_hops = r->min_hops;
        } else if (!at(p, TG_TK_DOTDOT) && !at(p, TG_TK_LBRACE) && !at(p, TG_TK_PARAM) &&
                 !at(p, TG_TK_RBRACKET)) {
            expected(p, "a non-negative integer hop count, '..' or ']' after '*'");
            goto fail;
        }
        if (accept(p, TG_TK_DOTDOT)) {
            r->max_hops = -1;
            if (at(p, TG_TK_INT) && !parse_hops(p, &r->max_hops))
                goto fail;
        }
    }
    if (!parse_pattern_properties(p, &r->properties))
        goto fail;
    if (at_kw(p, "WHERE") && !parse_inline_where(p, &r->where))
        goto fail;
    if (!at(p, TG_TK_RBRACKET)) {
        char d[64];
        describe(p, peek(p), d, sizeof d);
        fail_at(p, peek(p),
                "unexpected %s in the relationship pattern opened at %ld:%ld; expected "
                "a variable, ':TYPE', '*min..max', properties, WHERE or ']'",
                d, p->toks[open].line, p->toks[open].column);
        goto fail;
    }
    advance(p);
    return p->status == TG_OK;
fail:
    return 0;
}

/* -[...]->, <-[...]-, -[...]-, -->, <--, -- */
static int parse_rel_pattern(parser *p, tg_ast_rel_pattern *r)
{
    r->pos = cur_pos(p);
    r->min_hops = r->max_hops = -1;
    int left = accept(p, TG_TK_LT);
    if (!expect(p, TG_TK_MINUS, "'-' in the relationship pattern"))
        return 0;
    if (at(p, TG_TK_LBRACKET)) {
        if (!parse_rel_detail(p, r))
            return 0;
    }
    if (!expect(p, TG_TK_MINUS, "'-' or '->' to end the relationship pattern"))
        return 0;
    int right = accept(p, TG_TK_GT);
    r->direction = left == right ? TG_AST_DIR_BOTH : left ? TG_AST_DIR_LEFT : TG_AST_DIR_RIGHT;
    return 1;
}

static int at_rel_start(const parser *p)
{
    tg_token_kind a = peek(p)->kind, b = peek_at(p, 1)->kind;
    return (a == TG_TK_MINUS && (b == TG_TK_MINUS || b == TG_TK_LBRACKET)) ||
           (a == TG_TK_LT && b == TG_TK_MINUS);
}

/* Whether a quantified path pattern starts here: '(' '(' ... ')' followed
 * by a quantifier ({m,n}, + or *). */
static int at_qpp(const parser *p)
{
    size_t close;
    tg_token_kind k;
    if (!at(p, TG_TK_LPAREN) || peek_at(p, 1)->kind != TG_TK_LPAREN)
        return 0;
    close = p->match[p->pos];
    if (close == SIZE_MAX || close + 1 >= p->n_toks)
        return 0;
    k = p->toks[close + 1].kind;
    return k == TG_TK_LBRACE || k == TG_TK_PLUS || k == TG_TK_STAR;
}

/* A quantifier {m,n} {m,} {,n} {n} + * into r->min_hops / max_hops. */
static int parse_quantifier_bounds(parser *p, tg_ast_rel_pattern *r)
{
    if (accept(p, TG_TK_PLUS)) {
        r->min_hops = 1;
        r->max_hops = -1;
        return 1;
    }
    if (accept(p, TG_TK_STAR)) {
        r->min_hops = 0;
        r->max_hops = -1;
        return 1;
    }
    {
        size_t open = p->pos;
        if (!expect(p, TG_TK_LBRACE, "a quantifier such as {1,3}, + or *"))
            return 0;
        r->min_hops = 0;
        r->max_hops = -1;
        if (at(p, TG_TK_INT) && !parse_hops(p, &r->min_hops))
            return 0;
        if (accept(p, TG_TK_COMMA)) {
            if (at(p, TG_TK_INT) && !parse_hops(p, &r->max_hops))
                return 0;
        } else
            r->max_hops = r->min_hops;
        if (!expect_close(p, TG_TK_RBRACE, open, "quantifier"))
            return 0;
        if (r->max_hops >= 0 && r->max_hops < r->min_hops) {
            fail_at(p, &p->toks[open], "a quantifier's upper bound is below its lower bound");
            return 0;
        }
    }
    return 1;
}

static tg_ast_path *parse_chain_in(parser *p, tg_ast_pos pos, int inner);

/* ((x)-[r]->(y) WHERE p){1,3} at the outer '('. */
static int parse_qpp(parser *p, tg_ast_rel_pattern *r)
{
    size_t open = p->pos;
    r->pos = cur_pos(p);
    advance(p);
    if (!enter(p))
        return 0;
    r->qpp = parse_chain_in(p, cur_pos(p), 1);
    leave(p);
    if (!r->qpp)
        return 0;
    if (accept_kw(p, "WHERE") && (r->qpp_where = parse_where_expr(p)) == NULL)
        return 0;
    if (!expect_close(p, TG_TK_RPAREN, open, "quantified path pattern"))
        return 0;
    return parse_quantifier_bounds(p, r);
}

/* -[r:T]->{1,3}: the relationship becomes the inner path ()-[r:T]->() of a
 * quantified path pattern. */
static int quantify_rel(parser *p, tg_ast_rel_pattern *r)
{
    tg_ast_path *inner = alloc(p, sizeof *inner);
    tg_ast_node_pattern *nodes = alloc(p, 2 * sizeof *nodes);
    tg_ast_rel_pattern *rel = alloc(p, sizeof *rel);
    if (!inner || !nodes || !rel)
        return 0;
    if (r->var_length) {
        fail_at(p, peek(p), "a variable-length relationship cannot also be quantified");
        return 0;
    }
    *rel = *r;
    nodes[0].pos = nodes[1].pos = r->pos;
    inner->pos = r->pos;
    inner->nodes = nodes;
    inner->rels = rel;
    inner->n_rels = 1;
    memset(r, 0, sizeof *r);
    r->pos = rel->pos;
    r->qpp = inner;
    return parse_quantifier_bounds(p, r);
}

/* (n)-[r]-(m)..., with quantified path patterns (not inside another one). A
 * quantified part at either end or next to another one gets an anonymous
 * node beside it. */
static tg_ast_path *parse_chain_in(parser *p, tg_ast_pos pos, int inner)
{
    tg_ast_path *path = alloc(p, sizeof *path);
    svec nodes = {.size = sizeof(tg_ast_node_pattern)};
    svec rels = {.size = sizeof(tg_ast_rel_pattern)};
    tg_ast_node_pattern *n;
    if (path == NULL)
        goto fail;
    path->pos = pos;
    if (!inner && at_qpp(p)) {
        if ((n = svec_push(p, &nodes)) == NULL)
            goto fail;
        n->pos = cur_pos(p); /* an anonymous node before */
    } else if ((n = svec_push(p, &nodes)) == NULL || !parse_node_pattern(p, n))
        goto fail;
    for (;;) {
        tg_ast_rel_pattern *r;
        if (!inner && at_qpp(p)) {
            if ((r = svec_push(p, &rels)) == NULL || !parse_qpp(p, r))
                goto fail;
            if (!at(p, TG_TK_LPAREN) || at_qpp(p)) {
                if ((n = svec_push(p, &nodes)) == NULL)
                    goto fail;
                n->pos = cur_pos(p); /* an anonymous node after */
            } else if ((n = svec_push(p, &nodes)) == NULL || !parse_node_pattern(p, n))
                goto fail;
            continue;
        }
        if (!at_rel_start(p) && !at(p, TG_TK_MINUS))
            break;
        if (!at_rel_start(p)) {
            /* `(a)-(b)`: a lone '-' is not a relationship. */
            advance(p);
            expected(p, "'-', '[' or '>' to continue the relationship pattern");
            goto fail;
        }
        if ((r = svec_push(p, &rels)) == NULL || !parse_rel_pattern(p, r))
            goto fail;
        if (!inner && (at(p, TG_TK_LBRACE) || at(p, TG_TK_PLUS) ||
                       (at(p, TG_TK_STAR) && peek_at(p, 1)->kind != TG_TK_RBRACKET)) &&
            !quantify_rel(p, r))
            goto fail;
        if ((n = svec_push(p, &nodes)) == NULL || !parse_node_pattern(p, n))
            goto fail;
    }
    if (inner && rels.n == 0) {
        expected(p, "a relationship inside the quantified path pattern");
        goto fail;
    }
    path->n_rels = rels.n;
    path->nodes = svec_freeze(p, &nodes);
    path->rels = svec_freeze(p, &rels);
    return p->status == TG_OK ? path : NULL;
fail:
    svec_drop(&nodes);
    svec_drop(&rels);
    return NULL;
}

static tg_ast_path *parse_chain(parser *p, tg_ast_pos pos)
{
    return parse_chain_in(p, pos, 0);
}

/* [p =] (shortestPath(chain) | allShortestPaths(chain) | chain) */
static tg_ast_path *parse_path(parser *p, int allow_var)
{
    tg_ast_pos pos = cur_pos(p);
    const char *var = NULL;
    tg_ast_path *path = NULL;
    if (allow_var && at_variable(p) && peek_at(p, 1)->kind == TG_TK_EQ) {
        if ((var = parse_name(p, "a path variable")) == NULL)
            return NULL;
        advance(p);
    }
    tg_ast_path_kind kind = TG_AST_PATH_PLAIN;
    if (at_kw(p, "SHORTESTPATH"))
        kind = TG_AST_PATH_SHORTEST;
    else if (at_kw(p, "ALLSHORTESTPATHS"))
        kind = TG_AST_PATH_ALL_SHORTEST;
    if (kind != TG_AST_PATH_PLAIN) {
        advance(p);
        size_t open = p->pos;
        if (!expect(p, TG_TK_LPAREN, "'(' after the shortest-path function"))
            return NULL;
        if ((path = parse_chain(p, pos)) == NULL)
            return NULL;
        if (!expect_close(p, TG_TK_RPAREN, open, "shortest-path function"))
            return NULL;
        if (path->n_rels != 1)
            return fail_at(p, &p->toks[open],
                           "a shortest-path pattern needs exactly one relationship");
    } else {
        if (!at(p, TG_TK_LPAREN))
            return expected(p, "a pattern such as (n) or (a)-[:T]->(b)");
        if ((path = parse_chain(p, pos)) == NULL)
            return NULL;
    }
    for (size_t i = 0; kind != TG_AST_PATH_PLAIN && i < path->n_rels; i++)
        if (path->rels[i].qpp)
            return fail_at(p, peek(p), "a shortest-path pattern cannot hold a quantified path "
                                       "pattern");
    path->var = var;
    path->kind = kind;
    return path;
}

static tg_ast_pattern *parse_pattern(parser *p)
{
    tg_ast_pattern *pat = alloc(p, sizeof *pat);
    vec paths = {0};
    if (pat == NULL)
        return NULL;
    pat->pos = cur_pos(p);
    do {
        tg_ast_path *path = parse_path(p, 1);
        if (path == NULL || !vec_push(p, &paths, path)) {
            vec_drop(&paths);
            return NULL;
        }
    } while (accept(p, TG_TK_COMMA));
    pat->n_paths = paths.n;
    pat->paths = (tg_ast_path **)vec_freeze(p, &paths);
    return p->status == TG_OK ? pat : NULL;
}

/* ---- clauses ------------------------------------------------------------- */

static tg_ast_expr *parse_where_expr(parser *p)
{
    p->where_depth++;
    tg_ast_expr *e = parse_expr(p);
    p->where_depth--;
    return e;
}

static tg_ast_clause *new_clause(parser *p, tg_ast_clause_kind kind, tg_ast_pos pos)
{
    tg_ast_clause *c = alloc(p, sizeof *c);
    if (c != NULL) {
        c->kind = kind;
        c->pos = pos;
    }
    return c;
}

/* Copy of text[from..to) with blanks trimmed at both ends. */
static const char *span_text(parser *p, size_t from, size_t to)
{
    while (from < to && (p->text[from] == ' ' || p->text[from] == '\t' || p->text[from] == '\n' ||
                         p->text[from] == '\r'))
        from++;
    while (to > from && (p->text[to - 1] == ' ' || p->text[to - 1] == '\t' ||
                         p->text[to - 1] == '\n' || p->text[to - 1] == '\r'))
        to--;
    char *s = tg_arena_strndup(p->arena, p->text + from, to - from);
    if (s == NULL)
        oom(p);
    return s;
}

static int at_clause_end(const parser *p)
{
    static const char *const enders[] = {"ORDER", "SKIP", "LIMIT", "WHERE", "UNION", "MATCH",
                                         "OPTIONAL", "WITH", "RETURN", "UNWIND", "CREATE",
                                         "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "CALL"};
    if (at(p, TG_TK_EOF) || at(p, TG_TK_SEMI) || at(p, TG_TK_RBRACE))
        return 1;
    for (size_t i = 0; i < sizeof enders / sizeof enders[0]; i++)
        if (at_kw(p, enders[i]))
            return 1;
    return 0;
}

static int parse_projection(parser *p, tg_ast_projection *proj, int is_with)
{
    svec items = {.size = sizeof(tg_ast_proj_item)};
    svec order = {.size = sizeof(tg_ast_sort_item)};
    const char *clause = is_with ? "WITH" : "RETURN";
    if (accept_kw(p, "DISTINCT"))
        proj->distinct = 1;
    if (at(p, TG_TK_STAR)) {
        advance(p);
        proj->star = 1;
        if (!accept(p, TG_TK_COMMA))
            goto after_items;
    }
    if (at_clause_end(p)) {
        char what[96];
        snprintf(what, sizeof what, "an expression or '*' after %s", clause);
        expected(p, what);
        goto fail;
    }
    do {
        tg_ast_proj_item *it = svec_push(p, &items);
        if (it == NULL)
            goto fail;
        it->pos = cur_pos(p);
        size_t from = peek(p)->offset;
        if ((it->expr = parse_expr(p)) == NULL)
            goto fail;
        if ((it->text = span_text(p, from, prev_end(p))) == NULL)
            goto fail;
        if (accept_kw(p, "AS")) {
            if ((it->alias = parse_variable(p, "a name after AS")) == NULL)
                goto fail;
        }
    } while (accept(p, TG_TK_COMMA));
after_items:
    if (at_kw(p, "ORDER")) {
        advance(p);
        if (!expect_kw(p, "BY"))
            goto fail;
        do {
            tg_ast_sort_item *s = svec_push(p, &order);
            if (s == NULL)
                goto fail;
            s->pos = cur_pos(p);
            if ((s->expr = parse_expr(p)) == NULL)
                goto fail;
            if (accept_kw(p, "DESC") || accept_kw(p, "DESCENDING"))
                s->descending = 1;
            else if (!accept_kw(p, "ASC"))
                accept_kw(p, "ASCENDING");
        } while (accept(p, TG_TK_COMMA));
    }
    if (accept_kw(p, "SKIP")) {
        if ((proj->skip = parse_expr(p)) == NULL)
            goto fail;
    }
    if (accept_kw(p, "LIMIT")) {
        if ((proj->limit = parse_expr(p)) == NULL)
            goto fail;
    }
    if (is_with && accept_kw(p, "WHERE")) {
        if ((proj->where = parse_where_expr(p)) == NULL)
            goto fail;
    }
    proj->n_items = items.n;
    proj->items = svec_freeze(p, &items);
    proj->n_order = order.n;
    proj->order = svec_freeze(p, &order);
    return p->status == TG_OK;
fail:
    svec_drop(&items);
    svec_drop(&order);
    return 0;
}

/* SET items (also after ON CREATE / ON MATCH). */
static int parse_set_items(parser *p, svec *items)
{
    do {
        tg_ast_set_item *it = svec_push(p, items);
        if (it == NULL)
            return 0;
        it->pos = cur_pos(p);
        tg_ast_expr *target;
        if (at(p, TG_TK_LPAREN)) {
            /* SET (n).name = v: a parenthesised expression whose property is set */
            size_t open = p->pos;
            advance(p);
            if ((target = parse_expr(p)) == NULL ||
                !expect_close(p, TG_TK_RPAREN, open, "parenthesized expression"))
                return 0;
            if (!at(p, TG_TK_DOT)) {
                expected(p, "'.key =' after a parenthesised expression in SET");
                return 0;
            }
        } else {
            if ((target = new_expr(p, TG_AST_VAR, cur_pos(p))) == NULL)
                return 0;
            if ((target->u.var = parse_variable(p, "a variable to SET")) == NULL)
                return 0;
            finish(p, target);
        }
        if (at(p, TG_TK_COLON)) {
            it->kind = TG_AST_SET_LABELS;
            it->target = target;
            if (!parse_labels(p, &it->labels, &it->n_labels, "a label name after ':'"))
                return 0;
            continue;
        }
        if (at(p, TG_TK_DOT)) {
            while (at(p, TG_TK_DOT)) {
                advance(p);
                tg_ast_expr *x = new_expr(p, TG_AST_PROPERTY, target->pos);
                if (x == NULL)
                    return 0;
                x->u.property.base = target;
                if ((x->u.property.key = parse_name(p, "a property key after '.'")) == NULL)
                    return 0;
                target = finish(p, x);
            }
            it->kind = TG_AST_SET_PROPERTY;
            if (!expect(p, TG_TK_EQ, "'=' after the property to SET"))
                return 0;
        } else if (accept(p, TG_TK_PLUSEQ)) {
            it->kind = TG_AST_SET_MERGE;
        } else if (accept(p, TG_TK_EQ)) {
            it->kind = TG_AST_SET_REPLACE;
        } else {
            expected(p, "'.key =', '=', '+=' or ':Label' in SET");
            return 0;
        }
        it->target = target;
        if ((it->value = parse_expr(p)) == NULL)
            return 0;
    } while (accept(p, TG_TK_COMMA));
    return 1;
}

static int parse_remove_items(parser *p, svec *items)
{
    do {
        tg_ast_remove_item *it = svec_push(p, items);
        if (it == NULL)
            return 0;
        it->pos = cur_pos(p);
        tg_ast_expr *target = new_expr(p, TG_AST_VAR, cur_pos(p));
        if (target == NULL)
            return 0;
        if ((target->u.var = parse_variable(p, "a variable to REMOVE from")) == NULL)
            return 0;
        finish(p, target);
        if (at(p, TG_TK_COLON)) {
            it->kind = TG_AST_REMOVE_LABELS;
            if (!parse_labels(p, &it->labels, &it->n_labels, "a label name after ':'"))
                return 0;
        } else if (at(p, TG_TK_DOT)) {
            it->kind = TG_AST_REMOVE_PROPERTY;
            while (at(p, TG_TK_DOT)) {
                advance(p);
                tg_ast_expr *x = new_expr(p, TG_AST_PROPERTY, target->pos);
                if (x == NULL)
                    return 0;
                x->u.property.base = target;
                if ((x->u.property.key = parse_name(p, "a property key after '.'")) == NULL)
                    return 0;
                target = finish(p, x);
            }
        } else {
            expected(p, "'.key' or ':Label' in REMOVE");
            return 0;
        }
        it->target = target;
    } while (accept(p, TG_TK_COMMA));
    return 1;
}

static tg_ast_clause *parse_call_clause(parser *p, tg_ast_pos pos)
{
    tg_ast_clause *c = new_clause(p, TG_AST_CALL_PROC, pos);
    svec yields = {.size = sizeof(tg_ast_yield_item)};
    if (c == NULL)
        return NULL;
    if ((c->u.call.name = parse_qualified_name(p, "a procedure name after CALL")) == NULL)
        return NULL;
    if (at(p, TG_TK_LPAREN)) {
        size_t open = p->pos;
        advance(p);
        c->u.call.has_args = 1;
        if (!parse_args(p, open, "procedure argument list", &c->u.call.args, &c->u.call.n_args))
            return NULL;
    }
    if (accept_kw(p, "YIELD")) {
        c->u.call.has_yield = 1;
        if (accept(p, TG_TK_STAR)) {
            c->u.call.yield_star = 1;
        } else {
            do {
                tg_ast_yield_item *y = svec_push(p, &yields);
                if (y == NULL)
                    goto fail;
                y->pos = cur_pos(p);
                if ((y->name = parse_name(p, "a procedure output name after YIELD")) == NULL)
                    goto fail;
                if (accept_kw(p, "AS")) {
                    if ((y->alias = parse_variable(p, "a name after AS")) == NULL)
                        goto fail;
                }
            } while (accept(p, TG_TK_COMMA));
        }
        if (accept_kw(p, "WHERE")) {
            if ((c->u.call.where = parse_where_expr(p)) == NULL)
                goto fail;
        }
    }
    c->u.call.n_yields = yields.n;
    c->u.call.yields = svec_freeze(p, &yields);
    return p->status == TG_OK ? c : NULL;
fail:
    svec_drop(&yields);
    return NULL;
}

/* CALL { ... }, CALL (a, b) { ... }, CALL (*) { ... } after CALL. */
static tg_ast_clause *parse_call_subquery(parser *p, tg_ast_pos pos)
{
    tg_ast_clause *c = new_clause(p, TG_AST_CALL_SUBQUERY, pos);
    vec names = {0};
    svec poss = {.size = sizeof(tg_ast_pos)};
    size_t open;
    if (c == NULL)
        return NULL;
    if (at(p, TG_TK_LPAREN)) {
        size_t popen = p->pos;
        advance(p);
        c->u.subquery.has_scope = 1;
        if (accept(p, TG_TK_STAR)) {
            c->u.subquery.scope_star = 1;
        } else if (!at(p, TG_TK_RPAREN)) {
            do {
                tg_ast_pos *vp = svec_push(p, &poss);
                const char *v;
                if (vp == NULL)
                    goto fail;
                *vp = cur_pos(p);
                if ((v = parse_variable(p, "a variable to import into the subquery")) == NULL ||
                    !vec_push(p, &names, (void *)v))
                    goto fail;
            } while (accept(p, TG_TK_COMMA));
        }
        if (!expect_close(p, TG_TK_RPAREN, popen, "variables the subquery imports"))
            goto fail;
    }
    c->u.subquery.n_scope = names.n;
    c->u.subquery.scope = (const char **)vec_freeze(p, &names);
    c->u.subquery.scope_pos = svec_freeze(p, &poss);
    if (!at(p, TG_TK_LBRACE))
        return expected(p, "'{' to open the subquery");
    open = p->pos;
    advance(p);
    c->u.subquery.query = parse_subquery_body(p, open, 0, "CALL subquery");
    return c->u.subquery.query ? c : NULL;
fail:
    vec_drop(&names);
    svec_drop(&poss);
    return NULL;
}

static tg_ast_clause *parse_clause(parser *p);

/* FOREACH (x IN list | updating clauses) after FOREACH: sugar for
 * CALL (*) { UNWIND list AS x <clauses> }, a subquery that sees every outer
 * variable, runs once per outer row and returns nothing. */
static tg_ast_clause *parse_foreach(parser *p, tg_ast_pos pos)
{
    tg_ast_clause *c = new_clause(p, TG_AST_CALL_SUBQUERY, pos);
    tg_ast_clause *u = NULL;
    tg_ast_single_query *q = alloc(p, sizeof *q);
    tg_ast_single_query **parts = alloc(p, sizeof *parts);
    tg_ast_statement *st = alloc(p, sizeof *st);
    vec clauses = {0};
    size_t open = p->pos;
    if (!c || !q || !parts || !st || !enter(p))
        goto fail;
    if (!at(p, TG_TK_LPAREN)) {
        expected(p, "'(' after FOREACH");
        goto fail;
    }
    advance(p);
    if ((u = new_clause(p, TG_AST_UNWIND, cur_pos(p))) == NULL)
        goto fail;
    u->u.unwind.alias_pos = cur_pos(p);
    if ((u->u.unwind.alias = parse_variable(p, "a variable after FOREACH (")) == NULL ||
        !expect_kw(p, "IN") || (u->u.unwind.expr = parse_expr(p)) == NULL)
        goto fail;
    if (!accept(p, TG_TK_PIPE)) {
        expected(p, "'|' and the updating clauses of FOREACH");
        goto fail;
    }
    if (!vec_push(p, &clauses, u))
        goto fail;
    do {
        tg_ast_clause *in;
        if (!(at_kw(p, "CREATE") || at_kw(p, "MERGE") || at_kw(p, "SET") || at_kw(p, "DELETE") ||
              at_kw(p, "DETACH") || at_kw(p, "REMOVE") || at_kw(p, "FOREACH"))) {
            expected(p, "an updating clause (CREATE, MERGE, SET, DELETE, REMOVE, FOREACH) in "
                        "FOREACH");
            goto fail;
        }
        if ((in = parse_clause(p)) == NULL || !vec_push(p, &clauses, in))
            goto fail;
    } while (!at(p, TG_TK_RPAREN) && !at(p, TG_TK_EOF));
    if (!expect_close(p, TG_TK_RPAREN, open, "FOREACH"))
        goto fail;
    leave(p);
    q->pos = u->pos;
    q->n_clauses = clauses.n;
    q->clauses = (tg_ast_clause **)vec_freeze(p, &clauses);
    parts[0] = q;
    st->pos = pos;
    st->parts = parts;
    st->n_parts = 1;
    c->u.subquery.query = st;
    c->u.subquery.has_scope = 1;
    c->u.subquery.scope_star = 1;
    return p->status == TG_OK ? c : NULL;
fail:
    if (c && q && parts && st)
        leave(p);
    vec_drop(&clauses);
    return NULL;
}

/* SHOW [ALL | BUILT IN | USER DEFINED] PROCEDURES|FUNCTIONS [YIELD ...]
 * [WHERE ...]: a call of dbms.procedures() / dbms.functions() yielding
 * every column (or those named); RETURN and other clauses may follow. */
static tg_ast_clause *parse_show(parser *p, tg_ast_pos pos)
{
    tg_ast_clause *c;
    const char *proc;
    advance(p); /* SHOW */
    while (at_kw(p, "ALL") || at_kw(p, "BUILT") || at_kw(p, "IN") || at_kw(p, "USER") ||
           at_kw(p, "DEFINED"))
        advance(p);
    if (at_kw(p, "PROCEDURE") || at_kw(p, "PROCEDURES"))
        proc = "dbms.procedures";
    else if (at_kw(p, "FUNCTION") || at_kw(p, "FUNCTIONS"))
        proc = "dbms.functions";
    else
        return expected(p, "PROCEDURES or FUNCTIONS after SHOW");
    advance(p);
    if ((c = new_clause(p, TG_AST_CALL_PROC, pos)) == NULL)
        return NULL;
    c->u.call.name = proc;
    c->u.call.has_args = 1;
    c->u.call.show = 1;
    if (at_kw(p, "YIELD")) {
        svec yields = {.size = sizeof(tg_ast_yield_item)};
        advance(p);
        c->u.call.has_yield = 1;
        if (accept(p, TG_TK_STAR))
            c->u.call.yield_star = 1;
        else {
            do {
                tg_ast_yield_item *y = svec_push(p, &yields);
                if (y == NULL)
                    goto fail;
                y->pos = cur_pos(p);
                if ((y->name = parse_name(p, "a column name after YIELD")) == NULL)
                    goto fail;
                if (accept_kw(p, "AS") && (y->alias = parse_variable(p, "a name after AS")) == NULL)
                    goto fail;
            } while (accept(p, TG_TK_COMMA));
        }
        c->u.call.n_yields = yields.n;
        c->u.call.yields = svec_freeze(p, &yields);
        if (0) {
        fail:
            svec_drop(&yields);
            return NULL;
        }
    } else {
        c->u.call.has_yield = 1;
        c->u.call.yield_star = 1;
    }
    if (accept_kw(p, "WHERE") && (c->u.call.where = parse_where_expr(p)) == NULL)
        return NULL;
    return p->status == TG_OK ? c : NULL;
}

static tg_ast_clause *parse_clause(parser *p)
{
    const tg_token *t = peek(p);
    tg_ast_pos pos = tok_pos(t);
    tg_ast_clause *c = NULL;
    if (++p->nclauses > TG_PARSER_MAX_CLAUSES)
        return fail_at(p, t,
                       "too many clauses: a statement may have %d (each is an operator that "
                       "calls the one before it, and the chain must fit the stack); split it",
                       TG_PARSER_MAX_CLAUSES);
    if (at_kw(p, "MATCH") || (at_kw(p, "OPTIONAL") && at_kw_k(p, 1, "MATCH"))) {
        int optional = accept_kw(p, "OPTIONAL");
        advance(p);
        if ((c = new_clause(p, TG_AST_MATCH, pos)) == NULL)
            return NULL;
        c->u.match.optional = optional;
        if ((c->u.match.pattern = parse_pattern(p)) == NULL)
            return NULL;
        if (accept_kw(p, "WHERE") && (c->u.match.where = parse_where_expr(p)) == NULL)
            return NULL;
        return c;
    }
    if (at_kw(p, "OPTIONAL") && at_kw_k(p, 1, "CALL")) {
        advance(p);
        advance(p);
        if (!at(p, TG_TK_LBRACE) && !at(p, TG_TK_LPAREN))
            return expected(p, "'{' or '(' after OPTIONAL CALL: a subquery");
        if ((c = parse_call_subquery(p, pos)) != NULL)
            c->u.subquery.optional = 1;
        return c;
    }
    if (at_kw(p, "OPTIONAL")) {
        advance(p);
        return expected(p, "MATCH or CALL after OPTIONAL");
    }
    if (accept_kw(p, "LOAD")) {
        if ((c = new_clause(p, TG_AST_LOAD_CSV, pos)) == NULL || !expect_kw(p, "CSV"))
            return NULL;
        if (accept_kw(p, "WITH")) {
            if (!expect_kw(p, "HEADERS"))
                return NULL;
            c->u.load_csv.headers = 1;
        }
        if (!expect_kw(p, "FROM") || (c->u.load_csv.url = parse_expr(p)) == NULL ||
            !expect_kw(p, "AS"))
            return NULL;
        c->u.load_csv.alias_pos = cur_pos(p);
        if ((c->u.load_csv.alias = parse_variable(p, "a variable after AS")) == NULL)
            return NULL;
        if (accept_kw(p, "FIELDTERMINATOR")) {
            tg_ast_expr *t = parse_expr(p);
            if (!t)
                return NULL;
            if (t->kind != TG_AST_STRING || t->u.string.len != 1)
                return expected(p, "a one-character string after FIELDTERMINATOR, such as ';'");
            c->u.load_csv.terminator = t->u.string.s[0];
        }
        return c;
    }
    if (accept_kw(p, "UNWIND")) {
        if ((c = new_clause(p, TG_AST_UNWIND, pos)) == NULL)
            return NULL;
        if ((c->u.unwind.expr = parse_expr(p)) == NULL || !expect_kw(p, "AS"))
            return NULL;
        c->u.unwind.alias_pos = cur_pos(p);
        if ((c->u.unwind.alias = parse_variable(p, "a variable after AS")) == NULL)
            return NULL;
        return c;
    }
    if (at_kw(p, "WITH") || at_kw(p, "RETURN")) {
        int is_with = at_kw(p, "WITH");
        advance(p);
        if ((c = new_clause(p, is_with ? TG_AST_WITH : TG_AST_RETURN, pos)) == NULL)
            return NULL;
        if (!parse_projection(p, &c->u.projection, is_with))
            return NULL;
        return c;
    }
    if (accept_kw(p, "CREATE")) {
        if ((c = new_clause(p, TG_AST_CREATE, pos)) == NULL)
            return NULL;
        if ((c->u.create.pattern = parse_pattern(p)) == NULL)
            return NULL;
        return c;
    }
    if (accept_kw(p, "MERGE")) {
        svec on_create = {.size = sizeof(tg_ast_set_item)};
        svec on_match = {.size = sizeof(tg_ast_set_item)};
        if ((c = new_clause(p, TG_AST_MERGE, pos)) == NULL)
            return NULL;
        if ((c->u.merge.path = parse_path(p, 1)) == NULL)
            return NULL;
        while (at_kw(p, "ON")) {
            advance(p);
            svec *dst = NULL;
            if (accept_kw(p, "CREATE")) {
                dst = &on_create;
            } else if (accept_kw(p, "MATCH")) {
                dst = &on_match;
            } else {
                expected(p, "CREATE or MATCH after ON");
                break;
            }
            if (!expect_kw(p, "SET") || !parse_set_items(p, dst))
                break;
        }
        c->u.merge.n_on_create = on_create.n;
        c->u.merge.on_create = svec_freeze(p, &on_create);
        c->u.merge.n_on_match = on_match.n;
        c->u.merge.on_match = svec_freeze(p, &on_match);
        return p->status == TG_OK ? c : NULL;
    }
    if (accept_kw(p, "SET")) {
        svec items = {.size = sizeof(tg_ast_set_item)};
        if ((c = new_clause(p, TG_AST_SET, pos)) == NULL)
            return NULL;
        int ok = parse_set_items(p, &items);
        c->u.set.n_items = items.n;
        c->u.set.items = svec_freeze(p, &items);
        return ok && p->status == TG_OK ? c : NULL;
    }
    if (at_kw(p, "DELETE") || (at_kw(p, "DETACH") && at_kw_k(p, 1, "DELETE"))) {
        int detach = accept_kw(p, "DETACH");
        advance(p);
        vec exprs = {0};
        if ((c = new_clause(p, TG_AST_DELETE, pos)) == NULL)
            return NULL;
        c->u.delete_.detach = detach;
        do {
            tg_ast_expr *e = parse_expr(p);
            if (e == NULL || !vec_push(p, &exprs, e)) {
                vec_drop(&exprs);
                return NULL;
            }
        } while (accept(p, TG_TK_COMMA));
        c->u.delete_.n_exprs = exprs.n;
        c->u.delete_.exprs = (tg_ast_expr **)vec_freeze(p, &exprs);
        return p->status == TG_OK ? c : NULL;
    }
    if (at_kw(p, "DETACH")) {
        advance(p);
        return expected(p, "DELETE after DETACH");
    }
    if (accept_kw(p, "REMOVE")) {
        svec items = {.size = sizeof(tg_ast_remove_item)};
        if ((c = new_clause(p, TG_AST_REMOVE, pos)) == NULL)
            return NULL;
        int ok = parse_remove_items(p, &items);
        c->u.remove.n_items = items.n;
        c->u.remove.items = svec_freeze(p, &items);
        return ok && p->status == TG_OK ? c : NULL;
    }
    if (accept_kw(p, "CALL")) {
        if (at(p, TG_TK_LBRACE) || at(p, TG_TK_LPAREN))
            return parse_call_subquery(p, pos);
        return parse_call_clause(p, pos);
    }
    if (at_kw(p, "SHOW"))
        return parse_show(p, pos);
    if (accept_kw(p, "FOREACH"))
        return parse_foreach(p, pos);
    return expected(p, "a clause such as MATCH, RETURN, WITH, UNWIND, CREATE or CALL");
}

static int is_updating(tg_ast_clause_kind k)
{
    return k == TG_AST_CREATE || k == TG_AST_MERGE || k == TG_AST_SET || k == TG_AST_DELETE ||
           k == TG_AST_REMOVE;
}

/* Clauses up to UNION, the end, or (in braces) '}'. open_end: the last
 * clause need not be RETURN or an update (EXISTS and COUNT subqueries). */
static tg_ast_single_query *parse_single_query(parser *p, int in_braces, int open_end)
{
    tg_ast_single_query *q = alloc(p, sizeof *q);
    vec clauses = {0};
    if (q == NULL)
        return NULL;
    q->pos = cur_pos(p);
    const tg_token *last_tok = NULL;
    while (!at(p, TG_TK_EOF) && !at(p, TG_TK_SEMI) && !at_kw(p, "UNION") &&
           !(in_braces && at(p, TG_TK_RBRACE))) {
        if (clauses.n > 0 && ((tg_ast_clause *)clauses.v[clauses.n - 1])->kind == TG_AST_RETURN) {
            char d[64];
            describe(p, peek(p), d, sizeof d);
            if (at_clause_end(p))
                fail_at(p, peek(p), "unexpected %s; RETURN must be the last clause of a query", d);
            else
                fail_at(p, peek(p), "unexpected %s; expected an operator, ORDER BY, SKIP, LIMIT, "
                                    "UNION or the end of the statement", d);
            goto fail;
        }
        last_tok = peek(p);
        tg_ast_clause *c = parse_clause(p);
        if (c == NULL || !vec_push(p, &clauses, c))
            goto fail;
    }
    if (clauses.n == 0) {
        expected(p, "a clause such as MATCH, RETURN, WITH, UNWIND, CREATE or CALL");
        goto fail;
    }
    tg_ast_clause *last = clauses.v[clauses.n - 1];
    if (!open_end && last->kind != TG_AST_RETURN && last->kind != TG_AST_CALL_PROC &&
        last->kind != TG_AST_CALL_SUBQUERY && !is_updating(last->kind)) {
        fail_at(p, last_tok,
                "a query cannot end with %.*s; finish it with RETURN or an updating clause",
                (int)last_tok->len, last_tok->start);
        goto fail;
    }
    for (size_t i = 0; i < clauses.n; i++) {
        tg_ast_clause *c = clauses.v[i];
        if (c->kind == TG_AST_CALL_PROC && c->u.call.yield_star && clauses.n > 1 &&
            !c->u.call.show) {
            tg_token at_call = {TG_TK_IDENT, p->text + c->pos.offset, 4, c->pos.offset,
                                c->pos.line, c->pos.column};
            fail_at(p, &at_call, "YIELD * is only allowed in a standalone CALL; name the "
                                 "outputs (YIELD a, b) when other clauses follow");
            goto fail;
        }
    }
    q->n_clauses = clauses.n;
    q->clauses = (tg_ast_clause **)vec_freeze(p, &clauses);
    return p->status == TG_OK ? q : NULL;
fail:
    vec_drop(&clauses);
    return NULL;
}

/* ---- entry points -------------------------------------------------------- */

/* The whole text must be UTF-8 (tg_utf8_valid, the check every input
 * shares), so that no string a query builds or stores can hold invalid
 * bytes. Returns 1 when it is; else records the error at the bad byte. */
static int valid_text(parser *p)
{
    size_t bad, line = 1, col = 1; /* columns count bytes, as the lexer's */
    if (tg_utf8_valid(p->text, p->len, &bad))
        return 1;
    for (size_t i = 0; i < bad; i++) {
        if (p->text[i] == '\n') {
            line++;
            col = 1;
        } else
            col++;
    }
    p->status = tg_error_set(p->err, TG_ESYNTAX, NULL, (long)line, (long)col,
                             "invalid UTF-8: byte 0x%02x does not start a valid UTF-8 "
                             "sequence (query text must be UTF-8)",
                             (unsigned char)p->text[bad]);
    return 0;
}

/* Tokenizes the whole text and pairs brackets. */
static tg_status tokenize(parser *p)
{
    tg_lexer lx;
    size_t cap = 0;
    tg_lexer_init(&lx, p->text, p->len);
    for (;;) {
        tg_token t;
        tg_error_clear(&p->lex_err);
        tg_status st = tg_lexer_next(&lx, &t, &p->lex_err);
        if (p->n_toks == cap) {
            cap = cap ? cap * 2 : 64;
            tg_token *nt = realloc(p->toks, cap * sizeof *nt);
            if (nt == NULL)
                return oom(p), TG_ENOMEM;
            p->toks = nt;
        }
        if (st != TG_OK) {
            /* The final token stands for the error, placed where it is. */
            memset(&t, 0, sizeof t);
            t.kind = TG_TK_EOF;
            t.start = p->text + (lx.pos < p->len ? lx.pos : p->len);
            t.line = p->lex_err.line;
            t.column = p->lex_err.column;
            t.offset = lx.pos;
            p->lex_failed = 1;
            p->toks[p->n_toks++] = t;
            break;
        }
        p->toks[p->n_toks++] = t;
        if (t.kind == TG_TK_EOF)
            break;
        if (p->deadline > 0 && (p->n_toks & 65535u) == 0 && tg_i_monotonic() > p->deadline)
            return p->status = tg_error_set(p->err, TG_ERUNTIME, NULL, t.line, t.column,
                                            TG_TIMEOUT_FMT, p->timeout, "reading its text");
    }
    p->match = malloc(p->n_toks * sizeof *p->match);
    size_t *stack = malloc(p->n_toks * sizeof *stack);
    size_t top = 0;
    if (p->match == NULL || stack == NULL) {
        free(stack);
        return oom(p), TG_ENOMEM;
    }
    for (size_t i = 0; i < p->n_toks; i++) {
        p->match[i] = SIZE_MAX;
        tg_token_kind k = p->toks[i].kind;
        if (k == TG_TK_LPAREN || k == TG_TK_LBRACKET || k == TG_TK_LBRACE) {
            stack[top++] = i;
        } else if (k == TG_TK_RPAREN || k == TG_TK_RBRACKET || k == TG_TK_RBRACE) {
            tg_token_kind want = k == TG_TK_RPAREN ? TG_TK_LPAREN
                                 : k == TG_TK_RBRACKET ? TG_TK_LBRACKET
                                                       : TG_TK_LBRACE;
            if (top > 0 && p->toks[stack[top - 1]].kind == want) {
                p->match[stack[top - 1]] = i;
                top--;
            } else {
                top = 0; /* unbalanced: leave the rest unpaired */
            }
        }
    }
    free(stack);
    return TG_OK;
}

static void parser_init(parser *p, const char *text, size_t len, tg_arena *arena, tg_error *err)
{
    memset(p, 0, sizeof *p);
    p->text = text;
    p->len = len;
    p->arena = arena;
    p->err = err;
    tg_error_clear(err);
}

static void parser_destroy(parser *p)
{
    free(p->toks);
    free(p->match);
}

/* Fails at the current token unless it is the end (or an optional ';' then the end). */
static void expect_end(parser *p, int allow_semi)
{
    if (allow_semi)
        accept(p, TG_TK_SEMI);
    if (!at(p, TG_TK_EOF) || p->lex_failed) {
        if (p->lex_failed && at_end_token(p))
            fail_at(p, peek(p), "lexical error");
        else
            expected(p, allow_semi ? "the end of the statement" : "the end of the expression");
    }
}

tg_status tg_parse_statement(const char *text, size_t len, tg_arena *arena, tg_ast_statement **out,
                             tg_error *err)
{
    return tg_parse_statement_timed(text, len, arena, 0, 0, out, err);
}

tg_status tg_parse_statement_timed(const char *text, size_t len, tg_arena *arena, double deadline,
                                   double timeout, tg_ast_statement **out, tg_error *err)
{
    parser p;
    tg_ast_statement *st = NULL;
    parser_init(&p, text, len, arena, err);
    p.deadline = deadline;
    p.timeout = timeout;
    *out = NULL;
    if (text == NULL || arena == NULL) {
        p.status = tg_error_set(err, TG_EINVAL, NULL, 0, 0, "no text or no arena to parse with");
        goto done;
    }
    if (!valid_text(&p) || tokenize(&p) != TG_OK)
        goto done;
    {
        tg_ast_mode mode = TG_AST_RUN;
        if (at_kw(&p, "EXPLAIN") || at_kw(&p, "PROFILE")) {
            mode = at_kw(&p, "EXPLAIN") ? TG_AST_EXPLAIN : TG_AST_PROFILE;
            advance(&p);
        }
        if ((st = parse_query(&p, 0, 0)) == NULL)
            goto done;
        st->mode = mode;
    }
    expect_end(&p, 1);
    if (p.status == TG_OK)
        *out = st;
done:
    parser_destroy(&p);
    return p.status;
}

/* Single queries joined by UNION / UNION ALL (one kind only). */
static tg_ast_statement *parse_query(parser *p, int in_braces, int open_end)
{
    vec parts = {0};
    tg_ast_statement *st = alloc(p, sizeof *st);
    int union_all = 0, kinds = 0; /* bit 1: UNION, bit 2: UNION ALL */
    if (st == NULL)
        return NULL;
    st->pos = cur_pos(p);
    for (;;) {
        tg_ast_single_query *q = parse_single_query(p, in_braces, open_end);
        if (q == NULL || !vec_push(p, &parts, q))
            goto fail;
        q->union_all = union_all;
        if (!at_kw(p, "UNION"))
            break;
        {
            const tg_token *u = advance(p);
            union_all = accept_kw(p, "ALL");
            kinds |= union_all ? 2 : 1;
            if (kinds == 3) {
                fail_at(p, u, "InvalidClauseComposition: UNION and UNION ALL cannot be mixed "
                              "in one query");
                goto fail;
            }
        }
    }
    st->n_parts = parts.n;
    st->parts = (tg_ast_single_query **)vec_freeze(p, &parts);
    return p->status == TG_OK ? st : NULL;
fail:
    vec_drop(&parts);
    return NULL;
}

tg_status tg_parse_expression(const char *text, size_t len, tg_arena *arena, tg_ast_expr **out,
                              tg_error *err)
{
    parser p;
    parser_init(&p, text, len, arena, err);
    *out = NULL;
    if (text == NULL || arena == NULL) {
        p.status = tg_error_set(err, TG_EINVAL, NULL, 0, 0, "no text or no arena to parse with");
        goto done;
    }
    if (!valid_text(&p) || tokenize(&p) != TG_OK)
        goto done;
    tg_ast_expr *e = parse_expr(&p);
    if (e == NULL)
        goto done;
    expect_end(&p, 0);
    if (p.status == TG_OK)
        *out = e;
done:
    parser_destroy(&p);
    return p.status;
}

/* ---- dumper -------------------------------------------------------------- */

static const char *op_name(tg_ast_op op)
{
    switch (op) {
    case TG_AST_OP_NOT: return "not";
    case TG_AST_OP_NEG: return "neg";
    case TG_AST_OP_PLUS: return "pos";
    case TG_AST_OP_IS_NULL: return "is-null";
    case TG_AST_OP_IS_NOT_NULL: return "is-not-null";
    case TG_AST_OP_OR: return "or";
    case TG_AST_OP_XOR: return "xor";
    case TG_AST_OP_AND: return "and";
    case TG_AST_OP_EQ: return "=";
    case TG_AST_OP_NE: return "<>";
    case TG_AST_OP_LT: return "<";
    case TG_AST_OP_LE: return "<=";
    case TG_AST_OP_GT: return ">";
    case TG_AST_OP_GE: return ">=";
    case TG_AST_OP_STARTS_WITH: return "starts-with";
    case TG_AST_OP_ENDS_WITH: return "ends-with";
    case TG_AST_OP_CONTAINS: return "contains";
    case TG_AST_OP_REGEX: return "=~";
    case TG_AST_OP_IN: return "in";
    case TG_AST_OP_ADD: return "+";
    case TG_AST_OP_CONCAT: return "||";
    case TG_AST_OP_SUB: return "-";
    case TG_AST_OP_MUL: return "*";
    case TG_AST_OP_DIV: return "/";
    case TG_AST_OP_MOD: return "%";
    case TG_AST_OP_POW: return "^";
    }
    return "?";
}

static void dump_opt(const tg_ast_expr *e, FILE *out);

static void dump_string(const char *s, size_t len, FILE *out)
{
    fputc('\'', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\'' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x20)
            fprintf(out, "\\u%04X", c);
        else
            fputc(c, out);
    }
    fputc('\'', out);
}

static void dump_names(const char *const *names, size_t n, FILE *out)
{
    fputc('(', out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? " " : "", names[i]);
    fputc(')', out);
}

/* A label expression as (| A (! B)), (& A B), %, A. */
static void dump_lx(const tg_ast_labelexpr *x, FILE *out)
{
    switch (x->kind) {
    case TG_AST_LX_LABEL: fputs(x->name, out); break;
    case TG_AST_LX_ANY: fputc('%', out); break;
    case TG_AST_LX_NOT:
        fputs("(! ", out);
        dump_lx(x->a, out);
        fputc(')', out);
        break;
    case TG_AST_LX_AND:
    case TG_AST_LX_OR:
        fputs(x->kind == TG_AST_LX_AND ? "(& " : "(| ", out);
        dump_lx(x->a, out);
        fputc(' ', out);
        dump_lx(x->b, out);
        fputc(')', out);
        break;
    }
}

/* The labels of a node or the types of a relationship: a list or an
 * expression. */
static void dump_label_part(const char *const *names, size_t n, const tg_ast_labelexpr *x,
                            FILE *out)
{
    if (x)
        dump_lx(x, out);
    else
        dump_names(names, n, out);
}

static void dump_path(const tg_ast_path *path, FILE *out)
{
    static const char *const kinds[] = {"path", "shortest", "all-shortest"};
    fprintf(out, "(%s", kinds[path->kind]);
    if (path->var != NULL)
        fprintf(out, " %s =", path->var);
    for (size_t i = 0; i <= path->n_rels; i++) {
        const tg_ast_node_pattern *n = &path->nodes[i];
        fprintf(out, " (node %s ", n->var ? n->var : "_");
        dump_label_part(n->labels, n->n_labels, n->label_expr, out);
        if (n->properties != NULL) {
            fputc(' ', out);
            tg_ast_dump_expr(n->properties, out);
        }
        if (n->where) {
            fputs(" (where", out);
            dump_opt(n->where, out);
            fputc(')', out);
        }
        fputc(')', out);
        if (i == path->n_rels)
            break;
        const tg_ast_rel_pattern *r = &path->rels[i];
        static const char *const dirs[] = {"->", "<-", "--"};
        if (r->qpp) {
            fputs(" (quantified ", out);
            dump_path(r->qpp, out);
            dump_opt(r->qpp_where, out);
            fprintf(out, " {%ld,", r->min_hops);
            if (r->max_hops >= 0)
                fprintf(out, "%ld", r->max_hops);
            fputs("})", out);
            continue;
        }
        fprintf(out, " (rel %s %s ", dirs[r->direction], r->var ? r->var : "_");
        dump_label_part(r->types, r->n_types, r->type_expr, out);
        if (r->var_length) {
            fputs(" *", out);
            if (r->min_hops >= 0)
                fprintf(out, "%ld", r->min_hops);
            fputs("..", out);
            if (r->max_hops >= 0)
                fprintf(out, "%ld", r->max_hops);
        }
        if (r->properties != NULL) {
            fputc(' ', out);
            tg_ast_dump_expr(r->properties, out);
        }
        if (r->where) {
            fputs(" (where", out);
            dump_opt(r->where, out);
            fputc(')', out);
        }
        fputc(')', out);
    }
    fputc(')', out);
}

int tg_ast_dump_expr(const tg_ast_expr *e, FILE *out)
{
    switch (e->kind) {
    case TG_AST_NULL: fputs("null", out); break;
    case TG_AST_BOOL: fputs(e->u.boolean ? "true" : "false", out); break;
    case TG_AST_INT: fprintf(out, "%" PRId64, e->u.integer); break;
    case TG_AST_FLOAT: fprintf(out, "%.17gf", e->u.real); break;
    case TG_AST_STRING: dump_string(e->u.string.s, e->u.string.len, out); break;
    case TG_AST_PARAM: fprintf(out, "$%s", e->u.param); break;
    case TG_AST_VAR: fputs(e->u.var, out); break;
    case TG_AST_PROPERTY:
        fputs("(. ", out);
        tg_ast_dump_expr(e->u.property.base, out);
        fprintf(out, " %s)", e->u.property.key);
        break;
    case TG_AST_INDEX:
        fputs("([] ", out);
        tg_ast_dump_expr(e->u.index.base, out);
        fputc(' ', out);
        tg_ast_dump_expr(e->u.index.index, out);
        fputc(')', out);
        break;
    case TG_AST_SLICE:
        fputs("([..] ", out);
        tg_ast_dump_expr(e->u.slice.base, out);
        dump_opt(e->u.slice.from, out);
        dump_opt(e->u.slice.to, out);
        fputc(')', out);
        break;
    case TG_AST_UNARY:
        fprintf(out, "(%s ", op_name(e->u.unary.op));
        tg_ast_dump_expr(e->u.unary.arg, out);
        fputc(')', out);
        break;
    case TG_AST_BINARY:
        fprintf(out, "(%s ", op_name(e->u.binary.op));
        tg_ast_dump_expr(e->u.binary.lhs, out);
        fputc(' ', out);
        tg_ast_dump_expr(e->u.binary.rhs, out);
        fputc(')', out);
        break;
    case TG_AST_HAS_LABELS:
        fputs("(labels ", out);
        tg_ast_dump_expr(e->u.has_labels.base, out);
        fputc(' ', out);
        dump_label_part(e->u.has_labels.labels, e->u.has_labels.n_labels, e->u.has_labels.expr,
                        out);
        fputc(')', out);
        break;
    case TG_AST_CALL:
        fprintf(out, "(call %s", e->u.call.name);
        if (e->u.call.distinct)
            fputs(" distinct", out);
        if (e->u.call.star)
            fputs(" *", out);
        for (size_t i = 0; i < e->u.call.n_args; i++)
            dump_opt(e->u.call.args[i], out);
        fputc(')', out);
        break;
    case TG_AST_CASE:
        fputs("(case", out);
        dump_opt(e->u.case_.subject, out);
        for (size_t i = 0; i < e->u.case_.n_whens; i++) {
            fputs(" (when ", out);
            tg_ast_dump_expr(e->u.case_.whens[i], out);
            fputc(' ', out);
            tg_ast_dump_expr(e->u.case_.thens[i], out);
            fputc(')', out);
        }
        dump_opt(e->u.case_.else_, out);
        fputc(')', out);
        break;
    case TG_AST_LIST:
        fputs("(list", out);
        for (size_t i = 0; i < e->u.list.n_items; i++)
            dump_opt(e->u.list.items[i], out);
        fputc(')', out);
        break;
    case TG_AST_MAP:
        fputs("(map", out);
        for (size_t i = 0; i < e->u.map.n_entries; i++) {
            fprintf(out, " (%s ", e->u.map.keys[i]);
            tg_ast_dump_expr(e->u.map.values[i], out);
            fputc(')', out);
        }
        fputc(')', out);
        break;
    case TG_AST_LIST_COMPREHENSION:
    case TG_AST_QUANTIFIER: {
        static const char *const q[] = {"all", "any", "none", "single"};
        fprintf(out, "(%s %s", e->kind == TG_AST_QUANTIFIER ? q[e->u.comprehension.quantifier]
                                                             : "list-comp",
                e->u.comprehension.var);
        dump_opt(e->u.comprehension.list, out);
        dump_opt(e->u.comprehension.where, out);
        if (e->kind == TG_AST_LIST_COMPREHENSION)
            dump_opt(e->u.comprehension.projection, out);
        fputc(')', out);
        break;
    }
    case TG_AST_REDUCE:
        fprintf(out, "(reduce %s", e->u.reduce.acc);
        dump_opt(e->u.reduce.init, out);
        fprintf(out, " %s", e->u.reduce.var);
        dump_opt(e->u.reduce.list, out);
        dump_opt(e->u.reduce.expr, out);
        fputc(')', out);
        break;
    case TG_AST_PATTERN_COMPREHENSION:
        fputs("(pattern-comp ", out);
        dump_path(e->u.pattern_comprehension.path, out);
        dump_opt(e->u.pattern_comprehension.where, out);
        dump_opt(e->u.pattern_comprehension.projection, out);
        fputc(')', out);
        break;
    case TG_AST_PATTERN:
        fputs("(pattern ", out);
        dump_path(e->u.pattern.path, out);
        fputc(')', out);
        break;
    case TG_AST_MAP_PROJECTION:
        fputs("(map-proj ", out);
        tg_ast_dump_expr(e->u.map_projection.base, out);
        for (size_t i = 0; i < e->u.map_projection.n_items; i++) {
            const tg_ast_map_item *it = &e->u.map_projection.items[i];
            switch (it->kind) {
            case TG_AST_MAPITEM_PROPERTY: fprintf(out, " .%s", it->key); break;
            case TG_AST_MAPITEM_ALL: fputs(" .*", out); break;
            case TG_AST_MAPITEM_VARIABLE: fprintf(out, " (var %s)", it->key); break;
            case TG_AST_MAPITEM_LITERAL:
                fprintf(out, " (%s ", it->key);
                tg_ast_dump_expr(it->value, out);
                fputc(')', out);
                break;
            }
        }
        fputc(')', out);
        break;
    case TG_AST_EXISTS_SUBQUERY:
    case TG_AST_COUNT_SUBQUERY:
    case TG_AST_COLLECT_SUBQUERY:
        fputs(e->kind == TG_AST_EXISTS_SUBQUERY  ? "(exists-subquery "
              : e->kind == TG_AST_COUNT_SUBQUERY ? "(count-subquery "
                                                 : "(collect-subquery ",
              out);
        tg_ast_dump(e->u.subquery.query, out);
        fputc(')', out);
        break;
    }
    return ferror(out) ? -1 : 0;
}

/* " expr" or " nil". */
static void dump_opt(const tg_ast_expr *e, FILE *out)
{
    fputc(' ', out);
    if (e == NULL)
        fputs("nil", out);
    else
        tg_ast_dump_expr(e, out);
}

static void dump_pattern(const tg_ast_pattern *pat, FILE *out)
{
    fputs("(pattern", out);
    for (size_t i = 0; i < pat->n_paths; i++) {
        fputc(' ', out);
        dump_path(pat->paths[i], out);
    }
    fputc(')', out);
}

static void dump_set_items(const char *head, const tg_ast_set_item *items, size_t n, FILE *out)
{
    fprintf(out, "(%s", head);
    for (size_t i = 0; i < n; i++) {
        const tg_ast_set_item *it = &items[i];
        static const char *const k[] = {"=", "=", "+=", "labels"};
        fprintf(out, " (%s ", k[it->kind]);
        tg_ast_dump_expr(it->target, out);
        if (it->kind == TG_AST_SET_LABELS) {
            fputc(' ', out);
            dump_names(it->labels, it->n_labels, out);
        } else {
            dump_opt(it->value, out);
        }
        fputc(')', out);
    }
    fputc(')', out);
}

static void dump_clause(const tg_ast_clause *c, FILE *out)
{
    switch (c->kind) {
    case TG_AST_MATCH:
        fputs(c->u.match.optional ? "(optional-match " : "(match ", out);
        dump_pattern(c->u.match.pattern, out);
        dump_opt(c->u.match.where, out);
        fputc(')', out);
        break;
    case TG_AST_LOAD_CSV:
        fprintf(out, "(load-csv%s", c->u.load_csv.headers ? " headers" : "");
        dump_opt(c->u.load_csv.url, out);
        fprintf(out, " %s)", c->u.load_csv.alias);
        break;
    case TG_AST_UNWIND:
        fputs("(unwind", out);
        dump_opt(c->u.unwind.expr, out);
        fprintf(out, " %s)", c->u.unwind.alias);
        break;
    case TG_AST_WITH:
    case TG_AST_RETURN: {
        const tg_ast_projection *pr = &c->u.projection;
        fputs(c->kind == TG_AST_WITH ? "(with" : "(return", out);
        if (pr->distinct)
            fputs(" distinct", out);
        if (pr->star)
            fputs(" *", out);
        for (size_t i = 0; i < pr->n_items; i++) {
            fputs(" (item", out);
            dump_opt(pr->items[i].expr, out);
            fprintf(out, " %s)", pr->items[i].alias ? pr->items[i].alias : "nil");
        }
        if (pr->n_order > 0) {
            fputs(" (order", out);
            for (size_t i = 0; i < pr->n_order; i++) {
                dump_opt(pr->order[i].expr, out);
                fputs(pr->order[i].descending ? " desc" : " asc", out);
            }
            fputc(')', out);
        }
        if (pr->skip != NULL) {
            fputs(" (skip", out);
            dump_opt(pr->skip, out);
            fputc(')', out);
        }
        if (pr->limit != NULL) {
            fputs(" (limit", out);
            dump_opt(pr->limit, out);
            fputc(')', out);
        }
        if (pr->where != NULL) {
            fputs(" (where", out);
            dump_opt(pr->where, out);
            fputc(')', out);
        }
        fputc(')', out);
        break;
    }
    case TG_AST_CREATE:
        fputs("(create ", out);
        dump_pattern(c->u.create.pattern, out);
        fputc(')', out);
        break;
    case TG_AST_MERGE:
        fputs("(merge ", out);
        dump_path(c->u.merge.path, out);
        if (c->u.merge.n_on_create) {
            fputc(' ', out);
            dump_set_items("on-create", c->u.merge.on_create, c->u.merge.n_on_create, out);
        }
        if (c->u.merge.n_on_match) {
            fputc(' ', out);
            dump_set_items("on-match", c->u.merge.on_match, c->u.merge.n_on_match, out);
        }
        fputc(')', out);
        break;
    case TG_AST_SET:
        dump_set_items("set", c->u.set.items, c->u.set.n_items, out);
        break;
    case TG_AST_DELETE:
        fputs(c->u.delete_.detach ? "(detach-delete" : "(delete", out);
        for (size_t i = 0; i < c->u.delete_.n_exprs; i++)
            dump_opt(c->u.delete_.exprs[i], out);
        fputc(')', out);
        break;
    case TG_AST_REMOVE:
        fputs("(remove", out);
        for (size_t i = 0; i < c->u.remove.n_items; i++) {
            const tg_ast_remove_item *it = &c->u.remove.items[i];
            fputc(' ', out);
            tg_ast_dump_expr(it->target, out);
            if (it->kind == TG_AST_REMOVE_LABELS) {
                fputc(' ', out);
                dump_names(it->labels, it->n_labels, out);
            }
        }
        fputc(')', out);
        break;
    case TG_AST_CALL_PROC:
        fprintf(out, "(call-proc %s", c->u.call.name);
        if (c->u.call.has_args) {
            fputs(" (args", out);
            for (size_t i = 0; i < c->u.call.n_args; i++)
                dump_opt(c->u.call.args[i], out);
            fputc(')', out);
        }
        if (c->u.call.has_yield) {
            fputs(" (yield", out);
            if (c->u.call.yield_star)
                fputs(" *", out);
            for (size_t i = 0; i < c->u.call.n_yields; i++) {
                fprintf(out, " %s", c->u.call.yields[i].name);
                if (c->u.call.yields[i].alias)
                    fprintf(out, ":%s", c->u.call.yields[i].alias);
            }
            fputc(')', out);
        }
        if (c->u.call.where != NULL) {
            fputs(" (where", out);
            dump_opt(c->u.call.where, out);
            fputc(')', out);
        }
        fputc(')', out);
        break;
    case TG_AST_CALL_SUBQUERY:
        fputs(c->u.subquery.optional ? "(optional-call-subquery " : "(call-subquery ", out);
        if (c->u.subquery.has_scope) {
            fputs("(scope", out);
            if (c->u.subquery.scope_star)
                fputs(" *", out);
            for (size_t i = 0; i < c->u.subquery.n_scope; i++)
                fprintf(out, " %s", c->u.subquery.scope[i]);
            fputs(") ", out);
        }
        tg_ast_dump(c->u.subquery.query, out);
        fputc(')', out);
        break;
    }
}

int tg_ast_dump(const tg_ast_statement *st, FILE *out)
{
    if (st->mode != TG_AST_RUN)
        fputs(st->mode == TG_AST_EXPLAIN ? "explain " : "profile ", out);
    for (size_t i = 0; i < st->n_parts; i++) {
        const tg_ast_single_query *q = st->parts[i];
        if (i > 0)
            fputs(q->union_all ? " union-all " : " union ", out);
        fputs("(query", out);
        for (size_t k = 0; k < q->n_clauses; k++) {
            fputc(' ', out);
            dump_clause(q->clauses[k], out);
        }
        fputc(')', out);
    }
    return ferror(out) ? -1 : 0;
}
