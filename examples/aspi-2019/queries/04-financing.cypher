// Every financing tie in the dataset, with amounts, years and evidence.
// Note: the 2015 Econet loan is listed on both ZTE's and China Development
// Bank's edges with the same `deal` (the report names both as lenders), so a
// total must count each deal once.

MATCH (l)-[f:FINANCES]->(x)
RETURN l.name AS lender, x.name AS recipient, f.amount AS amount, f.currency AS currency,
       f.year AS year, f.instrument AS instrument, f.deal AS deal, f.sources AS evidence
ORDER BY lender, recipient;

MATCH ()-[f:FINANCES]->() WHERE f.amount IS NOT NULL
WITH DISTINCT coalesce(f.deal, toString(id(f))) AS deal, f.amount AS amount, f.currency AS currency
RETURN currency, sum(amount) AS total, count(*) AS deals;

:render financing.svg layout=dot rankdir=LR title="Financing ties named in the sources"
MATCH p = (l)-[f:FINANCES]->(x)
RETURN p;
