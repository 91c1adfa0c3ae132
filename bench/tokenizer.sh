#!/usr/bin/env bash
# Tokenizer benchmark: the pure-Java WordPieceTokenizer against DJL's HuggingFaceTokenizer, µs per
# encode call for ~20/256/4096-token prompts, single thread, after warm-up. Prints a Markdown
# table. Run from anywhere; builds offline (test classes included: the bench lives in the tests and
# reads the shipped prompts through the datasets module, a test dependency of the classifier module).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl classifier -am test-compile dependency:build-classpath -DincludeScope=test \
  -Dmdep.outputFile="$PWD/classifier/target/tokenizer-bench.classpath" >&2
CP="classifier/target/classes:$(cat classifier/target/tokenizer-bench.classpath)"
export OPT_OUT_TRACKING=true
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$PWD/classifier/target/djl-cache}"
java -Xmx1g -Dai.djl.offline=true -Dswitchboard.repo.root="$PWD" \
  -Dlogback.configurationFile=bench/classifier-logback.xml \
  -cp "classifier/target/test-classes:$CP" dev.switchboard.classifier.text.WordPieceTokenizerBench
