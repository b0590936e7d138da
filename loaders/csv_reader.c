/* csv_reader.c — the RFC 4180 reader of csv_reader.h.
 *
 * Rows are read physical line by physical line (input.h bounds a line);
 * a quoted field that runs past the end of a line continues on the next
 * one, with the line break kept in the field. Each field's decoded bytes
 * are appended to one row buffer, NUL-terminated; pointers are set once the
 * row is complete, because the buffer may move while it grows. Every
 * physical line is checked as UTF-8 as a whole when it is read, so an
 * invalid byte is reported at its exact line and column.
 */
#include "csv_reader.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

tg_status tg_csv_open(tg_csv *c, const char *path, char delim, size_t max_record, tg_error *err)
{
    memset(c, 0, sizeof *c);
    c->delim = delim ? delim : ',';
    c->first = 1;
    return tg_i_input_open(&c->in, path, max_record, err);
}

void tg_csv_close(tg_csv *c)
{
    tg_i_input_close(&c->in);
    free(c->buf);
    free(c->f);
    free(c->foff);
    c->buf = NULL;
    c->f = NULL;
    c->foff = NULL;
}

long tg_csv_row_line(const tg_csv *c)
{
    return c->row_line;
}

static int nomem(tg_csv *c, tg_error *err)
{
    tg_error_set(err, TG_ENOMEM, c->in.path, 0, 0, "out of memory reading \"%s\"", c->in.path);
    return -1;
}

/* Makes room for one more physical line of len bytes: at most len + 1
 * fields, each with its bytes, a NUL and (quoted across lines) a '\n', so
 * that the appends below need no checks. */
static int reserve(tg_csv *c, size_t len, tg_error *err)
{
    if (tg_i_grow((void **)&c->buf, &c->bcap, c->blen + 2 * len + 3, 1) != 0 ||
        tg_i_grow((void **)&c->f, &c->capf, c->nf + len + 2, sizeof *c->f) != 0 ||
        tg_i_grow((void **)&c->foff, &c->capfoff, c->nf + len + 2, sizeof *c->foff) != 0)
        return nomem(c, err);
    return 0;
}

static inline void append(tg_csv *c, const char *s, size_t n)
{
    memcpy(c->buf + c->blen, s, n);
    c->blen += n;
}

/* Starts a field at (line, col): records its offset and position. */
static inline void start_field(tg_csv *c, long line, long col, int quoted)
{
    c->foff[c->nf] = c->blen;
    c->f[c->nf].quoted = quoted;
    c->f[c->nf].line = line;
    c->f[c->nf].col = col;
    c->nf++;
}

/* Ends the current field: its length and a NUL after it. */
static inline void end_field(tg_csv *c)
{
    c->f[c->nf - 1].len = c->blen - c->foff[c->nf - 1];
    c->buf[c->blen++] = '\0';
}

/* The next physical line, checked as UTF-8; 1, 0 at the end, -1 error. */
static int next_line(tg_csv *c, const char **line, size_t *len, tg_error *err)
{
    int r = tg_i_input_line(&c->in, line, len, err);
    size_t bad;

    if (r != 1)
        return r;
    if (c->first) {
        c->first = 0;
        if (*len >= 3 && memcmp(*line, "\xEF\xBB\xBF", 3) == 0) {
            *line += 3;
            *len -= 3;
        }
    }
    bad = tg_i_utf8_check(*line, *len);
    if (bad < *len) {
        unsigned char b = (unsigned char)(*line)[bad];
        size_t k = tg_i_utf8_seq((const unsigned char *)*line, bad, *len);
        tg_error_set(err, TG_EDATA, c->in.path, c->in.line, (long)bad + 1,
                     k == (size_t)-1 || b >= 0xC2 ? "invalid UTF-8 sequence starting with byte "
                                                    "0x%02x; expected UTF-8 text (re-save the "
                                                    "file as UTF-8)"
                                                  : "invalid UTF-8 byte 0x%02x; expected UTF-8 "
                                                    "text (re-save the file as UTF-8)",
                     b);
        return -1;
    }
    return 1;
}

