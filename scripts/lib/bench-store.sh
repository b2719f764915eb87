#!/usr/bin/env bash
# Auth store figures: commit latency p50/p99 with durability on and off, snapshot time,
# open/validate and recovery time for 100 users + 10,000 tokens. Prints lines starting "BENCH".
set -euo pipefail
cd "$(dirname "$0")/../.." # the repository root (this file lives in scripts/lib)
dotnet test tests/PiHub.Storage.Tests -c Release --filter "Category=Bench" \
  --logger "console;verbosity=detailed" "$@" | grep -E "^BENCH|Passed!|Failed!|error" || true
