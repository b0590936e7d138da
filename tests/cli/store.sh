#!/usr/bin/env bash
# CLI tests of the store (issue 10, and issue 12's store items):
# - SQL: the sqlite3 shell reads entity / relation / property / source and
#   the write log, and agrees with tiegraph, through a base, a change log
#   and a vacuum;
# - small writes land in the change log; every write is in write_log;
# - two writers: both land, or the second fails with 74 naming the store
#   after --busy-timeout; a CREATE during an import is not lost;
# - readers during a write see all of it or none of it;
# - a full disk (ulimit -f), a read-only file and folder, a store from a
#   newer version, a trigger in the file: exit 74, nothing lost or changed;
# - names that are no store: --db '', an SQLite URI, :memory: for import,
#   -o/--svg/--dot naming the store, a one-byte file.
# Usage: store.sh TIEGRAPH SOURCE_DIR
set -u
tg=$1
src=$2
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check_rc() { if [ "$2" = "$3" ]; then ok; else bad "$1: exit status $3, expected $2"; fi; }
need() { command -v "$1" > /dev/null || { echo "store.sh: $1 is missing (scripts/install-deps.sh with TG_TEST_DEPS=1)" >&2; exit 1; }; }
need sqlite3
need python3
unset TIEGRAPH_DB

# tiegraph's own view of a store, one fact a line, sorted: ids, labels,
# names, relations. The same from the SQL views must be identical.
facts_tg() {
  "$tg" query --db "$1" --format tsv -e "MATCH (n) RETURN 'id', n.id, '' ORDER BY n.id;
    MATCH (n) UNWIND labels(n) AS l RETURN 'label', n.id, l;
    MATCH (n) WHERE n.name IS NOT NULL RETURN 'name', n.id, n.name;
    MATCH (a)-[r]->(b) RETURN 'rel', type(r), a.id + '>' + b.id" 2> /dev/null | grep -v -e '^$' -e "^'id'" \
    -e "^'label'" -e "^'name'" -e "^'rel'" | sort
}
facts_sql() {
  sqlite3 -separator $'\t' "$1" "SELECT 'id', id, '' FROM entity;
    SELECT 'label', e.id, j.value FROM entity e, json_each(e.labels) j;
    SELECT 'name', e.id, p.value FROM property p JOIN entity e ON e.ent = p.item
      WHERE p.side = 'entity' AND p.key = 'name';
    SELECT 'rel', type, src_id || '>' || dst_id FROM relation;" | sort
}
same_facts() { # label store
  facts_tg "$2" > tg.facts
  facts_sql "$2" > sql.facts
  if [ -s tg.facts ] && cmp -s tg.facts sql.facts; then ok; else
    bad "$1: SQL views and tiegraph disagree: $(diff tg.facts sql.facts | head -5)"
  fi
}

# ---- SQL, change log, write log, vacuum ------------------------------------
"$tg" import -q --db aspi.db "$src/examples/aspi-2019/graph.json"
check_rc "import aspi" 0 $?
same_facts "after import" aspi.db
# "whom does China Exim Bank finance", in plain SQL, as tiegraph says
sqlite3 aspi.db "SELECT r.dst_id FROM relation r JOIN entity s ON s.ent = r.src
  WHERE r.type = 'FINANCES' AND s.id = 'exim-china' ORDER BY 1" > sql.exim
"$tg" query --db aspi.db --format csv -e "MATCH (:Lender {id: 'exim-china'})-[:FINANCES]->(x)
  RETURN x.id ORDER BY x.id" | tail -n +2 > tg.exim
[ -s tg.exim ] && cmp -s sql.exim tg.exim && ok || bad "exim: sql $(cat sql.exim) / tiegraph $(cat tg.exim)"
sqlite3 aspi.db "SELECT count(*) FROM source WHERE id = 'aspi-2019' AND url LIKE 'https://chinatechmap%'" \
  | grep -qx 1 && ok || bad "source view"
