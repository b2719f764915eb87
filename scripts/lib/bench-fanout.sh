# shellcheck shell=bash
# The fan-out figures of scripts/bench.sh (issue 15), sourced by it; uses its helpers (record, log,
# start_server, get_token, ... from lib/bench-common.sh) and settings (FANOUT_S, FANOUT_NS, SERVER_CPU, GEN_CPU, PLACEMENT).
#
#   bench_fanout VARIANT PORT TOKEN N KEY PLACEMENT [GEN...]
#                      fan-out to N clients on a running server, rows KEY_* labelled PLACEMENT
#   bench_fanout_shared VARIANT CMD...
#                      the same figures with nothing pinned (fanout_shared_N_*), on a fresh server
#   bench_send_floor   loopback_write_kernel_us: the kernel's CPU for one 400-byte loopback TCP write
#                      (scripts/lib/sendfloor.mjs), the floor under fanout_N_cpu_us_per_delivery; and
#                      paced_get_bare_*: paced GETs to a bare Node.js server, the floor under paced_get_*
#   bench_paced_get VARIANT PORT TOKEN
#                      paced_get_p50_ms/_p99_ms: GET /api/ 100 times a second on one connection
#                      (scripts/lib/paced-get.mjs), the round trip of a request that finds the hub idle

# bench_fanout VARIANT PORT TOKEN N KEY PLACEMENT [GEN...]: WebSocket fan-out to N clients
# (scripts/lib/fanout.mjs, run under the GEN... prefix, e.g. taskset), with the server's CPU per delivered
# message, its kernel part, and its own delivery latency (GET /api/pihub/metrics before and after).
bench_fanout() {
  local variant=$1 port=$2 token=$3 n=$4 key=$5 placement=$6 out cpu0 cpu1 sys0 sys1 lost received server
  shift 6
  log "$variant: fan-out to $n WebSocket clients, 100 changes/s for ${FANOUT_S}s ($placement)"
  scrape_metrics "$port" "$token" "$SCRATCH/metrics-before.txt"
  cpu0=$(proc_cpu_ms "$SERVER_PID")
  sys0=$(proc_sys_ms "$SERVER_PID")
  out=$(PIHUB_NODE_DIR=$NODE_DIR "$@" node "$REPO_ROOT/scripts/lib/fanout.mjs" --base "http://127.0.0.1:$port" --token "$token" \
    --clients "$n" --rate 100 --seconds "$FANOUT_S") || fail_server "fan-out to $n clients failed against $variant"
  cpu1=$(proc_cpu_ms "$SERVER_PID")
  sys1=$(proc_sys_ms "$SERVER_PID")
  scrape_metrics "$port" "$token" "$SCRATCH/metrics-after.txt"
  log "fan-out $n ($placement): $out"
  record "$variant" "${key}_placement" "$placement"
  record_json "$variant" "$out" "${key}_p50_ms=p50_ms" "${key}_p99_ms=p99_ms" "${key}_max_ms=max_ms" "${key}_lost=lost"
  lost=$(json_field lost <<<"$out")
  received=$(json_field received <<<"$out")
  record "$variant" "${key}_cpu_ms" $((cpu1 - cpu0))
  record "$variant" "${key}_cpu_us_per_delivery" "$(per_delivery_us $((cpu1 - cpu0)) "$received")"
  record "$variant" "${key}_sys_us_per_delivery" "$(per_delivery_us $((sys1 - sys0)) "$received")"
  record_json "$variant" "$out" "${key}_gen_cpu_ms=cpu_ms" "${key}_post_p99_ms=post_p99_ms"
  server=$(server_quantiles "$SCRATCH/metrics-before.txt" "$SCRATCH/metrics-after.txt") || die "scripts/lib/fanout-quantiles.mjs failed (above)"
  log "fan-out $n ($placement), server side: $server"
  # No delivery between the scrapes (none counted by the server's histogram): "none", as before.
  local p50 p99
  p50=$(json_field p50_ms <<<"$server")
  p99=$(json_field p99_ms <<<"$server")
  record "$variant" "${key}_server_p50_ms" "${p50:-none}"
  record "$variant" "${key}_server_p99_ms" "${p99:-none}"
  [[ $lost == 0 && $(json_field post_errors <<<"$out") == 0 ]] || fail_server "fan-out to $n clients ($placement) lost $lost messages ($out)"
}

