#!/usr/bin/env bash
# CLI tests of GraphML and GEXF (issue 8): round trips through `tiegraph
# export --to graphml` and `import` (the same store, compared as tiegraph/1
# JSON), the exports read back by python-igraph and NetworkX with the same
# counts and properties (tests/data/graphml/check_export.py), a GraphML
# written by NetworkX imported with the expected values
# (make_networkx_fixture.py wrote both), and the bad-input catalogue: one
# FILE:LINE:COL error line, exit 65, the store unchanged.
# Usage: graphml.sh TIEGRAPH SOURCE_DIR
set -u
tg=$1
src=$2
data=$src/tests/data
gm=$data/graphml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0
fail=0
# the Debian interpreter, which has python3-igraph and python3-networkx
py=/usr/bin/python3
[ -x "$py" ] || py=python3

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check_rc() { if [ "$2" = "$3" ]; then ok; else bad "$1: exit status $3, expected $2"; fi; }
same() { if [ "$2" = "$3" ]; then ok; else bad "$1: got $3, expected $2"; fi; }

if ! "$py" -c 'import igraph, networkx' 2> err.txt; then
  bad "python3-igraph and python3-networkx are needed (TG_TEST_DEPS=1 scripts/install-deps.sh): $(cat err.txt)"
  echo "$pass passed, $fail failed"
  exit 1
fi

# A tiegraph/1 document in a canonical form: relations as a sorted multiset.
canon() { "$py" -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
d["sources"] = sorted((dict(sorted(s.items())) for s in d.get("sources", [])), key=lambda s: s["id"])
for e in d["entities"]:
    e["labels"] = sorted(e["labels"])
d["entities"] = sorted(d["entities"], key=lambda e: e["id"])
d["relations"] = sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in d["relations"])
d.pop("format", None)
print(json.dumps(d, sort_keys=True, ensure_ascii=False))' "$1"; }

# ---- round trips: import, export graphml, import that, same store -------------------------
"$tg" import -q --db rich.db "$gm/rich.json" || bad "import rich.json"
"$tg" import -q --db aspi.db "$src/examples/aspi-2019/graph.json" || bad "import the example"
"$tg" import -q --db gcdf.db --format gcdf "$data/gcdf/projects.csv" || bad "import gcdf"
c=$data/csv
"$tg" import -q --db csv.db --nodes "$c/people.csv" \
  --nodes "Company=$c/companies-header.csv,$c/companies-part1.csv,$c/companies-part2.csv" \
  --relationships "$c/works.csv" --relationships "OWNS=$c/owns.csv" || bad "import the csv fixture"
for db in rich aspi gcdf csv; do
  "$tg" export -q --db $db.db --to json $db.json || bad "$db: export json"
  "$tg" export -q --db $db.db --to graphml $db.graphml || bad "$db: export graphml"
  "$tg" export -q --db $db.db --to gexf $db.gexf || bad "$db: export gexf"
  rm -f back.db
  "$tg" import -q --db back.db $db.graphml 2> err.txt
  check_rc "$db: import its graphml export" 0 $?
  "$tg" export -q --db back.db --to json back.json
  cmp -s $db.json back.json && ok || bad "$db: graphml round trip differs: $(diff $db.json back.json | head -5)"
  # importing the export again changes nothing
  cp back.db again.db
  "$tg" import -q --db back.db $db.graphml
  cmp -s back.db again.db && ok || bad "$db: importing the graphml export twice changed the store"
done

# ---- read back by python-igraph and NetworkX --------------------------------------------------
check() { # name mode file truth [--skip-mixed keys]
  local name=$1
  shift
  if out=$("$py" "$gm/check_export.py" "$@" 2>&1) && [ "$out" = ok ]; then ok; else bad "$name: $out"; fi
}
check "rich graphml, python-igraph" graphml-igraph rich.graphml rich.json --skip-mixed mixed,mixedlist,since
check "rich graphml, NetworkX" graphml-networkx rich.graphml rich.json
check "rich gexf, NetworkX" gexf-networkx rich.gexf rich.json
for db in aspi gcdf csv; do
  check "$db graphml, python-igraph" graphml-igraph $db.graphml $db.json
  check "$db graphml, NetworkX" graphml-networkx $db.graphml $db.json
  check "$db gexf, NetworkX" gexf-networkx $db.gexf $db.json
done
# the checker fails on a changed value (it is not a test that cannot fail)
sed 's/>1987</>1988</' rich.graphml > changed.graphml
"$py" "$gm/check_export.py" graphml-networkx changed.graphml rich.json > out.txt 2>&1
check_rc "checker sees a changed value" 1 $?
grep -q "property 'founded' is 1988, want 1987" out.txt && ok || bad "checker message: $(cat out.txt)"

cp rich.db before-export.db
# ---- a query's export ----------------------------------------------------------------------
"$tg" export -q --db aspi.db --query "MATCH (:Company {id: 'huawei'})-[r]->() RETURN r" --to graphml sub.graphml
check_rc "query export" 0 $?
"$tg" export -q --db aspi.db --query "MATCH (:Company {id: 'huawei'})-[r]->() RETURN r" --to json sub.json
check "query export, NetworkX" graphml-networkx sub.graphml sub.json

