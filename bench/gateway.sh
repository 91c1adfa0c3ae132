#!/usr/bin/env bash
# Gateway pass-through benchmark: wrk straight to a fixed-answer nginx upstream vs through
# `switchboard serve` pointed at that nginx, at 1/16/64 connections; the gateway once without
# and once with the Kafka request log; plus the streaming time-to-first-byte the gateway adds.
# Everything is on 127.0.0.1, every run is bounded by wrk's -d or a request count, and every
# process started here is killed on exit.
#
# Usage (from anywhere): bench/gateway.sh
#   DURATION=15 WARMUP=5 CONNS="1 16 64" TTFB_N=2000 PHASES="nolog log" bench/gateway.sh
#   SWITCHBOARD_JAVA_OPTS=... is passed to the gateway JVM like with ./switchboard.
#   SWITCHBOARD_BIN=/path/to/switchboard runs another build's launcher (for before/after runs).
#   GW_WARMUP=30: seconds of 16-connection load on a fresh gateway before any measurement, so the
#   JIT has compiled the hot path (on a loaded 2-core machine that takes tens of seconds).
# Writes bench/results/gateway-YYYY-MM-DD.md (OUT=... to override).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
CONNS=${CONNS:-"1 16 64"}
TTFB_N=${TTFB_N:-2000}
PHASES=${PHASES:-"nolog log"}
GW_WARMUP=${GW_WARMUP:-30}
ACCESS_LOG=${ACCESS_LOG:-true}   # server.access_log (the gateway's default: one line per request on switchboard.access)
STREAMS=${STREAMS:-1}   # 0: skip the streaming runs (quick A/B of the JSON path)
SWITCHBOARD_BIN=${SWITCHBOARD_BIN:-./switchboard}
NGINX_PORT=${NGINX_PORT:-18180}
GW_PORT=${GW_PORT:-18181}
PROXY_PORT=${PROXY_PORT:-18182}
PROXY=${PROXY:-1}   # 1: also measure a bare nginx reverse proxy in front of the same upstream (the yardstick)
OUT=${OUT:-bench/results/gateway-$(date -u +%F).md}
HERE="$ROOT/bench/gateway"

# ---------------------------------------------------------------- tools and build
need() { command -v "$1" >/dev/null 2>&1; }
if ! need nginx || ! need wrk || ! need curl; then
  echo "installing nginx-light, wrk, curl with apt-get..." >&2
  apt-get update -q >/dev/null && apt-get install -y -q nginx-light wrk curl >/dev/null
fi
if [[ ! -f switchboard-cli/target/switchboard.jar || ! -d switchboard-cli/target/lib ]]; then
  echo "building switchboard.jar..." >&2
  mvn -B -q -DskipTests package >&2
fi

