/* test_graphml.c — the GraphML reader as a table of documents (what Gephi,
 * yEd, NetworkX, igraph and Neo4j's APOC write, and every bad input of the
 * catalogue with its exact message and position), and the GraphML and GEXF
 * writers: round trips of the null graph, a one-node graph, subnormal
 * floats, control characters (written as U+FFFD), mixed-type properties and
 * a selection; GEXF edge ids that no relation id can take. The Python checks
 * against python-igraph and NetworkX are in tests/cli/graphml.sh. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "graph.h"
#include "importer.h"
#include "json_loader.h"
#include "temporal.h"
#include "tg_test.h"

static tg_sym S(tg_graph *g, const char *s)
{
    return tg_graph_intern(g, s, strlen(s));
}

/* ---- a compact dump of a graph ------------------------------------------------- */

typedef struct dbuf {
    char b[8192];
    size_t n;
} dbuf;

static void put(dbuf *d, const char *s, size_t len)
{
    if (d->n + len >= sizeof d->b)
        len = sizeof d->b - 1 - d->n;
    memcpy(d->b + d->n, s, len);
    d->n += len;
    d->b[d->n] = '\0';
}

static void puts_(dbuf *d, const char *s)
{
    put(d, s, strlen(s));
}

static void put_sym(dbuf *d, const tg_graph *g, tg_sym s)
{
    size_t len;
    const char *p = tg_graph_str(g, s, &len);
    put(d, p, len);
}

static void put_val(dbuf *d, const tg_graph *g, const tg_pval *v)
{
    char num[64];
    uint32_t i;

    switch (v->type) {
    case TG_V_BOOL: puts_(d, v->u.b ? "true" : "false"); break;
    case TG_V_INT:
        snprintf(num, sizeof num, "%lld", (long long)v->u.i);
        puts_(d, num);
        break;
    case TG_V_FLOAT:
        snprintf(num, sizeof num, "%.17gf", v->u.f);
        puts_(d, num);
        break;
    case TG_V_STRING:
        puts_(d, "\"");
        put_sym(d, g, v->u.s);
        puts_(d, "\"");
        break;
    case TG_V_LIST:
        puts_(d, "[");
        for (i = 0; i < v->len; i++) {
            if (i)
                puts_(d, ",");
            put_val(d, g, &tg_graph_list(g, v)[i]);
        }
        puts_(d, "]");
        break;
    default: {
        tg_temporal t;
        char iso[TG_TIME_TEXT_MAX];
        if (tg_graph_temporal(g, v, &t)) {
            tg_time_format(&t, iso);
            puts_(d, iso);
        } else {
            puts_(d, "?");
        }
    }
    }
}

static int put_prop(void *ctx, tg_sym key, const tg_pval *v)
{
    void **c = ctx;
    dbuf *d = c[0];
    const tg_graph *g = c[1];

    puts_(d, " ");
    put_sym(d, g, key);
    puts_(d, "=");
    put_val(d, g, v);
    return 0;
}

/* "id:Label{ k=v} | from>TYPE>to{ k=v} | src:id{ k=v}" */
static const char *dump(const tg_graph *g)
{
    static dbuf d;
    size_t i, k, n;
    void *ctx[2];

    d.n = 0;
    d.b[0] = '\0';
    ctx[0] = &d;
    ctx[1] = (void *)g;
    for (i = 0; i < tg_graph_entity_count(g); i++) {
        const tg_sym *labels;
        if (d.n)
            puts_(&d, " | ");
        put_sym(&d, g, tg_graph_entity_id(g, (tg_ent)i));
        n = tg_graph_labels(g, (tg_ent)i, &labels);
        for (k = 0; k < n; k++) {
            puts_(&d, ":");
            put_sym(&d, g, labels[k]);
        }
        puts_(&d, "{");
        tg_graph_each_prop(g, TG_ENTITY, (uint32_t)i, put_prop, ctx);
        puts_(&d, "}");
    }
    for (i = 0; i < tg_graph_relation_count(g); i++) {
        puts_(&d, " | ");
        put_sym(&d, g, tg_graph_entity_id(g, tg_graph_rel_from(g, (tg_rel)i)));
        puts_(&d, ">");
        put_sym(&d, g, tg_graph_rel_type(g, (tg_rel)i));
        puts_(&d, ">");
        put_sym(&d, g, tg_graph_entity_id(g, tg_graph_rel_to(g, (tg_rel)i)));
        puts_(&d, "{");
        tg_graph_each_prop(g, TG_RELATION, (uint32_t)i, put_prop, ctx);
        puts_(&d, "}");
    }
    for (i = 0; i < tg_graph_source_count(g); i++) {
        const tg_source_field *f;
        n = tg_graph_source_fields(g, (uint32_t)i, &f);
        puts_(&d, " | src:");
        put_sym(&d, g, tg_graph_source_id(g, (uint32_t)i));
        puts_(&d, "{");
        for (k = 0; k < n; k++) {
            puts_(&d, " ");
            put_sym(&d, g, f[k].key);
            puts_(&d, "=");
            put_sym(&d, g, f[k].value);
        }
        puts_(&d, "}");
    }
    return d.b;
}

/* ---- reading ------------------------------------------------------------------- */

#define GML "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">"
#define END "</graphml>"

typedef struct read_case {
    const char *name;
    const char *text;
    const char *want; /* the dump, or NULL for an error */
    const char *err;  /* "LINE:COL message" (exact) when want is NULL */
} read_case;

