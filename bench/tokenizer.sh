#!/usr/bin/env bash
# Tokenizer benchmark: the pure-Java WordPieceTokenizer against DJL's HuggingFaceTokenizer, µs per
# encode call for ~20/256/4096-token prompts, single thread, after warm-up. Prints a Markdown
# table. Run from anywhere; builds offline (test classes included: the bench lives in the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
CP="$(bench/classifier-classpath.sh)"
mvn -B -q -o -pl classifier test-compile >&2
export OPT_OUT_TRACKING=true
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$PWD/classifier/target/djl-cache}"
java -Xmx1g -Dai.djl.offline=true -Dswitchboard.repo.root="$PWD" \
  -Dlogback.configurationFile=bench/classifier-logback.xml \
  -cp "classifier/target/test-classes:$CP" dev.switchboard.classifier.text.WordPieceTokenizerBench
