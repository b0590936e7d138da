# Expressions: null logic, arithmetic, strings, lists, maps, functions.
query:
RETURN true AND null AS a, false AND null AS b, true OR null AS c, false OR null AS d, true XOR null AS e, NOT null AS f
expect:
a | b | c | d | e | f
null | false | true | null | null | null
---
query:
RETURN 1 = 1.0 AS a, 1 < 2.5 AS b, 'a' < 'b' AS c, 1 < 'a' AS d, null = null AS e, [1, 2] < [1, 3] AS f, 0.0/0.0 = 0.0/0.0 AS g
expect:
a | b | c | d | e | f | g
true | true | true | null | null | true | false
---
query:
RETURN 2 IN [1, 2] AS a, 3 IN [1, null] AS b, null IN [] AS c, [1] IN [[1], 2] AS d, 1 IN [1, null] AS e
expect:
a | b | c | d | e
true | null | false | true | true
---
query:
RETURN 7 / 2 AS a, 7.0 / 2 AS b, -7 % 3 AS c, 7.5 % 2 AS d, 2 ^ 10 AS e, -(3) AS f, 1 - 0.5 AS g
expect:
a | b | c | d | e | f | g
3 | 3.5 | -1 | 1.5 | 1024.0 | -3 | 0.5
---
query:
RETURN 9223372036854775807 * 2 AS x
error: NumberOutOfRange runtime
---
query:
RETURN 5 % 0 AS x
error: DivisionByZero runtime
---
query:
RETURN 'Tie' + 'graph' AS a, 'n' + 1.5 AS b, [1, 2] + [3] AS c, 0 + [1] AS d, null + 'x' AS e
expect:
a | b | c | d | e
'Tiegraph' | 'n1.5' | [1, 2, 3] | [0, 1] | null
---
query:
RETURN 'Hikvision' STARTS WITH 'Hik' AS a, 'Hikvision' ENDS WITH 'sion' AS b, 'Hikvision' CONTAINS 'kvi' AS c, 'abc' =~ 'a.c' AS d, 'abc' =~ 'b' AS e, 1 STARTS WITH 'a' AS f
expect:
a | b | c | d | e | f
true | true | true | true | false | null
---
query:
RETURN toUpper('aé') AS a, toLower('ABC') AS b, trim('  x ') AS c, replace('a-b-c', '-', '+') AS d, substring('héllo', 1, 3) AS e, left('héllo', 2) AS f, right('héllo', 2) AS g, split('a,b,,c', ',') AS h, reverse('héllo') AS i, size('héllo') AS j
expect:
a | b | c | d | e | f | g | h | i | j
'Aé' | 'abc' | 'x' | 'a+b+c' | 'éll' | 'hé' | 'lo' | ['a', 'b', '', 'c'] | 'olléh' | 5
---
query:
RETURN toInteger('42') AS a, toInteger(' 7 ') AS b, toInteger('x') AS c, toFloat('1.5') AS d, toInteger(2.9) AS e, toString(1.0) AS f, toBoolean('TRUE') AS g, toString(true) AS h
expect:
a | b | c | d | e | f | g | h
42 | 7 | null | 1.5 | 2 | '1.0' | true | 'true'
---
query:
RETURN [1, 2, 3][0] AS a, [1, 2, 3][-1] AS b, [1, 2, 3][5] AS c, [1, 2, 3, 4][1..3] AS d, [1, 2, 3][..-1] AS e, {a: {b: 2}}.a.b AS f, {a: 1}['a'] AS g
expect:
a | b | c | d | e | f | g
1 | 3 | null | [2, 3] | [1, 2] | 2 | 1
---
query:
RETURN range(1, 5) AS a, range(5, 1, -2) AS b, head([1, 2]) AS c, last([1, 2]) AS d, tail([1, 2]) AS e, size([]) AS f, reverse([1, 2]) AS g, coalesce(null, 2, 3) AS h
expect:
a | b | c | d | e | f | g | h
[1, 2, 3, 4, 5] | [5, 3, 1] | 1 | 2 | [2] | 0 | [2, 1] | 2
---
query:
RETURN [x IN range(1, 6) WHERE x % 2 = 0 | x * 10] AS a, all(x IN [1, 2] WHERE x > 0) AS b, any(x IN [1, 2] WHERE x > 1) AS c, none(x IN [1, 2] WHERE x > 5) AS d, single(x IN [1, 2] WHERE x > 1) AS e, reduce(s = 0, x IN [1, 2, 3] | s + x) AS f
expect:
a | b | c | d | e | f
[20, 40, 60] | true | true | true | true | 6
---
query:
RETURN all(x IN [1, null] WHERE x > 0) AS a, any(x IN [null] WHERE x > 0) AS b
expect:
a | b
null | null
---
query:
RETURN CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END AS a, CASE WHEN 1 > 2 THEN 'x' END AS b
expect:
a | b
'two' | null
---
query:
RETURN abs(-3) AS a, sign(-2.5) AS b, round(2.5) AS c, floor(-1.5) AS d, ceil(1.2) AS e, sqrt(16) AS f, log10(1000) AS g, exp(0) AS h
expect:
a | b | c | d | e | f | g | h
3 | -1 | 3.0 | -2.0 | 2.0 | 4.0 | 3.0 | 1.0
---
query:
RETURN keys({b: 1, a: 2}) AS k, size(keys({a: 1})) AS s, {a: 1, b: null} AS m
expect:
k | s | m
['a', 'b'] | 1 | {a: 1, b: null}
---
setup:
CREATE (:A:B {name: 'n', tags: ['x', 'y']})-[:T {w: 2}]->(:C)
query:
MATCH (a:A)-[r]->(c) RETURN labels(a) AS l, type(r) AS t, properties(r) AS p, keys(a) AS k, a.tags AS tags, startNode(r) = a AS s, endNode(r) = c AS e, a:A:B AS ab, a:C AS ac
expect:
l | t | p | k | tags | s | e | ab | ac
['A', 'B'] | 'T' | {w: 2} | ['name', 'tags'] | ['x', 'y'] | true | true | true | false
---
query:
RETURN 1.0 / 0 AS a, -1.0 / 0 AS b, toString(0.0 / 0) AS c
expect:
a | b | c
Infinity | -Infinity | 'NaN'
---
query:
RETURN 'it\'s' AS a, "double \"q\"" AS b
expect:
a | b
'it\'s' | 'double "q"'
---
query:
UNWIND ['Hikvision', 'Huawei', 'ZTE', null] AS n WITH n WHERE n =~ 'H.*' RETURN collect(n) AS h
expect:
h
['Hikvision', 'Huawei']
---
query:
UNWIND ['a.c', 'b'] AS p RETURN 'abc' =~ p AS m
expect:
m
true
false
---
query:
RETURN 'x' =~ '(' AS m
error: InvalidArgumentValue runtime
