/* cmd_query.c — `tiegraph query`: run a query or a script of them.
 *
 * The graph comes from the store (--db, $TIEGRAPH_DB, ./tiegraph.db), from
 * files read into memory (--in FILE...), or is empty (--db :memory:). A
 * script is split into statements and client directives (queries/script.h);
 * each statement's result is written in the chosen format. A statement that
 * changes the graph is saved to the store, when there is one, in one
 * transaction per statement, recorded with its text in the store's write
 * log. A script that may write (it names CREATE, SET, DELETE, REMOVE or
 * MERGE) holds the store's write lock from start to end, so that no other
 * writer changes the store under it; a script that only reads works on one
 * snapshot and never waits. The first failing statement stops the script:
 * its error is printed with the script's line and column, the offending line
 * and a caret, and the exit status is 1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"
#include "json_loader.h"
#include "query.h"
#include "render.h"
#include "script.h"
#include "store.h"

static const char help[] =
    "Usage: tiegraph query [--db PATH | --in FILE...] (-e TEXT | SCRIPT) [OPTIONS]\n"
    "\n"
    "Runs an openCypher-like query, or a script of them, over the store or over\n"
    "files read into memory. A script holds statements separated by ';', //\n"
    "comments, `:param name => value` lines and `:render PATH key=value ...` lines.\n"
    "See docs/query-language.md.\n"
    "\n"
    "Graph:\n"
    "  --db PATH            the store (default $TIEGRAPH_DB, else ./tiegraph.db);\n"
    "                       `--db :memory:` is an empty graph\n"
    "  --in FILE...         query these tiegraph/1 files without a store: the first\n"
    "                       argument after --in and the .json/.jsonl/.ndjson files\n"
    "                       that follow it; --in may be repeated\n"
    "Query:\n"
    "  -e, --execute TEXT   the query text (instead of a SCRIPT file)\n"
    "  --param NAME=VALUE   set $NAME; VALUE is read as a literal when it is one\n"
    "                       (42, 1.5, 'text', [1, 2], {a: 1}, true, null), otherwise\n"
    "                       as a plain string; may be repeated\n"
    "  --timeout SECONDS    stop a statement that runs longer (exit 1)\n"
    "  --max-expansions N   stop a statement that expands more relations (exit 1);\n"
    "                       default 100000000\n"
    "Store:\n"
    "  --busy-timeout S     wait up to S seconds (default 5) for another writer of\n"
    "                       the store, then fail with exit status 74\n"
    "Output:\n"
    "  --format FORMAT      table (default), csv, tsv, json or markdown\n"
    "  -o, --output FILE    write the results to FILE instead of standard output\n"
    "  --timing             report load, planning and execution times on stderr\n"
    "Diagrams (docs/diagrams.md):\n"
    "  --svg OUT            draw the LAST statement's result as an SVG diagram in OUT\n"
    "  --dot OUT            write the LAST statement's result as graphviz DOT to OUT\n"
    "  In a script, `:render PATH key=value ...` on its own line draws the NEXT\n"
    "  statement's result to PATH (.svg, .png or .dot). Keys: layout (dot, neato,\n"
    "  fdp, sfdp, circo, twopi, osage), title, cluster (a property, e.g. country),\n"
    "  rankdir (TB, LR, BT, RL), theme (a theme file), legend=false,\n"
    "  footnotes=false. Nodes, relations and paths of the result are drawn;\n"
    "  the relations of paths are highlighted.\n"
    "  -h, --help           this help\n"
    "\n"
    "--format json prints one object per statement, one per line:\n"
    "  {\"columns\": [...], \"rows\": [[...], ...]}\n"
    "Errors: `tiegraph: SCRIPT:LINE:COL: error: ...`, the line, and a caret.\n"
    "Exit status: 0 success, 1 a query failed, 64 usage, 65 bad input data,\n"
    "66 a file is missing, 74 the store cannot be read or written.\n";

typedef enum out_format { OUT_TABLE, OUT_CSV, OUT_TSV, OUT_JSON, OUT_MARKDOWN } out_format;

typedef struct options {
    const char *db;
    const char **in;
    size_t nin;
    const char *text;   /* -e */
    const char *script; /* SCRIPT path */
    const char **params; /* NAME=VALUE */
    size_t nparams;
    out_format format;
    const char *output;
    double timeout;
    unsigned long long max_expansions;
    int timing;
    const char *svg; /* --svg OUT */
    const char *dot; /* --dot OUT */
} options;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- reading the script ---------------------------------------------------- */

