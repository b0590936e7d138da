/* test_xml_scan.c — the XML tokenizer (loaders/xml_scan.c) on a table of
 * documents: the tokens (or the exact error, with its line and column) of
 * each, read whole and in chunks of 1, 2, 3 and 7 bytes (which takes every
 * path that reads more in the middle of a tag, a reference, a comment, a
 * CDATA section or a UTF-8 character), with and without the options the
 * GraphML reader uses (leaf elements, white space before a tag skipped):
 * all must give the same tokens, written in one canonical form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tg_test.h"
#include "xml_scan.h"
#include "xml_tokens.h"

/* The canonical form of doc's tokens (xml_tokens.h), read chunk bytes at a
 * time; owned by the caller. */
static char *dump(const char *doc, size_t len, size_t chunk, unsigned opts, int positions,
                  size_t max_markup)
{
    tg_xt_canon c;

    memset(&c, 0, sizeof c);
    c.flags = TG_XT_NS | (positions ? TG_XT_POSITIONS : 0);
    tg_xt_tokens(doc, len, chunk, opts, max_markup, &c);
    free(c.text.b);
    return c.out.b;
}

/* ---- the cases ------------------------------------------------------------- */

typedef struct xcase {
    const char *name;
    const char *doc;
    const char *want; /* the dump; an error ends with "!LINE:COL message" */
} xcase;

#define NOTWF "not well-formed XML: "

