/* parsers.c — tg-bench-parsers: the measurements behind two library
 * choices of loaders/ (docs/formats.md, "Why these parsers"):
 *   json FILE.jsonl   parse every line with tiegraph's parser (json_parse.c)
 *                     and with cJSON (cJSON_ParseWithLength, then a walk of
 *                     the record's members so both touch every value)
 *   import FILE.jsonl the whole import into a graph in memory (no store):
 *                     tiegraph's reader against a reader built on cJSON that
 *                     hands the importer the same records (this file; it has
 *                     no error positions, so it only serves the measurement)
 *   csv FILE.csv      read every record with tiegraph's CSV reader
 *                     (csv_reader.c) and with libcsv (csv_parse with field
 *                     and row callbacks), when libcsv was found at build time
 * Each prints one JSON line per parser: seconds (median of RUNS, default 3),
 * MB/s and the count of values or fields seen (they must agree). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "csv_reader.h"
#include "importer.h"
#include "json_internal.h"
#include "json_loader.h"

#ifdef TG_HAVE_LIBCSV
#include <csv.h>
#endif

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b)
        b[n] = '\0';
    *len = (size_t)n;
    return b;
}

static size_t count_tg(const tg_jval *v)
{
    size_t n = 1, i;
    if (v->kind == TG_J_ARRAY)
        for (i = 0; i < v->n; i++)
            n += count_tg(&v->u.items[i]);
    else if (v->kind == TG_J_OBJECT)
        for (i = 0; i < v->n; i++)
            n += count_tg(&v->u.members[i].v);
    return n;
}

static size_t count_cj(const cJSON *v)
{
    size_t n = 1;
    const cJSON *c;
    for (c = v->child; c; c = c->next)
        n += count_cj(c);
    return n;
}

static double run_json(const char *data, size_t len, int cj, size_t *values)
{
    double t0 = now();
    size_t at = 0;
    tg_jparser p;

    *values = 0;
    tg_i_json_init(&p);
    while (at < len) {
        const char *nl = memchr(data + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - data) : len;
        if (end > at) {
            if (cj) {
                cJSON *v = cJSON_ParseWithLength(data + at, end - at);
                if (!v) {
                    fprintf(stderr, "cJSON failed at byte %zu\n", at);
                    exit(1);
                }
                *values += count_cj(v);
                cJSON_Delete(v);
            } else {
                tg_jval v;
                tg_i_json_reset(&p, data + at, end - at, 1);
                if (tg_i_json_value(&p, &v) != 0) {
                    fprintf(stderr, "parse failed at byte %zu: %s\n", at, p.err_msg);
                    exit(1);
                }
                *values += count_tg(&v);
            }
        }
        at = end + 1;
    }
    tg_i_json_destroy(&p);
    return now() - t0;
}

static double run_tgcsv(const char *path, size_t *fields)
{
    double t0 = now();
    tg_csv c;
    tg_error err;
    const tg_csv_field *f;
    size_t n;
    int r;

    *fields = 0;
    if (tg_csv_open(&c, path, ',', 0, &err) != TG_OK) {
        fprintf(stderr, "%s\n", err.message);
        exit(1);
    }
    while ((r = tg_csv_next(&c, &f, &n, &err)) == 1)
        *fields += n;
    if (r < 0) {
        fprintf(stderr, "%s:%ld:%ld: %s\n", err.file, err.line, err.column, err.message);
        exit(1);
    }
    tg_csv_close(&c);
    return now() - t0;
}

#ifdef TG_HAVE_LIBCSV
static void on_field(void *s, size_t len, void *ctx)
{
    (void)s;
    (void)len;
    ++*(size_t *)ctx;
}

static double run_libcsv(const char *path, size_t *fields)
{
    double t0 = now();
    struct csv_parser p;
    FILE *f = fopen(path, "rb");
    char buf[1 << 16];
    size_t n;

    *fields = 0;
    csv_init(&p, CSV_STRICT | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (csv_parse(&p, buf, n, on_field, NULL, fields) != n) {
            fprintf(stderr, "libcsv: %s\n", csv_strerror(csv_error(&p)));
            exit(1);
        }
    csv_fini(&p, on_field, NULL, fields);
    csv_free(&p);
    fclose(f);
    return now() - t0;
}
#endif

/* ---- a JSON Lines reader on cJSON, for the import measurement ------------ */

