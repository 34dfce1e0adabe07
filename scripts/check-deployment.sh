#!/usr/bin/env bash
# Offline checks of the deployment assets (issue 8; ../shared/docs/reference/tooling.md §4):
#   kubernetes-validate --strict on k8s/deployment.yaml (every document, Kubernetes 1.37 schemas);
#   actionlint and check-jsonschema (vendor.github-workflows, and timeout-minutes on every job) on
#   the workflows;
#   yamllint -s on every YAML file of the repository (outside build output and virtualenvs);
#   and that the Dockerfile, the manifests and the pipeline agree with each other and with the
#   `rcm` command line: port, probe paths, subcommands, image placeholder, shutdown timing.
# Run from anywhere, with the validators on PATH (scripts/ops-requirements.txt):
#   python3 -m venv .venv-ops && .venv-ops/bin/pip install -r scripts/ops-requirements.txt
#   PATH="$PWD/.venv-ops/bin:$PATH" scripts/check-deployment.sh
# Prints one OK or FAIL line per check; exits 1 when any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."

failures=0
check() {
    local name=$1
    shift
    local output
    if output=$("$@" 2>&1); then
        echo "OK    $name"
    else
        echo "FAIL  $name"
        printf '%s\n' "$output" | sed 's/^/      /'
        failures=$((failures + 1))
    fi
}

for tool in kubernetes-validate actionlint check-jsonschema yamllint python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "FAIL  $tool is not on PATH (install scripts/ops-requirements.txt into .venv-ops)"
        exit 1
    fi
done

