/* output.c — writing results (see output.h).
 *
 * Tables are built from the cells' text forms: each cell is made safe for
 * a terminal first (control characters escaped), then measured in display
 * columns; when a width is given, the widest columns give up room until the
 * row fits, and cut cells end with an ellipsis. The other formats write
 * what the values hold, byte for byte, through a length-carrying buffer.
 */
#include "output.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "utf8.h"
#include "value.h"

static const char *const names[] = {"table", "csv", "tsv", "json", "markdown"};
static const char *const extensions[] = {"txt", "csv", "tsv", "json", "md"};

int tg_out_format_parse(const char *name, tg_out_format *out)
{
    size_t k;

    for (k = 0; k < sizeof names / sizeof names[0]; k++)
        if (!strcmp(name, names[k])) {
            *out = (tg_out_format)k;
            return 0;
        }
    return -1;
}

const char *tg_out_extension(tg_out_format f)
{
    return extensions[f];
}

size_t tg_out_terminal_width(FILE *f)
{
    struct winsize ws;
    int fd = fileno(f);

    if (fd < 0 || !isatty(fd))
        return 0;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

/* ---- UTF-8 and terminal safety ------------------------------------------- */

/* Decodes one code point; *bad set (and *cp the byte) when s[0] does not
 * start valid UTF-8, which is then escaped a byte at a time. */
static size_t next_cp(const unsigned char *s, size_t n, unsigned *cp, int *bad)
{
    size_t len = tg_utf8_next(s, n, cp);

    *bad = *cp == TG_UTF8_INVALID;
    if (*bad) {
        *cp = s[0];
        return 1;
    }
    return len;
}

static int cp_wide(unsigned cp)
{
    return tg_utf8_width(cp) == 2;
}

/* Code points a terminal would act on or that reorder text. */
static int cp_unsafe(unsigned cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

/* Appends s[0..n) escaped to b. */
static void safe_append(tg_buf *b, const char *s, size_t n, int keep_breaks)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        unsigned cp;
        int bad;
        size_t len = next_cp(p + i, n - i, &cp, &bad);
        if (bad)
            tg_buf_printf(b, "\\x%02x", p[i]);
        else if (cp == '\n')
            tg_buf_puts(b, keep_breaks ? "\n" : "\\n");
        else if (cp == '\t')
            tg_buf_puts(b, keep_breaks ? "\t" : "\\t");
        else if (cp == '\r')
            tg_buf_puts(b, "\\r");
        else if (cp == 0)
            tg_buf_puts(b, "\\0");
        else if (cp < 0x80 && cp_unsafe(cp))
            tg_buf_printf(b, "\\x%02x", cp);
        else if (cp_unsafe(cp))
            tg_buf_printf(b, "\\u{%04X}", cp);
        else
            tg_buf_add(b, s + i, len);
        i += len;
    }
}

void tg_out_safe_write(FILE *f, const char *s, size_t n, int keep_breaks)
{
    tg_buf b;

    tg_buf_init(&b);
    safe_append(&b, s, n, keep_breaks);
    if (b.data)
        fwrite(b.data, 1, b.len, f);
    tg_buf_destroy(&b);
}

static size_t display_width(const char *s, size_t n);

char *tg_out_safe_text(const char *s, size_t n, size_t *width)
{
    tg_buf b;
    char *out;

    tg_buf_init(&b);
    tg_buf_puts(&b, "");
    safe_append(&b, s, n, 0);
    if (width)
        *width = b.data ? display_width(b.data, b.len) : 0;
    out = tg_buf_take(&b);
    return out;
}

/* Display columns of valid UTF-8 s[0..n). */
static size_t display_width(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, w = 0;

    while (i < n) {
        unsigned cp;
        int bad;
        i += next_cp(p + i, n - i, &cp, &bad);
        w += cp_wide(cp) ? 2 : 1;
    }
    return w;
}

/* The byte length of the longest prefix of s[0..n) at most `cols` wide. */
static size_t prefix_for(const char *s, size_t n, size_t cols)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, w = 0;

    while (i < n) {
        unsigned cp;
        int bad;
        size_t len = next_cp(p + i, n - i, &cp, &bad), cw = cp_wide(cp) ? 2 : 1;
        if (w + cw > cols)
            break;
        w += cw;
        i += len;
    }
    return i;
}

