# shellcheck shell=bash
# Helpers of scripts/bench.sh and the scripts/lib/bench-*.sh files it sources: the figures file, /proc
# readings, starting a server in a scratch folder and onboarding its owner. Uses bench.sh's SCRATCH,
# FIGURES and CLK_TCK; sourced after lib/common.sh.

BENCH_LIB=$REPO_ROOT/scripts/lib

# record VARIANT KEY VALUE: one figure measured by the shell itself (a timer, /proc) into $FIGURES, as
# scripts/lib/bench-figures.mjs writes them. An empty VALUE is an error: a figure is measured or the run fails.
record() {
  local variant=$1 key=$2 value=$3
  [[ -n $value ]] || die "$variant $key has no value; the measurement above failed"
  if [[ ! $value =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; then
    value=${value//\\/\\\\}
    value="\"${value//\"/\\\"}\""
  fi
  printf '{"variant":"%s","figures":{"%s":%s}}\n' "$variant" "$key" "$value" >>"$FIGURES"
}

# record_json VARIANT JSON KEY[=FIELD]...: figures from a measuring program's JSON output (see bench-figures.mjs).
record_json() { node "$BENCH_LIB/bench-figures.mjs" pick "$FIGURES" "$@" || die "recording $1's figures failed (above)"; }

# json_field FIELD: reads JSON on stdin, prints FIELD (empty if absent).
json_field() { node "$BENCH_LIB/bench-figures.mjs" field "$1"; }

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# proc_cpu_ms PID: user+system CPU time of PID so far, in ms (clock-tick resolution).
proc_cpu_ms() {
  local stat rest
  stat=$(<"/proc/$1/stat")
  rest=${stat##*) } # fields after "pid (comm) "; utime/stime are fields 14/15 overall, 12/13 here
  awk -v hz="$CLK_TCK" '{ print int(($12 + $13) * 1000 / hz) }' <<<"$rest"
}

# proc_sys_ms PID: system (kernel) CPU time of PID so far, in ms.
proc_sys_ms() {
  local stat rest
  stat=$(<"/proc/$1/stat")
  rest=${stat##*) }
  awk -v hz="$CLK_TCK" '{ print int($13 * 1000 / hz) }' <<<"$rest"
}

# proc_status_kb PID FIELD: a kB field of /proc/PID/status (VmRSS, VmHWM).
proc_status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

# proc_write_bytes PID: bytes PID caused to be written to storage (/proc/PID/io).
proc_write_bytes() { awk '$1 == "write_bytes:" { print $2 }' "/proc/$1/io"; }

kb_to_mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# file_mb FILE: the size of FILE in MB, one decimal.
file_mb() { kb_to_mb $(($(stat -c %s "$1") / 1024)); }

# http_code URL [curl args...]: the status code of a loopback request; "000" when nothing answered (a
# server still starting), which the callers poll on.
http_code() {
  local url=$1 code
  shift
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" "$url" 2>/dev/null) || code=000
  printf '%s' "$code"
}

# start_server LABEL PORT CMD...: starts the server in a fresh data folder (its working
# directory, so dev-mode data in ./.pihub never touches the repo); sets SERVER_PID, START_T0.
start_server() {
  local label=$1 port=$2
  shift 2
  local dir=$SCRATCH/$label.$port
  mkdir -p "$dir"
  # shellcheck disable=SC2034 # START_T0 is read by the callers (measure_start)
  START_T0=$(now_ms)
  (cd "$dir" && exec "$@" --urls "http://127.0.0.1:$port" >"$dir/server.log" 2>&1) &
  SERVER_PID=$!
  SERVER_LOG=$dir/server.log
}

# stop_server: stops the server start_server started.
stop_server() {
  stop_pid "$SERVER_PID"
  SERVER_PID=""
}

# wait_ready PORT TIMEOUT_S: waits until GET /api/ answers 200 (or 401: the real server
# protects /api/, which still proves the whole pipeline answers).
wait_ready() {
  local port=$1 timeout_s=$2 deadline code
  deadline=$(($(now_ms) + timeout_s * 1000))
  while (($(now_ms) < deadline)); do
    kill -0 "$SERVER_PID" 2>/dev/null || return 2
    code=$(http_code "http://127.0.0.1:$port/api/" --max-time 1)
    [[ $code == 200 || $code == 401 ]] && return 0
    sleep 0.005
  done
  return 1
}

# fail_server MESSAGE: the server's last log lines, then die.
fail_server() {
  [[ -f $SERVER_LOG ]] && tail -n 20 "$SERVER_LOG" >&2
  die "$1"
}

# get_token PORT: onboards the owner on a fresh server and prints an access token.
get_token() {
  local port=$1 base client body code token
  base=http://127.0.0.1:$port
  client=$base/
  body=$(curl -s --max-time 30 -H 'Content-Type: application/json' \
    -d "{\"client_id\":\"$client\",\"name\":\"Bench Owner\",\"username\":\"bench\",\"password\":\"bench-password-1\",\"language\":\"en\"}" \
    "$base/api/onboarding/users") || die "POST /api/onboarding/users failed"
  code=$(json_field auth_code <<<"$body")
  [[ -n $code ]] || die "onboarding gave no auth_code (answer: ${body:0:200})"
  body=$(curl -s --max-time 30 --data-urlencode grant_type=authorization_code \
    --data-urlencode "code=$code" --data-urlencode "client_id=$client" "$base/auth/token") || die "POST /auth/token failed"
  token=$(json_field access_token <<<"$body")
  [[ -n $token ]] || die "/auth/token gave no access_token (answer: ${body:0:200})"
  printf '%s' "$token"
}

# wrk_json CMD...: runs CMD (a wrk command line, perhaps behind taskset or nsenter) with
# scripts/lib/wrk-json.lua, which prints wrk's figures as one JSON line; prints that line. Returns 1
# when wrk fails.
wrk_json() {
  local out
  out=$("$@" -s "$BENCH_LIB/wrk-json.lua") || return 1
  grep '^{' <<<"$out" | tail -n 1
}
