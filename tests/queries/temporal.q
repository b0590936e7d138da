# Temporal values: constructors, text, order, arithmetic, storage as text.
query:
RETURN date({year: 2019, month: 4, day: 18}) AS d, localtime({hour: 9, minute: 5}) AS lt, time({hour: 12, minute: 31, second: 14, nanosecond: 5000, timezone: '+01:00'}) AS t, localdatetime('2011-03-01T10:00:30.5') AS ldt, datetime({year: 2011, month: 3, day: 1, hour: 23, timezone: 'Z'}) AS dt, duration({months: 14, days: 2, minutes: 90}) AS dur
expect:
d | lt | t | ldt | dt | dur
'2019-04-18' | '09:05' | '12:31:14.000005+01:00' | '2011-03-01T10:00:30.5' | '2011-03-01T23:00Z' | 'P1Y2M2DT1H30M'
---
query:
RETURN date('2020-01-31') + duration({months: 1}) AS a, date('2020-03-01') - duration({days: 1}) AS b, datetime('2020-12-31T23:30+02:00') + duration({minutes: 45}) AS c, localtime('23:59') + duration({minutes: 2}) AS d
expect:
a | b | c | d
'2020-02-29' | '2020-02-29' | '2021-01-01T00:15+02:00' | '00:01'
---
query:
RETURN time('10:00+02:00') < time('09:30+00:00') AS a, date('2019-01-01') = date({year: 2019, month: 1, day: 1}) AS b, date('2019-01-01') < localdatetime('2019-01-01T00:00') AS c, datetime('2020-01-01T00:00+01:00') = datetime('2019-12-31T23:00Z') AS d
expect:
a | b | c | d
true | true | null | true
---
query:
WITH date('1984-10-11') AS d RETURN d.year AS y, d.month AS m, d.day AS dd, datetime('2020-05-06T07:08:09.123Z').millisecond AS ms, duration({hours: 2}).minutes AS mins
expect:
y | m | dd | ms | mins
1984 | 10 | 11 | 123 | 120
---
# stored as text; arithmetic with a duration reads the text back
query:
CREATE (e:Event {on: date('2011-04-01')}) RETURN e.on AS stored, e.on + duration({days: 30}) AS later
expect:
stored | later
'2011-04-01' | '2011-05-01'
---
query:
UNWIND [date('2001-01-01'), date('1999-12-31'), date('2000-06-15')] AS d RETURN d ORDER BY d
expect ordered:
d
'1999-12-31'
'2000-06-15'
'2001-01-01'
---
query:
RETURN date('2019-13-01')
error: InvalidArgumentValue runtime
