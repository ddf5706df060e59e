#!/usr/bin/env python3
"""Writes Tests/SamplerTests/Fixtures/timeline: a tiny database for hand-checked sampler cases that the shared
databases do not reach: a parent row later than its child (never visible from the child's time), and an entity
task with several examples per entity and a 10-day horizon (only labels known at the seed's time are shown).

  accounts(id, opened_at, tier)            time column opened_at
  events(id, account_id, at, amount)       time column at, account_id -> accounts.id
  tasks/renew.parquet(account, at, renewed) entity task on accounts, horizon 10 days, hides accounts.tier
  event-amount                             cell task on events.amount

Deterministic: re-running gives the same files. Needs python3 with pyarrow."""
import json
import os
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "SamplerTests", "Fixtures", "timeline")


def day(d):
    return datetime(2024, 1, 1, tzinfo=timezone.utc).replace(day=d)


def write(name, table):
    path = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    pq.write_table(table, path, compression="NONE")


ts = pa.timestamp("us", tz="UTC")
# Account 1 opened on Jan 10; account 2 on Jan 1.
write("accounts.parquet", pa.table({
    "id": pa.array([1, 2], pa.int64()),
    "opened_at": pa.array([day(10), day(1)], ts),
    "tier": pa.array(["gold", "basic"]),
}))
# Event 100 (Jan 5) points at account 1 opened later (Jan 10): from event 100's time the account is unknown.
write("events.parquet", pa.table({
    "id": pa.array([100, 101, 102, 103], pa.int64()),
    "account_id": pa.array([1, 1, 2, 2], pa.int64()),
    "at": pa.array([day(5), day(12), day(2), day(25)], ts),
    "amount": pa.array([1.0, 2.0, 3.0, 4.0], pa.float64()),
}))
# Account 2 has examples on Jan 1, 6, 20, 30 (labels 0, 1, 0, 1); account 1 on Jan 30 (label 1).
write("tasks/renew.parquet", pa.table({
    "account": pa.array([2, 2, 2, 2, 1], pa.int64()),
    "at": pa.array([day(1), day(6), day(20), day(30), day(30)], ts),
    "renewed": pa.array([False, True, False, True, True]),
}))
metadata = {
    "format": 1, "name": "timeline",
    "tables": [
        {"name": "accounts", "primary_key": ["id"], "time_column": "opened_at", "columns": [
            {"name": "id", "type": "Identifier"}, {"name": "opened_at", "type": "Timestamp"},
            {"name": "tier", "type": "Categorical"}]},
        {"name": "events", "primary_key": ["id"], "time_column": "at",
         "foreign_keys": [{"columns": ["account_id"], "references": {"table": "accounts", "columns": ["id"]}}],
         "columns": [
             {"name": "id", "type": "Identifier"}, {"name": "account_id", "type": "Identifier"},
             {"name": "at", "type": "Timestamp"}, {"name": "amount", "type": "Numerical"}]},
    ],
    "tasks": [
        {"name": "event-amount", "table": "events", "target": "amount",
         "split": {"validation_start": "2024-01-29", "test_start": "2024-02-15"}},
        {"name": "renew", "file": "tasks/renew.parquet", "entity_table": "accounts", "entity_columns": ["account"],
         "time_column": "at", "target": "renewed", "type": "Boolean", "horizon_days": 10, "hide": ["tier"],
         "split": {"validation_start": "2024-01-29", "test_start": "2024-02-15"}},
    ],
}
with open(os.path.join(OUT, "metadata.json"), "w") as f:
    json.dump(metadata, f, indent=1)
    f.write("\n")
