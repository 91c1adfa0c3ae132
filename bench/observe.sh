#!/usr/bin/env bash
# Observability overhead benchmark (issue #17): what tracing and the JSON access log add to the gateway's
# pass-through, measured with wrk at 16 connections on loopback against the fixed-answer nginx upstream of
# bench/gateway.sh. Phases, each a fresh `switchboard serve` (request log off):
#   off     no tracing, server.access_log: false (the baseline)
#   trace   OTEL_EXPORTER_OTLP_ENDPOINT set: a SERVER and a CLIENT span per request, batched and exported over OTLP/HTTP
#           to a sink on loopback (bench/observe/otlp_sink.py); access log off
#   trace10 the same with OTEL_TRACES_SAMPLER=traceidratio OTEL_TRACES_SAMPLER_ARG=0.1 (one request in ten recorded)
#   access  SWITCHBOARD_LOG_FORMAT=json with the access log on (one JSON line per request to a file); no tracing
# Every process started here is killed on exit; every run is bounded by wrk's -d.
#
# Usage: flock -x /tmp/bench.lock bench/observe.sh
#   DURATION=15 WARMUP=5 CONNS=16 GW_WARMUP=20 PHASES="off trace access off trace access" bench/observe.sh
#   OUT=bench/results/observe-YYYY-MM-DD.md (default)
# The caller holds /tmp/bench.lock; this script does not take it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
CONNS=${CONNS:-16}
GW_WARMUP=${GW_WARMUP:-20}
PHASES=${PHASES:-"off trace trace10 access off trace trace10 access"}
SWITCHBOARD_BIN=${SWITCHBOARD_BIN:-./switchboard}
NGINX_PORT=${NGINX_PORT:-18195}
GW_PORT=${GW_PORT:-18196}
SINK_PORT=${SINK_PORT:-18197}
OUT=${OUT:-bench/results/observe-$(date -u +%F).md}
HERE="$ROOT/bench/gateway"   # wrk's script is bench/gateway.sh's

need() { command -v "$1" >/dev/null 2>&1; }
if ! need nginx || ! need wrk || ! need curl || ! need python3; then
  echo "installing nginx-light, wrk, curl, python3 with apt-get..." >&2
  apt-get update -q >/dev/null && apt-get install -y -q nginx-light wrk curl python3 >/dev/null
fi

TMP="$(mktemp -d /tmp/sb-obsbench.XXXXXX)"
NGINX_PID=""
SINK_PID=""
GW_PID=""
cleanup() {
  [[ -n "$GW_PID" ]] && kill "$GW_PID" 2>/dev/null && { wait "$GW_PID" 2>/dev/null || true; }
  [[ -n "$SINK_PID" ]] && kill "$SINK_PID" 2>/dev/null && { wait "$SINK_PID" 2>/dev/null || true; }
  [[ -n "$NGINX_PID" ]] && kill "$NGINX_PID" 2>/dev/null && { wait "$NGINX_PID" 2>/dev/null || true; }
  rm -rf "$TMP"
  true # the status of a killed child is not the script's
}
trap cleanup EXIT
trap 'exit 130' INT TERM

source "$ROOT/bench/lib/answer-nginx.sh"
answer_nginx_start "$TMP/nginx" "$NGINX_PORT"
python3 "$ROOT/bench/observe/otlp_sink.py" "$SINK_PORT" 3600 &
SINK_PID=$!
for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$SINK_PORT/stats" && break; sleep 0.1; done

GATEWAY="http://127.0.0.1:$GW_PORT"
start_gateway() { # $1 = phase
  local access=false
  [[ $1 == access ]] && access=true
  cat > "$TMP/gateway-$1.yaml" <<YAML
server: { host: 127.0.0.1, port: $GW_PORT, access_log: $access }
deployments:
  - { name: bench, provider: openai, base_url: "http://127.0.0.1:$NGINX_PORT/v1", model: gpt-4o-mini,
      input_price_per_mtok: 0.15, output_price_per_mtok: 0.6 }
routes: []
YAML
  local args=(serve --config "$TMP/gateway-$1.yaml" --data-dir "$TMP/data-$1" --no-request-log)
  local env=(env -u OTEL_EXPORTER_OTLP_ENDPOINT -u OTEL_TRACES_EXPORTER)
  case $1 in
    trace) env+=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT"); GW_ENV="OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$SINK_PORT" ;;
    trace10) env+=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_TRACES_SAMPLER=traceidratio OTEL_TRACES_SAMPLER_ARG=0.1)
      GW_ENV="OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$SINK_PORT OTEL_TRACES_SAMPLER=traceidratio OTEL_TRACES_SAMPLER_ARG=0.1" ;;
    access) env+=(SWITCHBOARD_LOG_FORMAT=json); GW_ENV="SWITCHBOARD_LOG_FORMAT=json" ;;
    *) GW_ENV="" ;;
  esac
  GW_CMD="$GW_ENV ./switchboard ${args[*]} 2>gateway.log"
  "${env[@]}" "$SWITCHBOARD_BIN" "${args[@]}" >"$TMP/gateway-$1.out" 2>"$TMP/gateway-$1.log" &
  GW_PID=$!
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "$GATEWAY/readyz" && break
    kill -0 "$GW_PID" 2>/dev/null || { echo "gateway exited:" >&2; cat "$TMP/gateway-$1.log" >&2; exit 1; }
    sleep 0.5
  done
  MODEL=bench STREAM=0 wrk -t2 -c16 -d${GW_WARMUP}s -s "$HERE/chat.lua" "$GATEWAY/v1/chat/completions" >/dev/null
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
cpu_ticks() { [[ -n "$GW_PID" && -r /proc/$GW_PID/stat ]] && awk '{print $14 + $15}' "/proc/$GW_PID/stat" || echo 0; }
ROWS="$TMP/rows.tsv"   # phase conns rps p50 p99 errors load cpu_us spans_or_lines
: > "$ROWS"

