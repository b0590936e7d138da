#!/usr/bin/env bash
# CLI tests of the readers and writers of issue 8: GCDF and ASPI fixtures
# against figures computed by independent Python scripts, CSV with Neo4j
# headers (groups, header files, typed and list columns, RFC 4180 cases),
# every bad input of the CSV and mapping catalogue (exit 65, one
# FILE:LINE:COL line, the store unchanged), and round trips through
# `tiegraph export` (json, jsonl, csv).
# Usage: formats.sh TIEGRAPH SOURCE_DIR
set -u
tg=$1
src=$2
data=$src/tests/data
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check_rc() { if [ "$2" = "$3" ]; then ok; else bad "$1: exit status $3, expected $2"; fi; }
same() { # name expected actual
  if [ "$2" = "$3" ]; then ok; else bad "$1: got $3, expected $2"; fi
}

# A query's single value as JSON (first row, first column).
q1() { "$tg" query --db "$1" --format json -e "$2" | python3 -c 'import json,sys; print(json.dumps(json.loads(sys.stdin.readline())["rows"][0][0], sort_keys=True))'; }

# Labels and types of a store as one JSON object, sorted.
shape() { "$tg" stats --db "$1" --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"labels": d["labels"], "types": d["types"]}, sort_keys=True))'; }

# ---- GCDF: the built-in mapping against check.py ------------------------------
expect=$(python3 "$data/gcdf/check.py" "$data/gcdf/projects.csv")
"$tg" import -q --db gcdf.db --format gcdf "$data/gcdf/projects.csv" 2> err.txt
check_rc "gcdf import" 0 $?
want=$(echo "$expect" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"labels": d["labels"], "types": d["types"]}, sort_keys=True))')
same "gcdf labels and types" "$want" "$(shape gcdf.db)"
same "gcdf entities" "$(echo "$expect" | python3 -c 'import json,sys; print(json.load(sys.stdin)["entities"])')" \
  "$(q1 gcdf.db 'MATCH (n) RETURN count(n)')"
same "gcdf project amount sum" "$(echo "$expect" | python3 -c 'import json,sys; print(json.load(sys.stdin)["project_amount_sum"])')" \
  "$(q1 gcdf.db 'MATCH (p:Project) RETURN sum(p.amount)')"
same "gcdf FINANCES amount sum (single funder only)" "$(echo "$expect" | python3 -c 'import json,sys; print(json.load(sys.stdin)["finances_amount_sum"])')" \
  "$(q1 gcdf.db 'MATCH ()-[f:FINANCES]->() RETURN sum(f.amount)')"
same "gcdf sources" "$(echo "$expect" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sources"])')" \
  "$("$tg" stats --db gcdf.db --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sources"]))')"
# the same file named .csv is recognised by its header
cp "$data/gcdf/projects.csv" download.csv
"$tg" import -q --db gcdf2.db download.csv 2> err.txt
check_rc "gcdf by content" 0 $?
same "gcdf by content: same shape" "$(shape gcdf.db)" "$(shape gcdf2.db)"
# facts: a multi-line description with doubled quotes, every source cited, the known lender id
same "gcdf description" '"In 2011, China Eximbank and the Government of Ecuador signed a loan agreement,\nworth $240 million, for the \"ECU-911\" project.\n\nCEIEC and \"Huawei\" supplied cameras, servers, etc."' \
  "$(q1 gcdf.db "MATCH (p:Project {gcdf_id: 1001}) RETURN p.description")"
same "gcdf citations" '["aiddata-gcdf-3#1001", "https://example.org/ecu911", "https://example.org/ecu911-followup"]' \
  "$(q1 gcdf.db "MATCH (p:Project {gcdf_id: 1001}) RETURN p.sources")"
same "gcdf lender merged across rows" '3' \
  "$(q1 gcdf.db "MATCH (:Lender {id: 'exim-china'})-[f:FINANCES]->() RETURN count(f)")"
same "gcdf duplicate agency once" '1' \
  "$(q1 gcdf.db "MATCH (:Lender {id: 'cdb'})-[f:FINANCES]->(:Project {gcdf_id: 1003}) RETURN count(f)")"