static const xcase cases[] = {
    /* documents that are well-formed */
    {"empty element", "<a/>", "<a></a>"},
    {"nothing at all", "", ""},
    {"white space only", " \n\t ", ""},
    {"declaration, comment, PI, DOCTYPE",
     "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone='yes'?>\n<!-- c -->\n<?pi x?>\n"
     "<!DOCTYPE a SYSTEM \"a.dtd\">\n<a/>\n<!-- after --><?after?>\n",
     "<a></a>"},
    {"a UTF-8 byte order mark", "\xEF\xBB\xBF<?xml version=\"1.0\"?><a/>", "<a></a>"},
    {"attributes, quotes of both kinds", "<a x=\"1\" y='2' z = \"it's\" w='say \"hi\"'/>",
     "<a x=\"1\" y=\"2\" z=\"it's\" w=\"say \\x22hi\\x22\"></a>"},
    {"nested elements and text", "<a>x<b>y</b>z<c/></a>", "<a>\"x\"<b>\"y\"</b>\"z\"<c></c></a>"},
    {"the five entities and character references",
     "<a t=\"&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x10FFFF;\">&lt;&gt;&amp;&quot;&apos;&#67;"
     "&#x00044;&#233;&#x4E2D;</a>",
     "<a t=\"<>&\\x22'AB\\xf4\\x8f\\xbf\\xbf\">\"<>&\\x22'CD\\xc3\\xa9\\xe4\\xb8\\xad\"</a>"},
    {"CDATA sections, comments and PIs inside text",
     "<a>1<![CDATA[<&>]]]]>2<!--c-->3<?p q?>4<![CDATA[]]>5</a>",
     "<a>\"1<&>]]2345\"</a>"},
    {"line ends: CR LF and CR in text, attributes and CDATA",
     "<a x=\"1\r\n2\r3\t4\n5&#13;&#10;\">a\r\nb\rc<![CDATA[d\r\ne]]>&#13;</a>",
     "<a x=\"1 2 3 4 5\\x0d\\x0a\">\"a\\x0ab\\x0acd\\x0ae\\x0d\"</a>"},
    {"']' and '>' in text, ']]>' inside an attribute",
     "<a x=\"]]>\">]>]]x]>] ]]</a>", "<a x=\"]]>\">\"]>]]x]>] ]]\"</a>"},
    {"non-ASCII names and text", "<\xC3\xA9l\xC3\xA9ment \xE5\x90\x8D=\"\xE4\xB8\xAD\">"
                                 "\xF0\x9F\x98\x80</\xC3\xA9l\xC3\xA9ment>",
     "<\xC3\xA9l\xC3\xA9ment \xE5\x90\x8D=\"\\xe4\\xb8\\xad\">\"\\xf0\\x9f\\x98\\x80\"</"
     "\xC3\xA9l\xC3\xA9ment>"},
    {"namespaces: default, prefixed, undeclared, unbound prefix, xml:",
     "<r xmlns=\"u1\" xmlns:p=\"u2\"><a/><p:b/><c xmlns=\"\"><d/></c><q:e/><xml:f/>"
     "<g xmlns:p=\"u3\"><p:h/></g><p:i/></r>",
     "<r{u1} xmlns=\"u1\" xmlns:p=\"u2\"><a{u1}></a><p:b{u2}></p:b><c xmlns=\"\"><d></d></c>"
     "<q:e{?}></q:e><xml:f{http://www.w3.org/XML/1998/namespace}></xml:f><g{u1} "
     "xmlns:p=\"u3\"><p:h{u3}></p:h></g><p:i{u2}></p:i></r>"},
    {"a DOCTYPE with an internal subset",
     "<!DOCTYPE graphml PUBLIC \"-//x//EN\" 'g.dtd' [\n<!ELEMENT graphml (key*, graph)>\n"
     "<!ATTLIST graph id CDATA \"a>b\">\n<!-- a comment > -->\n<?pi ?>\n"
     "<!NOTATION n SYSTEM \"n\">\n]>\n<graphml/>",
     "<graphml></graphml>"},
    {"white space between the tags", "<a>\n  <b> x </b>\n  <c/>\n</a>",
     "<a><b>\" x \"</b><c></c>\"\\x0a\"</a>"},
    {"the longest names and values", "<aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b_b-b.b9=\"\"/>",
     "<aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b_b-b.b9=\"\"></aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa>"},
    {"DEL and C1 controls are characters", "<a>\x7F\xC2\x80\xC2\x9F</a>",
     "<a>\"\\x7f\\xc2\\x80\\xc2\\x9f\"</a>"},

    /* the file is not XML, or not UTF-8 */
    {"not XML", "id,name\n1,Huawei\n",
     "!1:1 not XML: expected a document starting with a tag or <?xml ...?>"},
    {"not XML after white space", "\n  hello", "!1:1 not XML: expected a document starting with a "
                                               "tag or <?xml ...?>"},
    {"UTF-16 with its byte order mark", "\xFF\xFE<\0a\0/\0>\0",
     "!1:1 the file starts with a NUL byte or a UTF-16 byte order mark: it is not UTF-8 text "
     "(UTF-16, UTF-32 or binary?); expected UTF-8"},
    {"invalid UTF-8 in text", "<a>x\xFFy</a>",
     "<a> !1:5 invalid UTF-8 byte 0xff; expected UTF-8 text (re-save the file as UTF-8)"},
    {"an overlong UTF-8 form", "<a>\xC0\xAF</a>",
     "<a> !1:4 invalid UTF-8 byte 0xc0; expected UTF-8 text (re-save the file as UTF-8)"},
    {"a UTF-16 surrogate in UTF-8", "<a x=\"\xED\xA0\x80\"/>",
     "!1:7 invalid UTF-8 byte 0xed; expected UTF-8 text (re-save the file as UTF-8)"},
    {"beyond U+10FFFF", "<a>\xF4\x90\x80\x80</a>",
     "<a> !1:4 invalid UTF-8 byte 0xf4; expected UTF-8 text (re-save the file as UTF-8)"},
    {"a UTF-8 character cut by the end of the file", "<a>\xE4\xB8",
     "<a> !1:6 unexpected end of file inside <a>: the document is truncated"},
    {"a continuation byte where a lead byte goes", "<a\x80/>",
     "!1:3 invalid UTF-8 byte 0x80; expected UTF-8 text (re-save the file as UTF-8)"},
    {"U+FFFE", "<a>\xEF\xBF\xBE</a>",
     "<a> !1:4 " NOTWF "the character U+FFFE in the text is not one XML allows; expected text"},
    {"a control character in text", "<a>x\x01</a>",
     "<a> !1:5 " NOTWF "control character U+0001 in the text; XML allows none but tab, line feed "
     "and carriage return"},
    {"a NUL byte in a value", "<a x=\"\0\"/>",
     "!1:7 " NOTWF "control character U+0000 in an attribute value; XML allows none but tab, line "
     "feed and carriage return"},
    {"a control character in a comment", "<a><!-- \x1B --></a>",
     "<a> !1:9 " NOTWF "control character U+001B in a comment; XML allows none but tab, line feed "
     "and carriage return"},
    {"a reference to a forbidden character", "<a>&#1;</a>",
     "<a> !1:4 " NOTWF "the character reference &#1; names a character XML does not allow"},
    {"a reference to U+FFFE", "<a x=\"&#xFFFE;\"/>",
     "!1:7 " NOTWF "the character reference &#xFFFE; names a character XML does not allow"},
    {"a reference to NUL", "<a>&#0;</a>",
     "<a> !1:4 " NOTWF "the character reference &#0; names a character XML does not allow"},
    {"a reference beyond Unicode", "<a>&#x110000;</a>",
     "<a> !1:4 " NOTWF "the character reference &#x110000; names a character XML does not allow"},

    /* elements */
    {"end tag that does not match", "<a>\n<b></c></a>",
     "<a><b> !2:4 " NOTWF "</c> does not close <b> (line 2); expected </b>"},
    {"end tag with white space", "<a></a >", "<a></a>"},
    {"end tag of another case", "<a></A>", "<a> !1:4 " NOTWF "</A> does not close <a> (line 1); expected </a>"},
    {"two root elements", "<a/><b/>",
     "<a></a> !1:5 " NOTWF "<b> after the root element; expected one root element and nothing "
     "after it but comments"},
    {"text after the root", "<a/>\nx",
     "<a></a> !2:1 " NOTWF "text after the root element; expected only white space, comments and "
     "processing instructions there"},
    {"text before the root", "<!-- c -->x<a/>",
     "!1:11 " NOTWF "text before the root element; expected only white space, comments and "
     "processing instructions there"},
    {"an end tag after the root", "<a/></a>",
     "<a></a> !1:5 " NOTWF "an end tag after the root element; expected the end of the document"},
    {"a truncated document", "<a>\n<b x=\"1\">text",
     "<a><b x=\"1\"> !2:14 unexpected end of file inside <b>: the document is truncated"},
    {"truncated inside a tag", "<a><b x=\"1",
     "<a> !1:11 unexpected end of file inside <a>: the document is truncated"},
    {"truncated after the declaration", "<?xml version=\"1.0\"?>\n",
     "!2:1 unexpected end of file before the root element: the document is truncated"},
    {"truncated inside a comment", "<!-- x",
     "!1:7 unexpected end of file inside a comment (<!-- without -->): the document is truncated"},
    {"'<' followed by no name", "<a>< b/></a>",
     "<a> !1:4 " NOTWF "'<' not followed by a name; expected a tag (write &lt; for a literal '<')"},
    {"a name that starts with a digit", "<1a/>",
     "!1:1 " NOTWF "'<' not followed by a name; expected a tag (write &lt; for a literal '<')"},
    {"'/' inside a tag", "<a / >",
     "!1:4 " NOTWF "'/' inside a tag; expected '/>' to end an empty element"},

    /* attributes */
    {"an attribute given twice", "<a x=\"1\" y=\"2\"\n   x=\"3\"/>",
     "!2:4 " NOTWF "the attribute x is given twice in <a>; expected each attribute once"},
    {"an attribute given twice among many",
     "<a a1=\"\" a2=\"\" a3=\"\" a4=\"\" a5=\"\" a6=\"\" a7=\"\" a8=\"\" a9=\"\" a10=\"\" a11=\"\" "
     "a12=\"\" a13=\"\" a14=\"\" a15=\"\" a16=\"\" a17=\"\" a3=\"\" a18=\"\"/>",
     "!1:114 " NOTWF "the attribute a3 is given twice in <a>; expected each attribute once"},
    {"an attribute without quotes", "<a x=1/>",
     "!1:6 " NOTWF "the value of the attribute x is not quoted; expected x=\"...\""},
    {"an attribute without a value", "<a x/>",
     "!1:4 " NOTWF "the attribute x has no value; expected x=\"...\""},
    {"an attribute without a value, then a line feed", "<a\n x\n />",
     "!2:2 " NOTWF "the attribute x has no value; expected x=\"...\""},
    {"'<' in an attribute value", "<a x=\"a<b\"/>",
     "!1:8 " NOTWF "'<' in the value of the attribute x; expected &lt; (or a missing closing "
     "quote)"},
    {"attributes without white space between", "<a x=\"1\"y=\"2\"/>",
     "!1:9 " NOTWF "expected white space before the attribute y"},
    {"an attribute name that is not one", "<a -x=\"1\"/>",
     "!1:4 " NOTWF "'-' inside the tag <a>; expected an attribute name, '>' or '/>'"},

    /* references */
    {"an undefined entity", "<a>&nbsp;</a>",
     "<a> !1:4 " NOTWF "the entity &nbsp; is not defined; expected &amp; &lt; &gt; &quot; &apos; "
     "or a character reference such as &#160; (no DTD is read)"},
    {"a lone '&'", "<a>fish & chips</a>",
     "<a> !1:9 " NOTWF "'&' that starts no reference; expected &amp; for a literal '&', or a "
     "reference such as &lt; or &#160;"},
    {"a reference without ';'", "<a x=\"&amp\"/>",
     "!1:7 " NOTWF "'&' that starts no reference; expected &amp; for a literal '&', or a "
     "reference such as &lt; or &#160;"},
    {"a character reference without digits", "<a>&#x;</a>",
     "<a> !1:4 " NOTWF "a character reference that is not one; expected &#DIGITS; or &#xHEX; (or "
     "&amp; for a literal '&')"},
    {"a decimal reference with hex digits", "<a>&#1F;</a>",
     "<a> !1:4 " NOTWF "a character reference that is not one; expected &#DIGITS; or &#xHEX; (or "
     "&amp; for a literal '&')"},

    /* text */
    {"']]>' in text", "<a>x]]>y</a>",
     "<a> !1:5 " NOTWF "']]>' in text; expected ']]&gt;' (it ends a CDATA section, and none is "
     "open)"},
    {"']]>' in text after ']'", "<a>]]]></a>",
     "<a> !1:5 " NOTWF "']]>' in text; expected ']]&gt;' (it ends a CDATA section, and none is "
     "open)"},
    {"a CDATA section outside the root", "<![CDATA[x]]><a/>",
     "!1:1 " NOTWF "'<!' before the root element; expected a comment <!-- --> or a DOCTYPE"},
    {"an unclosed CDATA section", "<a><![CDATA[x</a>",
     "<a> !1:18 unexpected end of file inside <a>: the document is truncated"},
    {"'--' in a comment", "<a><!-- a -- b --></a>",
     "<a> !1:11 " NOTWF "'--' inside a comment; expected '-->' to end it"},
    {"a comment ending in '--->'", "<!-- a --->\n<a/>",
     "!1:8 " NOTWF "'--' inside a comment; expected '-->' to end it"},
    {"a DOCTYPE inside the root", "<a><!DOCTYPE a></a>",
     "<a> !1:4 " NOTWF "'<!' inside an element; expected a comment <!-- --> or a CDATA section "
     "<![CDATA[ ]]> (a DOCTYPE only before the root element)"},

    /* declarations */
    {"an XML declaration not at the start", " <?xml version=\"1.0\"?><a/>",
     "!1:2 " NOTWF "an XML declaration <?xml ...?> after the start of the file; expected it "
     "first, or not at all"},
    {"an XML declaration in capitals", "<a><?XML x?></a>",
     "<a> !1:4 " NOTWF "an XML declaration <?xml ...?> after the start of the file; expected it "
     "first, or not at all"},
    {"an XML declaration without a version", "<?xml encoding=\"UTF-8\"?><a/>",
     "!1:7 " NOTWF "the XML declaration has no version 1.x; expected <?xml version=\"1.0\" "
     "encoding=\"UTF-8\"?>"},
    {"a bad encoding name", "<?xml version=\"1.0\" encoding=\"8bit\"?><a/>",
     "!1:31 " NOTWF "the encoding name in the XML declaration is not one; expected "
     "encoding=\"UTF-8\""},
    {"a processing instruction without a target", "<a><? x?></a>",
     "<a> !1:4 " NOTWF "'<?' not followed by a name; expected a processing instruction "
     "<?target ...?>"},
    {"an entity declaration", "<!DOCTYPE a [\n  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>"
                              "<a>&xxe;</a>",
     "!2:3 the document declares the entity \"xxe\"; entity declarations are not supported"},
    {"an entity declaration across lines", "<!DOCTYPE a [\n<!ENTITY\n  x 'y'>]><a/>",
     "!2:1 the document declares the entity \"x\"; entity declarations are not supported"},
    {"a literal across lines in the XML declaration",
     "<?xml version=\"1.0\" encoding=\"UTF-8\n\"?><a/>",
     "!1:31 " NOTWF "the encoding name in the XML declaration is not one; expected "
     "encoding=\"UTF-8\""},
    {"a control character after a line feed in a DOCTYPE literal",
     "<!DOCTYPE a SYSTEM \"x\ny\x01\"><a/>",
     "!2:2 " NOTWF "control character U+0001 (the external identifier); XML allows none but "
     "tab, line feed and carriage return"},
    {"'--' in a comment of the DOCTYPE, after a line feed", "<!DOCTYPE a [<!--\n x -- -->]><a/>",
     "!2:4 " NOTWF "'--' inside a comment; expected '-->' to end it"},
    {"a parameter entity declaration", "<!DOCTYPE a [<!ENTITY % pe \"x\">]><a/>",
     "!1:14 the document declares the entity \"pe\"; entity declarations are not supported"},
    {"a parameter-entity reference", "<!DOCTYPE a [%pe;]><a/>",
     "!1:14 " NOTWF "a parameter-entity reference in the DOCTYPE; entity declarations and "
     "references are not supported"},
    {"a DOCTYPE after the root", "<a/><!DOCTYPE a>",
     "<a></a> !1:5 " NOTWF "'<!' after the root element; expected a comment <!-- -->"},
    {"two DOCTYPEs", "<!DOCTYPE a><!DOCTYPE a><a/>",
     "!1:13 " NOTWF "a second DOCTYPE; expected one at most"},
};

