/* test_parser.c — the query front end: lexer, parser, AST dump, script splitter.
 *
 * Tables of statements with their expected S-expression dump (precedence,
 * sugar removal), statements that must fail with their line and column,
 * script-splitting cases, and a sweep over every query of the openCypher
 * TCK (tests/tck/features): each query of a scenario that does not
 * expect a compile-time SyntaxError must parse.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "lexer.h"
#include "parser.h"
#include "script.h"
#include "tg_test.h"

/* Parses text and returns its dump (malloc'd), or NULL with *err set. */
static char *dump_of(const char *text, tg_error *err)
{
    tg_arena *a = tg_arena_new();
    tg_ast_statement *st = NULL;
    char *buf = NULL;
    size_t size = 0;
    if (a == NULL)
        return NULL;
    if (tg_parse_statement(text, strlen(text), a, &st, err) == TG_OK) {
        FILE *f = open_memstream(&buf, &size);
        if (f != NULL) {
            tg_ast_dump(st, f);
            fclose(f);
        }
    }
    tg_arena_free(a);
    return buf;
}

static char *dump_expr_of(const char *text, tg_error *err)
{
    tg_arena *a = tg_arena_new();
    tg_ast_expr *e = NULL;
    char *buf = NULL;
    size_t size = 0;
    if (a == NULL)
        return NULL;
    if (tg_parse_expression(text, strlen(text), a, &e, err) == TG_OK) {
        FILE *f = open_memstream(&buf, &size);
        if (f != NULL) {
            tg_ast_dump_expr(e, f);
            fclose(f);
        }
    }
    tg_arena_free(a);
    return buf;
}

/* ---- expressions: precedence and literals ------------------------------ */

static const struct {
    const char *text;
    const char *dump;
} expr_cases[] = {
    {"1 + 2 * 3", "(+ 1 (* 2 3))"},
    {"(1 + 2) * 3", "(* (+ 1 2) 3)"},
    {"1 - 2 - 3", "(- (- 1 2) 3)"},
    {"2 ^ 3 ^ 2", "(^ (^ 2 3) 2)"},
    {"-2 ^ 2", "(^ -2 2)"},
    {"-x ^ 2", "(^ (neg x) 2)"},
    {"- - 1", "(neg -1)"},
    {"+x", "(pos x)"},
    {"a OR b XOR c AND NOT d", "(or a (xor b (and c (not d))))"},
    {"NOT a = b", "(not (= a b))"},
    {"NOT NOT a", "(not (not a))"},
    {"a < b <= c", "(and (< a b) (<= b c))"},
    {"a = b <> c > d", "(and (and (= a b) (<> b c)) (> c d))"},
    {"a >= 1 AND b <> 2", "(and (>= a 1) (<> b 2))"},
    {"x IS NULL OR y IS NOT NULL", "(or (is-null x) (is-not-null y))"},
    {"n.name STARTS WITH 'A' AND n.name ENDS WITH 'z' OR n.name CONTAINS 'q'",
     "(or (and (starts-with (. n name) 'A') (ends-with (. n name) 'z')) (contains (. n name) 'q'))"},
    {"x =~ 'a.*'", "(=~ x 'a.*')"},
    {"1 + 2 IN [3, 4]", "(in (+ 1 2) (list 3 4))"},
    {"x IN list = true", "(= (in x list) true)"},
    {"a.b.c[0]", "([] (. (. a b) c) 0)"},
    {"a[1..2]", "([..] a 1 2)"},
    {"a[..2]", "([..] a nil 2)"},
    {"a[1..]", "([..] a 1 nil)"},
    {"a[$i]['k']", "([] ([] a $i) 'k')"},
    {"n:A:B", "(labels n (A B))"},
    {"count(*)", "(call count *)"},
    {"count(DISTINCT x.y)", "(call count distinct (. x y))"},
    {"db.labels()", "(call db.labels)"},
    {"toUpper('a', 1)", "(call toUpper 'a' 1)"},
    {"CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' ELSE 'c' END",
     "(case x (when 1 'a') (when 2 'b') 'c')"},
    {"CASE WHEN a THEN 1 END", "(case nil (when a 1) nil)"},
    {"[1, 'a', null, true, false]", "(list 1 'a' null true false)"},
    {"[]", "(list)"},
    {"{a: 1, `b c`: [2], end: 3}", "(map (a 1) (b c (list 2)) (end 3))"},
    {"{}", "(map)"},
    {"[x IN list WHERE x > 1 | x * 2]", "(list-comp x list (> x 1) (* x 2))"},
    {"[x IN list | x]", "(list-comp x list nil x)"},
    {"[x IN list]", "(list-comp x list nil nil)"},
    {"[(a)-->(b) WHERE b.x | b.name]",
     "(pattern-comp (path (node a ()) (rel -> _ ()) (node b ())) (. b x) (. b name))"},
    {"[p = (a)-[:T*]->() | p]",
     "(pattern-comp (path p = (node a ()) (rel -> _ (T) *..) (node _ ())) nil p)"},
    {"all(x IN l WHERE x > 0)", "(all x l (> x 0))"},
    {"none(x IN l WHERE x)", "(none x l x)"},
    {"single(x IN l WHERE x)", "(single x l x)"},
    {"any(x IN l WHERE x)", "(any x l x)"},
    {"reduce(acc = 0, x IN [1,2] | acc + x)", "(reduce acc 0 x (list 1 2) (+ acc x))"},
    {"n{.name, .age, k: 1 + 1, v, .*}", "(map-proj n .name .age (k (+ 1 1)) (var v) .*)"},
    {"$name + $0", "(+ $name $0)"},
    {"0x1F + 0o17 + 017", "(+ (+ 31 15) 17)"},
    {"-9223372036854775808", "-9223372036854775808"},
    {"-0x8000000000000000", "-9223372036854775808"},
    {"9223372036854775807", "9223372036854775807"},
    {"1.5 + .5 + 1e3 + 1.5E-3", "(+ (+ (+ 1.5f 0.5f) 1000f) 0.0015f)"},
    {"'a\\'b' + \"c\\\"d\" + '\\n\\t\\\\'", "(+ (+ 'a\\'b' 'c\"d') '\\n\\t\\\\')"},
    {"'\\u00e9\\U0001F600'", "'\xc3\xa9\xf0\x9f\x98\x80'"},
    {"Infinity + NaN", "(+ Infinity NaN)"},
    {"`a b` + `x``y`", "(+ a b x`y)"},
    {"exists(n.prop)", "(call exists (. n prop))"},
    {"exists((a)-->())", "(call exists (pattern (path (node a ()) (rel -> _ ()) (node _ ()))))"},
    {"1 /* c */ + // c\n 2", "(+ 1 2)"},
    {"n.count + n.end", "(+ (. n count) (. n end))"},
    {"a % b / c * d", "(* (/ (% a b) c) d)"},
    {"(a)", "a"},
    {"x.y IS NULL = false", "(= (is-null (. x y)) false)"},
};

