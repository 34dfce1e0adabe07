#!/usr/bin/env python3
"""The read API under load (issue 22's benchmark, not a test): wrk at 50 connections against
`rcm serve` for /health/live (the framework's own rate, the in-run reference) and the billing
office's reads — the claims list, one claim, the denial queue, code search — for each binary
given, the binaries alternating route by route on the same database, so that the ratios hold
however fast the machine is today.

    python3 Benchmarks/api-benchmark.py --rcm OLD --rcm NEW --database sqlite:///path/db.sqlite

The database must hold claims (`Benchmarks/seed.sh`, or `rcm process`); it is migrated first with
the last binary given. Prints,
per binary and route, requests/s, p50/p99 (ms) and the ratio to /health/live, against the targets
(claims ≥ 0.25× /health/live and p99 ≤ 25 ms, code search p99 ≤ 10 ms, denials p99 ≤ 25 ms); the
audit entries each run added against the requests it served (every read of patient data is
audited); RSS of `rcm serve` before and after; and `rcm audit verify` at the end.
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

TARGETS = {  # route name → (minimum ratio to /health/live or None, maximum p99 ms or None)
    "claims?limit=50": (0.25, 25.0),
    "claims/{id}": (0.25, 25.0),
    "denials?limit=50": (None, 25.0),
    "codes?q=diabetes": (None, 10.0),
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def wait_for(url, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer in {seconds} s")


def call(base, path, token=None, body=None):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode() if body else None,
                                     headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def milliseconds(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url, token, seconds, connections):
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if token:
        argv += ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(argv + [url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = milliseconds(re.search(r"\n\s+50%\s+(\S+)", out).group(1))
    p99 = milliseconds(re.search(r"\n\s+99%\s+(\S+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rate": rate, "p50": p50, "p99": p99, "requests": total, "non2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(1) if errors else ""}


def audit_count(rcm, env):
    out = subprocess.run([rcm, "audit", "verify"], env=env, capture_output=True, text=True).stdout
    match = re.search(r"intact: (\d+) entries", out)
    return int(match.group(1)) if match else -1, out.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rcm", action="append", required=True, help="a binary (repeat to compare)")
    parser.add_argument("--database", required=True, help="DATABASE_URL of a migrated database with claims")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1, help="times each route is run per binary")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="rcm-api-bench-")
    env = {k: v for k, v in os.environ.items() if k not in ("HCX_BASE_URL", "RCM_NOW")}
    env.update({"DATABASE_URL": args.database, "LOG_LEVEL": "warning",
                "RCM_KEYS_DIR": env.get("RCM_KEYS_DIR", os.path.join(folder, "keys")),
                "RCM_JWT_SIGNING_KEY": "api-benchmark signing key, 32 bytes or more"})
    rcm0 = os.path.abspath(args.rcm[0])
    # The newest binary's migrations (an older binary serves a database with more applied).
    subprocess.run([os.path.abspath(args.rcm[-1]), "migrate", "--yes"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    email, password = f"bench-{os.getpid()}@api.test", "api benchmark password"
    subprocess.run([rcm0, "users", "create", "--email", email, "--role", "billing_manager", "--password-stdin"],
                   env=env, input=password + "\n", text=True, check=True, stdout=subprocess.DEVNULL)

    results = {}  # (binary index, route) → list of runs
    memory = {}
    for round_number in range(args.rounds):
        for index, binary in enumerate(args.rcm):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            log = open(os.path.join(folder, f"serve-{index}.log"), "w")
            server = subprocess.Popen([os.path.abspath(binary), "serve", "--port", str(port)], env=env,
                                      stdout=log, stderr=subprocess.STDOUT)
            try:
                wait_for(base + "/health/ready")
                token = call(base, "/api/v1/auth/login", body={"email": email, "password": password})["access_token"]
                claims = call(base, "/api/v1/claims?limit=50", token)
                claim_id = claims["claims"][0]["id"]
                # Code search's word index is built in the background at start: one search waits for it.
                call(base, "/api/v1/codes/icd-10-cm?q=diabetes", token)
                before_rss = rss_mb(server.pid)
                routes = [("/health/live", "/health/live", None),
                          ("claims?limit=50", "/api/v1/claims?limit=50", token),
                          ("claims/{id}", f"/api/v1/claims/{claim_id}", token),
                          ("denials?limit=50", "/api/v1/denials?limit=50", token),
                          ("codes?q=diabetes", "/api/v1/codes/icd-10-cm?q=diabetes", token)]
                for name, path, bearer in routes:
                    audited_before, _ = audit_count(rcm0, env)
                    run = wrk(base + path, bearer, args.seconds, args.connections)
                    audited_after, _ = audit_count(rcm0, env)
                    run["audited"] = audited_after - audited_before
                    results.setdefault((index, name), []).append(run)
                memory.setdefault(index, []).append((before_rss, rss_mb(server.pid)))
            finally:
                server.terminate()
                server.wait(timeout=30)
                log.close()

    print(f"wrk {args.seconds} s at {args.connections} connections, {os.cpu_count()} cores, {args.database}")
    print(f"{'binary':>6} {'route':<18} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'× live':>7} "
          f"{'audited/requests':>18}  target")
    failed = False
    for index, binary in enumerate(args.rcm):
        live = max(r["rate"] for r in results[(index, "/health/live")])
        for name in ["/health/live"] + list(TARGETS):
            best = max(results[(index, name)], key=lambda r: r["rate"])
            ratio = best["rate"] / live
            verdict = ""
            if name in TARGETS:
                minimum, p99 = TARGETS[name]
                ok = best["requests"] > 0 and (minimum is None or ratio >= minimum) and (
                    p99 is None or best["p99"] <= p99)
                failed |= not ok and index == len(args.rcm) - 1
                verdict = ("met" if ok else "MISSED") + (f" (≥ {minimum}×" if minimum else " (") + \
                    (f", p99 ≤ {p99:g} ms)" if minimum else f"p99 ≤ {p99:g} ms)")
            audited = "" if name == "/health/live" else f"{best['audited']}/{best['requests']}"
            extra = f" non-2xx {best['non2xx']}" if best["non2xx"] else ""
            if best["requests"] == 0:
                extra += f" — no request finished in {args.seconds} s (wrk's timeout 10 s)"
            print(f"{index:>6} {name:<18} {best['rate']:9.0f} {best['p50']:8.2f} {best['p99']:8.2f} {ratio:7.3f} "
                  f"{audited:>18}  {verdict}{extra}")
        for before, after in memory[index]:
            print(f"{index:>6} rss of rcm serve: {before:.0f} MB at start, {after:.0f} MB after the runs")
    for index, binary in enumerate(args.rcm):
        print(f"binary {index}: {binary}")
    count, verdict = audit_count(rcm0, env)
    print(verdict)
    sys.exit(1 if failed or count < 0 else 0)


if __name__ == "__main__":
    main()