typedef struct cjr {
    tg_importer *imp;
    tg_graph *g;
    tg_iprop props[64];
    tg_pval items[64][64];
    tg_sym labels[16], srcs[64];
} cjr;

static tg_sym sym_of(tg_graph *g, const char *s)
{
    return tg_graph_intern(g, s, strlen(s));
}

/* cJSON values to a property; 0 when it is no scalar or list of scalars. */
static int cj_prop(cjr *R, const cJSON *m, tg_iprop *p, tg_pval *items)
{
    memset(p, 0, sizeof *p);
    p->key = sym_of(R->g, m->string);
    if (cJSON_IsString(m)) {
        p->v.type = TG_V_STRING;
        p->v.u.s = sym_of(R->g, m->valuestring);
    } else if (cJSON_IsBool(m)) {
        p->v.type = TG_V_BOOL;
        p->v.u.b = cJSON_IsTrue(m);
    } else if (cJSON_IsNumber(m)) {
        double d = m->valuedouble;
        if (d == (double)(int64_t)d) { /* cJSON keeps no lexeme: 1.0 reads as 1 */
            p->v.type = TG_V_INT;
            p->v.u.i = (int64_t)d;
        } else {
            p->v.type = TG_V_FLOAT;
            p->v.u.f = d;
        }
    } else if (cJSON_IsArray(m)) {
        const cJSON *it;
        uint32_t n = 0;
        p->v.type = TG_V_LIST;
        cJSON_ArrayForEach(it, m)
        {
            memset(&items[n], 0, sizeof items[n]);
            items[n].type = TG_V_STRING;
            items[n].u.s = sym_of(R->g, it->valuestring ? it->valuestring : "");
            n++;
        }
        p->v.elem = TG_V_STRING;
        p->v.len = n;
        p->items = items;
    } else {
        return 0;
    }
    return 1;
}

static void cj_record(cjr *R, const cJSON *rec)
{
    const cJSON *body = rec->child, *m;
    size_t np = 0, ns = 0, nl = 0;

    if (!strcmp(body->string, "source")) {
        tg_isource s;
        memset(&s, 0, sizeof s);
        s.id = cJSON_GetObjectItemCaseSensitive(body, "id")->valuestring;
        s.id_len = strlen(s.id);
        tg_importer_source(R->imp, &s);
        return;
    }
    cJSON_ArrayForEach(m, body)
    {
        if (!strcmp(m->string, "labels")) {
            const cJSON *l;
            cJSON_ArrayForEach(l, m) R->labels[nl++] = sym_of(R->g, l->valuestring);
        } else if (!strcmp(m->string, "sources")) {
            const cJSON *l;
            cJSON_ArrayForEach(l, m) R->srcs[ns++] = sym_of(R->g, l->valuestring);
        } else if (strcmp(m->string, "id") && strcmp(m->string, "type") &&
                   strcmp(m->string, "from") && strcmp(m->string, "to")) {
            np += (size_t)cj_prop(R, m, &R->props[np], R->items[np]);
        }
    }
    if (!strcmp(body->string, "entity")) {
        tg_ientity e;
        memset(&e, 0, sizeof e);
        e.id = cJSON_GetObjectItemCaseSensitive(body, "id")->valuestring;
        e.id_len = strlen(e.id);
        e.labels = R->labels;
        e.nlabels = nl;
        e.props = R->props;
        e.nprops = np;
        e.sources = R->srcs;
        e.nsources = ns;
        tg_importer_entity(R->imp, &e);
    } else {
        tg_irelation r;
        memset(&r, 0, sizeof r);
        r.type = sym_of(R->g, cJSON_GetObjectItemCaseSensitive(body, "type")->valuestring);
        r.from = cJSON_GetObjectItemCaseSensitive(body, "from")->valuestring;
        r.from_len = strlen(r.from);
        r.to = cJSON_GetObjectItemCaseSensitive(body, "to")->valuestring;
        r.to_len = strlen(r.to);
        r.props = R->props;
        r.nprops = np;
        r.sources = R->srcs;
        r.nsources = ns;
        tg_importer_relation(R->imp, &r);
    }
}

