#!/usr/bin/env python3
"""Writes projects.csv: GCDF-shaped rows on AidData's real 126-column header
(header.csv, copied from the GCDF 3.0 project file), with the hard cases of a
real download: a UTF-8 BOM and CRLF line ends (as Excel saves), multi-line
quoted descriptions with commas and doubled quotes, `|` agency lists with a
parallel `... Type` list (one shorter than its names), the same agency twice
in one row and across rows, empty cells, a regional recipient without an
ISO-3 code, hostile names. Run it to regenerate the fixture; check.py computes
the expected figures independently."""
import csv, io, os

here = os.path.dirname(os.path.abspath(__file__))
header = next(csv.reader(open(os.path.join(here, "header.csv"), encoding="utf-8-sig")))
assert len(header) == 126, len(header)

EXIM = "Export-Import Bank of China (China Eximbank)"
CDB = "China Development Bank (CDB)"
rows = [
    {"AidData Record ID": "1001", "Recommended For Aggregates": "Yes", "Financier Country": "China (People's Republic of)",
     "Recipient": "Ecuador", "Recipient ISO-3": "ECU", "Recipient Region": "America", "Commitment Year": "2011",
     "Title": "China Eximbank provides $240 million loan for ECU-911 Integrated Security Service",
     "Description": "In 2011, China Eximbank and the Government of Ecuador signed a loan agreement,\n"
                    "worth $240 million, for the \"ECU-911\" project.\n\nCEIEC and \"Huawei\" supplied cameras, servers, etc.",
     "Status": "Completion", "Intent": "Mixed", "Flow Type": "Loan", "Flow Type Simplified": "Loan",
     "Flow Class": "OOF-like", "Sector Code": "150", "Sector Name": "GOVERNMENT AND CIVIL SOCIETY",
     "Funding Agencies": EXIM, "Funding Agencies Type": "State-owned Policy Bank",
     "Direct Receiving Agencies": "Ministry of Finance of Ecuador", "Direct Receiving Agencies Type": "Government Agency",
     "Implementing Agencies": "China National Electronics Import & Export Corporation (CEIEC)|Huawei Technologies Co., Ltd.",
     "Implementing Agencies Type": "State-owned Company|Private Sector",
     "Amount (Constant USD 2021)": "297163245.84", "Amount (Original Currency)": "240000000", "Original Currency": "USD",
     "Source URLs": "https://example.org/ecu911|https://example.org/ecu911-followup",
     "Source Titles": "ECU 911: the making of a surveillance state|Follow-up, with \"quotes\", and commas",
     "Source Publishers": "New York Times|Example Press"},
    {"AidData Record ID": "1002", "Recipient": "Venezuela", "Recipient ISO-3": "VEN", "Commitment Year": "2015",
     "Title": "CDB and China Eximbank co-finance a fiber-optic backbone",
     "Description": "Co-financed; the amount covers both lenders.", "Flow Type": "Loan", "Status": "Implementation",
     "Funding Agencies": CDB + "|" + EXIM, "Funding Agencies Type": "State-owned Policy Bank|State-owned Policy Bank",
     "Co-financed": "Yes", "Co-financing Agencies": "Bank of China (BOC)", "Co-financing Agencies Type": "State-owned Commercial Bank",
     "Implementing Agencies": "ZTE Corporation", "Implementing Agencies Type": "State-owned Company",
     "Amount (Constant USD 2021)": "1500000000", "Source URLs": "https://example.org/ve-fiber", "Source Titles": "Backbone deal"},
    {"AidData Record ID": "1003", "Recipient": "Pakistan", "Recipient ISO-3": "PAK", "Commitment Year": "2018",
     "Title": "Safe City Lahore, phase 2", "Flow Type": "Loan", "Status": "Pipeline: Commitment",
     "Funding Agencies": CDB + "|" + CDB, "Funding Agencies Type": "State-owned Policy Bank|State-owned Policy Bank",
     "Implementing Agencies": "Huawei Technologies Co., Ltd.", "Implementing Agencies Type": "Private Sector",
     "Amount (Constant USD 2021)": "131500000.25"},
    {"AidData Record ID": "1004", "Recipient": "Africa, regional", "Recipient ISO-3": "", "Commitment Year": "2019",
     "Title": "Regional training programme", "Flow Type": "Grant", "Status": "",
     "Funding Agencies": "Ministry of Commerce (MOFCOM)|China International Development Cooperation Agency (CIDCA)",
     "Funding Agencies Type": "Government Agency",
     "Amount (Constant USD 2021)": ""},
    {"AidData Record ID": "1005", "Recipient": "Zimbabwe", "Recipient ISO-3": "ZWE", "Commitment Year": "2018",
     "Title": "中国 grant: facial recognition 📷 <script>alert(1)</script>",
     "Description": "Line one\r\nline two, with a \"quoted\" word\r\nand a trailing comma,",
     "Flow Type": "Grant", "Funding Agencies": "Ministry of Commerce (MOFCOM)", "Funding Agencies Type": "Government Agency",
     "Implementing Agencies": "CloudWalk Technology|Company \"Alpha\", Ltd.", "Implementing Agencies Type": "Private Sector|Private Sector",
     "Direct Receiving Agencies": "Government of Zimbabwe|", "Direct Receiving Agencies Type": "Government Agency|",
     "Amount (Constant USD 2021)": "1e6", "Source URLs": "https://example.org/cloudwalk"},
    {"AidData Record ID": "1006", "Recipient": "Ecuador", "Recipient ISO-3": "ECU", "Commitment Year": "2016",
     "Title": "Second ECU-911 expansion", "Flow Type": "Loan",
     "Funding Agencies": EXIM, "Funding Agencies Type": "State-owned Policy Bank",
     "Implementing Agencies": "China National Electronics Import & Export Corporation (CEIEC)", "Implementing Agencies Type": "State-owned Company",
     "Amount (Constant USD 2021)": "  96000000 "},
]
buf = io.StringIO()
w = csv.writer(buf, lineterminator="\r\n")
w.writerow(header)
for r in rows:
    for k in r:
        assert k in header, k
    w.writerow([r.get(h, "") for h in header])
with open(os.path.join(here, "projects.csv"), "w", encoding="utf-8", newline="") as f:
    f.write("\ufeff" + buf.getvalue())
