#!/usr/bin/python3
"""Makes the golden files for tiegraph's graph algorithms (tests/unit/test_algo_golden.c).

Run from anywhere: /usr/bin/python3 tests/golden/make_golden.py
(Debian's python3-networkx and python3-igraph; /usr/bin/python3 because a
pyenv python3 may lack them.)

For each graph it writes a tiegraph/1 JSON fixture (entities and relations in
a fixed order: entity index = position in "entities", relation index =
position in "relations") and, per case, an expected-output file. The cases
are listed in tests/golden/cases.txt, one a line:

    graph=G algo=A file=F [dir=out|in|both] [weight=KEY] [labels=L1,L2]
    [types=T1,T2] [exclude=L] [sources=id,id] [cutoff=X] [from=id] [to=id]
    [k=N] [maxHops=N] [hops=N] [limit=N] [seeds=id,id] [partition=KEY]

Expected outputs come from NetworkX where its definitions match tiegraph's
(docs/query-language.md ("Algorithm procedures")) and from python-igraph where they do not (multigraph
semantics: parallel relations are distinct shortest paths; self-loops in
undirected degree count twice; communities). Definitions used:
- betweenness: unnormalised, undirected pairs counted once;
- closeness: Wasserman-Faust, distances from the entity (out); networkx
  measures distances towards the entity, so it gets the reversed graph;
- harmonic: sum of 1/d from the entity, divided by n - 1;
- eigenvector: scaled to max 1;
- communities: python-igraph's modularity for the same call (the C test
  accepts >= 99% of it), from a fixed Python random seed; for label
  propagation, whose result varies widely from run to run, the mean over
  1001 seeded runs (the C test compares its own mean over 1001 seeds).
"""
import json
import os
import random
import sys

import igraph as ig
import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = []


# ---- graphs --------------------------------------------------------------------

class Graph:
    """A directed multigraph in file order: ents[i] = (id, labels, props),
    rels[j] = (type, from index, to index, props)."""

    def __init__(self, name):
        self.name = name
        self.ents = []
        self.rels = []
        self.index = {}

    def add_entity(self, eid, labels, **props):
        self.index[eid] = len(self.ents)
        self.ents.append((eid, labels, props))

    def add_relation(self, rtype, a, b, **props):
        self.rels.append((rtype, self.index[a], self.index[b], props))

    def write_fixture(self):
        doc = {
            "format": "tiegraph/1",
            "sources": [],
            "entities": [dict({"id": e, "labels": l}, **p) for e, l, p in self.ents],
            "relations": [dict({"type": t, "from": self.ents[a][0], "to": self.ents[b][0]}, **p)
                          for t, a, b, p in self.rels],
        }
        with open(os.path.join(HERE, self.name + ".json"), "w") as f:
            json.dump(doc, f, indent=1, sort_keys=False)
            f.write("\n")

    # A projection: kept entity indexes and relation indexes.
    def project(self, labels=None, types=None, exclude=None, pinned=()):
        keep = []
        for i, (e, l, p) in enumerate(self.ents):
            if labels and not set(l) & set(labels):
                continue
            if exclude and set(l) & set(exclude) and e not in pinned:
                continue
            keep.append(i)
        ks = set(keep)
        rels = [j for j, (t, a, b, p) in enumerate(self.rels)
                if (not types or t in types) and a in ks and b in ks]
        return keep, rels


class View:
    """A projection materialised for the reference libraries."""

    def __init__(self, g, labels=None, types=None, exclude=None, weight=None, pinned=()):
        self.g = g
        self.keep, self.relidx = g.project(labels, types, exclude, pinned)
        self.weight = weight
        self.n = len(self.keep)

    def w(self, j):
        if not self.weight:
            return 1.0
        return float(self.g.rels[j][3].get(self.weight, 1.0))

    def nx_multi(self):
        G = nx.MultiDiGraph()
        for i in self.keep:
            G.add_node(i)
        for j in self.relidx:
            t, a, b, p = self.g.rels[j]
            G.add_edge(a, b, key=j, weight=self.w(j), rel=j)
        return G

    def nx_simple_undirected(self):
        """For simple undirected source graphs (karate, lesmis)."""
        G = nx.Graph()
        for i in self.keep:
            G.add_node(i)
        for j in self.relidx:
            t, a, b, p = self.g.rels[j]
            assert not G.has_edge(a, b)
            G.add_edge(a, b, weight=self.w(j), rel=j)
        return G

    def igraph(self, directed=True):
        pos = {v: k for k, v in enumerate(self.keep)}
        edges = [(pos[self.g.rels[j][1]], pos[self.g.rels[j][2]]) for j in self.relidx]
        G = ig.Graph(n=self.n, edges=edges, directed=directed)
        G.es["weight"] = [self.w(j) for j in self.relidx]
        return G

    def ent_id(self, i):
        return self.g.ents[i][0]


