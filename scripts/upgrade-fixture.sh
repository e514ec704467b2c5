#!/usr/bin/env bash
# Makes the upgrade test's databases with a released build (docs/operations.md "Upgrades"):
#   scripts/upgrade-fixture.sh <commit of the release> [out-dir]
# Builds that commit, runs it once on SQLite and once on PostgreSQL with a fresh data directory, makes data through
# its API (the administrator signs in, makes a token, a course and a notice) and keeps what the next release must
# still read: the SQLite file and key-encryption key, a plain SQL dump of the PostgreSQL database, and the facts the
# test checks (fixture.json). Run it after each release; the test (UpgradeTests) then migrates these with the code
# of the day. Needs the .NET SDK, curl, python3 and the test PostgreSQL role (scripts/lib.sh start_postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
commit="${1:?usage: scripts/upgrade-fixture.sh <commit> [out-dir]}"
out="${2:-tests/Classcloud.Web.Tests/Data/Upgrade}"
work="$(mktemp -d /tmp/classcloud-upgrade-XXXXXX)"
host_pid=""
cleanup() {
  [ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null || true
  git worktree remove --force "$work/src" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${UPGRADE_FIXTURE_BIN:-}" ]; then
  cp -r "$UPGRADE_FIXTURE_BIN" "$work/bin" # already built from that commit
else
  git worktree add --detach "$work/src" "$commit" >/dev/null
  (cd "$work/src" && dotnet build src/Classcloud.Web -c Release -o "$work/bin" -nologo -clp:ErrorsOnly >/dev/null)
fi
pg_admin="${CLASSCLOUD_TEST_POSTGRES_URL:-postgresql://classcloud_test:classcloud_test@127.0.0.1:5432/postgres}"
mkdir -p "$out"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts the released host on $1 (data directory) with extra environment "$@"; sets $url and $password.
start_host() {
  local data="$1"; shift
  local port; port="$(free_port)"
  url="http://127.0.0.1:$port"
  env CLASSCLOUD_DATA="$data" Classcloud__DataDirectory="$data" CLASSCLOUD_URLS="$url" ASPNETCORE_URLS="$url" \
    Classcloud__Platform__Enabled=false "$@" dotnet "$work/bin/Classcloud.Web.dll" --urls "$url" >"$data.log" 2>&1 &
  host_pid=$!
  for _ in $(seq 1 120); do
    curl -fsS "$url/healthz" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -fsS "$url/healthz" >/dev/null
  password="$(sed -n 's/^ *password: *//p' "$data.log" | head -1)"
  [ -n "$password" ] || { echo "no administrator password in $data.log" >&2; exit 1; }
}

stop_host() { kill -TERM "$host_pid"; wait "$host_pid" 2>/dev/null || true; host_pid=""; }

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# Data through the API of the release: what the test reads back after migrating.
make_data() {
  local jar="$work/cookies"
  curl -sS --fail-with-body -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"email\":\"admin@localhost\",\"password\":\"$password\"}" "$url/api/v1/auth/login" >/dev/null
  token="$(curl -sS --fail-with-body -b "$jar" -H 'Content-Type: application/json' -d '{"name":"upgrade fixture","expiresInDays":365}' \
    "$url/api/v1/tokens" | json "['token']")"
  local auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
  course="$(curl -sS --fail-with-body "${auth[@]}" -d '{"name":"업그레이드 강좌","description":"2026-2"}' "$url/api/v1/courses" | json "['id']")"
  post="$(curl -sS --fail-with-body "${auth[@]}" -d '{"title":"첫 공지","body":"**환영합니다** — kept across the upgrade","visibility":"everyone"}' \
    "$url/api/v1/courses/$course/boards/notice/posts" | json "['id']")"
}

# SQLite: the file (written back from its write-ahead log at a clean stop) and the key that encrypts the data protection keys.
data="$work/sqlite"
start_host "$data"
make_data
stop_host
python3 - "$data/classcloud.db" "$out/release.db" <<'EOF'
import sqlite3, sys
src = sqlite3.connect(sys.argv[1]); dst = sqlite3.connect(sys.argv[2])
src.backup(dst); dst.close(); src.close()
EOF
cp "$data/keys/key-encryption.key" "$out/release.key"
cat >"$out/fixture.json" <<EOF
{ "commit": "$(git rev-parse "$commit")", "password": "$password", "token": "$token", "course": $course, "post": $post }
EOF

# PostgreSQL: a fresh database, the same data, a plain SQL dump (no owners or grants, psql meta-commands left out).
db="cc_upgrade_$(date +%s)"
psql "$pg_admin" -qc "CREATE DATABASE $db" >/dev/null
pg_url="${pg_admin%/*}/$db"
start_host "$work/postgres" Classcloud__Database__Provider=Postgres \
  Classcloud__Database__ConnectionString="Host=127.0.0.1;Port=5432;Username=classcloud_test;Password=classcloud_test;Database=$db"
make_data
stop_host
cp "$work/postgres/keys/key-encryption.key" "$out/release-postgres.key"
pg_dump --no-owner --no-privileges --inserts "$pg_url" | grep -v '^\\' >"$out/release-postgres.sql"
cat >"$out/fixture-postgres.json" <<EOF
{ "commit": "$(git rev-parse "$commit")", "password": "$password", "token": "$token", "course": $course, "post": $post }
EOF
psql "$pg_admin" -qc "DROP DATABASE $db" >/dev/null
echo "upgrade fixture of $commit written to $out"
