// What is the shortest chain from a foreign university to the Xinjiang
// public security bureau, avoiding country nodes? (A chain through a country
// only says two parties sit in the same place; it is not a tie between them.)

:param target => 'xinjiang-psb'

MATCH (u:University) WHERE u.country <> 'CN'
MATCH p = shortestPath((u)-[*..8]-(x {id: $target}))
WHERE none(n IN nodes(p) WHERE n:Country)
RETURN u.name AS university, length(p) AS hops,
       [n IN nodes(p) | n.name] AS chain,
       [r IN relationships(p) | type(r)] AS ties
ORDER BY hops, university;

:render university-to-xinjiang.svg layout=dot rankdir=LR title="From foreign universities to the Xinjiang Public Security Bureau"
MATCH (u:University) WHERE u.country <> 'CN'
MATCH p = shortestPath((u)-[*..8]-(x {id: $target}))
WHERE none(n IN nodes(p) WHERE n:Country)
RETURN p;
