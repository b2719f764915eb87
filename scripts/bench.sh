#!/usr/bin/env bash
# PiHub benchmarks (first version; grows with issue 5).
#
#   scripts/bench.sh [--smoke] [--no-build] [--runs N] [--qemu] [--no-peers] [--no-store] [--no-pin]
#
#   --smoke     ~20-second CI run: 2 starts per build, 3 s idle wait, 3 s wrk; proves the script works
#   --no-build  use the binaries already in artifacts/publish/ instead of publishing
#   --runs N    cold starts per build (default 5; medians are reported)
#   --qemu      also time the arm64 AOT binary's start under qemu-aarch64-static
#   --no-peers  skip Node-RED / Homebridge UI
#   --no-store  skip the auth-store figures (they run `dotnet test`)
#   --no-recorder skip the recorder figures
#   --recorder-only only the recorder figures (AOT build)
#   --no-pin    do not pin (see "placement" below): server and generators share every core
#   --no-power  skip the power-fail figures (they run `dotnet test`)
#   --no-dashboard skip the dashboard page-load figures (they need Debian's chromium)
#
# For the Native AOT linux-x64 build and the trimmed single-file JIT fallback it measures:
#   start_ms         cold start to the first answer on GET /api/ (200, or 401 once the
#                    real server protects it), median of N
#   cpu_to_ready_ms  process CPU time (utime+stime, /proc/<pid>/stat) at that moment, median of N
#   idle_rss_mb      VmRSS 10 s after ready, median of N
#   binary_mb        size of the published binary
#   bench_states     authenticated `wrk -t2 -c32 -d10s --latency` on GET /api/states with 100
#                    entities: req/s, p50/p99, server CPU per request (skipped while the server
#                    has no onboarding endpoint); then on the same server:
#   login_ms         password login latency: median of 10 full flows (POST /auth/login_flow,
#                    POST /auth/login_flow/{id} with the password)
#   fanout_N_*       (AOT only) WebSocket fan-out: N clients subscribed to state_changed while
#                    100 state changes/s are POSTed for 30 s (scripts/lib/fanout.mjs): delivery
#                    p50/p99/max and messages lost (must be 0); N = 100 and 1,000 (smoke: 100, 10 s);
#                    fanout_N_cpu_us_per_delivery: server CPU (/proc/<pid>/stat) per delivered message;
#                    fanout_N_gen_cpu_ms: the generator's own CPU (a saturated generator shows here);
#                    fanout_N_post_p99_ms: the POSTs' own round trip (the state change, no fan-out);
#                    fanout_N_sys_us_per_delivery: the kernel part of that (the socket writes);
#                    fanout_N_server_p50_ms/_p99_ms: the server's own delivery latency (event raised ->
#                    frame handed to the socket), read from GET /api/pihub/metrics histogram buckets;
#                    fanout_shared_N_*: the same on a server and generator sharing both cores (pinned
#                    runs only; scripts/lib/bench-fanout.sh)
#   loopback_write_kernel_us  (pinned like the server) kernel CPU of one 400-byte loopback TCP write to a
#                    sleeping reader (scripts/lib/sendfloor.mjs): the floor under each fan-out delivery
#   paced_get_*      GET /api/ 100 times a second on one connection (scripts/lib/paced-get.mjs): p50/p99 of a
#                    request that finds the server idle; paced_get_bare_* the same against a bare Node.js
#                    server pinned like PiHub (the machine's floor; lib/bench-fanout.sh)
#   placement        "pinned" when taskset exists and there are >= 2 cores: the server under load
#                    (states, login, fan-out) runs on core 0, wrk and the fan-out generator on core 1;
#                    otherwise (or --no-pin) "shared-cores". Every load figure is labelled with it.
#   peak_rss_mb      VmHWM after all of the above (peak RSS under load)
#   store_*          auth-store figures from scripts/lib/bench-store.sh (commit p50/p99 durable
#                    and not, snapshot, open+validate and recovery with 100 users/10,000 tokens)
#   recorder_*       (AOT only) the recorder on the published binary, fresh data folder: 100 entities
#                    (sensor.bench_N) each POSTed once a minute at the real rate for RECORDER_S
#                    (180 s; smoke 10 s), write_bytes of /proc/<pid>/io over that time scaled to an
#                    hour (recorder_bytes_per_hour), the same over RECORDER_IDLE_S (60 s; smoke 5 s)
#                    with no changes (recorder_idle_bytes_per_hour), VmRSS after minus before the
#                    load (recorder_rss_growth_mb); both windows start 40 s (smoke 6 s) after the
#                    previous activity, so onboarding's one-time auth-store writes are not counted;
#                    not in smoke: history_query_day_ms, the median
#                    of 10 GET /api/history/period for one entity over a seeded day of 144,000
#                    changes (scripts/lib/bench-recorder.sh --seed), and both history-store
#                    candidates in-process (scripts/lib/bench-recorder.sh: write volume on a fake
#                    clock, day query, power cuts) as variants recorder-daylog / recorder-litedb
#   power_fail_*     power-fail edge to "writes refused and stores flushed": p50/p99/max ms over
#                    1,000 simulated edges with the auth and hub stores under write load
#                    (scripts/lib/bench-power.sh; target p99 <= 10 ms)
#   cli_status_ms    (AOT) `pihub-cli status` from start to exit against the running server (admin
#                    socket), median of 2N; cli_status_direct_ms the same with the server stopped
#                    (store copy opened); cli_binary_mb the size of pihub-cli
#   dashboard_*      (AOT) scripts/bench-dashboard.sh on the published binary: per page
#                    dashboard_<page>_load_ms (median cold load in chromium, navigation -> content
#                    visible; target < 1 s) and _js_css_gzip_kb, and dashboard_first_page_js_css_gzip_kb
#                    (home after login; target <= 100 KB); skipped with a warning without chromium
#   peers            Node-RED 4.1.8 (adminAuth) and Homebridge UI, installed from npm into a
#                    scratch folder outside the repo (see scripts/lib/peers.sh); --no-peers skips
# prints a table and writes bench-results/<UTC date-time>.json and .png (a bar chart of the
# ratios, all measured in this run; smoke: ...-smoke.*, not committed).
# Every server listens on a port picked free at run time on 127.0.0.1; no traffic leaves loopback.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/deps.sh
source "$REPO_ROOT/scripts/lib/deps.sh"
# shellcheck source=lib/peers.sh
source "$REPO_ROOT/scripts/lib/peers.sh"
# shellcheck source=lib/bench-fanout.sh
source "$REPO_ROOT/scripts/lib/bench-fanout.sh"
cd "$REPO_ROOT"