static void t_expressions(void)
{
    for (size_t i = 0; i < sizeof expr_cases / sizeof expr_cases[0]; i++) {
        tg_error err;
        char *d = dump_expr_of(expr_cases[i].text, &err);
        if (d == NULL)
            fprintf(stderr, "  parsing %s: %ld:%ld %s\n", expr_cases[i].text, err.line,
                    err.column, err.message);
        TG_CHECK_STR(d, expr_cases[i].dump);
        free(d);
    }
}

/* ---- statements --------------------------------------------------------- */

static const struct {
    const char *text;
    const char *dump;
} stmt_cases[] = {
    {"MATCH (n) RETURN n", "(query (match (pattern (path (node n ()))) nil) (return (item n nil)))"},
    {"match (n:A:B {k: 1, j: 'x'}) where n.k > 0 return n.k AS k, n",
     "(query (match (pattern (path (node n (A B) (map (k 1) (j 'x'))))) (> (. n k) 0)) "
     "(return (item (. n k) k) (item n nil)))"},
    {"OPTIONAL MATCH (a)-[r:T1|T2|:T3 *1..4 {w: 2}]->(b)<-[:U]-(c)-[]-(d)<-->(e) RETURN *",
     "(query (optional-match (pattern (path (node a ()) (rel -> r (T1 T2 T3) *1..4 (map (w 2))) "
     "(node b ()) (rel <- _ (U)) (node c ()) (rel -- _ ()) (node d ()) (rel -- _ ()) (node e ())))"
     " nil) (return *))"},
    {"MATCH ()-[*]->(), ()-[*2]-(), ()-[*..3]-(), ()-[*2..]-() RETURN 1",
     "(query (match (pattern (path (node _ ()) (rel -> _ () *..) (node _ ())) (path (node _ ()) "
     "(rel -- _ () *2..2) (node _ ())) (path (node _ ()) (rel -- _ () *..3) (node _ ())) "
     "(path (node _ ()) (rel -- _ () *2..) (node _ ()))) nil) (return (item 1 nil)))"},
    {"MATCH p = shortestPath((a)-[:T*]-(b)), q = allShortestPaths((a)-->(b)) RETURN p",
     "(query (match (pattern (shortest p = (node a ()) (rel -- _ (T) *..) (node b ())) "
     "(all-shortest q = (node a ()) (rel -> _ ()) (node b ()))) nil) (return (item p nil)))"},
    {"MATCH (n $props) RETURN n",
     "(query (match (pattern (path (node n () $props))) nil) (return (item n nil)))"},
    {"MATCH (a) WHERE (a)-[:T]->() AND NOT (a)<--(:B) RETURN a",
     "(query (match (pattern (path (node a ()))) (and (pattern (path (node a ()) (rel -> _ (T)) "
     "(node _ ()))) (not (pattern (path (node a ()) (rel <- _ ()) (node _ (B))))))) "
     "(return (item a nil)))"},
    {"WITH DISTINCT a, b AS c ORDER BY a DESC, c ASCENDING SKIP 1 LIMIT 2 WHERE a > 1 RETURN a",
     "(query (with distinct (item a nil) (item b c) (order a desc c asc) (skip 1) (limit 2) "
     "(where (> a 1))) (return (item a nil)))"},
    {"WITH * RETURN DISTINCT *, 1 AS one ORDER BY one DESCENDING",
     "(query (with *) (return distinct * (item 1 one) (order one desc)))"},
    {"UNWIND [1, 2] AS x RETURN x",
     "(query (unwind (list 1 2) x) (return (item x nil)))"},
    {"CREATE (a:A {p: 1})-[:T {w: 1}]->(b), (c) RETURN a",
     "(query (create (pattern (path (node a (A) (map (p 1))) (rel -> _ (T) (map (w 1))) "
     "(node b ())) (path (node c ())))) (return (item a nil)))"},
    {"CALL db.labels() YIELD label AS l, x WHERE l <> 'A' RETURN l",
     "(query (call-proc db.labels (args) (yield label:l x) (where (<> l 'A'))) (return (item l nil)))"},
    {"CALL test.my.proc", "(query (call-proc test.my.proc))"},
    {"CALL test.my.proc('a', 1) YIELD *",
     "(query (call-proc test.my.proc (args 'a' 1) (yield *)))"},
    {"RETURN 1 AS x UNION RETURN 2 AS x UNION RETURN 3 AS x;",
     "(query (return (item 1 x))) union (query (return (item 2 x))) union (query (return (item 3 x)))"},
    {"RETURN 1 AS x UNION ALL RETURN 2 AS x UNION ALL RETURN 3 AS x;",
     "(query (return (item 1 x))) union-all (query (return (item 2 x))) union-all (query (return (item 3 x)))"},
    {"MATCH (n) WHERE EXISTS { (n)-->(m) WHERE m.x = 1 } RETURN COUNT { MATCH (n)--() }",
     "(query (match (pattern (path (node n ()))) (exists-subquery (query (match (pattern (path (node n ()) (rel -> _ ()) (node m ()))) (= (. m x) 1))))) (return (item (count-subquery (query (match (pattern (path (node n ()) (rel -- _ ()) (node _ ()))) nil))) nil)))"},
    {"UNWIND [1] AS i CALL (i) { RETURN i AS j UNION RETURN 2 AS j } OPTIONAL CALL { RETURN 1 AS k } RETURN j, k",
     "(query (unwind (list 1) i) (call-subquery (scope i) (query (return (item i j))) union (query (return (item 2 j)))) (optional-call-subquery (query (return (item 1 k)))) (return (item j nil) (item k nil)))"},
    {"EXPLAIN MATCH (n) RETURN n", "explain (query (match (pattern (path (node n ()))) nil) (return (item n nil)))"},
    {"MERGE (a:A {k: 1}) ON CREATE SET a.x = 1 ON MATCH SET a += {y: 2}, a:B",
     "(query (merge (path (node a (A) (map (k 1)))) (on-create (= (. a x) 1)) "
     "(on-match (+= a (map (y 2))) (labels a (B)))))"},
    {"MATCH (n) SET n.a.b = 1, n = {} REMOVE n.c, n:L DETACH DELETE n",
     "(query (match (pattern (path (node n ()))) nil) (set (= (. (. n a) b) 1) (= n (map))) "
     "(remove (. n c) n (L)) (detach-delete n))"},
    {"MATCH (n:A WHERE n.x > 1)-[r:T WHERE r.w = 2]->(m) FOREACH (i IN [1] | SET m.i = i) RETURN n",
     "(query (match (pattern (path (node n (A) (where (> (. n x) 1))) (rel -> r (T) (where (= "
     "(. r w) 2))) (node m ()))) nil) (call-subquery (scope *) (query (unwind (list 1) i) (set "
     "(= (. m i) i)))) (return (item n nil)))"},
    {"match (n) return n.name as `the name`, count(*)",
     "(query (match (pattern (path (node n ()))) nil) (return (item (. n name) the name) "
     "(item (call count *) nil)))"},
    {"MATCH (a) RETURN a // trailing comment\n", "(query (match (pattern (path (node a ()))) nil) "
                                                   "(return (item a nil)))"},
};

