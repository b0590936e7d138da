#!/usr/bin/env bash
# Runs every example analysis: examples/*/queries/*.cypher over the store of
# its dataset, writing each script's tables as markdown to OUT/<name>.md (its
# :render directives write the figures into OUT). A dataset is the folder's
# graph.json, or what its import.args says (tiegraph import arguments, paths
# relative to the folder: any format tiegraph reads). Usage: examples/run.sh TIEGRAPH OUT
set -euo pipefail
tg=${1:-build/tiegraph}
out=${2:-out}
case $tg in /*) ;; */*) tg="$PWD/$tg" ;; esac
cd "$(dirname "$0")/.."
mkdir -p "$out"
for dir in examples/*/; do
  name=$(basename "$dir")
  [ -d "$dir/queries" ] || continue
  db="$out/$name.db"
  if [ ! -f "$db" ]; then
    if [ -f "$dir/import.args" ]; then
      # shellcheck disable=SC2046 # the file holds several arguments on purpose
      (cd "$dir" && "$tg" import -q --db "$OLDPWD/$db" $(cat import.args))
    elif [ -f "$dir/graph.json" ]; then
      "$tg" import -q --db "$db" "$dir/graph.json"
    else
      continue
    fi
  fi
  for script in "$dir"queries/*.cypher; do
    base=$(basename "$script" .cypher)
    echo "-- $script -> $out/$base.md"
    "$tg" query --db "$db" --format markdown -o "$out/$base.md" --render-dir "$out" "$script"
  done
done
ls "$out"/*.svg 2>/dev/null | sed 's/^/-- diagram: /' || true