static const read_case read_cases[] = {
    {"null graph", GML "<graph edgedefault=\"directed\"/>" END, "", NULL},
    {"one node, default label", GML "<graph><node id=\"a\"/></graph>" END, "a:Entity{}", NULL},
    {"APOC: labels and types as attributes and data, typed keys, lists",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" GML "\n"
     "<key id=\"labels\" for=\"node\" attr.name=\"labels\"/>\n"
     "<key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
     "<key id=\"age\" for=\"node\" attr.name=\"age\" attr.type=\"long\"/>\n"
     "<key id=\"tags\" for=\"node\" attr.name=\"tags\" attr.type=\"string\" attr.list=\"string\"/>\n"
     "<key id=\"label\" for=\"edge\" attr.name=\"label\"/>\n"
     "<key id=\"since\" for=\"edge\" attr.name=\"since\" attr.type=\"int\"/>\n"
     "<graph id=\"G\" edgedefault=\"directed\">\n"
     "<node id=\"n0\" labels=\":Person:Founder\"><data key=\"labels\">:Person:Founder</data>"
     "<data key=\"name\">Ren</data><data key=\"age\">79</data>"
     "<data key=\"tags\">[\"a\", \"b\"]</data></node>\n"
     "<node id=\"n1\" labels=\":Company\"><data key=\"labels\">:Company</data></node>\n"
     "<edge id=\"e0\" source=\"n0\" target=\"n1\" label=\"FOUNDED\"><data key=\"label\">FOUNDED"
     "</data><data key=\"since\">1987</data></edge>\n"
     "</graph>\n" END,
     "n0:Person:Founder{ age=79 name=\"Ren\" tags=[\"a\",\"b\"]} | n1:Company{} | "
     "n0>FOUNDED>n1{ since=1987}",
     NULL},
    {"NetworkX: d0 keys, a type attribute, per-pair edge keys as ids, True",
     GML "<key id=\"d2\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>"
     "<key id=\"d1\" for=\"node\" attr.name=\"ok\" attr.type=\"boolean\"/>"
     "<key id=\"d0\" for=\"node\" attr.name=\"f\" attr.type=\"double\"/>"
     "<graph edgedefault=\"directed\"><node id=\"a\"><data key=\"d0\">1.5</data><data "
     "key=\"d1\">True</data></node><node id=\"b\"/><node id=\"c\"/>"
     "<edge source=\"a\" target=\"b\" id=\"0\"><data key=\"d2\">OWNS</data></edge>"
     "<edge source=\"a\" target=\"b\" id=\"1\"><data key=\"d2\">OWNS</data></edge>"
     "<edge source=\"b\" target=\"c\" id=\"0\"/></graph>" END,
     "a:Entity{ f=1.5f ok=true} | b:Entity{} | c:Entity{} | a>OWNS>b{} | a>OWNS>b{} | "
     "b>RELATED>c{}",
     NULL},
    {"igraph: n0 ids with the id in a data key, empty strings, Inf, undirected",
     GML "<key id=\"v_id\" for=\"node\" attr.name=\"id\" attr.type=\"string\"/>"
     "<key id=\"v_x\" for=\"node\" attr.name=\"x\" attr.type=\"double\"/>"
     "<key id=\"v_s\" for=\"node\" attr.name=\"s\" attr.type=\"string\"/>"
     "<key id=\"e_id\" for=\"edge\" attr.name=\"id\" attr.type=\"string\"/>"
     "<graph edgedefault=\"undirected\"><node id=\"n0\"><data key=\"v_id\">huawei</data>"
     "<data key=\"v_x\">Inf</data><data key=\"v_s\"></data></node>"
     "<node id=\"n1\"><data key=\"v_id\">zte</data><data key=\"v_x\"> -2 </data></node>"
     "<edge source=\"n0\" target=\"n1\"><data key=\"e_id\">r1</data></edge>"
     "<edge source=\"n1\" target=\"n0\"><data key=\"e_id\"></data></edge></graph>" END,
     "huawei:Entity{ s=\"\" x=inff} | zte:Entity{ x=-2f} | huawei>RELATED>zte{ id=\"r1\"} | "
     "zte>RELATED>huawei{}",
     NULL},
    {"defaults, for=all, whitespace around numbers, empty numbers absent",
     GML "<key id=\"w\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"><default>1.0"
     "</default></key>"
     "<key id=\"c\" for=\"all\" attr.name=\"colour\" attr.type=\"string\"><default>red</default>"
     "</key>"
     "<key id=\"n\" for=\"node\" attr.name=\"n\" attr.type=\"int\"/>"
     "<key id=\"t\" for=\"node\" attr.name=\"t\" attr.type=\"string\"/>"
     "<graph><node id=\"a\"><data key=\"n\"> 5 </data><data key=\"t\"> spaced </data></node>"
     "<node id=\"b\"><data key=\"c\">blue</data><data key=\"n\"></data></node>"
     "<edge source=\"a\" target=\"b\"><data key=\"w\">2</data></edge>"
     "<edge source=\"b\" target=\"a\"/></graph>" END,
     "a:Entity{ colour=\"red\" n=5 t=\" spaced \"} | b:Entity{ colour=\"blue\"} | "
     "a>RELATED>b{ colour=\"red\" weight=2f} | b>RELATED>a{ colour=\"red\" weight=1f}",
     NULL},
    {"yEd: graphics ignored, labels read, groups flattened, CDATA",
     "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
     "xmlns:y=\"http://www.yworks.com/xml/graphml\">"
     "<key for=\"node\" id=\"d5\" yfiles.type=\"nodegraphics\"/>"
     "<key for=\"edge\" id=\"d10\" yfiles.type=\"edgegraphics\"/>"
     "<key attr.name=\"description\" attr.type=\"string\" for=\"node\" id=\"d4\"/>"
     "<key for=\"graphml\" id=\"d6\" yfiles.type=\"resources\"/>"
     "<graph edgedefault=\"directed\" id=\"G\">"
     "<node id=\"n0\"><data key=\"d4\"><![CDATA[a <b> & c]]></data><data key=\"d5\"><y:ShapeNode>"
     "<y:Geometry x=\"0\"/><y:NodeLabel> Huawei </y:NodeLabel></y:ShapeNode></data></node>"
     "<node id=\"n1\" yfiles.foldertype=\"group\"><data key=\"d5\"><y:GroupNode><y:NodeLabel>"
     "Group</y:NodeLabel></y:GroupNode></data><graph id=\"n1:\"><node id=\"n1::n0\"/></graph>"
     "</node><edge id=\"e0\" source=\"n0\" target=\"n1::n0\"><data key=\"d10\"><y:PolyLineEdge>"
     "<y:EdgeLabel>SUPPLIES</y:EdgeLabel></y:PolyLineEdge></data></edge></graph>"
     "<data key=\"d6\"><y:Resources/></data></graphml>",
     "n0:Entity{ description=\"a <b> & c\" label=\"Huawei\"} | n1:Entity{ label=\"Group\"} | "
     "n1::n0:Entity{} | n0>SUPPLIES>n1::n0{}",
     NULL},
    {"a key with id label wins over one named type; a property named label",
     GML "<key id=\"label\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>"
     "<key id=\"d1\" for=\"edge\" attr.name=\"label\" attr.type=\"string\"/>"
     "<key id=\"labels\" for=\"node\" attr.name=\"labels\" attr.type=\"string\" "
     "attr.list=\"string\"/>"
     "<graph><node id=\"a\"><data key=\"labels\">[\"A\", \"B:C\"]</data></node>"
     "<edge source=\"a\" target=\"a\" label=\"IGNORED\"><data key=\"label\">LOOP</data>"
     "<data key=\"d1\">a label</data></edge></graph>" END,
     "a:A:B:C{} | a>LOOP>a{ label=\"a label\"}", NULL},
    {"edges before nodes, sources and citations",
     GML "<key id=\"s\" for=\"graph\" attr.name=\"sources\" attr.type=\"string\"/>"
     "<key id=\"c\" for=\"node\" attr.name=\"sources\" attr.type=\"string\" "
     "attr.list=\"string\"/>"
     "<key id=\"c1\" for=\"edge\" attr.name=\"sources\" attr.type=\"string\"/>"
     "<graph><data key=\"s\">[{\"id\": \"aspi\", \"title\": \"Tech &amp; \\\"giants\\\"\"}]</data>"
     "<edge source=\"a\" target=\"b\"><data key=\"c1\">aspi#3</data></edge>"
     "<node id=\"a\"><data key=\"c\">[\"aspi#1\", \"aspi\"]</data></node><node id=\"b\"/>"
     "</graph>" END,
     "a:Entity{ sources=[\"aspi#1\",\"aspi\"]} | b:Entity{} | a>RELATED>b{ "
     "sources=[\"aspi#3\"]} | src:aspi{ title=Tech & \"giants\"}",
     NULL},
    {"typed lists, NaN in a list, the empty list, a string that looks like a list",
     GML "<key id=\"i\" for=\"node\" attr.name=\"i\" attr.type=\"string\" attr.list=\"long\"/>"
     "<key id=\"f\" for=\"node\" attr.name=\"f\" attr.type=\"string\" attr.list=\"double\"/>"
     "<key id=\"b\" for=\"node\" attr.name=\"b\" attr.type=\"string\" attr.list=\"boolean\"/>"
     "<key id=\"e\" for=\"node\" attr.name=\"e\" attr.type=\"string\" attr.list=\"string\"/>"
     "<key id=\"s\" for=\"node\" attr.name=\"s\" attr.type=\"string\"/>"
     "<graph><node id=\"a\"><data key=\"i\">[1, -2]</data><data key=\"f\">[1, 2.5, "
     "\"NaN\"]</data><data key=\"b\">[true]</data><data key=\"e\">[]</data>"
     "<data key=\"s\">[1, 2]</data></node></graph>" END,
     "a:Entity{ b=[true] e=[] f=[1f,2.5f,nanf] i=[1,-2] s=\"[1, 2]\"}", NULL},
    {"temporal values in string keys with attr.temporal (tiegraph's)",
     GML "<key id=\"d\" for=\"node\" attr.name=\"born\" attr.type=\"string\" attr.temporal=\"date\"/>"
     "<key id=\"l\" for=\"node\" attr.name=\"days\" attr.type=\"string\" attr.list=\"string\" "
     "attr.temporal=\"date\"/><key id=\"p\" for=\"edge\" attr.name=\"term\" "
     "attr.temporal=\"duration\"/><graph><node id=\"a\"><data key=\"d\"> 1944-10-25 </data>"
     "<data key=\"l\">[\"2018-03-01\"]</data></node><edge source=\"a\" target=\"a\">"
     "<data key=\"p\">P3Y2M</data></edge></graph>" END,
     "a:Entity{ born=1944-10-25 days=[2018-03-01]} | a>RELATED>a{ term=P3Y2M}", NULL},
    /* the bad-input catalogue */
    {"not XML", "id,name\n1,Huawei\n", NULL,
     "1:1 not XML: expected a GraphML document starting with <graphml ...> or <?xml ...?>"},
    {"empty", "", NULL, "1:1 empty file: expected a GraphML document (<graphml ...>)"},
    {"UTF-16", "\xFF\xFE<\0g\0", NULL,
     "1:1 the file starts with a NUL byte or a UTF-16 byte order mark: it is not UTF-8 text "
     "(UTF-16, UTF-32 or binary?); expected a UTF-8 GraphML document (re-save it as UTF-8)"},
    {"truncated", GML "\n<graph>\n<node id=\"a\"/>\n<node id=\"b\"><data key", NULL,
     "4:23 unexpected end of file inside <node>: the document is truncated"},
    {"edge to an unknown node", GML "\n<graph>\n<node id=\"a\"/>\n<edge source=\"a\" target=\"zzz\"/>\n"
     "</graph>" END,
     NULL, "4:26 relation \"to\" refers to unknown entity \"zzz\" (a \"RELATED\" relation)"},
    {"unknown key type", GML "\n<key id=\"d0\" for=\"node\" attr.name=\"amount\" attr.type=\"money\"/>"
     END,
     NULL,
     "2:55 key \"d0\" has unknown attr.type \"money\"; expected boolean, int, long, float, double "
     "or string"},
    {"a value that is not an integer", GML "<key id=\"d0\" for=\"node\" attr.type=\"int\"/>\n<graph>"
     "<node id=\"a\"><data key=\"d0\">12x</data></node></graph>" END,
     NULL, "2:36 \"12x\" is not an integer; expected a whole number such as 2015 (key \"d0\", \"d0\")"},
    {"a value that is not a boolean", GML "<key id=\"d0\" for=\"node\" attr.name=\"ok\" "
     "attr.type=\"boolean\"/>\n<graph><node id=\"a\"><data key=\"d0\">yes</data></node></graph>" END,
     NULL, "2:36 \"yes\" is not a boolean; expected true or false (key \"d0\", \"ok\")"},
    {"a value that is not a number", GML "<key id=\"d0\" for=\"edge\" attr.name=\"w\" "
     "attr.type=\"double\"/>\n<graph><node id=\"a\"/><edge source=\"a\" target=\"a\"><data "
     "key=\"d0\">1,5</data></edge></graph>" END,
     NULL, "2:65 \"1,5\" is not a number; expected a number such as 1.5e6 (key \"d0\", \"w\")"},
    {"invalid UTF-8", GML "\n<graph><node id=\"a\xC3(\"/></graph>" END, NULL,
     "2:19 invalid UTF-8 byte 0xc3; expected UTF-8 text (re-save the file as UTF-8)"},
    {"duplicate node id", GML "\n<graph>\n<node id=\"a\"/>\n<node id=\"a\"/>\n</graph>" END, NULL,
     "4:11 duplicate entity id \"a\" (first defined at line 3)"},
    {"undeclared key", GML "<graph><node id=\"a\"><data key=\"nope\"/></node></graph>" END, NULL,
     "1:87 data refers to undeclared key \"nope\"; expected a <key id=...> before the graph"},
    {"key for edges in a node", GML "<key id=\"k\" for=\"edge\"/><graph><node id=\"a\"><data "
     "key=\"k\">1</data></node></graph>" END,
     NULL, "1:111 key \"k\" is declared for edges; found in a node"},
    {"data given twice", GML "<key id=\"k\"/><graph><node id=\"a\"><data key=\"k\">1</data><data "
     "key=\"k\">2</data></node></graph>" END,
     NULL, "1:122 key \"k\" is given twice for this node"},
    {"key declared twice", GML "<key id=\"k\"/><key id=\"k\"/>" END, NULL,
     "1:78 key id \"k\" is declared twice"},
    {"unknown attr.list", GML "<key id=\"k\" attr.list=\"date\"/>" END, NULL,
     "1:79 key \"k\" has unknown attr.list \"date\"; expected boolean, int, long, float, double or "
     "string"},
    {"hyperedge", GML "<graph><hyperedge/></graph>" END, NULL,
     "1:63 hyperedges are not supported; expected <edge source=... target=...>"},
    {"entity declaration", "<!DOCTYPE graphml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n" GML
     "<graph><node id=\"&x;\"/></graph>" END,
     NULL,
     "1:20 the document declares the entity \"x\"; entity declarations are not supported "
     "(expected plain GraphML)"},
    {"undefined entity", GML "<graph><node id=\"&nbsp;\"/></graph>" END, NULL,
     "1:73 not well-formed XML: the entity &nbsp; is not defined; expected &amp; &lt; &gt; "
     "&quot; &apos; or a character reference such as &#160; (no DTD is read)"},
    {"another root", "<gexf version=\"1.3\"/>", NULL,
     "1:1 the document's root element is <gexf>; expected <graphml>"},
    {"node without id", GML "<graph><node/></graph>" END, NULL,
     "1:63 node has no id; expected <node id=\"...\">"},
    {"edge without target", GML "<graph><node id=\"a\"/><edge source=\"a\"/></graph>" END, NULL,
     "1:77 edge has no target; expected <edge source=\"...\" target=\"...\">"},
    {"element inside data", GML "<key id=\"k\"/><graph><node id=\"a\"><data key=\"k\">x<b/>"
     "</data></node></graph>" END,
     NULL, "1:104 <b> inside <data>; expected text (the value)"},
    {"list that is not JSON", GML "<key id=\"k\" attr.list=\"long\"/><graph><node id=\"a\"><data "
     "key=\"k\">1;2</data></node></graph>" END,
     NULL,
     "1:120 the value of key \"k\" (\"k\") is not a JSON list; expected [...] of integers"},
    {"list of the wrong type", GML "<key id=\"k\" attr.list=\"long\"/><graph><node id=\"a\"><data "
     "key=\"k\">[1.5]</data></node></graph>" END,
     NULL,
     "1:120 the value of key \"k\" (\"k\") holds a number at element 1; expected a list of "
     "integers"},
    {"graph sources without id", GML "<key id=\"s\" for=\"graph\" attr.name=\"sources\"/><graph>"
     "<data key=\"s\">[{\"title\": \"t\"}]</data></graph>" END,
     NULL,
     "1:122 source record 1 of the graph's \"sources\" has no \"id\"; expected a non-empty string"},
    {"a float id key", GML "<key id=\"k\" for=\"node\" attr.name=\"id\" attr.type=\"double\"/>" END,
     NULL,
     "1:56 key \"k\" is a number named \"id\"; expected attr.type=\"string\" or an integer type (a "
     "node's \"id\" is its identity)"},
    {"an integer id key gives the entity id as text",
     GML "<key id=\"k\" for=\"node\" attr.name=\"id\" attr.type=\"long\"/><graph><node id=\"n0\">"
     "<data key=\"k\"> 123 </data></node><node id=\"n1\"/><edge source=\"n1\" target=\"n0\"/>"
     "</graph>" END,
     "123:Entity{} | n1:Entity{} | n1>RELATED>123{}", NULL},
    {"an integer id that is not one", GML "<key id=\"k\" for=\"node\" attr.name=\"id\" "
     "attr.type=\"int\"/><graph><node id=\"n0\"><data key=\"k\">12x</data></node></graph>" END,
     NULL, "1:146 \"12x\" is not an integer; expected a whole number such as 2015 (key \"k\", \"id\")"},
    {"a date that is not one", GML "<key id=\"d\" attr.temporal=\"date\"/><graph><node id=\"a\">"
     "<data key=\"d\">2018-13-01</data></node></graph>" END,
     NULL, "1:124 '2018-13-01' is not a date (like 2015-07-21, 20150721, 2015-W30-2, 2015-202 or "
           "2015) (key \"d\", \"d\")"},
    {"an unknown attr.temporal", GML "<key id=\"d\" attr.temporal=\"era\"/>" END, NULL,
     "1:83 key \"d\" has attr.temporal \"era\"; expected date, localtime, time, localdatetime, "
     "datetime or duration on a string key"},
    {"trailing content", GML "<graph/>" END "\n<x/>", NULL,
     "2:1 not well-formed XML: <x> after the root element; expected one root element and "
     "nothing after it but comments"},
    {"end tag that does not match", GML "\n<graph>\n<node id=\"a\"></edge>\n</graph>" END, NULL,
     "3:14 not well-formed XML: </edge> does not close <node> (line 3); expected </node>"},
    {"an attribute given twice", GML "<graph><node id=\"a\" id=\"b\"/></graph>" END, NULL,
     "1:76 not well-formed XML: the attribute id is given twice in <node>; expected each "
     "attribute once"},
    {"an attribute not quoted", GML "<graph><node id=a/></graph>" END, NULL,
     "1:72 not well-formed XML: the value of the attribute id is not quoted; expected "
     "id=\"...\""},
    {"a control character in a value", GML "<key id=\"k\"/><graph><node id=\"a\"><data "
     "key=\"k\">a\x02</data></node></graph>" END,
     NULL, "1:104 not well-formed XML: control character U+0002 in the text; XML allows none but "
           "tab, line feed and carriage return"},
    {"a lone ']]>' in a value", GML "<key id=\"k\"/><graph><node id=\"a\"><data key=\"k\">x]]>"
     "</data></node></graph>" END,
     NULL, "1:104 not well-formed XML: ']]>' in text; expected ']]&gt;' (it ends a CDATA "
           "section, and none is open)"},
    {"values decoded: references, CDATA, comments, line ends",
     GML "<key id=\"k\" attr.name=\"s\"/><key id=\"l\" for=\"node\" attr.name=\"label\"/><graph>"
     "<node id=\"a&amp;b\" labels=\":A&#x3a;B\"><data key=\"k\">1&lt;2<!-- c --><![CDATA[ & "
     "]]>\r\n3</data><data key=\"l\">&#x4E2D;</data></node></graph>" END,
     "a&b:A:B{ label=\"\xe4\xb8\xad\" s=\"1<2 & \n3\"}", NULL},
    {"GraphML in a prefix of its own, yEd's labels in theirs",
     "<g:graphml xmlns:g=\"http://graphml.graphdrawing.org/xmlns\" "
     "xmlns:y=\"http://www.yworks.com/xml/graphml\"><g:key id=\"d\" yfiles.type=\"nodegraphics\"/>"
     "<g:graph><g:node id=\"n\"><g:data key=\"d\"><y:ShapeNode><y:NodeLabel>  Z  "
     "<y:LabelModel/></y:NodeLabel></y:ShapeNode></g:data></g:node><x:node id=\"m\" "
     "xmlns:x=\"other\"/></g:graph></g:graphml>",
     "n:Entity{ label=\"Z\"}", NULL},
    {"duplicate relation id", GML "<key id=\"i\" for=\"edge\" attr.name=\"id\"/><graph><node id=\"a\"/>"
     "<edge source=\"a\" target=\"a\"><data key=\"i\">r</data></edge>\n<edge source=\"a\" target=\"a\">"
     "<data key=\"i\">r</data></edge></graph>" END,
     NULL, "2:43 duplicate relation id \"r\" (first defined at line 1)"},
};