static void t_statements(void)
{
    for (size_t i = 0; i < sizeof stmt_cases / sizeof stmt_cases[0]; i++) {
        tg_error err;
        char *d = dump_of(stmt_cases[i].text, &err);
        if (d == NULL)
            fprintf(stderr, "  parsing %s: %ld:%ld %s\n", stmt_cases[i].text, err.line,
                    err.column, err.message);
        TG_CHECK_STR(d, stmt_cases[i].dump);
        free(d);
    }
}

/* Queries of the kind DESIGN.md's users write, and keyword case: they parse. */
static const char *const analyst_queries[] = {
    "CALL algo.pageRank({labels: ['Company','Government'], types: ['FINANCES','CONTRACTS'], "
    "weight: 'amount'}) YIELD node, score RETURN node.name, score ORDER BY score DESC LIMIT 10",
    "MATCH p = shortestPath((u:University)-[*..6]-(b {id: 'xj-psb'}))\n"
    "WHERE none(n IN nodes(p) WHERE n:Country) RETURN p",
    "MATCH (e:Lender {id: 'exim'})-[f:FINANCES]->(g:Government)-[:CONTRACTS {role: 'prime'}]->"
    "(c:Company) WITH g, c, sum(f.amount) AS total WHERE total > 1e6 "
    "RETURN g.name AS government, c.name, total ORDER BY total DESC, g.name",
    "match (n:Company) where n.country in $countries and not (n)<-[:OWNS]-() "
    "return distinct n{.name, .country, owners: [(n)<-[:OWNS]-(o) | o.name]} "
    "order by n.name ascending skip 0 limit 5",
    "UNWIND $rows AS row MATCH (a {id: row.from}), (b {id: row.to}) "
    "CREATE (a)-[:FINANCES {amount: row.amount, year: toInteger(row.year)}]->(b)",
    "MATCH (p:Project) RETURN p.category, count(*) AS n, collect(DISTINCT p.country)[..3] AS cs",
};

