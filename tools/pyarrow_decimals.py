#!/usr/bin/env python3
"""Prints, as JSON, every DECIMAL column of a Parquet file as pyarrow reads it: {column: {"type": "decimal128(p, s)",
"values": ["12.50", null, ...]}} with each value in fixed-point text (exactly `scale` fraction digits). Used by
Tests/ImporterTests/PostgresDecimalTests to check that pyarrow reads the decimals `tributary import` writes as the
values PostgreSQL holds. Usage: python3 tools/pyarrow_decimals.py FILE.parquet"""
import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq

table = pq.read_table(sys.argv[1])
out = {}
for field in table.schema:
    if pa.types.is_decimal(field.type):
        values = table.column(field.name).to_pylist()
        out[field.name] = {
            "type": str(field.type),
            "values": [None if v is None else format(v, "f") for v in values],
        }
json.dump(out, sys.stdout, indent=1)
