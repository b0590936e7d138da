// Which companies are subject to which state obligations (China's security,
// intelligence and company laws, the party committees inside them), and
// which foreign governments sanctioned or banned them? Both seeds make the
// point: ASPI (footnotes 3-6) lists the laws and the party-committee
// requirement; the Asia Times analysis lists the US sanctions and bans on
// Huawei, DJI and Kaspersky.

MATCH (c:Company)-[:SUBJECT_TO]->(o)
WHERE o:Law OR o:Organization
WITH c, collect(DISTINCT o.name) AS obligations
OPTIONAL MATCH (g:Government)-[s:SANCTIONS]->(c)
RETURN c.name AS company, size(obligations) AS n, obligations,
       collect(DISTINCT g.name + ': ' + s.kind) AS sanctioned_by
ORDER BY size(sanctioned_by) DESC, n DESC, company;

// Every sanction or ban, with the year and the evidence.
MATCH (g:Government)-[s:SANCTIONS]->(c)
RETURN g.name AS government, c.name AS target, s.kind AS measure, s.year AS year,
       s.description AS what, s.sources AS evidence
ORDER BY target, government;

:render state-obligations.svg layout=dot rank=by-label rankdir=LR page=a4 title="Obligations at home, sanctions abroad: Huawei, ZTE, DJI and Kaspersky"
MATCH (c:Company) WHERE c.id IN ['huawei', 'zte', 'dji', 'kaspersky']
MATCH obligation = (c)-[:SUBJECT_TO]->(o)
OPTIONAL MATCH sanction = (:Government)-[:SANCTIONS]->(c)
RETURN obligation, sanction;
