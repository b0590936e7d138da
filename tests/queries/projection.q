# WITH / RETURN: aliases, DISTINCT, aggregation, ORDER BY, SKIP / LIMIT, UNION.
setup:
CREATE (:C {name: 'a', country: 'CN', n: 3}), (:C {name: 'b', country: 'CN', n: 1}), (:C {name: 'c', country: 'US', n: 2}), (:C {name: 'd'})
query:
MATCH (c:C) RETURN c.country AS country, count(*) AS n, collect(c.name) AS names ORDER BY country
expect ordered:
country | n | names
'CN' | 2 | ['a', 'b']
'US' | 1 | ['c']
null | 1 | ['d']
---
setup:
CREATE (:C {name: 'a', country: 'CN', n: 3}), (:C {name: 'b', country: 'CN', n: 1}), (:C {name: 'c', country: 'US', n: 2}), (:C {name: 'd'})
query:
MATCH (c:C) RETURN sum(c.n) AS s, avg(c.n) AS a, min(c.n) AS lo, max(c.name) AS hi, count(c.n) AS k, count(DISTINCT c.country) AS dc
expect:
s | a | lo | hi | k | dc
6 | 2.0 | 1 | 'd' | 3 | 2
---
query:
UNWIND [] AS x RETURN count(x) AS c, sum(x) AS s, avg(x) AS a, collect(x) AS l, max(x) AS m
expect:
c | s | a | l | m
0 | 0 | null | [] | null
---
query:
UNWIND [] AS x RETURN x, count(*) AS c
expect:
x | c
---
query:
UNWIND [1, 2, 3, 4] AS x RETURN stDev(x) AS s, percentileDisc(x, 0.5) AS d, percentileCont(x, 0.5) AS c
expect:
s | d | c
1.2909944487358056 | 2 | 2.5
---
setup:
CREATE (:C {name: 'a', n: 3}), (:C {name: 'b', n: 1}), (:C {name: 'c', n: 2})
query:
MATCH (c:C) RETURN c.name AS name ORDER BY c.n DESC SKIP 1 LIMIT 1
expect ordered:
name
'c'
---
setup:
CREATE (:C {name: 'a', n: 3}), (:C {name: 'b', n: 1}), (:C {name: 'c', n: 2})
query:
MATCH (c:C) WITH c ORDER BY c.n LIMIT 2 RETURN collect(c.name) AS names
expect:
names
['b', 'c']
---
# ORDER BY follows the global order across kinds
query:
UNWIND [1, 'a', null, [1], true, {k: 1}, 2.5] AS x RETURN x ORDER BY x
expect ordered:
x
{k: 1}
[1]
'a'
true
1
2.5
null
---
query:
UNWIND [3, 1, 2, 1, null, null] AS x RETURN DISTINCT x ORDER BY x DESC
expect ordered:
x
null
3
2
1
---
query:
UNWIND [[1, 2], [1, 2], [1.0, 2], {a: 1}, {a: 1}] AS x RETURN DISTINCT x
expect:
x
[1, 2]
{a: 1}
---
query:
UNWIND range(1, 10) AS x WITH x WHERE x % 3 = 0 RETURN collect(x) AS l
expect:
l
[3, 6, 9]
---
query:
WITH 2 AS a UNWIND [1, 2, 3] AS b WITH a, b WHERE b > a RETURN a, b
expect:
a | b
2 | 3
---
query:
RETURN 1 AS x UNION RETURN 1 AS x UNION ALL RETURN 2 AS x
expect:
x
1
2
---
query:
RETURN 1 AS x UNION ALL RETURN 1 AS x
expect:
x
1
1
---
query:
UNWIND [1, 2, 3] AS x RETURN x LIMIT 0
expect:
x
---
params:
n = 2
query:
UNWIND [1, 2, 3] AS x RETURN x ORDER BY x SKIP $n
expect ordered:
x
3
---
setup:
CREATE (:C {name: 'a'}), (:C {name: 'b'})
query:
MATCH (c:C) RETURN *
expect:
c
(:C {name: 'a'})
(:C {name: 'b'})
---
query:
WITH 1 AS one, 'x' AS two RETURN two, one
expect:
two | one
'x' | 1
---
setup:
CREATE (:C {name: 'a', n: 3}), (:C {name: 'b', n: 1})
query:
MATCH (c:C) RETURN c.name, c.n * 2 ORDER BY c.n
expect ordered:
c.name | c.n * 2
'b' | 2
'a' | 6
---
setup:
CREATE (:C {name: 'a', n: 3}), (:C {name: 'b', n: 1}), (:C {name: 'c', n: 3})
query:
MATCH (c:C) RETURN c.n AS n, count(*) AS k ORDER BY k DESC, n
expect ordered:
n | k
3 | 2
1 | 1
---
setup:
CREATE (a:C {name: 'a'}), (a)-[:R]->(:D), (a)-[:R]->(:D)
query:
MATCH (c:C)-[:R]->(d) WITH c, count(d) AS deg RETURN c {.name, deg: deg} AS m
expect:
m
{deg: 2, name: 'a'}
---
params:
l = [2, 4, 6]
query:
UNWIND $l AS v RETURN v LIMIT size([y IN [1, 2] | y])
expect:
v
2
4