static void t_analyst_queries(void)
{
    for (size_t i = 0; i < sizeof analyst_queries / sizeof analyst_queries[0]; i++) {
        tg_error err;
        char *d = dump_of(analyst_queries[i], &err);
        TG_CHECK(d != NULL);
        if (d == NULL)
            fprintf(stderr, "  %s -> %ld:%ld %s\n", analyst_queries[i], err.line, err.column,
                    err.message);
        free(d);
    }
    /* Parameter values (tg_params_set_text) go through tg_parse_expression. */
    static const struct {
        const char *text;
        const char *dump; /* NULL: must not parse */
    } params[] = {
        {"42", "42"},         {"-1.5", "-1.5f"},      {"'x'", "'x'"},
        {"[1, 2]", "(list 1 2)"}, {"{a: 1}", "(map (a 1))"}, {"true", "true"},
        {"null", "null"},     {"hello world", NULL},  {"1 2", NULL},
        {"", NULL},           {"RETURN", NULL},       {"'unterminated", NULL},
    };
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        tg_error err;
        char *d = dump_expr_of(params[i].text, &err);
        if (params[i].dump == NULL) {
            TG_CHECK(d == NULL);
            TG_CHECK_INT(err.status, TG_ESYNTAX);
        } else {
            TG_CHECK_STR(d, params[i].dump);
        }
        free(d);
    }
}

/* Column names come from the source text; positions are exact. */
static void t_positions(void)
{
    const char *q = "MATCH (n)\nRETURN  n.name ,\n  count( * )  AS c";
    tg_arena *a = tg_arena_new();
    tg_ast_statement *st = NULL;
    tg_error err;
    TG_CHECK_INT(tg_parse_statement(q, strlen(q), a, &st, &err), TG_OK);
    if (st != NULL) {
        const tg_ast_clause *m = st->parts[0]->clauses[0];
        const tg_ast_clause *r = st->parts[0]->clauses[1];
        TG_CHECK_INT(m->pos.line, 1);
        TG_CHECK_INT(m->u.match.pattern->paths[0]->nodes[0].pos.column, 7);
        TG_CHECK_INT(r->pos.line, 2);
        TG_CHECK_INT(r->pos.column, 1);
        TG_CHECK_INT(r->u.projection.n_items, 2);
        TG_CHECK_STR(r->u.projection.items[0].text, "n.name");
        TG_CHECK_STR(r->u.projection.items[1].text, "count( * )");
        TG_CHECK_INT(r->u.projection.items[1].pos.line, 3);
        TG_CHECK_INT(r->u.projection.items[1].pos.column, 3);
        TG_CHECK_INT(r->u.projection.items[0].expr->pos.column, 9);
        TG_CHECK_INT(r->u.projection.items[0].expr->end, 24);
    }
    q = "RETURN (1 + 2) ,[x IN l|x]AS y";
    TG_CHECK_INT(tg_parse_statement(q, strlen(q), a, &st, &err), TG_OK);
    if (st != NULL) {
        const tg_ast_clause *r = st->parts[0]->clauses[0];
        TG_CHECK_STR(r->u.projection.items[0].text, "(1 + 2)");
        TG_CHECK_STR(r->u.projection.items[1].text, "[x IN l|x]");
        TG_CHECK_STR(r->u.projection.items[1].alias, "y");
    }
    tg_arena_free(a);
}

/* ---- errors ------------------------------------------------------------- */

