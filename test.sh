#!/usr/bin/env bash
# Runs every test project and ends with one line: "N passed, N failed, N skipped".
# Installs and starts what the tests need: PostgreSQL, Chromium (+ Korean fonts), Caddy and nginx (the proxy tests), the Docker Engine
# (+ the firewall step isolate_workloads), the registry on 127.0.0.1:5000, mmdebstrap (the platform
# tests build their small base image with it; the big system images are not built here), kubectl,
# the npm packages of the Kubernetes manifest validator, and a real single-node Kubernetes for the
# RealCluster tests (scripts/kube/cluster.sh: built once into KUBE_HOME, up only around them).
set -uo pipefail
cd "$(dirname "$0")"
. scripts/lib.sh

# A step that fails before the tests still ends with the summary line (one failure for the step).
fail_setup() { echo "Setup failed: $*" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1; }

require_dotnet || fail_setup "the .NET SDK"
ensure_packages postgresql chromium fonts-noto-cjk mmdebstrap apache2-utils caddy nginx-light openssl git || fail_setup "Debian packages"
# The Kubernetes manifest tests render the overlays with `kubectl kustomize` (kustomize v5 syntax:
# kubectl 1.27 or later) and validate them with the npm package kubernetes-models (installed once
# from its lock file, offline afterwards).
command -v kubectl >/dev/null 2>&1 || ensure_packages kubernetes-client || fail_setup "kubectl"
( cd tests/Classcloud.Platform.Tests/Kubernetes/k8s-validate && { [ -d node_modules/kubernetes-models ] || npm ci --no-audit --no-fund --loglevel=error; } ) || fail_setup "the manifest validator's npm packages"
start_postgres || fail_setup "PostgreSQL"
start_docker || fail_setup "the Docker Engine"
isolate_workloads || fail_setup "the workload firewall"
start_registry .artifacts/registry || fail_setup "the registry"
export CLASSCLOUD_TEST_POSTGRES="Host=127.0.0.1;Port=5432;Username=classcloud_test;Password=classcloud_test;Database=postgres"
export CLASSCLOUD_CHROMIUM="${CLASSCLOUD_CHROMIUM:-/usr/bin/chromium}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The real cluster's build cache and state live outside the checkout (1.6 GB once built).
export KUBE_HOME=${KUBE_HOME:-$HOME/.cache/classcloud-kube}
# Its containerd gets a socket of its own: dockerd 20.10 takes /run/containerd/containerd.sock for
# "the system containerd" whenever that exists as dockerd starts (the dockerd-restart test restarts it).
export KUBE_CONTAINERD_SOCKET=${KUBE_CONTAINERD_SOCKET:-/run/classcloud-kube/containerd.sock}

results=.artifacts/test-results
rm -rf "$results"; mkdir -p "$results"

log "Building"
if ! dotnet build Classcloud.slnx -c Release -nologo -clp:ErrorsOnly; then
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  log "Testing $name"
  # The RealCluster tests run below, against the cluster. A hung test is a failure, not a stuck CI: the
  # blame collector ends the run after the hang timeout (and the TRX written so far still counts).
  dotnet test "$project" -c Release --no-build -nologo --filter "FullyQualifiedName!~RealCluster" \
    --blame-hang-timeout "${CLASSCLOUD_TEST_HANG_TIMEOUT:-10m}" \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || status=1
  if [ ! -f "$results/$name.trx" ]; then
    echo "$name produced no results (it crashed or did not start)." >&2
    echo "$name" >> "$results/crashed.txt"
    status=1
  fi
done

. scripts/kube/test-phase.sh
run_real_cluster_tests "$results" || status=1

# Sum the counters of every TRX file; a project that crashed counts as one failure.
read -r passed failed skipped < <(python3 - "$results" <<'PY'
import glob, re, sys
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    text = open(path, encoding="utf-8").read()
    m = re.search(r'<Counters ([^>]*)/>', text)
    if not m:
        f += 1; continue
    c = dict(re.findall(r'(\w+)="(\d+)"', m.group(1)))
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    # xUnit's skips are neither "notExecuted" nor "inconclusive" in the counters: total - executed.
    s += int(c.get("total", 0)) - int(c.get("executed", 0)) + int(c.get("inconclusive", 0))
try:
    f += len(open(sys.argv[1] + "/crashed.txt").read().split())
except FileNotFoundError:
    pass
print(p, f, s)
PY
)
[ "$failed" -gt 0 ] && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
