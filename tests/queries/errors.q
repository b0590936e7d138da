# Compile-time errors with the TCK's detail names, and runtime errors by kind.
query:
MATCH (n) RETURN m
error: UndefinedVariable compile
---
query:
WITH 1 AS n MATCH (n)-->() RETURN n
error: VariableTypeConflict compile
---
query:
MATCH (a)-[r]->(b) MATCH (r) RETURN r
error: VariableTypeConflict compile
---
query:
UNWIND [1] AS x UNWIND [2] AS x RETURN x
error: VariableAlreadyBound compile
---
query:
MATCH (n) WITH n.name RETURN 1
error: NoExpressionAlias compile
---
query:
RETURN 1 AS a, 2 AS a
error: ColumnNameConflict compile
---
query:
MATCH (n) WHERE count(n) > 1 RETURN n
error: InvalidAggregation compile
---
query:
RETURN count(count(1))
error: NestedAggregation compile
---
query:
MATCH (a)-->(b) RETURN a.x + count(b)
error: AmbiguousAggregationExpression compile
---
query:
RETURN nosuch(1)
error: UnknownFunction compile
---
query:
RETURN substring('x')
error: InvalidNumberOfArguments compile
---
query:
MATCH (n) RETURN n LIMIT n.x
error: NonConstantExpression compile
---
query:
RETURN 1 SKIP -1
error: NegativeIntegerArgument compile
---
params:
k = -2
query:
RETURN 1 LIMIT $k
error: NegativeIntegerArgument runtime
---
query:
RETURN true AND 1
error: InvalidArgumentType compile
---
query:
RETURN $nope
error: MissingParameter compile
---
query:
CALL no.such.proc()
error: ProcedureNotFound compile
---
query:
MATCH (n) DETACH DELETE n
error: UnsupportedClause compile
---
query:
MATCH (n)
error: RETURN compile
---
query:
WITH [1] AS l RETURN l.x
error: InvalidArgumentType compile
---
query:
WITH 'x' AS s RETURN s + [1] + toUpper(s[0])
error: InvalidArgumentType runtime
---
query:
UNWIND [1, 'a'] AS x RETURN sum(x)
error: InvalidArgumentType runtime
---
query:
RETURN range(1, 10, 0)
error: NumberOutOfRange runtime
---
query:
RETURN percentileCont(1, 1.5)
error: NumberOutOfRange runtime
---
query:
RETURN {a: 1}[1]
error: MapElementAccessByNonString runtime
