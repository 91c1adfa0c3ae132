#!/usr/bin/env bash
# Response cache, semantic lookup (issue #16: p99 at most 1 ms over 100,000 cached entries): the JMH benchmark
# microbench/.../router/cache/SemanticLookupBenchmark (its Javadoc has the workload), sample-time mode for percentiles.
# Builds in the reactor (nothing is installed into ~/.m2). Needs the static encoder in .switchboard/encoders
# (`./switchboard distill --dims 256` once, or any run of the shipped default model).
# Usage (hold the lock): flock -x /tmp/bench.lock bench/cache-semantic.sh [JMH options, e.g. -wi 2 -i 3]
#   OUT=bench/results/cache-semantic-YYYY-MM-DD.md
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-bench/results/cache-semantic-$(date -u +%F).md}"
mvn -B -q -o -pl microbench -am -DskipTests package dependency:build-classpath -Dmdep.outputFile="$PWD/microbench/target/jmh.classpath" >&2
CP="microbench/target/classes:$(cat microbench/target/jmh.classpath)"
RAW="$(mktemp)"
LOG="$(mktemp)"
trap 'rm -f "$RAW" "$LOG"' EXIT
OPT_OUT_TRACKING=true java -Dai.djl.offline=true -Dswitchboard.home="$PWD" -cp "$CP" org.openjdk.jmh.Main SemanticLookupBenchmark \
  -jvmArgsAppend "-Dswitchboard.home=$PWD" -rf text -rff "$RAW" "$@" 2>&1 | tee "$LOG" >&2
{
  echo "# Response cache: semantic lookup over 100,000 cached entries — $(date -u +%FT%TZ)"
  echo
  echo "Machine: $(nproc) cores, $(lscpu | awk -F': +' '/^Model name/ {print $2; exit}'); $(java -version 2>&1 | head -1); load average $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Command: \`bench/cache-semantic.sh $*\`. Sample time per call in µs: \`p0.99\` is the 99th percentile."
  echo "Workload: SemanticLookupBenchmark's Javadoc (all 100,000 entries in one bucket, half the queries reworded cached prompts)."
  echo "$(grep '^hits:' "$LOG" | tail -1 || true)"
  echo
  echo '```'
  cat "$RAW"
  echo '```'
} > "$OUT"
echo "wrote $OUT"
