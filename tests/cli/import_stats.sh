#!/usr/bin/env bash
# CLI tests of `tiegraph import` and `tiegraph stats`: every bad input of
# issue 2 gets its exit status, one `tiegraph: FILE:LINE:COL: error:` line,
# and leaves the store byte for byte as it was; re-import changes nothing;
# $TIEGRAPH_DB, --help and --version work.
# Usage: import_stats.sh TIEGRAPH SOURCE_DIR
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

check_rc() { # name expected actual
  if [ "$2" = "$3" ]; then ok; else bad "$1: exit status $3, expected $2"; fi
}

cat > good.json <<'JSON'
{"format": "tiegraph/1",
 "sources": [{"id": "aspi-2019", "title": "Mapping China's Tech Giants", "publisher": "ASPI",
              "date": "2019-04-18", "url": "https://chinatechmap.aspi.org.au/"}],
 "entities": [
  {"id": "cetc", "labels": ["Company"], "name": "China Electronics Technology Group", "country": "CN", "sources": ["aspi-2019"]},
  {"id": "hikvision", "labels": ["Company", "Subsidiary"], "name": "Hikvision \"海康威视\" <script>alert(1)</script> 🚀", "country": "CN", "sources": ["aspi-2019#72"]},
  {"id": "exim", "labels": ["Lender"], "name": "China Exim Bank", "sources": ["aspi-2019"]},
  {"id": "gov-ec", "labels": ["Government"], "name": "Government of Ecuador", "sources": ["aspi-2019"]}],
 "relations": [
  {"type": "OWNS", "from": "cetc", "to": "hikvision", "sources": ["aspi-2019#72"]},
  {"type": "FINANCES", "from": "exim", "to": "gov-ec", "amount": 240000000, "year": 2011, "sources": ["aspi-2019"]},
  {"type": "FINANCES", "from": "exim", "to": "gov-ec", "amount": 240000000, "year": 2011, "sources": ["aspi-2019"]}]}
JSON

"$tg" import --db s.db good.json > out.txt 2> err.txt
check_rc "good import" 0 $?
grep -q "s.db: 4 entities, 3 relations" out.txt && ok || bad "good import summary: $(cat out.txt)"
cp s.db before.db

# Re-import changes nothing, not even a byte.
"$tg" import --db s.db good.json > out.txt 2>&1
check_rc "re-import" 0 $?
cmp -s s.db before.db && ok || bad "re-import changed the store"
grep -q "(unchanged)" out.txt && ok || bad "re-import does not say unchanged: $(cat out.txt)"

