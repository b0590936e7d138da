// The communities that the ties of money, contracts, equipment and research
// form (Louvain, seeded so that it repeats), each with all its members: who
// clusters with whom once countries and laws are left out.

CALL algo.louvain({
  types: ['FINANCES', 'CONTRACTS', 'SUBCONTRACTS', 'SUPPLIES', 'BUILDS', 'OWNS',
          'PARTNERS_WITH', 'MEMBER_OF', 'TRAINS', 'OPERATES_IN'],
  excludeLabels: ['Country', 'Law'], seed: 42})
YIELD node, communityId
WITH communityId, collect(node) AS members
WHERE size(members) >= 4
RETURN communityId AS community, size(members) AS size,
       [m IN members | m.name] AS members
ORDER BY size DESC, community;

:render communities.svg layout=osage cluster=community title="Communities of money, contracts and equipment (Louvain, 4 members or more)"
CALL algo.louvain({
  types: ['FINANCES', 'CONTRACTS', 'SUBCONTRACTS', 'SUPPLIES', 'BUILDS', 'OWNS',
          'PARTNERS_WITH', 'MEMBER_OF', 'TRAINS', 'OPERATES_IN'],
  excludeLabels: ['Country', 'Law'], seed: 42})
YIELD node, communityId
WITH communityId, collect(node) AS members
WHERE size(members) >= 4
UNWIND members AS m
OPTIONAL MATCH (m)-[r:FINANCES|CONTRACTS|SUBCONTRACTS|SUPPLIES|BUILDS|OWNS|PARTNERS_WITH|TRAINS]->(other)
WHERE other IN members
RETURN m, r, 'community of ' + members[0].name AS community;
