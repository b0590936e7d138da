/* output.c — buffered, atomic export files (see output.h). */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "numfmt.h"

#define BUFSZ ((size_t)1 << 20)

int tg_i_is_sqlite_file(const char *path)
{
    char head[16];
    int fd = open(path, O_RDONLY);
    ssize_t n;

    if (fd < 0)
        return 0;
    n = read(fd, head, sizeof head);
    close(fd);
    return n == 16 && memcmp(head, "SQLite format 3", 16) == 0;
}

tg_status tg_i_out_open(tg_out *o, const char *path, tg_error *err)
{
    struct stat sb;
    size_t len = strlen(path);

    memset(o, 0, sizeof *o);
    o->fd = -1;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return tg_error_set(err, TG_EIO, path, 0, 0,
                            "cannot write \"%s\": it is a folder; expected a file name", path);
    if (tg_i_is_sqlite_file(path))
        return tg_error_set(err, TG_EIO, path, 0, 0,
                            "refusing to write over \"%s\": it is an SQLite database (a store?); "
                            "expected a new file name",
                            path);
    o->path = strdup(path);
    o->tmp = malloc(len + 16);
    o->buf = malloc(BUFSZ);
    if (!o->path || !o->tmp || !o->buf) {
        tg_i_out_abort(o);
        return tg_error_set(err, TG_ENOMEM, path, 0, 0, "out of memory");
    }
    o->cap = BUFSZ;
    snprintf(o->tmp, len + 16, "%s.tmp-XXXXXX", path);
    o->fd = mkstemp(o->tmp);
    if (o->fd < 0) {
        tg_status st = tg_error_set(err, TG_EIO, path, 0, 0, "cannot write \"%s\": %s", path,
                                    strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        tg_i_out_abort(o);
        return st;
    }
    {
        mode_t mask = umask(0);
        umask(mask);
        (void)fchmod(o->fd, 0666 & ~mask);
    }
    return TG_OK;
}

void tg_i_out_memory(tg_out *o)
{
    memset(o, 0, sizeof *o);
    o->fd = -1;
    o->memory = 1;
}

/* In memory: makes room for need more bytes (a failure is remembered). */
static int grow(tg_out *o, size_t need)
{
    size_t cap = o->cap ? o->cap : 4096;
    char *b;

    if (o->err_no)
        return -1;
    while (cap - o->n < need)
        cap *= 2;
    if (cap == o->cap)
        return 0;
    b = realloc(o->buf, cap);
    if (!b) {
        o->err_no = ENOMEM;
        return -1;
    }
    o->buf = b;
    o->cap = cap;
    return 0;
}

static void flush(tg_out *o)
{
    size_t at = 0;

    if (o->memory) {
        grow(o, o->cap ? o->cap : 4096);
        return;
    }

    while (at < o->n && !o->err_no) {
        ssize_t w = write(o->fd, o->buf + at, o->n - at);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            o->err_no = errno;
            break;
        }
        at += (size_t)w;
    }
    o->n = 0;
}

void tg_i_out_write(tg_out *o, const char *s, size_t len)
{
    o->bytes += len;
    if (o->memory) {
        if (len && grow(o, len) == 0) {
            memcpy(o->buf + o->n, s, len);
            o->n += len;
        }
        return;
    }
    if (o->n + len > o->cap) {
        flush(o);
        if (len > o->cap) {
            size_t at = 0;
            while (at < len && !o->err_no) {
                ssize_t w = write(o->fd, s + at, len - at);
                if (w < 0) {
                    if (errno != EINTR)
                        o->err_no = errno;
                    continue;
                }
                at += (size_t)w;
            }
            return;
        }
    }
    memcpy(o->buf + o->n, s, len);
    o->n += len;
}

void tg_i_out_puts(tg_out *o, const char *s)
{
    tg_i_out_write(o, s, strlen(s));
}

void tg_i_out_char(tg_out *o, char c)
{
    if (o->n == o->cap) {
        flush(o);
        if (o->n == o->cap)
            return; /* in memory and out of memory: remembered */
    }
    o->buf[o->n++] = c;
    o->bytes++;
}

void tg_i_out_int(tg_out *o, int64_t v)
{
    char b[24], *p = b + sizeof b;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    tg_i_out_write(o, p, (size_t)(b + sizeof b - p));
}

void tg_i_out_double(tg_out *o, double d)
{
    char b[48];

    tg_format_double(d, b);
    tg_i_out_puts(o, b);
}

/* A JSON string; with xml, also & < > (and U+FFFE / U+FFFF, which XML
 * forbids) as \u escapes so that the JSON can stand in XML text as it is. */