/* Reads text as GraphML into a new graph; returns the status, the graph in
 * *out (owned) and the error in *err. */
static tg_status read_text(const char *text, size_t max_record, tg_graph **out, tg_error *err)
{
    const char *path = tg_test_write_file("case.graphml", text, strlen(text));
    tg_graph *g = tg_graph_new();
    tg_importer *imp = NULL;
    tg_read_options o;
    tg_status st;

    tg_error_clear(err);
    memset(&o, 0, sizeof o);
    o.format = "graphml";
    o.max_record = max_record;
    st = tg_importer_new(g, &imp, err);
    if (st == TG_OK)
        st = tg_format_read(imp, path, &o, NULL, err);
    tg_importer_free(imp);
    *out = g;
    return st;
}

static void t_read_cases(void)
{
    size_t i;

    for (i = 0; i < sizeof read_cases / sizeof read_cases[0]; i++) {
        const read_case *c = &read_cases[i];
        tg_graph *g;
        tg_error err;
        tg_status st = read_text(c->text, 0, &g, &err);
        char got[700];
        tg_test_current = c->name;
        if (c->want) {
            TG_CHECK_INT(st, TG_OK);
            if (st != TG_OK)
                fprintf(stderr, "  %ld:%ld %s\n", err.line, err.column, err.message);
            else
                TG_CHECK_STR(dump(g), c->want);
        } else {
            TG_CHECK_INT(st, TG_EDATA);
            snprintf(got, sizeof got, "%ld:%ld %s", err.line, err.column, err.message);
            TG_CHECK_STR(got, c->err);
        }
        tg_graph_free(g);
    }
}

