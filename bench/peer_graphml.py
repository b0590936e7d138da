#!/usr/bin/python3
"""The python-igraph peer of the GraphML benchmark (bench/graphml.sh).

Reads FILE with igraph.Graph.Read_GraphML and writes the graph it read with
Graph.write_graphml, RUNS times each, as a python-igraph user would; the
graph is tiegraph's GraphML export of the benchmark dataset, so both sides
read and write the same graph with the same attributes.

Prints one JSON line on stdout:
  read_seconds   the RUNS timings of Read_GraphML(FILE)
  write_seconds  the RUNS timings of write_graphml(OUT) of the graph read
  read_cpu_seconds, write_cpu_seconds  the same in CPU time (process_time)
  vertices, edges, vertex_attributes, edge_attributes, out_bytes (the size
  of what igraph wrote), peak_rss_mb (ru_maxrss at the end), versions.
Interpreter start-up and module imports are not timed (this favours the
peer). OUT is deleted at the end.
"""
import argparse
import json
import os
import resource
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", help="the GraphML file to read")
    ap.add_argument("out", help="where the peer writes its GraphML (deleted at the end)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    import igraph

    reads, writes, rcpu, wcpu = [], [], [], []
    g = None
    for _ in range(args.runs):
        g = None
        t0, c0 = time.perf_counter(), time.process_time()
        g = igraph.Graph.Read_GraphML(args.file)
        reads.append(time.perf_counter() - t0)
        rcpu.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        g.write_graphml(args.out)
        writes.append(time.perf_counter() - t0)
        wcpu.append(time.process_time() - c0)
    out_bytes = os.path.getsize(args.out)
    os.unlink(args.out)
    print(json.dumps({
        "read_seconds": reads,
        "write_seconds": writes,
        "read_cpu_seconds": rcpu,
        "write_cpu_seconds": wcpu,
        "vertices": g.vcount(),
        "edges": g.ecount(),
        "vertex_attributes": sorted(g.vs.attributes()),
        "edge_attributes": sorted(g.es.attributes()),
        "out_bytes": out_bytes,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "python": sys.version.split()[0],
        "igraph": igraph.__version__,
    }))


if __name__ == "__main__":
    main()
