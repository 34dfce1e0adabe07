#!/usr/bin/env python3
"""The API against its contract (issue 21): `rcm serve` on loopback behind the HCX sandbox, its
SQLite database seeded by `rcm process samples/`, checked by Schemathesis (PyPI, 4.x) with an
admin's bearer token on every operation of `/openapi.json` — no 5xx, every status, media type,
header and body as documented — and then without a token: every protected operation answers 401
and nothing else.

    python3 scripts/api-contract-test.py --rcm .build/debug/rcm --schemathesis .venv-contract/bin/schemathesis

Bounded for CI (`--max-examples`, `--seconds`); the full size is a benchmark, not a test.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
service_load = __import__("service-load-test")  # the same process and HTTP helpers

call, free_port, wait_for, Server = (service_load.call, service_load.free_port, service_load.wait_for,
                                     service_load.Server)

CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,"
          "response_schema_conformance,response_headers_conformance")


def unauthenticated(base, document):
    """Every operation with a security requirement, called without credentials: 401 only."""
    failures, checked = [], 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "put", "post", "delete", "patch"):
                continue
            security = operation.get("security", document.get("security", []))
            if not security:
                continue
            concrete = path
            for parameter in [p for p in item.get("parameters", []) + operation.get("parameters", [])]:
                if "$ref" in parameter:
                    parameter = document["components"]["parameters"][parameter["$ref"].split("/")[-1]]
                if parameter.get("in") == "path":
                    concrete = concrete.replace("{" + parameter["name"] + "}", "00000000-0000-4000-8000-000000000000")
            status, body = call(base, method.upper(), concrete, body={} if method == "post" else None)
            checked += 1
            if status != 401:
                failures.append(f"{method.upper()} {path}: {status} {str(body)[:200]}")
    return checked, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rcm", default=".build/debug/rcm")
    parser.add_argument("--schemathesis", default="schemathesis")
    parser.add_argument("--max-examples", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=900, help="the Schemathesis run's time limit")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()

    rcm = os.path.abspath(args.rcm)
    # Absolute: Schemathesis runs in the scratch folder (its cache goes there, not into the clone).
    schemathesis = os.path.abspath(shutil.which(args.schemathesis) or args.schemathesis)
    folder = tempfile.mkdtemp(prefix="rcm-contract-")
    env = {k: v for k, v in os.environ.items() if k not in ("HCX_BASE_URL", "DATABASE_URL", "RCM_NOW")}
    env.update({"RCM_KEYS_DIR": os.path.join(folder, "keys"), "HCX_USERNAME": "rcm",
                "HCX_SECRET": "contract-test-secret", "LOG_LEVEL": "warning", "RCM_WORKERS": "2",
                "DATABASE_URL": "sqlite://" + os.path.join(folder, "rcm.sqlite")})
    gateway_port, serve_port = free_port(), free_port()
    servers = []
    ok = True
    try:
        subprocess.run([rcm, "migrate", "--yes"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([rcm, "process", "samples/"], env=env, check=True, stdout=subprocess.DEVNULL)
        password = "contract test password 1"
        subprocess.run([rcm, "users", "create", "--email", "admin@contract.test", "--role", "admin",
                        "--password-stdin"], env=env, input=password + "\n", text=True, check=True,
                       stdout=subprocess.DEVNULL)
        servers.append(Server("sandbox", [rcm, "sandbox", "--port", str(gateway_port), "--state", "memory",
                                          "--provider-endpoint", f"http://127.0.0.1:{serve_port}/v0.7"],
                              env, folder))
        wait_for(f"http://127.0.0.1:{gateway_port}/v0.7/participant/search")
        servers.append(Server("serve", [rcm, "serve", "--port", str(serve_port)],
                              dict(env, HCX_BASE_URL=f"http://127.0.0.1:{gateway_port}/v0.7",
                                   HCX_GATEWAY_CERT=os.path.join(folder, "keys", "sandbox-gateway.cert.pem")),
                              folder))
        wait_for(f"http://127.0.0.1:{serve_port}/health/ready")
        base = f"http://127.0.0.1:{serve_port}"
        status, body = call(base, "POST", "/api/v1/auth/login",
                            body={"email": "admin@contract.test", "password": password})
        if status != 200:
            raise SystemExit(f"sign-in failed: {status} {str(body)[:200]}")
        token = body["access_token"]
        with urllib.request.urlopen(base + "/openapi.json") as response:
            document = json.load(response)

        print(f"== Schemathesis, admin token, --max-examples {args.max_examples}", flush=True)
        run = subprocess.run(
            ["timeout", str(args.seconds), schemathesis, "run", base + "/openapi.json", "--url", base,
             "--checks", CHECKS, "--max-examples", str(args.max_examples), "-H", f"Authorization: Bearer {token}",
             "--seed", "21", "--no-color"], env=dict(env, SCHEMATHESIS_HOOKS=""), cwd=folder)
        if run.returncode != 0:
            ok = False
            print(f"Schemathesis failed (status {run.returncode})")

        print("== Without a token: every protected operation answers 401", flush=True)
        checked, failures = unauthenticated(base, document)
        print(f"{checked} protected operations called without a token; {len(failures)} answered otherwise")
        for failure in failures:
            print("  " + failure)
        ok = ok and not failures and checked > 0
    finally:
        for server in reversed(servers):
            server.stop()
        if args.keep or not ok:
            print(f"logs and database kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print("API contract test " + ("passed" if ok else "FAILED"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