static int read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;

    if (!f)
        return -1;
    for (;;) {
        size_t got;
        if (n + 65536 + 1 > cap) {
            char *nb = realloc(buf, cap = (n + 65536 + 1) * 2);
            if (!nb) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

/* Prints the error, then the script line it points at and a caret. */
static int fail_at(const tg_error *err, const char *text, size_t len)
{
    int rc = tg_cli_fail(err);
    long line = 1;
    size_t i = 0, start, end;

    if (!text || err->line <= 0)
        return rc;
    while (i < len && line < err->line)
        if (text[i++] == '\n')
            line++;
    if (line != err->line)
        return rc;
    start = i;
    for (end = start; end < len && text[end] != '\n' && text[end] != '\r'; end++)
        ;
    fprintf(stderr, "%.*s\n", (int)(end - start), text + start);
    if (err->column > 0) {
        long c;
        /* Keep tabs so the caret lines up under a tabbed line. */
        for (c = 1; c < err->column && start + (size_t)c - 1 < end; c++)
            fputc(text[start + c - 1] == '\t' ? '\t' : ' ', stderr);
        fputs("^\n", stderr);
    }
    return rc;
}

/* ---- writing results ------------------------------------------------------- */

/* Display width of a UTF-8 string: code points, East Asian wide ones and
 * emoji counted twice (close enough for aligning tables in a terminal). */
static size_t display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;

    while (*p) {
        unsigned cp;
        int n;
        if (*p < 0x80) {
            cp = *p;
            n = 1;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = *p & 0x1F;
            n = 2;
        } else if ((*p & 0xF0) == 0xE0) {
            cp = *p & 0x0F;
            n = 3;
        } else {
            cp = *p & 0x07;
            n = 4;
        }
        for (int k = 1; k < n; k++) {
            if ((p[k] & 0xC0) != 0x80) {
                n = k;
                break;
            }
            cp = (cp << 6) | (p[k] & 0x3F);
        }
        p += n;
        if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
            (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
            (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
            (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
            (cp >= 0x20000 && cp <= 0x3FFFD))
            w += 2;
        else if (cp >= 0x20 || cp == 0)
            w += 1;
    }
    return w;
}

/* Table cells show control characters escaped so one row stays one line. */
static char *table_cell(const char *s)
{
    size_t n = strlen(s), i, j = 0;
    char *out = malloc(4 * n + 1);

    if (!out)
        return NULL;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') {
            out[j++] = '\\';
            out[j++] = 'n';
        } else if (c == '\r') {
            out[j++] = '\\';
            out[j++] = 'r';
        } else if (c == '\t') {
            out[j++] = '\\';
            out[j++] = 't';
        } else if (c < 0x20) {
            j += (size_t)sprintf(out + j, "\\x%02x", c);
        } else {
            out[j++] = (char)c;
        }
    }
    out[j] = '\0';
    return out;
}

static void pad(FILE *f, size_t n)
{
    while (n--)
        fputc(' ', f);
}

static void write_table(FILE *f, const tg_result *r, int markdown)
{
    size_t nc = tg_result_column_count(r), nr = tg_result_row_count(r), i, j;
    size_t *w = calloc(nc ? nc : 1, sizeof *w);
    char **cells = calloc(nr && nc ? nr * nc : 1, sizeof *cells);

    if (!w || !cells)
        goto done;
    for (j = 0; j < nc; j++)
        w[j] = display_width(tg_result_column_name(r, j));
    for (i = 0; i < nr; i++)
        for (j = 0; j < nc; j++) {
            char *raw = tg_result_cell_format(r, i, j, TG_CELL_TEXT);
            char *cell = raw ? table_cell(raw) : NULL;
            free(raw);
            if (cell && markdown) { /* a | inside a cell would split it */
                size_t n = strlen(cell), k, m = 0;
                char *esc = malloc(2 * n + 1);
                if (esc) {
                    for (k = 0; k < n; k++) {
                        if (cell[k] == '|')
                            esc[m++] = '\\';
                        esc[m++] = cell[k];
                    }
                    esc[m] = '\0';
                    free(cell);
                    cell = esc;
                }
            }
            cells[i * nc + j] = cell;
            if (cell && display_width(cell) > w[j])
                w[j] = display_width(cell);
        }
    for (j = 0; markdown && j < nc; j++)
        if (w[j] < 3) /* a markdown rule needs three dashes */
            w[j] = 3;
    if (nc == 0) /* an updating statement without RETURN: only its effects */
        goto done;
    /* header */
    fputs(markdown ? "|" : "", f);
    for (j = 0; j < nc; j++) {
        const char *name = tg_result_column_name(r, j);
        fprintf(f, "%s%s", markdown ? " " : (j ? "  " : ""), name);
        if (markdown || j + 1 < nc)
            pad(f, w[j] - display_width(name));
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
            fprintf(f, "%s%s", markdown ? " " : (j ? "  " : ""), cell);
            if (markdown || j + 1 < nc)
                pad(f, w[j] - display_width(cell));
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
    free(cells);
    free(w);
}

/* RFC 4180: quote a field holding the separator, a quote or a line break. */
static void csv_field(FILE *f, const char *s, char sep)
{
    if (!strchr(s, sep) && !strchr(s, '"') && !strchr(s, '\n') && !strchr(s, '\r')) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* TSV has no quoting: tabs, line breaks and backslashes are escaped. */
static void tsv_field(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\\': fputs("\\\\", f); break;
        default: fputc(*s, f);
        }
    }
}

static void write_delimited(FILE *f, const tg_result *r, int tsv)
{
    size_t nc = tg_result_column_count(r), nr = tg_result_row_count(r), i, j;

    for (j = 0; j < nc; j++) {
        if (j)
            fputc(tsv ? '\t' : ',', f);
        if (tsv)
            tsv_field(f, tg_result_column_name(r, j));
        else
            csv_field(f, tg_result_column_name(r, j), ',');
    }
    if (nc)
        fputc('\n', f);
    for (i = 0; i < nr; i++) {
        for (j = 0; j < nc; j++) {
            char *cell = tg_result_cell_format(r, i, j, TG_CELL_TEXT);
            if (j)
                fputc(tsv ? '\t' : ',', f);
            if (tsv)
                tsv_field(f, cell ? cell : "");
            else
                csv_field(f, cell ? cell : "", ',');
            free(cell);
        }
        fputc('\n', f);
    }
}

static void write_json(FILE *f, const tg_result *r)
{
    size_t nc = tg_result_column_count(r), nr = tg_result_row_count(r), i, j;

    fputs("{\"columns\": [", f);
    for (j = 0; j < nc; j++) {
        const char *name = tg_result_column_name(r, j);
        if (j)
            fputs(", ", f);
        tg_cli_json_string(f, name, strlen(name));
    }
    fputs("], \"rows\": [", f);
    for (i = 0; i < nr; i++) {
        fputs(i ? ", [" : "[", f);
        for (j = 0; j < nc; j++) {
            char *cell = tg_result_cell_format(r, i, j, TG_CELL_JSON);
            if (j)
                fputs(", ", f);
            fputs(cell ? cell : "null", f);
            free(cell);
        }
        fputc(']', f);
    }
    fputs("]}\n", f);
}

static void write_result(FILE *f, const tg_result *r, out_format fmt, size_t index)
{
    switch (fmt) {
    case OUT_JSON: write_json(f, r); break;
    case OUT_CSV:
    case OUT_TSV:
        if (index > 0 && tg_result_column_count(r))
            fputc('\n', f);
        write_delimited(f, r, fmt == OUT_TSV);
        break;
    case OUT_TABLE:
    case OUT_MARKDOWN:
        if (index > 0 && tg_result_column_count(r))
            fputc('\n', f);
        write_table(f, r, fmt == OUT_MARKDOWN);
        break;
    }
}

/* ---- the graph ------------------------------------------------------------- */

/* Whether a script may change the graph: it names a writing clause outside
 * strings and comments. A false alarm only costs taking the write lock. */
static int may_write(const char *t, size_t n)
{
    static const char *const words[] = {"create", "set", "delete", "remove", "merge", "detach"};
    size_t i = 0, k;

    while (i < n) {
        char c = t[i];
        if (c == '\'' || c == '"' || c == '`') {
            for (i++; i < n && t[i] != c; i++)
                if (t[i] == '\\')
                    i++;
            i++;
        } else if (c == '/' && i + 1 < n && t[i + 1] == '/') {
            while (i < n && t[i] != '\n')
                i++;
        } else if (c == '/' && i + 1 < n && t[i + 1] == '*') {
            for (i += 2; i + 1 < n && !(t[i] == '*' && t[i + 1] == '/'); i++)
                ;
            i += 2;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
            size_t start = i;
            while (i < n && ((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
                             (t[i] >= '0' && t[i] <= '9') || t[i] == '_'))
                i++;
            for (k = 0; k < sizeof words / sizeof words[0]; k++)
                if (strlen(words[k]) == i - start && !strncasecmp(t + start, words[k], i - start))
                    return 1;
        } else {
            i++;
        }
    }
    return 0;
}

static int open_graph(const options *o, int writes, tg_graph **g, tg_store **store,
                      const char **db_out)
{
    tg_error err;
    tg_status st;
    size_t i;

    tg_error_clear(&err);
    *db_out = NULL;
    *store = NULL;
    if (o->nin) {
        if (!(*g = tg_graph_new()))
            return tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
        for (i = 0; i < o->nin; i++)
            if (tg_json_load_file(*g, o->in[i], &err) != TG_OK)
                return tg_cli_fail(&err);
        return 0;
    }
    *db_out = tg_cli_db_path(o->db);
    if (!strcmp(*db_out, ":memory:")) {
        *db_out = NULL;
        if (!(*g = tg_graph_new()))
            return tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
        return 0;
    }
    if (!writes)
        return tg_cli_load_store(*db_out, g);
    /* a writer holds the lock from here to the end: what it read stays true */
    st = tg_store_open(*db_out, TG_STORE_WRITE, store, &err);
    if (st == TG_OK)
        st = tg_store_load(*store, g, &err);
    if (st != TG_OK) {
        if (st == TG_EDATA)
            err.status = TG_EIO;
        return tg_cli_fail(&err);
    }
    return 0;
}

/* Saves the changes of one statement, with its text and counts. */
static int save_statement(tg_store *store, tg_graph *g, const tg_script_item *it,
                          const tg_result *res)
{
    const tg_query_effects *fx = tg_result_effects(res);
    tg_write_counts c;
    tg_error err;

    tg_error_clear(&err);
    c.entities = fx->nodes_created;
    c.relations = fx->relationships_created;
    c.properties = fx->properties_set;
    c.removed = fx->properties_removed;
    c.deleted = -1; /* the effects do not count deletions yet */
    if (tg_store_save_statement(store, g, it->text, it->len, &c, &err) != TG_OK)
        return tg_cli_fail(&err);
    return 0;
}

/* ---- the command ----------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

static int is_data_file(const char *path)
{
    return ends_with(path, ".json") || ends_with(path, ".jsonl") || ends_with(path, ".ndjson");
}

static int parse_args(int argc, char **argv, options *o)
{
    int i, rc;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(help, stdout);
            return -1;
        } else if (!strcmp(a, "--in")) {
            /* The data files that follow; a script after them is not one. */
            size_t before = o->nin;
            while (i + 1 < argc && argv[i + 1][0] != '-' &&
                   (o->nin == before || is_data_file(argv[i + 1])))
                o->in[o->nin++] = argv[++i];
            if (o->nin == before)
                return tg_cli_usage("query", "--in needs at least one file");
        } else if (!strcmp(a, "--timing")) {
            o->timing = 1;
        } else if (tg_cli_store_option(argc, argv, &i, "query", &rc)) {
            if (rc)
                return rc;
        } else if (!strcmp(a, "--db") || !strcmp(a, "-e") || !strcmp(a, "--execute") ||
                   !strcmp(a, "--param") || !strcmp(a, "--format") || !strcmp(a, "-o") ||
                   !strcmp(a, "--output") || !strcmp(a, "--timeout") ||
                   !strcmp(a, "--max-expansions") || !strcmp(a, "--svg") ||
                   !strcmp(a, "--dot")) {
            if (!val)
                return tg_cli_usage("query", "%s needs a value", a);
            i++;
            if (!strcmp(a, "--db")) {
                o->db = val;
            } else if (!strcmp(a, "-e") || !strcmp(a, "--execute")) {
                o->text = val;
            } else if (!strcmp(a, "--param")) {
                if (!strchr(val, '=') || val[0] == '=')
                    return tg_cli_usage("query", "--param expects NAME=VALUE, got '%s'", val);
                o->params[o->nparams++] = val;
            } else if (!strcmp(a, "--format")) {
                static const char *names[] = {"table", "csv", "tsv", "json", "markdown"};
                size_t k;
                for (k = 0; k < 5 && strcmp(val, names[k]); k++)
                    ;
                if (k == 5)
                    return tg_cli_usage("query",
                                        "unknown format '%s'; expected table, csv, tsv, json or markdown",
                                        val);
                o->format = (out_format)k;
            } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
                o->output = val;
            } else if (!strcmp(a, "--svg")) {
                o->svg = val;
            } else if (!strcmp(a, "--dot")) {
                o->dot = val;
            } else if (!strcmp(a, "--timeout")) {
                char *end;
                errno = 0;
                o->timeout = strtod(val, &end);
                if (*end || errno || o->timeout <= 0)
                    return tg_cli_usage("query", "--timeout expects a positive number of seconds, got '%s'", val);
            } else {
                char *end;
                errno = 0;
                o->max_expansions = strtoull(val, &end, 10);
                if (*end || errno || o->max_expansions == 0 || val[0] == '-')
                    return tg_cli_usage("query", "--max-expansions expects a positive integer, got '%s'", val);
            }
        } else if (a[0] == '-' && a[1]) {
            return tg_cli_usage("query", "unknown option '%s'", a);
        } else if (!o->script) {
            o->script = a;
        } else {
            return tg_cli_usage("query", "one script at a time; '%s' is a second one", a);
        }
    }
    if (!o->text == !o->script)
        return tg_cli_usage("query", o->text ? "give -e TEXT or a SCRIPT, not both"
                                             : "no query; expected -e TEXT or a SCRIPT file");
    if (o->nin && o->db)
        return tg_cli_usage("query", "--in and --db exclude each other");
    if (!o->nin) { /* never write results over the store */
        const char *db = tg_cli_db_path(o->db), *outs[3] = {o->output, o->svg, o->dot};
        for (i = 0; i < 3; i++)
            if (outs[i] && tg_cli_same_file(outs[i], db))
                return tg_cli_usage("query", "'%s' is the store; refusing to write results over it",
                                    outs[i]);
    }
    return 0;
}

