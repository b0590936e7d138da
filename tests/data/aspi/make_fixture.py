#!/usr/bin/env python3
"""Writes export.csv: rows in the layout of ASPI's map export
(the column description shipped with the export, copied in COLUMNS.md here) with the hard
cases: HTML descriptions with entities and line breaks, `id | name` cells,
an unknown extra column (ignored), optional columns left out entirely
(street address, cable_id, secondary type), empty cells, the same company
and country across rows, hostile text. check.py computes the expected
figures independently."""
import csv, os

here = os.path.dirname(os.path.abspath(__file__))
cols = ["company_overseas_infrastructure_id", "company_id", "infrastructure_type_id", "country_id",
        "city", "overseas_infrastructure_lat", "overseas_infrastructure_lng", "label",
        "year_commenced", "year_ended", "Primary topic", "Secondary (if needed)", "Third topic",
        "text", "cable_owner", "highlight", "type_of_company_id_ref", "an_unknown_column"]
rows = [
    ["1234", "1 | Huawei", "9 | Smart City-Public Security project", "105 | Italy", "Rome", "41.90", "12.49",
     "Roma Capitale 5G", "2018", "", "3 | 5G", "2 | Smart cities", "", "<p>Huawei&rsquo;s &ldquo;smart&rdquo; city\nproject &amp; lab.</p>", "", "0", "private", "x"],
    ["1235", "1 | Huawei", "13 | Research partnership", "13 | Australia", "Sydney", "", "",
     "University of Technology Sydney partnership", "2010", "2019", "1 | Artificial Intelligence", "", "", "Joint lab, <b>bold</b>,\r\nand &#8220;quotes&#8221;", "", "", "", ""],
    ["1236", "2 | ZTE", "7 | Surveillance equipment", "48 | Ecuador", "", "-0.18", "-78.47",
     "ECU-911 cameras", "2011", "", "6 | Surveillance", "5 | Chinese state loan", "", "", "", "1", "state-owned", "ignored"],
    ["1237", "3 | Hikvision", "21 | Facial recognition", "212 | Zimbabwe", "Harare", "", "",
     "Facial recognition <script>alert(1)</script> \"deal\"", "", "", "6 | Surveillance", "", "", "中国 text, emoji 📷", "", "", "", ""],
    ["1238", "2 | ZTE", "99 | Some New Entry Type", "999 | Narnia", "", "", "",
     "Unknown type and unknown country", "2020", "", "", "", "", "", "", "", "", ""],
    ["1239", "1 | Huawei", "17 | Cable", "13 | Australia", "", "", "",
     "Coral Sea cable", "2017", "2019", "", "", "", "", "Vocus", "", "", ""],
]
with open(os.path.join(here, "export.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        assert len(r) == len(cols)
        w.writerow(r)
