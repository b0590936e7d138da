/* input.h — reading an input file for the readers of loaders/.
 * Not a public API (tg_i_ prefix).
 *
 * One place for what every reader needs from a file:
 * - a clear error for a missing or unreadable file (TG_ENOENT, exit 66) and
 *   for a folder;
 * - bounded memory: a line (JSON Lines, CSV record) or a whole document read
 *   from a pipe or device is limited to max_record bytes, so `import
 *   /dev/zero` stops with a message instead of growing without end;
 * - a file that changes while it is read (truncated or appended to by
 *   another program) is an error at the end, not a silent partial import:
 *   the size seen by fstat at the start must be the bytes read and the size
 *   at the end.
 * Lines are returned without their '\n' (a '\r' before it is kept: CSV
 * needs to see it) and are valid until the next call.
 */
#ifndef TG_LOADERS_INPUT_H
#define TG_LOADERS_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tg_error.h"

/* The default bound of one record (JSON Lines line, CSV record, XML text
 * node) and of a whole document read from something that is not a regular
 * file. Settable with `tiegraph import --max-record-size`. */
#define TG_MAX_RECORD_DEFAULT ((size_t)64 << 20)

typedef struct tg_input {
    FILE *f;
    const char *path; /* borrowed */
    int regular;      /* a regular file: size known, checked at the end */
    uint64_t size;    /* st_size at open (regular files) */
    uint64_t done;    /* bytes handed out so far */
    size_t max_record;
    char *buf; /* read buffer: [start, end) not handed out yet */
    size_t start, end, cap;
    int eof;
    long line; /* lines handed out by tg_i_input_line */
} tg_input;

/* Opens path. max_record 0 means TG_MAX_RECORD_DEFAULT. Errors: TG_ENOENT
 * (missing, unreadable, a folder), TG_ENOMEM. */
tg_status tg_i_input_open(tg_input *in, const char *path, size_t max_record, tg_error *err);

/* Closes the file and frees the buffer. Accepts a zeroed or closed input. */
void tg_i_input_close(tg_input *in);

/* The next line in *line / *len (without '\n'); returns 1 for a line, 0 at
 * the end of the file, -1 on an error (TG_ENOENT for a read error, TG_EDATA
 * for a line longer than max_record, named with its line number). */
int tg_i_input_line(tg_input *in, const char **line, size_t *len, tg_error *err);

/* Hands every line of in to fn (the JSON Lines readers' loop): *lineno
 * counts them, progress (may be NULL) hears every 65,536 lines and at the
 * end. Stops at the first status fn returns that is not TG_OK. */
struct tg_read_progress;
typedef tg_status (*tg_line_fn)(void *ctx, const char *line, size_t len);
tg_status tg_i_input_each_line(tg_input *in, tg_line_fn fn, void *ctx, long *lineno,
                               const struct tg_read_progress *progress, uint64_t total,
                               tg_error *err);

/* Reads up to cap bytes into dst; returns the count (0 at the end), or
 * (size_t)-1 on a read error (in err). For streaming parsers. */
size_t tg_i_input_read(tg_input *in, char *dst, size_t cap, tg_error *err);

/* Reads the rest of the file into a malloc'ed, NUL-terminated buffer
 * (*out, owned by the caller; *len without the NUL). From a pipe or device
 * at most max_record bytes are read. */
tg_status tg_i_input_all(tg_input *in, char **out, size_t *len, tg_error *err);

/* Peeks at up to cap bytes from the start without consuming them (for
 * content sniffing); returns how many are in *head (borrowed until the next
 * call). */
size_t tg_i_input_peek(tg_input *in, const char **head, size_t cap, tg_error *err);

/* After the last read: a read error, or a regular file whose size changed
 * or that gave fewer bytes than its size, is TG_ENOENT / TG_EDATA with a
 * message saying so. */
tg_status tg_i_input_finish(tg_input *in, tg_error *err);

#endif
