#!/usr/bin/env python3
"""Fault soak (issue 19): claims through the HCX sandbox with its faults on, on PostgreSQL, while
the database and the workers are knocked over.

Starts `rcm sandbox` (faults: 5xx answers, dropped, duplicated and late callbacks, latency),
`rcm serve --no-workers` (the API and the HCX callbacks) and one `rcm worker` process, posts
CLAIMS encounters through the API, and meanwhile:

- terminates RCM's PostgreSQL backends three times (`pg_terminate_backend`),
- SIGKILLs the worker process twice (and starts a new one each time),
- restarts PostgreSQL once (`pg_ctl restart -m fast`).

Then it waits until every claim is terminal and checks, per claim:

- its workflow is COMPLETED or FAILED (nothing left PENDING or IN_PROGRESS) and its outcome is not
  `pending`;
- the gateway accepted at most one `claim/submit` for it (the sandbox's counts), whatever was
  retried or re-sent — and exactly one unless its run FAILED (a gateway that answered 5xx to each
  of the HCX client's tries fails the step; resuming the run re-sends the recorded envelope);
- what RCM posted equals what the payer approved, to the cent (duplicated payment notices posted
  once);
- and `rcm audit verify` finds the audit chain intact.

Prints the figures as a table; exits 1 when a check fails.

Usage: fault-soak-test.py --pg-data DIR --pg-bin DIR [--rcm .build/debug/rcm] [--claims 1000]
       [--fault-interval SECONDS]   (RCM_TEST_DATABASE_URL: a role with CREATEDB on that server)
Python standard library only; run as root (pg_ctl runs as the postgres user) or as the server's owner.
"""

import argparse
import collections
import json
import os
import random
import re
import signal
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
service_load = __import__("service-load-test")  # the same process and HTTP helpers

call, free_port, wait_for, Server = (service_load.call, service_load.free_port, service_load.wait_for,
                                     service_load.Server)

UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
FAULTS = {"seed": 19, "latency_seconds": [0, 0.2], "server_error_rate": 0.05, "timeout_rate": 0,
          "timeout_seconds": 35, "drop_callback_rate": 0.02, "duplicate_callback_rate": 0.05,
          "late_callback_rate": 0.05, "late_seconds": 3, "out_of_order_rate": 0.05, "reorder_window_seconds": 2}


def psql(url, query, attempts=10):
    """The rows of `query`, `|`-separated; tried again for 10 s while the server (restarted by this
    test) is not answering yet, then an error with psql's own message."""
    for attempt in range(attempts):
        done = subprocess.run(["psql", url, "-At", "-c", query], capture_output=True, text=True)
        if done.returncode == 0:
            return done.stdout.strip()
        if attempt + 1 < attempts:
            time.sleep(1)
    raise SystemExit(f"psql failed: {done.stderr.strip()} ({query[:80]})")