measure() { # phase conns
  local phase=$1 c=$2 url="$GATEWAY/v1/chat/completions"
  MODEL=bench STREAM=0 wrk -t2 -c"$c" -d${WARMUP}s -s "$HERE/chat.lua" "$url" >/dev/null
  local ld cpu0 cpu1 out s0 s1 l0 l1
  ld=$(cut -d' ' -f1 /proc/loadavg); cpu0=$(cpu_ticks)
  s0=$(curl -sf "http://127.0.0.1:$SINK_PORT/stats" | cut -d' ' -f1); l0=$(grep -c '"switchboard.access"' "$TMP/gateway-$phase.log" || true)
  out=$(MODEL=bench STREAM=0 wrk -t2 -c"$c" -d${DURATION}s --latency -s "$HERE/chat.lua" "$url")
  cpu1=$(cpu_ticks)
  sleep 6 # the span processor exports every 5 s: count what this run's spans made the sink receive
  s1=$(curl -sf "http://127.0.0.1:$SINK_PORT/stats" | cut -d' ' -f1); l1=$(grep -c '"switchboard.access"' "$TMP/gateway-$phase.log" || true)
  local rps p50 p99 errs reqs cpu_us extra
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  errs=$(awk '/Non-2xx|Socket errors/ {gsub(/^ +/, ""); printf "%s; ", $0}' <<<"$out")
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu_us=$(awk -v a="$cpu0" -v b="$cpu1" -v n="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (b - a) * 1e6 / hz / n }')
  case $phase in
    trace|trace10) extra="$((s1 - s0)) OTLP exports received" ;;
    access) extra="$((l1 - l0)) access lines for $reqs requests" ;;
    *) extra="-" ;;
  esac
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$c" "$rps" "$p50" "$p99" "${errs:-none}" "$ld" "$cpu_us" "$extra" >> "$ROWS"
  echo "  $phase c=$c: $rps req/s  p50 $p50 ms  p99 $p99 ms  CPU/request ${cpu_us} us  ($extra)  errors: ${errs:-none}  load $ld" >&2
}

CMDS="$TMP/commands.txt"
: > "$CMDS"
UPTIME_START=$(uptime)
for phase in $PHASES; do
  echo "== phase $phase" >&2
  start_gateway "$phase"
  grep -qxF "$GW_CMD" "$CMDS" || echo "$GW_CMD" >> "$CMDS"
  for c in $CONNS; do measure "$phase" "$c"; done
  stop_gateway
done
UPTIME_END=$(uptime)

{
  echo "# Observability overhead benchmark ($(date -u +%F))"
  echo
  echo "Generated by \`bench/observe.sh\` at $(date -u '+%F %H:%M UTC') (DURATION=${DURATION}s per run after a ${WARMUP}s warm-up; each fresh gateway first got ${GW_WARMUP}s of 16-connection load for the JIT)."
  echo
  echo "## Machine"
  echo
  echo "- CPU (lscpu): $(lscpu | awk -F': +' '/^Model name/ {print $2; exit}'); $(nproc) cores; kernel $(uname -r)"
  echo "- java: $(java -version 2>&1 | head -1)"
  echo "- $(nginx -v 2>&1 | sed 's/.*\///') upstream (1 worker, fixed chat.completion); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); OTLP sink: bench/observe/otlp_sink.py ($(python3 --version))"
  echo "- uptime (load average) at start: \`$UPTIME_START\`"
  echo "- uptime (load average) at end: \`$UPTIME_END\`"
  echo "- The 2 cores are shared by wrk, nginx, the sink, the gateway and other engineers' work; the 1-min load is recorded beside every run."
  echo
  echo "## Results"
  echo
  echo "Added = phase − the \`off\` of the same round (phases listed again are another round), at the same connection count."
  echo
  echo "| phase | conns | req/s | p50 ms | p99 ms | added p50 ms | throughput vs off | gateway CPU µs/req | load | what it produced | errors |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '
    $1 == "off" { o[$2] = $0 }
    { if ($2 in o) { split(o[$2], x, FS); added = sprintf("%+.3f", $4 - x[4]); ratio = sprintf("%.0f %%", 100 * $3 / x[3]) } else { added = "-"; ratio = "-" }
      if ($1 == "off") { added = "(baseline)"; ratio = "100 %" }
      printf "| %s | %s | %s | %.3f | %.3f | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, added, ratio, $8, $7, $9, $6 }' "$ROWS"
  echo
  echo "## Commands"
  echo
  echo '```'
  cat "$CMDS"
  echo "MODEL=bench STREAM=0 wrk -t2 -c$CONNS -d${DURATION}s --latency -s bench/gateway/chat.lua http://127.0.0.1:$GW_PORT/v1/chat/completions"
  echo '```'
} > "$OUT"
echo "wrote $OUT" >&2
