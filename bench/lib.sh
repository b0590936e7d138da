# shellcheck shell=bash
# bench/lib.sh — shared helpers of the benchmark scripts (sourced, never run).
#
# Every benchmark script (bench/foundation.sh now; bench/query.sh and
# bench/algo.sh later) sources this file, then uses:
#   bench_sizes                 the sizes to run (SIZES, default "10k 100k 1m")
#   bench_size_counts SIZE      "ENTITIES RELATIONS" for a size name
#   bench_data SIZE             generate bench/data/SIZE/ if missing or stale; prints its path
#   bench_measure LOG CMD...    run CMD under /usr/bin/time; sets BENCH_SECS, BENCH_RSS_MB,
#                               BENCH_CPU
#   bench_median V...           median of numbers (mean of the middle two when even)
#   bench_fmt X                 a figure for a table (3 significant digits, integers from 100)
#   bench_cmp A OP B            float comparison, OP one of <= >= < >
#   bench_verdict OK SIZE       "yes"/"no" at 1m, "(yes)"/"(no)" at other sizes
#   bench_header TITLE SIZE     the common header of a results file (date, machine, build)
# Settings (environment): BUILD (build dir, default build), TIEGRAPH (default
# $BUILD/tiegraph), GEN (default $BUILD/tg-gen-synth), PYTHON (default
# /usr/bin/python3, which has the Debian python3-igraph), SEED (default 42),
# TIMEOUT (seconds per measured command, default 900), BENCH_STRICT=1 (exit
# non-zero when a 1M/5M target is missed).

BENCH_DIR=${BENCH_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
ROOT=${ROOT:-$(cd "$BENCH_DIR/.." && pwd)}
cd "$ROOT" || exit 1

BUILD=${BUILD:-build}
TIEGRAPH=${TIEGRAPH:-$BUILD/tiegraph}
GEN=${GEN:-$BUILD/tg-gen-synth}
SEED=${SEED:-42}
TIMEOUT=${TIMEOUT:-900}
BENCH_DATA=${BENCH_DATA:-$BENCH_DIR/data}
BENCH_RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results}
if [ -z "${PYTHON:-}" ]; then
  if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi
unset TIEGRAPH_DB

bench_log() { printf 'bench: %s\n' "$*" >&2; }
bench_die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

bench_sizes() {
  local s
  for s in ${SIZES:-10k 100k 1m}; do printf '%s\n' "${s,,}"; done
}

# 10k -> 10000 50000; 1m -> 1000000 5000000: relations are five times entities.
bench_size_counts() {
  local s=${1,,} n
  case "$s" in
    *k) n=$(( ${s%k} * 1000 )) ;;
    *m) n=$(( ${s%m} * 1000000 )) ;;
    *) bench_die "size '$1' is not of the form <N>k or <N>m" ;;
  esac
  printf '%s %s\n' "$n" $(( n * 5 ))
}

# Builds tg-gen-synth when it is missing: through CMake when $BUILD is a
# configured build directory, else straight with cc (into bench/data).
bench_gen() {
  [ -x "$GEN" ] && return 0
  if [ -f "$BUILD/CMakeCache.txt" ]; then
    # Fails quietly when $BUILD was configured before bench/ existed.
    cmake --build "$BUILD" --target tg-gen-synth -j 2 >/dev/null 2>&1 || true
  fi
  [ -x "$GEN" ] && return 0
  GEN=$BENCH_DATA/tg-gen-synth
  if [ ! "$GEN" -nt "$BENCH_DIR/gen_synth.c" ]; then
    mkdir -p "$BENCH_DATA"
    cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -o "$GEN" "$BENCH_DIR/gen_synth.c" -lm \
      || bench_die "cannot build tg-gen-synth"
  fi
}

