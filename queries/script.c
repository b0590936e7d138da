/* script.c — splits a query script into statements and directives (script.h).
 *
 * One forward pass over the bytes with a small state: whether a statement
 * has started (its first non-blank, non-comment byte seen) and, inside it,
 * whether we are in a string, a backquoted name or a comment, where ';'
 * does not end it. A line whose first non-blank byte is ':' while no
 * statement has started is a directive and ends at the end of the line.
 * Invariants: items come out in text order; every item owns its strings
 * (malloc), released by tg_script_free; on failure nothing is returned.
 */
#include "script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct splitter {
    const char *text;
    size_t len;
    long line;
    size_t line_start;
    tg_script *out;
    size_t cap;
    tg_error *err;
} splitter;

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

static char *dup_span(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static void item_destroy(tg_script_item *it)
{
    free(it->text);
    free(it->name);
    free(it->value);
    free(it->path);
    for (size_t i = 0; i < it->n_options; i++) {
        free(it->keys[i]);
        free(it->values[i]);
    }
    free(it->keys);
    free(it->values);
}

void tg_script_free(tg_script *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n_items; i++)
        item_destroy(&s->items[i]);
    free(s->items);
    free(s);
}

static tg_status nomem(splitter *sp)
{
    return tg_error_set(sp->err, TG_ENOMEM, NULL, 0, 0, "out of memory while splitting the script");
}

