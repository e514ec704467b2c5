# Shared by run.sh and test.sh: install what is missing, start local services.
# Sourced, not executed. Every function is idempotent.

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else
    echo "This step needs root: run as root, or install sudo. The command was: $*" >&2
    return 1
  fi
}

apt_updated=0
# ensure_packages PKG... — installs the Debian packages that are not installed yet.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "Installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "Missing packages: ${missing[*]}. As root, run: apt-get update && apt-get install -y ${missing[*]}" >&2
    return 1
  fi
  if [ $apt_updated -eq 0 ]; then as_root apt-get update -qq >/dev/null; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET 10 SDK is required (it is not in Debian's archive). Install it from Microsoft's packages, then run this again." >&2
    return 1
  fi
  if ! command -v npm >/dev/null 2>&1; then ensure_packages nodejs npm; fi
}

# start_postgres — starts the Debian cluster on 127.0.0.1 and makes the test role (CREATEDB).
start_postgres() {
  ensure_packages postgresql
  local version cluster
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h 2>/dev/null | grep -q .; then as_root pg_createcluster "$version" main >/dev/null; fi
  cluster=$(pg_lsclusters -h | head -n 1 | awk '{print $1" "$2}')
  if ! pg_lsclusters -h | head -n 1 | grep -q online; then
    log "Starting PostgreSQL $cluster"
    as_root pg_ctlcluster $cluster start
  fi
  for _ in $(seq 1 30); do
    as_root su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1 && break
    sleep 1
  done
  as_root su postgres -c "psql -qAtc \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'classcloud_test') THEN CREATE ROLE classcloud_test LOGIN CREATEDB PASSWORD 'classcloud_test'; END IF; END \\\$\\\$;\"" >/dev/null
}

