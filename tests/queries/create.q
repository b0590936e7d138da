# CREATE: nodes, relationships, ids, properties, eagerness.
query:
CREATE (a:Company {id: 'zte', name: 'ZTE', aliases: ['ZTE Corp'], founded: 1985})-[r:SUPPLIES {year: 2019}]->(b:Government {name: 'X'}) RETURN a, r, b
expect:
a | r | b
(:Company {aliases: ['ZTE Corp'], founded: 1985, name: 'ZTE'}) | [:SUPPLIES {year: 2019}] | (:Government {name: 'X'})
---
setup:
CREATE (:Company {id: 'zte', name: 'ZTE'})
query:
MATCH (c {id: 'zte'}) CREATE (c)<-[:OWNS]-(:Company {name: 'Parent'}) WITH c MATCH (p)-[:OWNS]->(c) RETURN p.name AS parent
expect:
parent
'Parent'
---
# rows are read before any write: the new nodes are not matched by the MATCH before CREATE
setup:
CREATE (:N), (:N)
query:
MATCH (n:N) CREATE (:N) WITH count(*) AS made MATCH (m:N) RETURN made, count(m) AS total
expect:
made | total
2 | 4
---
query:
UNWIND [1, 2, 3] AS i CREATE (n:Item {k: i}) RETURN sum(n.k) AS s
expect:
s
6
---
query:
CREATE p = (:A {v: 1})-[:T]->(:B {v: 2}) RETURN length(p) AS l, nodes(p)[1].v AS v
expect:
l | v
1 | 2
---
query:
CREATE (:A {v: null, w: 1}) WITH 1 AS x MATCH (a:A) RETURN keys(a) AS k
expect:
k
['w']
---
query:
CREATE (a:A {m: {x: 1}})
error: InvalidPropertyType runtime
---
query:
CREATE (a:A {m: [1, 'x']})
error: InvalidPropertyType runtime
---
query:
CREATE (a)-[:T|U]->(b)
error: NoSingleRelationshipType compile
---
query:
CREATE (a)-[:T]-(b)
error: RequiresDirectedRelationship compile
---
query:
CREATE (a)-[:T*2]->(b)
error: CreatingVarLength compile
---
query:
MATCH (a) CREATE (a:X)
error: VariableAlreadyBound compile
---
setup:
CREATE (:Company {id: 'huawei'})
query:
CREATE (:Company {id: 'huawei'})
error: already exists runtime
---
# MERGE matches or creates; a later row sees what an earlier row created
query:
UNWIND ['a', 'b', 'a'] AS k MERGE (n:K {key: k}) RETURN count(*) AS rows
expect:
rows
3
---
setup:
UNWIND ['a', 'b', 'a'] AS k MERGE (n:K {key: k})
query:
MATCH (n:K) RETURN n.key AS key ORDER BY key
expect ordered:
key
'a'
'b'
---
setup:
CREATE (:Company {id: 'cetc'}), (:Company {id: 'hik'})
query:
MATCH (a {id: 'cetc'}), (b {id: 'hik'}) MERGE (a)-[r:OWNS]->(b) ON CREATE SET r.new = true WITH a, b MERGE (a)-[r:OWNS]->(b) ON MATCH SET r.seen = true RETURN r
expect:
r
[:OWNS {new: true, seen: true}]
---
setup:
CREATE (:Company {id: 'cetc', name: 'CETC', x: 1})
query:
MATCH (c {id: 'cetc'}) SET c.name = 'China Electronics', c:StateOwned, c.x = null, c += {y: 2} RETURN c
expect:
c
(:Company:StateOwned {name: 'China Electronics', y: 2})
---
setup:
CREATE (:Company {id: 'cetc', name: 'CETC', x: 1})
query:
MATCH (c {id: 'cetc'}) SET c = {only: 1} REMOVE c.only SET c.z = [1, 2] RETURN properties(c) AS p
expect:
p
{z: [1, 2]}
