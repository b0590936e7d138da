#!/usr/bin/env python3
"""gen_ftm.py — a synthetic FollowTheMoney file for bench/ftm.sh.

    python3 bench/gen_ftm.py --records 1000000 --out DIR [--seed 42]

writes DIR/entities.ijson (one FtM entity a line, as OpenSanctions exports
them: "datasets", "first_seen", "last_seen", every value a list of strings)
and DIR/expect.json (what tiegraph must make of it: entities, relations,
skipped references). Deterministic for a seed (random.Random, no clock).

The records follow a repeating pattern of 20: 6 Company, 4 Person, 2 Address,
3 Ownership, 2 Directorship, 3 Payment. The n-th record of a schema has the id
<prefix>-<n>, and every reference picks a uniformly random index among all the
records of its target schema, so about half the references point forward
(to an entity further down the file: the importer keeps them until the end)
and half backward. Besides:
- about 0.1% of references name an id that is not in the file (skipped and
  counted by the import);
- 1% of companies come again later as a fragment (an alias, another
  dataset and the same address), merged into one entity;
- amounts, percentages and share counts are strings FtM-style ("12,500.00",
  "25.5%"), converted to floats by the reader.
"""
import argparse
import json
import os
import random

PATTERN = ["Company"] * 6 + ["Person"] * 4 + ["Address"] * 2 + ["Ownership"] * 3 + \
    ["Directorship"] * 2 + ["Payment"] * 3
PREFIX = {"Company": "co", "Person": "pe", "Address": "ad", "Ownership": "ow",
          "Directorship": "di", "Payment": "pa"}
DATASETS = ["gb_coh_psc", "us_ofac_sdn", "eu_fsf", "ru_egrul", "ua_edr"]
COUNTRIES = ["gb", "us", "ru", "ua", "de", "fr", "cy", "vg", "pa", "ch", "cn", "ae"]
WORDS = ["North", "Star", "Holdings", "Capital", "Trade", "Energy", "Invest", "Group",
         "Global", "Marine", "Alpha", "Nova", "Atlas", "Prime", "Delta", "Orion"]
