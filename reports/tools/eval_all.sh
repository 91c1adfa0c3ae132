#!/usr/bin/env bash
# Rewrites every published report from the shipped models and datasets (run by hand after
# models/tools/train_all.sh; ~15 min on two cores). Usage: reports/tools/eval_all.sh [SWITCHBOARD]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
SB=${1:-./switchboard}
STRONG=gpt-4-1106-preview
WEAK=mixtral-8x7b-instruct-v0.1

# The shipped auto route (models/default + policies/default.yaml) on every test split with its models.
$SB eval --dataset datasets/arenabench_v1.parquet --classifier models/default --policy policies/default.yaml \
  --strong $STRONG --weak $WEAK --out reports/default_arenabench
$SB eval --dataset datasets/everyday_chat.parquet --classifier models/default --policy policies/default.yaml \
  --strong $STRONG --weak $WEAK --out reports/default_everyday
$SB eval --dataset datasets/alpacaeval2.parquet --classifier models/default --policy policies/default.yaml \
  --strong $STRONG --weak $WEAK --out reports/default_alpacaeval2

# Each dataset's own router against the baselines fitted on the same train split.
$SB eval --dataset datasets/alpacaeval2.parquet --classifier models/alpacaeval2 --strong $STRONG --weak $WEAK \
  --out reports/alpacaeval2
$SB eval --dataset datasets/alpacaeval2.parquet --classifier models/alpacaeval2_pool8 --strong $STRONG --weak $WEAK \
  --out reports/alpacaeval2_pool8
$SB eval --dataset datasets/arenabench_v1.parquet --classifier models/arenabench --strong $STRONG --weak $WEAK \
  --out reports/arenabench_v1_pair
$SB eval --dataset datasets/routerdc_7x7b.parquet --classifier models/routerdc_7x7b \
  --weak mistralai/Mistral-7B-v0.1 --strong cognitivecomputations/dolphin-2.9-llama3-8b --out reports/routerdc_7x7b
