#!/usr/bin/env bash
# The big runs of the auth store's crash tests: 1,000 kill -9 trials and 2,000 power cuts
# per model (every operation of the recorded workload too). Takes several minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
PIHUB_TORTURE=1 dotnet test tests/PiHub.Storage.Tests -c Release \
  --filter "FullyQualifiedName~PiHub.Storage.Tests.Durability&Category!=Bench" \
  --logger "console;verbosity=normal" "$@"