RUNS=5
IDLE_S=10
WRK_S=10
ENTITIES=100
SMOKE=0
BUILD=1
QEMU=0
QEMU_RUNS=3
PEERS=1
STORE=1
POWER=1
DASHBOARD=1
LOGINS=10
FANOUT_S=30
FANOUT_NS=(100 1000)
RECORDER=1
RECORDER_DEEP=1
RECORDER_S=180
RECORDER_IDLE_S=60
RECORDER_SETTLE_S=40
RECORDER_ONLY=0
PIN=1

while (($# > 0)); do
  case "$1" in
    --smoke) SMOKE=1 RUNS=2 IDLE_S=3 WRK_S=3 QEMU_RUNS=1 FANOUT_S=10 FANOUT_NS=(100) PEERS=0 STORE=0 RECORDER_DEEP=0 RECORDER_S=10 RECORDER_IDLE_S=5 RECORDER_SETTLE_S=6 POWER=0 DASHBOARD=0 ;;
    --no-peers) PEERS=0 ;;
    --no-recorder) RECORDER=0 ;;
    --recorder-only) RECORDER_ONLY=1 ;;
    --no-store) STORE=0 ;;
    --no-pin) PIN=0 ;;
    --no-power) POWER=0 ;;
    --no-dashboard) DASHBOARD=0 ;;
    --no-build) BUILD=0 ;;
    --runs)
      [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive number"
      RUNS=$2
      shift
      ;;
    --qemu) QEMU=1 ;;
    -h | --help)
      print_usage "$0"
      exit 0
      ;;
    *) die "unknown argument '$1'; see scripts/bench.sh --help" ;;
  esac
  shift
done

CLK_TCK=$(getconf CLK_TCK)
make_scratch pihub-bench
RESULTS=$SCRATCH/results.tsv # variant <TAB> metric <TAB> value
: >"$RESULTS"
NODE_DIR=$REPO_ROOT/tests/PiHub.EndToEnd.Tests/node # has node_modules/ws (committed lock file)

# Where load runs: the server on core 0 and the generators on core 1, so a busy generator does not
# take the server's CPU (and its latency) with it. SERVER_CPU/GEN_CPU prefix the commands.
SERVER_CPU=()
GEN_CPU=()
PLACEMENT=shared-cores
if ((PIN)) && command -v taskset >/dev/null && (($(nproc) >= 2)); then
  SERVER_CPU=(taskset -c 0)
  GEN_CPU=(taskset -c 1)
  PLACEMENT=pinned
fi

# ---------------------------------------------------------------- helpers

