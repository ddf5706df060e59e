#!/usr/bin/env python3
"""Writes Tests/ServiceTests/Fixtures/shop: a small database (Parquet + metadata.json) for the `predict` job tests,
and shop-expected.json: for every task and split, the examples in split order with their key values and labels,
computed here with pyarrow from the rules of docs/preprocess.md (cell task: the table's rows with a label, in row
order; entity task: the task file's rows with a label, a time and a known entity, in row order; temporal splits),
values rendered as text, so the tests check the service's `item`/keys/label columns against an independent reading of the source.

Deterministic (fixed seed). Usage: python3 tools/make_predict_fixture.py
"""
import json, os, random
from datetime import datetime, timedelta, timezone
import pyarrow as pa, pyarrow.parquet as pq

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "ServiceTests", "Fixtures", "shop")
VALIDATION, TEST = datetime(2022, 7, 1), datetime(2022, 10, 1)
rng = random.Random(11)

def split_of(time):
    return "test" if time >= TEST else ("validation" if time >= VALIDATION else "train")

customer_ids = [f"C-{7 + 3 * i:03d}" for i in range(24)]
customers = pa.table({
    "id": pa.array(customer_ids, pa.string()),
    "name": pa.array([f"customer {i} of the {['north', 'south', 'east'][i % 3]} shop" for i in range(24)]),
    "segment": pa.array([["retail", "wholesale", "online"][rng.randrange(3)] for _ in range(24)]),
})
start = datetime(2022, 1, 1)
order_times = sorted(start + timedelta(hours=rng.randrange(0, 364 * 24)) for _ in range(120))
amounts = [round(rng.uniform(5, 200), 2) for _ in range(120)]
amounts[17] = None  # dropped from order-amount: no label
statuses = [["placed", "shipped", "returned"][rng.randrange(3)] for _ in range(120)]
orders = pa.table({
    "id": pa.array([5000 + 7 * i for i in range(120)], pa.int64()),
    "customer_id": pa.array([customer_ids[rng.randrange(24)] for _ in range(120)]),
    "amount": pa.array(amounts, pa.float64()),
    "placed_at": pa.array(order_times, pa.timestamp("us")),
    "status": pa.array(statuses),
})
churn_rows = []
for at in [datetime(2022, 3, 1), datetime(2022, 6, 1), datetime(2022, 9, 1), datetime(2022, 11, 1)]:
    for cid in customer_ids:
        churn_rows.append((cid, at, rng.random() < 0.3))
churn_rows.insert(5, ("C-999", datetime(2022, 11, 1), True))  # dangling entity: dropped
churn_rows.insert(9, (customer_ids[3], datetime(2022, 11, 1), None))  # no label: dropped
churn = pa.table({
    "customer": pa.array([r[0] for r in churn_rows]),
    "at": pa.array([r[1] for r in churn_rows], pa.timestamp("us")),
    "churned": pa.array([r[2] for r in churn_rows], pa.bool_()),
})
split = {"validation_start": "2022-07-01", "test_start": "2022-10-01"}
metadata = {
    "format": 1, "name": "shop",
    "tables": [
        {"name": "customers", "primary_key": ["id"], "columns": [
            {"name": "id", "type": "Identifier"}, {"name": "name", "type": "Text"},
            {"name": "segment", "type": "Categorical"}]},
        {"name": "orders", "primary_key": ["id"], "time_column": "placed_at",
         "foreign_keys": [{"columns": ["customer_id"], "references": {"table": "customers", "columns": ["id"]}}],
         "columns": [
            {"name": "id", "type": "Identifier"}, {"name": "customer_id", "type": "Identifier"},
            {"name": "amount", "type": "Numerical"}, {"name": "placed_at", "type": "Timestamp"},
            {"name": "status", "type": "Categorical"}]},
    ],
    "tasks": [
        {"name": "order-amount", "table": "orders", "target": "amount", "hide": ["status"], "split": split},
        {"name": "order-status", "table": "orders", "target": "status", "split": split},
        {"name": "churn", "file": "tasks/churn.parquet", "entity_table": "customers", "entity_columns": ["customer"],
         "time_column": "at", "target": "churned", "type": "Boolean", "horizon_days": 30, "split": split},
    ],
}

def render(value):
    """As the Swift tests print values: Swift and Python both print the shortest round-tripping double."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)

def micros(t):
    return int(t.replace(tzinfo=timezone.utc).timestamp() * 1_000_000)

def expected():
    result = {}
    for task, target in [("order-amount", "amount"), ("order-status", "status")]:
        rows = [r for r in orders.to_pylist() if r[target] is not None]
        result[task] = {s: [{"keys": [render(r["id"])], "time": micros(r["placed_at"]),
                             "label": render(r[target])}
                            for r in rows if split_of(r["placed_at"]) == s] for s in ["train", "validation", "test"]}
    rows = [r for r in churn.to_pylist() if r["churned"] is not None and r["customer"] in customer_ids]
    result["churn"] = {s: [{"keys": [render(r["customer"])], "time": micros(r["at"]),
                            "label": render(r["churned"])}
                           for r in rows if split_of(r["at"]) == s] for s in ["train", "validation", "test"]}
    return result

os.makedirs(os.path.join(OUT, "tasks"), exist_ok=True)
pq.write_table(customers, os.path.join(OUT, "customers.parquet"))
pq.write_table(orders, os.path.join(OUT, "orders.parquet"))
pq.write_table(churn, os.path.join(OUT, "tasks", "churn.parquet"))
with open(os.path.join(OUT, "metadata.json"), "w") as f:
    json.dump(metadata, f, indent=1)
with open(os.path.join(OUT, "..", "shop-expected.json"), "w") as f:
    json.dump(expected(), f, indent=None, separators=(",", ":"))
print("wrote", os.path.normpath(OUT))
