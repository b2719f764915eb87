#!/usr/bin/env bash
# PiHub benchmarks: a driver over scripts/lib/bench-*.sh, which measure; every figure is written as JSON by
# the program that measures it (the shell's timers, the Node programs in scripts/lib/*.mjs, the C# [Explicit]
# Bench tests through PIHUB_BENCH_JSON) into one figures file, which scripts/lib/bench-report.mjs turns into
# the report. A measurement that fails fails the run; only peers that cannot be installed and the dashboard
# without chromium are recorded as "skipped" (with a warning).
#
#   scripts/bench.sh [--smoke] [--no-build] [--runs N] [--qemu] [--no-peers] [--no-store] [--no-recorder]
#                    [--recorder-only] [--no-pin] [--no-power] [--no-dashboard]
#
#   --smoke     ~80-second CI run: 2 starts per build, 3 s idle wait, 3 s wrk, fan-out to 100 for 10 s, a
#               10-second recorder window; no peers, store, power, dashboard or seeded history; proves
#               the script works (scripts/test.sh runs it)
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
#                    entities (figures from scripts/lib/wrk-json.lua): req/s, p50/p99, server CPU per
#                    request; then on the same server:
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
#   pihub-store      (variant) auth-store figures from scripts/lib/bench-store.sh: commit_durable_p50_ms/
#                    _p99_ms and commit_nodurable_*, snapshot_10k_ms, open_validate_10k_ms,
#                    commit_on_10k_ms, recovery_10k_ms (100 users, 10,000 tokens)
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
#   power_fail_*     (variant pihub-power) power-fail edge to "writes refused and stores flushed": p50/p99/max ms over
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
#                    scratch folder outside the repo (see scripts/lib/bench-peers.sh); --no-peers skips
# prints a table, the ratios and the targets (one set: each figure's latest target) and writes
# bench-results/<UTC date-time>.json and .png (a bar chart of the ratios, all measured in this run;
# smoke: ...-smoke.*, not committed).
# Every server listens on a port picked free at run time on 127.0.0.1; no traffic leaves loopback.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/deps.sh
source "$REPO_ROOT/scripts/lib/deps.sh"
# shellcheck source=lib/bench-common.sh
source "$REPO_ROOT/scripts/lib/bench-common.sh"
# shellcheck source=lib/bench-server.sh
source "$REPO_ROOT/scripts/lib/bench-server.sh"
# shellcheck source=lib/bench-fanout.sh
source "$REPO_ROOT/scripts/lib/bench-fanout.sh"
# shellcheck source=lib/bench-history.sh
source "$REPO_ROOT/scripts/lib/bench-history.sh"
# shellcheck source=lib/bench-suites.sh
source "$REPO_ROOT/scripts/lib/bench-suites.sh"
# shellcheck source=lib/bench-peers.sh
source "$REPO_ROOT/scripts/lib/bench-peers.sh"
# shellcheck source=lib/bench-report.sh
source "$REPO_ROOT/scripts/lib/bench-report.sh"
cd "$REPO_ROOT"

RUNS=5 IDLE_S=10 WRK_S=10 ENTITIES=100 LOGINS=10 QEMU_RUNS=3
SMOKE=0 BUILD=1 QEMU=0 PEERS=1 STORE=1 POWER=1 DASHBOARD=1 PIN=1
FANOUT_S=30 FANOUT_NS=(100 1000)
RECORDER=1 RECORDER_DEEP=1 RECORDER_ONLY=0 RECORDER_S=180 RECORDER_IDLE_S=60 RECORDER_SETTLE_S=40

while (($# > 0)); do
  case "$1" in
    --smoke)
      SMOKE=1 RUNS=2 IDLE_S=3 WRK_S=3 QEMU_RUNS=1 FANOUT_S=10 FANOUT_NS=(100) PEERS=0 STORE=0 POWER=0 DASHBOARD=0
      RECORDER_DEEP=0 RECORDER_S=10 RECORDER_IDLE_S=5 RECORDER_SETTLE_S=6
      ;;
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
FIGURES=$SCRATCH/figures.jsonl # JSON lines {"variant", "figures"} (scripts/lib/bench-figures.mjs)
: >"$FIGURES"
NODE_DIR=$REPO_ROOT/tests/PiHub.EndToEnd.Tests/node # has node_modules/ws (committed lock file)

# Where load runs: the server on core 0 and the generators on core 1, so a busy generator does not
# take the server's CPU (and its latency) with it. SERVER_CPU/GEN_CPU prefix the commands.
SERVER_CPU=() GEN_CPU=() PLACEMENT=shared-cores
if ((PIN)) && command -v taskset >/dev/null && (($(nproc) >= 2)); then
  SERVER_CPU=(taskset -c 0) GEN_CPU=(taskset -c 1) PLACEMENT=pinned
fi

main() {
  ensure_apt wrk curl
  command -v node >/dev/null || die "node not found; install Node.js 20 (apt-get install nodejs npm) and re-run"
  ensure_npm "$NODE_DIR"
  local x64=$REPO_ROOT/artifacts/publish/linux-x64/pihub jit=$REPO_ROOT/artifacts/publish/linux-x64-jit/pihub
  local arm64=$REPO_ROOT/artifacts/publish/linux-arm64/pihub started b
  if ((BUILD)); then
    scripts/publish.sh linux-x64
    ((RECORDER_ONLY)) || scripts/publish.sh linux-x64 --jit
    if ((QEMU)); then scripts/publish.sh linux-arm64; fi
  fi
  local binaries=("$x64")
  ((RECORDER_ONLY)) || binaries+=("$jit")
  for b in "${binaries[@]}"; do
    [[ -x $b ]] || die "${b#"$REPO_ROOT"/} is missing; run scripts/bench.sh without --no-build (or scripts/publish.sh)"
  done
  started=$(now_ms)
  if ((RECORDER_ONLY)); then
    bench_recorder aot-x64 "$x64"
    if ((RECORDER_DEEP)); then bench_recorder_stores; fi
    report "$started"
    return 0
  fi
  measure_start aot-x64 1 "$x64"
  measure_start jit-x64 1 "$jit"
  bench_states aot-x64 "$x64"
  bench_fanout_shared aot-x64 "$x64"
  bench_send_floor
  if ((RECORDER)); then bench_recorder aot-x64 "$x64"; fi
  bench_states jit-x64 "$jit"
  record aot-x64 binary_mb "$(file_mb "$x64")"
  bench_cli "$x64-cli" "$x64"
  record jit-x64 binary_mb "$(file_mb "$jit")"
  if ((QEMU)); then
    [[ -x $arm64 ]] || die "${arm64#"$REPO_ROOT"/} is missing; run scripts/publish.sh linux-arm64"
    ensure_apt qemu-user-static
    measure_start aot-arm64-qemu 0 "$REPO_ROOT/scripts/lib/run-arm64.sh" "$arm64"
    record aot-arm64-qemu binary_mb "$(file_mb "$arm64")"
  elif [[ -x $arm64 ]]; then
    record aot-arm64 binary_mb "$(file_mb "$arm64")"
  fi
  if ((PEERS)); then bench_peers; fi
  if ((POWER)); then bench_power; fi
  if ((DASHBOARD)); then bench_dashboard; fi
  if ((STORE)); then bench_store; fi
  if ((RECORDER && RECORDER_DEEP)); then bench_recorder_stores; fi
  report "$started"
}

main
