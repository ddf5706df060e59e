#!/usr/bin/env python3
"""Measures pyarrow's Parquet read time on the same files as `tributary bench parquet`, for comparison.

Usage: tools/bench_pyarrow.py FILE.parquet... [--threads N] [--repeat R]
Prints, per file and thread count (1 and N), the best of R runs of `pq.read_table` over the flat columns, with
MB/s of uncompressed column data (the chunks' total_uncompressed_size, as the Swift bench counts) and rows/s.
"""
import argparse
import os
import time

import pyarrow as pa
import pyarrow.parquet as pq


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("file  threads  seconds  MB/s(uncompressed)  Mrows/s")
    for path in args.files:
        meta = pq.ParquetFile(path).metadata
        size = sum(meta.row_group(g).column(c).total_uncompressed_size
                   for g in range(meta.num_row_groups) for c in range(meta.num_columns))
        schema = pq.ParquetFile(path).schema
        flat = [schema.column(i).path for i in range(len(schema))
                if schema.column(i).max_repetition_level == 0 and "." not in schema.column(i).path]
        for threads in sorted({1, args.threads}):
            pa.set_cpu_count(threads)
            best = float("inf")
            for _ in range(args.repeat):
                start = time.perf_counter()
                pq.read_table(path, columns=flat, use_threads=threads > 1)
                best = min(best, time.perf_counter() - start)
            print("%s  %d  %.4f  %.1f  %.2f" % (
                os.path.basename(path), threads, best, size / 1e6 / best, meta.num_rows / 1e6 / best))


if __name__ == "__main__":
    main()
