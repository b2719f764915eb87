# shellcheck shell=bash
# bench_dotnet_test PROJECT FILTER [dotnet test args...]: runs the [Explicit] Bench tests of PROJECT that FILTER
# selects, with PIHUB_BENCH_JSON naming the file they append their figures to as JSON lines
# ({"variant", "figures"}; tests/PiHub.Testing/BenchFigures.cs). The caller's PIHUB_BENCH_JSON is used when
# set (scripts/bench.sh sets it); otherwise the lines are printed on standard output. dotnet test's own output
# (with each test's human-readable "BENCH ..." line) goes to standard error. A failed test, or tests that wrote
# no figures (a filter that matched none), fail the script. Sourced after lib/common.sh.
bench_dotnet_test() {
  local project=$1 filter=$2 file=${PIHUB_BENCH_JSON:-} scratch=""
  shift 2
  command -v dotnet >/dev/null || die "dotnet not found; install the .NET 10 SDK (see global.json) and re-run"
  if [[ -z $file ]]; then
    scratch=$(mktemp "${TMPDIR:-/tmp}/pihub-bench-figures.XXXXXX")
    file=$scratch
  fi
  local before=0
  [[ -f $file ]] && before=$(wc -l <"$file")
  if ! PIHUB_BENCH_JSON=$file dotnet test "$REPO_ROOT/$project" -c Release --nologo --filter "$filter" \
    --logger "console;verbosity=detailed" "$@" >&2; then
    [[ -n $scratch ]] && rm -f "$scratch"
    die "the benchmark tests of $project ($filter) failed; their output is above"
  fi
  if (($(wc -l <"$file") <= before)); then
    [[ -n $scratch ]] && rm -f "$scratch"
    die "the benchmark tests of $project ($filter) passed but wrote no figures to $file; did the filter match any test?"
  fi
  if [[ -n $scratch ]]; then
    cat "$scratch"
    rm -f "$scratch"
  fi
}
