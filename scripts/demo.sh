#!/usr/bin/env bash
# `make demo`: import the example data into out/demo.db, print its stats, and
# run the example query scripts, writing tables and SVGs under out/.
# Runs from the checkout root after `make` has built build/.
set -euo pipefail
cd "$(dirname "$0")/.."

tg=build/tiegraph
gen=build/tg-gen-synth
mkdir -p out
rm -f out/demo.db

echo "== generating a synthetic 10k-entity / 50k-relation graph (out/synthetic-10k/)"
"$gen" --entities 10000 --relations 50000 --out out/synthetic-10k >/dev/null

echo "== importing the ASPI 2019 example dataset and the synthetic graph into out/demo.db"
"$tg" import --db out/demo.db examples/aspi-2019/graph.json out/synthetic-10k/graph.jsonl

echo "== importing the example dataset alone into out/aspi-2019.db"
rm -f out/aspi-2019.db
"$tg" import --db out/aspi-2019.db examples/aspi-2019/graph.json

echo
echo "== tiegraph stats --db out/demo.db"
"$tg" stats --db out/demo.db | tee out/demo-stats.txt
"$tg" stats --db out/demo.db --format json > out/demo-stats.json

if [ -x examples/run.sh ]; then
  echo
  echo "== example analyses (examples/*.cypher)"
  examples/run.sh "$tg" out
fi
echo
echo "== the report page of every example analysis: out/index.html"
# each example's scripts over its own store (examples/run.sh made them)
report_args=()
for dir in examples/*/; do
  name=$(basename "$dir")
  [ -d "$dir/queries" ] && [ -f "out/$name.db" ] || continue
  report_args+=(--db "out/$name.db" "$dir"queries/*.cypher)
done
"$tg" report "${report_args[@]}" -o out --title "tiegraph: the example analyses"
echo
echo "Done: see out/index.html (open it in a browser: it needs no server or network),"
echo "out/*.md and out/*.svg (tables and figures), out/demo-stats.txt and out/demo-stats.json."