static void t_value_bound(void)
{
    tg_graph *g;
    tg_error err;
    char text[400];

    snprintf(text, sizeof text,
             GML "<key id=\"k\"/><graph><node id=\"a\"><data key=\"k\">%0100d</data></node>"
                 "</graph>" END,
             0);
    TG_CHECK_INT(read_text(text, 64, &g, &err), TG_EDATA);
    TG_CHECK(strstr(err.message, "a value longer than 64 bytes") != NULL);
    TG_CHECK_INT(err.line, 1);
    TG_CHECK_INT(err.column, 103);
    tg_graph_free(g);
    TG_CHECK_INT(read_text(text, 100, &g, &err), TG_OK);
    tg_graph_free(g);
}

/* A document longer than the reader's chunks, one element a line: the
 * positions stay exact across chunk boundaries. */
static void t_positions_across_chunks(void)
{
    size_t cap = 2u << 20, n = 0, i;
    char *text = malloc(cap);
    tg_graph *g;
    tg_error err;

    if (!text)
        return;
    n += (size_t)snprintf(text + n, cap - n, GML "\n<graph>\n");
    for (i = 0; i < 40000; i++)
        n += (size_t)snprintf(text + n, cap - n, "  <node id=\"n%zu\"/> <!-- %zu -->\n", i, i);
    n += (size_t)snprintf(text + n, cap - n, "    <edge source=\"n1\"\n       target=\"gone\"/>\n"
                                             "</graph>" END);
    TG_CHECK_INT(read_text(text, 0, &g, &err), TG_EDATA);
    TG_CHECK_INT(err.line, 40004);
    TG_CHECK_INT(err.column, 16);
    TG_CHECK(strstr(err.message, "unknown entity \"gone\"") != NULL);
    tg_graph_free(g);
    free(text);
}

