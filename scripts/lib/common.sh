#!/usr/bin/env bash
# Shared helpers for PiHub scripts. Source it; do not run it.
# shellcheck disable=SC2034  # REPO_ROOT is used by the scripts that source this file.

# Repository root, whatever the caller's working directory.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }

# die MESSAGE: print a one-line error (which should say what to do next) and exit 1.
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# free_port: print a TCP port on 127.0.0.1 that is free right now (the kernel picks it).
free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' && return 0
  fi
  # Fallback: a random high port nobody answers on.
  local port i
  for ((i = 0; i < 100; i++)); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "could not find a free loopback port"
}

# now_ms: monotonic-enough wall clock in milliseconds.
now_ms() { date +%s%3N; }

# stop_pid PID: SIGTERM, wait up to 5 s, then SIGKILL. Only for processes this script started.
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# print_usage SCRIPT: prints SCRIPT's header comment (line 2 up to `set -euo`) without the `#`s, as its --help.
print_usage() { sed -n '2,/^set -euo/p' "$1" | sed '$d; s/^# \{0,1\}//'; }

# make_scratch NAME: sets SCRATCH to a new folder ${TMPDIR:-/tmp}/NAME.XXXXXX and SERVER_PID to ""; on exit the
# server started into SERVER_PID (if any) is stopped and the folder removed.
make_scratch() {
  SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  SERVER_PID=""
  trap remove_scratch EXIT
}

remove_scratch() {
  [[ -n ${SERVER_PID:-} ]] && stop_pid "$SERVER_PID"
  rm -rf "$SCRATCH"
}

# list_shell_scripts DIR...: the shell scripts under DIR... (relative to the repository root): files named
# *.sh or whose first line is a sh/bash #! line; in a git checkout, the files git tracks or would add.
list_shell_scripts() {
  local file files
  files=$(cd "$REPO_ROOT" && git ls-files --cached --others --exclude-standard -- "$@" 2>/dev/null) || files=""
  [[ -n $files ]] || files=$(cd "$REPO_ROOT" && find "$@" -type f)
  while IFS= read -r file; do
    [[ -f $REPO_ROOT/$file ]] || continue
    if [[ $file == *.sh ]] || head -n 1 "$REPO_ROOT/$file" | grep -qE '^#!.*[/ ](ba)?sh( |$)'; then
      printf '%s\n' "$file"
    fi
  done <<<"$files"
}
