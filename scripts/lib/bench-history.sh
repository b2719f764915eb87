# shellcheck shell=bash
# The recorder figures of scripts/bench.sh on the published binary, sourced by it (helpers from
# lib/bench-common.sh; settings RECORDER_S, RECORDER_IDLE_S, RECORDER_SETTLE_S, RECORDER_DEEP):
#   bench_recorder VARIANT CMD...        recorder_bytes_per_hour, recorder_idle_bytes_per_hour,
#                                        recorder_rss_growth_mb; then (RECORDER_DEEP) bench_history_query
#   bench_history_query VARIANT CMD...   history_query_day_ms / _min_ms on a seeded day of history

# bench_recorder VARIANT CMD...: the recorder on the published binary (see scripts/bench.sh's header).
bench_recorder() {
  local variant=$1
  shift
  local port token out io0 io1 rss0 rss1
  port=$(free_port)
  start_server "$variant-recorder" "$port" "$@"
  wait_ready "$port" 30 || fail_server "$variant did not start for bench_recorder"
  token=$(get_token "$port")
  out=$(node "$BENCH_LIB/recorder-load.mjs" --base "http://127.0.0.1:$port" --token "$token" --entities 100 --create) \
    || fail_server "creating the recorder bench entities failed"
  # Let the one-time writes of onboarding settle first (the auth store's snapshot, and its
  # checkpoint after 30 s without commits), so neither window counts them.
  sleep "$RECORDER_SETTLE_S"
  rss0=$(proc_status_kb "$SERVER_PID" VmRSS)
  io0=$(proc_write_bytes "$SERVER_PID")
  out=$(node "$BENCH_LIB/recorder-load.mjs" --base "http://127.0.0.1:$port" --token "$token" --entities 100 --seconds "$RECORDER_S") \
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
  stop_server
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
  "$BENCH_LIB/bench-recorder.sh" --seed "$dir/.pihub" 2>"$SCRATCH/seed.log" \
    || { tail -n 20 "$SCRATCH/seed.log" >&2; die "seeding history failed (above); run scripts/lib/bench-recorder.sh --seed /tmp/x to see why"; }
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
  rows=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0]?.length ?? 0' "$SCRATCH/history.json")
  ((rows > 1000)) || fail_server "the seeded history query returned $rows rows (expected about 1,440)"
  record "$variant" history_query_day_ms "$(printf '%s\n' "${times[@]}" | median)"
  record "$variant" history_query_day_min_ms "$(printf '%s\n' "${times[@]}" | sort -n | head -n 1)"
  log "$variant history query (one entity, one day, $rows rows): median $(printf '%s\n' "${times[@]}" | median) ms over 10"
  stop_server
}
