#!/usr/bin/env python3
"""Writes projects.csv: a small table in the exact layout of AidData's GCDF 3.0
project file (its 126-column header), for the example analysis. The rows are
ILLUSTRATIVE: shaped after the kind of Chinese state lending for telecom and
public-security projects that ASPI's report describes (Exim Bank and China
Development Bank loans to governments, Chinese contractors implementing), with
round amounts; they are not AidData's records. Import the real download the
same way: tiegraph import --format gcdf GCDF_3.0.csv"""
import csv, io, os

here = os.path.dirname(os.path.abspath(__file__))
header = next(csv.reader(open(os.path.join(here, "..", "..", "tests", "data", "gcdf", "header.csv"), encoding="utf-8-sig")))
EXIM, CDB = "Export-Import Bank of China (China Eximbank)", "China Development Bank (CDB)"
BOC = "Bank of China (BOC)"
PB, CB, GA, SOC, PS = "State-owned Policy Bank", "State-owned Commercial Bank", "Government Agency", "State-owned Company", "Private Sector"
rows = [
    # id, recipient, iso3, year, title, sector, flow, funders, funder types, implementers, impl types, receiver, amount
    ("90001", "Ecuador", "ECU", 2011, "Integrated security service ECU-911 (illustrative)", "GOVERNMENT AND CIVIL SOCIETY", "Loan", EXIM, PB, "China National Electronics Import & Export Corporation (CEIEC)", SOC, "Ministry of Finance of Ecuador", 240e6),
    ("90002", "Ecuador", "ECU", 2014, "ECU-911 expansion, phase 2 (illustrative)", "GOVERNMENT AND CIVIL SOCIETY", "Loan", EXIM, PB, "China National Electronics Import & Export Corporation (CEIEC)|Huawei Technologies Co., Ltd.", SOC + "|" + PS, "Ministry of Finance of Ecuador", 90e6),
    ("90003", "Zimbabwe", "ZWE", 2015, "Econet mobile network expansion (illustrative)", "COMMUNICATIONS", "Loan", CDB, PB, "Huawei Technologies Co., Ltd.", PS, "Econet Wireless Zimbabwe", 500e6),
    ("90004", "Zimbabwe", "ZWE", 2013, "NetOne network upgrade (illustrative)", "COMMUNICATIONS", "Loan", EXIM, PB, "Huawei Technologies Co., Ltd.", PS, "Ministry of Finance and Economic Development of Zimbabwe", 218e6),
    ("90005", "Pakistan", "PAK", 2016, "Safe City Islamabad (illustrative)", "GOVERNMENT AND CIVIL SOCIETY", "Loan", EXIM, PB, "Huawei Technologies Co., Ltd.", PS, "Ministry of Interior of Pakistan", 125e6),
    ("90006", "Pakistan", "PAK", 2018, "Cross-border optical fibre cable (illustrative)", "COMMUNICATIONS", "Loan", EXIM, PB, "Huawei Technologies Co., Ltd.", PS, "Special Communications Organization", 44e6),
    ("90007", "Venezuela", "VEN", 2013, "National security system VEN-911 (illustrative)", "GOVERNMENT AND CIVIL SOCIETY", "Loan", CDB + "|" + EXIM, PB + "|" + PB, "ZTE Corporation", SOC, "Ministry of Interior of Venezuela", 300e6),
    ("90008", "Venezuela", "VEN", 2014, "Fatherland ID card system (illustrative)", "GOVERNMENT AND CIVIL SOCIETY", "Loan", CDB, PB, "ZTE Corporation", SOC, "Ministry of Interior of Venezuela", 70e6),
    ("90009", "Bolivia", "BOL", 2016, "BOL-110 citizen security system (illustrative)", "GOVERNMENT AND CIVIL SOCIETY", "Loan", EXIM, PB, "China National Electronics Import & Export Corporation (CEIEC)", SOC, "Ministry of Government of Bolivia", 105e6),
    ("90010", "Kenya", "KEN", 2014, "Safaricom national surveillance and communication system (illustrative)", "GOVERNMENT AND CIVIL SOCIETY", "Loan", EXIM, PB, "Huawei Technologies Co., Ltd.", PS, "Ministry of Interior of Kenya", 100e6),
    ("90011", "Angola", "AGO", 2017, "Luanda integrated public security centre (illustrative)", "GOVERNMENT AND CIVIL SOCIETY", "Loan", EXIM + "|" + BOC, PB + "|" + CB, "ZTE Corporation", SOC, "Ministry of Finance of Angola", 150e6),
    ("90012", "Malaysia", "MYS", 2018, "Smart city pilot, Kuala Lumpur (illustrative)", "COMMUNICATIONS", "Grant", "Ministry of Commerce (MOFCOM)", GA, "Alibaba Cloud", PS, "Kuala Lumpur City Hall", 10e6),
]
buf = io.StringIO()
w = csv.writer(buf, lineterminator="\r\n")
w.writerow(header)
for (rid, rec, iso, year, title, sector, flow, fund, ftype, impl, itype, recv, amount) in rows:
    r = {"AidData Record ID": rid, "Recipient": rec, "Recipient ISO-3": iso, "Commitment Year": str(year),
         "Title": title, "Sector Name": sector, "Flow Type": flow, "Status": "Completion",
         "Funding Agencies": fund, "Funding Agencies Type": ftype,
         "Implementing Agencies": impl, "Implementing Agencies Type": itype,
         "Direct Receiving Agencies": recv, "Direct Receiving Agencies Type": GA,
         "Amount (Constant USD 2021)": "%.0f" % amount, "Financier Country": "China (People's Republic of)",
         "Description": "Illustrative record for the tiegraph example, in the layout of GCDF 3.0.\nNot an AidData record."}
    w.writerow([r.get(h, "") for h in header])
open(os.path.join(here, "projects.csv"), "w", encoding="utf-8", newline="").write(buf.getvalue())
