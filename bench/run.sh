#!/usr/bin/env bash
# bench/run.sh [benchmark] [--duration S] [--clients N] [--rounds R] ... — builds the host and the
# runner (Release), makes sure PostgreSQL runs, and runs one benchmark (default: accounts).
# Results: a Markdown table on stdout, and bench/results/<benchmark>-<yyyyMMdd-HHmmss>.md + .json.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

require_dotnet
start_postgres
start_docker
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export CLASSCLOUD_TEST_POSTGRES="${CLASSCLOUD_TEST_POSTGRES:-Host=127.0.0.1;Port=5432;Username=classcloud_test;Password=classcloud_test;Database=postgres}"

log "Building the host and the benchmark runner (Release)"
dotnet build src/Classcloud.Web -c Release -nologo -v quiet -clp:NoSummary >&2
dotnet build bench/Classcloud.Bench -c Release -nologo -v quiet -clp:NoSummary >&2

log "Running"
exec dotnet bench/Classcloud.Bench/bin/Release/net10.0/Classcloud.Bench.dll \
  --host src/Classcloud.Web/bin/Release/net10.0/Classcloud.Web.dll --out bench/results "$@"
