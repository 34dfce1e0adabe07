#!/usr/bin/env python3
"""Concurrent service test (issue 19): `rcm serve` with workers, behind the HCX sandbox, used at
once by a billing office's clients.

Starts `rcm sandbox` (the gateway and payer) and `rcm serve` (with workers) on loopback, creates a
biller and an auditor, then runs CLIENTS clients for SECONDS seconds, each doing in turn: post an
encounter, post a payment, list claims, read a claim, read the denial queue and appeal a denied
claim, refresh its token. Afterwards it waits for the workflows to settle and checks:

- no answer was a 5xx, and none was refused for the database being busy;
- no workflow FAILED for contention (`database is locked`, `busy`, serialization or deadlock
  errors, a pool timeout);
- every change a client saw succeed has its audit entry (claims taken in, payments posted,
  appeals), and `rcm audit verify` finds the chain intact.

Prints a table of what was done and found; exits 1 when a check fails.

Usage: service-load-test.py [--rcm .build/debug/rcm] [--clients 16] [--seconds 60]
       [--database sqlite|postgres] (postgres: DATABASE_URL from RCM_TEST_DATABASE_URL's server)
Python standard library only.
"""

import argparse
import collections
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

CONTENTION = re.compile(r"database is locked|busy|could not serialize|deadlock|connectionRequestTimeout|"
                        r"timed out waiting for a connection", re.IGNORECASE)
