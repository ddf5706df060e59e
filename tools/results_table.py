#!/usr/bin/env python3
"""The model results table of docs/results.md, from the outputs of tools/model_results.sh and tools/baselines.py.

Usage: tools/results_table.py RESULTS_DIR BASELINES.jsonl
Reads RESULTS_DIR/eval/<task>-{zeroshot,finetuned}.tsv (`tributary evaluate` output: metric<TAB>value) and
RESULTS_DIR/times.tsv (run<TAB>wall seconds); prints one markdown row per task, test split, with the main metric
(AUROC, MAE, accuracy) and the second one (average precision, R^2, MRR) of each method, best main metric in bold.
"""
import json
import sys
from pathlib import Path

METRICS = {  # task type -> (main metric, higher is better, second metric)
    "Boolean": ("auroc", True, "average_precision"),
    "Numerical": ("mae", False, "r2"),
    "Categorical": ("accuracy", True, "mrr"),
}


def read_tsv(path):
    if not path.exists():
        return None
    values = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition("\t")
        if value:
            values[key] = float(value)
    return values


def cell(metrics, main, second):
    if not metrics or main not in metrics:
        return None, "—"
    return metrics[main], f"{metrics[main]:.3f} / {metrics[second]:.3f}"


def main():
    results, baselines = Path(sys.argv[1]), Path(sys.argv[2])
    times = {}
    if (results / "times.tsv").exists():
        for line in (results / "times.tsv").read_text().splitlines():
            run, _, seconds = line.partition("\t")
            times[run] = int(seconds)
    print("| database | task (metric) | test examples | constant | LightGBM | zero-shot | fine-tuned | fine-tune wall |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for line in baselines.read_text().splitlines():
        base = json.loads(line)
        main_metric, higher, second = METRICS[base["type"]]
        zero = read_tsv(results / "eval" / f"{base['task']}-zeroshot.tsv")
        tuned = read_tsv(results / "eval" / f"{base['task']}-finetuned.tsv")
        cells = [cell(base["constant"], main_metric, second), cell(base["lightgbm"], main_metric, second),
                 cell(zero, main_metric, second), cell(tuned, main_metric, second)]
        scored = [c[0] for c in cells if c[0] is not None]
        best = (max if higher else min)(scored)
        texts = [f"**{text}**" if value == best else text for value, text in cells]
        wall = times.get(f"finetune-{base['task']}")
        label = f"{base['task']} ({main_metric.upper() if main_metric != 'accuracy' else 'accuracy'} / {second})"
        print(f"| {base['database']} | {label} | {base['examples']['test']:,} | " + " | ".join(texts)
              + f" | {f'{wall} s' if wall else '—'} |")


if __name__ == "__main__":
    main()
