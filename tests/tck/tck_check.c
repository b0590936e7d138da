/* tck_check.c — what tg-tck and tg-qtest share: message buffers, error
 * descriptions, the comparison of a query result with an expected table,
 * side-effect counts, and running setup scripts.
 *
 * Both sides of a comparison go through tck_value_parse (the expected cell
 * as written, the actual cell as tg_result_cell_format writes it in
 * TG_CELL_TCK), so formatting never decides a verdict; see tck_value.h for
 * the equality rules. Row bags ("any order") are matched greedily, which is
 * exact because value equality is an equivalence.
 */
#include "tck_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tck_value.h"

#define MAX_SHOWN_ROWS 40

/* ---- a growable message string ------------------------------------------ */

void tck_msg_add(tck_msg *b, const char *s, size_t n)
{
    size_t cap = (b->len + n + 1) * 2;
    int grow = b->len + n + 1 > b->cap;
    char *ns = grow ? realloc(b->s, cap) : b->s;

    /* without memory the message is truncated; the verdict stands */
    if (ns) {
        if (grow)
            b->cap = cap;
        b->s = ns;
        memcpy(b->s + b->len, s, n);
        b->len += n;
        b->s[b->len] = '\0';
    }
}

void tck_msg_printf(tck_msg *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    int n;

    char *big = NULL;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof tmp) {
        tck_msg_add(b, tmp, (size_t)n);
    } else if (n >= 0) {
        big = malloc((size_t)n + 1);
        if (big) {
            va_start(ap, fmt);
            vsnprintf(big, (size_t)n + 1, fmt, ap);
            va_end(ap);
            tck_msg_add(b, big, (size_t)n);
        }
    }
    free(big);
}

void tck_msg_puts(tck_msg *b, const char *s)
{
    tck_msg_add(b, s, strlen(s));
}

/* Appends text with every line indented by prefix. */
void tck_msg_indent(tck_msg *b, const char *prefix, const char *text)
{
    const char *s = text;

    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        tck_msg_puts(b, prefix);
        tck_msg_add(b, s, n);
        tck_msg_puts(b, "\n");
        s += n + (nl ? 1 : 0);
    }
}

const char *tck_status_word(tg_status st)
{
    /* in the order of tg_status */
    static const char *const words[] = {"OK",        "ENOMEM", "EINVAL", "ESYNTAX",
                                        "ESEMANTIC", "ETYPE",  "EARG",   "ERUNTIME",
                                        "EDATA",     "ENOENT", "EIO",    "EINTERNAL"};

    return (size_t)st < sizeof words / sizeof words[0] ? words[st] : "?";
}

void tck_describe_error(tck_msg *m, const tg_error *err)
{
    tck_msg_printf(m, "%s at %s, %ld:%ld: %s", tck_status_word(err->status),
                   tg_query_error_is_compile_time(err) ? "compile time" : "runtime", err->line,
                   err->column, err->message);
}

/* ---- result comparison ----------------------------------------------------------- */

typedef struct row_set {
    size_t nrows, ncols;
    char **text;      /* nrows * ncols cell texts (owned) */
    tck_value **vals; /* parsed cells (owned) */
} row_set;

static void rows_free(row_set *rs)
{
    size_t k;

    for (k = 0; k < rs->nrows * rs->ncols; k++) {
        free(rs->text[k]);
        tck_value_free(rs->vals[k]);
    }
    free(rs->text);
    free(rs->vals);
    memset(rs, 0, sizeof *rs);
}

static int rows_alloc(row_set *rs, size_t nrows, size_t ncols)
{
    size_t n = nrows * ncols;

    if (n == 0)
        n = 1;
    rs->text = calloc(n, sizeof *rs->text);
    rs->vals = calloc(n, sizeof *rs->vals);
    if (rs->text && rs->vals) {
        rs->nrows = nrows;
        rs->ncols = ncols;
    }
    return rs->text && rs->vals;
}

static int row_equal(const row_set *a, size_t ra, const row_set *b, size_t rb, int unordered)
{
    size_t c;
    int eq = 1;

    for (c = 0; c < a->ncols && eq; c++)
        eq = tck_value_equal(a->vals[ra * a->ncols + c], b->vals[rb * b->ncols + c], unordered);
    return eq;
}

