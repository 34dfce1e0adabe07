#!/usr/bin/env bash
# Offline checks of the monitoring assets in monitoring/ (issue 7; docs reference/tooling.md §4).
#
#   PATH="$PWD/.venv-ops/bin:$PATH" bash scripts/check-monitoring.sh
#
# Needs promtool (Debian package `prometheus`) and, from the ops venv (scripts/ops-requirements.txt),
# check-jsonschema, yamllint and PyYAML. Runs every check, prints one line per check, and exits 1
# if any failed (2 if a tool is missing).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

for tool in python3 promtool check-jsonschema yamllint; do
  command -v "$tool" >/dev/null || { echo "check-monitoring: $tool not found on PATH" >&2; exit 2; }
done
python3 -c 'import yaml' 2>/dev/null || { echo "check-monitoring: python3 has no PyYAML (use .venv-ops)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# check NAME COMMAND...: runs COMMAND quietly; prints OK, or FAIL and the command's output.
check() {
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then
    printf 'OK    %s\n' "$name"
  else
    printf 'FAIL  %s\n' "$name"
    printf '%s\n' "$out" | sed 's/^/      /'
    failures=$((failures + 1))
  fi
}

# Dashboard: generated JSON up to date, matches our schema, every query parses and uses the contract.
check "dashboard JSON is what generate_dashboard.py writes" \
  python3 monitoring/generate_dashboard.py --check
check "dashboard JSON matches monitoring/dashboard.schema.json" \
  check-jsonschema --schemafile monitoring/dashboard.schema.json monitoring/grafana-dashboard.json
check "dashboard queries parse (promtool check rules)" \
  bash -c 'python3 monitoring/lint_monitoring.py rules "$1/dashboard-rules.yml" &&
           promtool check rules "$1/dashboard-rules.yml"' _ "$tmp"
check "dashboard, alerts and tests use only metrics-contract.txt" \
  python3 monitoring/lint_monitoring.py contract
check "dashboard structure, datasource uid and compose mounts agree" \
  python3 monitoring/lint_monitoring.py wiring

# Prometheus: configs, alert rules and their unit tests.
check "promtool check config monitoring/prometheus.yml" \
  promtool check config monitoring/prometheus.yml
check "promtool check config monitoring/prometheus.compose.yml" \
  promtool check config monitoring/prometheus.compose.yml
check "prometheus.kubernetes.yml (discovery stubbed, relabelling replayed)" \
  bash -c 'python3 monitoring/lint_monitoring.py kubernetes "$1/kubernetes" &&
           promtool check config "$1/kubernetes/prometheus.kubernetes.yml"' _ "$tmp"
check "promtool check rules monitoring/alerts.yml" \
  promtool check rules monitoring/alerts.yml
check "promtool test rules monitoring/alerts.test.yml" \
  promtool test rules monitoring/alerts.test.yml

# Compose and YAML style.
check "docker-compose.yml matches the compose spec" \
  check-jsonschema --builtin-schema vendor.compose-spec monitoring/docker-compose.yml
check "yamllint -s monitoring/" \
  yamllint -s monitoring/

if ((failures > 0)); then
  echo "check-monitoring: $failures check(s) failed" >&2
  exit 1
fi
echo "check-monitoring: all checks passed"
