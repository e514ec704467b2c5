#!/usr/bin/env bash
# Starts Classcloud on the embedded default: SQLite and files under $CLASSCLOUD_DATA (default ./data),
# listening on $CLASSCLOUD_URLS (default http://localhost:8080). Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/lib.sh

require_dotnet
export CLASSCLOUD_DATA="${CLASSCLOUD_DATA:-$PWD/data}"
export CLASSCLOUD_URLS="${CLASSCLOUD_URLS:-http://localhost:8080}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log "Building Classcloud"
dotnet publish src/Classcloud.Web -c Release -o .artifacts/web -nologo -clp:ErrorsOnly >/dev/null

# The database, mail and files are private to the account that runs Classcloud.
umask 077
mkdir -p "$CLASSCLOUD_DATA"
log "Starting on $CLASSCLOUD_URLS (data in $CLASSCLOUD_DATA)"
[ -f "$CLASSCLOUD_DATA/initial-admin-password" ] && echo "Administrator: admin@localhost, password in $CLASSCLOUD_DATA/initial-admin-password"
exec dotnet .artifacts/web/Classcloud.Web.dll "$@"
