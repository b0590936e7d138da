/* catalog.c — what SHOW FUNCTIONS / SHOW PROCEDURES say, and the names a
 * misspelt one is compared with ("did you mean").
 *
 * One line per function and per built-in procedure: its name as written in
 * the docs, its signature (for procedures it is made from their declared
 * columns) and a sentence. The function table itself stays in
 * functions.c (lower-case names, arities, bodies); a function without an
 * entry here is listed with an empty description, and a test
 * (tests/unit/test_catalog.c) checks that every function and procedure has
 * one and that docs/query-language.md names it.
 */
#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr.h"

static const tg_catalog_entry functions[] = {
    /* aggregation */
    {"count", "count(input :: ANY?) :: INTEGER", "aggregation",
     "The number of rows (count(*)) or of non-null values, DISTINCT allowed."},
    {"sum", "sum(input :: NUMBER?) :: NUMBER", "aggregation", "The sum of the numbers."},
    {"avg", "avg(input :: NUMBER?) :: FLOAT", "aggregation", "The mean of the numbers."},
    {"min", "min(input :: ANY?) :: ANY", "aggregation", "The smallest value, in openCypher's order."},
    {"max", "max(input :: ANY?) :: ANY", "aggregation", "The largest value, in openCypher's order."},
    {"collect", "collect(input :: ANY?) :: LIST", "aggregation",
     "The non-null values in a list, in the rows' order."},
    {"stDev", "stDev(input :: NUMBER?) :: FLOAT", "aggregation",
     "The standard deviation of a sample."},
    {"stDevP", "stDevP(input :: NUMBER?) :: FLOAT", "aggregation",
     "The standard deviation of a whole population."},
    {"percentileCont", "percentileCont(input :: NUMBER?, percentile :: FLOAT) :: FLOAT",
     "aggregation", "The percentile, interpolated between values."},
    {"percentileDisc", "percentileDisc(input :: NUMBER?, percentile :: FLOAT) :: NUMBER",
     "aggregation", "The percentile, the nearest value."},
    /* scalar */
    {"coalesce", "coalesce(input :: ANY?, ...) :: ANY", "scalar", "The first non-null argument."},
    {"id", "id(input :: NODE | RELATIONSHIP) :: INTEGER", "scalar",
     "The index of a node or relationship in the graph (changes when the store is compacted)."},
    {"elementId", "elementId(input :: NODE | RELATIONSHIP) :: STRING", "scalar",
     "A node's id (stable); a relationship's '~' and its index."},
    {"type", "type(input :: RELATIONSHIP) :: STRING", "scalar", "The relationship's type."},
    {"labels", "labels(input :: NODE) :: LIST<STRING>", "scalar", "The node's labels."},
    {"keys", "keys(input :: NODE | RELATIONSHIP | MAP) :: LIST<STRING>", "scalar",
     "The property keys (a node's id included) or map keys."},
    {"properties", "properties(input :: NODE | RELATIONSHIP | MAP) :: MAP", "scalar",
     "The properties as a map (a node's id included)."},
    {"startNode", "startNode(input :: RELATIONSHIP) :: NODE", "scalar",
     "The node a relationship starts at."},
    {"endNode", "endNode(input :: RELATIONSHIP) :: NODE", "scalar",
     "The node a relationship ends at."},
    {"size", "size(input :: LIST | STRING) :: INTEGER", "scalar",
     "The number of items of a list or characters of a string."},
    {"length", "length(input :: PATH) :: INTEGER", "scalar", "The number of relationships of a path."},
    {"head", "head(list :: LIST) :: ANY", "list", "The first item, null for an empty list."},
    {"last", "last(list :: LIST) :: ANY", "list", "The last item, null for an empty list."},
    {"exists", "exists(input :: ANY) :: BOOLEAN", "predicate",
     "Whether a property is set (exists(n.k)) or a pattern has a match (exists((a)-->(b)))."},
    {"toString", "toString(input :: ANY) :: STRING", "conversion",
     "The value as text; an error for a list, map or graph element."},
    {"toStringOrNull", "toStringOrNull(input :: ANY) :: STRING", "conversion",
     "toString, or null where it would fail."},
    {"toInteger", "toInteger(input :: ANY) :: INTEGER", "conversion",
     "A number, string or boolean as an integer (null if the text is not a number)."},
    {"toIntegerOrNull", "toIntegerOrNull(input :: ANY) :: INTEGER", "conversion",
     "toInteger, or null where it would fail."},
    {"toFloat", "toFloat(input :: ANY) :: FLOAT", "conversion", "A number or string as a float."},
    {"toFloatOrNull", "toFloatOrNull(input :: ANY) :: FLOAT", "conversion",
     "toFloat, or null where it would fail."},
    {"toBoolean", "toBoolean(input :: ANY) :: BOOLEAN", "conversion",
     "'true'/'false' (any case), a boolean, or an integer (0 is false) as a boolean."},
    {"toBooleanOrNull", "toBooleanOrNull(input :: ANY) :: BOOLEAN", "conversion",
     "toBoolean, or null where it would fail."},
    /* strings */
    {"toUpper", "toUpper(input :: STRING) :: STRING", "string",
     "Full Unicode upper case: 'straße' gives 'STRASSE'."},
    {"toLower", "toLower(input :: STRING) :: STRING", "string",
     "Full Unicode lower case (final sigma included)."},
    {"normalize", "normalize(input :: STRING, form = NFC) :: STRING", "string",
     "The string in Unicode normalisation form NFC, NFD, NFKC or NFKD."},
    {"trim", "trim(input :: STRING) :: STRING", "string", "Without leading and trailing spaces."},
    {"ltrim", "ltrim(input :: STRING) :: STRING", "string", "Without leading spaces."},
    {"rtrim", "rtrim(input :: STRING) :: STRING", "string", "Without trailing spaces."},
    {"replace", "replace(input :: STRING, search :: STRING, replace :: STRING) :: STRING",
     "string", "Every occurrence of search replaced."},
    {"substring", "substring(input :: STRING, start :: INTEGER, length :: INTEGER?) :: STRING",
     "string", "The characters from start (0-based), length of them or the rest."},
    {"left", "left(input :: STRING, length :: INTEGER) :: STRING", "string",
     "The first characters."},
    {"right", "right(input :: STRING, length :: INTEGER) :: STRING", "string",
     "The last characters."},
    {"split", "split(input :: STRING, delimiter :: STRING) :: LIST<STRING>", "string",
     "The parts between the delimiters."},
    {"reverse", "reverse(input :: STRING | LIST) :: STRING | LIST", "string",
     "The characters or items in reverse order."},
    /* lists and paths */
    {"tail", "tail(list :: LIST) :: LIST", "list", "All items but the first."},
    {"range", "range(start :: INTEGER, end :: INTEGER, step :: INTEGER?) :: LIST<INTEGER>",
     "list", "The integers from start to end included, by step."},
    {"nodes", "nodes(path :: PATH) :: LIST<NODE>", "list", "The nodes of a path, in order."},
    {"relationships", "relationships(path :: PATH) :: LIST<RELATIONSHIP>", "list",
     "The relationships of a path, in order."},
    /* mathematics */
    {"abs", "abs(input :: NUMBER) :: NUMBER", "math", "The absolute value."},
    {"sign", "sign(input :: NUMBER) :: INTEGER", "math", "-1, 0 or 1."},
    {"ceil", "ceil(input :: NUMBER) :: FLOAT", "math", "The smallest integer not below."},
    {"floor", "floor(input :: NUMBER) :: FLOAT", "math", "The largest integer not above."},
    {"round", "round(input :: NUMBER, precision :: INTEGER?) :: FLOAT", "math",
     "Rounded half away from zero, to precision decimals."},
    {"sqrt", "sqrt(input :: NUMBER) :: FLOAT", "math", "The square root."},
    {"exp", "exp(input :: NUMBER) :: FLOAT", "math", "e to the power of the input."},
    {"log", "log(input :: NUMBER) :: FLOAT", "math", "The natural logarithm."},
    {"log10", "log10(input :: NUMBER) :: FLOAT", "math", "The base-10 logarithm."},
    {"e", "e() :: FLOAT", "math", "Euler's number."},
    {"pi", "pi() :: FLOAT", "math", "Pi."},
    {"rand", "rand() :: FLOAT", "math", "A random number in [0, 1)."},
    {"sin", "sin(input :: NUMBER) :: FLOAT", "math", "The sine (radians)."},
    {"cos", "cos(input :: NUMBER) :: FLOAT", "math", "The cosine (radians)."},
    {"tan", "tan(input :: NUMBER) :: FLOAT", "math", "The tangent (radians)."},
    {"cot", "cot(input :: NUMBER) :: FLOAT", "math", "The cotangent (radians)."},
    {"asin", "asin(input :: NUMBER) :: FLOAT", "math", "The arcsine, in radians."},
    {"acos", "acos(input :: NUMBER) :: FLOAT", "math", "The arccosine, in radians."},
    {"atan", "atan(input :: NUMBER) :: FLOAT", "math", "The arctangent, in radians."},
    {"atan2", "atan2(y :: NUMBER, x :: NUMBER) :: FLOAT", "math",
     "The angle of the point (x, y), in radians."},
    {"degrees", "degrees(input :: NUMBER) :: FLOAT", "math", "Radians to degrees."},
    {"radians", "radians(input :: NUMBER) :: FLOAT", "math", "Degrees to radians."},
    {"haversin", "haversin(input :: NUMBER) :: FLOAT", "math", "Half the versine."},
    /* temporal */
    {"date", "date(input :: ANY?) :: DATE", "temporal",
     "A date from ISO text, a map of fields, another temporal, or today."},
    {"localtime", "localtime(input :: ANY?) :: LOCAL TIME", "temporal",
     "A time without zone from ISO text, a map, another temporal, or now."},
    {"time", "time(input :: ANY?) :: TIME", "temporal", "A time with a zone offset."},
    {"localdatetime", "localdatetime(input :: ANY?) :: LOCAL DATETIME", "temporal",
     "A date and time without zone."},
    {"datetime", "datetime(input :: ANY?) :: DATETIME", "temporal",
     "A date and time with a zone offset."},
    {"duration", "duration(input :: ANY) :: DURATION", "temporal",
     "A duration from ISO text (P1Y2M) or a map of its parts."},
};

