#!/usr/bin/env bash
# Governance overhead benchmark (issue #14): what auth + rate limits + budget reservation (and the settle and
# spend-ledger write after each request) add to the gateway's pass-through, measured with wrk on loopback against
# the same fixed-answer nginx upstream as bench/gateway.sh. Three gateway phases, each a fresh `switchboard serve`:
#   off     server.auth off (the baseline)
#   inproc  server.auth required, in-process counters; the key has a team, RPM/TPM limits and budgets on both
#   redis   the same with limits.redis on a redis-server started here on loopback
# at 1 and 16 connections, every request carrying the key. Every process started here is killed on exit.
#
# Usage (from anywhere): bench/governance.sh
#   DURATION=15 WARMUP=5 CONNS="1 16" PHASES="off inproc redis" GW_WARMUP=30 bench/governance.sh
#   PHASES="off inproc redis off inproc redis" runs two rounds (targets: median over rounds); LEASE_REQUESTS=0 turns
#   Redis leases off (limits.lease_requests).
#   OUT=bench/results/governance-YYYY-MM-DD-run1.md (default: governance-<date>.md)
#   SWITCHBOARD_BIN=/path/to/switchboard runs another build's launcher.
# The caller holds /tmp/bench.lock (the shared-machine rule); this script does not take it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
CONNS=${CONNS:-"1 16"}
PHASES=${PHASES:-"off inproc redis"}
GW_WARMUP=${GW_WARMUP:-30}
SWITCHBOARD_BIN=${SWITCHBOARD_BIN:-./switchboard}
NGINX_PORT=${NGINX_PORT:-18190}
GW_PORT=${GW_PORT:-18191}
REDIS_PORT=${REDIS_PORT:-18192}
OUT=${OUT:-bench/results/governance-$(date -u +%F).md}
HERE="$ROOT/bench/gateway"   # the upstream's answers and wrk's script are bench/gateway.sh's

need() { command -v "$1" >/dev/null 2>&1; }
if ! need nginx || ! need wrk || ! need curl || ! need redis-server; then
  echo "installing nginx-light, wrk, curl, redis-server with apt-get..." >&2
  apt-get update -q >/dev/null && apt-get install -y -q nginx-light wrk curl redis-server >/dev/null
fi
if [[ ! -f switchboard-cli/target/switchboard.jar || ! -d switchboard-cli/target/lib ]]; then
  echo "building switchboard.jar..." >&2
  mvn -B -q -o -DskipTests package >&2
fi

TMP="$(mktemp -d /tmp/sb-govbench.XXXXXX)"
NGINX_PID=""
REDIS_PID=""
GW_PID=""
cleanup() {
  [[ -n "$GW_PID" ]] && kill "$GW_PID" 2>/dev/null && { wait "$GW_PID" 2>/dev/null || true; }
  [[ -n "$REDIS_PID" ]] && kill "$REDIS_PID" 2>/dev/null && { wait "$REDIS_PID" 2>/dev/null || true; }
  [[ -n "$NGINX_PID" ]] && kill "$NGINX_PID" 2>/dev/null && { wait "$NGINX_PID" 2>/dev/null || true; }
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- upstream: nginx with a fixed answer (1 worker)
source "$ROOT/bench/lib/answer-nginx.sh"
answer_nginx_start "$TMP/nginx" "$NGINX_PORT"

# ---------------------------------------------------------------- gateway phases
GATEWAY="http://127.0.0.1:$GW_PORT"
export SWITCHBOARD_KEY_PEPPER="bench-pepper-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export SWITCHBOARD_ADMIN_KEY="bench-admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"

config() { # $1 = phase
  local auth=off limits=""
  [[ $1 != off ]] && auth=required
  [[ $1 == redis ]] && limits="limits: { redis: \"redis://127.0.0.1:$REDIS_PORT\"${LEASE_REQUESTS:+, lease_requests: $LEASE_REQUESTS} }"
  cat <<EOF
server: { host: 127.0.0.1, port: $GW_PORT, auth: $auth }
$limits
deployments:
  - { name: bench, provider: openai, base_url: "http://127.0.0.1:$NGINX_PORT/v1", model: gpt-4o-mini,
      input_price_per_mtok: 0.15, output_price_per_mtok: 0.6 }
routes: []
EOF
}

start_gateway() { # $1 = phase; sets KEY
  config "$1" > "$TMP/gateway-$1.yaml"
  if [[ $1 == redis && -z "$REDIS_PID" ]]; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$TMP" >"$TMP/redis.log" 2>&1 &
    REDIS_PID=$!
    for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  local args=(serve --config "$TMP/gateway-$1.yaml" --data-dir "$TMP/data-$1" --no-request-log)
  GW_CMD="./switchboard ${args[*]}"
  "$SWITCHBOARD_BIN" "${args[@]}" >"$TMP/gateway-$1.log" 2>&1 &
  GW_PID=$!
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "$GATEWAY/readyz" && break
    kill -0 "$GW_PID" 2>/dev/null || { echo "gateway exited:" >&2; cat "$TMP/gateway-$1.log" >&2; exit 1; }
    sleep 0.5
  done
  KEY="sk-sb-not-checked-with-auth-off"
  if [[ $1 != off ]]; then
    # Limits and budgets that every request is checked against but no run reaches: the cost of checking is measured.
    local team
    team=$("$SWITCHBOARD_BIN" teams create --gateway "$GATEWAY" --name bench --budget 1000000/month --rpm 100000000 --tpm 100000000000 --json \
      | awk -F'"' '/"id"/ {print $4; exit}')
    KEY=$("$SWITCHBOARD_BIN" keys create --gateway "$GATEWAY" --name bench --team "$team" --budget 1000000/month --rpm 100000000 \
      --tpm 100000000000 --json 2>/dev/null | awk -F'"' '/"secret"/ {print $4}')
    [[ $KEY == sk-sb-* ]] || { echo "could not create a key" >&2; cat "$TMP/gateway-$1.log" >&2; exit 1; }
  fi
  # JIT warm-up on the measured path
  MODEL=bench STREAM=0 wrk -t2 -c16 -d${GW_WARMUP}s -H "Authorization: Bearer $KEY" -s "$HERE/chat.lua" "$GATEWAY/v1/chat/completions" >/dev/null
}
stop_gateway() {
  kill "$GW_PID" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$GW_PID" 2>/dev/null || true
  wait "$GW_PID" 2>/dev/null || true
  GW_PID=""
}

to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
  if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; printf "%.3f", n }'; }
