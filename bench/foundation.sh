#!/usr/bin/env bash
# bench/foundation.sh — the foundation benchmark (issue 2): bulk import into
# a new store, `tiegraph stats` end to end (time and peak RSS), and the
# python-igraph peer loading the same graph from CSV.
#
# For each size of SIZES (default "10k 100k 1m"; the targets are set for 1m =
# 1M entities / 5M relations) it prints a markdown table and writes it to
# bench/results/foundation-<size>.md. Figures are medians over RUNS_IMPORT
# (default 3), RUNS_STATS (default 5) and RUNS_PEER (default 3) runs; RUNS
# sets all three. Logs of every command go to bench/data/<size>/foundation.log.
# Exit status: 0 when everything ran; 1 when a command failed; 3 when
# BENCH_STRICT=1 and a 1M/5M target was missed.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

RUNS_IMPORT=${RUNS_IMPORT:-${RUNS:-3}}
RUNS_STATS=${RUNS_STATS:-${RUNS:-5}}
RUNS_PEER=${RUNS_PEER:-${RUNS:-3}}

# Targets for 1M/5M (issue 2).
T_IMPORT_S=60
T_STATS_S=2
T_STATS_MB=600
T_SPEEDUP=5
T_MEM_RATIO=0.3333

[ -x "$TIEGRAPH" ] || bench_die "$TIEGRAPH not found: build it first (make all), or set TIEGRAPH"
[ -x /usr/bin/time ] || bench_die "/usr/bin/time not found (Debian package 'time')"
"$PYTHON" -c 'import igraph, pandas' 2>/dev/null ||
  bench_die "$PYTHON cannot import igraph and pandas (Debian python3-igraph python3-pandas)"

# Cross-checks `stats --format json` (STATS) against the expected entity and
# relation counts and, when PEER (a file of peer JSON lines) is given and
# STATS has them under the same names, against the peer's components, labels
# and types. Prints one line per disagreement; exit 1 when there is one.
check_stats() {
  "$PYTHON" - "$@" <<'EOF'
import json, sys
path, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
peer_path = sys.argv[4] if len(sys.argv) > 4 else None
try:
    with open(path) as f:
        st = json.loads(f.read())
except ValueError as e:
    print(f"stats --format json is not one JSON object: {e}")
    sys.exit(1)
nums = set()
def walk(v):
    if isinstance(v, bool): return
    if isinstance(v, (int, float)): nums.add(v)
    elif isinstance(v, dict): [walk(x) for x in v.values()]
    elif isinstance(v, list): [walk(x) for x in v]
walk(st)
bad = []
for what, x in (("entities", n), ("relations", m)):
    if x not in nums:
        bad.append(f"stats --format json does not report {x} {what}")
peer = None
if peer_path:
    with open(peer_path) as f:
        lines = [l for l in f if l.strip()]
    peer = json.loads(lines[0]) if lines else None
if peer and isinstance(st, dict):
    comp = st.get("components")
    if isinstance(comp, dict):
        comp = comp.get("count")
    if isinstance(comp, int) and "components" in peer and comp != peer["components"]:
        bad.append(f"components: tiegraph {comp}, python-igraph {peer['components']}")
    for key in ("labels", "types"):
        if isinstance(st.get(key), dict) and isinstance(peer.get(key), dict) and st[key] != peer[key]:
            diff = sorted(k for k in set(st[key]) | set(peer[key]) if st[key].get(k) != peer[key].get(k))
            bad.append(f"{key} differ from python-igraph's for: {', '.join(diff)}")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
}

failed=0
missed=0

