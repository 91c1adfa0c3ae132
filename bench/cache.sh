#!/usr/bin/env bash
# Response cache benchmark (issue #16), exact hits: wrk on loopback, 1 and 16 connections, against
#   nginx    the fixed-answer nginx upstream itself (bench/lib/answer-nginx.sh): the same bytes from the fastest server there is
#   pass     `switchboard serve` passing the request through to that nginx (no cache on the deployment)
#   hit      the same gateway, route `cached` (routes[].cache: exact): every request after the first is an exact hit
# Added p50 of a hit = hit p50 - nginx p50 at the same connection count: what serving an answer from the gateway's
# cache costs over serving it from the fastest upstream. One gateway process serves pass and hit (the same JIT state).
#
# Usage (from anywhere; hold the lock): flock -x /tmp/bench.lock bench/cache.sh
#   DURATION=15 WARMUP=5 CONNS="1 16" GW_WARMUP=30 ROUNDS=1 OUT=bench/results/cache-YYYY-MM-DD.md bench/cache.sh
# Every process started here is killed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
CONNS=${CONNS:-"1 16"}
GW_WARMUP=${GW_WARMUP:-30}
SWITCHBOARD_BIN=${SWITCHBOARD_BIN:-./switchboard}
NGINX_PORT=${NGINX_PORT:-18200}
GW_PORT=${GW_PORT:-18201}
OUT=${OUT:-bench/results/cache-$(date -u +%F).md}
HERE="$ROOT/bench/gateway"   # the upstream's answer and wrk's request script are bench/gateway.sh's

need() { command -v "$1" >/dev/null 2>&1; }
if ! need nginx || ! need wrk || ! need curl; then
  echo "installing nginx-light, wrk, curl with apt-get..." >&2
  apt-get update -q >/dev/null && apt-get install -y -q nginx-light wrk curl >/dev/null
fi
if [[ ! -f switchboard-cli/target/switchboard.jar || ! -d switchboard-cli/target/lib ]]; then
  echo "building switchboard.jar..." >&2
  mvn -B -q -o -DskipTests package >&2
fi