TMP="$(mktemp -d /tmp/sb-gwbench.XXXXXX)"
NGINX_PID=""
PROXY_PID=""
GW_PID=""
cleanup() {
  [[ -n "$GW_PID" ]] && kill "$GW_PID" 2>/dev/null && { wait "$GW_PID" 2>/dev/null || true; }
  [[ -n "$PROXY_PID" ]] && kill "$PROXY_PID" 2>/dev/null && { wait "$PROXY_PID" 2>/dev/null || true; }
  [[ -n "$NGINX_PID" ]] && kill "$NGINX_PID" 2>/dev/null && { wait "$NGINX_PID" 2>/dev/null || true; }
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The part of an nginx config both nginx processes share; $1 = the process's folder under $TMP.
nginx_common() {
  cat <<EOF
worker_processes ${2:-1};
daemon off;
pid $TMP/$1/nginx.pid;
error_log $TMP/$1/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $TMP/$1/tmp/body;
  proxy_temp_path $TMP/$1/tmp/proxy;
  fastcgi_temp_path $TMP/$1/tmp/fastcgi;
  uwsgi_temp_path $TMP/$1/tmp/uwsgi;
  scgi_temp_path $TMP/$1/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
EOF
}

# ---------------------------------------------------------------- upstream: nginx with fixed answers
# One worker: the upstream should not take both cores from the gateway under test.
mkdir -p "$TMP/nginx/logs" "$TMP/nginx/tmp"
chmod -R 777 "$TMP/nginx/tmp"
{ nginx_common nginx 1; cat <<EOF
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location = /v1/chat/completions {
      default_type application/json;
      return 200 '$(cat "$HERE/completion.json" | tr -d '\n')';
    }
    location = /sse/v1/chat/completions {
      default_type text/event-stream;
      return 200 '$(cat "$HERE/stream.sse")';
    }
  }
}
EOF
} > "$TMP/nginx/nginx.conf"
nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" &
NGINX_PID=$!
DIRECT="http://127.0.0.1:$NGINX_PORT"
SSE_DIRECT="http://127.0.0.1:$NGINX_PORT/sse"
for _ in $(seq 1 50); do curl -sf -o /dev/null -X POST "$DIRECT/v1/chat/completions" && break; sleep 0.1; done
curl -sf -o /dev/null -X POST "$DIRECT/v1/chat/completions" || { echo "nginx did not start" >&2; cat "$TMP/nginx/logs/error.log" >&2; exit 1; }

# ---------------------------------------------------------------- yardstick: a bare nginx reverse proxy
# What any HTTP proxy costs: nginx in front of the same upstream, one worker per core like the
# gateway's event loops, kept-alive upstream connections, no buffering of the (small) answers.
if [[ $PROXY == 1 ]]; then
  mkdir -p "$TMP/proxy/logs" "$TMP/proxy/tmp"
  chmod -R 777 "$TMP/proxy/tmp"
  { nginx_common proxy "$(nproc)"; cat <<EOF
  upstream backend { server 127.0.0.1:$NGINX_PORT; keepalive 128; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
EOF
  } > "$TMP/proxy/nginx.conf"
  nginx -p "$TMP/proxy" -c "$TMP/proxy/nginx.conf" &
  PROXY_PID=$!
  for _ in $(seq 1 50); do curl -sf -o /dev/null -X POST "http://127.0.0.1:$PROXY_PORT/v1/chat/completions" && break; sleep 0.1; done
  curl -sf -o /dev/null -X POST "http://127.0.0.1:$PROXY_PORT/v1/chat/completions" || { echo "nginx proxy did not start" >&2; cat "$TMP/proxy/logs/error.log" >&2; exit 1; }
fi

# ---------------------------------------------------------------- gateway
cat > "$TMP/gateway.yaml" <<EOF
server:
  host: 127.0.0.1
  port: $GW_PORT
  access_log: $ACCESS_LOG
deployments:
  - name: bench
    provider: openai
    base_url: http://127.0.0.1:$NGINX_PORT/v1
    model: gpt-4o-mini
  - name: bench-sse
    provider: openai
    base_url: http://127.0.0.1:$NGINX_PORT/sse/v1
    model: gpt-4o-mini
routes: []
EOF
GATEWAY="http://127.0.0.1:$GW_PORT"

start_gateway() { # $1 = nolog | log
  local args=(serve --config "$TMP/gateway.yaml" --data-dir "$TMP/data-$1" --kafka-port 0)
  [[ "$1" == nolog ]] && args+=(--no-request-log)
  GW_CMD="./switchboard ${args[*]}"
  "$SWITCHBOARD_BIN" "${args[@]}" >"$TMP/gateway-$1.log" 2>&1 &
  GW_PID=$!
  for _ in $(seq 1 240); do
    if curl -sf -o /dev/null "$GATEWAY/readyz"; then
      # JIT warm-up: both the JSON and the SSE paths
      MODEL=bench STREAM=0 wrk -t2 -c16 -d$((GW_WARMUP * 2 / 3))s -s "$HERE/chat.lua" "$GATEWAY/v1/chat/completions" >/dev/null
      MODEL=bench-sse STREAM=1 wrk -t2 -c16 -d$((GW_WARMUP / 3))s -s "$HERE/chat.lua" "$GATEWAY/v1/chat/completions" >/dev/null
      return 0
    fi
    kill -0 "$GW_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "gateway did not become ready:" >&2; cat "$TMP/gateway-$1.log" >&2; exit 1
}
stop_gateway() {
  kill "$GW_PID" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$GW_PID" 2>/dev/null || true
  wait "$GW_PID" 2>/dev/null || true
  GW_PID=""
}

# ---------------------------------------------------------------- measuring
# wrk latency column -> milliseconds
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
  if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; printf "%.3f", n }'; }