# never over a store (the export is refused before anything is written)
"$tg" export --db aspi.db --to graphml rich.db 2> err.txt
check_rc "graphml export over a store" 74 $?
cmp -s rich.db before-export.db && grep -q "SQLite database" err.txt && ok || bad "export over a store: $(cat err.txt)"

# ---- a GraphML written by NetworkX -------------------------------------------------------------
"$tg" import -q --db nx.db "$gm/networkx.graphml" 2> err.txt
check_rc "import NetworkX's GraphML" 0 $?
"$tg" export -q --db nx.db --to json nx.json
same "NetworkX's GraphML imports with the expected values" "$(canon "$gm/networkx.expected.json")" "$(canon nx.json)"
# chosen by content too, under another name
cp "$gm/networkx.graphml" network.xml
"$tg" import -q --db nx2.db network.xml 2> err.txt
check_rc "GraphML recognised by its content" 0 $?

# ---- the XML forms the reader decodes (the values checked against Python's expat) -----------
# an XML declaration, a DOCTYPE with an internal subset, comments and processing instructions,
# entity and character references in values and ids, CDATA sections, CR LF and CR line ends
"$tg" import -q --db xf.db "$gm/xml-features.graphml" 2> err.txt
check_rc "import xml-features.graphml" 0 $?
"$tg" export -q --db xf.db --to json xf.json
same "the XML forms decode as expat decodes them" "$(canon "$gm/xml-features.expected.json")" "$(canon xf.json)"
# the same from a pipe, read in chunks as it comes
cat "$gm/xml-features.graphml" | "$tg" import -q --db pipe.db --format graphml /dev/stdin 2> err.txt
check_rc "import GraphML from a pipe" 0 $?
"$tg" export -q --db pipe.db --to json pipe.json
cmp -s xf.json pipe.json && ok || bad "GraphML from a pipe differs: $(diff xf.json pipe.json | head -5)"

# ---- the bad-input catalogue: one error line, exit 65, the store unchanged ----------------
b=$data/bad/graphml
cp rich.db before.db
# file | position | message
cases=(
  "not-xml.graphml|1:1|not XML: expected a GraphML document starting with <graphml ...> or <?xml ...?>"
  "truncated.graphml|6:38|unexpected end of file inside <data>: the document is truncated"
  "unknown-node.graphml|7:30|relation \"to\" refers to unknown entity \"zzz\" (a \"RELATED\" relation)"
  "unknown-type.graphml|3:57|key \"d0\" has unknown attr.type \"money\"; expected boolean, int, long, float, double or string"
  "bad-int.graphml|6:33|\"12x\" is not an integer; expected a whole number such as 2015 (key \"d0\", \"year\")"
  "invalid-utf8.graphml|5:36|invalid UTF-8 byte 0xff; expected UTF-8 text (re-save the file as UTF-8)"
  "duplicate-node.graphml|6:15|duplicate entity id \"a\" (first defined at line 4)"
  "utf16.graphml|1:1|the file starts with a NUL byte or a UTF-16 byte order mark: it is not UTF-8 text (UTF-16, UTF-32 or binary?); expected a UTF-8 GraphML document (re-save it as UTF-8)"
  # XML's well-formedness, one case a rule
  "mismatched-tag.graphml|5:41|not well-formed XML: </edge> does not close <node> (line 5); expected </node>"
  "two-roots.graphml|8:1|not well-formed XML: <graphml> after the root element; expected one root element and nothing after it but comments"
  "duplicate-attribute.graphml|5:18|not well-formed XML: the attribute id is given twice in <node>; expected each attribute once"
  "unquoted-attribute.graphml|5:14|not well-formed XML: the value of the attribute id is not quoted; expected id=\"...\""
  "lt-in-attribute.graphml|5:16|not well-formed XML: '<' in the value of the attribute id; expected &lt; (or a missing closing quote)"
  "bad-name.graphml|6:5|not well-formed XML: '<' not followed by a name; expected a tag (write &lt; for a literal '<')"
  "control-char.graphml|5:36|not well-formed XML: control character U+0001 in the text; XML allows none but tab, line feed and carriage return"
  "cdata-end-in-text.graphml|5:34|not well-formed XML: ']]>' in text; expected ']]&gt;' (it ends a CDATA section, and none is open)"
  "too-deep.graphml|5:1525|not well-formed XML: elements nested deeper than 256 levels; expected a document less deep"
  "undefined-entity.graphml|5:39|not well-formed XML: the entity &nbsp; is not defined; expected &amp; &lt; &gt; &quot; &apos; or a character reference such as &#160; (no DTD is read)"
  "entity-declaration.graphml|3:3|the document declares the entity \"xxe\"; entity declarations are not supported (expected plain GraphML)"
)
for cs in "${cases[@]}"; do
  IFS='|' read -r file pos msg <<< "$cs"
  "$tg" import --db rich.db "$b/$file" > out.txt 2> err.txt
  check_rc "$file" 65 $?
  cmp -s rich.db before.db && ok || bad "$file: the store changed"
  [ "$(wc -l < err.txt)" -eq 1 ] && ok || bad "$file: expected one error line, got: $(cat err.txt)"
  same "$file" "tiegraph: $b/$file:$pos: error: $msg" "$(cat err.txt)"
done
"$tg" import --db fresh.db "$b/truncated.graphml" 2> /dev/null
[ ! -e fresh.db ] && ok || bad "a failed first import left a store"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
