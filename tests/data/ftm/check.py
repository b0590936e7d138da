#!/usr/bin/env python3
"""Independent figures for a FollowTheMoney file as tiegraph should import it,
from the rules of docs/formats.md ("FollowTheMoney"), with Python's json module
and no tiegraph code (not even its model file): entities by label and by schema,
relations by type, the references skipped as unknown, the sum of the amounts (amountEur,
amount, amountUsd) on relations, and the source records. Only the schemata
named below are known; any other one stops the script, so that a fixture
cannot drift past what this script checks.

    python3 check.py FILE.ijson   -> one JSON object on stdout
"""
import json
import os
import re
import sys

path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "donations.ijson")

# thing schemata -> label; their entity-valued properties -> relation type
THINGS = {"Person": "Person", "Company": "Company", "Organization": "Organization",
          "Address": "Address", "PublicBody": "Government", "LegalEntity": "LegalEntity"}
THING_REFS = {"addressEntity": "HAS_ADDRESS", "parent": "SUBSIDIARY_OF"}
# edge schemata -> (relation type, source property, target property)
EDGES = {"Payment": ("PAID", "payer", "beneficiary"),
         "Ownership": ("OWNS", "owner", "asset"),
         "Directorship": ("DIRECTS", "director", "organization")}
AMOUNTS = ("amountEur", "amount", "amountUsd")


def number(s):
    """FollowTheMoney's NumberType.to_number: keep digits, '-' and '.', then float."""
    try:
        return float(re.sub(r"[^0-9\-\.]", "", s))
    except ValueError:
        return None


records = []
with open(path, encoding="utf-8") as f:
    for line in f:
        if line.strip():
            records.append(json.loads(line))

# fragments of one id are one entity (labels united, the last fragment's schema kept)
labels = {}
schema = {}
for r in records:
    if r["schema"] in THINGS:
        labels.setdefault(r["id"], set()).add(THINGS[r["schema"]])
        schema[r["id"]] = r["schema"]
    elif r["schema"] not in EDGES:
        sys.exit("check.py does not know the schema %r" % r["schema"])

rels = {}          # relation id -> type (fragments of one id are one relation)
amount_sum = 0.0
skipped = 0
amount_seen = set()
for r in records:
    props = r.get("properties", {})
    if r["schema"] in EDGES:
        typ, s, t = EDGES[r["schema"]]
        pairs = [(a, b) for a in props.get(s, []) if a for b in props.get(t, []) if b]
        for a, b in pairs:
            if a not in labels or b not in labels:
                skipped += 1
                continue
            rid = r["id"] if len(pairs) == 1 else "%s<%s>%s" % (a, r["id"], b)
            if rid not in rels:
                rels[rid] = typ
            for k in AMOUNTS:
                for v in props.get(k, []):
                    if (rid, k, v) not in amount_seen:  # fragments unite lists
                        amount_seen.add((rid, k, v))
                        amount_sum += number(v)
    else:
        for k, typ in THING_REFS.items():
            for v in props.get(k, []):
                if not v:
                    continue
                if v not in labels:
                    skipped += 1
                    continue
                rels["%s>%s>%s" % (r["id"], k, v)] = typ

by_label = {}
for labs in labels.values():
    for l in labs:
        by_label[l] = by_label.get(l, 0) + 1
by_schema = {}
for s in schema.values():
    by_schema[s] = by_schema.get(s, 0) + 1
by_type = {}
for t in rels.values():
    by_type[t] = by_type.get(t, 0) + 1
datasets = {d for r in records for d in r.get("datasets", [])}
urls = {u for r in records for u in r.get("properties", {}).get("sourceUrl", []) if u}
sources = len(datasets) + len(urls) + (1 if any(not r.get("datasets") for r in records) else 0)
print(json.dumps({"labels": dict(sorted(by_label.items())), "types": dict(sorted(by_type.items())),
                  "schemata": dict(sorted(by_schema.items())),
                  "entities": len(labels), "relations": len(rels), "skipped": skipped,
                  "amount_sum": "%.2f" % amount_sum, "sources": sources}, sort_keys=True))