static const struct {
    const char *text;
    long line, column;
    const char *message_part;
} error_cases[] = {
    {"RETRUN 1", 1, 1, "unexpected 'RETRUN'; expected a clause such as MATCH"},
    {"MATCH (n:A RETURN n", 1, 12, "expected ')' to close the node pattern opened at 1:7"},
    {"RETURN [1, 2", 1, 13, "']' to close the list opened at 1:8"},
    {"RETURN {k: {k: {}} AS literal", 1, 20, "'}' to close the map opened at 1:8"},
    {"RETURN [[[]] AS literal", 1, 14, "']'"},
    {"RETURN [, ] AS literal", 1, 9, "expected an expression"},
    {"RETURN {, } AS literal", 1, 9, "property key"},
    {"RETURN {1} AS literal", 1, 9, "property key"},
    {"RETURN {[]} AS literal", 1, 9, "property key"},
    {"RETURN {k1.k: 1} AS literal", 1, 11, "':' after the map key"},
    {"RETURN {k1#k: 1} AS literal", 1, 11, "invalid character '#'"},
    {"RETURN {1B2c3e67:1} AS literal", 1, 9, "invalid number literal"},
    {"RETURN 9223372036854775808 AS literal", 1, 8, "too large"},
    {"RETURN -9223372036854775809 AS literal", 1, 9, "too large"},
    {"RETURN 0x8000000000000000", 1, 8, "too large"},
    {"RETURN -0o1000000000000000000001", 1, 9, "too large"},
    {"RETURN 9223372h54775808", 1, 8, "invalid number literal"},
    {"RETURN 0x", 1, 8, "invalid hexadecimal"},
    {"RETURN 0x1A2b3j4D5E6f7", 1, 8, "invalid hexadecimal"},
    {"RETURN 0o18", 1, 8, "invalid octal"},
    {"RETURN 1.34E999", 1, 8, "too large for a 64-bit float"},
    {"RETURN '\\uH'", 1, 9, "invalid Unicode escape"},
    {"RETURN 'a\\qb'", 1, 10, "invalid escape sequence"},
    {"RETURN 42 \xe2\x80\x94 41", 1, 11, "invalid character U+2014"},
    {"RETURN 'abc", 1, 8, "unterminated string"},
    {"RETURN `abc", 1, 8, "unterminated name"},
    {"RETURN 1 /* x", 1, 10, "unterminated comment"},
    {"MATCH (n) RETURN (n)-[]->()", 1, 18, "only be used as a predicate in WHERE"},
    {"MATCH (n) WITH (n)-[]->() AS x RETURN x", 1, 16, "predicate in WHERE"},
    {"MATCH (a) RETURN size(()--())", 1, 23, "predicate in WHERE"},
    {"MATCH (a)-[:LIKES..]->(c) RETURN c", 1, 18, "unexpected '..' in the relationship pattern"},
    {"MATCH (a)-[:LIKES*-2]->(c) RETURN c", 1, 19, "hop count"},
    {"CALL test.my.proc('Stefan', 1) YIELD *\nRETURN city", 1, 1, "YIELD *"},
    {"MATCH (n)", 1, 1, "cannot end with MATCH"},
    {"MATCH (n) RETURN n MATCH (m) RETURN m", 1, 20, "RETURN must be the last clause"},
    {"MATCH (n)\n  RETURN n,\n  ", 3, 3, "expected an expression"},
    {"RETURN n LIMT 5", 1, 10, "unexpected 'LIMT'; expected an operator, ORDER BY"},
    {"MATCH (n) WHERE n.x = 1 foo", 1, 25, "unexpected 'foo'; expected a clause"},
    {"RETURN", 1, 7, "an expression or '*' after RETURN"},
    {"RETURN 1 AS", 1, 12, "a name after AS"},
    {"MATCH (a)-(b) RETURN a", 1, 11, "continue the relationship pattern"},
    {"RETURN CASE WHEN 1 THEN 2", 1, 26, "END to close the CASE opened at 1:8"},
    {"RETURN x IS 1", 1, 13, "NULL or NOT NULL after IS"},
    {"RETURN 1; RETURN 2", 1, 11, "expected the end of the statement"},
    {"OPTIONAL RETURN 1", 1, 10, "MATCH or CALL after OPTIONAL"},
    {"RETURN a.", 1, 10, "property key"},
    {"RETURN $", 1, 8, "parameter name"},
    {"MATCH (n) WHERE n.x = 1 UNION", 1, 1, "cannot end with MATCH"},
    {"RETURN count(DISTINCT)", 1, 13, "DISTINCT needs an argument"},
    {"RETURN 1 AS a ORDER a", 1, 21, "expected BY"},
    {"", 1, 1, "expected a clause"},
    {"RETURN \x01", 1, 8, "invalid control character"},
    {"RETURN 'x' AS \xff", 1, 15, "invalid UTF-8"},
};

static void t_errors(void)
{
    for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
        tg_error err;
        char *d = dump_of(error_cases[i].text, &err);
        TG_CHECK(d == NULL);
        if (d != NULL) {
            fprintf(stderr, "  unexpectedly parsed: %s -> %s\n", error_cases[i].text, d);
            free(d);
            continue;
        }
        TG_CHECK_INT(err.status, TG_ESYNTAX);
        TG_CHECK_INT(err.line, error_cases[i].line);
        TG_CHECK_INT(err.column, error_cases[i].column);
        TG_CHECK(strstr(err.message, error_cases[i].message_part) != NULL);
        if (err.line != error_cases[i].line || err.column != error_cases[i].column ||
            strstr(err.message, error_cases[i].message_part) == NULL)
            fprintf(stderr, "  %s -> %ld:%ld %s\n", error_cases[i].text, err.line, err.column,
                    err.message);
    }
}

/* Deep nesting fails cleanly instead of exhausting the stack. */
static void t_depth(void)
{
    size_t n = 100000;
    char *q = malloc(5 * n + 16);
    TG_CHECK(q != NULL);
    if (q == NULL)
        return;
    for (int kind = 0; kind < 4; kind++) {
        static const char open[] = "([-N";
        size_t k = 0;
        k += (size_t)sprintf(q, "RETURN ");
        for (size_t i = 0; i < n; i++) {
            if (open[kind] == 'N') {
                memcpy(q + k, "NOT ", 4);
                k += 4;
                if (i > n / 4)
                    break;
            } else {
                q[k++] = open[kind];
            }
        }
        q[k++] = '1';
        q[k] = '\0';
        tg_error err;
        char *d = dump_of(q, &err);
        TG_CHECK(d == NULL);
        free(d);
        TG_CHECK_INT(err.status, TG_ESYNTAX);
        TG_CHECK(strstr(err.message, "nested too deeply") != NULL);
    }
    /* Just under the limit is fine (and does not exhaust the stack under ASan). */
    size_t k = (size_t)sprintf(q, "RETURN ");
    for (int i = 0; i < TG_PARSER_MAX_DEPTH - 2; i++)
        q[k++] = '(';
    q[k++] = '1';
    for (int i = 0; i < TG_PARSER_MAX_DEPTH - 2; i++)
        q[k++] = ')';
    q[k] = '\0';
    tg_error err;
    char *d = dump_of(q, &err);
    TG_CHECK_STR(d, "(query (return (item 1 nil)))");
    free(d);
    k = (size_t)sprintf(q, "RETURN ");
    for (int i = 0; i < TG_PARSER_MAX_DEPTH - 2; i++)
        k += (size_t)sprintf(q + k, "[{a: ");
    q[k++] = '1';
    for (int i = 0; i < TG_PARSER_MAX_DEPTH - 2; i++)
        k += (size_t)sprintf(q + k, "}]");
    q[k] = '\0';
    tg_arena *a = tg_arena_new();
    tg_ast_statement *st = NULL;
    TG_CHECK_INT(tg_parse_statement(q, k, a, &st, &err), TG_ESYNTAX); /* 2 levels per [{ */
    tg_arena_free(a);
    free(q);
}

