#!/usr/bin/env bash
# Load and soak test of the Native AOT server (issue 5).
#
#   scripts/soak.sh [MINUTES]     (default 10; fractions allowed, e.g. 0.3 for the CI smoke)
#
# Starts artifacts/publish/linux-x64/pihub (or $PIHUB_BINARY) in a scratch data folder on a
# free 127.0.0.1 port and runs scripts/lib/soak.mjs against it for MINUTES:
#   200 WebSocket clients subscribed to state_changed (0 events lost), REST writes (~20/s) and
#   reads (~22/s), password logins from 127.0.0.1 and 127.0.0.2 (must succeed), wrong passwords
#   from 127.0.0.3 and 127.0.0.4 (must be banned after 5: 403 {code:"banned"}) and from
#   127.0.0.1 (allowlisted: never banned), token refreshes, revocations (the revoked refresh
#   token and its access tokens must stop working), RSS sampled every 2 s.
# Then it stops the server, starts it again on the same data folder and checks that the store
# validates: the owner logs in with the password and the run's refresh token still works.
# Fails (exit 1) if any request that should succeed failed, a ban hit a non-attacking address,
# events were lost, the restart check failed, or (runs of 3 minutes or more) RSS grew faster
# than $SOAK_MAX_SLOPE MB/min (default 1.0) after warm-up.
# Traffic stays on loopback (127.0.0.0/8); every loop is bounded by MINUTES.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/deps.sh
source "$REPO_ROOT/scripts/lib/deps.sh"
cd "$REPO_ROOT"

case "${1:-}" in
  -h | --help)
    print_usage "$0"
    exit 0
    ;;
esac
MINUTES=${1:-10}
if ! [[ $MINUTES =~ ^[0-9]+(\.[0-9]+)?$ ]] || ! awk -v m="$MINUTES" 'BEGIN { exit !(m > 0 && m <= 1440) }'; then
  die "MINUTES must be a number between 0 and 1440 (got '$MINUTES'); e.g. scripts/soak.sh 0.3"
fi
MAX_SLOPE=${SOAK_MAX_SLOPE:-1.0}
BINARY=${PIHUB_BINARY:-$REPO_ROOT/artifacts/publish/linux-x64/pihub}
[[ -x $BINARY ]] || die "$BINARY is missing; run scripts/publish.sh linux-x64 (or set PIHUB_BINARY)"
command -v node >/dev/null || die "node not found; install Node.js 20 (apt-get install nodejs npm) and re-run"
NODE_DIR=$REPO_ROOT/tests/PiHub.EndToEnd.Tests/node
ensure_npm "$NODE_DIR"
export PIHUB_NODE_DIR=$NODE_DIR
ensure_apt curl

make_scratch pihub-soak
DATA=$SCRATCH/data
mkdir -p "$DATA"

PORT=$(free_port)
BASE=http://127.0.0.1:$PORT

# start: the server in $DATA (dev mode keeps its data in ./.pihub there); waits for GET /api/.
start() {
  (cd "$DATA" && exec "$BINARY" --urls "$BASE" >>"$SCRATCH/server.log" 2>&1) &
  SERVER_PID=$!
  local i code
  for ((i = 0; i < 300; i++)); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$BASE/api/" 2>/dev/null || true)
    [[ $code == 200 || $code == 401 ]] && return 0
    sleep 0.1
  done
  tail -n 20 "$SCRATCH/server.log" >&2
  die "the server did not answer on $BASE within 30 s (log above)"
}

start
log "soak: $MINUTES min against $BASE (pid $SERVER_PID, data in $DATA)"
status=0
summary=$(node "$REPO_ROOT/scripts/lib/soak.mjs" run --base "$BASE" --pid "$SERVER_PID" --minutes "$MINUTES" \
  --state "$SCRATCH/state.json") || status=$?
[[ -n $summary ]] || {
  tail -n 20 "$SCRATCH/server.log" >&2
  die "soak.mjs printed no summary (exit $status); server log above"
}
echo "$summary"

log "restart on the same data folder; the store must validate"
stop_pid "$SERVER_PID"
SERVER_PID=""
start
verify_status=0
node "$REPO_ROOT/scripts/lib/soak.mjs" verify --base "$BASE" --state "$SCRATCH/state.json" || verify_status=$?
stop_pid "$SERVER_PID"
SERVER_PID=""

slope=$(node -e 'const s=JSON.parse(process.argv[1]);process.stdout.write(String(s.rss_slope_mb_per_min ?? ""))' "$summary")
# shellcheck disable=SC2016 # JavaScript, not shell
node -e '
const s = JSON.parse(process.argv[1]);
console.log(`soak ${s.minutes} min: ${s.writes} writes, ${s.reads_ok ?? 0} reads, ${s.logins_ok ?? 0} good logins, ${s.refreshes_ok ?? 0} refreshes, ${s.revocations_ok ?? 0} revocations, ${s.ws_clients} WS clients, ${s.ws_lost} events lost`);
console.log(`RSS ${s.rss_first_mb} -> ${s.rss_last_mb} MB (max ${s.rss_max_mb}), slope ${s.rss_slope_mb_per_min} MB/min over ${s.rss_samples} samples`);
for (const [ip, a] of Object.entries(s.attackers)) console.log(`attacker ${ip}: ${a.attempts} attempts, ${a.invalid} invalid_auth, ${a.banned} banned`);
for (const f of s.failures) console.log(`FAILED ${f}`);
' "$summary"

((status == 0)) || die "soak found failures (listed above); server log: keep it by re-running with TMPDIR set and reading pihub-soak.*/server.log"
((verify_status == 0)) || die "the store did not validate after the restart (see the verify line above)"
if [[ -n $slope ]] && awk -v m="$MINUTES" 'BEGIN { exit !(m >= 3) }'; then
  awk -v s="$slope" -v max="$MAX_SLOPE" 'BEGIN { exit !(s <= max) }' \
    || die "RSS grew $slope MB/min after warm-up (limit $MAX_SLOPE, SOAK_MAX_SLOPE); look for a leak"
fi
echo "scripts/soak.sh: passed"
