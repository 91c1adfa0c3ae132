#!/usr/bin/env bash
# Added latency of an eval-driven (routed) request over a direct one, on the same gateway and the
# same zero-latency recorded upstream: model "auto" vs the deployment "gpt-4-1106-preview" by name.
# Prompts of ~20, ~256 and ~4,096 tokens, 1 and 16 connections, classifier cache hit (same prompt) and miss
# (a fresh prompt per request). Loopback only; every run bounded by wrk's -d.
# Usage: [DEADLINE_MS=ms] bench/routing.sh [seconds-per-run]   -> bench/results/routing-YYYY-MM-DD.md
#   DEADLINE_MS: serve --scoring-deadline-ms (default 50); results then go to routing-YYYY-MM-DD-deadline<ms>.md
set -euo pipefail
SECS="${1:-10}"
PORT="${PORT:-18090}"
DEADLINE_MS="${DEADLINE_MS:-}"
# shellcheck source=routing/serve.sh
SERVE_ARGS=(${DEADLINE_MS:+--scoring-deadline-ms "$DEADLINE_MS"})
source "$(dirname "${BASH_SOURCE[0]}")/routing/serve.sh"
OUT="${OUT:-bench/results/routing-$(date -u +%F)${DEADLINE_MS:+-deadline${DEADLINE_MS}ms}.md}"   # OUT=...: keep several runs of one day apart
run() { # model words unique conns [think-ms] [seconds]
  # RUN: a fresh nonce per run (run() executes in a $(...) subshell, so no counter survives it).
  RUN="$(date +%s%N)" MODEL="$1" WORDS="$2" UNIQUE="$3" THINK_MS="${5:-0}" wrk -t "$(( $4 < 2 ? 1 : 2 ))" -c "$4" -d "${6:-$SECS}s" --latency -s bench/routing/chat.lua \
    "http://127.0.0.1:$PORT" 2>&1 | grep RESULT | sed 's/RESULT //'
}
# Sum of a Prometheus counter over all its label sets.
metric_sum() { curl -s "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" 'index($0, m "{") == 1 { s += $NF } END { printf "%.0f", s + 0 }'; }
# One direct run and one routed run with the same load; prints the table cells they share:
# "direct p50 / p99 | routed p50 / p99 | added p50 / p99 | routed rps | scored %".
compare() { # words unique conns [think-ms] [seconds]
  local d r f0 n0 f1 n1 scored dp50 dp99 rp50 rp99
  d=$(run gpt-4-1106-preview "$@")
  f0=$(metric_sum switchboard_routing_fallback_total); n0=$(metric_sum switchboard_routing_decisions_total)
  r=$(run auto "$@")
  f1=$(metric_sum switchboard_routing_fallback_total); n1=$(metric_sum switchboard_routing_decisions_total)
  scored=$(echo "scale=1; 100 * ($n1 - $n0) / ($n1 - $n0 + $f1 - $f0)" | bc -l)
  dp50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$d"); dp99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$d")
  rp50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$r"); rp99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$r")
  printf '%s / %s | %s / %s | %.3f / %.3f | %s | %s %%' "$dp50" "$dp99" "$rp50" "$rp99" \
    "$(echo "$rp50 - $dp50" | bc -l)" "$(echo "$rp99 - $dp99" | bc -l)" "$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$r")" "$scored"
}
# Words are one token each (bench/words.txt); a miss adds a ~10-token "request N:" prefix.
tokens_of() { case $1 in 18) echo "~20 tokens";; 244) echo "~256 tokens";; *) echo "~4,096 tokens";; esac; }
# Warm-up (JIT, pools, classifier) at every prompt size and both connection counts: with 5 s at one
# size only, the first measured routed run still paid for C2 compilation (p99 4.4 ms on its first
# 10 s, 1.3 ms on its third, same load).
for words in 18 244 4080; do
  for conns in 1 16; do
    for model in auto gpt-4-1106-preview; do
      RUN="$(date +%s%N)" MODEL=$model WORDS=$words UNIQUE=1 wrk -t1 -c$conns -d4s -s bench/routing/chat.lua "http://127.0.0.1:$PORT" >/dev/null 2>&1
    done
  done
done
{
  echo "# Routed vs direct latency — $(date -u +%FT%TZ)"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r); $(java -version 2>&1 | head -1)."
  echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg). Gateway and wrk share the cores. ${SECS} s per run."
  echo "Command: \`${DEADLINE_MS:+DEADLINE_MS=$DEADLINE_MS }bench/routing.sh ${SECS}\`. Direct = deployment \`gpt-4-1106-preview\` by name; routed = \`auto\` (scoring deadline ${DEADLINE_MS:-50} ms: a late score goes to the default, counted in switchboard_routing_fallback_total)."
  echo "Startup: $(grep -o "classifier: .*longest prompt it embeds [^(]*" "$LOG" | head -1)"
  echo
  echo "| prompt | conns | classifier cache | direct p50 / p99 ms | routed p50 / p99 ms | added p50 / p99 ms | routed rps | scored (not fallen back) |"
  echo "|---|---:|---|---|---|---|---:|---:|"
  for words in 18 244 4080; do
    for conns in 1 16; do
      for unique in 0 1; do
        cache=$([[ $unique == 1 ]] && echo miss || echo hit)
        echo "| $(tokens_of "$words") | $conns | $cache | $(compare "$words" "$unique" "$conns") |"
      done
    done
  done
  echo
  # Back-to-back connections against a zero-latency upstream turn 16 connections into ~1,000 new
  # prompts a second. Real clients wait for an LLM answer (0.25-5 s) between requests: the same 16
  # connections with a pause show what a miss costs when the encoder is not the bottleneck.
  echo "16 connections, cache miss, each connection pausing between its requests (as clients waiting for an LLM answer do; pauses exponential with the given mean, 30 s per run):"
  echo
  echo "| prompt | mean pause ms | direct p50 / p99 ms | routed p50 / p99 ms | added p50 / p99 ms | routed rps | scored (not fallen back) |"
  echo "|---|---:|---|---|---|---:|---:|"
  for spec in "18 250" "244 1000"; do
    read -r words think <<<"$spec"
    echo "| $(tokens_of "$words") | $think | $(compare "$words" 1 16 "$think" 30) |"
  done
  echo
  echo "Scored = share of the routed run's requests the classifier decided; the rest went to the route's default (late: timeout; queue too deep to make the deadline: overloaded)."
  echo
  echo "Routing fallbacks and decisions over all runs:"
  echo '```'
  curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^switchboard_routing_fallback_total|^switchboard_routing_decisions_total' || true
  echo '```'
  echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
} | tee "$OUT"