int tg_csv_next(tg_csv *c, const tg_csv_field **fields, size_t *n, tg_error *err)
{
    const char *line;
    size_t len, pos = 0, i;
    int r;
    const char d = c->delim;

    c->blen = 0;
    c->nf = 0;
    /* skip empty lines between rows */
    for (;;) {
        r = next_line(c, &line, &len, err);
        if (r == 0) {
            if (tg_i_input_finish(&c->in, err) != TG_OK)
                return -1;
            return 0;
        }
        if (r < 0)
            return -1;
        if (len > 0 && !(len == 1 && line[0] == '\r'))
            break;
    }
    c->row_line = c->in.line;
    if (reserve(c, len, err) != 0)
        return -1;
    for (;;) {
        long fline = c->in.line, fcol = (long)pos + 1;
        if (pos < len && line[pos] == '"') {
            long oline = fline, ocol = fcol;
            start_field(c, fline, fcol, 1);
            pos++;
            for (;;) {
                const char *q = memchr(line + pos, '"', len - pos);
                if (!q) {
                    /* the field goes on past the end of this line */
                    append(c, line + pos, len - pos);
                    append(c, "\n", 1);
                    if (c->blen > c->in.max_record) {
                        tg_error_set(err, TG_EDATA, c->in.path, oline, ocol,
                                     "quoted field is longer than %zu bytes, the most one record "
                                     "may hold; expected a closing '\"' (raise the bound with "
                                     "--max-record-size)",
                                     c->in.max_record);
                        return -1;
                    }
                    r = next_line(c, &line, &len, err);
                    if (r < 0)
                        return -1;
                    if (r == 0) {
                        tg_error_set(err, TG_EDATA, c->in.path, oline, ocol,
                                     "unterminated quoted field: the file ends before its "
                                     "closing '\"'; expected a '\"' to end the field");
                        return -1;
                    }
                    if (reserve(c, len, err) != 0)
                        return -1;
                    pos = 0;
                    continue;
                }
                append(c, line + pos, (size_t)(q - (line + pos)));
                pos = (size_t)(q - line) + 1;
                if (pos < len && line[pos] == '"') {
                    append(c, "\"", 1);
                    pos++;
                    continue;
                }
                break;
            }
            end_field(c);
            if (pos < len && line[pos] != d && !(line[pos] == '\r' && pos + 1 == len)) {
                unsigned char b = (unsigned char)line[pos];
                if (b > 0x20 && b < 0x7F)
                    tg_error_set(err, TG_EDATA, c->in.path, c->in.line, (long)pos + 1,
                                 "unexpected '%c' after the closing quote of a field; expected "
                                 "'%c' or the end of the line (a quote inside a quoted field is "
                                 "written \"\")",
                                 b, d == '\t' ? ' ' : d);
                else
                    tg_error_set(err, TG_EDATA, c->in.path, c->in.line, (long)pos + 1,
                                 "unexpected byte 0x%02x after the closing quote of a field; "
                                 "expected the delimiter or the end of the line",
                                 b);
                return -1;
            }
        } else {
            const char *e = memchr(line + pos, d, len - pos);
            size_t end = e ? (size_t)(e - line) : len;
            size_t stop = end;
            if (!e && stop > pos && line[stop - 1] == '\r')
                stop--; /* CRLF */
            start_field(c, fline, fcol, 0);
            append(c, line + pos, stop - pos);
            end_field(c);
            pos = end;
        }
        if (pos < len && line[pos] == d) {
            pos++;
            continue;
        }
        break;
    }
    for (i = 0; i < c->nf; i++)
        c->f[i].p = c->buf + c->foff[i];
    *fields = c->f;
    *n = c->nf;
    return 1;
}
