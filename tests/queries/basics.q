# Basic reading, projection and expressions.
query:
RETURN 1 AS a, 'x' AS b, 1.5 AS c, null AS d, true AS e
expect:
a | b | c | d | e
1 | 'x' | 1.5 | null | true
---
setup:
CREATE (:A {name: 'a1'})-[:T {w: 1}]->(:B {name: 'b1'})
CREATE (:A {name: 'a2'})
query:
MATCH (a:A)-[r:T]->(b) RETURN a.name, r.w, b
expect:
a.name | r.w | b
'a1' | 1 | (:B {name: 'b1'})
---
setup:
CREATE (:A {name: 'a1'})-[:T {w: 1}]->(:B {name: 'b1'})
CREATE (:A {name: 'a2'})
query:
MATCH (a:A) OPTIONAL MATCH (a)-[:T]->(b) RETURN a.name AS n, b.name AS m
expect:
n | m
'a1' | 'b1'
'a2' | null
---
query:
UNWIND [3, 1, 2] AS x RETURN x ORDER BY x DESC
expect ordered:
x
3
2
1
---
query:
UNWIND [1, 1, 2, null] AS x RETURN count(x) AS c, count(*) AS s, collect(DISTINCT x) AS l, sum(x) AS t
expect:
c | s | l | t
3 | 4 | [1, 2] | 4
---
query:
RETURN x
error: UndefinedVariable compile
---
query:
RETURN 1 / 0 AS x
error: DivisionByZero runtime
---
query:
RETURN 1.0 / 0 AS x, [1, null] = [1, null] AS y, null AND false AS z, 2 ^ 3 AS p, 7 % 3 AS m
expect:
x | y | z | p | m
Infinity | null | false | 8.0 | 1
---
setup:
CREATE (a:N {id: 'a'}), (b:N {id: 'b'}), (c:N {id: 'c'}), (a)-[:R]->(b), (b)-[:R]->(c), (a)-[:R]->(c)
query:
MATCH p = shortestPath((x {id: 'a'})-[:R*]->(y {id: 'c'})) RETURN length(p) AS l
expect:
l
1
---
setup:
CREATE (a:N {name: 'a'}), (b:N {name: 'b'}), (c:N {name: 'c'}), (a)-[:R]->(b), (b)-[:R]->(c)
query:
MATCH (x:N {name: 'a'})-[:R*1..2]->(y) RETURN y.name AS n ORDER BY n
expect ordered:
n
'b'
'c'
---
setup:
CREATE (a:N {name: 'a'})-[:R]->(a)
query:
MATCH (x)-[r]-(y) RETURN x.name AS n, y.name AS m
expect:
n | m
'a' | 'a'
---
query:
CALL db.labels()
expect:
label
---
query:
WITH 1 AS a, 2 AS b RETURN a + b AS s, 'x' + 1 AS t, [1] + 2 AS u
expect:
s | t | u
3 | 'x1' | [1, 2]
---
setup:
CREATE (:A {name: 'x'}), (:A {name: 'y'}), (:B {name: 'x'})
query:
MATCH (n {name: 'x'}) RETURN labels(n) AS l
expect:
l
['A']
['B']
