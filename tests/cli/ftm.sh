#!/usr/bin/env bash
# CLI tests of the FollowTheMoney reader (issue 8): the donations fixture
# against figures computed by tests/data/ftm/check.py (stdlib json only),
# the hard cases of tests/data/ftm/cases.ijson (fragments, edges with several
# pairs, sanctions, datasets and sourceUrl as sources, numbers, unknown
# references reported), the choice of the format by extension and content,
# and the bad-input catalogue (exit 65, one FILE:LINE:COL line, the store
# unchanged).
# Usage: ftm.sh TIEGRAPH SOURCE_DIR
set -u
tg=$1
src=$2
data=$src/tests/data/ftm
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
# Every row of a query as JSON.
qall() { "$tg" query --db "$1" --format json -e "$2" | python3 -c 'import json,sys; print(json.dumps(json.loads(sys.stdin.read())["rows"], sort_keys=True))'; }
field() { echo "$1" | python3 -c "import json,sys; print(json.dumps(json.load(sys.stdin)[\"$2\"], sort_keys=True))"; }

# ---- donations.ijson against check.py --------------------------------------------------
expect=$(python3 "$data/check.py" "$data/donations.ijson")
"$tg" import --db d.db --format ftm --report report.txt "$data/donations.ijson" > out.txt 2> err.txt
check_rc "donations import" 0 $?
stats=$("$tg" stats --db d.db --format json)
same "donations entities by label" "$(field "$expect" labels)" "$(field "$stats" labels)"
same "donations relations by type" "$(field "$expect" types)" "$(field "$stats" types)"
same "donations entities" "$(field "$expect" entities)" "$(field "$stats" entities)"
same "donations relations" "$(field "$expect" relations)" "$(field "$stats" relations)"
same "donations entities by schema" "$(field "$expect" schemata)" \
  "$(qall d.db "MATCH (n) RETURN n.schema AS s, count(*) AS c ORDER BY s" | python3 -c 'import json,sys; print(json.dumps({s: c for s, c in json.load(sys.stdin)}, sort_keys=True))')"
same "donations amount sum" "$(field "$expect" amount_sum)" \
  "\"$(qall d.db "MATCH ()-[r:PAID]->() UNWIND r.amountEur AS a RETURN sum(a)" | python3 -c 'import json,sys; print("%.2f" % json.load(sys.stdin)[0][0])')\""
same "donations sources" "$(field "$expect" sources)" "$(field "$stats" sources | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
same "donations skipped" "$(field "$expect" skipped)" "$(wc -l < report.txt | tr -d ' ')"
grep -q "184 entities (184 new, 0 merged), 393 relations (393 new, 0 already present), 1 source" out.txt \
  && ok || bad "donations summary: $(cat out.txt)"
same "donations payment as relation" \
  '[["f9c295f21b233ac878fbac4d271bb6fd13d7952a", "6d03aec76fdeec8f9697d8b19954ab6fc2568bc8", [100000.0], ["2011-12-29"], "Payment", ["donations.ijson"]]]' \
  "$(qall d.db "MATCH (a)-[r:PAID {id: '2216b422a31242fe204654ce194864661f515921'}]->(b) RETURN a.id, b.id, r.amountEur, r.date, r.schema, r.sources")"
same "donations address as relation" '[["HAS_ADDRESS", "addressEntity", ["Schillerstra\u00dfe 19"]]]' \
  "$(qall d.db "MATCH (p {id: 'f9c295f21b233ac878fbac4d271bb6fd13d7952a'})-[h]->(a:Address) RETURN type(h), h.property, a.street")"
# importing the same file again changes nothing
cp d.db d-before.db
"$tg" import -q --db d.db "$data/donations.ijson"
cmp -s d.db d-before.db && ok || bad "donations re-import changed the store"

