#!/usr/bin/env bash
# `tiegraph report` over the example analyses, opened in headless Chromium
# (Debian's `chromium`): every figure and table is in the page, the page's
# script runs (search, click, hover: its #selftest mode), the page loads
# nothing (its own resource count, and Chromium's network log), and a
# screenshot is saved next to the binary (report-screenshot.png) for a
# person to look at.
# Usage: report.sh TIEGRAPH SOURCE_DIR
set -u
tg=$1
src=$2
ex=$src/examples/aspi-2019
shots=$(cd "$(dirname "$tg")" && pwd)
tests=$(cd "$(dirname "$0")" && pwd)
. "$tests/lib/check.sh"
hasnt_re() { if grep -qiE -- "$3" "$2"; then bad "$1: /$3/ found in $2: $(grep -oiE -- "$3" "$2" | head -3 | tr '\n' ' ')"; else ok; fi; }
count() { grep -o -- "$2" "$1" | wc -l; }

# --- the page
"$tg" report --in "$ex/graph.json" "$ex"/queries/*.cypher -o out --title "Example analyses" > report.txt 2> err.txt
rc=$?
[ $rc = 0 ] && ok || { bad "report: exit status $rc"; cat err.txt >&2; }
[ -s out/index.html ] && ok || bad "report: no out/index.html"
figures=$(cat "$ex"/queries/*.cypher | grep -c '^:render ')
tables=$(count out/index.html '<table id=')
[ "$(count out/index.html '<figure id=')" = "$figures" ] && ok ||
  bad "report: $(count out/index.html '<figure id=') figures, expected $figures"
[ "$(count out/index.html '<svg')" = "$figures" ] && ok || bad "report: not every figure is inlined SVG"
[ "$tables" -ge 10 ] && ok || bad "report: only $tables tables"
[ "$(count out/index.html '<section class="question"')" = "$(ls "$ex"/queries/*.cypher | wc -l)" ] && ok ||
  bad "report: a question is missing"
has question out/index.html "Which safe-city projects did China Exim Bank finance"
has question out/index.html "state obligations"
has evidence out/index.html "Mapping China&#39;s Tech Giants"
has evidence out/index.html "fragment <b>47</b>"
has sources out/index.html '<section id="sources">'
# self-contained: nothing that loads (links to follow are fine)
hasnt_re self-contained out/index.html '<(link|iframe|object|embed|img|audio|video|source)[ >]'
hasnt_re self-contained out/index.html ' (src|srcset|xlink:href|poster|data)='
hasnt_re self-contained out/index.html 'url\(|@import'
hasnt_re self-contained out/index.html '<!DOCTYPE svg'
has csp out/index.html "default-src 'none'"

# --- Chromium
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then
  bad "chromium: not installed (scripts/install-deps.sh installs it with TG_TEST_DEPS=1)"
else
  flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
         --disable-background-networking --disable-component-update --disable-sync
         --disable-default-apps --disable-extensions --no-pings --disable-domain-reliability
         --disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter
         "--host-resolver-rules=MAP * ~NOTFOUND" --virtual-time-budget=5000)
  url="file://$work/out/index.html"
  timeout 120 "$chrome" "${flags[@]}" --user-data-dir="$work/p1" --dump-dom "$url#selftest" \
    > dom.html 2> chrome1.txt
  has chromium-ran dom.html 'data-ready="1"'
  has chromium-nothing-loaded dom.html 'data-resources="0"'
  [ "$(count dom.html '<svg')" = "$figures" ] && ok || bad "chromium: $(count dom.html '<svg') figures in the DOM, expected $figures"
  [ "$(count dom.html '<table id=')" = "$tables" ] && ok || bad "chromium: tables missing in the DOM"
  st=$(grep -o 'data-selftest="[^"]*"' dom.html | sed 's/&quot;/"/g')
  case "$st" in *'"hits":'[1-9]*) ok ;; *) bad "chromium: search found no entity: $st" ;; esac
  case "$st" in *'"rows":'[1-9]*) ok ;; *) bad "chromium: search found no table row: $st" ;; esac
  case "$st" in *'"on":'[1-9]*) ok ;; *) bad "chromium: a click highlighted no tie: $st" ;; esac
  case "$st" in *'evidence":"'*'→'*) ok ;; *) bad "chromium: hovering a tie showed no evidence: $st" ;; esac
  # the screenshot, and the network: Chromium's own log of every request
  timeout 120 "$chrome" "${flags[@]}" --user-data-dir="$work/p2" --window-size=1280,2400 \
    --log-net-log="$work/net.json" --screenshot="$shots/report-screenshot.png" "$url" \
    > /dev/null 2> chrome2.txt
  [ -s "$shots/report-screenshot.png" ] && ok || bad "chromium: no screenshot"
  # Requests the page made: anything but the page itself, except the
  # browser's own services (sign-in, updates, time), which the flags above
  # already keep from resolving.
  "$py" - "$work/net.json" "$url" > net.txt << 'PY'
import json, sys
log = json.load(open(sys.argv[1]))
page = sys.argv[2].split('#')[0]
own = ('google.com', 'googleapis.com', 'gstatic.com', 'gvt1.com')
seen = set()
for ev in log.get('events', []):
    u = (ev.get('params') or {}).get('url')
    if not u or u.split('#')[0] == page or u.startswith('data:') or u.startswith('chrome'):
        continue
    host = u.split('/')[2] if '://' in u else ''
    if any(host == h or host.endswith('.' + h) for h in own):
        continue
    seen.add(u)
for u in sorted(seen):
    print(u)
PY
  if [ -s net.txt ]; then bad "chromium: the page fetched: $(head -3 net.txt | tr '\n' ' ')"; else ok; fi
fi
finish
