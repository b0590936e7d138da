#!/usr/bin/env python3
"""Independent figures for export.csv under the built-in ASPI mapping, from
the rules of docs/formats.md ("ASPI"): entities by label, relations by type,
the years and coordinates, computed with Python's csv module."""
import csv, json, os, sys

path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "export.csv")
rows = list(csv.DictReader(open(path, encoding="utf-8-sig", newline="")))
TYPES = {"Smart City-Public Security project": "BUILDS", "Research partnership": "PARTNERS_WITH",
         "Surveillance equipment": "SUPPLIES", "Facial recognition": "SUPPLIES", "Cable": "BUILDS"}
companies, countries, rels = set(), set(), {}
year_sum, lat_sum = 0, 0.0
for r in rows:
    companies.add(r["company_id"].split("|")[1].strip().lower())
    countries.add(r["country_id"].split("|")[1].strip())
    t = TYPES.get(r["infrastructure_type_id"].split("|")[1].strip(), "INVOLVED_IN")
    rels[t] = rels.get(t, 0) + 1
    rels["LOCATED_IN"] = rels.get("LOCATED_IN", 0) + 1
    if r["year_commenced"]:
        year_sum += int(r["year_commenced"])
    if r["overseas_infrastructure_lat"]:
        lat_sum += float(r["overseas_infrastructure_lat"])
print(json.dumps({"labels": {"Company": len(companies), "Country": len(countries), "Project": len(rows)},
                  "types": dict(sorted(rels.items())), "year_sum": year_sum, "lat_sum": round(lat_sum, 6)},
                 sort_keys=True))
