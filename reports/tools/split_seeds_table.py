#!/usr/bin/env python3
"""Tabulates reports/tools/split_seeds.sh's runs (plus the shipped seed-42 reports) into MD + JSON."""
import glob, json, os, re, statistics, sys

work, out = sys.argv[1], sys.argv[2]
shipped = {"alpacaeval2": "reports/alpacaeval2", "arenabench": "reports/arenabench_v1_pair", "routerdc": "reports/routerdc_7x7b"}
rows = []
def add(dataset, seed, path):
    m = json.load(open(os.path.join(path, "metrics.json")))
    card = m["meta"]
    router = m["policies"]["router"]
    row = {"dataset": dataset, "seed": seed, "test_prompts": card["prompts"], "router_aiq": router["aiq"],
           "router_apgr": m["two_model"]["router"]["apgr"], "baselines": {}}
    for b in m["baselines"]:
        row["baselines"][b["id"].split(":")[1]] = {"aiq": b["aiq"], "lead": b["router_minus_baseline_aiq"],
                                                   "ci": b["router_minus_baseline_aiq_ci"], "verdict": b["verdict"]}
    rows.append(row)
for ds, path in shipped.items():
    if os.path.exists(os.path.join(path, "metrics.json")):
        add(ds, 42, path)
for path in sorted(glob.glob(os.path.join(work, "r-*-s*"))):
    mm = re.match(r"r-(.*)-s(\d+)$", os.path.basename(path))
    if mm and os.path.exists(os.path.join(path, "metrics.json")):
        add(mm.group(1), int(mm.group(2)), path)
json.dump(rows, open(out + ".json", "w"), indent=1)
fams = ["prior", "knn", "logreg", "mlp"]
lines = ["# Router vs baselines over split seeds", "",
         "Router AIQ minus each baseline's AIQ on the test split (paired bootstrap 95% CI), per split seed. Seed 42 is the"
         " shipped split; the others are `switchboard dataset resplit` of the same file, with the router retrained by the"
         " shipped recipe and the baselines refitted on each train split. Written by `reports/tools/split_seeds.sh`.", ""]
for ds in ["alpacaeval2", "arenabench", "routerdc"]:
    rs = [r for r in rows if r["dataset"] == ds]
    if not rs:
        continue
    lines += [f"## {ds}", "", "| seed | test prompts | router AIQ | " + " | ".join(f"vs {f}" for f in fams) + " |",
              "|---:|---:|---:|" + "---|" * len(fams)]
    for r in sorted(rs, key=lambda r: r["seed"]):
        cells = []
        for f in fams:
            b = r["baselines"].get(f)
            cells.append("–" if b is None else f"{b['lead']:+.4f} ({b['ci'][0]:+.4f}..{b['ci'][1]:+.4f}) {b['verdict']}")
        lines.append(f"| {r['seed']} | {r['test_prompts']} | {r['router_aiq']:.4f} | " + " | ".join(cells) + " |")
    means = []
    for f in fams:
        leads = [r["baselines"][f]["lead"] for r in rs if f in r["baselines"]]
        means.append("–" if not leads else f"{statistics.mean(leads):+.4f} ± {statistics.pstdev(leads):.4f} (n={len(leads)})")
    lines.append("| mean ± sd | | | " + " | ".join(means) + " |")
    lines.append("")
open(out + ".md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