# a fold first (the import went to the change log: small graph), then writes
"$tg" vacuum -q --db aspi.db
check_rc "vacuum" 0 $?
sqlite3 aspi.db "SELECT count(*) FROM change_entity" | grep -qx 0 && ok || bad "vacuum left a change log"
same_facts "after vacuum" aspi.db
"$tg" query --db aspi.db -e "CREATE (:Company {id: 'newco', name: 'New Co'})-[:OWNS]->(:Company {id: 'sub', name: 'Sub'})" > /dev/null
check_rc "create" 0 $?
"$tg" query --db aspi.db -e "MATCH (c {id: 'hikvision'}) SET c.name = 'Hikvision (renamed)'" > /dev/null
check_rc "set" 0 $?
sqlite3 aspi.db "SELECT count(*) FROM change_entity" | grep -qx 2 && ok || bad "CREATE did not go to the change log"
sqlite3 aspi.db "SELECT count(*) FROM base WHERE seg = 'ent.id'" | grep -qvx 0 && ok || bad "the base vanished"
same_facts "after CREATE and SET" aspi.db
sqlite3 aspi.db "SELECT kind || '|' || what FROM write_log ORDER BY id" > log.txt
grep -q "^import|.*graph.json$" log.txt && ok || bad "write log: import: $(cat log.txt)"
grep -q "^statement|CREATE (:Company {id: 'newco'" log.txt && ok || bad "write log: CREATE: $(cat log.txt)"
grep -q "^statement|MATCH (c {id: 'hikvision'}) SET" log.txt && ok || bad "write log: SET: $(cat log.txt)"
sqlite3 aspi.db "SELECT entities, relations FROM write_log WHERE what LIKE 'CREATE%'" | grep -qx '2|1' \
  && ok || bad "write log counts: $(sqlite3 aspi.db 'SELECT * FROM write_log')"
"$tg" vacuum -q --db aspi.db
same_facts "after the second vacuum" aspi.db
"$tg" vacuum --help | grep -q "Usage: tiegraph vacuum" && ok || bad "vacuum --help"
"$tg" --help | grep -q "vacuum" && ok || bad "tiegraph --help lists vacuum"

# ---- two writers, readers during a write ------------------------------------
python3 - <<'PY'
n = 20000
with open("big.jsonl", "w") as f:
    for i in range(n):
        f.write('{"entity": {"id": "p%d", "labels": ["Person"], "name": "A"}}\n' % i)
    for i in range(1, n):
        f.write('{"relation": {"type": "KNOWS", "from": "p%d", "to": "p%d"}}\n' % (i - 1, i))
with open("big-b.jsonl", "w") as f:
    for i in range(n):
        f.write('{"entity": {"id": "p%d", "labels": ["Person"], "name": "B"}}\n' % i)
with open("other.jsonl", "w") as f:
    for i in range(n):
        f.write('{"entity": {"id": "q%d", "labels": ["Org"]}}\n' % i)
PY
"$tg" import -q --db two.db big.jsonl
check_rc "two: base" 0 $?
"$tg" import -q --db two.db big-b.jsonl & a=$!
"$tg" import -q --db two.db other.jsonl & b=$!
"$tg" query --db two.db -e "CREATE (:Company {id: 'during'})" > /dev/null 2> q.err & c=$!
wait $a; ra=$?; wait $b; rb=$?; wait $c; rc=$?
check_rc "two: first writer" 0 $ra
check_rc "two: second writer" 0 $rb
check_rc "two: CREATE during imports" 0 $rc
"$tg" query --db two.db --format csv -e "MATCH (n:Org) RETURN count(*) AS n" | tail -1 | grep -qx 20000 \
  && ok || bad "two: the second import is lost"
"$tg" query --db two.db --format csv -e "MATCH (n {id: 'during'}) RETURN count(*) AS n" | tail -1 | grep -qx 1 \
  && ok || bad "two: the CREATE is lost"
"$tg" query --db two.db --format csv -e "MATCH (n:Person {name: 'B'}) RETURN count(*) AS n" | tail -1 \
  | grep -qx 20000 && ok || bad "two: the first import is lost"
# a writer that waits less than the other one writes: 74, naming the store
"$tg" import -q --db two.db big.jsonl & a=$!
sleep 0.05
"$tg" query --db two.db --busy-timeout 0 -e "CREATE (:Company {id: 'late'})" > /dev/null 2> late.err
rl=$?
wait $a
if [ $rl = 74 ]; then
  ok
  grep -q "^tiegraph: two.db: error: .*another tiegraph is writing it" late.err && ok || bad "busy message: $(cat late.err)"
else
  # the import was done before the CREATE started: nothing to prove this time
  check_rc "late writer" 0 $rl