/* ---- readable values ------------------------------------------------------ */

static void text_of(const tg_graph *g, const tg_value *v, tg_buf *b, int top);

/* "China Exim Bank": the name, else the id. */
static void entity_name(const tg_graph *g, tg_ent e, tg_buf *b)
{
    tg_sym k = tg_graph_sym(g, "name", 4);
    const tg_pval *nm = k ? tg_graph_prop(g, TG_ENTITY, e, k) : NULL;
    size_t len;
    const char *s;

    if (nm && nm->type == TG_V_STRING) {
        s = tg_graph_str(g, nm->u.s, &len);
        if (len) {
            tg_buf_add(b, s, len);
            return;
        }
    }
    s = tg_graph_str(g, tg_graph_entity_id(g, e), &len);
    tg_buf_add(b, s, len);
}

static void node_text(const tg_graph *g, tg_ent e, tg_buf *b)
{
    const tg_sym *labels;
    size_t nl = tg_graph_labels(g, e, &labels), i, len;

    tg_buf_puts(b, "(");
    for (i = 0; i < nl; i++) {
        const char *l = tg_graph_str(g, labels[i], &len);
        tg_buf_puts(b, ":");
        tg_buf_add(b, l, len);
    }
    if (nl)
        tg_buf_puts(b, " ");
    entity_name(g, e, b);
    tg_buf_puts(b, ")");
}

static void rel_step(const tg_graph *g, tg_rel r, int forward, tg_buf *b)
{
    size_t len;
    const char *t = tg_graph_str(g, tg_graph_rel_type(g, r), &len);

    tg_buf_puts(b, forward ? " -[" : " <-[");
    tg_buf_add(b, t, len);
    tg_buf_puts(b, forward ? "]-> " : "]- ");
}

static void text_of(const tg_graph *g, const tg_value *v, tg_buf *b, int top)
{
    uint32_t i;

    switch (v->kind) {
    case TG_VAL_NULL: tg_buf_puts(b, "null"); break;
    case TG_VAL_STRING:
        /* bare at the top level, but the string 'null' (and the empty
         * string) quoted so it cannot pass for null or an empty cell */
        if (top && !(v->len == 4 && !memcmp(v->u.s, "null", 4)) && v->len) {
            tg_buf_add(b, v->u.s, v->len);
        } else {
            tg_buf_puts(b, "'");
            tg_buf_add(b, v->u.s, v->len);
            tg_buf_puts(b, "'");
        }
        break;
    case TG_VAL_NODE: node_text(g, v->u.node, b); break;
    case TG_VAL_REL:
        entity_name(g, tg_graph_rel_from(g, v->u.rel), b);
        rel_step(g, v->u.rel, 1, b);
        entity_name(g, tg_graph_rel_to(g, v->u.rel), b);
        break;
    case TG_VAL_PATH:
        entity_name(g, v->u.path->nodes[0], b);
        for (i = 0; i < v->u.path->len; i++) {
            tg_rel r = v->u.path->rels[i];
            rel_step(g, r, tg_graph_rel_from(g, r) == v->u.path->nodes[i], b);
            entity_name(g, v->u.path->nodes[i + 1], b);
        }
        break;
    case TG_VAL_LIST:
        tg_buf_puts(b, "[");
        for (i = 0; i < v->len; i++) {
            if (i)
                tg_buf_puts(b, ", ");
            text_of(g, &v->u.items[i], b, 0);
        }
        tg_buf_puts(b, "]");
        break;
    case TG_VAL_MAP:
        tg_buf_puts(b, "{");
        for (i = 0; i < v->len; i++) {
            if (i)
                tg_buf_puts(b, ", ");
            tg_buf_add(b, v->u.map[i].key, v->u.map[i].klen);
            tg_buf_puts(b, ": ");
            text_of(g, &v->u.map[i].value, b, 0);
        }
        tg_buf_puts(b, "}");
        break;
    default:
        if (top)
            tg_value_format(g, v, TG_VFMT_TEXT, b);
        else
            tg_value_format(g, v, TG_VFMT_TCK, b);
    }
}