run_size() {
  local size=$1 dir n m db log i
  local -a imp_s=() imp_mb=() st_s=() st_mb=() peer_s=() peer_mb=()
  local notes=""
  dir=$(bench_data "$size")
  read -r n m < <(bench_size_counts "$size")
  # Its own store: the other suites read data/<size>/bench.db, maybe at this
  # very moment, and every import here starts by deleting the store.
  db=$dir/foundation.db
  log=$dir/foundation.log
  : >"$log"
  rm -f "$dir/stats.json"
  bench_log "foundation $size: import x$RUNS_IMPORT, stats x$RUNS_STATS, peer x$RUNS_PEER (log: $log)"

  local load_before
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)

  for ((i = 0; i < RUNS_IMPORT; i++)); do
    rm -f "$db" "$db-journal" "$db-wal" "$db-shm"
    if bench_measure "$log" "$TIEGRAPH" import --db "$db" "$dir/graph.jsonl"; then
      imp_s+=("$BENCH_SECS"); imp_mb+=("$BENCH_RSS_MB")
    else
      notes+="- tiegraph import failed (see $log).\n"
      failed=1
      break
    fi
  done

  if [ ${#imp_s[@]} -gt 0 ]; then
    for ((i = 0; i < RUNS_STATS; i++)); do
      if bench_measure "$log" "$TIEGRAPH" stats --db "$db"; then
        st_s+=("$BENCH_SECS"); st_mb+=("$BENCH_RSS_MB")
      else
        notes+="- tiegraph stats failed (see $log).\n"
        failed=1
        break
      fi
    done
    if ! "$TIEGRAPH" stats --db "$db" --format json >"$dir/stats.json" 2>>"$log"; then
      notes+="- tiegraph stats --format json failed (see $log).\n"
      rm -f "$dir/stats.json"
    fi
  fi

  local pj="$dir/peer.jsonl"
  : >"$pj"
  for ((i = 0; i < RUNS_PEER; i++)); do
    if bench_measure "$log" "$PYTHON" "$BENCH_DIR/peer_igraph.py" "$dir"; then
      # The peer's own JSON line is the last one the log received.
      grep '^{"peer"' "$log" | tail -n 1 >>"$pj"
    else
      notes+="- the python-igraph peer failed (see $log).\n"
      failed=1
      break
    fi
  done
  if [ -f "$dir/stats.json" ]; then
    local msg line
    if ! msg=$(check_stats "$dir/stats.json" "$n" "$m" "$pj"); then
      while IFS= read -r line; do
        notes+="- warning: $line (see $dir/stats.json, $pj).\n"
      done <<<"$msg"
    fi
  fi
  while read -r s mb; do
    peer_s+=("$s"); peer_mb+=("$mb")
  done < <("$PYTHON" -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    print(o["seconds"], o["peak_rss_mb"])' "$pj")

  local mi mim ms msm ps pm
  mi=$(bench_median "${imp_s[@]}")
  mim=$(bench_median "${imp_mb[@]}")
  ms=$(bench_median "${st_s[@]}")
  msm=$(bench_median "${st_mb[@]}")
  ps=$(bench_median "${peer_s[@]}")
  pm=$(bench_median "${peer_mb[@]}")

  # Verdicts; a missing figure is a miss.
  local ok_imp=0 ok_st=0 ok_mb=0 ok_speed=0 ok_mem=0 speed="n/a" memr="n/a"
  [ "$mi" != n/a ] && bench_cmp "$mi" '<=' "$T_IMPORT_S" && ok_imp=1
  [ "$ms" != n/a ] && bench_cmp "$ms" '<=' "$T_STATS_S" && ok_st=1
  [ "$msm" != n/a ] && bench_cmp "$msm" '<=' "$T_STATS_MB" && ok_mb=1
  if [ "$ms" != n/a ] && [ "$ps" != n/a ]; then
    # /usr/bin/time reports 0.00 s for sub-10 ms runs; count them as 10 ms.
    speed=$(awk -v p="$ps" -v t="$ms" 'BEGIN { if (t < 0.01) t = 0.01; printf "%.1f", p / t }')
    bench_cmp "$speed" '>=' "$T_SPEEDUP" && ok_speed=1
  fi
  if [ "$msm" != n/a ] && [ "$pm" != n/a ]; then
    memr=$(awk -v p="$pm" -v t="$msm" 'BEGIN { printf "%.2f", t / p }')
    bench_cmp "$memr" '<=' "$T_MEM_RATIO" && ok_mem=1
  fi
  if [ "$size" = 1m ] && [ $((ok_imp & ok_st & ok_mb & ok_speed & ok_mem)) -eq 0 ]; then
    missed=1
  fi

  local out="$BENCH_RESULTS/foundation-$size.md" table
  mkdir -p "$BENCH_RESULTS"
  table=$(
    printf '| measure | tiegraph | peer | ratio | target | met? |\n'
    printf '|---|---:|---:|---:|---|---|\n'
    printf '| import into a new store (s) | %s | — | — | ≤ %s s | %s |\n' \
      "$(bench_fmt "$mi")" "$T_IMPORT_S" "$(bench_verdict $ok_imp "$size")"
    printf '| import peak RSS (MB) | %s | — | — | — | — |\n' "$(bench_fmt "$mim")"
    printf '| stats end to end (s) | %s | — | — | ≤ %s s | %s |\n' \
      "$(bench_fmt "$ms")" "$T_STATS_S" "$(bench_verdict $ok_st "$size")"
    printf '| stats peak RSS (MB) | %s | — | — | ≤ %s MB | %s |\n' \
      "$(bench_fmt "$msm")" "$T_STATS_MB" "$(bench_verdict $ok_mb "$size")"
    printf '| load: stats vs peer load (s) | %s | %s | %s | ≥ %s× faster | %s |\n' \
      "$(bench_fmt "$ms")" "$(bench_fmt "$ps")" "${speed/%[0-9]/&× faster}" "$T_SPEEDUP" \
      "$(bench_verdict $ok_speed "$size")"
    printf '| load: peak RSS vs peer (MB) | %s | %s | %s | ≤ 1/3 (0.33) | %s |\n' \
      "$(bench_fmt "$msm")" "$(bench_fmt "$pm")" "$memr" "$(bench_verdict $ok_mem "$size")"
  )
  {
    bench_header "Foundation benchmark" "$size"
    printf -- '- runs (medians): import %s, stats %s, peer %s; load average during: %s -> %s\n' \
      "$RUNS_IMPORT" "$RUNS_STATS" "$RUNS_PEER" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf -- '- peer: python-igraph %s from entities.csv + relations.csv (pandas.read_csv +\n' \
      "$("$PYTHON" -c 'import igraph; print(igraph.__version__)')"
    printf '  Graph.DataFrame); its time excludes interpreter start-up and imports.\n\n'
    printf '%s\n' "$table"
    if [ "$size" != 1m ]; then
      printf '\nThe targets are set for 1M/5M; verdicts in parentheses are indicative only.\n'
    fi
    if [ -n "$notes" ]; then printf '\n%b' "$notes"; fi
  } >"$out"
  printf '\n'
  cat "$out"
  bench_log "wrote $out"
}

while read -r size; do
  run_size "$size"
done < <(bench_sizes)

if [ "$failed" = 1 ]; then exit 1; fi
if [ "$missed" = 1 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then exit 3; fi
exit 0
