#!/usr/bin/env bash
# Throughput of the recorded upstream (the far end of gateway benchmarks), measured with wrk.
# Usage (from the repo root): bench/recorded-upstream/run.sh [instances] [seconds]
set -euo pipefail
INSTANCES=${1:-1}
SECONDS_RUN=${2:-10}
PORT=18089
mvn -B -q -o -pl router-service -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/cp.txt -DincludeScope=test >/dev/null
CP="router-service/target/test-classes:router-service/target/classes:$(cat router-service/target/cp.txt)"
java -Dlogback.configurationFile=bench/recorded-upstream/logback.xml -cp "$CP" dev.switchboard.router.upstream.RecordedUpstreamBenchMain $PORT "$INSTANCES" $((SECONDS_RUN * 3 + 20)) &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf -o /dev/null http://127.0.0.1:$PORT/v1/models && break; sleep 0.5; done
# warm-up, then the measured runs
wrk -t1 -c16 -d3s -s bench/recorded-upstream/post.lua http://127.0.0.1:$PORT/v1/chat/completions >/dev/null
echo "## non-streaming (instances=$INSTANCES)"
wrk -t1 -c32 -d${SECONDS_RUN}s --latency -s bench/recorded-upstream/post.lua http://127.0.0.1:$PORT/v1/chat/completions
echo "## streaming, 300 word chunks + usage (instances=$INSTANCES)"
STREAM=1 wrk -t1 -c32 -d${SECONDS_RUN}s --latency -s bench/recorded-upstream/post.lua http://127.0.0.1:$PORT/v1/chat/completions