/* ---- writing ------------------------------------------------------------------- */

/* Writes g as name to a scratch file and returns its text (owned). */
static char *write_text(const tg_graph *g, const char *name, const tg_selection *sel)
{
    const tg_format *f = tg_format_find(name);
    const char *path = tg_test_path(name);
    tg_write_options o;
    tg_error err;
    FILE *fp;
    char *buf;
    long len;

    memset(&o, 0, sizeof o);
    o.sel = sel;
    tg_error_clear(&err);
    if (!f || !f->write || f->write(g, path, &o, &err) != TG_OK) {
        fprintf(stderr, "write %s: %s\n", name, err.message);
        return NULL;
    }
    fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    buf = calloc((size_t)len + 1, 1);
    if (buf && fread(buf, 1, (size_t)len, fp) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    return buf;
}

/* GraphML out and back in; returns the graph read (owned) or NULL. */
static tg_graph *via_graphml(const tg_graph *g, const tg_selection *sel)
{
    char *text = write_text(g, "graphml", sel);
    tg_graph *back = NULL;
    tg_error err;

    if (!text)
        return NULL;
    if (read_text(text, 0, &back, &err) != TG_OK) {
        fprintf(stderr, "read back: %ld:%ld %s\n", err.line, err.column, err.message);
        tg_graph_free(back);
        back = NULL;
    }
    free(text);
    return back;
}

static void set_str(tg_graph *g, tg_side side, uint32_t item, const char *key, const char *s,
                    size_t len)
{
    tg_pval v;

    memset(&v, 0, sizeof v);
    v.type = TG_V_STRING;
    v.u.s = tg_graph_intern(g, s, len);
    tg_graph_set_prop(g, side, item, S(g, key), &v, NULL);
}

static void t_round_trip_edges(void)
{
    tg_graph *g = tg_graph_new(), *back;
    tg_ent a, b;
    tg_rel r;
    tg_pval v;

    /* the null graph */
    back = via_graphml(g, NULL);
    TG_CHECK(back && tg_graph_equal(g, back));
    tg_graph_free(back);
    /* one node */
    tg_graph_add_entity(g, "solo", 4, &a, NULL);
    tg_graph_add_label(g, a, S(g, "Person"), NULL);
    back = via_graphml(g, NULL);
    TG_CHECK(back && tg_graph_equal(g, back));
    tg_graph_free(back);
    /* a subnormal float, the largest, -0.0, an int and a string under one key */
    memset(&v, 0, sizeof v);
    v.type = TG_V_FLOAT;
    v.u.f = 5e-324;
    tg_graph_set_prop(g, TG_ENTITY, a, S(g, "tiny"), &v, NULL);
    v.u.f = -0.0;
    tg_graph_set_prop(g, TG_ENTITY, a, S(g, "zero"), &v, NULL);
    tg_graph_add_entity(g, "b", 1, &b, NULL);
    tg_graph_add_label(g, b, S(g, "Person"), NULL);
    v.type = TG_V_INT;
    v.u.i = 7;
    tg_graph_set_prop(g, TG_ENTITY, b, S(g, "zero"), &v, NULL);
    set_str(g, TG_ENTITY, b, "labels", "a property named labels", 23);
    tg_graph_add_relation(g, a, b, S(g, "KNOWS"), &r, NULL);
    set_str(g, TG_RELATION, r, "label", "a property named label", 22);
    set_str(g, TG_RELATION, r, "type", "and one named type", 18);
    back = via_graphml(g, NULL);
    TG_CHECK(back && tg_graph_equal(g, back));
    tg_graph_free(back);
    /* control characters have no XML form: U+FFFD */
    set_str(g, TG_ENTITY, a, "ctl", "a\x01" "b\x7f", 4);
    back = via_graphml(g, NULL);
    TG_CHECK(back != NULL);
    if (back) {
        tg_ent e = tg_graph_find_entity(back, "solo", 4);
        const tg_pval *p = tg_graph_prop(back, TG_ENTITY, e, S(back, "ctl"));
        TG_CHECK(p && p->type == TG_V_STRING &&
                 strcmp(tg_graph_str(back, p->u.s, NULL), "a\xEF\xBF\xBD" "b\x7f") == 0);
    }
    tg_graph_free(back);
    tg_graph_free(g);
}

static void t_selection(void)
{
    tg_graph *g = tg_graph_new(), *back;
    tg_error err;
    uint64_t ents[1] = {0}, rels[1] = {0};
    tg_selection sel;

    tg_error_clear(&err);
    TG_CHECK_INT(tg_json_load_file(g, TG_SOURCE_DIR "/tests/data/graphml/rich.json", &err), TG_OK);
    /* relation 3 (mixed-1 -> mixed-2, with an id) and entity "loner" (index 5) */
    rels[0] = (uint64_t)1 << 3;
    ents[0] = (uint64_t)1 << 5;
    sel.ents = ents;
    sel.rels = rels;
    back = via_graphml(g, &sel);
    TG_CHECK(back != NULL);
    if (back) {
        TG_CHECK_INT(tg_graph_entity_count(back), 3);
        TG_CHECK_INT(tg_graph_relation_count(back), 1);
        TG_CHECK(tg_graph_find_entity(back, "loner", 5) != TG_NONE);
        TG_CHECK_INT(tg_graph_source_count(back), 0); /* no exported item cites one */
    }
    tg_graph_free(back);
    tg_graph_free(g);
}

static void t_gexf(void)
{
    tg_graph *g = tg_graph_new();
    tg_ent a, b;
    tg_rel r;
    char *text;

    text = write_text(g, "gexf", NULL);
    TG_CHECK(text && strstr(text, "<gexf xmlns=\"http://gexf.net/1.3\"") &&
             strstr(text, "<nodes>\n</nodes>\n<edges>\n</edges>"));
    free(text);
    tg_graph_add_entity(g, "a", 1, &a, NULL);
    tg_graph_add_label(g, a, S(g, "Company"), NULL);
    tg_graph_add_entity(g, "b", 1, &b, NULL);
    tg_graph_add_label(g, b, S(g, "Company"), NULL);
    set_str(g, TG_ENTITY, a, "name", "A & \"B\"", 7);
    tg_graph_add_relation(g, a, b, S(g, "OWNS"), &r, NULL);
    tg_graph_add_relation(g, a, b, S(g, "OWNS"), &r, NULL);
    set_str(g, TG_RELATION, r, "id", "0", 1); /* an id that a generated one would take */
    tg_graph_add_relation(g, b, a, S(g, "OWNS"), &r, NULL);
    text = write_text(g, "gexf", NULL);
    TG_CHECK(text != NULL);
    if (text) {
        TG_CHECK(strstr(text, "<node id=\"a\" label=\"A &amp; &quot;B&quot;\">") != NULL);
        TG_CHECK(strstr(text, "<edge id=\"r0\" source=\"a\" target=\"b\" kind=\"OWNS\" "
                              "label=\"OWNS\">") != NULL);
        TG_CHECK(strstr(text, "<edge id=\"0\" source=\"a\"") != NULL);
        TG_CHECK(strstr(text, "<edge id=\"r2\" source=\"b\"") != NULL);
        TG_CHECK(strstr(text, "defaultedgetype=\"directed\"") != NULL);
    }
    free(text);
    tg_graph_free(g);
}

/* The writers copy each entity's escaped id from a 16-byte slot when it has
 * at most 15 bytes, else from a buffer beside (ids of 14 to 16 bytes once
 * escaped, with references; one of 1000), and write a list value's text
 * once for a run of items holding the same list (the same list again
 * after another, and an empty list, in one column). The exact text, in
 * both formats. */
static void t_write_ids_and_lists(void)
{
    static const struct {
        const char *id, *graphml; /* the id, and as an attribute value */
    } ids[] = {
        {"fourteen-bytes", "fourteen-bytes"},
        {"fifteen&bytes", "fifteen&amp;bytes"}, /* 13 bytes, 17 escaped */
        {"fifteen--bytes!", "fifteen--bytes!"},
        {"a<b", "a&lt;b"},
        {"sixteen---bytes!", "sixteen---bytes!"},
        {"\"q\"\t", "&quot;q&quot;&#9;"},
    };
    enum { N = sizeof ids / sizeof ids[0] };
    tg_graph *g = tg_graph_new();
    tg_ent e[N + 1];
    char *longid = malloc(1001), *text, line[2300], lid[1010];
    tg_pval items[2], lists[2], empty;
    size_t i;

    memset(longid, 'x', 1000);
    longid[0] = '&';
    longid[1000] = '\0';
    for (i = 0; i < N; i++)
        tg_graph_add_entity(g, ids[i].id, strlen(ids[i].id), &e[i], NULL);
    tg_graph_add_entity(g, longid, 1000, &e[N], NULL);
    memset(items, 0, sizeof items);
    items[0].type = items[1].type = TG_V_STRING;
    items[0].u.s = S(g, "s-1");
    items[1].u.s = S(g, "s<2>");
    tg_graph_make_list(g, items, 1, &lists[0], NULL);
    tg_graph_make_list(g, items, 2, &lists[1], NULL);
    tg_graph_make_list(g, items, 0, &empty, NULL);
    /* relations in a ring, each with a list: 0 0 1 0 empty 1 1 */
    for (i = 0; i <= N; i++) {
        static const int which[] = {0, 0, 1, 0, 2, 1, 1};
        tg_rel r;
        tg_graph_add_relation(g, e[i], e[(i + 1) % (N + 1)], S(g, "T"), &r, NULL);
        tg_graph_set_prop(g, TG_RELATION, r, S(g, "tags"),
                          which[i] == 2 ? &empty : &lists[which[i]], NULL);
    }
    /* the long id as an attribute value */
    snprintf(lid, sizeof lid, "&amp;%s", longid + 1);
    text = write_text(g, "graphml", NULL);
    TG_CHECK(text != NULL);
    for (i = 0; text && i <= N; i++) {
        static const char *const tags[] = {"[\"s-1\"]",
                                           "[\"s-1\"]",
                                           "[\"s-1\", \"s\\u003c2\\u003e\"]",
                                           "[\"s-1\"]",
                                           "[]",
                                           "[\"s-1\", \"s\\u003c2\\u003e\"]",
                                           "[\"s-1\", \"s\\u003c2\\u003e\"]"};
        const char *from = i < N ? ids[i].graphml : lid;
        const char *to = i + 1 < N ? ids[i + 1].graphml : i + 1 == N ? lid : ids[0].graphml;
        snprintf(line, sizeof line,
                 "<edge source=\"%s\" target=\"%s\"><data key=\"label\">T</data>"
                 "<data key=\"d0\">%s</data></edge>\n",
                 from, to, tags[i]);
        TG_CHECK(strstr(text, line) != NULL);
        snprintf(line, sizeof line, "<node id=\"%s\"><data key=\"labels\"></data></node>\n", from);
        TG_CHECK(strstr(text, line) != NULL);
    }
    free(text);
    text = write_text(g, "gexf", NULL);
    TG_CHECK(text != NULL);
    if (text) {
        TG_CHECK(strstr(text,
                        "<edge id=\"0\" source=\"fourteen-bytes\" target=\"fifteen&amp;bytes\" "
                        "kind=\"T\" label=\"T\"><attvalues><attvalue for=\"0\" "
                        "value=\"[&quot;s-1&quot;]\"/></attvalues></edge>\n") != NULL);
        TG_CHECK(strstr(text, "<edge id=\"4\" source=\"sixteen---bytes!\" "
                              "target=\"&quot;q&quot;&#9;\" kind=\"T\" label=\"T\"><attvalues>"
                              "<attvalue for=\"0\" value=\"&lt;empty&gt;\"/>") != NULL);
        TG_CHECK(strstr(text,
                        "<attvalue for=\"0\" value=\"[&quot;s-1&quot;, "
                        "&quot;s&lt;2&gt;&quot;]\"/></attvalues></edge>\n<edge id=\"6\"") != NULL);
    }
    free(text);
    free(longid);
    tg_graph_free(g);
}

/* tg_graph_column, which the writers walk: rows ascending, values aligned,
 * nothing for a key no item has. */
static void t_column(void)
{
    tg_graph *g = tg_graph_new();
    tg_ent e[3];
    tg_pval v;
    const uint32_t *rows;
    const tg_pval *vals;
    int i;

    for (i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "e%d", i);
        tg_graph_add_entity(g, id, strlen(id), &e[i], NULL);
    }
    memset(&v, 0, sizeof v);
    v.type = TG_V_INT;
    v.u.i = 2;
    tg_graph_set_prop(g, TG_ENTITY, e[2], S(g, "n"), &v, NULL);
    v.u.i = 0;
    tg_graph_set_prop(g, TG_ENTITY, e[0], S(g, "n"), &v, NULL);
    TG_CHECK_INT(tg_graph_column(g, TG_ENTITY, S(g, "n"), &rows, &vals), 2);
    TG_CHECK(rows[0] == e[0] && rows[1] == e[2] && vals[0].u.i == 0 && vals[1].u.i == 2);
    TG_CHECK_INT(tg_graph_column(g, TG_ENTITY, S(g, "none"), &rows, &vals), 0);
    TG_CHECK_INT(tg_graph_column(g, TG_RELATION, S(g, "n"), &rows, &vals), 0);
    tg_graph_free(g);
}

int main(void)
{
    TG_RUN(t_column);
    TG_RUN(t_read_cases);
    TG_RUN(t_value_bound);
    TG_RUN(t_positions_across_chunks);
    TG_RUN(t_round_trip_edges);
    TG_RUN(t_selection);
    TG_RUN(t_gexf);
    TG_RUN(t_write_ids_and_lists);
    return tg_test_finish();
}