record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RESULTS"; }

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# proc_cpu_ms PID: user+system CPU time of PID so far, in ms (clock-tick resolution).
proc_cpu_ms() {
  local stat rest
  stat=$(<"/proc/$1/stat")
  rest=${stat##*) } # fields after "pid (comm) "; utime/stime are fields 14/15 overall, 12/13 here
  awk -v hz="$CLK_TCK" '{ print int(($12 + $13) * 1000 / hz) }' <<<"$rest"
}

# proc_status_kb PID FIELD: a kB field of /proc/PID/status (VmRSS, VmHWM).
proc_status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

kb_to_mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# http_code URL [curl args...]: the status code of a loopback request ("000" if none).
http_code() {
  local url=$1
  shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" "$url" 2>/dev/null || true
}

# start_server LABEL PORT CMD...: starts the server in a fresh data folder (its working
# directory, so dev-mode data in ./.pihub never touches the repo); sets SERVER_PID, START_T0.
start_server() {
  local label=$1 port=$2
  shift 2
  local dir=$SCRATCH/$label.$port
  mkdir -p "$dir"
  START_T0=$(now_ms)
  (cd "$dir" && exec "$@" --urls "http://127.0.0.1:$port" >"$dir/server.log" 2>&1) &
  SERVER_PID=$!
  SERVER_LOG=$dir/server.log
}

# wait_ready PORT TIMEOUT_S: waits until GET /api/ answers 200 (or 401: the real server
# protects /api/, which still proves the whole pipeline answers).
wait_ready() {
  local port=$1 timeout_s=$2 deadline code
  deadline=$(($(now_ms) + timeout_s * 1000))
  while (($(now_ms) < deadline)); do
    kill -0 "$SERVER_PID" 2>/dev/null || return 2
    code=$(http_code "http://127.0.0.1:$port/api/" --max-time 1)
    [[ $code == 200 || $code == 401 ]] && return 0
    sleep 0.005
  done
  return 1
}

fail_server() {
  [[ -f $SERVER_LOG ]] && tail -n 20 "$SERVER_LOG" >&2
  die "$1"
}

# ---------------------------------------------------------------- measurements

# measure_start VARIANT IDLE(0|1) CMD...: N cold starts; records medians of start_ms,
# cpu_to_ready_ms and (if IDLE=1) idle_rss_mb.
measure_start() {
  local variant=$1 idle=$2 runs=$RUNS timeout=30
  shift 2
  [[ $variant == *qemu* ]] && runs=$QEMU_RUNS timeout=120
  local i port ms cpu starts=() cpus=() rsss=()
  for ((i = 1; i <= runs; i++)); do
    port=$(free_port)
    start_server "$variant" "$port" "$@"
    wait_ready "$port" "$timeout" || fail_server "$variant did not answer GET /api/ on 127.0.0.1:$port within ${timeout}s (log above)"
    ms=$(($(now_ms) - START_T0))
    cpu=$(proc_cpu_ms "$SERVER_PID")
    starts+=("$ms")
    cpus+=("$cpu")
    if ((idle)); then
      sleep "$IDLE_S"
      rsss+=("$(proc_status_kb "$SERVER_PID" VmRSS)")
    fi
    stop_pid "$SERVER_PID"
    SERVER_PID=""
    log "$variant run $i/$runs: ready in ${ms} ms, ${cpu} ms CPU${rsss:+, idle RSS $(kb_to_mb "${rsss[-1]}") MB}"
  done
  record "$variant" start_ms "$(printf '%s\n' "${starts[@]}" | median)"
  record "$variant" cpu_to_ready_ms "$(printf '%s\n' "${cpus[@]}" | median)"
  if ((idle)); then
    record "$variant" idle_rss_mb "$(kb_to_mb "$(printf '%s\n' "${rsss[@]}" | median)")"
  fi
}

# bench_cli CLI SERVER: `pihub-cli status` in the server's dev-mode folder, service running, then stopped.
bench_cli() {
  local cli=$1 server=$2 port dir i t0 running=() stopped=()
  port=$(free_port)
  start_server cli "$port" "$server"
  wait_ready "$port" 30 || fail_server "the server for the pihub-cli figures did not answer on 127.0.0.1:$port"
  get_token "$port" >/dev/null
  dir=$SCRATCH/cli.$port
  for ((i = 1; i <= RUNS * 2; i++)); do
    t0=$(now_ms)
    (cd "$dir" && "$cli" status >/dev/null) || fail_server "pihub-cli status failed against the running server"
    running+=($(($(now_ms) - t0)))
  done
  stop_pid "$SERVER_PID"
  SERVER_PID=""
  for ((i = 1; i <= RUNS * 2; i++)); do
    t0=$(now_ms)
    (cd "$dir" && "$cli" status >/dev/null) || die "pihub-cli status failed on the stopped server's store"
    stopped+=($(($(now_ms) - t0)))
  done
  record aot-x64 cli_status_ms "$(printf '%s\n' "${running[@]}" | median)"
  record aot-x64 cli_status_direct_ms "$(printf '%s\n' "${stopped[@]}" | median)"
  record aot-x64 cli_binary_mb "$(kb_to_mb $(($(stat -c %s "$cli") / 1024)))"
  log "pihub-cli status: $(printf '%s\n' "${running[@]}" | median) ms running, $(printf '%s\n' "${stopped[@]}" | median) ms stopped"
}

# json_field FIELD: reads JSON on stdin, prints FIELD (empty if absent).
json_field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const v=JSON.parse(s)[process.argv[1]];process.stdout.write(v==null?"":String(v))}catch{}})' "$1"; }

# get_token PORT: onboards the owner on a fresh server and prints an access token.
get_token() {
  local port=$1 base client body code token
  base=http://127.0.0.1:$port
  client=$base/
  body=$(curl -s --max-time 30 -H 'Content-Type: application/json' \
    -d "{\"client_id\":\"$client\",\"name\":\"Bench Owner\",\"username\":\"bench\",\"password\":\"bench-password-1\",\"language\":\"en\"}" \
    "$base/api/onboarding/users") || die "POST /api/onboarding/users failed"
  code=$(json_field auth_code <<<"$body")
  [[ -n $code ]] || die "onboarding gave no auth_code (answer: ${body:0:200})"
  body=$(curl -s --max-time 30 --data-urlencode grant_type=authorization_code \
    --data-urlencode "code=$code" --data-urlencode "client_id=$client" "$base/auth/token") || die "POST /auth/token failed"
  token=$(json_field access_token <<<"$body")
  [[ -n $token ]] || die "/auth/token gave no access_token (answer: ${body:0:200})"
  printf '%s' "$token"
}

