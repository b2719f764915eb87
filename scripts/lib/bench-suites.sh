# shellcheck shell=bash
# The figures of scripts/bench.sh that other programs measure whole, sourced by it. Each writes its figures
# as JSON and fails the run when it fails (a figure is measured or the run stops; nothing is skipped silently):
#   bench_store            pihub-store: commit_*, snapshot_10k_ms, open_validate_10k_ms, commit_on_10k_ms,
#                          recovery_10k_ms (lib/bench-store.sh, the C# StoreBenchmark)
#   bench_power            pihub-power: power_fail_p50_ms/_p99_ms/_max_ms (lib/bench-power.sh)
#   bench_recorder_stores  recorder-daylog / recorder-litedb: *_sim, query_day_*, power_cut_*, open_after_cut_ms
#                          (lib/bench-recorder.sh)
#   bench_dashboard        dashboard: dashboard_* (scripts/bench-dashboard.sh --json, chromium)

# bench_dotnet_figures NAME SCRIPT: runs SCRIPT (a lib/bench-*.sh over C# Bench tests) with PIHUB_BENCH_JSON set,
# then adds the lines it wrote to the figures file.
bench_dotnet_figures() {
  local name=$1 script=$2 lines=$SCRATCH/$1.jsonl
  log "$name figures (scripts/lib/$script, dotnet test)"
  PIHUB_BENCH_JSON=$lines "$BENCH_LIB/$script" 2>"$SCRATCH/$name.log" \
    || { tail -n 30 "$SCRATCH/$name.log" >&2; die "scripts/lib/$script failed (its output above); run it alone to see why"; }
  grep -h '^\s*BENCH' "$SCRATCH/$name.log" | sed 's/^\s*//' | sort -u >&2 || log "(no BENCH lines in the test output)"
  node "$BENCH_LIB/bench-figures.mjs" merge "$FIGURES" "$lines" || die "the figures scripts/lib/$script wrote are not valid (above)"
}

bench_store() { bench_dotnet_figures auth-store bench-store.sh; }
bench_power() { bench_dotnet_figures power-fail bench-power.sh; }
bench_recorder_stores() { bench_dotnet_figures history-store bench-recorder.sh; }

# bench_dashboard: page-load figures of the dashboard (scripts/bench-dashboard.sh, published AOT binary). Without
# chromium the section is left out with a warning (and a "skipped" row), as --no-dashboard would.
bench_dashboard() {
  local out chromium=${PIHUB_CHROMIUM:-/usr/bin/chromium}
  if [[ ! -x $chromium ]]; then
    warn "dashboard page loads skipped: $chromium is missing (apt-get install chromium, or set PIHUB_CHROMIUM)"
    record dashboard dashboard skipped
    return 0
  fi
  log "dashboard page loads (scripts/bench-dashboard.sh)"
  out=$("$REPO_ROOT/scripts/bench-dashboard.sh" --no-build --json) || die "scripts/bench-dashboard.sh failed (above)"
  node "$BENCH_LIB/bench-figures.mjs" object "$FIGURES" dashboard "$out" || die "scripts/bench-dashboard.sh printed no figures: ${out:0:200}"
}
