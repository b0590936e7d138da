#!/usr/bin/env bash
# bench/formats.sh — the data-in benchmark (issue 8): importing the same graph
# as CSV with Neo4j headers and as tiegraph/1 JSON Lines into a new store,
# medians of RUNS (default 3) alternating runs, the ratio in the same run
# (target at 1M/5M: CSV no slower than JSON Lines); and the parser
# measurements behind docs/formats.md ("Why these parsers"): tiegraph's JSON
# parser and a cJSON reader on the whole import, tiegraph's CSV reader and
# libcsv on tokenising (tg-bench-parsers, built when libcjson-dev is there).
# Writes bench/results/formats-<size>.md; logs to bench/data/<size>/formats.log.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

RUNS=${RUNS:-3}
PARSERS=${PARSERS:-$BUILD/tg-bench-parsers}
[ -x "$TIEGRAPH" ] || bench_die "$TIEGRAPH not found: build it first (make all), or set TIEGRAPH"
[ -x /usr/bin/time ] || bench_die "/usr/bin/time not found (Debian package 'time')"
status=0

for size in $(bench_sizes); do
  dir=$(bench_data "$size")
  log=$dir/formats.log
  : >"$log"
  read -r n m < <(bench_size_counts "$size")
  jl=() cs=() jmb=() cmb=()
  for ((i = 0; i < RUNS; i++)); do
    rm -f "$dir/formats-json.db" "$dir/formats-csv.db"
    bench_measure "$log" "$TIEGRAPH" import -q --db "$dir/formats-json.db" "$dir/graph.jsonl" ||
      bench_die "JSON Lines import failed (see $log)"
    jl+=("$BENCH_SECS"); jmb+=("$BENCH_RSS_MB")
    bench_measure "$log" "$TIEGRAPH" import -q --db "$dir/formats-csv.db" \
      --nodes "$dir/entities.csv" --relationships "$dir/relations.csv" ||
      bench_die "CSV import failed (see $log)"
    cs+=("$BENCH_SECS"); cmb+=("$BENCH_RSS_MB")
  done
  # both stores hold the same counts
  for db in formats-json formats-csv; do
    got=$("$TIEGRAPH" stats --db "$dir/$db.db" --format json |
      "$PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print(d["entities"], d["relations"])')
    [ "$got" = "$n $m" ] || bench_die "$db: stats says $got, expected $n $m"
  done
  tj=$(bench_median "${jl[@]}"); tc=$(bench_median "${cs[@]}")
  ratio=$(awk -v c="$tc" -v j="$tj" 'BEGIN { printf "%.2f", c / j }')
  ok=0; bench_cmp "$tc" "<=" "$tj" && ok=1
  [ "$ok" = 1 ] || [ "$size" != 1m ] || [ "${BENCH_STRICT:-0}" != 1 ] || status=3
  {
    bench_header "Formats benchmark" "$size"
    printf -- '- runs: %s alternating (JSON Lines, CSV), medians; each into a new store\n\n' "$RUNS"
    printf '| measure | tiegraph | ratio | target | met? |\n|---|---:|---:|---|---|\n'
    printf '| import JSON Lines (s) | %s | — | — | — |\n' "$(bench_fmt "$tj")"
    printf '| import CSV, Neo4j headers (s) | %s | %s× the JSON Lines time | ≤ 1× | %s |\n' \
      "$(bench_fmt "$tc")" "$ratio" "$(bench_verdict "$ok" "$size")"
    printf '| peak RSS JSON Lines / CSV (MB) | %s / %s | — | — | — |\n' \
      "$(bench_fmt "$(bench_median "${jmb[@]}")")" "$(bench_fmt "$(bench_median "${cmb[@]}")")"
    if [ -x "$PARSERS" ]; then
      printf '\nParsers (`tg-bench-parsers`, medians of %s; the peer libraries are not used by tiegraph):\n\n```\n' "$RUNS"
      RUNS=$RUNS "$PARSERS" import "$dir/graph.jsonl"
      RUNS=$RUNS "$PARSERS" json "$dir/graph.jsonl"
      RUNS=$RUNS "$PARSERS" csv "$dir/relations.csv"
      printf '```\n'
    fi
  } | tee "$BENCH_RESULTS/formats-$size.md"
  rm -f "$dir/formats-json.db" "$dir/formats-csv.db"
done
exit "$status"
