#!/usr/bin/env bash
# bench/query.sh — the query-language benchmark (issue 4): a seek by id end to
# end, and a three-hop typed chain count against NetworkX and the sqlite3 shell.
#
# For each size of SIZES (default "10k 100k 1m"; the targets are set for 1m =
# 1M entities / 5M relations) it prints a markdown table and writes it to
# bench/results/query-<size>.md; every command's output goes to
# bench/data/<size>/query.log. The chain count is
#   MATCH (l:Lender)-[:FINANCES]->(g:Government)-[:CONTRACTS]->(c:Company)
#         -[:BUILDS]->(p:Project) WHERE p.category = 'safe_city' RETURN count(*)
# and every side is timed on execution only (loading excluded):
#   tiegraph  `query --timing`'s "execute" figure, median of RUNS_TG (default 5)
#   NetworkX  bench/query_peer_nx.py: plain nested loops over a MultiDiGraph
#             built from the CSV pair; RUNS_NX runs (default 3), repeated only
#             while a run takes under NX_REPEAT_UNDER seconds (default 120)
#   SQLite    bench/query_sqlite.sh: a 4-way join in the sqlite3 shell with
#             `.timer on`, RUNS_SQL runs (default 3); indexes on the relation
#             endpoints (and, once, the (src, type) variant)
# The seek, `MATCH (c {id: 'e4242'}) RETURN c.name`, is timed end to end (the
# whole process, load included) with /usr/bin/time, median of RUNS_SEEK (5).
# RUNS sets all four run counts. PEERS (default "networkx sqlite") chooses
# the peers; REUSE_PEERS=1 reuses a peer's recorded result
# (data/<size>/query-nx.json, query-sqlite.out) when it is newer than the CSV
# pair and the peer's script, and says so in the results file (the peers do
# not change with tiegraph; NetworkX takes tens of minutes at 1M/5M).
# Time limits (seconds, 0 = none): NX_COUNT_TIMEOUT (default 900) stops a
# NetworkX count, SQL_TIMEOUT (default TIMEOUT, 900) the sqlite3 runs; a peer
# stopped before its first run finished is shown as a lower bound ("> N").
# Exit status: 0 when everything ran and the counts agree; 1 when a command
# failed or the sides found different counts; 3 when BENCH_STRICT=1 and a
# 1M/5M target was missed.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

RUNS_TG=${RUNS_TG:-${RUNS:-5}}
RUNS_SEEK=${RUNS_SEEK:-${RUNS:-5}}
RUNS_NX=${RUNS_NX:-${RUNS:-3}}
RUNS_SQL=${RUNS_SQL:-${RUNS:-3}}
NX_REPEAT_UNDER=${NX_REPEAT_UNDER:-120}
NX_TIMEOUT=${NX_TIMEOUT:-0}
NX_COUNT_TIMEOUT=${NX_COUNT_TIMEOUT:-900}
SQL_TIMEOUT=${SQL_TIMEOUT:-$TIMEOUT}
PEERS=${PEERS:-networkx sqlite}
REUSE_PEERS=${REUSE_PEERS:-0}
MAX_EXPANSIONS=${MAX_EXPANSIONS:-1000000000}

# Targets for 1M/5M (issue 4).
T_SEEK_S=1.5
T_NX=10
T_SQL=3

SEEK="MATCH (c {id: 'e4242'}) RETURN c.name"
CHAIN="MATCH (l:Lender)-[:FINANCES]->(g:Government)-[:CONTRACTS]->(c:Company)-[:BUILDS]->(p:Project) WHERE p.category = 'safe_city' RETURN count(*)"

[ -x "$TIEGRAPH" ] || bench_die "$TIEGRAPH not found: build it first (make all), or set TIEGRAPH"
[ -x /usr/bin/time ] || bench_die "/usr/bin/time not found (Debian package 'time')"
case " $PEERS " in *" networkx "*)
  "$PYTHON" -c 'import networkx' 2>/dev/null ||
    bench_die "$PYTHON cannot import networkx (Debian python3-networkx)" ;;
esac
case " $PEERS " in *" sqlite "*)
  command -v sqlite3 >/dev/null || bench_die "sqlite3 not found (Debian package sqlite3)" ;;
esac

failed=0
missed=0

# fresh FILE DEP...: FILE exists, is not empty and is newer than every DEP.
fresh() {
  local f=$1 d
  shift
  [ -s "$f" ] || return 1
  for d in "$@"; do [ "$f" -nt "$d" ] || return 1; done
}

