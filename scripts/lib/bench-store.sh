#!/usr/bin/env bash
# Auth store figures: commit latency p50/p99 with durability on and off, snapshot time,
# open/validate and recovery time for 100 users + 10,000 tokens (tests/PiHub.Storage.Tests/Durability/
# StoreBenchmark.cs). The tests write them as JSON lines, variant pihub-store, to the file
# PIHUB_BENCH_JSON names, else to standard output (lib/bench-dotnet.sh); extra arguments go to dotnet test.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=bench-dotnet.sh
source "$REPO_ROOT/scripts/lib/bench-dotnet.sh"
bench_dotnet_test tests/PiHub.Storage.Tests "Category=Bench" "$@"