# per_delivery_us CPU_MS DELIVERIES: microseconds of CPU per delivery, two decimals.
per_delivery_us() { awk -v c="$1" -v n="$2" 'BEGIN { printf "%.2f", n ? c * 1000 / n : 0 }'; }

# bench_fanout_shared VARIANT CMD...: when the run is pinned, the fan-out figures again with the server and
# the generator sharing both cores (rows fanout_shared_N_*), on a fresh server started without taskset, so
# the pinned figures can be read against what an unpinned machine shows. Unpinned runs already are that.
bench_fanout_shared() {
  local variant=$1 port token n
  shift
  # shellcheck disable=SC2153 # PLACEMENT is bench.sh's, not a misspelt placement
  [[ $PLACEMENT == pinned ]] || return 0
  port=$(free_port)
  start_server "$variant-shared" "$port" "$@"
  wait_ready "$port" 30 || fail_server "$variant did not start for the shared-cores fan-out"
  token=$(get_token "$port")
  for n in "${FANOUT_NS[@]}"; do
    bench_fanout "$variant" "$port" "$token" "$n" "fanout_shared_$n" shared-cores
  done
  stop_server
}

# bench_send_floor: the kernel CPU of one 400-byte write on loopback TCP to a sleeping reader, written from
# the server's core to readers on the generator's core (scripts/lib/sendfloor.mjs). The hub sends every
# delivery as one such write, so this is what one delivery costs before any of PiHub's own code runs.
bench_send_floor() {
  local out rounds=200 reader=()
  ((SMOKE)) && rounds=20
  [[ $PLACEMENT == pinned ]] && reader=(--reader-cpu 1)
  log "loopback write floor: 1,000 sockets x $rounds rounds of 400 bytes, 100 rounds/s ($PLACEMENT)"
  out=$(${SERVER_CPU[@]+"${SERVER_CPU[@]}"} node "$REPO_ROOT/scripts/lib/sendfloor.mjs" --sockets 1000 --rounds "$rounds" \
    ${reader[@]+"${reader[@]}"}) || die "scripts/lib/sendfloor.mjs failed"
  log "loopback write floor: $out"
  record_json aot-x64 "$out" loopback_write_kernel_us=sys_us_per_write
  local bare_cpu=()
  [[ $PLACEMENT == pinned ]] && bare_cpu=(--server-cpu 0)
  out=$(${GEN_CPU[@]+"${GEN_CPU[@]}"} node "$REPO_ROOT/scripts/lib/paced-get.mjs" --bare ${bare_cpu[@]+"${bare_cpu[@]}"} --count "$(paced_count)") \
    || die "scripts/lib/paced-get.mjs --bare failed"
  log "paced GETs, bare Node.js server: $out"
  record_json aot-x64 "$out" paced_get_bare_p50_ms=p50_ms paced_get_bare_p99_ms=p99_ms
}

# paced_count: how many paced GETs (3 s of them at 100/s in a smoke run, else 10 s).
paced_count() { if ((SMOKE)); then echo 300; else echo 1000; fi; }

# bench_paced_get VARIANT PORT TOKEN: GET /api/ at 100 a second on one connection from the generator's core, each
# finding the hub idle (scripts/lib/paced-get.mjs); compare with paced_get_bare_* from bench_send_floor.
bench_paced_get() {
  local variant=$1 port=$2 token=$3 out
  out=$(${GEN_CPU[@]+"${GEN_CPU[@]}"} node "$REPO_ROOT/scripts/lib/paced-get.mjs" --url "http://127.0.0.1:$port/api/" --token "$token" \
    --count "$(paced_count)") || fail_server "paced GETs against $variant failed"
  log "$variant: paced GETs: $out"
  record_json "$variant" "$out" paced_get_p50_ms=p50_ms paced_get_p99_ms=p99_ms
}

# scrape_metrics PORT TOKEN FILE: GET /api/pihub/metrics (Prometheus text) into FILE.
scrape_metrics() {
  local code
  code=$(curl -s -o "$3" -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $2" "http://127.0.0.1:$1/api/pihub/metrics") || code=000
  [[ $code == 200 ]] || fail_server "GET /api/pihub/metrics answered $code; the fan-out bench reads the server's delivery histogram from it"
}

# server_quantiles BEFORE AFTER: the server's own delivery p50/p99 between two scrapes
# (scripts/lib/fanout-quantiles.mjs); prints {"count","p50_ms","p99_ms"}.
server_quantiles() { node "$BENCH_LIB/fanout-quantiles.mjs" "$1" "$2"; }
