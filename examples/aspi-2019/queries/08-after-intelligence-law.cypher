// Which ties of the companies bound by China's National Intelligence Law began after the law
// came into force? Its article 7 obliges organisations to "support, assist and cooperate with"
// state intelligence work (the report, footnote 6); the law took effect on 28 June 2017. That
// date is not in the two documents the dataset is built from, so the script gives it.
//
// A tie records the year it began as `year` (or `since`), an integer: a year, not a day. So a
// tie of 2017 may have begun before or after 28 June; it is reported as undecided, not guessed.
// date({year: ...}) makes the year's first day; adding duration({years: 1}) gives its end;
// at_least is how long after the law a tie of a later year began, at the least.

WITH date('2017-06-28') AS in_force
MATCH (c)-[:SUBJECT_TO]->(:Law {id: 'national-intelligence-law-cn'})
MATCH (c)-[r]-(other)
WHERE coalesce(r.year, r.since) IS NOT NULL
WITH in_force, c, r, other, date({year: coalesce(r.year, r.since)}) AS year_began
RETURN CASE WHEN year_began > in_force THEN 'after'
            WHEN year_began + duration({years: 1}) <= in_force THEN 'before'
            ELSE 'undecided (2017)' END AS began,
       c.name AS company, type(r) AS tie, other.name AS counterpart, year_began.year AS year,
       CASE WHEN year_began > in_force THEN duration.between(in_force, year_began) END AS at_least,
       r.sources AS evidence
ORDER BY began, year, company, counterpart;

:render after-intelligence-law.svg layout=dot rankdir=LR title="Ties that began after the National Intelligence Law (28 June 2017)"
WITH date('2017-06-28') AS in_force
MATCH (c)-[:SUBJECT_TO]->(:Law {id: 'national-intelligence-law-cn'})
MATCH p = (c)-[r]-(other)
WHERE date({year: coalesce(r.year, r.since, 0)}) > in_force
RETURN p;
