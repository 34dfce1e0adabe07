#!/usr/bin/env python3
"""Checks of the monitoring assets that no off-the-shelf validator does; run by scripts/check-monitoring.sh.

    lint_monitoring.py rules OUT   write every dashboard query as a recording rule to OUT, Grafana
                                   variables replaced by plausible values, for `promtool check rules`
    lint_monitoring.py contract    every metric the dashboard, the alert rules and their tests use is
                                   in metrics-contract.txt, with the labels the contract gives it
    lint_monitoring.py wiring      dashboard structure (ids, grid, datasource) and the compose stack's
                                   wiring (provisioned datasource uid, mounted files, dashboard path)
    lint_monitoring.py kubernetes DIR
                                   Debian's promtool has no Kubernetes discovery: write
                                   prometheus.kubernetes.yml to DIR with each kubernetes_sd_configs
                                   block swapped for a static target (and its rule files beside it)
                                   for `promtool check config`, check the discovery blocks, and replay
                                   the relabelling on sample pods

Run from anywhere; paths are relative to this file. `rules` needs only the standard library; the
others read YAML and need PyYAML (installed with yamllint in .venv-ops).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
CONTRACT = HERE / "metrics-contract.txt"
DASHBOARD = HERE / "grafana-dashboard.json"
ALERTS = HERE / "alerts.yml"
ALERT_TESTS = HERE / "alerts.test.yml"
COMPOSE = HERE / "docker-compose.yml"
DATASOURCES = HERE / "grafana" / "provisioning" / "datasources" / "prometheus.yml"
DASHBOARD_PROVIDERS = HERE / "grafana" / "provisioning" / "dashboards" / "rcm.yml"
KUBERNETES_CONFIG = HERE / "prometheus.kubernetes.yml"
KUBERNETES_NAMESPACE = "healthcare-prod"

# Grafana's built-in variables, replaced by values promtool accepts.
BUILTIN_VARIABLES = {
    "__rate_interval": "5m",
    "__interval": "1m",
    "__range": "1h",
    "__interval_ms": "60000",
    "__range_s": "3600",
    "__range_ms": "3600000",
}
TARGET_LABELS = {"job", "instance"}  # added by Prometheus to every scraped series; see target_labels()
PROMETHEUS_CONFIGS = [HERE / "prometheus.yml", HERE / "prometheus.compose.yml", HERE / "prometheus.kubernetes.yml"]
ALERT_EXTRA_METRICS = {"up": set()}  # Prometheus' own series the alert rules may use (RCMTargetDown)
KEYWORDS = {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "offset", "inf", "nan", "atan2"}


def fail(problems: list[str], what: str) -> int:
    for p in problems:
        print(f"  {p}", file=sys.stderr)
    print(f"{what}: {len(problems)} problem(s)", file=sys.stderr)
    return 1


# --- the contract ----------------------------------------------------------------------------------

def target_labels() -> set[str]:
    """job and instance, and the labels our scrape configs attach (static labels, relabel targets)."""
    labels = set(TARGET_LABELS)
    for path in PROMETHEUS_CONFIGS:
        for job in load_yaml(path).get("scrape_configs", []):
            for static in job.get("static_configs", []):
                labels |= set(static.get("labels", {}))
            for rule in job.get("relabel_configs", []):
                if "target_label" in rule and not rule["target_label"].startswith("__"):
                    labels.add(rule["target_label"])
    return labels


def load_contract(extra_labels: set[str] = TARGET_LABELS) -> dict[str, set[str]]:
    """Series name → allowed labels (histograms expand to _bucket/_sum/_count; `extra_labels` included)."""
    series: dict[str, set[str]] = {}
    for n, line in enumerate(CONTRACT.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split()
        if len(fields) != 3 or fields[1] not in {"counter", "gauge", "histogram"}:
            raise SystemExit(f"{CONTRACT.name}:{n}: expected 'name type labels', got {line!r}")
        name, kind, labels = fields
        allowed = extra_labels | (set() if labels == "-" else set(labels.split(",")))
        if kind == "histogram":
            series[name + "_bucket"] = allowed | {"le"}
            series[name + "_sum"] = allowed
            series[name + "_count"] = allowed
        else:
            series[name] = allowed
    return series


# --- PromQL, just enough to find metric and label names ---------------------------------------------

STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
RANGE = re.compile(r"\[[^\]]*\]")
SELECTOR = re.compile(r"([A-Za-z_:][\w:]*)?\s*\{([^}]*)\}")
MATCHER_LABEL = re.compile(r"([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)")
GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)", re.IGNORECASE)
IDENTIFIER = re.compile(r"(?<![\w:.])[A-Za-z_:][\w:]*")


def analyse(expr: str) -> tuple[list[tuple[str | None, set[str]]], set[str]]:
    """The selectors of `expr` as (metric name or None, matcher labels), and the grouping labels."""
    text = RANGE.sub(" ", STRING.sub('""', expr))
    selectors: list[tuple[str | None, set[str]]] = []

    def take_selector(m: re.Match) -> str:
        selectors.append((m.group(1), set(MATCHER_LABEL.findall(m.group(2)))))
        return " "

    text = SELECTOR.sub(take_selector, text)
    grouping: set[str] = set()
    for m in GROUPING.finditer(text):
        grouping |= {label.strip() for label in m.group(1).split(",") if label.strip()}
    text = GROUPING.sub(" ", text)
    for m in IDENTIFIER.finditer(text):
        rest = text[m.end():].lstrip()
        if rest.startswith("(") or m.group(0).lower() in KEYWORDS:
            continue  # a function, an aggregation or a keyword
        selectors.append((m.group(0), set()))
    return selectors, grouping


def check_expr(where: str, expr: str, series: dict[str, set[str]], problems: list[str]) -> None:
    selectors, grouping = analyse(expr)
    known_labels = set().union(*series.values())
    for name, labels in selectors:
        if name is None:
            problems.append(f"{where}: selector without a metric name in {expr!r}")
            continue
        if name not in series:
            problems.append(f"{where}: metric {name!r} is not in the contract")
            continue
        for label in sorted(labels - series[name]):
            problems.append(f"{where}: {name} has no label {label!r} (contract: {', '.join(sorted(series[name]))})")
    for label in sorted(grouping - known_labels):
        problems.append(f"{where}: grouping label {label!r} belongs to no metric in the contract")


def rcm_names(text: str) -> set[str]:
    """Every rcm_* metric-like name mentioned anywhere in `text` (queries, descriptions, test series)."""
    return set(re.findall(r"(?<![\w:])rcm_[A-Za-z0-9_]*[A-Za-z0-9]", text))


# --- the dashboard ------------------------------------------------------------------------------------

def load_dashboard() -> dict:
    return json.loads(DASHBOARD.read_text(encoding="utf-8"))


def all_panels(panels: list[dict]):
    for p in panels:
        yield p
        yield from all_panels(p.get("panels", []))


def dashboard_queries(dashboard: dict):
    """(record name, where, expr) for every panel target."""
    for p in all_panels(dashboard.get("panels", [])):
        for t in p.get("targets", []):
            yield (f"dashboard:panel_{p.get('id')}_{t.get('refId')}",
                   f"panel {p.get('id')} {p.get('title')!r} target {t.get('refId')}", t.get("expr", ""))


def variable_values(dashboard: dict) -> dict[str, str]:
    values = dict(BUILTIN_VARIABLES)
    for v in dashboard.get("templating", {}).get("list", []):
        current = v.get("current", {}).get("value", "")
        current = current[0] if isinstance(current, list) and current else current
        if current == "$__all":
            current = v.get("allValue") or "x"
        values[v["name"]] = str(current or "x")
    return values


def substitute(expr: str, values: dict[str, str]) -> str:
    def repl(m: re.Match) -> str:
        name = m.group(1) or m.group(2) or m.group(3)
        if name not in values:
            raise KeyError(name)
        return values[name]

    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)", repl, expr)


def cmd_rules(out: Path) -> int:
    dashboard = load_dashboard()
    values = variable_values(dashboard)
    rules, problems = [], []
    for record, where, expr in dashboard_queries(dashboard):
        try:
            concrete = substitute(expr, values)
        except KeyError as e:
            problems.append(f"{where}: unknown Grafana variable ${e.args[0]} in {expr!r}")
            continue
        rules.append({"record": record, "expr": concrete})
    if problems:
        return fail(problems, "dashboard queries")
    if not rules:
        return fail(["the dashboard has no queries"], "dashboard queries")
    # JSON is YAML, so promtool reads this file as it is.
    out.write_text(json.dumps({"groups": [{"name": "dashboard-queries", "rules": rules}]}, indent=2) + "\n",
                   encoding="utf-8")
    print(f"{len(rules)} dashboard queries written to {out}")
    return 0


# --- YAML files ---------------------------------------------------------------------------------------

def load_yaml(path: Path):
    try:
        import yaml
    except ImportError:
        raise SystemExit("PyYAML is needed: put .venv-ops/bin on PATH (yamllint brings it)")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def cmd_contract() -> int:
    scraped = target_labels()
    series = load_contract(scraped)
    problems: list[str] = []
    dashboard = load_dashboard()
    count = 0
    for _, where, expr in dashboard_queries(dashboard):
        check_expr(where, expr, series, problems)
        count += 1
    for v in dashboard.get("templating", {}).get("list", []):
        query = v.get("query")
        query = query.get("query", "") if isinstance(query, dict) else query
        if v.get("type") == "query":
            m = re.fullmatch(r"\s*label_values\(\s*(.+?)\s*,\s*(\w+)\s*\)\s*", query or "")
            if not m:
                problems.append(f"variable {v['name']}: expected label_values(<selector>, <label>), got {query!r}")
                continue
            check_expr(f"variable {v['name']}", f"count by ({m.group(2)}) ({m.group(1)})", series, problems)
    with_up = series | {name: scraped | labels for name, labels in ALERT_EXTRA_METRICS.items()}
    for group in load_yaml(ALERTS).get("groups", []):
        for rule in group.get("rules", []):
            name = rule.get("alert") or rule.get("record")
            check_expr(f"{ALERTS.name} {name}", str(rule.get("expr", "")), with_up, problems)
            count += 1
    for i, test in enumerate(load_yaml(ALERT_TESTS).get("tests", []), 1):
        for s in test.get("input_series", []):
            check_expr(f"{ALERT_TESTS.name} test {i} series", s.get("series", ""), with_up, problems)
        for t in test.get("promql_expr_test", []):
            check_expr(f"{ALERT_TESTS.name} test {i} expr", t.get("expr", ""), with_up, problems)
    # Names mentioned anywhere (annotations, descriptions, comments) must exist too.
    for path in (DASHBOARD, ALERTS, ALERT_TESTS, *PROMETHEUS_CONFIGS):
        for name in sorted(rcm_names(path.read_text(encoding="utf-8")) - set(series)):
            problems.append(f"{path.name}: mentions {name!r}, which is not a contract metric")
    if problems:
        return fail(problems, "metrics contract")
    print(f"{count} queries and rules use only the {len(series)} contract series")
    return 0


def cmd_wiring() -> int:
    problems: list[str] = []
    dashboard = load_dashboard()
    # Structure JSON Schema cannot express.
    ids = [p.get("id") for p in all_panels(dashboard.get("panels", []))]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"dashboard: panel id {dup} is used more than once")
    for p in all_panels(dashboard.get("panels", [])):
        g = p.get("gridPos", {})
        if g.get("x", 0) + g.get("w", 0) > 24:
            problems.append(f"dashboard: panel {p.get('id')} {p.get('title')!r} is wider than the grid")
        if p.get("type") != "row" and p.get("datasource", {}).get("uid") != "$datasource":
            problems.append(f"dashboard: panel {p.get('id')} {p.get('title')!r} does not use $datasource")
    variables = {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}
    default_uid = variables.get("datasource", {}).get("current", {}).get("value")
    # The provisioned datasource is the one the dashboard's variable selects by default.
    provisioned = load_yaml(DATASOURCES).get("datasources", [])
    prometheus = [d for d in provisioned if d.get("type") == "prometheus"]
    if not any(d.get("uid") == default_uid for d in prometheus):
        problems.append(f"{DATASOURCES.relative_to(HERE)}: no prometheus datasource with uid {default_uid!r} "
                        f"(the dashboard's default); found {[d.get('uid') for d in prometheus]}")
    # Compose: every mounted host file exists; the dashboard lands where the file provider looks.
    compose = load_yaml(COMPOSE)
    mounts: dict[str, str] = {}
    for service_name, service in compose.get("services", {}).items():
        for volume in service.get("volumes", []):
            source, target = (volume.split(":") + [""])[:2] if isinstance(volume, str) else (
                volume.get("source", ""), volume.get("target", ""))
            if source.startswith((".", "/")):
                if not (COMPOSE.parent / source).exists():
                    problems.append(f"{COMPOSE.name}: {service_name} mounts {source}, which does not exist")
                mounts[target] = source
    providers = load_yaml(DASHBOARD_PROVIDERS).get("providers", [])
    paths = [PurePosixPath(p.get("options", {}).get("path", "")) for p in providers]
    dashboard_targets = [PurePosixPath(t) for t, s in mounts.items()
                         if PurePosixPath(s).name == DASHBOARD.name or
                         (COMPOSE.parent / s).resolve() == DASHBOARD.parent]
    if not any(t == p or p in t.parents for t in dashboard_targets for p in paths):
        problems.append(f"{COMPOSE.name}: {DASHBOARD.name} is not mounted under a dashboard provider path "
                        f"({', '.join(map(str, paths))}); mounted at {', '.join(map(str, dashboard_targets))}")
    if problems:
        return fail(problems, "wiring")
    print(f"dashboard structure, datasource uid {default_uid!r} and compose mounts agree")
    return 0


# --- Kubernetes scrape config --------------------------------------------------------------------

def relabel(labels: dict[str, str], rules: list[dict]) -> dict[str, str] | None:
    """Prometheus relabelling (replace, keep, drop), enough for the pod recipe; None = target dropped."""
    labels = dict(labels)
    for rule in rules:
        action = rule.get("action", "replace")
        value = rule.get("separator", ";").join(labels.get(s, "") for s in rule.get("source_labels", []))
        match = re.fullmatch(rule.get("regex", "(.*)"), value)
        if action == "keep" and not match:
            return None
        if action == "drop" and match:
            return None
        if action == "replace" and match:
            template = re.sub(r"\$\{?(\w+)\}?", r"\\g<\1>", rule.get("replacement", "$1"))
            result = match.expand(template)
            if result:
                labels[rule["target_label"]] = result
            else:
                labels.pop(rule["target_label"], None)
        elif action not in {"keep", "drop", "replace"}:
            raise SystemExit(f"relabel action {action!r} is not simulated here")
    return {k: v for k, v in labels.items() if not k.startswith("__meta_")}


def pod(address: str, phase: str = "Running", **annotations: str) -> dict[str, str]:
    labels = {"__address__": address, "__metrics_path__": "/metrics", "__meta_kubernetes_namespace":
              KUBERNETES_NAMESPACE, "__meta_kubernetes_pod_name": "rcm-7d9c-abcde",
              "__meta_kubernetes_pod_label_app_kubernetes_io_name": "rcm", "__meta_kubernetes_pod_label_track": "blue",
              "__meta_kubernetes_pod_node_name": "node-1",
              "__meta_kubernetes_pod_phase": phase}
    for key, value in annotations.items():
        labels[f"__meta_kubernetes_pod_annotation_prometheus_io_{key}"] = value
        labels[f"__meta_kubernetes_pod_annotationpresent_prometheus_io_{key}"] = "true"
    return labels


# (what, discovered pod, expected (address, path) or None when the pod must not be scraped)
POD_CASES = [
    ("annotated pod, container port 8080", pod("10.1.2.3:8080", scrape="true", port="8000", path="/metrics"),
     ("10.1.2.3:8000", "/metrics")),
    ("annotated pod without container ports", pod("10.1.2.3", scrape="true", port="8000"),
     ("10.1.2.3:8000", "/metrics")),
    ("annotated pod with its own path", pod("10.1.2.3:8000", scrape="true", path="/internal/metrics"),
     ("10.1.2.3:8000", "/internal/metrics")),
    ("pod without annotations", pod("10.1.2.4:8000"), None),
    ("pod with prometheus.io/scrape=false", pod("10.1.2.5:8000", scrape="false", port="8000"), None),
    ("finished pod", pod("10.1.2.6:8000", phase="Succeeded", scrape="true", port="8000"), None),
]


def cmd_kubernetes(out_dir: Path) -> int:
    config = load_yaml(KUBERNETES_CONFIG)
    problems: list[str] = []
    jobs = [j for j in config.get("scrape_configs", []) if "kubernetes_sd_configs" in j]
    if not jobs:
        problems.append(f"{KUBERNETES_CONFIG.name}: no scrape job with kubernetes_sd_configs")
    known = {"role", "namespaces", "selectors", "api_server", "kubeconfig_file", "attach_metadata",
             "basic_auth", "authorization", "oauth2", "tls_config", "proxy_url", "follow_redirects"}
    for job in jobs:
        name = job.get("job_name")
        for sd in job["kubernetes_sd_configs"]:
            for key in sorted(set(sd) - known):
                problems.append(f"{name}: unknown kubernetes_sd_configs field {key!r}")
            if sd.get("role") != "pod":
                problems.append(f"{name}: role is {sd.get('role')!r}, expected 'pod'")
            if sd.get("namespaces", {}).get("names") != [KUBERNETES_NAMESPACE]:
                problems.append(f"{name}: namespaces.names is not [{KUBERNETES_NAMESPACE}]")
        for what, labels, expected in POD_CASES:
            got = relabel(labels, job.get("relabel_configs", []))
            got = got and (got.get("__address__"), got.get("__metrics_path__"))
            if got != expected:
                problems.append(f"{name}: {what}: expected {expected or 'no scrape'}, got {got or 'no scrape'}")
        job.pop("kubernetes_sd_configs")
        job["static_configs"] = [{"targets": ["10.1.2.3:8000"]}]
    if problems:
        return fail(problems, KUBERNETES_CONFIG.name)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / KUBERNETES_CONFIG.name).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    for rule_file in config.get("rule_files", []):
        (out_dir / rule_file).write_text((HERE / rule_file).read_text(encoding="utf-8"), encoding="utf-8")
    print(f"{len(jobs)} Kubernetes job(s): discovery checked, relabelling right for {len(POD_CASES)} sample pods")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "rules":
        return cmd_rules(Path(argv[1]))
    if argv == ["contract"]:
        return cmd_contract()
    if argv == ["wiring"]:
        return cmd_wiring()
    if len(argv) == 2 and argv[0] == "kubernetes":
        return cmd_kubernetes(Path(argv[1]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
