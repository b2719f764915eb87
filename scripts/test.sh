#!/usr/bin/env bash
# Installs what the tests need (idempotently), publishes the binaries the
# end-to-end tests run, then runs every test.
#
#   scripts/test.sh [--no-publish] [--no-arm64] [dotnet test options...]
#
#   --no-publish  use the binaries already in artifacts/publish/ (quick local loop)
#   --no-arm64    skip the arm64 cross build; the qemu tests then skip themselves
#   anything else is passed to `dotnet test` (e.g. --filter "FullyQualifiedName~Auth");
#   hardware-only tests ([Category("Hardware")]) are always filtered out
#
# After the tests pass it runs smokes of scripts/bench.sh (--smoke --no-build) and
# scripts/soak.sh (0.3 minutes); either failing fails the run.
#
# The tests find what this script prepared through these environment variables
# (each is exported only if the file exists):
#   PIHUB_BINARY_X64      artifacts/publish/linux-x64/pihub       Native AOT, linux-x64
#   PIHUB_BINARY_X64_JIT  artifacts/publish/linux-x64-jit/pihub   trimmed single-file JIT fallback
#   PIHUB_BINARY_ARM64    artifacts/publish/linux-arm64/pihub     Native AOT, linux-arm64
#   PIHUB_RUN_ARM64       scripts/lib/run-arm64.sh   runs the arm64 binary under qemu-aarch64-static
#   PIHUB_NODE_DIR        tests/PiHub.EndToEnd.Tests/node  (node_modules: home-assistant-js-websocket, ws)
#   PIHUB_NODE            /usr/bin/node (or whatever `node` is on PATH)
#   PIHUB_CHROMIUM        the Debian chromium binary, for dashboard tests
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/deps.sh
source "$REPO_ROOT/scripts/lib/deps.sh"
cd "$REPO_ROOT"

publish=1
arm64=1
test_args=()
for arg in "$@"; do
  case "$arg" in
    --no-publish) publish=0 ;;
    --no-arm64) arm64=0 ;;
    *) test_args+=("$arg") ;;
  esac
done

started=$(now_ms)
command -v dotnet >/dev/null || die "dotnet not found; install the .NET 10 SDK (see global.json) and re-run"

# 1. System packages: Native AOT toolchain, arm64 cross toolchain + qemu (arm64 end-to-end
#    test), wrk (bench smoke), chromium (dashboard tests). Only missing ones are installed.
ensure_apt "${X64_AOT_PACKAGES[@]}" "${ARM64_CROSS_PACKAGES[@]}" qemu-user-static wrk chromium curl
((arm64)) && ensure_arm64_runtime

# 2. Node clients for the end-to-end tests, from the committed lock file.
command -v node >/dev/null || die "node not found; install Node.js 20 (apt-get install nodejs npm) and re-run"
node_dir=$REPO_ROOT/tests/PiHub.EndToEnd.Tests/node
ensure_npm "$node_dir"

# 3. The binaries the end-to-end tests start as processes.
if ((publish)); then
  "$REPO_ROOT/scripts/publish.sh" linux-x64
  "$REPO_ROOT/scripts/publish.sh" linux-x64 --jit
  if ((arm64)); then
    "$REPO_ROOT/scripts/publish.sh" linux-arm64
  fi
fi

export_if_exists() {
  local name=$1 path=$2
  if [[ -e $path ]]; then
    export "$name=$path"
    log "$name=${path#"$REPO_ROOT"/}"
  else
    warn "$name not set: $path does not exist (tests that need it will skip)"
  fi
}
export_if_exists PIHUB_BINARY_X64 "$REPO_ROOT/artifacts/publish/linux-x64/pihub"
export_if_exists PIHUB_BINARY_X64_JIT "$REPO_ROOT/artifacts/publish/linux-x64-jit/pihub"
if ((arm64)); then
  export_if_exists PIHUB_BINARY_ARM64 "$REPO_ROOT/artifacts/publish/linux-arm64/pihub"
fi
export_if_exists PIHUB_RUN_ARM64 "$REPO_ROOT/scripts/lib/run-arm64.sh"
export_if_exists PIHUB_NODE_DIR "$node_dir"
export_if_exists PIHUB_NODE "$(command -v node)"
export_if_exists PIHUB_CHROMIUM "$(command -v chromium || echo /usr/bin/chromium)"

# 4. Every test project in the solution, except [Category("Hardware")] tests: they need a real
#    Raspberry Pi (see README, "Running the hardware tests"). A --filter given here is kept and
#    narrowed the same way.
has_filter=0
for i in "${!test_args[@]}"; do
  if [[ ${test_args[$i]} == --filter ]] && ((i + 1 < ${#test_args[@]})); then
    test_args[i + 1]="(${test_args[i + 1]})&TestCategory!=Hardware"
    has_filter=1
  fi
done
((has_filter)) || test_args+=(--filter "TestCategory!=Hardware")
log "dotnet test PiHub.sln -c Release ${test_args[*]}"
status=0
dotnet test PiHub.sln -c Release --nologo "${test_args[@]}" || status=$?
elapsed=$((($(now_ms) - started) / 1000))
if ((status != 0)); then
  die "tests failed (dotnet test exit code $status) after ${elapsed}s; the failures are listed above"
fi

# 5. Smoke runs (~1.5 min) proving the benchmark and the soak test still work end to end:
#    bench.sh --smoke (AOT/JIT start, wrk, logins, fan-out to 100 clients; no peers, no store
#    figures) and an 18-second soak. Their figures are not committed (bench-results/*-smoke.*).
log "scripts/bench.sh --smoke --no-build"
"$REPO_ROOT/scripts/bench.sh" --smoke --no-build \
  || die "the benchmark smoke failed (output above); run scripts/bench.sh --smoke --no-build to reproduce"
log "scripts/soak.sh 0.3"
"$REPO_ROOT/scripts/soak.sh" 0.3 \
  || die "the soak smoke failed (output above); run scripts/soak.sh 0.3 to reproduce"
elapsed=$((($(now_ms) - started) / 1000))
echo "scripts/test.sh: all tests and smoke runs passed in ${elapsed}s"