int tg_cmd_query(int argc, char **argv)
{
    options o;
    char *text = NULL;
    size_t len = 0, i, shown = 0;
    const char *name, *db = NULL;
    tg_graph *g = NULL;
    tg_store *store = NULL; /* open when the script may write */
    tg_script *script = NULL;
    tg_params *params = NULL;
    tg_result *last = NULL; /* the last statement's result, for --svg / --dot */
    tg_render_request pending; /* a :render waiting for its statement */
    int has_pending = 0;
    FILE *out = stdout;
    tg_error err;
    int rc;
    double t0 = now(), load_time;

    memset(&o, 0, sizeof o);
    tg_error_clear(&err);
    o.in = calloc((size_t)argc, sizeof *o.in);
    o.params = calloc((size_t)argc, sizeof *o.params);
    if (!o.in || !o.params) {
        rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
        goto done;
    }
    rc = parse_args(argc, argv, &o);
    if (rc != 0) {
        rc = rc < 0 ? 0 : rc;
        goto done;
    }
    if (o.script) {
        if (read_file(o.script, &text, &len) != 0) {
            tg_error_set(&err, TG_ENOENT, o.script, 0, 0, "cannot read the script: %s", strerror(errno));
            rc = tg_cli_fail(&err);
            goto done;
        }
        name = o.script;
    } else {
        len = strlen(o.text);
        text = malloc(len + 1);
        if (!text) {
            rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
            goto done;
        }
        memcpy(text, o.text, len + 1);
        name = "<query>";
    }
    if (tg_script_split(text, len, &script, &err) != TG_OK) {
        snprintf(err.file, sizeof err.file, "%s", name);
        rc = fail_at(&err, text, len);
        goto done;
    }
    params = tg_params_new();
    if (!params) {
        rc = tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
        goto done;
    }
    for (i = 0; i < o.nparams; i++) {
        const char *eq = strchr(o.params[i], '=');
        char pname[256];
        snprintf(pname, sizeof pname, "%.*s", (int)(eq - o.params[i]), o.params[i]);
        if (tg_params_set_text(params, pname, eq + 1, &err) != TG_OK) {
            rc = tg_cli_fail(&err);
            goto done;
        }
    }
    if ((rc = open_graph(&o, may_write(text, len), &g, &store, &db)) != 0)
        goto done;
    load_time = now() - t0;
    if (o.timing)
        fprintf(stderr, "tiegraph: load %.3f s (%zu entities, %zu relations)\n", load_time,
                tg_graph_entity_count(g), tg_graph_relation_count(g));
    if (o.output && !(out = fopen(o.output, "w"))) {
        tg_error_set(&err, TG_EIO, o.output, 0, 0, "cannot write the output: %s", strerror(errno));
        rc = tg_cli_fail(&err);
        out = stdout;
        goto done;
    }
    for (i = 0; i < script->n_items; i++) {
        const tg_script_item *it = &script->items[i];
        tg_query_options qo;
        tg_result *res = NULL;
        const tg_query_effects *fx;
        uint64_t gen;

        if (it->kind == TG_SCRIPT_PARAM) {
            if (tg_params_set_text(params, it->name, it->value, &err) != TG_OK) {
                snprintf(err.file, sizeof err.file, "%s", name);
                err.line = it->line;
                err.column = it->column;
                rc = fail_at(&err, text, len);
                goto done;
            }
            continue;
        }
        if (it->kind == TG_SCRIPT_RENDER) {
            if (tg_render_from_directive(it, name, text, len, &pending, &err) != TG_OK) {
                rc = fail_at(&err, text, len);
                goto done;
            }
            has_pending = 1;
            continue;
        }
        memset(&qo, 0, sizeof qo);
        qo.timeout_seconds = o.timeout;
        qo.max_expansions = o.max_expansions;
        qo.file = name;
        qo.line_offset = it->line - 1;
        gen = tg_graph_generation(g);
        if (tg_query_run(g, it->text, it->len, params, &qo, &res, &err) != TG_OK) {
            /* The statement's first line starts at its column in the script;
             * an error without a position (a guard, a stopped algorithm)
             * points at the statement that failed. */
            if (err.line <= 0) {
                err.line = it->line;
                err.column = it->column;
            } else if (err.line == it->line && err.column > 0) {
                err.column += it->column - 1;
            }
            snprintf(err.file, sizeof err.file, "%s", name);
            rc = fail_at(&err, text, len);
            goto done;
        }
        /* a part of the store that could not be read makes the result a lie */
        if ((rc = tg_cli_graph_failed(g)) != 0) {
            tg_result_free(res);
            goto done;
        }
        /* saved before anything is printed: no "created" line for a lost write */
        if (store && tg_graph_generation(g) != gen && (rc = save_statement(store, g, it, res)) != 0) {
            tg_result_free(res);
            goto done;
        }
        if (db && !store && tg_graph_generation(g) != gen) {
            /* cannot happen (may_write saw no writing clause); never lose it silently */
            tg_result_free(res);
            tg_error_set(&err, TG_EIO, db, 0, 0,
                         "a statement changed the graph although the script names no writing "
                         "clause; nothing was saved");
            rc = tg_cli_fail(&err);
            goto done;
        }
        write_result(out, res, o.format, shown++);
        fx = tg_result_effects(res);
        if (o.format == OUT_TABLE && (fx->nodes_created || fx->relationships_created ||
                                      fx->properties_set || fx->labels_added ||
                                      fx->properties_removed))
            fprintf(out, "(created %ld %s and %ld %s; set %ld %s, removed %ld; %ld new %s)\n",
                    fx->nodes_created, fx->nodes_created == 1 ? "entity" : "entities",
                    fx->relationships_created,
                    fx->relationships_created == 1 ? "relation" : "relations", fx->properties_set,
                    fx->properties_set == 1 ? "property" : "properties", fx->properties_removed,
                    fx->labels_added, fx->labels_added == 1 ? "label" : "labels");
        if (o.timing)
            fprintf(stderr, "tiegraph: statement at %s:%ld: plan %.3f s, execute %.3f s, %zu rows\n",
                    name, it->line, tg_result_timing(res)->parse_plan, tg_result_timing(res)->execute,
                    tg_result_row_count(res));
        if (has_pending) {
            has_pending = 0;
            if (tg_render_result(res, &pending, name, &err) != TG_OK) {
                tg_result_free(res);
                rc = fail_at(&err, text, len);
                goto done;
            }
        }
        tg_result_free(last);
        last = res;

    }
    if (has_pending) {
        tg_error_set(&err, TG_ESEMANTIC, name, pending.line, pending.column,
                     ":render has no statement after it to draw");
        rc = fail_at(&err, text, len);
        goto done;
    }
    for (i = 0; i < 2; i++) {
        tg_render_request req;
        const char *path = i == 0 ? o.svg : o.dot;
        if (!path)
            continue;
        if (!last) {
            tg_error_set(&err, TG_ESEMANTIC, name, 0, 0,
                         "%s: the script has no statement whose result to draw",
                         i == 0 ? "--svg" : "--dot");
            rc = tg_cli_fail(&err);
            goto done;
        }
        memset(&req, 0, sizeof req);
        tg_viz_options_init(&req.opts);
        req.path = path;
        req.format = i == 0 ? "svg" : "dot";
        if (tg_render_result(last, &req, name, &err) != TG_OK) {
            rc = tg_cli_fail(&err);
            goto done;
        }
    }
done:
    tg_result_free(last);
    if (out != stdout && fclose(out) != 0 && rc == 0) {
        tg_error_set(&err, TG_EIO, o.output, 0, 0, "cannot write the output");
        rc = tg_cli_fail(&err);
    }
    tg_params_free(params);
    tg_script_free(script);
    tg_graph_free(g);
    tg_store_close(store);
    free(text);
    free(o.in);
    free(o.params);
    return rc;
}