same "gcdf amount kept off shared funding" 'null' \
  "$(q1 gcdf.db "MATCH (:Lender {id: 'cdb'})-[f:FINANCES]->(:Project {gcdf_id: 1002}) RETURN f.amount")"
# re-import changes nothing
cp gcdf.db gcdf-before.db
"$tg" import -q --db gcdf.db --format gcdf "$data/gcdf/projects.csv"
cmp -s gcdf.db gcdf-before.db && ok || bad "gcdf re-import changed the store"

# ---- ASPI ------------------------------------------------------------------------
expect=$(python3 "$data/aspi/check.py" "$data/aspi/export.csv")
"$tg" import -q --db aspi.db "$data/aspi/export.csv" 2> err.txt
check_rc "aspi import (by content)" 0 $?
want=$(echo "$expect" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"labels": d["labels"], "types": d["types"]}, sort_keys=True))')
same "aspi labels and types" "$want" "$(shape aspi.db)"
same "aspi year sum" "$(echo "$expect" | python3 -c 'import json,sys; print(json.load(sys.stdin)["year_sum"])')" \
  "$(q1 aspi.db 'MATCH (p:Project) RETURN sum(p.year_commenced)')"
same "aspi html stripped" '"Huawei\u2019s \u201csmart\u201d city project & lab."' \
  "$(q1 aspi.db "MATCH (p:Project {aspi_id: 1234}) RETURN p.description")"
same "aspi row id as fragment" '["aspi-chinatechmap#1236"]' \
  "$(q1 aspi.db "MATCH (p:Project {aspi_id: 1236}) RETURN p.sources")"
same "aspi unknown column ignored" 'null' \
  "$(q1 aspi.db "MATCH (p:Project {aspi_id: 1234}) RETURN p.an_unknown_column")"

# ---- CSV with Neo4j headers -------------------------------------------------------
c=$data/csv
"$tg" import -q --db n.db --nodes "$c/people.csv" \
  --nodes "Company=$c/companies-header.csv,$c/companies-part1.csv,$c/companies-part2.csv" \
  --relationships "$c/works.csv" --relationships "OWNS=$c/owns.csv" 2> err.txt
check_rc "neo4j csv import" 0 $?
"$tg" import -q --db n.db --delimiter ';' --array-delimiter '|' --nodes "$c/semi.csv" 2> err.txt
check_rc "neo4j csv, other delimiters" 0 $?
same "csv entity with groups, labels, types, lists" \
  '{"id": "Person:p1", "labels": ["Founder", "Person"], "properties": {"alive": true, "born": 1944, "name": "Ren Zhengfei", "note": "said \"no\", twice", "personId": "p1", "score": 9.5, "tags": ["huawei", "founder"]}}' \
  "$(q1 n.db "MATCH (n {id: 'Person:p1'}) RETURN n" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); d["labels"].sort(); print(json.dumps(d, sort_keys=True))')"
same "csv empty cell absent, \"\" empty string, CRLF inside quotes" \
  '{"born": 1972, "name": "Meng\r\nWanzhou", "note": "", "score": null}' \
  "$(q1 n.db "MATCH (n {id: 'Person:p2'}) RETURN {born: n.born, name: n.name, note: n.note, score: n.score}")"
same "csv hostile text" '"\u674e <script>x</script> \ud83d\udcf7"' "$(q1 n.db "MATCH (n {id: 'Person:p3'}) RETURN n.name")"
same "csv header file and parts" '3' "$(q1 n.db "MATCH (c:Company) RETURN count(c)")"
same "csv quoted delimiter" '"ZTE, Corp"' "$(q1 n.db "MATCH (c {id: 'Company:zte'}) RETURN c.name")"
same "csv --relationships TYPE= and relation ids" '["own-1", "own-2"]' \
  "$(q1 n.db "MATCH ()-[r:OWNS]->() RETURN collect(r.id)")"
