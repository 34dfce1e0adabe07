#!/usr/bin/env python3
"""Worker scaling (issue 22's benchmark, not a test): claims per second through `rcm serve
--no-workers` and 1, 2, 3… `rcm worker` processes on one PostgreSQL database, behind `rcm sandbox`
(no faults), on this machine.

For each worker count, on a fresh database: starts the sandbox, the server and the workers, posts
CLAIMS encounters through the API (8 client threads), and times from the first post until every
claim's workflow is terminal. Prints claims/s per worker count and the ratio to one worker, with
the CPU seconds each process used (where the time went: the workers, the server answering the
payer's callbacks, the sandbox, PostgreSQL).

    RCM_TEST_DATABASE_URL=postgres://rcm:rcm@127.0.0.1:5432/rcm \\
        python3 Benchmarks/worker-scaling.py --rcm .build-bench/release/rcm --claims 600 --workers 1 2 3

RCM_TEST_DATABASE_URL: a role with CREATEDB on the server. Python standard library only.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
service_load = __import__("service-load-test")  # the same process and HTTP helpers
call, free_port, wait_for, Server = (service_load.call, service_load.free_port, service_load.wait_for,
                                     service_load.Server)


def psql(url, query):
    return subprocess.run(["psql", url, "-At", "-c", query], capture_output=True, text=True, check=True).stdout.strip()


def cpu_seconds(pid):
    """User + system CPU seconds of a process (and its reaped children) so far, from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def postgres_cpu_seconds(database):
    """CPU seconds of the PostgreSQL backends serving `database` (summed from /proc)."""
    total = 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if database.encode() not in cmdline.read():
                    continue
            total += cpu_seconds(pid)
        except OSError:
            continue
    return total


def run(rcm, admin, workers, claims, folder):
    database = "rcm_scaling_" + uuid.uuid4().hex[:12]
    psql(admin, f"CREATE DATABASE {database}")
    url = urllib.parse.urlunsplit(urllib.parse.urlsplit(admin)._replace(path="/" + database))
    rules = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sandbox", "rules.json")))
    for member in rules["members"]:
        if member["status"] == "active":
            member["sum_insured"] = "100000000.00"
    rules_path = os.path.join(folder, "rules.json")
    json.dump(rules, open(rules_path, "w"))
    env = dict(os.environ)
    for name in ["HCX_BASE_URL", "RCM_NOW"]:
        env.pop(name, None)
    env.update({"DATABASE_URL": url, "RCM_KEYS_DIR": os.path.join(folder, "keys"), "HCX_USERNAME": "rcm",
                "HCX_SECRET": "scaling-secret", "LOG_LEVEL": "warning"})
    gateway_port, serve_port = free_port(), free_port()
    gateway = f"http://127.0.0.1:{gateway_port}"
    serve_env = dict(env, HCX_BASE_URL=f"{gateway}/v0.7",
                     HCX_GATEWAY_CERT=os.path.join(folder, "keys", "sandbox-gateway.cert.pem"))
    processes = []
    try:
        subprocess.run([rcm, "migrate", "--yes"], env=env, check=True, stdout=subprocess.DEVNULL)
        password = "scaling password 1"
        subprocess.run([rcm, "users", "create", "--email", "biller@scaling.test", "--role", "biller",
                        "--password-stdin"], env=env, input=password + "\n", text=True, check=True,
                       stdout=subprocess.DEVNULL)
        sandbox = Server("sandbox", [rcm, "sandbox", "--port", str(gateway_port), "--state", "memory", "--rules",
                                     rules_path, "--provider-endpoint", f"http://127.0.0.1:{serve_port}/v0.7"],
                         env, folder)
        processes.append(sandbox)
        wait_for(f"{gateway}/v0.7/participant/search")
        serve = Server("serve", [rcm, "serve", "--no-workers", "--port", str(serve_port)], serve_env, folder)
        processes.append(serve)
        base = f"http://127.0.0.1:{serve_port}"
        wait_for(base + "/health/ready")
        worker_processes = [Server(f"worker-{n + 1}", [rcm, "worker"], serve_env, folder) for n in range(workers)]
        processes += worker_processes
        token = call(base, "POST", "/api/v1/auth/login",
                     body={"email": "biller@scaling.test", "password": password})[1]["access_token"]
        before = {server.name: cpu_seconds(server.process.pid) for server in processes}
        queue = list(range(claims))
        lock = threading.Lock()
        refused = []

        def post():
            while True:
                with lock:
                    if not queue:
                        return
                    index = queue.pop()
                _, body = service_load.encounter(7, index)
                code, _ = call(base, "POST", "/api/v1/encounters", token, body)
                if code != 202:
                    refused.append(code)

        started = time.time()
        posters = [threading.Thread(target=post, daemon=True) for _ in range(8)]
        for thread in posters:
            thread.start()
        for thread in posters:
            thread.join()
        while psql(url, "SELECT count(*) FROM workflow_state WHERE status IN ('PENDING', 'IN_PROGRESS')") != "0":
            time.sleep(0.2)
        elapsed = time.time() - started
        used = {server.name: cpu_seconds(server.process.pid) - before[server.name] for server in processes}
        outcomes = psql(url, "SELECT outcome || ' ' || count(*) FROM claims GROUP BY outcome ORDER BY outcome")
        postgres = postgres_cpu_seconds(database)
        return elapsed, used, postgres, outcomes.replace("\n", ", "), refused
    finally:
        for server in reversed(processes):
            server.stop()
        psql(admin, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rcm", default=".build-bench/release/rcm")
    parser.add_argument("--claims", type=int, default=600)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    admin = os.environ.get("RCM_TEST_DATABASE_URL")
    if not admin:
        raise SystemExit("RCM_TEST_DATABASE_URL is not set (a role with CREATEDB on the server)")
    rcm = os.path.abspath(args.rcm)
    rates = {}
    print(f"{args.claims} encounters through rcm serve --no-workers + N rcm worker, PostgreSQL, "
          f"{os.cpu_count()} cores")
    for workers in args.workers:
        folder = tempfile.mkdtemp(prefix="rcm-worker-scaling-")
        try:
            elapsed, used, postgres, outcomes, refused = run(rcm, admin, workers, args.claims, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        rates[workers] = args.claims / elapsed
        worker_cpu = sum(seconds for name, seconds in used.items() if name.startswith("worker"))
        print(f"  {workers} worker(s): {rates[workers]:6.1f} claims/s ({elapsed:.1f} s), "
              f"{rates[workers] / rates[args.workers[0]]:.2f}× of {args.workers[0]}; CPU s: workers {worker_cpu:.1f}, "
              f"serve {used['serve']:.1f}, sandbox {used['sandbox']:.1f}, PostgreSQL {postgres:.1f}; {outcomes}"
              + (f"; posts refused: {refused[:5]}" if refused else ""))


if __name__ == "__main__":
    main()
