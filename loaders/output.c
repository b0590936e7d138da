/* output.c — buffered, atomic export files (see output.h).
 *
 * The file is synced once, at the commit. Handing it to the disk in steps
 * while it is written (sync_file_range every 32 MB) was measured at 1M/5M
 * (858 MB of GraphML) and not kept: the sync at the end went from 1.2-1.5 s
 * to 0.04-0.8 s, but the writing took as much longer (the writeback's CPU
 * work moved from the wait into the writing, on a busy 2-core machine) and
 * the export took 0.2 s more CPU; the wall time was the same.
 */
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
    o->buf = o->spare;
    o->cap = sizeof o->spare;
}

/* In memory: makes room for need more bytes. Out of memory is remembered,
 * and from then on what is written goes to the spare buffer, over and over
 * (-1). */
static int grow(tg_out *o, size_t need)
{
    size_t cap = o->cap;
    char *b;

    if (!o->err_no && o->cap - o->n >= need)
        return 0;
    if (!o->err_no) {
        while (cap - o->n < need)
            cap *= 2;
        b = o->buf == o->spare ? malloc(cap) : realloc(o->buf, cap);
        if (b) {
            if (o->buf == o->spare)
                memcpy(b, o->spare, o->n);
            o->buf = b;
            o->cap = cap;
            return 0;
        }
        o->err_no = ENOMEM;
    }
    if (o->buf != o->spare)
        free(o->buf);
    o->buf = o->spare;
    o->cap = sizeof o->spare;
    o->n = 0;
    return -1;
}

/* Writes s[0..len) to the file (an error is remembered). */
static void write_out(tg_out *o, const char *s, size_t len)
{
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
}

/* Empties the buffer into the file (in memory: nothing to do). */
static void flush(tg_out *o)
{
    if (o->memory)
        return;
    write_out(o, o->buf, o->n);
    o->n = 0;
}

void tg_i_out_write_slow(tg_out *o, const char *s, size_t len)
{
    if (o->memory) {
        if (grow(o, len) != 0 && len > o->cap)
            return; /* out of memory: dropped, remembered */
    } else {
        flush(o);
        if (len > o->cap) {
            write_out(o, s, len);
            return;
        }
    }
    memcpy(o->buf + o->n, s, len);
    o->n += len;
}

char *tg_i_out_reserve_slow(tg_out *o, size_t len)
{
    if (o->memory)
        grow(o, len);
    else
        flush(o);
    return o->buf + o->n;
}

void tg_i_out_puts(tg_out *o, const char *s)
{
    tg_i_out_write(o, s, strlen(s));
}

char *tg_i_format_int(char *p, int64_t v)
{
    char b[20], *q = b + sizeof b;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do {
        *--q = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *p++ = '-';
    memcpy(p, q, (size_t)(b + sizeof b - q));
    return p + (b + sizeof b - q);
}

void tg_i_out_int(tg_out *o, int64_t v)
{
    char *p = tg_i_out_reserve(o, 20);

    tg_i_out_advance(o, tg_i_format_int(p, v));
}

/* tg_format_double's text for the doubles that are a decimal of at most 15
 * significant digits between 1e-4 and 1e15 (amounts, shares, years: most
 * data), without printf: 0 for any other double, which takes
 * tg_format_double. Why it is the same text: take the least k for which
 * m = round(|d| 10^k) is below 10^15 and m / 10^k, divided in doubles, is
 * |d| again. m and 10^k (k <= 22) are exact doubles, so the division is
 * correctly rounded: the decimal D = m 10^-k reads back as d. Two decimals
 * of 15 significant digits are at least 1e-15 apart relative to d, and both
 * D and the 15-digit rounding of d that tg_format_double tries first are
 * within half an ulp (1.1e-16 relative) of d, so they are equal: that try
 * succeeds, and its digits with trailing zeros trimmed are D's. D is below
 * 1e15 and, like d, at least 1e-4: the plain form, as tg_format_double
 * writes it there ("1700000.0", "0.35", "0.0001"). */
static size_t short_decimal(double d, char *out)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    double a = d < 0 ? -d : d;
    char dig[24], *p = out;
    uint64_t m = 0;
    int k, nd = 0, lo, i;

    if (!(a >= 1e-4 && a < 1e15)) /* NaN too */
        return 0;
    for (k = 0;; k++) {
        double x = a * p10[k];
        if (x >= 1e15 || k + 1 == (int)(sizeof p10 / sizeof p10[0]))
            return 0;
        m = (uint64_t)(x + 0.5);
        if (m < 1000000000000000u && (double)m / p10[k] == a)
            break;
    }
    do { /* least significant first: the first k are the fraction */
        dig[nd++] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    while (nd <= k) /* 0.0035: the integer part 0, the fraction's leading zeros */
        dig[nd++] = '0';
    for (lo = 0; lo < k && dig[lo] == '0'; lo++)
        ;
    if (d < 0)
        *p++ = '-';
    for (i = nd - 1; i >= k; i--)
        *p++ = dig[i];
    *p++ = '.';
    if (lo == k)
        *p++ = '0';
    for (i = k - 1; i >= lo; i--)
        *p++ = dig[i];
    return (size_t)(p - out);
}

void tg_i_out_double(tg_out *o, double d)
{
    char *p = tg_i_out_reserve(o, 48);
    size_t n = short_decimal(d, p);

    if (!n) {
        tg_format_double(d, p);
        n = strlen(p);
    }
    tg_i_out_advance(o, p + n);
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

/* Scans for the few bytes that need something (the table) and copies the
 * runs between them whole. */
static size_t out_xml(tg_out *o, const char *s, size_t len, int attr)
{
    const unsigned char *t = (const unsigned char *)s;
    const unsigned char *cls;
    size_t i = 0, run, bad = 0;

    if (!xml_class[0]['&'])
        xml_classes();
    cls = xml_class[attr != 0];
    for (;;) {
        unsigned char c;
        run = i;
        while (i < len && !cls[t[i]])
            i++;
        if (i > run)
            tg_i_out_write(o, s + run, i - run);
        if (i == len)
            return bad;
        c = t[i++];
        switch (c) {
        case '&': tg_i_out_write(o, "&amp;", 5); break;
        case '<': tg_i_out_write(o, "&lt;", 4); break;
        case '>': tg_i_out_write(o, "&gt;", 4); break;
        case '"': tg_i_out_write(o, "&quot;", 6); break;
        case '\n': tg_i_out_write(o, "&#10;", 5); break;
        case '\r': tg_i_out_write(o, "&#13;", 5); break;
        case '\t': tg_i_out_write(o, "&#9;", 4); break;
        case 0xEF:
            if (!(i + 1 < len && t[i] == 0xBF && (t[i + 1] & 0xFE) == 0xBE)) {
                tg_i_out_char(o, (char)c); /* another character: as it is */
                break;
            }
            i += 2;
            /* fall through */
        default: tg_i_out_write(o, "\xEF\xBF\xBD", 3); bad++;
        }
    }
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
    if (o->buf != o->spare)
        free(o->buf);
    memset(o, 0, sizeof *o);
    o->fd = -1;
}
