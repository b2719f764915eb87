#!/usr/bin/env bash
# Power-fail figures: edge to "writes refused and stores flushed", p50/p99/max over 1,000 simulated
# edges with the auth and hub stores under write load (tests/PiHub.Server.Tests/Power/PowerFailBenchmark.cs).
# The test writes them as JSON lines, variant pihub-power, to the file PIHUB_BENCH_JSON names, else to
# standard output (lib/bench-dotnet.sh); extra arguments go to dotnet test.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=bench-dotnet.sh
source "$REPO_ROOT/scripts/lib/bench-dotnet.sh"
bench_dotnet_test tests/PiHub.Server.Tests "Category=Bench&FullyQualifiedName~PowerFailBenchmark" "$@"
