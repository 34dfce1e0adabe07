#!/usr/bin/env python3
"""p50 and p99 of the dashboard page and each analytics endpoint over --requests sequential
requests (issue 20's benchmark), against a running `rcm serve` with a signed-in billing manager.

    python3 Benchmarks/analytics-benchmark.py --url http://127.0.0.1:8000 --email E --password P
"""
import argparse
import http.cookiejar
import json
import re
import statistics
import time
import urllib.parse
import urllib.request


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    login = urllib.request.Request(
        args.url + "/api/v1/auth/login", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"email": args.email, "password": args.password}).encode())
    token = json.load(urllib.request.urlopen(login))["access_token"]
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = browser.open(args.url + "/sign-in").read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    browser.open(args.url + "/sign-in", data=urllib.parse.urlencode(
        {"_csrf": csrf, "email": args.email, "password": args.password, "next": "/"}).encode()).read()
    targets = [("dashboard page", "/", None)] + [
        (path, "/api/v1/analytics/" + path, token)
        for path in ["kpis", "ar-aging", "denials?group_by=category", "trend?interval=week", "payer-mix"]]
    print(f"{'endpoint':28} {'p50 ms':>8} {'p99 ms':>8}")
    for name, path, bearer in targets:
        times = []
        for _ in range(args.requests):
            request = urllib.request.Request(args.url + path)
            if bearer:
                request.add_header("Authorization", f"Bearer {bearer}")
            start = time.perf_counter()
            (browser.open(request) if bearer is None else urllib.request.urlopen(request)).read()
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(f"{name:28} {statistics.median(times):8.1f} {p99:8.1f}")


if __name__ == "__main__":
    main()
