# shellcheck shell=bash
# The server figures of scripts/bench.sh, sourced by it (helpers from lib/bench-common.sh; settings RUNS,
# QEMU_RUNS, IDLE_S, WRK_S, ENTITIES, LOGINS, SERVER_CPU, GEN_CPU, PLACEMENT, FANOUT_NS):
#   measure_start VARIANT IDLE CMD...   start_ms, cpu_to_ready_ms, idle_rss_mb (medians of N cold starts)
#   bench_states VARIANT CMD...         states_* (wrk on GET /api/states), login_ms, paced_get_*, fanout_N_*
#                                       (AOT), peak_rss_mb on one server
#   bench_cli CLI SERVER                cli_status_ms, cli_status_direct_ms, cli_binary_mb

# measure_start VARIANT IDLE(0|1) CMD...: N cold starts; records medians of start_ms,
# cpu_to_ready_ms and (if IDLE=1) idle_rss_mb.
measure_start() {
  # shellcheck disable=SC2153 # RUNS is bench.sh's setting, not a misspelt runs
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
    stop_server
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
  stop_server
  for ((i = 1; i <= RUNS * 2; i++)); do
    t0=$(now_ms)
    (cd "$dir" && "$cli" status >/dev/null) || die "pihub-cli status failed on the stopped server's store"
    stopped+=($(($(now_ms) - t0)))
  done
  record aot-x64 cli_status_ms "$(printf '%s\n' "${running[@]}" | median)"
  record aot-x64 cli_status_direct_ms "$(printf '%s\n' "${stopped[@]}" | median)"
  record aot-x64 cli_binary_mb "$(file_mb "$cli")"
  log "pihub-cli status: $(printf '%s\n' "${running[@]}" | median) ms running, $(printf '%s\n' "${stopped[@]}" | median) ms stopped"
}

# bench_states VARIANT CMD...: authenticated wrk on GET /api/states with $ENTITIES entities, then on the
# same server the logins, the paced GETs and (AOT) the fan-out.
bench_states() {
  local variant=$1
  shift
  local port code token i out cpu0 cpu1
  port=$(free_port)
  start_server "$variant-states" "$port" ${SERVER_CPU[@]+"${SERVER_CPU[@]}"} "$@"
  record "$variant" placement "$PLACEMENT"
  wait_ready "$port" 30 || fail_server "$variant did not start for bench_states"
  code=$(http_code "http://127.0.0.1:$port/api/onboarding")
  [[ $code == 200 ]] || fail_server "GET /api/onboarding answered $code; bench_states needs a fresh server (200)"
  token=$(get_token "$port")
  for ((i = 1; i <= ENTITIES; i++)); do
    code=$(http_code "http://127.0.0.1:$port/api/states/sensor.bench_$i" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "{\"state\":\"$i\",\"attributes\":{\"unit_of_measurement\":\"W\",\"friendly_name\":\"Bench $i\"}}")
    [[ $code == 200 || $code == 201 ]] || fail_server "POST /api/states/sensor.bench_$i answered $code"
  done
  cpu0=$(proc_cpu_ms "$SERVER_PID")
  out=$(wrk_json ${GEN_CPU[@]+"${GEN_CPU[@]}"} wrk -t2 -c32 -d"${WRK_S}s" --latency -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port/api/states") || fail_server "wrk failed against $variant"
  cpu1=$(proc_cpu_ms "$SERVER_PID")
  log "$variant: wrk GET /api/states: $out"
  [[ $(json_field non2xx <<<"$out") == 0 ]] || fail_server "wrk saw non-2xx answers from $variant: $out"
  record_json "$variant" "$out" states_rps=rps states_p50_ms=p50_ms states_p99_ms=p99_ms
  record "$variant" states_cpu_per_req_ms "$(awk -v c=$((cpu1 - cpu0)) -v n="$(json_field requests <<<"$out")" 'BEGIN { printf "%.4f", n ? c / n : 0 }')"
  bench_login "$variant" "$port"
  bench_paced_get "$variant" "$port" "$token"
  if [[ $variant == aot-* ]]; then
    local n
    for n in "${FANOUT_NS[@]}"; do
      bench_fanout "$variant" "$port" "$token" "$n" "fanout_$n" "$PLACEMENT" ${GEN_CPU[@]+"${GEN_CPU[@]}"}
    done
  fi
  record "$variant" peak_rss_mb "$(kb_to_mb "$(proc_status_kb "$SERVER_PID" VmHWM)")"
  stop_server
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