/* ---- script splitting -------------------------------------------------- */

static void t_script(void)
{
    const char *text = "// header comment\n"
                       ":param limit => 10\n"
                       "\n"
                       "MATCH (n {name: 'a;b'}) // c;\n"
                       "RETURN n /* ; */ LIMIT $limit;\n"
                       "  :render out/fig.svg layout=dot title=\"Exim \\\"loans\\\"\" cluster=country\n"
                       "RETURN \"x;\" AS `a;b`;;\n"
                       "  RETURN 2 // no semicolon\n";
    tg_script *s = NULL;
    tg_error err;
    TG_CHECK_INT(tg_script_split(text, strlen(text), &s, &err), TG_OK);
    TG_CHECK(s != NULL);
    if (s == NULL)
        return;
    TG_CHECK_INT(s->n_items, 5);
    if (s->n_items == 5) {
        TG_CHECK_INT(s->items[0].kind, TG_SCRIPT_PARAM);
        TG_CHECK_STR(s->items[0].name, "limit");
        TG_CHECK_STR(s->items[0].value, "10");
        TG_CHECK_INT(s->items[0].line, 2);
        TG_CHECK_INT(s->items[1].kind, TG_SCRIPT_STATEMENT);
        TG_CHECK_STR(s->items[1].text, "MATCH (n {name: 'a;b'}) // c;\nRETURN n /* ; */ LIMIT $limit");
        TG_CHECK_INT(s->items[1].line, 4);
        TG_CHECK_INT(s->items[1].column, 1);
        TG_CHECK_INT(s->items[2].kind, TG_SCRIPT_RENDER);
        TG_CHECK_STR(s->items[2].path, "out/fig.svg");
        TG_CHECK_INT(s->items[2].n_options, 3);
        if (s->items[2].n_options == 3) {
            TG_CHECK_STR(s->items[2].keys[0], "layout");
            TG_CHECK_STR(s->items[2].values[0], "dot");
            TG_CHECK_STR(s->items[2].keys[1], "title");
            TG_CHECK_STR(s->items[2].values[1], "Exim \"loans\"");
            TG_CHECK_STR(s->items[2].values[2], "country");
        }
        TG_CHECK_INT(s->items[2].line, 6);
        TG_CHECK_INT(s->items[2].column, 3);
        TG_CHECK_STR(s->items[3].text, "RETURN \"x;\" AS `a;b`");
        TG_CHECK_INT(s->items[3].line, 7);
        TG_CHECK_STR(s->items[4].text, "RETURN 2");
        TG_CHECK_INT(s->items[4].line, 8);
        TG_CHECK_INT(s->items[4].column, 3);
        /* Every statement piece parses. */
        for (size_t i = 0; i < s->n_items; i++) {
            if (s->items[i].kind != TG_SCRIPT_STATEMENT)
                continue;
            char *d = dump_of(s->items[i].text, &err);
            TG_CHECK(d != NULL);
            free(d);
        }
    }
    tg_script_free(s);

    /* Empty and comment-only scripts hold nothing. */
    TG_CHECK_INT(tg_script_split("  // only\n/* x */ ;\n", 20, &s, &err), TG_OK);
    TG_CHECK(s != NULL && s->n_items == 0);
    tg_script_free(s);
    tg_script_free(NULL);

    static const struct {
        const char *text;
        long line, column;
        const char *part;
    } bad[] = {
        {"RETURN 1;\n:params {a: 1}\n", 2, 1, "unknown directive ':params'"},
        {"  :foo\n", 1, 3, "unknown directive ':foo'"},
        {":param x 10\n", 1, 10, "'=>'"},
        {":param => 10\n", 1, 8, "parameter name"},
        {":render\n", 1, 8, "output path"},
        {":render a.svg title=\"x\n", 1, 21, "unterminated"},
        {":render a.svg layout\n", 1, 15, "key=value"},
        {"RETURN 'a;\nb", 1, 8, "unterminated string"},
        {"RETURN 1;\n/* x", 2, 1, "unterminated comment"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = NULL;
        TG_CHECK_INT(tg_script_split(bad[i].text, strlen(bad[i].text), &s, &err), TG_ESYNTAX);
        TG_CHECK(s == NULL);
        TG_CHECK_INT(err.line, bad[i].line);
        TG_CHECK_INT(err.column, bad[i].column);
        TG_CHECK(strstr(err.message, bad[i].part) != NULL);
        if (err.line != bad[i].line || err.column != bad[i].column ||
            strstr(err.message, bad[i].part) == NULL)
            fprintf(stderr, "  %s -> %ld:%ld %s\n", bad[i].text, err.line, err.column, err.message);
    }
}

/* ---- the arena ---------------------------------------------------------- */

static void t_arena(void)
{
    tg_arena *a = tg_arena_new();
    TG_CHECK(a != NULL);
    char *s = tg_arena_strdup(a, "hello");
    TG_CHECK_STR(s, "hello");
    void *big = tg_arena_alloc(a, 100000);
    TG_CHECK(big != NULL);
    long *l = tg_arena_alloc(a, sizeof(long));
    TG_CHECK(l != NULL && ((size_t)l % sizeof(long)) == 0 && *l == 0);
    TG_CHECK(tg_arena_calloc(a, SIZE_MAX / 2, 4) == NULL);
    TG_CHECK(tg_arena_used(a) >= 100000 + 6);
    TG_CHECK_STR(s, "hello");
    tg_arena_free(a);
    tg_arena_free(NULL);
}

/* ---- the TCK sweep ------------------------------------------------------ */

typedef struct tck_stats {
    int cases;            /* scenarios, outlines expanded per example row */
    int queries;          /* queries in cases that must parse */
    int parsed;
    int error_cases;      /* cases expecting a compile-time SyntaxError */
    int error_rejected;   /* ... whose last query the parser rejects */
    int setup_failures;   /* setup queries of error cases that do not parse */
} tck_stats;

/* Substitutes <name> placeholders of an outline with the row's values. */
static char *substitute(const char *q, char **names, char **vals, int n)
{
    size_t cap = strlen(q) + 1;
    for (int i = 0; i < n; i++)
        cap += strlen(vals[i]) * 8;
    char *out = malloc(cap + 1024);
    size_t k = 0;
    if (out == NULL)
        return NULL;
    for (const char *p = q; *p;) {
        int done = 0;
        if (*p == '<') {
            for (int i = 0; i < n; i++) {
                size_t l = strlen(names[i]);
                if (strncmp(p + 1, names[i], l) == 0 && p[1 + l] == '>') {
                    size_t vl = strlen(vals[i]);
                    memcpy(out + k, vals[i], vl);
                    k += vl;
                    p += l + 2;
                    done = 1;
                    break;
                }
            }
        }
        if (!done)
            out[k++] = *p++;
    }
    out[k] = '\0';
    return out;
}

/* Splits a table row `| a | b |` into trimmed cells (\| is a literal pipe). */
static int split_row(const char *line, char **cells, int max)
{
    int n = 0;
    const char *p = strchr(line, '|');
    if (p == NULL)
        return 0;
    p++;
    while (*p && n < max) {
        char buf[4096];
        size_t k = 0;
        while (*p && *p != '|' && k + 1 < sizeof buf) {
            if (*p == '\\' && p[1] == '|') {
                buf[k++] = '|';
                p += 2;
                continue;
            }
            buf[k++] = *p++;
        }
        if (*p != '|')
            break;
        p++;
        buf[k] = '\0';
        char *s = buf;
        while (*s == ' ')
            s++;
        size_t l = strlen(s);
        while (l > 0 && (s[l - 1] == ' ' || s[l - 1] == '\n' || s[l - 1] == '\r'))
            s[--l] = '\0';
        cells[n++] = strdup(s);
    }
    return n;
}

static int parse_ok(const char *q, tg_error *err)
{
    tg_arena *a = tg_arena_new();
    tg_ast_statement *st = NULL;
    int ok = a != NULL && tg_parse_statement(q, strlen(q), a, &st, err) == TG_OK;
    tg_arena_free(a);
    return ok;
}

static void run_case(const char *file, int line, char **queries, int nq, int expect_error,
                     char **names, char **vals, int nv, tck_stats *stats, FILE *log)
{
    stats->cases++;
    if (expect_error)
        stats->error_cases++;
    for (int i = 0; i < nq; i++) {
        char *q = nv > 0 ? substitute(queries[i], names, vals, nv) : strdup(queries[i]);
        if (q == NULL)
            continue;
        tg_error err;
        int ok = parse_ok(q, &err);
        int last = i == nq - 1;
        if (expect_error && last) {
            if (!ok)
                stats->error_rejected++;
            if (log != NULL)
                fprintf(log, "%s %s:%d: %s%s%s\n", ok ? "ERROR-LEFT-TO-BINDER" : "ERROR-REJECTED",
                        file, line, q, ok ? "" : "  => ", ok ? "" : err.message);
        } else {
            if (!expect_error)
                stats->queries++;
            if (ok) {
                if (!expect_error)
                    stats->parsed++;
            } else {
                if (expect_error)
                    stats->setup_failures++;
                fprintf(stderr, "  TCK %s:%d: does not parse: %s\n    %ld:%ld %s\n", file, line, q,
                        err.line, err.column, err.message);
            }
        }
        free(q);
    }
}

static void sweep_file(const char *path, tck_stats *stats, FILE *log)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    char *line = NULL;
    size_t cap = 0;
    char *queries[16];
    int nq = 0, expect_error = 0, outline = 0, scenario_line = 0, lineno = 0;
    int in_examples = 0, have_header = 0;
    char *names[32];
    int nnames = 0;
    int in_scenario = 0;
    const char *short_path = strstr(path, "features/");
    short_path = short_path ? short_path + 9 : path;
    int pending_query = 0;

#define FLUSH_SCENARIO()                                                                   \
    do {                                                                                   \
        if (in_scenario && !outline)                                                       \
            run_case(short_path, scenario_line, queries, nq, expect_error, NULL, NULL, 0,  \
                     stats, log);                                                          \
        for (int i_ = 0; i_ < nq; i_++)                                                    \
            free(queries[i_]);                                                             \
        for (int i_ = 0; i_ < nnames; i_++)                                                \
            free(names[i_]);                                                               \
        nq = nnames = 0;                                                                   \
        expect_error = outline = in_examples = have_header = in_scenario = 0;              \
    } while (0)

    while (getline(&line, &cap, f) != -1) {
        lineno++;
        char *t = line;
        while (*t == ' ' || *t == '\t')
            t++;
        if (*t == '#')
            continue;
        if (strncmp(t, "Scenario Outline:", 17) == 0 || strncmp(t, "Scenario:", 9) == 0) {
            FLUSH_SCENARIO();
            in_scenario = 1;
            outline = t[8] == ' ';
            scenario_line = lineno;
            continue;
        }
        if (!in_scenario)
            continue;
        if (strncmp(t, "When executing query:", 21) == 0 ||
            strncmp(t, "And having executed:", 20) == 0 ||
            strncmp(t, "When executing control query:", 30) == 0) {
            pending_query = 1;
            continue;
        }
        if (strncmp(t, "\"\"\"", 3) == 0 && pending_query) {
            /* Read the doc string up to the closing quotes. */
            size_t indent = (size_t)(t - line);
            char *q = NULL;
            size_t qlen = 0;
            FILE *m = open_memstream(&q, &qlen);
            while (getline(&line, &cap, f) != -1) {
                lineno++;
                char *u = line;
                while (*u == ' ' || *u == '\t')
                    u++;
                if (strncmp(u, "\"\"\"", 3) == 0)
                    break;
                size_t skip = 0;
                while (skip < indent && (line[skip] == ' ' || line[skip] == '\t'))
                    skip++;
                fputs(line + skip, m);
            }
            fclose(m);
            if (nq < 16)
                queries[nq++] = q;
            else
                free(q);
            pending_query = 0;
            continue;
        }
        if (strstr(t, "a SyntaxError should be raised at compile time") != NULL) {
            expect_error = 1;
            continue;
        }
        if (outline && strncmp(t, "Examples:", 9) == 0) {
            in_examples = 1;
            have_header = 0;
            for (int i = 0; i < nnames; i++)
                free(names[i]);
            nnames = 0;
            continue;
        }
        if (in_examples && *t == '|') {
            if (!have_header) {
                nnames = split_row(t, names, 32);
                have_header = 1;
            } else {
                char *vals[32];
                int nv = split_row(t, vals, 32);
                run_case(short_path, scenario_line, queries, nq, expect_error, names, vals,
                         nv < nnames ? nv : nnames, stats, log);
                for (int i = 0; i < nv; i++)
                    free(vals[i]);
            }
        }
    }
    FLUSH_SCENARIO();
#undef FLUSH_SCENARIO
    free(line);
    fclose(f);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sweep_dir(const char *dir, tck_stats *stats, FILE *log)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    char *entries[512];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 512) {
        if (e->d_name[0] == '.')
            continue;
        entries[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(entries, (size_t)n, sizeof entries[0], cmp_str);
    for (int i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, entries[i]);
        struct stat sb;
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            sweep_dir(path, stats, log);
        else if (strstr(entries[i], ".feature") != NULL)
            sweep_file(path, stats, log);
        free(entries[i]);
    }
}

