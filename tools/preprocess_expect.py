#!/usr/bin/env python3
"""Expected results of `tributary preprocess` on a database, computed independently with pyarrow and numpy from the
Parquet files and metadata.json (the rules of docs/format.md, not the Swift code): row counts, numerical column
statistics, null and distinct counts, foreign-key edges and dangling links, the database-wide time scale, the
vocabulary size, and per task the examples, split counts, label statistics and positive rates.

Usage: tools/preprocess_expect.py DB_DIR [DB_DIR...]   (writes Tests/PreprocessTests/Fixtures/expected/<name>.json)
"""
import json
import os
import sys
from datetime import datetime, timedelta, timezone

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "PreprocessTests", "Fixtures", "expected")
MAX_TEXT = 2000


def micros(array: pa.ChunkedArray) -> np.ndarray:
    t = array.type
    if pa.types.is_timestamp(t):
        return array.cast(pa.timestamp("us", tz=t.tz)).cast(pa.int64()).to_numpy(zero_copy_only=False)
    if pa.types.is_date(t):
        return array.cast(pa.date32()).cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64) * 86_400_000_000
    raise ValueError(f"not a time: {t}")


def iso_micros(text: str) -> int:
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return int((dt - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds() * 1_000_000)


def as_strings(array: pa.ChunkedArray) -> list:
    values = array.to_pylist()
    if pa.types.is_floating(array.type):
        return [None if v is None else (str(int(v)) if v == int(v) and abs(v) < 1e15 else repr(v)) for v in values]
    if pa.types.is_boolean(array.type):
        return [None if v is None else ("true" if v else "false") for v in values]
    return [None if v is None else str(v) for v in values]


def key_tuples(table: pa.Table, columns: list) -> list:
    parts = []
    for name in columns:
        col = table.column(name)
        if pa.types.is_timestamp(col.type) or pa.types.is_date(col.type):
            mask = col.is_null().to_numpy(zero_copy_only=False)
            parts.append([None if m else int(v) for v, m in zip(micros(col), mask)])
        else:
            parts.append(col.to_pylist())
    return [None if any(p is None for p in row) else tuple(row) for row in zip(*parts)]


def numeric_stats(values: np.ndarray, valid: np.ndarray) -> dict:
    finite = valid & np.isfinite(values)
    v = values[finite]
    return {"count": int(v.size), "mean": float(v.mean()) if v.size else 0.0,
            "std": float(v.std()) if v.size > 1 else 0.0, "nulls": int((~finite).sum())}


def table_expectations(db: str, spec: dict, tables: dict, vocabulary: set, times: list) -> list:
    out = []
    for t in spec["tables"]:
        data = tables[t["name"]]
        columns = {}
        for c in t["columns"]:
            kind, col = c["type"], data.column(c["name"])
            valid = ~col.is_null().to_numpy(zero_copy_only=False)
            entry = {"type": kind, "nulls": int((~valid).sum())}
            if kind == "Numerical":
                values = col.cast(pa.float64()).to_numpy(zero_copy_only=False)
                entry = {"type": kind, **numeric_stats(np.nan_to_num(values, nan=np.nan), valid)}
            elif kind == "Timestamp":
                times.extend(micros(col)[valid].tolist())
            elif kind in ("Categorical", "Text"):
                strings = [s for s in as_strings(col) if s is not None]
                entry["distinct"] = len(set(strings))
                if kind == "Categorical":
                    vocabulary.update(f"{c['name']} is {s}" for s in strings)
                else:
                    vocabulary.update(s[:MAX_TEXT] for s in strings)
            if kind != "Ignored":
                columns[c["name"]] = entry
        out.append({"name": t["name"], "rows": data.num_rows, "columns": columns, "samples": samples(t, data)})
    return out


def samples(spec: dict, data: pa.Table) -> list:
    """Rows 0, n/2 and n-1 as `tributary inspect --table T --row N` shows them (numbers as floats)."""
    rows = sorted({0, data.num_rows // 2, data.num_rows - 1}) if data.num_rows else []
    out = []
    for row in rows:
        cells = {}
        for c in spec["columns"]:
            kind, col = c["type"], data.column(c["name"]).slice(row, 1)
            if kind == "Ignored":
                continue
            if col.null_count:
                cells[c["name"]] = None
            elif kind == "Identifier":
                cells[c["name"]] = "present"
            elif kind == "Numerical":
                v = col.cast(pa.float64()).to_pylist()[0]
                cells[c["name"]] = v if np.isfinite(v) else None
            elif kind == "Timestamp":
                us = int(micros(col)[0])
                dt = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=us)
                cells[c["name"]] = dt.strftime("%Y-%m-%d") if us % 86_400_000_000 == 0 else dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            elif kind == "Boolean":
                cells[c["name"]] = "true" if col.cast(pa.bool_()).to_pylist()[0] else "false"
            else:
                text = as_strings(col)[0]
                cells[c["name"]] = text[:MAX_TEXT] if kind == "Text" else text
        out.append({"row": row, "cells": cells})
    return out


def edge_expectations(spec: dict, tables: dict) -> list:
    out = []
    for t in spec["tables"]:
        for fk in t.get("foreign_keys", []):
            parent = tables[fk["references"]["table"]]
            keys = set(k for k in key_tuples(parent, fk["references"]["columns"]) if k is not None)
            child = key_tuples(tables[t["name"]], fk["columns"])
            nulls = sum(k is None for k in child)
            edges = sum(k is not None and k in keys for k in child)
            out.append({"child": t["name"], "columns": fk["columns"], "parent": fk["references"]["table"],
                        "edges": edges, "dangling": len(child) - nulls - edges, "null_keys": nulls})
    return out


def split_of(time, split: dict) -> str:
    if time is None:
        return "train"
    if time >= iso_micros(split["test_start"]):
        return "test"
    return "validation" if time >= iso_micros(split["validation_start"]) else "train"


def task_expectations(db: str, spec: dict, tables: dict, vocabulary: set) -> list:
    out = []
    for task in spec.get("tasks", []):
        if "file" in task:
            data = pq.read_table(os.path.join(db, task["file"]))
            entity = tables[task["entity_table"]]
            pk = next(t for t in spec["tables"] if t["name"] == task["entity_table"])["primary_key"]
            known = set(k for k in key_tuples(entity, pk) if k is not None)
            keys = key_tuples(data, task["entity_columns"])
            tcol = data.column(task["time_column"])
            tvalid = ~tcol.is_null().to_numpy(zero_copy_only=False)
            ts = micros(tcol)
            kind = task["type"]
        else:
            data = tables[task["table"]]
            tspec = next(t for t in spec["tables"] if t["name"] == task["table"])
            keys = [()] * data.num_rows
            known = {()}
            kind = next(c["type"] for c in tspec["columns"] if c["name"] == task["target"])
            if tspec.get("time_column"):
                tcol = data.column(tspec["time_column"])
                tvalid = ~tcol.is_null().to_numpy(zero_copy_only=False)
                ts = micros(tcol)
            else:
                tvalid, ts = np.zeros(data.num_rows, bool), np.zeros(data.num_rows, np.int64)
        target = data.column(task["target"])
        if kind in ("Categorical", "Text"):
            labels = as_strings(target)
            vocabulary.update(f"{task['target']} is {s}" if kind == "Categorical" else s[:MAX_TEXT]
                              for s in labels if s is not None)
            numbers = [None if s is None else 0.0 for s in labels]
        elif kind == "Timestamp":
            m = target.is_null().to_numpy(zero_copy_only=False)
            numbers = [None if n else float(v) for v, n in zip(micros(target), m)]
        else:
            numbers = [None if v is None else float(v) for v in target.cast(pa.float64()).to_pylist()]
        counts, train, by_split, dangling = {"train": 0, "validation": 0, "test": 0}, [], {}, 0
        for i, label in enumerate(numbers):
            if label is None or not np.isfinite(label) or ("file" in task and not tvalid[i]):
                continue
            if keys[i] is None or keys[i] not in known:
                dangling += 1
                continue
            split = split_of(int(ts[i]) if tvalid[i] else None, task["split"])
            counts[split] += 1
            by_split.setdefault(split, []).append(label)
            if split == "train":
                train.append(label)
        entry = {"name": task["name"], "examples": sum(counts.values()), "split_counts": counts, "dangling": dangling}
        if kind in ("Numerical", "Timestamp") and train:
            entry["label_mean"], entry["label_std"] = float(np.mean(train)), float(np.std(train))
        if kind == "Boolean":
            entry["positive_rate"] = {s: float(np.mean(v)) for s, v in by_split.items()}
        out.append(entry)
    return out


def expectations(db: str) -> dict:
    spec = json.load(open(os.path.join(db, "metadata.json")))
    tables = {t["name"]: pq.read_table(os.path.join(db, t.get("file", t["name"] + ".parquet"))) for t in spec["tables"]}
    vocabulary, times = set(), []
    result = {"name": spec["name"], "tables": table_expectations(db, spec, tables, vocabulary, times),
              "edges": edge_expectations(spec, tables)}
    result["tasks"] = task_expectations(db, spec, tables, vocabulary)
    t = np.array(times, dtype=np.float64)
    result["time"] = {"count": int(t.size), "mean": float(t.mean()), "std": float(t.std())}
    result["vocabulary_size"] = len(vocabulary)
    return result


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    for db in sys.argv[1:]:
        result = expectations(db)
        path = os.path.join(OUT, f"{result['name']}.json")
        with open(path, "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
