#!/usr/bin/env bash
# Replay throughput with the recorded grader: N request-log records (real prompts of the shipped
# data) in an embedded broker, replayed against 3 candidates through the in-process gateway
# adapters and recorded provider. Writes bench/results/replay-YYYY-MM-DD.md.
# Usage: bench/replay.sh [records=20000] [concurrency=64]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"
C="${2:-64}"
# ReplayBench runs the replay command, so it lives in switchboard-cli's tests.
mvn -B -q -o -pl switchboard-cli -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-cp.txt -DincludeScope=test
CP="switchboard-cli/target/test-classes:switchboard-cli/target/classes:$(cat switchboard-cli/target/bench-cp.txt)"
# The launcher's JVM defaults (see ./switchboard); logs at WARN so the run's own lines stay readable.
exec java -XX:+UseParallelGC -Xms512m -Xmx2g -Dai.djl.offline=true -Dswitchboard.home="$PWD" \
  -Dlogback.configurationFile=switchboard-cli/src/main/resources/logback.xml -DSWITCHBOARD_LOG_LEVEL=WARN \
  -cp "$CP" dev.switchboard.cli.bench.ReplayBench bench/results "$N" "$C"
