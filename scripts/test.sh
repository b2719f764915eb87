#!/usr/bin/env bash
# Installs what the tests need (idempotently), publishes the binaries the
# end-to-end tests run, then runs every test.
#
#   scripts/test.sh [--no-publish] [--no-arm64] [dotnet test options...]
#
#   --no-publish  use the binaries already in artifacts/publish/ (quick local loop)
#   --no-arm64    skip the arm64 cross build and leave out the qemu test (category Arm64, by filter)
#   anything else is passed to `dotnet test` (e.g. --filter "FullyQualifiedName~Auth";
#   a --filter is combined with the category exclusions below)
#
# Nothing is skipped here: PIHUB_REQUIRE_ALL=1 turns a test's missing prerequisite (which plain
# `dotnet test` reports as ignored) into a failure, and a run whose summary still reports a
# skipped test (an [Ignore], an Assert.Ignore, an inconclusive Assume) fails. Tests that cannot
# run on this machine at all are excluded by filter, never skipped: category Hardware (a real Pi),
# and Arm64 with --no-arm64. [Explicit] benchmarks (category Bench) are not counted as skipped.
#
# Before it publishes or tests anything it runs shellcheck over every shell script in the repository
# (scripts/, packaging/, .ci/; settings in .shellcheckrc; first of all) and the dashboard's type
# check (npm run check in src/PiHub.Dashboard: tsc over its // @ts-check JavaScript, once npm is
# there); a finding fails the run.
#
# After the tests pass it runs smokes of scripts/bench.sh (--smoke --no-build) and
# scripts/soak.sh (0.3 minutes); either failing fails the run.
#
# The tests find what this script prepared through these environment variables
# (each is exported only if the file exists):
#   PIHUB_BINARY_X64      artifacts/publish/linux-x64/pihub       Native AOT, linux-x64
#   PIHUB_BINARY_X64_JIT  artifacts/publish/linux-x64-jit/pihub   trimmed single-file JIT fallback
#   PIHUB_BINARY_ARM64    artifacts/publish/linux-arm64/pihub     Native AOT, linux-arm64
#   PIHUB_CLI_X64         artifacts/publish/linux-x64/pihub-cli   Native AOT, linux-x64 (published beside pihub)
#   PIHUB_RUN_ARM64       scripts/lib/run-arm64.sh   runs the arm64 binary under qemu-aarch64-static
#   PIHUB_NODE_DIR        tests/PiHub.EndToEnd.Tests/node  (node_modules: home-assistant-js-websocket, ws)
#   PIHUB_NODERED_DIR     tests/PiHub.EndToEnd.Tests/nodered  (node_modules: node-red 4.1.8 and
#                         node-red-contrib-home-assistant-websocket 0.80.3, for NodeRedTests)
#   PIHUB_NODE            /usr/bin/node (or whatever `node` is on PATH)
#   PIHUB_CHROMIUM        the Debian chromium binary, for the dashboard's browser tests
#                         (tests/PiHub.EndToEnd.Tests/Browser; screenshots in artifacts/screenshots/)
#   PIHUB_DEB_AMD64       artifacts/deb/pihub_<version>_amd64.deb   (scripts/build-deb.sh; the
#                         package tests install it into Debian roots cached in /var/cache/pihub-test/debroot)
# and, always, PIHUB_REQUIRE_ALL=1 (see above).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/deps.sh
source "$REPO_ROOT/scripts/lib/deps.sh"
cd "$REPO_ROOT"

publish=1
arm64=1
test_args=()
user_filter=
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  arg=${args[i]}
  case "$arg" in
    --no-publish) publish=0 ;;
    --no-arm64) arm64=0 ;;
    --filter) user_filter=${args[i + 1]:-}; i=$((i + 1)) ;;
    --filter=*) user_filter=${arg#--filter=} ;;
    *) test_args+=("$arg") ;;
  esac
done

# Excluded by filter, not skipped: tests that need a real Pi, and the qemu test with --no-arm64.
filter="TestCategory!=Hardware"
((arm64)) || filter+="&TestCategory!=Arm64"
[[ -n $user_filter ]] && filter="($user_filter)&$filter"

started=$(now_ms)

