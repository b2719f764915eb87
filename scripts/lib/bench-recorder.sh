#!/usr/bin/env bash
# Recorder figures, both history-store candidates in-process (tests/PiHub.Storage.Tests/Recorder/
# HistoryStoreBenchmark.cs): bytes written per hour for 100 entities changing once a minute
# (10 minutes of a fake clock, x6) and at idle, one entity's day query, power cuts at every
# operation. The tests write them as JSON lines, variants recorder-daylog and recorder-litedb, to the
# file PIHUB_BENCH_JSON names, else to standard output (lib/bench-dotnet.sh).
#   scripts/lib/bench-recorder.sh [dotnet test args]   the comparison
#   scripts/lib/bench-recorder.sh --seed DIR           one day of 100 entities ending now into DIR/history
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=bench-dotnet.sh
source "$REPO_ROOT/scripts/lib/bench-dotnet.sh"
if [[ ${1:-} == --seed ]]; then
  [[ -n ${2:-} ]] || die "--seed needs a data folder"
  command -v dotnet >/dev/null || die "dotnet not found; install the .NET 10 SDK (see global.json) and re-run"
  PIHUB_BENCH_HISTORY_DIR=$2 dotnet test "$REPO_ROOT/tests/PiHub.Storage.Tests" -c Release --nologo \
    --filter "Category=RecorderBenchSeed" --logger "console;verbosity=detailed" >&2 \
    || die "seeding a day of history into $2 failed; the test's output is above"
  [[ -n $(find "$2/history" -type f -print -quit 2>/dev/null) ]] || die "the seed test passed but wrote nothing into $2/history"
  exit 0
fi
bench_dotnet_test tests/PiHub.Storage.Tests "Category=RecorderBench&Category!=RecorderBenchSeed" "$@"
