#!/usr/bin/env bash
# JMH microbenchmarks of the hot pure functions (microbench/: request and SSE parsing, redaction,
# tokenizing, cheap features, cache key, selection) at 20 and 256 words.
# Usage: bench/jmh.sh [JMH options, e.g. -f 1 -wi 2 -i 3]  -> bench/results/jmh-YYYY-MM-DD.md
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-bench/results/jmh-$(date -u +%F).md}"
mvn -B -q -o -pl microbench -am install -DskipTests >&2
mvn -B -q -o -pl microbench dependency:build-classpath -Dmdep.outputFile="$PWD/microbench/target/jmh.classpath" >&2
CP="microbench/target/classes:$(cat microbench/target/jmh.classpath)"
RAW="$(mktemp)"
OPT_OUT_TRACKING=true java -Dai.djl.offline=true -cp "$CP" org.openjdk.jmh.Main -rf text -rff "$RAW" "$@" >&2
{
  echo "# JMH: hot pure functions — $(date -u +%FT%TZ)"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(java -version 2>&1 | head -1); load average $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Command: \`bench/jmh.sh $*\`. Average time per call, µs (lower is better)."
  echo
  echo '```'
  cat "$RAW"
  echo '```'
} > "$OUT"
echo "wrote $OUT"