same "csv --delimiter ; --array-delimiter |" '{"aliases": ["A", "B"], "labels": ["Bank", "Lender"]}' \
  "$(q1 n.db "MATCH (n {id: 'x1'}) RETURN {aliases: n.aliases, labels: labels(n)}" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); d["labels"].sort(); print(json.dumps(d, sort_keys=True))')"

# ---- the bad-input catalogue: one error line, exit 65, the store unchanged ----------
b=$data/bad/csv
cp n.db before.db
# file | expected position | message fragment | extra arguments
cases=(
  "unterminated.csv|2:5|unterminated quoted field|"
  "ragged.csv|3:9|this row has 4 fields; the header (line 1) has 3|"
  "unknown-type.csv|1:14|unknown type \"money\"|"
  "missing-id.csv|2:1|entity has no id|"
  "conflicting-labels.csv|3:1|duplicate entity id \"a\" (first defined at line 2)|"
  "unknown-end.csv|2:1|refers to unknown entity|"
  "invalid-utf8.csv|3:9|invalid UTF-8|"
  "bad-int.csv|2:5|\"12x\" is not an integer|"
  "bad-bool.csv|2:5|\"yes\" is not a boolean|"
  "after-quote.csv|2:10|after the closing quote|"
  "no-label.csv|2:1|has no label|"
  "watchlist.csv|1:1|not a Neo4j bulk-import CSV|"
  "watchlist.csv|2:35|names column \"Nope\"|--map $b/missing-column.map.json"
  "watchlist.csv|3:42|unknown key \"tpye\"|--map $b/typo.map.json"
  "watchlist.csv|2:1|unexpected end of file|--map $b/truncated.map.json"
)
for cs in "${cases[@]}"; do
  IFS='|' read -r file pos frag extra <<< "$cs"
  # shellcheck disable=SC2086
  "$tg" import --db n.db $extra "$b/$file" > out.txt 2> err.txt
  rc=$?
  check_rc "$file $extra" 65 $rc
  cmp -s n.db before.db && ok || bad "$file: the store changed"
  [ "$(wc -l < err.txt)" -eq 1 ] && ok || bad "$file: expected one error line, got: $(cat err.txt)"
  grep -q "^tiegraph: [^ ]*:$pos: error: .*$frag" err.txt && ok || bad "$file $extra: expected $pos and '$frag': $(cat err.txt)"
done
# a failed first import leaves no store behind
"$tg" import --db fresh.db "$b/ragged.csv" 2> /dev/null
[ ! -e fresh.db ] && ok || bad "a failed first import left a store"
# a file that cannot be read: exit 66
"$tg" import --db n.db "$b/no-such.csv" 2> err.txt
check_rc "missing file" 66 $?

# ---- bounded input: a device or a pipe is never buffered without end -----------------------
timeout 60 "$tg" import --db z.db /dev/zero > out.txt 2> err.txt
check_rc "import /dev/zero" 65 $?
grep -q "cannot tell the format" err.txt && ok || bad "import /dev/zero: $(cat err.txt)"
timeout 60 "$tg" import --db z.db --format jsonl --max-record-size 1M /dev/zero > out.txt 2> err.txt
check_rc "import /dev/zero as JSON Lines" 65 $?
grep -q "line 1 is longer than 1048576 bytes" err.txt && ok || bad "import /dev/zero as jsonl: $(cat err.txt)"
timeout 60 "$tg" import --db z.db --format json --max-record-size 1M /dev/zero > out.txt 2> err.txt
check_rc "import /dev/zero as a document" 65 $?
grep -q "not a regular file and holds more than 1048576 bytes" err.txt && ok || bad "import /dev/zero as json: $(cat err.txt)"
[ ! -e z.db ] && ok || bad "a failed import of /dev/zero left a store"
# a pipe of JSON Lines is streamed
printf '{"entity": {"id": "p", "labels": ["X"]}}\n' | "$tg" import -q --db pipe.db --format jsonl /dev/stdin
check_rc "import from a pipe" 0 $?

