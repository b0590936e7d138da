#!/usr/bin/env python3
"""Generates loaders/mappings/ftm.json, the FollowTheMoney model as tiegraph
reads it, from the real model: the schema files followthemoney/schema/*.yaml
of the alephdata/followthemoney repository.

    python3 scripts/gen_ftm_mapping.py FOLLOWTHEMONEY_CHECKOUT [REVISION] > loaders/mappings/ftm.json

FOLLOWTHEMONEY_CHECKOUT is a folder holding followthemoney/schema/ (a clone or
an unpacked archive); REVISION (a commit id or a version) is written into the
file to say where the model came from. Needs PyYAML (Debian: python3-yaml);
only this script needs it, the build reads the JSON.

What the file holds, per schema (every schema of the model, abstract ones
too, each with its properties and their FtM types flattened over `extends`):
- a thing schema (no `edge:` in the model) has a `label`: the schema's name,
  except the renames in LABELS; its entity-valued properties (FtM type
  `entity`) are listed in `relations` with the relation type they become,
  from the entity holding the property to the entity it names (RELATION_TYPES,
  else the property name in UPPER_SNAKE case);
- an edge schema (`edge:` with source and target) has `edge`: the relation
  type (EDGE_TYPES, else the model's edge label in UPPER_SNAKE case) and the
  source and target properties, exactly as the model gives them.
The C reader (loaders/ftm_reader.c) holds no FtM knowledge of its own.

tiegraph's additions to the model's types are in NUMBER_OVERRIDES: FtM types
Ownership's percentage and share counts as plain strings, tiegraph converts
them to floats like the model's `number` properties; they are listed in the
file's `overrides` so that a reader of the JSON sees them.
"""
import glob
import json
import os
import re
import sys

import yaml

# Thing schemata whose label is not their name.
LABELS = {"PublicBody": "Government"}

# Edge schemata whose relation type is not their edge label in UPPER_SNAKE.
EDGE_TYPES = {
    "Membership": "MEMBER_OF",  # the label "belongs to" reads worse
    "Succession": "PRECEDES",  # the model's label is misspelt "preceeds"
}

# Entity-valued properties of thing schemata: (schema defining it, property)
# -> relation type. Others get the property name in UPPER_SNAKE case.
RELATION_TYPES = {
    ("Thing", "addressEntity"): "HAS_ADDRESS",
    ("Thing", "proof"): "PROVEN_BY",
    ("LegalEntity", "parent"): "SUBSIDIARY_OF",
    ("Document", "parent"): "IN_FOLDER",
    ("Document", "ancestors"): "HAS_ANCESTOR",
    ("RealEstate", "parent"): "PART_OF",
    ("Sanction", "entity"): "SANCTIONS",
    ("Note", "entity"): "NOTE_ON",
    ("Vehicle", "owner"): "OWNED_BY",
    ("Vehicle", "operator"): "OPERATED_BY",
    ("UserAccount", "owner"): "OWNED_BY",
    ("CryptoWallet", "holder"): "HELD_BY",
    ("Identification", "holder"): "HELD_BY",
    ("Post", "holder"): "HELD_BY",
    ("Security", "issuer"): "ISSUED_BY",
    ("BankAccount", "bank"): "ACCOUNT_AT",
    ("Mention", "document"): "MENTIONED_IN",
    ("Mention", "resolved"): "RESOLVED_TO",
    ("Image", "pictured"): "PICTURES",
    ("Position", "organization"): "POSITION_IN",
    ("Page", "document"): "PAGE_OF",
    ("Assessment", "author"): "AUTHORED_BY",
}

# (schema defining it, property) -> tiegraph's type where it differs from FtM's.
NUMBER_OVERRIDES = {
    ("Ownership", "percentage"): "number",
    ("Ownership", "sharesCount"): "number",
    ("Ownership", "sharesValue"): "number",
}

# Names tiegraph gives meaning to: no FtM property may use them.
RESERVED = {"id", "sources", "schema", "labels", "datasets", "referents", "first_seen",
            "last_seen", "last_change", "caption", "target"}


