#!/usr/bin/env python3
"""One-off conversion: the source price file -> datasets/models.json (our layout).

Usage: python3 datasets/tools/build_models_json.py /work/shared/datasets/models.json > datasets/models.json

Our layout: {"models": {model_id: {input_usd_per_mtok, output_usd_per_mtok, price_is_proxy,
source, provider, open_weights, aliases}}}. Unpriced models are left out (a routing pool needs a
price). The seven RouterDC models, which the source file does not price, get documented proxy
prices (PROXIES below) so routerdc_7x7b.parquet is usable for routing.
"""
import json
import sys

MISTRAL_7B = ("proxy: no per-token listing for this checkpoint; priced like the other Mistral-7B-based "
              "open models in the source price file (Together Mistral-7B-Instruct-v0.1, "
              "pydantic/genai-prices@47df840a5ab10bbcffb8e5ac01b9899032245d1b:prices/providers/together.yml)")
LLAMA3_8B = ("proxy: no per-token listing for this checkpoint; priced like Llama-3.x-8B in the source price "
             "file (Together Meta-Llama-3.1-8B-Instruct-Turbo, "
             "pydantic/genai-prices@47df840a5ab10bbcffb8e5ac01b9899032245d1b:prices/providers/together.yml)")
PROXIES = {
    "HuggingFaceH4/zephyr-7b-beta": (0.2, "HuggingFace H4 (open)", MISTRAL_7B),
    "cognitivecomputations/dolphin-2.6-mistral-7b": (0.2, "Cognitive Computations (open)", MISTRAL_7B),
    "itpossible/Chinese-Mistral-7B-v0.1": (0.2, "itpossible (open)", MISTRAL_7B),
    "meta-math/MetaMath-Mistral-7B": (0.2, "MetaMath (open)", MISTRAL_7B),
    "mistralai/Mistral-7B-v0.1": (0.2, "Mistral (open)", MISTRAL_7B),
    "cognitivecomputations/dolphin-2.9-llama3-8b": (0.18, "Cognitive Computations (open)", LLAMA3_8B),
    "meta-llama/Meta-Llama-3-8B": (0.18, "Meta (open)", LLAMA3_8B),
}

src = json.load(open(sys.argv[1]))
models = {}
for m in src["models"]:
    p = m.get("price")
    if p is None:
        continue
    aliases = sorted({a for names in m.get("names_in_datasets", {}).values() for a in names} - {m["model_id"]})
    source = p["source"] if not m.get("note") else p["source"] + "; " + m["note"]
    models[m["model_id"]] = {
        "input_usd_per_mtok": float(p["input_usd_per_mtok"]),
        "output_usd_per_mtok": float(p["output_usd_per_mtok"]),
        "price_is_proxy": bool(m.get("price_is_proxy")),
        "source": source,
        "provider": m.get("provider"),
        "open_weights": m.get("open_weights"),
        "aliases": aliases,
    }
for mid, (price, provider, note) in PROXIES.items():
    assert mid not in models, mid
    models[mid] = {
        "input_usd_per_mtok": price,
        "output_usd_per_mtok": price,
        "price_is_proxy": True,
        "source": note,
        "provider": provider,
        "open_weights": True,
        "aliases": [],
    }
out = {
    "description": "USD list prices per 1M input/output tokens per model id, as used for cost_usd in the "
                   "datasets/*.parquet files and by the default routing config. price_is_proxy=true means no "
                   "listing exists for that exact model and a comparable model's price is used. Converted from "
                   "the source price file (prices from pydantic/genai-prices, MIT, and RouterBench-implied "
                   "early-2024 list prices) by datasets/tools/build_models_json.py.",
    "models": dict(sorted(models.items())),
}
json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write("\n")
