#!/usr/bin/python3
"""bench/query_peer_nx.py: the NetworkX peer of the query benchmark (issue 4).

Usage: /usr/bin/python3 bench/query_peer_nx.py DIR [--runs N] [--repeat-under S] [--timeout T]

Builds a networkx.MultiDiGraph from DIR/entities.csv and DIR/relations.csv
(node attributes `labels`, a set, and `category`; edge attribute `type`),
which is not timed as execution, then counts the chains

    (l:Lender)-[:FINANCES]->(g:Government)-[:CONTRACTS]->(c:Company)
              -[:BUILDS]->(p:Project {category: 'safe_city'})

with the plain nested loops a NetworkX user would write (not factorised), and
times that count alone with time.perf_counter. The count runs once, then
again up to N runs in all (default 3) only while a run takes under S seconds
(default 120), so that a multi-minute count runs once. With --timeout T
(seconds, default 0: none) a count still running after T seconds is stopped
and reported as a lower bound ("count": null, "stopped_after_seconds": T).

Prints one JSON line on stdout:
  {"peer": "networkx", "version": ..., "load_seconds": ..., "count": ...,
   "count_seconds": [...], "count_cpu_seconds": [...], "nodes": ..., "edges": ...}
(count_seconds is wall time, perf_counter; count_cpu_seconds is process_time,
which a busy machine does not inflate.)
Needs Debian's python3-networkx: run it with /usr/bin/python3.
"""
import csv
import gc
import json
import signal
import sys
import time

import networkx as nx


def load(dirname):
    """The graph of the CSV pair (Neo4j bulk-import headers, labels ';'-separated)."""
    g = nx.MultiDiGraph()
    with open(f"{dirname}/entities.csv", newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        head = next(rows)
        i_id, i_lab, i_cat = head.index("id:ID"), head.index(":LABEL"), head.index("category")
        g.add_nodes_from(
            (r[i_id], {"labels": set(r[i_lab].split(";")) if r[i_lab] else set(),
                       "category": r[i_cat] or None})
            for r in rows)
    with open(f"{dirname}/relations.csv", newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        head = next(rows)
        i_s, i_d, i_t = head.index(":START_ID"), head.index(":END_ID"), head.index(":TYPE")
        g.add_edges_from((r[i_s], r[i_d], {"type": r[i_t]}) for r in rows)
    return g


def count_chains(G):
    """Lender -FINANCES-> Government -CONTRACTS-> Company -BUILDS-> safe_city Project."""
    count = 0
    for l, attrs in G.nodes(data=True):
        if "Lender" not in attrs["labels"]:
            continue
        for _, g, e1 in G.out_edges(l, data=True):
            if e1["type"] != "FINANCES" or "Government" not in G.nodes[g]["labels"]:
                continue
            for _, c, e2 in G.out_edges(g, data=True):
                if e2["type"] != "CONTRACTS" or "Company" not in G.nodes[c]["labels"]:
                    continue
                for _, p, e3 in G.out_edges(c, data=True):
                    if e3["type"] != "BUILDS":
                        continue
                    pa = G.nodes[p]
                    if "Project" in pa["labels"] and pa["category"] == "safe_city":
                        count += 1
    return count


class Stopped(Exception):
    """The count ran longer than --timeout."""


def on_alarm(signum, frame):
    raise Stopped()


def main(argv):
    args = argv[1:]
    if not args or args[0].startswith("-"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 64
    dirname, runs, under, limit = args[0], 3, 120.0, 0
    rest = args[1:]
    while rest:
        opt = rest.pop(0)
        if opt == "--runs" and rest:
            runs = int(rest.pop(0))
        elif opt == "--repeat-under" and rest:
            under = float(rest.pop(0))
        elif opt == "--timeout" and rest:
            limit = int(rest.pop(0))
        else:
            print(f"query_peer_nx.py: unknown argument {opt}", file=sys.stderr)
            return 64
    t0 = time.perf_counter()
    G = load(dirname)
    load_s = time.perf_counter() - t0
    # The graph is built: keep the collector away from its millions of
    # objects during the timed count (this favours the peer).
    gc.collect()
    gc.freeze()
    counts, secs, cpu = [], [], []
    signal.signal(signal.SIGALRM, on_alarm)
    while len(secs) < runs:
        c0 = time.process_time()
        t0 = time.perf_counter()
        signal.alarm(limit)
        try:
            n = count_chains(G)
        except Stopped:
            print(f"query_peer_nx.py: count stopped after {limit} s", file=sys.stderr)
            if not secs:
                print(json.dumps({"peer": "networkx", "version": nx.__version__,
                                  "load_seconds": round(load_s, 3), "count": None,
                                  "count_seconds": [], "count_cpu_seconds": [],
                                  "stopped_after_seconds": limit,
                                  "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}))
                return 0
            break
        finally:
            signal.alarm(0)
        secs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        counts.append(n)
        print(f"query_peer_nx.py: count {n} in {secs[-1]:.2f} s", file=sys.stderr)
        if secs[-1] >= under:
            break
    if len(set(counts)) != 1:
        print(f"query_peer_nx.py: the runs disagree: {counts}", file=sys.stderr)
        return 1
    print(json.dumps({"peer": "networkx", "version": nx.__version__,
                      "load_seconds": round(load_s, 3), "count": counts[0],
                      "count_seconds": [round(s, 3) for s in secs],
                      "count_cpu_seconds": [round(s, 3) for s in cpu],
                      "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
