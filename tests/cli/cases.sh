#!/usr/bin/env bash
# Runs the CLI test cases: tests/cli/cases/*.case, data files of sections
#   --- run       shell lines; `tiegraph` runs the binary under test
#   --- file NAME a file written into the case's directory before it runs
#   --- stdout    the exact standard output expected (optional)
#   --- stderr    the exact standard error expected (optional)
#   --- status    the exit status of the last line of `run` (default 0)
# Each case runs in a fresh directory holding tests/cli/fixtures/*.
# Usage: cases.sh TIEGRAPH SOURCE_DIR
set -u
tg=$1
src=$2
pass=0
fail=0
for case in "$src"/tests/cli/cases/*.case; do
  [ -e "$case" ] || continue
  name=$(basename "$case" .case)
  dir=$(mktemp -d)
  cp "$src"/tests/cli/fixtures/* "$dir"/
  # Split the case into its sections (files under $dir/.sections/).
  mkdir "$dir/.sections"
  awk -v out="$dir/.sections" '
    /^--- / { sec = $2; if (sec == "file") { sec = "file." $3 } ; f = out "/" sec; printf "" > f; next }
    sec != "" { print >> f }
  ' "$case"
  for f in "$dir"/.sections/file.*; do
    [ -e "$f" ] && cp "$f" "$dir/${f##*/file.}"
  done
  want_status=$(cat "$dir/.sections/status" 2>/dev/null || echo 0)
  (
    cd "$dir"
    tiegraph() { "$tg" "$@"; }
    export -f tiegraph 2>/dev/null
    export tg TG_SRC="$src"
    set +e
    # A child shell, not `.`: bash 5.2 execs the last command of a sourced
    # file's final list, which would end this subshell early.
    bash .sections/run > .out 2> .err
    echo $? > .status
  )
  ok=1
  got_status=$(cat "$dir/.status")
  if [ "$got_status" != "$(echo $want_status)" ]; then
    echo "FAIL $name: exit status $got_status, expected $want_status" >&2
    ok=0
  fi
  for stream in stdout stderr; do
    [ -f "$dir/.sections/$stream" ] || continue
    actual="$dir/.out"
    [ "$stream" = stderr ] && actual="$dir/.err"
    if ! cmp -s "$dir/.sections/$stream" "$actual"; then
      echo "FAIL $name: $stream differs (expected, then actual):" >&2
      diff "$dir/.sections/$stream" "$actual" >&2
      ok=0
    fi
  done
  if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
  rm -rf "$dir"
done
echo "$pass passed, $fail failed"
if [ $((pass + fail)) -eq 0 ]; then echo "no case found in $src/tests/cli/cases: a run that tests nothing fails" >&2; exit 1; fi
[ "$fail" -eq 0 ]
