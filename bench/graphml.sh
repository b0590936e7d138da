#!/usr/bin/env bash
# bench/graphml.sh — the GraphML benchmark (issue 8): tiegraph's GraphML
# export and import against python-igraph's write_graphml and Read_GraphML on
# the same graph, in the same run, medians of RUNS (default 3).
#
# For each size: the dataset's JSON Lines go into a store once (not timed);
# then, RUNS times in turn:
#   export  `tiegraph export --db DB --to graphml OUT` (end to end: loading the
#           store, writing, syncing the file)
#   import  `tiegraph import --db NEW OUT` into a new store (end to end)
# and the peer (peer_graphml.py, one process) reads that same OUT with
# Read_GraphML and writes what it read with write_graphml, RUNS times each;
# its timings exclude interpreter start-up and imports (favouring the peer).
# Both sides must agree on the counts: the imported store and igraph's graph
# hold N entities / vertices and M relations / edges. CPU seconds (user +
# system) are shown too: on a shared machine they vary less than wall time.
# Targets at 1M/5M: export and import at least 5x faster than the peer.
# Writes bench/results/graphml-<size>.md; logs to bench/data/<size>/graphml.log.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

RUNS=${RUNS:-3}
XML=${XML:-$BUILD/tg-bench-xml}
[ -x "$TIEGRAPH" ] || bench_die "$TIEGRAPH not found: build it first (make all), or set TIEGRAPH"
[ -x /usr/bin/time ] || bench_die "/usr/bin/time not found (Debian package 'time')"
"$PYTHON" -c 'import igraph' 2>/dev/null ||
  bench_die "$PYTHON has no igraph: TG_BENCH_DEPS=1 scripts/install-deps.sh"
status=0

