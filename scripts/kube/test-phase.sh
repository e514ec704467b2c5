# Sourced by test.sh (after scripts/lib.sh): the RealCluster tests against a real single-node
# Kubernetes (cluster.sh next to this file). The cluster is built once into $KUBE_HOME, started only
# for these tests and always stopped again. A cluster that cannot be built, started or given the
# test image is a failure counted in the summary (one line in crashed.txt), never a skip.

KUBE_CLUSTER=$(dirname "${BASH_SOURCE[0]}")/cluster.sh
# The platform tests' own base image (mmdebstrap minbase, user 1000), built by their EngineFixture
# into the Docker engine; the cluster pulls it from the loopback registry.
KUBE_TEST_IMAGE=${CLASSCLOUD_K8S_E2E_IMAGE:-127.0.0.1:5000/classcloud-test/base:1}
KUBE_TEST_PROJECTS="tests/Classcloud.Platform.Tests/Classcloud.Platform.Tests.csproj tests/Classcloud.Web.Tests/Classcloud.Web.Tests.csproj"

kube() { as_root env KUBE_HOME="$KUBE_HOME" KUBE_CONTAINERD_SOCKET="$KUBE_CONTAINERD_SOCKET" "$KUBE_CLUSTER" "$@"; }

# kube_failed RESULTS STEP MESSAGE — one failure in the summary, the reason on stderr.
kube_failed() {
  echo "Real cluster: $3 (log: $1/kube.log)" >&2
  tail -n 15 "$1/kube.log" >&2
  echo "kube-$2" >> "$1/crashed.txt"
}

kube_down() {
  [ -n "${KUBE_UP:-}" ] || return 0
  log "Stopping the cluster"
  kube down >>"$KUBE_LOG" 2>&1 || echo "cluster.sh down failed (log: $KUBE_LOG)" >&2
  KUBE_UP=
}

# run_real_cluster_tests RESULTS — 0 when every step and test passed.
run_real_cluster_tests() {
  local results=$1 kubeconfig project name rc=0
  KUBE_LOG=$results/kube.log
  log "Real cluster: building Kubernetes (once; cached in $KUBE_HOME)"
  if ! kube build >>"$KUBE_LOG" 2>&1; then
    kube_failed "$results" build "building the cluster failed"; return 1
  fi
  KUBE_UP=1
  trap 'kube_down' EXIT
  trap 'kube_down; exit 130' INT TERM
  log "Real cluster: starting it"
  if ! kubeconfig=$(kube up 2>>"$KUBE_LOG" | tee -a "$KUBE_LOG" | tail -n 1) || [ ! -f "$kubeconfig" ]; then
    kube_failed "$results" up "the cluster did not start"; kube_down; return 1
  fi
  log "Real cluster: loading $KUBE_TEST_IMAGE"
  local source=${KUBE_TEST_IMAGE#127.0.0.1:5000/}
  if ! { as_root docker tag "$source" "$KUBE_TEST_IMAGE" && as_root docker push "$KUBE_TEST_IMAGE" && kube load "$KUBE_TEST_IMAGE"; } >>"$KUBE_LOG" 2>&1; then
    kube_failed "$results" image "the test image $KUBE_TEST_IMAGE could not be loaded (the platform tests build $source)"; kube_down; return 1
  fi
  for project in $KUBE_TEST_PROJECTS; do
    name=$(basename "$project" .csproj).RealCluster
    log "Testing $name"
    CLASSCLOUD_K8S_E2E=$kubeconfig CLASSCLOUD_K8S_E2E_IMAGE=$KUBE_TEST_IMAGE \
      dotnet test "$project" -c Release --no-build -nologo --filter "FullyQualifiedName~RealCluster" \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
      --results-directory "$results" || rc=1
    if [ ! -f "$results/$name.trx" ]; then
      echo "$name produced no results (it crashed or did not start)." >&2
      echo "$name" >> "$results/crashed.txt"
      rc=1
    fi
  done
  kube_down
  trap - EXIT INT TERM
  return $rc
}
