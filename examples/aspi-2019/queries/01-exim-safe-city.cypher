// Which safe-city projects did China Exim Bank finance, in which countries,
// and who built them? The report (footnote 47) says Exim's loans to foreign
// governments drive Huawei's safe-city programme; the dataset links each
// named project to that programme with MEMBER_OF.

MATCH (exim:Lender {id: 'exim-china'})-[f:FINANCES]->(prog:Project)
      <-[:MEMBER_OF]-(p:Project {category: 'safe_city'})
OPTIONAL MATCH (p)-[:LOCATED_IN]->(c:Country)
OPTIONAL MATCH (b:Company)-[:BUILDS]->(p)
RETURN p.name AS project, c.name AS country, collect(DISTINCT b.name) AS built_by,
       f.instrument AS financing, p.sources AS evidence
ORDER BY country;

:render exim-safe-city.svg layout=dot rankdir=LR title="China Exim Bank and Huawei's safe-city projects"
MATCH path = (exim:Lender {id: 'exim-china'})-[:FINANCES]->(:Project)<-[:MEMBER_OF]-(p:Project {category: 'safe_city'})
OPTIONAL MATCH built = (:Company)-[:BUILDS]->(p)
RETURN path, built;
