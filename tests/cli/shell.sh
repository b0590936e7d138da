#!/usr/bin/env bash
# `tiegraph shell` driven through a pseudo-terminal (Python's pty module):
# line editing and Tab completion (labels, functions, commands), statements
# over several lines, :param / :params / :format / :source / :render /
# :help, and the history file. Also `tiegraph query -` reading stdin.
# Usage: shell.sh TIEGRAPH SOURCE_DIR
set -u
tg=$1
src=$2
. "$(dirname "$0")/lib/check.sh"

# --- query - reads the script from standard input
printf 'MATCH (n:Lender) RETURN count(n) AS lenders;\n' |
  "$tg" query --in "$src/examples/aspi-2019/graph.json" - > q.txt 2> q.err
if grep -qx '3' q.txt && grep -q '^lenders' q.txt; then ok; else bad "query -: $(cat q.txt q.err)"; fi

printf "RETURN 'sourced' AS s;\n" > s.cypher
HOME="$work" TIEGRAPH_HISTORY="$work/hist" "$py" - "$tg" "$src/examples/aspi-2019/graph.json" << 'PY'
import os, pty, select, sys, time, struct, fcntl, termios
tg, data = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.environ['TERM'] = 'xterm'
    os.execv(tg, [tg, 'shell', '--in', data])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))
out = b''
def read_until(token, timeout=20):
    global out
    end = time.time() + timeout
    while time.time() < end:
        if token.encode() in out:
            return True
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return token.encode() in out
failures = []
def step(send, expect, name):
    global out
    out = b''
    os.write(fd, send.encode())
    if not read_until(expect):
        failures.append('%s: %r not seen in %r' % (name, expect, out[-600:]))
if not read_until('tiegraph> '):
    failures.append('no prompt: %r' % out)
step('MATCH (n:Lend\t', 'er', 'complete a label')
step(')\r', '...> ', 'continue a statement on the next line')
step('RETURN count(n) AS k;\r', '(1 row)', 'run a statement over two lines')
step('RETURN toUpp\t', 'upper', 'complete a function')
step("('x') AS u;\r", "X", 'run the completed function')
step(':par\t', 'am', 'complete a command')
step(" who => 'Exim'\r", 'tiegraph> ', 'set a parameter')
step(':params\r', "who => 'Exim'", 'list parameters')
step(':format markdown\r', 'tiegraph> ', 'switch the format')
step('RETURN $who AS who;\r', '| Exim |', 'markdown table with a parameter')
step(':format csv\r', 'tiegraph> ', 'CSV on a terminal')
step("RETURN 'a\\u001b[2Jb' AS c;\r", 'a\\x1b[2Jb', 'control characters escaped on a terminal, in CSV too')
step(':format markdown\r', 'tiegraph> ', 'back to markdown')
step(':source s.cypher\r', 'sourced', 'source a script')
step(':render fig.svg title="From the shell"\r', 'tiegraph> ', 'a pending figure')
step('MATCH p = (:Lender)-[:FINANCES]->() RETURN p;\r', '(drew', 'draw the next result')
step(':help\r', ':source FILE', 'help')
step(':nonsense\r', 'unknown command', 'unknown command')
step('RETURN 1 +;\r', 'error', 'an error keeps the shell alive')
step('RETURN 2 AS two;\r', '| 2 ', 'still alive')
os.write(fd, b':quit\r')
time.sleep(0.5)
_, status = os.waitpid(pid, 0)
if status != 0:
    failures.append('exit status %d' % status)
if not os.path.exists('fig.svg'):
    failures.append('fig.svg not written')
hist = open(os.environ['TIEGRAPH_HISTORY']).read() if os.path.exists(os.environ['TIEGRAPH_HISTORY']) else ''
hist = hist.replace('\\040', ' ')  # libedit's history file escapes blanks
if 'MATCH (n:Lender) RETURN count(n) AS k;' not in hist or ':params' not in hist or 'toupper(' not in hist.replace(' (', '('):
    failures.append('history: %r' % hist[-400:])
for f in failures:
    print('FAIL: ' + f, file=sys.stderr)
print('%d steps failed' % len(failures))
sys.exit(1 if failures else 0)
PY
if [ $? = 0 ]; then ok; else bad "the pseudo-terminal session"; fi
finish
