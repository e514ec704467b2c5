#!/usr/bin/env bash
# Builds the Classcloud base image: a Debian bookworm minbase root filesystem made with mmdebstrap,
# imported into the Docker Engine through its API (no public image registry is reachable, and the
# docker CLI is not needed). Usage: images/base/build.sh [TAG]   (default classcloud/base:bookworm)
# CLASSCLOUD_DEBIAN_MIRROR overrides the mirror; by default it is the one this machine's apt uses.
set -euo pipefail
tag=${1:-classcloud/base:bookworm}
socket=${CLASSCLOUD_DOCKER_SOCKET:-/var/run/docker.sock}

# The first bookworm "deb" source of apt (deb822 .sources files, then one-line .list files).
detect_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'BEGIN{RS=""} /(^|\n)Types:[^\n]*deb/ && /(^|\n)Suites:[^\n]*[ \t]bookworm([ \t]|\n|$)/ && !/(^|\n)Enabled:[ \t]*no/ {
           if (match($0, /(^|\n)URIs:[ \t]*[^ \t\n]+/)) { s = substr($0, RSTART, RLENGTH); sub(/^\n?URIs:[ \t]*/, "", s); print s; exit } }' "$f"
  done | head -n 1 | grep . && return 0
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '$1=="deb" { i=2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1)=="bookworm") { print $i; exit } }' | grep .
}
mirror=${CLASSCLOUD_DEBIAN_MIRROR:-$(detect_mirror || echo http://deb.debian.org/debian)}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "==> Root filesystem: Debian bookworm minbase from $mirror" >&2
# ca-certificates: HTTPS from inside workspaces; apt is told not to pull recommends into images.
mmdebstrap --variant=minbase --include=ca-certificates \
  --customize-hook='echo "APT::Install-Recommends \"false\";" > "$1/etc/apt/apt.conf.d/90classcloud"' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
  bookworm "$work/rootfs.tar" "$mirror"

echo "==> Importing as $tag" >&2
repo=${tag%:*}; version=${tag##*:}
[ "$repo" = "$tag" ] && version=latest
# The engine answers with JSON progress lines; an {"error":...} line means the import failed.
out=$(curl -sS --fail --unix-socket "$socket" -X POST -H 'Content-Type: application/x-tar' -T "$work/rootfs.tar" \
  "http://docker/v1.41/images/create?fromSrc=-&repo=$repo&tag=$version&changes=ENV%20LANG%3DC.UTF-8&changes=CMD%20%5B%22bash%22%5D")
if printf '%s' "$out" | grep -q '"error"'; then
  echo "Import failed: $out" >&2
  exit 1
fi
echo "==> $tag: $(printf '%s' "$out" | tail -n 1)" >&2