# ---- the format by extension and content -----------------------------------------------
cp "$data/donations.ijson" as.json
cp "$data/donations.ijson" as.ftm.json
head -n 4 "$data/donations.ijson" > noext
for f in as.json as.ftm.json noext; do
  rm -f f.db
  "$tg" import -q --db f.db "$f" 2> err.txt
  check_rc "ftm chosen for $f" 0 $?
done
# a tiegraph/1 line with "id", "schema" and "properties" inside is not FtM
printf '{"entity": {"id": "a", "labels": ["X"], "schema": "s", "properties": "p"}}\n' > tiegraph-lines
same "tiegraph/1 lines are not sniffed as FtM" '"s"' \
  "$("$tg" query --in tiegraph-lines --format json -e "MATCH (n:X) RETURN n.schema" | python3 -c 'import json,sys; print(json.dumps(json.loads(sys.stdin.readline())["rows"][0][0]))')"
same "query --in an .ijson file" '474' \
  "$("$tg" query --in "$data/donations.ijson" --format json -e 'MATCH (n) RETURN count(n) + 290' | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["rows"][0][0])')"

# ---- the hard cases ---------------------------------------------------------------------
"$tg" import --db c.db --report report.txt "$data/cases.ijson" > out.txt 2> err.txt
check_rc "cases import" 0 $?
grep -q "2 relations skipped (unknown entity" out.txt && ok || bad "cases skipped count: $(cat out.txt)"
same "cases report" "$(printf '%s\n' "$data/cases.ijson:12:1: skipped a OWNS relation: unknown entity \"ghost\"" \
  "$data/cases.ijson:13:87: skipped a HAS_ADDRESS relation: unknown entity \"nowhere\"")" "$(cat report.txt)"
same "fragments merged, lists united, sources of both" \
  '[[["Person"], ["Jane Roe", "J. Roe"], ["Janie"], null, ["gb_coh", "us_ofac_sdn"]]]' \
  "$(qall c.db "MATCH (p {id: 'p-1'}) RETURN labels(p), p.name, p.alias, p.datasets, p.sources")"
same "ownership: FtM id, numbers converted (50%, 1,000), dates text" \
  '[["p-1", "ds-co", [50.0], [1000.0], ["2019"], ["gb_coh"]]]' \
  "$(qall c.db "MATCH (a)-[r:OWNS {id: 'own-1'}]->(b) RETURN a.id, b.id, r.percentage, r.sharesCount, r.startDate, r.sources")"
same "edge fragments merged" '[["dir-1", ["Director", "Secretary"], ["2024"]]]' \
  "$(qall c.db "MATCH (:Person {id: 'p-1'})-[r:DIRECTS]->(:Company) RETURN r.id, r.role, r.endDate")"
same "payment to two beneficiaries: one relation a pair" \
  '[["gov-1<pay-1>ds-co", [2500000.5], ["contract-9"]], ["gov-1<pay-1>p-1", [2500000.5], ["contract-9"]]]' \
  "$(qall c.db "MATCH (:Government {id: 'gov-1'})-[r:PAID]->(b) RETURN r.id, r.amount, r.contract ORDER BY r.id")"
same "sanctions kept whole, tied to the sanctioned entity" \
  '[[["HM Treasury"], ["Russia"], ["gb_hmt"]], [["OFAC"], ["SDN"], ["us_ofac_sdn"]]]' \
  "$(qall c.db "MATCH (s:Sanction)-[:SANCTIONS]->(:Person {id: 'p-1'}) RETURN s.authority, s.program, s.sources ORDER BY s.authority")"
same "PublicBody is a Government, schema kept" '[["PublicBody"]]' "$(qall c.db "MATCH (g:Government) RETURN g.schema")"
same "OpenSanctions context kept" '[["2021-01-02T00:00:00", "2024-05-01T00:00:00", ["gb-coh-123"], false, "Acme Ltd"]]' \
  "$(qall c.db "MATCH (c {id: 'ds-co'}) RETURN c.first_seen, c.last_seen, c.referents, c.target, c.caption")"
