#!/usr/bin/env bash
# Installs what the tests need (idempotently), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test PiHub.sln -c Release "$@"
