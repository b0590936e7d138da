/* data.c — loading data files into a graph in memory, through the format
 * table (loaders/formats.h), for `query --in` and `export --in`. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "csv_reader.h"
#include "formats.h"
#include "importer.h"

int tg_cli_load_files(const char *const *files, size_t n, tg_graph **out)
{
    tg_importer *imp = NULL;
    tg_graph *g = tg_graph_new();
    tg_error err;
    size_t i;
    int rc = 0;

    tg_error_clear(&err);
    *out = NULL;
    if (!g || tg_importer_new(g, &imp, &err) != TG_OK) {
        tg_graph_free(g);
        return tg_cli_fail(&(tg_error){.status = TG_ENOMEM, .message = "out of memory"});
    }
    for (i = 0; i < n && rc == 0; i++)
        if (tg_format_read(imp, files[i], NULL, NULL, &err) != TG_OK)
            rc = tg_cli_fail(&err);
    tg_importer_free(imp);
    if (rc != 0) {
        tg_graph_free(g);
        return rc;
    }
    *out = g;
    return 0;
}

char *tg_cli_format_help(const char *fmt, int writers)
{
    const tg_format *f;
    size_t n = tg_formats(&f), i, o = 0, cap = 4096;
    char *list = malloc(cap), *out;

    if (!list)
        return NULL;
    list[0] = '\0';
    for (i = 0; i < n; i++) {
        if (writers ? !f[i].write : !f[i].read)
            continue;
        if (writers)
            o += (size_t)snprintf(list + o, cap - o, "  %-16s %s\n", f[i].name, f[i].summary);
        else
            o += (size_t)snprintf(list + o, cap - o, "  %-9s %-16s %s\n", f[i].name,
                                  f[i].extensions[0] ? f[i].extensions : f[i].sniff ? "(by its header)" : "(by --format)",
                                  f[i].summary);
    }
    out = malloc(strlen(fmt) + o + 1);
    if (out)
        snprintf(out, strlen(fmt) + o + 1, fmt, list);
    free(list);
    return out;
}

int tg_cli_is_data_file(const char *path)
{
    const tg_format *f;
    size_t nf = tg_formats(&f), i, len = strlen(path);

    for (i = 0; i < nf; i++) {
        const char *e = f[i].extensions;
        if (!f[i].read)
            continue;
        while (*e) {
            size_t k = strcspn(e, " ");
            if (k && k < len && strncasecmp(path + len - k, e, k) == 0)
                return 1;
            e += k;
            while (*e == ' ')
                e++;
        }
    }
    return 0;
}

/* ---- LOAD CSV: the query layer's hook over loaders/csv_reader.h --------------------- */

struct tg_csv_rows {
    tg_csv csv;
    tg_csv_cell *cells;
    size_t cap;
};

static tg_csv_rows *csv_hook_open(void *ctx, const char *url, size_t len, char delim,
                                  tg_error *err)
{
    const char *base = ctx; /* the script's folder, or NULL */
    char path[4096];
    tg_csv_rows *r;
    size_t skip = 0;

    if (len >= 7 && (strncasecmp(url, "http://", 7) == 0 || (len >= 8 && strncasecmp(url, "https://", 8) == 0) ||
                     strncasecmp(url, "ftp://", 6) == 0)) {
        tg_error_set(err, TG_ENOENT, NULL, 0, 0,
                     "LOAD CSV reads local files only (tiegraph uses no network); download "
                     "%.*s first and give its path", (int)(len > 200 ? 200 : len), url);
        return NULL;
    }
    if (len >= 7 && strncmp(url, "file://", 7) == 0)
        skip = 7; /* file:///abs/x.csv -> /abs/x.csv; file://x.csv -> x.csv */
    else if (len >= 5 && strncmp(url, "file:", 5) == 0)
        skip = 5;
    url += skip;
    len -= skip;
    if (memchr(url, '\0', len) || len == 0 || len >= sizeof path - 1024) {
        tg_error_set(err, TG_ENOENT, NULL, 0, 0, "LOAD CSV: not a usable file name");
        return NULL;
    }
    if (url[0] != '/' && base && *base)
        snprintf(path, sizeof path, "%s/%.*s", base, (int)len, url);
    else
        snprintf(path, sizeof path, "%.*s", (int)len, url);
    r = calloc(1, sizeof *r);
    if (!r) {
        tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    if (tg_csv_open(&r->csv, path, delim, 0, err) != TG_OK) {
        free(r);
        return NULL;
    }
    return r;
}

static int csv_hook_next(tg_csv_rows *r, const tg_csv_cell **cells, size_t *n, tg_error *err)
{
    const tg_csv_field *f;
    size_t i;
    int rc = tg_csv_next(&r->csv, &f, n, err);

    if (rc != 1)
        return rc;
    if (*n > r->cap) {
        tg_csv_cell *nc = realloc(r->cells, *n * sizeof *nc);
        if (!nc) {
            tg_error_set(err, TG_ENOMEM, NULL, 0, 0, "out of memory");
            return -1;
        }
        r->cells = nc;
        r->cap = *n;
    }
    for (i = 0; i < *n; i++) {
        r->cells[i].p = f[i].p;
        r->cells[i].len = f[i].len;
        r->cells[i].quoted = f[i].quoted;
    }
    *cells = r->cells;
    return 1;
}

static void csv_hook_close(tg_csv_rows *r)
{
    if (!r)
        return;
    tg_csv_close(&r->csv);
    free(r->cells);
    free(r);
}

void tg_cli_load_csv_hook(tg_load_csv_hook *h, const char *base_dir)
{
    h->open = csv_hook_open;
    h->next = csv_hook_next;
    h->close = csv_hook_close;
    h->ctx = (void *)base_dir;
}
