# shellcheck shell=bash
# The fan-out figures of scripts/bench.sh (issue 15), sourced by it; uses its helpers (record, log,
# start_server, get_token, ...) and settings (FANOUT_S, FANOUT_NS, SERVER_CPU, GEN_CPU, PLACEMENT).
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

# proc_sys_ms PID: system (kernel) CPU time of PID so far, in ms.
proc_sys_ms() {
  local stat rest
  stat=$(<"/proc/$1/stat")
  rest=${stat##*) }
  awk -v hz="$CLK_TCK" '{ print int($13 * 1000 / hz) }' <<<"$rest"
}

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
  record "$variant" "${key}_p50_ms" "$(json_field p50_ms <<<"$out")"
  record "$variant" "${key}_p99_ms" "$(json_field p99_ms <<<"$out")"
  record "$variant" "${key}_max_ms" "$(json_field max_ms <<<"$out")"
  lost=$(json_field lost <<<"$out")
  received=$(json_field received <<<"$out")
  record "$variant" "${key}_lost" "$lost"
  record "$variant" "${key}_cpu_ms" $((cpu1 - cpu0))
  record "$variant" "${key}_cpu_us_per_delivery" "$(per_delivery_us $((cpu1 - cpu0)) "$received")"
  record "$variant" "${key}_sys_us_per_delivery" "$(per_delivery_us $((sys1 - sys0)) "$received")"
  record "$variant" "${key}_gen_cpu_ms" "$(json_field cpu_ms <<<"$out")"
  record "$variant" "${key}_post_p99_ms" "$(json_field post_p99_ms <<<"$out")"
  server=$(server_quantiles "$SCRATCH/metrics-before.txt" "$SCRATCH/metrics-after.txt")
  log "fan-out $n ($placement), server side: $server"
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
  stop_pid "$SERVER_PID"
  SERVER_PID=""
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
  record aot-x64 loopback_write_kernel_us "$(json_field sys_us_per_write <<<"$out")"
  local bare_cpu=()
  [[ $PLACEMENT == pinned ]] && bare_cpu=(--server-cpu 0)
  out=$(${GEN_CPU[@]+"${GEN_CPU[@]}"} node "$REPO_ROOT/scripts/lib/paced-get.mjs" --bare ${bare_cpu[@]+"${bare_cpu[@]}"} --count "$(paced_count)") \
    || die "scripts/lib/paced-get.mjs --bare failed"
  log "paced GETs, bare Node.js server: $out"
  record aot-x64 paced_get_bare_p50_ms "$(json_field p50_ms <<<"$out")"
  record aot-x64 paced_get_bare_p99_ms "$(json_field p99_ms <<<"$out")"
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
  record "$variant" paced_get_p50_ms "$(json_field p50_ms <<<"$out")"
  record "$variant" paced_get_p99_ms "$(json_field p99_ms <<<"$out")"
}

# scrape_metrics PORT TOKEN FILE: GET /api/pihub/metrics (Prometheus text) into FILE.
scrape_metrics() {
  local code
  code=$(curl -s -o "$3" -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $2" "http://127.0.0.1:$1/api/pihub/metrics") || code=000
  [[ $code == 200 ]] || fail_server "GET /api/pihub/metrics answered $code; the fan-out bench reads the server's delivery histogram from it"
}

# server_quantiles BEFORE AFTER: p50/p99 (ms) of the deliveries between two scrapes, from the difference of
# the pihub_fanout_delivery_duration_seconds buckets, interpolated linearly inside a bucket (as Prometheus'
# histogram_quantile does). Prints {"count","p50_ms","p99_ms"}.
server_quantiles() {
  node - "$1" "$2" <<'JS'
const fs = require("fs");
const buckets = file => {
  const m = new Map();
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const r = /^pihub_fanout_delivery_duration_seconds_bucket\{le="([^"]+)"\} (\S+)$/.exec(line);
    if (r) m.set(r[1] === "+Inf" ? Infinity : +r[1], +r[2]);
  }
  return m;
};
const before = buckets(process.argv[2]), after = buckets(process.argv[3]);
const bounds = [...after.keys()].sort((a, b) => a - b);
const cumulative = bounds.map(b => after.get(b) - (before.get(b) ?? 0));
const total = cumulative.length ? cumulative[cumulative.length - 1] : 0;
const quantile = q => {
  if (!total) return null;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    if (cumulative[i] >= rank) {
      if (bounds[i] === Infinity) return bounds[i - 1] * 1000; // above the last bound: that bound, as Prometheus does
      const lower = i ? bounds[i - 1] : 0, below = i ? cumulative[i - 1] : 0, inBucket = cumulative[i] - below;
      return (lower + (bounds[i] - lower) * (inBucket ? (rank - below) / inBucket : 1)) * 1000;
    }
  }
  return null;
};
const round = v => v == null ? null : Math.round(v * 1000) / 1000;
console.log(JSON.stringify({ count: total, p50_ms: round(quantile(0.5)), p99_ms: round(quantile(0.99)) }));
JS
}
