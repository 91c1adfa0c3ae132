#!/usr/bin/env bash
# The encoder alone on ONNX Runtime (no DJL, tokenizer or heads): latency per graph optimisation
# level and time per operator type, 1 intra-op thread, for 20- and 256-token sequences. Shows what
# the model costs on this CPU, i.e. the floor under bench/classifier.sh's numbers.
# Usage: bench/classifier-ops.sh [runs=200]  -> bench/results/classifier-ops-YYYY-MM-DD.md
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-200}"
OUT="bench/results/classifier-ops-$(date -u +%F).md"
CP="$(bench/classifier-classpath.sh)"
{
  echo "# Encoder on ONNX Runtime alone — $(date -u +%FT%TZ)"
  echo
  echo "- Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- Model: all-minilm-l6-v2-q.onnx (langchain4j jar), ONNX Runtime $(basename "$(tr ':' '\n' <<<"$CP" | grep '/onnxruntime-[0-9]')" .jar | sed 's/onnxruntime-//'), 1 intra-op thread, batch 1, $RUNS runs per row"
  echo "- Command: \`bench/classifier-ops.sh $RUNS\`"
  for LEN in 20 256; do
    echo
    echo "## $LEN tokens"
    echo
    OPT_OUT_TRACKING=true java -Dai.djl.offline=true -cp "$CP" bench/classifier-ops/OrtOpProfile.java all-minilm-l6-v2-q.onnx "$LEN" "$RUNS" 2>/dev/null
  done
  echo
  echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT"
echo "wrote $OUT"