def karate():
    G = nx.karate_club_graph()
    g = Graph("karate")
    for v in G.nodes:
        g.add_entity("n%02d" % v, ["Person"], club=G.nodes[v]["club"])
    for a, b, d in G.edges(data=True):
        g.add_relation("KNOWS", "n%02d" % a, "n%02d" % b, weight=d["weight"])
    return g


def lesmis():
    G = nx.les_miserables_graph()
    g = Graph("lesmis")
    for v in G.nodes:
        g.add_entity(v, ["Character"])
    for a, b, d in G.edges(data=True):
        g.add_relation("APPEARS_WITH", a, b, weight=d["weight"])
    return g


def aspi():
    """examples/aspi-2019/graph.json as it is: entities and relations in file
    order (the C test loads the same file)."""
    path = os.path.join(HERE, "..", "..", "examples", "aspi-2019", "graph.json")
    with open(path) as f:
        doc = json.load(f)
    g = Graph("aspi")
    for e in doc["entities"]:
        g.add_entity(e["id"], e["labels"])
    for r in doc["relations"]:
        g.add_relation(r["type"], r["from"], r["to"])
    return g


def multi():
    """Directed, weighted, parallel relations, self-loops, several labels and
    types, and a few relations without weight (default weight applies)."""
    rnd = random.Random(7)
    g = Graph("multi")
    for i in range(25):
        labels = ["X"] if i < 15 else (["Y"] if i < 22 else ["Z"])
        if i in (3, 9):
            labels = ["X", "Y"]
        g.add_entity("m%02d" % i, labels, group="g%d" % (i % 3))
    pairs = []
    while len(pairs) < 50:
        a, b = rnd.randrange(25), rnd.randrange(25)
        if a != b:
            pairs.append((a, b))
    pairs += [pairs[0], pairs[5], pairs[11], pairs[20], (4, 7), (7, 4), (4, 7)]  # parallel
    pairs += [(2, 2), (10, 10), (16, 16)]  # self-loops
    for k, (a, b) in enumerate(pairs):
        t = "A" if rnd.random() < 0.7 else "B"
        if k % 13 == 6:
            g.add_relation(t, "m%02d" % a, "m%02d" % b)  # no weight
        else:
            g.add_relation(t, "m%02d" % a, "m%02d" % b, weight=rnd.randint(1, 9))
    return g


# ---- writing ---------------------------------------------------------------------

def case(graph, algo, fname, lines, **opts):
    path = os.path.join(HERE, graph.name, fname)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        for line in lines:
            f.write(line + "\n")
    parts = ["graph=" + graph.name, "algo=" + algo, "file=%s/%s" % (graph.name, fname)]
    for k, v in opts.items():
        if v is None:
            continue
        if isinstance(v, (list, tuple)):
            v = ",".join(v)
        parts.append("%s=%s" % (k, v))
    CASES.append(" ".join(parts))


def score_lines(view, scores):
    """scores: dict entity index -> value, or list in view order."""
    if isinstance(scores, list):
        scores = {view.keep[k]: s for k, s in enumerate(scores)}
    return ["%s,%.17g" % (view.ent_id(i), float(scores[i])) for i in view.keep]


def group_lines(view, groups):
    """groups: dict entity index -> any label; renumbered by smallest entity."""
    ren, out = {}, []
    for i in view.keep:
        ren.setdefault(groups[i], len(ren))
        out.append("%s,%d" % (view.ent_id(i), ren[groups[i]]))
    return out


def spec(view):
    return {}


# ---- reference computations ----------------------------------------------------------

def nx_dir(view, direction):
    G = view.nx_multi()
    if direction == "in":
        return G.reverse(copy=True)
    if direction == "both":
        return G.to_undirected()
    return G


