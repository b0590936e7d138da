/* fuzz_xml.c — the XML tokenizer (loaders/xml_scan.c) on arbitrary bytes.
 * The first byte picks the options and the chunk size of a second reading
 * (1 to 8 bytes, or 4 KiB); the rest is the document. What must hold:
 * - no crash, leak or out-of-bounds access (the sanitizers);
 * - reading whole and in chunks gives the same tokens, written in one
 *   canonical form (leaves expanded, text pieces joined, white space before a
 *   start tag dropped), and the same error at the same line and column;
 * - every name, value and text handed out is UTF-8 holding only characters
 *   XML allows, tags balance, an error names a line and a column >= 1;
 * - with libxml2 (TG_HAVE_LIBXML2, the benchmarks' dependency): its SAX2
 *   parser finds the document well-formed exactly when the tokenizer does,
 *   and then reports the same elements, attribute values and texts. Left
 *   out of that comparison, by design: documents with a DOCTYPE (libxml2
 *   reads entity declarations and lets an external DTD declare entities;
 *   the tokenizer reads no DTD), in UTF-16/32 or holding a NUL byte (where
 *   libxml2's memory parser stops), nested near the depth limit, and
 *   non-ASCII names or targets (libxml2 checks XML's Unicode name
 *   ranges; the tokenizer takes any non-ASCII character in a name). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml_scan.h"
#include "xml_tokens.h"

#if defined(TG_HAVE_LIBXML2)
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#if defined(TG_HAVE_LIBXML2)

/* libxml2's SAX2 events in the same canonical form. */
static void qname(tg_xt_buf *q, const xmlChar *prefix, const xmlChar *local)
{
    q->n = 0;
    if (prefix) {
        tg_xt_put(q, prefix, strlen((const char *)prefix));
        tg_xt_put(q, ":", 1);
    }
    tg_xt_put(q, local, strlen((const char *)local));
}

static void x_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                    int nns, const xmlChar **ns, int nattrs, int ndef, const xmlChar **attrs)
{
    tg_xt_canon *c = ctx;
    tg_xt_buf q = {NULL, 0, 0};
    int i;

    (void)uri, (void)nns, (void)ns, (void)ndef;
    qname(&q, prefix, local);
    tg_xt_start(c, q.b, q.n, NULL, 0, 0, 0);
    for (i = 0; i < nattrs; i++) {
        qname(&q, attrs[5 * i + 1], attrs[5 * i]);
        tg_xt_attr(c, q.b, q.n, (const char *)attrs[5 * i + 3],
                   (size_t)(attrs[5 * i + 4] - attrs[5 * i + 3]), 0, 0);
    }
    tg_xt_close(c);
    free(q.b);
}

static void x_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    tg_xt_canon *c = ctx;
    tg_xt_buf q = {NULL, 0, 0};

    (void)uri;
    qname(&q, prefix, local);
    tg_xt_end(c, q.b, q.n);
    free(q.b);
}

static void x_text(void *ctx, const xmlChar *s, int len)
{
    tg_xt_canon *c = ctx;

    if (c->depth > 0)
        tg_xt_put(&c->text, s, (size_t)len);
}

static void x_quiet(void *ctx, const char *msg, ...)
{
    (void)ctx, (void)msg;
}

static void x_squiet(void *ctx, const xmlError *e)
{
    (void)ctx, (void)e;
}

/* Whether libxml2 finds doc well-formed; its events in c. Its pull parser
 * (the push parser keeps CR LF inside CDATA sections as it is). */