TMP="$(mktemp -d /tmp/sb-cachebench.XXXXXX)"
NGINX_PID=""
GW_PID=""
cleanup() {
  [[ -n "$GW_PID" ]] && kill "$GW_PID" 2>/dev/null && { wait "$GW_PID" 2>/dev/null || true; }
  [[ -n "$NGINX_PID" ]] && kill "$NGINX_PID" 2>/dev/null && { wait "$NGINX_PID" 2>/dev/null || true; }
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

source "$ROOT/bench/lib/answer-nginx.sh"
answer_nginx_start "$TMP/nginx" "$NGINX_PORT"
UPSTREAM="http://127.0.0.1:$NGINX_PORT"
GATEWAY="http://127.0.0.1:$GW_PORT"

cat > "$TMP/gateway.yaml" <<YAML
server: { host: 127.0.0.1, port: $GW_PORT }
deployments:
  - { name: bench, provider: openai, base_url: "$UPSTREAM/v1", model: bench, input_price_per_mtok: 2, output_price_per_mtok: 8 }
routes:
  - { alias: cached, deployments: [bench], cache: exact }
YAML
"$SWITCHBOARD_BIN" serve --config "$TMP/gateway.yaml" --data-dir "$TMP/data" --no-request-log >"$TMP/gateway.log" 2>&1 &
GW_PID=$!
for _ in $(seq 1 240); do
  curl -sf -o /dev/null "$GATEWAY/readyz" && break
  kill -0 "$GW_PID" 2>/dev/null || { echo "gateway exited:" >&2; cat "$TMP/gateway.log" >&2; exit 1; }
  sleep 0.5
done
# the measured path really is a hit
body='{"model":"cached","stream":false,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello in five words."}]}'
curl -s -o /dev/null -H 'content-type: application/json' -d "$body" "$GATEWAY/v1/chat/completions"
HIT_HEADER=$(curl -s -D - -o /dev/null -H 'content-type: application/json' -d "$body" "$GATEWAY/v1/chat/completions" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-switchboard-cache" {print $2}')
[[ $HIT_HEADER == hit ]] || { echo "expected x-switchboard-cache: hit, got '$HIT_HEADER'" >&2; cat "$TMP/gateway.log" >&2; exit 1; }
echo "JIT warm-up: ${GW_WARMUP}s of hits and ${GW_WARMUP}s of pass-through at 16 connections" >&2
MODEL=cached STREAM=0 wrk -t2 -c16 -d${GW_WARMUP}s -s "$HERE/chat.lua" "$GATEWAY/v1/chat/completions" >/dev/null
MODEL=bench STREAM=0 wrk -t2 -c16 -d${GW_WARMUP}s -s "$HERE/chat.lua" "$GATEWAY/v1/chat/completions" >/dev/null

to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
  if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; printf "%.3f", n }'; }
ROWS="$TMP/rows.tsv"   # phase conns rps p50 p99 errors load
: > "$ROWS"
run_wrk() { # phase conns url model
  local phase=$1 c=$2 url=$3 model=$4 t=2
  (( c < 2 )) && t=1
  MODEL=$model STREAM=0 wrk -t$t -c$c -d${WARMUP}s -s "$HERE/chat.lua" "$url" >/dev/null
  local ld out rps p50 p99 errs
  ld=$(cut -d' ' -f1 /proc/loadavg)
  out=$(MODEL=$model STREAM=0 wrk -t$t -c$c -d${DURATION}s --latency -s "$HERE/chat.lua" "$url")
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  errs=$(awk '/Non-2xx|Socket errors/ {gsub(/^ +/, ""); printf "%s; ", $0}' <<<"$out")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$c" "$rps" "$p50" "$p99" "${errs:-none}" "$ld" >> "$ROWS"
  echo "  $phase c=$c: $rps req/s  p50 $p50 ms  p99 $p99 ms  errors: ${errs:-none}  load $ld" >&2
}
UPTIME_START=$(uptime)
for c in $CONNS; do
  run_wrk nginx "$c" "$UPSTREAM/v1/chat/completions" bench
  run_wrk pass "$c" "$GATEWAY/v1/chat/completions" bench
  run_wrk hit "$c" "$GATEWAY/v1/chat/completions" cached
done
UPTIME_END=$(uptime)
HITS=$(curl -s "$GATEWAY/metrics" | awk '/^switchboard_cache_requests_total/ && /mode="exact"/ && /outcome="hit"/ {printf "%.0f", $2}')

{
  echo "# Response cache benchmark, exact hits ($(date -u +%F))"
  echo
  echo "Generated by \`bench/cache.sh\` at $(date -u '+%F %H:%M UTC') (DURATION=${DURATION}s per run after a ${WARMUP}s warm-up of the same run; the fresh gateway first got ${GW_WARMUP}s of hits and ${GW_WARMUP}s of pass-through at 16 connections for the JIT)."
  echo
  echo "- CPU (lscpu): $(lscpu | awk -F': +' '/^Model name/ {print $2; exit}'); $(nproc) cores; kernel $(uname -r)"
  echo "- java: $(java -version 2>&1 | head -1)"
  echo "- $(nginx -v 2>&1 | sed 's/.*\///') upstream (1 worker, the fixed chat.completion of bench/gateway/completion.json); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); wrk, nginx and the gateway share the cores with other work"
  echo "- uptime at start: \`$UPTIME_START\`; at end: \`$UPTIME_END\`"
  echo "- the gateway counted ${HITS:-?} exact hits (\`switchboard_cache_requests_total{mode=\"exact\",outcome=\"hit\"}\`)"
  echo
  echo "| phase | conns | req/s | p50 ms | p99 ms | p50 − nginx p50 ms | load | errors |"
  echo "|---|---|---|---|---|---|---|---|"
  awk -F'\t' '$1 == "nginx" { n[$2] = $4 } { added = ($1 == "nginx") ? "(floor)" : sprintf("%+.3f", $4 - n[$2]);
    printf "| %s | %s | %s | %.3f | %.3f | %s | %s | %s |\n", $1, $2, $3, $4, $5, added, $7, $6 }' "$ROWS"
  echo
  echo "## Targets (issue #16)"
  echo
  echo "| target | measured | verdict |"
  echo "|---|---|---|"
  awk -F'\t' '$1 == "nginx" { n[$2] = $4 } $1 == "hit" { a[$2] = $4 - n[$2]; r[$2] = $3 }
    END {
      for (c in a) printf "| hit added p50 ≤ 0.2 ms (%s conns) | %+.3f ms | %s |\n", c, a[c], (a[c] <= 0.2 ? "met" : "missed");
      if ("16" in r) printf "| hit ≥ 20,000 req/s at 16 conns | %s req/s | %s |\n", r["16"], (r["16"] >= 20000 ? "met" : "missed") }' "$ROWS"
} > "$OUT"
echo "wrote $OUT" >&2
