#!/usr/bin/env python3
"""Writes N encounters of RCM's format (NDJSON) and a sandbox rules file with the members they use.

Usage: generate_encounters.py N OUT.ndjson RULES_IN.json RULES_OUT.json

Real FY2026 ICD-10-CM codes, the demo clinic's chargemaster codes, 40 generated members with room
in their sum insured (every fourth with a 10 % co-pay); every 10th encounter bills only excluded
IV sets (denied) and every 25th is for the lapsed member (rejected): the same mix as the tests'
200-encounter batch.
"""
import json
import sys

VISITS = [
    ("J02.9", "LAB-STREP-RAPID", "450.00"), ("J06.9", "OP-CONSULT-GP", "800.00"),
    ("E11.9", "LAB-HBA1C", "650.00"), ("I10", "OP-ECG", "600.00"), ("K21.9", "OP-CONSULT-GASTRO", "1200.00"),
    ("M54.50", "RAD-XRAY-LSPINE", "1100.00"), ("N39.0", "LAB-URINE-CULTURE", "700.00"),
    ("R51.9", "OP-CONSULT-NEURO", "1500.00"), ("S93.401A", "RAD-XRAY-ANKLE", "900.00"), ("L03.115", "PROC-IND", "2500.50"),
]
CHARGEMASTER = "https://sunrise-clinic.rcm-demo.example/chargemaster"
MEMBERS = [f"BENCH-MEM-{i:03d}" for i in range(1, 41)]


def main() -> None:
    count, out, rules_in, rules_out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    with open(out, "w") as f:
        for i in range(count):
            diagnosis, service, price = VISITS[i % len(VISITS)]
            services = [
                {"system": CHARGEMASTER, "code": "OP-CONSULT-GP", "unit_price": "800.00"},
                {"system": CHARGEMASTER, "code": service, "unit_price": price, "units": 1 + i % 3},
            ]
            if i % 10 == 9:
                services = [{"system": CHARGEMASTER, "code": "PHARM-IV-SET", "unit_price": "475.50", "units": 2}]
            encounter = {
                "encounter_id": f"ENC-BENCH-{i:06d}",
                "patient": {"id": f"MRN-BENCH-{i:06d}"},
                "coverage": {"payer": "DEMO-HEALTH-INSURANCE",
                             "member_id": "MEM-LAPSED" if i % 25 == 24 else MEMBERS[i % len(MEMBERS)]},
                "provider": {"id": "HFR-DEMO-0042"},
                "service_start": f"2026-11-{1 + i % 20:02d}",
                "diagnoses": [{"code": diagnosis}],
                "services": services,
            }
            f.write(json.dumps(encounter, sort_keys=True) + "\n")
    rules = json.load(open(rules_in))
    for index, member in enumerate(MEMBERS):
        entry = {"subscriber_id": member, "status": "active", "coverage_start": "2026-01-01",
                 "sum_insured": "100000000.00"}
        if index % 4 == 0:
            entry["copay_percent"] = "10"
        rules["members"].append(entry)
    json.dump(rules, open(rules_out, "w"), indent=2)


if __name__ == "__main__":
    main()
