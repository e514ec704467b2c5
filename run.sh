#!/usr/bin/env bash
# Starts Classcloud on the embedded default: SQLite and files under $CLASSCLOUD_DATA (default ./data),
# listening on $CLASSCLOUD_URLS (default http://localhost:8080), with the container platform on:
# Docker Engine, the registry on $CLASSCLOUD_REGISTRY (default 127.0.0.1:5000) and the system
# images from images/; with $CLASSCLOUD_DOMAIN, Caddy in front for HTTPS. Workloads are kept off private
# ranges but for $CLASSCLOUD_EGRESS_ALLOW (e.g. the school's package mirror; see docs/operations.md). Installs what is missing first (run it
# as root or with sudo).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/lib.sh

require_dotnet
export CLASSCLOUD_DATA="${CLASSCLOUD_DATA:-$PWD/data}"
# With a domain (CLASSCLOUD_DOMAIN=classcloud.example.ac.kr), Caddy serves HTTPS for it on ports 80 and 443 and
# the platform listens on loopback only; without one, plain HTTP on localhost (docs/operations.md).
if [ -n "${CLASSCLOUD_DOMAIN:-}" ]; then
  export CLASSCLOUD_URLS="${CLASSCLOUD_URLS:-http://127.0.0.1:8080}"
  export Classcloud__PublicUrl="https://$CLASSCLOUD_DOMAIN"
fi
export CLASSCLOUD_URLS="${CLASSCLOUD_URLS:-http://localhost:8080}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log "Building Classcloud"
dotnet publish src/Classcloud.Web -c Release -o .artifacts/web -nologo -clp:ErrorsOnly >/dev/null

# The database, mail and files are private to the account that runs Classcloud.
umask 077
mkdir -p "$CLASSCLOUD_DATA"

# The container platform: the engine (with address pools for hundreds of tenant networks), the
# firewall step that keeps workloads off the host's ports, the registry (storage under
# $CLASSCLOUD_DATA/registry) and the system images (built on first start, then "up to date").
ensure_packages mmdebstrap curl git
start_docker
isolate_workloads
export CLASSCLOUD_REGISTRY="${CLASSCLOUD_REGISTRY:-127.0.0.1:5000}"
start_registry "$CLASSCLOUD_DATA/registry" "$CLASSCLOUD_REGISTRY"
export Classcloud__Platform__Enabled=true
dotnet publish src/Classcloud.Cli -c Release -o .artifacts/cli -nologo -clp:ErrorsOnly >/dev/null
log "System images (the first start builds them: several minutes)"
dotnet .artifacts/cli/classcloud.dll images build --registry "$CLASSCLOUD_REGISTRY" --recipes images

if [ -n "${CLASSCLOUD_DOMAIN:-}" ]; then
  start_caddy "$CLASSCLOUD_DOMAIN" "${CLASSCLOUD_URLS#http://}" "$CLASSCLOUD_DATA/caddy"
fi
log "Starting on $CLASSCLOUD_URLS (data in $CLASSCLOUD_DATA)"
[ -f "$CLASSCLOUD_DATA/initial-admin-password" ] && echo "Administrator: admin@localhost, password in $CLASSCLOUD_DATA/initial-admin-password"
exec dotnet .artifacts/web/Classcloud.Web.dll "$@"
