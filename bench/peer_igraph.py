#!/usr/bin/python3
"""The python-igraph peer of the foundation benchmark.

Loads the synthetic graph from the Neo4j-style CSV pair that tg-gen-synth
writes (DIR/entities.csv, DIR/relations.csv) the way a python-igraph user
would: pandas.read_csv, then igraph.Graph.DataFrame(edges, directed=True,
vertices=nodes, use_vids=False), keeping every column as an attribute.
Then, separately timed, it computes what `tiegraph stats` reports (counts by
label and by relation type, weakly connected components).

Prints one JSON line on stdout:
  seconds           read_csv + Graph.DataFrame (the "load" the targets compare with)
  peak_rss_mb       ru_maxrss right after the load (MiB)
  stats_seconds     label/type counts and weak components on the loaded graph
  peak_rss_mb_stats ru_maxrss after the stats
  vertices, edges, components, labels and types (counts by name),
  read_csv_seconds, build_seconds, versions.
Interpreter start-up and module imports are not counted in `seconds`; this
favours the peer.

Attribute mapping: igraph's vertex attribute `name` must hold the unique id
(Graph.DataFrame requires it), so the entities' own `name` column is kept as
`entity_name`; `:LABEL` stays one ';'-separated string per vertex.
"""
import argparse
import json
import os
import resource
import sys
import time


def rss_mb():
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", help="directory holding entities.csv and relations.csv")
    ap.add_argument("--no-stats", action="store_true", help="only load the graph")
    args = ap.parse_args()

    import igraph
    import pandas as pd

    ent_path = os.path.join(args.dir, "entities.csv")
    rel_path = os.path.join(args.dir, "relations.csv")
    for p in (ent_path, rel_path):
        if not os.path.isfile(p):
            print(f"peer_igraph: {p}: no such file", file=sys.stderr)
            return 66

    t0 = time.perf_counter()
    # Only empty cells are missing: "NA" is Namibia's country code.
    nodes = pd.read_csv(
        ent_path,
        dtype={"id:ID": str, ":LABEL": str, "name": str, "country": str, "category": str},
        keep_default_na=False,
        na_values=[""],
    )
    nodes = nodes.rename(
        columns={"id:ID": "id", ":LABEL": "labels", "name": "entity_name"}
    )
    edges = pd.read_csv(
        rel_path,
        dtype={":START_ID": str, ":END_ID": str, ":TYPE": str, "amount:float": float,
               "year:int": float, "currency": str, "role": str, "share:float": float},
        keep_default_na=False,
        na_values=[""],
    )
    edges = edges.rename(
        columns={":START_ID": "source", ":END_ID": "target", ":TYPE": "type",
                 "amount:float": "amount", "year:int": "year", "share:float": "share"}
    )
    t1 = time.perf_counter()
    g = igraph.Graph.DataFrame(edges, directed=True, vertices=nodes, use_vids=False)
    t2 = time.perf_counter()
    load_rss = rss_mb()

    out = {
        "peer": "python-igraph",
        "igraph": igraph.__version__,
        "pandas": pd.__version__,
        "vertices": g.vcount(),
        "edges": g.ecount(),
        "seconds": round(t2 - t0, 3),
        "read_csv_seconds": round(t1 - t0, 3),
        "build_seconds": round(t2 - t1, 3),
        "peak_rss_mb": round(load_rss, 1),
    }

    if not args.no_stats:
        t3 = time.perf_counter()
        by_label = {}
        for labels in g.vs["labels"]:
            for label in labels.split(";"):
                by_label[label] = by_label.get(label, 0) + 1
        by_type = {}
        for t in g.es["type"]:
            by_type[t] = by_type.get(t, 0) + 1
        components = len(g.connected_components(mode="weak"))
        t4 = time.perf_counter()
        out.update(
            stats_seconds=round(t4 - t3, 3),
            peak_rss_mb_stats=round(rss_mb(), 1),
            components=components,
            labels=dict(sorted(by_label.items())),
            types=dict(sorted(by_type.items())),
        )

    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
