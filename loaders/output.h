/* output.h — writing an export file safely, for the writers of loaders/.
 * Not a public API (tg_i_ prefix).
 *
 * An export is written to a temporary file beside its destination and
 * renamed over it only when everything was written (and flushed to disk):
 * a full disk or a failure midway leaves the old file, never half of one.
 * A destination that is an SQLite database (a store) or a folder is refused.
 * Writes go through one buffer (1 MiB) with no stdio in between; the common
 * case of every write (the bytes fit) is inline below, so that a writer may
 * call them per value. Errors are remembered and reported once, by
 * tg_i_out_commit.
 */
#ifndef TG_LOADERS_OUTPUT_H
#define TG_LOADERS_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "graph.h"
#include "tg_error.h"

/* The most bytes one tg_i_out_reserve may ask for. */
#define TG_OUT_SPAN 512

typedef struct tg_out {
    int fd;
    char *path, *tmp;
    char *buf; /* never NULL once opened: in memory it starts as spare */
    size_t n, cap;
    int err_no; /* first write error */
    int memory; /* tg_i_out_memory: buf grows, nothing is written to a file */
    /* In memory: the first buffer, and after running out of memory the
     * place where what is written goes to be dropped (err_no says so). */
    char spare[TG_OUT_SPAN];
} tg_out;

/* Makes o a growing buffer in memory (o->buf, o->n bytes) for building
 * text with the functions below; out of memory is remembered in
 * o->err_no (o->buf then holds nothing of use). o must not be copied or
 * moved while in use (its buffer may be inside it). Free with
 * tg_i_out_abort. */
void tg_i_out_memory(tg_out *o);

/* Opens a temporary file for path. Errors: TG_EIO (cannot create, or path
 * is a store or a folder), TG_ENOMEM. */
tg_status tg_i_out_open(tg_out *o, const char *path, tg_error *err);

/* Flushes, syncs and renames the temporary file over path; on failure
 * removes it. Closes o either way. Errors: TG_EIO naming the file. */
tg_status tg_i_out_commit(tg_out *o, tg_error *err);

/* Removes the temporary file and closes o. Accepts a closed or zeroed o. */
void tg_i_out_abort(tg_out *o);

/* The slow paths of the inline functions below: a full buffer. */
void tg_i_out_write_slow(tg_out *o, const char *s, size_t len);
char *tg_i_out_reserve_slow(tg_out *o, size_t len);

/* Writes s[0..len). Inline: with a constant len, the copy is a few moves. */
static inline void tg_i_out_write(tg_out *o, const char *s, size_t len)
{
    if (o->cap - o->n >= len) {
        memcpy(o->buf + o->n, s, len);
        o->n += len;
    } else {
        tg_i_out_write_slow(o, s, len);
    }
}

/* Room for len (at most TG_OUT_SPAN) bytes: returns where to write them;
 * then tg_i_out_advance(o, end) keeps what was written up to end (at most
 * len bytes; writing less is fine, and so is writing a few bytes past what
 * is kept, within len). Returns borrowed memory valid until the next call
 * on o. */
static inline char *tg_i_out_reserve(tg_out *o, size_t len)
{
    return o->cap - o->n >= len ? o->buf + o->n : tg_i_out_reserve_slow(o, len);
}

static inline void tg_i_out_advance(tg_out *o, const char *end)
{
    o->n = (size_t)(end - o->buf);
}

void tg_i_out_puts(tg_out *o, const char *s);

static inline void tg_i_out_char(tg_out *o, char c)
{
    if (o->n < o->cap)
        o->buf[o->n++] = c;
    else
        tg_i_out_write_slow(o, &c, 1);
}

/* v in decimal at p (room for 20 bytes); returns the end. */
char *tg_i_format_int(char *p, int64_t v);

void tg_i_out_int(tg_out *o, int64_t v);

/* s[0..len) as a JSON string with its quotes: ", \ and control bytes
 * escaped (U+2028/9 too, so the output is also valid JavaScript). */
void tg_i_out_json_string(tg_out *o, const char *s, size_t len);

/* The same, also escaping & < > (and U+FFFE / U+FFFF) as \u escapes: JSON
 * that can stand as it is in XML character data (GraphML list values). */
void tg_i_out_json_string_xml(tg_out *o, const char *s, size_t len);

/* A float for JSON: the shortest form that reads back, with a '.' or an
 * exponent, byte for byte what tg_format_double (numfmt.h) writes. NaN and
 * the infinities have no JSON form: the caller handles them (tiegraph/1
 * writes {"float": "NaN"}); given one, this writes tg_format_double's
 * "NaN", "Infinity", "-Infinity". */
void tg_i_out_double(tg_out *o, double d);

/* s[0..len) as an XML attribute value (inside double quotes): & < > "
 * escaped, and tab, newline and carriage return as character references
 * (attribute-value normalisation would turn them into spaces); bytes that
 * XML 1.0 forbids (control characters other than tab, newline and carriage
 * return, and U+FFFE / U+FFFF) written as U+FFFD, since no XML parser would
 * read them back. Returns how many were replaced. s must be valid UTF-8. */
size_t tg_i_out_xml(tg_out *o, const char *s, size_t len);

/* The same for character data between tags: only & < > and carriage
 * return are escaped (quotes, tabs and newlines stay as they are). */
size_t tg_i_out_xml_text(tg_out *o, const char *s, size_t len);

/* Whether the file at path starts like an SQLite database. */
int tg_i_is_sqlite_file(const char *path);

#endif