/* Reads each case whole and in small chunks, with and without the
 * reader's options: one canonical result, the expected one. */
static void t_cases(void)
{
    static const size_t chunks[] = {(size_t)1 << 30, 1, 2, 3, 7};
    static const unsigned opts[] = {0, TG_XML_LEAVES | TG_XML_SKIP_BLANK};
    size_t i, j, m;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const xcase *c = &cases[i];
        size_t len = strlen(c->doc);
        tg_test_current = c->name;
        if (strcmp(c->name, "UTF-16 with its byte order mark") == 0)
            len = 10;
        if (strcmp(c->name, "a NUL byte in a value") == 0)
            len = 10;
        for (j = 0; j < sizeof chunks / sizeof chunks[0]; j++)
            for (m = 0; m < sizeof opts / sizeof opts[0]; m++) {
                char *got = dump(c->doc, len, chunks[j], opts[m], 0, 0);
                if (strcmp(got, c->want) != 0)
                    fprintf(stderr, "  (chunks of %zu, options %u)\n", chunks[j], opts[m]);
                TG_CHECK_STR(got, c->want);
                free(got);
            }
    }
}

/* Lines and byte columns of tags and values across lines, tabs, multi-byte
 * characters and references that shorten a value. */
static void t_positions(void)
{
    static const char doc[] = "<?xml version=\"1.0\"?>\n<r>\n\t<a  x=\"1\"\n     y='&amp;2'/>\n"
                              "  <\xC3\xA9 z=\"\xE4\xB8\xAD\" w=\"v\">t</\xC3\xA9>\r\n<b\n/></r>";
    static const char *want =
        "<r@2:1><a@3:2 x@3:9=\"1\" y@4:9=\"&2\"></a><\xC3\xA9@5:3 z@5:10=\"\\xe4\\xb8\\xad\" "
        "w@5:18=\"v\">\"t\"</\xC3\xA9><b@6:1></b></r>";
    size_t j;
    static const size_t chunks[] = {(size_t)1 << 30, 1, 5};

    for (j = 0; j < sizeof chunks / sizeof chunks[0]; j++) {
        char *got = dump(doc, sizeof doc - 1, chunks[j], 0, 1, 0);
        TG_CHECK_STR(got, want);
        free(got);
    }
}

