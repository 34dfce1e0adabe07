#!/usr/bin/env python3
"""The console in a real browser (issue 20): Debian's chromium and chromedriver through Selenium.

    python3 scripts/console-browser-test.py --rcm .build/debug/rcm [--screenshots .build/console-screenshots]

Runs `rcm process samples/` into a new SQLite file, creates a billing manager and a read-only
user, starts `rcm serve`, then in headless chromium: signs in, opens every page (dashboard,
claims, a claim, payments, workflows, upload, the denial queue) and saves a screenshot of each, checks that every dashboard
tile shows the API's figure (`GET /api/v1/analytics/kpis` for the same period), writes off a
claim through its form and sees it leave the queue, and, as the read-only user, that the queue
shows no action and a forged POST (with the session's own CSRF token) is refused with 403.
axe-core runs on every page: no serious or critical violation. Exits 1 on any failure.
"""
import argparse
import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from axe_core_python.selenium import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

PASSWORD = "correct horse battery staple"
PERIOD = "from=2026-01-01&to=2026-12-31"
failures = []


def check(condition, message):
    print(("  ok    " if condition else "  FAIL  ") + message)
    if not condition:
        failures.append(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"{url} did not answer within {seconds} s")


def api_kpis(base):
    login = urllib.request.Request(
        base + "/api/v1/auth/login", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"email": "manager@clinic.test", "password": PASSWORD}).encode())
    token = json.load(urllib.request.urlopen(login))["access_token"]
    request = urllib.request.Request(
        base + "/api/v1/analytics/kpis?" + PERIOD, headers={"Authorization": f"Bearer {token}"})
    return json.load(urllib.request.urlopen(request))["kpis"]


def accessibility(driver, page):
    results = Axe().run(driver)
    serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    for violation in serious:
        print(f"        {violation['impact']}: {violation['id']}: {violation['help']}")
    check(not serious, f"{page}: axe-core finds no serious or critical violation "
                       f"({len(results['violations'])} minor)")


