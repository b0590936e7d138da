#!/usr/bin/env python3
"""Writes networkx.graphml with NetworkX's own write_graphml (the Debian
package python3-networkx), and networkx.expected.json: what tiegraph must
import from it, written by hand from the same data (tiegraph/1 records),
independently of tiegraph.

    /usr/bin/python3 make_networkx_fixture.py   # in tests/data/graphml/

The graph: a MultiDiGraph (NetworkX writes per-pair edge keys as edge ids,
which tiegraph does not take as identities), hostile strings (quotes,
<script>, line breaks, a tab, emoji, Chinese, Arabic), every GraphML type
NetworkX writes (str, int as long, float as double, bool), a node with
tiegraph's "labels", an edge "type", parallel edges and a self-loop.
"""
import json
import math
import os

import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))

G = nx.MultiDiGraph()
G.add_node("huawei", labels=":Company:Vendor", name='Huawei "华为" Technologies', founded=1987,
           revenue=121.72e9, listed=False)
G.add_node("zte 中兴", name="ZTE <script>alert('x')</script> & co", founded=1985, share=0.5)
G.add_node("person/1", labels=":Person", name="Ren Zhengfei\nfounder\r\n\tCEO", alive=True,
           motto="📷 تقنية")
G.add_node("plain")
G.add_node("nan", score=math.nan, big=-9223372036854775807)
G.add_edge("huawei", "zte 中兴", type="COMPETES_WITH", since=1998)
G.add_edge("huawei", "zte 中兴", type="COMPETES_WITH", since=1998)  # a parallel copy
G.add_edge("person/1", "huawei", type="FOUNDED", year=1987, note='said "no", twice')
G.add_edge("plain", "plain")  # a self-loop without a type
G.add_edge("nan", "huawei", weight=0.25)

nx.write_graphml(G, os.path.join(HERE, "networkx.graphml"))

# What tiegraph imports: labels from "labels" (else Entity), the type from
# "type" (else RELATED), every other attribute a typed property.
expected = {
    "entities": [
        {"id": "huawei", "labels": ["Company", "Vendor"], "name": 'Huawei "华为" Technologies',
         "founded": 1987, "revenue": 121.72e9, "listed": False},
        {"id": "zte 中兴", "labels": ["Entity"], "name": "ZTE <script>alert('x')</script> & co",
         "founded": 1985, "share": 0.5},
        # NetworkX writes the carriage return raw, and XML reads CR LF as LF (so does
        # NetworkX's own reader)
        {"id": "person/1", "labels": ["Person"], "name": "Ren Zhengfei\nfounder\n\tCEO",
         "alive": True, "motto": "📷 تقنية"},
        {"id": "plain", "labels": ["Entity"]},
        {"id": "nan", "labels": ["Entity"], "score": {"float": "NaN"}, "big": -9223372036854775807},
    ],
    "relations": [
        {"type": "COMPETES_WITH", "from": "huawei", "to": "zte 中兴", "since": 1998},
        {"type": "COMPETES_WITH", "from": "huawei", "to": "zte 中兴", "since": 1998},
        {"type": "FOUNDED", "from": "person/1", "to": "huawei", "year": 1987, "note": 'said "no", twice'},
        {"type": "RELATED", "from": "plain", "to": "plain"},
        {"type": "RELATED", "from": "nan", "to": "huawei", "weight": 0.25},
    ],
}
with open(os.path.join(HERE, "networkx.expected.json"), "w", encoding="utf-8") as f:
    json.dump(expected, f, ensure_ascii=False, indent=1, sort_keys=True)
    f.write("\n")
