#!/usr/bin/env python3
"""Generates monitoring/grafana-dashboard.json, the RCM Grafana dashboard (issue 7).

The committed JSON is what operators import or what the compose stack provisions; this script is
how it is written. Edit the panels below, then run

    python3 monitoring/generate_dashboard.py           # rewrite the JSON
    python3 monitoring/generate_dashboard.py --check   # exit 1 when the committed JSON is stale

Standard library only; plain dicts; the output is deterministic (sorted keys, ids and grid
positions assigned in order). Every query uses only the metrics of monitoring/metrics-contract.txt,
which scripts/check-monitoring.sh verifies, together with the PromQL syntax of each query.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "grafana-dashboard.json"

# Must match the uid of the provisioned datasource (grafana/provisioning/datasources/prometheus.yml).
DEFAULT_DATASOURCE_UID = "prometheus"
DATASOURCE = {"type": "prometheus", "uid": "$datasource"}

# Every query selects the chosen scrape jobs.
J = 'job=~"$job"'
SERVER_ERROR = 'status=~"5.."'
RATE = "$__rate_interval"
GRID_WIDTH = 24
STAT_HEIGHT = 4
GRAPH_HEIGHT = 8


def sel(metric: str, *matchers: str) -> str:
    """`metric{job=~"$job", ...}`."""
    return f"{metric}{{{', '.join((J,) + matchers)}}}"


def rate(metric: str, *matchers: str, window: str = RATE) -> str:
    return f"rate({sel(metric, *matchers)}[{window}])"


def increase(metric: str, *matchers: str, window: str = "$__range") -> str:
    return f"increase({sel(metric, *matchers)}[{window}])"


def quantile(q: float, histogram: str, by: str = "", *matchers: str) -> str:
    """histogram_quantile over the `_bucket` series of `histogram`, grouped by `by` and le."""
    group = f"{by}, le" if by else "le"
    return f"histogram_quantile({q}, sum by ({group}) ({rate(histogram + '_bucket', *matchers)}))"


def target(expr: str, legend: str = "", instant: bool = False) -> dict:
    return {"expr": expr, "legendFormat": legend or "__auto", "instant": instant, "range": not instant}


def thresholds(*steps: tuple[str, float]) -> dict:
    """Absolute thresholds: green below the first step."""
    return {
        "mode": "absolute",
        "steps": [{"color": "green", "value": None}] + [{"color": c, "value": v} for c, v in steps],
    }


def panel(kind: str, title: str, description: str, targets: list[dict], *, unit: str = "short",
          width: int = 8, height: int = GRAPH_HEIGHT, steps: tuple = (), decimals: int | None = None,
          options: dict | None = None, custom: dict | None = None) -> dict:
    defaults: dict = {"unit": unit, "thresholds": thresholds(*steps), "color": {"mode": "palette-classic"}}
    if kind != "timeseries":
        defaults["color"] = {"mode": "thresholds"}
    if decimals is not None:
        defaults["decimals"] = decimals
    if custom:
        defaults["custom"] = custom
    return {
        "type": kind,
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "targets": [
            dict(t, refId=chr(ord("A") + i), datasource=DATASOURCE, editorMode="code") for i, t in enumerate(targets)
        ],
        "fieldConfig": {"defaults": defaults, "overrides": []},
        "options": options or {},
        "gridPos": {"w": width, "h": height},
    }


def timeseries(title: str, description: str, *targets: dict, unit: str = "short", width: int = 12,
               steps: tuple = (), stack: bool = False) -> dict:
    custom = {
        "drawStyle": "line",
        "lineWidth": 1,
        "fillOpacity": 20 if stack else 10,
        "showPoints": "never",
        "spanNulls": False,
        "axisSoftMin": 0,
        "stacking": {"mode": "normal" if stack else "none", "group": "A"},
    }
    options = {
        "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True, "calcs": []},
        "tooltip": {"mode": "multi", "sort": "desc"},
    }
    return panel("timeseries", title, description, list(targets), unit=unit, width=width, steps=steps,
                 options=options, custom=custom)


def reduce_options() -> dict:
    return {"calcs": ["lastNotNull"], "fields": "", "values": False}


def stat(title: str, description: str, *targets: dict, unit: str = "short", width: int = 4,
         height: int = STAT_HEIGHT, steps: tuple = (), decimals: int | None = None) -> dict:
    options = {
        "reduceOptions": reduce_options(),
        "colorMode": "value",
        "graphMode": "area",
        "justifyMode": "auto",
        "orientation": "auto",
        "textMode": "auto",
    }
    return panel("stat", title, description, list(targets), unit=unit, width=width, height=height,
                 steps=steps, decimals=decimals, options=options)


def bargauge(title: str, description: str, *targets: dict, unit: str = "short", width: int = 12,
             steps: tuple = (), decimals: int | None = None) -> dict:
    options = {
        "reduceOptions": reduce_options(),
        "displayMode": "gradient",
        "orientation": "horizontal",
        "showUnfilled": True,
        "valueMode": "color",
    }
    return panel("bargauge", title, description, list(targets), unit=unit, width=width, steps=steps,
                 decimals=decimals, options=options)


# ---------------------------------------------------------------------------------------------
# Rows and panels
# ---------------------------------------------------------------------------------------------

def ratio_5xx(window: str = RATE) -> str:
    total = "rcm_requests_total"
    return f"sum({rate(total, SERVER_ERROR, window=window)}) / sum({rate(total, window=window)})"


def system_overview() -> list[dict]:
    return [
        stat("Request rate", "HTTP requests per second, all routes.",
             target(f"sum({rate('rcm_requests_total')})"), unit="reqps"),
        stat("5xx ratio", "Share of HTTP responses with a 5xx status (alert RCMHighErrorRate at 5 %).",
             target(ratio_5xx()), unit="percentunit", steps=(("orange", 0.01), ("red", 0.05)), decimals=2),
        stat("p95 latency", "95th percentile HTTP request duration, all routes.",
             target(quantile(0.95, "rcm_request_duration_seconds")), unit="s", steps=(("orange", 0.5), ("red", 2))),
        stat("Active workflows", "Workflow runs IN_PROGRESS in the store (every worker reports the same "
             "store-wide count, hence max).",
             target(f"max by (workflow) ({sel('rcm_active_workflows')})", "{{workflow}}")),
        stat("HCX error ratio", "Share of HCX calls (after retries) that failed (alert RCMHCXErrorRate at 10 %).",
             target(f"sum({rate('rcm_hcx_errors_total')}) / sum({rate('rcm_hcx_requests_total')})"),
             unit="percentunit", steps=(("orange", 0.02), ("red", 0.1)), decimals=2),
        stat("DB connections", "Database connections in use, summed over instances.",
             target(f"sum({sel('rcm_db_connections_active')})")),
        timeseries("Requests by status", "HTTP requests per second by response status.",
                   target(f"sum by (status) ({rate('rcm_requests_total')})", "{{status}}"), unit="reqps", stack=True),
        timeseries("Request latency (all routes)", "p50, p95 and p99 HTTP request duration over all routes.",
                   target(quantile(0.5, "rcm_request_duration_seconds"), "p50"),
                   target(quantile(0.95, "rcm_request_duration_seconds"), "p95"),
                   target(quantile(0.99, "rcm_request_duration_seconds"), "p99"), unit="s"),
        timeseries("DB connections by instance", "Database connections in use per RCM instance.",
                   target(f"sum by (instance) ({sel('rcm_db_connections_active')})", "{{instance}}")),
        timeseries("DB query p99 by operation", "99th percentile database query duration by operation.",
                   target(quantile(0.99, "rcm_db_query_duration_seconds", "operation"), "{{operation}}"), unit="s"),
    ]


def api_performance() -> list[dict]:
    h = "rcm_request_duration_seconds"
    return [
        timeseries("Request rate by route", "HTTP requests per second by method and route template.",
                   target(f"sum by (method, route) ({rate('rcm_requests_total')})", "{{method}} {{route}}"),
                   unit="reqps"),
        timeseries("p99 latency by route", "99th percentile HTTP request duration by route (alert "
                   "RCMHighLatencyP99 watches all routes together at 2 s).",
                   target(quantile(0.99, h, "method, route"), "{{method}} {{route}}"), unit="s"),
        timeseries("p95 latency by route", "95th percentile HTTP request duration by route.",
                   target(quantile(0.95, h, "method, route"), "{{method}} {{route}}"), unit="s"),
        timeseries("p50 latency by route", "Median HTTP request duration by route.",
                   target(quantile(0.5, h, "method, route"), "{{method}} {{route}}"), unit="s"),
        bargauge("Slowest routes (p95 over the time range)", "The ten routes with the highest p95 latency "
                 "over the dashboard's time range.",
                 target(f"topk(10, histogram_quantile(0.95, sum by (method, route, le) "
                        f"({rate(h + '_bucket', window='$__range')})))", "{{method}} {{route}}", instant=True),
                 unit="s", width=24, steps=(("orange", 0.5), ("red", 2))),
        timeseries("HCX request rate by operation", "Calls to the HCX gateway per second (after retries) by "
                   "operation.",
                   target(f"sum by (operation) ({rate('rcm_hcx_requests_total')})", "{{operation}}"), unit="reqps"),
        timeseries("HCX p99 latency by operation", "99th percentile HCX call duration, retries included.",
                   target(quantile(0.99, "rcm_hcx_request_duration_seconds", "operation"), "{{operation}}"),
                   unit="s"),
        stat("HCX token refreshes", "Gateway access tokens obtained over the time range.",
             target(f"sum({increase('rcm_hcx_token_refreshes_total')})", instant=True), width=6, height=GRAPH_HEIGHT,
             decimals=0),
        timeseries("HCX token refreshes per hour", "Gateway access tokens obtained, per hour. A jump means "
                   "tokens are rejected early or the gateway shortened their lifetime.",
                   target(f"3600 * sum({rate('rcm_hcx_token_refreshes_total')})", "refreshes/h"), width=18),
    ]


def workflow_analytics() -> list[dict]:
    done = "rcm_workflows_completed_total"
    failed = "rcm_workflows_failed_total"
    step = "rcm_workflow_step_duration_seconds"
    return [
        timeseries("Active workflows", "Workflow runs IN_PROGRESS in the store, including runs waiting for a "
                   "payer's answer.",
                   target(f"max by (workflow) ({sel('rcm_active_workflows')})", "{{workflow}}"), width=8),
        timeseries("Workflows completed / failed per minute", "Runs that ended, per minute, by outcome.",
                   target(f"60 * sum by (workflow) ({rate(done)})", "{{workflow}} completed"),
                   target(f"60 * sum by (workflow) ({rate(failed)})", "{{workflow}} failed"), unit="opm", width=10),
        stat("Workflow failure ratio", "Failed ÷ (completed + failed) over the time range.",
             target(f"(sum({increase(failed)}) or vector(0)) / (sum({increase(done)}) + (sum({increase(failed)}) "
                    f"or vector(0)))", instant=True),
             unit="percentunit", width=6, height=GRAPH_HEIGHT, steps=(("orange", 0.05), ("red", 0.2)), decimals=1),
        timeseries("Step duration p95 by step", "95th percentile duration of one attempt of a step's work "
                   "(waits for events not included).",
                   target(quantile(0.95, step, "workflow, step"), "{{workflow}}/{{step}}"), unit="s"),
        timeseries("Step attempts per minute", "Step attempts per minute; retries show up as attempts without "
                   "progress.",
                   target(f"60 * sum by (workflow, step) ({rate(step + '_count')})", "{{workflow}}/{{step}}"),
                   unit="opm"),
    ]


def error_tracking() -> list[dict]:
    return [
        timeseries("HTTP errors by type", "4xx (client) and 5xx (server) responses per second.",
                   target(f"sum by (type) ({rate('rcm_errors_total')})", "{{type}}"), unit="reqps", width=8),
        timeseries("HTTP errors by route", "Error responses per second by type and route template "
                   "(route \"unmatched\" = no route, e.g. 404 on an unknown path).",
                   target(f"sum by (type, route) ({rate('rcm_errors_total')})", "{{type}} {{route}}"),
                   unit="reqps", width=8),
        timeseries("5xx ratio", "Share of HTTP responses with a 5xx status; alert RCMHighErrorRate fires above "
                   "5 % for 5 minutes.",
                   target(ratio_5xx(), "5xx ratio"), unit="percentunit", width=8, steps=(("red", 0.05),)),
        timeseries("HCX errors by code", "Failed HCX calls per second by operation and code (HCX error code, "
                   "transport, or http_<status>).",
                   target(f"sum by (operation, code) ({rate('rcm_hcx_errors_total')})", "{{operation}} {{code}}"),
                   unit="reqps", width=8),
        timeseries("HCX error ratio by operation", "Failed ÷ all HCX calls by operation; alert RCMHCXErrorRate "
                   "fires above 10 % for 10 minutes.",
                   target(f"sum by (operation) ({rate('rcm_hcx_errors_total')}) / sum by (operation) "
                          f"({rate('rcm_hcx_requests_total')})", "{{operation}}"),
                   unit="percentunit", width=8, steps=(("red", 0.1),)),
        timeseries("Database errors per minute", "Failed database operations per minute; alert "
                   "RCMDatabaseErrors fires on any.",
                   target(f"60 * sum({rate('rcm_db_errors_total')})", "errors/min"), unit="opm", width=8),
    ]


def business_kpis() -> list[dict]:
    sub, app, den = "rcm_claims_submitted_total", "rcm_claims_approved_total", "rcm_claims_denied_total"
    return [
        stat("Claims submitted", "Claims submitted to payers over the time range.",
             target(f"sum({increase(sub)})", instant=True), width=4, decimals=0),
        stat("Claims approved", "Claims approved (in full or in part) over the time range.",
             target(f"sum({increase(app)})", instant=True), width=4, decimals=0),
        stat("Claims denied", "Claims denied over the time range.",
             target(f"sum({increase(den)})", instant=True), width=4, decimals=0),
        stat("Denial rate", "Initial denial rate (volume): claims denied ÷ claims submitted over the time range. "
             "Decisions in the range may belong to claims submitted before it. Common target: below 5 %.",
             target(f"(sum({increase(den)}) or vector(0)) / sum({increase(sub)})", instant=True),
             unit="percentunit", width=4, steps=(("orange", 0.05), ("red", 0.1)), decimals=1),
        stat("Revenue collected", "Money posted over the time range, per currency, in major units "
             "(e.g. rupees).",
             target(f"sum by (currency) ({increase('rcm_revenue_collected_total')})", "{{currency}}", instant=True),
             width=8, decimals=2),
        timeseries("Claims by payer per hour", "Claims submitted, approved and denied per hour by payer.",
                   target(f"3600 * sum by (payer) ({rate(sub)})", "{{payer}} submitted"),
                   target(f"3600 * sum by (payer) ({rate(app)})", "{{payer}} approved"),
                   target(f"3600 * sum by (payer) ({rate(den)})", "{{payer}} denied")),
        timeseries("Revenue collected per hour", "Money posted per hour, per currency, in major units.",
                   target(f"sum by (currency) ({increase('rcm_revenue_collected_total', window='1h')})",
                          "{{currency}}")),
        bargauge("Denials by category", "Claims denied over the time range by denial category.",
                 target(f"sum by (category) ({increase(den)})", "{{category}}", instant=True), decimals=0),
        bargauge("Denial rate by payer", "Claims denied ÷ claims submitted over the time range, by payer.",
                 target(f"(sum by (payer) ({increase(den)}) or 0 * sum by (payer) ({increase(sub)}))"
                        f" / sum by (payer) ({increase(sub)})", "{{payer}}", instant=True),
                 unit="percentunit", steps=(("orange", 0.05), ("red", 0.1)), decimals=1),
    ]


ROWS = [
    # (title, collapsed, panels)
    ("System overview", False, system_overview),
    ("API performance", False, api_performance),
    ("Workflow analytics", True, workflow_analytics),
    ("Error tracking", True, error_tracking),
    ("Business KPIs", True, business_kpis),
]


def layout(panels: list[dict], y: int, next_id: int) -> tuple[int, int]:
    """Assigns ids and grid positions left to right, wrapping at the grid width; returns (y, id) after."""
    x, line_height = 0, 0
    for p in panels:
        w, h = p["gridPos"]["w"], p["gridPos"]["h"]
        if x + w > GRID_WIDTH:
            y, x, line_height = y + line_height, 0, 0
        p["gridPos"] = {"h": h, "w": w, "x": x, "y": y}
        p["id"] = next_id
        next_id += 1
        x += w
        line_height = max(line_height, h)
    return y + line_height, next_id


def dashboard() -> dict:
    top: list[dict] = []
    y, next_id = 0, 1
    for title, collapsed, build in ROWS:
        row = {"type": "row", "title": title, "collapsed": collapsed, "id": next_id,
               "gridPos": {"h": 1, "w": GRID_WIDTH, "x": 0, "y": y}, "panels": []}
        next_id += 1
        top.append(row)
        panels = build()
        end, next_id = layout(panels, y + 1, next_id)
        if collapsed:
            row["panels"] = panels  # Grafana keeps a collapsed row's panels inside the row
            y += 1
        else:
            top.extend(panels)
            y = end
    return {
        "uid": "rcm-overview",
        "title": "RCM overview",
        "description": "RCM revenue-cycle service: HTTP API, HCX exchange, claim workflows, errors and business "
                       "KPIs. Generated by monitoring/generate_dashboard.py; do not edit the JSON by hand.",
        "tags": ["rcm", "hcx", "revenue-cycle"],
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "graphTooltip": 1,
        "fiscalYearStartMonth": 0,
        "liveNow": False,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "timepicker": {},
        "timezone": "browser",
        "weekStart": "",
        "links": [],
        "annotations": {"list": [{
            "builtIn": 1,
            "datasource": {"type": "grafana", "uid": "-- Grafana --"},
            "enable": True,
            "hide": True,
            "iconColor": "rgba(0, 211, 255, 1)",
            "name": "Annotations & Alerts",
            "type": "dashboard",
        }]},
        "templating": {"list": [
            {
                "name": "datasource",
                "label": "Data source",
                "type": "datasource",
                "query": "prometheus",
                "current": {"selected": False, "text": "Prometheus", "value": DEFAULT_DATASOURCE_UID},
                "hide": 0,
                "includeAll": False,
                "multi": False,
                "options": [],
                "refresh": 1,
                "regex": "",
                "skipUrlSync": False,
            },
            {
                "name": "job",
                "label": "Job",
                "type": "query",
                "datasource": DATASOURCE,
                "definition": "label_values(rcm_requests_total, job)",
                "query": {
                    "query": "label_values(rcm_requests_total, job)",
                    "refId": "PrometheusVariableQueryEditor-VariableQuery",
                },
                "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
                "hide": 0,
                "includeAll": True,
                "allValue": ".+",
                "multi": True,
                "options": [],
                "refresh": 2,
                "regex": "",
                "skipUrlSync": False,
                "sort": 1,
            },
        ]},
        "panels": top,
    }


def render() -> str:
    return json.dumps(dashboard(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 when the committed JSON differs from the generated one")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current == text:
            return 0
        sys.stdout.writelines(difflib.unified_diff(
            current.splitlines(keepends=True), text.splitlines(keepends=True),
            f"{OUTPUT.name} (committed)", f"{OUTPUT.name} (generated)", n=2))
        print(f"{OUTPUT} is stale: run python3 monitoring/generate_dashboard.py", file=sys.stderr)
        return 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