static void show_rows(tck_msg *m, const char *title, const row_set *rs, const char *const *names)
{
    size_t r, c;

    tck_msg_printf(m, "  %s (%zu rows):\n    |", title, rs->nrows);
    for (c = 0; c < rs->ncols; c++)
        tck_msg_printf(m, " %s |", names[c]);
    tck_msg_puts(m, "\n");
    for (r = 0; r < rs->nrows && r < MAX_SHOWN_ROWS; r++) {
        tck_msg_puts(m, "    |");
        for (c = 0; c < rs->ncols; c++)
            tck_msg_printf(m, " %s |",
                           rs->text[r * rs->ncols + c] ? rs->text[r * rs->ncols + c] : "?");
        tck_msg_puts(m, "\n");
    }
    if (rs->nrows > MAX_SHOWN_ROWS)
        tck_msg_printf(m, "    ... %zu more\n", rs->nrows - MAX_SHOWN_ROWS);
}

/* Compares the result with a RESULT step's table; 1 on a match, else 0 with
 * the reason in m. */
int tck_check_result(const tg_result *res, const tck_table *t, int ordered, int unordered_lists,
                     tck_msg *m)
{
    row_set exp = {0}, act = {0};
    size_t ncols = t->nrows > 0 ? t->ncols[0] : 0, r, c;
    const char **names = NULL;
    unsigned char *used = NULL;
    char perr[200];
    int ok = 0;

    if (t->nrows == 0) {
        tck_msg_puts(m, "the result table has no header row\n");
        goto done;
    }
    names = calloc(ncols ? ncols : 1, sizeof *names);
    if (!names)
        goto oom;
    for (c = 0; c < ncols; c++)
        names[c] = t->cells[0][c];
    if (tg_result_column_count(res) != ncols) {
        tck_msg_printf(m, "expected %zu columns, got %zu:", ncols, tg_result_column_count(res));
        for (c = 0; c < tg_result_column_count(res); c++)
            tck_msg_printf(m, " `%s`", tg_result_column_name(res, c));
        tck_msg_puts(m, "\n");
        goto done;
    }
    for (c = 0; c < ncols; c++) {
        if (strcmp(tg_result_column_name(res, c), names[c]) != 0) {
            tck_msg_printf(m, "column %zu is named `%s`, expected `%s`\n", c + 1,
                           tg_result_column_name(res, c), names[c]);
            goto done;
        }
    }
    if (!rows_alloc(&exp, t->nrows - 1, ncols) ||
        !rows_alloc(&act, tg_result_row_count(res), ncols))
        goto oom;
    for (r = 1; r < t->nrows; r++) {
        if (t->ncols[r] != ncols) {
            tck_msg_printf(m, "expected row %zu has %zu cells for %zu columns\n", r, t->ncols[r],
                           ncols);
            goto done;
        }
        for (c = 0; c < ncols; c++) {
            size_t k = (r - 1) * ncols + c;
            exp.text[k] = strdup(t->cells[r][c]);
            exp.vals[k] = tck_value_parse(t->cells[r][c], perr, sizeof perr);
            if (!exp.text[k] || !exp.vals[k]) {
                tck_msg_printf(m, "cannot parse expected cell %s: %s\n", t->cells[r][c], perr);
                goto done;
            }
        }
    }
    for (r = 0; r < act.nrows; r++) {
        for (c = 0; c < ncols; c++) {
            size_t k = r * ncols + c;
            act.text[k] = tg_result_cell_format(res, r, c, TG_CELL_TCK);
            if (!act.text[k])
                goto oom;
            act.vals[k] = tck_value_parse(act.text[k], perr, sizeof perr);
            if (!act.vals[k]) {
                tck_msg_printf(m, "cannot parse the engine's cell %s (row %zu, column %zu): %s\n",
                               act.text[k], r + 1, c + 1, perr);
                goto done;
            }
        }
    }
    if (exp.nrows != act.nrows) {
        tck_msg_printf(m, "expected %zu rows, got %zu\n", exp.nrows, act.nrows);
        goto mismatch;
    }
    if (ordered) {
        for (r = 0; r < exp.nrows; r++) {
            if (!row_equal(&exp, r, &act, r, unordered_lists)) {
                tck_msg_printf(m, "row %zu differs (in order)\n", r + 1);
                goto mismatch;
            }
        }
    } else {
        used = calloc(act.nrows ? act.nrows : 1, 1);
        if (!used)
            goto oom;
        for (r = 0; r < exp.nrows; r++) {
            size_t j;
            for (j = 0; j < act.nrows; j++)
                if (!used[j] && row_equal(&exp, r, &act, j, unordered_lists))
                    break;
            if (j == act.nrows) {
                tck_msg_printf(m, "expected row %zu not found (any order)\n", r + 1);
                goto mismatch;
            }
            used[j] = 1;
        }
    }
    ok = 1;
    goto done;
mismatch:
    show_rows(m, "expected", &exp, names);
    show_rows(m, "actual", &act, names);
    goto done;
oom:
    tck_msg_puts(m, "out of memory while comparing\n");
done:
    free(used);
    free(names);
    rows_free(&exp);
    rows_free(&act);
    return ok;
}

