#!/usr/bin/env bash
# bench/ftm.sh — the FollowTheMoney import benchmark (issue 8): a synthetic FtM
# file of SIZE *entities* (bench/gen_ftm.py: companies, people, addresses,
# ownerships, directorships and payments, references forward and backward,
# 0.1% unknown, 1% company fragments; about 0.6 entities per record, so
# SIZE x 1.7 records) imported into a new store, RUNS times (default 3):
# median wall time and peak memory (the target: an FtM file of 1M entities
# imports with peak RSS under 1 GB). The store's counts are checked against the generator's
# expect.json. Writes bench/results/ftm-<size>.md; logs to
# bench/data/ftm-<size>/ftm.log. Not in `run.sh`'s default list: run it as
#   SIZES=100k ./bench/ftm.sh
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

RUNS=${RUNS:-3}
LIMIT_MB=${LIMIT_MB:-1024}
[ -x "$TIEGRAPH" ] || bench_die "$TIEGRAPH not found: build it first (make all), or set TIEGRAPH"
[ -x /usr/bin/time ] || bench_die "/usr/bin/time not found (Debian package 'time')"
status=0

for size in $(bench_sizes); do
  read -r nent _ < <(bench_size_counts "$size")
  n=$((nent * 17 / 10)) # records: the generator makes ~0.6 entities per record
  dir=$BENCH_DATA/ftm-$size
  stamp="$n $SEED $(sha1sum "$BENCH_DIR/gen_ftm.py" | cut -c1-12)"
  if [ ! -f "$dir/.stamp" ] || [ "$(cat "$dir/.stamp")" != "$stamp" ] || [ ! -f "$dir/entities.ijson" ]; then
    mkdir -p "$dir"
    rm -f "$dir/.stamp" "$dir"/*.db
    t0=$(date +%s.%N)
    "$PYTHON" "$BENCH_DIR/gen_ftm.py" --records "$n" --seed "$SEED" --out "$dir" ||
      bench_die "gen_ftm.py failed for $size"
    printf '%s\n' "$stamp" >"$dir/.stamp"
    bench_log "generated ftm-$size ($n records) in $(awk -v a="$t0" -v b="$(date +%s.%N)" \
      'BEGIN { printf "%.1f", b - a }') s: $(du -h "$dir/entities.ijson" | cut -f1)"
  fi
  log=$dir/ftm.log
  : >"$log"
  secs=() mbs=()
  for ((i = 0; i < RUNS; i++)); do
    rm -f "$dir/ftm.db"
    bench_measure "$log" "$TIEGRAPH" import -q --db "$dir/ftm.db" --format ftm \
      --report "$dir/skipped.txt" "$dir/entities.ijson" || bench_die "FtM import failed (see $log)"
    secs+=("$BENCH_SECS"); mbs+=("$BENCH_RSS_MB")
  done
  # the store holds what the generator says
  want=$("$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["entities"], d["relations"], d["skipped"])' "$dir/expect.json")
  got="$("$TIEGRAPH" stats --db "$dir/ftm.db" --format json |
    "$PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print(d["entities"], d["relations"])') $(wc -l < "$dir/skipped.txt")"
  [ "$got" = "$want" ] || bench_die "ftm-$size: entities, relations, skipped are $got; expected $want"
  t=$(bench_median "${secs[@]}"); mb=$(bench_median "${mbs[@]}")
  ok=0; bench_cmp "$mb" "<" "$LIMIT_MB" && ok=1
  read -r ents rels skipped <<<"$want"
  [ "$ents" -ge "$nent" ] || ok=0 # the target is about entities, not records
  [ "$ok" = 1 ] || [ "$size" != 1m ] || [ "${BENCH_STRICT:-0}" != 1 ] || status=3
  {
    # lib.sh's header speaks of tg-gen-synth's graph; this suite's data is the FtM file
    bench_header "FollowTheMoney import benchmark" "$size" |
      sed -e "1s/(.*)\$/($n records)/" -e 's/; dataset: tg-gen-synth --seed [0-9]*//'
    printf -- '- data: bench/gen_ftm.py --records %s --seed %s (%s, %s records): %s entities, %s relations, %s unknown references\n' \
      "$n" "$SEED" "$(du -h "$dir/entities.ijson" | cut -f1)" "$n" "$ents" "$rels" "$skipped"
    printf -- '- runs: %s, medians; each `tiegraph import --format ftm` into a new store\n\n' "$RUNS"
    printf '| measure | tiegraph | target | met? |\n|---|---:|---|---|\n'
    printf '| import (s) | %s | — | — |\n' "$(bench_fmt "$t")"
    printf '| records per second | %s | — | — |\n' "$(awk -v n="$n" -v t="$t" 'BEGIN { printf "%.0f", n / t }')"
    printf '| peak RSS (MB) | %s | < %s with 1M entities | %s |\n' "$(bench_fmt "$mb")" "$LIMIT_MB" \
      "$(bench_verdict "$ok" "$size")"
    printf '| store size (MB) | %s | — | — |\n' "$(du -m "$dir/ftm.db" | cut -f1)"
  } | tee "$BENCH_RESULTS/ftm-$size.md"
  rm -f "$dir/ftm.db"
done
exit "$status"
