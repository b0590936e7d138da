# MATCH: seeks, scans, expansion directions, uniqueness, variable length.
setup:
CREATE (cetc:Company {id: 'cetc', name: 'CETC'}), (hik:Company:Subsidiary {id: 'hikvision', name: 'Hikvision'}), (exim:Lender {id: 'exim', name: 'China Exim Bank'}), (ec:Government {id: 'gov-ec', name: 'Ecuador'}), (p:Project {id: 'ecu911', name: 'ECU-911', category: 'safe_city'}), (cetc)-[:OWNS {share: 0.42}]->(hik), (exim)-[:FINANCES {amount: 240000000, year: 2011}]->(ec), (ec)-[:CONTRACTS {role: 'prime'}]->(cetc), (cetc)-[:BUILDS]->(p)
query:
MATCH (c {id: 'cetc'})-[:OWNS]->(s) RETURN s.name AS sub
expect:
sub
'Hikvision'
---
setup:
CREATE (cetc:Company {id: 'cetc', name: 'CETC'}), (hik:Company:Subsidiary {id: 'hikvision', name: 'Hikvision'}), (exim:Lender {id: 'exim', name: 'China Exim Bank'}), (ec:Government {id: 'gov-ec', name: 'Ecuador'}), (p:Project {id: 'ecu911', name: 'ECU-911', category: 'safe_city'}), (cetc)-[:OWNS {share: 0.42}]->(hik), (exim)-[:FINANCES {amount: 240000000, year: 2011}]->(ec), (ec)-[:CONTRACTS {role: 'prime'}]->(cetc), (cetc)-[:BUILDS]->(p)
query:
MATCH (l:Lender)-[f:FINANCES]->(g:Government)-[:CONTRACTS]->(c)-[:BUILDS]->(p:Project {category: 'safe_city'})
RETURN l.name AS lender, f.amount AS amount, g.name AS via, c.name AS contractor, p.name AS project
expect:
lender | amount | via | contractor | project
'China Exim Bank' | 240000000 | 'Ecuador' | 'CETC' | 'ECU-911'
---
# the same chain written right to left
setup:
CREATE (cetc:Company {id: 'cetc', name: 'CETC'}), (ec:Government {id: 'gov-ec', name: 'Ecuador'}), (p:Project {id: 'ecu911', name: 'ECU-911'}), (ec)-[:CONTRACTS]->(cetc), (cetc)-[:BUILDS]->(p)
query:
MATCH (p:Project)<-[:BUILDS]-(c)<-[:CONTRACTS]-(g) RETURN g.id AS g, c.id AS c, p.id AS p
expect:
g | c | p
'gov-ec' | 'cetc' | 'ecu911'
---
# undirected hops match both ways; a self-loop matches once
setup:
CREATE (a:N {name: 'a'})-[:R]->(b:N {name: 'b'}), (b)-[:R]->(b)
query:
MATCH (x:N {name: 'b'})-[:R]-(y) RETURN y.name AS y
expect:
y
'a'
'b'
---
# relationship isomorphism: a relationship is used once per pattern
setup:
CREATE (a:N {name: 'a'})-[:R]->(b:N {name: 'b'})
query:
MATCH (x)-[r1]-(y)-[r2]-(z) RETURN count(*) AS n
expect:
n
0
---
setup:
CREATE (a:N {name: 'a'})-[:R]->(b:N {name: 'b'})-[:R]->(c:N {name: 'c'})-[:R]->(d:N {name: 'd'})
query:
MATCH (a {name: 'a'})-[rs:R*0..]->(x) RETURN x.name AS x, size(rs) AS hops
expect ordered:
x | hops
'a' | 0
'b' | 1
'c' | 2
'd' | 3
---
setup:
CREATE (a:N {name: 'a'})-[:R]->(b:N {name: 'b'})-[:R]->(c:N {name: 'c'})-[:R]->(d:N {name: 'd'})
query:
MATCH (a {name: 'a'})-[:R*2..3]->(x) RETURN x.name AS x
expect:
x
'c'
'd'
---
setup:
CREATE (a:N {name: 'a'})-[:R]->(b:N {name: 'b'})-[:R]->(c:N {name: 'c'})
query:
MATCH (x)<-[:R*]-(c {name: 'c'}) RETURN x.name AS x
expect:
x
---
setup:
CREATE (a:N {name: 'a'})-[:R]->(b:N {name: 'b'})-[:R]->(c:N {name: 'c'})
query:
MATCH p = (x {name: 'c'})<-[:R*]-(y) RETURN p, length(p) AS l
expect:
p | l
<(:N {name: 'c'})<-[:R]-(:N {name: 'b'})> | 1
<(:N {name: 'c'})<-[:R]-(:N {name: 'b'})<-[:R]-(:N {name: 'a'})> | 2
---
# cartesian products and joins across comma-separated paths
setup:
CREATE (:A {v: 1}), (:A {v: 2}), (:B {v: 2}), (:B {v: 3})
query:
MATCH (a:A), (b:B) WHERE a.v = b.v RETURN a.v AS v
expect:
v
2
---
setup:
CREATE (:A {v: 1}), (:A {v: 2}), (:B {v: 2}), (:B {v: 3})
query:
MATCH (a:A), (b:B) RETURN count(*) AS n
expect:
n
4
---
# labels and properties that nothing has match nothing
setup:
CREATE (:A {v: 1})
query:
MATCH (n:Missing) RETURN n
expect:
n
---
setup:
CREATE (:A {v: 1})
query:
MATCH (n {v: null}) RETURN n
expect:
n
---
setup:
CREATE (:A {v: 1}), (:A {v: 1.0}), (:A {v: '1'})
query:
MATCH (n:A {v: 1}) RETURN n.v AS v
expect:
v
1
1.0
---
# OPTIONAL MATCH keeps rows and nulls the new variables
setup:
CREATE (:P {name: 'x'})-[:K]->(:Q {name: 'y'}), (:P {name: 'z'})
query:
MATCH (p:P) OPTIONAL MATCH (p)-[k:K]->(q) RETURN p.name AS p, type(k) AS t, q.name AS q
expect:
p | t | q
'x' | 'K' | 'y'
'z' | null | null
---
setup:
CREATE (:P {name: 'x'})-[:K]->(:Q {name: 'y'}), (:P {name: 'z'})
query:
MATCH (p:P) OPTIONAL MATCH (p)-->(q) WHERE q.name = 'nope' RETURN p.name AS p, q
expect:
p | q
'x' | null
'z' | null
---
# pattern predicates
setup:
CREATE (:P {name: 'x'})-[:K]->(:Q {name: 'y'}), (:P {name: 'z'})
query:
MATCH (p:P) WHERE NOT (p)-[:K]->() RETURN p.name AS p
expect:
p
'z'
---
setup:
CREATE (a:P {name: 'x'})-[:K]->(:Q {name: 'y'}), (a)-[:K]->(:Q {name: 'w'})
query:
MATCH (p:P) RETURN [(p)-[:K]->(q) | q.name] AS names
expect:
names
['y', 'w']
---
# shortest paths
setup:
CREATE (a:N {name: 'a'})-[:R]->(b:N {name: 'b'})-[:R]->(d:N {name: 'd'}), (a)-[:R]->(c:N {name: 'c'})-[:R]->(d), (a)-[:R]->(e:N {name: 'e'})-[:R]->(f:N {name: 'f'})-[:R]->(d)
query:
MATCH p = allShortestPaths((a {name: 'a'})-[:R*]->(d {name: 'd'})) RETURN [n IN nodes(p) | n.name] AS route
expect:
route
['a', 'b', 'd']
['a', 'c', 'd']
---
setup:
CREATE (a:N {name: 'a'})-[:R]->(b:N {name: 'b'})-[:R]->(d:N {name: 'd'}), (x:N {name: 'x'})
query:
MATCH (a {name: 'a'}), (x {name: 'x'}) OPTIONAL MATCH p = shortestPath((a)-[*]-(x)) RETURN p
expect:
p
null
---
setup:
CREATE (a:N {name: 'a'})-[:R]->(b:N {name: 'b'})<-[:R]-(d:N {name: 'd'})
query:
MATCH p = shortestPath((a {name: 'a'})-[*]-(d {name: 'd'})) RETURN p
expect:
p
<(:N {name: 'a'})-[:R]->(:N {name: 'b'})<-[:R]-(:N {name: 'd'})>
---
# a path predicate is applied during the shortest-path search: the shortest
# path avoiding countries is found even though a shorter one crosses one
setup:
CREATE (u:University {name: 'u'})-[:LOCATED_IN]->(c:Country {name: 'c'})<-[:LOCATED_IN]-(b:Government {name: 'bureau'}), (u)-[:PARTNERS_WITH]->(x:Company {name: 'x'})-[:SUPPLIES]->(y:Company {name: 'y'})-[:SUPPLIES]->(b)
query:
MATCH p = shortestPath((u:University)-[*..6]-(b:Government)) WHERE none(n IN nodes(p)[1..-1] WHERE n:Country) RETURN [n IN nodes(p) | n.name] AS route
expect:
route
['u', 'x', 'y', 'bureau']
---
setup:
CREATE (u:University {name: 'u'})-[:LOCATED_IN]->(c:Country {name: 'c'})<-[:LOCATED_IN]-(b:Government {name: 'bureau'}), (u)-[:PARTNERS_WITH]->(x:Company {name: 'x'})-[:SUPPLIES]->(y:Company {name: 'y'})-[:SUPPLIES]->(b)
query:
MATCH p = allShortestPaths((u:University)-[*]-(b:Government)) WHERE all(r IN relationships(p) WHERE type(r) <> 'LOCATED_IN') RETURN length(p) AS l
expect:
l
3
---
setup:
CREATE (u:University {name: 'u'})-[:LOCATED_IN]->(c:Country {name: 'c'})<-[:LOCATED_IN]-(b:Government {name: 'bureau'})
query:
MATCH p = shortestPath((u:University)-[*]-(b:Government)) WHERE none(n IN nodes(p) WHERE n:University) RETURN p
expect:
p