fi
# readers during a write see all the names changed, or none
"$tg" import -q --db rw.db big.jsonl
( for i in $(seq 1 40); do
    "$tg" query --db rw.db --format csv -e "MATCH (n:Person) WHERE n.name = 'B' RETURN count(*) AS n" | tail -1
  done > reads.txt ) & r=$!
"$tg" import -q --db rw.db big-b.jsonl
wait $r
grep -vx -e 0 -e 20000 reads.txt > mixed.txt
[ -s reads.txt ] && [ ! -s mixed.txt ] && ok || bad "a reader saw half a write: $(sort reads.txt | uniq -c | head)"

# ---- full disk, read-only, newer version, triggers ---------------------------
"$tg" import -q --db full.db "$src/examples/aspi-2019/graph.json"
"$tg" vacuum -q --db full.db
facts_tg full.db > full.before
cp full.db full.copy
size=$(( $(stat -c %s full.db) / 512 + 8 ))
( ulimit -f "$size"; "$tg" import -q --db full.db big.jsonl ) 2> full.err
check_rc "full disk" 74 $?
grep -Eq "^tiegraph: full.db: error: .*(disk is full|file size limit)" full.err && ok || bad "full disk message: $(cat full.err)"
facts_tg full.db > full.after
cmp -s full.before full.after && ok || bad "full disk: the store changed"
sqlite3 full.db "PRAGMA integrity_check" | grep -qx ok && ok || bad "full disk: integrity"

cp full.copy ro.db
chmod 444 ro.db
as_user=""
if [ "$(id -u)" = 0 ]; then # root writes read-only files: test as nobody
  if command -v setpriv > /dev/null; then
    as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
    chmod 755 "$work"
  else
    as_user=skip
  fi
fi
if [ "$as_user" != skip ]; then
  $as_user "$tg" import -q --db ro.db big.jsonl 2> ro.err
  check_rc "read-only file" 74 $?
  grep -q "^tiegraph: ro.db: error: .*read-only" ro.err && ok || bad "read-only message: $(cat ro.err)"
  cmp -s ro.db full.copy && ok || bad "read-only: the file changed"
  $as_user "$tg" stats --db ro.db > /dev/null
  check_rc "read-only file: stats" 0 $?
  mkdir -p rodir
  cp full.copy rodir/s.db
  chmod 444 rodir/s.db
  chmod 555 rodir
  $as_user "$tg" query --db rodir/s.db -e "CREATE (:X {id: 'x'})" > /dev/null 2> rodir.err
  check_rc "read-only folder: write" 74 $?
  $as_user "$tg" query --db rodir/s.db --format csv -e "MATCH (n) RETURN count(*) AS n" > rodir.out
  check_rc "read-only folder: read" 0 $?
  tail -1 rodir.out | grep -qx 173 && ok || bad "read-only folder: $(cat rodir.out)"
  chmod 755 rodir
  chmod 700 "$work"
fi

cp full.copy newer.db
sqlite3 newer.db "PRAGMA user_version = 99"
cp newer.db newer.copy
"$tg" import -q --db newer.db big.jsonl 2> newer.err
check_rc "newer version: import" 74 $?
grep -q "newer tiegraph" newer.err && ok || bad "newer version message: $(cat newer.err)"
"$tg" stats --db newer.db > /dev/null 2>&1
check_rc "newer version: stats" 74 $?
cmp -s newer.db newer.copy && ok || bad "newer version: the file changed"

cp full.copy trig.db
sqlite3 trig.db "CREATE TRIGGER t AFTER INSERT ON write_log BEGIN DELETE FROM base; END;"
cp trig.db trig.copy
"$tg" import -q --db trig.db big.jsonl 2> trig.err
check_rc "trigger: import" 74 $?
grep -q "trigger" trig.err && ok || bad "trigger message: $(cat trig.err)"
cmp -s trig.db trig.copy && ok || bad "trigger: the file changed"

# ---- names that are no store -----------------------------------------------
"$tg" import --db '' big.jsonl 2> e.err; check_rc "--db ''" 64 $?
"$tg" import --db 'file:x.db?mode=memory' big.jsonl 2> e.err; check_rc "--db file: URI" 64 $?
ls | grep -q '^file:' && bad "a file: URI made a file" || ok
"$tg" import --db :memory: big.jsonl 2> e.err; check_rc "import --db :memory:" 64 $?
grep -q "keep nothing" e.err && ok || bad ":memory: message: $(cat e.err)"
for opt in -o --svg --dot; do
  cp full.copy out.db
  "$tg" query --db out.db $opt out.db -e "MATCH (n) RETURN n LIMIT 1" > /dev/null 2> e.err
  check_rc "$opt naming the store" 64 $?
  cmp -s out.db full.copy && ok || bad "$opt overwrote the store"
