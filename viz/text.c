/* text.c — text for diagrams: a growable string, UTF-8 clean-up, wrapping
 * and truncation of names, and escaping for HTML-like labels and for the
 * plain attribute strings graphviz expands (tooltips).
 *
 * Names are data from outside. Whatever they hold, the text that leaves
 * these functions is valid UTF-8 without control characters, without the
 * bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) that
 * would reorder the rest of a drawing, and with U+2028/U+2029 (line and
 * paragraph separators) turned into line breaks or blanks, so one name
 * cannot spoof or disturb the text around it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "viz_internal.h"

void tg_i_viz_sb_put(tg_i_viz_sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *ns;
        while (b->len + n + 1 > cap)
            cap *= 2;
        ns = realloc(b->s, cap);
        if (!ns) {
            b->oom = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void tg_i_viz_sb_puts(tg_i_viz_sbuf *b, const char *s)
{
    tg_i_viz_sb_put(b, s, strlen(s));
}

void tg_i_viz_sb_printf(tg_i_viz_sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    tg_i_viz_sb_put(b, "", 0);
    if (b->oom)
        return;
    {
        char *tmp = malloc((size_t)n + 1);
        if (!tmp) {
            b->oom = 1;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(tmp, (size_t)n + 1, fmt, ap);
        va_end(ap);
        tg_i_viz_sb_put(b, tmp, (size_t)n);
        free(tmp);
    }
}

size_t tg_i_viz_utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
    size_t len = tg_utf8_next(s, n, cp);

    /* drawn text shows bad bytes, and the non-characters, as U+FFFD */
    if (*cp == TG_UTF8_INVALID || (*cp & 0xFFFE) == 0xFFFE)
        *cp = 0xFFFD;
    return len;
}

void tg_i_viz_put_cp(tg_i_viz_sbuf *b, unsigned cp)
{
    char u[4];

    if (cp < 0x80) {
        u[0] = (char)cp;
        tg_i_viz_sb_put(b, u, 1);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        tg_i_viz_sb_put(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        tg_i_viz_sb_put(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        tg_i_viz_sb_put(b, u, 4);
    }
}

size_t tg_i_viz_cp_width(unsigned cp)
{
    return tg_utf8_width(cp);
}

int tg_i_viz_cp_is_hidden(unsigned cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C ||
           cp == 0xFEFF;
}

void tg_i_viz_html_text(tg_i_viz_sbuf *b, const char *s, size_t n, int breaks)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        unsigned cp;
        i += tg_i_viz_utf8_next(p + i, n - i, &cp);
        switch (cp) {
        case '&': tg_i_viz_sb_puts(b, "&amp;"); break;
        case '<': tg_i_viz_sb_puts(b, "&lt;"); break;
        case '>': tg_i_viz_sb_puts(b, "&gt;"); break;
        case '"': tg_i_viz_sb_puts(b, "&quot;"); break;
        case '\'': tg_i_viz_sb_puts(b, "&#39;"); break;
        case '\\': tg_i_viz_sb_puts(b, "\\\\"); break;
        case '\n':
        case 0x2028:
        case 0x2029: tg_i_viz_sb_puts(b, breaks ? "<BR/>" : " "); break;
        case '\t': tg_i_viz_sb_puts(b, " "); break;
        default:
            if (!tg_i_viz_cp_is_hidden(cp))
                tg_i_viz_put_cp(b, cp);
        }
    }
}

void tg_i_viz_plain_text(tg_i_viz_sbuf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        unsigned cp;
        i += tg_i_viz_utf8_next(p + i, n - i, &cp);
        if (cp == '\\') /* a backslash would not survive graphviz's escapes
                         * and a DOT round trip: U+29F5 looks the same */
            tg_i_viz_sb_puts(b, "\xE2\xA7\xB5");
        else if (cp == '\n' || cp == '\t' || cp == 0x2028 || cp == 0x2029)
            tg_i_viz_sb_puts(b, " ");
        else if (!tg_i_viz_cp_is_hidden(cp))
            tg_i_viz_put_cp(b, cp);
    }
}

/* Starts a new line of wrapped text; 0, or 1 when max_lines are full. */
static int new_line(tg_i_viz_sbuf *out, size_t *lines, size_t *col, size_t max_lines)
{
    if (max_lines && *lines == max_lines)
        return 1;
    tg_i_viz_sb_put(out, "\n", 1);
    (*lines)++;
    *col = 0;
    return 0;
}

size_t tg_i_viz_wrap_text(tg_i_viz_sbuf *out, const char *s, size_t n, size_t width,
                          size_t max_lines)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, col = 0, lines = 1;
    int cut = 0;

    while (i < n && !cut) {
        size_t wstart, wend, wcols = 0, k;
        unsigned cp;
        if (p[i] == ' ' || p[i] == '\t') {
            i++;
            continue;
        }
        if (p[i] == '\n' || p[i] == '\r' ||
            (n - i >= 3 && p[i] == 0xE2 && p[i + 1] == 0x80 &&
             (p[i + 2] == 0xA8 || p[i + 2] == 0xA9))) {
            i += p[i] == 0xE2 ? 3 : (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n') ? 2 : 1;
            if ((cut = new_line(out, &lines, &col, max_lines)) != 0)
                break;
            continue;
        }
        wstart = i;
        while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') {
            size_t len = tg_i_viz_utf8_next(p + i, n - i, &cp);
            if (cp == 0x2028 || cp == 0x2029)
                break;
            i += len;
            wcols += tg_i_viz_cp_width(cp);
        }
        wend = i;
        if (col > 0 && col + 1 + wcols > width) {
            if ((cut = new_line(out, &lines, &col, max_lines)) != 0)
                break;
        } else if (col > 0) {
            tg_i_viz_sb_put(out, " ", 1);
            col++;
        }
        /* A word wider than a line is cut at code point boundaries. */
        for (k = wstart; k < wend;) {
            size_t len = tg_i_viz_utf8_next(p + k, wend - k, &cp), w = tg_i_viz_cp_width(cp);
            if (col > 0 && col + w > width && (cut = new_line(out, &lines, &col, max_lines)) != 0)
                break;
            if (!tg_i_viz_cp_is_hidden(cp))
                tg_i_viz_sb_put(out, s + k, len);
            col += w;
            k += len;
        }
    }
    if (cut) {
        /* Make room for the ellipsis on the last line. */
        while (col + 1 > width && out->len > 0 && out->s[out->len - 1] != '\n') {
            size_t back = out->len - 1;
            while (back > 0 && ((unsigned char)out->s[back] & 0xC0) == 0x80)
                back--;
            out->len = back;
            out->s[back] = '\0';
            col--;
        }
        while (out->len > 0 && out->s[out->len - 1] == ' ')
            out->s[--out->len] = '\0';
        tg_i_viz_sb_puts(out, "\xE2\x80\xA6"); /* … */
    }
    return cut;
}
