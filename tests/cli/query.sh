#!/usr/bin/env bash
# CLI tests of `tiegraph query`: scripts (statements, comments, :param),
# --param, every output format, errors with line, column and caret, the
# guards, --in, --db :memory:, CREATE into a store, exit statuses.
# Usage: query.sh TIEGRAPH SOURCE_DIR
set -u
tg=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect_rc() { if [ "$2" = "$3" ]; then ok; else bad "$1: exit status $3, expected $2"; fi; }
expect_out() { # name expected-file actual-file
  if cmp -s "$2" "$3"; then ok; else bad "$1: output differs:"; diff "$2" "$3" >&2; fi
}

cat > g.json <<'JSON'
{"format": "tiegraph/1",
 "sources": [{"id": "s1", "title": "T"}],
 "entities": [
  {"id": "exim", "labels": ["Lender"], "name": "China Exim Bank", "sources": ["s1"]},
  {"id": "gov-a", "labels": ["Government"], "name": "Government of A", "country": "AA"},
  {"id": "acme", "labels": ["Company"], "name": "Acme, \"the\" <b>best</b>\ncorp", "country": "CN"},
  {"id": "proj", "labels": ["Project"], "name": "Safe City A", "category": "safe_city"}],
 "relations": [
  {"type": "FINANCES", "from": "exim", "to": "gov-a", "amount": 240000000, "year": 2011, "rate": 2.0},
  {"type": "CONTRACTS", "from": "gov-a", "to": "acme", "role": "prime"},
  {"type": "BUILDS", "from": "acme", "to": "proj"}]}
JSON
"$tg" import -q --db s.db g.json; expect_rc import 0 $?

# --- table, the default
"$tg" query --db s.db -e "MATCH (l:Lender)-[f:FINANCES]->(g) RETURN l.id AS lender, f.amount AS amount, f.rate AS rate, g.name AS gov" > out.txt
expect_rc table 0 $?
cat > want.txt <<'EOF2'
lender  amount     rate  gov
------  ---------  ----  ---------------
exim    240000000  2.0   Government of A
(1 row)
EOF2
expect_out table want.txt out.txt

# --- csv: RFC 4180 quoting of commas, quotes and line breaks
"$tg" query --db s.db --format csv -e "MATCH (c:Company) RETURN c.id AS id, c.name AS name" > out.txt
printf 'id,name\nacme,"Acme, ""the"" <b>best</b>\ncorp"\n' > want.txt
expect_out csv want.txt out.txt

# --- tsv: escapes instead of quotes
"$tg" query --db s.db --format tsv -e "MATCH (c:Company) RETURN c.id AS id, c.name AS name" > out.txt
printf 'id\tname\nacme\tAcme, "the" <b>best</b>\\ncorp\n' > want.txt
expect_out tsv want.txt out.txt

# --- json: one object per statement; floats keep their point; nodes and relations
"$tg" query --db s.db --format json -e "MATCH (l:Lender)-[f]->(g) RETURN f.amount, f.rate, 1.0/0.0 AS inf, g" > out.txt
expect_rc json 0 $?
if command -v python3 > /dev/null; then
  python3 - out.txt <<'PY' && ok || bad "json content: $(cat out.txt)"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
d = json.loads(lines[0])
assert d["columns"] == ["f.amount", "f.rate", "inf", "g"], d["columns"]
row = d["rows"][0]
assert row[0] == 240000000 and isinstance(row[0], int), row
assert '2.0' in lines[0], lines[0]
assert row[2] == "Infinity", row
g = row[3]
assert g["id"] == "gov-a" and g["labels"] == ["Government"], g
assert g["properties"]["name"] == "Government of A", g
PY
fi

# --- markdown: pipes in cells are escaped
"$tg" query --db s.db --format markdown -e "RETURN 'a|b' AS x, 1 AS y" > out.txt
printf '| x    | y   |\n| ---- | --- |\n| a\\|b | 1   |\n' > want.txt
expect_out markdown want.txt out.txt

# --- a script: comments, ';' in strings, :param, --param, several statements
cat > s.cypher <<'EOF2'
// Lenders and what they finance
:param minYear => 2010
MATCH (l:Lender)-[f:FINANCES]->(g)
WHERE f.year >= $minYear   // a comment after code
RETURN l.id AS id, 'semi;colon' AS s;

/* a block
   comment */
RETURN $who AS who, $n + 1 AS n;
EOF2
"$tg" query --db s.db --format json --param who=analyst --param n=41 s.cypher > out.txt
expect_rc script 0 $?
printf '{"columns": ["id", "s"], "rows": [["exim", "semi;colon"]]}\n{"columns": ["who", "n"], "rows": [["analyst", 42]]}\n' > want.txt
expect_out script want.txt out.txt

# --- -o writes the file, nothing on stdout
"$tg" query --db s.db -e "RETURN 1 AS one" -o o.txt > out.txt
expect_rc "-o" 0 $?
[ ! -s out.txt ] && grep -q "^one" o.txt && ok || bad "-o: $(cat out.txt o.txt)"

