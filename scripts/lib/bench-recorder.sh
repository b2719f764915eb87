#!/usr/bin/env bash
# Recorder figures, both history-store candidates in-process (tests/PiHub.Storage.Tests/Recorder/
# HistoryStoreBenchmark.cs): bytes written per hour for 100 entities changing once a minute
# (10 minutes of a fake clock, x6) and at idle, one entity's day query, power cuts at every
# operation. Prints lines starting "BENCH recorder".
#   scripts/lib/bench-recorder.sh            the comparison
#   scripts/lib/bench-recorder.sh --seed DIR one day of 100 entities ending now into DIR/history
set -euo pipefail
cd "$(dirname "$0")/../.." # the repository root (this file lives in scripts/lib)
if [[ ${1:-} == --seed ]]; then
  [[ -n ${2:-} ]] || { echo "error: --seed needs a data folder" >&2; exit 1; }
  PIHUB_BENCH_HISTORY_DIR=$2 dotnet test tests/PiHub.Storage.Tests -c Release --filter "Category=RecorderBenchSeed" \
    --logger "console;verbosity=detailed" | grep -E "^\s*BENCH|Passed!|Failed!|error" || true
  exit 0
fi
dotnet test tests/PiHub.Storage.Tests -c Release --filter "Category=RecorderBench&Category!=RecorderBenchSeed" \
  --logger "console;verbosity=detailed" "$@" | grep -E "^\s*BENCH|Passed!|Failed!|error" || true
