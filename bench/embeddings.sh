#!/usr/bin/env bash
# Local embeddings benchmark: throughput of POST /v1/embeddings with the built-in models
# (local/minilm-static-256 and local/all-minilm-l6-v2), each request a batch of 32 short texts
# (6-12 words), through `switchboard serve` over HTTP (wrk), at 1 and 2 connections (the machine
# has 2 cores; the embeddings worker pool has a thread per core). Everything is on 127.0.0.1, every
# run is bounded by wrk's -d, and the gateway started here is killed on exit.
#
# Usage (from anywhere; take the machine alone): flock -x /tmp/bench.lock bench/embeddings.sh
#   DURATION=15 WARMUP=5 CONNS="1 2" RUN=1 bench/embeddings.sh
#   SWITCHBOARD_ENCODERS=DIR uses an encoder store that already holds the static table (else it is
#   distilled into .switchboard/encoders on the first call, ~30 s once).
# Writes bench/results/embeddings-YYYY-MM-DD-run$RUN.md (OUT=... to override).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
CONNS=${CONNS:-"1 2"}
RUN=${RUN:-1}
GW_PORT=${GW_PORT:-18191}
MODELS=${MODELS:-"local/minilm-static-256 local/all-minilm-l6-v2"}
OUT=${OUT:-bench/results/embeddings-$(date -u +%F)-run$RUN.md}
SWITCHBOARD_BIN=${SWITCHBOARD_BIN:-./switchboard}

command -v wrk >/dev/null && command -v curl >/dev/null || { echo "needs wrk and curl (apt-get install wrk curl)" >&2; exit 1; }
TMP="$(mktemp -d /tmp/sb-embbench.XXXXXX)"
GW_PID=""
cleanup() {
  if [[ -n "$GW_PID" ]]; then
    kill "$GW_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$GW_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A deployment is required by the config; the local models need none, so it points nowhere.
cat > "$TMP/gateway.yaml" <<YAML
server: { host: 127.0.0.1, port: $GW_PORT }
deployments:
  - { name: unused, provider: openai, base_url: http://127.0.0.1:9/v1, model: none }
YAML
GATEWAY="http://127.0.0.1:$GW_PORT"
"$SWITCHBOARD_BIN" serve --config "$TMP/gateway.yaml" --data-dir "$TMP/data" --kafka-port 0 --no-request-log >"$TMP/gateway.log" 2>&1 &
GW_PID=$!
for _ in $(seq 1 240); do
  curl -sf -o /dev/null "$GATEWAY/healthz" && break
  kill -0 "$GW_PID" 2>/dev/null || { cat "$TMP/gateway.log" >&2; exit 1; }
  sleep 0.5
done

# First call per model loads it (MiniLM ~1-10 s; the static encoder is distilled into the store once, ~30 s).
for m in $MODELS; do
  curl -sf --max-time 300 -o /dev/null -H 'content-type: application/json' -d "{\"model\":\"$m\",\"input\":\"warm up\"}" \
    "$GATEWAY/v1/embeddings" || { echo "model $m did not answer" >&2; cat "$TMP/gateway.log" >&2; exit 1; }
done

ms() { # wrk latency (e.g. 812.34us, 3.21ms, 1.02s) -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=()
for m in $MODELS; do
  for c in $CONNS; do
    MODEL=$m wrk -t1 -c"$c" -d"${WARMUP}s" -s bench/embeddings/embed.lua "$GATEWAY/v1/embeddings" >/dev/null
    out=$(MODEL=$m wrk -t1 -c"$c" -d"${DURATION}s" --latency -s bench/embeddings/embed.lua "$GATEWAY/v1/embeddings")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '/^ +50%/ {print $2}' <<<"$out")
    p99=$(awk '/^ +99%/ {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
    texts=$(awk -v r="$rps" 'BEGIN { printf "%.0f", r * 32 }')
    ROWS+=("| \`$m\` | $c | $rps | $texts | $(ms "$p50") | $(ms "$p99") | ${errors:-none} |")
  done
done

CPU=$(awk -F: '/model name/ && !n {gsub(/^ +/, "", $2); n = $2} /cpu family/ && !f {gsub(/ /, "", $2); f = $2}
  /^model[ \t]+:/ && !m {gsub(/ /, "", $2); m = $2} END {print n ", family " f " model " m}' /proc/cpuinfo)
{
  echo "# Local embeddings: batches of 32 short texts (run $RUN)"
  echo
  echo "- $(date -u '+%F %H:%M UTC'), $CPU, $(nproc) cores (shared with other work: treat as a lower bound); load average before: $LOAD"
  echo "- \`POST /v1/embeddings\` through \`switchboard serve --no-request-log\`, each request 32 texts of 6-12 words (bench/embeddings/embed.lua)"
  echo "- wrk, 1 thread, ${WARMUP} s warm-up then ${DURATION} s per row; commit $(git rev-parse --short HEAD)"
  echo "- Run: \`flock -x /tmp/bench.lock bench/embeddings.sh\`"
  echo
  echo "| model | connections | batches/s | texts/s | p50 ms per batch | p99 ms per batch | errors |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${ROWS[@]}"
} > "$OUT"
cat "$OUT"