# --- a syntax error on line 3 of a script: position, the line, a caret
cat > err.cypher <<'EOF2'
RETURN 1;
// the next statement is wrong
MATCH (n) RETURNN n;
EOF2
"$tg" query --db s.db err.cypher > out.txt 2> err.txt
expect_rc syntax 1 $?
head -1 err.txt | grep -Eq "^tiegraph: err.cypher:3:11: error: " && ok || bad "syntax position: $(cat err.txt)"
[ "$(sed -n 2p err.txt)" = "MATCH (n) RETURNN n;" ] && ok || bad "syntax line: $(cat err.txt)"
[ "$(sed -n 3p err.txt)" = "          ^" ] && ok || bad "syntax caret: $(cat err.txt)"
grep -q "^1$" out.txt && ok || bad "the statement before the error should have run: $(cat out.txt)"

# --- a semantic error: an undefined variable, in a statement that starts mid-line
printf 'RETURN 1; RETURN nope\n' > sem.cypher
"$tg" query --db s.db sem.cypher > /dev/null 2> err.txt
expect_rc semantic 1 $?
head -1 err.txt | grep -Eq "^tiegraph: sem.cypher:1:18: error: .*nope" && ok || bad "semantic: $(cat err.txt)"

# --- a runtime error
"$tg" query --db s.db -e "RETURN 1 / 0" > /dev/null 2> err.txt
expect_rc "division by zero" 1 $?

# --- parameters read as literals, or as plain strings
"$tg" query --db :memory: --format json --param i=42 --param f=1.5 --param s=hello \
  --param q="'quoted'" --param l="[1, 2]" --param m="{a: 1}" --param b=true --param z=null \
  -e "RETURN \$i + 1 AS i, \$f AS f, \$s AS s, \$q AS q, size(\$l) AS l, \$m.a AS m, \$b AS b, \$z IS NULL AS z" > out.txt
printf '{"columns": ["i", "f", "s", "q", "l", "m", "b", "z"], "rows": [[43, 1.5, "hello", "quoted", 2, 1, true, true]]}\n' > want.txt
expect_out params want.txt out.txt

# --- --in: query files without a store
"$tg" query --in g.json --format csv -e "MATCH (p:Project) RETURN p.category AS c" > out.txt
printf 'c\nsafe_city\n' > want.txt
expect_out "--in" want.txt out.txt

# --- CREATE writes to the store, one transaction per statement
"$tg" import -q --db w.db g.json
"$tg" query --db w.db -e "CREATE (:Company {id: 'newco', name: 'NewCo'})" > /dev/null
expect_rc create 0 $?
"$tg" query --db w.db --format csv -e "MATCH (c:Company {id: 'newco'}) RETURN c.name AS n" > out.txt
printf 'n\nNewCo\n' > want.txt
expect_out "create persisted" want.txt out.txt
# a failing statement after a CREATE: the CREATE stays, nothing of the failure lands
printf "CREATE (:X {name: 'kept'});\nCREATE (:Y {name: 'never'}) RETURN 1/0;\n" > two.cypher
"$tg" query --db w.db two.cypher > /dev/null 2>&1
expect_rc "create then fail" 1 $?
"$tg" query --db w.db --format csv -e "MATCH (n) WHERE n:X OR n:Y RETURN n.name AS n" > out.txt
printf 'n\nkept\n' > want.txt
expect_out "transaction per statement" want.txt out.txt
# CREATE with --in changes nothing on disk
cp g.json g0.json
"$tg" query --in g.json -e "CREATE (:Z)" > /dev/null
cmp -s g.json g0.json && ok || bad "--in file changed"

# --- guards
"$tg" query --db :memory: --max-expansions 1000 -e "UNWIND range(1, 50) AS i CREATE (:N {i: i})" > /dev/null
"$tg" query --in g.json --max-expansions 2 -e "MATCH (a)-[*1..5]-(b) RETURN count(*)" > /dev/null 2> err.txt
expect_rc "max expansions" 1 $?
grep -qi "expansion" err.txt && ok || bad "max-expansions message: $(cat err.txt)"
"$tg" query --db :memory: --timeout 0.2 -e "UNWIND range(1, 100000000) AS i WITH i WHERE i < 0 RETURN count(*)" > /dev/null 2> err.txt
expect_rc timeout 1 $?
grep -qi "time" err.txt && ok || bad "timeout message: $(cat err.txt)"

# --- --timing
"$tg" query --db s.db --timing -e "MATCH (n) RETURN count(n)" > /dev/null 2> err.txt
grep -q "load" err.txt && grep -q "execute" err.txt && ok || bad "timing: $(cat err.txt)"

# --- usage, missing files, missing store
"$tg" query --db s.db > /dev/null 2>&1; expect_rc "no query" 64 $?
"$tg" query --db s.db --format xml -e "RETURN 1" > /dev/null 2>&1; expect_rc "bad format" 64 $?
"$tg" query --db s.db missing.cypher > /dev/null 2>&1; expect_rc "missing script" 66 $?
"$tg" query --db nowhere.db -e "RETURN 1" > /dev/null 2>&1; expect_rc "missing store" 74 $?
"$tg" query --in missing.json -e "RETURN 1" > /dev/null 2>&1; expect_rc "missing --in" 66 $?
"$tg" query --help | grep -q "Usage: tiegraph query" && ok || bad "query --help"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