/* Side effects: expected counts (absent kinds are 0). */
int tck_check_effects(const tg_result *res, const tck_table *t, tck_msg *m)
{
    static const char *kinds[] = {"+nodes", "+relationships", "+labels", "+properties",
                                  "-nodes", "-relationships", "-labels", "-properties"};
    long expected[8] = {0}, actual[8] = {0};
    size_t r, k;
    int ok = 1, differ = 0;

    if (res) {
        const tg_query_effects *e = tg_result_effects(res);
        actual[0] = e->nodes_created;
        actual[1] = e->relationships_created;
        actual[2] = e->labels_added;
        actual[3] = e->properties_set;
        actual[4] = e->nodes_deleted;
        actual[5] = e->relationships_deleted;
        actual[6] = e->labels_removed;
        actual[7] = e->properties_removed;
    }
    for (r = 0; t && r < t->nrows && ok; r++) {
        char *end = NULL;
        for (k = 0; k < 8 && t->ncols[r] == 2; k++)
            if (strcmp(t->cells[r][0], kinds[k]) == 0)
                break;
        if (t->ncols[r] == 2 && k < 8)
            expected[k] = strtol(t->cells[r][1], &end, 10);
        if (t->ncols[r] != 2 || k == 8 || !end || *end) {
            tck_msg_printf(m, "cannot read the side-effect row %zu (| +nodes | 2 |)\n", r + 1);
            ok = 0;
        }
    }
    for (k = 0; k < 8 && ok; k++) {
        if (expected[k] != actual[k]) {
            if (!differ)
                tck_msg_puts(m, "side effects differ:");
            tck_msg_printf(m, " %s expected %ld got %ld;", kinds[k], expected[k], actual[k]);
            differ = 1;
        }
    }
    if (differ)
        tck_msg_puts(m, "\n");
    return ok && !differ;
}

char *tck_read_text(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *data = NULL;
    long size;

    if (fp && fseek(fp, 0, SEEK_END) == 0 && (size = ftell(fp)) >= 0 &&
        fseek(fp, 0, SEEK_SET) == 0) {
        data = malloc((size_t)size + 1);
        if (data && fread(data, 1, (size_t)size, fp) != (size_t)size) {
            free(data);
            data = NULL;
        } else if (data) {
            data[size] = '\0';
        }
    }
    if (fp)
        fclose(fp);
    return data;
}

/* Runs a setup script: statements end at a ';' that closes a line (the
 * named graphs' CREATE scripts), or at the end of the text. */
int tck_run_setup(tg_graph *g, char *text, const tg_params *params, const tg_query_options *qo,
                  tck_msg *m)
{
    char *s = text;
    int ok = 1;

    while (*s && ok) {
        char *end, *semi = NULL;
        size_t len;
        tg_result *res = NULL;
        tg_error err;
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        for (end = s; *end && !semi; end++) {
            char *q = end + 1;
            while (*end == ';' && (*q == ' ' || *q == '\t' || *q == '\r'))
                q++;
            if (*end == ';' && (*q == '\n' || *q == '\0'))
                semi = end;
        }
        if (semi)
            end = semi;
        len = (size_t)(end - s);
        while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\n' || s[len - 1] == '\r'))
            len--;
        tg_error_clear(&err);
        if (len > 0 && tg_query_run(g, s, len, params, qo, &res, &err) != TG_OK) {
            tck_msg_puts(m, "setup query failed: ");
            tck_describe_error(m, &err);
            tck_msg_puts(m, "\n");
            tck_msg_indent(m, "    ", s);
            ok = 0;
        }
        tg_result_free(res);
        s = semi ? semi + 1 : end;
    }
    return ok;
}