# bench_states VARIANT CMD...: authenticated wrk on GET /api/states with $ENTITIES entities.
bench_states() {
  local variant=$1
  shift
  local port code token i out rps p50 p99 requests cpu0 cpu1
  port=$(free_port)
  start_server "$variant-states" "$port" ${SERVER_CPU[@]+"${SERVER_CPU[@]}"} "$@"
  record "$variant" placement "$PLACEMENT"
  wait_ready "$port" 30 || fail_server "$variant did not start for bench_states"
  code=$(http_code "http://127.0.0.1:$port/api/onboarding")
  if [[ $code == 404 ]]; then
    log "bench_states ($variant): skipped, the server has no /api/onboarding yet (404)"
    record "$variant" states_rps skipped
    stop_pid "$SERVER_PID"
    SERVER_PID=""
    return 0
  fi
  [[ $code == 200 ]] || fail_server "GET /api/onboarding answered $code; bench_states needs a fresh server (200)"
  token=$(get_token "$port")
  for ((i = 1; i <= ENTITIES; i++)); do
    code=$(http_code "http://127.0.0.1:$port/api/states/sensor.bench_$i" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "{\"state\":\"$i\",\"attributes\":{\"unit_of_measurement\":\"W\",\"friendly_name\":\"Bench $i\"}}")
    [[ $code == 200 || $code == 201 ]] || fail_server "POST /api/states/sensor.bench_$i answered $code"
  done
  cpu0=$(proc_cpu_ms "$SERVER_PID")
  out=$(${GEN_CPU[@]+"${GEN_CPU[@]}"} wrk -t2 -c32 -d"${WRK_S}s" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/states") \
    || fail_server "wrk failed against $variant"
  cpu1=$(proc_cpu_ms "$SERVER_PID")
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  if grep -q 'Non-2xx' <<<"$out"; then
    fail_server "wrk saw non-2xx answers from $variant: $(grep 'Non-2xx' <<<"$out")"
  fi
  record "$variant" states_rps "$rps"
  record "$variant" states_p50_ms "$(to_ms "$p50")"
  record "$variant" states_p99_ms "$(to_ms "$p99")"
  record "$variant" states_cpu_per_req_ms "$(awk -v c=$((cpu1 - cpu0)) -v n="$requests" 'BEGIN { printf "%.4f", n ? c / n : 0 }')"
  bench_login "$variant" "$port"
  bench_paced_get "$variant" "$port" "$token"
  if [[ $variant == aot-* ]]; then
    local n
    for n in "${FANOUT_NS[@]}"; do
      bench_fanout "$variant" "$port" "$token" "$n" "fanout_$n" "$PLACEMENT" ${GEN_CPU[@]+"${GEN_CPU[@]}"}
    done
  fi
  record "$variant" peak_rss_mb "$(kb_to_mb "$(proc_status_kb "$SERVER_PID" VmHWM)")"
  stop_pid "$SERVER_PID"
  SERVER_PID=""
}

# login_once PORT USER PASSWORD: one full password login flow; prints its time in ms
# (sum of curl's time_total for both requests). Fails unless the flow ends in create_entry.
login_once() {
  local base=http://127.0.0.1:$1 user=$2 password=$3 out t1 t2 flow body
  out=$SCRATCH/login.json
  t1=$(curl -s -o "$out" -w '%{time_total}' --max-time 30 -H 'Content-Type: application/json' \
    -d "{\"client_id\":\"$base/\",\"handler\":[\"homeassistant\",null],\"redirect_uri\":\"$base/\"}" "$base/auth/login_flow") || return 1
  flow=$(json_field flow_id <"$out")
  [[ -n $flow ]] || { warn "POST /auth/login_flow gave no flow_id: $(head -c 200 "$out")"; return 1; }
  t2=$(curl -s -o "$out" -w '%{time_total}' --max-time 30 -H 'Content-Type: application/json' \
    -d "{\"client_id\":\"$base/\",\"username\":\"$user\",\"password\":\"$password\"}" "$base/auth/login_flow/$flow") || return 1
  body=$(<"$out")
  [[ $(json_field type <<<"$body") == create_entry ]] || { warn "login step did not succeed: ${body:0:200}"; return 1; }
  awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", (a + b) * 1000 }'
}

# bench_login VARIANT PORT: median of $LOGINS full password logins of the bench owner.
bench_login() {
  local variant=$1 port=$2 i ms times=()
  for ((i = 1; i <= LOGINS; i++)); do
    ms=$(login_once "$port" bench bench-password-1) || fail_server "password login $i against $variant failed"
    times+=("$ms")
  done
  record "$variant" login_ms "$(printf '%s\n' "${times[@]}" | median)"
  log "$variant: password login median $(printf '%s\n' "${times[@]}" | median) ms over $LOGINS"
}

# bench_store: auth-store figures (scripts/lib/bench-store.sh runs the Category=Bench tests).
bench_store() {
  local out line
  log "auth-store figures (scripts/lib/bench-store.sh)"
  out=$("$REPO_ROOT/scripts/lib/bench-store.sh" 2>&1) || true
  if ! grep -q '^BENCH' <<<"$out"; then
    warn "scripts/lib/bench-store.sh printed no BENCH lines; store rows skipped: $(tail -n 5 <<<"$out")"
    record pihub-store store skipped
    return 0
  fi
  while IFS= read -r line; do
    log "$line"
    case "$line" in
      "BENCH commit durable=True:"* | "BENCH commit durable=False:"*)
        local kind=nodurable
        [[ $line == *durable=True* ]] && kind=durable
        record pihub-store "commit_${kind}_p50_ms" "$(sed -E 's/.* p50 ([0-9.]+) ms.*/\1/' <<<"$line")"
        record pihub-store "commit_${kind}_p99_ms" "$(sed -E 's/.* p99 ([0-9.]+) ms.*/\1/' <<<"$line")"
        ;;
      "BENCH snapshot"*) record pihub-store snapshot_10k_ms "$(sed -E 's/.*\): ([0-9.]+) ms.*/\1/' <<<"$line")" ;;
      "BENCH open + validate"*) record pihub-store open_validate_10k_ms "$(sed -E 's/.*\): ([0-9.]+) ms.*/\1/' <<<"$line")" ;;
      "BENCH one commit on that store"*) record pihub-store commit_on_10k_ms "$(sed -E 's/.*: ([0-9.]+) ms.*/\1/' <<<"$line")" ;;
      "BENCH start-up recovery"*) record pihub-store recovery_10k_ms "$(sed -E 's/.*\): ([0-9.]+) ms.*/\1/' <<<"$line")" ;;
    esac
  done < <(grep '^BENCH' <<<"$out")
}