# ratio PEER TIEGRAPH: how many times faster tiegraph is (its figure has
# millisecond resolution: under 1 ms counts as 1 ms).
ratio() {
  awk -v p="$1" -v t="$2" 'BEGIN { if (t < 0.001) t = 0.001; r = p / t
    if (r < 10) printf "%.2f\n", r; else if (r < 100) printf "%.1f\n", r; else printf "%.0f\n", r }'
}

# A seconds figure for the table: bench_fmt, with milliseconds under 1 s.
fmt_s() {
  if [ "$1" != n/a ] && [ -n "$1" ] && bench_cmp "$1" '<' 1; then
    awk -v x="$1" 'BEGIN { printf "%.3f\n", x }'
  else
    bench_fmt "$1"
  fi
}

run_size() {
  local size=$1 dir db log i out err notes="" load_before
  local -a seek_s=() exe_s=() load_s=() plan_s=() nx_s=() sql_s=()
  local tg_count="" nx_count="n/a" sql_count="n/a" nx_load="n/a" sql_load="n/a"
  local nx_stop="" nx_when="" sql_when="" sqlt_line="" sql_stop="" nx_cpu="n/a" sql_cpu="n/a"
  dir=$(bench_data "$size")
  db=$dir/bench.db
  log=$dir/query.log
  : >"$log"
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  if [ ! -s "$db" ]; then
    bench_log "query $size: no store yet, importing $dir/graph.jsonl"
    bench_measure "$log" "$TIEGRAPH" import --db "$db" "$dir/graph.jsonl" ||
      { bench_log "tiegraph import failed (see $log)"; failed=1; return 0; }
  fi
  bench_log "query $size: seek x$RUNS_SEEK, chain count: tiegraph x$RUNS_TG, peers: $PEERS (log: $log)"
  out=$(mktemp)
  err=$(mktemp)

  # The seek, end to end; its answer is checked once, apart from the timed runs.
  local seek_name
  seek_name=$("$TIEGRAPH" query --db "$db" --format csv -e "$SEEK" 2>>"$log" | sed -n 2p) || true
  if [ -z "$seek_name" ]; then
    notes+="- the seek by id returned no name (see $log).\n"
    failed=1
  fi
  for ((i = 0; i < RUNS_SEEK; i++)); do
    if bench_measure "$log" "$TIEGRAPH" query --db "$db" -e "$SEEK"; then
      seek_s+=("$BENCH_SECS")
    else
      notes+="- the seek by id failed (see $log).\n"; failed=1; break
    fi
  done

  # The chain count: execution time from --timing.
  for ((i = 0; i < RUNS_TG; i++)); do
    printf '$ %s query --db %s --timing --format csv --max-expansions %s -e "%s"\n' \
      "$TIEGRAPH" "$db" "$MAX_EXPANSIONS" "$CHAIN" >>"$log"
    if ! timeout "$TIMEOUT" "$TIEGRAPH" query --db "$db" --timing --format csv \
         --max-expansions "$MAX_EXPANSIONS" -e "$CHAIN" >"$out" 2>"$err"; then
      cat "$out" "$err" >>"$log"
      notes+="- tiegraph's chain count failed (see $log).\n"; failed=1; break
    fi
    cat "$out" "$err" >>"$log"
    local c e l p
    c=$(sed -n 2p "$out")
    e=$(sed -n 's/.*execute \([0-9.]*\) s.*/\1/p' "$err" | tail -n 1)
    p=$(sed -n 's/.*plan \([0-9.]*\) s.*/\1/p' "$err" | tail -n 1)
    l=$(sed -n 's/^tiegraph: load \([0-9.]*\) s.*/\1/p' "$err" | tail -n 1)
    if [ -z "$e" ] || [ -z "$c" ]; then
      notes+="- tiegraph's --timing output was not understood (see $log).\n"; failed=1; break
    fi
    if [ -n "$tg_count" ] && [ "$tg_count" != "$c" ]; then
      notes+="- tiegraph's runs disagree on the count: $tg_count, $c.\n"; failed=1
    fi
    tg_count=$c
    exe_s+=("$e"); plan_s+=("${p:-0}"); load_s+=("${l:-0}")
  done

  # NetworkX.
  local nxf=$dir/query-nx.json
  if [[ " $PEERS " == *" networkx "* ]]; then
    if [ "$REUSE_PEERS" = 1 ] && fresh "$nxf" "$dir/entities.csv" "$dir/relations.csv" \
         "$BENCH_DIR/query_peer_nx.py"; then
      nx_when=$(date -u -r "$nxf" '+%Y-%m-%d %H:%M UTC')
      bench_log "query $size: reusing NetworkX's result of $nx_when ($nxf)"
    else
      bench_log "query $size: NetworkX peer (up to $RUNS_NX runs; minutes at 1M/5M)"
      rm -f "$nxf"
      if TIMEOUT=$NX_TIMEOUT bench_measure "$log" "$PYTHON" "$BENCH_DIR/query_peer_nx.py" "$dir" \
           --runs "$RUNS_NX" --repeat-under "$NX_REPEAT_UNDER" --timeout "$NX_COUNT_TIMEOUT"; then
        grep '^{"peer": "networkx"' "$log" | tail -n 1 >"$nxf"
      else
        notes+="- the NetworkX peer failed (see $log).\n"; failed=1
      fi
    fi
    if [ -s "$nxf" ]; then
      read -r nx_count nx_load nx_stop < <("$PYTHON" -c 'import json, sys
o = json.load(open(sys.argv[1]))
print(o["count"] if o["count"] is not None else "(stopped)", o["load_seconds"],
      o.get("stopped_after_seconds") or "")' "$nxf")
      while read -r s; do nx_s+=("$s"); done < <("$PYTHON" -c 'import json, sys
for s in json.load(open(sys.argv[1]))["count_seconds"]: print(s)' "$nxf")
      # CPU time (process_time) of the count runs, when the peer recorded it.
      nx_cpu=$("$PYTHON" -c 'import json, statistics, sys
c = json.load(open(sys.argv[1])).get("count_cpu_seconds")
print(statistics.median(c) if c else "n/a")' "$nxf")
    fi
  fi

  # SQLite.
  local sqf=$dir/query-sqlite.out
  if [[ " $PEERS " == *" sqlite "* ]]; then
    if [ "$REUSE_PEERS" = 1 ] && fresh "$sqf" "$dir/entities.csv" "$dir/relations.csv" \
         "$BENCH_DIR/query_sqlite.sh"; then
      sql_when=$(date -u -r "$sqf" '+%Y-%m-%d %H:%M UTC')
      bench_log "query $size: reusing SQLite's result of $sql_when ($sqf)"
    else
      bench_log "query $size: SQLite peer ($RUNS_SQL runs, then the (src, type) variant once)"
      printf '$ %s %s %s\n' "$BENCH_DIR/query_sqlite.sh" "$dir" "$RUNS_SQL" >>"$log"
      if TIMEOUT=$SQL_TIMEOUT bash "$BENCH_DIR/query_sqlite.sh" "$dir" "$RUNS_SQL" >"$out" 2>>"$log"; then
        cat "$out" >"$sqf"
      else
        cat "$out" >>"$log"
        notes+="- the SQLite peer failed (see $log).\n"; failed=1
        rm -f "$sqf"
      fi
      cat "$out" >>"$log"
    fi
    if [ -s "$sqf" ]; then
      local line
      line=$(grep '^variant src_dst ' "$sqf" || true)
      if [ -n "$line" ]; then
        sql_count=$(awk '{ print $4 }' <<<"$line")
        read -r -a sql_s < <(awk '{ for (i = 6; i <= NF; i++) printf "%s ", $i; print "" }' <<<"$line")
      fi
      sql_load=$(awk '$1 == "load" { print $2 }' "$sqf")
      if [ -z "$sql_load" ] && [ -f "$dir/query-sqlite.load" ]; then sql_load=$(cat "$dir/query-sqlite.load"); fi
      [ -n "$sql_load" ] && printf '%s\n' "$sql_load" >"$dir/query-sqlite.load"
      sqlt_line=$(grep -E '^(variant|timeout) src_type ' "$sqf" || true)
      sql_stop=$(awk '$1 == "timeout" && $2 == "src_dst" { print $3 }' "$sqf")
      local -a cpus=()
      read -r -a cpus < <(awk '$1 == "cpu" && $2 == "src_dst" {
        for (i = 4; i <= NF; i++) printf "%s ", $i } END { print "" }' "$sqf")
      if [ ${#cpus[@]} -gt 0 ]; then sql_cpu=$(bench_median "${cpus[@]}"); fi
    fi
  fi
  rm -f "$out" "$err"

  # Figures and verdicts; a missing figure is a miss.
  local mseek mexe mload mplan mnx msql
  mseek=$(bench_median "${seek_s[@]}")
  mexe=$(bench_median "${exe_s[@]}")
  mload=$(bench_median "${load_s[@]}")
  mplan=$(bench_median "${plan_s[@]}")
  mnx=$(bench_median "${nx_s[@]}")
  msql=$(bench_median "${sql_s[@]}")
  local ok_seek=0 ok_nx=0 ok_sql=0 ok_cnt=0 rnx="n/a" rsql="n/a"
  [ "$mseek" != n/a ] && bench_cmp "$mseek" '<=' "$T_SEEK_S" && ok_seek=1
  local nx_shown nx_gt=""
  if [ "$mnx" = n/a ] && [ -n "$nx_stop" ]; then
    # The count was stopped after NX_COUNT_TIMEOUT: that time is a lower bound.
    mnx=$nx_stop; nx_gt="> "
    notes+="- the NetworkX count was stopped after ${nx_stop} s: its figure is a lower bound.\n"
  fi
  if [ "$mexe" != n/a ] && [ "$mnx" != n/a ]; then
    rnx=$(ratio "$mnx" "$mexe"); bench_cmp "$rnx" '>=' "$T_NX" && ok_nx=1
  fi
  nx_shown="$nx_gt$(fmt_s "$mnx")"
  local sql_shown sql_gt=""
  if [ "$msql" = n/a ] && [ -n "$sql_stop" ]; then
    # No run finished before SQL_TIMEOUT: the timeout is a lower bound.
    msql=$sql_stop; sql_gt="> "
    sql_count="(stopped)"
    notes+="- no sqlite3 run finished within SQL_TIMEOUT=${sql_stop} s: its figure is a lower bound.\n"
  fi
  if [ "$mexe" != n/a ] && [ "$msql" != n/a ]; then
    rsql=$(ratio "$msql" "$mexe"); bench_cmp "$rsql" '>=' "$T_SQL" && ok_sql=1
  fi
  sql_shown="$sql_gt$(fmt_s "$msql")"
  local counts="tiegraph ${tg_count:-n/a}"
  [[ " $PEERS " == *" networkx "* ]] && counts+=", NetworkX $nx_count"
  [[ " $PEERS " == *" sqlite "* ]] && counts+=", sqlite3 $sql_count"
  if [ -n "$tg_count" ] && { [[ " $PEERS " != *" networkx "* ]] || [ "$nx_count" = "$tg_count" ] || [ -n "$nx_gt" ]; } &&
     { [[ " $PEERS " != *" sqlite "* ]] || [ "$sql_count" = "$tg_count" ] || [ -n "$sql_gt" ]; }; then
    ok_cnt=1
  else
    notes+="- the sides found different counts: $counts.\n"; failed=1
  fi
  if [ "$size" = 1m ] && [ $((ok_seek & ok_nx & ok_sql & ok_cnt)) -eq 0 ]; then missed=1; fi

  local sqlt="not run"
  case "$sqlt_line" in
    variant*) sqlt="$(bench_fmt "$(awk '{ print $6 }' <<<"$sqlt_line")") s (1 run, count $(awk '{ print $4 }' <<<"$sqlt_line"))" ;;
    timeout*) sqlt="over $(awk '{ print $3 }' <<<"$sqlt_line") s (stopped)" ;;
  esac

  local res="$BENCH_RESULTS/query-$size.md" table
  mkdir -p "$BENCH_RESULTS"
  table=$(
    printf '| measure | tiegraph | peer | ratio | target | met? |\n'
    printf '|---|---:|---:|---:|---|---|\n'
    printf '| seek by id with RETURN, end to end incl. load (s) | %s | — | — | ≤ %s s | %s |\n' \
      "$(fmt_s "$mseek")" "$T_SEEK_S" "$(bench_verdict $ok_seek "$size")"
    printf '| 3-hop chain count, execution (s) vs NetworkX | %s | %s | %s | ≥ %s× faster | %s |\n' \
      "$(fmt_s "$mexe")" "$nx_shown" "$nx_gt${rnx/%[0-9]/&× faster}" "$T_NX" \
      "$(bench_verdict $ok_nx "$size")"
    printf '| 3-hop chain count, execution (s) vs sqlite3 join | %s | %s | %s | ≥ %s× faster | %s |\n' \
      "$(fmt_s "$mexe")" "$sql_shown" "$sql_gt${rsql/%[0-9]/&× faster}" "$T_SQL" \
      "$(bench_verdict $ok_sql "$size")"
    printf '| chains counted (must agree) | %s | NetworkX %s, sqlite3 %s | — | equal | %s |\n' \
      "${tg_count:-n/a}" "$nx_count" "$sql_count" "$(bench_verdict $ok_cnt "$size")"
    printf '| load, not timed above (s) | %s | NetworkX %s, sqlite3 %s | — | — | — |\n' \
      "$(fmt_s "$mload")" "$(fmt_s "$nx_load")" "$(fmt_s "${sql_load:-n/a}")"
    printf '| planning (s) | %s | — | — | — | — |\n' "$(fmt_s "$mplan")"
    printf '| peers'"'"' count, CPU time user+sys (s) | — | NetworkX %s, sqlite3 %s | %s, %s | — | — |\n' \
      "$(fmt_s "$nx_cpu")" "$(fmt_s "$sql_cpu")" \
      "$(if [ "$nx_cpu" != n/a ] && [ "$mexe" != n/a ]; then echo "$(ratio "$nx_cpu" "$mexe")×"; else echo n/a; fi)" \
      "$(if [ "$sql_cpu" != n/a ] && [ "$mexe" != n/a ]; then echo "$(ratio "$sql_cpu" "$mexe")×"; else echo n/a; fi)"
  )
  # shellcheck disable=SC2016 # the backticks are markdown, not expansions
  {
    bench_header "Query benchmark" "$size"
    printf -- '- runs (medians): seek %s, tiegraph count %s, NetworkX %s, sqlite3 %s; load average during: %s -> %s\n' \
      "${#seek_s[@]}" "${#exe_s[@]}" "${#nx_s[@]}" "${#sql_s[@]}" "$load_before" \
      "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf -- '- seek: `tiegraph query --db bench.db -e "%s"` (found %s), wall time of the process (`/usr/bin/time`).\n' \
      "$SEEK" "${seek_name:-nothing}"
    printf -- '- count: `%s`; tiegraph: the "execute" figure of `query --timing --max-expansions %s`.\n' \
      "$CHAIN" "$MAX_EXPANSIONS"
    printf -- '- NetworkX %s (%s): MultiDiGraph from the CSV pair (node labels as a set, category; edge type),\n' \
      "$("$PYTHON" -c 'import networkx; print(networkx.__version__)')" "$PYTHON"
    printf '  then plain nested loops over `G.out_edges(n, data=True)` (bench/query_peer_nx.py), time of the count only;\n'
    printf '  repeated only while a run takes under %s s.%s\n' "$NX_REPEAT_UNDER" \
      "${nx_when:+ Result reused from a run of $nx_when (REUSE_PEERS=1).}"
    printf -- '- sqlite3 %s: tables entity, entity_label, relation from the CSV pair, indexes on relation(src)\n' \
      "$(sqlite3 --version | cut -d' ' -f1)"
    printf '  and relation(dst), ANALYZE, `PRAGMA cache_size` 2 GB; a 4-way join with the type, label and\n'
    printf '  category predicates (bench/query_sqlite.sh), `.timer on` real time.%s With an index on\n' \
      "${sql_when:+ Result reused from a run of $sql_when (REUSE_PEERS=1).}"
    printf '  relation(src, type) too: %s (the planner then walks forward from the lenders).\n\n' "$sqlt"
    printf '%s\n' "$table"
    printf '\nThe peers'"'"' times are wall clock, as tiegraph'"'"'s; on a busy machine their CPU time (last row)\n'
    printf 'is lower, and the last row'"'"'s ratios (peer CPU time / tiegraph execute) are the conservative ones.\n'
    if [ "$size" != 1m ]; then
      printf '\nThe targets are set for 1M/5M; verdicts in parentheses are indicative only.\n'
    fi
    if [ -n "$notes" ]; then printf '\n%b' "$notes"; fi
  } >"$res"
  printf '\n'
  cat "$res"
  bench_log "wrote $res"
}

while read -r size; do
  run_size "$size"
done < <(bench_sizes)

if [ "$failed" = 1 ]; then exit 1; fi
if [ "$missed" = 1 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then exit 3; fi
exit 0