load1() { cut -d' ' -f1 /proc/loadavg; }
gw_cpu_ticks() { if [[ -n "$GW_PID" && -r /proc/$GW_PID/stat ]]; then awk '{print $14 + $15}' "/proc/$GW_PID/stat"; else echo 0; fi; }
ROWS="$TMP/rows.tsv"   # phase conns rps p50 p99 errors load cpu_us_per_request
: > "$ROWS"

run_wrk() { # phase conns
  local phase=$1 c=$2 t=2
  (( c < 2 )) && t=1
  local url="$GATEWAY/v1/chat/completions"
  MODEL=bench STREAM=0 wrk -t$t -c$c -d${WARMUP}s -H "Authorization: Bearer $KEY" -s "$HERE/chat.lua" "$url" >/dev/null
  local ld cpu0 cpu1 out
  ld=$(load1); cpu0=$(gw_cpu_ticks)
  out=$(MODEL=bench STREAM=0 wrk -t$t -c$c -d${DURATION}s --latency -H "Authorization: Bearer $KEY" -s "$HERE/chat.lua" "$url")
  cpu1=$(gw_cpu_ticks)
  local rps p50 p99 errs reqs cpu_us
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  errs=$(awk '/Non-2xx|Socket errors/ {gsub(/^ +/, ""); printf "%s; ", $0}' <<<"$out")
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu_us=$(awk -v a="$cpu0" -v b="$cpu1" -v n="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (b - a) * 1e6 / hz / n }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$c" "$rps" "$p50" "$p99" "${errs:-none}" "$ld" "$cpu_us" >> "$ROWS"
  echo "  $phase c=$c: $rps req/s  p50 $p50 ms  p99 $p99 ms  gateway CPU/request ${cpu_us} us  errors: ${errs:-none}  load $ld" >&2
}

CMDS="$TMP/commands.txt"
: > "$CMDS"
UPTIME_START=$(uptime)
# Phases alternate per connection count would mix JIT states; instead each phase runs all its connection counts on one
# warmed gateway, in the order given.
for phase in $PHASES; do
  echo "== phase $phase" >&2
  start_gateway "$phase"
  echo "$GW_CMD   # $phase" >> "$CMDS"
  for c in $CONNS; do run_wrk "$phase" "$c"; done
  if [[ $phase != off ]]; then
    # the requests were all counted and priced: the ledger must show them
    "$SWITCHBOARD_BIN" spend --gateway "$GATEWAY" --group-by team >"$TMP/spend-$phase.txt" 2>&1 || true
  fi
  grep -E "WARN|ERROR" "$TMP/gateway-$phase.log" | head -5 >&2 || true
  stop_gateway
done
UPTIME_END=$(uptime)

# ---------------------------------------------------------------- report
{
  echo "# Governance overhead benchmark ($(date -u +%F))"
  echo
  echo "Generated by \`bench/governance.sh\` at $(date -u '+%F %H:%M UTC') (DURATION=${DURATION}s per run after a ${WARMUP}s warm-up of the same run; each fresh gateway first got ${GW_WARMUP}s of 16-connection load for the JIT)."
  echo
  echo "## Machine"
  echo
  echo "- CPU (lscpu): $(lscpu | awk -F': +' '/^Model name/ {print $2; exit}'); $(nproc) cores; kernel $(uname -r)"
  echo "- java: $(java -version 2>&1 | head -1)"
  echo "- $(nginx -v 2>&1 | sed 's/.*\///') upstream (1 worker, fixed 357-byte chat.completion); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); $(redis-server --version | cut -d' ' -f1-3)"
  echo "- uptime (load average) at start: \`$UPTIME_START\`"
  echo "- uptime (load average) at end: \`$UPTIME_END\`"
  echo "- The 2 cores are shared by wrk, nginx, redis, the gateway and other engineers' work; the 1-min load is recorded beside every run."
  echo
  echo "## Results"
  echo
  echo "Every request carries \`Authorization: Bearer <key>\`. \`inproc\`/\`redis\`: auth (HMAC-SHA256 of the key, map lookup), RPM and TPM"
  echo "windows of key and team, a budget reservation on key and team before the upstream call, settle + token correction after"
  echo "it, and the spend summed in memory (one ledger row per key, team, model and day each second). \`redis\`: leases of"
  echo "\`limits.lease_requests\` (${LEASE_REQUESTS:-default 32}). Added = phase − the last \`off\` before it, at the same connection count."
  echo "Phases listed more than once (\`PHASES=\"off inproc redis off inproc redis\"\`) are rounds; the targets take the difference of each round from its own"
  echo "\`off\` and report the median over rounds, since the shared host drifts between phases."
  echo
  echo "| phase | conns | req/s | p50 ms | p99 ms | added p50 ms | throughput vs off | gateway CPU µs/req | load | errors |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '
    $1 == "off" { o[$2] = $0 }
    { if ($2 in o) { split(o[$2], x, FS); added = sprintf("%+.3f", $4 - x[4]); ratio = sprintf("%.0f %%", 100 * $3 / x[3]) } else { added = "-"; ratio = "-" }
      if ($1 == "off") { added = "(baseline)"; ratio = "100 %" }
      printf "| %s | %s | %s | %.3f | %.3f | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, added, ratio, $8, $7, $6 }' "$ROWS"
  echo
  echo "## Targets (issue #14)"
  echo
  echo "| target | measured | verdict |"
  echo "|---|---|---|"
  awk -F'\t' '
    # per round (an off row starts one), each phase minus the off of its round at the same connection count
    $1 == "off" { op50[$2] = $4; orps[$2] = $3; next }
    ($2 in op50) { k = $1 FS $2; n[k]++; d[k, n[k]] = $4 - op50[$2]; r[k, n[k]] = 100 * $3 / orps[$2] }
    function median(arr, k, cnt,   i, j, t, v) {
      for (i = 1; i <= cnt; i++) v[i] = arr[k, i]
      for (i = 1; i <= cnt; i++) for (j = i + 1; j <= cnt; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return cnt % 2 ? v[(cnt + 1) / 2] : (v[cnt / 2] + v[cnt / 2 + 1]) / 2 }
    function lat(name, phase, c, limit,   k, v) {
      k = phase FS c
      if (!(k in n)) { printf "| %s | not run | - |\n", name; return }
      v = median(d, k, n[k])
      printf "| %s | %+.3f ms (%d rounds) | %s |\n", name, v, n[k], (v <= limit ? "met" : "**missed**") }
    function thr(name, phase, c,   k, v) {
      k = phase FS c
      if (!(k in n)) { printf "| %s | not run | - |\n", name; return }
      v = median(r, k, n[k])
      printf "| %s | %.0f %% (%d rounds) | %s |\n", name, v, n[k], (v >= 80 ? "met" : "**missed**") }
    END {
      lat("added p50 ≤ 0.05 ms, 1 conn, in-process", "inproc", 1, 0.05)
      lat("added p50 ≤ 0.2 ms, 16 conns, in-process", "inproc", 16, 0.2)
      lat("added p50 ≤ 0.5 ms, 16 conns, Redis", "redis", 16, 0.5)
      thr("throughput ≥ 80 % of auth off, 16 conns (in-process)", "inproc", 16)
      thr("throughput ≥ 80 % of auth off, 16 conns (Redis)", "redis", 16)
    }' "$ROWS"
  echo
  echo "## Spend recorded (\`switchboard spend --group-by team\` after each governed phase)"
  echo
  for f in "$TMP"/spend-*.txt; do
    [[ -e $f ]] || continue
    echo "$(basename "$f" .txt | sed 's/spend-//'):"
    echo
    echo '```'
    cat "$f"
    echo '```'
    echo
  done
  echo "## Commands"
  echo
  echo '```'
  sed "s#$TMP#\$TMP#g" "$CMDS"
  echo "MODEL=bench STREAM=0 wrk -t{1|2} -c{1|16} -d${DURATION}s --latency -H 'Authorization: Bearer \$KEY' -s bench/gateway/chat.lua $GATEWAY/v1/chat/completions"
  echo '```'
  echo
  for phase in $(tr ' ' '\n' <<<"$PHASES" | awk 'NF && !seen[$0]++'); do
    echo "Gateway config, phase \`$phase\`:"
    echo
    echo '```yaml'
    config "$phase"
    echo '```'
    echo
  done
} > "$OUT"
echo "wrote $OUT" >&2
