#!/usr/bin/env python3
"""Writes Tests/PreprocessTests/Fixtures/tiny: a four-table database small enough to reason about by hand, used by
the preprocessing tests for round trips and every error path (the tests mutate a copy of its metadata.json).

customers(id PK, name Text, signup Timestamp, vip Boolean); orders(id PK, customer_id FK, amount Numerical,
placed_at Timestamp = time column, status Categorical); items(order_id FK, sku Categorical, qty Numerical) with no
primary key and one dangling order id; a task file churn.parquet (entity task on customers, one dangling entity).
customers_dup.parquet repeats a customer id (for the duplicate-key error).

Usage: tools/make_preprocess_fixtures.py
"""
import json
import os
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "PreprocessTests", "Fixtures", "tiny")


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    customers = pa.table({
        "id": pa.array([1, 2, 3], pa.int64()),
        "name": ["Ada", "Grace", None],
        "signup": pa.array([ts("2020-01-05T10:00:00"), ts("2021-06-30T23:59:59"), None], pa.timestamp("us", "UTC")),
        "vip": [True, False, None],
    })
    pq.write_table(customers, os.path.join(OUT, "customers.parquet"))
    dup = customers.set_column(0, "id", pa.array([1, 2, 2], pa.int64()))
    pq.write_table(dup, os.path.join(OUT, "customers_dup.parquet"))
    orders = pa.table({
        "id": pa.array([10, 11, 12, 13], pa.int32()),
        "customer_id": pa.array([1, 1, 2, None], pa.int64()),
        "amount": [12.5, float("nan"), 7.0, 100.0],
        "placed_at": pa.array([ts("2022-01-01"), ts("2022-03-01"), ts("2022-02-01"), ts("2023-01-01")],
                              pa.timestamp("ms")),
        "status": ["open", "shipped", "open", "lost"],
    })
    pq.write_table(orders, os.path.join(OUT, "orders.parquet"), compression="snappy")
    items = pa.table({"order_id": pa.array([10, 10, 12, 99], pa.int64()), "sku": ["a", "b", "a", "c"],
                      "qty": pa.array([1, 2, 3, 4], pa.int16())})
    pq.write_table(items, os.path.join(OUT, "items.parquet"), compression="zstd")
    churn = pa.table({"customer": pa.array([1, 2, 3, 7], pa.int64()),
                      "at": pa.array([ts("2022-01-15"), ts("2022-02-15"), ts("2023-02-01"), ts("2022-01-01")],
                                     pa.timestamp("us")),
                      "churned": [False, True, None, True]})
    os.makedirs(os.path.join(OUT, "tasks"), exist_ok=True)
    pq.write_table(churn, os.path.join(OUT, "tasks", "churn.parquet"))
    metadata = {
        "format": 1, "name": "tiny",
        "tables": [
            {"name": "customers", "primary_key": ["id"], "columns": [
                {"name": "id", "type": "Identifier"}, {"name": "name", "type": "Text"},
                {"name": "signup", "type": "Timestamp"}, {"name": "vip", "type": "Boolean"}]},
            {"name": "orders", "primary_key": ["id"], "time_column": "placed_at",
             "foreign_keys": [{"columns": ["customer_id"], "references": {"table": "customers", "columns": ["id"]}}],
             "columns": [
                 {"name": "id", "type": "Identifier"}, {"name": "customer_id", "type": "Identifier"},
                 {"name": "amount", "type": "Numerical"}, {"name": "placed_at", "type": "Timestamp"},
                 {"name": "status", "type": "Categorical"}]},
            {"name": "items",
             "foreign_keys": [{"columns": ["order_id"], "references": {"table": "orders", "columns": ["id"]}}],
             "columns": [{"name": "order_id", "type": "Identifier"}, {"name": "sku", "type": "Categorical"},
                         {"name": "qty", "type": "Numerical"}]},
        ],
        "tasks": [
            {"name": "order-amount", "table": "orders", "target": "amount", "hide": ["status"],
             "split": {"validation_start": "2022-02-15", "test_start": "2022-06-01"}},
            {"name": "churn", "file": "tasks/churn.parquet", "entity_table": "customers", "entity_columns": ["customer"],
             "time_column": "at", "target": "churned", "type": "Boolean", "horizon_days": 30,
             "split": {"validation_start": "2022-02-01", "test_start": "2023-01-01"}},
        ],
    }
    with open(os.path.join(OUT, "metadata.json"), "w") as f:
        json.dump(metadata, f)  # one line: the tests edit it with plain text replacements
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
