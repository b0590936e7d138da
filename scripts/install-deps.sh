#!/usr/bin/env bash
# Installs the Debian 12 packages tiegraph needs, only those that are missing.
# `make demo` and `make test` call it first. Set TG_BENCH_DEPS=1 to also get
# the benchmark peers (python3-igraph, pandas, networkx, graph-tool), and
# TG_TEST_DEPS=1 (make test) for what the tests drive: python3, chromium, sqlite3,
# python3-igraph and python3-networkx; TG_FUZZ_DEPS=1 (make fuzz) for clang and libxml2.
set -euo pipefail

pkgs=(build-essential cmake pkg-config libigraph-dev libsqlite3-dev
      libgraphviz-dev graphviz librsvg2-bin libedit-dev tzdata libutf8proc-dev libpcre2-dev)
if [ "${TG_BENCH_DEPS:-0}" = 1 ]; then
  # cJSON, libcsv and libxml2 only for measuring tiegraph's own parsers against them
  # (docs/formats.md, "Why these parsers" and "Why a GraphML reader of its own")
  pkgs+=(python3 python3-igraph python3-pandas python3-networkx python3-graph-tool sqlite3 time
         libcjson-dev libcsv-dev libxml2-dev)
fi
if [ "${TG_FUZZ_DEPS:-0}" = 1 ]; then
  # make fuzz: libFuzzer comes with clang; libxml2 is the XML tokenizer's reference (fuzz_xml.c)
  pkgs+=(clang libxml2-dev)
fi
if [ "${TG_TEST_DEPS:-0}" = 1 ]; then
  # chromium: the report page's test opens it headless (tests/cli/report.sh);
  # sqlite3: the store's SQL views are read by the shell (tests/cli/store.sh);
  # python3-igraph and python3-networkx read the GraphML and GEXF exports back
  # (tests/cli/graphml.sh)
  pkgs+=(python3 chromium sqlite3 python3-igraph python3-networkx)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "tiegraph: installing missing packages: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
