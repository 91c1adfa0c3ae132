#!/usr/bin/env bash
# Request log benchmark: append() cost on the caller thread, producer throughput to an in-process
# broker, spool write rate. Writes bench/results/requestlog-YYYY-MM-DD.md.
# Usage: bench/requestlog.sh [records=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
mvn -B -q -o -pl embedded -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-cp.txt -DincludeScope=test
CP="embedded/target/test-classes:embedded/target/classes:router-service/target/test-classes:router-service/target/classes:$(cat embedded/target/bench-cp.txt)"
exec java -Xmx2g -cp "$CP" dev.switchboard.router.requestlog.bench.RequestLogBench bench/results "$N"