done
printf 'x' > one.db
"$tg" import -q --db one.db big.jsonl 2> e.err; check_rc "one-byte --db" 74 $?
[ "$(cat one.db)" = x ] && ok || bad "the one-byte file was overwritten"

# ---- a damaged part that is read lazily ----------------------------------------
cp full.copy dmg.db
sqlite3 dmg.db "UPDATE base SET data = X'00' WHERE seg = 'rel.to'"
"$tg" query --db dmg.db --format csv -e "MATCH (c {id: 'cetc'}) RETURN c.name" > dmg.out 2> dmg.err
check_rc "damaged relations: a seek" 0 $?
"$tg" query --db dmg.db -e "MATCH (a)-[r]->(b) RETURN count(*)" > dmg.out 2> dmg.err
check_rc "damaged relations: a match" 74 $?
grep -q "rel.to" dmg.err && ok || bad "damaged relations message: $(cat dmg.err)"
grep -q "count" dmg.out && bad "a result was printed from a damaged store" || ok
"$tg" stats --db dmg.db > dmg.out 2> dmg.err
check_rc "damaged relations: stats" 74 $?
"$tg" export --db dmg.db --to json dmg.json > /dev/null 2> dmg.err
check_rc "damaged relations: export" 74 $?
[ ! -e dmg.json ] && ok || bad "export wrote a file from a damaged store"

