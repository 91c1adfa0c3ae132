#!/usr/bin/env bash
# Classifier scoring benchmark: latency p50/p99 by prompt length, throughput, cache hits, load
# time, RSS. Usage: bench/classifier.sh [MODEL_DIR] [java|onnxruntime]. Writes bench/results/classifier-YYYY-MM-DD.md. Run from anywhere; builds offline.
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="${1:-models/default}"
RUNTIME="${2:-java}"   # java (the gateway's default) | onnxruntime: who evaluates the static encoder and the router graph
OUT="${OUT:-bench/results/classifier-$(date -u +%F).md}"   # OUT=...: keep several runs of one day apart
CP="$(bench/classifier-classpath.sh)"
export OPT_OUT_TRACKING=true
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$PWD/classifier/target/djl-cache}"
# logback is test-scoped in the classifier module; without a binding slf4j stays silent.
java -Xmx1g -Dai.djl.offline=true -Dlogback.configurationFile=bench/classifier-logback.xml -cp "$CP" \
  dev.switchboard.classifier.bench.ScoringBench "$MODEL" "$OUT" "$RUNTIME"
echo "wrote $OUT"
