#!/usr/bin/env python3
"""Independent figures for projects.csv under the built-in GCDF mapping, from
the rules of docs/formats.md ("AidData GCDF"), computed with Python's csv
module and no tiegraph code: entities by label, relations by type, the sum of
project amounts and of amounts on FINANCES relations, and the number of source
records. Prints one JSON object (the test compares it with tiegraph's)."""
import csv, json, os, sys

path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "projects.csv")
rows = list(csv.DictReader(open(path, encoding="utf-8-sig", newline="")))

KNOWN = {"Export-Import Bank of China (China Eximbank)": "exim-china", "China Eximbank": "exim-china",
         "China Development Bank (CDB)": "cdb", "China Development Bank": "cdb"}
TYPE_LABEL = {"Government Agency": "Government", "State-owned Policy Bank": "Lender",
              "State-owned Commercial Bank": "Lender", "State-owned Company": "Company",
              "Private Sector": "Company"}
ISO3 = {"ECU", "VEN", "PAK", "ZWE"}  # the real ISO-3 codes used in the fixture

def slug(s):
    out, dash = [], False
    for ch in s:
        if ord(ch) >= 128 or ch.isascii() and ch.isalnum():
            if dash and out:
                out.append("-")
            dash = False
            out.append(ch.lower() if ch.isascii() else ch)
        else:
            dash = True
    return "".join(out)

def split(cell):
    return [x.strip() for x in cell.split("|")] if cell != "" else []

labels = {}      # id -> set of labels
rels = {}        # type -> count
project_sum = 0.0
finances_sum = 0.0
sources = {"aiddata-gcdf-3"}

def entity(i, labs):
    labels.setdefault(i, set()).update(labs)

def rel(t, n=1):
    rels[t] = rels.get(t, 0) + n

def agencies(row, col, base, default):
    names, types = split(row[col]), split(row[col + " Type"])
    out = []
    for k, name in enumerate(names):
        if not name:
            continue
        i = slug(KNOWN.get(name, name))
        if i in [x for x, _ in out]:
            continue
        t = types[k] if k < len(types) else ""
        lab = set(base)
        if t in TYPE_LABEL:
            lab.add(TYPE_LABEL[t])
        elif default:
            lab.add(default)
        out.append((i, lab))
    return out

for row in rows:
    pid = "gcdf-" + row["AidData Record ID"]
    entity(pid, {"Project"})
    amount = row["Amount (Constant USD 2021)"].strip()
    if amount:
        project_sum += float(amount)
    if row["Recipient ISO-3"] in ISO3:
        entity("country-" + row["Recipient ISO-3"], {"Country"})
        rel("LOCATED_IN")
    lenders = agencies(row, "Funding Agencies", {"Lender"}, None)
    cofin = agencies(row, "Co-financing Agencies", {"Lender"}, None)
    single = len(lenders) + len(cofin) == 1
    for i, lab in lenders + cofin:
        entity(i, lab)
        rel("FINANCES")
    if single and amount and lenders:
        finances_sum += float(amount)
    for i, lab in agencies(row, "Direct Receiving Agencies", set(), "Organization"):
        entity(i, lab)
        rel("RECEIVES")
    for i, lab in agencies(row, "Implementing Agencies", set(), "Organization"):
        entity(i, lab)
        rel("BUILDS")
    for url in split(row["Source URLs"]):
        if url:
            sources.add(url)

by_label = {}
for labs in labels.values():
    for l in labs:
        by_label[l] = by_label.get(l, 0) + 1
print(json.dumps({"entities": len(labels), "labels": dict(sorted(by_label.items())),
                  "types": dict(sorted(rels.items())), "project_amount_sum": project_sum,
                  "finances_amount_sum": finances_sum, "sources": len(sources)}, sort_keys=True))
