#!/usr/bin/env bash
# Reproduces every shipped file under datasets/ from the source folder (run once by hand; the
# product never reads the source folder). Usage: datasets/tools/import_all.sh [SRC] [SWITCHBOARD]
set -euo pipefail
SRC=${1:-/work/shared/datasets}
SB=${2:-./switchboard}
EXCLUDE=NullModel,gpt4_gamed,alpaca-7b_concise,alpaca-7b_verbose,gpt-3.5-turbo-1106_concise,gpt-3.5-turbo-1106_verbose,claude-2.1_concise,phi-2-sft,vicuna-13b-v1.5-togetherai

python3 datasets/tools/build_models_json.py "$SRC/models.json" > datasets/models.json

$SB dataset import --in "$SRC/alpacaeval2.jsonl.gz" --out datasets/alpacaeval2.parquet \
  --prices datasets/models.json --category-field subset --exclude-models "$EXCLUDE"

$SB dataset import --in "$SRC/arenabench_v1.jsonl.gz" --out datasets/arenabench_v1.parquet \
  --prices datasets/models.json

$SB dataset import --in "$SRC/routerdc_7x7b.jsonl.gz" --out datasets/routerdc_7x7b.parquet \
  --prices datasets/models.json --category-field task --estimate-input-tokens --assume-output-tokens 256

# Hand-written, committed source (not in SRC): trivial requests, quality 1.0 for every candidate.
$SB dataset import --in datasets/tools/everyday_chat.jsonl --out datasets/everyday_chat.parquet \
  --prices datasets/models.json --category-field category

$SB dataset import-answers \
  --scores "$SRC/alpacaeval2.jsonl.gz" --scores "$SRC/arenabench_v1.jsonl.gz" \
  --responses "$SRC/alpacaeval2_responses.jsonl.gz" --responses "$SRC/arenabench_v1_responses.jsonl.gz" \
  --out datasets/recorded/answers.parquet --prices datasets/models.json --priced-only --exclude-models "$EXCLUDE"
