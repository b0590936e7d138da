/* input.c — buffered, bounded reading of input files (see input.h).
 *
 * The buffer holds [start, end) of unread bytes; a line that does not fit
 * makes it grow, up to max_record (+ a read's worth), never beyond. */
#include "input.h"

#include "formats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CHUNK ((size_t)1 << 20)

static tg_status read_failed(tg_input *in, tg_error *err)
{
    return tg_error_set(err, TG_ENOENT, in->path, 0, 0, "cannot read \"%s\": %s", in->path,
                        strerror(errno ? errno : EIO));
}

tg_status tg_i_input_open(tg_input *in, const char *path, size_t max_record, tg_error *err)
{
    struct stat sb;

    memset(in, 0, sizeof *in);
    in->path = path;
    in->max_record = max_record ? max_record : TG_MAX_RECORD_DEFAULT;
    in->f = fopen(path, "rb");
    if (!in->f)
        return tg_error_set(err, TG_ENOENT, path, 0, 0, "cannot open \"%s\": %s", path,
                            strerror(errno));
    if (fstat(fileno(in->f), &sb) != 0) {
        tg_status st = read_failed(in, err);
        tg_i_input_close(in);
        return st;
    }
    if (S_ISDIR(sb.st_mode)) {
        tg_i_input_close(in);
        return tg_error_set(err, TG_ENOENT, path, 0, 0,
                            "cannot read \"%s\": it is a folder; expected a data file", path);
    }
    in->regular = S_ISREG(sb.st_mode);
    in->size = in->regular ? (uint64_t)sb.st_size : 0;
    setvbuf(in->f, NULL, _IONBF, 0); /* we buffer ourselves */
    return TG_OK;
}

void tg_i_input_close(tg_input *in)
{
    if (in->f)
        fclose(in->f);
    free(in->buf);
    in->f = NULL;
    in->buf = NULL;
    in->start = in->end = in->cap = 0;
}

/* Reads more bytes after end, growing the buffer (compacting first) so that
 * at least CHUNK bytes fit. 1 read something, 0 end of file, -1 error. */
static int fill(tg_input *in, tg_error *err)
{
    size_t n;

    if (in->eof)
        return 0;
    if (in->start > 0 && in->start == in->end) {
        in->start = in->end = 0;
    } else if (in->start > 0 && in->cap - in->end < CHUNK) {
        memmove(in->buf, in->buf + in->start, in->end - in->start);
        in->end -= in->start;
        in->start = 0;
    }
    if (in->cap - in->end < CHUNK) {
        size_t cap = in->cap ? in->cap * 2 : 2 * CHUNK;
        char *nb;
        while (cap - in->end < CHUNK)
            cap *= 2;
        nb = realloc(in->buf, cap + 1);
        if (!nb) {
            tg_error_set(err, TG_ENOMEM, in->path, 0, 0, "out of memory reading \"%s\"",
                         in->path);
            return -1;
        }
        in->buf = nb;
        in->cap = cap;
    }
    errno = 0;
    n = fread(in->buf + in->end, 1, in->cap - in->end, in->f);
    if (n == 0) {
        if (ferror(in->f)) {
            read_failed(in, err);
            return -1;
        }
        in->eof = 1;
        return 0;
    }
    in->end += n;
    return 1;
}

int tg_i_input_line(tg_input *in, const char **line, size_t *len, tg_error *err)
{
    size_t scanned = 0;

    for (;;) {
        char *nl = in->buf ? memchr(in->buf + in->start + scanned, '\n',
                                    in->end - in->start - scanned)
                           : NULL;
        int r;
        if (nl) {
            size_t n = (size_t)(nl - (in->buf + in->start));
            *line = in->buf + in->start;
            *len = n;
            in->start += n + 1;
            in->done += n + 1;
            in->line++;
            return 1;
        }
        scanned = in->end - in->start;
        if (scanned > in->max_record) {
            tg_error_set(err, TG_EDATA, in->path, in->line + 1, 1,
                         "line %ld is longer than %zu bytes, the most one record may hold; "
                         "expected one record a line (raise the bound with "
                         "--max-record-size)",
                         in->line + 1, in->max_record);
            return -1;
        }
        r = fill(in, err);
        if (r < 0)
            return -1;
        if (r == 0) {
            if (in->end == in->start)
                return 0;
            *line = in->buf + in->start;
            *len = in->end - in->start;
            in->done += *len;
            in->start = in->end;
            in->line++;
            return 1;
        }
    }
}