static void t_tck(void)
{
    const char *dir = TG_SOURCE_DIR "/tests/tck/features";
    struct stat sb;
    TG_CHECK(stat(dir, &sb) == 0); /* the TCK is part of the checkout: never skipped */
    if (stat(dir, &sb) != 0) {
        fprintf(stderr, "  TCK not found at %s\n", dir);
        return;
    }
    tck_stats stats = {0};
    const char *log_path = getenv("TG_TCK_PARSE_LOG");
    FILE *log = log_path ? fopen(log_path, "w") : NULL;
    sweep_dir(dir, &stats, log);
    if (log != NULL)
        fclose(log);
    fprintf(stderr,
            "  TCK: %d cases; %d/%d queries of non-error cases parse; %d/%d compile-time "
            "SyntaxError cases rejected by the parser (the rest are the binder's)\n",
            stats.cases, stats.parsed, stats.queries, stats.error_rejected, stats.error_cases);
    TG_CHECK(stats.cases >= 1800);
    TG_CHECK_INT(stats.parsed, stats.queries);
    TG_CHECK_INT(stats.setup_failures, 0);
    TG_CHECK_INT(stats.error_rejected, 41);
}

int main(void)
{
    TG_RUN(t_arena);
    TG_RUN(t_expressions);
    TG_RUN(t_statements);
    TG_RUN(t_analyst_queries);
    TG_RUN(t_positions);
    TG_RUN(t_errors);
    TG_RUN(t_depth);
    TG_RUN(t_script);
    TG_RUN(t_tck);
    return tg_test_finish();
}