def rel_paths_shortest(view, direction, s, t):
    """All shortest paths s -> t as relation index tuples, and the cost."""
    adj = adjacency(view, direction)
    import heapq
    dist = {s: 0.0}
    pq = [(0.0, s)]
    done = set()
    while pq:
        d, v = heapq.heappop(pq)
        if v in done:
            continue
        done.add(v)
        for j, u, w in adj[v]:
            nd = d + w
            if u not in dist or nd < dist[u] - 1e-12:
                dist[u] = nd
                heapq.heappush(pq, (nd, u))
    if t not in dist:
        return None, []
    out = []

    def back(v, acc):
        if v == s:
            out.append(tuple(reversed(acc)))
            return
        for j, u, w in radj[v]:
            if u in dist and abs(dist[u] + w - dist[v]) < 1e-9 and j not in acc:
                back(u, acc + [j])

    radj = {v: [] for v in view.keep}
    for v in view.keep:
        for j, u, w in adj[v]:
            radj[u].append((j, v, w))
    back(t, [])
    return dist[t], sorted(set(out))


def adjacency(view, direction):
    adj = {v: [] for v in view.keep}
    for j in view.relidx:
        t, a, b, p = view.g.rels[j]
        if a == b:
            continue
        w = view.w(j)
        if direction in ("out", "both"):
            adj[a].append((j, b, w))
        if direction in ("in", "both"):
            adj[b].append((j, a, w))
    return adj


def all_simple(view, direction, s, t, max_hops):
    adj = adjacency(view, direction)
    out = []

    def dfs(v, seen, acc):
        if v == t:
            out.append(tuple(acc))
            return
        if len(acc) == max_hops:
            return
        for j, u, w in adj[v]:
            if u not in seen:
                dfs(u, seen | {u}, acc + [j])

    dfs(s, {s}, [])
    return out


def cheap_paths(view, direction, s, t, bound):
    """Simple paths s -> t (relation tuples) of cost <= bound, pruned by the
    distance to t."""
    import heapq
    adj = adjacency(view, direction)
    radj = {v: [] for v in view.keep}
    for v in view.keep:
        for j, u, w in adj[v]:
            radj[u].append((j, v, w))
    dt = {t: 0.0}
    pq = [(0.0, t)]
    while pq:
        d, v = heapq.heappop(pq)
        if d > dt.get(v, float("inf")):
            continue
        for j, u, w in radj[v]:
            if d + w < dt.get(u, float("inf")):
                dt[u] = d + w
                heapq.heappush(pq, (d + w, u))
    out = []

    def dfs(v, seen, acc, c):
        if v == t:
            out.append(tuple(acc))
            return
        for j, u, w in adj[v]:
            if u in seen or u not in dt or c + w + dt[u] > bound + 1e-9:
                continue
            dfs(u, seen | {u}, acc + [j], c + w)

    dfs(s, {s}, [], 0.0)
    return out


def path_cost(view, p):
    return sum(view.w(j) for j in p)


# ---- cases ----------------------------------------------------------------------------

def has_parallel(view):
    seen = set()
    for j in view.relidx:
        t, a, b, p = view.g.rels[j]
        key = (min(a, b), max(a, b))
        if key in seen:
            return True
        seen.add(key)
    return False