/* Elements nested as deep as allowed, and one level more. */
static void t_depth(void)
{
    char doc[4 * (TG_XML_MAX_DEPTH + 2) * 2 + 16];
    size_t n = 0, i;
    tg_xml_scan sc;
    tg_xml_token t;
    tg_xml_kind k;
    tg_xt_src r;
    int d;

    for (d = TG_XML_MAX_DEPTH; d <= TG_XML_MAX_DEPTH + 1; d++) {
        n = 0;
        for (i = 0; i < (size_t)d; i++)
            n += (size_t)sprintf(doc + n, "<e>");
        for (i = 0; i < (size_t)d; i++)
            n += (size_t)sprintf(doc + n, "</e>");
        r.s = doc;
        r.len = n;
        r.at = 0;
        r.chunk = n;
        tg_i_xml_init(&sc, tg_xt_read, &r, 0, TG_XML_LEAVES);
        while ((k = tg_i_xml_next(&sc, &t)) != TG_XML_EOF && k != TG_XML_ERROR)
            ;
        if (d == TG_XML_MAX_DEPTH) {
            TG_CHECK_INT(k, TG_XML_EOF);
        } else {
            TG_CHECK_INT(k, TG_XML_ERROR);
            TG_CHECK_INT(sc.err_col, 3 * TG_XML_MAX_DEPTH + 1);
            TG_CHECK(strstr(sc.msg, "nested deeper than 256 levels") != NULL);
        }
        tg_i_xml_destroy(&sc);
    }
}

