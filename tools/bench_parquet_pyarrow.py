#!/usr/bin/env python3
"""pyarrow's decode throughput on the same files as `tributary bench parquet`, same definition of bytes.

Usage: tools/bench_parquet_pyarrow.py FILE... [--repeat N] [--json]
MB/s counts the uncompressed size of the column chunks read (sum of total_uncompressed_size in the footer), so
both readers are measured on the same bytes. Single-threaded (use_threads=False) and all cores (use_threads=True);
the best of N runs, reading the whole file into Arrow arrays (pre_buffer on, memory map on).
"""
import argparse
import json
import os
import time

import pyarrow as pa
import pyarrow.parquet as pq


def uncompressed_bytes(path: str) -> int:
    meta = pq.ParquetFile(path).metadata
    return sum(meta.row_group(g).column(c).total_uncompressed_size
               for g in range(meta.num_row_groups) for c in range(meta.num_columns))


def best_seconds(path: str, threads: bool, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        table = pq.read_table(path, use_threads=threads, memory_map=True)
        table.num_rows  # noqa: B018 (make sure the read is complete)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    for path in args.files:
        rows = pq.ParquetFile(path).metadata.num_rows
        size = uncompressed_bytes(path)
        for threads in (False, True):
            seconds = best_seconds(path, threads, args.repeat)
            results.append({
                "reader": f"pyarrow {pa.__version__}", "file": os.path.basename(path),
                "threads": os.cpu_count() if threads else 1, "seconds": seconds,
                "mb_per_s": size / seconds / 1e6, "rows_per_s": rows / seconds,
            })
    for r in results:
        if args.json:
            print(json.dumps(r))
        else:
            print(f"{r['reader']:16} {r['file']:28} threads={r['threads']:<3} {r['seconds'] * 1e3:9.1f} ms "
                  f"{r['mb_per_s']:9.1f} MB/s {r['rows_per_s'] / 1e6:8.2f} Mrows/s")


if __name__ == "__main__":
    main()