def centrality_cases(g, view, direction, weight, tag, eigen=True):
    opts = dict(dir=direction, weight=weight)
    G = nx_dir(view, direction)
    w = "weight" if weight else None
    n = view.n
    # degree (networkx counts a self-loop twice in undirected degree, as igraph)
    if direction == "out":
        deg = dict(G.out_degree(weight=w))
    elif direction == "in":
        deg = dict(G.out_degree(weight=w))  # G is reversed
    else:
        deg = dict(G.degree(weight=w))
    case(g, "degree", "degree_%s.csv" % tag, score_lines(view, deg), **opts)
    # pagerank: networkx for directed, python-igraph for undirected multigraphs
    if direction == "both" and g.name == "multi":
        I = view.igraph()
        pr = I.pagerank(directed=False, damping=0.85, weights="weight" if weight else None)
        case(g, "pagerank", "pagerank_%s.csv" % tag, score_lines(view, pr), **opts)
    else:
        pr = nx.pagerank(G, alpha=0.85, tol=1e-14, max_iter=100000, weight=w or "__none__")
        case(g, "pagerank", "pagerank_%s.csv" % tag, score_lines(view, pr), **opts)
    # betweenness: python-igraph on multigraphs (parallel relations are distinct
    # paths), networkx on simple graphs
    if has_parallel(view):
        # betweenness is the same on the reversed graph, so "in" needs nothing
        bc = brandes_from(view, "both" if direction == "both" else "out", view.keep)
    else:
        bc = nx.betweenness_centrality(G, normalized=False, weight=w)
    case(g, "betweenness", "betweenness_%s.csv" % tag, score_lines(view, bc), **opts)
    # closeness (Wasserman-Faust, distances from the entity)
    Gr = G.reverse(copy=True) if G.is_directed() else G
    cl = nx.closeness_centrality(Gr, distance=w, wf_improved=True)
    case(g, "closeness", "closeness_%s.csv" % tag, score_lines(view, cl), **opts)
    hc = nx.harmonic_centrality(Gr, distance=w)
    hc = {k: (v / (n - 1) if n > 1 else 0.0) for k, v in hc.items()}
    case(g, "harmonic", "harmonic_%s.csv" % tag, score_lines(view, hc), **opts)
    if eigen:
        ev = nx.eigenvector_centrality_numpy(G, weight=w, max_iter=10000, tol=1e-14)
        mx = max(ev.values())
        if mx < 0:
            ev = {k: -v for k, v in ev.items()}
            mx = max(ev.values())
        ev = {k: v / mx for k, v in ev.items()}
        case(g, "eigenvector", "eigenvector_%s.csv" % tag, score_lines(view, ev), **opts)


def structure_cases(g, view, direction, tag):
    G = view.nx_multi()
    wcc = {}
    for k, comp in enumerate(nx.weakly_connected_components(G)):
        for v in comp:
            wcc[v] = k
    case(g, "wcc", "wcc_%s.csv" % tag, group_lines(view, wcc), dir=direction)
    scc = {}
    for k, comp in enumerate(nx.strongly_connected_components(G)):
        for v in comp:
            scc[v] = k
    case(g, "scc", "scc_%s.csv" % tag, group_lines(view, scc), dir="out")
    U = G.to_undirected()
    ap = sorted(nx.articulation_points(U))
    case(g, "articulationPoints", "articulation_%s.txt" % tag, [view.ent_id(i) for i in ap],
         dir=direction)
    br = []
    for a, b in nx.bridges(U):
        js = [j for j in view.relidx if {view.g.rels[j][1], view.g.rels[j][2]} == {a, b}]
        assert len(js) == 1
        br.append(js[0])
    case(g, "bridges", "bridges_%s.txt" % tag, [str(j) for j in sorted(br)], dir=direction)
    # coreness: python-igraph (networkx refuses self-loops)
    I = view.igraph()
    for mode in (["all"] if g.name != "multi" else ["out", "in", "all"]):
        cr = I.coreness(mode=mode)
        d = {"all": "both"}.get(mode, mode)
        case(g, "kcore", "kcore_%s_%s.csv" % (tag, d), score_lines(view, [float(x) for x in cr]),
             dir=d)


def community_cases(g, view, weight, tag, partition=None):
    I = view.igraph(directed=False)
    wk = "weight" if weight else None
    random.seed(42)
    best = I.community_multilevel(weights=wk, resolution=1.0)
    q_louvain = I.modularity(best.membership, weights=wk)
    case(g, "louvain", "louvain_%s.txt" % tag, ["modularity,%.17g" % q_louvain], dir="both",
         weight=weight)
    random.seed(42)
    lei = I.community_leiden(objective_function="modularity", weights=wk, beta=0.01,
                             n_iterations=-1)
    q_leiden = I.modularity(lei.membership, weights=wk)
    case(g, "leiden", "leiden_%s.txt" % tag, ["modularity,%.17g" % q_leiden], dir="both",
         weight=weight)
    # label propagation varies widely from run to run: the golden value is the
    # mean modularity over 1001 seeded runs (the C test takes its own mean)
    qs = []
    for s in range(1001):
        random.seed(s)
        lp = I.community_label_propagation(weights=wk)
        qs.append(I.modularity(lp.membership, weights=wk))
    case(g, "labelPropagation", "labelprop_%s.txt" % tag,
         ["modularity,%.17g" % (sum(qs) / len(qs))], dir="both", weight=weight)
    if partition:
        G = view.nx_simple_undirected() if g.name != "multi" else view.nx_multi()
        groups = {}
        for i in view.keep:
            groups.setdefault(view.g.ents[i][2][partition], set()).add(i)
        q = nx.community.modularity(G, list(groups.values()), weight=wk)
        case(g, "modularity", "modularity_%s.txt" % tag, ["modularity,%.17g" % q],
             dir="both" if not G.is_directed() else "out",
             weight=weight, partition=partition)


