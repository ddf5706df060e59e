#!/usr/bin/env python3
"""Baselines for every task of the shared databases, on the same examples and splits as `tributary evaluate`.

For each task: the constant baseline (train-split mean, positive rate or most frequent class) and LightGBM on the
seed row's own features plus the features of its one-hop parents (the rows its foreign keys point to).

Examples follow the task materialization of `tributary preprocess` (docs/format.md, "Tasks"):
- cell task: every row of `table` whose `target` is not null; its time is the table's time column;
- entity task: every row of the task file with a target, a time and an entity that exists in `entity_table`;
- split by time: train < validation_start <= validation < test_start <= test (rows without a time are train).

Features: Numerical and Boolean as numbers, Timestamp as epoch seconds, Categorical as LightGBM categories, Text as
categories when it has at most 1,000 distinct values (else left out: LightGBM cannot read free text); Identifier
and Ignored columns, the target and the task's `hide` columns are never features, nor a parent reached through a
hidden foreign key. Entity tasks add the example's time. LightGBM trains on the train split with early stopping on
the validation split (up to 2,000 rounds, patience 50), seeded.

Metrics (test split) as `tributary evaluate` defines them: AUROC (ties count one half) and average precision
(scikit-learn's definition) for Boolean; MAE and R^2 for Numerical; accuracy and MRR for Categorical (the rank of
the true class among all the train split's classes; the model ranks among its batch's candidates instead).

Usage: tools/baselines.py [DATABASES_DIR] [--db NAME ...] [--json OUT.jsonl]
Needs: pandas, pyarrow, numpy, lightgbm (pip install lightgbm==4.7.0).
"""
import argparse
import json
import sys
import time
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd

TEXT_CATEGORY_LIMIT = 1000


def micros(series):
    """Any Parquet date/timestamp column as int64 microseconds since the epoch (NaN for nulls)."""
    s = pd.to_datetime(series, utc=True)
    out = (s - pd.Timestamp("1970-01-01", tz="UTC")) // pd.Timedelta(microseconds=1)
    return out.astype("float64")


def boundary(text):
    return (pd.Timestamp(text, tz="UTC") - pd.Timestamp("1970-01-01", tz="UTC")) // pd.Timedelta(microseconds=1)


def split_of(times, spec):
    validation, test = boundary(spec["validation_start"]), boundary(spec["test_start"])
    t = np.asarray(times, dtype="float64")
    split = np.where(t >= test, "test", np.where(t >= validation, "validation", "train"))
    return np.where(np.isnan(t), "train", split)


class Database:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.meta = json.loads((self.folder / "metadata.json").read_text())
        self.tables = {t["name"]: t for t in self.meta["tables"]}
        self.frames = {}

    def frame(self, name):
        if name not in self.frames:
            spec = self.tables[name]
            self.frames[name] = pd.read_parquet(self.folder / spec.get("file", f"{name}.parquet"))
        return self.frames[name]

    def types(self, name):
        return {c["name"]: c["type"] for c in self.tables[name]["columns"]}

    def features(self, name, excluded, prefix):
        """The table's usable columns as a feature frame (same row order as the table)."""
        frame, out = self.frame(name), {}
        for column, kind in self.types(name).items():
            if column in excluded or column not in frame.columns:
                continue
            values = frame[column]
            if kind in ("Numerical", "Boolean"):
                out[prefix + column] = pd.to_numeric(values, errors="coerce").astype("float64")
            elif kind == "Timestamp":
                out[prefix + column] = micros(values) / 1e6
            elif kind == "Categorical" or (kind == "Text" and values.nunique() <= TEXT_CATEGORY_LIMIT):
                out[prefix + column] = values.astype("string").astype("category")
        return pd.DataFrame(out, index=frame.index)

    def with_parents(self, name, rows, hidden):
        """Features of `rows` (positions in table `name`) and of each row's one-hop parents."""
        own = self.features(name, hidden, f"{name}.").iloc[rows].reset_index(drop=True)
        parts = [own]
        frame = self.frame(name).iloc[rows].reset_index(drop=True)
        for key in self.tables[name].get("foreign_keys", []):
            if all(c in hidden for c in key["columns"]):
                continue
            parent = key["references"]["table"]
            parent_frame = self.frame(parent)
            prefix = f"{parent}<-{'+'.join(key['columns'])}."
            parent_features = self.features(parent, set(), prefix)
            index = pd.MultiIndex.from_frame(parent_frame[key["references"]["columns"]].astype("string"))
            lookup = pd.MultiIndex.from_frame(frame[key["columns"]].astype("string"))
            positions = index.get_indexer(lookup)
            joined = parent_features.iloc[np.where(positions >= 0, positions, 0)].reset_index(drop=True)
            joined[positions < 0] = None
            parts.append(joined.astype(parent_features.dtypes.to_dict()))
        return pd.concat(parts, axis=1)


def cell_examples(db, task):
    table, target = task["table"], task["target"]
    frame = db.frame(table)
    rows = np.flatnonzero(frame[target].notna().to_numpy())
    time_column = db.tables[table].get("time_column")
    times = micros(frame[time_column]).to_numpy()[rows] if time_column else np.full(len(rows), np.nan)
    hidden = set(task.get("hide", [])) | {target}
    features = db.with_parents(table, rows, hidden)
    return features, frame[target].iloc[rows].reset_index(drop=True), times, db.types(table)[target]


