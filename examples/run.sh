#!/usr/bin/env bash
# Runs every example analysis: examples/*/queries/*.cypher over the store of
# its dataset, writing each script's tables as markdown to OUT/<name>.md (its
# :render directives write the figures into OUT). Usage: examples/run.sh TIEGRAPH OUT
set -euo pipefail
tg=${1:-build/tiegraph}
out=${2:-out}
cd "$(dirname "$0")/.."
mkdir -p "$out"
for dir in examples/*/; do
  name=$(basename "$dir")
  [ -f "$dir/graph.json" ] && [ -d "$dir/queries" ] || continue
  db="$out/$name.db"
  [ -f "$db" ] || "$tg" import -q --db "$db" "$dir/graph.json"
  for script in "$dir"queries/*.cypher; do
    base=$(basename "$script" .cypher)
    echo "-- $script -> $out/$base.md"
    "$tg" query --db "$db" --format markdown -o "$out/$base.md" --render-dir "$out" "$script"
  done
done
ls "$out"/*.svg 2>/dev/null | sed 's/^/-- diagram: /' || true