# bench_power: power-fail figures (scripts/lib/bench-power.sh runs the PowerFailBenchmark test).
bench_power() {
  local out line
  log "power-fail figures (scripts/lib/bench-power.sh)"
  out=$("$REPO_ROOT/scripts/lib/bench-power.sh" 2>&1) || true
  line=$(grep '^BENCH power_fail' <<<"$out" || true)
  if [[ -z $line ]]; then
    warn "scripts/lib/bench-power.sh printed no BENCH line; power rows skipped: $(tail -n 5 <<<"$out")"
    record pihub-power power skipped
    return 0
  fi
  log "$line"
  # Anchored at the start: the line goes on with the test thread's own view, which also says p50/p99.
  record pihub-power power_fail_p50_ms "$(sed -E 's/^BENCH power_fail: p50 ([0-9.]+) ms.*/\1/' <<<"$line")"
  record pihub-power power_fail_p99_ms "$(sed -E 's/^BENCH power_fail: p50 [0-9.]+ ms, p99 ([0-9.]+) ms.*/\1/' <<<"$line")"
  record pihub-power power_fail_max_ms "$(sed -E 's/^BENCH power_fail: p50 [0-9.]+ ms, p99 [0-9.]+ ms, max ([0-9.]+) ms.*/\1/' <<<"$line")"
}

# bench_dashboard: page-load figures of the dashboard (scripts/bench-dashboard.sh, published AOT binary).
bench_dashboard() {
  local out key value
  log "dashboard page loads (scripts/bench-dashboard.sh)"
  if ! out=$("$REPO_ROOT/scripts/bench-dashboard.sh" --no-build --lines 2>&1); then
    warn "scripts/bench-dashboard.sh failed; dashboard rows skipped: $(tail -n 3 <<<"$out")"
    record dashboard dashboard skipped
    return 0
  fi
  while read -r _ key value; do
    record dashboard "$key" "$value"
  done < <(grep '^BENCH dashboard_' <<<"$out")
}

# proc_write_bytes PID: bytes PID caused to be written to storage (/proc/PID/io).
proc_write_bytes() { awk '$1 == "write_bytes:" { print $2 }' "/proc/$1/io"; }

# bench_recorder VARIANT CMD...: the recorder on the published binary (see the header).
bench_recorder() {
  local variant=$1
  shift
  local port token out io0 io1 rss0 rss1
  port=$(free_port)
  start_server "$variant-recorder" "$port" "$@"
  wait_ready "$port" 30 || fail_server "$variant did not start for bench_recorder"
  token=$(get_token "$port")
  out=$(node "$REPO_ROOT/scripts/lib/recorder-load.mjs" --base "http://127.0.0.1:$port" --token "$token" --entities 100 --create) \
    || fail_server "creating the recorder bench entities failed"
  # Let the one-time writes of onboarding settle first (the auth store's snapshot, and its
  # checkpoint after 30 s without commits), so neither window counts them.
  sleep "$RECORDER_SETTLE_S"
  rss0=$(proc_status_kb "$SERVER_PID" VmRSS)
  io0=$(proc_write_bytes "$SERVER_PID")
  out=$(node "$REPO_ROOT/scripts/lib/recorder-load.mjs" --base "http://127.0.0.1:$port" --token "$token" --entities 100 --seconds "$RECORDER_S") \
    || fail_server "the recorder load generator failed"
  sleep 6 # the last commit of the run
  io1=$(proc_write_bytes "$SERVER_PID")
  rss1=$(proc_status_kb "$SERVER_PID" VmRSS)
  [[ $(json_field errors <<<"$out") == 0 ]] || fail_server "recorder load had failed POSTs: $out"
  record "$variant" recorder_bytes_per_hour $(((io1 - io0) * 3600 / RECORDER_S))
  record "$variant" recorder_rss_growth_mb "$(awk -v a="$rss0" -v b="$rss1" 'BEGIN { printf "%.1f", (b - a) / 1024 }')"
  log "$variant recorder load: $out; $((io1 - io0)) bytes written in ${RECORDER_S}s (x$((3600 / RECORDER_S)) for an hour), RSS $(kb_to_mb "$rss0") -> $(kb_to_mb "$rss1") MB"
  sleep "$RECORDER_SETTLE_S"
  io0=$(proc_write_bytes "$SERVER_PID")
  sleep "$RECORDER_IDLE_S"
  io1=$(proc_write_bytes "$SERVER_PID")
  record "$variant" recorder_idle_bytes_per_hour $(((io1 - io0) * 3600 / RECORDER_IDLE_S))
  log "$variant recorder idle: $((io1 - io0)) bytes written in ${RECORDER_IDLE_S}s"
  stop_pid "$SERVER_PID"
  SERVER_PID=""
  ((RECORDER_DEEP)) || return 0
  bench_history_query "$variant" "$@"
}

