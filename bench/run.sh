#!/usr/bin/env bash
# bench/run.sh — runs tiegraph's benchmark suites (`make bench` calls it).
#
# Each suite is a script bench/<suite>.sh that sources bench/lib.sh and runs
# on its own as well; BENCHES chooses which (default: every suite below that
# exists). Quick run: SIZES="10k 100k" ./bench/run.sh. See bench/README.md for
# the settings (SIZES, RUNS, TIEGRAPH, PYTHON, BENCH_STRICT, ...).
# Exit status: the first non-zero status of a suite, else 0.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

SUITES_KNOWN="foundation query query9 algo formats graphml ftm store"
status=0
for suite in ${BENCHES:-$SUITES_KNOWN}; do
  script=$BENCH_DIR/$suite.sh
  if [ ! -f "$script" ]; then
    if [ -n "${BENCHES:-}" ]; then
      printf 'bench: no such suite: %s (%s missing)\n' "$suite" "$script" >&2
      if [ "$status" -eq 0 ]; then status=64; fi
    fi
    continue
  fi
  printf 'bench: == %s ==\n' "$suite" >&2
  rc=0
  bash "$script" || rc=$?
  if [ "$rc" -ne 0 ] && [ "$status" -eq 0 ]; then status=$rc; fi
done
exit "$status"
