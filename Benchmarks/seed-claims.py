#!/usr/bin/env python3
"""Seeds an RCM SQLite database with N claims at the shape the stores write (issue 20's
benchmark; issue 22 asks for the same at scale): claims with two lines each, their claim workflow's
state and steps (submit and adjudication completed with their times), payments on paid claims, and
appeals and write-offs on some denials. Dates of service spread over the 365 days before --today.

    .build/debug/rcm migrate --yes                       # DATABASE_URL=sqlite://…/rcm.sqlite
    python3 Benchmarks/seed-claims.py --database rcm.sqlite --claims 100000

Deterministic for a --seed. Not a test: the figures it makes are arbitrary, only their shape is
RCM's. The mix: 76 % paid in full, 6 % partly paid (a contractual cut, CARC 45), 8 % denied (a
quarter appealed, a quarter written off), 4 % stopped before submission, 6 % submitted and waiting.
"""
import argparse
import datetime
import json
import random
import sqlite3
import uuid

PAYERS = ["DEMO-HEALTH-INSURANCE", "ACME-MUTUAL", "STATE-SCHEME", "CITY-HEALTH"]
PROVIDERS = ["HFR-DEMO-0042", "HFR-DEMO-0043", "HFR-DEMO-0044"]


def epoch(day, hour=10):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.timezone.utc).timestamp()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True, help="a migrated SQLite file")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--today", default="2026-12-05")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    today = datetime.date.fromisoformat(args.today)
    db = sqlite3.connect(args.database)
    db.execute("PRAGMA journal_mode=WAL")
    claims, lines, workflows, steps, payments, actions = [], [], [], [], [], []

    def flush():
        db.executemany("INSERT INTO claims VALUES (" + ",".join("?" * 19) + ")", claims)
        db.executemany("INSERT INTO claim_lines VALUES (" + ",".join("?" * 13) + ")", lines)
        db.executemany("INSERT INTO workflow_state VALUES (" + ",".join("?" * 11) + ")", workflows)
        db.executemany("INSERT INTO workflow_steps VALUES (" + ",".join("?" * 14) + ")", steps)
        db.executemany("INSERT INTO payments VALUES (" + ",".join("?" * 10) + ")", payments)
        db.executemany("INSERT INTO denial_actions VALUES (" + ",".join("?" * 10) + ")", actions)
        db.commit()
        for table in (claims, lines, workflows, steps, payments, actions):
            table.clear()

    for index in range(args.claims):
        claim_id = str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper()
        service = today - datetime.timedelta(days=rng.randrange(365))
        roll = rng.random()
        outcome = ("paid" if roll < 0.76 else "partially_paid" if roll < 0.82 else "denied" if roll < 0.90
                   else "rejected" if roll < 0.94 else "pending")
        prices = [rng.randrange(50_000, 500_000), rng.randrange(10_000, 200_000)]
        billed = sum(prices)
        approved = [0, 0] if outcome == "denied" else list(prices)
        reasons = [None, None]
        if outcome == "partially_paid":
            approved[0] = prices[0] * 8 // 10
            reasons[0] = '["45"]'
        if outcome == "denied":
            reasons = ['["96"]', '["96"]']
        adjudicated = outcome in ("paid", "partially_paid", "denied")
        submitted = outcome != "rejected"
        created = epoch(service + datetime.timedelta(days=1))
        findings = ('[{"field":"Claim.diagnosis[0]","message":"unknown code","severity":"error"}]'
                    if outcome == "rejected" else "[]")
        claims.append((claim_id, f"seed:{index}", "https://rcm.example/claims", f"SEED-{index:07d}", None, "claim",
                       f"Patient/SEED-{index % 40_000:05d}", PAYERS[index % len(PAYERS)],
                       PROVIDERS[index % len(PROVIDERS)], service.isoformat(), "INR", billed,
                       sum(approved) if adjudicated else None, outcome, '["J06.9"]', findings, "{}", created,
                       created))
        for sequence in (1, 2):
            lines.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper(), claim_id, sequence,
                          sequence, "https://rcm.example/chargemaster", "OP-CONSULT-GP", None, "1", "INR",
                          prices[sequence - 1], prices[sequence - 1],
                          approved[sequence - 1] if adjudicated else None, reasons[sequence - 1]))
        workflow = f"claim-{claim_id.lower()}"
        status = "COMPLETED" if adjudicated or outcome == "rejected" else "IN_PROGRESS"
        workflows.append((workflow, "claim", status, json.dumps({"claimID": claim_id.lower()}),
                          "adjudication" if status == "IN_PROGRESS" else None, None, None, created, created, None,
                          None))
        submit_day = service + datetime.timedelta(days=rng.randrange(1, 6))
        decision_day = submit_day + datetime.timedelta(days=rng.randrange(3, 30))
        if submitted:
            steps.append((str(uuid.uuid4()).upper(), workflow, "submit", 7, "COMPLETED", 1, None, None, None, None,
                          epoch(submit_day), epoch(submit_day) + 1, None, 1000))
        if adjudicated:
            steps.append((str(uuid.uuid4()).upper(), workflow, "adjudication", 8, "COMPLETED", 1, None, None, None,
                          None, epoch(submit_day), epoch(decision_day), None, 1000))
        if outcome in ("paid", "partially_paid"):
            paid_day = decision_day + datetime.timedelta(days=rng.randrange(1, 15))
            payments.append((str(uuid.uuid4()).upper(), f"SEED-PAY-{index:07d}", claim_id, sum(approved), "INR",
                             paid_day.isoformat(), "payment", None, "hcx", epoch(paid_day)))
        if outcome == "denied" and index % 4 in (0, 1):
            action = "appeal" if index % 4 == 0 else "write_off"
            actions.append((str(uuid.uuid4()).upper(), claim_id, action, "seeded", "cli:seed",
                            epoch(decision_day + datetime.timedelta(days=2)),
                            billed if action == "write_off" else None, "INR" if action == "write_off" else None,
                            None, claim_id if action == "write_off" else None))
        if len(claims) >= 5_000:
            flush()
    flush()
    count = db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    print(f"{args.database}: {count} claims")


if __name__ == "__main__":
    main()