# bench_history_query VARIANT CMD...: GET /api/history/period for one entity over a seeded day.
bench_history_query() {
  local variant=$1
  shift
  local port dir token start end i ms times=() rows
  port=$(free_port)
  dir=$SCRATCH/$variant-history.$port
  mkdir -p "$dir/.pihub"
  log "seeding one day of history (100 entities x 1,440 changes) for the query figure"
  "$REPO_ROOT/scripts/lib/bench-recorder.sh" --seed "$dir/.pihub" | grep -q 'BENCH seeded' || die "seeding history failed; run scripts/lib/bench-recorder.sh --seed /tmp/x to see why"
  start_server "$variant-history" "$port" "$@"
  wait_ready "$port" 30 || fail_server "$variant did not start on the seeded history"
  token=$(get_token "$port")
  start=$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%SZ)
  end=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  for ((i = 1; i <= 11; i++)); do
    ms=$(curl -s -o "$SCRATCH/history.json" -w '%{time_total}' --max-time 30 -H "Authorization: Bearer $token" \
      "http://127.0.0.1:$port/api/history/period/$start?filter_entity_id=sensor.bench_42&end_time=$end") || fail_server "GET /api/history/period failed"
    ((i == 1)) && continue # the first read also fills the page cache
    times+=("$(awk -v t="$ms" 'BEGIN { printf "%.2f", t * 1000 }')")
  done
  rows=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0]?.length ?? 0)' "$SCRATCH/history.json")
  ((rows > 1000)) || fail_server "the seeded history query returned $rows rows (expected about 1,440)"
  record "$variant" history_query_day_ms "$(printf '%s\n' "${times[@]}" | median)"
  record "$variant" history_query_day_min_ms "$(printf '%s\n' "${times[@]}" | sort -n | head -n 1)"
  log "$variant history query (one entity, one day, $rows rows): median $(printf '%s\n' "${times[@]}" | median) ms over 10"
  stop_pid "$SERVER_PID"
  SERVER_PID=""
}

# bench_recorder_stores: both history-store candidates in-process (scripts/lib/bench-recorder.sh).
bench_recorder_stores() {
  local out line kind
  log "history-store candidates (scripts/lib/bench-recorder.sh)"
  out=$("$REPO_ROOT/scripts/lib/bench-recorder.sh" 2>&1) || true
  grep -q 'BENCH recorder' <<<"$out" || { warn "bench-recorder.sh printed no BENCH lines: $(tail -n 5 <<<"$out")"; return 0; }
  while IFS= read -r line; do
    log "$line"
    kind=recorder-daylog
    [[ $line == *"BENCH recorder LiteDB"* ]] && kind=recorder-litedb
    case "$line" in
      *write_bytes_per_hour*)
        record "$kind" bytes_per_hour_sim "$(sed -E 's/.*: write_bytes_per_hour ([0-9]+).*/\1/' <<<"$line")"
        record "$kind" wchar_per_hour_sim "$(sed -E 's/.*wchar_per_hour ([0-9]+).*/\1/' <<<"$line")"
        record "$kind" idle_bytes_per_hour_sim "$(sed -E 's/.*idle_write_bytes_per_hour ([0-9]+).*/\1/' <<<"$line")"
        ;;
      *query_one_entity_day*)
        record "$kind" query_day_ms "$(sed -E 's/.* p50 ([0-9.]+) ms.*/\1/' <<<"$line")"
        record "$kind" query_day_min_ms "$(sed -E 's/.* min ([0-9.]+) ms.*/\1/' <<<"$line")"
        ;;
      *power_cut*)
        record "$kind" power_cut_damaged "$(sed -E 's/.* damaged ([0-9]+).*/\1/' <<<"$line")"
        record "$kind" power_cut_lost "$(sed -E 's/.* lost_acknowledged ([0-9]+).*/\1/' <<<"$line")"
        record "$kind" open_after_cut_ms "$(sed -E 's/.*open_after_cut_p50 ([0-9.]+) ms.*/\1/' <<<"$line")"
        ;;
    esac
  done < <(grep -o 'BENCH recorder.*' <<<"$out" | sort -u) # the test logger prints each line twice
}

# to_ms "1.23ms" | "850.00us" | "1.2s" -> milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

# ---------------------------------------------------------------- report

print_table() {
  node - "$RESULTS" <<'JS'
const fs = require("fs");
const rows = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").filter(Boolean).map(l => l.split("\t"));
const variants = [...new Set(rows.map(r => r[0]))];
const metrics = [...new Set(rows.map(r => r[1]))];
const get = (v, m) => (rows.find(r => r[0] === v && r[1] === m) || [, , "-"])[2];
const table = [["metric", ...variants], ...metrics.map(m => [m, ...variants.map(v => get(v, m))])];
const w = table[0].map((_, i) => Math.max(...table.map(r => String(r[i]).length)));
for (const r of table) console.log(r.map((c, i) => i ? String(c).padStart(w[i]) : String(c).padEnd(w[i])).join("  "));
JS
}

