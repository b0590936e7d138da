#!/usr/bin/python3
"""The peers of the algorithm benchmark (bench/algo.sh).

    algo_peer.py DIR ALGO [RUNS] [SAMPLES] [SEED]

DIR holds tg-gen-synth's entities.csv and relations.csv. The graph is loaded
once (not timed): entity i is the i-th row of entities.csv, as in tiegraph's
store, and every relation is one directed edge (parallel edges and
self-loops kept). Then ALGO runs RUNS times (default 3), each run timed on
its own:

  pagerank     python-igraph: g.pagerank()               (PRPACK, directed, damping 0.85)
  wcc          python-igraph: g.connected_components("weak")
  louvain      python-igraph: g.as_undirected("each").community_multilevel()
               (the undirected copy is part of the call, as in tiegraph)
  betweenness  graph-tool: betweenness(g, pivots=SAMPLES random vertices)

SEED (default 42) seeds Python's random module (python-igraph's random
generator) and numpy's choice of pivots before each run (SEED + run index),
as tiegraph's tg-algo-bench seeds its own runs.

Prints one JSON line: impl, algo, vertices, edges, load_seconds, runs,
median, check (PageRank: sum of scores; WCC: component count; Louvain:
modularity; betweenness: sum of vertex scores), versions.
"""
import json
import os
import random
import statistics
import sys
import time

import numpy as np
import pandas as pd


def load_edges(d):
    ents = pd.read_csv(os.path.join(d, "entities.csv"), usecols=[0], dtype=str,
                       keep_default_na=False)
    index = pd.Index(ents.iloc[:, 0])
    rels = pd.read_csv(os.path.join(d, "relations.csv"), usecols=[0, 1], dtype=str,
                       keep_default_na=False)
    src = index.get_indexer(rels.iloc[:, 0]).astype(np.int64)
    dst = index.get_indexer(rels.iloc[:, 1]).astype(np.int64)
    if (src < 0).any() or (dst < 0).any():
        sys.exit("algo_peer: a relation names an unknown entity")
    return len(index), src, dst


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: algo_peer.py DIR pagerank|wcc|louvain|betweenness [RUNS] [SAMPLES]")
    d, algo = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    samples = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 42
    t0 = time.perf_counter()
    n, src, dst = load_edges(d)
    versions = {}
    if algo == "betweenness":
        import graph_tool.all as gt
        g = gt.Graph(directed=True)
        g.add_vertex(n)
        g.add_edge_list(np.column_stack([src, dst]))
        impl = "graph-tool"
        versions["graph-tool"] = gt.__version__.split()[0]
        versions["openmp_threads"] = gt.openmp_get_num_threads() if gt.openmp_enabled() else 1
    else:
        import igraph as ig
        g = ig.Graph(n=n, edges=np.column_stack([src, dst]).tolist(), directed=True)
        impl = "python-igraph"
        versions["igraph"] = ig.__version__
    load = time.perf_counter() - t0

    times, check = [], 0.0
    for r in range(runs):
        random.seed(seed + r)
        # each branch stops the clock before computing its check
        t = time.perf_counter()
        if algo == "pagerank":
            pr = g.pagerank(directed=True, damping=0.85)
            times.append(time.perf_counter() - t)
            check = float(sum(pr))
        elif algo == "wcc":
            cc = g.connected_components(mode="weak")
            times.append(time.perf_counter() - t)
            check = float(len(cc))
        elif algo == "louvain":
            u = g.as_undirected(mode="each")
            cl = u.community_multilevel()
            times.append(time.perf_counter() - t)
            check = u.modularity(cl.membership)
        elif algo == "betweenness":
            rng = np.random.RandomState(seed + r)
            pivots = rng.choice(n, size=min(samples, n), replace=False)
            t = time.perf_counter()
            vb, eb = gt.betweenness(g, pivots=pivots, norm=False)
            times.append(time.perf_counter() - t)
            check = float(vb.a.sum())
        else:
            sys.exit("algo_peer: unknown algorithm " + algo)
    out = {"impl": impl, "algo": algo, "vertices": n, "edges": int(len(src)),
           "load_seconds": round(load, 3), "runs": [round(x, 4) for x in times],
           "median": round(statistics.median(times), 4), "check": check}
    out.update(versions)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