load1() { cut -d' ' -f1 /proc/loadavg; }
# utime + stime of the gateway JVM in clock ticks (fields 14 and 15 of /proc/PID/stat; the
# command name in field 2 has no spaces here: "(java)")
gw_cpu_ticks() { if [[ -n "$GW_PID" && -r /proc/$GW_PID/stat ]]; then awk '{print $14 + $15}' "/proc/$GW_PID/stat"; else echo 0; fi; }
# the same for the gateway's Vert.x event-loop threads only (no JIT, GC, Kafka threads)
gw_el_ticks() {
  local t sum=0
  for t in /proc/$GW_PID/task/*; do
    [[ "$(cat "$t/comm" 2>/dev/null)" == vert.x-eventloo* ]] && sum=$((sum + $(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0)))
  done
  echo $sum
}
ROWS="$TMP/rows.tsv"   # phase target conns rps p50 p99 errors load gateway_cpu_us_per_request
: > "$ROWS"
CMDS="$TMP/commands.txt"
: > "$CMDS"

run_wrk() { # phase target base_url conns model stream
  local phase=$1 target=$2 url=$3 c=$4 model=$5 stream=$6 t=2
  (( c < 2 )) && t=1
  MODEL=$model STREAM=$stream wrk -t$t -c$c -d${WARMUP}s -s "$HERE/chat.lua" "$url/v1/chat/completions" >/dev/null
  local cmd="MODEL=$model STREAM=$stream wrk -t$t -c$c -d${DURATION}s --latency -s bench/gateway/chat.lua $url/v1/chat/completions"
  grep -qxF "$cmd" "$CMDS" || echo "$cmd" >> "$CMDS"
  local ld; ld=$(load1)
  local cpu0 el0; cpu0=$(gw_cpu_ticks); el0=$(gw_el_ticks)
  local out; out=$(MODEL=$model STREAM=$stream wrk -t$t -c$c -d${DURATION}s --latency -s "$HERE/chat.lua" "$url/v1/chat/completions")
  local cpu1 el1; cpu1=$(gw_cpu_ticks); el1=$(gw_el_ticks)
  echo "$out" > "$TMP/wrk-$phase-$target-$c-$stream.txt"
  local rps p50 p99 errs
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  errs=$(awk '/Non-2xx|Socket errors/ {gsub(/^ +/, ""); printf "%s; ", $0}' <<<"$out")
  # Gateway CPU time (user+system, all threads) per request: unlike req/s and latency this
  # hardly depends on how much of the shared machine the other engineers' builds take.
  local reqs cpu_us="-"
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  if [[ $target == gateway* && $reqs -gt 0 ]]; then
    cpu_us=$(awk -v a="$cpu0" -v b="$cpu1" -v e0="$el0" -v e1="$el1" -v n="$reqs" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "%.0f (%.0f)", (b - a) * 1e6 / hz / n, (e1 - e0) * 1e6 / hz / n }')
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$target" "$c" "$rps" "$p50" "$p99" "${errs:-none}" "$ld" "$cpu_us" >> "$ROWS"
  echo "  $phase $target c=$c stream=$stream: $rps req/s  p50 $p50 ms  p99 $p99 ms  gateway CPU/request ${cpu_us} us  errors: ${errs:-none}  load $ld" >&2
}

TTFB_ROWS="$TMP/ttfb.tsv"   # phase target n p50 p99 mean load
: > "$TTFB_ROWS"
ttfb() { # phase target base_url : TTFB_N sequential streaming requests on one kept-alive connection
  local phase=$1 target=$2 url=$3 ld body res
  ld=$(load1)
  body='{"model":"bench-sse","stream":true,"messages":[{"role":"user","content":"Say hello in five words."}]}'
  res=$(java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "$HERE/TtfbProbe.java" "$url/v1/chat/completions" "$body" "$TTFB_N" 500)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$target" $res "$ld" >> "$TTFB_ROWS"
  echo "  TTFB $phase $target: n p50 p99 mean = $res (load $ld)" >&2
}

UPTIME_START=$(uptime)
for phase in $PHASES; do
  echo "== phase $phase (gateway $( [[ $phase == nolog ]] && echo 'without' || echo 'with') request log)" >&2
  start_gateway "$phase"
  echo "$GW_CMD" >> "$CMDS"
  for c in $CONNS; do
    run_wrk "$phase" direct "$DIRECT" "$c" bench 0
    if [[ $PROXY == 1 && $phase == nolog ]]; then run_wrk "$phase" nginx-proxy "http://127.0.0.1:$PROXY_PORT" "$c" bench 0; fi
    run_wrk "$phase" gateway "$GATEWAY" "$c" bench 0
  done
  if [[ $STREAMS == 1 ]]; then
    run_wrk "$phase" direct-sse "$SSE_DIRECT" 16 bench-sse 1
    run_wrk "$phase" gateway-sse "$GATEWAY" 16 bench-sse 1
    ttfb "$phase" direct "$SSE_DIRECT"
    ttfb "$phase" gateway "$GATEWAY"
  fi
  grep -E "WARN|ERROR" "$TMP/gateway-$phase.log" | head -5 >&2 || true
  stop_gateway
done
UPTIME_END=$(uptime)

# ---------------------------------------------------------------- report
{
  echo "# Gateway pass-through benchmark ($(date -u +%F))"
  echo
  echo "Generated by \`bench/gateway.sh\` at $(date -u '+%F %H:%M UTC') (DURATION=${DURATION}s per run after a ${WARMUP}s warm-up of the same run; each fresh gateway first got ${GW_WARMUP}s of load for the JIT; TTFB_N=$TTFB_N)."
  echo
  echo "## Machine"
  echo
  echo "- nproc: $(nproc); CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); kernel: $(uname -r)"
  echo "- java: $(java -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "- gateway launcher: \`$SWITCHBOARD_BIN\`; JVM options: \`${SWITCHBOARD_JAVA_OPTS:-launcher default: $(grep -o 'SWITCHBOARD_JAVA_OPTS:-[^}]*' "$SWITCHBOARD_BIN" | tail -1 | cut -d- -f2-)}\`"
  echo "- nginx $(nginx -v 2>&1 | sed 's/.*\///'), 1 worker, fixed 357-byte chat.completion / 1,965-byte SSE stream (8 events + [DONE]); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "- uptime at start: \`$UPTIME_START\`"
  echo "- uptime at end: \`$UPTIME_END\`"
  echo "- Gateway access log (server.access_log): $ACCESS_LOG"
  echo "- The 2 cores are shared by wrk, nginx, the gateway and other engineers' builds: the 1-min load average is recorded next to every run."
  echo
  echo "## Non-streaming: direct to nginx vs through the gateway"
  echo
  echo "| request log | conns | direct req/s | gateway req/s | direct p50 / p99 ms | gateway p50 / p99 ms | added p50 ms | added p99 ms | gateway CPU µs/req (event loops) | load (direct, gw) | errors (gw) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '
    $2 == "direct" { d[$1 FS $3] = $0 }
    $2 == "gateway" { split(d[$1 FS $3], x, FS)
      printf "| %s | %s | %s | %s | %.3f / %.3f | %.3f / %.3f | %+.3f | %+.3f | %s | %s, %s | %s |\n",
        ($1 == "log" ? "on (Kafka)" : "off"), $3, x[4], $4, x[5], x[6], $5, $6, $5 - x[5], $6 - x[6], $9, x[8], $8, $7 }' "$ROWS"
  echo
  if [[ $PROXY == 1 ]]; then
    echo "## The yardstick: a bare nginx reverse proxy ($(nproc) nginx workers, kept-alive upstream) vs the gateway, no request log"
    echo
    echo "Issue #13's target: pass-through at ≥ 60 % of the nginx proxy's throughput (16 connections) and ≤ 0.15 ms added p50 at 1 connection, side by side."
    echo
    echo "| conns | nginx proxy req/s | gateway req/s | gateway / proxy | proxy added p50 / p99 ms | gateway added p50 / p99 ms |"
    echo "|---|---|---|---|---|---|"
    awk -F'\t' '
      $1 == "nolog" && $2 == "direct" { d[$3] = $0 }
      $1 == "nolog" && $2 == "nginx-proxy" { p[$3] = $0 }
      $1 == "nolog" && $2 == "gateway" && ($3 in p) { split(d[$3], x, FS); split(p[$3], y, FS)
        printf "| %s | %s | %s | %.0f %% | %+.3f / %+.3f | %+.3f / %+.3f |\n", $3, y[4], $4, 100 * $4 / y[4], y[5] - x[5], y[6] - x[6], $5 - x[5], $6 - x[6] }' "$ROWS"
    echo
  fi
  echo "## Streaming (SSE, 16 connections, wrk latency = whole stream)"
  echo
  echo "| request log | direct req/s | gateway req/s | direct p50 / p99 ms | gateway p50 / p99 ms | added p50 ms | added p99 ms | gateway CPU µs/req (event loops) | load (direct, gw) | errors (gw) |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  awk -F'\t' '
    $2 == "direct-sse" { d[$1] = $0 }
    $2 == "gateway-sse" { split(d[$1], x, FS)
      printf "| %s | %s | %s | %.3f / %.3f | %.3f / %.3f | %+.3f | %+.3f | %s | %s, %s | %s |\n",
        ($1 == "log" ? "on (Kafka)" : "off"), x[4], $4, x[5], x[6], $5, $6, $5 - x[5], $6 - x[6], $9, x[8], $8, $7 }' "$ROWS"
  echo
  echo "## Streaming time to first body byte (bench/gateway/TtfbProbe.java: java.net.http client, one request at a time on a kept-alive connection, after 500 warm-up requests)"
  echo
  echo "| request log | n | direct p50 / p99 ms | gateway p50 / p99 ms | added p50 ms | added p99 ms | load (direct, gw) |"
  echo "|---|---|---|---|---|---|---|"
  awk -F'\t' '
    $2 == "direct" { d[$1] = $0 }
    $2 == "gateway" { split(d[$1], x, FS)
      printf "| %s | %s | %.3f / %.3f | %.3f / %.3f | %+.3f | %+.3f | %s, %s |\n",
        ($1 == "log" ? "on (Kafka)" : "off"), $3, x[4], x[5], $4, $5, $4 - x[4], $5 - x[5], x[7], $7 }' "$TTFB_ROWS"
  echo
  echo "## Commands"
  echo
  echo '```'
  echo "nginx -p \$TMP/nginx -c \$TMP/nginx/nginx.conf   # config generated by bench/gateway.sh"
  sed "s#$TMP#\$TMP#g; s#$HERE#bench/gateway#g" "$CMDS"
  echo "java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 bench/gateway/TtfbProbe.java URL/v1/chat/completions '{\"model\":\"bench-sse\",\"stream\":true,...}' $TTFB_N 500"
  echo '```'
  echo
  echo "Gateway config (\`--config\`):"
  echo
  echo '```yaml'
  cat "$TMP/gateway.yaml"
  echo '```'
} > "$OUT"
echo "wrote $OUT" >&2
