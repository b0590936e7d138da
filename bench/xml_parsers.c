/* xml_parsers.c — tg-bench-xml: how fast a GraphML file is read, by
 * libxml2 and by tiegraph, for docs/formats.md ("GraphML": why a reader of
 * its own).
 *
 *   tg-bench-xml FILE.graphml [MEASURE...]
 *
 * Each measure (all by default) runs RUNS times (environment, default 3)
 * and prints the median, in seconds and MB/s, and the CPU seconds (user +
 * system) of the same run:
 *   sax       libxml2's SAX2 push parser fed 256 KiB chunks, with callbacks
 *             that only count elements and text bytes (the floor of any
 *             libxml2 reader);
 *   reader    libxml2's xmlTextReader streaming over the file, visiting
 *             every element's attributes and text (what a reader built on it
 *             would do at least);
 *   scan      tiegraph's XML tokenizer (loaders/xml_scan.c) alone, as the
 *             GraphML reader runs it (leaf elements as one token, white space
 *             between tags skipped), every token looked at, nothing done;
 *   tiegraph  tiegraph's GraphML reader into an empty graph in memory
 *             (tokenizing, typing, interning, the importer; no store).
 * sax and reader are there only when the tool was built with libxml2
 * (`make bench` installs libxml2-dev; tiegraph does not use it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#if defined(TG_HAVE_LIBXML2)
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#endif

#include "formats.h"
#include "graph.h"
#include "importer.h"
#include "xml_scan.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) used so far by this process. */
static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#if defined(TG_HAVE_LIBXML2)
typedef struct counts {
    long elements, text;
} counts;

static void on_start(void *ctx, const xmlChar *l, const xmlChar *p, const xmlChar *u, int nn,
                     const xmlChar **ns, int na, int nd, const xmlChar **at)
{
    (void)l, (void)p, (void)u, (void)nn, (void)ns, (void)na, (void)nd, (void)at;
    ((counts *)ctx)->elements++;
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    (void)ch;
    ((counts *)ctx)->text += len;
}

static long sax(const char *path)
{
    xmlSAXHandler h;
    counts c = {0, 0};
    FILE *f = fopen(path, "rb");
    char *buf = malloc(256 * 1024);
    size_t n;
    xmlParserCtxtPtr ctxt;

    memset(&h, 0, sizeof h);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = on_start;
    h.characters = on_text;
    ctxt = xmlCreatePushParserCtxt(&h, &c, NULL, 0, path);
    xmlCtxtUseOptions(ctxt, XML_PARSE_NOENT | XML_PARSE_NONET | XML_PARSE_IGNORE_ENC);
    while (f && buf && (n = fread(buf, 1, 256 * 1024, f)) > 0)
        xmlParseChunk(ctxt, buf, (int)n, 0);
    xmlParseChunk(ctxt, NULL, 0, 1);
    xmlFreeParserCtxt(ctxt);
    free(buf);
    if (f)
        fclose(f);
    return c.elements;
}

static long reader(const char *path)
{
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET);
    long elements = 0, text = 0;

    while (r && xmlTextReaderRead(r) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            elements++;
            xmlTextReaderConstLocalName(r);
            while (xmlTextReaderMoveToNextAttribute(r) == 1)
                text += (long)strlen((const char *)xmlTextReaderConstValue(r));
            xmlTextReaderMoveToElement(r);
        } else if (type == XML_READER_TYPE_TEXT) {
            text += (long)strlen((const char *)xmlTextReaderConstValue(r));
        }
    }
    xmlFreeTextReader(r);
    return elements + (text & 1);
}

#endif

static size_t read_file(void *ctx, char *dst, size_t cap)
{
    size_t n = fread(dst, 1, cap, ctx);
    return n == 0 && ferror((FILE *)ctx) ? (size_t)-1 : n;
}

/* tiegraph's XML tokenizer alone (loaders/xml_scan.c): every token, its
 * attributes and text looked at, nothing done with them. */
static long scan(const char *path)
{
    FILE *f = fopen(path, "rb");
    tg_xml_scan sc;
    tg_xml_token t;
    tg_xml_kind k;
    long elements = 0, text = 0;

    if (!f)
        return -1;
    setvbuf(f, NULL, _IONBF, 0);
    tg_i_xml_init(&sc, read_file, f, 0, TG_XML_LEAVES | TG_XML_SKIP_BLANK);
    while ((k = tg_i_xml_next(&sc, &t)) != TG_XML_EOF && k != TG_XML_ERROR) {
        if (k == TG_XML_START) {
            elements++;
            text += (long)t.nattrs + (t.leaf ? (long)t.text_len : 0);
        } else if (k == TG_XML_TEXT) {
            text += (long)t.text_len;
        }
    }
    if (k == TG_XML_ERROR) {
        fprintf(stderr, "tg-bench-xml: %s:%ld:%ld: %s\n", path, sc.err_line, sc.err_col, sc.msg);
        elements = -1;
    }
    tg_i_xml_destroy(&sc);
    fclose(f);
    return elements;
}

static long tiegraph(const char *path)
{
    tg_graph *g = tg_graph_new();
    tg_importer *imp = NULL;
    tg_read_options o;
    tg_error err;
    long n = -1;

    memset(&o, 0, sizeof o);
    o.format = "graphml";
    if (g && tg_importer_new(g, &imp, &err) == TG_OK && tg_format_read(imp, path, &o, NULL, &err) == TG_OK)
        n = (long)(tg_graph_entity_count(g) + tg_graph_relation_count(g));
    else
        fprintf(stderr, "tg-bench-xml: %s:%ld:%ld: %s\n", err.file, err.line, err.column, err.message);
    tg_importer_free(imp);
    tg_graph_free(g);
    return n;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        long (*fn)(const char *);
    } measures[] = {
#if defined(TG_HAVE_LIBXML2)
        {"sax", sax},
        {"reader", reader},
#endif
        {"scan", scan},
        {"tiegraph", tiegraph}};
    const char *runs_env = getenv("RUNS");
    int runs = runs_env ? atoi(runs_env) : 3, i, a;
    size_t m;
    double t[64], c[64], mb;
    FILE *f;

    if (argc < 2) {
        fprintf(stderr, "usage: tg-bench-xml FILE.graphml [sax|reader|scan|tiegraph]...\n");
        return 64;
    }
    if (runs < 1 || runs > 64)
        runs = 3;
    f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 66;
    }
    fseek(f, 0, SEEK_END);
    mb = (double)ftell(f) / 1e6;
    fclose(f);
    for (m = 0; m < sizeof measures / sizeof measures[0]; m++) {
        long n = 0;
        int want = argc == 2;
        for (a = 2; a < argc; a++)
            want |= strcmp(argv[a], measures[m].name) == 0;
        if (!want)
            continue;
        for (i = 0; i < runs; i++) {
            double t0 = now(), c0 = cpu();
            n = measures[m].fn(argv[1]);
            t[i] = now() - t0;
            c[i] = cpu() - c0;
        }
        {
            double md = median(t, runs), mc = median(c, runs);
            printf("%-9s %8.3f s  %7.1f MB/s  %7.3f s CPU  (%ld, median of %d, %.1f MB)\n",
                   measures[m].name, md, mb / md, mc, n, runs, mb);
            fflush(stdout);
        }
    }
    return 0;
}
