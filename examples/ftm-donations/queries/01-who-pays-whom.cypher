// Who pays whom: German party donations above the disclosure threshold, as
// FollowTheMoney Payment records (examples/ftm-donations/donations.ijson,
// imported with --format ftm). Each Payment is a PAID relation from the payer
// to the party; FtM values are lists, so amounts are read with UNWIND and
// names with [0].

// The parties: how much they received, from how many donors.
MATCH (donor)-[p:PAID]->(party)
UNWIND p.amountEur AS eur
RETURN party.name[0] AS party, count(DISTINCT donor) AS donors, count(p) AS donations,
       sum(eur) AS eur
ORDER BY eur DESC;

// The largest donors and the parties they fund (total per party).
MATCH (donor)-[p:PAID]->(party)
UNWIND p.amountEur AS eur
WITH donor, party, sum(eur) AS eur, count(p) AS n
WITH donor, sum(eur) AS total, sum(n) AS donations,
     collect(party.name[0] + ': ' + toString(eur)) AS parties
RETURN donor.name[0] AS donor, donor.schema AS kind, donations, total, parties
ORDER BY total DESC
LIMIT 15;

// Donors who fund several parties at once.
MATCH (donor)-[:PAID]->(party)
WITH donor, collect(DISTINCT party.name[0]) AS parties
WHERE size(parties) > 1
RETURN donor.name[0] AS donor, size(parties) AS n, parties
ORDER BY n DESC, donor;
