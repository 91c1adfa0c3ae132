#!/usr/bin/env bash
# The served encoder graph on each ONNX Runtime release on Maven Central (1 intra-op thread, batch 1):
# why the parent pom pins onnxruntime.version. Fetches the jars (online Maven) the first time.
# Usage: bench/classifier-ort-versions.sh [runs=200] [versions...]
#   -> bench/results/classifier-ort-versions-YYYY-MM-DD.md
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-200}"; shift || true
VERSIONS=("${@:-1.21.1 1.22.0 1.23.2 1.24.2 1.26.0 1.28.0 1.29.0}")
read -r -a VERSIONS <<<"${VERSIONS[*]}"
OUT="bench/results/classifier-ort-versions-$(date -u +%F).md"
REPO="${MAVEN_REPO:-$HOME/.m2/repository}"
# The classifier and core classes (graph rewrite) and the encoder jar, without DJL or the pinned runtime.
BASE="$(bench/classifier-classpath.sh | tr ':' '\n' | grep -E '^classifier/target/classes$|/core/target/classes$|langchain4j-embeddings-all-minilm' | paste -sd:)"
{
  echo "# Served encoder graph per ONNX Runtime version — $(date -u +%FT%TZ)"
  echo
  echo "- Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- all-minilm-l6-v2-q.onnx with the attention-mask additions removed (as the classifier serves it), ALL_OPT, 1 intra-op thread, batch 1, $RUNS runs per cell (ms, p50 / p99)"
  echo "- Command: \`bench/classifier-ort-versions.sh $RUNS\`"
  echo
  echo "| ONNX Runtime | 20 tokens | 256 tokens |"
  echo "|---|---:|---:|"
  for V in "${VERSIONS[@]}"; do
    mvn -B -q -Dstyle.color=never dependency:get -Dartifact="com.microsoft.onnxruntime:onnxruntime:$V" >/dev/null
    JAR="$REPO/com/microsoft/onnxruntime/onnxruntime/$V/onnxruntime-$V.jar"
    java -cp "$BASE:$JAR" bench/classifier-ops/OrtVersionSweep.java all-minilm-l6-v2-q.onnx "$RUNS" 2>/dev/null \
      || echo "| $V | failed (exit $?) | |"
  done
  echo
  echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT"
echo "wrote $OUT"