# ---- many labels on one entity ------------------------------------------------
python3 - <<'PY'
import json
for n, name in ((4000, "l4k.json"), (10000, "l10k.json")):
    json.dump({"format": "tiegraph/1", "entities": [
        {"id": "x", "labels": ["L%d" % i for i in range(n)]},
        {"id": "y", "labels": ["L%d" % i for i in range(n // 2)]}]}, open(name, "w"))
PY
"$tg" import -q --db labels.db l4k.json
check_rc "4000 labels" 0 $?
[ "$(stat -c %s labels.db)" -lt 4000000 ] && ok || bad "4000 labels made a store of $(stat -c %s labels.db) bytes"
"$tg" query --db labels.db --format csv -e "MATCH (n {id: 'x'}) RETURN size(labels(n)) AS n" | tail -1 \
  | grep -qx 4000 && ok || bad "4000 labels: not all kept"
"$tg" import -q --db labels10k.db l10k.json 2> e.err
rl=$?
[ $rl -ne 0 ] && ok || bad "10000 labels: accepted"
grep -q "^tiegraph: l10k.json:1:[0-9]*: error: .*10000 labels; the most an entity may carry is 4096" e.err && [ $rl -eq 65 ] && ok || bad "10000 labels message: $rl $(cat e.err)"
[ ! -e labels10k.db ] && ok || bad "10000 labels: a store was left behind"

# ---- the hash tables, read a page at a time -----------------------------------
# A seek or a small write reads only the pages of the string table and the id
# map that its lookups reach. A damaged page (slots out of range, misplaced,
# or a table with no free slot at all) makes tiegraph rebuild that table from
# memory: every answer stays right, nothing loops or reads out of bounds.
python3 - <<'PY'
import json
with open("pages.jsonl", "w") as f:
    for i in range(6000):
        f.write(json.dumps({"entity": {"id": "p%d" % i, "labels": ["P"], "name": "Name %d" % i}}) + "\n")
    for i in range(6000):
        f.write(json.dumps({"relation": {"type": "T", "from": "p%d" % i, "to": "p%d" % ((i * 7) % 6000)}}) + "\n")
PY
"$tg" import -q --db pages.db pages.jsonl
check_rc "pages: import" 0 $?
seek_all() { # store: the name of every 97th id, found by id, and a write by id
  "$tg" query --db "$1" --format tsv -e "UNWIND range(0, 5999, 97) AS i MATCH (n {id: 'p' + toString(i)})-[:T]->(m) RETURN n.id, n.name, m.id" 2>&1
}
seek_all pages.db > pages.want
[ "$(grep -c '^p' pages.want)" = 62 ] && ok || bad "pages: $(head -3 pages.want)"
for how in random-str random-map full-str full-map; do
  cp pages.db "pages-$how.db"
  python3 - "pages-$how.db" "$how" <<'PY'
import os, sqlite3, struct, sys
db, how = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db)
seg = "str.hash" if how.endswith("str") else "ent.map"
rows = c.execute("SELECT k, length(data) FROM base WHERE seg = ?", (seg,)).fetchall()
assert len(rows) > 4, rows
if how.startswith("random"):
    k, n = rows[len(rows) // 2]
    c.execute("UPDATE base SET data = ? WHERE seg = ? AND k = ?", (os.urandom(n), seg, k))
else:
    # every slot the same valid entry: each page passes its checks, no slot is free
    ent0 = c.execute("SELECT data FROM base WHERE seg = 'ent.id' AND k = 0").fetchone()[0][:4]
    slot = ent0 if seg == "str.hash" else ent0 + b"\0\0\0\0"
    for k, n in rows:
        c.execute("UPDATE base SET data = ? WHERE seg = ? AND k = ?", (slot * (n // len(slot)), seg, k))
c.commit()
PY
  timeout 60 bash -c "$(declare -f seek_all); tg=$tg; seek_all pages-$how.db" > "pages-$how.got"
  if cmp -s pages.want "pages-$how.got"; then ok; else
    bad "pages, $how: $(diff pages.want "pages-$how.got" | head -3)"
  fi
  "$tg" query --db "pages-$how.db" -e "MATCH (n {id: 'p42'}) SET n.seen = true" > /dev/null 2>&1
  check_rc "pages, $how: a write" 0 $?
  "$tg" query --db "pages-$how.db" --format csv -e "MATCH (n {seen: true}) RETURN n.id" | tail -1 \
    | grep -qx p42 && ok || bad "pages, $how: the write was not kept"
done

# ---- the strings and the entities, read a page at a time --------------------
# A seek or a small write reads the pages of strings (256 a page) and of
# entities (4096 a page) it needs, not all of them. A damaged page is found
# when it is read: the command fails with exit 74 naming the damage, and a
# write that needed it is not saved; what does not need it still works.
for what in str ent.id; do
  cp pages.db "lazy-$what.db"
  k=$([ "$what" = str ] && echo 3 || echo 1)   # strings 768.., entities 1016..
  sqlite3 "lazy-$what.db" "UPDATE base SET data = zeroblob(length(data) - 1) || x'07' WHERE seg = '$what' AND k = $k"
  out=$("$tg" query --db "lazy-$what.db" --format csv -e "MATCH (n) RETURN count(n.name), count(labels(n))" 2>&1)
  check_rc "lazy $what: a query reading every page" 74 $?
  case $out in *"graph is damaged"*) ok ;; *) bad "lazy $what: $out" ;; esac
  before=$(sqlite3 "lazy-$what.db" "SELECT count(*) FROM write_log")
  "$tg" query --db "lazy-$what.db" -e "MATCH (n:P) SET n.copy = n.id + n.name" > /dev/null 2>&1
  check_rc "lazy $what: a write needing the damaged page" 74 $?
  [ "$(sqlite3 "lazy-$what.db" "SELECT count(*) FROM write_log")" = "$before" ] && ok \
    || bad "lazy $what: a write was saved from a damaged graph"
  out=$("$tg" query --db "lazy-$what.db" --format csv -e "MATCH (n {id: 'p5990'}) RETURN n.name" 2>&1)
  [ "$out" = "$(printf 'n.name\nName 5990')" ] && ok || bad "lazy $what: an undamaged seek: $out"
done
# The label sets' counts (lset.uses) say which labels are in use without
# reading every entity; a store without them (written before they were) or
# with counts that do not add up counts them again, with the same answers.
for how in kept dropped wrong; do
  cp pages.db "uses-$how.db"
  case $how in
    dropped) sqlite3 "uses-$how.db" "DELETE FROM base WHERE seg = 'lset.uses'; DELETE FROM base_segment WHERE name = 'lset.uses'" ;;
    wrong) sqlite3 "uses-$how.db" "UPDATE base SET data = zeroblob(length(data)) WHERE seg = 'lset.uses'" ;;
  esac
  got=$( { "$tg" query --db "uses-$how.db" -e "CREATE (:Z {id: 'z1'})"
           "$tg" query --db "uses-$how.db" -e "CREATE (:P {id: 'z2'})"
           "$tg" query --db "uses-$how.db" -e "MATCH (n {id: 'z1'}) SET n:P REMOVE n:Z"
           "$tg" query --db "uses-$how.db" -e "MATCH (n:P) WHERE n.id <> 'p7' REMOVE n:P"
           "$tg" query --db "uses-$how.db" --format csv -e "MATCH (n) UNWIND labels(n) AS l RETURN l, count(*)"; } 2>&1)
  want='(created 1 entity and 0 relations; set 1 property, removed 0; 1 new label)
(created 1 entity and 0 relations; set 1 property, removed 0; 0 new labels)
(created 0 entities and 0 relations; set 0 properties, removed 0; 0 new labels; 1 label no longer used)
l,count(*)
P,1'
  [ "$got" = "$want" ] && ok || bad "lset.uses $how: $(diff <(echo "$want") <(echo "$got"))"
done

# ---- one value of a column, read alone ---------------------------------------
# A seek reads the one value it returns, not the column (up to 32 values a
# column; then the column is loaded whole, in the middle of a query); a SET
# or REMOVE of a value the base holds is queued, not loaded. Whatever the
# path, every answer is the one the whole column gives: after each change,
# in the same process and the next, and after a vacuum.
cp pages.db probe.db
got=$("$tg" query --db probe.db --format csv -e "MATCH (n {id: 'p42'}) SET n.name = 'Renamed 42' RETURN n.name;
  MATCH (n {id: 'p42'}) RETURN n.name;
  MATCH (n {id: 'p43'}) SET n.name = 'Renamed 43';
  MATCH (n {id: 'p43'}) SET n.name = 'Again 43';
  MATCH (n {id: 'p44'}) REMOVE n.name;
  MATCH (n {id: 'p45'}) SET n.name = 'Name 45';
  UNWIND ['p42', 'p43', 'p44', 'p45'] AS i MATCH (n {id: i}) RETURN n.id, n.name;
  MATCH (n) WHERE n.name STARTS WITH 'Renamed' OR n.name STARTS WITH 'Again' RETURN n.id ORDER BY n.id;
  MATCH (n) RETURN count(n.name)" 2> /dev/null | grep -v '^$')
want='n.name
Renamed 42
n.name
Renamed 42
n.id,n.name
p42,Renamed 42
p43,Again 43
p44,
p45,Name 45
n.id
p42
p43
count(n.name)
5999'
[ "$got" = "$want" ] && ok || bad "probes, one process: $(diff <(echo "$want") <(echo "$got"))"
seek_names() {
  "$tg" query --db "$1" --format csv -e "UNWIND ['p42', 'p43', 'p44', 'p45', 'p5999'] AS i MATCH (n {id: i}) RETURN n.id, n.name;
    MATCH (n) WHERE n.name STARTS WITH 'Renamed' OR n.name STARTS WITH 'Again' RETURN n.id ORDER BY n.id;
    MATCH (n) RETURN count(n.name)" 2> /dev/null | grep -v '^$'
}
want='n.id,n.name
p42,Renamed 42
p43,Again 43
p44,
p45,Name 45
p5999,Name 5999
n.id
p42
p43
count(n.name)
5999'
got=$(seek_names probe.db)
[ "$got" = "$want" ] && ok || bad "probes, next process: $(diff <(echo "$want") <(echo "$got"))"
"$tg" vacuum --db probe.db > /dev/null 2>&1
check_rc "probes: vacuum" 0 $?
got=$(seek_names probe.db)
[ "$got" = "$want" ] && ok || bad "probes, after vacuum: $(diff <(echo "$want") <(echo "$got"))"
# a damaged value is found when read alone, as when the column is loaded
cp pages.db probe-bad.db
sqlite3 probe-bad.db "UPDATE base SET data = zeroblob(length(data) - 1) || x'09' WHERE seg LIKE 'e.%.vals' AND k = 0"
out=$("$tg" query --db probe-bad.db -e "MATCH (n {id: 'p3'}) RETURN n.name" 2>&1)
check_rc "probes: a damaged value" 74 $?
case $out in *"graph is damaged"*) ok ;; *) bad "probes, a damaged value: $out" ;; esac

echo "store.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