/* A text longer than a piece comes in pieces that add up to it, also
 * when references shorten it; a tag longer than max_markup is an error. */
static void t_long(void)
{
    size_t n = 300000, i, at = 0;
    char *doc = malloc(n + 64), *want = malloc(n);
    tg_xml_scan sc;
    tg_xml_token t;
    tg_xml_kind k;
    tg_xt_src r;
    size_t got = 0, pieces = 0;
    int same = 1;

    at += (size_t)sprintf(doc, "<a>");
    for (i = 0; at < n; i++) {
        if (i % 1000 == 999) {
            memcpy(doc + at, "&lt;", 4);
            at += 4;
            want[got++] = '<';
        } else {
            doc[at++] = (char)('a' + i % 26);
            want[got++] = (char)('a' + i % 26);
        }
    }
    at += (size_t)sprintf(doc + at, "</a>");
    r.s = doc;
    r.len = at;
    r.at = 0;
    r.chunk = 4096;
    tg_i_xml_init(&sc, tg_xt_read, &r, 0, TG_XML_LEAVES | TG_XML_SKIP_BLANK);
    n = got;
    got = 0;
    while ((k = tg_i_xml_next(&sc, &t)) != TG_XML_EOF && k != TG_XML_ERROR) {
        if (k != TG_XML_TEXT)
            continue;
        pieces++;
        if (got + t.text_len > n || memcmp(want + got, t.text, t.text_len) != 0)
            same = 0;
        got += t.text_len;
        if (t.more != (got < n))
            same = 0;
    }
    TG_CHECK_INT(k, TG_XML_EOF);
    TG_CHECK_INT(got, n);
    TG_CHECK(same);
    TG_CHECK(pieces > 1);
    tg_i_xml_destroy(&sc);

    /* a tag longer than the bound */
    at = (size_t)sprintf(doc, "<a x=\"");
    memset(doc + at, 'v', 5000);
    at += 5000;
    at += (size_t)sprintf(doc + at, "\"/>");
    r.len = at;
    r.at = 0;
    r.chunk = 512;
    tg_i_xml_init(&sc, tg_xt_read, &r, 1024, 0);
    k = tg_i_xml_next(&sc, &t);
    TG_CHECK_INT(k, TG_XML_ERROR);
    TG_CHECK_INT(sc.code, TG_XML_E_TOO_LONG);
    TG_CHECK_INT(sc.err_col, 1);
    TG_CHECK_STR(sc.msg, "a tag longer than 1024 bytes, the most one may hold");
    tg_i_xml_destroy(&sc);
    free(doc);
    free(want);
}