def as_postgres(argv):
    return (["runuser", "-u", "postgres", "--"] + argv) if os.getuid() == 0 else argv


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rcm", default=".build/debug/rcm")
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--pg-data", required=True, help="the PostgreSQL server's data folder (for pg_ctl)")
    parser.add_argument("--pg-bin", required=True, help="the folder holding pg_ctl")
    parser.add_argument("--fault-interval", type=float, default=8, help="seconds between faults")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds to wait for every claim")
    parser.add_argument("--answer-timeout", type=float, default=15,
                        help="RCM_ADJUDICATION_TIMEOUT_SECONDS: how long a claim waits for each payer answer")
    args = parser.parse_args()

    admin = os.environ.get("RCM_TEST_DATABASE_URL")
    if not admin:
        raise SystemExit("RCM_TEST_DATABASE_URL is not set (a role with CREATEDB on the server)")
    rcm = os.path.abspath(args.rcm)
    folder = tempfile.mkdtemp(prefix="rcm-fault-soak-")
    database_name = "rcm_soak_" + uuid.uuid4().hex[:12]
    psql(admin, f"CREATE DATABASE {database_name}")
    url = urllib.parse.urlunsplit(urllib.parse.urlsplit(admin)._replace(path="/" + database_name))
    rules = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sandbox", "rules.json")))
    rules["faults"] = FAULTS
    # Members without a sum insured that a thousand claims would exhaust.
    for member in rules["members"]:
        if member["status"] == "active":
            member["sum_insured"] = "100000000.00"
    rules_path = os.path.join(folder, "rules.json")
    json.dump(rules, open(rules_path, "w"))

    env = dict(os.environ)
    for name in ["HCX_BASE_URL", "RCM_NOW"]:
        env.pop(name, None)
    env.update({"DATABASE_URL": url, "RCM_KEYS_DIR": os.path.join(folder, "keys"), "HCX_USERNAME": "rcm",
                "HCX_SECRET": "soak-secret", "LOG_LEVEL": "warning", "RCM_WORKERS": "8",
                "RCM_ADJUDICATION_TIMEOUT_SECONDS": f"{args.answer_timeout:g}", "RCM_LEASE_SECONDS": "15",
                "RCM_STEP_TIMEOUT_SECONDS": "60"})
    gateway_port, serve_port = free_port(), free_port()
    gateway = f"http://127.0.0.1:{gateway_port}"
    serve_env = dict(env, HCX_BASE_URL=f"{gateway}/v0.7",
                     HCX_GATEWAY_CERT=os.path.join(folder, "keys", "sandbox-gateway.cert.pem"))
    servers = []
    workers = []
    faults = collections.Counter()
    ok = True
    try:
        subprocess.run([rcm, "migrate", "--yes"], env=env, check=True, stdout=subprocess.DEVNULL)
        password = "soak password 1"
        subprocess.run([rcm, "users", "create", "--email", "biller@soak.test", "--role", "biller", "--password-stdin"],
                       env=env, input=password + "\n", text=True, check=True, stdout=subprocess.DEVNULL)
        servers.append(Server("sandbox", [rcm, "sandbox", "--port", str(gateway_port), "--state", "memory",
                                          "--rules", rules_path,
                                          "--provider-endpoint", f"http://127.0.0.1:{serve_port}/v0.7"], env, folder))
        wait_for(f"{gateway}/v0.7/participant/search")
        servers.append(Server("serve", [rcm, "serve", "--no-workers", "--port", str(serve_port)], serve_env, folder))
        base = f"http://127.0.0.1:{serve_port}"
        wait_for(base + "/health/ready")
        workers.append(Server("worker-1", [rcm, "worker"], serve_env, folder))

        status, tokens = call(base, "POST", "/api/v1/auth/login", body={"email": "biller@soak.test", "password": password})
        token = tokens["access_token"]
        started = time.time()
        posted = []
        lock = threading.Lock()
        queue = list(range(args.claims))

        def post_claims():
            while True:
                with lock:
                    if not queue:
                        return
                    index = queue.pop()
                identifier, body = service_load.encounter(99, index)
                for attempt in range(30):  # the database restarts meanwhile: the client tries again
                    code, answer = call(base, "POST", "/api/v1/encounters", token, body)
                    if code == 202:
                        with lock:
                            posted.append(answer["claimID"])
                        break
                    faults["encounter posts tried again (status %d)" % code] += 1
                    time.sleep(1)

        posters = [threading.Thread(target=post_claims, daemon=True) for _ in range(8)]
        for thread in posters:
            thread.start()

        schedule = ["terminate", "kill-worker", "restart", "terminate", "kill-worker", "terminate"]
        for number, fault in enumerate(schedule):
            time.sleep(args.fault_interval)
            if fault == "terminate":
                count = psql(admin, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                    f"WHERE datname = '{database_name}' AND pid <> pg_backend_pid()")
                faults[f"backends terminated (3 times)"] += int(count or 0)
            elif fault == "kill-worker":
                workers[-1].process.send_signal(signal.SIGKILL)
                workers[-1].stop()
                workers.append(Server(f"worker-{len(workers) + 1}", [rcm, "worker"], serve_env, folder))
                faults["worker SIGKILLed"] += 1
            elif fault == "restart":
                subprocess.run(as_postgres([os.path.join(args.pg_bin, "pg_ctl"), "-D", args.pg_data, "-m", "fast",
                                            "-w", "restart"]), check=True, stdout=subprocess.DEVNULL)
                faults["PostgreSQL restarted"] += 1
        for thread in posters:
            thread.join()

        deadline = time.time() + args.timeout
        while time.time() < deadline:
            busy = psql(url, "SELECT count(*) FROM workflow_state WHERE status IN ('PENDING', 'IN_PROGRESS')")
            if busy == "0":
                break
            time.sleep(3)
        elapsed = time.time() - started
        workflows = dict(line.split("|") for line in psql(
            url, "SELECT status, count(*) FROM workflow_state GROUP BY status").splitlines() if line)
        outcomes = dict(line.split("|") for line in psql(
            url, "SELECT outcome, count(*) FROM claims GROUP BY outcome").splitlines() if line)
        failed_reasons = collections.Counter(UUID_PATTERN.sub("…", line)[:120] for line in psql(
            url, "SELECT COALESCE(last_error, '') FROM workflow_state WHERE status = 'FAILED'").splitlines())
        # Money: posted per claim against what the payer approved.
        money = [line.split("|") for line in psql(url, """
            SELECT c.id, c.outcome, COALESCE(c.approved_total_minor, 0), COALESCE(SUM(p.amount_minor), 0)
            FROM claims c LEFT JOIN payments p ON p.claim_id = c.id
            GROUP BY c.id, c.outcome, c.approved_total_minor""").splitlines() if line]
        paid_wrong = [row for row in money if row[1] in ("paid", "partially_paid") and row[2] != row[3]]
        # One accepted claim/submit per claim, as the gateway counts them.
        correlations = [line for line in psql(
            url, "SELECT correlation_id FROM hcx_messages WHERE direction = 'outbound' "
                 "AND operation = '/claim/submit'").splitlines() if line]
        # One submission cycle per claim: two recorded claim/submit messages for one claim would be
        # two submissions under different ids, which the per-message counts below cannot see.
        resubmitted = [line for line in psql(
            url, "SELECT claim_id FROM hcx_messages WHERE direction = 'outbound' AND operation = '/claim/submit' "
                 "GROUP BY claim_id HAVING count(*) > 1").splitlines() if line]
        accepted = collections.Counter()
        unlike_once = []  # (correlation id, the gateway's counts) for a claim not accepted exactly once
        for correlation in correlations:
            code, counts = call(gateway, "GET", "/sandbox/counts?correlation_id=" + correlation)
            times = (counts or {}).get("by_operation", {}).get("claim.submit", 0)
            accepted[times] += 1
            if times != 1:
                unlike_once.append((correlation, counts))
        # What RCM knows of each such claim, to say why (its run, its messages, the gateway's refusals).
        unlike_once_details = []
        for correlation, counts in unlike_once:
            unlike_once_details.append((correlation, counts, psql(url, f"""
                SELECT m.claim_id, w.status, COALESCE(w.current_step, ''), COALESCE(w.last_error, ''),
                       (SELECT string_agg(o.operation || ' ' || o.api_call_id || ' ack '
                                          || COALESCE(left(o.acknowledgement, 80), 'none'), '; ' ORDER BY o.created_at)
                        FROM hcx_messages o WHERE o.claim_id = m.claim_id AND o.direction = 'outbound')
                FROM hcx_messages m LEFT JOIN workflow_state w ON w.id = 'claim-' || m.claim_id::text
                WHERE m.correlation_id = '{correlation}' AND m.direction = 'outbound' LIMIT 1""")))
    finally:
        for server in reversed(servers + workers):
            server.stop()
    verify = subprocess.run([rcm, "audit", "verify"], env=env, capture_output=True, text=True)

    terminal_claims = sum(int(count) for outcome, count in outcomes.items() if outcome != "pending")
    rows = [
        ("claims posted", f"{len(posted)} of {args.claims} ({elapsed:.0f} s to settle)"),
        ("faults", ", ".join(f"{name}: {count}" for name, count in sorted(faults.items()))),
        ("sandbox faults", ", ".join(f"{k} {v}" for k, v in FAULTS.items() if k.endswith("rate") and v)),
        ("workflows by status", ", ".join(f"{k} {v}" for k, v in sorted(workflows.items()))),
        ("claims by outcome", ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))),
        ("claims terminal", f"{terminal_claims} of {len(posted)}"),
        ("claim/submit accepted per submitted claim", ", ".join(
            f"{times}×: {claims} claims" for times, claims in sorted(accepted.items()))),
        ("paid claims with posted ≠ approved", len(paid_wrong)),
        ("rcm audit verify", verify.stdout.strip().splitlines()[-1] if verify.stdout.strip() else verify.stderr.strip()),
    ]
    width = max(len(name) for name, _ in rows)
    print("\nFault soak on PostgreSQL")
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")
    for reason, count in failed_reasons.most_common(5):
        print(f"  FAILED workflows, {count}: {reason}")
    # Accepted more than once is a double submission: never allowed. Never accepted is allowed only
    # for a run that FAILED (e.g. the gateway answered 5xx to every retry of the HCX client): the
    # envelope is recorded, and resuming the run re-sends it with the same ids (README, Reliability).
    twice = [c for c, counts, _ in unlike_once_details if (counts or {}).get("by_operation", {}).get("claim.submit", 0) > 1]
    never_completed = [c for c, counts, detail in unlike_once_details
                       if (counts or {}).get("by_operation", {}).get("claim.submit", 0) == 0
                       and detail.split("|")[1:2] != ["FAILED"]]
    for correlation, counts, detail in unlike_once_details[:10]:
        print(f"  claim/submit {correlation}: gateway counts {json.dumps(counts)}; RCM (claim|run|step|error|sent): {detail}")
    for row in paid_wrong[:5]:
        print(f"  posted ≠ approved: claim {row[0]} approved {row[2]} posted {row[3]} (minor units)")

    checks = [
        (len(posted) == args.claims, "not every encounter could be posted"),
        (workflows.get("PENDING", "0") == "0" and workflows.get("IN_PROGRESS", "0") == "0",
         "workflows were left unfinished"),
        (terminal_claims == len(posted), "claims were left pending"),
        (not twice, "a claim was accepted by the gateway more than once"),
        (not resubmitted, f"claims were submitted in more than one cycle: {resubmitted[:5]}"),
        (not never_completed, "a claim's workflow completed though the gateway never accepted its submission"),
        (not paid_wrong, "posted differs from approved"),
        (verify.returncode == 0, "the audit chain is not intact"),
    ]
    for passed, what in checks:
        if not passed:
            ok = False
            print(f"FAILED: {what}")
    psql(admin, f"DROP DATABASE IF EXISTS {database_name} WITH (FORCE)")
    shutil.rmtree(folder, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