# Prints the dataset directory of SIZE, generating it first when it is
# missing or was made by another generator version, seed or size.
bench_data() {
  local size=$1 n m dir stamp t0 t1
  read -r n m < <(bench_size_counts "$size")
  dir=$BENCH_DATA/$size
  stamp="$n $m $SEED $(sha1sum "$BENCH_DIR/gen_synth.c" | cut -c1-12)"
  if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ] &&
     [ -f "$dir/graph.jsonl" ] && [ -f "$dir/entities.csv" ] && [ -f "$dir/relations.csv" ]; then
    printf '%s\n' "$dir"
    return 0
  fi
  bench_gen
  mkdir -p "$dir"
  # Whatever was derived from the old data (stores, logs, outputs) goes too.
  rm -f "$dir/.stamp" "$dir"/*.db "$dir"/*.db-* "$dir/stats.json" "$dir/peer.jsonl"
  t0=$(date +%s.%N)
  "$GEN" --entities "$n" --relations "$m" --seed "$SEED" --out "$dir" \
    || bench_die "tg-gen-synth failed for $size"
  t1=$(date +%s.%N)
  printf '%s\n' "$stamp" >"$dir/.stamp"
  bench_log "generated $size ($n entities, $m relations) in $(awk -v a="$t0" -v b="$t1" \
    'BEGIN { printf "%.2f", b - a }') s: $(cd "$dir" && du -ch graph.jsonl entities.csv relations.csv |
    awk 'END { print $1 }')"
  printf '%s\n' "$dir"
}

# bench_measure LOG CMD...: runs CMD with stdout and stderr appended to LOG,
# under /usr/bin/time (wall seconds, peak RSS of CMD itself, CPU seconds) and
# a timeout. Sets BENCH_SECS, BENCH_RSS_MB and BENCH_CPU; returns CMD's exit
# status.
bench_measure() {
  local log=$1 tf rc=0
  shift
  tf=$(mktemp)
  printf '$ %s\n' "$*" >>"$log"
  timeout "$TIMEOUT" /usr/bin/time -f '%e %M %U %S' -o "$tf" "$@" >>"$log" 2>&1 || rc=$?
  # shellcheck disable=SC2034 # results for the sourcing script
  BENCH_SECS=$(awk 'END { print $1 }' "$tf")
  # shellcheck disable=SC2034
  BENCH_RSS_MB=$(awk 'END { printf "%.1f", $2 / 1024 }' "$tf")
  # shellcheck disable=SC2034 # CPU seconds (user + system): steadier than wall time on a busy machine
  BENCH_CPU=$(awk 'END { printf "%.2f", $3 + $4 }' "$tf")
  # /usr/bin/time writes "Command exited with non-zero status N" first; the last line holds the figures.
  rm -f "$tf"
  if [ "$rc" -eq 124 ]; then bench_log "timed out after ${TIMEOUT}s: $*"; fi
  return "$rc"
}

bench_median() {
  [ $# -gt 0 ] || { printf 'n/a\n'; return 0; }
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2;
          printf "%.4f\n", m }'
}

# Display form of a figure: 3 significant digits up to 100, integers above.
bench_fmt() {
  awk -v x="$1" 'BEGIN { if (x == "n/a" || x == "") { print "n/a"; exit }
    if (x < 10) printf "%.2f\n", x; else if (x < 100) printf "%.1f\n", x; else printf "%.0f\n", x }'
}

# Float comparison through awk: bench_cmp A OP B, OP one of <= >= < >.
bench_cmp() {
  awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN {
    r = (op == "<=") ? a <= b : (op == ">=") ? a >= b : (op == "<") ? a < b : a > b;
    exit !r }'
}

# The targets are set for 1M/5M; at other sizes verdicts are only indicative.
bench_verdict() {
  local ok=$1 size=$2 word
  if [ "$ok" = 1 ]; then word=yes; else word=no; fi
  if [ "$size" = 1m ]; then printf '%s' "$word"; else printf '(%s)' "$word"; fi
}

bench_header() {
  local title=$1 size=$2 n m cpu rev
  read -r n m < <(bench_size_counts "$size")
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
  rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "no commit")
  printf '# %s, %s (%s entities, %s relations)\n\n' "$title" "$size" "$n" "$m"
  printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
  printf -- '- machine: %s cores, %s, %s GiB RAM; load average at the end: %s\n' "$(nproc)" \
    "${cpu:-unknown CPU}" "$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf -- '- tiegraph: %s (git %s); dataset: tg-gen-synth --seed %s\n' "$TIEGRAPH" "$rev" "$SEED"
}