/* Appends a zeroed item; NULL when out of memory. */
static tg_script_item *push_item(splitter *sp, tg_script_item_kind kind, long line, long column)
{
    if (sp->out->n_items == sp->cap) {
        size_t cap = sp->cap ? sp->cap * 2 : 8;
        tg_script_item *n = realloc(sp->out->items, cap * sizeof *n);
        if (n == NULL)
            return NULL;
        sp->out->items = n;
        sp->cap = cap;
    }
    tg_script_item *it = &sp->out->items[sp->out->n_items++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->line = line;
    it->column = column;
    return it;
}

static long col_of(const splitter *sp, size_t off) { return (long)(off - sp->line_start) + 1; }

static tg_status syntax(splitter *sp, size_t off, const char *msg)
{
    /* off lies on the current line or a later one. */
    long line = sp->line;
    size_t ls = sp->line_start;
    for (size_t i = ls; i < off && i < sp->len; i++)
        if (sp->text[i] == '\n') {
            line++;
            ls = i + 1;
        }
    return tg_error_set(sp->err, TG_ESYNTAX, NULL, line, (long)(off - ls) + 1, "%s", msg);
}

static void newline_at(splitter *sp, size_t i)
{
    sp->line++;
    sp->line_start = i + 1;
}

/* Appends key/value to a render item. Takes k and v (frees them on failure). */
static int add_option(tg_script_item *it, char *k, char *v)
{
    char **nk = realloc(it->keys, (it->n_options + 1) * sizeof *nk);
    if (nk != NULL)
        it->keys = nk;
    char **nv = nk == NULL ? NULL : realloc(it->values, (it->n_options + 1) * sizeof *nv);
    if (nv != NULL)
        it->values = nv;
    if (k == NULL || v == NULL || nk == NULL || nv == NULL) {
        free(k);
        free(v);
        return 0;
    }
    it->keys[it->n_options] = k;
    it->values[it->n_options] = v;
    it->n_options++;
    return 1;
}

/* Reads a render word at s[*i..end): quoted ("..." with \" and \\) or bare
 * up to a blank or, when stop_at_eq, '='. Returns it owned, NULL on
 * failure (*bad set when the quote is unterminated). */
static char *read_word(const char *s, size_t *i, size_t end, int stop_at_eq, int *bad)
{
    size_t k = *i;
    *bad = 0;
    if (k < end && s[k] == '"') {
        char *out = malloc(end - k + 1);
        size_t n = 0;
        if (out == NULL)
            return NULL;
        k++;
        while (k < end && s[k] != '"') {
            if (s[k] == '\\' && k + 1 < end && (s[k + 1] == '"' || s[k + 1] == '\\'))
                k++;
            out[n++] = s[k++];
        }
        if (k >= end) {
            free(out);
            *bad = 1;
            return NULL;
        }
        out[n] = '\0';
        *i = k + 1;
        return out;
    }
    while (k < end && !is_blank(s[k]) && !(stop_at_eq && s[k] == '='))
        k++;
    char *out = dup_span(s + *i, k - *i);
    *i = k;
    return out;
}

/* A directive occupying text[start..end) (end excludes the newline). */
static tg_status directive(splitter *sp, size_t start, size_t end)
{
    const char *s = sp->text;
    long line = sp->line;
    tg_status st = TG_OK;
    size_t i = start + 1;
    size_t name_start = i;
    while (i < end && (s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
        i++;
    size_t name_len = i - name_start;
    while (end > i && (is_blank(s[end - 1])))
        end--;
    if (name_len == 5 && strncmp(s + name_start, "param", 5) == 0 && (i == end || is_blank(s[i]))) {
        while (i < end && is_blank(s[i]))
            i++;
        size_t n0 = i;
        while (i < end && !is_blank(s[i]) && !(s[i] == '=' && i + 1 < end && s[i + 1] == '>'))
            i++;
        size_t n1 = i;
        while (i < end && is_blank(s[i]))
            i++;
        if (n1 == n0)
            return syntax(sp, n0, "expected a parameter name after :param (:param name => value)");
        if (!(i + 1 < end && s[i] == '=' && s[i + 1] == '>'))
            return syntax(sp, i, "expected '=>' after the parameter name (:param name => value)");
        i += 2;
        while (i < end && is_blank(s[i]))
            i++;
        size_t v1 = end;
        if (v1 > i && s[v1 - 1] == ';')
            v1--;
        while (v1 > i && is_blank(s[v1 - 1]))
            v1--;
        if (v1 == i)
            return syntax(sp, i, "expected a value after '=>' (:param name => value)");
        tg_script_item *it = push_item(sp, TG_SCRIPT_PARAM, line, col_of(sp, start));
        if (it == NULL)
            return nomem(sp);
        it->name = dup_span(s + n0, n1 - n0);
        it->value = dup_span(s + i, v1 - i);
        if (it->name == NULL || it->value == NULL)
            return nomem(sp);
        return TG_OK;
    }
    if (name_len == 6 && strncmp(s + name_start, "render", 6) == 0 && (i == end || is_blank(s[i]))) {
        while (i < end && is_blank(s[i]))
            i++;
        if (i == end)
            return syntax(sp, i, "expected an output path after :render");
        tg_script_item *it = push_item(sp, TG_SCRIPT_RENDER, line, col_of(sp, start));
        if (it == NULL)
            return nomem(sp);
        int bad = 0;
        size_t at = i;
        if ((it->path = read_word(s, &i, end, 0, &bad)) == NULL)
            return bad ? syntax(sp, at, "unterminated quoted path in :render") : nomem(sp);
        for (;;) {
            while (i < end && is_blank(s[i]))
                i++;
            if (i == end)
                break;
            at = i;
            char *k = read_word(s, &i, end, 1, &bad);
            if (k == NULL)
                return bad ? syntax(sp, at, "unterminated quote in :render") : nomem(sp);
            if (i >= end || s[i] != '=' || k[0] == '\0') {
                free(k);
                return syntax(sp, at, "expected key=value in :render options");
            }
            i++;
            size_t vat = i;
            char *v = read_word(s, &i, end, 0, &bad);
            if (v == NULL) {
                free(k);
                return bad ? syntax(sp, vat, "unterminated quoted value in :render") : nomem(sp);
            }
            if (!add_option(it, k, v))
                return nomem(sp);
        }
        return st;
    }
    char msg[160];
    snprintf(msg, sizeof msg, "unknown directive ':%.*s'; expected :param name => value or "
                              ":render PATH key=value ...",
             (int)(name_len > 40 ? 40 : name_len), s + name_start);
    return syntax(sp, start, msg);
}

tg_status tg_script_split(const char *text, size_t len, tg_script **out, tg_error *err)
{
    splitter sp = {text, len, 1, 0, NULL, 0, err};
    tg_status st = TG_OK;
    tg_error_clear(err);
    *out = NULL;
    if (text == NULL && len > 0) {
        st = tg_error_set(err, TG_EINVAL, NULL, 0, 0, "no script text");
        goto done;
    }
    if ((sp.out = calloc(1, sizeof *sp.out)) == NULL) {
        st = nomem(&sp);
        goto done;
    }
    int started = 0;       /* a statement's first byte has been seen */
    size_t stmt_start = 0; /* its offset */
    long stmt_line = 0, stmt_col = 0;
    size_t last_code = 0;  /* offset past the last non-blank, non-comment byte */
    int line_has_code = 0; /* the current line has something before this byte */
    size_t i = 0;
    while (i < len) {
        char c = text[i];
        if (c == '\n') {
            newline_at(&sp, i);
            line_has_code = 0;
            i++;
            continue;
        }
        if (is_blank(c)) {
            i++;
            continue;
        }
        if (c == '/' && i + 1 < len && text[i + 1] == '/') {
            while (i < len && text[i] != '\n')
                i++;
            continue;
        }
        if (c == '/' && i + 1 < len && text[i + 1] == '*') {
            size_t open = i;
            long oline = sp.line;
            size_t ols = sp.line_start;
            i += 2;
            while (i + 1 < len && !(text[i] == '*' && text[i + 1] == '/')) {
                if (text[i] == '\n')
                    newline_at(&sp, i);
                i++;
            }
            if (i + 1 >= len) {
                sp.line = oline;
                sp.line_start = ols;
                st = syntax(&sp, open, "unterminated comment: '/*' has no '*/'");
                goto done;
            }
            i += 2;
            line_has_code = 1;
            continue;
        }
        if (!started && !line_has_code && c == ':') {
            size_t end = i;
            while (end < len && text[end] != '\n')
                end++;
            if ((st = directive(&sp, i, end)) != TG_OK)
                goto done;
            i = end;
            continue;
        }
        line_has_code = 1;
        if (c == ';') {
            if (started) {
                tg_script_item *it = push_item(&sp, TG_SCRIPT_STATEMENT, stmt_line, stmt_col);
                if (it == NULL || (it->text = dup_span(text + stmt_start, last_code - stmt_start)) == NULL) {
                    st = nomem(&sp);
                    goto done;
                }
                it->len = last_code - stmt_start;
            }
            started = 0;
            i++;
            continue;
        }
        if (!started) {
            started = 1;
            stmt_start = i;
            stmt_line = sp.line;
            stmt_col = col_of(&sp, i);
        }
        if (c == '\'' || c == '"' || c == '`') {
            size_t open = i;
            long oline = sp.line;
            size_t ols = sp.line_start;
            i++;
            while (i < len && text[i] != c) {
                if (text[i] == '\\' && c != '`' && i + 1 < len) {
                    if (text[i + 1] == '\n')
                        newline_at(&sp, i + 1);
                    i += 2;
                    continue;
                }
                if (text[i] == '\n')
                    newline_at(&sp, i);
                i++;
            }
            if (i >= len) {
                sp.line = oline;
                sp.line_start = ols;
                st = syntax(&sp, open, c == '`' ? "unterminated name: missing closing '`'"
                                                : "unterminated string: missing closing quote");
                goto done;
            }
            i++; /* `` inside a backquoted name reads as close-then-open: same result */
            last_code = i;
            continue;
        }
        i++;
        last_code = i;
    }
    if (started) {
        tg_script_item *it = push_item(&sp, TG_SCRIPT_STATEMENT, stmt_line, stmt_col);
        if (it == NULL || (it->text = dup_span(text + stmt_start, last_code - stmt_start)) == NULL) {
            st = nomem(&sp);
            goto done;
        }
        it->len = last_code - stmt_start;
    }
done:
    if (st != TG_OK) {
        tg_script_free(sp.out);
    } else {
        *out = sp.out;
    }
    return st;
}

/* ---- checking a whole script ------------------------------------------------- */

void tg_script_locate_error(const tg_script_item *it, tg_error *err)
{
    if (err->line <= 0) {
        err->line = it->line;
        err->column = it->column;
    } else if (err->line == it->line && err->column > 0) {
        err->column += it->column - 1;
    }
}

tg_status tg_script_check(const tg_script *s, tg_graph *g, const tg_params *params,
                          const tg_query_options *opts, size_t *failed_item, tg_error *err)
{
    tg_params *p = tg_params_copy(params);
    tg_query_options qo;
    tg_status st = p ? TG_OK : tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
    size_t i;

    if (opts)
        qo = *opts;
    else
        memset(&qo, 0, sizeof qo);
    for (i = 0; st == TG_OK && i < s->n_items; i++) {
        const tg_script_item *it = &s->items[i];
        tg_query *q = NULL;
        if (it->kind == TG_SCRIPT_PARAM) {
            st = tg_params_set_text(p, it->name, it->value, err);
            if (st != TG_OK) {
                err->line = it->line;
                err->column = it->column;
            }
        } else if (it->kind == TG_SCRIPT_STATEMENT) {
            qo.line_offset = it->line - 1;
            st = tg_query_prepare(g, it->text, it->len, p, &qo, &q, err);
            if (st != TG_OK)
                tg_script_locate_error(it, err);
            tg_query_free(q);
        }
    }
    if (st != TG_OK && failed_item)
        *failed_item = i - 1;
    tg_params_free(p);
    return st;
}