static void json_string(tg_out *o, const char *s, size_t len, int xml)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *t = (const unsigned char *)s;
    size_t i, run = 0;

    tg_i_out_char(o, '"');
    for (i = 0; i < len; i++) {
        unsigned char c = t[i];
        const char *esc = NULL;
        char u[7];
        size_t skip = 0;
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0xE2 && c != 0xEF &&
            !(xml && (c == '&' || c == '<' || c == '>')))
            continue;
        if (c == 0xE2 && !(i + 2 < len && t[i + 1] == 0x80 && (t[i + 2] & 0xFE) == 0xA8))
            continue;
        if (c == 0xEF && !(xml && i + 2 < len && t[i + 1] == 0xBF && (t[i + 2] & 0xFE) == 0xBE))
            continue;
        if (i > run)
            tg_i_out_write(o, s + run, i - run);
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case 0xE2: /* U+2028 / U+2029 */
            esc = t[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
            skip = 2;
            break;
        case 0xEF: /* U+FFFE / U+FFFF */
            esc = t[i + 2] == 0xBE ? "\\ufffe" : "\\uffff";
            skip = 2;
            break;
        default:
            u[0] = '\\';
            u[1] = 'u';
            u[2] = '0';
            u[3] = '0';
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
            u[6] = '\0';
            esc = u;
        }
        tg_i_out_puts(o, esc);
        i += skip;
        run = i + 1;
    }
    if (len > run)
        tg_i_out_write(o, s + run, len - run);
    tg_i_out_char(o, '"');
}

void tg_i_out_json_string(tg_out *o, const char *s, size_t len)
{
    json_string(o, s, len, 0);
}

void tg_i_out_json_string_xml(tg_out *o, const char *s, size_t len)
{
    json_string(o, s, len, 1);
}

/* What XML needs of each byte: 0 nothing, 1 an entity or character
 * reference, 2 a byte XML 1.0 forbids (replaced by U+FFFD), 3 the first
 * byte of a sequence that may be U+FFFE / U+FFFF (also forbidden). Text
 * content escapes & < > and CR (a raw CR would be read back as LF); an
 * attribute value also " and the blanks that attribute-value normalisation
 * would turn into spaces. */
static unsigned char xml_class[2][256];

static void xml_classes(void)
{
    int c, m;

    for (m = 0; m < 2; m++) {
        for (c = 0; c < 0x20; c++)
            xml_class[m][c] = 2;
        xml_class[m]['&'] = xml_class[m]['<'] = xml_class[m]['>'] = xml_class[m]['\r'] = 1;
        xml_class[m]['\n'] = xml_class[m]['\t'] = (unsigned char)(m ? 1 : 0);
        xml_class[m]['"'] = (unsigned char)(m ? 1 : 0);
        xml_class[m][0xEF] = 3;
    }
}

static size_t out_xml(tg_out *o, const char *s, size_t len, int attr)
{
    const unsigned char *t = (const unsigned char *)s;
    const unsigned char *cls;
    size_t i, run = 0, bad = 0;

    if (!xml_class[0]['&'])
        xml_classes();
    cls = xml_class[attr != 0];
    for (i = 0; i < len; i++) {
        unsigned char c = t[i];
        const char *esc;
        size_t skip = 0;
        if (!cls[c])
            continue;
        switch (c) {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': esc = "&gt;"; break;
        case '"': esc = "&quot;"; break;
        case '\n': esc = "&#10;"; break;
        case '\r': esc = "&#13;"; break;
        case '\t': esc = "&#9;"; break;
        case 0xEF:
            if (!(i + 2 < len && t[i + 1] == 0xBF && (t[i + 2] & 0xFE) == 0xBE))
                continue;
            skip = 2;
            /* fall through */
        default:
            esc = "\xEF\xBF\xBD";
            bad++;
        }
        if (i > run)
            tg_i_out_write(o, s + run, i - run);
        tg_i_out_puts(o, esc);
        i += skip;
        run = i + 1;
    }
    if (len > run)
        tg_i_out_write(o, s + run, len - run);
    return bad;
}

size_t tg_i_out_xml(tg_out *o, const char *s, size_t len)
{
    return out_xml(o, s, len, 1);
}

size_t tg_i_out_xml_text(tg_out *o, const char *s, size_t len)
{
    return out_xml(o, s, len, 0);
}

tg_status tg_i_out_commit(tg_out *o, tg_error *err)
{
    tg_status st = TG_OK;

    flush(o);
    if (!o->err_no && fsync(o->fd) != 0)
        o->err_no = errno;
    if (close(o->fd) != 0 && !o->err_no)
        o->err_no = errno;
    o->fd = -1;
    if (!o->err_no && rename(o->tmp, o->path) != 0)
        o->err_no = errno;
    if (o->err_no)
        st = tg_error_set(err, TG_EIO, o->path, 0, 0, "cannot write \"%s\": %s", o->path,
                          strerror(o->err_no));
    else {
        free(o->tmp);
        o->tmp = NULL;
    }
    tg_i_out_abort(o);
    return st;
}

void tg_i_out_abort(tg_out *o)
{
    if (o->fd >= 0)
        close(o->fd);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    free(o->buf);
    memset(o, 0, sizeof *o);
    o->fd = -1;
}