def path_cases(g, view, direction, weight, tag, pairs, k=4, max_hops=4):
    for s, t in pairs:
        si, ti = g.index[s], g.index[t]
        cost, paths = rel_paths_shortest(view, direction, si, ti)
        lines = [] if cost is None else ["cost,%.17g" % cost] + [
            "path," + " ".join(map(str, p)) for p in paths]
        case(g, "shortestPath", "sp_%s_%s_%s.txt" % (tag, s, t), lines, dir=direction,
             weight=weight, **{"from": s, "to": t})
        # k shortest: costs of the k cheapest simple paths, and every simple path
        # whose cost is at most the k-th (ours must be among them). Costs are
        # integers here (integer weights, default 1), so raising the bound by 1
        # until k paths fit enumerates exactly the cheap paths.
        allp = []
        if cost is not None:
            bound = cost
            while True:
                allp = cheap_paths(view, direction, si, ti, bound)
                if len(allp) >= k or bound > cost + 50:
                    break
                bound += 1
        allp.sort(key=lambda p: (path_cost(view, p), p))
        costs = [path_cost(view, p) for p in allp[:k]]
        lines = ["cost,%.17g" % c for c in costs]
        if costs:
            lines += ["cand," + " ".join(map(str, p)) for p in allp
                      if path_cost(view, p) <= costs[-1] + 1e-9]
        case(g, "kShortestPaths", "ksp_%s_%s_%s.txt" % (tag, s, t), lines, dir=direction,
             weight=weight, k=k, **{"from": s, "to": t})
        simple = all_simple(view, direction, si, ti, max_hops)
        case(g, "allSimplePaths", "asp_%s_%s_%s.txt" % (tag, s, t),
             ["path," + " ".join(map(str, p)) for p in sorted(simple)], dir=direction,
             maxHops=max_hops, **{"from": s, "to": t})


def ego_case(g, view, direction, tag, seeds, hops, limit=0):
    adj = adjacency(view, direction)
    dist = {}
    layer = sorted(g.index[s] for s in seeds if g.index[s] in set(view.keep))
    for v in layer:
        dist[v] = 0
    h = 0
    while layer and h < hops:
        nxt = set()
        for v in layer:
            for j, u, w in adj[v]:
                if u not in dist:
                    nxt.add(u)
        h += 1
        for u in nxt:
            dist[u] = h
        layer = sorted(nxt)
    order = sorted(dist, key=lambda v: (dist[v], v))
    kept = order[:limit] if limit else order
    ks = set(kept)
    rels = [j for j in view.relidx if view.g.rels[j][1] in ks and view.g.rels[j][2] in ks]
    lines = ["node,%s,%d" % (view.ent_id(v), dist[v]) for v in kept]
    lines += ["rel,%d" % j for j in rels]
    lines.append("omitted,%d" % (len(order) - len(kept)))
    case(g, "neighbourhood", "ego_%s.txt" % tag, lines, dir=direction, hops=hops,
         limit=limit or None, seeds=seeds)


def brandes_from(view, direction, sources):
    """Brandes's accumulation from the given sources, written out here:
    parallel relations are distinct paths; undirected pairs counted once."""
    import heapq
    adj = adjacency(view, direction)
    bc = {v: 0.0 for v in view.keep}
    for s in sources:
        dist, sigma, order = {s: 0.0}, {s: 1.0}, []
        pq, seen = [(0.0, s)], set()
        while pq:
            d, v = heapq.heappop(pq)
            if v in seen:
                continue
            seen.add(v)
            order.append(v)
            for j, u, w in adj[v]:
                nd = d + w
                if u not in dist or nd < dist[u] - 1e-9:
                    dist[u], sigma[u] = nd, 0.0
                    heapq.heappush(pq, (nd, u))
        for v in order:  # sigma in settlement order
            if v == s:
                continue
            sigma[v] = sum(sigma[u] for u in order if u in dist
                           for j, x, w in adj[u] if x == v and abs(dist[u] + w - dist[v]) < 1e-9)
        delta = {v: 0.0 for v in order}
        for v in reversed(order):
            for j, u, w in adj[v]:
                if u in dist and u != s and abs(dist[v] + w - dist[u]) < 1e-9:
                    delta[v] += sigma[v] / sigma[u] * (1 + delta[u])
            if v != s:
                bc[v] += delta[v]
    if direction == "both":
        bc = {k: x / 2 for k, x in bc.items()}
    return bc


