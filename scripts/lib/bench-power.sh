#!/usr/bin/env bash
# Power-fail figures: edge to "writes refused and stores flushed", p50/p99/max over 1,000
# simulated edges with the auth and hub stores under write load. Prints a line starting "BENCH".
set -euo pipefail
cd "$(dirname "$0")/../.." # the repository root (this file lives in scripts/lib)
dotnet test tests/PiHub.Server.Tests -c Release --filter "Category=Bench&FullyQualifiedName~PowerFailBenchmark" \
  --logger "console;verbosity=detailed" "$@" | grep -E "^BENCH|Passed!|Failed!|error" || true
