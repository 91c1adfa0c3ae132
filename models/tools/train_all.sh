#!/usr/bin/env bash
# Retrains every shipped model and the shipped policy from the files in datasets/ (run by hand; ~10 min
# on two cores). Usage: models/tools/train_all.sh [SWITCHBOARD]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
SB=${1:-./switchboard}
ROUTE=mixtral-8x7b-instruct-v0.1,gpt-3.5-turbo-1106,claude-instant-1.2,gpt-4-1106-preview

# The `auto` route's classifier: absolute-quality data only, plus every graded model for the IRT head.
$SB train --no-categories --encoder static,minilm --dataset datasets/arenabench_v1.parquet --dataset datasets/everyday_chat.parquet \
  --dataset datasets/routerdc_7x7b.parquet --candidates "$ROUTE" --threshold 0.5 --seed 42 \
  --rationale "The embedded auto route: Mixtral-8x7B, GPT-3.5-turbo-1106, Claude-instant-1.2, GPT-4-1106-preview at real list prices." \
  --semantics "arenabench_v1: GPT-4 grade 1-10 of the answer against a GPT-4 reference answer, quality = (grade - 1) / 9 (absolute; adequate = grade >= 5.5). everyday_chat: 1.0 for every candidate by construction (hand-written trivial requests, not judged). routerdc_7x7b (IRT head only: none of its 7 models is a candidate): fraction of sampled answers judged correct (absolute). AlpacaEval 2.0 is not trained on: its quality is the judge's preference over GPT-4-turbo's answer (relative), which is lowest exactly on trivial prompts, where any answer is adequate; it is evaluated on instead." \
  --out models/default
$SB tune --dataset datasets/arenabench_v1.parquet --dataset datasets/everyday_chat.parquet \
  --classifier models/default --target quality=0.95 --out policies/default.yaml

# One model per shipped dataset, trained on that dataset alone (the router vs baselines on its own data).
$SB train --dataset datasets/alpacaeval2.parquet --candidates "$ROUTE" --threshold 0.5 --seed 42 \
  --rationale "AlpacaEval 2.0 with the auto route's four models (real list prices)." \
  --semantics "P(a GPT-4-turbo judge prefers this answer over gpt-4-1106-preview's), in [0,1]; the reference itself is exactly 0.5 (relative, length-biased judge)." \
  --out models/alpacaeval2
$SB train --dataset datasets/alpacaeval2.parquet \
  --candidates fusechat-llama-3.2-3b-instruct,fusechat-llama-3.1-8b-instruct,fusechat-gemma-2-9b-instruct,mixtral-8x7b-instruct-v0.1,fusechat-qwen-2.5-7b-instruct,gpt-3.5-turbo-1106,claude-instant-1.2,gpt-4-1106-preview \
  --threshold 0.5 --seed 42 \
  --rationale "Many-model AlpacaEval 2.0 pool for AIQ: 8 candidates from \$0.03 to \$13 per 1k requests; fusechat-* prices are proxies (models.json price_is_proxy)." \
  --semantics "P(a GPT-4-turbo judge prefers this answer over gpt-4-1106-preview's) (relative)." \
  --out models/alpacaeval2_pool8
$SB train --dataset datasets/arenabench_v1.parquet --candidates mixtral-8x7b-instruct-v0.1,gpt-4-1106-preview \
  --threshold 0.5 --seed 42 \
  --rationale "RouteLLM's classic pair on arena-bench v1: gpt-4-1106-preview (strong) vs mixtral-8x7b-instruct-v0.1 (weak), real list prices." \
  --semantics "GPT-4 grade 1-10 against a GPT-4 reference answer, quality = (grade - 1) / 9 (absolute)." \
  --out models/arenabench
$SB train --dataset datasets/routerdc_7x7b.parquet --threshold 0.5 --seed 42 \
  --rationale "RouterDC's seven 7-8B open models (proxy prices, estimated tokens): a many-model pool where quality differs by task, not by price." \
  --semantics "Fraction of sampled answers judged correct (ground truth; absolute)." \
  --out models/routerdc_7x7b