static const tg_catalog_entry procedures[] = {
    {"db.labels", NULL, "db",
     "The labels in use."},
    {"db.relationshipTypes", NULL, "db",
     "The relationship types in use."},
    {"db.propertyKeys", NULL, "db",
     "The property keys in use, id included."},
    {"db.schema.visualization", NULL, "db",
     "The labels (with counts) and, per relationship type, the labels it joins."},
    {"db.schema.nodeTypeProperties", NULL, "db",
     "For each combination of labels, each property and the types of its values."},
    {"db.schema.relTypeProperties", NULL, "db",
     "For each relationship type, each property and the types of its values."},
    {"dbms.procedures", NULL, "dbms",
     "Every procedure (SHOW PROCEDURES)."},
    {"dbms.functions", NULL, "dbms",
     "Every function (SHOW FUNCTIONS)."},
    {"algo.degree", NULL, "algo",
     "Degree, or the sum of a weight (strength)."},
    {"algo.pageRank", NULL, "algo",
     "PageRank (PRPACK), personalised with sourceNodes."},
    {"algo.betweenness", NULL, "algo",
     "Betweenness centrality, exact or sampled."},
    {"algo.closeness", NULL, "algo",
     "Closeness centrality."},
    {"algo.harmonic", NULL, "algo",
     "Harmonic centrality."},
    {"algo.eigenvector", NULL, "algo",
     "Eigenvector centrality."},
    {"algo.wcc", NULL, "algo",
     "Weakly connected components."},
    {"algo.scc", NULL, "algo",
     "Strongly connected components."},
    {"algo.kcore", NULL, "algo",
     "Coreness (k-core decomposition)."},
    {"algo.articulationPoints", NULL, "algo",
     "Cut vertices."},
    {"algo.bridges", NULL, "algo",
     "Bridges."},
    {"algo.louvain", NULL, "algo",
     "Louvain communities."},
    {"algo.leiden", NULL, "algo",
     "Leiden communities."},
    {"algo.labelPropagation", NULL, "algo",
     "Communities by label propagation."},
    {"algo.modularity", NULL, "algo",
     "The modularity of a partition given by a property."},
    {"algo.shortestPath", NULL, "algo",
     "A shortest (or lightest) path between two entities."},
    {"algo.kShortestPaths", NULL, "algo",
     "The k shortest loopless paths."},
    {"algo.allSimplePaths", NULL, "algo",
     "Every simple path up to a length."},
    {"algo.neighbourhood", NULL, "algo",
     "The ego network of an entity, hops away, up to a limit."},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const tg_catalog_entry *tg_catalog_function(const char *name)
{
    for (size_t i = 0; i < COUNT(functions); i++)
        if (strcasecmp(functions[i].name, name) == 0)
            return &functions[i];
    return NULL;
}

const tg_catalog_entry *tg_catalog_procedure(const char *name)
{
    for (size_t i = 0; i < COUNT(procedures); i++)
        if (strcmp(procedures[i].name, name) == 0)
            return &procedures[i];
    return NULL;
}

size_t tg_catalog_functions(const tg_catalog_entry **out)
{
    *out = functions;
    return COUNT(functions);
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

/* The edit distance of a and b (insertions, deletions, substitutions and
 * transpositions of neighbours: 'nmae' is one edit from 'name'),
 * case-insensitive, or limit + 1 once it is above limit. O(|a| |b|), names
 * shorter than 63 bytes. */
static size_t distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b), rows[3][64];
    size_t *pp = rows[0], *prev = rows[1], *cur = rows[2];
    if (la >= 63 || lb >= 63)
        return limit + 1;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t best, *t;
        cur[0] = best = i;
        for (size_t j = 1; j <= lb; j++) {
            int ca = lower((unsigned char)a[i - 1]), cb = lower((unsigned char)b[j - 1]);
            size_t d = prev[j - 1] + (ca != cb);
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == lower((unsigned char)b[j - 2]) &&
                lower((unsigned char)a[i - 2]) == cb && pp[j - 2] + 1 < d)
                d = pp[j - 2] + 1;
            cur[j] = d;
            if (d < best)
                best = d;
        }
        if (best > limit)
            return limit + 1;
        t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

const char *tg_catalog_nearest(const char *name, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t limit = strlen(name) <= 4 ? 1 : strlen(name) <= 8 ? 2 : 3, bestd = limit + 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(name, candidates[i], limit);
        if (d < bestd) {
            bestd = d;
            best = candidates[i];
        }
    }
    return best;
}

const char *tg_catalog_hint(const char *near, char *buf, size_t size)
{
    if (near)
        snprintf(buf, size, " (did you mean %s?)", near);
    else if (size)
        buf[0] = 0;
    return buf;
}

const char *tg_catalog_nearest_function(const char *name)
{
    const char *names[COUNT(functions)];
    for (size_t i = 0; i < COUNT(functions); i++)
        names[i] = functions[i].name;
    return tg_catalog_nearest(name, names, COUNT(functions));
}