static int libxml2_tokens(const char *doc, size_t len, tg_xt_canon *c)
{
    static xmlSAXHandler h;
    xmlParserCtxtPtr ctxt;
    int wf;

    memset(&h, 0, sizeof h);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = x_start;
    h.endElementNs = x_end;
    h.characters = x_text;
    h.cdataBlock = x_text;
    h.ignorableWhitespace = x_text;
    h.serror = (xmlStructuredErrorFunc)x_squiet;
    h.error = x_quiet;
    h.warning = x_quiet;
    ctxt = xmlCreateMemoryParserCtxt(doc, (int)len);
    if (!ctxt)
        return -1;
    if (ctxt->sax != (xmlSAXHandlerPtr)&xmlDefaultSAXHandler)
        xmlFree(ctxt->sax);
    ctxt->sax = &h;
    ctxt->userData = c;
    /* NOENT: values with the predefined entities replaced (without it
     * libxml2's SAX2 hands out "&#38;" for "&amp;") */
    xmlCtxtUseOptions(ctxt, XML_PARSE_NOENT | XML_PARSE_NONET | XML_PARSE_IGNORE_ENC |
                                XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlParseDocument(ctxt);
    tg_xt_flush(c, 0);
    wf = ctxt->wellFormed;
    ctxt->sax = NULL;
    if (ctxt->myDoc)
        xmlFreeDoc(ctxt->myDoc);
    xmlFreeParserCtxt(ctxt);
    return wf;
}

/* Whether the code point at s (UTF-8) may be in an XML name (XML 1.0, 5th
 * edition, NameChar). */
static int name_char(const unsigned char *s)
{
    unsigned c = s[0], cp;

    if (c < 0x80)
        return 1;
    if (c < 0xE0)
        cp = (c & 0x1F) << 6 | (s[1] & 0x3F);
    else if (c < 0xF0)
        cp = (c & 0x0F) << 12 | (s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    else
        cp = (c & 0x07) << 18 | (s[1] & 0x3F) << 12 | (s[2] & 0x3F) << 6 | (s[3] & 0x3F);
    return cp == 0xB7 || (cp >= 0xC0 && cp <= 0xD6) || (cp >= 0xD8 && cp <= 0xF6) ||
           (cp >= 0xF8 && cp <= 0x37D) || (cp >= 0x37F && cp <= 0x1FFF) ||
           (cp >= 0x200C && cp <= 0x200D) || (cp >= 0x203F && cp <= 0x2040) ||
           (cp >= 0x2070 && cp <= 0x218F) || (cp >= 0x2C00 && cp <= 0x2FEF) ||
           (cp >= 0x3001 && cp <= 0xD7FF) || (cp >= 0xF900 && cp <= 0xFDCF) ||
           (cp >= 0xFDF0 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0xEFFFF);
}

/* Whether the document may hold a non-ASCII character in a name that XML's
 * ranges do not allow: after '<', '</', '<?', '&' or white space inside a
 * tag, up to the next byte that ends a name (an over-approximation). */
static int odd_names(const char *doc, size_t len)
{
    const unsigned char *p = (const unsigned char *)doc;
    size_t i, j;

    for (i = 0; i < len; i++) {
        if (p[i] < 0x80)
            continue;
        for (j = i; j > 0 && p[j - 1] != '<' && p[j - 1] != '&' && p[j - 1] != ' ' &&
                    p[j - 1] != '\t' && p[j - 1] != '\n' && p[j - 1] != '\r' && p[j - 1] != '"' &&
                    p[j - 1] != '\'' && p[j - 1] != '>' && p[j - 1] != '=';
             j--)
            ;
        if (j == 0 || p[j - 1] == '"' || p[j - 1] == '\'' || p[j - 1] == '>')
            continue; /* in a value or a text */
        if (i + 4 > len || !name_char(p + i))
            return 1;
        if (j > 0 && p[j - 1] != '&' && !(j > 1 && p[j - 2] == '<' && p[j - 1] == '?'))
            continue;
        return 1; /* entity names and PI targets: not in the tokens to check */
    }
    return 0;
}

static int has(const char *doc, size_t len, const char *s)
{
    size_t n = strlen(s), i;

    for (i = 0; i + n <= len; i++)
        if (memcmp(doc + i, s, n) == 0)
            return 1;
    return 0;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *doc = (const char *)data + 1;
    size_t len, chunk, max_markup;
    unsigned opts;
    tg_xt_canon whole, parts;
    int wf;

    if (size == 0)
        return 0;
    len = size - 1;
    chunk = (data[0] & 7) + 1;
    if (data[0] & 8)
        chunk = 4096;
    opts = data[0] & 16 ? TG_XML_LEAVES | TG_XML_SKIP_BLANK : 0;
    max_markup = data[0] & 32 ? 64 : 0;
    memset(&whole, 0, sizeof whole);
    memset(&parts, 0, sizeof parts);
    wf = tg_xt_tokens(doc, len, len + 1, opts, max_markup, &whole);
    tg_xt_tokens(doc, len, chunk, opts ^ (data[0] & 64 ? TG_XML_LEAVES : 0), max_markup, &parts);
    if (strcmp(whole.out.b, parts.out.b) != 0) {
        fprintf(stderr, "whole:  %s\nchunks: %s\n", whole.out.b, parts.out.b);
        abort();
    }
#if defined(TG_HAVE_LIBXML2)
    if (!max_markup && len >= 4 && !memchr(doc, 0, len) && (unsigned char)doc[0] != 0xFE &&
        (unsigned char)doc[0] != 0xFF && !has(doc, len, "<!DOCTYPE") && whole.max_depth < 250 &&
        !odd_names(doc, len)) {
        tg_xt_canon lx;
        int lwf;
        memset(&lx, 0, sizeof lx);
        tg_xt_put(&lx.out, "", 0);
        lwf = libxml2_tokens(doc, len, &lx);
        if (lwf >= 0 && lwf != wf) {
            fprintf(stderr, "tiegraph %s, libxml2 %s\ntiegraph: %s\nlibxml2:  %s\n",
                    wf ? "accepts" : "refuses", lwf ? "accepts" : "refuses", whole.out.b,
                    lx.out.b);
            abort();
        }
        if (wf && lwf == 1 && strcmp(whole.out.b, lx.out.b) != 0) {
            fprintf(stderr, "tiegraph: %s\nlibxml2:  %s\n", whole.out.b, lx.out.b);
            abort();
        }
        tg_xt_free(&lx);
    }
#endif
    (void)wf;
    tg_xt_free(&whole);
    tg_xt_free(&parts);
    return 0;
}