# name | expected exit | expected line:col ("" = no position) | message fragment | content
cases=(
  "empty|65|1:1|empty|"
  "truncated|65||truncated|{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"]"
  "trailing|65|1:26|trailing|{\"format\": \"tiegraph/1\"} xyz"
  "wrongformat|65|1:12|tiegraph/1|{\"format\": \"neo4j/5\"}"
  "noformat|65|1:1|format|{\"entities\": []}"
  "noid|65|1:39|id|{\"format\": \"tiegraph/1\", \"entities\": [{\"labels\": [\"X\"]}]}"
  "nolabels|65|1:39|labels|{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\"}]}"
  "dupid|65|2:8|duplicate|{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"]},
{\"id\": \"a\", \"labels\": [\"X\"]}]}"
  "unknownto|65|3:48|unknown|{\"format\": \"tiegraph/1\",
\"entities\": [{\"id\": \"a\", \"labels\": [\"X\"]}],
\"relations\": [{\"type\": \"T\", \"from\": \"a\", \"to\": \"zz\"}]}"
  "unknownfrom|65||unknown|{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"]}], \"relations\": [{\"type\": \"T\", \"from\": \"nobody\", \"to\": \"a\"}]}"
  "notype|65||type|{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"]}], \"relations\": [{\"from\": \"a\", \"to\": \"a\"}]}"
  "objectprop|65||object|{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"], \"owner\": {\"x\": 1}}]}"
  "mixedlist|65||list|{\"format\": \"tiegraph/1\", \"entities\": [{\"id\": \"a\", \"labels\": [\"X\"], \"tags\": [1, \"two\"]}]}"
)
for c in "${cases[@]}"; do
  IFS='|' read -r name want pos frag content <<< "$c"
  # read stops at the first newline: take the content from the case itself
  content=${c#*|*|*|*|}
  printf '%s' "$content" > "$name.json"
  "$tg" import --db s.db "$name.json" > out.txt 2> err.txt
  check_rc "$name" "$want" $?
  cmp -s s.db before.db && ok || bad "$name: the store changed"
  [ "$(wc -l < err.txt)" -eq 1 ] && ok || bad "$name: expected one error line, got: $(cat err.txt)"
  if [ -n "$pos" ]; then
    grep -q "^tiegraph: $name.json:$pos: error: " err.txt && ok || bad "$name: expected position $pos: $(cat err.txt)"
  else
    grep -Eq "^tiegraph: $name.json:[0-9]+:[0-9]+: error: " err.txt && ok || bad "$name: no FILE:LINE:COL: $(cat err.txt)"
  fi
  grep -qi "$frag" err.txt && ok || bad "$name: message lacks '$frag': $(cat err.txt)"
done

# Invalid UTF-8 in a string, and a JSONL line that is not an object.
printf '{"format": "tiegraph/1", "entities": [{"id": "a", "labels": ["X"], "name": "bad \xff byte"}]}' > badutf8.json
"$tg" import --db s.db badutf8.json 2> err.txt
check_rc badutf8 65 $?
grep -Eq "^tiegraph: badutf8.json:1:[0-9]+: error: .*UTF-8" err.txt && ok || bad "badutf8: $(cat err.txt)"
cmp -s s.db before.db && ok || bad "badutf8: the store changed"
printf '{"entity": {"id": "a", "labels": ["X"]}}\n[1, 2]\n' > notobj.jsonl
"$tg" import --db s.db notobj.jsonl 2> err.txt
check_rc notobj 65 $?
grep -Eq "^tiegraph: notobj.jsonl:2:1: error: " err.txt && ok || bad "notobj: $(cat err.txt)"
cmp -s s.db before.db && ok || bad "notobj: the store changed"

# A good file followed by a bad one: nothing of the good one lands.
printf '{"format": "tiegraph/1", "entities": [{"id": "new1", "labels": ["X"]}]}' > extra.json
"$tg" import --db s.db extra.json truncated.json 2> err.txt
check_rc "good then bad" 65 $?
cmp -s s.db before.db && ok || bad "good then bad: the store changed"

# Missing file: 66, store untouched; a failed first import leaves no store.
"$tg" import --db s.db missing.json 2> err.txt
check_rc missing 66 $?
grep -q "^tiegraph: missing.json: error: " err.txt && ok || bad "missing: $(cat err.txt)"
cmp -s s.db before.db && ok || bad "missing: the store changed"
"$tg" import --db fresh.db empty.json 2> /dev/null
check_rc "fresh bad" 65 $?
[ ! -e fresh.db ] && ok || bad "a failed first import left fresh.db behind"

# A store that is not one: 74.
echo "not a database" > junk.db
"$tg" stats --db junk.db 2> err.txt
check_rc "junk store" 74 $?
"$tg" stats --db nowhere.db 2> err.txt
check_rc "no store" 74 $?

# Usage errors: 64.
"$tg" import 2> /dev/null; check_rc "import no file" 64 $?
"$tg" import --bogus x 2> /dev/null; check_rc "import bad option" 64 $?
"$tg" stats --format xml 2> /dev/null; check_rc "stats bad format" 64 $?
"$tg" frobnicate 2> /dev/null; check_rc "unknown command" 64 $?

# Stats, text and JSON, and $TIEGRAPH_DB.
TIEGRAPH_DB=s.db "$tg" stats > stats.txt
check_rc "stats env" 0 $?
grep -Eq "^entities +4$" stats.txt && ok || bad "stats entities: $(cat stats.txt)"
grep -Eq "^  FINANCES +2$" stats.txt && ok || bad "stats FINANCES: $(cat stats.txt)"
grep -q "components  2 weakly connected; the largest has 2 entities" stats.txt && ok || bad "stats components"
grep -q "unsourced   0 entities and 0 relations" stats.txt && ok || bad "stats unsourced: $(grep unsourced stats.txt)"
"$tg" stats --db s.db --format json > stats.json
check_rc "stats json" 0 $?
if command -v python3 > /dev/null; then
  python3 - stats.json <<'PY' && ok || bad "stats json content: $(cat stats.json)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["entities"] == 4 and d["relations"] == 3, d
assert d["labels"] == {"Company": 2, "Government": 1, "Lender": 1, "Subsidiary": 1}, d["labels"]
assert d["types"] == {"FINANCES": 2, "OWNS": 1}, d["types"]
assert d["components"] == {"count": 2, "largest": 2}
s = d["sources"][0]
assert s["id"] == "aspi-2019" and s["citing_entities"] == 4 and s["citing_relations"] == 3, s
PY
fi

# Help and version.
for cmd in "" import stats; do
  "$tg" $cmd --help > help.txt; check_rc "help $cmd" 0 $?
  grep -q "Usage: tiegraph" help.txt && ok || bad "help $cmd has no usage line"
done
"$tg" --version | grep -Eq "^tiegraph [0-9]+\.[0-9]+\.[0-9]+$" && ok || bad "--version"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