FIRST = ["Anna", "Ivan", "John", "Maria", "Oleg", "Sara", "Li", "Omar", "Eva", "Piotr"]
LAST = ["Smith", "Ivanov", "Kowalski", "Chen", "Haddad", "Muller", "Rossi", "Novak"]
CITIES = ["London", "Moscow", "Kyiv", "Limassol", "Zurich", "Dubai", "Berlin", "Panama"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    n = a.records
    count = {s: 0 for s in PREFIX}
    for i in range(n):
        count[PATTERN[i % len(PATTERN)]] += 1
    fragments = max(1, count["Company"] // 100)
    main_records = n - fragments  # the fragments take the last slots
    count = {s: 0 for s in PREFIX}
    for i in range(main_records):
        count[PATTERN[i % len(PATTERN)]] += 1
    made = {s: 0 for s in PREFIX}
    expect = {"records": n, "entities": 0, "relations": 0, "skipped": 0, "by_type": {}}
    company_address = {}

    def ref(schema):
        """An id of schema, or (0.1%) one that is not in the file."""
        if rnd.random() < 0.001 or count[schema] == 0:
            return "missing-%d" % rnd.randrange(1 << 30), False
        return "%s-%d" % (PREFIX[schema], rnd.randrange(count[schema])), True

    def rel(typ, ok):
        if ok:
            expect["relations"] += 1
            expect["by_type"][typ] = expect["by_type"].get(typ, 0) + 1
        else:
            expect["skipped"] += 1

    def seen():
        y = 2018 + rnd.randrange(6)
        return "%d-%02d-%02dT00:00:00" % (y, 1 + rnd.randrange(12), 1 + rnd.randrange(28))

    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "entities.ijson"), "w", encoding="utf-8") as f:
        for i in range(n):
            if i >= main_records:
                k = rnd.randrange(count["Company"])
                rec = {"id": "co-%d" % k, "schema": "Company",
                       "properties": {"alias": ["%s %s Ltd" % (rnd.choice(WORDS), k)]},
                       "datasets": [rnd.choice(DATASETS)]}
                if k in company_address:
                    rec["properties"]["addressEntity"] = [company_address[k]]
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                continue
            schema = PATTERN[i % len(PATTERN)]
            k = made[schema]
            made[schema] += 1
            rid = "%s-%d" % (PREFIX[schema], k)
            p = {}
            if schema == "Company":
                p["name"] = ["%s %s %s" % (rnd.choice(WORDS), rnd.choice(WORDS), rnd.choice(
                    ["Ltd", "LLC", "AG", "OOO", "SA"]))]
                p["jurisdiction"] = [rnd.choice(COUNTRIES)]
                p["registrationNumber"] = ["%08d" % rnd.randrange(10 ** 8)]
                p["incorporationDate"] = ["%d-%02d-%02d" % (1990 + rnd.randrange(34),
                                                            1 + rnd.randrange(12),
                                                            1 + rnd.randrange(28))]
                if rnd.random() < 0.5:
                    target, ok = ref("Address")
                    p["addressEntity"] = [target]
                    rel("HAS_ADDRESS", ok)
                    if ok:
                        company_address[k] = target
            elif schema == "Person":
                p["name"] = ["%s %s" % (rnd.choice(FIRST), rnd.choice(LAST))]
                p["birthDate"] = ["%d-%02d-%02d" % (1940 + rnd.randrange(60), 1 + rnd.randrange(12),
                                                    1 + rnd.randrange(28))]
                p["nationality"] = [rnd.choice(COUNTRIES)]
                if rnd.random() < 0.3:
                    target, ok = ref("Address")
                    p["addressEntity"] = [target]
                    rel("HAS_ADDRESS", ok)
            elif schema == "Address":
                city = rnd.choice(CITIES)
                p["full"] = ["%d %s Street, %s" % (1 + rnd.randrange(200), rnd.choice(WORDS), city)]
                p["city"] = [city]
                p["country"] = [rnd.choice(COUNTRIES)]
            elif schema == "Ownership":
                owner, ok1 = ref("Person" if rnd.random() < 0.4 else "Company")
                asset, ok2 = ref("Company")
                p["owner"] = [owner]
                p["asset"] = [asset]
                p["percentage"] = ["%.1f%%" % (rnd.random() * 100)]
                p["sharesCount"] = ["{:,}".format(rnd.randrange(1, 10 ** 6))]
                p["startDate"] = ["%d" % (2000 + rnd.randrange(24))]
                rel("OWNS", ok1 and ok2)
            elif schema == "Directorship":
                d, ok1 = ref("Person")
                o, ok2 = ref("Company")
                p["director"] = [d]
                p["organization"] = [o]
                p["role"] = [rnd.choice(["Director", "Secretary", "Chairman"])]
                p["startDate"] = ["%d-%02d" % (2000 + rnd.randrange(24), 1 + rnd.randrange(12))]
                rel("DIRECTS", ok1 and ok2)
            else:  # Payment
                payer, ok1 = ref("Company" if rnd.random() < 0.8 else "Person")
                ben, ok2 = ref("Company")
                p["payer"] = [payer]
                p["beneficiary"] = [ben]
                p["amountEur"] = ["{:,.2f}".format(rnd.randrange(100, 10 ** 8) / 100)]
                p["date"] = ["%d-%02d-%02d" % (2010 + rnd.randrange(14), 1 + rnd.randrange(12),
                                               1 + rnd.randrange(28))]
                p["purpose"] = [rnd.choice(["Consulting", "Loan repayment", "Invoice", "Dividend"])]
                rel("PAID", ok1 and ok2)
            rec = {"id": rid, "schema": schema, "properties": p,
                   "datasets": [rnd.choice(DATASETS)], "first_seen": seen(), "last_seen": seen()}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    expect["entities"] = count["Company"] + count["Person"] + count["Address"]
    with open(os.path.join(a.out, "expect.json"), "w") as f:
        json.dump(expect, f, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
