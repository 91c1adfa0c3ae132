#!/usr/bin/env bash
# Compiles the classifier module (offline) and prints its test classpath (logback, the binding the
# benches log through with bench/classifier-logback.xml, is test-scoped), classes first: the one
# classpath bench/classifier*.sh run their programs on. test-compile, not compile: the module's tests
# use the datasets test jar, which the reactor only resolves once the datasets tests are compiled.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl classifier -am test-compile dependency:build-classpath -DincludeScope=test \
  -Dmdep.outputFile="$PWD/classifier/target/bench.classpath" >&2
echo "classifier/target/classes:$(cat classifier/target/bench.classpath)"