# 0. Static checks, first because they take seconds: shellcheck over every shell script in scripts/,
#    packaging/ and .ci/ (a .sh name or a sh/bash #! line), with the repository's .shellcheckrc.
ensure_apt shellcheck
mapfile -t shell_scripts < <(list_shell_scripts scripts packaging .ci)
((${#shell_scripts[@]} > 0)) || die "found no shell scripts under scripts/, packaging/ or .ci/; run scripts/test.sh from a PiHub checkout"
log "shellcheck: ${#shell_scripts[@]} scripts"
shellcheck "${shell_scripts[@]}" || die "shellcheck found problems (listed above); fix them (or, for a deliberate case, add a '# shellcheck disable=SCnnnn # why' line), then re-run"

command -v dotnet >/dev/null || die "dotnet not found; install the .NET 10 SDK (see global.json) and re-run"

# 1. System packages: Native AOT toolchain, arm64 cross toolchain + qemu (arm64 end-to-end
#    test), wrk (bench smoke), chromium (dashboard tests), tmux (pihub-cli's password prompt
#    test). Only missing ones are installed.
ensure_apt "${X64_AOT_PACKAGES[@]}" "${ARM64_CROSS_PACKAGES[@]}" qemu-user-static wrk chromium curl tmux
# Packaging: build (dpkg-dev, lintian), unit checks (systemd-analyze), install tests
# (debootstrap, systemd-nspawn).
ensure_apt dpkg-dev lintian systemd debootstrap systemd-container
((arm64)) && ensure_arm64_runtime

# 2. Node clients for the end-to-end tests, from the committed lock file.
# Node.js runs the npm clients, the dashboard build and the browser tests: Debian's (18 in Debian 12)
# unless a Node.js with npm is already there.
command -v npm >/dev/null || ensure_apt nodejs npm
node_dir=$REPO_ROOT/tests/PiHub.EndToEnd.Tests/node
ensure_npm "$node_dir"
nodered_dir=$REPO_ROOT/tests/PiHub.EndToEnd.Tests/nodered
ensure_npm "$nodered_dir"
# The dashboard's browser tests: playwright-core (drives Debian's chromium, never a downloaded
# browser) and axe-core. The dashboard itself is built by dotnet (src/PiHub.Server runs npm).
ensure_npm "$REPO_ROOT/tests/PiHub.EndToEnd.Tests/Browser"
# The dashboard's type check (tsc over its // @ts-check JavaScript, src/PiHub.Dashboard/tsconfig.json):
# seconds, so before publishing and testing.
dashboard_dir=$REPO_ROOT/src/PiHub.Dashboard
ensure_npm "$dashboard_dir"
log "dashboard type check (npm run check in src/PiHub.Dashboard)"
(cd "$dashboard_dir" && npm run --silent check) \
  || die "the dashboard's type check found errors (listed above); fix them (cd src/PiHub.Dashboard && npm run check), then re-run"

# 3. The binaries the end-to-end tests start as processes.
if ((publish)); then
  "$REPO_ROOT/scripts/publish.sh" linux-x64
  "$REPO_ROOT/scripts/publish.sh" linux-x64 --jit
  if ((arm64)); then
    "$REPO_ROOT/scripts/publish.sh" linux-arm64
  fi
fi

# 4. The Debian packages (lintian errors fail the run here).
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$REPO_ROOT/Directory.Build.props" | head -n 1)
[[ -x $REPO_ROOT/artifacts/publish/linux-x64/pihub ]] && "$REPO_ROOT/scripts/build-deb.sh" amd64
if ((arm64)) && [[ -x $REPO_ROOT/artifacts/publish/linux-arm64/pihub ]]; then
  "$REPO_ROOT/scripts/build-deb.sh" arm64
fi

export_if_exists() {
  local name=$1 path=$2
  if [[ -e $path ]]; then
    export "$name=$path"
    log "$name=${path#"$REPO_ROOT"/}"
  else
    warn "$name not set: $path does not exist (tests that need it will fail)"
  fi
}
export_if_exists PIHUB_BINARY_X64 "$REPO_ROOT/artifacts/publish/linux-x64/pihub"
export_if_exists PIHUB_CLI_X64 "$REPO_ROOT/artifacts/publish/linux-x64/pihub-cli"
export_if_exists PIHUB_BINARY_X64_JIT "$REPO_ROOT/artifacts/publish/linux-x64-jit/pihub"
if ((arm64)); then
  export_if_exists PIHUB_BINARY_ARM64 "$REPO_ROOT/artifacts/publish/linux-arm64/pihub"
fi
export_if_exists PIHUB_RUN_ARM64 "$REPO_ROOT/scripts/lib/run-arm64.sh"
export_if_exists PIHUB_NODE_DIR "$node_dir"
export_if_exists PIHUB_NODERED_DIR "$nodered_dir"
export_if_exists PIHUB_NODE "$(command -v node)"
export_if_exists PIHUB_CHROMIUM "$(command -v chromium || echo /usr/bin/chromium)"
export_if_exists PIHUB_DEB_AMD64 "$REPO_ROOT/artifacts/deb/pihub_${version}_amd64.deb"

# 5. Every test project in the solution, with every prerequisite required.
export PIHUB_REQUIRE_ALL=1
log "dotnet test PiHub.sln -c Release --filter \"$filter\" ${test_args[*]}"
results=$REPO_ROOT/artifacts/test-results
rm -rf "$results" && mkdir -p "$results"
status=0
dotnet test PiHub.sln -c Release --nologo --filter "$filter" --results-directory "$results" --logger trx "${test_args[@]}" 2>&1 \
  | tee "$results/dotnet-test.log" || status=$?
elapsed=$((($(now_ms) - started) / 1000))
if ((status != 0)); then
  die "tests failed (dotnet test exit code $status) after ${elapsed}s; the failures are listed above (details in artifacts/test-results/*.trx)"
fi

# One summary line per test project: "Passed!  - Failed: 0, Passed: 95, Skipped: 0, Total: 95, …".
summaries=$(grep -E '^(Passed|Failed|Skipped)! +- Failed: ' "$results/dotnet-test.log" || true)
[[ -n $summaries ]] || die "found no test summary in the dotnet test output (artifacts/test-results/dotnet-test.log); run dotnet test PiHub.sln -c Release to see why"
skipped=$(grep -vE 'Skipped: +0,' <<<"$summaries" || true)
if [[ -n $skipped ]]; then
  die "some tests were skipped, and scripts/test.sh runs them all: $(tr -s ' ' <<<"$skipped" | paste -sd ';' -); the skipped tests are the \"Skipped <name>\" lines above (the [Explicit] Bench ones do not count); their reasons are in artifacts/test-results/*.trx"
fi

# 6. Smoke runs (~1.5 min) proving the benchmark and the soak test still work end to end:
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