char *tg_out_cell_text(const tg_graph *g, const tg_value *v, size_t *width)
{
    tg_buf raw, safe;
    char *out;

    tg_buf_init(&raw);
    tg_buf_init(&safe);
    text_of(g, v, &raw, 1);
    tg_buf_puts(&safe, "");
    if (raw.data)
        safe_append(&safe, raw.data, raw.len, 0);
    if (width)
        *width = safe.data ? display_width(safe.data, safe.len) : 0;
    out = tg_buf_take(&safe);
    tg_buf_destroy(&raw);
    return out;
}

/* ---- tables ------------------------------------------------------------------ */

static void pad(FILE *f, size_t n)
{
    while (n--)
        fputc(' ', f);
}

/* Writes cell text s (display width w) in a column of width cw: cut with
 * an ellipsis when wider. */
static void put_cell(FILE *f, const char *s, size_t w, size_t cw, int fill)
{
    size_t n = strlen(s);

    if (w > cw) {
        size_t k = prefix_for(s, n, cw ? cw - 1 : 0);
        fwrite(s, 1, k, f);
        fputs("\xE2\x80\xA6", f); /* … */
        w = display_width(s, k) + 1;
    } else {
        fwrite(s, 1, n, f);
    }
    if (fill && cw > w)
        pad(f, cw - w);
}

/* Shrinks column widths w[0..nc) (minimum each: min(header, 8)) until the
 * row, with separators of sep columns (and `edge` extra), fits width. */
static void fit(size_t *w, const size_t *floor_w, size_t nc, size_t sep, size_t edge, size_t width)
{
    for (;;) {
        size_t total = edge, j, widest = nc;
        for (j = 0; j < nc; j++)
            total += w[j] + (j ? sep : 0);
        if (total <= width)
            return;
        for (j = 0; j < nc; j++)
            if (w[j] > floor_w[j] && (widest == nc || w[j] > w[widest]))
                widest = j;
        if (widest == nc)
            return; /* nothing left to give */
        w[widest]--;
    }
}

static void write_table(FILE *f, const tg_result *r, int markdown, size_t width)
{
    size_t nc = tg_result_column_count(r), nr = tg_result_row_count(r), i, j;
    size_t *w = calloc(nc ? nc : 1, sizeof *w), *floor_w = calloc(nc ? nc : 1, sizeof *floor_w);
    size_t *cw = calloc(nr && nc ? nr * nc : 1, sizeof *cw);
    char **cells = calloc(nr && nc ? nr * nc : 1, sizeof *cells),
         **heads = calloc(nc ? nc : 1, sizeof *heads);
    size_t *hw = calloc(nc ? nc : 1, sizeof *hw);
    const tg_graph *g = tg_result_graph(r);

    if (!w || !cells || !floor_w || !cw || !heads || !hw)
        goto done;
    for (j = 0; j < nc; j++) {
        const char *name = tg_result_column_name(r, j);
        tg_buf b;
        tg_buf_init(&b);
        tg_buf_puts(&b, "");
        safe_append(&b, name, strlen(name), 0);
        heads[j] = tg_buf_take(&b);
        hw[j] = heads[j] ? display_width(heads[j], strlen(heads[j])) : 0;
        w[j] = hw[j];
    }
    for (i = 0; i < nr; i++)
        for (j = 0; j < nc; j++) {
            const tg_value *v = tg_result_value(r, i, j);
            char *cell;
            size_t cwid = 0;
            if (!v)
                continue;
            cell = tg_out_cell_text(g, v, &cwid);
            if (cell && markdown) { /* a | inside a cell would split it */
                size_t n = strlen(cell), k, m = 0;
                char *esc = malloc(2 * n + 1);
                if (esc) {
                    for (k = 0; k < n; k++) {
                        if (cell[k] == '|') {
                            esc[m++] = '\\';
                            cwid++;
                        }
                        esc[m++] = cell[k];
                    }
                    esc[m] = '\0';
                    free(cell);
                    cell = esc;
                }
            }
            cells[i * nc + j] = cell;
            cw[i * nc + j] = cwid;
            if (cwid > w[j])
                w[j] = cwid;
        }
    for (j = 0; markdown && j < nc; j++)
        if (w[j] < 3) /* a markdown rule needs three dashes */
            w[j] = 3;
    if (nc == 0) /* an updating statement without RETURN: only its effects */
        goto done;
    if (width) {
        for (j = 0; j < nc; j++)
            floor_w[j] = hw[j] < 8 ? (hw[j] < 3 && markdown ? 3 : hw[j]) : 8;
        fit(w, floor_w, nc, markdown ? 3 : 2, markdown ? 4 : 0, width);
    }
    /* header */
    fputs(markdown ? "|" : "", f);
    for (j = 0; j < nc; j++) {
        fputs(markdown ? " " : (j ? "  " : ""), f);
        put_cell(f, heads[j] ? heads[j] : "", hw[j], w[j], markdown || j + 1 < nc);
        fputs(markdown ? " |" : "", f);
    }
    fputc('\n', f);
    fputs(markdown ? "|" : "", f);
    for (j = 0; j < nc; j++) {
        size_t k;
        fputs(markdown ? " " : (j ? "  " : ""), f);
        for (k = 0; k < w[j]; k++)
            fputc('-', f);
        fputs(markdown ? " |" : "", f);
    }
    fputc('\n', f);
    for (i = 0; i < nr; i++) {
        fputs(markdown ? "|" : "", f);
        for (j = 0; j < nc; j++) {
            const char *cell = cells[i * nc + j] ? cells[i * nc + j] : "";
            fputs(markdown ? " " : (j ? "  " : ""), f);
            put_cell(f, cell, cw[i * nc + j], w[j], markdown || j + 1 < nc);
            fputs(markdown ? " |" : "", f);
        }
        fputc('\n', f);
    }
    if (!markdown)
        fprintf(f, "(%zu %s)\n", nr, nr == 1 ? "row" : "rows");
done:
    if (cells)
        for (i = 0; i < nr * nc; i++)
            free(cells[i]);
    if (heads)
        for (j = 0; j < nc; j++)
            free(heads[j]);
    free(heads);
    free(hw);
    free(cells);
    free(cw);
    free(floor_w);
    free(w);
}