# ---- round trips through export ------------------------------------------------------
# json, jsonl and csv exports import into the same store (compared as canonical JSON)
canon() { python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
for s in d["sources"]:
    pass
d["sources"]=[dict(sorted(s.items())) for s in d["sources"]]
print(json.dumps(d, sort_keys=True))' "$1"; }
for db in gcdf.db aspi.db n.db; do
  "$tg" export -q --db "$db" --to json "$db.json" || bad "$db: export json"
  for fmt in json jsonl; do
    "$tg" export -q --db "$db" --to $fmt "rt.$fmt" || bad "$db: export $fmt"
    rm -f rt.db
    "$tg" import -q --db rt.db "rt.$fmt" || bad "$db: import $fmt"
    "$tg" export -q --db rt.db --to json back.json
    same "$db $fmt round trip" "$(canon "$db.json")" "$(canon back.json)"
  done
  rm -rf csvout rt.db
  "$tg" export -q --db "$db" --to csv csvout || bad "$db: export csv"
  (cd csvout && eval "\"$tg\" import -q --db ../rt.db $(grep '^tiegraph import' import.txt | sed 's/^tiegraph import//')") \
    || bad "$db: import the csv export"
  "$tg" export -q --db rt.db --to json back.json
  same "$db csv round trip" "$(canon "$db.json")" "$(canon back.json)"
done
# a query's export holds the result, its endpoints and the sources they cite
"$tg" export -q --db gcdf.db --query "MATCH (l:Lender {id: 'exim-china'})-[f:FINANCES]->(p) RETURN f" --to json sub.json
same "query export counts" '[4, 3, 4]' "$(python3 -c 'import json,sys; d=json.load(open("sub.json")); print(json.dumps([len(d["entities"]), len(d["relations"]), len(d["sources"])]))')"
# never over a store
"$tg" export --db gcdf.db --to json aspi.db 2> err.txt
check_rc "export over a store" 74 $?
cmp -s aspi.db aspi.db && grep -q "SQLite database" err.txt && ok || bad "export over a store: $(cat err.txt)"

# ---- LOAD CSV: the same reader inside a query ------------------------------------------
mkdir -p lc
printf 'name,country,note\nHuawei,CN,\n"ZTE, Corp",CN,""\n' > lc/watch.csv
printf 'a,b\n1,"x\n' > lc/bad.csv
cat > lc/join.cypher <<'CY'
// relative paths are the script's folder's
LOAD CSV WITH HEADERS FROM 'file:watch.csv' AS row
OPTIONAL MATCH (c:Company) WHERE c.name = row.name
RETURN row.name AS name, row.note IS NULL AS absent, row.note = '' AS empty, c.id AS id
ORDER BY name;
CY
"$tg" query --in "$src/examples/aspi-2019/graph.json" --format json lc/join.cypher > out.txt 2> err.txt
check_rc "load csv" 0 $?
same "load csv rows" '[["Huawei", true, null, "huawei"], ["ZTE, Corp", false, true, null]]' \
  "$(python3 -c 'import json,sys; print(json.dumps(json.load(open("out.txt"))["rows"]))')"
"$tg" query --in "$src/examples/aspi-2019/graph.json" -e "LOAD CSV FROM 'file://$work/lc/watch.csv' AS r FIELDTERMINATOR ',' RETURN r[0] AS first SKIP 1 LIMIT 1" --format csv > out.txt 2>&1
same "load csv absolute url, no headers" "$(printf 'first\nHuawei\n')" "$(tr -d '\r' < out.txt)"
printf "LOAD CSV FROM 'bad.csv' AS r\nRETURN r;\n" > lc/bad.cypher
"$tg" query --in "$src/examples/aspi-2019/graph.json" lc/bad.cypher > out.txt 2> err.txt
check_rc "load csv bad data" 65 $?
grep -q "^tiegraph: lc/bad.csv:2:3: error: unterminated quoted field" err.txt && ok || bad "load csv bad data: $(cat err.txt)"
"$tg" query --in "$src/examples/aspi-2019/graph.json" -e "LOAD CSV FROM 'https://example.org/x.csv' AS r RETURN r" > out.txt 2> err.txt
check_rc "load csv refuses the network" 66 $?

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
