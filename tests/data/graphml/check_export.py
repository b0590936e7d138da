#!/usr/bin/env python3
"""Checks a GraphML or GEXF export of tiegraph against the tiegraph/1 JSON
export of the same store, reading the file with python-igraph or NetworkX
(the Debian packages python3-igraph and python3-networkx), as a user would.

    check_export.py graphml-igraph   OUT.graphml STORE.json [--skip-mixed KEY,...]
    check_export.py graphml-networkx OUT.graphml STORE.json
    check_export.py gexf-networkx    OUT.gexf    STORE.json

Compared: the number of nodes and edges; every node's id, labels and
properties; every edge's endpoints, type, relation id and properties; the
source records. Prints "ok" and exits 0, or prints each difference and exits
1. What the reader cannot represent is said where it is allowed:
- python-igraph stores every number as a float and fills a value an item
  does not have with "" (strings), NaN (numbers) or False (booleans), and
  keeps one key per attribute name (a property holding several types is
  named with --skip-mixed and not compared); it reads an "&" in a node id as
  "&#38;", likewise in an attr.name (libxml2 without entity substitution),
  and refuses subnormal
  doubles;
- NetworkX reads an empty <data> as no value, so "" is not compared;
- GraphML lists are JSON arrays in string keys (APOC's attr.list), so the
  readers return the JSON text, parsed here;
- GEXF 1.3: NetworkX before 3.5 knows neither the 1.3 namespace nor the 1.3
  list types; this script registers them (the namespace as NetworkX's own
  fix does, the list types as strings, parsed here in Gephi's array syntax).
"""
import json
import math
import sys
import xml.etree.ElementTree as ET


def fail(msgs, what):
    msgs.append(what)