for size in $(bench_sizes); do
  dir=$(bench_data "$size")
  log=$dir/graphml.log
  : >"$log"
  read -r n m < <(bench_size_counts "$size")
  db=$dir/graphml.db out=$dir/graphml-export.graphml new=$dir/graphml-import.db
  rm -f "$db" "$new"
  bench_log "$size: loading the store (not timed)"
  "$TIEGRAPH" import -q --db "$db" "$dir/graph.jsonl" >>"$log" 2>&1 || bench_die "import failed (see $log)"
  ex=() im=() exmb=() immb=() excpu=() imcpu=()
  for ((i = 0; i < RUNS; i++)); do
    bench_measure "$log" "$TIEGRAPH" export -q --db "$db" --to graphml "$out" ||
      bench_die "GraphML export failed (see $log)"
    ex+=("$BENCH_SECS"); exmb+=("$BENCH_RSS_MB"); excpu+=("$BENCH_CPU")
    rm -f "$new"
    bench_measure "$log" "$TIEGRAPH" import -q --db "$new" "$out" ||
      bench_die "GraphML import failed (see $log)"
    im+=("$BENCH_SECS"); immb+=("$BENCH_RSS_MB"); imcpu+=("$BENCH_CPU")
  done
  got=$("$TIEGRAPH" stats --db "$new" --format json |
    "$PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print(d["entities"], d["relations"])')
  [ "$got" = "$n $m" ] || bench_die "the imported store holds $got, expected $n $m"
  bench_log "$size: python-igraph reads and writes the same file ($RUNS runs each)"
  printf '$ %s\n' "$PYTHON $BENCH_DIR/peer_graphml.py $out $dir/graphml-peer.graphml --runs $RUNS" >>"$log"
  peer=$(timeout "$TIMEOUT" "$PYTHON" "$BENCH_DIR/peer_graphml.py" "$out" "$dir/graphml-peer.graphml" \
    --runs "$RUNS" 2>>"$log") || bench_die "the peer failed (see $log)"
  printf '%s\n' "$peer" >>"$log"
  read -r pv pe pread pwrite prss pbytes preadc pwritec < <(printf '%s\n' "$peer" | "$PYTHON" -c '
import json, statistics, sys
d = json.loads(sys.stdin.read())
m = statistics.median
print(d["vertices"], d["edges"], m(d["read_seconds"]), m(d["write_seconds"]),
      round(d["peak_rss_mb"], 1), d["out_bytes"], m(d["read_cpu_seconds"]),
      m(d["write_cpu_seconds"]))')
  [ "$pv $pe" = "$n $m" ] || bench_die "python-igraph read $pv vertices / $pe edges, expected $n $m"
  tex=$(bench_median "${ex[@]}"); tim=$(bench_median "${im[@]}")
  rex=$(awk -v p="$pwrite" -v t="$tex" 'BEGIN { printf "%.2f", p / (t > 0.01 ? t : 0.01) }')
  rim=$(awk -v p="$pread" -v t="$tim" 'BEGIN { printf "%.2f", p / (t > 0.01 ? t : 0.01) }')
  cex=$(bench_median "${excpu[@]}"); cim=$(bench_median "${imcpu[@]}")
  crex=$(awk -v p="$pwritec" -v t="$cex" 'BEGIN { printf "%.2f", p / (t > 0.01 ? t : 0.01) }')
  crim=$(awk -v p="$preadc" -v t="$cim" 'BEGIN { printf "%.2f", p / (t > 0.01 ? t : 0.01) }')
  okex=0; bench_cmp "$rex" ">=" 5 && okex=1
  okim=0; bench_cmp "$rim" ">=" 5 && okim=1
  if [ "$size" = 1m ] && [ "${BENCH_STRICT:-0}" = 1 ] && { [ "$okex" = 0 ] || [ "$okim" = 0 ]; }; then
    status=3
  fi
  mb=$(awk -v b="$(stat -c %s "$out")" 'BEGIN { printf "%.0f", b / 1e6 }')
  {
    bench_header "GraphML benchmark" "$size"
    printf -- '- runs: %s in turn (export, import), medians; the peer: %s reads and %s writes of the same file in one process\n' \
      "$RUNS" "$RUNS" "$RUNS"
    printf -- '- file: tiegraph'"'"'s export, %s MB; python-igraph'"'"'s own write of it: %s MB\n\n' \
      "$mb" "$(awk -v b="$pbytes" 'BEGIN { printf "%.0f", b / 1e6 }')"
    printf '| measure | tiegraph (s) | python-igraph (s) | ratio | target | met? |\n'
    printf '|---|---:|---:|---:|---|---|\n'
    printf '| GraphML export vs write_graphml | %s | %s | %s× | ≥ 5× | %s |\n' "$(bench_fmt "$tex")" \
      "$(bench_fmt "$pwrite")" "$rex" "$(bench_verdict "$okex" "$size")"
    printf '| GraphML import vs Read_GraphML | %s | %s | %s× | ≥ 5× | %s |\n' "$(bench_fmt "$tim")" \
      "$(bench_fmt "$pread")" "$rim" "$(bench_verdict "$okim" "$size")"
    printf '| CPU seconds (user + system), export vs write | %s | %s | %s× | (information) | |\n' \
      "$(bench_fmt "$cex")" "$(bench_fmt "$pwritec")" "$crex"
    printf '| CPU seconds (user + system), import vs read | %s | %s | %s× | (information) | |\n' \
      "$(bench_fmt "$cim")" "$(bench_fmt "$preadc")" "$crim"
    printf '\nPeak RSS (MB): tiegraph export %s, import %s; python-igraph %s.\n' \
      "$(bench_fmt "$(bench_median "${exmb[@]}")")" "$(bench_fmt "$(bench_median "${immb[@]}")")" "$prss"
    if [ -x "$XML" ]; then
      printf '\nReading the same file (`tg-bench-xml`, medians of %s; docs/formats.md, "Why a GraphML reader of its own"):\n' "$RUNS"
      printf 'libxml2'"'"'s SAX2 parser doing nothing (sax) and its xmlTextReader (reader), tiegraph'"'"'s XML\n'
      printf 'tokenizer alone (scan) and its whole GraphML reader into memory, without the store (tiegraph).\n\n```\n'
      RUNS=$RUNS "$XML" "$out"
      printf '```\n'
    fi
  } | tee "$BENCH_RESULTS/graphml-$size.md"
  rm -f "$db" "$new" "$out" "$dir/graphml-peer.graphml"
done
exit "$status"
