#!/usr/bin/env bash
# The router against the baselines over several split seeds (test sets under 500 prompts are noisy):
# re-splits each dataset, trains its router with the shipped recipe, evaluates it, and tabulates the
# router's AIQ lead over each baseline per seed in reports/split_seeds.md (+ .json).
# Usage: reports/tools/split_seeds.sh [SEEDS] [SWITCHBOARD]   (default seeds "1 2 3"; ~25 min on two cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
SEEDS=${1:-"1 2 3"}
SB=${2:-./switchboard}
ROUTE=mixtral-8x7b-instruct-v0.1,gpt-3.5-turbo-1106,claude-instant-1.2,gpt-4-1106-preview
WORK=target/split-seeds
mkdir -p "$WORK"
for seed in $SEEDS; do
  for ds in alpacaeval2 arenabench_v1 routerdc_7x7b; do
    $SB dataset resplit --in datasets/$ds.parquet --out "$WORK/$ds-s$seed.parquet" --seed "$seed"
  done
  cp datasets/models.json "$WORK/models.json"
  $SB train --dataset "$WORK/alpacaeval2-s$seed.parquet" --candidates "$ROUTE" --seed 42 --out "$WORK/m-alpacaeval2-s$seed"
  $SB eval --dataset "$WORK/alpacaeval2-s$seed.parquet" --classifier "$WORK/m-alpacaeval2-s$seed" \
    --strong gpt-4-1106-preview --weak mixtral-8x7b-instruct-v0.1 --out "$WORK/r-alpacaeval2-s$seed"
  $SB train --dataset "$WORK/arenabench_v1-s$seed.parquet" --candidates mixtral-8x7b-instruct-v0.1,gpt-4-1106-preview \
    --seed 42 --out "$WORK/m-arenabench-s$seed"
  $SB eval --dataset "$WORK/arenabench_v1-s$seed.parquet" --classifier "$WORK/m-arenabench-s$seed" \
    --strong gpt-4-1106-preview --weak mixtral-8x7b-instruct-v0.1 --out "$WORK/r-arenabench-s$seed"
  $SB train --dataset "$WORK/routerdc_7x7b-s$seed.parquet" --seed 42 --out "$WORK/m-routerdc-s$seed"
  $SB eval --dataset "$WORK/routerdc_7x7b-s$seed.parquet" --classifier "$WORK/m-routerdc-s$seed" \
    --weak mistralai/Mistral-7B-v0.1 --strong cognitivecomputations/dolphin-2.9-llama3-8b --out "$WORK/r-routerdc-s$seed"
done
python3 reports/tools/split_seeds_table.py "$WORK" reports/split_seeds