write_json() {
  local file=$1
  node - "$RESULTS" "$file" "$SMOKE" "$RUNS" "$IDLE_S" "$WRK_S" "$ENTITIES" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$PLACEMENT" <<'JS'
const fs = require("fs");
const os = require("os");
const [results, file, smoke, runs, idleS, wrkS, entities, commit, placement] = process.argv.slice(2);
const out = {
  date: new Date().toISOString(), commit, smoke: smoke === "1",
  host: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memMb: Math.round(os.totalmem() / 1048576), load: os.loadavg() },
  // placement: "pinned" (server on core 0, wrk and the fan-out generator on core 1) or "shared-cores".
  settings: { runs: +runs, idleSeconds: +idleS, wrkSeconds: +wrkS, entities: +entities, placement },
  results: {},
};
for (const l of fs.readFileSync(results, "utf8").trim().split("\n").filter(Boolean)) {
  const [v, m, val] = l.split("\t");
  (out.results[v] ??= {})[m] = isNaN(+val) ? val : +val;
}
// Ratios, each between two figures of this run; > 1 means PiHub (the AOT build) is better.
const r = out.results, a = r["aot-x64"] ?? {};
const num = v => typeof v === "number" && v > 0 ? v : null;
const ratio = (x, y) => num(x) && num(y) ? Math.round(x / y * 100) / 100 : null;
out.ratios = {};
const add = (name, value, target) => { if (value != null) out.ratios[name] = target == null ? { value } : { value, target, met: value >= target }; };
const j = r["jit-x64"] ?? {};
add("JIT/AOT CPU to ready", ratio(j.cpu_to_ready_ms, a.cpu_to_ready_ms));
add("JIT/AOT idle RSS", ratio(j.idle_rss_mb, a.idle_rss_mb));
add("AOT/JIT req/s", ratio(a.states_rps, j.states_rps));
for (const [peer, label] of [["node-red", "Node-RED"], ["homebridge-ui", "Homebridge UI"]]) {
  const p = r[peer];
  if (!p) continue;
  add(`${label}/PiHub CPU to ready`, ratio(p.cpu_to_ready_ms, a.cpu_to_ready_ms), peer === "node-red" ? 5 : null);
  add(`${label}/PiHub idle RSS`, ratio(p.idle_rss_mb, a.idle_rss_mb));
  add(`PiHub/${label} req/s`, ratio(a.states_rps, p.get_rps), peer === "node-red" ? 10 : null);
  add(`${label}/PiHub CPU per request`, ratio(p.get_cpu_per_req_ms, a.states_cpu_per_req_ms));
  add(`${label}/PiHub login`, ratio(p.login_ms, a.login_ms));
}
// Absolute targets from issue 5.
const t = out.targets = {};
const target = (name, value, ok) => { if (value != null) t[name] = { value, met: ok(value) }; };
target("idle RSS <= 40 MB", num(a.idle_rss_mb), v => v <= 40);
target("CPU per request <= 0.065 ms", num(a.states_cpu_per_req_ms), v => v <= 0.065);
target("GET p99 <= 5 ms", num(a.states_p99_ms), v => v <= 5);
target("pihub-cli status <= 50 ms", num(a.cli_status_ms), v => v <= 50);
if (a.fanout_1000_p99_ms != null) target("fan-out 1,000 p99 <= 50 ms", a.fanout_1000_p99_ms, v => v <= 50);
if (a.fanout_1000_lost != null) target("fan-out 1,000 lost == 0", a.fanout_1000_lost, v => v === 0);
if (a.fanout_100_lost != null) target("fan-out 100 lost == 0", a.fanout_100_lost, v => v === 0);
// Issue 12: the recorder on an SD card.
if (a.recorder_bytes_per_hour != null) target("recorder <= 5 MB/h (100 entities x 1/min)", a.recorder_bytes_per_hour, v => v <= 5 * 1024 * 1024);
if (a.recorder_idle_bytes_per_hour != null) target("recorder idle <= 100 KB/h", a.recorder_idle_bytes_per_hour, v => v <= 100 * 1024);
if (a.history_query_day_ms != null) target("history query, one entity, one day <= 20 ms", a.history_query_day_ms, v => v <= 20);
// Issue 15 (read them with settings.placement: the targets are for a pinned run).
target("fan-out 1,000 p99 <= 25 ms (issue 15)", num(a.fanout_1000_p99_ms), v => v <= 25);
target("fan-out 100 p99 <= 3 ms (issue 15)", num(a.fanout_100_p99_ms), v => v <= 3);
target("fan-out 1,000 server CPU <= 3 us/delivery", num(a.fanout_1000_cpu_us_per_delivery), v => v <= 3);
target("GET p99 <= 1 ms (issue 15)", num(a.states_p99_ms), v => v <= 1);
target("idle RSS <= 25 MB (issue 15)", num(a.idle_rss_mb), v => v <= 25);
fs.writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
JS
}

# print_ratios FILE.json: the ratios and targets of this run.
print_ratios() {
  node - "$1" <<'JS'
const out = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const show = (title, o) => {
  const e = Object.entries(o);
  if (!e.length) return;
  console.log(title);
  const w = Math.max(...e.map(([k]) => k.length));
  for (const [k, v] of e) console.log(`  ${k.padEnd(w)}  ${String(v.value).padStart(8)}${v.target != null ? `  (target >= ${v.target})` : ""}${v.met == null ? "" : v.met ? "  met" : "  NOT met"}`);
};
show("ratios (same run; > 1 = PiHub better):", out.ratios);
show("targets:", out.targets);
JS
}