MEMBERS = ["MEM-55012", "MEM-55890", "2XX8971"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One rcm process, its output kept in a file."""

    def __init__(self, name, argv, env, folder):
        self.name = name
        self.log = open(os.path.join(folder, f"{name}.log"), "w")
        self.process = subprocess.Popen(argv, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def wait_for(url, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def call(base, method, path, token=None, body=None, timeout=60):
    """(status, parsed JSON or text)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except OSError as error:  # refused, reset, timed out: no answer at all
        return 0, str(error)
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode(errors="replace")


def encounter(client, index):
    identifier = f"LOAD-{client:02d}-{index:05d}-{uuid.uuid4().hex[:6]}"
    return identifier, {
        "encounter_id": identifier,
        "patient": {"id": f"MRN-{client:02d}{index:05d}", "birth_date": "1980-01-01"},
        "coverage": {"payer": "DEMO-HEALTH-INSURANCE", "member_id": random.choice(MEMBERS)},
        "provider": {"id": "HFR-DEMO-0042"},
        "service_start": "2026-11-20",
        "diagnoses": [{"code": random.choice(["J02.9", "J20.9", "I10", "E11.9"])}],
        "services": [{"system": "cpt", "code": "99213", "unit_price": f"{random.randint(5, 40) * 100}.00",
                      "units": 1}],
    }


def sql(env, query):
    """The rows of `query` on the run's database, `|`-separated, one per line."""
    url = env["DATABASE_URL"]
    if url.startswith("sqlite://"):
        import sqlite3
        with sqlite3.connect(url[len("sqlite://"):], timeout=30) as connection:
            rows = connection.execute(query).fetchall()
        return "\n".join("|".join(str(value) for value in row) for row in rows)
    return subprocess.run(["psql", url, "-At", "-c", query], capture_output=True, text=True, check=True).stdout.strip()


class Client(threading.Thread):
    def __init__(self, number, base, email, password, until, results):
        super().__init__(daemon=True)
        self.number, self.base, self.email, self.password = number, base, email, password
        self.until, self.results = until, results

    def record(self, action, status):
        with self.results.lock:
            self.results.statuses[(action, status)] += 1
            if status >= 500 or status == 0:  # 0: no answer (the connection refused or closed)
                self.results.server_errors += 1

    def run(self):
        status, tokens = call(self.base, "POST", "/api/v1/auth/login",
                              body={"email": self.email, "password": self.password})
        self.record("login", status)
        if status != 200:
            return
        access, refresh = tokens["access_token"], tokens["refresh_token"]
        taken = []
        index = 0
        while time.time() < self.until:
            index += 1
            identifier, body = encounter(self.number, index)
            status, answer = call(self.base, "POST", "/api/v1/encounters", access, body)
            self.record("encounter", status)
            if status == 202 and not answer.get("duplicate"):
                taken.append((answer["claimID"], identifier))
                with self.results.lock:
                    self.results.claims_taken += 1
            if taken:
                claim_id, claim_identifier = random.choice(taken)
                payment = {"payment_identifier": f"CHQ-{uuid.uuid4().hex[:10]}", "amount": "100.00",
                           "payment_date": "2026-11-25", "claim_identifier": claim_identifier}
                status, _ = call(self.base, "POST", "/api/v1/payments", access, payment)
                self.record("payment", status)
                if status == 201:
                    with self.results.lock:
                        self.results.payments_posted += 1
                status, _ = call(self.base, "GET", f"/api/v1/claims/{claim_id}", access)
                self.record("claim.read", status)
            status, _ = call(self.base, "GET", "/api/v1/claims?limit=50", access)
            self.record("claims.list", status)
            status, queue = call(self.base, "GET", "/api/v1/denials?limit=20", access)
            self.record("denials.list", status)
            if status == 200 and isinstance(queue, list) and queue and random.random() < 0.3:
                case = random.choice(queue)
                claim = case.get("claimID") or case.get("claim_id") or case.get("id")
                if claim:
                    status, _ = call(self.base, "POST", f"/api/v1/denials/{claim}/appeal", access,
                                     {"reason": "load test: medical necessity documented"})
                    self.record("denial.appeal", status)
                    if status == 200:
                        with self.results.lock:
                            self.results.appeals += 1
            if index % 5 == 0:
                status, tokens = call(self.base, "POST", "/api/v1/auth/refresh",
                                      body={"refresh_token": refresh})
                self.record("auth.refresh", status)
                if status == 200:
                    access, refresh = tokens["access_token"], tokens["refresh_token"]


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = collections.Counter()
        self.server_errors = 0
        self.claims_taken = 0
        self.payments_posted = 0
        self.appeals = 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rcm", default=".build/debug/rcm")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()

    rcm = os.path.abspath(args.rcm)
    folder = tempfile.mkdtemp(prefix="rcm-service-load-")
    env = dict(os.environ)
    for name in ["HCX_BASE_URL", "DATABASE_URL", "RCM_NOW"]:
        env.pop(name, None)
    env.update({"RCM_KEYS_DIR": os.path.join(folder, "keys"), "HCX_USERNAME": "rcm",
                "HCX_SECRET": "load-test-secret", "LOG_LEVEL": "warning", "RCM_WORKERS": "4",
                "RCM_ADJUDICATION_TIMEOUT_SECONDS": "60"})
    if args.database == "postgres":
        admin = os.environ.get("RCM_TEST_DATABASE_URL")
        if not admin:
            raise SystemExit("--database postgres needs RCM_TEST_DATABASE_URL (a role with CREATEDB)")
        database_name = "rcm_load_" + uuid.uuid4().hex[:12]
        subprocess.run(["psql", admin, "-q", "-c", f"CREATE DATABASE {database_name}"], check=True)
        parts = urllib.parse.urlsplit(admin)
        env["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path="/" + database_name))
    else:
        env["DATABASE_URL"] = "sqlite://" + os.path.join(folder, "rcm.sqlite")

    gateway_port, serve_port = free_port(), free_port()
    servers = []
    ok = True
    try:
        subprocess.run([rcm, "migrate", "--yes"], env=env, check=True, stdout=subprocess.DEVNULL)
        password = "load-test password 1"
        for email, role in [("biller@load.test", "biller"), ("auditor@load.test", "auditor")]:
            subprocess.run([rcm, "users", "create", "--email", email, "--role", role, "--password-stdin"],
                           env=env, input=password + "\n", text=True, check=True, stdout=subprocess.DEVNULL)
        servers.append(Server("sandbox", [rcm, "sandbox", "--port", str(gateway_port), "--state", "memory",
                                          "--provider-endpoint", f"http://127.0.0.1:{serve_port}/v0.7"],
                              env, folder))
        wait_for(f"http://127.0.0.1:{gateway_port}/v0.7/participant/search")
        serve_env = dict(env, HCX_BASE_URL=f"http://127.0.0.1:{gateway_port}/v0.7",
                         HCX_GATEWAY_CERT=os.path.join(folder, "keys", "sandbox-gateway.cert.pem"))
        servers.append(Server("serve", [rcm, "serve", "--port", str(serve_port)], serve_env, folder))
        base = f"http://127.0.0.1:{serve_port}"
        wait_for(base + "/health/ready")

        results = Results()
        until = time.time() + args.seconds
        clients = [Client(n, base, "biller@load.test", password, until, results) for n in range(args.clients)]
        started = time.time()
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        elapsed = time.time() - started

        # Let the workflows settle: none PENDING or IN_PROGRESS but those waiting on the payer.
        deadline = time.time() + 90
        while time.time() < deadline:
            busy = sql(env, "SELECT count(*) FROM workflow_state WHERE status IN ('PENDING', 'IN_PROGRESS')")
            if busy == "0":
                break
            time.sleep(2)
        statuses = dict(line.split("|") for line in sql(
            env, "SELECT status, count(*) FROM workflow_state GROUP BY status").splitlines() if line)
        failed_errors = [line for line in sql(
            env, "SELECT COALESCE(last_error, '') FROM workflow_state WHERE status = 'FAILED'").splitlines()]
        contention = [error for error in failed_errors if CONTENTION.search(error)]

        def audited(action):
            return int(sql(env, f"SELECT count(*) FROM audit_logs WHERE action = '{action}' AND outcome = 'success'"))

        audit_claims = audited("encounter.create")
        audit_payments = audited("payment.post")
        audit_appeals = audited("denial.appeal")
    finally:
        for server in reversed(servers):
            server.stop()
    verify = subprocess.run([rcm, "audit", "verify"], env=env, capture_output=True, text=True)

    rows = [
        ("clients × seconds", f"{args.clients} × {args.seconds:g} ({elapsed:.0f} s)"),
        ("requests", sum(results.statuses.values())),
        ("answers 5xx or none", results.server_errors),
        ("claims taken in / audited", f"{results.claims_taken} / {audit_claims}"),
        ("payments posted / audited", f"{results.payments_posted} / {audit_payments}"),
        ("appeals / audited", f"{results.appeals} / {audit_appeals}"),
        ("workflows by status", ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))),
        ("workflows FAILED (for contention)", f"{len(failed_errors)} ({len(contention)})"),
        ("rcm audit verify", verify.stdout.strip().splitlines()[-1] if verify.stdout.strip() else verify.stderr.strip()),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"\nConcurrent service test on {args.database}")
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")
    print("  answers by action and status: " + ", ".join(
        f"{action} {status}: {count}" for (action, status), count in sorted(results.statuses.items())))
    for error in contention[:5]:
        print("  contention:", error[:300])

    checks = [
        (results.server_errors == 0, "answers were 5xx, or none came"),
        (not contention, "workflows FAILED for contention"),
        (audit_claims >= results.claims_taken, "claims taken in without their audit entry"),
        (audit_payments >= results.payments_posted, "payments posted without their audit entry"),
        (audit_appeals >= results.appeals, "appeals without their audit entry"),
        (verify.returncode == 0, "the audit chain is not intact"),
        (results.claims_taken > 0, "no claim was taken in"),
    ]
    for passed, what in checks:
        if not passed:
            ok = False
            print(f"FAILED: {what}")
    if args.keep:
        print(f"  scratch folder: {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    if args.database == "postgres":
        subprocess.run(["psql", os.environ["RCM_TEST_DATABASE_URL"], "-q", "-c",
                        f"DROP DATABASE IF EXISTS {database_name} WITH (FORCE)"], check=False)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