def betweenness_from_case(g, view, direction, weight, tag, sources):
    I = view.igraph()
    bc = brandes_from(view, direction, [g.index[s] for s in sources])
    case(g, "betweennessFrom", "bfrom_%s.csv" % tag, score_lines(view, bc), dir=direction,
         weight=weight, sources=sources)
    # and the cutoff variant through python-igraph (networkx has no cutoff)
    bc = I.betweenness(directed=direction != "both", weights="weight" if weight else None,
                       cutoff=2)
    case(g, "betweenness", "bcut2_%s.csv" % tag, score_lines(view, bc), dir=direction,
         weight=weight, cutoff=2)


def main():
    k, l, m = karate(), lesmis(), multi()
    for g in (k, l, m):
        g.write_fixture()
    a = aspi()

    # Zachary's karate club: undirected (direction both), with and without weight
    for weight, tag in ((None, "both"), ("weight", "both_w")):
        v = View(k, weight=weight)
        centrality_cases(k, v, "both", weight, tag)
        community_cases(k, v, weight, tag, partition="club")
        betweenness_from_case(k, v, "both", weight, tag, ["n00", "n05", "n33", "n16"])
        path_cases(k, v, "both", weight, tag, [("n00", "n33"), ("n16", "n25"), ("n11", "n09")])
    structure_cases(k, View(k), "both", "both")
    ego_case(k, View(k), "both", "n16_2", ["n16"], 2)
    ego_case(k, View(k), "both", "n16_2_lim5", ["n16"], 2, limit=5)

    # Les Misérables: undirected, weighted
    for weight, tag in ((None, "both"), ("weight", "both_w")):
        v = View(l, weight=weight)
        centrality_cases(l, v, "both", weight, tag)
        community_cases(l, v, weight, tag)
        path_cases(l, v, "both", weight, tag, [("Napoleon", "Brujon"), ("Child1", "Count")],
                   k=3, max_hops=3)
    structure_cases(l, View(l), "both", "both")
    betweenness_from_case(l, View(l, weight="weight"), "both", "weight", "both_w",
                          ["Valjean", "Gavroche", "Napoleon"])

    # the directed weighted multigraph
    for direction in ("out", "in", "both"):
        for weight in (None, "weight"):
            tag = direction + ("_w" if weight else "")
            v = View(m, weight=weight)
            centrality_cases(m, v, direction, weight, tag, eigen=False)
            path_cases(m, v, direction, weight, tag, [("m00", "m12"), ("m04", "m07"),
                                                      ("m19", "m03")], k=4, max_hops=4)
        ego_case(m, View(m), direction, "m04_" + direction, ["m04", "m20"], 2)
    structure_cases(m, View(m), "both", "all")
    community_cases(m, View(m, weight="weight"), "weight", "both_w")
    # modularity of a given partition, directed (Leicht-Newman) and undirected
    for direction in ("out", "both"):
        for weight in (None, "weight"):
            v = View(m, weight=weight)
            G = v.nx_multi() if direction == "out" else v.nx_multi().to_undirected()
            groups = {}
            for i in v.keep:
                groups.setdefault(m.ents[i][2]["group"], set()).add(i)
            q = nx.community.modularity(G, list(groups.values()),
                                        weight="weight" if weight else "__none__")
            case(m, "modularity", "modularity_%s%s.txt" % (direction, "_w" if weight else ""),
                 ["modularity,%.17g" % q], dir=direction, weight=weight, partition="group")
    betweenness_from_case(m, View(m, weight="weight"), "out", "weight", "out_w",
                          ["m00", "m04", "m13", "m21"])
    # projections: labels, types, exclude
    v = View(m, labels=["X"], weight="weight")
    for name, (lab, typ, exc) in {"labX": (["X"], None, None), "typA": (None, ["A"], None),
                                  "exclZ": (None, None, ["Z"]),
                                  "labXY_typA_exclY": (["X", "Y"], ["A"], ["Z"])}.items():
        v = View(m, labels=lab, types=typ, exclude=exc, weight="weight")
        G = v.nx_multi()
        pr = nx.pagerank(G, alpha=0.85, tol=1e-14, max_iter=100000, weight="weight")
        case(m, "pagerank", "pagerank_%s.csv" % name, score_lines(v, pr), dir="out",
             weight="weight", labels=lab, types=typ, exclude=exc)
        wcc = {}
        for c, comp in enumerate(nx.weakly_connected_components(G)):
            for x in comp:
                wcc[x] = c
        case(m, "wcc", "wcc_%s.csv" % name, group_lines(v, wcc), dir="out", labels=lab,
             types=typ, exclude=exc)
        deg = dict(G.out_degree(weight="weight"))
        case(m, "degree", "degree_%s.csv" % name, score_lines(v, deg), dir="out",
             weight="weight", labels=lab, types=typ, exclude=exc)
    # a path that may not pass through Y entities, ends pinned
    v = View(m, exclude=["Y"], weight="weight", pinned=("m19", "m03"))
    path_cases(m, v, "both", "weight", "exclY", [("m19", "m03")], k=3, max_hops=4)
    CASES[-3] += " exclude=Y"
    CASES[-2] += " exclude=Y"
    CASES[-1] += " exclude=Y"
    # a projection that selects nothing
    v = View(m, labels=["Nope"])
    case(m, "pagerank", "pagerank_none.csv", [], dir="out", labels=["Nope"])
    case(m, "wcc", "wcc_none.csv", [], dir="out", labels=["Nope"])

    # examples/aspi-2019: the whole graph both ways, and the analysts' projection
    for direction in ("out", "both"):
        v = View(a)
        centrality_cases(a, v, direction, None, direction, eigen=False)
        ego_case(a, v, direction, "huawei_" + direction, ["huawei"], 2, limit=20)
    structure_cases(a, View(a), "both", "all")
    community_cases(a, View(a), None, "both")
    money = dict(labels=["Company", "Government", "Lender", "Project"],
                 types=["FINANCES", "CONTRACTS", "BUILDS", "SUPPLIES", "OWNS"])
    v = View(a, **money)
    G = v.nx_multi()
    pr = nx.pagerank(G, alpha=0.85, tol=1e-14, max_iter=100000, weight="__none__")
    case(a, "pagerank", "pagerank_money.csv", score_lines(v, pr), dir="out", **money)
    bc = v.igraph().betweenness(directed=True)
    case(a, "betweenness", "betweenness_money.csv", score_lines(v, bc), dir="out", **money)
    wcc = {}
    for c, comp in enumerate(nx.weakly_connected_components(G)):
        for x in comp:
            wcc[x] = c
    case(a, "wcc", "wcc_money.csv", group_lines(v, wcc), dir="out", **money)
    # chains that avoid Country entities
    v = View(a, exclude=["Country"], pinned=("uts", "xinjiang-psb"))
    pairs = [(s, t) for s, t in [("uts", "xinjiang-psb"), ("exim-china", "huawei"),
                                 ("cetc", "gov-zw")] if s in a.index and t in a.index]
    for s, t in pairs:
        v = View(a, exclude=["Country"], pinned=(s, t))
        before = len(CASES)
        path_cases(a, v, "both", None, "noCountry", [(s, t)], k=3, max_hops=3)
        for i in range(before, len(CASES)):
            CASES[i] += " exclude=Country"

    aspi_path = os.path.join(HERE, "..", "..", "examples", "aspi-2019", "graph.json")
    with open(os.path.join(HERE, "cases.txt"), "w") as f:
        f.write("# written by make_golden.py; one case a line (see its docstring)\n")
        # the example dataset is edited by hand: the test checks that the goldens
        # were made from the file as it is now
        f.write("fixture graph=aspi bytes=%d\n" % os.path.getsize(aspi_path))
        for c in CASES:
            f.write(c + "\n")
    print("%d cases" % len(CASES), file=sys.stderr)


if __name__ == "__main__":
    main()
