// When and from where: donations by year (FtM dates are text, ISO 8601) and
// the donors' cities (Address entities tied by HAS_ADDRESS, from FtM's
// addressEntity property).

// Donations per year: how many, how much, and which parties got them.
MATCH ()-[p:PAID]->(party)
UNWIND p.amountEur AS eur
WITH substring(p.date[0], 0, 4) AS year, party.name[0] AS party, count(p) AS n, sum(eur) AS eur
ORDER BY eur DESC
RETURN year, sum(n) AS donations, sum(eur) AS eur, collect(party) AS parties_by_amount
ORDER BY year;

// Donor cities: where the money comes from. A donor's total counts once per
// city it has an address in (FtM cities carry the postcode).
MATCH (donor)-[p:PAID]->()
UNWIND p.amountEur AS eur
WITH donor, sum(eur) AS eur
MATCH (donor)-[:HAS_ADDRESS]->(a:Address)
UNWIND a.city AS city
WITH DISTINCT donor, eur, city
RETURN city, count(donor) AS donors, sum(eur) AS eur
ORDER BY eur DESC
LIMIT 10;
