# check.sh — what the CLI test scripts share (sourced, not a test itself):
# a scratch folder they run in, pass/fail counters and the checks.
# After sourcing: $work is the current folder (removed at exit), $py a
# Python 3. End a script with `finish`.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0
fail=0
py=/usr/bin/python3
[ -x "$py" ] || py=python3
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect_rc() { if [ "$2" = "$3" ]; then ok; else bad "$1: exit status $3, expected $2"; cat err.txt >&2 2> /dev/null; fi; }
has() { # name file text
  if grep -qF -- "$3" "$2"; then ok; else bad "$1: '$3' not in $2"; fi
}
hasnt() {
  if grep -qF -- "$3" "$2"; then bad "$1: '$3' found in $2"; else ok; fi
}
empty() { if [ -s "$2" ]; then bad "$1: $2 is not empty:"; head -5 "$2" >&2; else ok; fi; }
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]  # a run that checks nothing fails
}