static double run_import(const char *path, const char *data, size_t len, int cj, size_t *n)
{
    double t0 = now();
    tg_graph *g = tg_graph_new();
    tg_importer *imp = NULL;
    tg_error err;

    tg_importer_new(g, &imp, &err);
    if (!cj) {
        tg_load_counts c;
        if (tg_json_read(imp, path, 1, NULL, &c, &err) != TG_OK) {
            fprintf(stderr, "%s\n", err.message);
            exit(1);
        }
    } else {
        static cjr R;
        size_t at = 0;
        R.imp = imp;
        R.g = g;
        tg_importer_begin(imp, path, NULL, &err);
        while (at < len) {
            const char *nl = memchr(data + at, '\n', len - at);
            size_t end = nl ? (size_t)(nl - data) : len;
            if (end > at) {
                cJSON *v = cJSON_ParseWithLength(data + at, end - at);
                cj_record(&R, v);
                cJSON_Delete(v);
            }
            at = end + 1;
        }
        tg_importer_end(imp, NULL);
    }
    *n = tg_graph_entity_count(g) + tg_graph_relation_count(g);
    tg_importer_free(imp);
    tg_graph_free(g);
    return now() - t0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int runs = getenv("RUNS") ? atoi(getenv("RUNS")) : 3, k, which;
    double t[16];
    size_t count = 0, bytes;

    if (argc != 3 || (strcmp(argv[1], "json") && strcmp(argv[1], "csv") &&
                      strcmp(argv[1], "import"))) {
        fprintf(stderr, "usage: tg-bench-parsers json|import FILE.jsonl | csv FILE.csv\n");
        return 64;
    }
    if (!strcmp(argv[1], "import")) {
        char *data = slurp(argv[2], &bytes);
        if (!data)
            return 66;
        for (which = 0; which < 2; which++) {
            for (k = 0; k < runs; k++)
                t[k] = run_import(argv[2], data, bytes, which, &count);
            qsort(t, (size_t)runs, sizeof *t, cmp_d);
            printf("{\"import\": \"%s\", \"seconds\": %.3f, \"items\": %zu}\n",
                   which ? "cJSON" : "tiegraph", t[runs / 2], count);
        }
        free(data);
        return 0;
    }
    if (runs < 1 || runs > 16)
        runs = 3;
    if (!strcmp(argv[1], "json")) {
        char *data = slurp(argv[2], &bytes);
        if (!data)
            return 66;
        for (which = 0; which < 2; which++) {
            for (k = 0; k < runs; k++)
                t[k] = run_json(data, bytes, which, &count);
            qsort(t, (size_t)runs, sizeof *t, cmp_d);
            printf("{\"parser\": \"%s\", \"seconds\": %.3f, \"mb_per_s\": %.0f, \"values\": %zu}\n",
                   which ? "cJSON" : "tiegraph", t[runs / 2], (double)bytes / 1e6 / t[runs / 2],
                   count);
        }
        free(data);
        return 0;
    }
    {
        char *data = slurp(argv[2], &bytes);
        free(data); /* only its size; warms the page cache */
        for (k = 0; k < runs; k++)
            t[k] = run_tgcsv(argv[2], &count);
        qsort(t, (size_t)runs, sizeof *t, cmp_d);
        printf("{\"parser\": \"tiegraph\", \"seconds\": %.3f, \"mb_per_s\": %.0f, \"fields\": %zu}\n",
               t[runs / 2], (double)bytes / 1e6 / t[runs / 2], count);
#ifdef TG_HAVE_LIBCSV
        for (k = 0; k < runs; k++)
            t[k] = run_libcsv(argv[2], &count);
        qsort(t, (size_t)runs, sizeof *t, cmp_d);
        printf("{\"parser\": \"libcsv\", \"seconds\": %.3f, \"mb_per_s\": %.0f, \"fields\": %zu}\n",
               t[runs / 2], (double)bytes / 1e6 / t[runs / 2], count);
#endif
    }
    return 0;
}