/* ---- CSV, TSV, JSON ------------------------------------------------------------ */

/* The value as delimited text into b: null -> nothing (*is_null set),
 * strings bare, the rest in the table notation without escapes. */
static void delimited_text(const tg_graph *g, const tg_value *v, tg_buf *b, int *is_null)
{
    *is_null = v->kind == TG_VAL_NULL;
    if (*is_null)
        return;
    if (v->kind == TG_VAL_STRING)
        tg_buf_add(b, v->u.s, v->len);
    else
        text_of(g, v, b, 1);
}

/* RFC 4180: quote a field holding the separator, a quote, a line break or
 * a NUL, and the empty string (so that it differs from null). */
static void csv_field(FILE *f, const char *s, size_t n, int is_null)
{
    size_t i;
    int quote = !is_null && n == 0;

    for (i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r' || s[i] == '\0';
    if (!quote) {
        fwrite(s, 1, n, f);
        return;
    }
    fputc('"', f);
    for (i = 0; i < n; i++) {
        if (s[i] == '"')
            fputc('"', f);
        fputc(s[i], f);
    }
    fputc('"', f);
}

/* TSV has no quoting: tab, line breaks, backslash and NUL are escaped. */
static void tsv_field(FILE *f, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        switch (s[i]) {
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\0': fputs("\\0", f); break;
        default: fputc(s[i], f);
        }
    }
}

/* The field as written to a terminal: control characters escaped. */
static void term_field(FILE *f, const char *s, size_t n, int tsv, int is_null)
{
    char *safe = tg_out_safe_text(s, n, NULL);

    if (!safe)
        return;
    if (tsv)
        fputs(safe, f);
    else
        csv_field(f, safe, strlen(safe), is_null);
    free(safe);
}