def same(a, b):
    """Equality with NaN equal to NaN and ints equal to floats of the same value."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


TEMPORAL = {"date", "localtime", "time", "localdatetime", "datetime", "duration"}


def truth_value(v):
    """A tiegraph/1 JSON value as Python: {"float": "NaN"} -> nan; a temporal
    value {"date": "2018-03-01"} -> its ISO text, which the exports write."""
    if isinstance(v, dict) and len(v) == 1 and next(iter(v)) in TEMPORAL:
        return next(iter(v.values()))
    if isinstance(v, dict) and set(v) == {"float"}:
        return float(v["float"]) if not isinstance(v["float"], str) else float(v["float"].replace("Infinity", "inf"))
    if isinstance(v, list):
        return [truth_value(x) for x in v]
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    return v


def load_truth(path):
    d = json.load(open(path, encoding="utf-8"))
    nodes = {}
    for e in d["entities"]:
        props = {k: truth_value(v) for k, v in e.items() if k not in ("id", "labels")}
        nodes[e["id"]] = (sorted(e["labels"]), props)
    edges = []
    for r in d["relations"]:
        props = {k: truth_value(v) for k, v in r.items() if k not in ("type", "from", "to")}
        edges.append((r["from"], r["to"], r["type"], props))
    return nodes, edges, d["sources"]


def labels_of(s):
    return sorted(x for x in s.split(":") if x)


def json_list(s, elem=None):
    if s == "":
        return None
    v = json.loads(s)
    return [float(x.replace("Infinity", "inf")) if isinstance(x, str) and elem == "float" else x for x in v]


def compare_props(msgs, where, want, got, absent_ok=None):
    for k, v in want.items():
        if k not in got:
            fail(msgs, f"{where}: property {k!r} missing (want {v!r})")
        elif not same(v, got[k]):
            fail(msgs, f"{where}: property {k!r} is {got[k]!r}, want {v!r}")
    for k, v in got.items():
        if k not in want and not (absent_ok and absent_ok(v)):
            fail(msgs, f"{where}: unexpected property {k!r} = {v!r}")


# ---- GraphML -----------------------------------------------------------------------

def graphml_keys(path):
    """attr.name -> element type of the keys with attr.list, per side; and the
    attr.name of the labels key (id "labels") and of the type key (id "label")."""
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    out = {"node": {}, "edge": {}}
    names = {"labels": "labels", "label": "label"}
    types = {"string": "str", "long": "int", "int": "int", "double": "float", "float": "float", "boolean": "bool"}
    for k in ET.parse(path).getroot().iter(ns + "key"):
        if k.get("attr.list") and k.get("for") in out:
            out[k.get("for")][k.get("attr.name")] = types[k.get("attr.list")]
        if k.get("id") in names:
            names[k.get("id")] = k.get("attr.name")
    return out, names["labels"], names["label"]


def as_truth_props(attrs, lists, numbers_are_floats, skip):
    props = {}
    for k, v in attrs.items():
        if k in skip:
            continue
        if k in lists and isinstance(v, str):
            v = json_list(v, lists[k])
            if v is None:
                continue
        props[k] = v
    return props


def igraph_absent(v):
    return v == "" or v is False or (isinstance(v, float) and math.isnan(v))


def check_graphml_igraph(path, truth, skip):
    import igraph
    nodes, edges, sources = truth
    msgs = []
    g = igraph.Graph.Read_GraphML(path)
    lists, labels_key, type_key = graphml_keys(path)
    if g.vcount() != len(nodes) or g.ecount() != len(edges):
        fail(msgs, f"counts: igraph has {g.vcount()} nodes / {g.ecount()} edges, want {len(nodes)} / {len(edges)}")
        return msgs
    # python-igraph 0.10 parses without entity substitution, so an "&" in an
    # attribute value (a node id) reaches it as "&#38;"
    g.vs["id"] = [x.replace("&#38;", "&") for x in g.vs["id"]]
    for v in g.vs:
        a = {k.replace("&#38;", "&"): x for k, x in v.attributes().items()}  # attr.name too
        nid = a.pop("id")
        labels, want = nodes[nid]
        if labels_of(a.pop(labels_key)) != labels:
            fail(msgs, f"node {nid!r}: labels differ")
        want = {k: (float(x) if isinstance(x, int) and not isinstance(x, bool) else x)
                for k, x in want.items() if k not in skip}
        got = as_truth_props(a, lists["node"], True, skip)
        # igraph cannot tell an absent value from "", NaN or False
        got = {k: x for k, x in got.items() if k in want or not igraph_absent(x)}
        for k in list(want):
            if k not in got and igraph_absent(want[k]):
                del want[k]
        compare_props(msgs, f"node {nid!r}", want, got)
    names = g.vs["id"]
    for e, (f, t, typ, want) in zip(g.es, edges):
        a = dict(e.attributes())
        if (names[e.source], names[e.target]) != (f, t):
            fail(msgs, f"edge {e.index}: endpoints {names[e.source]!r} -> {names[e.target]!r}, want {f!r} -> {t!r}")
        if a.pop(type_key) != typ:
            fail(msgs, f"edge {e.index}: type differs")
        want = {k: (float(x) if isinstance(x, int) and not isinstance(x, bool) else x)
                for k, x in want.items() if k not in skip}
        got = as_truth_props(a, lists["edge"], True, skip)
        got = {k: x for k, x in got.items() if k in want or not igraph_absent(x)}
        compare_props(msgs, f"edge {e.index}", want, got)
    got = g["sources"] if "sources" in g.attributes() else ""
    if json.loads(got or "[]") != sources:
        fail(msgs, "source records differ")
    return msgs


def check_graphml_networkx(path, truth):
    import networkx as nx
    nodes, edges, sources = truth
    msgs = []
    G = nx.read_graphml(path, force_multigraph=True)
    lists, labels_key, type_key = graphml_keys(path)
    if G.number_of_nodes() != len(nodes) or G.number_of_edges() != len(edges):
        fail(msgs, f"counts: NetworkX has {G.number_of_nodes()} nodes / {G.number_of_edges()} edges, want {len(nodes)} / {len(edges)}")
        return msgs
    for nid, a in G.nodes(data=True):
        a = dict(a)
        labels, want = nodes[nid]
        if labels_of(a.pop(labels_key)) != labels:
            fail(msgs, f"node {nid!r}: labels differ")
        # NetworkX reads <data key="d1"></data> as no value: an empty string is lost
        want = {k: x for k, x in want.items() if x != ""}
        compare_props(msgs, f"node {nid!r}", want, as_truth_props(a, lists["node"], False, ()))
    got_edges = []
    for f, t, a in G.edges(data=True):
        a = dict(a)
        typ = a.pop(type_key)
        got_edges.append((f, t, typ, as_truth_props(a, lists["edge"], False, ())))
    edges = [(f, t, typ, {k: x for k, x in p.items() if x != ""}) for f, t, typ, p in edges]
    compare_edge_multisets(msgs, edges, got_edges)
    if json.loads(G.graph.get("sources") or "[]") != sources:
        fail(msgs, "source records differ")
    return msgs


def canon(x):
    return json.dumps(x, sort_keys=True, default=str, allow_nan=True)


def compare_edge_multisets(msgs, want, got):
    def key(e):
        return canon([e[0], e[1], e[2], {k: (("nan" if isinstance(v, float) and math.isnan(v) else v))
                                          for k, v in e[3].items()}])
    a = sorted(key(e) for e in want)
    b = sorted(key(e) for e in got)
    if a != b:
        for x in sorted(set(a) - set(b))[:5]:
            fail(msgs, f"edge missing or different: {x}")
        for x in sorted(set(b) - set(a))[:5]:
            fail(msgs, f"edge not expected: {x}")


# ---- GEXF ---------------------------------------------------------------------------

def gephi_array(s, elem):
    """Gephi's array syntax: [1, 2], ["a", "b c"], <empty>."""
    if s == "<empty>":
        return []
    assert s[0] == "[" and s[-1] == "]", s
    out, i, n = [], 1, len(s) - 1
    while i < n:
        while s[i] == " ":
            i += 1
        if s[i] == '"':
            j, buf = i + 1, []
            while s[j] != '"':
                if s[j] == "\\":
                    j += 1
                buf.append(s[j])
                j += 1
            out.append("".join(buf))
            i = j + 1
        else:
            j = i
            while j < n and s[j] != ",":
                j += 1
            tok = s[i:j].strip()
            out.append({"int": int, "float": lambda t: float(t.replace("Infinity", "inf")),
                        "bool": lambda t: t == "true"}[elem](tok))
            i = j
        while i < n and s[i] in ", ":
            i += 1
    return out