def entity_examples(db, task):
    examples = pd.read_parquet(db.folder / task["file"])
    entity = db.tables[task["entity_table"]]
    keys = examples[task["entity_columns"]].astype("string")
    entity_frame = db.frame(task["entity_table"])
    index = pd.MultiIndex.from_frame(entity_frame[entity["primary_key"]].astype("string"))
    positions = index.get_indexer(pd.MultiIndex.from_frame(keys))
    times = micros(examples[task["time_column"]]).to_numpy()
    keep = examples[task["target"]].notna().to_numpy() & ~np.isnan(times) & (positions >= 0)
    features = db.with_parents(task["entity_table"], positions[keep], set())
    features["example_time"] = times[keep] / 1e6
    return features, examples[task["target"]][keep].reset_index(drop=True), times[keep], task["type"]


def auroc(scores, labels):
    ranks = pd.Series(scores).rank(method="average").to_numpy()
    positives = labels == 1
    n_pos, n_neg = positives.sum(), (~positives).sum()
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def average_precision(scores, labels):
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], labels[order]
    last_of_tie = np.r_[s[1:] != s[:-1], True]
    true_positives = np.cumsum(y)[last_of_tie]
    counted = np.arange(1, len(y) + 1)[last_of_tie]
    precision, recall = true_positives / counted, true_positives / max(y.sum(), 1)
    return float(np.sum(np.diff(np.r_[0, recall]) * precision))


def regression_metrics(predictions, labels):
    residual = labels - predictions
    total = ((labels - labels.mean()) ** 2).sum()
    return {"mae": float(np.abs(residual).mean()), "r2": float(1 - (residual**2).sum() / total)}


def ranking_metrics(probabilities, truth):
    """Accuracy and MRR; a class never seen in training ranks last."""
    true_scores = np.where(truth >= 0, probabilities[np.arange(len(truth)), np.maximum(truth, 0)], -np.inf)
    ranks = 1 + (probabilities > true_scores[:, None]).sum(axis=1)
    ranks = np.where(truth >= 0, ranks, probabilities.shape[1] + 1)
    return {"accuracy": float((ranks == 1).mean()), "mrr": float((1 / ranks).mean())}


def fit(kind, x, y, split, seed=0):
    train, valid = split == "train", split == "validation"
    params = {"verbosity": -1, "seed": seed, "num_threads": 2, "learning_rate": 0.05, "num_leaves": 31}
    if kind == "Boolean":
        params["objective"] = "binary"
    elif kind == "Numerical":
        params["objective"] = "regression"
    else:
        params.update(objective="multiclass", num_class=int(y.max()) + 1)
    data = lgb.Dataset(x[train], y[train])
    valid_data = lgb.Dataset(x[valid], y[valid], reference=data)
    return lgb.train(
        params, data, num_boost_round=2000, valid_sets=[valid_data],
        callbacks=[lgb.early_stopping(50, verbose=False)])


def evaluate_task(db, task):
    started = time.time()
    features, target, times, kind = (cell_examples if "table" in task else entity_examples)(db, task)
    split = split_of(times, task["split"])
    test = split == "test"
    result = {"database": db.meta["name"], "task": task["name"], "type": kind,
              "examples": {s: int((split == s).sum()) for s in ("train", "validation", "test")},
              "features": features.shape[1]}
    if kind in ("Boolean", "Numerical"):
        y = pd.to_numeric(target).astype("float64").to_numpy()
        model = fit(kind, features, y, split)
        predictions = model.predict(features[test], num_iteration=model.best_iteration)
        constant = np.full(test.sum(), y[split == "train"].mean())
        if kind == "Boolean":
            score = lambda p: {"auroc": auroc(p, y[test]), "average_precision": average_precision(p, y[test])}
        else:
            score = lambda p: regression_metrics(p, y[test])
    else:
        classes = pd.Index(target[split == "train"].astype("string").unique())
        codes = classes.get_indexer(target.astype("string"))
        train_rows = codes >= 0
        model = fit(kind, features[train_rows], codes[train_rows], split[train_rows])
        predictions = model.predict(features[test], num_iteration=model.best_iteration)
        counts = np.bincount(codes[split == "train"], minlength=len(classes)).astype("float64")
        constant = np.tile(counts, (test.sum(), 1))
        score = lambda p: ranking_metrics(p, codes[test])
    result["lightgbm"] = score(predictions)
    result["constant"] = score(constant)
    result["rounds"] = int(model.best_iteration)
    result["seconds"] = round(time.time() - started, 1)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parent
    parser.add_argument("databases", nargs="?", default=str(here.parent.parent / "shared" / "databases"))
    parser.add_argument("--db", action="append", help="only these databases (folder names)")
    parser.add_argument("--json", help="also write one JSON line per task to this file")
    args = parser.parse_args()
    folders = sorted(p for p in Path(args.databases).iterdir() if (p / "metadata.json").exists())
    results = []
    for folder in folders:
        if args.db and folder.name not in args.db:
            continue
        db = Database(folder)
        for task in db.meta.get("tasks", []):
            result = evaluate_task(db, task)
            results.append(result)
            print(json.dumps(result), flush=True)
    if args.json:
        Path(args.json).write_text("".join(json.dumps(r) + "\n" for r in results))


if __name__ == "__main__":
    sys.exit(main())