static void write_delimited(FILE *f, const tg_result *r, int tsv, int terminal)
{
    size_t nc = tg_result_column_count(r), nr = tg_result_row_count(r), i, j;
    const tg_graph *g = tg_result_graph(r);
    tg_buf b;

    for (j = 0; j < nc; j++) {
        const char *name = tg_result_column_name(r, j);
        if (j)
            fputc(tsv ? '\t' : ',', f);
        if (terminal)
            term_field(f, name, strlen(name), tsv, 0);
        else if (tsv)
            tsv_field(f, name, strlen(name));
        else
            csv_field(f, name, strlen(name), 0);
    }
    if (nc)
        fputc('\n', f);
    tg_buf_init(&b);
    for (i = 0; i < nr; i++) {
        for (j = 0; j < nc; j++) {
            const tg_value *v = tg_result_value(r, i, j);
            int is_null = 1;
            b.len = 0;
            tg_buf_puts(&b, "");
            if (v)
                delimited_text(g, v, &b, &is_null);
            if (j)
                fputc(tsv ? '\t' : ',', f);
            if (terminal)
                term_field(f, b.data ? b.data : "", b.data ? b.len : 0, tsv, is_null);
            else if (tsv)
                tsv_field(f, b.data ? b.data : "", b.data ? b.len : 0);
            else
                csv_field(f, b.data ? b.data : "", b.data ? b.len : 0, is_null);
        }
        fputc('\n', f);
    }
    tg_buf_destroy(&b);
}

static void write_json(FILE *f, const tg_result *r)
{
    size_t nc = tg_result_column_count(r), nr = tg_result_row_count(r), i, j;
    const tg_graph *g = tg_result_graph(r);
    tg_buf b;

    fputs("{\"columns\": [", f);
    for (j = 0; j < nc; j++) {
        const char *name = tg_result_column_name(r, j);
        if (j)
            fputs(", ", f);
        tg_cli_json_string(f, name, strlen(name));
    }
    fputs("], \"rows\": [", f);
    tg_buf_init(&b);
    for (i = 0; i < nr; i++) {
        fputs(i ? ", [" : "[", f);
        for (j = 0; j < nc; j++) {
            const tg_value *v = tg_result_value(r, i, j);
            if (j)
                fputs(", ", f);
            b.len = 0;
            tg_buf_puts(&b, "");
            if (v)
                tg_value_format(g, v, TG_VFMT_JSON, &b);
            if (v && b.data)
                fwrite(b.data, 1, b.len, f);
            else
                fputs("null", f);
        }
        fputc(']', f);
    }
    tg_buf_destroy(&b);
    fputs("]}\n", f);
}

void tg_out_write_result(FILE *f, const tg_result *r, const tg_out_options *o, size_t index)
{
    switch (o->format) {
    case TG_OUT_JSON: write_json(f, r); break;
    case TG_OUT_CSV:
    case TG_OUT_TSV:
        if (index > 0 && tg_result_column_count(r))
            fputc('\n', f);
        write_delimited(f, r, o->format == TG_OUT_TSV, o->terminal);
        break;
    case TG_OUT_TABLE:
    case TG_OUT_MARKDOWN:
        if (index > 0 && tg_result_column_count(r))
            fputc('\n', f);
        write_table(f, r, o->format == TG_OUT_MARKDOWN, o->width);
        break;
    }
}

void tg_out_write_effects(FILE *f, const tg_result *r)
{
    const tg_query_effects *fx = tg_result_effects(r);

    if (!(fx->nodes_created || fx->relationships_created || fx->properties_set ||
          fx->labels_added || fx->properties_removed || fx->nodes_deleted ||
          fx->relationships_deleted || fx->labels_removed))
        return;
    fprintf(f, "(created %ld %s and %ld %s; set %ld %s, removed %ld; %ld new %s",
            fx->nodes_created, fx->nodes_created == 1 ? "entity" : "entities",
            fx->relationships_created, fx->relationships_created == 1 ? "relation" : "relations",
            fx->properties_set, fx->properties_set == 1 ? "property" : "properties",
            fx->properties_removed, fx->labels_added, fx->labels_added == 1 ? "label" : "labels");
    /* deletions only when there are some: creating statements read as before */
    if (fx->nodes_deleted || fx->relationships_deleted)
        fprintf(f, "; deleted %ld %s and %ld %s", fx->nodes_deleted,
                fx->nodes_deleted == 1 ? "entity" : "entities", fx->relationships_deleted,
                fx->relationships_deleted == 1 ? "relation" : "relations");
    if (fx->labels_removed)
        fprintf(f, "; %ld %s no longer used", fx->labels_removed,
                fx->labels_removed == 1 ? "label" : "labels");
    fputs(")\n", f);
}