# write_chart FILE.json FILE.png: bar chart of the ratios (gnuplot, from Debian).
write_chart() {
  local json=$1 png=$2 dat
  ensure_apt gnuplot-nox
  dat=$SCRATCH/ratios.dat
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
const out = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
for (const [k, v] of Object.entries(out.ratios)) console.log(`"${k}" ${v.value} ${v.target ?? 0}`);
' "$json" >"$dat"
  if [[ ! -s $dat ]]; then
    warn "no ratios to chart"
    return 0
  fi
  gnuplot <<GP || die "gnuplot failed to write $png"
set terminal pngcairo size 1200,700 font "sans,10"
set output "$png"
set title "PiHub vs JIT build and peers, one run ($(basename "$json" .json)); > 1 = PiHub better, log scale"
set style fill solid 0.8 border -1
set boxwidth 0.6
set logscale y
set yrange [0.01:*]
set bmargin 11
set rmargin 16
set grid ytics
set xtics rotate by -35 left
set ylabel "ratio"
set key top right
plot "$dat" using 0:2:xtic(1) with boxes lc rgb "#3b7dd8" title "measured ratio", \
     "" using 0:2:(sprintf("%.2g", \$2)) with labels offset 0,0.8 notitle, \
     "" using 0:(\$3 > 0 ? \$3 : 1/0) with points pt 7 ps 1.5 lc rgb "#d83b3b" title "target (issue 5)", \
     1 with lines dt 2 lc rgb "black" title "parity"
GP
}

# ---------------------------------------------------------------- main

main() {
  ensure_apt wrk curl
  command -v node >/dev/null || die "node not found; install Node.js 20 (apt-get install nodejs npm) and re-run"
  ensure_npm "$NODE_DIR"

  local x64=artifacts/publish/linux-x64/pihub jit=artifacts/publish/linux-x64-jit/pihub arm64=artifacts/publish/linux-arm64/pihub
  if ((BUILD)); then
    scripts/publish.sh linux-x64
    ((RECORDER_ONLY)) || scripts/publish.sh linux-x64 --jit
    if ((QEMU)); then scripts/publish.sh linux-arm64; fi
  fi
  local binaries=("$x64" "$jit")
  ((RECORDER_ONLY)) && binaries=("$x64")
  for b in "${binaries[@]}"; do
    [[ -x $b ]] || die "$b is missing; run scripts/bench.sh without --no-build (or scripts/publish.sh)"
  done

  local started
  started=$(now_ms)
  if ((RECORDER_ONLY)); then
    bench_recorder aot-x64 "$REPO_ROOT/$x64"
    ((RECORDER_DEEP)) && bench_recorder_stores
    report "$started"
    return 0
  fi
  measure_start aot-x64 1 "$REPO_ROOT/$x64"
  measure_start jit-x64 1 "$REPO_ROOT/$jit"
  bench_states aot-x64 "$REPO_ROOT/$x64"
  bench_fanout_shared aot-x64 "$REPO_ROOT/$x64"
  bench_send_floor
  if ((RECORDER)); then
    bench_recorder aot-x64 "$REPO_ROOT/$x64"
  fi
  bench_states jit-x64 "$REPO_ROOT/$jit"
  record aot-x64 binary_mb "$(kb_to_mb $(($(stat -c %s "$x64") / 1024)))"
  bench_cli "$REPO_ROOT/${x64}-cli" "$REPO_ROOT/$x64"
  record jit-x64 binary_mb "$(kb_to_mb $(($(stat -c %s "$jit") / 1024)))"
  if ((QEMU)); then
    [[ -x $arm64 ]] || die "$arm64 is missing; run scripts/publish.sh linux-arm64"
    ensure_apt qemu-user-static
    measure_start aot-arm64-qemu 0 "$REPO_ROOT/scripts/lib/run-arm64.sh" "$REPO_ROOT/$arm64"
    record aot-arm64-qemu binary_mb "$(kb_to_mb $(($(stat -c %s "$arm64") / 1024)))"
  elif [[ -x $arm64 ]]; then
    record aot-arm64 binary_mb "$(kb_to_mb $(($(stat -c %s "$arm64") / 1024)))"
  fi
  if ((PEERS)); then
    bench_peers
  fi
  if ((POWER)); then
    bench_power
  fi
  if ((DASHBOARD)); then
    bench_dashboard
  fi
  if ((STORE)); then
    bench_store
  fi
  if ((RECORDER && RECORDER_DEEP)); then
    bench_recorder_stores
  fi

  report "$started"
}

# report STARTED_MS: the table, the JSON file and the chart of this run.
report() {
  local started=$1 stamp file
  stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
  mkdir -p bench-results
  file=bench-results/$stamp.json
  ((SMOKE)) && file=bench-results/$stamp-smoke.json
  echo
  print_table
  write_json "$file"
  echo
  print_ratios "$file"
  write_chart "$file" "${file%.json}.png"
  echo
  echo "measured in $((($(now_ms) - started) / 1000))s; results: $file, chart: ${file%.json}.png"
}

# Run only when executed, so tests can source this file and call one function.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main
fi
