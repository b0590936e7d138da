#!/usr/bin/env bash
# expect_fail.sh PATTERN CMD...: passes when CMD exits non-zero (and was not
# killed by a signal) and its output matches PATTERN. For the tests that a
# runner which finds no case fails.
pattern=$1
shift
out=$("$@" 2>&1)
rc=$?
echo "$out"
if [ "$rc" -eq 0 ] || [ "$rc" -ge 128 ]; then
  echo "expect_fail: exit status $rc, expected a failure (1..127)" >&2
  exit 1
fi
grep -q -- "$pattern" <<< "$out" || { echo "expect_fail: no '$pattern' in the output" >&2; exit 1; }
