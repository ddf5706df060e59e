#!/usr/bin/env python3
"""Reads `tributary runs export` output with pyarrow and prints what the Swift tests compare, as JSON.

Usage: python3 tools/read_experiments_export.py DIR
Prints {"runs": {...}, "metrics": {...}} where each holds the Arrow schema (name -> type string), the row count
and every row as a list (timestamps as integer microseconds since the epoch). Used by Tests/ExperimentsTests/ExportTests.
"""
import datetime
import json
import sys

import pyarrow.parquet as pq


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def table_json(path):
    table = pq.read_table(path)
    rows = []
    for record in table.to_pylist():
        row = []
        for field in table.schema:
            value = record[field.name]
            if isinstance(value, datetime.datetime):
                value = (value - EPOCH) // datetime.timedelta(microseconds=1)
            row.append(value)
        rows.append(row)
    return {
        "schema": {field.name: str(field.type) for field in table.schema},
        "nullable": {field.name: field.nullable for field in table.schema},
        "num_rows": table.num_rows,
        "rows": rows,
    }


def main():
    directory = sys.argv[1]
    print(json.dumps({
        "runs": table_json(f"{directory}/runs.parquet"),
        "metrics": table_json(f"{directory}/metrics.parquet"),
    }))


if __name__ == "__main__":
    main()