def sign_in(driver, base, email):
    driver.get(base + "/sign-in")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form.sign-in button").click()
    WebDriverWait(driver, 30).until(lambda d: "/sign-in" not in d.current_url)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rcm", required=True)
    parser.add_argument("--screenshots", default=".build/console-screenshots")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    rcm = os.path.abspath(args.rcm)
    repository = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    screenshots = os.path.abspath(args.screenshots)
    os.makedirs(screenshots, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="rcm-console-")
    env = {k: v for k, v in os.environ.items() if k not in ("HCX_BASE_URL", "DATABASE_URL", "RCM_NOW")}
    env.update({"RCM_DATA_DIR": os.path.join(repository, "data"), "LOG_LEVEL": "warning",
                "DATABASE_URL": f"sqlite://{folder}/rcm.sqlite", "RCM_KEYS_DIR": os.path.join(folder, "keys")})
    shutil.copytree(os.path.join(repository, "samples"), os.path.join(folder, "samples"))
    server = None
    driver = None
    try:
        subprocess.run([rcm, "process", "samples/"], cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL)
        for email, role in [("manager@clinic.test", "billing_manager"), ("viewer@clinic.test", "read_only")]:
            subprocess.run([rcm, "users", "create", "--email", email, "--role", role, "--password-stdin"],
                           cwd=folder, env=env, input=PASSWORD + "\n", text=True, check=True,
                           stdout=subprocess.DEVNULL)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(os.path.join(folder, "serve.log"), "w")
        server = subprocess.Popen([rcm, "serve", "--port", str(port), "--no-workers"], cwd=folder, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        wait_for(base + "/health/live")

        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(args.chromedriver), options=options)

        print("manager")
        sign_in(driver, base, "manager@clinic.test")
        driver.get(base + "/?" + PERIOD)
        check("Dashboard" in driver.title, "signed in, the dashboard opens")
        tiles = driver.find_elements(By.CSS_SELECTOR, "li.tile")
        figures = {(k["kpi"], k.get("currency") or ""): k for k in api_kpis(base)}
        check(len(tiles) >= 5, f"{len(tiles)} tiles against targets")
        for tile in tiles:
            key = (tile.get_attribute("data-kpi"), tile.get_attribute("data-currency") or "")
            shown = tile.find_element(By.CSS_SELECTOR, ".tile-value").get_attribute("data-value")
            check(key in figures and (figures[key]["value"] or "") == shown,
                  f"tile {key[0]} {key[1]}: {shown} is the API's {figures.get(key, {}).get('value')}")
        check(len(driver.find_elements(By.CSS_SELECTOR, "svg[role=img] title")) >= 4, "charts with titles")
        check(driver.find_element(By.ID, "live-updates").is_displayed(), "the live-update control shows (script ran)")
        driver.save_screenshot(os.path.join(screenshots, "dashboard.png"))
        accessibility(driver, "dashboard")

        driver.get(base + "/claims")
        rows = driver.find_elements(By.CSS_SELECTOR, "#claims tbody tr")
        check(len(rows) == 10, f"claims page lists the sample run's 10 claims ({len(rows)})")
        driver.save_screenshot(os.path.join(screenshots, "claims.png"))
        accessibility(driver, "claims")
        driver.find_element(By.CSS_SELECTOR, "#claims tbody tr a").click()
        check(driver.find_elements(By.ID, "lines") != [], "a claim's page shows its lines")
        driver.save_screenshot(os.path.join(screenshots, "claim.png"))
        accessibility(driver, "claim")

        for path, name in [("/payments", "payments"), ("/workflows", "workflows")]:
            driver.get(base + path)
            check(driver.find_elements(By.CSS_SELECTOR, "main h1") != [], f"the {name} page opens")
            driver.save_screenshot(os.path.join(screenshots, f"{name}.png"))
            accessibility(driver, name)

        driver.get(base + "/upload")
        driver.find_element(By.ID, "file").send_keys(os.path.join(folder, "samples", "encounters-clinic-week.json"))
        driver.find_element(By.CSS_SELECTOR, "form.upload button").click()
        WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.ID, "results"))
        check("5 entries: 0 taken in, 5 already taken in" in driver.find_element(By.CSS_SELECTOR, "[role=status]").text,
              "an upload of the sample encounters reports each entry (all already taken in)")
        driver.save_screenshot(os.path.join(screenshots, "upload.png"))
        accessibility(driver, "upload")

        driver.get(base + "/denials")
        queued = driver.find_elements(By.CSS_SELECTOR, "#denials tbody tr")
        check(len(queued) == 3, f"the denial queue holds 3 claims ({len(queued)})")
        driver.save_screenshot(os.path.join(screenshots, "denials.png"))
        accessibility(driver, "denials")
        claim = queued[0].get_attribute("data-claim")
        form = queued[0].find_element(By.CSS_SELECTOR, "form.act")
        form.find_element(By.NAME, "reason").send_keys("not worth pursuing")
        form.find_element(By.CSS_SELECTOR, f"button[formaction='/denials/{claim}/write-off']").click()
        WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".done"))
        check("recorded for claim" in driver.find_element(By.CSS_SELECTOR, ".done").text,
              "the write-off is confirmed on the page")
        left = [r.get_attribute("data-claim") for r in driver.find_elements(By.CSS_SELECTOR, "#denials tbody tr")]
        check(claim not in left, "the written-off claim left the queue")
        driver.find_element(By.CSS_SELECTOR, "form.signout button").click()
        WebDriverWait(driver, 30).until(lambda d: "/sign-in" in d.current_url)
        driver.get(base + "/denials")
        check("Sign in" in driver.title, "signed out, pages ask to sign in again")

        print("viewer")
        sign_in(driver, base, "viewer@clinic.test")
        driver.get(base + "/denials")
        check("Denial work queue" in driver.title, f"the viewer signed in and reads the queue ({driver.title})")
        check(driver.find_elements(By.CSS_SELECTOR, "button[formaction]") == [], "a viewer sees no action buttons")
        other = driver.find_elements(By.CSS_SELECTOR, "#denials tbody tr")[0].get_attribute("data-claim")
        csrf = driver.find_element(By.CSS_SELECTOR, "input[name=_csrf]").get_attribute("value")
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
        forged = urllib.request.Request(
            base + f"/denials/{other}/appeal", method="POST",
            data=urllib.parse.urlencode({"_csrf": csrf, "reason": "forged"}).encode(),
            headers={"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"})
        try:
            status = urllib.request.urlopen(forged).status
        except urllib.error.HTTPError as error:
            status = error.code
        check(status == 403, f"a viewer's forged appeal is refused ({status})")
        driver.save_screenshot(os.path.join(screenshots, "denials-viewer.png"))
    finally:
        if driver:
            driver.quit()
        if server:
            server.terminate()
            server.wait(30)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"screenshots in {screenshots}")
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("console browser test passed")


if __name__ == "__main__":
    main()
