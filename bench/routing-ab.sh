#!/usr/bin/env bash
# A/B of gateways side by side: each is `./switchboard serve` (embedded defaults, no request log) from
# its own checkout and JVM options; after a warm-up, ROUNDS interleaved rounds run each load spec on
# each gateway in turn, so the host's slow and fast spells fall on all of them alike (on this shared
# 2-core VM the same build differs by up to ±15 % from round to round; one-after-the-other runs of
# two builds cannot be compared). Prints one line per run: req/s, p50/p99 and the gateway JVM's CPU
# per request (user + system ticks of all its threads / requests).
# Usage: GW="A:/path/to/old-checkout:18101:-XX:+UseParallelGC -Xms1g -Xmx2g;B:.:18102:-XX:+UseParallelGC -Xms1g -Xmx2g" \
#          [ROUNDS=5] [SECS=8] [CONNS=16] [THREADS=2] [SPECS="gpt-4-1106-preview,244 auto,244 auto,18"] bench/routing-ab.sh
#   SPECS: model,words pairs (bench/routing/chat.lua, a fresh prompt per request: classifier cache miss).
#   An old checkout for A: git worktree add /tmp/base <commit> (its launcher builds it on first use).
set -uo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[[ -n "${GW:-}" ]] || { sed -n 2,11p "$0"; exit 2; }
ROUNDS=${ROUNDS:-5}; SECS=${SECS:-8}; SPECS="${SPECS:-gpt-4-1106-preview,244 auto,244 auto,18}"
IFS=';' read -ra GWS <<<"$GW"
declare -A PID
for g in "${GWS[@]}"; do IFS=':' read -r name dir port opts <<<"$g"
  (cd "$dir" && SWITCHBOARD_JAVA_OPTS="$opts" ./switchboard serve --port "$port" --no-request-log --data-dir "$(mktemp -d)" >/tmp/ab-$port.log 2>&1 &)
done
jpid() { pgrep -f -- "--port $1" | while read -r p; do [[ "$(cat /proc/"$p"/comm)" == java ]] && echo "$p"; done | head -1; }
for g in "${GWS[@]}"; do IFS=':' read -r name dir port opts <<<"$g"
  for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
  PID[$name]=$(jpid $port); done
echo "pids: ${PID[*]}"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
load() { RUN="$(date +%s%N)" MODEL="$2" WORDS="$3" UNIQUE=1 wrk -t${THREADS:-2} -c${CONNS:-16} -d"$4"s --latency -s bench/routing/chat.lua "http://127.0.0.1:$1" 2>&1 | grep RESULT | sed 's/RESULT //'; }
for w in 1 2 3; do for g in "${GWS[@]}"; do IFS=':' read -r name dir port opts <<<"$g"; load $port auto 244 8 >/dev/null; load $port gpt-4-1106-preview 244 5 >/dev/null; load $port auto 18 5 >/dev/null; done; done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 $ROUNDS); do
  for g in "${GWS[@]}"; do IFS=':' read -r name dir port opts <<<"$g"
    pid=${PID[$name]}
    for spec in $SPECS; do
      m=${spec%,*}; wd=${spec#*,}
      t0=$(ticks $pid); res=$(load $port $m $wd $SECS); t1=$(ticks $pid)
      n=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$res")
      echo "round=$r gw=$name model=$m words=$wd $(sed -E 's/.*(rps=[0-9.]+).*(p50_ms=[0-9.]+).*(p99_ms=[0-9.]+).*/\1 \2 \3/' <<<"$res") cpu_us=$(( (t1 - t0) * 10000000 / n / 1000 ))"
    done
  done
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
for g in "${GWS[@]}"; do IFS=':' read -r name dir port opts <<<"$g"; echo "$name: $(curl -s http://127.0.0.1:$port/metrics | grep -E '^switchboard_(routing_fallback|classifier_scored)_total' | tr '\n' ' ')"; kill ${PID[$name]}; done
