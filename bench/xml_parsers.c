/* xml_parsers.c — tg-bench-xml: how fast libxml2 reads a GraphML file, for
 * docs/formats.md ("GraphML": why libxml2's SAX2 push parser).
 *
 *   tg-bench-xml FILE.graphml
 *
 * Each measure runs RUNS times (environment, default 3) and prints the
 * median, in seconds and MB/s:
 *   sax       libxml2's SAX2 push parser fed 256 KiB chunks, with callbacks
 *             that only count elements and text bytes (the floor of any
 *             libxml2 reader);
 *   reader    libxml2's xmlTextReader streaming over the file, visiting
 *             every element's attributes and text (what a reader built on it
 *             would do at least);
 *   tiegraph  tiegraph's GraphML reader into an empty graph in memory
 *             (parsing, interning, the importer; no store).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "formats.h"
#include "graph.h"
#include "importer.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
    } measures[] = {{"sax", sax}, {"reader", reader}, {"tiegraph", tiegraph}};
    const char *runs_env = getenv("RUNS");
    int runs = runs_env ? atoi(runs_env) : 3, i;
    size_t m;
    double t[64], mb;
    FILE *f;

    if (argc != 2) {
        fprintf(stderr, "usage: tg-bench-xml FILE.graphml\n");
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
        for (i = 0; i < runs; i++) {
            double t0 = now();
            n = measures[m].fn(argv[1]);
            t[i] = now() - t0;
        }
        {
            double md = median(t, runs);
            printf("%-9s %8.3f s  %7.1f MB/s  (%ld, median of %d, %.1f MB)\n", measures[m].name, md,
                   mb / md, n, runs, mb);
        }
    }
    return 0;
}