size_t tg_i_input_read(tg_input *in, char *dst, size_t cap, tg_error *err)
{
    size_t n;

    if (in->start < in->end) {
        n = in->end - in->start;
        if (n > cap)
            n = cap;
        memcpy(dst, in->buf + in->start, n);
        in->start += n;
        in->done += n;
        return n;
    }
    if (in->eof)
        return 0;
    errno = 0;
    n = fread(dst, 1, cap, in->f);
    if (n == 0 && ferror(in->f)) {
        read_failed(in, err);
        return (size_t)-1;
    }
    if (n == 0)
        in->eof = 1;
    in->done += n;
    return n;
}

size_t tg_i_input_peek(tg_input *in, const char **head, size_t cap, tg_error *err)
{
    *head = ""; /* also when a read fails: callers sniff it */
    while (in->end - in->start < cap && !in->eof)
        if (fill(in, err) < 0)
            return 0;
    *head = in->buf ? in->buf + in->start : "";
    return in->end - in->start < cap ? in->end - in->start : cap;
}

tg_status tg_i_input_all(tg_input *in, char **out, size_t *len, tg_error *err)
{
    size_t limit = in->regular ? (size_t)-1 : in->max_record;
    char *data;
    size_t n;

    *out = NULL;
    *len = 0;
    if (in->regular && in->size + 1 > in->cap) {
        /* one allocation of the right size: move what is buffered there */
        size_t have = in->end - in->start;
        data = malloc((size_t)in->size + CHUNK + 1);
        if (!data)
            return tg_error_set(err, TG_ENOMEM, in->path, 0, 0,
                                "out of memory reading \"%s\" (%llu bytes)", in->path,
                                (unsigned long long)in->size);
        if (have)
            memcpy(data, in->buf + in->start, have);
        free(in->buf);
        in->buf = data;
        in->cap = (size_t)in->size + CHUNK;
        in->start = 0;
        in->end = have;
    }
    for (;;) {
        int r;
        if (in->end - in->start > limit)
            return tg_error_set(err, TG_EDATA, in->path, 0, 0,
                                "\"%s\" is not a regular file and holds more than %zu bytes, the "
                                "most read whole from a pipe or device; expected JSON Lines, or "
                                "raise the bound with --max-record-size",
                                in->path, in->max_record);
        r = fill(in, err);
        if (r < 0)
            return err ? err->status : TG_EIO;
        if (r == 0)
            break;
    }
    n = in->end - in->start;
    if (in->start > 0)
        memmove(in->buf, in->buf + in->start, n);
    if (!in->buf && !(in->buf = malloc(1)))
        return tg_error_set(err, TG_ENOMEM, in->path, 0, 0, "out of memory");
    in->buf[n] = '\0';
    in->done += n;
    *out = in->buf;
    *len = n;
    in->buf = NULL;
    in->start = in->end = in->cap = 0;
    return TG_OK;
}

tg_status tg_i_input_finish(tg_input *in, tg_error *err)
{
    struct stat sb;

    if (in->f && ferror(in->f))
        return read_failed(in, err);
    if (!in->regular)
        return TG_OK;
    if (fstat(fileno(in->f), &sb) != 0)
        return read_failed(in, err);
    if ((uint64_t)sb.st_size != in->size || in->done != in->size)
        return tg_error_set(err, TG_EDATA, in->path, 0, 0,
                            "\"%s\" changed while it was read: %llu bytes at the start, %llu read, "
                            "%llu now; expected a file no other program is writing",
                            in->path, (unsigned long long)in->size,
                            (unsigned long long)in->done, (unsigned long long)sb.st_size);
    return TG_OK;
}

tg_status tg_i_input_each_line(tg_input *in, tg_line_fn fn, void *ctx, long *lineno,
                               const struct tg_read_progress *progress, uint64_t total,
                               tg_error *err)
{
    const char *line;
    size_t len;
    int r;
    tg_status st;

    while ((r = tg_i_input_line(in, &line, &len, err)) == 1) {
        ++*lineno;
        if ((st = fn(ctx, line, len)) != TG_OK)
            return st;
        if (progress && (*lineno & 0xFFFF) == 0)
            progress->fn(progress->ctx, in->done, total);
    }
    if (r < 0)
        return err && err->status != TG_OK ? err->status : TG_EIO;
    if (progress)
        progress->fn(progress->ctx, in->done, total);
    return TG_OK;
}
