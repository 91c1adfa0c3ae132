#!/usr/bin/env bash
# Gateway CPU per request, routed ("auto", classifier cache miss) vs direct (a deployment by name),
# at 16 back-to-back connections: the number behind the added latency of bench/routing.sh. With the
# cores saturated, a closed loop of N connections waits N x (CPU per request) / cores, so the added
# p50 is about 16 x (extra CPU per routed request) / 2 on this 2-core machine.
# Usage: bench/routing-cpu.sh [seconds-per-run]   -> bench/results/routing-cpu-YYYY-MM-DD.md
set -euo pipefail
SECS="${1:-8}"
PORT="${PORT:-18092}"
# shellcheck source=routing/serve.sh
SERVE_ARGS=()
source "$(dirname "${BASH_SOURCE[0]}")/routing/serve.sh"
OUT="${OUT:-bench/results/routing-cpu-$(date -u +%F).md}"
# The JVM is the launcher's child: find it by its listening port's command line.
JPID=$(pgrep -f -- "--port $PORT" | while read -r p; do [[ "$(cat /proc/"$p"/comm)" == java ]] && echo "$p"; done | head -1)
ticks() { awk '{print $14 + $15}' "/proc/$JPID/stat"; }                       # utime + stime, 1/100 s
switches() { cat /proc/"$JPID"/task/*/status | awk '/ctxt_switches/ {s += $2} END {print s}'; }
load() { # model words seconds
  RUN="$(date +%s%N)" MODEL="$1" WORDS="$2" UNIQUE=1 wrk -t2 -c16 -d"$3"s --latency -s bench/routing/chat.lua \
    "http://127.0.0.1:$PORT" 2>&1 | grep RESULT | sed 's/RESULT //'
}
# Warm-up: the JIT settles after ~30 s of this load (measured: CPU per routed request 30 % higher in
# the first 8 s after 15 s of warm-up than later).
for words in 18 244; do for model in auto gpt-4-1106-preview; do load "$model" "$words" 12 >/dev/null; done; done
{
  echo "# Gateway CPU per request, routed vs direct — $(date -u +%FT%TZ)"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r); $(java -version 2>&1 | head -1)."
  echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg). 16 connections back to back, a new prompt per request (cache miss), ${SECS} s per run."
  echo "Command: \`bench/routing-cpu.sh ${SECS}\`. CPU = the gateway JVM's user + system time (all threads; wrk's own CPU not included) / requests."
  echo
  echo "| prompt | model | req/s | p50 / p99 ms | gateway CPU µs per request | context switches per request |"
  echo "|---|---|---:|---|---:|---:|"
  for words in 18 244; do
    for model in gpt-4-1106-preview auto; do
      t0=$(ticks); s0=$(switches)
      r=$(load "$model" "$words" "$SECS")
      t1=$(ticks); s1=$(switches)
      n=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$r")
      printf '| ~%s words | %s | %s | %s / %s | %d | %.2f |\n' "$words" "$model" "$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$r")" \
        "$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$r")" "$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$r")" \
        "$(( (t1 - t0) * 10000000 / n / 1000 ))" "$(echo "($s1 - $s0) / $n" | bc -l)"
    done
  done
  echo
  echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
} | tee "$OUT"
