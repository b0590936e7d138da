// Who are the brokers between lenders, governments and vendors? Betweenness
// on the ties that move money, contracts and equipment, with country nodes
// and legal obligations left out (every Chinese company is subject to the
// same laws, which would make the laws look like brokers).

CALL algo.betweenness({
  types: ['FINANCES', 'CONTRACTS', 'SUBCONTRACTS', 'SUPPLIES', 'BUILDS', 'OWNS',
          'PARTNERS_WITH', 'MEMBER_OF', 'TRAINS', 'OPERATES_IN'],
  excludeLabels: ['Country', 'Law'],
  direction: 'both'})
YIELD node, score
WHERE score > 0
RETURN node.name AS entity, labels(node) AS labels, round(score * 10) / 10 AS betweenness
ORDER BY betweenness DESC, entity
LIMIT 12;

// The communities those ties form (Louvain, seeded so the result repeats).
CALL algo.louvain({
  types: ['FINANCES', 'CONTRACTS', 'SUBCONTRACTS', 'SUPPLIES', 'BUILDS', 'OWNS',
          'PARTNERS_WITH', 'MEMBER_OF', 'TRAINS', 'OPERATES_IN'],
  excludeLabels: ['Country', 'Law'], seed: 42})
YIELD node, communityId
WITH communityId, collect(node.name) AS members
WHERE size(members) >= 4
RETURN communityId AS community, size(members) AS size, members[0..6] AS some_members
ORDER BY size DESC;
