#!/bin/sh
# classcloud: the assignments command of a Classcloud course workspace (issue 13).
# POSIX sh and curl only, so it answers in milliseconds (no runtime to start). It talks to Classcloud over
# the Unix socket mounted read-only beside it, with the workspace's own token (CLASSCLOUD_TOKEN, set when the
# workspace starts, revoked with it). The server words every text in the user's language; this file only
# carries the sentences needed when the server cannot be asked.
SOCKET=${CLASSCLOUD_SOCKET:-/opt/classcloud/run/workspace-api.sock}
API=http://workspace/api/v1/workspace-cli

unreachable() {
  echo "Classcloud is not reachable: ${1:-no answer on $SOCKET}." >&2
  echo "Classcloud에 연결할 수 없습니다. 잠시 후 다시 시도하세요." >&2
  exit 2
}

# call METHOD PATH [curl options...]: prints the answer; a refusal goes to stderr with exit code 1.
call() {
  method=$1 path=$2
  shift 2
  [ -S "$SOCKET" ] || unreachable "the socket $SOCKET is missing (this workspace may run where the command is not available)"
  [ -n "${CLASSCLOUD_TOKEN:-}" ] || { echo "CLASSCLOUD_TOKEN is not set: restart the workspace." >&2; exit 1; }
  body=$(mktemp) || exit 1
  # The token goes through curl's config on stdin, not its arguments, so it never shows in a process list.
  code=$(printf 'header = "Authorization: Bearer %s"\n' "$CLASSCLOUD_TOKEN" | curl -s --max-time 60 -K - --unix-socket "$SOCKET" \
    -X "$method" -o "$body" -w '%{http_code}' "$@" "$API$path") || { rm -f "$body"; unreachable; }
  case $code in
    2??) cat "$body"; rm -f "$body"; return 0 ;;
    000) rm -f "$body"; unreachable ;;
    *) cat "$body" >&2; rm -f "$body"; exit 1 ;;
  esac
}

need_number() {
  [ -n "${1:-}" ] || { call GET /help >&2; exit 1; }
}

# test N: the server hands out a script that runs the visible tests here (with timeout, output capped) and
# writes what each printed into a folder; the outputs go back for the server to compare and show the diff.
run_tests() {
  need_number "$1"
  number=$1
  dir=$(mktemp -d) || exit 1
  call GET "/assignments/$number/test-script" > "$dir/run.sh" || { rm -rf "$dir"; exit 1; }
  mkdir "$dir/out"
  CC_OUT="$dir/out" sh "$dir/run.sh"
  set --
  for f in "$dir"/out/*; do
    [ -f "$f" ] && set -- "$@" -F "$(basename "$f")=@$f"
  done
  status=0
  ( call POST "/assignments/$number/test-results" "$@" ) || status=$?
  rm -rf "$dir"
  return $status
}

case ${1:-} in
  -l|--list-assignments|assignments|list) call GET /assignments ;;
  -t|--tree-assignments|tree) call GET /tree ;;
  -g|--show-guide|guide) call GET /guide ;;
  -m|--to-assignment|go) need_number "${2:-}"; call GET "/assignments/$2/go" ;;
  --path) need_number "${2:-}"; call GET "/assignments/$2/path" ;;
  test) run_tests "${2:-}" ;;
  submit) need_number "${2:-}"; call POST "/assignments/$2/submissions" ;;
  status) call GET /status ;;
  -h|--help|help|'') call GET /help ;;
  *) call GET /help >&2; exit 1 ;;
esac