same "sourceUrl and datasets as sources" '[[["gb_coh", "https://example.org/acme"]]]' \
  "$(qall c.db "MATCH (c {id: 'ds-co'}) RETURN c.sources")"
same "url source record with its publisher" \
  '{"id": "https://example.org/acme", "publisher": "Companies House", "url": "https://example.org/acme"}' \
  "$("$tg" export -q --db c.db --to jsonl c.jsonl && python3 -c 'import json,sys
for l in open("c.jsonl"):
    d = json.loads(l)
    if d.get("source", {}).get("id", "").startswith("https"): print(json.dumps(d["source"], sort_keys=True))')"
same "a record without datasets cites the file" '[[["cases.ijson"]]]' "$(qall c.db "MATCH (g {id: 'gov-1'}) RETURN g.sources")"
same "numbers that do not convert stay text" '[[[80.0], ["tall"]]]' "$(qall c.db "MATCH (p {id: 'p-2'}) RETURN p.weight, p.height")"
same "entity property of a thing: relation; unknown property kept" '[["OWNED_BY", "owner", ["kept as text"]]]' \
  "$(qall c.db "MATCH (v:Vessel)-[r]->(:Company) RETURN type(r), r.property, v.notInTheModel")"
# importing it again gives the same content (fragments replace, then unite, so
# the store is written again: compare the exports)
"$tg" export -q --db c.db --to jsonl before.jsonl
"$tg" import -q --db c.db "$data/cases.ijson"
"$tg" export -q --db c.db --to jsonl after.jsonl
cmp -s before.jsonl after.jsonl && ok || bad "cases re-import changed the content"

# ---- the bad-input catalogue -----------------------------------------------------------------
b=$src/tests/data/bad/ftm
cp d.db before.db
cases=(
  "not-object.ijson|2:1|line is an array, not a JSON object; expected a FollowTheMoney entity"
  "no-id.ijson|2:1|entity has no \"id\"; expected a non-empty string"
  "no-schema.ijson|1:1|entity \"x\" has no \"schema\"; expected a FollowTheMoney schema name"
  "unknown-schema.ijson|1:23|unknown schema \"Persn\"; expected a FollowTheMoney schema"
  "properties-not-object.ijson|1:47|\"properties\" is an array; expected an object of property names"
  "value-not-list.ijson|1:56|property \"name\" is a string; expected a list of strings"
  "value-not-string.ijson|1:98|property \"amount\" holds a number in its list; expected a list of strings"
  "invalid-utf8.ijson|1:63|invalid UTF-8 byte 0xff in string"
  "truncated.ijson|2:62|unexpected end of line: the JSON object is incomplete"
  "edge-no-target.ijson|1:51|Ownership \"o1\" has no \"asset\"; expected the id of the entity the \"OWNS\" relation points to"
  "edge-no-source.ijson|1:61|Ownership \"o1\" has no \"owner\"; expected the id of the entity the \"OWNS\" relation starts from"
)
for cs in "${cases[@]}"; do
  IFS='|' read -r file pos msg <<< "$cs"
  "$tg" import --db d.db --format ftm "$b/$file" > out.txt 2> err.txt
  check_rc "$file" 65 $?
  cmp -s d.db before.db && ok || bad "$file: the store changed"
  [ "$(wc -l < err.txt)" -eq 1 ] && ok || bad "$file: expected one error line, got: $(cat err.txt)"
  want="tiegraph: $b/$file:$pos: error: $msg"
  got=$(cat err.txt)
  [[ "$got" == "$want"* ]] && ok || bad "$file message: got $got, expected $want..."
done
"$tg" import --db fresh.db --format ftm "$b/no-id.ijson" 2> /dev/null
[ ! -e fresh.db ] && ok || bad "a failed first import left a store"
: > empty.ijson
"$tg" import --db d.db empty.ijson 2> err.txt
check_rc "empty file" 65 $?
grep -q "^tiegraph: empty.ijson:1:1: error: empty file: expected FollowTheMoney entities" err.txt && ok || bad "empty: $(cat err.txt)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