/* Without the options, white space and empty elements come as they are. */
static void t_plain_tokens(void)
{
    static const char doc[] = "<a> <b/> <c>x</c></a>";
    static const char *want = "S(a)T( )S(b)E(b)T( )S(c)T(x)E(c)E(a)";
    char got[200] = "";
    size_t n = 0;
    tg_xt_src r = {doc, sizeof doc - 1, 0, 100};
    tg_xml_scan sc;
    tg_xml_token t;
    tg_xml_kind k;

    tg_i_xml_init(&sc, tg_xt_read, &r, 0, 0);
    while ((k = tg_i_xml_next(&sc, &t)) != TG_XML_EOF && k != TG_XML_ERROR) {
        if (k == TG_XML_START) {
            TG_CHECK(!t.leaf);
            n += (size_t)snprintf(got + n, sizeof got - n, "S(%.*s)", (int)t.name_len, t.name);
        } else if (k == TG_XML_END) {
            n += (size_t)snprintf(got + n, sizeof got - n, "E(%.*s)", (int)t.name_len, t.name);
        } else {
            n += (size_t)snprintf(got + n, sizeof got - n, "T(%.*s)", (int)t.text_len, t.text);
        }
    }
    TG_CHECK_INT(k, TG_XML_EOF);
    TG_CHECK_STR(got, want);
    TG_CHECK_INT(tg_i_xml_next(&sc, &t), TG_XML_EOF); /* and again */
    tg_i_xml_destroy(&sc);
}

/* A failing read function is an error of its own kind. */
static size_t read_fail(void *ctx, char *dst, size_t cap)
{
    (void)ctx;
    (void)dst;
    (void)cap;
    return (size_t)-1;
}

static void t_read_error(void)
{
    tg_xml_scan sc;
    tg_xml_token t;

    tg_i_xml_init(&sc, read_fail, NULL, 0, 0);
    TG_CHECK_INT(tg_i_xml_next(&sc, &t), TG_XML_ERROR);
    TG_CHECK_INT(sc.code, TG_XML_E_READ);
    TG_CHECK_INT(sc.status, TG_EIO);
    TG_CHECK_INT(tg_i_xml_next(&sc, &t), TG_XML_ERROR); /* and again */
    tg_i_xml_destroy(&sc);
}

int main(void)
{
    TG_RUN(t_cases);
    TG_RUN(t_positions);
    TG_RUN(t_depth);
    TG_RUN(t_long);
    TG_RUN(t_plain_tokens);
    TG_RUN(t_read_error);
    return tg_test_finish();
}