def upper_snake(s):
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return re.sub(r"[^A-Za-z0-9]+", "_", s).strip("_").upper()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    revision = sys.argv[2] if len(sys.argv) > 2 else "unknown"
    files = sorted(glob.glob(os.path.join(root, "followthemoney", "schema", "*.y*ml")))
    if not files:
        sys.exit("no followthemoney/schema/*.yaml under %s" % root)
    model = {}
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for name, spec in (yaml.safe_load(fh) or {}).items():
                model[name] = spec or {}

    def ancestors(name, seen=None):
        """name, then its parents depth first (the model's order of inheritance)."""
        seen = [] if seen is None else seen
        if name in seen:
            return seen
        seen.append(name)
        for parent in model[name].get("extends") or []:
            ancestors(parent, seen)
        return seen

    def properties(name):
        """name's properties with their FtM types, inherited ones included; a
        schema's own definition wins over an ancestor's. Each value is
        (type, schema defining it)."""
        out = {}
        for a in reversed(ancestors(name)):
            for pname, p in (model[a].get("properties") or {}).items():
                p = p or {}
                out[pname] = (p.get("type", "string"), a, p.get("range"))
        return out

    schemata = {}
    overrides = []
    for name in sorted(model):
        spec = model[name]
        props = properties(name)
        edge = spec.get("edge")  # not inherited, as in FtM's schema.py
        out = {}
        if spec.get("abstract"):
            out["abstract"] = True
        out["extends"] = ancestors(name)[1:]
        ptypes = {}
        relations = {}
        for pname, (ptype, definer, rng) in sorted(props.items()):
            if pname in RESERVED:
                sys.exit("FtM property %s.%s uses a name tiegraph reserves" % (name, pname))
            t = NUMBER_OVERRIDES.get((definer, pname), ptype)
            if t != ptype and (definer, pname) not in [(o["schema"], o["property"]) for o in overrides]:
                overrides.append({"schema": definer, "property": pname, "ftm_type": ptype, "type": t})
            ptypes[pname] = t
            if ptype == "entity" and not (edge and pname in (edge["source"], edge["target"])):
                relations[pname] = {
                    "type": RELATION_TYPES.get((definer, pname), upper_snake(pname)),
                    "range": rng,
                }
        if edge and edge.get("source") and edge.get("target"):
            out["edge"] = {
                "type": EDGE_TYPES.get(name, upper_snake(edge.get("label") or name)),
                "source": edge["source"],
                "target": edge["target"],
                "directed": edge.get("directed", True),
            }
            # on an edge, other entity-valued properties stay ids (text)
            relations = {}
        else:
            out["label"] = LABELS.get(name, name)
            if relations:
                out["relations"] = relations
        out["properties"] = ptypes
        schemata[name] = out

    doc = {
        "format": "tiegraph-ftm/1",
        "description": "The FollowTheMoney model as tiegraph reads it: per schema, its label "
        "(things) or its relation type with source and target (edges), its properties with "
        "their FtM types (inherited ones included), and the relation type of each "
        "entity-valued property of a thing. Generated: do not edit.",
        "generated_by": "scripts/gen_ftm_mapping.py",
        "model": "alephdata/followthemoney followthemoney/schema/*.yaml at " + revision,
        "overrides": overrides,
        "schemata": schemata,
    }
    # one schema a line keeps diffs of a new model readable
    lines = ["{"]
    for k in ("format", "description", "generated_by", "model", "overrides"):
        lines.append(" %s: %s," % (json.dumps(k), json.dumps(doc[k], ensure_ascii=False)))
    lines.append(' "schemata": {')
    names = sorted(schemata)
    for i, n in enumerate(names):
        lines.append("  %s: %s%s" % (json.dumps(n), json.dumps(schemata[n], ensure_ascii=False,
                                                                 sort_keys=True),
                                     "," if i + 1 < len(names) else ""))
    lines.append(" }")
    lines.append("}")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
