#!/usr/bin/env bash
# Crash test of the store (issue 10): kill -9 at random moments of
# - a small import (it goes to the change log),
# - a big import (it folds the log into a new base),
# - a write statement (CREATE),
# - a compaction (tiegraph vacuum),
# CRASH_KILLS times in all (default 220, spread evenly). After every kill
# the store must pass SQLite's integrity check, open in tiegraph, and hold
# exactly the state before the command or the state after it, never a mix
# (a fingerprint of every entity, name and relation). The kill moments are
# drawn uniformly over each command's measured duration, so both outcomes
# must show up for each command (else the moments were not varied).
# Usage: store_crash.sh TIEGRAPH SOURCE_DIR
set -u
tg=$1
src=$2
kills=${CRASH_KILLS:-220}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
command -v sqlite3 > /dev/null || { echo "store_crash.sh: sqlite3 is missing" >&2; exit 1; }
command -v python3 > /dev/null || { echo "store_crash.sh: python3 is missing" >&2; exit 1; }
unset TIEGRAPH_DB

fingerprint() { # store -> one line, or "unreadable"
  "$tg" query --db "$1" --format csv -e "MATCH (n) RETURN n.id, n.name ORDER BY n.id;
    MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id ORDER BY a.id, type(r), b.id" 2> /dev/null \
    | md5sum | cut -c1-32 || echo unreadable
}

python3 - <<'PY'
def write(name, n, prefix):
    with open(name, "w") as f:
        for i in range(n):
            f.write('{"entity": {"id": "%s%d", "labels": ["Company"], "name": "%s %d"}}\n'
                    % (prefix, i, prefix, i))
        for i in range(1, n):
            f.write('{"relation": {"type": "OWNS", "from": "%s%d", "to": "%s%d"}}\n'
                    % (prefix, i - 1, prefix, i))
        f.write('{"relation": {"type": "SUPPLIES", "from": "%s0", "to": "hikvision"}}\n' % prefix)
write("small.jsonl", 300, "s")
write("big.jsonl", 6000, "b")
PY
"$tg" import -q --db base.db "$src/examples/aspi-2019/graph.json" || exit 1
"$tg" query --db base.db -e "MATCH (n {id: 'cetc'}) DETACH DELETE n" > /dev/null 2>&1 ||
  "$tg" query --db base.db -e "MATCH (n {id: 'cetc'}) SET n.name = 'changed'" > /dev/null
"$tg" vacuum -q --db base.db || exit 1
"$tg" query --db base.db -e "CREATE (:Company {id: 'logged', name: 'in the change log'})" > /dev/null
old=$(fingerprint base.db)

ops=(small big create vacuum)
run_op() { # op store; exec: in the background, $! is tiegraph itself
  exec > /dev/null 2>&1
  case $1 in
    small) exec "$tg" import -q --db "$2" small.jsonl ;;
    big) exec "$tg" import -q --db "$2" big.jsonl ;;
    create) exec "$tg" query --db "$2" -e "CREATE (:Company {id: 'new', name: 'New'})-[:OWNS]->(:Company {id: 'new2'})" ;;
    vacuum) exec "$tg" vacuum -q --db "$2" ;;
  esac
}
fresh() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; cp base.db "$1"; }

declare -A new dur seen_old seen_new
for op in "${ops[@]}"; do
  fresh t.db
  t0=$(date +%s%N)
  (run_op "$op" t.db) || bad "$op: does not run"
  t1=$(date +%s%N)
  new[$op]=$(fingerprint t.db)
  dur[$op]=$(( (t1 - t0) / 1000 )) # microseconds
  seen_old[$op]=0
  seen_new[$op]=0
done
[ "${new[vacuum]}" = "$old" ] && ok || bad "vacuum changed the content"
[ "${new[small]}" != "$old" ] && [ "${new[create]}" != "$old" ] && ok || bad "the writes changed nothing"

per=$(( (kills + ${#ops[@]} - 1) / ${#ops[@]} ))
n=0
for op in "${ops[@]}"; do
  for i in $(seq 1 "$per"); do
    fresh t.db
    # a moment between 0 and 1.3 x the command's duration
    delay=$(( RANDOM * 32768 + RANDOM ))
    delay=$(( delay % (dur[$op] * 13 / 10 + 1) ))
    (run_op "$op" t.db) & pid=$!
    sleep "$(awk -v d="$delay" 'BEGIN { printf "%.6f", d / 1e6 }')"
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    n=$((n + 1))
    integ=$(sqlite3 t.db "PRAGMA integrity_check" 2>&1)
    [ "$integ" = ok ] || { bad "$op kill $i (after ${delay} us): integrity: $integ"; continue; }
    fp=$(fingerprint t.db)
    if [ "$fp" = "$old" ]; then
      seen_old[$op]=$((seen_old[$op] + 1)); ok
    elif [ "$fp" = "${new[$op]}" ]; then
      seen_new[$op]=$((seen_new[$op] + 1)); ok
    else
      bad "$op kill $i (after ${delay} us): neither the old nor the new state ($fp)"
    fi
  done
done
for op in small big create; do
  if [ "${seen_old[$op]}" -gt 0 ] && [ "${seen_new[$op]}" -gt 0 ]; then ok; else
    bad "$op: the kills were not varied (old ${seen_old[$op]}, new ${seen_new[$op]})"
  fi
done
[ "$n" -ge 200 ] && ok || bad "only $n kills"
echo "store_crash.sh: $n kills (small ${seen_old[small]}/${seen_new[small]}, big ${seen_old[big]}/${seen_new[big]}, create ${seen_old[create]}/${seen_new[create]}, vacuum ${seen_old[vacuum]}/${seen_new[vacuum]} old/new); $pass passed, $fail failed"
[ "$fail" -eq 0 ]
