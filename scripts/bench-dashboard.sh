#!/usr/bin/env bash
# Dashboard page-load figures (issue 13): starts the published AOT server on a free loopback port
# in a scratch data folder (dev mode), then scripts/lib/bench-dashboard.mjs drives Debian's chromium
# through playwright-core (the browser tests' packages) and measures, for each page, the median cold
# load (new browser context, navigation -> main content visible) and the JavaScript + CSS it loads,
# gzip-compressed as the hub sends it. Targets: under 1 s a page; <= 100 KB gzip for the first page.
#
#   scripts/bench-dashboard.sh [--no-build] [--runs N] [--json]
#
#   --no-build  use artifacts/publish/linux-x64/pihub as it is instead of publishing it
#   --runs N    cold loads per page (default 5)
#   --json      print only the figures, one JSON object (scripts/bench.sh reads it)
#
# Prints a table and writes bench-results/<UTC date-time>-dashboard.json.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/deps.sh
source "$REPO_ROOT/scripts/lib/deps.sh"
cd "$REPO_ROOT"

BUILD=1
RUNS=5
JSON_ONLY=0
while (($# > 0)); do
  case "$1" in
    --no-build) BUILD=0 ;;
    --json) JSON_ONLY=1 ;;
    --runs)
      [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive number"
      RUNS=$2
      shift
      ;;
    -h | --help)
      print_usage "$0"
      exit 0
      ;;
    *) die "unknown argument '$1'; see scripts/bench-dashboard.sh --help" ;;
  esac
  shift
done

CHROMIUM=${PIHUB_CHROMIUM:-/usr/bin/chromium}
[[ -x $CHROMIUM ]] || die "$CHROMIUM is missing: apt-get install chromium (scripts/test.sh installs it), or set PIHUB_CHROMIUM"
command -v node >/dev/null || die "node not found; install Node.js 20 (apt-get install nodejs npm) and re-run"
ensure_npm "$REPO_ROOT/tests/PiHub.EndToEnd.Tests/Browser"
BINARY=artifacts/publish/linux-x64/pihub
((BUILD)) && scripts/publish.sh linux-x64 >&2
[[ -x $BINARY ]] || die "$BINARY is missing; run scripts/bench-dashboard.sh without --no-build (or scripts/publish.sh linux-x64)"

make_scratch pihub-bench-dashboard

PORT=$(free_port)
(cd "$SCRATCH" && exec "$REPO_ROOT/$BINARY" --urls "http://127.0.0.1:$PORT" >"$SCRATCH/server.log" 2>&1) &
SERVER_PID=$!
for ((i = 0; i < 300; i++)); do
  code=$(curl -s -o /dev/null -w "%{http_code}" --max-time 1 "http://127.0.0.1:$PORT/api/") || code=000 # not answering yet
  [[ $code == 200 || $code == 401 ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$SCRATCH/server.log" >&2; die "pihub exited before answering; its log is above"; }
  sleep 0.1
done
[[ $code == 200 || $code == 401 ]] || die "pihub did not answer on 127.0.0.1:$PORT within 30 s"

log "dashboard cold loads: $RUNS per page, chromium $CHROMIUM"
OUT=$(node scripts/lib/bench-dashboard.mjs "{\"a\":\"http://127.0.0.1:$PORT\",\"chromium\":\"$CHROMIUM\",\"runs\":$RUNS}") ||
  die "scripts/lib/bench-dashboard.mjs failed (its output is above)"
if ((JSON_ONLY)); then
  printf '%s\n' "$OUT"
  exit 0
fi

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p bench-results
file=bench-results/$stamp-dashboard.json
node scripts/lib/bench-report.mjs dashboard "$OUT" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$RUNS" "$file"
echo "results: $file"
