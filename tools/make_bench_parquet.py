#!/usr/bin/env python3
"""Writes the Parquet reader's benchmark file: 5 million rows of mixed types (not committed; ~100 MB).

Usage: tools/make_bench_parquet.py [OUT] [--rows N]   (default OUT: .tmp/bench/mixed-5m.parquet)
Columns cover what real databases hold: ids, nullable ints and floats, low- and high-cardinality strings,
timestamps, dates, booleans and a decimal. zstd, dictionary where pyarrow chooses it, 1M-row row groups.
"""
import argparse
import os

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def build_table(rows: int, seed: int = 7) -> pa.Table:
    rng = np.random.default_rng(seed)
    nulls = lambda p: rng.random(rows) < p  # noqa: E731
    words = np.array([f"category-{i:03d}" for i in range(200)])
    start = np.datetime64("2010-01-01T00:00:00", "us").astype(np.int64)
    return pa.table({
        "id": pa.array(np.arange(rows, dtype=np.int64)),
        "parent_id": pa.array(rng.integers(0, rows // 10, rows), mask=nulls(0.05)),
        "count": pa.array(rng.integers(-1000, 1000, rows, dtype=np.int32), mask=nulls(0.1)),
        "amount": pa.array(rng.normal(100, 25, rows), mask=nulls(0.1)),
        "ratio": pa.array(rng.random(rows, dtype=np.float32)),
        "flag": pa.array(rng.random(rows) < 0.3, mask=nulls(0.02)),
        "category": pa.array(words[rng.integers(0, len(words), rows)], mask=nulls(0.05)),
        "label": pa.array([f"item {i} of {rows}" for i in rng.integers(0, rows, rows)]),
        "created": pa.array(start + rng.integers(0, 10 * 365 * 86400 * 10**6, rows), type=pa.timestamp("us")),
        "day": pa.array(rng.integers(14000, 20000, rows, dtype=np.int32), type=pa.int32()).cast(pa.date32()),
        "price": pa.array(rng.integers(0, 10**9, rows)).cast(pa.decimal128(21, 2)),
    })


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default=".tmp/bench/mixed-5m.parquet")
    parser.add_argument("--rows", type=int, default=5_000_000)
    args = parser.parse_args()
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    pq.write_table(build_table(args.rows), args.out, compression="zstd", row_group_size=1_000_000)
    print(f"wrote {args.out}: {args.rows} rows, {os.path.getsize(args.out) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
