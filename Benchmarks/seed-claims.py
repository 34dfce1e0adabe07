#!/usr/bin/env python3
"""Seeds an RCM database (SQLite, or PostgreSQL through `psql`'s COPY) with N claims at the shape
the stores write (issue 20's
benchmark; issue 22 asks for the same at scale): claims with two lines each, their claim workflow's
state and steps (submit and adjudication completed with their times), payments on paid claims, and
appeals and write-offs on some denials. Dates of service spread over the 365 days before --today.

    .build/debug/rcm migrate --yes                       # DATABASE_URL=sqlite://…/rcm.sqlite
    python3 Benchmarks/seed-claims.py --database rcm.sqlite --claims 100000
    python3 Benchmarks/seed-claims.py --postgres postgres://rcm:rcm@127.0.0.1/rcm --claims 1000000

Deterministic for a --seed. Not a test: the figures it makes are arbitrary, only their shape is
RCM's. The mix: 76 % paid in full, 6 % partly paid (a contractual cut, CARC 45), 8 % denied (a
quarter appealed, a quarter written off), 4 % stopped before submission, 6 % submitted and waiting.
"""
import argparse
import csv
import datetime
import io
import json
import random
import sqlite3
import subprocess
import uuid

PAYERS = ["DEMO-HEALTH-INSURANCE", "ACME-MUTUAL", "STATE-SCHEME", "CITY-HEALTH"]
PROVIDERS = ["HFR-DEMO-0042", "HFR-DEMO-0043", "HFR-DEMO-0044"]


class Stamp(float):
    """A time: seconds since 1970 in SQLite (as Fluent stores it), a timestamptz in PostgreSQL."""


def epoch(day, hour=10):
    return Stamp(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.timezone.utc).timestamp())


TABLES = ["claims", "claim_lines", "workflow_state", "workflow_steps", "payments", "denial_actions"]


class SQLiteWriter:
    def __init__(self, path):
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")

    def write(self, table, rows):
        if rows:
            plain = [[float(v) if isinstance(v, Stamp) else v for v in row] for row in rows]
            self.db.executemany(f"INSERT INTO {table} VALUES (" + ",".join("?" * len(rows[0])) + ")", plain)

    def commit(self):
        self.db.commit()

    def count(self):
        return self.db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]


class PostgresWriter:
    """COPY … FROM STDIN in CSV through psql, a table at a time (claims before their lines)."""

    def __init__(self, url):
        self.url = url

    def write(self, table, rows):
        if not rows:
            return
        text = io.StringIO()
        out = csv.writer(text)
        for row in rows:
            out.writerow([
                "" if v is None else
                datetime.datetime.fromtimestamp(v, datetime.timezone.utc).isoformat() if isinstance(v, Stamp) else v
                for v in row])
        subprocess.run(["psql", self.url, "-q", "-v", "ON_ERROR_STOP=1", "-c",
                        f"COPY {table} FROM STDIN WITH (FORMAT csv, NULL '')"],
                       input=text.getvalue().encode(), check=True)

    def commit(self):
        pass

    def count(self):
        return int(subprocess.run(["psql", self.url, "-Atc", "SELECT COUNT(*) FROM claims"], check=True,
                                  capture_output=True).stdout)


def main():
    parser = argparse.ArgumentParser()
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--database", help="a migrated SQLite file")
    target.add_argument("--postgres", help="a migrated PostgreSQL database's URL (psql must be installed)")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--today", default="2026-12-05")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    today = datetime.date.fromisoformat(args.today)
    writer = SQLiteWriter(args.database) if args.database else PostgresWriter(args.postgres)
    claims, lines, workflows, steps, payments, actions = [], [], [], [], [], []

    def flush():
        for table, rows in zip(TABLES, (claims, lines, workflows, steps, payments, actions)):
            writer.write(table, rows)
            rows.clear()
        writer.commit()

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
                       sum(approved) if adjudicated else None, outcome, '[{"code":"J06.9","system":"http://hl7.org/fhir/sid/icd-10-cm"}]', findings, "{}", created,
                       created))
        for sequence in (1, 2):
            lines.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper(), claim_id, sequence,
                          sequence, "https://rcm.example/chargemaster", "OP-CONSULT-GP", None, "1", "INR",
                          prices[sequence - 1], prices[sequence - 1],
                          approved[sequence - 1] if adjudicated else None, reasons[sequence - 1]))
        workflow = f"claim-{claim_id.lower()}"
        status = "COMPLETED" if adjudicated or outcome == "rejected" else "IN_PROGRESS"
        # A run waiting for its payer is due again at its wait's deadline (as the engine writes it),
        # not at once: a worker would otherwise take every seeded waiting run up straight away.
        deadline = Stamp(epoch(today + datetime.timedelta(days=30))) if status == "IN_PROGRESS" else None
        workflows.append((workflow, "claim", status, json.dumps({"claimID": claim_id.lower()}),
                          "adjudication" if status == "IN_PROGRESS" else None, None, deadline, created, created, None,
                          None))
        submit_day = service + datetime.timedelta(days=rng.randrange(1, 6))
        decision_day = submit_day + datetime.timedelta(days=rng.randrange(3, 30))
        if submitted:
            steps.append((str(uuid.uuid4()).upper(), workflow, "submit", 7, "COMPLETED", 1, None, None, None, None,
                          epoch(submit_day), Stamp(epoch(submit_day) + 1), None, 1000))
        if adjudicated:
            steps.append((str(uuid.uuid4()).upper(), workflow, "adjudication", 8, "COMPLETED", 1, None, None, None,
                          None, epoch(submit_day), epoch(decision_day), None, 1000))
        elif status == "IN_PROGRESS":
            steps.append((str(uuid.uuid4()).upper(), workflow, "adjudication", 8, "RUNNING", 1, None, None,
                          f"hcx/claim/on_submit:seed-{index}", deadline, epoch(submit_day), None, None, None))
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
        if len(claims) >= (5_000 if args.database else 50_000):
            flush()
    flush()
    print(f"{args.database or args.postgres}: {writer.count()} claims")


if __name__ == "__main__":
    main()
