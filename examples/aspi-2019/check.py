#!/usr/bin/env python3
"""check.py — validates examples/aspi-2019/graph.json against DESIGN.md's tiegraph/1
rules and this dataset's own conventions (README.md), and prints counts.

Usage: python3 examples/aspi-2019/check.py [graph.json]
Exit status 0 when every rule holds, 1 otherwise (each violation is printed).
Uses only the standard library.
"""
import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TYPES = {"OWNS", "FINANCES", "CONTRACTS", "SUBCONTRACTS", "SUPPLIES", "BUILDS",
         "PARTNERS_WITH", "LOCATED_IN", "OPERATES_IN", "MEMBER_OF", "LEADS", "SANCTIONS",
         "SUBJECT_TO", "TRAINS"}
LABELS = {"Company", "Subsidiary", "University", "Government", "Lender", "Project",
          "Country", "Person", "Organization", "Law"}
ENTITY_RESERVED = {"id", "labels", "sources"}
RELATION_RESERVED = {"id", "type", "from", "to", "sources"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SOURCE_REF = re.compile(r"^([a-z0-9-]+)(#([0-9]+))?$")
ASPI_LAST_NOTE = 127  # the highest footnote number printed in the seed text

errors = []


def err(msg):
    errors.append(msg)


def check_value(where, key, v):
    """A property value: string, int, float, bool, or a non-empty-typed homogeneous list."""
    if v is None:
        err("%s: %s is null (nulls are not stored)" % (where, key))
    elif isinstance(v, dict):
        err("%s: %s is an object" % (where, key))
    elif isinstance(v, list):
        kinds = {type(x) for x in v}
        if any(isinstance(x, (list, dict)) or x is None for x in v):
            err("%s: %s holds a nested or null element" % (where, key))
        elif len(kinds) > 1:
            err("%s: %s is a mixed list %s" % (where, key, sorted(k.__name__ for k in kinds)))


def check_sources(where, srcs, source_ids):
    if not isinstance(srcs, list) or not srcs:
        err("%s: no sources" % where)
        return
    if len(set(srcs)) != len(srcs):
        err("%s: duplicate source reference" % where)
    for s in srcs:
        m = SOURCE_REF.match(s) if isinstance(s, str) else None
        if not m or m.group(1) not in source_ids:
            err("%s: unknown source reference %r" % (where, s))
        elif m.group(3) is not None:
            if m.group(1) != "aspi-2019":
                err("%s: only aspi-2019 has numbered notes: %r" % (where, s))
            elif not 1 <= int(m.group(3)) <= ASPI_LAST_NOTE:
                err("%s: footnote out of range: %r" % (where, s))


def readme_exceptions():
    """Ids listed between the isolated:begin/end markers of README.md."""
    path = os.path.join(HERE, "README.md")
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        return None
    m = re.search(r"<!-- isolated:begin -->(.*?)<!-- isolated:end -->", text, re.S)
    if not m:
        return None
    return set(re.findall(r"`([a-z0-9-]+)`", m.group(1)))


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "graph.json")
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print("%s: not UTF-8: %s" % (path, e))
        return 1
    doc = json.loads(text, object_pairs_hook=collections.OrderedDict)

    if doc.get("format") != "tiegraph/1":
        err("format is not tiegraph/1")
    source_ids = set()
    for s in doc.get("sources", []):
        for k in ("id", "title", "publisher", "date"):
            if not isinstance(s.get(k), str) or not s.get(k):
                err("source %r: missing %s" % (s.get("id"), k))
        for k, v in s.items():
            if not isinstance(v, str):
                err("source %r: field %s is not a string" % (s.get("id"), k))
        source_ids.add(s.get("id"))

    ents = collections.OrderedDict()
    for i, e in enumerate(doc.get("entities", [])):
        eid = e.get("id")
        where = "entity %r" % eid
        if not isinstance(eid, str) or not SLUG.match(eid):
            err("entity #%d: bad id %r" % (i, eid))
        if eid in ents:
            err("%s: duplicate id" % where)
        ents[eid] = e
        labels = e.get("labels")
        if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
            err("%s: labels must be a non-empty list of strings" % where)
            labels = []
        for lab in labels:
            if lab not in LABELS:
                err("%s: label %r is not one of DESIGN.md's" % (where, lab))
        if "Subsidiary" in labels and "Company" not in labels:
            err("%s: Subsidiary without Company" % where)
        if not isinstance(e.get("name"), str) or not e["name"].strip():
            err("%s: no name" % where)
        c = e.get("country")
        if c is not None and not (isinstance(c, str) and re.match(r"^[A-Z]{2}$", c)):
            err("%s: country %r is not ISO alpha-2 uppercase" % (where, c))
        if "Country" in labels:
            if eid != "country-" + str(e.get("iso2", "")).lower() or e.get("country") != e.get("iso2"):
                err("%s: country entity id/iso2/country disagree" % where)
        if "Project" in labels and not e.get("category"):
            err("%s: project without category" % where)
        if "aliases" in e and (not isinstance(e["aliases"], list) or not e["aliases"]):
            err("%s: aliases must be a non-empty list" % where)
        check_sources(where, e.get("sources"), source_ids)
        for k, v in e.items():
            if k not in ENTITY_RESERVED:
                check_value(where, k, v)

    degree = collections.Counter()
    located = collections.defaultdict(set)
    seen = set()
    rels = doc.get("relations", [])
    for i, r in enumerate(rels):
        where = "relation #%d %s %s->%s" % (i, r.get("type"), r.get("from"), r.get("to"))
        if r.get("type") not in TYPES:
            err("%s: unknown type" % where)
        for end in ("from", "to"):
            if r.get(end) not in ents:
                err("%s: %s names no entity" % (where, end))
        if r.get("from") == r.get("to"):
            err("%s: self-loop" % where)
        degree[r.get("from")] += 1
        degree[r.get("to")] += 1
        check_sources(where, r.get("sources"), source_ids)
        for k, v in r.items():
            if k not in RELATION_RESERVED:
                check_value(where, k, v)
        if "confidence" in r and r["confidence"] not in ("reported", "alleged"):
            err("%s: confidence %r" % (where, r["confidence"]))
        for k in ("year", "since"):
            if k in r and not (isinstance(r[k], int) and 1900 <= r[k] <= 2030):
                err("%s: %s %r is not a year" % (where, k, r[k]))
        if "amount" in r:
            if not isinstance(r["amount"], (int, float)) or isinstance(r["amount"], bool):
                err("%s: amount is not a number" % where)
            if "currency" not in r:
                err("%s: amount without currency" % where)
        if r.get("type") == "CONTRACTS" and r.get("role") not in ("prime", "sub"):
            err("%s: CONTRACTS without role prime|sub" % where)
        if r.get("type") == "LOCATED_IN":
            if "Country" not in ents.get(r.get("to"), {}).get("labels", []):
                err("%s: LOCATED_IN target is not a Country" % where)
            located[r.get("from")].add(r.get("to"))
        key = json.dumps(r, sort_keys=True)
        if key in seen:
            err("%s: exact duplicate" % where)
        seen.add(key)

    for eid, e in ents.items():
        c = e.get("country")
        if c and "Country" not in e.get("labels", []):
            cid = "country-" + c.lower()
            if cid not in ents:
                err("entity %r: no country entity %s" % (eid, cid))
            elif cid not in located[eid]:
                err("entity %r: no LOCATED_IN %s" % (eid, cid))

    isolated = sorted(eid for eid in ents if degree[eid] == 0)
    allowed = readme_exceptions()
    if allowed is None:
        err("README.md has no <!-- isolated:begin --> ... <!-- isolated:end --> list")
        allowed = set()
    for eid in isolated:
        if eid not in allowed:
            err("entity %r is isolated and not listed in README.md" % eid)
    for eid in sorted(allowed - set(isolated)):
        err("README.md lists %r as isolated but it is not (or does not exist)" % eid)

    # Layout: one record per line, so that diffs stay readable.
    lines = text.split("\n")
    nrec = len(doc.get("sources", [])) + len(ents) + len(rels)
    if sum(1 for ln in lines if ln.startswith("    {")) != nrec:
        err("layout: expected one source/entity/relation per line")

    by_label = collections.Counter(lab for e in ents.values() for lab in e.get("labels", []))
    by_type = collections.Counter(r.get("type") for r in rels)
    by_conf = collections.Counter(r.get("confidence", "stated") for r in rels)
    nfoot = len({s for x in list(ents.values()) + rels for s in x.get("sources", []) if "#" in s})
    print("%s: %d sources, %d entities, %d relations" % (os.path.relpath(path), len(source_ids),
                                                         len(ents), len(rels)))
    print("entities by label (an entity counts once per label):")
    for k, v in sorted(by_label.items(), key=lambda kv: (-kv[1], kv[0])):
        print("  %-14s %4d" % (k, v))
    print("relations by type:")
    for k, v in sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0])):
        print("  %-14s %4d" % (k, v))
    print("relations by confidence: %s" % ", ".join("%s %d" % kv for kv in sorted(by_conf.items())))
    print("relations other than LOCATED_IN: %d" % (len(rels) - by_type["LOCATED_IN"]))
    print("distinct footnote references: %d; isolated entities: %d" % (nfoot, len(isolated)))
    for e in errors:
        print("error: " + e)
    print("OK" if not errors else "%d error(s)" % len(errors))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