def check_gexf_networkx(path, truth):
    import networkx as nx
    from networkx.readwrite import gexf as nxgexf
    nodes, edges, sources = truth
    msgs = []
    if "1.3" not in nxgexf.GEXF.versions:  # NetworkX < 3.5 (Debian 12 has 2.8.8)
        nxgexf.GEXF.versions["1.3"] = {
            "NS_GEXF": "http://gexf.net/1.3", "NS_VIZ": "http://gexf.net/1.3/viz",
            "NS_XSI": "http://www.w3.org/2001/XMLSchema-instance",
            "SCHEMALOCATION": "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd", "VERSION": "1.3"}
    real = nxgexf.GEXF.construct_types

    def construct_types(self):
        real(self)
        for t in ("listlong", "listdouble", "listboolean"):
            self.python_type.setdefault(t, str)
    nxgexf.GEXF.construct_types = construct_types
    G = nx.read_gexf(path, version="1.3")
    ns = "{http://gexf.net/1.3}"
    root = ET.parse(path).getroot()
    types = {}
    for attrs in root.iter(ns + "attributes"):
        for a in attrs.iter(ns + "attribute"):
            types[(attrs.get("class"), a.get("title"))] = a.get("type")
    elem = {"liststring": "str", "listlong": "int", "listdouble": "float", "listboolean": "bool"}

    def props(cls, a):
        out = {}
        for k, v in a.items():
            t = types.get((cls, k))
            # a property named "label" is titled "label_" (the node's and edge's own label
            # attribute would hide it)
            out["label" if k == "label_" else k] = gephi_array(v, elem[t]) if t in elem else v
        return out
    if G.number_of_nodes() != len(nodes) or G.number_of_edges() != len(edges):
        fail(msgs, f"counts: NetworkX has {G.number_of_nodes()} nodes / {G.number_of_edges()} edges, want {len(nodes)} / {len(edges)}")
        return msgs
    for nid, a in G.nodes(data=True):
        a = dict(a)
        labels, want = nodes[nid]
        label = a.pop("label")
        name = want.get("name")
        if label != (name if isinstance(name, str) and name else nid):
            fail(msgs, f"node {nid!r}: label {label!r}, want its name or id")
        if labels_of(a.pop("labels")) != labels:
            fail(msgs, f"node {nid!r}: labels differ")
        compare_props(msgs, f"node {nid!r}", want, props("node", a))
    ids = {r[3]["id"] for r in edges if "id" in r[3]}
    got_edges = []
    for f, t, a in G.edges(data=True):
        a = dict(a)
        typ = a.pop("label")
        eid = a.pop("id")
        p = props("edge", a)
        if eid in ids:  # else a generated edge id, which no relation id can be
            p["id"] = eid
        got_edges.append((f, t, typ, p))
    compare_edge_multisets(msgs, edges, got_edges)
    kinds = [(e.get("kind"), e.get("label")) for e in root.iter(ns + "edge")]
    if any(k != l for k, l in kinds):
        fail(msgs, "an edge's kind differs from its label")
    desc = root.find(f"{ns}meta/{ns}description")
    if json.loads(desc.text if desc is not None else "[]") != sources:
        fail(msgs, "source records differ")
    return msgs


def main():
    mode, path, truth_path = sys.argv[1:4]
    skip = set()
    if len(sys.argv) > 5 and sys.argv[4] == "--skip-mixed":
        skip = set(sys.argv[5].split(","))
    truth = load_truth(truth_path)
    if mode == "graphml-igraph":
        msgs = check_graphml_igraph(path, truth, skip)
    elif mode == "graphml-networkx":
        msgs = check_graphml_networkx(path, truth)
    elif mode == "gexf-networkx":
        msgs = check_gexf_networkx(path, truth)
    else:
        sys.exit(f"unknown mode {mode}")
    for m in msgs:
        print(m)
    if msgs:
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
