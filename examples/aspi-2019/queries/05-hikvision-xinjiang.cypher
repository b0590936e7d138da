// Hikvision in Xinjiang: the counties that contracted it, the projects it
// builds there, and its owner, with the evidence for each tie.

MATCH (h:Company {id: 'hikvision'})<-[c:CONTRACTS]-(buyer)
RETURN buyer.name AS awarded_by, c.role AS role, c.scope AS scope, c.sources AS evidence
ORDER BY awarded_by;

:render hikvision.svg layout=dot title="Hikvision: owner, contracts and projects"
MATCH (h:Company {id: 'hikvision'})
OPTIONAL MATCH owner = (:Company)-[:OWNS]->(h)
OPTIONAL MATCH contract = (:Government)-[:CONTRACTS]->(h)
OPTIONAL MATCH built = (h)-[:BUILDS]->(:Project)
RETURN owner, contract, built;