# configure_docker — writes default-address-pools into /etc/docker/daemon.json (other keys are kept):
# the engine's default pools hold only ~30 bridge networks, one per tenant needs hundreds.
# CLASSCLOUD_ADDRESS_POOL (default 10.200.0.0/14) is cut into /24s: 1024 tenant networks of 254
# addresses. Returns 0 when the file changed (dockerd must restart to use it), 1 when it was right.
configure_docker() {
  local pool=${CLASSCLOUD_ADDRESS_POOL:-10.200.0.0/14}
  as_root mkdir -p /etc/docker
  as_root python3 - "$pool" <<'PY'
import json, sys
path, pool = "/etc/docker/daemon.json", sys.argv[1]
try:
    with open(path) as f:
        config = json.load(f)
except FileNotFoundError:
    config = {}
want = [{"base": pool, "size": 24}]
if config.get("default-address-pools") == want:
    sys.exit(1)
config["default-address-pools"] = want
with open(path, "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
PY
}

# start_docker — installs Debian's docker.io and starts dockerd by hand when nothing answers
# (there is no systemd on our machines). Log: /var/log/classcloud-dockerd.log.
start_docker() {
  ensure_packages docker.io python3 || return 1
  if configure_docker && as_root /usr/bin/docker info >/dev/null 2>&1; then
    log "Restarting dockerd: /etc/docker/daemon.json changed"
    stop_docker || return 1
  fi
  if as_root /usr/bin/docker info >/dev/null 2>&1; then return 0; fi
  log "Starting dockerd (log: /var/log/classcloud-dockerd.log)"
  # A pid file left by a dockerd that died makes the next one refuse to start.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    as_root rm -f /var/run/docker.pid
  fi
  as_root sh -c 'setsid nohup dockerd >>/var/log/classcloud-dockerd.log 2>&1 </dev/null &'
  for _ in $(seq 1 60); do
    as_root /usr/bin/docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "dockerd did not answer within 60 s; see /var/log/classcloud-dockerd.log" >&2
  return 1
}

# stop_docker — stops the dockerd started by start_docker (SIGTERM to the pid in its pid file) and
# waits until it is gone. Containers with a restart policy come back when it starts again.
stop_docker() {
  local pid
  pid=$(cat /var/run/docker.pid 2>/dev/null) || return 0
  as_root kill "$pid" 2>/dev/null || return 0
  # dockerd gives containers up to their stop timeout (10 s by default) before it exits.
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  echo "dockerd ($pid) did not stop within 60 s" >&2
  return 1
}

# restart_docker — stop_docker, then start_docker (the reconciler's dockerd-restart test uses it).
restart_docker() { stop_docker && start_docker; }

# isolate_workloads — the firewall step of DESIGN.md §2: any container reaches host ports bound to
# 0.0.0.0 through its bridge's gateway address. Workload tenant networks use bridges named cc-*
# (the Docker driver names them), so INPUT sends packets arriving on cc-+ to CLASSCLOUD-ISOLATION,
# which drops every new connection to the host; answers to connections the host opened (the
# gateway reaching a workload) are ESTABLISHED and pass. Idempotent.
isolate_workloads() {
  ensure_packages iptables || return 1
  local chain=CLASSCLOUD-ISOLATION
  as_root iptables -w -N "$chain" 2>/dev/null || true
  as_root iptables -w -C "$chain" -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN 2>/dev/null ||
    as_root iptables -w -A "$chain" -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN || return 1
  as_root iptables -w -C "$chain" -j DROP 2>/dev/null || as_root iptables -w -A "$chain" -j DROP || return 1
  as_root iptables -w -C INPUT -i cc-+ -j "$chain" 2>/dev/null || as_root iptables -w -I INPUT 1 -i cc-+ -j "$chain" || return 1
  block_workload_egress
}

# The private ranges a workload must not reach (the school's LAN, carrier NAT, link-local with the
# cloud metadata address 169.254.169.254). The web host's egress readiness check reads the same list
# back (Hosting/EgressReadiness.cs): keep the two in step.
CLASSCLOUD_PRIVATE_RANGES="10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 100.64.0.0/10 169.254.0.0/16"

# workload_resolvers — the IPv4 name servers dockerd gives containers' upstream queries: those of
# /etc/resolv.conf, or of systemd-resolved's upstream file when the first is the 127.0.0.53 stub.
workload_resolvers() {
  local f
  for f in /etc/resolv.conf /run/systemd/resolve/resolv.conf; do
    [ -r "$f" ] && awk '$1 == "nameserver" && $2 ~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/ && $2 !~ /^127\./ { print $2 }' "$f"
  done | sort -u
}

# block_workload_egress — the forwarding half of isolation: DOCKER-USER sends packets from cc-* bridges
# to CLASSCLOUD-EGRESS, which lets answers (ESTABLISHED), traffic to a tenant bridge (Docker's own
# isolation rules then keep each network to itself) and the allow-list CLASSCLOUD_EGRESS_ALLOW
# (addresses or CIDRs, separated by spaces or commas: a school's package mirror) through, and drops
# new connections to the private ranges. The chain is rewritten in one iptables-restore (no moment
# without rules, and a changed allow-list replaces the old one); idempotent. DNS keeps working: the
# host's resolvers are allowed on port 53 (workload_resolvers). IPv6 (fc00::/7) is blocked too when
# ip6tables can read DOCKER-USER.
block_workload_egress() {
  local chain=CLASSCLOUD-EGRESS entry range rules allow=${CLASSCLOUD_EGRESS_ALLOW:-}
  rules="*filter
:$chain - [0:0]
-A $chain -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN
-A $chain -o cc-+ -j RETURN
"
  for entry in ${allow//,/ }; do
    if ! [[ $entry =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}(/[0-9]{1,2})?$ ]]; then
      echo "CLASSCLOUD_EGRESS_ALLOW: '$entry' is not an IPv4 address or CIDR" >&2
      return 1
    fi
    rules+="-A $chain -d $entry -j RETURN
"
  done
  # Docker's resolver asks the host's name servers from the container's namespace, so the packets pass
  # here: DNS (port 53 only) to the resolvers the engine reads is let through, even on a private address.
  for entry in $(workload_resolvers); do
    rules+="-A $chain -d $entry -p udp --dport 53 -j RETURN
-A $chain -d $entry -p tcp --dport 53 -j RETURN
"
  done
  for range in $CLASSCLOUD_PRIVATE_RANGES; do
    rules+="-A $chain -d $range -j DROP
"
  done
  rules+="COMMIT
"
  as_root iptables -w -N DOCKER-USER 2>/dev/null || true
  printf '%s' "$rules" | as_root iptables-restore -w --noflush || return 1
  as_root iptables -w -C DOCKER-USER -i cc-+ -j "$chain" 2>/dev/null ||
    as_root iptables -w -I DOCKER-USER 1 -i cc-+ -j "$chain" || return 1
  if as_root ip6tables -w -S DOCKER-USER >/dev/null 2>&1; then
    as_root ip6tables -w -C DOCKER-USER -i cc-+ -d fc00::/7 -m conntrack --ctstate NEW -j DROP 2>/dev/null ||
      as_root ip6tables -w -I DOCKER-USER 1 -i cc-+ -d fc00::/7 -m conntrack --ctstate NEW -j DROP || return 1
  fi
}

# start_registry DIR [ADDR] — the distribution registry (Debian docker-registry) on loopback
# (default 127.0.0.1:5000), storage under DIR. Internal services bind to 127.0.0.1 only: any
# container reaches host ports bound to 0.0.0.0 through its bridge gateway (DESIGN.md §2).
start_registry() {
  local dir=$1 addr=${2:-127.0.0.1:5000}
  ensure_packages docker-registry curl || return 1
  if curl -fsS "http://$addr/v2/" >/dev/null 2>&1; then return 0; fi
  mkdir -p "$dir/storage"
  dir=$(cd "$dir" && pwd)
  cat > "$dir/config.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: $addr
YML
  log "Starting the registry on $addr (storage: $dir/storage)"
  setsid nohup docker-registry serve "$dir/config.yml" >>"$dir/registry.log" 2>&1 </dev/null &
  for _ in $(seq 1 30); do
    curl -fsS "http://$addr/v2/" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "The registry did not answer on $addr within 30 s; see $dir/registry.log" >&2
  return 1
}

# caddy_file SITE UPSTREAM [GLOBAL_OPTIONS] — the Caddyfile run.sh gives Caddy: HTTPS for SITE (Caddy gets and
# renews the certificate; a localhost site gets one from Caddy's own CA) in front of the platform's loopback
# address. Caddy sends X-Forwarded-For/-Proto/-Host, which the platform believes from loopback only.
# GLOBAL_OPTIONS (tests) go into the global block, one per line.
caddy_file() {
  printf '{\n%s\n}\n' "${3:-}"
  cat <<CADDY
$1 {
	reverse_proxy $2
}
CADDY
}

# start_caddy SITE UPSTREAM DIR — installs Caddy (Debian) and runs it with caddy_file's configuration; its
# certificates and log stay in DIR. A Caddy already running from DIR is restarted with the new file.
start_caddy() {
  local site=$1 upstream=$2 dir=$3
  ensure_packages caddy || return 1
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  caddy_file "$site" "$upstream" > "$dir/Caddyfile"
  if [ -f "$dir/caddy.pid" ] && kill "$(cat "$dir/caddy.pid")" 2>/dev/null; then sleep 1; fi
  log "Starting Caddy for https://$site (log: $dir/caddy.log)"
  HOME="$dir" XDG_DATA_HOME="$dir/data" XDG_CONFIG_HOME="$dir/config" \
    setsid nohup caddy run --config "$dir/Caddyfile" --adapter caddyfile >>"$dir/caddy.log" 2>&1 </dev/null &
  echo $! > "$dir/caddy.pid"
}