workflows=(.github/workflows/*.yml)
mapfile -t yaml_files < <(find . \( -name '.build*' -o -name '.venv*' -o -name .git -o -name .swiftpm \) -prune \
    -o -type f \( -name '*.yml' -o -name '*.yaml' \) -print | sort)

check "kubernetes-validate --strict k8s/deployment.yaml" kubernetes-validate --strict --quiet k8s/deployment.yaml
check "actionlint ${workflows[*]}" actionlint "${workflows[@]}"
check "check-jsonschema vendor.github-workflows ${workflows[*]}" \
    check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}"
check "check-jsonschema custom.github-workflows-require-timeout (timeout-minutes on every job)" \
    check-jsonschema --builtin-schema custom.github-workflows-require-timeout "${workflows[@]}"
check "yamllint -s (${#yaml_files[@]} files)" yamllint -s "${yaml_files[@]}"
check "Dockerfile, manifests, pipeline and rcm agree" python3 - <<'PY'
import re
import sys
from pathlib import Path

import yaml

problems = []


def need(condition, message):
    if not condition:
        problems.append(message)


# The rcm command line: subcommand names from Sources/rcm/Commands.
subcommands = set()
for source in Path("Sources/rcm/Commands").glob("*.swift"):
    subcommands.update(re.findall(r'commandName:\s*"([a-z-]+)"', source.read_text()))
need({"serve", "worker", "migrate"} <= subcommands, f"rcm subcommands found: {sorted(subcommands)}")
health_paths = {"/health/live", "/health/ready"}

# Dockerfile: EXPOSE, CMD, HEALTHCHECK.
dockerfile = Path("Dockerfile").read_text()
exposed = re.findall(r"^EXPOSE\s+(\d+)", dockerfile, re.M)
need(len(exposed) == 1, f"Dockerfile: expected one EXPOSE, found {exposed}")
port = int(exposed[0]) if exposed else 8000
cmd = re.search(r"^CMD\s+(\[.*\])", dockerfile, re.M)
cmd_args = yaml.safe_load(cmd.group(1)) if cmd else []
need(cmd_args[:1] == ["serve"], f"Dockerfile: CMD should start with serve, is {cmd_args}")
need("--port" in cmd_args and cmd_args[cmd_args.index("--port") + 1] == str(port),
     f"Dockerfile: CMD {cmd_args} does not serve on the EXPOSEd port {port}")
need("--hostname" in cmd_args and cmd_args[cmd_args.index("--hostname") + 1] == "0.0.0.0",
     "Dockerfile: CMD must listen on 0.0.0.0")
health = re.search(r"^HEALTHCHECK(?:[^\n]*\\\n)*[^\n]*", dockerfile, re.M)
health_url = re.search(r"https?://[^/\s\"]+:(\d+)(/[^\s\"]*)", health.group(0)) if health else None
need(health_url is not None, "Dockerfile: no HEALTHCHECK with a URL")
if health_url:
    need(int(health_url.group(1)) == port, f"Dockerfile: HEALTHCHECK port {health_url.group(1)} is not {port}")
    need(health_url.group(2) in health_paths, f"Dockerfile: HEALTHCHECK path {health_url.group(2)} is not a health route")

# Manifests.
documents = [d for d in yaml.safe_load_all(Path("k8s/deployment.yaml").read_text()) if d]
by_kind = {}
for document in documents:
    by_kind.setdefault(document["kind"], []).append(document)
deployments = {d["metadata"]["name"]: d for d in by_kind.get("Deployment", [])}
pods = [(d["metadata"]["name"], d["spec"]["template"]) for d in by_kind.get("Deployment", []) + by_kind.get("Job", [])]
images = set()


def probe_port(probe, ports):
    value = probe["httpGet"]["port"]
    return ports.get(value) if isinstance(value, str) else value


for owner, template in pods:
    spec = template["spec"]
    for container in spec["containers"]:
        where = f"{owner}/{container['name']}"
        images.add(container["image"])
        args = container.get("args", [])
        need(not container.get("command"), f"{where}: sets command; the image's ENTRYPOINT (rcm) must stay")
        need(args[:1] and args[0] in subcommands, f"{where}: args {args} do not start with an rcm subcommand")
        ports = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
        if args[:1] == ["serve"]:
            need("--port" in args and args[args.index("--port") + 1] == str(port), f"{where}: serve not on {port}")
            need(list(ports.values()) == [port], f"{where}: containerPort {list(ports.values())} is not {port}")
            for kind, path in (("readinessProbe", "/health/ready"), ("livenessProbe", "/health/live")):
                probe = container.get(kind)
                need(probe is not None and probe["httpGet"]["path"] == path, f"{where}: {kind} must GET {path}")
            for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
                probe = container.get(kind)
                need(probe is not None, f"{where}: no {kind}")
                if probe:
                    need(probe_port(probe, ports) == port, f"{where}: {kind} port is not {port}")
                    need(probe["httpGet"]["path"] in health_paths, f"{where}: {kind} path is not a health route")
            annotations = template["metadata"].get("annotations", {})
            need(annotations.get("prometheus.io/scrape") == "true", f"{where}: no prometheus.io/scrape")
            need(annotations.get("prometheus.io/port") == str(port), f"{where}: prometheus.io/port is not {port}")
            need(annotations.get("prometheus.io/path") == "/metrics", f"{where}: prometheus.io/path is not /metrics")
            pre_stop = container.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
            need(pre_stop[:1] == ["/bin/sleep"], f"{where}: preStop should be /bin/sleep N")
            grace = spec.get("terminationGracePeriodSeconds", 30)
            if pre_stop[:1] == ["/bin/sleep"]:
                need(int(pre_stop[1]) < grace, f"{where}: preStop sleep {pre_stop[1]} s >= grace period {grace} s")
        else:
            need(not any(k in container for k in ("readinessProbe", "livenessProbe", "startupProbe")),
                 f"{where}: only `serve` answers HTTP, yet {args[:1]} has HTTP probes")
        context = container.get("securityContext", {})
        need(context.get("readOnlyRootFilesystem") is True, f"{where}: root filesystem not read-only")
        need(context.get("allowPrivilegeEscalation") is False, f"{where}: privilege escalation allowed")
        need(context.get("capabilities", {}).get("drop") == ["ALL"], f"{where}: capabilities not dropped")
        need(context.get("runAsUser", spec.get("securityContext", {}).get("runAsUser")) == 10001,
             f"{where}: not running as uid 10001 (the Dockerfile's user)")
need(len(images) == 1, f"containers use several images: {sorted(images)}")

# Service -> API pods, HPA -> Deployment, PDB -> pods.
api_labels = [t["metadata"]["labels"] for _, t in pods if t["spec"]["containers"][0].get("args", [""])[0] == "serve"]
for service in by_kind.get("Service", []):
    selector = service["spec"]["selector"]
    need(any(selector.items() <= labels.items() for labels in api_labels),
         f"Service {service['metadata']['name']}: selector {selector} matches no serve pod")
    for entry in service["spec"]["ports"]:
        need(entry["targetPort"] in (port, "http"), f"Service: targetPort {entry['targetPort']} is not {port}")
names = {s["metadata"]["name"]: s for s in by_kind.get("Service", [])}
need("rcm-service" in names and names["rcm-service"]["spec"]["ports"][0]["port"] == 80, "rcm-service must serve port 80")
for hpa in by_kind.get("HorizontalPodAutoscaler", []):
    need(hpa["spec"]["scaleTargetRef"]["name"] in deployments, f"HPA {hpa['metadata']['name']}: no such Deployment")
all_labels = [t["metadata"]["labels"] for _, t in pods]
for pdb in by_kind.get("PodDisruptionBudget", []):
    selector = pdb["spec"]["selector"]["matchLabels"]
    need(any(selector.items() <= labels.items() for labels in all_labels), f"PDB {pdb['metadata']['name']}: no pods")

# The Secret is a template: placeholders only.
for secret in by_kind.get("Secret", []):
    need("data" not in secret, "Secret: use stringData placeholders, not data")
    for key, value in secret.get("stringData", {}).items():
        need("REPLACE_ME" in str(value), f"Secret {secret['metadata']['name']}: {key} is not a REPLACE_ME placeholder")

# ConfigMap keys are settings rcm reads.
sources = "\n".join(p.read_text() for p in Path("Sources").rglob("*.swift"))
for config_map in by_kind.get("ConfigMap", []):
    for key in config_map.get("data", {}):
        need(f'"{key}"' in sources, f"ConfigMap {config_map['metadata']['name']}: rcm does not read {key}")

# The pipeline replaces exactly the image and color names the manifests use.
pipeline = "\n".join(p.read_text() for p in Path(".github/workflows").glob("*.yml"))
for image in images:
    need(image in pipeline, f"the pipeline does not substitute the manifests' image {image}")
need("rcm-api-blue" in deployments, "no Deployment rcm-api-blue for the blue-green pipeline")

if problems:
    print("\n".join(problems))
    sys.exit(1)
PY

if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "deployment checks passed"
