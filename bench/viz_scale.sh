#!/usr/bin/env bash
# The scale table of docs/diagrams.md: how long a render takes with each
# layout at 100, 300, 1,000 and 5,000 entities (synthetic graphs with 2.5
# relations per entity, the whole graph drawn), one run each, capped at
# CAP seconds (default 30); a layout past the cap at one size is not tried
# at the next. force=true bypasses the built-in limits that this table
# sets. SIZES and LAYOUTS (blank-separated) choose others.
# Usage: bench/viz_scale.sh [BUILD_DIR] [CAP]
set -u
build=${1:-build}
cap=${2:-30}
declare -A over
tg=$build/tiegraph
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '| entities | ties | layout | seconds | SVG bytes |\n|---:|---:|---|---:|---:|\n'
for n in ${SIZES:-100 300 1000 5000}; do
  m=$((n * 5 / 2))
  "$build/tg-gen-synth" --entities $n --relations $m --out "$work/g$n" > /dev/null
  for layout in ${LAYOUTS:-dot neato fdp sfdp circo twopi osage}; do
    if [ -n "${over[$layout]:-}" ]; then
      printf '| %s | %s | %s | not tried (> %s s at %s) | - |\n' "$n" "$m" "$layout" "$cap" "${over[$layout]}"
      continue
    fi
    printf ':render %s/out.svg layout=%s force=true\nMATCH (a)-[r]->(b) RETURN a, r, b;\n' "$work" $layout > "$work/s.cypher"
    rm -f "$work/out.svg"
    start=$(date +%s.%N)
    timeout "$cap" "$tg" query --in "$work/g$n/graph.jsonl" --allow-write "$work" -o /dev/null "$work/s.cypher" > /dev/null 2> "$work/err"
    rc=$?
    end=$(date +%s.%N)
    secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    if [ $rc = 124 ]; then secs="> $cap"; size="-"; over[$layout]=$n
    elif [ $rc != 0 ]; then secs="failed ($(head -c 80 "$work/err"))"; size="-"
    else size=$(stat -c %s "$work/out.svg"); fi
    printf '| %s | %s | %s | %s | %s |\n' "$n" "$m" "$layout" "$secs" "$size"
  done
done
