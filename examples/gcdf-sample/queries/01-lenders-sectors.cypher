// Which Chinese state lenders finance which sectors, in which countries?
// Over the GCDF-shaped sample (examples/gcdf-sample/projects.csv, imported
// with --format gcdf). A project with one funder carries the amount on the
// FINANCES relation too; co-financed projects carry it on the project only,
// so sums are taken from the projects.
MATCH (l:Lender)-[:FINANCES]->(p:Project)-[:LOCATED_IN]->(c:Country)
RETURN l.name AS lender, p.sector AS sector, c.name AS country,
       count(p) AS projects, sum(p.amount) AS usd_2021
ORDER BY lender, usd_2021 DESC;

// The same as totals per lender and sector, across countries.
MATCH (l:Lender)-[:FINANCES]->(p:Project)
RETURN l.name AS lender, p.sector AS sector, count(p) AS projects,
       sum(p.amount) AS usd_2021, collect(DISTINCT p.recipient) AS countries
ORDER BY usd_2021 DESC;

// Which contractors implement what the lenders finance?
:render gcdf-lenders-contractors.svg layout=dot rankdir=LR title="GCDF sample: lender, project, contractor"
MATCH (l:Lender)-[f:FINANCES]->(p:Project)<-[b:BUILDS]-(k)
RETURN l, f, p, b, k;
